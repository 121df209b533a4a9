//! `logweave tail`: follows one or several logs in a console, like CMTrace's
//! live view — the last records, then every new record as it is written,
//! several files merged in time order — for people (time, component,
//! message; errors red, warnings yellow) or as JSON Lines. The following
//! itself is the core's [`FileTail`].
//! Never writes to or locks the files it follows.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Args, ValueEnum};
use regex::Regex;

use logweave::document::{LogDocument, OpenOptions, Row};
use logweave::follow::{DEFAULT_INTERVAL_MS, FileTail, TailNotice, Wakeup};
use logweave::merge::{self, MAX_FILES, MergePlan, TimeRule};
use logweave::model::Severity;

use super::merge::{MergedLine, short};
use super::rows::RowLine;

/// Options of `logweave tail`.
#[derive(Args, Debug)]
pub struct TailArgs {
    /// Files to follow (several are merged in time order), or the address
    /// `logweave serve` printed (https://HOST:PORT/#TOKEN&pin=…): its
    /// smsts.log copies, else every .log it serves.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Records to show before following: a number or `all`.
    #[arg(short = 'n', long = "lines", default_value = "20", value_parser = parse_line_count)]
    lines: LineCount,
    /// Print the last records and exit instead of following.
    #[arg(long)]
    no_follow: bool,
    /// Wait for files that do not exist yet (smsts.log appears when the task sequence starts).
    #[arg(long)]
    wait: bool,
    /// Poll interval in milliseconds (file-system notifications wake it sooner).
    #[arg(long, value_name = "MS", default_value_t = DEFAULT_INTERVAL_MS)]
    interval: u64,
    /// Colour errors red and warnings yellow: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print JSON Lines (the keys of `rows --json` plus `source`).
    #[arg(long)]
    json: bool,
    /// Show errors (with --warnings: errors and warnings).
    #[arg(long)]
    errors: bool,
    /// Show warnings (with --errors: errors and warnings).
    #[arg(long)]
    warnings: bool,
    /// Show only records whose message matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    grep: Option<String>,
}

/// How many records `-n` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineCount {
    /// The last this many.
    Last(usize),
    /// Every record.
    All,
}

fn parse_line_count(text: &str) -> Result<LineCount, String> {
    if text.eq_ignore_ascii_case("all") {
        return Ok(LineCount::All);
    }
    text.parse()
        .map(LineCount::Last)
        .map_err(|_| format!("expected a number or `all`, not `{text}`"))
}

/// When to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always (also into pipes and files).
    Always,
    /// Never.
    Never,
}

/// Which records are shown.
struct RecordFilter {
    severities: Option<Vec<Severity>>,
    grep: Option<Regex>,
}

impl RecordFilter {
    fn shows(&self, row: &Row) -> bool {
        self.severities
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&row.severity()))
            && self
                .grep
                .as_ref()
                .is_none_or(|re| re.is_match(&row.fields.message))
    }
}

/// How records are written.
struct Style {
    json: bool,
    colour: bool,
    /// Width of the source tag; `None` for a single file (no tag).
    tag_width: Option<usize>,
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// `HH:MM:SS.mmm` of a record's wall clock, or its time as written, or blanks.
fn clock(row: &Row) -> String {
    match row.fields.meta.wall_ms {
        Some(ms) => {
            let of_day = ms.rem_euclid(86_400_000);
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                of_day / 3_600_000,
                of_day / 60_000 % 60,
                of_day / 1000 % 60,
                of_day % 1000
            )
        }
        None => format!("{:<12}", row.fields.time_text.as_deref().unwrap_or("")),
    }
}

/// Writes one record for people: `[tag] time  component  message`, the
/// message's further lines indented under its first, the whole record red
/// (error) or yellow (warning) when colouring; without colour an `E` or `W`
/// column says it.
fn write_text(out: &mut impl Write, row: &Row, tag: &str, style: &Style) -> io::Result<()> {
    let mut prefix = String::new();
    if let Some(width) = style.tag_width {
        prefix.push_str(&format!("{tag:<width$} "));
    }
    if !style.colour {
        prefix.push_str(match row.severity() {
            Severity::Error => "E ",
            Severity::Warning => "W ",
            Severity::Info => "  ",
        });
    }
    prefix.push_str(&clock(row));
    prefix.push_str("  ");
    prefix.push_str(&format!("{:<16} ", row.fields.component));
    let (start, end) = match (style.colour, row.severity()) {
        (true, Severity::Error) => (RED, RESET),
        (true, Severity::Warning) => (YELLOW, RESET),
        _ => ("", ""),
    };
    let indent = prefix.chars().count();
    let mut lines = row.fields.message.lines();
    writeln!(
        out,
        "{start}{prefix}{}{end}",
        lines.next().unwrap_or("").trim_end()
    )?;
    for line in lines {
        writeln!(out, "{start}{:indent$}{}{end}", "", line.trim_end())?;
    }
    Ok(())
}

fn write_record(out: &mut impl Write, row: &Row, source: &str, style: &Style) -> io::Result<()> {
    if style.json {
        serde_json::to_writer(
            &mut *out,
            &MergedLine {
                row: RowLine::of(row),
                source,
            },
        )?;
        writeln!(out)
    } else {
        write_text(out, row, source, style)
    }
}

/// Whether to colour, from the choice, the terminal and NO_COLOR.
fn wants_colour(choice: ColorChoice, json: bool) -> bool {
    let wanted = match choice {
        _ if json => false,
        ColorChoice::Never => false,
        ColorChoice::Always => true,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    };
    wanted && logweave::sys::enable_console_colours()
}

/// The one-line notice for what happened to a followed file.
fn describe(path: &Path, notice: &TailNotice) -> String {
    let name = path.display();
    match notice {
        TailNotice::Appeared => format!("{name} exists now; following it"),
        TailNotice::RolledOver { to, new_file: true } => format!(
            "{name} rolled over to {}; following the new file",
            short(&to.to_string_lossy())
        ),
        TailNotice::RolledOver {
            to,
            new_file: false,
        } => format!(
            "{name} rolled over to {}; waiting for the new file",
            short(&to.to_string_lossy())
        ),
        TailNotice::Deleted => format!("{name} was deleted; waiting for it to be created again"),
        TailNotice::Replaced => format!("{name} was created again; following the new file"),
        TailNotice::Truncated => format!("{name} was truncated; reading it from the start"),
        TailNotice::Rewritten => format!("{name} was rewritten; reading it from the start"),
        TailNotice::Problem(problem) if logweave::remote::is_remote(&path.to_string_lossy()) => {
            format!("{name}: connection lost, retrying ({problem})")
        }
        TailNotice::Problem(problem) => format!("{name}: {problem}"),
    }
}

/// Runs `logweave tail`.
pub fn run(args: &TailArgs, options: &OpenOptions) -> io::Result<ExitCode> {
    let files = match super::expand_remote(&args.files, MAX_FILES) {
        Ok(files) => files,
        Err(message) => {
            let _ = writeln!(io::stderr(), "logweave: {message}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let args = &TailArgs {
        files,
        grep: args.grep.clone(),
        ..*args
    };
    if args.files.len() > MAX_FILES {
        let _ = writeln!(
            io::stderr(),
            "logweave: at most {MAX_FILES} files can be followed"
        );
        return Ok(ExitCode::from(2));
    }
    let grep = match args.grep.as_deref().map(Regex::new).transpose() {
        Ok(grep) => grep,
        Err(e) => {
            let _ = writeln!(io::stderr(), "logweave: --grep: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let severities = (args.errors || args.warnings).then(|| {
        [
            (args.errors, Severity::Error),
            (args.warnings, Severity::Warning),
        ]
        .into_iter()
        .filter_map(|(on, severity)| on.then_some(severity))
        .collect()
    });
    let filter = RecordFilter { severities, grep };
    let mut tails = Vec::new();
    for path in &args.files {
        match FileTail::open(path, options.clone(), args.wait && !args.no_follow) {
            Ok(tail) => tails.push(tail),
            Err(e) => {
                super::report(path, &e);
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let paths: Vec<String> = args
        .files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    // JSON names each record's file in full; text tags it with a number,
    // the legend printed once (two smsts.log copies have the same name).
    let several = paths.len() > 1 && !args.json;
    let names: Vec<String> = if several {
        (1..=paths.len()).map(|i| format!("[{i}]")).collect()
    } else {
        paths.clone()
    };
    let style = Style {
        json: args.json,
        colour: wants_colour(args.color, args.json),
        tag_width: several.then(|| names.iter().map(String::len).max().unwrap_or(0)),
    };
    let stop = logweave::sys::catch_interrupt();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if several {
        for (tag, path) in names.iter().zip(&paths) {
            writeln!(out, "{tag} {path}")?;
        }
    }
    let mut timeline = Timeline::new(&tails);
    // At the start every record there is counts (also one without its line break yet).
    let ready: Vec<usize> = tails
        .iter()
        .map(|t| {
            if args.no_follow {
                t.document().map_or(0, LogDocument::record_count)
            } else {
                t.ready_count()
            }
        })
        .collect();
    write_backlog(
        &mut out, &tails, &ready, args.lines, &filter, &names, &style,
    )?;
    out.flush()?;
    if args.no_follow {
        return Ok(ExitCode::SUCCESS);
    }
    for (tail, &ready) in tails.iter_mut().zip(&ready) {
        tail.skip_to(ready);
    }
    let paths: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let wakeup = Wakeup::watching(&paths);
    let interval = Duration::from_millis(args.interval.max(1));
    follow(
        &mut out,
        &mut tails,
        &mut timeline,
        &Following {
            wakeup: &wakeup,
            interval,
            stop,
            filter: &filter,
            names: &names,
            style: &style,
        },
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the last `lines` records (of those shown) of what the files hold now.
fn write_backlog(
    out: &mut impl Write,
    tails: &[FileTail],
    ready: &[usize],
    lines: LineCount,
    filter: &RecordFilter,
    names: &[String],
    style: &Style,
) -> io::Result<()> {
    let docs: Vec<&LogDocument> = tails.iter().filter_map(FileTail::document).collect();
    let file_of_doc: Vec<usize> = (0..tails.len())
        .filter(|&i| tails[i].document().is_some())
        .collect();
    let plan = merge::plan(&docs, &vec![None; docs.len()]);
    let Some(merged) = merge::merge(&docs, &plan, &AtomicBool::new(false)) else {
        return Ok(());
    };
    let order: Vec<(usize, usize)> = merged
        .order
        .iter()
        .map(|&packed| merge::unpack(packed))
        .map(|(doc, record)| (file_of_doc[doc], record))
        .filter(|&(file, record)| record < ready[file])
        .collect();
    let read = |part: &[(usize, usize)]| -> Vec<(usize, Row)> {
        read_runs(tails, part)
            .into_iter()
            .filter(|(_, row)| filter.shows(row))
            .collect()
    };
    const BATCH: usize = 4096;
    match lines {
        LineCount::All => {
            for part in order.chunks(BATCH) {
                for (file, row) in read(part) {
                    write_record(out, &row, &names[file], style)?;
                }
            }
        }
        LineCount::Last(wanted) => {
            // Read backwards until enough records pass the filter.
            let mut chunks: Vec<Vec<(usize, Row)>> = Vec::new();
            let mut found = 0;
            let mut end = order.len();
            while end > 0 && found < wanted {
                let start = end.saturating_sub(BATCH);
                let rows = read(&order[start..end]);
                found += rows.len();
                chunks.push(rows);
                end = start;
            }
            let all: Vec<(usize, Row)> = chunks.into_iter().rev().flatten().collect();
            for (file, row) in &all[all.len().saturating_sub(wanted)..] {
                write_record(out, row, &names[*file], style)?;
            }
        }
    }
    Ok(())
}

/// Reads the rows of `(file, record)` pairs, a run of one file at a time.
fn read_runs(tails: &[FileTail], part: &[(usize, usize)]) -> Vec<(usize, Row)> {
    let mut rows = Vec::with_capacity(part.len());
    let mut i = 0;
    while i < part.len() {
        let (file, first) = part[i];
        let mut j = i + 1;
        while j < part.len() && part[j] == (file, first + (j - i)) {
            j += 1;
        }
        if let Some(doc) = tails[file].document() {
            rows.extend(
                doc.rows(first..first + (j - i), None)
                    .into_iter()
                    .map(|row| (file, row)),
            );
        }
        i = j;
    }
    rows
}

/// How the follow loop runs.
struct Following<'a> {
    wakeup: &'a Wakeup,
    interval: Duration,
    stop: &'a AtomicBool,
    filter: &'a RecordFilter,
    names: &'a [String],
    style: &'a Style,
}

/// Polls the files until interrupted, printing notices on stderr and new
/// records on stdout.
fn follow(
    out: &mut impl Write,
    tails: &mut [FileTail],
    timeline: &mut Timeline,
    how: &Following<'_>,
) -> io::Result<()> {
    while !how.stop.load(Ordering::SeqCst) {
        how.wakeup.wait(how.interval, how.stop);
        if how.stop.load(Ordering::SeqCst) {
            break;
        }
        let mut fresh = Vec::with_capacity(tails.len());
        let mut replan = false;
        for tail in tails.iter_mut() {
            let update = tail.poll();
            if !update.notices.is_empty() {
                // Records read before the change go out before its notice.
                out.flush()?;
                replan = true;
                let mut err = io::stderr().lock();
                for notice in &update.notices {
                    let _ = writeln!(err, "logweave: {}", describe(tail.path(), notice));
                }
            }
            fresh.push(update.rows);
        }
        if replan {
            *timeline = Timeline::new(tails);
        }
        for (file, row) in timeline.order(fresh) {
            if how.filter.shows(&row) {
                write_record(out, &row, &how.names[file], how.style)?;
            }
        }
        out.flush()?;
    }
    Ok(())
}

/// Orders records arriving from several files: by the merge's time rule of
/// each file, ties to the earlier file, each file's own order kept.
struct Timeline {
    plan: Option<MergePlan>,
    /// Per file: the key of its last record (an untimed record takes it).
    last_keys: Vec<Option<i64>>,
}

impl Timeline {
    fn new(tails: &[FileTail]) -> Timeline {
        let docs: Vec<&LogDocument> = tails.iter().filter_map(FileTail::document).collect();
        // One file needs no order; the rules need every file open.
        let plan = (tails.len() > 1 && docs.len() == tails.len())
            .then(|| merge::plan(&docs, &vec![None; docs.len()]));
        Timeline {
            plan,
            last_keys: vec![None; tails.len()],
        }
    }

    fn rule(&self, file: usize) -> TimeRule {
        self.plan
            .as_ref()
            .and_then(|plan| plan.files.get(file))
            .map_or(TimeRule::WallClock, |f| f.rule.clone())
    }

    /// The new records of all files in timeline order.
    fn order(&mut self, fresh: Vec<Vec<Row>>) -> Vec<(usize, Row)> {
        let mut runs: Vec<Vec<(i64, Row)>> = Vec::with_capacity(fresh.len());
        for (file, rows) in fresh.into_iter().enumerate() {
            let rule = self.rule(file);
            let mut run = Vec::with_capacity(rows.len());
            for row in rows {
                let key = merge::key_of(&rule, &row.fields.meta)
                    .or(self.last_keys[file])
                    .unwrap_or(i64::MIN);
                self.last_keys[file] = Some(key);
                run.push((key, row));
            }
            runs.push(run);
        }
        merge_runs(runs)
    }
}

/// Merges runs of (key, row), each in its own order, by key; ties go to the
/// earlier run, and each run's order is kept.
fn merge_runs(runs: Vec<Vec<(i64, Row)>>) -> Vec<(usize, Row)> {
    let total = runs.iter().map(Vec::len).sum();
    let mut merged = Vec::with_capacity(total);
    let mut runs: Vec<std::iter::Peekable<std::vec::IntoIter<(i64, Row)>>> = runs
        .into_iter()
        .map(|run| run.into_iter().peekable())
        .collect();
    loop {
        let mut best: Option<(i64, usize)> = None;
        for (file, run) in runs.iter_mut().enumerate() {
            if let Some(&(key, _)) = run.peek()
                && best.is_none_or(|(k, _)| key < k)
            {
                best = Some((key, file));
            }
        }
        let Some((_, file)) = best else { break };
        if let Some((_, row)) = runs[file].next() {
            merged.push((file, row));
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use logweave::formats::{RecordFields, RecordMeta};

    fn row(severity: Severity, wall_ms: Option<i64>, component: &str, message: &str) -> Row {
        Row {
            record: 0,
            offset: 0,
            fields: RecordFields {
                message: message.to_owned(),
                time_text: None,
                component: component.to_owned(),
                thread: "1".to_owned(),
                context: String::new(),
                source_file: String::new(),
                meta: RecordMeta {
                    severity,
                    wall_ms,
                    zone: logweave::model::ZoneKind::Bias,
                    utc_adjust_minutes: 0,
                },
            },
            shortened: false,
        }
    }

    fn text(row: &Row, source: &str, style: &Style) -> String {
        let mut out = Vec::new();
        write_record(&mut out, row, source, style).unwrap();
        String::from_utf8(out).unwrap()
    }

    const PLAIN: Style = Style {
        json: false,
        colour: false,
        tag_width: None,
    };

    #[test]
    fn a_record_shows_time_component_and_message() {
        let ms = 3_600_000 * 10 + 60_000 * 21 + 4_163;
        let line = text(
            &row(Severity::Info, Some(ms), "TSManager", "Start"),
            "smsts.log",
            &PLAIN,
        );
        assert_eq!(line, "  10:21:04.163  TSManager        Start\n");
    }

    #[test]
    fn further_lines_are_indented_under_the_message() {
        let line = text(
            &row(Severity::Info, Some(0), "X", "first\r\nsecond\nthird"),
            "a.log",
            &PLAIN,
        );
        assert_eq!(
            line,
            "  00:00:00.000  X                first\n\
             \x20                                second\n\
             \x20                                third\n"
        );
    }

    #[test]
    fn errors_are_red_and_warnings_yellow_line_by_line() {
        let colour = Style {
            colour: true,
            ..PLAIN
        };
        let error = text(&row(Severity::Error, None, "C", "bad\nworse"), "a", &colour);
        assert_eq!(
            error,
            "\x1b[31m              C                bad\x1b[0m\n\
             \x1b[31m                               worse\x1b[0m\n"
        );
        let warning = text(&row(Severity::Warning, None, "C", "hm"), "a", &colour);
        assert!(warning.starts_with(YELLOW) && warning.ends_with("\x1b[0m\n"));
        let info = text(&row(Severity::Info, None, "C", "ok"), "a", &colour);
        assert!(!info.contains('\x1b'));
    }

    #[test]
    fn several_files_get_a_numbered_tag_and_severity_marks_without_colour() {
        let tagged = Style {
            tag_width: Some(4),
            ..PLAIN
        };
        let info = text(&row(Severity::Info, Some(0), "C", "m"), "[2]", &tagged);
        assert!(info.starts_with("[2]    00:00:00.000"), "{info:?}");
        let error = text(&row(Severity::Error, Some(0), "C", "m"), "[12]", &tagged);
        assert!(error.starts_with("[12] E 00:00:00.000"), "{error:?}");
        let warning = text(&row(Severity::Warning, Some(0), "C", "m"), "[1]", &tagged);
        assert!(warning.starts_with("[1]  W 00:00:00.000"), "{warning:?}");
    }

    #[test]
    fn json_has_the_rows_keys_and_source() {
        let style = Style {
            json: true,
            ..PLAIN
        };
        let line = text(&row(Severity::Error, None, "C", "m"), "x/a.log", &style);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "component",
                "message",
                "record",
                "severity",
                "source",
                "thread",
                "time",
                "utc"
            ]
        );
        assert_eq!(value["source"], "x/a.log");
        assert_eq!(value["severity"], "error");
    }

    #[test]
    fn line_counts_parse() {
        assert_eq!(parse_line_count("all"), Ok(LineCount::All));
        assert_eq!(parse_line_count("7"), Ok(LineCount::Last(7)));
        assert!(parse_line_count("-3").is_err());
        assert!(parse_line_count("lots").is_err());
    }

    #[test]
    fn filters_combine_severities_and_grep() {
        let filter = RecordFilter {
            severities: Some(vec![Severity::Error, Severity::Warning]),
            grep: Regex::new("0x8007").ok(),
        };
        assert!(filter.shows(&row(Severity::Error, None, "C", "failed 0x80070005")));
        assert!(!filter.shows(&row(Severity::Info, None, "C", "failed 0x80070005")));
        assert!(!filter.shows(&row(Severity::Warning, None, "C", "fine")));
    }

    #[test]
    fn new_records_merge_by_key_and_keep_each_files_order() {
        let mut timeline = Timeline {
            plan: None,
            last_keys: vec![None, None],
        };
        let a = vec![
            row(Severity::Info, Some(10), "A", "a1"),
            row(Severity::Info, None, "A", "a2"),
            row(Severity::Info, Some(30), "A", "a3"),
        ];
        let b = vec![
            row(Severity::Info, Some(10), "B", "b1"),
            row(Severity::Info, Some(20), "B", "b2"),
        ];
        let merged: Vec<String> = timeline
            .order(vec![a, b])
            .into_iter()
            .map(|(_, r)| r.fields.message)
            .collect();
        assert_eq!(merged, ["a1", "a2", "b1", "b2", "a3"]);
    }
}
