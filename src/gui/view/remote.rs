//! The "Open from computer…" dialog's state ([`RemoteDialog`]): the host
//! name typed, checked before anything is asked of the network, and the
//! well-known log folders of that computer (`\\HOST\c$\Windows\CCM\Logs`,
//! ...), each looked at in its own background job so a slow or silent
//! share never holds the window or the other folders. Never draws (the
//! window is `panels/remote_dialog.rs`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::bundle::remote;
use crate::jobs::{Job, Waker};

/// What is known of one folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderState {
    /// Being looked at.
    Checking,
    /// There, with this many logs directly in it.
    Reachable(usize),
    /// Not there or not readable: why.
    Unreachable(String),
}

/// One well-known log folder of the computer.
pub struct RemoteFolder {
    /// What it holds, for people.
    pub label: &'static str,
    /// Its path on the administrative share.
    pub path: PathBuf,
    /// What is known of it.
    pub state: FolderState,
    job: Option<Job<Result<usize, String>>>,
    /// When the look began.
    started: Instant,
}

/// How long a folder may take to answer before it is given up on: a
/// computer that is off or behind a firewall makes Windows wait out its
/// SMB timeouts (tens of seconds, per folder).
pub const PROBE_PATIENCE: Duration = Duration::from_secs(15);

/// What a folder that did not answer in time says.
pub const NO_ANSWER: &str =
    "no answer after 15 s (the computer may be off, or a firewall blocks file sharing)";

/// The dialog's state.
#[derive(Default)]
pub struct RemoteDialog {
    /// Shown.
    pub open: bool,
    /// The host name box.
    pub host: String,
    /// Put the keyboard in the host name box on the next frame.
    pub focus: bool,
    /// Why the host name typed is refused.
    pub invalid: Option<String>,
    /// The computer whose folders are listed.
    pub connected: Option<String>,
    /// Its well-known log folders.
    pub folders: Vec<RemoteFolder>,
}

impl RemoteDialog {
    /// Opens the dialog with the keyboard in the host name box.
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Checks the host name typed and, when it is one, looks at each of its
    /// well-known log folders in the background. Returns the name (to
    /// remember), or `None` when it is refused ([`RemoteDialog::invalid`]
    /// says why).
    pub fn connect(&mut self, waker: Option<Waker>) -> Option<String> {
        let host = match remote::valid_host(&self.host) {
            Ok(host) => host,
            Err(why) => {
                self.invalid = Some(why);
                return None;
            }
        };
        self.invalid = None;
        self.host.clone_from(&host);
        self.folders = remote::well_known_folders(&host)
            .into_iter()
            .map(|(label, path)| {
                let probed = path.clone();
                RemoteFolder {
                    label,
                    path,
                    state: FolderState::Checking,
                    job: Some(Job::spawn(
                        "logweave-remote-probe",
                        waker.clone(),
                        move |_| remote::probe(&probed),
                    )),
                    started: Instant::now(),
                }
            })
            .collect();
        self.connected = Some(host.clone());
        Some(host)
    }

    /// True while a folder is being looked at.
    pub fn is_checking(&self) -> bool {
        self.folders.iter().any(|f| f.job.is_some())
    }

    /// Takes in the folders looked at; a folder still silent after
    /// [`PROBE_PATIENCE`] is given up on (its look is let go).
    pub fn poll(&mut self) {
        for folder in &mut self.folders {
            let Some(job) = &mut folder.job else {
                continue;
            };
            if let Some(result) = job.take() {
                folder.job = None;
                folder.state = match result {
                    Ok(Ok(logs)) => FolderState::Reachable(logs),
                    Ok(Err(why)) => FolderState::Unreachable(why),
                    Err(failure) => FolderState::Unreachable(failure.to_string()),
                };
            } else if folder.started.elapsed() >= PROBE_PATIENCE {
                job.cancel();
                folder.job = None;
                folder.state = FolderState::Unreachable(NO_ANSWER.to_owned());
            }
        }
    }

    /// Closes the dialog; folders still being looked at are let go.
    pub fn close(&mut self) {
        self.open = false;
        for folder in &mut self.folders {
            if let Some(job) = folder.job.take() {
                job.cancel();
                if folder.state == FolderState::Checking {
                    folder.state = FolderState::Unreachable("not checked".to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_does_not_answer_in_time_is_given_up_on() {
        let silent = |started| RemoteFolder {
            label: "ConfigMgr client logs",
            path: PathBuf::from(r"\\PC042\c$\Windows\CCM\Logs"),
            state: FolderState::Checking,
            // A share that never answers (the look sleeps past the test).
            job: Some(Job::spawn("test-silent-share", None, |_| {
                std::thread::sleep(Duration::from_secs(60));
                Ok(0)
            })),
            started,
        };
        let mut dialog = RemoteDialog {
            folders: vec![
                silent(Instant::now()),
                silent(Instant::now() - PROBE_PATIENCE - Duration::from_secs(1)),
            ],
            ..RemoteDialog::default()
        };
        dialog.poll();
        assert_eq!(
            dialog.folders[0].state,
            FolderState::Checking,
            "still within its time"
        );
        assert_eq!(
            dialog.folders[1].state,
            FolderState::Unreachable(NO_ANSWER.to_owned())
        );
        assert!(dialog.is_checking(), "the first is still being looked at");
    }

    #[test]
    fn a_bad_name_is_refused_before_the_network_is_asked() {
        let mut dialog = RemoteDialog {
            host: r"\\PC042\c$".to_owned(),
            ..RemoteDialog::default()
        };
        assert_eq!(dialog.connect(None), None);
        assert!(dialog.invalid.as_deref().unwrap().contains("slash"));
        assert!(dialog.folders.is_empty());
        assert!(!dialog.is_checking());
    }
}
