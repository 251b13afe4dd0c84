// `import ... from "replicast/json"` in Node: the JSON-only build (strings
// must be JSON; no YAML parser, so a smaller .wasm), loaded synchronously
// from the file next to this package.
import { readFileSync } from "node:fs";

import * as raw from "../../npm/json/replicast_wasm.js";
import { bind } from "../core.js";

raw.initSync({ module: readFileSync(new URL("../../npm/json/replicast_wasm_bg.wasm", import.meta.url)) });

export { ReplicastError } from "../core.js";
export const { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } = bind(raw);
