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
//! See: GitHub Docs, "Workflow commands for GitHub Actions"; the escaping is `@actions/core`'s
//! `escapeData` and `escapeProperty`.

use std::fmt::Write;

use super::Report;
use crate::finding::{Finding, Level};

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
    let mut props = vec![format!("file={}", property(&printable(&l.path)))];
    // A file without lines (a binary plist) gets a file-level annotation.
    if l.line > 0 {
        let column = l.column.max(1);
        props.push(format!("line={}", l.line));
        props.push(format!("col={column}"));
        props.push(format!("endColumn={}", column + l.width.max(1)));
    }
    props.push(format!("title={}", property(f.rule)));
    let mut message = f.message.clone();
    for r in &f.related {
        let at = if r.location.line == 0 {
            r.location.path.clone()
        } else {
            format!("{}:{}:{}", r.location.path, r.location.line, r.location.column)
        };
        message.push_str(&format!("\nalso: {} at {at}", r.label.trim_start_matches("also ")));
    }
    if let Some(policy) = &f.policy {
        message.push_str(&format!("\npolicy: {policy}"));
    }
    if let Some(reason) = &f.acknowledged {
        message.push_str(&format!("\nacknowledged ({}): {reason}", f.level));
    }
    message.push_str(&format!("\nhelp: {}", f.help));
    format!("::{name} {}::{}", props.join(","), data(&printable(&message)))
}

/// Drops control characters other than tab, CR and LF (which [`data`] escapes), so text from a
/// policy cannot put terminal escape sequences into the job log.
fn printable(s: &str) -> String {
    s.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\r' | '\n')).collect()
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
        assert_eq!(data(&printable("a\u{1b}[31mb\u{7}\tc\n")), "a[31mb\tc%0A");
    }
}
