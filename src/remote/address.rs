//! The address `logweave serve` prints, read back:
//! `https://HOST:PORT/[ID]#TOKEN[&pin=sha256:HEX]` (or `http://` for a
//! server started with `--plain-http`). The token and the pin travel in
//! the fragment, which no client sends over the network.

use std::fmt;

use crate::tls::Fingerprint;

/// A parsed server address.
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteAddress {
    /// False for `http://` (no TLS).
    pub tls: bool,
    /// Host name or address (IPv6 without its brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The file id after the host (empty: every served file).
    pub id: String,
    /// The token.
    pub token: String,
    /// The certificate's fingerprint, when the address carries it.
    pub pin: Option<Fingerprint>,
}

impl fmt::Debug for RemoteAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteAddress")
            .field("origin", &self.origin())
            .field("id", &self.id)
            .field("token", &"(hidden)")
            .field("pin", &self.pin)
            .finish()
    }
}

/// True when `text` looks like a server address rather than a file path.
pub fn is_remote(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

impl RemoteAddress {
    /// Reads an address; the error says what is missing or wrong.
    pub fn parse(text: &str) -> Result<RemoteAddress, String> {
        let text = text.trim();
        let (tls, rest) = if let Some(rest) = strip_prefix_ignoring_case(text, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ignoring_case(text, "http://") {
            (false, rest)
        } else {
            return Err("the address starts with https:// (or http://)".to_owned());
        };
        let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (authority, id) = rest.split_once('/').unwrap_or((rest, ""));
        let (host, port) = split_host_port(authority)
            .ok_or_else(|| format!("no host and port in {authority:?} (HOST:PORT)"))?;
        let mut token = "";
        let mut pin = None;
        for (i, part) in fragment.split('&').enumerate() {
            if let Some(value) = part.strip_prefix("pin=") {
                let hex = value.strip_prefix("sha256:").unwrap_or(value);
                pin = Some(
                    Fingerprint::parse(hex)
                        .ok_or("the pin is not a SHA-256 fingerprint (64 hex digits)")?,
                );
            } else if i == 0 {
                token = part;
            }
        }
        if token.is_empty() {
            return Err(
                "no token: the address ends with #TOKEN, as `logweave serve` printed it".to_owned(),
            );
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the token holds spaces or characters `logweave serve` never prints".to_owned(),
            );
        }
        Ok(RemoteAddress {
            tls,
            host,
            port,
            id: id.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            pin,
        })
    }

    /// `https://HOST:PORT` (no token, no pin): what paths of its files start with.
    pub fn origin(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }

    /// The path a served file `id` is opened by: `ORIGIN/ID`.
    pub fn file_path(&self, id: &str) -> String {
        format!("{}/{id}", self.origin())
    }
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `host:port` (a name or an IPv4 address) or `[v6]:port` (an IPv6
/// address, perhaps with a `%zone`).
fn split_host_port(authority: &str) -> Option<(String, u16)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let address = host.split_once('%').map_or(host, |(address, _)| address);
        address.parse::<std::net::Ipv6Addr>().ok()?;
        (host, after.strip_prefix(':')?)
    } else {
        let (host, port) = authority.rsplit_once(':')?;
        let name_like = host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        if !name_like {
            return None;
        }
        (host, port)
    };
    let port = port.parse::<u16>().ok().filter(|&p| p > 0)?;
    (!host.is_empty()).then(|| (host.to_owned(), port))
}

/// Splits a file path made by [`RemoteAddress::file_path`] into its
/// origin and id.
pub fn split_file_path(path: &str) -> Option<(&str, &str)> {
    let scheme_end = path.find("://")? + 3;
    let slash = scheme_end + path[scheme_end..].find('/')?;
    Some((&path[..slash], &path[slash + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_address_reads_back() {
        let hex = "ab".repeat(32);
        let address = RemoteAddress::parse(&format!(
            "https://10.1.2.3:8443/#tok-en_123&pin=sha256:{hex}"
        ))
        .unwrap();
        assert!(address.tls);
        assert_eq!((address.host.as_str(), address.port), ("10.1.2.3", 8443));
        assert_eq!(address.token, "tok-en_123");
        assert_eq!(address.pin.unwrap().hex(), hex);
        assert_eq!(address.id, "");
        assert_eq!(address.origin(), "https://10.1.2.3:8443");
        assert_eq!(
            address.file_path("0/SMSTSLog/smsts.log"),
            "https://10.1.2.3:8443/0/SMSTSLog/smsts.log"
        );
        let one = RemoteAddress::parse("HTTP://[fe80::1]:99/2/x.log#t").unwrap();
        assert!(!one.tls);
        assert_eq!(
            (one.host.as_str(), one.port, one.id.as_str()),
            ("fe80::1", 99, "2/x.log")
        );
        assert_eq!(one.origin(), "http://[fe80::1]:99");
        let zoned = RemoteAddress::parse("https://[fe80::1%eth0]:8443/#t").unwrap();
        assert_eq!(zoned.host, "fe80::1%eth0");
        assert!(format!("{one:?}").contains("hidden") && !format!("{one:?}").contains("\"t\""));
    }

    #[test]
    fn what_is_missing_is_said() {
        for bad in [
            "ftp://h:1/#t",
            "https://h/#t",
            "https://h:0/#t",
            "https://:5/#t",
            "https://h:5/",
            "https://h:5/#&pin=sha256:00",
            // Found by fuzz/remote_response: a host that could not be printed back.
            "https://e80::1]:8443/#t",
            "https://[not-v6]:8443/#t",
            "https://user@h:5/#t",
            "https://h h:5/#t",
            "https://h:5/#\r\n",
            "https://h:5/#t\u{e9}",
        ] {
            assert!(RemoteAddress::parse(bad).is_err(), "{bad}");
        }
        assert!(is_remote("https://h:1/#t") && is_remote("HTTP://x") && !is_remote("C:\\x.log"));
        assert_eq!(
            split_file_path("https://h:1/0/a/b.log"),
            Some(("https://h:1", "0/a/b.log"))
        );
    }
}
