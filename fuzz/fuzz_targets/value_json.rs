// SPDX-License-Identifier: MPL-2.0
//! Fuzzes the JSON value decoder (RawState from Terraform's state file): byte 0 picks a schema
//! type (see `ehpc_fuzz::fuzz_types`), the rest is decoded. Decoding may fail but never panic;
//! whatever it accepts must conform to the type and survive a msgpack round trip (the codec
//! the provider answers with), since there is no JSON encoder to compare against.
#![no_main]

use ehpc::value::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((ty, payload)) = ehpc_fuzz::split_input(data) else {
        return;
    };
    if let Ok(value) = json::decode(payload, &ty) {
        ehpc_fuzz::check_round_trip(&value, &ty);
    }
});
