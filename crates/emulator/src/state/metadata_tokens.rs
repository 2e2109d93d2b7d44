// SPDX-License-Identifier: MPL-2.0
//! [`MetadataTokens`]: the IMDSv2 session tokens the ECS metadata endpoint (`metadata`) issued.

use std::collections::HashMap;

use time::OffsetDateTime;

/// Issued IMDSv2 tokens and their expiry.
#[derive(Debug, Default)]
pub(crate) struct MetadataTokens {
    tokens: HashMap<String, OffsetDateTime>,
    /// Set by the first token; from then on reads need a token.
    enforced: bool,
}

impl MetadataTokens {
    /// Records `token`, valid until `expiry`, forgetting the tokens expired at `now`; from
    /// now on every read needs a token.
    pub(crate) fn issue(&mut self, token: String, now: OffsetDateTime, expiry: OffsetDateTime) {
        self.tokens.retain(|_, expiry| *expiry > now);
        self.tokens.insert(token, expiry);
        self.enforced = true;
    }

    /// Whether a read presenting `presented` may go on at `now`: any read until the first
    /// token was issued (IMDSv1), then only one with a valid, unexpired token.
    pub(crate) fn admits(&self, presented: Option<&str>, now: OffsetDateTime) -> bool {
        if !self.enforced {
            return true;
        }
        presented
            .and_then(|t| self.tokens.get(t))
            .is_some_and(|expiry| *expiry > now)
    }
}

#[cfg(test)]
mod tests;
