// `npm pack` makes a tarball that installs and works in an empty folder,
// offline (the package has no dependencies): both entry points evaluate,
// and the TypeScript example compiles against the installed declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test("npm pack → npm install in an empty folder → it works", (t) => {
  const tmp = mkdtempSync(join(tmpdir(), "replicast-pack-"));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));

  const [packed] = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", tmp], pkgDir));
  const files = packed.files.map((f) => f.path).sort();
  for (const want of [
    "LICENSE",
    "README.md",
    "package.json",
    "js/core.js",
    "js/core.d.ts",
    "js/node.js",
    "js/web.js",
    "js/index.d.ts",
    "js/json/node.js",
    "js/json/web.js",
    "js/json/index.d.ts",
    "npm/replicast_wasm.js",
    "npm/replicast_wasm.d.ts",
    "npm/replicast_wasm_bg.wasm",
    "npm/json/replicast_wasm.js",
    "npm/json/replicast_wasm.d.ts",
    "npm/json/replicast_wasm_bg.wasm",
  ]) {
    assert.ok(files.includes(want), `the tarball lacks ${want}`);
  }
  assert.deepEqual(
    files.filter((f) => /^(src|test|tests|bench|examples|node_modules)\/|Cargo|\.rs$/.test(f)),
    [],
    "sources or tests in the tarball",
  );
  assert.equal(packed.name, "replicast");
  assert.equal(packed.version, pkg.version);

  const app = join(tmp, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(tmp, packed.filename)], app);

  writeFileSync(
    join(app, "check.mjs"),
    `import { evaluate, parseManifests, simulate, version, ReplicastError } from "replicast";
import * as json from "replicast/json";
const c = {
  now: 1000,
  hpa: { spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 5,
    metrics: [{ type: "Pods", pods: { metric: { name: "q" }, target: { type: "AverageValue", averageValue: "10" } } }] } },
  target: { replicas: 1 }, pods: [{ name: "a" }], metrics: [{ podValues: { a: "25" } }],
};
const yaml = \`now: 1000
hpa:
  spec:
    scaleTargetRef: {kind: Deployment, name: web}
    maxReplicas: 5
    metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: "10"}}}]
target: {replicas: 1}
pods: [{name: a}]
metrics: [{podValues: {a: "25"}}]
\`;
let error;
try { evaluate("now: [") } catch (e) { error = e instanceof ReplicastError && e.kind }
console.log(JSON.stringify({
  version: version(),
  yaml: evaluate(yaml).desiredReplicas,
  object: evaluate(c).desiredReplicas,
  json: json.evaluate(c).desiredReplicas,
  error,
  manifests: parseManifests("kind: Secret\\nmetadata: {name: s}\\n").objects[0].type,
}));
`,
  );
  const out = JSON.parse(run(process.execPath, ["check.mjs"], app));
  assert.deepEqual(out, { version: pkg.version, yaml: 3, object: 3, json: 3, error: "syntax", manifests: "Ignored" });

  // The example compiles against the installed package, with and without the DOM library.
  cpSync(join(pkgDir, "examples"), join(app, "examples"), { recursive: true });
  run(process.execPath, [tsc, "-p", "examples"], app);
  run(process.execPath, [tsc, "-p", "examples", "--lib", "es2022,dom"], app);
});
