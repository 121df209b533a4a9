//! Every command of the viewer with its menu text and keyboard shortcut, in
//! one table that the menus, the key handling and the help window all read.
//! Never carries out a command: the app does.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// File > Open.
    Open,
    /// File > Open, showing only lines written from now on.
    OpenIgnoringExisting,
    /// File > Open several files merged into one view (CMTrace's "Merge selected files").
    OpenMerged,
    /// Merge all open tabs into one view.
    MergeTabs,
    /// Add a file to the merged view.
    AddToMerge,
    /// File > Save As.
    SaveAs,
    /// File > Print: the rows shown, to the system's printing.
    Print,
    /// Close the active tab.
    CloseTab,
    /// Switch to the next tab.
    NextTab,
    /// Switch to the previous tab.
    PreviousTab,
    /// Tools > Highlight: the Highlight box, ready for typing.
    Highlight,
    /// Window > Compare two open logs: two tabs side by side.
    CompareTabs,
    /// Copy the selected rows, tab-separated.
    Copy,
    /// Select every row shown.
    SelectAll,
    /// Show the find bar.
    Find,
    /// Next find hit.
    FindNext,
    /// Previous find hit.
    FindPrevious,
    /// Next error row.
    NextError,
    /// Previous error row.
    PreviousError,
    /// Next warning row.
    NextWarning,
    /// Previous warning row.
    PreviousWarning,
    /// Tools > Filter.
    Filter,
    /// Tools > Error Lookup.
    ErrorLookup,
    /// Tools > Diagnosis: the errors ranked, harmless ones muted.
    Diagnosis,
    /// Edit > Paste as new log: the clipboard's text opened as a log.
    PasteAsLog,
    /// Pause or resume the live tail.
    Pause,
    /// Show or hide Component, Date/Time and Thread.
    ToggleDetailColumns,
    /// Show or hide the details pane.
    ToggleDetailsPane,
    /// File > Preferences.
    Preferences,
    /// Help > Keyboard shortcuts.
    Shortcuts,
    /// Help > About LogWeave: the version.
    About,
    /// File > Open task sequence logs (every smsts.log copy as one chain).
    OpenTaskSequenceLogs,
    /// File > Open bundle or folder > a zip or cab archive of logs, listed
    /// in the bundle panel.
    OpenBundle,
    /// File > Open bundle or folder > a folder of logs (all its subfolders),
    /// listed in the bundle panel.
    OpenFolder,
    /// File > Open from computer: the well-known log folders of another
    /// computer, over its administrative share.
    OpenFromComputer,
    /// File > Open remote: the logs another computer's `logweave serve`
    /// shares, followed over the network.
    OpenRemote,
    /// Show or hide the Task sequence panel.
    ToggleOutline,
    /// File > Compare two logs side by side.
    Compare,
    /// Next difference of a comparison.
    NextDifference,
    /// Previous difference of a comparison.
    PreviousDifference,
}

impl Command {
    /// Every command, in menu order.
    pub const ALL: [Command; 40] = [
        Command::Open,
        Command::OpenIgnoringExisting,
        Command::OpenMerged,
        Command::OpenTaskSequenceLogs,
        Command::OpenBundle,
        Command::OpenFolder,
        Command::OpenFromComputer,
        Command::OpenRemote,
        Command::Compare,
        Command::MergeTabs,
        Command::AddToMerge,
        Command::SaveAs,
        Command::Print,
        Command::CloseTab,
        Command::NextTab,
        Command::PreviousTab,
        Command::CompareTabs,
        Command::Highlight,
        Command::Copy,
        Command::SelectAll,
        Command::Find,
        Command::FindNext,
        Command::FindPrevious,
        Command::NextError,
        Command::PreviousError,
        Command::NextWarning,
        Command::PreviousWarning,
        Command::Filter,
        Command::ErrorLookup,
        Command::Diagnosis,
        Command::PasteAsLog,
        Command::Pause,
        Command::ToggleDetailColumns,
        Command::ToggleDetailsPane,
        Command::ToggleOutline,
        Command::NextDifference,
        Command::PreviousDifference,
        Command::Preferences,
        Command::Shortcuts,
        Command::About,
    ];

    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            Command::Open => "Open…",
            Command::OpenIgnoringExisting => "Open, ignoring existing lines…",
            Command::OpenMerged => "Open and merge…",
            Command::MergeTabs => "Merge all tabs into one view",
            Command::AddToMerge => "Add file to merged view…",
            Command::SaveAs => "Save As…",
            Command::Print => "Print…",
            Command::CloseTab => "Close tab",
            Command::NextTab => "Next tab",
            Command::PreviousTab => "Previous tab",
            Command::Highlight => "Highlight…",
            Command::CompareTabs => "Compare two open logs…",
            Command::Copy => "Copy selected rows",
            Command::SelectAll => "Select all rows",
            Command::Find => "Find…",
            Command::FindNext => "Find next",
            Command::FindPrevious => "Find previous",
            Command::NextError => "Next error",
            Command::PreviousError => "Previous error",
            Command::NextWarning => "Next warning",
            Command::PreviousWarning => "Previous warning",
            Command::Filter => "Filter…",
            Command::ErrorLookup => "Error Lookup…",
            Command::Diagnosis => "Diagnosis…",
            Command::PasteAsLog => "Paste as new log",
            Command::Pause => "Pause / resume live tail",
            Command::ToggleDetailColumns => "Show/hide details columns",
            Command::ToggleDetailsPane => "Show/hide details pane",
            Command::Preferences => "Preferences…",
            Command::Shortcuts => "Keyboard shortcuts",
            Command::About => "About LogWeave",
            Command::OpenTaskSequenceLogs => "Open task sequence logs…",
            Command::OpenBundle => "Open bundle (zip or cab)…",
            Command::OpenFolder => "Open folder of logs…",
            Command::OpenFromComputer => "Open from computer…",
            Command::OpenRemote => "Open remote…",
            Command::ToggleOutline => "Show/hide Task sequence panel",
            Command::Compare => "Compare two logs…",
            Command::NextDifference => "Next difference",
            Command::PreviousDifference => "Previous difference",
        }
    }

    /// The keyboard shortcut (CMTrace's where CMTrace has one).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let shift = Modifiers::SHIFT;
        let key = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::Open => key(cmd, Key::O),
            Command::OpenIgnoringExisting
            | Command::MergeTabs
            | Command::AddToMerge
            | Command::About
            | Command::CompareTabs => None,
            Command::OpenMerged => key(cmd | shift, Key::O),
            Command::SaveAs => key(cmd, Key::S),
            Command::Print => key(cmd, Key::P),
            Command::CloseTab => key(cmd, Key::W),
            Command::NextTab => key(cmd, Key::Tab),
            Command::PreviousTab => key(cmd | shift, Key::Tab),
            Command::Highlight => key(cmd | shift, Key::L),
            Command::Copy => key(cmd, Key::C),
            Command::SelectAll => key(cmd, Key::A),
            Command::Find => key(cmd, Key::F),
            Command::FindNext => key(Modifiers::NONE, Key::F3),
            Command::FindPrevious => key(shift, Key::F3),
            Command::NextError => key(Modifiers::NONE, Key::F8),
            Command::PreviousError => key(shift, Key::F8),
            Command::NextWarning => key(Modifiers::NONE, Key::F7),
            Command::PreviousWarning => key(shift, Key::F7),
            Command::Filter => key(cmd | shift, Key::F),
            Command::ErrorLookup => key(cmd, Key::L),
            Command::Diagnosis => key(cmd | shift, Key::D),
            Command::PasteAsLog => key(cmd | shift, Key::V),
            Command::Pause => key(cmd, Key::U),
            Command::ToggleDetailColumns => key(cmd, Key::H),
            Command::ToggleDetailsPane => key(cmd | shift, Key::H),
            Command::Preferences => key(cmd, Key::Comma),
            Command::Shortcuts => key(Modifiers::NONE, Key::F1),
            Command::OpenTaskSequenceLogs => key(cmd | shift, Key::T),
            Command::OpenBundle => key(cmd, Key::B),
            Command::OpenFolder => key(cmd | shift, Key::B),
            Command::OpenFromComputer => key(cmd | shift, Key::R),
            Command::OpenRemote => key(cmd | shift, Key::N),
            Command::ToggleOutline => key(cmd, Key::T),
            Command::Compare => key(cmd, Key::K),
            Command::NextDifference => key(Modifiers::NONE, Key::F6),
            Command::PreviousDifference => key(shift, Key::F6),
        }
    }

    /// Shortcut as text for menus and help (e.g. `Ctrl+O`).
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Commands whose shortcut was pressed this frame (shift-modified ones first,
    /// so Shift+F3 is not also taken for F3).
    pub fn pressed(ctx: &egui::Context) -> Vec<Command> {
        let mut ordered: Vec<Command> = Command::ALL.to_vec();
        ordered.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcut().map_or(0, |s| {
                u8::from(s.modifiers.shift) + u8::from(s.modifiers.command)
            }))
        });
        ctx.input_mut(|input| {
            ordered
                .into_iter()
                .filter(|c| c.shortcut().is_some_and(|s| input.consume_shortcut(&s)))
                .collect()
        })
    }
}

/// Keys that work on the list only (not while typing in a text box).
pub const LIST_KEYS_HELP: &[(&str, &str)] = &[
    ("↑ / ↓", "Previous / next row (Shift extends the selection)"),
    ("Page Up / Page Down", "One page up / down"),
    ("Home / End", "First / last row (End follows new lines)"),
    ("e / Shift+E", "Next / previous error (as lnav)"),
    ("w / Shift+W", "Next / previous warning (as lnav)"),
    (
        "Click, Shift+click, Ctrl+click",
        "Select, select a range, add or remove a row",
    ),
];
