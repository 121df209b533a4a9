//! The triage as text for a ticket: Markdown (headings, a step table, the
//! evidence as a code block) and plain text with the same content — the
//! outcome, the step table (name, result, duration, exit code), the code's
//! meaning, the evidence records with times and components, harmless
//! errors, logs to read next, and what the log states about the machine.

use std::fmt::Write;

use super::{EvidenceRecord, Triage, TriageOutcome};
use crate::tasksequence::{Outline, StepKind, code_text};

/// Steps listed in the table (a failed run's last ones).
const TABLE_ROWS: usize = 40;

fn duration(ms: Option<i64>) -> String {
    match ms {
        None => String::new(),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) => format!("{} min {:02} s", ms / 60_000, ms / 1000 % 60),
    }
}

/// The rows of the step table: (indented name, result, duration, exit code).
fn step_rows(outline: &Outline) -> Vec<[String; 4]> {
    let skip = outline.steps.len().saturating_sub(TABLE_ROWS);
    outline.steps[skip..]
        .iter()
        .map(|s| {
            let name = format!(
                "{}{}{}",
                "  ".repeat(s.depth),
                s.name,
                if s.kind == StepKind::Group {
                    " (group)"
                } else {
                    ""
                }
            );
            [
                name,
                s.result.name().to_owned(),
                duration(s.duration_ms),
                s.exit_code.map(code_text).unwrap_or_default(),
            ]
        })
        .collect()
}

fn record_line(e: &EvidenceRecord) -> String {
    let first_line = e.message.lines().next().unwrap_or("");
    format!(
        "{} {} [{}] #{}: {}",
        e.time.as_deref().unwrap_or("-"),
        e.component,
        e.file.rsplit(['/', '\\']).next().unwrap_or(&e.file),
        e.record + 1,
        first_line
    )
}

fn code_line(t: &Triage) -> Option<String> {
    let hex = t.code_hex.as_ref()?;
    let mut line = format!("{hex} ({})", t.exit_code.unwrap_or_default());
    if let Some(name) = &t.code_name {
        let _ = write!(line, " {name}");
    }
    if let Some(meaning) = &t.meaning {
        let _ = write!(line, ": {meaning}");
    }
    Some(line)
}

/// Markdown for a ticket.
pub fn markdown(t: &Triage, outline: &Outline) -> String {
    let mut out = String::new();
    let title = t.task_sequence.as_deref().unwrap_or("Task sequence");
    let _ = writeln!(out, "## {title}: {}\n", t.headline());
    if let Some(code) = code_line(t) {
        let _ = writeln!(out, "**Code:** {code}\n");
    }
    if let Some(phase) = t.phase {
        let _ = writeln!(out, "**Phase:** {phase}\n");
    }
    let rows = step_rows(outline);
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "| Step | Result | Duration | Exit code |\n|---|---|---|---|"
        );
        for [name, result, took, code] in rows {
            // Markdown collapses leading spaces: indent with non-breaking ones.
            let name = name.replace("  ", "\u{a0}\u{a0}").replace('|', "\\|");
            let _ = writeln!(out, "| {name} | {result} | {took} | {code} |");
        }
        out.push('\n');
    }
    if !t.evidence.is_empty() {
        let _ = writeln!(out, "**Evidence**\n\n```text");
        for e in &t.evidence {
            let _ = writeln!(out, "{}", record_line(e));
        }
        let _ = writeln!(out, "```\n");
    }
    if !t.harmless.is_empty() {
        let _ = writeln!(out, "**Earlier errors that are usually harmless**\n");
        for e in &t.harmless {
            let why = e.why.as_deref().unwrap_or("");
            let _ = writeln!(out, "- `{}` — {why}", record_line(e));
        }
        out.push('\n');
    }
    if !t.next_logs.is_empty() {
        let _ = writeln!(out, "**Look next at**\n");
        for l in &t.next_logs {
            let _ = writeln!(out, "- `{}`: {}", l.path, l.why);
        }
        out.push('\n');
    }
    facts(&mut out, t, "**Machine and deployment**\n", "- ");
    out
}

fn facts(out: &mut String, t: &Triage, heading: &str, bullet: &str) {
    if t.facts.is_empty() && t.platform == "unknown" {
        return;
    }
    let _ = writeln!(out, "{heading}");
    if t.platform != "unknown" {
        let _ = writeln!(out, "{bullet}Platform: {}", t.platform);
    }
    for f in &t.facts {
        let _ = writeln!(out, "{bullet}{}: {}", f.name, f.value);
    }
}

/// The same content as plain text.
pub fn plain_text(t: &Triage, outline: &Outline) -> String {
    let mut out = String::new();
    let title = t.task_sequence.as_deref().unwrap_or("Task sequence");
    let _ = writeln!(out, "{title}: {}", t.headline());
    if let Some(code) = code_line(t) {
        let _ = writeln!(out, "Code: {code}");
    }
    if let Some(phase) = t.phase {
        let _ = writeln!(out, "Phase: {phase}");
    }
    let rows = step_rows(outline);
    if !rows.is_empty() {
        let width = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
        let _ = writeln!(out, "\nSteps:");
        for [name, result, took, code] in rows {
            let pad = width - name.chars().count();
            let _ = writeln!(out, "  {name}{}  {result}  {took}  {code}", " ".repeat(pad));
        }
    }
    if !t.evidence.is_empty() {
        let _ = writeln!(out, "\nEvidence:");
        for e in &t.evidence {
            let _ = writeln!(out, "  {}", record_line(e));
        }
    }
    if !t.harmless.is_empty() {
        let _ = writeln!(out, "\nEarlier errors that are usually harmless:");
        for e in &t.harmless {
            let _ = writeln!(
                out,
                "  {} ({})",
                record_line(e),
                e.why.as_deref().unwrap_or("")
            );
        }
    }
    if !t.next_logs.is_empty() {
        let _ = writeln!(out, "\nLook next at:");
        for l in &t.next_logs {
            let _ = writeln!(out, "  {}: {}", l.path, l.why);
        }
    }
    if t.outcome != TriageOutcome::Unknown {
        out.push('\n');
        facts(&mut out, t, "Machine and deployment:", "  ");
    }
    out
}
