//! Every way of reading a file must give the same index and rows: memory map
//! or read, 1, 2 or 4 threads (with tiny batches and chunks so the parallel
//! stitching is exercised), the whole file at once or the file appended in
//! pieces with a refresh after each piece (cut inside markers, between CR
//! and LF, inside multi-byte characters and UTF-16 code units). Also: a file
//! that shrinks, is rewritten, or is replaced by a new file.

use std::fs::{self, OpenOptions as FsOpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use logweave::document::{FileChange, LogDocument, OpenOptions, ReindexReason, Row, Summary};
use logweave::index::{BuildOptions, IndexedRecord};
use logweave::source::MapPolicy;

/// Everything a reader can see of an indexed document.
#[derive(Debug, PartialEq)]
struct Observed {
    records: Vec<IndexedRecord>,
    rows: Vec<Row>,
    summary: Summary,
}

fn observe(doc: &LogDocument) -> Observed {
    let records = doc.with_index(|ix| {
        (0..ix.len())
            .map(|i| ix.get(i).expect("in range"))
            .collect::<Vec<_>>()
    });
    let rows = doc.rows(0..records.len(), None);
    Observed {
        records,
        rows,
        summary: doc.summary(),
    }
}

#[allow(
    clippy::needless_update,
    reason = "keeps compiling when BuildOptions gains fields"
)]
fn options(threads: usize, map: MapPolicy) -> OpenOptions {
    OpenOptions {
        build: BuildOptions {
            threads,
            first_batch_bytes: 4096,
            max_batch_bytes: 16 * 1024,
            min_chunk_bytes: 512,
            ..BuildOptions::default()
        },
        map,
        ..OpenOptions::default()
    }
}

fn open(path: &Path, options: OpenOptions) -> Observed {
    let doc = LogDocument::open_blocking(path, options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    observe(&doc)
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    // The fixtures at the top and the pasted copies in `pasted/`.
    let mut files: Vec<PathBuf> = [dir.clone(), dir.join("pasted")]
        .iter()
        .flat_map(|d| fs::read_dir(d).expect("tests/data"))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "fixtures missing in {}", dir.display());
    files
}

/// Generated ConfigMgr logs (`gen_ccm_log.py`), or none when python3 or the
/// script is not there.
fn generated(dir: &Path, runs: &[(&str, u32, &str)]) -> Vec<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gen_ccm_log.py");
    if !script.exists() {
        println!(
            "note: {} not found; generated logs skipped",
            script.display()
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for &(format, seed, eol) in runs {
        let path = dir.join(format!("gen-{format}-{seed}-{eol}.log"));
        let status = Command::new("python3")
            .arg(&script)
            .args([
                "--size",
                "300K",
                "--seed",
                &seed.to_string(),
                "--format",
                format,
                "--eol",
                eol,
                "-o",
            ])
            .arg(&path)
            .status();
        match status {
            Ok(s) if s.success() => out.push(path),
            other => {
                println!("note: python3 gen_ccm_log.py failed ({other:?}); generated logs skipped");
                return Vec::new();
            }
        }
    }
    out
}

#[test]
fn map_read_and_thread_counts_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = fixtures();
    files.extend(generated(
        dir.path(),
        &[("ccm", 1, "crlf"), ("ccm", 2, "lf"), ("plain", 3, "crlf")],
    ));
    for file in &files {
        let reference = open(file, options(1, MapPolicy::Never));
        assert!(
            !reference.records.is_empty(),
            "{}: no records",
            file.display()
        );
        for (threads, map) in [
            (1, MapPolicy::Auto),
            (2, MapPolicy::Auto),
            (2, MapPolicy::Never),
            (4, MapPolicy::Auto),
            (4, MapPolicy::Never),
        ] {
            let got = open(file, options(threads, map));
            assert!(
                got == reference,
                "{}: {threads} threads, {map:?} differs from 1 thread, read",
                file.display()
            );
        }
        // The defaults of the CLI and the viewer (all cores, 256 KiB chunks).
        let got = open(file, OpenOptions::default());
        assert!(
            got == reference,
            "{}: default options differ",
            file.display()
        );
    }
}

/// A small deterministic generator of cut positions.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Cut positions that split the places where a reader is most likely to go
/// wrong, plus random ones.
fn cuts(bytes: &[u8], seed: u64, random: usize, per_kind: usize) -> Vec<usize> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.get(1) == Some(&0);
    let wide = |s: &str| -> Vec<u8> {
        if utf16 {
            // Either byte order: the markers below are searched as LE and BE.
            s.bytes().flat_map(|b| [b, 0]).collect()
        } else {
            s.as_bytes().to_vec()
        }
    };
    let mut out = vec![1, 2];
    let mut add_inside = |needle: &[u8], offsets: &[usize]| {
        let mut n = 0;
        for (i, w) in bytes.windows(needle.len()).enumerate() {
            if w == needle {
                out.extend(offsets.iter().map(|o| i + o));
                n += 1;
                if n == per_kind {
                    break;
                }
            }
        }
    };
    for marker in ["<![LOG[", "]LOG]!>", "$$<", "\r\n"] {
        let m = wide(marker);
        add_inside(&m, &[1, m.len() / 2, m.len() - 1]);
        if utf16 {
            let mut be = vec![0];
            be.extend_from_slice(&m[..m.len() - 1]);
            add_inside(&be, &[2, m.len() / 2 + 1]);
        }
    }
    if !utf16 {
        // Inside a UTF-8 multi-byte character.
        let mut n = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if (0xC2..0xF5).contains(&b) && i > 3 {
                out.push(i + 1);
                n += 1;
                if n == per_kind {
                    break;
                }
            }
        }
    }
    let mut rng = Lcg(seed);
    for _ in 0..random {
        out.push(rng.below(bytes.len()));
    }
    out.retain(|&c| c > 0 && c < bytes.len());
    out.sort_unstable();
    out.dedup();
    out
}

/// Writes `bytes` in pieces, refreshing after each, and checks the result
/// against a fresh open of the whole file.
fn append_in_pieces(bytes: &[u8], cuts: &[usize], options: &OpenOptions, label: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.log");
    let first = cuts.first().copied().unwrap_or(bytes.len());
    fs::write(&path, &bytes[..first]).unwrap();
    let doc = LogDocument::open(&path, options.clone()).unwrap();
    doc.wait();
    let mut written = first;
    for &cut in cuts.iter().skip(1).chain(std::iter::once(&bytes.len())) {
        let mut f = FsOpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&bytes[written..cut]).unwrap();
        drop(f);
        written = cut;
        let change = doc.refresh().unwrap();
        assert!(
            matches!(
                change,
                FileChange::Appended { .. }
                    | FileChange::Unchanged
                    | FileChange::Reindexed(ReindexReason::Rewritten)
            ),
            "{label}: refresh after {cut} bytes gave {change:?}"
        );
        doc.wait();
        assert_eq!(doc.problem(), None, "{label}");
    }
    let fresh = open(&path, options.clone());
    let grown = observe(&doc);
    if grown != fresh {
        let first_diff = (0..grown.records.len().max(fresh.records.len()))
            .find(|&i| grown.records.get(i) != fresh.records.get(i));
        panic!(
            "{label}: appended in pieces at {cuts:?} differs from a fresh open; first differing record {first_diff:?}: {:?} vs {:?}",
            first_diff.and_then(|i| grown.records.get(i)),
            first_diff.and_then(|i| fresh.records.get(i)),
        );
    }
}

#[test]
fn appending_in_pieces_matches_a_fresh_open() {
    for (n, file) in fixtures().iter().enumerate() {
        let bytes = fs::read(file).unwrap();
        let label = file.file_name().unwrap().to_string_lossy().into_owned();
        let cuts = cuts(&bytes, n as u64 + 1, 6, 2);
        for map in [MapPolicy::Auto, MapPolicy::Never] {
            append_in_pieces(&bytes, &cuts, &options(2, map), &label);
        }
        // One byte at a time for a few: every possible cut.
        if [
            "ccm_crlf_multiline.log",
            "ccm_utf16be.log",
            "simple_multiline.log",
            "date_first_columns.log",
            "component_utf16le.log",
        ]
        .contains(&label.as_str())
        {
            let every: Vec<usize> = (1..bytes.len()).collect();
            append_in_pieces(
                &bytes,
                &every,
                &options(1, MapPolicy::Auto),
                &format!("{label} byte by byte"),
            );
        }
    }
}

#[test]
fn appending_generated_logs_in_pieces_matches_a_fresh_open() {
    let dir = tempfile::tempdir().unwrap();
    for (n, file) in generated(dir.path(), &[("ccm", 5, "crlf"), ("plain", 6, "lf")])
        .iter()
        .enumerate()
    {
        let bytes = fs::read(file).unwrap();
        let cuts = cuts(&bytes, 100 + n as u64, 8, 1);
        append_in_pieces(
            &bytes,
            &cuts,
            &options(4, MapPolicy::Auto),
            &file.display().to_string(),
        );
    }
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

/// A long CCM text: the fixture's records repeated with different thread ids.
fn long_ccm(records: usize) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    for i in 0..records {
        out.extend_from_slice(
            format!(
                "<![LOG[Set a global environment variable _SMSTSStep{i}=1\nsecond line]LOG]!><time=\"10:{:02}:{:02}.{:03}+240\" date=\"10-18-2019\" component=\"TSManager\" context=\"\" type=\"{}\" thread=\"{i}\" file=\"executionenv.cxx:782\">\r\n",
                i / 60 % 60,
                i % 60,
                i % 1000,
                i % 4
            )
            .as_bytes(),
        );
    }
    out
}

#[test]
fn truncation_rewrite_and_replacement_reindex() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    let long = long_ccm(3000);
    fs::write(&path, &long).unwrap();
    for map in [MapPolicy::Auto, MapPolicy::Never] {
        let options = options(2, map);
        fs::write(&path, &long).unwrap();
        let doc = LogDocument::open_blocking(&path, options.clone()).unwrap();
        assert_eq!(doc.record_count(), 3000);
        assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);

        // Shrinks (same file, cut in the middle of a record).
        let cut = long.len() / 3 + 17;
        FsOpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        assert_eq!(
            doc.refresh().unwrap(),
            FileChange::Reindexed(ReindexReason::Truncated)
        );
        doc.wait();
        assert!(
            observe(&doc) == open(&path, options.clone()),
            "{map:?}: after truncation"
        );

        // Emptied, then written again from the start.
        FsOpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(0)
            .unwrap();
        assert_eq!(
            doc.refresh().unwrap(),
            FileChange::Reindexed(ReindexReason::Truncated)
        );
        doc.wait();
        assert_eq!(doc.record_count(), 0);
        FsOpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(&long[..5000])
            .unwrap();
        assert!(matches!(
            doc.refresh().unwrap(),
            FileChange::Appended { .. } | FileChange::Reindexed(_)
        ));
        doc.wait();
        assert!(
            observe(&doc) == open(&path, options.clone()),
            "{map:?}: after regrowth"
        );

        // Rewritten in place with other text, longer than before.
        let other = fixture("ccm_crlf_multiline.log");
        let mut rewritten = other.clone();
        rewritten.extend_from_slice(&long[3..6000]);
        fs::write(&path, &rewritten).unwrap();
        assert_eq!(
            doc.refresh().unwrap(),
            FileChange::Reindexed(ReindexReason::Rewritten)
        );
        doc.wait();
        assert!(
            observe(&doc) == open(&path, options.clone()),
            "{map:?}: after rewrite"
        );

        // Rolled over: renamed away and a new file created under the name.
        let rolled = dir.path().join("smsts.lo_");
        fs::rename(&path, &rolled).unwrap();
        let replacement = fixture("ime_7digit.log");
        fs::write(&path, &replacement).unwrap();
        assert_eq!(
            doc.refresh().unwrap(),
            FileChange::Reindexed(ReindexReason::Replaced)
        );
        doc.wait();
        let now = observe(&doc);
        assert!(
            now == open(&path, options.clone()),
            "{map:?}: after replacement"
        );
        assert_eq!(now.records.len(), 3);

        // Deleted: what was read stays.
        fs::remove_file(&path).unwrap();
        assert_eq!(doc.refresh().unwrap(), FileChange::Removed);
        assert_eq!(doc.record_count(), 3);
        fs::remove_file(&rolled).unwrap();
    }
}

/// A log written into preallocated space: the file already has its final
/// size (NUL padding) and the writer fills the NULs in place.
#[test]
fn nul_padding_filled_in_place_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("padded.log");
    // Longer than the 4 KiB header fingerprint, so only the tail changes.
    let text = long_ccm(40);
    let record = long_ccm(2);
    let record = &record[3..];
    let mut bytes = text.clone();
    bytes.extend(std::iter::repeat_n(0u8, record.len() + 1000));
    fs::write(&path, &bytes).unwrap();
    let options = options(1, MapPolicy::Auto);
    let doc = LogDocument::open_blocking(&path, options.clone()).unwrap();
    assert_eq!(doc.record_count(), 40);
    // The writer flushes two more records into the padding; the size stays.
    bytes[text.len()..text.len() + record.len()].copy_from_slice(record);
    let mut f = FsOpenOptions::new().write(true).open(&path).unwrap();
    f.write_all(&bytes).unwrap();
    drop(f);
    assert_eq!(fs::metadata(&path).unwrap().len() as usize, bytes.len());
    let change = doc.refresh().unwrap();
    doc.wait();
    assert_eq!(doc.record_count(), 42, "refresh gave {change:?}");
    assert!(
        observe(&doc) == open(&path, options),
        "filled padding differs from a fresh open"
    );
}
