//! The logs `serve` lists under its roots ([`scan`]) and what changed
//! between two listings ([`changes`]): appended, truncated, rolled over to
//! `.lo_`, new, removed — the events of the change stream.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::roots::ServedRoots;

/// How far a scan goes: folder depth below a root, and files in all.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Folder levels below a root (0: the root's own files only).
    pub max_depth: usize,
    /// Files listed in all; the scan stops there (and says so).
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 8,
            max_files: 10_000,
        }
    }
}

/// One listed log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable for the file's place: the root's number, `/`, the path below
    /// it percent-encoded (what [`ServedRoots::resolve`] takes back). A root
    /// that is a single file has the id `N/`.
    pub id: String,
    /// Where the file is on the server (never sent to clients).
    pub path: PathBuf,
    /// Size in bytes when scanned.
    pub size: u64,
    /// Last modification, milliseconds since 1970 (UTC), when known.
    pub modified_ms: Option<i64>,
    /// The number of the file object (see `FileIdentity::number`): a file
    /// replaced by another of the same name has another.
    pub identity: u64,
}

/// A listing: the entries sorted by id, and whether a limit cut it short.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The logs found, sorted by id.
    pub entries: Vec<Entry>,
    /// True when [`Limits::max_files`] stopped the scan.
    pub truncated: bool,
}

/// What happened to a file between two listings (as the change stream
/// sends it: `{"kind":"appended","id":…,"from":…,"to":…}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// It grew: read from `from` on.
    Appended {
        /// The entry's id.
        id: String,
        /// The size before.
        from: u64,
        /// The size now.
        to: u64,
    },
    /// It shrank (or was rewritten): read it again from the start.
    Truncated {
        /// The entry's id.
        id: String,
        /// Its size now.
        size: u64,
    },
    /// It shrank while its `.lo_` beside it was written: what it held is in
    /// `archive` now; read it again from the start.
    RolledOver {
        /// The entry's id.
        id: String,
        /// The id of the `.lo_` that took its records.
        archive: String,
    },
    /// It appeared.
    New {
        /// The entry's id.
        id: String,
        /// Its size.
        size: u64,
    },
    /// It is gone.
    Removed {
        /// The entry's id.
        id: String,
    },
}

/// True for the names `serve` lists in a folder: `.log` and `.lo_` files
/// (any case) — ConfigMgr, MDT, Panther, IME and smsts rollovers.
pub fn is_log_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".log") || lower.ends_with(".lo_")
}

/// Lists the logs under `roots` within `limits`. Links are not followed
/// (a link to a folder could loop or leave the root) and unreadable
/// folders are skipped.
pub fn scan(roots: &ServedRoots, limits: Limits) -> Listing {
    let mut listing = Listing::default();
    for (index, root) in roots.roots() {
        let Ok(meta) = std::fs::symlink_metadata(root) else {
            continue;
        };
        if meta.is_file() {
            push(&mut listing, limits, format!("{index}/"), root, &meta);
        } else if meta.is_dir() {
            walk(roots, index, root, 0, limits, &mut listing);
        }
    }
    listing.entries.sort_by(|a, b| a.id.cmp(&b.id));
    listing
}

fn walk(
    roots: &ServedRoots,
    index: usize,
    folder: &Path,
    depth: usize,
    limits: Limits,
    listing: &mut Listing,
) {
    let Ok(read) = std::fs::read_dir(folder) else {
        return;
    };
    let mut children: Vec<_> = read.filter_map(Result::ok).collect();
    children.sort_by_key(|child| child.file_name());
    for child in children {
        if listing.truncated {
            return;
        }
        let path = child.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() && depth < limits.max_depth {
            walk(roots, index, &path, depth + 1, limits, listing);
        } else if meta.is_file()
            && child.file_name().to_str().is_some_and(is_log_name)
            && let Some((_, relative)) = roots.relative_url_path(&path)
        {
            push(listing, limits, format!("{index}/{relative}"), &path, &meta);
        }
    }
}

fn push(listing: &mut Listing, limits: Limits, id: String, path: &Path, meta: &std::fs::Metadata) {
    if listing.entries.len() >= limits.max_files {
        listing.truncated = true;
        return;
    }
    let modified_ms = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .and_then(|since| i64::try_from(since.as_millis()).ok());
    listing.entries.push(Entry {
        id,
        path: path.to_path_buf(),
        size: meta.len(),
        modified_ms,
        identity: crate::source::FileIdentity::of_path(path, meta).number(),
    });
}

/// The changes from `before` to `after` (both sorted by id, as [`scan`]
/// returns them), in id order.
pub fn changes(before: &[Entry], after: &[Entry]) -> Vec<Change> {
    fn find<'a>(list: &'a [Entry], id: &str) -> Option<&'a Entry> {
        list.binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &list[i])
    }
    let mut out = Vec::new();
    for now in after {
        let Some(was) = find(before, &now.id) else {
            out.push(Change::New {
                id: now.id.clone(),
                size: now.size,
            });
            continue;
        };
        let replaced = now.identity != was.identity;
        if now.size > was.size && !replaced {
            out.push(Change::Appended {
                id: now.id.clone(),
                from: was.size,
                to: now.size,
            });
        } else if now.size < was.size || replaced {
            let archive = archive_id(&now.id);
            let archive_written = archive.as_deref().is_some_and(|archive| {
                match (find(before, archive), find(after, archive)) {
                    (None, Some(_)) => true,
                    (Some(old), Some(new)) => old != new,
                    _ => false,
                }
            });
            out.push(match archive {
                Some(archive) if archive_written => Change::RolledOver {
                    id: now.id.clone(),
                    archive,
                },
                _ => Change::Truncated {
                    id: now.id.clone(),
                    size: now.size,
                },
            });
        }
        // The same size: nothing new to read. (A rewrite in place to the
        // very same length is for the client's own check of the bytes it
        // holds, as for local files.)
    }
    for was in before {
        if find(after, &was.id).is_none() {
            out.push(Change::Removed { id: was.id.clone() });
        }
    }
    out.sort_by(|a, b| change_id(a).cmp(change_id(b)));
    out
}

/// `X.lo_`'s id for `X.log`'s (same case for the stem; CMTrace's writers
/// keep it), or `None` for a name that is not `.log`.
fn archive_id(id: &str) -> Option<String> {
    let stem = id
        .strip_suffix(".log")
        .or_else(|| id.strip_suffix(".LOG"))
        .or_else(|| id.strip_suffix(".Log"))?;
    Some(format!("{stem}.lo_"))
}

fn change_id(change: &Change) -> &str {
    match change {
        Change::Appended { id, .. }
        | Change::Truncated { id, .. }
        | Change::RolledOver { id, .. }
        | Change::New { id, .. }
        | Change::Removed { id } => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, size: u64, modified_ms: i64) -> Entry {
        Entry {
            id: id.to_owned(),
            path: PathBuf::from(id),
            size,
            modified_ms: Some(modified_ms),
            identity: 7,
        }
    }

    #[test]
    fn a_file_replaced_by_a_bigger_one_is_read_again() {
        let before = vec![entry("0/x.log", 100, 1)];
        let after = vec![Entry {
            identity: 8,
            ..entry("0/x.log", 150, 2)
        }];
        assert_eq!(
            changes(&before, &after),
            vec![Change::Truncated {
                id: "0/x.log".into(),
                size: 150
            }]
        );
    }

    #[test]
    fn a_scan_lists_logs_below_the_roots_with_stable_ids() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Logs");
        std::fs::create_dir_all(root.join("SMSTSLog")).unwrap();
        std::fs::write(root.join("SMSTSLog").join("smsts.log"), "abc").unwrap();
        std::fs::write(root.join("SMSTSLog").join("smsts.lo_"), "ab").unwrap();
        std::fs::write(root.join("setup act.LOG"), "").unwrap();
        std::fs::write(root.join("notes.txt"), "not a log").unwrap();
        let single = dir.path().join("BDD.log");
        std::fs::write(&single, "x").unwrap();
        let roots = ServedRoots::new(&[root, single]).unwrap();
        let listing = scan(&roots, Limits::default());
        let ids: Vec<_> = listing.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "0/SMSTSLog/smsts.lo_",
                "0/SMSTSLog/smsts.log",
                "0/setup%20act.LOG",
                "1/"
            ]
        );
        assert!(!listing.truncated);
        assert_eq!(listing.entries[1].size, 3);
        // Every id resolves back to its file.
        for entry in &listing.entries {
            let (root, rest) = entry.id.split_once('/').unwrap();
            let resolved = roots.resolve(root.parse().unwrap(), rest).unwrap();
            assert_eq!(resolved, entry.path);
        }
    }

    #[test]
    fn limits_bound_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        for level in 0..4 {
            std::fs::write(deep.join(format!("level{level}.log")), "x").unwrap();
            deep.push("sub");
            std::fs::create_dir(&deep).unwrap();
        }
        let roots = ServedRoots::new(&[dir.path().to_path_buf()]).unwrap();
        let shallow = scan(
            &roots,
            Limits {
                max_depth: 1,
                max_files: 100,
            },
        );
        assert_eq!(shallow.entries.len(), 2);
        let few = scan(
            &roots,
            Limits {
                max_depth: 8,
                max_files: 3,
            },
        );
        assert_eq!(few.entries.len(), 3);
        assert!(few.truncated);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_not_followed_by_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(dir.path().join("outside.log"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.log"), root.join("link.log")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("loop")).unwrap();
        let roots = ServedRoots::new(&[root]).unwrap();
        assert!(scan(&roots, Limits::default()).entries.is_empty());
    }

    #[test]
    fn changes_name_each_kind_of_event() {
        let before = vec![
            entry("0/a.log", 10, 1),
            entry("0/b.log", 10, 1),
            entry("0/c.log", 50, 1),
            entry("0/gone.log", 5, 1),
            entry("0/same.log", 7, 1),
        ];
        let after = vec![
            entry("0/a.log", 25, 2),
            entry("0/b.log", 3, 2),
            entry("0/c.lo_", 50, 2),
            entry("0/c.log", 0, 2),
            entry("0/new.log", 1, 2),
            entry("0/same.log", 7, 1),
        ];
        assert_eq!(
            changes(&before, &after),
            vec![
                Change::Appended {
                    id: "0/a.log".into(),
                    from: 10,
                    to: 25
                },
                Change::Truncated {
                    id: "0/b.log".into(),
                    size: 3
                },
                Change::New {
                    id: "0/c.lo_".into(),
                    size: 50
                },
                Change::RolledOver {
                    id: "0/c.log".into(),
                    archive: "0/c.lo_".into()
                },
                Change::Removed {
                    id: "0/gone.log".into()
                },
                Change::New {
                    id: "0/new.log".into(),
                    size: 1
                },
            ]
        );
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn a_second_rollover_is_told_by_the_archive_changing() {
        let before = vec![entry("0/x.lo_", 100, 1), entry("0/x.log", 90, 1)];
        let after = vec![entry("0/x.lo_", 95, 2), entry("0/x.log", 4, 2)];
        assert_eq!(
            changes(&before, &after),
            vec![
                Change::Truncated {
                    id: "0/x.lo_".into(),
                    size: 95
                },
                Change::RolledOver {
                    id: "0/x.log".into(),
                    archive: "0/x.lo_".into()
                },
            ]
        );
        // The archive untouched: a plain truncation.
        let cut = vec![entry("0/x.lo_", 100, 1), entry("0/x.log", 4, 2)];
        assert_eq!(
            changes(&before, &cut),
            vec![Change::Truncated {
                id: "0/x.log".into(),
                size: 4
            }]
        );
    }
}
