//! File access: opens a log read-only without ever blocking its writer, reads
//! byte ranges for display, and takes whole-file snapshots (a memory map, or
//! the bytes read into memory) for indexing and searching passes. Knows
//! nothing about formats.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sys::mmap as mapped;
pub use mapped::absorbed_faults;

/// Whether snapshots may memory-map the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapPolicy {
    /// Map regular files; read anything else (or when mapping fails).
    #[default]
    Auto,
    /// Always read into memory.
    Never,
}

/// Why a file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The path names a directory.
    #[error("is a directory")]
    Directory,
    /// Any I/O failure, with the operating system's reason.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The bytes of a whole file at one moment.
pub enum Snapshot {
    /// A read-only map of the first `len` bytes.
    Mapped(mapped::MappedBytes),
    /// Bytes read into memory.
    Read(Arc<Vec<u8>>),
}

impl Deref for Snapshot {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Snapshot::Mapped(m) => m,
            Snapshot::Read(v) => v,
        }
    }
}

impl Snapshot {
    /// True when some page of this map was cut off by a truncation while
    /// mapped and read as zeros: the pass that used it must be thrown away.
    pub fn damaged_since(&self, faults_before: u64) -> bool {
        matches!(self, Snapshot::Mapped(_)) && absorbed_faults() != faults_before
    }
}

/// Identifies the file object behind a path, to notice a log that was
/// renamed away and replaced by a new file of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileIdentity {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(windows)]
    created: u64,
}

impl FileIdentity {
    /// The identity of text held in memory (no file behind it).
    fn none() -> FileIdentity {
        FileIdentity {
            #[cfg(unix)]
            dev_ino: (0, 0),
            #[cfg(windows)]
            created: 0,
        }
    }

    fn of(meta: &Metadata) -> FileIdentity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileIdentity {
                dev_ino: (meta.dev(), meta.ino()),
            }
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::MetadataExt;
            FileIdentity {
                created: meta.creation_time(),
            }
        }
        #[cfg(not(any(unix, windows)))]
        {
            let _ = meta;
            FileIdentity {}
        }
    }
}

/// An open log file, or a log held in memory (pasted text).
pub struct LogFile {
    path: PathBuf,
    /// `None` for a log held in memory.
    file: Option<File>,
    identity: FileIdentity,
    /// The whole content of a file that is not a regular file (a pipe, a
    /// `/proc` entry): read once at open, as it cannot be read again; or the
    /// text of a log held in memory.
    stream: Option<Arc<Vec<u8>>>,
}

/// Opens `path` read-only. On Windows the share mode allows the writer to
/// keep writing, truncate, rename and delete the file while we hold it
/// (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE).
fn open_shared(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 0x1;
        const FILE_SHARE_WRITE: u32 = 0x2;
        const FILE_SHARE_DELETE: u32 = 0x4;
        options.share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
    }
    options.open(path)
}

impl LogFile {
    /// Opens a log for reading.
    pub fn open(path: &Path) -> Result<LogFile, OpenError> {
        if std::fs::metadata(path)?.is_dir() {
            return Err(OpenError::Directory);
        }
        let mut file = open_shared(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(OpenError::Directory);
        }
        let stream = if meta.is_file() {
            None
        } else {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            Some(Arc::new(bytes))
        };
        Ok(LogFile {
            path: path.to_owned(),
            file: Some(file),
            identity: FileIdentity::of(&meta),
            stream,
        })
    }

    /// A log held in memory (pasted text), shown under `name`. It never
    /// changes and is not followed.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>) -> LogFile {
        LogFile {
            path: name.to_owned(),
            file: None,
            identity: FileIdentity::none(),
            stream: Some(Arc::new(bytes)),
        }
    }

    /// The path the file was opened by.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Current length in bytes.
    pub fn len(&self) -> io::Result<u64> {
        match (&self.stream, &self.file) {
            (Some(bytes), _) => Ok(bytes.len() as u64),
            (None, Some(file)) => Ok(file.metadata()?.len()),
            (None, None) => Ok(0),
        }
    }

    /// True when the file is empty now.
    pub fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// True for a log held in memory (no file behind it).
    pub fn is_in_memory(&self) -> bool {
        self.file.is_none()
    }

    /// True for a regular file (one that can grow and be followed).
    pub fn is_regular(&self) -> bool {
        self.stream.is_none()
    }

    /// The identity of the file we hold open.
    pub fn identity(&self) -> FileIdentity {
        self.identity
    }

    /// The identity of whatever file the path names now (`None` if nothing).
    pub fn identity_at_path(&self) -> Option<FileIdentity> {
        std::fs::metadata(&self.path)
            .ok()
            .map(|m| FileIdentity::of(&m))
    }

    /// Reads bytes `[start, end)`; returns fewer if the file is shorter now.
    pub fn read_range(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        let len = usize::try_from(end.saturating_sub(start)).unwrap_or(usize::MAX);
        if let Some(bytes) = &self.stream {
            let from = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            return Ok(bytes[from..from.saturating_add(len).min(bytes.len())].to_vec());
        }
        let Some(file) = &self.file else {
            return Ok(Vec::new());
        };
        let mut buf = vec![0u8; len];
        let mut filled = 0;
        while filled < len {
            let n = read_at(file, &mut buf[filled..], start + filled as u64)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        Ok(buf)
    }

    /// The whole file as it is now: mapped (regular files, `MapPolicy::Auto`)
    /// or read into memory.
    pub fn snapshot(&self, policy: MapPolicy) -> io::Result<Snapshot> {
        if let Some(bytes) = &self.stream {
            return Ok(Snapshot::Read(Arc::clone(bytes)));
        }
        let len = self.len()?;
        if policy == MapPolicy::Auto
            && len > 0
            && let Ok(len) = usize::try_from(len)
            && let Some(file) = &self.file
            && let Ok(map) = mapped::map(file, len)
        {
            return Ok(Snapshot::Mapped(map));
        }
        let bytes = self.read_range(0, len)?;
        Ok(Snapshot::Read(Arc::new(bytes)))
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    loop {
        match file.read_at(buf, offset) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::windows::fs::FileExt;
    match file.seek_read(buf, offset) {
        // Reading at or past the end reports EOF as an error on Windows.
        Err(e) if e.raw_os_error() == Some(38) => Ok(0),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn map_and_read_agree_and_follow_growth() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.log");
        std::fs::write(&path, b"hello\n").unwrap();
        let file = LogFile::open(&path).unwrap();
        assert_eq!(&*file.snapshot(MapPolicy::Auto).unwrap(), b"hello\n");
        assert_eq!(&*file.snapshot(MapPolicy::Never).unwrap(), b"hello\n");
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"world\n")
            .unwrap();
        assert_eq!(file.len().unwrap(), 12);
        assert_eq!(file.read_range(6, 100).unwrap(), b"world\n");
        assert_eq!(file.identity_at_path(), Some(file.identity()));
    }

    #[test]
    fn directories_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            LogFile::open(dir.path()),
            Err(OpenError::Directory)
        ));
        assert!(matches!(
            LogFile::open(&dir.path().join("nope")),
            Err(OpenError::Io(_))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn truncation_under_a_map_does_not_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.log");
        std::fs::write(&path, vec![b'x'; 64 * 1024]).unwrap();
        let file = LogFile::open(&path).unwrap();
        let before = absorbed_faults();
        let snap = file.snapshot(MapPolicy::Auto).unwrap();
        assert!(matches!(snap, Snapshot::Mapped(_)));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(0)
            .unwrap();
        // The pages are gone; reading them must give zeros, not SIGBUS.
        let sum: u64 = snap.iter().map(|&b| u64::from(b)).sum();
        assert_eq!(sum, 0);
        assert!(snap.damaged_since(before));
    }
}
