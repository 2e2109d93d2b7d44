// SPDX-License-Identifier: MPL-2.0
//! The client crate's one integration-test binary: real HTTP on 127.0.0.1:0 against local
//! servers that act as EhpcInstant (`api`: signed requests, errors, retries, deadlines,
//! redaction) and as STS, ECS metadata, credentials URIs and the sign-in services
//! (`credentials`: every source of the chain, refresh, redaction).

mod api;
mod credentials;
