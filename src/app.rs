//! The one place that connects the stages: load both versions, parse, classify, compare, run
//! the rules. File access happens here and in `version/`; everything it calls is pure.

use std::path::PathBuf;

use crate::compare::compare;
use crate::config::{self, Config, Settings};
use crate::error::Error;
use crate::finding::{fnv, Threshold, FNV_OFFSET};
use crate::inventory::{classify, Inventory};
use crate::manifest;
use crate::policy;
use crate::report::Report;
use crate::rules;
use crate::source::Source;
use crate::taxonomy::Taxonomy;
use crate::version::{select, Folder, Version};

/// What `disclose check` was asked to compare.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// The old version's folder.
    pub old: PathBuf,
    /// The new version's folder.
    pub new: PathBuf,
    /// `--config`: settings for the run (and file lists for a version without its own).
    pub config: Option<PathBuf>,
    /// `--fail-on`, overriding the configuration.
    pub fail_on: Option<Threshold>,
}

/// One version, loaded and classified.
struct Side {
    inventory: Inventory,
    /// (path, content hash) of every input, sorted: equal digests mean an unchanged version.
    digests: Vec<(String, u64)>,
}

/// Runs `disclose check` on two folders.
pub fn check(req: &CheckRequest) -> Result<Report, Error> {
    let t = Taxonomy::builtin();
    let old = Folder::open(&req.old)?;
    let new = Folder::open(&req.new)?;
    let explicit = match &req.config {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|source| Error::Read { path: p.clone(), source })?;
            let label = p.display().to_string();
            let text = Source::decode(&label, &bytes)?.text;
            Some((label, text))
        }
        None => None,
    };
    let parsed = |file: &Option<(String, String)>| -> Result<Option<(String, String, Config)>, Error> {
        file.as_ref().map(|(label, text)| Ok((label.clone(), text.clone(), config::parse(label, text)?))).transpose()
    };
    let explicit = parsed(&explicit)?;
    let old_own = parsed(&old.config()?)?;
    let new_own = parsed(&new.config()?)?;
    let settings = match explicit.as_ref().or(new_own.as_ref()) {
        Some((label, text, cfg)) => config::settings(label, text, cfg, t)?,
        None => Settings::default(),
    };
    let files_of = |own: &Option<(String, String, Config)>| {
        own.as_ref().or(explicit.as_ref()).map(|(l, _, c)| (l.clone(), c.clone()))
    };
    // The versions are independent: read and parse them on two threads. Each side's result
    // is the same whichever finishes first, so the output does not depend on scheduling.
    let (old_files, new_files) = (files_of(&old_own), files_of(&new_own));
    let (old_side, new_side) = std::thread::scope(|scope| {
        let old_job = scope.spawn(|| load(&old, old_files, &settings, t));
        let new_side = load(&new, new_files, &settings, t);
        (old_job.join().expect("loading a version does not panic"), new_side)
    });
    let (old_side, new_side) = (old_side?, new_side?);
    if new_side.inventory.policies.is_empty() {
        return Err(Error::NoPolicy { version: new.label() });
    }
    let changed = old_side.digests != new_side.digests;
    let findings = {
        let cx = compare(t, &old_side.inventory, &new_side.inventory, changed);
        rules::run(&cx, &settings.levels)
    };
    Ok(Report {
        findings,
        old: old_side.inventory,
        new: new_side.inventory,
        fail_on: req.fail_on.unwrap_or(settings.fail_on),
        old_label: old.label(),
        new_label: new.label(),
        taxonomy: t,
    })
}

fn load(
    version: &dyn Version,
    own: Option<(String, Config)>,
    settings: &Settings,
    t: &Taxonomy,
) -> Result<Side, Error> {
    let (label, cfg) = own.map_or((None, Config::default()), |(l, c)| (Some(l), c));
    let selection = select(version, &cfg, label.as_deref(), &settings.exclude)?;
    let root = version.label();
    let mut digests = Vec::new();
    let mut manifests = Vec::new();
    for (path, kind) in &selection.manifests {
        let bytes = version.read(path)?;
        digests.push((path.clone(), fnv(FNV_OFFSET, &bytes)));
        manifests.push(manifest::parse(path, *kind, &bytes).map_err(|e| e.under(&root))?);
    }
    let mut policies = Vec::new();
    for path in &selection.policies {
        let bytes = version.read(path)?;
        digests.push((path.clone(), fnv(FNV_OFFSET, &bytes)));
        let source = Source::decode(path, &bytes).map_err(|e| e.under(&root))?;
        policies.push(policy::parse(source, t).map_err(|e| e.under(&root))?);
    }
    digests.sort();
    Ok(Side { inventory: classify(&manifests, &policies, t, &settings.extra), digests })
}
