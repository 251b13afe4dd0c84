// Mistakes the declarations must catch: each line below is a type error,
// and `@ts-expect-error` makes tsc fail if it ever is not.
import { evaluate, parseManifests, simulate, type Decision, type Reason } from "replicast";

// @ts-expect-error replicas is a number
evaluate({ now: 1, target: { replicas: "3" } });

// @ts-expect-error `now` is required
evaluate({ target: { replicas: 3 } });

// @ts-expect-error not a reason Kubernetes has
export const reason: Reason = "TooManyReplica";

// @ts-expect-error not a load segment
simulate({ manifests: "", load: [{ sawtooth: 1 }] });

// @ts-expect-error options are an object
parseManifests("", true);

// @ts-expect-error `strict` is a flag
evaluate({ now: 1, target: { replicas: 3 } }, { strict: "yes" });

// @ts-expect-error `every` is a duration, not a flag
simulate({ manifests: "", load: [{ constant: 1 }] }, { every: true });

export function replicas(d: Decision): string {
  // @ts-expect-error desiredReplicas is a number
  return d.desiredReplicas.toUpperCase();
}
