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
use crate::taxonomy::{android_name, Taxonomy};

/// Whether a repository-relative path is a disclose.yaml (at any depth).
pub use crate::version::names::is_config_path;
/// The file names looked for in a version folder, in order.
pub use crate::version::names::CONFIG_FILES as FILE_NAMES;

/// Top-level keys.
pub const KEYS: &[&str] = &[
    "policies",
    "manifests",
    "exclude",
    "apps",
    "fail_on",
    "rules",
    "categories",
    "permissions",
    "collects",
    "acknowledge",
    "notice",
];

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
    /// Apps of a monorepo: which policies cover which manifests.
    #[serde(default)]
    pub apps: Vec<App>,
    /// Categories added to the taxonomy.
    #[serde(default)]
    pub categories: Vec<CustomCategory>,
    /// Categories collected without a manifest (web and backend apps).
    #[serde(default)]
    pub collects: Vec<String>,
    /// Reviewed findings: reported, not counted toward failure.
    #[serde(default)]
    pub acknowledge: Vec<Acknowledgement>,
}

/// One app of a monorepo (`apps:`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct App {
    /// Its name, for messages.
    pub name: String,
    /// Its manifests (paths or globs).
    #[serde(default)]
    pub manifests: Vec<String>,
    /// The policies that cover it (paths or globs).
    #[serde(default)]
    pub policies: Vec<String>,
    /// Categories it collects without a manifest.
    #[serde(default)]
    pub collects: Vec<String>,
}

/// A category added to the taxonomy (`categories:`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CustomCategory {
    /// Dotted id.
    pub id: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Lower-case noun phrase for messages (default: the id).
    pub label: Option<String>,
    /// Words and phrases that mention it in a policy.
    #[serde(default)]
    pub vocabulary: Vec<String>,
    /// Words that, next to a mention of the parent, narrow it to this category.
    #[serde(default)]
    pub qualifiers: Vec<String>,
}

/// A reviewed finding (`acknowledge:`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The rule id.
    pub rule: String,
    /// The category id.
    pub category: Option<String>,
    /// A glob the finding's file must match.
    pub path: Option<String>,
    /// The permission, key or practice (short Android names match full ones).
    pub subject: Option<String>,
    /// Why the finding is acceptable: required.
    pub reason: Option<String>,
    /// The last day it applies, `YYYY-MM-DD`.
    pub expires: Option<String>,
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
    /// Reviewed findings, validated.
    pub acknowledge: Vec<Ack>,
    /// Apps of a monorepo (empty: the repository is one app).
    pub apps: Vec<App>,
    /// Categories added to the taxonomy.
    pub categories: Vec<CustomCategory>,
}

/// A validated acknowledgement.
#[derive(Debug, Clone)]
pub struct Ack {
    /// The rule id.
    pub rule: String,
    /// The category id.
    pub category: Option<String>,
    /// The file glob.
    pub path: Option<globset::GlobMatcher>,
    /// The subject, short form.
    pub subject: Option<String>,
    /// Why.
    pub reason: String,
    /// The last day it applies.
    pub expires: Option<Date>,
    /// Where it is written: `disclose.yaml:12`.
    pub at: String,
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day, 1-31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let days_in = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in).contains(&day).then_some(Date { year, month, day })
    }

    /// The day `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            levels: Levels::new(),
            fail_on: Threshold::At(Level::Error),
            exclude: GlobSet::empty(),
            extra: Extra::new(),
            notice: Notice::default(),
            acknowledge: Vec::new(),
            apps: Vec::new(),
            categories: Vec::new(),
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
    if let Some(line) = too_deep(text) {
        return Err(Error::Config {
            path: path.to_string(),
            line: Some(line),
            column: None,
            message: format!("brackets nest more than {MAX_FLOW_DEPTH} levels deep"),
            help: Some("disclose.yaml nests a few levels; check that the file is the one you meant".into()),
        });
    }
    serde_yaml::from_str(text).map_err(|e| config_error(path, text, &e))
}

/// The deepest `[`/`{` nesting a disclose.yaml may have. The YAML parser's time grows with the
/// square of the nesting (100,000 levels take minutes), and a real file nests two or three.
const MAX_FLOW_DEPTH: usize = 64;

/// The line where `[`/`{` first nest deeper than [`MAX_FLOW_DEPTH`], if they do. Quoted text
/// and comments are skipped; a bracket inside a plain scalar can only make the count higher.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut line) = (0usize, None, 1);
    // The previous character, and the last one that was not a space on this line: a quote
    // opens a scalar only where a scalar can begin (`key: 'x'`, `- "x"`, `[x, 'y']`), so the
    // apostrophe in `reason: don't` is text.
    let (mut previous, mut last) = ('\n', '\n');
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(last, '\n' | ':' | '-' | '?' | '[' | '{' | ',') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => {
                // A comment: skip to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                (line, previous, last) = (line + 1, '\n', '\n');
                continue;
            }
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(line);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == '\n' {
            line += 1;
            last = '\n';
        } else if !c.is_whitespace() {
            last = c;
        }
        previous = c;
    }
    None
}

fn config_error(path: &str, text: &str, e: &serde_yaml::Error) -> Error {
    // The YAML parser puts the end of a file without a final newline one line past it.
    let last = text.split('\n').count();
    let (line, column) = e.location().map_or((None, None), |l| (Some(l.line().min(last)), Some(l.column())));
    let text = e.to_string();
    let base =
        |message: String, help: Option<String>| Error::Config { path: path.to_string(), line, column, message, help };
    // Nested keys carry their place first: "acknowledge[0]: unknown field `reasn`, ...".
    if let Some(rest) = text.split_once("unknown field `").map(|(_, rest)| rest) {
        let key = rest.split('`').next().unwrap_or("");
        // serde names the keys valid at that place: "expected one of `a`, `b`".
        let valid: Vec<&str> =
            rest.split_once("expected").map_or(Vec::new(), |(_, list)| list.split('`').skip(1).step_by(2).collect());
        let valid = if valid.is_empty() { KEYS.to_vec() } else { valid };
        let help = match nearest(key, valid.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? valid keys here: {}", valid.join(", ")),
            None => format!("valid keys here: {}", valid.join(", ")),
        };
        return base(format!("unknown key `{key}`"), Some(help));
    }
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    base(message, Some("see the Configuration section of the README".into()))
}

/// The line of `text` where `key:` first appears, for errors about values serde accepted.
pub(crate) fn line_of(text: &str, key: &str) -> Option<usize> {
    let code = |l: &&str| !l.trim_start().starts_with('#');
    let lines = || text.lines().enumerate().filter(|(_, l)| code(l));
    lines()
        .find(|(_, l)| l.contains(&format!("{key}:")) || l.contains(&format!("\"{key}\"")))
        // A value rather than a key: `collects: [acount.email]`.
        .or_else(|| lines().find(|(_, l)| l.contains(key)))
        .map(|(i, _)| i + 1)
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
            return Err(err(id, format!("unknown rule `{id}` under `rules`"), rules::unknown_rule_help(id)));
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
            let key = format!("permissions.{name}");
            cats.push(category_id(t, id, &key).map_err(|(m, h)| err(id, m, h))?);
        }
        extra.insert(android_name(name), cats);
    }
    for id in config.collects.iter().chain(config.apps.iter().flat_map(|a| &a.collects)) {
        category_id(t, id, "collects").map_err(|(m, h)| err(id, m, h))?;
    }
    let mut names = std::collections::BTreeSet::new();
    for app in &config.apps {
        if !names.insert(app.name.as_str()) {
            return Err(err(
                &app.name,
                format!("two apps are named `{}`", app.name),
                "give each app its own name".into(),
            ));
        }
        if app.manifests.is_empty() && app.collects.is_empty() {
            return Err(err(
                &app.name,
                format!("app `{}` lists no manifests and collects nothing", app.name),
                "add `manifests:` (paths or globs) or `collects:` (category ids)".into(),
            ));
        }
        for g in app.manifests.iter().chain(&app.policies) {
            glob_of(g).map_err(|m| err(g, m, "use globs such as `apps/mobile/**`".into()))?;
        }
    }
    let mut acknowledge = Vec::new();
    for (i, a) in config.acknowledge.iter().enumerate() {
        let line = item_line(text, "acknowledge", i);
        let at = |message: String, help: &str| Error::Config {
            path: path.to_string(),
            line,
            column: None,
            message,
            help: Some(help.to_string()),
        };
        if rules::rule(&a.rule).is_none() {
            let help = rules::unknown_rule_help(&a.rule);
            return Err(at(format!("unknown rule `{}` in an acknowledgement", a.rule), &help));
        }
        let reason = a.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
            at(
                format!("the acknowledgement of `{}` has no reason", a.rule),
                "add `reason:` saying why the finding is acceptable and who decided (a ticket id helps)",
            )
        })?;
        if a.category.is_none() && a.subject.is_none() && a.path.is_none() {
            return Err(at(
                format!("the acknowledgement of `{}` names no category, subject or path", a.rule),
                "narrow it to the finding it covers (`category:`, `subject:` or `path:`); to silence a rule, set it to `off` under `rules:`",
            ));
        }
        if let Some(id) = &a.category {
            category_id(t, id, "acknowledge").map_err(|(m, h)| at(m, &h))?;
        }
        let expires = match &a.expires {
            None => None,
            Some(d) => Some(Date::parse(d).ok_or_else(|| {
                at(format!("`expires: {d}` is not a date"), "write the last day it applies as YYYY-MM-DD")
            })?),
        };
        let path_glob = match &a.path {
            None => None,
            Some(g) => Some(glob(g).map_err(|m| at(m, "use globs such as `android/**`"))?),
        };
        acknowledge.push(Ack {
            rule: a.rule.clone(),
            category: a.category.clone(),
            path: path_glob,
            subject: a.subject.as_deref().map(|s| crate::inventory::short_subject(s.trim()).to_string()),
            reason: reason.to_string(),
            expires,
            at: match line {
                Some(l) => format!("{path}:{l}"),
                None => path.to_string(),
            },
        });
    }
    Ok(Settings {
        levels,
        fail_on,
        exclude,
        extra,
        notice: config.notice.clone(),
        acknowledge,
        apps: config.apps.clone(),
        categories: config.categories.clone(),
    })
}

/// A category id, or an error message and help naming the nearest one.
fn category_id(t: &Taxonomy, id: &str, key: &str) -> Result<crate::taxonomy::CategoryId, (String, String)> {
    t.id(id).ok_or_else(|| {
        let help = match nearest(id, t.categories.iter().map(|c| c.id.as_str())) {
            Some(n) => format!("did you mean `{n}`? `disclose categories` lists every id"),
            None => "`disclose categories` lists every id".to_string(),
        };
        (format!("unknown category `{id}` under `{key}`"), help)
    })
}

/// The line of the `index`-th item of the top-level list `key`.
fn item_line(text: &str, key: &str, index: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(&format!("{key}:")))?;
    lines[start + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '-', '#']))
        .filter(|(_, l)| l.trim_start().starts_with("- "))
        .filter(|(_, l)| {
            // Items of this list, not of a nested one: the least indented dashes.
            let indent = l.len() - l.trim_start().len();
            indent <= 2
        })
        .nth(index)
        .map(|(i, _)| start + 2 + i)
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
    #[test]
    fn deep_brackets_are_an_error_before_the_yaml_parser_sees_them() {
        let deep = format!("policies: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = super::parse("disclose.yaml", &deep).unwrap_err().to_string();
        assert_eq!(e, "disclose.yaml:1: brackets nest more than 64 levels deep");
        // Brackets in quotes and comments do not count; an apostrophe in plain text opens no quote.
        let fine = format!(
            "# {}\npolicies: ['{}', \"{}\"]\nacknowledge:\n  - rule: x\n    category: location.precise\n    reason: we don't {}\n",
            "[".repeat(100),
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(10)
        );
        assert_eq!(super::too_deep(&fine), None);
        let sneaky = format!("exclude: [don't\npolicies: {}", "[".repeat(100));
        assert_eq!(super::too_deep(&sneaky), Some(2));
    }

    #[test]
    fn alias_bombs_are_errors() {
        let mut text = String::from(
            "permissions:\n  A: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            text.push_str(&format!(
                "  {}: &{} [{}]\n",
                w[1].to_uppercase(),
                w[1],
                vec![format!("*{}", w[0]); 9].join(", ")
            ));
        }
        assert!(super::parse("disclose.yaml", &text).is_err());
    }

    use super::*;

    #[test]
    fn unknown_keys_name_the_line_and_the_nearest_key() {
        let e = parse("disclose.yaml", "# config\npolices: [a.md]\n").unwrap_err();
        assert_eq!(e.to_string(), "disclose.yaml:2:1: unknown key `polices`");
        assert!(e.help().unwrap().starts_with("did you mean `policies`?"));
        let e =
            parse("disclose.yaml", "acknowledge:\n  - rule: undisclosed-collection\n    reasn: beta\n").unwrap_err();
        assert_eq!(e.to_string(), "disclose.yaml:3:5: unknown key `reasn`");
        assert!(e.help().unwrap().starts_with("did you mean `reason`?"), "{:?}", e.help());
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
