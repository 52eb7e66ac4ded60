//! The pipeline of `disclose check`, read top to bottom: gather the two versions and their
//! configuration, read the files, build each app's inventories, compare, run the rules, hold
//! the gate against its own change, acknowledge, apply a baseline, and return the report.
//! Each step is a function of the module that owns it; file access is in `version/`,
//! `sides` and `read`, and everything they hand to is pure.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::compare::compare;
use crate::engine::inventory::Inventory;
use crate::engine::rules;
use crate::model::error::Error;
use crate::model::finding::Threshold;
use crate::model::limits::Limits;
use crate::model::names::discovered;
use crate::model::settings::{Date, Settings};
use crate::run::apps;
use crate::run::baseline::{apply_baseline, BaselineInput};
use crate::run::config::{configure, read_config, ConfigFile};
use crate::run::gate::{hold, ConfigText, Held};
use crate::run::outcome::{Command, Report};
use crate::run::sides::{changes, parse_sides, read_side, same_inputs, Side};
use crate::run::version::git::Repo;
use crate::run::version::resolve::{resolve, CiEnv, Mode};
use crate::run::version::{choose, Folder, Selection, Version};
use crate::taxonomy::Taxonomy;

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
    /// Compute the policy redlines (for the HTML report).
    pub redline: bool,
    /// The day acknowledgements are checked against (`None`: today, from the system clock).
    pub today: Option<Date>,
    /// File-size limit and threads.
    pub limits: Limits,
    /// `--baseline`: a file of recorded findings to leave out (read from disk).
    pub baseline: Option<PathBuf>,
    /// Report debt (`undisclosed-existing`) even when the versions are the same: what
    /// `--write-baseline` records.
    pub all_debt: bool,
}

impl CheckRequest {
    /// Two folders with every option at its default (the configuration in the folders, today
    /// from the clock, the default limits).
    pub fn new(old: impl Into<PathBuf>, new: impl Into<PathBuf>) -> CheckRequest {
        CheckRequest {
            old: old.into(),
            new: new.into(),
            config: None,
            fail_on: None,
            redline: false,
            today: None,
            limits: Limits::default(),
            baseline: None,
            all_debt: false,
        }
    }
}

/// What `disclose check` in a git repository was asked to compare.
#[derive(Debug, Clone)]
pub struct GitRequest {
    /// The folder disclose runs in (any folder of the repository).
    pub cwd: PathBuf,
    /// `--staged`, or a base and head.
    pub mode: Mode,
    /// The CI variables that choose a base.
    pub env: CiEnv,
    /// Paths given on the command line: they decide whether to run, never the verdict.
    pub paths: Vec<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--fail-on`.
    pub fail_on: Option<Threshold>,
    /// List the changed manifests and policies in the report's note (for `-v` and Markdown;
    /// it costs one more git process, so a plain hook run skips it).
    pub list_changes: bool,
    /// Compute the policy redlines (for the HTML report).
    pub redline: bool,
    /// The day acknowledgements are checked against (`None`: today, from the system clock).
    pub today: Option<Date>,
    /// File-size limit and threads.
    pub limits: Limits,
    /// `--baseline`: a file of recorded findings, read from both versions (an entry only the
    /// new one holds counts once it is on the base version).
    pub baseline: Option<PathBuf>,
    /// Report debt even when the versions are the same (`--write-baseline`).
    pub all_debt: bool,
}

/// Runs `disclose check` on two folders.
pub fn check(req: &CheckRequest) -> Result<Report, Error> {
    let old = Folder::open(&req.old)?.with_max_file_size(req.limits.max_file_size);
    let new = Folder::open(&req.new)?.with_max_file_size(req.limits.max_file_size);
    let opts = RunOptions {
        config_path: req.config.as_deref(),
        fail_on: req.fail_on,
        reason: None,
        paths: None,
        unchanged_is_clean: false,
        redline: req.redline,
        today: req.today,
        limits: req.limits,
        baseline: req.baseline.clone().map(BaselineInput::Disk),
        all_debt: req.all_debt,
    };
    run(&old, &new, opts)
}

/// Runs `disclose check` on two versions from git.
pub fn check_git(req: &GitRequest) -> Result<Report, Error> {
    // Loading the taxonomy and compiling its automaton does not need git: do it while git
    // lists the two versions, so the hook's wall-clock time is git's, not the sum. The thread
    // is not waited for: a run with nothing to check exits without the automaton, and one
    // that needs it waits for it where it is used (it is built once).
    std::thread::spawn(|| crate::read::policy::matcher::Matcher::of(Taxonomy::builtin()));
    // The commit hook finds the repository without running git (`.git` upwards) unless the
    // environment tells git where it is, or a pre-commit range needs `rev-parse` anyway.
    let found = if req.mode == Mode::Staged && req.env.pre_commit_range().is_none() {
        Repo::locate(&req.cwd, req.env.git_location)?
    } else {
        Repo::discover(&req.cwd)?
    };
    let repo = Repo { max_file_size: req.limits.max_file_size, ..found };
    let sides = resolve(&repo, &req.mode, &req.env)?;
    // Paths on the command line are relative to the current folder (lint-staged passes
    // absolute paths, lefthook relative ones) and compared as repository-relative paths.
    let in_repo = |p: &Path| {
        let root = repo.root.canonicalize().unwrap_or_else(|_| repo.root.clone());
        let cwd = req.cwd.canonicalize().unwrap_or_else(|_| req.cwd.clone());
        relative_to(&root, &cwd.join(p))
    };
    let paths = (!req.paths.is_empty()).then(|| req.paths.iter().map(|p| in_repo(p)).collect());
    // What changed, for `-v`: git's rename-aware list of the manifests and policies touched,
    // listed on another thread while the check runs.
    std::thread::scope(|scope| {
        let listing = scope.spawn(|| {
            let d = sides.diff.as_ref().filter(|_| req.list_changes)?;
            repo.changes(&d.old, d.new.as_deref(), d.staged).ok()
        });
        let opts = RunOptions {
            config_path: req.config.as_deref(),
            fail_on: req.fail_on,
            reason: Some(sides.reason.clone()),
            paths,
            // The commit hook's question is what the commit changes: when nothing disclose
            // reads differs, there is nothing new to judge, and the hook answers in
            // milliseconds (so it can run on every commit; see .pre-commit-hooks.yaml).
            unchanged_is_clean: req.mode == Mode::Staged,
            redline: req.redline,
            today: req.today,
            limits: req.limits,
            baseline: req.baseline.as_deref().map(|p| BaselineInput::InVersions(in_repo(p))),
            all_debt: req.all_debt,
        };
        let mut report = run(sides.old.as_ref(), sides.new.as_ref(), opts)?;
        report.notices.extend(sides.notice.clone());
        if let Some(changes) = listing.join().expect("listing changes does not panic") {
            let relevant: Vec<String> = changes
                .iter()
                .filter(|c| discovered(&c.path) || c.from.as_deref().is_some_and(discovered))
                .map(|c| match &c.from {
                    Some(from) => format!("{} {from} -> {}", c.status, c.path),
                    None => format!("{} {}", c.status, c.path),
                })
                .collect();
            let listed = if relevant.is_empty() { "no manifest or policy".to_string() } else { relevant.join(", ") };
            if let Some(note) = &mut report.note {
                note.push_str(&format!("; changed: {listed}"));
            }
        }
        Ok(report)
    })
}

/// `path` relative to `root`, with `/` separators (unchanged when it lies outside).
fn relative_to(root: &Path, path: &Path) -> String {
    // The folder with links resolved, the name as given: a path that is a link names the
    // link (which may be what changed), not its target.
    let path = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)),
        _ => path.canonicalize(),
    }
    .unwrap_or_else(|_| path.to_path_buf());
    let rel = path.strip_prefix(root).unwrap_or(&path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// What a run was asked, apart from the two versions.
struct RunOptions<'a> {
    config_path: Option<&'a Path>,
    fail_on: Option<Threshold>,
    /// Why these versions (the base the CI chose), for the report's note.
    reason: Option<String>,
    /// Paths given on the command line.
    paths: Option<Vec<String>>,
    /// Stop early, with nothing to report, when the two versions read the same inputs
    /// ([`same_inputs`]); the paths given then change nothing.
    unchanged_is_clean: bool,
    redline: bool,
    today: Option<Date>,
    limits: Limits,
    baseline: Option<BaselineInput>,
    all_debt: bool,
}

/// The two versions' disclose.yaml files and `--config`, parsed.
struct Configs {
    /// `--config`.
    explicit: Option<ConfigFile>,
    /// The old version's own disclose.yaml.
    old_own: Option<ConfigFile>,
    /// The new version's own disclose.yaml.
    new_own: Option<ConfigFile>,
}

impl Configs {
    fn read(old: &dyn Version, new: &dyn Version, explicit: Option<&Path>) -> Result<Configs, Error> {
        Ok(Configs {
            explicit: explicit.map(read_config).transpose()?,
            old_own: old.config()?.map(ConfigFile::parse).transpose()?,
            new_own: new.config()?.map(ConfigFile::parse).transpose()?,
        })
    }

    /// The file whose settings the run uses: `--config`, else the new version's own.
    fn governing(&self) -> Option<&ConfigFile> {
        self.explicit.as_ref().or(self.new_own.as_ref())
    }

    /// The files that list each version's manifests and policies: its own, else `--config`.
    fn file_lists(&self) -> (Option<&ConfigFile>, Option<&ConfigFile>) {
        (self.old_own.as_ref().or(self.explicit.as_ref()), self.new_own.as_ref().or(self.explicit.as_ref()))
    }

    /// Whether the change under review edits its own gate: the two versions' disclose.yaml
    /// differ and `--config` does not govern both.
    fn gate_changed(&self) -> bool {
        self.explicit.is_none() && self.old_own.as_ref().map(|c| &c.text) != self.new_own.as_ref().map(|c| &c.text)
    }
}

/// The run, step by step: the configuration, the files each version reads, whether there is
/// anything to check, the evaluation, the gate held against its own change, the baseline, the
/// redlines, the report.
fn run(old: &(dyn Version + Sync), new: &(dyn Version + Sync), opts: RunOptions) -> Result<Report, Error> {
    let configs = Configs::read(old, new, opts.config_path)?;
    let (taxonomy, settings) = configure(configs.governing())?;
    let (old_files, new_files) = configs.file_lists();
    let selections = (choose(old, old_files, &settings)?, choose(new, new_files, &settings)?);
    let fail_on = opts.fail_on.unwrap_or(settings.fail_on);
    if let Some(why) = nothing_to_check([old, new], &selections, &configs, &settings, &opts) {
        let reason = opts.reason;
        return Ok(unchecked_report([old, new], &selections, taxonomy, fail_on, reason, why));
    }
    let today = opts.today.unwrap_or_else(today_from_clock);
    let plan = Plan {
        taxonomy: &taxonomy,
        settings: &settings,
        governing: configs.governing(),
        old_files,
        new_files,
        all_debt: opts.all_debt,
    };
    let run = evaluate(old, new, &plan, selections, opts.limits.jobs, today)?;
    let (mut findings, fail_on) = if configs.gate_changed() {
        let relaxing = Verdict { findings: run.findings, fail_on, settings: &settings };
        hold_gate([old, new], &configs, relaxing, &run.new_selected, &opts, today)?
    } else {
        (run.findings, fail_on)
    };
    let baseline = match opts.baseline {
        None => None,
        Some(input) => Some(apply_baseline(&mut findings, input, old, new, opts.limits.max_file_size)?),
    };
    let redlines = if opts.redline {
        crate::engine::diff::redlines(&run.old_side.policies, &run.new_side.policies, &taxonomy)
    } else {
        Vec::new()
    };
    Ok(Report {
        findings,
        old: run.old,
        new: run.new,
        fail_on,
        old_label: old.label(),
        new_label: new.label(),
        taxonomy,
        note: opts.reason,
        notices: Vec::new(),
        unchecked: None,
        command: Command::Check,
        redlines,
        baseline,
        inventory: false,
    })
}

/// Why there is nothing to check, when there is not: the commit hook's versions read the same
/// inputs, or none of the paths given is a file disclose reads.
fn nothing_to_check(
    [old, new]: [&(dyn Version + Sync); 2],
    (old_selection, new_selection): &(Selection, Selection),
    configs: &Configs,
    settings: &Settings,
    opts: &RunOptions,
) -> Option<&'static str> {
    // Recording a baseline reads everything, changed or not: the debt is what it records.
    if opts.unchanged_is_clean && !opts.all_debt {
        let sides = [(old, old_selection, configs.old_own.as_ref()), (new, new_selection, configs.new_own.as_ref())];
        return same_inputs(sides, settings.notice.changelog.as_deref())
            .then_some("no manifest, policy or disclose.yaml changed");
    }
    // Paths only say whether this run concerns disclose: a batch of files from lint-staged
    // that holds no manifest, policy or config has nothing to check. When one is there, the
    // whole change is checked, so every batch gets the same verdict.
    let paths = opts.paths.as_ref()?;
    let unread =
        |p: &String| [old_selection, new_selection].iter().any(|s| s.candidates.iter().any(|c| &c.unread.path == p));
    let relevant = |p: &String| {
        old_selection.contains(p) || new_selection.contains(p) || unread(p) || crate::model::names::is_config_path(p)
    };
    (!paths.iter().any(relevant)).then_some("none of the given paths is a manifest, policy or disclose.yaml")
}

/// The report of a run with nothing to check. Its inventories name the files (for the
/// summary's counts, and so that no output file may overwrite one) and hold nothing else:
/// nothing was read.
fn unchecked_report(
    [old, new]: [&(dyn Version + Sync); 2],
    (old_selection, new_selection): &(Selection, Selection),
    taxonomy: Arc<Taxonomy>,
    fail_on: Threshold,
    reason: Option<String>,
    why: &str,
) -> Report {
    let names = |s: &Selection| Inventory {
        manifests: s.manifests.clone(),
        policies: s.policies.clone(),
        ..Inventory::default()
    };
    Report {
        findings: Vec::new(),
        old: names(old_selection),
        new: names(new_selection),
        fail_on,
        old_label: old.label(),
        new_label: new.label(),
        taxonomy,
        note: Some(match reason {
            Some(r) => format!("{r}; nothing to check: {why}"),
            None => format!("nothing to check: {why}"),
        }),
        notices: Vec::new(),
        unchecked: Some(why.to_string()),
        command: Command::Check,
        redlines: Vec::new(),
        baseline: None,
        inventory: false,
    }
}

/// What one evaluation decided, with the settings that decided it.
struct Verdict<'a> {
    findings: Vec<crate::model::finding::Finding>,
    fail_on: Threshold,
    settings: &'a Settings,
}

/// The change under review must not relax its own gate: when the new version's disclose.yaml
/// differs from the old one's, the run is repeated with the old version's settings, and every
/// finding those settings fail on keeps failing, saying which new setting would have hidden it.
fn hold_gate(
    [old, new]: [&(dyn Version + Sync); 2],
    configs: &Configs,
    relaxing: Verdict,
    new_read: &[String],
    opts: &RunOptions,
    today: Date,
) -> Result<(Vec<crate::model::finding::Finding>, Threshold), Error> {
    let (old_own, new_own) = (configs.old_own.as_ref(), configs.new_own.as_ref());
    let (base_taxonomy, base_settings) = configure(old_own)?;
    let base_old = choose(old, old_own, &base_settings)?;
    // The new version's files as either configuration finds them: a file the new one no
    // longer reads is read, and a policy the change moved (and renamed in `policies:`) is
    // still found.
    let mut base_new = choose(new, old_own, &base_settings)?.existing();
    base_new.widen(choose(new, new_own, &base_settings)?);
    let base_plan = Plan {
        taxonomy: &base_taxonomy,
        settings: &base_settings,
        governing: old_own,
        old_files: old_own,
        new_files: new_own,
        all_debt: opts.all_debt,
    };
    let base = evaluate(old, new, &base_plan, (base_old, base_new), opts.limits.jobs, today).map_err(|e| {
        e.with_more_help(
            "the file is read because the old version's disclose.yaml reads it: a change that stops reading a file counts once it is on the base version",
        )
    })?;
    let held = Held {
        findings: base.findings,
        fail_on: opts.fail_on.unwrap_or(base_settings.fail_on),
        settings: &base_settings,
        config: old_own.map(ConfigText::from),
    };
    let relaxing = Held {
        findings: relaxing.findings,
        fail_on: relaxing.fail_on,
        settings: relaxing.settings,
        config: new_own.map(ConfigText::from),
    };
    Ok(hold(held, relaxing, new_read))
}

/// What one evaluation of a pair of versions reads with: a taxonomy, settings, and the
/// configurations that govern it and list each version's files.
struct Plan<'a> {
    taxonomy: &'a Arc<Taxonomy>,
    settings: &'a Settings,
    governing: Option<&'a ConfigFile>,
    old_files: Option<&'a ConfigFile>,
    new_files: Option<&'a ConfigFile>,
    /// Treat every app as changed, so that its debt is reported (`--write-baseline`).
    all_debt: bool,
}

/// One evaluation: findings (acknowledged and ordered) and both versions as read.
struct Evaluation {
    findings: Vec<crate::model::finding::Finding>,
    old: Inventory,
    new: Inventory,
    old_side: Side,
    new_side: Side,
    /// The new version's files that were read.
    new_selected: Vec<String>,
}

/// Reads, parses and classifies both versions' selected files, then per app: builds the two
/// inventories, compares them and runs the rules; then acknowledges and orders the findings.
fn evaluate(
    old: &(dyn Version + Sync),
    new: &(dyn Version + Sync),
    plan: &Plan,
    (old_selection, new_selection): (Selection, Selection),
    jobs: std::num::NonZeroUsize,
    today: Date,
) -> Result<Evaluation, Error> {
    let Plan { taxonomy, settings, governing, old_files, new_files, all_debt } = *plan;
    let t = &**taxonomy;
    // Read the two versions side by side (each git version is one `cat-file` process), then
    // parse every file of both on `jobs` threads, in input order.
    let (old_raw, new_raw) = std::thread::scope(|scope| {
        let old_job = scope.spawn(|| read_side(old, &old_selection, settings));
        let new_raw = read_side(new, &new_selection, settings);
        (old_job.join().expect("reading a version does not panic"), new_raw)
    });
    let (old_side, new_side) = parse_sides((old, old_raw?, old_files), (new, new_raw?, new_files), t, jobs)?;
    let paths_of = |side: &Side| apps::Paths {
        manifests: side.manifests.iter().map(|m| m.path.clone()).collect(),
        policies: side.policies.iter().map(|p| p.source.path.clone()).collect(),
        collects: side.collects.clone(),
    };
    let groups = apps::plan(&settings.apps, paths_of(&old_side), paths_of(&new_side));
    let unread =
        apps::assign_unread(&groups, &old_selection.unread(&new_selection), &new_selection.unread(&old_selection));
    let mut findings = Vec::new();
    let (mut old_parts, mut new_parts) = (Vec::new(), Vec::new());
    for (g, (old_unread, new_unread)) in groups.iter().zip(unread) {
        let mut old_inv = old_side.classify(&g.old, t, settings);
        let mut new_inv = new_side.classify(&g.new, t, settings);
        old_inv.add_unread(&old_unread);
        new_inv.add_unread(&new_unread);
        require_policy(g, (&old_inv, &new_inv), new, &new_selection, governing)?;
        let mut cx = compare(t, &old_inv, &new_inv, changes(&old_side, &new_side, g, all_debt));
        cx.notice = settings.notice.clone();
        findings.extend(rules::run(&cx, &settings.levels));
        old_parts.push(old_inv);
        new_parts.push(new_inv);
    }
    rules::acknowledge(&mut findings, &settings.acknowledge, today);
    rules::order(&mut findings);
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.primary == b.primary);
    let new_selected = new_side.digests.iter().map(|(p, _)| p.clone()).collect();
    Ok(Evaluation {
        findings,
        old: Inventory::merge(old_parts),
        new: Inventory::merge(new_parts),
        old_side,
        new_side,
        new_selected,
    })
}

/// An app with something to check needs a policy in one of the versions. A version without
/// one is an error only when the old one had none either: deleting the policy is a change
/// the rules report (every disclosure is removed).
fn require_policy(
    app: &apps::Group,
    (old, new): (&Inventory, &Inventory),
    new_version: &dyn Version,
    new_selection: &Selection,
    governing: Option<&ConfigFile>,
) -> Result<(), Error> {
    let has_input = !new.requests.is_empty() || !old.requests.is_empty() || app.name.is_none();
    if !(new.policies.is_empty() && old.policies.is_empty() && has_input) {
        return Ok(());
    }
    Err(match &app.name {
        None => Error::no_policy(new_version.label(), &new_selection.files),
        Some(name) => Error::Config {
            path: governing.map_or("disclose.yaml".to_string(), |c| c.label.clone()),
            line: governing.and_then(|c| crate::run::config::line_of(&c.text, name)),
            column: None,
            message: format!("no privacy policy covers app `{name}` in `{}`", new_version.label()),
            help: Some(format!("list its policy under `policies:` of app `{name}`")),
        },
    })
}

/// Today's date, from the system clock: the one reading of the clock, here at the edge, for
/// acknowledgements that expire.
pub fn today_from_clock() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days((secs / 86_400) as i64)
}
