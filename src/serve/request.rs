//! Reading one HTTP/1.1 request head for `serve`, within fixed bounds: the
//! bytes a client sends become a [`Request`] or a [`BadRequest`] with the
//! status to answer, never a panic, and never more than [`MAX_HEAD_BYTES`]
//! kept. `serve` is read-only: only GET and HEAD exist, and no request
//! has a body.

use std::fmt;

/// The most bytes a request head (request line and headers) may take.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;
/// The most header lines a request may have.
pub const MAX_HEADERS: usize = 64;

/// A request `serve` will answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// HEAD (answer without the body) or GET.
    pub head_only: bool,
    /// The path as sent (still percent-encoded), without the query.
    pub path: String,
    /// The query's `name=value` pairs, as sent (values still encoded).
    pub query: Vec<(String, String)>,
    /// The token of an `Authorization: Bearer …` header.
    pub bearer: Option<String>,
    /// Whether the client asked to close after this answer
    /// (`Connection: close`).
    pub close: bool,
}

impl Request {
    /// The value of query parameter `name`, if given.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why a request head was refused, with the status to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadRequest {
    /// The head is not complete yet (no blank line): read more, unless
    /// [`MAX_HEAD_BYTES`] are already there.
    Incomplete,
    /// 431: the head is larger than [`MAX_HEAD_BYTES`] or has more than
    /// [`MAX_HEADERS`] lines.
    TooLarge,
    /// 405: a method other than GET or HEAD.
    MethodNotAllowed,
    /// 413: the request announces a body (`Content-Length` above 0 or
    /// `Transfer-Encoding`), which no endpoint takes.
    HasBody,
    /// 505: not HTTP/1.0 or HTTP/1.1.
    VersionNotSupported,
    /// 400: anything else malformed.
    Malformed,
}

impl BadRequest {
    /// The HTTP status code to answer with.
    pub fn status(&self) -> u16 {
        match self {
            BadRequest::Incomplete | BadRequest::Malformed => 400,
            BadRequest::TooLarge => 431,
            BadRequest::MethodNotAllowed => 405,
            BadRequest::HasBody => 413,
            BadRequest::VersionNotSupported => 505,
        }
    }
}

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadRequest::Incomplete => "incomplete request",
            BadRequest::TooLarge => "request head too large",
            BadRequest::MethodNotAllowed => "only GET and HEAD are served",
            BadRequest::HasBody => "requests have no body here",
            BadRequest::VersionNotSupported => "HTTP/1.0 or HTTP/1.1 only",
            BadRequest::Malformed => "malformed request",
        })
    }
}

/// Where the head in `buffer` ends (the index just past its blank line),
/// if it is complete.
/// A blank line is `\r\n\r\n`, or `\n\n` from clients that send bare
/// newlines (also `\n\r\n`): the head ends at the first newline followed
/// by an empty line.
pub fn head_end(buffer: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(newline) = memchr::memchr(b'\n', &buffer[at..]) {
        let next = at + newline + 1;
        match buffer.get(next..) {
            Some([b'\n', ..]) => return Some(next + 1),
            Some([b'\r', b'\n', ..]) => return Some(next + 2),
            _ => at = next,
        }
    }
    None
}

/// Parses the request head at the start of `buffer` (what has arrived so
/// far). [`BadRequest::Incomplete`] asks for more bytes while fewer than
/// [`MAX_HEAD_BYTES`] have come.
pub fn parse(buffer: &[u8]) -> Result<(Request, usize), BadRequest> {
    let Some(end) = head_end(&buffer[..buffer.len().min(MAX_HEAD_BYTES)]) else {
        return Err(if buffer.len() >= MAX_HEAD_BYTES {
            BadRequest::TooLarge
        } else {
            BadRequest::Incomplete
        });
    };
    let head = std::str::from_utf8(&buffer[..end]).map_err(|_| BadRequest::Malformed)?;
    let mut lines = head
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    let request_line = lines.next().ok_or(BadRequest::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest::Malformed);
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(if version.starts_with("HTTP/") {
            BadRequest::VersionNotSupported
        } else {
            BadRequest::Malformed
        });
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ if !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase()) => {
            return Err(BadRequest::MethodNotAllowed);
        }
        _ => return Err(BadRequest::Malformed),
    };
    if !target.starts_with('/') || target.bytes().any(|b| b.is_ascii_control() || b == b'#') {
        return Err(BadRequest::Malformed);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let mut request = Request {
        head_only,
        path: path.to_owned(),
        query,
        bearer: None,
        close: version == "HTTP/1.0",
    };
    let mut count = 0;
    for line in lines.take_while(|line| !line.is_empty()) {
        count += 1;
        if count > MAX_HEADERS {
            return Err(BadRequest::TooLarge);
        }
        let (name, value) = line.split_once(':').ok_or(BadRequest::Malformed)?;
        if name.is_empty() || name.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(BadRequest::Malformed);
        }
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("authorization") {
            let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
                request.bearer = Some(token.trim().to_owned());
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            match value.parse::<u64>() {
                Ok(0) => {}
                Ok(_) => return Err(BadRequest::HasBody),
                Err(_) => return Err(BadRequest::Malformed),
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(BadRequest::HasBody);
        } else if name.eq_ignore_ascii_case("connection") {
            request.close = value.eq_ignore_ascii_case("close");
        }
    }
    Ok((request, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_with_a_bearer_token_and_a_query() {
        let raw =
            b"GET /v1/files/0/SMSTSLog%2Fsmsts.log/bytes?offset=100&length=65536 HTTP/1.1\r\n\
Host: 192.0.2.10:8443\r\nAuthorization: Bearer abcDEF-123_xyz\r\nUser-Agent: t\r\n\r\nextra";
        let (request, end) = parse(raw).unwrap();
        assert_eq!(end, raw.len() - "extra".len());
        assert!(!request.head_only);
        assert_eq!(request.path, "/v1/files/0/SMSTSLog%2Fsmsts.log/bytes");
        assert_eq!(request.query_value("offset"), Some("100"));
        assert_eq!(request.query_value("length"), Some("65536"));
        assert_eq!(request.query_value("missing"), None);
        assert_eq!(request.bearer.as_deref(), Some("abcDEF-123_xyz"));
        assert!(!request.close);
    }

    #[test]
    fn head_http10_and_bare_newlines() {
        let (request, _) = parse(b"HEAD / HTTP/1.0\n\n").unwrap();
        assert!(request.head_only);
        assert!(request.close);
        let (request, _) = parse(b"GET /x HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        assert!(request.close);
        let (request, _) = parse(b"GET /x HTTP/1.1\r\nauthorization: Basic Zm9v\r\n\r\n").unwrap();
        assert_eq!(request.bearer, None, "only bearer tokens count");
    }

    #[test]
    fn every_bad_head_has_its_status() {
        for (raw, status) in [
            (&b"GET / HTTP/1.1\r\nHost: x\r\n"[..], 400),
            (b"POST /v1/files HTTP/1.1\r\n\r\n", 405),
            (b"DELETE /v1/files/0/ HTTP/1.1\r\n\r\n", 405),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET / SPDY\r\n\r\n", 400),
            (b"GET  / HTTP/1.1\r\n\r\n", 400),
            (b"GET v1 HTTP/1.1\r\n\r\n", 400),
            (b"GET /a\x01b HTTP/1.1\r\n\r\n", 400),
            (b"GET /#token HTTP/1.1\r\n\r\n", 400),
            (b"get / HTTP/1.1\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 413),
            (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 413),
            (b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
            (b"GET /\xff HTTP/1.1\r\n\r\n", 400),
        ] {
            let got = parse(raw).map(|_| ()).map_err(|e| e.status());
            assert_eq!(got, Err(status), "{}", String::from_utf8_lossy(raw));
        }
        assert_eq!(parse(b"GET / HTTP/1.1\r\n"), Err(BadRequest::Incomplete));
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nbody\n\n"), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\n\r\n\r\n"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\r\n"), Some(22));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n"), None);
        assert_eq!(head_end(b""), None);
    }

    #[test]
    fn heads_are_bounded() {
        let mut long = b"GET / HTTP/1.1\r\nX-Filler: ".to_vec();
        long.resize(MAX_HEAD_BYTES + 10, b'a');
        assert_eq!(parse(&long), Err(BadRequest::TooLarge));
        // Still arriving, under the limit: wait for more.
        assert_eq!(
            parse(&long[..MAX_HEAD_BYTES - 1]),
            Err(BadRequest::Incomplete)
        );
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            many.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        assert_eq!(parse(&many), Err(BadRequest::TooLarge));
    }

    proptest::proptest! {
        /// Any bytes: an answer, never a panic; a parsed head ends inside
        /// the bytes and within the bound.
        #[test]
        fn any_bytes_are_answered(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            if let Ok((_, end)) = parse(&bytes) {
                proptest::prop_assert!(end <= bytes.len() && end <= MAX_HEAD_BYTES);
            }
        }
    }
}
