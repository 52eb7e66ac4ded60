//! Reading an input from the file system or a pipe, within the size limit: a regular file's
//! size is checked before a byte is read, and nothing larger than the limit is ever held.

use std::io::Read;

use crate::model::error::Error;
use crate::model::limits::too_large;

/// Reads the file at `path` (named `shown` in errors), at most `max` bytes. A regular file's
/// size is checked before a byte is read; a pipe is read up to the limit.
pub fn read_path(path: &std::path::Path, shown: &str, max: u64) -> Result<Vec<u8>, Error> {
    let read_error = |source| Error::Read { path: shown.into(), source };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    read_at_most(file, shown, max, if meta.is_file() { meta.len() } else { 0 })
}

/// Reads at most `max` bytes from `reader`; more is an error naming `path`. `expected` is the
/// size the file system reports, to allocate once (0 when unknown, as for a pipe).
pub fn read_at_most(reader: impl Read, path: &str, max: u64, expected: u64) -> Result<Vec<u8>, Error> {
    if expected > max {
        return Err(too_large(path, Some(expected), max));
    }
    let mut bytes = Vec::with_capacity(expected as usize);
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read { path: path.into(), source })?;
    if bytes.len() as u64 > max {
        // A pipe, or a file that grew while being read: its size is not known.
        return Err(too_large(path, None, max));
    }
    Ok(bytes)
}
