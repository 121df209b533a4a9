//! Preferences the viewer persists in `settings.json` (both renderers read
//! the same file): poll interval, highlight colour, theme, font size,
//! plain-text severity keywords, column layout, recent files and where the
//! CPU-rendered window was.
//! Never draws; never imports the rest of the window.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::formats::SeverityKeywords;

/// Key under which eframe stored the settings before `settings.json`.
#[cfg(feature = "gpu")]
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
    /// Where the CPU-rendered window was when it closed (the GPU host keeps
    /// its own in eframe's storage).
    pub window: Option<WindowPlacement>,
    /// Computers whose logs were opened (File > Open from computer),
    /// newest first.
    #[serde(default)]
    pub recent_hosts: Vec<String>,
    /// Open a log at its last record and follow new ones while the view is
    /// at the end, as CMTrace does (Preferences).
    pub open_at_end: bool,
}

/// A window's place on the desktop, in physical pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowPlacement {
    /// Left edge of the outer frame.
    pub x: i32,
    /// Top edge of the outer frame.
    pub y: i32,
    /// Inner width.
    pub width: u32,
    /// Inner height.
    pub height: u32,
    /// Maximised.
    pub maximized: bool,
}

impl WindowPlacement {
    /// True when enough of the title bar (the top 32 rows, at least 64
    /// pixels wide) lies on one of `screens` (`[x, y, width, height]`) to
    /// grab it: a window saved on a monitor since unplugged is not.
    pub fn is_reachable(&self, screens: &[[i64; 4]]) -> bool {
        let (left, top) = (i64::from(self.x), i64::from(self.y));
        let right = left + i64::from(self.width);
        screens.iter().any(|&[sx, sy, sw, sh]| {
            let visible = right.min(sx + sw) - left.max(sx);
            visible >= 64 && top >= sy && top + 32 <= sy + sh
        })
    }
}

/// The settings file: `%APPDATA%\LogWeave\settings.json` on Windows,
/// `$XDG_CONFIG_HOME/logweave/settings.json` (or `~/.config/...`)
/// elsewhere; `LOGWEAVE_CONFIG_DIR` overrides the folder.
pub fn file_path() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = if let Some(dir) = var("LOGWEAVE_CONFIG_DIR") {
        dir
    } else if cfg!(windows) {
        var("APPDATA")?.join("LogWeave")
    } else if let Some(config) = var("XDG_CONFIG_HOME") {
        config.join("logweave")
    } else {
        var("HOME")?.join(".config").join("logweave")
    };
    Some(dir.join("settings.json"))
}

/// The saved settings, or `None` when there is no file (or it cannot be
/// read: a broken file is not worth refusing to start over).
pub fn load() -> Option<Settings> {
    let text = std::fs::read_to_string(file_path()?).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the settings file (through a temporary file, so a crash while
/// writing leaves the old one).
pub fn save(settings: &Settings) -> std::io::Result<()> {
    let path = file_path().ok_or_else(|| std::io::Error::other("no settings folder"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("json.new");
    let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, &path)
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
            window: None,
            recent_hosts: Vec::new(),
            open_at_end: true,
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
    /// Puts a computer's name at the top of the recent hosts (one entry
    /// per name, whatever its case).
    pub fn remember_host(&mut self, host: &str) {
        self.recent_hosts.retain(|h| !h.eq_ignore_ascii_case(host));
        self.recent_hosts.insert(0, host.to_owned());
        self.recent_hosts.truncate(RECENT_MAX);
    }

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
    fn a_window_on_an_unplugged_monitor_is_not_reachable() {
        let at = |x, y| WindowPlacement {
            x,
            y,
            width: 800,
            height: 600,
            maximized: false,
        };
        let screens = [[0, 0, 1920, 1080], [1920, 0, 1280, 1024]];
        assert!(at(100, 100).is_reachable(&screens));
        assert!(at(2000, 500).is_reachable(&screens));
        assert!(at(-700, 10).is_reachable(&screens)); // 100 px of it on screen
        assert!(!at(-780, 10).is_reachable(&screens));
        assert!(!at(3300, 10).is_reachable(&screens)); // a third monitor, gone
        assert!(!at(100, -40).is_reachable(&screens)); // title bar above the top
        assert!(!at(100, 100).is_reachable(&[]));
    }

    #[test]
    fn recent_hosts_are_unique_ignoring_case_newest_first_and_capped() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember_host(&format!("PC{i:03}"));
        }
        s.remember_host("pc005");
        assert_eq!(s.recent_hosts.len(), RECENT_MAX);
        assert_eq!(s.recent_hosts[0], "pc005");
        assert!(!s.recent_hosts.iter().any(|h| h == "PC005"));
    }

    #[test]
    fn old_settings_files_still_load() {
        let s: Settings = serde_json::from_str(r#"{"poll_interval_ms": 1000}"#).unwrap();
        assert!(s.recent_hosts.is_empty());
        assert_eq!(s.poll_interval_ms, 1000);
        assert_eq!(s.highlight_rgb, [255, 255, 0]);
    }
}
