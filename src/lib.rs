//! `disclose`: a diff linter for personal-data disclosures.
//!
//! Given two versions of an app (old and new), it finds the personal-data categories the
//! new permission manifests request, checks whether the privacy policy discloses them, and
//! reports what is not.
//!
//! The crate is six layers, each a folder (or file) here, and a module only ever uses the
//! layers below its own (`tests/layers.rs` fails the build otherwise; `docs/ARCHITECTURE.md`
//! draws them):
//!
//! 1. [`model`]: plain data and the vocabulary of the domain: errors, sources and locations,
//!    findings, the configuration's schema, the file names disclose reads;
//! 2. [`taxonomy`]: the policy data (`policies/*.yaml`), the categories and what names them;
//! 3. [`read`]: manifests and policies turned into entries and statements;
//! 4. [`engine`]: inventories, the comparison, the rules and the policy diff (pure);
//! 5. [`run`]: versions (folders, git), configuration validation, apps, the pipeline;
//! 6. [`report`] and [`cli`]: the renderers and the command line.
//!
//! Everything below [`run`] is pure: no files, no processes, no clock, no environment.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod model;

pub mod taxonomy;

pub mod read;

pub mod engine;

pub mod run;

pub mod cli;
pub mod report;

/// Exit code: no finding at or above the threshold.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the run could not finish (usage, configuration, input error).
pub const EXIT_ERROR: i32 = 2;
