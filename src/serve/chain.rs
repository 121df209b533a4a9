//! The task sequence of what `serve` shares: the smsts.log copies among the
//! served files, read as one chain in the order they were written, and the
//! outline and triage of it as `logweave outline --json` and `logweave
//! triage --json` give them (file names are the files' ids), kept as the
//! JSON sent. Worked out again when one of the copies changed, but not
//! more often than a quarter of the time that takes (a growing log of
//! gigabytes costs seconds each time).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::catalog::{Entry, Listing};
use crate::document::{LogDocument, OpenOptions};
use crate::tasksequence::chain;
use crate::tasksequence::json::{self, OutcomeLine, StepLine};
use crate::triage;

/// The most steps `/v1/outline` lists: the last ones (a task sequence
/// fails near its end). Real task sequences run hundreds; a log that
/// announces more is cut so the answer stays a few megabytes.
pub const MAX_SERVED_STEPS: usize = 10_000;

/// How much of the time the last working out took must pass before a
/// changed chain is worked out again (at most a quarter of the CPU), when
/// it took at least [`WORTH_RESTING`]; quicker chains are always fresh.
const REST_PER_WORK: u32 = 4;
const WORTH_RESTING: Duration = Duration::from_millis(250);

/// The outline and triage objects of one state of the chain, as JSON.
#[derive(Debug, Clone)]
pub struct ChainAnswers {
    /// `{"api":1,"files":[ids],"steps":[…],"steps_left_out":N,"outcome":{…}}`
    /// (`steps_left_out` only when the first steps were left out).
    pub outline: Arc<[u8]>,
    /// The `triage --json` object.
    pub triage: Arc<[u8]>,
}

/// What a chain was worked out from: each copy's id, size and time.
type ChainKey = Vec<(String, u64, Option<i64>)>;

#[derive(Debug)]
struct WorkedOut {
    key: ChainKey,
    answers: ChainAnswers,
    at: Instant,
    took: Duration,
}

/// The last chain worked out.
#[derive(Debug, Default)]
pub struct ChainCache {
    last: Mutex<Option<WorkedOut>>,
}

impl ChainCache {
    /// The answers for the smsts.log copies of `listing`, or `None` when
    /// it has none.
    pub fn answers(&self, listing: &Listing) -> Option<ChainAnswers> {
        let copies: Vec<&Entry> = listing
            .entries
            .iter()
            .filter(|e| {
                e.path
                    .file_name()
                    .is_some_and(|n| chain::is_smsts_name(&n.to_string_lossy()))
            })
            .collect();
        if copies.is_empty() {
            return None;
        }
        let key: ChainKey = copies
            .iter()
            .map(|e| (e.id.clone(), e.size, e.modified_ms))
            .collect();
        // Held while working out: one chain in memory at a time, and a
        // second client asking meanwhile gets the same answers.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = last.as_ref() {
            let resting =
                known.took >= WORTH_RESTING && known.at.elapsed() < known.took * REST_PER_WORK;
            let same_files =
                known.key.len() == key.len() && known.key.iter().zip(&key).all(|(a, b)| a.0 == b.0);
            if known.key == key || (resting && same_files) {
                return Some(known.answers.clone());
            }
        }
        let started = Instant::now();
        let answers = work_out(&copies);
        *last = Some(WorkedOut {
            key,
            answers: answers.clone(),
            at: Instant::now(),
            took: started.elapsed(),
        });
        Some(answers)
    }
}

/// The `/v1/outline` object.
#[derive(Serialize)]
struct OutlineObject<'a> {
    api: u32,
    files: &'a [String],
    steps: Vec<StepLine<'a>>,
    #[serde(skip_serializing_if = "is_zero")]
    steps_left_out: usize,
    outcome: OutcomeLine<'a>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn work_out(copies: &[&Entry]) -> ChainAnswers {
    let opened: Vec<(String, LogDocument)> = copies
        .iter()
        .filter_map(|e| {
            let doc = LogDocument::open_blocking(&e.path, OpenOptions::default()).ok()?;
            Some((e.id.clone(), doc))
        })
        .collect();
    let docs: Vec<&LogDocument> = opened.iter().map(|(_, d)| d).collect();
    let order = chain::order_documents(&docs);
    let docs: Vec<&LogDocument> = order.iter().map(|&i| &opened[i].1).collect();
    let names: Vec<String> = order.iter().map(|&i| opened[i].0.clone()).collect();
    let (outline, triage) = triage::triage_documents(&docs, &names);
    drop(docs);
    drop(opened);
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let steps_left_out = outline.steps.len().saturating_sub(MAX_SERVED_STEPS);
    let object = OutlineObject {
        api: 1,
        files: &names,
        steps: outline.steps[steps_left_out..]
            .iter()
            .map(|step| json::step_line(step, &name_refs))
            .collect(),
        steps_left_out,
        outcome: json::outcome_line(&outline),
    };
    let answers = ChainAnswers {
        outline: serde_json::to_vec(&object).unwrap_or_default().into(),
        triage: serde_json::to_vec(&triage).unwrap_or_default().into(),
    };
    drop(object);
    drop((outline, triage));
    crate::sys::release_freed_memory();
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ccm(message: &str, second: u32) -> String {
        format!(
            "<![LOG[{message}]LOG]!><time=\"10:00:{second:02}.000+000\" date=\"11-24-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"x.cpp:1\">\n"
        )
    }

    fn listing(path: &std::path::Path) -> Listing {
        let meta = std::fs::metadata(path).unwrap();
        Listing {
            entries: vec![Entry {
                id: "0/smsts.log".to_owned(),
                path: path.to_owned(),
                size: meta.len(),
                modified_ms: None,
                identity: 1,
            }],
            truncated: false,
        }
    }

    #[test]
    fn a_task_sequence_of_more_steps_than_served_keeps_its_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("smsts.log");
        let mut text = String::new();
        let steps = MAX_SERVED_STEPS + 25;
        for i in 0..steps {
            text.push_str(&ccm(&format!("Start executing an instruction. Instruction name: Step {i}. Instruction pointer: {i}"), (i % 60) as u32));
        }
        std::fs::write(&path, text).unwrap();
        let answers = ChainCache::default().answers(&listing(&path)).unwrap();
        let outline: serde_json::Value = serde_json::from_slice(&answers.outline).unwrap();
        let served = outline["steps"].as_array().unwrap();
        assert_eq!(served.len(), MAX_SERVED_STEPS);
        assert_eq!(outline["steps_left_out"], 25);
        assert_eq!(
            served.last().unwrap()["name"],
            format!("Step {}", steps - 1)
        );
        assert_eq!(served[0]["name"], "Step 25");
        let triage: serde_json::Value = serde_json::from_slice(&answers.triage).unwrap();
        assert!(triage["outcome"].is_string());
    }

    #[test]
    fn a_short_chain_is_worked_out_again_as_soon_as_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("smsts.log");
        let start = ccm(
            "Start executing an instruction. Instruction name: Format Disk. Instruction pointer: 1",
            0,
        );
        std::fs::write(&path, &start).unwrap();
        let cache = ChainCache::default();
        let first: serde_json::Value =
            serde_json::from_slice(&cache.answers(&listing(&path)).unwrap().outline).unwrap();
        assert_eq!(first["steps"].as_array().unwrap().len(), 1);
        assert!(first.get("steps_left_out").is_none());
        let more = ccm(
            "Start executing an instruction. Instruction name: Apply Image. Instruction pointer: 2",
            1,
        );
        std::fs::write(&path, format!("{start}{more}")).unwrap();
        let second: serde_json::Value =
            serde_json::from_slice(&cache.answers(&listing(&path)).unwrap().outline).unwrap();
        assert_eq!(second["steps"].as_array().unwrap().len(), 2);
    }
}
