//! LogWeave's core: a UI-free library that opens ConfigMgr (SCCM/MECM), MDT,
//! Intune and Windows servicing logs, indexes them in parallel, and reads
//! records back for display, search and scripts.
//! Nothing here draws; the window is the `gui` module behind the `gui`
//! feature. ARCHITECTURE.md maps the house and the flow of a record.
//!
//! | module | owns |
//! |---|---|
//! | [`model`] | severities, zone kinds, counts |
//! | [`time`] | calendar arithmetic and the time syntaxes of the formats |
//! | [`encoding`] | encoding detection, decoding, byte scanning in UTF-8/UTF-16 |
//! | [`formats`] | format detection, record grammar, record fields |
//! | [`index`] | the compact record index and its parallel builder |
//! | [`source`] | opening files without blocking writers; maps and reads |
//! | [`sys`] | the only `unsafe` code: memory maps, the SIGBUS guard, Windows message tables, console and registry calls |
//! | [`document`] | one open log: background indexing, rows, refresh |
//! | [`bundle`] | archives (zip, cab, nested) and folders opened read-only as a set of log entries, within limits against zip bombs; logs that belong together |
//! | [`jobs`] | background jobs with progress, cancellation and a UI waker; a panic in a job is caught and reported as its failure |
//! | [`search`] | find queries and the whole-file search |
//! | [`filter`] | filter clauses and their evaluation over the index |
//! | [`follow`] | live tail: polling a file and reporting changes |
//! | [`export`] | writing records as original text or tab-separated columns |
//! | [`merge`] | several logs in one timeline: time rules per file, merged order, toggles, duplicates |
//! | [`errors`] | error-code parsing, decomposition, lookup tables, codes in log text |
//! | [`compare`] | two logs lined up side by side: by step, by time since start, by normalised message |
//! | [`tasksequence`] | smsts.log step outline (groups, steps, results, reboots, outcome, platform) and finding smsts.log copies |
//! | [`serve`] | `logweave serve`'s core: served roots and path confinement, the token and failed-attempt limit, the file list, bytes, rows, change stream, outline and triage of the served chain, the web page, bounded connections |
//! | [`tls`] | the self-signed certificate of `serve` and the client that pins its fingerprint |
//! | [`remote`] | logs served by another machine's `logweave serve`, opened as files: the address, a pinned TLS client, reads by offset |
//! | [`settings`] | the viewer's preferences file: where it lives, reading a broken or hand-edited one safely |
//! | [`triage`] | what failed and why: outcome, failed step, code and meaning, evidence records, harmless errors, logs to read next |
//! | `association` | the per-user `.log`/`.lo_` file association on Windows (feature `gui`) |
//! | `gui` | the viewer window (feature `gui`): plain view state, panels, the app shell, the CPU renderer and the GPU/CPU hosts; reads the core only through [`document`] and [`jobs`] |
//!
//! ```no_run
//! use logweave::document::{LogDocument, OpenOptions};
//! let doc = LogDocument::open_blocking("smsts.log".as_ref(), OpenOptions::default())?;
//! for row in doc.rows(0..10, Some(64 * 1024)) {
//!     println!("{:?} {}", row.severity(), row.fields.message);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The version, the git commit and the date of this build:
/// `0.1.0 (commit 1a2b3c4d5e6f, 2026-12-04)`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LOGWEAVE_COMMIT"),
    ", ",
    env!("LOGWEAVE_BUILD_DATE"),
    ")"
);

#[cfg(feature = "gui")]
pub mod association;
pub mod bundle;
pub mod compare;
pub mod document;
pub mod encoding;
pub mod errors;
pub mod export;
pub mod filter;
pub mod follow;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod index;
pub mod jobs;
pub mod merge;
pub mod model;
pub mod remote;
pub mod search;
pub mod serve;
pub mod settings;
pub mod source;
pub mod sys;
pub mod tasksequence;
pub mod time;
pub mod tls;
pub mod triage;

pub use document::{LogDocument, OpenOptions, Row};
pub use model::{Direction, Severity, SeverityCounts, ZoneKind};
