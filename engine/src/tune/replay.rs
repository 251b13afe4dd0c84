//! The search driven from outside, for callers that cannot block while
//! candidates run elsewhere: the playground's Web Workers, which answer
//! asynchronously.
//!
//! The search ([`super::search`]) is deterministic and plans each batch
//! from earlier outcomes only, so it can be replayed: [`Replay::step`] runs
//! it from the start with the outcomes known so far and stops at the first
//! batch that holds an unknown candidate, returning those candidates
//! ([`Step::Need`]). The caller runs them wherever it likes
//! ([`Tuning::evaluate`] on a [`Tuning`] prepared from the same text, after
//! [`Replay::assume_baseline`]), adds the outcomes ([`Replay::add`]) and
//! steps again, until [`Step::Done`] gives the result, the very result
//! [`Tuning::run`] gives. Replaying costs only the search's own
//! bookkeeping: every simulation runs once, where the caller sends it.
//!
//! Outcomes travel as text ([`encode`], [`decode`]): summaries as
//! `replicast simulate --json` prints them, the search's own figures bit
//! for bit.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};

use super::search::Progress;
use super::{CandidateOutcome, Figures, Runner, TuneResult, Tuning};
use crate::error::Error;
use crate::sim::output::Summary;

/// Candidates the search waits for, or its result.
#[derive(Debug)]
pub enum Step {
    /// Run these (value indices per knob, and whether a short run may
    /// prune the candidate), add their outcomes, step again.
    Need {
        /// The candidates, each with its `prune` flag.
        candidates: Vec<(Vec<u16>, bool)>,
        /// Where the search stood before them.
        progress: Progress,
    },
    /// The search's result.
    Done(alloc::boxed::Box<TuneResult>),
}

/// The outcomes known so far, and the runner that answers from them.
#[derive(Default)]
pub struct Replay {
    known: BTreeMap<Vec<u16>, CandidateOutcome>,
    missing: RefCell<Vec<(Vec<u16>, bool)>>,
    /// Progress reports in the last step before the first unknown batch.
    ticks: Cell<usize>,
}

impl Replay {
    /// Nothing known yet.
    pub fn new() -> Replay {
        Replay::default()
    }

    /// Records a candidate's outcome.
    pub fn add(&mut self, candidate: Vec<u16>, outcome: CandidateOutcome) {
        self.known.insert(candidate, outcome);
    }

    /// Candidates known.
    pub fn known(&self) -> usize {
        self.known.len()
    }

    /// Runs the search as far as the known outcomes reach. With `cancel`,
    /// the search stops after the last batch whose outcomes are all known,
    /// as a cancelled [`Tuning::run`] stops after a batch: the result then
    /// has `cancelled: true` (`Ok(None)` when not even the first batch of
    /// candidates is known).
    pub fn step(&self, t: &mut Tuning, cancel: bool) -> Result<Option<Step>, Error> {
        let step = self.replay(t, None)?;
        if !cancel || matches!(step, Step::Done(_)) {
            return Ok(Some(step));
        }
        match self.ticks.get() {
            0 => Ok(None),
            known => self.replay(t, Some(known)).map(Some),
        }
    }

    /// One replay of the search, stopped at the first unknown batch (or
    /// after `stop_at` progress reports).
    fn replay(&self, t: &mut Tuning, stop_at: Option<usize>) -> Result<Step, Error> {
        self.missing.borrow_mut().clear();
        let budget = t.budget;
        let mut last = None;
        let mut ticks = 0usize;
        let result = super::search::run(t, self, &mut |p| {
            if !self.missing.borrow().is_empty() {
                return false;
            }
            ticks += 1;
            last = Some(p.clone());
            stop_at.is_none_or(|n| ticks < n)
        });
        // Before the result: an unknown baseline makes the search refuse.
        let missing = core::mem::take(&mut *self.missing.borrow_mut());
        if missing.is_empty() {
            return result.map(|r| Step::Done(alloc::boxed::Box::new(r)));
        }
        self.ticks.set(ticks);
        Ok(Step::Need {
            candidates: missing,
            progress: last.unwrap_or(Progress {
                done: 0,
                budget,
                skipped: 0,
                pruned: 0,
                best: None,
            }),
        })
    }

    /// Makes a [`Tuning`] that evaluates candidates outside the search
    /// (a worker's) judge as the search's does: default constraints take
    /// their bounds from the baseline's outcome, as the search sets them
    /// after running it.
    pub fn assume_baseline(t: &mut Tuning, baseline: &CandidateOutcome) {
        if let CandidateOutcome::Ran(f) = baseline {
            t.fix_default_constraints(f);
        }
    }
}

impl Runner for Replay {
    /// Known outcomes only: never called by the search, which asks
    /// [`Runner::candidates`].
    fn map<R: Send>(&self, n: usize, f: &(dyn Fn(usize) -> R + Sync)) -> Vec<R> {
        (0..n).map(f).collect()
    }

    /// The known outcomes; each unknown candidate is noted as missing and
    /// answered with a placeholder (the step that meets it is discarded).
    fn candidates(&self, _t: &Tuning, batch: &[Vec<u16>], prune: bool) -> Vec<CandidateOutcome> {
        batch
            .iter()
            .map(|c| match self.known.get(c) {
                Some(o) => o.clone(),
                None => {
                    self.missing.borrow_mut().push((c.clone(), prune));
                    CandidateOutcome::Refused("not run yet".to_string())
                }
            })
            .collect()
    }
}

/// An outcome as it travels.
#[derive(Serialize, Deserialize)]
enum Wire {
    Refused(String),
    Pruned,
    /// Summary, then objective, axis and constraint ranges as `f64` bits.
    Ran(Summary, u64, u64, Vec<(u64, u64)>),
}

/// Outcomes as JSON text.
pub fn encode(outcomes: &[CandidateOutcome]) -> String {
    let wire: Vec<Wire> = outcomes
        .iter()
        .map(|o| match o {
            CandidateOutcome::Refused(m) => Wire::Refused(m.clone()),
            CandidateOutcome::Pruned => Wire::Pruned,
            CandidateOutcome::Ran(f) => Wire::Ran(
                f.summary.clone(),
                f.objective.to_bits(),
                f.axis.to_bits(),
                f.ranges
                    .iter()
                    .map(|(a, b)| (a.to_bits(), b.to_bits()))
                    .collect(),
            ),
        })
        .collect();
    serde_json::to_string(&wire).unwrap_or_default()
}

/// Outcomes from [`encode`]'s text.
pub fn decode(text: &str) -> Result<Vec<CandidateOutcome>, String> {
    let wire: Vec<Wire> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(wire
        .into_iter()
        .map(|w| match w {
            Wire::Refused(m) => CandidateOutcome::Refused(m),
            Wire::Pruned => CandidateOutcome::Pruned,
            Wire::Ran(summary, objective, axis, ranges) => {
                CandidateOutcome::Ran(alloc::boxed::Box::new(Figures {
                    summary,
                    objective: f64::from_bits(objective),
                    axis: f64::from_bits(axis),
                    ranges: ranges
                        .into_iter()
                        .map(|(a, b)| (f64::from_bits(a), f64::from_bits(b)))
                        .collect(),
                }))
            }
        })
        .collect())
}
