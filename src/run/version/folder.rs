//! A version that is a folder on disk.

use std::fs;
use std::path::{Path, PathBuf};

use super::{named_like_input, what, Unread, Version, SKIPPED_DIRS};
use crate::model::error::Error;
use crate::model::names::CONFIG_FILES;

/// A folder whose files make one version.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
    /// The root with links resolved: no file outside it is read.
    real_root: PathBuf,
    max_file_size: u64,
}

impl Folder {
    /// A folder version; fails when `root` is not a readable folder.
    pub fn open(root: &Path) -> Result<Folder, Error> {
        let meta = fs::metadata(root).map_err(|source| Error::Read { path: root.to_path_buf(), source })?;
        if !meta.is_dir() {
            return Err(Error::Usage {
                message: format!("`{}` is not a folder", root.display()),
                help: Some("give --old and --new the folders of the two versions".into()),
            });
        }
        let real_root = root.canonicalize().map_err(|source| Error::Read { path: root.to_path_buf(), source })?;
        Ok(Folder { root: root.to_path_buf(), real_root, max_file_size: crate::model::limits::DEFAULT_MAX_FILE_SIZE })
    }

    /// The same folder, reading files of at most `max` bytes.
    pub fn with_max_file_size(self, max: u64) -> Folder {
        Folder { max_file_size: max, ..self }
    }

    /// What a link is: a file to list (a link to a regular file inside the folder), an entry
    /// not read (a link out of the folder, a dangling link, a loop, a link to a pipe or device,
    /// a link to a folder that is never searched), or nothing to say (a link to a folder
    /// inside that is searched: its files are listed where they are). Only `stat` is used: a
    /// linked folder is never entered and a pipe is never opened.
    fn link(&self, path: &Path) -> Link {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Link::Unread(what::DANGLING, true),
            Err(e) if is_loop(&e) => return Link::Unread(what::LOOP, true),
            Err(_) => return Link::Unread(what::UNFOLLOWABLE, true),
        };
        let Some(real) = self.inside(path) else { return Link::Unread(what::OUTSIDE, meta.is_dir()) };
        if meta.is_file() {
            return Link::File;
        }
        if !meta.is_dir() {
            return Link::Unread(what::SPECIAL, false);
        }
        let rel = real.strip_prefix(&self.real_root).unwrap_or(&real);
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if rel.iter().any(|c| SKIPPED_DIRS.contains(&c.as_str())) {
            Link::Unread(NEVER_SEARCHED, true)
        } else {
            Link::Searched
        }
    }

    /// The real path of `path` when it resolves to something inside the folder.
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        path.canonicalize().ok().filter(|real| real.starts_with(&self.real_root))
    }

    fn walk(&self, dir: &Path, rel: &str, out: &mut Vec<String>, unread: &mut Vec<Unread>) -> Result<(), Error> {
        let entries = fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            // `file_type` does not follow symlinks: a linked folder is never entered, so a link
            // loop or a link out of the tree cannot be walked.
            let ty = entry.file_type().map_err(|source| Error::Read { path: entry.path(), source })?;
            let mut not_read =
                |what: &str, folder: bool| unread.push(Unread { path: path.clone(), what: what.into(), folder });
            if ty.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) {
                    if named_like_input(&path) {
                        not_read(what::FOLDER, false);
                    }
                    self.walk(&entry.path(), &path, out, unread)?;
                }
            } else if ty.is_file() {
                out.push(path);
            } else if ty.is_symlink() {
                match self.link(&entry.path()) {
                    Link::File => out.push(path),
                    Link::Unread(what, folder) => not_read(what, folder),
                    Link::Searched => {}
                }
            } else {
                // Pipes, sockets and devices are never listed: reading a pipe would wait forever.
                not_read(what::SPECIAL, false);
            }
        }
        Ok(())
    }
}

/// A link to a folder that is never searched (`vendor/`, `node_modules/`).
const NEVER_SEARCHED: &str =
    "is a link to a folder disclose never searches (build output, dependencies or vendored code)";

/// What [`Folder::link`] found.
enum Link {
    File,
    Unread(&'static str, bool),
    Searched,
}

/// Whether an error is "too many levels of symbolic links".
fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    e.raw_os_error() == Some(ELOOP)
}

/// Reads a file named by the version (listed, or named in disclose.yaml): it must resolve to a
/// regular file inside `folder` and weigh at most its limit.
fn read_inside(folder: &Folder, full: &Path, shown: &str) -> Result<Vec<u8>, Error> {
    let read_error = |source| Error::Read { path: full.to_path_buf(), source };
    let meta = fs::metadata(full).map_err(read_error)?;
    if folder.inside(full).is_none() {
        return Err(Error::parse(
            shown,
            "the file is a link to a place outside the folder, which disclose does not read",
        )
        .with_help("copy the file into the repository, or exclude it in disclose.yaml"));
    }
    if !meta.is_file() {
        return Err(Error::parse(shown, "not a regular file (a folder, pipe, socket or device)")
            .with_help("name a regular file in disclose.yaml, or exclude this one"));
    }
    crate::run::read::read_path(full, shown, folder.max_file_size)
}

impl Version for Folder {
    fn label(&self) -> String {
        self.root.display().to_string()
    }

    fn files(&self) -> Result<Vec<String>, Error> {
        Ok(self.listing()?.0)
    }

    fn listing(&self) -> Result<(Vec<String>, Vec<Unread>), Error> {
        let (mut files, mut unread) = (Vec::new(), Vec::new());
        self.walk(&self.root, "", &mut files, &mut unread)?;
        files.sort();
        unread.sort();
        Ok((files, unread))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        read_inside(self, &self.root.join(path), &self.show(path))
    }

    fn config(&self) -> Result<Option<(String, String)>, Error> {
        for name in CONFIG_FILES {
            let full = self.root.join(name);
            if full.is_file() {
                let label = full.display().to_string();
                let bytes = read_inside(self, &full, &label)?;
                let text = crate::model::source::Source::decode(&label, &bytes)?.text;
                return Ok(Some((label, text)));
            }
        }
        Ok(None)
    }
}
