//! A `logweave serve` child on a free loopback port and the address it
//! printed for 127.0.0.1 (with the certificate's pin, or plain `http://`):
//! shared by tests/serve.rs, tests/ui_served.rs and benches/serve.rs.
#![allow(dead_code)] // each user takes its own part

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `logweave serve`, killed when dropped.
pub struct Served {
    pub child: Child,
    /// The loopback address it printed: `https://127.0.0.1:PORT/#TOKEN&pin=…`.
    pub address: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Serves `folder` with the token in `token_file`; `extra` are more
    /// options. Its stdout is read to the end in a thread.
    pub fn start(folder: &Path, token_file: &Path, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_logweave"))
            .args(["serve", "--bind", "127.0.0.1", "--port", "0"])
            .arg("--token-file")
            .arg(token_file)
            .args(extra)
            .arg(folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start logweave serve");
        let stdout = child.stdout.take().expect("serve's stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("://127.0.0.1") {
                    let start = line[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1);
                    let _ = tx.send(line[start..].trim().to_owned());
                }
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve printed its loopback address");
        Served { child, address }
    }

    pub fn parsed(&self) -> logweave::remote::RemoteAddress {
        logweave::remote::RemoteAddress::parse(&self.address).expect("the printed address parses")
    }

    /// `host:port`.
    pub fn socket(&self) -> String {
        let address = self.parsed();
        format!("{}:{}", address.host, address.port)
    }
}
