//! Words for task-sequence steps shared by the Task sequence panel and the
//! comparison's step summary: durations at a glance, results in words and
//! the severity colours a result is painted in. No drawing, no state.

use crate::model::Severity;
use crate::tasksequence::StepResult;

/// Duration as people read it at a glance: `850 ms`, `4.2 s`, `3 min 12 s`, `1 h 02 min`.
pub fn short_duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{} min {:02} s", ms / 60_000, ms / 1000 % 60)
    } else {
        format!("{} h {:02} min", ms / 3_600_000, ms / 60_000 % 60)
    }
}

/// A result in words.
pub fn result_text(result: StepResult) -> &'static str {
    match result {
        StepResult::Success => "succeeded",
        StepResult::Failed => "failed",
        StepResult::FailedContinued => "failed, continued on error",
        StepResult::SkippedDisabled => "skipped (disabled)",
        StepResult::SkippedCondition => "skipped (condition false)",
        StepResult::Running => "running / not finished",
    }
}

/// The severity colours a result is painted in (CMTrace's red and yellow).
pub fn result_severity(result: StepResult) -> Severity {
    match result {
        StepResult::Failed => Severity::Error,
        StepResult::FailedContinued => Severity::Warning,
        _ => Severity::Info,
    }
}
