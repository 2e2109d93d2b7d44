// SPDX-License-Identifier: MPL-2.0
//! End-to-end tests of the emulator: requests signed with ehpc_alibaba::signer (and the
//! reference's fixed vectors) driven through `ehpc_emulator::app` with `oneshot`, plus real-socket
//! tests for dropped connections, the sign-in token exchanges and the `ehpc-emulator` binary
//! (ready line, SIGTERM, --state).
//!
//! One test binary; the shared helpers live in `common`, the tests in one module per topic.

mod binary;
mod common;
mod container_apps;
mod copies;
mod credentials;
mod faults;
mod gateway;
mod images;
mod registration;
mod sdk_model;
mod sign_in;
mod synchronize_app;
mod vectors;
