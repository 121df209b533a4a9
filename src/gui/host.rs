//! The eframe host: runs [`LogWeaveApp`] in a native window — keys to
//! commands, the layout of the panels around the central area, persisted
//! settings. The only file that knows eframe's `App`; a CPU-rendered host
//! would sit beside it and lay out the same panels.
//! Never holds state of its own beyond eframe's, and never parses.

use std::path::PathBuf;
use std::sync::Arc;

use super::app::{Layout, LogWeaveApp, association_offer_due};
use super::commands::Command;
use super::panels;
use super::settings;
use super::single_instance;
use super::view::{LookupAction, Tab};
use crate::document::LogDocument;
use crate::jobs::Waker;

impl LogWeaveApp {
    /// Creates the app from eframe's creation context, restoring settings and opening `files`.
    pub fn new(cc: &eframe::CreationContext<'_>, files: &[PathBuf], layout: Layout) -> LogWeaveApp {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
            .unwrap_or_default();
        let ctx = cc.egui_ctx.clone();
        let waker: Waker = Arc::new(move || ctx.request_repaint());
        let mut app = LogWeaveApp::with_layout(settings, files, layout, Some(waker));
        let registered = logweave_viewer_registered();
        app.panels.association_offer = association_offer_due(
            cfg!(windows),
            crate::sys::in_winpe(),
            app.settings.offer_association,
            registered,
        );
        app
    }
}

/// True when this LogWeave opens `.log` files for this user (Windows).
fn logweave_viewer_registered() -> bool {
    crate::sys::association::viewer_exe()
        .is_ok_and(|exe| crate::sys::association::is_registered(&exe))
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

impl eframe::App for LogWeaveApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.logic_step(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        // Keys go to the list unless a text box has the focus.
        let typing = ctx.text_edit_focused();
        for command in Command::pressed(&ctx) {
            // Copy and select-all belong to a text box while one has the focus.
            if typing && matches!(command, Command::Copy | Command::SelectAll) {
                continue;
            }
            self.commands.push(command);
        }
        // Desktop back ends turn Ctrl+C into a Copy event rather than a key press.
        if !typing
            && ctx.input_mut(|i| {
                let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
                i.events.retain(|e| !matches!(e, egui::Event::Copy));
                copy
            })
        {
            self.commands.push(Command::Copy);
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
            self.commands.extend(keys);
        }
        panels::menu_bar::show(ui, self);
        panels::toolbar::show(ui, self);
        panels::status_bar::show(ui, self);
        if self.panels.find {
            panels::find_bar::show(ui, self);
        }
        if self.outline_shown() {
            panels::task_sequence::show(ui, self);
        }
        if self.settings.show_details_pane && !self.tabs.is_empty() {
            panels::details::show(ui, self);
        }
        central(ui, self, !typing);
        panels::shortcuts::window(&ctx, self);
        panels::preferences::window(&ctx, self);
        panels::filter_window::window(&ctx, self);
        match self.lookup.window(&ctx, &mut self.settings.lookup_history) {
            LookupAction::None => {}
            LookupAction::Jump(doc, record) => {
                let found = self
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
                    self.active = i;
                }
            }
            LookupAction::FindInLogs(value) => {
                let mut docs: Vec<Arc<LogDocument>> = Vec::new();
                for s in self.tabs.iter().flat_map(Tab::sources) {
                    if !docs.iter().any(|d| Arc::ptr_eq(d, &s.doc)) {
                        docs.push(Arc::clone(&s.doc));
                    }
                }
                self.lookup.find_in(value, docs, self.waker.clone());
            }
        }
        if let Some(code) = self.pending_lookup.take() {
            self.lookup
                .show_code(&code, &mut self.settings.lookup_history);
        }
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.run(command, &ctx);
        }
        panels::dialogs::drop_dialog(&ctx, self);
        panels::association::offer(&ctx, self);
        panels::chain_dialog::window(&ctx, self);
        if let Some(request) = panels::dialogs::save_dialog(&ctx, self) {
            self.start_save(request);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }
}

/// Opens the viewer window on `files` (the bundled sample when none is given
/// and `sample_when_empty`).
///
/// Unless `new_window`, files for tabs go to this user's window when one is
/// running (and this process is done), and otherwise this window listens for
/// later starts.
pub fn run(files: Vec<PathBuf>, layout: Layout, new_window: bool) -> eframe::Result<()> {
    let address = single_instance::Address::for_this_user().ok();
    if !new_window
        && layout == Layout::Tabs
        && !files.is_empty()
        && let Some(address) = &address
        && single_instance::hand_over(address, &files).unwrap_or(false)
    {
        return Ok(());
    }
    let listener = address
        .as_ref()
        .filter(|_| !new_window)
        .and_then(single_instance::Listener::start);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("LogWeave")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([480.0, 320.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "LogWeave",
        options,
        Box::new(move |cc| {
            let mut app = LogWeaveApp::new(cc, &files, layout);
            if let Some(listener) = listener {
                let ctx = cc.egui_ctx.clone();
                listener.set_waker(Arc::new(move || ctx.request_repaint()));
                app.instance = Some(listener);
            }
            Ok(Box::new(app))
        }),
    )
}
