//! PrivacyInfo.xcprivacy (XML or binary plist) through `manifest::parse(Kind::PrivacyManifest)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::manifest("ios/App/PrivacyInfo.xcprivacy", disclose::read::manifest::Kind::PrivacyManifest, data);
});
