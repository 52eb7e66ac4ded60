//! Apps of a monorepo (`apps:` in disclose.yaml): which manifests, policies and declared
//! categories each app owns, so that each app's requests are checked against its own
//! policies only. Without `apps:` the repository is one app.
//!
//! In: the configured apps and the paths each version read. Out: one [`Group`] per app, plus
//! a group for what no app claims. Pure: globs and paths only.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeSet;

use crate::model::settings::{App, Config};
use crate::model::source::Source;
use crate::model::unread::Unread;
use crate::taxonomy::Taxonomy;

use crate::engine::inventory::Declared;

/// The paths one version read, and its declarations.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// Manifest paths.
    pub manifests: Vec<String>,
    /// Policy paths.
    pub policies: Vec<String>,
    /// `collects:` entries.
    pub collects: Vec<Declared>,
}

/// What one app owns in one version.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// Its manifests.
    pub manifests: BTreeSet<String>,
    /// Its policies.
    pub policies: BTreeSet<String>,
    /// Its declared categories.
    pub collects: Vec<Declared>,
}

impl Files {
    /// Whether a path is one of its manifests or policies.
    pub fn contains(&self, path: &str) -> bool {
        self.manifests.contains(path) || self.policies.contains(path)
    }
}

/// One app, in both versions.
#[derive(Debug, Clone)]
pub struct Group {
    /// Its name; `None` for the repository as a whole (or what no app claims).
    pub name: Option<String>,
    /// Its files in the old version.
    pub old: Files,
    /// Its files in the new version.
    pub new: Files,
}

/// Splits both versions into apps. Manifests no app claims, with the policies no app claims
/// and the top-level `collects:`, form one more group when there is anything to check in it.
pub fn plan(apps: &[App], old: Paths, new: Paths) -> Vec<Group> {
    if apps.is_empty() {
        let all = |p: Paths| Files {
            manifests: p.manifests.into_iter().collect(),
            policies: p.policies.into_iter().collect(),
            collects: p.collects,
        };
        return vec![Group { name: None, old: all(old), new: all(new) }];
    }
    let matchers: Vec<(Vec<globset::GlobMatcher>, Vec<globset::GlobMatcher>)> = apps
        .iter()
        .map(|a| {
            (
                a.manifests.iter().filter_map(|g| matcher(g)).collect(),
                a.policies.iter().filter_map(|g| matcher(g)).collect(),
            )
        })
        .collect();
    let owned = |paths: &[String], i: usize, policies: bool| -> BTreeSet<String> {
        let globs = if policies { &matchers[i].1 } else { &matchers[i].0 };
        paths.iter().filter(|p| globs.iter().any(|g| g.is_match(p.as_str()))).cloned().collect()
    };
    let split = |side: &Paths| -> (Vec<Files>, Files) {
        let per_app: Vec<Files> = apps
            .iter()
            .enumerate()
            .map(|(i, a)| Files {
                manifests: owned(&side.manifests, i, false),
                policies: owned(&side.policies, i, true),
                collects: side.collects.iter().filter(|d| d.app.as_deref() == Some(a.name.as_str())).cloned().collect(),
            })
            .collect();
        let claimed = |p: &String, policies: bool| {
            per_app.iter().any(|f| if policies { f.policies.contains(p) } else { f.manifests.contains(p) })
        };
        let rest = Files {
            manifests: side.manifests.iter().filter(|p| !claimed(p, false)).cloned().collect(),
            policies: side.policies.iter().filter(|p| !claimed(p, true)).cloned().collect(),
            collects: side.collects.iter().filter(|d| d.app.is_none()).cloned().collect(),
        };
        (per_app, rest)
    };
    let (old_apps, old_rest) = split(&old);
    let (new_apps, new_rest) = split(&new);
    let mut groups: Vec<Group> = apps
        .iter()
        .zip(old_apps.into_iter().zip(new_apps))
        .map(|(a, (old, new))| Group { name: Some(a.name.clone()), old, new })
        .collect();
    let has_input = |f: &Files| !f.manifests.is_empty() || !f.collects.is_empty();
    if has_input(&old_rest) || has_input(&new_rest) {
        groups.push(Group { name: None, old: old_rest, new: new_rest });
    }
    groups
}

/// Hands out the entries each version has there and did not read (links, submodules, ...):
/// each goes to the apps that read a file at or under its path in the other version (so the
/// rules of that app see what was lost), else to the last group. One `(old, new)` pair of
/// lists per group, in the groups' order.
pub fn assign_unread(groups: &[Group], old: &[Unread], new: &[Unread]) -> Vec<(Vec<Unread>, Vec<Unread>)> {
    let owners = |u: &Unread, files: &dyn Fn(&Group) -> &Files| -> Vec<usize> {
        let at = |p: &String| p == &u.path || p.strip_prefix(&u.path).is_some_and(|rest| rest.starts_with('/'));
        let found: Vec<usize> = (0..groups.len())
            .filter(|&i| {
                let f = files(&groups[i]);
                f.manifests.iter().chain(&f.policies).any(at)
            })
            .collect();
        if found.is_empty() {
            vec![groups.len().saturating_sub(1)]
        } else {
            found
        }
    };
    let owned = |unread: &[Unread], i: usize, files: &dyn Fn(&Group) -> &Files| {
        unread.iter().filter(|u| owners(u, files).contains(&i)).cloned().collect::<Vec<_>>()
    };
    (0..groups.len()).map(|i| (owned(old, i, &|g| &g.new), owned(new, i, &|g| &g.old))).collect()
}

fn matcher(pattern: &str) -> Option<globset::GlobMatcher> {
    crate::run::config::glob(pattern).ok()
}

/// The `collects:` entries of a disclose.yaml (top level and per app), with where each is
/// written. Ids the taxonomy does not know are left out here: `config::settings` reports
/// them for the configuration that governs the run.
pub fn declared(label: &str, text: &str, config: &Config, t: &Taxonomy) -> Vec<Declared> {
    let source = Source::new(label.rsplit('/').next().unwrap_or(label), text.to_string());
    let mut out = Vec::new();
    // Each list is searched from its own key on, in file order, so an id that also appears
    // under `acknowledge:` or in another app points at the right line.
    let mut list = |ids: &[String], start: usize, app: Option<&str>| {
        let mut from = start;
        for id in ids.iter().map(|id| id.trim()) {
            let Some(c) = t.id(id) else { continue };
            let at = text[from..].find(id).map_or(start, |i| from + i);
            from = at + id.len();
            let location = source.location(at, at + id.len());
            out.push(Declared { category: c, id: id.to_string(), app: app.map(str::to_string), location });
        }
    };
    list(&config.collects, key_offset(text, "collects:", 0), None);
    for app in &config.apps {
        let start = key_offset(text, &format!("name: {}", app.name), 0);
        list(&app.collects, key_offset(text, "collects:", start), Some(&app.name));
    }
    out
}

/// Where `needle` first starts a line's content at or after `from` (0 when it never does).
fn key_offset(text: &str, needle: &str, from: usize) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start().trim_start_matches("- ");
        if offset >= from && content.starts_with(needle) {
            return offset + (line.len() - content.len());
        }
        offset += line.len();
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(name: &str, manifests: &[&str], policies: &[&str]) -> App {
        App {
            name: name.into(),
            manifests: manifests.iter().map(|s| s.to_string()).collect(),
            policies: policies.iter().map(|s| s.to_string()).collect(),
            collects: Vec::new(),
        }
    }

    #[test]
    fn each_app_gets_its_own_manifests_and_policies() {
        let paths = Paths {
            manifests: vec![
                "apps/mobile/AndroidManifest.xml".into(),
                "apps/ext/manifest.json".into(),
                "demo/app.json".into(),
            ],
            policies: vec!["legal/mobile.md".into(), "legal/ext.md".into(), "PRIVACY.md".into()],
            collects: Vec::new(),
        };
        let apps =
            [app("mobile", &["apps/mobile/**"], &["legal/mobile.md"]), app("ext", &["apps/ext/**"], &["legal/ext.md"])];
        let groups = plan(&apps, paths.clone(), paths);
        let got: Vec<(Option<&str>, Vec<&str>, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.name.as_deref(),
                    g.new.manifests.iter().map(String::as_str).collect(),
                    g.new.policies.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("mobile"), vec!["apps/mobile/AndroidManifest.xml"], vec!["legal/mobile.md"]),
                (Some("ext"), vec!["apps/ext/manifest.json"], vec!["legal/ext.md"]),
                (None, vec!["demo/app.json"], vec!["PRIVACY.md"]),
            ]
        );
    }

    #[test]
    fn declared_categories_point_at_their_line() {
        let text = "collects:\n  - account.email\n  - location.approximate\n";
        let config = crate::run::config::parse("disclose.yaml", text).unwrap();
        let d = declared("v2/disclose.yaml", text, &config, Taxonomy::builtin());
        let got: Vec<_> = d.iter().map(|d| (d.location.path.as_str(), d.location.line, d.location.column)).collect();
        assert_eq!(got, vec![("disclose.yaml", 2, 5), ("disclose.yaml", 3, 5)]);
        // An id mentioned earlier (under acknowledge:) is not the declaration.
        let text = "acknowledge:\n  - rule: disclosure-removed\n    category: account.email\n    reason: r\ncollects: [account.email]\n";
        let config = crate::run::config::parse("disclose.yaml", text).unwrap();
        let d = declared("disclose.yaml", text, &config, Taxonomy::builtin());
        assert_eq!((d[0].location.line, d[0].location.column), (5, 12));
    }
}
