//! `disclose`: a diff linter for personal-data disclosures.
//!
//! Given two versions of an app (old and new), it finds the personal-data categories the
//! new permission manifests request, checks whether the privacy policy discloses them, and
//! reports what is not. The pipeline is load → parse → classify → compare → rules → report;
//! [`app`] connects the stages, and everything but `app` and `version` is pure.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app;
pub mod apps;
pub mod baseline;
pub mod cli;
pub mod compare;
pub mod config;
pub mod diff;
pub mod effective;
pub mod error;
pub mod escape;
pub mod finding;
pub mod gate;
pub mod init;
pub mod inventory;
pub mod limits;
pub mod manifest;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod report;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod taxonomy;
pub mod version;
pub mod yaml;

/// Exit code: no finding at or above the threshold.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the run could not finish (usage, configuration, input error).
pub const EXIT_ERROR: i32 = 2;
