// `import ... from "replicast"` in Node: the YAML-reading build, loaded
// synchronously from the file next to this package.
import { readFileSync } from "node:fs";

import * as raw from "../npm/replicast_wasm.js";
import { bind } from "./core.js";

raw.initSync({ module: readFileSync(new URL("../npm/replicast_wasm_bg.wasm", import.meta.url)) });

export { ReplicastError } from "./core.js";
export const { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } = bind(raw);
