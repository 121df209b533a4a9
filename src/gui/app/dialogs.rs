//! The native file dialogs of File > Open, Open and merge, Compare and Add
//! to merge, run on their own thread, and what stands in for them where
//! none can be shown (a Linux machine without an XDG desktop portal or
//! zenity, where the dialog returns at once with nothing): a box to type
//! or paste paths into ([`PathBox`]), never a menu item that silently does
//! nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{LogWeaveApp, Notice, OpenPurpose};
use crate::jobs::Job;

/// What the dialog's thread hands back.
pub(super) enum DialogOutcome {
    /// Files picked, for this purpose.
    Picked(Vec<PathBuf>, OpenPurpose),
    /// The user closed the dialog.
    Cancelled,
    /// No dialog could be shown: it returned with nothing sooner than a
    /// person can cancel one.
    Unavailable(OpenPurpose),
}

/// The running native dialog.
pub(super) type OpenDialog = Job<DialogOutcome>;

/// A dialog that comes back empty-handed faster than this was never shown.
const FASTEST_CANCEL: Duration = Duration::from_millis(250);

/// True when a dialog that returned `picked_anything` after `elapsed` was
/// never shown.
pub(super) fn never_shown(elapsed: Duration, picked_anything: bool) -> bool {
    !picked_anything && elapsed < FASTEST_CANCEL
}

/// Paths typed or pasted when no native dialog can be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathBox {
    /// What the paths are for.
    pub purpose: OpenPurpose,
    /// One path per line.
    pub text: String,
}

impl PathBox {
    /// The paths typed, one per line, quotes (as Explorer's "Copy as path"
    /// adds them) and blanks left out.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.text
            .lines()
            .map(|l| l.trim().trim_matches('"').trim())
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect()
    }
}

impl LogWeaveApp {
    /// Asks for files in the native dialog, on its own thread.
    pub fn pick_files(&mut self, purpose: OpenPurpose) {
        if self.dialog.is_some() {
            return;
        }
        // The native dialog blocks its thread, so it runs on its own.
        self.dialog = Some(Job::spawn(
            "logweave-open-dialog",
            self.waker.clone(),
            move |_| {
                let started = Instant::now();
                let picked = rfd::FileDialog::new()
                    .set_title("Open log files")
                    .add_filter("Log files (*.log, *.lo_)", &["log", "lo_"])
                    .add_filter("All files", &["*"])
                    .pick_files();
                match picked {
                    Some(files) => DialogOutcome::Picked(files, purpose),
                    None if never_shown(started.elapsed(), false) => {
                        DialogOutcome::Unavailable(purpose)
                    }
                    None => DialogOutcome::Cancelled,
                }
            },
        ));
    }

    /// Takes in the dialog's answer: opens what was picked, or offers the
    /// path box when no dialog could be shown.
    pub(super) fn poll_file_dialog(&mut self) {
        let Some(job) = &mut self.dialog else {
            return;
        };
        let Some(outcome) = job.take() else {
            return;
        };
        self.dialog = None;
        match outcome {
            Ok(DialogOutcome::Picked(files, purpose)) => self.open_picked(files, purpose),
            Ok(DialogOutcome::Cancelled) => {}
            Ok(DialogOutcome::Unavailable(purpose)) => self.offer_path_box(purpose),
            Err(e) => {
                self.notices.push(Notice {
                    text: format!("The file dialog failed: {e}; type the paths instead."),
                });
                self.offer_path_box(OpenPurpose::Tabs {
                    ignore_existing: false,
                });
            }
        }
    }

    /// Shows the box to type paths into, for `purpose`.
    pub(super) fn offer_path_box(&mut self, purpose: OpenPurpose) {
        self.path_box = Some(PathBox {
            purpose,
            text: String::new(),
        });
    }

    /// Opens the paths typed in the path box and closes it.
    pub fn open_typed_paths(&mut self) {
        let Some(typed) = self.path_box.take() else {
            return;
        };
        let paths = typed.paths();
        if !paths.is_empty() {
            self.open_picked(paths, typed.purpose);
        }
    }

    /// Opens files picked (or typed) for `purpose`.
    fn open_picked(&mut self, files: Vec<PathBuf>, purpose: OpenPurpose) {
        match purpose {
            OpenPurpose::Tabs { ignore_existing } => {
                for file in files {
                    if ignore_existing {
                        self.open(&file, true);
                    } else {
                        self.open_path(&file);
                    }
                }
            }
            OpenPurpose::Merged => self.open_merged(&files),
            OpenPurpose::Compare => match files.as_slice() {
                [a, b] => self.open_compare(a, b),
                _ => self.notices.push(Notice {
                    text: format!(
                        "Compare needs exactly two files; {} were picked.",
                        files.len()
                    ),
                }),
            },
            OpenPurpose::AddTo(tab) => {
                for file in files {
                    if let Some(doc) = self.open_document(&file)
                        && let Some(t) = self.tabs.get_mut(tab)
                    {
                        t.primary_mut().add_source(Arc::new(doc));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_back_at_once_with_nothing_was_never_shown() {
        assert!(never_shown(Duration::from_millis(3), false));
        assert!(!never_shown(Duration::from_secs(4), false), "cancelled");
        assert!(!never_shown(Duration::from_millis(3), true), "picked");
    }

    #[test]
    fn typed_paths_are_one_per_line_without_quotes() {
        let typed = PathBox {
            purpose: OpenPurpose::Merged,
            text: "\"C:\\Windows\\CCM\\Logs\\smsts.log\"\n\n  /var/log/a.log  \n".to_owned(),
        };
        assert_eq!(
            typed.paths(),
            [
                PathBuf::from("C:\\Windows\\CCM\\Logs\\smsts.log"),
                PathBuf::from("/var/log/a.log")
            ]
        );
    }
}
