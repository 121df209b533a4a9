//! The outline builder's reading of `_SMSTSInstructionStackString`, the
//! list of pointers of the groups the engine is inside: an instruction's
//! parents are the value in force when its start is logged (its depth is the
//! value's length); the next value logged after a start says what the start
//! was — longer and ending in its pointer: a group entered; shorter: a
//! group's end instruction, which closes the group and is no instruction of
//! its own. A start followed by a start more than one pointer further (no
//! other stack value between) was a group skipped. Groups a log never shows being entered (it
//! begins inside the sequence) get an entry of their own, named by their
//! end instruction when it comes.

use super::{OutlineBuilder, Position, set_end};
use crate::tasksequence::{StepKind, StepResult};

/// A start whose kind the next stack value decides.
#[derive(Clone, Copy, Debug)]
pub(super) struct PendingStart {
    /// Its entry in `steps`.
    pub(super) step: usize,
    pub(super) pointer: u32,
    /// Length of the stack in force at the start (`None`: no value logged yet).
    pub(super) depth: Option<usize>,
}

/// The name of a group whose entry the log does not show.
pub(super) fn unnamed_group(pointer: u32) -> String {
    format!("group at pointer {pointer}")
}

impl OutlineBuilder {
    /// Before an instruction at `pointer` starts: a start right after a
    /// start more than one pointer back, with no stack value between, means
    /// that earlier start was a group the engine skipped.
    pub(super) fn start_follows(&mut self, pointer: u32, at: Position) {
        let Some(previous) = self.pending_start.take() else {
            return;
        };
        if pointer <= previous.pointer.saturating_add(1) {
            return;
        }
        let i = previous.step;
        let Some(step) = self.steps.get_mut(i) else {
            return;
        };
        if step.result == StepResult::Running && !self.notes[i].ran_command {
            step.kind = StepKind::Group;
            step.result = StepResult::SkippedCondition;
            set_end(step, at);
            if self.current == Some(i) {
                self.current = None;
            }
            self.open_groups.retain(|&g| g != i);
        }
    }

    /// A value of `_SMSTSInstructionStackString` was logged.
    pub(super) fn stack_logged(&mut self, stack: Vec<u32>, at: Position) {
        if let Some(start) = self.pending_start.take() {
            self.decide_start(start, &stack, at);
        }
        self.sync_groups(&stack, at);
        self.stack = Some(stack);
    }

    /// What the start `start` was, from the first stack value after it.
    fn decide_start(&mut self, start: PendingStart, stack: &[u32], at: Position) {
        let mut i = start.step;
        if i >= self.steps.len() {
            return;
        }
        let depth = start.depth.unwrap_or(self.steps[i].depth);
        if stack.len() < depth {
            self.end_instruction(i, stack.len(), at);
            return;
        }
        let group = stack.len() > depth && stack.last() == Some(&start.pointer);
        let parents = if group {
            &stack[..stack.len() - 1]
        } else {
            stack
        };
        if i + 1 == self.steps.len() && !self.groups_open(parents) {
            // A log that began inside the sequence: the parents are known
            // only now, and their entries go before this one.
            let entry = self.steps.pop().expect("checked above");
            let notes = self.notes.pop().expect("one notes entry per step");
            self.open_groups.retain(|&g| g != i);
            self.sync_groups(parents, at);
            // The groups found now begin, in the log, where their first
            // member does (not at the stack value that named them).
            for group in &mut self.steps[i..] {
                group.file = entry.file;
                group.first_record = entry.first_record;
            }
            self.steps.push(entry);
            self.notes.push(notes);
            let moved = self.steps.len() - 1;
            for index in [
                &mut self.current,
                &mut self.last_started,
                &mut self.last_ended,
            ] {
                if *index == Some(i) {
                    *index = Some(moved);
                }
            }
            i = moved;
        }
        self.steps[i].depth = parents.len();
        if !group {
            // The same depth again: the next start still tells a skipped group.
            self.pending_start = Some(PendingStart {
                step: i,
                depth: Some(parents.len()),
                ..start
            });
        }
        if group {
            self.steps[i].kind = StepKind::Group;
            if self.current == Some(i) {
                self.current = None;
            }
            if !self.open_groups.contains(&i) {
                self.close_deeper_than(parents.len(), at);
                self.open_groups.push(i);
            }
        }
    }

    /// The open groups are `pointers` (a group with no pointer yet fits any).
    fn groups_open(&self, pointers: &[u32]) -> bool {
        self.open_groups.len() >= pointers.len()
            && pointers
                .iter()
                .zip(&self.open_groups)
                .all(|(&p, &g)| self.steps[g].pointer.is_none_or(|q| q == p))
    }

    /// The start at `i` was the end instruction of the groups deeper than
    /// `depth`: they close, the innermost takes its name when it had none,
    /// and the entry goes.
    fn end_instruction(&mut self, i: usize, depth: usize, at: Position) {
        let closing: Vec<usize> = self.open_groups.get(depth..).unwrap_or(&[]).to_vec();
        let name = self.steps[i].name.clone();
        if let Some(&innermost) = closing.iter().rev().find(|&&g| g != i) {
            let group = &mut self.steps[innermost];
            if group
                .pointer
                .is_some_and(|p| group.name == unnamed_group(p))
            {
                group.name = name.clone();
            }
        }
        let is_entry = i + 1 == self.steps.len()
            && !self.notes[i].ran_command
            && self.steps[i].result == StepResult::Running
            && closing
                .iter()
                .any(|&g| g != i && self.steps[g].name == name);
        if is_entry {
            self.steps.pop();
            self.notes.pop();
            if self.current == Some(i) {
                self.current = None;
            }
            if self.last_started == Some(i) {
                self.last_started = None;
            }
            self.open_groups.retain(|&g| g != i);
        }
        self.close_deeper_than(depth, at);
    }

    /// Groups open deeper than `depth` have ended: running ones succeeded
    /// (a failure would have been logged as one).
    fn close_deeper_than(&mut self, depth: usize, at: Position) {
        if self.open_groups.len() <= depth {
            return;
        }
        for g in self.open_groups.split_off(depth) {
            let step = &mut self.steps[g];
            if step.result == StepResult::Running {
                step.result = StepResult::Success;
                set_end(step, at);
            }
            self.last_ended = Some(g);
        }
    }

    /// Makes the open groups the stack's: a group without a pointer takes
    /// the stack's, groups the stack no longer holds are closed, and groups
    /// the log never showed being entered get an entry.
    pub(super) fn sync_groups(&mut self, stack: &[u32], at: Position) {
        let mut level = 0;
        while level < stack.len() {
            match self.open_groups.get(level) {
                Some(&g) if self.steps[g].pointer == Some(stack[level]) => level += 1,
                Some(&g) if self.steps[g].pointer.is_none() => {
                    self.steps[g].pointer = Some(stack[level]);
                    level += 1;
                }
                Some(_) => self.close_deeper_than(level, at),
                None => {
                    let g = self.new_step(
                        &unnamed_group(stack[level]),
                        Some(stack[level]),
                        StepKind::Group,
                        at,
                    );
                    let group = &mut self.steps[g];
                    group.depth = level;
                    // Entered before the log begins: its start is not known.
                    group.start_wall_ms = None;
                    group.start_utc_ms = None;
                    self.open_groups.push(g);
                    level += 1;
                }
            }
        }
        self.close_deeper_than(stack.len(), at);
    }
}
