//! Version 1 of `serve`'s HTTP API as a function from a request to an
//! answer ([`Api::answer`]), with no socket in sight: the token check and
//! attempt limit in front of every endpoint, and the endpoints.
//!
//! | endpoint | answer |
//! |---|---|
//! | `GET /` (and its `.css`, `.js`) | the web page (no data, no token needed) |
//! | `GET /v1/files` | `{"api":1,"files":[{"id","path","size","modified","format"}],"truncated"}` |
//! | `GET /v1/bytes/ID?offset=N&length=M&identity=HEX` | at most [`MAX_READ`] bytes from `offset`; `X-LogWeave-Size`, `X-LogWeave-Identity` |
//! | `GET /v1/rows/ID?from=N` or `?last=N` | `{"api":1,"id","size","from","next","rows":[…]}` |
//! | `GET /v1/changes?since=G&wait=S` | `{"api":1,"generation","reset","events":[…]}` (long poll) |
//! | `GET /v1/outline`, `GET /v1/triage` | the served smsts.log chain as `outline --json` / `triage --json` |
//!
//! Every `/v1/` request needs `Authorization: Bearer TOKEN` (401 without,
//! 429 once an address has failed too often); nothing changes anything on
//! the server. A refused or missing file is 404 whatever the reason.
//! docs/serve-api.md is the reference for clients.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::auth::{AttemptLimiter, Token};
use super::catalog::{self, Limits, Listing};
use super::chain::ChainCache;
use super::feed::{ChangeFeed, Watcher};
use super::held::HeldFiles;
use super::reading::{self, NotServed, Served};
use super::request::Request;
use super::roots::ServedRoots;
use crate::formats::{DETECT_SAMPLE_BYTES, LogFormat};
use crate::source::LogFile;

pub use super::reading::MAX_READ;

/// Failed token attempts an address may make per [`FAILURE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
/// The window of [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses the attempt limiter remembers at most.
pub const REMEMBERED_ADDRESSES: usize = 4096;
/// Files kept open for clients still reading them (see [`HeldFiles`]).
const HELD_FILES: usize = 256;
/// How long a kept file stays open after its last read.
const HELD_FOR: Duration = Duration::from_secs(120);

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
    /// `value` as JSON with `status`.
    pub fn json(status: u16, value: &impl Serialize) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// 200 with JSON already written.
    pub fn json_bytes(json: &[u8]) -> Answer {
        Answer {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: json.to_vec(),
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

/// A file's format as detected, and the size it had then.
type KnownFormat = (u64, LogFormat);

/// The API over what one `serve` shares.
#[derive(Debug)]
pub struct Api {
    roots: Arc<RwLock<ServedRoots>>,
    token: Token,
    limits: Limits,
    limiter: Mutex<AttemptLimiter>,
    feed: Arc<ChangeFeed>,
    held: Mutex<HeldFiles>,
    formats: Mutex<HashMap<String, KnownFormat>>,
    chain: ChainCache,
    served_bytes: AtomicU64,
}

impl Api {
    /// The API over `roots`, readable with `token`.
    pub fn new(roots: ServedRoots, token: Token, limits: Limits) -> Api {
        let listing = catalog::scan(&roots, limits);
        Api {
            roots: Arc::new(RwLock::new(roots)),
            token,
            limits,
            limiter: Mutex::new(AttemptLimiter::new(
                MAX_FAILURES,
                FAILURE_WINDOW,
                REMEMBERED_ADDRESSES,
            )),
            feed: Arc::new(ChangeFeed::new(listing)),
            held: Mutex::new(HeldFiles::new(HELD_FILES, HELD_FOR)),
            formats: Mutex::new(HashMap::new()),
            chain: ChainCache::default(),
            served_bytes: AtomicU64::new(0),
        }
    }

    /// Starts looking at the roots every `interval` for the change stream
    /// (and for roots that appear); it stops when the watcher is dropped.
    pub fn watch(&self, interval: Duration) -> std::io::Result<Watcher> {
        Watcher::start(
            Arc::clone(&self.roots),
            self.limits,
            Arc::clone(&self.feed),
            interval,
        )
    }

    /// The latest listing of the served files.
    pub fn listing(&self) -> Arc<Listing> {
        self.feed.listing()
    }

    /// Body bytes answered so far (for the status line).
    pub fn served_bytes(&self) -> u64 {
        self.served_bytes.load(Ordering::Relaxed)
    }

    /// The answer to `request` from `client` at `now`.
    pub fn answer(&self, request: &Request, client: IpAddr, now: Instant) -> Answer {
        let answer = self.route(request, client, now);
        self.served_bytes
            .fetch_add(answer.body.len() as u64, Ordering::Relaxed);
        answer
    }

    fn route(&self, request: &Request, client: IpAddr, now: Instant) -> Answer {
        if !request.path.starts_with("/v1/") {
            return super::page::answer(&request.path)
                .unwrap_or_else(|| Answer::error(404, "no such page"));
        }
        if let Some(refused) = self.check_token(request, client, now) {
            return refused;
        }
        let path = request.path.as_str();
        if path == "/v1/files" {
            self.files()
        } else if let Some(id) = path.strip_prefix("/v1/bytes/") {
            reading::bytes(self, id, request, now)
        } else if let Some(id) = path.strip_prefix("/v1/rows/") {
            reading::rows(self, id, request, now)
        } else if path == "/v1/changes" {
            self.changes(request)
        } else if path == "/v1/outline" || path == "/v1/triage" {
            match self.chain.answers(&self.feed.listing()) {
                Some(answers) if path == "/v1/outline" => Answer::json_bytes(&answers.outline),
                Some(answers) => Answer::json_bytes(&answers.triage),
                None => Answer::error(404, "no smsts.log is served"),
            }
        } else {
            Answer::error(404, "no such endpoint")
        }
    }

    fn check_token(&self, request: &Request, client: IpAddr, now: Instant) -> Option<Answer> {
        let mut limiter = self.limiter.lock().unwrap_or_else(PoisonError::into_inner);
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

    /// Lists the files now (and brings the change stream up to date).
    fn files(&self) -> Answer {
        let listing = {
            let roots = self.roots.read().unwrap_or_else(PoisonError::into_inner);
            catalog::scan(&roots, self.limits)
        };
        self.feed.update(listing);
        let listing = self.feed.listing();
        let files: Vec<FileItem> = listing
            .entries
            .iter()
            .map(|entry| FileItem {
                id: entry.id.clone(),
                path: display_path(&entry.path),
                size: entry.size,
                modified: entry.modified_ms.map(crate::time::format_rfc3339_ms),
                format: LogFile::open(&entry.path)
                    .map_or("unknown", |file| self.format_of(&entry.id, &file).name()),
            })
            .collect();
        Answer::json(
            200,
            &serde_json::json!({ "api": 1, "files": files, "truncated": listing.truncated }),
        )
    }

    fn changes(&self, request: &Request) -> Answer {
        let number = |name: &str| request.query_value(name).map(str::parse::<u64>);
        let since = match number("since").transpose() {
            Ok(since) => since,
            Err(_) => return Answer::error(400, "since is a whole number"),
        };
        let wait = match number("wait").transpose() {
            Ok(wait) => Duration::from_secs(wait.unwrap_or(0)),
            Err(_) => return Answer::error(400, "wait is a whole number of seconds"),
        };
        Answer::json(200, &self.feed.since(since, wait))
    }

    /// The file `id` names, or (with `identity`) the file object with that
    /// identity that was read as `id`, still there or kept open.
    pub(super) fn open_served(
        &self,
        id: &str,
        identity: Option<u64>,
        now: Instant,
    ) -> Result<Served, NotServed> {
        let (root, path) = id.split_once('/').unwrap_or((id, ""));
        let resolved = root.parse::<usize>().ok().and_then(|root| {
            let roots = self.roots.read().unwrap_or_else(PoisonError::into_inner);
            roots.resolve(root, path).ok()
        });
        let opened = resolved.and_then(|file| LogFile::open(&file).ok());
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = opened {
            let number = file.identity().number();
            if identity.is_none_or(|wanted| wanted == number) {
                let file = Arc::new(file);
                held.hold(id, number, &file, now);
                return Ok(Served {
                    file,
                    identity: number,
                });
            }
        } else if identity.is_none() {
            return Err(NotServed::Missing);
        }
        let wanted = identity.unwrap_or_default();
        match held.get(id, wanted, now) {
            Some(file) => Ok(Served {
                file,
                identity: wanted,
            }),
            None => Err(NotServed::Gone),
        }
    }

    /// The record format of served file `id` (open as `file`), detected
    /// once its first 64 KiB are written.
    pub(super) fn format_of(&self, id: &str, file: &LogFile) -> LogFormat {
        let size = file.len().unwrap_or(0);
        let mut known = self.formats.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&(at, format)) = known.get(id)
            && at >= DETECT_SAMPLE_BYTES as u64
            && size >= at
        {
            return format;
        }
        let format = reading::detect_format(file);
        if known.len() >= self.limits.max_files {
            known.clear();
        }
        known.insert(id.to_owned(), (size, format));
        format
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

    fn ccm(message: &str, kind: u8) -> String {
        format!(
            "<![LOG[{message}]LOG]!><time=\"09:30:05.218+300\" date=\"11-03-2026\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"1364\" file=\"engine.cxx:1\">\n"
        )
    }

    fn json(answer: &Answer) -> serde_json::Value {
        serde_json::from_slice(&answer.body).unwrap()
    }

    fn header<'a>(answer: &'a Answer, name: &str) -> &'a str {
        answer
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap()
    }

    #[test]
    fn the_rest_of_a_rolled_over_file_is_read_by_its_identity() {
        let (dir, api) = api();
        let log = dir.path().join("Logs").join("plain.log");
        let first = get(
            &api,
            "/v1/bytes/0/plain.log?length=0",
            Some(TOKEN),
            "192.0.2.1",
        );
        let identity = header(&first, "X-LogWeave-Identity").to_owned();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&log)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"ABC"))
            .unwrap();
        std::fs::rename(&log, dir.path().join("Logs").join("plain.lo_")).unwrap();
        std::fs::write(&log, "new").unwrap();
        let now = get(&api, "/v1/bytes/0/plain.log", Some(TOKEN), "192.0.2.1");
        assert_eq!(now.body, b"new");
        assert_ne!(header(&now, "X-LogWeave-Identity"), identity);
        let rest = get(
            &api,
            &format!("/v1/bytes/0/plain.log?offset=10&identity={identity}"),
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!((rest.status, rest.body.as_slice()), (200, &b"ABC"[..]));
        assert_eq!(header(&rest, "X-LogWeave-Size"), "13");
        let unknown = get(
            &api,
            "/v1/bytes/0/plain.log?identity=1234",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(unknown.status, 410);
        assert_eq!(
            get(
                &api,
                "/v1/bytes/0/plain.log?identity=xyz",
                Some(TOKEN),
                "192.0.2.1"
            )
            .status,
            400
        );
    }

    #[test]
    fn rows_come_whole_and_say_where_to_go_on() {
        let (dir, api) = api();
        let log = dir.path().join("Logs").join("SMSTSLog").join("smsts.log");
        let text = format!(
            "{}{}{}",
            ccm("one", 1),
            ccm("two\nlines", 2),
            ccm("three", 3)
        );
        std::fs::write(&log, format!("{text}<![LOG[half writ")).unwrap();
        let all = json(&get(
            &api,
            "/v1/rows/0/SMSTSLog/smsts.log",
            Some(TOKEN),
            "192.0.2.1",
        ));
        let rows = all["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1]["message"], "two\nlines");
        assert_eq!(rows[1]["severity"], "warning");
        assert_eq!(rows[2]["severity"], "error");
        assert_eq!(rows[0]["offset"], 0);
        assert_eq!(all["next"], text.len());
        // Nothing new until the record is finished.
        let next = all["next"].as_u64().unwrap();
        let wait = json(&get(
            &api,
            &format!("/v1/rows/0/SMSTSLog/smsts.log?from={next}"),
            Some(TOKEN),
            "192.0.2.1",
        ));
        assert_eq!(
            (
                wait["rows"].as_array().unwrap().len(),
                wait["next"].as_u64()
            ),
            (0, Some(next))
        );
        std::fs::write(&log, format!("{text}{}", ccm("four", 1))).unwrap();
        let more = json(&get(
            &api,
            &format!("/v1/rows/0/SMSTSLog/smsts.log?from={next}"),
            Some(TOKEN),
            "192.0.2.1",
        ));
        assert_eq!(more["rows"][0]["message"], "four");
        assert_eq!(more["rows"][0]["offset"], next);
        // The last bytes start at the first whole record in them.
        let last = json(&get(
            &api,
            "/v1/rows/0/SMSTSLog/smsts.log?last=200",
            Some(TOKEN),
            "192.0.2.1",
        ));
        let messages: Vec<&str> = last["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap())
            .collect();
        assert_eq!(messages.last(), Some(&"four"));
        assert!(!messages.iter().any(|m| m.contains("<![LOG[")));
        // From the middle of a record (the file was replaced since): the next whole one.
        let middle = json(&get(
            &api,
            "/v1/rows/0/SMSTSLog/smsts.log?from=5",
            Some(TOKEN),
            "192.0.2.1",
        ));
        assert_eq!(middle["rows"][0]["message"], "two\nlines");
        assert_eq!(middle["from"], ccm("one", 1).len());
        let beyond = get(
            &api,
            "/v1/rows/0/SMSTSLog/smsts.log?from=99999",
            Some(TOKEN),
            "192.0.2.1",
        );
        assert_eq!(beyond.status, 416);
        assert!(json(&beyond)["size"].as_u64().is_some());
    }

    #[test]
    fn the_change_stream_numbers_what_happened() {
        let (dir, api) = api();
        let start = json(&get(&api, "/v1/changes", Some(TOKEN), "192.0.2.1"));
        let since = start["generation"].as_u64().unwrap();
        std::fs::write(dir.path().join("Logs").join("plain.log"), "0123456789AB").unwrap();
        std::fs::write(dir.path().join("Logs").join("new.log"), "x").unwrap();
        get(&api, "/v1/files", Some(TOKEN), "192.0.2.1");
        let got = json(&get(
            &api,
            &format!("/v1/changes?since={since}&wait=1"),
            Some(TOKEN),
            "192.0.2.1",
        ));
        assert_eq!(got["reset"], false);
        assert_eq!(
            got["events"],
            serde_json::json!([
                {"kind": "new", "id": "0/new.log", "size": 1},
                {"kind": "appended", "id": "0/plain.log", "from": 10, "to": 12}
            ])
        );
        assert_eq!(
            get(&api, "/v1/changes?since=x", Some(TOKEN), "192.0.2.1").status,
            400
        );
    }

    #[test]
    fn the_page_needs_no_token_and_the_chain_is_outlined() {
        let (_dir, api) = api();
        let page = get(&api, "/", None, "192.0.2.1");
        assert_eq!(page.status, 200);
        assert!(page.content_type.starts_with("text/html"));
        assert!(header(&page, "Content-Security-Policy").contains("default-src 'self'"));
        assert_eq!(get(&api, "/logweave.js", None, "192.0.2.1").status, 200);
        assert_eq!(get(&api, "/secret.log", None, "192.0.2.1").status, 404);
        for target in [
            "/v1/outline",
            "/v1/triage",
            "/v1/changes",
            "/v1/rows/0/plain.log",
        ] {
            assert_eq!(get(&api, target, None, "192.0.2.2").status, 401, "{target}");
        }
        let outline = json(&get(&api, "/v1/outline", Some(TOKEN), "192.0.2.1"));
        assert_eq!(
            outline["files"],
            serde_json::json!(["0/SMSTSLog/smsts.log"])
        );
        assert!(outline["outcome"]["outcome"].is_string());
        let triage = json(&get(&api, "/v1/triage", Some(TOKEN), "192.0.2.1"));
        assert!(triage["outcome"].is_string());
    }
}
