//! Layer 4, the judgment core (pure): what each version requests and discloses
//! ([`inventory`]), old against new ([`compare`]), the rule catalog that turns the comparison
//! into findings ([`rules`]), the policy redline and what each change means for users
//! ([`diff`]), and one policy read on its own ([`scan`]).

pub mod compare;
pub mod diff;
pub mod inventory;
pub mod rules;
pub mod scan;
