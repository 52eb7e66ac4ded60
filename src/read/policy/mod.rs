//! Policies: Markdown, HTML and plain text turned into a [`Document`] of sections, blocks and
//! sentences with exact positions, and the matcher that finds disclosures and denials in them.
//!
//! In: a [`Source`]. Out: a [`Document`] and, through [`matcher`] (one sentence's mentions and,
//! in `practices`, its practices) and [`statements`] (the sentence read in its document),
//! [`Statement`]s. Nothing here reads files. Each format has its reader ([`markdown`],
//! [`html`], [`text`]) feeding the same [`sentence`] builder; a policy left with git
//! merge-conflict markers is refused. [`read_as`] and [`Structured::judge`] split the two
//! steps, so that [`prime`] can judge the sentences of several policies once between them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod html;
pub mod markdown;
pub mod matcher;
mod practices;
pub mod sentence;
pub mod statements;
pub mod text;

use crate::model::error::Error;
use crate::model::source::{Location, Source};
use crate::taxonomy::{Access, CategoryId, Taxonomy};

/// A policy's structure: sections by heading, and every sentence with its place.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Sections in document order; section 0 is the text before the first heading.
    pub sections: Vec<Section>,
    /// Sentences in document order.
    pub sentences: Vec<Sentence>,
    /// `<!-- disclose: ... -->` annotations.
    pub annotations: Vec<Annotation>,
}

/// A heading and what it sits under.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Heading texts from the outermost to this one.
    pub path: Vec<String>,
    /// The index of the sentence holding this section's own heading, if any.
    pub heading: Option<usize>,
    /// The enclosing section (the previous heading of a lower level).
    pub parent: Option<usize>,
}

/// What kind of block a sentence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading's text (also a short paragraph that is entirely bold: `**Location data**`).
    Heading,
    /// A paragraph.
    Paragraph,
    /// A list item.
    ListItem,
    /// A table cell.
    TableCell,
}

/// One sentence of plain text (markup removed) and where it starts.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// The sentence, markup removed, whitespace collapsed.
    pub text: std::sync::Arc<str>,
    /// Byte offset of its start in the source.
    pub start: usize,
    /// Byte offset of its end in the source.
    pub end: usize,
    /// The section it belongs to.
    pub section: usize,
    /// The block kind it comes from.
    pub kind: BlockKind,
    /// The block it comes from (sentences of one block share it; each line of a list in a
    /// table cell and each item of a bulleted run is a block of its own).
    pub block: usize,
    /// The sentence that gives this one its context: for a list item, the sentence that
    /// introduces the list ("We collect the following:", a bold "**Information we collect
    /// automatically:**" line, the text before a bulleted run that ends with `:`); for a table
    /// cell, the header cell of its column ("Categories of personal information we collect"),
    /// or in a table without a header for that column the first cell of its row.
    pub intro: Option<usize>,
}

/// An explicit `<!-- disclose: id id -->` annotation.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// The category ids it names, as written.
    pub ids: Vec<String>,
    /// Byte offset of the comment.
    pub start: usize,
    /// Byte offset of the comment's end.
    pub end: usize,
    /// The section it marks.
    pub section: usize,
}

/// Whether a statement says data is collected or that it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Polarity {
    /// The policy says the data is collected or accessed.
    Disclosure,
    /// The policy says the data is not collected.
    Denial,
}

/// How a statement was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The sentence's own wording (its clause has the verb).
    Wording,
    /// The sentence names the category; its list intro or heading has the verb.
    Context,
    /// An explicit annotation.
    Annotation,
}

/// Why a statement counts: the evidence a reader sees in the sentence or around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    /// A verb of collection or access governs the mention ("we collect", "the app reads").
    Collection,
    /// A verb of moving the data governs it ("shared with", "sent to", "we sell").
    Transfer,
    /// A verb of keeping it ("we store", "is saved").
    Retention,
    /// A negated transfer, storage or sale ("never sent to us", "we do not sell"): the data is
    /// handled, within a limit.
    Limit,
    /// Processed on the device ("stays on your phone", "runs offline").
    OnDevice,
    /// Another statement about what the service or app does ("we need your location to ...",
    /// "you can scan QR codes").
    Statement,
    /// An item of a list whose introducing sentence gives the verb.
    ListItem,
    /// A table cell whose column header (or the table's section) gives the verb.
    TableRow,
    /// A sentence under a heading that gives the verb.
    Heading,
    /// An explicit `<!-- disclose: ... -->` annotation.
    Annotation,
    /// A negated collection or access ("we never access", "at no time do we collect").
    Negation,
}

impl Basis {
    /// Words for reports: "collection", "list under a heading", ...
    pub fn words(self) -> &'static str {
        match self {
            Basis::Collection => "collection",
            Basis::Transfer => "transfer",
            Basis::Retention => "retention",
            Basis::Limit => "a limit on transfer or storage",
            Basis::OnDevice => "on-device processing",
            Basis::Statement => "a statement about the service",
            Basis::ListItem => "list under an introducing sentence",
            Basis::TableRow => "table row",
            Basis::Heading => "under a heading",
            Basis::Annotation => "annotation",
            Basis::Negation => "negated collection",
        }
    }

    /// The id used in JSON: `collection`, `list-item`, ...
    pub fn id(self) -> &'static str {
        match self {
            Basis::Collection => "collection",
            Basis::Transfer => "transfer",
            Basis::Retention => "retention",
            Basis::Limit => "limit",
            Basis::OnDevice => "on-device",
            Basis::Statement => "statement",
            Basis::ListItem => "list-item",
            Basis::TableRow => "table-row",
            Basis::Heading => "heading",
            Basis::Annotation => "annotation",
            Basis::Negation => "negation",
        }
    }
}

/// A disclosure or denial of one category, with the sentence that makes it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The category the statement is about (it covers its non-explicit descendants).
    pub category: CategoryId,
    /// Disclosure or denial.
    pub polarity: Polarity,
    /// The access the wording supports (reading, writing, selected items).
    pub access: Access,
    /// Where the sentence starts.
    pub location: Location,
    /// The sentence, or the annotation.
    pub text: std::sync::Arc<str>,
    /// Wording or annotation.
    pub via: Via,
    /// Why it counts.
    pub basis: Basis,
    /// Where the words that mention the category are in `text` (byte offsets); `None` for an
    /// annotation.
    pub mention: Option<(usize, usize)>,
}

impl Statement {
    /// How strongly the statement speaks, lowest first, for picking the one to quote: a verb
    /// of its own, then an annotation, then context from a list intro, table header or
    /// heading, then a sentence whose only evidence is that it speaks of the user's data.
    pub fn rank(&self) -> u8 {
        match (self.via, self.basis) {
            (Via::Annotation, _) => 1,
            (Via::Context, _) => 2,
            (Via::Wording, Basis::Statement) => 3,
            (Via::Wording, _) => 0,
        }
    }
}

/// A practice or user control that a policy sentence states or denies.
#[derive(Debug, Clone)]
pub struct PracticeStatement {
    /// Index into `Taxonomy::practices`.
    pub practice: usize,
    /// Stated (`Disclosure`) or denied.
    pub polarity: Polarity,
    /// Who receives the data, when the sentence names a recipient.
    pub recipient: Option<String>,
    /// The categories the practice is about, when the sentence names them ("we sell your email
    /// address": `account.email`).
    pub categories: Vec<CategoryId>,
    /// Where the sentence starts.
    pub location: Location,
    /// The sentence.
    pub text: std::sync::Arc<str>,
}

/// The policy's "last updated" or "effective" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    /// The date as written ("May 25, 2022", "[DATE]").
    pub date: String,
    /// Where the line is.
    pub location: Location,
}

/// A parsed policy: its source, its structure and what it states.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The text.
    pub source: Source,
    /// The structure.
    pub document: Document,
    /// Disclosures and denials, in document order.
    pub statements: Vec<Statement>,
    /// Practices and controls, in document order.
    pub practices: Vec<PracticeStatement>,
    /// The "last updated" / "effective" line, if there is one.
    pub date: Option<DateLine>,
    /// The entries of the policy's own change log, if it keeps one.
    pub changelog: Vec<String>,
}

/// The policy formats `disclose` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CommonMark with GFM tables.
    Markdown,
    /// HTML (`.html`, `.htm`, `.xhtml`).
    Html,
    /// Plain text.
    Text,
}

impl Format {
    /// The format a file name implies: text for `.txt`/`.text`, HTML for `.html`/`.htm`/
    /// `.xhtml`, else Markdown (`.md`, `.markdown`, and `.mdx`: to CommonMark a JSX component
    /// on lines of its own is a raw HTML block, skipped with its text like any; one inside a
    /// paragraph is an inline tag, and the paragraph's text is read).
    pub fn of(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".txt") || lower.ends_with(".text") {
            Format::Text
        } else if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
            Format::Html
        } else {
            Format::Markdown
        }
    }

    /// The extensions of the files a policy is written in: Markdown, HTML and plain text.
    pub const EXTENSIONS: &'static [&'static str] =
        &[".md", ".markdown", ".mdx", ".html", ".htm", ".xhtml", ".txt", ".text"];

    /// The format of text without a file name (standard input): HTML when it opens like an
    /// HTML document, else Markdown (which reads plain text as paragraphs too).
    pub fn sniff(text: &str) -> Format {
        let head = text.trim_start_matches('\u{feff}').trim_start().get(..15).unwrap_or("").to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Format::Html
        } else {
            Format::Markdown
        }
    }
}

/// Whether a file name ends in one of [`Format::EXTENSIONS`] (in any case).
pub fn has_policy_extension(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    Format::EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// Parses a policy in the format its file name implies and finds its statements.
pub fn parse(source: Source, taxonomy: &Taxonomy) -> Result<Policy, Error> {
    let format = Format::of(&source.path);
    parse_as(source, format, taxonomy)
}

/// Parses a policy in the given format and finds its statements.
pub fn parse_as(source: Source, format: Format, taxonomy: &Taxonomy) -> Result<Policy, Error> {
    read_as(source, format)?.judge(taxonomy)
}

/// A policy read into its structure, before its sentences are judged: what [`read_as`] gives,
/// so that a caller with several policies (two versions of one) can judge every distinct
/// sentence once ([`prime`]) before [`Structured::judge`] turns each into statements.
#[derive(Debug, Clone)]
pub struct Structured {
    source: Source,
    document: Document,
}

/// Reads a policy in the given format into its structure: sections, blocks and sentences.
pub fn read_as(source: Source, format: Format) -> Result<Structured, Error> {
    if source.text.trim().is_empty() {
        return Err(Error::parse(&source.path, "the policy is empty").with_help(
            "write the privacy policy in this file, or name the right file under `policies:` in disclose.yaml",
        ));
    }
    if let Some(line) = conflict_marker(&source.text) {
        return Err(Error::parse_at(&source.path, line, 1, "the policy contains a merge-conflict marker")
            .with_help("resolve the conflict (keep one side) before comparing"));
    }
    let document = match format {
        Format::Markdown => markdown::parse(&source.text),
        Format::Html => html::parse(&source.text),
        Format::Text => text::parse(&source.text),
    };
    Ok(Structured { source, document })
}

impl Structured {
    /// The text of each sentence, in document order.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        self.document.sentences.iter().map(|s| &*s.text)
    }

    /// Finds the statements, the date line and the change log.
    pub fn judge(self, taxonomy: &Taxonomy) -> Result<Policy, Error> {
        let Structured { source, document } = self;
        let (statements, practices) = statements::statements(&source, &document, taxonomy)?;
        let date = date_line(&source, &document);
        let changelog = changelog(&document);
        Ok(Policy { source, document, statements, practices, date, changelog })
    }
}

/// Judges the sentences of `policies` on `jobs` threads, each distinct one once (the matcher's
/// memo finds the repeats), so that judging each policy afterwards finds its sentences judged:
/// two versions of a policy share most of their sentences, and would otherwise judge them
/// twice, in parallel. Changes no result.
pub fn prime(policies: &[&Structured], taxonomy: &Taxonomy, jobs: std::num::NonZeroUsize) {
    /// Sentences judged per unit of work: enough to outweigh taking the unit.
    const CHUNK: usize = 64;
    // The memo finds the repeats: a sentence judged by one thread is looked up by the next.
    let all: Vec<&str> = policies.iter().flat_map(|p| p.sentences()).collect();
    let chunks: Vec<&[&str]> = all.chunks(CHUNK).collect();
    let m = matcher::Matcher::of(taxonomy);
    crate::model::parallel::map(&chunks, jobs, |chunk| {
        for s in chunk.iter() {
            m.judge(taxonomy, s);
        }
    });
}

/// Finds the statements of read policies on `jobs` threads, in input order.
pub fn judge_all(read: Vec<Structured>, t: &Taxonomy, jobs: std::num::NonZeroUsize) -> Vec<Result<Policy, Error>> {
    // Each policy is taken by exactly one thread: the slot holds it until then.
    let slots: Vec<std::sync::Mutex<Option<Structured>>> =
        read.into_iter().map(|p| std::sync::Mutex::new(Some(p))).collect();
    crate::model::parallel::map(&slots, jobs, |slot| {
        let p = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        p.expect("each slot is taken once").judge(t)
    })
}

/// The 1-based line of the first git merge-conflict marker (`<<<<<<< ours`, `||||||| base`,
/// `>>>>>>> theirs`), if any. A line of `=======` alone is not one: it underlines a Markdown
/// heading as often as it separates the two sides.
fn conflict_marker(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> ") || l.starts_with("|||||||"))
        .map(|i| i + 1)
}

/// Labels of a change-log section or list intro, lower case, without markup.
const CHANGELOG_LABELS: &[&str] =
    &["change log", "changelog", "revision history", "version history", "history of changes"];

/// The entries of a change log kept in the policy: the list a "**Change log:**" line
/// introduces, else the sentences under a heading such as "Change log".
fn changelog(doc: &Document) -> Vec<String> {
    let label = |text: &str| {
        let t = text.trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c.is_whitespace()).to_lowercase();
        CHANGELOG_LABELS.contains(&t.as_str())
    };
    let Some((k, head)) = doc.sentences.iter().enumerate().find(|(_, s)| label(&s.text)) else { return Vec::new() };
    let entries = |keep: &dyn Fn(&Sentence) -> bool| -> Vec<String> {
        doc.sentences.iter().skip(k + 1).filter(|s| keep(s)).map(|s| s.text.to_string()).collect()
    };
    // A bold label is a heading of its own section too; what follows its list is not a change.
    let listed = entries(&|s| s.intro == Some(k));
    if !listed.is_empty() || head.kind != BlockKind::Heading {
        return listed;
    }
    entries(&|s| s.section == head.section)
}

/// Words that open a policy's date line, lower case.
const DATE_MARKERS: &[&str] = &[
    "last updated",
    "last modified",
    "last revised",
    "last changed",
    "effective date",
    "effective as of",
    "effective on",
    "date of last revision",
    "updated on",
    "updated:",
    "effective:",
];

/// Whether a line opens with a date marker ("Last updated: May 25, 2022", "*Effective date:
/// ...*", "(Last updated ..."), markup and brackets before it ignored.
pub(crate) fn is_date_line(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| matches!(c, '*' | '_' | '(' | '[') || c.is_whitespace());
    let head: String = text.chars().take(24).collect::<String>().to_lowercase();
    DATE_MARKERS.iter().any(|m| head.starts_with(m))
}

/// The first sentence that opens with a date marker ("Last updated: May 25, 2022"), with the
/// date as written: punctuation around it and kramdown attributes (`{: datetime=... }`) removed.
fn date_line(source: &Source, doc: &Document) -> Option<DateLine> {
    doc.sentences.iter().find_map(|s| {
        let text = s.text.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
        let lower = text.to_lowercase();
        let marker = DATE_MARKERS.iter().find(|m| lower.starts_with(*m))?;
        let rest = &text[marker.len()..];
        let rest = rest.split("{:").next().unwrap_or(rest);
        let date = rest
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '*' | '_' | '.'))
            .trim_start_matches("on ")
            .to_string();
        (!date.is_empty()).then(|| DateLine { date, location: source.location(s.start, s.end) })
    })
}

/// Reads `<!-- disclose: a b -->` from an HTML comment; `None` for any other comment.
pub(crate) fn annotation_ids(html: &str) -> Option<Vec<String>> {
    let inner = html.trim().strip_prefix("<!--")?.trim_end().strip_suffix("-->")?.trim();
    let rest = inner.strip_prefix("disclose:")?;
    Some(rest.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines_as_policies_write_them() {
        let t = crate::taxonomy::Taxonomy::builtin();
        for (text, want) in [
            ("# P\n\nEffective date: May 25, 2022\n", Some("May 25, 2022")),
            ("# P\n\n*Last updated: [July 18, 2022](https://x)*\n", Some("July 18, 2022")),
            ("# P\n\nLast updated September 30, 2024\n{: datetime=\"2024-09-30\" }\n", Some("September 30, 2024")),
            ("# P\n\n*Last updated: [DATE]*\n", Some("[DATE]")),
            ("# P\n\nWe updated our app last week.\n", None),
        ] {
            let p = parse(Source::new("p.md", text.to_string()), t).expect("parses");
            assert_eq!(p.date.map(|d| d.date), want.map(str::to_string), "{text}");
        }
    }

    #[test]
    fn change_logs_under_a_heading_or_a_bold_label() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let heading = "# P\n\n### Change log\n\n* _May 1, 2025_: Added retention.\n* _May 1, 2024_: First.\n";
        let label = "# P\n\nSome text.\n\n**Change log:**\n\n- January 3, 2018: Rewrite.\n\nAfter.\n";
        let p = parse(Source::new("p.md", heading.to_string()), t).expect("parses");
        assert_eq!(p.changelog, vec!["May 1, 2025: Added retention.".to_string(), "May 1, 2024: First.".to_string()]);
        let p = parse(Source::new("p.md", label.to_string()), t).expect("parses");
        assert_eq!(p.changelog, vec!["January 3, 2018: Rewrite.".to_string()]);
        assert_eq!(p.document.sentences[2].kind, BlockKind::Heading, "the bold label is a heading too");
        let html =
            "<h1>P</h1><p><strong>Change log:</strong></p><ul><li>May 2, 2025: Added retention.</li></ul><p>After.</p>";
        let p = parse(Source::new("p.html", html.to_string()), t).expect("parses");
        assert_eq!(p.changelog, vec!["May 2, 2025: Added retention.".to_string()]);
    }

    #[test]
    fn date_lines_are_never_bold_headings() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let text = "# P\n\n**Last updated: May 25, 2022**\n\nWe collect your email address.\n";
        let p = parse(Source::new("p.md", text.to_string()), t).expect("parses");
        assert_eq!(p.date.map(|d| d.date), Some("May 25, 2022".to_string()));
        assert_eq!(p.document.sections.len(), 2);
        assert!(is_date_line("*Effective date: May 25, 2022*"));
        assert!(is_date_line("(Last Updated: November 2019"));
        assert!(!is_date_line("We updated our app."));
    }

    #[test]
    fn characters_that_draw_nothing_do_not_change_the_reading() {
        // A reader sees "We do not collect your location" and "your microphone": so does the tool.
        let t = crate::taxonomy::Taxonomy::builtin();
        let text = "# P\n\nWe do n\u{200B}ot collect your lo\u{2060}cation.\n\nWe record your micro\u{AD}phone to transcribe notes.\n";
        let p = parse(Source::new("p.md", text.to_string()), t).expect("parses");
        let said = |id: &str| {
            let c = t.id(id).unwrap();
            p.statements.iter().filter(|s| s.category == c).map(|s| s.polarity).collect::<Vec<_>>()
        };
        assert_eq!(said("location"), vec![Polarity::Denial]);
        assert_eq!(said("audio.voice"), vec![Polarity::Disclosure]);
        // Places still point into the source: the second sentence starts on line 5, column 1.
        let mic = p.statements.iter().find(|s| s.polarity == Polarity::Disclosure).unwrap();
        assert_eq!((mic.location.line, mic.location.column), (5, 1));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of("docs/PRIVACY.md"), Format::Markdown);
        assert_eq!(Format::of("legal/privacy.HTML"), Format::Html);
        assert_eq!(Format::of("privacy.htm"), Format::Html);
        assert_eq!(Format::of("site/privacy.xhtml"), Format::Html);
        assert_eq!(Format::of("privacy.txt"), Format::Text);
        assert_eq!(Format::of("docs/privacy.mdx"), Format::Markdown);
    }

    #[test]
    fn merge_conflict_markers_are_refused_setext_underlines_are_not() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let conflict =
            "# P\n\n<<<<<<< HEAD\nWe collect your email.\n=======\nWe collect your phone number.\n>>>>>>> feature\n";
        let err = parse(Source::new("PRIVACY.md", conflict.to_string()), t).expect_err("a conflict is refused");
        assert_eq!(err.to_string(), "PRIVACY.md:3:1: the policy contains a merge-conflict marker");
        assert!(err.help().is_some_and(|h| h.contains("resolve the conflict")));
        let diff3 = "<p>Intro.</p>\r\n||||||| base\r\n<p>Old.</p>\r\n";
        let err = parse(Source::new("privacy.html", diff3.to_string()), t).expect_err("a diff3 base marker is refused");
        assert_eq!(err.to_string(), "privacy.html:2:1: the policy contains a merge-conflict marker");
        let setext = "Title\n=====\n\nWe collect your email.\n\nMore\n=======\n";
        let p = parse(Source::new("PRIVACY.md", setext.to_string()), t).expect("a setext heading is no marker");
        assert_eq!(p.document.sections.len(), 3);
    }

    #[test]
    fn annotations_are_read_from_disclose_comments_only() {
        assert_eq!(
            annotation_ids("<!-- disclose: contacts audio.voice -->"),
            Some(vec!["contacts".into(), "audio.voice".into()])
        );
        assert_eq!(annotation_ids("<!-- markdownlint-disable GHD034 -->"), None);
    }
}
