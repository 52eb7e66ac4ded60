//! Layer 1, the bottom: plain data and the vocabulary of the domain, which every other layer
//! speaks and which needs none of them. Errors ([`error`]), checked text and locations
//! ([`source`]), findings and levels ([`finding`]), the configuration file's schema and the
//! settings a run uses ([`settings`]), the file names disclose reads ([`names`]), and the small
//! tools all layers share: escaping for each output ([`escape`]), "did you mean"
//! ([`suggest`]), an order-keeping parallel map ([`parallel`]), a YAML tree with locations
//! ([`yaml`]) and the bounds of a run ([`limits`]).

pub mod error;
pub mod escape;
pub mod finding;
pub mod limits;
pub mod names;
pub mod parallel;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod unread;
pub mod yaml;
