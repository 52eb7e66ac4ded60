//! The I/O of `disclose diff` and `disclose scan`: each policy named on the command line read
//! (a file, `REV:path` through git, or standard input), refused when it is not a policy, and
//! parsed; then, for `diff`, the two versions compared as `check` compares them, and aligned.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::compare::{compare, Changes};
use crate::engine::inventory::classify;
use crate::engine::rules;
use crate::model::error::Error;
use crate::model::finding::Threshold;
use crate::model::limits::Limits;
use crate::model::source::Source;
use crate::read::manifest;
use crate::read::policy;
use crate::run::outcome::{Command, Report};
use crate::run::read::{read_at_most, read_path};
use crate::taxonomy::Taxonomy;

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
    let redline = crate::engine::diff::diff(&old, &new, crate::engine::diff::meaning(t, &old_inv, &new_inv));
    Ok(Report {
        findings,
        fail_on: req.fail_on.unwrap_or(Threshold::At(crate::model::finding::Level::Error)),
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
        inventory: false,
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
        PolicyInput::Git(spec) => (spec.clone(), crate::run::version::git::blob(cwd, spec, max)?),
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
    let read = crate::model::parallel::map(raw, jobs, |(input, bytes)| read_structure(input, bytes));
    let read = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    policy::prime(&read.iter().collect::<Vec<_>>(), t, jobs);
    policy::judge_all(read, t, jobs).into_iter().collect()
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
/// [`crate::engine::scan::scan`] reads each one.
pub fn scan(req: &ScanRequest) -> Result<Scanned, Error> {
    if req.policies.iter().filter(|p| **p == PolicyInput::Stdin).count() > 1 {
        return Err(Error::Usage {
            message: "standard input (`-`) can be scanned only once".into(),
            help: Some("name the other policies as files".into()),
        });
    }
    let taxonomy = crate::run::project::taxonomy(&req.cwd, req.config.as_deref())?;
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
