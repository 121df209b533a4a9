//! What a client of `serve` reads from the network, on arbitrary bytes: an
//! answer's head and body (never panics; a body is exactly its
//! `Content-Length` and never over `MAX_BODY`; what was not part of the
//! answer is left unread for the next one), and the address a person
//! pastes (never panics; whatever parses prints back to an origin that
//! parses to the same host and port).
#![no_main]

use libfuzzer_sys::fuzz_target;
use logweave::remote::RemoteAddress;
use logweave::remote::client::{MAX_BODY, read_response};

fuzz_target!(|bytes: &[u8]| {
    let mut rest = bytes;
    if let Ok(response) = read_response(&mut rest) {
        assert!(response.body.len() <= MAX_BODY);
        let length: usize = response
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .expect("a read answer has its length");
        assert_eq!(response.body.len(), length);
        let used = bytes.len() - rest.len();
        assert!(bytes[..used].ends_with(&response.body));
        let _ = response.error_text();
    }
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(address) = RemoteAddress::parse(text)
    {
        let again = RemoteAddress::parse(&format!("{}/#{}", address.origin(), address.token))
            .expect("an origin printed from an address parses");
        assert_eq!((again.host, again.port, again.tls), (address.host, address.port, address.tls));
    }
});
