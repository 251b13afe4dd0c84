//! The work model: one step of arrivals, service, drops and latency.

use super::super::scenario::{Mode, WorkloadModel};

/// The work model's state after a step.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Work {
    /// Items waiting (at the pods, or in the broker).
    pub(super) queue: f64,
    /// Busy fraction of the serving pods.
    pub(super) busy: f64,
    pub(super) lat50: f64,
    pub(super) lat95: f64,
    /// Items in progress.
    pub(super) inflight: f64,
    pub(super) served: f64,
    pub(super) dropped: f64,
}

pub(super) fn flow(w: &WorkloadModel, prev: &Work, lambda: f64, serving: u64, dt: f64) -> Work {
    let mu = w.capacity_per_replica;
    let cap_rate = serving as f64 * mu;
    let arrivals = lambda * dt;
    let mut out = Work {
        queue: prev.queue + arrivals,
        ..Work::default()
    };
    if cap_rate <= 0.0 {
        if w.mode == Mode::Http {
            // No ready endpoint: requests fail at once.
            out.dropped = out.queue;
            out.queue = 0.0;
        }
        out.lat50 = if out.queue > 0.0 || arrivals > 0.0 {
            f64::NAN
        } else {
            0.0
        };
        out.lat95 = out.lat50;
        return out;
    }
    let served = out.queue.min(cap_rate * dt);
    out.queue -= served;
    out.served = served;
    if w.mode == Mode::Http {
        let max_queue = cap_rate * w.timeout.as_secs_f64();
        if out.queue > max_queue {
            out.dropped = out.queue - max_queue;
            out.queue = max_queue;
        }
    }
    out.busy = served / (cap_rate * dt);
    // Per-pod M/M/1 sojourn (rate μ(1-ρ), ρ capped at 0.95) behind the
    // fluid backlog.
    let rho = out.busy.min(0.95);
    let base = 1.0 / (mu * (1.0 - rho));
    let wait = out.queue / cap_rate;
    out.lat50 = wait + core::f64::consts::LN_2 * base;
    out.lat95 = wait + 2.995_732_273_553_991 * base;
    let processing = served / dt / mu;
    out.inflight = processing + if w.mode == Mode::Http { out.queue } else { 0.0 };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Levels;
    use crate::time::Duration;

    fn model(mode: Mode) -> WorkloadModel {
        WorkloadModel {
            mode,
            capacity_per_replica: 10.0,
            cpu: Levels {
                idle: 0.2,
                busy: 1.8,
            },
            cpu_startup: 1.8,
            memory: Levels {
                idle: 1.0,
                busy: 2.0,
            },
            gpu: Levels {
                idle: 0.0,
                busy: 100.0,
            },
            schedule: Duration::from_secs(1),
            pull: Duration::from_secs(1),
            load: Duration::from_secs(0),
            timeout: Duration::from_secs(30),
            slo_latency: Duration::from_secs(1),
        }
    }

    #[test]
    fn http_flow_serves_queues_and_drops() {
        let w = model(Mode::Http);
        let a = flow(&w, &Work::default(), 15.0, 2, 1.0);
        assert_eq!(a.served, 15.0);
        assert_eq!(a.queue, 0.0);
        assert!((a.busy - 0.75).abs() < 1e-12);
        assert!(a.lat95 > a.lat50);
        // Overload: 40/s against 20/s; the queue grows until 20 × 30 s, then drops.
        let mut s = Work::default();
        for _ in 0..100 {
            s = flow(&w, &s, 40.0, 2, 1.0);
        }
        assert_eq!(s.queue, 600.0);
        assert_eq!(s.dropped, 20.0);
        assert!(s.lat95 > 30.0);
        // Nobody ready: everything drops, latency has no value.
        let z = flow(&w, &Work::default(), 5.0, 0, 1.0);
        assert_eq!(z.dropped, 5.0);
        assert!(z.lat95.is_nan());
    }

    #[test]
    fn queue_flow_keeps_messages() {
        let w = model(Mode::Queue);
        let z = flow(&w, &Work::default(), 5.0, 0, 1.0);
        assert_eq!((z.queue, z.dropped), (5.0, 0.0));
        let a = flow(&w, &z, 5.0, 1, 1.0);
        assert_eq!(a.queue, 0.0);
        assert_eq!(a.served, 10.0);
    }
}
