// The browser and bundler entry points (js/web.js, js/json/web.js): they
// fetch the .wasm next to the module (`new URL(..., import.meta.url)`) and
// finish loading before the import completes. Node's fetch cannot read
// file: URLs, so this process gives it one that can, as a browser would
// serve the file. (Its own process: `node --test` runs each file alone.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  return new Response(readFileSync(fileURLToPath(url)), { headers: { "content-type": "application/wasm" } });
};

const yamlCase = `now: 1000
hpa:
  spec:
    scaleTargetRef: {kind: Deployment, name: web}
    maxReplicas: 5
    metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: "10"}}}]
target: {replicas: 1}
pods: [{name: a}]
metrics: [{podValues: {a: "25"}}]
`;

test("js/web.js loads its .wasm with fetch and evaluates", async () => {
  const web = await import("../js/web.js");
  assert.match(fetched.at(-1), /\/npm\/replicast_wasm_bg\.wasm$/);
  assert.equal(web.evaluate(yamlCase).desiredReplicas, 3);
  assert.equal(web.readsYaml(), true);
  assert.throws(() => web.evaluate("now: ["), web.ReplicastError);
});

test("js/json/web.js loads the JSON-only .wasm", async () => {
  const web = await import("../js/json/web.js");
  assert.match(fetched.at(-1), /\/npm\/json\/replicast_wasm_bg\.wasm$/);
  assert.equal(web.readsYaml(), false);
  const { ReplicastError } = await import("../js/web.js");
  assert.equal(web.ReplicastError, ReplicastError, "one error class for both builds");
  assert.throws(() => web.evaluate(yamlCase), ReplicastError);
});
