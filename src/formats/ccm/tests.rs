//! Unit tests of the CCM record grammar and its fast paths: every tag length,
//! every word offset, mutated tags read like the general loop, zone rules and
//! bias-convention detection. Test code only: nothing outside `cfg(test)` may
//! use it.

use super::*;
use crate::time::format_rfc3339_ms;

const TAG: &[u8] = br#"<time="08:55:51.081+480" date="11-24-2026" component="TSManager" context="" type="2" thread="7764" file="environmentlib.cpp:1580">"#;

/// Deterministic variations of `base`: every byte replaced, removed or
/// doubled, and bytes that matter to the grammar inserted everywhere.
fn mutations(base: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![base.to_vec()];
    for i in 0..base.len() {
        let mut removed = base.to_vec();
        removed.remove(i);
        out.push(removed);
        for b in [
            b' ', b'"', b'>', b'=', b'\r', b'\n', b'\t', b'x', b'<', b'0', b'+', 0xC3,
        ] {
            let mut replaced = base.to_vec();
            replaced[i] = b;
            out.push(replaced);
            let mut inserted = base.to_vec();
            inserted.insert(i, b);
            out.push(inserted);
        }
    }
    out
}

#[test]
fn canonical_tags_read_like_the_general_loop() {
    let long = [&TAG[..TAG.len() - 2], &[b'x'; 600][..], b"\">"].concat();
    let empty = br#"<time="" date="" component="" context="" type="" thread="" file="">"#;
    let mut accepted = 0;
    for base in [TAG, empty, &long[..]] {
        for tag in mutations(base) {
            if let Some(fast) = canonical_time_attributes(&tag) {
                assert_eq!(
                    fast,
                    general_time_attributes(&tag),
                    "{}",
                    String::from_utf8_lossy(&tag)
                );
                accepted += 1;
            }
        }
    }
    assert!(
        accepted > 100,
        "the fast path should take most plain variations ({accepted})"
    );
    let mut cache = TimeCache::default();
    for tag in mutations(TAG) {
        let cached = meta_cached(&tag, BiasConvention::Native, &mut cache);
        let general = meta_of(
            general_time_attributes(&tag),
            BiasConvention::Native,
            &mut TimeCache::default(),
        );
        assert_eq!(cached, general, "{}", String::from_utf8_lossy(&tag));
    }
}

/// A canonical tag of exactly `len` bytes (at least the empty one's
/// length), its `file` value padded with `x`.
fn canonical_tag_of_len(len: usize) -> Vec<u8> {
    let head = br#"<time="08:55:51.081+480" date="11-24-2026" component="TSManager" context="" type="3" thread="7764" file=""#;
    let fill = len.saturating_sub(head.len() + 2);
    [&head[..], &vec![b'x'; fill], b"\">"].concat()
}

/// Every tag length from empty to well past the old fixed buffer (512
/// bytes plus a word) and past every word and batch boundary the fast
/// path could trip on: whole tags, tags cut short, and tags with bytes
/// after them. The old `[0; 512 + 8]` buffer panicked at 513 to 520.
#[test]
fn every_tag_length_reads_without_panic_and_agrees() {
    let shortest = canonical_tag_of_len(0).len();
    for len in 0..=1100 {
        let whole = canonical_tag_of_len(len.max(shortest));
        let tag = &whole[..len.min(whole.len())];
        let general = general_time_attributes(tag);
        match canonical_time_attributes(tag) {
            Some(fast) => assert_eq!(fast, general, "length {len}"),
            None => assert!(
                len < shortest,
                "a whole canonical tag of {len} bytes must take the fast path"
            ),
        }
        assert_eq!(
            meta_cached(tag, BiasConvention::Native, &mut TimeCache::default()),
            meta_of(general, BiasConvention::Native, &mut TimeCache::default()),
            "length {len}"
        );
        for extra in 0..17 {
            let mut followed = tag.to_vec();
            followed.extend(std::iter::repeat_n(b'\n', extra));
            if let Some(found) = canonical_tag(&followed) {
                assert_eq!(found.len, tag.len(), "length {len} + {extra}");
            }
        }
    }
}

/// Records with tags of every length around the old buffer size, at the
/// very end of the data and followed by more: the one-pass reader and
/// the general splitter never panic and agree, at every `eof`.
#[test]
fn records_of_every_tag_length_split_alike_at_every_end() {
    let sc = Scanner::new(TextEncoding::Utf8, 0);
    for len in (0..64).chain(480..600).chain(1000..1040) {
        let tag = canonical_tag_of_len(len);
        let record = [&b"<![LOG[m]LOG]!>"[..], &tag, b"\r\n"].concat();
        let data = [&record[..], &record[..]].concat();
        for eof in (record.len() - 12..=record.len() + 3).chain(data.len() - 3..=data.len()) {
            let mut fast = CcmSplitter::new(TextEncoding::Utf8);
            let mut general = CcmSplitter::new(TextEncoding::Utf8);
            let mut cache = TimeCache::default();
            for pos in [0, record.len()].into_iter().filter(|&p| p < eof) {
                let want = general.next(&sc, &data, pos, eof);
                if let Some((step, _)) =
                    fast.next_with_meta(&sc, &data, pos, eof, BiasConvention::Native, &mut cache)
                {
                    assert_eq!(step, want, "tag {len}, eof {eof}, pos {pos}");
                }
            }
        }
    }
}

/// The word readers at every length and offset: a word past the end
/// reads as NULs, never out of range.
#[test]
fn word_readers_at_every_length_and_offset() {
    let bytes: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
    for len in 0..bytes.len() {
        let s = &bytes[..len];
        for at in 0..len + 10 {
            // Whole words where they fit (the callers' bound), padded words after.
            let w = if at + 8 <= len {
                word(s, at)
            } else {
                word_near_end(s, at)
            }
            .to_le_bytes();
            for (k, &b) in w.iter().enumerate() {
                assert_eq!(b, s.get(at + k).copied().unwrap_or(0), "len {len}, at {at}");
            }
            assert_eq!(clean_quote(s, at), None);
        }
        let mut quoted = s.to_vec();
        quoted.push(b'"');
        for at in 0..=len {
            assert_eq!(clean_quote(&quoted, at), Some(len), "len {len}, at {at}");
        }
        let mut data = s.to_vec();
        data.extend_from_slice(b"]LOG]!>");
        for eof in 0..=data.len() {
            let found = closer_in_words(&data, 0, eof);
            assert!(
                found.is_none_or(|hit| hit == len && hit + 7 <= eof),
                "len {len}, eof {eof}"
            );
        }
    }
}

/// Every prefix of time and date values: the fast readers never index
/// out of range and agree with the general parsers when they answer.
#[test]
fn fast_times_and_dates_at_every_length() {
    let mut cache = TimeCache::default();
    for value in [
        "08:55:51.081+480",
        "08:55:51.081-14400",
        "04:53:16.3323547",
        "11-24-2026x",
    ] {
        for len in 0..=value.len() {
            let v = &value.as_bytes()[..len];
            if let Some(fast) = fast_ccm_time(v, &mut cache) {
                assert_eq!(Some(fast), time::parse_ccm_time(v), "{len}: {value}");
            }
            if let Some(fast) = fast_mdy_date(v, &mut cache) {
                assert_eq!(Some(fast), time::parse_mdy_date(v), "{len}: {value}");
            }
        }
    }
}

#[test]
fn fast_times_and_dates_read_like_the_general_parsers() {
    let mut cache = TimeCache::default();
    let times = [
        "08:55:51.081+480",
        "08:55:51.081-60",
        "08:55:51.081+0",
        "08:55:51.081",
        "23:59:60.999+14400",
        "24:00:00.000+0",
        "08:60:00.000",
        "08:55:51.081+",
        "08:55:51.081+123456",
        "08:55:51.081x",
        "08:55:51.0812",
        "8:55:51.081+480",
        " 08:55:51.081+480",
        "08:55:51.081+48a",
        "08:55:51.081+1441",
    ];
    for t in times {
        let fast = fast_ccm_time(t.as_bytes(), &mut cache);
        if fast.is_some() {
            assert_eq!(fast, time::parse_ccm_time(t.as_bytes()), "{t}");
        }
    }
    for d in [
        "11-24-2026",
        "02-29-2024",
        "02-29-2023",
        "13-01-2026",
        "1-24-2026",
        "11-24-202x",
        "11/24/2026",
        "00-10-2026",
    ] {
        // Twice: the second answer comes from the cache.
        for _ in 0..2 {
            let fast = fast_mdy_date(d.as_bytes(), &mut cache);
            if fast.is_some() {
                assert_eq!(fast, time::parse_mdy_date(d.as_bytes()), "{d}");
            }
        }
    }
}

#[test]
fn one_pass_records_match_split_then_read() {
    let record =
        |tag: &[u8], msg: &str| [b"<![LOG[", msg.as_bytes(), b"]LOG]!>", tag, b"\r\n"].concat();
    let mut data = Vec::new();
    for (i, tag) in mutations(TAG).iter().enumerate().step_by(7) {
        let message = match i % 4 {
            0 => "multi\nline",
            1 => "[brackets] ]LOG] ]LOG]! and ]]]]]]]]]]]]]]]] everywhere]",
            _ => "message",
        };
        data.extend(record(tag, message));
    }
    data.extend(record(TAG, "last"));
    data.truncate(data.len() - 30);
    let sc = Scanner::new(TextEncoding::Utf8, 0);
    let (mut fast, mut general) = (
        CcmSplitter::new(TextEncoding::Utf8),
        CcmSplitter::new(TextEncoding::Utf8),
    );
    let mut cache = TimeCache::default();
    let mut taken = 0;
    for eof in [data.len(), data.len() - 1] {
        for pos in 0..eof {
            let Some((step, meta)) =
                fast.next_with_meta(&sc, &data, pos, eof, BiasConvention::Native, &mut cache)
            else {
                continue;
            };
            taken += 1;
            let want = general.next(&sc, &data, pos, eof);
            assert_eq!(step, want, "at {pos}");
            let Shape::Ccm {
                tag_start, tag_end, ..
            } = want.shape
            else {
                unreachable!()
            };
            let tag = &data[tag_start..tag_end];
            let want_meta = meta_of(
                general_time_attributes(tag),
                BiasConvention::Native,
                &mut TimeCache::default(),
            );
            assert_eq!(meta, want_meta, "at {pos}");
        }
    }
    assert!(
        taken > 100,
        "the one-pass path should take most records ({taken})"
    );
}

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
