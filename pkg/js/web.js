// `import ... from "replicast"` in browsers, bundlers, Deno and Bun: the
// YAML-reading build, fetched next to this module (bundlers that understand
// `new URL(..., import.meta.url)` copy the .wasm file) before the import
// completes (top-level await).
import init, * as raw from "../npm/replicast_wasm.js";
import { bind } from "./core.js";

await init({ module_or_path: new URL("../npm/replicast_wasm_bg.wasm", import.meta.url) });

export { ReplicastError } from "./core.js";
export const { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } = bind(raw);
