//! Log formats: detection from the first lines, the record grammar of each
//! format (CCM, simple, pasted copies, plain: where a record that starts at a
//! given byte ends), and the fields of one record. Everything here is a pure function of bytes: no files, no
//! threads, no UI.
//! Never opens files or keeps an index: it is given bytes.
//!
//! The grammar is a function of the start position only: given the bytes and a
//! record start, the end of that record is fixed. The parallel index relies on
//! this to re-synchronise chunks that started in the middle of a record.

mod ccm;
mod pasted;
mod plain;
mod severity;
mod simple;

use serde::Serialize;

pub use severity::{SeverityKeywords, SeverityRules};

use crate::encoding::{Detected, Scanner, TextEncoding};
use crate::model::{Severity, ZoneKind};
use crate::time::DateOrder;

/// The record syntax of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// CMTrace / CCM `<![LOG[...]LOG]!><time=... >` records.
    Ccm,
    /// Old ConfigMgr server format `message $$<component><date time><thread=N (0xN)>`.
    Simple,
    /// Text copied out of CMTrace or LogWeave, or pasted into tickets and
    /// articles: columns parted by tabs, runs of spaces or `&nbsp;`, and
    /// lines without columns that continue the record above.
    Pasted,
    /// Anything else: one record per line.
    Plain,
}

impl LogFormat {
    /// The name used by `logweave stats` (`ccm`, `simple`, `pasted`, `plain`).
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Ccm => "ccm",
            LogFormat::Simple => "simple",
            LogFormat::Pasted => "pasted",
            LogFormat::Plain => "plain",
        }
    }
}

/// How a CCM writer signs its time-zone numbers (formats.md §1.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BiasConvention {
    /// Native ConfigMgr: UTC = local + bias.
    #[default]
    Native,
    /// PSADT and PowerShell/.NET writers: the number is the east-positive
    /// offset from UTC, so UTC = local - offset.
    EastPositive,
}

/// Everything needed to split and read one file: its format, encoding and
/// the conventions detected from its first records.
#[derive(Clone, Debug)]
pub struct Dialect {
    /// Record syntax.
    pub format: LogFormat,
    /// Text encoding.
    pub encoding: TextEncoding,
    /// Byte-order mark length: records start at this offset.
    pub bom_len: usize,
    /// Sign convention of CCM biases.
    pub bias: BiasConvention,
    /// Keyword rules for records without a severity field.
    pub rules: SeverityRules,
    /// How pasted copies write numeric dates that do not show their order
    /// (`03/04/2018`); month first unless the first lines show day first.
    pub dates: DateOrder,
    /// True when the first bytes are mostly not text (an executable, an
    /// image, random bytes): such a file still opens, one "record" per line,
    /// but it is not a log.
    pub binary: bool,
    scanner: Scanner,
}

/// True when more than 3% of the characters of `text` (NUL padding left
/// aside) are control characters other than tab, line breaks, form feed and
/// escape, or undecodable bytes. Logs hold almost none; random bytes about
/// one in eight.
pub fn looks_binary(text: &str) -> bool {
    let (mut chars, mut odd) = (0usize, 0usize);
    for c in text.chars().filter(|&c| c != '\0') {
        chars += 1;
        if c == char::REPLACEMENT_CHARACTER
            || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
        {
            odd += 1;
        }
    }
    chars >= 64 && odd * 100 > chars * 3
}

/// Bytes of the file inspected to detect the dialect.
pub const DETECT_SAMPLE_BYTES: usize = 64 * 1024;

impl Dialect {
    /// Detects the dialect from the first bytes of a file (up to
    /// [`DETECT_SAMPLE_BYTES`]).
    pub fn detect(sample: &[u8], keywords: &SeverityKeywords) -> Dialect {
        let Detected { encoding, bom_len } = crate::encoding::detect(sample);
        let text = encoding.decode(&sample[bom_len.min(sample.len())..]);
        let (format, dates) = detect_format_and_dates(&text);
        let bias = if format == LogFormat::Ccm {
            ccm::detect_bias_convention(&text)
        } else {
            BiasConvention::Native
        };
        let mut dialect = Dialect::new(
            format,
            encoding,
            bom_len,
            bias,
            SeverityRules::new(keywords),
        );
        dialect.dates = dates;
        dialect.binary = looks_binary(&text);
        dialect
    }

    /// A dialect with everything given explicitly.
    pub fn new(
        format: LogFormat,
        encoding: TextEncoding,
        bom_len: usize,
        bias: BiasConvention,
        rules: SeverityRules,
    ) -> Dialect {
        let scanner = Scanner::new(encoding, bom_len);
        Dialect {
            format,
            encoding,
            bom_len,
            bias,
            rules,
            dates: DateOrder::default(),
            binary: false,
            scanner,
        }
    }

    /// The scanner for this file's encoding.
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// A fresh record splitter (it caches marker searches, so use one per pass).
    pub fn splitter(&self) -> Splitter {
        Splitter {
            scanner: self.scanner,
            kind: match self.format {
                LogFormat::Ccm => SplitterKind::Ccm(Box::new(ccm::CcmSplitter::new(self.encoding))),
                LogFormat::Simple => {
                    SplitterKind::Simple(Box::new(simple::SimpleSplitter::new(self.encoding)))
                }
                LogFormat::Pasted => SplitterKind::Pasted,
                LogFormat::Plain => SplitterKind::Plain,
            },
        }
    }

    /// The end of meaningful data in `data[..len]`: trailing NUL padding and
    /// a dangling half code unit are not records.
    pub fn content_end(&self, data: &[u8]) -> usize {
        let origin = self.bom_len.min(data.len());
        let unit = self.scanner.unit();
        let aligned = origin + (data.len() - origin) / unit * unit;
        self.scanner.trim_trailing_nuls(data, origin, aligned)
    }

    /// A record start at or after `from` that is likely to be real (a line
    /// start; for CCM, a line that opens a record). Used to start parallel
    /// chunks; a wrong guess costs time, never correctness.
    pub fn sync_point(&self, data: &[u8], from: usize, eof: usize) -> usize {
        let sc = &self.scanner;
        let from = sc.align_up(from.max(self.bom_len));
        if from <= self.bom_len {
            return self.bom_len;
        }
        match self.format {
            LogFormat::Ccm => ccm::sync_point(sc, data, from, eof),
            LogFormat::Simple | LogFormat::Pasted | LogFormat::Plain => {
                match sc.find_line_break(data, from, eof) {
                    Some((at, len)) => at + len,
                    None => eof,
                }
            }
        }
    }

    /// Severity, time and zone of a record, from the shape the splitter found.
    pub fn meta(&self, data: &[u8], start: usize, step: &Step) -> RecordMeta {
        self.meta_cached(&mut MetaCache::default(), data, start, step)
    }

    /// The record at `pos` in `data[..eof]` and its meta: the same as
    /// [`Splitter::next`] followed by [`meta_cached`](Self::meta_cached),
    /// with one pass over the bytes for the common CCM record.
    pub fn next_with_meta(
        &self,
        splitter: &mut Splitter,
        cache: &mut MetaCache,
        data: &[u8],
        pos: usize,
        eof: usize,
    ) -> (Step, RecordMeta) {
        if let SplitterKind::Ccm(ccm) = &mut splitter.kind
            && self.scanner.unit() == 1
            && let Some(found) =
                ccm.next_with_meta(&self.scanner, data, pos, eof, self.bias, &mut cache.ccm)
        {
            return found;
        }
        let step = splitter.next(data, pos, eof);
        let meta = self.meta_cached(cache, data, pos, &step);
        (step, meta)
    }

    /// [`meta`](Self::meta) for the records of one pass, in order, reusing
    /// what the previous records had in common (the same date, mostly).
    pub fn meta_cached(
        &self,
        cache: &mut MetaCache,
        data: &[u8],
        start: usize,
        step: &Step,
    ) -> RecordMeta {
        match step.shape {
            Shape::Ccm {
                tag_start, tag_end, ..
            } => {
                let tag = self.scanner.to_utf8(&data[tag_start..tag_end]);
                ccm::meta_cached(&tag, self.bias, &mut cache.ccm)
            }
            Shape::Simple {
                trailer,
                trailer_end,
                msg_end,
            } => {
                let message = self.scanner.to_utf8(&data[start..msg_end]);
                let trailer = self.scanner.to_utf8(&data[trailer..trailer_end]);
                simple::meta(&message, &trailer, &self.rules)
            }
            Shape::Pasted {
                line_end,
                rest_start,
                content_end,
            } => {
                let first = self.scanner.to_utf8(&data[start..line_end]);
                let rest = self.scanner.to_utf8(&data[rest_start..content_end]);
                pasted::meta(&first, &rest, &self.rules, self.dates)
            }
            Shape::Plain { content_end } => {
                let line = self.scanner.to_utf8(&data[start..content_end]);
                plain::meta_cached(&line, &self.rules, &mut cache.plain)
            }
        }
    }

    /// All fields of one record, given exactly its bytes (as delimited by the index).
    pub fn fields(&self, raw: &[u8]) -> RecordFields {
        // A record whose bytes are gone (the file was cut while a row was
        // read, before the index learns of it) has no fields.
        if raw.is_empty() {
            return RecordFields::default();
        }
        let mut splitter = self.splitter();
        let step = splitter.next(raw, 0, raw.len());
        let meta = self.meta(raw, 0, &step);
        let decode = |from: usize, to: usize| self.encoding.decode(&raw[from..to]).into_owned();
        match step.shape {
            Shape::Ccm {
                msg_start,
                msg_end,
                tag_start,
                tag_end,
            } => {
                let tag = decode(tag_start, tag_end);
                ccm::fields(decode(msg_start, msg_end), &tag, meta)
            }
            Shape::Simple {
                msg_end,
                trailer,
                trailer_end,
            } => simple::fields(&decode(0, msg_end), &decode(trailer, trailer_end), meta),
            Shape::Pasted {
                line_end,
                rest_start,
                content_end,
            } => pasted::fields(
                &decode(0, line_end),
                &decode(line_end, rest_start),
                &decode(rest_start, content_end),
                meta,
            ),
            Shape::Plain { content_end } => plain::fields(decode(0, content_end), meta),
        }
    }
}

/// Decides the format from decoded text of the first lines: CCM if complete
/// CCM records are at least as common as simple-format trailers and there is
/// at least one; simple if there are trailers; pasted when most lines have
/// the columns of a copy (see `pasted::detect`); plain otherwise.
pub fn detect_format(text: &str) -> LogFormat {
    detect_format_and_dates(text).0
}

/// [`detect_format`], and for pasted copies the order of their dates.
fn detect_format_and_dates(text: &str) -> (LogFormat, DateOrder) {
    let (mut ccm_hits, mut simple_hits) = (0usize, 0usize);
    for line in text.lines().take(400) {
        if line.contains("<![LOG[") || line.contains("]LOG]!><time=") {
            ccm_hits += 1;
        } else if simple::is_trailer_line(line.as_bytes()) {
            simple_hits += 1;
        }
    }
    let complete_ccm = text.contains("]LOG]!><");
    if complete_ccm && ccm_hits > 0 && ccm_hits >= simple_hits {
        (LogFormat::Ccm, DateOrder::default())
    } else if simple_hits > 0 {
        (LogFormat::Simple, DateOrder::default())
    } else if let Some(dates) = pasted::detect(text) {
        (LogFormat::Pasted, dates)
    } else {
        (LogFormat::Plain, DateOrder::default())
    }
}

/// The part of a record's meaning the index keeps for every record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordMeta {
    /// How bad the record is.
    pub severity: Severity,
    /// Wall-clock time as written, in ms since 1970 (no zone applied).
    pub wall_ms: Option<i64>,
    /// How the time relates to UTC.
    pub zone: ZoneKind,
    /// Minutes to add to the wall clock to get UTC.
    pub utc_adjust_minutes: i32,
}

impl RecordMeta {
    /// UTC milliseconds since 1970 (for `Local` zones: the wall clock itself).
    pub fn utc_ms(&self) -> Option<i64> {
        self.wall_ms
            .map(|w| w + i64::from(self.utc_adjust_minutes) * crate::time::MS_PER_MINUTE)
    }
}

/// All fields of one record, decoded for display.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFields {
    /// The message, with its line breaks.
    pub message: String,
    /// The time as written (CCM: `date time`), if the record has one.
    pub time_text: Option<String>,
    /// Component (CCM `component`, simple `$$<component>`, pasted column,
    /// plain `[Comp]`).
    pub component: String,
    /// Thread id as written.
    pub thread: String,
    /// CCM `context`.
    pub context: String,
    /// Source file (CCM `file`).
    pub source_file: String,
    /// Severity, time and zone.
    pub meta: RecordMeta,
}

/// Where the parts of one record are, found by the splitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A complete CCM record.
    Ccm {
        /// First byte of the message.
        msg_start: usize,
        /// End of the message (the `]LOG]!>` marker).
        msg_end: usize,
        /// The `<` of the attribute tag.
        tag_start: usize,
        /// Just after the tag's `>`.
        tag_end: usize,
    },
    /// A simple-format record.
    Simple {
        /// End of the message (the `$$<` of the trailer).
        msg_end: usize,
        /// The `$$<` that starts the trailer.
        trailer: usize,
        /// End of the trailer (the line break).
        trailer_end: usize,
    },
    /// A pasted record: a line with columns and the lines after it without.
    Pasted {
        /// End of the first line, before its line break.
        line_end: usize,
        /// Start of the lines after the first (`content_end` if there are none).
        rest_start: usize,
        /// End of the record's text, before its last line break.
        content_end: usize,
    },
    /// A line of text.
    Plain {
        /// End of the text, before the line break.
        content_end: usize,
    },
}

/// One record found by the splitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Where the next record starts.
    pub end: usize,
    /// True when bytes appended after the current end of data could change
    /// this record (it is provisional while the file grows).
    pub eof_dependent: bool,
    /// Where its parts are.
    pub shape: Shape,
}

/// What [`Dialect::meta_cached`] remembers from one record to the next; one
/// per pass, like a [`Splitter`].
#[derive(Clone, Debug, Default)]
pub struct MetaCache {
    ccm: ccm::TimeCache,
    plain: plain::DateCache,
}

/// Splits bytes into records. Keeps small caches, so create one per pass.
pub struct Splitter {
    scanner: Scanner,
    kind: SplitterKind,
}

enum SplitterKind {
    // Boxed: the compiled markers are large, the plain splitter has none.
    Ccm(Box<ccm::CcmSplitter>),
    Simple(Box<simple::SimpleSplitter>),
    Pasted,
    Plain,
}

impl Splitter {
    /// The record that starts at `pos` in `data[..eof]` (`pos < eof`).
    pub fn next(&mut self, data: &[u8], pos: usize, eof: usize) -> Step {
        debug_assert!(pos < eof && eof <= data.len());
        match &mut self.kind {
            SplitterKind::Ccm(s) => s.next(&self.scanner, data, pos, eof),
            SplitterKind::Simple(s) => s.next(&self.scanner, data, pos, eof),
            SplitterKind::Pasted => pasted::next(&self.scanner, data, pos, eof),
            SplitterKind::Plain => plain::line(&self.scanner, data, pos, eof, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_with_no_bytes_left_has_no_fields() {
        for sample in [
            &b"<![LOG[x]LOG]!><time=\"10:00:00.000+000\" date=\"01-02-2024\" component=\"c\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n"[..],
            b"x $$<c><01-02-2024 10:00:00.000+000><thread=1 (0x1)>\n",
            b"plain line\n",
        ] {
            let dialect = Dialect::detect(sample, &SeverityKeywords::default());
            assert_eq!(dialect.fields(b""), RecordFields::default());
        }
    }

    #[test]
    fn binary_bytes_are_not_a_log() {
        // A deterministic stand-in for random bytes.
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let junk: Vec<u8> = (0..65536)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        assert!(Dialect::detect(&junk, &SeverityKeywords::default()).binary);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            if entry.path().is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                let sample = &bytes[..bytes.len().min(DETECT_SAMPLE_BYTES)];
                assert!(
                    !Dialect::detect(sample, &SeverityKeywords::default()).binary,
                    "{}",
                    entry.path().display()
                );
            }
        }
        assert!(!looks_binary("short \x01\x02"), "too little to tell");
        assert!(!looks_binary(&format!(
            "{}{}",
            "text\n".repeat(100),
            "\0".repeat(4000)
        )));
    }

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect_format("<![LOG[x]LOG]!><time=\"1:2:3.000+0\" date=\"1-1-2020\">\r\n"),
            LogFormat::Ccm
        );
        assert_eq!(
            detect_format("hello  $$<SMS_X><11-30-2022 01:03:34.174-60><thread=4844 (0x12EC)>\n"),
            LogFormat::Simple
        );
        assert_eq!(
            detect_format("2023-05-17 08:24:08, Info CBS x\n"),
            LogFormat::Plain
        );
        assert_eq!(detect_format(""), LogFormat::Plain);
    }
}
