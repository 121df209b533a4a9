//! Errors ranked, for any log: error records grouped by their message with
//! numbers blanked out, the first one first, then the most frequent; each
//! group with its count, first record and the codes it carries (looked up),
//! and the usually-harmless ones muted at the end rather than hidden.

use serde::Serialize;

use super::{data, describe};
use crate::document::LogDocument;
use crate::errors::detect::find_codes;
use crate::model::{Direction, Severity};

/// Error records read at most (a whole, very broken log still ranks).
const MAX_ERRORS: usize = 200_000;
/// Groups returned.
const MAX_GROUPS: usize = 200;

/// A code an error group carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupCode {
    /// `0x` and 8 hex digits (or decimal for small codes).
    pub code: String,
    /// Its name, if known.
    pub name: Option<String>,
    /// What it means, if known.
    pub meaning: Option<String>,
}

/// Errors whose messages differ only in numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorGroup {
    /// The first message of the group.
    pub message: String,
    /// Its component.
    pub component: String,
    /// How many records.
    pub count: usize,
    /// The first record: file index and record number.
    pub first: (usize, usize),
    /// Its time as written.
    pub time: Option<String>,
    /// Codes found in the first message.
    pub codes: Vec<GroupCode>,
    /// Why it is usually harmless, when the curated table says so.
    pub harmless: Option<String>,
}

/// The message with digits and hex runs blanked: `Failed 3 of 7 (0x80070002)`
/// and `Failed 4 of 9 (0x80070005)` are one group.
fn shape(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or("");
    let mut out = String::with_capacity(first_line.len().min(200));
    let mut in_number = false;
    for c in first_line.chars().take(200) {
        if c.is_ascii_hexdigit() && (c.is_ascii_digit() || in_number) {
            if !in_number {
                out.push('#');
                in_number = true;
            }
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// Ranks the error records of `docs` (file index = position in `docs`).
pub fn rank_errors(docs: &[&LogDocument]) -> Vec<ErrorGroup> {
    let mut groups: Vec<(String, ErrorGroup)> = Vec::new();
    let mut by_shape: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut seen = 0usize;
    for (file, doc) in docs.iter().enumerate() {
        let mut at = None;
        while seen < MAX_ERRORS {
            let Some(record) = doc.next_of_severity(at, Severity::Error, Direction::Forward) else {
                break;
            };
            at = Some(record);
            seen += 1;
            let Some(row) = doc.row(record) else {
                continue;
            };
            let key = shape(&row.fields.message);
            match by_shape.get(&key).copied() {
                Some(i) => groups[i].1.count += 1,
                None if groups.len() < MAX_GROUPS * 4 => {
                    let message = row.fields.message.trim().to_owned();
                    let component = row.fields.component.clone();
                    let codes = find_codes(&message)
                        .into_iter()
                        .map(|c| {
                            let (name, meaning) = describe(c.value);
                            GroupCode {
                                code: crate::tasksequence::code_text(c.value),
                                name,
                                meaning,
                            }
                        })
                        .collect();
                    let harmless = data::harmless()
                        .iter()
                        .find(|h| h.matches(&component, &message))
                        .map(|h| h.why.clone());
                    by_shape.insert(key.clone(), groups.len());
                    groups.push((
                        key,
                        ErrorGroup {
                            message,
                            component,
                            count: 1,
                            first: (file, record),
                            time: row.fields.time_text.clone(),
                            codes,
                            harmless,
                        },
                    ));
                }
                None => {}
            }
        }
    }
    let mut ranked: Vec<ErrorGroup> = groups.into_iter().map(|(_, g)| g).collect();
    // The first error of the log first, then by frequency, harmless last.
    let first = ranked
        .iter()
        .filter(|g| g.harmless.is_none())
        .map(|g| g.first)
        .min();
    ranked.sort_by_key(|g| {
        (
            g.harmless.is_some(),
            Some(g.first) != first,
            std::cmp::Reverse(g.count),
            g.first,
        )
    });
    ranked.truncate(MAX_GROUPS);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_do_not_split_a_group() {
        assert_eq!(
            shape("Failed 3 of 7 (0x80070002) at 10:02:11"),
            shape("Failed 4 of 19 (0x80070005) at 11:59:00")
        );
        assert_ne!(shape("Failed to open A"), shape("Failed to open B"));
    }
}
