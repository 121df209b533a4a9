//! Task-sequence step outline: from the records of one or more smsts.log
//! files (in file order), the instructions that ran — groups and steps with
//! their nesting depth, instruction pointer, start, end and duration (reboot
//! gaps left out), result, exit code and its name, the component that did the
//! work, reboots and the WinPE / full OS phase — and the outcome of the whole
//! task sequence. Vocabulary: formats.md §5.
//!
//! How it reads the log:
//!
//! * An instruction starts at `Start executing an instruction. Instruction
//!   name: X. Instruction pointer: N` (or the ConfigMgr 2012 wording
//!   `Instruction name: 'X'. Pointer: N. Type: '…'. Disabled: 0`). The name is
//!   everything up to the **last** `. Instruction pointer:`, so names with dots
//!   and parentheses stay whole.
//! * Groups are found two ways: newer engines enter a group as an instruction
//!   and then log `The group (X) has been successfully started`, and enter it
//!   again at its end pointer before `… successfully completed` (that second
//!   entry is folded into the group); other logs only have the `The group (X)
//!   …` lines. Skipped groups and steps (never started) still get an entry.
//! * Depth is the number of entries of `_SMSTSInstructionStackString` (the
//!   pointers of the enclosing groups) logged since the previous instruction
//!   started (the engine sets it just before the next one); without it (a
//!   skipped instruction, older engines), the number of open groups. The
//!   stack also gives the pointer of groups whose own start was not logged
//!   as an instruction.
//! * An end line (`Successfully completed the action (X)`, `Failed to run
//!   the action: X`) ends the running step named X, or one of the latest
//!   entries; when its start is not in the files read, it gets an entry of
//!   its own with no start time. A failure stays provisional until the
//!   group or the engine gives up (`failed`) or another instruction starts
//!   (`failed-continued`).
//! * A `TSMBootStrap.exe` banner after instructions have run is a reboot: a
//!   new [`PhaseSpan`] begins, the wall-clock gap is left out of every
//!   duration that spans it, and the next instruction is marked
//!   [`Step::reboot_before`]. An instruction entered again after a reboot (or a
//!   retry) with the same pointer and name stays one step.
//! * Durations use the wall clock as written, which is monotonic across the
//!   WinPE → full OS reboot (the WinPE bias is wrong, formats.md §1.4); the
//!   `*_utc_ms` times are each record's own UTC reading.

pub mod chain;
pub mod json;
mod outline;
mod platform;
pub mod vocab;

use std::collections::HashMap;

use crate::document::{LogDocument, Row};
use crate::errors::{self, Tables};

pub use outline::OutlineBuilder;
pub use platform::Platform;

/// Rows are read this many at a time.
pub const BATCH: usize = 4096;

/// Records longer than this are read shortened (the outline only needs their
/// first line and their error line).
const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Whether an instruction is a group or a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// An action (runs a command line).
    Step,
    /// A group of instructions.
    Group,
}

impl StepKind {
    /// `step` or `group`.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Step => "step",
            StepKind::Group => "group",
        }
    }
}

/// How an instruction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepResult {
    /// Completed successfully.
    Success,
    /// Failed, and the failure stopped its group (or the task sequence).
    Failed,
    /// Failed, and the task sequence went on (continue on error).
    FailedContinued,
    /// Not run because it (or its group) is disabled.
    SkippedDisabled,
    /// Not run because its condition was false.
    SkippedCondition,
    /// Started and not finished when the log ends.
    Running,
}

impl StepResult {
    /// `success`, `failed`, `failed-continued`, `skipped-disabled`,
    /// `skipped-condition` or `running`.
    pub fn name(self) -> &'static str {
        match self {
            StepResult::Success => "success",
            StepResult::Failed => "failed",
            StepResult::FailedContinued => "failed-continued",
            StepResult::SkippedDisabled => "skipped-disabled",
            StepResult::SkippedCondition => "skipped-condition",
            StepResult::Running => "running",
        }
    }

    /// True for the two skipped results.
    pub fn is_skipped(self) -> bool {
        matches!(
            self,
            StepResult::SkippedDisabled | StepResult::SkippedCondition
        )
    }
}

/// Where the task sequence was running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Windows PE (the boot image).
    WinPE,
    /// The installed operating system.
    FullOs,
    /// Nothing in the log said.
    Unknown,
}

impl Phase {
    /// `winpe`, `full-os` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::WinPE => "winpe",
            Phase::FullOs => "full-os",
            Phase::Unknown => "unknown",
        }
    }

    /// `WinPE`, `full OS` or `unknown phase`, for people.
    pub fn label(self) -> &'static str {
        match self {
            Phase::WinPE => "WinPE",
            Phase::FullOs => "full OS",
            Phase::Unknown => "unknown phase",
        }
    }
}

/// One boot of the task sequence: from a bootstrap start to the next reboot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseSpan {
    /// WinPE or full OS (from `/env:`, `_SMSTSInWinPE`, log paths on `X:\` or
    /// under `\CCM\Logs`, the bootstrap's drive, or a bias change after a
    /// reboot from WinPE).
    pub phase: Phase,
    /// File (index in the order given) of the first record of the span.
    pub file: usize,
    /// First record of the span.
    pub first_record: usize,
    /// Wall-clock time of the first timed record, ms since 1970 as written.
    pub start_wall_ms: Option<i64>,
    /// UTC of the first timed record.
    pub start_utc_ms: Option<i64>,
    /// Minutes to add to the wall clock to get UTC, as the span's records say.
    pub utc_adjust_minutes: Option<i32>,
}

/// One instruction (group or step) of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Name as written in the log.
    pub name: String,
    /// Instruction pointer (where the instruction starts; `None` when the log
    /// never gave it, e.g. a skipped group that was not entered).
    pub pointer: Option<u32>,
    /// Nesting depth: 0 at the top of the task sequence.
    pub depth: usize,
    /// Group or step.
    pub kind: StepKind,
    /// Start, wall clock as written (ms since 1970).
    pub start_wall_ms: Option<i64>,
    /// Start, UTC (the record's own bias applied).
    pub start_utc_ms: Option<i64>,
    /// End, wall clock as written.
    pub end_wall_ms: Option<i64>,
    /// End, UTC.
    pub end_utc_ms: Option<i64>,
    /// End minus start on the wall clock, without the time spent rebooting.
    pub duration_ms: Option<i64>,
    /// How it ended.
    pub result: StepResult,
    /// Exit code (as the unsigned 32-bit value; `-2147024894` is `0x80070002`).
    pub exit_code: Option<u32>,
    /// Symbolic name of the exit code from the error-code tables (none for 0).
    pub exit_name: Option<String>,
    /// What the exit code means, from the error-code tables.
    pub exit_meaning: Option<String>,
    /// The component that did the work: the first component other than the
    /// engine's own logging between start and end (`OSDApplyOS`,
    /// `InstallApplication` …); for MDT scripts run by `cscript`, the script
    /// name (`ZTIGather`), which is the component of its own log.
    pub component: Option<String>,
    /// A reboot happened just before this instruction started, or before it
    /// was entered again (then [`Step::reboots`] counts it too).
    pub reboot_before: bool,
    /// Reboots between the first entry of this instruction and its end.
    pub reboots: u32,
    /// Phase of the boot the instruction started in.
    pub phase: Phase,
    /// Index of that boot in [`Outline::phases`].
    pub boot: usize,
    /// File (index in the order given) of the first record.
    pub file: usize,
    /// First record (the instruction's start, or its skip or group line).
    pub first_record: usize,
    /// File of the last record.
    pub last_file: usize,
    /// Last record (the instruction's end line, or the last one seen).
    pub last_record: usize,
}

impl Step {
    /// The exit code as people write it: decimal below 0x10000 (`0`, `1603`,
    /// `3010`), otherwise `0x` and 8 hex digits.
    pub fn exit_text(&self) -> Option<String> {
        self.exit_code.map(code_text)
    }
}

/// How the whole task sequence ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It ran to the end.
    Completed,
    /// It stopped on a failure.
    Failed {
        /// The step that failed (from `Failed to run the last action: X`, or
        /// the last failed step).
        step: Option<String>,
        /// Index of that step in [`Outline::steps`].
        index: Option<usize>,
        /// Its error code.
        code: Option<u32>,
    },
    /// No end was logged (still running, rebooting, or the log was cut).
    Running,
}

impl Outcome {
    /// `completed`, `failed` or `running`.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Failed { .. } => "failed",
            Outcome::Running => "running",
        }
    }
}

/// The outline of a task sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// Instructions in the order they started (groups before their members).
    pub steps: Vec<Step>,
    /// How the task sequence ended.
    pub outcome: Outcome,
    /// The boots, in order; [`Step::boot`] indexes this.
    pub phases: Vec<PhaseSpan>,
    /// Task-sequence name, when logged (`TSManager initialized environment for
    /// task sequence: X`, `_SMSTSPackageName`).
    pub name: Option<String>,
    /// The engine ran in MDT Lite Touch standalone mode (`platform` is
    /// [`Platform::MdtStandalone`]).
    pub standalone: bool,
    /// Which system ran the task sequence, from the log's own evidence.
    pub platform: Platform,
    /// Number of instructions the engine announced (`_SMSTSInstructionTableSize`).
    pub table_size: Option<u32>,
    /// Records of later files left out because an earlier file already had
    /// them (overlapping copies).
    pub overlapping_records: usize,
    /// Records read.
    pub records: usize,
    /// No end was logged and the last thing the engine did was ask for a
    /// reboot: the boot it restarted into (a WinPE copy of smsts.log that
    /// ends with "Reboot to local harddisk" restarted into the full OS,
    /// where another copy of the log goes on).
    pub restarted_into: Option<Phase>,
}

impl Outline {
    /// True when instruction `i` is a group with members in the outline (a
    /// skipped group's members never ran: it has none to unfold).
    pub fn has_members(&self, i: usize) -> bool {
        let Some(step) = self.steps.get(i) else {
            return false;
        };
        step.kind == StepKind::Group
            && self
                .steps
                .get(i + 1)
                .is_some_and(|next| next.depth > step.depth)
    }

    /// The failing step of a failed task sequence.
    pub fn failed_step(&self) -> Option<&Step> {
        match &self.outcome {
            Outcome::Failed { index: Some(i), .. } => self.steps.get(*i),
            _ => None,
        }
    }

    /// The outcome in words: `completed`, `failed at step "X" with code
    /// 0x80070643 (ERROR_INSTALL_FAILURE)`, or `running (no end logged)`.
    pub fn outcome_text(&self) -> String {
        match &self.outcome {
            Outcome::Completed => "completed".to_owned(),
            Outcome::Running => match self.restarted_into {
                Some(Phase::FullOs) => {
                    "restarted into the full OS — continues in the full OS copy of smsts.log"
                        .to_owned()
                }
                Some(phase) => format!(
                    "restarted into {} — continues in the copy of smsts.log written after the reboot",
                    match phase {
                        Phase::WinPE => "WinPE",
                        _ => "the next boot",
                    }
                ),
                None => "running (no end logged)".to_owned(),
            },
            Outcome::Failed { step, code, .. } => {
                let mut line = "failed".to_owned();
                if let Some(step) = step {
                    line.push_str(&format!(" at step \"{step}\""));
                }
                if let Some(code) = code {
                    line.push_str(&format!(" with code {}", code_text(*code)));
                    if let Some(failed) = self.failed_step()
                        && failed.exit_code == Some(*code)
                        && let Some(name) = &failed.exit_name
                    {
                        line.push_str(&format!(" ({name})"));
                    }
                }
                line
            }
        }
    }
}

/// The outline of rows in file order (one file, or a chain already merged).
pub fn outline(rows: impl IntoIterator<Item = Row>) -> Outline {
    let mut builder = OutlineBuilder::new();
    for row in rows {
        builder.push(&row);
    }
    builder.finish()
}

/// The outline of one indexed document, read in batches of [`BATCH`] rows.
pub fn outline_document(doc: &LogDocument) -> Outline {
    outline_documents(&[doc])
}

/// The outline of several documents given in order (e.g. rolled-over
/// `smsts-*.log` copies, then `smsts.log`). Records at the start of a later
/// file that an earlier file already had (same wall-clock time, thread,
/// component and message, or older than the newest record read) are left out.
pub fn outline_documents(docs: &[&LogDocument]) -> Outline {
    let mut builder = OutlineBuilder::new();
    for_each_row(docs, &mut builder);
    builder.finish()
}

/// What reads a chain's rows in file order: the outline and the triage.
pub trait RowReader {
    /// The rows pushed next come from file `file`.
    fn begin_file(&mut self, file: usize);
    /// Reads one row.
    fn push(&mut self, row: &Row);
}

impl RowReader for OutlineBuilder {
    fn begin_file(&mut self, file: usize) {
        OutlineBuilder::begin_file(self, file);
    }
    fn push(&mut self, row: &Row) {
        OutlineBuilder::push(self, row);
    }
}

/// Gives `reader` the rows of `docs` in order, in batches of [`BATCH`]
/// (long records shortened).
pub fn for_each_row(docs: &[&LogDocument], reader: &mut impl RowReader) {
    for (file, doc) in docs.iter().enumerate() {
        reader.begin_file(file);
        let total = doc.record_count();
        let mut at = 0;
        while at < total {
            let end = (at + BATCH).min(total);
            for row in doc.rows(at..end, Some(MAX_RECORD_BYTES)) {
                reader.push(&row);
            }
            at = end;
        }
    }
}

/// A code as people write it: decimal below 0x10000, otherwise `0x` + 8 hex digits.
pub fn code_text(code: u32) -> String {
    if code < 0x1_0000 {
        code.to_string()
    } else {
        format!("0x{code:08X}")
    }
}

/// Name and meaning of a code from the built-in tables (none for 0).
fn code_name(
    cache: &mut HashMap<u32, (Option<String>, Option<String>)>,
    code: u32,
) -> (Option<String>, Option<String>) {
    if code == 0 {
        return (None, None);
    }
    cache
        .entry(code)
        .or_insert_with(|| {
            let found = errors::lookup(Tables::builtin(), &code_text(code)).unwrap_or_default();
            let name = found.iter().find_map(|i| i.name.clone());
            let meaning = found.iter().find_map(|i| i.meaning.clone());
            (name, meaning)
        })
        .clone()
}

#[cfg(test)]
mod tests;
