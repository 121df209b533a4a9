//! Logs on another computer: the host names people type, the well-known
//! log folders of a Windows client as paths on its administrative share
//! (`\\HOST\c$\Windows\CCM\Logs`, ...), and looking at one of them to say
//! whether it is reachable and how many logs it holds. Reads folders only;
//! never opens a log, never draws. Reaching a share can take as long as the
//! network does, so callers run [`probe`] off the UI thread.
//!
//! `LOGWEAVE_REMOTE_ROOT`, when set, is a local folder that stands for
//! `\\HOST\c$` of every host (tests and demonstrations lay it out like
//! `C:\`); elsewhere the same `\\HOST\c$\...` paths are built on every
//! system (they exist only on Windows).

use std::path::{Path, PathBuf};

use super::is_log_name;

/// The environment variable naming a local folder that stands for
/// `\\HOST\c$` (for tests and demonstrations).
pub const ROOT_VARIABLE: &str = "LOGWEAVE_REMOTE_ROOT";

/// The longest host name DNS allows.
const HOST_MAX: usize = 253;

/// The folders of a Windows client where ConfigMgr, the task sequence,
/// Windows setup, servicing and Intune write logs: a label for people and
/// the path under the system drive, parts separated by `\`.
pub const WELL_KNOWN: &[(&str, &str)] = &[
    ("ConfigMgr client logs", r"Windows\CCM\Logs"),
    (
        "Task sequence logs (client, after it finished)",
        r"Windows\CCM\Logs\SMSTSLog",
    ),
    (
        "Task sequence logs (while it runs, full OS)",
        r"_SMSTaskSequence\Logs\Smstslog",
    ),
    (
        "Task sequence logs (while it runs, Windows PE)",
        r"Windows\Temp\SMSTSLog",
    ),
    ("Windows setup (Panther)", r"Windows\Panther"),
    ("Component servicing (CBS)", r"Windows\Logs\CBS"),
    ("DISM", r"Windows\Logs\DISM"),
    (
        "Intune Management Extension",
        r"ProgramData\Microsoft\IntuneManagementExtension\Logs",
    ),
    ("Windows temporary folder", r"Windows\Temp"),
];

/// Checks a host name as typed: letters, digits, `-` and `.` only (a NetBIOS
/// name, a DNS name or an IPv4 address), surrounding spaces ignored.
/// Returns the name to use, or why it is refused.
pub fn valid_host(typed: &str) -> Result<String, String> {
    let host = typed.trim();
    if host.is_empty() {
        return Err("Type the name of a computer.".to_owned());
    }
    if host.len() > HOST_MAX {
        return Err(format!(
            "A computer name has at most {HOST_MAX} characters."
        ));
    }
    if let Some(bad) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        let what = match bad {
            '\\' | '/' => "a slash".to_owned(),
            ' ' => "a space".to_owned(),
            c => format!("“{c}”"),
        };
        return Err(format!(
            "A computer name has letters, digits, '-' and '.' only, not {what} \
             (type PC042, not \\\\PC042\\c$)."
        ));
    }
    if host.starts_with(['-', '.']) || host.ends_with(['-', '.']) || host.contains("..") {
        return Err("A computer name does not start or end with '-' or '.'.".to_owned());
    }
    Ok(host.to_owned())
}

/// The folder that stands for `\\HOST\c$`: the administrative share, or
/// the folder `LOGWEAVE_REMOTE_ROOT` names.
pub fn system_drive(host: &str) -> PathBuf {
    drive_of(host, std::env::var_os(ROOT_VARIABLE))
}

/// `\\HOST\c$`, or `stand_in` when it is set and not empty.
fn drive_of(host: &str, stand_in: Option<std::ffi::OsString>) -> PathBuf {
    match stand_in.filter(|v| !v.is_empty()) {
        Some(root) => PathBuf::from(root),
        None => PathBuf::from(format!(r"\\{host}\c$")),
    }
}

/// `relative` (parts separated by `\`) under `drive`: joined with the
/// system's separator, except on a UNC path built on a system without them,
/// which keeps `\` so the path reads as Windows would write it.
fn under(drive: &Path, relative: &str) -> PathBuf {
    let text = drive.to_string_lossy();
    if text.starts_with(r"\\") {
        PathBuf::from(format!(r"{text}\{relative}"))
    } else {
        relative
            .split('\\')
            .fold(drive.to_owned(), |p, part| p.join(part))
    }
}

/// The well-known log folders of `host` ([`WELL_KNOWN`]), each with its
/// label, as paths on its administrative share (or under
/// `LOGWEAVE_REMOTE_ROOT`).
pub fn well_known_folders(host: &str) -> Vec<(&'static str, PathBuf)> {
    folders_on(&system_drive(host))
}

/// The well-known log folders under `drive` (what stands for `C:\`).
fn folders_on(drive: &Path) -> Vec<(&'static str, PathBuf)> {
    WELL_KNOWN
        .iter()
        .map(|&(label, relative)| (label, under(drive, relative)))
        .collect()
}

/// Looks at a folder: the number of logs directly in it, or why it cannot
/// be read (not there, access denied, the computer does not answer). Blocks
/// for as long as the network takes.
pub fn probe(folder: &Path) -> Result<usize, String> {
    let read = std::fs::read_dir(folder).map_err(|e| reason(&e))?;
    Ok(read
        .flatten()
        .filter(|child| child.file_type().is_ok_and(|t| t.is_file()))
        .filter(|child| is_log_name(&child.file_name().to_string_lossy()))
        .count())
}

/// What [`probe`] says of a folder the computer does not have: normal (a
/// machine without the ConfigMgr client has no CCM\\Logs), not a failure.
pub const MISSING: &str = "not on that computer";

/// An I/O error in words, without the "(os error 53)" people cannot use.
fn reason(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        return MISSING.to_owned();
    }
    let text = e.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_letters_digits_dashes_and_dots() {
        assert_eq!(valid_host(" PC042 ").unwrap(), "PC042");
        assert_eq!(
            valid_host("pc042.corp.contoso.com").unwrap(),
            "pc042.corp.contoso.com"
        );
        assert_eq!(valid_host("10.1.2.3").unwrap(), "10.1.2.3");
        assert!(valid_host("").is_err());
        assert!(valid_host("   ").is_err());
        let slash = valid_host(r"\\PC042\c$").unwrap_err();
        assert!(slash.contains("slash"), "{slash}");
        assert!(valid_host("PC042/c$").is_err());
        assert!(valid_host("PC 042").unwrap_err().contains("space"));
        assert!(valid_host("PC_042").is_err());
        assert!(valid_host("-PC042").is_err());
        assert!(valid_host("PC042.").is_err());
        assert!(valid_host("a..b").is_err());
        assert!(valid_host(&"a".repeat(254)).is_err());
    }

    #[test]
    fn folders_are_built_on_the_administrative_share_or_the_stand_in() {
        let drive = drive_of("PC042", None);
        assert_eq!(drive, PathBuf::from(r"\\PC042\c$"));
        assert_eq!(drive_of("PC042", Some("".into())), drive);
        let paths: Vec<String> = folders_on(&drive)
            .iter()
            .map(|(_, p)| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(paths.len(), WELL_KNOWN.len());
        assert_eq!(paths[0], r"\\PC042\c$\Windows\CCM\Logs");
        assert!(paths.contains(&r"\\PC042\c$\_SMSTaskSequence\Logs\Smstslog".to_owned()));
        assert!(paths.contains(
            &r"\\PC042\c$\ProgramData\Microsoft\IntuneManagementExtension\Logs".to_owned()
        ));
        assert_eq!(paths.last().unwrap(), r"\\PC042\c$\Windows\Temp");
        let stand_in = tempfile::tempdir().unwrap();
        let drive = drive_of("PC042", Some(stand_in.path().as_os_str().to_owned()));
        assert_eq!(drive, stand_in.path());
        assert_eq!(
            folders_on(&drive)[0].1,
            stand_in.path().join("Windows").join("CCM").join("Logs")
        );
    }

    #[test]
    fn a_probe_counts_the_logs_or_says_why_not() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["CcmExec.log", "CcmExec.lo_", "notes.txt", "setup.xml"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("SMSTSLog")).unwrap();
        assert_eq!(probe(dir.path()), Ok(3));
        let missing = probe(&dir.path().join("nowhere")).unwrap_err();
        assert!(
            !missing.is_empty() && !missing.contains("os error"),
            "{missing}"
        );
    }
}
