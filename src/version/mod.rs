//! Where a version's files come from. A [`Version`] lists paths and reads bytes; this
//! release reads folders. Which of the files are manifests and policies is decided by
//! [`select`], from the version's own `disclose.yaml` or by name.

mod folder;
pub mod git;
pub mod resolve;

pub use folder::Folder;

use globset::GlobSet;

use crate::config::{glob, Config};
use crate::error::Error;
use crate::manifest::Kind;

/// A set of files: a folder today; a git revision or the index later.
pub trait Version {
    /// How to name the version in messages.
    fn label(&self) -> String;
    /// Every file, as a `/`-separated path relative to the root, sorted; skips build output,
    /// dependencies and VCS folders.
    fn files(&self) -> Result<Vec<String>, Error>;
    /// The bytes of one file.
    fn read(&self, path: &str) -> Result<Vec<u8>, Error>;
    /// The bytes of several files, in order (git versions read them in one process).
    fn read_all(&self, paths: &[String]) -> Result<Vec<Vec<u8>>, Error> {
        paths.iter().map(|p| self.read(p)).collect()
    }
    /// How to name one of its files in an error (`v2/PRIVACY.md`, `1a2b3c4:PRIVACY.md`).
    fn show(&self, path: &str) -> String {
        format!("{}/{path}", self.label().trim_end_matches('/'))
    }
    /// The version's own `disclose.yaml`, if it has one: (path, text).
    fn config(&self) -> Result<Option<(String, String)>, Error>;
}

/// Folders never searched: build output, dependencies, IDE and VCS state.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "Pods",
    "Carthage",
    "build",
    ".build",
    "target",
    "DerivedData",
    ".gradle",
    ".idea",
    ".dart_tool",
    "vendor",
    "bower_components",
];

/// Whether a `/`-separated path lies in a folder that is never searched.
pub fn skipped(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.iter().any(|p| SKIPPED_DIRS.contains(p))
}

/// The files that make one version: its manifests and its policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Manifests with their format.
    pub manifests: Vec<(String, Kind)>,
    /// Policies.
    pub policies: Vec<String>,
    /// Every file of the version (for the policies of `apps:`).
    pub files: Vec<String>,
}

impl Selection {
    /// Whether `path` is one of the selected files.
    pub fn contains(&self, path: &str) -> bool {
        self.manifests.iter().any(|(p, _)| p == path) || self.policies.iter().any(|p| p == path)
    }

    /// Only the selected files the version has: a configuration's explicit paths are kept
    /// by [`select`] whether or not they exist (so that a missing one is an error), which is
    /// wrong when the configuration is another version's.
    pub fn existing(mut self) -> Selection {
        let present: std::collections::HashSet<&str> = self.files.iter().map(String::as_str).collect();
        self.manifests.retain(|(p, _)| present.contains(p.as_str()));
        self.policies.retain(|p| present.contains(p.as_str()));
        self
    }

    /// Adds the files `other` selects (of the same version) that this one does not.
    pub fn widen(&mut self, other: Selection) {
        let known: std::collections::HashSet<String> =
            self.manifests.iter().map(|(p, _)| p.clone()).chain(self.policies.iter().cloned()).collect();
        self.manifests.extend(other.manifests.into_iter().filter(|(p, _)| !known.contains(p)));
        self.policies.extend(other.policies.into_iter().filter(|p| !known.contains(p)));
        self.manifests.sort();
        self.policies.sort();
    }
}

/// Whether a file name is a policy's: `privacy*`, `*privacy*`, `terms*` in Markdown, HTML or text.
pub fn is_policy_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    matches!(ext, "md" | "markdown" | "html" | "htm" | "txt")
        && (stem.contains("privacy")
            || stem == "terms"
            || stem.starts_with("terms-")
            || stem.starts_with("terms_")
            || stem == "tos")
}

/// The paths of `files` that a list of paths or globs names (a path not among the files is
/// kept: reading it then says it is missing).
pub fn matching(files: &[String], entries: &[String], exclude: &GlobSet) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for e in entries {
        let e = e.trim_start_matches("./");
        if e.contains(['*', '?', '[', '{']) {
            let g = glob(e)?;
            out.extend(files.iter().filter(|p| g.is_match(p.as_str()) && !exclude.is_match(p.as_str())).cloned());
        } else {
            out.push(e.to_string());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Chooses the manifests and policies of a version: the configured ones (paths or globs),
/// else the discovered ones; never an excluded file.
pub fn select(
    version: &dyn Version,
    config: &Config,
    config_path: Option<&str>,
    exclude: &GlobSet,
) -> Result<Selection, Error> {
    let files = version.files()?;
    let pick = |entries: &Option<Vec<String>>, key: &str, discovered: &dyn Fn(&str) -> bool| match entries {
        None => Ok(files.iter().filter(|p| discovered(p) && !exclude.is_match(p.as_str())).cloned().collect()),
        Some(entries) => matching(&files, entries, exclude).map_err(|m| config_error(config_path, key, m)),
    };
    let manifests = pick(&config.manifests, "manifests", &|p| Kind::of(p).is_some())?
        .into_iter()
        .map(|p| match Kind::of(&p) {
            Some(k) => Ok((p, k)),
            None => Err(config_error(
                config_path,
                "manifests",
                format!("`{p}` is not a manifest disclose reads ({})", Kind::NAMES),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let policies = pick(&config.policies, "policies", &is_policy_name)?;
    Ok(Selection { manifests, policies, files })
}

fn config_error(path: Option<&str>, key: &str, message: String) -> Error {
    Error::Config {
        path: path.unwrap_or("disclose.yaml").to_string(),
        line: None,
        column: None,
        message,
        help: Some(format!("fix the `{key}` list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names() {
        for yes in [
            "PRIVACY.md",
            "docs/privacy-policy.md",
            "legal/thunderbird_privacy_policy.md",
            "privacy.txt",
            "TERMS.md",
            "terms-of-service.markdown",
            "privacy.html",
            "public/Privacy-Policy.htm",
            "terms.html",
        ] {
            assert!(is_policy_name(yes), "{yes}");
        }
        for no in ["README.md", "ios/PrivacyInfo.xcprivacy", "privacy.js", "index.html", "termsheet.md", "CHANGELOG.md"]
        {
            assert!(!is_policy_name(no), "{no}");
        }
    }
}
