//! Logs that arrive as text, in the window: Ctrl+V on the empty window and
//! Edit > Paste as new log (Ctrl+Shift+V) open the clipboard's text as a
//! log with colours, outline and diagnosis, driven through egui_kittest.
#![cfg(feature = "gui")]

use egui_kittest::kittest::Queryable;
use logweave::gui::Settings;

mod common;
use common::{harness, idle, settle};

/// Rows as CMTrace's Ctrl+C copies them: message, component, local time,
/// thread, tab-separated.
const CMTRACE_COPY: &str = "Start executing an instruction. Instruction name: Install Agent. Instruction pointer: 12\tTSManager\t3/21/2018 3:45:30 AM\t1524 (0x05F4)\n\
Executing command line: setup.exe /quiet\tTSManager\t3/21/2018 3:45:31 AM\t1524 (0x05F4)\n\
Access is denied. Setup cannot continue.\tInstallSoftware\t3/21/2018 3:45:59 AM\t1160 (0x0488)\n\
Process completed with exit code 2147942405\tTSManager\t3/21/2018 3:46:00 AM\t1524 (0x05F4)\n\
Failed to run the action: Install Agent.\tTSManager\t3/21/2018 3:46:00 AM\t1524 (0x05F4)\n";

#[test]
fn ctrl_v_on_the_empty_window_opens_the_text_as_a_log_with_its_diagnosis() {
    let mut h = harness(&[], Settings::default());
    h.run_steps(2);
    assert!(h.state().tabs.is_empty());
    h.event(egui::Event::Paste(CMTRACE_COPY.to_owned()));
    h.run_steps(2);
    settle(&mut h, "the pasted log and its triage", |app| {
        idle(app) && app.active_tab().is_some_and(|t| t.outline.triage.is_some())
    });
    h.run_steps(2);
    let tab = h.state().active_tab().unwrap();
    assert_eq!(tab.doc().record_count(), 5);
    assert!(tab.doc().is_in_memory());
    assert_eq!(tab.doc().path().to_string_lossy(), "Pasted log");
    let triage = tab.outline.triage.clone().unwrap();
    assert_eq!(triage.failed_step.as_deref(), Some("Install Agent"));
    assert_eq!(triage.code_hex.as_deref(), Some("0x80070005"));
    h.get_by_label("Failed at step \"Install Agent\" with 0x80070005 (E_ACCESSDENIED)");
}

#[test]
fn paste_as_new_log_opens_another_tab_beside_the_open_ones() {
    let mut h = harness(&[common::sample()], Settings::default());
    settle(&mut h, "indexing", idle);
    // Ctrl+Shift+V asks the back end for the clipboard; its answer is a
    // paste event (kittest has no clipboard: the test sends it).
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::V,
    );
    h.run_steps(1);
    h.event(egui::Event::Paste("one line\nanother line\n".to_owned()));
    h.run_steps(2);
    settle(&mut h, "the pasted log", idle);
    let app = h.state();
    assert_eq!(app.tabs.len(), 2);
    assert_eq!(app.active, 1);
    let tab = app.active_tab().unwrap();
    assert_eq!(tab.doc().record_count(), 2);
    assert!(!tab.outline.wanted, "plain lines are no task sequence");
    // A paste into the window with tabs open and nothing asked is no log.
    h.event(egui::Event::Paste("stray".to_owned()));
    h.run_steps(2);
    assert_eq!(h.state().tabs.len(), 2);
}
