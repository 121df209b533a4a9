//! The bundle panel's state ([`BundleView`]): one archive or folder (a zip
//! of `CCM\Logs`, a copied SMSTSLog folder, `\\PC042\c$\Windows\CCM\Logs`)
//! listed in a background job, its logs as a tree of folders and files, the
//! sets recognised among them (the smsts.log chain, `X.log` + `X.lo_`, IME
//! rotations), and each log's summary — format, first and last record time,
//! errors and warnings — filled by indexing the logs in the background, two
//! at a time, smallest first, cancelled when the panel closes. Never draws
//! (the panel is `panels/bundle.rs`) and never touches an archive on the UI
//! thread.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::bundle::sets::{LogSet, recognise};
use crate::bundle::{self, BundleProblem, Limits, Listing, LogEntry};
use crate::document::OpenOptions;
use crate::formats::LogFormat;
use crate::jobs::{Job, JobContext, Waker};
use crate::model::SeverityCounts;

/// How many logs of a bundle are indexed at the same time.
pub const PARALLEL_SUMMARIES: usize = 2;

/// What indexing one log of a bundle found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySummary {
    /// Its record syntax.
    pub format: LogFormat,
    /// UTC ms of its first timed record.
    pub first_utc_ms: Option<i64>,
    /// UTC ms of its last timed record.
    pub last_utc_ms: Option<i64>,
    /// Its records by severity.
    pub counts: SeverityCounts,
}

/// Where a log's summary is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// Waiting for its turn.
    Waiting,
    /// Being opened and indexed.
    Indexing,
    /// Indexed.
    Ready(EntrySummary),
    /// It could not be opened or indexed: why (damaged, refused as a bomb…).
    Failed(String),
}

/// One row of the tree: a folder (of the file system or of an archive, or
/// an archive itself) or a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeRow {
    /// A folder, with the logs under it (at any depth).
    Folder {
        /// How deep it is (0 at the top).
        depth: usize,
        /// Its name.
        name: String,
        /// Its path under the root, parts joined with `/` (the key folding
        /// uses).
        key: String,
        /// Logs under it.
        logs: usize,
        /// Their bytes.
        size: u64,
    },
    /// A log: an index into the listing's entries.
    File {
        /// How deep it is.
        depth: usize,
        /// The entry.
        entry: usize,
    },
}

impl TreeRow {
    /// How deep the row is.
    pub fn depth(&self) -> usize {
        match self {
            TreeRow::Folder { depth, .. } | TreeRow::File { depth, .. } => *depth,
        }
    }
}

/// The parts of `entry`'s path under `root` (the whole path when it is not
/// under it).
pub fn relative_parts(root: &Path, entry: &Path) -> Vec<String> {
    let rel = entry.strip_prefix(root).unwrap_or(entry);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// A folder while the tree is built: its subfolders by name and its logs.
#[derive(Default)]
struct Node {
    folders: BTreeMap<String, Node>,
    files: Vec<(String, usize)>,
}

impl Node {
    /// Logs under it and their bytes.
    fn totals(&self, entries: &[LogEntry]) -> (usize, u64) {
        let mut logs = self.files.len();
        let mut size: u64 = self.files.iter().map(|&(_, i)| entries[i].size).sum();
        for folder in self.folders.values() {
            let (l, s) = folder.totals(entries);
            logs += l;
            size += s;
        }
        (logs, size)
    }

    /// Appends the rows of its subfolders, then of its logs, at `depth`; a
    /// folder holding only one folder shares its row (`ProgramData/Microsoft`).
    fn flatten(&self, depth: usize, prefix: &str, entries: &[LogEntry], rows: &mut Vec<TreeRow>) {
        for (name, mut folder) in &self.folders {
            let mut name = name.clone();
            while folder.files.is_empty()
                && folder.folders.len() == 1
                && let Some((inner, next)) = folder.folders.iter().next()
            {
                name = format!("{name}/{inner}");
                folder = next;
            }
            let key = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let (logs, size) = folder.totals(entries);
            rows.push(TreeRow::Folder {
                depth,
                name,
                key: key.clone(),
                logs,
                size,
            });
            folder.flatten(depth + 1, &key, entries, rows);
        }
        for &(_, entry) in &self.files {
            rows.push(TreeRow::File { depth, entry });
        }
    }
}

/// The tree of `entries` under `root`: in each folder its subfolders (a
/// chain of folders with nothing else in them on one row), then its logs,
/// by name; each folder's row before the rows under it.
pub fn build_tree(root: &Path, entries: &[LogEntry]) -> Vec<TreeRow> {
    let mut top = Node::default();
    for (i, entry) in entries.iter().enumerate() {
        let parts = relative_parts(root, &entry.path);
        let Some((file, folders)) = parts.split_last() else {
            continue;
        };
        let node = folders.iter().fold(&mut top, |node, part| {
            node.folders.entry(part.clone()).or_default()
        });
        node.files.push((file.clone(), i));
    }
    fn sort(node: &mut Node) {
        node.files.sort();
        node.folders.values_mut().for_each(sort);
    }
    sort(&mut top);
    let mut rows = Vec::new();
    top.flatten(0, "", entries, &mut rows);
    rows
}

/// The rows of `tree` shown when the folders keyed in `folded` are folded.
pub fn visible_rows(tree: &[TreeRow], folded: &HashSet<String>) -> Vec<usize> {
    let mut shown = Vec::with_capacity(tree.len());
    let mut hide_below: Option<usize> = None;
    for (i, row) in tree.iter().enumerate() {
        if let Some(depth) = hide_below {
            if row.depth() > depth {
                continue;
            }
            hide_below = None;
        }
        shown.push(i);
        if let TreeRow::Folder { key, depth, .. } = row
            && folded.contains(key)
        {
            hide_below = Some(*depth);
        }
    }
    shown
}

/// Opens `entry` and indexes it to the end, then summarises it; stops early
/// when the job is cancelled.
fn summarise(
    entry: &LogEntry,
    options: OpenOptions,
    ctx: &JobContext,
) -> Result<EntrySummary, String> {
    let doc = bundle::open(entry, options, &Limits::default()).map_err(|p| p.message)?;
    while doc.is_indexing() {
        if ctx.cancelled() {
            doc.request_cancel();
            return Err("cancelled".to_owned());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    doc.wait();
    if let Some(problem) = doc.problem() {
        return Err(problem.to_string());
    }
    let summary = doc.summary();
    Ok(EntrySummary {
        format: summary.format,
        first_utc_ms: summary.first_utc_ms,
        last_utc_ms: summary.last_utc_ms,
        counts: summary.counts,
    })
}

/// The bundle panel's state.
#[derive(Default)]
pub struct BundleView {
    /// The archive or folder shown (`None`: the panel is closed).
    pub root: Option<PathBuf>,
    /// What listing it found (once listed).
    pub listing: Option<Listing>,
    /// Why it could not be listed at all.
    pub failure: Option<String>,
    /// The sets among its logs.
    pub sets: Vec<LogSet>,
    /// Each entry's summary, by entry index.
    pub states: Vec<EntryState>,
    /// The folders and logs as rows.
    pub tree: Vec<TreeRow>,
    /// Folders folded, by key.
    pub folded: HashSet<String>,
    /// Logs picked with Ctrl+click (entry indices), to open merged.
    pub selected: BTreeSet<usize>,
    /// How to open and index the logs (the keywords of the settings).
    options: OpenOptions,
    listing_job: Option<Job<Result<Listing, BundleProblem>>>,
    /// Entries waiting to be summarised, smallest first.
    queue: VecDeque<usize>,
    /// Summaries running: entry index and job.
    running: Vec<(usize, Job<Result<EntrySummary, String>>)>,
}

impl BundleView {
    /// Shows `root` (a folder or an archive), listing it in the background;
    /// whatever was shown before is closed (its jobs cancelled).
    pub fn show(&mut self, root: PathBuf, options: OpenOptions, waker: Option<Waker>) {
        self.close();
        let listed = root.clone();
        self.listing_job = Some(Job::spawn("logweave-bundle-list", waker, move |_| {
            bundle::list(&listed, &Limits::default())
        }));
        self.root = Some(root);
        self.options = options;
    }

    /// Closes the panel, cancelling its jobs.
    pub fn close(&mut self) {
        for (_, job) in &self.running {
            job.cancel();
        }
        if let Some(job) = &self.listing_job {
            job.cancel();
        }
        *self = BundleView::default();
    }

    /// True while the panel is shown.
    pub fn is_open(&self) -> bool {
        self.root.is_some()
    }

    /// True while listing.
    pub fn is_listing(&self) -> bool {
        self.listing_job.is_some()
    }

    /// True while listing or summarising.
    pub fn is_busy(&self) -> bool {
        self.listing_job.is_some() || !self.running.is_empty() || !self.queue.is_empty()
    }

    /// Logs summarised (ready or failed) and logs in all.
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .states
            .iter()
            .filter(|s| matches!(s, EntryState::Ready(_) | EntryState::Failed(_)))
            .count();
        (done, self.states.len())
    }

    /// The logs listed (none before the listing is done).
    pub fn entries(&self) -> &[LogEntry] {
        self.listing.as_ref().map_or(&[], |l| l.entries.as_slice())
    }

    /// The entry's path under the root, parts joined with `/`.
    pub fn relative_name(&self, entry: &LogEntry) -> String {
        match &self.root {
            Some(root) => relative_parts(root, &entry.path).join("/"),
            None => entry.path.display().to_string(),
        }
    }

    /// The entries of `indices`, in that order.
    pub fn entries_at(&self, indices: &[usize]) -> Vec<LogEntry> {
        indices
            .iter()
            .filter_map(|&i| self.entries().get(i).cloned())
            .collect()
    }

    /// Folds or unfolds a folder.
    pub fn toggle_fold(&mut self, key: &str) {
        if !self.folded.remove(key) {
            self.folded.insert(key.to_owned());
        }
    }

    /// Takes in the listing and finished summaries, and starts the next
    /// summaries (at most [`PARALLEL_SUMMARIES`] at a time).
    pub fn poll(&mut self, waker: Option<Waker>) {
        if let Some(job) = &mut self.listing_job
            && let Some(result) = job.take()
        {
            self.listing_job = None;
            match result {
                Ok(Ok(listing)) => self.take_listing(listing),
                Ok(Err(problem)) => self.failure = Some(problem.to_string()),
                Err(failure) => self.failure = Some(format!("Listing failed: {failure}")),
            }
        }
        let mut i = 0;
        while i < self.running.len() {
            let Some(result) = self.running[i].1.take() else {
                i += 1;
                continue;
            };
            let (entry, _) = self.running.swap_remove(i);
            self.states[entry] = match result {
                Ok(Ok(summary)) => EntryState::Ready(summary),
                Ok(Err(message)) => EntryState::Failed(message),
                Err(failure) => EntryState::Failed(failure.to_string()),
            };
        }
        while self.running.len() < PARALLEL_SUMMARIES
            && let Some(entry) = self.queue.pop_front()
        {
            let Some(log) = self.entries().get(entry).cloned() else {
                continue;
            };
            let options = self.options.clone();
            self.states[entry] = EntryState::Indexing;
            let job = Job::spawn("logweave-bundle-summary", waker.clone(), move |ctx| {
                summarise(&log, options, ctx)
            });
            self.running.push((entry, job));
        }
    }

    fn take_listing(&mut self, listing: Listing) {
        let root = self.root.clone().unwrap_or_else(|| listing.root.clone());
        self.sets = recognise(&listing.entries);
        self.tree = build_tree(&root, &listing.entries);
        self.states = vec![EntryState::Waiting; listing.entries.len()];
        let mut order: Vec<usize> = (0..listing.entries.len()).collect();
        order.sort_by_key(|&i| (listing.entries[i].size, i));
        self.queue = order.into();
        self.listing = Some(listing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Location;

    fn entry(path: &str, size: u64) -> LogEntry {
        LogEntry {
            path: PathBuf::from(path),
            location: Location::File(PathBuf::from(path)),
            size,
        }
    }

    #[test]
    fn the_tree_puts_each_folder_before_its_logs_with_their_count() {
        let root = Path::new("/b.zip");
        let entries = vec![
            entry("/b.zip/CCM/Logs/CcmExec.log", 10),
            entry("/b.zip/CCM/Logs/SMSTSLog/smsts.log", 5),
            entry("/b.zip/CCM/Logs/ccmsetup.log", 1),
            entry("/b.zip/top.log", 2),
            entry("/b.zip/Panther/UnattendGC/setupact.log", 3),
        ];
        let tree = build_tree(root, &entries);
        let shape: Vec<String> = tree
            .iter()
            .map(|r| match r {
                TreeRow::Folder {
                    depth,
                    name,
                    logs,
                    size,
                    ..
                } => format!("{depth} {name}/ {logs} {size}"),
                TreeRow::File { depth, entry } => {
                    format!("{depth} {}", entries[*entry].file_name())
                }
            })
            .collect();
        assert_eq!(
            shape,
            [
                "0 CCM/Logs/ 3 16",
                "1 SMSTSLog/ 1 5",
                "2 smsts.log",
                "1 CcmExec.log",
                "1 ccmsetup.log",
                "0 Panther/UnattendGC/ 1 3",
                "1 setupact.log",
                "0 top.log",
            ]
        );
        let keys: Vec<&str> = tree
            .iter()
            .filter_map(|r| match r {
                TreeRow::Folder { key, .. } => Some(key.as_str()),
                TreeRow::File { .. } => None,
            })
            .collect();
        assert_eq!(
            keys,
            ["CCM/Logs", "CCM/Logs/SMSTSLog", "Panther/UnattendGC"]
        );
        let mut folded = HashSet::new();
        folded.insert("CCM/Logs".to_owned());
        assert_eq!(visible_rows(&tree, &folded), [0, 5, 6, 7]);
        folded.clear();
        folded.insert("CCM/Logs/SMSTSLog".to_owned());
        assert_eq!(visible_rows(&tree, &folded), [0, 1, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn a_folder_is_listed_then_summarised_smallest_first() {
        let dir = tempfile::tempdir().unwrap();
        let ccm = |n: usize, ty: u8| {
            (0..n)
                .map(|i| {
                    format!(
                        "<![LOG[line {i}]LOG]!><time=\"10:00:0{}.000+000\" date=\"11-03-2026\" \
                         component=\"x\" context=\"\" type=\"{ty}\" thread=\"1\" file=\"\">\n",
                        i % 10
                    )
                })
                .collect::<String>()
        };
        std::fs::write(dir.path().join("big.log"), ccm(40, 1)).unwrap();
        std::fs::write(dir.path().join("small.log"), ccm(3, 3)).unwrap();
        let mut view = BundleView::default();
        view.show(dir.path().to_owned(), OpenOptions::default(), None);
        assert!(view.is_listing());
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while view.is_busy() {
            view.poll(None);
            assert!(std::time::Instant::now() < deadline, "timed out");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(view.entries().len(), 2);
        assert_eq!(view.progress(), (2, 2));
        let small = view
            .entries()
            .iter()
            .position(|e| e.file_name() == "small.log")
            .unwrap();
        let EntryState::Ready(summary) = &view.states[small] else {
            panic!("{:?}", view.states[small]);
        };
        assert_eq!(summary.counts.errors, 3);
        assert_eq!(summary.format, LogFormat::Ccm);
        assert!(summary.first_utc_ms.is_some());
        view.close();
        assert!(!view.is_open());
    }
}
