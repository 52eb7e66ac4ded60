//! Reading both versions' files: the bytes of every selected manifest and policy (each git
//! version through one `cat-file` process), then every file of both parsed on the run's
//! threads, a file the two versions share parsed once, and every distinct sentence judged once.

use std::sync::Arc;

use crate::engine::compare::Changes;
use crate::engine::inventory::{classify, Declared, Inventory, NoticeLog};
use crate::model::error::Error;
use crate::model::finding::{fnv, FNV_OFFSET};
use crate::model::settings::Settings;
use crate::model::source::Source;
use crate::read::manifest;
use crate::read::policy;
use crate::run::apps;
use crate::run::config::ConfigFile;
use crate::run::version::{Selection, Version};
use crate::taxonomy::Taxonomy;

/// One version, read and parsed.
pub struct Side {
    /// Its manifests, shared with the other version when the file is unchanged.
    pub manifests: Vec<Arc<manifest::Manifest>>,
    /// Its policies, shared likewise.
    pub policies: Vec<Arc<policy::Policy>>,
    /// (path, content hash) of every input, sorted: equal digests mean an unchanged version.
    pub digests: Vec<(String, u64)>,
    /// The configured change log's entries.
    pub notice_log: Option<NoticeLog>,
    /// `collects:` of this version's disclose.yaml.
    pub collects: Vec<Declared>,
}

impl Side {
    /// Classifies the part of this version that one app owns.
    pub fn classify(&self, files: &apps::Files, t: &Taxonomy, settings: &Settings) -> Inventory {
        let manifests: Vec<&manifest::Manifest> =
            self.manifests.iter().map(|m| &**m).filter(|m| files.manifests.contains(&m.path)).collect();
        let policies: Vec<&policy::Policy> =
            self.policies.iter().map(|p| &**p).filter(|p| files.policies.contains(&p.source.path)).collect();
        let mut inventory = classify(&manifests, &policies, t, &settings.extra);
        inventory.add_declared(&files.collects);
        inventory.notice_log = self.notice_log.clone();
        inventory
    }
}

/// What changed for one app from the old version to the new: any input it reads (by content)
/// or its declared categories, and, of those, its policies. `all_debt` counts every app as
/// changed (`--write-baseline` records the debt of all of them).
pub fn changes(old: &Side, new: &Side, app: &apps::Group, all_debt: bool) -> Changes {
    let digest = |side: &Side, files: &apps::Files, policies_only: bool| -> Vec<(String, u64)> {
        let wanted = |p: &String| if policies_only { files.policies.contains(p) } else { files.contains(p) };
        side.digests.iter().filter(|(p, _)| wanted(p)).cloned().collect()
    };
    let declared = |files: &apps::Files| files.collects.iter().map(|d| d.category).collect::<Vec<_>>();
    Changes {
        any: all_debt
            || digest(old, &app.old, false) != digest(new, &app.new, false)
            || declared(&app.old) != declared(&app.new),
        policy: digest(old, &app.old, true) != digest(new, &app.new, true),
    }
}

/// One input file of a version, read and not yet parsed.
struct RawFile {
    path: String,
    /// The manifest format; `None` for a policy.
    kind: Option<manifest::Kind>,
    /// Taken (left empty) when the file is parsed, so a version's bytes are not held beside
    /// its text.
    bytes: std::sync::Mutex<Vec<u8>>,
    digest: u64,
}

/// A version's inputs, read.
pub struct RawSide {
    files: Vec<RawFile>,
    notice_log: Option<NoticeLog>,
}

/// Reads the bytes of a version's selected files and its configured change log.
pub fn read_side(version: &dyn Version, selection: &Selection, settings: &Settings) -> Result<RawSide, Error> {
    let kinds =
        selection.manifests.iter().map(|(p, k)| (p, Some(*k))).chain(selection.policies.iter().map(|p| (p, None)));
    let wanted: Vec<String> = kinds.clone().map(|(p, _)| p.clone()).collect();
    let files = kinds
        .zip(version.read_all(&wanted)?)
        .map(|((path, kind), bytes)| RawFile {
            path: path.clone(),
            kind,
            digest: fnv(FNV_OFFSET, &bytes),
            bytes: std::sync::Mutex::new(bytes),
        })
        .collect();
    // The configured change log, when this version has it (a version without it simply has no
    // entries; a change log that is not UTF-8 text is an error like any input).
    let mut notice_log = None;
    if let Some(path) = &settings.notice.changelog {
        if let Ok(bytes) = version.read(path) {
            let text = Source::decode(path, &bytes).map_err(|e| e.shown_as(|p| version.show(p)))?.text;
            notice_log = Some(NoticeLog::new(path, &text));
        }
    }
    Ok(RawSide { files, notice_log })
}

/// A parsed input file.
#[derive(Clone)]
enum Parsed {
    Manifest(Arc<manifest::Manifest>),
    Policy(Arc<policy::Policy>),
}

/// Parses the files of both versions on `jobs` threads. A file the new version has unchanged
/// (same path, same bytes) is parsed once and shared: parsing is pure, so its result is the
/// old one's.
/// Errors come in input order (the old version's first), whatever thread finishes first.
pub fn parse_sides(
    (old, old_raw, old_own): (&(dyn Version + Sync), RawSide, Option<&ConfigFile>),
    (new, new_raw, new_own): (&(dyn Version + Sync), RawSide, Option<&ConfigFile>),
    t: &Taxonomy,
    jobs: std::num::NonZeroUsize,
) -> Result<(Side, Side), Error> {
    let unchanged: std::collections::HashMap<(&str, u64), usize> =
        old_raw.files.iter().enumerate().map(|(i, f)| ((f.path.as_str(), f.digest), i)).collect();
    // Each new file is either work of its own or the index of the old file it repeats.
    let reuse: Vec<Option<usize>> = new_raw
        .files
        .iter()
        .map(|f| unchanged.get(&(f.path.as_str(), f.digest)).copied().filter(|&i| old_raw.files[i].kind == f.kind))
        .collect();
    // A new file the old version repeats is never parsed: its bytes can go now.
    for (f, r) in new_raw.files.iter().zip(&reuse) {
        if r.is_some() {
            std::mem::take(&mut *f.bytes.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        }
    }
    let work: Vec<(&(dyn Version + Sync), &RawFile)> = old_raw
        .files
        .iter()
        .map(|f| (old, f))
        .chain(new_raw.files.iter().zip(&reuse).filter(|(_, r)| r.is_none()).map(|(f, _)| (new, f)))
        .collect();
    // Manifests are parsed and policies read into their structure in parallel; then every
    // distinct sentence of the policies is judged once (the versions share most of them),
    // and each policy's statements follow.
    enum Read {
        Manifest(Arc<manifest::Manifest>),
        Policy(policy::Structured),
    }
    let read = |&(version, file): &(&(dyn Version + Sync), &RawFile)| -> Result<Read, Error> {
        let bytes = std::mem::take(&mut *file.bytes.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let read = match file.kind {
            Some(kind) => manifest::parse(&file.path, kind, &bytes).map(|m| Read::Manifest(Arc::new(m))),
            None => Source::decode_owned(&file.path, bytes)
                .and_then(|s| {
                    let format = policy::Format::of(&s.path);
                    policy::read_as(s, format)
                })
                .map(Read::Policy),
        };
        read.map_err(|e| e.shown_as(|p| version.show(p)))
    };
    let read = crate::model::parallel::map(&work, jobs, read).into_iter().collect::<Result<Vec<_>, _>>()?;
    let structures: Vec<&policy::Structured> =
        read.iter().filter_map(|r| if let Read::Policy(p) = r { Some(p) } else { None }).collect();
    policy::prime(&structures, t, jobs);
    let (mut manifests, mut policies) = (Vec::new(), Vec::new());
    for r in read {
        match r {
            Read::Manifest(m) => manifests.push(Some(m)),
            Read::Policy(p) => {
                manifests.push(None);
                policies.push(p);
            }
        }
    }
    let mut policies = policy::judge_all(policies, t, jobs).into_iter();
    let judged: Vec<Result<Parsed, Error>> = manifests
        .into_iter()
        .zip(&work)
        .map(|(m, &(version, _))| match m {
            Some(m) => Ok(Parsed::Manifest(m)),
            None => policies
                .next()
                .expect("one result per policy")
                .map(|p| Parsed::Policy(Arc::new(p)))
                .map_err(|e| e.shown_as(|p| version.show(p))),
        })
        .collect();
    let mut done = judged.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter();
    let old_parsed: Vec<Parsed> = done.by_ref().take(old_raw.files.len()).collect();
    let new_parsed: Vec<Parsed> = reuse
        .iter()
        .map(|r| r.map_or_else(|| done.next().expect("one result per new file"), |i| old_parsed[i].clone()))
        .collect();
    let side = |raw: RawSide, parsed: Vec<Parsed>, own: Option<&ConfigFile>| {
        let mut digests: Vec<(String, u64)> = raw.files.into_iter().map(|f| (f.path, f.digest)).collect();
        digests.sort();
        let (mut manifests, mut policies) = (Vec::new(), Vec::new());
        for p in parsed {
            match p {
                Parsed::Manifest(m) => manifests.push(m),
                Parsed::Policy(p) => policies.push(p),
            }
        }
        // `collects:` is part of the version: adding a category there is a new request.
        let collects = own.map_or_else(Vec::new, |c| apps::declared(&c.label, &c.text, &c.config, t));
        Side { manifests, policies, digests, notice_log: raw.notice_log, collects }
    };
    Ok((side(old_raw, old_parsed, old_own), side(new_raw, new_parsed, new_own)))
}

/// Whether two versions read the same inputs, by content: the same manifests (in the same
/// formats) and policies, each with the same blob id; the same disclose.yaml; the same change
/// log (`notice.changelog`); the same entries there and not read. Any version compared with
/// one that reads the same inputs yields no finding, so there is nothing to judge. `false`
/// when a version cannot tell a file's content without reading it (a folder), or a selected
/// file is missing (the full run then says so).
pub fn same_inputs(
    sides: [(&(dyn Version + Sync), &Selection, Option<&ConfigFile>); 2],
    changelog: Option<&str>,
) -> bool {
    let [(old, old_sel, old_own), (new, new_sel, new_own)] = sides;
    let ids = |v: &(dyn Version + Sync), s: &Selection| -> Option<Vec<(String, Option<manifest::Kind>, String)>> {
        let manifests = s.manifests.iter().map(|(p, k)| Some((p.clone(), Some(*k), v.blob_id(p)?)));
        let policies = s.policies.iter().map(|p| Some((p.clone(), None, v.blob_id(p)?)));
        manifests.chain(policies).collect()
    };
    let (Some(old_ids), Some(new_ids)) = (ids(old, old_sel), ids(new, new_sel)) else { return false };
    old_ids == new_ids
        && old_own.map(|c| &c.text) == new_own.map(|c| &c.text)
        && changelog.is_none_or(|c| old.blob_id(c) == new.blob_id(c))
        && old_sel.unread(new_sel) == new_sel.unread(old_sel)
}
