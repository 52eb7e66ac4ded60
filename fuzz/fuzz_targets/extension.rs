//! Browser-extension manifest.json (JSON with comments) through `manifest::parse(Kind::Extension)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::manifest("extension/manifest.json", disclose::read::manifest::Kind::Extension, data);
});
