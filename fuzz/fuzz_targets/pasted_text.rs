//! Text copied out of CMTrace or LogWeave, or pasted into tickets: format
//! detection (`formats::detect_format`, `Dialect::detect`) and the pasted
//! grammar (`Dialect::new(LogFormat::Pasted, ..)`): splitting covers the text
//! record after record without gaps or overlaps, every record's fields parse
//! and agree with the index's meta, one thread and many agree. Copies built
//! from arbitrary rows (CMTrace's tab columns, 12-hour clocks, `&nbsp;`
//! padding, continuation lines) are detected as pasted and give back each
//! row's message, component and thread.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::encoding::TextEncoding;
use logweave::formats::{self, BiasConvention, Dialect, LogFormat, SeverityRules};
use logweave::index::BuildOptions;
use logweave_fuzz::{build, detect, sequential};

#[derive(Arbitrary, Debug)]
struct Row {
    message: String,
    component: u8,
    month: u8,
    day: u8,
    hour: u8,
    thread: u16,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw {
        threads: u8,
        chunk: u8,
        text: String,
    },
    Copy {
        rows: Vec<Row>,
        crlf: bool,
    },
}

const COMPONENTS: [&str; 4] = ["TSManager", "ApplyDrivers", "OSDApplyOS", "smsts"];

fn check_split(dialect: &Dialect, data: &[u8], threads: usize, chunk: usize) {
    let one = build(dialect, data, &sequential());
    let many = build(
        dialect,
        data,
        &BuildOptions {
            threads,
            first_batch_bytes: 0,
            max_batch_bytes: 0,
            min_chunk_bytes: chunk,
        },
    );
    assert_eq!(one, many, "{threads} threads, chunks of {chunk}");
    let mut at = dialect.bom_len as u64;
    for r in &one {
        assert_eq!(r.start, at, "gap or overlap before {r:?}");
        assert!(r.end > r.start);
        at = r.end;
        let f = dialect.fields(&data[r.start as usize..r.end as usize]);
        assert_eq!(f.meta.severity, r.meta.severity, "{r:?}");
        assert_eq!(f.meta.wall_ms, r.meta.wall_ms, "{r:?}");
    }
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw {
            threads,
            chunk,
            text,
        } => {
            let format = formats::detect_format(&text);
            let dialect = detect(text.as_bytes());
            // Text with NULs may be read as UTF-16; as UTF-8 both agree.
            if dialect.encoding == TextEncoding::Utf8 {
                assert_eq!(
                    dialect.format, format,
                    "detect_format and Dialect::detect differ"
                );
            }
            let pasted = Dialect::new(
                LogFormat::Pasted,
                TextEncoding::Utf8,
                0,
                BiasConvention::Native,
                SeverityRules::default(),
            );
            check_split(
                &pasted,
                text.as_bytes(),
                2 + usize::from(threads % 3),
                1 + usize::from(chunk),
            );
        }
        Input::Copy { rows, crlf } => {
            let rows: Vec<&Row> = rows.iter().take(64).collect();
            if rows.is_empty() {
                return;
            }
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            let mut expected = Vec::new();
            for r in &rows {
                let message: String = r
                    .message
                    .chars()
                    .filter(|c| !c.is_control() && *c != '\u{a0}' && *c != '\u{feff}')
                    .take(60)
                    .collect::<String>()
                    .trim()
                    .replace("&nbsp;", "")
                    .to_owned();
                // CCM or simple-format markers in a message make it a copy of those.
                let markers = ["<![LOG[", "]LOG]!>", "$$<"];
                if message.is_empty()
                    || message.starts_with('-')
                    || message.starts_with('!')
                    || markers.iter().any(|m| message.contains(m))
                {
                    continue;
                }
                let component = COMPONENTS[usize::from(r.component) % COMPONENTS.len()];
                let (hour, ampm) = (
                    r.hour % 12 + 1,
                    if r.hour & 0x80 != 0 { "PM" } else { "AM" },
                );
                text += &format!(
                    "{message}\t{component}\t{}/{}/2021 {hour}:05:07 {ampm}\t{} (0x{:04X}){eol}",
                    r.month % 12 + 1,
                    r.day % 28 + 1,
                    r.thread,
                    r.thread
                );
                expected.push((message, component, r.thread));
            }
            if expected.is_empty() {
                return;
            }
            let dialect = detect(text.as_bytes());
            assert_eq!(dialect.format, LogFormat::Pasted, "{text}");
            check_split(&dialect, text.as_bytes(), 3, 7);
            let records = build(&dialect, text.as_bytes(), &sequential());
            assert_eq!(records.len(), expected.len(), "{text}");
            for (r, (message, component, thread)) in records.iter().zip(&expected) {
                let f = dialect.fields(&text.as_bytes()[r.start as usize..r.end as usize]);
                assert_eq!(&f.message, message, "{text}");
                assert_eq!(f.component, *component, "{text}");
                assert_eq!(f.thread, thread.to_string(), "{text}");
                assert!(f.meta.wall_ms.is_some(), "{text}");
            }
        }
    }
});
