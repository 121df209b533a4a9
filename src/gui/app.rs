//! The app shell ([`LogWeaveApp`]): the open tabs, the settings, the
//! windows that are open, and what commands do (open, save, find, jump,
//! compare...). It reads logs through the view layer and the core's
//! documents and knows nothing about how a host paints: the eframe host
//! (`host.rs`) draws it with the panels, and another host could too. Never
//! imports a panel. Paths that are not plain logs (bundles, folders, entries
//! of archives, other computers' shares) are `app/bundles.rs`.

mod bundles;
mod compare_tabs;
mod dialogs;
mod print;

pub use dialogs::PathBox;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::commands::Command;
use super::settings::{Settings, ThemeChoice};
use super::single_instance::Listener;
use super::view::{
    BundleView, ChainDialog, CompareTab, ErrorLookup, Highlight, LogTab, OpenAs, Opener,
    RemoteDialog, SearchPlace, ServedDialog, Tab, copy_text, is_plain_local_file,
};
use crate::document::LogDocument;
use crate::export::{self, ExportFormat};
use crate::jobs::{Job, Waker};
use crate::model::{Direction, Severity};

/// How the files given on the command line open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A tab for each.
    #[default]
    Tabs,
    /// One merged view (`--merge`).
    Merged,
    /// Two files side by side (`--compare`).
    Compare,
    /// The task sequence's smsts.log copies found on this computer's
    /// drives, or in the folders given, opened as one chain
    /// (`--task-sequence`).
    TaskSequence,
}

/// What files picked in the Open dialog are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenPurpose {
    /// Each in its own tab (optionally showing only lines written from now on).
    Tabs {
        /// Start at the end of each file.
        ignore_existing: bool,
    },
    /// All in one merged view.
    Merged,
    /// Added to the merged view of tab `n`.
    AddTo(usize),
    /// Two files side by side.
    Compare,
}

/// A problem to show at the top of the window until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The text, naming the file and the reason.
    pub text: String,
}

/// What Save As writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveScope {
    /// The selected rows.
    Selected,
    /// Every row the view shows (the filtered records).
    Visible,
}

/// The Save As dialog's choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaveRequest {
    /// Which rows.
    pub scope: SaveScope,
    /// In which form.
    pub format: ExportFormat,
}

/// Files dropped together, waiting for the user to choose tabs or one merged view.
pub struct DropChoice {
    /// The files.
    pub files: Vec<PathBuf>,
    /// Remember the answer for next time.
    pub remember: bool,
}

/// Windows and bars that can be open.
#[derive(Default)]
pub struct OpenPanels {
    /// Help > Keyboard shortcuts.
    pub shortcuts: bool,
    /// Help > About LogWeave.
    pub about: bool,
    /// Preferences.
    pub preferences: bool,
    /// Tools > Filter.
    pub filter: bool,
    /// The find bar.
    pub find: bool,
    /// Focus the find box on the next frame.
    pub focus_find: bool,
    /// Focus the Highlight box on the next frame (Tools > Highlight).
    pub focus_highlight: bool,
    /// Window > Compare two open logs: the two tabs chosen so far.
    pub compare_tabs: Option<(usize, usize)>,
    /// Several files were dropped: ask whether to merge them.
    pub drop_choice: Option<DropChoice>,
    /// The Save As dialog, with its choices.
    pub save: Option<SaveRequest>,
    /// Windows: "Open .log and .lo_ files with LogWeave?" at start.
    pub association_offer: bool,
    /// The Diagnosis window (errors ranked).
    pub diagnosis: bool,
    /// What the last association change said (shown in Preferences).
    pub association_result: Option<String>,
}

/// The LogWeave viewer.
pub struct LogWeaveApp {
    /// User preferences (persisted).
    pub settings: Settings,
    /// Open logs.
    pub tabs: Vec<Tab>,
    /// Index of the active tab.
    pub active: usize,
    /// Problems to show.
    pub notices: Vec<Notice>,
    /// Open windows and bars.
    pub panels: OpenPanels,
    /// Highlight box is case-sensitive.
    pub highlight_case: bool,
    /// The Error Lookup window.
    pub lookup: ErrorLookup,
    /// A code clicked in the details pane, to look up at the end of the frame.
    pub pending_lookup: Option<String>,
    /// The "Open task sequence logs" dialog.
    pub chain: ChainDialog,
    /// The bundle panel: an archive or a folder of logs.
    pub bundle: BundleView,
    /// The "Open from computer" dialog.
    pub remote: RemoteDialog,
    /// File > Open remote.
    pub served: ServedDialog,
    /// Paths being decided and archive entries being opened.
    opener: Opener,
    /// The native dialog picking a bundle or a folder.
    bundle_dialog: Option<bundles::BundleDialog>,
    pub(super) waker: Option<Waker>,
    dialog: Option<dialogs::OpenDialog>,
    /// Paths to type when no native file dialog can be shown.
    pub path_box: Option<PathBox>,
    save_job: Option<Job<Result<PathBuf, String>>>,
    print_job: Option<print::PrintJob>,
    pub(super) commands: Vec<Command>,
    /// Files later starts of `logweave FILE` hand to this window.
    pub(super) instance: Option<Listener>,
    title: String,
    /// Logs pasted so far (to name the next one).
    pasted: usize,
    /// Paste as new log was asked for: a paste event in the next frames
    /// (counted down) is a log.
    pub(super) paste_pending: u8,
}

impl LogWeaveApp {
    /// Creates the app with explicit settings, opening `files` as `layout` says.
    pub fn with_layout(
        settings: Settings,
        files: &[PathBuf],
        layout: Layout,
        waker: Option<Waker>,
    ) -> LogWeaveApp {
        match (layout, files) {
            (Layout::Merged | Layout::Compare, _)
                if !files.iter().all(|f| is_plain_local_file(f)) =>
            {
                // Bundles, folders, entry paths or shares: expanded and
                // opened in the background, then merged or compared.
                let mut app = LogWeaveApp::with_settings(settings, &[], waker);
                let open_as = match layout {
                    Layout::Merged => OpenAs::Merged,
                    _ => OpenAs::Compare,
                };
                let options = app.open_options();
                app.opener
                    .open_paths(files.to_vec(), open_as, options, app.waker.clone());
                app
            }
            (Layout::Merged, [_, _, ..]) => {
                let mut app = LogWeaveApp::with_settings(settings, &[], waker);
                app.open_merged(files);
                app
            }
            (Layout::Compare, [a, b]) => {
                let mut app = LogWeaveApp::with_settings(settings, &[], waker);
                app.open_compare(a, b);
                app
            }
            (Layout::TaskSequence, _) => {
                let mut app = LogWeaveApp::with_settings(settings, &[], waker);
                let place = match files.first() {
                    Some(folder) => SearchPlace::Folder(folder.clone()),
                    None => SearchPlace::ThisComputer,
                };
                app.chain.search(place, app.waker.clone());
                app.chain.open_when_found = true;
                app
            }
            _ => LogWeaveApp::with_settings(settings, files, waker),
        }
    }

    /// Creates the app with explicit settings (tests use this).
    pub fn with_settings(
        settings: Settings,
        files: &[PathBuf],
        waker: Option<Waker>,
    ) -> LogWeaveApp {
        let mut app = LogWeaveApp {
            settings,
            tabs: Vec::new(),
            active: 0,
            notices: Vec::new(),
            panels: OpenPanels::default(),
            highlight_case: false,
            lookup: ErrorLookup::default(),
            pending_lookup: None,
            chain: ChainDialog::default(),
            bundle: BundleView::default(),
            remote: RemoteDialog::default(),
            served: ServedDialog::default(),
            opener: Opener::default(),
            bundle_dialog: None,
            waker,
            dialog: None,
            path_box: None,
            save_job: None,
            print_job: None,
            commands: Vec::new(),
            instance: None,
            title: String::new(),
            pasted: 0,
            paste_pending: 0,
        };
        for file in files {
            app.open_path(file);
        }
        app
    }

    /// Shows why the settings file could not be used (see
    /// [`crate::settings::load`]), if it could not.
    pub fn report_settings_problem(&mut self, problem: Option<String>) {
        if let Some(text) = problem {
            self.notices.push(Notice { text });
        }
    }

    /// Opens a document (or shows why it cannot be opened).
    fn open_document(&mut self, path: &Path) -> Option<LogDocument> {
        match LogDocument::open(path, self.open_options()) {
            Ok(doc) => {
                self.settings.remember(path);
                Some(doc)
            }
            Err(e) => {
                self.notices.push(Notice {
                    text: format!("Cannot open {}: {e}", path.display()),
                });
                None
            }
        }
    }

    /// Escape: closes the floating windows if any is open, else the find
    /// bar. Returns false when there was nothing to close.
    pub fn close_on_escape(&mut self) -> bool {
        let panels = &mut self.panels;
        let floating = [
            &mut panels.shortcuts,
            &mut panels.about,
            &mut panels.preferences,
            &mut panels.filter,
            &mut panels.diagnosis,
            &mut self.lookup.open,
            &mut self.chain.open,
            &mut self.remote.open,
            &mut self.served.open,
        ];
        let mut closed = false;
        for open in floating {
            closed |= std::mem::take(open);
        }
        closed |= self.path_box.take().is_some();
        closed |= panels.compare_tabs.take().is_some();
        if !closed && panels.find {
            panels.find = false;
            closed = true;
        }
        closed
    }

    /// The window title set by the last frame.
    pub fn window_title(&self) -> &str {
        &self.title
    }

    /// Opens `text` (pasted from the clipboard) as a log in a new tab:
    /// CMTrace's copied rows, a CCM excerpt or any lines, read like a file
    /// (colours, outline, triage, lookups); File > Save As writes it out.
    pub fn open_pasted(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.notices.push(Notice {
                text: "The clipboard holds no text to open as a log.".to_owned(),
            });
            return;
        }
        self.pasted += 1;
        let name = if self.pasted == 1 {
            "Pasted log".to_owned()
        } else {
            format!("Pasted log {}", self.pasted)
        };
        let doc = LogDocument::from_bytes(&name, text.as_bytes().to_vec(), self.open_options());
        let mut tab = LogTab::new(
            doc,
            self.settings.poll_interval_ms,
            false,
            self.waker.clone(),
        );
        // A task sequence's lines: the outline and the diagnosis strip.
        tab.outline.wanted |= crate::tasksequence::vocab::looks_like_task_sequence(text);
        self.tabs.push(Tab::Log(tab));
        self.active = self.tabs.len() - 1;
    }

    /// Opens a file in a new tab (or shows why it cannot be opened).
    pub fn open(&mut self, path: &Path, ignore_existing: bool) {
        if let Some(doc) = self.open_document(path) {
            let mut tab = LogTab::new(
                doc,
                self.settings.poll_interval_ms,
                ignore_existing,
                self.waker.clone(),
            );
            // CMTrace opens a log at its end and follows what is written.
            tab.view.follow_end |= self.settings.open_at_end;
            self.tabs.push(Tab::Log(tab));
            self.active = self.tabs.len() - 1;
        }
    }

    /// Opens files in one merged view.
    pub fn open_merged(&mut self, paths: &[PathBuf]) {
        let docs: Vec<Arc<LogDocument>> = paths
            .iter()
            .filter_map(|p| self.open_document(p))
            .map(Arc::new)
            .collect();
        if !docs.is_empty() {
            self.tabs.push(Tab::Log(LogTab::merged(
                docs,
                self.settings.poll_interval_ms,
                self.waker.clone(),
            )));
            self.active = self.tabs.len() - 1;
        }
    }

    /// Opens two logs side by side, their rows lined up (File > Compare).
    pub fn open_compare(&mut self, a: &Path, b: &Path) {
        let (Some(doc_a), Some(doc_b)) = (self.open_document(a), self.open_document(b)) else {
            return;
        };
        let poll = self.settings.poll_interval_ms;
        let pane_a = LogTab::new(doc_a, poll, false, self.waker.clone());
        let pane_b = LogTab::new(doc_b, poll, false, self.waker.clone());
        self.tabs
            .push(Tab::Compare(Box::new(CompareTab::new(pane_a, pane_b))));
        self.active = self.tabs.len() - 1;
    }

    /// Windows: makes this LogWeave the viewer of `.log` and `.lo_` files for
    /// this user; the outcome is shown in Preferences.
    pub fn associate_log_files(&mut self) {
        use crate::association;
        let result = association::viewer_exe().and_then(|exe| association::register(&exe));
        self.panels.association_result = Some(match result {
            Ok(()) => "LogWeave now opens .log and .lo_ files.".to_owned(),
            Err(e) => format!("Could not make LogWeave the viewer of .log files: {e}"),
        });
    }

    /// Undoes [`associate_log_files`](Self::associate_log_files).
    pub fn unassociate_log_files(&mut self) {
        self.panels.association_result = Some(match crate::association::unregister() {
            Ok(()) => "LogWeave no longer opens .log and .lo_ files.".to_owned(),
            Err(e) => format!("Could not undo it: {e}"),
        });
    }

    /// True when the Task sequence panel shows beside the active tab.
    pub fn outline_shown(&self) -> bool {
        self.settings.show_outline && self.active_tab().is_some_and(|t| t.outline.wanted)
    }

    /// Replaces all open tabs by one merged view of their files.
    pub fn merge_tabs(&mut self) {
        let mut docs: Vec<Arc<LogDocument>> = Vec::new();
        for tab in &self.tabs {
            for s in tab.sources() {
                if !docs.iter().any(|d| Arc::ptr_eq(d, &s.doc)) {
                    docs.push(Arc::clone(&s.doc));
                }
            }
        }
        if docs.len() < 2 {
            return;
        }
        let old = std::mem::take(&mut self.tabs);
        self.tabs.push(Tab::Log(LogTab::merged(
            docs,
            self.settings.poll_interval_ms,
            self.waker.clone(),
        )));
        self.active = 0;
        // The documents live on in the merged view; only the old tabs' tails stop.
        let _ = std::thread::Builder::new()
            .name("logweave-close".into())
            .spawn(move || drop(old));
    }

    /// The active tab's log view (pane A of a comparison).
    pub fn active_tab(&self) -> Option<&LogTab> {
        self.tabs.get(self.active).map(Tab::primary)
    }

    /// The active tab's log view, mutably.
    pub fn active_tab_mut(&mut self) -> Option<&mut LogTab> {
        self.tabs.get_mut(self.active).map(Tab::primary_mut)
    }

    /// The active tab's comparison, when it is one.
    pub fn active_compare(&self) -> Option<&CompareTab> {
        self.tabs.get(self.active).and_then(Tab::compare)
    }

    /// Queues a command for the end of the frame.
    pub fn request(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Closes tab `i`: its indexing, search and tail are cancelled, and
    /// waited for off the UI thread.
    pub fn close_tab(&mut self, i: usize) {
        if i < self.tabs.len() {
            let tab = self.tabs.remove(i);
            tab.cancel_work();
            let _ = std::thread::Builder::new()
                .name("logweave-close".into())
                .spawn(move || drop(tab));
            self.active = self.active.min(self.tabs.len().saturating_sub(1));
        }
    }

    pub(super) fn highlight(&self) -> Highlight {
        Highlight::parse(&self.settings.highlight_text, self.highlight_case)
    }

    /// Runs one command now.
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        let active = self.active;
        // Commands act on the pane that has the keyboard (pane B of a comparison).
        let tab = self.tabs.get_mut(active).map(Tab::focused_mut);
        match command {
            Command::Open => self.pick_files(OpenPurpose::Tabs {
                ignore_existing: false,
            }),
            Command::OpenIgnoringExisting => self.pick_files(OpenPurpose::Tabs {
                ignore_existing: true,
            }),
            Command::OpenMerged => self.pick_files(OpenPurpose::Merged),
            Command::AddToMerge => {
                if self
                    .tabs
                    .get(active)
                    .is_some_and(|t| t.primary().is_merged())
                {
                    self.pick_files(OpenPurpose::AddTo(active));
                }
            }
            Command::MergeTabs => self.merge_tabs(),
            Command::Print => self.print_view(),
            Command::SaveAs => {
                if let Some(tab) = tab {
                    let scope = if tab.view.selection.len() > 1 {
                        SaveScope::Selected
                    } else {
                        SaveScope::Visible
                    };
                    self.panels.save = Some(SaveRequest {
                        scope,
                        format: ExportFormat::Original,
                    });
                }
            }
            Command::CloseTab => self.close_tab(active),
            Command::NextTab | Command::PreviousTab => {
                let n = self.tabs.len();
                if n > 0 {
                    let step = if command == Command::NextTab {
                        1
                    } else {
                        n - 1
                    };
                    self.active = (self.active + step) % n;
                }
            }
            Command::Highlight => self.panels.focus_highlight = true,
            Command::CompareTabs => self.choose_tabs_to_compare(),
            Command::Copy => {
                if let Some(tab) = tab {
                    let text = copy_text(tab);
                    if !text.is_empty() {
                        ctx.copy_text(text);
                    }
                }
            }
            Command::SelectAll => {
                if let Some(tab) = tab {
                    let len = tab.view_len();
                    if len > 0 {
                        tab.view.selection.set_range(0, len - 1);
                    }
                }
            }
            Command::Find => {
                self.panels.find = true;
                self.panels.focus_find = true;
                if let Some(tab) = tab
                    && tab.find.query.text.is_empty()
                    && let Some(last) = self.settings.find_history.first()
                {
                    tab.find.query.text.clone_from(last);
                }
            }
            Command::FindNext | Command::FindPrevious => {
                let direction = if command == Command::FindNext {
                    Direction::Forward
                } else {
                    Direction::Backward
                };
                if let Some(tab) = tab {
                    if tab.find.matcher.is_none() && !tab.find.query.text.is_empty() {
                        tab.start_find();
                    }
                    self.settings.remember_find(&tab.find.query.text);
                    // Before the search has found anything, the jump waits for it.
                    let found = tab.jump_to_hit(direction);
                    tab.find.pending_jump = (!found && tab.find.job.is_some()).then_some(direction);
                } else {
                    self.panels.find = true;
                }
            }
            Command::NextError
            | Command::PreviousError
            | Command::NextWarning
            | Command::PreviousWarning => {
                let severity = if matches!(command, Command::NextError | Command::PreviousError) {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let direction = if matches!(command, Command::NextError | Command::NextWarning) {
                    Direction::Forward
                } else {
                    Direction::Backward
                };
                if let Some(tab) = tab {
                    let found = tab.jump_to_severity(severity, direction);
                    tab.view.note = (!found).then(|| {
                        let kind = match severity {
                            Severity::Error => "errors",
                            _ => "warnings",
                        };
                        match direction {
                            Direction::Forward => format!("No more {kind} below"),
                            Direction::Backward => format!("No more {kind} above"),
                        }
                    });
                }
            }
            Command::Filter => self.panels.filter = !self.panels.filter,
            Command::Diagnosis => self.panels.diagnosis = !self.panels.diagnosis,
            Command::PasteAsLog => {
                // The back end answers with a paste event (frame.rs).
                self.paste_pending = 3;
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
            }
            Command::ErrorLookup => {
                self.lookup.open = true;
                self.lookup.focus = true;
            }
            Command::Pause => {
                if let Some(tab) = tab {
                    let paused = !tab.is_paused();
                    tab.set_paused(paused);
                }
            }
            Command::ToggleDetailColumns => {
                self.settings.show_detail_columns = !self.settings.show_detail_columns
            }
            Command::ToggleDetailsPane => {
                self.settings.show_details_pane = !self.settings.show_details_pane
            }
            Command::Preferences => self.panels.preferences = !self.panels.preferences,
            Command::Shortcuts => self.panels.shortcuts = !self.panels.shortcuts,
            Command::About => self.panels.about = !self.panels.about,
            Command::OpenTaskSequenceLogs => self.chain.open = true,
            Command::OpenBundle => self.pick_bundle(false),
            Command::OpenFolder => self.pick_bundle(true),
            Command::OpenFromComputer => self.remote.show(),
            Command::OpenRemote => self.served.show(),
            // With two logs open, offer them first (files can still be chosen).
            Command::Compare if self.single_log_tabs().len() >= 2 => {
                self.choose_tabs_to_compare();
            }
            Command::Compare => self.pick_files(OpenPurpose::Compare),
            Command::NextDifference | Command::PreviousDifference => {
                if let Some(compare) = self.tabs.get_mut(active).and_then(Tab::compare_mut) {
                    compare.jump_to_difference(command == Command::NextDifference);
                }
            }
            Command::ToggleOutline => {
                if self.outline_shown() {
                    self.settings.show_outline = false;
                } else if let Some(tab) = self.tabs.get_mut(active) {
                    tab.primary_mut().outline.wanted = true;
                    self.settings.show_outline = true;
                }
            }
        }
    }

    /// Writes the chosen rows of the active tab to a file picked in the native dialog.
    /// Writes the chosen rows of the focused pane to a file picked in the native dialog.
    pub(super) fn start_save(&mut self, request: SaveRequest) {
        let Some(tab) = self.tabs.get(self.active).map(Tab::focused) else {
            return;
        };
        let entries: Vec<(usize, usize)> = match request.scope {
            SaveScope::Selected => tab
                .view
                .selection
                .rows()
                .filter_map(|r| tab.entry_at(r))
                .collect(),
            SaveScope::Visible => (0..tab.view_len())
                .filter_map(|r| tab.entry_at(r))
                .collect(),
        };
        let docs: Vec<Arc<LogDocument>> = tab.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        let default_name = match request.format {
            ExportFormat::Original => format!("{}-saved.log", tab.title().trim_end_matches(".log")),
            ExportFormat::Tsv => format!("{}.tsv", tab.title().trim_end_matches(".log")),
        };
        self.save_job = Some(Job::spawn(
            "logweave-save",
            self.waker.clone(),
            move |ctx| {
                let Some(path) = rfd::FileDialog::new()
                    .set_file_name(&default_name)
                    .save_file()
                else {
                    return Err(String::new());
                };
                let file = std::fs::File::create(&path)
                    .map_err(|e| format!("Cannot write {}: {e}", path.display()))?;
                let mut out = std::io::BufWriter::new(file);
                export::write_entries(
                    &docs.iter().map(AsRef::as_ref).collect::<Vec<_>>(),
                    &entries,
                    request.format,
                    &mut out,
                    Some(ctx),
                )
                .map_err(|e| format!("Cannot write {}: {e}", path.display()))?;
                Ok(path)
            },
        ));
    }

    /// What happens every frame before drawing: dropped files, finished
    /// dialogs and jobs, polling the tabs, the window title and theme.
    pub(super) fn logic_step(&mut self, ctx: &egui::Context) {
        // Paths another start of `logweave PATH` handed over, and paths dropped.
        self.take_given_paths(ctx);
        self.poll_opening();
        // The smsts.log search: with `--task-sequence`, what it finds opens at once.
        self.chain.poll(self.waker.clone());
        if self.chain.open_when_found && !self.chain.is_searching() && self.chain.place.is_some() {
            self.chain.open_when_found = false;
            let found: Vec<PathBuf> = self.chain.found.iter().map(|(p, _)| p.clone()).collect();
            if !found.is_empty() {
                self.chain.open = false;
                self.open_chain(&found);
            }
        }
        self.poll_file_dialog();
        self.poll_print();
        if let Some(job) = &mut self.save_job
            && let Some(result) = job.take()
        {
            self.save_job = None;
            match result {
                Ok(Err(e)) if !e.is_empty() => self.notices.push(Notice { text: e }),
                Err(e) => self.notices.push(Notice {
                    text: format!("Saving failed: {e}"),
                }),
                _ => {}
            }
        }
        for tab in &mut self.tabs {
            tab.poll();
        }
        self.lookup.poll();
        let busy = self.tabs.iter().any(|t| t.busy().is_some())
            || self.bundle.is_busy()
            || self.opener.is_busy()
            || self.remote.is_checking()
            || self.served.is_connecting();
        if busy {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        // The full path of a single log, as CMTrace shows it.
        let title = match self.tabs.get(self.active) {
            Some(Tab::Log(log)) if log.sources.len() == 1 && !log.sources[0].doc.is_in_memory() => {
                format!("{} - LogWeave", log.sources[0].path.display())
            }
            Some(tab) => format!("{} - LogWeave", tab.title()),
            None => "LogWeave".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
        for source in self.tabs.iter().flat_map(Tab::sources) {
            if let Some(f) = &source.follower {
                f.set_interval_ms(self.settings.poll_interval_ms);
            }
        }
    }
}
