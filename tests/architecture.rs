//! The house rules of ARCHITECTURE.md, checked on the sources: no import
//! circles between the window's layers, panels that do not import each
//! other, a view layer that never draws, every module opening with a `//!`
//! line, and no source file over the size bound.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest source file (lines) outside `tests/`.
const MAX_LINES: usize = 800;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Code without comments (a `use` in a doc example is not an import).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The part of the window a file belongs to: `app`, `host`, `view`,
/// `widgets`, `panels::find_bar`...; `None` for `gui/mod.rs` (it only
/// declares and re-exports).
fn part_of(gui: &Path, file: &Path) -> Option<String> {
    let rel: Vec<String> = file
        .strip_prefix(gui)
        .unwrap()
        .with_extension("")
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    match rel.as_slice() {
        [m] if m == "mod" => None,
        [m] => Some(m.clone()),
        [dir, _] | [dir, _, ..] if dir == "panels" => {
            Some(format!("panels::{}", rel[1]).replace("panels::mod", "panels"))
        }
        [dir, ..] => Some(dir.clone()),
        [] => None,
    }
}

/// How many `super::` lead from `file` to the gui module: one from a file
/// directly in gui/ or from a folder's `mod.rs`, two from a file in a folder.
fn depth_in(gui: &Path, file: &Path) -> usize {
    let rel = file.strip_prefix(gui).unwrap();
    let components = rel.iter().count();
    if rel.file_name().is_some_and(|n| n == "mod.rs") {
        components - 1
    } else {
        components
    }
}

/// The parts of the window `code` (in `part`, `depth` levels below gui/)
/// refers to.
fn references(part: &str, code: &str, depth: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let top_level = depth <= 1;
    let mut add = |name: &str, rest: &str| {
        let name = if name == "panels" {
            match rest
                .strip_prefix("::")
                .and_then(|r| r.split(|c: char| !c.is_alphanumeric() && c != '_').next())
            {
                Some(panel) if !panel.is_empty() => format!("panels::{panel}"),
                _ => "panels".to_owned(),
            }
        } else {
            name.to_owned()
        };
        found.insert(name);
    };
    let mut scan = |prefix: &str, code: &str| {
        let mut at = 0;
        while let Some(i) = code[at..].find(prefix) {
            let start = at + i + prefix.len();
            let name: String = code[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let rest = &code[start + name.len()..];
            if !name.is_empty() {
                add(&name, rest);
            }
            at = start;
        }
    };
    scan("crate::gui::", code);
    if top_level {
        // `super::` of a file directly in gui/ is the gui module.
        let code = code.replace("super::super::", "");
        scan("super::", &code);
    } else {
        scan("super::super::", code);
    }
    found.retain(|name| name != part && !part.starts_with(&format!("{name}::")));
    found
}

fn gui_graph() -> BTreeMap<String, BTreeSet<String>> {
    let gui = src().join("gui");
    let mut files = Vec::new();
    rust_files(&gui, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(part) = part_of(&gui, &file) else {
            continue;
        };
        let code = code_of(&fs::read_to_string(&file).unwrap());
        // Tests inside a file may reach anywhere.
        let code = code.split("#[cfg(test)]").next().unwrap_or_default();
        let refs = references(&part, code, depth_in(&gui, &file));
        graph.entry(part).or_default().extend(refs);
    }
    graph
}

/// Collapses `panels::x` to `panels` for the layer graph.
fn layer(name: &str) -> &str {
    name.split("::").next().unwrap_or(name)
}

#[test]
fn the_window_layers_import_each_other_without_circles() {
    let graph = gui_graph();
    let mut layers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (part, refs) in &graph {
        let entry = layers.entry(layer(part)).or_default();
        for r in refs {
            if layer(r) != layer(part) {
                entry.insert(layer(r));
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        layers: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(node) {
            return;
        }
        assert!(
            !path.contains(&node),
            "import circle: {} -> {node}",
            path.join(" -> ")
        );
        path.push(node);
        for next in layers.get(node).into_iter().flatten() {
            visit(next, layers, path, done);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for node in layers.keys() {
        visit(node, &layers, &mut Vec::new(), &mut done);
    }
    // The direction the house is built in.
    let allowed: &[(&str, &[&str])] = &[
        ("view", &[]),
        ("commands", &[]),
        ("settings", &[]),
        ("theme", &[]),
        ("single_instance", &[]),
        ("raster", &[]),
        ("app", &["view", "commands", "settings", "single_instance"]),
        ("widgets", &["app", "view", "commands", "settings", "theme"]),
        (
            "panels",
            &["app", "view", "commands", "settings", "theme", "widgets"],
        ),
        ("frame", &["app", "view", "commands", "settings", "panels"]),
        (
            "host",
            &["app", "frame", "settings", "single_instance", "raster"],
        ),
    ];
    for (part, refs) in &layers {
        let Some((_, ok)) = allowed.iter().find(|(p, _)| p == part) else {
            panic!("{part}: a part of the window ARCHITECTURE.md does not know");
        };
        for r in refs {
            assert!(ok.contains(r), "{part} must not import {r}");
        }
    }
}

#[test]
fn panels_do_not_import_each_other() {
    for (part, refs) in gui_graph() {
        if part.starts_with("panels::") {
            let others: Vec<&String> = refs.iter().filter(|r| r.starts_with("panels")).collect();
            assert!(others.is_empty(), "{part} imports {others:?}");
        }
    }
}

#[test]
fn the_view_layer_and_the_app_never_draw() {
    let gui = src().join("gui");
    let mut files = Vec::new();
    rust_files(&gui.join("view"), &mut files);
    files.push(gui.join("app.rs"));
    for file in files {
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let code = code.split("#[cfg(test)]").next().unwrap_or_default();
        let is_view = file.starts_with(gui.join("view"));
        for word in [
            "eframe::",
            "egui::Ui",
            "egui::Painter",
            "egui::Window",
            "Panel::",
        ] {
            assert!(!code.contains(word), "{} uses {word}", file.display());
        }
        if is_view {
            assert!(!code.contains("egui::"), "{} uses egui", file.display());
        }
    }
}

#[test]
fn every_module_says_what_it_owns_and_no_file_is_too_long() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(src()).unwrap().display().to_string();
        let is_test_file = name.ends_with("tests.rs") || name.ends_with("_tests.rs");
        if !is_test_file {
            assert!(
                text.trim_start().starts_with("//!"),
                "{name} does not start with a //! line"
            );
            let lines = text.lines().count();
            assert!(
                lines <= MAX_LINES,
                "{name} has {lines} lines (at most {MAX_LINES})"
            );
        }
    }
}
