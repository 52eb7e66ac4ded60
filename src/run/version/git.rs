//! Versions read from git: a commit, the index (the staged change) or the working tree.
//!
//! Git is driven as a subprocess with an explicit argv (never a shell), with
//! `GIT_TERMINAL_PROMPT=0` (no credential prompt can hang a hook), `GIT_OPTIONAL_LOCKS=0`
//! (reading never refreshes or locks the index, so `--staged` cannot change it), no pager,
//! and no external diff or textconv. Blobs are read with one `git cat-file --batch` per
//! version. Paths are repository-root relative with `/` separators.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{named_folders, skipped, what, Unread, Version};
use crate::model::error::Error;
use crate::model::names::CONFIG_FILES;

/// A git repository, found from a folder inside it.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top of the working tree.
    pub root: PathBuf,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// The commit HEAD points at; `None` before the first commit.
    pub head: Option<String>,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
}

/// Environment variables that change where git finds the repository or its working tree;
/// with any of them set, [`Repo::locate`] asks git.
pub const LOCATION_VARIABLES: &[&str] =
    &["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"];

impl Repo {
    /// Finds the top of the working tree that contains `dir` without running git: the
    /// nearest folder upwards holding `.git` (a folder, or the file of a linked worktree or
    /// submodule), as git's own discovery does when `ask_git` is false (no variable of
    /// [`LOCATION_VARIABLES`] set). Otherwise, or when no `.git` is found, it is
    /// [`Repo::discover`], whose error says what is wrong. `shallow` and `head` are not
    /// known this way: the commit hook needs neither.
    pub fn locate(dir: &Path, ask_git: bool) -> Result<Repo, Error> {
        if !ask_git {
            let start = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            if let Some(root) = start.ancestors().find(|a| a.join(".git").symlink_metadata().is_ok()) {
                return Ok(Repo {
                    root: root.to_path_buf(),
                    shallow: false,
                    head: None,
                    max_file_size: crate::model::limits::DEFAULT_MAX_FILE_SIZE,
                });
            }
        }
        Repo::discover(dir)
    }

    /// Finds the repository that contains `dir`.
    pub fn discover(dir: &Path) -> Result<Repo, Error> {
        let out = git_in(dir)
            .args(["rev-parse", "--show-toplevel", "--is-shallow-repository", "--verify", "-q", "HEAD^{commit}"])
            .output()
            .map_err(|e| spawn_error(&e))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let (Some(root), Some(shallow)) = (lines.next(), lines.next()) else {
            return Err(Error::Git {
                message: format!("`{}` is not inside a git repository", dir.display()),
                help: Some(
                    "run disclose inside the repository, or compare two folders with --old DIR --new DIR".into(),
                ),
            });
        };
        Ok(Repo {
            root: PathBuf::from(root),
            shallow: shallow == "true",
            head: lines.next().map(str::to_string),
            max_file_size: crate::model::limits::DEFAULT_MAX_FILE_SIZE,
        })
    }

    fn git(&self) -> Command {
        git_in(&self.root)
    }

    /// Runs git and returns its standard output, or an error carrying its standard error.
    fn run(&self, args: &[&str]) -> Result<Vec<u8>, Error> {
        let out = self.git().args(args).output().map_err(|e| spawn_error(&e))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(Error::Git {
                message: format!("`git {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()),
                help: None,
            })
        }
    }

    /// The commit a revision names, if it exists here.
    pub fn commit(&self, rev: &str) -> Option<String> {
        let spec = format!("{rev}^{{commit}}");
        let out = self.run(&["rev-parse", "--verify", "-q", "--end-of-options", &spec]).ok()?;
        Some(String::from_utf8_lossy(&out).trim().to_string()).filter(|s| !s.is_empty())
    }

    /// The best common ancestor of two commits, if they have one here.
    pub fn merge_base(&self, a: &str, b: &str) -> Option<String> {
        let out = self.run(&["merge-base", a, b]).ok()?;
        Some(String::from_utf8_lossy(&out).trim().to_string()).filter(|s| !s.is_empty())
    }

    /// The remote-tracking default branch (`origin/main`), when `origin/HEAD` is set or a
    /// usual name exists.
    pub fn default_branch(&self) -> Option<String> {
        if let Ok(out) = self.run(&["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"]) {
            let name = String::from_utf8_lossy(&out).trim().to_string();
            if !name.is_empty() {
                return Some(name);
            }
        }
        ["origin/main", "origin/master"].into_iter().find(|b| self.commit(b).is_some()).map(str::to_string)
    }

    /// Whether `commit` or one of its ancestors is on no remote-tracking branch (every commit
    /// is, in a repository without remotes).
    pub fn has_unpushed(&self, commit: &str) -> bool {
        self.run(&["rev-list", "-n", "1", commit, "--not", "--remotes"]).is_ok_and(|out| !out.trim_ascii().is_empty())
    }

    /// An error for a revision that cannot be found, with the fix for shallow clones.
    pub fn missing(&self, rev: &str, what: &str) -> Error {
        if self.shallow {
            let branch = rev.strip_prefix("origin/").unwrap_or(rev);
            Error::Git {
                message: format!("the {what} `{rev}` is not available in this shallow clone"),
                help: Some(format!(
                    "fetch the history disclose needs: in GitHub Actions set `fetch-depth: 0` on actions/checkout \
                     (GitLab: `GIT_DEPTH: 0`), or run `git fetch --no-tags origin {branch}` and, if the merge base is \
                     still missing, `git fetch --deepen=100` or `git fetch --unshallow`"
                )),
            }
        } else {
            Error::Git {
                message: format!("the {what} `{rev}` does not exist in this repository"),
                help: Some(
                    "check the name with `git branch -a` or `git log --oneline`; fetch it if it lives on a remote"
                        .into(),
                ),
            }
        }
    }

    /// Every blob of a commit (path -> object id), and the links and submodules it records.
    fn tree(&self, commit: &str) -> Result<(BTreeMap<String, String>, Vec<Unread>), Error> {
        let out = self.run(&["ls-tree", "-r", "-z", "--full-tree", commit])?;
        // <mode> SP <type> SP <oid> TAB <path>. Symbolic links (120000) hold a target path,
        // not content; submodules are commits.
        Ok(entries(records(&out).map(|(meta, path)| {
            let [mode, _, oid] = meta;
            (mode, oid, path)
        })))
    }

    /// Every stage-0 entry of the index (path -> object id), and the links and submodules it
    /// records.
    fn index(&self) -> Result<(BTreeMap<String, String>, Vec<Unread>), Error> {
        let out = self.run(&["ls-files", "-s", "-z"])?;
        // <mode> SP <oid> SP <stage> TAB <path>. Stages 1-3 are an unresolved merge; stage 0
        // is what a commit would record.
        Ok(entries(records(&out).filter(|(meta, _)| meta[2] == "0").map(|(meta, path)| {
            let [mode, oid, _] = meta;
            (mode, oid, path)
        })))
    }

    /// Tracked and untracked-but-not-ignored files of the working tree that exist on disk, and
    /// the entries among them that are not regular files.
    fn worktree(&self) -> Result<(Vec<String>, Vec<Unread>), Error> {
        let out = self.run(&["ls-files", "-z", "--cached", "--others", "--exclude-standard"])?;
        let mut listed: Vec<String> = out
            .split(|&b| b == 0)
            .filter(|r| !r.is_empty())
            .map(|r| String::from_utf8_lossy(r).into_owned())
            .filter(|p| !skipped(p))
            .collect();
        listed.sort();
        listed.dedup();
        let (mut files, mut unread) = (Vec::new(), Vec::new());
        for path in listed {
            // `symlink_metadata` never follows a link and never opens the entry.
            let Ok(meta) = self.root.join(&path).symlink_metadata() else { continue };
            let ty = meta.file_type();
            let (what, folder) = if ty.is_file() {
                files.push(path);
                continue;
            } else if ty.is_symlink() {
                (what::GIT_LINK, true)
            } else if ty.is_dir() {
                (what::SUBMODULE, true)
            } else {
                (what::SPECIAL, false)
            };
            unread.push(Unread { path, what: what.into(), folder });
        }
        unread.extend(named_folders(&files));
        unread.sort();
        Ok((files, unread))
    }

    /// Reads blobs (path, object id) with one `git cat-file --batch`, streaming: a blob over
    /// the size limit is an error before its bytes are read.
    fn blobs(&self, wanted: &[(&str, &str)], show: &dyn Fn(&str) -> String) -> Result<Vec<Vec<u8>>, Error> {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        Batch::start(self)?.blobs(wanted, self.max_file_size, show)
    }
}

/// One `git cat-file --batch` process, asked in rounds: a round writes its object names
/// (from another thread, so that neither side can fill a pipe and wait for the other) and
/// reads one answer per name. The commit hook reads HEAD, its trees and the blobs of both
/// versions through one of these.
struct Batch {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    out: std::io::BufReader<std::process::ChildStdout>,
}

/// One answer of `cat-file --batch`, or `None` when the object is missing.
type Object = Option<Answer>;

/// An object `cat-file --batch` found.
struct Answer {
    /// Its object id (the name asked may have been a revision).
    oid: String,
    /// `blob`, `tree`, `commit` or `tag`.
    kind: String,
    bytes: Vec<u8>,
}

impl Batch {
    fn start(repo: &Repo) -> Result<Batch, Error> {
        let mut child = repo
            .git()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| spawn_error(&e))?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let out = std::io::BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Batch { child, stdin, out })
    }

    /// The bytes of blobs (path, object id); one over `max` bytes is an error, named by
    /// `show(path)`, before its bytes are read.
    fn blobs(
        &mut self,
        wanted: &[(&str, &str)],
        max: u64,
        show: &dyn Fn(&str) -> String,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let admit = |i: usize, size: u64| {
            if size > max {
                return Err(crate::model::limits::too_large(&show(wanted[i].0), Some(size), max));
            }
            Ok(())
        };
        let oids: Vec<&str> = wanted.iter().map(|(_, oid)| *oid).collect();
        self.ask(&oids, &admit)?
            .into_iter()
            .zip(wanted)
            .map(|(answer, (_, oid))| match answer {
                Some(a) if a.kind == "blob" => Ok(a.bytes),
                _ => Err(Error::Git { message: format!("git object `{oid}` is missing"), help: None }),
            })
            .collect()
    }

    /// Asks for `names` (object ids or revisions such as `HEAD`); `admit(i, size)` may refuse
    /// an object before its bytes are read (a blob over the size limit).
    fn ask(&mut self, names: &[&str], admit: &dyn Fn(usize, u64) -> Result<(), Error>) -> Result<Vec<Object>, Error> {
        let input: String = names.iter().map(|n| format!("{n}\n")).collect();
        let Batch { child, stdin, out } = self;
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || stdin.write_all(input.as_bytes()).and_then(|()| stdin.flush()));
            let answers: Result<Vec<Object>, Error> =
                names.iter().enumerate().map(|(i, name)| read_object(out, name, i, admit)).collect();
            // On an error the answers left are not read: stop git, so the writer cannot wait
            // on a full pipe.
            if answers.is_err() {
                let _ = child.kill();
            }
            let written = writer.join().expect("writing to git does not panic");
            match (answers, written) {
                (Ok(answers), Ok(())) => Ok(answers),
                (Err(e), _) => Err(e),
                (Ok(_), Err(e)) => {
                    Err(Error::Git { message: format!("`git cat-file --batch` stopped: {e}"), help: None })
                }
            }
        })
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing stdin ends git; an answer nobody reads is not waited for.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one `<oid> <type> <size>\n<bytes>\n` (or `<name> missing\n`) answer.
fn read_object(
    out: &mut impl BufRead,
    name: &str,
    i: usize,
    admit: &dyn Fn(usize, u64) -> Result<(), Error>,
) -> Result<Object, Error> {
    let mut header = String::new();
    out.read_line(&mut header).map_err(|e| spawn_error(&e))?;
    let header = header.trim_end();
    if header.is_empty() {
        return Err(truncated(name));
    }
    if header.ends_with(" missing") || header.ends_with(" ambiguous") {
        return Ok(None);
    }
    let mut fields = header.split(' ');
    let (Some(oid), Some(kind), Some(size)) =
        (fields.next(), fields.next(), fields.next().and_then(|s| s.parse().ok()))
    else {
        return Err(Error::Git { message: format!("`git cat-file --batch` answered `{header}`"), help: None });
    };
    admit(i, size)?;
    let mut body = Vec::with_capacity(size as usize);
    out.by_ref().take(size).read_to_end(&mut body).map_err(|e| spawn_error(&e))?;
    let mut newline = [0u8; 1];
    if body.len() as u64 != size || out.read_exact(&mut newline).is_err() {
        return Err(truncated(name));
    }
    Ok(Some(Answer { oid: oid.to_string(), kind: kind.to_string(), bytes: body }))
}

/// Every (mode, object id, path) under the tree `root`, read level by level through `batch`
/// (one round per depth), never descending into a folder disclose never searches.
fn walk_tree(batch: &mut Batch, root: &str) -> Result<Vec<(String, String, String)>, Error> {
    let mut found = Vec::new();
    let mut level = vec![(String::new(), root.to_string())];
    while !level.is_empty() {
        let names: Vec<&str> = level.iter().map(|(_, oid)| oid.as_str()).collect();
        let answers = batch.ask(&names, &|_, _| Ok(()))?;
        let mut next = Vec::new();
        for ((folder, oid), answer) in level.iter().zip(answers) {
            let Some(tree) = answer.filter(|a| a.kind == "tree") else {
                return Err(Error::Git { message: format!("git tree `{oid}` is missing"), help: None });
            };
            for (mode, id, name) in tree_entries(&tree.bytes, oid.len() / 2) {
                let path = if folder.is_empty() { name } else { format!("{folder}/{name}") };
                if mode == "40000" {
                    // A folder's files are skipped when one of its parts is a skipped folder.
                    if !skipped(&format!("{path}/-")) {
                        next.push((path, id));
                    }
                } else {
                    found.push((mode, id, path));
                }
            }
        }
        level = next;
    }
    Ok(found)
}

/// The entries of a raw tree object: `<mode> SP <name> NUL <oid bytes>`, repeated; `raw` is
/// the length of an object id in bytes (20 for SHA-1, 32 for SHA-256). A malformed tail is
/// left out.
fn tree_entries(bytes: &[u8], raw: usize) -> Vec<(String, String, String)> {
    let mut entries = Vec::new();
    let mut rest = bytes;
    while let Some(space) = rest.iter().position(|&b| b == b' ') {
        let Some(nul) = rest[space..].iter().position(|&b| b == 0).map(|n| space + n) else { break };
        let Some(id) = rest.get(nul + 1..nul + 1 + raw) else { break };
        let mode = String::from_utf8_lossy(&rest[..space]).into_owned();
        let name = String::from_utf8_lossy(&rest[space + 1..nul]).into_owned();
        let hex = id.iter().map(|b| format!("{b:02x}")).collect();
        entries.push((mode, hex, name));
        rest = &rest[nul + 1 + raw..];
    }
    entries
}

/// The tree a commit object names (its `tree <oid>` line).
fn commit_tree(commit: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(commit).ok()?;
    text.lines().next()?.strip_prefix("tree ").map(str::to_string)
}

/// The NUL-separated records of `ls-tree -z` / `ls-files -s -z`: three space-separated
/// fields, a tab, a path. Malformed records are skipped.
fn records(out: &[u8]) -> impl Iterator<Item = ([String; 3], String)> + '_ {
    out.split(|&b| b == 0).filter(|r| !r.is_empty()).filter_map(|record| {
        let record = String::from_utf8_lossy(record);
        let (meta, path) = record.split_once('\t')?;
        let mut parts = meta.split(' ').map(str::to_string);
        let fields = [parts.next()?, parts.next()?, parts.next()?];
        Some((fields, path.to_string()))
    })
}

/// Splits (mode, object id, path) entries into the blobs to read and the entries not read:
/// links (120000) and submodules (160000). Paths in folders never searched are left out.
fn entries(all: impl Iterator<Item = (String, String, String)>) -> (BTreeMap<String, String>, Vec<Unread>) {
    let (mut files, mut unread) = (BTreeMap::new(), Vec::new());
    for (mode, oid, path) in all.filter(|(_, _, path)| !skipped(path)) {
        match mode.as_str() {
            "120000" => unread.push(Unread { path, what: what::GIT_LINK.into(), folder: true }),
            "160000" => unread.push(Unread { path, what: what::SUBMODULE.into(), folder: true }),
            _ => {
                files.insert(path, oid);
            }
        }
    }
    let paths: Vec<String> = files.keys().cloned().collect();
    unread.extend(named_folders(&paths));
    unread.sort();
    (files, unread)
}

/// One changed path, from `git diff --name-status -z -M`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `A`, `M`, `D`, `R` (renamed), `C` (copied), `T` (type changed).
    pub status: char,
    /// The path in the new version (the old path for a deletion).
    pub path: String,
    /// The old path of a rename or copy.
    pub from: Option<String>,
}

impl Repo {
    /// What changed between `old` (a commit) and `new` (a commit, or the index when `staged`,
    /// or the working tree's tracked files), as git's rename-aware name-status list. No
    /// external diff or textconv runs.
    pub fn changes(&self, old: &str, new: Option<&str>, staged: bool) -> Result<Vec<Change>, Error> {
        let mut args = vec!["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv"];
        if staged {
            args.push("--cached");
        }
        args.push(old);
        args.extend(new);
        let out = self.run(&args)?;
        let mut fields =
            out.split(|&b| b == 0).filter(|f| !f.is_empty()).map(|f| String::from_utf8_lossy(f).into_owned());
        let mut changes = Vec::new();
        while let Some(status) = fields.next() {
            let Some(code) = status.chars().next() else { break };
            let first = fields.next().unwrap_or_default();
            let change = if matches!(code, 'R' | 'C') {
                Change { status: code, path: fields.next().unwrap_or_default(), from: Some(first) }
            } else {
                Change { status: code, path: first, from: None }
            };
            changes.push(change);
        }
        Ok(changes)
    }
}

fn truncated(oid: &str) -> Error {
    Error::Git { message: format!("`git cat-file --batch` ended early while reading `{oid}`"), help: None }
}

fn spawn_error(e: &std::io::Error) -> Error {
    Error::Git { message: format!("cannot run git: {e}"), help: Some("install git and make sure it is on PATH".into()) }
}

/// The bytes of one file at a revision, named in git's own `REV:path` syntax (`HEAD~1:PRIVACY.md`;
/// `REV:./p` is relative to `dir`; `:path` is the index), as `git show` would print them.
pub fn blob(dir: &Path, spec: &str, max: u64) -> Result<Vec<u8>, Error> {
    let repo = Repo::discover(dir)?;
    let (rev, path) = spec.split_once(':').unwrap_or((spec, ""));
    if !rev.is_empty() && repo.commit(rev).is_none() {
        return Err(repo.missing(rev, "revision"));
    }
    // The size first, so a blob over the limit is never read.
    let asked = git_in(dir).args(["cat-file", "-s", spec]).output().map_err(|e| spawn_error(&e))?;
    let size = String::from_utf8_lossy(&asked.stdout).trim().parse::<u64>().ok().filter(|_| asked.status.success());
    if let Some(size) = size {
        if size > max {
            return Err(crate::model::limits::too_large(spec, Some(size), max));
        }
        let out = git_in(dir).args(["cat-file", "blob", spec]).output().map_err(|e| spawn_error(&e))?;
        if out.status.success() {
            return Ok(out.stdout);
        }
    }
    let shown = if rev.is_empty() { "the index".to_string() } else { format!("`{rev}`") };
    Err(Error::Git {
        message: format!("`{path}` does not exist in {shown}"),
        help: Some(format!(
            "paths after `:` are relative to the repository root (start them with `./` to be relative to the \
             current folder); `git ls-tree -r --name-only {}` lists the files",
            if rev.is_empty() { "HEAD" } else { rev }
        )),
    })
}

/// `git -C dir` with an environment that can neither prompt, page, lock nor convert.
fn git_in(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "--no-pager"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    cmd
}

/// A set of blobs named by object id: a commit, or the index.
#[derive(Debug)]
pub struct Blobs {
    repo: Repo,
    label: String,
    /// How files are named in errors: `1a2b3c4:` for a commit, `:` for the index (git's own
    /// revision syntax, so `git show 1a2b3c4:path` shows the file).
    prefix: String,
    files: BTreeMap<String, String>,
    /// Links and submodules: recorded, not read.
    unread: Vec<Unread>,
    /// The `cat-file` process both versions of a staged check share; `None`: one per read.
    batch: Option<std::sync::Arc<std::sync::Mutex<Batch>>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batch")
    }
}

impl Blobs {
    /// The two versions of the commit hook's question, from two git processes: the index
    /// (`ls-files`) and, through one `cat-file --batch`, HEAD's commit and tree, walked
    /// object by object; both versions then read their blobs through that same process.
    /// Returns HEAD's commit (`None` before the first commit), the index and HEAD.
    pub fn staged(repo: &Repo) -> Result<(Option<String>, Blobs, Blobs), Error> {
        let (index, head) = std::thread::scope(|scope| {
            let index = scope.spawn(|| repo.index());
            let head = (|| -> Result<_, Error> {
                let mut batch = Batch::start(repo)?;
                let Some(commit) = batch.ask(&["HEAD"], &|_, _| Ok(()))?.remove(0) else {
                    return Ok((batch, None, Vec::new()));
                };
                let tree = commit_tree(&commit.bytes)
                    .filter(|_| commit.kind == "commit")
                    .ok_or_else(|| Error::Git { message: "HEAD does not name a commit".into(), help: None })?;
                let files = walk_tree(&mut batch, &tree)?;
                Ok((batch, Some(commit.oid), files))
            })();
            (index.join().expect("listing the index does not panic"), head)
        });
        let (files, unread) = index?;
        let (batch, head, head_files) = head?;
        let batch = Some(std::sync::Arc::new(std::sync::Mutex::new(batch)));
        let index = Blobs {
            repo: repo.clone(),
            label: "the index (staged)".into(),
            prefix: ":".into(),
            files,
            unread,
            batch: batch.clone(),
        };
        let (head_files, head_unread) = entries(head_files.into_iter());
        let old = Blobs {
            repo: repo.clone(),
            label: String::new(),
            prefix: head.as_deref().map_or(String::new(), |c| format!("{}:", &c[..c.len().min(7)])),
            files: head_files,
            unread: head_unread,
            batch,
        };
        Ok((head, index, old))
    }

    /// The same files under another name.
    pub fn labelled(self, label: String) -> Blobs {
        Blobs { label, ..self }
    }

    /// The files of a commit (`None`: the empty tree before the first commit).
    pub fn commit(repo: &Repo, commit: Option<&str>, label: String) -> Result<Blobs, Error> {
        let (files, unread) = match commit {
            Some(c) => repo.tree(c)?,
            None => (BTreeMap::new(), Vec::new()),
        };
        let prefix = commit.map_or(String::new(), |c| format!("{}:", &c[..c.len().min(7)]));
        Ok(Blobs { repo: repo.clone(), label, prefix, files, unread, batch: None })
    }

    /// The staged files.
    pub fn index(repo: &Repo) -> Result<Blobs, Error> {
        let (files, unread) = repo.index()?;
        Ok(Blobs {
            repo: repo.clone(),
            label: "the index (staged)".into(),
            prefix: ":".into(),
            files,
            unread,
            batch: None,
        })
    }

    fn oid(&self, path: &str) -> Result<&str, Error> {
        self.files.get(path).map(String::as_str).ok_or_else(|| Error::Git {
            message: format!("`{path}` is not in {}", self.label),
            help: Some("check the path in disclose.yaml".into()),
        })
    }
}

impl Version for Blobs {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn show(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    fn files(&self) -> Result<Vec<String>, Error> {
        Ok(self.files.keys().cloned().collect())
    }

    fn listing(&self) -> Result<(Vec<String>, Vec<Unread>), Error> {
        Ok((self.files()?, self.unread.clone()))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        Ok(self.read_all(&[path.to_string()])?.remove(0))
    }

    fn read_all(&self, paths: &[String]) -> Result<Vec<Vec<u8>>, Error> {
        let wanted = paths.iter().map(|p| Ok((p.as_str(), self.oid(p)?))).collect::<Result<Vec<_>, Error>>()?;
        let Some(batch) = &self.batch else { return self.repo.blobs(&wanted, &|p| self.show(p)) };
        let mut batch = batch.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        batch.blobs(&wanted, self.repo.max_file_size, &|p| self.show(p))
    }

    fn blob_id(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn config(&self) -> Result<Option<(String, String)>, Error> {
        for name in CONFIG_FILES {
            if self.files.contains_key(*name) {
                let bytes = self.read(name)?;
                let label = format!("{name} ({})", self.label);
                let text = crate::model::source::Source::decode(&label, &bytes)?.text;
                return Ok(Some((label, text)));
            }
        }
        Ok(None)
    }
}

/// The working tree of a repository: tracked files and untracked files git does not ignore.
#[derive(Debug)]
pub struct Worktree {
    repo: Repo,
}

impl Worktree {
    /// The working tree of `repo`.
    pub fn new(repo: &Repo) -> Worktree {
        Worktree { repo: repo.clone() }
    }
}

impl Version for Worktree {
    fn label(&self) -> String {
        "the working tree".into()
    }

    fn show(&self, path: &str) -> String {
        path.to_string()
    }

    fn files(&self) -> Result<Vec<String>, Error> {
        Ok(self.repo.worktree()?.0)
    }

    fn listing(&self) -> Result<(Vec<String>, Vec<Unread>), Error> {
        self.repo.worktree()
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        // Listed files are regular files (links are left out, as git stores a link, not its
        // target); a path named in disclose.yaml is checked the same way.
        let full = self.repo.root.join(path);
        let meta = full.symlink_metadata().map_err(|source| Error::Read { path: full.clone(), source })?;
        if !meta.is_file() {
            return Err(Error::parse(path, "not a regular file (a link, folder, pipe or device)")
                .with_help("name a regular file in disclose.yaml, or exclude this one"));
        }
        crate::run::read::read_path(&full, path, self.repo.max_file_size)
    }

    fn config(&self) -> Result<Option<(String, String)>, Error> {
        for name in CONFIG_FILES {
            let full = self.repo.root.join(name);
            if full.is_file() {
                let bytes = self.read(name)?;
                let text = crate::model::source::Source::decode(name, &bytes)?.text;
                return Ok(Some((name.to_string(), text)));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::{commit_tree, tree_entries};

    #[test]
    fn a_raw_tree_lists_its_entries() {
        // Two entries (a file, a folder), SHA-1 ids; then a truncated third.
        let mut raw = b"100644 PRIVACY.md\0".to_vec();
        raw.extend([0xab; 20]);
        raw.extend(b"40000 app\0");
        raw.extend([0x01; 20]);
        raw.extend(b"100644 cut\0\x12\x34");
        let entries = tree_entries(&raw, 20);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], ("100644".into(), "ab".repeat(20), "PRIVACY.md".into()));
        assert_eq!(entries[1], ("40000".into(), "01".repeat(20), "app".into()));
        assert_eq!(tree_entries(b"", 20), vec![]);
    }

    #[test]
    fn a_commit_names_its_tree_first() {
        let tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        assert_eq!(commit_tree(format!("tree {tree}\nauthor a\n\nmsg\n").as_bytes()).as_deref(), Some(tree));
        assert_eq!(commit_tree(b"parent x\n"), None);
    }
}
