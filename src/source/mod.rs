//! File access: opens a log read-only without ever blocking its writer, reads
//! byte ranges for display, and takes whole-file snapshots (a memory map, or
//! the bytes read into memory) for indexing and searching passes. Files on
//! a network file system ([`network`]) are never mapped, and read snapshots
//! read only what is new since the last one (`kept`). Knows nothing about
//! formats.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

mod kept;
pub mod network;

use crate::sys::mmap as mapped;
pub use kept::VERIFY_BYTES;
pub use mapped::absorbed_faults;
pub use network::Placement;

/// Whether snapshots may memory-map the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapPolicy {
    /// Map regular files; read anything else (or when mapping fails).
    #[default]
    Auto,
    /// Always read into memory.
    Never,
}

/// How a file is read: where it lives, what its read snapshots keep, and
/// how many bytes were read.
#[derive(Default)]
struct Reading {
    /// The network file system holding the file (`None`: a local disk).
    network: Option<&'static str>,
    /// Where the file was asked to be taken to live, for [`LogFile::reopen`].
    placement: Placement,
    /// Bytes read from the file system, shared with reopened handles.
    bytes_read: Arc<AtomicU64>,
    /// The bytes of the last read snapshot.
    kept: kept::Kept,
}

/// Why a file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The path names a directory.
    #[error("is a directory")]
    Directory,
    /// The path names something that is not a file: a named pipe, a device
    /// or a socket (reading one could wait forever or never end).
    #[error("is {0}, not a file: LogWeave reads files (save the stream to a file and open that)")]
    NotAFile(&'static str),
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
/// renamed away and replaced by a new file of the same name: the device
/// and inode on Unix, the volume and file index on Windows (its creation
/// time only when the index cannot be read: NTFS gives a file re-created
/// under a name it just had that name's old creation time, and wine reports
/// the time of the last change as the creation time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileIdentity {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(windows)]
    volume_index: (u32, u64),
    /// Windows, when the file index could not be read: the creation time.
    #[cfg(windows)]
    created: u64,
    /// The identity a `serve` gave a file it serves (0 for local files).
    remote: u64,
}

impl FileIdentity {
    /// The identity of text held in memory (no file behind it).
    fn none() -> FileIdentity {
        FileIdentity {
            #[cfg(unix)]
            dev_ino: (0, 0),
            #[cfg(windows)]
            volume_index: (0, 0),
            #[cfg(windows)]
            created: 0,
            remote: 0,
        }
    }

    /// The identity of a served file, as its server named it.
    pub fn served(identity: u64) -> FileIdentity {
        FileIdentity {
            remote: identity,
            ..FileIdentity::none()
        }
    }

    /// One number for this identity, for a client of `serve`: equal for
    /// the same file object, different (as far as a 64-bit mix can tell)
    /// for a file that replaced it.
    pub fn number(&self) -> u64 {
        #[cfg(unix)]
        let parts = [self.dev_ino.0, self.dev_ino.1, self.remote];
        #[cfg(windows)]
        let parts = [
            u64::from(self.volume_index.0),
            self.volume_index.1 ^ self.created,
            self.remote,
        ];
        #[cfg(not(any(unix, windows)))]
        let parts = [0, 0, self.remote];
        parts.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, part| {
            (hash ^ part)
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29)
        })
    }

    /// The identity of the file `meta` describes, from the metadata alone
    /// (on Windows its creation time: prefer [`FileIdentity::of_file`]).
    pub fn of(meta: &Metadata) -> FileIdentity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileIdentity {
                dev_ino: (meta.dev(), meta.ino()),
                remote: 0,
            }
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::MetadataExt;
            FileIdentity {
                volume_index: (0, 0),
                created: meta.creation_time(),
                remote: 0,
            }
        }
        #[cfg(not(any(unix, windows)))]
        {
            let _ = meta;
            FileIdentity { remote: 0 }
        }
    }

    /// The identity of the open `file` (`meta` its metadata).
    pub fn of_file(file: &File, meta: &Metadata) -> FileIdentity {
        #[cfg(windows)]
        if let Some(volume_index) = crate::sys::file_index(file) {
            return FileIdentity {
                volume_index,
                created: 0,
                remote: 0,
            };
        }
        let _ = file;
        FileIdentity::of(meta)
    }

    /// The identity of the file at `path` now (`meta` its metadata). On
    /// Windows the file is opened for a moment, sharing everything with
    /// its writer, to read its index.
    pub fn of_path(path: &Path, meta: &Metadata) -> FileIdentity {
        #[cfg(windows)]
        if let Ok(file) = open_shared(path) {
            return FileIdentity::of_file(&file, meta);
        }
        let _ = path;
        FileIdentity::of(meta)
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
    /// A temporary copy (an archive entry spilled to an anonymous file):
    /// fixed, never followed, no file of the user's behind it.
    temporary: bool,
    /// A file another machine's `logweave serve` serves (read like a file
    /// on a network file system: never mapped, lost connections retried).
    remote: Option<crate::remote::RemoteFile>,
    reading: Reading,
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

/// What `meta` describes when it is neither a regular file nor a folder
/// ("a named pipe (FIFO)", "a character device", ...), for messages.
pub fn not_a_file(meta: &Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    let _ = meta;
    None
}

impl LogFile {
    /// Opens a log for reading (where it lives is asked of the system).
    pub fn open(path: &Path) -> Result<LogFile, OpenError> {
        LogFile::open_with(path, Placement::Detect)
    }

    /// Opens a log for reading, taken to live where `placement` says (on a
    /// network file system, it is read and never mapped).
    pub fn open_with(path: &Path, placement: Placement) -> Result<LogFile, OpenError> {
        if let Some(remote) = path.to_str().and_then(crate::remote::RemoteFile::open) {
            let remote = remote?;
            return Ok(LogFile {
                path: path.to_owned(),
                file: None,
                identity: FileIdentity::served(remote.identity()),
                stream: None,
                temporary: false,
                remote: Some(remote),
                reading: Reading {
                    network: Some("LogWeave serve"),
                    placement,
                    ..Reading::default()
                },
            });
        }
        let network = match placement {
            Placement::Detect => network::network_file_system(path),
            Placement::Local => None,
            Placement::Network => Some("network"),
        };
        let reading = Reading {
            network,
            placement,
            ..Reading::default()
        };
        network::read_fault(path)?;
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            return Err(OpenError::Directory);
        }
        // Checked before opening: opening a FIFO waits for a writer.
        if let Some(kind) = not_a_file(&meta) {
            return Err(OpenError::NotAFile(kind));
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
        let identity = FileIdentity::of_file(&file, &meta);
        Ok(LogFile {
            path: path.to_owned(),
            file: Some(file),
            identity,
            stream,
            temporary: false,
            remote: None,
            reading,
        })
    }

    /// Opens whatever file the path names now, as this one was opened
    /// (placement) and counting its reads with this one's
    /// ([`LogFile::bytes_read`]); its snapshots keep nothing yet.
    pub fn reopen(&self) -> Result<LogFile, OpenError> {
        let mut file = LogFile::open_with(&self.path, self.reading.placement)?;
        file.reading.bytes_read = Arc::clone(&self.reading.bytes_read);
        Ok(file)
    }

    /// A log held in memory (pasted text), shown under `name`. It never
    /// changes and is not followed.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>) -> LogFile {
        LogFile {
            path: name.to_owned(),
            file: None,
            identity: FileIdentity::none(),
            stream: Some(Arc::new(bytes)),
            temporary: false,
            remote: None,
            reading: Reading::default(),
        }
    }

    /// A fixed copy of a log in an anonymous temporary `file` (an archive
    /// entry too big for memory), shown under `name`: mapped like any file,
    /// but it never changes and is not followed, like a log held in memory.
    /// The file is deleted when closed.
    pub fn from_temporary(name: &Path, file: File) -> LogFile {
        let identity = file.metadata().map_or_else(
            |_| FileIdentity::none(),
            |m| FileIdentity::of_file(&file, &m),
        );
        LogFile {
            path: name.to_owned(),
            file: Some(file),
            identity,
            stream: None,
            temporary: true,
            remote: None,
            reading: Reading::default(),
        }
    }

    /// The path the file was opened by.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the file is on a network file system (found at open, or
    /// asked for): it is read, never mapped, and a read that fails there is
    /// taken for a lost connection.
    pub fn is_network(&self) -> bool {
        self.reading.network.is_some()
    }

    /// The network file system holding the file, named for messages.
    pub fn network_file_system(&self) -> Option<&'static str> {
        self.reading.network
    }

    /// Bytes read from the file system so far, by this handle and the ones
    /// [`LogFile::reopen`]ed from it (maps not counted).
    pub fn bytes_read(&self) -> u64 {
        self.reading.bytes_read.load(Ordering::Relaxed)
    }

    /// Current length in bytes.
    pub fn len(&self) -> io::Result<u64> {
        if let Some(remote) = &self.remote {
            network::read_fault(&self.path)?;
            return remote.len();
        }
        match (&self.stream, &self.file) {
            (Some(bytes), _) => Ok(bytes.len() as u64),
            (None, Some(file)) => {
                network::read_fault(&self.path)?;
                Ok(file.metadata()?.len())
            }
            (None, None) => Ok(0),
        }
    }

    /// True when the file is empty now.
    pub fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// True for a log held in memory, or in a temporary copy (no file of
    /// the user's behind it: nothing to follow).
    pub fn is_in_memory(&self) -> bool {
        (self.file.is_none() && self.remote.is_none()) || self.temporary
    }

    /// True for a file another machine's `logweave serve` serves.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// True for a regular file (one that can grow and be followed).
    pub fn is_regular(&self) -> bool {
        self.stream.is_none() && !self.temporary
    }

    /// The identity of the file we hold open.
    pub fn identity(&self) -> FileIdentity {
        self.identity
    }

    /// The identity of whatever file the path names now (`None` if nothing).
    pub fn identity_at_path(&self) -> Option<FileIdentity> {
        if let Some(remote) = &self.remote {
            return remote
                .identity_now()
                .ok()
                .flatten()
                .map(FileIdentity::served);
        }
        std::fs::metadata(&self.path)
            .ok()
            .map(|m| FileIdentity::of_path(&self.path, &m))
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
        if let Some(remote) = &self.remote {
            network::read_fault(&self.path)?;
            let bytes = remote.read_range(start, end)?;
            self.reading
                .bytes_read
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            return Ok(bytes);
        }
        let Some(file) = &self.file else {
            return Ok(Vec::new());
        };
        network::read_fault(&self.path)?;
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
        self.reading
            .bytes_read
            .fetch_add(filled as u64, Ordering::Relaxed);
        Ok(buf)
    }

    /// Reads bytes `[start, end)` to show them: when the file cannot be
    /// read (a share gone away), the bytes the last read snapshot kept, if
    /// they hold the whole range, so the records read can still be shown.
    pub fn read_shown(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        // A served file's rows come from the bytes already fetched: the UI
        // thread never waits on the network for them.
        if self.remote.is_some()
            && let Some(bytes) = self.reading.kept.range(start, end)
        {
            return Ok(bytes);
        }
        self.read_range(start, end)
            .or_else(|e| self.reading.kept.range(start, end).ok_or(e))
    }

    /// The whole file as it is now: mapped (regular files on a local disk,
    /// `MapPolicy::Auto`) or read into memory, reading only the bytes added
    /// since the last read snapshot when the bytes before are unchanged
    /// (`kept`).
    pub fn snapshot(&self, policy: MapPolicy) -> io::Result<Snapshot> {
        if let Some(bytes) = &self.stream {
            return Ok(Snapshot::Read(Arc::clone(bytes)));
        }
        let len = self.len()?;
        if policy == MapPolicy::Auto
            && !self.is_network()
            && len > 0
            && let Ok(len) = usize::try_from(len)
            && let Some(file) = &self.file
            && let Ok(map) = mapped::map(file, len)
        {
            return Ok(Snapshot::Mapped(map));
        }
        let bytes = self
            .reading
            .kept
            .snapshot(len, |s, e| self.read_range(s, e))?;
        Ok(Snapshot::Read(bytes))
    }

    /// Drops the bytes read snapshots keep: the next one reads the whole
    /// file (a rebuild trusts nothing read before).
    pub fn forget_kept(&self) {
        self.reading.kept.forget();
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
    fn network_files_are_read_never_mapped_and_polls_read_only_what_is_new() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("share.log");
        std::fs::write(&path, vec![b'x'; 1 << 20]).unwrap();
        let local = LogFile::open_with(&path, Placement::Local).unwrap();
        assert!(!local.is_network());
        assert!(matches!(
            local.snapshot(MapPolicy::Auto).unwrap(),
            Snapshot::Mapped(_)
        ));
        let file = LogFile::open_with(&path, Placement::Network).unwrap();
        assert!(file.is_network());
        let first = file.snapshot(MapPolicy::Auto).unwrap();
        assert!(matches!(first, Snapshot::Read(_)));
        assert_eq!(file.bytes_read(), 1 << 20);
        drop(first);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(&[b'y'; 100])
            .unwrap();
        let before = file.bytes_read();
        let second = file.snapshot(MapPolicy::Auto).unwrap();
        assert_eq!(&*second, &std::fs::read(&path).unwrap()[..]);
        assert_eq!(file.bytes_read() - before, 100 + 2 * VERIFY_BYTES);
        // A handle opened again is taken to live where this one does, and
        // its reads count with this one's.
        let again = file.reopen().unwrap();
        assert!(again.is_network());
        assert_eq!(again.read_range(0, 10).unwrap(), b"xxxxxxxxxx");
        assert_eq!(file.bytes_read() - before, 110 + 2 * VERIFY_BYTES);
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

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.log");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        // No writer ever opens it: opening it blocking would wait forever.
        if made.is_ok_and(|s| s.success()) {
            let refused = LogFile::open(&fifo).err().expect("a FIFO is refused");
            assert!(
                refused
                    .to_string()
                    .starts_with("is a named pipe (FIFO), not a file")
            );
        }
        for device in ["/dev/zero", "/dev/null"] {
            assert!(matches!(
                LogFile::open(Path::new(device)),
                Err(OpenError::NotAFile("a character device"))
            ));
        }
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
