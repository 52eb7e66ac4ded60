//! The terminal table of `disclose scan`: per policy, one summary line, then one row per
//! disclosed and denied category (its best sentence), one per practice and control (its first
//! sentence), and the categories not mentioned, wrapped.
//!
//! ```text
//! PRIVACY.md: 7 disclosed, 1 denied, 16 not mentioned; 4 practices, 3 controls
//!   disclosed  location.precise  PRIVACY.md:12:1  collection  "We collect your precise location when…"
//!   not mentioned: calendar, contacts, …
//! ```
//!
//! Rows are padded before they are styled (escape codes would count as width) and quotes are
//! cut at a word so a row fits about 100 columns. Paths, ids, quotes and details go through
//! [`terminal`] first (padding counts the escaped width), and the whole table through
//! [`workflow_safe`]. Pure: the palette is chosen by the caller.

use std::borrow::Cow;
use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use super::human::{plural, Verbosity};
use super::Palette;
use crate::engine::rules::shorten;
use crate::engine::scan::Scan;
use crate::model::escape::{terminal, workflow_safe};
use crate::model::source::Location;
use crate::read::policy::Polarity;

/// The width a row aims for; a quote gets what the other columns leave.
const WIDTH: usize = 100;

/// The fewest characters of a quote shown, however wide the other columns are.
const MIN_QUOTE: usize = 40;

/// Renders the scans: `Quiet` gives only the summary lines, `Verbose` every statement of each
/// category and practice (the best or first one first) instead of one.
pub fn render(scans: &[Scan], p: &Palette, verbosity: Verbosity) -> String {
    let mut out = String::new();
    for (i, s) in scans.iter().enumerate() {
        if i > 0 && verbosity > Verbosity::Quiet {
            out.push('\n');
        }
        header(&mut out, s, p);
        if verbosity > Verbosity::Quiet {
            table(&mut out, s, p, verbosity == Verbosity::Verbose);
        }
    }
    workflow_safe(&out).into_owned()
}

/// `PRIVACY.md: 7 disclosed, 1 denied, 16 not mentioned; 4 practices, 3 controls`.
fn header(out: &mut String, s: &Scan, p: &Palette) {
    let [disclosed, denied, unsaid, practices, controls] = s.counts();
    let _ = writeln!(
        out,
        "{} {disclosed} disclosed, {denied} denied, {unsaid} not mentioned; {}, {}",
        format!("{}:", terminal(s.path)).style(p.bold),
        plural(practices, "practice"),
        plural(controls, "control"),
    );
}

/// One row of the table, before padding.
struct Row<'a> {
    kind: &'static str,
    kind_style: Style,
    /// Escaped for the terminal, as `place` and `detail` are.
    id: String,
    place: String,
    /// The basis of a category's statement, or a practice's polarity.
    why: &'static str,
    why_style: Style,
    quote: &'a str,
    /// Where the words that mention the category are in `quote`, to keep them in view.
    focus: Option<(usize, usize)>,
    /// Under a practice: its recipient and the categories it is about.
    detail: Option<String>,
}

fn table(out: &mut String, s: &Scan, p: &Palette, every: bool) {
    let t = s.taxonomy;
    let mut rows = Vec::new();
    for (list, kind, style) in [(&s.disclosures, "disclosed", p.good), (&s.denials, "denied", p.warning)] {
        for r in list {
            // The best statement first, then (with -v) the others in document order.
            let others = r.statements.iter().filter(|&&st| every && !std::ptr::eq(st, r.best));
            for st in std::iter::once(&r.best).chain(others) {
                rows.push(Row {
                    kind,
                    kind_style: style,
                    id: terminal(&t.category(r.category).id).into_owned(),
                    place: place(&st.location),
                    why: st.basis.id(),
                    why_style: p.dim,
                    quote: &st.text,
                    focus: st.mention,
                    detail: None,
                });
            }
        }
    }
    for (list, kind) in [(&s.practices, "practice"), (&s.controls, "control")] {
        for r in list {
            let (why, why_style) = match r.polarity {
                Polarity::Disclosure => ("stated", p.dim),
                Polarity::Denial => ("denied", p.warning),
            };
            let shown = if every { &r.statements[..] } else { &r.statements[..1] };
            for st in shown {
                let mut detail = Vec::new();
                if let Some(to) = &st.recipient {
                    detail.push(format!("recipient: {}", terminal(to)));
                }
                if !st.categories.is_empty() {
                    let ids: Vec<&str> = st.categories.iter().map(|&c| t.category(c).id.as_str()).collect();
                    detail.push(format!("categories: {}", terminal(&ids.join(", "))));
                }
                rows.push(Row {
                    kind,
                    kind_style: p.bold,
                    id: terminal(&t.practices[r.practice].id).into_owned(),
                    place: place(&st.location),
                    why,
                    why_style,
                    quote: &st.text,
                    focus: None,
                    detail: (!detail.is_empty()).then(|| detail.join("; ")),
                });
            }
        }
    }
    let id_w = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    let place_w = rows.iter().map(|r| r.place.chars().count()).max().unwrap_or(0);
    let why_w = rows.iter().map(|r| r.why.len()).max().unwrap_or(0);
    // "  " + kind (9) + "  " + id + "  " + place + "  " + why + "  ", then the quote.
    let lead = 2 + 9 + 2 + id_w + 2 + place_w + 2 + why_w + 2;
    // The quote's room, less its two quotation marks and the ellipses a cut may add.
    let room = WIDTH.saturating_sub(lead).max(MIN_QUOTE) - 4;
    for r in &rows {
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}  {}",
            format!("{:9}", r.kind).style(r.kind_style),
            pad(&r.id, id_w),
            pad(&r.place, place_w).style(p.dim),
            format!("{:why_w$}", r.why).style(r.why_style),
            format!("\"{}\"", terminal(&excerpt(r.quote, r.focus, room))).style(p.dim),
        );
        if let Some(detail) = &r.detail {
            let _ = writeln!(out, "{:13}{}", "", detail.style(p.dim));
        }
    }
    if !s.unsaid.is_empty() {
        let ids: Vec<Cow<str>> = s.unsaid.iter().map(|&c| terminal(&t.category(c).id)).collect();
        let ids: Vec<&str> = ids.iter().map(|id| &**id).collect();
        let _ = writeln!(out, "{}", wrap("  not mentioned: ", &ids, WIDTH).style(p.dim));
    }
}

/// The quote in at most `room` characters (an ellipsis more on each cut side): the whole
/// sentence when it fits, else the words around the mention (`focus`), so that the row shows
/// what counted ("…never request access to your contacts, your files…"), cut at words.
fn excerpt(text: &str, focus: Option<(usize, usize)>, room: usize) -> String {
    // A mention within the first `room` characters is shown from the sentence's start.
    let Some((a, b)) = focus.filter(|&(_, b)| text.get(..b).is_some_and(|head| head.chars().count() > room)) else {
        return shorten(text, room);
    };
    let words: Vec<(usize, usize)> = text
        .split_whitespace()
        .map(|w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + w.len())
        })
        .collect();
    let Some(first) = words.iter().position(|&(_, e)| e > a) else { return shorten(text, room) };
    let mut last = words.iter().rposition(|&(s, _)| s < b).unwrap_or(first).max(first);
    let mut first = first;
    let width = |i: usize, j: usize| text[words[i].0..words[j].1].chars().count();
    // Grow to the right first (what follows the mention usually says what is done with it),
    // then to the left, one word at a time, while it fits.
    loop {
        let right = last + 1 < words.len() && width(first, last + 1) <= room;
        if right {
            last += 1;
        }
        let left = first > 0 && width(first - 1, last) <= room;
        if left {
            first -= 1;
        }
        if !right && !left {
            break;
        }
    }
    let body = &text[words[first].0..words[last].1];
    let body: String = if body.chars().count() > room { body.chars().take(room).collect() } else { body.to_string() };
    format!("{}{body}{}", if first > 0 { "…" } else { "" }, if last + 1 < words.len() { "…" } else { "" })
}

/// `path:line:column`, the path escaped for the terminal.
fn place(l: &Location) -> String {
    format!("{}:{}:{}", terminal(&l.path), l.line, l.column)
}

/// `text` padded with spaces to `width` characters.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.chars().count())))
}

/// `lead` then the words separated by ", ", wrapped before `width` columns; continuation
/// lines are indented under the first word.
fn wrap(lead: &str, words: &[&str], width: usize) -> String {
    let indent = " ".repeat(lead.chars().count());
    let mut out = lead.to_string();
    let mut column = out.chars().count();
    for (i, w) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        let piece = if last { w.to_string() } else { format!("{w},") };
        let fresh = column == indent.len();
        if !fresh && column + 1 + piece.chars().count() > width {
            out.push('\n');
            out.push_str(&indent);
            column = indent.len();
        } else if !fresh {
            out.push(' ');
            column += 1;
        }
        out.push_str(&piece);
        column += piece.chars().count();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_not_mentioned_line_wraps_under_its_first_word() {
        let words = ["calendar", "contacts", "messages.sms", "calls.log"];
        assert_eq!(wrap("  x: ", &words, 30), "  x: calendar, contacts,\n     messages.sms, calls.log");
        assert_eq!(wrap("  x: ", &words[..1], 30), "  x: calendar");
    }

    #[test]
    fn rows_fit_the_width_and_quotes_are_cut_at_a_word() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let long = "We collect your precise location whenever you open the map, so that the nearest pharmacies, cafés and stations can be shown first.";
        let policy = crate::read::policy::parse(
            crate::model::source::Source::new("PRIVACY.md", format!("# Privacy\n\n{long}\n")),
            t,
        )
        .expect("parses");
        let text = render(&[crate::engine::scan::scan(&policy, t)], &Palette::plain(), Verbosity::Normal);
        let row = text.lines().find(|l| l.contains("location.precise")).expect("a row for precise location");
        assert!(row.chars().count() <= WIDTH, "{row}");
        assert!(row.ends_with("…\""), "{row}");
        assert!(row.contains("PRIVACY.md:3:1  collection  \"We collect your precise location"), "{row}");
    }

    #[test]
    fn a_late_mention_stays_in_view() {
        let text = "When you open the map after you have signed in with your account, the app reads your precise location to sort the list.";
        let at = text.find("precise location").expect("in the text");
        let shown = excerpt(text, Some((at, at + "precise location".len())), 40);
        assert!(shown.contains("precise location"), "{shown}");
        assert!(shown.starts_with('…') && shown.chars().count() <= 42, "{shown}");
        assert_eq!(excerpt("Short sentence.", Some((0, 5)), 40), "Short sentence.");
    }

    #[test]
    fn a_practice_names_its_recipient_and_categories_and_verbose_lists_every_statement() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let text =
            "# Privacy\n\nWe share your email address with advertisers.\n\nWe share crash reports with a vendor.\n";
        let policy =
            crate::read::policy::parse(crate::model::source::Source::new("p.md", text.to_string()), t).expect("parses");
        assert_eq!(policy.practices.len(), 2, "{:?}", policy.practices);
        let scans = [crate::engine::scan::scan(&policy, t)];
        let normal = render(&scans, &Palette::plain(), Verbosity::Normal);
        let rows: Vec<&str> = normal.lines().filter(|l| l.contains("sharing.third_party")).collect();
        assert_eq!(rows.len(), 1, "{normal}");
        assert!(normal.contains("\n             recipient: advertisers; categories: account.email\n"), "{normal}");
        let verbose = render(&scans, &Palette::plain(), Verbosity::Verbose);
        assert_eq!(verbose.lines().filter(|l| l.contains("sharing.third_party")).count(), 2, "{verbose}");
        assert!(verbose.contains("recipient: vendor; categories: diagnostics\n"), "{verbose}");
        let quiet = render(&scans, &Palette::plain(), Verbosity::Quiet);
        assert_eq!(quiet.lines().count(), 1, "{quiet}");
    }
}
