// The npm package `replicast` as a Node user gets it: the wasm-bindgen
// `--target web` output in npm/, loaded with initSync. Run by
// `cargo xtask test` (`node --test` in pkg/) after the build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { initSync, preview, previewDesiredReplicas, version } from "replicast";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
initSync({ module: readFileSync(new URL("../npm/replicast_wasm_bg.wasm", import.meta.url)) });

test("previewDesiredReplicas scales up above the target", () => {
  // ceil(4 * 90 / 60) = 6
  assert.equal(previewDesiredReplicas(4, 90, 60), 6);
});

test("previewDesiredReplicas holds inside the 10 % tolerance", () => {
  assert.equal(previewDesiredReplicas(4, 63, 60), 4);
});

test("preview takes and returns camelCase objects", () => {
  assert.deepEqual(preview({ currentReplicas: 10, utilization: 30, target: 60 }), {
    desiredReplicas: 5,
  });
});

test("preview throws a JS Error on bad input", () => {
  assert.throws(() => preview({ currentReplicas: "ten", utilization: 30, target: 60 }), Error);
  assert.throws(() => preview(null), Error);
});

test("version matches package.json", () => {
  assert.equal(version(), pkg.version);
});

test("the TypeScript types are generated from the Rust structs (tsify)", () => {
  const dts = readFileSync(new URL("../npm/replicast_wasm.d.ts", import.meta.url), "utf8");
  assert.match(dts, /export interface PreviewInput \{/);
  assert.match(dts, /currentReplicas: number;/);
  assert.match(dts, /export function preview\(input: PreviewInput\): Preview;/);
  assert.match(dts, /export function previewDesiredReplicas\(/);
});
