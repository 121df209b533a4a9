//! The window's panels, one file each. A panel draws the state it is given
//! (the app's, a tab's or a pane's) and changes it or queues a
//! [`Command`](crate::gui::Command) for the app; panels never import each
//! other, and nothing in the view layer or the app imports a panel. The host
//! (`host.rs`) lays them out.

pub mod association;
pub mod banners;
pub mod bundle;
pub mod chain_dialog;
pub mod compare;
pub mod compare_tabs;
pub mod details;
pub mod diagnosis;
pub mod diagnosis_window;
pub mod dialogs;
pub mod empty_state;
pub mod error_lookup;
pub mod filter_window;
pub mod find_bar;
pub mod log_table;
pub mod menu_bar;
pub mod merge_strip;
pub mod notices;
pub mod path_box;
pub mod preferences;
pub mod remote_dialog;
pub mod served_dialog;
pub mod shortcuts;
pub mod status_bar;
pub mod tab_strip;
pub mod task_sequence;
pub mod toolbar;
