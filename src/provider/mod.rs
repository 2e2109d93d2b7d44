// SPDX-License-Identifier: MPL-2.0
//! The `ehpc` provider block (filled in by the provider work).
