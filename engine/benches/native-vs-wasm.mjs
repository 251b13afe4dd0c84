// The same simulation natively and in WebAssembly (Node's V8, not
// Chromium: one engine, no browser to start), and the ratio.
//
// The simulation: the inference example stretched to 24 h at a 1 s step,
// two variants, the timeline sampled hourly (engine/examples/profile_sim.rs
// natively, engine/examples/sim_wasm.rs as WASM, both `--release`, i.e.
// opt-level 3; the npm package and the playground ship the `wasm` profile,
// opt-level "z", which is slower). Prints the median of RUNS runs each and
// WASM ÷ native (the target is ≤ 2×). Wall times: on a loaded machine they
// are noisy, and both sides see the same load.
//
//   node engine/benches/native-vs-wasm.mjs [RUNS]
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 20);
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const sh = (cmd, args) =>
  execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const cargo = (...args) => sh("cargo", ["build", "-q", "--release", "-p", "replicast-engine", ...args]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

cargo("--example", "profile_sim");
cargo("--example", "sim_wasm", "--target", "wasm32-unknown-unknown");
const out = join(target, "sim-wasm");
sh("wasm-bindgen", [
  "--target", "nodejs", "--out-dir", out,
  join(target, "wasm32-unknown-unknown/release/examples/sim_wasm.wasm"),
]);

const native = sh(join(target, "release/examples/profile_sim"), ["time", String(runs)])
  .trim().split("\n").map(Number);

const { Day } = createRequire(import.meta.url)(join(out, "sim_wasm.js"));
const day = new Day(24);
day.run(); // warm-up: compile tiers
const wasm = [];
let reconciles = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  reconciles = day.run();
  wasm.push(performance.now() - t);
}
const n = median(native);
const w = median(wasm);
console.log(`24h@1s, 2 variants (${reconciles} reconciles), median of ${runs}:`);
console.log(`  native ${n.toFixed(2)} ms`);
console.log(`  wasm   ${w.toFixed(2)} ms (Node ${process.version})`);
console.log(`  ratio  ${(w / n).toFixed(2)}× (target ≤ 2×)`);
