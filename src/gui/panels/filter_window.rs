//! Tools > Filter: clauses on log text, component, thread, severity and
//! time (contains, does not contain, equals, regex, before, after).

use egui::Ui;

use crate::filter::{Clause, Field, Op};
use crate::gui::app::LogWeaveApp;
use crate::gui::view::Tab;

const FIELDS: [(Field, &str); 5] = [
    (Field::Text, "Log text"),
    (Field::Component, "Component"),
    (Field::Thread, "Thread"),
    (Field::Severity, "Severity"),
    (Field::Time, "Date/Time"),
];
const OPS: [(Op, &str); 8] = [
    (Op::Contains, "contains"),
    (Op::NotContains, "does not contain"),
    (Op::Equals, "is equal to"),
    (Op::NotEquals, "is not equal to"),
    (Op::Matches, "matches regex"),
    (Op::NotMatches, "does not match regex"),
    (Op::Before, "is before"),
    (Op::After, "is after"),
];

/// The Filter window, while it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let mut open = app.panels.filter;
    egui::Window::new("Filter")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| filter_window(ui, app));
    app.panels.filter = open;
}

fn filter_window(ui: &mut Ui, app: &mut LogWeaveApp) {
    let Some(tab) = app.tabs.get_mut(app.active).map(Tab::primary_mut) else {
        ui.label("Open a log first.");
        return;
    };
    ui.label("Show only records for which all of these hold:");
    let mut remove = None;
    egui::Grid::new("clauses").num_columns(4).show(ui, |ui| {
        for (i, clause) in tab.filter.clauses.iter_mut().enumerate() {
            let field_name = FIELDS
                .iter()
                .find(|f| f.0 == clause.field)
                .map_or("", |f| f.1);
            egui::ComboBox::from_id_salt(("field", i))
                .selected_text(field_name)
                .show_ui(ui, |ui| {
                    for (field, name) in FIELDS {
                        ui.selectable_value(&mut clause.field, field, name);
                    }
                })
                .response
                .on_hover_text("Field");
            let op_name = OPS.iter().find(|o| o.0 == clause.op).map_or("", |o| o.1);
            egui::ComboBox::from_id_salt(("op", i))
                .selected_text(op_name)
                .show_ui(ui, |ui| {
                    for (op, name) in OPS {
                        ui.selectable_value(&mut clause.op, op, name);
                    }
                })
                .response
                .on_hover_text("Condition");
            let hint = match clause.field {
                Field::Severity => "error, warning",
                Field::Time => "2026-11-03 09:30:00",
                _ => "value",
            };
            ui.add(
                egui::TextEdit::singleline(&mut clause.value)
                    .hint_text(hint)
                    .desired_width(200.0),
            );
            if ui.small_button("×").clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        tab.filter.clauses.remove(i);
    }
    ui.horizontal(|ui| {
        if ui.button("+ Add clause").clicked() {
            tab.filter.clauses.push(Clause {
                field: Field::Text,
                op: Op::Contains,
                value: String::new(),
            });
        }
        if ui.button("Apply").clicked() {
            tab.filter.clauses.retain(|c| !c.value.trim().is_empty());
            tab.apply_filter();
        }
        if ui.button("Clear all").clicked() {
            tab.clear_filter();
        }
    });
    if let Some(error) = &tab.filter.error {
        ui.colored_label(ui.visuals().error_fg_color, error.clone());
    }
}
