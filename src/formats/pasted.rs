//! Logs that arrive as text: rows copied out of CMTrace or LogWeave with
//! Ctrl+C (message, component, date/time and thread separated by tabs) and
//! CMTrace's columns as people paste them into tickets, forum posts and web
//! articles, separated by runs of spaces, tabs or the `&nbsp;` a web page left
//! behind (`TSManager    message`,
//! `01-13-2016 17:56:35.510  TSManager  2176 (0x880)  message`). A record is
//! a line with columns and the lines after it that have none; a line that is
//! only a separator (`-----`) is a record of its own.
//! Never reads a file: it is given bytes.

use std::borrow::Cow;
use std::ops::Range;

use super::{RecordFields, RecordMeta, SeverityRules, Shape, Step};
use crate::encoding::Scanner;
use crate::model::ZoneKind;
use crate::time::{self, DateOrder};

/// What a web page leaves of a non-breaking space; read as a space.
const NBSP: &str = "&nbsp;";
/// Lines without columns join the record above only while they start within
/// this many bytes of it, so text that only looks like a paste at its start
/// never becomes one huge record.
const MAX_RECORD_BYTES: usize = 64 * 1024;
/// Lines of a detection sample looked at (blank and separator lines aside).
const DETECT_LINES: usize = 200;

/// Components of ConfigMgr and MDT deployment logs. One at the start of a
/// line followed by a column gap, or in the component column of a
/// tab-separated copy, is evidence of a paste.
const KNOWN_COMPONENTS: &[&str] = &[
    "TSManager",
    "TSMBootstrap",
    "TSBootShell",
    "TsProgressUI",
    "TSPxe",
    "TSMBootstrapUtil",
    "InstallApplication",
    "InstallSoftware",
    "InstallSWUpdate",
    "OSDSetupHook",
    "OSDApplyOS",
    "ApplyOperatingSystem",
    "OSDBitLocker",
    "OSDDriverClient",
    "OSDNetSettings",
    "OSDSetupWindows",
    "OSDSmpClient",
    "OSDUserState",
    "OSDWinSettings",
    "OSDPrepareOS",
    "OSDCaptureSystemImage",
    "RunCommandLine",
    "RunPowerShellScript",
    "SMSPXE",
    "SMSTSRebootHandler",
    "ccmsetup",
    "CcmExec",
    "CcmRestart",
    "LocationServices",
    "ClientIDManagerStartup",
    "DataTransferService",
    "ContentTransferManager",
    "PolicyAgent_ReplicatePolicy",
    "AppEnforce",
    "AppDiscovery",
    "AppIntentEval",
    "UpdatesDeployment",
    "WUAHandler",
    "ZTIGather",
    "ZTIUtility",
    "LiteTouch",
];

/// How the columns of a line are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// `message<TAB>component<TAB>date/time<TAB>thread` (CMTrace's and
    /// LogWeave's Ctrl+C).
    Tabs,
    /// `date time  component  N (0xN)  message`.
    DateFirst,
    /// `component  message`.
    ComponentFirst,
}

/// Where the columns of a line are (byte ranges of the line).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Columns {
    layout: Layout,
    message: Range<usize>,
    component: Range<usize>,
    time: Range<usize>,
    thread: Range<usize>,
}

/// What one line of a paste is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    /// A line with columns: it starts a record.
    Columns(Columns),
    /// Only a separator (`-----`, `\-----` as Markdown escapes it): a record
    /// of its own.
    Separator,
    /// Anything else: it continues the record above.
    Text,
}

impl Line {
    fn starts_record(&self) -> bool {
        !matches!(self, Line::Text)
    }
}

/// Bytes of a column gap at `at`: spaces, tabs and `&nbsp;`, and whether it
/// is wide enough to part columns that may hold spaces (two spaces or more,
/// a tab or an `&nbsp;`).
fn gap(line: &[u8], at: usize) -> (usize, bool) {
    let (mut p, mut spaces, mut wide) = (at, 0, false);
    loop {
        match line.get(p) {
            Some(b' ') => {
                spaces += 1;
                p += 1;
            }
            Some(b'\t') => {
                wide = true;
                p += 1;
            }
            Some(b'&') if line[p..].starts_with(NBSP.as_bytes()) => {
                wide = true;
                p += NBSP.len();
            }
            _ => return (p - at, wide || spaces >= 2),
        }
    }
}

/// `range` of `line` without the spaces at either end.
fn trim(line: &[u8], range: Range<usize>) -> Range<usize> {
    let (mut from, mut to) = (range.start, range.end);
    while from < to && line[from] == b' ' {
        from += 1;
    }
    while to > from && line[to - 1] == b' ' {
        to -= 1;
    }
    from..to
}

/// Length of `0x` and one to eight hex digits at the start of `s`.
fn hex_literal(s: &[u8]) -> Option<usize> {
    if !(s.starts_with(b"0x") || s.starts_with(b"0X")) {
        return None;
    }
    let n = s[2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
    (1..=8).contains(&n).then_some(2 + n)
}

/// Length of a thread id at the start of `s`: decimal digits and, required
/// when `hex_required`, ` (0xHEX)` after them (`1160 (0x0488)`).
fn thread_len(s: &[u8], hex_required: bool) -> Option<usize> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=10).contains(&digits) {
        return None;
    }
    let mut p = digits;
    while s.get(p) == Some(&b' ') {
        p += 1;
    }
    if s.get(p) == Some(&b'(')
        && let Some(n) = hex_literal(&s[p + 1..])
        && s.get(p + 1 + n) == Some(&b')')
    {
        return Some(p + 2 + n);
    }
    (!hex_required).then_some(digits)
}

/// The wall-clock time of a date/time column: `Some(None)` for a time of day
/// without a date or a date without a time (a CCM record missing one of its
/// attributes, copied), `None` when the text is neither.
fn column_time(text: &[u8], order: DateOrder) -> Option<Option<i64>> {
    match time::parse_written_datetime(text, order) {
        Some(t) if t.len == text.len() => Some(Some(t.wall_ms)),
        _ => (time::parse_ccm_time(text).is_some()
            || time::parse_written_date(text, order).is_some())
        .then_some(None),
    }
}

/// `message<TAB>component<TAB>date/time<TAB>thread`: the last three tabs part
/// the columns; the time is empty or a time, the thread empty or an id.
fn tab_columns(line: &[u8]) -> Option<Columns> {
    let t3 = memchr::memrchr(b'\t', line)?;
    let t2 = memchr::memrchr(b'\t', &line[..t3])?;
    let t1 = memchr::memrchr(b'\t', &line[..t2])?;
    let time = trim(line, t2 + 1..t3);
    let thread = trim(line, t3 + 1..line.len());
    if !time.is_empty() && column_time(&line[time.clone()], DateOrder::MonthFirst).is_none() {
        return None;
    }
    let id = &line[thread.clone()];
    if !id.is_empty()
        && thread_len(id, false) != Some(id.len())
        && hex_literal(id) != Some(id.len())
    {
        return None;
    }
    Some(Columns {
        layout: Layout::Tabs,
        message: 0..t1,
        component: trim(line, t1 + 1..t2),
        time,
        thread,
    })
}

/// `date time<gap>component<gap>N (0xN)<gap>message`, gaps of any width (the
/// date and the thread anchor the columns).
fn date_first_columns(line: &[u8]) -> Option<Columns> {
    if !line.first()?.is_ascii_digit() {
        return None;
    }
    let stamp = time::parse_written_datetime(line, DateOrder::MonthFirst)?;
    let (n, _) = gap(line, stamp.len);
    let component_start = stamp.len + n;
    if n == 0 {
        return None;
    }
    let mut p = component_start;
    while p < line.len() && gap(line, p).0 == 0 {
        p += 1;
    }
    let (n, _) = gap(line, p);
    if p == component_start || n == 0 {
        return None;
    }
    let thread_start = p + n;
    let thread_end = thread_start + thread_len(&line[thread_start..], true)?;
    let (n, _) = gap(line, thread_end);
    if n == 0 && thread_end < line.len() {
        return None;
    }
    Some(Columns {
        layout: Layout::DateFirst,
        message: thread_end + n..line.len(),
        component: component_start..p,
        time: 0..stamp.len,
        thread: thread_start..thread_end,
    })
}

/// `component<gap>message`: a name of letters, digits, `_`, `.` and `-` at
/// the start of the line, a wide gap, then some text.
fn component_first_columns(line: &[u8]) -> Option<Columns> {
    if !line.first()?.is_ascii_alphabetic() {
        return None;
    }
    let name = line
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if !(2..=48).contains(&name) {
        return None;
    }
    let (n, wide) = gap(line, name);
    (wide && name + n < line.len()).then(|| Columns {
        layout: Layout::ComponentFirst,
        message: name + n..line.len(),
        component: 0..name,
        time: 0..0,
        thread: 0..0,
    })
}

/// A line that is only a run of `-` or `=` (with `*`, `_`, `~`, `!`), maybe
/// behind a Markdown `\`.
fn is_separator(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    let t = t.strip_prefix(b"\\").unwrap_or(t);
    t.iter().all(|b| b"-=*_~!".contains(b))
        && t.iter().filter(|&&b| b == b'-' || b == b'=').count() >= 3
}

/// What a line (UTF-8, without its line break) is.
fn classify(line: &[u8]) -> Line {
    if let Some(columns) = tab_columns(line)
        .or_else(|| date_first_columns(line))
        .or_else(|| component_first_columns(line))
    {
        Line::Columns(columns)
    } else if is_separator(line) {
        Line::Separator
    } else {
        Line::Text
    }
}

/// The line at `pos`: where its text ends and where the next line starts.
fn line_at(sc: &Scanner, data: &[u8], pos: usize, eof: usize) -> (usize, usize) {
    match sc.find_line_break(data, pos, eof) {
        Some((at, len)) => (at, at + len),
        None => (eof, eof),
    }
}

/// The record that starts at `pos` in `data[..eof]`: its first line and the
/// lines after it that start no record, within [`MAX_RECORD_BYTES`].
pub(super) fn next(sc: &Scanner, data: &[u8], pos: usize, eof: usize) -> Step {
    let kind = |from: usize, to: usize| classify(&sc.to_utf8(&data[from..to]));
    let (line_end, mut next) = line_at(sc, data, pos, eof);
    let first_next = next;
    let mut content_end = line_end;
    let mut eof_dependent = false;
    if kind(pos, line_end) != Line::Separator {
        while next < eof && next - pos < MAX_RECORD_BYTES {
            let (end, after) = line_at(sc, data, next, eof);
            if kind(next, end).starts_record() {
                // A line still being written may yet turn into a continuation.
                eof_dependent = end == after;
                break;
            }
            content_end = end;
            next = after;
        }
    }
    Step {
        end: next,
        eof_dependent: eof_dependent || next >= eof,
        shape: Shape::Pasted {
            line_end,
            rest_start: if content_end > line_end {
                first_next
            } else {
                content_end
            },
            content_end,
        },
    }
}

/// `&nbsp;` read as a space.
fn unescape(text: &str) -> Cow<'_, str> {
    if text.contains(NBSP) {
        Cow::Owned(text.replace(NBSP, " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// The first line's columns (if it has any) and its message, ready to show:
/// `&nbsp;` is a space except in tab-separated copies, which keep the message
/// exactly as copied.
fn message_of<'a>(first: &'a str) -> (Option<Columns>, Cow<'a, str>) {
    match classify(first.as_bytes()) {
        Line::Columns(c) if c.layout == Layout::Tabs => {
            let message = Cow::Borrowed(&first[c.message.clone()]);
            (Some(c), message)
        }
        Line::Columns(c) => {
            let message = match unescape(&first[c.message.clone()]) {
                Cow::Borrowed(m) => Cow::Borrowed(m.trim_end()),
                Cow::Owned(m) => Cow::Owned(m.trim_end().to_owned()),
            };
            (Some(c), message)
        }
        _ => (None, unescape(first)),
    }
}

/// Severity (keyword rule on the message and the lines after it) and time
/// (local time of an unknown zone: a copy says nothing of the zone) of a
/// record whose first line is `first` and further lines `rest` (UTF-8).
pub(super) fn meta(
    first: &[u8],
    rest: &[u8],
    rules: &SeverityRules,
    order: DateOrder,
) -> RecordMeta {
    let first = String::from_utf8_lossy(first);
    let rest = String::from_utf8_lossy(rest);
    let (columns, message) = message_of(&first);
    let mut severity = rules.classify(message.as_bytes());
    if !rest.is_empty() {
        let rest = match columns.as_ref().map(|c| c.layout) {
            Some(Layout::Tabs) => Cow::Borrowed(&*rest),
            _ => unescape(&rest),
        };
        severity = severity.max(rules.classify(rest.as_bytes()));
    }
    let wall_ms = columns
        .filter(|c| !c.time.is_empty())
        .and_then(|c| column_time(first[c.time].as_bytes(), order).flatten());
    RecordMeta {
        severity,
        wall_ms,
        zone: if wall_ms.is_some() {
            ZoneKind::Local
        } else {
            ZoneKind::None
        },
        utc_adjust_minutes: 0,
    }
}

/// The thread as LogWeave shows it for every format: the decimal id
/// (`1160 (0x0488)` is `1160`), or the text as written when it has none.
fn thread_text(column: &str) -> String {
    let digits = column.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        column[..digits].to_owned()
    } else {
        column.to_owned()
    }
}

/// All fields of a record: its first line, the line break after it and the
/// lines after that, decoded.
pub(super) fn fields(first: &str, brk: &str, rest: &str, meta: RecordMeta) -> RecordFields {
    let (columns, message) = message_of(first);
    let rest = rest.trim_end();
    let mut fields = RecordFields {
        meta,
        ..RecordFields::default()
    };
    let mut text = message.into_owned();
    match &columns {
        Some(c) => {
            fields.component = first[c.component.clone()].to_owned();
            if !c.time.is_empty() {
                fields.time_text = Some(first[c.time.clone()].to_owned());
            }
            fields.thread = thread_text(&first[c.thread.clone()]);
        }
        None => text.truncate(text.trim_end().len()),
    }
    if !rest.is_empty() {
        if !text.is_empty() {
            text.push_str(brk);
        }
        match columns.map(|c| c.layout) {
            Some(Layout::Tabs) => text.push_str(rest),
            _ => text.push_str(&unescape(rest)),
        }
    }
    fields.message = text;
    fields
}

/// Decides from decoded text at the start of a file whether it is a paste:
/// more than half of its first lines (blank and separator lines aside) must
/// have columns that show it — tabs with a time, a thread or a known
/// deployment component in their columns, a date, time and `N (0xN)` thread
/// at the start, or a known component followed by a column gap. Returns the
/// date order of the paste: day first only when some date shows it and none
/// shows month first.
pub(super) fn detect(text: &str) -> Option<DateOrder> {
    let (mut lines, mut evident) = (0usize, 0usize);
    let (mut day_first, mut month_first) = (false, false);
    for line in text.lines().take(DETECT_LINES * 2) {
        let b = line.as_bytes();
        if b.trim_ascii().is_empty() || is_separator(b) {
            continue;
        }
        lines += 1;
        if let Line::Columns(c) = classify(b) {
            let known = || {
                let name = &line[c.component.clone()];
                KNOWN_COMPONENTS
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(name))
            };
            evident += usize::from(match c.layout {
                Layout::Tabs => !c.time.is_empty() || !c.thread.is_empty() || known(),
                Layout::DateFirst => true,
                Layout::ComponentFirst => known(),
            });
            match time::date_order_shown(&b[c.time.clone()]) {
                Some(DateOrder::DayFirst) => day_first = true,
                Some(DateOrder::MonthFirst) => month_first = true,
                None => {}
            }
        }
        if lines == DETECT_LINES {
            break;
        }
    }
    (lines > 0 && evident * 2 > lines).then_some(if day_first && !month_first {
        DateOrder::DayFirst
    } else {
        DateOrder::MonthFirst
    })
}

#[cfg(test)]
mod tests;
