//! Text encodings of log files: detection from the first bytes, decoding of
//! single records for display, and a [`Scanner`] that finds ASCII markers and
//! line breaks directly in UTF-8 or UTF-16 bytes, so UTF-16 files are indexed
//! without converting the whole file.
//! Never splits records or reads fields: that is `formats`.

use std::borrow::Cow;

use memchr::memmem;
use serde::Serialize;

/// The encoding a file is read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark (also plain ASCII).
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 starting with EF BB BF.
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    /// UTF-16 little-endian, with FF FE or detected from its zero bytes.
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big-endian, with FE FF or detected from its zero bytes.
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Bytes that are not valid UTF-8, read as Windows-1252 (ANSI).
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    /// The name used by `logweave stats`.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Bytes per code unit: 2 for UTF-16, 1 otherwise.
    pub fn unit(self) -> usize {
        match self {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 1,
        }
    }

    /// Decodes bytes of this encoding (never fails; bad sequences become U+FFFD).
    /// In a UTF-8 file, a record that is not valid UTF-8 is read as
    /// Windows-1252, as a second writer may have appended ANSI text.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0
                }
            },
            TextEncoding::Windows1252 => match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0
                }
            },
            TextEncoding::Utf16Le => {
                encoding_rs::UTF_16LE
                    .decode_without_bom_handling(even(bytes))
                    .0
            }
            TextEncoding::Utf16Be => {
                encoding_rs::UTF_16BE
                    .decode_without_bom_handling(even(bytes))
                    .0
            }
        }
    }

    /// Encodes ASCII text (a marker such as `<![LOG[`) in this encoding.
    pub fn encode_ascii(self, ascii: &str) -> Vec<u8> {
        debug_assert!(ascii.is_ascii());
        match self {
            TextEncoding::Utf16Le => ascii.bytes().flat_map(|b| [b, 0]).collect(),
            TextEncoding::Utf16Be => ascii.bytes().flat_map(|b| [0, b]).collect(),
            _ => ascii.as_bytes().to_vec(),
        }
    }
}

fn even(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len() & !1]
}

/// What [`detect`] found at the start of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The encoding to read the file with.
    pub encoding: TextEncoding,
    /// Length of the byte-order mark to skip (0, 2 or 3).
    pub bom_len: usize,
}

/// Detects the encoding from the first bytes of a file: a byte-order mark if
/// there is one, otherwise UTF-16 by the pattern of zero bytes (ASCII text in
/// UTF-16 has a zero in every other byte), otherwise UTF-8 if the sample is
/// valid UTF-8 (a sequence cut at the end of the sample is allowed), otherwise
/// Windows-1252.
pub fn detect(sample: &[u8]) -> Detected {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Detected {
            encoding: TextEncoding::Utf8Bom,
            bom_len: 3,
        };
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Detected {
            encoding: TextEncoding::Utf16Le,
            bom_len: 2,
        };
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Detected {
            encoding: TextEncoding::Utf16Be,
            bom_len: 2,
        };
    }
    let probe = &sample[..sample.len().min(4096) & !1];
    let pairs = probe.len() / 2;
    if pairs >= 2 {
        let (mut zero_even, mut zero_odd) = (0usize, 0usize);
        for pair in probe.chunks_exact(2) {
            zero_even += usize::from(pair[0] == 0);
            zero_odd += usize::from(pair[1] == 0);
        }
        // Text, not NUL padding: the other half of the bytes must be mostly non-zero.
        if zero_odd * 10 >= pairs * 4 && zero_even * 20 <= pairs {
            return Detected {
                encoding: TextEncoding::Utf16Le,
                bom_len: 0,
            };
        }
        if zero_even * 10 >= pairs * 4 && zero_odd * 20 <= pairs {
            return Detected {
                encoding: TextEncoding::Utf16Be,
                bom_len: 0,
            };
        }
    }
    let encoding = match std::str::from_utf8(sample) {
        Ok(_) => TextEncoding::Utf8,
        // A multi-byte sequence cut off by the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    };
    Detected {
        encoding,
        bom_len: 0,
    }
}

/// A marker compiled for one encoding, searchable in file bytes.
#[derive(Clone, Debug)]
pub struct Marker {
    bytes: Vec<u8>,
    finder: memmem::Finder<'static>,
}

impl Marker {
    /// Compiles ASCII `text` for `encoding`.
    pub fn new(encoding: TextEncoding, text: &str) -> Marker {
        let bytes = encoding.encode_ascii(text);
        let finder = memmem::Finder::new(&bytes).into_owned();
        Marker { bytes, finder }
    }

    /// Length of the marker in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True for an empty marker.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Finds markers and line breaks at code-unit boundaries. All positions are
/// absolute byte offsets into the slice handed to each call; code units start
/// at offsets of the same parity as `origin` (the end of the byte-order mark).
#[derive(Clone, Copy, Debug)]
pub struct Scanner {
    encoding: TextEncoding,
    unit: usize,
    parity: usize,
}

impl Scanner {
    /// A scanner for text that starts at byte `origin` in `encoding`.
    pub fn new(encoding: TextEncoding, origin: usize) -> Scanner {
        let unit = encoding.unit();
        Scanner {
            encoding,
            unit,
            parity: origin % unit,
        }
    }

    /// The encoding scanned.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Bytes per code unit.
    pub fn unit(&self) -> usize {
        self.unit
    }

    fn aligned(&self, pos: usize) -> bool {
        self.unit == 1 || pos % 2 == self.parity
    }

    /// Rounds `pos` up to the next code-unit boundary.
    pub fn align_up(&self, pos: usize) -> usize {
        if self.aligned(pos) { pos } else { pos + 1 }
    }

    /// True when `data[pos..]` starts with `marker`.
    pub fn starts_with(&self, data: &[u8], pos: usize, marker: &Marker) -> bool {
        data.get(pos..)
            .is_some_and(|rest| rest.starts_with(&marker.bytes))
    }

    /// First aligned occurrence of `marker` in `data[from..to]`.
    pub fn find(&self, data: &[u8], from: usize, to: usize, marker: &Marker) -> Option<usize> {
        let mut from = from;
        while from < to {
            let hit = from + marker.finder.find(&data[from..to])?;
            if self.aligned(hit) {
                return Some(hit);
            }
            from = hit + 1;
        }
        None
    }

    /// Last aligned occurrence of `marker` in `data[from..to]`.
    pub fn rfind(&self, data: &[u8], from: usize, to: usize, marker: &Marker) -> Option<usize> {
        let mut to = to;
        while from < to {
            let hit = from + memmem::rfind(&data[from..to], &marker.bytes)?;
            if self.aligned(hit) {
                return Some(hit);
            }
            to = hit + marker.len() - 1;
        }
        None
    }

    /// The code unit at `pos` as a byte if it is ASCII-range (UTF-16 units
    /// above 0xFF give `None`).
    pub fn ascii_at(&self, data: &[u8], pos: usize) -> Option<u8> {
        match self.encoding {
            TextEncoding::Utf16Le => match data.get(pos..pos + 2)? {
                [b, 0] => Some(*b),
                _ => None,
            },
            TextEncoding::Utf16Be => match data.get(pos..pos + 2)? {
                [0, b] => Some(*b),
                _ => None,
            },
            _ => data.get(pos).copied(),
        }
    }

    /// The first line break in `data[from..to]` (both on code-unit
    /// boundaries): its position and length in bytes (CRLF counts as one
    /// break; a CR at `to - unit` is reported with length one unit, the
    /// caller decides whether more data could follow).
    pub fn find_line_break(&self, data: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
        let u = self.unit;
        let mut from = from;
        while from < to {
            let hit = from + memchr::memchr2(b'\n', b'\r', &data[from..to])?;
            let start = match self.encoding {
                TextEncoding::Utf16Be => hit.checked_sub(1),
                _ => Some(hit),
            };
            let Some(start) = start.filter(|&s| s >= from && self.aligned(s)) else {
                from = hit + 1;
                continue;
            };
            match self.ascii_at(data, start) {
                Some(b'\n') => return Some((start, u)),
                Some(b'\r') => {
                    let crlf = start + u < to && self.ascii_at(data, start + u) == Some(b'\n');
                    return Some((start, if crlf { 2 * u } else { u }));
                }
                _ => from = hit + 1,
            }
        }
        None
    }

    /// Length of a line break at `pos` (0 if there is none).
    pub fn line_break_at(&self, data: &[u8], pos: usize, to: usize) -> usize {
        let u = self.unit;
        if pos + u > to {
            return 0;
        }
        match self.ascii_at(data, pos) {
            Some(b'\n') => u,
            Some(b'\r') if pos + 2 * u <= to && self.ascii_at(data, pos + u) == Some(b'\n') => {
                2 * u
            }
            Some(b'\r') => u,
            _ => 0,
        }
    }

    /// End of `data[from..to]` with trailing NUL code units removed (units
    /// counted back from `to`).
    ///
    /// A long NUL run (preallocated padding, a sparse file's hole) is
    /// searched forwards in blocks, not unit by unit from the end: walking a
    /// mapped file backwards page by page defeats the kernel's read-ahead
    /// and cost 57 s on a 5 GB sparse file, forwards it is a plain read.
    pub fn trim_trailing_nuls(&self, data: &[u8], from: usize, to: usize) -> usize {
        let u = self.unit;
        if to < from + u || data[to - u..to].iter().any(|&b| b != 0) {
            return to;
        }
        // The first unit boundary at or after `from`, counting from `to`.
        let first = to - (to - from) / u * u;
        const BLOCK: usize = 64 * 1024;
        // Compared with a block of zeros: slice equality is one `memcmp`,
        // fast in every build (a byte loop is 20 s per 5 GB unoptimised).
        static ZEROS: [u8; BLOCK] = [0; BLOCK];
        let mut last_nonzero_block = None;
        for (i, block) in data[first..to].chunks(BLOCK).enumerate() {
            if block != &ZEROS[..block.len()] {
                last_nonzero_block = Some(i);
            }
        }
        let Some(i) = last_nonzero_block else {
            return first;
        };
        let block_start = first + i * BLOCK;
        let block_end = (block_start + BLOCK).min(to);
        let last = block_start
            + data[block_start..block_end]
                .iter()
                .rposition(|&b| b != 0)
                .expect("the block holds a non-NUL byte");
        // The end of the unit holding that byte.
        first + ((last - first) / u + 1) * u
    }

    /// Transcodes a slice to UTF-8 bytes when the file is UTF-16 (ASCII-range
    /// parsing of attributes then works the same for every encoding).
    pub fn to_utf8<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        match self.encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                Cow::Owned(self.encoding.decode(bytes).into_owned().into_bytes())
            }
            _ => Cow::Borrowed(bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// The scanner at every data length, every `from` and every `to` (also
    /// `from > to`), in each encoding and both UTF-16 parities: it never
    /// indexes out of range and finds what a naive scan over aligned code
    /// units finds.
    #[test]
    fn scanner_at_every_length_and_range_matches_a_naive_scan() {
        let text = "a]LOG]!>\r\n\r\rb\n]LOG]!]LOG]!>\0\0";
        for encoding in [
            TextEncoding::Utf8,
            TextEncoding::Utf16Le,
            TextEncoding::Utf16Be,
        ] {
            let marker = Marker::new(encoding, "]LOG]!>");
            for origin in [0, 1] {
                let sc = Scanner::new(encoding, origin);
                let u = sc.unit();
                let mut full = vec![b'x'; origin];
                full.extend(encoding.encode_ascii(text));
                let unit_at = |data: &[u8], p: usize| -> Option<u8> {
                    (p % u == origin % u && p >= origin)
                        .then(|| sc.ascii_at(data, p))
                        .flatten()
                };
                for len in 0..=full.len() {
                    let data = &full[..len];
                    for from in 0..=len + 1 {
                        for to in 0..=len {
                            let aligned = |p: usize| p >= origin && (p - origin).is_multiple_of(u);
                            let naive_find = (from..to).find(|&p| {
                                aligned(p)
                                    && p + marker.len() <= to
                                    && data[p..].starts_with(&marker.bytes)
                            });
                            assert_eq!(
                                sc.find(data, from, to, &marker),
                                naive_find,
                                "{encoding:?} {origin} {len} {from}..{to}"
                            );
                            let naive_rfind = (from..to).rev().find(|&p| {
                                aligned(p)
                                    && p + marker.len() <= to
                                    && data[p..].starts_with(&marker.bytes)
                            });
                            assert_eq!(
                                sc.rfind(data, from, to, &marker),
                                naive_rfind,
                                "{encoding:?} {origin} {len} {from}..{to}"
                            );
                            let naive_break = (from..to)
                                .filter(|&p| aligned(p) && p + u <= to)
                                .find_map(|p| match unit_at(data, p) {
                                    Some(b'\n') => Some((p, u)),
                                    Some(b'\r')
                                        if p + 2 * u <= to
                                            && unit_at(data, p + u) == Some(b'\n') =>
                                    {
                                        Some((p, 2 * u))
                                    }
                                    Some(b'\r') => Some((p, u)),
                                    _ => None,
                                });
                            // Line breaks are looked for between code-unit boundaries.
                            if from <= to && aligned(from) && aligned(to) {
                                assert_eq!(
                                    sc.find_line_break(data, from, to),
                                    naive_break,
                                    "{encoding:?} {origin} {len} {from}..{to}"
                                );
                                let trimmed = sc.trim_trailing_nuls(data, from, to);
                                assert!(trimmed <= to && trimmed + u > from);
                            }
                            if from < len {
                                let _ = sc.line_break_at(data, from, to);
                                let _ = sc.ascii_at(data, from);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn detects_boms_and_utf16_without_bom() {
        assert_eq!(detect(b"\xEF\xBB\xBFabc").encoding, TextEncoding::Utf8Bom);
        assert_eq!(detect(b"\xFF\xFEa\0").bom_len, 2);
        assert_eq!(
            detect(&utf16le("hello world\r\n")).encoding,
            TextEncoding::Utf16Le
        );
        let be: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detect(&be).encoding, TextEncoding::Utf16Be);
        assert_eq!(detect(b"plain ascii").encoding, TextEncoding::Utf8);
        assert_eq!(detect("caf\u{e9}".as_bytes()).encoding, TextEncoding::Utf8);
        assert_eq!(
            detect(b"caf\xE9 au lait").encoding,
            TextEncoding::Windows1252
        );
        // A sequence cut at the end of the sample is not a reason to leave UTF-8.
        assert_eq!(detect(b"abc\xC3").encoding, TextEncoding::Utf8);
        assert_eq!(detect(&[0u8; 64]).encoding, TextEncoding::Utf8);
    }

    #[test]
    fn decodes_bad_utf8_as_ansi() {
        assert_eq!(TextEncoding::Utf8.decode(b"caf\xE9"), "café");
        assert_eq!(TextEncoding::Utf16Le.decode(&utf16le("Grüße")), "Grüße");
    }

    #[test]
    fn finds_aligned_markers_and_breaks_in_utf16() {
        let data = utf16le("ab<![LOG[x]LOG]!>\r\nline\rnext\n");
        let sc = Scanner::new(TextEncoding::Utf16Le, 0);
        let open = Marker::new(TextEncoding::Utf16Le, "<![LOG[");
        assert_eq!(sc.find(&data, 0, data.len(), &open), Some(4));
        assert_eq!(sc.find_line_break(&data, 0, data.len()), Some((34, 4)));
        assert_eq!(sc.find_line_break(&data, 38, data.len()), Some((46, 2)));
        assert_eq!(sc.rfind(&data, 0, data.len(), &open), Some(4));
        // U+0A0D (bytes 0D 0A) is neither CR nor LF.
        let tricky = utf16le("a\u{0A0D}b\n");
        assert_eq!(sc.find_line_break(&tricky, 0, tricky.len()), Some((6, 2)));
    }

    #[test]
    fn line_breaks_in_utf8() {
        let sc = Scanner::new(TextEncoding::Utf8, 0);
        assert_eq!(sc.find_line_break(b"ab\r\ncd", 0, 6), Some((2, 2)));
        assert_eq!(sc.find_line_break(b"ab\rcd", 0, 5), Some((2, 1)));
        assert_eq!(sc.find_line_break(b"abcd", 0, 4), None);
        assert_eq!(sc.trim_trailing_nuls(b"ab\0\0", 0, 4), 2);
    }

    #[test]
    fn trimming_nuls_agrees_with_a_unit_by_unit_walk_across_blocks() {
        let naive = |u: usize, data: &[u8], from: usize, to: usize| {
            let mut end = to;
            while end >= from + u && data[end - u..end].iter().all(|&b| b == 0) {
                end -= u;
            }
            end
        };
        // Long NUL runs with a few bytes set at, before and after the
        // 64 KiB block edges, for both unit sizes and odd ranges.
        let size = 200 * 1024;
        let marks = [
            0,
            1,
            65_535,
            65_536,
            65_537,
            131_071,
            131_072,
            150_000,
            size - 2,
            size - 1,
        ];
        for (utf16, u) in [(false, 1), (true, 2)] {
            let sc = Scanner::new(
                if utf16 {
                    TextEncoding::Utf16Le
                } else {
                    TextEncoding::Utf8
                },
                0,
            );
            for &mark in marks.iter().chain([usize::MAX].iter()) {
                let mut data = vec![0u8; size];
                if mark != usize::MAX {
                    data[mark] = b'x';
                }
                for (from, to) in [
                    (0, size),
                    (1, size),
                    (3, size - 1),
                    (65_536, 131_073),
                    (7, 7),
                    (9, 5),
                    (0, 1),
                ] {
                    assert_eq!(
                        sc.trim_trailing_nuls(&data, from, to),
                        naive(u, &data, from, to),
                        "unit {u}, mark {mark}, range {from}..{to}"
                    );
                }
            }
        }
    }
}
