//! The "Open task sequence logs…" dialog's state ([`ChainDialog`]): where to
//! look for the copies of smsts.log a deployment left behind (this
//! computer's drives or a folder), the search running off the UI thread, and
//! what was found. Never draws (the window is `panels/chain_dialog.rs`).

use std::path::PathBuf;

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
    /// The place in words ("this computer's drives" or the folder).
    pub fn describe(&self) -> String {
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
    /// Open what the running search finds as soon as it is done
    /// (`--task-sequence`); the dialog stays to say so when nothing is found.
    pub open_when_found: bool,
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
    pub fn poll(&mut self, waker: Option<Waker>) {
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

    /// Asks for a folder in the native dialog (on its own thread), then searches it.
    pub fn pick_folder(&mut self, waker: Option<Waker>) {
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
