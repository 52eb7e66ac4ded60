//! A version that is a folder on disk.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Version, SKIPPED_DIRS};
use crate::config::FILE_NAMES;
use crate::error::Error;

/// A folder whose files make one version.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
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
        Ok(Folder { root: root.to_path_buf() })
    }

    fn walk(&self, dir: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), Error> {
        let entries = fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            // `file_type` does not follow symlinks: a linked folder is never entered, so a link
            // loop or a link out of the tree cannot be walked. Linked files are still read.
            let ty = entry.file_type().map_err(|source| Error::Read { path: entry.path(), source })?;
            if ty.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) {
                    self.walk(&entry.path(), &path, out)?;
                }
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
}

impl Version for Folder {
    fn label(&self) -> String {
        self.root.display().to_string()
    }

    fn files(&self) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        self.walk(&self.root, "", &mut out)?;
        out.sort();
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        let full = self.root.join(path);
        fs::read(&full).map_err(|source| Error::Read { path: full, source })
    }

    fn config(&self) -> Result<Option<(String, String)>, Error> {
        for name in FILE_NAMES {
            let full = self.root.join(name);
            if full.is_file() {
                let bytes = fs::read(&full).map_err(|source| Error::Read { path: full.clone(), source })?;
                let label = full.display().to_string();
                let text = crate::source::Source::decode(&label, &bytes)?.text;
                return Ok(Some((label, text)));
            }
        }
        Ok(None)
    }
}
