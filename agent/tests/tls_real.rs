//! The sources over TLS against the real Prometheus and RabbitMQ (Debian's
//! packages), with a CA and a server certificate made here (rcgen):
//!
//! - RabbitMQ: the broker `cargo xtask test` started gets a TLS listener
//!   (`ssl_listeners`, `ssl_options`) and a management one (`ssl_config`),
//!   set in its application environment and applied by `stop_app`/`start_app`
//!   (`REPLICAST_RABBITMQCTL`); the plain listeners stay.
//! - Prometheus: a server of its own (`/usr/bin/prometheus`), https only, with
//!   basic auth (`--web.config.file`: `tls_server_config`, `basic_auth_users`).
//!
//! Each is read with the CA file and the credentials from files, and refused
//! without the CA (the web PKI roots do not know it) or with a wrong
//! password. Without `cargo xtask test`'s servers each test says it was
//! skipped and passes; with `REPLICAST_REAL=1` a missing one fails.

mod support;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use lapin::options::{BasicPublishOptions, QueueDeclareOptions, QueuePurgeOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ConnectionProperties};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use replicast::http::HttpOptions;
use replicast::live::source::prometheus::PrometheusSource;
use replicast::live::source::rabbitmq::{Protocol, RabbitMqSource};
use replicast::live::source::{Poll, Source};
use support::{scratch, skipped, wait_for};

const PROMETHEUS: &str = "/usr/bin/prometheus";
/// `replicast-test-password`, bcrypt (cost 4) as Prometheus' web config wants it.
const PROMETHEUS_USER: &str = "replicast";
const PROMETHEUS_PASSWORD: &str = "replicast-test-password";
const PROMETHEUS_HASH: &str = "$2b$04$Rx2kw4pz2B01xkqukbkM7eDhk/SGh99tP129uJ/OVr1DcrQntTcza";

fn var(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

/// `REPLICAST_AMQP_URL` and `REPLICAST_RABBITMQCTL`, or `None` (skipped).
fn broker(test: &str) -> Option<(String, PathBuf)> {
    let got = var("REPLICAST_AMQP_URL").zip(var("REPLICAST_RABBITMQCTL").map(PathBuf::from));
    if got.is_none() {
        assert!(
            var("REPLICAST_REAL").is_none(),
            "REPLICAST_REAL is set but the broker's address is not"
        );
        skipped(
            test,
            "no real RabbitMQ here; `cargo xtask test` (or `cargo xtask test-agent`) starts it and runs this test",
        );
    }
    got
}

/// A test CA, and a server certificate it signed for 127.0.0.1 and
/// localhost; PEM files in `dir`.
struct Certs {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn certs(dir: &Path) -> Certs {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "replicast test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let mut server =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let key = KeyPair::generate().unwrap();
    let cert = server.signed_by(&key, &issuer).unwrap();
    let out = Certs {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server-key.pem"),
    };
    std::fs::write(&out.ca, ca_cert.pem()).unwrap();
    std::fs::write(&out.cert, cert.pem()).unwrap();
    std::fs::write(&out.key, key.serialize_pem()).unwrap();
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn secret(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn listening(port: u16, what: &str) {
    wait_for(what, Duration::from_secs(60), || async move {
        TcpStream::connect(("127.0.0.1", port)).ok().map(|_| ())
    })
    .await;
}

/// Polls `source` until a poll succeeds and satisfies `done`, at most
/// `limit` (the last result in the failure).
async fn poll_until(
    source: &mut dyn Source,
    limit: Duration,
    done: impl Fn(&Poll) -> bool,
) -> Poll {
    let start = std::time::Instant::now();
    loop {
        let result = source.poll().await;
        if let Ok(poll) = &result {
            if done(poll) {
                return poll.clone();
            }
        }
        assert!(start.elapsed() < limit, "after {limit:?}: {result:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn rabbitmqctl(ctl: &Path, args: &[&str]) {
    let out = Command::new(ctl).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "rabbitmqctl {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Turns on the broker's TLS listeners (AMQP and management) on two new
/// ports, with `certs`.
async fn broker_tls(ctl: &Path, certs: &Certs) -> (u16, u16) {
    let (amqps, https) = (free_port(), free_port());
    let (cert, key) = (certs.cert.display(), certs.key.display());
    let env = format!(
        "ok = application:set_env(rabbit, ssl_listeners, [{{\"127.0.0.1\", {amqps}}}]), \
         ok = application:set_env(rabbit, ssl_options, [{{certfile, \"{cert}\"}}, {{keyfile, \"{key}\"}}]), \
         ok = application:set_env(rabbitmq_management, ssl_config, \
           [{{ip, \"127.0.0.1\"}}, {{port, {https}}}, {{certfile, \"{cert}\"}}, {{keyfile, \"{key}\"}}])."
    );
    rabbitmqctl(ctl, &["stop_app"]);
    rabbitmqctl(ctl, &["eval", &env]);
    rabbitmqctl(ctl, &["start_app"]);
    listening(amqps, "the broker's amqps listener").await;
    listening(https, "the broker's https management listener").await;
    (amqps, https)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rabbitmq_over_amqps_and_https() {
    let Some((amqp, ctl)) = broker("rabbitmq_over_amqps_and_https") else {
        return;
    };
    let dir = scratch("tls-rabbitmq");
    let certs = certs(&dir);
    let (amqps, https) = broker_tls(&ctl, &certs).await;

    // A queue with 3 messages, over the plain listener (which stays).
    let queue = format!("tls-{}", std::process::id());
    let conn = Connection::connect(&amqp, ConnectionProperties::default())
        .await
        .expect("the plain AMQP listener still answers");
    let ch = conn.create_channel().await.unwrap();
    ch.queue_declare(
        queue.as_str().into(),
        QueueDeclareOptions::default(),
        FieldTable::default(),
    )
    .await
    .unwrap();
    ch.queue_purge(queue.as_str().into(), QueuePurgeOptions::default())
        .await
        .unwrap();
    for i in 0..3 {
        ch.basic_publish(
            "".into(),
            queue.as_str().into(),
            BasicPublishOptions::default(),
            format!("job {i}").as_bytes(),
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    }

    let basic = secret(&dir, "basic", "guest:guest\n");
    let trusted = HttpOptions {
        ca_file: Some(certs.ca.clone()),
        basic_auth_file: Some(basic.clone()),
        timeout: Some(Duration::from_secs(10)),
        ..HttpOptions::default()
    };
    let source = |protocol, url: String, options: &HttpOptions| {
        RabbitMqSource::new(
            protocol,
            &url,
            None,
            vec![queue.clone()],
            false,
            options.clone(),
        )
        .unwrap()
    };
    let messages = |poll: &Poll| {
        poll.samples
            .iter()
            .find(|s| s.key == format!("{queue}.messages"))
            .map(|s| s.value)
    };

    // amqps: the URL names no user; the basic auth file gives guest:guest.
    let mut s = source(
        Protocol::Amqp,
        format!("amqps://127.0.0.1:{amqps}/%2f"),
        &trusted,
    );
    let poll = s.poll().await.unwrap();
    assert_eq!(messages(&poll), Some(3.0), "{poll:?}");

    // The management API over https (its figures lag by the stats interval).
    let mut s = source(
        Protocol::Http,
        format!("https://127.0.0.1:{https}/%2f"),
        &trusted,
    );
    let poll = poll_until(&mut s, Duration::from_secs(20), |p| {
        messages(p) == Some(3.0)
    })
    .await;
    assert_eq!(messages(&poll), Some(3.0));

    // Without the CA, neither is trusted; with a wrong password, refused.
    let untrusted = HttpOptions {
        basic_auth_file: Some(basic),
        ..HttpOptions::default()
    };
    let wrong = HttpOptions {
        basic_auth_file: Some(secret(&dir, "wrong", "guest:not-the-password")),
        ..trusted.clone()
    };
    let amqps_url = format!("amqps://127.0.0.1:{amqps}/%2f");
    let https_url = format!("https://127.0.0.1:{https}/%2f");
    for (protocol, url, options, why) in [
        (Protocol::Amqp, &amqps_url, &untrusted, "UnknownIssuer"),
        (Protocol::Http, &https_url, &untrusted, "UnknownIssuer"),
        (Protocol::Http, &https_url, &wrong, "HTTP 401"),
    ] {
        let e = source(protocol, url.clone(), options)
            .poll()
            .await
            .unwrap_err();
        assert!(e.contains(why), "{e}");
        assert!(!e.contains("not-the-password"), "{e}");
    }

    let _ = ch
        .queue_delete(queue.as_str().into(), Default::default())
        .await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Prometheus of the test's own, https only, with basic auth.
struct TlsPrometheus {
    child: Child,
    port: u16,
}

impl Drop for TlsPrometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_prometheus(dir: &Path, certs: &Certs) -> TlsPrometheus {
    let port = free_port();
    let config = secret(dir, "prometheus.yml", "global: {scrape_interval: 15s}\n");
    let web = secret(
        dir,
        "web.yml",
        &format!(
            "tls_server_config:\n  cert_file: {}\n  key_file: {}\nbasic_auth_users:\n  {PROMETHEUS_USER}: '{PROMETHEUS_HASH}'\n",
            certs.cert.display(),
            certs.key.display()
        ),
    );
    let log = std::fs::File::create(dir.join("prometheus.out")).unwrap();
    let child = Command::new(PROMETHEUS)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--web.config.file={}", web.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {PROMETHEUS}: {e}"));
    TlsPrometheus { child, port }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_over_https_with_basic_auth() {
    if broker("prometheus_over_https_with_basic_auth").is_none() {
        return;
    }
    let dir = scratch("tls-prometheus");
    let certs = certs(&dir);
    let prometheus = start_prometheus(&dir, &certs);
    let url = format!("https://127.0.0.1:{}", prometheus.port);
    let trusted = HttpOptions {
        ca_file: Some(certs.ca.clone()),
        basic_auth_file: Some(secret(
            &dir,
            "basic",
            &format!("{PROMETHEUS_USER}:{PROMETHEUS_PASSWORD}"),
        )),
        timeout: Some(Duration::from_secs(10)),
        ..HttpOptions::default()
    };
    let query = vec![("answer".to_string(), "vector(42)".to_string())];
    let source = |options: &HttpOptions| {
        PrometheusSource::new(&url, query.clone(), true, options.clone()).unwrap()
    };
    let mut s = source(&trusted);
    let poll = poll_until(&mut s, Duration::from_secs(60), |_| true).await;
    assert_eq!(poll.samples[0].value, 42.0);

    let refused = [
        HttpOptions {
            ca_file: None,
            ..trusted.clone()
        },
        HttpOptions {
            basic_auth_file: Some(secret(&dir, "wrong", "replicast:wrong-password")),
            ..trusted.clone()
        },
        HttpOptions {
            basic_auth_file: None,
            ..trusted
        },
    ];
    for (options, why) in refused
        .iter()
        .zip(["UnknownIssuer", "HTTP 401", "HTTP 401"])
    {
        let e = source(options).poll().await.unwrap_err();
        assert!(e.contains(why), "{e}");
        assert!(!e.contains("wrong-password"), "{e}");
    }
    drop(prometheus);
    let _ = std::fs::remove_dir_all(&dir);
}
