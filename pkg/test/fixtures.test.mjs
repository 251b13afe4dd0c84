// Every fixture in tests/cases/ (recursively) through the npm package, the
// way a dashboard would call it: the YAML text, the same case as a JS
// object (parsed by the `yaml` package), and both through `replicast/json`.
// Each must meet its `expect:` (compared by the engine's own rules, via
// `checkFixture`), every route must give the same decision, and, when
// `cargo xtask test` passes the native binary in REPLICAST_BIN, that
// decision must be exactly what `replicast eval` prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import YAML from "yaml";

import * as full from "replicast";
import * as jsonOnly from "replicast/json";

const root = fileURLToPath(new URL("../../tests/cases/", import.meta.url));
const native = process.env.REPLICAST_BIN;

function fixtures(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return fixtures(path);
    return /\.(ya?ml|json|invalid)$/.test(entry.name) ? [path] : [];
  });
}

/** A decision, or the ReplicastError thrown instead (anything else fails). */
function outcome(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof full.ReplicastError) return e;
    throw e;
  }
}

/** A decision without its notices' lines and columns (an object has none). */
function unplaced(d) {
  return d.notices ? { ...d, notices: d.notices.map(({ line, column, ...n }) => n) } : d;
}

/** Two outcomes agree: equal decisions (notices by path), or errors at the same place. */
function same(a, b, route) {
  if (a instanceof Error || b instanceof Error) {
    assert.ok(a instanceof Error && b instanceof Error, `${route}: ${a.message ?? "a decision"} vs ${b.message ?? "a decision"}`);
    assert.deepEqual(
      b.problems.map((p) => [p.path, p.kind]),
      a.problems.map((p) => [p.path, p.kind]),
      `${route}: other problems`,
    );
  } else {
    assert.deepEqual(unplaced(b), unplaced(a), `${route}: another decision`);
  }
}

const files = fixtures(root).sort();

test("tests/cases/ has fixtures", () => {
  assert.ok(files.length > 0, `no fixtures under ${root}`);
});

for (const file of files) {
  const name = relative(root, file);
  test(name, () => {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".invalid")) {
      // Not even a document: rejected, with a line to point at.
      for (const build of [full, jsonOnly]) {
        assert.throws(
          () => build.evaluate(text),
          (e) => e instanceof full.ReplicastError && e.kind === "syntax" && e.line >= 1,
        );
      }
      if (native) {
        const run = spawnSync(native, ["eval", "--compact", file], { encoding: "utf8" });
        assert.equal(run.status, 2, run.stderr);
        const e = JSON.parse(run.stdout).error;
        const got = outcome(() => full.evaluate(text));
        assert.deepEqual([got.line, got.column, got.kind], [e.line, e.column, e.kind]);
      }
      return;
    }

    const decided = outcome(() => full.evaluate(text));
    assert.deepEqual(full.checkFixture(text, decided), [], "expect: not met");

    const object = YAML.parse(text);
    same(decided, outcome(() => full.evaluate(object)), "replicast, object");
    same(decided, outcome(() => jsonOnly.evaluate(object)), "replicast/json, object");
    same(decided, outcome(() => jsonOnly.evaluate(JSON.stringify(object))), "replicast/json, JSON text");
    assert.deepEqual(jsonOnly.checkFixture(object, decided), [], "replicast/json: expect: not met");

    if (native) {
      const run = spawnSync(native, ["eval", "--compact", file], { encoding: "utf8" });
      const printed = JSON.parse(run.stdout);
      if (decided instanceof Error) {
        assert.equal(run.status, 2, run.stderr);
        const { path, line, column, message, kind } = decided.problems[0];
        assert.deepEqual({ path, line, column, message, kind }, { line: undefined, column: undefined, ...printed.error });
      } else {
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(decided, printed, "not what `replicast eval` prints");
      }
    }
  });
}
