//! One record's bytes in each format (CCM, simple, pasted, plain) and each
//! encoding → `Dialect::fields`: never panics, and fields are stable (the
//! same bytes twice give the same fields). A structured CCM record built
//! from arbitrary parts gives back its message, component, thread, context
//! and source file, in UTF-8 and UTF-16.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::encoding::TextEncoding;
use logweave::formats::{BiasConvention, Dialect, LogFormat, SeverityRules};

#[derive(Arbitrary, Debug)]
struct Ccm {
    message: String,
    component: String,
    context: String,
    thread: u32,
    file: String,
    kind: u8,
    hour: u8,
    minute: u8,
    bias: i16,
    utf16: bool,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw {
        format: u8,
        encoding: u8,
        east: bool,
        bytes: Vec<u8>,
    },
    Ccm(Ccm),
}

const FORMATS: [LogFormat; 4] = [
    LogFormat::Ccm,
    LogFormat::Simple,
    LogFormat::Pasted,
    LogFormat::Plain,
];
const ENCODINGS: [(TextEncoding, usize); 6] = [
    (TextEncoding::Utf8, 0),
    (TextEncoding::Utf8Bom, 3),
    (TextEncoding::Windows1252, 0),
    (TextEncoding::Utf16Le, 0),
    (TextEncoding::Utf16Le, 2),
    (TextEncoding::Utf16Be, 0),
];

/// An attribute value CCM writers could write: no quote, no line break, no markers.
fn attr(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '\r' | '\n' | '\0'))
        .take(40)
        .collect()
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw {
            format,
            encoding,
            east,
            bytes,
        } => {
            let format = FORMATS[usize::from(format) % FORMATS.len()];
            let (encoding, bom_len) = ENCODINGS[usize::from(encoding) % ENCODINGS.len()];
            let bias = if east {
                BiasConvention::EastPositive
            } else {
                BiasConvention::Native
            };
            let dialect = Dialect::new(format, encoding, bom_len, bias, SeverityRules::default());
            let raw = &bytes[bom_len.min(bytes.len())..];
            let a = dialect.fields(raw);
            let b = dialect.fields(raw);
            assert_eq!(a, b);
        }
        Input::Ccm(c) => {
            let message: String = c
                .message
                .replace("]LOG]!>", "")
                .replace("<![LOG[", "")
                .replace('\0', "");
            if message.contains("]LOG]!>") || message.contains("<![LOG[") {
                return;
            }
            let (component, context, file) = (attr(&c.component), attr(&c.context), attr(&c.file));
            let sign = if c.bias < 0 { '-' } else { '+' };
            let text = format!(
                "<![LOG[{message}]LOG]!><time=\"{:02}:{:02}:07.123{sign}{}\" date=\"03-21-2018\" component=\"{component}\" context=\"{context}\" type=\"{}\" thread=\"{}\" file=\"{file}\">\r\n",
                c.hour % 24,
                c.minute % 60,
                c.bias.unsigned_abs() % 1440,
                c.kind % 4,
                c.thread,
            );
            let (encoding, bytes) = if c.utf16 {
                let b: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
                (TextEncoding::Utf16Le, b)
            } else {
                (TextEncoding::Utf8, text.into_bytes())
            };
            let dialect = Dialect::new(
                LogFormat::Ccm,
                encoding,
                0,
                BiasConvention::Native,
                SeverityRules::default(),
            );
            let f = dialect.fields(&bytes);
            assert_eq!(f.message, message);
            assert_eq!(f.component, component);
            assert_eq!(f.context, context);
            assert_eq!(f.thread, c.thread.to_string());
            assert_eq!(f.source_file, file);
            assert!(f.meta.wall_ms.is_some(), "time not read: {f:?}");
        }
    }
});
