//! `logweave search`: matching records across files, folders and bundles,
//! whole multi-line records with file and record number, `--json` with the
//! `rows --json` keys plus `source`, error codes in every written form,
//! severity filters, and the exit codes. Every strategy agrees: the same
//! search over a plain file, a zip entry, one thread or all, a map or
//! reads, gives the same records.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

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

fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .arg("search")
        .args(args)
        .output()
        .expect("run logweave");
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// `(source, record)` of each JSON line.
fn hits(stdout: &str) -> Vec<(String, u64)> {
    json_lines(stdout)
        .iter()
        .map(|v| {
            (
                v["source"].as_str().unwrap().to_owned(),
                v["record"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn json_has_the_row_keys_and_the_source() {
    let file = data("ccm_crlf_multiline.log");
    let r = run([OsStr::new("--json"), OsStr::new("failed"), file.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = json_lines(&r.stdout);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    let mut keys: Vec<&str> = line
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "component",
            "message",
            "record",
            "severity",
            "source",
            "thread",
            "time",
            "utc"
        ]
    );
    assert_eq!(line["record"], 2);
    assert_eq!(line["severity"], "error");
    assert_eq!(line["source"], file.to_string_lossy().as_ref());
    // The same record `rows --json` prints.
    let rows = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .args([OsStr::new("rows"), OsStr::new("--json"), file.as_os_str()])
        .output()
        .unwrap();
    let rows = json_lines(&String::from_utf8(rows.stdout).unwrap());
    let mut expected = rows[2].clone();
    expected["source"] = line["source"].clone();
    assert_eq!(line, &expected);
}

#[test]
fn multi_line_records_print_whole_with_file_and_record_number() {
    let file = data("ccm_crlf_multiline.log");
    let r = run([OsStr::new("source list"), file.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lead = format!("{}:1 ", file.display());
    assert!(r.stdout.starts_with(&lead), "{}", r.stdout);
    assert!(r.stdout.contains("Command line:"), "{}", r.stdout);
    assert!(r.stdout.contains("Source list [1 of 2]"), "{}", r.stdout);
}

#[test]
fn a_code_matches_every_written_form_and_nothing_longer() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("codes.log");
    let record = |message: &str, kind: u8| {
        format!(
            "<![LOG[{message}]LOG]!><time=\"08:55:51.234+480\" date=\"11-24-2026\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"1\" file=\"\">\r\n"
        )
    };
    let text = [
        record("Failed to run the action. Code 0x80070005", 3),
        record("_SMSTSLastActionRetCode=-2147024891", 1),
        record("Exit code 2147942405", 2),
        record("Error: 80070005; Source: Windows", 3),
        record("unrelated 180070005 and 0x800700051", 1),
        record("Access denied 0X80070005", 3),
    ]
    .concat();
    fs::write(&log, text).unwrap();
    for code in ["0x80070005", "-2147024891", "E_ACCESSDENIED"] {
        let r = run([
            OsStr::new("--json"),
            OsStr::new("--code"),
            OsStr::new(code),
            log.as_os_str(),
        ]);
        assert_eq!(r.code, 0, "{code}: {}", r.stderr);
        let records: Vec<u64> = hits(&r.stdout).into_iter().map(|h| h.1).collect();
        assert_eq!(records, [0, 1, 2, 3, 5], "{code}");
    }
    // Errors only; errors and warnings.
    let only = |flags: &[&str]| {
        let mut args: Vec<&OsStr> = vec![OsStr::new("--json")];
        args.extend(flags.iter().map(OsStr::new));
        args.extend([
            OsStr::new("--code"),
            OsStr::new("0x80070005"),
            log.as_os_str(),
        ]);
        let r = run(args);
        hits(&r.stdout).into_iter().map(|h| h.1).collect::<Vec<_>>()
    };
    assert_eq!(only(&["--errors"]), [0, 3, 5]);
    assert_eq!(only(&["--warnings"]), [2]);
    assert_eq!(only(&["--errors", "--warnings"]), [0, 2, 3, 5]);
}

#[test]
fn case_regex_and_exit_codes() {
    let file = data("ccm_crlf_multiline.log");
    let r = run([OsStr::new("--case"), OsStr::new("FAILED"), file.as_os_str()]);
    assert_eq!(r.code, 3, "nothing found");
    assert!(r.stdout.is_empty());
    let r = run([
        OsStr::new("--json"),
        OsStr::new("--regex"),
        OsStr::new(r"^Set a \w+ environment"),
        file.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(hits(&r.stdout).len(), 1);
    let r = run([
        OsStr::new("--regex"),
        OsStr::new("(unclosed"),
        file.as_os_str(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("logweave search"), "{}", r.stderr);
    let r = run(["failed"]);
    assert_eq!(r.code, 2, "a pattern and no path");
    let missing = data("no-such-file.log");
    let r = run([OsStr::new("failed"), missing.as_os_str(), file.as_os_str()]);
    assert_eq!(r.code, 1, "a file could not be read");
    assert!(r.stderr.contains("no-such-file.log"), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "the other file was searched");
}

#[test]
fn folders_and_bundles_are_searched_and_every_strategy_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Logs");
    fs::create_dir_all(folder.join("SMSTSLog")).unwrap();
    let names = [
        "ccm_crlf_multiline.log",
        "ccm_utf16le_bom.log",
        "ccm_ansi_1252.log",
        "simple_multiline.log",
        "plain_keywords.log",
    ];
    for name in names {
        fs::copy(data(name), folder.join("SMSTSLog").join(name)).unwrap();
    }
    fs::write(folder.join("notes.bin"), b"failed error 0x80070005").unwrap();
    let zip_path = dir.path().join("bundle.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
    for name in names {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(format!("SMSTSLog/{name}"), options).unwrap();
        zip.write_all(&fs::read(data(name)).unwrap()).unwrap();
    }
    zip.finish().unwrap();

    let search = |extra: &[&str], path: &Path| {
        let mut args: Vec<&OsStr> = vec![OsStr::new("--json")];
        args.extend(extra.iter().map(OsStr::new));
        args.extend([OsStr::new("error"), path.as_os_str()]);
        let r = run(args);
        assert_eq!(r.code, 0, "{}: {}", path.display(), r.stderr);
        let mut lines = json_lines(&r.stdout);
        // Compare everything but where the record came from.
        let mut keyed: Vec<(String, Value)> = lines
            .iter_mut()
            .map(|v| {
                let source = v["source"].take();
                let name = Path::new(source.as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, v.clone())
            })
            .collect();
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1["record"].as_u64().cmp(&b.1["record"].as_u64()))
        });
        keyed
    };
    let from_folder = search(&[], &folder);
    assert!(!from_folder.is_empty());
    let files: std::collections::BTreeSet<&str> =
        from_folder.iter().map(|(n, _)| n.as_str()).collect();
    assert!(files.len() >= 3, "{files:?}");
    assert!(!files.contains("notes.bin"), "not a log");
    assert_eq!(search(&[], &zip_path), from_folder, "zip = folder");
    assert_eq!(
        search(&["--threads", "1"], &folder),
        from_folder,
        "1 thread"
    );
    assert_eq!(search(&["--no-mmap"], &folder), from_folder, "reads");
    // One entry of the bundle, named inside it.
    let entry = zip_path.join("SMSTSLog").join("ccm_crlf_multiline.log");
    let r = run([
        OsStr::new("--json"),
        OsStr::new("failed"),
        entry.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found = hits(&r.stdout);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .0
            .ends_with("bundle.zip/SMSTSLog/ccm_crlf_multiline.log"),
        "{:?}",
        found[0]
    );
}
