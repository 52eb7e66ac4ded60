//! The taxonomy: categories, policy language and permission maps, loaded from `policies/`.
//!
//! In: the YAML files embedded at build time. Out: lookup tables (category by id, Android
//! permission, Apple key, privacy-manifest type) and the one automaton that finds every
//! vocabulary term in policy text. Loading the built-in data cannot fail in a released build:
//! `tests/taxonomy.rs` loads it and runs every sample, so a broken file fails CI first.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

/// Index of a category in [`Taxonomy::categories`].
pub use crate::model::settings::CategoryId;

/// What kind of access a request grants within its categories.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Access(u8);

impl Access {
    /// Only items the user picks (Android partial photo access).
    pub const SELECTED: Access = Access(1);
    /// Reading everything in the category.
    pub const READ: Access = Access(2);
    /// Writing: adding, changing or deleting.
    pub const WRITE: Access = Access(4);

    /// The union of two accesses.
    pub fn union(self, other: Access) -> Access {
        Access(self.0 | other.0)
    }

    /// Whether `self` includes everything `other` grants. Reading everything includes reading
    /// selected items.
    pub fn covers(self, other: Access) -> bool {
        let mut mine = self.0;
        if mine & Access::READ.0 != 0 {
            mine |= Access::SELECTED.0;
        }
        other.0 & !mine == 0
    }

    /// True when nothing is granted.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Words for each part, for messages: "read", "write", "selected items".
    pub fn words(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.0 & Access::READ.0 != 0 {
            out.push("read");
        } else if self.0 & Access::SELECTED.0 != 0 {
            out.push("selected items");
        }
        if self.0 & Access::WRITE.0 != 0 {
            out.push("write");
        }
        out
    }

    /// The part of `self` that `other` does not cover.
    pub fn minus(self, other: Access) -> Access {
        let mut theirs = other.0;
        if theirs & Access::READ.0 != 0 {
            theirs |= Access::SELECTED.0;
        }
        Access(self.0 & !theirs)
    }

    fn parse(words: &[String]) -> Result<Access, String> {
        let mut a = Access::default();
        for w in words {
            a = a.union(match w.as_str() {
                "read" => Access::READ,
                "write" => Access::WRITE,
                "selected" => Access::SELECTED,
                other => return Err(format!("unknown access `{other}` (read, write, selected)")),
            });
        }
        Ok(if a.is_empty() { Access::READ } else { a })
    }
}

/// One node of the category tree.
#[derive(Debug, Clone)]
pub struct Category {
    /// Dotted id, e.g. `location.precise`.
    pub id: String,
    /// Lower-case noun phrase for messages.
    pub label: String,
    /// One line: what the category is.
    pub description: String,
    /// The parent category, which covers this one in policy text unless `explicit`.
    pub parent: Option<CategoryId>,
    /// A bare mention of the parent does not cover this category.
    pub explicit: bool,
    /// Words and phrases that mention the category.
    pub vocabulary: Vec<String>,
    /// Words that narrow a mention of the parent to this category.
    pub qualifiers: Vec<String>,
    /// Lesser categories of the same data: requesting this one after them is an escalation.
    pub escalates_from: Vec<CategoryId>,
    /// Phrases that contain a vocabulary word but never mention the category.
    pub stop: Vec<String>,
    /// Vocabulary terms that count only in a clause that also holds one of some words: the
    /// term alone is too often a channel or a look-alike ("we send you an SMS").
    pub requires: Vec<Requirement>,
    /// Ids in other vocabularies.
    pub crosswalk: Crosswalk,
    /// Sentences that must, must not, and must deny-match; run by the tests.
    pub samples: Samples,
}

/// Terms of a category's vocabulary that need one of `words` in their clause to count.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Vocabulary terms of the category.
    pub terms: Vec<String>,
    /// Words (any cue or none) one of which must stand in the same clause.
    pub words: Vec<String>,
}

/// Ids of a category in other vocabularies.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// Google Play data-safety data types.
    #[serde(default)]
    pub play: Vec<String>,
    /// Apple `NSPrivacyCollectedDataType` values.
    #[serde(default)]
    pub apple: Vec<String>,
    /// fideslang data category keys.
    #[serde(default)]
    pub fideslang: Vec<String>,
}

/// Sample sentences that pin the matcher's judgment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Samples {
    /// Must be an affirmative disclosure covering the category.
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    /// Must not be an affirmative disclosure covering the category.
    #[serde(default)]
    pub no_match: Vec<String>,
    /// Must be a denial of the category.
    #[serde(default)]
    pub denial: Vec<String>,
}

/// The words that decide context and polarity in policy sentences.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Collection verbs.
    pub collect: Vec<String>,
    /// Transfer verbs: sharing, selling, sending. They imply collection.
    pub transfer: Vec<String>,
    /// Retention verbs: storing, keeping. They imply collection; negated, they deny keeping
    /// the data, not accessing it.
    #[serde(default)]
    pub retain: Vec<String>,
    /// Negations that turn a following verb around.
    pub negation: Vec<String>,
    /// Negating determiners directly before a mention ("no location data").
    pub determiner_negation: Vec<String>,
    /// Cues after which named items are excepted from a denial.
    pub exception_list: Vec<String>,
    /// Cues that make a denial conditional, so the clause is affirmative.
    pub exception_condition: Vec<String>,
    /// Words and marks that end a clause.
    pub clause_break: Vec<String>,
    /// Cues that the access includes writing.
    pub write: Vec<String>,
    /// Cues that the access covers only items the user selects.
    pub selected: Vec<String>,
    /// Hedges ("normally") between a negation and its verb: the denial is not categorical.
    #[serde(default)]
    pub hedge: Vec<String>,
    /// Purpose limits: "for …" after a negated verb limits use; it does not deny collection.
    #[serde(default)]
    pub purpose: Vec<String>,
    /// Phrases that contain a cue word but are no cue ("not only", "whether or not").
    #[serde(default)]
    pub neutral: Vec<String>,
    /// Processing on the device ("stays on your phone", "runs offline").
    #[serde(default)]
    pub on_device: Vec<String>,
    /// Verbs of keeping data away from the service ("shield", "hide").
    #[serde(default)]
    pub conceal: Vec<String>,
    /// Who the data is kept away from ("from us").
    #[serde(default)]
    pub from_us: Vec<String>,
    /// Cues of a definition ("means", "refers to").
    #[serde(default)]
    pub definition: Vec<String>,
    /// What users may not do ("you may not").
    #[serde(default)]
    pub prohibition: Vec<String>,
    /// Words that show a sentence speaks of the user ("you", "your", "users").
    #[serde(default)]
    pub person: Vec<String>,
    /// Subjects that make a clause about other companies ("other companies track ...").
    #[serde(default)]
    pub others: Vec<String>,
    /// Where a clause turns to the user's rights ("the right to").
    #[serde(default)]
    pub rights: Vec<String>,
    /// Where a clause turns to opting out ("opt out of"): voids a practice after it.
    #[serde(default)]
    pub opt_out: Vec<String>,
    /// Verbs of letting others act ("permit", "allow"): negated, the verb after them is
    /// what others may not do.
    #[serde(default)]
    pub permission: Vec<String>,
    /// Auxiliaries between a mention and the verb that follows it ("are", "is").
    #[serde(default)]
    pub auxiliary: Vec<String>,
    /// Words that join two verbs into one predicate ("or", "and").
    #[serde(default)]
    pub coordination: Vec<String>,
    /// Sample sentences with the polarity they must get.
    #[serde(default)]
    pub samples: LanguageSamples,
}

/// Polarity samples of `language.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSamples {
    /// Sentences whose mention of `category` must be a denial.
    #[serde(default)]
    pub denial: Vec<LanguageSample>,
    /// Sentences whose mention of `category` must be affirmative.
    #[serde(default)]
    pub affirmative: Vec<LanguageSample>,
}

/// One polarity sample.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSample {
    /// The sentence.
    pub text: String,
    /// The category it mentions.
    pub category: String,
}

/// Whether a practice entry is something done with data or something users can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PracticeKind {
    /// Something done with data: sharing, sale, advertising, retention.
    Practice,
    /// Something users can do: opt out, access, delete.
    Control,
}

/// A practice or user control, with the words that state it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// Dotted id, e.g. `advertising`, `control.deletion`.
    pub id: String,
    /// Practice or control.
    pub kind: PracticeKind,
    /// Lower-case noun phrase for messages.
    pub label: String,
    /// One line: what it is.
    #[serde(default)]
    pub description: String,
    /// Phrases that state it on their own.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Verbs that state it together with one of `objects` in the same clause.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Objects that state it together with one of `verbs`.
    #[serde(default)]
    pub objects: Vec<String>,
    /// Stop phrases.
    #[serde(default)]
    pub not: Vec<String>,
    /// Words that, anywhere in the clause, make it no statement of this practice ("to share
    /// with potential employers when you apply for a job" is about the user, no job applicant).
    #[serde(default)]
    pub unless: Vec<String>,
    /// A category mention in the clause serves as an object of `verbs` ("we sell your email
    /// address" is a sale of the email address).
    #[serde(default)]
    pub takes_categories: bool,
    /// A named organisation after "with" or "to" serves as an object of `verbs` ("we share your
    /// location with Acme Analytics Inc.").
    #[serde(default)]
    pub named_recipients: bool,
    /// Samples the tests run.
    #[serde(default)]
    pub samples: Samples,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractices {
    practices: Vec<Practice>,
    #[serde(default)]
    recipients: Vec<String>,
}

/// What a manifest entry grants.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    /// Categories the entry gives access to; empty when it carries no personal data.
    pub categories: Vec<CategoryId>,
    /// Kind of access.
    pub access: Access,
    /// Why the entry carries no personal data, when it does not.
    pub none: Option<String>,
    /// Platform protection level, where known.
    pub protection: Option<String>,
    /// First API level, where known.
    pub api: Option<u32>,
    /// Free text shown by `disclose categories`.
    pub note: Option<String>,
    /// Precise location becomes approximate under `NSLocationDefaultAccuracyReduced`.
    pub reducible: bool,
    /// The Info.plist value is a human-readable purpose string.
    pub purpose_string: bool,
}

/// Apple's keys and types.
#[derive(Debug, Clone, Default)]
pub struct Apple {
    /// Info.plist usage keys.
    pub usage_keys: BTreeMap<String, Grant>,
    /// `UIBackgroundModes` values.
    pub background_modes: BTreeMap<String, Grant>,
    /// `NSPrivacyCollectedDataType` values.
    pub data_types: BTreeMap<String, Grant>,
    /// Entitlements (`*.entitlements`, Expo `ios.entitlements`).
    pub entitlements: BTreeMap<String, Grant>,
    /// Lower-case purpose strings that say nothing.
    pub placeholders: Vec<String>,
}

/// Everything `disclose` knows about personal data.
pub struct Taxonomy {
    /// The category tree, in file order.
    pub categories: Vec<Category>,
    by_id: HashMap<String, CategoryId>,
    /// Policy language.
    pub language: Language,
    /// Android permissions by full name.
    pub android: BTreeMap<String, Grant>,
    /// Apple keys and types.
    pub apple: Apple,
    /// Browser-extension permissions, host access and Firefox data-collection ids.
    pub extension: Extension,
    /// Expo config plugins and what they add, by package name.
    pub expo: BTreeMap<String, Plugin>,
    /// Practices and user controls, in file order.
    pub practices: Vec<Practice>,
    /// Words that name who receives data.
    pub recipients: Vec<String>,
    /// What a reader builds from this taxonomy once and keeps with it: the policy matcher's
    /// compiled vocabulary ([`Taxonomy::derived`]).
    derived: OnceLock<Box<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Taxonomy").field("categories", &self.categories.len()).finish_non_exhaustive()
    }
}

/// Browser extensions (`policies/permissions/extension.yaml`).
#[derive(Debug, Clone, Default)]
pub struct Extension {
    /// API permissions.
    pub permissions: BTreeMap<String, Grant>,
    /// What a host pattern for every site grants.
    pub all_sites: Grant,
    /// What a host pattern for some sites grants.
    pub some_sites: Grant,
    /// Firefox `data_collection_permissions` ids.
    pub data_collection: BTreeMap<String, Grant>,
}

/// An Expo config plugin (`policies/permissions/expo.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plugin {
    /// Its documentation.
    pub docs: String,
    /// What it adds to the native projects.
    pub implies: Vec<Implied>,
    /// Free text shown by `disclose categories`.
    #[serde(default)]
    pub note: Option<String>,
}

/// One native entry a plugin adds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Implied {
    /// An Info.plist usage key.
    #[serde(default)]
    pub ios: Option<String>,
    /// An Android permission (short name).
    #[serde(default)]
    pub android: Option<String>,
    /// A `UIBackgroundModes` value.
    #[serde(default)]
    pub ios_background_mode: Option<String>,
    /// The plugin option that controls it: a string is the purpose string, `false` removes it.
    #[serde(default)]
    pub option: Option<String>,
    /// Applies only when the option is `true` (background location, say).
    #[serde(default)]
    pub when: Option<bool>,
    /// Why it is only possibly added (it depends on the plugin version): then it is a
    /// possible request, reported as a note, never an error.
    #[serde(default)]
    pub possible: Option<String>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

// build.rs converts policies/*.yaml to JSON: the same data, ten times faster to load.
const CATEGORIES: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/categories.json"));
const LANGUAGE: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/language.json"));
const ANDROID: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/permissions/android.json"));
const APPLE: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/permissions/apple.json"));
const PRACTICES: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/practices.json"));
const EXTENSION: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/permissions/extension.json"));
const EXPO: &str = include_str!(concat!(env!("OUT_DIR"), "/policies/permissions/expo.json"));

/// The prefix of platform permissions, which `android.yaml` leaves out.
pub const ANDROID_PREFIX: &str = "android.permission.";

/// The full name of an Android permission written short (`CAMERA`) or in full.
pub fn android_name(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("{ANDROID_PREFIX}{name}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategories {
    categories: Vec<RawCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    label: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    explicit: bool,
    #[serde(default)]
    vocabulary: Vec<String>,
    #[serde(default)]
    qualifiers: Vec<String>,
    #[serde(default)]
    escalates_from: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
    #[serde(default)]
    requires: Vec<Requirement>,
    #[serde(default)]
    crosswalk: Crosswalk,
    #[serde(default)]
    samples: Samples,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrant {
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    access: Vec<String>,
    #[serde(default)]
    none: Option<String>,
    #[serde(default)]
    protection: Option<String>,
    #[serde(default)]
    api: Option<u32>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    reducible: bool,
    #[serde(default)]
    purpose_string: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAndroid {
    permissions: BTreeMap<String, RawGrant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApple {
    usage_keys: BTreeMap<String, RawGrant>,
    background_modes: BTreeMap<String, RawGrant>,
    data_types: BTreeMap<String, RawGrant>,
    #[serde(default)]
    entitlements: BTreeMap<String, RawGrant>,
    #[serde(default)]
    placeholders: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtension {
    permissions: BTreeMap<String, RawGrant>,
    hosts: RawHosts,
    data_collection: BTreeMap<String, RawGrant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHosts {
    all: RawGrant,
    some: RawGrant,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpo {
    plugins: BTreeMap<String, Plugin>,
}

/// The text of every data file `Taxonomy::load` reads (YAML, or the JSON build.rs makes).
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// `categories.yaml`.
    pub categories: &'a str,
    /// `language.yaml`.
    pub language: &'a str,
    /// `permissions/android.yaml`.
    pub android: &'a str,
    /// `permissions/apple.yaml`.
    pub apple: &'a str,
    /// `permissions/extension.yaml`.
    pub extension: &'a str,
    /// `permissions/expo.yaml`.
    pub expo: &'a str,
    /// `practices.yaml`.
    pub practices: &'a str,
}

/// The built-in data files.
pub const EMBEDDED: Sources<'static> = Sources {
    categories: CATEGORIES,
    language: LANGUAGE,
    android: ANDROID,
    apple: APPLE,
    extension: EXTENSION,
    expo: EXPO,
    practices: PRACTICES,
};

impl Taxonomy {
    /// The built-in taxonomy, loaded once.
    pub fn builtin() -> &'static Taxonomy {
        Self::shared_builtin()
    }

    /// The built-in taxonomy, shared: what a report holds when disclose.yaml adds nothing.
    pub fn shared_builtin() -> &'static std::sync::Arc<Taxonomy> {
        static BUILTIN: OnceLock<std::sync::Arc<Taxonomy>> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            std::sync::Arc::new(Taxonomy::load(&EMBEDDED).unwrap_or_else(|e| {
                panic!("the embedded policies/ data is invalid (tests/taxonomy.rs catches this): {e}")
            }))
        })
    }

    /// Loads and cross-checks the data files (YAML, or the JSON build.rs makes of it: JSON is
    /// YAML, and takes the fast path).
    pub fn load(src: &Sources) -> Result<Taxonomy, String> {
        let raw: RawCategories = data(src.categories).map_err(|e| format!("categories.yaml: {e}"))?;
        let language: Language = data(src.language).map_err(|e| format!("language.yaml: {e}"))?;
        let mut by_id = HashMap::new();
        for (i, c) in raw.categories.iter().enumerate() {
            if by_id.insert(c.id.clone(), i).is_some() {
                return Err(format!("categories.yaml: category `{}` is defined twice", c.id));
            }
        }
        let mut categories = Vec::with_capacity(raw.categories.len());
        for c in raw.categories {
            let parent = match &c.parent {
                Some(p) => Some(
                    *by_id.get(p).ok_or_else(|| format!("categories.yaml: `{}` names unknown parent `{p}`", c.id))?,
                ),
                None => None,
            };
            if c.vocabulary.is_empty() {
                return Err(format!("categories.yaml: `{}` has no vocabulary", c.id));
            }
            for r in &c.requires {
                if let Some(term) = r.terms.iter().find(|term| !c.vocabulary.contains(term)) {
                    return Err(format!(
                        "categories.yaml: `{}` requires words for `{term}`, which is not in its vocabulary",
                        c.id
                    ));
                }
                if r.words.is_empty() {
                    return Err(format!("categories.yaml: a `requires` entry of `{}` lists no words", c.id));
                }
            }
            let escalates_from = c
                .escalates_from
                .iter()
                .map(|e| {
                    by_id
                        .get(e)
                        .copied()
                        .ok_or_else(|| format!("categories.yaml: `{}` escalates from unknown `{e}`", c.id))
                })
                .collect::<Result<Vec<_>, _>>()?;
            categories.push(Category {
                escalates_from,
                id: c.id,
                label: c.label,
                description: c.description,
                parent,
                explicit: c.explicit,
                vocabulary: c.vocabulary,
                qualifiers: c.qualifiers,
                stop: c.not,
                requires: c.requires,
                crosswalk: c.crosswalk,
                samples: c.samples,
            });
        }
        let resolve = |file: &str, key: &str, g: RawGrant| -> Result<Grant, String> {
            if g.categories.is_empty() == g.none.is_none() {
                return Err(format!("{file}: `{key}` needs exactly one of `categories` or `none`"));
            }
            let cats = g
                .categories
                .iter()
                .map(|id| {
                    by_id.get(id).copied().ok_or_else(|| format!("{file}: `{key}` names unknown category `{id}`"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Grant {
                categories: cats,
                access: Access::parse(&g.access).map_err(|e| format!("{file}: `{key}`: {e}"))?,
                none: g.none,
                protection: g.protection,
                api: g.api,
                note: g.note,
                reducible: g.reducible,
                purpose_string: g.purpose_string.unwrap_or(true),
            })
        };
        let raw_android: RawAndroid = data(src.android).map_err(|e| format!("android.yaml: {e}"))?;
        let mut android_map = BTreeMap::new();
        for (k, g) in raw_android.permissions {
            android_map.insert(android_name(&k), resolve("android.yaml", &k, g)?);
        }
        let raw_apple: RawApple = data(src.apple).map_err(|e| format!("apple.yaml: {e}"))?;
        let section = |m: BTreeMap<String, RawGrant>| -> Result<BTreeMap<String, Grant>, String> {
            m.into_iter().map(|(k, g)| resolve("apple.yaml", &k, g).map(|g| (k, g))).collect()
        };
        let apple = Apple {
            usage_keys: section(raw_apple.usage_keys)?,
            background_modes: section(raw_apple.background_modes)?,
            data_types: section(raw_apple.data_types)?,
            entitlements: section(raw_apple.entitlements)?,
            placeholders: raw_apple.placeholders.iter().map(|p| p.trim().to_lowercase()).collect(),
        };
        let raw_ext: RawExtension = data(src.extension).map_err(|e| format!("extension.yaml: {e}"))?;
        let ext_section = |m: BTreeMap<String, RawGrant>| -> Result<BTreeMap<String, Grant>, String> {
            m.into_iter().map(|(k, g)| resolve("extension.yaml", &k, g).map(|g| (k, g))).collect()
        };
        let extension = Extension {
            permissions: ext_section(raw_ext.permissions)?,
            all_sites: resolve("extension.yaml", "hosts.all", raw_ext.hosts.all)?,
            some_sites: resolve("extension.yaml", "hosts.some", raw_ext.hosts.some)?,
            data_collection: ext_section(raw_ext.data_collection)?,
        };
        let raw_expo: RawExpo = data(src.expo).map_err(|e| format!("expo.yaml: {e}"))?;
        for (name, plugin) in &raw_expo.plugins {
            for i in &plugin.implies {
                let known = match (&i.ios, &i.android, &i.ios_background_mode) {
                    (Some(key), None, None) => apple.usage_keys.contains_key(key),
                    (None, Some(p), None) => android_map.contains_key(&android_name(p)),
                    (None, None, Some(mode)) => apple.background_modes.contains_key(mode),
                    _ => {
                        return Err(format!(
                            "expo.yaml: each entry of `{name}` needs exactly one of `ios`, `android` or `ios_background_mode`"
                        ))
                    }
                };
                if !known {
                    return Err(format!(
                        "expo.yaml: `{name}` implies an entry that apple.yaml or android.yaml does not map"
                    ));
                }
            }
        }
        let raw_practices: RawPractices = data(src.practices).map_err(|e| format!("practices.yaml: {e}"))?;
        let mut seen = std::collections::BTreeSet::new();
        for p in &raw_practices.practices {
            if !seen.insert(p.id.as_str()) {
                return Err(format!("practices.yaml: `{}` is defined twice", p.id));
            }
            if p.phrases.is_empty() && (p.verbs.is_empty() || p.objects.is_empty()) {
                return Err(format!("practices.yaml: `{}` needs phrases, or verbs and objects", p.id));
            }
        }
        Ok(Taxonomy {
            categories,
            by_id,
            language,
            android: android_map,
            apple,
            extension,
            expo: raw_expo.plugins,
            practices: raw_practices.practices,
            recipients: raw_practices.recipients,
            derived: OnceLock::new(),
        })
    }

    /// This taxonomy with categories from `disclose.yaml` added. A new category needs an id
    /// not taken, a known parent (or none) and vocabulary; its parent then covers it, as a
    /// built-in parent covers its children. An error gives the index of the first category
    /// that is not valid, the offending value (its id, or its parent) and a message.
    pub fn extended(
        &self,
        extra: &[crate::model::settings::CustomCategory],
    ) -> Result<Taxonomy, (usize, String, String)> {
        let mut categories = self.categories.clone();
        let mut by_id = self.by_id.clone();
        for (index, c) in extra.iter().enumerate() {
            let at = |(value, message): (String, String)| (index, value, message);
            let id = c.id.trim();
            let valid_id = !id.is_empty()
                && id.split('.').all(|part| {
                    !part.is_empty()
                        && part.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                });
            if !valid_id {
                return Err(at((
                    c.id.clone(),
                    format!("`{}` is not a category id (dotted lower-case words, e.g. health.glucose)", c.id),
                )));
            }
            if by_id.contains_key(id) {
                return Err(at((c.id.clone(), format!("category `{id}` already exists"))));
            }
            let parent = match &c.parent {
                None => None,
                Some(p) => Some(*by_id.get(p.trim()).ok_or_else(|| {
                    let near = crate::model::suggest::nearest(p, by_id.keys().map(String::as_str));
                    let hint = near.map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                    at((p.clone(), format!("category `{id}` names unknown parent `{p}`{hint}")))
                })?),
            };
            if c.vocabulary.is_empty() {
                return Err(at((
                    c.id.clone(),
                    format!("category `{id}` has no vocabulary: list the words a policy uses for it"),
                )));
            }
            by_id.insert(id.to_string(), categories.len());
            categories.push(Category {
                id: id.to_string(),
                label: c.label.clone().unwrap_or_else(|| id.to_string()),
                description: "added in disclose.yaml".into(),
                parent,
                explicit: false,
                vocabulary: c.vocabulary.clone(),
                qualifiers: c.qualifiers.clone(),
                escalates_from: Vec::new(),
                stop: Vec::new(),
                requires: Vec::new(),
                crosswalk: Crosswalk::default(),
                samples: Samples::default(),
            });
        }
        Ok(Taxonomy {
            categories,
            by_id,
            language: self.language.clone(),
            android: self.android.clone(),
            apple: self.apple.clone(),
            extension: self.extension.clone(),
            expo: self.expo.clone(),
            practices: self.practices.clone(),
            recipients: self.recipients.clone(),
            derived: OnceLock::new(),
        })
    }

    /// The category with this id.
    pub fn id(&self, id: &str) -> Option<CategoryId> {
        self.by_id.get(id).copied()
    }

    /// The practice with this id.
    pub fn practice(&self, id: &str) -> Option<usize> {
        self.practices.iter().position(|p| p.id == id)
    }

    /// The category at an index.
    pub fn category(&self, c: CategoryId) -> &Category {
        &self.categories[c]
    }

    /// Whether a statement about `disclosed` covers `requested`: the same category, or an
    /// ancestor whose path down to it crosses no explicit category.
    pub fn covers(&self, disclosed: CategoryId, requested: CategoryId) -> bool {
        let mut c = requested;
        loop {
            if c == disclosed {
                return true;
            }
            let cat = &self.categories[c];
            match cat.parent {
                Some(p) if !cat.explicit => c = p,
                _ => return false,
            }
        }
    }

    /// The children of a category.
    pub fn children(&self, c: CategoryId) -> impl Iterator<Item = CategoryId> + '_ {
        self.categories.iter().enumerate().filter(move |(_, k)| k.parent == Some(c)).map(|(i, _)| i)
    }

    /// For each category, the manifest entries that request it, prefixed by where they are
    /// written (`android:`, `ios:`, `UIBackgroundModes:`, `entitlement:`, `xcprivacy:`,
    /// `extension:`, `firefox-data:`), sorted.
    pub fn granted_by(&self) -> BTreeMap<CategoryId, Vec<String>> {
        let mut out: BTreeMap<CategoryId, Vec<String>> = BTreeMap::new();
        let mut add = |prefix: &str, name: &str, g: &Grant| {
            for &c in &g.categories {
                out.entry(c).or_default().push(format!("{prefix}:{name}"));
            }
        };
        for (k, g) in &self.android {
            add("android", k.strip_prefix(ANDROID_PREFIX).unwrap_or(k), g);
        }
        let apple = [
            ("ios", &self.apple.usage_keys),
            ("UIBackgroundModes", &self.apple.background_modes),
            ("entitlement", &self.apple.entitlements),
            ("xcprivacy", &self.apple.data_types),
            ("extension", &self.extension.permissions),
            ("firefox-data", &self.extension.data_collection),
        ];
        for (prefix, map) in apple {
            for (k, g) in map {
                add(prefix, k, g);
            }
        }
        add("extension", "<all_urls>", &self.extension.all_sites);
        add("extension", "https://example.com/*", &self.extension.some_sites);
        for v in out.values_mut() {
            v.sort();
        }
        out
    }

    /// The index a reader derives from this taxonomy, built by `build` on first use and kept
    /// with it (the policy matcher's automaton: `read::policy::matcher::Matcher::of`). The
    /// taxonomy is data and knows nothing of its readers; it only keeps the one index they
    /// build, so that it is built once per taxonomy, on whichever thread asks first.
    ///
    /// One type of index per taxonomy: asking for another is a programming error.
    pub fn derived<T: Any + Send + Sync>(&self, build: impl FnOnce(&Taxonomy) -> T) -> &T {
        let index = self.derived.get_or_init(|| Box::new(build(self)));
        index.downcast_ref().expect("a taxonomy keeps one type of derived index")
    }

    /// The Android grant for a permission name as written in a manifest.
    pub fn android(&self, name: &str) -> Option<&Grant> {
        self.android.get(name)
    }

    /// Whether a purpose string says nothing: empty, or a known placeholder.
    pub fn is_placeholder(&self, purpose: &str) -> bool {
        let p = purpose.trim().to_lowercase();
        let p = p.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        p.is_empty()
            || self.apple.placeholders.iter().any(|x| x.trim_matches(|c: char| c.is_ascii_punctuation()) == p)
            || ["todo", "fixme", "tbd", "xxx"]
                .iter()
                .any(|w| p.starts_with(w) && !p[w.len()..].starts_with(char::is_alphabetic))
    }
}

/// Parses JSON when the text is JSON (the embedded data), YAML otherwise.
pub(crate) fn data<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_coverage() {
        assert!(Access::READ.covers(Access::SELECTED));
        assert!(!Access::SELECTED.covers(Access::READ));
        assert!(!Access::READ.covers(Access::WRITE));
        assert!(Access::READ.union(Access::WRITE).covers(Access::WRITE));
        assert_eq!(Access::READ.union(Access::WRITE).minus(Access::READ), Access::WRITE);
        assert!(Access::SELECTED.minus(Access::READ).is_empty());
    }
}
