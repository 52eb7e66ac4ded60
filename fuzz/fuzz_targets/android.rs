//! AndroidManifest.xml: any bytes through `manifest::parse(Kind::Android)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::manifest("app/src/main/AndroidManifest.xml", disclose::read::manifest::Kind::Android, data);
});
