// SPDX-License-Identifier: MPL-2.0
//! Tests of the one mapping of client errors to diagnostics.
