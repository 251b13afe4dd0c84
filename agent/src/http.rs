//! The HTTP client of every network source (Prometheus, RabbitMQ's
//! management API, `replicast record`): reqwest on rustls with the `ring`
//! provider (no OpenSSL, no aws-lc), `https://` verified against the web PKI
//! roots (webpki-roots) or, with `--ca-file`, against that file's CAs only
//! (as Prometheus' `tls_config.ca_file` and curl's `--cacert` do), bearer or
//! basic auth, and a timeout per request.
//!
//! Credentials travel only in the `Authorization` header: a URL's user info
//! (`http://user:pass@host`) is taken out of the URL and sent as basic auth,
//! and every message names the URL without it ([`redacted`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use serde::Deserialize;
use url::Url;

/// The largest response body a source reads.
pub const MAX_BODY: usize = 4 << 20;

/// The timeout of a request when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How to reach an HTTP server: trust, credentials, timeout. The same names
/// are the command line's (`--ca-file`, ...) and a source's in the agent's
/// configuration (`caFile:`, `bearerTokenFile:`, `basicAuthFile:`).
#[derive(Clone, Debug, Default, PartialEq, clap::Args, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpOptions {
    /// Trust only the CA certificates in this PEM file for https (default:
    /// the web PKI roots).
    #[arg(long, value_name = "FILE")]
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Send `Authorization: Bearer TOKEN`, the token read from this file (a
    /// mounted Secret; surrounding white space is dropped).
    #[arg(long, value_name = "FILE", conflicts_with = "basic_auth_file")]
    #[serde(default)]
    pub bearer_token_file: Option<PathBuf>,
    /// Send basic auth, `user:password` read from this file.
    #[arg(long, value_name = "FILE")]
    #[serde(default)]
    pub basic_auth_file: Option<PathBuf>,
    /// A request that takes longer fails (`500ms`, `10s`; default 10s).
    #[arg(long = "timeout", value_name = "DURATION", value_parser = parse_timeout)]
    #[serde(default, deserialize_with = "timeout_de")]
    pub timeout: Option<Duration>,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    crate::live::config::parse_secs(text).and_then(|s| {
        if s > 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err("a timeout must be more than 0".into())
        }
    })
}

fn timeout_de<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let secs = crate::live::config::Secs::deserialize(d)?;
    parse_timeout(&secs.0.to_string())
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// The credentials a request carries.
#[derive(Clone)]
enum Auth {
    None,
    Bearer(String),
    Basic(String, String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "none",
            Auth::Bearer(_) => "bearer (hidden)",
            Auth::Basic(..) => "basic (hidden)",
        })
    }
}

/// A pooled client with its options applied.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: reqwest::Client,
    auth: Auth,
}

/// An answer: its status and body (at most [`MAX_BODY`] bytes).
#[derive(Clone, Debug)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body's start, as text, for messages.
    pub fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body[..self.body.len().min(200)]).into_owned()
    }
}

impl HttpClient {
    /// A client for `options`: reads the CA, token and password files now,
    /// so that a missing one is an error at start, with its path.
    pub fn new(options: &HttpOptions) -> Result<HttpClient, String> {
        let auth = match (&options.bearer_token_file, &options.basic_auth_file) {
            (Some(_), Some(_)) => {
                return Err("give a bearer token file or a basic auth file, not both".into());
            }
            (Some(path), None) => Auth::Bearer(read_secret(path, "bearer token")?),
            (None, Some(path)) => {
                let pair = read_secret(path, "basic auth")?;
                let (user, password) = pair.split_once(':').ok_or_else(|| {
                    format!(
                        "{}: the basic auth file holds user:password",
                        path.display()
                    )
                })?;
                Auth::Basic(user.to_string(), password.to_string())
            }
            (None, None) => Auth::None,
        };
        let timeout = options.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let inner = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config(options.ca_file.as_deref())?)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(2)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| format!("building the HTTP client: {}", error_chain(&e)))?;
        Ok(HttpClient { inner, auth })
    }

    /// `GET url?query` (the pairs percent-encoded and appended to the URL's
    /// own). A URL's user info becomes basic auth unless the options give
    /// credentials. Fails only when no answer came; any status is returned.
    pub async fn get(&self, url: &Url, query: &[(&str, &str)]) -> Result<Response, String> {
        let mut target = url.clone();
        let userinfo = take_userinfo(&mut target);
        if !query.is_empty() {
            target.query_pairs_mut().extend_pairs(query);
        }
        let shown = redacted(url);
        let mut req = self
            .inner
            .get(target)
            .header(ACCEPT, "application/json, text/plain;q=0.9, */*;q=0.1");
        req = match (&self.auth, userinfo) {
            (Auth::Bearer(token), _) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                    .map_err(|_| format!("GET {shown}: the bearer token is not a header value"))?;
                value.set_sensitive(true);
                req.header(AUTHORIZATION, value)
            }
            (Auth::Basic(user, password), _) => req.basic_auth(user, Some(password)),
            (Auth::None, Some((user, password))) => req.basic_auth(user, password),
            (Auth::None, None) => req,
        };
        let mut resp = req
            .send()
            .await
            .map_err(|e| format!("GET {shown}: {}", error_chain(&e.without_url())))?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| format!("GET {shown}: reading the body: {}", error_chain(&e)))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(format!(
                    "GET {shown}: the body is over {} MiB",
                    MAX_BODY >> 20
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, body })
    }

    /// `GET` that wants a 2xx JSON answer.
    pub async fn get_json(
        &self,
        url: &Url,
        query: &[(&str, &str)],
    ) -> Result<serde_json::Value, String> {
        let resp = self.get(url, query).await?;
        if !(200..300).contains(&resp.status) {
            return Err(format!(
                "GET {}: HTTP {}: {}",
                redacted(url),
                resp.status,
                resp.excerpt()
            ));
        }
        serde_json::from_slice(&resp.body)
            .map_err(|e| format!("GET {}: the answer is not JSON: {e}", redacted(url)))
    }

    /// `GET` that wants a 2xx answer, as text.
    pub async fn get_text(&self, url: &Url, query: &[(&str, &str)]) -> Result<String, String> {
        let resp = self.get(url, query).await?;
        if !(200..300).contains(&resp.status) {
            return Err(format!(
                "GET {}: HTTP {}: {}",
                redacted(url),
                resp.status,
                resp.excerpt()
            ));
        }
        String::from_utf8(resp.body)
            .map_err(|_| format!("GET {}: the answer is not UTF-8", redacted(url)))
    }
}

/// Parses a URL, with a message that does not repeat its password.
pub fn parse_url(text: &str) -> Result<Url, String> {
    Url::parse(text).map_err(|e| format!("{}: {e}", redact_text(text)))
}

/// The URL with its password replaced by `***` and no query, for messages.
pub fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// [`redacted`] for a URL that may not parse: the user info's password is
/// hidden by text.
pub fn redact_text(text: &str) -> String {
    match Url::parse(text) {
        Ok(url) => redacted(&url),
        Err(_) => match text.split_once("://") {
            Some((scheme, rest)) => {
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                match rest[..end].rsplit_once('@') {
                    Some((user, host)) => {
                        let user = user.split(':').next().unwrap_or("");
                        format!("{scheme}://{user}:***@{host}{}", &rest[end..])
                    }
                    None => text.to_string(),
                }
            }
            None => text.to_string(),
        },
    }
}

/// Removes the user info from `url`, returning it (percent-decoded).
fn take_userinfo(url: &mut Url) -> Option<(String, Option<String>)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let user = decode(url.username());
    let password = url.password().map(decode);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some((user, password))
}

/// Reads a secret file (a token, `user:password`), trimmed.
fn read_secret(path: &Path, what: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("reading the {what} file {}: {e}", path.display()))?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(format!("the {what} file {} is empty", path.display()));
    }
    Ok(text)
}

/// The CA certificates of a PEM file.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("reading the CA file {}: {e}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("reading the CA file {}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "the CA file {} holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certs)
}

/// rustls on `ring`, trusting the web PKI roots or only `ca_file`'s CAs.
pub fn tls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            for cert in read_ca_file(path)? {
                roots
                    .add(cert)
                    .map_err(|e| format!("the CA file {}: {e}", path.display()))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// An error and its sources, joined (`error sending request: client error
/// (Connect): tcp connect error: Connection refused (os error 111)`).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_and_takes_user_info() {
        let url = parse_url("http://guest:pa%40ss@127.0.0.1:15672/%2f?token=x").unwrap();
        assert_eq!(redacted(&url), "http://guest:***@127.0.0.1:15672/%2f");
        let mut bare = url.clone();
        assert_eq!(
            take_userinfo(&mut bare),
            Some(("guest".into(), Some("pa@ss".into())))
        );
        assert_eq!(bare.as_str(), "http://127.0.0.1:15672/%2f?token=x");
        assert_eq!(
            redact_text("amqp://u:secret@h:bad/v"),
            "amqp://u:***@h:bad/v"
        );
        let e = parse_url("http://u:secret@h:99999").unwrap_err();
        assert!(!e.contains("secret"), "{e}");
    }

    #[test]
    fn options_from_the_configuration() {
        let o: HttpOptions = serde_json::from_value(serde_json::json!({
            "caFile": "/ca.pem", "bearerTokenFile": "/t", "timeout": "1500ms"
        }))
        .unwrap();
        assert_eq!(o.ca_file.as_deref(), Some(Path::new("/ca.pem")));
        assert_eq!(o.timeout, Some(Duration::from_millis(1500)));
        assert!(HttpClient::new(&o).unwrap_err().contains("/t"));
    }

    #[test]
    fn options_on_the_command_line() {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            http: HttpOptions,
        }
        let cli = Cli::try_parse_from([
            "x",
            "--ca-file",
            "ca.pem",
            "--bearer-token-file",
            "token",
            "--timeout",
            "2s",
        ])
        .unwrap();
        assert_eq!(cli.http.ca_file.as_deref(), Some(Path::new("ca.pem")));
        assert_eq!(cli.http.timeout, Some(Duration::from_secs(2)));
        let both = ["x", "--bearer-token-file", "t", "--basic-auth-file", "b"];
        assert!(Cli::try_parse_from(both).is_err());
        assert!(Cli::try_parse_from(["x", "--timeout", "0s"]).is_err());
    }

    #[test]
    fn secret_files() {
        let dir = std::env::temp_dir().join(format!("replicast-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let basic = dir.join("basic");
        std::fs::write(&basic, "no colon\n").unwrap();
        let o = HttpOptions {
            basic_auth_file: Some(basic.clone()),
            ..HttpOptions::default()
        };
        assert!(HttpClient::new(&o).unwrap_err().contains("user:password"));
        std::fs::write(&basic, "").unwrap();
        assert!(HttpClient::new(&o).unwrap_err().contains("is empty"));
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, "not a certificate").unwrap();
        let o = HttpOptions {
            ca_file: Some(ca),
            ..HttpOptions::default()
        };
        assert!(
            HttpClient::new(&o)
                .unwrap_err()
                .contains("no PEM certificate")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
