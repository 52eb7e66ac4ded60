//! The bounds of a run: how large an input file may be and how many threads parse.
//!
//! Every input is read whole, and parsing needs a few times its size in memory, so the file
//! size bounds the memory of a run. The default, 10 MiB, is fifty times the longest privacy
//! policy in the corpus and a hundred times a large merged Android manifest; a larger file is
//! an error that names it and says how to raise the limit, never a silent skip (a policy left
//! out would turn its disclosures into false alarms).

use std::num::NonZeroUsize;

use crate::model::error::Error;

/// The default `--max-file-size`: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// The bounds of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input file read, in bytes.
    pub max_file_size: u64,
    /// Threads that parse files (1: everything on the calling thread).
    pub jobs: NonZeroUsize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_size: DEFAULT_MAX_FILE_SIZE, jobs: default_jobs() }
    }
}

/// The machine's cores (at most 8: parsing a repository's files gains nothing beyond that).
pub fn default_jobs() -> NonZeroUsize {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    NonZeroUsize::new(cores.clamp(1, 8)).expect("clamped to at least 1")
}

/// Reads a size: bytes, or a number with `K`, `M` or `G` (powers of 1024; `KB`, `KiB`, `MB`,
/// `MiB`… are accepted too, all binary), e.g. `10M`, `512K`, `1.5G`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_uppercase().trim_end_matches('B').trim_end_matches('I') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{s}` is not a size: use bytes or K, M, G (e.g. 10M)")),
    };
    let value: f64 = number.parse().map_err(|_| format!("`{s}` is not a size: use bytes or K, M, G (e.g. 10M)"))?;
    let bytes = value * (1u64 << shift) as f64;
    if !(1.0..=(1u64 << 40) as f64).contains(&bytes) {
        return Err(format!("`{s}` is out of range: give between 1 byte and 1024G"));
    }
    Ok(bytes as u64)
}

/// The error for a file over the limit: what it weighs (when known before reading), the
/// limit, how to raise it.
pub fn too_large(path: &str, size: Option<u64>, max: u64) -> Error {
    let message = match size {
        Some(size) => format!("the file is {}, over the {} limit for an input file", show_size(size), show_size(max)),
        None => format!("the input is larger than the {} limit for an input file", show_size(max)),
    };
    let suggested = size.unwrap_or(max.saturating_mul(4)).div_ceil(1 << 20);
    Error::parse(path, message).with_help(format!(
        "raise the limit with `--max-file-size {suggested}M`, or exclude the file in disclose.yaml if it is not a manifest or policy"
    ))
}

/// A size for people: `10 MiB`, `200.0 MiB`, `512 KiB`, `900 bytes`.
pub fn show_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "GiB"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "MiB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KiB"),
        b => return format!("{b} bytes"),
    };
    if value.fract() == 0.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_show() {
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("2MB"), Ok(2 << 20));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("5T").is_err());
        assert_eq!(show_size(10 << 20), "10 MiB");
        assert_eq!(show_size(200_000_000), "190.7 MiB");
        assert_eq!(show_size(900), "900 bytes");
    }
}
