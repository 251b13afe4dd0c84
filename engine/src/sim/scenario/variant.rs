//! Variants: each variant's settings laid over the top level, read and attributed to where they were written.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Path, Segment as PathSegment};
use crate::model::Controller;
use crate::notice::{Notice, Notices};
use crate::spec::validation;

use super::bind::{bind, broker_mode};
use super::manifests::{locate_assumptions, locate_in_manifests, read_manifests};
use super::platform::{RawPipeline, read_cost, read_nodes, read_pipeline};
use super::signals::read_signals;
use super::workload::RawWorkloadModel;
use super::{AutoscalerKind, Ctx, MAX_VARIANTS, ROOT_KEYS, SHARED_KEYS, Variant, de, err, join};

/// The variant's settings laid over the top level: mappings merge key by
/// key, anything else (manifests included) replaces.
pub(super) fn merged_variant(
    top: &Map<String, Value>,
    var: &Value,
    at: &Path,
    taken: &[String],
) -> Result<(String, Value), Error> {
    let Some(obj) = var.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "a variant is a mapping with `name` and what it changes (`manifests`, `workload`, ...)",
        ));
    };
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(_) => {
            return Err(err(
                ErrorKind::Schema,
                at.child("name"),
                "a variant's name is a non-empty string",
            ));
        }
        None => {
            return Err(err(
                ErrorKind::Schema,
                at.clone(),
                "missing field `name` (each variant is named in the output)",
            ));
        }
    };
    if taken.contains(&name) {
        return Err(err(
            ErrorKind::Invalid,
            at.child("name"),
            format!("variant name {name:?} appears twice"),
        ));
    }
    let mut merged = top.clone();
    merged.remove("variants");
    for (k, v) in obj {
        if k == "name" {
            continue;
        }
        if SHARED_KEYS.contains(&k.as_str()) {
            return Err(err(
                ErrorKind::Invalid,
                at.child(k),
                format!(
                    "a variant cannot change `{k}`: variants are compared on the identical load, \
                     duration, step and noise seed"
                ),
            ));
        }
        if !ROOT_KEYS.contains(&k.as_str()) || k == "tune" {
            return Err(err(
                ErrorKind::Schema,
                at.child(k),
                format!(
                    "unknown field `{k}`: a variant may set `name`, `manifests`, `workload`, \
                     `nodes`, `signals`, `pipeline`, `cost`, `controller`"
                ),
            ));
        }
        let entry = merged.entry(k.clone()).or_insert(Value::Null);
        if k == "manifests" {
            *entry = v.clone();
        } else {
            merge(entry, v);
        }
    }
    Ok((name, Value::Object(merged)))
}

pub(super) fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

pub(super) fn has_path(v: &Value, path: &Path) -> bool {
    let mut node = v;
    for seg in &path.0 {
        node = match (seg, node) {
            (PathSegment::Key(k), Value::Object(m)) => match m.get(k) {
                Some(n) => n,
                None => return false,
            },
            (PathSegment::Index(i), Value::Array(a)) => match a.get(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    true
}

/// Moves problems that come from a variant's own settings under
/// `variants[i]`.
pub(super) fn attribute(e: Error, var: Option<(&Value, &Path)>, merged: &Value) -> Error {
    let Some((var, at)) = var else {
        return e;
    };
    let problems = e
        .problems
        .into_iter()
        .map(|p| {
            let first_in_var =
                p.at.0
                    .first()
                    .is_some_and(|s| has_path(var, &Path(alloc::vec![s.clone()])));
            let mine = has_path(var, &p.at) || (first_in_var && !has_path(merged, &p.at));
            let one = Error {
                problems: alloc::vec![p],
            };
            if mine { one.under(at) } else { one }
        })
        .reduce(Error::join);
    problems.unwrap_or_else(|| err(ErrorKind::Schema, Path::root(), "invalid variant"))
}

pub(super) fn read_variant(
    name: &str,
    merged: &Value,
    var: Option<(&Value, &Path)>,
    ctx: &Ctx<'_>,
) -> Result<Variant, Error> {
    read_variant_inner(name, merged, var, ctx).map_err(|e| attribute(e, var, merged))
}

/// A manifests path relative to the scenario root, for a variant whose
/// manifests are its own.
pub(super) fn manifests_path(var: Option<(&Value, &Path)>) -> Path {
    match var {
        Some((v, at)) if v.get("manifests").is_some() => at.child("manifests"),
        _ => Path::root().child("manifests"),
    }
}

pub(super) fn read_variant_inner(
    name: &str,
    merged: &Value,
    var: Option<(&Value, &Path)>,
    ctx: &Ctx<'_>,
) -> Result<Variant, Error> {
    let root = Path::root();
    let get = |k: &str| merged.get(k).filter(|v| !v.is_null());
    let controller: Controller = match get("controller") {
        Some(v) => de(v, &root.child("controller"))?,
        None => Controller::default(),
    };
    let t = controller.tolerance;
    if !(t.is_finite() && t >= 0.0) {
        return Err(err(
            ErrorKind::Invalid,
            root.child("controller").child("tolerance"),
            "must be a number at least 0",
        ));
    }
    let opts = validation::Options {
        min_replicas_lower_bound: if controller.features.hpa_scale_to_zero {
            0
        } else {
            1
        },
    };
    let m_at = manifests_path(var);
    let manifests = match get("manifests") {
        Some(v) => read_manifests(v, &m_at, opts, ctx)?,
        None => {
            return Err(err(
                ErrorKind::Schema,
                Path::root(),
                format!(
                    "missing field `manifests` (variant {name:?} has none, and there is none at the top level)"
                ),
            ));
        }
    };
    let signals = match get("signals") {
        Some(v) => read_signals(v, &root.child("signals"))?,
        None => BTreeMap::new(),
    };
    let raw_workload: RawWorkloadModel = match get("workload") {
        Some(v) => de(v, &root.child("workload"))?,
        None => RawWorkloadModel::default(),
    };
    let nodes = match get("nodes") {
        Some(v) => Some(read_nodes(
            de(v, &root.child("nodes"))?,
            &root.child("nodes"),
        )?),
        None => None,
    };
    let pipeline = read_pipeline(
        match get("pipeline") {
            Some(v) => de(v, &root.child("pipeline"))?,
            None => RawPipeline::default(),
        },
        &root.child("pipeline"),
    )?;
    let cost = read_cost(get("cost"), &root.child("cost"))?;
    let mut warnings = Vec::new();
    let mut assumptions = Vec::new();
    let (target, autoscalers) = bind(&manifests, &m_at, &signals, &mut warnings, &mut assumptions)
        .map_err(|e| locate_in_manifests(e, get("manifests"), &m_at, ctx))?;
    let mut raw_workload = raw_workload;
    if raw_workload.mode.is_none() {
        if let Some(a) = broker_mode(&autoscalers) {
            raw_workload.mode = Some(a.signal.clone());
            assumptions.push(a);
        }
    }
    locate_assumptions(&mut assumptions, get("manifests"), &m_at, ctx);
    let raw_job = raw_workload.job.take();
    let workload = raw_workload.finish(&target, &root.child("workload"))?;
    let mut job_notices = Notices::default();
    let scaled_job = super::jobs::read_job_plan(
        &manifests,
        &m_at,
        raw_job,
        &autoscalers,
        &mut job_notices,
        &mut warnings,
    )
    .map_err(|e| locate_in_manifests(e, get("manifests"), &m_at, ctx))?;
    let mut notices = manifests.notices;
    for a in &autoscalers {
        if let AutoscalerKind::Kpa(k) = &a.kind {
            notices.0.extend(k.notices.0.iter().cloned());
        }
    }
    notices.0.extend(job_notices.0);
    warnings.extend(notices.0.iter().map(Notice::to_warning));
    Ok(Variant {
        notices,
        name: name.to_string(),
        workload,
        nodes,
        pipeline,
        cost,
        controller,
        target,
        autoscalers,
        warnings,
        assumptions,
        scaled_job,
    })
}

/// `variants:` (absent: one variant, `default`, read from the top level),
/// every variant's problems joined.
pub(super) fn read_variants(
    top: &Map<String, Value>,
    value: &Value,
    ctx: &Ctx<'_>,
) -> Result<Vec<Variant>, Error> {
    let root = Path::root();
    let mut variants = Vec::new();
    match top.get("variants") {
        None | Some(Value::Null) => {
            variants.push(read_variant("default", value, None, ctx)?);
        }
        Some(Value::Array(list)) => {
            let at = root.child("variants");
            if list.is_empty() {
                return Err(err(
                    ErrorKind::Invalid,
                    at,
                    "give at least one variant, or leave `variants` out",
                ));
            }
            if list.len() > MAX_VARIANTS {
                return Err(err(
                    ErrorKind::Limit,
                    at,
                    format!("at most {MAX_VARIANTS} variants"),
                ));
            }
            let mut error = None;
            let mut names: Vec<String> = Vec::new();
            for (i, var) in list.iter().enumerate() {
                match merged_variant(top, var, &at.index(i), &names) {
                    Ok((name, merged)) => {
                        names.push(name.clone());
                        match read_variant(&name, &merged, Some((var, &at.index(i))), ctx) {
                            Ok(v) => variants.push(v),
                            Err(e) => error = Some(join(error, e)),
                        }
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            if let Some(e) = error {
                return Err(e);
            }
        }
        Some(_) => {
            return Err(err(
                ErrorKind::Schema,
                root.child("variants"),
                "`variants` is a list of {name, manifests, ...}",
            ));
        }
    }
    Ok(variants)
}
