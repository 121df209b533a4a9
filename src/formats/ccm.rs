//! The CMTrace / CCM record: `<![LOG[message]LOG]!><time="..." date="..." ...>`.
//! A record runs from `<![LOG[` to the first `]LOG]!>` and the attribute tag
//! after it; anything else (text between records, a truncated record) is a
//! plain line.

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

    pub(super) fn next(&mut self, sc: &Scanner, data: &[u8], pos: usize, eof: usize) -> Step {
        if !sc.starts_with(data, pos, &self.open) {
            return plain::line(sc, data, pos, eof, Some(&self.open));
        }
        let msg_start = pos + self.open.len();
        let Some(msg_end) = self.find_closer(sc, data, msg_start, eof) else {
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

#[derive(Default)]
struct TimeAttributes<'a> {
    time: Option<&'a [u8]>,
    date: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
    thread_empty: bool,
}

fn time_attributes(tag: &[u8]) -> TimeAttributes<'_> {
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

/// CCM `type`: 3 error, 2 warning, anything else information.
fn severity_of(kind: Option<&[u8]>) -> Severity {
    match kind.map(<[u8]>::trim_ascii) {
        Some(b"3") => Severity::Error,
        Some(b"2") => Severity::Warning,
        _ => Severity::Info,
    }
}

/// Severity, wall-clock time and zone of a record from its tag (UTF-8 bytes).
pub(super) fn meta(tag: &[u8], convention: BiasConvention) -> RecordMeta {
    let attrs = time_attributes(tag);
    let severity = severity_of(attrs.kind);
    let parsed = attrs
        .time
        .and_then(time::parse_ccm_time)
        .zip(attrs.date.and_then(time::parse_mdy_date));
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
mod tests {
    use super::*;
    use crate::time::format_rfc3339_ms;

    #[test]
    fn attributes_in_any_order_missing_or_empty() {
        let tag = br#"<date="10-18-2019" thread=""  type = "3" time="10:21:04.163+240">"#;
        let attrs: Vec<_> = attributes(tag).collect();
        assert_eq!(attrs.len(), 4);
        let m = meta(tag, BiasConvention::Native);
        assert_eq!(m.severity, Severity::Error);
        assert_eq!(
            format_rfc3339_ms(m.utc_ms().unwrap()),
            "2019-10-18T14:21:04.163Z"
        );
        assert_eq!(m.zone, ZoneKind::Bias);
    }

    #[test]
    fn zone_rules() {
        let native = meta(
            br#"<time="09:06:14.327+60" date="12-11-2024" thread="1">"#,
            BiasConvention::Native,
        );
        assert_eq!(
            format_rfc3339_ms(native.utc_ms().unwrap()),
            "2024-12-11T10:06:14.327Z"
        );
        let east = meta(
            br#"<time="09:06:14.327+60" date="12-11-2024" thread="1">"#,
            BiasConvention::EastPositive,
        );
        assert_eq!(
            format_rfc3339_ms(east.utc_ms().unwrap()),
            "2024-12-11T08:06:14.327Z"
        );
        assert_eq!(east.zone, ZoneKind::EastOffset);
        let glued = meta(
            br#"<time="13:45:12.12360" date="01-02-2020">"#,
            BiasConvention::Native,
        );
        assert_eq!(glued.zone, ZoneKind::EastOffset);
        assert_eq!(
            format_rfc3339_ms(glued.utc_ms().unwrap()),
            "2020-01-02T12:45:12.123Z"
        );
        let mdt = meta(
            br#"<time="16:52:13.000+000" date="12-07-2019" thread="" type="1">"#,
            BiasConvention::Native,
        );
        assert_eq!(mdt.zone, ZoneKind::Local);
        let ime = meta(
            br#"<time="04:53:16.3323547" date="9-8-2025" thread="4">"#,
            BiasConvention::Native,
        );
        assert_eq!(ime.zone, ZoneKind::Local);
        assert_eq!(
            format_rfc3339_ms(ime.utc_ms().unwrap()),
            "2025-09-08T04:53:16.332Z"
        );
        let bad = meta(
            br#"<time="xx" date="12-07-2019" type="2">"#,
            BiasConvention::Native,
        );
        assert_eq!(
            (bad.wall_ms, bad.severity, bad.zone),
            (None, Severity::Warning, ZoneKind::None)
        );
    }

    #[test]
    fn bias_convention_detection() {
        let psadt = r#"<![LOG[x]LOG]!><time="09:06:14.327+60" date="12-11-2024" component="Open-ADTSession" context="NT-AUTORITÄT\SYSTEM" type="1" thread="12472" file="C:\PSAppDeployToolkit.psm1">"#;
        assert_eq!(detect_bias_convention(psadt), BiasConvention::EastPositive);
        let cm = r#"<![LOG[x]LOG]!><time="10:21:04.163+240" date="10-18-2019" component="TSManager" context="" type="1" thread="1100" file="engine.cxx:299">"#;
        assert_eq!(detect_bias_convention(cm), BiasConvention::Native);
        assert_eq!(detect_bias_convention(""), BiasConvention::Native);
    }
}
