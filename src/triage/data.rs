//! The triage's curated tables, built into the program from
//! `resources/triage/`: errors that are usually harmless (a message pattern,
//! why, and a public source) and the logs to read next for a kind of step.
//! Parsed once; a row whose pattern does not compile is left out (a test
//! checks that none is).

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

const HARMLESS_JSON: &str = include_str!("../../resources/triage/harmless-errors.json");
const NEXT_LOGS_JSON: &str = include_str!("../../resources/triage/next-logs.json");

#[derive(Deserialize)]
struct HarmlessRow {
    id: String,
    pattern: String,
    component: Option<String>,
    why: String,
    source: String,
}

/// An error line that is usually harmless.
#[derive(Debug)]
pub struct Harmless {
    /// Short name of the row.
    pub id: String,
    pattern: Regex,
    component: Option<String>,
    /// Why it is usually harmless.
    pub why: String,
    /// A public source saying so.
    pub source: String,
}

impl Harmless {
    /// True when a record with this message and component is this row's.
    pub fn matches(&self, component: &str, message: &str) -> bool {
        self.component
            .as_deref()
            .is_none_or(|c| component.is_empty() || c.eq_ignore_ascii_case(component))
            && self.pattern.is_match(message)
    }
}

#[derive(Deserialize)]
struct NextLogsRow {
    id: String,
    step_pattern: String,
    logs: Vec<NextLogRow>,
    source: String,
}

#[derive(Deserialize)]
struct NextLogRow {
    path: String,
    why: String,
}

/// Logs to read next for the steps a pattern matches.
#[derive(Debug)]
pub struct NextLogs {
    /// Short name of the row.
    pub id: String,
    step: Regex,
    /// The logs: path (or file name) and what it tells.
    pub logs: Vec<(String, String)>,
    /// A public source.
    pub source: String,
}

impl NextLogs {
    /// True when this row is about `subject` (a step's name, action type or
    /// the engine component that failed).
    pub fn matches(&self, subject: &str) -> bool {
        self.step.is_match(subject)
    }
}

fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .ok()
}

/// The harmless-error table.
pub fn harmless() -> &'static [Harmless] {
    static TABLE: OnceLock<Vec<Harmless>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows: Vec<HarmlessRow> = serde_json::from_str(HARMLESS_JSON).unwrap_or_default();
        rows.into_iter()
            .filter_map(|r| {
                Some(Harmless {
                    pattern: compile(&r.pattern)?,
                    id: r.id,
                    component: r.component,
                    why: r.why,
                    source: r.source,
                })
            })
            .collect()
    })
}

/// The next-logs table.
pub fn next_logs() -> &'static [NextLogs] {
    static TABLE: OnceLock<Vec<NextLogs>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows: Vec<NextLogsRow> = serde_json::from_str(NEXT_LOGS_JSON).unwrap_or_default();
        rows.into_iter()
            .filter_map(|r| {
                Some(NextLogs {
                    step: compile(&r.step_pattern)?,
                    id: r.id,
                    logs: r.logs.into_iter().map(|l| (l.path, l.why)).collect(),
                    source: r.source,
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_compiles_and_names_a_public_source() {
        let harmless_rows: Vec<serde_json::Value> = serde_json::from_str(HARMLESS_JSON).unwrap();
        let next_rows: Vec<serde_json::Value> = serde_json::from_str(NEXT_LOGS_JSON).unwrap();
        assert_eq!(
            harmless().len(),
            harmless_rows.len(),
            "a harmless pattern failed"
        );
        assert_eq!(next_logs().len(), next_rows.len(), "a step pattern failed");
        assert!(harmless().len() >= 10 && next_logs().len() >= 10);
        for h in harmless() {
            assert!(h.source.starts_with("https://"), "{}", h.id);
            assert!(!h.why.is_empty(), "{}", h.id);
        }
        for n in next_logs() {
            assert!(n.source.starts_with("http"), "{}", n.id);
            assert!(!n.logs.is_empty(), "{}", n.id);
        }
    }

    #[test]
    fn no_harmless_row_mutes_a_real_failure() {
        for line in [
            "Failed to run the action: Install Contoso VPN. Fatal error during installation. (Error: 80070643; Source: Windows)",
            "Task sequence execution failed with error code 80004005",
            "Failed to run the last action: Apply Operating System. Execution of task sequence failed.",
            "Task Sequence Manager failed to execute task sequence. Code 0x80070005",
            "Install application action failed: 'Notepad++'. Error Code 0x80004005",
        ] {
            for h in harmless() {
                assert!(!h.matches("TSManager", line), "{} mutes {line}", h.id);
            }
        }
    }

    #[test]
    fn the_known_harmless_line_of_a_real_run_is_muted() {
        assert!(
            harmless()
                .iter()
                .any(|h| h.matches("TSManager", r"Failed to create D:\_SMSTaskSequence (3)"))
        );
    }
}
