//! The Tune tab: the knobs the engine would search, with their values
//! (editable: an edit writes `tune.knobs` into the scenario), Run and
//! Cancel with the search's progress, and the result: the frontier chart
//! (a click loads a point as the compare variant), the best's changes and
//! its manifests as a diff of the text as written.

use std::rc::Rc;

use replicast_engine::tune::{self, KnobInfo, Progress, TuneResult};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::frontier_chart::{Dot, FrontierChart, FrontierData};
use crate::msg::{Link, Msg};
use crate::tune_run::Finished;

/// What the pane shows.
pub struct TuneView<'a> {
    /// The knobs the engine would search, or why the scenario cannot be tuned.
    pub knobs: Option<&'a Result<Vec<KnobInfo>, String>>,
    /// The running search's progress and workers.
    pub running: Option<(&'a Progress, usize)>,
    /// The last result.
    pub done: Option<&'a Rc<Finished>>,
    /// The frontier chart's data (made once per result).
    pub chart: Option<&'a Rc<FrontierData>>,
    /// A note (cancelled, failed).
    pub note: Option<&'a str>,
    /// The manifests as written (for the diff).
    pub written: Option<&'a str>,
}

/// A knob's values as the input shows them: `1, 2, 5, 500m`.
pub fn values_text(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Values typed as `1, 2, 5, 500m`: numbers as numbers, the rest as text
/// (quantities); `None` when empty.
pub fn parse_values(text: &str) -> Option<Vec<Value>> {
    let list: Vec<Value> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<f64>() {
            Ok(n) if n.is_finite() => serde_json::json!(n),
            _ => Value::String(s.to_owned()),
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

/// `tune.knobs` written from the knobs shown, knob `index` given `values`
/// (`None`: removed).
pub fn knobs_value(knobs: &[KnobInfo], index: usize, values: Option<Vec<Value>>) -> Value {
    let mut values = Some(values);
    Value::Array(
        knobs
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                let v = if i == index {
                    values.take().flatten()?
                } else {
                    k.values.clone()
                };
                Some(serde_json::json!({"object": k.object, "path": k.path, "values": v}))
            })
            .collect(),
    )
}

/// The chart's data from a result.
pub fn chart_data(r: &TuneResult) -> FrontierData {
    let axis = |s| tune::field(s, &r.frontier_field).unwrap_or(f64::NAN);
    let key = |c: &[tune::Change]| -> Vec<(String, String, Value)> {
        c.iter()
            .map(|c| (c.object.clone(), c.path.clone(), c.to.clone()))
            .collect()
    };
    let best = r.best.as_ref().and_then(|b| {
        let want = key(&b.changes);
        r.frontier.iter().position(|p| key(&p.changes) == want)
    });
    FrontierData {
        points: r
            .frontier
            .iter()
            .map(|p| Dot {
                x: p.objective,
                y: axis(&p.summary),
                feasible: p.feasible,
            })
            .collect(),
        baseline: Dot {
            x: r.baseline.objective,
            y: axis(&r.baseline.summary),
            feasible: r.baseline.feasible,
        },
        best,
        labels: (r.objective.clone(), r.frontier_field.clone()),
    }
}

/// The lines that differ between `from` and `to`, each group with one
/// line of context: `(mark, line)`, mark `-`, `+` or ` `.
pub fn changed_lines<'a>(from: &'a str, to: &'a str) -> Vec<(char, &'a str)> {
    let diff = similar::TextDiff::from_lines(from, to);
    let mut out = Vec::new();
    for group in diff.grouped_ops(1) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let mark = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push((mark, change.value().trim_end_matches('\n')));
            }
        }
    }
    out
}

/// The pane.
pub fn tune_pane(v: &TuneView<'_>, link: &Link) -> Html {
    let knobs = match v.knobs {
        None => html! {},
        Some(Err(e)) => html! { <p class="tune-error" role="alert">{ e }</p> },
        Some(Ok(list)) => knob_list(list, link),
    };
    let controls = match v.running {
        Some((p, workers)) => html! {
            <div class="tune-progress" role="status">
                <progress id="tune-progress" max={p.budget.to_string()} value={p.done.to_string()} />
                <span id="tune-done">{ format!("{} / {} candidates", p.done, p.budget) }</span>
                <span>{ format!(" · {workers} workers") }</span>
                if let Some(b) = p.best { <span>{ format!(" · best {}", crate::fmt::short(b)) }</span> }
                <button type="button" id="tune-cancel" onclick={link.callback(|_| Msg::TuneCancel)}>{ "Cancel" }</button>
            </div>
        },
        None => html! {
            <button type="button" id="tune-run" class="primary" disabled={!matches!(v.knobs, Some(Ok(_)))}
                onclick={link.callback(|_| Msg::TuneRun)}>{ "Run" }</button>
        },
    };
    html! {
        <div class="tune">
            <p class="hint">{ "The cheapest configuration of the first variant that keeps every constraint (default: no worse than as written on seconds over the SLO and dropped work)." }</p>
            { knobs }
            { controls }
            if let Some(n) = v.note { <p class="notice" id="tune-note" role="status">{ n }</p> }
            if let Some(done) = v.done { { result(done, v.chart, v.written, link) } }
        </div>
    }
}

fn knob_list(list: &[KnobInfo], link: &Link) -> Html {
    let rows = list.iter().enumerate().map(|(i, k)| {
        let edit = link.batch_callback(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            parse_values(&input.value()).map(|v| Msg::TuneKnob(i, Some(v)))
        });
        html! {
            <li class="knob">
                <span class="object">{ &k.object }</span>
                <label class="path" for={format!("knob-{i}")}>{ &k.path }</label>
                <input id={format!("knob-{i}")} class="values" value={values_text(&k.values)} onchange={edit}
                    title={format!("as written: {}", k.from)} />
                <button type="button" class="x" aria-label={format!("Remove knob {}", k.path)}
                    onclick={link.callback(move |_| Msg::TuneKnob(i, None))}>{ "×" }</button>
            </li>
        }
    });
    html! {
        <>
            <h3>{ format!("Knobs ({})", list.len()) }</h3>
            <ul id="tune-knobs" class="knobs">{ for rows }</ul>
        </>
    }
}

fn result(
    done: &Finished,
    chart: Option<&Rc<FrontierData>>,
    written: Option<&str>,
    link: &Link,
) -> Html {
    let r = &done.result;
    let summary = format!(
        "{} candidates in {:.1} s: {} feasible, {} refused, {} pruned{}",
        r.evaluated,
        done.ms / 1000.0,
        r.feasible,
        r.skipped,
        r.pruned,
        if r.cancelled { " (cancelled)" } else { "" }
    );
    let best = match &r.best {
        None => html! { <p id="tune-best">{ "No candidate meets the constraints." }</p> },
        Some(b) => {
            let changes = b.changes.iter().map(|c| {
                let impact = match c.impact {
                    Some(Some(x)) => format!(" (impact {})", crate::fmt::short(x)),
                    _ => String::new(),
                };
                html! { <li>{ format!("{} {}: {} → {}{impact}", c.object, c.path, c.from, c.to) }</li> }
            });
            let diff = written
                .map(|w| changed_lines(w, &b.manifests))
                .unwrap_or_default();
            html! {
                <div id="tune-best">
                    <p>{ format!("Best: {} {} (as written {})", r.objective, crate::fmt::short(b.objective), crate::fmt::short(r.baseline.objective)) }</p>
                    <ul class="changes">{ for changes }</ul>
                    <pre class="diff" id="tune-diff">{ for diff.iter().map(|(m, l)| html! {
                        <span class={match m { '+' => "add", '-' => "del", _ => "ctx" }}>{ format!("{m} {l}\n") }</span>
                    }) }</pre>
                    <button type="button" id="tune-load-best" onclick={link.callback(|_| Msg::TuneLoad(None))}>{ "Compare the best with the configuration as written" }</button>
                </div>
            }
        }
    };
    html! {
        <div class="tune-result">
            <p id="tune-summary">{ summary }</p>
            if let Some(data) = chart {
                <FrontierChart data={data.clone()} on_pick={link.callback(|i| Msg::TuneLoad(Some(i)))} />
                <p class="legend">{ "▲ as written · ● frontier (grey: breaks a constraint) · ◯ best; click a point to compare it" }</p>
            }
            { best }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_written() {
        let v = parse_values(" 1, 2.5 ,500m,,").unwrap();
        assert_eq!(
            v,
            vec![
                serde_json::json!(1.0),
                serde_json::json!(2.5),
                Value::String("500m".into())
            ]
        );
        assert_eq!(
            values_text(&[serde_json::json!(60), Value::String("500m".into())]),
            "60, 500m"
        );
        assert_eq!(parse_values(" , "), None);
    }

    #[test]
    fn only_changed_lines_and_their_neighbours() {
        let from = "a\nb\nc\nd\ne\n";
        let to = "a\nb\nC\nd\ne\n";
        assert_eq!(
            changed_lines(from, to),
            vec![(' ', "b"), ('-', "c"), ('+', "C"), (' ', "d")]
        );
        assert!(changed_lines(from, from).is_empty());
        // An added field: its lines inserted, the rest in place.
        let added = changed_lines("a\nb\nc\n", "a\nb\n  x: 1\nc\n");
        assert_eq!(added, vec![(' ', "b"), ('+', "  x: 1"), (' ', "c")]);
    }

    #[test]
    fn a_knob_edited_or_removed() {
        let k = |p: &str| KnobInfo {
            object: "HorizontalPodAutoscaler/web".into(),
            path: p.into(),
            values: vec![serde_json::json!(1), serde_json::json!(2)],
            from: serde_json::json!(1),
        };
        let list = [k("spec.minReplicas"), k("spec.maxReplicas")];
        let v = knobs_value(&list, 1, Some(vec![serde_json::json!(5)]));
        assert_eq!(v[1]["values"], serde_json::json!([5]));
        assert_eq!(v[0]["values"], serde_json::json!([1, 2]));
        assert_eq!(
            knobs_value(&list, 0, None).as_array().map(Vec::len),
            Some(1)
        );
    }
}
