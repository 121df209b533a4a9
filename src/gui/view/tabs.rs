//! What a window tab is ([`Tab`]): one row view ([`LogTab`], one log or
//! several merged) or a comparison of two ([`CompareTab`]). The app holds
//! these; commands act on the focused pane. Never draws.

use std::sync::Arc;

use super::{CompareTab, LogTab, Source};
use crate::document::LogDocument;

/// One tab of the window.
#[allow(
    clippy::large_enum_variant,
    reason = "a window holds a handful of tabs; boxing the common case buys nothing"
)]
pub enum Tab {
    /// One log, or several merged into one timeline.
    Log(LogTab),
    /// Two logs side by side.
    Compare(Box<CompareTab>),
}

impl Tab {
    /// The tab's title: the file name, "N logs merged" or "A | B".
    pub fn title(&self) -> String {
        match self {
            Tab::Log(t) => t.title(),
            Tab::Compare(c) => c.title(),
        }
    }

    /// The log view, or pane A of a comparison.
    pub fn primary(&self) -> &LogTab {
        match self {
            Tab::Log(t) => t,
            Tab::Compare(c) => &c.a,
        }
    }

    /// [`primary`](Self::primary), mutably.
    pub fn primary_mut(&mut self) -> &mut LogTab {
        match self {
            Tab::Log(t) => t,
            Tab::Compare(c) => &mut c.a,
        }
    }

    /// The pane that has the keyboard (the log view itself when not comparing).
    pub fn focused(&self) -> &LogTab {
        match self {
            Tab::Log(t) => t,
            Tab::Compare(c) => c.focused(),
        }
    }

    /// [`focused`](Self::focused), mutably.
    pub fn focused_mut(&mut self) -> &mut LogTab {
        match self {
            Tab::Log(t) => t,
            Tab::Compare(c) => c.focused_mut(),
        }
    }

    /// The comparison, when this tab is one.
    pub fn compare(&self) -> Option<&CompareTab> {
        match self {
            Tab::Compare(c) => Some(c),
            Tab::Log(_) => None,
        }
    }

    /// [`compare`](Self::compare), mutably.
    pub fn compare_mut(&mut self) -> Option<&mut CompareTab> {
        match self {
            Tab::Compare(c) => Some(c),
            Tab::Log(_) => None,
        }
    }

    /// Every row view of the tab (one, or both panes).
    pub fn panes(&self) -> Vec<&LogTab> {
        match self {
            Tab::Log(t) => vec![t],
            Tab::Compare(c) => vec![&c.a, &c.b],
        }
    }

    /// [`panes`](Self::panes), mutably.
    pub fn panes_mut(&mut self) -> Vec<&mut LogTab> {
        match self {
            Tab::Log(t) => vec![t],
            Tab::Compare(c) => vec![&mut c.a, &mut c.b],
        }
    }

    /// Every source of every pane.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.panes().into_iter().flat_map(|p| p.sources.iter())
    }

    /// The pane and source showing `doc`, if any.
    pub fn find_document(&mut self, doc: &Arc<LogDocument>) -> Option<(&mut LogTab, usize)> {
        self.panes_mut().into_iter().find_map(|p| {
            let source = p.source_of(doc)?;
            Some((p, source))
        })
    }

    /// Background work in the tab, if any runs.
    pub fn busy(&self) -> Option<(&'static str, f32)> {
        match self {
            Tab::Log(t) => t.busy(),
            Tab::Compare(c) => c.busy(),
        }
    }

    /// Takes in what jobs and tails have reported.
    pub fn poll(&mut self) {
        match self {
            Tab::Log(t) => t.poll(),
            Tab::Compare(c) => c.poll(),
        }
    }

    /// Asks every job of the tab to stop (without waiting).
    pub fn cancel_work(&self) {
        match self {
            Tab::Log(t) => t.cancel_work(),
            Tab::Compare(c) => c.cancel_work(),
        }
    }
}
