//! The find bar (Ctrl+F): the query with match case, whole word and regular
//! expression, hit count and the search's progress; Enter and F3 move
//! through hits.
//! Never imports another panel; the search runs in the tab's jobs.

use egui::Ui;

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;
use crate::gui::view::Tab;

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("find").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("Find:");
            let focus = std::mem::take(&mut app.panels.focus_find);
            let Some(tab) = app.tabs.get_mut(app.active).map(Tab::focused_mut) else {
                ui.label("Open a log to search it.");
                if ui.button("×").clicked() {
                    app.panels.find = false;
                }
                return;
            };
            let mut output = egui::TextEdit::singleline(&mut tab.find.query.text)
                .desired_width(280.0)
                .hint_text("text to find")
                .show(ui);
            let response = output.response.clone();
            if focus {
                // Ctrl+F selects the remembered query: typing replaces it.
                response.request_focus();
                let end = egui::text::CCursor::new(tab.find.query.text.chars().count());
                output
                    .state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        end,
                    )));
                output.state.store(ui.ctx(), response.id);
            }
            let mut restart = response.changed();
            restart |= ui
                .checkbox(&mut tab.find.query.match_case, "Match case")
                .changed();
            restart |= ui
                .checkbox(&mut tab.find.query.whole_word, "Whole word")
                .changed();
            restart |= ui
                .checkbox(&mut tab.find.query.regex, "Regular expression")
                .changed();
            if restart {
                tab.start_find();
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if enter {
                let back = ui.input(|i| i.modifiers.shift);
                app.request(if back {
                    Command::FindPrevious
                } else {
                    Command::FindNext
                });
                response.request_focus();
            }
            if ui
                .button("Previous")
                .on_hover_text("Find previous (Shift+F3)")
                .clicked()
            {
                app.request(Command::FindPrevious);
            }
            if ui.button("Next").on_hover_text("Find next (F3)").clicked() {
                app.request(Command::FindNext);
            }
            let tab = app.tabs[app.active].focused_mut();
            match (&tab.find.error, &tab.find.job) {
                (Some(error), _) => {
                    ui.colored_label(ui.visuals().error_fg_color, error.clone());
                }
                (None, Some(job)) => {
                    ui.add(
                        egui::ProgressBar::new(job.progress())
                            .desired_width(120.0)
                            .text(format!("{} hits so far", tab.find.hit_count())),
                    );
                    if ui.button("Stop").clicked() {
                        job.cancel();
                    }
                }
                (None, None) if tab.find.matcher.is_some() => {
                    ui.label(format!("{} matching records", tab.find.hit_count()));
                }
                _ => {}
            }
            if ui.button("×").on_hover_text("Close the find bar").clicked() {
                app.panels.find = false;
            }
        });
    });
}
