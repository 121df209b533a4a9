//! The CMTrace / CCM record: `<![LOG[message]LOG]!><time="..." date="..." ...>`.
//! A record runs from `<![LOG[` to the first `]LOG]!>` and the attribute tag
//! after it; anything else (text between records, a truncated record) is a
//! plain line.
//! Never keeps state between files and never reads a file: it is given bytes.

use std::ops::Range;

use super::{BiasConvention, RecordFields, RecordMeta, Shape, Step, plain};
use crate::encoding::{Marker, Scanner, TextEncoding};
use crate::model::{Severity, ZoneKind};
use crate::time;

pub(super) const OPEN: &str = "<![LOG[";
const CLOSE: &str = "]LOG]!>";

pub(super) struct CcmSplitter {
    open: Marker,
    close: Marker,
    /// Last closer search: (searched from, first hit at or after it).
    closer_cache: Option<(usize, Option<usize>)>,
}

impl CcmSplitter {
    pub(super) fn new(encoding: TextEncoding) -> CcmSplitter {
        CcmSplitter {
            open: Marker::new(encoding, OPEN),
            close: Marker::new(encoding, CLOSE),
            closer_cache: None,
        }
    }

    fn find_closer(&mut self, sc: &Scanner, data: &[u8], from: usize, eof: usize) -> Option<usize> {
        if let Some((searched_from, hit)) = self.closer_cache
            && searched_from <= from
            && hit.is_none_or(|h| h >= from)
        {
            return hit;
        }
        let hit = sc.find(data, from, eof, &self.close);
        self.closer_cache = Some((from, hit));
        hit
    }

    /// [`next`](Self::next) and [`meta_cached`] in one pass over the bytes,
    /// for the common case only: one byte per code unit (UTF-8, ANSI) and a
    /// complete record whose tag has the shape [`canonical_tag`] reads.
    /// `None` otherwise; the caller then takes the general path, which gives
    /// the same step and meta for the records this one accepts.
    pub(super) fn next_with_meta(
        &mut self,
        sc: &Scanner,
        data: &[u8],
        pos: usize,
        eof: usize,
        convention: BiasConvention,
        cache: &mut TimeCache,
    ) -> Option<(Step, RecordMeta)> {
        const OPEN_WORD: u64 = u64::from_le_bytes(*b"<![LOG[\0");
        debug_assert_eq!(sc.unit(), 1);
        // `<![LOG[` is seven bytes: compare a word without its last byte.
        if pos + 8 > eof.min(data.len()) || word(data, pos) & 0x00FF_FFFF_FFFF_FFFF != OPEN_WORD {
            return None;
        }
        let msg_start = pos + OPEN.len();
        let msg_end = match closer_in_words(data, msg_start, eof) {
            Some(hit) => hit,
            None => self.find_closer(sc, data, msg_start, eof)?,
        };
        let tag_start = msg_end + self.close.len();
        let tag = data.get(tag_start..eof)?;
        let found = canonical_tag(tag)?;
        let tag_end = tag_start + found.len;
        let step = ccm_step(sc, data, eof, [msg_start, msg_end, tag_start, tag_end]);
        Some((step, meta_of(found.attributes(tag), convention, cache)))
    }

    pub(super) fn next(&mut self, sc: &Scanner, data: &[u8], pos: usize, eof: usize) -> Step {
        if !sc.starts_with(data, pos, &self.open) {
            return plain::line(sc, data, pos, eof, Some(&self.open));
        }
        let msg_start = pos + self.open.len();
        let in_words = (sc.unit() == 1)
            .then(|| closer_in_words(data, msg_start, eof))
            .flatten();
        let Some(msg_end) = in_words.or_else(|| self.find_closer(sc, data, msg_start, eof)) else {
            // Truncated record (or one still being written): a plain line for now.
            let mut step = plain::line(sc, data, pos, eof, Some(&self.open));
            step.eof_dependent = true;
            return step;
        };
        let tag_start = msg_end + self.close.len();
        let tag_end = match sc.ascii_at(data, tag_start) {
            Some(b'<') => tag_close(sc, data, tag_start, eof),
            _ => TagEnd::Missing {
                at_eof: tag_start >= eof,
            },
        };
        match tag_end {
            TagEnd::Found(tag_end) => {
                ccm_step(sc, data, eof, [msg_start, msg_end, tag_start, tag_end])
            }
            TagEnd::Missing { at_eof } => {
                let mut step = plain::line(sc, data, pos, eof, Some(&self.open));
                step.eof_dependent |= at_eof;
                step
            }
        }
    }
}

enum TagEnd {
    /// Just after the closing `>`.
    Found(usize),
    /// No `>` before the end of the line; `at_eof` when that line runs to the
    /// end of the data (more bytes could complete it).
    Missing { at_eof: bool },
}

/// Finds the `>` that closes the tag starting at `tag_start`, on the same line.
fn tag_close(sc: &Scanner, data: &[u8], tag_start: usize, eof: usize) -> TagEnd {
    let from = tag_start + sc.unit();
    if sc.unit() == 1 {
        return match memchr::memchr3(b'>', b'\r', b'\n', &data[from..eof]) {
            Some(i) if data[from + i] == b'>' => TagEnd::Found(from + i + 1),
            Some(_) => TagEnd::Missing { at_eof: false },
            None => TagEnd::Missing { at_eof: true },
        };
    }
    let line_end = sc.find_line_break(data, from, eof).map(|(at, _)| at);
    let mut pos = from;
    while pos + sc.unit() <= line_end.unwrap_or(eof) {
        if sc.ascii_at(data, pos) == Some(b'>') {
            return TagEnd::Found(pos + sc.unit());
        }
        pos += sc.unit();
    }
    TagEnd::Missing {
        at_eof: line_end.is_none(),
    }
}

/// First line start at or after `from` that opens a CCM record.
pub(super) fn sync_point(sc: &Scanner, data: &[u8], from: usize, eof: usize) -> usize {
    let open = Marker::new(sc.encoding(), OPEN);
    let mut pos = from;
    while let Some(hit) = sc.find(data, pos, eof, &open) {
        let prev = hit
            .checked_sub(sc.unit())
            .and_then(|p| sc.ascii_at(data, p));
        if matches!(prev, Some(b'\n' | b'\r')) {
            return hit;
        }
        pos = hit + sc.unit();
    }
    eof
}

/// `key="value"` pairs of a tag, in any order; stops at the first malformed pair.
pub(crate) fn attributes(tag: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut pos = usize::from(tag.first() == Some(&b'<'));
    std::iter::from_fn(move || {
        while pos < tag.len() && tag[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let key_start = pos;
        while pos < tag.len() && (tag[pos].is_ascii_alphanumeric() || tag[pos] == b'_') {
            pos += 1;
        }
        let key = &tag[key_start..pos];
        while pos < tag.len() && tag[pos] == b' ' {
            pos += 1;
        }
        if key.is_empty() || tag.get(pos) != Some(&b'=') {
            return None;
        }
        pos += 1;
        while pos < tag.len() && tag[pos] == b' ' {
            pos += 1;
        }
        if tag.get(pos) != Some(&b'"') {
            return None;
        }
        let value_start = pos + 1;
        let value_len = memchr::memchr(b'"', &tag[value_start..])?;
        pos = value_start + value_len + 1;
        Some((key, &tag[value_start..value_start + value_len]))
    })
}

#[derive(Debug, Default, PartialEq, Eq)]
struct TimeAttributes<'a> {
    time: Option<&'a [u8]>,
    date: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
    thread_empty: bool,
}

fn time_attributes(tag: &[u8]) -> TimeAttributes<'_> {
    canonical_time_attributes(tag).unwrap_or_else(|| general_time_attributes(tag))
}

/// The attributes the index needs, from any tag, through [`attributes`].
fn general_time_attributes(tag: &[u8]) -> TimeAttributes<'_> {
    let mut found = TimeAttributes {
        thread_empty: true,
        ..TimeAttributes::default()
    };
    for (key, value) in attributes(tag) {
        match key {
            b"time" => found.time = Some(value),
            b"date" => found.date = Some(value),
            b"type" => found.kind = Some(value),
            b"thread" => found.thread_empty = value.trim_ascii().is_empty(),
            _ => {}
        }
    }
    found
}

/// A complete CCM record: message and tag bounds, ending after the line
/// break that follows the tag (if any).
fn ccm_step(sc: &Scanner, data: &[u8], eof: usize, bounds: [usize; 4]) -> Step {
    let [msg_start, msg_end, tag_start, tag_end] = bounds;
    let end = tag_end + sc.line_break_at(data, tag_end, eof);
    Step {
        end,
        eof_dependent: end >= eof,
        shape: Shape::Ccm {
            msg_start,
            msg_end,
            tag_start,
            tag_end,
        },
    }
}

/// The eight bytes at `at` as a little-endian word. Every caller checks
/// `at + 8 <= s.len()` first (a loop bound or an explicit length test, so
/// the compiler drops this slice's own check: 10% of the index build when it
/// could not); [`word_near_end`] reads the last, partial word. The tests
/// call every reader at every length and offset.
#[inline]
fn word(s: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default())
}

/// [`word`] within eight bytes of the end (or past it): NUL-padded.
#[cold]
#[inline(never)]
fn word_near_end(s: &[u8], at: usize) -> u64 {
    let mut padded = [0u8; 8];
    let rest = s.get(at..).unwrap_or_default();
    padded[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
    u64::from_le_bytes(padded)
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// High bit set in each byte of `w` equal to `byte`; the lowest set bit is
/// exact, and every match is marked (borrows can only add marks on bytes
/// above a true match).
fn bytes_equal(w: u64, byte: u8) -> u64 {
    let x = w ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & (ONES << 7)
}

/// High bit set in each byte of `w` below `limit` (at most 128), with the
/// same exact lowest bit.
fn bytes_below(w: u64, limit: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(limit)) & !w & (ONES << 7)
}

/// The first `"` at or after `at` in `s`, if no `>` and no control
/// character (CR, LF, tab...) comes before it. Reads a word at a time: whole
/// words while they fit (the loop bound lets the compiler drop the bounds
/// check), then one last word padded with NULs, which stop the search like
/// any control character.
fn clean_quote(s: &[u8], mut at: usize) -> Option<usize> {
    /// What one word says: `Some(Some(i))` a clean quote at byte `i`,
    /// `Some(None)` a bad byte first, `None` neither.
    fn scan(w: u64) -> Option<Option<usize>> {
        let quote = bytes_equal(w, b'"');
        let bad = bytes_equal(w, b'>') | bytes_below(w, b' ');
        if quote != 0 {
            // All bits below the first quote: a bad byte there came first.
            let before = (quote & quote.wrapping_neg()) - 1;
            return Some((bad & before == 0).then_some((quote.trailing_zeros() / 8) as usize));
        }
        (bad != 0).then_some(None)
    }
    while at + 8 <= s.len() {
        if let Some(found) = scan(word(s, at)) {
            return found.map(|i| at + i);
        }
        at += 8;
    }
    if at < s.len() {
        return scan(word_near_end(s, at)).flatten().map(|i| at + i);
    }
    None
}

/// After the value that closes at `close`: `sep` (8 to 16 bytes, from that
/// quote to the next opening one) must follow; returns the next value's
/// range (up to its closing quote).
#[inline]
fn next_value(s: &[u8], close: usize, sep: &[u8]) -> Option<Range<usize>> {
    let n = sep.len();
    debug_assert!((8..=16).contains(&n));
    // Two overlapping words compare the separator without a call.
    if close + n > s.len()
        || word(s, close) != word(sep, 0)
        || word(s, close + n - 8) != word(sep, n - 8)
    {
        return None;
    }
    let start = close + n;
    Some(start..clean_quote(s, start)?)
}

/// How far [`closer_in_words`] looks before handing over to a substring search.
const WORD_SEARCH_BYTES: usize = 4096;

/// The first `]LOG]!>` at or after `from` that ends by `eof`, looking for
/// its `]` a word at a time (messages are short; a general substring search
/// costs more to set up than this loop takes). `None` when none is found in
/// the next [`WORD_SEARCH_BYTES`] or up to the last few bytes before `eof`:
/// the caller then searches the usual way (whose result is cached, so a run
/// of lines without a closer is not scanned again for each).
fn closer_in_words(data: &[u8], from: usize, eof: usize) -> Option<usize> {
    const CLOSE_WORD: u64 = u64::from_le_bytes(*b"]LOG]!>\0");
    let eof = eof
        .min(data.len())
        .min(from.saturating_add(WORD_SEARCH_BYTES));
    let mut at = from;
    // Room to read a whole word at any `]` of the current word.
    while at + 16 <= eof {
        // Every `]` is flagged (and maybe a few other bytes above one): all checked.
        let mut candidates = bytes_equal(word(data, at), b']');
        while candidates != 0 {
            let hit = at + (candidates.trailing_zeros() / 8) as usize;
            if word(data, hit) & 0x00FF_FFFF_FFFF_FFFF == CLOSE_WORD {
                return Some(hit);
            }
            candidates &= candidates - 1;
        }
        at += 8;
    }
    None
}

/// Where the values of a canonical tag are (see [`canonical_tag`]).
struct CanonicalTag {
    time: Range<usize>,
    date: Range<usize>,
    kind: Range<usize>,
    thread: Range<usize>,
    /// Bytes from the `<` through the closing `>`.
    len: usize,
}

impl CanonicalTag {
    fn attributes<'a>(&self, tag: &'a [u8]) -> TimeAttributes<'a> {
        TimeAttributes {
            time: Some(&tag[self.time.clone()]),
            date: Some(&tag[self.date.clone()]),
            kind: Some(&tag[self.kind.clone()]),
            thread_empty: tag[self.thread.clone()].trim_ascii().is_empty(),
        }
    }
}

/// Reads the tag at the start of `s` if it has exactly the shape ConfigMgr
/// writes, `<time="…" date="…" component="…" context="…" type="…"
/// thread="…" file="…">`, with no `>` or control character (CR, LF...)
/// inside the values. Such a tag ends at the first `>` after its `<` (as
/// [`tag_close`] finds it), and the general attribute loop reads exactly
/// these seven pairs from it, so the two paths agree; `None` sends every
/// other tag to the general path. `s` may end right after the tag or run on.
///
/// It walks from quote to quote a word at a time rather than byte by byte;
/// every read goes through [`word`] or `get`, so no length of `s` can make
/// it index out of range.
fn canonical_tag(s: &[u8]) -> Option<CanonicalTag> {
    const OPEN: u64 = u64::from_le_bytes(*b"<time=\"\0");
    if s.len() < 8 || word(s, 0) & 0x00FF_FFFF_FFFF_FFFF != OPEN {
        return None;
    }
    let time = 7..clean_quote(s, 7)?;
    let date = next_value(s, time.end, b"\" date=\"")?;
    let component = next_value(s, date.end, b"\" component=\"")?;
    let context = next_value(s, component.end, b"\" context=\"")?;
    let kind = next_value(s, context.end, b"\" type=\"")?;
    let thread = next_value(s, kind.end, b"\" thread=\"")?;
    let file = next_value(s, thread.end, b"\" file=\"")?;
    let gt = file.end + 1;
    (s.get(gt) == Some(&b'>')).then_some(CanonicalTag {
        time,
        date,
        kind,
        thread,
        len: gt + 1,
    })
}

/// The attributes of a whole tag (`<` to `>`) through [`canonical_tag`].
/// Any length: `canonical_tag` reads the tag itself, no copy or buffer.
fn canonical_time_attributes(tag: &[u8]) -> Option<TimeAttributes<'_>> {
    let found = canonical_tag(tag)?;
    (found.len == tag.len()).then(|| found.attributes(tag))
}

/// The last date and time of day read, as consecutive records mostly share
/// them: one per pass, like a splitter.
#[derive(Clone, Debug, Default)]
pub(super) struct TimeCache {
    /// A `MM-DD-YYYY` date and its day number.
    date: Option<([u8; 10], i64)>,
    /// An `HH:MM:SS` word and its milliseconds.
    hms: Option<(u64, i64)>,
}

/// Milliseconds of `HH:MM:SS` in a word, as [`time::parse_ccm_time`] reads
/// two-digit fields; `None` if it is not that.
fn hms_word(w: u64) -> Option<i64> {
    let b = w.to_le_bytes();
    if b[2] != b':' || b[5] != b':' {
        return None;
    }
    let d = |i: usize| b[i].wrapping_sub(b'0');
    let digits = [d(0), d(1), d(3), d(4), d(6), d(7)];
    if digits.iter().any(|&x| x > 9) {
        return None;
    }
    let two = |i: usize| i64::from(digits[i]) * 10 + i64::from(digits[i + 1]);
    let (h, m, s) = (two(0), two(2), two(4));
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h * 3600 + m * 60 + s.min(59)) * 1000)
}

/// [`time::parse_ccm_time`] for the usual `HH:MM:SS.fff` with an optional
/// signed bias of one to five digits, without its general loops; `None` means
/// "not this shape" (the caller then asks the general parser).
fn fast_ccm_time(v: &[u8], cache: &mut TimeCache) -> Option<time::TimeOfDay> {
    if v.len() < 12 || v[8] != b'.' {
        return None;
    }
    let w = word(v, 0);
    let hms = match cache.hms {
        Some((cached, ms)) if cached == w => ms,
        _ => {
            let ms = hms_word(w)?;
            cache.hms = Some((w, ms));
            ms
        }
    };
    let f = [v[9], v[10], v[11]].map(|b| b.wrapping_sub(b'0'));
    if f.iter().any(|&x| x > 9) {
        return None;
    }
    let ms = hms + i64::from(f[0]) * 100 + i64::from(f[1]) * 10 + i64::from(f[2]);
    let bias = match v.get(12) {
        None => None,
        Some(&sign @ (b'+' | b'-')) => {
            let digits = &v[13..];
            if digits.is_empty() || digits.len() > 5 {
                return None;
            }
            let mut value = 0i32;
            for &b in digits {
                let d = b.wrapping_sub(b'0');
                if d > 9 {
                    return None;
                }
                value = value * 10 + i32::from(d);
            }
            if value > time::MAX_BIAS_MINUTES {
                return None;
            }
            let minutes = if sign == b'-' { -value } else { value };
            Some(time::WrittenBias {
                minutes,
                glued: false,
            })
        }
        Some(_) => return None,
    };
    Some(time::TimeOfDay { ms, bias })
}

/// [`time::parse_mdy_date`] for the usual `MM-DD-YYYY`; `None` means "not
/// this shape or not a date" (the caller then asks the general parser).
fn fast_mdy_date(v: &[u8], cache: &mut TimeCache) -> Option<i64> {
    let v: [u8; 10] = v.try_into().ok()?;
    if let Some((cached, days)) = cache.date
        && cached == v
    {
        return Some(days);
    }
    if v[2] != b'-' || v[5] != b'-' {
        return None;
    }
    let d = |i: usize| v[i].wrapping_sub(b'0');
    let digits = [d(0), d(1), d(3), d(4), d(6), d(7), d(8), d(9)];
    if digits.iter().any(|&x| x > 9) {
        return None;
    }
    let month = u32::from(digits[0]) * 10 + u32::from(digits[1]);
    let day = u32::from(digits[2]) * 10 + u32::from(digits[3]);
    let year = digits[4..]
        .iter()
        .fold(0i64, |acc, &x| acc * 10 + i64::from(x));
    let days = time::date_to_days(year, month, day)?;
    cache.date = Some((v, days));
    Some(days)
}

/// CCM `type`: 3 error, 2 warning, anything else information.
fn severity_of(kind: Option<&[u8]>) -> Severity {
    match kind.map(<[u8]>::trim_ascii) {
        Some(b"3") => Severity::Error,
        Some(b"2") => Severity::Warning,
        _ => Severity::Info,
    }
}

/// Severity, wall-clock time and zone of a record from its tag (UTF-8 bytes).
#[cfg(test)]
pub(super) fn meta(tag: &[u8], convention: BiasConvention) -> RecordMeta {
    meta_cached(tag, convention, &mut TimeCache::default())
}

/// `meta` (tests only) with the dates and times of the previous records remembered.
pub(super) fn meta_cached(
    tag: &[u8],
    convention: BiasConvention,
    cache: &mut TimeCache,
) -> RecordMeta {
    meta_of(time_attributes(tag), convention, cache)
}

/// Severity, wall-clock time and zone from the attributes of a tag.
fn meta_of(
    attrs: TimeAttributes<'_>,
    convention: BiasConvention,
    cache: &mut TimeCache,
) -> RecordMeta {
    let severity = severity_of(attrs.kind);
    let parsed = attrs
        .time
        .and_then(|v| fast_ccm_time(v, cache).or_else(|| time::parse_ccm_time(v)))
        .zip(
            attrs
                .date
                .and_then(|v| fast_mdy_date(v, cache).or_else(|| time::parse_mdy_date(v))),
        );
    let Some((tod, days)) = parsed else {
        return RecordMeta {
            severity,
            ..RecordMeta::default()
        };
    };
    let (zone, utc_adjust_minutes) = match tod.bias {
        None => (ZoneKind::Local, 0),
        Some(b) if b.glued || convention == BiasConvention::EastPositive => {
            (ZoneKind::EastOffset, -b.minutes)
        }
        // MDT's ZTIUtility writes a constant `+000` and an empty thread: plain local time.
        Some(b) if b.minutes == 0 && attrs.thread_empty => (ZoneKind::Local, 0),
        Some(b) => (ZoneKind::Bias, b.minutes),
    };
    RecordMeta {
        severity,
        wall_ms: Some(time::wall_ms(days, tod.ms)),
        zone,
        utc_adjust_minutes,
    }
}

/// All fields of a CCM record.
pub(super) fn fields(message: String, tag: &str, meta: RecordMeta) -> RecordFields {
    let mut fields = RecordFields {
        message,
        meta,
        ..RecordFields::default()
    };
    let (mut time, mut date) = ("", "");
    for (key, value) in attributes(tag.as_bytes()) {
        // The tag is valid UTF-8 and keys/quotes are ASCII, so values are too.
        let value = std::str::from_utf8(value).unwrap_or_default();
        match key {
            b"time" => time = value,
            b"date" => date = value,
            b"component" => fields.component = value.to_owned(),
            b"context" => fields.context = value.to_owned(),
            b"thread" => fields.thread = value.to_owned(),
            b"file" => fields.source_file = value.to_owned(),
            _ => {}
        }
    }
    if !time.is_empty() || !date.is_empty() {
        fields.time_text = Some(format!("{date} {time}").trim().to_owned());
    }
    fields
}

/// Decides from the first records whether the writer signs biases like
/// ConfigMgr or east-positive like PSADT and PowerShell writers: a bias glued
/// to the milliseconds (PSADT v3), a PowerShell source file (`.ps1`,
/// `.psm1`), or a user name in `context` (PSADT writes the caller) mark an
/// east-positive writer; C++ source files (`engine.cxx:299`) mark a native
/// one. Native wins a tie, as it is CMTrace's own convention.
pub(super) fn detect_bias_convention(text: &str) -> BiasConvention {
    let (mut native, mut east) = (0usize, 0usize);
    let mut rest = text;
    for _ in 0..200 {
        let Some(at) = rest.find("]LOG]!><") else {
            break;
        };
        let tag_from = at + CLOSE.len();
        let tag_len = rest[tag_from..]
            .find('>')
            .map_or(rest.len() - tag_from, |n| n + 1);
        let tag = &rest[tag_from..tag_from + tag_len];
        for (key, value) in attributes(tag.as_bytes()) {
            let value = String::from_utf8_lossy(value).to_ascii_lowercase();
            match key {
                b"time"
                    if time::parse_ccm_time(value.as_bytes())
                        .is_some_and(|t| t.bias.is_some_and(|b| b.glued)) =>
                {
                    east += 1;
                }
                b"file"
                    if [".ps1", ".psm1", ".psd1"]
                        .iter()
                        .any(|ext| value.ends_with(ext)) =>
                {
                    east += 1
                }
                b"file"
                    if [".cpp", ".cxx", ".c:", ".cpp:", ".cxx:", ".h:"]
                        .iter()
                        .any(|ext| value.contains(ext)) =>
                {
                    native += 1;
                }
                b"context" if !value.trim().is_empty() => east += 1,
                _ => {}
            }
        }
        rest = &rest[tag_from + tag_len..];
    }
    if east > native {
        BiasConvention::EastPositive
    } else {
        BiasConvention::Native
    }
}

#[cfg(test)]
mod tests;
