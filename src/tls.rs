//! TLS for `serve` and its clients without a certificate authority: the
//! server makes a self-signed certificate at each start and prints its
//! SHA-256 fingerprint; a client pins that fingerprint and accepts no other
//! certificate, so neither the token nor the logs cross the network in
//! clear and a machine in the middle cannot pass for the server.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme};

/// SHA-256 of a certificate (DER).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of `certificate` (DER bytes).
    pub fn of(certificate: &[u8]) -> Fingerprint {
        let digest = ring::digest::digest(&ring::digest::SHA256, certificate);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(digest.as_ref());
        Fingerprint(bytes)
    }

    /// 64 lowercase hex digits (the form in `#…&pin=sha256:HEX`).
    pub fn hex(&self) -> String {
        self.0.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// Uppercase hex in pairs separated by colons, for reading aloud and
    /// comparing with what a browser shows.
    pub fn colons(&self) -> String {
        self.0
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Reads 64 hex digits, with or without colons or spaces between
    /// pairs, in either case.
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let digits: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b':' | b' ' | b'-'))
            .collect();
        if digits.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            let pair = std::str::from_utf8(pair).ok()?;
            bytes[i] = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Fingerprint(bytes))
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({})", self.hex())
    }
}

/// The ring provider: X25519 and P-256 key exchange, AES-GCM and
/// ChaCha20. (rustls 0.23.48 marks it deprecated for lacking post-quantum
/// key exchange; the other provider, aws-lc-rs, needs CMake and NASM to
/// cross-build the Windows and WinPE executables. The threat here is a
/// machine on the deployment network today, not a recording decrypted by
/// a quantum computer later.)
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A certificate made for this run of the server.
#[derive(Debug, Clone)]
pub struct ServerIdentity {
    /// The configuration to accept TLS connections with.
    pub config: Arc<ServerConfig>,
    /// The certificate's fingerprint, to print.
    pub fingerprint: Fingerprint,
}

/// Makes a self-signed certificate (ECDSA P-256) for `names` (host names
/// and addresses the server is reached by) and a server configuration
/// with it (TLS 1.3 and 1.2). Nothing is written to disk.
pub fn self_signed(names: &[String]) -> Result<ServerIdentity, String> {
    let (certificate, key) = make_certificate(names)?;
    server_identity(
        certificate.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

fn make_certificate(names: &[String]) -> Result<(rcgen::Certificate, rcgen::KeyPair), String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot make a certificate: {e}");
    let key = rcgen::KeyPair::generate().map_err(|e| failed(&e))?;
    let mut params = rcgen::CertificateParams::new(names.to_vec()).map_err(|e| failed(&e))?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "LogWeave serve");
    // Valid for years: a copy kept in a boot image outlives many deployments.
    params.not_before = rcgen::date_time_ymd(2024, 1, 1);
    params.not_after = rcgen::date_time_ymd(2049, 12, 31);
    let certificate = params.self_signed(&key).map_err(|e| failed(&e))?;
    Ok((certificate, key))
}

/// The certificate and key kept in `file` (PEM), made there first when
/// the file does not exist: the fingerprint then stays the same when the
/// server starts again (after the reboot into the new operating system)
/// and on every machine given the same file. The key is the server's
/// identity: whoever has the file can pass for the server.
pub fn kept_in_file(file: &std::path::Path) -> Result<ServerIdentity, String> {
    use rustls::pki_types::pem::PemObject;
    let named = |e: &dyn std::fmt::Display| format!("{}: {e}", file.display());
    if !file.exists() {
        let (certificate, key) = make_certificate(&["logweave-serve".to_owned()])?;
        let text = format!("{}{}", certificate.pem(), key.serialize_pem());
        write_private(file, text.as_bytes()).map_err(|e| named(&e))?;
    }
    let certificate = CertificateDer::from_pem_file(file).map_err(|e| named(&e))?;
    let key = PrivateKeyDer::from_pem_file(file).map_err(|e| named(&e))?;
    server_identity(certificate, key)
}

/// Writes a new file only its owner can read (on Unix; on Windows the
/// folder's permissions apply).
fn write_private(file: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)?.write_all(bytes)
}

fn server_identity(
    der: CertificateDer<'static>,
    private: PrivateKeyDer<'static>,
) -> Result<ServerIdentity, String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot use the certificate: {e}");
    let fingerprint = Fingerprint::of(&der);
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&e))?
        .with_no_client_auth()
        .with_single_cert(vec![der], private)
        .map_err(|e| failed(&e))?;
    Ok(ServerIdentity {
        config: Arc::new(config),
        fingerprint,
    })
}

/// Accepts exactly one certificate: the one whose fingerprint it was
/// given. Remembers the fingerprint it was shown (to tell a person what
/// the server presented when it did not match, or when no pin was known).
#[derive(Debug)]
struct PinnedCertificate {
    pin: Option<Fingerprint>,
    seen: SeenFingerprint,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let shown = Fingerprint::of(end_entity);
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(shown);
        if self.pin == Some(shown) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Where a client's verifier writes the fingerprint the server showed.
pub type SeenFingerprint = Arc<Mutex<Option<Fingerprint>>>;

/// A client configuration that accepts only the certificate `pin` names
/// (`None`: none at all — a handshake that only learns the server's
/// fingerprint), and where the fingerprint shown is written.
pub fn pinned_client(
    pin: Option<Fingerprint>,
) -> Result<(Arc<ClientConfig>, SeenFingerprint), String> {
    let seen = Arc::new(Mutex::new(None));
    let provider = provider();
    let verifier = PinnedCertificate {
        pin,
        seen: Arc::clone(&seen),
        provider: Arc::clone(&provider),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((Arc::new(config), seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_read_back_in_every_written_form() {
        let print = Fingerprint::of(b"certificate");
        assert_eq!(Fingerprint::parse(&print.hex()), Some(print));
        assert_eq!(Fingerprint::parse(&print.colons()), Some(print));
        assert_eq!(Fingerprint::parse(&print.hex().to_uppercase()), Some(print));
        assert_eq!(print.hex().len(), 64);
        assert_eq!(Fingerprint::parse("abc"), None);
        assert_eq!(Fingerprint::parse(&"zz".repeat(32)), None);
    }

    #[test]
    fn a_kept_certificate_has_the_same_fingerprint_at_each_start() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("serve.pem");
        let first = kept_in_file(&file).unwrap();
        let again = kept_in_file(&file).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(text.contains("-----BEGIN PRIVATE KEY-----"));
        std::fs::write(&file, "not a certificate").unwrap();
        assert!(kept_in_file(&file).unwrap_err().contains("serve.pem"));
    }

    #[test]
    fn a_certificate_is_made_with_its_fingerprint() {
        let one = self_signed(&["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let two = self_signed(&["localhost".to_owned()]).unwrap();
        assert_ne!(one.fingerprint, two.fingerprint);
    }
}
