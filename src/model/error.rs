//! Why a run could not finish. Findings are not errors: a run that finds problems finishes.
//!
//! Every variant carries what a user needs to act: the path, the line where known, and a
//! sentence saying what is wrong. `help` lines say how to fix it when the fix is known.

use std::fmt;
use std::path::PathBuf;

/// Why a run could not finish.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    Read {
        /// What could not be read.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// An input file is not what its name says, or is broken.
    Parse {
        /// The file, as the user knows it.
        path: String,
        /// 1-based line, where known.
        line: Option<usize>,
        /// 1-based column (in characters), where known.
        column: Option<usize>,
        /// One sentence: what is wrong.
        message: String,
        /// How to fix it, where known.
        help: Option<String>,
    },
    /// The configuration is invalid.
    Config {
        /// The configuration file.
        path: String,
        /// 1-based line, where known.
        line: Option<usize>,
        /// 1-based column, where known.
        column: Option<usize>,
        /// One sentence: what is wrong.
        message: String,
        /// How to fix it, where known.
        help: Option<String>,
    },
    /// The command line asks for something that cannot be done.
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: Option<String>,
    },
    /// Git could not give what was asked (a missing revision, a shallow clone, no repository).
    Git {
        /// One sentence: what is wrong.
        message: String,
        /// How to fix it, where known.
        help: Option<String>,
    },
    /// A version has no privacy policy to check against.
    NoPolicy {
        /// The version, as the user named it.
        version: String,
        /// The help line: how to name the policy ([`Error::no_policy`]).
        help: String,
    },
    /// Several errors found in one pass (every problem of a disclose.yaml), reported one block
    /// each, in order.
    Several(Vec<Error>),
    /// An output file could not be written.
    Write {
        /// The output path.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl Error {
    /// A parse error at a known position.
    pub(crate) fn parse_at(path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.to_string(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            help: None,
        }
    }

    /// A parse error about the whole file.
    pub(crate) fn parse(path: &str, message: impl Into<String>) -> Self {
        Error::Parse { path: path.to_string(), line: None, column: None, message: message.into(), help: None }
    }

    /// Adds (or replaces) the help line of a parse, config or usage error (of each, for
    /// several).
    pub(crate) fn with_help(mut self, text: impl Into<String>) -> Self {
        if let Error::Several(errors) = self {
            let text = text.into();
            return Error::Several(errors.into_iter().map(|e| e.with_help(text.clone())).collect());
        }
        match &mut self {
            Error::Parse { help, .. }
            | Error::Config { help, .. }
            | Error::Usage { help, .. }
            | Error::Git { help, .. } => *help = Some(text.into()),
            Error::Read { .. } | Error::Write { .. } | Error::NoPolicy { .. } | Error::Several(_) => {}
        }
        self
    }

    /// No policy in `version`, whose files are `files`: the help says how to name it in
    /// disclose.yaml, which names are found without that, and which of the files look like a
    /// policy but are not read.
    pub(crate) fn no_policy(version: String, files: &[String]) -> Self {
        let near: Vec<String> = files
            .iter()
            .filter(|f| {
                let name = f.rsplit('/').next().unwrap_or(f).to_ascii_lowercase();
                ["privacy", "policy", "terms", "legal"].iter().any(|w| name.contains(w))
                    && crate::model::names::Kind::of(f).is_none()
            })
            .take(5)
            .cloned()
            .collect();
        let mut help = format!(
            "name it in that version's disclose.yaml, e.g. `policies: [docs/legal.md]` (paths or globs); without `policies:`, disclose reads {}, outside build output and vendored folders",
            crate::model::names::policy_names_help()
        );
        if !near.is_empty() {
            let quoted: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            help.push_str(&format!(
                "; named like a policy but not read: {} (list it under `policies:` if it is Markdown, HTML or plain text)",
                quoted.join(", ")
            ));
        }
        Error::NoPolicy { version, help }
    }

    /// The same error with `text` added after its help (or as its help, when it has none).
    pub(crate) fn with_more_help(self, text: &str) -> Self {
        if let Error::Several(errors) = self {
            return Error::Several(errors.into_iter().map(|e| e.with_more_help(text)).collect());
        }
        let more = match &self {
            Error::Parse { help: Some(h), .. }
            | Error::Config { help: Some(h), .. }
            | Error::Usage { help: Some(h), .. }
            | Error::Git { help: Some(h), .. } => format!("{h}; {text}"),
            _ => text.to_string(),
        };
        self.with_help(more)
    }

    /// The same error with its file path as the user should see it (`v2/PRIVACY.md`,
    /// `1a2b3c4:PRIVACY.md`), so the user can tell which version's file is meant.
    pub(crate) fn shown_as(self, show: impl Fn(&str) -> String) -> Self {
        self.shown_with(&show)
    }

    fn shown_with(mut self, show: &dyn Fn(&str) -> String) -> Self {
        match &mut self {
            Error::Parse { path, .. } => *path = show(path),
            Error::Several(errors) => {
                *errors = std::mem::take(errors).into_iter().map(|e| e.shown_with(show)).collect();
            }
            _ => {}
        }
        self
    }

    /// The errors to report, one block each: the several of [`Error::Several`], else this one.
    pub fn blocks(&self) -> Vec<&Error> {
        match self {
            Error::Several(errors) => errors.iter().flat_map(Error::blocks).collect(),
            other => vec![other],
        }
    }

    /// The help line, if any.
    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Parse { help, .. }
            | Error::Config { help, .. }
            | Error::Usage { help, .. }
            | Error::Git { help, .. } => help.as_deref(),
            Error::NoPolicy { help, .. } => Some(help),
            Error::Read { .. } | Error::Write { .. } | Error::Several(_) => None,
        }
    }
}

fn position(f: &mut fmt::Formatter<'_>, path: &str, line: Option<usize>, column: Option<usize>) -> fmt::Result {
    match (line, column) {
        (Some(l), Some(c)) => write!(f, "{path}:{l}:{c}"),
        (Some(l), None) => write!(f, "{path}:{l}"),
        _ => write!(f, "{path}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => write!(f, "cannot read `{}`: {}", path.display(), io_reason(source)),
            Error::Write { path, source } => write!(f, "cannot write `{}`: {}", path.display(), io_reason(source)),
            Error::Parse { path, line, column, message, .. } | Error::Config { path, line, column, message, .. } => {
                position(f, path, *line, *column)?;
                write!(f, ": {message}")
            }
            Error::Usage { message, .. } | Error::Git { message, .. } => write!(f, "{message}"),
            // Git versions are named in words ("the index (staged)"), folders by path.
            Error::NoPolicy { version, .. } if version.starts_with("the ") => {
                write!(f, "no privacy policy found in {version}")
            }
            Error::NoPolicy { version, .. } => write!(f, "no privacy policy found in `{version}`"),
            // One line each; `blocks` gives each with its help.
            Error::Several(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

/// The OS message without Rust's " (os error 2)" suffix: users need the words, not the errno.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. } | Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
