//! The outline builder's entries: an instruction entered (again, after a
//! reboot or a retry), the step an end line names, a group opened and
//! closed, an instruction skipped. Works on the names, pointers and
//! positions the event dispatch in `mod.rs` hands it: never reads rows or
//! classifies messages, and never opens a boot (phase spans are `mod.rs`'s).

use super::stack::PendingStart;
use super::{Ending, OutlineBuilder, Position, StepNotes, set_end};
use crate::tasksequence::{Phase, Step, StepKind, StepResult};

/// How many of the latest entries an end line's step is looked for in.
const RECENT_STEPS: usize = 64;

impl OutlineBuilder {
    pub(super) fn start(
        &mut self,
        name: &str,
        pointer: u32,
        disabled: bool,
        group: bool,
        at: Position,
    ) {
        self.start_follows(pointer, at);
        // A start after a failure: the failure did not stop the task sequence.
        for i in std::mem::take(&mut self.provisional_failures) {
            self.steps[i].result = StepResult::FailedContinued;
        }
        if !matches!(self.ending, Ending::None) {
            self.ending = Ending::None;
        }
        self.instruction_event();
        self.span_has_instructions = true;
        let stack = self.stack.clone();
        let reboot_before = std::mem::take(&mut self.reboot_pending);
        let again = self.current.or(self.last_started.filter(|_| reboot_before));
        if let Some(i) = again {
            let running = self.current == Some(i);
            let step = &mut self.steps[i];
            if step.pointer == Some(pointer) && step.name == name {
                // Entered again after a reboot or a retry: the same step,
                // with a reboot marker.
                step.reboot_before |= reboot_before;
                if !running {
                    // It ended before the reboot ("requested a retry"): it
                    // runs again now and ends again later.
                    step.reboots += 1;
                    step.result = StepResult::Running;
                    self.current = Some(i);
                }
                return;
            }
        }
        if let Some(stack) = &stack {
            self.sync_groups(stack, at);
        }
        let kind = if group {
            StepKind::Group
        } else {
            StepKind::Step
        };
        let i = self.new_step(name, Some(pointer), kind, at);
        if let Some(stack) = &stack {
            self.steps[i].depth = stack.len();
        }
        self.steps[i].reboot_before = reboot_before;
        self.pending_start = Some(PendingStart {
            step: i,
            pointer,
            depth: stack.as_ref().map(Vec::len),
        });
        if disabled {
            let step = &mut self.steps[i];
            step.result = StepResult::SkippedDisabled;
            set_end(step, at);
        } else if group {
            self.open_groups.push(i);
        } else {
            self.current = Some(i);
            self.last_started = Some(i);
        }
    }

    /// A new instruction at the current depth, running, starting at `at`.
    pub(super) fn new_step(
        &mut self,
        name: &str,
        pointer: Option<u32>,
        kind: StepKind,
        at: Position,
    ) -> usize {
        let depth = self.open_groups.len();
        self.steps.push(Step {
            name: name.to_owned(),
            pointer,
            depth,
            kind,
            start_wall_ms: at.wall,
            start_utc_ms: at.utc,
            end_wall_ms: None,
            end_utc_ms: None,
            duration_ms: None,
            result: StepResult::Running,
            exit_code: None,
            exit_name: None,
            exit_meaning: None,
            component: None,
            reboot_before: false,
            reboots: 0,
            phase: Phase::Unknown,
            boot: self.phases.len().saturating_sub(1),
            file: at.file,
            first_record: at.record,
            last_file: at.file,
            last_record: at.record,
        });
        self.notes.push(StepNotes::default());
        self.steps.len() - 1
    }

    /// The step an end line names: the running one, or (when its start is
    /// not in the files read) a new entry that starts unknown.
    pub(super) fn ending_step(&mut self, name: &str, at: Position) -> usize {
        if let Some(i) = self.current.filter(|&i| self.steps[i].name == name) {
            return i;
        }
        // An end line follows its start closely: only the latest entries are
        // looked at, so a log full of unmatched ends stays linear.
        let recent = self.steps.len().saturating_sub(RECENT_STEPS);
        if let Some(k) = self.steps[recent..].iter().rposition(|s| {
            s.kind == StepKind::Step && s.result == StepResult::Running && s.name == name
        }) {
            return recent + k;
        }
        let i = self.new_step(name, None, StepKind::Step, at);
        let step = &mut self.steps[i];
        step.start_wall_ms = None;
        step.start_utc_ms = None;
        i
    }

    pub(super) fn ended(&mut self, i: usize) {
        if self.current == Some(i) {
            self.current = None;
        }
        self.last_ended = Some(i);
    }

    /// Newer engines enter a group again at its end pointer just before its
    /// end line: that entry is the group's, not a step.
    pub(super) fn fold_group_end_entry(&mut self, name: &str) {
        let Some(i) = self.current else { return };
        let is_entry = i + 1 == self.steps.len()
            && self.steps[i].name == name
            && !self.notes[i].ran_command
            && self.steps[i].component.is_none()
            && self.open_groups.iter().any(|&g| self.steps[g].name == name);
        if is_entry {
            let entry = self.steps.pop();
            self.notes.pop();
            self.forget_pending_start_beyond_end();
            self.current = None;
            if entry.is_some_and(|e| e.reboot_before) {
                self.reboot_pending = true;
            }
        }
    }

    /// Ends the innermost open group named `name` (and any still open inside
    /// it); an end with no start read gets its own entry.
    pub(super) fn close_group(
        &mut self,
        name: &str,
        result: StepResult,
        code: Option<u32>,
        at: Position,
    ) -> Option<usize> {
        let found = self
            .open_groups
            .iter()
            .rposition(|&g| self.steps[g].name == name);
        let g = match found {
            Some(level) => {
                for &inner in &self.open_groups[level + 1..] {
                    let step = &mut self.steps[inner];
                    if step.result == StepResult::Running {
                        step.result = result;
                        set_end(step, at);
                    }
                }
                let g = self.open_groups[level];
                self.open_groups.truncate(level);
                g
            }
            None => {
                let g = self.new_step(name, None, StepKind::Group, at);
                let step = &mut self.steps[g];
                step.start_wall_ms = None;
                step.start_utc_ms = None;
                g
            }
        };
        let step = &mut self.steps[g];
        step.result = result;
        if code.is_some() {
            step.exit_code = code;
        }
        set_end(step, at);
        self.last_ended = Some(g);
        Some(g)
    }

    /// `… has been skipped because …`: the instruction just entered, or a
    /// new entry when it was not entered.
    pub(super) fn skipped(&mut self, name: &str, kind: StepKind, disabled: bool, at: Position) {
        let i = match self.current.filter(|&i| self.steps[i].name == name) {
            Some(i) => {
                self.current = None;
                i
            }
            None => {
                if let Some(&last) = self.open_groups.last() {
                    // A group entered as an instruction of CM2012 type and then skipped.
                    if last + 1 == self.steps.len() && self.steps[last].name == name {
                        self.open_groups.pop();
                    }
                }
                match self.steps.last() {
                    Some(s) if s.name == name && s.result == StepResult::Running => {
                        self.steps.len() - 1
                    }
                    _ => self.new_step(name, None, kind, at),
                }
            }
        };
        let step = &mut self.steps[i];
        step.kind = kind;
        step.result = if disabled {
            StepResult::SkippedDisabled
        } else {
            StepResult::SkippedCondition
        };
        set_end(step, at);
    }

    /// A start whose entry was just removed says nothing any more.
    fn forget_pending_start_beyond_end(&mut self) {
        if self
            .pending_start
            .is_some_and(|p| p.step >= self.steps.len())
        {
            self.pending_start = None;
        }
    }
}
