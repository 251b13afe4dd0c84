// The package's sizes: each build's .wasm and JavaScript, raw and gzipped
// (level 9), against the size targets. Printed by `cargo xtask build`; run
// `node bench/size.mjs` after a build. Prints figures and never fails:
// the targets are goals reported here, not a gate.
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const KB = 1000;
const builds = [
  { name: "replicast (YAML)", dir: "npm", target: 300 * KB },
  { name: "replicast/json", dir: "npm/json", target: 150 * KB },
];

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;

console.log("replicast npm package sizes (gzip -9)");
for (const { name, dir, target } of builds) {
  const wasm = new URL(`../${dir}/replicast_wasm_bg.wasm`, import.meta.url);
  const js = new URL(`../${dir}/replicast_wasm.js`, import.meta.url);
  let raw;
  try {
    raw = statSync(wasm).size;
  } catch {
    console.log(`  ${name}: not built (cargo xtask build)`);
    continue;
  }
  const zipped = gz(wasm);
  const verdict =
    zipped <= target ? `within the ${kb(target)} target` : `OVER the ${kb(target)} target by ${kb(zipped - target)}`;
  console.log(
    `  ${name.padEnd(17)} .wasm ${kb(raw).padStart(9)} raw, ${kb(zipped).padStart(8)} gzipped: ${verdict}; glue .js ${kb(gz(js))} gzipped`,
  );
}
