// The browser entry point in a real browser: headless Chromium loads a page
// that maps `replicast` and `replicast/json` to js/web.js and js/json/web.js
// with an import map (as a page without a bundler would), served over HTTP
// with the .wasm as application/wasm. Skipped where Chromium is not
// installed (`cargo xtask test` installs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

const page = `<!doctype html>
<script type="importmap">
{"imports": {"replicast": "/js/web.js", "replicast/json": "/js/json/web.js"}}
</script>
<script type="module">
import { evaluate, parseManifests, ReplicastError } from "replicast";
import * as json from "replicast/json";
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
let out;
try {
  let error = null;
  try { evaluate("now: ["); } catch (e) { error = e instanceof ReplicastError && e.line >= 1 ? e.kind : String(e); }
  out = {
    yaml: evaluate(yaml).desiredReplicas,
    json: json.evaluate(JSON.stringify({ now: 1, hpa: { spec: { scaleTargetRef: { kind: "Deployment", name: "w" }, maxReplicas: 3 } }, target: { replicas: 2 }, pods: [], metrics: [{ error: "x" }] })).desiredReplicas,
    error,
    manifests: parseManifests("kind: Secret\\nmetadata: {name: s}\\n").objects.length,
  };
} catch (e) {
  out = { failed: String(e && e.stack || e) };
}
document.getElementById("out").textContent = JSON.stringify(out);
</script>
<body><pre id="out">loading</pre></body>`;

test("js/web.js in headless Chromium", { skip: !existsSync(chromium) && `no ${chromium}` }, async (t) => {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/page.html") {
      res.writeHead(200, { "content-type": "text/html" }).end(page);
      return;
    }
    const file = normalize(join(pkgDir, path));
    if (!file.startsWith(pkgDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${server.address().port}/page.html`;

  const browser = spawn(chromium, [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--virtual-time-budget=20000",
    "--dump-dom",
    url,
  ]);
  let dom = "";
  browser.stdout.on("data", (d) => (dom += d));
  let log = "";
  browser.stderr.on("data", (d) => (log += d));
  const timer = setTimeout(() => browser.kill("SIGKILL"), 90_000);
  await new Promise((resolve) => browser.on("close", resolve));
  clearTimeout(timer);

  const match = /<pre id="out">(.*?)<\/pre>/s.exec(dom);
  assert.ok(match, `no result in the page:\n${dom}\n${log.slice(-2000)}`);
  const text = match[1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
  const result = JSON.parse(text);
  assert.deepEqual(result, { yaml: 3, json: 2, error: "syntax", manifests: 1 });
});
