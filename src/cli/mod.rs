//! Command-line definitions (clap). Parsing only: `main` turns these into a run.

pub mod output;

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
    /// Print only findings (`scan`: only each policy's summary line).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also show, for each requested category, the sentence that discloses it (`scan`: every
    /// statement, not only the best one).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// The largest input file to read (bytes, or with K, M, G); a larger one is an error.
    #[arg(long, global = true, value_name = "SIZE", default_value = "10M", value_parser = crate::model::limits::parse_size)]
    pub max_file_size: u64,
    /// Threads that parse files [default: the number of cores, at most 8].
    #[arg(short, long, global = true, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

impl Cli {
    /// The file-size limit and thread count the command line asks for.
    pub fn limits(&self) -> crate::model::limits::Limits {
        crate::model::limits::Limits {
            max_file_size: self.max_file_size,
            jobs: self.jobs.unwrap_or_else(crate::model::limits::default_jobs),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two versions: fail when the new one requests data its policy does not disclose.
    Check(CheckArgs),
    /// Compare two versions of a policy: what changed for users, section by section.
    Diff(DiffArgs),
    /// Print a rule's documentation; without a rule, list every rule.
    Explain {
        /// The rule id, e.g. `undisclosed-collection`.
        rule: Option<String>,
    },
    /// List the data categories, their vocabulary, cross-walk ids and the permissions that grant them.
    Categories(CategoriesArgs),
    /// Show what policies disclose, deny and leave unsaid, category by category, with quotes.
    ///
    /// For each policy: the best sentence that discloses each category and the best one that
    /// denies it, the categories no statement covers ("not mentioned"), then the practices and
    /// user controls it states or denies (the first sentence of each). A statement is listed
    /// under the category it names: a disclosure of `location` is listed as `location`, and it
    /// covers `location.precise`, which is then not "not mentioned" (a disclosure of
    /// `location.precise` alone does not cover `location`). Quotes are shortened to fit a line;
    /// `-f json` has each whole sentence.
    ///
    /// `-q` prints only each policy's summary line; `-v` lists every statement, not only the
    /// best one per category and the first one per practice. `-f json` is the same for
    /// scripts: one object per policy (`path`, `disclosures`, `denials`, `unsaid`,
    /// `practices`, `controls`), several in `{"files": [...]}`.
    ///
    /// Exits 0 once every policy is read, whatever it says; 2 when one cannot be read or
    /// parsed (missing, a folder, over `--max-file-size`, binary or not UTF-8).
    Scan(ScanArgs),
    /// Write a commented disclose.yaml for this repository, listing what disclose found.
    Init(InitArgs),
    /// Print the effective configuration and where each value comes from.
    Config(ConfigArgs),
    /// Print a shell completion script: `disclose completions bash > ~/.local/share/bash-completion/completions/disclose`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `disclose man > disclose.1; man ./disclose.1`.
    Man {
        /// A subcommand's own page (`disclose-check(1)`) instead of the main one.
        subcommand: Option<String>,
    },
}

/// `disclose categories`.
#[derive(Debug, Args)]
pub struct CategoriesArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// A disclose.yaml whose `categories:` extend the list (default: the repository's own).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// `disclose scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The policies: files (Markdown, HTML or plain text, by extension), `REV:path` (read
    /// through git) or `-` (standard input, HTML when it opens like HTML, else Markdown).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Write the output to a file instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// A disclose.yaml whose `categories:` extend the taxonomy (default: the repository's own).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// `disclose init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Replace an existing disclose.yaml.
    #[arg(long)]
    pub force: bool,
    /// Print the file instead of writing it.
    #[arg(long)]
    pub stdout: bool,
}

/// `disclose config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The disclose.yaml to read (default: the repository's own).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Print the JSON Schema of disclose.yaml instead (for editors and CI validation).
    #[arg(long, conflicts_with_all = ["config", "format"])]
    pub schema: bool,
}

/// `--format` of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// For people.
    Human,
    /// JSON.
    Json,
}

/// `disclose check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Compare the merge base of REV and HEAD with the working tree (or --head).
    #[arg(long, value_name = "REV", conflicts_with_all = ["staged", "old", "new"])]
    pub base: Option<String>,
    /// Compare HEAD with the index: the change `git commit` would record (pre-commit hooks).
    #[arg(long, conflicts_with_all = ["base", "head", "old", "new"])]
    pub staged: bool,
    /// The new version is this revision instead of the working tree.
    #[arg(long, value_name = "REV", conflicts_with_all = ["staged", "old", "new"])]
    pub head: Option<String>,
    /// The old version: a folder (use with --new instead of git).
    #[arg(long, value_name = "DIR", requires = "new")]
    pub old: Option<PathBuf>,
    /// The new version: a folder (use with --old).
    #[arg(long, value_name = "DIR", requires = "old")]
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
    /// Also write FORMAT to PATH (repeatable), e.g. `--report sarif=disclose.sarif`.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub report: Vec<(FormatChoice, PathBuf)>,
    /// Fail (exit 1) on findings at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnChoice>,
    /// Leave out the findings recorded in this baseline file (see `--write-baseline`), and list
    /// its entries that no longer occur. In a git run it is a repository path, read from both
    /// versions: an entry only the change adds counts once it is on the base version.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record this run's findings in FILE (by fingerprint: rule, file, category, subject; never a
    /// line) and exit 0: adopt disclose on an app that already has findings, then check with
    /// `--baseline FILE`.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// JSON: list both versions' whole inventories (`old`, `new`) instead of what changed
    /// between them (`changes`).
    #[arg(long)]
    pub inventory: bool,
    /// Files that changed (from lint-staged or lefthook): disclose runs only when one of them
    /// is a manifest, a policy or disclose.yaml, and then checks the whole change.
    #[arg(value_name = "PATH", conflicts_with_all = ["old", "new"])]
    pub paths: Vec<PathBuf>,
}

/// `disclose diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old policy: a file, `REV:path` (read through git) or `-` (standard input).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new policy: a file, `REV:path` or `-`.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormatChoice::Human)]
    pub format: DiffFormatChoice,
    /// Write the output to a file instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Also write FORMAT to PATH (repeatable), e.g. `--report html=policy-change.html`.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_diff_report)]
    pub report: Vec<(DiffFormatChoice, PathBuf)>,
    /// Fail (exit 1) on findings at or above this level.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnChoice>,
}

/// `--format` of `disclose diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatChoice {
    /// A redline for the terminal: a summary, then each changed section.
    Human,
    /// The versioned JSON contract, with categories, practices and sections.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// A self-contained HTML report to share.
    Html,
}

impl From<DiffFormatChoice> for crate::report::Format {
    fn from(f: DiffFormatChoice) -> Self {
        use crate::report::Format;
        match f {
            DiffFormatChoice::Human => Format::Human,
            DiffFormatChoice::Json => Format::Json,
            DiffFormatChoice::Markdown => Format::Markdown,
            DiffFormatChoice::Html => Format::Html,
        }
    }
}

fn parse_diff_report(s: &str) -> Result<(DiffFormatChoice, PathBuf), String> {
    report_spec(s)
}

fn parse_report(s: &str) -> Result<(FormatChoice, PathBuf), String> {
    report_spec(s)
}

/// `FORMAT=PATH`, for any format enum.
fn report_spec<F: ValueEnum>(s: &str) -> Result<(F, PathBuf), String> {
    let (format, path) = s.split_once('=').ok_or_else(|| format!("expected FORMAT=PATH, got `{s}`"))?;
    let format = F::from_str(format, true).map_err(|_| {
        let names: Vec<String> = F::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        format!("unknown format `{format}` (expected one of {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((format, PathBuf::from(path)))
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal, unless NO_COLOR is set (CLICOLOR_FORCE or FORCE_COLOR forces it).
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
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// A self-contained HTML report: category matrix, findings and the policy redline.
    Html,
}

impl From<FormatChoice> for crate::report::Format {
    fn from(f: FormatChoice) -> Self {
        use crate::report::Format;
        match f {
            FormatChoice::Human => Format::Human,
            FormatChoice::Json => Format::Json,
            FormatChoice::Sarif => Format::Sarif,
            FormatChoice::Github => Format::Github,
            FormatChoice::Gitlab => Format::Gitlab,
            FormatChoice::Junit => Format::Junit,
            FormatChoice::Markdown => Format::Markdown,
            FormatChoice::Html => Format::Html,
        }
    }
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
