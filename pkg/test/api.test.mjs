// The package's API beyond the fixtures: inputs (objects, YAML and JSON
// text), errors (ReplicastError with path, line, column, kind, problems),
// chaining reconciles through `history`, simulate, parseManifests, and a
// panic reaching the caller as a ReplicastError of kind "internal".
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  checkFixture,
  evaluate,
  parseManifests,
  prepare,
  readsYaml,
  ReplicastError,
  simulate,
  version,
} from "replicast";
import * as jsonOnly from "replicast/json";
import * as raw from "../npm/replicast_wasm.js";
import { bind } from "../js/core.js";

/** What `fn` throws (it must throw a ReplicastError). */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ReplicastError, `not a ReplicastError: ${e}`);
    return e;
  }
  assert.fail("did not throw");
}

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const example = (name) => readFileSync(new URL(`../../tests/seed/${name}`, import.meta.url), "utf8");

const hpa = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: "Pods", pods: { metric: { name: "queue" }, target: { type: "AverageValue", averageValue: "10" } } }],
  },
};
const queueCase = (now, depth, extra = {}) => ({
  now,
  hpa,
  target: { replicas: 2 },
  pods: [{ name: "a" }, { name: "b" }],
  metrics: [{ podValues: { a: String(depth), b: String(depth) } }],
  ...extra,
});

test("version is the package's, and each build says whether it reads YAML", () => {
  assert.equal(version(), pkg.version);
  assert.equal(jsonOnly.version(), pkg.version);
  assert.equal(readsYaml(), true);
  assert.equal(jsonOnly.readsYaml(), false);
});

/** queueCase(1000, 30) as YAML text. */
const queueYaml = `now: 1000
hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {name: web}
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    minReplicas: 1
    maxReplicas: 10
    metrics:
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "10"}}
target: {replicas: 2}
pods: [{name: a}, {name: b}]
metrics: [{podValues: {a: "30", b: "30"}}]
`;

test("a case object, its JSON and its YAML give one decision", () => {
  const decision = evaluate(queueCase(1000, 30));
  // 30 per pod against 10: ×3, capped at max(2 × 2, 4) on a scale-up.
  assert.equal(decision.desiredReplicas, 4);
  assert.equal(decision.metrics[0].replicas, 6);
  assert.equal(decision.metrics[0].value, "30");
  assert.deepEqual(
    decision.conditions.map((c) => [c.type, c.status, c.reason]),
    [
      ["AbleToScale", "True", "SucceededRescale"],
      ["ScalingActive", "True", "ValidMetricFound"],
      ["ScalingLimited", "True", "ScaleUpLimit"],
    ],
  );
  assert.equal(typeof decision.explanation, "string");
  assert.deepEqual(evaluate(JSON.stringify(queueCase(1000, 30))), decision);
  assert.deepEqual(jsonOnly.evaluate(JSON.stringify(queueCase(1000, 30))), decision);
  assert.deepEqual(evaluate(queueYaml), decision);
});

test("reconciles chain: a decision's history is the next case's history", () => {
  const first = evaluate(queueCase(1000, 30));
  assert.deepEqual(first.history.recommendations.at(-1), { time: 1000, replicas: 6 });
  // 15 s later the queue is gone (proposal 1), but within the 300 s
  // stabilization window the highest recommendation, 6, still stands.
  const second = evaluate(queueCase(1015, 1, { target: { replicas: 4 }, history: first.history }));
  assert.equal(second.metrics[0].replicas, 1);
  assert.equal(second.desiredReplicas, 6);
  // Without the history the controller has just started: it remembers only
  // the current count, 4.
  const fresh = evaluate(queueCase(1015, 1, { target: { replicas: 4 } }));
  assert.equal(fresh.desiredReplicas, 4);
});

test("bad YAML throws a ReplicastError at its line and column", () => {
  const text = "now: 1000\nhpa: {spec: {maxReplicas: 3}\ntarget: {replicas: 1}\n";
  const e = thrown(() => evaluate(text));
  assert.equal(e.name, "ReplicastError");
  assert.ok(e instanceof Error);
  assert.equal(e.kind, "syntax");
  assert.equal(e.line, 3);
  assert.equal(typeof e.column, "number");
  assert.equal(e.problems.length, 1);
  assert.deepEqual(e.problems[0].line, e.line);
});

test("a wrong field is named by its path, with its line in text and none in an object", () => {
  const text = "now: 1000\nhpa:\n  spec:\n    scaleTargetRef: {kind: Deployment, name: web}\n    maxReplicas: many\ntarget: {replicas: 1}\n";
  const e = thrown(() => evaluate(text));
  assert.equal(e.path, "hpa.spec.maxReplicas");
  assert.equal(e.kind, "schema");
  assert.deepEqual([e.line, e.column], [5, 5]); // where the field's key is
  assert.match(e.message, /hpa\.spec\.maxReplicas \(line 5, column 5\)/);

  const o = thrown(() => evaluate({ now: 1000, hpa: { spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: "many" } }, target: { replicas: 1 } }));
  assert.deepEqual([o.path, o.kind, o.line, o.column], ["hpa.spec.maxReplicas", "schema", null, null]);
});

test("every problem is listed, in document order", () => {
  const bad = structuredClone(queueCase(1000, 30));
  bad.hpa.spec.scaleTargetRef = {};
  bad.hpa.spec.maxReplicas = 0;
  const e = thrown(() => evaluate(bad));
  assert.ok(e.problems.length >= 2, JSON.stringify(e.problems));
  assert.equal(e.kind, "invalid");
  for (const p of e.problems) {
    assert.match(p.path, /^hpa\.spec\./);
    assert.equal(typeof p.message, "string");
  }
});

test("replicast/json names where JSON text breaks, and says it reads JSON only", () => {
  const e = thrown(() => jsonOnly.evaluate('{"now": 1000,\n "hpa": }'));
  assert.deepEqual([e.kind, e.line, e.column], ["syntax", 2, 9]);
  assert.match(e.message, /JSON/);
  assert.throws(() => jsonOnly.evaluate("now: 1000\n"), (x) => x instanceof ReplicastError && x.kind === "syntax");
});

test("inputs that are not cases throw ReplicastErrors, never bare strings", () => {
  const cyclic = queueCase(1000, 30);
  cyclic.self = cyclic;
  for (const input of [undefined, null, 42, [], cyclic, { now: 1000n }, "", "- a list\n"]) {
    assert.throws(() => evaluate(input), ReplicastError, String(input));
    assert.throws(() => jsonOnly.evaluate(input), ReplicastError, String(input));
  }
});

test("hostile text is refused by the engine's limits", () => {
  let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
  assert.throws(() => evaluate(bomb), (e) => e instanceof ReplicastError && e.kind === "limit");
  assert.throws(() => evaluate("[".repeat(100_000)), (e) => e instanceof ReplicastError && ["limit", "syntax"].includes(e.kind));
  const deep = JSON.parse("[".repeat(500) + "]".repeat(500));
  assert.throws(() => evaluate({ now: 1, deep }), (e) => e instanceof ReplicastError && e.kind === "limit");
});

test("checkFixture reports mismatches, and matches an expected rejection", () => {
  const decision = evaluate(queueCase(1000, 30));
  assert.deepEqual(checkFixture({ expect: { desiredReplicas: 4, metrics: [{ value: "30000m" }] } }, decision), []);
  assert.equal(checkFixture({ expect: { desiredReplicas: 5 } }, decision).length, 1);
  const e = thrown(() => evaluate({ now: 1 }));
  assert.deepEqual(checkFixture({ expect: { error: true } }, e), []);
  assert.equal(checkFixture({ expect: { desiredReplicas: 1 } }, e).length, 1);
});

test("a panic reaches the caller as a ReplicastError of kind internal, and the next call works", () => {
  const api = bind(raw);
  const e = thrown(() => api.panicForTests("boom"));
  assert.equal(e.kind, "internal");
  assert.match(e.message, /boom/);
  assert.ok(e.cause instanceof WebAssembly.RuntimeError);
  // A fresh instance answers the next calls, through the public exports too.
  assert.equal(evaluate(queueCase(1000, 30)).desiredReplicas, 4);
  assert.equal(api.evaluate(queueCase(1000, 30)).desiredReplicas, 4);
  assert.throws(() => api.panicForTests("again"), (x) => x.kind === "internal" && /again/.test(x.message));
  assert.equal(version(), pkg.version);
});

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: app
        resources: {limits: {cpu: "1"}}
        readinessProbe: {initialDelaySeconds: 20, periodSeconds: 5}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`;

test("parseManifests reads each object with API defaults applied", () => {
  const { objects, problems } = parseManifests(manifests);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    objects.map((o) => [o.type, o.document]),
    [
      ["Workload", 0],
      ["HorizontalPodAutoscaler", 1],
    ],
  );
  const [workload, autoscaler] = objects;
  assert.equal(workload.name, "web");
  assert.equal(workload.replicas, 2);
  assert.deepEqual(workload.containers[0].requests, { cpu: "1" }); // defaulted from limits
  assert.deepEqual(workload.readiness, [{ initialDelaySeconds: 20, periodSeconds: 5, successThreshold: 1 }]);
  assert.equal(autoscaler.hpa.spec.minReplicas, 1); // API default
  assert.deepEqual(parseManifests(JSON.stringify(YAML_OBJECT())).objects.length, 1); // JSON is YAML
});

// A Deployment object (for JSON input) rebuilt from the YAML above.
function YAML_OBJECT() {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: { replicas: 2, template: { spec: { containers: [{ name: "app", resources: { limits: { cpu: "1" } } }] } } },
  };
}

test("parseManifests keeps the good objects and reports the bad ones at their lines", () => {
  const broken = manifests.replace("maxReplicas: 10", "maxReplicas: 0");
  const { objects, problems } = parseManifests(broken);
  assert.deepEqual(objects.map((o) => o.type), ["Workload"]);
  assert.equal(problems.length, 2); // > 0, and ≥ minReplicas
  assert.ok(problems.every((p) => p.path === "[1].spec.maxReplicas"));
  assert.equal(problems[0].line, 18);
  assert.equal(problems[0].kind, "invalid");
  // Objects and lists of objects, in both builds.
  for (const build of [{ parseManifests }, jsonOnly]) {
    const one = build.parseManifests(YAML_OBJECT());
    assert.deepEqual(one.objects.map((o) => [o.type, o.name]), [["Workload", "web"]]);
    const list = build.parseManifests([YAML_OBJECT(), { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }]);
    assert.deepEqual(list.objects.map((o) => [o.type, o.document]), [["Workload", 0], ["Ignored", 1]]);
  }
  // Text that is not YAML at all is an error, not a problem list.
  assert.throws(() => parseManifests("a: [\n"), (e) => e instanceof ReplicastError && e.kind === "syntax");
  // HPAScaleToZero allows minReplicas 0.
  const zero = manifests.replace("maxReplicas: 10", "minReplicas: 0\n  maxReplicas: 10");
  const paths = (r) => r.problems.map((p) => p.path);
  assert.ok(paths(parseManifests(zero)).includes("[1].spec.minReplicas"));
  assert.ok(!paths(parseManifests(zero, { hpaScaleToZero: true })).includes("[1].spec.minReplicas"));
});

test("parseManifests reads the shared examples", () => {
  for (const name of ["ml-inference.yaml", "ml-batch-keda.yaml", "ml-training-sqs.yaml", "hybrid-ml.yaml"]) {
    const { objects, problems } = parseManifests(example(name));
    assert.deepEqual(problems, [], name);
    assert.ok(objects.some((o) => o.type === "HorizontalPodAutoscaler" || o.type === "ScaledObject"), name);
  }
});

test("simulate runs a scenario given as an object or as YAML", () => {
  const scenario = {
    manifests,
    duration: "20m",
    load: [{ constant: 20 }, { step: { at: "5m", rate: 60 } }],
    workload: { capacityPerReplica: 10 },
    cost: { perReplicaHour: 2, currency: "EUR" },
  };
  const result = simulate(scenario);
  assert.equal(result.variants.length, 1);
  const [run] = result.variants;
  assert.equal(run.name, "default");
  assert.equal(run.timeline.t.length, 1200);
  for (const column of Object.values(run.timeline)) assert.equal(column.length, 1200);
  assert.ok(run.summary.scaleEvents > 0);
  assert.equal(run.summary.currency, "EUR");
  assert.ok(run.decisions.every((d) => d.desiredReplicas !== d.replicas));
  assert.deepEqual(simulate(JSON.stringify(scenario)), result);
  // Sampled every minute: 20 rows, the same totals.
  const coarse = simulate(scenario, { every: "1m" });
  assert.equal(coarse.variants[0].timeline.t.length, 20);
  assert.deepEqual(coarse.variants[0].timeline.t.slice(0, 3), [0, 60, 120]);
  assert.deepEqual(coarse.variants[0].summary, run.summary);
  assert.throws(() => simulate(scenario, { every: "soon" }), (e) => e instanceof ReplicastError && e.path === "options");
  const yaml = `manifests: |\n${manifests.replace(/^/gm, "  ")}\nduration: 20m\nload: [{constant: 20}, {step: {at: 5m, rate: 60}}]\nworkload: {capacityPerReplica: 10}\ncost: {perReplicaHour: 2, currency: EUR}\n`;
  assert.deepEqual(simulate(yaml), result);
});

test("simulate names the problem in a scenario", () => {
  const e = thrown(() => simulate(`manifests: |\n${manifests.replace(/^/gm, "  ")}\nload: [{constant: -5}]\n`));
  assert.match(e.path, /^load\[0\]/);
  assert.ok(e.line > 20);
  assert.throws(() => simulate({ load: [{ constant: 1 }] }), (x) => x instanceof ReplicastError && x.kind === "schema");
  // replicast/json takes manifests as objects, not YAML text.
  const objects = parseManifests(manifests).objects.length;
  assert.equal(objects, 2);
  assert.throws(() => jsonOnly.simulate({ manifests, load: [{ constant: 1 }] }), (x) => x instanceof ReplicastError && x.kind === "unsupported");
});

// A typo'd field: kubectl's strict field validation refuses it; replicast
// warns at its line by default and refuses it with {strict: true}.
const typo = queueYaml.replace("maxReplicas: 10\n", "maxReplicas: 10\n    maxReplica: 20\n");
const typoMessage = 'unknown field "spec.maxReplica"; did you mean "maxReplicas"?';

test("an unknown field is a located notice, and {strict: true} throws it", () => {
  const d = evaluate(typo);
  assert.equal(d.desiredReplicas, 4);
  assert.deepEqual(d.notices, [
    { kind: "unknown-field", path: "hpa.spec.maxReplica", line: 10, column: 5, message: typoMessage },
  ]);
  assert.deepEqual(d.warnings, [`hpa.spec.maxReplica: ${typoMessage}`]);
  assert.equal(evaluate(typo, { strict: false }).desiredReplicas, 4);
  const e = thrown(() => evaluate(typo, { strict: true }));
  assert.equal(e.kind, "strict");
  assert.equal(e.path, "hpa.spec.maxReplica");
  assert.equal(e.line, 10);
  assert.equal(e.problems[0].message, typoMessage);
  assert.equal(evaluate(queueYaml, { strict: true }).notices, undefined);
  // An object has no lines: the notice has its path only.
  const fromObject = evaluate(queueCase(1000, 30, { hpa: { ...hpa, spec: { ...hpa.spec, maxReplica: 20 } } }));
  assert.deepEqual(fromObject.notices, [{ kind: "unknown-field", path: "hpa.spec.maxReplica", message: typoMessage }]);
  assert.equal(thrown(() => evaluate(queueCase(1000, 30), { strict: 1 })).path, "options");
});

test("simulate and parseManifests: notices at their lines, refused with {strict: true}", () => {
  const typoManifests = manifests.replace("  maxReplicas: 10\n", "  maxReplicas: 10\n  maxReplica: 20\n");
  const scenario = { manifests: typoManifests, duration: "2m", load: [{ constant: 10 }] };
  const r = simulate(scenario);
  const n = r.variants[0].notices[0];
  assert.equal(n.kind, "unknown-field");
  assert.equal(n.path, "manifests[1].spec.maxReplica");
  // A scenario object has no lines: the embedded text's line is named.
  assert.equal(n.message, `${typoMessage} (line 19 of the text)`);
  const e = thrown(() => simulate(scenario, { strict: true, every: "30s" }));
  assert.equal(e.kind, "strict");
  assert.equal(e.path, "manifests[1].spec.maxReplica");

  const m = parseManifests(typoManifests);
  assert.equal(m.objects.length, 2);
  assert.deepEqual(m.notices, [
    { kind: "unknown-field", path: "[1].spec.maxReplica", line: 19, column: 3, message: typoMessage },
  ]);
  const strict = parseManifests(typoManifests, { strict: true });
  assert.deepEqual(strict.objects.map((o) => o.type), ["Workload"]);
  assert.equal(strict.problems[0].kind, "strict");
  assert.equal(strict.problems[0].line, 19);
  assert.equal(strict.notices, undefined);
});

test("prepare reads an autoscaler once; evaluate decides as on the whole case", () => {
  const p = prepare(hpa);
  for (const replicas of [1, 3, 8]) {
    const inputs = {
      now: 1000,
      target: { replicas },
      pods: [{ name: "a", requests: { cpu: "1" } }],
      metrics: hpa.spec.metrics.map(() => ({ error: "timeout" })),
    };
    assert.deepEqual(p.evaluate(inputs), evaluate({ ...inputs, hpa }));
  }
  const e = thrown(() => p.evaluate({ now: 1, target: { replicas: 1 }, hpa }));
  assert.equal(e.path, "hpa");
  assert.equal(thrown(() => prepare({ kind: "Deployment" })).path, "kind");
  p.free();
});
