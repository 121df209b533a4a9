//! The task sequence of what `serve` shares: the smsts.log copies among the
//! served files, read as one chain in the order they were written, and the
//! outline and triage of it as `logweave outline --json` and `logweave
//! triage --json` give them (file names are the files' ids). Worked out
//! again only when one of the copies changed.

use std::sync::{Mutex, PoisonError};

use super::catalog::{Entry, Listing};
use crate::document::{LogDocument, OpenOptions};
use crate::tasksequence::{self, chain};
use crate::triage;

/// The outline and triage objects of one state of the chain.
#[derive(Debug, Clone)]
pub struct ChainAnswers {
    /// `{"api":1,"files":[ids],"steps":[…],"outcome":{…}}`.
    pub outline: serde_json::Value,
    /// The `triage --json` object.
    pub triage: serde_json::Value,
}

/// What a chain was worked out from: each copy's id, size and time.
type ChainKey = Vec<(String, u64, Option<i64>)>;

/// The last chain worked out.
#[derive(Debug, Default)]
pub struct ChainCache {
    last: Mutex<Option<(ChainKey, ChainAnswers)>>,
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
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((known, answers)) = last.as_ref()
            && *known == key
        {
            return Some(answers.clone());
        }
        let answers = work_out(&copies);
        *last = Some((key, answers.clone()));
        Some(answers)
    }
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
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let outline = serde_json::json!({
        "api": 1,
        "files": names,
        "steps": tasksequence::json::step_lines(&outline, &name_refs),
        "outcome": tasksequence::json::outcome_line(&outline),
    });
    ChainAnswers {
        outline,
        triage: serde_json::to_value(&triage).unwrap_or_default(),
    }
}
