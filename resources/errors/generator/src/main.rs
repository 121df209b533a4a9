//! Generates `resources/errors/names.tsv`: symbolic names and 32-bit values of Windows
//! error and status codes, taken from Microsoft's win32metadata (`Windows.Win32.winmd`)
//! as bundled in the crates.io package `windows-bindgen` (MIT OR Apache-2.0).
//!
//! Names and values only; no message text is read or written.
//!
//! Usage: `cargo run --release -- [OUTPUT]` (default: `../names.tsv` next to this folder).
//!
//! How it works: for each namespace below, `windows_bindgen::bindgen` writes flat,
//! sys-style Rust bindings to a temporary file; this program then reads the
//! `pub const NAME: TYPE = VALUE;` items, keeps the error-like ones and writes a sorted TSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exact `windows-bindgen` version, taken from Cargo.lock by build.rs.
const BINDGEN_VERSION: &str = env!("WINDOWS_BINDGEN_VERSION");

/// Version of the `Windows.Win32.winmd` bundled with that release, as stated in the crate's
/// `default/readme.md`. Update both lines together when changing the pin in Cargo.toml.
const WINMD_RECORDED_FOR_BINDGEN: &str = "0.66.0";
const WINMD_VERSION: &str = "Microsoft.Windows.SDK.Win32Metadata 63.0.31";

/// win32metadata namespace and the short form written to the `namespace` column.
/// The filter also covers nested namespaces (e.g. `Security.Cryptography.Catalog`).
const NAMESPACES: &[(&str, &str)] = &[
    ("Windows.Win32.Foundation", "Foundation"),
    ("Windows.Win32.System.UpdateAgent", "UpdateAgent"),
    (
        "Windows.Win32.Networking.BackgroundIntelligentTransferService",
        "BITS",
    ),
    ("Windows.Win32.Networking.WinHttp", "WinHttp"),
    ("Windows.Win32.Networking.WinInet", "WinInet"),
    (
        "Windows.Win32.Management.MobileDeviceManagementRegistration",
        "MDMRegistration",
    ),
    ("Windows.Win32.System.Wmi", "Wmi"),
    ("Windows.Win32.System.Rpc", "Rpc"),
    (
        "Windows.Win32.NetworkManagement.NetManagement",
        "NetManagement",
    ),
    ("Windows.Win32.Networking.WinSock", "WinSock"),
    ("Windows.Win32.Security.Cryptography", "Cryptography"),
    (
        "Windows.Win32.System.ApplicationInstallationAndServicing",
        "AppInstall",
    ),
];

/// Metadata types that are status-code types, and the label written to the `type` column.
/// `WbemErrorEnum` is the scripting twin of `WBEMSTATUS`; `WBEM_EXTRA_RETURN_CODES` holds
/// `WBEM_E_RETRY_LATER`, `WBEM_S_SUBJECT_TO_SDS` and friends.
const STATUS_TYPES: &[(&str, &str)] = &[
    ("HRESULT", "HRESULT"),
    ("WIN32_ERROR", "WIN32_ERROR"),
    ("NTSTATUS", "NTSTATUS"),
    ("WBEMSTATUS", "WBEM"),
    ("WbemErrorEnum", "WBEM"),
    ("WBEM_EXTRA_RETURN_CODES", "WBEM"),
    ("RPC_STATUS", "RPC_STATUS"),
    ("WSA_ERROR", "WSA"),
];

/// Untyped (`u32`/`i32`) constants are kept when their name starts with one of these.
const NAME_PREFIXES: &[&str] = &[
    "ERROR_WINHTTP",
    "ERROR_INTERNET",
    "ERROR_HTTP",
    "BG_",
    "NERR_",
    "MENROLL_",
    "MREGISTER_",
    "WU_",
    "WBEM_",
    "RPC_",
    "WSA",
];

/// Untyped constants matching a prefix above that are plainly not status codes (flags,
/// options, buffer sizes, timeouts, range bases). For `RPC_` and `BG_` only the error
/// forms (`RPC_S_`, `RPC_X_`, `RPC_E_`, `BG_E_`, `BG_S_`) are status codes; the rest of
/// those families are option values and flags.
fn is_plainly_not_a_status_code(name: &str) -> bool {
    if name.starts_with("RPC_") {
        return !["RPC_S_", "RPC_X_", "RPC_E_"]
            .iter()
            .any(|p| name.starts_with(p));
    }
    if name.starts_with("BG_") {
        return !["BG_E_", "BG_S_"].iter().any(|p| name.starts_with(p));
    }
    const EXCLUDED_PREFIXES: &[&str] = &["WSA_FLAG_", "WSA_WAIT_"];
    const EXCLUDED_NAMES: &[&str] = &[
        "NERR_BASE",               // first value of the NERR_ range, not a code
        "WSA_INFINITE",            // timeout value
        "WSA_MAXIMUM_WAIT_EVENTS", // array size
        "WSADESCRIPTION_LEN",      // buffer size
        "WSASYS_STATUS_LEN",       // buffer size
        "WSAPROTOCOL_LEN",         // buffer size
        "WBEM_INFINITE",           // timeout value
        "WBEM_NO_WAIT",            // timeout value
    ];
    EXCLUDED_PREFIXES.iter().any(|p| name.starts_with(p)) || EXCLUDED_NAMES.contains(&name)
}

/// Order used when the same (value, name) pair turns up more than once.
const TYPE_RANK: &[&str] = &[
    "HRESULT",
    "WIN32_ERROR",
    "NTSTATUS",
    "WBEM",
    "RPC_STATUS",
    "WSA",
    "CONST",
];

#[derive(Clone, Debug)]
struct Row {
    value: u32,
    kind: &'static str,
    name: String,
    namespace: &'static str,
    namespace_index: usize,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args_os().skip(1);
    let output = match args.next() {
        Some(a) if a == "-h" || a == "--help" => {
            println!("usage: logweave-error-names [OUTPUT.tsv]   (default: ../names.tsv)");
            return Ok(());
        }
        Some(a) => PathBuf::from(a),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../names.tsv"),
    };
    if args.next().is_some() {
        return Err("expected at most one argument (the output path)".into());
    }
    if BINDGEN_VERSION != WINMD_RECORDED_FOR_BINDGEN {
        return Err(format!(
            "windows-bindgen is {BINDGEN_VERSION} but WINMD_VERSION was recorded for \
             {WINMD_RECORDED_FOR_BINDGEN}; check the crate's default/readme.md and update main.rs"
        ));
    }

    let tmp = std::env::temp_dir().join(format!("logweave-error-names-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let result = collect(&tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    let (rows, stats) = result?;

    let text = render(&rows);
    std::fs::write(&output, text.as_bytes()).map_err(|e| format!("{}: {e}", output.display()))?;

    eprintln!("{stats}");
    eprintln!("wrote {} rows to {}", rows.len(), output.display());
    Ok(())
}

fn collect(tmp: &Path) -> Result<(Vec<Row>, String), String> {
    let mut stats = String::new();
    let mut all: Vec<Row> = Vec::new();
    for (index, &(namespace, short)) in NAMESPACES.iter().enumerate() {
        let file = tmp.join(format!("{short}.rs"));
        let file_str = file
            .to_str()
            .ok_or("temporary path is not UTF-8")?
            .to_owned();
        let args = [
            "--out",
            &file_str,
            "--flat",
            "--sys",
            "--no-comment",
            "--no-deps",
            "--filter",
            namespace,
        ];
        // bindgen panics on an unknown namespace; report that as an error.
        let outcome = std::panic::catch_unwind(|| {
            // Warnings are about types from other namespaces left out by --no-deps.
            let _warnings = windows_bindgen::bindgen(args);
        });
        if outcome.is_err() {
            return Err(format!(
                "windows-bindgen failed for namespace {namespace} (not in the metadata?)"
            ));
        }
        let source =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let consts = parse_consts(&source);
        if consts.is_empty() {
            return Err(format!("no constants generated for {namespace}"));
        }
        let mut kept = 0usize;
        for c in &consts {
            let Some(kind) = classify(&c.name, &c.ty) else {
                continue;
            };
            let value = parse_value(&c.value).ok_or_else(|| {
                format!(
                    "{namespace}: cannot read the value of {}: {} = {}",
                    c.name, c.ty, c.value
                )
            })?;
            all.push(Row {
                value,
                kind,
                name: c.name.clone(),
                namespace: short,
                namespace_index: index,
            });
            kept += 1;
        }
        let _ = writeln!(
            stats,
            "{namespace}: {} constants, {kept} kept",
            consts.len()
        );
    }

    // One row per (value, name): prefer the more specific type, then the earlier namespace.
    let rank = |k: &str| TYPE_RANK.iter().position(|t| *t == k).unwrap_or(usize::MAX);
    let mut best: BTreeMap<(u32, String), Row> = BTreeMap::new();
    for row in all {
        let key = (row.value, row.name.clone());
        match best.get(&key) {
            Some(old)
                if (rank(old.kind), old.namespace_index)
                    <= (rank(row.kind), row.namespace_index) => {}
            _ => {
                best.insert(key, row);
            }
        }
    }
    // BTreeMap order is (value, name): exactly the required sort order.
    Ok((best.into_values().collect(), stats))
}

struct Const {
    name: String,
    ty: String,
    value: String,
}

/// Finds `pub const NAME: TYPE = VALUE;` items. Whitespace is normalised first, so this works
/// whether or not bindgen could run rustfmt on its output.
fn parse_consts(source: &str) -> Vec<Const> {
    let mut out = Vec::new();
    for statement in source.split(';') {
        let statement = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(pos) = statement.rfind("pub const ") else {
            continue;
        };
        let item = &statement[pos + "pub const ".len()..];
        let Some((name, rest)) = item.split_once(':') else {
            continue;
        };
        let Some((ty, value)) = rest.split_once('=') else {
            continue;
        };
        let name = name.trim().trim_start_matches("r#");
        // Keep only the last path segment of the type (`windows_sys::core::HRESULT` → `HRESULT`).
        let ty = ty.trim();
        let ty = ty.rsplit("::").next().unwrap_or(ty).trim();
        out.push(Const {
            name: name.to_string(),
            ty: ty.to_string(),
            value: value.trim().to_string(),
        });
    }
    out
}

/// The `type` column for a constant, or `None` if it is not kept.
fn classify(name: &str, ty: &str) -> Option<&'static str> {
    if let Some(&(_, label)) = STATUS_TYPES.iter().find(|(t, _)| *t == ty) {
        return Some(label);
    }
    if (ty == "u32" || ty == "i32")
        && NAME_PREFIXES.iter().any(|p| name.starts_with(p))
        && !is_plainly_not_a_status_code(name)
    {
        return Some("CONST");
    }
    None
}

/// Reads the value expressions bindgen writes for integer constants, e.g. `15705u32`,
/// `-2147209214i32`, `0x80004005_u32 as _`, `HRESULT(0x8007000Eu32 as _)`, and returns the
/// 32-bit two's-complement value.
fn parse_value(expr: &str) -> Option<u32> {
    let mut s = expr.trim();
    // Unwrap a newtype constructor such as `HRESULT(...)`.
    if let Some(open) = s.find('(') {
        let head = &s[..open];
        if s.ends_with(')')
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            s = s[open + 1..s.len() - 1].trim();
        }
    }
    // Drop a trailing cast (`as _`, `as i32`, ...).
    if let Some(pos) = s.find(" as ") {
        s = s[..pos].trim();
    }
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, s),
    };
    let s: String = s.chars().filter(|&c| c != '_').collect();
    let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => (hex.to_string(), 16),
        None => (s.clone(), 10),
    };
    // Strip an integer suffix (u32, i32, u16, ...); suffixes start with `u` or `i`, which are
    // not hex digits.
    let end = digits.find(['u', 'i']).unwrap_or(digits.len());
    let (number, suffix) = digits.split_at(end);
    if !suffix.is_empty()
        && !matches!(
            suffix,
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
        )
    {
        return None;
    }
    if number.is_empty() {
        return None;
    }
    let magnitude = i128::from_str_radix(number, radix).ok()?;
    let v = if negative { -magnitude } else { magnitude };
    if v < i128::from(i32::MIN) || v > i128::from(u32::MAX) {
        return None;
    }
    Some(if v < 0 { (v as i32) as u32 } else { v as u32 })
}

fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "# names.tsv: symbolic names and 32-bit values of Windows error and status codes (names and values only).\n",
    );
    out.push_str("# GENERATED FILE, do not edit. Hand-written meanings live in curated.tsv.\n");
    let _ = writeln!(
        out,
        "# Source: Microsoft win32metadata Windows.Win32.winmd ({WINMD_VERSION}), as bundled in the crates.io package windows-bindgen {BINDGEN_VERSION}."
    );
    out.push_str("# Licence: MIT OR Apache-2.0 (windows-bindgen and its bundled .winmd files).\n");
    out.push_str(
        "# Regenerate: cd resources/errors/generator && cargo run --release -- ../names.tsv\n",
    );
    out.push_str("# Namespaces (prefix Windows.Win32.):");
    for (i, (full, short)) in NAMESPACES.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        let _ = write!(
            out,
            "{sep}{}={short}",
            full.trim_start_matches("Windows.Win32.")
        );
    }
    out.push('\n');
    out.push_str("# value: 32-bit two's-complement value as 0x + 8 upper-case hex digits. type: HRESULT, WIN32_ERROR, NTSTATUS, WBEM, RPC_STATUS, WSA, or CONST (untyped constant kept by name prefix).\n");
    out.push_str("# Sorted by value, then name; one row per (value, name).\n");
    let _ = writeln!(out, "# Rows: {}", rows.len());
    out.push_str("value\ttype\tname\tnamespace\n");
    for r in rows {
        let _ = writeln!(
            out,
            "0x{:08X}\t{}\t{}\t{}",
            r.value, r.kind, r.name, r.namespace
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(parse_value("15705u32"), Some(15705));
        assert_eq!(parse_value("0x80004005_u32 as _"), Some(0x8000_4005));
        assert_eq!(
            parse_value("HRESULT(0x8007000Eu32 as _)"),
            Some(0x8007_000E)
        );
        assert_eq!(parse_value("-2147209214i32"), Some(0x8004_3002));
        assert_eq!(parse_value("-1i32"), Some(0xFFFF_FFFF));
        assert_eq!(parse_value("0xC0000005_u32 as _"), Some(0xC000_0005));
        assert_eq!(parse_value("4294967296u64"), None);
        assert_eq!(parse_value("s!(\"x\")"), None);
    }

    #[test]
    fn consts() {
        let src = "pub const E_FAIL: HRESULT = 0x80004005_u32 as _;\npub const\n  A_VERY_LONG_NAME: WIN32_ERROR =\n    2u32;";
        let c = parse_consts(src);
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[1].name.as_str(), c[1].ty.as_str(), c[1].value.as_str()),
            ("A_VERY_LONG_NAME", "WIN32_ERROR", "2u32")
        );
    }

    #[test]
    fn classification() {
        assert_eq!(classify("E_FAIL", "HRESULT"), Some("HRESULT"));
        assert_eq!(classify("ERROR_WINHTTP_TIMEOUT", "u32"), Some("CONST"));
        assert_eq!(classify("RPC_X_NULL_REF_POINTER", "i32"), Some("CONST"));
        assert_eq!(classify("RPC_C_AUTHN_WINNT", "u32"), None);
        assert_eq!(classify("BG_NOTIFY_JOB_ERROR", "u32"), None);
        assert_eq!(classify("BG_JOB_STATE_ERROR", "BG_JOB_STATE"), None);
        assert_eq!(classify("CERT_CHAIN_POLICY_BASE", "u32"), None);
    }
}
