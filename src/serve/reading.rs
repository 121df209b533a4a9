//! Reading a served file for a client: raw bytes from an offset (so the
//! client indexes with its own engine, [`bytes`]) and parsed records from
//! an offset for a browser ([`rows`]). A client names the file object it
//! was reading by its identity, so the rest of a log rolled over to `.lo_`
//! or deleted is still read from the handle the server kept.

use std::sync::Arc;
use std::time::Instant;

use super::api::{Answer, Api};
use super::request::Request;
use crate::document::{LogDocument, OpenOptions};
use crate::export::RowLine;
use crate::formats::{DETECT_SAMPLE_BYTES, Dialect, LogFormat, SeverityKeywords};
use crate::source::LogFile;

/// The most bytes one read answers with (a client asks again for more).
pub const MAX_READ: u64 = 4 * 1024 * 1024;
/// The most bytes of a file one `rows` answer parses.
pub const MAX_ROWS_READ: u64 = 1024 * 1024;
/// The longest message text a `rows` answer gives a record.
const MAX_ROW_TEXT: usize = 64 * 1024;

/// A served file opened for one request: the handle, and the number of
/// the file object it reads.
pub struct Served {
    /// The open file.
    pub file: Arc<LogFile>,
    /// Its identity's number.
    pub identity: u64,
}

/// Why a file could not be given to a client.
pub enum NotServed {
    /// No such file under the roots (whatever the reason).
    Missing,
    /// The file object asked for is no longer there (nor kept).
    Gone,
}

impl NotServed {
    fn answer(self) -> Answer {
        match self {
            NotServed::Missing => Answer::error(404, "no such file"),
            NotServed::Gone => Answer::error(
                410,
                "that file was replaced or deleted and is no longer kept: read it again",
            ),
        }
    }
}

/// The query value `name` as a whole number (`Ok(None)` when not given).
fn number(request: &Request, name: &str) -> Result<Option<u64>, Answer> {
    match request.query_value(name) {
        None => Ok(None),
        Some(text) => text
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Answer::error(400, &format!("{name} is a whole number"))),
    }
}

/// The query value `identity` (16 hex digits at most).
fn identity(request: &Request) -> Result<Option<u64>, Answer> {
    match request.query_value("identity") {
        None => Ok(None),
        Some(text) => u64::from_str_radix(text, 16)
            .map(Some)
            .map_err(|_| Answer::error(400, "identity is a hexadecimal number")),
    }
}

/// `GET /v1/bytes/ID?offset=&length=&identity=`.
pub fn bytes(api: &Api, id: &str, request: &Request, now: Instant) -> Answer {
    let parsed = (|| {
        Ok((
            number(request, "offset")?,
            number(request, "length")?,
            identity(request)?,
        ))
    })();
    let (offset, length, wanted) = match parsed {
        Ok(values) => values,
        Err(answer) => return answer,
    };
    let (offset, length) = (offset.unwrap_or(0), length.unwrap_or(MAX_READ));
    let served = match api.open_served(id, wanted, now) {
        Ok(served) => served,
        Err(not) => return not.answer(),
    };
    let Ok(size) = served.file.len() else {
        return NotServed::Gone.answer();
    };
    let facts = |answer: &mut Answer| {
        answer.headers.push(("X-LogWeave-Size", size.to_string()));
        answer
            .headers
            .push(("X-LogWeave-Identity", format!("{:016x}", served.identity)));
    };
    if offset > size {
        let mut answer = Answer::error(416, "offset beyond the end of the file");
        facts(&mut answer);
        return answer;
    }
    let end = offset.saturating_add(length.min(MAX_READ)).min(size);
    match served.file.read_range(offset, end) {
        Ok(body) => {
            let mut answer = Answer {
                status: 200,
                content_type: "application/octet-stream",
                headers: vec![("X-LogWeave-Offset", offset.to_string())],
                body,
            };
            facts(&mut answer);
            answer
        }
        Err(error) => Answer::error(503, &format!("reading failed: {error}")),
    }
}

/// `GET /v1/rows/ID?from=OFFSET` or `?last=BYTES`: the complete records
/// of at most [`MAX_ROWS_READ`] bytes from `from` (or from the first
/// record that starts in the last `BYTES` bytes), and where to go on.
pub fn rows(api: &Api, id: &str, request: &Request, now: Instant) -> Answer {
    let (from, last) = match (number(request, "from"), number(request, "last")) {
        (Ok(from), Ok(last)) => (from, last),
        (Err(answer), _) | (_, Err(answer)) => return answer,
    };
    let served = match api.open_served(id, None, now) {
        Ok(served) => served,
        Err(not) => return not.answer(),
    };
    let file = &served.file;
    let Ok(size) = file.len() else {
        return NotServed::Gone.answer();
    };
    let mut from = match (from, last) {
        (Some(from), _) => from,
        (None, Some(last)) => size.saturating_sub(last),
        (None, None) => 0,
    };
    if from > size {
        return Answer::json(
            416,
            &serde_json::json!({ "error": "from is beyond the end of the file", "size": size }),
        );
    }
    let end = from.saturating_add(MAX_ROWS_READ).min(size);
    // With the byte before `from`, to tell whether a record starts there.
    let Ok(mut chunk) = file.read_range(from.saturating_sub(1), end) else {
        return Answer::error(503, "reading failed");
    };
    let format = api.format_of(id, file);
    if from > 0 {
        // (A CCM record being written may show only the start of its tag.)
        let opening = &chunk.get(1..).unwrap_or_default()[..chunk.len().saturating_sub(1).min(7)];
        let at_start = chunk.first() == Some(&b'\n')
            && (format != LogFormat::Ccm || b"<![LOG[".starts_with(opening));
        chunk.remove(0);
        // A client that asked from the middle of a record (the file was
        // replaced since) is moved to the next one.
        if !at_start && !chunk.is_empty() {
            let skip = record_start(&chunk, format).unwrap_or(chunk.len());
            chunk.drain(..skip);
            from += skip as u64;
        }
    }
    let chunk_len = chunk.len() as u64;
    let doc = LogDocument::from_bytes(id, chunk, OpenOptions::default());
    doc.wait();
    let count = doc.record_count();
    let at_file_end = from + chunk_len >= size;
    // The last record may be cut by the read's end, or still being written
    // (no line break yet, or a CCM record not closed yet): it is sent in a
    // later answer, unless it alone fills a whole read.
    let last_whole = count > 0
        && at_file_end
        && doc.record_ends_with_line_break(count - 1)
        && doc
            .row(count - 1)
            .is_some_and(|row| !unfinished_ccm(&row.fields));
    let complete = match count {
        0 => 0,
        _ if last_whole => count,
        1 if !at_file_end => 1,
        _ => count - 1,
    };
    let rows = doc.rows(0..complete, Some(MAX_ROW_TEXT));
    let next = match doc.spans(complete..complete + 1).first() {
        Some(&(start, _)) => from + start,
        None => from + chunk_len,
    };
    let lines: Vec<RowLine> = rows
        .iter()
        .map(|row| RowLine::at_offset(row, from + row.offset))
        .collect();
    Answer::json(
        200,
        &serde_json::json!({
            "api": 1,
            "id": id,
            "size": size,
            "from": from,
            "next": next,
            "rows": lines,
        }),
    )
}

/// Where the first whole record starts in `chunk` (bytes from the middle
/// of a file): after the first line break, and for CCM logs at the first
/// line that opens a record.
fn record_start(chunk: &[u8], format: LogFormat) -> Option<usize> {
    let mut at = 0;
    loop {
        let line = at + memchr::memchr(b'\n', chunk.get(at..)?)? + 1;
        if format != LogFormat::Ccm || chunk[line..].starts_with(b"<![LOG[") {
            return Some(line);
        }
        at = line;
    }
}

/// A CCM record whose closing tag has not been written yet, read as a
/// plain line.
fn unfinished_ccm(fields: &crate::formats::RecordFields) -> bool {
    fields.time_text.is_none() && fields.message.starts_with("<![LOG[")
}

/// The record format of a file from its first bytes.
pub fn detect_format(file: &LogFile) -> LogFormat {
    let end = file.len().unwrap_or(0).min(DETECT_SAMPLE_BYTES as u64);
    match file.read_range(0, end) {
        Ok(sample) => Dialect::detect(&sample, &SeverityKeywords::default()).format,
        Err(_) => LogFormat::Plain,
    }
}
