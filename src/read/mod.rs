//! Layer 3, the readers: a manifest's bytes become [`manifest::Manifest`] entries with exact
//! positions, a policy's text becomes a [`policy::Policy`] of sections, sentences and
//! statements. Readers take bytes or text and the taxonomy; they never touch the file system
//! and know nothing of the rules.

pub mod manifest;
pub mod policy;
