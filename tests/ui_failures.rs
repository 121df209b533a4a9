//! A panic in a background job never looks like a hang: faults injected
//! into real jobs (through `logweave::jobs::arm_fault`) show as "Indexing
//! failed: …" or a failed step naming the file, and the other tabs keep
//! working. Faults are process-wide, so this test binary holds only tests
//! that arm them, each on a subject no other test uses.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use egui_kittest::kittest::{By, Queryable};
use logweave::gui::Settings;
use logweave::jobs::arm_fault;

mod common;
use common::{copied, find, harness, idle, sample, settle};

/// A copy of the bundled sample under `name` in a fresh temporary folder.
fn sample_copy(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::copy(sample(), &path).expect("copy the sample");
    path
}

#[test]
fn a_panic_while_indexing_shows_in_its_tab_and_other_tabs_work() {
    let dir = tempfile::tempdir().unwrap();
    let panic_log = dir.path().join("panics.log");
    logweave::jobs::report_job_panics_to(Some(panic_log.clone()));
    let broken = sample_copy(&dir, "index-panics.log");
    arm_fault("index", "index-panics.log");
    let mut h = harness(&[broken.clone(), sample()], Settings::default());
    settle(&mut h, "both tabs to stop working", idle);
    let app = h.state();
    assert_eq!(app.tabs.len(), 2);
    // The tab of the broken file is not "Reading…" forever: it says why.
    assert!(app.tabs[0].busy().is_none(), "not indexing forever");
    let problem = app.tabs[0]
        .primary()
        .doc()
        .problem()
        .expect("a problem")
        .to_string();
    assert!(
        problem.starts_with("indexing failed: internal error (injected fault at index"),
        "{problem}"
    );
    h.state_mut().active = 0;
    h.run_steps(2);
    // One line above the rows, naming the file.
    let shown = format!(
        "Indexing failed: internal error (injected fault at index for {}",
        broken.display()
    );
    h.get(By::new().label_contains(&shown));
    // "Copy details" copies the failure and the panic's report, which is
    // also in panics.log.
    h.get_by_label("Copy details").click();
    h.step();
    let copied = copied(&h);
    let report = copied.last().expect("details copied");
    assert!(report.starts_with(&shown), "{report}");
    assert!(
        report.contains("\nmessage: injected fault at index"),
        "{report}"
    );
    assert!(report.contains("\nbacktrace:\n"), "{report}");
    let logged = std::fs::read_to_string(&panic_log).expect("panics.log written");
    assert!(
        logged.contains("message: injected fault at index"),
        "{logged}"
    );
    // The other tab is whole.
    h.state_mut().active = 1;
    h.run_steps(2);
    h.get_by_label("Records: 205");
    h.get_by_label("Errors: 10");
    assert_eq!(h.state().tabs[1].primary().doc().problem(), None);
}

#[test]
fn a_panic_in_a_find_job_is_reported_and_the_tab_keeps_working() {
    arm_fault("job", "logweave-find");
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    find(&mut h, "contoso vpn");
    let failure = h.state().tabs[0]
        .primary()
        .failure
        .clone()
        .expect("the failure is kept");
    assert!(
        failure.starts_with("Find failed: internal error (injected fault at job"),
        "{failure}"
    );
    h.get(By::new().label_contains("Find failed"));
    // Everything else still works: the next error is selected with F8.
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    assert!(h.state().tabs[0].primary().cursor_record().is_some());
    h.get_by_label("Records: 205");
}
