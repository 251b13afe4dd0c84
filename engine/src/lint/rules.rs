//! The rule registry: every rule's stable code, kebab-case name, severity and
//! one-line summary. Codes never change meaning; a retired rule keeps its
//! code unused. `docs/rules.md` has one section per rule (what, why with its
//! upstream source, an example and its fix).
//!
//! Families: `RC0xx` input the engine refuses, `RC1xx` conflicts, `RC2xx`
//! misplaced or ignored settings, `RC3xx` will not scale as intended,
//! `RC4xx` guidance for expensive (GPU) and queue workloads.

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// It will not work as written.
    Error,
    /// It works, but not as intended.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The stable code: `RC101`.
    pub code: &'static str,
    /// The kebab-case name: `hpa-and-scaledobject-same-target`.
    pub name: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// One line: what it finds.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($id:ident $code:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = concat!("`", $code, " ", $name, "`: ", $summary)]
            pub const $id: Rule = Rule { code: $code, name: $name, severity: Severity::$sev, summary: $summary };
        )*
        /// Every rule, in code order.
        pub const ALL: &[Rule] = &[$($id),*];
    };
}

rules! {
    INVALID_MANIFEST "RC001" "invalid-manifest" Error "a manifest the API server or KEDA's admission webhook refuses";
    HPA_AND_SCALEDOBJECT "RC101" "hpa-and-scaledobject-same-target" Error "an HPA and a ScaledObject scale the same workload";
    HPAS_SAME_TARGET "RC102" "hpas-same-target" Error "two HPAs scale the same workload";
    SCALEDOBJECTS_SAME_TARGET "RC103" "scaledobjects-same-target" Error "two ScaledObjects scale the same workload";
    SCALEDJOB_SAME_QUEUE "RC104" "scaledjob-and-scaledobject-same-queue" Warning "a ScaledJob and a ScaledObject consume the same queue";
    PDB_AT_MIN_REPLICAS "RC105" "pdb-blocks-drain-at-min-replicas" Warning "a PodDisruptionBudget's minAvailable is at or above the autoscaler's minimum";
    KEDA_ANNOTATION_MISPLACED "RC201" "keda-annotation-on-workload" Error "a KEDA annotation on an object KEDA does not read it from";
    REPLICAS_BESIDE_AUTOSCALER "RC202" "replicas-beside-autoscaler" Warning "`spec.replicas` set on a workload an autoscaler manages";
    UNKNOWN_FIELD "RC203" "unknown-field" Warning "a field the Kubernetes or KEDA API does not know";
    SCALE_TARGET_NOT_FOUND "RC204" "scale-target-not-found" Error "a scaleTargetRef names no workload of the files";
    DEPRECATED_API "RC205" "deprecated-autoscaling-api" Info "an HPA in an old API version, converted on read";
    PAUSED_NOT_BOOLEAN "RC206" "paused-annotation-not-boolean" Warning "`autoscaling.keda.sh/paused` with a value that is not a boolean";
    COOLDOWN_WITHOUT_ZERO "RC207" "cooldown-without-scale-to-zero" Info "`cooldownPeriod` on a ScaledObject that never scales to zero";
    UTILIZATION_WITHOUT_REQUESTS "RC301" "utilization-without-requests" Error "a Utilization target on pods where a container has no request for the resource";
    UTILIZATION_ABOVE_LIMIT "RC302" "utilization-target-above-limit" Warning "a Utilization target the pods' limits never let them reach";
    ACTIVATION_ABOVE_THRESHOLD "RC303" "activation-above-threshold" Warning "a trigger's activation threshold above its scaling target";
    IDLE_WITH_RESOURCE_TRIGGERS "RC304" "idle-replicas-with-resource-triggers" Error "`idleReplicaCount` on a ScaledObject with only cpu/memory triggers";
    IDLE_NOT_ZERO "RC305" "idle-replicas-not-zero" Warning "`idleReplicaCount` other than 0";
    PROMETHEUS_NO_AGGREGATION "RC306" "prometheus-query-without-aggregation" Warning "a Prometheus trigger query with no aggregation";
    MIN_EQUALS_MAX "RC307" "min-equals-max" Info "minimum and maximum replicas equal: the autoscaler never scales";
    UNKNOWN_CONTAINER "RC308" "container-resource-unknown-container" Error "a ContainerResource metric names a container the pods do not have";
    SCALE_DOWN_DISABLED "RC309" "scale-down-disabled" Info "scale-down disabled by `selectPolicy: Disabled`";
    WINDOW_SHORTER_THAN_COLD_START "RC310" "scale-down-window-shorter-than-cold-start" Warning "a scale-down window shorter than the scenario's cold start";
    MAX_BEYOND_NODES "RC311" "max-replicas-beyond-nodes" Warning "a maximum beyond the pods the scenario's nodes hold";
    READY_BEFORE_LOADED "RC312" "readiness-delay-shorter-than-model-load" Warning "a readiness probe that may pass before the scenario's model is loaded";
    GPU_ON_CPU_ONLY "RC401" "gpu-scaled-on-cpu-only" Warning "GPU pods scaled on cpu alone";
    GPU_NO_STABILIZATION "RC402" "gpu-no-scale-down-stabilization" Warning "GPU pods scaled down without a stabilization window";
    ZERO_WITHOUT_FALLBACK "RC403" "scale-to-zero-without-fallback" Info "a scale-to-zero queue consumer without a KEDA fallback";
    GPU_NO_READINESS "RC404" "gpu-workload-without-readiness-probe" Warning "an autoscaled GPU workload without a readiness probe";
}

/// The rule with this code (`RC101`) or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
