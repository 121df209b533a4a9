//! Writing records back out: as the original log text (so CMTrace and
//! LogWeave open the result like the source), as tab-separated columns in
//! CMTrace's column order (what Copy puts on the clipboard), or as the JSON
//! object of one record ([`RowLine`]: `rows --json`, `tail --json`, `serve`).
//! Never writes to a log it reads; only to the file the user chose.

use std::io::{self, Write};

use crate::document::{LogDocument, Row};
use crate::encoding::TextEncoding;
use crate::jobs::JobContext;
use crate::time::format_rfc3339_ms;

/// The JSON object of one record (key names are a contract): `record` is
/// its number in its file, or `offset` its byte offset where numbers are
/// not known (a served stretch of a file).
#[derive(Debug, serde::Serialize)]
pub struct RowLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    severity: &'static str,
    time: Option<&'a str>,
    utc: Option<String>,
    component: &'a str,
    thread: &'a str,
    message: &'a str,
}

impl<'a> RowLine<'a> {
    /// `row` with its record number.
    pub fn of(row: &'a Row) -> RowLine<'a> {
        RowLine {
            record: Some(row.record),
            offset: None,
            severity: row.severity().name(),
            time: row.fields.time_text.as_deref(),
            utc: row.utc_ms().map(format_rfc3339_ms),
            component: &row.fields.component,
            thread: &row.fields.thread,
            message: &row.fields.message,
        }
    }

    /// `row` with the byte offset `offset` instead of a record number.
    pub fn at_offset(row: &'a Row, offset: u64) -> RowLine<'a> {
        RowLine {
            record: None,
            offset: Some(offset),
            ..RowLine::of(row)
        }
    }
}

/// How to write records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The records' bytes exactly as in the file (with the file's BOM).
    Original,
    /// Log Text, Component, Date/Time, Thread separated by tabs, one line per
    /// record; line breaks inside a message become spaces.
    Tsv,
}

/// One record as a tab-separated line (no line break at the end).
pub fn tsv_line(row: &Row) -> String {
    let flat = |s: &str| s.replace(['\r', '\n', '\t'], " ");
    let f = &row.fields;
    format!(
        "{}\t{}\t{}\t{}",
        flat(&f.message),
        flat(&f.component),
        flat(f.time_text.as_deref().unwrap_or("")),
        flat(&f.thread)
    )
}

/// Writes `records` of one document (in the order given) to `out`.
pub fn write_records(
    doc: &LogDocument,
    records: &[usize],
    format: ExportFormat,
    out: &mut dyn Write,
    ctx: Option<&JobContext>,
) -> io::Result<()> {
    let entries: Vec<(usize, usize)> = records.iter().map(|&r| (0, r)).collect();
    write_entries(&[doc], &entries, format, out, ctx)
}

/// Writes records of several documents — `(document, record)` in the order
/// given, as a merged view shows them — to `out`. In original form the
/// first document's byte-order mark is written once.
pub fn write_entries(
    docs: &[&LogDocument],
    entries: &[(usize, usize)],
    format: ExportFormat,
    out: &mut dyn Write,
    ctx: Option<&JobContext>,
) -> io::Result<()> {
    if let Some(ctx) = ctx {
        ctx.set_total(entries.len() as u64);
    }
    let passes: Vec<crate::document::Pass> =
        docs.iter().map(|d| d.pass()).collect::<io::Result<_>>()?;
    let Some(first) = passes.first() else {
        return Ok(());
    };
    if format == ExportFormat::Original {
        let bom: &[u8] = match first.dialect().encoding {
            TextEncoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
            TextEncoding::Utf16Le if first.dialect().bom_len == 2 => &[0xFF, 0xFE],
            TextEncoding::Utf16Be if first.dialect().bom_len == 2 => &[0xFE, 0xFF],
            _ => &[],
        };
        out.write_all(bom)?;
    }
    for batch in entries.chunks(4096) {
        if ctx.is_some_and(JobContext::cancelled) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        for &(d, record) in batch {
            let (Some(doc), Some(pass)) = (docs.get(d), passes.get(d)) else {
                continue;
            };
            let Some((start, end)) = doc.spans(record..record + 1).pop() else {
                continue;
            };
            match format {
                ExportFormat::Original => {
                    let bytes = pass.bytes(start, end);
                    if pass.dialect().encoding.unit() == first.dialect().encoding.unit() {
                        out.write_all(bytes)?;
                    } else {
                        // A file in another encoding than the first: write its text in the first's.
                        let text = pass.dialect().encoding.decode(bytes).into_owned();
                        match first.dialect().encoding {
                            TextEncoding::Utf16Le => out.write_all(
                                &text
                                    .encode_utf16()
                                    .flat_map(u16::to_le_bytes)
                                    .collect::<Vec<u8>>(),
                            )?,
                            TextEncoding::Utf16Be => out.write_all(
                                &text
                                    .encode_utf16()
                                    .flat_map(u16::to_be_bytes)
                                    .collect::<Vec<u8>>(),
                            )?,
                            _ => out.write_all(text.as_bytes())?,
                        }
                    }
                    // A last record without a line break gets one, so records stay apart.
                    if !bytes.ends_with(b"\n")
                        && !bytes.ends_with(b"\n\0")
                        && !bytes.ends_with(b"\0\n")
                    {
                        out.write_all(&first.dialect().encoding.encode_ascii("\r\n"))?;
                    }
                }
                ExportFormat::Tsv => {
                    let row = Row {
                        record,
                        offset: start,
                        fields: pass.fields(start, end),
                        shortened: false,
                    };
                    writeln!(out, "{}", tsv_line(&row))?;
                }
            }
        }
        if let Some(ctx) = ctx {
            ctx.advance(batch.len() as u64);
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::OpenOptions;

    const LOG: &str = "\u{feff}<![LOG[Failed to run the action: Apply Operating System.\r\nThe system cannot find the file specified. (Error: 80070002; Source: Windows)]LOG]!><time=\"10:21:04.163+240\" date=\"10-18-2019\" component=\"TSManager\" context=\"\" type=\"3\" thread=\"1100\" file=\"instruction.cxx:805\">\r\n<![LOG[Reboot to local harddisk]LOG]!><time=\"10:21:05.000+240\" date=\"10-18-2019\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1100\" file=\"engine.cxx:1501\">\r\n<![LOG[last, no line break]LOG]!><time=\"10:21:06.000+240\" date=\"10-18-2019\" component=\"TSManager\" context=\"\" type=\"2\" thread=\"1100\" file=\"engine.cxx:1\">";

    fn open(text: &str) -> (tempfile::TempDir, LogDocument) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("smsts.log");
        std::fs::write(&path, text).unwrap();
        let doc = LogDocument::open_blocking(&path, OpenOptions::default()).unwrap();
        (dir, doc)
    }

    #[test]
    fn original_text_reopens_as_the_same_records() {
        let (dir, doc) = open(LOG);
        let mut out = Vec::new();
        write_records(&doc, &[2, 0], ExportFormat::Original, &mut out, None).unwrap();
        let saved = dir.path().join("saved.log");
        std::fs::write(&saved, &out).unwrap();
        let again = LogDocument::open_blocking(&saved, OpenOptions::default()).unwrap();
        assert_eq!(again.encoding(), doc.encoding());
        let before: Vec<_> = [2, 0].iter().map(|&r| doc.row(r).unwrap().fields).collect();
        let after: Vec<_> = (0..2).map(|r| again.row(r).unwrap().fields).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn tsv_has_cmtrace_columns_on_one_line_per_record() {
        let (_dir, doc) = open(LOG);
        let mut out = Vec::new();
        write_records(&doc, &[0, 1], ExportFormat::Tsv, &mut out, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            "Failed to run the action: Apply Operating System.  The system cannot find the file specified. (Error: 80070002; Source: Windows)\tTSManager\t10-18-2019 10:21:04.163+240\t1100"
        );
        assert_eq!(
            lines[1].split('\t').collect::<Vec<_>>(),
            [
                "Reboot to local harddisk",
                "TSManager",
                "10-18-2019 10:21:05.000+240",
                "1100"
            ]
        );
    }
}
