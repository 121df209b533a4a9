//! Logs of a bundle that belong together: the task sequence's smsts.log
//! copies, a log and its rolled-over `.lo_`, and logs rotated into
//! time-stamped names (`IntuneManagementExtension-20261103-093310.log`
//! beside `IntuneManagementExtension.log`). Reads names only.

use std::collections::BTreeMap;
use std::path::Path;

use super::LogEntry;
use crate::tasksequence::chain::{LOCATIONS, is_smsts_name, rollover_stamp};

/// What ties the members of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetKind {
    /// Every copy of smsts.log in the bundle, whatever its folder.
    SmstsChain,
    /// `X.log` and its rolled-over `X.lo_`.
    Rollover,
    /// `X.log` and its rotated `X-YYYYMMDD-HHMMSS.log` copies (the Intune
    /// Management Extension's, AgentExecutor's, newer ConfigMgr clients').
    ImeRotation,
}

/// Logs that belong together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogSet {
    /// What ties them.
    pub kind: SetKind,
    /// A name for people: the current log's display path (`smsts.log` for
    /// the chain).
    pub name: String,
    /// Indices into the entries, oldest first: `.lo_` before the rotated
    /// copies (by their time stamp), the current log last.
    pub members: Vec<usize>,
}

/// The time stamp of a rotated name `BASE-YYYYMMDD-HHMMSS.log`: the base
/// (lower case) and the stamp (ms since 1970, wall clock).
fn rotated(name: &str) -> Option<(String, i64)> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".log")?;
    // BASE-YYYYMMDD-HHMMSS: the stamp is the last 15 characters.
    let cut = stem.len().checked_sub(15)?;
    let (base, stamp) = (stem.get(..cut)?, stem.get(cut..)?);
    let base = base.strip_suffix('-')?;
    if base.is_empty() {
        return None;
    }
    let stamp = rollover_stamp(&format!("smsts-{stamp}.log"))?;
    Some((base.to_owned(), stamp))
}

fn folder_of(entry: &LogEntry) -> String {
    entry
        .path
        .parent()
        .map_or_else(String::new, |p| p.to_string_lossy().to_ascii_lowercase())
}

/// Where a current smsts.log's folder comes in a deployment (the order of
/// [`LOCATIONS`]: WinPE first, the ConfigMgr client's folder last).
fn location_rank(entry: &LogEntry) -> usize {
    let folder = folder_of(entry).replace('\\', "/");
    LOCATIONS
        .iter()
        .position(|l| folder.ends_with(&l.to_ascii_lowercase()))
        .unwrap_or(LOCATIONS.len())
}

/// Sort key of a member: `.lo_` first, then rotated copies by stamp, then
/// the current log.
fn age(name: &str) -> (u8, i64) {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".lo_") {
        (0, 0)
    } else if let Some((_, stamp)) = rotated(&lower) {
        (1, stamp)
    } else {
        (2, 0)
    }
}

/// The sets among `entries`; each has two members or more.
pub fn recognise(entries: &[LogEntry]) -> Vec<LogSet> {
    let mut sets = Vec::new();
    let mut chain: Vec<usize> = (0..entries.len())
        .filter(|&i| is_smsts_name(&entries[i].file_name()))
        .collect();
    if chain.len() >= 2 {
        chain.sort_by_key(|&i| {
            (
                age(&entries[i].file_name()),
                location_rank(&entries[i]),
                entries[i].path.clone(),
            )
        });
        sets.push(LogSet {
            kind: SetKind::SmstsChain,
            name: "smsts.log".to_owned(),
            members: chain,
        });
    }
    // The others, by folder and base name.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let name = entry.file_name();
        if is_smsts_name(&name) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let base = if let Some((base, _)) = rotated(&lower) {
            base
        } else if let Some(stem) = lower.strip_suffix(".lo_") {
            stem.to_owned()
        } else if let Some(stem) = lower.strip_suffix(".log") {
            stem.to_owned()
        } else {
            continue;
        };
        groups.entry((folder_of(entry), base)).or_default().push(i);
    }
    for ((_, base), mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_by_key(|&i| (age(&entries[i].file_name()), entries[i].path.clone()));
        let names: Vec<String> = members.iter().map(|&i| entries[i].file_name()).collect();
        let kind = if names.iter().any(|n| rotated(n).is_some()) {
            SetKind::ImeRotation
        } else {
            SetKind::Rollover
        };
        let current = members
            .iter()
            .rev()
            .find(|&&i| age(&entries[i].file_name()).0 == 2)
            .copied();
        let name = match current {
            Some(i) => entries[i].path.to_string_lossy().into_owned(),
            None => {
                let folder = entries[members[0]].path.parent().unwrap_or(Path::new(""));
                folder
                    .join(format!("{base}.log"))
                    .to_string_lossy()
                    .into_owned()
            }
        };
        sets.push(LogSet {
            kind,
            name,
            members,
        });
    }
    sets
}
