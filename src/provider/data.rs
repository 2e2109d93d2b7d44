// SPDX-License-Identifier: MPL-2.0
//! [`ProviderData`]: what configuring the `ehpc` provider block gives every resource call.
//! During plan the block may hold unknowns (e.g. a region taken from another resource); the
//! data then carries what is known and no client, since plans never call the API.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::value::Attr;
use ehpc_alibaba::Client;

/// The configured provider, shared by every resource call until the next configure.
#[derive(Clone)]
pub struct ProviderData {
    region: Attr<String>,
    client: Option<Client>,
    /// RequestIds the delete of a replaced `ehpc_app_sync` hands to the create that follows
    /// it in the same apply, by region and application (see `hand_over_request_id`).
    handed_over: Arc<Mutex<BTreeMap<(String, String), String>>>,
}

impl ProviderData {
    /// A provider configured with known values: the final region and an API client whose
    /// credential chain is resolved.
    pub fn configured(region: String, client: Client) -> Self {
        Self {
            region: Attr::Known(region),
            client: Some(client),
            handed_over: Arc::default(),
        }
    }

    /// A provider configured during plan with unknown values: no client; `region` is
    /// `Unknown` unless the attribute or the environment already gave it.
    pub fn planning(region: Attr<String>) -> Self {
        Self {
            region,
            client: None,
            handed_over: Arc::default(),
        }
    }

    /// The provider's region (the default `region` of resources); `Known` or `Unknown`.
    pub fn region(&self) -> &Attr<String> {
        &self.region
    }

    /// Keeps the RequestId of a replaced object of `app_id` in `region`: Terraform plans the
    /// replacement of a tainted object as a create with no prior state, and a create that
    /// only resumes the wait makes no call of its own.
    pub fn hand_over_request_id(&self, region: &str, app_id: &str, request_id: &str) {
        self.handed_over().insert(
            (region.to_string(), app_id.to_string()),
            request_id.to_string(),
        );
    }

    /// The RequestId handed over for `app_id` in `region`, once.
    pub fn take_request_id(&self, region: &str, app_id: &str) -> Option<String> {
        self.handed_over()
            .remove(&(region.to_string(), app_id.to_string()))
    }

    /// The handed-over RequestIds, locked. A panic while the lock was held cannot leave the
    /// map half-written (each use is one insert or one remove), so a poisoned lock is used as is.
    fn handed_over(&self) -> MutexGuard<'_, BTreeMap<(String, String), String>> {
        self.handed_over
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The API client; `None` only while planning with unknown provider values.
    pub fn client(&self) -> Option<&Client> {
        self.client.as_ref()
    }
}
