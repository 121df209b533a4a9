//! Filter state of a tab ([`FilterState`]): clauses, quick box, severity
//! toggles and the records that pass. Never draws; evaluation runs in the
//! tab's jobs.

use super::*;
use crate::filter::{Clause, Field, Filter, Op};
use crate::jobs::Job;

/// Filter state of a tab.
pub struct FilterState {
    /// Clauses from Tools > Filter.
    pub clauses: Vec<Clause>,
    /// The quick filter box (log text contains).
    pub quick: String,
    /// The toolbar's severity toggles (info, warnings, errors shown).
    pub severities: [bool; 3],
    /// Per source, the records that pass (when a filter is active).
    pub(super) kept: Option<Vec<RecordSet>>,
    /// View rows (indices into the unfiltered rows) that pass.
    pub(super) visible: Option<Vec<u32>>,
    /// Per source: records evaluated so far.
    pub(super) applied: Vec<usize>,
    /// The running evaluation: per source, (first record evaluated, records kept).
    pub(super) job: Option<Job<FilterPass>>,
    /// Why the filter could not be used.
    pub error: Option<String>,
    /// The record to select (or the nearest shown after it) once the filter's first pass is in.
    pub reselect: Option<(usize, usize)>,
}

/// One filter evaluation's result: per source, (first record evaluated, records kept).
pub(super) type FilterPass = Vec<(usize, Vec<u32>)>;

impl Default for FilterState {
    fn default() -> Self {
        FilterState {
            clauses: Vec::new(),
            quick: String::new(),
            severities: [true; 3],
            kept: None,
            visible: None,
            applied: Vec::new(),
            job: None,
            error: None,
            reselect: None,
        }
    }
}

impl FilterState {
    /// The filter the clauses, the severity toggles and the quick box describe together.
    pub fn combined(&self) -> Filter {
        // A clause with nothing typed in it filters nothing: it is not a filter.
        let mut clauses: Vec<Clause> = self
            .clauses
            .iter()
            .filter(|c| !c.value.trim().is_empty())
            .cloned()
            .collect();
        if self.severities != [true; 3] {
            let names = ["info", "warning", "error"];
            let shown: Vec<&str> = names
                .iter()
                .zip(self.severities)
                .filter(|(_, on)| *on)
                .map(|(n, _)| *n)
                .collect();
            // Nothing ticked is an empty set: no record passes.
            clauses.push(Clause {
                field: Field::Severity,
                op: Op::Equals,
                value: shown.join(","),
            });
        }
        if !self.quick.trim().is_empty() {
            clauses.push(Clause {
                field: Field::Text,
                op: Op::Contains,
                value: self.quick.trim().to_owned(),
            });
        }
        Filter { clauses }
    }

    /// True when some filter is in force.
    pub fn is_active(&self) -> bool {
        !self.combined().is_empty()
    }

    /// True while the filter is being evaluated.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggles_the_quick_box_and_the_clauses_make_one_filter() {
        let mut state = FilterState::default();
        assert!(!state.is_active());
        // A clause with nothing in it is no filter.
        state.clauses.push(Clause {
            field: Field::Text,
            op: Op::Contains,
            value: "  ".into(),
        });
        assert!(!state.is_active());
        state.clauses.clear();
        state.severities = [false, true, true];
        state.quick = "  exit code ".into();
        state.clauses.push(Clause {
            field: Field::Component,
            op: Op::Equals,
            value: "TSManager".into(),
        });
        let combined = state.combined();
        assert_eq!(combined.clauses.len(), 3);
        assert_eq!(combined.clauses[1].value, "warning,error");
        assert_eq!(combined.clauses[2].value, "exit code");
        assert!(state.is_active());
        // Nothing ticked is a filter that keeps nothing, not "no filter".
        let none = FilterState {
            severities: [false; 3],
            ..FilterState::default()
        };
        assert!(none.is_active());
        assert_eq!(none.combined().clauses[0].value, "");
    }
}
