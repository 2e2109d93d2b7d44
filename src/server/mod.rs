// SPDX-License-Identifier: MPL-2.0
//! go-plugin host (filled in by the server work).
