//! [`compile`]: the configuration checked and turned into a [`Plan`]. Each
//! variant's manifests are read, every HorizontalPodAutoscaler and
//! ScaledObject in them checked by the engine (a probe case) and given a
//! loop: its inputs bound to readings, its replica count's origin, its
//! period. Every problem is located in the configuration file.

use std::path::Path as FsPath;

use replicast_engine::case;
use replicast_engine::error::Path;
use replicast_engine::keda::admission::read_scaled_object;
use replicast_engine::yaml::{Limits, parse_documents};
use serde_json::{Value, json};

use super::bind::{auto_bind, bind};
use super::describe::{describe, pod_containers, probe_case};
use super::plan::{
    DEFAULT_HPA_SYNC, DEFAULT_REPLICA_LIMIT, DEFAULT_RETENTION, ExternalSource, Input, Kind,
    LoopPlan, Plan, Production, Replicas, SourcePlan,
};
use super::sources::source_plan;
use crate::live::config::{
    Config, ConfigError, Loaded, MAX_CONFIG_BYTES, ProductionSpec, ReplicasSpec, SignalSpec,
    VariantSpec,
};

/// The plan as it is built, with where to report problems.
struct Builder<'a> {
    loaded: &'a Loaded,
    config: &'a Config,
    external: &'a [ExternalSource],
    sources: Vec<SourcePlan>,
    loops: Vec<LoopPlan>,
    warnings: Vec<String>,
    hpa_sync: f64,
    replica_limit: i32,
}

/// What the replica count's origin needs to know of the autoscaler.
struct Target<'a> {
    kind: Kind,
    /// The autoscaler's `metadata.name`.
    object: &'a str,
    /// `scaleTargetRef.name`.
    workload: &'a str,
    /// The workload's `spec.replicas`, else the autoscaler's minimum.
    start: i32,
}

/// One manifest document: the object (JSON) and its first line.
type Object = (Value, u32);

/// Checks the configuration and builds the plan. `external` names sources
/// built elsewhere (a test's fake GPU).
pub fn compile(loaded: &Loaded, external: &[ExternalSource]) -> Result<Plan, ConfigError> {
    let config: &Config = &loaded.config;
    let mut b = Builder {
        loaded,
        config,
        external,
        sources: Vec::new(),
        loops: Vec::new(),
        warnings: Vec::new(),
        hpa_sync: DEFAULT_HPA_SYNC,
        replica_limit: DEFAULT_REPLICA_LIMIT,
    };
    b.sources()?;
    b.replica_limit = match config.replica_limit {
        Some(n) if n >= 1 => n,
        Some(_) => {
            return Err(b.fail(
                Path::root().child("replicaLimit"),
                "must be at least 1".into(),
            ));
        }
        None => DEFAULT_REPLICA_LIMIT,
    };
    b.hpa_sync = config
        .pipeline
        .hpa_sync
        .map(|s| s.0)
        .unwrap_or(DEFAULT_HPA_SYNC);
    let root = Path::root();
    if b.hpa_sync <= 0.0 {
        return Err(b.fail(
            root.child("pipeline").child("hpaSync"),
            "must be more than 0".into(),
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for (vi, v) in config.variants.iter().enumerate() {
        let at = root.child("variants").index(vi);
        if !valid_name(&v.name) {
            return Err(b.fail(
                at.child("name"),
                format!(
                    "{:?}: a variant name is letters, digits, '-' and '_'",
                    v.name
                ),
            ));
        }
        if names.contains(&v.name.as_str()) {
            return Err(b.fail(
                at.child("name"),
                format!("variant {:?} is named twice", v.name),
            ));
        }
        names.push(&v.name);
        b.variant(v, &at)?;
    }
    let retention = match config.retention {
        Some(r) if r.0 >= 1.0 => r.0,
        Some(_) => return Err(b.fail(root.child("retention"), "must be at least 1s".into())),
        None => DEFAULT_RETENTION,
    };
    b.warn_idle_sources();
    Ok(Plan {
        sources: b.sources,
        loops: b.loops,
        retention,
        warnings: b.warnings,
    })
}

impl Builder<'_> {
    fn fail(&self, path: Path, message: String) -> ConfigError {
        self.loaded.locate(ConfigError::at(&path, message), &path)
    }

    /// The configured sources, checked.
    fn sources(&mut self) -> Result<(), ConfigError> {
        for (i, s) in self.config.sources.iter().enumerate() {
            let at = Path::root().child("sources").index(i);
            if !valid_name(&s.name) {
                return Err(self.fail(
                    at.child("name"),
                    format!(
                        "{:?}: a source name is letters, digits, '-' and '_' (readings are NAME.KEY)",
                        s.name
                    ),
                ));
            }
            if self.sources.iter().any(|o| o.spec.name == s.name)
                || self.external.iter().any(|e| e.name == s.name)
            {
                return Err(self.fail(
                    at.child("name"),
                    format!("source {:?} is named twice", s.name),
                ));
            }
            let plan = source_plan(s, &at, &self.loaded.base).map_err(|(p, m)| self.fail(p, m))?;
            self.sources.push(plan);
        }
        Ok(())
    }

    /// One variant: its manifests read, a loop per autoscaler in them.
    fn variant(&mut self, v: &VariantSpec, at: &Path) -> Result<(), ConfigError> {
        let (text, text_at) = self.variant_text(v, at)?;
        let objects = self.objects(&text, &text_at)?;
        let autoscalers: Vec<&Object> = objects
            .iter()
            .filter(|(o, _)| matches!(kind_of(o), Some("HorizontalPodAutoscaler" | "ScaledObject")))
            .collect();
        if autoscalers.is_empty() {
            return Err(self.fail(
                text_at,
                "no HorizontalPodAutoscaler or ScaledObject in these manifests".into(),
            ));
        }
        let single = autoscalers.len() == 1;
        for object in autoscalers {
            let l = self.autoscaler(v, at, &text_at, &objects, object, single)?;
            self.loops.push(l);
        }
        Ok(())
    }

    /// The variant's manifests' text (inline or from `file:`), and where it was given.
    fn variant_text(&self, v: &VariantSpec, at: &Path) -> Result<(String, Path), ConfigError> {
        match (&v.manifests, &v.file) {
            (Some(t), None) => Ok((t.clone(), at.child("manifests"))),
            (None, Some(f)) => {
                let path = if f.is_absolute() {
                    f.clone()
                } else {
                    self.loaded.base.join(f)
                };
                let text = read_limited(&path).map_err(|e| self.fail(at.child("file"), e))?;
                Ok((text, at.child("file")))
            }
            _ => Err(self.fail(
                at.clone(),
                "give the variant's manifests inline (`manifests: |`) or as `file:`".into(),
            )),
        }
    }

    /// The manifests' documents as JSON, empty ones skipped.
    fn objects(&self, text: &str, text_at: &Path) -> Result<Vec<Object>, ConfigError> {
        let docs = parse_documents(text, &Limits::default()).map_err(|e| {
            let p = e.first();
            let line = p
                .line
                .map(|l| format!(" (line {l} of the manifests)"))
                .unwrap_or_default();
            self.fail(text_at.clone(), format!("{}{line}: {}", p.path, p.message))
        })?;
        let mut objects = Vec::new();
        for d in docs.iter().filter(|d| !d.root.is_null()) {
            let value = d.root.to_json().map_err(|e| {
                self.fail(
                    text_at.clone(),
                    format!(
                        "{} (line {} of the manifests)",
                        e.first().message,
                        d.root.line
                    ),
                )
            })?;
            objects.push((value, d.root.line));
        }
        Ok(objects)
    }

    /// One autoscaler's loop.
    fn autoscaler(
        &mut self,
        v: &VariantSpec,
        at: &Path,
        text_at: &Path,
        objects: &[Object],
        (object, line): &Object,
        single: bool,
    ) -> Result<LoopPlan, ConfigError> {
        let kind = match kind_of(object) {
            Some("HorizontalPodAutoscaler") => Kind::Hpa,
            _ => Kind::ScaledObject,
        };
        let object_name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let where_ = format!(
            "{} {:?} (line {line} of the manifests)",
            kind.as_str(),
            object_name
        );
        // The engine's own checks, on a case with every reading failing.
        let (inputs, target_name, min_count, max_count) = describe(kind, object)
            .map_err(|m| self.fail(text_at.clone(), format!("{where_}: {m}")))?;
        self.probe(kind, object, inputs.len(), text_at, &where_)?;
        let name = if single {
            v.name.clone()
        } else {
            format!("{}/{}", v.name, object_name)
        };
        let workload = target_workload(objects, &target_name);
        let containers = workload
            .map(pod_containers)
            .unwrap_or_else(|| json!([{"name": "app"}]));
        let mut bound = Vec::new();
        for (ii, (iname, shape, default)) in inputs.into_iter().enumerate() {
            let binding = self.input_binding(v, at, &iname, default)?;
            if let Err(why) = &binding {
                let what = if kind == Kind::Hpa {
                    "metric"
                } else {
                    "trigger"
                };
                self.warnings
                    .push(format!("{name}: {what} #{ii} {iname:?}: {why}"));
            }
            bound.push(Input {
                name: iname,
                shape,
                binding,
            });
        }
        let start = workload
            .and_then(|d| d.pointer("/spec/replicas"))
            .and_then(Value::as_i64)
            .map(|n| n as i32)
            .unwrap_or(min_count);
        let target = Target {
            kind,
            object: &object_name,
            workload: &target_name,
            start,
        };
        let replicas = self.replicas(v, at, &target)?;
        if let Replicas::Production(p) = &replicas {
            for i in bound
                .iter_mut()
                .filter(|i| p.pod_metrics.contains_key(&i.name))
            {
                i.binding = Ok(super::plan::Binding {
                    reference: format!("{}.pod:{}", p.source, i.name),
                    source: p.source.clone(),
                    key: p.pod_metrics[&i.name].clone(),
                    per_replica: false,
                    scale: 1.0,
                });
            }
            self.warnings.retain(|w| {
                !p.pod_metrics
                    .keys()
                    .any(|m| w.starts_with(&format!("{name}: ")) && w.contains(&format!("{m:?}")))
            });
        }
        let period = self.period(v, at, kind, object)?;
        Ok(LoopPlan {
            name,
            variant: v.name.clone(),
            kind,
            object: object_name,
            manifest: object.clone(),
            inputs: bound,
            containers,
            replicas,
            cap: max_count.clamp(1, self.replica_limit),
            period,
            controller: self.config.controller.clone(),
        })
    }

    /// The engine's checks of the manifest (and of `controller:`), on a
    /// case with every reading failing.
    fn probe(
        &self,
        kind: Kind,
        object: &Value,
        inputs: usize,
        text_at: &Path,
        where_: &str,
    ) -> Result<(), ConfigError> {
        let probe = probe_case(kind, object, inputs, self.config.controller.as_ref());
        let Err(e) = case::from_value(&probe) else {
            return Ok(());
        };
        let p = e.first();
        let (at, path) = if p.path.starts_with("controller") {
            (Path::root().child("controller"), p.path.clone())
        } else {
            let path = p
                .path
                .trim_start_matches("hpa.")
                .trim_start_matches("scaledObject.");
            (text_at.clone(), path.to_string())
        };
        Err(self.fail(at, format!("{where_}: {path}: {}", p.message)))
    }

    /// The reading of input `iname`: the variant's signal, the global one,
    /// or the trigger's default; `Err(why)` inside when it has none.
    fn input_binding(
        &mut self,
        v: &VariantSpec,
        at: &Path,
        iname: &str,
        default: Option<super::describe::AutoReading>,
    ) -> Result<Result<super::plan::Binding, String>, ConfigError> {
        let root = Path::root();
        let mapped = v
            .signals
            .get(iname)
            .or_else(|| self.config.signals.get(iname));
        Ok(match mapped {
            Some(sig) => {
                let sig_at = if v.signals.contains_key(iname) {
                    at.child("signals").child(iname)
                } else {
                    root.child("signals").child(iname)
                };
                Ok(
                    bind(sig, &mut self.sources, self.external)
                        .map_err(|m| self.fail(sig_at, m))?,
                )
            }
            None => match default {
                Some(d) => auto_bind(d, &mut self.sources)
                    .map_err(|m| format!("{m}; or map {iname:?} under `signals:`")),
                None => Err(format!(
                    "no reading for {iname:?}: map it under `signals:` (SOURCE.KEY)"
                )),
            },
        })
    }

    /// Where the loop's current replica count comes from (`start`: the
    /// workload's `spec.replicas`, else the autoscaler's minimum).
    fn replicas(
        &mut self,
        v: &VariantSpec,
        at: &Path,
        target: &Target,
    ) -> Result<Replicas, ConfigError> {
        let at = at.child("replicas");
        Ok(match &v.replicas {
            None => Replicas::Follow(target.start.max(0)),
            Some(ReplicasSpec::Fixed(n)) if *n >= 0 => Replicas::Fixed(*n),
            Some(ReplicasSpec::Fixed(_)) => {
                return Err(self.fail(at, "must be at least 0".into()));
            }
            Some(ReplicasSpec::From(f)) => match (&f.reading, f.follow) {
                (None, None) if f.production.is_some() => {
                    let spec = f.production.as_ref().unwrap_or_else(|| unreachable!());
                    Replicas::Production(self.production(spec, &at.child("production"), target)?)
                }
                (Some(r), None) if f.production.is_none() => Replicas::Reading(
                    bind(
                        &SignalSpec::Reading(r.clone()),
                        &mut self.sources,
                        self.external,
                    )
                    .map_err(|m| self.fail(at.child("reading"), m))?,
                ),
                (None, Some(n)) if n >= 0 && f.production.is_none() => Replicas::Follow(n),
                (None, Some(n)) if n < 0 => {
                    return Err(self.fail(at.child("follow"), "must be at least 0".into()));
                }
                _ => {
                    return Err(self.fail(
                        at,
                        "give one of {reading: SOURCE.KEY}, {follow: N} or {production: {...}}"
                            .into(),
                    ));
                }
            },
        })
    }

    /// A closed loop's production: the prometheus source it reads, the
    /// Deployment and the HPA (defaults from the autoscaler).
    fn production(
        &mut self,
        spec: &ProductionSpec,
        at: &Path,
        target: &Target,
    ) -> Result<Production, ConfigError> {
        let Some(index) = self
            .sources
            .iter()
            .position(|s| s.spec.name == spec.prometheus && s.kind == "prometheus")
        else {
            return Err(self.fail(
                at.child("prometheus"),
                format!("no prometheus source named {:?}", spec.prometheus),
            ));
        };
        let named = |s: &str| !s.is_empty() && !s.contains(['"', '\\', '\n']);
        let deployment = spec.deployment.as_deref().unwrap_or(target.workload);
        let hpa = match (&spec.hpa, target.kind) {
            (Some(h), _) => h.clone(),
            (None, Kind::Hpa) => target.object.to_string(),
            // controllers/keda/hpa.go getHPAName: "keda-hpa-" + the ScaledObject's name.
            (None, Kind::ScaledObject) => format!("keda-hpa-{}", target.object),
        };
        for (field, value) in [
            ("namespace", spec.namespace.as_str()),
            ("deployment", deployment),
            ("hpa", hpa.as_str()),
        ] {
            if !named(value) {
                return Err(self.fail(
                    at.child(field),
                    format!("{value:?} is not a Kubernetes object name"),
                ));
            }
        }
        // The source polls the workload's replica count too: its health is
        // whether production can be read, and the count is on /api/state.
        let source = &mut self.sources[index];
        let replicas = format!(
            "kube_deployment_spec_replicas{{namespace=\"{}\",deployment=\"{deployment}\"}}",
            spec.namespace
        );
        source.spec.queries.insert(replicas.clone(), replicas);
        Ok(Production {
            source: source.spec.name.clone(),
            url: source.spec.url.clone().unwrap_or_default(),
            namespace: spec.namespace.clone(),
            deployment: deployment.to_string(),
            hpa,
            pod_metrics: spec.pod_metrics.clone(),
            http: source.http_options(),
        })
    }

    /// Seconds between reconciles: `period:`, else the HPA sync period or
    /// the ScaledObject's `pollingInterval`.
    fn period(
        &self,
        v: &VariantSpec,
        at: &Path,
        kind: Kind,
        object: &Value,
    ) -> Result<f64, ConfigError> {
        Ok(match v.period {
            Some(p) if p.0 > 0.0 => p.0,
            Some(_) => return Err(self.fail(at.child("period"), "must be more than 0".into())),
            None => match kind {
                Kind::Hpa => self.hpa_sync,
                Kind::ScaledObject => f64::from(
                    read_scaled_object(object, &Path::root())
                        .map(|so| so.polling_interval())
                        .unwrap_or(30)
                        .max(1),
                ),
            },
        })
    }

    /// Warns about a source that reads nothing.
    fn warn_idle_sources(&mut self) {
        let production: Vec<&str> = self
            .loops
            .iter()
            .filter_map(|l| match &l.replicas {
                Replicas::Production(p) => Some(p.source.as_str()),
                _ => None,
            })
            .collect();
        for (i, s) in self.sources.iter().enumerate() {
            if production.contains(&s.spec.name.as_str()) {
                continue;
            }
            if s.kind == "rabbitmq" && s.spec.queues.is_empty() {
                self.warnings.push(format!(
                    "source {} (sources[{i}]) reads no queue: list `queues:`",
                    s.spec.name
                ));
            }
            if s.kind == "prometheus" && s.spec.queries.is_empty() {
                self.warnings.push(format!(
                    "source {} (sources[{i}]) runs no query: list `queries:`",
                    s.spec.name
                ));
            }
        }
    }
}

/// The workload the autoscaler targets (a Deployment or StatefulSet of that
/// name), else the manifests' first Deployment.
fn target_workload<'a>(objects: &'a [Object], target: &str) -> Option<&'a Value> {
    objects
        .iter()
        .map(|(o, _)| o)
        .find(|o| {
            matches!(kind_of(o), Some("Deployment" | "StatefulSet"))
                && o.pointer("/metadata/name").and_then(Value::as_str) == Some(target)
        })
        .or_else(|| {
            objects
                .iter()
                .map(|(o, _)| o)
                .find(|o| kind_of(o) == Some("Deployment"))
        })
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn kind_of(o: &Value) -> Option<&str> {
    o.get("kind").and_then(Value::as_str)
}

fn read_limited(path: &FsPath) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > MAX_CONFIG_BYTES as u64 {
        return Err(format!(
            "{} is {} bytes; the limit is {}",
            path.display(),
            meta.len(),
            MAX_CONFIG_BYTES
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
