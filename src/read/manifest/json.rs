//! JSON with comments, as browsers read extension manifests and Expo reads `app.json`: `//`
//! and `/* */` comments and trailing commas are accepted. `jsonc-parser` keeps the byte range
//! of every value, so an entry points at its own line and column.

use jsonc_parser::ast::{Array, Object, ObjectProp, ObjectPropName, Value};
use jsonc_parser::common::Range;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

use crate::model::error::Error;
use crate::model::source::{Location, Source};

/// Which JSON a reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// What browsers accept in `manifest.json`: JSON plus comments and trailing commas.
    Comments,
    /// JSON5, as Expo reads `app.json`: also unquoted keys, single quotes, hex numbers.
    Json5,
}

/// Parses `source` and returns its top-level object; `what` names the file in errors.
pub fn parse_object<'a>(source: &'a Source, what: &str, dialect: Dialect) -> Result<Object<'a>, Error> {
    let json5 = dialect == Dialect::Json5;
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_loose_object_property_names: json5,
        allow_single_quoted_strings: json5,
        allow_hexadecimal_numbers: json5,
        allow_unary_plus_numbers: json5,
        allow_bare_decimal_point_numbers: json5,
        allow_non_finite_numbers: json5,
        allow_extended_string_escapes: json5,
    };
    let parsed = parse_to_ast(&source.text, &CollectOptions::default(), &options).map_err(|e| {
        let pos = source.position(e.range().start);
        Error::parse_at(&source.path, pos.line, pos.column, format!("malformed JSON: {}", e.kind()))
            .with_help(format!(
                "fix the JSON so that the {what} parses (comments and trailing commas are fine), or exclude the file in disclose.yaml"
            ))
    })?;
    if let Some(v) = &parsed.value {
        no_duplicate_keys(source, v, what)?;
    }
    match parsed.value {
        Some(Value::Object(o)) => Ok(o),
        Some(other) => {
            let pos = source.position(range(&other).start);
            Err(Error::parse_at(
                &source.path,
                pos.line,
                pos.column,
                format!("not a {what}: the top level is not an object"),
            ))
        }
        None => Err(Error::parse(&source.path, format!("the {what} holds no JSON value"))),
    }
}

/// Refuses an object that names a key twice, at the second one. Browsers and Expo keep the
/// last value and the parser keeps the first, so `"permissions": [], "permissions": [...]`
/// would hide a permission the app really gets: an error, as it is in `disclose.yaml`.
fn no_duplicate_keys(source: &Source, root: &Value, what: &str) -> Result<(), Error> {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
                for p in &o.properties {
                    let (name, start) = match &p.name {
                        ObjectPropName::String(s) => (s.value.as_ref(), s.range.start),
                        ObjectPropName::Word(w) => (w.value, w.range.start),
                    };
                    if let Some(first) = seen.insert(name, start) {
                        let pos = source.position(start);
                        let line = source.position(first).line;
                        return Err(Error::parse_at(
                            &source.path,
                            pos.line,
                            pos.column,
                            format!("duplicate key `{name}` (first on line {line})"),
                        )
                        .with_help(format!(
                            "keep one `{name}` in the {what}: browsers and Expo read only the last, so the first misleads a reviewer"
                        )));
                    }
                    stack.push(&p.value);
                }
            }
            Value::Array(a) => stack.extend(a.elements.iter()),
            _ => {}
        }
    }
    Ok(())
}

/// The byte range of a value.
pub fn range(v: &Value) -> Range {
    match v {
        Value::StringLit(x) => x.range,
        Value::NumberLit(x) => x.range,
        Value::BooleanLit(x) => x.range,
        Value::Object(x) => x.range,
        Value::Array(x) => x.range,
        Value::NullKeyword(x) => x.range,
    }
}

/// Where a value is.
pub fn location(source: &Source, v: &Value) -> Location {
    let r = range(v);
    source.location(r.start, r.end)
}

/// What `null` means where a reader expects a list or an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Null {
    /// Nothing, as if the key were absent (Expo reads its config in JavaScript, where
    /// `permissions ?? []` takes `null` for none).
    Absent,
    /// A value of the wrong type (browsers refuse a manifest whose `permissions` is `null`).
    WrongType,
}

/// How a manifest reader checks the values it reads: what `null` means where a list or an
/// object belongs, and the help its type errors carry (what the platform does with a value of
/// another type).
#[derive(Debug, Clone, Copy)]
pub struct Types<'s> {
    /// The file, for positions.
    pub source: &'s Source,
    /// What `null` is.
    pub null: Null,
    /// The help line of a type error.
    pub help: &'static str,
}

impl Types<'_> {
    /// A value of type `expected` was something else: an error at it, with the help.
    pub fn wrong(&self, v: &Value, name: &str, expected: &str) -> Error {
        wrong_type(self.source, v, name, expected).with_help(self.help)
    }

    /// The object at `key` of `o`: `None` when the key is absent (or `null`, when `null` is
    /// absent). Another value is an error at it, named `name` (a dotted path such as
    /// `expo.android`).
    pub fn object<'o, 'a>(&self, o: &'o Object<'a>, key: &str, name: &str) -> Result<Option<&'o Object<'a>>, Error> {
        match o.get(key).map(|p| &p.value) {
            None => Ok(None),
            Some(Value::NullKeyword(_)) if self.null == Null::Absent => Ok(None),
            Some(Value::Object(found)) => Ok(Some(found)),
            Some(other) => Err(self.wrong(other, name, "an object")),
        }
    }

    /// The strings of the list at `key` of `o`, with their values: none when the key is
    /// absent (or `null`, when `null` is absent). A value that is not a list, or an element
    /// that is not a string, is an error at it: the platform refuses or misreads such a
    /// manifest, and reading it as "no permissions" would pass a change in silence.
    pub fn string_list<'o, 'a>(
        &self,
        o: &'o Object<'a>,
        key: &str,
        name: &str,
    ) -> Result<Vec<(&'o str, &'o Value<'a>)>, Error> {
        match o.get(key).map(|p| &p.value) {
            None => Ok(Vec::new()),
            Some(Value::NullKeyword(_)) if self.null == Null::Absent => Ok(Vec::new()),
            Some(Value::Array(a)) => self.elements(a, name),
            Some(other) => Err(self.wrong(other, name, "a list of strings")),
        }
    }

    /// The elements of a list, each a string (an element of another type is an error at it,
    /// named `name[i]`).
    pub fn elements<'o, 'a>(&self, a: &'o Array<'a>, name: &str) -> Result<Vec<(&'o str, &'o Value<'a>)>, Error> {
        a.elements
            .iter()
            .enumerate()
            .map(|(i, v)| match v.as_string_lit() {
                Some(s) => Ok((s.value.as_ref(), v)),
                None => Err(self.wrong(v, &format!("{name}[{i}]"), "a string")),
            })
            .collect()
    }
}

/// What a value is, for messages: "a string", "a number", "an object"...
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "a list",
        Value::NullKeyword(_) => "null",
    }
}

/// Where an object property's name is.
pub fn name_location(source: &Source, p: &ObjectProp) -> Location {
    let r = match &p.name {
        ObjectPropName::String(s) => s.range,
        ObjectPropName::Word(w) => w.range,
    };
    source.location(r.start, r.end)
}

/// A value of type `expected` was something else: an error at the value, saying what it is.
pub fn wrong_type(source: &Source, v: &Value, key: &str, expected: &str) -> Error {
    let pos = source.position(range(v).start);
    Error::parse_at(&source.path, pos.line, pos.column, format!("`{key}` must be {expected}, not {}", kind(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_json_here() {
        let s = Source::new("m.json", "{\n  // a comment\n  \"a\": [\"x\", \"y\",], /* b */\n}\n".into());
        let o = parse_object(&s, "manifest", Dialect::Comments).unwrap();
        let types = Types { source: &s, null: Null::WrongType, help: "" };
        let got: Vec<_> = types
            .string_list(&o, "a", "a")
            .unwrap()
            .iter()
            .map(|(t, v)| (t.to_string(), location(&s, v).line))
            .collect();
        assert_eq!(got, vec![("x".to_string(), 3), ("y".to_string(), 3)]);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_at_it() {
        let s = Source::new("m.json", "{\"a\": \"x\", \"b\": [\"x\",\n 7], \"c\": null, \"d\": [1]}".into());
        let o = parse_object(&s, "manifest", Dialect::Comments).unwrap();
        let strict = Types { source: &s, null: Null::WrongType, help: "fix it" };
        let lenient = Types { null: Null::Absent, ..strict };
        let err = |t: Types, key: &str| t.string_list(&o, key, key).unwrap_err();
        assert_eq!(err(lenient, "a").to_string(), "m.json:1:7: `a` must be a list of strings, not a string");
        assert_eq!(err(lenient, "a").help(), Some("fix it"));
        assert_eq!(err(lenient, "b").to_string(), "m.json:2:2: `b[1]` must be a string, not a number");
        assert_eq!(err(strict, "c").to_string(), "m.json:2:11: `c` must be a list of strings, not null");
        assert!(lenient.string_list(&o, "c", "c").unwrap().is_empty());
        assert!(strict.string_list(&o, "none", "none").unwrap().is_empty());
        let e = lenient.object(&o, "d", "x.d").unwrap_err().to_string();
        assert_eq!(e, "m.json:2:22: `x.d` must be an object, not a list");
    }

    #[test]
    fn errors_name_the_line() {
        let s = Source::new("m.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n".into());
        let e = parse_object(&s, "manifest", Dialect::Comments).unwrap_err().to_string();
        // Where the comma is missing: right after the value on line 2.
        assert_eq!(e, "m.json:2:9: malformed JSON: Expected comma");
        let s = Source::new("m.json", "[1]".into());
        assert!(parse_object(&s, "manifest", Dialect::Comments).unwrap_err().to_string().contains("not an object"));
    }

    #[test]
    fn a_key_named_twice_is_an_error_at_the_second() {
        let s = Source::new("m.json", "{\n  \"permissions\": [],\n  \"permissions\": [\"geolocation\"]\n}\n".into());
        let e = parse_object(&s, "manifest.json", Dialect::Comments).unwrap_err().to_string();
        assert_eq!(e, "m.json:3:3: duplicate key `permissions` (first on line 2)");
        // Nested, and a JSON5 bare key against a quoted one: the same key.
        let s =
            Source::new("app.json", "{\"expo\": {\"android\": {permissions: [], 'permissions': [\"CAMERA\"]}}}".into());
        let e = parse_object(&s, "app config", Dialect::Json5).unwrap_err().to_string();
        assert!(e.contains("duplicate key `permissions`"), "{e}");
        // The same key in two objects is fine.
        let s = Source::new("m.json", "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}".into());
        assert!(parse_object(&s, "manifest.json", Dialect::Comments).is_ok());
    }
}
