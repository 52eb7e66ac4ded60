//! A plain-text privacy policy: `Source::decode`, then `policy::parse_as(Format::Text)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::policy("privacy.txt", disclose::read::policy::Format::Text, data);
});
