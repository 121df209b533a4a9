//! The viewer window (feature `gui`). Reads logs only through
//! [`crate::document`] and the core's jobs; never parses or blocks on file
//! I/O beyond reading the rows on screen. See ARCHITECTURE.md for the map.
//!
//! | module | owns | imports |
//! |---|---|---|
//! | `view` | plain state: tabs (one log, merged, or a comparison of two), rows, selection, find, filter, merge, outline, the bundle panel, paths and archive entries being opened, dialogs' state | core only |
//! | `commands` | the command table: names, shortcuts, menu labels | nothing of the gui |
//! | `settings`, `theme` | persisted preferences; CMTrace's colours from the egui theme | core only |
//! | `app` | the shell: tabs, settings, open windows, what commands do | view, commands, settings, single_instance |
//! | `widgets` | drawing pieces panels share (log list, step words, command buttons) | app, view, theme |
//! | `panels` | one file per panel or window; draw state, queue commands | app, view, widgets, theme |
//! | `single_instance` | one window per user: later starts hand their files over a local socket | core only |
//! | `frame` | one frame, whatever paints it: keys to commands, the panels laid out, commands run | app, panels, view, commands |
//! | `raster` | the CPU renderer: egui's meshes and textures into pixels | nothing of the gui |
//! | `host` | opens the window: picks the renderer, single instance, settings; `gpu` (eframe) and `cpu` (winit + softbuffer + `raster`) call `frame` | app, frame, settings, single_instance, raster |

mod app;
mod commands;
mod frame;
mod host;
mod panels;
pub mod raster;
mod settings;
mod single_instance;
mod theme;
mod view;
mod widgets;

pub use app::{
    DropChoice, Layout, LogWeaveApp, Notice, OpenPanels, OpenPurpose, PathBox, SaveRequest,
    SaveScope,
};
pub use commands::Command;
pub use host::{RENDERER_VARIABLE, Renderer, choose_renderer, run};
pub use settings::{Settings, ThemeChoice};
pub use view::{
    BundleView, ChainDialog, CompareTab, EntryState, EntrySummary, ErrorLookup, FolderState,
    Highlight, LogTab, LookupAction, OpenAs, Pane, RemoteDialog, RemoteFolder, SearchPlace,
    Selection, Served, ServedDialog, Tab, TimeDisplay, TreeRow, copy_text,
};
