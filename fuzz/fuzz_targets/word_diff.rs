//! Two versions of a sentence (the input split at its first NUL byte): `diff::words::diff`, and
//! `diff::bounded::diff` of their bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    disclose_fuzz::word_diff(data);
});
