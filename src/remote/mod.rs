//! Logs served by another machine's `logweave serve`, opened like local
//! files: a server is [`connect`]ed once (its address, token and
//! certificate pin kept for the process), then each served file is a
//! path `https://HOST:PORT/ID` that [`crate::source::LogFile`] reads
//! through [`RemoteFile`] — so the index, find, filter, merge, outline,
//! triage and live tail work on it unchanged. Bytes are read in pieces
//! from offsets; the file object is pinned by its identity, so the rest
//! of a log rolled over to `.lo_` is still read from the server's handle.

pub mod address;
pub mod client;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

pub use address::{RemoteAddress, is_remote};
pub use client::{CertificateRefused, Client, Response};

use crate::serve::reading::MAX_READ;

/// One served file as the server lists it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ServedFile {
    /// Its id (the path after `https://HOST:PORT/`).
    pub id: String,
    /// Its path on the server.
    pub path: String,
    /// Its size when listed.
    pub size: u64,
    /// `ccm`, `simple`, `pasted`, `plain` or `unknown`.
    pub format: String,
}

#[derive(serde::Deserialize)]
struct FileList {
    files: Vec<ServedFile>,
}

/// The servers connected in this process, by origin.
static SERVERS: Mutex<Vec<Arc<Client>>> = Mutex::new(Vec::new());

/// Connects to the server of `address` (replacing an earlier connection
/// to the same origin, e.g. with a new token) and lists what it serves.
pub fn connect(address: &RemoteAddress) -> io::Result<(Arc<Client>, Vec<ServedFile>)> {
    let client = Arc::new(Client::new(address.clone())?);
    let files = list(&client)?;
    let mut servers = SERVERS.lock().unwrap_or_else(PoisonError::into_inner);
    servers.retain(|c| c.address().origin() != address.origin());
    servers.push(Arc::clone(&client));
    Ok((client, files))
}

/// The files `client`'s server lists now.
pub fn list(client: &Client) -> io::Result<Vec<ServedFile>> {
    let response = expect_ok(client.get("/v1/files")?)?;
    let list: FileList = serde_json::from_slice(&response.body)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(list.files)
}

/// A JSON endpoint's answer (`/v1/outline`, `/v1/triage`), `None` on 404.
pub fn json(client: &Client, target: &str) -> io::Result<Option<serde_json::Value>> {
    let response = client.get(target)?;
    if response.status == 404 {
        return Ok(None);
    }
    let response = expect_ok(response)?;
    serde_json::from_slice(&response.body)
        .map(Some)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The files to open or follow at `address`: the one it names, else the
/// smsts.log copies served (the task sequence), else every `.log` served
/// (rollovers `.lo_` and rolled-over copies are read through their
/// `.log`), at most `limit`.
pub fn chosen_paths(address: &RemoteAddress, files: &[ServedFile], limit: usize) -> Vec<String> {
    if !address.id.is_empty() {
        return vec![address.file_path(&address.id)];
    }
    let name = |f: &ServedFile| f.id.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    let smsts: Vec<&ServedFile> = files.iter().filter(|f| name(f) == "smsts.log").collect();
    let chosen: Vec<&ServedFile> = if smsts.is_empty() {
        files.iter().filter(|f| name(f).ends_with(".log")).collect()
    } else {
        smsts
    };
    chosen
        .iter()
        .take(limit)
        .map(|f| address.file_path(&f.id))
        .collect()
}

/// The connected server whose files' paths start like `path`, and the id.
fn server_of(path: &str) -> Option<(Arc<Client>, String)> {
    let (origin, id) = address::split_file_path(path)?;
    let servers = SERVERS.lock().unwrap_or_else(PoisonError::into_inner);
    let client = servers
        .iter()
        .find(|c| c.address().origin().eq_ignore_ascii_case(origin))?;
    Some((Arc::clone(client), id.to_owned()))
}

/// An error for an answer that is not 200: not found (404, 410), a wrong
/// token (401, 429: permission denied), or anything else.
fn expect_ok(response: Response) -> io::Result<Response> {
    let kind = match response.status {
        200 => return Ok(response),
        404 | 410 => io::ErrorKind::NotFound,
        401 | 429 => io::ErrorKind::PermissionDenied,
        _ => io::ErrorKind::Other,
    };
    Err(io::Error::new(kind, response.error_text()))
}

/// True when `error` means the server could not be reached or went away
/// (worth trying again), not that the file or the token is wrong.
pub fn is_connection_error(error: &io::Error) -> bool {
    use io::ErrorKind as K;
    matches!(
        error.kind(),
        K::ConnectionRefused
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::NotConnected
            | K::BrokenPipe
            | K::TimedOut
            | K::WouldBlock
            | K::UnexpectedEof
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown
            | K::Interrupted
    ) || error.raw_os_error().is_some()
}

/// A served file read by offsets, pinned to one file object.
#[derive(Debug)]
pub struct RemoteFile {
    client: Arc<Client>,
    id: String,
    identity: u64,
}

/// What the server says of a file: its size and identity now.
struct Facts {
    size: u64,
    identity: u64,
}

fn facts(response: &Response) -> io::Result<Facts> {
    let size = response
        .header("x-logweave-size")
        .and_then(|v| v.parse().ok());
    let identity = response
        .header("x-logweave-identity")
        .and_then(|v| u64::from_str_radix(v, 16).ok());
    match (size, identity) {
        (Some(size), Some(identity)) => Ok(Facts { size, identity }),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the server did not say the file's size and identity",
        )),
    }
}

impl RemoteFile {
    /// Opens the served file `path` names (`https://HOST:PORT/ID` of a
    /// connected server), or `None` when `path` is no such address.
    pub fn open(path: &str) -> Option<io::Result<RemoteFile>> {
        let (client, id) = server_of(path)?;
        Some(
            RemoteFile::facts_of(&client, &id, None).map(|facts| RemoteFile {
                client,
                id,
                identity: facts.identity,
            }),
        )
    }

    fn facts_of(client: &Client, id: &str, identity: Option<u64>) -> io::Result<Facts> {
        let pinned = identity.map_or(String::new(), |i| format!("&identity={i:016x}"));
        let response = expect_ok(client.get(&format!("/v1/bytes/{id}?length=0{pinned}"))?)?;
        facts(&response)
    }

    /// The number the server gave this file object.
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// The identity of whatever file the id names now (`None`: nothing).
    pub fn identity_now(&self) -> io::Result<Option<u64>> {
        match RemoteFile::facts_of(&self.client, &self.id, None) {
            Ok(facts) => Ok(Some(facts.identity)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The file's length now.
    #[allow(clippy::len_without_is_empty)] // a length read over the network, like `File::metadata`
    pub fn len(&self) -> io::Result<u64> {
        RemoteFile::facts_of(&self.client, &self.id, Some(self.identity)).map(|f| f.size)
    }

    /// Bytes `[start, end)`, fewer if the file is shorter now.
    pub fn read_range(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut at = start;
        while at < end {
            let want = (end - at).min(MAX_READ);
            let response = self.client.get(&format!(
                "/v1/bytes/{}?offset={at}&length={want}&identity={:016x}",
                self.id, self.identity
            ))?;
            if response.status == 416 {
                break;
            }
            let response = expect_ok(response)?;
            let got = response.body.len() as u64;
            out.extend_from_slice(&response.body);
            at += got;
            if got < want {
                break;
            }
        }
        Ok(out)
    }
}
