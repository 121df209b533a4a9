//! "Open task sequence logs…": finds the copies of smsts.log a deployment
//! left behind (on this computer's drives, or inside a folder the user picked
//! or dropped, e.g. a copied log bundle) and opens them as one chain — one
//! merged timeline with overlapping records hidden and the task-sequence
//! panel beside it. The search runs off the UI thread.

use std::path::{Path, PathBuf};

use egui::{Context, RichText};

use super::LogWeaveApp;
use crate::jobs::{Job, Waker};
use crate::tasksequence::chain;

/// Where to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchPlace {
    /// Every drive of this computer, in the places the task sequence writes to.
    ThisComputer,
    /// Inside one folder (all its subfolders).
    Folder(PathBuf),
}

impl SearchPlace {
    fn describe(&self) -> String {
        match self {
            SearchPlace::ThisComputer => "this computer's drives".to_owned(),
            SearchPlace::Folder(p) => p.display().to_string(),
        }
    }
}

/// The smsts.log copies in a place.
pub fn find_copies(place: &SearchPlace) -> Vec<PathBuf> {
    match place {
        SearchPlace::ThisComputer => chain::copies_on_this_machine(),
        SearchPlace::Folder(folder) => chain::copies_in_folder(folder),
    }
}

/// The dialog's state.
#[derive(Default)]
pub struct ChainDialog {
    /// Shown.
    pub open: bool,
    /// The place searched last.
    pub place: Option<SearchPlace>,
    /// Copies found, each with "open it" ticked or not.
    pub found: Vec<(PathBuf, bool)>,
    /// Why the last search or folder pick failed, if it did.
    pub failure: Option<String>,
    search: Option<Job<Vec<PathBuf>>>,
    folder_dialog: Option<Job<Option<PathBuf>>>,
}

impl ChainDialog {
    /// Opens the dialog and searches `place` in the background.
    pub fn search(&mut self, place: SearchPlace, waker: Option<Waker>) {
        self.open = true;
        self.found.clear();
        self.failure = None;
        self.place = Some(place.clone());
        self.search = Some(Job::spawn("logweave-find-smsts", waker, move |_| {
            find_copies(&place)
        }));
    }

    /// True while searching.
    pub fn is_searching(&self) -> bool {
        self.search.is_some()
    }

    /// Takes in finished searches and folder picks.
    fn poll(&mut self, waker: Option<Waker>) {
        if let Some(job) = &mut self.search
            && job.is_finished()
        {
            match job.take() {
                Some(Ok(found)) => self.found = found.into_iter().map(|p| (p, true)).collect(),
                Some(Err(e)) => self.failure = Some(format!("The search failed: {e}")),
                None => {}
            }
            self.search = None;
        }
        if let Some(job) = &mut self.folder_dialog
            && job.is_finished()
        {
            let picked = job.take();
            self.folder_dialog = None;
            match picked {
                Some(Ok(Some(folder))) => self.search(SearchPlace::Folder(folder), waker),
                Some(Err(e)) => self.failure = Some(format!("The folder dialog failed: {e}")),
                _ => {}
            }
        }
    }

    fn pick_folder(&mut self, waker: Option<Waker>) {
        if self.folder_dialog.is_none() {
            // The native dialog blocks its thread, so it runs on its own.
            self.folder_dialog = Some(Job::spawn("logweave-folder-dialog", waker, |_| {
                rfd::FileDialog::new()
                    .set_title("Folder with task sequence logs")
                    .pick_folder()
            }));
        }
    }
}

fn file_label(path: &Path) -> String {
    let size = std::fs::metadata(path)
        .map(|m| format!("{:.1} KB", m.len() as f64 / 1024.0))
        .unwrap_or_default();
    format!("{}   {size}", path.display())
}

/// Draws the dialog; opens the chain when asked.
pub(super) fn window(ctx: &Context, app: &mut LogWeaveApp) {
    let waker = app.waker.clone();
    app.chain.poll(waker.clone());
    if !app.chain.open {
        return;
    }
    let mut open = app.chain.open;
    let mut chosen: Option<Vec<PathBuf>> = None;
    egui::Window::new("Open task sequence logs")
        .open(&mut open)
        .default_width(620.0)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "smsts.log moves while a task sequence runs (X:\\Windows\\Temp\\SMSTSLog, \
                 C:\\_SMSTaskSequence\\Logs\\Smstslog, C:\\Windows\\CCM\\Logs\\SMSTSLog …) and \
                 rolls over to smsts-YYYYMMDD-HHMMSS.log. Every copy found opens as one \
                 timeline, overlaps hidden.",
            );
            ui.horizontal(|ui| {
                if ui
                    .button("Search this computer")
                    .on_hover_text("Every drive letter, in the places the task sequence writes to")
                    .clicked()
                {
                    app.chain.search(SearchPlace::ThisComputer, waker.clone());
                }
                if ui
                    .button("Choose a folder…")
                    .on_hover_text(
                        "A copied log bundle or a drive: all its subfolders are searched",
                    )
                    .clicked()
                {
                    app.chain.pick_folder(waker.clone());
                }
            });
            ui.separator();
            if let Some(failure) = &app.chain.failure {
                ui.colored_label(ui.visuals().error_fg_color, failure);
            }
            if app.chain.is_searching() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Looking in {}…",
                        app.chain
                            .place
                            .as_ref()
                            .map(SearchPlace::describe)
                            .unwrap_or_default()
                    ));
                });
                return;
            }
            let Some(place) = &app.chain.place else {
                return;
            };
            if app.chain.found.is_empty() {
                ui.label(format!("No smsts.log found in {}.", place.describe()));
                return;
            }
            ui.label(RichText::new(format!(
                "{} found in {}:",
                match app.chain.found.len() {
                    1 => "1 copy".to_owned(),
                    n => format!("{n} copies"),
                },
                place.describe()
            )));
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    for (path, on) in &mut app.chain.found {
                        ui.checkbox(on, file_label(path));
                    }
                });
            let picked: Vec<PathBuf> = app
                .chain
                .found
                .iter()
                .filter(|(_, on)| *on)
                .map(|(p, _)| p.clone())
                .collect();
            ui.add_space(4.0);
            if ui
                .add_enabled(
                    !picked.is_empty(),
                    egui::Button::new("Open as one timeline"),
                )
                .clicked()
            {
                chosen = Some(picked);
            }
        });
    app.chain.open = open;
    if let Some(paths) = chosen {
        app.chain.open = false;
        app.open_chain(&paths);
    }
}
