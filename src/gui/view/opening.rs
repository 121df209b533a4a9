//! Paths and bundle entries on their way to tabs ([`Opener`]): what a path
//! given to the window stands for — a log, a bundle (a folder, a zip or cab
//! archive) or a path into an archive (`bundle.zip/SMSTSLog/smsts.log`) —
//! decided in a background job, and archive entries decompressed and opened
//! in background jobs, handed back as documents when they are ready. Never
//! draws; the UI thread never touches an archive or a network share here.

use std::path::{Path, PathBuf};

use crate::bundle::{self, Limits, LogEntry};
use crate::document::{LogDocument, OpenOptions};
use crate::jobs::{Job, Waker};

/// How documents that are ready open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenAs {
    /// A tab each.
    Tabs,
    /// One merged view.
    Merged,
    /// The copies of smsts.log as one timeline, the records they share
    /// hidden.
    Chain,
    /// [`OpenAs::Chain`] with the Task sequence panel and the diagnosis of
    /// the failure beside it.
    Triage,
    /// Two logs side by side (`--compare` with bundle entries).
    Compare,
}

/// What a path given to the window stands for.
#[derive(Debug)]
pub enum Routed {
    /// A log file: opens in a tab.
    Log(PathBuf),
    /// A folder or an archive: opens in the bundle panel.
    Bundle(PathBuf),
    /// The entries a path into an archive names (one log, or the logs of
    /// one of its folders), with what could not be listed.
    Entries(Vec<LogEntry>, Vec<String>),
    /// Nothing there: why.
    Problem(String),
}

/// True for a path that does not start with `\\` or `//` (a share on another
/// computer).
fn is_local(path: &Path) -> bool {
    let text = path.to_string_lossy();
    !(text.starts_with(r"\\") || text.starts_with("//"))
}

/// True for a log file on this computer that opens in a tab at once (a
/// quick look at the file's first bytes, as opening it reads them anyway):
/// not a folder, not an archive, not on another computer, not a path into
/// an archive.
pub fn is_plain_local_file(path: &Path) -> bool {
    is_local(path) && path.is_file() && !bundle::is_archive(path)
}

/// Decides what `path` stands for (blocks on the file system: archives are
/// read, shares may be slow; run it off the UI thread).
pub fn route(path: &Path, limits: &Limits) -> Routed {
    if path.is_dir() || bundle::is_archive(path) {
        return Routed::Bundle(path.to_owned());
    }
    if path.is_file() {
        return Routed::Log(path.to_owned());
    }
    match bundle::expand(path, limits) {
        Ok(listing) if listing.entries.is_empty() => Routed::Problem(format!(
            "No logs at {}{}",
            path.display(),
            listing
                .problems
                .first()
                .map(|p| format!(": {p}"))
                .unwrap_or_default()
        )),
        Ok(listing) => Routed::Entries(
            listing.entries,
            listing.problems.iter().map(ToString::to_string).collect(),
        ),
        Err(problem) => Routed::Problem(format!("Cannot open {problem}")),
    }
}

/// Documents opened in the background, ready for tabs.
pub struct Opened {
    /// The documents, indexing.
    pub docs: Vec<LogDocument>,
    /// Entries that could not be opened, each naming the entry.
    pub problems: Vec<String>,
    /// How they open.
    pub open_as: OpenAs,
}

/// Paths being routed and entries being opened.
#[derive(Default)]
pub struct Opener {
    routing: Vec<Job<Vec<Routed>>>,
    opening: Vec<Job<Opened>>,
}

impl Opened {
    /// Opens `entries` (until the job is cancelled), each document or its
    /// problem added.
    fn add(
        &mut self,
        entries: &[LogEntry],
        options: &OpenOptions,
        limits: &Limits,
        ctx: &crate::jobs::JobContext,
    ) {
        for entry in entries {
            if ctx.cancelled() {
                break;
            }
            match bundle::open(entry, options.clone(), limits) {
                Ok(doc) => self.docs.push(doc),
                Err(problem) => self.problems.push(format!("Cannot open {problem}")),
            }
        }
    }
}

impl Opener {
    /// Decides in the background what each path stands for ([`route`]).
    pub fn route(&mut self, paths: Vec<PathBuf>, waker: Option<Waker>) {
        self.routing
            .push(Job::spawn("logweave-route-paths", waker, move |_| {
                let limits = Limits::default();
                paths.iter().map(|p| route(p, &limits)).collect()
            }));
    }

    /// Opens `entries` in the background (archive entries are decompressed
    /// there), to open as `open_as` when ready.
    pub fn open(
        &mut self,
        entries: Vec<LogEntry>,
        open_as: OpenAs,
        options: OpenOptions,
        waker: Option<Waker>,
    ) {
        self.opening
            .push(Job::spawn("logweave-open-entries", waker, move |ctx| {
                let mut opened = Opened {
                    docs: Vec::new(),
                    problems: Vec::new(),
                    open_as,
                };
                opened.add(&entries, &options, &Limits::default(), ctx);
                opened
            }));
    }

    /// Opens every log the `paths` stand for (files, folders, bundles,
    /// entry paths such as `bundle.zip/SMSTSLog/smsts.log`, files a
    /// `logweave serve` shares) in the
    /// background, to open together as `open_as` when ready: `--merge` and
    /// `--compare` given bundle paths.
    pub fn open_paths(
        &mut self,
        paths: Vec<PathBuf>,
        open_as: OpenAs,
        options: OpenOptions,
        waker: Option<Waker>,
    ) {
        self.opening
            .push(Job::spawn("logweave-open-paths", waker, move |ctx| {
                let limits = Limits::default();
                let mut opened = Opened {
                    docs: Vec::new(),
                    problems: Vec::new(),
                    open_as,
                };
                for path in &paths {
                    if crate::remote::is_remote(&path.to_string_lossy()) {
                        match LogDocument::open(path, options.clone()) {
                            Ok(doc) => opened.docs.push(doc),
                            Err(e) => opened
                                .problems
                                .push(format!("Cannot open {}: {e}", path.display())),
                        }
                        continue;
                    }
                    match bundle::expand(path, &limits) {
                        Ok(listing) => {
                            opened.problems.extend(
                                listing.problems.iter().map(|p| format!("Cannot open {p}")),
                            );
                            opened.add(&listing.entries, &options, &limits, ctx);
                        }
                        Err(problem) => opened.problems.push(format!("Cannot open {problem}")),
                    }
                }
                opened
            }));
    }

    /// True while a path is being routed or an entry opened.
    pub fn is_busy(&self) -> bool {
        !self.routing.is_empty() || !self.opening.is_empty()
    }

    /// Takes the finished work: paths routed, documents opened, and the
    /// reasons of jobs that failed.
    pub fn poll(&mut self) -> (Vec<Routed>, Vec<Opened>) {
        let mut routed = Vec::new();
        self.routing.retain_mut(|job| match job.take() {
            None => true,
            Some(Ok(done)) => {
                routed.extend(done);
                false
            }
            Some(Err(failure)) => {
                routed.push(Routed::Problem(format!("Opening failed: {failure}")));
                false
            }
        });
        let mut opened = Vec::new();
        self.opening.retain_mut(|job| match job.take() {
            None => true,
            Some(Ok(done)) => {
                opened.push(done);
                false
            }
            Some(Err(failure)) => {
                routed.push(Routed::Problem(format!("Opening failed: {failure}")));
                false
            }
        });
        (routed, opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_routed_to_a_tab_the_bundle_panel_or_entries() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("a.log");
        std::fs::write(&log, "one line\n").unwrap();
        let limits = Limits::default();
        assert!(matches!(route(&log, &limits), Routed::Log(p) if p == log));
        assert!(matches!(route(dir.path(), &limits), Routed::Bundle(_)));
        let zip = dir.path().join("b.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
        writer
            .start_file(
                "SMSTSLog/smsts.log",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        std::io::Write::write_all(&mut writer, b"one line\n").unwrap();
        writer.finish().unwrap();
        assert!(matches!(route(&zip, &limits), Routed::Bundle(_)));
        assert!(!is_plain_local_file(&zip));
        assert!(is_plain_local_file(&log));
        match route(&zip.join("SMSTSLog").join("smsts.log"), &limits) {
            Routed::Entries(entries, problems) => {
                assert_eq!(entries.len(), 1, "{problems:?}");
                assert_eq!(entries[0].file_name(), "smsts.log");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            route(&dir.path().join("missing.log"), &limits),
            Routed::Problem(_)
        ));
        assert!(!is_local(Path::new(r"\\PC042\c$\Windows")));
    }
}
