//! Text is built only for the decisions someone reads: the simulator
//! reconciles with [`Text::Numbers`] and renders a decision's text by
//! reconciling it again with [`Text::Full`]. These tests hold the two
//! equal where it matters: the numbers, reasons and history of every HPA
//! fixture; every simulated decision with and without a trace (a traced
//! run renders every reconcile, and each of them replays through `eval`:
//! `tests/sim.rs`).

use std::path::{Path, PathBuf};

use replicast_engine::case::{self, Autoscaler};
use replicast_engine::horizontal::{self, HpaOutcome, Reconcile, Text};
use replicast_engine::sim::{self, Options, Trace};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("a fixture folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// What does not depend on the text: everything but descriptions and
/// condition messages.
fn numbers(o: &HpaOutcome) -> String {
    let metrics: Vec<_> = o
        .metrics
        .iter()
        .map(|m| (m.replicas, m.value, m.utilization, m.error.clone()))
        .collect();
    let conditions: Vec<_> = o
        .conditions
        .0
        .iter()
        .map(|c| (c.type_, c.status, c.reason))
        .collect();
    format!(
        "{} {} {:?} {:?} {:?} {:?}",
        o.desired_replicas, o.rescaled, metrics, conditions, o.history, o.path
    )
}

#[test]
fn numbers_only_reconciles_decide_as_full_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    let mut compared = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let Ok(c) = case::parse(&text) else { continue };
        let Autoscaler::Hpa(hpa) = &c.autoscaler else {
            continue;
        };
        let r = Reconcile {
            now: c.now,
            hpa,
            target: c.target,
            pods: &c.pods,
            readings: &c.readings,
            history: c.history.as_ref(),
            controller: &c.controller,
        };
        let full = horizontal::reconcile_hpa(&r);
        let quiet = horizontal::reconcile_with(&r, Text::Numbers);
        assert_eq!(numbers(&full), numbers(&quiet), "{}", f.display());
        assert!(
            quiet
                .metrics
                .iter()
                .all(|m| m.error.is_some() || m.description.is_empty()),
            "{}: numbers only (a failed metric keeps its words)",
            f.display()
        );
        compared += 1;
    }
    assert!(compared > 100, "only {compared} HPA fixtures compared");
}

#[test]
fn decisions_are_the_same_with_and_without_a_trace() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    assert!(files.len() >= 4, "the example scenarios");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let s = sim::parse(&text.replace("duration: 1d", "duration: 8h"))
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let plain = sim::simulate(&s);
        let mut traced = 0usize;
        let mut sink = |_: Trace<'_>| traced += 1;
        let with_trace = sim::run(
            &s,
            &mut Options {
                every: None,
                trace: Some(&mut sink),
            },
        );
        assert!(traced > 0, "{}", f.display());
        let decisions = |r: &sim::SimResult| {
            serde_json::to_string(&r.variants.iter().map(|v| &v.decisions).collect::<Vec<_>>())
                .unwrap()
        };
        assert!(
            plain.variants.iter().any(|v| !v.decisions.is_empty()),
            "{}: the example scales",
            f.display()
        );
        assert_eq!(decisions(&plain), decisions(&with_trace), "{}", f.display());
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            serde_json::to_string(&with_trace).unwrap(),
            "{}",
            f.display()
        );
    }
}
