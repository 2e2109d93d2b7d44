// SPDX-License-Identifier: MPL-2.0
//! [`ProviderData`]: what configuring the `ehpc` provider block gives every resource call.
//! During plan the block may hold unknowns (e.g. a region taken from another resource); the
//! data then carries what is known and no client, since plans never call the API.

use crate::value::Attr;
use ehpc_alibaba::Client;

/// The configured provider, shared by every resource call until the next configure.
#[derive(Clone)]
pub struct ProviderData {
    region: Attr<String>,
    client: Option<Client>,
}

impl ProviderData {
    /// A provider configured with known values: the final region and an API client whose
    /// credential chain is resolved.
    pub fn configured(region: String, client: Client) -> Self {
        Self {
            region: Attr::Known(region),
            client: Some(client),
        }
    }

    /// A provider configured during plan with unknown values: no client; `region` is
    /// `Unknown` unless the attribute or the environment already gave it.
    pub fn planning(region: Attr<String>) -> Self {
        Self {
            region,
            client: None,
        }
    }

    /// The provider's region (the default `region` of resources); `Known` or `Unknown`.
    pub fn region(&self) -> &Attr<String> {
        &self.region
    }

    /// The API client; `None` only while planning with unknown provider values.
    pub fn client(&self) -> Option<&Client> {
        self.client.as_ref()
    }
}
