//! The smsts.log chain: a task sequence's log moves during a deployment
//! (formats.md §4.1) and rolls over into `smsts-YYYYMMDD-HHMMSS.log`, so an
//! investigation has several overlapping copies. This finds them — in the
//! places the task sequence writes them, under every drive of the running
//! machine, or anywhere inside a folder the user picked (a copied log
//! bundle) — and puts them in time order, so they can be opened as one
//! merged timeline (the merged view hides the repeated records with
//! [`crate::merge::duplicates`]; the outline skips them itself).
//! Never reads records: it finds and orders files.

use std::path::{Path, PathBuf};

use crate::document::{LogDocument, OpenOptions};
use crate::time;

/// Folders, relative to a drive root, where smsts.log is written during a
/// deployment (WinPE, the full OS before and after the ConfigMgr client, MDT).
pub const LOCATIONS: &[&str] = &[
    "Windows/Temp/SMSTSLog",
    "SMSTSLog",
    "_SMSTaskSequence/Logs/Smstslog",
    "Windows/System32/CCM/Logs/Smstslog",
    "Windows/SysWOW64/CCM/Logs/Smstslog",
    "Windows/CCM/Logs/SMSTSLog",
    "Windows/CCM/Logs",
    "MININT/SMSOSD/OSDLOGS",
    "Windows/Temp/DeploymentLogs",
];

/// How deep a picked folder is searched.
const MAX_DEPTH: usize = 8;

/// True for `smsts.log`, `smsts.lo_` and rolled-over `smsts-YYYYMMDD-HHMMSS.log`.
pub fn is_smsts_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "smsts.log" || lower == "smsts.lo_" {
        return true;
    }
    let Some(stamp) = lower
        .strip_prefix("smsts-")
        .and_then(|r| r.strip_suffix(".log"))
    else {
        return false;
    };
    let (date, time) = stamp.split_once('-').unwrap_or((stamp, ""));
    date.len() == 8
        && time.len() == 6
        && date.bytes().chain(time.bytes()).all(|b| b.is_ascii_digit())
}

/// The entries of `dir` whose name equals `name` ignoring case (Windows
/// paths are case-insensitive; a copied bundle on Linux can hold both
/// `Windows` and `WINDOWS`).
fn children_ignoring_case(dir: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(name))
        .map(|e| e.path())
        .collect()
}

fn smsts_files_in(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file())
            && is_smsts_name(&entry.file_name().to_string_lossy())
        {
            out.push(entry.path());
        }
    }
}

/// The smsts.log copies in the known locations under one drive root.
pub fn copies_under_root(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for location in LOCATIONS {
        let mut dirs = vec![root.to_owned()];
        for part in location.split('/') {
            dirs = dirs
                .iter()
                .flat_map(|d| children_ignoring_case(d, part))
                .collect();
        }
        for dir in &dirs {
            smsts_files_in(dir, &mut out);
        }
    }
    sorted_unique(out)
}

/// Every smsts.log copy anywhere inside `folder` (a copied log bundle).
pub fn copies_in_folder(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(folder.to_owned(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((entry.path(), depth + 1));
            } else if kind.is_file() && is_smsts_name(&entry.file_name().to_string_lossy()) {
                out.push(entry.path());
            }
        }
    }
    sorted_unique(out)
}

/// The roots to search on the running machine: every drive letter on
/// Windows (WinPE's X: included), the file-system root elsewhere.
pub fn machine_roots() -> Vec<PathBuf> {
    if cfg!(windows) {
        (b'A'..=b'Z')
            .map(|d| PathBuf::from(format!("{}:\\", d as char)))
            .filter(|p| p.exists())
            .collect()
    } else {
        vec![PathBuf::from("/")]
    }
}

/// Every copy on the running machine.
pub fn copies_on_this_machine() -> Vec<PathBuf> {
    sorted_unique(
        machine_roots()
            .iter()
            .flat_map(|r| copies_under_root(r))
            .collect(),
    )
}

/// One copy of smsts.log and the times that place it in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainCopy {
    /// Where the copy is.
    pub path: PathBuf,
    /// Wall clock of its first timed record (ms since 1970, as written).
    pub first_wall_ms: Option<i64>,
    /// Wall clock of its last timed record.
    pub last_wall_ms: Option<i64>,
}

impl ChainCopy {
    /// True for a rolled-over `smsts-YYYYMMDD-HHMMSS.log` or `smsts.lo_`.
    pub fn is_rolled_over(&self) -> bool {
        let name = file_name(&self.path).to_ascii_lowercase();
        name.ends_with(".lo_") || rollover_stamp(&name).is_some()
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The time in a rolled-over name: `smsts-20191018-102045.log` gives
/// 2019-10-18 10:20:45 (wall clock, ms since 1970).
pub fn rollover_stamp(name: &str) -> Option<i64> {
    let lower = name.to_ascii_lowercase();
    let stamp = lower.strip_prefix("smsts-")?.strip_suffix(".log")?;
    let (date, clock) = stamp.split_once('-')?;
    if date.len() != 8
        || clock.len() != 6
        || !date
            .bytes()
            .chain(clock.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let number = |s: &str| s.parse::<u32>().ok();
    let days = time::date_to_days(
        i64::from(number(&date[..4])?),
        number(&date[4..6])?,
        number(&date[6..])?,
    )?;
    let (h, m, s) = (
        number(&clock[..2])?,
        number(&clock[2..4])?,
        number(&clock[4..])?,
    );
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(time::wall_ms(days, i64::from(h * 3600 + m * 60 + s) * 1000))
}

/// Puts copies in chain order: by their first record's time; of copies that
/// start together (one log copied on as it moved) the shorter first, and at
/// the same end a rolled-over copy before the live `smsts.log`; copies
/// without times by the time in their name, after the others.
pub fn order(copies: &mut [ChainCopy]) {
    copies.sort_by_cached_key(|c| {
        let rolled = c.is_rolled_over();
        let first = c
            .first_wall_ms
            .or_else(|| rollover_stamp(&file_name(&c.path)))
            .unwrap_or(i64::MAX);
        (
            first,
            c.last_wall_ms.unwrap_or(i64::MAX),
            !rolled,
            c.path.clone(),
        )
    });
}

/// Wall clock of the first and the last timed record of an indexed document.
pub fn time_span(doc: &LogDocument) -> (Option<i64>, Option<i64>) {
    const LOOK: usize = 256;
    let total = doc.record_count();
    let first = doc
        .rows(0..total.min(LOOK), Some(256))
        .iter()
        .find_map(|r| r.fields.meta.wall_ms);
    let last = doc
        .rows(total.saturating_sub(LOOK)..total, Some(256))
        .iter()
        .rev()
        .find_map(|r| r.fields.meta.wall_ms);
    (first, last)
}

/// The indexes of `docs` in chain order (see [`order`]).
pub fn order_documents(docs: &[&LogDocument]) -> Vec<usize> {
    let mut copies: Vec<(ChainCopy, usize)> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let (first_wall_ms, last_wall_ms) = time_span(doc);
            let copy = ChainCopy {
                path: doc.path().to_owned(),
                first_wall_ms,
                last_wall_ms,
            };
            (copy, i)
        })
        .collect();
    let mut only: Vec<ChainCopy> = copies.iter().map(|(c, _)| c.clone()).collect();
    order(&mut only);
    let mut out = Vec::with_capacity(only.len());
    for copy in &only {
        if let Some(k) = copies.iter().position(|(c, _)| c == copy) {
            out.push(copies.remove(k).1);
        }
    }
    out
}

/// `paths` in chain order, each opened (and indexed) to read its times;
/// files that cannot be opened go last, in the order given.
pub fn ordered_paths(paths: &[PathBuf], options: &OpenOptions) -> Vec<PathBuf> {
    let mut copies = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        match LogDocument::open_blocking(path, options.clone()) {
            Ok(doc) => {
                let (first_wall_ms, last_wall_ms) = time_span(&doc);
                copies.push(ChainCopy {
                    path: path.clone(),
                    first_wall_ms,
                    last_wall_ms,
                });
            }
            Err(_) => unreadable.push(path.clone()),
        }
    }
    order(&mut copies);
    copies
        .into_iter()
        .map(|c| c.path)
        .chain(unreadable)
        .collect()
}

fn sorted_unique(mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    paths.dedup();
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_smsts_name("smsts.log"));
        assert!(is_smsts_name("SMSTS.LOG"));
        assert!(is_smsts_name("smsts.lo_"));
        assert!(is_smsts_name("smsts-20191018-102045.log"));
        assert!(!is_smsts_name("smsts-2019.log"));
        assert!(!is_smsts_name("smstsx.log"));
        assert!(!is_smsts_name("ccmsetup.log"));
    }

    #[test]
    fn finds_copies_in_the_known_places_ignoring_case_and_in_bundles() {
        let root = tempfile::tempdir().unwrap();
        let make = |rel: &str| {
            let p = root.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
            p
        };
        let winpe = make("Windows/TEMP/SMSTSLog/smsts.log");
        let disk = make("_SMSTaskSequence/Logs/SMSTSLog/smsts.log");
        let ccm = make("WINDOWS/CCM/Logs/SMSTSLog/smsts.log");
        let rolled = make("Windows/CCM/Logs/smsts-20261103-093000.log");
        make("Windows/CCM/Logs/ccmsetup.log");
        make("Users/someone/smsts.log");
        let found = copies_under_root(root.path());
        let mut want = vec![winpe, disk, ccm, rolled];
        want.sort();
        assert_eq!(found, want);
        // A bundle: anywhere inside, the stray copy included.
        assert_eq!(copies_in_folder(root.path()).len(), 5);
    }
}
