// SPDX-License-Identifier: MPL-2.0
//! Local EhpcInstant + STS + ECS-metadata + sign-in (CloudSSO, OAuth) emulator: a strict stand-in
//! for Alibaba's gateway used by the end-to-end tests and the demo. [`app`] builds the axum router
//! (drive it with tower's `oneshot`), [`serve`] runs it on a socket. RPC calls at `/` pass,
//! outermost first, through `params::envelope` (parameters, RequestId, error bodies),
//! `inspect::record` (call log), `faults::inject`, and `verify::authenticate` (signatures) before
//! the dispatch to each API. The sign-in token exchanges (`sign_in`) answer outside that stack and
//! record their calls themselves. An app named in the configuration exists from the start with its
//! image (`m-…` ImageId) and holds no copy in another region until SynchronizeApp starts some;
//! ListImages and GetImage read them back (`images`), and `/_emulator/apps/…` (`admin`) shows and
//! changes the copies. AddImage registers more apps and RemoveImage removes them (`registration`).

mod admin;
mod app;
mod app_spec;
mod config;
mod conn;
mod error;
mod faults;
mod ids;
mod image;
mod images;
mod inspect;
mod metadata;
mod nonce;
mod params;
mod registration;
mod sign_in;
pub mod signature_v3;
mod state;
mod store;
mod sts;
mod synchronize;
mod verify;

pub use app::{app, serve};
pub use app_spec::AppSpec;
pub use config::{
    ConfigError, EmulatorConfig, FaultConfig, DEFAULT_ECS_ROLE, DEFAULT_HOME_REGION,
    DEFAULT_REGIONS,
};
pub use error::{ApiError, ErrorBody};
pub use state::{AppState, CallRecord, Clock};
pub use store::StoreError;
pub use verify::Api;

use state::lock;
