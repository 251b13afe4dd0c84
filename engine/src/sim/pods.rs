//! Pods as cohorts: every pod the ReplicaSet creates at one instant shares
//! its whole life (scheduled, running, loaded, ready, serving), so the
//! simulator keeps one record per cohort, not per pod. Per-step work reads
//! counters that change only at a cohort's transitions; the per-pod list the
//! HPA reads is materialized at its syncs, and only when something changed.
//!
//! Scale-down removes pods in the ReplicaSet's order
//! (`controller.ActivePodsWithRanks`): unassigned before assigned, Pending
//! before Running, not ready before ready, ready for less time before ready
//! for longer, newer before older.

use alloc::string::String;
use alloc::vec::Vec;

use crate::manifest::Probe;
use crate::model::{ConditionStatus, Phase, Pod};
use crate::time::Instant;

/// A time that never comes (a pod waiting for a node).
pub const NEVER: i64 = i64::MAX / 4;

/// One cohort's transitions, as step indices (a state holds from its step on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    /// Created by the ReplicaSet.
    pub created: i64,
    /// Bound to a node (`status.startTime`); [`NEVER`] while waiting.
    pub sched: i64,
    /// Containers running (image pulled).
    pub run: i64,
    /// Model loaded.
    pub loaded: i64,
    /// Ready condition True.
    pub ready: i64,
    /// Doing work: ready and loaded.
    pub serve: i64,
}

/// Pods created together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    /// The serial number of the first pod (names are `<prefix>-<serial>`).
    pub first: u64,
    /// How many pods.
    pub count: u32,
    /// Their transitions.
    pub t: Times,
}

/// How long a pod takes from creation to serving, in nanoseconds.
#[derive(Clone, Debug)]
pub struct ColdStart {
    /// The step length.
    pub step_ns: i64,
    /// Created → bound.
    pub schedule_ns: i64,
    /// Bound → running.
    pub pull_ns: i64,
    /// Running → loaded.
    pub load_ns: i64,
    /// The readiness probes.
    pub probes: Vec<Probe>,
}

fn ceil_div(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) == 0 { q } else { q + 1 }
}

fn probe_ns(p: &Probe) -> (i64, i64) {
    let d = (p.initial_delay.as_secs_f64() * 1e9) as i64;
    let per = (p.period.as_secs_f64() * 1e9) as i64;
    (d, per.max(1))
}

impl ColdStart {
    /// Steps from creation to binding.
    pub fn schedule_steps(&self) -> i64 {
        ceil_div(self.schedule_ns, self.step_ns)
    }

    /// The transitions of a pod created at `created` and bound at `sched`.
    pub fn times(&self, created: i64, sched: i64) -> Times {
        if sched >= NEVER {
            return Times {
                created,
                sched: NEVER,
                run: NEVER,
                loaded: NEVER,
                ready: NEVER,
                serve: NEVER,
            };
        }
        let s = sched.saturating_mul(self.step_ns);
        let run = s.saturating_add(self.pull_ns);
        let loaded = run.saturating_add(self.load_ns);
        let mut ready = run;
        for p in &self.probes {
            let (delay, period) = probe_ns(p);
            let first = run.saturating_add(delay);
            let k = if loaded > first {
                ceil_div(loaded - first, period)
            } else {
                0
            };
            let pass = first
                .saturating_add(k.saturating_mul(period))
                .saturating_add(i64::from(p.success_threshold.saturating_sub(1)) * period);
            ready = ready.max(pass);
        }
        let step = |ns: i64| ceil_div(ns, self.step_ns).max(sched);
        let (run, loaded, ready) = (step(run), step(loaded), step(ready));
        Times {
            created,
            sched,
            run,
            loaded,
            ready,
            serve: ready.max(loaded),
        }
    }
}

/// Nodes that must be provisioned before pods can run on them.
#[derive(Clone, Debug)]
pub struct NodePool {
    per_node: u64,
    provision_steps: i64,
    warm: u64,
    max: u64,
    /// Nodes ready.
    pub ready: u64,
    /// Ready times of the nodes being provisioned, ascending.
    provisioning: Vec<i64>,
}

impl NodePool {
    /// A pool sized for `pods` pods plus the warm nodes, all ready.
    pub fn new(per_node: u32, provision_steps: i64, warm: u32, max: u32, pods: u64) -> NodePool {
        let per_node = u64::from(per_node);
        let ready = (pods.div_ceil(per_node) + u64::from(warm)).min(u64::from(max));
        NodePool {
            per_node,
            provision_steps,
            warm: u64::from(warm),
            max: u64::from(max),
            ready,
            provisioning: Vec::new(),
        }
    }

    fn capacity(&self) -> u64 {
        self.ready * self.per_node
    }

    /// Asks for or releases nodes so that `pods` fit with the warm spare.
    fn rebalance(&mut self, now: i64, pods: u64, assigned: u64) {
        let want = (pods.div_ceil(self.per_node) + self.warm).min(self.max);
        let have = self.ready + self.provisioning.len() as u64;
        if want > have {
            for _ in 0..(want - have) {
                self.provisioning.push(now + self.provision_steps);
            }
        } else if want < have {
            let mut surplus = have - want;
            while surplus > 0 && !self.provisioning.is_empty() {
                self.provisioning.pop();
                surplus -= 1;
            }
            let empty = self.ready - assigned.div_ceil(self.per_node).min(self.ready);
            let drop = surplus.min(empty);
            self.ready -= drop;
        }
    }

    fn next_event(&self) -> i64 {
        self.provisioning.first().copied().unwrap_or(NEVER)
    }

    fn advance(&mut self, now: i64) -> bool {
        let n = self.provisioning.iter().take_while(|&&t| t <= now).count();
        if n > 0 {
            self.provisioning.drain(..n);
            self.ready += n as u64;
        }
        n > 0
    }
}

/// Pod counts by state, at the current step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pods that exist.
    pub exists: u64,
    /// Bound to a node.
    pub bound: u64,
    /// Running.
    pub running: u64,
    /// Ready.
    pub ready: u64,
    /// Doing work.
    pub serving: u64,
    /// Running and loading the model.
    pub loading: u64,
    /// Loaded but not yet ready (idle).
    pub idle: u64,
}

/// The pods of the scale target.
#[derive(Clone, Debug)]
pub struct Pods {
    cohorts: Vec<Cohort>,
    next_serial: u64,
    cold: ColdStart,
    nodes: Option<NodePool>,
    counts: Counts,
    next_event: i64,
    version: u64,
    now: i64,
}

impl Pods {
    /// `initial` pods, ready long before step 0.
    pub fn new(initial: u32, cold: ColdStart, nodes: Option<NodePool>) -> Pods {
        let past = -ceil_div(3600 * 1_000_000_000, cold.step_ns).max(1) - 1;
        let mut p = Pods {
            cohorts: Vec::new(),
            next_serial: 0,
            cold,
            nodes,
            counts: Counts::default(),
            next_event: NEVER,
            version: 0,
            now: 0,
        };
        if initial > 0 {
            let bound = match &p.nodes {
                Some(n) => (n.capacity().min(u64::from(initial))) as u32,
                None => initial,
            };
            if bound > 0 {
                p.push(
                    bound,
                    Times {
                        created: past,
                        sched: past,
                        run: past,
                        loaded: past,
                        ready: past,
                        serve: past,
                    },
                );
            }
            if bound < initial {
                p.push(initial - bound, p.cold.times(past, NEVER));
            }
        }
        p.recount();
        p
    }

    fn push(&mut self, count: u32, t: Times) {
        self.cohorts.push(Cohort {
            first: self.next_serial,
            count,
            t,
        });
        self.next_serial += u64::from(count);
    }

    /// The counts at the current step.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Bumps whenever a pod is created or removed or changes state.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The cohorts, oldest first (serial order).
    pub fn cohorts(&self) -> &[Cohort] {
        &self.cohorts
    }

    /// Ready nodes, when nodes are modelled.
    pub fn nodes_ready(&self) -> Option<u64> {
        self.nodes.as_ref().map(|n| n.ready)
    }

    /// Nodes ready or being provisioned (what is billed), when modelled.
    pub fn nodes_billed(&self) -> Option<u64> {
        self.nodes
            .as_ref()
            .map(|n| n.ready + n.provisioning.len() as u64)
    }

    /// Moves to step `now`: node arrivals, scheduling, state transitions.
    pub fn advance(&mut self, now: i64) {
        self.now = now;
        if now < self.next_event {
            return;
        }
        if let Some(n) = &mut self.nodes {
            if n.advance(now) {
                self.schedule_waiting(now);
            }
        }
        self.recount();
    }

    fn assigned(&self) -> u64 {
        self.cohorts
            .iter()
            .filter(|c| c.t.sched < NEVER)
            .map(|c| u64::from(c.count))
            .sum()
    }

    /// Binds waiting pods to free node slots, oldest first.
    fn schedule_waiting(&mut self, now: i64) {
        let Some(n) = &self.nodes else { return };
        let mut free = n.capacity().saturating_sub(self.assigned());
        let sched_steps = self.cold.schedule_steps();
        let mut i = 0;
        while i < self.cohorts.len() && free > 0 {
            if self.cohorts[i].t.sched >= NEVER {
                let c = self.cohorts[i].clone();
                let k = u64::from(c.count).min(free) as u32;
                free -= u64::from(k);
                let sched = now.max(c.t.created + sched_steps);
                let bound = Cohort {
                    first: c.first,
                    count: k,
                    t: self.cold.times(c.t.created, sched),
                };
                if k == c.count {
                    self.cohorts[i] = bound;
                } else {
                    self.cohorts[i].first += u64::from(k);
                    self.cohorts[i].count -= k;
                    self.cohorts.insert(i, bound);
                    i += 1;
                }
            }
            i += 1;
        }
        let (pods, assigned) = (self.counts_exist(), self.assigned());
        if let Some(n) = &mut self.nodes {
            n.rebalance(now, pods, assigned);
        }
    }

    fn counts_exist(&self) -> u64 {
        self.cohorts.iter().map(|c| u64::from(c.count)).sum()
    }

    fn recount(&mut self) {
        let now = self.now;
        let mut c = Counts::default();
        let mut next = NEVER;
        for h in &self.cohorts {
            let n = u64::from(h.count);
            let t = &h.t;
            c.exists += n;
            if t.sched <= now {
                c.bound += n;
            }
            if t.run <= now {
                c.running += n;
            }
            if t.ready <= now {
                c.ready += n;
            }
            if t.serve <= now {
                c.serving += n;
            } else if t.loaded <= now {
                c.idle += n;
            } else if t.run <= now {
                c.loading += n;
            }
            for x in [t.sched, t.run, t.loaded, t.ready, t.serve] {
                if x > now && x < next {
                    next = x;
                }
            }
        }
        if let Some(n) = &self.nodes {
            next = next.min(n.next_event());
        }
        if c != self.counts || self.next_event <= now {
            self.version += 1;
        }
        self.counts = c;
        self.next_event = next;
    }

    /// Creates or removes pods so that `replicas` exist.
    pub fn scale_to(&mut self, replicas: u32, now: i64) {
        self.now = now;
        let have = self.counts_exist();
        let want = u64::from(replicas);
        if want > have {
            self.create((want - have) as u32, now);
        } else if want < have {
            self.remove((have - want) as u32, now);
        } else {
            return;
        }
        self.version += 1;
        self.recount();
    }

    fn create(&mut self, n: u32, now: i64) {
        let sched = now + self.cold.schedule_steps();
        let bound = match &self.nodes {
            Some(pool) => pool
                .capacity()
                .saturating_sub(self.assigned())
                .min(u64::from(n)) as u32,
            None => n,
        };
        if bound > 0 {
            let t = self.cold.times(now, sched);
            self.push(bound, t);
        }
        if bound < n {
            let t = self.cold.times(now, NEVER);
            self.push(n - bound, t);
        }
        let (pods, assigned) = (self.counts_exist(), self.assigned());
        if let Some(pool) = &mut self.nodes {
            pool.rebalance(now, pods, assigned);
        }
    }

    fn remove(&mut self, n: u32, now: i64) {
        let mut order: Vec<usize> = (0..self.cohorts.len()).collect();
        let key = |c: &Cohort| {
            let t = &c.t;
            (
                t.sched <= now,
                t.run <= now,
                t.ready <= now,
                if t.ready <= now { -t.ready } else { 0 },
                -t.created,
                core::cmp::Reverse(c.first),
            )
        };
        order.sort_by_key(|&i| key(&self.cohorts[i]));
        let mut left = n;
        for i in order {
            if left == 0 {
                break;
            }
            let c = &mut self.cohorts[i];
            let k = c.count.min(left);
            c.count -= k;
            left -= k;
        }
        self.cohorts.retain(|c| c.count > 0);
        self.schedule_waiting(now);
        let (pods, assigned) = (self.counts_exist(), self.assigned());
        if let Some(pool) = &mut self.nodes {
            pool.rebalance(now, pods, assigned);
        }
    }
}

/// Sets a pod's phase, Ready condition and start time to its cohort's
/// state at step `now`.
pub fn set_state(p: &mut Pod, cohort: &Cohort, now: i64, at: impl Fn(i64) -> Instant) {
    let t = &cohort.t;
    if t.sched > now {
        p.phase = Phase::Pending;
        p.ready = None;
        p.ready_since = None;
        p.start_time = None;
        return;
    }
    p.start_time = Some(at(t.sched));
    p.phase = if t.run <= now {
        Phase::Running
    } else {
        Phase::Pending
    };
    if t.ready <= now {
        p.ready = Some(ConditionStatus::True);
        p.ready_since = Some(at(t.ready));
    } else {
        p.ready = Some(ConditionStatus::False);
        p.ready_since = Some(at(t.sched));
    }
}

/// A pod as the HPA lists it, at step `now`.
pub fn materialize(
    cohort: &Cohort,
    now: i64,
    at: impl Fn(i64) -> Instant,
    template: &Pod,
    name: String,
) -> Pod {
    let mut p = template.clone();
    p.name = name;
    set_state(&mut p, cohort, now, at);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Duration;

    fn cold(probe: Option<(i64, i64)>) -> ColdStart {
        ColdStart {
            step_ns: 1_000_000_000,
            schedule_ns: 2_000_000_000,
            pull_ns: 20_000_000_000,
            load_ns: 60_000_000_000,
            probes: probe
                .map(|(d, p)| {
                    alloc::vec![Probe {
                        initial_delay: Duration::from_secs(d),
                        period: Duration::from_secs(p),
                        success_threshold: 1
                    }]
                })
                .unwrap_or_default(),
        }
    }

    #[test]
    fn cold_start_and_probe() {
        // created 0, bound 2, running 22, loaded 82; probes at 22+90=112 → ready 112.
        let t = cold(Some((90, 10))).times(0, 2);
        assert_eq!(
            (t.sched, t.run, t.loaded, t.ready, t.serve),
            (2, 22, 82, 112, 112)
        );
        // probes at 22+30, +10 …: first at or after 82 is 82.
        let t = cold(Some((30, 10))).times(0, 2);
        assert_eq!((t.ready, t.serve), (82, 82));
        // No probe: ready when running, serving when loaded.
        let t = cold(None).times(0, 2);
        assert_eq!((t.ready, t.serve), (22, 82));
    }

    #[test]
    fn counts_follow_transitions() {
        let mut p = Pods::new(2, cold(Some((90, 10))), None);
        assert_eq!(p.counts().serving, 2);
        p.scale_to(5, 0);
        assert_eq!(p.counts().exists, 5);
        assert_eq!(p.counts().bound, 2);
        p.advance(2);
        assert_eq!(p.counts().bound, 5);
        p.advance(50);
        assert_eq!(p.counts().loading, 3);
        p.advance(100);
        assert_eq!(p.counts().idle, 3);
        assert_eq!(p.counts().ready, 2);
        p.advance(112);
        assert_eq!(p.counts().serving, 5);
        assert_eq!(p.counts().ready, 5);
    }

    #[test]
    fn scale_down_removes_unready_then_newest() {
        let mut p = Pods::new(3, cold(Some((90, 10))), None);
        p.scale_to(5, 0);
        p.advance(200);
        p.scale_to(7, 200); // two not ready yet
        p.advance(210);
        p.scale_to(4, 210);
        // The two unready ones go first, then the newest ready (created at 0).
        let cs = p.cohorts();
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].count, 3);
        assert_eq!(cs[1].count, 1);
        assert_eq!(
            cs[1].first, 3,
            "the lowest serial of the newer cohort stays"
        );
        assert_eq!(p.counts().exists, 4);
    }

    #[test]
    fn nodes_provision_and_warm_pool() {
        // 1 pod per node, 2 warm, provisioning takes 100 steps.
        let pool = NodePool::new(1, 100, 2, 6, 2);
        assert_eq!(pool.ready, 4);
        let mut p = Pods::new(2, cold(None), Some(pool));
        p.scale_to(6, 0);
        // Two fit on the warm nodes, two wait.
        assert_eq!(p.counts().exists, 6);
        let waiting: u32 = p
            .cohorts()
            .iter()
            .filter(|c| c.t.sched >= NEVER)
            .map(|c| c.count)
            .sum();
        assert_eq!(waiting, 2);
        p.advance(99);
        assert_eq!(p.nodes_ready(), Some(4));
        p.advance(100);
        assert_eq!(p.nodes_ready(), Some(6), "the max caps the pool");
        let waiting: u32 = p
            .cohorts()
            .iter()
            .filter(|c| c.t.sched >= NEVER)
            .map(|c| c.count)
            .sum();
        assert_eq!(waiting, 0);
        // Scale down: nodes beyond demand + warm are released.
        p.scale_to(2, 300);
        assert_eq!(p.nodes_ready(), Some(4));
    }

    #[test]
    fn materialized_pods_carry_states() {
        let tmpl = Pod {
            name: String::new(),
            phase: Phase::Running,
            ready: Some(ConditionStatus::True),
            ready_since: None,
            start_time: None,
            deleting: false,
            requests: None,
            containers: Vec::new(),
            init_containers: Vec::new(),
            pod_requests: None,
            count: None,
        };
        let c = Cohort {
            first: 0,
            count: 1,
            t: cold(Some((90, 10))).times(0, 2),
        };
        let at = |i: i64| Instant::from_secs_f64(i as f64);
        let p = materialize(&c, 1, at, &tmpl, "a".into());
        assert_eq!(
            (p.phase, p.ready, p.start_time),
            (Phase::Pending, None, None)
        );
        let p = materialize(&c, 10, at, &tmpl, "a".into());
        assert_eq!(p.phase, Phase::Pending);
        assert_eq!(p.ready, Some(ConditionStatus::False));
        let p = materialize(&c, 50, at, &tmpl, "a".into());
        assert_eq!(p.phase, Phase::Running);
        let p = materialize(&c, 120, at, &tmpl, "a".into());
        assert_eq!(p.ready, Some(ConditionStatus::True));
        assert_eq!(p.ready_since, Some(at(112)));
    }
}
