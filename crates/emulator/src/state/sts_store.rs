// SPDX-License-Identifier: MPL-2.0
//! [`StsStore`]: every temporary credential issued (by STS and the ECS metadata endpoint), which
//! the gateway checks signatures against.

use std::collections::HashMap;
use std::fmt;

use rand::Rng;
use time::{Duration, OffsetDateTime};

use crate::ids;
use ehpc_alibaba::timestamp;

/// Expired credentials are still recognised (answering `InvalidSecurityToken.Expired` rather
/// than `InvalidAccessKeyId.NotFound`) for this long, then forgotten to bound memory.
const FORGET_AFTER: Duration = Duration::hours(24);

/// Temporary credentials as issued.
#[derive(Clone)]
pub(crate) struct TempCredential {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: String,
    pub expiration: OffsetDateTime,
}

impl fmt::Debug for TempCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempCredential")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

impl TempCredential {
    /// The `Expiration` text, UTC `%Y-%m-%dT%H:%M:%SZ`.
    pub(crate) fn expiration_text(&self) -> String {
        timestamp::format(self.expiration)
    }
}

/// Every temporary credential issued, by access key id.
#[derive(Debug, Default)]
pub(crate) struct StsStore {
    issued: HashMap<String, TempCredential>,
}

impl StsStore {
    /// Issues credentials valid for `duration` from `now`.
    pub(crate) fn issue<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        now: OffsetDateTime,
        duration: Duration,
    ) -> TempCredential {
        self.issued.retain(|_, c| c.expiration + FORGET_AFTER > now);
        let cred = TempCredential {
            access_key_id: ids::sts_access_key_id(rng),
            access_key_secret: ids::secret(rng),
            security_token: ids::security_token(rng),
            expiration: now + duration,
        };
        self.issued.insert(cred.access_key_id.clone(), cred.clone());
        cred
    }

    /// The credential with this key id, expired or not.
    pub(crate) fn lookup(&self, access_key_id: &str) -> Option<&TempCredential> {
        self.issued.get(access_key_id)
    }
}

#[cfg(test)]
mod tests;
