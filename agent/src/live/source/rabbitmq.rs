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

use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;
use lapin::{Channel, Connection, ConnectionProperties};
use serde_json::Value;

use super::http::{Client, Url, error_chain, percent_decode, percent_encode};
use super::{Poll, PollFuture, Sample, Source};
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
    url: String,
    parsed: Url,
    vhost: String,
    queues: Vec<String>,
    exclude_unacknowledged: bool,
    amqp: Option<(Connection, Option<Channel>)>,
    http: Client,
}

impl std::fmt::Debug for RabbitMqSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RabbitMqSource")
            .field("protocol", &self.protocol)
            .field("url", &self.parsed)
            .field("vhost", &self.vhost)
            .field("queues", &self.queues)
            .finish_non_exhaustive()
    }
}

impl RabbitMqSource {
    /// A source reading `queues` at `url` over `protocol`. For http the vhost
    /// is `vhost`, else the URL's path (`/%2f` or none: `/`).
    pub fn new(
        protocol: Protocol,
        url: &str,
        vhost: Option<String>,
        queues: Vec<String>,
        exclude_unacknowledged: bool,
    ) -> Result<RabbitMqSource, String> {
        let parsed = Url::parse(url)?;
        let want = match protocol {
            Protocol::Amqp => ["amqp", "amqps"],
            Protocol::Http => ["http", "https"],
        };
        if !want.contains(&parsed.scheme.as_str()) {
            return Err(format!(
                "protocol {} needs a URL starting with {}://, not {}",
                protocol.as_str(),
                want[0],
                parsed.redacted()
            ));
        }
        if parsed.scheme.ends_with('s') {
            return Err(format!(
                "{}: TLS is not supported by this build; use {}://",
                parsed.redacted(),
                want[0]
            ));
        }
        let vhost = vhost.unwrap_or_else(|| {
            let p = percent_decode(parsed.path.trim_start_matches('/'));
            if p.is_empty() { "/".into() } else { p }
        });
        Ok(RabbitMqSource {
            protocol,
            url: url.to_string(),
            parsed,
            vhost,
            queues,
            exclude_unacknowledged,
            amqp: None,
            http: Client::new(),
        })
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
            let conn = Connection::connect(&self.url, ConnectionProperties::default())
                .await
                .map_err(|e| {
                    format!(
                        "connecting to {}: {}",
                        self.parsed.redacted(),
                        error_chain(&e)
                    )
                })?;
            self.amqp = Some((conn, None));
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
                        return Err(format!("{}: {text}", self.parsed.redacted()));
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
        let shown = self.parsed.redacted();
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
            let path = format!(
                "{}/api/queues/{}/{}",
                self.parsed.path_prefix(),
                percent_encode(&self.vhost),
                percent_encode(&queue)
            );
            let (status, body) = self.http.get(&self.parsed, &path).await?;
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
                        self.parsed.redacted()
                    ));
                }
                _ => {
                    return Err(format!(
                        "{}: HTTP {status}: {}",
                        self.parsed.redacted(),
                        String::from_utf8_lossy(&body[..body.len().min(200)])
                    ));
                }
            }
            let v: Value = serde_json::from_slice(&body)
                .map_err(|e| format!("{}: the queue's JSON: {e}", self.parsed.redacted()))?;
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

impl Url {
    /// The URL's path when it is an API prefix rather than a vhost: KEDA
    /// takes the last path segment as the vhost and the rest as a prefix.
    fn path_prefix(&self) -> String {
        match self.path.rfind('/') {
            Some(i) => self.path[..i].to_string(),
            None => String::new(),
        }
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
        self.http = Client::new();
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

    #[test]
    fn urls_and_vhosts() {
        let s = RabbitMqSource::new(
            Protocol::Http,
            "http://guest:guest@127.0.0.1:15672/%2f",
            None,
            vec!["q".into()],
            false,
        )
        .unwrap();
        assert_eq!(s.vhost, "/");
        assert_eq!(s.parsed.path_prefix(), "");
        let s = RabbitMqSource::new(Protocol::Http, "http://h:15672/jobs", None, vec![], false)
            .unwrap();
        assert_eq!(s.vhost, "jobs");
        let s = RabbitMqSource::new(Protocol::Http, "http://h:15672", None, vec![], false).unwrap();
        assert_eq!(s.vhost, "/");
        assert!(
            RabbitMqSource::new(Protocol::Amqp, "http://h:15672", None, vec![], false)
                .unwrap_err()
                .contains("needs a URL starting with amqp://")
        );
        assert!(
            RabbitMqSource::new(Protocol::Amqp, "amqps://h", None, vec![], false)
                .unwrap_err()
                .contains("TLS")
        );
    }
}
