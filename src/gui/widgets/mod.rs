//! Drawing pieces the panels share: the virtualised log list, words for
//! task-sequence steps, and buttons and menu items that queue a
//! [`Command`] with its shortcut in the tooltip. Widgets never import a
//! panel.

pub mod log_list;
pub mod step_text;

use egui::Ui;

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;

/// This computer's short date (from its locale, read once), for the
/// Date/Time column.
pub fn locale_date_style() -> crate::time::DateStyle {
    static STYLE: std::sync::OnceLock<crate::time::DateStyle> = std::sync::OnceLock::new();
    *STYLE.get_or_init(|| {
        sys_locale::get_locale().map_or(crate::time::DateStyle::ISO, |tag| {
            crate::time::DateStyle::for_locale(&tag)
        })
    })
}

/// A button that queues `command`, its label and shortcut in the tooltip.
pub fn command_button(ui: &mut Ui, app: &mut LogWeaveApp, command: Command, text: &str) {
    let tip = format!("{} ({})", command.label(), command.shortcut_text(ui.ctx()));
    if ui.button(text).on_hover_text(tip).clicked() {
        app.request(command);
    }
}

/// A menu item that queues `command`, with its shortcut.
pub fn menu_item(ui: &mut Ui, app: &mut LogWeaveApp, command: Command) {
    let shortcut = command.shortcut_text(ui.ctx());
    if ui
        .add(egui::Button::new(command.label()).shortcut_text(shortcut))
        .clicked()
    {
        app.request(command);
        ui.close();
    }
}

/// Where the menu bar ends, remembered for floating windows.
fn menu_bottom_id() -> egui::Id {
    egui::Id::unique("logweave-menu-bottom")
}

/// Remembers where the menu bar ends (the menu bar calls this each frame).
pub fn set_menu_bottom(ctx: &egui::Context, y: f32) {
    ctx.data_mut(|d| d.insert_temp(menu_bottom_id(), y));
}

/// The part of the window a floating window may use: everything below the
/// menu bar, so no window ever covers the menus.
pub fn below_menu(ctx: &egui::Context) -> egui::Rect {
    let mut rect = ctx.content_rect();
    if let Some(y) = ctx.data(|d| d.get_temp::<f32>(menu_bottom_id())) {
        rect.min.y = rect.min.y.max(y);
    }
    rect
}

/// Bytes in words: `512 B`, `14.5 KB`, `3.2 MB`, `1.10 GB`.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.2} GB", b / KB / KB / KB)
    }
}
