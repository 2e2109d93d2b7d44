// SPDX-License-Identifier: MPL-2.0
//! Generated protobuf code (filled in by the server work).
