//! Writing files the user asked for (`-o`, `--report`, `disclose init`): atomically, so a run
//! that is killed or fails leaves the previous file whole, never a half-written one.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `text` to `path` atomically: see [`write_atomic_with`].
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    write_atomic_with(path, |out| out.write_all(text.as_bytes()))
}

/// Writes what `fill` writes to `path` through a temporary file beside it (same folder, so
/// the rename stays on one file system), flushed to disk, then renamed over `path`. On any
/// failure the temporary file is removed and `path` is untouched. A device or pipe
/// (`/dev/null`, `/dev/stdout`) is written to directly: renaming over it would replace it.
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let error = |source| Error::Write { path: path.to_path_buf(), source };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let target = std::fs::OpenOptions::new().write(true).open(path).map_err(error)?;
        let mut out = std::io::BufWriter::new(target);
        return fill(&mut out).and_then(|()| out.flush()).map_err(error);
    }
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    // The process id keeps two runs writing the same report from sharing a temporary file.
    let tmp = path.with_file_name(format!(".{name}.{}.disclose-tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        fill(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        error(source)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("disclose-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.sarif");
        std::fs::write(&path, "previous").unwrap();
        write_atomic(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("report.sarif")]);
        // A folder that does not exist: an error, and nothing is created.
        let e = write_atomic(&dir.join("missing/report.sarif"), "x").unwrap_err().to_string();
        assert!(e.starts_with("cannot write `"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
        // A device is written to, not replaced.
        write_atomic(Path::new("/dev/null"), "x").unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    }
}
