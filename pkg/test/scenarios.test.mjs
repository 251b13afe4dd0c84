// Every scenario in examples/ through `simulate`, as YAML text and as an
// object; when `cargo xtask test` passes the native binary in
// REPLICAST_BIN (and it has `simulate`), the result must be exactly what
// `replicast simulate --json` prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import YAML from "yaml";

import { simulate } from "replicast";

const dir = fileURLToPath(new URL("../../examples/", import.meta.url));
const native = process.env.REPLICAST_BIN;
const nativeSimulates =
  native !== undefined && spawnSync(native, ["simulate", "--help"], { encoding: "utf8" }).status === 0;

const scenarios = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

/** The result without the assumptions' text positions. */
function unplaced(result) {
  return {
    ...result,
    variants: result.variants.map((v) => ({
      ...v,
      assumptions: v.assumptions.map(({ line, column, ...rest }) => rest),
    })),
  };
}

test("examples/ has scenarios", () => assert.ok(scenarios.length > 0));

for (const name of scenarios) {
  test(`examples/${name}`, () => {
    const text = readFileSync(join(dir, name), "utf8");
    const result = simulate(text);
    assert.ok(result.variants.length >= 1);
    for (const v of result.variants) {
      const lengths = new Set(Object.values(v.timeline).map((c) => c.length));
      assert.equal(lengths.size, 1, `${v.name}: columns of different lengths`);
    }
    // An object has no lines: its assumptions carry their paths only.
    assert.deepEqual(simulate(YAML.parse(text)), unplaced(result), "the object gives another result");
    if (nativeSimulates) {
      const run = spawnSync(native, ["simulate", "--json", join(dir, name)], {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(result, JSON.parse(run.stdout), "not what `replicast simulate --json` prints");
    }
  });
}
