//! The outline as JSON: one object per instruction and a last one for the
//! outcome, with key names that are a contract (`logweave outline --json`
//! prints them as JSON Lines, `serve` sends them in one object). Never
//! reads a log: it writes down what [`super::outline_documents`] built.

use serde::Serialize;

use super::{Outcome, Outline, Step};
use crate::time::format_rfc3339_ms;

/// The JSON object of one instruction.
#[derive(Debug, Serialize)]
pub struct StepLine<'a> {
    name: &'a str,
    pointer: Option<u32>,
    depth: usize,
    kind: &'static str,
    start_utc: Option<String>,
    end_utc: Option<String>,
    duration_ms: Option<i64>,
    result: &'static str,
    exit_code: Option<u32>,
    reboot_before: bool,
    first_record: usize,
    file: &'a str,
}

/// The last JSON object: how the task sequence ended.
#[derive(Debug, Serialize)]
pub struct OutcomeLine<'a> {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_step: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<u32>,
    /// `configmgr`, `mdt-integrated`, `mdt-standalone` or `unknown`.
    platform: &'static str,
    /// With `running`: the log ends on a reboot the engine asked for, into
    /// `full-os`, `winpe` or `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    restarted_into: Option<&'static str>,
}

/// The objects of `outline`'s instructions; `names` are the files of the
/// chain in order (a step's `file` is its file's name).
pub fn step_lines<'a>(outline: &'a Outline, names: &[&'a str]) -> Vec<StepLine<'a>> {
    outline
        .steps
        .iter()
        .map(|step| step_line(step, names))
        .collect()
}

/// The object of one instruction; `names` as for [`step_lines`].
pub fn step_line<'a>(step: &'a Step, names: &[&'a str]) -> StepLine<'a> {
    StepLine {
        name: &step.name,
        pointer: step.pointer,
        depth: step.depth,
        kind: step.kind.name(),
        start_utc: step.start_utc_ms.map(format_rfc3339_ms),
        end_utc: step.end_utc_ms.map(format_rfc3339_ms),
        duration_ms: step.duration_ms,
        result: step.result.name(),
        exit_code: step.exit_code,
        reboot_before: step.reboot_before,
        first_record: step.first_record,
        file: names.get(step.file).copied().unwrap_or(""),
    }
}

/// The object of `outline`'s outcome.
pub fn outcome_line(outline: &Outline) -> OutcomeLine<'_> {
    match &outline.outcome {
        Outcome::Failed { step, code, .. } => OutcomeLine {
            outcome: outline.outcome.name(),
            failed_step: step.as_deref(),
            exit_code: *code,
            platform: outline.platform.name(),
            restarted_into: None,
        },
        other => OutcomeLine {
            outcome: other.name(),
            failed_step: None,
            exit_code: None,
            platform: outline.platform.name(),
            restarted_into: outline.restarted_into.map(|p| p.name()),
        },
    }
}
