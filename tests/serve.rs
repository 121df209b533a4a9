//! `logweave serve` as a person runs it, over loopback: the address it
//! prints, a client that follows a log through it across rollovers,
//! truncation and re-creation (every record once, in order), and its
//! defences — the token on every endpoint, the attempt limit, paths that
//! try to leave the served folder, oversized or odd requests, idle
//! connections, and a certificate pin that refuses another server.

#[path = "support/churn.rs"]
mod churn;
#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/served.rs"]
mod served;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use logweave::remote::{Client, RemoteAddress};
use served::Served;

const TOKEN: &str = "Deployment-Token-2026-serve-test";

/// Serves `folder` on a free loopback port (the token in a file beside
/// it); `extra` are more options.
fn start_server(folder: &Path, extra: &[&str]) -> Served {
    let token_file = folder.parent().unwrap().join("token.txt");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    Served::start(folder, &token_file, extra)
}

/// One raw request on a new plain connection; the status and the whole answer.
fn raw(server: &Served, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(server.socket()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    (status, text)
}

fn get(server: &Served, target: &str, token: Option<&str>) -> (u16, String) {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    raw(
        server,
        format!("GET {target} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn the_address_serve_prints_carries_the_token_and_the_pin() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("smsts.log"), churn::ccm(1, "hello", 1)).unwrap();
    let server = start_server(&logs, &[]);
    let address = server.parsed();
    assert!(address.tls);
    assert_eq!(address.token, TOKEN);
    let pin = address.pin.expect("the address has the certificate's pin");
    // The pinned client reads; one pinned to another certificate refuses
    // the server before sending the token.
    let client = Client::new(address.clone()).unwrap();
    let listed = client.get("/v1/files").unwrap();
    assert_eq!(listed.status, 200);
    assert!(String::from_utf8_lossy(&listed.body).contains("\"id\":\"0/smsts.log\""));
    let mut other = address.clone();
    let mut wrong = pin.0;
    wrong[0] ^= 1;
    other.pin = Some(logweave::tls::Fingerprint(wrong));
    let refused = Client::new(other).unwrap().get("/v1/files").unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(refused.to_string().contains(&pin.colons()), "{refused}");
    let mut unpinned = address;
    unpinned.pin = None;
    let told = Client::new(unpinned).unwrap().get("/v1/files").unwrap_err();
    assert!(told.to_string().contains(&pin.hex()), "{told}");
    // Plain HTTP to a TLS server gets nothing readable.
    let (status, _) = get(&server, "/v1/files", Some(TOKEN));
    assert_eq!(status, 0);
}

#[test]
fn nothing_is_read_without_the_token_or_outside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(logs.join("SMSTSLog")).unwrap();
    std::fs::write(
        logs.join("SMSTSLog").join("smsts.log"),
        churn::ccm(1, "served", 1),
    )
    .unwrap();
    std::fs::write(dir.path().join("secret.log"), "SECRET-OUTSIDE").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.log"), logs.join("link.log")).unwrap();
    let server = start_server(&logs, &["--plain-http"]);
    assert!(server.address.starts_with("http://"));
    let endpoints = [
        "/v1/files",
        "/v1/bytes/0/SMSTSLog/smsts.log",
        "/v1/rows/0/SMSTSLog/smsts.log",
        "/v1/changes",
        "/v1/outline",
        "/v1/triage",
    ];
    for target in endpoints {
        let (status, text) = get(&server, target, None);
        assert_eq!(status, 401, "{target}: {text}");
        assert!(!text.contains("served"), "{target}");
        assert_eq!(
            get(&server, target, Some("Deployment-Token-2027-wrong")).0,
            401
        );
        assert_eq!(get(&server, target, Some(TOKEN)).0, 200, "{target}");
    }
    for target in [
        "/v1/bytes/0/../secret.log",
        "/v1/bytes/0/%2e%2e%2fsecret.log",
        "/v1/bytes/0/%2e%2e/secret.log",
        "/v1/bytes/0/..%5csecret.log",
        "/v1/bytes/0/%252e%252e%252fsecret.log",
        "/v1/bytes/0//etc/passwd",
        "/v1/bytes/0/%2fetc%2fpasswd",
        "/v1/bytes/0/C:%5cWindows%5cwin.ini",
        "/v1/bytes/0/link.log",
        "/v1/bytes/1/secret.log",
        "/v1/rows/0/../secret.log",
        "/../secret.log",
    ] {
        let (status, text) = get(&server, target, Some(TOKEN));
        assert!(status == 404 || status == 400, "{target}: {status}");
        assert!(!text.contains("SECRET-OUTSIDE"), "{target}");
    }
    // Odd requests are refused, not served.
    let big = format!(
        "GET /v1/files HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\nX: {}\r\n\r\n",
        "a".repeat(9000)
    );
    assert_eq!(raw(&server, big.as_bytes()).0, 431);
    let body = format!(
        "GET /v1/files HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 5\r\n\r\nhello"
    );
    assert_eq!(raw(&server, body.as_bytes()).0, 413);
    let post = format!("POST /v1/files HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\n\r\n");
    assert_eq!(raw(&server, post.as_bytes()).0, 405);
    // Guessing is held off: after five wrong tokens even the right one waits.
    for _ in 0..5 {
        assert_eq!(
            get(&server, "/v1/files", Some("guess-guess-guess-1")).0,
            401
        );
    }
    assert_eq!(get(&server, "/v1/files", Some(TOKEN)).0, 429);
}

#[test]
fn a_client_is_answered_while_200_connections_sit_idle() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a.log"), "0123456789").unwrap();
    let server = start_server(&logs, &[]);
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(server.socket()).unwrap())
        .collect();
    let client = Client::new(server.parsed()).unwrap();
    let answer = client.get("/v1/bytes/0/a.log?offset=2&length=3").unwrap();
    assert_eq!((answer.status, answer.body.as_slice()), (200, &b"234"[..]));
    drop(idle);
}

/// The churn test of `support/churn.rs` with `logweave tail --json` reading
/// the log through `logweave serve` (TLS, pinned): every record once and in
/// order across rollovers to `.lo_`, truncations and re-creations.
#[test]
fn every_record_once_through_serve() {
    let mut server = None;
    let (cycles, err) = churn::every_record_once(|path| {
        let started = start_server(path.parent().unwrap(), &[]);
        let address = started.parsed();
        let target = format!(
            "{}/0/smsts.log#{}&pin=sha256:{}",
            address.origin(),
            address.token,
            address.pin.unwrap().hex()
        );
        server = Some(started);
        target
    });
    assert!(cycles >= 30, "only {cycles} cycles ran in the time budget");
    assert!(err.contains("rolled over to"), "{err}");
    drop(server);
}

/// The network between `logweave tail` and the server goes away for a
/// while (the relay cuts every connection and refuses new ones), records
/// are written meanwhile, and it comes back: the tail says the connection
/// was lost and that it retries, then carries on where it was — every
/// record once, in order.
#[test]
fn a_lost_connection_is_retried_and_no_record_is_lost_or_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("smsts.log");
    let mut writer = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let mut written = 0u32;
    let mut write = |count: u32, writer: &mut std::fs::File| {
        for _ in 0..count {
            writer
                .write_all(churn::ccm(written, &format!("record {written}"), 1).as_bytes())
                .unwrap();
            written += 1;
        }
        written
    };
    write(5, &mut writer);
    let server = start_server(&logs, &[]);
    let address = server.parsed();
    let target: std::net::SocketAddr = server.socket().parse().unwrap();
    let mut relay = proxy::Relay::start(target);
    let url = format!(
        "https://127.0.0.1:{}/0/smsts.log#{}&pin=sha256:{}",
        relay.port(),
        address.token,
        address.pin.unwrap().hex()
    );
    let tail = churn::spawn_tail(&["--json", "-n", "all", "--interval", "50", &url]);
    let mut seen = 0u32;
    let mut expect = |upto: u32, tail: &churn::TailChild| {
        while seen < upto {
            let line = tail
                .next_line(Duration::from_secs(30))
                .unwrap_or_else(|| panic!("tail stopped before record {seen}"));
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            assert_eq!(value["message"], format!("record {seen}"), "{line}");
            seen += 1;
        }
    };
    expect(5, &tail);
    let upto = write(3, &mut writer);
    expect(upto, &tail);
    relay.cut();
    let upto = write(4, &mut writer);
    // Long enough for several looks to fail.
    std::thread::sleep(Duration::from_millis(800));
    relay.restore();
    expect(upto, &tail);
    let upto = write(2, &mut writer);
    expect(upto, &tail);
    let extra = tail.next_line(Duration::from_millis(500));
    let err = tail.finish();
    assert_eq!(extra, None, "a record came out twice");
    assert!(err.contains("connection lost, retrying"), "{err}");
}

/// Started by a task-sequence step whose console goes away: what `serve`
/// prints cannot be written, and it serves all the same.
#[test]
fn a_closed_stdout_does_not_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a.log"), "0123456789").unwrap();
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, TOKEN).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = churn::logweave()
        .args(["serve", "--plain-http", "--bind", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .arg("--token-file")
        .arg(&token_file)
        .arg(&logs)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let address = RemoteAddress::parse(&format!("http://127.0.0.1:{port}/#{TOKEN}")).unwrap();
    let client = Client::new(address).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let answer = loop {
        match client.get("/v1/bytes/0/a.log?offset=7") {
            Ok(answer) => break answer,
            Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("serve never answered: {e}"),
        }
    };
    assert_eq!(answer.body, b"789");
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "serve stopped");
    let _ = child.kill();
    let _ = child.wait();
}
