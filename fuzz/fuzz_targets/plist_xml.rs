//! Info.plist as XML text (inputs starting with `bplist` are left to `plist_binary`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !data.starts_with(b"bplist") {
        disclose_fuzz::manifest("ios/App/Info.plist", disclose::read::manifest::Kind::InfoPlist, data);
    }
});
