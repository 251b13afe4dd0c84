//! RabbitMQ queues, read the two ways KEDA's rabbitmq scaler reads them
//! (kedacore/keda `pkg/scalers/rabbitmq_scaler.go`):
//!
//! - `amqp`: a passive `queue.declare` on a long-lived connection
//!   (`getQueueInfoViaAMQP`): the reply's message count is the queue length
//!   (ready messages), and its consumer count.
//! - `http`: the management API, `GET /api/queues/VHOST/QUEUE`
//!   (`getQueueInfoViaHTTP`): `messages` (ready + unacknowledged; only
//!   `messages_ready` with `excludeUnacknowledged`) is the queue length, and
//!   `message_stats.publish_details.rate` the message rate (MessageRate mode).
//!   The broker refreshes these figures every `collect_statistics_interval`
//!   (5 s by default), so they lag the AMQP count a little, as KEDA sees them.
//!
//! Keys, per queue `Q`: `Q.messages` (what QueueLength reads over this
//! protocol), `Q.consumers`; over http also `Q.ready`, `Q.unacked`,
//! `Q.publish_rate`. A queue that does not exist is an error for its keys
//! only; a broker that cannot be reached fails the whole poll, and the next
//! poll reconnects.

use std::str::FromStr as _;

use lapin::options::QueueDeclareOptions;
use lapin::tcp::OwnedTLSConfig;
use lapin::types::FieldTable;
use lapin::uri::{AMQPScheme, AMQPUri};
use lapin::{Channel, Connection, ConnectionProperties};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use url::Url;

use super::{Poll, PollFuture, Sample, Source};
use crate::http::{HttpClient, HttpOptions, error_chain, parse_url, redacted};
use crate::live::metrics::{
    QUEUE_CONSUMERS, QUEUE_MESSAGES, QUEUE_PUBLISH_RATE, QUEUE_READY, QUEUE_UNACKED,
};

/// How the queue length is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// AMQP 0-9-1 passive queue declare.
    Amqp,
    /// The management plugin's HTTP API.
    Http,
}

impl Protocol {
    /// `amqp` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Amqp => "amqp",
            Protocol::Http => "http",
        }
    }
}

/// A RabbitMQ source.
pub struct RabbitMqSource {
    protocol: Protocol,
    /// The URL as given (user info included), for lapin.
    url: String,
    parsed: Url,
    vhost: String,
    queues: Vec<String>,
    exclude_unacknowledged: bool,
    options: HttpOptions,
    amqp: Option<(Connection, Option<Channel>)>,
    http: HttpClient,
}

impl std::fmt::Debug for RabbitMqSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RabbitMqSource")
            .field("protocol", &self.protocol)
            .field("url", &redacted(&self.parsed))
            .field("vhost", &self.vhost)
            .field("queues", &self.queues)
            .finish_non_exhaustive()
    }
}

impl RabbitMqSource {
    /// A source reading `queues` at `url` over `protocol` (`amqp://` or
    /// `amqps://`; `http://` or `https://`). For http the vhost is `vhost`,
    /// else the URL's path (`/%2f` or none: `/`). `options` apply to the
    /// management API, and to amqps (the CA file) and AMQP (the basic auth
    /// file's `user:password` in place of the URL's).
    pub fn new(
        protocol: Protocol,
        url: &str,
        vhost: Option<String>,
        queues: Vec<String>,
        exclude_unacknowledged: bool,
        options: HttpOptions,
    ) -> Result<RabbitMqSource, String> {
        let parsed = parse_url(url)?;
        let want = match protocol {
            Protocol::Amqp => ["amqp", "amqps"],
            Protocol::Http => ["http", "https"],
        };
        if !want.contains(&parsed.scheme()) {
            return Err(format!(
                "protocol {} needs a URL starting with {}:// or {}://, not {}",
                protocol.as_str(),
                want[0],
                want[1],
                redacted(&parsed)
            ));
        }
        if protocol == Protocol::Amqp && options.bearer_token_file.is_some() {
            return Err("AMQP takes no bearer token: give basicAuthFile or the URL's user".into());
        }
        // KEDA's `getVhostAndPathFromURL`: the path's last segment.
        let vhost = vhost.unwrap_or_else(|| {
            let last = parsed.path().rsplit('/').next().unwrap_or("");
            let p = percent_decode_str(last).decode_utf8_lossy().into_owned();
            if p.is_empty() { "/".into() } else { p }
        });
        Ok(RabbitMqSource {
            protocol,
            url: url.to_string(),
            http: HttpClient::new(&options)?,
            parsed,
            vhost,
            queues,
            exclude_unacknowledged,
            options,
            amqp: None,
        })
    }

    /// Opens the AMQP connection: the URL as lapin reads it (KEDA hands
    /// its `host` to streadway/amqp likewise), the basic auth file's
    /// credentials in place of the URL's, and for amqps the CA file's CAs
    /// (else the web PKI roots).
    async fn connect(&self) -> Result<Connection, String> {
        let shown = redacted(&self.parsed);
        let mut uri = AMQPUri::from_str(&self.url).map_err(|e| format!("{shown}: {e}"))?;
        if let Some(path) = &self.options.basic_auth_file {
            let pair = std::fs::read_to_string(path)
                .map_err(|e| format!("reading the basic auth file {}: {e}", path.display()))?;
            let (user, password) = pair.trim().split_once(':').ok_or_else(|| {
                format!(
                    "{}: the basic auth file holds user:password",
                    path.display()
                )
            })?;
            uri.authority.userinfo.username = user.to_string();
            uri.authority.userinfo.password = password.to_string();
        }
        let mut tls = OwnedTLSConfig::default();
        if let Some(path) = &self.options.ca_file {
            if uri.scheme != AMQPScheme::AMQPS {
                return Err(format!("{shown}: a CA file needs amqps://"));
            }
            crate::http::read_ca_file(path)?;
            tls.cert_chain = Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("reading the CA file {}: {e}", path.display()))?,
            );
        }
        let runtime = lapin::runtime::default_runtime()
            .map_err(|e| format!("{shown}: {}", error_chain(&e)))?;
        Connection::connect_uri_with_config(uri, ConnectionProperties::default(), tls, runtime)
            .await
            .map_err(|e| format!("connecting to {shown}: {}", error_chain(&e)))
    }

    async fn poll_amqp(&mut self) -> Result<Poll, String> {
        if self
            .amqp
            .as_ref()
            .is_some_and(|(c, _)| !c.status().connected())
        {
            self.amqp = None;
        }
        if self.amqp.is_none() {
            self.amqp = Some((self.connect().await?, None));
        }
        let mut poll = Poll::default();
        for queue in self.queues.clone() {
            let channel = self.channel().await?;
            let declared = channel
                .queue_declare(
                    queue.as_str().into(),
                    QueueDeclareOptions {
                        passive: true,
                        ..QueueDeclareOptions::default()
                    },
                    FieldTable::default(),
                )
                .await;
            match declared {
                Ok(q) => {
                    let labels = vec![("queue", queue.clone())];
                    poll.samples.push(Sample::exported(
                        format!("{queue}.messages"),
                        f64::from(q.message_count()),
                        &QUEUE_MESSAGES,
                        labels.clone(),
                    ));
                    poll.samples.push(Sample::exported(
                        format!("{queue}.consumers"),
                        f64::from(q.consumer_count()),
                        &QUEUE_CONSUMERS,
                        labels,
                    ));
                }
                Err(e) => {
                    let text = error_chain(&e);
                    let connected = self
                        .amqp
                        .as_ref()
                        .is_some_and(|(c, _)| c.status().connected());
                    if !connected {
                        self.amqp = None;
                        return Err(format!("{}: {text}", redacted(&self.parsed)));
                    }
                    // A failed declare closes the channel: open another next time.
                    if let Some((_, ch)) = &mut self.amqp {
                        *ch = None;
                    }
                    for key in ["messages", "consumers"] {
                        poll.key_errors
                            .push((format!("{queue}.{key}"), format!("queue {queue:?}: {text}")));
                    }
                }
            }
        }
        all_failed(poll, &self.queues)
    }

    async fn channel(&mut self) -> Result<Channel, String> {
        let shown = redacted(&self.parsed);
        let Some((conn, ch)) = &mut self.amqp else {
            return Err("not connected".into());
        };
        if let Some(c) = ch.as_ref().filter(|c| c.status().connected()) {
            return Ok(c.clone());
        }
        let c = conn
            .create_channel()
            .await
            .map_err(|e| format!("{shown}: opening a channel: {}", error_chain(&e)))?;
        *ch = Some(c.clone());
        Ok(c)
    }

    async fn poll_http(&mut self) -> Result<Poll, String> {
        let mut poll = Poll::default();
        for queue in self.queues.clone() {
            let url = self.queue_url(&queue);
            let resp = self.http.get(&url, &[]).await?;
            let (status, body) = (resp.status, &resp.body);
            let fail = |poll: &mut Poll, why: String| {
                for key in ["messages", "ready", "unacked", "consumers", "publish_rate"] {
                    poll.key_errors
                        .push((format!("{queue}.{key}"), why.clone()));
                }
            };
            match status {
                200 => {}
                404 => {
                    fail(
                        &mut poll,
                        format!("queue {queue:?} not found in vhost {:?}", self.vhost),
                    );
                    continue;
                }
                401 | 403 => {
                    return Err(format!(
                        "{}: HTTP {status}: the management API refused these credentials",
                        redacted(&self.parsed)
                    ));
                }
                _ => {
                    return Err(format!(
                        "{}: HTTP {status}: {}",
                        redacted(&self.parsed),
                        resp.excerpt()
                    ));
                }
            }
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| format!("{}: the queue's JSON: {e}", redacted(&self.parsed)))?;
            let num = |key: &str| v.get(key).and_then(Value::as_f64).unwrap_or(0.0);
            let ready = num("messages_ready");
            let messages = if self.exclude_unacknowledged {
                ready
            } else {
                num("messages")
            };
            let rate = v
                .pointer("/message_stats/publish_details/rate")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let labels = vec![("queue", queue.clone())];
            for (key, value, family) in [
                ("messages", messages, &QUEUE_MESSAGES),
                ("ready", ready, &QUEUE_READY),
                ("unacked", num("messages_unacknowledged"), &QUEUE_UNACKED),
                ("consumers", num("consumers"), &QUEUE_CONSUMERS),
                ("publish_rate", rate, &QUEUE_PUBLISH_RATE),
            ] {
                poll.samples.push(Sample::exported(
                    format!("{queue}.{key}"),
                    value,
                    family,
                    labels.clone(),
                ));
            }
        }
        all_failed(poll, &self.queues)
    }
}

impl RabbitMqSource {
    /// `PREFIX/api/queues/VHOST/QUEUE` (each segment percent-encoded, `/`
    /// included): KEDA takes the URL's last path segment as the vhost and
    /// the rest as an API prefix (`getQueueInfoViaHTTP`).
    fn queue_url(&self, queue: &str) -> Url {
        let mut url = self.parsed.clone();
        let prefix: Vec<String> = self
            .parsed
            .path_segments()
            .map(|s| s.map(str::to_string).collect())
            .unwrap_or_default();
        let keep = prefix.len().saturating_sub(1);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.clear();
            segments.extend(prefix[..keep].iter().filter(|s| !s.is_empty()));
            segments.extend(["api", "queues", self.vhost.as_str(), queue]);
        }
        url
    }
}

/// A poll where every queue failed is a failed poll (the same reason).
fn all_failed(poll: Poll, queues: &[String]) -> Result<Poll, String> {
    if !queues.is_empty() && poll.samples.is_empty() {
        if let Some((_, why)) = poll.key_errors.first() {
            return Err(why.clone());
        }
    }
    Ok(poll)
}

impl Source for RabbitMqSource {
    fn kind(&self) -> &'static str {
        "rabbitmq"
    }

    fn reset(&mut self) {
        // A broker that stopped answering: reconnect at the next poll.
        self.amqp = None;
        if let Ok(client) = HttpClient::new(&self.options) {
            self.http = client;
        }
    }

    fn poll(&mut self) -> PollFuture<'_> {
        Box::pin(async move {
            if self.queues.is_empty() {
                return Err(
                    "no queue to read: list `queues:` or map a rabbitmq trigger to this source"
                        .into(),
                );
            }
            match self.protocol {
                Protocol::Amqp => self.poll_amqp().await,
                Protocol::Http => self.poll_http().await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(protocol: Protocol, url: &str) -> Result<RabbitMqSource, String> {
        RabbitMqSource::new(
            protocol,
            url,
            None,
            vec!["q".into()],
            false,
            HttpOptions::default(),
        )
    }

    #[test]
    fn urls_and_vhosts() {
        let s = source(Protocol::Http, "http://guest:guest@127.0.0.1:15672/%2f").unwrap();
        assert_eq!(s.vhost, "/");
        assert_eq!(
            s.queue_url("a/b").as_str(),
            "http://guest:guest@127.0.0.1:15672/api/queues/%2F/a%2Fb"
        );
        let s = source(Protocol::Http, "https://h:15672/rabbit/jobs").unwrap();
        assert_eq!(s.vhost, "jobs");
        assert_eq!(
            s.queue_url("q").as_str(),
            "https://h:15672/rabbit/api/queues/jobs/q"
        );
        let s = source(Protocol::Http, "http://h:15672").unwrap();
        assert_eq!(s.vhost, "/");
        assert_eq!(s.queue_url("q").as_str(), "http://h:15672/api/queues/%2F/q");
        assert!(
            source(Protocol::Amqp, "http://h:15672")
                .unwrap_err()
                .contains("needs a URL starting with amqp://")
        );
        assert!(source(Protocol::Amqp, "amqps://h").is_ok());
        let e = format!(
            "{:?}",
            source(Protocol::Amqp, "amqps://u:secret@h").unwrap()
        );
        assert!(!e.contains("secret"), "{e}");
    }
}
