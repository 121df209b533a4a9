//! One frame of the window, whatever paints it: keys to commands, the panels
//! laid out around the central area, the lookup window's requests, the
//! queued commands, then the dialogs. The eframe host (`host.rs`) calls it
//! every frame, and a CPU-rendered host can call it the same way: nothing
//! here knows eframe. Never holds state of its own.

use std::sync::Arc;

use super::app::LogWeaveApp;
use super::commands::Command;
use super::panels;
use super::view::{LookupAction, Tab};
use crate::document::LogDocument;

/// What happens before drawing: dropped files, finished jobs and dialogs,
/// the tabs' polling, the title and theme.
pub fn logic(app: &mut LogWeaveApp, ctx: &egui::Context) {
    app.logic_step(ctx);
}

/// Draws the whole window into `ui` and runs what it asked for.
pub fn ui(app: &mut LogWeaveApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    // Keys go to the list unless a text box has the focus.
    let typing = ctx.text_edit_focused();
    for command in Command::pressed(&ctx) {
        // Copy and select-all belong to a text box while one has the focus.
        if typing && matches!(command, Command::Copy | Command::SelectAll) {
            continue;
        }
        app.commands.push(command);
    }
    // Escape closes the floating windows, else the find bar (egui closes
    // an open menu itself).
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) && !egui::Popup::is_any_open(&ctx) {
        app.close_on_escape();
    }
    // Desktop back ends turn Ctrl+C into a Copy event rather than a key press.
    if !typing
        && ctx.input_mut(|i| {
            let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
            i.events.retain(|e| !matches!(e, egui::Event::Copy));
            copy
        })
    {
        app.commands.push(Command::Copy);
    }
    // Paste as new log: asked for (Edit menu, Ctrl+Shift+V), or Ctrl+V on
    // the empty window.
    if app.paste_pending > 0 || (!typing && app.tabs.is_empty()) {
        let pasted = ctx.input_mut(|i| {
            let text = i.events.iter().find_map(|e| match e {
                egui::Event::Paste(text) => Some(text.clone()),
                _ => None,
            });
            if text.is_some() {
                i.events.retain(|e| !matches!(e, egui::Event::Paste(_)));
            }
            text
        });
        match pasted {
            Some(text) => {
                app.paste_pending = 0;
                app.open_pasted(&text);
            }
            None => app.paste_pending = app.paste_pending.saturating_sub(1),
        }
    }
    if !typing {
        let keys = ctx.input_mut(|i| {
            let mut found = Vec::new();
            for (key, next, previous) in [
                (egui::Key::E, Command::NextError, Command::PreviousError),
                (egui::Key::W, Command::NextWarning, Command::PreviousWarning),
            ] {
                if i.consume_key(egui::Modifiers::SHIFT, key) {
                    found.push(previous);
                } else if i.consume_key(egui::Modifiers::NONE, key) {
                    found.push(next);
                }
            }
            found
        });
        app.commands.extend(keys);
    }
    panels::menu_bar::show(ui, app);
    panels::toolbar::show(ui, app);
    panels::status_bar::show(ui, app);
    if app.panels.find {
        panels::find_bar::show(ui, app);
    }
    if app.bundle.is_open() {
        panels::bundle::show(ui, app);
    }
    if app.outline_shown() {
        panels::task_sequence::show(ui, app);
    }
    if app.settings.show_details_pane && !app.tabs.is_empty() {
        panels::details::show(ui, app);
    }
    central(ui, app, !typing);
    panels::shortcuts::window(&ctx, app);
    panels::shortcuts::about(&ctx, app);
    panels::path_box::window(&ctx, app);
    panels::preferences::window(&ctx, app);
    panels::compare_tabs::window(&ctx, app);
    panels::filter_window::window(&ctx, app);
    panels::diagnosis_window::window(&ctx, app);
    match app.lookup.window(&ctx, &mut app.settings.lookup_history) {
        LookupAction::None => {}
        LookupAction::Jump(doc, record) => {
            let found = app
                .tabs
                .iter_mut()
                .enumerate()
                .find_map(|(i, t)| t.find_document(&doc).map(|(pane, s)| (i, pane, s)));
            if let Some((i, pane, source)) = found {
                if !pane.select_entry((source, record)) {
                    // Filtered out: show everything so the record can be shown.
                    pane.clear_filter();
                    pane.filter.reselect = Some((source, record));
                }
                app.active = i;
            }
        }
        LookupAction::FindInLogs(value) => {
            let mut docs: Vec<Arc<LogDocument>> = Vec::new();
            for s in app.tabs.iter().flat_map(Tab::sources) {
                if !docs.iter().any(|d| Arc::ptr_eq(d, &s.doc)) {
                    docs.push(Arc::clone(&s.doc));
                }
            }
            app.lookup.find_in(value, docs, app.waker.clone());
        }
    }
    if let Some(code) = app.pending_lookup.take() {
        app.lookup
            .show_code(&code, &mut app.settings.lookup_history);
    }
    let commands = std::mem::take(&mut app.commands);
    for command in commands {
        app.run(command, &ctx);
    }
    panels::dialogs::drop_dialog(&ctx, app);
    panels::association::offer(&ctx, app);
    panels::chain_dialog::window(&ctx, app);
    panels::remote_dialog::window(&ctx, app);
    panels::served_dialog::window(&ctx, app);
    if let Some(request) = panels::dialogs::save_dialog(&ctx, app) {
        app.start_save(request);
    }
}

/// The central area: the window's notices, the tabs, then the active tab —
/// a merged view's strip, each pane's banners and its rows (one table, or a
/// comparison's two).
fn central(ui: &mut egui::Ui, app: &mut LogWeaveApp, list_has_keys: bool) {
    egui::CentralPanel::default().show(ui, |ui| {
        panels::notices::show(ui, app);
        if app.tabs.is_empty() {
            panels::empty_state::show(ui, app);
            return;
        }
        panels::tab_strip::show(ui, app);
        let highlight = app.highlight();
        let Some(tab) = app.tabs.get_mut(app.active) else {
            return;
        };
        if let Tab::Log(log) = tab
            && log.is_merged()
            && panels::merge_strip::show(ui, log)
        {
            app.request(Command::AddToMerge);
        }
        let Some(tab) = app.tabs.get_mut(app.active) else {
            return;
        };
        if let Tab::Log(log) = tab
            && let Some(path) = panels::diagnosis::show(ui, log)
        {
            app.open_path(&path);
        }
        let Some(tab) = app.tabs.get_mut(app.active) else {
            return;
        };
        for pane in tab.panes_mut() {
            panels::banners::show(ui, pane);
        }
        ui.separator();
        match tab {
            Tab::Log(log) => {
                panels::log_table::show(ui, log, &mut app.settings, &highlight, list_has_keys);
            }
            Tab::Compare(compare) => {
                panels::compare::show(ui, compare, &mut app.settings, &highlight, list_has_keys);
            }
        }
    });
}
