//! Where a version's files come from. A [`Version`] lists paths and reads bytes; this
//! release reads folders. Which of the files are manifests and policies is decided by
//! [`select`], from the version's own `disclose.yaml` or by name.

mod folder;
pub mod git;

pub mod resolve;

pub use crate::model::names::is_policy_name;
pub use folder::Folder;

use globset::GlobSet;

use crate::model::error::Error;
use crate::model::settings::Config;
use crate::model::settings::Settings;
use crate::read::manifest::Kind;
use crate::run::config::{glob, ConfigFile};

/// A set of files: a folder today; a git revision or the index later.
pub trait Version {
    /// How to name the version in messages.
    fn label(&self) -> String;
    /// Every file, as a `/`-separated path relative to the root, sorted; skips build output,
    /// dependencies and VCS folders.
    fn files(&self) -> Result<Vec<String>, Error>;
    /// [`files`](Self::files), and the entries that are there but are not read: links that
    /// are not followed, pipes and devices, submodules, folders where a file is expected.
    fn listing(&self) -> Result<(Vec<String>, Vec<Unread>), Error> {
        Ok((self.files()?, Vec::new()))
    }
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
    /// The id of a file's content, when the version knows it without reading the file (git's
    /// blob id): two files with the same id have the same bytes. `None` for folders.
    fn blob_id(&self, _path: &str) -> Option<String> {
        None
    }
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

use crate::model::unread::{what, Unread};

/// The files that make one version: its manifests and its policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Manifests with their format.
    pub manifests: Vec<(String, Kind)>,
    /// Policies.
    pub policies: Vec<String>,
    /// Every file of the version (for the policies of `apps:`).
    pub files: Vec<String>,
    /// Entries that are there and not read, not excluded, that are named like a manifest or a
    /// policy (or as disclose.yaml lists them), or that may be folders: see [`Selection::unread`].
    pub candidates: Vec<Candidate>,
}

/// An unread entry, and whether it is named like an input (or as disclose.yaml lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The entry.
    pub unread: Unread,
    /// Named like a manifest or a policy, or matched by `manifests:` / `policies:`.
    pub named: bool,
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

    /// Whether a selected file is `path` or lies under it.
    pub fn reads_at(&self, path: &str) -> bool {
        let at = |p: &str| p == path || p.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'));
        self.manifests.iter().any(|(p, _)| at(p)) || self.policies.iter().any(|p| at(p))
    }

    /// The entries of this version that are there and not read and that matter: those named
    /// like a manifest or policy, and folders (linked, or submodules) where `other` (the other
    /// version) reads a manifest or policy, or that are a Gradle module's source set
    /// (`app/src/main`, where Gradle looks for `AndroidManifest.xml`).
    pub fn unread(&self, other: &Selection) -> Vec<Unread> {
        self.candidates
            .iter()
            .filter(|c| c.named || other.reads_at(&c.unread.path) || source_set(&c.unread.path, &self.files))
            .map(|c| c.unread.clone())
            .collect()
    }
}

/// Whether `path` is a source set of a Gradle module of `files`: `M/src/S` with
/// `M/build.gradle` or `M/build.gradle.kts`.
fn source_set(path: &str, files: &[String]) -> bool {
    let mut parts = path.rsplitn(3, '/');
    let (Some(_set), Some("src")) = (parts.next(), parts.next()) else { return false };
    let module = parts.next().map_or(String::new(), |m| format!("{m}/"));
    ["build.gradle", "build.gradle.kts"].iter().any(|b| files.binary_search(&format!("{module}{b}")).is_ok())
}

/// Folders named like a manifest or a policy that hold `files` (a folder `AndroidManifest.xml/`).
pub fn named_folders(files: &[String]) -> Vec<Unread> {
    let mut out = std::collections::BTreeSet::new();
    for f in files {
        for (i, _) in f.match_indices('/') {
            let folder = &f[..i];
            // Every manifest and policy name has a dot: most folders are out at once.
            if folder.rsplit('/').next().is_some_and(|n| n.contains('.')) && named_like_input(folder) {
                out.insert(folder.to_string());
            }
        }
    }
    out.into_iter().map(|path| Unread { path, what: what::FOLDER.into(), folder: false }).collect()
}

/// Whether a path is named like a manifest or a policy ([`names`] has the names).
pub fn named_like_input(path: &str) -> bool {
    Kind::of(path).is_some() || is_policy_name(path)
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
    let (files, unread) = version.listing()?;
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
    // What disclose.yaml lists, as globs, so an unread entry it names is reported too.
    let listed = config.manifests.iter().chain(&config.policies).flatten();
    let listed: Vec<globset::GlobMatcher> = listed.filter_map(|e| glob(e).ok()).collect();
    let candidates = unread
        .into_iter()
        .filter(|u| !exclude.is_match(u.path.as_str()))
        .map(|u| Candidate {
            named: named_like_input(&u.path) || listed.iter().any(|g| g.is_match(&u.path)),
            unread: u,
        })
        .filter(|c| c.named || c.unread.folder)
        .collect();
    Ok(Selection { manifests, policies, files, candidates })
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

/// The files of one version to read: from its own config (or `--config`), else discovered.
pub fn choose(version: &dyn Version, own: Option<&ConfigFile>, settings: &Settings) -> Result<Selection, Error> {
    let mut selection = match own {
        Some(c) => select(version, &c.config, Some(&c.label), &settings.exclude)?,
        None => select(version, &Config::default(), None, &settings.exclude)?,
    };
    // The policies of `apps:` are read even when their names are not a policy's.
    for app in &settings.apps {
        let found = crate::run::version::matching(&selection.files, &app.policies, &settings.exclude).map_err(|m| {
            Error::Config { path: "disclose.yaml".into(), line: None, column: None, message: m, help: None }
        })?;
        selection.policies.extend(found.into_iter().filter(|p| selection.files.contains(p)));
    }
    selection.policies.sort();
    selection.policies.dedup();
    Ok(selection)
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
