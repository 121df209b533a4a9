//! The app's ways in for paths that are not just a log: every path given to
//! the window (command line, a later start's hand-over, a drop, File > Open,
//! recent files) goes through [`LogWeaveApp::open_path`], which opens a
//! local log at once and sends anything else — folders, zip and cab
//! bundles, paths into an archive, shares on other computers — to a
//! background job that decides. Bundles open in the bundle panel; documents
//! opened in the background (archive entries) become tabs through
//! [`LogWeaveApp::open_documents`]. Part of the app shell: never draws.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::super::view::{CompareTab, LogTab, OpenAs, Opened, Routed, Tab, is_plain_local_file};
use super::{DropChoice, Layout, LogWeaveApp, Notice, OpenPurpose};
use crate::document::{LogDocument, OpenOptions};
use crate::jobs::Job;

/// The native dialog picking a bundle (an archive, or a folder).
/// The native dialog picking a bundle or a folder: what was picked, or
/// `Err(())` when no dialog could be shown.
pub(super) type BundleDialog = Job<Result<Option<PathBuf>, ()>>;

impl LogWeaveApp {
    /// How documents open: the severity keywords of the settings.
    pub(super) fn open_options(&self) -> OpenOptions {
        OpenOptions {
            keywords: self.settings.keywords.clone(),
            ..OpenOptions::default()
        }
    }

    /// Opens a path the user gave: a log on this computer in a tab at once;
    /// anything else (a folder or a zip/cab bundle → the bundle panel; a path
    /// into an archive such as `bundle.zip/SMSTSLog/smsts.log` → that entry
    /// in a tab; a file on another computer's share) is decided and opened
    /// in the background.
    pub fn open_path(&mut self, path: &Path) {
        if crate::remote::is_remote(&path.to_string_lossy()) {
            self.open_remote(vec![path.to_owned()], OpenAs::Tabs);
        } else if is_plain_local_file(path) {
            self.open(path, false);
        } else {
            self.opener.route(vec![path.to_owned()], self.waker.clone());
        }
    }

    /// Opens files a `logweave serve` shares (paths `https://HOST:PORT/ID`
    /// of a server connected to) as `open_as` says, in the background: the
    /// UI thread never waits on the network.
    pub fn open_remote(&mut self, paths: Vec<PathBuf>, open_as: OpenAs) {
        let options = self.open_options();
        self.opener
            .open_paths(paths, open_as, options, self.waker.clone());
    }

    /// Lists a folder or an archive in the bundle panel (in the background).
    pub fn open_bundle(&mut self, root: PathBuf) {
        self.settings.remember(&root);
        let options = self.open_options();
        self.bundle.show(root, options, self.waker.clone());
    }

    /// Closes the bundle panel, cancelling its listing and indexing.
    pub fn close_bundle(&mut self) {
        self.bundle.close();
    }

    /// Opens the bundle panel's entries `indices` (archive entries are
    /// decompressed in the background; the tabs come when they are ready).
    pub fn open_bundle_entries(&mut self, indices: &[usize], open_as: OpenAs) {
        let entries = self.bundle.entries_at(indices);
        if entries.is_empty() {
            return;
        }
        let options = self.open_options();
        self.opener
            .open(entries, open_as, options, self.waker.clone());
    }

    /// True while a path is being looked at or an archive entry opened.
    pub fn is_opening(&self) -> bool {
        self.opener.is_busy()
    }

    /// Shows documents already open (archive entries, say) as `layout`
    /// says: a tab each, one merged view, two side by side, or the task
    /// sequence's chain (merged, the records the copies share hidden, the
    /// Task sequence panel and the diagnosis beside it).
    pub fn open_documents(&mut self, docs: Vec<LogDocument>, layout: Layout) {
        let poll = self.settings.poll_interval_ms;
        let waker = self.waker.clone();
        let mut docs = docs;
        match layout {
            Layout::Tabs => {
                for doc in docs {
                    let mut tab = LogTab::new(doc, poll, false, waker.clone());
                    tab.view.follow_end |= self.settings.open_at_end;
                    self.tabs.push(Tab::Log(tab));
                }
            }
            Layout::Compare if docs.len() == 2 => {
                let b = LogTab::new(docs.pop().expect("two"), poll, false, waker.clone());
                let a = LogTab::new(docs.pop().expect("two"), poll, false, waker);
                self.tabs
                    .push(Tab::Compare(Box::new(CompareTab::new(a, b))));
            }
            Layout::Merged | Layout::Compare | Layout::TaskSequence => {
                let chain = layout == Layout::TaskSequence;
                let mut tab = match docs.len() {
                    0 => return,
                    1 => LogTab::new(docs.pop().expect("one"), poll, false, waker),
                    _ => {
                        let docs = docs.into_iter().map(Arc::new).collect();
                        let mut tab = LogTab::merged(docs, poll, waker);
                        if chain {
                            tab.set_hide_duplicates(true);
                        }
                        tab
                    }
                };
                if chain {
                    tab.outline.wanted = true;
                    self.settings.show_outline = true;
                }
                self.tabs.push(Tab::Log(tab));
            }
        }
        self.active = self.tabs.len().saturating_sub(1);
    }

    /// Opens the copies of smsts.log of one deployment as one chain: merged
    /// into one timeline with the records they share hidden, the Task
    /// sequence panel beside it (its outline reads the copies in the order
    /// they were written).
    pub fn open_chain(&mut self, ordered: &[PathBuf]) {
        let docs: Vec<LogDocument> = ordered
            .iter()
            .filter_map(|p| self.open_document(p))
            .collect();
        self.open_documents(docs, Layout::TaskSequence);
    }

    /// Asks for a zip or cab archive (or a folder) in the native dialog, on
    /// its own thread; it opens in the bundle panel.
    pub(super) fn pick_bundle(&mut self, folder: bool) {
        if self.bundle_dialog.is_some() {
            return;
        }
        self.bundle_dialog = Some(Job::spawn(
            "logweave-bundle-dialog",
            self.waker.clone(),
            move |_| {
                let started = std::time::Instant::now();
                let dialog = rfd::FileDialog::new();
                let picked = if folder {
                    dialog.set_title("Open a folder of logs").pick_folder()
                } else {
                    dialog
                        .set_title("Open a bundle of logs")
                        .add_filter("Zip or cab archives (*.zip, *.cab)", &["zip", "cab"])
                        .add_filter("All files", &["*"])
                        .pick_file()
                };
                if super::dialogs::never_shown(started.elapsed(), picked.is_some()) {
                    Err(())
                } else {
                    Ok(picked)
                }
            },
        ));
    }

    /// Paths handed over by a later `logweave PATH` and dropped onto the
    /// window: several plain logs dropped together may merge (Shift, the
    /// remembered choice, or a question); everything else goes through
    /// [`open_path`](Self::open_path).
    pub(super) fn take_given_paths(&mut self, ctx: &egui::Context) {
        let handed: Vec<PathBuf> = self
            .instance
            .as_ref()
            .map(super::Listener::drain)
            .unwrap_or_default();
        if !handed.is_empty() {
            for path in &handed {
                self.open_path(path);
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        // Folders and bundles open in the bundle panel.
        let (logs, others): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| is_plain_local_file(p));
        for path in &others {
            self.open_path(path);
        }
        match logs.len() {
            0 => {}
            1 => self.open(&logs[0], false),
            _ => {
                // Several files: Shift for merged, the remembered choice, or ask.
                let shift = ctx.input(|i| i.modifiers.shift);
                match (shift, self.settings.drop_merges) {
                    (true, _) | (false, Some(true)) => self.open_merged(&logs),
                    (false, Some(false)) => {
                        for path in &logs {
                            self.open(path, false);
                        }
                    }
                    (false, None) => {
                        self.panels.drop_choice = Some(DropChoice {
                            files: logs,
                            remember: false,
                        })
                    }
                }
            }
        }
    }

    /// Takes in what the background work finished: bundles picked, paths
    /// decided, entries opened, the bundle panel's listing and summaries,
    /// the folders of another computer looked at.
    pub(super) fn poll_opening(&mut self) {
        if let Some(job) = &mut self.bundle_dialog
            && let Some(result) = job.take()
        {
            self.bundle_dialog = None;
            match result {
                Ok(Ok(Some(root))) => self.open_bundle(root),
                Ok(Ok(None)) => {}
                // No dialog here: a typed path opens the same way.
                Ok(Err(())) => self.offer_path_box(OpenPurpose::Tabs {
                    ignore_existing: false,
                }),
                Err(e) => self.notices.push(Notice {
                    text: format!("The folder dialog failed: {e}"),
                }),
            }
        }
        let (routed, opened) = self.opener.poll();
        for routed in routed {
            match routed {
                Routed::Log(path) => self.open(&path, false),
                Routed::Bundle(root) => self.open_bundle(root),
                Routed::Entries(entries, problems) => {
                    self.notices
                        .extend(problems.into_iter().map(|text| Notice { text }));
                    let options = self.open_options();
                    self.opener
                        .open(entries, OpenAs::Tabs, options, self.waker.clone());
                }
                Routed::Problem(text) => self.notices.push(Notice { text }),
            }
        }
        for Opened {
            docs,
            problems,
            open_as,
        } in opened
        {
            self.notices
                .extend(problems.into_iter().map(|text| Notice { text }));
            let before = self.tabs.len();
            let layout = match open_as {
                OpenAs::Tabs => Layout::Tabs,
                OpenAs::Merged | OpenAs::Chain => Layout::Merged,
                OpenAs::Triage => Layout::TaskSequence,
                OpenAs::Compare => Layout::Compare,
            };
            self.open_documents(docs, layout);
            if open_as == OpenAs::Chain
                && self.tabs.len() > before
                && let Some(tab) = self.tabs.last_mut()
            {
                tab.primary_mut().set_hide_duplicates(true);
            }
        }
        self.bundle.poll(self.waker.clone());
        self.remote.poll();
    }
}
