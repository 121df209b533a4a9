//! Triage: the answer first. Reads a task sequence's records (one smsts.log
//! or a chain of copies, or a pasted excerpt) with its outline and says how
//! the run ended, the step that failed and the code that ended it (with its
//! name and meaning), the few records that show it, earlier errors that are
//! usually harmless, and which logs to read next. No UI: the CLI's
//! `logweave triage` and the window's diagnosis strip both read [`Triage`].

mod data;
mod evidence;
mod facts;
mod ranking;
mod report;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::document::{LogDocument, Row};
use crate::errors::{self, Tables};
use crate::model::Severity;
use crate::tasksequence::{Outline, OutlineBuilder, Phase};

pub use data::{Harmless, NextLogs};
use evidence::{Failure, Notable};
use facts::Facts;
pub use ranking::{ErrorGroup, GroupCode, rank_errors};
pub use report::{markdown, plain_text};

/// How the run ended, as far as the records say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TriageOutcome {
    /// A step or the engine failed and the task sequence stopped.
    Failed,
    /// The task sequence completed.
    Succeeded,
    /// Instructions ran, and no end is logged yet (a reboot may be the last
    /// thing logged, or the copy was cut).
    Running,
    /// Nothing in the records is a task sequence's.
    Unknown,
}

/// One record that shows something, for people and for the JSON contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceRecord {
    /// The file it is in (as given).
    pub file: String,
    /// The index of that file among the documents given (not in the JSON).
    #[serde(skip)]
    pub file_index: usize,
    /// Its 0-based record number in that file.
    pub record: usize,
    /// Its time as written, if any.
    pub time: Option<String>,
    /// Its component.
    pub component: String,
    /// Its message (long ones shortened).
    pub message: String,
    /// Why a harmless record is harmless (harmless list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// A public source for that (harmless list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A log to read next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextLog {
    /// Its path (or file name, where it depends on the machine).
    pub path: String,
    /// What it tells about this kind of failure.
    pub why: String,
}

/// The diagnosis of one run. The JSON keys are a contract (issue #14).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Triage {
    /// `failed`, `succeeded`, `running` or `unknown`.
    pub outcome: TriageOutcome,
    /// The step that failed: its name as logged, or (when the log lost the
    /// name) its action type, e.g. `Run PowerShell Script`.
    pub failed_step: Option<String>,
    /// False when `failed_step` is an action type, not the step's own name.
    pub failed_step_named: bool,
    /// The failed step's instruction pointer.
    pub pointer: Option<u32>,
    /// The code that ended it, as a signed 32-bit number (as task sequences log it).
    pub exit_code: Option<i32>,
    /// The same code as `0x` and 8 hex digits.
    pub code_hex: Option<String>,
    /// The code's symbolic name.
    pub code_name: Option<String>,
    /// What the code means.
    pub meaning: Option<String>,
    /// `winpe` or `full-os` where the failure happened, if known.
    pub phase: Option<&'static str>,
    /// The records that show the failure.
    pub evidence: Vec<EvidenceRecord>,
    /// Earlier error records that are usually harmless (muted, not hidden).
    pub harmless: Vec<EvidenceRecord>,
    /// Logs to read next for this kind of failure.
    pub next_logs: Vec<NextLog>,
    /// The task sequence's name, when logged.
    pub task_sequence: Option<String>,
    /// `configmgr`, `mdt-integrated`, `mdt-standalone` or `unknown`.
    pub platform: &'static str,
    /// What the log states about the machine and the deployment, in the
    /// order first logged: OS version, package and boot image IDs, names.
    pub facts: Vec<Fact>,
    /// With `running`: the log ends on a reboot the engine asked for, into
    /// `full-os`, `winpe` or `unknown` (the run goes on in the copy of
    /// smsts.log written after it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restarted_into: Option<&'static str>,
}

/// One thing the log states, e.g. `Boot image ID` = `ABC00004`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What it is.
    pub name: String,
    /// Its value as logged.
    pub value: String,
}

impl Triage {
    /// One line for people: `Failed at step "X" with 0x80070005
    /// (E_ACCESSDENIED)`, `Succeeded`, `Still running (no end logged)`.
    pub fn headline(&self) -> String {
        match self.outcome {
            TriageOutcome::Succeeded => "The task sequence completed successfully".to_owned(),
            TriageOutcome::Running => match self.restarted_into {
                Some("full-os") => {
                    "Restarted into the full OS — continues in the full OS copy of smsts.log"
                        .to_owned()
                }
                Some(_) => {
                    "Restarted — continues in the copy of smsts.log written after the reboot"
                        .to_owned()
                }
                None => {
                    "No end logged yet (still running, or the copy was cut at a reboot)".to_owned()
                }
            },
            TriageOutcome::Unknown => "No task sequence found in these records".to_owned(),
            TriageOutcome::Failed => {
                let mut line = match (&self.failed_step, self.failed_step_named) {
                    (Some(step), true) => format!("Failed at step \"{step}\""),
                    (Some(action), false) => {
                        format!("Failed in a {action} step (its name is not in the log)")
                    }
                    (None, _) => "Failed before any step ran".to_owned(),
                };
                if let Some(hex) = &self.code_hex {
                    line.push_str(&format!(" with {hex}"));
                    // The first reading of the name (the others are in code_name).
                    if let Some(name) = self
                        .code_name
                        .as_deref()
                        .and_then(|n| n.split(" / ").next())
                    {
                        line.push_str(&format!(" ({name})"));
                    }
                }
                line
            }
        }
    }
}

/// Reads records in file order (one file after another, a chain's copies
/// oldest first) and builds the outline and the triage together.
#[derive(Debug, Default)]
pub struct TriageBuilder {
    outline: OutlineBuilder,
    notable: Vec<Notable>,
    facts: Facts,
    file: usize,
    saw_engine: bool,
}

impl TriageBuilder {
    /// An empty builder.
    pub fn new() -> TriageBuilder {
        TriageBuilder::default()
    }

    /// The rows pushed next come from file `file`.
    pub fn begin_file(&mut self, file: usize) {
        self.file = file;
        self.outline.begin_file(file);
    }

    /// Reads one row.
    pub fn push(&mut self, row: &Row) {
        self.outline.push(row);
        self.facts.see(&row.fields.message);
        if let Some(n) = Notable::of(self.file, row) {
            self.saw_engine |= n.engine;
            if self.notable.len() < evidence::MAX_NOTABLE {
                self.notable.push(n);
            }
        }
    }

    /// The outline and the triage of everything pushed; `files` names the
    /// files by index.
    pub fn finish(self, files: &[String]) -> (Outline, Triage) {
        let outline = self.outline.finish();
        let failure = Failure::find(&outline, &self.notable, self.saw_engine);
        let mut triage = failure.into_triage(&outline, &self.notable, files);
        triage.facts = self.facts.into_list();
        if triage.outcome == TriageOutcome::Running {
            triage.restarted_into = outline.restarted_into.map(|p| p.name());
        }
        (outline, triage)
    }
}

impl crate::tasksequence::RowReader for TriageBuilder {
    fn begin_file(&mut self, file: usize) {
        TriageBuilder::begin_file(self, file);
    }
    fn push(&mut self, row: &Row) {
        TriageBuilder::push(self, row);
    }
}

/// The outline and triage of documents read as one chain, in the order given.
pub fn triage_documents(docs: &[&LogDocument], names: &[String]) -> (Outline, Triage) {
    let mut builder = TriageBuilder::new();
    crate::tasksequence::for_each_row(docs, &mut builder);
    builder.finish(names)
}

/// Where each suggested log is, when it sits beside the logs read: in one
/// of `folders` or the folder above it (a bundle keeps `Panther`, `CCM\Logs`
/// and `SMSTSLog` side by side). `None` for a log not found there, or for a
/// suggestion that is no file name (an event log, a command).
pub fn locate_next_logs(
    next: &[NextLog],
    folders: &[std::path::PathBuf],
) -> Vec<Option<std::path::PathBuf>> {
    let mut places: Vec<std::path::PathBuf> = Vec::new();
    for folder in folders {
        for place in [Some(folder.as_path()), folder.parent()]
            .into_iter()
            .flatten()
        {
            if !places.iter().any(|p| p == place) {
                places.push(place.to_path_buf());
            }
        }
    }
    // One listing per place, whatever the number of suggestions.
    let listings: Vec<Vec<std::path::PathBuf>> = places
        .iter()
        .map(|place| {
            std::fs::read_dir(place)
                .map(|entries| entries.flatten().map(|e| e.path()).collect())
                .unwrap_or_default()
        })
        .collect();
    next.iter()
        .map(|log| {
            let name = log.path.rsplit(['\\', '/']).next().unwrap_or(&log.path);
            let is_file_name = name.contains('.') && !name.contains(' ') && !name.contains('%');
            if !is_file_name {
                return None;
            }
            listings.iter().flatten().find_map(|candidate| {
                let matches = candidate
                    .file_name()
                    .is_some_and(|f| f.to_string_lossy().eq_ignore_ascii_case(name));
                (matches && candidate.is_file()).then(|| candidate.clone())
            })
        })
        .collect()
}

/// Name and meaning of a code from the built-in tables.
fn describe(code: u32) -> (Option<String>, Option<String>) {
    let text = crate::tasksequence::code_text(code);
    let found = errors::lookup(Tables::builtin(), &text).unwrap_or_default();
    (
        found.iter().find_map(|i| i.name.clone()),
        found.iter().find_map(|i| i.meaning.clone()),
    )
}

fn phase_name(phase: Phase) -> Option<&'static str> {
    match phase {
        Phase::Unknown => None,
        known => Some(known.name()),
    }
}

fn is_error(severity: Severity) -> bool {
    severity == Severity::Error
}
