//! The house rules of the source tree (`src/lib.rs`, `docs/ARCHITECTURE.md`): the crate is six
//! layers, a module uses only its own layer and the layers below it, and no two modules need
//! each other (a module reaching into its own submodules does not count).
//!
//! The references are read from the source itself: every `crate::` and `super::` path outside
//! comments, string literals and `#[cfg(test)]` modules (test code may reach anywhere).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of the crate and its layer, bottom first.
const LAYERS: &[(&str, u8, &str)] = &[
    ("model", 1, "plain data and the vocabulary of the domain"),
    ("taxonomy", 2, "the policy data"),
    ("read", 3, "the readers"),
    ("engine", 4, "the judgment core"),
    ("run", 5, "the run"),
    ("report", 6, "the edges"),
    ("cli", 6, "the edges"),
];

/// One use of another module: where it is written and the module it reaches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Use {
    from: String,
    to: String,
    file: String,
    line: usize,
    path: String,
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let modules = crate_modules(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path());
    let uses = uses(&modules);
    // The reader must see the crate, or every check below passes for nothing.
    assert!(uses.len() > 300, "only {} references found: the reader is broken", uses.len());
    for known in
        [("engine::rules", "engine::compare"), ("read::policy", "taxonomy"), ("run::pipeline", "engine::rules")]
    {
        assert!(uses.iter().any(|u| (u.from.as_str(), u.to.as_str()) == known), "{known:?} not seen");
    }
    let wrong = upward(&uses);
    assert!(wrong.is_empty(), "modules that use a layer above their own:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_need_each_other() {
    let modules = crate_modules(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path());
    let uses = uses(&modules);
    let edges: BTreeSet<(&str, &str)> = uses.iter().map(|u| (u.from.as_str(), u.to.as_str())).collect();
    eprintln!("{} modules, {} edges between them", modules.len(), edges.len());
    let circles = circles(&uses);
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let layered: BTreeSet<&str> = LAYERS.iter().map(|(m, _, _)| *m).collect();
    assert_eq!(declared, layered, "src/lib.rs and the layer table here must name the same modules");
}

#[test]
fn the_checks_catch_what_they_are_for() {
    // A reader module that reaches up into the run, and two engine modules in a circle: each
    // written the ways real code writes a path (a use tree, a full path in an expression,
    // `super::`), with decoys in a comment and a string.
    let modules = vec![
        (
            "read::policy".to_string(),
            "src/read/policy/mod.rs".to_string(),
            "use crate::{taxonomy::Taxonomy, run::{config::{self}}};\n".to_string(),
        ),
        (
            "engine::compare".to_string(),
            "src/engine/compare.rs".to_string(),
            "fn f() { crate::engine::inventory::classify(); } // crate::cli::x\n".to_string(),
        ),
        (
            "engine::inventory".to_string(),
            "src/engine/inventory.rs".to_string(),
            "use super::compare::Changes;\nconst S: &str = \"crate::run::x\";\n".to_string(),
        ),
        ("engine".to_string(), "src/engine/mod.rs".to_string(), "pub mod compare;\npub mod inventory;\n".to_string()),
        ("run::config".to_string(), "src/run/config.rs".to_string(), String::new()),
        ("run".to_string(), "src/run/mod.rs".to_string(), String::new()),
        ("taxonomy".to_string(), "src/taxonomy.rs".to_string(), String::new()),
        ("read".to_string(), "src/read/mod.rs".to_string(), String::new()),
    ];
    let uses = uses(&modules);
    let found: BTreeSet<(&str, &str)> = uses.iter().map(|u| (u.from.as_str(), u.to.as_str())).collect();
    let expected: BTreeSet<(&str, &str)> = [
        ("read::policy", "taxonomy"),
        ("read::policy", "run::config"),
        ("engine::compare", "engine::inventory"),
        ("engine::inventory", "engine::compare"),
    ]
    .into();
    assert_eq!(found, expected);
    let wrong = upward(&uses);
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("src/read/policy/mod.rs:1") && wrong[0].contains("run::config"), "{wrong:?}");
    let circles = circles(&uses);
    assert_eq!(circles, vec!["engine::compare -> engine::inventory -> engine::compare".to_string()]);
}

/// Every module of the crate under `src`: (module path, file, text), `lib.rs` and `main.rs`
/// (the binary, above everything) left out.
fn crate_modules(src: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
            let Some(stem) = rel.strip_suffix(".rs") else { continue };
            if stem == "lib" || stem == "main" {
                continue;
            }
            let module = stem.strip_suffix("/mod").unwrap_or(stem).replace('/', "::");
            out.push((module, format!("src/{rel}"), std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// Every reference from one module to another, resolved to the module it names.
fn uses(modules: &[(String, String, String)]) -> Vec<Use> {
    let known: BTreeSet<&str> = modules.iter().map(|(m, _, _)| m.as_str()).collect();
    let mut out = Vec::new();
    for (module, file, text) in modules {
        let code = code_only(text);
        for (offset, path) in paths(&code) {
            let absolute = match absolute(module, &path) {
                Some(a) => a,
                None => continue,
            };
            // The longest module the path starts with: `engine::inventory::Inventory` is in
            // `engine::inventory`.
            let segments: Vec<&str> = absolute.split("::").collect();
            let Some(target) =
                (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| known.contains(m.as_str()))
            else {
                continue;
            };
            if &target == module || target.starts_with(&format!("{module}::")) {
                continue; // itself, or its own submodule
            }
            let line = code[..offset].matches('\n').count() + 1;
            out.push(Use { from: module.clone(), to: target, file: file.clone(), line, path: absolute });
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.file == b.file && a.line == b.line);
    out
}

/// The layer a module belongs to, from its first segment.
fn layer(module: &str) -> (u8, &'static str) {
    let top = module.split("::").next().unwrap();
    LAYERS
        .iter()
        .find(|(m, _, _)| *m == top)
        .map(|(_, n, name)| (*n, *name))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer: add its top-level module to LAYERS"))
}

/// The uses that reach a higher layer, one line each.
fn upward(uses: &[Use]) -> Vec<String> {
    uses.iter()
        .filter(|u| layer(&u.to).0 > layer(&u.from).0)
        .map(|u| {
            let ((from_n, from), (to_n, to)) = (layer(&u.from), layer(&u.to));
            format!(
                "  {}:{}: `{}` ({from}, layer {from_n}) uses `crate::{}` ({to}, layer {to_n})",
                u.file,
                u.line,
                u.from,
                u.path,
                to_n = to_n
            )
        })
        .collect()
}

/// The circles among modules: each strongly connected group of more than one module, shown as
/// one cycle through it.
fn circles(uses: &[Use]) -> Vec<String> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for u in uses {
        graph.entry(&u.from).or_default().insert(&u.to);
        graph.entry(&u.to).or_default();
    }
    let mut out = Vec::new();
    for group in strongly_connected(&graph) {
        if group.len() < 2 {
            continue;
        }
        // A cycle through the group's first module, by breadth-first search inside the group.
        let start = group[0];
        let inside: BTreeSet<&str> = group.iter().copied().collect();
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        while let Some(m) = queue.pop_front() {
            for &next in &graph[m] {
                if next == start {
                    end = Some(m);
                    break;
                }
                if inside.contains(next) && !parent.contains_key(next) {
                    parent.insert(next, m);
                    queue.push_back(next);
                }
            }
            if end.is_some() {
                break;
            }
        }
        let mut cycle = vec![start];
        let mut at = end.unwrap();
        while at != start {
            cycle.push(at);
            at = parent[at];
        }
        cycle[1..].reverse();
        cycle.push(start);
        out.push(cycle.join(" -> "));
    }
    out
}

/// Tarjan's strongly connected components, each sorted.
fn strongly_connected<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(v: &'a str, graph: &BTreeMap<&'a str, BTreeSet<&'a str>>, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in &graph[v] {
            if !s.index.contains_key(w) {
                visit(w, graph, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w);
                if w == v {
                    break;
                }
            }
            group.sort();
            s.out.push(group);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for &v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.out
}

/// The path a reference written in `module` names, from the crate root (`None`: not into
/// this crate, or the crate root itself).
fn absolute(module: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = match segments.first()? {
        &"crate" => Vec::new(),
        &"super" | &"self" => module.split("::").collect(),
        _ => return None,
    };
    if segments[0] == "crate" {
        segments.remove(0);
    }
    while let Some(&first) = segments.first() {
        match first {
            "super" => {
                base.pop()?;
            }
            "self" => {}
            _ => break,
        }
        segments.remove(0);
    }
    base.extend(segments);
    (!base.is_empty()).then(|| base.join("::"))
}

/// The source with comments, string and character literals blanked (newlines kept, so byte
/// offsets still give lines) and every `#[cfg(test)]` module cut.
fn code_only(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| {
        out.extend(s.iter().map(|&b| if b == b'\n' { '\n' } else { ' ' }));
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        let skip = if rest.starts_with(b"//") {
            rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            rest.windows(2).position(|w| w == b"*/").map_or(rest.len(), |p| p + 2)
        } else if rest.starts_with(b"r#\"")
            || rest.starts_with(b"r\"")
            || rest.starts_with(b"br\"")
            || rest.starts_with(b"br#\"")
        {
            let start = rest.iter().position(|&b| b == b'"').unwrap();
            let hashes = rest[..start].iter().filter(|&&b| b == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            rest[start + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(rest.len(), |p| start + 1 + p + close.len())
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(rest.len())
        } else if rest[0] == b'\'' {
            // A character literal (`'x'`, `'\n'`, `'\u{..}'`), else a lifetime.
            if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&b| b == b'\'').map_or(1, |p| p + 3)
            } else {
                match text[i + 1..].chars().next() {
                    Some(c) if rest.get(1 + c.len_utf8()) == Some(&b'\'') => 2 + c.len_utf8(),
                    _ => 1,
                }
            }
        } else {
            0
        };
        if skip == 0 {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        } else {
            blank(&mut out, &rest[..skip]);
            i += skip;
        }
    }
    out
}

/// Every path that starts at `crate`, `super` or `self`, with `use` trees expanded: (offset,
/// path).
fn paths(code: &str) -> Vec<(usize, String)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        let root = ["crate::", "super::", "self::"].into_iter().find(|r| code[i..].starts_with(r));
        match root {
            Some(_) if boundary => {
                let mut found = Vec::new();
                let end = tree(code, i, String::new(), &mut found);
                out.extend(found.into_iter().map(|p| (i, p)));
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads a path or use tree at `at` (`a::b`, `a::{b, c::{d}}`, `a::*`), appending each full
/// path to `found`; returns where it ends.
fn tree(code: &str, mut at: usize, prefix: String, found: &mut Vec<String>) -> usize {
    let bytes = code.as_bytes();
    let skip_space = |mut at: usize| {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        at
    };
    let mut path = prefix;
    loop {
        at = skip_space(at);
        if bytes.get(at) == Some(&b'{') {
            at += 1;
            loop {
                at = skip_space(at);
                match bytes.get(at) {
                    Some(b'}') => return at + 1,
                    Some(b',') => at += 1,
                    None => return at,
                    _ => {
                        let before = at;
                        at = tree(code, at, path.clone(), found);
                        if at == before {
                            at += 1;
                        }
                    }
                }
            }
        }
        let start = at;
        while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_' || bytes[at] == b'*') {
            at += 1;
        }
        let segment = &code[start..at];
        let named = |path: &str| path.trim_end_matches("::").to_string();
        match segment {
            // `a::<T>`, `a::*`, and `self` in a tree (`config::{self}`) name the path so far.
            "" | "*" => {
                if !path.is_empty() {
                    found.push(named(&path));
                }
                return at;
            }
            "self" if !path.is_empty() => {
                found.push(named(&path));
                return at;
            }
            _ => path.push_str(segment),
        }
        if code[at..].starts_with("::") {
            path.push_str("::");
            at += 2;
        } else {
            found.push(path);
            return at;
        }
    }
}
