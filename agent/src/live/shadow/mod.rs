//! Shadow evaluation: each variant's autoscalers, run on live readings as a
//! dry run (nothing in a cluster is changed).
//!
//! [`compile`] turns the configuration into a [`Plan`]: the sources (with
//! the queues and queries the variants' triggers need added), and one
//! [`LoopPlan`] per HorizontalPodAutoscaler or ScaledObject in a variant's
//! manifests, each metric or trigger bound to a reading (`signals:`, or by
//! default a rabbitmq trigger's queue and a prometheus trigger's own query).
//!
//! [`reconcile`] runs one loop once: it writes the evaluation case the
//! controller would see now (shared spec `eval-case.md`: the manifest, the
//! readings, the current replica count, synthetic running pods, and the
//! history the previous decision returned) and evaluates it with the engine
//! exactly as `replicast eval` does (`case::from_value`, `case::evaluate`).
//! The decision's `history` (with `history.keda` for a ScaledObject) feeds
//! the next reconcile. A reading that cannot be had is passed as
//! `{error: ...}`, so the decision follows the upstream rules: the HPA's
//! ScalingActive=False and no scale-down on an invalid metric, KEDA's
//! fallback.

mod bind;
mod compile;
mod describe;
mod plan;
mod reconcile;
mod sources;

pub use compile::compile;
pub use describe::AutoReading;
pub use plan::*;
pub use reconcile::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::config::{Loaded, parse};
    use crate::live::state::Store;

    #[test]
    fn quantities() {
        assert_eq!(quantity(30.0).as_deref(), Some("30"));
        assert_eq!(quantity(0.5).as_deref(), Some("500m"));
        assert_eq!(quantity(-1.25).as_deref(), Some("-1250m"));
        assert_eq!(quantity(70.0004).as_deref(), Some("70"));
        assert_eq!(quantity(f64::NAN), None);
    }

    const SEED: &str = include_str!("../../../tests/fixtures/ml-batch-keda.yaml");

    fn loaded(text: &str) -> Loaded {
        parse(
            text,
            "agent.yaml",
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        )
        .unwrap()
    }

    #[test]
    fn the_seed_binds_to_its_queue_and_its_own_query() {
        let l = loaded(
            "sources:\n- {name: rabbit, type: rabbitmq, url: 'amqp://guest:guest@127.0.0.1:5672/%2f'}\n\
             - {name: prom, type: prometheus, url: 'http://127.0.0.1:9090'}\n\
             variants:\n- {name: batch, file: ml-batch-keda.yaml}\n",
        );
        let plan = compile(&l, &[]).unwrap();
        assert_eq!(plan.loops.len(), 1);
        let lp = &plan.loops[0];
        assert_eq!(
            (lp.name.as_str(), lp.kind, lp.period),
            ("batch", Kind::ScaledObject, 15.0)
        );
        assert_eq!(lp.replicas, Replicas::Follow(0));
        assert_eq!(lp.inputs[0].name, "ml-inference-queue");
        assert_eq!(
            lp.inputs[0].binding.as_ref().unwrap().reference,
            "rabbit.ml-inference-queue.messages"
        );
        assert_eq!(lp.inputs[1].name, "gpu_utilization");
        let q = r#"avg(gpu_utilization{job="ml-inference"})"#;
        assert_eq!(lp.inputs[1].binding.as_ref().unwrap().key, q);
        assert_eq!(plan.sources[0].spec.queues, ["ml-inference-queue"]);
        assert_eq!(plan.sources[1].spec.queries[q], q);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert!(SEED.contains("ml-inference-queue"));
    }

    #[test]
    fn problems_name_their_place() {
        let e = compile(
            &loaded("variants:\n- {name: v, manifests: 'kind: Deployment'}\n"),
            &[],
        )
        .unwrap_err();
        assert_eq!(e.path, "variants[0].manifests");
        assert!(
            e.message
                .contains("no HorizontalPodAutoscaler or ScaledObject"),
            "{e}"
        );

        let text = "variants:\n- name: v\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 0\n";
        let e = compile(&loaded(text), &[]).unwrap_err();
        assert!(e.message.contains("HorizontalPodAutoscaler \"h\""), "{e}");
        assert!(e.message.contains("spec.maxReplicas"), "{e}");

        let text = "signals: {cpu: nope.x}\nvariants:\n- name: v\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n";
        let e = compile(&loaded(text), &[]).unwrap_err();
        assert_eq!(e.path, "signals.cpu");
        assert!(e.message.contains("no source named \"nope\""), "{e}");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn an_unmapped_metric_reads_as_an_error_and_is_warned_about() {
        let text = "variants:\n- name: v\n  replicas: 2\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n";
        let plan = compile(&loaded(text), &[]).unwrap();
        assert_eq!(plan.warnings.len(), 1);
        assert!(plan.warnings[0].contains("\"cpu\""), "{:?}", plan.warnings);
        let store = Store::new(0.0, 60.0, "");
        let mut memory = LoopMemory::default();
        let r = reconcile(&plan.loops[0], &mut memory, &store, 1000.0, None);
        let d = r.decision.unwrap();
        assert_eq!(d.desired_replicas, 2, "no rescale on a failed metric");
        let active = d
            .conditions
            .get(replicast_engine::condition::ConditionType::ScalingActive)
            .unwrap();
        assert_eq!(
            active.status,
            replicast_engine::condition::ConditionStatusText::False
        );
        assert!(
            r.inputs[0]
                .error
                .as_deref()
                .unwrap()
                .contains("map it under `signals:`")
        );
        assert!(memory.history.is_some());
    }

    #[test]
    fn a_closed_loop_reads_production_and_caps_what_it_reads() {
        let hpa = "  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n      metrics:\n      - type: Pods\n        pods: {metric: {name: depth}, target: {type: AverageValue, averageValue: '1'}}\n";
        let text = format!(
            "sources:\n- {{name: p, type: prometheus, url: 'http://127.0.0.1:9'}}\nvariants:\n- name: v\n  replicas: {{production: {{prometheus: p, namespace: ns, podMetrics: {{depth: 'depth'}}}}}}\n{hpa}"
        );
        let plan = compile(&loaded(&text), &[]).unwrap();
        let Replicas::Production(p) = &plan.loops[0].replicas else {
            panic!("{:?}", plan.loops[0].replicas)
        };
        assert_eq!((p.deployment.as_str(), p.hpa.as_str()), ("d", "h"));
        assert_eq!(plan.loops[0].cap, 3);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert_eq!(
            plan.loops[0].inputs[0].binding.as_ref().unwrap().key,
            "depth"
        );
        let bad = text.replace("prometheus: p,", "prometheus: q,");
        let e = compile(&loaded(&bad), &[]).unwrap_err();
        assert_eq!(e.path, "variants[0].replicas.production.prometheus");
        let both = text.replace("{production:", "{follow: 1, production:");
        let e = compile(&loaded(&both), &[]).unwrap_err();
        assert_eq!(e.path, "variants[0].replicas");

        // A count read above maxReplicas is taken at it, and says so.
        let read = format!(
            "replicaLimit: 2\nsources:\n- {{name: p, type: prometheus, url: 'http://127.0.0.1:9', queries: {{n: 'x'}}}}\nvariants:\n- name: v\n  replicas: {{reading: p.n}}\n{hpa}"
        );
        let plan = compile(&loaded(&read), &[]).unwrap();
        assert_eq!(plan.loops[0].cap, 2, "replicaLimit under maxReplicas");
        let mut store = Store::new(0.0, 60.0, "");
        store.sources.push(crate::live::state::SourceState::new(
            "p".into(),
            "prometheus",
            1.0,
            1.0,
        ));
        let poll = crate::live::source::Poll {
            samples: vec![crate::live::source::Sample::plain("n", 500.0)],
            ..Default::default()
        };
        store.record_poll(0, 999.0, 0.1, Ok(poll));
        let r = reconcile(
            &plan.loops[0],
            &mut LoopMemory::default(),
            &store,
            1000.0,
            None,
        );
        assert_eq!(r.current, Some(2));
        assert_eq!(r.notes, ["p.n read 500 replicas; capped at 2"]);
    }
}
