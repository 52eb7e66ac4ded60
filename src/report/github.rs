//! `--format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the file and line of the pull request:
//! `::error file=PATH,line=L,col=C,endColumn=E,title=RULE::MESSAGE`.
//!
//! Levels map to `::error`, `::warning` and `::notice`; an acknowledged finding is a `::notice`
//! whatever its level, since it does not fail the run. The message carries the policy line
//! and the help on further lines. Nothing else is printed: the summary belongs to another
//! output (`markdown` for `$GITHUB_STEP_SUMMARY`). GitHub shows at most 10 annotations of each
//! level per step, so the full list belongs in SARIF or the step summary.
//!
//! Each piece that comes from an input (the message, which names permissions and paths; the
//! path; labels, the policy line, reasons, the help) goes through [`terminal`] first: its
//! control characters, including line breaks, are written `\n`, `\x1b`, and bidi or invisible
//! characters `<U+202E>`, so the annotation reads as the input is, and the only line breaks
//! left are the message's own, which [`data`] escapes as `%0A`. A command line is one line,
//! and the runner parses it as the command it starts with, so nothing inside it can be
//! another command.
//!
//! See: GitHub Docs, "Workflow commands for GitHub Actions"; the escaping is `@actions/core`'s
//! `escapeData` and `escapeProperty`.

use std::fmt::Write;

use super::Report;
use crate::model::escape::terminal;
use crate::model::finding::{Finding, Level};

/// Renders one workflow command per finding, each on its own line; nothing when there are no
/// findings.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(out, "{}", command(f));
    }
    out
}

fn command(f: &Finding) -> String {
    let name = match (f.level, &f.acknowledged) {
        (_, Some(_)) | (Level::Note, None) => "notice",
        (Level::Warning, None) => "warning",
        (Level::Error, None) => "error",
    };
    let l = &f.primary;
    let mut props = vec![format!("file={}", property(&terminal(&l.path)))];
    // A file without lines (a binary plist) gets a file-level annotation.
    if l.line > 0 {
        let column = l.column.max(1);
        props.push(format!("line={}", l.line));
        props.push(format!("col={column}"));
        props.push(format!("endColumn={}", column + l.width.max(1)));
    }
    props.push(format!("title={}", property(f.rule)));
    let mut message = terminal(&f.message).into_owned();
    for r in &f.related {
        let path = terminal(&r.location.path);
        let at = if r.location.line == 0 {
            path.into_owned()
        } else {
            format!("{path}:{}:{}", r.location.line, r.location.column)
        };
        message.push_str(&format!("\nalso: {} at {at}", terminal(r.label.trim_start_matches("also "))));
    }
    if let Some(policy) = &f.policy {
        message.push_str(&format!("\npolicy: {}", terminal(policy)));
    }
    if let Some(reason) = &f.acknowledged {
        message.push_str(&format!("\nacknowledged ({}): {}", f.level, terminal(reason)));
    }
    message.push_str(&format!("\nhelp: {}", terminal(&f.help)));
    format!("::{name} {}::{}", props.join(","), data(&message))
}

/// Escapes a command's message: `%`, CR and LF, as the runner's `escapeData` does.
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property value: like [`data`], plus `:` and `,`, which would end the
/// value, as the runner's `escapeProperty` does.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_the_runner() {
        assert_eq!(data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(property("ios/a,b:c/100%\n.plist"), "ios/a%2Cb%3Ac/100%25%0A.plist");
        // `%` first, so the escapes themselves are not escaped again.
        assert_eq!(property("%3A"), "%253A");
        // Input text is escaped before it is assembled: no escape code, no line break of its own.
        assert_eq!(data(&terminal("a\u{1b}[31mb\u{7}\tc\n\u{202E}")), "a\\x1b[31mb\\x07\\tc\\n<U+202E>");
    }
}
