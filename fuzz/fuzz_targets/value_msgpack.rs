// SPDX-License-Identifier: MPL-2.0
//! Fuzzes the msgpack value decoder (DynamicValue from Terraform): byte 0 picks a schema type
//! (see `ehpc_fuzz::fuzz_types`), the rest is decoded. Decoding may fail but never panic;
//! whatever it accepts must conform to the type and survive an encode/decode round trip.
#![no_main]

use ehpc::value::msgpack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((ty, payload)) = ehpc_fuzz::split_input(data) else {
        return;
    };
    if let Ok(value) = msgpack::decode(payload, &ty) {
        ehpc_fuzz::check_round_trip(&value, &ty);
    }
});
