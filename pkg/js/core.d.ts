// Types of js/core.js. The data types and the exports' signatures are
// generated from the Rust structs (tsify, wasm-bindgen) into npm/.
import type { Problem, ProblemKind } from "../npm/replicast_wasm.js";

/**
 * Input that replicast cannot evaluate, or (kind "internal") a bug in
 * replicast. `path`, `line`, `column` and `kind` are the first problem's;
 * `problems` lists every problem found, in document order.
 */
export declare class ReplicastError extends Error {
  constructor(message: string, problems: Problem[], options?: { cause?: unknown });
  readonly name: "ReplicastError";
  /** Every problem found, in document order; never empty. */
  readonly problems: Problem[];
  /** Where the first problem is: `hpa.spec.metrics[1].resource.target` ("" for a syntax error). */
  readonly path: string;
  /** Its 1-based line, when the input was text. */
  readonly line: number | null;
  /** Its 1-based column, when the input was text. */
  readonly column: number | null;
  /** Its kind; "internal" is a bug in replicast (please report the input). */
  readonly kind: ProblemKind;
}
