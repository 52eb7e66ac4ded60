//! YAML read as a tree that keeps what a typed reader loses: every entry of a mapping, in
//! order (so a key named twice can be reported at the second), and where any node is.
//!
//! In: YAML text. Out: a [`Yaml`] tree, and for a path into it ([`Step`]s) the 1-based line
//! and column of the node. Both come from the same parser (serde_yaml), so a position is
//! always the one the parser saw. The tree carries no positions: a position is found only
//! for a node that is reported, by walking the text once more to that node ([`locate`]), so a
//! valid file costs one parse.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::Deserialize;

/// A YAML node. Scalars keep their kind (a plain `5` is a number, `true` a Boolean), and
/// mappings keep every entry in file order, duplicates included. A tag (`!x`) is dropped, as
/// serde_yaml drops it for a string.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// `~`, `null`, or nothing after the colon.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written by Rust (`5`, `1.5`).
    Number(String),
    /// Any other scalar.
    Text(String),
    /// A sequence.
    List(Vec<Yaml>),
    /// A mapping: (key, value) pairs in file order.
    Map(Vec<(Yaml, Yaml)>),
}

impl Yaml {
    /// Parses a YAML document (one: several are an error, as for serde_yaml).
    pub fn parse(text: &str) -> Result<Yaml, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    /// A scalar as text, as serde_yaml reads a string from any scalar (`5` is `"5"`); `None`
    /// for null, a list or a mapping.
    pub fn scalar(&self) -> Option<String> {
        match self {
            Yaml::Bool(b) => Some(b.to_string()),
            Yaml::Number(n) => Some(n.clone()),
            Yaml::Text(t) => Some(t.clone()),
            Yaml::Null | Yaml::List(_) | Yaml::Map(_) => None,
        }
    }

    /// What the node is, for messages: "null", "a list", "a mapping", "text"...
    pub fn kind(&self) -> &'static str {
        match self {
            Yaml::Null => "null",
            Yaml::Bool(_) => "true or false",
            Yaml::Number(_) => "a number",
            Yaml::Text(_) => "text",
            Yaml::List(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Yaml, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Yaml, E> {
        Ok(Yaml::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Yaml::Map(entries))
    }

    /// A tagged node (`!x value`): the value, without its tag.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Yaml, A::Error> {
        let (_tag, value): (IgnoredAny, _) = data.variant()?;
        value.newtype_variant()
    }
}

/// One step of a path into a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The key of a mapping's `n`-th entry (a path ends there).
    Key(usize),
    /// The value of a mapping's `n`-th entry.
    Value(usize),
    /// A sequence's `n`-th item.
    Item(usize),
}

/// What the walk to a node raises once it is there: serde_yaml gives an error raised while a
/// node is read the position where the node starts.
const HERE: &str = "\u{0}disclose: the node to locate";

/// The 1-based line and column where the node at `path` starts in `text` (for a mapping or a
/// list, where its first entry starts), or `None` when there is no such node.
pub fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let found = Walk { path: Some(path) }.deserialize(serde_yaml::Deserializer::from_str(text));
    match found {
        Err(e) if e.to_string().contains(HERE) => e.location().map(|l| (l.line(), l.column())),
        _ => None,
    }
}

/// Walks the text to the node at `path` (`None`: skips the node).
#[derive(Clone, Copy)]
struct Walk<'p> {
    path: Option<&'p [Step]>,
}

impl Walk<'_> {
    fn here<E: de::Error>(self) -> Result<(), E> {
        match self.path {
            Some([]) => Err(E::custom(HERE)),
            _ => Ok(()),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path {
            None => d.deserialize_ignored_any(IgnoredAny).map(|_| ()),
            Some(_) => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.here()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.here()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.here()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.here()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.here()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.here()?;
        let Some([Step::Item(n), rest @ ..]) = self.path else {
            while seq.next_element_seed(Walk { path: None })?.is_some() {}
            return Ok(());
        };
        let mut i = 0;
        while seq.next_element_seed(Walk { path: (i == *n).then_some(rest) })?.is_some() {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.here()?;
        let (step, rest) = match self.path {
            Some([step, rest @ ..]) => (Some(*step), rest),
            _ => (None, &[][..]),
        };
        let mut i = 0;
        loop {
            let key = Walk { path: (step == Some(Step::Key(i))).then_some(&[][..]) };
            if map.next_key_seed(key)?.is_none() {
                return Ok(());
            }
            map.next_value_seed(Walk { path: (step == Some(Step::Value(i))).then_some(rest) })?;
            i += 1;
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (_tag, value): (IgnoredAny, _) = data.variant()?;
        value.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# a comment\nrules:\n  a: off\n  b: 'loud'\nlist: [x, {k: 1}]\nblock:\n  - one\n  - name: two\n    tag: !x y\n";

    #[test]
    fn the_tree_keeps_every_entry_and_the_kind_of_each_scalar() {
        let t = Yaml::parse("a: 1\na: true\nb: [x, ~]\n").unwrap();
        let Yaml::Map(entries) = t else { panic!("a mapping") };
        assert_eq!(entries.len(), 3, "the duplicate is kept");
        assert_eq!(entries[0].1, Yaml::Number("1".into()));
        assert_eq!(entries[1].1, Yaml::Bool(true));
        assert_eq!(entries[2].1, Yaml::List(vec![Yaml::Text("x".into()), Yaml::Null]));
        assert_eq!(Yaml::parse("!x y").unwrap(), Yaml::Text("y".into()), "a tag is dropped");
    }

    #[test]
    fn every_node_is_located_where_it_starts() {
        use Step::*;
        let at = |path: &[Step]| locate(TEXT, path);
        assert_eq!(at(&[Key(0)]), Some((2, 1)));
        assert_eq!(at(&[Value(0), Key(1)]), Some((4, 3)));
        assert_eq!(at(&[Value(0), Value(1)]), Some((4, 6)));
        assert_eq!(at(&[Value(1), Item(1), Value(0)]), Some((5, 15)));
        assert_eq!(at(&[Value(2), Item(0)]), Some((7, 5)));
        assert_eq!(at(&[Value(2), Item(1)]), Some((8, 5)), "a mapping starts at its first key");
        assert_eq!(at(&[Value(2), Item(1), Value(1)]), Some((9, 10)), "a tagged node starts at its tag");
        assert_eq!(at(&[Value(2), Item(5)]), None);
        assert_eq!(at(&[Value(9)]), None);
        // A key named twice: each is found.
        assert_eq!(locate("a: 1\na: 2\n", &[Key(1)]), Some((2, 1)));
    }
}
