//! Comparing two logs that are already open (Window > Compare two open
//! logs, or Ctrl+K with two logs open): the tabs that can be compared, the
//! choice, and the comparison opened over the same documents (nothing is
//! read again).

use std::sync::Arc;

use super::LogWeaveApp;
use crate::document::LogDocument;
use crate::gui::view::{CompareTab, LogTab, Tab};

impl LogWeaveApp {
    /// The tabs showing one log each (not merged, not a comparison):
    /// (tab index, its title).
    pub fn single_log_tabs(&self) -> Vec<(usize, String)> {
        self.tabs
            .iter()
            .enumerate()
            .filter_map(|(i, tab)| match tab {
                Tab::Log(log) if !log.is_merged() => Some((i, tab.title())),
                _ => None,
            })
            .collect()
    }

    /// Opens the window that picks two open logs: the active one as A and
    /// the one before it (or after) as B.
    pub fn choose_tabs_to_compare(&mut self) {
        let logs: Vec<usize> = self.single_log_tabs().into_iter().map(|(i, _)| i).collect();
        let a = logs
            .iter()
            .copied()
            .find(|&i| i == self.active)
            .or(logs.first().copied());
        let b = logs.iter().copied().rev().find(|&i| Some(i) != a);
        self.panels.compare_tabs = Some((a.unwrap_or(0), b.unwrap_or(0)));
    }

    /// Opens tabs `a` and `b` side by side in a new tab, over their
    /// documents. Does nothing unless both show one log, and different ones.
    pub fn compare_open_tabs(&mut self, a: usize, b: usize) {
        let doc_of = |i: usize| -> Option<Arc<LogDocument>> {
            match self.tabs.get(i)? {
                Tab::Log(log) if !log.is_merged() => Some(Arc::clone(log.doc())),
                _ => None,
            }
        };
        let (Some(doc_a), Some(doc_b)) = (doc_of(a), doc_of(b)) else {
            return;
        };
        if a == b {
            return;
        }
        let poll = self.settings.poll_interval_ms;
        let pane_a = LogTab::shared(doc_a, poll, self.waker.clone());
        let pane_b = LogTab::shared(doc_b, poll, self.waker.clone());
        self.tabs
            .push(Tab::Compare(Box::new(CompareTab::new(pane_a, pane_b))));
        self.active = self.tabs.len() - 1;
        self.panels.compare_tabs = None;
    }
}
