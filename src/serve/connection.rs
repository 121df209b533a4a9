//! One client connection of `serve`, over any byte stream (a TCP socket,
//! TLS over it, or memory in tests): requests read within
//! [`MAX_HEAD_BYTES`], each answered by the [`Api`], until the client
//! closes, asks to close, sends something malformed, reaches
//! [`ConnectionLimits::max_requests`] or stays silent past the stream's
//! read timeout (which the listener sets: a slow client cannot hold the
//! server).

use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::time::Instant;

use super::api::{Answer, Api};
use super::request::{self, BadRequest, MAX_HEAD_BYTES};

/// Bounds of one connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Requests answered on one connection before it is closed.
    pub max_requests: usize,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits { max_requests: 1000 }
    }
}

/// How a connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The client closed it (or asked to), between requests.
    Closed,
    /// [`ConnectionLimits::max_requests`] were answered.
    RequestLimit,
    /// A malformed or refused head was answered with this status, then
    /// the connection closed.
    BadRequest(u16),
    /// The client went silent (read timeout) or vanished mid-request.
    Dropped,
}

/// Serves requests on `stream` from `client` until the connection ends.
/// Write errors end it too (the client went away) and are not errors of
/// the server.
pub fn serve_connection<S: Read + Write>(
    stream: &mut S,
    api: &Api,
    client: IpAddr,
    limits: ConnectionLimits,
) -> Ended {
    let mut buffer: Vec<u8> = Vec::with_capacity(1024);
    let mut answered = 0;
    loop {
        let (request, used) = loop {
            match request::parse(&buffer) {
                Ok(parsed) => break parsed,
                Err(BadRequest::Incomplete) => {}
                Err(bad) => {
                    let answer = Answer::error(bad.status(), &bad.to_string());
                    let _ = write_answer(stream, &answer, false, true);
                    return Ended::BadRequest(bad.status());
                }
            }
            let mut chunk = [0u8; 4096];
            let room = (MAX_HEAD_BYTES + 1)
                .saturating_sub(buffer.len())
                .min(chunk.len());
            match stream.read(&mut chunk[..room.max(1)]) {
                Ok(0) if buffer.is_empty() => return Ended::Closed,
                Ok(0) => return Ended::Dropped,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Ended::Dropped,
            }
        };
        buffer.drain(..used);
        let answer = api.answer(&request, client, Instant::now());
        answered += 1;
        let last = request.close || answered >= limits.max_requests;
        if write_answer(stream, &answer, request.head_only, last).is_err() {
            return Ended::Dropped;
        }
        if request.close {
            return Ended::Closed;
        }
        if answered >= limits.max_requests {
            return Ended::RequestLimit;
        }
    }
}

/// Writes `answer` as an HTTP/1.1 response (the head only for HEAD), with
/// headers that keep browsers from caching or sniffing what a log holds.
pub fn write_answer(
    stream: &mut impl Write,
    answer: &Answer,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        answer.status,
        reason(answer.status),
        answer.content_type,
        answer.body.len(),
        if close { "close" } else { "keep-alive" },
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&answer.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::auth::Token;
    use crate::serve::catalog::Limits;
    use crate::serve::roots::ServedRoots;

    const TOKEN: &str = "Deployment-Token-2026";

    /// A stream that hands out `input` in pieces of `piece` bytes, then
    /// reports a timeout (the client went silent) or the end (it closed).
    struct Fake {
        input: Vec<u8>,
        at: usize,
        piece: usize,
        silent_at_end: bool,
        output: Vec<u8>,
    }

    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at == self.input.len() {
                return if self.silent_at_end {
                    Err(io::ErrorKind::TimedOut.into())
                } else {
                    Ok(0)
                };
            }
            let n = buf.len().min(self.piece).min(self.input.len() - self.at);
            buf[..n].copy_from_slice(&self.input[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn api() -> (tempfile::TempDir, Api) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.log"), "0123456789").unwrap();
        let roots = ServedRoots::new(&[dir.path().to_path_buf()]).unwrap();
        let token = Token::from_text(TOKEN).unwrap();
        (dir, Api::new(roots, token, Limits::default()))
    }

    fn run(input: &[u8], piece: usize, silent: bool, limits: ConnectionLimits) -> (Ended, String) {
        let (_dir, api) = api();
        let mut fake = Fake {
            input: input.to_vec(),
            at: 0,
            piece,
            silent_at_end: silent,
            output: Vec::new(),
        };
        let ended = serve_connection(&mut fake, &api, "192.0.2.1".parse().unwrap(), limits);
        (ended, String::from_utf8_lossy(&fake.output).into_owned())
    }

    fn bytes_request(offset: u32, extra: &str) -> String {
        format!(
            "GET /v1/bytes/0/a.log?offset={offset}&length=3 HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\n{extra}\r\n"
        )
    }

    #[test]
    fn pipelined_requests_are_answered_in_order_byte_by_byte_too() {
        let input = format!(
            "{}{}",
            bytes_request(0, ""),
            bytes_request(5, "Connection: close\r\n")
        );
        for piece in [1, 7, 4096] {
            let (ended, output) = run(input.as_bytes(), piece, false, ConnectionLimits::default());
            assert_eq!(ended, Ended::Closed);
            let first = output.find("\r\n\r\n012").expect("first body");
            let second = output.find("\r\n\r\n567").expect("second body");
            assert!(first < second);
            assert_eq!(output.matches("HTTP/1.1 200 OK\r\n").count(), 2);
            assert!(output.contains("Connection: keep-alive\r\n"));
            assert!(
                output.contains(
                    "Connection: close\r\nX-LogWeave-Offset: 5\r\nX-LogWeave-Size: 10\r\n"
                )
            );
            assert!(output.ends_with("\r\n\r\n567"));
        }
    }

    #[test]
    fn head_answers_without_a_body() {
        let input =
            format!("HEAD /v1/bytes/0/a.log HTTP/1.0\r\nAuthorization: Bearer {TOKEN}\r\n\r\n");
        let (ended, output) = run(input.as_bytes(), 4096, false, ConnectionLimits::default());
        assert_eq!(ended, Ended::Closed);
        assert!(output.contains("Content-Length: 10\r\n"));
        assert!(output.ends_with("\r\n\r\n"), "{output}");
    }

    #[test]
    fn bad_heads_are_answered_once_then_closed() {
        let mut huge = b"GET / HTTP/1.1\r\nX: ".to_vec();
        huge.resize(MAX_HEAD_BYTES * 3, b'a');
        let (ended, output) = run(&huge, 4096, false, ConnectionLimits::default());
        assert_eq!(ended, Ended::BadRequest(431));
        assert!(output.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(output.contains("Connection: close\r\n"));
        let (ended, _) = run(
            b"POST /v1/files HTTP/1.1\r\n\r\n",
            4096,
            false,
            ConnectionLimits::default(),
        );
        assert_eq!(ended, Ended::BadRequest(405));
    }

    #[test]
    fn silent_and_vanishing_clients_end_the_connection() {
        let half = b"GET /v1/files HTTP/1.1\r\nAuthor";
        assert_eq!(
            run(half, 4096, true, ConnectionLimits::default()).0,
            Ended::Dropped
        );
        assert_eq!(
            run(half, 4096, false, ConnectionLimits::default()).0,
            Ended::Dropped
        );
        let (ended, output) = run(b"", 4096, true, ConnectionLimits::default());
        assert_eq!((ended, output.as_str()), (Ended::Dropped, ""));
        assert_eq!(
            run(b"", 4096, false, ConnectionLimits::default()).0,
            Ended::Closed
        );
    }

    #[test]
    fn a_connection_answers_at_most_its_request_limit() {
        let input: String = (0..5).map(|i| bytes_request(i, "")).collect();
        let limits = ConnectionLimits { max_requests: 3 };
        let (ended, output) = run(input.as_bytes(), 4096, false, limits);
        assert_eq!(ended, Ended::RequestLimit);
        assert_eq!(output.matches("HTTP/1.1 200 OK").count(), 3);
        assert!(output.contains("Connection: close\r\n"));
    }
}
