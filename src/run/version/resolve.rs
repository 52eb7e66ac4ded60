//! Which two versions a `disclose check` in a git repository compares, and why.
//!
//! `--staged`: HEAD against the index (or the pre-commit range when pre-commit gives one).
//! Otherwise the old side is a base commit and the new side the working tree (or `--head`).
//! The base is, in order: `--base`; the CI's pull-request base (`GITHUB_BASE_REF`, GitLab's
//! `CI_MERGE_REQUEST_DIFF_BASE_SHA`, pre-commit's `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF`);
//! the merge base with the remote's default branch; else HEAD. Every choice says why, for `-v`.
//!
//! In CI (`CI` set) a check must compare the change with where it starts: when no base is found,
//! or the only one found is HEAD itself (the default branch checked out), the run stops with the
//! fix instead of comparing the checkout with itself, which would pass whatever was committed.

use super::git::{Blobs, Repo, Worktree};
use super::Version;
use crate::model::error::Error;

/// The environment variables base resolution reads, gathered by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CiEnv {
    /// GitHub Actions `pull_request`: the base branch name.
    pub github_base_ref: Option<String>,
    /// GitLab merge-request pipelines: the merge base commit.
    pub gitlab_diff_base_sha: Option<String>,
    /// pre-commit `--from-ref` / pre-push.
    pub pre_commit_from_ref: Option<String>,
    /// pre-commit `--to-ref` / pre-push.
    pub pre_commit_to_ref: Option<String>,
    /// Running in CI (`CI` set, and not `false` or `0`): a base must be found.
    pub ci: bool,
    /// `GIT_DIR`, `GIT_WORK_TREE` or another variable that changes where git finds the
    /// repository is set: ask git (`rev-parse`) instead of looking for `.git` upwards.
    pub git_location: bool,
}

impl CiEnv {
    /// Reads the variables from the process environment (empty values count as unset).
    pub fn from_process() -> CiEnv {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        CiEnv {
            github_base_ref: var("GITHUB_BASE_REF"),
            gitlab_diff_base_sha: var("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
            pre_commit_from_ref: var("PRE_COMMIT_FROM_REF"),
            pre_commit_to_ref: var("PRE_COMMIT_TO_REF"),
            ci: var("CI").is_some_and(|v| !v.eq_ignore_ascii_case("false") && v != "0"),
            git_location: super::git::LOCATION_VARIABLES.iter().any(|v| std::env::var_os(v).is_some()),
        }
    }

    /// The pre-commit range, when both ends are set and real (pre-push sends zeros for a new branch).
    pub fn pre_commit_range(&self) -> Option<(&str, &str)> {
        let real = |r: &&String| !r.chars().all(|c| c == '0');
        Some((self.pre_commit_from_ref.as_ref().filter(real)?, self.pre_commit_to_ref.as_ref().filter(real)?))
            .map(|(a, b)| (a.as_str(), b.as_str()))
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `--staged`: HEAD against the index.
    Staged,
    /// A base commit against the working tree or `--head`.
    Base {
        /// `--base REV`.
        base: Option<String>,
        /// `--head REV`.
        head: Option<String>,
    },
}

/// The arguments of `git diff` that list what changed between the two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffArgs {
    /// The old commit.
    pub old: String,
    /// The new commit, when the new side is one.
    pub new: Option<String>,
    /// The new side is the index.
    pub staged: bool,
}

/// The two versions to compare, and why these.
pub struct Sides {
    /// How to list what changed (`None` before the first commit).
    pub diff: Option<DiffArgs>,
    /// The old version.
    pub old: Box<dyn Version + Sync>,
    /// The new version.
    pub new: Box<dyn Version + Sync>,
    /// One sentence for `-v`: which base was chosen and why.
    pub reason: String,
    /// What the comparison leaves out, for every run to show (not only `-v`).
    pub notice: Option<String>,
}

/// The error for a CI run that has nothing to compare the change with.
fn no_base_in_ci(message: String, help: &str) -> Error {
    Error::Git { message, help: Some(format!("{help}; `--base HEAD` checks only the uncommitted changes")) }
}

/// The note for a local run that compared HEAD with the working tree while HEAD has commits on
/// no remote branch: those commits were not checked.
const UNCOMMITTED_ONLY: &str = "only uncommitted changes were checked: no base was found (no --base, CI variable \
     or remote default branch) and HEAD has commits that are on no remote branch; to check them too, name the branch \
     they start from, e.g. `disclose check --base main`";

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}

/// Chooses the two versions.
pub fn resolve(repo: &Repo, mode: &Mode, env: &CiEnv) -> Result<Sides, Error> {
    let commit = |rev: &str, what: &str| repo.commit(rev).ok_or_else(|| repo.missing(rev, what));
    let at = |sha: &str, label: String| -> Result<Box<dyn Version + Sync>, Error> {
        Ok(Box::new(Blobs::commit(repo, Some(sha), label)?))
    };
    let range = |from: &str, to: &str| -> Result<Sides, Error> {
        let (a, b) = (commit(from, "pre-commit from-ref")?, commit(to, "pre-commit to-ref")?);
        Ok(Sides {
            diff: Some(DiffArgs { old: a.clone(), new: Some(b.clone()), staged: false }),
            old: at(&a, format!("{} ({})", from, short(&a)))?,
            new: at(&b, format!("{} ({})", to, short(&b)))?,
            reason: format!(
                "the pre-commit range PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF ({}..{})",
                short(&a),
                short(&b)
            ),
            notice: None,
        })
    };
    match mode {
        Mode::Staged => {
            if let Some((from, to)) = env.pre_commit_range() {
                return range(from, to);
            }
            // One `ls-files` for the index and one `cat-file` for everything else: HEAD, its
            // tree (walked object by object) and the blobs of both versions.
            let (head, new, old) = Blobs::staged(repo)?;
            let (label, reason) = match &head {
                Some(h) => (
                    format!("HEAD ({})", short(h)),
                    format!("the staged change: HEAD ({}) against the index", short(h)),
                ),
                None => (
                    "nothing (no commit yet)".into(),
                    "the staged change of the first commit: nothing against the index".into(),
                ),
            };
            let diff = head.clone().map(|h| DiffArgs { old: h, new: None, staged: true });
            Ok(Sides { diff, old: Box::new(old.labelled(label)), new: Box::new(new), reason, notice: None })
        }
        Mode::Base { base, head } => {
            let head_commit = match head {
                Some(h) => Some(commit(h, "head revision")?),
                None => repo.head.clone(),
            };
            let new: Box<dyn Version + Sync> = match (head, &head_commit) {
                (Some(h), Some(c)) => at(c, format!("{h} ({})", short(c)))?,
                _ => Box::new(Worktree::new(repo)),
            };
            // (revision, why, whether to take the merge base with the head)
            let (rev, why, merge) = if let Some(b) = base {
                (b.clone(), format!("--base {b}"), true)
            } else if let Some(b) = &env.github_base_ref {
                (format!("origin/{b}"), format!("the pull request's base branch (GITHUB_BASE_REF={b})"), true)
            } else if let Some(sha) = &env.gitlab_diff_base_sha {
                (sha.clone(), "the merge request's base (CI_MERGE_REQUEST_DIFF_BASE_SHA)".to_string(), false)
            } else if let Some((from, to)) = env.pre_commit_range() {
                return range(from, to);
            } else if let Some(b) = repo.default_branch().filter(|_| repo.head.is_some()) {
                let why = format!("the remote's default branch, {b}");
                (b, why, true)
            } else {
                let Some(h) = &repo.head else {
                    return Ok(Sides {
                        diff: None,
                        old: Box::new(Blobs::commit(repo, None, "nothing (no commit yet)".into())?),
                        new,
                        reason: "no commit yet: nothing against the working tree".into(),
                        notice: None,
                    });
                };
                if env.ci {
                    return Err(no_base_in_ci(
                        "no base to compare with: in CI, `disclose check` compares the change with the version it \
                         starts from, and none was found (no --base, no GITHUB_BASE_REF or \
                         CI_MERGE_REQUEST_DIFF_BASE_SHA, and no origin/HEAD, origin/main or origin/master in this \
                         clone); comparing HEAD with its own checkout would check nothing"
                            .into(),
                        "name the base: `disclose check --base origin/main` (the branch the change goes into); in \
                         GitHub Actions set `fetch-depth: 0` on actions/checkout so that the base branch is in the \
                         clone (on `push` events, `--base \"${{ github.event.before }}\"`); in GitLab set \
                         `GIT_DEPTH: 0`",
                    ));
                }
                // Locally HEAD against the working tree is the usual run on a fresh repository;
                // say so when it leaves out commits (one more git process, only here).
                let notice = (head.is_none() && repo.has_unpushed(h)).then(|| UNCOMMITTED_ONLY.to_string());
                return Ok(Sides {
                    diff: Some(DiffArgs { old: h.clone(), new: None, staged: false }),
                    old: at(h, format!("HEAD ({})", short(h)))?,
                    new,
                    reason: format!("no base given or found (no --base, CI variable or remote default branch): HEAD ({}) against the working tree", short(h)),
                    notice,
                });
            };
            let base_commit = commit(&rev, "base revision")?;
            let old_commit = match (&head_commit, merge) {
                (Some(h), true) => repo.merge_base(&base_commit, h).ok_or_else(|| {
                    if repo.shallow {
                        repo.missing(&format!("merge base of {rev} and HEAD"), "commit")
                    } else {
                        Error::Git {
                            message: format!("`{rev}` and HEAD have no common history"),
                            help: Some("compare with a revision on the same history with --base REV".into()),
                        }
                    }
                })?,
                _ => base_commit.clone(),
            };
            // In CI, a base found on its own that is the head itself (the default branch checked
            // out, as on a push to it) leaves nothing committed to compare.
            let found = base.is_none() && env.github_base_ref.is_none() && env.gitlab_diff_base_sha.is_none();
            if env.ci && found && head_commit.as_ref() == Some(&old_commit) {
                return Err(no_base_in_ci(
                    format!(
                        "no base to compare with: the only base found, {rev} (the remote's default branch), is HEAD \
                         itself: in CI that compares the checkout with itself, and nothing committed is checked"
                    ),
                    "name the commit the change starts from: on a GitHub `push` event \
                     `--base \"${{ github.event.before }}\"`, in a GitLab branch pipeline \
                     `--base \"$CI_COMMIT_BEFORE_SHA\"` (`fetch-depth: 0` / `GIT_DEPTH: 0` keep it in the clone)",
                ));
            }
            // A revision given as a commit id is shown once, shortened.
            let named =
                if base_commit.starts_with(rev.as_str()) { short(&base_commit).to_string() } else { rev.clone() };
            let label = if old_commit == base_commit {
                if named == short(&base_commit) {
                    named
                } else {
                    format!("{named} ({})", short(&old_commit))
                }
            } else {
                format!("{named} (merge base {})", short(&old_commit))
            };
            let reason = format!("base {label}, from {why}");
            let diff =
                Some(DiffArgs { old: old_commit.clone(), new: head.as_ref().and(head_commit.clone()), staged: false });
            Ok(Sides { diff, old: at(&old_commit, label)?, new, reason, notice: None })
        }
    }
}
