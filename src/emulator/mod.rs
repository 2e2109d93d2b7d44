// SPDX-License-Identifier: MPL-2.0
//! Local EhpcInstant + STS + ECS-metadata emulator (filled in by the emulator work).
