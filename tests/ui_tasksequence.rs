//! The task-sequence features of the window, driven headlessly through
//! egui_kittest: the Task sequence panel beside smsts.log, opening every
//! smsts.log copy of a folder as one chain, and comparing two runs.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use logweave::gui::{Layout, LogWeaveApp, Settings};

mod common;
use common::{Dropped, harness, idle, sample, settle};

fn ts_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts")
        .join(name)
}

#[test]
fn the_outline_panel_shows_the_steps_and_jumps_to_a_failed_one() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing and the outline", |app| {
        idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some())
    });
    h.run_steps(2);
    // The heading (the toolbar has a "Task sequence" button too).
    h.get_by_role_and_label(Role::Label, "Task sequence");
    h.get_by_label(
        "Failed at step \"Install Contoso VPN Client 7.4.108\" with code 0x80070643 (ERROR_INSTALL_FAILURE)",
    );
    // The failed step is a row of the tree; clicking it selects its first record.
    h.get_by_role_and_label(Role::Button, "failed Install Contoso VPN Client 7.4.108")
        .click();
    h.run_steps(2);
    let app = h.state();
    let tab = app.active_tab().unwrap();
    let record = tab.cursor_record().expect("a selected record");
    let message = tab.doc().row(record).unwrap().fields.message;
    assert!(
        message.starts_with(
            "Start executing an instruction. Instruction name: Install Contoso VPN Client 7.4.108."
        ),
        "{message}"
    );
    // Narrow the view to that step's records, then show everything again.
    let total = tab.view_len();
    h.get_by_role_and_label(Role::CheckBox, "Records of the selected step only")
        .click();
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    let shown = tab.view_len();
    assert!(shown > 3 && shown < total / 4, "{shown} of {total}");
    let step = &tab.outline.outline.as_ref().unwrap().steps[tab.outline.selected.unwrap()];
    assert_eq!(tab.entry_at(0), Some((0, step.first_record)));
    assert_eq!(tab.entry_at(shown - 1), Some((0, step.last_record)));
    h.get_by_label_contains(
        "Showing the records of step “Install Contoso VPN Client 7.4.108” only.",
    );
    h.get_by_role_and_label(Role::Button, "Show all records")
        .click();
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().view_len(), total);
    // Ctrl+T hides the panel.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run_steps(2);
    assert!(!h.state().outline_shown());
    assert!(
        h.query_by_label("Records of the selected step only")
            .is_none()
    );
}

#[test]
fn a_dropped_folder_opens_its_smsts_copies_as_one_chain() {
    // A dropped folder opens in the bundle panel, which offers the copies
    // of smsts.log as one chain.
    let folder = ts_fixture("chain");
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(folder.clone())));
    h.step();
    settle(&mut h, "the bundle panel's listing", |app| {
        app.bundle.listing.is_some()
    });
    h.run_steps(2);
    let found = h.state().bundle.entries().len();
    assert!(found >= 2, "found {found} copies");
    h.get_by_label_contains(&format!("{found} copies of smsts.log"));
    h.get_by_role_and_label(Role::Button, "Failure triage")
        .click();
    h.run_steps(2);
    settle(&mut h, "indexing, merging and the outline", |app| {
        !app.is_opening()
            && idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some())
    });
    let app = h.state();
    let tab = app.active_tab().unwrap();
    assert_eq!(tab.sources.len(), found);
    let merge = tab.merge.as_ref().expect("a merged view");
    assert!(merge.hide_duplicates, "overlaps are hidden");
    // Every record of the chain appears once: fewer rows than all copies together.
    let together: usize = tab.sources.iter().map(|s| s.doc.record_count()).sum();
    assert!(tab.view_len() < together);
    assert!(app.outline_shown());
    let outline = tab.outline.outline.as_ref().unwrap();
    assert!(!outline.steps.is_empty());
    // Each step's name appears once although the copies overlap.
    let mut names: Vec<(&str, Option<u32>)> = outline
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.pointer))
        .collect();
    let before = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), before, "{:?}", outline.steps);
}

fn compare_harness() -> egui_kittest::Harness<'static, LogWeaveApp> {
    let (a, b) = (ts_fixture("compare/a.log"), ts_fixture("compare/b.log"));
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_eframe(move |_cc| {
            LogWeaveApp::with_layout(
                Settings::default(),
                &[a.clone(), b.clone()],
                Layout::Compare,
                None,
            )
        })
}

/// Pane B of the active comparison.
fn pane_b(app: &LogWeaveApp) -> &logweave::gui::LogTab {
    &app.active_compare().expect("a comparison").b
}

/// The message of the record pane A (or B) shows in aligned row `row`.
fn pane_message(app: &LogWeaveApp, b: bool, row: usize) -> Option<String> {
    let compare = app.active_compare()?;
    let pane = if b { &compare.b } else { &compare.a };
    let (_, record) = pane.entry_at(row)?;
    Some(pane.doc().row(record)?.fields.message)
}

#[test]
fn the_compare_view_lines_up_two_runs_by_step_and_walks_their_differences() {
    let mut h = compare_harness();
    settle(&mut h, "indexing and lining up", |app| {
        idle(app) && app.active_compare().is_some_and(|c| c.comparison.is_some())
    });
    h.run_steps(2);
    h.get_by_label("a.log | b.log");
    // The summary: per step, A and B and how they differ.
    h.get_by_label("Install Zoom 6.0 (x64)");
    h.get_by_label("only in B");
    h.get_by_label("failed in one, exit code");
    h.get_by_label("failed, continued on error (0x80070643)");
    let app = h.state();
    let tab = app.active_tab().unwrap();
    let comparison = app.active_compare().unwrap().comparison.clone().unwrap();
    // Both panes have as many rows as the comparison, gaps included.
    assert_eq!(tab.view_len(), comparison.rows().len());
    assert_eq!(pane_b(app).view_len(), comparison.rows().len());
    // The same step starts on the same row of both panes.
    let vpn = comparison
        .steps()
        .iter()
        .find(|s| s.name == "Install Contoso VPN 7.4.108")
        .unwrap();
    let row = vpn.row.unwrap();
    for b in [false, true] {
        assert_eq!(
            pane_message(app, b, row).unwrap(),
            "Start executing an instruction. Instruction name: Install Contoso VPN 7.4.108. Instruction pointer: 3"
        );
    }
    // The step only B ran: rows with B's records and gaps in A.
    let zoom = comparison
        .steps()
        .iter()
        .find(|s| s.name == "Install Zoom 6.0 (x64)")
        .unwrap();
    let zoom_row = zoom.row.unwrap();
    assert!(pane_message(app, false, zoom_row).is_none());
    assert!(
        pane_message(app, true, zoom_row)
            .unwrap()
            .contains("Instruction name: Install Zoom 6.0 (x64)")
    );
    // F6 walks the differences; both panes select the same row.
    let mut seen = Vec::new();
    for _ in 0..comparison.difference_count() {
        h.key_press(egui::Key::F6);
        h.run_steps(2);
        let tab = h.state().active_tab().unwrap();
        let cursor = tab.view.cursor.expect("a difference selected");
        assert_eq!(pane_b(h.state()).view.cursor, Some(cursor));
        seen.push(cursor);
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(seen.contains(&zoom_row) && seen.contains(&row));
    // Scrolling one pane scrolls the other.
    h.key_press(egui::Key::Home);
    h.run_steps(2);
    for _ in 0..3 {
        h.key_press(egui::Key::PageDown);
        h.run_steps(2);
    }
    let tab = h.state().active_tab().unwrap();
    assert!(tab.view.top > 0);
    assert_eq!(tab.view.top, pane_b(h.state()).view.top);
    // By message: a diff of the whole files.
    h.get_by_role_and_label(Role::Button, "By message").click();
    h.run_steps(2);
    settle(&mut h, "lining up by message", |app| {
        idle(app)
            && app.active_compare().is_some_and(|c| {
                !c.is_aligning() && c.comparison.as_ref().is_some_and(|x| x.steps().is_empty())
            })
    });
    let tab = h.state().active_tab().unwrap();
    let (a, b) = (
        tab.doc().record_count(),
        pane_b(h.state()).doc().record_count(),
    );
    let rows = tab.view_len();
    assert!(
        rows >= a.max(b) && rows < a + b,
        "{rows} rows for {a} and {b} records"
    );
}

/// The window as `logweave --task-sequence FOLDER` opens it.
fn task_sequence_harness(folder: PathBuf) -> egui_kittest::Harness<'static, LogWeaveApp> {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_eframe(move |_cc| {
            LogWeaveApp::with_layout(
                Settings::default(),
                std::slice::from_ref(&folder),
                Layout::TaskSequence,
                None,
            )
        })
}

/// `logweave --task-sequence FOLDER`: the copies found open as one chain at
/// once, with no dialog to click through.
#[test]
fn task_sequence_layout_opens_the_chain_it_finds() {
    let mut h = task_sequence_harness(ts_fixture("chain"));
    settle(&mut h, "the search, indexing and the outline", |app| {
        !app.chain.is_searching()
            && idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some())
    });
    let app = h.state();
    assert!(!app.chain.open, "no dialog left to click");
    let tab = app.active_tab().unwrap();
    assert!(tab.sources.len() >= 2, "the copies of the chain");
    assert!(tab.merge.as_ref().is_some_and(|m| m.hide_duplicates));
    assert!(app.outline_shown());
}

/// Nothing found: the dialog stays and says so.
#[test]
fn task_sequence_layout_says_when_nothing_is_found() {
    let empty = tempfile::tempdir().unwrap();
    let mut h = task_sequence_harness(empty.path().to_owned());
    settle(&mut h, "the search", |app| !app.chain.is_searching());
    h.run_steps(2);
    assert!(h.state().tabs.is_empty());
    h.get_by_label_contains("No smsts.log found in");
}

#[test]
fn the_diagnosis_strip_says_what_failed_and_jumps_to_it() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing and the triage", |app| {
        idle(app) && app.active_tab().is_some_and(|t| t.outline.triage.is_some())
    });
    h.run_steps(2);
    h.get_by_label(
        "Failed at step \"Install Contoso VPN Client 7.4.108\" with 0x80070643 (ERROR_INSTALL_FAILURE)",
    );
    h.get_by_role_and_label(Role::Button, "Jump to failure")
        .click();
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    let record = tab.cursor_record().expect("a selected record");
    let message = tab.doc().row(record).unwrap().fields.message;
    assert!(
        message.starts_with("Failed to run the action: Install Contoso VPN Client 7.4.108."),
        "{message}"
    );
    // The evidence opens under the strip; each line leads to its record.
    h.get_by_role_and_label(Role::Button, "Show evidence")
        .click();
    h.run_steps(2);
    h.get(
        By::new()
            .role(Role::Link)
            .label_contains("Installation job completed with exit code 0x80070643"),
    )
    .click();
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    let record = tab.cursor_record().unwrap();
    assert!(
        tab.doc()
            .row(record)
            .unwrap()
            .fields
            .message
            .contains("0x80070643")
    );
}

#[test]
fn a_completed_run_says_so_in_one_line() {
    // The strip is for smsts.log (and its copies), by name.
    let dir = tempfile::tempdir().unwrap();
    let smsts = dir.path().join("smsts.log");
    std::fs::copy(ts_fixture("success-reboot.log"), &smsts).unwrap();
    let mut h = harness(&[smsts], Settings::default());
    settle(&mut h, "indexing and the triage", |app| {
        idle(app) && app.active_tab().is_some_and(|t| t.outline.triage.is_some())
    });
    h.run_steps(2);
    h.get_by_label("The task sequence completed successfully");
    assert!(h.query_by_label("Jump to failure").is_none());
}

#[test]
fn the_diagnosis_window_ranks_errors_and_jumps_to_the_first() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::D,
    );
    settle(&mut h, "the ranking", |app| {
        app.active_tab().is_some_and(|t| t.ranked.groups.is_some())
    });
    h.run_steps(2);
    let groups = h
        .state()
        .active_tab()
        .unwrap()
        .ranked
        .groups
        .clone()
        .unwrap();
    let first = &groups[0];
    let first_line = first.message.lines().next().unwrap().to_owned();
    h.get(By::new().role(Role::Link).label(&first_line)).click();
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.cursor_record(), Some(first.first.1));
    let first_error = tab
        .doc()
        .next_of_severity(
            None,
            logweave::model::Severity::Error,
            logweave::model::Direction::Forward,
        )
        .unwrap();
    assert_eq!(first.first.1, first_error);
}

/// Issue 19 §11: the Task sequence panel comes for any log with the
/// engine's lines, whatever the file is called, and not for other logs.
#[test]
fn the_panel_comes_for_engine_lines_whatever_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("PC042-deployment.txt");
    std::fs::copy(common::sample(), &renamed).unwrap();
    let plain = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cbs_levels.log");
    let mut h = common::harness(&[renamed, plain], logweave::gui::Settings::default());
    common::settle(&mut h, "both logs looked at", |app| {
        common::idle(app) && app.tabs.iter().all(|t| !t.primary().outline.sniffing())
    });
    assert!(h.state().tabs[0].primary().outline.wanted, "engine lines");
    assert!(!h.state().tabs[1].primary().outline.wanted, "a CBS log");
}

#[test]
fn a_winpe_copy_cut_at_its_reboot_says_it_restarted_into_the_full_os() {
    // The WinPE copy of a run: smsts.log up to `Calling RebootSystem()`.
    let whole = std::fs::read(ts_fixture("success-reboot.log")).unwrap();
    let marker = b"Calling RebootSystem()";
    let at = whole
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    let end = at + whole[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let dir = tempfile::tempdir().unwrap();
    let smsts = dir.path().join("smsts.log");
    std::fs::write(&smsts, &whole[..end]).unwrap();
    let mut h = harness(&[smsts], Settings::default());
    settle(&mut h, "indexing, the outline and the triage", |app| {
        idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some() && t.outline.triage.is_some())
    });
    h.run_steps(2);
    // The panel's header and the diagnosis strip say it alike.
    let restarted = "Restarted into the full OS — continues in the full OS copy of smsts.log";
    assert_eq!(h.query_all_by_label(restarted).count(), 2);
    assert!(
        h.query_by_label_contains("Running (no end logged)")
            .is_none()
    );
    assert!(h.query_by_label_contains("No end logged yet").is_none());
    // Succeeded steps are listed as such (their mark is a green check).
    h.get_by_role_and_label(Role::Button, "succeeded Partition Disk 0 - UEFI");
}

#[test]
fn a_comparison_says_which_side_is_selected_and_marks_the_words_that_differ() {
    let mut h = compare_harness();
    settle(&mut h, "indexing and lining up", |app| {
        idle(app) && app.active_compare().is_some_and(|c| c.comparison.is_some())
    });
    h.run_steps(2);
    // The log text gets the panes' width: no detail columns unless asked.
    assert!(!h.state().active_compare().unwrap().show_columns);
    h.get_by_label("A (left)");
    // A row where both runs logged a record, in other words.
    let rows = h
        .state()
        .active_compare()
        .unwrap()
        .comparison
        .clone()
        .unwrap()
        .rows()
        .len();
    let row = (0..rows)
        .find(|&r| {
            let app = h.state();
            match (pane_message(app, false, r), pane_message(app, true, r)) {
                (Some(a), Some(b)) => a != b && a.len() < 200,
                _ => false,
            }
        })
        .expect("a changed pair");
    let (a, b) = {
        let app = h.state();
        (
            pane_message(app, false, row).unwrap(),
            pane_message(app, true, row).unwrap(),
        )
    };
    let Some(logweave::gui::Tab::Compare(compare)) = h.state_mut().tabs.get_mut(0) else {
        panic!("a comparison");
    };
    compare.select_row(row);
    h.run_steps(3);
    h.get_by_label("Side");
    assert_eq!(h.query_all_by_label("A (left)").count(), 2);
    // The details pane: both records of the row, one line each.
    let first_line = |t: &str| t.lines().next().unwrap_or_default().to_owned();
    h.get_by_label(&format!("A  {}", first_line(&a)));
    h.get_by_label(&format!("B  {}", first_line(&b)));
    // The other pane: the status bar says so.
    let Some(logweave::gui::Tab::Compare(compare)) = h.state_mut().tabs.get_mut(0) else {
        panic!("a comparison");
    };
    compare.focus = logweave::gui::Pane::B;
    h.run_steps(3);
    // In the status bar and as the details pane's side.
    assert_eq!(h.query_all_by_label("B (right)").count(), 2);
}
