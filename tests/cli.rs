//! Behaviour of the `logweave` binary: `stats --json` and `rows --json` on
//! the hand-written fixtures in tests/data (expected values worked out by
//! hand from the format rules, see tests/data/README.md), bad input, several
//! files at once, and the real logs in ../shared/real-logs when present.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary; whatever the input, it must not panic.
fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .args(args)
        .output()
        .expect("run logweave");
    let run = Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "logweave panicked:\n{}",
        run.stderr
    );
    run
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn stats(path: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&OsStr> = vec!["stats".as_ref(), "--json".as_ref()];
    args.extend(extra.iter().map(OsStr::new));
    args.push(path.as_os_str());
    let r = run(args);
    assert_eq!(r.code, 0, "stats {}: {}", path.display(), r.stderr);
    let mut lines = json_lines(&r.stdout);
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    lines.remove(0)
}

fn rows(path: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args: Vec<&OsStr> = vec!["rows".as_ref(), "--json".as_ref(), path.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    let r = run(args);
    assert_eq!(r.code, 0, "rows {}: {}", path.display(), r.stderr);
    json_lines(&r.stdout)
}

/// Expected `stats --json` values of one fixture.
struct Expect {
    file: &'static str,
    format: &'static str,
    encoding: &'static str,
    records: u64,
    errors: u64,
    warnings: u64,
    zone: &'static str,
    first_utc: Option<&'static str>,
    last_utc: Option<&'static str>,
}

/// Worked out by hand: native ConfigMgr UTC = local + bias, east-positive
/// (PSADT, ISO offsets) UTC = local - offset, no bias / MDT `+000` = local
/// time as written. First and last are the first and last timed records in
/// file order.
const EXPECT: &[Expect] = &[
    // 10:21:04.163 + 240 min = 14:21:04.163; last 00:00:02.046 (10-19) + 4 h = 04:00:02.046.
    Expect {
        file: "ccm_crlf_multiline.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 4,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2019-10-18T14:21:04.163Z"),
        last_utc: Some("2019-10-19T04:00:02.046Z"),
    },
    // 08:30:00.250 + 300 min; last timed is the unpadded 9:5:7.000+300 = 14:05:07; the record after it has no time.
    Expect {
        file: "ccm_attrs_odd.log",
        format: "ccm",
        encoding: "utf-8",
        records: 6,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2021-03-08T13:30:00.250Z"),
        last_utc: Some("2021-03-08T14:05:07.000Z"),
    },
    // No bias: local as written; 7 digits truncate to ms (.9996000 -> .999).
    Expect {
        file: "ime_7digit.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "local",
        first_utc: Some("2025-09-08T04:53:16.332Z"),
        last_utc: Some("2025-09-08T04:54:00.000Z"),
    },
    // East-positive +60: 09:06:14.327 - 1 h; 00:30 on 1-08 - 1 h = 23:30 on 1-07.
    Expect {
        file: "psadt_v4_east.log",
        format: "ccm",
        encoding: "utf-8",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "east-offset",
        first_utc: Some("2025-01-07T08:06:14.327Z"),
        last_utc: Some("2025-01-07T23:30:00.000Z"),
    },
    // Glued .12360 = .123 at UTC+60: 13:45:12.123 - 1 h.
    Expect {
        file: "psadt_v3_glued.log",
        format: "ccm",
        encoding: "utf-8",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "east-offset",
        first_utc: Some("2020-01-02T12:45:12.123Z"),
        last_utc: Some("2020-01-02T12:46:00.999Z"),
    },
    // MDT +000 with thread="": local as written.
    Expect {
        file: "mdt_plus000.log",
        format: "ccm",
        encoding: "utf-8",
        records: 4,
        errors: 1,
        warnings: 1,
        zone: "local",
        first_utc: Some("2019-12-07T16:52:13.000Z"),
        last_utc: Some("2019-12-07T16:53:02.000Z"),
    },
    // The cut-off record is a plain row: "error" in its text makes it an error; no time.
    Expect {
        file: "ccm_truncated.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2023-07-15T19:02:01.000Z"),
        last_utc: Some("2023-07-15T19:02:02.500Z"),
    },
    // 3 records + 3 plain rows (note with WARNING, empty line, text before a record); +00 bias.
    Expect {
        file: "ccm_text_between.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 6,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2020-02-04T15:10:29.068Z"),
        last_utc: Some("2020-02-04T15:10:38.114Z"),
    },
    // Bias -120: 16:53:52.712 - 2 h; 00:10 on 05-13 - 2 h = 22:10 on 05-12. NULs are not a row.
    Expect {
        file: "ccm_nul_padding.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2020-05-12T14:53:52.712Z"),
        last_utc: Some("2020-05-12T22:10:00.000Z"),
    },
    // +480: 16:53:52.712 on 12-07 + 8 h = 00:53:52.712 on 12-08.
    Expect {
        file: "ccm_utf16le_bom.log",
        format: "ccm",
        encoding: "utf-16le",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2019-12-08T00:53:52.712Z"),
        last_utc: Some("2019-12-08T00:54:00.100Z"),
    },
    // +420: 09:15:30.250 + 7 h.
    Expect {
        file: "ccm_utf16le_nobom.log",
        format: "ccm",
        encoding: "utf-16le",
        records: 2,
        errors: 1,
        warnings: 0,
        zone: "bias",
        first_utc: Some("2022-06-01T16:15:30.250Z"),
        last_utc: Some("2022-06-01T16:15:31.000Z"),
    },
    // -60: 10:00:00.000 - 1 h.
    Expect {
        file: "ccm_utf16be.log",
        format: "ccm",
        encoding: "utf-16be",
        records: 2,
        errors: 0,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2024-01-15T09:00:00.000Z"),
        last_utc: Some("2024-01-15T09:00:05.500Z"),
    },
    // MDT +000, thread="": local.
    Expect {
        file: "ccm_ansi_1252.log",
        format: "ccm",
        encoding: "windows-1252",
        records: 2,
        errors: 1,
        warnings: 0,
        zone: "local",
        first_utc: Some("2021-03-01T08:00:00.000Z"),
        last_utc: Some("2021-03-01T08:00:05.000Z"),
    },
    // Four records (one spans two lines); keyword severities; +240: 09:12:45.332 + 4 h.
    Expect {
        file: "simple_multiline.log",
        format: "simple",
        encoding: "utf-8-bom",
        records: 4,
        errors: 1,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2023-07-15T13:12:45.332Z"),
        last_utc: Some("2023-07-15T13:12:47.300Z"),
    },
    // One row per line; the level column wins over "Error = 0"; local time.
    Expect {
        file: "cbs_levels.log",
        format: "plain",
        encoding: "utf-8-bom",
        records: 6,
        errors: 1,
        warnings: 1,
        zone: "local",
        first_utc: Some("2023-05-17T08:24:08.000Z"),
        last_utc: Some("2023-05-17T08:44:14.000Z"),
    },
    // Keywords: "Warning:", "ERROR_NO_MORE_ITEMS", "0 errors" (CMTrace's substring rule).
    Expect {
        file: "plain_keywords.log",
        format: "plain",
        encoding: "utf-8",
        records: 6,
        errors: 2,
        warnings: 1,
        zone: "none",
        first_utc: None,
        last_utc: None,
    },
    // Keywords again ("WARNING:", "error 0x8024402C", "0 errors"); 7 digits truncate to ms.
    Expect {
        file: "plain_wu_no_level.log",
        format: "plain",
        encoding: "utf-8",
        records: 6,
        errors: 2,
        warnings: 1,
        zone: "local",
        first_utc: Some("2021-07-13T10:22:58.955Z"),
        last_utc: Some("2021-07-13T10:23:04.001Z"),
    },
    // +08:00 east-positive: 08:55:51.081 - 8 h.
    Expect {
        file: "plain_iso_offset.log",
        format: "plain",
        encoding: "utf-8",
        records: 3,
        errors: 1,
        warnings: 1,
        zone: "east-offset",
        first_utc: Some("2026-11-24T00:55:51.081Z"),
        last_utc: Some("2026-11-24T00:55:53.000Z"),
    },
    // +240: 12:52:44.338 + 4 h; the last record has no line break after it.
    Expect {
        file: "ccm_no_trailing_newline.log",
        format: "ccm",
        encoding: "utf-8-bom",
        records: 2,
        errors: 0,
        warnings: 1,
        zone: "bias",
        first_utc: Some("2021-07-14T16:52:44.338Z"),
        last_utc: Some("2021-07-14T16:58:01.399Z"),
    },
];

#[test]
fn stats_of_every_fixture() {
    let on_disk = fs::read_dir(data(""))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "log")
        })
        .count();
    assert_eq!(
        on_disk,
        EXPECT.len(),
        "every fixture has its expected stats"
    );
    for e in EXPECT {
        let path = data(e.file);
        let size = fs::metadata(&path).unwrap().len();
        for extra in [
            &[][..],
            &["--no-mmap", "--threads", "1"][..],
            &["--threads", "4"][..],
        ] {
            let s = stats(&path, extra);
            let want = json!({
                "path": path.to_string_lossy(),
                "format": e.format,
                "encoding": e.encoding,
                "bytes": size,
                "records": e.records,
                "errors": e.errors,
                "warnings": e.warnings,
                "zone": e.zone,
                "first_utc": e.first_utc,
                "last_utc": e.last_utc,
            });
            let mut got = s.clone();
            let index_ms = got.as_object_mut().unwrap().remove("index_ms");
            assert!(
                index_ms.as_ref().is_some_and(Value::is_u64),
                "{}: index_ms {index_ms:?}",
                e.file
            );
            assert_eq!(got, want, "{} {extra:?}", e.file);
        }
    }
}

/// Finds the row with the given record number.
fn row(rows: &[Value], record: u64) -> &Value {
    rows.iter()
        .find(|r| r["record"] == record)
        .unwrap_or_else(|| panic!("record {record} missing"))
}

fn assert_row(
    r: &Value,
    severity: &str,
    time: Option<&str>,
    utc: Option<&str>,
    component: &str,
    thread: &str,
    message: &str,
) {
    let want = json!({
        "record": r["record"],
        "severity": severity,
        "time": time,
        "utc": utc,
        "component": component,
        "thread": thread,
        "message": message,
    });
    assert_eq!(r, &want);
}

#[test]
fn rows_keep_multi_line_messages_and_times_as_written() {
    let r = rows(&data("ccm_crlf_multiline.log"), &[]);
    assert_eq!(r.len(), 4);
    assert_row(
        row(&r, 1),
        "warning",
        Some("10-18-2019 10:21:05.010+240"),
        Some("2019-10-18T14:21:05.010Z"),
        "ccmsetup",
        "1100",
        "Command line: \"C:\\WINDOWS\\ccmsetup\\ccmsetup.exe\" /source:<\\\\CM01.contoso.com\\SMS_PS1\\Client> SMSSITECODE=PS1\nSource list [1 of 2] => \"http://CM01.contoso.com/CCM_Client\" <retry>",
    );
    // 23:59:59.999 + 4 h crosses midnight.
    assert_row(
        row(&r, 2),
        "error",
        Some("10-18-2019 23:59:59.999+240"),
        Some("2019-10-19T03:59:59.999Z"),
        "TSManager",
        "1100",
        "RemoveFile() failed for C:\\_SMSTaskSequence\\TSEnv.dat. 0x80070005.",
    );
    // type="0" (verbose) is information.
    assert_eq!(row(&r, 3)["severity"], "info");

    let r = rows(&data("ime_7digit.log"), &[]);
    assert_row(
        row(&r, 1),
        "error",
        Some("9-8-2025 04:53:59.9996000"),
        Some("2025-09-08T04:53:59.999Z"),
        "AppWorkload",
        "14",
        "[Win32App] Failed to start service.\nSystem.InvalidOperationException: Cannot start service IntuneManagementExtension on computer '.'.\n   at System.ServiceProcess.ServiceController.Start(String[] args)",
    );

    let r = rows(&data("psadt_v4_east.log"), &[]);
    assert_row(
        row(&r, 0),
        "info",
        Some("1-07-2025 09:06:14.327+60"),
        Some("2025-01-07T08:06:14.327Z"),
        "Open-ADTSession",
        "12472",
        "[Initialization] :: Opened session for Contoso Widget 2.1.0\r\n\u{2008}\u{2008}Deploy mode: Silent\r\n",
    );
    assert_eq!(row(&r, 2)["utc"], "2025-01-07T23:30:00.000Z");

    let r = rows(&data("psadt_v3_glued.log"), &[]);
    assert_eq!(row(&r, 0)["time"], "01-02-2020 13:45:12.12360");
    assert_eq!(row(&r, 0)["utc"], "2020-01-02T12:45:12.123Z");

    let r = rows(&data("mdt_plus000.log"), &[]);
    assert_row(
        row(&r, 2),
        "info",
        Some("12-07-2019 16:53:01.000+000"),
        Some("2019-12-07T16:53:01.000Z"),
        "ZTIDrivers",
        "",
        "Command completed, return code = 0\rOutput: The operation completed successfully.",
    );
}

#[test]
fn rows_of_odd_attributes_truncated_records_and_text_between() {
    let r = rows(&data("ccm_attrs_odd.log"), &[]);
    assert_eq!(r.len(), 6);
    assert_row(
        row(&r, 0),
        "warning",
        Some("03-08-2021 08:30:00.250+300"),
        Some("2021-03-08T13:30:00.250Z"),
        "PolicyAgent_RequestAssignments",
        "4412",
        "Policy Agent is requesting policy assignments for machine",
    );
    // Missing type, thread, context and file.
    assert_row(
        row(&r, 1),
        "info",
        Some("03-08-2021 08:30:01.000+300"),
        Some("2021-03-08T13:30:01.000Z"),
        "PolicyAgent_RequestAssignments",
        "",
        "Raising event: instance of CCM_PolicyAgent_AssignmentsRequested",
    );
    // Extra spaces around `=` and between attributes.
    assert_row(
        row(&r, 3),
        "error",
        Some("03-08-2021 08:30:03.000+300"),
        Some("2021-03-08T13:30:03.000Z"),
        "CcmMessaging",
        "4412",
        "Failed to send request to /ccm_system/request. Error 0x80072ee2",
    );
    assert_eq!(row(&r, 4)["time"], "3-8-2021 9:5:7.000+300");
    assert_eq!(row(&r, 4)["utc"], "2021-03-08T14:05:07.000Z");
    // No time attribute: the date as written, and no UTC.
    assert_eq!(row(&r, 5)["time"], "03-08-2021");
    assert_eq!(row(&r, 5)["utc"], Value::Null);

    let r = rows(&data("ccm_truncated.log"), &[]);
    assert_eq!(r.len(), 3);
    assert_row(
        row(&r, 2),
        "error",
        None,
        None,
        "",
        "",
        "<![LOG[Failed to download content for package CM100005, error 0x80070002]LOG]!><time=\"11:02:03.456+480\" date=\"07-15-2023\" component=\"OSDDownloadContent\" cont",
    );

    let r = rows(&data("ccm_text_between.log"), &[]);
    let messages: Vec<&str> = r.iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "Client is set to use HTTPS when available. The current state is 224.",
            "=== manual note: client reinstalled by helpdesk, WARNING do not delete this log ===",
            "",
            "Pasted from the old ccmsetup.log: ",
            "Running as user \"SYSTEM\"",
            "Failed to get client version for sending state messages. Error 0x8004100e",
        ]
    );
    assert_eq!(row(&r, 1)["severity"], "warning");
    assert_eq!(row(&r, 1)["time"], Value::Null);
    assert_eq!(row(&r, 4)["utc"], "2020-02-04T15:10:29.070Z");
}

#[test]
fn rows_of_other_formats_and_encodings() {
    let r = rows(&data("simple_multiline.log"), &[]);
    assert_eq!(r.len(), 4);
    // The `~` that the SMS tracing layer adds is hidden.
    assert_row(
        row(&r, 1),
        "info",
        Some("07-15-2023 09:12:46.001+240"),
        Some("2023-07-15T13:12:46.001Z"),
        "SMS_DISTRIBUTION_MANAGER",
        "4116",
        "Processing package PS100012 (SourceVersion:3;StoredVersion:2)",
    );
    assert_row(
        row(&r, 2),
        "error",
        Some("07-15-2023 09:12:47.250+240"),
        Some("2023-07-15T13:12:47.250Z"),
        "SMS_DISTRIBUTION_MANAGER",
        "4116",
        "Failed to copy the content to distribution point [\"Display=\\\\DP01.contoso.com\\\"]MSWNET:[\"SMS_SITE=PS1\"]\\\\DP01.contoso.com\\\r\nError = 0x80070005 (Access is denied)",
    );

    let r = rows(&data("ccm_ansi_1252.log"), &[]);
    assert_eq!(
        r[0]["message"],
        "Validating connection to \\\\MDT01\\DeploymentShare$ f\u{fc}r Benutzer M\u{fc}ller"
    );
    assert_eq!(
        r[1]["message"],
        "ZTI ERROR - Unhandled error returned by ZTIApplications: Datei nicht gefunden (Gr\u{f6}\u{df}e 0 Byte, Preis 5 \u{20ac})"
    );
    assert_eq!(r[1]["utc"], "2021-03-01T08:00:05.000Z");

    let r = rows(&data("ccm_utf16le_bom.log"), &[]);
    assert_row(
        row(&r, 1),
        "warning",
        Some("12-07-2019 16:53:53.000+480"),
        Some("2019-12-08T00:53:53.000Z"),
        "TSManager",
        "2140",
        "Package path: C:\\Users\\J\u{fc}rgen\\Downloads\r\nDisplay name: \u{8a2d}\u{5b9a}\u{30a2}\u{30d7}\u{30ea}",
    );
    let r = rows(&data("ccm_utf16le_nobom.log"), &[]);
    assert_eq!(
        r[1]["message"],
        "ApplyImage failed, hr=0x80070070 (Gr\u{f6}\u{df}e \u{fc}berschritten)"
    );
    let r = rows(&data("ccm_utf16be.log"), &[]);
    assert_row(
        row(&r, 1),
        "warning",
        Some("01-15-2024 10:00:05.500-60"),
        Some("2024-01-15T09:00:05.500Z"),
        "WUAHandler",
        "6628",
        "Async searching completed with 0x80244022; retrying",
    );

    let r = rows(&data("cbs_levels.log"), &[]);
    assert_eq!(r.len(), 6);
    assert_eq!(
        row(&r, 1)["severity"],
        "info",
        "the level column beats `Error = 0`"
    );
    assert_eq!(
        (&row(&r, 2)["component"], &row(&r, 2)["thread"]),
        (&json!("DISM"), &json!("5908"))
    );
    assert_eq!(row(&r, 2)["time"], "2023-05-17 08:32:31");
    assert_eq!(row(&r, 2)["utc"], "2023-05-17T08:32:31.000Z");
    assert_eq!(
        row(&r, 4)["time"],
        Value::Null,
        "the continuation line has no time"
    );

    let r = rows(&data("plain_iso_offset.log"), &[]);
    assert_eq!(row(&r, 0)["component"], "TSManager");
    assert_eq!(row(&r, 0)["thread"], "7764");
    assert_eq!(row(&r, 0)["time"], "2026-11-24 08:55:51.081 +08:00");
    assert_eq!(row(&r, 0)["utc"], "2026-11-24T00:55:51.081Z");

    let r = rows(&data("ccm_no_trailing_newline.log"), &[]);
    assert_eq!(
        r[1]["message"],
        "Failed to get WSUS server policy from registry, using default"
    );
    assert_eq!(r[1]["utc"], "2021-07-14T16:58:01.399Z");
}

#[test]
fn rows_from_and_count() {
    let path = data("ccm_text_between.log");
    let all = rows(&path, &[]);
    let some = rows(&path, &["--from", "2", "--count", "3"]);
    assert_eq!(some, all[2..5]);
    assert_eq!(rows(&path, &["--from", "5"]), all[5..]);
    assert!(rows(&path, &["--from", "99"]).is_empty());
    assert!(rows(&path, &["--count", "0"]).is_empty());
    // Text output shows every line of a multi-line message.
    let r = run([OsStr::new("rows"), data("ime_7digit.log").as_os_str()]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("System.InvalidOperationException: Cannot start service"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("at System.ServiceProcess.ServiceController.Start"),
        "{}",
        r.stdout
    );
}

/// One line on stderr that names the file, exit code 1, nothing on stdout.
fn assert_unreadable(r: &Run, path: &Path) {
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {:?}", r.stderr);
    assert!(
        r.stderr.contains(&*path.to_string_lossy()),
        "names the file: {:?}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{:?}", r.stdout);
}

#[test]
fn unreadable_files_exit_1_with_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-smsts.log");
    // A path through a file (ENOTDIR), and a link to nothing.
    let file = dir.path().join("ccmexec.log");
    fs::write(&file, "x\n").unwrap();
    let through_file = file.join("inner.log");
    for cmd in ["stats", "rows"] {
        assert_unreadable(
            &run([OsStr::new(cmd), through_file.as_os_str()]),
            &through_file,
        );
    }
    #[cfg(unix)]
    {
        let dangling = dir.path().join("dangling.log");
        std::os::unix::fs::symlink(dir.path().join("gone.log"), &dangling).unwrap();
        assert_unreadable(&run([OsStr::new("stats"), dangling.as_os_str()]), &dangling);
    }
    for cmd in ["stats", "rows"] {
        assert_unreadable(&run([OsStr::new(cmd), missing.as_os_str()]), &missing);
        assert_unreadable(
            &run([OsStr::new(cmd), OsStr::new("--json"), missing.as_os_str()]),
            &missing,
        );
    }
    // A folder stands for the logs in it (issue 15); one without any is a
    // problem named on one line.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for cmd in ["stats", "rows"] {
        assert_unreadable(&run([OsStr::new(cmd), empty.as_os_str()]), &empty);
    }
}

/// Issue 11: a CCM record whose tag is 513 to 520 bytes long (a long
/// `file=` path, as PSADT and script writers produce) killed indexing.
/// Every tag length from 490 to 560 bytes now reads, in one file.
#[test]
fn records_with_tags_of_every_length_around_512_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long-tags.log");
    let head = r#"<time="08:55:51.081+480" date="11-24-2026" component="PSAppDeployToolkit" context="" type="3" thread="7764" file=""#;
    let mut text = String::new();
    for len in 490..=560 {
        let tag = format!("{head}{}\">", "x".repeat(len - head.len() - 2));
        assert_eq!(tag.len(), len);
        text += &format!("<![LOG[tag of {len} bytes]LOG]!>{tag}\r\n");
    }
    fs::write(&path, text).unwrap();
    for threads in ["1", "2"] {
        let s = stats(&path, &["--threads", threads]);
        assert_eq!(s["records"], 71, "{s}");
        assert_eq!(s["errors"], 71, "{s}");
    }
    let all = rows(&path, &[]);
    assert_eq!(all[22]["message"], "tag of 512 bytes");
    assert_eq!(all[23]["time"], all[22]["time"]);
}

/// A panic inside indexing (injected, as a bug would raise it) is one line
/// on stderr naming the file and exit code 1; the other files are read.
#[test]
fn a_panic_while_indexing_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken-indexer.log");
    fs::copy(data("ccm_crlf_multiline.log"), &broken).unwrap();
    let good = data("mdt_plus000.log");
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .args([
            OsStr::new("stats"),
            OsStr::new("--json"),
            broken.as_os_str(),
            good.as_os_str(),
        ])
        .env("LOGWEAVE_FAULT", "index:broken-indexer")
        .env_remove("LOGWEAVE_PANIC_DETAILS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!(
            "logweave: {}: indexing failed: internal error (injected fault at index",
            broken.display()
        )),
        "{stderr}"
    );
    let printed = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(printed.len(), 1, "the good file is still read");
    assert_eq!(printed[0]["records"], stats(&good, &[])["records"]);
}

#[cfg(unix)]
#[test]
fn permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.log");
    fs::write(&path, "locked\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&path).is_ok() {
        println!(
            "note: running with rights to read a mode-000 file (root?); permission test skipped"
        );
        return;
    }
    for cmd in ["stats", "rows"] {
        assert_unreadable(
            &run([OsStr::new(cmd), OsStr::new("--json"), path.as_os_str()]),
            &path,
        );
    }
}

/// Readable files, however odd, are not errors: exit 0 and a stats line.
fn readable(path: &Path) -> Value {
    let s = stats(path, &[]);
    let r = run([OsStr::new("rows"), OsStr::new("--json"), path.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = json_lines(&r.stdout);
    assert_eq!(
        lines.len() as u64,
        s["records"].as_u64().unwrap(),
        "rows prints every record"
    );
    s
}

#[test]
fn odd_but_readable_input() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);

    fs::write(p("empty.log"), b"").unwrap();
    let s = readable(&p("empty.log"));
    assert_eq!(
        (&s["records"], &s["zone"], &s["first_utc"], &s["bytes"]),
        (&json!(0), &json!("none"), &Value::Null, &json!(0))
    );

    // Binary junk: every byte value, pseudo-random order.
    let mut x: u32 = 2_463_534_242;
    let junk: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    fs::write(p("junk.bin"), &junk).unwrap();
    let s = readable(&p("junk.bin"));
    assert_eq!(s["bytes"], 200_000);

    // Only NUL bytes (a preallocated file never written): no rows.
    fs::write(p("nul.log"), vec![0u8; 70_000]).unwrap();
    let s = readable(&p("nul.log"));
    assert_eq!((&s["records"], &s["bytes"]), (&json!(0), &json!(70_000)));

    // Invalid UTF-8: read as Windows-1252.
    fs::write(
        p("ansi.log"),
        b"Gr\xfc\xdfe \x80 100\r\nline two \xff\xfe\r\n",
    )
    .unwrap();
    let s = readable(&p("ansi.log"));
    assert_eq!(
        (&s["encoding"], &s["records"]),
        (&json!("windows-1252"), &json!(2))
    );

    // Invalid UTF-16: unpaired surrogates and half a code unit at the end.
    fs::write(
        p("bad16.log"),
        b"\xff\xfeA\x00\x00\xd8B\x00\x00\xdc\n\x00\x00\xd8C",
    )
    .unwrap();
    let s = readable(&p("bad16.log"));
    assert_eq!(
        (&s["encoding"], &s["records"]),
        (&json!("utf-16le"), &json!(2))
    );
    let r = rows(&p("bad16.log"), &[]);
    assert_eq!(r[0]["message"], "A\u{fffd}B\u{fffd}");

    // CCM markers with nothing sensible in between.
    fs::write(
        p("markers.log"),
        b"<![LOG[<![LOG[]LOG]!>]LOG]!><\r\n<![LOG[]LOG]!><>\n]LOG]!><time=\"\">\r",
    )
    .unwrap();
    readable(&p("markers.log"));
}

#[test]
fn a_100_mb_line_without_a_line_break() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.log");
    let mut line = vec![b'A'; 100 * 1000 * 1000];
    line[..7].copy_from_slice(b"<![LOG[");
    fs::write(&path, &line).unwrap();
    drop(line);
    let s = stats(&path, &["--threads", "2"]);
    assert_eq!(
        (&s["records"], &s["bytes"], &s["format"]),
        (&json!(1), &json!(100_000_000), &json!("plain"))
    );
}

#[test]
fn several_files_one_missing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("ccmsetup.log");
    let a = data("ccm_crlf_multiline.log");
    let b = data("simple_multiline.log");
    let r = run([
        OsStr::new("stats"),
        OsStr::new("--json"),
        a.as_os_str(),
        missing.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(r.code, 1);
    let lines = json_lines(&r.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[0]["path"], &lines[0]["records"]),
        (&json!(a.to_string_lossy()), &json!(4))
    );
    assert_eq!(
        (&lines[1]["path"], &lines[1]["records"]),
        (&json!(b.to_string_lossy()), &json!(4))
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains(&*missing.to_string_lossy()));

    // Text output too.
    let r = run([
        OsStr::new("stats"),
        a.as_os_str(),
        missing.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains(&*a.to_string_lossy()) && r.stdout.contains(&*b.to_string_lossy()),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains(&*missing.to_string_lossy()));

    // All readable: exit 0.
    let r = run([
        OsStr::new("stats"),
        OsStr::new("--json"),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(json_lines(&r.stdout).len(), 2);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(["stats"]).code, 2);
    assert_eq!(run(["rows", "a.log", "--from", "x"]).code, 2);
    // --task-sequence searches this computer or one folder; it is no merge or comparison.
    let two = run(["--task-sequence", "a", "b"]);
    assert_eq!(two.code, 2);
    assert!(
        two.stderr
            .contains("--task-sequence searches this computer, or one folder")
    );
    assert_eq!(run(["--task-sequence", "--merge", "a"]).code, 2);
    assert_eq!(run(["--task-sequence", "--compare", "a", "b"]).code, 2);
}

/// No display (or no usable OpenGL): the window does not open, and says what
/// to use instead, instead of crashing.
#[cfg(all(unix, feature = "gui"))]
#[test]
fn without_a_display_the_window_says_what_to_use_instead() {
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .args(["--new-window"])
        .arg(data("mdt_plus000.log"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("logweave: cannot open the viewer window:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("use the console: logweave tail FILE"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn real_logs_open() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    let Ok(entries) = fs::read_dir(&dir) else {
        println!("note: {} not found; real-log checks skipped", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .log files in {}", dir.display());
    for path in &files {
        let s = stats(path, &[]);
        assert!(
            s["records"].as_u64().unwrap() > 0,
            "{}: {s}",
            path.display()
        );
        assert_eq!(s["bytes"], fs::metadata(path).unwrap().len());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Facts from real-logs/README.md and formats.md, checked by hand
        // against the first lines of each file.
        let fact = |key: &str, want: Value| assert_eq!(s[key], want, "{name}: {key}");
        match name.as_str() {
            "ccmsetup-bias-plus00.log" => {
                fact("format", json!("ccm"));
                fact("encoding", json!("utf-8-bom"));
                fact("zone", json!("bias"));
                // 15:10:29.068+00: bias 0, UTC as written.
                fact("first_utc", json!("2020-02-04T15:10:29.068Z"));
            }
            "smsts-mdt-standalone-2019-plus480.log" => {
                fact("format", json!("ccm"));
                // README: one type=3 record.
                fact("errors", json!(1));
                // 22:55:38.363+480 on 12-06-2019 + 8 h.
                fact("first_utc", json!("2019-12-07T06:55:38.363Z"));
            }
            "ime-AgentExecutor-multiline.log" => {
                // README: 159 records, 21 continuation lines inside them.
                fact("records", json!(159));
                fact("zone", json!("local"));
            }
            "psadt-v4-excerpt-plus60-umlaut-issue.log" => {
                fact("zone", json!("east-offset"));
                // 09:06:14.327+60 (east-positive) - 1 h.
                fact("first_utc", json!("2024-12-11T08:06:14.327Z"));
            }
            "simple-colleval-excerpt-minus60.log" => {
                fact("format", json!("simple"));
                fact("records", json!(17));
                // 01:03:34.174-60: bias -60, UTC = local - 1 h.
                fact("first_utc", json!("2022-11-30T00:03:34.174Z"));
            }
            "msi-utf16le-basic-2015.log" => {
                fact("format", json!("plain"));
                fact("encoding", json!("utf-16le"));
            }
            "dism-win11-restorehealth.log" => {
                fact("format", json!("plain"));
                fact("encoding", json!("utf-8-bom"));
                // formats.md §3.1: DISM 22 Error, 4 Warning.
                fact("errors", json!(22));
                fact("warnings", json!(4));
            }
            "ccm-WUAHandler-plus240.log" => {
                fact("records", json!(26));
                fact("zone", json!("bias"));
            }
            _ => {}
        }
        let r = run([OsStr::new("rows"), OsStr::new("--json"), path.as_os_str()]);
        assert_eq!(r.code, 0);
        assert_eq!(
            json_lines(&r.stdout).len() as u64,
            s["records"].as_u64().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let r = run(["--version"]);
    assert_eq!(r.code, 0);
    let line = r.stdout.trim();
    let rest = line
        .strip_prefix(&format!("logweave {} (commit ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    let (commit, date) = rest
        .strip_suffix(')')
        .and_then(|r| r.split_once(", "))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{line}"
    );
    let parts: Vec<&str> = date.split('-').collect();
    assert!(
        parts.len() == 3
            && [4, 2, 2]
                .iter()
                .zip(&parts)
                .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit())),
        "{line}"
    );
}
