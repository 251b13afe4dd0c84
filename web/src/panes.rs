//! The forms (load, workload) and the result panes (readout at the
//! cursor, summary, the engine's notes) as view functions of the page.

use std::collections::HashMap;

use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::charts;
use crate::chartview::slider_step;
use crate::dom::select_value;
use crate::fmt;
use crate::frame::{Frame, VariantFrame};
use crate::model::unit_suffix;
use crate::model::{self, Field, Unit};
use crate::msg::{Link, Msg};
use crate::scenario_info::Info;
use crate::value_edit::{Doc, Key, path_id};

/// A slider's range and step for a field: wide enough to explore, fixed
/// while the user drags (so the thumb does not run away).
pub fn range_for(f: &Field, duration: f64, info: Option<&Info>) -> (f64, f64, f64) {
    let v = f.value.or_else(|| default_of(f, info)).unwrap_or(0.0);
    let last = match f.path.last() {
        Some(Key::Name(n)) => n.as_str(),
        _ => "",
    };
    let nice = |x: f64| {
        let x = x.max(1e-9);
        let e = 10f64.powf(x.log10().floor());
        [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * e)
            .find(|c| *c >= x)
            .unwrap_or(10.0 * e)
    };
    match f.unit {
        Unit::Rate => {
            let max = nice((v * 4.0).max(10.0));
            (0.0, max, (max / 400.0).max(0.001))
        }
        Unit::Time => (0.0, duration, slider_step(duration)),
        Unit::Length => match last {
            "for" => (
                0.0,
                (duration / 4.0).max(v * 2.0),
                slider_step(duration / 4.0),
            ),
            "period" => (300.0, (2.0 * 86_400.0f64).max(v * 2.0), 300.0),
            "interval" => (0.0, 600.0f64.max(v * 2.0), 1.0),
            "duration" => (600.0, (7.0 * 86_400.0f64).max(v), 600.0),
            "step" => (1.0, 60.0f64.max(v), 1.0),
            "schedule" | "pull" | "load" => (0.0, nice((v * 3.0).max(300.0)), 1.0),
            "latency" => {
                let max = nice((v * 4.0).max(10.0));
                (0.0, max, (max / 500.0).max(0.01))
            }
            _ => (0.0, nice((v * 4.0).max(60.0)), 1.0),
        },
        Unit::Fraction => (0.0, 1.0, 0.01),
        Unit::Number => match last {
            "busy" | "idle" => (0.0, 100.0, 1.0),
            "seed" => (0.0, 1000.0, 1.0),
            _ => {
                let max = nice((v * 4.0).max(10.0));
                (0.0, max, (max / 1000.0).max(0.01))
            }
        },
    }
}

/// The engine's default for a workload or cost field (what the run uses
/// when the scenario does not say).
fn default_of(f: &Field, info: Option<&Info>) -> Option<f64> {
    let v = info?.variants.first()?;
    let w = &v.workload;
    let names: Vec<&str> = f
        .path
        .iter()
        .filter_map(|k| match k {
            Key::Name(n) => Some(n.as_str()),
            Key::Index(_) => None,
        })
        .collect();
    Some(match names.as_slice() {
        ["workload", "capacityPerReplica"] => w.capacity_per_replica,
        ["workload", "coldStart", "schedule"] => w.schedule.as_secs_f64(),
        ["workload", "coldStart", "pull"] => w.pull.as_secs_f64(),
        ["workload", "coldStart", "load"] => w.load.as_secs_f64(),
        ["workload", "timeout"] => w.timeout.as_secs_f64(),
        ["workload", "slo", "latency"] => w.slo_latency.as_secs_f64(),
        ["workload", "gpu", "busy"] => w.gpu.busy,
        ["cost", "perReplicaHour"] => v.cost.0,
        ["duration"] => info?.duration,
        ["step"] => info?.step,
        ["seed"] => 0.0,
        _ => return None,
    })
}

/// One number with its slider and box.
fn number_field(
    f: &Field,
    ranges: &HashMap<String, (f64, f64, f64)>,
    info: Option<&Info>,
    link: &Link,
) -> Html {
    let id = format!("f-{}", path_id(&f.path).replace('.', "-"));
    let (min, max, step) = ranges
        .get(&path_id(&f.path))
        .copied()
        .unwrap_or((0.0, 100.0, 1.0));
    let given = f.value;
    let default = default_of(f, info);
    let shown = given.or(default);
    let slide = {
        let f = f.clone();
        link.callback(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let v = input.value_as_number();
            Msg::Number(
                f.clone(),
                if v.is_finite() { v } else { 0.0 },
                e.time_stamp(),
            )
        })
    };
    let typed = {
        let f = f.clone();
        link.batch_callback(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let parsed = f.parse(&input.value());
            if parsed.is_none() {
                input.set_custom_validity("a number (or a duration such as 90s, 5m, 1h30m)");
                input.report_validity();
            } else {
                input.set_custom_validity("");
            }
            parsed.map(|v| Msg::Number(f.clone(), v, e.time_stamp()))
        })
    };
    let class = if given.is_none() {
        "field default"
    } else {
        "field"
    };
    let slider_value = shown
        .unwrap_or(min)
        .clamp(min, max.max(shown.unwrap_or(min)));
    html! {
        <div class={class} title={f.hint}>
            <label for={id.clone()}>{ f.label }</label>
            <input type="range" class="slider" min={min.to_string()} max={max.max(slider_value).to_string()}
                step={step.to_string()} value={slider_value.to_string()}
                aria-label={format!("{} slider", f.label)} aria-valuetext={shown.map(|v| f.shown(v)).unwrap_or_default()}
                data-path={path_id(&f.path)} oninput={slide} />
            <input type="text" class="num" id={id} inputmode={if matches!(f.unit, Unit::Time | Unit::Length) { "text" } else { "decimal" }}
                value={given.map(|v| f.shown(v)).unwrap_or_default()}
                placeholder={default.map(|v| f.shown(v)).unwrap_or_else(|| "default".into())}
                data-path={path_id(&f.path)} onchange={typed} />
            <span class="unit">{ unit_suffix(f.unit) }</span>
        </div>
    }
}

fn disabled_form() -> Html {
    html! {
        <p class="disabled">{ "The YAML has a syntax error. Fix it in the YAML tab; the forms come back as soon as it reads." }</p>
    }
}

/// Reads a dropped or chosen CSV file, then sends it as `Msg::Csv(index, text)`.
fn read_file(file: web_sys::File, index: Option<usize>, link: &Link) {
    let link = link.clone();
    yew::platform::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            if let Some(text) = text.as_string() {
                link.send_message(Msg::Csv(index, text));
            }
        }
    });
}

fn drop_zone(index: Option<usize>, link: &Link) -> Html {
    let over = Callback::from(|e: DragEvent| {
        e.prevent_default();
        if let Some(dt) = e.data_transfer() {
            dt.set_drop_effect("copy");
        }
    });
    let dropped = {
        let link = link.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            // Handled here: the page-wide drop handler must not add it again.
            e.stop_propagation();
            let file = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                read_file(file, index, &link);
            }
        })
    };
    let chosen = {
        let link = link.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_file(file, index, &link);
            }
            input.set_value("");
        })
    };
    let id = match index {
        Some(i) => format!("csv-file-{i}"),
        None => "csv-file".into(),
    };
    html! {
        <div class="drop" ondragover={over} ondrop={dropped}>
            <span>{ if index.is_some() { "Drop a CSV (t,rate) here, or " } else { "Drop a CSV trace (t,rate) here, or " } }</span>
            <label class="file" for={id.clone()}>{ "choose a file" }</label>
            <input type="file" id={id} class="visually-hidden" accept=".csv,text/csv,text/plain" onchange={chosen} />
        </div>
    }
}

/// The Load tab.
pub fn load_pane(
    doc: Option<&Doc>,
    info: Option<&Info>,
    ranges: &HashMap<String, (f64, f64, f64)>,
    link: &Link,
) -> Html {
    let Some(doc) = doc else {
        return disabled_form();
    };
    let run = model::run_fields(doc);
    let segments = model::segments(doc);
    let rows = segments.iter().map(|s| {
        let i = s.index;
        let label = model::SEGMENTS
            .iter()
            .find(|(k, _)| *k == s.kind)
            .map_or(s.kind.as_str(), |(_, l)| *l);
        let fields = s.fields.iter().map(|f| number_field(f, ranges, info, link));
        let csv = s.csv.as_ref().map(|csv| {
            let change = link.callback(move |e: Event| Msg::Csv(Some(i), crate::dom::area_value(&e)));
            html! {
                <>
                    <textarea class="csv" rows="4" spellcheck="false" aria-label={format!("Trace {} points (CSV)", i + 1)}
                        value={csv.clone()} onchange={change} />
                    { drop_zone(Some(i), link) }
                </>
            }
        });
        html! {
            <fieldset class="segment" data-kind={s.kind.clone()} data-index={i.to_string()}>
                <legend>
                    <span class={format!("kind k-{}", s.kind)}>{ label }</span>
                    <button type="button" class="x" aria-label={format!("Remove segment {} ({label})", i + 1)}
                        onclick={link.callback(move |_| Msg::RemoveSegment(i))}>{ "×" }</button>
                </legend>
                { for fields }
                { for csv }
                if let Some(n) = &s.note { <p class="hint">{ n }</p> }
            </fieldset>
        }
    });
    let add = link.batch_callback(|e: Event| {
        let v = select_value(&e);
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        select.set_value("");
        (!v.is_empty()).then_some(Msg::AddSegment(v))
    });
    html! {
        <div class="form load-form">
            <fieldset class="run">
                <legend>{ "Run" }</legend>
                { for run.iter().map(|f| number_field(f, ranges, info, link)) }
            </fieldset>
            <p class="hint">{ "The arrival rate is the sum of the segments; noise multiplies it. Sliders apply at once." }</p>
            <div class="segments">{ for rows }</div>
            <div class="add">
                <label for="add-segment">{ "Add a segment" }</label>
                <select id="add-segment" onchange={add}>
                    <option value="" selected=true>{ "choose…" }</option>
                    { for model::SEGMENTS.iter().map(|(k, l)| html! { <option value={*k}>{ *l }</option> }) }
                </select>
            </div>
            { drop_zone(None, link) }
        </div>
    }
}

/// The Workload tab.
pub fn workload_pane(
    doc: Option<&Doc>,
    info: Option<&Info>,
    ranges: &HashMap<String, (f64, f64, f64)>,
    link: &Link,
) -> Html {
    let Some(doc) = doc else {
        return disabled_form();
    };
    let fields = model::workload_fields(doc);
    let texts = model::workload_text_fields(doc);
    let mode = doc
        .get(&crate::key_path!["workload", "mode"])
        .and_then(|v| v.as_str())
        .unwrap_or("http")
        .to_owned();
    let on_mode =
        link.callback(|e: Event| Msg::Text(crate::key_path!["workload", "mode"], select_value(&e)));
    let v0 = info.and_then(|i| i.variants.first());
    let readiness = match v0 {
        Some(v) if !v.readiness.is_empty() => {
            let (delay, period) = v.readiness[0];
            format!(
                "{}: readinessProbe initialDelaySeconds {}, periodSeconds {}",
                v.target,
                fmt::span(delay),
                fmt::span(period)
            )
        }
        Some(v) => format!(
            "{}: no readinessProbe (ready once the model is loaded)",
            v.target
        ),
        None => "—".into(),
    };
    let text_field = |t: &model::TextField| {
        let id = format!("f-{}", path_id(&t.path).replace('.', "-"));
        let path = t.path.clone();
        let change = link.callback(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::Text(path.clone(), input.value())
        });
        html! {
            <div class="field text" title={t.hint}>
                <label for={id.clone()}>{ t.label }</label>
                <input type="text" class="num wide" id={id} value={t.value.clone().unwrap_or_default()}
                    placeholder={t.hint} onchange={change} />
            </div>
        }
    };
    let (cost_fields, work_fields): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .partition(|f| matches!(f.path.first(), Some(Key::Name(n)) if n == "cost"));
    html! {
        <div class="form workload-form">
            <fieldset>
                <legend>{ "Workload" }</legend>
                <div class="field">
                    <label for="f-workload-mode">{ "mode" }</label>
                    <select id="f-workload-mode" onchange={on_mode}>
                        <option value="http" selected={mode == "http"}>{ "http: requests queue at pods" }</option>
                        <option value="queue" selected={mode == "queue"}>{ "queue: messages in a broker" }</option>
                    </select>
                </div>
                { for work_fields.iter().map(|f| number_field(f, ranges, info, link)) }
                <div class="readiness">
                    <span class="label">{ "readiness" }</span>
                    <span class="value" id="readiness">{ readiness }</span>
                    <button type="button" class="link" onclick={link.callback(|_| Msg::FocusProbe)}>{ "edit the probe" }</button>
                </div>
                { for texts.iter().filter(|t| !matches!(t.path.first(), Some(Key::Name(n)) if n == "cost")).map(text_field) }
            </fieldset>
            <fieldset>
                <legend>{ "Cost" }</legend>
                { for cost_fields.iter().map(|f| number_field(f, ranges, info, link)) }
                { for texts.iter().filter(|t| matches!(t.path.first(), Some(Key::Name(n)) if n == "cost")).map(text_field) }
            </fieldset>
            <p class="hint">{ "Empty boxes use the engine's defaults (shown greyed). Variants may override the workload in the YAML." }</p>
        </div>
    }
}

fn swatch(i: usize) -> Html {
    let (r, g, b) = charts::variant_color(i);
    html! { <i class="sw line" style={format!("--c:rgb({r},{g},{b})")}></i> }
}

fn at(v: &VariantFrame, name: &str, row: usize) -> f64 {
    v.column(name)
        .and_then(|c| c.get(row))
        .copied()
        .unwrap_or(f64::NAN)
}

/// The readout at the cursor.
pub fn readout(frame: Option<&Frame>, cursor: f64, link: &Link) -> Html {
    let Some(frame) = frame else {
        return html! { <section class="readout" id="readout"><h2>{ "At the cursor" }</h2><p class="hint">{ "…" }</p></section> };
    };
    let rows: Vec<usize> = frame.variants.iter().map(|v| v.row_at(cursor)).collect();
    let cell = |f: &dyn Fn(&VariantFrame, usize) -> Html| {
        frame
            .variants
            .iter()
            .zip(&rows)
            .enumerate()
            .map(|(i, (v, &r))| html! { <td data-variant={i.to_string()}>{ f(v, r) }</td> })
            .collect::<Html>()
    };
    let num = |name: &'static str| {
        move |v: &VariantFrame, r: usize| -> Html {
            html! { { fmt::short(at(v, name, r)) } }
        }
    };
    // Metrics, by label, over all variants.
    let mut metrics: Vec<String> = Vec::new();
    for v in &frame.variants {
        for m in &v.metrics {
            let l = charts::metric_label(frame, m);
            if !metrics.contains(&l) {
                metrics.push(l);
            }
        }
    }
    let metric_rows = metrics.iter().map(|label| {
        let label2 = label.clone();
        let f = move |v: &VariantFrame, r: usize| -> Html {
            let ms: Vec<&crate::frame::Metric> = v.metrics.iter().filter(|m| charts::metric_label(frame, m) == label2).collect();
            if ms.is_empty() {
                return html! { <span class="na">{ "—" }</span> };
            }
            ms.iter()
                .map(|m| {
                    let seen = at(v, &m.column, r);
                    let over = m.target.is_some_and(|t| seen > t);
                    let value = if seen.is_finite() { format!("{}{}", fmt::short(seen), m.unit) } else { "no data".into() };
                    let target = m.target.map(|t| format!(" of {}{}", fmt::short(t), m.unit)).unwrap_or_default();
                    html! { <span class={if over { "over" } else { "" }} title={format!("{} · {}", m.autoscaler, m.kind)}>{ value }<small>{ target }</small></span> }
                })
                .collect::<Html>()
        };
        html! { <tr data-row={format!("metric-{label}")}><th title={label.clone()}>{ label }</th>{ cell(&f) }</tr> }
    });
    let has_nodes = frame.variants.iter().any(|v| v.column("nodes").is_some());
    let latency = |v: &VariantFrame, r: usize| -> Html {
        let l = at(v, "latencyP95", r);
        let over = l > v.slo_latency;
        html! { <span class={if over { "over" } else { "" }}>{ fmt::seconds_short(l) }<small>{ format!(" SLO {}", fmt::seconds_short(v.slo_latency)) }</small></span> }
    };
    let ready = |v: &VariantFrame, r: usize| -> Html {
        html! { <>{ fmt::short(at(v, "readyReplicas", r)) }<small>{ format!(" of {} pods", fmt::short(at(v, "replicas", r))) }</small></> }
    };
    let decisions = frame.variants.iter().enumerate().map(|(i, v)| {
        let d = v.last_decision(cursor);
        html! {
            <div class="decision" data-variant={i.to_string()}>
                <div class="who">{ swatch(i) }<b>{ &v.name }</b>
                    if let Some(d) = d {
                        <span class="when">{ format!("{} · {} ago · {}", fmt::clock_full(d.time), fmt::span(cursor - d.time), d.autoscaler) }</span>
                    }
                </div>
                <p class="why">{ d.map_or_else(|| "No scaling decision yet.".to_owned(), |d| d.explanation.clone()) }</p>
            </div>
        }
    });
    html! {
        <section class="readout" id="readout" aria-label="At the cursor" aria-live="off">
            <header>
                <h2>{ "At " }<time id="readout-time">{ fmt::clock_full(cursor) }</time></h2>
                <div class="jump">
                    <button type="button" id="prev-decision" title="Previous decision" aria-label="Previous decision"
                        onclick={link.callback(|_| Msg::Jump(-1))}>{ "◀ decision" }</button>
                    <button type="button" id="next-decision" title="Next decision" aria-label="Next decision"
                        onclick={link.callback(|_| Msg::Jump(1))}>{ "decision ▶" }</button>
                </div>
            </header>
            <table>
                <thead><tr><th></th>{ for frame.variants.iter().enumerate().map(|(i, v)| html! { <th scope="col">{ swatch(i) }{ &v.name }</th> }) }</tr></thead>
                <tbody>
                    <tr data-row="load"><th>{ "load /s" }</th>{ cell(&num("arrivalRate")) }</tr>
                    <tr data-row="desired"><th>{ "desired" }</th>{ cell(&num("desiredReplicas")) }</tr>
                    <tr data-row="ready"><th>{ "ready" }</th>{ cell(&ready) }</tr>
                    if has_nodes { <tr data-row="nodes"><th>{ "nodes" }</th>{ cell(&num("nodes")) }</tr> }
                    <tr data-row="queue"><th>{ "queue" }</th>{ cell(&num("queue")) }</tr>
                    <tr data-row="latency"><th>{ "p95 latency" }</th>{ cell(&latency) }</tr>
                    { for metric_rows }
                </tbody>
            </table>
            <h3>{ "Last decision" }</h3>
            <div class="decisions">{ for decisions }</div>
        </section>
    }
}

/// The summary table, variants side by side.
pub fn summary(frame: Option<&Frame>) -> Html {
    let Some(frame) = frame else {
        return html! {};
    };
    type Get = fn(&VariantFrame) -> f64;
    type Show = fn(f64, &VariantFrame) -> String;
    let rows: [(&str, &str, Get, Show, bool); 8] = [
        (
            "replicaHours",
            "replica-hours",
            |v| v.summary.replica_hours,
            |x, _| fmt::short(x),
            true,
        ),
        (
            "cost",
            "cost",
            |v| v.summary.cost,
            |x, v| fmt::money(x, &v.summary.currency),
            true,
        ),
        (
            "secondsOverSlo",
            "time over SLO",
            |v| v.summary.seconds_over_slo,
            |x, _| fmt::span(x),
            true,
        ),
        (
            "dropped",
            "dropped work",
            |v| v.summary.dropped,
            |x, _| fmt::count(x),
            true,
        ),
        (
            "peakQueue",
            "peak queue",
            |v| v.summary.peak_queue,
            |x, _| fmt::short(x),
            true,
        ),
        (
            "peakReplicas",
            "peak replicas",
            |v| v.summary.peak_replicas,
            |x, _| fmt::short(x),
            true,
        ),
        (
            "scaleEvents",
            "scale events",
            |v| v.summary.scale_events,
            |x, _| fmt::count(x),
            true,
        ),
        (
            "timeToCapacity",
            "time to capacity",
            worst_rise,
            |_, v| rise_text(v),
            true,
        ),
    ];
    let first = frame.variants.first().cloned();
    let body = rows.iter().map(|(key, label, get, show, lower_better)| {
        let cells = frame.variants.iter().enumerate().map(|(i, v)| {
            let x = get(v);
            let delta = match (&first, i) {
                (Some(f), i) if i > 0 && x.is_finite() && get(f).is_finite() => {
                    let d = x - get(f);
                    if d.abs() < 1e-9 {
                        html! { <small class="same">{ "=" }</small> }
                    } else {
                        let better = (d < 0.0) == *lower_better;
                        let text = if *key == "cost" || *key == "replicaHours" || *key == "peakQueue" {
                            format!("{}{}", if d > 0.0 { "+" } else { "−" }, fmt::short(d.abs()))
                        } else if *key == "secondsOverSlo" || *key == "timeToCapacity" {
                            format!("{}{}", if d > 0.0 { "+" } else { "−" }, fmt::span(d.abs()))
                        } else {
                            format!("{}{}", if d > 0.0 { "+" } else { "−" }, fmt::count(d.abs()))
                        };
                        html! { <small class={if better { "better" } else { "worse" }}>{ text }</small> }
                    }
                }
                _ => html! {},
            };
            html! { <td data-metric={*key} data-variant={i.to_string()}>{ show(x, v) }{ delta }</td> }
        });
        html! { <tr><th scope="row">{ *label }</th>{ for cells }</tr> }
    });
    html! {
        <section class="summary" id="summary" aria-label="Summary">
            <h2>{ "Summary" }</h2>
            <table>
                <thead><tr><th></th>{ for frame.variants.iter().enumerate().map(|(i, v)| html! { <th scope="col">{ swatch(i) }{ &v.name }</th> }) }</tr></thead>
                <tbody>{ for body }{ crate::reference::rows(frame) }</tbody>
            </table>
        </section>
    }
}

fn worst_rise(v: &VariantFrame) -> f64 {
    let rises = &v.summary.time_to_capacity;
    if rises.iter().any(|r| r.seconds.is_none()) {
        return f64::INFINITY;
    }
    rises
        .iter()
        .filter_map(|r| r.seconds)
        .fold(f64::NAN, f64::max)
}

fn rise_text(v: &VariantFrame) -> String {
    let rises = &v.summary.time_to_capacity;
    if rises.is_empty() {
        return "no rise".into();
    }
    let never = rises.iter().filter(|r| r.seconds.is_none()).count();
    if never > 0 {
        return format!("never for {never} of {}", rises.len());
    }
    let worst = rises.iter().filter_map(|r| r.seconds).fold(0.0, f64::max);
    format!(
        "≤ {} ({} rise{})",
        fmt::span(worst),
        rises.len(),
        if rises.len() == 1 { "" } else { "s" }
    )
}

/// The engine's notes on the manifests, each once, with the variants it
/// concerns.
pub fn warnings(frame: Option<&Frame>) -> Html {
    let Some(frame) = frame else {
        return html! {};
    };
    let mut notes: Vec<(String, Vec<String>)> = Vec::new();
    for v in &frame.variants {
        for w in &v.warnings {
            match notes.iter_mut().find(|(n, _)| n == w) {
                Some((_, who)) => who.push(v.name.clone()),
                None => notes.push((w.clone(), vec![v.name.clone()])),
            }
        }
    }
    if notes.is_empty() {
        return html! {};
    }
    let all = frame.variants.len();
    html! {
        <section class="warnings" id="warnings" aria-label="Notes on the manifests">
            <h2>{ "Notes" }</h2>
            <ul>
                { for notes.iter().map(|(n, who)| html! {
                    <li>
                        if all > 1 && who.len() < all { <b>{ format!("{}: ", who.join(", ")) }</b> }
                        { n }
                    </li>
                }) }
            </ul>
        </section>
    }
}
