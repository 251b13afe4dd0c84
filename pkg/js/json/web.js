// `import ... from "replicast/json"` in browsers, bundlers, Deno and Bun:
// the JSON-only build (strings must be JSON; no YAML parser, so a smaller
// .wasm), fetched next to this module (bundlers that understand
// `new URL(..., import.meta.url)` copy the .wasm file) before the import
// completes (top-level await).
import init, * as raw from "../../npm/json/replicast_wasm.js";
import { bind } from "../core.js";

await init({ module_or_path: new URL("../../npm/json/replicast_wasm_bg.wasm", import.meta.url) });

export { ReplicastError } from "../core.js";
export const { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } = bind(raw);
