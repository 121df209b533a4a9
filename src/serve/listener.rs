//! Accepting `serve`'s connections, in TLS or (asked for) plain: one
//! thread per connection up to [`ListenerLimits::max_connections`]
//! (beyond that a short 503 and close — or just a close in TLS),
//! each with read and write timeouts so a silent or slow client lets go of
//! its thread, and a stop that ends the accept loop within a tenth of a
//! second.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::api::{Answer, Api};
use super::connection::{self, ConnectionLimits};

/// Bounds of the listener.
#[derive(Debug, Clone, Copy)]
pub struct ListenerLimits {
    /// Connections served at once.
    pub max_connections: usize,
    /// How long a connection may stay silent (or a write may stall)
    /// before it is closed.
    pub idle: Duration,
    /// Bounds of each connection.
    pub connection: ConnectionLimits,
}

impl Default for ListenerLimits {
    fn default() -> ListenerLimits {
        ListenerLimits {
            max_connections: 512,
            idle: Duration::from_secs(30),
            connection: ConnectionLimits::default(),
        }
    }
}

/// A running listener; dropping it stops it.
#[derive(Debug)]
pub struct Listener {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    open: Arc<AtomicUsize>,
    accept: Option<JoinHandle<()>>,
}

/// Stack of a connection's thread: parsing and answering need little
/// (the outline of the served chain is the deepest).
const CONNECTION_STACK: usize = 1024 * 1024;

impl Listener {
    /// Starts accepting plain HTTP on `socket` (already bound) for `api`.
    pub fn start(
        socket: TcpListener,
        api: Arc<Api>,
        limits: ListenerLimits,
    ) -> std::io::Result<Listener> {
        Listener::start_with(socket, api, limits, None)
    }

    /// Starts accepting on `socket` for `api`, in TLS with `tls` when given.
    pub fn start_with(
        socket: TcpListener,
        api: Arc<Api>,
        limits: ListenerLimits,
        tls: Option<Arc<ServerConfig>>,
    ) -> std::io::Result<Listener> {
        let address = socket.local_addr()?;
        socket.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(AtomicUsize::new(0));
        let accept = {
            let (stop, open) = (Arc::clone(&stop), Arc::clone(&open));
            std::thread::Builder::new()
                .name("serve-accept".to_owned())
                .spawn(move || accept_loop(&socket, &api, limits, tls.as_ref(), &stop, &open))?
        };
        Ok(Listener {
            address,
            stop,
            open,
            accept: Some(accept),
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Connections being served now.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Stops accepting (connections being served finish on their own).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(
    socket: &TcpListener,
    api: &Arc<Api>,
    limits: ListenerLimits,
    tls: Option<&Arc<ServerConfig>>,
    stop: &AtomicBool,
    open: &Arc<AtomicUsize>,
) {
    while !stop.load(Ordering::Relaxed) {
        match socket.accept() {
            Ok((stream, peer)) => {
                if open.load(Ordering::Relaxed) >= limits.max_connections {
                    if tls.is_none() {
                        refuse_busy(stream);
                    }
                    continue;
                }
                open.fetch_add(1, Ordering::Relaxed);
                let (api, open_now, tls) = (Arc::clone(api), Arc::clone(open), tls.cloned());
                let spawned = std::thread::Builder::new()
                    .name("serve-connection".to_owned())
                    .stack_size(CONNECTION_STACK)
                    .spawn(move || {
                        serve(stream, &api, peer, limits, tls);
                        open_now.fetch_sub(1, Ordering::Relaxed);
                    });
                if spawned.is_err() {
                    open.fetch_sub(1, Ordering::Relaxed);
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            // A connection reset before it was accepted, out of file
            // handles for a moment: try again shortly.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn serve(
    mut stream: TcpStream,
    api: &Api,
    peer: SocketAddr,
    limits: ListenerLimits,
    tls: Option<Arc<ServerConfig>>,
) {
    let ready = stream.set_nonblocking(false).is_ok()
        && stream.set_read_timeout(Some(limits.idle)).is_ok()
        && stream.set_write_timeout(Some(limits.idle)).is_ok();
    if !ready {
        return;
    }
    let _ = stream.set_nodelay(true);
    match tls.map(ServerConnection::new) {
        None => {
            connection::serve_connection(&mut stream, api, peer.ip(), limits.connection);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Some(Ok(session)) => {
            // The handshake happens on the first read, within the same timeouts.
            let mut secured = StreamOwned::new(session, stream);
            connection::serve_connection(&mut secured, api, peer.ip(), limits.connection);
            secured.conn.send_close_notify();
            let _ = secured.flush();
            let _ = secured.sock.shutdown(std::net::Shutdown::Both);
        }
        Some(Err(_)) => {}
    }
}

/// Answers 503 on the accept thread, briefly: the request (if it came
/// within a tenth of a second) is read and dropped first, so closing does
/// not reset the connection before the client has read the answer.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
    let mut request = [0u8; 8192];
    let _ = stream.read(&mut request);
    let answer = Answer::error(503, "too many connections: try again shortly");
    let _ = connection::write_answer(&mut stream, &answer, false, true);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::auth::Token;
    use crate::serve::catalog::Limits;
    use crate::serve::roots::ServedRoots;

    const TOKEN: &str = "Deployment-Token-2026";

    fn start(limits: ListenerLimits) -> (tempfile::TempDir, Listener) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.log"), "0123456789").unwrap();
        let roots = ServedRoots::new(&[dir.path().to_path_buf()]).unwrap();
        let api = Api::new(roots, Token::from_text(TOKEN).unwrap(), Limits::default());
        let socket = TcpListener::bind("127.0.0.1:0").unwrap();
        (dir, Listener::start(socket, Arc::new(api), limits).unwrap())
    }

    /// Waits (at most `within`) until `count` connections are being served.
    fn open_becomes(listener: &Listener, count: usize, within: Duration) -> bool {
        let start = std::time::Instant::now();
        while listener.open_connections() != count {
            if start.elapsed() > within {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// One request on a new connection; the whole answer.
    fn ask(address: SocketAddr, target: &str) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn a_client_is_answered_while_200_idle_connections_are_open() {
        let (_dir, listener) = start(ListenerLimits::default());
        let idle: Vec<TcpStream> = (0..200)
            .map(|_| TcpStream::connect(listener.address()).unwrap())
            .collect();
        let answer = ask(listener.address(), "/v1/bytes/0/a.log?offset=2&length=3");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n234"), "{answer}");
        drop(idle);
    }

    #[test]
    fn silent_connections_are_let_go_and_extra_ones_refused() {
        let limits = ListenerLimits {
            max_connections: 4,
            idle: Duration::from_millis(300),
            connection: ConnectionLimits::default(),
        };
        let (_dir, listener) = start(limits);
        let idle: Vec<TcpStream> = (0..4)
            .map(|_| TcpStream::connect(listener.address()).unwrap())
            .collect();
        assert!(open_becomes(&listener, 4, Duration::from_secs(1)));
        let busy = ask(listener.address(), "/v1/files");
        assert!(busy.starts_with("HTTP/1.1 503 "), "{busy}");
        // The idle ones time out; then a client is served again.
        assert!(open_becomes(&listener, 0, Duration::from_secs(2)));
        let answer = ask(listener.address(), "/v1/files");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        drop(idle);
    }

    #[test]
    fn stopping_ends_the_accept_loop() {
        let (_dir, mut listener) = start(ListenerLimits::default());
        let address = listener.address();
        listener.stop();
        // Nothing accepts any more: a connection is refused or never answered.
        if let Ok(mut stream) = TcpStream::connect(address) {
            stream
                .set_read_timeout(Some(Duration::from_millis(300)))
                .unwrap();
            let _ = write!(stream, "GET /v1/files HTTP/1.1\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            assert!(answer.is_empty(), "{answer}");
        }
    }
}
