//! Converts every `policies/**/*.yaml` into JSON in `OUT_DIR`, which the binary embeds.
//!
//! The data stays YAML for people (comments, samples); the binary parses JSON, which is
//! about ten times faster to load than YAML and keeps `disclose check` on a small project
//! within a few milliseconds. A YAML syntax error fails the build with the file and line.

use std::fs;
use std::path::Path;

fn main() {
    let src = Path::new("policies");
    println!("cargo:rerun-if-changed=policies");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("policies");
    convert(src, &out);
}

fn convert(dir: &Path, out: &Path) {
    fs::create_dir_all(out).expect("OUT_DIR is writable");
    let mut entries: Vec<_> =
        fs::read_dir(dir).expect("policies/ is readable").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().expect("a name").to_string_lossy().into_owned();
        if path.is_dir() {
            convert(&path, &out.join(&name));
        } else if let Some(stem) = name.strip_suffix(".yaml") {
            let text = fs::read_to_string(&path).expect("policy data is UTF-8");
            let value: serde_json::Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: invalid YAML: {e}", path.display()));
            let json = serde_json::to_string(&value).expect("YAML data converts to JSON");
            fs::write(out.join(format!("{stem}.json")), json).expect("OUT_DIR is writable");
        }
    }
}
