//! What a window tab is ([`Tab`]): one row view ([`LogTab`], one log or
//! several merged) or a comparison of two ([`CompareTab`]). The app holds
//! these; commands act on the focused pane. Never draws.

use std::path::{Component, Path};
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

/// For each path, its last components — as few as tell it apart from every
/// other path given (ignoring case, as Windows does) — joined with the
/// platform's separator: two `smsts.log` copies show as
/// `Temp\SMSTSLog\smsts.log` and `Logs\Smstslog\smsts.log`; a name no
/// other path shares stays a bare file name.
pub fn distinguishing_names(paths: &[&Path]) -> Vec<String> {
    let parts: Vec<Vec<String>> = paths
        .iter()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                    Component::Prefix(p) => Some(p.as_os_str().to_string_lossy().into_owned()),
                    _ => None,
                })
                .rev()
                .collect()
        })
        .collect();
    let tail = |i: usize, k: usize| -> Vec<String> {
        parts[i].iter().take(k).map(|s| s.to_lowercase()).collect()
    };
    (0..parts.len())
        .map(|i| {
            let mut k = 1;
            while k < parts[i].len()
                && (0..parts.len())
                    .any(|j| j != i && parts[j].len() >= k && tail(j, k) == tail(i, k))
            {
                k += 1;
            }
            let mut shown: Vec<&str> = parts[i].iter().take(k.max(1)).map(String::as_str).collect();
            shown.reverse();
            shown.join(std::path::MAIN_SEPARATOR_STR)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_named_logs_are_told_apart_by_the_fewest_folders() {
        let sep = std::path::MAIN_SEPARATOR_STR;
        let a = Path::new("/x/Windows/Temp/SMSTSLog/smsts.log");
        let b = Path::new("/c/_SMSTaskSequence/Logs/Smstslog/smsts.log");
        let c = Path::new("/c/Windows/CCM/Logs/AppEnforce.log");
        let names = distinguishing_names(&[a, b, c]);
        assert_eq!(
            names,
            [
                ["Temp", "SMSTSLog", "smsts.log"].join(sep),
                ["Logs", "Smstslog", "smsts.log"].join(sep),
                "AppEnforce.log".to_owned()
            ]
        );
        assert_eq!(distinguishing_names(&[a]), ["smsts.log"]);
        // The same path twice: all of it, nothing more to tell.
        let twice = distinguishing_names(&[a, a]);
        assert_eq!(twice[0], twice[1]);
        assert!(twice[0].ends_with(&["SMSTSLog", "smsts.log"].join(sep)));
    }
}
