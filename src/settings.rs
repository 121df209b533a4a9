//! Preferences the viewer persists in `settings.json` (both renderers read
//! the same file): poll interval, highlight colour, theme, font size,
//! plain-text severity keywords, column layout, recent files and where the
//! CPU-rendered window was; reading a broken or hand-edited file into
//! values the window can use. UI-free (the window re-exports it).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::formats::SeverityKeywords;

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
    /// What the Date/Time column shows.
    pub date_time_format: DateTimeFormat,
    /// File > Print's program and arguments (the file to print is added
    /// last); empty: `notepad /p` on Windows, `lp` elsewhere.
    pub print_command: Vec<String>,
}

/// What the Date/Time column shows (the time as written is always in the
/// details pane and the cell's tooltip).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateTimeFormat {
    /// This computer's short date and a 24-hour time with milliseconds
    /// (`11/03/2026 10:00:00.120` in the United States).
    #[default]
    Locale,
    /// The text the log holds.
    AsWritten,
    /// `2026-11-03T10:00:00.120`, the clock of the log as written.
    Iso8601,
    /// In UTC, from the record's zone (said to be unknown when it is).
    Utc,
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

/// What reading the settings file gave.
#[derive(Debug, Default)]
pub struct LoadedSettings {
    /// The settings read (made usable, see [`Settings::sanitized`]); `None`
    /// when there is no file or it cannot be used.
    pub settings: Option<Settings>,
    /// Why the file could not be used, for the window to say (the defaults
    /// are used then, and the broken file is kept beside it).
    pub problem: Option<String>,
}

/// The saved settings (see [`load_from`]).
pub fn load() -> LoadedSettings {
    file_path().map(|path| load_from(&path)).unwrap_or_default()
}

/// Reads the settings file at `path`. No file is no problem; a file that
/// cannot be read or parsed is reported and copied to
/// `settings.json.broken` first, so the defaults saved at exit do not
/// destroy what the user may want to mend.
pub fn load_from(path: &Path) -> LoadedSettings {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return LoadedSettings::default(),
        Err(e) => return broken(path, &e.to_string(), false),
    };
    let text = String::from_utf8_lossy(&text);
    match parse(&text) {
        Ok(settings) => LoadedSettings {
            settings: Some(settings),
            problem: None,
        },
        Err(e) => broken(path, &e.to_string(), true),
    }
}

/// The report for a settings file that cannot be used.
fn broken(path: &Path, why: &str, keep_copy: bool) -> LoadedSettings {
    let kept = keep_copy
        .then(|| {
            let copy = path.with_extension("json.broken");
            std::fs::copy(path, &copy).ok().map(|_| copy)
        })
        .flatten()
        .map(|copy| format!("; it was kept as {}", copy.display()))
        .unwrap_or_default();
    LoadedSettings {
        settings: None,
        problem: Some(format!(
            "The settings file {} could not be read ({why}): the defaults are used{kept}",
            path.display()
        )),
    }
}

/// Parses the text of a settings file: unknown keys are ignored, missing
/// ones take their defaults, and values out of range are brought back into
/// it ([`Settings::sanitized`]).
pub fn parse(text: &str) -> Result<Settings, serde_json::Error> {
    serde_json::from_str::<Settings>(text).map(Settings::sanitized)
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
            date_time_format: DateTimeFormat::Locale,
            print_command: Vec::new(),
        }
    }
}

/// Bounds of the values a hand-edited file may hold.
pub mod bounds {
    /// Poll interval, milliseconds.
    pub const POLL_MS: (u64, u64) = (50, 60_000);
    /// Font size, points.
    pub const FONT_SIZE: (f32, f32) = (6.0, 48.0);
    /// A column's width, points.
    pub const COLUMN_WIDTH: (f32, f32) = (24.0, 2000.0);
    /// A text kept in a history (find, lookup, highlight), characters.
    pub const TEXT_CHARS: usize = 1000;
    /// A window's side, pixels.
    pub const WINDOW_SIDE: (u32, u32) = (200, 16_384);
}

impl Settings {
    /// The same settings with every value inside [`bounds`] (a value that
    /// is not a number, such as NaN, takes its default), histories cut to
    /// [`RECENT_MAX`] and texts to [`bounds::TEXT_CHARS`].
    pub fn sanitized(mut self) -> Settings {
        let defaults = Settings::default();
        let clamp_f32 = |v: f32, (lo, hi): (f32, f32), default: f32| {
            if v.is_finite() {
                v.clamp(lo, hi)
            } else {
                default
            }
        };
        self.poll_interval_ms = self
            .poll_interval_ms
            .clamp(bounds::POLL_MS.0, bounds::POLL_MS.1);
        self.font_size = clamp_f32(self.font_size, bounds::FONT_SIZE, defaults.font_size);
        for (width, default) in self.column_widths.iter_mut().zip(defaults.column_widths) {
            *width = clamp_f32(*width, bounds::COLUMN_WIDTH, default);
        }
        let cut = |text: &mut String| {
            if let Some((at, _)) = text.char_indices().nth(bounds::TEXT_CHARS) {
                text.truncate(at);
            }
        };
        cut(&mut self.highlight_text);
        for list in [
            &mut self.find_history,
            &mut self.lookup_history,
            &mut self.recent_hosts,
        ] {
            list.truncate(RECENT_MAX);
            list.iter_mut().for_each(cut);
        }
        self.recent_files.truncate(RECENT_MAX);
        self.print_command.truncate(32);
        self.print_command.iter_mut().for_each(cut);
        if let Some(window) = &mut self.window {
            let (lo, hi) = bounds::WINDOW_SIDE;
            window.width = window.width.clamp(lo, hi);
            window.height = window.height.clamp(lo, hi);
        }
        self
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
    fn hand_edited_values_are_brought_into_range() {
        let s = parse(
            r#"{"poll_interval_ms": 0, "font_size": 1e30, "column_widths": [-5, 1e9, 150],
                "find_history": ["a","b","c","d","e","f","g","h","i","j","k","l"],
                "window": {"x": 0, "y": 0, "width": 0, "height": 4000000000, "maximized": false}}"#,
        )
        .unwrap();
        assert_eq!(s.poll_interval_ms, bounds::POLL_MS.0);
        assert_eq!(s.font_size, bounds::FONT_SIZE.1);
        assert_eq!(
            s.column_widths,
            [bounds::COLUMN_WIDTH.0, bounds::COLUMN_WIDTH.1, 150.0]
        );
        assert_eq!(s.find_history.len(), RECENT_MAX);
        let w = s.window.unwrap();
        assert_eq!(
            (w.width, w.height),
            (bounds::WINDOW_SIDE.0, bounds::WINDOW_SIDE.1)
        );
        assert_eq!(s.clone().sanitized(), s, "sanitizing twice changes nothing");
    }

    #[test]
    fn a_broken_file_is_reported_and_kept_and_a_missing_one_is_not_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let missing = load_from(&path);
        assert!(missing.settings.is_none() && missing.problem.is_none());
        std::fs::write(&path, r#"{"font_size": "huge", "#).unwrap();
        let broken = load_from(&path);
        assert!(broken.settings.is_none());
        let problem = broken.problem.unwrap();
        assert!(
            problem.starts_with(&format!(
                "The settings file {} could not be read (",
                path.display()
            )),
            "{problem}"
        );
        assert!(
            problem.contains("the defaults are used; it was kept as"),
            "{problem}"
        );
        let kept = dir.path().join("settings.json.broken");
        assert_eq!(std::fs::read(kept).unwrap(), br#"{"font_size": "huge", "#);
    }

    #[test]
    fn old_settings_files_still_load() {
        let s: Settings = serde_json::from_str(r#"{"poll_interval_ms": 1000}"#).unwrap();
        assert!(s.recent_hosts.is_empty());
        assert_eq!(s.poll_interval_ms, 1000);
        assert_eq!(s.highlight_rgb, [255, 255, 0]);
    }
}
