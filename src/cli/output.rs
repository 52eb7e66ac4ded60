//! Writing files the user asked for (`-o`, `--report`, `disclose init`): atomically, so a run
//! that is killed or fails leaves the previous file whole, never a half-written one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::error::Error;

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
    let write = || -> std::io::Result<()> {
        let (tmp, file) = temporary(path)?;
        let written = (|| {
            let mut out = std::io::BufWriter::new(file);
            fill(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    };
    write().map_err(error)
}

/// Creates a new temporary file beside `path`: `.NAME.<random>.disclose-tmp`, made with
/// `create_new` (O_CREAT|O_EXCL), so nothing planted there is followed or reused (a link at
/// that name makes the create fail, and another name is tried). The name is unpredictable: 64
/// bits from `RandomState` (seeded per process by the OS), the process id, a counter and the
/// clock. Its permissions are the default for a new file under the user's umask.
fn temporary(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let mut last = None;
    for _ in 0..16 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        h.write_u128(now.as_nanos());
        let tmp = path.with_file_name(format!(".{name}.{:016x}.disclose-tmp", h.finish()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file could be created")))
}

/// How a path to write is compared: its folder with links resolved, and its name (the file
/// may not exist yet). `None` for a device or pipe, which is written to, not replaced.
fn target_key(path: &Path) -> Option<PathBuf> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return None;
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf()).join(name))
}

/// Refuses a run's outputs before anything is written: two outputs on one path (the second
/// would replace the first), or an output onto a file the run reads (a manifest, a policy or
/// the configuration: writing the report would replace it). `outputs` are (flag, path), e.g.
/// (`--report sarif=x`, `x`); `inputs` are the files read.
pub fn check_targets(outputs: &[(String, &Path)], inputs: &[PathBuf]) -> Result<(), Error> {
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    // An input is matched as it was named (a link there would be replaced) and as what it
    // resolves to (the file the link's target is).
    let inputs: Vec<(PathBuf, &Path)> = inputs
        .iter()
        .flat_map(|i| [target_key(i), i.canonicalize().ok()].into_iter().flatten().map(move |k| (k, i.as_path())))
        .collect();
    for (flag, path) in outputs {
        let Some(key) = target_key(path) else { continue };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(Error::Usage {
                message: format!("`{flag}` and `{first}` write to the same file, `{}`", path.display()),
                help: Some("give each output its own path".into()),
            });
        }
        if let Some((_, input)) = inputs.iter().find(|(k, _)| *k == key) {
            return Err(Error::Usage {
                message: format!("`{flag}` would write over `{}`, which this run reads as input", input.display()),
                help: Some("write the report somewhere else".into()),
            });
        }
        seen.push((key, flag.as_str()));
    }
    Ok(())
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

    #[test]
    fn a_link_planted_at_a_temporary_name_is_never_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("disclose-output-plant-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.join("out.json");
        // The name an earlier release used: `.NAME.<pid>.disclose-tmp`.
        std::os::unix::fs::symlink(&victim, dir.join(format!(".out.json.{}.disclose-tmp", std::process::id())))
            .unwrap();
        write_atomic(&path, "report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "report");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        // A new file: not executable, and no more open than a file the user creates.
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o111, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names_are_new_each_time() {
        let dir = std::env::temp_dir().join(format!("disclose-output-names-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.json");
        let (a, _) = temporary(&path).unwrap();
        let (b, _) = temporary(&path).unwrap();
        assert_ne!(a, b);
        assert!(a.file_name().unwrap().to_string_lossy().starts_with(".out.json."));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn outputs_on_one_path_or_on_an_input_are_refused() {
        let dir = std::env::temp_dir().join(format!("disclose-output-targets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let policy = dir.join("PRIVACY.md");
        std::fs::write(&policy, "p").unwrap();
        let t = |flag: &str, p: &Path| (flag.to_string(), p.to_path_buf());
        let check = |outs: &[(String, PathBuf)], ins: &[PathBuf]| {
            let outs: Vec<(String, &Path)> = outs.iter().map(|(f, p)| (f.clone(), p.as_path())).collect();
            check_targets(&outs, ins).map_err(|e| e.to_string())
        };
        // The same file named two ways (the file does not exist yet).
        let a = dir.join("r.json");
        let b = dir.join("sub/../r.json");
        let e = check(&[t("--report json=a", &a), t("-o b", &b)], &[]).unwrap_err();
        assert!(e.contains("`-o b` and `--report json=a` write to the same file"), "{e}");
        // An input, through a link to its folder.
        std::os::unix::fs::symlink(&dir, dir.join("link")).unwrap();
        let e = check(&[t("-o x", &dir.join("link/PRIVACY.md"))], std::slice::from_ref(&policy)).unwrap_err();
        assert!(e.contains("would write over") && e.contains("PRIVACY.md"), "{e}");
        // Devices are written to, not replaced: two outputs there are fine.
        let null = Path::new("/dev/null");
        assert!(check(&[t("-o /dev/null", null), t("--report sarif=/dev/null", null)], &[]).is_ok());
        assert!(check(&[t("-o a", &a), t("--report json=c", &dir.join("c.json"))], &[policy]).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
