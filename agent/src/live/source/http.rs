//! A small HTTP/1.1 client for the sources (hyper-util's pooled client):
//! plain `http://` URLs, basic auth from the URL's user info, bounded
//! response bodies. Credentials never appear in messages.

use std::time::Duration;

use http_body_util::{BodyExt as _, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as Pool;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The largest response body a source reads.
pub const MAX_BODY: usize = 4 << 20;

/// A parsed `scheme://[user[:password]@]host[:port][/path]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    /// `http`, `amqp`, ...
    pub scheme: String,
    /// The user, percent-decoded.
    pub user: Option<String>,
    /// The password, percent-decoded.
    pub password: Option<String>,
    /// The host (an IPv6 address keeps its brackets).
    pub host: String,
    /// The port, when given.
    pub port: Option<u16>,
    /// The path, as written (percent-encoded), without a trailing `/`.
    pub path: String,
}

impl std::fmt::Debug for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Url {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Url, String> {
        let (scheme, rest) = text.split_once("://").ok_or_else(|| {
            "a URL starts with scheme:// (e.g. http://127.0.0.1:9090)".to_string()
        })?;
        let scheme = scheme.to_ascii_lowercase();
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((a, b)) => (Some(percent_decode(a)), Some(percent_decode(b))),
                None => (Some(percent_decode(u)), None),
            },
            None => (None, None),
        };
        let (host, port) = if let Some(end) = hostport.strip_prefix('[').and_then(|h| h.find(']')) {
            let host = &hostport[..end + 2];
            let port = hostport[end + 2..].strip_prefix(':');
            (host.to_string(), port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(format!("{}: no host", redact(text)));
        }
        let port = match port {
            Some(p) => Some(
                p.parse::<u16>()
                    .map_err(|_| format!("{}: bad port {p:?}", redact(text)))?,
            ),
            None => None,
        };
        Ok(Url {
            scheme,
            user,
            password,
            host,
            port,
            path: path.trim_end_matches('/').to_string(),
        })
    }

    /// `scheme://host:port` (no credentials, no path).
    pub fn origin(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// The URL with the password replaced by `***`, for messages.
    pub fn redacted(&self) -> String {
        let user = match (&self.user, &self.password) {
            (Some(u), Some(_)) => format!("{u}:***@"),
            (Some(u), None) => format!("{u}@"),
            _ => String::new(),
        };
        let origin = self.origin();
        let (scheme, rest) = origin.split_once("://").unwrap_or(("", &origin));
        format!("{scheme}://{user}{rest}{}", self.path)
    }
}

/// Hides the user info of a URL written as text (without parsing it).
pub fn redact(text: &str) -> String {
    match text.split_once("://") {
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
    }
}

/// `%2f` -> `/`; `+` is kept (paths and user info, not forms).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters (RFC 3986), as a
/// path segment or a query value needs.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Standard base64 with padding (for basic auth).
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// A pooled HTTP/1.1 client.
#[derive(Clone, Debug)]
pub struct Client {
    pool: Pool<HttpConnector, Empty<Bytes>>,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client with a 5 s connect timeout and idle connections kept 30 s.
    pub fn new() -> Client {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(5)));
        connector.set_nodelay(true);
        let pool = Pool::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(2)
            .build(connector);
        Client { pool }
    }

    /// `GET base + path_and_query`, with basic auth when `base` carries a
    /// user; returns the status and the body (at most [`MAX_BODY`] bytes).
    pub async fn get(&self, base: &Url, path_and_query: &str) -> Result<(u16, Bytes), String> {
        if base.scheme != "http" {
            return Err(format!(
                "{}: only http:// is supported by this build (no TLS)",
                base.redacted()
            ));
        }
        let uri = format!("{}{}", base.origin(), path_and_query);
        let mut req = hyper::Request::get(&uri).header("accept", "application/json");
        if let Some(user) = &base.user {
            let pair = format!("{user}:{}", base.password.as_deref().unwrap_or(""));
            req = req.header(
                "authorization",
                format!("Basic {}", base64(pair.as_bytes())),
            );
        }
        let req = req
            .body(Empty::new())
            .map_err(|e| format!("GET {}{path_and_query}: {e}", base.origin()))?;
        let shown = base.origin();
        let resp = self
            .pool
            .request(req)
            .await
            .map_err(|e| format!("GET {shown}: {}", error_chain(&e)))?;
        let status = resp.status().as_u16();
        let body = Limited::new(resp.into_body(), MAX_BODY)
            .collect()
            .await
            .map_err(|e| format!("GET {shown}: reading the body: {e}"))?
            .to_bytes();
        Ok((status, body))
    }
}

/// An error and its sources, joined (`client error (Connect): tcp connect
/// error: Connection refused (os error 111)`).
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
    fn parses_urls() {
        let u = Url::parse("amqp://guest:pa%40ss@127.0.0.1:5672/%2f").unwrap();
        assert_eq!(u.scheme, "amqp");
        assert_eq!(u.user.as_deref(), Some("guest"));
        assert_eq!(u.password.as_deref(), Some("pa@ss"));
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", Some(5672)));
        assert_eq!(u.path, "/%2f");
        assert_eq!(u.redacted(), "amqp://guest:***@127.0.0.1:5672/%2f");
        let u = Url::parse("http://[::1]:9090/").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("[::1]", Some(9090), "")
        );
        assert!(Url::parse("localhost:9090").is_err());
        assert!(Url::parse("http://h:99999").is_err());
        assert_eq!(redact("amqp://u:secret@h/v"), "amqp://u:***@h/v");
    }

    #[test]
    fn encodes() {
        assert_eq!(percent_encode("a b/{x=\"1\"}"), "a%20b%2F%7Bx%3D%221%22%7D");
        assert_eq!(percent_decode("%2f%2F%zz"), "//%zz");
        assert_eq!(base64(b"guest:guest"), "Z3Vlc3Q6Z3Vlc3Q=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
