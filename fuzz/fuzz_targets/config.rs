//! disclose.yaml: `config::parse`, then `config::settings` against the built-in taxonomy.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::config(data);
});
