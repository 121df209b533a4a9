//! Who may read what `logweave serve` shares: the access token (random, or
//! one the admin already knows from `--token-file`), compared in constant
//! time, and the per-address limit on failed attempts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The shared secret a client shows (`Authorization: Bearer TOKEN`, or the
/// URL fragment the web page reads).
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Tokens chosen by an admin must be at least this long: a short one is
/// guessed within the attempt limit's reach.
pub const MIN_TOKEN_CHARS: usize = 16;

impl Token {
    /// 32 random bytes from the operating system, as 43 URL-safe base64
    /// characters (256 bits: never guessed).
    pub fn generate() -> Result<Token, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|error| format!("no random numbers from the system: {error}"))?;
        Ok(Token(base64_url(&bytes)))
    }

    /// A token an admin chose (`--token-file`, or the environment), with
    /// surrounding white space (a file's newline) removed. It must be
    /// [`MIN_TOKEN_CHARS`] long and printable ASCII without spaces, so it
    /// survives a URL fragment and an HTTP header as it is.
    pub fn from_text(text: &str) -> Result<Token, String> {
        let token = text.trim();
        if token.chars().count() < MIN_TOKEN_CHARS {
            return Err(format!(
                "the token is too short: at least {MIN_TOKEN_CHARS} characters"
            ));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the token may hold printable ASCII characters only, no spaces".to_owned());
        }
        if token.contains(['#', '&']) {
            return Err(
                "the token may not hold '#' or '&' (they end it in the address)".to_owned(),
            );
        }
        Ok(Token(token.to_owned()))
    }

    /// The token's text, to print in the URL `serve` shows.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this token. The time taken depends on the
    /// lengths only, never on where the first difference is, so timing
    /// tells an attacker nothing about the token's characters.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let expected = self.0.as_bytes();
        let mut difference = expected.len() ^ presented.len();
        for (index, &byte) in presented.iter().enumerate() {
            let other = expected.get(index % expected.len().max(1)).copied();
            difference |= usize::from(byte ^ other.unwrap_or(0));
        }
        std::hint::black_box(difference) == 0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// URL-safe base64 without padding (RFC 4648 §5).
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Counts failed attempts per client address: after `max_failures` within
/// `window`, the address is refused (without even comparing its token)
/// until the window has passed since its last failure. Remembers at most
/// `capacity` addresses (the ones with the oldest failure go first), so a
/// flood from many addresses cannot grow the server's memory.
#[derive(Debug)]
pub struct AttemptLimiter {
    max_failures: u32,
    window: Duration,
    capacity: usize,
    failures: HashMap<IpAddr, (u32, Instant)>,
}

impl AttemptLimiter {
    /// `max_failures` failed attempts per `window` and address, for at most
    /// `capacity` addresses.
    pub fn new(max_failures: u32, window: Duration, capacity: usize) -> AttemptLimiter {
        AttemptLimiter {
            max_failures: max_failures.max(1),
            window,
            capacity: capacity.max(1),
            failures: HashMap::new(),
        }
    }

    /// Whether `address` may try a token `now`.
    pub fn allows(&self, address: IpAddr, now: Instant) -> bool {
        match self.failures.get(&address) {
            Some(&(count, last)) => {
                count < self.max_failures || now.saturating_duration_since(last) >= self.window
            }
            None => true,
        }
    }

    /// Notes a failed attempt from `address` at `now`.
    pub fn failed(&mut self, address: IpAddr, now: Instant) {
        let window = self.window;
        if !self.failures.contains_key(&address) && self.failures.len() >= self.capacity {
            self.failures
                .retain(|_, &mut (_, last)| now.saturating_duration_since(last) < window);
            if self.failures.len() >= self.capacity
                && let Some(oldest) = self
                    .failures
                    .iter()
                    .min_by_key(|(_, (_, last))| *last)
                    .map(|(address, _)| *address)
            {
                self.failures.remove(&oldest);
            }
        }
        let entry = self.failures.entry(address).or_insert((0, now));
        if now.saturating_duration_since(entry.1) >= window {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = now;
    }

    /// Forgets `address`'s failures after it showed the right token.
    pub fn succeeded(&mut self, address: IpAddr) {
        self.failures.remove(&address);
    }

    /// How many addresses are remembered.
    pub fn remembered(&self) -> usize {
        self.failures.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_random_and_url_safe() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert!(Token::from_text(a.as_str()).is_ok());
        assert_eq!(format!("{a:?}"), "Token(…)", "never printed by accident");
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        // RFC 4648 §10, without padding.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_url(plain.as_bytes()), encoded);
        }
        assert_eq!(base64_url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn chosen_tokens_are_checked() {
        assert!(Token::from_text("short").is_err());
        assert!(Token::from_text("sixteen chars !!").is_err(), "a space");
        assert!(Token::from_text("héllo-wörld-12345").is_err());
        assert!(
            Token::from_text("Deployment&Token#2026").is_err(),
            "ends it in the address"
        );
        let token = Token::from_text("  Deployment-Token-2026\r\n").unwrap();
        assert_eq!(token.as_str(), "Deployment-Token-2026");
    }

    #[test]
    fn only_the_exact_token_matches() {
        let token = Token::from_text("Deployment-Token-2026").unwrap();
        assert!(token.matches(b"Deployment-Token-2026"));
        for wrong in [
            &b""[..],
            b"Deployment-Token-202",
            b"Deployment-Token-20266",
            b"deployment-Token-2026",
            b"Deployment-Token-2027",
            b"Deployment-Token-2026Deployment-Token-2026",
        ] {
            assert!(!token.matches(wrong), "{}", String::from_utf8_lossy(wrong));
        }
    }

    #[test]
    fn failures_lock_an_address_out_for_the_window_only() {
        let start = Instant::now();
        let window = Duration::from_secs(60);
        let mut limiter = AttemptLimiter::new(3, window, 100);
        let attacker: IpAddr = "192.0.2.7".parse().unwrap();
        let admin: IpAddr = "192.0.2.8".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.allows(attacker, start));
            limiter.failed(attacker, start);
        }
        assert!(!limiter.allows(attacker, start + Duration::from_secs(59)));
        assert!(limiter.allows(admin, start), "other addresses are not held");
        // Trying again while locked out extends the lock.
        limiter.failed(attacker, start + Duration::from_secs(59));
        assert!(!limiter.allows(attacker, start + Duration::from_secs(100)));
        assert!(limiter.allows(attacker, start + Duration::from_secs(119)));
        limiter.failed(admin, start);
        limiter.succeeded(admin);
        assert_eq!(limiter.remembered(), 1);
    }

    #[test]
    fn a_flood_from_many_addresses_stays_within_capacity() {
        let start = Instant::now();
        let mut limiter = AttemptLimiter::new(3, Duration::from_secs(60), 64);
        for i in 0..10_000u32 {
            let address = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            limiter.failed(address, start + Duration::from_millis(u64::from(i)));
        }
        assert!(limiter.remembered() <= 64);
        // The newest addresses are the ones remembered.
        let newest = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + 9_999));
        for _ in 0..2 {
            limiter.failed(newest, start + Duration::from_secs(10));
        }
        assert!(!limiter.allows(newest, start + Duration::from_secs(10)));
    }
}
