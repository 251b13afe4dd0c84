//! The search: deterministic for a given scenario, whatever runs the
//! candidates.
//!
//! 1. The baseline (the manifests as written) runs first; default
//!    constraints take its figures as their bounds.
//! 2. A space no larger than the budget is searched whole. Otherwise a
//!    coarse design covers every knob: a Latin hypercube over the knobs'
//!    values (each value of each knob used about equally often), about a
//!    third of the budget.
//! 3. Then a local search around the best points so far (the three best
//!    feasible ones, or the three least infeasible): every single-knob step
//!    up and down, and when those are all known, random steps of two or
//!    three knobs at once; in batches of [`BATCH`] until the budget is
//!    spent or nothing new is left to try.
//! 4. For the best, each change's `impact`: the objective when that knob
//!    alone goes back to its written value, minus the best's.
//!
//! A candidate first runs a quarter of the scenario when that has been
//! paying off (at least a quarter of such short runs broke a constraint, or
//! fewer than 16 were tried): a broken `max` on a field that only grows
//! (seconds over the SLO, dropped work, cost) cannot be repaired by the
//! rest of the run, so the candidate is dropped there (counted as
//! `pruned`). Every figure reported comes from a full run. Batches are
//! planned from earlier batches only, so the number of threads never
//! changes the result.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Path};
use crate::sim::rng::Rng;

use super::{Best, CandidateOutcome, Change, Figures, Point, Runner, TuneResult, Tuning};

/// Candidates planned per batch of the local search.
pub const BATCH: usize = 16;
/// How many of the best points the local search steps around.
const ELITES: usize = 3;

/// Where a run stands, after each batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Candidates simulated in full.
    pub done: usize,
    /// The budget.
    pub budget: usize,
    /// Candidates refused.
    pub skipped: usize,
    /// Candidates dropped after a short run.
    pub pruned: usize,
    /// The best feasible objective so far.
    pub best: Option<f64>,
}

struct State<'t, R> {
    t: &'t Tuning,
    runner: &'t R,
    seen: BTreeMap<Vec<u16>, usize>,
    /// Every candidate tried, with what it gave (the baseline first).
    tried: Vec<(Vec<u16>, CandidateOutcome)>,
    evaluated: usize,
    skipped: usize,
    pruned: usize,
    short_runs: usize,
    feasible: usize,
    rng: Rng,
    stopped: bool,
}

impl<R: Runner> State<'_, R> {
    fn figures(&self, i: usize) -> Option<&Figures> {
        match &self.tried[i].1 {
            CandidateOutcome::Ran(f) => Some(f),
            _ => None,
        }
    }

    /// Sort key: feasible first by objective, then the rest by violation.
    fn rank(&self, i: usize) -> Option<(bool, f64, f64, usize)> {
        let f = self.figures(i)?;
        let v = self.t.violation(f);
        Some(if v <= 0.0 {
            (false, f.objective, f.axis, i)
        } else {
            (true, v, f.objective, i)
        })
    }

    fn best(&self) -> Option<usize> {
        (0..self.tried.len())
            .filter_map(|i| self.rank(i).filter(|r| !r.0))
            .min_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then(a.2.total_cmp(&b.2))
                    .then(a.3.cmp(&b.3))
            })
            .map(|r| r.3)
    }

    fn elites(&self) -> Vec<usize> {
        let mut ranked: Vec<(bool, f64, f64, usize)> =
            (0..self.tried.len()).filter_map(|i| self.rank(i)).collect();
        ranked.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.total_cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        ranked.into_iter().take(ELITES).map(|r| r.3).collect()
    }

    fn progress(&self) -> Progress {
        Progress {
            done: self.evaluated,
            budget: self.t.budget,
            skipped: self.skipped,
            pruned: self.pruned,
            best: self
                .best()
                .and_then(|i| self.figures(i))
                .map(|f| f.objective),
        }
    }

    /// Runs unseen candidates, at most `room` of them in full.
    fn run_batch(&mut self, mut batch: Vec<Vec<u16>>, room: usize, prune_ok: bool) {
        batch.retain(|c| !self.seen.contains_key(c));
        batch.dedup();
        batch.truncate(room);
        if batch.is_empty() {
            return;
        }
        let prune = prune_ok
            && self
                .t
                .constraints
                .iter()
                .any(|(n, b)| b.max.is_some() && super::MONOTONE.contains(&n.as_str()))
            && (self.short_runs < 16 || self.pruned * 4 >= self.short_runs);
        let t = self.t;
        let outcomes = self.runner.candidates(t, &batch, prune);
        for (c, o) in batch.into_iter().zip(outcomes) {
            if prune {
                self.short_runs += 1;
            }
            match &o {
                CandidateOutcome::Refused(_) => self.skipped += 1,
                CandidateOutcome::Pruned => self.pruned += 1,
                CandidateOutcome::Ran(f) => {
                    self.evaluated += 1;
                    if self.t.violation(f) <= 0.0 {
                        self.feasible += 1;
                    }
                }
            }
            self.seen.insert(c.clone(), self.tried.len());
            self.tried.push((c, o));
        }
    }

    /// A deterministic pseudo-random index below `n`.
    fn pick(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }
}

/// A Latin hypercube over the knobs' value indices.
fn latin(sizes: &[usize], m: usize, rng: &mut Rng) -> Vec<Vec<u16>> {
    let mut columns: Vec<Vec<u16>> = sizes
        .iter()
        .map(|&n| {
            let mut col: Vec<u16> = (0..m)
                .map(|j| (((j as f64 + 0.5) * n as f64 / m as f64) as usize).min(n - 1) as u16)
                .collect();
            for i in (1..col.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                col.swap(i, j);
            }
            col
        })
        .collect();
    (0..m)
        .map(|j| columns.iter_mut().map(|c| c[j]).collect())
        .collect()
}

/// Runs the search.
pub fn run<R: Runner>(
    t: &mut Tuning,
    runner: &R,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<TuneResult, Error> {
    let base: Vec<u16> = t.knobs.iter().map(|k| k.baseline as u16).collect();
    let first = runner.candidates(t, core::slice::from_ref(&base), false);
    let baseline = match first.into_iter().next() {
        Some(CandidateOutcome::Ran(f)) => f,
        Some(CandidateOutcome::Refused(m)) => return Err(refused(&m)),
        Some(CandidateOutcome::Pruned) | None => return Err(refused("pruned")),
    };
    t.fix_default_constraints(&baseline);
    let t: &Tuning = t;
    let sizes: Vec<usize> = t.knobs.iter().map(|k| k.values.len()).collect();
    let mut s = State {
        t,
        runner,
        seen: BTreeMap::new(),
        tried: Vec::new(),
        evaluated: 0,
        skipped: 0,
        pruned: 0,
        short_runs: 0,
        feasible: 0,
        rng: Rng::new(0x7475_6e65),
        stopped: false,
    };
    s.seen.insert(base.clone(), 0);
    s.tried
        .push((base.clone(), CandidateOutcome::Ran(baseline)));
    let reserve = (2 * t.knobs.len()).min(t.budget / 4);
    let budget = t.budget - reserve;
    let mut tick = |s: &mut State<'_, R>| {
        if !progress(&s.progress()) {
            s.stopped = true;
        }
    };

    let space = sizes
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .unwrap_or(usize::MAX);
    if space <= budget + 1 {
        // Small enough: every combination.
        let all: Vec<Vec<u16>> = (0..space)
            .map(|mut i| {
                sizes
                    .iter()
                    .map(|&n| {
                        let d = (i % n) as u16;
                        i /= n;
                        d
                    })
                    .collect()
            })
            .collect();
        for chunk in all.chunks(64) {
            let room = budget - s.evaluated;
            s.run_batch(chunk.to_vec(), room, true);
            tick(&mut s);
            if s.stopped {
                break;
            }
        }
    } else {
        let m = (budget / 4).max((t.knobs.len() + 1).min(budget / 2)).max(1);
        let design = latin(&sizes, m, &mut s.rng);
        for chunk in design.chunks(64) {
            let room = budget - s.evaluated;
            s.run_batch(chunk.to_vec(), room, true);
            tick(&mut s);
            if s.stopped {
                break;
            }
        }
        let mut attempts = 0usize;
        while !s.stopped && s.evaluated < budget && attempts < 4 * t.budget {
            let mut batch: Vec<Vec<u16>> = Vec::new();
            for e in s.elites() {
                let c = s.tried[e].0.clone();
                for k in 0..sizes.len() {
                    for up in [false, true] {
                        let i = usize::from(c[k]);
                        let j = if up { i + 1 } else { i.wrapping_sub(1) };
                        if j < sizes[k] {
                            let mut n = c.clone();
                            n[k] = j as u16;
                            if !s.seen.contains_key(&n) && !batch.contains(&n) {
                                batch.push(n);
                            }
                        }
                    }
                }
            }
            if batch.is_empty() {
                // Every single step is known: jump two or three knobs at once.
                let from: Vec<Vec<u16>> =
                    s.elites().iter().map(|&e| s.tried[e].0.clone()).collect();
                for _ in 0..200 {
                    if batch.len() >= BATCH || from.is_empty() {
                        break;
                    }
                    let mut n = from[s.pick(from.len())].clone();
                    let moves = 2 + s.pick(2);
                    for _ in 0..moves {
                        let k = s.pick(sizes.len());
                        let step = 1 + s.pick(2);
                        let i = usize::from(n[k]);
                        let j = if s.pick(2) == 0 {
                            i.saturating_sub(step)
                        } else {
                            (i + step).min(sizes[k] - 1)
                        };
                        n[k] = j as u16;
                    }
                    if !s.seen.contains_key(&n) && !batch.contains(&n) {
                        batch.push(n);
                    }
                }
                if batch.is_empty() {
                    break;
                }
            }
            batch.truncate(BATCH);
            attempts += batch.len();
            let room = budget - s.evaluated;
            s.run_batch(batch, room, true);
            tick(&mut s);
        }
    }

    // Each change's impact, from runs already made or made now (full). A
    // change whose revert is as cheap and still feasible is dropped (the
    // fewest changes for the best objective), and the impacts are taken again.
    let mut best = s.best();
    let mut best_out = None;
    while let Some(b) = best {
        let c = s.tried[b].0.clone();
        let Some(f) = s.figures(b).cloned() else {
            break;
        };
        let mut changes: Vec<Change> = t.changes(&c);
        let changed: Vec<usize> = (0..c.len())
            .filter(|&k| usize::from(c[k]) != t.knobs[k].baseline)
            .collect();
        let mut simpler = None;
        for (change, &k) in changes.iter_mut().zip(&changed) {
            let mut reverted = c.clone();
            reverted[k] = t.knobs[k].baseline as u16;
            if !s.seen.contains_key(&reverted) && !s.stopped && s.evaluated < t.budget {
                s.run_batch(alloc::vec![reverted.clone()], 1, false);
            }
            let other = s.seen.get(&reverted).copied();
            let figures = other.and_then(|i| s.figures(i));
            change.impact = Some(figures.map(|g| g.objective - f.objective));
            if simpler.is_none()
                && figures.is_some_and(|g| g.objective <= f.objective && t.violation(g) <= 0.0)
            {
                simpler = other;
            }
        }
        if simpler.is_some() {
            best = simpler;
            continue;
        }
        best_out = Some(Best {
            changes,
            manifests: t.manifests_text(&c)?,
            summary: f.summary.clone(),
            objective: f.objective,
        });
        break;
    }
    tick(&mut s);

    // The frontier: sorted by objective, each lower on the axis than all before.
    let mut ran: Vec<usize> = (0..s.tried.len())
        .filter(|&i| s.figures(i).is_some())
        .collect();
    ran.sort_by(|&a, &b| {
        let (fa, fb) = (
            s.figures(a).map(|f| (f.objective, f.axis)),
            s.figures(b).map(|f| (f.objective, f.axis)),
        );
        let (fa, fb) = (fa.unwrap_or_default(), fb.unwrap_or_default());
        fa.0.total_cmp(&fb.0)
            .then(fa.1.total_cmp(&fb.1))
            .then(a.cmp(&b))
    });
    let mut frontier = Vec::new();
    let mut lowest = f64::INFINITY;
    for i in ran {
        let Some(f) = s.figures(i) else { continue };
        if f.axis < lowest {
            lowest = f.axis;
            frontier.push(Point {
                changes: t.changes(&s.tried[i].0),
                summary: f.summary.clone(),
                objective: f.objective,
                feasible: t.violation(f) <= 0.0,
            });
        }
    }

    let base_f = s.figures(0).cloned();
    let Some(base_f) = base_f else {
        return Err(refused("the baseline did not run"));
    };
    Ok(TuneResult {
        baseline: super::Baseline {
            feasible: t.violation(&base_f) <= 0.0,
            objective: base_f.objective,
            summary: base_f.summary,
        },
        best: best_out,
        frontier,
        evaluated: s.evaluated,
        skipped: s.skipped,
        feasible: s.feasible,
        pruned: s.pruned,
        cancelled: s.stopped,
        variant: t.variant.clone(),
        objective: t.objective.clone(),
        frontier_field: t.frontier.clone(),
        knobs: t.knob_info(),
    })
}

fn refused(message: &str) -> Error {
    Error::new(
        ErrorKind::Invalid,
        Path::root().child("manifests"),
        format!("the manifests as written cannot be simulated: {message}"),
    )
}
