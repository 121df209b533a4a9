//! The Error Lookup window's state ([`ErrorLookup`]): the input, every
//! interpretation of the code, the history, and "Find in open logs" running
//! off the UI thread. Never draws (the window is `panels/error_lookup.rs`).

use std::sync::Arc;

use crate::document::LogDocument;
use crate::errors::{self, Interpretation, Tables};
use crate::jobs::{Job, Waker};
use crate::search::{self, Matcher};

/// Recent lookups kept.
pub const HISTORY_MAX: usize = 20;

/// A record that mentions the looked-up code.
#[derive(Clone)]
pub struct Occurrence {
    /// The document it is in (compared by pointer with the open tabs).
    pub doc: Arc<LogDocument>,
    /// Record number.
    pub record: usize,
    /// The first line of its message.
    pub text: String,
}

/// State of the Error Lookup window.
#[derive(Default)]
pub struct ErrorLookup {
    /// Window shown.
    pub open: bool,
    /// The input box.
    pub input: String,
    /// What the last lookup found (or why it failed).
    pub results: Option<Result<Vec<Interpretation>, String>>,
    /// Focus the input on the next frame.
    pub focus: bool,
    /// The running "Find in open logs".
    pub find_job: Option<Job<Vec<Occurrence>>>,
    /// What it found.
    pub occurrences: Vec<Occurrence>,
    /// Why the last "Find in open logs" failed, if it did.
    pub find_failure: Option<String>,
    /// The value searched for.
    pub searched: Option<u32>,
}

/// What the window asks the app to do.
pub enum LookupAction {
    /// Nothing.
    None,
    /// Select a record in the tab that shows `doc`.
    Jump(Arc<LogDocument>, usize),
    /// Search the open logs for the value.
    FindInLogs(u32),
}

impl ErrorLookup {
    /// Opens the window on `code` and looks it up.
    pub fn show_code(&mut self, code: &str, history: &mut Vec<String>) {
        self.open = true;
        self.input = code.to_owned();
        self.run(history);
    }

    /// Looks up the input.
    pub fn run(&mut self, history: &mut Vec<String>) {
        let input = self.input.trim().to_owned();
        let result =
            errors::lookup_everywhere(Tables::builtin(), &input).map_err(|e| e.to_string());
        if result.is_ok() {
            history.retain(|h| h != &input);
            history.insert(0, input);
            history.truncate(HISTORY_MAX);
        }
        self.results = Some(result);
    }

    /// Starts searching `docs` for `value` in all its written forms.
    pub fn find_in(&mut self, value: u32, docs: Vec<Arc<LogDocument>>, waker: Option<Waker>) {
        self.searched = Some(value);
        self.occurrences.clear();
        self.find_failure = None;
        self.find_job = Some(Job::spawn("logweave-find-code", waker, move |ctx| {
            // The matcher `logweave search --code` uses: every written form,
            // as a whole number, in any record that holds it.
            let matcher = Matcher::codes(&[value]);
            let mut out = Vec::new();
            for doc in docs {
                let hits = search::search(&doc, &matcher, 0..doc.record_count(), ctx);
                for record in hits {
                    if let Some(row) = doc.rows(record..record + 1, Some(64 * 1024)).pop() {
                        let text = row.fields.message.lines().next().unwrap_or("").to_owned();
                        out.push(Occurrence {
                            doc: Arc::clone(&doc),
                            record,
                            text,
                        });
                    }
                }
            }
            out
        }));
    }

    /// Collects a finished search.
    pub fn poll(&mut self) {
        if let Some(job) = &mut self.find_job
            && let Some(found) = job.take()
        {
            match found {
                Ok(found) => self.occurrences = found,
                Err(e) => {
                    self.occurrences.clear();
                    self.find_failure = Some(format!("Finding the code failed: {e}"));
                }
            }
            self.find_job = None;
        }
    }
}
