//! The names of the files disclose reads, in one place: every manifest kind, every policy name
//! and the configuration files.
//!
//! Discovery reads these tables ([`manifest_kind`] is `Kind::of`, [`is_policy_name`],
//! [`CONFIG_FILES`]), and so do the patterns handed to the tools that decide whether to start
//! disclose at all: [`pre_commit_regex`] (pre-commit's `files:`), [`lefthook_globs`],
//! [`lint_staged_glob`] and [`github_paths`] (a workflow's `paths:` filter). Tests compare
//! `.pre-commit-hooks.yaml` and the README's snippets with what these functions produce, and
//! run the real tools on one file of every kind.
//!
//! The patterns match every path disclose finds by name, and may match a few more (any path
//! with `privacy` in it, a file in a folder named `terms`): a pattern that matches too much
//! costs one run that finds nothing changed and exits in milliseconds; one that matches too
//! little is a commit nobody checks. They cannot know what a `disclose.yaml` lists under
//! `policies:` or `manifests:`, nor see a deletion, which is why the shipped hooks leave the
//! decision to `disclose check --staged` and these patterns are only for narrowing by hand.

/// How a manifest's file name is recognised (case-sensitive, as the platforms' build tools are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// The whole file name.
    Exact(&'static str),
    /// The end of the file name (`-Info.plist`, `.xcprivacy`).
    Suffix(&'static str),
}

impl Name {
    fn matches(self, name: &str) -> bool {
        match self {
            Name::Exact(n) => name == n,
            Name::Suffix(s) => name.ends_with(s),
        }
    }
}

/// The manifest formats `disclose` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `AndroidManifest.xml`.
    Android,
    /// An iOS or macOS `Info.plist`.
    InfoPlist,
    /// An Apple privacy manifest, `PrivacyInfo.xcprivacy`.
    PrivacyManifest,
    /// Apple entitlements, `*.entitlements`.
    Entitlements,
    /// A browser extension's `manifest.json`.
    Extension,
    /// An Expo `app.json` or `app.config.json`.
    Expo,
    /// An Expo `app.config.js`/`.ts`: code, which disclose reports and does not run.
    ExpoDynamic,
}

impl Kind {
    /// The format a file name implies, if any ([`MANIFESTS`]).
    pub fn of(path: &str) -> Option<Kind> {
        manifest_kind(path)
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Android => "Android manifest",
            Kind::InfoPlist => "Info.plist",
            Kind::PrivacyManifest => "privacy manifest",
            Kind::Entitlements => "entitlements file",
            Kind::Extension => "extension manifest",
            Kind::Expo => "Expo app config",
            Kind::ExpoDynamic => "dynamic Expo app config",
        }
    }

    /// The file names a user can list under `manifests:`, for messages.
    pub const NAMES: &'static str = "AndroidManifest.xml, Info.plist or *-Info.plist, *.entitlements, *.xcprivacy, \
        manifest.json (browser extension), app.json / app.config.json (Expo)";
}

/// Every manifest disclose reads, by file name, with its format; the first match wins.
pub const MANIFESTS: &[(Name, Kind)] = &[
    (Name::Exact("AndroidManifest.xml"), Kind::Android),
    (Name::Exact("Info.plist"), Kind::InfoPlist),
    (Name::Exact("manifest.json"), Kind::Extension),
    (Name::Exact("app.json"), Kind::Expo),
    (Name::Exact("app.config.json"), Kind::Expo),
    (Name::Exact("app.config.js"), Kind::ExpoDynamic),
    (Name::Exact("app.config.ts"), Kind::ExpoDynamic),
    (Name::Exact("app.config.mjs"), Kind::ExpoDynamic),
    (Name::Exact("app.config.cjs"), Kind::ExpoDynamic),
    (Name::Suffix("-Info.plist"), Kind::InfoPlist),
    (Name::Suffix(".xcprivacy"), Kind::PrivacyManifest),
    (Name::Suffix(".entitlements"), Kind::Entitlements),
];

/// The configuration file names, looked for in this order at a version's root.
pub const CONFIG_FILES: &[&str] = &["disclose.yaml", ".disclose.yaml"];

/// The extensions a policy found by name has, in any case: Markdown (`.mdx` is read as
/// Markdown), HTML and plain text.
pub const POLICY_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "html", "htm", "txt"];

/// A policy's name without its extension, lower-cased, is a policy's when it contains one of
/// these...
const POLICY_CONTAINS: &[&str] = &["privacy"];
/// ...is one of these...
const POLICY_EXACT: &[&str] = &["terms", "tos"];
/// ...or starts with one of these.
const POLICY_PREFIX: &[&str] = &["terms-", "terms_"];

/// File names (without extension, any case) that are a policy when the folder that holds them
/// is named like one: `docs/privacy/index.md`, `privacy-policy/README.md`,
/// `legal/terms/index.html`.
pub const POLICY_INDEX_NAMES: &[&str] = &["index", "readme"];

/// The manifest format a path's file name implies.
pub fn manifest_kind(path: &str) -> Option<Kind> {
    let name = file_name(path);
    MANIFESTS.iter().find(|(n, _)| n.matches(name)).map(|(_, k)| *k)
}

/// Whether a lower-cased name (a file's without its extension, or a folder's) is a policy's.
fn policy_stem(stem: &str) -> bool {
    POLICY_CONTAINS.iter().any(|w| stem.contains(w))
        || POLICY_EXACT.contains(&stem)
        || POLICY_PREFIX.iter().any(|p| stem.starts_with(p))
}

/// Whether a path is named like a policy: `privacy*`, `*privacy*`, `terms`, `terms-*`,
/// `terms_*` or `tos`, or `index` / `README` in a folder named so, with a policy extension;
/// in any case.
pub fn is_policy_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or_default();
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    POLICY_EXTENSIONS.contains(&ext)
        && (policy_stem(stem) || (POLICY_INDEX_NAMES.contains(&stem) && parts.next().is_some_and(policy_stem)))
}

/// Whether a repository-relative path is a `disclose.yaml` (at any depth).
pub fn is_config_path(path: &str) -> bool {
    CONFIG_FILES.contains(&file_name(path))
}

/// Whether disclose reads a file of this name without being told: a manifest, a policy or a
/// `disclose.yaml`.
pub fn discovered(path: &str) -> bool {
    manifest_kind(path).is_some() || is_policy_name(path) || is_config_path(path)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The policy names, for messages: what a policy must be called to be found without
/// `policies:` in disclose.yaml.
pub fn policy_names_help() -> String {
    format!(
        "files named privacy*, *privacy*, terms, terms-*, terms_* or tos, or index/README in a folder named so (docs/privacy/index.md), with the extension {} (any case)",
        POLICY_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
    )
}

/// `x` as a glob that matches it in any ASCII case: `[Tt][Oo][Ss]`.
fn any_case(x: &str) -> String {
    x.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn exact_names() -> impl Iterator<Item = &'static str> {
    MANIFESTS
        .iter()
        .filter_map(|(n, _)| if let Name::Exact(e) = n { Some(*e) } else { None })
        .chain(CONFIG_FILES.iter().copied())
}

fn suffixes() -> impl Iterator<Item = &'static str> {
    MANIFESTS.iter().filter_map(|(n, _)| if let Name::Suffix(s) = n { Some(*s) } else { None })
}

fn escape_regex(x: &str) -> String {
    x.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_string() } else { format!("\\{c}") })
        .collect()
}

/// A Python regular expression for pre-commit's `files:` (searched in each staged path, as
/// pre-commit does): manifests and disclose.yaml by exact name (case-sensitive), policies by
/// the words in their names, in any case, in the file's name or a folder's.
pub fn pre_commit_regex() -> String {
    let names: Vec<String> = exact_names().map(escape_regex).collect();
    let suffixes: Vec<String> = suffixes().map(escape_regex).collect();
    let mut words: Vec<String> = POLICY_CONTAINS.iter().map(|w| escape_regex(w)).collect();
    words.push(format!("(^|/)({})[./]", POLICY_EXACT.iter().map(|e| escape_regex(e)).collect::<Vec<_>>().join("|")));
    words.push(format!("(^|/)({})", POLICY_PREFIX.iter().map(|p| escape_regex(p)).collect::<Vec<_>>().join("|")));
    format!("(^|/)({})$|({})$|(?i:{})", names.join("|"), suffixes.join("|"), words.join("|"))
}

/// Globs for lefthook's `glob:` (its default matcher, where `*` also matches `/`, so the
/// globs find files in any folder; case-sensitive, hence the bracket classes).
pub fn lefthook_globs() -> Vec<String> {
    let names = exact_names().collect::<Vec<_>>().join(",");
    let mut out = vec![
        format!("{{{names}}}"),
        format!("*/{{{names}}}"),
        format!("*{{{}}}", suffixes().collect::<Vec<_>>().join(",")),
    ];
    out.extend(POLICY_CONTAINS.iter().map(|w| format!("*{}*", any_case(w))));
    // Each at the start of the path, then after a `/`. (Not `{X,*/X}*` nor `{,*/}X*`: lefthook's
    // matcher misses some paths with the first, globset does not take the empty alternative.)
    let words = |words: &[&str]| words.iter().map(|w| any_case(w)).collect::<Vec<_>>().join(",");
    let (exact, prefix) = (words(POLICY_EXACT), words(POLICY_PREFIX));
    for glob in [format!("{{{exact}}}{{.,/}}*"), format!("{{{prefix}}}*")] {
        out.push(glob.clone());
        out.push(format!("*/{glob}"));
    }
    out
}

/// One glob for a lint-staged key (micromatch, `dot: true`; a glob with a `/` is matched
/// against the path from the folder of package.json, `*` stops at `/`, `**` spans folders).
pub fn lint_staged_glob() -> String {
    let mut alternatives: Vec<String> = exact_names().map(String::from).collect();
    alternatives.extend(suffixes().map(|s| format!("*{s}")));
    for w in POLICY_CONTAINS {
        alternatives.push(format!("*{}*", any_case(w)));
        alternatives.push(format!("*{}*/**", any_case(w)));
    }
    for e in POLICY_EXACT {
        alternatives.push(format!("{}.*", any_case(e)));
        alternatives.push(format!("{}/**", any_case(e)));
    }
    for p in POLICY_PREFIX {
        alternatives.push(format!("{}*", any_case(p)));
        alternatives.push(format!("{}*/**", any_case(p)));
    }
    format!("**/{{{}}}", alternatives.join(","))
}

/// Patterns for a GitHub workflow's `on.<event>.paths` (no braces there: one pattern a line;
/// `*` stops at `/`, `**/` spans folders, the root included).
pub fn github_paths() -> Vec<String> {
    let mut out: Vec<String> = exact_names().map(|n| format!("**/{n}")).collect();
    out.extend(suffixes().map(|s| format!("**/*{s}")));
    for w in POLICY_CONTAINS {
        out.push(format!("**/*{}*", any_case(w)));
        out.push(format!("**/*{}*/**", any_case(w)));
    }
    for e in POLICY_EXACT {
        out.push(format!("**/{}.*", any_case(e)));
        out.push(format!("**/{}/**", any_case(e)));
    }
    for p in POLICY_PREFIX {
        out.push(format!("**/{}*", any_case(p)));
        out.push(format!("**/{}*/**", any_case(p)));
    }
    out
}

/// Paths of every kind disclose discovers, one or more per name rule, in several folders and
/// cases: what the tests hand to the real hook tools and to the patterns above.
pub fn examples() -> Vec<String> {
    let mut out = Vec::new();
    for (name, _) in MANIFESTS {
        match name {
            Name::Exact(n) => {
                out.push((*n).to_string());
                out.push(format!("apps/mobile/{n}"));
            }
            Name::Suffix(s) => out.push(format!("ios/App{s}")),
        }
    }
    for c in CONFIG_FILES {
        out.push((*c).to_string());
    }
    out.push("packages/web/disclose.yaml".into());
    for ext in POLICY_EXTENSIONS {
        out.push(format!("PRIVACY.{ext}"));
        out.push(format!("docs/privacy-policy.{ext}"));
        out.push(format!("legal/thunderbird_privacy_policy.{}", ext.to_ascii_uppercase()));
        out.push(format!("Terms.{ext}"));
        out.push(format!("legal/terms-of-service.{ext}"));
        out.push(format!("terms_of_use.{ext}"));
        out.push(format!("site/TOS.{ext}"));
        out.push(format!("docs/privacy/index.{ext}"));
        out.push(format!("privacy-policy/README.{ext}"));
        out.push(format!("legal/Privacy/Index.{ext}"));
        out.push(format!("terms/readme.{ext}"));
        out.push(format!("help/tos/index.{ext}"));
        out.push(format!("legal/Terms-Of-Use/index.{ext}"));
        out.push(format!("terms_and_conditions/README.{ext}"));
    }
    out
}

/// Paths disclose does not read by name, some close to one it does: the patterns must not
/// start the hook for them.
pub const UNRELATED: &[&str] = &[
    "README.md",
    "docs/index.md",
    "src/index.html",
    "photos.md",
    "docs/photos/index.md",
    "src/main.rs",
    "package.json",
    "android/app/build.gradle",
    "ios/Podfile",
    "FooAndroidManifest.xml",
    "AndroidManifest.xml.bak",
    "app.jsonc",
    "Info.plist.orig",
    "disclose.yml",
    "CHANGELOG.md",
    "determinism.md",
];

#[cfg(test)]
mod tests {
    use super::*;
    use globset::GlobBuilder;

    #[test]
    fn manifest_kinds() {
        for (path, kind) in [
            ("app/src/main/AndroidManifest.xml", Some(Kind::Android)),
            ("ios/App/Info.plist", Some(Kind::InfoPlist)),
            ("ios/App/Tempo-Info.plist", Some(Kind::InfoPlist)),
            ("ios/PrivacyInfo.xcprivacy", Some(Kind::PrivacyManifest)),
            ("ios/App.entitlements", Some(Kind::Entitlements)),
            ("extension/manifest.json", Some(Kind::Extension)),
            ("app.json", Some(Kind::Expo)),
            ("app.config.json", Some(Kind::Expo)),
            ("app.config.ts", Some(Kind::ExpoDynamic)),
            ("androidmanifest.xml", None),
            ("info.plist", None),
            ("README.md", None),
        ] {
            assert_eq!(manifest_kind(path), kind, "{path}");
            assert_eq!(Kind::of(path), kind, "{path}");
        }
    }

    #[test]
    fn policy_layouts() {
        for yes in [
            "docs/privacy/index.md",
            "privacy-policy/README.md",
            "legal/privacy/index.html",
            "docs/PRIVACY.mdx",
            "Terms/Index.MD",
            "legal/tos/readme.txt",
        ] {
            assert!(is_policy_name(yes), "{yes}");
        }
        for no in ["docs/index.md", "privacy/notes.md", "privacy/docs/index.md", "index.md", "photos/index.md"] {
            assert!(!is_policy_name(no), "{no}");
        }
    }

    #[test]
    fn every_example_is_discovered_and_no_unrelated_path_is() {
        for p in examples() {
            assert!(discovered(&p), "{p}");
        }
        for p in UNRELATED {
            assert!(!discovered(p), "{p}");
        }
    }

    /// Every rule and extension has an example, so a new name cannot skip the tests that hand
    /// the examples to the real tools.
    #[test]
    fn examples_cover_every_rule() {
        let examples = examples();
        for (name, kind) in MANIFESTS {
            assert!(examples.iter().any(|p| name.matches(file_name(p)) && manifest_kind(p) == Some(*kind)), "{name:?}");
        }
        let split = |p: &str| {
            let lower = p.to_ascii_lowercase();
            let mut parts = lower.rsplit('/').map(String::from);
            let name = parts.next().unwrap_or_default();
            let (stem, ext) = name.rsplit_once('.').map(|(s, e)| (s.to_string(), e.to_string())).unwrap_or_default();
            (stem, ext, parts.next().unwrap_or_default())
        };
        type Rule = Box<dyn Fn(&str) -> bool>;
        let mut rules: Vec<(String, Rule)> = Vec::new();
        for w in POLICY_CONTAINS {
            rules.push((format!("*{w}*"), Box::new(move |s: &str| s.contains(w))));
        }
        for e in POLICY_EXACT {
            rules.push((e.to_string(), Box::new(move |s: &str| s == *e)));
        }
        for p in POLICY_PREFIX {
            rules.push((format!("{p}*"), Box::new(move |s: &str| s.starts_with(p))));
        }
        for ext in POLICY_EXTENSIONS {
            for (what, rule) in &rules {
                let file = examples.iter().any(|p| {
                    let (stem, e, _) = split(p);
                    e == *ext && rule(&stem)
                });
                let folder = examples.iter().any(|p| {
                    let (stem, e, folder) = split(p);
                    e == *ext && POLICY_INDEX_NAMES.contains(&stem.as_str()) && rule(&folder)
                });
                assert!(file && folder, "{what} .{ext}: file {file}, index in a folder {folder}");
            }
        }
    }

    fn matcher(glob: &str, literal_separator: bool) -> globset::GlobMatcher {
        GlobBuilder::new(glob)
            .literal_separator(literal_separator)
            .build()
            .unwrap_or_else(|e| panic!("{glob}: {e}"))
            .compile_matcher()
    }

    /// globset with `*` matching `/` is lefthook's default matcher; with `*` stopping at `/`
    /// it is micromatch's and GitHub's. The real tools run the same paths in
    /// tests/integrations.rs.
    #[test]
    fn every_pattern_matches_every_example_and_no_unrelated_path() {
        let lefthook: Vec<_> = lefthook_globs().iter().map(|g| matcher(g, false)).collect();
        let lint_staged = matcher(&lint_staged_glob(), true);
        let github: Vec<_> = github_paths().iter().map(|g| matcher(g, true)).collect();
        for p in examples() {
            assert!(lefthook.iter().any(|g| g.is_match(&p)), "lefthook: {p}");
            assert!(lint_staged.is_match(&p), "lint-staged: {p}");
            assert!(github.iter().any(|g| g.is_match(&p)), "github: {p}");
        }
        for p in UNRELATED {
            assert!(!lefthook.iter().any(|g| g.is_match(p)), "lefthook: {p}");
            assert!(!lint_staged.is_match(p), "lint-staged: {p}");
            assert!(!github.iter().any(|g| g.is_match(p)), "github: {p}");
        }
    }

    /// The three dialects, compiled once: lefthook's globs, the lint-staged key, GitHub's paths.
    fn compiled() -> &'static (globset::GlobSet, globset::GlobSet, globset::GlobSet) {
        static SETS: std::sync::OnceLock<(globset::GlobSet, globset::GlobSet, globset::GlobSet)> =
            std::sync::OnceLock::new();
        SETS.get_or_init(|| {
            let set = |globs: &[String], literal_separator: bool| {
                let mut b = globset::GlobSetBuilder::new();
                for g in globs {
                    b.add(GlobBuilder::new(g).literal_separator(literal_separator).build().expect("a glob"));
                }
                b.build().expect("a glob set")
            };
            (set(&lefthook_globs(), false), set(&[lint_staged_glob()], true), set(&github_paths(), true))
        })
    }

    proptest::proptest! {
        /// Whatever the path, a name disclose discovers is matched by every pattern.
        #[test]
        fn patterns_cover_discovery(parts in proptest::collection::vec(proptest::sample::select(vec![
            "privacy", "Privacy", "PRIVACY", "terms", "Terms", "tos", "TOS", "-", "_", ".", "index",
            "README", "docs", "legal", "-policy", "of", "md", "MDX", "html", "txt", "x",
            "AndroidManifest.xml", "Info.plist", "-Info.plist", ".xcprivacy", ".entitlements",
            "manifest.json", "app.json", "app.config.ts", "disclose.yaml", ".disclose.yaml",
        ]), 1..6), slashes in proptest::collection::vec(proptest::bool::ANY, 6)) {
            let mut path = String::new();
            for (i, part) in parts.iter().enumerate() {
                if i > 0 && slashes[i] {
                    path.push('/');
                }
                path.push_str(part);
            }
            if discovered(&path) {
                let (lefthook, lint_staged, github) = compiled();
                proptest::prop_assert!(lefthook.is_match(&path), "lefthook: {}", path);
                proptest::prop_assert!(lint_staged.is_match(&path), "lint-staged: {}", path);
                proptest::prop_assert!(github.is_match(&path), "github: {}", path);
            }
        }
    }
}
