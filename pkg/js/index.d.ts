// `replicast`: the types are generated from the Rust structs (tsify) and
// the exports' signatures by wasm-bindgen, into npm/replicast_wasm.d.ts.
export type * from "../npm/replicast_wasm.js";
export { evaluate, prepare, simulate, parseManifests, version, readsYaml, checkFixture, tune, lint } from "../npm/replicast_wasm.js";
export { ReplicastError } from "./core.js";
