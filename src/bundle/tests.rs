//! Unit tests of the bundle module: names, limits, spilling, sets.

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use super::archive::{self, Archive, Blob, Kind};
use super::sets::{SetKind, recognise};
use super::*;

#[test]
fn names_are_made_relative_paths_inside_the_archive() {
    assert_eq!(
        archive::normalise("SMSTSLog/smsts.log"),
        ["SMSTSLog", "smsts.log"]
    );
    assert_eq!(
        archive::normalise("Logs\\CcmExec.log"),
        ["Logs", "CcmExec.log"]
    );
    assert_eq!(archive::normalise("/etc/../../x.log"), ["x.log"]);
    assert_eq!(
        archive::normalise("C:\\Windows\\.\\a.log"),
        ["Windows", "a.log"]
    );
    assert_eq!(archive::normalise("a\u{1}b.log"), ["a_b.log"]);
    assert!(archive::normalise("../..").is_empty());
}

#[test]
fn log_names_and_magic() {
    for name in [
        "smsts.log",
        "SMSTS.LO_",
        "notes.TXT",
        "smsts-20261103-093310.log",
    ] {
        assert!(is_log_name(name), "{name}");
    }
    for name in ["setup.xml", ".log", "log", "bundle.zip"] {
        assert!(!is_log_name(name), "{name}");
    }
    assert_eq!(archive::kind_of(b"PK\x03\x04rest"), Some(Kind::Zip));
    assert_eq!(archive::kind_of(b"PK\x05\x06"), Some(Kind::Zip));
    assert_eq!(archive::kind_of(b"MSCF\0\0"), Some(Kind::Cab));
    assert_eq!(archive::kind_of(b"PK"), None);
    assert_eq!(archive::kind_of(b"<![LOG["), None);
}

/// Zeros, as if decompressed: each `per` bytes given advance the count of
/// compressed bytes consumed by one.
struct Inflating<'a> {
    left: u64,
    per: u64,
    given: u64,
    consumed: &'a Cell<u64>,
}

impl Read for Inflating<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        buf[..n].fill(0);
        self.left -= n as u64;
        self.given += n as u64;
        self.consumed.set(self.given.div_ceil(self.per));
        Ok(n)
    }
}

fn copy(size: u64, per: u64, limits: &Limits, total: &mut u64) -> Result<Blob, String> {
    let consumed = Cell::new(0);
    let mut reader = Inflating {
        left: size,
        per,
        given: 0,
        consumed: &consumed,
    };
    archive::copy_limited(&mut reader, &consumed, 0, limits, total)
}

#[test]
fn bytes_are_counted_as_they_are_read() {
    let limits = Limits::default();
    // 10:1 is a log; 5000:1 is a bomb, refused long before its end.
    assert!(copy(8 << 20, 10, &limits, &mut 0).is_ok());
    let mut total = 0;
    let refused = copy(1 << 40, 5000, &limits, &mut total).err().unwrap();
    assert!(refused.contains("1000 times"), "{refused}");
    assert!(total < 16 << 20, "stopped early: {total}");
    // Small entries are never refused for their ratio.
    assert!(copy(512 << 10, 1 << 20, &limits, &mut 0).is_ok());
    let small = Limits {
        entry_bytes: 1 << 20,
        total_bytes: (5 << 20) / 2,
        ..Limits::default()
    };
    let too_big = copy(2 << 20, 2, &small, &mut 0).err().unwrap();
    assert!(too_big.contains("the limit for one entry"), "{too_big}");
    let mut total = 0;
    assert!(copy(1 << 20, 2, &small, &mut total).is_ok());
    assert!(copy(1 << 20, 2, &small, &mut total).is_ok());
    let over = copy(1 << 20, 2, &small, &mut total).err().unwrap();
    assert!(over.contains("in all"), "{over}");
}

#[test]
fn big_entries_spill_to_a_temporary_file() {
    let limits = Limits {
        memory_bytes: 100_000,
        ..Limits::default()
    };
    match copy(99_999, 3, &limits, &mut 0).unwrap() {
        Blob::Memory(bytes) => assert_eq!(bytes.len(), 99_999),
        Blob::File(_) => panic!("fits in memory"),
    }
    let spilled = copy(300_000, 3, &limits, &mut 0).unwrap();
    assert!(matches!(spilled, Blob::File(_)));
    assert_eq!(archive::blob_bytes(&spilled), vec![0u8; 300_000]);
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn archives_in_memory_list_and_extract() {
    let inner = zip_of(&[("a/../x.log", b"one\n")]);
    let outer = Blob::Memory(zip_of(&[("in.zip", &inner), ("/abs/y.txt", b"two\n")]));
    let mut opened = Archive::open(&outer).unwrap();
    let paths: Vec<Vec<String>> = opened.members().iter().map(|m| m.path.clone()).collect();
    assert_eq!(
        paths,
        [
            vec!["in.zip".to_owned()],
            vec!["abs".into(), "y.txt".into()]
        ]
    );
    let index = opened.index_of("in.zip").unwrap();
    let nested = opened.extract(index, &Limits::default(), &mut 0).unwrap();
    let mut nested = Archive::open(&nested).unwrap();
    assert_eq!(nested.members()[0].path, ["x.log"]);
    let bytes = nested.extract(0, &Limits::default(), &mut 0).unwrap();
    assert_eq!(archive::blob_bytes(&bytes), b"one\n");
    let garbage = Blob::Memory(b"PK\x03\x04 not really".to_vec());
    assert!(Archive::open(&garbage).is_err());
    assert_eq!(
        Archive::open(&Blob::Memory(b"text".to_vec()))
            .err()
            .unwrap(),
        "not a zip or cab archive"
    );
}

#[test]
fn entries_open_in_memory_or_spilled_and_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<![LOG[hello]LOG]!><time=\"10:00:00.000+000\" date=\"11-03-2026\" component=\"x\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n".repeat(200);
    let path = dir.path().join("b.zip");
    std::fs::write(&path, zip_of(&[("x.log", text.as_bytes())])).unwrap();
    let listing = list(&path, &Limits::default()).unwrap();
    let entry = &listing.entries[0];
    for memory_bytes in [u64::MAX, 1000] {
        let limits = Limits {
            memory_bytes,
            ..Limits::default()
        };
        let doc = open_blocking(entry, OpenOptions::default(), &limits).unwrap();
        assert_eq!(doc.record_count(), 200);
        assert!(doc.is_in_memory());
        assert_eq!(
            doc.refresh().unwrap(),
            crate::document::FileChange::Unchanged
        );
        assert_eq!(doc.path(), entry.path);
    }
}

fn entry(path: &str) -> LogEntry {
    LogEntry {
        path: PathBuf::from(path),
        location: Location::File(PathBuf::from(path)),
        size: 1,
    }
}

#[test]
fn sets_by_name() {
    let entries: Vec<LogEntry> = [
        "b.zip/Windows/CCM/Logs/smsts.log",
        "b.zip/Windows/Temp/SMSTSLog/smsts.log",
        "b.zip/Windows/CCM/Logs/smsts-20261103-093310.log",
        "b.zip/Windows/CCM/Logs/smsts-20261101-093310.log",
        "b.zip/Windows/CCM/Logs/CAS.log",
        "b.zip/Windows/CCM/Logs/cas.lo_",
        "b.zip/Other/CAS.log",
        "b.zip/Windows/CCM/Logs/lonely.log",
    ]
    .iter()
    .map(|p| entry(p))
    .collect();
    let sets = recognise(&entries);
    assert_eq!(sets.len(), 2, "{sets:?}");
    assert_eq!(sets[0].kind, SetKind::SmstsChain);
    assert_eq!(
        sets[0].members,
        [3, 2, 1, 0],
        "rolled first, WinPE before CCM"
    );
    assert_eq!(sets[1].kind, SetKind::Rollover);
    assert_eq!(sets[1].members, [5, 4]);
    assert_eq!(sets[1].name, "b.zip/Windows/CCM/Logs/CAS.log");
    assert!(recognise(&entries[7..]).is_empty());
}

#[test]
fn problems_name_the_path() {
    let problem = BundleProblem::new("a.zip/b.log", "damaged: bad");
    assert_eq!(problem.to_string(), "a.zip/b.log: damaged: bad");
    assert!(
        expand(
            std::path::Path::new("/no/such/file.log"),
            &Limits::default()
        )
        .is_err()
    );
}
