//! The sources' HTTP client (`replicast::http`) against a loopback server
//! that records what it received: credentials travel in the
//! `Authorization` header only, never in the request line, a message or a
//! log line (every log record, `log` and `tracing`, down to TRACE, is
//! captured and searched).

mod support;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::IntoResponse as _;
use axum::routing::get;
use replicast::http::{HttpClient, HttpOptions, parse_url};
use replicast::live::source::Source as _;
use replicast::live::source::prometheus::PrometheusSource;
use tokio::net::TcpListener;

const TOKEN: &str = "s3cret-token-0123456789";
const PASSWORD: &str = "pa55-w0rd-9876";

/// Every log line of the test process.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the server saw: request line target and Authorization header.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

async fn record(State(seen): State<Seen>, req: Request) -> axum::response::Response {
    let auth = req
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string());
    seen.lock().unwrap().push((req.uri().to_string(), auth));
    let ok = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"42"]}]}}"#;
    if req.uri().path().ends_with("/fail") {
        return (axum::http::StatusCode::UNAUTHORIZED, "no").into_response();
    }
    ([(axum::http::header::CONTENT_TYPE, "application/json")], ok).into_response()
}

#[tokio::test]
async fn credentials_only_in_the_authorization_header() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let seen: Seen = Arc::default();
    let app = Router::new().fallback(get(record)).with_state(seen.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = support::scratch("http-client");
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let basic_file = dir.join("basic");
    std::fs::write(&basic_file, format!("reader:{PASSWORD}")).unwrap();

    // Bearer, through the Prometheus source (the query in the query string).
    let mut prom = PrometheusSource::new(
        &format!("http://{addr}/prom/"),
        vec![("q".into(), "up{job=\"a b\"}".into())],
        true,
        HttpOptions {
            bearer_token_file: Some(token_file.clone()),
            timeout: Some(Duration::from_secs(5)),
            ..HttpOptions::default()
        },
    )
    .unwrap();
    let poll = prom.poll().await.unwrap();
    assert_eq!(poll.samples[0].value, 42.0);

    // Basic auth from a file, and from a URL's user info.
    let basic = HttpClient::new(&HttpOptions {
        basic_auth_file: Some(basic_file),
        ..HttpOptions::default()
    })
    .unwrap();
    let url = parse_url(&format!("http://{addr}/x")).unwrap();
    let v = basic.get_json(&url, &[("a", "1")]).await.unwrap();
    assert_eq!(v["status"], "success");
    let plain = HttpClient::new(&HttpOptions::default()).unwrap();
    let with_user = parse_url(&format!("http://guest:{PASSWORD}@{addr}/fail")).unwrap();
    let e = plain.get_text(&with_user, &[]).await.unwrap_err();
    assert!(e.contains("HTTP 401") && e.contains("guest:***@"), "{e}");

    // A server that is not there: the message names the URL, not the secret.
    let gone = parse_url(&format!("http://guest:{PASSWORD}@127.0.0.1:9/y")).unwrap();
    let e = plain.get(&gone, &[]).await.unwrap_err();
    assert!(e.contains("GET http://guest:***@127.0.0.1:9/y"), "{e}");
    assert!(!e.contains(PASSWORD), "{e}");

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        seen[0].0,
        "/prom/api/v1/query?query=up%7Bjob%3D%22a+b%22%7D"
    );
    assert_eq!(
        seen[0].1.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(seen[1].0, "/x?a=1");
    // base64 of `reader:{PASSWORD}` and `guest:{PASSWORD}`.
    assert_eq!(
        seen[1].1.as_deref(),
        Some("Basic cmVhZGVyOnBhNTUtdzByZC05ODc2")
    );
    assert_eq!(
        seen[2].1.as_deref(),
        Some("Basic Z3Vlc3Q6cGE1NS13MHJkLTk4NzY=")
    );
    for (target, _) in &seen {
        assert!(!target.contains(TOKEN) && !target.contains(PASSWORD));
    }

    std::io::stdout().flush().unwrap();
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("127.0.0.1"),
        "the logs were captured (they name the server): {text}"
    );
    assert!(!text.contains(TOKEN), "the token is in a log line:\n{text}");
    assert!(
        !text.contains(PASSWORD),
        "the password is in a log line:\n{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
