// `evaluate` from JavaScript, per call: the engine's reconcile bench case
// (engine/benches/reconcile.rs: 10 pods, 3 metrics, behavior with
// history), as a JS object and as YAML text, through both builds.
// Run `node bench/evaluate.mjs` after `cargo xtask build`; prints figures,
// asserts nothing (timings depend on the machine and on its load: compare
// with the JSON round trip of the same case, printed as a baseline).
import * as full from "replicast";
import * as jsonOnly from "replicast/json";

const pods = Array.from({ length: 10 }, (_, i) => ({
  name: `p${i}`,
  requests: { cpu: "1" },
  startTime: i === 9 ? 900 : 0,
  readySince: i === 9 ? 960 : 60,
}));
const cpu = ["900m", "950m", "800m", "1", "700m", "900m", "1100m", "850m", "990m", "400m"];
const queue = ["12", "14", "9", "11", "13", "12", "10", "15", "12", "8"];
export const CASE = {
  now: 1000,
  hpa: {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 2,
      maxReplicas: 50,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
        { type: "Pods", pods: { metric: { name: "queue" }, target: { type: "AverageValue", averageValue: "10" } } },
        { type: "External", external: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "100" } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 2, periodSeconds: 30 }] },
      },
    },
  },
  target: { replicas: 10 },
  pods,
  metrics: [
    { podValues: Object.fromEntries(pods.map((p, i) => [p.name, cpu[i]])) },
    { podValues: Object.fromEntries(pods.map((p, i) => [p.name, queue[i]])) },
    { values: ["1500", "400"] },
  ],
  history: {
    recommendations: [
      { time: 950, replicas: 10 },
      { time: 980, replicas: 11 },
    ],
    scaleUpEvents: [{ time: 985, change: 1 }],
  },
};

/**
 * Microseconds per call of `fn`, best of `rounds` rounds: wall-clock time,
 * and the process's CPU time (user + system), which leaves out the time
 * the process waited for a core on a busy machine.
 */
export function bench(fn, { calls = 20000, rounds = 5 } = {}) {
  for (let i = 0; i < 2000; i++) fn(); // warm up (JIT, allocator)
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    for (let i = 0; i < calls; i++) fn();
    const { user, system } = process.cpuUsage(used);
    wall = Math.min(wall, Number(process.hrtime.bigint() - start) / 1e3 / calls);
    cpu = Math.min(cpu, (user + system) / calls);
  }
  return { wall, cpu };
}

const yamlText = `now: 1000
hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    minReplicas: 2
    maxReplicas: 50
    metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "10"}}
    - type: External
      external: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}
    behavior:
      scaleUp: {stabilizationWindowSeconds: 60, policies: [{type: Pods, value: 2, periodSeconds: 30}]}
target: {replicas: 10}
pods:
${pods.map((p) => `  - {name: ${p.name}, requests: {cpu: "1"}, startTime: ${p.startTime}, readySince: ${p.readySince}}`).join("\n")}
metrics:
  - podValues: {${pods.map((p, i) => `${p.name}: ${cpu[i]}`).join(", ")}}
  - podValues: {${pods.map((p, i) => `${p.name}: "${queue[i]}"`).join(", ")}}
  - values: ["1500", "400"]
history:
  recommendations: [{time: 950, replicas: 10}, {time: 980, replicas: 11}]
  scaleUpEvents: [{time: 985, change: 1}]
`;

const jsonText = JSON.stringify(CASE);
const expected = full.evaluate(CASE);
for (const [name, d] of [
  ["text", full.evaluate(yamlText)],
  ["json build", jsonOnly.evaluate(CASE)],
]) {
  if (JSON.stringify(d) !== JSON.stringify(expected)) throw new Error(`${name}: a different decision`);
}

// The prepared API: the HPA read once, the rest of the case per call.
const { hpa: _, ...INPUTS } = CASE;
const prepared = full.prepare(CASE.hpa);
if (JSON.stringify(prepared.evaluate(INPUTS)) !== JSON.stringify(expected)) {
  throw new Error("prepared: a different decision");
}

const rows = [
  ["replicast", "prepare(hpa).evaluate(object)", () => prepared.evaluate(INPUTS)],
  ["replicast", "evaluate(object)", () => full.evaluate(CASE)],
  ["replicast", "evaluate(JSON text)", () => full.evaluate(jsonText)],
  ["replicast", "evaluate(YAML text)", () => full.evaluate(yamlText)],
  ["replicast/json", "evaluate(object)", () => jsonOnly.evaluate(CASE)],
  ["replicast/json", "evaluate(JSON text)", () => jsonOnly.evaluate(jsonText)],
  ["(baseline)", "JSON.parse(JSON.stringify(case))", () => JSON.parse(JSON.stringify(CASE))],
];
const [load] = (await import("node:os")).loadavg();
console.log(
  `evaluate, 10 pods, 3 metrics, behavior + history (desiredReplicas ${expected.desiredReplicas}); ` +
    `node ${process.version}; load average ${load.toFixed(1)} on ${(await import("node:os")).availableParallelism()} cores`,
);
console.log(`${"".padEnd(15)} ${"".padEnd(34)} ${"wall".padStart(8)} ${"CPU".padStart(8)}  µs/call`);
for (const [build, what, fn] of rows) {
  const { wall, cpu } = bench(fn);
  console.log(`${build.padEnd(15)} ${what.padEnd(34)} ${wall.toFixed(2).padStart(8)} ${cpu.toFixed(2).padStart(8)}`);
}
