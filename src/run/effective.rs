//! `disclose config`: the configuration a run in this repository uses, each value with where
//! it comes from (a line of disclose.yaml, `--config`, discovery, or the default).
//!
//! In: the config file (if any), the settings resolved from it, the files selected, the
//! date. Out: text or JSON (pure; `run::project` reads the files).
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write;

use serde::Serialize;

use crate::engine::rules;
use crate::model::escape::{terminal, workflow_safe};
use crate::model::settings::{Config, Date, Settings};
use crate::run::config::line_of;
use crate::run::version::Selection;

/// One setting: its key, value and origin.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    /// The key, dotted for nested ones (`rules.stale-disclosure`).
    pub key: String,
    /// The effective value, as YAML would write it.
    pub value: String,
    /// `disclose.yaml:12`, `discovered`, or `default`.
    pub from: String,
}

/// The effective configuration, row by row.
pub fn rows(file: Option<(&str, &str, &Config)>, settings: &Settings, selection: &Selection, today: Date) -> Vec<Row> {
    // A key's line (`fail_on:`), else the first line that names the value (`- id: x`).
    let at = |key: &str| -> Option<String> {
        let (label, text, _) = file?;
        let line = line_of(text, key).or_else(|| text.lines().position(|l| l.contains(key)).map(|i| i + 1));
        line.map(|l| format!("{label}:{l}"))
    };
    let config = file.map(|(_, _, c)| c);
    let mut out = Vec::new();
    let mut row = |key: &str, value: String, from: String| out.push(Row { key: key.into(), value, from });
    let list = |items: &[String]| if items.is_empty() { "[]".to_string() } else { format!("[{}]", items.join(", ")) };
    let configured = |key: &str, set: bool| {
        if set {
            at(key).unwrap_or_else(|| "disclose.yaml".into())
        } else {
            "discovered".into()
        }
    };
    row("policies", list(&selection.policies), configured("policies", config.is_some_and(|c| c.policies.is_some())));
    let manifests: Vec<String> = selection.manifests.iter().map(|(p, _)| p.clone()).collect();
    row("manifests", list(&manifests), configured("manifests", config.is_some_and(|c| c.manifests.is_some())));
    let default_or =
        |key: &str, set: bool| if set { at(key).unwrap_or_else(|| "disclose.yaml".into()) } else { "default".into() };
    let exclude = config.map(|c| c.exclude.clone()).unwrap_or_default();
    row("exclude", list(&exclude), default_or("exclude", !exclude.is_empty()));
    for app in &settings.apps {
        let value = format!(
            "manifests {}, policies {}{}",
            list(&app.manifests),
            list(&app.policies),
            if app.collects.is_empty() { String::new() } else { format!(", collects {}", list(&app.collects)) }
        );
        row(&format!("apps.{}", app.name), value, at(&app.name).unwrap_or_default());
    }
    row(
        "fail_on",
        settings.fail_on.as_str().into(),
        default_or("fail_on", config.is_some_and(|c| c.fail_on.is_some())),
    );
    for r in rules::catalog() {
        let (value, from) = match settings.levels.get(&r.id) {
            Some(level) => (level.map_or("off".to_string(), |l| l.as_str().to_string()), at(&r.id).unwrap_or_default()),
            None => (r.level.as_str().to_string(), "default".to_string()),
        };
        row(&format!("rules.{}", r.id), value, from);
    }
    for c in &settings.categories {
        let parent = c.parent.as_deref().map(|p| format!(" (parent {p})")).unwrap_or_default();
        row(&format!("categories.{}", c.id), format!("{}{parent}", list(&c.vocabulary)), at(&c.id).unwrap_or_default());
    }
    let mut extra: Vec<(&String, &Vec<usize>)> = settings.extra.iter().collect();
    extra.sort();
    for (name, _) in extra {
        let short = crate::engine::inventory::short_subject(name);
        let ids = config
            .and_then(|c| c.permissions.iter().find(|(k, _)| crate::taxonomy::android_name(k) == *name))
            .map(|(_, v)| list(v))
            .unwrap_or_default();
        row(&format!("permissions.{short}"), ids, at(short).unwrap_or_default());
    }
    if let Some(c) = config.filter(|c| !c.collects.is_empty()) {
        row("collects", list(&c.collects), default_or("collects", true));
    }
    for a in &settings.acknowledge {
        let what = [a.category.as_deref(), a.subject.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let state = match a.expires {
            Some(d) if d < today => format!("expired on {d}"),
            Some(d) => format!("until {d}"),
            None => "no expiry".to_string(),
        };
        row(&format!("acknowledge.{}", a.rule), format!("{what} ({state}): {}", a.reason), a.at.clone());
    }
    row(
        "notice.date",
        format!("{:?}", settings.notice.date).to_lowercase(),
        default_or("date", config.is_some_and(|c| c.notice != Default::default())),
    );
    row(
        "notice.changelog",
        settings.notice.changelog.clone().unwrap_or_else(|| "none".into()),
        default_or("changelog", settings.notice.changelog.is_some()),
    );
    out
}

/// The rows as aligned text, headed by the file they come from. Keys and values come from
/// `disclose.yaml` and the files found, so each goes through [`terminal`], and the whole
/// through [`workflow_safe`].
pub fn render(file: Option<&str>, rows: &[Row]) -> String {
    let mut out = match file {
        Some(f) => format!("configuration: {}\n\n", terminal(f)),
        None => "configuration: none found (defaults; `disclose init` writes a disclose.yaml)\n\n".to_string(),
    };
    let rows: Vec<[String; 3]> =
        rows.iter().map(|r| [&r.key, &r.value, &r.from].map(|s| terminal(s).into_owned())).collect();
    let key = rows.iter().map(|[k, _, _]| k.chars().count()).max().unwrap_or(0);
    let value = rows.iter().map(|[_, v, _]| v.chars().count().min(60)).max().unwrap_or(0);
    for [k, v, from] in &rows {
        let shown = if v.chars().count() > 60 { v.clone() } else { format!("{v:value$}") };
        let _ = writeln!(out, "{k:key$}  {shown}  # {from}");
    }
    workflow_safe(&out).into_owned()
}

/// The rows as JSON: `{"version": 1, "file": ..., "settings": [{key, value, from}]}`.
pub fn json(file: Option<&str>, rows: &[Row]) -> String {
    #[derive(Serialize)]
    struct Output<'a> {
        version: u32,
        file: Option<&'a str>,
        settings: &'a [Row],
    }
    crate::model::escape::to_json(&Output { version: 1, file, settings: rows }).expect("rows serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    #[test]
    fn each_value_says_where_it_comes_from() {
        let text = "fail_on: warning\nrules:\n  stale-disclosure: off\n";
        let config = crate::run::config::parse("disclose.yaml", text).unwrap();
        let settings = crate::run::config::settings("disclose.yaml", text, &config, Taxonomy::builtin()).unwrap();
        let selection = Selection { policies: vec!["PRIVACY.md".into()], ..Selection::default() };
        let today = Date::parse("2026-11-23").unwrap();
        let rows = rows(Some(("disclose.yaml", text, &config)), &settings, &selection, today);
        let find = |k: &str| rows.iter().find(|r| r.key == k).cloned().unwrap();
        assert_eq!(
            find("fail_on"),
            Row { key: "fail_on".into(), value: "warning".into(), from: "disclose.yaml:1".into() }
        );
        assert_eq!(find("rules.stale-disclosure").value, "off");
        assert_eq!(find("rules.stale-disclosure").from, "disclose.yaml:3");
        assert_eq!(find("rules.undisclosed-collection").from, "default");
        assert_eq!(find("policies").from, "discovered");
    }
}
