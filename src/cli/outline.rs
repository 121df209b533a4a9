//! `logweave outline`: the step outline of a task sequence from its smsts.log
//! copies, as an indented tree for people or as JSON Lines.
//! Never reads smsts.log phrases itself: it prints what `tasksequence`
//! builds.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use logweave::document::OpenOptions;
use logweave::tasksequence::{self, Outline, Step};

/// Prints the outline of `files`, read as one chain of smsts.log copies put
/// in time order (see [`tasksequence::chain::order`]) whatever the order given.
pub fn run(files: &[PathBuf], json: bool, options: &OpenOptions) -> io::Result<ExitCode> {
    let limits = super::bundle_limits();
    let (entries, failed) = super::expand_inputs(files, &limits, true);
    let chain = super::Chain::open(&entries, options, &limits);
    let names: Vec<&str> = chain.names.iter().map(String::as_str).collect();
    let outline = tasksequence::outline_documents(&chain.refs());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if json {
        write_json(&mut out, &outline, &names)?;
    } else {
        write_text(&mut out, &outline, &names)?;
    }
    out.flush()?;
    Ok(super::exit_code(failed + chain.failed))
}

fn write_json(out: &mut impl Write, outline: &Outline, names: &[&str]) -> io::Result<()> {
    for line in tasksequence::json::step_lines(outline, names) {
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    serde_json::to_writer(&mut *out, &tasksequence::json::outcome_line(outline))?;
    writeln!(out)
}

fn write_text(out: &mut impl Write, outline: &Outline, names: &[&str]) -> io::Result<()> {
    match &outline.name {
        Some(name) => write!(out, "Task sequence: {name}")?,
        None => write!(out, "Task sequence")?,
    }
    if outline.platform != tasksequence::Platform::Unknown {
        write!(out, " ({})", outline.platform.label())?;
    }
    writeln!(out)?;
    if names.len() > 1 {
        for (i, name) in names.iter().enumerate() {
            writeln!(out, "  file {}: {name}", i + 1)?;
        }
        if outline.overlapping_records > 0 {
            writeln!(
                out,
                "  {} records repeated in later copies left out",
                outline.overlapping_records
            )?;
        }
    }
    let mut boot = None;
    for step in &outline.steps {
        if boot != Some(step.boot) {
            boot = Some(step.boot);
            writeln!(out, "-- boot {}: {}", step.boot + 1, step.phase.label())?;
        }
        writeln!(out, "{}", step_text(step))?;
    }
    writeln!(out, "Outcome: {}", outline.outcome_text())
}

/// One line of the tree: indent, name, result, duration, code, reboots.
fn step_text(step: &Step) -> String {
    let mut line = "  ".repeat(step.depth);
    if step.reboot_before {
        line.push_str("[reboot] ");
    }
    line.push_str(&step.name);
    if step.kind == tasksequence::StepKind::Group {
        line.push_str(" (group)");
    }
    line.push_str(&format!("  {}", step.result.name()));
    if let Some(ms) = step.duration_ms.filter(|_| !step.result.is_skipped()) {
        line.push_str(&format!("  {}", duration_text(ms)));
    }
    if let Some(code) = step.exit_text() {
        line.push_str(&format!("  exit {code}"));
        if let Some(name) = &step.exit_name {
            line.push_str(&format!(" {name}"));
        }
    }
    if step.reboots > 0 {
        line.push_str(&format!(
            "  ({} reboot{} inside)",
            step.reboots,
            if step.reboots == 1 { "" } else { "s" }
        ));
    }
    if let Some(component) = &step.component {
        line.push_str(&format!("  [{component}]"));
    }
    line
}

/// `1h 02m 03s`, `4m 05s`, `6.789s`.
pub(super) fn duration_text(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h {:02}m {:02}s", s / 3600, s / 60 % 60, s % 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{}.{:03}s", s, ms % 1000)
    }
}
