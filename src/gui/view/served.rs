//! The "Open remote…" dialog's state ([`ServedDialog`]): the address a
//! `logweave serve` printed (checked before the network is asked), the
//! connection made in a background job (the certificate pin checked, the
//! files listed), and which of the served files to open. Never draws (the
//! window is `panels/served_dialog.rs`).

use crate::jobs::{Job, Waker};
use crate::remote::{self, CertificateRefused, RemoteAddress, ServedFile};
use crate::tls::Fingerprint;

/// A server connected to and what it serves.
pub struct Served {
    /// Its address (with the token; never shown).
    pub address: RemoteAddress,
    /// The files it lists.
    pub files: Vec<ServedFile>,
    /// Which are ticked to open.
    pub ticked: Vec<bool>,
}

impl Served {
    /// The paths of the ticked files.
    pub fn ticked_paths(&self) -> Vec<std::path::PathBuf> {
        self.files
            .iter()
            .zip(&self.ticked)
            .filter(|(_, ticked)| **ticked)
            .map(|(file, _)| self.address.file_path(&file.id).into())
            .collect()
    }

    /// True when a ticked file is a copy of smsts.log (they open as one
    /// task sequence).
    pub fn ticks_smsts(&self) -> bool {
        self.files.iter().zip(&self.ticked).any(|(file, ticked)| {
            *ticked
                && crate::tasksequence::chain::is_smsts_name(
                    file.id.rsplit('/').next().unwrap_or_default(),
                )
        })
    }
}

/// Why a connection failed, and the certificate the server offered when
/// the address had no pin.
type Refused = (String, Option<Fingerprint>);

/// A connection being made: the server's address and files, or why not.
type Connecting = Job<Result<(RemoteAddress, Vec<ServedFile>), Refused>>;

/// The dialog's state.
#[derive(Default)]
pub struct ServedDialog {
    /// Shown.
    pub open: bool,
    /// The address box.
    pub address: String,
    /// Put the keyboard in the address box on the next frame.
    pub focus: bool,
    /// Why the address or the connection failed.
    pub problem: Option<String>,
    /// The certificate a server offered to an address without a pin, to
    /// compare with the one `serve` printed and trust.
    pub offered: Option<Fingerprint>,
    connecting: Option<Connecting>,
    /// The server connected to.
    pub served: Option<Served>,
}

impl ServedDialog {
    /// Opens the dialog with the keyboard in the address box.
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Reads the address typed and connects in the background.
    pub fn connect(&mut self, waker: Option<Waker>) {
        let address = match RemoteAddress::parse(&self.address) {
            Ok(address) => address,
            Err(why) => {
                self.problem = Some(why);
                return;
            }
        };
        self.problem = None;
        self.offered = None;
        self.served = None;
        self.connecting = Some(Job::spawn("logweave-connect-served", waker, move |_| {
            remote::connect(&address)
                .map(|(_, files)| (address.clone(), files))
                .map_err(|e| {
                    let offered = e
                        .get_ref()
                        .and_then(|inner| inner.downcast_ref::<CertificateRefused>())
                        .map(|refused| refused.shown)
                        .filter(|_| address.pin.is_none());
                    (format!("{}: {e}", address.origin()), offered)
                })
        }));
    }

    /// Adds the certificate offered to the address (after the person
    /// compared it with the one `serve` printed) and connects again.
    pub fn trust_offered(&mut self, waker: Option<Waker>) {
        if let Some(offered) = self.offered.take() {
            self.address = format!("{}&pin=sha256:{}", self.address.trim(), offered.hex());
            self.connect(waker);
        }
    }

    /// True while connecting.
    pub fn is_connecting(&self) -> bool {
        self.connecting.is_some()
    }

    /// Takes in the connection when it is made; the files the address
    /// names (or smsts.log, or every `.log`) come ticked.
    pub fn poll(&mut self) {
        let Some(result) = self.connecting.as_mut().and_then(Job::take) else {
            return;
        };
        self.connecting = None;
        match result {
            Ok(Ok((address, files))) => {
                let chosen = remote::chosen_paths(&address, &files, 64);
                let ticked = files
                    .iter()
                    .map(|f| chosen.contains(&address.file_path(&f.id)))
                    .collect();
                self.served = Some(Served {
                    address,
                    files,
                    ticked,
                });
            }
            Ok(Err((why, offered))) => {
                self.problem = Some(why);
                self.offered = offered;
            }
            Err(failure) => self.problem = Some(failure.to_string()),
        }
    }

    /// Closes the dialog; a connection being made is let go.
    pub fn close(&mut self) {
        self.open = false;
        if let Some(job) = self.connecting.take() {
            job.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_address_is_refused_before_the_network_is_asked() {
        let mut dialog = ServedDialog {
            address: "https://pc042:8443/".to_owned(),
            ..ServedDialog::default()
        };
        dialog.connect(None);
        assert!(dialog.problem.as_deref().unwrap().contains("token"));
        assert!(!dialog.is_connecting());
    }
}
