//! Logs that arrive as text: `logweave stats --json` and `rows --json` on
//! the hand-written pastes in tests/data/pasted and on the real excerpts in
//! ../shared/real-logs/pasted-*.log (when present); and LogWeave's own
//! Ctrl+C (tab-separated rows) read back with the same columns.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use logweave::document::{LogDocument, OpenOptions};
use logweave::export::{ExportFormat, write_records};
use logweave::formats::LogFormat;
use serde_json::{Value, json};

fn logweave<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .args(args)
        .output()
        .expect("run logweave");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "logweave failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

fn stats(path: &Path) -> Value {
    let out = logweave([OsStr::new("stats"), OsStr::new("--json"), path.as_os_str()]);
    serde_json::from_str(out.trim()).expect("one JSON object")
}

fn rows(path: &Path) -> Vec<Value> {
    logweave([OsStr::new("rows"), OsStr::new("--json"), path.as_os_str()])
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// What one file must read as: its format, its record count, and some
/// records' columns (`record` plus any of component, thread, time, utc,
/// severity, message).
struct Expect {
    file: &'static str,
    format: &'static str,
    records: usize,
    checks: Vec<Value>,
}

fn check(dir: &Path, expect: &Expect) {
    let path = dir.join(expect.file);
    let s = stats(&path);
    assert_eq!(s["format"], expect.format, "{}: {s}", expect.file);
    assert_eq!(s["records"], expect.records, "{}: {s}", expect.file);
    let rows = rows(&path);
    assert_eq!(rows.len(), expect.records, "{}", expect.file);
    for want in &expect.checks {
        let record = want["record"].as_u64().unwrap() as usize;
        for (key, value) in want.as_object().unwrap() {
            assert_eq!(
                &rows[record][key], value,
                "{} record {record}: {key}",
                expect.file
            );
        }
    }
}

#[test]
fn hand_written_pastes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pasted");
    let expected = [
        Expect {
            file: "cmtrace_tabs_12h.log",
            format: "pasted",
            records: 6,
            checks: vec![
                json!({"record": 0, "component": "ApplyDrivers", "thread": "2044",
                       "time": "7/4/2021 11:59:58 PM", "utc": "2021-07-04T23:59:58.000Z",
                       "message": "Gathering drivers for model Contoso 5000"}),
                // 12 AM is midnight, 12 PM noon.
                json!({"record": 1, "utc": "2021-07-05T00:00:01.000Z"}),
                json!({"record": 3, "component": "TSManager", "thread": "980",
                       "utc": "2021-07-05T12:30:00.000Z"}),
                json!({"record": 5, "severity": "warning", "utc": "2021-07-05T13:15:09.000Z"}),
            ],
        },
        Expect {
            file: "logweave_copy.log",
            format: "pasted",
            records: 4,
            checks: vec![
                // The bias is kept as text; the time is local, never moved.
                json!({"record": 0, "time": "05-02-2024 08:15:00.125+300",
                       "utc": "2024-05-02T08:15:00.125Z", "thread": "3120"}),
                json!({"record": 1, "severity": "error", "component": "OSDDiskPart"}),
                json!({"record": 3, "time": null, "component": "",
                       "message": "A note without columns"}),
            ],
        },
        Expect {
            file: "date_first_columns.log",
            format: "pasted",
            records: 5,
            checks: vec![
                json!({"record": 1, "component": "InstallSoftware", "thread": "1500",
                       "message": "Command line: setup.exe /quiet"}),
                json!({"record": 2, "time": "03-14-202309:00:03.000",
                       "utc": "2023-03-14T09:00:03.000Z",
                       "message": "Returned settings:\n<settings>\n  <reboot>false</reboot>\n</settings>"}),
                json!({"record": 3, "component": "", "time": null}),
                json!({"record": 4, "severity": "error", "thread": "900"}),
            ],
        },
        Expect {
            file: "component_nbsp.log",
            format: "pasted",
            records: 5,
            checks: vec![
                json!({"record": 1, "component": "SMSPXE", "severity": "warning", "time": null}),
                json!({"record": 2, "message": "\\-----------------------------------------"}),
                json!({"record": 3, "message": "PXE provider:    reply sent"}),
                json!({"record": 4, "message": "Client architecture:\nx64 UEFI"}),
            ],
        },
        Expect {
            file: "day_first_24h.log",
            format: "pasted",
            records: 2,
            checks: vec![
                // 25/03 shows the locale is day first, so 05/03 is 5 March.
                json!({"record": 0, "utc": "2022-03-05T18:40:12.000Z"}),
                json!({"record": 1, "utc": "2022-03-25T18:41:00.000Z"}),
            ],
        },
        Expect {
            file: "component_utf16le.log",
            format: "pasted",
            records: 3,
            checks: vec![
                json!({"record": 0,
                       "message": "Resolving package for Configure Grüße Ländereinstellungen"}),
                json!({"record": 1, "severity": "error", "component": "TSManager",
                       "message": "Unable to resolve package: error 0x80070002\r\nThe system cannot find the file specified."}),
            ],
        },
    ];
    for expect in &expected {
        check(&dir, expect);
    }
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut named: Vec<String> = expected.iter().map(|e| e.file.to_owned()).collect();
    named.sort();
    assert_eq!(
        files, named,
        "every fixture in tests/data/pasted is checked"
    );
}

#[test]
fn real_pasted_excerpts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    if !dir.is_dir() {
        println!(
            "note: {} not found; real pasted excerpts skipped",
            dir.display()
        );
        return;
    }
    // Record counts counted by hand from the files (README.md says what each is).
    let expected = [
        Expect {
            file: "pasted-smsts-fail-dynamically-apply-drivers-exit9-configmgr33-issue.log",
            format: "pasted",
            records: 12,
            checks: vec![
                json!({"record": 0, "component": "RunPowerShellScript", "thread": "1160",
                       "time": "3/21/2018 3:45:33 AM", "utc": "2018-03-21T03:45:33.000Z",
                       "severity": "info",
                       "message": "Resolved source to 'C:\\_SMSTaskSequence\\Packages\\001000AF'"}),
                json!({"record": 10, "component": "TSManager", "thread": "1524",
                       "time": "3/21/2018 3:46:00 AM",
                       "message": "Process completed with exit code 9"}),
            ],
        },
        Expect {
            // Message, then sometimes component and thread, sometimes not:
            // no column shape holds for most lines, so one record per line.
            file: "pasted-smsts-fail-enable-bitlocker-80070057-msdocs-doc.log",
            format: "plain",
            records: 11,
            checks: vec![json!({"record": 9, "component": "", "time": null})],
        },
        Expect {
            // The empty line 4 continues record 2.
            file: "pasted-smsts-fail-post-rollback-hresult-chain-80070005-msdocs-doc.log",
            format: "pasted",
            records: 7,
            checks: vec![
                json!({"record": 0, "component": "TSManager", "thread": "", "time": null,
                       "message": "g_TSManager.Run(), HRESULT=80070005"}),
                json!({"record": 2, "message": "m_pGlobalScope->open(), HRESULT=80070005"}),
                json!({"record": 6, "message": "sMp.empty()==false, HRESULT=80004005"}),
            ],
        },
        Expect {
            // 24 component lines and 4 separator lines.
            file: "pasted-smsts-fail-tsmbootstrap-winhttp-80072f8f-msdocs-doc.log",
            format: "pasted",
            records: 28,
            checks: vec![
                json!({"record": 0, "component": "TSMBootstrap", "message": "Current time info:"}),
                json!({"record": 8, "component": "",
                       "message": "\\-----------------------------------------------------------------"}),
                json!({"record": 10, "component": "TSMBootstrap",
                       "message": "[TSMESSAGING]                : dwStatusInformationLength is 4"}),
                json!({"record": 15, "severity": "error",
                       "message": "Error. Received 0x80072f8f from WinHttpSendRequest."}),
                json!({"record": 27, "message": "Sending with winhttp failed; 80072f8f"}),
            ],
        },
        Expect {
            // Ten column lines; the last continues over seven lines.
            file: "pasted-smsts-install-application-actualconfig-multiline-msdocs-doc.log",
            format: "pasted",
            records: 10,
            checks: vec![
                json!({"record": 0, "component": "InstallApplication", "thread": "1608",
                       "time": "01-13-2016 17:56:36.119", "utc": "2016-01-13T17:56:36.119Z",
                       "message": "Locked ActualConfig successfully"}),
                json!({"record": 9, "message": "Raising event:\ninstance of CCM_PolicyAgent_SettingsEvaluationComplete\n{\nClientID = \"GUID:ClientGUID\";\nDateTime = \"20160113225636.150000+000\";\nPolicyNamespace = \"`\\\\\\\\.\\\\root\\\\ccm\\\\policy\\\\machine\\\\actualconfig`\";\nProcessID = 1392; ThreadID = 1608;\n};"}),
            ],
        },
        Expect {
            file: "pasted-smsts-install-application-local-vars-nospace-date-msdocs-doc.log",
            format: "pasted",
            records: 5,
            checks: vec![
                json!({"record": 0, "component": "TSManager", "thread": "2176",
                       "time": "01-13-201617:56:35.510", "utc": "2016-01-13T17:56:35.510Z",
                       "message": "Set a local default variable OSDApp0Description"}),
                json!({"record": 4, "utc": "2016-01-13T17:56:35.525Z"}),
            ],
        },
        Expect {
            file: "pasted-smsts-install-application-ok-msdocs-doc.log",
            format: "pasted",
            records: 2,
            checks: vec![
                json!({"record": 1, "component": "TSManager", "thread": "2176",
                                "utc": "2016-01-13T17:56:48.073Z",
                                "message": "Successfully completed the action (Install Application) with the exit win32 code 0"}),
            ],
        },
        Expect {
            file: "pasted-smsts-install-application-start-msdocs-doc.log",
            format: "pasted",
            records: 3,
            checks: vec![
                json!({"record": 0, "component": "TSManager", "thread": "2176",
                                "time": "01-13-2016 17:56:35.510",
                                "message": "Start executing an instruction. Instructionname: Install Application. Instruction pointer: 32"}),
            ],
        },
        Expect {
            // Single spaces between the columns.
            file: "pasted-smsts-tsbootshell-volume-not-found-80070490-msdocs-doc.log",
            format: "pasted",
            records: 6,
            checks: vec![
                json!({"record": 1, "component": "TSBootShell", "thread": "1136",
                       "time": "02-07-2022 09:41:51.246", "utc": "2022-02-07T09:41:51.246Z",
                       "message": "Volume '\\\\?\\Volume{GUID}\\' not found"}),
            ],
        },
        Expect {
            // Message text only: stays plain, one record per line.
            file: "pasted-smsts-excerpt-twin-restart-env-not-found-msdocs-doc.log",
            format: "plain",
            records: 9,
            checks: vec![json!({"record": 4, "severity": "error"})],
        },
    ];
    for expect in &expected {
        check(&dir, expect);
    }
    // Every pasted excerpt there is one of these.
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pasted-") && n.ends_with(".log"))
        .collect();
    files.sort();
    let mut named: Vec<String> = expected.iter().map(|e| e.file.to_owned()).collect();
    named.sort();
    assert_eq!(files, named);
}

/// Logs that are not pastes keep their format.
#[test]
fn plain_logs_stay_plain() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for name in [
        "cbs_levels.log",
        "plain_keywords.log",
        "plain_wu_no_level.log",
        "plain_iso_offset.log",
    ] {
        assert_eq!(stats(&data.join(name))["format"], "plain", "{name}");
    }
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    for name in ["dism-win11-restorehealth.log", "msi-utf16le-basic-2015.log"] {
        let path = real.join(name);
        if path.exists() {
            assert_eq!(stats(&path)["format"], "plain", "{name}");
        }
    }
}

fn open(path: &Path) -> LogDocument {
    LogDocument::open_blocking(path, OpenOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// LogWeave's Ctrl+C and "Save as tab-separated" write `export::tsv_line`
/// rows; opened again they are a paste with the same message (line breaks
/// and tabs flattened to spaces, as the copy writes them), component, time
/// text and thread, in the same order.
#[test]
fn logweave_copies_round_trip() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = [
        "ccm_crlf_multiline.log",
        "ccm_attrs_odd.log",
        "ime_7digit.log",
        "psadt_v4_east.log",
        "psadt_v3_glued.log",
        "mdt_plus000.log",
        "ccm_utf16le_bom.log",
        "ccm_ansi_1252.log",
        "simple_multiline.log",
        "cbs_levels.log",
        "plain_iso_offset.log",
        "pasted/cmtrace_tabs_12h.log",
        "pasted/date_first_columns.log",
    ]
    .iter()
    .map(|n| data.join(n))
    .collect();
    for file in &files {
        let doc = open(file);
        let all: Vec<usize> = (0..doc.record_count()).collect();
        let mut out = Vec::new();
        write_records(&doc, &all, ExportFormat::Tsv, &mut out, None).unwrap();
        let copy = dir.path().join("copy.txt");
        fs::write(&copy, &out).unwrap();
        let again = open(&copy);
        let name = file.display();
        assert_eq!(again.format(), LogFormat::Pasted, "{name}");
        assert_eq!(again.record_count(), doc.record_count(), "{name}");
        let flat = |s: &str| s.replace(['\r', '\n', '\t'], " ");
        for r in 0..doc.record_count() {
            let (a, b) = (doc.row(r).unwrap().fields, again.row(r).unwrap().fields);
            assert_eq!(b.message, flat(&a.message), "{name} record {r}");
            assert_eq!(b.component, flat(&a.component), "{name} record {r}");
            assert_eq!(
                b.time_text.unwrap_or_default(),
                flat(a.time_text.as_deref().unwrap_or_default()),
                "{name} record {r}"
            );
            assert_eq!(b.thread, flat(&a.thread), "{name} record {r}");
            // The wall clock as written is kept; the zone is not guessed.
            assert_eq!(b.meta.wall_ms, a.meta.wall_ms, "{name} record {r}");
            assert_eq!(b.meta.utc_ms(), b.meta.wall_ms, "{name} record {r}");
        }
    }
}
