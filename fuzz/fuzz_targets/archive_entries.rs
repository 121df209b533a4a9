//! Arbitrary bytes, or a well-formed zip (stored or deflated-looking
//! entries, nested zips) with arbitrary bytes patched into it, written to a
//! temporary folder as `.zip` or `.cab` → `bundle::list`, `bundle::expand`
//! (a path inside the archive) and `bundle::open_blocking` of every entry
//! under small `Limits`: never panics, never hangs, and what is opened stays
//! within the limits (every entry is at most `entry_bytes`, every listed
//! entry lies inside the archive).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::bundle::{self, Limits, Location};
use logweave::document::OpenOptions;

#[derive(Arbitrary, Debug)]
struct Entry {
    name: u8,
    body: Vec<u8>,
    nested: bool,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw {
        cab: bool,
        bytes: Vec<u8>,
    },
    Zip {
        entries: Vec<Entry>,
        patches: Vec<(u16, u8)>,
        method: u8,
    },
}

const NAMES: [&str; 6] = [
    "smsts.log",
    "SMSTSLog/smsts.log",
    "a/b/ccmsetup.log",
    "inner.zip",
    "x.txt",
    "X.LO_",
];

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip of stored entries (method as given: 0 stored, 8 deflate, others as junk).
fn zip(entries: &[(String, Vec<u8>)], method: u16) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, body) in entries {
        let offset = out.len() as u32;
        let crc = crc32(body);
        let header = |sig: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_dir {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(method.to_le_bytes());
            h.extend([0, 0, 0x21, 0]);
            h.extend(crc.to_le_bytes());
            h.extend((body.len() as u32).to_le_bytes());
            h.extend((body.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central_dir {
                h.extend([0u8; 8]);
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(body);
        central.extend(header(0x0201_4b50, true));
    }
    let (cd_offset, cd_len) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fuzz_target!(|input: Input| {
    let (cab, bytes) = match input {
        Input::Raw { cab, bytes } => (cab, bytes),
        Input::Zip {
            entries,
            patches,
            method,
        } => {
            let method = [0u16, 0, 8, 12, 14, 93, 99][usize::from(method) % 7];
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for e in entries.iter().take(8) {
                let name = NAMES[usize::from(e.name) % NAMES.len()].to_owned();
                let body = if e.nested {
                    zip(&[("nested/smsts.log".to_owned(), e.body.clone())], method)
                } else {
                    e.body.clone()
                };
                files.push((
                    if e.nested {
                        "inner.zip".to_owned()
                    } else {
                        name
                    },
                    body,
                ));
            }
            let mut bytes = zip(&files, method);
            for &(at, b) in patches.iter().take(16) {
                if !bytes.is_empty() {
                    let at = usize::from(at) % bytes.len();
                    bytes[at] = b;
                }
            }
            (false, bytes)
        }
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir
        .path()
        .join(if cab { "bundle.cab" } else { "bundle.zip" });
    std::fs::write(&path, &bytes).expect("write the archive");
    let limits = Limits {
        memory_bytes: 16 * 1024,
        entry_bytes: 256 * 1024,
        total_bytes: 1024 * 1024,
        ratio: 50,
        depth: 2,
        entries: 32,
    };
    let _ = bundle::is_archive(&path);
    let Ok(listing) = bundle::list(&path, &limits) else {
        return;
    };
    assert!(
        listing.entries.len() <= limits.entries,
        "{} entries",
        listing.entries.len()
    );
    for entry in listing.entries.iter().take(limits.entries) {
        match &entry.location {
            Location::Entry { archive, inner } => {
                assert_eq!(archive, &path);
                assert!(
                    !inner.is_empty() && inner.len() <= limits.depth + 1,
                    "{entry:?}"
                );
            }
            Location::File(_) => panic!("an archive lists a file on disk: {entry:?}"),
        }
        let _ = bundle::expand(&entry.path, &limits);
        let options = OpenOptions::default();
        if let Ok(doc) = bundle::open_blocking(entry, options, &limits) {
            let (_, total) = doc.progress();
            assert!(
                total <= limits.entry_bytes,
                "{total} bytes opened: {entry:?}"
            );
            let rows = doc.rows(0..doc.record_count().min(64), Some(4096));
            assert!(rows.len() <= doc.record_count());
        }
    }
    let _ = bundle::expand(&path.join("SMSTSLog"), &limits);
    let _ = bundle::expand(&path.join("inner.zip/nested/smsts.log"), &limits);
});
