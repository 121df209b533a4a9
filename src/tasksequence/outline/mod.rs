//! The outline builder: reads smsts.log rows in file order, one at a time,
//! and keeps the instructions, the boots and the outcome of the task sequence
//! (the reading rules are in the parent module's documentation).
//!
//! This file holds the builder's state, reads each row (the event it is,
//! variables, boots and phases, copies of one log that overlap) and finishes
//! the outline; it is given rows and never opens files. The entries
//! themselves (an instruction entered, ended or skipped, a group opened and
//! closed) are kept by `instructions.rs`, split off along that seam to keep
//! each file under 800 lines.

use std::collections::HashMap;

use super::platform::{Platform, PlatformEvidence};
use super::vocab::{self, Event};
use super::{Outcome, Outline, Phase, PhaseSpan, Step, StepKind, StepResult, code_name};
use crate::document::Row;
use crate::model::ZoneKind;

mod instructions;
mod stack;

/// Components that are the engine's own logging, not the work of a step.
const ENGINE_COMPONENTS: &[&str] = &["TSManager", "TSMBootstrap", "TsProgressUI"];

/// Bytes of each end of a message that identify a record across copies.
const DIGEST_BYTES: usize = 96;

/// Where one record is, and its times.
#[derive(Clone, Copy, Debug, Default)]
struct Position {
    file: usize,
    record: usize,
    wall: Option<i64>,
    utc: Option<i64>,
    adjust: Option<i32>,
}

/// The largest wall-clock jump between two consecutive records since the
/// last instruction event: where a reboot most likely happened.
#[derive(Clone, Copy, Debug)]
struct Jump {
    /// Wall clock of the last record before the jump.
    before: i64,
    /// The first record after the jump.
    after: Position,
}

/// How the task sequence ended, as far as read.
#[derive(Clone, Debug, Default)]
enum Ending {
    #[default]
    None,
    Completed,
    Failed {
        /// Name from `Failed to run the last action: X`.
        step: Option<String>,
        /// Code from `Failed to run the last action` (the step's error).
        step_code: Option<u32>,
        /// Code from the engine's own failure lines.
        engine_code: Option<u32>,
        /// Where the failure was logged.
        at: Position,
    },
}

/// What the builder knows about a step beyond its public fields.
#[derive(Clone, Debug, Default)]
struct StepNotes {
    /// A command line was started for it.
    ran_command: bool,
    /// `Process completed with exit code N` while it ran.
    process_exit: Option<u32>,
}

/// Builds an [`Outline`] from rows pushed in file order.
#[derive(Debug, Default)]
pub struct OutlineBuilder {
    steps: Vec<Step>,
    notes: Vec<StepNotes>,
    phases: Vec<PhaseSpan>,
    /// How sure the current span's phase is (0 = not known).
    phase_strength: u8,
    /// Evidence logged in the old boot about the boot to come
    /// (`OSDSetupHook` launches the bootstrap before its banner).
    next_phase: Option<(Phase, u8)>,
    /// An instruction started in the current boot.
    span_has_instructions: bool,
    /// A `Reboot to local harddisk` request: the next boot is the installed OS.
    reboot_to_disk: bool,
    /// Indexes of the groups entered and not yet ended, outermost first.
    open_groups: Vec<usize>,
    /// The step running now.
    current: Option<usize>,
    /// The step started last (a step whose action asked for a reboot and a
    /// retry is entered again after the reboot, though it logged an end).
    last_started: Option<usize>,
    /// The step that ended last (for `_SMSTSLastActionRetCode`).
    last_ended: Option<usize>,
    /// The `_SMSTSInstructionStackString` in force (`None` before the first
    /// value, and after a group's start or end line until the next value).
    stack: Option<Vec<u32>>,
    /// The last start, until the next stack value says what it was.
    pending_start: Option<stack::PendingStart>,
    /// Failed steps and groups whose failure may still turn out to be ignored.
    provisional_failures: Vec<usize>,
    /// The next instruction start follows a reboot.
    reboot_pending: bool,
    /// A reboot was requested since the last instruction event.
    reboot_requested: bool,
    /// Wall-clock spans spent rebooting.
    reboot_gaps: Vec<(i64, i64)>,
    jump: Option<Jump>,
    last_wall: Option<i64>,
    last_position: Position,
    ending: Ending,
    name: Option<String>,
    platform: PlatformEvidence,
    table_size: Option<u32>,
    overlapping_records: usize,
    records: usize,
    file: usize,
    /// Skipping the start of a later file that repeats records already read.
    skipping: bool,
    newest_wall: Option<i64>,
    /// Digests of the records read at `newest_wall` (a few: one millisecond's).
    newest_keys: Vec<u64>,
    code_names: HashMap<u32, (Option<String>, Option<String>)>,
}

impl OutlineBuilder {
    /// An empty builder.
    pub fn new() -> OutlineBuilder {
        OutlineBuilder::default()
    }

    /// The rows pushed next come from file `file` (an index in the order the
    /// files are given). Records at the start of a later file that are
    /// older than the newest record read so far, or repeat a record at that
    /// time, are left out (copies of one smsts.log overlap).
    pub fn begin_file(&mut self, file: usize) {
        self.file = file;
        self.skipping = self.newest_wall.is_some();
    }

    /// Reads one row.
    pub fn push(&mut self, row: &Row) {
        let meta = &row.fields.meta;
        let wall = meta.wall_ms;
        if self.skipping {
            if self.repeats_earlier_file(row) {
                self.overlapping_records += 1;
                return;
            }
            self.skipping = false;
        }
        self.records += 1;
        let position = Position {
            file: self.file,
            record: row.record,
            wall,
            utc: if wall.is_some() { meta.utc_ms() } else { None },
            adjust: match (wall, meta.zone) {
                (Some(_), ZoneKind::Bias | ZoneKind::EastOffset) => Some(meta.utc_adjust_minutes),
                _ => None,
            },
        };
        if self.phases.is_empty() {
            self.phases.push(span_at(position));
        }
        if let Some(w) = wall {
            if let Some(previous) = self.last_wall {
                let gap = w - previous;
                if gap > 0
                    && self
                        .jump
                        .is_none_or(|j| gap > j.after.wall.unwrap_or(0) - j.before)
                {
                    self.jump = Some(Jump {
                        before: previous,
                        after: position,
                    });
                }
            }
            self.last_wall = Some(w);
            self.remember_newest(row, w);
        }
        let component = row.fields.component.as_str();
        self.platform.see(&row.fields.message);
        let event = vocab::classify(component, &row.fields.message);
        self.apply(event, position);
        if let Some(i) = self.current
            && self.steps[i].component.is_none()
            && !component.is_empty()
            && !ENGINE_COMPONENTS
                .iter()
                .any(|e| e.eq_ignore_ascii_case(component))
        {
            self.steps[i].component = Some(component.to_owned());
        }
        self.last_position = position;
    }

    /// The outline of everything pushed.
    pub fn finish(mut self) -> Outline {
        let ending = std::mem::take(&mut self.ending);
        // Failures nothing confirmed: fatal when the task sequence failed,
        // ignored when it completed, as logged otherwise.
        let ignored = matches!(ending, Ending::Completed);
        for i in std::mem::take(&mut self.provisional_failures) {
            if ignored {
                self.steps[i].result = StepResult::FailedContinued;
            }
        }
        if let Ending::Failed { at, .. } = &ending {
            let at = *at;
            for step in &mut self.steps {
                // A step entered after the failure line is not ended by it.
                let started_before = (step.file, step.first_record) <= (at.file, at.record);
                if step.result == StepResult::Running && started_before {
                    step.result = StepResult::Failed;
                    set_end(step, at);
                }
            }
        }
        self.settle_phases();
        for i in 0..self.steps.len() {
            let step = &mut self.steps[i];
            step.phase = self
                .phases
                .get(step.boot)
                .map_or(Phase::Unknown, |p| p.phase);
            step.duration_ms = match (step.start_wall_ms, step.end_wall_ms) {
                (Some(start), Some(end)) => {
                    Some(duration_without_gaps(start, end, &self.reboot_gaps))
                }
                _ => None,
            };
            if let Some(code) = step.exit_code {
                let (name, meaning) = code_name(&mut self.code_names, code);
                step.exit_name = name;
                step.exit_meaning = meaning;
            }
        }
        // The log ends on a reboot the engine asked for: where it went.
        let restarted_into = (matches!(ending, Ending::None) && self.reboot_requested).then_some(
            if self.reboot_to_disk {
                Phase::FullOs
            } else {
                Phase::Unknown
            },
        );
        let outcome = match ending {
            Ending::None => Outcome::Running,
            Ending::Completed => Outcome::Completed,
            Ending::Failed {
                step,
                step_code,
                engine_code,
                ..
            } => {
                // The step the failure names, or (when it names none) the
                // last step that failed; never another step than the one
                // named (a name with no step of its own has no index).
                let index = match &step {
                    Some(name) => self
                        .steps
                        .iter()
                        .rposition(|s| {
                            &s.name == name && s.kind == StepKind::Step && is_failure(s.result)
                        })
                        .or_else(|| self.steps.iter().rposition(|s| &s.name == name)),
                    None => self
                        .steps
                        .iter()
                        .rposition(|s| s.kind == StepKind::Step && s.result == StepResult::Failed),
                };
                let step = step.or_else(|| index.map(|i| self.steps[i].name.clone()));
                let code = step_code
                    .or_else(|| index.and_then(|i| self.steps[i].exit_code))
                    .or(engine_code);
                Outcome::Failed { step, index, code }
            }
        };
        Outline {
            steps: self.steps,
            outcome,
            phases: self.phases,
            name: self.name,
            standalone: self.platform.platform() == Platform::MdtStandalone,
            platform: self.platform.platform(),
            table_size: self.table_size,
            overlapping_records: self.overlapping_records,
            records: self.records,
            restarted_into,
        }
    }

    /// While skipping the start of a later file: true when `row` is older
    /// than the newest record read, or repeats one at that time.
    fn repeats_earlier_file(&self, row: &Row) -> bool {
        let (Some(wall), Some(newest)) = (row.fields.meta.wall_ms, self.newest_wall) else {
            return self.newest_wall.is_some();
        };
        wall < newest || (wall == newest && self.newest_keys.contains(&digest(row)))
    }

    fn remember_newest(&mut self, row: &Row, wall: i64) {
        match self.newest_wall {
            Some(newest) if wall < newest => {}
            Some(newest) if wall == newest => {
                self.newest_keys.push(digest(row));
            }
            _ => {
                self.newest_wall = Some(wall);
                self.newest_keys.clear();
                self.newest_keys.push(digest(row));
            }
        }
    }

    /// An instruction event happened: a reboot before it is no longer looked for.
    fn instruction_event(&mut self) {
        self.jump = None;
        self.reboot_requested = false;
    }

    fn apply(&mut self, event: Event<'_>, at: Position) {
        match event {
            Event::Banner => self.banner(at),
            Event::Bootstrap { env, drive } => {
                let phase = match (env, drive) {
                    (Some(e), _) if e.eq_ignore_ascii_case("WinPE") => Phase::WinPE,
                    (Some(e), _) if e.eq_ignore_ascii_case("Gina") => Phase::FullOs,
                    (_, Some('X')) => Phase::WinPE,
                    (_, Some(_)) => Phase::FullOs,
                    _ => Phase::Unknown,
                };
                self.phase_evidence_for_boot(phase, 2);
            }
            Event::LogsMovedToClient => self.phase_evidence_for_boot(Phase::FullOs, 2),
            // The platform evidence reads these lines itself.
            Event::Standalone => {}
            Event::TaskSequenceName(name) => {
                if !name.is_empty() {
                    self.name = Some(name.to_owned());
                }
            }
            Event::Start {
                name,
                pointer,
                disabled,
                group,
            } => self.start(name, pointer, disabled, group, at),
            Event::CommandLine(command) => {
                if let Some(i) = self.current {
                    self.notes[i].ran_command = true;
                    if self.steps[i].component.is_none() {
                        self.steps[i].component = mdt_script(command);
                    }
                }
            }
            Event::Succeeded { name, code } => {
                self.instruction_event();
                let i = self.ending_step(name, at);
                let step = &mut self.steps[i];
                step.result = StepResult::Success;
                step.exit_code = vocab::code_from_decimal(&code.to_string());
                set_end(step, at);
                self.ended(i);
            }
            Event::Failed { name, code } => {
                self.instruction_event();
                let i = self.ending_step(name, at);
                let process_exit = self.notes[i].process_exit;
                let step = &mut self.steps[i];
                step.result = StepResult::Failed;
                step.exit_code = code.or(process_exit);
                set_end(step, at);
                self.ended(i);
                self.provisional_failures.push(i);
            }
            Event::ContinueOnError => {
                if let Some(i) = self.last_ended
                    && let Some(k) = self.provisional_failures.iter().position(|&f| f == i)
                {
                    self.provisional_failures.remove(k);
                    self.steps[i].result = StepResult::FailedContinued;
                }
            }
            Event::GroupStarted(name) => {
                self.instruction_event();
                // The group lines keep the open groups until the next value.
                self.stack = None;
                match self.current {
                    Some(i) if self.steps[i].name == name => {
                        self.steps[i].kind = StepKind::Group;
                        self.current = None;
                        if !self.open_groups.contains(&i) {
                            self.open_groups.push(i);
                        }
                    }
                    _ => {
                        let already_open = self.open_groups.last().is_some_and(|&g| {
                            g + 1 == self.steps.len() && self.steps[g].name == name
                        });
                        if !already_open {
                            let i = self.new_step(name, None, StepKind::Group, at);
                            self.open_groups.push(i);
                        }
                    }
                }
            }
            Event::GroupCondition(name) => {
                if let Some(i) = self.current.filter(|&i| self.steps[i].name == name) {
                    self.steps[i].kind = StepKind::Group;
                }
            }
            Event::GroupCompleted(name) => {
                self.instruction_event();
                self.stack = None;
                self.fold_group_end_entry(name);
                self.close_group(name, StepResult::Success, None, at);
            }
            Event::GroupFailed { name, code } => {
                self.instruction_event();
                self.stack = None;
                self.fold_group_end_entry(name);
                // The failures inside stopped this group: they are fatal.
                self.provisional_failures.clear();
                if let Some(g) = self.close_group(name, StepResult::Failed, code, at) {
                    self.provisional_failures.push(g);
                }
            }
            Event::GroupSkipped { name, disabled } => {
                self.instruction_event();
                self.skipped(name, StepKind::Group, disabled, at);
            }
            Event::ActionSkipped { name, disabled } => {
                self.instruction_event();
                self.skipped(name, StepKind::Step, disabled, at);
            }
            Event::InstructionSkipped(name) => {
                if let Some(i) = self.current.filter(|&i| self.steps[i].name == name) {
                    let step = &mut self.steps[i];
                    step.result = StepResult::SkippedCondition;
                    set_end(step, at);
                    self.current = None;
                }
            }
            Event::Var { name, value } => self.variable(name, value, at),
            Event::RebootRequested { to_disk } => {
                self.instruction_event();
                self.reboot_requested = true;
                self.reboot_to_disk |= to_disk;
            }
            Event::ProcessExit(code) => {
                if let Some(i) = self.current {
                    self.notes[i].process_exit = vocab::code_from_decimal(&code.to_string());
                }
            }
            Event::LastActionFailed { name, code } => {
                self.provisional_failures.clear();
                let (engine_code, step_code) = match &self.ending {
                    Ending::Failed {
                        engine_code,
                        step_code,
                        ..
                    } => (*engine_code, *step_code),
                    _ => (None, None),
                };
                self.ending = Ending::Failed {
                    step: Some(name.to_owned()),
                    step_code: code.or(step_code),
                    engine_code,
                    at,
                };
            }
            Event::TaskSequenceFailed(code) => self.engine_failed(code, at),
            Event::BootstrapExit(code) => {
                if code != 0 {
                    self.engine_failed(Some(code), at);
                } else if matches!(self.ending, Ending::None)
                    && !self.reboot_requested
                    && self.current.is_none()
                    && !self.steps.is_empty()
                {
                    self.ending = Ending::Completed;
                }
            }
            Event::TaskSequenceCompleted => {
                if !matches!(self.ending, Ending::Failed { .. }) {
                    self.ending = Ending::Completed;
                }
            }
            Event::Other => {}
        }
    }

    fn engine_failed(&mut self, code: Option<u32>, at: Position) {
        self.provisional_failures.clear();
        match &mut self.ending {
            Ending::Failed { engine_code, .. } => {
                if engine_code.is_none() {
                    *engine_code = code;
                }
            }
            _ => {
                self.ending = Ending::Failed {
                    step: None,
                    step_code: None,
                    engine_code: code,
                    at,
                }
            }
        }
    }

    fn variable(&mut self, name: &str, value: &str, at: Position) {
        match name {
            "_SMSTSInstructionStackString" => {
                let stack = value
                    .split_ascii_whitespace()
                    .filter_map(|p| p.parse().ok())
                    .collect();
                self.stack_logged(stack, at);
            }
            "_SMSTSInstructionTableSize" => self.table_size = value.trim().parse().ok(),
            "_SMSTSPackageName" if self.name.is_none() && !value.trim().is_empty() => {
                self.name = Some(value.trim().to_owned());
            }
            "_SMSTSInWinPE" => {
                let phase = if value.trim().eq_ignore_ascii_case("true") {
                    Phase::WinPE
                } else {
                    Phase::FullOs
                };
                self.phase_evidence(phase, 3);
            }
            "_SMSTSLogPath" => {
                let path = value.trim().to_ascii_lowercase();
                if path.starts_with("x:\\") {
                    self.phase_evidence(Phase::WinPE, 1);
                } else if path.contains("\\ccm\\logs") {
                    self.phase_evidence(Phase::FullOs, 1);
                }
            }
            "_SMSTSLastActionRetCode" => {
                if let Some(i) = self.last_ended {
                    let step = &mut self.steps[i];
                    if step.exit_code.is_none() {
                        step.exit_code = vocab::code_from_decimal(value);
                    }
                }
            }
            _ => {}
        }
    }

    /// Phase evidence about the current boot.
    fn phase_evidence(&mut self, phase: Phase, strength: u8) {
        if phase == Phase::Unknown {
            return;
        }
        if let Some(span) = self.phases.last_mut()
            && strength > self.phase_strength
        {
            span.phase = phase;
            self.phase_strength = strength;
        }
    }

    /// Phase evidence from the bootstrap: about the boot to come when the
    /// current boot already ran instructions, else about the current one.
    fn phase_evidence_for_boot(&mut self, phase: Phase, strength: u8) {
        if self.span_has_instructions {
            if phase != Phase::Unknown {
                self.next_phase = Some((phase, strength));
            }
        } else {
            self.phase_evidence(phase, strength);
        }
    }

    /// A bootstrap banner: after instructions ran, the machine rebooted.
    fn banner(&mut self, at: Position) {
        if !self.span_has_instructions {
            return;
        }
        let begins = match self.jump.take() {
            Some(jump) => {
                if let Some(after) = jump.after.wall {
                    self.reboot_gaps.push((jump.before, after));
                }
                jump.after
            }
            None => at,
        };
        self.phases.push(span_at(begins));
        self.phase_strength = 0;
        self.span_has_instructions = false;
        if self.reboot_to_disk {
            self.phase_evidence(Phase::FullOs, 1);
        }
        self.reboot_to_disk = false;
        if let Some((phase, strength)) = self.next_phase.take() {
            self.phase_evidence(phase, strength);
        }
        for i in self.current.iter().chain(self.open_groups.iter()) {
            self.steps[*i].reboots += 1;
        }
        self.reboot_pending = true;
        self.reboot_requested = false;
    }

    /// Phases nothing in their own boot named: a boot after a WinPE boot
    /// whose bias differs is the installed OS.
    fn settle_phases(&mut self) {
        for k in 1..self.phases.len() {
            let (before, after) = self.phases.split_at_mut(k);
            let previous = &before[k - 1];
            let span = &mut after[0];
            if span.phase == Phase::Unknown
                && previous.phase == Phase::WinPE
                && span.utc_adjust_minutes.is_some()
                && span.utc_adjust_minutes != previous.utc_adjust_minutes
            {
                span.phase = Phase::FullOs;
            }
        }
    }
}

/// A boot that begins at `at`.
fn span_at(at: Position) -> PhaseSpan {
    PhaseSpan {
        phase: Phase::Unknown,
        file: at.file,
        first_record: at.record,
        start_wall_ms: at.wall,
        start_utc_ms: at.utc,
        utc_adjust_minutes: at.adjust,
    }
}

fn set_end(step: &mut Step, at: Position) {
    step.end_wall_ms = at.wall.or(step.end_wall_ms);
    step.end_utc_ms = at.utc.or(step.end_utc_ms);
    step.last_file = at.file;
    step.last_record = at.record;
}

fn is_failure(result: StepResult) -> bool {
    matches!(result, StepResult::Failed | StepResult::FailedContinued)
}

/// `end - start` without the parts of `gaps` inside it.
fn duration_without_gaps(start: i64, end: i64, gaps: &[(i64, i64)]) -> i64 {
    let overlap: i64 = gaps
        .iter()
        .map(|&(a, b)| (end.min(b) - start.max(a)).max(0))
        .sum();
    (end - start - overlap).max(0)
}

/// Same thread, component and message (its length and its two ends), for
/// records of one millisecond: those that agree there are the same record.
/// Every record is digested, so this is a cheap multiply-rotate hash, not a
/// keyed one.
fn digest(row: &Row) -> u64 {
    let message = row.fields.message.as_bytes();
    let mut h = mix(0, &(message.len() as u64).to_le_bytes());
    h = mix(h, row.fields.thread.as_bytes());
    h = mix(h, row.fields.component.as_bytes());
    if message.len() <= 2 * DIGEST_BYTES {
        mix(h, message)
    } else {
        h = mix(h, &message[..DIGEST_BYTES]);
        mix(h, &message[message.len() - DIGEST_BYTES..])
    }
}

fn mix(mut h: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    // The length separates fields, so `ab`+`c` and `a`+`bc` differ.
    (h.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(K)
}

/// For `cscript.exe "%SCRIPTROOT%\ZTIGather.wsf"`, `ZTIGather`: the MDT
/// script that does the work (and names its own log).
fn mdt_script(command: &str) -> Option<String> {
    let lower = command.to_ascii_lowercase();
    if !lower.trim_start_matches('"').starts_with("cscript") {
        return None;
    }
    for token in command.split(|c: char| c == '"' || c.is_whitespace()) {
        let t = token.to_ascii_lowercase();
        if t.ends_with(".wsf") || t.ends_with(".vbs") {
            let file = token.rsplit(['\\', '/']).next().unwrap_or(token);
            let stem = &file[..file.len() - 4];
            if !stem.is_empty() {
                return Some(stem.to_owned());
            }
        }
    }
    None
}
