//! `logweave compare`: two logs (typically smsts.log of two runs) lined up by
//! task-sequence step, by time since each file's start or by normalised
//! message; prints the per-step summary and, by time or message, the rows
//! that differ, for people or as JSON Lines.
//! Never aligns anything itself: it prints what `compare` computes.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use logweave::compare::{
    self, AlignMode, AlignedRow, Comparison, Mark, RecordDigest, StepPair, StepSide,
};
use logweave::document::{LogDocument, OpenOptions};
use logweave::tasksequence::{self, StepKind, code_text};

/// Bytes of a record read for the diff listing.
const READ_LIMIT: usize = 4096;

/// Characters of a message shown in the diff listing.
const MESSAGE_CHARS: usize = 120;

/// The name column of the summary is at most this wide.
const NAME_WIDTH: usize = 48;

/// One side of a step in JSON (key names are a contract).
#[derive(Serialize)]
struct SideLine {
    result: &'static str,
    duration_ms: Option<i64>,
    exit_code: Option<u32>,
    first_record: usize,
}

/// The JSON object of one aligned step.
#[derive(Serialize)]
struct StepLine<'a> {
    name: &'a str,
    depth: usize,
    kind: &'static str,
    a: Option<SideLine>,
    b: Option<SideLine>,
    differences: Vec<&'static str>,
}

/// The JSON object of one differing row (time and message modes).
#[derive(Serialize)]
struct RowLine {
    row: usize,
    mark: &'static str,
    a: Option<usize>,
    b: Option<usize>,
}

fn side_line(side: &Option<StepSide>) -> Option<SideLine> {
    side.as_ref().map(|s| SideLine {
        result: s.result.name(),
        duration_ms: s.duration_ms,
        exit_code: s.exit_code,
        first_record: s.first_record,
    })
}

/// Compares `a` with `b` lined up by `mode` and prints the result.
pub fn run(
    a: &Path,
    b: &Path,
    mode: AlignMode,
    json: bool,
    options: &OpenOptions,
) -> io::Result<ExitCode> {
    let limits = super::bundle_limits();
    let mut docs = Vec::new();
    let mut names = Vec::new();
    for path in [a, b] {
        let Some(entry) = super::expand_one(path, &limits) else {
            continue;
        };
        match super::open_entry(&entry, options, &limits) {
            Ok(doc) => {
                docs.push(doc);
                names.push(entry.path);
            }
            Err(e) => super::report(&entry.path, &e),
        }
    }
    let [doc_a, doc_b] = docs.as_slice() else {
        return Ok(super::exit_code(1));
    };
    let digests = |doc: &LogDocument| -> io::Result<Vec<RecordDigest>> {
        compare::digest_document(doc, None).map_err(io::Error::other)
    };
    let (da, db) = (digests(doc_a)?, digests(doc_b)?);
    let (oa, ob) = (
        tasksequence::outline_document(doc_a),
        tasksequence::outline_document(doc_b),
    );
    let comparison = match mode {
        AlignMode::Step => compare::align_by_step(&oa, &ob, &da, &db, None),
        AlignMode::Time => compare::align_by_time(&da, &db, None),
        AlignMode::Message => compare::align_by_message(&da, &db, None),
    }
    .map_err(io::Error::other)?;
    let steps = match mode {
        AlignMode::Step => comparison.steps().to_vec(),
        AlignMode::Time | AlignMode::Message => compare::summarise_steps(&oa, &ob),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if json {
        write_json(&mut out, &steps, &comparison, mode)?;
    } else {
        let names = [names[0].clone(), names[1].clone()];
        write_text(&mut out, &names, [doc_a, doc_b], &steps, &comparison, mode)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_json(
    out: &mut impl Write,
    steps: &[StepPair],
    comparison: &Comparison,
    mode: AlignMode,
) -> io::Result<()> {
    for step in steps {
        let line = StepLine {
            name: &step.name,
            depth: step.depth,
            kind: step.kind.name(),
            a: side_line(&step.a),
            b: side_line(&step.b),
            differences: step.differences.iter().map(|d| d.name()).collect(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    if mode != AlignMode::Step {
        for (row, r) in differing_rows(comparison) {
            let line = RowLine {
                row,
                mark: r.mark.name(),
                a: r.a,
                b: r.b,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn differing_rows(comparison: &Comparison) -> impl Iterator<Item = (usize, &AlignedRow)> {
    comparison
        .rows()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.mark != Mark::Same)
}

fn write_text(
    out: &mut impl Write,
    names: &[PathBuf; 2],
    docs: [&LogDocument; 2],
    steps: &[StepPair],
    comparison: &Comparison,
    mode: AlignMode,
) -> io::Result<()> {
    for (label, (name, doc)) in ["A", "B"].iter().zip(names.iter().zip(docs)) {
        writeln!(
            out,
            "{label}: {} ({} records)",
            name.display(),
            doc.record_count()
        )?;
    }
    if steps.is_empty() {
        writeln!(out, "No task-sequence steps in either file.")?;
    } else {
        write_summary(out, steps)?;
    }
    if mode != AlignMode::Step {
        write_diff(out, docs, comparison, mode)?;
    }
    Ok(())
}

/// The step summary: per step, result, duration and exit code in A and in
/// B, and what differs.
fn write_summary(out: &mut impl Write, steps: &[StepPair]) -> io::Result<()> {
    let names: Vec<String> = steps.iter().map(step_name).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, NAME_WIDTH);
    let sides: Vec<[String; 2]> = steps
        .iter()
        .map(|s| [side_text(&s.a), side_text(&s.b)])
        .collect();
    let side_width = sides
        .iter()
        .flatten()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .max(1);
    writeln!(
        out,
        "{}  {}  {}  differences",
        pad("step", width),
        pad("A", side_width),
        pad("B", side_width)
    )?;
    for ((step, name), [a, b]) in steps.iter().zip(&names).zip(&sides) {
        let differences = step
            .differences
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ");
        let line = format!(
            "{}  {}  {}  {differences}",
            pad(name, width),
            pad(a, side_width),
            pad(b, side_width),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    let differing = steps.iter().filter(|s| !s.differences.is_empty()).count();
    writeln!(out, "{} steps, {differing} with differences", steps.len())
}

/// Indented name, `(group)` after groups, cut to [`NAME_WIDTH`].
fn step_name(step: &StepPair) -> String {
    let mut name = "  ".repeat(step.depth.min(8));
    name.push_str(&step.name);
    if step.kind == StepKind::Group {
        name.push_str(" (group)");
    }
    name
}

/// `text` cut or padded to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// `success 1m 02s exit 0`, or `-` for a step this side did not run.
fn side_text(side: &Option<StepSide>) -> String {
    let Some(side) = side else {
        return "-".to_owned();
    };
    let mut text = side.result.name().to_owned();
    if let Some(ms) = side.duration_ms.filter(|_| !side.result.is_skipped()) {
        text.push(' ');
        text.push_str(&super::outline::duration_text(ms));
    }
    if let Some(code) = side.exit_code {
        text.push_str(" exit ");
        text.push_str(&code_text(code));
    }
    text
}

/// The rows that differ (time and message modes), each with its record
/// numbers (0-based) and the first line of each side's message.
fn write_diff(
    out: &mut impl Write,
    docs: [&LogDocument; 2],
    comparison: &Comparison,
    mode: AlignMode,
) -> io::Result<()> {
    let count = differing_rows(comparison).count();
    writeln!(
        out,
        "By {}: {} rows, {count} differ (~ changed, ! error, < only in A, > only in B)",
        mode.name(),
        comparison.len()
    )?;
    for (row, r) in differing_rows(comparison) {
        let symbol = match r.mark {
            Mark::Changed => '~',
            Mark::Failed => '!',
            Mark::OnlyA => '<',
            Mark::OnlyB => '>',
            Mark::Same => ' ',
        };
        let mut lead = format!("{symbol} row {row}");
        for (label, record, doc) in [("A", r.a, docs[0]), ("B", r.b, docs[1])] {
            let Some(record) = record else { continue };
            writeln!(
                out,
                "{lead:<14} {label} {record:>7}  {}",
                first_line(doc, record)
            )?;
            lead.clear();
        }
    }
    Ok(())
}

/// The first line of a record's message, cut to [`MESSAGE_CHARS`].
fn first_line(doc: &LogDocument, record: usize) -> String {
    let rows = doc.rows(record..record + 1, Some(READ_LIMIT));
    let message = rows.first().map_or("", |r| r.fields.message.as_str());
    let line = message.lines().next().unwrap_or("");
    if line.chars().count() > MESSAGE_CHARS {
        let mut cut: String = line.chars().take(MESSAGE_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        line.to_owned()
    }
}
