// `lint`: the engine linter's findings on a manifest stream, located in
// the text; `select`/`ignore`; and, when `cargo xtask test` passes the
// native binary in REPLICAST_BIN, exactly what `replicast lint --format
// json` prints (less its `file`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

import { ReplicastError, lint } from "replicast";

const path = fileURLToPath(new URL("../../tests/seed/hybrid-ml.yaml", import.meta.url));
const hybrid = readFileSync(path, "utf8");

const clean = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`;

test("the pause annotation on the Deployment is found at its line", () => {
  const { findings } = lint(hybrid);
  const pause = findings.find((f) => f.rule === "RC201");
  assert.ok(pause, JSON.stringify(findings));
  assert.equal(pause.name, "keda-annotation-on-workload");
  assert.equal(pause.severity, "error");
  assert.equal(pause.line, 10);
  assert.equal(pause.path, "[0].metadata.annotations.autoscaling.keda.sh/paused");
});

test("a clean manifest has no findings, as text or as objects", () => {
  assert.deepEqual(lint(clean), { findings: [] });
  assert.deepEqual(lint(YAML.parse(clean)), { findings: [] });
});

test("objects give the same findings as text, without lines", () => {
  const strip = ({ line, column, ...rest }) => rest;
  const objects = YAML.parseAllDocuments(hybrid).map((d) => d.toJS());
  assert.deepEqual(lint(objects).findings, lint(hybrid).findings.map(strip));
});

test("select and ignore choose the rules", () => {
  const all = lint(hybrid).findings.map((f) => f.rule);
  assert.ok(all.length > 1 && all.includes("RC201"));
  assert.deepEqual(lint(hybrid, { select: ["RC201"] }).findings.map((f) => f.rule), ["RC201"]);
  assert.deepEqual(
    lint(hybrid, { select: ["keda-annotation-on-workload"] }).findings.map((f) => f.rule),
    ["RC201"],
  );
  const ignored = lint(hybrid, { ignore: ["RC2"] }).findings.map((f) => f.rule);
  assert.ok(ignored.length > 0 && ignored.every((r) => !r.startsWith("RC2")), ignored.join());
});

test("text that is not YAML is a ReplicastError", () => {
  assert.throws(() => lint("a: [\n"), ReplicastError);
});

const native = process.env.REPLICAST_BIN;

test("the same findings as replicast lint --format json", { skip: !native && "REPLICAST_BIN not set" }, () => {
  const run = spawnSync(native, ["lint", "--format", "json", path], { encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const printed = JSON.parse(run.stdout).findings.map(({ file, ...rest }) => rest);
  assert.deepEqual(lint(hybrid).findings, printed);
});
