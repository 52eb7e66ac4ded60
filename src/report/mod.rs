//! Rendering a [`Report`]: one module per output format, each a pure function of the report
//! (and, for the terminal, a [`Palette`]), so tests get the same bytes on every machine.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod explain;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod redline;
pub mod sarif;
pub mod scan;

use owo_colors::Style;

use crate::model::finding::Level;
pub use crate::run::outcome::{Command, Report};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-like diagnostics for people.
    Human,
    /// The versioned JSON contract.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
    /// JUnit XML: one test case per finding.
    Junit,
    /// GitHub-flavoured Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// A self-contained HTML page for legal review.
    Html,
}

/// Renders the report in `format`. Only the human format reads the palette and verbosity;
/// every other format is the same bytes whatever the terminal.
///
/// Each renderer escapes the input-derived text it quotes ([`escape`]); the text formats are
/// then made safe as a whole for a GitHub Actions log ([`escape::workflow_safe`]). JSON
/// formats get the same from their writer, and `github` is workflow commands by design.
pub fn render(report: &Report, format: Format, palette: &Palette, verbosity: human::Verbosity) -> String {
    let text = match format {
        Format::Human if report.command == Command::Diff => redline::render(report, palette, verbosity),
        Format::Human => human::render(report, palette, verbosity),
        Format::Json => return json::render(report),
        Format::Sarif => return sarif::render(report),
        Format::Github => return github::render(report),
        Format::Gitlab => return gitlab::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    };
    crate::model::escape::workflow_safe(&text).into_owned()
}

/// Writes the report in `format` to `out`. JSON is streamed; the other formats are rendered
/// first (they are small: findings, not every sentence).
pub fn write(
    report: &Report,
    format: Format,
    palette: &Palette,
    verbosity: human::Verbosity,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        _ => out.write_all(render(report, format, palette, verbosity).as_bytes()),
    }
}

/// Terminal styles, chosen once in `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Palette {
    /// `error` and its markers.
    pub error: Style,
    /// `warning` and its markers.
    pub warning: Style,
    /// `note` and its markers.
    pub note: Style,
    /// Messages and headings.
    pub bold: Style,
    /// The gutter and arrows.
    pub gutter: Style,
    /// `help:` labels.
    pub help: Style,
    /// Quoted policy text and secondary detail.
    pub dim: Style,
    /// Categories that are disclosed.
    pub good: Style,
    /// Redline: a sentence only in the new version.
    pub added: Style,
    /// Redline: a sentence only in the old version.
    pub removed: Style,
    /// Redline: words added inside a reworded sentence.
    pub added_words: Style,
    /// Redline: words removed inside a reworded sentence.
    pub removed_words: Style,
    /// No colour: the redline marks changed words as `[-old-]{+new+}` instead.
    pub marks: bool,
}

impl Palette {
    /// No escape codes at all.
    pub fn plain() -> Palette {
        Palette { marks: true, ..Palette::default() }
    }

    /// The colours of rustc's diagnostics.
    pub fn color() -> Palette {
        Palette {
            error: Style::new().red().bold(),
            warning: Style::new().yellow().bold(),
            note: Style::new().cyan().bold(),
            bold: Style::new().bold(),
            gutter: Style::new().blue().bold(),
            help: Style::new().cyan().bold(),
            dim: Style::new().dimmed(),
            good: Style::new().green(),
            added: Style::new().green(),
            removed: Style::new().red(),
            added_words: Style::new().green().bold().underline(),
            removed_words: Style::new().red().strikethrough(),
            marks: false,
        }
    }

    /// The style of a level.
    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::Error => self.error,
            Level::Warning => self.warning,
            Level::Note => self.note,
        }
    }
}
