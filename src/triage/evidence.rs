//! The triage's reading of records: which records are notable (errors,
//! failure lines, codes), how the run ended and what failed (from the
//! outline, or from the records where the outline has no ending: a pasted
//! excerpt, a failure before any step), which code ended it, and which few
//! records show it.

use std::collections::HashMap;

use super::data;
use super::{EvidenceRecord, NextLog, Triage, TriageOutcome, describe, is_error, phase_name};
use crate::document::Row;
use crate::errors::detect::find_codes;
use crate::model::Severity;
use crate::tasksequence::{Outcome, Outline, Phase, StepKind, StepResult};

/// Notable records kept (smsts.log copies hold a few thousand at most).
pub(super) const MAX_NOTABLE: usize = 50_000;
/// Records shown as evidence.
const MAX_EVIDENCE: usize = 8;
/// Harmless records listed.
const MAX_HARMLESS: usize = 20;
/// Logs suggested.
const MAX_NEXT_LOGS: usize = 10;
/// Characters of a message kept.
const MESSAGE_CHARS: usize = 1000;

/// The task-sequence engine's own components.
const ENGINE: &[&str] = &[
    "TSManager",
    "TSMBootstrap",
    "TSBootShell",
    "TSPxe",
    "TsProgressUI",
    "OSDSetupHook",
];

/// Action components and the step types people know them by.
const ACTIONS: &[(&str, &str)] = &[
    ("RunPowerShellScript", "Run PowerShell Script"),
    ("SMSTSRunCommandLine", "Run Command Line"),
    ("InstallApplication", "Install Application"),
    ("InstallSoftware", "Install Package"),
    ("InstallSWUpdate", "Install Software Updates"),
    ("OSDBitLocker", "Enable BitLocker"),
    ("ApplyOperatingSystem", "Apply Operating System"),
    ("OSDApplyOS", "Apply Operating System"),
    ("OSDDriverClient", "Apply Drivers"),
    ("ApplyDriverPackage", "Apply Driver Package"),
    ("OSDSetupWindows", "Setup Windows and ConfigMgr"),
    ("OSDWinSettings", "Apply Windows Settings"),
    ("OSDNetSettings", "Apply Network Settings"),
    ("OSDDiskPart", "Format and Partition Disk"),
    ("OSDUpgradeOS", "Upgrade Operating System"),
    ("OSDSmpClient", "Capture/Restore User State"),
];

/// What kind of notable record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `Failed to run the action: X` (or the last action).
    FailedAction,
    /// The engine's own failure lines.
    EngineFailed,
    /// `Process completed with exit code N`, N not 0.
    ProcessExit(u32),
    /// Any other record with an error code or an error severity.
    Error,
}

/// A record the triage may show.
#[derive(Clone, Debug)]
pub(super) struct Notable {
    pub(super) file: usize,
    pub(super) record: usize,
    time: Option<String>,
    component: String,
    message: String,
    severity: Severity,
    /// Logged by the engine (not a step's own process).
    pub(super) engine: bool,
    codes: Vec<u32>,
    kind: Kind,
}

fn shorten(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_CHARS) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message.to_owned(),
    }
}

/// The component of a record: its own column, or (plain pasted lines) a
/// known component name the line starts with.
fn component_of(row: &Row) -> String {
    let component = row.fields.component.trim();
    if !component.is_empty() {
        return component.to_owned();
    }
    let first = row
        .fields
        .message
        .split(|c: char| c.is_whitespace() || c == '&')
        .next()
        .unwrap_or("");
    let known = ENGINE
        .iter()
        .chain(ACTIONS.iter().map(|(c, _)| c))
        .find(|c| c.eq_ignore_ascii_case(first));
    known.map_or_else(String::new, |c| (*c).to_owned())
}

impl Notable {
    /// The record as the triage keeps it, or `None` when it shows nothing.
    pub(super) fn of(file: usize, row: &Row) -> Option<Notable> {
        let message = row.fields.message.trim();
        let severity = row.fields.meta.severity;
        let lower_start: String = message
            .chars()
            .take(64)
            .collect::<String>()
            .to_ascii_lowercase();
        let kind = if message.starts_with("Failed to run the action")
            || message.starts_with("Failed to run the last action")
            || message.contains("Install application action failed")
        {
            Some(Kind::FailedAction)
        } else if message.starts_with("Task Sequence Engine failed")
            || message.starts_with("Task sequence execution failed")
            || message.starts_with("Task Sequence Manager failed to execute")
            || message.starts_with("Execution of task sequence failed")
            || message.contains("Task Sequence environment not found")
            || message.contains("Task sequence completed 0x8")
        {
            Some(Kind::EngineFailed)
        } else if let Some(code) = message
            .split("Process completed with exit code ")
            .nth(1)
            .and_then(|c| {
                crate::tasksequence::vocab::code_from_decimal(c.split_whitespace().next()?)
            })
        {
            (code != 0).then_some(Kind::ProcessExit(code))
        } else {
            None
        };
        let looks_like_failure = kind.is_some()
            || is_error(severity)
            || message.contains("HRESULT=")
            || message.contains("(Error: ")
            || lower_start.contains("error")
            || lower_start.contains("failed");
        if !looks_like_failure {
            return None;
        }
        let codes: Vec<u32> = find_codes(message).into_iter().map(|c| c.value).collect();
        let kind = match kind {
            Some(k) => k,
            None if !codes.is_empty() || is_error(severity) => Kind::Error,
            None => return None,
        };
        let component = component_of(row);
        Some(Notable {
            file,
            record: row.record,
            time: row.fields.time_text.clone(),
            engine: ENGINE.iter().any(|e| e.eq_ignore_ascii_case(&component)),
            component,
            message: shorten(message),
            severity,
            codes,
            kind,
        })
    }

    fn to_record(&self, files: &[String]) -> EvidenceRecord {
        EvidenceRecord {
            file: files.get(self.file).cloned().unwrap_or_default(),
            file_index: self.file,
            record: self.record,
            time: self.time.clone(),
            component: self.component.clone(),
            message: self.message.clone(),
            why: None,
            source: None,
        }
    }

    fn at(&self) -> (usize, usize) {
        (self.file, self.record)
    }
}

/// What failed, as far as the records say.
#[derive(Debug)]
pub(super) struct Failure {
    outcome: TriageOutcome,
    /// The failed step in the outline.
    step: Option<usize>,
    /// The failed action's type, when no step is named.
    action: Option<String>,
    code: Option<u32>,
    /// Where the evidence is looked for: `[from, to]` as (file, record).
    scope: Option<((usize, usize), (usize, usize))>,
}

/// The last step that failed and stopped the run: no step started after it.
fn fatal_step(outline: &Outline) -> Option<usize> {
    let last_step = outline
        .steps
        .iter()
        .rposition(|s| s.kind == StepKind::Step)?;
    (outline.steps[last_step].result == StepResult::Failed).then_some(last_step)
}

/// The most telling code among `records`: failure HRESULTs before generic
/// ones (E_FAIL says little), then the most frequent, then the first.
fn telling_code<'a>(records: impl Iterator<Item = &'a Notable>) -> Option<u32> {
    let mut counts: Vec<(u32, usize, usize)> = Vec::new();
    for (order, n) in records.enumerate() {
        for &code in &n.codes {
            match counts.iter_mut().find(|(c, _, _)| *c == code) {
                Some(entry) => entry.1 += 1,
                None => counts.push((code, 1, order)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(code, count, order)| {
            let generic = matches!(code, 0x8000_4005 | 0x8000_4004);
            (
                code >= 0x8000_0000 && !generic,
                count,
                std::cmp::Reverse(order),
            )
        })
        .map(|(code, _, _)| code)
}

impl Failure {
    pub(super) fn find(outline: &Outline, notable: &[Notable], saw_engine: bool) -> Failure {
        let step_scope = |i: usize| {
            let s = &outline.steps[i];
            let from = if s.start_wall_ms.is_none() && s.first_record == s.last_record {
                // Only its end line was read: look at what came just before.
                (s.file, s.first_record.saturating_sub(200))
            } else {
                (s.file, s.first_record)
            };
            // The engine's failure lines follow the step's end.
            let to = notable
                .iter()
                .filter(|n| n.at() >= (s.last_file, s.last_record))
                .take_while(|n| {
                    matches!(
                        n.kind,
                        Kind::FailedAction | Kind::EngineFailed | Kind::Error
                    )
                })
                .map(Notable::at)
                .last()
                .unwrap_or((s.last_file, s.last_record))
                .max((s.last_file, s.last_record));
            Some((from, to))
        };
        let failed = |step: Option<usize>, code: Option<u32>| {
            let scope = step.and_then(step_scope);
            Failure {
                outcome: TriageOutcome::Failed,
                step,
                action: None,
                code,
                scope,
            }
        };
        match &outline.outcome {
            Outcome::Completed => {
                return Failure {
                    outcome: TriageOutcome::Succeeded,
                    step: None,
                    action: None,
                    code: None,
                    scope: None,
                };
            }
            Outcome::Failed { index, code, .. } => {
                let step = index
                    .filter(|&i| outline.steps[i].kind == StepKind::Step)
                    .or(*index);
                return failed(step, *code);
            }
            Outcome::Running => {}
        }
        if let Some(i) = fatal_step(outline) {
            return failed(Some(i), outline.steps[i].exit_code);
        }
        // No ending and no failed step: a failure the engine logged before
        // (or without) any step, or an action's process that failed in an
        // excerpt that lost the step's lines.
        let failing_exit = notable
            .iter()
            .rposition(|n| matches!(n.kind, Kind::ProcessExit(_)) && n.engine);
        let engine_failure = notable.iter().any(|n| {
            n.kind == Kind::EngineFailed
                || (n.engine && is_error(n.severity) && !n.codes.is_empty())
                || (n.engine && n.message.contains("HRESULT=8"))
        });
        let no_step_ran = !outline.steps.iter().any(|s| s.kind == StepKind::Step);
        if no_step_ran && let Some(exit) = failing_exit {
            let action = notable[..exit]
                .iter()
                .rev()
                .find_map(|n| {
                    ACTIONS
                        .iter()
                        .find(|(c, _)| c.eq_ignore_ascii_case(&n.component))
                })
                .map(|(_, name)| (*name).to_owned());
            if let Kind::ProcessExit(code) = notable[exit].kind {
                return Failure {
                    outcome: TriageOutcome::Failed,
                    step: None,
                    action,
                    code: Some(code),
                    scope: Some(((notable[exit].file, 0), notable[exit].at())),
                };
            }
        }
        if no_step_ran && engine_failure {
            return Failure {
                outcome: TriageOutcome::Failed,
                step: None,
                action: None,
                code: telling_code(notable.iter()),
                scope: notable
                    .first()
                    .zip(notable.last())
                    .map(|(a, b)| (a.at(), b.at())),
            };
        }
        let outcome = if !outline.steps.is_empty() || saw_engine {
            TriageOutcome::Running
        } else {
            TriageOutcome::Unknown
        };
        Failure {
            outcome,
            step: None,
            action: None,
            code: None,
            scope: None,
        }
    }

    pub(super) fn into_triage(
        self,
        outline: &Outline,
        notable: &[Notable],
        files: &[String],
    ) -> Triage {
        let in_scope: Vec<&Notable> = match self.scope {
            Some((from, to)) => notable
                .iter()
                .filter(|n| n.at() >= from && n.at() <= to)
                .collect(),
            None => Vec::new(),
        };
        let step = self.step.map(|i| &outline.steps[i]);
        let code = self
            .code
            .or_else(|| step.and_then(|s| s.exit_code))
            .or_else(|| {
                in_scope.iter().rev().find_map(|n| match n.kind {
                    Kind::ProcessExit(code) => Some(code),
                    _ => None,
                })
            })
            .or_else(|| telling_code(in_scope.iter().copied()))
            .filter(|&c| c != 0);
        let evidence = pick_evidence(&in_scope, code);
        let chosen: Vec<(usize, usize)> = evidence.iter().map(|n| n.at()).collect();
        let mut harmless = Vec::new();
        for n in notable {
            if harmless.len() >= MAX_HARMLESS || chosen.contains(&n.at()) {
                continue;
            }
            if let Some(h) = data::harmless()
                .iter()
                .find(|h| h.matches(&n.component, &n.message))
            {
                let mut record = n.to_record(files);
                record.why = Some(h.why.clone());
                record.source = Some(h.source.clone());
                harmless.push(record);
            }
        }
        let (failed_step, named) = match (step, &self.action) {
            (Some(s), _) => (Some(s.name.clone()), true),
            (None, Some(action)) => (Some(action.clone()), false),
            (None, None) => (None, false),
        };
        let phase = match step {
            Some(s) => s.phase,
            None if self.outcome == TriageOutcome::Failed => engine_phase(outline, &in_scope),
            None => Phase::Unknown,
        };
        let next_logs = if self.outcome == TriageOutcome::Failed {
            next_logs_for(
                step.map(|s| (s.name.as_str(), s.component.as_deref())),
                &self.action,
                &evidence,
            )
        } else {
            Vec::new()
        };
        let (code_name, meaning) = code.map(describe).unwrap_or_default();
        Triage {
            outcome: self.outcome,
            failed_step,
            failed_step_named: named,
            pointer: step.and_then(|s| s.pointer),
            exit_code: code.map(|c| c as i32),
            code_hex: code.map(|c| format!("0x{c:08X}")),
            code_name,
            meaning,
            phase: phase_name(phase),
            evidence: evidence.iter().map(|n| n.to_record(files)).collect(),
            harmless,
            next_logs,
            task_sequence: outline.name.clone(),
            platform: outline.platform.name(),
            facts: Vec::new(),
            restarted_into: None,
        }
    }
}

/// Up to [`MAX_EVIDENCE`] records, in log order: the failure lines, then
/// records carrying the code, the process exit, the first error; one of each
/// message (HRESULT chains repeat).
fn pick_evidence<'a>(scope: &[&'a Notable], code: Option<u32>) -> Vec<&'a Notable> {
    let rank = |n: &Notable| match n.kind {
        Kind::FailedAction | Kind::EngineFailed => 0,
        _ if code.is_some_and(|c| n.codes.contains(&c)) => 1,
        Kind::ProcessExit(_) => 2,
        Kind::Error if is_error(n.severity) => 3,
        Kind::Error => 4,
    };
    let mut ranked: Vec<(usize, usize, &Notable)> = scope
        .iter()
        .enumerate()
        .map(|(i, n)| (rank(n), i, *n))
        .collect();
    ranked.sort_by_key(|&(r, i, _)| (r, i));
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut chosen: Vec<(usize, &Notable)> = Vec::new();
    for (_, i, n) in ranked {
        if chosen.len() >= MAX_EVIDENCE {
            break;
        }
        if seen.insert(n.message.as_str(), ()).is_none() {
            chosen.push((i, n));
        }
    }
    chosen.sort_by_key(|&(i, _)| i);
    chosen.into_iter().map(|(_, n)| n).collect()
}

/// Where an engine failure happened: the boot it is in, or WinPE when the
/// WinPE-only engine parts logged it.
fn engine_phase(outline: &Outline, scope: &[&Notable]) -> Phase {
    if scope.iter().any(|n| {
        n.component.eq_ignore_ascii_case("TSBootShell") || n.component.eq_ignore_ascii_case("TSPxe")
    }) {
        return Phase::WinPE;
    }
    outline.phases.last().map_or(Phase::Unknown, |p| p.phase)
}

/// The logs the curated table suggests for the failed step (its name, its
/// component, its action type) or, for an engine failure, for the engine
/// parts in the evidence.
fn next_logs_for(
    step: Option<(&str, Option<&str>)>,
    action: &Option<String>,
    evidence: &[&Notable],
) -> Vec<NextLog> {
    let mut subjects: Vec<String> = Vec::new();
    if let Some((name, component)) = step {
        subjects.push(name.to_owned());
        if let Some(c) = component {
            subjects.push(c.to_owned());
            if let Some((_, action)) = ACTIONS.iter().find(|(a, _)| a.eq_ignore_ascii_case(c)) {
                subjects.push((*action).to_owned());
            }
        }
    }
    if let Some(action) = action {
        subjects.push(action.clone());
    }
    for n in evidence {
        if !n.component.is_empty() && !subjects.contains(&n.component) {
            subjects.push(n.component.clone());
        }
    }
    let mut out: Vec<NextLog> = Vec::new();
    for subject in &subjects {
        for row in data::next_logs().iter().filter(|r| r.matches(subject)) {
            for (path, why) in &row.logs {
                if out.len() < MAX_NEXT_LOGS && !out.iter().any(|l| &l.path == path) {
                    out.push(NextLog {
                        path: path.clone(),
                        why: why.clone(),
                    });
                }
            }
        }
    }
    out
}
