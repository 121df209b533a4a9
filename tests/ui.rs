//! The viewer driven headlessly through egui_kittest: the real app state,
//! real documents, real background jobs; no window and no GPU.
#![cfg(feature = "gui")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use logweave::gui::{Layout, LogWeaveApp, Settings, Tab};

mod common;
use common::{Dropped, copied, find, harness, idle, sample, settle, text_input};
use logweave::{Direction, Severity};

fn selected_message(app: &LogWeaveApp) -> String {
    let tab = app.active_tab().expect("a tab");
    let record = tab.cursor_record().expect("a selected record");
    tab.doc().row(record).expect("the row").fields.message
}

/// Settings that open a log at its first record (the tests that click
/// the first rows use them).
fn from_the_top() -> Settings {
    Settings {
        open_at_end: false,
        ..Settings::default()
    }
}

#[test]
fn opening_a_file_shows_its_rows_and_counts() {
    let mut h = harness(&[sample()], from_the_top());
    settle(&mut h, "indexing", idle);
    h.get_by_label("Starting Task Sequence Manager.");
    h.get_by_label("Records: 205");
    h.get_by_label("Errors: 10");
    h.get_by_label("Warnings: 3");
    // Virtualised: the last record is not on screen.
    assert!(
        h.query_by_label("Exiting with return code 0x80004005")
            .is_none()
    );
    h.get_by_label("Not following (End follows new records)");
}

/// Issue 19 §1: as in CMTrace, a log opens at its end and follows what is
/// written while the view is there; selecting a row stops following, End
/// follows again; the status bar says which.
#[test]
fn a_log_opens_at_its_end_and_follows_until_the_user_moves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    std::fs::copy(sample(), &path).unwrap();
    let mut h = harness(std::slice::from_ref(&path), Settings::default());
    settle(&mut h, "indexing", idle);
    h.get_by_label("Exiting with return code 0x80004005");
    assert!(
        h.query_by_label("Starting Task Sequence Manager.")
            .is_none()
    );
    h.get_by_label("Following new records");
    // A record written now comes into view.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(
        b"<![LOG[Written while watching]LOG]!><time=\"10:00:00.000+000\" date=\"11-03-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n",
    )
    .unwrap();
    drop(file);
    settle(&mut h, "the new record", |app| {
        app.active_tab().is_some_and(|t| t.record_total() == 206)
    });
    h.run_steps(2);
    h.get_by_label("Written while watching");
    // Selecting a row stops following; End follows again.
    h.get_by_label("Exiting with return code 0x80004005")
        .click();
    h.run_steps(2);
    h.get_by_label("Not following (End follows new records)");
    h.key_press(egui::Key::End);
    h.run_steps(2);
    h.get_by_label("Following new records");
}

#[test]
fn next_error_selects_the_first_error_row_and_previous_goes_back() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    let app = h.state();
    let tab = app.active_tab().unwrap();
    let first_error = tab
        .doc()
        .next_of_severity(None, Severity::Error, Direction::Forward)
        .unwrap();
    assert_eq!(tab.cursor_record(), Some(first_error));
    assert_eq!(
        selected_message(app),
        "Unable to get content location for the application: 0x87D00607"
    );
    // The selected row is scrolled into view and its text is in the details pane.
    h.get_by_label("Unable to get content location for the application: 0x87D00607");
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    assert!(
        selected_message(h.state())
            .starts_with("Failed to run the action: Install Company Portal.")
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F8);
    h.run_steps(2);
    assert_eq!(
        h.state().active_tab().unwrap().cursor_record(),
        Some(first_error)
    );
    // Warnings have their own keys.
    h.key_press(egui::Key::F7);
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(
        tab.doc()
            .row(tab.cursor_record().unwrap())
            .unwrap()
            .severity(),
        Severity::Warning
    );
}

#[test]
fn find_selects_a_hit_and_f3_moves_through_hits() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    find(&mut h, "contoso vpn");
    let hits = h.state().active_tab().unwrap().find.hits[0].clone();
    assert!(hits.len() >= 4, "case-insensitive hits: {hits:?}");
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    assert_eq!(
        h.state().active_tab().unwrap().cursor_record(),
        Some(hits[0])
    );
    assert!(
        selected_message(h.state())
            .to_lowercase()
            .contains("contoso vpn")
    );
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    assert_eq!(
        h.state().active_tab().unwrap().cursor_record(),
        Some(hits[1])
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F3);
    h.run_steps(2);
    assert_eq!(
        h.state().active_tab().unwrap().cursor_record(),
        Some(hits[0])
    );
    h.get_by_label(&format!("{} matching records", hits.len()));
}

#[test]
fn quick_filter_reduces_rows_and_clearing_restores_them() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    let filter = text_input(&h, "log text contains");
    filter.focus();
    filter.type_text("exit code");
    h.run_steps(2);
    settle(&mut h, "the filter", idle);
    let (shown, total, all_match) = {
        let tab = h.state_mut().active_tab_mut().unwrap();
        let shown = tab.view_len();
        let rows = tab.rows(0..shown);
        (
            shown,
            tab.doc().record_count(),
            rows.iter()
                .all(|(_, r)| r.fields.message.to_lowercase().contains("exit code")),
        )
    };
    assert!(shown > 0 && shown < total, "{shown} of {total}");
    assert!(all_match);
    h.get_by_label(&format!("Filter active: {shown} of {total}"));
    h.get_by_label(&format!("Records: {shown} of {total}"));
    h.get_by_label("× Clear filter").click();
    h.run_steps(2);
    settle(&mut h, "clearing", idle);
    assert_eq!(h.state().active_tab().unwrap().view_len(), total);
    h.get_by_label("Records: 205");
}

#[test]
fn dropping_two_files_opens_two_tabs() {
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("AppEnforce.log");
    std::fs::write(
        &second,
        "<![LOG[+++ Starting Install enforcement for App DT \"Contoso VPN\"]LOG]!><time=\"09:31:00.100+300\" date=\"11-03-2026\" component=\"AppEnforce\" context=\"\" type=\"1\" thread=\"4012\" file=\"appprovider.cpp:2148\">\r\n",
    )
    .unwrap();
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    h.get_by_label("Open a ConfigMgr, MDT, Intune or Windows log — or drop log files here.");
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(sample())));
    h.input_mut().dropped_files.push(Arc::new(Dropped(second)));
    h.step();
    h.run_steps(2);
    // Several files: the window asks, as the merge issue wants.
    h.get_by_label("Open 2 files");
    h.get_by_role_and_label(Role::Button, "A tab for each")
        .click();
    h.run_steps(2);
    settle(&mut h, "indexing", idle);
    let titles: Vec<String> = h.state().tabs.iter().map(|t| t.title()).collect();
    assert_eq!(
        titles,
        vec!["smsts.log".to_owned(), "AppEnforce.log".to_owned()]
    );
    h.get_by_role_and_label(Role::Button, "smsts.log");
    h.get_by_label("+++ Starting Install enforcement for App DT \"Contoso VPN\"");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    assert_eq!(h.state().tabs.len(), 1);
}

#[test]
fn a_file_that_cannot_be_opened_shows_why_and_others_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.log");
    let mut h = harness(&[missing.clone(), sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.get_by_label_contains(&format!("Cannot open {}", missing.display()));
    assert_eq!(h.state().tabs.len(), 1);
    h.get_by_label("Records: 205");
}

#[test]
fn live_tail_shows_an_appended_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    let record = |msg: &str, ms: u32| {
        format!(
            "<![LOG[{msg}]LOG]!><time=\"09:12:04.{ms:03}+480\" date=\"11-03-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1364\" file=\"engine.cxx:299\">\r\n"
        )
    };
    std::fs::write(
        &path,
        record("Starting Task Sequence Engine . . . ", 100)
            + &record("The group (Install) has been successfully started", 200),
    )
    .unwrap();
    let settings = Settings {
        poll_interval_ms: 100,
        ..Settings::default()
    };
    let mut h = harness(std::slice::from_ref(&path), settings);
    settle(&mut h, "indexing", idle);
    h.get_by_label("Records: 2");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(record("Reboot to local harddisk", 300).as_bytes())
        .unwrap();
    settle(&mut h, "the appended record", |app| {
        app.tabs[0].primary().doc().record_count() == 3 && idle(app)
    });
    h.run_steps(2);
    h.get_by_label("Reboot to local harddisk");
    h.get_by_label("Records: 3");
}

#[test]
fn severity_toggles_show_only_errors_and_warnings() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.get_by_role_and_label(Role::Button, "Info").click();
    h.run_steps(2);
    settle(&mut h, "the filter", idle);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.view_len(), 13, "10 errors and 3 warnings");
    h.get_by_label("Filter active: 13 of 205");
    h.get_by_role_and_label(Role::Button, "Warnings").click();
    h.run_steps(2);
    settle(&mut h, "the filter", idle);
    assert_eq!(h.state().active_tab().unwrap().view_len(), 10);
    h.get_by_label("× Clear filter").click();
    h.run_steps(2);
    settle(&mut h, "clearing", idle);
    assert_eq!(h.state().active_tab().unwrap().view_len(), 205);
}

#[test]
fn click_shift_click_and_ctrl_c_copy_rows_tab_separated() {
    let mut h = harness(&[sample()], from_the_top());
    settle(&mut h, "indexing", idle);
    h.get_by_label("Starting Task Sequence Manager.").click();
    h.run_steps(2);
    h.get_by_label(
        "TSManager initialized environment for task sequence: Windows 11 24H2 - Standard Build",
    )
    .click_modifiers(egui::Modifiers::SHIFT);
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.view.selection.len(), 3);
    // Elapsed time across a multi-selection, in CMTrace's words (05.131 → 05.205).
    h.get_by_label("Elapsed time is 0h 0m 0s 74ms (0.074 seconds)");
    let expected = "Starting Task Sequence Manager.\tTSManager\t11-03-2026 09:12:05.131+480\t1364\n\
             Successfully initialized Logging for Task Sequence Manager.\tTSManager\t11-03-2026 09:12:05.168+480\t1364\n\
             TSManager initialized environment for task sequence: Windows 11 24H2 - Standard Build\tTSManager\t11-03-2026 09:12:05.205+480\t1364\n";
    // Ctrl+C as a key press (kittest), and as the Copy event desktop back ends send.
    let key = egui::Event::Key {
        key: egui::Key::C,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    };
    for event in [key, egui::Event::Copy] {
        h.input_mut().events.extend([
            egui::Event::ModifiersChanged(egui::Modifiers::COMMAND),
            event,
        ]);
        h.step();
        h.input_mut()
            .events
            .push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
        assert_eq!(copied(&h), vec![expected.to_owned()]);
        h.step();
    }
    // Arrow keys move the cursor after a click (the list keeps the keyboard).
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(
        selected_message(h.state()),
        "Set a global environment variable _SMSTSInstructionTableSize=14"
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().view.selection.len(), 2);
    // Ctrl+click removes one row again.
    h.get_by_label("Starting Task Sequence Manager.")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().view.selection.len(), 3);
}

#[test]
fn error_lookup_panel_shows_the_name_and_opens_from_a_code_in_the_details_pane() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    // Ctrl+L opens the panel with the input focused; type a code, press Enter.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    h.run_steps(2);
    let input = text_input(&h, "0x80070002, 80070002, -2147024894, 1603 or a name");
    input.focus();
    input.type_text("-2147024894");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    h.get_by_label("ERROR_FILE_NOT_FOUND");
    h.get_by_label("0x80070002");
    assert_eq!(
        h.state()
            .settings
            .lookup_history
            .first()
            .map(String::as_str),
        Some("-2147024894")
    );

    // Select the failed action and click the code in the details pane.
    let record = {
        let tab = h.state().active_tab().unwrap();
        (0..tab.doc().record_count())
            .find(|&r| {
                tab.doc()
                    .row(r)
                    .unwrap()
                    .fields
                    .message
                    .contains("(Error: 80070643; Source: Windows)")
            })
            .expect("the sample has the failed VPN install")
    };
    assert!(
        h.state_mut()
            .active_tab_mut()
            .unwrap()
            .select_record(record)
    );
    h.run_steps(2);
    h.get_by_role_and_label(Role::Link, "80070643").click();
    h.run_steps(3);
    assert_eq!(h.state().lookup.input, "80070643");
    assert!(h.state().lookup.open);
    h.get_all_by_label("ERROR_INSTALL_FAILURE")
        .next()
        .expect("the name of 0x80070643");

    // Find in open logs lists the records that mention it, and a click jumps there.
    h.get_by_role_and_label(Role::Button, "Find in open logs")
        .click();
    h.run_steps(2);
    settle(&mut h, "the code search", |app| {
        app.lookup.find_job.is_none()
    });
    let found: Vec<usize> = h
        .state()
        .lookup
        .occurrences
        .iter()
        .map(|o| o.record)
        .collect();
    assert!(found.len() >= 3, "{found:?}");
    assert!(found.contains(&record));
    let first = found[0];
    let label = format!("smsts.log #{}: ", first + 1);
    h.get_by_label_contains(&label).click();
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().cursor_record(), Some(first));
}

fn merge_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/merge")
        .join(name)
}

#[test]
fn dropping_three_files_into_one_merged_view_and_toggling_a_file() {
    let files = ["zone-plus480.log", "zone-minus120.log", "notes-notimes.txt"].map(merge_fixture);
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    for f in &files {
        h.input_mut()
            .dropped_files
            .push(Arc::new(Dropped(f.clone())));
    }
    h.step();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "One merged view")
        .click();
    h.run_steps(2);
    settle(&mut h, "indexing and merging", idle);
    assert_eq!(h.state().tabs.len(), 1);
    let tab = h.state().active_tab().unwrap();
    assert!(tab.is_merged());
    assert_eq!(tab.title(), "3 logs merged");
    assert_eq!(tab.view_len(), 6);
    // Rows in UTC order, each with its source; the untimed file comes last.
    let order: Vec<(usize, String)> = h
        .state_mut()
        .active_tab_mut()
        .unwrap()
        .rows(0..6)
        .into_iter()
        .map(|(s, r)| (s, r.fields.message))
        .collect();
    assert_eq!(
        order,
        vec![
            (1, "Berlin client: waiting for content".to_owned()),
            (0, "Pacific server: sync started".to_owned()),
            (1, "Berlin client: content arrived".to_owned()),
            (0, "Pacific server: package sent".to_owned()),
            (2, "Technician notes".to_owned()),
            (2, "Reimaged after disk swap".to_owned()),
        ]
    );
    h.get_by_label("Source");
    h.get_by_label_contains("no times: kept in order after the other files");
    h.get_by_label("ordered by UTC (several zones)");
    // Switch the Pacific server off: its rows go, the rest keep their order.
    h.get_by_role_and_label(Role::CheckBox, "zone-plus480.log")
        .click();
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    assert!(!tab.sources[0].enabled);
    assert_eq!(tab.view_len(), 4);
    assert_eq!(tab.entry_at(0), Some((1, 0)));
    // Errors and find work across the remaining files.
    find(&mut h, "content");
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().cursor_entry(), Some((1, 0)));
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().cursor_entry(), Some((1, 1)));
}

#[test]
fn the_selected_record_stays_selected_across_filtering_and_clearing() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    let error = h.state().active_tab().unwrap().cursor_record().unwrap();
    // Only errors shown: the error keeps the cursor, on another row.
    let filter = text_input(&h, "log text contains");
    filter.focus();
    filter.type_text("0x87D00607");
    h.run_steps(2);
    settle(&mut h, "the filter", idle);
    let tab = h.state().active_tab().unwrap();
    assert!(tab.view_len() < tab.doc().record_count());
    assert_eq!(tab.cursor_record(), Some(error));
    assert_eq!(tab.entry_at(tab.view.cursor.unwrap()), Some((0, error)));
    // Cleared: still the same record, at its own row again.
    h.get_by_label("× Clear filter").click();
    h.run_steps(2);
    settle(&mut h, "clearing", idle);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.view_len(), 205);
    assert_eq!(tab.cursor_record(), Some(error));
    assert_eq!(tab.view.cursor, Some(error));
}

/// Issue 19 §14: a file of binary bytes opens with a banner saying it is
/// not a text log, instead of thousands of "records" without comment.
#[test]
fn a_binary_file_opens_with_a_not_a_log_banner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.bin");
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let junk: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    std::fs::write(&path, junk).unwrap();
    let mut h = harness(&[path, sample()], Settings::default());
    settle(&mut h, "both files indexed", idle);
    h.state_mut().active = 0;
    h.run_steps(2);
    h.get_by_label_contains("image.bin does not look like a text log");
    // A real log gets no such banner.
    h.state_mut().active = 1;
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("does not look like a text log")
            .is_none()
    );
}

/// Issue 19 §6: two copies of smsts.log get tabs that tell them apart, and
/// the window title shows the whole path.
#[test]
fn same_named_logs_get_distinct_tabs_and_the_full_path_in_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let winpe = dir.path().join("Windows/Temp/SMSTSLog/smsts.log");
    let full_os = dir.path().join("_SMSTaskSequence/Logs/Smstslog/smsts.log");
    for path in [&winpe, &full_os] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(sample(), path).unwrap();
    }
    let mut h = harness(&[winpe.clone(), full_os.clone()], Settings::default());
    settle(&mut h, "both files indexed", idle);
    let sep = std::path::MAIN_SEPARATOR_STR;
    h.get_by_label(&["Temp", "SMSTSLog", "smsts.log"].join(sep));
    h.get_by_label(&["Logs", "Smstslog", "smsts.log"].join(sep));
    h.state_mut().active = 1;
    h.run_steps(2);
    assert_eq!(
        h.state().window_title(),
        format!("{} - LogWeave", full_os.display())
    );
}

/// Issue 19 §4: a jump puts its target in the upper third of the list, so
/// the records after an error are on screen, never on the last visible row.
#[test]
fn next_error_shows_the_records_after_it() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    for _ in 0..4 {
        h.key_press(egui::Key::F8);
        h.run_steps(2);
        let tab = h.state().active_tab().unwrap();
        let (top, shown) = (tab.view.top, tab.view.shown_rows);
        let cursor = tab.view.cursor.expect("an error selected");
        assert!(shown > 6, "{shown} rows on screen");
        assert!(
            cursor >= top && cursor < top + shown * 2 / 3,
            "row {cursor} shown at {} of {shown}",
            cursor as isize - top as isize
        );
    }
}

/// Issue 19 §7: Ctrl+F again selects the query, so typing replaces it; Enter
/// before the search has found anything jumps to the first hit when it does.
#[test]
fn ctrl_f_selects_the_query_and_an_early_enter_jumps_when_hits_arrive() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    find(&mut h, "contoso");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    // The find box has the focus, its text selected.
    h.get(
        egui_kittest::kittest::By::new()
            .role(Role::TextInput)
            .predicate(|n| n.is_focused()),
    )
    .type_text("vpn");
    h.run_steps(2);
    assert_eq!(h.state().active_tab().unwrap().find.query.text, "vpn");
    settle(&mut h, "the search", idle);
    // A search still running when Enter is pressed: the jump waits for it.
    let tab = h.state_mut().active_tab_mut().unwrap();
    tab.find.query.text = "Install Company Portal".to_owned();
    tab.start_find();
    assert!(tab.find.job.is_some());
    assert!(!tab.jump_to_hit(Direction::Forward));
    tab.find.pending_jump = Some(Direction::Forward);
    settle(&mut h, "the search", idle);
    let tab = h.state().active_tab().unwrap();
    let first = tab.find.hits[0][0];
    assert_eq!(tab.cursor_record(), Some(first));
}

/// Issue 19 §12: Help > About shows the version; Escape closes the
/// floating windows, then the find bar; F8 past the last error says so.
#[test]
fn escape_closes_windows_then_the_find_bar_and_f8_says_when_no_error_is_left() {
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    h.state_mut().request(logweave::gui::Command::About);
    // (A new window is laid out unseen in its first frame.)
    h.run_steps(4);
    h.get_by_label(&format!("LogWeave {}", env!("CARGO_PKG_VERSION")));
    // The build, and the crates it is made of with their licences.
    h.get_by_label(&format!("Version {}", logweave::LONG_VERSION));
    h.get_by_label("Third-party licences").click();
    h.run_steps(3);
    h.get_by_label("regex");
    find(&mut h, "contoso");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!h.state().panels.about, "the About window closed first");
    assert!(h.state().panels.find, "the find bar stays");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!h.state().panels.find, "then the find bar");
    // Past the last error: the status bar says so.
    let errors = h.state().active_tab().unwrap().counts().errors;
    for _ in 0..errors {
        h.key_press(egui::Key::F8);
        h.run_steps(1);
    }
    h.run_steps(1);
    assert!(h.query_by_label("No more errors below").is_none());
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    h.get_by_label("No more errors below");
}

/// Issue 19 §2: where no native file dialog can be shown, the paths are
/// typed into a box instead, and open as the menu item meant.
#[test]
fn typed_paths_open_where_no_file_dialog_can_be_shown() {
    let mut h = harness(&[], Settings::default());
    h.state_mut().path_box = Some(logweave::gui::PathBox {
        purpose: logweave::gui::OpenPurpose::Merged,
        text: String::new(),
    });
    h.run_steps(4);
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cbs_levels.log");
    let input = h.get_by(|n| n.placeholder() == Some("paths to merge into one timeline"));
    input.focus();
    input.type_text(&format!("\"{}\"", sample().display()));
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(1);
    h.get_by(|n| n.role() == Role::MultilineTextInput && n.is_focused())
        .type_text(&other.display().to_string());
    h.run_steps(2);
    assert_eq!(
        h.state().path_box.as_ref().unwrap().paths(),
        [sample(), other.clone()]
    );
    h.get_by_role_and_label(Role::Button, "Open").click();
    settle(&mut h, "the merged view", |app| {
        !app.tabs.is_empty() && idle(app)
    });
    assert!(h.state().path_box.is_none());
    assert_eq!(h.state().active_tab().unwrap().sources.len(), 2);
}

/// The merged tab's Date/Time texts in UTC, by message.
fn utc_texts(h: &mut Harness<'static, LogWeaveApp>) -> Vec<(String, String)> {
    let Tab::Log(tab) = &mut h.state_mut().tabs[0] else {
        panic!("a merged tab");
    };
    tab.merge.as_mut().expect("merged").time_display = logweave::gui::TimeDisplay::Utc;
    let len = tab.view_len();
    let rows = tab.rows(0..len);
    rows.iter()
        .map(|(source, row)| {
            let text = tab.time_text(
                *source,
                row,
                logweave::settings::DateTimeFormat::AsWritten,
                logweave::time::DateStyle::ISO,
            );
            (row.fields.message.clone(), text)
        })
        .collect()
}

#[test]
fn a_one_machine_merge_never_shows_a_utc_made_up_from_winpes_bias() {
    let merge_data = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/merge")
            .join(name)
    };
    // The UTC texts of `files` merged (by message).
    let merged_utc_texts = |files: [PathBuf; 2]| {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1200.0, 760.0))
            .build_eframe(move |_cc| {
                LogWeaveApp::with_layout(Settings::default(), &files, Layout::Merged, None)
            });
        settle(&mut h, "the merge", |app| {
            idle(app)
                && matches!(&app.tabs[0], Tab::Log(t) if t.merge.as_ref().is_some_and(|m| m.plan.is_some()))
        });
        utc_texts(&mut h)
    };
    // smsts.log shows the machine's zone (+240) after WinPE: WinPE's
    // records are read with it, in order with their neighbours.
    let texts = merged_utc_texts([
        merge_data("machine-smsts.log"),
        merge_data("machine-BDD.log"),
    ]);
    let time_of = |texts: &[(String, String)], start: &str| {
        texts
            .iter()
            .find(|(m, _)| m.starts_with(start))
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no {start} in {texts:?}"))
    };
    // 10:00 by WinPE's clock (+480) is 14:00 UTC with the machine's +240.
    assert_eq!(time_of(&texts, "Command line"), "2026-11-03 14:00:00.010Z");
    assert_eq!(
        time_of(
            &texts,
            "Start executing an instruction. Instruction name: Install"
        ),
        "2026-11-03 14:25:00.000Z"
    );

    // A WinPE-only copy beside BDD.log (local times): the machine's zone is
    // in neither, so WinPE's records say "zone unknown".
    let dir = tempfile::tempdir().unwrap();
    let winpe = dir.path().join("smsts.log");
    let text = std::fs::read_to_string(merge_data("machine-smsts.log")).unwrap();
    let head: String = text.split_inclusive('\n').take(3).collect();
    std::fs::write(&winpe, head).unwrap();
    let texts = merged_utc_texts([winpe, merge_data("machine-BDD.log")]);
    let shown = time_of(&texts, "Command line");
    assert!(shown.ends_with("(zone unknown)"), "{shown}");
    assert!(!shown.contains("18:00"), "{shown}");
}

#[test]
fn the_date_time_column_follows_the_chosen_format_and_keeps_the_text_as_written() {
    use logweave::settings::DateTimeFormat;
    use logweave::time::DateStyle;
    let mut h = harness(&[sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    let first_timed = |h: &mut Harness<'static, LogWeaveApp>, format, style| {
        let tab = h.state_mut().tabs[0].primary_mut();
        let rows = tab.rows(0..1);
        let (source, row) = &rows[0];
        (
            tab.time_text(*source, row, format, style),
            row.fields.time_text.clone().unwrap_or_default(),
        )
    };
    // The sample's first record: 11-03-2026 09:12:04.120, bias +480.
    let us = DateStyle::for_locale("en-US");
    let (shown, written) = first_timed(&mut h, DateTimeFormat::Locale, us);
    assert_eq!(shown, "11/03/2026 09:12:04.120");
    assert!(written.starts_with("11-03-2026 09:12:04.120"), "{written}");
    let german = DateStyle::for_locale("de-DE");
    assert_eq!(
        first_timed(&mut h, DateTimeFormat::Locale, german).0,
        "03.11.2026 09:12:04.120"
    );
    assert_eq!(
        first_timed(&mut h, DateTimeFormat::Iso8601, us).0,
        "2026-11-03T09:12:04.120"
    );
    assert_eq!(
        first_timed(&mut h, DateTimeFormat::Utc, us).0,
        "2026-11-03 17:12:04.120Z"
    );
    assert_eq!(
        first_timed(&mut h, DateTimeFormat::AsWritten, us).0,
        written
    );

    // Preferences switch it, and the choice is kept in the settings.
    h.state_mut().panels.preferences = true;
    h.run_steps(4);
    h.get_by_label("ISO 8601").click();
    h.run_steps(2);
    assert_eq!(h.state().settings.date_time_format, DateTimeFormat::Iso8601);
}

#[test]
fn ctrl_k_with_two_logs_open_compares_them_over_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("smsts-copy.log");
    std::fs::copy(sample(), &other).unwrap();
    let mut h = harness(&[sample(), other.clone()], Settings::default());
    settle(&mut h, "indexing", idle);
    // The Window menu lists the tabs; Ctrl+Shift+Tab goes back one.
    assert_eq!(h.state().active, 1);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Tab,
    );
    h.run_steps(2);
    assert_eq!(h.state().active, 0);
    h.get_by_label("Window").click();
    h.run_steps(2);
    h.get_by_label_contains("2 smsts-copy.log");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);

    // Ctrl+K offers the open logs, the active one as A.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(4);
    assert_eq!(h.state().panels.compare_tabs, Some((0, 1)));
    h.get_by_label("Compare").click();
    h.run_steps(4);
    let app = h.state();
    assert_eq!(app.tabs.len(), 3);
    assert_eq!(app.active, 2);
    let Tab::Compare(compare) = &app.tabs[2] else {
        panic!("a comparison tab");
    };
    let Tab::Log(first) = &app.tabs[0] else {
        panic!("a log tab");
    };
    assert!(
        Arc::ptr_eq(compare.a.doc(), first.doc()),
        "A is the open document"
    );
    assert_eq!(compare.b.doc().path(), other.as_path());
    assert!(app.panels.compare_tabs.is_none());
}

#[test]
fn tools_highlight_puts_the_cursor_in_the_highlight_box() {
    let settings = Settings {
        highlight_text: "old".to_owned(),
        ..Settings::default()
    };
    let mut h = harness(&[sample()], settings);
    settle(&mut h, "indexing", idle);
    h.get_by_label("Tools").click();
    h.run_steps(2);
    h.get_by_label_contains("Highlight…").click();
    h.run_steps(3);
    // Typing replaces the remembered text.
    h.event(egui::Event::Text("contoso".to_owned()));
    h.run_steps(2);
    assert_eq!(h.state().settings.highlight_text, "contoso");
}

/// Prints the sample (Ctrl+P) with `print_command`; the notice it ends with.
fn print_sample(print_command: Vec<String>) -> String {
    let settings = Settings {
        print_command,
        ..Settings::default()
    };
    let mut h = harness(&[sample()], settings);
    settle(&mut h, "indexing", idle);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    settle(&mut h, "the print job's notice", |app| {
        !app.notices.is_empty()
    });
    h.state().notices[0].text.clone()
}

#[cfg(unix)]
#[test]
fn file_print_hands_the_rows_shown_to_the_print_command() {
    let dir = tempfile::tempdir().unwrap();
    let printed = dir.path().join("printed.txt");
    // A "printer" that keeps what it is given: sh -c 'cp "$1" "$0"' DEST FILE.
    let notice = print_sample(vec![
        "sh".into(),
        "-c".into(),
        "cp \"$1\" \"$0\"".into(),
        printed.display().to_string(),
    ]);
    assert_eq!(notice, "Sent 205 records of smsts.log to the printer (sh)");
    let text = std::fs::read_to_string(&printed).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{feff}smsts.log (205 records) — LogWeave");
    assert_eq!(lines.len(), 2 + 205);
    assert!(lines[2].contains("TSMBootStrap.exe"), "{}", lines[2]);

    // No such program: the notice says what to do instead.
    let notice = print_sample(vec!["logweave-no-such-printer".into()]);
    assert!(
        notice.starts_with("Printing failed: there is no logweave-no-such-printer here"),
        "{notice}"
    );
}
