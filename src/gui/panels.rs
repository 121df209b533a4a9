//! The panels and windows around the list: menu bar, toolbar (navigation,
//! highlight, quick filter), tab bar, find bar, details pane, status bar,
//! and the Filter, Preferences, Keyboard shortcuts and Save As windows.

use egui::{RichText, Ui};

use super::commands::{Command, LIST_KEYS_HELP};
use super::log_view;
use super::settings::ThemeChoice;
use super::{LogWeaveApp, SaveRequest, SaveScope};
use crate::export::ExportFormat;
use crate::filter::{Clause, Field, Op};
use crate::time::{format_elapsed, format_rfc3339_ms};

fn command_button(ui: &mut Ui, app: &mut LogWeaveApp, command: Command, text: &str) {
    let tip = format!("{} ({})", command.label(), command.shortcut_text(ui.ctx()));
    if ui.button(text).on_hover_text(tip).clicked() {
        app.request(command);
    }
}

fn menu_item(ui: &mut Ui, app: &mut LogWeaveApp, command: Command) {
    let shortcut = command.shortcut_text(ui.ctx());
    if ui
        .add(egui::Button::new(command.label()).shortcut_text(shortcut))
        .clicked()
    {
        app.request(command);
        ui.close();
    }
}

pub(super) fn menu_bar(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                menu_item(ui, app, Command::Open);
                menu_item(ui, app, Command::OpenIgnoringExisting);
                menu_item(ui, app, Command::OpenMerged);
                menu_item(ui, app, Command::OpenTaskSequenceLogs);
                menu_item(ui, app, Command::Compare);
                ui.menu_button("Open recent", |ui| {
                    if app.settings.recent_files.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in app.settings.recent_files.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            app.open(&path, false);
                            ui.close();
                        }
                    }
                });
                menu_item(ui, app, Command::SaveAs);
                menu_item(ui, app, Command::CloseTab);
                ui.separator();
                menu_item(ui, app, Command::Preferences);
                if ui.button("Exit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                menu_item(ui, app, Command::Copy);
                menu_item(ui, app, Command::SelectAll);
                menu_item(ui, app, Command::Find);
                menu_item(ui, app, Command::FindNext);
                menu_item(ui, app, Command::FindPrevious);
            });
            ui.menu_button("Tools", |ui| {
                menu_item(ui, app, Command::Filter);
                menu_item(ui, app, Command::ErrorLookup);
                menu_item(ui, app, Command::NextError);
                menu_item(ui, app, Command::PreviousError);
                menu_item(ui, app, Command::NextWarning);
                menu_item(ui, app, Command::PreviousWarning);
                menu_item(ui, app, Command::Pause);
                menu_item(ui, app, Command::ToggleDetailColumns);
                menu_item(ui, app, Command::ToggleDetailsPane);
                menu_item(ui, app, Command::ToggleOutline);
                menu_item(ui, app, Command::NextDifference);
                menu_item(ui, app, Command::PreviousDifference);
            });
            ui.menu_button("Help", |ui| {
                menu_item(ui, app, Command::Shortcuts);
            });
        });
    });
}

pub(super) fn toolbar(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            command_button(ui, app, Command::Open, "Open…");
            ui.separator();
            command_button(ui, app, Command::PreviousError, "Prev error");
            command_button(ui, app, Command::NextError, "Next error");
            command_button(ui, app, Command::PreviousWarning, "Prev warning");
            command_button(ui, app, Command::NextWarning, "Next warning");
            ui.separator();
            let paused = app.active_tab().is_some_and(super::LogTab::is_paused);
            command_button(ui, app, Command::Pause, if paused { "Resume" } else { "Pause" });
            command_button(ui, app, Command::ToggleOutline, "Task sequence");
            // A comparison's panes show every record, lined up: no filters there.
            if let Some(tab) = app.tabs.get_mut(app.active)
                && tab.compare.is_none()
            {
                ui.separator();
                ui.label("Show:");
                let mut shown = tab.filter.severities;
                let mut changed = false;
                for (i, name) in ["Info", "Warnings", "Errors"].into_iter().enumerate() {
                    changed |= ui.toggle_value(&mut shown[i], name).on_hover_text(format!("Show {} rows", name.to_lowercase())).changed();
                }
                if changed {
                    tab.filter.severities = shown;
                    tab.apply_filter();
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Highlight:");
            ui.add(egui::TextEdit::singleline(&mut app.settings.highlight_text).desired_width(120.0).hint_text("text or thread"))
                .on_hover_text("Rows containing this text are highlighted; a decimal or 0x hex number highlights that thread's rows");
            ui.checkbox(&mut app.highlight_case, "Aa").on_hover_text("Case-sensitive highlight");
            ui.separator();
            let Some(tab) = app.tabs.get_mut(app.active) else { return };
            if tab.compare.is_some() {
                ui.weak("A comparison shows every record of both logs, lined up.");
                return;
            }
            ui.label("Filter:");
            let response = ui.add(egui::TextEdit::singleline(&mut tab.filter.quick).desired_width(160.0).hint_text("log text contains"));
            if response.changed() {
                tab.apply_filter();
            }
            if ui.button("Filter…").on_hover_text("Tools > Filter (Ctrl+Shift+F)").clicked() {
                app.panels.filter = true;
            }
            let tab = &mut app.tabs[app.active];
            if tab.filter.is_active() {
                let shown = tab.view_len();
                let total = tab.record_total();
                let label = RichText::new(format!("Filter active: {shown} of {total}")).color(ui.visuals().warn_fg_color).strong();
                ui.label(label);
                if ui.button("× Clear filter").clicked() {
                    tab.clear_filter();
                }
            }
            if let Some(error) = &tab.filter.error {
                ui.colored_label(ui.visuals().error_fg_color, error.clone());
            }
        });
    });
}

pub(super) fn find_bar(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("find").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("Find:");
            let focus = std::mem::take(&mut app.panels.focus_find);
            let Some(tab) = app.tabs.get_mut(app.active).map(LogTab::focused_mut) else {
                ui.label("Open a log to search it.");
                if ui.button("×").clicked() {
                    app.panels.find = false;
                }
                return;
            };
            let response = ui.add(
                egui::TextEdit::singleline(&mut tab.find.query.text)
                    .desired_width(280.0)
                    .hint_text("text to find"),
            );
            if focus {
                response.request_focus();
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

pub(super) fn status_bar(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(tab) = app.tabs.get_mut(app.active).map(LogTab::focused_mut) else {
                ui.label("Drop log files here, or File > Open (Ctrl+O).");
                return;
            };
            let counts = tab.counts();
            let total = tab.record_total();
            let shown = tab.view_len();
            if tab.filter.is_active() || tab.start_record > 0 {
                ui.label(format!("Records: {shown} of {total}"));
            } else {
                ui.label(format!("Records: {total}"));
            }
            ui.separator();
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Errors: {}", counts.errors),
            );
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Warnings: {}", counts.warnings),
            );
            ui.separator();
            if let Some(cursor) = tab.view.cursor {
                ui.label(format!("Row {} of {shown}", cursor + 1));
                ui.separator();
            }
            if let Some(text) = elapsed_text(tab) {
                ui.label(text);
                ui.separator();
            }
            if tab.is_paused() {
                ui.colored_label(ui.visuals().warn_fg_color, "Paused");
            }
            if let Some((what, fraction)) = tab.busy() {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!("{what} {:.0}%", fraction * 100.0)),
                );
            }
        });
    });
}

/// CMTrace's elapsed time: from the first record to the selection, or across
/// a multi-selection.
fn elapsed_text(tab: &LogTab) -> Option<String> {
    let (first, last) = tab.view.selection.bounds()?;
    let (from, to) = if first == last {
        (tab.entry_at(0)?, tab.entry_at(first)?)
    } else {
        (tab.entry_at(first)?, tab.entry_at(last)?)
    };
    match (tab.time_key(from), tab.time_key(to)) {
        (Some(a), Some(b)) => Some(format_elapsed(b - a)),
        _ => Some("Cannot compare entries that do not have a timestamp".into()),
    }
}

use super::LogTab;

/// One line saying what a code is, for tooltips.
fn code_summary(value: u32) -> String {
    crate::errors::lookup(crate::errors::Tables::builtin(), &format!("0x{value:08X}"))
        .ok()
        .and_then(|found| {
            found
                .into_iter()
                .find(|i| i.name.is_some() || i.meaning.is_some())
        })
        .map(|i| {
            format!(
                "{} {}",
                i.name.unwrap_or_default(),
                i.meaning.unwrap_or_default()
            )
            .trim()
            .to_owned()
        })
        .unwrap_or_else(|| "Look up this code".to_owned())
}

pub(super) fn details_pane(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("details")
        .resizable(true)
        .default_size(180.0)
        .min_size(110.0)
        .show(ui, |ui| {
            let Some(tab) = app.tabs.get(app.active).map(LogTab::focused) else {
                return;
            };
            let Some((source, record)) = tab.cursor_entry() else {
                ui.weak("Select a row to see the whole record here.");
                return;
            };
            let Some(row) = tab.sources[source].doc.row(record) else {
                return;
            };
            let f = &row.fields;
            ui.horizontal_wrapped(|ui| {
                let field = |ui: &mut Ui, name: &str, value: String| {
                    if !value.is_empty() {
                        ui.label(RichText::new(name).weak());
                        ui.label(value);
                        ui.add_space(10.0);
                    }
                };
                if tab.is_merged() {
                    field(ui, "File", tab.sources[source].name());
                }
                field(ui, "Record", format!("{}", row.record + 1));
                field(ui, "Time", f.time_text.clone().unwrap_or_default());
                let utc = match (row.utc_ms(), f.meta.zone) {
                    (Some(ms), crate::model::ZoneKind::Local) => {
                        format!("{} (zone unknown)", format_rfc3339_ms(ms))
                    }
                    (Some(ms), _) => format_rfc3339_ms(ms),
                    (None, _) => String::new(),
                };
                field(ui, "UTC", utc);
                field(ui, "Component", f.component.clone());
                field(ui, "Thread", log_view::thread_text(&f.thread));
                field(ui, "Source", f.source_file.clone());
                field(ui, "Context", f.context.clone());
            });
            let codes = crate::errors::detect::find_codes(&f.message);
            if !codes.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Error codes").weak());
                    let mut shown = Vec::new();
                    for code in &codes {
                        if shown.contains(&code.value) {
                            continue;
                        }
                        shown.push(code.value);
                        let written = &f.message[code.range.clone()];
                        if ui
                            .link(written)
                            .on_hover_text(code_summary(code.value))
                            .clicked()
                        {
                            app.pending_lookup = Some(written.to_owned());
                        }
                    }
                });
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let mut text = f.message.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut text)
                            .desired_width(f32::INFINITY)
                            .font(egui::TextStyle::Monospace),
                    );
                });
        });
}

pub(super) fn central(ui: &mut Ui, app: &mut LogWeaveApp, list_has_keys: bool) {
    egui::CentralPanel::default().show(ui, |ui| {
        let mut dismiss = None;
        for (i, notice) in app.notices.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, "!");
                ui.label(&notice.text);
                if ui.small_button("Dismiss").clicked() {
                    dismiss = Some(i);
                }
            });
        }
        if let Some(i) = dismiss {
            app.notices.remove(i);
        }
        if app.tabs.is_empty() {
            empty_state(ui, app);
            return;
        }
        let mut close = None;
        ui.horizontal_wrapped(|ui| {
            for i in 0..app.tabs.len() {
                let title = app.tabs[i].title();
                let selected = i == app.active;
                let response = ui.selectable_label(selected, &title).on_hover_text(
                    app.tabs[i]
                        .sources
                        .iter()
                        .map(|s| s.path.display().to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                if response.clicked() {
                    app.active = i;
                }
                if response.middle_clicked()
                    || ui
                        .small_button("×")
                        .on_hover_text("Close tab (Ctrl+W)")
                        .clicked()
                {
                    close = Some(i);
                }
                ui.add_space(6.0);
            }
        });
        if let Some(i) = close {
            app.close_tab(i);
            if app.tabs.is_empty() {
                return;
            }
        }
        let highlight = app.highlight();
        if app.tabs.len() > 1 && ui.small_button("Merge all tabs into one view").clicked() {
            app.request(Command::MergeTabs);
        }
        let tab = &mut app.tabs[app.active];
        if tab.is_merged() && merge_strip(ui, tab) {
            app.request(Command::AddToMerge);
        }
        let tab = &mut app.tabs[app.active];
        if let Some(scope) = &tab.scope {
            let name = scope.name.clone();
            let mut clear = false;
            ui.horizontal(|ui| {
                ui.label(format!("Showing the records of step “{name}” only."));
                clear = ui.small_button("Show all records").clicked();
            });
            if clear {
                tab.set_scope(None);
            }
        }
        if let Some(failure) = &tab.failure {
            let mut dismiss = false;
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, failure);
                dismiss = ui.small_button("Dismiss").clicked();
            });
            if dismiss {
                tab.failure = None;
            }
        }
        for source in &tab.sources {
            if let Some(notice) = &source.notice {
                let who = if tab.sources.len() > 1 {
                    format!("{}: ", source.name())
                } else {
                    String::new()
                };
                ui.colored_label(ui.visuals().warn_fg_color, format!("{who}{notice}"));
            }
        }
        ui.separator();
        if tab.compare.is_some() {
            super::compare_view::show(ui, tab, &mut app.settings, &highlight, list_has_keys);
        } else {
            log_view::show(ui, tab, &mut app.settings, &highlight, list_has_keys);
        }
    });
}

/// The files of a merged view: on/off, colour, the time rule used, a zone
/// override, remove; and the view's options. Returns true when "Add file…" was clicked.
fn merge_strip(ui: &mut Ui, tab: &mut LogTab) -> bool {
    let mut add = false;
    let mut toggles = Vec::new();
    let mut overrides = Vec::new();
    let mut remove = None;
    egui::Grid::new("merge-files")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            let plan = tab.merge.as_ref().and_then(|m| m.plan.clone());
            for (i, source) in tab.sources.iter().enumerate() {
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(
                        rect,
                        2.0,
                        super::theme::source_color(i, ui.visuals()),
                    );
                    let mut on = source.enabled;
                    if ui
                        .checkbox(&mut on, source.name())
                        .on_hover_text(format!(
                            "{}\nShow this file's records",
                            source.path.display()
                        ))
                        .changed()
                    {
                        toggles.push((i, on));
                    }
                });
                let rule = plan
                    .as_ref()
                    .and_then(|p| p.files.get(i))
                    .map_or_else(|| "…".to_owned(), crate::merge::FilePlan::describe);
                ui.label(RichText::new(rule).weak());
                ui.horizontal(|ui| {
                    let mut set = source.zone_override.is_some();
                    let mut hours = source.zone_override.map_or(0.0, |m| -f64::from(m) / 60.0);
                    let changed_set = ui
                        .checkbox(&mut set, "zone UTC")
                        .on_hover_text(
                            "Set this file's zone: its times are local time of that zone",
                        )
                        .changed();
                    let changed_hours = ui
                        .add_enabled(
                            set,
                            egui::DragValue::new(&mut hours)
                                .range(-14.0..=14.0)
                                .speed(0.25)
                                .suffix(" h"),
                        )
                        .changed();
                    if changed_set || changed_hours {
                        overrides.push((i, set.then(|| (-(hours * 60.0)).round() as i32)));
                    }
                });
                if ui
                    .small_button("×")
                    .on_hover_text("Remove this file from the view")
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        if ui.button("Add file…").clicked() {
            add = true;
        }
        if let Some(m) = &mut tab.merge {
            let mut hide = m.hide_duplicates;
            if ui.checkbox(&mut hide, "Hide duplicates").on_hover_text("Hide records identical in time, thread, component and message to one in another file").changed() {
                toggles.push((usize::MAX, hide));
            }
            ui.label("Times:");
            let mut display = m.time_display;
            egui::ComboBox::from_id_salt("time-display")
                .selected_text(match display {
                    super::tab::TimeDisplay::AsWritten => "as written".to_owned(),
                    super::tab::TimeDisplay::Utc => "UTC".to_owned(),
                    super::tab::TimeDisplay::Zone(m) => format!("UTC{:+}", f64::from(m) / 60.0),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut display, super::tab::TimeDisplay::AsWritten, "as written");
                    ui.selectable_value(&mut display, super::tab::TimeDisplay::Utc, "UTC");
                    for hours in [-8, -5, 0, 1, 2, 10] {
                        ui.selectable_value(&mut display, super::tab::TimeDisplay::Zone(hours * 60), format!("UTC{hours:+}"));
                    }
                });
            m.time_display = display;
            if let Some(plan) = &m.plan {
                ui.label(RichText::new(if plan.one_machine { "ordered by wall clock (one machine)" } else { "ordered by UTC (several zones)" }).weak());
            }
        }
    });
    for (i, on) in toggles {
        if i == usize::MAX {
            tab.set_hide_duplicates(on);
        } else {
            tab.set_enabled(i, on);
        }
    }
    for (i, minutes) in overrides {
        tab.set_zone_override(i, minutes);
    }
    if let Some(i) = remove {
        tab.remove_source(i);
    }
    add
}

fn empty_state(ui: &mut Ui, app: &mut LogWeaveApp) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.2);
        ui.heading("LogWeave");
        ui.label("Open a ConfigMgr, MDT, Intune or Windows log — or drop log files here.");
        ui.add_space(12.0);
        if ui.button(RichText::new("Open…").size(18.0)).clicked() {
            app.request(Command::Open);
        }
        if !app.settings.recent_files.is_empty() {
            ui.add_space(16.0);
            ui.label(RichText::new("Recent files").strong());
            for path in app.settings.recent_files.clone() {
                if ui.link(path.display().to_string()).clicked() {
                    app.open(&path, false);
                }
            }
        }
    });
}

pub(super) fn windows(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let mut open = app.panels.shortcuts;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for command in Command::ALL {
                    let keys = command.shortcut_text(ctx);
                    if !keys.is_empty() {
                        ui.label(RichText::new(keys).monospace());
                        ui.label(command.label());
                        ui.end_row();
                    }
                }
                for (keys, what) in LIST_KEYS_HELP {
                    ui.label(RichText::new(*keys).monospace());
                    ui.label(*what);
                    ui.end_row();
                }
            });
        });
    app.panels.shortcuts = open;

    let mut open = app.panels.preferences;
    egui::Window::new("Preferences")
        .open(&mut open)
        .show(ctx, |ui| preferences(ui, app));
    app.panels.preferences = open;

    let mut open = app.panels.filter;
    egui::Window::new("Filter")
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| filter_window(ui, app));
    app.panels.filter = open;
}

fn preferences(ui: &mut Ui, app: &mut LogWeaveApp) {
    let s = &mut app.settings;
    egui::Grid::new("prefs").num_columns(2).show(ui, |ui| {
        ui.label("Update interval (ms)");
        ui.add(
            egui::DragValue::new(&mut s.poll_interval_ms)
                .range(100..=60_000)
                .speed(50),
        );
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
    });
    ui.weak("Keywords colour lines of logs without a severity field (case-insensitive); they apply to files opened afterwards.");
}

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

fn filter_window(ui: &mut Ui, app: &mut LogWeaveApp) {
    let Some(tab) = app.tabs.get_mut(app.active) else {
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
                });
            let op_name = OPS.iter().find(|o| o.0 == clause.op).map_or("", |o| o.1);
            egui::ComboBox::from_id_salt(("op", i))
                .selected_text(op_name)
                .show_ui(ui, |ui| {
                    for (op, name) in OPS {
                        ui.selectable_value(&mut clause.op, op, name);
                    }
                });
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

/// Several files were dropped: one merged view, or a tab each?
pub(super) fn drop_dialog(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let Some(choice) = &mut app.panels.drop_choice else {
        return;
    };
    let mut answer = None;
    let mut compare = false;
    egui::Modal::new(egui::Id::unique("drop-choice")).show(ctx, |ui| {
        ui.heading(format!("Open {} files", choice.files.len()));
        for f in choice.files.iter().take(8) {
            ui.label(f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ));
        }
        ui.checkbox(
            &mut choice.remember,
            "Remember my choice (hold Shift while dropping to merge)",
        );
        ui.horizontal(|ui| {
            if ui.button("One merged view").clicked() {
                answer = Some(true);
            }
            if ui.button("A tab for each").clicked() {
                answer = Some(false);
            }
            if choice.files.len() == 2 && ui.button("Compare side by side").clicked() {
                compare = true;
            }
            if ui.button("Cancel").clicked() {
                answer = Some(false);
                choice.files.clear();
            }
        });
    });
    if compare
        && let Some(choice) = app.panels.drop_choice.take()
        && let [a, b] = choice.files.as_slice()
    {
        app.open_compare(a, b);
        return;
    }
    if let Some(merge) = answer
        && let Some(choice) = app.panels.drop_choice.take()
    {
        if choice.remember && !choice.files.is_empty() {
            app.settings.drop_merges = Some(merge);
        }
        if merge {
            app.open_merged(&choice.files);
        } else {
            for f in &choice.files {
                app.open(f, false);
            }
        }
    }
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

/// The Save As dialog; returns the choice when the user confirms.
pub(super) fn save_dialog(ctx: &egui::Context, app: &mut LogWeaveApp) -> Option<SaveRequest> {
    let mut request = app.panels.save?;
    let selected = app.active_tab().map_or(0, |t| t.view.selection.len());
    let visible = app.active_tab().map_or(0, LogTab::view_len);
    let mut confirmed = None;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("save-as")).show(ctx, |ui| {
        ui.heading("Save As");
        ui.radio_value(
            &mut request.scope,
            SaveScope::Selected,
            format!("Selected rows ({selected})"),
        );
        ui.radio_value(
            &mut request.scope,
            SaveScope::Visible,
            format!("All rows shown ({visible})"),
        );
        ui.separator();
        ui.radio_value(
            &mut request.format,
            ExportFormat::Original,
            "Original log text (opens in CMTrace)",
        );
        ui.radio_value(
            &mut request.format,
            ExportFormat::Tsv,
            "Tab-separated columns",
        );
        ui.horizontal(|ui| {
            if ui.button("Save…").clicked() {
                confirmed = Some(request);
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
    });
    app.panels.save = if confirmed.is_some() || cancel {
        None
    } else {
        Some(request)
    };
    confirmed
}
