//! Property tests: the parallel, chunked, batched index build must find
//! exactly the records that a naive sequential reading of the grammar finds.
//!
//! The oracle below is written from the grammar descriptions (formats.md §1-4
//! and the module docs of `formats`), not from the library's splitter: it
//! works on a plain vector of code units with the simplest possible searches.
//! Inputs are random ConfigMgr-ish texts with multi-line messages, CR/LF/CRLF
//! mixes, text between records, truncated records, stray markers and NUL
//! padding, in UTF-8 and UTF-16; the build uses tiny batches and chunks so
//! that chunk edges fall inside markers, line breaks and records.

use std::sync::RwLock;
use std::sync::atomic::AtomicBool;

use logweave::encoding::TextEncoding;
use logweave::formats::{BiasConvention, Dialect, LogFormat, SeverityRules};
use logweave::index::{BuildOptions, IndexProgress, IndexedRecord, RecordIndex, index_range};
use logweave::{Severity, ZoneKind};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

// ---------------------------------------------------------------------------
// Input: text in one encoding, as bytes for the library and code units for
// the oracle.

#[derive(Clone, Debug)]
struct Input {
    bytes: Vec<u8>,
    /// Code units after the byte-order mark (bytes for UTF-8, u16 for UTF-16).
    units: Vec<u32>,
    encoding: TextEncoding,
    bom_len: usize,
}

impl Input {
    fn unit(&self) -> usize {
        self.encoding.unit()
    }

    fn new(
        text: &str,
        encoding: TextEncoding,
        with_bom: bool,
        nuls: usize,
        odd_byte: bool,
    ) -> Input {
        let (mut bytes, mut units, bom_len): (Vec<u8>, Vec<u32>, usize) = match encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let le = encoding == TextEncoding::Utf16Le;
                let units: Vec<u32> = text.encode_utf16().map(u32::from).collect();
                let mut bytes = Vec::new();
                if with_bom {
                    bytes.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
                }
                for &u in &units {
                    let u = u as u16;
                    bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
                (bytes, units, if with_bom { 2 } else { 0 })
            }
            _ => {
                let mut bytes = Vec::new();
                if with_bom {
                    bytes.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
                }
                bytes.extend_from_slice(text.as_bytes());
                (
                    bytes,
                    text.bytes().map(u32::from).collect(),
                    if with_bom { 3 } else { 0 },
                )
            }
        };
        let unit = encoding.unit();
        bytes.extend(std::iter::repeat_n(0u8, nuls * unit));
        units.extend(std::iter::repeat_n(0u32, nuls));
        if odd_byte && unit == 2 {
            // Half a code unit at the end: never part of a record.
            bytes.push(b'x');
        }
        let encoding = match (encoding, with_bom) {
            (TextEncoding::Utf8, true) => TextEncoding::Utf8Bom,
            (e, _) => e,
        };
        Input {
            bytes,
            units,
            encoding,
            bom_len,
        }
    }

    fn dialect(&self, format: LogFormat) -> Dialect {
        Dialect::new(
            format,
            self.encoding,
            self.bom_len,
            BiasConvention::Native,
            SeverityRules::default(),
        )
    }

    /// Byte offset of code unit `i`.
    fn byte(&self, i: usize) -> u64 {
        (self.bom_len + i * self.unit()) as u64
    }

    fn decode(&self, from: usize, to: usize) -> String {
        let units = &self.units[from..to];
        if self.unit() == 1 {
            let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            char::decode_utf16(units.iter().map(|&u| u as u16))
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect()
        }
    }
}

// ---------------------------------------------------------------------------
// The oracle: a naive sequential splitter over code units.

/// What the oracle expects for one record.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Expected {
    start: u64,
    end: u64,
    severity: Severity,
    wall_ms: Option<i64>,
    zone: ZoneKind,
    utc_adjust_minutes: i32,
}

impl Expected {
    fn of(r: &IndexedRecord) -> Expected {
        let m = r.meta;
        Expected {
            start: r.start,
            end: r.end,
            severity: m.severity,
            wall_ms: m.wall_ms,
            zone: if m.wall_ms.is_some() {
                m.zone
            } else {
                ZoneKind::None
            },
            utc_adjust_minutes: if m.wall_ms.is_some() {
                m.utc_adjust_minutes
            } else {
                0
            },
        }
    }
}

struct Meta {
    severity: Severity,
    time: Option<(i64, ZoneKind, i32)>,
}

const OPEN: &str = "<![LOG[";
const CLOSE: &str = "]LOG]!>";
const TRAILER: &str = "$$<";

fn at(u: &[u32], i: usize, to: usize, s: &str) -> bool {
    i + s.len() <= to && s.bytes().enumerate().all(|(k, b)| u[i + k] == u32::from(b))
}

fn find(u: &[u32], from: usize, to: usize, s: &str) -> Option<usize> {
    (from..to).find(|&i| at(u, i, to, s))
}

fn rfind(u: &[u32], from: usize, to: usize, s: &str) -> Option<usize> {
    (from..to).rev().find(|&i| at(u, i, to, s))
}

const CR: u32 = b'\r' as u32;
const LF: u32 = b'\n' as u32;

/// Length of the line break at `i` (0 if none): CRLF, LF or a lone CR.
fn break_len(u: &[u32], i: usize, to: usize) -> usize {
    match u.get(i) {
        _ if i >= to => 0,
        Some(&LF) => 1,
        Some(&CR) if i + 1 < to && u[i + 1] == LF => 2,
        Some(&CR) => 1,
        _ => 0,
    }
}

/// The end of the line content at or after `from`, and where the next line starts.
fn line_end(u: &[u32], from: usize, to: usize) -> (usize, usize) {
    let mut i = from;
    while i < to {
        let b = break_len(u, i, to);
        if b > 0 {
            return (i, i + b);
        }
        i += 1;
    }
    (to, to)
}

/// A line of text as a record. In CCM files the line also ends just before a
/// `<![LOG[` that appears later on it.
fn plain_line(u: &[u32], pos: usize, eof: usize, stop_at_open: bool) -> (usize, usize) {
    let (content_end, next) = line_end(u, pos, eof);
    if stop_at_open && let Some(hit) = find(u, pos + 1, content_end, OPEN) {
        return (hit, hit);
    }
    (content_end, next)
}

fn keyword_severity(text: &str) -> Severity {
    let lower = text.to_ascii_lowercase();
    if lower.contains("error") {
        Severity::Error
    } else if lower.contains("warn") {
        Severity::Warning
    } else {
        Severity::Info
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_days(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01, counted the slow way.
fn days(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1970..=2100).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > month_days(y, m) {
        return None;
    }
    let mut n = 0;
    for year in 1970..y {
        n += if is_leap(year) { 366 } else { 365 };
    }
    for month in 1..m {
        n += month_days(y, month);
    }
    Some(n + d - 1)
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `M-D-YYYY` (1 or 2 digit month and day).
fn mdy(s: &str) -> Option<i64> {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 || p[0].len() > 2 || p[1].len() > 2 || p[2].len() != 4 {
        return None;
    }
    days(num(p[2])?, num(p[0])?, num(p[1])?)
}

/// `H:M:S` with 1 or 2 digits each: milliseconds of the day.
fn hms(s: &str) -> Option<i64> {
    let p: Vec<&str> = s.split(':').collect();
    if p.len() != 3 || p.iter().any(|x| x.len() > 2) {
        return None;
    }
    let (h, m, sec) = (num(p[0])?, num(p[1])?, num(p[2])?);
    (h < 24 && m < 60 && sec < 60).then_some((h * 3600 + m * 60 + sec) * 1000)
}

fn frac_ms(frac: &str) -> i64 {
    let mut digits: Vec<i64> = frac.bytes().take(3).map(|b| i64::from(b - b'0')).collect();
    digits.resize(3, 0);
    digits[0] * 100 + digits[1] * 10 + digits[2]
}

/// A CCM `time` value: ms of the day, and the bias (minutes, glued?).
fn ccm_time(t: &str) -> Option<(i64, Option<(i32, bool)>)> {
    // `HH:MM:SS[.fraction][±bias]`: the fraction is optional (time::parse_ccm_time).
    let clock_end = t.find(['.', '+', '-']).unwrap_or(t.len());
    let (clock, mut after) = t.split_at(clock_end);
    let mut ms = hms(clock)?;
    if let Some(rest) = after.strip_prefix('.') {
        let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let frac;
        (frac, after) = rest.split_at(frac_len);
        if frac.is_empty() {
            return None;
        }
        ms += frac_ms(frac);
        if after.is_empty() && (4..=6).contains(&frac.len()) {
            // PSADT v3: milliseconds with the east-positive offset glued on.
            return Some((ms, Some((num(&frac[3..])? as i32, true))));
        }
    }
    if after.is_empty() {
        return Some((ms, None));
    }
    // Anything but a sign and digits after the clock: not a time.
    let (negative, value) = match after.strip_prefix('+') {
        Some(value) => (false, value),
        None => (true, after.strip_prefix('-')?),
    };
    let value = num(value)? as i32;
    Some((ms, Some((if negative { -value } else { value }, false))))
}

/// `key="value"` pairs of a CCM tag.
fn tag_attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.strip_prefix('<').unwrap_or(tag);
    loop {
        rest = rest.trim_start();
        let key_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if key_len == 0 {
            return out;
        }
        let key = &rest[..key_len];
        let Some(after_eq) = rest[key_len..].trim_start_matches(' ').strip_prefix('=') else {
            return out;
        };
        let Some(value_on) = after_eq.trim_start_matches(' ').strip_prefix('"') else {
            return out;
        };
        let Some(close) = value_on.find('"') else {
            return out;
        };
        out.push((key.to_owned(), value_on[..close].to_owned()));
        rest = &value_on[close + 1..];
    }
}

fn ccm_meta(tag: &str) -> Meta {
    let attrs = tag_attributes(tag);
    let get = |k: &str| {
        attrs
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let severity = match get("type").map(str::trim) {
        Some("3") => Severity::Error,
        Some("2") => Severity::Warning,
        _ => Severity::Info,
    };
    let thread_empty = get("thread").is_none_or(|t| t.trim().is_empty());
    let time = (|| {
        let (ms, bias) = ccm_time(get("time")?)?;
        let wall = mdy(get("date")?)? * 86_400_000 + ms;
        Some(match bias {
            None => (wall, ZoneKind::Local, 0),
            Some((b, true)) => (wall, ZoneKind::EastOffset, -b),
            Some((0, false)) if thread_empty => (wall, ZoneKind::Local, 0),
            Some((b, false)) => (wall, ZoneKind::Bias, b),
        })
    })();
    Meta { severity, time }
}

/// A leading `YYYY-MM-DD HH:MM:SS[.fff][ +HH:MM]` (or `/` date separators):
/// wall ms, east-positive offset, length.
fn leading_timestamp(line: &str) -> Option<(i64, Option<i32>, usize)> {
    let b = line.as_bytes();
    // Slices by byte position; `None` when a slice would split a character.
    let line = |from: usize, to: usize| std::str::from_utf8(b.get(from..to)?).ok();
    if b.len() < 19 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] || !matches!(b[10], b' ' | b'T')
    {
        return None;
    }
    let day = days(num(line(0, 4)?)?, num(line(5, 7)?)?, num(line(8, 10)?)?)?;
    let mut ms = hms(line(11, 19)?)?;
    let mut pos = 19;
    if matches!(b.get(pos), Some(b'.' | b',' | b':'))
        && b.get(pos + 1).is_some_and(u8::is_ascii_digit)
    {
        let n = b[pos + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        ms += frac_ms(line(pos + 1, pos + 1 + n)?);
        pos += 1 + n;
    }
    let mut offset = None;
    let p = pos + usize::from(b.get(pos) == Some(&b' '));
    if let Some(&sign @ (b'+' | b'-')) = b.get(p)
        && b.len() >= p + 6
        && b[p + 3] == b':'
        && !b.get(p + 6).is_some_and(u8::is_ascii_digit)
    {
        let minutes = (num(line(p + 1, p + 3)?)? * 60 + num(line(p + 4, p + 6)?)?) as i32;
        offset = Some(if sign == b'-' { -minutes } else { minutes });
        pos = p + 6;
    }
    Some((day * 86_400_000 + ms, offset, pos))
}

fn plain_meta(line: &str) -> Meta {
    let Some((wall, offset, len)) = leading_timestamp(line) else {
        return Meta {
            severity: keyword_severity(line),
            time: None,
        };
    };
    let rest = line[len..].strip_prefix(',').unwrap_or(&line[len..]);
    let rest = rest.trim_start_matches([' ', '\t']);
    let word_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let followed_ok = matches!(
        rest.as_bytes().get(word_len),
        None | Some(b' ' | b'\t' | b':')
    );
    let level = match rest[..word_len].to_ascii_lowercase().as_str() {
        "info" | "perf" => Some(Severity::Info),
        "warning" | "warn" => Some(Severity::Warning),
        "error" => Some(Severity::Error),
        _ => None,
    };
    let severity = match level {
        Some(s) if followed_ok => s,
        _ => keyword_severity(line),
    };
    let time = match offset {
        Some(o) => (wall, ZoneKind::EastOffset, -o),
        None => (wall, ZoneKind::Local, 0),
    };
    Meta {
        severity,
        time: Some(time),
    }
}

/// `$$<component><MM-DD-YYYY HH:MM:SS.fff±bias><thread=...>` and blanks.
fn simple_trailer_time(trailer: &str) -> Option<Option<(i64, ZoneKind, i32)>> {
    let rest = trailer.strip_prefix(TRAILER)?;
    let (_component, rest) = rest.split_once('>')?;
    let (datetime, rest) = rest.strip_prefix('<')?.split_once('>')?;
    let (_thread, rest) = rest.strip_prefix("<thread=")?.split_once('>')?;
    if !rest.bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let time = (|| {
        let (date, clock) = datetime.split_once(' ')?;
        let (ms, bias) = ccm_time(clock)?;
        let wall = mdy(date)? * 86_400_000 + ms;
        Some(match bias {
            Some((b, _)) => (wall, ZoneKind::Bias, b),
            None => (wall, ZoneKind::Local, 0),
        })
    })();
    Some(time)
}

fn expected_of(input: &Input, start: usize, end: usize, meta: Meta) -> Expected {
    let (wall_ms, zone, utc_adjust_minutes) = match meta.time {
        Some((w, z, a)) => (Some(w), z, a),
        None => (None, ZoneKind::None, 0),
    };
    Expected {
        start: input.byte(start),
        end: input.byte(end),
        severity: meta.severity,
        wall_ms,
        zone,
        utc_adjust_minutes,
    }
}

fn content_end(u: &[u32]) -> usize {
    let mut eof = u.len();
    while eof > 0 && u[eof - 1] == 0 {
        eof -= 1;
    }
    eof
}

fn oracle(input: &Input, format: LogFormat) -> Vec<Expected> {
    let u = &input.units;
    let eof = content_end(u);
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < eof {
        let (end, meta) = match format {
            LogFormat::Ccm => ccm_record(input, pos, eof),
            LogFormat::Simple => simple_record(input, pos, eof),
            LogFormat::Pasted => pasted_record(input, pos, eof),
            LogFormat::Plain => {
                let (content_end, end) = plain_line(u, pos, eof, false);
                (end, plain_meta(&input.decode(pos, content_end)))
            }
        };
        assert!(end > pos, "oracle made no progress at {pos}");
        out.push(expected_of(input, pos, end, meta));
        pos = end;
    }
    out
}

fn ccm_record(input: &Input, pos: usize, eof: usize) -> (usize, Meta) {
    let u = &input.units;
    let as_plain = || {
        let (content_end, end) = plain_line(u, pos, eof, true);
        (end, plain_meta(&input.decode(pos, content_end)))
    };
    if !at(u, pos, eof, OPEN) {
        return as_plain();
    }
    // The message ends at the first closer; the tag must follow at once and
    // end with `>` on the same line.
    let Some(close) = find(u, pos + OPEN.len(), eof, CLOSE) else {
        return as_plain();
    };
    let tag_start = close + CLOSE.len();
    if tag_start >= eof || u[tag_start] != u32::from(b'<') {
        return as_plain();
    }
    let mut i = tag_start + 1;
    while i < eof && u[i] != u32::from(b'>') && u[i] != CR && u[i] != LF {
        i += 1;
    }
    if i >= eof || u[i] != u32::from(b'>') {
        return as_plain();
    }
    let tag_end = i + 1;
    let end = tag_end + break_len(u, tag_end, eof);
    (end, ccm_meta(&input.decode(tag_start, tag_end)))
}

fn simple_record(input: &Input, pos: usize, eof: usize) -> (usize, Meta) {
    let u = &input.units;
    let as_plain = || {
        let (content_end, end) = plain_line(u, pos, eof, false);
        (end, plain_meta(&input.decode(pos, content_end)))
    };
    // The record runs to the end of the first line that ends with a valid
    // trailer, if that trailer is at most 64 KiB after the record start.
    let mut line = pos;
    while line < eof {
        let (content_end, next) = line_end(u, line, eof);
        if let Some(t) = rfind(u, line, content_end, TRAILER)
            && let Some(time) = simple_trailer_time(&input.decode(t, content_end))
        {
            if (t - pos) * input.unit() > 64 * 1024 {
                return as_plain();
            }
            let severity = keyword_severity(&input.decode(pos, t));
            return (next, Meta { severity, time });
        }
        if next == content_end {
            break;
        }
        line = next;
    }
    as_plain()
}

// ---------------------------------------------------------------------------
// The pasted-copy oracle (formats/pasted.rs module docs): a record is a line
// with columns and the lines after it that have none, while they start within
// 64 KiB of the record; a line that is only a separator is a record of its
// own. Columns: `message<TAB>component<TAB>time<TAB>thread` (the last three
// tabs), `date time<gap>component<gap>N (0xN)<gap>message`, and
// `component<wide gap>message`. Gaps are spaces, tabs and `&nbsp;`; a wide
// gap has two spaces, a tab or an `&nbsp;`. Times are local: no bias applied.

/// Columns of a line: (message shown, time text).
struct PastedColumns {
    message: String,
    time: String,
    tabs: bool,
}

enum PastedLine {
    Columns(PastedColumns),
    Separator,
    Text,
}

/// The gap at the start of `s`: its length and whether it is wide.
fn pasted_gap(s: &str) -> (usize, bool) {
    let (mut rest, mut spaces, mut wide) = (s, 0, false);
    loop {
        if let Some(r) = rest.strip_prefix("&nbsp;") {
            (rest, wide) = (r, true);
        } else if let Some(r) = rest.strip_prefix('\t') {
            (rest, wide) = (r, true);
        } else if let Some(r) = rest.strip_prefix(' ') {
            (rest, spaces) = (r, spaces + 1);
        } else {
            return (s.len() - rest.len(), wide || spaces >= 2);
        }
    }
}

/// `N (0xH)` at the start of `s` (or `N` alone when the hex is optional): its length.
fn pasted_thread(s: &str, hex_required: bool) -> Option<usize> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=10).contains(&n) {
        return None;
    }
    let after = s[n..].trim_start_matches(' ');
    if let Some(hex) = after
        .strip_prefix("(0x")
        .or_else(|| after.strip_prefix("(0X"))
    {
        let h = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
        if (1..=8).contains(&h) && hex[h..].starts_with(')') {
            return Some(s.len() - hex.len() + h + 1);
        }
    }
    (!hex_required).then_some(n)
}

/// The date and time shapes the generator writes, at the start of `s`: wall
/// ms and length. Month first unless the separator is a dot or the first
/// number is above 12.
fn pasted_stamp(s: &str) -> Option<(i64, usize)> {
    let b = s.as_bytes();
    let digits_at = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i;
    let day;
    if digits_at(0) >= 4 && b.get(4) == Some(&b'-') {
        // YYYY-MM-DD HH:MM:SS
        let (y, mo, d) = (num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
        if b.get(7) != Some(&b'-')
            || b.get(10) != Some(&b' ')
            || digits_at(8) != 2
            || digits_at(5) != 2
        {
            return None;
        }
        day = days(y, mo, d)?;
        i = 11;
    } else {
        let a_len = digits_at(0);
        if !(1..=2).contains(&a_len) {
            return None;
        }
        let sep = *b.get(a_len)?;
        if !matches!(sep, b'/' | b'-' | b'.') {
            return None;
        }
        let b_len = digits_at(a_len + 1);
        let year_at = a_len + 1 + b_len + 1;
        if !(1..=2).contains(&b_len)
            || b.get(a_len + 1 + b_len) != Some(&sep)
            || digits_at(year_at) < 4
        {
            return None;
        }
        let x = num(&s[..a_len])?;
        let y = num(&s[a_len + 1..a_len + 1 + b_len])?;
        let year = num(&s[year_at..year_at + 4])?;
        day = if sep == b'.' || x > 12 {
            days(year, y, x)?
        } else {
            days(year, x, y)?
        };
        i = year_at + 4;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    // H:MM:SS with a one or two digit hour.
    let h_len = digits_at(i);
    if !(1..=2).contains(&h_len) || b.get(i + h_len) != Some(&b':') {
        return None;
    }
    let clock_end = i + h_len + 6;
    let mut ms = hms(s.get(i..clock_end)?)?;
    i = clock_end;
    if b.get(i) == Some(&b'.') && digits_at(i + 1) > 0 {
        let n = digits_at(i + 1);
        ms += frac_ms(&s[i + 1..i + 1 + n]);
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'+' | b'-')) && (1..=5).contains(&digits_at(i + 1)) {
        i += 1 + digits_at(i + 1);
    } else {
        let p = i + usize::from(b.get(i) == Some(&b' '));
        let marker = s.get(p..p + 2).map(str::to_ascii_uppercase);
        let ends = !b.get(p + 2).is_some_and(u8::is_ascii_alphanumeric);
        if let Some(m @ ("AM" | "PM")) = marker.as_deref()
            && ends
        {
            let hour = ms / 3_600_000;
            if !(1..=12).contains(&hour) {
                return None;
            }
            let hour24 = if m == "PM" { hour % 12 + 12 } else { hour % 12 };
            ms += (hour24 - hour) * 3_600_000;
            i = p + 2;
        }
    }
    Some((day * 86_400_000 + ms, i))
}

fn pasted_line(line: &str) -> PastedLine {
    let unescape = |t: &str| t.replace("&nbsp;", " ");
    // Tabs: the last three part the columns.
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() >= 4 {
        let n = cols.len();
        let time = cols[n - 2].trim_matches(' ');
        let thread = cols[n - 1].trim_matches(' ');
        let time_ok =
            time.is_empty() || pasted_stamp(time).is_some_and(|(_, len)| len == time.len());
        let thread_ok = thread.is_empty() || pasted_thread(thread, false) == Some(thread.len());
        if time_ok && thread_ok {
            return PastedLine::Columns(PastedColumns {
                message: cols[..n - 3].join("\t"),
                time: time.to_owned(),
                tabs: true,
            });
        }
    }
    // Date first.
    if let Some((_, len)) = pasted_stamp(line) {
        let (g1, _) = pasted_gap(&line[len..]);
        let comp_start = len + g1;
        let mut comp_end = comp_start;
        while comp_end < line.len() && pasted_gap(&line[comp_end..]).0 == 0 {
            comp_end += line[comp_end..].chars().next().map_or(1, char::len_utf8);
        }
        let (g2, _) = pasted_gap(&line[comp_end..]);
        if g1 > 0 && comp_end > comp_start && g2 > 0 {
            let thread_start = comp_end + g2;
            if let Some(t) = pasted_thread(&line[thread_start..], true) {
                let after = thread_start + t;
                let (g3, _) = pasted_gap(&line[after..]);
                if g3 > 0 || after == line.len() {
                    return PastedLine::Columns(PastedColumns {
                        message: unescape(&line[after + g3..]).trim_end().to_owned(),
                        time: line[..len].to_owned(),
                        tabs: false,
                    });
                }
            }
        }
    }
    // Component first.
    let name = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if line.starts_with(|c: char| c.is_ascii_alphabetic()) && (2..=48).contains(&name) {
        let (g, wide) = pasted_gap(&line[name..]);
        if wide && name + g < line.len() {
            return PastedLine::Columns(PastedColumns {
                message: unescape(&line[name + g..]).trim_end().to_owned(),
                time: String::new(),
                tabs: false,
            });
        }
    }
    let t = line.trim_matches(|c: char| c.is_ascii_whitespace());
    let t = t.strip_prefix('\\').unwrap_or(t);
    if t.chars().all(|c| "-=*_~!".contains(c))
        && t.chars().filter(|&c| c == '-' || c == '=').count() >= 3
    {
        PastedLine::Separator
    } else {
        PastedLine::Text
    }
}

fn pasted_record(input: &Input, pos: usize, eof: usize) -> (usize, Meta) {
    let u = &input.units;
    let (first_end, mut next) = line_end(u, pos, eof);
    let first = pasted_line(&input.decode(pos, first_end));
    let mut rest_end = first_end;
    let rest_start = next;
    if !matches!(first, PastedLine::Separator) {
        while next < eof && (next - pos) * input.unit() < 64 * 1024 {
            let (end, after) = line_end(u, next, eof);
            if !matches!(pasted_line(&input.decode(next, end)), PastedLine::Text) {
                break;
            }
            rest_end = end;
            next = after;
        }
    }
    let rest = if rest_end > first_end {
        input.decode(rest_start, rest_end)
    } else {
        String::new()
    };
    let (message, time, tabs) = match first {
        PastedLine::Columns(c) => (c.message, c.time, c.tabs),
        _ => (input.decode(pos, first_end), String::new(), false),
    };
    let rest = if tabs {
        rest
    } else {
        rest.replace("&nbsp;", " ")
    };
    let severity = keyword_severity(&format!("{message}\n{rest}"));
    let time = pasted_stamp(&time)
        .filter(|&(_, len)| len == time.len())
        .map(|(wall, _)| (wall, ZoneKind::Local, 0));
    (next, Meta { severity, time })
}

// ---------------------------------------------------------------------------
// The library under test.

fn build(
    input: &Input,
    format: LogFormat,
    options: &BuildOptions,
    first_cut: Option<usize>,
) -> (Vec<Expected>, u64) {
    let dialect = input.dialect(format);
    let index = RwLock::new(RecordIndex::new(input.bom_len as u64));
    let progress = IndexProgress::default();
    let cancel = AtomicBool::new(false);
    if let Some(cut) = first_cut {
        // The file as it was when only `cut` bytes were written; then drop
        // the records that more bytes could change, and index the rest.
        let cut = cut.min(input.bytes.len());
        index_range(
            &dialect,
            &input.bytes[..cut],
            &index,
            options,
            &progress,
            &cancel,
        )
        .expect("not cancelled");
        let mut ix = index.write().unwrap();
        if let Some(from) = ix.provisional_from() {
            ix.truncate(from);
        }
    }
    index_range(&dialect, &input.bytes, &index, options, &progress, &cancel)
        .expect("not cancelled");
    let ix = index.read().unwrap();
    let records = (0..ix.len())
        .map(|i| Expected::of(&ix.get(i).unwrap()))
        .collect();
    (records, ix.end())
}

fn check(
    input: &Input,
    format: LogFormat,
    options: &BuildOptions,
    first_cut: usize,
) -> Result<(), TestCaseError> {
    let expected = oracle(input, format);
    let expected_end = expected.last().map_or(input.bom_len as u64, |r| r.end);
    for cut in [None, Some(first_cut)] {
        let (got, end) = build(input, format, options, cut);
        if let Some(i) = (0..got.len().max(expected.len())).find(|&i| got.get(i) != expected.get(i))
        {
            let show = |r: Option<&Expected>| {
                r.map(|r| {
                    let from = r.start as usize;
                    let to = (r.end as usize).min(from + 120);
                    format!(
                        "{r:?} {:?}",
                        String::from_utf8_lossy(&input.bytes[from..to])
                    )
                })
            };
            return Err(TestCaseError::fail(format!(
                "record {i} differs (cut {cut:?}, {} vs {} records)\n  index:  {:?}\n  oracle: {:?}",
                got.len(),
                expected.len(),
                show(got.get(i)),
                show(expected.get(i))
            )));
        }
        prop_assert_eq!(end, expected_end);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Random inputs.

const WORDS: &[&str] = &[
    "Successfully",
    "completed",
    "the",
    "action",
    "(Setup Windows and Configuration Manager)",
    "with",
    "exit",
    "win32",
    "code",
    "0",
    "Failed",
    "to",
    "resolve",
    "source",
    "for",
    "package",
    "CM100004",
    "0x80070002",
    "Unsuccessful",
    "in",
    "releasing",
    "MAX00A9A.",
    "Set",
    "a",
    "global",
    "environment",
    "variable",
    "_SMSTSNextInstructionPointer=4",
    "error",
    "ERROR",
    "warning",
    "Warn",
    "RemoveFile()",
    "C:\\_SMSTaskSequence",
    "TSManager",
    "ccmsetup",
    "Policy",
    "assignment",
    "<",
    ">",
    "\"",
    "[",
    "]",
    "]LOG]",
    "<![LOG",
    "LOG]!>",
    "&amp;",
    "\u{fc}ber",
    "5\u{20ac}",
    "\u{8a2d}\u{5b9a}",
    "\u{2008}",
    "$$",
    ">>>>>",
    "<time=\"",
    "\">",
];

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..max).prop_map(|w| w.join(" "))
}

fn line_break() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just("\r\n"), 2 => Just("\n"), 1 => Just("\r")]
}

/// The sizes the scanner and its fast paths work in, each of which once was
/// or could be an edge: word reads (8), the closer search's window (16), the
/// old canonical-tag buffer (512 + 8: tags of 513 to 520 bytes panicked), the
/// fingerprint and smallest test batch (4096), the cancel check stride
/// (8192) and the detection sample / simple-format message limit (64 KiB).
const SCANNER_SIZES: &[usize] = &[8, 16, 64, 256, 512, 520, 4096, 8192, 65_536];

/// A length at or near one of [`SCANNER_SIZES`] (within nine bytes either
/// side), so that random inputs land on every edge deterministically often
/// rather than once in a few thousand runs.
fn edge_len() -> impl Strategy<Value = usize> {
    (prop::sample::select(SCANNER_SIZES), -9isize..=9)
        .prop_map(|(size, delta)| size.saturating_add_signed(delta))
}

/// A message: words, line breaks inside, sometimes a long run of text.
fn message() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        8 => words(8),
        2 => (words(4), line_break()).prop_map(|(w, b)| format!("{w}{b}")),
        1 => (0usize..3000).prop_map(|n| "x".repeat(n)),
        1 => edge_len().prop_map(|n| "x".repeat(n)),
    ];
    prop::collection::vec(part, 1..5).prop_map(|p| p.concat())
}

fn clock() -> impl Strategy<Value = (u32, u32, u32)> {
    (0u32..24, 0u32..60, 0u32..60)
}

fn date() -> impl Strategy<Value = (u32, u32, u32, bool)> {
    (1u32..=12, 1u32..=28, 2015u32..=2030, any::<bool>())
}

/// A CCM `time` value in one of the writers' styles, and whether the writer
/// leaves `thread` empty (MDT).
fn time_value() -> impl Strategy<Value = (String, bool)> {
    let bias = prop::sample::select(vec![
        "+0", "+00", "+000", "+60", "+240", "+480", "-60", "-120", "-660",
    ]);
    prop_oneof![
        // Native ConfigMgr.
        5 => (clock(), 0u32..1000, bias).prop_map(|((h, m, s), f, b)| (format!("{h:02}:{m:02}:{s:02}.{f:03}{b}"), false)),
        // IME: 7 digits, no bias.
        2 => (clock(), 0u32..10_000_000).prop_map(|((h, m, s), f)| (format!("{h:02}:{m:02}:{s:02}.{f:07}"), false)),
        // MDT: +000 and thread="".
        2 => (clock(), 0u32..1).prop_map(|((h, m, s), _)| (format!("{h:02}:{m:02}:{s:02}.000+000"), true)),
        // PSADT v3: offset glued to the milliseconds.
        1 => (clock(), 0u32..1000, prop::sample::select(vec!["60", "0", "120", "330"]))
            .prop_map(|((h, m, s), f, b)| (format!("{h:02}:{m:02}:{s:02}.{f:03}{b}"), false)),
        // Homemade VBScript: unpadded.
        1 => (clock(), 0u32..1).prop_map(|((h, m, s), _)| (format!("{h}:{m}:{s}.000+000"), false)),
        // Garbage.
        1 => Just(("xx:yy".to_owned(), false)),
    ]
}

/// The `file` attribute every generated tag starts with (before padding).
const FILE: &str = "file=\"engine.cxx:299\"";

/// The attribute tag, attributes in a random order, some missing or empty,
/// sometimes padded to a length at a scanner edge.
fn tag() -> impl Strategy<Value = String> {
    (
        time_value(),
        date(),
        prop::sample::select(vec!["", "0", "1", "2", "3", "4"]),
        prop::sample::select(vec![
            "TSManager",
            "ccmsetup",
            "AppWorkload",
            "Setup>Phase",
            "",
        ]),
        0u32..20_000,
        prop_oneof![3 => Just(0u8), 2 => any::<u8>()],
        any::<u64>(),
        prop::sample::select(vec![" ", "  ", " "]),
        prop_oneof![3 => Just(None), 2 => edge_len().prop_map(Some)],
    )
        .prop_map(
            |(
                (time, mdt),
                (mo, d, y, pad),
                kind,
                component,
                thread,
                drop_mask,
                order,
                sep,
                tag_len,
            )| {
                let date = if pad {
                    format!("{mo:02}-{d:02}-{y}")
                } else {
                    format!("{mo}-{d}-{y}")
                };
                let thread = if mdt {
                    String::new()
                } else {
                    thread.to_string()
                };
                let attrs = vec![
                    format!("time=\"{time}\""),
                    format!("date=\"{date}\""),
                    format!("component=\"{component}\""),
                    "context=\"\"".to_owned(),
                    format!("type=\"{kind}\""),
                    format!("thread=\"{thread}\""),
                    FILE.to_owned(),
                ];
                // Drop some attributes.
                let mut keep: Vec<String> = attrs
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| drop_mask & (1 << i) == 0)
                    .map(|(_, a)| a)
                    .collect();
                // Shuffle by the random word.
                let mut o = order;
                for i in (1..keep.len()).rev() {
                    let j = (o % (i as u64 + 1)) as usize;
                    o /= i as u64 + 1;
                    keep.swap(i, j);
                }
                let tag = format!("<{}>", keep.join(sep));
                // A long `file=` path (PSADT, scripts) makes the tag exactly
                // `tag_len` bytes long where it can.
                match tag_len {
                    Some(want) if want > tag.len() && tag.contains(FILE) => {
                        let path = format!("{}{}", "x".repeat(want - tag.len()), &FILE[6..]);
                        tag.replace(FILE, &format!("file=\"{path}"))
                    }
                    _ => tag,
                }
            },
        )
}

/// What follows a tag: a line break or nothing.
fn after_tag() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just("\r\n"), 2 => Just("\n"), 1 => Just("\r"), 1 => Just("")]
}

fn ccm_record_text() -> impl Strategy<Value = String> {
    (message(), tag(), after_tag()).prop_map(|(m, t, b)| format!("<![LOG[{m}]LOG]!>{t}{b}"))
}

fn ccm_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => ccm_record_text(),
        // Text between records, own line.
        2 => (words(10), line_break()).prop_map(|(w, b)| format!("{w}{b}")),
        // Text before a record on the same line.
        1 => (words(4), ccm_record_text()).prop_map(|(w, r)| format!("{w} {r}")),
        // A record cut anywhere (file truncated, or a writer that died).
        2 => (ccm_record_text(), any::<prop::sample::Index>(), prop_oneof![Just(""), line_break()])
            .prop_map(|(r, cut, b)| {
                let chars: Vec<char> = r.chars().collect();
                let n = cut.index(chars.len());
                format!("{}{b}", chars[..n].iter().collect::<String>())
            }),
        // Closer without a tag, and a tag without its `>`.
        1 => (words(3), line_break()).prop_map(|(w, b)| format!("<![LOG[{w}]LOG]!> not a tag{b}")),
        1 => (message(), line_break()).prop_map(|(m, b)| format!("<![LOG[{m}]LOG]!><time=\"10:00:00.000+0\"{b}")),
    ]
}

fn simple_trailer() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "SMS_DISTRIBUTION_MANAGER",
            "SMS_COLLECTION_EVALUATOR",
            "SMS_EXECUTIVE",
        ]),
        date(),
        clock(),
        0u32..1000,
        prop::sample::select(vec!["+240", "-60", "+0", "+480", ""]),
        0u32..20_000,
    )
        .prop_map(|(c, (mo, d, y, _), (h, m, s), f, b, t)| {
            format!(
                "$$<{c}><{mo:02}-{d:02}-{y} {h:02}:{m:02}:{s:02}.{f:03}{b}><thread={t} (0x{t:X})>"
            )
        })
}

fn simple_piece() -> impl Strategy<Value = String> {
    let record = (
        prop::collection::vec(words(8), 1..4),
        line_break(),
        any::<bool>(),
        any::<bool>(),
        simple_trailer(),
        prop_oneof![Just(""), Just("  "), Just("\t")],
        prop_oneof![6 => line_break(), 1 => Just("")],
    )
        .prop_map(|(lines, b, lead, trail, t, blanks, end)| {
            let msg = lines.join(b);
            let lead = if lead { "~" } else { "" };
            let trail = if trail { "~" } else { "" };
            format!("{lead}{msg}{trail}  {t}{blanks}{end}")
        });
    prop_oneof![
        10 => record,
        // A line without a trailer.
        2 => (words(10), line_break()).prop_map(|(w, b)| format!("{w}{b}")),
        // Trailers that are not valid: no thread, text after it.
        1 => (words(4), line_break()).prop_map(|(w, b)| format!("{w}  $$<SMS_EXECUTIVE><01-02-2020 10:00:00.000+0>{b}")),
        1 => (words(4), simple_trailer(), line_break()).prop_map(|(w, t, b)| format!("{w}  {t} trailing words{b}")),
        // A `$$<` inside the message before the real trailer.
        1 => (words(4), simple_trailer(), line_break()).prop_map(|(w, t, b)| format!("costs $$<5 {w}  {t}{b}")),
    ]
}

fn plain_piece() -> impl Strategy<Value = String> {
    let level = prop::sample::select(vec![
        "Info", "Warning", "Error", "INFO", "WARN", "ERROR", "Perf", "Note",
    ]);
    prop_oneof![
        // CBS / DISM.
        3 => (date(), clock(), level.clone(), words(8), line_break()).prop_map(|((mo, d, y, _), (h, m, s), l, w, b)| {
            format!("{y}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}, {l:<22}CBS    {w}{b}")
        }),
        // Get-WindowsUpdateLog.
        2 => (date(), clock(), 0u32..10_000_000, words(8), line_break()).prop_map(|((mo, d, y, _), (h, m, s), f, w, b)| {
            format!("{y}/{mo:02}/{d:02} {h:02}:{m:02}:{s:02}.{f:07} 3696  8172  Agent           {w}{b}")
        }),
        // ISO with offset and a level.
        2 => (date(), clock(), 0u32..1000, prop::sample::select(vec!["+08:00", "-05:00", "+00:00"]), level, words(8), line_break())
            .prop_map(|((mo, d, y, _), (h, m, s), f, o, l, w, b)| {
                format!("{y}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}.{f:03} {o} {l:<5} [TSManager] (7764) {w}{b}")
            }),
        // Free text and continuation lines.
        3 => (words(12), line_break()).prop_map(|(w, b)| format!("{w}{b}")),
        1 => (words(6), line_break()).prop_map(|(w, b)| format!("  {w}{b}")),
        1 => (0usize..5000).prop_map(|n| format!("{}\r\n", "y".repeat(n))),
    ]
}

/// A date and time in one of the shapes copies are written in.
fn pasted_time() -> impl Strategy<Value = String> {
    (date(), clock(), 0u32..1000, 0usize..6).prop_map(|((mo, d, y, _), (h, m, s), f, form)| {
        match form {
            0 => {
                let (h12, half) = match h {
                    0 => (12, "AM"),
                    1..=11 => (h, "AM"),
                    12 => (12, "PM"),
                    _ => (h - 12, "PM"),
                };
                format!("{mo}/{d}/{y} {h12}:{m:02}:{s:02} {half}")
            }
            1 => format!("{d:02}.{mo:02}.{y} {h:02}:{m:02}:{s:02}"),
            2 => format!("{y}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}"),
            3 => format!("{mo:02}-{d:02}-{y} {h:02}:{m:02}:{s:02}.{f:03}"),
            4 => format!("{mo:02}-{d:02}-{y} {h:02}:{m:02}:{s:02}.{f:03}+240"),
            _ => format!("{mo:02}-{d:02}-{y}{h:02}:{m:02}:{s:02}.{f:03}"),
        }
    })
}

fn pasted_piece() -> impl Strategy<Value = String> {
    let component = prop::sample::select(vec![
        "TSManager",
        "TSMBootstrap",
        "InstallApplication",
        "OSDBitLocker",
        "SMS_X",
        "ccmsetup",
    ]);
    let any_gap = prop::sample::select(vec![" ", "  ", "    ", "\t", " &nbsp; &nbsp;", "&nbsp;"]);
    let wide_gap = prop::sample::select(vec!["  ", "    ", "\t", " &nbsp; &nbsp;", "&nbsp;"]);
    let thread = prop::sample::select(vec!["1160 (0x0488)", "2176 (0x880)", "1100", ""]);
    prop_oneof![
        // CMTrace's or LogWeave's Ctrl+C.
        3 => (words(8), component.clone(), prop_oneof![4 => pasted_time(), 1 => Just(String::new())], thread, line_break())
            .prop_map(|(w, c, t, th, b)| format!("{w}\t{c}\t{t}\t{th}{b}")),
        // Date, time, component, thread, message.
        3 => (pasted_time(), any_gap.clone(), component.clone(), any_gap.clone(), 0u32..5000, any_gap, words(8), line_break())
            .prop_map(|(t, g1, c, g2, th, g3, w, b)| format!("{t}{g1}{c}{g2}{th} (0x{th:X}){g3}{w}{b}")),
        // Component, message.
        3 => (component, wide_gap, words(8), line_break())
            .prop_map(|(c, g, w, b)| format!("{c}{g}{w}{b}")),
        // Continuation lines, blank lines and separators.
        3 => (words(10), line_break()).prop_map(|(w, b)| format!("{w}{b}")),
        1 => (words(6), line_break()).prop_map(|(w, b)| format!("  {w}{b}")),
        1 => line_break().prop_map(str::to_owned),
        1 => (prop::sample::select(vec!["-----", "\\-----------", "=====", "!----!", "--"]), line_break())
            .prop_map(|(s, b)| format!("{s}{b}")),
        1 => (0usize..5000).prop_map(|n| format!("{}\r\n", "y".repeat(n))),
        1 => edge_len().prop_map(|n| format!("{}\n", "z".repeat(n))),
        // Lines whose start has columns but whose whole has none (a file
        // cut there must leave the record before it provisional).
        1 => (words(4), line_break()).prop_map(|(w, b)| format!("{w}\tTSManager\t\t1100\tmore{b}")),
        1 => (pasted_time(), line_break()).prop_map(|(t, b)| format!("{t} TSManager 2176 (0x880)x{b}")),
    ]
}

fn encoding() -> impl Strategy<Value = (TextEncoding, bool)> {
    prop_oneof![
        4 => Just((TextEncoding::Utf8, true)),
        2 => Just((TextEncoding::Utf8, false)),
        2 => Just((TextEncoding::Utf16Le, true)),
        1 => Just((TextEncoding::Utf16Le, false)),
        1 => Just((TextEncoding::Utf16Be, true)),
    ]
}

fn input(piece: BoxedStrategy<String>, max_pieces: usize) -> impl Strategy<Value = Input> {
    (
        prop::collection::vec(piece, 0..max_pieces),
        encoding(),
        prop_oneof![4 => Just(0usize), 1 => 1usize..200],
        any::<bool>(),
    )
        .prop_map(|(pieces, (enc, bom), nuls, odd)| {
            Input::new(&pieces.concat(), enc, bom, nuls, odd)
        })
}

#[allow(
    clippy::needless_update,
    reason = "keeps compiling when BuildOptions gains fields"
)]
fn build_options(threads: usize, first: usize, max: usize, min_chunk: usize) -> BuildOptions {
    BuildOptions {
        threads,
        first_batch_bytes: first,
        max_batch_bytes: max,
        min_chunk_bytes: min_chunk,
        ..BuildOptions::default()
    }
}

fn options() -> impl Strategy<Value = BuildOptions> {
    (
        1usize..=4,
        prop_oneof![3 => 4096usize..12_000, 1 => edge_len().prop_map(|n| n.max(4096))],
        4096usize..40_000,
        prop_oneof![3 => 1usize..700, 1 => edge_len().prop_map(|n| n.max(1))],
    )
        .prop_map(|(threads, first, max, min_chunk)| build_options(threads, first, max, min_chunk))
}

/// 160 cases a run; a failing case is saved to
/// `proptest-regressions/index_props.txt` (committed) and replayed first on
/// every later run. proptest's default place for regressions needs a
/// `lib.rs` above the test file, which integration tests do not have.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 160,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/index_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ccm_index_matches_naive_splitter(
        input in input(ccm_piece().boxed(), 80),
        options in options(),
        cut in any::<prop::sample::Index>(),
    ) {
        let first_cut = cut.index(input.bytes.len() + 1);
        check(&input, LogFormat::Ccm, &options, first_cut)?;
    }

    #[test]
    fn simple_index_matches_naive_splitter(
        input in input(simple_piece().boxed(), 80),
        options in options(),
        cut in any::<prop::sample::Index>(),
    ) {
        let first_cut = cut.index(input.bytes.len() + 1);
        check(&input, LogFormat::Simple, &options, first_cut)?;
    }

    #[test]
    fn pasted_index_matches_naive_splitter(
        input in input(pasted_piece().boxed(), 120),
        options in options(),
        cut in any::<prop::sample::Index>(),
    ) {
        let first_cut = cut.index(input.bytes.len() + 1);
        check(&input, LogFormat::Pasted, &options, first_cut)?;
    }

    #[test]
    fn plain_index_matches_naive_splitter(
        input in input(plain_piece().boxed(), 120),
        options in options(),
        cut in any::<prop::sample::Index>(),
    ) {
        let first_cut = cut.index(input.bytes.len() + 1);
        check(&input, LogFormat::Plain, &options, first_cut)?;
    }
}

/// Chunk edges placed on purpose inside `]LOG]!>`, `<![LOG[` and CRLF, with
/// every chunk size from 1 to 64 bytes, on a small hand-written CCM text.
#[test]
fn every_small_chunk_size_agrees_on_a_fixed_text() {
    let mut text = String::new();
    for i in 0..60 {
        let kind = i % 4;
        text += &format!(
            "<![LOG[Record {i} line one\nline two ]LOG] <x> \"q\"]LOG]!><time=\"10:{:02}:00.000+240\" date=\"10-18-2019\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"1100\" file=\"engine.cxx:299\">\r\n",
            i % 60
        );
        if i % 7 == 0 {
            text += "between records\r\n";
        }
    }
    text += "<![LOG[cut short]LOG]!><time=\"10:00";
    let input = Input::new(&text, TextEncoding::Utf8, true, 3, false);
    let expected = oracle(&input, LogFormat::Ccm);
    assert_eq!(expected.len(), 60 + 9 + 1);
    for min_chunk in 1..=64 {
        for threads in [2, 3, 4] {
            let options = build_options(threads, 4096, 4096, min_chunk);
            let (got, _) = build(&input, LogFormat::Ccm, &options, None);
            assert_eq!(got, expected, "min_chunk {min_chunk}, threads {threads}");
        }
    }
}

/// Messages of the simple format join lines only within 64 KiB of the trailer.
#[test]
fn simple_format_message_limit() {
    let long = "z".repeat(70 * 1024);
    let text = format!(
        "{long}\r\nshort line\r\nlast line  $$<SMS_EXECUTIVE><01-02-2020 10:00:00.000+60><thread=1 (0x1)>\r\n"
    );
    let input = Input::new(&text, TextEncoding::Utf8, false, 0, false);
    let expected = oracle(&input, LogFormat::Simple);
    // The long line is too far from the trailer: a row of its own; the next
    // two lines form one record.
    assert_eq!(expected.len(), 2);
    assert_eq!(expected[1].start, (long.len() + 2) as u64);
    assert_eq!(expected[1].utc_adjust_minutes, 60);
    for threads in [1, 2, 4] {
        let options = build_options(threads, 4096, 8192, 512);
        let (got, _) = build(&input, LogFormat::Simple, &options, None);
        assert_eq!(got, expected, "threads {threads}");
    }
}
