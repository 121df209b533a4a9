//! Records the exact `windows-bindgen` version from this folder's Cargo.lock, so the
//! header of names.tsv names the metadata that produced it.

use std::path::Path;

fn main() {
    let lock = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let mut version = String::from("unknown");
    let mut in_bindgen = false;
    for line in text.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            in_bindgen = false;
        } else if line == "name = \"windows-bindgen\"" {
            in_bindgen = true;
        } else if in_bindgen && let Some(v) = line.strip_prefix("version = \"") {
            version = v.trim_end_matches('"').to_string();
            break;
        }
    }
    println!("cargo:rustc-env=WINDOWS_BINDGEN_VERSION={version}");
}
