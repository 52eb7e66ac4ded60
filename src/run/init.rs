//! `disclose init`: a commented `disclose.yaml` for the repository disclose runs in, naming
//! the manifests and policies it discovered, so a team starts from what is there.
//!
//! In: the discovered files. Out: the file's text (pure; `main` writes it).
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::read::manifest::Kind;

/// The text of a new disclose.yaml.
pub fn template(manifests: &[(String, Kind)], policies: &[String]) -> String {
    let mut out = format!("# yaml-language-server: $schema={}\n", crate::run::schema::URL);
    out.push_str(
        "# disclose.yaml: what `disclose check` compares and how strict it is.\n\
         # Every key is optional; `disclose config` shows the effective values and where each\n\
         # comes from, and the README's Configuration section documents every key.\n\n",
    );
    let _ = writeln!(out, "# Privacy policies and terms that users read (discovered by name).");
    if policies.is_empty() {
        let _ = writeln!(out, "# None found: name yours here, e.g.\n# policies: [legal/privacy.md]");
    } else {
        let _ = writeln!(out, "policies:");
        for p in policies {
            let _ = writeln!(out, "  - {}", quote(p));
        }
    }
    let _ = writeln!(out, "\n# Manifests are discovered in every version (build output, node_modules and Pods are");
    let _ = writeln!(out, "# skipped); these were found today. List them to pin the set instead:");
    let _ = writeln!(out, "# manifests:");
    if manifests.is_empty() {
        let _ = writeln!(out, "#   (none found: a web or backend app can declare what it collects with `collects:`)");
    }
    for (path, kind) in manifests {
        let _ = writeln!(out, "#   - {:<50} # {}", quote(path), kind.name());
    }
    let groups = app_roots(manifests);
    if groups.len() > 1 {
        let _ =
            writeln!(out, "\n# Several apps: give each its own policy, so one app's policy never covers another's.");
        let _ = writeln!(out, "# apps:");
        for root in groups.keys() {
            let name = root.rsplit('/').next().unwrap_or(root);
            let _ = writeln!(out, "#   - name: {}", quote(name));
            let _ = writeln!(out, "#     manifests: [{}]", quote(&format!("{root}/**")));
            let _ = writeln!(out, "#     policies: [{}]", quote(&format!("legal/{name}-privacy.md")));
        }
    }
    out.push_str(
        "\n# Files never read.\n\
         exclude:\n  - \"**/build/**\"\n  - \"**/fixtures/**\"\n\n\
         # Which findings fail the build: error (default), warning, note or never.\n\
         fail_on: error\n\n\
         # Rule levels: off, note, warning, error (`disclose explain` lists the rules).\n\
         # rules:\n#   undisclosed-existing: warning\n#   stale-disclosure: note\n\n\
         # Categories collected without a manifest (sign-up forms, server logs).\n\
         # collects: [account.email]\n\n\
         # Permissions the taxonomy does not know (`disclose categories` lists the ids).\n\
         # permissions:\n#   com.example.permission.READ_VITALS: [health]\n\n\
         # Reviewed exceptions: still reported, not counted toward failure.\n\
         # acknowledge:\n#   - rule: undisclosed-collection\n#     category: location.background\n\
         #     reason: \"Geofencing beta; the policy update ships with v7 (LEGAL-123)\"\n\
         #     expires: 2027-01-31\n\n\
         # How a change in what the policy tells users must be announced.\n\
         # notice:\n#   date: required          # the \"last updated\" line must change\n\
         #   changelog: legal/CHANGELOG.md\n",
    );
    out
}

/// Manifests grouped by the folder that holds an app: the first two path segments when the
/// repository keeps apps under a common folder (`apps/mobile/...`), else the first.
fn app_roots(manifests: &[(String, Kind)]) -> BTreeMap<String, usize> {
    let mut roots: BTreeMap<String, usize> = BTreeMap::new();
    for (path, _) in manifests {
        let parts: Vec<&str> = path.split('/').collect();
        let root = match parts.as_slice() {
            [top, app, _, ..] if ["apps", "packages", "projects", "clients"].contains(top) => format!("{top}/{app}"),
            [top, _, ..] => top.to_string(),
            _ => continue,
        };
        *roots.entry(root).or_default() += 1;
    }
    roots
}

/// A YAML scalar, quoted and escaped when it needs to be: a path with a line break must not
/// end the comment it is listed in and write live YAML (see `escape::yaml`).
fn quote(s: &str) -> String {
    crate::model::escape::yaml(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_valid_config_naming_what_was_found() {
        let manifests = vec![
            ("apps/mobile/android/app/src/main/AndroidManifest.xml".to_string(), Kind::Android),
            ("apps/extension/manifest.json".to_string(), Kind::Extension),
        ];
        let text = template(&manifests, &["legal/privacy policy.md".to_string()]);
        let config = crate::run::config::parse("disclose.yaml", &text).expect("the template parses");
        assert_eq!(config.policies, Some(vec!["legal/privacy policy.md".to_string()]));
        assert!(text.contains("#   - apps/extension/manifest.json"), "{text}");
        assert!(text.contains("#   - name: mobile\n#     manifests: [\"apps/mobile/**\"]"), "{text}");
        let empty = template(&[], &[]);
        assert!(crate::run::config::parse("disclose.yaml", &empty).unwrap().policies.is_none());
    }
}
