//! Error codes: parsing a code in any written form (`0x80070005`,
//! `80070005`, `-2147024891`, `2147942405`, `5`), decomposing HRESULTs and
//! NTSTATUS values, and looking up every interpretation in the embedded
//! tables (names generated from Microsoft's win32metadata, meanings written
//! by us for the codes deployment admins meet) and, on Windows, in the
//! operating system's message tables. [`detect`] finds codes inside log text.

pub mod detect;
mod tables;

use serde::Serialize;

pub use tables::{CodeKind, CuratedRow, NameRow, Tables};

/// One way to read a code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Interpretation {
    /// What the user typed (or what was found in the log).
    pub input: String,
    /// The value as `0x` and 8 hex digits.
    pub hex: String,
    /// The value as a signed 32-bit number (how task sequences log it).
    pub signed: i64,
    /// The value as an unsigned number.
    pub unsigned: u64,
    /// Symbolic name(s), `/`-separated, if known.
    pub name: Option<String>,
    /// What kind of code this reading is, and its facility.
    pub facility: String,
    /// What it means, if known.
    pub meaning: Option<String>,
    /// Where the name and meaning come from.
    pub source: String,
}

/// Why an input is not a code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing was typed.
    #[error("type an error code, e.g. 0x80070002, 80070002, -2147024894 or 1603")]
    Empty,
    /// The text is not a number in any accepted form.
    #[error("'{0}' is not an error code (use hex like 0x80070002, or a decimal number)")]
    NotACode(String),
    /// The number does not fit in 32 bits.
    #[error("'{0}' does not fit in 32 bits")]
    TooLarge(String),
}

/// How a number was written, which decides which readings come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// `0x…` or hex digits with letters, or 8 digits (smsts.log's `Error: 80070002`).
    Hex,
    /// A negative decimal (task-sequence variables, WMI).
    SignedDecimal,
    /// A positive decimal (exit codes, unsigned HRESULTs).
    Decimal,
}

/// The candidate 32-bit values of an input, most likely first.
pub fn parse(input: &str) -> Result<Vec<(u32, Written)>, ParseError> {
    let text = input.trim().trim_end_matches(['L', 'h']).trim();
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let bad = || ParseError::NotACode(input.trim().to_owned());
    let too_large = || ParseError::TooLarge(input.trim().to_owned());
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(
                if hex.len() > 8 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    too_large()
                } else {
                    bad()
                },
            );
        }
        return u32::from_str_radix(hex, 16)
            .map(|v| vec![(v, Written::Hex)])
            .map_err(|_| bad());
    }
    if let Some(digits) = text.strip_prefix('-') {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let value: i64 = digits.parse().map_err(|_| too_large())?;
        let value = -value;
        return i32::try_from(value)
            .map(|v| vec![(v as u32, Written::SignedDecimal)])
            .map_err(|_| too_large());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let decimal = text.parse::<u64>().ok().and_then(|v| u32::try_from(v).ok());
        let hex = (text.len() <= 8)
            .then(|| u32::from_str_radix(text, 16).ok())
            .flatten();
        // Eight digits are how smsts.log writes HRESULTs: `(Error: 80070002; Source: Windows)`.
        return Ok(match (decimal, hex) {
            (Some(d), Some(h)) if text.len() == 8 => vec![(h, Written::Hex), (d, Written::Decimal)],
            (Some(d), Some(h)) if d != h => vec![(d, Written::Decimal), (h, Written::Hex)],
            (Some(d), _) => vec![(d, Written::Decimal)],
            (None, Some(h)) => vec![(h, Written::Hex)],
            (None, None) => return Err(too_large()),
        });
    }
    if text.len() <= 8 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u32::from_str_radix(text, 16)
            .map(|v| vec![(v, Written::Hex)])
            .map_err(|_| bad());
    }
    Err(bad())
}

/// Names of the HRESULT facilities that matter in deployment logs.
fn facility_name(facility: u32) -> Option<&'static str> {
    Some(match facility {
        0 => "FACILITY_NULL",
        1 => "FACILITY_RPC",
        2 => "FACILITY_DISPATCH",
        3 => "FACILITY_STORAGE",
        4 => "FACILITY_ITF",
        7 => "FACILITY_WIN32",
        8 => "FACILITY_WINDOWS",
        9 => "FACILITY_SECURITY",
        10 => "FACILITY_CONTROL",
        11 => "FACILITY_CERT",
        12 => "FACILITY_INTERNET",
        13 => "FACILITY_MEDIASERVER",
        14 => "FACILITY_MSMQ",
        15 => "FACILITY_SETUPAPI",
        16 => "FACILITY_SCARD",
        17 => "FACILITY_COMPLUS",
        21 => "FACILITY_ACS",
        22 => "FACILITY_DPLAY",
        23 => "FACILITY_UMI",
        24 => "FACILITY_SXS",
        25 => "FACILITY_HTTP",
        27 => "FACILITY_USERMODE_COMMONLOG",
        31 => "FACILITY_USERMODE_FILTER_MANAGER",
        32 => "FACILITY_BACKGROUNDCOPY",
        33 => "FACILITY_CONFIGURATION",
        34 => "FACILITY_STATE_MANAGEMENT",
        36 => "FACILITY_WINDOWSUPDATE",
        37 => "FACILITY_DIRECTORYSERVICE",
        38 => "FACILITY_GRAPHICS",
        39 => "FACILITY_SHELL",
        40 => "FACILITY_TPM_SERVICES",
        41 => "FACILITY_TPM_SOFTWARE",
        48 => "FACILITY_PLA",
        49 => "FACILITY_FVE",
        50 => "FACILITY_FWP",
        51 => "FACILITY_WINRM",
        52 => "FACILITY_NDIS",
        53 => "FACILITY_USERMODE_HYPERVISOR",
        54 => "FACILITY_CMI",
        55 => "FACILITY_USERMODE_VIRTUALIZATION",
        56 => "FACILITY_USERMODE_VOLMGR",
        57 => "FACILITY_BCD",
        58 => "FACILITY_USERMODE_VHD",
        60 => "FACILITY_SDIAG",
        61 => "FACILITY_WEBSERVICES",
        80 => "FACILITY_WINDOWS_DEFENDER",
        81 => "FACILITY_OPC",
        208 => "FACILITY_DELIVERY_OPTIMIZATION",
        2000 => "ConfigMgr",
        _ => return None,
    })
}

/// A description of the bits of a value read as an HRESULT or NTSTATUS.
pub fn describe_bits(value: u32) -> String {
    let severity_bit = value >> 31;
    if value & 0x1000_0000 != 0 && severity_bit == 1 {
        return format!("HRESULT_FROM_NT of NTSTATUS 0x{:08X}", value & !0x1000_0000);
    }
    match value >> 30 {
        3 if value & 0x2000_0000 == 0 && (value >> 16) & 0xFFF < 0x100 && value >> 28 == 0xC => {
            format!("NTSTATUS error, facility {}", (value >> 16) & 0xFFF)
        }
        _ if severity_bit == 1 => {
            let facility = (value >> 16) & 0x7FF;
            let facility = if value >> 20 == 0x87D { 2000 } else { facility };
            let name = facility_name(facility).map_or_else(
                || format!("facility {facility}"),
                |n| format!("{n} ({facility})"),
            );
            let customer = if value & 0x2000_0000 != 0 {
                ", customer-defined"
            } else {
                ""
            };
            format!("HRESULT failure, {name}, code {}{customer}", value & 0xFFFF)
        }
        _ if value < 0x10000 => "Win32 error or exit code".to_owned(),
        _ => format!(
            "success/information value, facility {}",
            (value >> 16) & 0x7FF
        ),
    }
}

/// What a kind of table row is called in the Facility column.
fn kind_label(kind: CodeKind, value: u32) -> String {
    let bits = describe_bits(value);
    match kind {
        CodeKind::Win32 => format!("Win32 error {value}"),
        CodeKind::Msi => format!("Windows Installer exit code {value}"),
        CodeKind::Exit => format!("process exit code {value}"),
        CodeKind::Ntstatus => "NTSTATUS".to_owned(),
        other => format!("{} — {bits}", other.label()),
    }
}

/// Every interpretation of an input (a code in any written form, or a
/// symbolic name such as `E_ACCESSDENIED`), most likely first, with the
/// operating system's own message where there is one (Windows).
pub fn lookup_everywhere(tables: &Tables, input: &str) -> Result<Vec<Interpretation>, ParseError> {
    let mut found = match lookup(tables, input) {
        Err(ParseError::NotACode(text)) => {
            let value = tables
                .value_of(text.trim())
                .ok_or(ParseError::NotACode(text))?;
            lookup(tables, &format!("0x{value:08X}"))?
                .into_iter()
                .map(|mut r| {
                    r.input = input.trim().to_owned();
                    r
                })
                .collect()
        }
        other => other?,
    };
    crate::sys::add_os_messages(&mut found);
    Ok(found)
}

/// Every interpretation of an input, most likely first.
pub fn lookup(tables: &Tables, input: &str) -> Result<Vec<Interpretation>, ParseError> {
    let candidates = parse(input)?;
    let mut out: Vec<Interpretation> = Vec::new();
    for (i, &(value, written)) in candidates.iter().enumerate() {
        let mut readings = interpret(tables, input.trim(), value, written);
        // A second reading of the same digits only counts when something knows it.
        if i > 0 {
            readings.retain(|r| r.name.is_some() || r.meaning.is_some());
        }
        for r in readings {
            if !out
                .iter()
                .any(|o| o.hex == r.hex && o.facility == r.facility && o.name == r.name)
            {
                out.push(r);
            }
        }
    }
    Ok(out)
}

fn make(
    input: &str,
    value: u32,
    name: Option<String>,
    facility: String,
    meaning: Option<String>,
    source: String,
) -> Interpretation {
    Interpretation {
        input: input.to_owned(),
        hex: format!("0x{value:08X}"),
        signed: i64::from(value as i32),
        unsigned: u64::from(value),
        name,
        facility,
        meaning,
        source,
    }
}

fn join_names(rows: &[&NameRow]) -> Option<String> {
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    names.dedup();
    (!names.is_empty()).then(|| names.join(" / "))
}

/// The readings of one 32-bit value.
fn interpret(tables: &Tables, input: &str, value: u32, written: Written) -> Vec<Interpretation> {
    let mut out = Vec::new();
    let small = value < 0x10000;
    // Readings from the curated table, with their own meaning.
    let mut curated: Vec<&CuratedRow> = tables.curated(value).collect();
    // For small decimals an installer exit code is the likelier reading; for hex, the HRESULT one.
    curated.sort_by_key(|r| match (written, r.kind) {
        (Written::Decimal, CodeKind::Msi) => 0,
        (Written::Decimal, CodeKind::Exit) if value > 2 => 1,
        (_, CodeKind::Exit) => 3,
        _ => 2,
    });
    let names: Vec<&NameRow> = tables.names(value).collect();
    let mut names_used = false;
    for row in &curated {
        let name = row.name.clone().or_else(|| {
            // The generated names fill in a name the curated row leaves out.
            (!matches!(row.kind, CodeKind::Msi | CodeKind::Exit))
                .then(|| join_names(&names))
                .flatten()
        });
        names_used |= !matches!(row.kind, CodeKind::Msi | CodeKind::Exit);
        out.push(make(
            input,
            value,
            name,
            kind_label(row.kind, value),
            Some(row.meaning.clone()),
            format!("LogWeave table ({})", row.source),
        ));
    }
    if !names_used && !names.is_empty() {
        let facility = if small {
            format!("Win32 error {value}")
        } else {
            describe_bits(value)
        };
        out.push(make(
            input,
            value,
            join_names(&names),
            facility,
            None,
            "Windows SDK metadata (win32metadata)".to_owned(),
        ));
    }
    // An HRESULT that wraps a Win32 error or an NTSTATUS: read the inner code too.
    if value & 0xFFFF_0000 == 0x8007_0000 {
        let inner = value & 0xFFFF;
        for mut r in interpret(tables, input, inner, Written::Decimal) {
            if r.facility.starts_with("Windows Installer")
                || r.facility.starts_with("process exit")
                || r.name.is_some()
                || r.meaning.is_some()
            {
                r.facility = format!("FACILITY_WIN32 wrapping {}", r.facility);
                r.hex = format!("0x{value:08X}");
                r.signed = i64::from(value as i32);
                r.unsigned = u64::from(value);
                out.push(r);
            }
        }
    } else if value & 0x1000_0000 != 0 && value >> 31 == 1 {
        let inner = value & !0x1000_0000;
        for mut r in interpret(tables, input, inner, Written::Hex)
            .into_iter()
            .filter(|r| r.name.is_some())
        {
            r.facility = format!("HRESULT_FROM_NT wrapping NTSTATUS {}", r.hex);
            out.push(r);
        }
    }
    // A small number is also what HRESULT_FROM_WIN32 turns into 0x8007xxxx.
    if small && value != 0 && out.is_empty() {
        let wrapped = 0x8007_0000 | value;
        if let Some(r) = tables.names(wrapped).next() {
            out.push(make(
                input,
                value,
                Some(r.name.clone()),
                format!("Win32 error {value} (as HRESULT 0x{wrapped:08X})"),
                None,
                "Windows SDK metadata (win32metadata)".into(),
            ));
        }
    }
    if out.is_empty() {
        out.push(make(
            input,
            value,
            None,
            describe_bits(value),
            None,
            "not in the built-in tables".to_owned(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_written_form() {
        assert_eq!(
            parse("0x80070005").unwrap(),
            vec![(0x8007_0005, Written::Hex)]
        );
        assert_eq!(parse(" 80070005 ").unwrap()[0], (0x8007_0005, Written::Hex));
        assert_eq!(
            parse("-2147024891").unwrap(),
            vec![(0x8007_0005, Written::SignedDecimal)]
        );
        assert_eq!(
            parse("2147942405").unwrap(),
            vec![(0x8007_0005, Written::Decimal)]
        );
        assert_eq!(parse("5").unwrap()[0], (5, Written::Decimal));
        assert_eq!(
            parse("0xC0000005").unwrap(),
            vec![(0xC000_0005, Written::Hex)]
        );
        assert_eq!(
            parse("C0000005").unwrap(),
            vec![(0xC000_0005, Written::Hex)]
        );
        assert_eq!(
            parse("1603").unwrap(),
            vec![(1603, Written::Decimal), (0x1603, Written::Hex)]
        );
        assert_eq!(
            parse("0x80070002L").unwrap(),
            vec![(0x8007_0002, Written::Hex)]
        );
        assert!(matches!(parse(""), Err(ParseError::Empty)));
        assert!(matches!(parse("hello"), Err(ParseError::NotACode(_))));
        assert!(matches!(parse("0x800700051"), Err(ParseError::TooLarge(_))));
        assert!(matches!(parse("-9999999999"), Err(ParseError::TooLarge(_))));
        assert!(matches!(parse("99999999999"), Err(ParseError::TooLarge(_))));
    }

    #[test]
    fn decomposes_bits() {
        assert!(describe_bits(0x8007_0005).contains("FACILITY_WIN32 (7)"));
        assert!(describe_bits(0x8024_402C).contains("FACILITY_WINDOWSUPDATE (36)"));
        assert!(describe_bits(0x87D0_0324).contains("ConfigMgr"));
        assert!(describe_bits(0xC000_0005).starts_with("NTSTATUS"));
        assert!(describe_bits(0xD000_0022).starts_with("HRESULT_FROM_NT"));
        assert_eq!(describe_bits(1603), "Win32 error or exit code");
    }
}
