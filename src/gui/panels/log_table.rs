//! The log table of a one-log or merged tab: the virtualised list of its
//! rows (drawn by the log list widget) filling the rest of the window.
//! Never imports another panel.

use crate::gui::settings::Settings;
use crate::gui::view::{Highlight, LogTab};
use crate::gui::widgets::log_list;

/// The rows of `tab`; `has_keys` when the list gets the keyboard.
pub fn show(
    ui: &mut egui::Ui,
    tab: &mut LogTab,
    settings: &mut Settings,
    highlight: &Highlight,
    has_keys: bool,
) {
    log_list::show(ui, tab, settings, highlight, has_keys);
}
