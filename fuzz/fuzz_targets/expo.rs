//! Expo app.json (JSON5) through `manifest::parse(Kind::Expo)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::manifest("app.json", disclose::read::manifest::Kind::Expo, data);
});
