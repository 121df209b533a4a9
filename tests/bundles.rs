//! Bundles: logs opened from zip and cab archives, archives nested in them
//! and folders, through the API and the `logweave` binary. Zip bundles are
//! made here with the `zip` crate's writer; cab bundles with `gcab` (Debian
//! package `gcab`; the cab tests are skipped with a note when it is
//! missing). Damaged archives and zip bombs give a message naming the entry
//! while the other entries still open; every way of reaching a log (file,
//! zip entry, cab entry, entry spilled to a temporary file) reads the same.

#[path = "common/archives.rs"]
mod archives;
use archives::zero_bomb;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use logweave::bundle::sets::{self, SetKind};
use logweave::bundle::{self, Limits, Location};
use logweave::document::OpenOptions;
use serde_json::Value;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Writes a zip at `path` holding `(name, bytes, method)` entries.
fn write_zip(path: &Path, entries: &[(&str, Vec<u8>, CompressionMethod)]) {
    let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
    for (name, bytes, method) in entries {
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(*method),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn read(name: &str) -> Vec<u8> {
    fs::read(data(name)).unwrap()
}

/// The records of a document as (severity, message) pairs.
fn messages(doc: &logweave::LogDocument) -> Vec<String> {
    doc.rows(0..doc.record_count(), None)
        .into_iter()
        .map(|r| r.fields.message)
        .collect()
}

fn open(entry: &bundle::LogEntry, limits: &Limits) -> logweave::LogDocument {
    bundle::open_blocking(entry, OpenOptions::default(), limits).unwrap_or_else(|p| panic!("{p}"))
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The SMSTSLog chain of the fixtures, zipped the way a support bundle is.
fn chain_zip(dir: &Path) -> PathBuf {
    let zip = dir.join("bundle.zip");
    let chain = data("ts/chain");
    write_zip(
        &zip,
        &[
            (
                "Windows/CCM/Logs/SMSTSLog/smsts.log",
                fs::read(chain.join("Windows/CCM/Logs/SMSTSLog/smsts.log")).unwrap(),
                CompressionMethod::Deflated,
            ),
            (
                "Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log",
                fs::read(chain.join("Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log"))
                    .unwrap(),
                CompressionMethod::Stored,
            ),
            (
                "_SMSTaskSequence/Logs/Smstslog/smsts.log",
                fs::read(chain.join("_SMSTaskSequence/Logs/Smstslog/smsts.log")).unwrap(),
                CompressionMethod::Bzip2,
            ),
            (
                "Windows/CCM/Logs/notes.xml",
                b"<x/>".to_vec(),
                CompressionMethod::Deflated,
            ),
            ("Windows/CCM/Logs/", Vec::new(), CompressionMethod::Stored),
        ],
    );
    zip
}

#[test]
fn a_zipped_smsts_chain_lists_opens_and_is_one_set() {
    let dir = tempfile::tempdir().unwrap();
    let zip = chain_zip(dir.path());
    assert!(bundle::is_archive(&zip));
    let limits = Limits::default();
    let listing = bundle::list(&zip, &limits).unwrap();
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    let shown: Vec<String> = listing.entries.iter().map(|e| display(&e.path)).collect();
    let z = display(&zip);
    assert_eq!(
        shown,
        [
            format!("{z}/Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log"),
            format!("{z}/Windows/CCM/Logs/SMSTSLog/smsts.log"),
            format!("{z}/_SMSTaskSequence/Logs/Smstslog/smsts.log"),
        ]
    );
    // Every entry (deflated, stored, bzip2) reads as the file it was made from.
    let chain = data("ts/chain");
    for entry in &listing.entries {
        let Location::Entry { inner, .. } = &entry.location else {
            panic!("an archive entry: {entry:?}");
        };
        let original = chain.join(&inner[0]);
        assert_eq!(entry.size, fs::metadata(&original).unwrap().len());
        let from_zip = open(entry, &limits);
        let from_file =
            logweave::LogDocument::open_blocking(&original, OpenOptions::default()).unwrap();
        assert!(from_zip.record_count() > 0);
        assert_eq!(messages(&from_zip), messages(&from_file), "{inner:?}");
        assert!(from_zip.is_in_memory(), "a fixed copy: never followed");
    }
    let found = sets::recognise(&listing.entries);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, SetKind::SmstsChain);
    assert_eq!(found[0].members.len(), 3);
    // The rolled-over copy comes first.
    assert!(
        listing.entries[found[0].members[0]]
            .file_name()
            .starts_with("smsts-")
    );
}

#[test]
fn an_entry_path_opens_that_entry_ignoring_case_and_backslashes() {
    let dir = tempfile::tempdir().unwrap();
    let zip = chain_zip(dir.path());
    let limits = Limits::default();
    for inner in [
        "Windows/CCM/Logs/SMSTSLog/smsts.log",
        "windows/ccm/logs/smstslog/SMSTS.LOG",
        "Windows\\CCM\\Logs\\SMSTSLog\\smsts.log",
    ] {
        let path = PathBuf::from(format!("{}/{inner}", zip.display()));
        let listing = bundle::expand(&path, &limits).unwrap();
        assert_eq!(listing.entries.len(), 1, "{inner}");
        assert_eq!(
            display(&listing.entries[0].path),
            format!("{}/Windows/CCM/Logs/SMSTSLog/smsts.log", display(&zip))
        );
    }
    // A folder inside the archive stands for its logs; a plain file for itself.
    let folder = PathBuf::from(format!("{}/Windows/CCM/Logs/SMSTSLog", zip.display()));
    assert_eq!(bundle::expand(&folder, &limits).unwrap().entries.len(), 2);
    let plain = data("ccm_crlf_multiline.log");
    let listing = bundle::expand(&plain, &limits).unwrap();
    assert_eq!(listing.entries[0].location, Location::File(plain.clone()));
    // A name that is not there is a problem naming it.
    let missing = PathBuf::from(format!("{}/Windows/nothing.log", zip.display()));
    let problem = bundle::expand(&missing, &limits).unwrap_err();
    assert!(problem.to_string().contains("nothing.log"), "{problem}");
}

#[test]
fn nested_archives_and_utf16_logs() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner.zip");
    write_zip(
        &inner,
        &[
            (
                "MDT/BDD.log",
                read("mdt_plus000.log"),
                CompressionMethod::Deflated,
            ),
            (
                "MSI/MSI1a2b3.LOG",
                read("ccm_utf16le_bom.log"),
                CompressionMethod::Bzip2,
            ),
        ],
    );
    let outer = dir.path().join("outer.zip");
    write_zip(
        &outer,
        &[
            (
                "nested/inner.zip",
                fs::read(&inner).unwrap(),
                CompressionMethod::Deflated,
            ),
            (
                "ccmsetup.log",
                read("ccm_crlf_multiline.log"),
                CompressionMethod::Stored,
            ),
        ],
    );
    let limits = Limits::default();
    let listing = bundle::list(&outer, &limits).unwrap();
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    let o = display(&outer);
    let shown: Vec<String> = listing.entries.iter().map(|e| display(&e.path)).collect();
    assert_eq!(
        shown,
        [
            format!("{o}/ccmsetup.log"),
            format!("{o}/nested/inner.zip/MDT/BDD.log"),
            format!("{o}/nested/inner.zip/MSI/MSI1a2b3.LOG"),
        ]
    );
    let msi = &listing.entries[2];
    assert_eq!(
        msi.location,
        Location::Entry {
            archive: outer.clone(),
            inner: vec!["nested/inner.zip".into(), "MSI/MSI1a2b3.LOG".into()],
        }
    );
    let doc = open(msi, &limits);
    let plain =
        logweave::LogDocument::open_blocking(&data("ccm_utf16le_bom.log"), OpenOptions::default())
            .unwrap();
    assert_eq!(doc.encoding(), plain.encoding());
    assert_eq!(messages(&doc), messages(&plain));
    // The nested entry by its path, through both archives.
    let path = PathBuf::from(format!("{}/nested/inner.zip/mdt/bdd.log", outer.display()));
    let listing = bundle::expand(&path, &limits).unwrap();
    assert_eq!(listing.entries.len(), 1);
    assert!(open(&listing.entries[0], &limits).record_count() > 0);
}

#[test]
fn a_damaged_entry_names_itself_and_the_others_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("damaged.zip");
    let good = read("ccm_crlf_multiline.log");
    let bad = fs::read(data("ts/failure.log")).unwrap();
    write_zip(
        &zip,
        &[
            ("good.log", good, CompressionMethod::Stored),
            ("bad.log", bad, CompressionMethod::Deflated),
        ],
    );
    // Scribble over the middle of the deflated entry's data.
    let mut bytes = fs::read(&zip).unwrap();
    let at = bytes.windows(7).position(|w| w == b"bad.log").unwrap() + 7 + 100;
    for b in &mut bytes[at..at + 200] {
        *b ^= 0x5a;
    }
    fs::write(&zip, &bytes).unwrap();
    let limits = Limits::default();
    let listing = bundle::list(&zip, &limits).unwrap();
    assert_eq!(listing.entries.len(), 2);
    let (mut opened, mut failed) = (0, Vec::new());
    for entry in &listing.entries {
        match bundle::open_blocking(entry, OpenOptions::default(), &limits) {
            Ok(doc) => {
                assert!(doc.record_count() > 0);
                opened += 1;
            }
            Err(problem) => failed.push(problem),
        }
    }
    assert_eq!(opened, 1);
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].to_string().contains("damaged.zip/bad.log"),
        "{}",
        failed[0]
    );
    // A central directory of garbage: one problem naming the archive.
    let truncated = dir.path().join("truncated.zip");
    fs::write(&truncated, &bytes[..bytes.len() - 30]).unwrap();
    let cut = bundle::list(&truncated, &limits).unwrap();
    assert!(cut.entries.is_empty());
    assert_eq!(cut.problems.len(), 1, "{:?}", cut.problems);
    assert!(cut.problems[0].to_string().contains("truncated.zip"));
    // In a folder, the damaged archive is a problem and the others list.
    fs::copy(data("ccm_crlf_multiline.log"), dir.path().join("plain.log")).unwrap();
    let folder = bundle::list(dir.path(), &limits).unwrap();
    assert_eq!(folder.problems.len(), 1, "{:?}", folder.problems);
    assert_eq!(folder.entries.len(), 3, "plain.log and damaged.zip's two");
}

#[test]
fn zip_bombs_are_refused_fast_and_the_rest_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.zip");
    zero_bomb(&bomb, "zeros.log", 2 << 30);
    let limits = Limits::default();
    let listing = bundle::list(&bomb, &limits).unwrap();
    assert_eq!(listing.entries.len(), 1);
    let started = Instant::now();
    let problem = bundle::open(&listing.entries[0], OpenOptions::default(), &limits)
        .err()
        .expect("refused");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        problem
            .message
            .contains("refused: expands more than 1000 times its compressed size (zip bomb?)"),
        "{problem}"
    );
    assert!(problem.to_string().contains("bomb.zip/zeros.log"));

    // The same bomb nested in a bundle beside a good log: listing it does
    // not decompress it, and the good log opens.
    let bundle_zip = dir.path().join("with-bomb.zip");
    write_zip(
        &bundle_zip,
        &[
            (
                "good.log",
                read("ccm_crlf_multiline.log"),
                CompressionMethod::Deflated,
            ),
            (
                "inner/bomb.zip",
                fs::read(&bomb).unwrap(),
                CompressionMethod::Stored,
            ),
        ],
    );
    let started = Instant::now();
    let listing = bundle::list(&bundle_zip, &limits).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    assert_eq!(listing.entries.len(), 2);
    assert!(open(&listing.entries[0], &limits).record_count() > 0);
    assert!(bundle::open(&listing.entries[1], OpenOptions::default(), &limits).is_err());

    // A bomb of nesting: archives in archives ten deep.
    let mut current = dir.path().join("level0.zip");
    write_zip(
        &current,
        &[(
            "deep.log",
            read("ccm_crlf_multiline.log"),
            CompressionMethod::Stored,
        )],
    );
    for level in 1..10 {
        let next = dir.path().join(format!("level{level}.zip"));
        write_zip(
            &next,
            &[(
                &format!("level{}.zip", level - 1),
                fs::read(&current).unwrap(),
                CompressionMethod::Deflated,
            )],
        );
        current = next;
    }
    let deep = bundle::list(&current, &limits).unwrap();
    assert!(deep.entries.is_empty());
    assert_eq!(deep.problems.len(), 1, "{:?}", deep.problems);
    assert!(
        deep.problems[0]
            .message
            .contains("refused: archives nested more than 4 deep"),
        "{}",
        deep.problems[0]
    );
}

#[test]
fn a_folder_with_rollovers_and_rotations_makes_sets() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("Logs");
    let ime = dir.path().join("IntuneManagementExtension/Logs");
    fs::create_dir_all(&logs).unwrap();
    fs::create_dir_all(&ime).unwrap();
    let sample = read("ccm_crlf_multiline.log");
    for name in [
        "AppEnforce.log",
        "AppEnforce.lo_",
        "CcmExec.log",
        "setup.xml",
    ] {
        fs::write(logs.join(name), &sample).unwrap();
    }
    for name in [
        "IntuneManagementExtension.log",
        "IntuneManagementExtension-20261103-093310.log",
        "IntuneManagementExtension-20261101-120000.log",
        "AgentExecutor.log",
        "AgentExecutor-20261102-080000.log",
    ] {
        fs::write(ime.join(name), read("ime_7digit.log")).unwrap();
    }
    let listing = bundle::list(dir.path(), &Limits::default()).unwrap();
    assert!(listing.problems.is_empty());
    assert_eq!(listing.entries.len(), 8, "setup.xml is not a log");
    let found = sets::recognise(&listing.entries);
    let names = |members: &[usize]| -> Vec<String> {
        members
            .iter()
            .map(|&i| listing.entries[i].file_name())
            .collect()
    };
    let mut summary: Vec<(SetKind, Vec<String>)> =
        found.iter().map(|s| (s.kind, names(&s.members))).collect();
    summary.sort();
    assert_eq!(
        summary,
        [
            (
                SetKind::Rollover,
                vec!["AppEnforce.lo_".to_owned(), "AppEnforce.log".to_owned()]
            ),
            (
                SetKind::ImeRotation,
                vec![
                    "AgentExecutor-20261102-080000.log".to_owned(),
                    "AgentExecutor.log".to_owned()
                ]
            ),
            (
                SetKind::ImeRotation,
                vec![
                    "IntuneManagementExtension-20261101-120000.log".to_owned(),
                    "IntuneManagementExtension-20261103-093310.log".to_owned(),
                    "IntuneManagementExtension.log".to_owned()
                ]
            ),
        ]
    );
    // Plain files of a folder open as files (followed like any).
    let doc = open(&listing.entries[0], &Limits::default());
    assert!(!doc.is_in_memory());
}

/// Makes a cab with gcab, or says why not.
fn gcab(dir: &Path, cab: &str, mszip: bool, files: &[&str]) -> Option<PathBuf> {
    let mut command = Command::new("gcab");
    command.current_dir(dir).arg("-c");
    if mszip {
        command.arg("-z");
    }
    match command.arg(cab).args(files).status() {
        Ok(status) if status.success() => Some(dir.join(cab)),
        Ok(status) => panic!("gcab failed: {status}"),
        Err(e) => {
            eprintln!("note: cab tests skipped: gcab (Debian package `gcab`) not found: {e}");
            None
        }
    }
}

#[test]
fn cab_bundles_with_ccm_and_utf16_msi_logs() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(src.join("Logs")).unwrap();
    fs::write(src.join("Logs/CcmExec.log"), read("ccm_crlf_multiline.log")).unwrap();
    fs::write(src.join("Logs/AppEnforce.lo_"), read("ccm_ansi_1252.log")).unwrap();
    fs::write(src.join("MSI4f2a1.LOG"), read("ccm_utf16le_bom.log")).unwrap();
    let files = ["Logs/CcmExec.log", "Logs/AppEnforce.lo_", "MSI4f2a1.LOG"];
    for (cab, mszip) in [("logs-mszip.cab", true), ("logs-stored.cab", false)] {
        let Some(cab) = gcab(&src, cab, mszip, &files) else {
            return;
        };
        assert!(bundle::is_archive(&cab));
        let limits = Limits::default();
        let listing = bundle::list(&cab, &limits).unwrap();
        assert!(listing.problems.is_empty(), "{:?}", listing.problems);
        let c = display(&cab);
        let shown: Vec<String> = listing.entries.iter().map(|e| display(&e.path)).collect();
        assert_eq!(
            shown,
            [
                format!("{c}/Logs/AppEnforce.lo_"),
                format!("{c}/Logs/CcmExec.log"),
                format!("{c}/MSI4f2a1.LOG"),
            ]
        );
        for (entry, original) in listing.entries.iter().zip([
            "ccm_ansi_1252.log",
            "ccm_crlf_multiline.log",
            "ccm_utf16le_bom.log",
        ]) {
            let doc = open(entry, &limits);
            let plain =
                logweave::LogDocument::open_blocking(&data(original), OpenOptions::default())
                    .unwrap();
            assert_eq!(doc.encoding(), plain.encoding(), "{original}");
            assert_eq!(messages(&doc), messages(&plain), "{original}");
        }
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&Path], memory_limit: Option<u64>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_logweave"));
    command.args(args);
    if let Some(limit) = memory_limit {
        command.env("LOGWEAVE_BUNDLE_MEMORY_LIMIT", limit.to_string());
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// JSON lines with the keys that name or time the reading taken out.
fn json_without_path(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if let Some(o) = v.as_object_mut() {
                o.remove("path");
                o.remove("index_ms");
            }
            v
        })
        .collect()
}

#[test]
fn every_strategy_agrees_in_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["ts/failure.log", "ccm_utf16le_bom.log", "ccm_ansi_1252.log"];
    let flat = |n: &str| n.replace('/', "_");
    let zipped = dir.path().join("bundle.zip");
    write_zip(
        &zipped,
        &names
            .iter()
            .map(|n| {
                (
                    n.rsplit('/').next().unwrap(),
                    read(n),
                    CompressionMethod::Deflated,
                )
            })
            .collect::<Vec<_>>(),
    );
    let src = dir.path().join("cabsrc");
    fs::create_dir_all(&src).unwrap();
    for n in names {
        fs::write(src.join(flat(n)), read(n)).unwrap();
    }
    let cab_files: Vec<String> = names.iter().map(|n| flat(n)).collect();
    let cab_refs: Vec<&str> = cab_files.iter().map(String::as_str).collect();
    let cab = gcab(&src, "bundle.cab", true, &cab_refs);
    for name in names {
        let plain = data(name);
        let short = name.rsplit('/').next().unwrap();
        let in_zip = PathBuf::from(format!("{}/{short}", zipped.display()));
        let mut ways: Vec<(PathBuf, Option<u64>)> = vec![
            (plain.clone(), None),
            (in_zip.clone(), None),
            (in_zip, Some(0)),
        ];
        if let Some(cab) = &cab {
            ways.push((
                PathBuf::from(format!("{}/{}", cab.display(), flat(name))),
                None,
            ));
        }
        let mut seen: Option<(Vec<Value>, Vec<Value>)> = None;
        for (path, memory) in &ways {
            let stats = run(&[Path::new("stats"), Path::new("--json"), path], *memory);
            assert_eq!(stats.code, 0, "{}: {}", path.display(), stats.stderr);
            let line: Value = serde_json::from_str(stats.stdout.trim()).unwrap();
            assert_eq!(line["path"], path.to_string_lossy().as_ref());
            let rows = run(&[Path::new("rows"), Path::new("--json"), path], *memory);
            assert_eq!(rows.code, 0, "{}: {}", path.display(), rows.stderr);
            let got = (
                json_without_path(&stats.stdout),
                json_without_path(&rows.stdout),
            );
            assert!(!got.1.is_empty());
            match &seen {
                None => seen = Some(got),
                Some(first) => assert_eq!(&got, first, "{} reads as the file", path.display()),
            }
        }
    }
}

#[test]
fn subcommands_take_bundles_and_entry_paths() {
    let dir = tempfile::tempdir().unwrap();
    let zip = chain_zip(dir.path());
    // stats: one object per log, named by its display path.
    let stats = run(&[Path::new("stats"), Path::new("--json"), &zip], None);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let paths: Vec<String> = stats
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(paths.len(), 3);
    assert!(paths.iter().all(|p| p.starts_with(&*zip.to_string_lossy())));
    // outline and triage read the smsts copies of the bundle as one chain,
    // as they do the same copies in a folder.
    for cmd in ["outline", "triage"] {
        let from_zip = run(&[Path::new(cmd), Path::new("--json"), &zip], None);
        let from_folder = run(
            &[Path::new(cmd), Path::new("--json"), &data("ts/chain")],
            None,
        );
        assert_eq!(
            from_zip.code, from_folder.code,
            "{cmd}: {}",
            from_zip.stderr
        );
        assert!(!from_zip.stdout.is_empty());
        let strip = |s: &str| -> Vec<Value> {
            s.lines()
                .map(|l| {
                    let mut v: Value = serde_json::from_str(l).unwrap();
                    if let Some(o) = v.as_object_mut() {
                        o.remove("file");
                        o.remove("files");
                        o.remove("evidence");
                        o.remove("read_next");
                    }
                    v
                })
                .collect()
        };
        assert_eq!(strip(&from_zip.stdout), strip(&from_folder.stdout), "{cmd}");
    }
    // merge takes the bundle's logs; compare two entry paths.
    let merged = run(&[Path::new("merge"), Path::new("--json"), &zip], None);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert!(merged.stdout.lines().count() > 10);
    let a = PathBuf::from(format!(
        "{}/Windows/CCM/Logs/SMSTSLog/smsts.log",
        zip.display()
    ));
    let b = PathBuf::from(format!(
        "{}/_SMSTaskSequence/Logs/Smstslog/smsts.log",
        zip.display()
    ));
    let compared = run(&[Path::new("compare"), &a, &b], None);
    assert_eq!(compared.code, 0, "{}", compared.stderr);
    assert!(compared.stdout.contains("smsts.log"));
    // rows wants one log: the whole bundle is a usage problem naming it.
    let rows = run(&[Path::new("rows"), &zip], None);
    assert_eq!(rows.code, 1);
    assert!(rows.stderr.contains("holds 3 logs"), "{}", rows.stderr);
    // A bomb among the inputs is one line on stderr; the rest still prints.
    let bomb = dir.path().join("bomb.zip");
    zero_bomb(&bomb, "zeros.log", 64 << 20);
    let mixed = run(
        &[Path::new("stats"), Path::new("--json"), &bomb, &zip],
        None,
    );
    assert_eq!(mixed.code, 1);
    assert_eq!(mixed.stdout.lines().count(), 3);
    assert_eq!(mixed.stderr.lines().count(), 1, "{}", mixed.stderr);
    assert!(
        mixed.stderr.contains("bomb.zip/zeros.log: refused"),
        "{}",
        mixed.stderr
    );
}
