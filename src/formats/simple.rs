//! The old ConfigMgr "simple" format of site-server logs:
//! `message  $$<component><MM-DD-YYYY HH:MM:SS.fff+bias><thread=N (0xN)>`.
//! A message may span lines; the record ends with the line that carries the
//! trailer.
//! Never reads a file: it is given bytes.

use super::{RecordFields, RecordMeta, SeverityRules, Shape, Step, plain};
use crate::encoding::{Marker, Scanner, TextEncoding};
use crate::model::ZoneKind;
use crate::time;

const TRAILER: &str = "$$<";
/// Lines without a trailer are joined to the next trailer line only when it
/// is this close; otherwise each is its own plain row.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

pub(super) struct SimpleSplitter {
    trailer: Marker,
    /// Last trailer search: (searched from, first valid trailer line at or after it).
    cache: Option<(usize, Option<TrailerLine>)>,
}

#[derive(Clone, Copy)]
struct TrailerLine {
    /// The `$$<`.
    at: usize,
    /// The line break after it (or the end of data).
    line_end: usize,
    /// Length of that line break.
    break_len: usize,
}

impl SimpleSplitter {
    pub(super) fn new(encoding: TextEncoding) -> SimpleSplitter {
        SimpleSplitter {
            trailer: Marker::new(encoding, TRAILER),
            cache: None,
        }
    }

    fn next_trailer(
        &mut self,
        sc: &Scanner,
        data: &[u8],
        from: usize,
        eof: usize,
    ) -> Option<TrailerLine> {
        if let Some((searched_from, hit)) = self.cache
            && searched_from <= from
            && hit.is_none_or(|h| h.at >= from)
        {
            return hit;
        }
        let mut pos = from;
        let found = loop {
            let Some(hit) = sc.find(data, pos, eof, &self.trailer) else {
                break None;
            };
            let (line_end, break_len) = sc.find_line_break(data, hit, eof).unwrap_or((eof, 0));
            let last = sc.rfind(data, hit, line_end, &self.trailer).unwrap_or(hit);
            if parse_trailer(&sc.to_utf8(&data[last..line_end])).is_some() {
                break Some(TrailerLine {
                    at: last,
                    line_end,
                    break_len,
                });
            }
            pos = line_end + break_len;
            if break_len == 0 {
                break None;
            }
        };
        self.cache = Some((from, found));
        found
    }

    pub(super) fn next(&mut self, sc: &Scanner, data: &[u8], pos: usize, eof: usize) -> Step {
        match self.next_trailer(sc, data, pos, eof) {
            Some(t) if t.at - pos <= MAX_MESSAGE_BYTES => {
                let end = t.line_end + t.break_len;
                Step {
                    end,
                    eof_dependent: end >= eof,
                    shape: Shape::Simple {
                        msg_end: t.at,
                        trailer: t.at,
                        trailer_end: t.line_end,
                    },
                }
            }
            Some(_) => plain::line(sc, data, pos, eof, None),
            None => {
                let mut step = plain::line(sc, data, pos, eof, None);
                step.eof_dependent = true;
                step
            }
        }
    }
}

struct Trailer<'a> {
    component: &'a [u8],
    datetime: &'a [u8],
    thread: &'a [u8],
}

/// Parses `$$<component><datetime><thread=...>` followed only by blanks.
fn parse_trailer(s: &[u8]) -> Option<Trailer<'_>> {
    let s = s.strip_prefix(TRAILER.as_bytes())?;
    let close = memchr::memchr(b'>', s)?;
    let component = &s[..close];
    let s = s[close + 1..].strip_prefix(b"<")?;
    let close = memchr::memchr(b'>', s)?;
    let datetime = &s[..close];
    let s = s[close + 1..].strip_prefix(b"<thread=")?;
    let close = memchr::memchr(b'>', s)?;
    let thread = &s[..close];
    s[close + 1..]
        .iter()
        .all(|b| matches!(b, b' ' | b'\t'))
        .then_some(Trailer {
            component,
            datetime,
            thread,
        })
}

/// True for a line that ends with a valid trailer (used by format detection).
pub(super) fn is_trailer_line(line: &[u8]) -> bool {
    memchr::memmem::rfind(line, TRAILER.as_bytes())
        .is_some_and(|at| parse_trailer(&line[at..]).is_some())
}

fn time_of(datetime: &[u8]) -> Option<(i64, ZoneKind, i32)> {
    let space = memchr::memchr(b' ', datetime)?;
    let days = time::parse_mdy_date(&datetime[..space])?;
    let tod = time::parse_ccm_time(&datetime[space + 1..])?;
    let (zone, adjust) = match tod.bias {
        Some(b) => (ZoneKind::Bias, b.minutes),
        None => (ZoneKind::Local, 0),
    };
    Some((time::wall_ms(days, tod.ms), zone, adjust))
}

/// Severity (keyword rule on the message), time and zone (native bias).
pub(super) fn meta(message: &[u8], trailer: &[u8], rules: &SeverityRules) -> RecordMeta {
    let severity = rules.classify(message);
    match parse_trailer(trailer).and_then(|t| time_of(t.datetime)) {
        Some((wall, zone, adjust)) => RecordMeta {
            severity,
            wall_ms: Some(wall),
            zone,
            utc_adjust_minutes: adjust,
        },
        None => RecordMeta {
            severity,
            ..RecordMeta::default()
        },
    }
}

/// All fields of a simple-format record. The `~` that the SMS tracing layer
/// puts at the start and end of messages is hidden, as CMTrace does.
pub(super) fn fields(message: &str, trailer: &str, meta: RecordMeta) -> RecordFields {
    let mut text = message.trim_end();
    text = text.strip_prefix('~').unwrap_or(text);
    text = text.trim_end_matches('~').trim_end();
    let mut fields = RecordFields {
        message: text.to_owned(),
        meta,
        ..RecordFields::default()
    };
    if let Some(t) = parse_trailer(trailer.as_bytes()) {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        fields.component = text(t.component);
        fields.time_text = Some(text(t.datetime));
        let thread = text(t.thread);
        fields.thread = thread
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::format_rfc3339_ms;

    #[test]
    fn trailer_and_fields() {
        let line = b"SQL>>>>> Done.~  $$<SMS_COLLECTION_EVALUATOR><11-30-2022 01:03:34.174-60><thread=4844 (0x12EC)>";
        assert!(is_trailer_line(line));
        assert!(!is_trailer_line(b"no trailer $$<X>"));
        let at = memchr::memmem::rfind(line, b"$$<").unwrap();
        let m = meta(&line[..at], &line[at..], &SeverityRules::default());
        assert_eq!(
            format_rfc3339_ms(m.utc_ms().unwrap()),
            "2022-11-30T00:03:34.174Z"
        );
        let f = fields(
            std::str::from_utf8(&line[..at]).unwrap(),
            std::str::from_utf8(&line[at..]).unwrap(),
            m,
        );
        assert_eq!(f.message, "SQL>>>>> Done.");
        assert_eq!(f.component, "SMS_COLLECTION_EVALUATOR");
        assert_eq!(f.thread, "4844");
        assert_eq!(f.time_text.as_deref(), Some("11-30-2022 01:03:34.174-60"));
    }
}
