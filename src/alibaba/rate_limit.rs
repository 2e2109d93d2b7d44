// SPDX-License-Identifier: MPL-2.0
//! Adaptive client-side rate limiting shared by all calls of one configured provider.
