//! Each trigger's scaler: its metric name, target, activation rule and
//! defaults, read from the trigger's metadata exactly as KEDA's scaler reads
//! them, or refused as KEDA refuses them.
//!
//! The rules live in one table, [`table::SCALERS`]: one row per type that
//! kedacore/keda `pkg/scaling/scalers_builder.go` `buildScaler` knows, each
//! naming its `pkg/scalers/*_scaler.go`. This module is the reader the table
//! drives: the typed config's parsing (`scalersconfig/typed_config.go`
//! `setValue`, `configParamValue`: defaults, `missing required parameter`,
//! `json.Unmarshal` of numbers), the row's checks, and
//! `scaler.go: GenerateMetricNameWithIndex` / `util.NormalizeString` for the
//! metric names. A type outside the table is refused with `buildScaler`'s
//! `no scaler found for type: …`; nothing is guessed.
//!
//! Rules in code rather than in the table: rabbitmq's modes
//! (`rabbitmq_scaler.go` `parseRabbitMQMetadata`), redis streams' modes
//! (`redis_streams_scaler.go` `Validate`), datadog's activation key
//! (`datadog_scaler.go`), cron's schedule (`super::cron`), and cpu/memory
//! (`cpu_memory_scaler.go`).

pub mod table;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::cron::Window;
use super::spec::Trigger;
use table::{Activation, MetricType, Missing, Num, Param, Row, Rule, Source, Target};

/// When a trigger counts as active.
#[derive(Clone, Debug, PartialEq)]
pub enum Activity {
    /// The reading is above [`Scaler::activation`] (strictly).
    Above,
    /// The reading is at least the target (github-runner).
    AtLeastTarget,
    /// Inside the cron window; the trigger reads its own value.
    Window(Window),
    /// The scaler's own answer: the reading's `active` (external scalers).
    Reported,
    /// Never (cpu/memory).
    Never,
}

/// What a trigger contributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaler {
    /// The HPA metric's name (`s0-rabbitmq-orders`), or the resource for cpu/memory.
    pub metric_name: String,
    /// The target the HPA compares with (per pod for AverageValue); for an
    /// external scaler, the reading's `target` replaces it.
    pub target: f64,
    /// The value a reading must exceed (strictly) to activate.
    pub activation: f64,
    /// When the trigger is active.
    pub activity: Activity,
    /// `AverageValue`, `Value` or (cpu/memory) `Utilization`.
    pub metric_type: String,
    /// For cpu/memory: the resource and optional container.
    pub resource: Option<(String, Option<String>)>,
    /// Whether the target comes from the reading (external scalers).
    pub target_from_reading: bool,
    /// Warnings about the metadata: `(key, message)`.
    pub notes: Vec<(String, String)>,
}

/// Where in the trigger a refusal points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// `type`.
    Type,
    /// `metadata`, or one of its keys.
    Metadata(Option<String>),
}

/// Why a trigger cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Where.
    pub at: At,
    /// KEDA's message (or replicast's, when `unsupported`).
    pub message: String,
    /// KEDA accepts the trigger but one reading cannot carry what its
    /// scaler reports.
    pub unsupported: bool,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn refuse(at: At, message: impl Into<String>) -> Refusal {
    Refusal {
        at,
        message: message.into(),
        unsupported: false,
    }
}

fn at_key(key: &str) -> At {
    At::Metadata(Some(key.to_string()))
}

/// What the reader knows beyond the trigger.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// The ScaledObject uses scaling modifiers: its triggers are metric
    /// sources (`ScalerConfig.AsMetricSource`), whose own targets some
    /// scalers do not require.
    pub as_metric_source: bool,
    /// The ScaledObject's namespace (kubernetes-workload's metric name).
    pub namespace: &'a str,
}

/// `util.NormalizeString`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '/' | '.' | ':' | '%' | '(' | ')') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A metadata value as `configParamValue` sees it: trimmed, empty = absent.
fn meta<'a>(t: &'a Trigger, key: &str) -> Option<&'a str> {
    t.metadata
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
}

/// Whether `s` is a JSON number (Go's `json.Unmarshal` grammar).
fn json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if b.first() == Some(&b'-') {
        i += 1;
    }
    if b.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `setConfigValueHelper` for numbers: `json.Unmarshal` into the Go type.
fn parse_number(key: &str, raw: &str, num: Num) -> Result<f64, Refusal> {
    let fail = |detail: String| {
        refuse(
            at_key(key),
            format!(
                "unable to set param {key:?} value {raw:?}: unable to unmarshal to field type {}: {detail}",
                num.go()
            ),
        )
    };
    if !json_number(raw) {
        return Err(fail(format!("{raw:?} is not a JSON number")));
    }
    match num {
        Num::Float64 => raw
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                fail(format!(
                    "json: cannot unmarshal number {raw} into Go value of type float64"
                ))
            }),
        Num::Int64 | Num::Int => raw.parse::<i64>().map(|v| v as f64).map_err(|_| {
            fail(format!(
                "json: cannot unmarshal number {raw} into Go value of type {}",
                num.go()
            ))
        }),
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// A boolean key (`default` when unset); a value Go cannot parse is refused.
fn flag(t: &Trigger, key: &str, default: bool) -> Result<bool, Refusal> {
    match meta(t, key) {
        None => Ok(default),
        Some(v) => parse_bool(v).ok_or_else(|| {
            refuse(
                at_key(key),
                format!(
                    "unable to set param {key:?} value {v:?}: unable to parse boolean value {v:?}: strconv.ParseBool: parsing {v:?}: invalid syntax"
                ),
            )
        }),
    }
}

/// `configParamValue` + `setValue` for one numeric key: its value, its
/// default, or the refusal KEDA gives; a value that may come from where
/// replicast cannot look (a TriggerAuthentication, the container's
/// environment) is refused rather than guessed.
fn param(t: &Trigger, p: &Param, notes: &mut Vec<(String, String)>) -> Result<f64, Refusal> {
    let names = [Some(p.key), p.alias];
    let found = names
        .iter()
        .flatten()
        .find_map(|k| meta(t, k).map(|v| (*k, v)));
    match p.from {
        Source::Metadata => {}
        Source::MetadataThenEnv => {
            if found.is_none() {
                let env = format!("{}FromEnv", p.key);
                if let Some(var) = meta(t, &env) {
                    return Err(Refusal {
                        at: at_key(&env),
                        message: format!(
                            "{} comes from the container's environment variable {var:?}, which replicast cannot see; write it in metadata.{}",
                            p.key, p.key
                        ),
                        unsupported: true,
                    });
                }
            }
        }
        Source::AuthThenMetadata => {
            if t.authentication_ref.is_some() {
                match found {
                    None => {
                        return Err(Refusal {
                            at: at_key(p.key),
                            message: format!(
                                "{} may come from the TriggerAuthentication in authenticationRef (its parameters win over metadata), which replicast cannot see; write it in metadata",
                                p.key
                            ),
                            unsupported: true,
                        });
                    }
                    Some((k, _)) => notes.push((
                        k.to_string(),
                        format!(
                            "a {k} parameter of the TriggerAuthentication in authenticationRef would win over this value; replicast reads the metadata's"
                        ),
                    )),
                }
            }
        }
    }
    match (found, p.default) {
        (Some((k, v)), _) => parse_number(k, v, p.num),
        (None, Missing::Is(d)) => parse_number(p.key, d, p.num),
        (None, Missing::Zero) => Ok(0.0),
        (None, Missing::Required) => Err(refuse(
            At::Metadata(None),
            format!(
                "missing required parameter {:?} in {}",
                p.key,
                p.from.order()
            ),
        )),
    }
}

/// Go's `%v` of a float64.
fn go_float(v: f64) -> String {
    if v == libm::trunc(v) && v.abs() < 1e21 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The row's check on the target; the target a metric source ends with.
fn apply_rule(rule: Rule, key: &str, v: f64, source: bool) -> Result<f64, Refusal> {
    let fail = |msg: &str| Err(refuse(at_key(key), msg.replace("{}", &go_float(v))));
    match rule {
        Rule::None => Ok(v),
        Rule::Positive(m) if v <= 0.0 => fail(m),
        Rule::PositiveUnlessSource(m) if v <= 0.0 && !source => fail(m),
        Rule::NonZeroUnlessSource(m) if v == 0.0 && !source => fail(m),
        Rule::SetUnlessSource(m) if v == -1.0 => {
            if source {
                Ok(0.0)
            } else {
                fail(m)
            }
        }
        _ => Ok(v),
    }
}

/// Renders a row's metric-name template (see [`Row::name`]).
fn render(template: &str, t: &Trigger, cx: &Context<'_>) -> String {
    let alternatives: Vec<&str> = template.split('|').collect();
    let last = alternatives.len() - 1;
    for (n, alt) in alternatives.iter().enumerate() {
        let mut out = String::new();
        let mut complete = true;
        let mut rest = *alt;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let spec = &rest[open + 1..close.min(rest.len())];
            rest = rest.get(close + 1..).unwrap_or("");
            let (dash, spec) = match spec.strip_prefix('-') {
                Some(s) => (true, s),
                None => (false, spec),
            };
            let (key, default) = match spec.split_once('=') {
                Some((k, d)) => (k, Some(d)),
                None => (spec, None),
            };
            let (key, op) = match key.chars().last() {
                Some(c @ ('/' | '%')) => (&key[..key.len() - 1], Some(c)),
                _ => (key, None),
            };
            let value: Option<String> = if key == "@namespace" {
                Some(String::from(if cx.namespace.is_empty() {
                    "default"
                } else {
                    cx.namespace
                }))
            } else if key == "?" {
                Some(t.type_.clone())
            } else {
                meta(t, key)
                    .map(str::to_string)
                    .or_else(|| default.map(str::to_string))
            };
            match (value, dash) {
                (Some(v), true) => {
                    out.push('-');
                    out.push_str(&v);
                }
                (Some(v), false) => out.push_str(&match op {
                    Some('/') => v.rsplit('/').next().unwrap_or("").to_string(),
                    Some(_) => query_escape(&v),
                    None => v,
                }),
                (None, true) => {}
                (None, false) => complete = false,
            }
        }
        out.push_str(rest);
        if complete || n == last {
            return out;
        }
    }
    String::new()
}

/// Reads trigger `index`'s scaler, its triggers not metric sources.
pub fn describe(t: &Trigger, index: usize) -> Result<Scaler, Refusal> {
    describe_in(t, index, &Context::default())
}

/// Reads trigger `index`'s scaler as `buildScaler` and the scaler's
/// constructor would, or says why KEDA (or replicast) refuses it.
pub fn describe_in(t: &Trigger, index: usize, cx: &Context<'_>) -> Result<Scaler, Refusal> {
    let Some(row) = table::row_for(&t.type_) else {
        return Err(refuse(
            At::Type,
            format!("no scaler found for type: {}", t.type_),
        ));
    };
    for (key, message) in row.deprecated {
        if meta(t, key).is_some() {
            return Err(refuse(
                at_key(key),
                format!("scaler {} info: {message}", t.type_),
            ));
        }
    }
    for (key, why) in row.unsupported_if {
        if flag(t, key, false)? {
            return Err(Refusal {
                at: at_key(key),
                message: (*why).to_string(),
                unsupported: true,
            });
        }
    }
    for key in row.requires {
        if meta(t, key).is_none() && meta(t, &format!("{key}FromEnv")).is_none() {
            return Err(refuse(
                At::Metadata(None),
                format!("missing required parameter {key:?} in [triggerMetadata]"),
            ));
        }
    }
    let metric_type = match row.metric_type {
        MetricType::Forced(m) => m.to_string(),
        _ => t
            .metric_type
            .clone()
            .unwrap_or_else(|| "AverageValue".to_string()),
    };
    let mut notes = Vec::new();
    let source = cx.as_metric_source;
    let (target, target_key) = match row.target {
        Target::Key(p, rule) => {
            let v = param(t, &p, &mut notes)?;
            (apply_rule(rule, p.key, v, source)?, Some(p.key))
        }
        Target::Fixed(v) => (v as f64, None),
        Target::External => (f64::NAN, None),
        Target::Modes => modes(t, row, &mut notes)?,
        Target::Unsupported(why) => {
            return Err(Refusal {
                at: At::Type,
                message: format!("replicast does not evaluate {} triggers: {why}", t.type_),
                unsupported: true,
            });
        }
        Target::Resource => return resource(t),
    };
    // validateMetricTarget (kubernetes pkg/apis/autoscaling/validation): the
    // HPA KEDA creates needs a positive target, or the API server refuses it.
    if !source && !target.is_nan() && target <= 0.0 {
        return Err(refuse(
            target_key.map_or(At::Metadata(None), at_key),
            format!(
                "the HPA KEDA creates for this trigger would have target {}: the API server refuses it (spec.metrics[].external.target: must be positive)",
                go_float(target)
            ),
        ));
    }
    let (activation, activity) = match row.activation {
        Activation::Above(p, negative) => {
            let v = param(t, &p, &mut notes)?;
            if let Some(m) = negative.filter(|_| v < 0.0) {
                return Err(refuse(at_key(p.key), m));
            }
            (v, Activity::Above)
        }
        Activation::AboveZero => (0.0, Activity::Above),
        Activation::AtLeastTarget => (0.0, Activity::AtLeastTarget),
        Activation::Reported => (0.0, Activity::Reported),
        Activation::Never => (0.0, Activity::Never),
        Activation::Window => (0.0, Activity::Window(window(t)?)),
        Activation::Modes => (datadog_activation(t, &mut notes)?, Activity::Above),
    };
    let part = if t.type_ == "cron" {
        cron_name(t)
    } else {
        render(row.name, t, cx)
    };
    Ok(Scaler {
        metric_name: format!("s{index}-{}", normalize(&part)),
        target,
        activation,
        activity,
        metric_type,
        resource: None,
        target_from_reading: matches!(row.target, Target::External),
        notes,
    })
}

/// rabbitmq (`parseRabbitMQMetadata`) and redis streams (`Validate`).
fn modes(
    t: &Trigger,
    row: &Row,
    notes: &mut Vec<(String, String)>,
) -> Result<(f64, Option<&'static str>), Refusal> {
    let float = |k: &'static str| Param {
        key: k,
        alias: None,
        num: Num::Float64,
        default: Missing::Zero,
        from: Source::Metadata,
    };
    let int = |k: &'static str, d: Missing| Param {
        key: k,
        alias: None,
        num: Num::Int64,
        default: d,
        from: Source::Metadata,
    };
    if row.file == "rabbitmq_scaler.go" {
        let mode = meta(t, "mode").unwrap_or("Unknown");
        let value = meta(t, "value")
            .map(|_| param(t, &float("value"), notes))
            .transpose()?;
        let legacy = meta(t, "queueLength")
            .map(|_| param(t, &float("queueLength"), notes))
            .transpose()?;
        let (target, key) = match (mode, value, legacy) {
            ("Unknown", None, None) => (20.0, None),
            ("Unknown", None, Some(q)) => (q, Some("queueLength")),
            ("QueueLength" | "MessageRate" | "Unknown", Some(v), _) => (v, Some("value")),
            ("QueueLength" | "MessageRate", None, _) => {
                return Err(refuse(at_key("mode"), "value must be specified"));
            }
            (other, ..) => {
                return Err(refuse(
                    at_key("mode"),
                    format!("trigger mode {other} must be one of QueueLength, MessageRate"),
                ));
            }
        };
        if target <= 0.0 {
            return Err(refuse(
                key.map_or(At::Metadata(None), at_key),
                "value must be greater than 0",
            ));
        }
        return Ok((target, key));
    }
    // redis streams
    let pending = param(t, &int("pendingEntriesCount", Missing::Is("5")), notes)?;
    let length = param(t, &int("streamLength", Missing::Is("5")), notes)?;
    let lag = param(t, &int("lagCount", Missing::Zero), notes)?;
    Ok(match meta(t, "consumerGroup") {
        None => (length, Some("streamLength")),
        Some(_) if lag != 0.0 => (lag, Some("lagCount")),
        Some(_) => (pending, Some("pendingEntriesCount")),
    })
}

/// datadog: `activationQueryValue` (API) or `activationTargetValue` (cluster
/// agent, `useClusterAgentProxy`); both are parsed.
fn datadog_activation(t: &Trigger, notes: &mut Vec<(String, String)>) -> Result<f64, Refusal> {
    let p = |k: &'static str| Param {
        key: k,
        alias: None,
        num: Num::Float64,
        default: Missing::Is("0"),
        from: Source::Metadata,
    };
    let query = param(t, &p("activationQueryValue"), notes)?;
    let target = param(t, &p("activationTargetValue"), notes)?;
    Ok(if flag(t, "useClusterAgentProxy", false)? {
        target
    } else {
        query
    })
}

/// cron: `cronMetadata` (typed config, then `Validate`).
fn window(t: &Trigger) -> Result<Window, Refusal> {
    let desired = parse_number(
        "desiredReplicas",
        meta(t, "desiredReplicas").unwrap_or(""),
        Num::Int64,
    )?;
    let text = |k| meta(t, k).unwrap_or("");
    Window::new(text("start"), text("end"), text("timezone"), desired as i64).map_err(|e| {
        let key = if e.contains("start schedule") || e.contains("same time") {
            "start"
        } else if e.contains("end schedule") {
            "end"
        } else {
            "desiredReplicas"
        };
        refuse(at_key(key), e)
    })
}

/// `parseCronTimeFormat` in the cron metric's name.
fn cron_name(t: &Trigger) -> String {
    let f = |s: &str| {
        s.replace(' ', "")
            .replace('*', "x")
            .replace('/', "Sl")
            .replace('?', "Qm")
            .replace(',', "Cm")
    };
    let text = |k| meta(t, k).unwrap_or("");
    format!(
        "cron-{}-{}-{}",
        text("timezone"),
        f(text("start")),
        f(text("end"))
    )
}

/// cpu/memory (`cpu_memory_scaler.go` `parseResourceMetadata`).
fn resource(t: &Trigger) -> Result<Scaler, Refusal> {
    let mt = t.metric_type.clone().unwrap_or_default();
    if mt != "Utilization" && mt != "AverageValue" {
        return Err(refuse(
            At::Metadata(None),
            format!(
                "unknown metric type: {mt}, allowed values are 'Utilization' or 'AverageValue'"
            ),
        ));
    }
    let Some(value) = meta(t, "value") else {
        return Err(refuse(
            At::Metadata(None),
            "missing required parameter \"value\" in [triggerMetadata]",
        ));
    };
    let target = if mt == "Utilization" {
        value.parse::<i32>().map(f64::from).map_err(|_| {
            refuse(
                at_key("value"),
                format!("error parsing value: {value:?} is not an integer"),
            )
        })?
    } else {
        crate::quantity::Quantity::parse(value)
            .map_err(|e| refuse(at_key("value"), e.to_string()))?
            .milli_value() as f64
            / 1000.0
    };
    let container = meta(t, "containerName").map(str::to_string);
    Ok(Scaler {
        metric_name: t.type_.clone(),
        target,
        activation: 0.0,
        activity: Activity::Never,
        metric_type: mt,
        resource: Some((t.type_.clone(), container)),
        target_from_reading: false,
        notes: Vec::new(),
    })
}

/// `a`, `b` as Markdown code, comma-separated.
fn code_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `docs/scalers.md`: the table as Markdown.
pub fn markdown() -> String {
    let mut out = String::from(
        "# KEDA scalers\n\n\
         Generated from `engine/src/keda/scalers/table.rs` (a test fails when this file and the\n\
         table differ; `REPLICAST_BLESS=1 cargo test -p replicast-engine --lib scalers` rewrites it).\n\
         One row per trigger type that kedacore/keda (commit 8b4f083) builds in\n\
         `pkg/scaling/scalers_builder.go` `buildScaler`; any other type is refused with\n\
         `no scaler found for type: <type>` at `scaledObject.spec.triggers[i].type`.\n\n\
         - **target** and **activation**: the metadata key, its Go type (`int64` keys refuse\n\
           fractions) and its default (*required*: `missing required parameter`; *0*: optional,\n\
           Go's zero value). *unless source*: the check is skipped when the ScaledObject uses\n\
           `scalingModifiers` (the trigger is only a metric source).\n\
         - A key that may come from a TriggerAuthentication (`authParams` first) or from the\n\
           container's environment (`<key>FromEnv`) and is not in the metadata is refused:\n\
           replicast never sees secrets and never guesses.\n\
         - A target of 0 or less (where the scaler allows it) is refused: the HPA KEDA creates\n\
           would fail the API server's validation (`must be positive`).\n\
         - **metric types**: `AverageValue` (default) or `Value` unless stated.\n\
         - Other metadata keys (connection settings) are not read: they do not change the\n\
           decision.\n\n\
         | type | upstream `pkg/scalers/` | metric name `s<i>-…` | target | activation | metric types | the reading |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let param = |p: &Param| {
        let mut s = format!("`{}`", p.key);
        if let Some(a) = p.alias {
            s.push_str(&format!(" or `{a}`"));
        }
        s.push_str(&format!(" {}", p.num.go()));
        match p.default {
            Missing::Required => s.push_str(", required"),
            Missing::Is(d) => s.push_str(&format!(", default {d}")),
            Missing::Zero => s.push_str(", default 0 (optional)"),
        }
        match p.from {
            Source::Metadata => {}
            Source::MetadataThenEnv => s.push_str("; or `…FromEnv` (refused)"),
            Source::AuthThenMetadata => {
                s.push_str("; a TriggerAuthentication wins (refused when absent, noted when both)")
            }
        }
        s
    };
    for row in table::SCALERS {
        let types = code_list(row.types);
        let target = match row.target {
            Target::Key(p, rule) => {
                let mut s = param(&p);
                match rule {
                    Rule::None => {}
                    Rule::Positive(m) => s.push_str(&format!("; > 0 (`{m}`)")),
                    Rule::PositiveUnlessSource(m) => {
                        s.push_str(&format!("; > 0 unless source (`{m}`)"))
                    }
                    Rule::NonZeroUnlessSource(m) => {
                        s.push_str(&format!("; not 0 unless source (`{m}`)"))
                    }
                    Rule::SetUnlessSource(m) => {
                        s.push_str(&format!("; must be set unless source (`{m}`)"))
                    }
                }
                s
            }
            Target::Fixed(v) => format!("fixed {v}"),
            Target::Resource => {
                "`value`: a percent (Utilization) or a quantity (AverageValue)".into()
            }
            Target::External => {
                "the external scaler's GetMetricSpec: the reading's `target`".into()
            }
            Target::Modes => "by mode (see the reading)".into(),
            Target::Unsupported(why) => format!("refused by replicast: {why}"),
        };
        let activation = match row.activation {
            Activation::Above(p, neg) => {
                let mut s = format!("> {}", param(&p));
                if let Some(m) = neg {
                    s.push_str(&format!("; ≥ 0 (`{m}`)"));
                }
                s
            }
            Activation::AboveZero => "> 0".into(),
            Activation::AtLeastTarget => "≥ the target".into(),
            Activation::Window => "inside the window".into(),
            Activation::Never => "never".into(),
            Activation::Modes => "by mode (see the reading)".into(),
            Activation::Reported => "the scaler's IsActive: the reading's `active`".into(),
        };
        let mut metric_types = match row.metric_type {
            MetricType::Any => "any".to_string(),
            MetricType::Forced(m) => format!("always `{m}`"),
            MetricType::Resource => "`Utilization` or `AverageValue`, required".into(),
        };
        for (k, m) in row.deprecated {
            metric_types.push_str(&format!("; `{k}` refused: {m}"));
        }
        for (k, _) in row.unsupported_if {
            metric_types.push_str(&format!("; `{k}: true` refused by replicast"));
        }
        if !row.requires.is_empty() {
            metric_types.push_str(&format!("; requires {}", code_list(row.requires)));
        }
        out.push_str(&format!(
            "| {types} | `{}` | `{}` | {target} | {activation} | {metric_types} | {} |\n",
            row.file,
            if row.name.is_empty() {
                "(the resource)"
            } else {
                row.name
            },
            row.reads
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(type_: &str, metadata: &[(&str, &str)]) -> Trigger {
        Trigger {
            type_: type_.into(),
            metadata: metadata
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn every_type_of_build_scaler_has_one_row() {
        let mut seen: Vec<&str> = Vec::new();
        for row in table::SCALERS {
            for t in row.types {
                assert!(!seen.contains(t), "{t} twice");
                seen.push(t);
            }
        }
        // buildScaler at 8b4f083 has 79 cases.
        assert_eq!(seen.len(), 79);
    }

    #[test]
    fn unknown_type_is_refused_by_name() {
        let e = describe(&trigger("redis-list", &[]), 0).unwrap_err();
        assert_eq!(e.at, At::Type);
        assert_eq!(e.message, "no scaler found for type: redis-list");
    }

    #[test]
    fn defaults_and_numbers() {
        let s = describe(&trigger("redis", &[("listName", "jobs")]), 2).unwrap();
        assert_eq!((s.target, s.activation), (5.0, 0.0));
        assert_eq!(s.metric_name, "s2-redis-jobs");
        let s = describe(&trigger("artemis-queue", &[("queueName", "q")]), 0).unwrap();
        assert_eq!((s.target, s.activation), (10.0, 10.0));
        let e = describe(&trigger("redis", &[("listLength", "2.5")]), 0).unwrap_err();
        assert_eq!(e.at, At::Metadata(Some("listLength".into())));
        assert!(e.message.starts_with(
            "unable to set param \"listLength\" value \"2.5\": unable to unmarshal to field type int64"
        ));
        let e = describe(&trigger("beanstalkd", &[("tube", "t")]), 0).unwrap_err();
        assert_eq!(
            e.message,
            "missing required parameter \"value\" in [triggerMetadata]"
        );
        assert!(describe(&trigger("prometheus", &[("threshold", "+5")]), 0).is_err());
    }

    #[test]
    fn checks_and_metric_sources() {
        let e = describe(&trigger("metrics-api", &[("valueLocation", "a.b")]), 0).unwrap_err();
        assert_eq!(e.message, "no targetValue given in metadata");
        let cx = Context {
            as_metric_source: true,
            namespace: "",
        };
        assert!(describe_in(&trigger("metrics-api", &[]), 0, &cx).is_ok());
        let e = describe(&trigger("gcp-spanner", &[("targetValue", "-2.5")]), 0).unwrap_err();
        assert_eq!(e.message, "targetValue must be greater than 0, got -2.5");
        let e = describe(&trigger("openstack-metric", &[]), 0).unwrap_err();
        assert!(e.message.contains("must be positive"), "{}", e.message);
    }

    #[test]
    fn secrets_and_environment_are_never_guessed() {
        let mut t = trigger("elasticsearch", &[]);
        t.authentication_ref = Some(serde_json::json!({"name": "es-auth"}));
        let e = describe(&t, 0).unwrap_err();
        assert!(e.unsupported && e.message.contains("TriggerAuthentication"));
        t.metadata.insert("targetValue".into(), "7".into());
        let s = describe(&t, 0).unwrap();
        assert_eq!(s.target, 7.0);
        assert_eq!(s.notes.len(), 1);
        let e = describe(&trigger("nsq", &[("depthThresholdFromEnv", "DEPTH")]), 0).unwrap_err();
        assert_eq!(e.at, At::Metadata(Some("depthThresholdFromEnv".into())));
    }

    #[test]
    fn modes_names_and_forced_types() {
        let s = describe(&trigger("redis-streams", &[("stream", "s")]), 0).unwrap();
        assert_eq!(s.target, 5.0);
        let s = describe(
            &trigger(
                "redis-streams",
                &[("stream", "s"), ("consumerGroup", "g"), ("lagCount", "7")],
            ),
            0,
        )
        .unwrap();
        assert_eq!(s.target, 7.0);
        let s = describe(
            &trigger(
                "selenium-grid",
                &[("browserName", "chrome"), ("platformName", "linux")],
            ),
            1,
        )
        .unwrap();
        assert_eq!(s.metric_name, "s1-selenium-grid-chrome-linux");
        let mut t = trigger("pulsar", &[]);
        t.metric_type = Some("Value".into());
        assert_eq!(describe(&t, 0).unwrap().metric_type, "AverageValue");
        let s = describe(
            &trigger(
                "aws-sqs-queue",
                &[("queueURL", "https://sqs/1/orders.fifo")],
            ),
            0,
        )
        .unwrap();
        assert_eq!(s.metric_name, "s0-aws-sqs-orders-fifo");
        let s = describe(&trigger("kafka", &[("consumerGroup", "g")]), 0).unwrap();
        assert_eq!(s.metric_name, "s0-kafka-g-topics");
    }

    #[test]
    fn docs_match_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/scalers.md");
        let want = markdown();
        if std::env::var_os("REPLICAST_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/scalers.md differs from the scaler table: run REPLICAST_BLESS=1 cargo test -p replicast-engine --lib scalers"
        );
    }
}
