//! Where a log lives: on a local disk, or on a network file system (a UNC
//! path or a mapped network drive on Windows; NFS, CIFS/SMB, FUSE such as
//! sshfs, Ceph, AFS, Coda or 9P on Linux). Network files are read, never
//! memory-mapped: a map of a file whose share disconnects kills the process
//! on Windows (an in-page error), and a read that fails is only an error.
//! Also the read faults tests use to simulate a lost connection. Never opens
//! or reads a file itself.
//!
//! `LOGWEAVE_TREAT_AS_NETWORK=PREFIX` makes every file under the folder
//! `PREFIX` count as on a network file system, so tests (and anyone curious)
//! can see the network behaviour where no share can be mounted.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Where a file is taken to live when it is opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Placement {
    /// Ask the operating system (and [`TREAT_AS_NETWORK_VAR`]).
    #[default]
    Detect,
    /// On a local disk, whatever the system says.
    Local,
    /// On a network file system, whatever the system says (tests).
    Network,
}

/// The environment variable naming a folder whose files count as on a
/// network file system (for tests, where no share can be mounted).
pub const TREAT_AS_NETWORK_VAR: &str = "LOGWEAVE_TREAT_AS_NETWORK";

/// The network file system holding `path`, named for messages ("NFS",
/// "CIFS", "UNC path", "network drive"...), or `None` on a local disk.
pub fn network_file_system(path: &Path) -> Option<&'static str> {
    if treated_as_network(path) {
        return Some("network (LOGWEAVE_TREAT_AS_NETWORK)");
    }
    detect(path)
}

/// True when `path` is on a network file system (see [`network_file_system`]).
pub fn is_network_file(path: &Path) -> bool {
    network_file_system(path).is_some()
}

/// True when `path` lies under the folder named by [`TREAT_AS_NETWORK_VAR`].
fn treated_as_network(path: &Path) -> bool {
    let Some(prefix) = std::env::var_os(TREAT_AS_NETWORK_VAR).filter(|p| !p.is_empty()) else {
        return false;
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    absolute(path).starts_with(absolute(Path::new(&prefix)))
}

/// File-system types (`statfs`'s `f_type`) of network file systems.
#[cfg(any(target_os = "linux", test))]
const NETWORK_FILE_SYSTEMS: &[(u32, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x6573_5546, "FUSE"),
    (0x7375_7245, "Coda"),
    (0x5346_414F, "AFS"),
    (0x6B41_4653, "AFS"),
    (0x00C3_6400, "Ceph"),
    (0x0102_1997, "9P"),
];

#[cfg(target_os = "linux")]
fn detect(path: &Path) -> Option<&'static str> {
    let kind = crate::sys::file_system_type(path)?;
    NETWORK_FILE_SYSTEMS
        .iter()
        .find(|(magic, _)| *magic == kind)
        .map(|(_, name)| *name)
}

#[cfg(windows)]
fn detect(path: &Path) -> Option<&'static str> {
    /// `GetDriveTypeW`'s answer for a network drive.
    const DRIVE_REMOTE: u32 = 4;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match windows_path_kind(&path.to_string_lossy()) {
        WindowsPath::Unc => Some("UNC path"),
        WindowsPath::Drive(letter) => (crate::sys::drive_type(&format!("{letter}:\\"))
            == DRIVE_REMOTE)
            .then_some("network drive"),
        WindowsPath::Other => None,
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
fn detect(_path: &Path) -> Option<&'static str> {
    None
}

/// What a Windows path starts with.
#[cfg(any(windows, test))]
#[derive(Debug, PartialEq, Eq)]
enum WindowsPath {
    /// `\\server\share\...` or `\\?\UNC\server\share\...`: remote.
    Unc,
    /// `C:\...`, `\\?\C:\...` or `\\.\C:\...`: local unless the drive is a
    /// mapped network drive.
    Drive(char),
    /// A device or volume path (`\\.\pipe\...`, `\\?\Volume{...}\...`) or
    /// anything else: taken as local.
    Other,
}

#[cfg(any(windows, test))]
fn windows_path_kind(text: &str) -> WindowsPath {
    let text = text.replace('/', "\\");
    let verbatim = text
        .strip_prefix(r"\\?\")
        .or_else(|| text.strip_prefix(r"\\.\"));
    let rest = match verbatim {
        Some(rest)
            if rest
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(r"UNC\")) =>
        {
            return WindowsPath::Unc;
        }
        Some(rest) => rest,
        None if text.starts_with(r"\\") => return WindowsPath::Unc,
        None => &text,
    };
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => {
            WindowsPath::Drive(letter.to_ascii_uppercase())
        }
        _ => WindowsPath::Other,
    }
}

/// True for an I/O error that says the connection to a network file
/// system was lost (server unreachable, share disconnected, timed out),
/// rather than that the file is gone.
pub fn is_connection_error(error: &io::Error) -> bool {
    let Some(code) = error.raw_os_error() else {
        return false;
    };
    #[cfg(unix)]
    {
        [
            libc::EIO,
            libc::ETIMEDOUT,
            libc::EHOSTDOWN,
            libc::EHOSTUNREACH,
            libc::ENETDOWN,
            libc::ENETUNREACH,
            libc::ENETRESET,
            libc::ECONNABORTED,
            libc::ECONNRESET,
            libc::ECONNREFUSED,
            libc::ENOTCONN,
            libc::ESTALE,
        ]
        .contains(&code)
    }
    #[cfg(windows)]
    {
        // ERROR_REM_NOT_LIST, ERROR_BAD_NETPATH, ERROR_NETWORK_BUSY,
        // ERROR_DEV_NOT_EXIST, ERROR_UNEXP_NET_ERR, ERROR_NETNAME_DELETED,
        // ERROR_BAD_NET_NAME, ERROR_SEM_TIMEOUT, ERROR_VC_DISCONNECTED,
        // ERROR_NO_NETWORK, ERROR_NETWORK_UNREACHABLE, ERROR_CONNECTION_ABORTED.
        [51, 53, 54, 55, 59, 64, 67, 121, 240, 1222, 1231, 1236].contains(&code)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = code;
        false
    }
}

/// Paths (or parts of paths) whose reads fail, armed by tests.
static READ_FAULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// How many read faults are armed (a cheap look before taking the lock).
static ARMED: AtomicUsize = AtomicUsize::new(0);

/// Makes every later open, length query and read of a file whose path
/// contains `text` fail with the error a lost connection gives ("the
/// specified network name is no longer available" on Windows, "transport
/// endpoint is not connected" elsewhere), until [`disarm_read_fault`]. For
/// tests only: nothing in LogWeave arms a fault.
#[doc(hidden)]
pub fn arm_read_fault(text: &str) {
    let mut faults = READ_FAULTS.lock().unwrap_or_else(PoisonError::into_inner);
    faults.push(text.to_owned());
    ARMED.store(faults.len(), Ordering::SeqCst);
}

/// Undoes [`arm_read_fault`] for `text`: the "connection" is back.
#[doc(hidden)]
pub fn disarm_read_fault(text: &str) {
    let mut faults = READ_FAULTS.lock().unwrap_or_else(PoisonError::into_inner);
    faults.retain(|armed| armed != text);
    ARMED.store(faults.len(), Ordering::SeqCst);
}

/// Fails when a read fault is armed for `path` (see [`arm_read_fault`]).
pub(super) fn read_fault(path: &Path) -> io::Result<()> {
    if ARMED.load(Ordering::SeqCst) == 0 {
        return Ok(());
    }
    let text = path.to_string_lossy();
    let faults = READ_FAULTS.lock().unwrap_or_else(PoisonError::into_inner);
    if faults.iter().any(|armed| text.contains(armed.as_str())) {
        #[cfg(windows)]
        let code = 64; // ERROR_NETNAME_DELETED
        #[cfg(not(windows))]
        let code = libc::ENOTCONN;
        return Err(io::Error::from_raw_os_error(code));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_are_told_apart_by_their_start() {
        let cases = [
            (r"\\PC042\c$\Windows\CCM\Logs\smsts.log", WindowsPath::Unc),
            (
                r"\\?\UNC\PC042\c$\Windows\CCM\Logs\smsts.log",
                WindowsPath::Unc,
            ),
            (r"\\?\unc\pc042\share\a.log", WindowsPath::Unc),
            ("//server/share/a.log", WindowsPath::Unc),
            (
                r"\\?\C:\Windows\CCM\Logs\smsts.log",
                WindowsPath::Drive('C'),
            ),
            (r"\\.\d:\logs\a.log", WindowsPath::Drive('D')),
            (r"z:\logs\a.log", WindowsPath::Drive('Z')),
            (r"\\.\pipe\logweave", WindowsPath::Other),
            (
                r"\\?\Volume{26a21bda-a627-11d7-9931-806e6f6e6963}\a.log",
                WindowsPath::Other,
            ),
            (r"logs\a.log", WindowsPath::Other),
        ];
        for (path, kind) in cases {
            assert_eq!(windows_path_kind(path), kind, "{path}");
        }
    }

    #[test]
    fn network_file_system_types_are_the_kernel_magic_numbers() {
        let name = |magic| {
            NETWORK_FILE_SYSTEMS
                .iter()
                .find(|(m, _)| *m == magic)
                .map(|(_, n)| *n)
        };
        assert_eq!(name(0x6969), Some("NFS"));
        assert_eq!(name(0xFF53_4D42), Some("CIFS"));
        assert_eq!(name(0xFE53_4D42), Some("SMB2"));
        assert_eq!(name(0x6573_5546), Some("FUSE"));
        assert_eq!(name(0x0102_1997), Some("9P"));
        // ext4 and tmpfs are local.
        assert_eq!(name(0xEF53), None);
        assert_eq!(name(0x0102_1994), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_local_temporary_folder_is_not_a_network_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.log");
        std::fs::write(&path, "x\n").unwrap();
        // (Unless the machine keeps its temporary folder on a share.)
        let kind = crate::sys::file_system_type(&path).unwrap();
        assert_eq!(
            detect(&path).is_some(),
            NETWORK_FILE_SYSTEMS.iter().any(|(m, _)| *m == kind)
        );
        assert_eq!(crate::sys::file_system_type(&dir.path().join("nope")), None);
    }

    #[test]
    fn armed_read_faults_fail_with_a_connection_error_until_disarmed() {
        let path = Path::new("/share/read-fault-unit-test.log");
        assert!(read_fault(path).is_ok());
        arm_read_fault("read-fault-unit-test");
        let error = read_fault(path).unwrap_err();
        assert!(is_connection_error(&error), "{error}");
        assert!(read_fault(Path::new("/share/other.log")).is_ok());
        disarm_read_fault("read-fault-unit-test");
        assert!(read_fault(path).is_ok());
        assert!(!is_connection_error(&io::Error::other("no OS error")));
        assert!(!is_connection_error(&io::Error::from(
            io::ErrorKind::NotFound
        )));
    }
}
