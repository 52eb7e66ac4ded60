//! Entries of a version that are there and not read: reported (rule `unread-file`), never
//! passed over in silence.

/// An entry of a version that is there but is not read: a link that is not followed (out of
/// the version, dangling, a loop, or any link in a git version), a pipe, socket or device
/// (opening a pipe would wait forever), a git submodule, or a folder where a file is expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unread {
    /// Path relative to the version root, with forward slashes.
    pub path: String,
    /// What it is, as a predicate after the path: "is a link to a place outside the version".
    pub what: String,
    /// It may stand for a folder (a linked folder, a submodule, a link whose target is
    /// unknown), which could hold manifests and policies.
    pub folder: bool,
}

/// What an unread entry is.
pub mod what {
    /// A link whose target lies outside the version.
    pub const OUTSIDE: &str = "is a link to a place outside the version";
    /// A link whose target does not exist.
    pub const DANGLING: &str = "is a link to a path that does not exist";
    /// A link that leads back to itself.
    pub const LOOP: &str = "is a link loop";
    /// A link that cannot be followed for another reason (permissions).
    pub const UNFOLLOWABLE: &str = "is a link that cannot be followed";
    /// A link in a git version.
    pub const GIT_LINK: &str = "is a symbolic link (git records the link, not the file it points to)";
    /// A git submodule.
    pub const SUBMODULE: &str = "is a git submodule, whose files belong to another repository";
    /// A folder named like a manifest or policy.
    pub const FOLDER: &str = "is a folder, not a file";
    /// A pipe, socket or device, or a link to one.
    pub const SPECIAL: &str = "is a pipe, socket or device, not a regular file";
}
