//! The gate holds against its own change. A pull request that adds `ACCESS_FINE_LOCATION` could
//! also add `fail_on: never`, turn the rule off, exclude the manifest, map the permission to
//! nothing or acknowledge the finding, all in the same `disclose.yaml` change. So when the new
//! version's configuration differs from the old one's, the run is evaluated twice, and every
//! finding the old version's settings fail on keeps failing, saying which new setting would
//! have hidden it. A relaxation takes effect once it is on the base version: in a change of its
//! own, reviewed by whoever owns `disclose.yaml`.
//!
//! Pure: two finished evaluations in, one list of findings and a threshold out.

use std::collections::HashMap;

use crate::model::finding::{Finding, Related, Threshold};
use crate::model::settings::{Config, Settings};
use crate::model::source::{Location, Source};
use crate::run::config::{line_of, ConfigFile};

/// A configuration file as the run read it.
#[derive(Clone, Copy)]
pub struct ConfigText<'a> {
    /// How to name it (`new/disclose.yaml`).
    pub label: &'a str,
    /// Its text, for lines.
    pub text: &'a str,
    /// What it says.
    pub config: &'a Config,
}

impl<'a> From<&'a ConfigFile> for ConfigText<'a> {
    fn from(c: &'a ConfigFile) -> Self {
        ConfigText { label: &c.label, text: &c.text, config: &c.config }
    }
}

/// One evaluation of the change, with the settings it ran under.
pub struct Held<'a> {
    /// Its findings, acknowledged and ordered.
    pub findings: Vec<Finding>,
    /// The threshold it fails at.
    pub fail_on: Threshold,
    /// The settings it ran under.
    pub settings: &'a Settings,
    /// The configuration those settings came from (`None`: the defaults).
    pub config: Option<ConfigText<'a>>,
}

/// The findings of the run and its threshold: `relaxing`'s findings (the new configuration's),
/// plus every finding `base` fails on that `relaxing` would not, restored with the reason.
/// The threshold is the stricter of the two. `new_read` lists the new version's files that
/// the new configuration read.
pub fn hold(mut base: Held, mut relaxing: Held, new_read: &[String]) -> (Vec<Finding>, Threshold) {
    let fail_on = stricter(base.fail_on, relaxing.fail_on);
    let mut out = std::mem::take(&mut relaxing.findings);
    let index: HashMap<String, usize> = out.iter().enumerate().map(|(i, f)| (f.fingerprint.clone(), i)).collect();
    for b in std::mem::take(&mut base.findings) {
        if b.acknowledged.is_some() || !base.fail_on.fails(b.level) {
            continue;
        }
        let Some(&i) = index.get(&b.fingerprint) else {
            let why = hidden_because(&b, &base, &relaxing, new_read);
            out.push(restored(b, why));
            continue;
        };
        let f = &mut out[i];
        if f.acknowledged.is_none() && relaxing.fail_on.fails(f.level) {
            continue; // it fails under the new settings too
        }
        let why = if let Some(ack) = &f.acknowledged {
            acknowledged(ack, &relaxing)
        } else if f.level < b.level {
            level_reason(&b, &relaxing).unwrap_or_else(|| Why::new(relaxing.config, b.rule, "lowers its level".into()))
        } else {
            fail_on_reason(&relaxing)
        };
        f.level = f.level.max(b.level);
        *f = restored(f.clone(), why);
    }
    crate::engine::rules::order(&mut out);
    (out, fail_on)
}

/// Why the new configuration would hide a finding, and where it says so.
struct Why {
    /// "turns `undisclosed-collection` off".
    what: String,
    /// The configuration line that does it.
    at: Option<Location>,
}

impl Why {
    fn new(config: Option<ConfigText>, key: &str, what: String) -> Why {
        Why { what, at: config.and_then(|c| line_of(c.text, key).map(|line| line_location(c, line))) }
    }
}

/// A finding brought back: the reason leads its help, and the setting is a related place.
fn restored(mut f: Finding, why: Why) -> Finding {
    let (place, related) = match why.at {
        Some(at) => (format!(" ({}:{})", at.path, at.line), Some(at)),
        None => (String::new(), None),
    };
    f.help = format!(
        "the new disclose.yaml {}{place}, but a change that relaxes the gate counts only once it is on the base version: make it in a change of its own, reviewed by the owners of disclose.yaml; or {}",
        why.what, f.help
    );
    if let Some(location) = related {
        f.related.push(Related { label: "the setting that would hide it".into(), location });
    }
    f.acknowledged = None;
    f
}

fn hidden_because(b: &Finding, base: &Held, relaxing: &Held, new_read: &[String]) -> Why {
    if let Some(why) = level_reason(b, relaxing) {
        return why;
    }
    if !relaxing.fail_on.fails(b.level) {
        return fail_on_reason(relaxing);
    }
    let config = relaxing.config;
    if !new_read.contains(&b.primary.path) {
        let path = &b.primary.path;
        let excluded = relaxing.settings.exclude.is_match(path) && !base.settings.exclude.is_match(path);
        let key = if excluded {
            "exclude"
        } else if config.is_some_and(|c| c.config.manifests.is_some()) {
            "manifests"
        } else {
            "policies"
        };
        return Why::new(config, key, format!("no longer reads `{path}`"));
    }
    // What else the two configurations say differently, in the order a reader would check.
    let (old, new) = (base.config.map(|c| c.config), config.map(|c| c.config));
    let default = Config::default();
    let (old, new_or_default) = (old.unwrap_or(&default), new.unwrap_or(&default));
    let changed: Vec<&str> = [
        ("permissions", old.permissions != new_or_default.permissions),
        ("apps", old.apps != new_or_default.apps),
        ("categories", old.categories != new_or_default.categories),
        ("notice", old.notice != new_or_default.notice),
        ("collects", old.collects != new_or_default.collects),
        ("policies", old.policies != new_or_default.policies),
        ("manifests", old.manifests != new_or_default.manifests),
    ]
    .into_iter()
    .filter_map(|(k, differs)| differs.then_some(k))
    .collect();
    match changed.first() {
        Some(key) => Why::new(config, key, format!("changes `{key}:`")),
        None => Why { what: "changes its settings".into(), at: None },
    }
}

/// The acknowledgement `ack` (as a finding shows it: "reason (disclose.yaml:12)") of the
/// new configuration, with its line.
fn acknowledged(ack: &str, relaxing: &Held) -> Why {
    let entry = relaxing.settings.acknowledge.iter().find(|a| ack.starts_with(&format!("{} ({}", a.reason, a.at)));
    let line = entry.and_then(|a| a.at.rsplit(':').next()?.parse::<usize>().ok());
    let what = match entry {
        Some(a) => format!("acknowledges it (\"{}\")", a.reason),
        None => "acknowledges it".to_string(),
    };
    Why { what, at: relaxing.config.zip(line).map(|(c, line)| line_location(c, line)) }
}

/// The rule is off or lower in the new configuration than the finding's level.
fn level_reason(b: &Finding, relaxing: &Held) -> Option<Why> {
    match relaxing.settings.levels.get(b.rule) {
        Some(None) => Some(Why::new(relaxing.config, b.rule, format!("turns `{}` off", b.rule))),
        Some(Some(l)) if *l < b.level => {
            Some(Why::new(relaxing.config, b.rule, format!("lowers `{}` to {l} (from {})", b.rule, b.level)))
        }
        _ => None,
    }
}

fn fail_on_reason(relaxing: &Held) -> Why {
    Why::new(relaxing.config, "fail_on", format!("sets `fail_on: {}`", relaxing.fail_on.as_str()))
}

/// The stricter of two thresholds: the lower level, and any level before `never`.
pub fn stricter(a: Threshold, b: Threshold) -> Threshold {
    match (a, b) {
        (Threshold::At(x), Threshold::At(y)) => Threshold::At(x.min(y)),
        (Threshold::At(x), Threshold::Never) | (Threshold::Never, Threshold::At(x)) => Threshold::At(x),
        (Threshold::Never, Threshold::Never) => Threshold::Never,
    }
}

/// A whole line of a configuration file, as a location.
fn line_location(c: ConfigText, line: usize) -> Location {
    let source = Source::new(c.label, c.text.to_string());
    let start: usize = c.text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let len = source.line_text(line).len();
    source.location(start, start + len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Level::{self, Error, Warning};

    #[test]
    fn the_stricter_threshold_fails_more() {
        assert_eq!(stricter(Threshold::At(Error), Threshold::Never), Threshold::At(Error));
        assert_eq!(stricter(Threshold::At(Error), Threshold::At(Warning)), Threshold::At(Warning));
        assert_eq!(stricter(Threshold::Never, Threshold::Never), Threshold::Never);
    }

    fn finding(rule: &'static str, level: Level) -> Finding {
        let source = Source::new("app/AndroidManifest.xml", "<uses-permission/>\n".into());
        Finding {
            rule,
            level,
            category: Some("location.precise".into()),
            subject: None,
            primary: source.location(0, 5),
            related: Vec::new(),
            policy: None,
            evidence: Vec::new(),
            message: "m".into(),
            help: "disclose it".into(),
            acknowledged: None,
            fingerprint: format!("{rule}-fp"),
        }
    }

    fn config(text: &str) -> Config {
        crate::run::config::parse("disclose.yaml", text).unwrap()
    }

    #[test]
    fn a_rule_turned_off_by_the_change_still_fails_and_says_where() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let text = "rules:\n  undisclosed-collection: off\n";
        let (old_settings, new_config) = (Settings::default(), config(text));
        let new_settings = crate::run::config::settings("disclose.yaml", text, &new_config, t).unwrap();
        let base = Held {
            findings: vec![finding("undisclosed-collection", Error)],
            fail_on: Threshold::At(Error),
            settings: &old_settings,
            config: None,
        };
        let relaxing = Held {
            findings: Vec::new(),
            fail_on: Threshold::At(Error),
            settings: &new_settings,
            config: Some(ConfigText { label: "disclose.yaml", text, config: &new_config }),
        };
        let read = vec!["app/AndroidManifest.xml".to_string()];
        let (findings, fail_on) = hold(base, relaxing, &read);
        assert_eq!(fail_on, Threshold::At(Error));
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.level, Error);
        assert!(
            f.help.starts_with("the new disclose.yaml turns `undisclosed-collection` off (disclose.yaml:2), but"),
            "{}",
            f.help
        );
        assert!(f.help.ends_with("; or disclose it"), "{}", f.help);
        assert_eq!(f.related[0].location.snippet.as_ref(), "  undisclosed-collection: off");
    }

    #[test]
    fn an_acknowledgement_added_by_the_change_does_not_count_yet() {
        let mut acked = finding("undisclosed-collection", Error);
        acked.acknowledged = Some("policy update ships next week (disclose.yaml:3)".into());
        let settings = Settings::default();
        let base = Held {
            findings: vec![finding("undisclosed-collection", Error)],
            fail_on: Threshold::At(Error),
            settings: &settings,
            config: None,
        };
        let relaxing = Held { findings: vec![acked], fail_on: Threshold::At(Error), settings: &settings, config: None };
        let (findings, _) = hold(base, relaxing, &[]);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].acknowledged.is_none());
        assert!(findings[0].help.starts_with("the new disclose.yaml acknowledges it, but"), "{}", findings[0].help);
    }

    #[test]
    fn what_the_base_settings_pass_stays_passed() {
        let settings = Settings::default();
        let mut acked = finding("undisclosed-collection", Error);
        acked.acknowledged = Some("reviewed".into());
        let base = Held {
            findings: vec![acked.clone(), finding("unknown-permission", Level::Note)],
            fail_on: Threshold::At(Error),
            settings: &settings,
            config: None,
        };
        let relaxing = Held { findings: vec![acked], fail_on: Threshold::Never, settings: &settings, config: None };
        let (findings, fail_on) = hold(base, relaxing, &[]);
        assert_eq!(fail_on, Threshold::At(Error));
        assert_eq!(findings.len(), 1);
        assert!(findings[0].acknowledged.is_some(), "the base's own acknowledgement holds");
    }
}
