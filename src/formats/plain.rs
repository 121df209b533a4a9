//! Plain text: one record per line. Lines of CBS, DISM, Panther and similar
//! logs (`2023-05-17 08:24:08, Error  CSI  ...`) take their severity from the
//! level column; other lines use the keyword rule.
//! Never reads a file: it is given bytes.

use super::{RecordFields, RecordMeta, Severity, SeverityRules, Shape, Step};
use crate::encoding::{Marker, Scanner};
use crate::model::ZoneKind;
use crate::time::{self, LeadingTimestamp};

/// The line starting at `pos`. In CCM files a line also ends just before a
/// `<![LOG[` that starts a record in the middle of it (`stop_at`).
pub(super) fn line(
    sc: &Scanner,
    data: &[u8],
    pos: usize,
    eof: usize,
    stop_at: Option<&Marker>,
) -> Step {
    let (content_end, end) = match sc.find_line_break(data, pos, eof) {
        Some((at, len)) => (at, at + len),
        None => (eof, eof),
    };
    if let Some(open) = stop_at
        && let Some(hit) = sc.find(data, pos + sc.unit(), content_end, open)
    {
        return Step {
            end: hit,
            eof_dependent: false,
            shape: Shape::Plain { content_end: hit },
        };
    }
    Step {
        end,
        eof_dependent: end >= eof,
        shape: Shape::Plain { content_end },
    }
}

/// A level word of a Panther-style line and its severity.
fn level_word(word: &[u8]) -> Option<Severity> {
    // Lower-cased on the stack: no level word is longer than "information".
    let mut buf = [0u8; 11];
    let lower = buf.get_mut(..word.len())?;
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    match &*lower {
        b"info" | b"information" | b"verbose" | b"debug" | b"trace" | b"perf" | b"notice" => {
            Some(Severity::Info)
        }
        b"warning" | b"warn" => Some(Severity::Warning),
        b"error" | b"fatal" | b"critical" | b"crit" | b"err" => Some(Severity::Error),
        _ => None,
    }
}

/// What follows a leading timestamp: the level word, where it ends, and
/// whether the line looked like a level column at all.
struct Header {
    timestamp: Option<LeadingTimestamp>,
    level: Option<(Severity, usize)>,
}

fn header(line: &[u8]) -> Header {
    header_after(line, time::parse_leading_timestamp(line))
}

/// [`header`] of a line whose leading timestamp `ts` was read already.
fn header_after(line: &[u8], ts: Option<LeadingTimestamp>) -> Header {
    let Some(ts) = ts else {
        return Header {
            timestamp: None,
            level: None,
        };
    };
    let mut pos = ts.len;
    if line.get(pos) == Some(&b',') {
        pos += 1;
    }
    while matches!(line.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    let word_start = pos;
    while pos < line.len() && line[pos].is_ascii_alphabetic() {
        pos += 1;
    }
    let level = level_word(&line[word_start..pos])
        .filter(|_| matches!(line.get(pos), None | Some(b' ' | b'\t' | b':')))
        .map(|severity| (severity, pos));
    Header {
        timestamp: Some(ts),
        level,
    }
}

fn zone_of(ts: &LeadingTimestamp) -> (ZoneKind, i32) {
    match ts.offset_minutes {
        Some(offset) => (ZoneKind::EastOffset, -offset),
        None => (ZoneKind::Local, 0),
    }
}

/// The last date read, as consecutive lines mostly share it: one per pass.
#[derive(Clone, Debug, Default)]
pub(super) struct DateCache {
    /// A `YYYY-MM-DD` date and its day number.
    date: Option<([u8; 10], i64)>,
}

/// [`time::parse_leading_timestamp`] for the usual `YYYY-MM-DD HH:MM:SS`
/// with an optional `.fff` and an optional ` +HH:MM` or ` -HH:MM`, without
/// its general loops. `None` means "not this shape" (the caller then asks the
/// general parser, which also decides invalid dates and times).
fn fast_leading_timestamp(line: &[u8], cache: &mut DateCache) -> Option<LeadingTimestamp> {
    let head: &[u8; 19] = line.get(..19)?.try_into().ok()?;
    if head[4] != b'-'
        || head[7] != b'-'
        || head[10] != b' '
        || head[13] != b':'
        || head[16] != b':'
    {
        return None;
    }
    let digit = |i: usize| {
        let d = line.get(i)?.wrapping_sub(b'0');
        (d <= 9).then_some(i64::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let date: [u8; 10] = head[..10].try_into().ok()?;
    let days = match cache.date {
        Some((cached, days)) if cached == date => days,
        _ => {
            let year = two(0)? * 100 + two(2)?;
            let (month, day) = (u32::try_from(two(5)?).ok()?, u32::try_from(two(8)?).ok()?);
            let days = time::date_to_days(year, month, day)?;
            cache.date = Some((date, days));
            days
        }
    };
    let (h, m, sec) = (two(11)?, two(14)?, two(17)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut ms = (h * 3600 + m * 60 + sec.min(59)) * 1000;
    let mut pos = 19;
    match line.get(pos) {
        Some(b'.') if line.get(pos + 1).is_some_and(u8::is_ascii_digit) => {
            if line.get(pos + 4).is_some_and(u8::is_ascii_digit) {
                return None;
            }
            ms += digit(pos + 1)? * 100 + two(pos + 2)?;
            pos += 4;
        }
        Some(b',' | b':') => return None,
        _ => {}
    }
    let p = if line.get(pos) == Some(&b' ') {
        pos + 1
    } else {
        pos
    };
    let (offset_minutes, len) = match line.get(p) {
        Some(b'Z') => return None,
        Some(&sign @ (b'+' | b'-')) => {
            let (hh, mm) = (two(p + 1)?, two(p + 4)?);
            if line.get(p + 3) != Some(&b':')
                || hh > 14
                || mm > 59
                || line.get(p + 6).is_some_and(u8::is_ascii_digit)
            {
                return None;
            }
            let minutes = i32::try_from(hh * 60 + mm).ok()?;
            (Some(if sign == b'-' { -minutes } else { minutes }), p + 6)
        }
        _ => (None, pos),
    };
    Some(LeadingTimestamp {
        wall_ms: time::wall_ms(days, ms),
        offset_minutes,
        len,
    })
}

/// Severity, time and zone of a plain line (UTF-8 bytes).
#[cfg(test)]
pub(super) fn meta(line: &[u8], rules: &SeverityRules) -> RecordMeta {
    meta_cached(line, rules, &mut DateCache::default())
}

/// `meta` (tests only) with the date of the previous lines remembered.
pub(super) fn meta_cached(line: &[u8], rules: &SeverityRules, cache: &mut DateCache) -> RecordMeta {
    let ts = fast_leading_timestamp(line, cache).or_else(|| time::parse_leading_timestamp(line));
    let head = header_after(line, ts);
    let severity = match head.level {
        Some((severity, _)) => severity,
        None => rules.classify(line),
    };
    match head.timestamp {
        Some(ts) => {
            let (zone, utc_adjust_minutes) = zone_of(&ts);
            RecordMeta {
                severity,
                wall_ms: Some(ts.wall_ms),
                zone,
                utc_adjust_minutes,
            }
        }
        None => RecordMeta {
            severity,
            ..RecordMeta::default()
        },
    }
}

/// All fields of a plain line: the whole line is the message (as CMTrace
/// shows it); the timestamp, component and thread are picked out when the
/// line has a recognisable header.
pub(super) fn fields(line: String, meta: RecordMeta) -> RecordFields {
    let head = header(line.as_bytes());
    let mut fields = RecordFields {
        meta,
        ..RecordFields::default()
    };
    if let Some(ts) = head.timestamp {
        fields.time_text = Some(line[..ts.len].to_owned());
        let after = head.level.map_or(ts.len, |(_, end)| end);
        let rest = &line[after..];
        let trimmed = rest.trim_start();
        if let Some(inner) = trimmed.strip_prefix('[') {
            // `[Component] (thread) message`
            if let Some(close) = inner.find(']') {
                fields.component = inner[..close].to_owned();
                let tail = inner[close + 1..].trim_start();
                if let Some(thread) = tail.strip_prefix('(').and_then(|t| t.split_once(')')) {
                    fields.thread = thread.0.to_owned();
                }
            }
        } else if head.level.is_some() && rest.starts_with("  ") {
            // Panther column layout: `Info                  CBS    message`
            if let Some(word) = trimmed.split_whitespace().next()
                && word.len() <= 16
                && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                fields.component = word.to_owned();
            }
            if let Some(tid) = trimmed
                .split_whitespace()
                .find_map(|w| w.strip_prefix("TID="))
            {
                fields.thread = tid.to_owned();
            }
        }
    }
    fields.message = line;
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix of timestamped lines (each length the fast reader's
    /// fixed offsets could trip on): no panic, and the same answer as the
    /// general parser whenever the fast one answers.
    #[test]
    fn fast_timestamps_at_every_length() {
        for line in [
            "2026-11-24 08:55:51.081 +08:00 WARN  [TSManager] x",
            "2026-11-24 08:55:51 -05:30",
            "2026-11-24 08:55:51,081 Info",
            "2026-11-24 08:55:51.0812 Z",
        ] {
            for len in 0..=line.len() {
                let prefix = &line.as_bytes()[..len];
                if let Some(fast) = fast_leading_timestamp(prefix, &mut DateCache::default()) {
                    assert_eq!(
                        Some(fast),
                        time::parse_leading_timestamp(prefix),
                        "{len}: {line}"
                    );
                }
                let _ = meta(prefix, &SeverityRules::default());
            }
        }
    }

    #[test]
    fn fast_timestamps_read_like_the_general_parser() {
        let mut cache = DateCache::default();
        let lines = [
            "2026-11-24 08:55:51.081 +08:00 WARN  [TSManager] x",
            "2026-11-24 08:55:51.081 -05:30 INFO",
            "2026-11-24 08:55:51.081+08:00 x",
            "2026-11-24 08:55:51.081 +15:00 x",
            "2026-11-24 08:55:51.081 +08:60 x",
            "2026-11-24 08:55:51.081 +08:001 x",
            "2026-11-24 08:55:51.081 +0800 x",
            "2026-11-24 08:55:51.081 +08:0",
            "2026-11-24 08:55:51.081 +08:",
            "2026-11-24 08:55:51.081 +0",
            "2026-11-24 08:55:51.081 Z x",
            "2026-11-24 08:55:51.081Z",
            "2026-11-24 08:55:51.0812 x",
            "2026-11-24 08:55:51.08 x",
            "2026-11-24 08:55:51. x",
            "2026-11-24 08:55:51,081 x",
            "2026-11-24 08:55:51:081 x",
            "2026-11-24 08:55:51",
            "2026-11-24 08:55:51, Info CSI",
            "2026-11-24T08:55:51.081Z",
            "2026/11/24 08:55:51.0810000",
            "2026-02-29 08:55:51.081",
            "2024-02-29 08:55:51.081",
            "2026-11-24 24:55:51.081",
            "2026-11-24 08:55:60.999",
            "2026-11-24 8:55:51.081",
            "2026-11-2408:55:51.081",
            "   continuation line",
            "",
        ];
        for line in lines {
            // Twice: the second time the date comes from the cache.
            for _ in 0..2 {
                if let Some(fast) = fast_leading_timestamp(line.as_bytes(), &mut cache) {
                    assert_eq!(
                        Some(fast),
                        time::parse_leading_timestamp(line.as_bytes()),
                        "{line}"
                    );
                }
                let rules = SeverityRules::default();
                let general = {
                    let head = header(line.as_bytes());
                    (head.timestamp, head.level)
                };
                let ts = fast_leading_timestamp(line.as_bytes(), &mut cache)
                    .or_else(|| time::parse_leading_timestamp(line.as_bytes()));
                let fast = header_after(line.as_bytes(), ts);
                assert_eq!((fast.timestamp, fast.level), general, "{line}");
                assert_eq!(
                    meta_cached(line.as_bytes(), &rules, &mut cache),
                    meta(line.as_bytes(), &rules)
                );
            }
        }
        assert!(fast_leading_timestamp(lines[0].as_bytes(), &mut cache).is_some());
    }
    use crate::time::format_rfc3339_ms;

    #[test]
    fn level_column_beats_keywords() {
        let rules = SeverityRules::default();
        let info = meta(
            b"2023-05-17 08:24:08, Info                  SYSPRP Error = 0",
            &rules,
        );
        assert_eq!(info.severity, Severity::Info);
        let err = meta(
            b"2023-05-17 08:44:13, Error                 CSI    00000009 (F) x",
            &rules,
        );
        assert_eq!(err.severity, Severity::Error);
        assert_eq!(
            format_rfc3339_ms(err.wall_ms.unwrap()),
            "2023-05-17T08:44:13.000Z"
        );
        assert_eq!(err.zone, ZoneKind::Local);
        let warn = meta(
            b"2026-11-24 08:55:51.081 +08:00 WARN  [TSManager] (7764) Unable",
            &rules,
        );
        assert_eq!(
            (warn.severity, warn.zone, warn.utc_adjust_minutes),
            (Severity::Warning, ZoneKind::EastOffset, -480)
        );
        assert_eq!(
            meta(b"Setup error happened", &rules).severity,
            Severity::Error
        );
        assert_eq!(
            meta(b"MSI (s) (74:A8) [12:44:33:444]: Note: 1: 1708", &rules).severity,
            Severity::Info
        );
    }

    #[test]
    fn picks_out_component_and_thread() {
        let f = fields(
            "2026-11-24 08:55:51.081 +08:00 WARN  [TSManager] (7764) Unable".into(),
            RecordMeta::default(),
        );
        assert_eq!(
            (f.component.as_str(), f.thread.as_str()),
            ("TSManager", "7764")
        );
        assert_eq!(
            f.time_text.as_deref(),
            Some("2026-11-24 08:55:51.081 +08:00")
        );
        let f = fields(
            "2023-05-17 08:32:31, Warning               DISM   PID=7092 TID=5908 Failed".into(),
            RecordMeta::default(),
        );
        assert_eq!((f.component.as_str(), f.thread.as_str()), ("DISM", "5908"));
        let f = fields("just text".into(), RecordMeta::default());
        assert_eq!((f.message.as_str(), f.time_text), ("just text", None));
    }
}
