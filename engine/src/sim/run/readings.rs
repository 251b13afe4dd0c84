//! What the HPA's listers and the metrics APIs answer at a sync: the pod
//! list (one entry per cohort) and each metric source's reading, updated in
//! place so that a sync allocates nothing once the pods are steady.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::super::pods::{Pods, materialize, set_state};
use super::super::scenario::{Signal, Source};
use super::loops::SyncCtx;
use super::quantity;
use crate::model::Pod;
use crate::model::{PodSample, Reading};
use crate::time::{Duration, Instant};

/// The pod list the HPA's lister returns, one entry per cohort (`count`
/// pods named `<prefix>-<first serial>-<k>` once a case expands them; the
/// calculator reads a cohort in one step). Refreshed only when pods
/// changed, and then in place: cohorts that are gone are dropped,
/// survivors get their state and count updated, new ones are appended
/// (serials only grow), so a refresh allocates only for new cohorts.
pub(super) struct PodList {
    pub(super) version: u64,
    pub(super) pods: Vec<Pod>,
    pub(super) serials: Vec<u64>,
    pub(super) template: Pod,
    pub(super) prefix: String,
}

impl PodList {
    pub(super) fn refresh(&mut self, pods: &Pods, now: i64, at: &impl Fn(i64) -> Instant) {
        if self.version == pods.version() {
            return;
        }
        self.version = pods.version();
        let cohorts = pods.cohorts();
        let mut ci = 0;
        let mut w = 0;
        for r in 0..self.pods.len() {
            let s = self.serials[r];
            while ci < cohorts.len() && cohorts[ci].first < s {
                ci += 1;
            }
            if ci < cohorts.len() && cohorts[ci].first == s {
                if w != r {
                    self.pods.swap(w, r);
                    self.serials.swap(w, r);
                }
                set_state(&mut self.pods[w], &cohorts[ci], now, at);
                self.pods[w].count = Some(cohorts[ci].count);
                w += 1;
            }
        }
        self.pods.truncate(w);
        self.serials.truncate(w);
        let aligned =
            cohorts.len() >= w && self.serials.iter().zip(cohorts).all(|(s, c)| *s == c.first);
        if !aligned {
            // Not the shape incremental updates assume: rebuild.
            self.pods.clear();
            self.serials.clear();
        }
        for c in &cohorts[self.pods.len()..] {
            let name = format!("{}-{:06}", self.prefix, c.first);
            let mut p = materialize(c, now, at, &self.template, name);
            p.count = Some(c.count);
            self.pods.push(p);
            self.serials.push(c.first);
        }
    }
}

/// Readings as a case states them: a cohort's one sample under each of its
/// pods' names (`<cohort>-0`, `<cohort>-1`, ...), as the case reader
/// expands the cohort.
pub(super) fn expanded_readings(readings: &[Reading], pods: &[Pod]) -> Vec<Reading> {
    let counts: BTreeMap<&str, u32> = pods
        .iter()
        .filter_map(|p| p.count.map(|n| (p.name.as_str(), n)))
        .collect();
    readings
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if let Some(values) = r.pod_values.take() {
                let mut out = BTreeMap::new();
                for (name, sample) in values {
                    match counts.get(name.as_str()) {
                        Some(&n) => {
                            for k in 0..n {
                                out.insert(format!("{name}-{k}"), sample.clone());
                            }
                        }
                        None => {
                            out.insert(name, sample);
                        }
                    }
                }
                r.pod_values = Some(out);
            }
            r
        })
        .collect()
}

/// Which pods a per-pod reading held the last time, so that the next one can
/// update its values in place instead of rebuilding the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct SampleKey {
    pub(super) version: u64,
    pub(super) mask: Vec<bool>,
    /// The samples being read, kept so that a sync allocates nothing.
    pub(super) scratch: Vec<Option<PodSample>>,
}

/// Serials stay below this, so pod names sort in creation order.
pub(super) const ORDERED_SERIALS: u64 = 1_000_000;

/// Fills a per-pod reading from one sample per cohort (`None`: no sample),
/// keyed by the cohort's name in the pod list.
pub(super) fn fill_pod_reading(
    cx: &SyncCtx<'_, '_>,
    prev: &mut Reading,
    key: &mut SampleKey,
    samples: &[Option<PodSample>],
) {
    let cohorts = cx.pods.cohorts();
    let ordered = cohorts.last().is_none_or(|c| c.first < ORDERED_SERIALS);
    let same = ordered
        && key.version == cx.list.version
        && key.mask.len() == samples.len()
        && key.mask.iter().zip(samples).all(|(m, s)| *m == s.is_some());
    match prev.pod_values.as_mut() {
        Some(map) if same => {
            // Names sort in cohort order: the map's values are the samples.
            for (slot, s) in map.values_mut().zip(samples.iter().flatten()) {
                slot.clone_from(s);
            }
        }
        _ => {
            let mut map = BTreeMap::new();
            for (p, s) in cx.list.pods.iter().zip(samples) {
                if let Some(s) = s {
                    map.insert(p.name.clone(), s.clone());
                }
            }
            prev.pod_values = Some(map);
            key.version = cx.list.version;
            key.mask.clear();
            key.mask.extend(samples.iter().map(Option::is_some));
        }
    }
    prev.value = None;
    prev.values = None;
    prev.error = None;
}

/// Step `j`'s instant on the wall clock: `start + j × step`.
pub(super) fn wall(start: Instant, step_s: f64) -> impl Fn(i64) -> Instant {
    move |j| start + Duration::from_secs_f64(j as f64 * step_s)
}

/// What the metrics APIs answer for one source at this sync, written over
/// the previous reading of that source. `lag`: a KEDA scaler that reads its
/// source live, that many steps late (`None`: through Prometheus).
pub(super) fn read_source(
    src: &Source,
    lag: Option<i64>,
    cx: &SyncCtx<'_, '_>,
    prev: &mut Reading,
    key: &mut SampleKey,
) {
    let at = wall(cx.start, cx.step_s);
    let fail = |prev: &mut Reading, msg: &str| {
        *prev = Reading {
            error: Some(String::from(msg)),
            ..Reading::default()
        };
    };
    match *src {
        Source::MetricsServer(sig) => {
            let Some(snap) = &cx.ms.latest else {
                return fail(prev, "no metrics returned from resource metrics API");
            };
            let s = snap.idx;
            let mut samples = core::mem::take(&mut key.scratch);
            samples.clear();
            samples.extend(cx.pods.cohorts().iter().map(|c| {
                (c.t.run <= s - cx.ms.res_steps).then(|| {
                    let (v, len) = if sig == Signal::Cpu {
                        cx.ms.cpu(c, s, cx.w)
                    } else {
                        (snap.per_pod(c, sig).unwrap_or(0.0), cx.ms.window_steps)
                    };
                    PodSample {
                        value: quantity(v),
                        timestamp: None,
                        window: (len != cx.ms.window_steps)
                            .then(|| Duration::from_secs_f64(len as f64 * cx.step_s)),
                    }
                })
            }));
            fill_pod_reading(cx, prev, key, &samples);
            key.scratch = samples;
            prev.timestamp = Some(at(s));
            prev.window = Some(cx.ms.window);
        }
        Source::PodsMetric(sig) => {
            let Some(snap) = &cx.prom.visible else {
                return fail(prev, "no metrics returned from custom metrics API");
            };
            let mut samples = core::mem::take(&mut key.scratch);
            samples.clear();
            samples.extend(cx.pods.cohorts().iter().map(|c| {
                snap.per_pod(c, sig).map(|v| PodSample {
                    value: quantity(v),
                    timestamp: None,
                    window: None,
                })
            }));
            fill_pod_reading(cx, prev, key, &samples);
            key.scratch = samples;
            prev.timestamp = Some(at(snap.idx));
            prev.window = None;
        }
        Source::Scaler(sig) if lag.is_some() => {
            let j = (cx.i - lag.unwrap_or(0)).max(0);
            *prev = Reading {
                value: Some(quantity(cx.live.at(j)[sig.index()])),
                timestamp: Some(at(j)),
                ..Reading::default()
            };
        }
        Source::ObjectMetric(sig) | Source::ExternalMetric(sig) | Source::Scaler(sig) => {
            let Some(snap) = &cx.prom.visible else {
                return fail(prev, "no metrics returned from external metrics API");
            };
            let v = quantity(snap.agg[sig.index()]);
            *prev = if matches!(src, Source::ExternalMetric(_)) {
                Reading {
                    values: Some(alloc::vec![v]),
                    timestamp: Some(at(snap.idx)),
                    ..Reading::default()
                }
            } else {
                Reading {
                    value: Some(v),
                    timestamp: Some(at(snap.idx)),
                    ..Reading::default()
                }
            };
        }
    }
}

/// Reads every source into `readings` (one per source); `lags` as
/// [`read_source`] takes them, one per source (empty: none live).
pub(super) fn read_all(
    sources: &[Source],
    lags: &[Option<i64>],
    cx: &SyncCtx<'_, '_>,
    readings: &mut Vec<Reading>,
    keys: &mut Vec<SampleKey>,
) {
    readings.resize_with(sources.len(), Reading::default);
    keys.resize_with(sources.len(), SampleKey::default);
    for (k, ((src, r), key)) in sources
        .iter()
        .zip(readings.iter_mut())
        .zip(keys.iter_mut())
        .enumerate()
    {
        read_source(src, lags.get(k).copied().flatten(), cx, r, key);
    }
}
