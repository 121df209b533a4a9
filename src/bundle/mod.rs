//! Bundles: archives (zip, cab, and archives nested in them) and folders
//! opened read-only as a set of log entries. Listing reads only the
//! archives' directories (and the nested archives, which must be
//! decompressed to be listed); opening an entry decompresses it into
//! memory, or into an anonymous temporary file when it is big, never next
//! to the bundle. Every decompressed byte is counted against [`Limits`], so
//! a zip bomb is refused with a message instead of filling the disk; a
//! damaged archive or entry is a [`BundleProblem`] naming it while the
//! others still list and open. Knows nothing about formats beyond the
//! names of log files; [`sets`] recognises logs that belong together.

mod archive;
pub mod remote;
pub mod sets;
#[cfg(test)]
mod tests;

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::document::{LogDocument, OpenOptions};
use archive::{Archive, Blob, Member};

/// How far a bundle may expand before it is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// An entry is decompressed into memory up to this many bytes; a bigger
    /// one goes to an anonymous temporary file (deleted when closed),
    /// mapped like any file.
    pub memory_bytes: u64,
    /// The most one entry may expand to.
    pub entry_bytes: u64,
    /// The most all entries decompressed from one bundle (in one listing,
    /// or to open one entry) may expand to.
    pub total_bytes: u64,
    /// The most an entry bigger than 1 MiB may expand per compressed byte.
    pub ratio: u64,
    /// How deep archives may nest (an archive inside the bundle is 1).
    pub depth: usize,
    /// The most entries a bundle may hold (all archives and folders in it).
    pub entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            memory_bytes: 64 << 20,
            entry_bytes: 16 << 30,
            total_bytes: 64 << 30,
            ratio: 1000,
            depth: 4,
            entries: 100_000,
        }
    }
}

/// Where a log entry's bytes are.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A file on disk.
    File(PathBuf),
    /// An entry of an archive, possibly inside nested archives.
    Entry {
        /// The outermost archive, a file on disk.
        archive: PathBuf,
        /// The entry's name in each archive, as stored there, outermost
        /// first: all but the last name nested archives.
        inner: Vec<String>,
    },
}

/// One log of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LogEntry {
    /// The path to show: for an entry, the archive's path then the entry's
    /// path joined with `/`, on through nested archives
    /// (`outer.zip/nested/inner.zip/MDT/BDD.log`).
    pub path: PathBuf,
    /// Where its bytes are.
    pub location: Location,
    /// Its size in bytes (for an archive entry, as the archive declares it).
    pub size: u64,
}

impl LogEntry {
    /// The entry's file name (the last part of its path).
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }
}

/// Something in a bundle that could not be listed or opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleProblem {
    /// The file, archive or entry it concerns (a display path).
    pub path: PathBuf,
    /// What is wrong, for people.
    pub message: String,
}

impl BundleProblem {
    fn new(path: impl Into<PathBuf>, message: impl fmt::Display) -> BundleProblem {
        BundleProblem {
            path: path.into(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for BundleProblem {}

/// The logs found in a bundle.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// The path that was listed.
    pub root: PathBuf,
    /// The logs, by display path.
    pub entries: Vec<LogEntry>,
    /// What could not be listed (the rest still is).
    pub problems: Vec<BundleProblem>,
}

/// True for a zip or cab archive, told by its first bytes.
pub fn is_archive(path: &Path) -> bool {
    path.is_file() && archive::file_kind(path).is_some()
}

/// True for the name of a log: `.log`, `.lo_` (rolled over) or `.txt`,
/// ignoring case (`smsts-20261103-093310.log` too).
pub fn is_log_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".log", ".lo_", ".txt"]
        .iter()
        .any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
}

/// True for a name that looks like an archive to descend into (`.zip`,
/// `.cab`), ignoring case.
fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".zip") || lower.ends_with(".cab")
}

/// Lists the logs of a folder (recursively; archives in it expanded) or of
/// an archive (every log entry, nested archives expanded). Decompresses
/// only nested archives.
pub fn list(path: &Path, limits: &Limits) -> Result<Listing, BundleProblem> {
    let meta = std::fs::metadata(path).map_err(|e| BundleProblem::new(path, e))?;
    let mut walker = Walker::new(limits);
    if meta.is_dir() {
        walker.folder(path);
    } else if is_archive(path) {
        walker.archive_file(path, None);
    } else {
        return Err(BundleProblem::new(path, "not a folder, zip or cab archive"));
    }
    Ok(walker.into_listing(path))
}

/// What a path the user gave stands for: a plain file is itself; a folder
/// or an archive is [`list`]ed; a path that goes on inside an archive
/// (`bundle.zip/SMSTSLog/smsts.log`, also through nested archives:
/// `outer.zip/inner.zip/x.log`) is that entry, or the logs under that
/// folder of the archive. Entry names match ignoring case when none matches
/// exactly; `\` separates as `/` does.
pub fn expand(path: &Path, limits: &Limits) -> Result<Listing, BundleProblem> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => list(path, limits),
        Ok(_) if is_archive(path) => list(path, limits),
        Ok(meta) => Ok(Listing {
            root: path.to_owned(),
            entries: vec![LogEntry {
                path: path.to_owned(),
                location: Location::File(path.to_owned()),
                size: meta.len(),
            }],
            problems: Vec::new(),
        }),
        Err(e) => {
            let Some((archive, rest)) = split_archive_path(path) else {
                return Err(BundleProblem::new(path, e));
            };
            let mut walker = Walker::new(limits);
            let file = File::open(&archive).map_err(|e| BundleProblem::new(&archive, e))?;
            let display = archive.to_string_lossy().into_owned();
            let outer = Outer {
                archive: &archive,
                inner: Vec::new(),
                display,
            };
            walker.resolve(&Blob::File(file), &outer, &rest, 0)?;
            if walker.entries.is_empty() && walker.problems.is_empty() {
                return Err(BundleProblem::new(path, "no logs there in the archive"));
            }
            Ok(walker.into_listing(path))
        }
    }
}

/// Splits a path that does not exist into the archive file it starts with
/// and the entry path after it.
fn split_archive_path(path: &Path) -> Option<(PathBuf, Vec<String>)> {
    let text = path.to_str()?;
    let cuts: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| c == '/' || c == '\\')
        .map(|(i, _)| i)
        .collect();
    for &cut in cuts.iter().rev() {
        let prefix = Path::new(&text[..cut]);
        if cut == 0 || !prefix.exists() {
            continue;
        }
        if !prefix.is_file() || !is_archive(prefix) {
            return None;
        }
        let rest = archive::normalise(&text[cut + 1..]);
        return (!rest.is_empty()).then(|| (prefix.to_owned(), rest));
    }
    None
}

/// Opens a log entry: a file as [`LogDocument::open`] does; an archive
/// entry decompressed under `limits` into memory, or into an anonymous
/// temporary file that is mapped and deleted when the document closes. The
/// document indexes in the background, as any does.
pub fn open(
    entry: &LogEntry,
    options: OpenOptions,
    limits: &Limits,
) -> Result<LogDocument, BundleProblem> {
    let (archive, inner) = match &entry.location {
        Location::File(path) => {
            return LogDocument::open(path, options)
                .map_err(|e| BundleProblem::new(&entry.path, e));
        }
        Location::Entry { archive, inner } => (archive, inner),
    };
    if inner.is_empty() {
        return Err(BundleProblem::new(&entry.path, "no entry named"));
    }
    if inner.len() > limits.depth + 1 {
        return Err(BundleProblem::new(&entry.path, depth_refusal(limits)));
    }
    let file = File::open(archive).map_err(|e| BundleProblem::new(archive, e))?;
    let mut blob = Blob::File(file);
    let mut total = 0u64;
    for name in inner {
        let next = {
            let mut opened =
                Archive::open(&blob).map_err(|m| BundleProblem::new(&entry.path, m))?;
            let index = opened.index_of(name).ok_or_else(|| {
                BundleProblem::new(&entry.path, format!("no entry named {name} in the archive"))
            })?;
            opened
                .extract(index, limits, &mut total)
                .map_err(|m| BundleProblem::new(&entry.path, m))?
        };
        blob = next;
    }
    match blob {
        Blob::Memory(bytes) => Ok(LogDocument::from_bytes(
            &entry.path.to_string_lossy(),
            bytes,
            options,
        )),
        Blob::File(file) => LogDocument::from_temporary_file(&entry.path, file, options)
            .map_err(|e| BundleProblem::new(&entry.path, e)),
    }
}

/// [`open`]s an entry and waits until it is indexed.
pub fn open_blocking(
    entry: &LogEntry,
    options: OpenOptions,
    limits: &Limits,
) -> Result<LogDocument, BundleProblem> {
    let doc = open(entry, options, limits)?;
    doc.wait();
    match doc.problem() {
        Some(problem) => Err(BundleProblem::new(&entry.path, problem)),
        None => Ok(doc),
    }
}

fn depth_refusal(limits: &Limits) -> String {
    format!(
        "refused: archives nested more than {} deep (archive bomb?)",
        limits.depth
    )
}

/// An archive being walked: where it is and how it is shown.
struct Outer<'a> {
    /// The outermost archive on disk.
    archive: &'a Path,
    /// The names of the nested archives walked into, outermost first.
    inner: Vec<String>,
    /// The archive's display path.
    display: String,
}

impl Outer<'_> {
    fn display_of(&self, member: &Member) -> String {
        format!("{}/{}", self.display, member.path.join("/"))
    }

    fn location_of(&self, member: &Member) -> Location {
        let mut inner = self.inner.clone();
        inner.push(member.name.clone());
        Location::Entry {
            archive: self.archive.to_owned(),
            inner,
        }
    }
}

/// Lists folders and archives into entries and problems, counting what the
/// bundle costs.
struct Walker<'a> {
    limits: &'a Limits,
    entries: Vec<LogEntry>,
    problems: Vec<BundleProblem>,
    /// Bytes decompressed so far.
    total: u64,
    /// Entries seen so far (files in folders, members of archives).
    seen: usize,
    /// The entry limit was reached (and reported).
    stopped: bool,
}

impl<'a> Walker<'a> {
    fn new(limits: &'a Limits) -> Walker<'a> {
        Walker {
            limits,
            entries: Vec::new(),
            problems: Vec::new(),
            total: 0,
            seen: 0,
            stopped: false,
        }
    }

    fn into_listing(mut self, root: &Path) -> Listing {
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        Listing {
            root: root.to_owned(),
            entries: self.entries,
            problems: self.problems,
        }
    }

    /// Counts one more entry; false (reported once) past the limit.
    fn count(&mut self, root: &Path) -> bool {
        if self.stopped {
            return false;
        }
        self.seen += 1;
        if self.seen > self.limits.entries {
            self.stopped = true;
            self.problems.push(BundleProblem::new(
                root,
                format!(
                    "refused: more than {} entries (listing stopped there)",
                    self.limits.entries
                ),
            ));
            return false;
        }
        true
    }

    fn folder(&mut self, root: &Path) {
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            let read = match std::fs::read_dir(&dir) {
                Ok(read) => read,
                Err(e) => {
                    self.problems.push(BundleProblem::new(&dir, e));
                    continue;
                }
            };
            let mut children: Vec<_> = read.flatten().collect();
            children.sort_by_key(|c| c.file_name());
            let mut subfolders = Vec::new();
            for child in children {
                if !self.count(root) {
                    return;
                }
                let path = child.path();
                let Ok(kind) = child.file_type() else {
                    continue;
                };
                // Symbolic links to folders are not followed (no loops).
                if kind.is_dir() {
                    subfolders.push(path);
                    continue;
                }
                let name = child.file_name().to_string_lossy().into_owned();
                let Ok(meta) = std::fs::metadata(&path) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                if is_log_name(&name) {
                    self.entries.push(LogEntry {
                        location: Location::File(path.clone()),
                        path,
                        size: meta.len(),
                    });
                } else if is_archive_name(&name) && is_archive(&path) {
                    self.archive_file(&path, None);
                }
            }
            stack.extend(subfolders.into_iter().rev());
        }
    }

    /// Lists an archive file on disk (only under `under`, a folder inside
    /// it, when given).
    fn archive_file(&mut self, path: &Path, under: Option<&[String]>) {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => {
                self.problems.push(BundleProblem::new(path, e));
                return;
            }
        };
        let outer = Outer {
            archive: path,
            inner: Vec::new(),
            display: path.to_string_lossy().into_owned(),
        };
        match Archive::open(&Blob::File(file)) {
            Ok(mut opened) => self.archive(&mut opened, &outer, under, 0),
            Err(message) => self.problems.push(BundleProblem::new(path, message)),
        }
    }

    /// Lists the members of an opened archive at nesting `depth` (0 for an
    /// archive on disk): logs become entries, archives are walked into.
    fn archive(
        &mut self,
        opened: &mut Archive<'_>,
        outer: &Outer<'_>,
        under: Option<&[String]>,
        depth: usize,
    ) {
        for index in 0..opened.members().len() {
            let member = opened.members()[index].clone();
            if !self.count(outer.archive) {
                return;
            }
            if member.is_dir || member.path.is_empty() {
                continue;
            }
            if let Some(under) = under
                && !starts_with(&member.path, under, same_ignoring_case)
            {
                continue;
            }
            let name = member.file_name();
            if is_log_name(name) {
                self.entries.push(LogEntry {
                    path: PathBuf::from(outer.display_of(&member)),
                    location: outer.location_of(&member),
                    size: member.size,
                });
            } else if is_archive_name(name) {
                self.nested(opened, index, outer, &[], depth);
            }
        }
    }

    /// Walks into member `index`, an archive: listed whole when `rest` is
    /// empty, else resolved to the entry `rest` names in it.
    fn nested(
        &mut self,
        opened: &mut Archive<'_>,
        index: usize,
        outer: &Outer<'_>,
        rest: &[String],
        depth: usize,
    ) {
        let member = opened.members()[index].clone();
        let display = outer.display_of(&member);
        if depth + 1 > self.limits.depth {
            self.problems
                .push(BundleProblem::new(&display, depth_refusal(self.limits)));
            return;
        }
        let blob = match opened.extract(index, self.limits, &mut self.total) {
            Ok(blob) => blob,
            Err(message) => {
                self.problems.push(BundleProblem::new(&display, message));
                return;
            }
        };
        let mut inner = outer.inner.clone();
        inner.push(member.name.clone());
        let nested = Outer {
            archive: outer.archive,
            inner,
            display,
        };
        if rest.is_empty() {
            match Archive::open(&blob) {
                Ok(mut archive) => self.archive(&mut archive, &nested, None, depth + 1),
                Err(message) => self
                    .problems
                    .push(BundleProblem::new(&nested.display, message)),
            }
        } else if let Err(problem) = self.resolve(&blob, &nested, rest, depth + 1) {
            self.problems.push(problem);
        }
    }

    /// Finds what `rest` names inside the archive in `blob`: an entry (any
    /// name), a nested archive (listed, or gone into when `rest` goes on),
    /// or a folder (its logs listed).
    fn resolve(
        &mut self,
        blob: &Blob,
        outer: &Outer<'_>,
        rest: &[String],
        depth: usize,
    ) -> Result<(), BundleProblem> {
        let mut opened = Archive::open(blob).map_err(|m| BundleProblem::new(&outer.display, m))?;
        // The entry itself, then a nested archive the path goes on into.
        if let Some(index) = find_member(opened.members(), rest, false) {
            let member = opened.members()[index].clone();
            if is_archive_name(member.file_name()) {
                self.nested(&mut opened, index, outer, &[], depth);
            } else {
                self.entries.push(LogEntry {
                    path: PathBuf::from(outer.display_of(&member)),
                    location: outer.location_of(&member),
                    size: member.size,
                });
            }
            return Ok(());
        }
        if let Some(index) = find_member(opened.members(), rest, true) {
            let skip = opened.members()[index].path.len();
            self.nested(&mut opened, index, outer, &rest[skip..], depth);
            return Ok(());
        }
        // A folder of the archive.
        let before = (self.entries.len(), self.problems.len());
        self.archive(&mut opened, outer, Some(rest), depth);
        if (self.entries.len(), self.problems.len()) == before {
            return Err(BundleProblem::new(
                format!("{}/{}", outer.display, rest.join("/")),
                "no such entry in the archive",
            ));
        }
        Ok(())
    }
}

/// The member whose path is `rest` (`into` false), or the nested archive
/// whose path `rest` goes on from (`into` true): matched exactly, else
/// ignoring case.
fn find_member(members: &[Member], rest: &[String], into: bool) -> Option<usize> {
    let fits = |m: &Member, eq: fn(&str, &str) -> bool| {
        !m.is_dir
            && if into {
                m.path.len() < rest.len()
                    && is_archive_name(m.file_name())
                    && starts_with(rest, &m.path, eq)
            } else {
                m.path.len() == rest.len() && starts_with(&m.path, rest, eq)
            }
    };
    let exact: fn(&str, &str) -> bool = |a, b| a == b;
    let loose: fn(&str, &str) -> bool = same_ignoring_case;
    members
        .iter()
        .position(|m| fits(m, exact))
        .or_else(|| members.iter().position(|m| fits(m, loose)))
}

/// Names equal ignoring case (Windows' archives are case-insensitive).
fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// True when `path` starts with the parts of `prefix`, compared by `eq`.
fn starts_with(path: &[String], prefix: &[String], eq: impl Fn(&str, &str) -> bool) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| eq(a, b))
}
