//! Error codes: parsing a code in any written form (`0x80070005`,
//! `80070005`, `-2147024891`, `2147942405`, `5`), decomposing HRESULTs and
//! NTSTATUS values, and looking up every interpretation in the embedded
//! tables (names generated from Microsoft's win32metadata, meanings written
//! by us for the codes deployment admins meet) and, on Windows, in the
//! operating system's message tables. [`detect`] finds codes inside log text.
//! Never reads log files.

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
        CodeKind::Hresult => bits,
        other if value < 0x10000 => format!("{} error {value}", other.label()),
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
        // Within one value, readings that explain the code come before bare names.
        readings.sort_by_key(|r| r.meaning.is_none());
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
    // Small NTSTATUS and WMI values are success and wait codes (STATUS_WAIT_2 is 2):
    // next to a Win32 error or an exit code they are noise.
    let names: Vec<&NameRow> = tables
        .names(value)
        .filter(|n| !small || !matches!(n.type_name.as_str(), "NTSTATUS" | "WBEM"))
        .collect();
    let mut names_used = false;
    for row in &curated {
        // The generated names add the other names of the same value (12029 is
        // both ERROR_WINHTTP_CANNOT_CONNECT and ERROR_INTERNET_CANNOT_CONNECT).
        let mut all: Vec<&str> = row.name.iter().map(String::as_str).collect();
        if !matches!(row.kind, CodeKind::Msi | CodeKind::Exit) {
            all.extend(names.iter().map(|n| n.name.as_str()));
        }
        let mut unique: Vec<&str> = Vec::new();
        for n in all {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let name = (!unique.is_empty()).then(|| unique.join(" / "));
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
            // HRESULT_FROM_WIN32 wraps Win32 errors (an installer's 1603 is one too),
            // never a tool's private exit code.
            let wraps = !r.facility.starts_with("process exit code");
            // A reading that only repeats a name already shown adds nothing.
            let repeats = r.meaning.is_none() && out.iter().any(|o| o.name == r.name);
            if wraps && !repeats && (r.name.is_some() || r.meaning.is_some()) {
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
            r.hex = format!("0x{value:08X}");
            r.signed = i64::from(value as i32);
            r.unsigned = u64::from(value);
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

    /// error-codes.md §7: hex, signed decimal, the symbolic name (empty for
    /// ConfigMgr codes, which have none), and a word the meaning must contain.
    const VECTORS: &[(u32, i32, &str, &str)] = &[
        (0x8007_0002, -2_147_024_894, "ERROR_FILE_NOT_FOUND", "file"),
        (
            0x8007_0003,
            -2_147_024_893,
            "ERROR_PATH_NOT_FOUND",
            "folder",
        ),
        (0x8007_0005, -2_147_024_891, "E_ACCESSDENIED", "rights"),
        (0x8000_4005, -2_147_467_259, "E_FAIL", ""),
        (0x8000_4004, -2_147_467_260, "E_ABORT", ""),
        (0x8007_0057, -2_147_024_809, "E_INVALIDARG", ""),
        (0x8007_000E, -2_147_024_882, "E_OUTOFMEMORY", "memory"),
        (0x8007_0070, -2_147_024_784, "ERROR_DISK_FULL", "space"),
        (0x8007_0032, -2_147_024_846, "ERROR_NOT_SUPPORTED", ""),
        (0x8007_010B, -2_147_024_629, "ERROR_DIRECTORY", ""),
        (
            0x8007_052E,
            -2_147_023_570,
            "ERROR_LOGON_FAILURE",
            "password",
        ),
        (0x8007_0035, -2_147_024_843, "ERROR_BAD_NETPATH", ""),
        (0x8007_04CF, -2_147_023_665, "ERROR_NETWORK_UNREACHABLE", ""),
        (0x8007_2EE2, -2_147_012_894, "ERROR_WINHTTP_TIMEOUT", ""),
        (
            0x8007_2EE7,
            -2_147_012_889,
            "ERROR_WINHTTP_NAME_NOT_RESOLVED",
            "",
        ),
        (
            0x8007_2EFD,
            -2_147_012_867,
            "ERROR_WINHTTP_CANNOT_CONNECT",
            "",
        ),
        (
            0x8007_2F8F,
            -2_147_012_721,
            "ERROR_WINHTTP_SECURE_FAILURE",
            "",
        ),
        (0x8009_1007, -2_146_889_721, "CRYPT_E_HASH_VALUE", "hash"),
        (0x800B_0109, -2_146_762_487, "CERT_E_UNTRUSTEDROOT", "root"),
        (0x8007_0643, -2_147_023_293, "ERROR_INSTALL_FAILURE", ""),
        (
            0x8007_0652,
            -2_147_023_278,
            "ERROR_INSTALL_ALREADY_RUNNING",
            "",
        ),
        (
            0x8007_0BC2,
            -2_147_021_886,
            "ERROR_SUCCESS_REBOOT_REQUIRED",
            "",
        ),
        (
            0x8007_0669,
            -2_147_023_255,
            "ERROR_SUCCESS_REBOOT_INITIATED",
            "",
        ),
        (0x8007_05B4, -2_147_023_436, "ERROR_TIMEOUT", ""),
        (0x8007_0490, -2_147_023_728, "ERROR_NOT_FOUND", ""),
        (
            0x800F_081F,
            -2_146_498_529,
            "CBS_E_SOURCE_MISSING",
            "source",
        ),
        (
            0x8024_402C,
            -2_145_107_924,
            "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED",
            "",
        ),
        (
            0x8024_4022,
            -2_145_107_934,
            "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
            "503",
        ),
        (0xC000_0005, -1_073_741_819, "STATUS_ACCESS_VIOLATION", ""),
        (0x87D0_0324, -2_016_410_844, "", "detect"),
        (0x87D0_0213, -2_016_411_117, "", ""),
        (0x87D0_0607, -2_016_410_105, "", "content"),
        (0x87D0_1106, -2_016_407_290, "", ""),
        (
            0x8018_0014,
            -2_145_910_764,
            "MENROLL_E_DEVICENOTSUPPORTED",
            "",
        ),
        (0x800F_0922, -2_146_498_270, "CBS_E_INSTALLERS_FAILED", ""),
        (0x8024_0022, -2_145_124_318, "WU_E_ALL_UPDATES_FAILED", ""),
        (0x8019_0194, -2_145_844_844, "BG_E_HTTP_ERROR_404", ""),
        (0xC000_0142, -1_073_741_502, "STATUS_DLL_INIT_FAILED", ""),
        (0x8004_1010, -2_147_217_392, "WBEM_E_INVALID_CLASS", ""),
    ];

    #[test]
    fn error_codes_md_test_vectors() {
        let tables = Tables::builtin();
        for &(value, signed, name, word) in VECTORS {
            assert_eq!(
                value as i32, signed,
                "vector 0x{value:08X} is self-consistent"
            );
            for input in [
                format!("0x{value:08X}"),
                format!("{value:08X}"),
                signed.to_string(),
                value.to_string(),
            ] {
                let found = lookup(tables, &input).unwrap_or_else(|e| panic!("{input}: {e}"));
                let first = &found[0];
                assert_eq!(first.hex, format!("0x{value:08X}"), "{input}");
                assert_eq!(
                    (first.signed, first.unsigned),
                    (i64::from(signed), u64::from(value)),
                    "{input}"
                );
                if !name.is_empty() {
                    assert!(
                        found.iter().any(|f| f
                            .name
                            .as_deref()
                            .is_some_and(|n| n.split(" / ").any(|n| n == name))),
                        "{input}: no {name} in {found:#?}"
                    );
                }
                if name.is_empty() || !word.is_empty() {
                    let meaning = found
                        .iter()
                        .find_map(|f| f.meaning.clone())
                        .unwrap_or_else(|| panic!("{input}: no meaning"));
                    assert!(
                        meaning.to_lowercase().contains(word),
                        "{input}: '{meaning}' lacks '{word}'"
                    );
                }
            }
        }
    }

    #[test]
    fn ambiguous_numbers_show_every_reading_most_likely_first() {
        let tables = Tables::builtin();
        let found = lookup(tables, "1603").unwrap();
        assert!(
            found[0].facility.starts_with("Windows Installer"),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|f| f.facility.starts_with("Win32 error 1603")),
            "{found:#?}"
        );
        let found = lookup(tables, "2").unwrap();
        assert_eq!(found[0].name.as_deref(), Some("ERROR_FILE_NOT_FOUND"));
        // The HRESULT form of 1603 is read through to the installer code.
        let found = lookup(tables, "0x80070643").unwrap();
        assert!(
            found.iter().any(|f| f
                .facility
                .contains("FACILITY_WIN32 wrapping Windows Installer exit code 1603")),
            "{found:#?}"
        );
        // HRESULT_FROM_WIN32 never wraps a tool's private exit code.
        assert!(
            lookup(tables, "0x80070002")
                .unwrap()
                .iter()
                .all(|f| !f.facility.contains("process exit"))
        );
        // 12029 has two names (WinHTTP and WinINet).
        let found = lookup(tables, "12029").unwrap();
        let names = found
            .iter()
            .filter_map(|f| f.name.clone())
            .collect::<Vec<_>>()
            .join(" / ");
        assert!(
            names.contains("ERROR_WINHTTP_CANNOT_CONNECT")
                && names.contains("ERROR_INTERNET_CANNOT_CONNECT"),
            "{names}"
        );
        // Unknown codes still decompose.
        let found = lookup(tables, "0x8FFF1234").unwrap();
        assert_eq!(found[0].name, None);
        assert!(found[0].facility.contains("HRESULT failure"));
        // A symbolic name works as input.
        let found = lookup_everywhere(tables, "E_ACCESSDENIED").unwrap();
        assert_eq!(found[0].hex, "0x80070005");
    }

    #[test]
    fn embedded_tables_are_well_formed() {
        let (curated, names) = Tables::builtin().sizes();
        assert!(curated >= 300, "{curated} curated rows");
        assert!(names >= 10_000, "{names} names");
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
