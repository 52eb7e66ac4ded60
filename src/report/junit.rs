//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab's
//! `artifacts: reports: junit:`, Jenkins, Azure Pipelines).
//!
//! One `<testsuite name="disclose">` holds one `<testcase>` per finding, named
//! `disclose.<rule>` / `<path>:<line>:<col> <category or subject>`. A finding at or above the
//! failure threshold is a `<failure>` whose body is its policy line and help; a finding below
//! it passes and says what it found in `<system-out>`; an acknowledged finding is `<skipped>`.
//! With no findings there is one passing `no findings` case, so the run still shows. There is
//! no formal JUnit schema for linters; this follows the attributes Jenkins' and GitLab's
//! parsers read.
//!
//! The XML is written by hand: [`escape`] covers the five special characters, and every
//! value is display text first made visible ([`visible`]: control characters as `\x1b`, bidi
//! and invisible characters as `<U+202E>`), so a control byte in a policy can neither break
//! the document nor reach a viewer; characters XML 1.0 forbids that are left are dropped.
//! HTML uses the same functions.

use std::fmt::Write;

use super::Report;
use crate::model::escape::visible;
use crate::model::finding::Finding;

/// Renders the report as a JUnit XML document with a trailing newline.
pub fn render(report: &Report) -> String {
    let failing = |f: &Finding| f.acknowledged.is_none() && report.fail_on.fails(f.level);
    let tests = report.findings.len().max(1);
    let failures = report.findings.iter().filter(|f| failing(f)).count();
    let skipped = report.findings.iter().filter(|f| f.acknowledged.is_some()).count();
    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\"");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"disclose\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"disclose\" {counts}>");
    if report.findings.is_empty() {
        out.push_str("    <testcase classname=\"disclose\" name=\"no findings\"/>\n");
    }
    for f in &report.findings {
        testcase(&mut out, f, failing(f));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn testcase(out: &mut String, f: &Finding, failing: bool) {
    let l = &f.primary;
    let place = if l.line == 0 { l.path.clone() } else { format!("{}:{}:{}", l.path, l.line, l.column) };
    let what = f.category.as_deref().or(f.subject.as_deref()).unwrap_or(f.rule);
    let _ = write!(
        out,
        "    <testcase classname=\"disclose.{}\" name=\"{}\" file=\"{}\"",
        escape(f.rule),
        escape(&format!("{place} {what}")),
        escape(&l.path)
    );
    if l.line > 0 {
        let _ = write!(out, " line=\"{}\"", l.line);
    }
    out.push_str(">\n");
    let details = details(f);
    if let Some(reason) = &f.acknowledged {
        let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&format!("acknowledged: {reason}")));
        let _ =
            writeln!(out, "      <system-out>{}</system-out>", text(&format!("{}: {}\n{details}", f.level, f.message)));
    } else if failing {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            escape(f.rule),
            escape(&f.message),
            text(&details)
        );
    } else {
        let _ =
            writeln!(out, "      <system-out>{}</system-out>", text(&format!("{}: {}\n{details}", f.level, f.message)));
    }
    out.push_str("    </testcase>\n");
}

/// The lines that explain a finding: other places, the policy line, the help.
fn details(f: &Finding) -> String {
    let mut lines = Vec::new();
    for r in &f.related {
        let at = if r.location.line == 0 {
            r.location.path.clone()
        } else {
            format!("{}:{}:{}", r.location.path, r.location.line, r.location.column)
        };
        lines.push(format!("also: {} at {at}", r.label.trim_start_matches("also ")));
    }
    if let Some(policy) = &f.policy {
        lines.push(format!("policy: {policy}"));
    }
    lines.push(format!("help: {}", f.help));
    lines.join("\n")
}

/// Escapes text for an XML 1.0 attribute value (and element content alike): other control,
/// bidi and invisible characters are made [`visible`]; `&`, `<`, `>`, `"` and `'` become
/// entities; tab, LF and CR become character references (a parser turns them into spaces in
/// an attribute value otherwise); characters XML 1.0 does not allow (U+FFFE, U+FFFF) are
/// dropped.
pub(crate) fn escape(text: &str) -> String {
    xml(text, true)
}

/// Escapes text for XML 1.0 element content, like [`escape`] but keeping tabs and line feeds
/// as they are, so a multi-line body stays readable. CR is still a reference: parsers turn a
/// literal CR into LF.
pub(crate) fn text(text: &str) -> String {
    xml(text, false)
}

fn xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in visible(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' if !attribute => out.push(c),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            // See: XML 1.0, section 2.2 "Characters" (the Char production).
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_specials_and_drops_illegal_characters() {
        assert_eq!(escape(r#"a & <b> "c" 'd'"#), "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;");
        assert_eq!(escape("x\u{0}\u{1}\u{1B}y\u{FFFF}"), "x\\x00\\x01\\x1by");
        assert_eq!(escape("a\u{202E}b\u{200B}"), "a&lt;U+202E&gt;b&lt;U+200B&gt;");
        assert_eq!(escape("1\t2\n3\r4"), "1&#9;2&#10;3&#13;4");
        assert_eq!(escape("é ✓ 😀"), "é ✓ 😀");
        assert_eq!(text("a\tb\nc\rd<"), "a\tb\nc&#13;d&lt;");
        let doc = format!("<a b=\"{}\">{}</a>", escape("\"q\"\n\u{7}"), text("<x>&\r\n"));
        let parsed = roxmltree::Document::parse(&doc).expect("escaped text parses");
        assert_eq!(parsed.root_element().attribute("b"), Some("\"q\"\n\\x07"));
        assert_eq!(parsed.root_element().text(), Some("<x>&\r\n"));
    }
}
