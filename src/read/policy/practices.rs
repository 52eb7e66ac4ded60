//! Practices and controls: what one clause says is done with data, or what users can do.
//!
//! Read after the clause's mentions (`matcher.rs`): a phrase states an entry of
//! `practices.yaml`; a verb states it with an object of its own near it (a recipient, personal
//! data, or for the entries that take them, a category the clause names or a company named
//! after "with"/"to"). What voids a verb: a right or an opt-out before it, someone else as the
//! subject, a prohibition, the user as the subject, a quoted section title or a title-like
//! opening. `policies/README.md` describes the rules; `practices.yaml` holds the words and the
//! samples that pin them.

use std::collections::BTreeSet;

use super::matcher::{floor_boundary, Ctx, Cue, Found, FoundPractice, Hit, Matcher, Reading, Voids, PRACTICE_BIT};
use super::Polarity;
use crate::taxonomy::CategoryId;

/// How many words from a practice verb a category it takes as its object may stand ("we may
/// sell certain categories of your personal data").
const OBJECT_WINDOW: usize = 8;

/// A clause of at most this many words and no verb is a fragment: a heading, a label.
const FRAGMENT_WORDS: usize = 6;

impl Matcher {
    /// The practices one clause states: a phrase, or a verb with an object (a category the
    /// clause names, or an organisation named after "with"/"to", where the practice takes
    /// them); denied when the phrase or verb is negated, unless an exception names who still
    /// receives the data ("we do not share your data except with advertisers").
    pub(super) fn practices_in(
        &self,
        cx: &Ctx,
        clause: &[Hit],
        negated_verb: &[bool],
        found: &[Found],
        (clause_start, span_end): (usize, usize),
        voids: Voids,
    ) -> Vec<FoundPractice> {
        let (t, text, words) = (cx.t, cx.text, cx.words);
        if !clause.iter().any(|h| h.flags & PRACTICE_BIT != 0) {
            return Vec::new();
        }
        let ids: BTreeSet<usize> = clause
            .iter()
            .flat_map(|h| h.cues.iter())
            .filter_map(|c| match c {
                Cue::PracticePhrase(i) | Cue::PracticeVerb(i) => Some(*i),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return Vec::new();
        }
        let mut categories: Vec<CategoryId> = Vec::new();
        for f in found.iter().filter(|f| f.reading != Reading::Off) {
            for &c in &f.categories {
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
        }
        let mentions: Vec<bool> = clause.iter().map(|h| h.mention().is_some()).collect();
        // Whether a negated verb stands before each hit, once for the clause.
        let negated_before: Vec<bool> = clause
            .iter()
            .enumerate()
            .scan(false, |seen, (k, h)| {
                let before = *seen;
                *seen |= h.is_verb() && negated_verb[k];
                Some(before)
            })
            .collect();
        // A negation up to four words before the phrase or verb (the same window as for
        // verbs of collection); for a verb that is also a verb of collection, its own reading.
        // A purpose right after a negated verb is negated with it: "Zoom does not use your
        // audio to train its models" denies the training.
        let negated = |k: usize| {
            let h = &clause[k];
            let own = if h.is_verb() {
                negated_verb[k]
            } else {
                clause[..k].iter().rev().take_while(|n| words.between(n.end, h.start) <= 4).any(|n| n.is(Cue::Negation))
            };
            own || (k > 0 && clause[k - 1].is(Cue::Purpose) && negated_before[k - 1])
        };
        // A sentence that opens like a title ("How we share your information – ...") names a
        // topic in its first words.
        let title_end = title(text, clause_start);
        let fragment = !clause.iter().any(|h| {
            h.is_verb()
                || h.is(Cue::Negation)
                || h.is(Cue::Person)
                || h.cues.iter().any(|c| matches!(c, Cue::PracticeVerb(_)))
        }) && words.between(clause_start, span_end) <= FRAGMENT_WORDS
            && !text[clause_start..span_end]
                .split_whitespace()
                .next()
                .is_some_and(|w| ["we", "our", "they", "it", "i"].contains(&w.to_ascii_lowercase().as_str()));
        let mut out = Vec::new();
        for i in ids {
            let p = &t.practices[i];
            if self.unless[i].as_ref().is_some_and(|u| u.within(text, cx.lower, clause_start, span_end)) {
                continue;
            }
            let is_verb = |k: usize| clause[k].is(Cue::PracticeVerb(i));
            let is_object = |k: usize| clause[k].is(Cue::PracticeObject(i));
            let is_category = |k: usize| p.takes_categories && mentions[k];
            // Each phrase is an anchor; each verb is one when an object of its own stands
            // after it (before the next such verb) or before it (after the previous one):
            // "the sale of digital goods, not from selling your personal information" pairs
            // the object with the negated verb, not with the affirmative one.
            let verbs: Vec<usize> = (0..clause.len()).filter(|&k| is_verb(k)).collect();
            let mut anchors: Vec<usize> = (0..clause.len()).filter(|&k| clause[k].is(Cue::PracticePhrase(i))).collect();
            let mut named = None;
            for (n, &v) in verbs.iter().enumerate() {
                let next = verbs.get(n + 1).copied().unwrap_or(clause.len());
                let prev = if n == 0 { 0 } else { verbs[n - 1] + 1 };
                // Within a few words: "sell products to others through your site (... other
                // purchases ...)" sells no purchase history.
                let near = |k: usize| {
                    words.between(clause[v].end, clause[k].start) <= OBJECT_WINDOW
                        && words.between(clause[k].end, clause[v].start) <= OBJECT_WINDOW
                };
                // A recipient may stand far ("share X, Y and Z with advertisers"); a category
                // sold must stand near the verb.
                let object = |k: usize| is_object(k) || (is_category(k) && near(k));
                let after = (v + 1..next).any(object);
                let before = (prev..v).any(object);
                let org = if p.named_recipients {
                    let to = clause.get(next).map_or(span_end, |h| h.start);
                    text.get(clause[v].end..to).and_then(named_organisation)
                } else {
                    None
                };
                if after || before || org.is_some() {
                    anchors.push(v);
                    named = named.or(org);
                }
            }
            anchors.retain(|&a| {
                let at = clause[a].start;
                let phrase = clause[a].is(Cue::PracticePhrase(i));
                // "If you sell something through the app", "you can share a playlist": the
                // user acts, not the service.
                if !phrase && p.kind == crate::taxonomy::PracticeKind::Practice && user_subject(text, at) {
                    return false;
                }
                let after = |from: Option<usize>| from.is_some_and(|o| o <= at);
                let someone_else = after(voids.others) || after(voids.prohibition);
                let topic = !phrase && (title_end.is_some_and(|e| at < e) || quoted_title(text, at));
                // Rights are the user's controls: they void a practice after them, never a control.
                let right = p.kind == crate::taxonomy::PracticeKind::Practice && after(voids.controls);
                !someone_else && !right && !topic
            });
            if anchors.is_empty() {
                continue;
            }
            let stated = anchors.iter().find(|&&a| !negated(a)).copied();
            let mut polarity = if stated.is_some() { Polarity::Disclosure } else { Polarity::Denial };
            let mut recipient = clause
                .iter()
                .find(|h| h.is(Cue::Recipient))
                .map(|h| text[h.start..h.end].to_lowercase())
                .or_else(|| named.clone());
            // "We do not share your data with third parties except advertisers": the exception
            // names who receives it, so the practice is stated, for them.
            if polarity == Polarity::Denial && p.kind == crate::taxonomy::PracticeKind::Practice {
                let anchor = anchors[0];
                if let Some(x) = clause.iter().position(|h| h.is(Cue::ExceptionList)).filter(|&x| x > anchor) {
                    if let Some(o) = clause[x + 1..].iter().find(|h| h.is(Cue::PracticeObject(i))) {
                        polarity = Polarity::Disclosure;
                        recipient = Some(text[o.start..o.end].to_lowercase());
                    }
                }
            }
            out.push(FoundPractice { practice: i, polarity, recipient, categories: categories.clone(), fragment });
        }
        out
    }
}

/// Whether offset `at` lies inside a quoted title of three or more capitalised words ("as
/// described in “How We Sell Your Information” above"): a reference to a section, not a
/// statement.
fn quoted_title(text: &str, at: usize) -> bool {
    // A title is short: look at most this far either side, whatever the sentence holds.
    const REACH: usize = 120;
    let from = floor_boundary(text, at.saturating_sub(REACH));
    let to = floor_boundary(text, at.saturating_add(REACH));
    let before = &text[from..at];
    let Some(open) = before.rfind(['\u{201C}', '"']).map(|o| from + o) else { return false };
    let inner_start = open + text[open..].chars().next().map_or(1, char::len_utf8);
    let Some(close) = text[at..to].find(['\u{201D}', '"']).map(|c| at + c) else { return false };
    let inner = &text[inner_start..close];
    let words: Vec<&str> = inner.split_whitespace().collect();
    words.len() >= 3
        && inner.len() <= 120
        && words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count() * 3 >= words.len() * 2
}

/// When the sentence opens like a title ("How we share your information – ...", "What we
/// collect:"), the end of its first few words: a practice verb there names a topic.
fn title(text: &str, clause_start: usize) -> Option<usize> {
    if clause_start != 0 {
        return None;
    }
    let lead = text.trim_start_matches(|c: char| c == '*' || c == '_' || c == '#' || c.is_whitespace());
    let offset = text.len() - lead.len();
    let lower = lead.get(..lead.len().min(16))?.to_ascii_lowercase();
    ["how we ", "what we ", "who we ", "when we ", "why we ", "with whom we "]
        .iter()
        .any(|t| lower.starts_with(t))
        .then(|| {
            let mut ends = lead.match_indices(' ').map(|(i, _)| i);
            offset + ends.nth(4).unwrap_or(lead.len())
        })
}

/// Whether the verb at `at` has the user as its subject: "you sell", "you may share", "users
/// can choose to sell".
fn user_subject(text: &str, at: usize) -> bool {
    const MODALS: &[&str] = &[
        "may", "can", "could", "might", "will", "would", "choose", "decide", "want", "wish", "to", "also", "are", "is",
        "willing", "able", "like", "prefer", "agree",
    ];
    let user = |w: &str| matches!(w, "you" | "users" | "user");
    let before: Vec<String> = text[..at]
        .split_whitespace()
        .rev()
        .take(5)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase())
        .collect();
    let mut joined = false; // past "or"/"and": one coordinated verb may stand between ("you bought or sold")
    let mut i = 0;
    while let Some(w) = before.get(i) {
        if user(w) {
            return true;
        }
        if w == "or" || w == "and" {
            joined = true;
        } else if !MODALS.contains(&w.as_str()) {
            return joined && before.get(i + 1).is_some_and(|n| user(n));
        }
        i += 1;
    }
    false
}

/// An organisation named after "with" or "to" in `span`: consecutive capitalised words ("with
/// Acme Analytics Inc."), not a pronoun. Data moving to a company by name is sharing even
/// without the words "third party".
fn named_organisation(span: &str) -> Option<String> {
    let words: Vec<&str> = span.split_whitespace().collect();
    let connector = |w: &str| matches!(w, "&" | "of" | "and");
    // "in compliance with California law", "subject to", "access to": the preposition
    // belongs to the word before it, not to the verb.
    const BOUND: &[&str] = &[
        "compliance",
        "accordance",
        "comply",
        "complies",
        "consistent",
        "line",
        "according",
        "pursuant",
        "subject",
        "addition",
        "due",
        "related",
        "relating",
        "similar",
        "access",
        "respond",
        "apply",
        "applies",
        "regard",
        "respect",
        "connection",
        "relation",
    ];
    for (i, w) in words.iter().enumerate() {
        if !w.eq_ignore_ascii_case("with") && !w.eq_ignore_ascii_case("to") {
            continue;
        }
        let bound = i.checked_sub(1).and_then(|p| words.get(p)).is_some_and(|p| {
            BOUND.contains(&p.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase().as_str())
        });
        if bound {
            continue;
        }
        let mut name: Vec<&str> = words[i + 1..]
            .iter()
            .copied()
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase) || connector(w))
            .take(6)
            .collect();
        while name.last().is_some_and(|w| connector(w)) {
            name.pop();
        }
        let pronoun = name.first().is_some_and(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            ["You", "Your", "Us", "Our", "We", "I", "Them", "Their", "This", "These", "The"].contains(&w)
        });
        // "shared with Olvid users you invite", "with Acme members": the name qualifies the
        // people who receive the data, the service's own users, not a company.
        let people = words.get(i + 1 + name.len()).is_some_and(|next| {
            let next = next.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
            ["user", "users", "member", "members", "customers", "contacts", "friends", "followers", "players"]
                .contains(&next.as_str())
        });
        if !name.is_empty() && !pronoun && !people {
            let joined = name.join(" ");
            return Some(joined.trim_end_matches([',', '.', ';', ':', ')']).to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_named_after_with_or_to() {
        assert_eq!(
            named_organisation(" your location with Acme Analytics Inc. for ads").as_deref(),
            Some("Acme Analytics Inc")
        );
        assert_eq!(named_organisation(" it with your friends"), None);
        assert_eq!(named_organisation(" it to You"), None);
        assert_eq!(named_organisation(" it to Bank of America and others").as_deref(), Some("Bank of America"));
        assert_eq!(named_organisation(" for purposes of compliance with California privacy law"), None);
        assert_eq!(named_organisation(" will only be shared with Olvid users you decide to invite"), None);
    }
}
