//! *.entitlements (XML or binary plist) through `manifest::parse(Kind::Entitlements)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::manifest("ios/App/App.entitlements", disclose::read::manifest::Kind::Entitlements, data);
});
