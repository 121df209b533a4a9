//! An HTTP/1.1 client for one `serve`, over TLS pinned to the server's
//! certificate (or plain, when the address says `http://`): GET requests
//! with the token, answers read within bounds, idle connections kept for
//! the next request. Every failure is an `io::Error`; a refused
//! certificate says which fingerprint the server showed.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};

use super::address::RemoteAddress;
use crate::tls::{self, Fingerprint, SeenFingerprint};

/// The most bytes of an answer's head.
const MAX_HEAD: usize = 16 * 1024;
/// The most bytes of an answer's body (reads are 4 MiB; an outline of a
/// long chain is the largest JSON).
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an answer may take (the change stream waits up to 25 s).
const READ_TIMEOUT: Duration = Duration::from_secs(40);
/// Idle connections kept for the next requests.
const KEPT_CONNECTIONS: usize = 4;

/// An answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body's `error`, or the status.
    pub fn error_text(&self) -> String {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("HTTP status {}", self.status))
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// A client of one server.
pub struct Client {
    address: RemoteAddress,
    tls: Option<(Arc<ClientConfig>, SeenFingerprint)>,
    idle: Mutex<Vec<Stream>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("address", &self.address)
            .finish()
    }
}

impl Client {
    /// A client for `address` (nothing is connected yet). A TLS address
    /// without a pin accepts no certificate: [`Client::get`] fails and
    /// says which fingerprint the server showed.
    pub fn new(address: RemoteAddress) -> io::Result<Client> {
        let tls = if address.tls {
            Some(tls::pinned_client(address.pin).map_err(io::Error::other)?)
        } else {
            None
        };
        Ok(Client {
            address,
            tls,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The address it talks to.
    pub fn address(&self) -> &RemoteAddress {
        &self.address
    }

    /// `GET target` (a path with its query) with the token. A kept
    /// connection that the server closed meanwhile is replaced once.
    pub fn get(&self, target: &str) -> io::Result<Response> {
        let kept = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        if let Some(mut stream) = kept
            && let Ok(response) = self.exchange(&mut stream, target)
        {
            self.keep(stream, &response);
            return Ok(response);
        }
        let mut stream = self.connect()?;
        let response = self.exchange(&mut stream, target)?;
        self.keep(stream, &response);
        Ok(response)
    }

    fn keep(&self, stream: Stream, response: &Response) {
        if response
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
        {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEPT_CONNECTIONS {
            idle.push(stream);
        }
    }

    fn connect(&self) -> io::Result<Stream> {
        let host = (self.address.host.as_str(), self.address.port);
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the host name has no address");
        let mut connected = None;
        for candidate in host.to_socket_addrs()? {
            match TcpStream::connect_timeout(&candidate, CONNECT_TIMEOUT) {
                Ok(stream) => {
                    connected = Some(stream);
                    break;
                }
                Err(error) => last = error,
            }
        }
        let stream = connected.ok_or(last)?;
        stream.set_read_timeout(Some(READ_TIMEOUT))?;
        stream.set_write_timeout(Some(CONNECT_TIMEOUT))?;
        let _ = stream.set_nodelay(true);
        let Some((config, seen)) = &self.tls else {
            return Ok(Stream::Plain(stream));
        };
        let name = ServerName::try_from(self.address.host.clone())
            .unwrap_or_else(|_| ServerName::try_from("logweave.invalid").expect("a valid name"));
        let session = ClientConnection::new(Arc::clone(config), name).map_err(io::Error::other)?;
        let mut secured = StreamOwned::new(session, stream);
        // Finish the handshake now, so a refused certificate is told as such.
        while secured.conn.is_handshaking() {
            if let Err(error) = secured.conn.complete_io(&mut secured.sock) {
                let shown = *seen.lock().unwrap_or_else(PoisonError::into_inner);
                return Err(match shown {
                    Some(shown) if Some(shown) != self.address.pin => {
                        certificate_refused(self.address.pin, shown)
                    }
                    _ => error,
                });
            }
        }
        Ok(Stream::Tls(Box::new(secured)))
    }

    fn exchange(&self, stream: &mut Stream, target: &str) -> io::Result<Response> {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nUser-Agent: LogWeave/{}\r\n\r\n",
            self.address.host,
            self.address.token,
            env!("CARGO_PKG_VERSION")
        );
        stream.write_all(request.as_bytes())?;
        stream.flush()?;
        // Only one request is in flight on a connection, so nothing after
        // the answer is buffered away.
        read_response(&mut io::BufReader::with_capacity(64 * 1024, stream))
    }
}

/// The error of a certificate that is not the pinned one.
fn certificate_refused(pin: Option<Fingerprint>, shown: Fingerprint) -> io::Error {
    let text = match pin {
        Some(_) => format!(
            "the server's certificate is not the one in the address (it showed SHA-256 {}): another machine may be answering in its place",
            shown.colons()
        ),
        None => format!(
            "the address has no certificate pin: compare the server's fingerprint {} with the one `logweave serve` printed, then add &pin=sha256:{} to the address",
            shown.colons(),
            shown.hex()
        ),
    };
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        CertificateRefused { shown, text },
    )
}

/// A TLS server whose certificate was not the pinned one.
#[derive(Debug)]
pub struct CertificateRefused {
    /// The fingerprint the server showed.
    pub shown: Fingerprint,
    text: String,
}

impl std::fmt::Display for CertificateRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for CertificateRefused {}

/// Reads one answer: a head within [`MAX_HEAD`], then `Content-Length`
/// bytes within [`MAX_BODY`].
pub fn read_response(stream: &mut impl Read) -> io::Result<Response> {
    let bad =
        |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("bad answer: {what}"));
    let mut head = Vec::with_capacity(1024);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(bad("head too long"));
        }
        if stream.read(&mut byte)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        head.push(byte[0]);
    }
    let text = std::str::from_utf8(&head).map_err(|_| bad("not text"))?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| bad("status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter(|line| !line.is_empty())
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .ok_or_else(|| bad("no Content-Length"))?;
    if length > MAX_BODY {
        return Err(bad("body too large"));
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_within_bounds() {
        let mut ok: &[u8] =
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-LogWeave-Size: 9\r\n\r\nabcEXTRA";
        let response = read_response(&mut ok).unwrap();
        assert_eq!(
            (response.status, response.body.as_slice()),
            (200, &b"abc"[..])
        );
        assert_eq!(response.header("x-logweave-size"), Some("9"));
        assert_eq!(ok, b"EXTRA");
        for bad in [
            &b"HTTP/1.1 200 OK\r\n\r\n"[..],
            b"SMTP ready\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
            b"HTTP/1.1 200",
        ] {
            assert!(read_response(&mut &bad[..]).is_err());
        }
        let long = format!("HTTP/1.1 200 OK\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(read_response(&mut long.as_bytes()).is_err());
    }
}
