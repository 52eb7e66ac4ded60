//! The JSON Schema of `disclose.yaml`, built from the same definitions the reader uses (the
//! top-level keys, the rule catalog, the levels), so editors complete and check what the tool
//! accepts. `disclose config --schema` prints it; `schema/disclose.schema.json` is the same text,
//! kept in the repository for the `yaml-language-server` comment `disclose init` writes, and a
//! test keeps the two equal.

use serde_json::json;

/// Where editors fetch the schema from (the comment `disclose init` writes).
pub const URL: &str = "https://raw.githubusercontent.com/disclose-dev/disclose/main/schema/disclose.schema.json";

/// The schema, as pretty JSON with a final newline.
pub fn config_schema() -> String {
    let rules: Vec<&str> = crate::engine::rules::catalog().iter().map(|r| r.id.as_str()).collect();
    let globs = |what: &str| {
        json!({
            "type": "array",
            "items": { "type": "string", "minLength": 1 },
            "description": what,
        })
    };
    let categories = json!({
        "type": "array",
        "items": { "type": "string", "pattern": "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$" },
        "description": "Category ids (`disclose categories` lists them).",
    });
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": URL,
        "title": "disclose.yaml",
        "description": "Settings for disclose: which files to read, rule levels, the failure threshold, permission mappings, apps, categories, declared collection and acknowledged findings.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "policies": globs("Policy files: paths or globs relative to the version root (default: found by name)."),
            "manifests": globs("Manifest files: paths or globs (default: found by name)."),
            "exclude": globs("Globs of files never read."),
            "rules": {
                "type": "object",
                "description": "Rule levels: off, note, warning or error.",
                "propertyNames": { "enum": rules },
                "additionalProperties": { "enum": ["off", "note", "warning", "error"] },
            },
            "fail_on": {
                "enum": ["error", "warning", "note", "never"],
                "description": "The lowest level that fails the run (default: error).",
            },
            "permissions": {
                "type": "object",
                "description": "Permissions the taxonomy does not know, mapped to category ids ([] for no personal data).",
                "additionalProperties": categories.clone(),
            },
            "notice": {
                "type": "object",
                "additionalProperties": false,
                "description": "What announces a change in what the policy tells users.",
                "properties": {
                    "date": { "enum": ["required", "optional"] },
                    "changelog": { "type": "string", "minLength": 1 },
                },
            },
            "apps": {
                "type": "array",
                "description": "A monorepo's apps: each is checked against its own policies.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string", "minLength": 1 },
                        "manifests": globs("Its manifests."),
                        "policies": globs("The policies that cover it."),
                        "collects": categories.clone(),
                    },
                },
            },
            "categories": {
                "type": "array",
                "description": "Categories added to the taxonomy.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id"],
                    "properties": {
                        "id": { "type": "string" },
                        "parent": { "type": "string" },
                        "label": { "type": "string" },
                        "vocabulary": { "type": "array", "items": { "type": "string" } },
                        "qualifiers": { "type": "array", "items": { "type": "string" } },
                    },
                },
            },
            "collects": categories,
            "acknowledge": {
                "type": "array",
                "description": "Reviewed findings: still reported, not counted toward failure. One takes effect once it is on the base version.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["rule", "reason"],
                    "anyOf": [{ "required": ["category"] }, { "required": ["subject"] }, { "required": ["path"] }],
                    "properties": {
                        "rule": { "enum": rules },
                        "category": { "type": "string" },
                        "path": { "type": "string" },
                        "subject": { "type": "string" },
                        "reason": { "type": "string", "minLength": 1 },
                        "expires": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" },
                    },
                },
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_names_every_key_and_rule() {
        let v: serde_json::Value = serde_json::from_str(&super::config_schema()).unwrap();
        let mut keys: Vec<&str> = v["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = crate::model::settings::KEYS.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want);
        let rules = v["properties"]["rules"]["propertyNames"]["enum"].as_array().unwrap();
        assert_eq!(rules.len(), crate::engine::rules::catalog().len());
    }
}
