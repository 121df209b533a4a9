//! `serve`'s request handling on arbitrary bytes: the request head parser
//! (never panics; a parsed head ends inside the bytes and within
//! `MAX_HEAD_BYTES`), the token comparison on whatever bearer arrives, and
//! path resolution of `/v1/files/ROOT/PATH` against a real served folder
//! with a file outside it: whatever resolves is a regular file inside the
//! root, and the file outside is never reached.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use logweave::serve::auth::Token;
use logweave::serve::request::{self, MAX_HEAD_BYTES};
use logweave::serve::roots::ServedRoots;

struct Served {
    _dir: tempfile::TempDir,
    roots: ServedRoots,
    secret: PathBuf,
}

fn served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Logs");
        std::fs::create_dir_all(root.join("SMSTSLog")).unwrap();
        std::fs::write(root.join("SMSTSLog").join("smsts.log"), "x").unwrap();
        std::fs::write(root.join("a b.log"), "x").unwrap();
        let secret = dir.path().join("secret.log");
        std::fs::write(&secret, "outside").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&secret, root.join("escape.log")).unwrap();
        let roots = ServedRoots::new(&[root]).unwrap();
        Served { _dir: dir, roots, secret: std::fs::canonicalize(&secret).unwrap() }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let token = Token::from_text("Deployment-Token-2026").unwrap();
    let Ok((request, end)) = request::parse(bytes) else {
        return;
    };
    assert!(end <= bytes.len() && end <= MAX_HEAD_BYTES);
    if let Some(bearer) = &request.bearer {
        assert_eq!(token.matches(bearer.as_bytes()), bearer == token.as_str());
    }
    let served = served();
    if let Some(rest) = request.path.strip_prefix("/v1/files/") {
        let (root, path) = rest.split_once('/').unwrap_or((rest, ""));
        if let Ok(root) = root.parse::<usize>() {
            if let Ok(file) = served.roots.resolve(root, path) {
                let (_, first) = served.roots.roots().next().expect("one served root");
                assert!(file.starts_with(first), "{file:?}");
                assert!(file.is_file());
                assert_ne!(file, served.secret);
            }
        }
    }
});
