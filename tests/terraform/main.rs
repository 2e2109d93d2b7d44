// SPDX-License-Identifier: MPL-2.0
//! The real `terraform` CLI against the freshly built provider and the `ehpc-emulator`
//! process: one test binary, one module per topic, the shared harness in `support` (and, for
//! the reliability and secrets tests, `reliability_support`). With CI=true a missing
//! `terraform` fails every test instead of skipping it.

mod app_resource;
mod configuration;
mod container;
mod copies_plan;
mod data_sources;
mod debug;
mod e2e;
mod error_texts;
mod hostile;
mod import_errors;
mod lifecycle;
mod many_runs;
mod orphans;
mod proxy;
mod read_back;
mod registry;
mod reliability;
mod reliability_support;
mod resume;
mod secrets;
mod support;
mod transient;
