//! One window per user: a second `logweave FILE` (Explorer opening another
//! log, a file manager's "Open with") hands its files to the window already
//! running, which opens them in tabs, and exits; `--new-window` opts out.
//! The window listens on a local socket only its user can reach: a Unix
//! socket in the user's private runtime directory (`$XDG_RUNTIME_DIR`, or a
//! 0700 folder of the user's own under the temporary directory), a named
//! pipe on Windows named after the user. Never listens on a network, never
//! draws, never opens a file itself: it passes paths to the app.
//!
//! The exchange: the newcomer sends one absolute path per line and an empty
//! line; the window answers `ok`. A window that does not answer within a
//! few seconds is taken for gone, and the newcomer opens its own.

use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use interprocess::local_socket::{ListenerOptions, Name, Stream, prelude::*};

use crate::jobs::Waker;

/// How long a newcomer waits for the running window's answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// Where this user's window listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    #[cfg(unix)]
    path: PathBuf,
    #[cfg(not(unix))]
    pipe: String,
}

impl Address {
    /// The address of this user's window.
    pub fn for_this_user() -> io::Result<Address> {
        #[cfg(unix)]
        {
            let dir = match std::env::var_os("XDG_RUNTIME_DIR") {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                _ => private_temp_dir()?,
            };
            Ok(Address {
                path: dir.join("logweave.sock"),
            })
        }
        #[cfg(not(unix))]
        {
            let user = std::env::var("USERNAME").unwrap_or_else(|_| "user".to_owned());
            let user: String = user
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            Ok(Address {
                pipe: format!("logweave-{user}"),
            })
        }
    }

    /// An address in `dir` (tests).
    #[cfg(all(test, unix))]
    pub fn in_dir(dir: &std::path::Path) -> Address {
        Address {
            path: dir.join("logweave.sock"),
        }
    }

    fn name(&self) -> io::Result<Name<'_>> {
        #[cfg(unix)]
        {
            self.path
                .as_path()
                .to_fs_name::<interprocess::local_socket::GenericFilePath>()
        }
        #[cfg(not(unix))]
        {
            self.pipe
                .as_str()
                .to_ns_name::<interprocess::local_socket::GenericNamespaced>()
        }
    }
}

/// A folder only this user can enter, for when there is no
/// `$XDG_RUNTIME_DIR`: `logweave-UID` in the temporary directory, created
/// 0700, and refused when it exists but belongs to someone else or others
/// may enter it.
#[cfg(unix)]
fn private_temp_dir() -> io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let uid = crate::sys::current_uid();
    let dir = std::env::temp_dir().join(format!("logweave-{uid}"));
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(&dir)?;
    if !meta.is_dir() || meta.uid() != uid || meta.permissions().mode() & 0o077 != 0 {
        return Err(io::Error::other(format!(
            "{} is not a private folder of this user",
            dir.display()
        )));
    }
    Ok(dir)
}

/// Asks the running window to open `files`. `Ok(true)` when it took them
/// (this process can exit), `Ok(false)` when no window answered.
pub fn hand_over(address: &Address, files: &[PathBuf]) -> io::Result<bool> {
    let Ok(stream) = Stream::connect(address.name()?) else {
        return Ok(false);
    };
    stream.set_recv_timeout(Some(ANSWER_WITHIN))?;
    let mut stream = BufReader::new(stream);
    let mut message = String::new();
    for file in files {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        message.push_str(&absolute.to_string_lossy());
        message.push('\n');
    }
    message.push('\n');
    stream.get_mut().write_all(message.as_bytes())?;
    let mut answer = String::new();
    match stream.read_line(&mut answer) {
        Ok(_) => Ok(answer.trim() == "ok"),
        Err(_) => Ok(false),
    }
}

/// The running window's side: paths other starts asked it to open.
pub struct Listener {
    received: Receiver<Vec<PathBuf>>,
    waker: Arc<Mutex<Option<Waker>>>,
}

impl Listener {
    /// Starts listening at `address` on a thread of its own; `None` when
    /// another window listens there already or the address cannot be used
    /// (then this window simply runs on its own).
    pub fn start(address: &Address) -> Option<Listener> {
        let name = address.name().ok()?;
        let listener = ListenerOptions::new()
            .name(name)
            // A socket file left by a window that crashed is replaced.
            .try_overwrite(true)
            .create_sync()
            .ok()?;
        let (sender, received) = channel();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let thread_waker = Arc::clone(&waker);
        std::thread::Builder::new()
            .name("logweave-single-instance".into())
            .spawn(move || {
                for stream in listener.incoming().filter_map(Result::ok) {
                    let _ = crate::jobs::catch_panic(|| serve(stream, &sender, &thread_waker));
                }
            })
            .ok()?;
        Some(Listener { received, waker })
    }

    /// Wakes the window (it may be idle) whenever files arrive.
    pub fn set_waker(&self, waker: Waker) {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(waker);
    }

    /// Files asked for since the last call.
    pub fn drain(&self) -> Vec<PathBuf> {
        self.received.try_iter().flatten().collect()
    }
}

/// One newcomer: reads its paths, answers `ok`.
fn serve(stream: Stream, sender: &Sender<Vec<PathBuf>>, waker: &Mutex<Option<Waker>>) {
    if stream.set_recv_timeout(Some(ANSWER_WITHIN)).is_err() {
        return;
    }
    let mut stream = BufReader::new(stream);
    let mut files = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match stream.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line.trim_end_matches(['\r', '\n']).is_empty() => break,
            // Only whole paths: anything else is not a file to open.
            Ok(_) => {
                let path = PathBuf::from(line.trim_end_matches(['\r', '\n']));
                if path.is_absolute() && files.len() < 1000 {
                    files.push(path);
                }
            }
        }
    }
    let _ = stream.get_mut().write_all(b"ok\n");
    if sender.send(files).is_ok()
        && let Some(waker) = waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
    {
        waker();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_second_start_hands_its_files_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let address = Address::in_dir(dir.path());
        assert!(
            !hand_over(&address, &[PathBuf::from("/tmp/a.log")]).unwrap(),
            "nobody listens yet"
        );
        let listener = Listener::start(&address).expect("listens");
        let files = vec![
            PathBuf::from("/var/log/smsts.log"),
            PathBuf::from("relative.log"),
        ];
        assert!(hand_over(&address, &files).unwrap(), "taken");
        let mut got = Vec::new();
        for _ in 0..200 {
            got.extend(listener.drain());
            if got.len() == 2 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(got[0], PathBuf::from("/var/log/smsts.log"));
        assert_eq!(got[1], std::path::absolute("relative.log").unwrap());
    }

    #[test]
    fn the_fallback_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = private_temp_dir().unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
