// `tune`: the spec's result, progress callbacks, stopping (onProgress
// returning false, an aborted signal), a located error for a bad `tune:`,
// and, when `cargo xtask test` passes the native binary in REPLICAST_BIN,
// exactly what `replicast tune --json` prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

import { ReplicastError, simulate, tune } from "replicast";

const path = fileURLToPath(new URL("../../examples/inference-tune.yaml", import.meta.url));
// The example, shortened to 1 h so that the tests stay quick.
const text = readFileSync(path, "utf8").replace("duration: 6h", "duration: 1h");

test("tune returns the spec's result, and the best reproduces", () => {
  const seen = [];
  const r = tune(text, { budget: 8, onProgress: (p) => void seen.push(p) });
  for (const key of ["baseline", "best", "frontier", "evaluated", "skipped", "feasible"]) {
    assert.ok(key in r, `${key} missing`);
  }
  assert.ok(r.evaluated <= 8);
  assert.ok(seen.length > 0 && seen.every((p) => p.budget === 8));
  assert.ok(r.frontier.length > 0);
  if (r.best !== null) {
    const scenario = YAML.parse(text);
    scenario.manifests = r.best.manifests;
    const again = simulate(scenario);
    assert.deepEqual(again.variants[0].summary, r.best.summary);
  }
  assert.deepEqual(tune(YAML.parse(text), { budget: 8 }), r, "the object gives another result");
});

test("onProgress returning false and an aborted signal stop the search", () => {
  const stopped = tune(text, { budget: 40, onProgress: () => false });
  assert.equal(stopped.cancelled, true);
  assert.ok(stopped.evaluated < 40);
  const controller = new AbortController();
  controller.abort();
  const aborted = tune(text, { budget: 40, signal: controller.signal });
  assert.equal(aborted.cancelled, true);
});

test("a bad tune: section is a located ReplicastError", () => {
  const bad = text.replace("objective: cost", "objective: nope");
  try {
    tune(bad);
    assert.fail("did not throw");
  } catch (e) {
    assert.ok(e instanceof ReplicastError, String(e));
    assert.equal(e.path, "tune.objective");
    assert.ok(e.line > 0);
  }
});

const native = process.env.REPLICAST_BIN;
const nativeTunes =
  native !== undefined && spawnSync(native, ["tune", "--help"], { encoding: "utf8" }).status === 0;

test("the same result as replicast tune --json", { skip: !nativeTunes && "REPLICAST_BIN not set" }, () => {
  const run = spawnSync(native, ["tune", "--json", "--budget", "8", "-"], {
    input: text,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  assert.deepEqual(tune(text, { budget: 8 }), JSON.parse(run.stdout));
});
