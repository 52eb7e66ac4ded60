//! Layer 5, the run: where files, git and the clock are. It gathers the two versions
//! ([`version`]), validates each `disclose.yaml` against the rule catalog and the taxonomy
//! ([`config`]), splits a monorepo into apps ([`apps`]), and drives the pipeline
//! ([`pipeline`]): read the files ([`sides`]), build inventories, compare, run the rules, hold
//! the gate against its own change ([`gate`]), acknowledge, apply a baseline ([`baseline`]) and
//! return the [`outcome::Report`]. The other commands' I/O is here too: `diff` and `scan`
//! ([`policies`]), `init`, `config` and `categories` ([`project`]).

pub mod apps;
pub mod baseline;
pub mod config;
pub mod effective;
pub mod gate;
pub mod init;
pub mod outcome;
pub mod pipeline;
pub mod policies;
pub mod project;
pub mod read;
pub mod schema;
pub mod sides;
pub mod version;
