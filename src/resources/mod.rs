// SPDX-License-Identifier: MPL-2.0
//! Resources of the `ehpc` provider (filled in by the resource work).
