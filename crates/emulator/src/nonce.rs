// SPDX-License-Identifier: MPL-2.0
//! Replay protection: remembers `(AccessKeyId, SignatureNonce)` pairs for the gateway's window
//! (about 31 minutes) in bounded memory. Only nonces of requests whose signature verified are
//! remembered, so a rejected attempt does not burn the nonce of a legitimate retry.

use std::collections::{HashSet, VecDeque};

use time::{Duration, OffsetDateTime};

/// How long a nonce stays used. NOTE(protocol): gateway staff quote ~31 minutes (the V2
/// timestamp validity), which covers the ±15 minute clock skew on both sides.
pub(crate) const NONCE_WINDOW: Duration = Duration::minutes(31);

/// The used nonces, oldest first.
#[derive(Debug)]
pub(crate) struct NonceStore {
    capacity: usize,
    order: VecDeque<(OffsetDateTime, (String, String))>,
    seen: HashSet<(String, String)>,
}

impl NonceStore {
    /// A store holding at most `capacity` nonces; beyond it the oldest are forgotten early.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            order: VecDeque::new(),
            seen: HashSet::new(),
        }
    }

    /// Records the nonce; `false` if it was already used within the window.
    pub(crate) fn check_and_insert(
        &mut self,
        key_id: &str,
        nonce: &str,
        now: OffsetDateTime,
    ) -> bool {
        while let Some((at, key)) = self.order.front() {
            if now - *at < NONCE_WINDOW && self.order.len() < self.capacity {
                break;
            }
            self.seen.remove(key);
            self.order.pop_front();
        }
        let key = (key_id.to_string(), nonce.to_string());
        if !self.seen.insert(key.clone()) {
            return false;
        }
        self.order.push_back((now, key));
        true
    }
}

#[cfg(test)]
mod tests;
