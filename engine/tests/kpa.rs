//! Runs every KPA case in `tests/kpa/` (until the case reader dispatches `kpa:`, they stay out of `tests/cases/`, whose runners evaluate every file as an HPA/KEDA case) and compares the decision
//! with the case's `expect:` (every key given there must match; numbers
//! to 1e-9), or, for `expect: {error: {path, message}}`, the error.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use replicast_engine::error::Path as DocPath;
use replicast_engine::kpa::{self, KpaCase};
use replicast_engine::yaml::{Limits, parse_single};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/kpa")
}

/// Whether `want` is contained in `got`.
fn contains(got: &Value, want: &Value, at: &str, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => contains(gv, wv, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: missing, want {wv}")),
                }
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                contains(gv, wv, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (
                g.as_f64().unwrap_or(f64::NAN),
                w.as_f64().unwrap_or(f64::NAN),
            );
            if (g - w).abs() > 1e-9 * w.abs().max(1.0) {
                out.push(format!("{at}: got {g}, want {w}"));
            }
        }
        _ if got == want => {}
        _ => out.push(format!("{at}: got {got}, want {want}")),
    }
}

fn run(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let node = parse_single(&text, &Limits::default()).map_err(|e| e.to_string())?;
    let value = node.to_json().map_err(|e| e.to_string())?;
    let expect = value.get("expect").ok_or("the case has no expect:")?;
    let now = value
        .get("now")
        .and_then(Value::as_f64)
        .ok_or("now: a number")?;
    let kpa_value = value.get("kpa").ok_or("the case has no kpa:")?;
    let read = KpaCase::from_value(now, kpa_value, &DocPath::root().child("kpa"));
    match (read, expect.get("error")) {
        (Ok(case), None) => {
            let decision = serde_json::to_value(kpa::evaluate(&case)).map_err(|e| e.to_string())?;
            let mut diffs = Vec::new();
            contains(&decision, expect, "", &mut diffs);
            if diffs.is_empty() {
                Ok(())
            } else {
                Err(format!("{}\ndecision: {decision:#}", diffs.join("\n")).into())
            }
        }
        (Ok(case), Some(_)) => {
            Err(format!("expected an error, got {:?}", kpa::evaluate(&case)).into())
        }
        (Err(e), Some(want)) => {
            let p = e.first();
            let mut diffs = Vec::new();
            if let Some(path) = want.get("path").and_then(Value::as_str) {
                if p.path != path {
                    diffs.push(format!("path: got {}, want {path}", p.path));
                }
            }
            if let Some(m) = want.get("message").and_then(Value::as_str) {
                if p.message != m {
                    diffs.push(format!("message: got {:?}, want {m:?}", p.message));
                }
            }
            if diffs.is_empty() {
                Ok(())
            } else {
                Err(diffs.join("\n").into())
            }
        }
        (Err(e), None) => Err(format!("unexpected error: {e:?}").into()),
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/kpa")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the KPA cases are missing");
    let trials = files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Trial::test(name, move || run(&p))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
