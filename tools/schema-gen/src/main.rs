//! Writes `engine/src/schema/generated.rs`: a static tree of every field the
//! Kubernetes and KEDA APIs know in the objects replicast reads.
//!
//! Sources:
//! - Kubernetes 1.35 (`k8s-openapi` 0.29, feature `v1_35`, its `schemars`
//!   JSON schemas): autoscaling/v2 and autoscaling/v1
//!   HorizontalPodAutoscaler, apps/v1 Deployment and StatefulSet, and the
//!   ObjectMeta every object carries.
//! - Kubernetes 1.25 (`k8s-openapi` 0.16, feature `v1_25`): autoscaling/v2beta2
//!   HorizontalPodAutoscaler, which 1.25 was the last to serve.
//! - KEDA at kedacore/keda 8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a:
//!   `config/crd/bases/keda.sh_scaledobjects.yaml` (the ScaledObject CRD)
//!   and `config/crd/bases/keda.sh_scaledjobs.yaml` (the ScaledJob CRD);
//!   their `metadata` is Kubernetes' ObjectMeta, as for every CRD.
//!
//! `--json-schemas DIR CRD` writes the JSON Schemas `deploy/`'s test checks
//! against instead ([`json_schemas`]).
//!
//! Usage (from the repository root):
//!
//! ```sh
//! curl -sLO https://raw.githubusercontent.com/kedacore/keda/8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a/config/crd/bases/keda.sh_scaledobjects.yaml
//! curl -sLO https://raw.githubusercontent.com/kedacore/keda/8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a/config/crd/bases/keda.sh_scaledjobs.yaml
//! cargo run --manifest-path tools/schema-gen/Cargo.toml -- keda.sh_scaledobjects.yaml keda.sh_scaledjobs.yaml > engine/src/schema/generated.rs
//! cargo fmt --all
//! ```

mod json_schemas;

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

const KEDA_COMMIT: &str = "8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a";

/// A known-field tree, before it is written out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Tree {
    Scalar,
    Any,
    /// A name hint and the fields, sorted.
    Object(String, Vec<(String, Tree)>),
    Map(Box<Tree>),
    Array(Box<Tree>),
}

/// How a schema document spells an object without fields: free-form in
/// Kubernetes' own types (`FieldsV1`), no fields at all in a CRD's
/// structural schema (pruning drops every field).
#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Builtin,
    Crd,
}

struct Doc<'a> {
    defs: &'a Map<String, Value>,
    dialect: Dialect,
}

impl Doc<'_> {
    fn tree(&self, schema: &Value, hint: &str, depth: usize) -> Tree {
        assert!(depth < 64, "schema too deep (a cycle?) at {hint}");
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap();
            let def = self
                .defs
                .get(name)
                .unwrap_or_else(|| panic!("no definition {name}"));
            return self.tree(def, name, depth + 1);
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            if let Some(list) = schema.get(combinator).and_then(Value::as_array) {
                let objects: Vec<_> = list
                    .iter()
                    .filter(|s| s.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if objects.len() == 1 && schema.get("properties").is_none() {
                    return self.tree(objects[0], hint, depth + 1);
                }
                // int-or-string and the like: several scalar shapes.
                if objects.iter().all(|s| {
                    matches!(
                        s.get("type").and_then(Value::as_str),
                        Some("integer" | "string" | "number" | "boolean")
                    )
                }) {
                    return Tree::Scalar;
                }
                panic!("{hint}: {combinator} of several shapes is not supported");
            }
        }
        if schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true)) {
            return Tree::Any;
        }
        let ty = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ if schema.get("properties").is_some() => "object",
            _ => "",
        };
        match ty {
            "object" => {
                if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                    let mut fields: Vec<(String, Tree)> = props
                        .iter()
                        .map(|(k, v)| (k.clone(), self.tree(v, &format!("{hint}.{k}"), depth + 1)))
                        .collect();
                    fields.sort_by(|a, b| a.0.cmp(&b.0));
                    Tree::Object(hint.to_string(), fields)
                } else {
                    match schema.get("additionalProperties") {
                        Some(Value::Bool(true)) => Tree::Any,
                        Some(s @ Value::Object(_)) => {
                            Tree::Map(Box::new(self.tree(s, &format!("{hint}.value"), depth + 1)))
                        }
                        _ if self.dialect == Dialect::Builtin => Tree::Any,
                        _ => Tree::Object(hint.to_string(), Vec::new()),
                    }
                }
            }
            "array" => {
                let items = schema.get("items").expect("an array without items");
                Tree::Array(Box::new(self.tree(
                    items,
                    &format!("{hint}.item"),
                    depth + 1,
                )))
            }
            _ => Tree::Scalar,
        }
    }
}

fn defs(schema: &Value) -> &Map<String, Value> {
    schema
        .get("$defs")
        .or_else(|| schema.get("definitions"))
        .and_then(Value::as_object)
        .expect("a schema with definitions")
}

fn builtin(schema: Value, hint: &str) -> Tree {
    let doc = Doc {
        defs: defs(&schema),
        dialect: Dialect::Builtin,
    };
    doc.tree(&schema, hint, 0)
}

/// YAML (the CRD) to JSON.
fn yaml_to_json(y: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let k = match k {
                        Yaml::String(s) => s.clone(),
                        other => panic!("a non-string key in the CRD: {other:?}"),
                    };
                    (k, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => Value::from(r.parse::<f64>().unwrap_or(0.0)),
        _ => Value::Null,
    }
}

/// A KEDA CRD's v1alpha1 schema, `metadata` read as ObjectMeta.
fn keda_crd(crd_path: &str, kind: &str, object_meta: Tree) -> Tree {
    let text =
        std::fs::read_to_string(crd_path).unwrap_or_else(|e| panic!("reading {crd_path}: {e}"));
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("the CRD is YAML");
    let crd = yaml_to_json(&docs[0]);
    assert_eq!(crd["spec"]["names"]["kind"], kind);
    let version = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "v1alpha1")
        .expect("version v1alpha1");
    let schema = &version["schema"]["openAPIV3Schema"];
    let empty = Map::new();
    let doc = Doc {
        defs: &empty,
        dialect: Dialect::Crd,
    };
    let Tree::Object(name, mut fields) = doc.tree(schema, kind, 0) else {
        panic!("the {kind} schema is not an object")
    };
    // A CRD's schema says only `metadata: {type: object}`; the API server
    // reads it as ObjectMeta, as for every kind.
    for (k, v) in &mut fields {
        if k == "metadata" {
            *v = object_meta.clone();
        }
    }
    Tree::Object(name, fields)
}

/// Writes trees as statics, each distinct object once.
#[derive(Default)]
struct Writer {
    /// The static of each distinct object, by its fields' rendering.
    names: HashMap<String, String>,
    taken: HashMap<String, ()>,
    out: String,
}

fn screaming(hint: &str) -> String {
    let mut s = String::new();
    let mut prev_lower = false;
    let chars: Vec<char> = hint.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
        let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        // `HPAScalingRules` → HPA_SCALING_RULES, `HTTPGetAction` → HTTP_GET_ACTION.
        if c.is_ascii_uppercase() && (prev_lower || (prev_upper && next_lower)) {
            s.push('_');
        }
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_uppercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    s.trim_matches('_').to_string()
}

impl Writer {
    /// The expression for a reference to `tree` (`&NAME`, `&Map(&Scalar)`).
    fn expr(&mut self, tree: &Tree) -> String {
        match tree {
            Tree::Scalar => "&Scalar".into(),
            Tree::Any => "&Any".into(),
            Tree::Map(t) => format!("&Map({})", self.expr(t)),
            Tree::Array(t) => format!("&Array({})", self.expr(t)),
            Tree::Object(hint, fields) => format!("&{}", self.object(hint, fields, None)),
        }
    }

    fn object(&mut self, hint: &str, fields: &[(String, Tree)], root: Option<&str>) -> String {
        let mut body = String::new();
        for (k, t) in fields {
            let e = self.expr(t);
            writeln!(body, "    ({k:?}, {e}),").unwrap();
        }
        if root.is_none() {
            if let Some(name) = self.names.get(&body) {
                return name.clone();
            }
        }
        // `io.k8s.api.apps.v1.DeploymentSpec` → DEPLOYMENT_SPEC; a second,
        // different object of that name gets its API version in front.
        let name = match root {
            Some(r) => r.to_string(),
            None => {
                let segs: Vec<&str> = hint.split('.').collect();
                let type_at = segs
                    .iter()
                    .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                    .unwrap_or(0);
                let short = screaming(&segs[type_at..].join("_"));
                let mut name = short.clone();
                if self.taken.contains_key(&name) && type_at > 0 {
                    name = screaming(&segs[type_at - 1..].join("_"));
                }
                let mut n = 2;
                while self.taken.contains_key(&name) {
                    name = format!("{short}_{n}");
                    n += 1;
                }
                name
            }
        };
        self.taken.insert(name.clone(), ());
        self.names.insert(body.clone(), name.clone());
        if let Some(r) = root {
            writeln!(self.out, "/// {r}: the whole object.").unwrap();
            write!(self.out, "pub ").unwrap();
        }
        write!(self.out, "static {name}: Node = Object(&[\n{body}]);\n\n").unwrap();
        name
    }

    fn root(&mut self, name: &str, doc: &str, tree: &Tree) {
        let Tree::Object(hint, fields) = tree else {
            panic!("{name} is not an object")
        };
        let mark = self.out.len();
        self.object(hint, fields, Some(name));
        // Put the root's own doc line in place of the generic one.
        let generic = format!("/// {name}: the whole object.");
        let at = self.out[mark..].find(&generic).unwrap() + mark;
        self.out
            .replace_range(at..at + generic.len(), &format!("/// {doc}"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--json-schemas") {
        let (Some(dir), Some(crd)) = (args.get(2), args.get(3)) else {
            eprintln!(
                "usage: replicast-schema-gen --json-schemas tests/schemas SERVICEMONITORS_CRD.yaml"
            );
            std::process::exit(2);
        };
        json_schemas::write(std::path::Path::new(dir), std::path::Path::new(crd));
        return;
    }
    let (Some(crd), Some(job_crd)) = (args.get(1), args.get(2)) else {
        eprintln!(
            "usage: replicast-schema-gen KEDA_SCALEDOBJECTS_CRD.yaml KEDA_SCALEDJOBS_CRD.yaml > engine/src/schema/generated.rs"
        );
        std::process::exit(2);
    };
    use k8s_openapi::api::{apps::v1 as apps, autoscaling as k8s_autoscaling};
    use k8s_openapi_1_25::api::autoscaling::v2beta2;
    let to_json = |s: schemars::Schema| serde_json::to_value(s).unwrap();
    let hpa_v2 = builtin(
        to_json(schemars::schema_for!(
            k8s_autoscaling::v2::HorizontalPodAutoscaler
        )),
        "HorizontalPodAutoscaler",
    );
    let hpa_v1 = builtin(
        to_json(schemars::schema_for!(
            k8s_autoscaling::v1::HorizontalPodAutoscaler
        )),
        "HorizontalPodAutoscaler",
    );
    let hpa_v2beta2 = builtin(
        serde_json::to_value(schemars_0_8::schema_for!(v2beta2::HorizontalPodAutoscaler)).unwrap(),
        "HorizontalPodAutoscaler",
    );
    let deployment = builtin(
        to_json(schemars::schema_for!(apps::Deployment)),
        "Deployment",
    );
    let stateful_set = builtin(
        to_json(schemars::schema_for!(apps::StatefulSet)),
        "StatefulSet",
    );
    let object_meta = match &hpa_v2 {
        Tree::Object(_, fields) => fields
            .iter()
            .find(|(k, _)| k == "metadata")
            .map(|(_, t)| t.clone())
            .expect("metadata"),
        _ => unreachable!(),
    };
    let so = keda_crd(crd, "ScaledObject", object_meta.clone());
    let sj = keda_crd(job_crd, "ScaledJob", object_meta);

    let mut w = Writer::default();
    w.root(
        "HPA_AUTOSCALING_V2",
        "autoscaling/v2 HorizontalPodAutoscaler (Kubernetes 1.35).",
        &hpa_v2,
    );
    w.root(
        "HPA_AUTOSCALING_V2BETA2",
        "autoscaling/v2beta2 HorizontalPodAutoscaler (Kubernetes 1.25, its last).",
        &hpa_v2beta2,
    );
    w.root(
        "HPA_AUTOSCALING_V1",
        "autoscaling/v1 HorizontalPodAutoscaler (Kubernetes 1.35).",
        &hpa_v1,
    );
    w.root(
        "DEPLOYMENT_APPS_V1",
        "apps/v1 Deployment (Kubernetes 1.35).",
        &deployment,
    );
    w.root(
        "STATEFUL_SET_APPS_V1",
        "apps/v1 StatefulSet (Kubernetes 1.35).",
        &stateful_set,
    );
    w.root(
        "SCALED_OBJECT_KEDA_V1ALPHA1",
        &format!("keda.sh/v1alpha1 ScaledObject (KEDA {})", &KEDA_COMMIT[..9]),
        &so,
    );
    w.root(
        "SCALED_JOB_KEDA_V1ALPHA1",
        &format!("keda.sh/v1alpha1 ScaledJob (KEDA {})", &KEDA_COMMIT[..9]),
        &sj,
    );
    print!(
        "//! GENERATED by tools/schema-gen: do not edit. The fields the Kubernetes\n\
         //! and KEDA APIs know, for [`super::unknown_fields`].\n\
         //!\n\
         //! Sources: Kubernetes 1.35 (k8s-openapi 0.29.0, `v1_35`, `schemars`):\n\
         //! autoscaling/v2 and v1 HorizontalPodAutoscaler, apps/v1 Deployment and\n\
         //! StatefulSet, ObjectMeta; Kubernetes 1.25 (k8s-openapi 0.16.0, `v1_25`):\n\
         //! autoscaling/v2beta2 HorizontalPodAutoscaler; KEDA's ScaledObject and\n\
         //! ScaledJob CRDs, kedacore/keda {KEDA_COMMIT}\n\
         //! `config/crd/bases/keda.sh_scaledobjects.yaml`, `keda.sh_scaledjobs.yaml`\n\
         //! (metadata: ObjectMeta).\n\
         //!\n\
         //! Regenerate (from the repository root):\n\
         //! curl -sLO https://raw.githubusercontent.com/kedacore/keda/{KEDA_COMMIT}/config/crd/bases/keda.sh_scaledobjects.yaml\n\
         //! curl -sLO https://raw.githubusercontent.com/kedacore/keda/{KEDA_COMMIT}/config/crd/bases/keda.sh_scaledjobs.yaml\n\
         //! cargo run --manifest-path tools/schema-gen/Cargo.toml -- keda.sh_scaledobjects.yaml keda.sh_scaledjobs.yaml > engine/src/schema/generated.rs\n\
         //! cargo fmt --all\n\
         \n\
         use super::Node::{{self, Any, Array, Map, Object, Scalar}};\n\n{}",
        w.out
    );
}
