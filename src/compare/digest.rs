//! Records reduced to what a comparison needs ([`RecordDigest`]): a key
//! hashed from the component and the normalised first line of the message
//! ([`normalise`]), the wall clock and the severity, read from a document in
//! parallel batches ([`digest_document`]). Never aligns anything: the
//! aligners get the digests made here.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::Cancelled;
use crate::document::{LogDocument, Row};
use crate::jobs::JobContext;
use crate::model::Severity;

/// Records are read this many at a time.
const BATCH: usize = 4096;

/// Bytes of a record read for its normalised first line.
const READ_LIMIT: usize = 4096;

/// A record reduced to what the comparison needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordDigest {
    /// Hash of the component and the normalised first line of the message.
    pub key: u64,
    /// Wall clock as written, ms since 1970.
    pub wall_ms: Option<i64>,
    /// Severity.
    pub severity: Severity,
}

impl RecordDigest {
    /// The digest of a record with these fields.
    pub fn new(
        component: &str,
        message: &str,
        wall_ms: Option<i64>,
        severity: Severity,
    ) -> RecordDigest {
        let mut h = DefaultHasher::new();
        component.hash(&mut h);
        normalise(message).hash(&mut h);
        RecordDigest {
            key: h.finish(),
            wall_ms,
            severity,
        }
    }

    /// The digest of a row.
    pub fn of_row(row: &Row) -> RecordDigest {
        RecordDigest::new(
            &row.fields.component,
            &row.fields.message,
            row.fields.meta.wall_ms,
            row.severity(),
        )
    }
}

/// True when a masked run may start at `i`: not inside a word.
fn word_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || !bytes[i - 1].is_ascii_alphanumeric()
}

/// A message with what differs between runs masked: its first line only,
/// with paths (`C:\…`, `X:\…`, `\\server\…`, up to a space, quote, bracket,
/// comma or semicolon) as `<path>`, and numbers — decimal, `0x` hex, hex
/// runs with a digit, GUIDs, so times, dates, pointers, sizes, thread ids
/// and codes — as `#`. Words that happen to be hex letters (`Deadline`) stay.
pub fn normalise(message: &str) -> String {
    let line = message.split(['\r', '\n']).next().unwrap_or("");
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let drive = b.is_ascii_alphabetic()
            && bytes.get(i + 1) == Some(&b':')
            && bytes.get(i + 2) == Some(&b'\\')
            && word_start(bytes, i);
        let unc = b == b'\\' && bytes.get(i + 1) == Some(&b'\\');
        if drive || unc {
            while i < bytes.len()
                && !matches!(bytes[i], b' ' | b'"' | b'\'' | b')' | b']' | b',' | b';')
            {
                i += 1;
            }
            out.push_str("<path>");
            continue;
        }
        if b == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X')) && word_start(bytes, i) {
            i += 2;
            while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                i += 1;
            }
            out.push('#');
            continue;
        }
        if b.is_ascii_hexdigit() {
            // A run of hex digits and inner dashes with at least one decimal
            // digit: numbers, GUIDs, hex codes without `0x`.
            let start = i;
            let mut j = i;
            let mut digits = 0;
            while j < bytes.len()
                && (bytes[j].is_ascii_hexdigit() || (j > start && bytes[j] == b'-'))
            {
                digits += usize::from(bytes[j].is_ascii_digit());
                j += 1;
            }
            let starts_word = start == 0 || !bytes[start - 1].is_ascii_alphabetic();
            let ends_word = j >= bytes.len() || !bytes[j].is_ascii_alphabetic();
            if digits > 0 && starts_word && ends_word {
                out.push('#');
            } else {
                // Hex letters and dashes only: ASCII, so `j` is a char boundary.
                out.push_str(&line[start..j]);
            }
            i = j;
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Digests of every record of `doc` (read in parallel batches), in order.
/// Stops at a batch that came back short (the file shrank meanwhile).
pub fn digest_document(
    doc: &LogDocument,
    job: Option<&JobContext>,
) -> Result<Vec<RecordDigest>, Cancelled> {
    let total = doc.record_count();
    let batches: Vec<Option<Vec<RecordDigest>>> = (0..total.div_ceil(BATCH))
        .into_par_iter()
        .map(|n| {
            if job.is_some_and(JobContext::cancelled) {
                return None;
            }
            let range = n * BATCH..((n + 1) * BATCH).min(total);
            let wanted = range.len();
            let out: Vec<RecordDigest> = doc
                .rows(range, Some(READ_LIMIT))
                .iter()
                .map(RecordDigest::of_row)
                .collect();
            if let Some(job) = job {
                job.advance(wanted as u64);
            }
            Some(out)
        })
        .collect();
    let mut out = Vec::with_capacity(total);
    for batch in batches {
        let batch = batch.ok_or(Cancelled)?;
        let short = batch.len() < BATCH;
        out.extend(batch);
        if short {
            break;
        }
    }
    Ok(out)
}
