//! What `logweave serve` may hand out: the served roots, and the one way a
//! path a client sends becomes a file on disk ([`ServedRoots::resolve`]).

use std::fmt;
use std::path::{Path, PathBuf};

/// The folders (or single files) shared by `serve`, each canonicalised
/// once it exists (a root that is missing at start is served from when it
/// appears, under the number it had from the start). Nothing outside them
/// is ever resolved.
#[derive(Debug, Clone)]
pub struct ServedRoots {
    /// The paths asked for, in order (their index is the root's number).
    wanted: Vec<PathBuf>,
    /// Their canonical form, once they exist.
    roots: Vec<Option<PathBuf>>,
}

/// Why a requested path was not resolved. The HTTP layer answers every
/// refusal the same way (not found), so a client learns nothing about
/// what lies outside the roots; the reason is for the server's own log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not valid percent-encoding, or not UTF-8 once decoded.
    BadEncoding,
    /// An empty, `.` or `..` segment, a segment Windows would read as
    /// something else (trailing dot or space, a drive or stream colon, a
    /// device name such as `NUL`), a backslash, a control character, or a
    /// `%` left after decoding (double encoding).
    BadSegment,
    /// The root number names no root.
    NoSuchRoot,
    /// Nothing there, or it resolves (through a link or a junction) to a
    /// place outside its root.
    OutsideOrMissing,
    /// There, but not a regular file.
    NotAFile,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::BadEncoding => "bad percent-encoding",
            Refusal::BadSegment => "a path segment that is not a plain name",
            Refusal::NoSuchRoot => "no such root",
            Refusal::OutsideOrMissing => "missing, or outside the served root",
            Refusal::NotAFile => "not a regular file",
        })
    }
}

/// Windows device names, which open a device in any folder and with any
/// extension (`NUL.log`).
const DEVICE_NAMES: [&str; 24] = [
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM1", "COM2", "COM3", "COM4", "COM5",
    "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9",
];

impl ServedRoots {
    /// Canonicalises each of `paths` (a folder or a file); an error names
    /// the path that cannot be served.
    pub fn new(paths: &[PathBuf]) -> Result<ServedRoots, String> {
        let roots = paths
            .iter()
            .map(|path| {
                std::fs::canonicalize(path)
                    .map(Some)
                    .map_err(|error| format!("{}: cannot serve it: {error}", path.display()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ServedRoots {
            wanted: paths.to_vec(),
            roots,
        })
    }

    /// Roots that may not exist yet (the task-sequence log folders of a
    /// machine in the middle of a deployment): each is served once it
    /// exists ([`Self::refresh`]).
    pub fn watching(paths: &[PathBuf]) -> ServedRoots {
        let mut roots = ServedRoots {
            wanted: paths.to_vec(),
            roots: vec![None; paths.len()],
        };
        roots.refresh();
        roots
    }

    /// Takes in the roots that have appeared since; true when there are new ones.
    pub fn refresh(&mut self) -> bool {
        let mut appeared = false;
        for (wanted, root) in self.wanted.iter().zip(&mut self.roots) {
            if root.is_none()
                && let Ok(real) = std::fs::canonicalize(wanted)
            {
                *root = Some(real);
                appeared = true;
            }
        }
        appeared
    }

    /// The canonical roots that exist, with their numbers.
    pub fn roots(&self) -> impl Iterator<Item = (usize, &Path)> {
        self.roots
            .iter()
            .enumerate()
            .filter_map(|(index, root)| Some((index, root.as_deref()?)))
    }

    /// The roots asked for (existing or not), in order.
    pub fn wanted(&self) -> &[PathBuf] {
        &self.wanted
    }

    /// The file a client asks for as root number `root` and `encoded`, the
    /// percent-encoded path below it with `/` between segments (as it
    /// stands in the URL, decoded here exactly once). An empty path is the
    /// root itself, which must then be a file.
    pub fn resolve(&self, root: usize, encoded: &str) -> Result<PathBuf, Refusal> {
        let base = self
            .roots
            .get(root)
            .and_then(Option::as_ref)
            .ok_or(Refusal::NoSuchRoot)?;
        let mut candidate = base.clone();
        if !encoded.is_empty() {
            for raw in encoded.split('/') {
                let segment = percent_decode(raw)?;
                check_segment(&segment)?;
                candidate.push(segment);
            }
        }
        let real = std::fs::canonicalize(&candidate).map_err(|_| Refusal::OutsideOrMissing)?;
        if !real.starts_with(base) {
            return Err(Refusal::OutsideOrMissing);
        }
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() => Ok(real),
            Ok(_) => Err(Refusal::NotAFile),
            Err(_) => Err(Refusal::OutsideOrMissing),
        }
    }

    /// The path of `file` (resolved by [`Self::resolve`] or found by a
    /// listing) relative to its root, with `/` separators, percent-encoded
    /// for a URL; `None` when it is under no root.
    pub fn relative_url_path(&self, file: &Path) -> Option<(usize, String)> {
        self.roots().find_map(|(index, root)| {
            let relative = file.strip_prefix(root).ok()?;
            let segments: Option<Vec<String>> = relative
                .components()
                .map(|c| c.as_os_str().to_str().map(percent_encode))
                .collect();
            Some((index, segments?.join("/")))
        })
    }
}

/// Folders below a drive's root, besides the smsts.log locations, where a
/// deployment's other logs are: Windows Setup, the ConfigMgr client's
/// setup, the Intune Management Extension.
const MORE_LOG_FOLDERS: [&str; 3] = [
    "Windows/Panther",
    "Windows/ccmsetup/Logs",
    "ProgramData/Microsoft/IntuneManagementExtension/Logs",
];

/// What `serve` shares when no folder is named: on every drive letter, the
/// smsts.log locations and the deployment's other log folders (existing or
/// not: a folder on `C:` appears once the operating system is applied). A
/// folder inside another one in the list is left out (the outer one's scan
/// lists its logs). Empty off Windows.
pub fn machine_log_folders() -> Vec<PathBuf> {
    if !cfg!(windows) {
        return Vec::new();
    }
    let below: Vec<&str> = crate::tasksequence::chain::LOCATIONS
        .iter()
        .chain(MORE_LOG_FOLDERS.iter())
        .copied()
        .collect();
    let outermost: Vec<&str> = below
        .iter()
        .copied()
        .filter(|inner| {
            !below.iter().any(|outer| {
                inner.len() > outer.len()
                    && inner[..outer.len()].eq_ignore_ascii_case(outer)
                    && inner.as_bytes()[outer.len()] == b'/'
            })
        })
        .collect();
    (b'C'..=b'Z')
        .flat_map(|drive| {
            outermost.iter().map(move |folder| {
                PathBuf::from(format!("{}:\\{}", drive as char, folder.replace('/', "\\")))
            })
        })
        .collect()
}

/// Decodes `%XX` escapes once; anything else passes as it is.
fn percent_decode(raw: &str) -> Result<String, Refusal> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refusal::BadEncoding)?;
            let text = std::str::from_utf8(hex).map_err(|_| Refusal::BadEncoding)?;
            out.push(u8::from_str_radix(text, 16).map_err(|_| Refusal::BadEncoding)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refusal::BadEncoding)
}

/// Encodes everything but unreserved characters (RFC 3986).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A decoded segment must be a plain file or folder name on every system.
fn check_segment(segment: &str) -> Result<(), Refusal> {
    let plain = !segment.is_empty()
        && segment != "."
        && segment != ".."
        && !segment.ends_with(['.', ' '])
        && !segment.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    '/' | '\\' | ':' | '%' | '*' | '?' | '"' | '<' | '>' | '|'
                )
        });
    let stem = segment.split('.').next().unwrap_or_default();
    let device = DEVICE_NAMES
        .iter()
        .any(|name| stem.eq_ignore_ascii_case(name));
    if plain && !device {
        Ok(())
    } else {
        Err(Refusal::BadSegment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served() -> (tempfile::TempDir, ServedRoots) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("logs");
        std::fs::create_dir_all(root.join("SMSTSLog")).unwrap();
        std::fs::write(root.join("SMSTSLog").join("smsts.log"), "x").unwrap();
        std::fs::write(root.join("a b.log"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        let roots = ServedRoots::new(&[root]).unwrap();
        (dir, roots)
    }

    #[test]
    fn plain_paths_resolve_inside_the_root() {
        let (_dir, roots) = served();
        let file = roots.resolve(0, "SMSTSLog/smsts.log").unwrap();
        assert!(file.ends_with("smsts.log"));
        assert!(roots.resolve(0, "a%20b.log").is_ok());
        assert_eq!(
            roots.relative_url_path(&file),
            Some((0, "SMSTSLog/smsts.log".to_owned()))
        );
        let spaced = roots.resolve(0, "a%20b.log").unwrap();
        assert_eq!(
            roots.relative_url_path(&spaced),
            Some((0, "a%20b.log".to_owned()))
        );
    }

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        let (_dir, roots) = served();
        for attempt in [
            "../secret.txt",
            "SMSTSLog/../../secret.txt",
            "%2e%2e/secret.txt",
            "%2E%2E%2Fsecret.txt",
            "..%2fsecret.txt",
            "..%5csecret.txt",
            "..\\secret.txt",
            "%252e%252e/secret.txt",
            "/etc/passwd",
            "%2fetc%2fpasswd",
            "C:%5cWindows%5cwin.ini",
            "C:/Windows/win.ini",
            "SMSTSLog//smsts.log",
            "./SMSTSLog/smsts.log",
            "SMSTSLog/smsts.log.",
            "SMSTSLog/smsts.log%20",
            "smsts.log::$DATA",
            "NUL",
            "con.log",
            "a%00b",
            "%zz",
            "%c3%28",
        ] {
            assert!(roots.resolve(0, attempt).is_err(), "{attempt} resolved");
        }
        assert_eq!(roots.resolve(1, "a%20b.log"), Err(Refusal::NoSuchRoot));
        assert_eq!(roots.resolve(0, "SMSTSLog"), Err(Refusal::NotAFile));
        assert_eq!(roots.resolve(0, "gone.log"), Err(Refusal::OutsideOrMissing));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_root_is_refused_and_one_inside_is_followed() {
        let (dir, roots) = served();
        let root = roots.roots().next().unwrap().1.to_path_buf();
        let root = &root;
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("escape.log")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("a b.log"), root.join("inside.log")).unwrap();
        assert_eq!(
            roots.resolve(0, "escape.log"),
            Err(Refusal::OutsideOrMissing)
        );
        assert_eq!(
            roots.resolve(0, "up/secret.txt"),
            Err(Refusal::OutsideOrMissing)
        );
        assert!(roots.resolve(0, "inside.log").unwrap().ends_with("a b.log"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Whatever a client sends, a resolved path is a regular file
        /// inside the root; the naive oracle: the canonical result starts
        /// with the canonical root.
        #[test]
        fn nothing_resolves_outside_the_root(request in "[a./%25eEfF2c5\\\\ :bSMTLog_]{0,40}") {
            let (_dir, roots) = served();
            if let Ok(file) = roots.resolve(0, &request) {
                proptest::prop_assert!(file.starts_with(roots.roots().next().unwrap().1), "{request} -> {file:?}");
                proptest::prop_assert!(file.is_file());
            }
        }
    }

    #[test]
    fn a_single_file_root_serves_itself_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("smsts.log");
        std::fs::write(&file, "x").unwrap();
        let roots = ServedRoots::new(std::slice::from_ref(&file)).unwrap();
        assert!(roots.resolve(0, "").is_ok());
        assert!(roots.resolve(0, "x").is_err());
        assert!(ServedRoots::new(&[dir.path().join("missing")]).is_err());
    }
}
