//! `disclose.yaml`: schema, validation and the settings a run uses.
//!
//! In: the text of a config file (found by `run::version` and read by `run::pipeline`, which own file access). Out: a [`Config`]
//! (what one version's file says) and [`Settings`] (rule levels, threshold, exclusions and
//! permission mappings, from the new version's file or `--config`). The text is read as a
//! YAML tree that keeps every entry ([`crate::model::yaml`]), so that every problem of the file is
//! reported in one run, each at its own line and column: unknown keys (with the nearest valid
//! one), keys named twice, values of the wrong type, unknown rules and categories, bad globs,
//! dates and acknowledgements.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;

use std::path::Path;
use std::sync::Arc;

use globset::{Glob, GlobSetBuilder};

use crate::engine::rules;
use crate::model::error::Error;
use crate::model::finding::{Level, Threshold};
use crate::model::settings::{
    Ack, Acknowledgement, App, Config, CustomCategory, Date, DateRule, Extra, FailOn, Levels, Notice, RuleLevel,
    Settings, KEYS,
};
use crate::model::source::Source;
use crate::model::suggest::nearest;
use crate::model::yaml::{Step, Yaml};
use crate::run::read::read_path;
use crate::taxonomy::{android_name, Taxonomy};

/// Parses a config file's text; `path` names it in errors. Every problem of the file is
/// reported in one run, each at its own line and column (an [`Error::Several`] when there are
/// more than one): unknown keys (with the nearest valid one), keys named twice (at the second),
/// values of the wrong type, unknown rule ids and categories, globs that do not compile,
/// acknowledgements without a reason or a scope, dates that are not dates, and categories
/// `categories:` cannot add. Text that is not YAML stops at its first syntax error.
pub fn parse(path: &str, text: &str) -> Result<Config, Error> {
    let meaningful = text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#') && l != "---"
    });
    if !meaningful {
        return Ok(Config::default());
    }
    if let Some(line) = too_deep(text) {
        return Err(Error::Config {
            path: path.to_string(),
            line: Some(line),
            column: None,
            message: format!("brackets nest more than {MAX_FLOW_DEPTH} levels deep"),
            help: Some("disclose.yaml nests a few levels; check that the file is the one you meant".into()),
        });
    }
    let root = Yaml::parse(text).map_err(|e| syntax_error(path, text, &e))?;
    let mut reader = Reader::default();
    let config = reader.config(&root);
    if reader.issues.is_empty() {
        Ok(config)
    } else {
        Err(report(path, text, reader.issues, reader.total))
    }
}

/// The keys of an entry of `apps:`.
const APP_KEYS: &[&str] = &["name", "manifests", "policies", "collects"];
/// The keys of an entry of `categories:`.
const CATEGORY_KEYS: &[&str] = &["id", "parent", "label", "vocabulary", "qualifiers"];
/// The keys of an entry of `acknowledge:`.
const ACK_KEYS: &[&str] = &["rule", "category", "path", "subject", "reason", "expires"];
/// The keys of `notice:`.
const NOTICE_KEYS: &[&str] = &["date", "changelog"];

/// The levels of a rule, and what they mean.
const LEVELS: (&[&str], &str) =
    (&["off", "note", "warning", "error"], "a rule is reported at the level it is set to, and `off` does not run");
/// The values of `fail_on`, and what they mean.
const FAIL_ON: (&[&str], &str) = (
    &["error", "warning", "note", "never"],
    "the run fails on findings at this level or above (`never`: it never fails)",
);
/// The values of `notice.date`, and what they mean.
const DATE_RULES: (&[&str], &str) = (
    &["required", "optional"],
    "`required`: a changed policy needs a new date line (or change-log entry); `optional`: only a change-log entry counts",
);
/// The help of a value that must be text.
const TEXT_HELP: &str = "write it as text (quoted, when it holds `: ` or ` #`)";

/// The most problems one file reports: each is located by reading the file once more, so a
/// file with thousands of them cannot make a run slow.
const MAX_ISSUES: usize = 20;

/// A problem found in disclose.yaml, at the node `at` leads to.
struct Issue {
    at: Vec<Step>,
    message: String,
    help: Option<String>,
    /// For a key named twice: the first one, whose line the message names.
    first: Option<Vec<Step>>,
}

/// One entry of a mapping, read: its key, its value, and the paths to both.
struct Field<'y> {
    key: String,
    value: &'y Yaml,
    key_at: Vec<Step>,
    at: Vec<Step>,
}

/// `at` with one more step.
fn then(at: &[Step], step: Step) -> Vec<Step> {
    let mut path = at.to_vec();
    path.push(step);
    path
}

/// Reads the tree of a disclose.yaml into a [`Config`], noting every problem on the way (what
/// it reads despite a problem does not matter: the file is refused).
#[derive(Default)]
struct Reader {
    /// The first [`MAX_ISSUES`] problems.
    issues: Vec<Issue>,
    /// How many there are.
    total: usize,
}

impl Reader {
    fn issue(&mut self, at: Vec<Step>, message: String, help: &str) {
        self.issue_with(at, || (message, help.to_string()));
    }

    /// Notes a problem; its message and help (which may look for the nearest valid name) are
    /// made only for the ones reported.
    fn issue_with(&mut self, at: Vec<Step>, make: impl FnOnce() -> (String, String)) {
        self.total += 1;
        if self.issues.len() < MAX_ISSUES {
            let (message, help) = make();
            self.issues.push(Issue { at, message, help: Some(help).filter(|h| !h.is_empty()), first: None });
        }
    }

    /// The entries of a mapping named `name` whose valid keys are `keys` (empty: any key). A
    /// key that is not text, a key named twice (at the second) and an unknown key are
    /// problems; null is an empty mapping.
    fn mapping<'y>(&mut self, node: &'y Yaml, at: &[Step], name: &str, keys: &[&str]) -> Vec<Field<'y>> {
        let entries = match node {
            Yaml::Null => return Vec::new(),
            Yaml::Map(entries) => entries,
            other => {
                let message = format!("`{name}` must be a mapping (`key: value` lines), not {}", other.kind());
                self.issue(at.to_vec(), message, "see the Configuration section of the README");
                return Vec::new();
            }
        };
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (i, (key, value)) in entries.iter().enumerate() {
            let key_at = then(at, Step::Key(i));
            let Some(key) = key.scalar() else {
                self.issue(
                    key_at,
                    format!("a key of `{name}` must be text, not {}", key.kind()),
                    "write the key as text",
                );
                continue;
            };
            if let Some(&first) = seen.get(&key) {
                let reported = self.issues.len() < MAX_ISSUES;
                self.issue_with(key_at, || {
                    let help = format!(
                        "keep one `{key}`: a YAML reader keeps only one of the two values, and readers differ on which"
                    );
                    (format!("duplicate key `{key}`"), help)
                });
                if let Some(issue) = self.issues.last_mut().filter(|_| reported) {
                    issue.first = Some(then(at, Step::Key(first)));
                }
                continue;
            }
            seen.insert(key.clone(), i);
            if !keys.is_empty() && !keys.contains(&key.as_str()) {
                self.issue_with(key_at, || {
                    let help = match nearest(&key, keys.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`? valid keys here: {}", keys.join(", ")),
                        None => format!("valid keys here: {}", keys.join(", ")),
                    };
                    (format!("unknown key `{key}`"), help)
                });
                continue;
            }
            out.push(Field { key, value, key_at, at: then(at, Step::Value(i)) });
        }
        out
    }

    /// Text: any scalar, as YAML reads a string (`5` is `"5"`); `None` for null. A list or a
    /// mapping is a problem.
    fn text(&mut self, node: &Yaml, at: &[Step], name: &str) -> Option<String> {
        match node {
            Yaml::List(_) | Yaml::Map(_) => {
                self.issue(at.to_vec(), format!("`{name}` must be text, not {}", node.kind()), TEXT_HELP);
                None
            }
            scalar => scalar.scalar(),
        }
    }

    /// The items of a list, with their paths; null is none. Another value is a problem.
    fn list<'y>(&mut self, node: &'y Yaml, at: &[Step], name: &str) -> Vec<(&'y Yaml, Vec<Step>)> {
        match node {
            Yaml::Null => Vec::new(),
            Yaml::List(items) => items.iter().enumerate().map(|(i, item)| (item, then(at, Step::Item(i)))).collect(),
            other => {
                let message = format!("`{name}` must be a list, not {}", other.kind());
                self.issue(at.to_vec(), message, "write it as a list: `[a, b]`, or one `- item` a line");
                Vec::new()
            }
        }
    }

    /// A list of texts, each with its path; an item that is not text is a problem.
    fn texts(&mut self, node: &Yaml, at: &[Step], name: &str) -> Vec<(String, Vec<Step>)> {
        let mut out = Vec::new();
        for (i, (item, item_at)) in self.list(node, at, name).into_iter().enumerate() {
            match item.scalar() {
                Some(text) => out.push((text, item_at)),
                None => self.issue(item_at, format!("`{name}[{i}]` must be text, not {}", item.kind()), TEXT_HELP),
            }
        }
        out
    }

    /// One of `choices`, spelled exactly; null is `None` unless `required`. `help` says what
    /// the choices mean.
    fn choice(
        &mut self,
        node: &Yaml,
        at: &[Step],
        name: &str,
        (choices, help): (&[&str], &str),
        required: bool,
    ) -> Option<String> {
        let text = self.text(node, at, name);
        match text {
            Some(t) if choices.contains(&t.as_str()) => Some(t),
            None if !required && *node == Yaml::Null => None,
            None if matches!(node, Yaml::List(_) | Yaml::Map(_)) => None,
            other => {
                let (last, rest) = choices.split_last().expect("choices are given");
                let valid = format!("`{}` or `{last}`", rest.join("`, `"));
                let found = other.map_or("null".to_string(), |t| format!("`{t}`"));
                self.issue(at.to_vec(), format!("`{name}` must be {valid}, not {found}"), help);
                None
            }
        }
    }

    /// A list of globs; one that does not compile is a problem at it.
    fn globs(&mut self, node: &Yaml, at: &[Step], name: &str, help: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (g, item_at) in self.texts(node, at, name) {
            if let Err(message) = glob_of(&g) {
                self.issue(item_at, message, help);
            }
            out.push(g);
        }
        out
    }

    /// A list of category ids; one the taxonomy does not know is a problem at it.
    fn category_ids(&mut self, node: &Yaml, at: &[Step], name: &str, t: &Taxonomy) -> Vec<String> {
        let mut out = Vec::new();
        for (id, item_at) in self.texts(node, at, name) {
            if t.id(&id).is_none() {
                self.issue_with(item_at, || category_id(t, &id, name).err().unwrap_or_default());
            }
            out.push(id);
        }
        out
    }

    fn config(&mut self, root: &Yaml) -> Config {
        let fields = self.mapping(root, &[], "disclose.yaml", KEYS);
        let mut c = Config::default();
        // `categories:` first: the categories it adds are valid everywhere in the file.
        let mut extended = None;
        if let Some(f) = fields.iter().find(|f| f.key == "categories") {
            (c.categories, extended) = self.categories(f.value, &f.at);
        }
        let t = extended.as_ref().unwrap_or_else(|| Taxonomy::builtin());
        for f in &fields {
            let (v, at) = (f.value, &f.at[..]);
            match f.key.as_str() {
                "policies" => c.policies = self.paths(v, at, "policies"),
                "manifests" => c.manifests = self.paths(v, at, "manifests"),
                "exclude" => {
                    c.exclude = self.globs(v, at, "exclude", "use globs such as `**/build/**` or `legacy/*.md`")
                }
                "rules" => c.rules = self.rules(v, at),
                "fail_on" => {
                    c.fail_on = self.choice(v, at, "fail_on", FAIL_ON, false).map(|l| match l.as_str() {
                        "warning" => FailOn::Warning,
                        "note" => FailOn::Note,
                        "never" => FailOn::Never,
                        _ => FailOn::Error,
                    })
                }
                "permissions" => {
                    for p in self.mapping(v, at, "permissions", &[]) {
                        let ids = self.category_ids(p.value, &p.at, &format!("permissions.{}", p.key), t);
                        c.permissions.insert(p.key, ids);
                    }
                }
                "notice" => c.notice = self.notice(v, at),
                "apps" => c.apps = self.apps(v, at, t),
                "collects" => c.collects = self.category_ids(v, at, "collects", t),
                "acknowledge" => c.acknowledge = self.acknowledge(v, at, t),
                _ => {}
            }
        }
        c
    }

    /// `policies:` or `manifests:`: paths or globs (null: found by name). A glob that does not
    /// compile, and a path under `manifests:` that names no manifest disclose reads, are
    /// problems.
    fn paths(&mut self, node: &Yaml, at: &[Step], key: &str) -> Option<Vec<String>> {
        if *node == Yaml::Null {
            return None;
        }
        let mut out = Vec::new();
        for (entry, item_at) in self.texts(node, at, key) {
            let e = entry.trim_start_matches("./");
            if e.contains(['*', '?', '[', '{']) {
                if let Err(message) = glob(e) {
                    self.issue(item_at, message, "use globs such as `docs/*.md` or `apps/*/AndroidManifest.xml`");
                }
            } else if key == "manifests" && crate::read::manifest::Kind::of(e).is_none() {
                let message =
                    format!("`{entry}` is not a manifest disclose reads ({})", crate::read::manifest::Kind::NAMES);
                self.issue(item_at, message, "fix the `manifests` list");
            }
            out.push(entry);
        }
        Some(out)
    }

    fn rules(&mut self, node: &Yaml, at: &[Step]) -> BTreeMap<String, RuleLevel> {
        let mut out = BTreeMap::new();
        for f in self.mapping(node, at, "rules", &[]) {
            if rules::rule(&f.key).is_none() {
                let id = &f.key;
                self.issue_with(f.key_at.clone(), || {
                    (format!("unknown rule `{id}` under `rules`"), rules::unknown_rule_help(id))
                });
            }
            let name = format!("rules.{}", f.key);
            let level = self.choice(f.value, &f.at, &name, LEVELS, true);
            let level = match level.as_deref() {
                Some("off") => RuleLevel::Off,
                Some("note") => RuleLevel::Note,
                Some("warning") => RuleLevel::Warning,
                Some("error") => RuleLevel::Error,
                _ => continue,
            };
            out.insert(f.key, level);
        }
        out
    }

    fn notice(&mut self, node: &Yaml, at: &[Step]) -> Notice {
        let mut notice = Notice::default();
        for f in self.mapping(node, at, "notice", NOTICE_KEYS) {
            match f.key.as_str() {
                "date" => {
                    if self.choice(f.value, &f.at, "notice.date", DATE_RULES, false).as_deref() == Some("optional") {
                        notice.date = DateRule::Optional;
                    }
                }
                _ => notice.changelog = self.text(f.value, &f.at, "notice.changelog"),
            }
        }
        notice
    }

    fn apps(&mut self, node: &Yaml, at: &[Step], t: &Taxonomy) -> Vec<App> {
        let mut apps = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, (item, item_at)) in self.list(node, at, "apps").into_iter().enumerate() {
            let name = format!("apps[{i}]");
            let mut app = App::default();
            let mut name_at = None;
            let glob_help = "use globs such as `apps/mobile/**`";
            for f in self.mapping(item, &item_at, &name, APP_KEYS) {
                match f.key.as_str() {
                    "name" => {
                        app.name = self.text(f.value, &f.at, &format!("{name}.name")).unwrap_or_default();
                        name_at = Some(f.at.clone());
                    }
                    "manifests" => app.manifests = self.globs(f.value, &f.at, &format!("{name}.manifests"), glob_help),
                    "policies" => app.policies = self.globs(f.value, &f.at, &format!("{name}.policies"), glob_help),
                    _ => app.collects = self.category_ids(f.value, &f.at, &format!("{name}.collects"), t),
                }
            }
            if !matches!(item, Yaml::Map(_)) {
                continue;
            }
            match name_at.filter(|_| !app.name.trim().is_empty()) {
                None => self.issue(item_at.clone(), format!("`{name}` has no `name`"), "give each app a `name:`"),
                Some(at) if !names.insert(app.name.clone()) => {
                    self.issue(at, format!("two apps are named `{}`", app.name), "give each app its own name")
                }
                Some(_) => {}
            }
            if app.manifests.is_empty() && app.collects.is_empty() {
                self.issue(
                    item_at,
                    format!("app `{}` lists no manifests and collects nothing", app.name),
                    "add `manifests:` (paths or globs) or `collects:` (category ids)",
                );
            }
            apps.push(app);
        }
        apps
    }

    /// `categories:`, and the taxonomy with them added (`None` when none is added). A category
    /// the taxonomy cannot take is a problem at its id (or its parent), and is left out, so
    /// the others still extend the taxonomy the rest of the file is read with.
    fn categories(&mut self, node: &Yaml, at: &[Step]) -> (Vec<CustomCategory>, Option<Taxonomy>) {
        let mut read: Vec<(CustomCategory, Vec<Step>, Option<Vec<Step>>)> = Vec::new();
        for (i, (item, item_at)) in self.list(node, at, "categories").into_iter().enumerate() {
            let name = format!("categories[{i}]");
            let (mut c, mut id_at, mut parent_at) = (CustomCategory::default(), None, None);
            for f in self.mapping(item, &item_at, &name, CATEGORY_KEYS) {
                let key = format!("{name}.{}", f.key);
                match f.key.as_str() {
                    "id" => {
                        c.id = self.text(f.value, &f.at, &key).unwrap_or_default();
                        id_at = Some(f.at.clone());
                    }
                    "parent" => {
                        c.parent = self.text(f.value, &f.at, &key);
                        parent_at = Some(f.at.clone());
                    }
                    "label" => c.label = self.text(f.value, &f.at, &key),
                    "vocabulary" => {
                        c.vocabulary = self.texts(f.value, &f.at, &key).into_iter().map(|(t, _)| t).collect()
                    }
                    _ => c.qualifiers = self.texts(f.value, &f.at, &key).into_iter().map(|(t, _)| t).collect(),
                }
            }
            if !matches!(item, Yaml::Map(_)) {
                continue;
            }
            match id_at.filter(|_| !c.id.trim().is_empty()) {
                Some(id_at) => read.push((c, id_at, parent_at)),
                None => self.issue(item_at, format!("`{name}` has no `id`"), "give the category a dotted `id:`"),
            }
        }
        if read.is_empty() {
            return (Vec::new(), None);
        }
        // Each category the taxonomy refuses is reported and left out; the rest are tried again.
        for _ in 0..=MAX_ISSUES {
            let categories: Vec<CustomCategory> = read.iter().map(|(c, _, _)| c.clone()).collect();
            match Taxonomy::builtin().extended(&categories) {
                Ok(t) => return (categories, Some(t)),
                Err((index, value, message)) => {
                    let (c, id_at, parent_at) = read.remove(index);
                    let at = parent_at.filter(|_| c.parent.as_deref() == Some(value.as_str())).unwrap_or(id_at);
                    self.issue(at, message, "see `categories:` in the README's Configuration section");
                }
            }
        }
        (Vec::new(), None)
    }

    fn acknowledge(&mut self, node: &Yaml, at: &[Step], t: &Taxonomy) -> Vec<Acknowledgement> {
        let mut out = Vec::new();
        for (i, (item, item_at)) in self.list(node, at, "acknowledge").into_iter().enumerate() {
            let name = format!("acknowledge[{i}]");
            let mut a = Acknowledgement::default();
            let mut rule_at = None;
            for f in self.mapping(item, &item_at, &name, ACK_KEYS) {
                let key = format!("{name}.{}", f.key);
                let value = self.text(f.value, &f.at, &key);
                match f.key.as_str() {
                    "rule" => {
                        a.rule = value.unwrap_or_default();
                        rule_at = Some(f.at.clone());
                    }
                    "category" => {
                        if let Some(id) = &value {
                            if t.id(id).is_none() {
                                let made = || category_id(t, id, "acknowledge").err().unwrap_or_default();
                                self.issue_with(f.at.clone(), made);
                            }
                        }
                        a.category = value;
                    }
                    "path" => {
                        if let Some(Err(message)) = value.as_deref().map(glob) {
                            self.issue(f.at.clone(), message, "use globs such as `android/**`");
                        }
                        a.path = value;
                    }
                    "subject" => a.subject = value,
                    "reason" => a.reason = value,
                    _ => {
                        if let Some(d) = value.as_deref().filter(|d| Date::parse(d).is_none()) {
                            self.issue(
                                f.at.clone(),
                                format!("`expires: {d}` is not a date"),
                                "write the last day it applies as YYYY-MM-DD",
                            );
                        }
                        a.expires = value;
                    }
                }
            }
            if !matches!(item, Yaml::Map(_)) {
                continue;
            }
            match rule_at.filter(|_| !a.rule.trim().is_empty()) {
                None => self.issue(
                    item_at.clone(),
                    format!("`{name}` has no `rule`"),
                    "add `rule:` with the id of the rule whose finding it acknowledges",
                ),
                Some(at) if rules::rule(&a.rule).is_none() => self.issue_with(at, || {
                    (format!("unknown rule `{}` in an acknowledgement", a.rule), rules::unknown_rule_help(&a.rule))
                }),
                Some(_) => {}
            }
            if a.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).is_none() {
                self.issue(
                    item_at.clone(),
                    format!("the acknowledgement of `{}` has no reason", a.rule),
                    "add `reason:` saying why the finding is acceptable and who decided (a ticket id helps)",
                );
            }
            if a.category.is_none() && a.subject.is_none() && a.path.is_none() {
                self.issue(
                    item_at,
                    format!("the acknowledgement of `{}` names no category, subject or path", a.rule),
                    "narrow it to the finding it covers (`category:`, `subject:` or `path:`); to silence a rule, set it to `off` under `rules:`",
                );
            }
            out.push(a);
        }
        out
    }
}

/// The problems of one file as errors, each at its place, top to bottom (at most
/// [`MAX_ISSUES`], then one saying how many more there are).
fn report(path: &str, text: &str, issues: Vec<Issue>, total: usize) -> Error {
    let shown = issues.len();
    let mut located: Vec<((usize, usize), Error)> = issues
        .into_iter()
        .map(|issue| {
            let at = crate::model::yaml::locate(text, &issue.at);
            let message = match issue.first.as_deref().and_then(|first| crate::model::yaml::locate(text, first)) {
                Some((line, _)) => format!("{} (first on line {line})", issue.message),
                None => issue.message,
            };
            let error = Error::Config {
                path: path.to_string(),
                line: at.map(|(line, _)| line),
                column: at.map(|(_, column)| column),
                message,
                help: issue.help,
            };
            (at.unwrap_or((usize::MAX, 0)), error)
        })
        .collect();
    located.sort_by_key(|(at, _)| *at);
    let mut errors: Vec<Error> = located.into_iter().map(|(_, e)| e).collect();
    if total > shown {
        errors.push(Error::Config {
            path: path.to_string(),
            line: None,
            column: None,
            message: format!("{} more problems not shown", total - shown),
            help: Some("fix the ones above and run again".into()),
        });
    }
    if errors.len() == 1 {
        errors.pop().expect("one error")
    } else {
        Error::Several(errors)
    }
}

/// The deepest `[`/`{` nesting a disclose.yaml may have. The YAML parser's time grows with the
/// square of the nesting (100,000 levels take minutes), and a real file nests two or three.
const MAX_FLOW_DEPTH: usize = 64;

/// The line where `[`/`{` first nest deeper than [`MAX_FLOW_DEPTH`], if they do. Quoted text
/// and comments are skipped; a bracket inside a plain scalar can only make the count higher.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut line) = (0usize, None, 1);
    // The previous character, and the last one that was not a space on this line: a quote
    // opens a scalar only where a scalar can begin (`key: 'x'`, `- "x"`, `[x, 'y']`), so the
    // apostrophe in `reason: don't` is text.
    let (mut previous, mut last) = ('\n', '\n');
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(last, '\n' | ':' | '-' | '?' | '[' | '{' | ',') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => {
                // A comment: skip to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                (line, previous, last) = (line + 1, '\n', '\n');
                continue;
            }
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(line);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == '\n' {
            line += 1;
            last = '\n';
        } else if !c.is_whitespace() {
            last = c;
        }
        previous = c;
    }
    None
}

/// A syntax error of the YAML parser, at its place.
fn syntax_error(path: &str, text: &str, e: &serde_yaml::Error) -> Error {
    // The YAML parser puts the end of a file without a final newline one line past it.
    let last = text.split('\n').count();
    let (line, column) = e.location().map_or((None, None), |l| (Some(l.line().min(last)), Some(l.column())));
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    Error::Config {
        path: path.to_string(),
        line,
        column,
        message,
        help: Some("see the Configuration section of the README".into()),
    }
}

/// The line of `text` where `key:` first appears, for errors about values serde accepted.
pub(crate) fn line_of(text: &str, key: &str) -> Option<usize> {
    let code = |l: &&str| !l.trim_start().starts_with('#');
    let lines = || text.lines().enumerate().filter(|(_, l)| code(l));
    lines()
        .find(|(_, l)| l.contains(&format!("{key}:")) || l.contains(&format!("\"{key}\"")))
        // A value rather than a key: `collects: [acount.email]`.
        .or_else(|| lines().find(|(_, l)| l.contains(key)))
        .map(|(i, _)| i + 1)
}

/// Resolves settings from a config (the new version's, or `--config`). [`parse`] has reported
/// every problem of the file at its place; what is checked here again guards a [`Config`]
/// made some other way.
pub fn settings(path: &str, text: &str, config: &Config, t: &Taxonomy) -> Result<Settings, Error> {
    let err = |key: &str, message: String, help: String| Error::Config {
        path: path.to_string(),
        line: line_of(text, key),
        column: None,
        message,
        help: Some(help),
    };
    let mut levels = Levels::new();
    for (id, level) in &config.rules {
        if rules::rule(id).is_none() {
            return Err(err(id, format!("unknown rule `{id}` under `rules`"), rules::unknown_rule_help(id)));
        }
        let l = match level {
            RuleLevel::Off => None,
            RuleLevel::Note => Some(Level::Note),
            RuleLevel::Warning => Some(Level::Warning),
            RuleLevel::Error => Some(Level::Error),
        };
        levels.insert(id.clone(), l);
    }
    let fail_on = match config.fail_on {
        None | Some(FailOn::Error) => Threshold::At(Level::Error),
        Some(FailOn::Warning) => Threshold::At(Level::Warning),
        Some(FailOn::Note) => Threshold::At(Level::Note),
        Some(FailOn::Never) => Threshold::Never,
    };
    let mut builder = GlobSetBuilder::new();
    for g in &config.exclude {
        builder.add(glob_of(g).map_err(|m| err(g, m, "use globs such as `**/build/**` or `legacy/*.md`".into()))?);
    }
    let exclude = builder.build().map_err(|e| err("exclude", format!("invalid exclude globs: {e}"), String::new()))?;
    let mut extra = Extra::new();
    for (name, ids) in &config.permissions {
        let mut cats = Vec::new();
        for id in ids {
            let key = format!("permissions.{name}");
            cats.push(category_id(t, id, &key).map_err(|(m, h)| err(id, m, h))?);
        }
        extra.insert(android_name(name), cats);
    }
    for id in config.collects.iter().chain(config.apps.iter().flat_map(|a| &a.collects)) {
        category_id(t, id, "collects").map_err(|(m, h)| err(id, m, h))?;
    }
    let mut names = std::collections::BTreeSet::new();
    for app in &config.apps {
        if !names.insert(app.name.as_str()) {
            return Err(err(
                &app.name,
                format!("two apps are named `{}`", app.name),
                "give each app its own name".into(),
            ));
        }
        if app.manifests.is_empty() && app.collects.is_empty() {
            return Err(err(
                &app.name,
                format!("app `{}` lists no manifests and collects nothing", app.name),
                "add `manifests:` (paths or globs) or `collects:` (category ids)".into(),
            ));
        }
        for g in app.manifests.iter().chain(&app.policies) {
            glob_of(g).map_err(|m| err(g, m, "use globs such as `apps/mobile/**`".into()))?;
        }
    }
    let mut acknowledge = Vec::new();
    for (i, a) in config.acknowledge.iter().enumerate() {
        let line = item_line(text, "acknowledge", i);
        let at = |message: String, help: &str| Error::Config {
            path: path.to_string(),
            line,
            column: None,
            message,
            help: Some(help.to_string()),
        };
        if rules::rule(&a.rule).is_none() {
            let help = rules::unknown_rule_help(&a.rule);
            return Err(at(format!("unknown rule `{}` in an acknowledgement", a.rule), &help));
        }
        let reason = a.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
            at(
                format!("the acknowledgement of `{}` has no reason", a.rule),
                "add `reason:` saying why the finding is acceptable and who decided (a ticket id helps)",
            )
        })?;
        if a.category.is_none() && a.subject.is_none() && a.path.is_none() {
            return Err(at(
                format!("the acknowledgement of `{}` names no category, subject or path", a.rule),
                "narrow it to the finding it covers (`category:`, `subject:` or `path:`); to silence a rule, set it to `off` under `rules:`",
            ));
        }
        if let Some(id) = &a.category {
            category_id(t, id, "acknowledge").map_err(|(m, h)| at(m, &h))?;
        }
        let expires = match &a.expires {
            None => None,
            Some(d) => Some(Date::parse(d).ok_or_else(|| {
                at(format!("`expires: {d}` is not a date"), "write the last day it applies as YYYY-MM-DD")
            })?),
        };
        let path_glob = match &a.path {
            None => None,
            Some(g) => Some(glob(g).map_err(|m| at(m, "use globs such as `android/**`"))?),
        };
        acknowledge.push(Ack {
            rule: a.rule.clone(),
            category: a.category.clone(),
            path: path_glob,
            subject: a.subject.as_deref().map(|s| crate::engine::inventory::short_subject(s.trim()).to_string()),
            reason: reason.to_string(),
            expires,
            at: match line {
                Some(l) => format!("{path}:{l}"),
                None => path.to_string(),
            },
        });
    }
    Ok(Settings {
        levels,
        fail_on,
        exclude,
        extra,
        notice: config.notice.clone(),
        acknowledge,
        apps: config.apps.clone(),
        categories: config.categories.clone(),
    })
}

/// A category id, or an error message and help naming the nearest one.
fn category_id(t: &Taxonomy, id: &str, key: &str) -> Result<crate::taxonomy::CategoryId, (String, String)> {
    t.id(id).ok_or_else(|| {
        let help = match nearest(id, t.categories.iter().map(|c| c.id.as_str())) {
            Some(n) => format!("did you mean `{n}`? `disclose categories` lists every id"),
            None => "`disclose categories` lists every id".to_string(),
        };
        (format!("unknown category `{id}` under `{key}`"), help)
    })
}

/// The line of the `index`-th item of the top-level list `key`.
fn item_line(text: &str, key: &str, index: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(&format!("{key}:")))?;
    lines[start + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '-', '#']))
        .filter(|(_, l)| l.trim_start().starts_with("- "))
        .filter(|(_, l)| {
            // Items of this list, not of a nested one: the least indented dashes.
            let indent = l.len() - l.trim_start().len();
            indent <= 2
        })
        .nth(index)
        .map(|(i, _)| start + 2 + i)
}

/// A glob that matches paths relative to a version root, `/` separated.
pub(crate) fn glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    glob_of(pattern).map(|g| g.compile_matcher())
}

fn glob_of(pattern: &str) -> Result<Glob, String> {
    globset::GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))
}

/// A `disclose.yaml`: where it is, its text and what it says.
pub struct ConfigFile {
    /// How to name it.
    pub label: String,
    /// Its text.
    pub text: String,
    /// What it says.
    pub config: Config,
}

impl ConfigFile {
    /// Parses a (label, text) pair as a version's `config()` returns it.
    pub fn parse((label, text): (String, String)) -> Result<ConfigFile, Error> {
        Ok(ConfigFile { config: parse(&label, &text)?, label, text })
    }
}

/// The taxonomy (extended by `categories:`) and the settings a configuration gives a run.
pub fn configure(governing: Option<&ConfigFile>) -> Result<(Arc<Taxonomy>, Settings), Error> {
    // Categories from disclose.yaml extend the taxonomy for the whole run.
    let taxonomy: Arc<Taxonomy> = match governing.filter(|c| !c.config.categories.is_empty()) {
        None => Arc::clone(Taxonomy::shared_builtin()),
        Some(c) => {
            Arc::new(Taxonomy::builtin().extended(&c.config.categories).map_err(|(_, id, message)| Error::Config {
                path: c.label.clone(),
                line: line_of(&c.text, &id),
                column: None,
                message,
                help: Some("see `categories:` in the README's Configuration section".into()),
            })?)
        }
    };
    let settings = match governing {
        Some(c) => settings(&c.label, &c.text, &c.config, &taxonomy)?,
        None => Settings::default(),
    };
    Ok((taxonomy, settings))
}

/// Reads and parses the file given with `--config`.
pub fn read_config(path: &Path) -> Result<ConfigFile, Error> {
    let label = path.display().to_string();
    let bytes = read_path(path, &label, crate::model::limits::DEFAULT_MAX_FILE_SIZE)?;
    let text = Source::decode(&label, &bytes)?.text;
    ConfigFile::parse((label, text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_brackets_are_an_error_before_the_yaml_parser_sees_them() {
        let deep = format!("policies: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = super::parse("disclose.yaml", &deep).unwrap_err().to_string();
        assert_eq!(e, "disclose.yaml:1: brackets nest more than 64 levels deep");
        // Brackets in quotes and comments do not count; an apostrophe in plain text opens no quote.
        let fine = format!(
            "# {}\npolicies: ['{}', \"{}\"]\nacknowledge:\n  - rule: x\n    category: location.precise\n    reason: we don't {}\n",
            "[".repeat(100),
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(10)
        );
        assert_eq!(super::too_deep(&fine), None);
        let sneaky = format!("exclude: [don't\npolicies: {}", "[".repeat(100));
        assert_eq!(super::too_deep(&sneaky), Some(2));
    }

    #[test]
    fn alias_bombs_are_errors() {
        let mut text = String::from(
            "permissions:\n  A: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            text.push_str(&format!(
                "  {}: &{} [{}]\n",
                w[1].to_uppercase(),
                w[1],
                vec![format!("*{}", w[0]); 9].join(", ")
            ));
        }
        assert!(super::parse("disclose.yaml", &text).is_err());
    }

    use super::*;

    #[test]
    fn unknown_keys_name_the_line_and_the_nearest_key() {
        let e = parse("disclose.yaml", "# config\npolices: [a.md]\n").unwrap_err();
        assert_eq!(e.to_string(), "disclose.yaml:2:1: unknown key `polices`");
        assert!(e.help().unwrap().starts_with("did you mean `policies`?"));
        let e = parse(
            "disclose.yaml",
            "acknowledge:\n  - rule: undisclosed-collection\n    category: audio.voice\n    reason: beta\n    reasn: beta\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "disclose.yaml:5:5: unknown key `reasn`");
        assert!(e.help().unwrap().starts_with("did you mean `reason`?"), "{:?}", e.help());
    }

    /// Every problem of the file, each at its own line and column, top to bottom.
    #[test]
    fn every_problem_is_reported_at_its_place() {
        let text = "\
policies: [docs/privacy.md]
polices: [a.md]
rules:
  undisclosed-colection: off
  stale-disclosure: loud
exclude: ['legacy/[*.md']
collects: [acount.email, account.email]
fail_on: sometimes
permissions:
  com.example.SCAN: [camera, camra]
apps:
  - name: web
    collects: [account.email]
  - name: web
    manifests: [apps/web/**]
acknowledge:
  - rule: undisclosed-collection
    category: audio.voice
  - rule: no-such-rule
    subject: RECORD_AUDIO
    reason: beta
    expires: 2025-02-30
policies: [PRIVACY.md]
notice: {date: sometimes, changelog: [a]}
";
        let e = parse("disclose.yaml", text).unwrap_err();
        let blocks: Vec<String> = e.blocks().iter().map(|b| b.to_string()).collect();
        assert_eq!(
            blocks,
            vec![
                "disclose.yaml:2:1: unknown key `polices`",
                "disclose.yaml:4:3: unknown rule `undisclosed-colection` under `rules`",
                "disclose.yaml:5:21: `rules.stale-disclosure` must be `off`, `note`, `warning` or `error`, not `loud`",
                "disclose.yaml:6:11: invalid glob `legacy/[*.md`: error parsing glob 'legacy/[*.md': unclosed character class; missing ']'",
                "disclose.yaml:7:12: unknown category `acount.email` under `collects`",
                "disclose.yaml:8:10: `fail_on` must be `error`, `warning`, `note` or `never`, not `sometimes`",
                "disclose.yaml:10:30: unknown category `camra` under `permissions.com.example.SCAN`",
                "disclose.yaml:14:11: two apps are named `web`",
                "disclose.yaml:17:5: the acknowledgement of `undisclosed-collection` has no reason",
                "disclose.yaml:19:11: unknown rule `no-such-rule` in an acknowledgement",
                "disclose.yaml:22:14: `expires: 2025-02-30` is not a date",
                "disclose.yaml:23:1: duplicate key `policies` (first on line 1)",
                "disclose.yaml:24:16: `notice.date` must be `required` or `optional`, not `sometimes`",
                "disclose.yaml:24:38: `notice.changelog` must be text, not a list",
            ]
        );
        assert_eq!(e.to_string(), blocks.join("\n"));
        let helps: Vec<Option<&str>> = e.blocks().iter().map(|b| b.help()).collect();
        assert!(helps[0].unwrap().starts_with("did you mean `policies`?"), "{helps:?}");
        assert!(helps[1].unwrap().contains("undisclosed-collection"), "{helps:?}");
        assert!(helps[4].unwrap().contains("did you mean `account.email`?"), "{helps:?}");
        assert!(helps[11].unwrap().starts_with("keep one `policies`"), "{helps:?}");
    }

    #[test]
    fn a_file_of_thousands_of_problems_reports_the_first_ones() {
        let text: String = std::iter::once("rules:\n".to_string())
            .chain((0..5000).map(|i| format!("  no-such-rule-{i}: off\n")))
            .collect();
        let e = parse("d", &text).unwrap_err();
        let blocks = e.blocks();
        assert_eq!(blocks.len(), MAX_ISSUES + 1);
        assert_eq!(blocks[0].to_string(), "d:2:3: unknown rule `no-such-rule-0` under `rules`");
        assert_eq!(blocks[MAX_ISSUES].to_string(), format!("d: {} more problems not shown", 5000 - MAX_ISSUES));
    }

    #[test]
    fn a_key_named_twice_is_an_error_at_the_second_wherever_it_is() {
        let e = |text: &str| parse("d", text).unwrap_err().to_string();
        // In a map of free keys, where a YAML reader would keep the last silently.
        assert_eq!(
            e("rules:\n  undisclosed-collection: off\n  undisclosed-collection: error\n"),
            "d:3:3: duplicate key `undisclosed-collection` (first on line 2)"
        );
        assert_eq!(e("permissions: {A: [camera], A: []}"), "d:1:28: duplicate key `A` (first on line 1)");
        assert_eq!(
            e("acknowledge:\n  - rule: stale-disclosure\n    rule: undisclosed-collection\n    category: camera\n    reason: r\n"),
            "d:3:5: duplicate key `rule` (first on line 2)"
        );
    }

    #[test]
    fn values_of_the_wrong_type_and_missing_names_are_errors() {
        let e = |text: &str| parse("d", text).unwrap_err().to_string();
        assert_eq!(e("policies: PRIVACY.md"), "d:1:11: `policies` must be a list, not text");
        assert_eq!(e("exclude: [a, [b]]"), "d:1:14: `exclude[1]` must be text, not a list");
        assert_eq!(e("- policies"), "d:1:1: `disclose.yaml` must be a mapping (`key: value` lines), not a list");
        assert_eq!(e("apps:\n  - manifests: [a/**]\n"), "d:2:5: `apps[0]` has no `name`");
        assert_eq!(e("categories:\n  - vocabulary: [x]\n"), "d:2:5: `categories[0]` has no `id`");
        assert_eq!(e("acknowledge:\n  - reason: r\n    path: a/**\n"), "d:2:5: `acknowledge[0]` has no `rule`");
        assert_eq!(e("manifests: [docs/readme.md]"), "d:1:13: `docs/readme.md` is not a manifest disclose reads (AndroidManifest.xml, Info.plist or *-Info.plist, *.entitlements, *.xcprivacy, manifest.json (browser extension), app.json / app.config.json (Expo))");
        // Null is unset, and any scalar is text (as YAML reads a string).
        let c = parse("d", "policies: ~\nexclude:\nnotice: ~\nfail_on: ~\nmanifests: [app.json]\n").unwrap();
        assert!(c.policies.is_none() && c.exclude.is_empty() && c.fail_on.is_none());
        assert_eq!(parse("d", "exclude: [5, true]").unwrap().exclude, vec!["5", "true"]);
        // A YAML syntax error stops at the first, as the parser does.
        assert!(e("policies: [a\nrules: {").starts_with("d:"), "{}", e("policies: [a\nrules: {"));
    }

    #[test]
    fn categories_it_adds_are_checked_one_by_one_and_count_everywhere() {
        let text = "\
categories:
  - id: health.glucose
    parent: health
    vocabulary: [blood sugar]
  - id: Bad Id
    vocabulary: [x]
  - id: fitness.swim
    parent: fitnes
    vocabulary: [laps]
  - id: diet
collects: [health.glucose, fitness.swim]
";
        let e = parse("d", text).unwrap_err();
        let blocks: Vec<String> = e.blocks().iter().map(|b| b.to_string()).collect();
        assert_eq!(
            blocks,
            vec![
                "d:5:9: `Bad Id` is not a category id (dotted lower-case words, e.g. health.glucose)",
                "d:8:13: category `fitness.swim` names unknown parent `fitnes` (did you mean `fitness`?)",
                "d:10:9: category `diet` has no vocabulary: list the words a policy uses for it",
                "d:11:28: unknown category `fitness.swim` under `collects`",
            ],
            "health.glucose, which is valid, is a category for `collects`"
        );
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        assert!(parse("d", "").unwrap().policies.is_none());
        assert!(parse("d", "# nothing\n---\n").unwrap().policies.is_none());
    }

    #[test]
    fn bad_levels_and_rules_are_errors() {
        let e = parse("d", "rules:\n  undisclosed-collection: loud\n").unwrap_err().to_string();
        assert!(e.starts_with("d:2:27:"), "{e}");
        let e = parse("d", "rules:\n  undisclosed-colection: off\n").unwrap_err();
        assert_eq!(e.to_string(), "d:2:3: unknown rule `undisclosed-colection` under `rules`");
        assert!(e.help().unwrap().contains("undisclosed-collection"));
        // Settings still refuse a config that was not parsed from a file.
        let c = Config { rules: [("undisclosed-colection".to_string(), RuleLevel::Off)].into(), ..Config::default() };
        let e = settings("d", "rules:\n  undisclosed-colection: off\n", &c, Taxonomy::builtin()).unwrap_err();
        assert_eq!(e.to_string(), "d:2: unknown rule `undisclosed-colection` under `rules`");
    }
}
