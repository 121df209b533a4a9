//! LogWeave's core: a UI-free library that opens ConfigMgr (SCCM/MECM), MDT,
//! Intune and Windows servicing logs, indexes them in parallel, and reads
//! records back for display, search and scripts.
//!
//! | module | owns |
//! |---|---|
//! | [`model`] | severities, zone kinds, counts |
//! | [`time`] | calendar arithmetic and the time syntaxes of the formats |
//! | [`encoding`] | encoding detection, decoding, byte scanning in UTF-8/UTF-16 |
//! | [`formats`] | format detection, record grammar, record fields |
//! | [`index`] | the compact record index and its parallel builder |
//! | [`source`] | opening files without blocking writers; maps and reads |
//! | [`document`] | one open log: background indexing, rows, refresh |
//!
//! ```no_run
//! use logweave::document::{LogDocument, OpenOptions};
//! let doc = LogDocument::open_blocking("smsts.log".as_ref(), OpenOptions::default())?;
//! for row in doc.rows(0..10, Some(64 * 1024)) {
//!     println!("{:?} {}", row.severity(), row.fields.message);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod document;
pub mod encoding;
pub mod formats;
pub mod index;
pub mod model;
pub mod source;
pub mod time;

pub use document::{LogDocument, OpenOptions, Row};
pub use model::{Direction, Severity, SeverityCounts, ZoneKind};
