//! Bundles in the window, driven headlessly through egui_kittest: a zip of
//! logs and a folder open in the bundle panel (as the command line and a
//! drop open them), their logs listed in a tree with the counts indexing
//! found, the recognised sets opened as one timeline, a path into an archive
//! opened as a tab, and damaged entries named.
#![cfg(feature = "gui")]

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use logweave::document::{LogDocument, OpenOptions};
use logweave::gui::{LogWeaveApp, Settings, TreeRow};
use zip::write::SimpleFileOptions;

mod common;
use common::{Dropped, harness, idle, settle};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Where each fixture goes in the bundle.
const LAYOUT: &[(&str, &str)] = &[
    (
        "Windows/CCM/Logs/SMSTSLog/smsts.log",
        "ts/chain/Windows/CCM/Logs/SMSTSLog/smsts.log",
    ),
    (
        "Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log",
        "ts/chain/Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log",
    ),
    (
        "_SMSTaskSequence/Logs/Smstslog/smsts.log",
        "ts/chain/_SMSTaskSequence/Logs/Smstslog/smsts.log",
    ),
    ("Windows/CCM/Logs/CcmExec.log", "ccm_crlf_multiline.log"),
    ("Windows/CCM/Logs/CcmExec.lo_", "ccm_text_between.log"),
    ("Windows/Logs/CBS/CBS.log", "cbs_levels.log"),
];

/// A zip laid out like a collected `C:\` with [`LAYOUT`], plus a damaged
/// nested archive.
fn make_zip(dir: &Path) -> PathBuf {
    let path = dir.join("PC042-logs.zip");
    let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
    for (name, fixture) in LAYOUT {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(data(fixture)).unwrap())
            .unwrap();
    }
    zip.start_file("Windows/Temp/broken.zip", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"PK\x03\x04 this is not an archive").unwrap();
    zip.finish().unwrap();
    path
}

/// A folder laid out the same way.
fn make_folder(dir: &Path) -> PathBuf {
    let root = dir.join("collected");
    for (name, fixture) in LAYOUT {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(data(fixture), path).unwrap();
    }
    root
}

/// What indexing the fixture finds, as the bundle panel's row says it.
fn counts_words(fixture: &str) -> String {
    let doc = LogDocument::open_blocking(&data(fixture), OpenOptions::default()).unwrap();
    let counts = doc.counts();
    format!("{} errors, {} warnings", counts.errors, counts.warnings)
}

fn listed(app: &LogWeaveApp) -> bool {
    app.bundle.is_open() && app.bundle.listing.is_some() && !app.bundle.is_busy()
}

/// Every log's row says what indexing found in it.
fn assert_rows_show_counts(h: &Harness<'static, LogWeaveApp>) {
    for (name, fixture) in LAYOUT {
        h.get_by_label_contains(&format!("{name}: {}", counts_words(fixture)));
    }
}

#[test]
fn a_zip_lists_its_logs_with_their_counts_and_opens_the_smsts_chain_merged() {
    let dir = tempfile::tempdir().unwrap();
    let zip = make_zip(dir.path());
    // As `logweave PC042-logs.zip` opens it.
    let mut h = harness(std::slice::from_ref(&zip), Settings::default());
    settle(&mut h, "the listing and the summaries", listed);
    h.run_steps(2);
    let app = h.state();
    assert!(
        app.tabs.is_empty(),
        "a bundle opens in the panel, not a tab"
    );
    assert_eq!(app.bundle.root.as_deref(), Some(zip.as_path()));
    assert_eq!(app.bundle.entries().len(), LAYOUT.len());
    // The tree: folders, then their logs.
    let folders: Vec<&str> = app
        .bundle
        .tree
        .iter()
        .filter_map(|r| match r {
            TreeRow::Folder { key, .. } => Some(key.as_str()),
            TreeRow::File { .. } => None,
        })
        .collect();
    assert!(
        folders.contains(&"Windows/CCM/Logs/SMSTSLog"),
        "{folders:?}"
    );
    h.get_by_label("folder Windows/CCM/Logs, 4 logs");
    assert_rows_show_counts(&h);
    h.get_by_role_and_label(Role::Label, "Time range (UTC)");
    // The damaged nested archive is named, the rest still listed.
    h.get_by_label_contains("1 problem while listing");
    h.get_by_label_contains("broken.zip");
    // The sets: the smsts.log chain (with triage) and CcmExec's rollover.
    h.get_by_role_and_label(Role::Label, "Task sequence");
    h.get_by_role_and_label(Role::Label, "Rollover");
    h.get_by_role_and_label(Role::Button, "Failure triage");
    {
        let opens: Vec<_> = h
            .get_all_by_role_and_label(Role::Button, "Open merged")
            .collect();
        assert_eq!(opens.len(), 2, "one per set");
        opens[0].click();
    }
    h.run_steps(2);
    settle(&mut h, "the chain opening and merging", |app| {
        !app.is_opening() && !app.tabs.is_empty() && idle(app)
    });
    let app = h.state();
    let tab = app.active_tab().unwrap();
    assert!(tab.is_merged());
    assert_eq!(tab.sources.len(), 3, "the three copies of smsts.log");
    let names: BTreeSet<String> = tab.sources.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "smsts.log".to_owned(),
            "smsts-20261103-093310.log".to_owned()
        ])
    );
    // The copies as decompressed hold the fixtures' records, and the
    // timeline shows records of every copy.
    for source in &tab.sources {
        assert!(source.doc.record_count() > 10, "{}", source.name());
    }
    // The copies overlap (the last is copied from another at the end):
    // their shared records show once.
    let sources_shown = |tab: &logweave::gui::LogTab| -> BTreeSet<usize> {
        (0..tab.view_len())
            .filter_map(|r| tab.entry_at(r))
            .map(|(source, _)| source)
            .collect()
    };
    assert!(tab.merge.as_ref().unwrap().hide_duplicates);
    assert!(sources_shown(tab).len() >= 2, "{:?}", sources_shown(tab));
    let together: usize = tab.sources.iter().map(|s| s.doc.record_count()).sum();
    assert!(tab.view_len() < together);
    // Shown all, every record of every copy is in the one timeline.
    h.state_mut()
        .active_tab_mut()
        .unwrap()
        .set_hide_duplicates(false);
    settle(&mut h, "the merged order", idle);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.view_len(), together);
    assert_eq!(sources_shown(tab), BTreeSet::from([0, 1, 2]));
    // Closing the panel keeps the tab.
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run_steps(2);
    assert!(!h.state().bundle.is_open());
    assert_eq!(h.state().tabs.len(), 1);
}

#[test]
fn a_path_into_a_zip_opens_that_entry_in_a_tab() {
    let dir = tempfile::tempdir().unwrap();
    let zip = make_zip(dir.path());
    let entry = zip.join("windows/ccm/logs/CcmExec.log"); // any case
    let mut h = harness(&[entry], Settings::default());
    settle(&mut h, "the entry opening and indexing", |app| {
        !app.is_opening() && !app.tabs.is_empty() && idle(app)
    });
    let app = h.state();
    assert!(!app.bundle.is_open());
    let tab = app.active_tab().unwrap();
    assert_eq!(tab.title(), "CcmExec.log");
    let expected =
        LogDocument::open_blocking(&data("ccm_crlf_multiline.log"), OpenOptions::default())
            .unwrap()
            .record_count();
    assert_eq!(tab.doc().record_count(), expected);
    // A path to nothing says so.
    let mut h = harness(&[zip.join("nothing/here.log")], Settings::default());
    settle(&mut h, "the path looked at", |app| !app.is_opening());
    h.run_steps(2);
    assert!(h.state().tabs.is_empty());
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text.contains("nothing/here.log")),
        "{:?}",
        h.state().notices
    );
}

#[test]
fn a_dropped_folder_opens_in_the_bundle_panel_and_a_click_opens_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let folder = make_folder(dir.path());
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(folder.clone())));
    h.step();
    settle(&mut h, "the listing and the summaries", listed);
    h.run_steps(2);
    assert_eq!(h.state().bundle.root.as_deref(), Some(folder.as_path()));
    assert_rows_show_counts(&h);
    // No problems in a clean folder.
    assert!(h.query_by_label_contains("while listing").is_none());
    // Fold a folder: its logs leave the tree, then come back.
    h.get_by_label("folder Windows/Logs/CBS, 1 log").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Windows/Logs/CBS/CBS.log:")
            .is_none()
    );
    h.get_by_label("folder Windows/Logs/CBS, 1 log").click();
    h.run_steps(2);
    h.get_by_label_contains("Windows/Logs/CBS/CBS.log:").click();
    h.run_steps(2);
    settle(&mut h, "the log opening", |app| {
        !app.is_opening() && !app.tabs.is_empty() && idle(app)
    });
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.title(), "CBS.log");
    assert_eq!(tab.doc().path(), folder.join("Windows/Logs/CBS/CBS.log"));
    // Failure triage opens the chain with the Task sequence panel.
    h.get_by_role_and_label(Role::Button, "Failure triage")
        .click();
    h.run_steps(2);
    settle(&mut h, "the chain, its merge and its outline", |app| {
        !app.is_opening()
            && app.tabs.len() == 2
            && idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some())
    });
    let app = h.state();
    assert!(app.outline_shown());
    let tab = app.active_tab().unwrap();
    assert_eq!(tab.sources.len(), 3);
    assert!(!tab.outline.outline.as_ref().unwrap().steps.is_empty());
}

/// `logweave --merge` and `--compare` take entry paths and bundles too: the
/// entries are opened in the background and merged (or compared) with a
/// plain file given beside them.
#[test]
fn merge_and_compare_take_entry_paths() {
    let dir = tempfile::tempdir().unwrap();
    let zip = make_zip(dir.path());
    let plain = data("cbs_levels.log");
    let entry = zip.join("Windows/CCM/Logs/CcmExec.log");
    let records = |path: &Path| {
        LogDocument::open_blocking(path, OpenOptions::default())
            .unwrap()
            .record_count()
    };
    // The window as `logweave --merge` / `--compare FILE...` opens it.
    let opened_as = |layout: logweave::gui::Layout| {
        let files = vec![entry.clone(), plain.clone()];
        Harness::builder()
            .with_size(egui::vec2(1200.0, 760.0))
            .build_eframe(move |_cc| {
                LogWeaveApp::with_layout(Settings::default(), &files, layout, None)
            })
    };
    let mut h = opened_as(logweave::gui::Layout::Merged);
    settle(&mut h, "the entry opened and merged", |app| {
        !app.is_opening() && !app.tabs.is_empty() && idle(app)
    });
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.sources.len(), 2, "one merged view of both");
    let total: usize = tab.sources.iter().map(|s| s.doc.record_count()).sum();
    assert_eq!(
        total,
        records(&data("ccm_crlf_multiline.log")) + records(&plain)
    );
    let mut h = opened_as(logweave::gui::Layout::Compare);
    settle(&mut h, "the entry opened and compared", |app| {
        !app.is_opening() && !app.tabs.is_empty()
    });
    assert!(matches!(h.state().tabs[0], logweave::gui::Tab::Compare(_)));
}
