//! A value clicked in the editor's manifests, offered as a tune knob: the
//! object it belongs to (`Kind/name`), its field path as errors print it
//! (`spec.metrics[0].resource.target.averageUtilization`) and values
//! around it for the user to edit. Whether the field can be tuned is the
//! engine's to say when it reads `tune.knobs`.

use replicast_engine::yaml::{self, Node, NodeValue};
use serde_json::Value;

use crate::yaml_write;

/// A knob proposed at the caret.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    /// `Kind/name`.
    pub object: String,
    /// The field path.
    pub path: String,
    /// Values around the one written, for `tune.knobs[].values`.
    pub values: Vec<Value>,
}

/// The scalar at character `at` of a manifests text, as a knob; `None`
/// off a scalar value, or on one that is not a number or quantity.
pub fn pick(manifests: &str, at: usize) -> Option<Picked> {
    let docs = yaml::parse_documents(manifests, &yaml::Limits::default()).ok()?;
    docs.iter().find_map(|d| {
        let mut path = String::new();
        let text = scalar_at(&d.root, at, &mut path)?;
        let object = replicast_engine::tune::knobs::object_name(&d.root.to_json().ok()?)?;
        Some(Picked {
            object,
            path,
            values: around(&text)?,
        })
    })
}

/// The text of the scalar value whose span holds `at`, its path in `path`.
fn scalar_at(node: &Node, at: usize, path: &mut String) -> Option<String> {
    let within = |n: &Node| n.span.0 <= at && at <= n.span.1;
    match &node.value {
        NodeValue::Scalar { text, .. } => within(node).then(|| text.clone()),
        NodeValue::Map(entries) => entries.iter().find_map(|(k, v)| {
            let NodeValue::Scalar { text: key, .. } = &k.value else {
                return None;
            };
            let mut p = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let found = scalar_at(v, at, &mut p)?;
            *path = p;
            Some(found)
        }),
        NodeValue::Seq(items) => items.iter().enumerate().find_map(|(i, v)| {
            let mut p = format!("{path}[{i}]");
            let found = scalar_at(v, at, &mut p)?;
            *path = p;
            Some(found)
        }),
        NodeValue::Alias(..) => None,
    }
}

/// Half, three quarters, the value, one and a half and twice it, keeping
/// a quantity's suffix (`500m`): integers stay integers.
fn around(text: &str) -> Option<Vec<Value>> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits);
    let v: f64 = number.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let integer = !number.contains('.');
    let mut out: Vec<f64> = [0.5, 0.75, 1.0, 1.5, 2.0]
        .iter()
        .map(|f| if integer { (v * f).round() } else { v * f })
        .collect();
    out.dedup();
    Some(
        out.into_iter()
            .map(|x| {
                if suffix.is_empty() {
                    serde_json::json!(x)
                } else {
                    Value::String(format!("{}{suffix}", yaml_write::number(x)))
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HPA: &str = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  minReplicas: 2
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
";

    fn at(text: &str, needle: &str) -> usize {
        text[..text.find(needle).unwrap()].chars().count() + 1
    }

    #[test]
    fn a_number_in_a_block_or_a_flow_mapping() {
        let p = pick(HPA, at(HPA, "2\n  metrics")).unwrap();
        assert_eq!(p.object, "HorizontalPodAutoscaler/web");
        assert_eq!(p.path, "spec.minReplicas");
        assert_eq!(p.values, [1.0, 2.0, 3.0, 4.0].map(|x| serde_json::json!(x)));
        let p = pick(HPA, at(HPA, "70}")).unwrap();
        assert_eq!(p.path, "spec.metrics[0].resource.target.averageUtilization");
    }

    #[test]
    fn quantities_keep_their_suffix_and_words_are_not_knobs() {
        assert_eq!(
            around("500m").unwrap(),
            ["250m", "375m", "500m", "750m", "1000m"].map(|s| Value::String(s.into()))
        );
        assert_eq!(pick(HPA, at(HPA, "Utilization,")), None);
        assert_eq!(pick(HPA, 0), None);
    }
}
