//! Info.plist as a binary plist: only inputs starting with `bplist`, so mutations stay in the binary reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"bplist") {
        disclose_fuzz::manifest("ios/App/Info.plist", disclose::read::manifest::Kind::InfoPlist, data);
    }
});
