//! The one place that connects the stages: load both versions, parse, classify, compare, run
//! the rules. File access happens here and in `version/`; everything it calls is pure.

use std::path::{Path, PathBuf};

use crate::compare::{compare, Changes};
use std::sync::Arc;

use crate::apps;
use crate::config::{self, Config, Date, Settings};
use crate::error::Error;
use crate::finding::{fnv, Threshold, FNV_OFFSET};
use crate::inventory::{classify, Inventory};
use crate::limits::{read_at_most, read_path, Limits};
use crate::manifest;
use crate::policy;
use crate::report::{Command, Report};
use crate::rules;
use crate::source::Source;
use crate::taxonomy::Taxonomy;
use crate::version::git::Repo;
use crate::version::names::discovered;
use crate::version::resolve::{resolve, CiEnv, Mode};
use crate::version::{select, Folder, Selection, Version};

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

/// One version, read and parsed.
struct Side {
    /// Shared with the other version when the file is unchanged.
    manifests: Vec<Arc<manifest::Manifest>>,
    policies: Vec<Arc<policy::Policy>>,
    /// (path, content hash) of every input, sorted: equal digests mean an unchanged version.
    digests: Vec<(String, u64)>,
    /// The configured change log's entries.
    notice_log: Option<crate::inventory::NoticeLog>,
    /// `collects:` of this version's disclose.yaml.
    collects: Vec<apps::Declared>,
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

/// One side of `disclose diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyInput {
    /// A file.
    File(PathBuf),
    /// `REV:path`, read through git.
    Git(String),
    /// `-`: standard input.
    Stdin,
}

impl PolicyInput {
    /// Reads a command-line argument: `-`, an existing file, else `REV:path` when it has a
    /// colon, else a file (whose absence is then reported as such).
    pub fn from_arg(arg: &str, cwd: &Path) -> PolicyInput {
        if arg == "-" {
            PolicyInput::Stdin
        } else if cwd.join(arg).exists() || !arg.contains(':') {
            PolicyInput::File(PathBuf::from(arg))
        } else {
            PolicyInput::Git(arg.to_string())
        }
    }
}

/// What `disclose diff` was asked to compare.
#[derive(Debug, Clone)]
pub struct DiffRequest {
    /// The folder disclose runs in: files and `REV:./path` are relative to it.
    pub cwd: PathBuf,
    /// The old policy.
    pub old: PolicyInput,
    /// The new policy.
    pub new: PolicyInput,
    /// `--fail-on`.
    pub fail_on: Option<Threshold>,
    /// File-size limit and threads.
    pub limits: Limits,
}

/// Runs `disclose diff`: reads both policies, aligns them and reads what changed for users.
pub fn diff(req: &DiffRequest) -> Result<Report, Error> {
    if req.old == PolicyInput::Stdin && req.new == PolicyInput::Stdin {
        return Err(Error::Usage {
            message: "only one side of `disclose diff` can be `-` (standard input)".into(),
            help: Some("give the other policy as a file or as REV:path".into()),
        });
    }
    let t = Taxonomy::builtin();
    let max = req.limits.max_file_size;
    let read = |input: &PolicyInput| {
        read_policy(
            &req.cwd,
            input,
            max,
            Purpose {
                what: "`disclose diff` compares two versions of a policy",
                folder_help:
                    "`disclose diff` compares two policy files; `disclose check --old DIR --new DIR` compares folders",
            },
        )
    };
    // Read both (stdin and git stay on this thread), then parse the two versions on two
    // threads, as `check` does, judging the sentences they share once.
    let raw = [(&req.old, read(&req.old)?), (&req.new, read(&req.new)?)];
    let jobs = std::num::NonZeroUsize::new(2).expect("two is not zero");
    let mut parsed = parse_policies(&raw, t, jobs)?.into_iter();
    let (old, new) = (parsed.next().expect("the old version"), parsed.next().expect("the new version"));
    let classify_one = |p: &policy::Policy| classify(&[], &[p], t, &Default::default());
    let (old_inv, new_inv) = (classify_one(&old), classify_one(&new));
    let differ = old.source.text != new.source.text;
    let findings = {
        let cx = compare(t, &old_inv, &new_inv, Changes { any: differ, policy: differ });
        rules::run(&cx, &Default::default())
    };
    let redline = crate::diff::diff(&old, &new, crate::diff::meaning(t, &old_inv, &new_inv));
    Ok(Report {
        findings,
        fail_on: req.fail_on.unwrap_or(Threshold::At(crate::finding::Level::Error)),
        old_label: old.source.path.clone(),
        new_label: new.source.path.clone(),
        old: old_inv,
        new: new_inv,
        taxonomy: Arc::clone(Taxonomy::shared_builtin()),
        note: None,
        notices: Vec::new(),
        unchecked: None,
        command: Command::Diff,
        redlines: vec![redline],
        baseline: None,
    })
}

/// What a command that reads policies says about an input that is not one.
#[derive(Clone, Copy)]
struct Purpose {
    /// What the command reads: "`disclose diff` compares two versions of a policy".
    what: &'static str,
    /// What to do instead when the argument is a folder.
    folder_help: &'static str,
}

/// Reads one policy named on the command line: a file (which may be a pipe, as
/// `<(git show …)` is: read up to the limit rather than refused), `REV:path` through git, or
/// standard input. Returns the label to show for it and its bytes. An input that is not a
/// policy ([`not_a_policy`]) is refused, saying what it is.
fn read_policy(cwd: &Path, input: &PolicyInput, max: u64, purpose: Purpose) -> Result<(String, Vec<u8>), Error> {
    let (label, bytes) = match input {
        PolicyInput::File(p) => {
            let label = p.display().to_string();
            if cwd.join(p).is_dir() {
                return Err(Error::Usage {
                    message: format!("`{label}` is a folder, not a policy file"),
                    help: Some(purpose.folder_help.into()),
                });
            }
            let bytes = read_path(&cwd.join(p), &label, max)?;
            (label, bytes)
        }
        PolicyInput::Git(spec) => (spec.clone(), crate::version::git::blob(cwd, spec, max)?),
        PolicyInput::Stdin => ("<stdin>".to_string(), read_at_most(std::io::stdin().lock(), "<stdin>", max, 0)?),
    };
    let name = match input {
        PolicyInput::File(_) => Some(label.as_str()),
        PolicyInput::Git(spec) => Some(spec.split_once(':').map_or(spec.as_str(), |(_, path)| path)),
        PolicyInput::Stdin => None,
    };
    if let Some((what, manifest)) = not_a_policy(name, &bytes) {
        let help = if manifest {
            "use `disclose check` for manifests"
        } else {
            "name the policy itself (Markdown, HTML or plain text); `disclose check` compares manifests"
        };
        return Err(Error::Usage {
            message: format!("`{label}` is {what}, not a policy: {}", purpose.what),
            help: Some(help.into()),
        });
    }
    Ok((label, bytes))
}

/// What an input of `disclose diff` or `disclose scan` is when it is not a policy, and whether
/// that is a manifest: a manifest by its name (`manifest::Kind::of`); else, unless the name
/// has a policy's extension (`.md`, `.html`, `.txt`…, whose content is read as such), binary
/// content, JSON, a property list, or XML that is not HTML. Text under any other name, and on
/// standard input, is a policy.
fn not_a_policy(name: Option<&str>, bytes: &[u8]) -> Option<(String, bool)> {
    if let Some(kind) = name.and_then(manifest::Kind::of) {
        let article = if kind.name().starts_with(['A', 'E', 'I', 'a', 'e', 'i']) { "an" } else { "a" };
        return Some((format!("{article} {}", kind.name()), true));
    }
    if name.is_some_and(policy::has_policy_extension) {
        return None;
    }
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"bplist", "a binary property list"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some((format!("binary ({what})"), false));
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Some(("binary (a WebP image)".into(), false));
    }
    if Source::is_binary(bytes) {
        return Some(("binary".into(), false));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    let head = body.trim_ascii_start();
    if head.starts_with(b"{") || head.starts_with(b"[") {
        return serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok().then(|| ("JSON".into(), false));
    }
    xml_root(head).map(|root| {
        if root == "plist" {
            ("a property list".into(), false)
        } else {
            (format!("an XML document (`<{root}>`)"), false)
        }
    })
}

/// The root element of text that opens as an XML document that is not HTML: one with an XML
/// declaration whose root is not `<html>`, or whose root is `<plist>`, `<manifest>` or `<svg>`
/// (an HTML fragment opens with any other tag, and is a policy).
fn xml_root(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let mut rest = text.trim_start();
    let mut declared = false;
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            declared |= after.starts_with("xml");
            rest = after.split_once("?>")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!") {
            if after.get(..12).is_some_and(|d| d.eq_ignore_ascii_case("doctype html")) {
                return None;
            }
            rest = after.split_once('>')?.1.trim_start();
        } else {
            break;
        }
    }
    let tag = rest.strip_prefix('<')?;
    let name: String = tag.chars().take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.')).collect();
    let local = name.rsplit(':').next().unwrap_or(&name).to_ascii_lowercase();
    let xml_only = matches!(local.as_str(), "plist" | "manifest" | "svg");
    (!name.is_empty() && (xml_only || (declared && local != "html"))).then_some(local)
}

/// Decodes a policy read by [`read_policy`] and reads its structure: in the format its name
/// implies, or, from standard input, the format its text opens with.
fn read_structure(input: &PolicyInput, (label, bytes): &(String, Vec<u8>)) -> Result<policy::Structured, Error> {
    let source = Source::decode(label, bytes)?;
    let format = match input {
        PolicyInput::Stdin => policy::Format::sniff(&source.text),
        _ => policy::Format::of(label),
    };
    policy::read_as(source, format)
}

/// Reads policies on `jobs` threads, judges every distinct sentence among them once, then
/// finds each one's statements (in input order; the first error wins).
fn parse_policies(
    raw: &[(&PolicyInput, (String, Vec<u8>))],
    t: &Taxonomy,
    jobs: std::num::NonZeroUsize,
) -> Result<Vec<policy::Policy>, Error> {
    let read = crate::parallel::map(raw, jobs, |(input, bytes)| read_structure(input, bytes));
    let read = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    policy::prime(&read.iter().collect::<Vec<_>>(), t, jobs);
    judge_all(read, t, jobs).into_iter().collect()
}

/// Finds the statements of read policies on `jobs` threads, in input order.
fn judge_all(
    read: Vec<policy::Structured>,
    t: &Taxonomy,
    jobs: std::num::NonZeroUsize,
) -> Vec<Result<policy::Policy, Error>> {
    // Each policy is taken by exactly one thread: the slot holds it until then.
    let slots: Vec<std::sync::Mutex<Option<policy::Structured>>> =
        read.into_iter().map(|p| std::sync::Mutex::new(Some(p))).collect();
    crate::parallel::map(&slots, jobs, |slot| {
        let p = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        p.expect("each slot is taken once").judge(t)
    })
}

/// What `disclose scan` was asked to read.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// The folder disclose runs in: files and `REV:./path` are relative to it, and its
    /// repository's disclose.yaml extends the taxonomy (as for `disclose categories`).
    pub cwd: PathBuf,
    /// The policies, in the order given.
    pub policies: Vec<PolicyInput>,
    /// `--config`: a disclose.yaml whose `categories:` extend the taxonomy.
    pub config: Option<PathBuf>,
    /// File-size limit and threads.
    pub limits: Limits,
}

/// The policies `disclose scan` read, parsed with the taxonomy they were read with.
#[derive(Debug)]
pub struct Scanned {
    /// The taxonomy: built-in, extended by the configuration's `categories:`.
    pub taxonomy: Arc<Taxonomy>,
    /// The policies, in the order given.
    pub policies: Vec<policy::Policy>,
}

/// Runs the I/O of `disclose scan`: the taxonomy (with the repository's or `--config`'s
/// categories), then every policy read and parsed (on `jobs` threads, errors in input order).
/// [`crate::scan::scan`] reads each one.
pub fn scan(req: &ScanRequest) -> Result<Scanned, Error> {
    if req.policies.iter().filter(|p| **p == PolicyInput::Stdin).count() > 1 {
        return Err(Error::Usage {
            message: "standard input (`-`) can be scanned only once".into(),
            help: Some("name the other policies as files".into()),
        });
    }
    let taxonomy = taxonomy(&req.cwd, req.config.as_deref())?;
    let t = &*taxonomy;
    let max = req.limits.max_file_size;
    let purpose = Purpose {
        what: "`disclose scan` reads policies",
        folder_help: "`disclose scan` reads policy files; `disclose check --old DIR --new DIR` reads a whole folder",
    };
    // Read in order on this thread (standard input and git stay here), then parse in parallel.
    let raw = req.policies.iter().map(|p| read_policy(&req.cwd, p, max, purpose).map(|r| (p, r)));
    let raw = raw.collect::<Result<Vec<_>, _>>()?;
    let policies = parse_policies(&raw, t, req.limits.jobs)?;
    Ok(Scanned { taxonomy, policies })
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
    std::thread::spawn(|| Taxonomy::builtin().matcher());
    let repo = Repo { max_file_size: req.limits.max_file_size, ..Repo::discover(&req.cwd)? };
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

/// Where `--baseline` is read from.
enum BaselineInput {
    /// A file on disk, outside the versions (two folders): it applies whole.
    Disk(PathBuf),
    /// A repository path, read from both versions.
    InVersions(String),
}

fn run(old: &(dyn Version + Sync), new: &(dyn Version + Sync), opts: RunOptions) -> Result<Report, Error> {
    let RunOptions {
        config_path,
        fail_on: fail_on_flag,
        reason,
        paths,
        unchanged_is_clean,
        redline,
        today,
        limits,
        baseline,
        all_debt,
    } = opts;
    let explicit = config_path.map(read_config).transpose()?;
    let old_own = old.config()?.map(ConfigFile::parse).transpose()?;
    let new_own = new.config()?.map(ConfigFile::parse).transpose()?;
    let governing = explicit.as_ref().or(new_own.as_ref());
    let (taxonomy, settings) = configure(governing)?;
    let (old_files, new_files) = (old_own.as_ref().or(explicit.as_ref()), new_own.as_ref().or(explicit.as_ref()));
    let old_selection = choose(old, old_files, &settings)?;
    let new_selection = choose(new, new_files, &settings)?;
    let fail_on = fail_on_flag.unwrap_or(settings.fail_on);
    // Recording a baseline reads everything, changed or not: the debt is what it records.
    let unchecked = if unchanged_is_clean && !all_debt {
        let sides = [(old, &old_selection, old_own.as_ref()), (new, &new_selection, new_own.as_ref())];
        same_inputs(sides, settings.notice.changelog.as_deref())
            .then_some("no manifest, policy or disclose.yaml changed")
    } else if let Some(paths) = &paths {
        // Paths only say whether this run concerns disclose: a batch of files from lint-staged
        // that holds no manifest, policy or config has nothing to check. When one is there,
        // the whole change is checked, so every batch gets the same verdict.
        let unread = |p: &String| {
            [&old_selection, &new_selection].iter().any(|s| s.candidates.iter().any(|c| &c.unread.path == p))
        };
        let relevant = |p: &String| {
            old_selection.contains(p) || new_selection.contains(p) || unread(p) || crate::config::is_config_path(p)
        };
        (!paths.iter().any(relevant)).then_some("none of the given paths is a manifest, policy or disclose.yaml")
    } else {
        None
    };
    if let Some(why) = unchecked {
        // The inventories name the files (for the summary's counts, and so that no output
        // file may overwrite one) and hold nothing else: nothing was read.
        let names = |s: &Selection| Inventory {
            manifests: s.manifests.clone(),
            policies: s.policies.clone(),
            ..Inventory::default()
        };
        return Ok(Report {
            findings: Vec::new(),
            old: names(&old_selection),
            new: names(&new_selection),
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
        });
    }
    let today = today.unwrap_or_else(today_from_clock);
    let plan = Plan { taxonomy: &taxonomy, settings: &settings, governing, old_files, new_files, all_debt };
    let run = evaluate(old, new, &plan, (old_selection, new_selection), limits.jobs, today)?;
    let (mut findings, mut fail_on) = (run.findings, fail_on);
    // The change under review must not relax its own gate: when the new version's
    // disclose.yaml differs from the old one's (and `--config` does not govern both), the run
    // is repeated with the old version's settings, and every finding those settings fail on
    // keeps failing here, saying which new setting would have hidden it.
    if explicit.is_none() && old_own.as_ref().map(|c| &c.text) != new_own.as_ref().map(|c| &c.text) {
        let (base_taxonomy, base_settings) = configure(old_own.as_ref())?;
        let base_old = choose(old, old_own.as_ref(), &base_settings)?;
        // The new version's files as either configuration finds them: a file the new one no
        // longer reads is read, and a policy the change moved (and renamed in `policies:`)
        // is still found.
        let mut base_new = choose(new, old_own.as_ref(), &base_settings)?.existing();
        base_new.widen(choose(new, new_own.as_ref(), &base_settings)?);
        let base_plan = Plan {
            taxonomy: &base_taxonomy,
            settings: &base_settings,
            governing: old_own.as_ref(),
            old_files: old_own.as_ref(),
            new_files: new_own.as_ref(),
            all_debt,
        };
        let base = evaluate(old, new, &base_plan, (base_old, base_new), limits.jobs, today).map_err(|e| {
            e.with_more_help(
                "the file is read because the old version's disclose.yaml reads it: a change that stops reading a file counts once it is on the base version",
            )
        })?;
        let base_fail_on = fail_on_flag.unwrap_or(base_settings.fail_on);
        let held = crate::gate::Held {
            findings: base.findings,
            fail_on: base_fail_on,
            settings: &base_settings,
            config: old_own.as_ref().map(ConfigFile::as_parts),
        };
        let relaxing = crate::gate::Held {
            findings,
            fail_on,
            settings: &settings,
            config: new_own.as_ref().map(ConfigFile::as_parts),
        };
        (findings, fail_on) = crate::gate::hold(held, relaxing, &run.new_selected);
    }
    let baseline = match baseline {
        None => None,
        Some(input) => Some(apply_baseline(&mut findings, input, old, new, limits.max_file_size)?),
    };
    let redlines = if redline {
        crate::diff::redlines(&run.old_side.policies, &run.new_side.policies, &taxonomy)
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
        note: reason,
        notices: Vec::new(),
        unchecked: None,
        command: Command::Check,
        redlines,
        baseline,
    })
}

/// Leaves out the findings a baseline holds: a file on disk applies whole; a repository path
/// is read from both versions, and what only the new version's file adds counts once it is on
/// the base version.
fn apply_baseline(
    findings: &mut Vec<crate::finding::Finding>,
    input: BaselineInput,
    old: &dyn Version,
    new: &dyn Version,
    max: u64,
) -> Result<crate::baseline::Applied, Error> {
    let parse = |label: &str, bytes: &[u8]| -> Result<Vec<crate::baseline::Entry>, Error> {
        crate::baseline::parse(label, &Source::decode(label, bytes)?.text)
    };
    match input {
        BaselineInput::Disk(path) => {
            let label = path.display().to_string();
            let entries = parse(&label, &read_path(&path, &label, max)?)?;
            Ok(crate::baseline::apply(findings, &label, &entries, &[]))
        }
        BaselineInput::InVersions(path) => {
            let (was, is) = (old.read(&path).ok(), new.read(&path).ok());
            if was.is_none() && is.is_none() {
                return Err(Error::Usage {
                    message: format!("no baseline `{path}` in either version"),
                    help: Some("write one with `disclose check --write-baseline FILE` and commit it".into()),
                });
            }
            let entries = was.map(|b| parse(&old.show(&path), &b)).transpose()?.unwrap_or_default();
            let now = is.map(|b| parse(&new.show(&path), &b)).transpose()?.unwrap_or_default();
            let known: std::collections::HashSet<&str> = entries.iter().map(|e| e.fingerprint.as_str()).collect();
            let pending: Vec<_> = now.into_iter().filter(|e| !known.contains(e.fingerprint.as_str())).collect();
            Ok(crate::baseline::apply(findings, &path, &entries, &pending))
        }
    }
}

/// Whether two versions read the same inputs, by content: the same manifests (in the same
/// formats) and policies, each with the same blob id; the same disclose.yaml; the same change
/// log (`notice.changelog`); the same entries there and not read. Any version compared with
/// one that reads the same inputs yields no finding, so there is nothing to judge. `false`
/// when a version cannot tell a file's content without reading it (a folder), or a selected
/// file is missing (the full run then says so).
fn same_inputs(sides: [(&(dyn Version + Sync), &Selection, Option<&ConfigFile>); 2], changelog: Option<&str>) -> bool {
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
    findings: Vec<crate::finding::Finding>,
    old: Inventory,
    new: Inventory,
    old_side: Side,
    new_side: Side,
    /// The new version's files that were read.
    new_selected: Vec<String>,
}

/// Reads, parses and classifies both versions' selected files, compares each app and runs
/// the rules with the plan's settings.
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
    // Entries there and not read: each goes to the apps that read a file at or under its path
    // in the other version (so the rules see what was lost), else to the last group.
    let (old_unread, new_unread) = (old_selection.unread(&new_selection), new_selection.unread(&old_selection));
    let owners = |u: &crate::version::Unread, files: &dyn Fn(&apps::Group) -> &apps::Files| -> Vec<usize> {
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
    let owned = |unread: &[crate::version::Unread], i: usize, files: &dyn Fn(&apps::Group) -> &apps::Files| {
        unread.iter().filter(|u| owners(u, files).contains(&i)).cloned().collect::<Vec<_>>()
    };
    let mut findings = Vec::new();
    let (mut old_parts, mut new_parts) = (Vec::new(), Vec::new());
    for (i, g) in groups.iter().enumerate() {
        let mut old_inv = old_side.classify(&g.old, t, settings);
        let mut new_inv = new_side.classify(&g.new, t, settings);
        old_inv.add_unread(&owned(&old_unread, i, &|g| &g.new));
        new_inv.add_unread(&owned(&new_unread, i, &|g| &g.old));
        // A version without a policy is an error only when the old one had none either:
        // deleting the policy is a change the rules report (every disclosure is removed).
        let has_input = !new_inv.requests.is_empty() || !old_inv.requests.is_empty() || g.name.is_none();
        if new_inv.policies.is_empty() && old_inv.policies.is_empty() && has_input {
            return Err(match &g.name {
                None => Error::no_policy(new.label(), &new_selection.files),
                Some(name) => Error::Config {
                    path: governing.map_or("disclose.yaml".to_string(), |c| c.label.clone()),
                    line: governing.and_then(|c| config::line_of(&c.text, name)),
                    column: None,
                    message: format!("no privacy policy covers app `{name}` in `{}`", new.label()),
                    help: Some(format!("list its policy under `policies:` of app `{name}`")),
                },
            });
        }
        let digest = |side: &Side, files: &apps::Files| -> Vec<(String, u64)> {
            side.digests.iter().filter(|(p, _)| files.contains(p)).cloned().collect()
        };
        let policy_digest = |side: &Side, files: &apps::Files| -> Vec<(String, u64)> {
            side.digests.iter().filter(|(p, _)| files.policies.contains(p)).cloned().collect()
        };
        let declared = |files: &apps::Files| files.collects.iter().map(|d| d.category).collect::<Vec<_>>();
        let changes = Changes {
            any: all_debt
                || digest(&old_side, &g.old) != digest(&new_side, &g.new)
                || declared(&g.old) != declared(&g.new),
            policy: policy_digest(&old_side, &g.old) != policy_digest(&new_side, &g.new),
        };
        let mut cx = compare(t, &old_inv, &new_inv, changes);
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

/// The taxonomy (extended by `categories:`) and the settings a configuration gives a run.
fn configure(governing: Option<&ConfigFile>) -> Result<(Arc<Taxonomy>, Settings), Error> {
    // Categories from disclose.yaml extend the taxonomy for the whole run.
    let taxonomy: Arc<Taxonomy> = match governing.filter(|c| !c.config.categories.is_empty()) {
        None => Arc::clone(Taxonomy::shared_builtin()),
        Some(c) => {
            Arc::new(Taxonomy::builtin().extended(&c.config.categories).map_err(|(_, id, message)| Error::Config {
                path: c.label.clone(),
                line: config::line_of(&c.text, &id),
                column: None,
                message,
                help: Some("see `categories:` in the README's Configuration section".into()),
            })?)
        }
    };
    let settings = match governing {
        Some(c) => config::settings(&c.label, &c.text, &c.config, &taxonomy)?,
        None => Settings::default(),
    };
    Ok((taxonomy, settings))
}

/// The folder that holds the repository's disclose.yaml: the git root, else `cwd`.
fn project_root(cwd: &Path) -> PathBuf {
    Repo::discover(cwd).map_or_else(|_| cwd.to_path_buf(), |r| r.root)
}

/// The repository's configuration: `--config`, else its own disclose.yaml.
fn project_config(root: &Folder, explicit: Option<&Path>) -> Result<Option<ConfigFile>, Error> {
    match explicit {
        Some(p) => read_config(p).map(Some),
        None => root.config()?.map(ConfigFile::parse).transpose(),
    }
}

/// Reads and parses the file given with `--config`.
fn read_config(path: &Path) -> Result<ConfigFile, Error> {
    let label = path.display().to_string();
    let bytes = read_path(path, &label, crate::limits::DEFAULT_MAX_FILE_SIZE)?;
    let text = Source::decode(&label, &bytes)?.text;
    ConfigFile::parse((label, text))
}

/// `disclose categories`: the taxonomy, with the repository's `categories:` added.
pub fn taxonomy(cwd: &Path, config: Option<&Path>) -> Result<Arc<Taxonomy>, Error> {
    let root = Folder::open(&project_root(cwd))?;
    Ok(configure(project_config(&root, config)?.as_ref())?.0)
}

/// `disclose config`: the effective configuration of the repository, row by row, and the
/// file it comes from.
pub fn effective(
    cwd: &Path,
    config: Option<&Path>,
    today: Option<Date>,
) -> Result<(Option<String>, Vec<crate::effective::Row>), Error> {
    let root = Folder::open(&project_root(cwd))?;
    let file = project_config(&root, config)?;
    let (_, settings) = configure(file.as_ref())?;
    let selection = choose(&root, file.as_ref(), &settings)?;
    let rows = crate::effective::rows(
        file.as_ref().map(|c| (c.label.as_str(), c.text.as_str(), &c.config)),
        &settings,
        &selection,
        today.unwrap_or_else(today_from_clock),
    );
    Ok((file.map(|c| c.label), rows))
}

/// `disclose init`: a commented disclose.yaml for the repository. Returns its text, and the
/// path it was written to (`None` with `to_stdout`). An existing file is never replaced
/// without `force`.
pub fn init(cwd: &Path, force: bool, to_stdout: bool) -> Result<(String, Option<PathBuf>), Error> {
    let root_path = project_root(cwd);
    let root = Folder::open(&root_path)?;
    let selection = select(&root, &Config::default(), None, &globset::GlobSet::empty())?;
    let text = crate::init::template(&selection.manifests, &selection.policies);
    if to_stdout {
        return Ok((text, None));
    }
    if let Some((existing, _)) = root.config()? {
        if !force {
            return Err(Error::Usage {
                message: format!("`{existing}` already exists"),
                help: Some(
                    "`disclose config` shows what it sets; `--force` replaces it, `--stdout` prints the template"
                        .into(),
                ),
            });
        }
    }
    let path = root_path.join(config::FILE_NAMES[0]);
    crate::output::write_atomic(&path, &text)?;
    Ok((text, Some(path)))
}

/// A `disclose.yaml`: where it is, its text and what it says.
struct ConfigFile {
    label: String,
    text: String,
    config: Config,
}

impl ConfigFile {
    /// Parses a (label, text) pair as a version's `config()` returns it.
    fn parse((label, text): (String, String)) -> Result<ConfigFile, Error> {
        Ok(ConfigFile { config: config::parse(&label, &text)?, label, text })
    }

    /// Its label, text and parsed form.
    fn as_parts(&self) -> crate::gate::ConfigText<'_> {
        crate::gate::ConfigText { label: &self.label, text: &self.text, config: &self.config }
    }
}

/// The files of one version to read: from its own config (or `--config`), else discovered.
fn choose(version: &dyn Version, own: Option<&ConfigFile>, settings: &Settings) -> Result<Selection, Error> {
    let mut selection = match own {
        Some(c) => select(version, &c.config, Some(&c.label), &settings.exclude)?,
        None => select(version, &Config::default(), None, &settings.exclude)?,
    };
    // The policies of `apps:` are read even when their names are not a policy's.
    for app in &settings.apps {
        let found = crate::version::matching(&selection.files, &app.policies, &settings.exclude).map_err(|m| {
            Error::Config { path: "disclose.yaml".into(), line: None, column: None, message: m, help: None }
        })?;
        selection.policies.extend(found.into_iter().filter(|p| selection.files.contains(p)));
    }
    selection.policies.sort();
    selection.policies.dedup();
    Ok(selection)
}

/// One input file of a version, read and not yet parsed.
struct RawFile {
    path: String,
    /// The manifest format; `None` for a policy.
    kind: Option<manifest::Kind>,
    bytes: Vec<u8>,
    digest: u64,
}

/// A version's inputs, read.
struct RawSide {
    files: Vec<RawFile>,
    notice_log: Option<crate::inventory::NoticeLog>,
}

fn read_side(version: &dyn Version, selection: &Selection, settings: &Settings) -> Result<RawSide, Error> {
    let kinds =
        selection.manifests.iter().map(|(p, k)| (p, Some(*k))).chain(selection.policies.iter().map(|p| (p, None)));
    let wanted: Vec<String> = kinds.clone().map(|(p, _)| p.clone()).collect();
    let files = kinds
        .zip(version.read_all(&wanted)?)
        .map(|((path, kind), bytes)| RawFile { path: path.clone(), kind, digest: fnv(FNV_OFFSET, &bytes), bytes })
        .collect();
    // The configured change log, when this version has it (a version without it simply has no
    // entries; a change log that is not UTF-8 text is an error like any input).
    let mut notice_log = None;
    if let Some(path) = &settings.notice.changelog {
        if let Ok(bytes) = version.read(path) {
            let text = Source::decode(path, &bytes).map_err(|e| e.shown_as(|p| version.show(p)))?.text;
            notice_log = Some(crate::inventory::NoticeLog::new(path, &text));
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
fn parse_sides(
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
        let read = match file.kind {
            Some(kind) => manifest::parse(&file.path, kind, &file.bytes).map(|m| Read::Manifest(Arc::new(m))),
            None => Source::decode(&file.path, &file.bytes)
                .and_then(|s| {
                    let format = policy::Format::of(&s.path);
                    policy::read_as(s, format)
                })
                .map(Read::Policy),
        };
        read.map_err(|e| e.shown_as(|p| version.show(p)))
    };
    let read = crate::parallel::map(&work, jobs, read).into_iter().collect::<Result<Vec<_>, _>>()?;
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
    let mut policies = judge_all(policies, t, jobs).into_iter();
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

impl Side {
    /// Classifies the part of this version that one app owns.
    fn classify(&self, files: &apps::Files, t: &Taxonomy, settings: &Settings) -> Inventory {
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

/// Today's date, from the system clock: the one reading of the clock, here at the edge, for
/// acknowledgements that expire.
fn today_from_clock() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days((secs / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use super::not_a_policy;

    fn what(name: Option<&str>, text: &str) -> Option<String> {
        not_a_policy(name, text.as_bytes()).map(|(what, _)| what)
    }

    #[test]
    fn policies_under_any_name_are_read_and_other_documents_are_not() {
        // HTML in every opening a policy has, and Markdown that starts with a bracket or brace.
        for text in [
            "<h1>Privacy</h1>",
            "<!-- exported --><!DOCTYPE html><html><body>We collect</body></html>",
            "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"></html>",
            "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\"><html/>",
            "[Home](/) | Privacy\n\nWe collect your email.",
            "{{< toc >}}\n# Privacy",
            "We collect your email address.",
        ] {
            assert_eq!(what(Some("policy"), text), None, "{text}");
            assert_eq!(what(None, text), None, "{text}");
        }
        assert_eq!(what(None, "[1, 2]").as_deref(), Some("JSON"));
        assert_eq!(what(Some("x.xml"), "<plist version=\"1.0\"><dict/></plist>").as_deref(), Some("a property list"));
        assert_eq!(
            what(None, "<?xml version=\"1.0\"?><!-- c --><feed xmlns=\"x\"/>").as_deref(),
            Some("an XML document (`<feed>`)")
        );
        // A policy's extension is trusted for its text; a manifest's name is never a policy.
        assert_eq!(what(Some("privacy.md"), "{\"a\": 1}"), None);
        assert_eq!(what(Some("ext/manifest.json"), "We collect").as_deref(), Some("an extension manifest"));
        assert_eq!(what(Some("App.entitlements"), "").as_deref(), Some("an entitlements file"));
        assert_eq!(what(Some("PrivacyInfo.xcprivacy"), "").as_deref(), Some("a privacy manifest"));
        assert_eq!(not_a_policy(Some("a.bin"), b"x\0y\0\0\0\0\0\0\0").map(|w| w.0).as_deref(), Some("binary"));
    }
}
