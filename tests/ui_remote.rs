//! File > Open from computer, driven headlessly through egui_kittest, with
//! `LOGWEAVE_REMOTE_ROOT` naming a temporary folder laid out like `C:\` that
//! stands for `\\PC042\c$`: a bad name is refused before the network is
//! asked, each well-known log folder says whether it is reachable (with its
//! logs) or why not, and a reachable one opens in the bundle panel. Alone in
//! its test binary: it sets an environment variable.
#![cfg(feature = "gui")]

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use logweave::gui::{Command, FolderState, Settings};

mod common;
use common::{harness, settle, text_input};

const HOST_BOX: &str = "computer name, e.g. PC042";

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn open_from_computer_shows_the_reachable_log_folders_and_opens_one() {
    let drive = tempfile::tempdir().unwrap();
    let logs = drive.path().join("Windows/CCM/Logs");
    std::fs::create_dir_all(logs.join("SMSTSLog")).unwrap();
    std::fs::copy(fixture("ccm_crlf_multiline.log"), logs.join("CcmExec.log")).unwrap();
    std::fs::copy(fixture("ccm_text_between.log"), logs.join("CcmExec.lo_")).unwrap();
    std::fs::copy(
        fixture("ts/chain/Windows/CCM/Logs/SMSTSLog/smsts.log"),
        logs.join("SMSTSLog/smsts.log"),
    )
    .unwrap();
    std::fs::create_dir_all(drive.path().join("Windows/Panther")).unwrap();
    std::fs::copy(
        fixture("plain_wu_no_level.log"),
        drive.path().join("Windows/Panther/setupact.log"),
    )
    .unwrap();
    #[allow(unsafe_code)]
    // SAFETY: the only test of this binary, and it sets the variable before
    // starting anything that could read the environment on another thread.
    unsafe {
        std::env::set_var("LOGWEAVE_REMOTE_ROOT", drive.path());
    }
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    h.state_mut().request(Command::OpenFromComputer);
    h.run_steps(3);
    h.get_by_label("Open from computer");
    // A share path is not a computer name: refused, nothing looked at.
    let host = text_input(&h, HOST_BOX);
    host.focus();
    host.type_text(r"\\PC042\c$");
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Connect").click();
    h.run_steps(2);
    h.get_by_label_contains("not a slash");
    assert!(h.state().remote.folders.is_empty());
    // A computer name: every well-known folder is looked at.
    h.state_mut().remote.host = "PC042".to_owned();
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Connect").click();
    h.run_steps(2);
    settle(&mut h, "the folders looked at", |app| {
        !app.remote.is_checking() && !app.remote.folders.is_empty()
    });
    h.run_steps(2);
    assert_eq!(h.state().settings.recent_hosts, ["PC042"]);
    h.get_by_label("Log folders on PC042");
    let states: Vec<(&str, FolderState)> = h
        .state()
        .remote
        .folders
        .iter()
        .map(|f| (f.label, f.state.clone()))
        .collect();
    assert_eq!(states.len(), 9, "{states:?}");
    assert_eq!(
        states[0].1,
        FolderState::Reachable(2),
        "CCM\\Logs: {states:?}"
    );
    h.get_by_label("reachable, 2 logs");
    assert_eq!(h.get_all_by_label("reachable, 1 log").count(), 2);
    // Folders the computer does not have are said so, quietly: not errors.
    let missing = h
        .get_all_by_label(logweave::bundle::remote::MISSING)
        .count();
    assert_eq!(missing, 6, "{states:?}");
    assert_eq!(h.query_all_by_label_contains("not reachable: ").count(), 0);
    // The recent hosts are offered.
    h.get_by_role_and_label(Role::Button, "PC042");
    // Open the ConfigMgr client's logs in the bundle panel.
    {
        let opens: Vec<_> = h.get_all_by_role_and_label(Role::Button, "Open").collect();
        assert_eq!(opens.len(), 9);
        opens[0].click();
    }
    h.run_steps(2);
    settle(&mut h, "the bundle's listing and summaries", |app| {
        app.bundle.listing.is_some() && !app.bundle.is_busy()
    });
    h.run_steps(2);
    let app = h.state();
    assert!(!app.remote.open, "the dialog closes");
    assert_eq!(app.bundle.root.as_deref(), Some(logs.as_path()));
    assert_eq!(app.bundle.entries().len(), 3);
    h.get_by_role_and_label(Role::Label, "Rollover");
    h.get_by_label_contains("CcmExec.lo_: ");
    h.get_by_label_contains("SMSTSLog/smsts.log: ");
}
