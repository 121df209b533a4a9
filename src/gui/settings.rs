//! The settings as the window uses them: the core's [`crate::settings`]
//! and the key eframe kept them under before `settings.json` existed.

pub use crate::settings::*;

/// Key under which eframe stored the settings before `settings.json`.
#[cfg(feature = "gpu")]
pub const STORAGE_KEY: &str = "logweave-settings";
