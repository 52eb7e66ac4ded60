//! An HTML privacy policy: `Source::decode`, then `policy::parse_as(Format::Html)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::policy("privacy.html", disclose::read::policy::Format::Html, data);
});
