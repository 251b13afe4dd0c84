//! `replicast serve` on an ephemeral loopback port: `/healthz`, the index,
//! a `.wasm` file's content type, a 404, and a graceful stop (in-process and
//! as the real binary on SIGTERM).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const INDEX: &str = "<!doctype html><title>replicast test</title>";

/// A fresh static root with an `index.html` and a `.wasm` file.
fn site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("replicast-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    dir
}

/// A minimal HTTP/1.1 GET: (status, lower-cased head, body).
fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_healthz_index_and_files_then_stops() {
    let dir = site("lib");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn({
        let dir = dir.clone();
        async move {
            replicast::serve::serve(listener, &dir, async {
                let _ = stopped.await;
            })
            .await
        }
    });

    let responses = tokio::task::spawn_blocking(move || {
        [
            get(addr, "/healthz"),
            get(addr, "/"),
            get(addr, "/app_bg.wasm"),
            get(addr, "/missing.js"),
        ]
    })
    .await
    .unwrap();
    let [healthz, index, wasm, missing] = responses;
    assert_eq!((healthz.0, healthz.2.as_str()), (200, "ok"));
    assert_eq!(index.0, 200);
    assert!(index.1.contains("content-type: text/html"), "{}", index.1);
    assert_eq!(index.2, INDEX);
    assert_eq!(wasm.0, 200);
    assert!(
        wasm.1.contains("content-type: application/wasm"),
        "{}",
        wasm.1
    );
    assert_eq!(missing.0, 404);

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("server stops after the shutdown signal")
        .unwrap()
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn binary_serves_and_stops_on_sigterm() {
    let dir = site("bin");
    let mut child = Command::new(env!("CARGO_BIN_EXE_replicast"))
        .args(["serve", "--port", "0", "--dir"])
        .arg(&dir)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // The log line "serving DIR on http://127.0.0.1:PORT/" names the port.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let addr: SocketAddr = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "replicast exited before listening"
        );
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim_end().trim_end_matches('/').parse().unwrap();
        }
    };
    assert!(addr.ip().is_loopback());
    let (status, _, body) = get(addr, "/healthz");
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, _, body) = get(addr, "/index.html");
    assert_eq!((status, body.as_str()), (200, INDEX));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "replicast did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    let _ = std::fs::remove_dir_all(dir);
}
