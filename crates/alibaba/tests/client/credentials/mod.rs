// SPDX-License-Identifier: MPL-2.0
//! The credential chain end to end against a local server acting as STS (verifying the V2
//! signature of AssumeRole, and that AssumeRoleWithOIDC is unsigned), the ECS metadata service,
//! a credentials URI, a CloudSSO portal and the OAuth service: every source and their
//! precedence, profile modes, lazy STS round trips, refresh of near-expiry credentials,
//! `External` profiles running a real process, `CloudSSO` and `OAuth` profiles exchanging their
//! access token, the "no credentials" error, and a run whose whole log output, errors and Debug
//! output are searched for secrets, and a proxy in the environment that must see none of the
//! credential exchanges (`proxy`).
//!
//! The local server and shared fixtures are in `fake_server` (its sign-in
//! routes and profiles in `fake_sign_in`, its misbehaving mode in `misbehave`), the tests in
//! the other modules (`hostile`: each service trickling, sending terminal controls, secrets
//! and error documents in a 2xx).

mod assume_role;
mod chain;
mod ecs_and_uri;
mod external;
mod fake_server;
mod fake_sign_in;
mod files;
mod hostile;
mod misbehave;
mod own_terms;
mod profiles;
mod proxy;
mod redaction;
mod sign_in;
mod sign_in_errors;
