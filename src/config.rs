//! `disclose.yaml`: schema, validation and the settings a run uses.
//!
//! In: the text of a config file (found by `app`, which owns file access). Out: a [`Config`]
//! (what one version's file says) and [`Settings`] (rule levels, threshold, exclusions and
//! permission mappings, from the new version's file or `--config`). Unknown keys are errors
//! with the line and the nearest valid key.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::Error;
use crate::finding::{Level, Threshold};
use crate::inventory::Extra;
use crate::rules::{self, Levels};
use crate::suggest::nearest;
use crate::taxonomy::{Taxonomy, ANDROID_PREFIX};

/// The file names looked for in a version folder, in order.
pub const FILE_NAMES: &[&str] = &["disclose.yaml", ".disclose.yaml"];

/// Whether a repository-relative path is a disclose.yaml (at any depth).
pub fn is_config_path(path: &str) -> bool {
    FILE_NAMES.iter().any(|n| path == *n || path.ends_with(&format!("/{n}")))
}

/// Keys this version reads.
const KEYS: &[&str] = &["policies", "manifests", "exclude", "rules", "fail_on", "permissions", "notice"];
/// Keys of the design that later versions read; named in the error so users know why.
const PLANNED: &[&str] = &["apps", "categories", "collects", "acknowledge"];

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Reported as a note.
    Note,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

/// The `fail_on` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Note,
    /// Never fail.
    Never,
}

/// What one `disclose.yaml` says.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Policy files (paths or globs, relative to the version root).
    pub policies: Option<Vec<String>>,
    /// Manifest files (paths or globs).
    pub manifests: Option<Vec<String>>,
    /// Globs of files never read.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule levels.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// The failure threshold.
    pub fail_on: Option<FailOn>,
    /// Extra permission mappings: name -> category ids (`[]`: no personal data).
    #[serde(default)]
    pub permissions: BTreeMap<String, Vec<String>>,
    /// How a policy change must be announced.
    #[serde(default)]
    pub notice: Notice,
}

/// `notice:`: what announces a change in what the policy tells users.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// `required` (the default): a new date line (or a change-log entry) announces a change;
    /// `optional`: only a change-log entry does, and without a change log nothing is required.
    #[serde(default)]
    pub date: DateRule,
    /// A change-log file (repository path) whose new entries announce a change.
    pub changelog: Option<String>,
}

/// `notice.date`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateRule {
    /// The date line must change with the policy.
    #[default]
    Required,
    /// The date line need not change.
    Optional,
}

/// Settings for a run, resolved and validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Rule levels (`None`: off).
    pub levels: Levels,
    /// The failure threshold.
    pub fail_on: Threshold,
    /// Files never read.
    pub exclude: GlobSet,
    /// Permission mappings.
    pub extra: Extra,
    /// How a policy change must be announced.
    pub notice: Notice,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            levels: Levels::new(),
            fail_on: Threshold::At(Level::Error),
            exclude: GlobSet::empty(),
            extra: Extra::new(),
            notice: Notice::default(),
        }
    }
}

/// Parses a config file's text; `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Config, Error> {
    let meaningful = text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#') && l != "---"
    });
    if !meaningful {
        return Ok(Config::default());
    }
    serde_yaml::from_str(text).map_err(|e| config_error(path, &e))
}

fn config_error(path: &str, e: &serde_yaml::Error) -> Error {
    let (line, column) = e.location().map_or((None, None), |l| (Some(l.line()), Some(l.column())));
    let text = e.to_string();
    let base =
        |message: String, help: Option<String>| Error::Config { path: path.to_string(), line, column, message, help };
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        if PLANNED.contains(&key) {
            return base(
                format!("`{key}` is not supported by this version of disclose"),
                Some(format!("remove `{key}`; this version reads: {}", KEYS.join(", "))),
            );
        }
        let help = match nearest(key, KEYS.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? valid keys: {}", KEYS.join(", ")),
            None => format!("valid keys: {}", KEYS.join(", ")),
        };
        return base(format!("unknown key `{key}`"), Some(help));
    }
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    base(message, Some("see the Configuration section of the README".into()))
}

/// The line of `text` where `key:` first appears, for errors about values serde accepted.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(&format!("{key}:")) || l.contains(&format!("\"{key}\""))).map(|i| i + 1)
}

/// Resolves settings from a config (the new version's, or `--config`).
pub fn settings(path: &str, text: &str, config: &Config, t: &Taxonomy) -> Result<Settings, Error> {
    let err = |key: &str, message: String, help: String| Error::Config {
        path: path.to_string(),
        line: line_of(text, key),
        column: None,
        message,
        help: Some(help),
    };
    let mut levels = Levels::new();
    for (id, level) in &config.rules {
        if rules::rule(id).is_none() {
            let ids = rules::catalog().iter().map(|r| r.id.as_str());
            let help = match nearest(id, ids) {
                Some(n) => format!("did you mean `{n}`? `disclose explain` lists every rule"),
                None => "`disclose explain` lists every rule".to_string(),
            };
            return Err(err(id, format!("unknown rule `{id}` under `rules`"), help));
        }
        let l = match level {
            RuleLevel::Off => None,
            RuleLevel::Note => Some(Level::Note),
            RuleLevel::Warning => Some(Level::Warning),
            RuleLevel::Error => Some(Level::Error),
        };
        levels.insert(id.clone(), l);
    }
    let fail_on = match config.fail_on {
        None | Some(FailOn::Error) => Threshold::At(Level::Error),
        Some(FailOn::Warning) => Threshold::At(Level::Warning),
        Some(FailOn::Note) => Threshold::At(Level::Note),
        Some(FailOn::Never) => Threshold::Never,
    };
    let mut builder = GlobSetBuilder::new();
    for g in &config.exclude {
        builder.add(glob_of(g).map_err(|m| err(g, m, "use globs such as `**/build/**` or `legacy/*.md`".into()))?);
    }
    let exclude = builder.build().map_err(|e| err("exclude", format!("invalid exclude globs: {e}"), String::new()))?;
    let mut extra = Extra::new();
    for (name, ids) in &config.permissions {
        let mut cats = Vec::new();
        for id in ids {
            let Some(c) = t.id(id) else {
                let help = match nearest(id, t.categories.iter().map(|c| c.id.as_str())) {
                    Some(n) => format!("did you mean `{n}`? `disclose categories` lists every id"),
                    None => "`disclose categories` lists every id".to_string(),
                };
                return Err(err(id, format!("unknown category `{id}` for permission `{name}`"), help));
            };
            cats.push(c);
        }
        let full = if name.contains('.') { name.clone() } else { format!("{ANDROID_PREFIX}{name}") };
        extra.insert(full, cats);
    }
    Ok(Settings { levels, fail_on, exclude, extra, notice: config.notice.clone() })
}

/// A glob that matches paths relative to a version root, `/` separated.
pub(crate) fn glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    glob_of(pattern).map(|g| g.compile_matcher())
}

fn glob_of(pattern: &str) -> Result<Glob, String> {
    globset::GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_line_and_the_nearest_key() {
        let e = parse("disclose.yaml", "# config\npolices: [a.md]\n").unwrap_err();
        assert_eq!(e.to_string(), "disclose.yaml:2:1: unknown key `polices`");
        assert!(e.help().unwrap().starts_with("did you mean `policies`?"));
        let e = parse("disclose.yaml", "apps: []\n").unwrap_err();
        assert!(e.to_string().contains("not supported by this version"), "{e}");
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        assert!(parse("d", "").unwrap().policies.is_none());
        assert!(parse("d", "# nothing\n---\n").unwrap().policies.is_none());
    }

    #[test]
    fn bad_levels_and_rules_are_errors() {
        let e = parse("d", "rules:\n  undisclosed-collection: loud\n").unwrap_err().to_string();
        assert!(e.starts_with("d:2:"), "{e}");
        let c = parse("d", "rules:\n  undisclosed-colection: off\n").unwrap();
        let e = settings("d", "rules:\n  undisclosed-colection: off\n", &c, Taxonomy::builtin()).unwrap_err();
        assert_eq!(e.to_string(), "d:2: unknown rule `undisclosed-colection` under `rules`");
        assert!(e.help().unwrap().contains("undisclosed-collection"));
    }
}
