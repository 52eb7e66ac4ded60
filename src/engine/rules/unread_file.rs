//! `unread-file`: a path where disclose would read a manifest or a policy holds something it
//! does not read (a link it does not follow, a pipe or device, a submodule, a folder). An error
//! when the old version read a file there (the gate would otherwise pass on what it can no
//! longer see); a warning when the entry is new; nothing when the old version had the same
//! unread entry (reported when it arrived; the report still lists it under `skipped`).

use super::Draft;
use crate::engine::compare::Comparison;
use crate::model::finding::Related;
use crate::model::source::Location;

pub(crate) fn check(cx: &Comparison) -> Vec<Draft> {
    // What the old version read: (path, what it was, with its article).
    let old_read: Vec<(&str, String)> = cx
        .old
        .manifests
        .iter()
        .map(|(p, k)| (p.as_str(), article(k.name())))
        .chain(cx.old.policies.iter().map(|p| (p.as_str(), "a policy".to_string())))
        .collect();
    cx.new
        .unread
        .iter()
        .filter_map(|u| {
            let inside = |p: &str| u.folder && p.strip_prefix(u.path.as_str()).is_some_and(|r| r.starts_with('/'));
            let same = old_read.iter().find(|(p, _)| *p == u.path);
            let under: Vec<&str> = old_read.iter().map(|(p, _)| *p).filter(|p| inside(p)).collect();
            let read = match (same, under.as_slice()) {
                (Some((_, what)), _) => format!("{what} there"),
                (None, []) if cx.old.unread.iter().any(|o| o.path == u.path) => return None,
                (None, []) => String::new(),
                (None, [one]) => format!("`{one}` in it"),
                (None, [a, b]) => format!("`{a}` and `{b}` in it"),
                (None, [a, rest @ ..]) => format!("`{a}` and {} more files in it", rest.len()),
            };
            let related = under
                .iter()
                .map(|p| Related { label: "read by the old version".into(), location: file(p, "read") })
                .collect();
            Some(Draft {
                category: None,
                subject: u.path.clone(),
                primary: file(&u.path, "not read"),
                related,
                policy: None,
                evidence: Vec::new(),
                args: vec![("path", format!("`{}`", u.path)), ("what", u.what.clone()), ("read", read)],
                variant: (same.is_none() && under.is_empty()).then_some("new-entry"),
            })
        })
        .collect()
}

/// "an Android manifest", "an Info.plist", "a privacy manifest".
fn article(name: &str) -> String {
    let vowel = name.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// A place that is a whole file (or an entry that is not one): no line, the note in brackets.
fn file(path: &str, note: &str) -> Location {
    Location { path: path.to_string(), line: 0, column: 0, snippet: note.into(), snippet_column: 1, width: 1 }
}
