//! The configuration file's schema (what one `disclose.yaml` says, [`Config`]) and the
//! settings a run uses ([`Settings`]), as plain data. Reading and validating the file is
//! `run::config`, above the rule catalog and the taxonomy it checks names against; everything
//! below takes these types as data.

use std::collections::BTreeMap;

use globset::GlobSet;

use crate::model::finding::{Level, Threshold};

/// A category's index in a taxonomy (`taxonomy::Taxonomy::category`).
pub type CategoryId = usize;

/// Configured levels: rule id -> level, or `None` for off.
pub type Levels = BTreeMap<String, Option<Level>>;

/// Permission mappings from configuration: permission name -> categories.
pub type Extra = BTreeMap<String, Vec<CategoryId>>;

/// Top-level keys.
pub const KEYS: &[&str] = &[
    "policies",
    "manifests",
    "exclude",
    "rules",
    "fail_on",
    "permissions",
    "notice",
    "apps",
    "categories",
    "collects",
    "acknowledge",
];

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Policy files (paths or globs, relative to the version root).
    pub policies: Option<Vec<String>>,
    /// Manifest files (paths or globs).
    pub manifests: Option<Vec<String>>,
    /// Globs of files never read.
    pub exclude: Vec<String>,
    /// Rule levels.
    pub rules: BTreeMap<String, RuleLevel>,
    /// The failure threshold.
    pub fail_on: Option<FailOn>,
    /// Extra permission mappings: name -> category ids (`[]`: no personal data).
    pub permissions: BTreeMap<String, Vec<String>>,
    /// How a policy change must be announced.
    pub notice: Notice,
    /// Apps of a monorepo: which policies cover which manifests.
    pub apps: Vec<App>,
    /// Categories added to the taxonomy.
    pub categories: Vec<CustomCategory>,
    /// Categories collected without a manifest (web and backend apps).
    pub collects: Vec<String>,
    /// Reviewed findings: reported, not counted toward failure.
    pub acknowledge: Vec<Acknowledgement>,
}

/// One app of a monorepo (`apps:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct App {
    /// Its name, for messages.
    pub name: String,
    /// Its manifests (paths or globs).
    pub manifests: Vec<String>,
    /// The policies that cover it (paths or globs).
    pub policies: Vec<String>,
    /// Categories it collects without a manifest.
    pub collects: Vec<String>,
}

/// A category added to the taxonomy (`categories:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomCategory {
    /// Dotted id.
    pub id: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Lower-case noun phrase for messages (default: the id).
    pub label: Option<String>,
    /// Words and phrases that mention it in a policy.
    pub vocabulary: Vec<String>,
    /// Words that, next to a mention of the parent, narrow it to this category.
    pub qualifiers: Vec<String>,
}

/// A reviewed finding (`acknowledge:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    /// `required` (the default): a new date line (or a change-log entry) announces a change;
    /// `optional`: only a change-log entry does, and without a change log nothing is required.
    pub date: DateRule,
    /// A change-log file (repository path) whose new entries announce a change.
    pub changelog: Option<String>,
}

/// `notice.date`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
