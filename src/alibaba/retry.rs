// SPDX-License-Identifier: MPL-2.0
//! Retry policy: capped exponential backoff with full jitter, within a deadline and a cancellation token.
