//! The Preferences window: update interval, theme, font size, opening at
//! the end, the Date/Time column's format, severity keywords for plain logs.
//! Never imports another panel.

use egui::Ui;

use crate::gui::app::LogWeaveApp;
use crate::gui::settings::ThemeChoice;

/// The Preferences window, while it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let mut open = app.panels.preferences;
    egui::Window::new("Preferences")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .show(ctx, |ui| preferences(ui, app));
    app.panels.preferences = open;
}

fn preferences(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Grid::new("prefs").num_columns(2).show(ui, |ui| {
        let s = &mut app.settings;
        ui.label("Update interval (ms)");
        ui.add(
            egui::DragValue::new(&mut s.poll_interval_ms)
                .range(100..=60_000)
                .speed(50),
        );
        ui.end_row();
        ui.label("Opening a log");
        ui.checkbox(
            &mut s.open_at_end,
            "Show its end and follow new records (as CMTrace)",
        );
        ui.end_row();
        ui.label("Date/Time column");
        ui.horizontal(|ui| {
            use crate::settings::DateTimeFormat;
            let example = crate::gui::widgets::locale_date_style().format(1_793_700_000_120);
            ui.radio_value(
                &mut s.date_time_format,
                DateTimeFormat::Locale,
                "This computer's",
            )
            .on_hover_text(format!("Short date and 24-hour time, e.g. {example}"));
            ui.radio_value(
                &mut s.date_time_format,
                DateTimeFormat::AsWritten,
                "As written",
            );
            ui.radio_value(&mut s.date_time_format, DateTimeFormat::Iso8601, "ISO 8601");
            ui.radio_value(&mut s.date_time_format, DateTimeFormat::Utc, "UTC");
        });
        ui.end_row();
        ui.label("Highlight colour");
        ui.color_edit_button_srgb(&mut s.highlight_rgb);
        ui.end_row();
        ui.label("Theme");
        ui.horizontal(|ui| {
            ui.radio_value(&mut s.theme, ThemeChoice::System, "System");
            ui.radio_value(&mut s.theme, ThemeChoice::Light, "Light");
            ui.radio_value(&mut s.theme, ThemeChoice::Dark, "Dark");
        });
        ui.end_row();
        ui.label("Font size");
        ui.add(egui::Slider::new(&mut s.font_size, 9.0..=24.0));
        ui.end_row();
        keyword_list(ui, "Error keywords", &mut s.keywords.error);
        keyword_list(ui, "Warning keywords", &mut s.keywords.warning);
        association_row(ui, app);
    });
    ui.weak("Keywords colour lines of logs without a severity field (case-insensitive); they apply to files opened afterwards.");
}

/// A comma-separated keyword list as one row of the Preferences grid.
fn keyword_list(ui: &mut Ui, label: &str, keywords: &mut Vec<String>) {
    ui.label(label);
    let mut text = keywords.join(", ");
    if ui.text_edit_singleline(&mut text).changed() {
        *keywords = text
            .split(',')
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
    }
    ui.end_row();
}

/// Windows: make LogWeave the viewer of .log and .lo_ files, or undo it.
fn association_row(ui: &mut Ui, app: &mut LogWeaveApp) {
    ui.label(".log and .lo_ files");
    ui.horizontal(|ui| {
        let possible = cfg!(windows) && !crate::sys::in_winpe();
        if ui
            .add_enabled(possible, egui::Button::new("Open them with LogWeave"))
            .on_disabled_hover_text("Windows only, and not in WinPE")
            .clicked()
        {
            app.associate_log_files();
        }
        if ui
            .add_enabled(possible, egui::Button::new("Undo"))
            .clicked()
        {
            app.unassociate_log_files();
        }
        if let Some(result) = &app.panels.association_result {
            ui.weak(result);
        }
    });
    ui.end_row();
}
