//! Preferences the viewer persists (eframe storage): poll interval,
//! highlight colour, theme, font size, plain-text severity keywords, column
//! layout and recent files.
//! Never draws; never imports the rest of the window.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::formats::SeverityKeywords;

/// Key under which settings are stored.
pub const STORAGE_KEY: &str = "logweave-settings";
/// Recent files kept.
pub const RECENT_MAX: usize = 10;

/// Light, dark, or whatever the OS uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Everything the user can set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Live-tail poll interval in milliseconds (CMTrace: 500).
    pub poll_interval_ms: u64,
    /// Background of highlighted rows (CMTrace: yellow).
    pub highlight_rgb: [u8; 3],
    /// Theme.
    pub theme: ThemeChoice,
    /// Size of the list's text in points.
    pub font_size: f32,
    /// Keywords for logs without a severity field (applies to files opened afterwards).
    pub keywords: SeverityKeywords,
    /// Show the Component, Date/Time and Thread columns (Ctrl+H).
    pub show_detail_columns: bool,
    /// Show the details pane.
    pub show_details_pane: bool,
    /// Widths of Component, Date/Time and Thread.
    pub column_widths: [f32; 3],
    /// Most recently opened files, newest first.
    pub recent_files: Vec<PathBuf>,
    /// Recent find texts, newest first (CMTrace keeps these too).
    pub find_history: Vec<String>,
    /// The Highlight box's text, kept between sessions as CMTrace does.
    pub highlight_text: String,
    /// Recent Error Lookup inputs, newest first.
    pub lookup_history: Vec<String>,
    /// What dropping several files does: merge (true), tabs (false), or ask (unset).
    pub drop_merges: Option<bool>,
    /// Show the Task sequence panel beside task-sequence logs (Ctrl+T).
    pub show_outline: bool,
    /// Windows: offer at start to become the viewer of .log and .lo_ files
    /// (off once the user says "Don't ask again").
    pub offer_association: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            poll_interval_ms: crate::follow::DEFAULT_INTERVAL_MS,
            highlight_rgb: [255, 255, 0],
            theme: ThemeChoice::System,
            font_size: 13.0,
            keywords: SeverityKeywords::default(),
            show_detail_columns: true,
            show_details_pane: true,
            column_widths: [150.0, 190.0, 110.0],
            recent_files: Vec::new(),
            find_history: Vec::new(),
            highlight_text: String::new(),
            lookup_history: Vec::new(),
            drop_merges: None,
            show_outline: true,
            offer_association: true,
        }
    }
}

impl Settings {
    /// Puts `path` at the top of the recent files.
    pub fn remember(&mut self, path: &std::path::Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent_files.retain(|p| p != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT_MAX);
    }
}

impl Settings {
    /// Puts a find text at the top of the find history.
    pub fn remember_find(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.find_history.retain(|t| t != text);
        self.find_history.insert(0, text.to_owned());
        self.find_history.truncate(RECENT_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_capped() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember(std::path::Path::new(&format!("/nonexistent/{i}.log")));
        }
        s.remember(std::path::Path::new("/nonexistent/5.log"));
        assert_eq!(s.recent_files.len(), RECENT_MAX);
        assert_eq!(s.recent_files[0], PathBuf::from("/nonexistent/5.log"));
        assert_eq!(
            s.recent_files
                .iter()
                .filter(|p| p.ends_with("5.log"))
                .count(),
            1
        );
    }

    #[test]
    fn old_settings_files_still_load() {
        let s: Settings = serde_json::from_str(r#"{"poll_interval_ms": 1000}"#).unwrap();
        assert_eq!(s.poll_interval_ms, 1000);
        assert_eq!(s.highlight_rgb, [255, 255, 0]);
    }
}
