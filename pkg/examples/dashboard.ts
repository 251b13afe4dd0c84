// A dashboard's use of `replicast`, type-checked by the package's tests
// (`tsc --noEmit -p examples`, and again against the packed tarball).
// Every type below comes from the package's generated declarations.
import {
  evaluate,
  parseManifests,
  ReplicastError,
  simulate,
  version,
  type Decision,
  type EvalCase,
  type HorizontalPodAutoscaler,
  type ManifestObject,
  type Notice,
  type Pod,
  type Reason,
  type Scenario,
  type SimResult,
} from "replicast";
import * as jsonOnly from "replicast/json";

/** The HPA as the API server returns it (here: written out). */
const hpa: HorizontalPodAutoscaler = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web", namespace: "shop" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 2,
    maxReplicas: 20,
    metrics: [
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] } },
  },
};

/** Pods and their CPU usage, as a metrics panel has them. */
const usage: Record<string, string> = { "web-0": "900m", "web-1": "1100m", "web-2": "950m" };
const pods: Pod[] = Object.keys(usage).map((name) => ({
  name,
  requests: { cpu: "1" },
  startTime: 0,
  readySince: 60,
}));

const now = 1_000;
const reconcile: EvalCase = {
  now,
  hpa,
  target: { replicas: pods.length },
  pods,
  metrics: [{ podValues: usage }],
};

/** One reconcile, then the next one 15 s later with the controller's memory. */
export function nextTwo(): [Decision, Decision] {
  const first = evaluate(reconcile);
  const second = evaluate({ ...reconcile, now: now + 15, history: first.history, target: { replicas: first.desiredReplicas } });
  return [first, second];
}

/** What a status badge shows. */
export function badge(decision: Decision): string {
  const limited = decision.conditions.find((c) => c.type === "ScalingLimited");
  const reason: Reason | undefined = limited?.reason;
  const cpu = decision.metrics[0];
  const pct = cpu?.utilization === undefined ? "n/a" : `${cpu.utilization}%`;
  return `${decision.desiredReplicas} replicas (cpu ${pct}${reason === "TooManyReplicas" ? ", at max" : ""}): ${decision.explanation}`;
}

/** A case pasted by a user: YAML text; problems point at a line. */
export function fromText(text: string): Decision | string {
  try {
    return evaluate(text);
  } catch (e) {
    if (e instanceof ReplicastError) {
      const where = e.line === null ? e.path : `line ${e.line}, column ${e.column ?? 1}`;
      return `${where}: ${e.problems.map((p) => `${p.kind}: ${p.message}`).join("; ")}`;
    }
    throw e;
  }
}

/** A case read as `replicast eval --strict` reads it; otherwise each unknown field as an editor hint. */
export function hints(text: string, strict: boolean): string[] {
  const decision = evaluate(text, { strict });
  return (decision.notices ?? []).map((n: Notice) => `${n.line ?? "?"}:${n.column ?? "?"} ${n.kind}: ${n.message}`);
}

/** The objects of a manifest file, and what is wrong with the rest. */
export function listObjects(yaml: string): string[] {
  const { objects, problems } = parseManifests(yaml, { hpaScaleToZero: false });
  const names = objects.map((o: ManifestObject) => {
    switch (o.type) {
      case "Workload":
        return `${o.kind} ${o.name}: ${o.replicas} replicas, ${o.containers.length} containers`;
      case "HorizontalPodAutoscaler":
        return `HPA ${o.hpa.metadata?.name ?? "?"} (${o.hpa.spec?.metrics?.length ?? 0} metrics)`;
      case "ScaledObject":
        return `ScaledObject ${o.name} → ${o.targetKind} ${o.targetName}`;
      case "Ignored":
        return `${o.kind} ${o.name} (not modelled)`;
    }
  });
  return [...names, ...problems.map((p) => `${p.path}: ${p.message}`)];
}

/** A what-if: the HPA above under a spike, as a chart's series. */
export function spike(manifests: string): { t: (number | null)[]; replicas: (number | null)[]; cost: number } {
  const scenario: Scenario = {
    manifests,
    duration: "30m",
    load: [{ constant: 20 }, { spike: { at: "5m", for: "5m", rate: 80 } }, { noise: { cv: 0.1 } }],
    workload: { capacityPerReplica: 10, coldStart: { pull: "20s", load: 60 } },
    cost: { perReplicaHour: 2.5 },
  };
  const result: SimResult = simulate(scenario, { every: "10s" }); // one chart point per 10 s
  const run = result.variants[0];
  if (run === undefined) throw new Error("no variant");
  return { t: run.timeline["t"] ?? [], replicas: run.timeline["replicas"] ?? [], cost: run.summary.cost };
}

/** The JSON-only build takes the same objects (and JSON text). */
export const sameDecision: boolean =
  jsonOnly.evaluate(reconcile).desiredReplicas === evaluate(JSON.stringify(reconcile)).desiredReplicas;

export const about = `replicast ${version()}`;
