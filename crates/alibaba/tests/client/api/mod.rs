// SPDX-License-Identifier: MPL-2.0
//! The EhpcInstant client against a scripted local HTTP server that verifies every V2
//! signature with `ehpc_alibaba::signer`: exact parameters, the documented errors, retries,
//! throttling, deadline, cancellation, and that no secret leaks into errors or logs.
//!
//! The scripted server, the client under test and the process-wide log
//! capture are in `scripted_server`, the tests in the other modules.

mod deadline_and_cancellation;
mod errors;
mod hostile;
mod read_api;
mod redaction;
mod retries;
mod scripted_server;
mod signed_requests;
