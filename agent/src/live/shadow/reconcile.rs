//! One reconcile: the evaluation case the controller would see now, built
//! from the store's latest readings, evaluated exactly as `replicast eval`
//! does, the history carried to the next.

use std::collections::BTreeMap;

use replicast_engine::case::{self, Decision};
use serde_json::{Value, json};

use super::plan::{Kind, LoopPlan, Plan, Replicas, Shape};
use crate::live::production::Observed;
use crate::live::state::{InputRecord, Outcome, Store};

/// A loop's memory between reconciles.
#[derive(Clone, Debug, Default)]
pub struct LoopMemory {
    /// The last decision's `history` (with `keda` for a ScaledObject).
    pub history: Option<Value>,
    /// Follow mode: the replica count the last decision wrote.
    pub current: Option<i32>,
}

/// A number as a Kubernetes quantity string (milli precision, as the
/// metrics pipeline and KEDA's `quantityFromFloat64` round).
pub fn quantity(v: f64) -> Option<String> {
    if !v.is_finite() || v.abs() > 9.0e15 {
        return None;
    }
    let milli = (v * 1000.0).round() as i64;
    let (sign, m) = if milli < 0 {
        ("-", -milli)
    } else {
        ("", milli)
    };
    Some(if m % 1000 == 0 {
        format!("{sign}{}", m / 1000)
    } else {
        format!("{sign}{m}m")
    })
}

/// What one reconcile produced.
#[derive(Debug)]
pub struct Reconciled {
    /// The case evaluated (absent when the replica count could not be read).
    pub case: Option<Value>,
    /// The replica count it started from.
    pub current: Option<i32>,
    /// What each input read.
    pub inputs: Vec<InputRecord>,
    /// The decision, or why there is none.
    pub decision: Result<Decision, String>,
    /// A closed loop: production's desired replicas, or why it is unknown.
    pub production: Option<Result<i32, String>>,
    /// What was capped or could not be read exactly.
    pub notes: Vec<String>,
}

/// What a case is built from besides the store: a closed loop's snapshot
/// of production, or why it could not be read.
pub type ProductionRead<'a> = Option<&'a Result<Observed, String>>;

/// The case, its replica count and the notes on what was capped.
pub type Built = (Result<(Value, i32), String>, Vec<InputRecord>, Vec<String>);

/// Builds the case this loop's controller sees at `now` from the store
/// (and, in a closed loop, from production).
pub fn build_case(
    plan: &LoopPlan,
    memory: &LoopMemory,
    store: &Store,
    now: f64,
    production: ProductionRead,
) -> Built {
    let mut notes = Vec::new();
    let observed = match (&plan.replicas, production) {
        (Replicas::Production(_), Some(Ok(o))) => Some(o),
        (Replicas::Production(_), Some(Err(e))) => {
            return (
                Err(format!("cannot read production: {e}")),
                Vec::new(),
                notes,
            );
        }
        (Replicas::Production(_), None) => {
            return (Err("production was not read".into()), Vec::new(), notes);
        }
        _ => None,
    };
    let current = match current_replicas(plan, memory, store, now, observed) {
        Ok((c, note)) => {
            notes.extend(note);
            c
        }
        Err(e) => return (Err(e), Vec::new(), notes),
    };
    let pod_names: Vec<String> = match observed {
        Some(o) => o.pods.iter().map(|p| p.name.clone()).collect(),
        None => (0..current)
            .map(|i| format!("{}-{i}", plan.variant))
            .collect(),
    };
    let mut inputs = Vec::with_capacity(plan.inputs.len());
    let mut readings = Vec::with_capacity(plan.inputs.len());
    for input in &plan.inputs {
        if let Some(values) = observed.and_then(|o| o.pod_values.get(&input.name).map(|v| (o, v))) {
            let (record, reading) = pod_metric(input, values.0, values.1);
            inputs.push(record);
            readings.push(reading);
            continue;
        }
        let read = input.binding.clone().and_then(|b| {
            let (v, t) = store.lookup(&b.source, &b.key, now)?;
            let mut v = v * b.scale;
            if b.per_replica {
                v /= f64::from(current.max(1));
            }
            Ok((b.reference, v, t))
        });
        let (record, reading) = match read {
            Ok((from, v, t)) => match quantity(v) {
                Some(q) => {
                    let reading = match input.shape {
                        Shape::Value => json!({"value": q}),
                        Shape::Values => json!({"values": [q], "timestamp": t}),
                        Shape::PodValues => {
                            let pv: serde_json::Map<String, Value> = pod_names
                                .iter()
                                .map(|p| (p.clone(), Value::String(q.clone())))
                                .collect();
                            json!({"podValues": pv, "timestamp": t})
                        }
                    };
                    (
                        InputRecord {
                            name: input.name.clone(),
                            from: Some(from),
                            value: Some(v),
                            error: None,
                        },
                        reading,
                    )
                }
                None => {
                    let e = format!("{from} read {v}, which is not a usable number");
                    (
                        InputRecord {
                            name: input.name.clone(),
                            from: Some(from),
                            value: None,
                            error: Some(e.clone()),
                        },
                        json!({"error": e}),
                    )
                }
            },
            Err(e) => (
                InputRecord {
                    name: input.name.clone(),
                    from: input.binding.as_ref().ok().map(|b| b.reference.clone()),
                    value: None,
                    error: Some(e.clone()),
                },
                json!({"error": e}),
            ),
        };
        inputs.push(record);
        readings.push(reading);
    }
    let (pods, target) = match observed {
        Some(o) => {
            notes.extend(o.notes.iter().cloned());
            (
                o.pods.iter().map(|p| p.to_case(&plan.containers)).collect(),
                json!({"replicas": current, "statusReplicas": o.status_replicas}),
            )
        }
        // Steady pods: running and ready long before now.
        None => (
            pod_names
                .iter()
                .map(|n| json!({"name": n, "startTime": now - 86_400.0, "containers": plan.containers}))
                .collect::<Vec<Value>>(),
            json!({"replicas": current}),
        ),
    };
    let mut c = json!({
        "now": now,
        "target": target,
        "pods": pods,
    });
    match plan.kind {
        Kind::Hpa => {
            c["hpa"] = plan.manifest.clone();
            c["metrics"] = Value::Array(readings);
        }
        Kind::ScaledObject => {
            c["scaledObject"] = plan.manifest.clone();
            c["triggers"] = Value::Array(readings);
        }
    }
    if let Some(h) = &memory.history {
        c["history"] = h.clone();
    }
    if let Some(ctl) = &plan.controller {
        c["controller"] = ctl.clone();
    }
    (Ok((c, current)), inputs, notes)
}

/// The replica count the reconcile starts from, and a note when a count
/// read was capped.
fn current_replicas(
    plan: &LoopPlan,
    memory: &LoopMemory,
    store: &Store,
    now: f64,
    observed: Option<&Observed>,
) -> Result<(i32, Option<String>), String> {
    match &plan.replicas {
        Replicas::Fixed(n) => Ok((*n, None)),
        Replicas::Follow(n) => Ok((memory.current.unwrap_or(*n), None)),
        Replicas::Production(_) => Ok((observed.map_or(0, |o| o.replicas), None)),
        Replicas::Reading(b) => store
            .lookup(&b.source, &b.key, now)
            .and_then(|(v, _)| {
                let v = v * b.scale;
                if !(v.is_finite() && v >= 0.0 && v <= f64::from(i32::MAX)) {
                    return Err(format!("{} read {v}, not a replica count", b.reference));
                }
                let n = v.round() as i32;
                Ok(if n > plan.cap {
                    let note = format!("{} read {n} replicas; capped at {}", b.reference, plan.cap);
                    (plan.cap, Some(note))
                } else {
                    (n, None)
                })
            })
            .map_err(|e| format!("cannot read the current replica count: {e}")),
    }
}

/// A closed loop's per-pod metric: one value per pod from its query.
fn pod_metric(
    input: &super::plan::Input,
    observed: &Observed,
    values: &Result<std::collections::BTreeMap<String, f64>, String>,
) -> (InputRecord, Value) {
    let from = input.binding.as_ref().ok().map(|b| b.reference.clone());
    let fail = |e: String| {
        (
            InputRecord {
                name: input.name.clone(),
                from: from.clone(),
                value: None,
                error: Some(e.clone()),
            },
            json!({"error": e}),
        )
    };
    let values = match values {
        Ok(v) => v,
        Err(e) => return fail(e.clone()),
    };
    let mut pv = serde_json::Map::new();
    for (pod, v) in values {
        match quantity(*v) {
            Some(q) => pv.insert(pod.clone(), Value::String(q)),
            None => return fail(format!("pod {pod} read {v}, which is not a usable number")),
        };
    }
    let mean = (!values.is_empty()).then(|| values.values().sum::<f64>() / values.len() as f64);
    (
        InputRecord {
            name: input.name.clone(),
            from,
            value: mean,
            error: None,
        },
        json!({"podValues": pv, "timestamp": observed.at}),
    )
}

/// Evaluates a case exactly as `replicast eval` does.
pub fn evaluate(case_value: &Value) -> Result<Decision, String> {
    let parsed = case::from_value(case_value).map_err(|e| {
        let p = e.first();
        format!("the engine rejected the case at {}: {}", p.path, p.message)
    })?;
    std::panic::catch_unwind(|| case::evaluate(&parsed))
        .map_err(|_| "internal error: the engine panicked on this case".to_string())
}

/// Runs one reconcile of `plan` at `now`: builds the case from `store`,
/// evaluates it, and advances `memory` (the decision's history; in follow
/// mode, the replica count it wrote).
pub fn reconcile(
    plan: &LoopPlan,
    memory: &mut LoopMemory,
    store: &Store,
    now: f64,
    production: ProductionRead,
) -> Reconciled {
    let (built, inputs, notes) = build_case(plan, memory, store, now, production);
    let production = production.map(|p| {
        p.as_ref()
            .map_err(Clone::clone)
            .and_then(|o| o.desired.clone())
    });
    let (case_value, current) = match built {
        Ok(x) => x,
        Err(e) => {
            return Reconciled {
                case: None,
                current: None,
                inputs,
                decision: Err(e),
                production,
                notes,
            };
        }
    };
    let decision = evaluate(&case_value);
    if let Ok(d) = &decision {
        memory.history = serde_json::to_value(&d.history).ok();
        if matches!(plan.replicas, Replicas::Follow(_)) {
            memory.current = Some(d.desired_replicas);
        }
    }
    Reconciled {
        case: Some(case_value),
        current: Some(current),
        inputs,
        decision,
        production,
        notes,
    }
}

/// The decision as kept: `eval`'s fields less the history.
pub fn outcome(d: &Decision) -> Outcome {
    Outcome {
        desired_replicas: d.desired_replicas,
        metrics: d.metrics.clone(),
        conditions: d.conditions.clone(),
        explanation: d.explanation.clone(),
        active: d.active,
    }
}

/// The names used in the plan's loops, per source, for messages.
pub fn readings_by_source(plan: &Plan) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in &plan.loops {
        for i in &l.inputs {
            if let Ok(b) = &i.binding {
                out.entry(b.source.clone()).or_default().push(b.key.clone());
            }
        }
    }
    out
}
