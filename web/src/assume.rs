//! What the run assumed, as chips the user can change: each signal the
//! engine inferred for a metric (`gpu_utilization_percent ← gpu · assumed
//! from the name`), the default load, the broker mode. A click opens a
//! chooser of the built-in signals, one line on each; choosing writes
//! `signals: {metric: signal}` into the scenario text, so a share link keeps
//! it. An error for an unmapped metric offers the same chooser.
//!
//! The engine decides every assumption ([`replicast_engine::sim::infer`]);
//! this module only shows them and writes the choice back.

use replicast_engine::sim::Assumption;
use replicast_engine::sim::scenario::{SIGNALS, Signal};
use serde_json::Value;
use yew::prelude::*;

use crate::msg::{Link, Msg};
use crate::text_blocks;
use crate::value_edit::{Doc, Key};

pub use crate::msg::Open;

/// The scenario with `signals.<metric>` set to `signal`.
pub fn with_signal(doc: &Doc, metric: &str, signal: &str) -> String {
    let path = [Key::Name("signals".into()), Key::Name(metric.into())];
    doc.set(&path, Value::String(signal.into()), signal)
}

/// The scenario with the assumed load (scenario YAML in flow style)
/// written as its `load:`.
pub fn with_load(current: &str, flow: &str) -> String {
    let block = format!("load: {flow}");
    text_blocks::set_block(current, "load", Some(&block), &["seed", "step", "duration"])
}

/// The scenario with `workload.mode` set.
pub fn with_mode(doc: &Doc, mode: &str) -> String {
    let path = [Key::Name("workload".into()), Key::Name("mode".into())];
    doc.set(&path, Value::String(mode.into()), mode)
}

/// The metric an error says reads no signal (`pods metric `foo` reads no
/// signal ...` → `foo`).
pub fn unmapped_metric(message: &str) -> Option<&str> {
    let end = message.find("` reads no signal")?;
    let start = message[..end].rfind('`')? + 1;
    Some(&message[start..end])
}

/// The likeliest signals first, as the error lists them; every built-in
/// signal otherwise.
fn order(message: Option<&str>) -> Vec<Signal> {
    let listed: Vec<Signal> = message
        .and_then(|m| m.split("one of ").nth(1))
        .map(|rest| {
            rest.split([',', ' ', '('])
                .filter_map(Signal::from_name)
                .collect()
        })
        .unwrap_or_default();
    if listed.len() == SIGNALS.len() {
        listed
    } else {
        SIGNALS.to_vec()
    }
}

/// The chooser: every built-in signal with one line on it; choosing maps
/// `metric` to it.
pub fn chooser(metric: &str, current: Option<&str>, hint: Option<&str>, link: &Link) -> Html {
    let items = order(hint).into_iter().map(|s| {
        let name = s.name();
        let on = current == Some(name);
        let m = metric.to_owned();
        html! {
            <li>
                <button type="button" class={if on { "choice on" } else { "choice" }} data-signal={name}
                    aria-pressed={on.to_string()}
                    onclick={link.callback(move |_| Msg::MapSignal(m.clone(), name.to_owned()))}>
                    <b>{ name }</b><span>{ s.summary() }</span>
                </button>
            </li>
        }
    });
    html! {
        <ul class="chooser" role="group" aria-label={format!("What {metric} reads")}>{ for items }</ul>
    }
}

/// The chips of the assumptions (each shown once, though every variant
/// lists it), with the open one's chooser.
pub fn chips(list: &[Assumption], open: Option<&Open>, link: &Link) -> Html {
    if list.is_empty() {
        return html! {};
    }
    let items = list.iter().enumerate().map(|(i, a)| {
        let is_open = open == Some(&Open::Assumption(i));
        let toggle = link.callback(move |_| Msg::Choose(if is_open { None } else { Some(Open::Assumption(i)) }));
        let (who, what) = match a.path.as_str() {
            "load" => ("load".to_owned(), "ramp and spike".to_owned()),
            "workload.mode" => ("workload.mode".to_owned(), a.signal.clone()),
            _ => (a.metric.clone(), a.signal.clone()),
        };
        let place = a.line.map(|l| format!("line {l}")).unwrap_or_default();
        let body = match a.path.as_str() {
            "load" => {
                let flow = a.signal.clone();
                html! {
                    <div class="chooser">
                        <p class="reason">{ &a.reason }</p>
                        <code>{ &a.signal }</code>
                        <button type="button" class="choice" id="keep-load"
                            onclick={link.callback(move |_| Msg::KeepLoad(flow.clone()))}>
                            <b>{ "write it as load:" }</b><span>{ "then shape it in the Load tab" }</span>
                        </button>
                    </div>
                }
            }
            "workload.mode" => {
                const MODES: [(&str, &str); 2] = [
                    ("http", "requests queue at the pods, dropped after the timeout"),
                    ("queue", "messages wait in a broker queue"),
                ];
                html! {
                    <div class="chooser">
                        <p class="reason">{ &a.reason }</p>
                        <ul>{ for MODES.iter().map(|(m, line)| html! {
                            <li><button type="button" class="choice" data-signal={*m}
                                onclick={link.callback(move |_| Msg::SetMode((*m).to_owned()))}>
                                <b>{ *m }</b><span>{ *line }</span></button></li>
                        }) }</ul>
                    </div>
                }
            }
            _ => html! {
                <div>
                    <p class="reason">{ &a.reason }</p>
                    { chooser(&a.metric, Some(&a.signal), None, link) }
                </div>
            },
        };
        html! {
            <li class="assumption" data-metric={who.clone()} data-signal={a.signal.clone()}>
                <button type="button" class={if is_open { "chip open" } else { "chip" }}
                    aria-expanded={is_open.to_string()} title={a.reason.clone()} onclick={toggle}>
                    <span class="metric">{ who }</span>{ " ← " }<b>{ what }</b>
                    <span class="why">{ format!(" · {}", if a.path == "load" { "none given" } else { short_reason(&a.reason) }) }</span>
                    if !place.is_empty() { <small>{ format!(" ({place})") }</small> }
                </button>
                if is_open { { body } }
            </li>
        }
    });
    html! {
        <div id="assumptions" class="assumptions" aria-label="Assumptions">
            <p class="hint">{ "Assumed, not read from the scenario (click to choose):" }</p>
            <ul>{ for items }</ul>
        </div>
    }
}

/// `assumed from the name (`gpu`); per replica: ...` → `assumed from the name`.
fn short_reason(reason: &str) -> &str {
    let end = reason
        .find(" (")
        .or_else(|| reason.find(';'))
        .or_else(|| reason.find(':'));
    &reason[..end.unwrap_or(reason.len())]
}

/// Every assumption once: the same path and signal in several variants is
/// one chip.
pub fn distinct(variants: &[replicast_engine::sim::Variant]) -> Vec<Assumption> {
    let mut out: Vec<Assumption> = Vec::new();
    for v in variants {
        for a in &v.assumptions {
            if !out.iter().any(|b| b.path == a.path && b.signal == a.signal) {
                out.push(a.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmapped_metrics_are_read_from_the_message() {
        let m = "pods metric `foo` reads no signal, and nothing in its name tells which: map it \
                 in `signals:` to one of queuePerReplica, inflight, latency, gpu, arrivalRate, cpu, \
                 memory, queue, replicas, readyReplicas (likeliest first; e.g. `signals: {foo: queuePerReplica}`)";
        assert_eq!(unmapped_metric(m), Some("foo"));
        assert_eq!(order(Some(m))[0], Signal::QueuePerReplica);
        assert_eq!(order(Some(m)).len(), SIGNALS.len());
        assert_eq!(unmapped_metric("something else"), None);
        assert_eq!(order(None), SIGNALS.to_vec());
    }

    #[test]
    fn choosing_writes_signals_into_the_scenario() {
        let text = "manifests: |\n  a: 1\nload: [{constant: 5}]\n";
        let doc = Doc::read(text).unwrap();
        let out = with_signal(&doc, "vllm:num_requests_waiting", "queue");
        let again = Doc::read(&out).unwrap();
        assert_eq!(
            again.get(&[
                Key::Name("signals".into()),
                Key::Name("vllm:num_requests_waiting".into())
            ]),
            Some(&Value::String("queue".into())),
            "{out}"
        );
        let out = with_signal(&again, "vllm:num_requests_waiting", "latency");
        assert!(out.contains("latency") && !out.contains(": queue"), "{out}");
        let out = with_load("manifests: x\n", "[{constant: 2.5}]");
        assert!(out.contains("load: [{constant: 2.5}]"), "{out}");
    }

    #[test]
    fn reasons_are_shortened_for_the_chip() {
        assert_eq!(
            short_reason("assumed from the name (`gpu`)"),
            "assumed from the name"
        );
        assert_eq!(
            short_reason("assumed from the trigger type (kafka: the queue's length); the total"),
            "assumed from the trigger type"
        );
    }
}
