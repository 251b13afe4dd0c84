//! A configured source checked and completed into a [`SourcePlan`]: its
//! kind, which fields apply, the rabbitmq protocol, period and timeout.

use replicast_engine::error::Path;

use super::plan::SourcePlan;
use crate::live::config::SourceSpec;

pub(super) fn source_plan(
    s: &SourceSpec,
    at: &Path,
    base: &std::path::Path,
) -> Result<SourcePlan, (Path, String)> {
    let kind: &'static str = match s.kind.as_str() {
        "nvml" => "nvml",
        "rabbitmq" => "rabbitmq",
        "prometheus" => "prometheus",
        other => {
            return Err((
                at.child("type"),
                format!("unknown source type {other:?}: nvml, rabbitmq or prometheus"),
            ));
        }
    };
    let not_for = |field: &str, present: bool| -> Result<(), (Path, String)> {
        if present {
            Err((
                at.child(field),
                format!("`{field}` does not apply to a {kind} source"),
            ))
        } else {
            Ok(())
        }
    };
    not_for("url", kind == "nvml" && s.url.is_some())?;
    not_for("libPath", kind != "nvml" && s.lib_path.is_some())?;
    not_for("caFile", kind == "nvml" && s.ca_file.is_some())?;
    not_for(
        "bearerTokenFile",
        kind == "nvml" && s.bearer_token_file.is_some(),
    )?;
    not_for(
        "basicAuthFile",
        kind == "nvml" && s.basic_auth_file.is_some(),
    )?;
    not_for("protocol", kind != "rabbitmq" && s.protocol.is_some())?;
    not_for("vhost", kind != "rabbitmq" && s.vhost.is_some())?;
    not_for("queues", kind != "rabbitmq" && !s.queues.is_empty())?;
    not_for(
        "excludeUnacknowledged",
        kind != "rabbitmq" && s.exclude_unacknowledged,
    )?;
    not_for("queries", kind != "prometheus" && !s.queries.is_empty())?;
    not_for(
        "ignoreNullValues",
        kind != "prometheus" && s.ignore_null_values.is_some(),
    )?;
    let mut protocol = None;
    if kind != "nvml" {
        let url = s
            .url
            .as_deref()
            .ok_or_else(|| (at.clone(), format!("a {kind} source needs `url:`")))?;
        let parsed = crate::http::parse_url(url).map_err(|e| (at.child("url"), e))?;
        if kind == "rabbitmq" {
            let p = match s.protocol.as_deref() {
                Some("amqp") => "amqp",
                Some("http") => "http",
                Some("auto") | None => match parsed.scheme() {
                    "amqp" | "amqps" => "amqp",
                    "http" | "https" => "http",
                    other => {
                        return Err((
                            at.child("url"),
                            format!(
                                "scheme {other:?}: a rabbitmq URL is amqp:// or http:// (management API)"
                            ),
                        ));
                    }
                },
                Some(other) => {
                    return Err((
                        at.child("protocol"),
                        format!("{other:?}: amqp, http or auto"),
                    ));
                }
            };
            protocol = Some(p);
        }
    }
    let default_period = if kind == "prometheus" { 5.0 } else { 1.0 };
    let period = s.period.map(|p| p.0).unwrap_or(default_period);
    if period < 0.05 {
        return Err((at.child("period"), "must be at least 50ms".into()));
    }
    let timeout = s.timeout.map(|p| p.0).unwrap_or(period.clamp(1.0, 5.0));
    if timeout <= 0.0 {
        return Err((at.child("timeout"), "must be more than 0".into()));
    }
    for q in &s.queues {
        if q.is_empty() {
            return Err((at.child("queues"), "a queue name cannot be empty".into()));
        }
    }
    // The HTTP options' files, relative to the configuration's folder.
    let mut spec = s.clone();
    for file in [
        &mut spec.ca_file,
        &mut spec.bearer_token_file,
        &mut spec.basic_auth_file,
    ]
    .into_iter()
    .flatten()
    {
        *file = base.join(&*file);
    }
    Ok(SourcePlan {
        spec,
        kind,
        period,
        timeout,
        protocol,
    })
}
