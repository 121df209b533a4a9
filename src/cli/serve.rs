//! `logweave serve`: shares this machine's logs, read-only, with LogWeave
//! and browsers on other computers — the task-sequence logs as they move
//! when no folder is named. Prints the addresses to open (token and
//! certificate pin in the fragment) and a status line until Ctrl+C.
//! The server itself is the core's `serve` module.

use std::io::{self, IsTerminal, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clap::Args;

use logweave::serve::api::Api;
use logweave::serve::auth::Token;
use logweave::serve::catalog::Limits;
use logweave::serve::feed::WATCH_INTERVAL;
use logweave::serve::listener::{Listener, ListenerLimits};
use logweave::serve::roots::{self, ServedRoots};
use logweave::tls;

/// The environment variable that may hold the token.
pub const TOKEN_VAR: &str = "LOGWEAVE_SERVE_TOKEN";

/// Options of `logweave serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on (0.0.0.0: every IPv4 interface).
    #[arg(long, default_value = "0.0.0.0")]
    bind: IpAddr,
    /// The TCP port (0: one the system picks).
    #[arg(long, default_value_t = 8443)]
    port: u16,
    /// Read the token from this file (at least 16 printable characters),
    /// e.g. one a task-sequence step wrote; LOGWEAVE_SERVE_TOKEN works too.
    /// Without either, a random token is made.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Serve without TLS: the token and the logs cross the network in
    /// clear. Only on an isolated network you trust.
    #[arg(long, conflicts_with = "certificate")]
    plain_http: bool,
    /// Use the certificate and key kept in FILE (PEM), making them there
    /// first if it does not exist, so the fingerprint stays the same when
    /// serve starts again (after the reboot into the new OS) and on every
    /// machine given the file. Without it, a new certificate at each start.
    #[arg(long, value_name = "FILE")]
    certificate: Option<PathBuf>,
    /// Folders (or files) to serve. Default on Windows: the task-sequence
    /// log folders of every drive (smsts.log locations, Panther, CCM and
    /// ccmsetup logs, the Intune Management Extension), served as they appear.
    paths: Vec<PathBuf>,
}

fn token(args: &ServeArgs) -> Result<Token, String> {
    if let Some(file) = &args.token_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("{}: cannot read the token: {e}", file.display()))?;
        return Token::from_text(&text).map_err(|e| format!("{}: {e}", file.display()));
    }
    if let Some(text) = std::env::var_os(TOKEN_VAR) {
        return Token::from_text(&text.to_string_lossy()).map_err(|e| format!("{TOKEN_VAR}: {e}"));
    }
    Token::generate()
}

/// The address other machines reach this one by (the interface of the
/// default route; no packet is sent), and the machine's name.
fn reachable_hosts(bind: IpAddr) -> Vec<String> {
    if !bind.is_unspecified() {
        return vec![bind.to_string()];
    }
    let mut hosts = Vec::new();
    if let Some(ip) = UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .ok()
        .map(|address| address.ip())
        .filter(|ip| !ip.is_unspecified())
    {
        hosts.push(ip.to_string());
    }
    let name = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|n| n.trim().to_owned())
        .filter(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        });
    hosts.extend(name);
    hosts.push("127.0.0.1".to_owned());
    hosts
}

fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// `12.3 MB`.
fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

/// Runs `logweave serve` until Ctrl+C.
pub fn run(args: &ServeArgs) -> io::Result<ExitCode> {
    let usage = |message: String| {
        let _ = writeln!(io::stderr(), "logweave serve: {message}");
        Ok(ExitCode::from(2))
    };
    let token = match token(args) {
        Ok(token) => token,
        Err(message) => return usage(message),
    };
    let roots = if args.paths.is_empty() {
        let folders = roots::machine_log_folders();
        if folders.is_empty() {
            return usage(
                "name the folders to serve (the task-sequence folders are found on Windows only)"
                    .to_owned(),
            );
        }
        ServedRoots::watching(&folders)
    } else {
        match ServedRoots::new(&args.paths) {
            Ok(roots) => roots,
            Err(message) => return usage(message),
        }
    };
    let bind = SocketAddr::new(args.bind, args.port);
    let socket = match TcpListener::bind(bind) {
        Ok(socket) => socket,
        Err(e) => {
            return usage(format!(
                "cannot listen on {bind}: {e} (another program on that port? try --port)"
            ));
        }
    };
    let port = socket.local_addr()?.port();
    let hosts = reachable_hosts(args.bind);
    let identity = if args.plain_http {
        None
    } else if let Some(file) = &args.certificate {
        match tls::kept_in_file(file) {
            Ok(identity) => Some(identity),
            Err(message) => return usage(message),
        }
    } else {
        let mut names = hosts.clone();
        names.push("localhost".to_owned());
        match tls::self_signed(&names) {
            Ok(identity) => Some(identity),
            Err(message) => return usage(message),
        }
    };
    let api = Arc::new(Api::new(roots, token.clone(), Limits::default()));
    let _watcher = api.watch(WATCH_INTERVAL)?;
    let mut listener = Listener::start_with(
        socket,
        Arc::clone(&api),
        ListenerLimits::default(),
        identity.as_ref().map(|i| Arc::clone(&i.config)),
    )?;
    let stop = logweave::sys::catch_interrupt();

    // What is printed is for people: a closed or broken stdout (a task
    // sequence step's console gone) must not stop the server.
    let mut out = io::stdout().lock();
    let listing = api.listing();
    let _ = writeln!(
        out,
        "LogWeave {} is serving {} log{} read-only on port {port}.",
        env!("CARGO_PKG_VERSION"),
        listing.entries.len(),
        if listing.entries.len() == 1 { "" } else { "s" },
    );
    let _ = writeln!(
        out,
        "Open one of these in LogWeave (logweave \"ADDRESS\") or in a browser:"
    );
    for host in &hosts {
        let (scheme, pin) = match &identity {
            Some(identity) => (
                "https",
                format!("&pin=sha256:{}", identity.fingerprint.hex()),
            ),
            None => ("http", String::new()),
        };
        let _ = writeln!(
            out,
            "  {scheme}://{}:{port}/#{}{pin}",
            url_host(host),
            token.as_str()
        );
    }
    match &identity {
        Some(identity) => {
            let _ = writeln!(out, "Certificate fingerprint (SHA-256):");
            let _ = writeln!(out, "  {}", identity.fingerprint.colons());
            let _ = writeln!(
                out,
                "A browser warns once about this self-signed certificate: check it shows this fingerprint."
            );
        }
        None => {
            let _ = writeln!(
                out,
                "WARNING: --plain-http: the token and the logs cross the network unencrypted; anyone on the network can read them."
            );
        }
    }
    let _ = writeln!(out, "Ctrl+C stops.");
    let _ = out.flush();

    let live = io::stdout().is_terminal();
    let mut last_line = String::new();
    let mut last_print = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(200));
        let line = format!(
            "{} client connection{} · {} files · {} served",
            listener.open_connections(),
            if listener.open_connections() == 1 {
                ""
            } else {
                "s"
            },
            api.listing().entries.len(),
            size_text(api.served_bytes()),
        );
        if live {
            if line != last_line {
                let _ = write!(out, "\r{line}   ");
                let _ = out.flush();
            }
        } else if line != last_line && last_print.elapsed() >= Duration::from_secs(10) {
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
            last_print = Instant::now();
        } else {
            continue;
        }
        last_line = line;
    }
    if live {
        let _ = writeln!(out);
    }
    listener.stop();
    let _ = writeln!(out, "Stopped.");
    Ok(ExitCode::SUCCESS)
}
