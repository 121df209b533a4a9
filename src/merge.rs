//! Merging several logs into one timeline: the time rule for each file
//! (formats.md §1.4, including WinPE's wrong bias), the merged order of all
//! records (8 bytes per row: file and record packed in a `u64`), turning
//! files on and off without merging again, hiding records duplicated across
//! copies of the same log, and taking in records appended while merged.
//! Never reads a file itself: it asks the documents.
//!
//! Order: by a key in milliseconds; equal keys keep file order, then record
//! order. A record without a time takes the key of the previous record of its
//! own file (leading ones take the file's first time), so it stays directly
//! after its predecessor. A file with no times at all comes after the others.
//!
//! Keys: the logs of one machine are ordered by their wall clocks as written
//! (WinPE writes its default Pacific bias while showing the machine's real
//! local time, so bias-corrected UTC would put a deployment's full-OS part
//! before its WinPE part). When files show different real zones they are
//! ordered by UTC, and the WinPE records of a file get that file's real bias.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::document::LogDocument;
use crate::formats::RecordMeta;
use crate::model::ZoneKind;
use crate::time::MS_PER_MINUTE;

/// Biases WinPE writes whatever the machine's zone (its default Pacific zone).
pub const WINPE_BIASES: [i32; 2] = [480, 420];

/// Packs a file number and a record number into one merged row.
pub fn pack(file: usize, record: usize) -> u64 {
    (file as u64) << 56 | record as u64
}

/// The file number and record number of a merged row.
pub fn unpack(row: u64) -> (usize, usize) {
    ((row >> 56) as usize, (row & ((1 << 56) - 1)) as usize)
}

/// Most files a merge takes (the file number has 8 bits).
pub const MAX_FILES: usize = 256;

/// How one file's times are placed on the common time line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeRule {
    /// One machine: the wall clock as written.
    WallClock,
    /// UTC from each record's own bias or offset; records written with
    /// WinPE's default bias get `winpe_adjust` instead.
    Utc {
        /// Minutes to add to WinPE records' wall clock (the machine's real bias).
        winpe_adjust: Option<i32>,
    },
    /// Every record's UTC is its wall clock plus these minutes (a user
    /// override, or the assumed zone of a file that writes no zone).
    Fixed {
        /// Minutes to add to the wall clock for UTC.
        adjust: i32,
        /// Set by the user (rather than assumed).
        overridden: bool,
    },
    /// The file has no times: kept in its own order after the others.
    NoTimes,
}

/// What the merge decided for one file, for the UI and the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePlan {
    /// The rule.
    pub rule: TimeRule,
    /// The file's real zone, in minutes to add for UTC, when it can be told.
    pub real_adjust: Option<i32>,
    /// The file shows WinPE (its log says so, or its bias changes from WinPE's default).
    pub winpe: bool,
    /// Something the user should know (an assumed zone, no times).
    pub note: Option<String>,
}

impl FilePlan {
    /// One line saying which rule is used.
    pub fn describe(&self) -> String {
        let zone = |m: i32| format!("UTC{:+}:{:02}", -m / 60, (m.abs()) % 60);
        let text = match &self.rule {
            TimeRule::WallClock => "wall clock as written (one machine)".to_owned(),
            TimeRule::Utc {
                winpe_adjust: Some(a),
            } => format!(
                "UTC from each record's bias; WinPE records at the machine's {}",
                zone(*a)
            ),
            TimeRule::Utc { winpe_adjust: None } => "UTC from each record's bias".to_owned(),
            TimeRule::Fixed {
                adjust,
                overridden: true,
            } => format!("UTC, set by you to {}", zone(*adjust)),
            TimeRule::Fixed {
                adjust,
                overridden: false,
            } => format!("UTC, zone assumed {}", zone(*adjust)),
            TimeRule::NoTimes => "no times: kept in order after the other files".to_owned(),
        };
        match &self.note {
            Some(note) => format!("{text} — {note}"),
            None => text,
        }
    }
}

/// The time rules of all files of a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergePlan {
    /// True when all files were taken as one machine (wall-clock order).
    pub one_machine: bool,
    /// One plan per file, in file order.
    pub files: Vec<FilePlan>,
    /// With [`one_machine`](Self::one_machine): the machine's real zone
    /// (minutes to add for UTC) when a file shows it, which is also the zone
    /// of its WinPE records (WinPE writes its own default bias instead).
    pub machine_adjust: Option<i32>,
}

/// What is known about one file's zones, from its index.
#[derive(Clone, Debug, Default)]
struct ZoneFacts {
    timed: bool,
    /// Distinct (zone, adjust) in file order.
    runs: Vec<(ZoneKind, i32)>,
    winpe_evidence: bool,
}

impl ZoneFacts {
    fn of(doc: &LogDocument) -> ZoneFacts {
        let mut runs: Vec<(ZoneKind, i32)> = Vec::new();
        let (timed, zone_runs) =
            doc.with_index(|index| (index.first_and_last_timed().is_some(), index.zone_runs()));
        for (_, zone, adjust) in zone_runs {
            if runs.last() != Some(&(zone, adjust)) {
                runs.push((zone, adjust));
            }
        }
        ZoneFacts {
            timed,
            runs,
            winpe_evidence: winpe_evidence(doc),
        }
    }

    /// The last native bias that is not WinPE's default, or the file's only bias.
    fn real_adjust(&self) -> Option<i32> {
        let known: Vec<(ZoneKind, i32)> = self
            .runs
            .iter()
            .copied()
            .filter(|(z, _)| *z != ZoneKind::Local)
            .collect();
        let last = *known.last()?;
        if last.0 == ZoneKind::Bias && WINPE_BIASES.contains(&last.1) && self.winpe_evidence {
            // Only WinPE's default bias: the machine's zone is not in this file.
            return known
                .iter()
                .rev()
                .find(|(z, a)| *z != ZoneKind::Bias || !WINPE_BIASES.contains(a))
                .map(|r| r.1);
        }
        Some(last.1)
    }

    /// The file's bias changes from WinPE's default to another one.
    fn leaves_winpe(&self) -> bool {
        let biases: Vec<i32> = self
            .runs
            .iter()
            .filter(|(z, _)| *z == ZoneKind::Bias)
            .map(|r| r.1)
            .collect();
        biases.first().is_some_and(|b| WINPE_BIASES.contains(b))
            && biases.iter().any(|b| !WINPE_BIASES.contains(b))
    }

    fn only_local(&self) -> bool {
        self.runs.iter().all(|(z, _)| *z == ZoneKind::Local)
    }
}

/// Lines of the first records that say the log was written in WinPE.
fn winpe_evidence(doc: &LogDocument) -> bool {
    const SIGNS: [&str; 5] = [
        "/env:WinPE",
        "X:\\WINDOWS\\TEMP\\SMSTSLog",
        "_SMSTSInWinPE=true",
        "X:\\SMSTSLog",
        "X:\\MININT",
    ];
    doc.rows(0..2000, Some(4096)).iter().any(|r| {
        SIGNS.iter().any(|s| {
            r.fields
                .message
                .to_ascii_uppercase()
                .contains(&s.to_ascii_uppercase())
        })
    })
}

/// Decides each file's time rule. `overrides` gives a user-set zone per file
/// (minutes to add to the wall clock for UTC).
pub fn plan(docs: &[&LogDocument], overrides: &[Option<i32>]) -> MergePlan {
    let facts: Vec<ZoneFacts> = docs.iter().map(|d| ZoneFacts::of(d)).collect();
    let mut reals: Vec<i32> = facts.iter().filter_map(ZoneFacts::real_adjust).collect();
    reals.sort_unstable();
    reals.dedup();
    let overridden = overrides.iter().any(Option::is_some);
    let one_machine = reals.len() <= 1 && !overridden;
    // The zone most files show, for files that carry none.
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for f in &facts {
        if let Some(a) = f.real_adjust() {
            *counts.entry(a).or_default() += 1;
        }
    }
    let common = counts
        .into_iter()
        .max_by_key(|&(a, n)| (n, -a.abs()))
        .map(|(a, _)| a);
    let files = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let winpe = f.winpe_evidence || f.leaves_winpe();
            let real_adjust = f.real_adjust();
            let (rule, note) = if !f.timed {
                (TimeRule::NoTimes, Some("this file has no times".to_owned()))
            } else if let Some(adjust) = overrides.get(i).copied().flatten() {
                (
                    TimeRule::Fixed {
                        adjust,
                        overridden: true,
                    },
                    None,
                )
            } else if one_machine {
                (TimeRule::WallClock, None)
            } else if f.only_local() || real_adjust.is_none() {
                let adjust = sibling_zone(docs, &facts, i).or(common).unwrap_or(0);
                (
                    TimeRule::Fixed {
                        adjust,
                        overridden: false,
                    },
                    Some("the file does not say its zone; set it if this is wrong".to_owned()),
                )
            } else {
                let winpe_adjust = (f.leaves_winpe() || f.winpe_evidence)
                    .then_some(real_adjust.or(common))
                    .flatten();
                (TimeRule::Utc { winpe_adjust }, None)
            };
            FilePlan {
                rule,
                real_adjust,
                winpe,
                note,
            }
        })
        .collect();
    MergePlan {
        one_machine,
        files,
        machine_adjust: if one_machine {
            reals.first().copied()
        } else {
            None
        },
    }
}

/// The zone of a file from the same folder as file `i` (logs of one machine
/// sit together): smsts.log first for MDT's logs, which run beside the task
/// sequence engine, then any file that shows a zone.
fn sibling_zone(docs: &[&LogDocument], facts: &[ZoneFacts], i: usize) -> Option<i32> {
    let folder = docs[i].path().parent();
    let siblings: Vec<usize> = (0..docs.len())
        .filter(|&j| {
            j != i && docs[j].path().parent() == folder && facts[j].real_adjust().is_some()
        })
        .collect();
    let is_smsts = |j: usize| {
        docs[j].path().file_name().is_some_and(|n| {
            n.to_string_lossy()
                .to_ascii_lowercase()
                .starts_with("smsts")
        })
    };
    siblings
        .iter()
        .copied()
        .find(|&j| is_smsts(j))
        .or(siblings.first().copied())
        .and_then(|j| facts[j].real_adjust())
}

/// The sort key of one record under a rule (`None` for a record without a time).
pub fn key_of(rule: &TimeRule, meta: &RecordMeta) -> Option<i64> {
    let wall = meta.wall_ms?;
    let minutes = match rule {
        TimeRule::WallClock => 0,
        TimeRule::Fixed { adjust, .. } => *adjust,
        TimeRule::Utc { winpe_adjust } => match (meta.zone, winpe_adjust) {
            (ZoneKind::Bias, Some(real)) if WINPE_BIASES.contains(&meta.utc_adjust_minutes) => {
                *real
            }
            _ => meta.utc_adjust_minutes,
        },
        TimeRule::NoTimes => return Some(i64::MAX),
    };
    Some(wall + i64::from(minutes) * MS_PER_MINUTE)
}

/// Keys of records `range` of one file, with untimed records given the key of
/// their predecessor (or the file's first key) — the order a file's records
/// keep in the merge.
pub fn file_keys(
    doc: &LogDocument,
    rule: &TimeRule,
    range: std::ops::Range<usize>,
    previous: Option<i64>,
) -> Vec<i64> {
    if *rule == TimeRule::NoTimes {
        return vec![i64::MAX; range.len()];
    }
    let mut keys: Vec<Option<i64>> =
        doc.with_index(|index| index.metas(range).map(|m| key_of(rule, &m)).collect());
    let mut last = previous;
    let first_known = keys.iter().flatten().next().copied();
    let mut out = Vec::with_capacity(keys.len());
    for k in keys.drain(..) {
        let key = k.or(last).or(first_known).unwrap_or(i64::MAX);
        last = Some(key);
        out.push(key);
    }
    out
}

/// The key of one record: its own, or that of the nearest earlier timed
/// record of its file, or the file's first time (as in [`file_keys`]).
pub fn key_at(doc: &LogDocument, rule: &TimeRule, record: usize) -> i64 {
    if *rule == TimeRule::NoTimes {
        return i64::MAX;
    }
    doc.with_index(|index| {
        (0..=record.min(index.len().saturating_sub(1)))
            .rev()
            .find_map(|r| key_of(rule, &index.meta(r)))
            .or_else(|| (record..index.len()).find_map(|r| key_of(rule, &index.meta(r))))
            .unwrap_or(i64::MAX)
    })
}

/// Merges runs that are each sorted by key into one order by (key, file,
/// record): heads are compared by key, ties go to the earlier file.
fn merge_sorted_runs(runs: &[Vec<(i64, u64)>]) -> Vec<u64> {
    let total = runs.iter().map(Vec::len).sum();
    let mut order = Vec::with_capacity(total);
    let mut heads = vec![0usize; runs.len()];
    // A binary heap of (key, file) would do for many files; a scan of the
    // heads is faster for the handful a merge usually has.
    loop {
        let mut best: Option<(i64, usize)> = None;
        for (f, run) in runs.iter().enumerate() {
            if let Some(&(key, _)) = run.get(heads[f])
                && best.is_none_or(|(k, _)| key < k)
            {
                best = Some((key, f));
            }
        }
        let Some((key, f)) = best else { break };
        // Take the whole stretch of this file that stays below the other heads.
        let limit = runs
            .iter()
            .enumerate()
            .filter(|&(g, run)| g != f && heads[g] < run.len())
            .map(|(g, run)| (run[heads[g]].0, g))
            .min();
        let run = &runs[f];
        let mut end = heads[f];
        while end < run.len()
            && limit.is_none_or(|(k, g)| run[end].0 < k || (run[end].0 == k && f < g))
        {
            end += 1;
        }
        debug_assert!(end > heads[f] && run[heads[f]].0 == key);
        order.extend(run[heads[f]..end].iter().map(|&(_, id)| id));
        heads[f] = end;
    }
    order
}

/// The merged order of several files.
#[derive(Clone, Debug, Default)]
pub struct Merged {
    /// Every record of every file, in timeline order (see [`pack`]).
    pub order: Vec<u64>,
    /// Records taken from each file.
    pub counts: Vec<usize>,
}

/// Merges the records indexed so far of `docs` under `plan`. Returns `None`
/// when cancelled.
pub fn merge(docs: &[&LogDocument], plan: &MergePlan, cancel: &AtomicBool) -> Option<Merged> {
    let counts: Vec<usize> = docs.iter().map(|d| d.record_count()).collect();
    let per_file: Vec<Vec<(i64, u64)>> = docs
        .par_iter()
        .enumerate()
        .map(|(f, doc)| {
            let keys = file_keys(doc, &plan.files[f].rule, 0..counts[f], None);
            keys.into_iter()
                .enumerate()
                .map(|(r, k)| (k, pack(f, r)))
                .collect()
        })
        .collect();
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let order = if per_file
        .iter()
        .all(|f| f.windows(2).all(|w| w[0].0 <= w[1].0))
    {
        // Every file is in time order (the usual case): a k-way merge of the files.
        merge_sorted_runs(&per_file)
    } else {
        // Some file goes back in time: sort everything. The id holds (file,
        // record), so sorting by (key, id) gives the stable order.
        let mut all: Vec<(i64, u64)> = per_file.concat();
        drop(per_file);
        all.par_sort_unstable();
        let mut order = Vec::with_capacity(all.len());
        order.extend(all.iter().map(|&(_, id)| id));
        order
    };
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    Some(Merged { order, counts })
}

impl Merged {
    /// The rows of the files that are switched on, in order (no new merge).
    pub fn visible(&self, enabled: &[bool]) -> Vec<u64> {
        if enabled.iter().all(|&e| e) {
            return self.order.clone();
        }
        self.order
            .par_iter()
            .copied()
            .filter(|&row| enabled.get(unpack(row).0).copied().unwrap_or(false))
            .collect()
    }

    /// Takes in the records that `docs` gained since this merge (appends while
    /// following): each new record goes where its key belongs.
    pub fn extend(&mut self, docs: &[&LogDocument], plan: &MergePlan) {
        let mut fresh: Vec<(i64, u64)> = Vec::new();
        for (f, doc) in docs.iter().enumerate() {
            let had = self.counts.get(f).copied().unwrap_or(0);
            let now = doc.record_count();
            if now <= had {
                continue;
            }
            let previous = had
                .checked_sub(1)
                .map(|r| key_at(doc, &plan.files[f].rule, r));
            let keys = file_keys(doc, &plan.files[f].rule, had..now, previous);
            fresh.extend(
                keys.into_iter()
                    .enumerate()
                    .map(|(i, k)| (k, pack(f, had + i))),
            );
            if self.counts.len() <= f {
                self.counts.resize(f + 1, 0);
            }
            self.counts[f] = now;
        }
        if fresh.is_empty() {
            return;
        }
        fresh.sort_by_key(|&(k, _)| k);
        let key_of_row = |row: u64| {
            let (f, r) = unpack(row);
            key_at(docs[f], &plan.files[f].rule, r)
        };
        // Appends usually belong at the end; find each insertion point by key.
        let mut merged = Vec::with_capacity(self.order.len() + fresh.len());
        let mut from = 0;
        for (key, id) in fresh {
            let (f, _) = unpack(id);
            // Stable: after every existing row with a smaller or equal key
            // (equal keys of a later file, or of the same file, stay before it
            // only if their file comes first).
            let at = from
                + self.order[from..].partition_point(|&row| {
                    let k = key_of_row(row);
                    k < key || (k == key && unpack(row).0 <= f)
                });
            merged.extend_from_slice(&self.order[from..at]);
            merged.push(id);
            from = at;
        }
        merged.extend_from_slice(&self.order[from..]);
        self.order = merged;
    }
}

/// Rows that repeat an earlier row of another file with the same key,
/// thread, component and message (copies of one smsts.log overlap heavily).
/// `fields_of` reads a row's (thread, component, message).
pub fn duplicates(
    order: &[u64],
    key_of_row: impl Fn(u64) -> i64,
    fields_of: impl Fn(u64) -> (String, String, String),
) -> Vec<bool> {
    let mut hidden = vec![false; order.len()];
    let mut i = 0;
    while i < order.len() {
        let key = key_of_row(order[i]);
        let mut j = i + 1;
        while j < order.len() && key_of_row(order[j]) == key {
            j += 1;
        }
        if j - i > 1 {
            let mut seen: HashMap<u64, usize> = HashMap::new();
            for k in i..j {
                let (thread, component, message) = fields_of(order[k]);
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (thread, component, message).hash(&mut h);
                let digest = h.finish();
                match seen.get(&digest) {
                    Some(&file) if file != unpack(order[k]).0 => hidden[k] = true,
                    Some(_) => {}
                    None => {
                        seen.insert(digest, unpack(order[k]).0);
                    }
                }
            }
        }
        i = j;
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing() {
        assert_eq!(unpack(pack(3, 12345)), (3, 12345));
        assert_eq!(unpack(pack(255, (1 << 56) - 1)), (255, (1 << 56) - 1));
    }

    fn meta(wall: i64, zone: ZoneKind, adjust: i32) -> RecordMeta {
        RecordMeta {
            wall_ms: Some(wall),
            zone,
            utc_adjust_minutes: adjust,
            ..RecordMeta::default()
        }
    }

    #[test]
    fn keys_follow_the_rules() {
        let winpe = meta(1000, ZoneKind::Bias, 480);
        let os = meta(2000, ZoneKind::Bias, 240);
        assert_eq!(key_of(&TimeRule::WallClock, &winpe), Some(1000));
        let utc = TimeRule::Utc {
            winpe_adjust: Some(240),
        };
        assert_eq!(key_of(&utc, &winpe), Some(1000 + 240 * MS_PER_MINUTE));
        assert_eq!(key_of(&utc, &os), Some(2000 + 240 * MS_PER_MINUTE));
        assert_eq!(
            key_of(&TimeRule::Utc { winpe_adjust: None }, &winpe),
            Some(1000 + 480 * MS_PER_MINUTE)
        );
        assert_eq!(
            key_of(
                &TimeRule::Fixed {
                    adjust: -120,
                    overridden: true
                },
                &os
            ),
            Some(2000 - 120 * MS_PER_MINUTE)
        );
        assert_eq!(key_of(&TimeRule::WallClock, &RecordMeta::default()), None);
    }

    #[test]
    fn describes_rules_in_words() {
        let p = FilePlan {
            rule: TimeRule::Fixed {
                adjust: 300,
                overridden: true,
            },
            real_adjust: None,
            winpe: false,
            note: None,
        };
        assert_eq!(p.describe(), "UTC, set by you to UTC-5:00");
        let p = FilePlan {
            rule: TimeRule::Utc {
                winpe_adjust: Some(-120),
            },
            real_adjust: Some(-120),
            winpe: true,
            note: None,
        };
        assert_eq!(
            p.describe(),
            "UTC from each record's bias; WinPE records at the machine's UTC+2:00"
        );
    }
}
