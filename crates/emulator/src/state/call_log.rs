// SPDX-License-Identifier: MPL-2.0
//! [`CallLog`]: every RPC call and sign-in token exchange as answered, which `inspect` records
//! and lists, with what each request carried that must never leak ([`Received`]).

use std::collections::VecDeque;

use serde::Serialize;

/// Calls kept; older ones are forgotten so a long demo cannot exhaust memory.
const MAX_CALLS: usize = 100_000;

/// One RPC call (or sign-in token exchange) as answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    /// `Action` (empty when missing).
    pub action: String,
    pub app_id: Option<String>,
    /// `ImageId` (GetImage); left out of the listing when absent, so the SynchronizeApp
    /// records keep their first shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// `ImageType` (GetImage, ListImages) when sent; left out when absent, like `image_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// `TargetRegionIds` as sent (empty when absent or not a JSON array of strings).
    pub target_region_ids: Vec<String>,
    pub request_id: String,
    /// HTTP status; 444 for a dropped connection.
    pub status: u16,
    /// Error code; `None` on success, `"ConnectionDropped"` for a connection dropped before
    /// the call was handled, `"ConnectionDroppedAfterApply"` (with the real status) for an
    /// applied call whose answer was dropped.
    pub code: Option<String>,
    /// The key id the request claimed, verified or not.
    pub access_key_id: Option<String>,
    /// What the request carried that must never leak; not part of the default listing.
    #[serde(skip)]
    pub received: Received,
}

/// The secrets a request sent (as received, verified or not), for leak tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Received {
    /// The V2 `Signature` parameter or the V3 `Signature=` of the Authorization header.
    pub signature: Option<String>,
    /// The V2 `SecurityToken` parameter or the V3 `x-acs-security-token` header; for a sign-in
    /// exchange, the bearer token of its `Authorization` header.
    pub security_token: Option<String>,
}

/// The call log, oldest first.
#[derive(Debug, Default)]
pub(crate) struct CallLog {
    calls: VecDeque<CallRecord>,
}

impl CallLog {
    /// Appends a call, forgetting the oldest beyond [`MAX_CALLS`].
    pub(crate) fn push(&mut self, call: CallRecord) {
        if self.calls.len() >= MAX_CALLS {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }

    /// The calls kept, oldest first.
    pub(crate) fn calls(&self) -> impl Iterator<Item = &CallRecord> {
        self.calls.iter()
    }
}
