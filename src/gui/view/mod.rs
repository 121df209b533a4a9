//! The window's state as plain data, with no drawing: what each tab shows
//! over one or several documents (sources, merged order, filter, step scope
//! → view rows), selection and scrolling, find, filter, merge and outline
//! state, the bundle panel's and the Open from computer dialog's state, the
//! paths and archive entries being opened, and the background jobs that
//! fill them. Panels read and change these; nothing here imports a panel, a
//! widget, the app or egui.

mod aligned;
mod bundle;
mod chain;
mod compare;
mod filter;
mod find;
mod highlight;
mod jobs;
mod lookup;
mod merge;
mod opening;
mod outline;
mod ranking;
mod remote;
mod rows;
mod selection;
mod served;
mod source;
mod tab;
mod tabs;

pub use aligned::{AlignedRows, GAP};
pub use bundle::{BundleView, EntryState, EntrySummary, TreeRow, relative_parts, visible_rows};
pub use chain::{ChainDialog, SearchPlace};
pub use compare::{CompareTab, Pane};
pub use filter::FilterState;
pub use find::FindState;
pub use highlight::{Highlight, thread_text};
pub use lookup::{ErrorLookup, LookupAction};
pub use merge::{MergeView, TimeDisplay};
pub use opening::{OpenAs, Opened, Opener, Routed, is_plain_local_file};
pub use outline::{OutlineState, StepScope};
pub use ranking::RankedErrors;
pub use remote::{FolderState, RemoteDialog, RemoteFolder};
pub use rows::copy_text;
pub use selection::{RecordSet, Selection};
pub use served::{Served, ServedDialog};
pub use source::{Source, problem_text};
pub use tab::{Entry, LogTab, ROW_READ_LIMIT};
pub use tabs::{Tab, distinguishing_names};
