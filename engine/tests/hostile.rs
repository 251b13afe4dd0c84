//! Hostile inputs: random byte strings drive the structured generator of
//! `support/hostile.rs` (the cargo-fuzz target `hostile` uses the same one)
//! into evaluation cases, for a bounded count and time. No input may panic;
//! every accepted case must give a decision that keeps its invariants:
//!
//! - a rescale lands within `[minReplicas, maxReplicas]` (HPA) or on a count
//!   the ScaledObject allows;
//! - the case read back from its JSON text decides the same;
//! - the decision's history survives a JSON round trip and chains: fed back
//!   as the next reconcile's memory, the case is still accepted.
//!
//! Prints how many inputs ran and how many were accepted and refused.
//! `REPLICAST_HOSTILE_CASES` and `REPLICAST_HOSTILE_SECS` raise the bounds
//! for longer runs by hand. The inputs come from a fixed seed, so that
//! `cargo xtask test` judges every commit on the same inputs;
//! `REPLICAST_HOSTILE_SEED=random` explores new ones (as the cargo-fuzz
//! target does), and every failure it finds becomes a fixture.

#[path = "support/hostile.rs"]
mod hostile;

use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use hostile::{Verdict, check};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs one input: its verdict, or why it failed (a panic included).
fn run(bytes: &[u8]) -> Result<Verdict, String> {
    match std::panic::catch_unwind(|| check(bytes)) {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        )),
    }
}

/// Shrinks a failing input as proptest does (simplify while it fails,
/// complicate when it passes), for at most a minute.
fn shrink(mut tree: impl ValueTree<Value = Vec<u8>>, message: String) -> (Vec<u8>, String) {
    let mut failure = (tree.current(), message);
    let deadline = Instant::now() + Duration::from_secs(60);
    if tree.simplify() {
        while Instant::now() < deadline {
            match run(&tree.current()) {
                Ok(_) if !tree.complicate() => break,
                Ok(_) => {}
                Err(message) => {
                    failure = (tree.current(), message);
                    if !tree.simplify() {
                        break;
                    }
                }
            }
        }
    }
    failure
}

#[test]
fn hostile_cases_never_panic_and_keep_the_invariants() {
    let cases = env_or("REPLICAST_HOSTILE_CASES", 4_000);
    let budget = Duration::from_secs(env_or("REPLICAST_HOSTILE_SECS", 75));
    let start = Instant::now();
    let strategy = proptest::collection::vec(any::<u8>(), 0..4096);
    let mut runner = if std::env::var("REPLICAST_HOSTILE_SEED").as_deref() == Ok("random") {
        TestRunner::new(Config::default())
    } else {
        TestRunner::new_with_rng(
            Config::default(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        )
    };
    let (mut ran, mut accepted, mut refused, mut short) = (0u64, 0u64, 0u64, 0u64);
    while ran < cases && start.elapsed() < budget {
        let tree = strategy
            .new_tree(&mut runner)
            .expect("byte strings generate");
        ran += 1;
        match run(&tree.current()) {
            Ok(Verdict::Accepted) => accepted += 1,
            Ok(Verdict::Refused) => refused += 1,
            Ok(Verdict::Short) => short += 1,
            Err(message) => {
                let (bytes, message) = shrink(tree, message);
                let case = hostile::case(&mut Unstructured::new(&bytes))
                    .map(|c| c.to_string())
                    .unwrap_or_default();
                panic!("input {ran} failed: {message}\nminimal bytes: {bytes:?}\nits case: {case}");
            }
        }
    }
    println!(
        "hostile: {ran} inputs in {:.1} s: {accepted} accepted, {refused} refused, {short} too short for a case",
        start.elapsed().as_secs_f64()
    );
    assert!(
        accepted > 0 && refused > 0,
        "the generator must reach both evaluation and refusal"
    );
}
