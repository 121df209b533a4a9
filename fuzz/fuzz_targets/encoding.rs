//! `encoding::detect`, `TextEncoding::decode` and the `Scanner` (marker
//! `find`/`rfind`, `find_line_break`, `line_break_at`, `ascii_at`,
//! `trim_trailing_nuls`, `align_up`) on arbitrary bytes, in every encoding
//! and both UTF-16 parities, each against a naive oracle over code units.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logweave::encoding::{self, Marker, Scanner, TextEncoding};
use logweave_fuzz::Params;

const MARKERS: [&str; 5] = ["]LOG]!>", "<![LOG[", "\r\n", "a", "$$<"];

fn naive_decode(encoding: TextEncoding, bytes: &[u8]) -> String {
    let even = &bytes[..bytes.len() & !1];
    match encoding {
        TextEncoding::Utf16Le => char::decode_utf16(
            even.chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]])),
        )
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect(),
        TextEncoding::Utf16Be => char::decode_utf16(
            even.chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]])),
        )
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            // Windows-1252 is one char per byte.
            Err(_) => {
                let s = TextEncoding::Windows1252.decode(bytes);
                assert_eq!(s.chars().count(), bytes.len());
                s.into_owned()
            }
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let mut p = Params::new(data);
    let which = p.byte();
    let origin = usize::from(p.byte() & 1);
    let (a, b) = (usize::from(p.u16()), usize::from(p.u16()));
    let marker_text = MARKERS[usize::from(p.byte()) % MARKERS.len()];
    let data = p.rest();

    // Detection: byte-order marks win; a BOM-less answer is UTF-16 only with zeros.
    let d = encoding::detect(data);
    assert!(d.bom_len <= data.len());
    match d.encoding {
        TextEncoding::Utf8Bom => assert!(data.starts_with(b"\xEF\xBB\xBF") && d.bom_len == 3),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be if d.bom_len == 2 => {
            assert!(data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF"))
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            assert_eq!(d.bom_len, 0);
            assert!(data.iter().take(4096).any(|&b| b == 0));
        }
        TextEncoding::Utf8 => {
            assert_eq!(d.bom_len, 0);
            if let Err(e) = std::str::from_utf8(data) {
                assert!(e.error_len().is_none(), "invalid UTF-8 detected as UTF-8");
            }
        }
        TextEncoding::Windows1252 => assert!(std::str::from_utf8(data).is_err()),
    }

    let encoding = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Windows1252,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
    ][usize::from(which) % 5];
    assert_eq!(encoding.decode(data), naive_decode(encoding, data));

    // The scanner against a naive walk over aligned code units.
    let sc = Scanner::new(encoding, origin);
    let u = sc.unit();
    assert_eq!(u, encoding.unit());
    let len = data.len();
    let (from, to) = (a % (len + 2), b % (len + 1));
    let aligned = |p: usize| u == 1 || (p >= origin && (p - origin) % 2 == 0);
    let marker = Marker::new(encoding, marker_text);
    let bytes = encoding.encode_ascii(marker_text);
    assert_eq!(marker.len(), bytes.len());
    let hit = |p: usize| aligned(p) && p + bytes.len() <= to && data[p..].starts_with(&bytes);
    assert_eq!(
        sc.find(data, from, to, &marker),
        (from..to).find(|&p| hit(p)),
        "find {from}..{to}"
    );
    assert_eq!(
        sc.rfind(data, from, to, &marker),
        (from..to).rev().find(|&p| hit(p)),
        "rfind {from}..{to}"
    );
    let unit_at = |p: usize| -> Option<u8> {
        let cu = data.get(p..p + u)?;
        match encoding {
            TextEncoding::Utf16Le => (cu[1] == 0).then_some(cu[0]),
            TextEncoding::Utf16Be => (cu[0] == 0).then_some(cu[1]),
            _ => Some(cu[0]),
        }
    };
    for p in [from, to, a % (len + 3)] {
        assert_eq!(sc.ascii_at(data, p), unit_at(p), "ascii_at {p}");
        assert!(aligned(sc.align_up(p)) && sc.align_up(p) - p < u.max(2));
    }
    if from <= to && aligned(from) && aligned(to) {
        let naive_break = (from..to)
            .filter(|&p| aligned(p) && p + u <= to)
            .find_map(|p| match unit_at(p) {
                Some(b'\n') => Some((p, u)),
                Some(b'\r') if p + 2 * u <= to && unit_at(p + u) == Some(b'\n') => Some((p, 2 * u)),
                Some(b'\r') => Some((p, u)),
                _ => None,
            });
        assert_eq!(
            sc.find_line_break(data, from, to),
            naive_break,
            "break {from}..{to}"
        );
        let naive_at = if from + u > to {
            0
        } else {
            match unit_at(from) {
                Some(b'\n') => u,
                Some(b'\r') if from + 2 * u <= to && unit_at(from + u) == Some(b'\n') => 2 * u,
                Some(b'\r') => u,
                _ => 0,
            }
        };
        assert_eq!(
            sc.line_break_at(data, from, to),
            naive_at,
            "break at {from}..{to}"
        );
        let mut end = to;
        while end >= from + u && data[end - u..end].iter().all(|&b| b == 0) {
            end -= u;
        }
        assert_eq!(sc.trim_trailing_nuls(data, from, to), end);
        // Transcoding keeps the text.
        let utf8 = sc.to_utf8(&data[from..to]);
        if u == 2 {
            assert_eq!(
                std::str::from_utf8(&utf8).ok(),
                Some(&*naive_decode(encoding, &data[from..to]))
            );
        } else {
            assert_eq!(&*utf8, &data[from..to]);
        }
    }
});
