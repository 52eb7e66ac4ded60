//! Command-line definitions (clap). Parsing only: `main` turns these into a run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Fails the build when an app asks for personal data its privacy policy does not disclose.
#[derive(Debug, Parser)]
#[command(name = "disclose", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only findings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also show, for each requested category, the sentence that discloses it.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two versions: fail when the new one requests data its policy does not disclose.
    Check(CheckArgs),
    /// Print a rule's documentation; without a rule, list every rule.
    Explain {
        /// The rule id, e.g. `undisclosed-collection`.
        rule: Option<String>,
    },
    /// List the data categories, their vocabulary and cross-walk ids.
    Categories,
}

/// `disclose check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The old version: a folder (e.g. the base branch checked out).
    #[arg(long, value_name = "DIR")]
    pub old: Option<PathBuf>,
    /// The new version: a folder.
    #[arg(long, value_name = "DIR")]
    pub new: Option<PathBuf>,
    /// Settings for the run, instead of the new version's own disclose.yaml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatChoice::Human)]
    pub format: FormatChoice,
    /// Write the output to a file instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Fail (exit 1) on findings at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnChoice>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    /// rustc-like diagnostics.
    Human,
    /// The versioned JSON contract.
    Json,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnChoice {
    /// Errors fail the run (the default).
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Any finding fails the run.
    Note,
    /// Nothing fails the run.
    Never,
}
