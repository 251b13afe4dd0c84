// `replicast/json`: the same API as `replicast`, without a YAML parser.
// Types generated from the Rust structs (tsify) and by wasm-bindgen.
export type * from "../../npm/json/replicast_wasm.js";
export { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } from "../../npm/json/replicast_wasm.js";
export { ReplicastError } from "../core.js";
