//! A Markdown privacy policy: `Source::decode`, then `policy::parse_as(Format::Markdown)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::policy("PRIVACY.md", disclose::read::policy::Format::Markdown, data);
});
