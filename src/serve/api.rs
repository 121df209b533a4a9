//! Version 1 of `serve`'s HTTP API as a function from a request to an
//! answer ([`Api::answer`]), with no socket in sight: the token check and
//! attempt limit in front of every endpoint, the file list, and bytes of a
//! file from an offset (so the client indexes with its own engine).
//!
//! | endpoint | answer |
//! |---|---|
//! | `GET /v1/files` | `{"api":1,"files":[{"id","path","size","modified","format"}],"truncated"}` |
//! | `GET /v1/bytes/ID?offset=N&length=M` | at most [`MAX_READ`] bytes from `offset`; `X-LogWeave-Size` is the file's size then |
//!
//! Every request needs `Authorization: Bearer TOKEN` (401 without, 429 once
//! an address has failed too often); nothing changes anything on the
//! server. A refused or missing file is 404 whatever the reason.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::auth::{AttemptLimiter, Token};
use super::catalog::{self, Limits};
use super::request::Request;
use super::roots::ServedRoots;
use crate::formats::{DETECT_SAMPLE_BYTES, Dialect, SeverityKeywords};
use crate::source::LogFile;

/// The most bytes one read answers with (a client asks again for more).
pub const MAX_READ: u64 = 4 * 1024 * 1024;
/// Failed token attempts an address may make per [`FAILURE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
/// The window of [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses the attempt limiter remembers at most.
pub const REMEMBERED_ADDRESSES: usize = 4096;

/// An answer to write back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type` of the body.
    pub content_type: &'static str,
    /// Headers besides the content type and length.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent for HEAD).
    pub body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, value: &impl Serialize) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON `{"error": message}` with `status`.
    pub fn error(status: u16, message: &str) -> Answer {
        Answer::json(status, &serde_json::json!({ "error": message }))
    }
}

/// One listed file, as `/v1/files` sends it.
#[derive(Debug, Serialize)]
struct FileItem {
    id: String,
    path: String,
    size: u64,
    modified: Option<String>,
    format: &'static str,
}

/// The API over what one `serve` shares.
#[derive(Debug)]
pub struct Api {
    roots: ServedRoots,
    token: Token,
    limits: Limits,
    limiter: Mutex<AttemptLimiter>,
}

impl Api {
    /// The API over `roots`, readable with `token`.
    pub fn new(roots: ServedRoots, token: Token, limits: Limits) -> Api {
        Api {
            roots,
            token,
            limits,
            limiter: Mutex::new(AttemptLimiter::new(
                MAX_FAILURES,
                FAILURE_WINDOW,
                REMEMBERED_ADDRESSES,
            )),
        }
    }

    /// The answer to `request` from `client` at `now`.
    pub fn answer(&self, request: &Request, client: IpAddr, now: Instant) -> Answer {
        if let Some(refused) = self.check_token(request, client, now) {
            return refused;
        }
        if request.path == "/v1/files" {
            self.files()
        } else if let Some(id) = request.path.strip_prefix("/v1/bytes/") {
            self.bytes(id, request)
        } else {
            Answer::error(404, "no such endpoint")
        }
    }

    fn check_token(&self, request: &Request, client: IpAddr, now: Instant) -> Option<Answer> {
        let mut limiter = self
            .limiter
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !limiter.allows(client, now) {
            return Some(Answer::error(
                429,
                "too many failed attempts: wait a minute",
            ));
        }
        let shown = request.bearer.as_deref().unwrap_or_default();
        if self.token.matches(shown.as_bytes()) {
            limiter.succeeded(client);
            return None;
        }
        if request.bearer.is_some() {
            limiter.failed(client, now);
        }
        let mut answer = Answer::error(401, "the token is missing or wrong");
        answer
            .headers
            .push(("WWW-Authenticate", "Bearer realm=\"logweave\"".to_owned()));
        Some(answer)
    }

    fn files(&self) -> Answer {
        let listing = catalog::scan(&self.roots, self.limits);
        let files: Vec<FileItem> = listing
            .entries
            .iter()
            .map(|entry| FileItem {
                id: entry.id.clone(),
                path: display_path(&entry.path),
                size: entry.size,
                modified: entry.modified_ms.map(crate::time::format_rfc3339_ms),
                format: format_of(&entry.path),
            })
            .collect();
        Answer::json(
            200,
            &serde_json::json!({ "api": 1, "files": files, "truncated": listing.truncated }),
        )
    }

    fn bytes(&self, id: &str, request: &Request) -> Answer {
        let number = |name: &str, default: u64| match request.query_value(name) {
            None => Some(default),
            Some(text) => text.parse::<u64>().ok(),
        };
        let (Some(offset), Some(length)) = (number("offset", 0), number("length", MAX_READ)) else {
            return Answer::error(400, "offset and length are whole numbers");
        };
        let (root, path) = id.split_once('/').unwrap_or((id, ""));
        let Some(file) = root
            .parse::<usize>()
            .ok()
            .and_then(|root| self.roots.resolve(root, path).ok())
        else {
            return Answer::error(404, "no such file");
        };
        let Ok(log) = LogFile::open(&file) else {
            return Answer::error(404, "no such file");
        };
        let Ok(size) = log.len() else {
            return Answer::error(404, "no such file");
        };
        if offset > size {
            let mut answer = Answer::error(416, "offset beyond the end of the file");
            answer.headers.push(("X-LogWeave-Size", size.to_string()));
            return answer;
        }
        let end = offset.saturating_add(length.min(MAX_READ)).min(size);
        match log.read_range(offset, end) {
            Ok(body) => Answer {
                status: 200,
                content_type: "application/octet-stream",
                headers: vec![
                    ("X-LogWeave-Size", size.to_string()),
                    ("X-LogWeave-Offset", offset.to_string()),
                ],
                body,
            },
            Err(error) => Answer::error(503, &format!("reading failed: {error}")),
        }
    }
}

/// The server's own path for the list (as a person on that machine would
/// write it), without Windows' `\\?\` prefix of canonical paths.
fn display_path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix(r"\\?\UNC\") {
        Some(share) => format!(r"\\{share}"),
        None => text.strip_prefix(r"\\?\").unwrap_or(&text).to_owned(),
    }
}

/// The record format of a file from its first bytes (`ccm`, `simple`,
/// `pasted`, `plain`), as `logweave stats` names it.
fn format_of(path: &std::path::Path) -> &'static str {
    let Ok(log) = LogFile::open(path) else {
        return "unknown";
    };
    let end = log.len().unwrap_or(0).min(DETECT_SAMPLE_BYTES as u64);
    match log.read_range(0, end) {
        Ok(sample) => Dialect::detect(&sample, &SeverityKeywords::default())
            .format
            .name(),
        Err(_) => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::request::parse;

    const TOKEN: &str = "Deployment-Token-2026";

    fn api() -> (tempfile::TempDir, Api) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Logs");
        std::fs::create_dir_all(root.join("SMSTSLog")).unwrap();
        std::fs::write(
            root.join("SMSTSLog").join("smsts.log"),
            "<![LOG[Start executing an instruction.]LOG]!><time=\"09:30:05.218+300\" date=\"11-03-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1364\" file=\"engine.cxx:1\">\n",
        )
        .unwrap();
        std::fs::write(root.join("plain.log"), "0123456789").unwrap();
        std::fs::write(dir.path().join("secret.log"), "outside").unwrap();
        let roots = ServedRoots::new(&[root]).unwrap();
        let api = Api::new(roots, Token::from_text(TOKEN).unwrap(), Limits::default());
        (dir, api)
    }

    fn get(api: &Api, target: &str, token: Option<&str>, from: &str) -> Answer {
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let raw = format!("GET {target} HTTP/1.1\r\nHost: x\r\n{auth}\r\n");
        let (request, _) = parse(raw.as_bytes()).unwrap();
        api.answer(&request, from.parse().unwrap(), Instant::now())
    }

    #[test]
    fn the_list_names_each_log_with_its_format() {
        let (_dir, api) = api();
        let answer = get(&api, "/v1/files", Some(TOKEN), "192.0.2.1");
        assert_eq!(answer.status, 200);
        let list: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(list["api"], 1);
        assert_eq!(list["truncated"], false);
        let files = list["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["id"], "0/SMSTSLog/smsts.log");
        assert_eq!(files[0]["format"], "ccm");
        assert!(files[0]["path"].as_str().unwrap().ends_with("smsts.log"));
        assert!(files[0]["modified"].as_str().unwrap().ends_with('Z'));
        assert_eq!(files[1]["id"], "0/plain.log");
        assert_eq!(files[1]["size"], 10);
        assert_eq!(files[1]["format"], "plain");
    }

    #[test]
    fn bytes_come_from_an_offset_within_the_file() {
        let (_dir, api) = api();
        let answer = get(
            &api,
            "/v1/bytes/0/plain.log?offset=3&length=4",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, b"3456");
        assert!(
            answer
                .headers
                .contains(&("X-LogWeave-Size", "10".to_owned()))
        );
        let tail = get(
            &api,
            "/v1/bytes/0/plain.log?offset=8",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(tail.body, b"89");
        let end = get(
            &api,
            "/v1/bytes/0/plain.log?offset=10",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!((end.status, end.body.len()), (200, 0));
        let beyond = get(
            &api,
            "/v1/bytes/0/plain.log?offset=11",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(beyond.status, 416);
        let bad = get(
            &api,
            "/v1/bytes/0/plain.log?offset=-1",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(bad.status, 400);
    }

    #[test]
    fn nothing_outside_the_root_and_nothing_without_the_token() {
        let (_dir, api) = api();
        for target in [
            "/v1/bytes/0/../secret.log",
            "/v1/bytes/0/%2e%2e%2fsecret.log",
            "/v1/bytes/0/..%5csecret.log",
            "/v1/bytes/1/secret.log",
            "/v1/bytes/x/plain.log",
            "/v1/bytes/0/SMSTSLog",
        ] {
            assert_eq!(
                get(&api, target, Some(TOKEN), "192.0.2.1").status,
                404,
                "{target}"
            );
        }
        assert_eq!(
            get(&api, "/v1/nothing", Some(TOKEN), "192.0.2.1").status,
            404
        );
        for target in ["/v1/files", "/v1/bytes/0/plain.log", "/v1/nothing"] {
            let answer = get(&api, target, None, "192.0.2.2");
            assert_eq!(answer.status, 401, "{target}");
            assert!(!answer.body.windows(4).any(|w| w == b"0123"));
            assert_eq!(
                get(&api, target, Some("Deployment-Token-2027"), "192.0.2.3").status,
                401
            );
        }
    }

    #[test]
    fn an_address_that_keeps_guessing_is_held_off_even_with_the_token() {
        let (_dir, api) = api();
        for _ in 0..MAX_FAILURES {
            assert_eq!(
                get(&api, "/v1/files", Some("guess-guess-guess"), "192.0.2.9").status,
                401
            );
        }
        assert_eq!(get(&api, "/v1/files", Some(TOKEN), "192.0.2.9").status, 429);
        assert_eq!(
            get(&api, "/v1/files", Some(TOKEN), "192.0.2.10").status,
            200
        );
    }
}
