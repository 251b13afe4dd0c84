// The TypeScript declarations: generated from the Rust structs (tsify) and
// by wasm-bindgen, and good enough for a strict dashboard to compile
// against (`tsc --noEmit` over examples/dashboard.ts, typescript pinned in
// package-lock.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));

// examples/misuse.ts holds mistakes marked `@ts-expect-error`: tsc fails
// if the declarations stop catching any of them.
test("tsc --noEmit -p examples (strict, no DOM library, no skipLibCheck)", () => {
  const run = spawnSync(process.execPath, [tsc, "-p", "examples"], { cwd: pkgDir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test("the declarations are wasm-bindgen's and tsify's, without the loader", () => {
  for (const dir of ["npm", "npm/json"]) {
    const dts = readFileSync(new URL(`../${dir}/replicast_wasm.d.ts`, import.meta.url), "utf8");
    for (const decl of [
      "export interface Decision {",
      "export interface EvalCase {",
      "export interface Scenario {",
      "export interface SimResult {",
      "export interface Manifests {",
      "export type Reason =",
      "export function evaluate(input: CaseInput, options?: EvaluateOptions | null): Decision;",
      "export interface Notice {",
      "export function simulate(input: ScenarioInput, options?: SimulateOptions | null): SimResult;",
      "export function parseManifests(input: ManifestInput, options?: ManifestOptions | null): Manifests;",
    ]) {
      assert.ok(dts.includes(decl), `${dir}: no ${decl}`);
    }
    assert.ok(!/InitInput|initSync|__takePanic|__wbg_reset_state/.test(dts), `${dir}: internal declarations left`);
  }
});
