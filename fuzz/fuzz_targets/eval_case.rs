//! Any text through case parsing and evaluation (HPA and KEDA cases):
//! errors are fine, panics and hangs are not. Also runs structured cases
//! built from the fuzz input so evaluation itself is reached often.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replicast_engine::case;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = case::evaluate_text(text);
        // The same text as the body of a known-good skeleton, to get past the
        // schema more often: it lands in `hpa.spec` or in a trigger.
        let hpa = format!(
            "now: 1000\nhpa:\n  spec:\n    scaleTargetRef: {{kind: Deployment, name: w}}\n    maxReplicas: 10\n    {}\ntarget: {{replicas: 3}}\npods: [{{name: a, requests: {{cpu: 1}}, startTime: 0}}]\nmetrics: [{{podValues: {{a: 500m}}}}]\n",
            text.replace('\n', " ")
        );
        let _ = case::evaluate_text(&hpa);
    }
    // Structured: numbers from the bytes drive a valid case.
    if data.len() >= 8 {
        let current = i32::from(data[0] % 40);
        let min = i32::from(data[1] % 5);
        let max = min.max(1) + i32::from(data[2] % 30);
        let usage: Vec<String> = data[3..].iter().take(12).map(|b| format!("{}m", u32::from(*b) * 37)).collect();
        const PHASES: [&str; 3] = ["Running", "Pending", "Failed"];
        let pods: Vec<serde_json::Value> = (0..usage.len())
            .map(|i| {
                let phase = PHASES[usize::from(data[i % data.len()] % 3)];
                serde_json::json!({"name": format!("p{i}"), "requests": {"cpu": "250m"}, "startTime": i * 40, "readySince": i * 45, "phase": phase})
            })
            .collect();
        let values: serde_json::Map<String, serde_json::Value> =
            usage.iter().enumerate().map(|(i, u)| (format!("p{i}"), serde_json::json!(u))).collect();
        let c = serde_json::json!({
            "now": 300 + u32::from(data[4]),
            "hpa": {"spec": {"scaleTargetRef": {"kind": "Deployment", "name": "w"}, "minReplicas": min.max(1), "maxReplicas": max,
                "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 1 + i32::from(data[5] % 150)}}}],
                "behavior": if data[6] % 2 == 0 { serde_json::Value::Null } else { serde_json::json!({"scaleDown": {"policies": [{"type": "Percent", "value": 1 + i32::from(data[7] % 100), "periodSeconds": 15}]}}) }}},
            "target": {"replicas": current},
            "pods": pods,
            "metrics": [{"podValues": values}],
            "history": {"recommendations": [{"time": 250, "replicas": i32::from(data[3] % 20)}], "scaleDownEvents": [{"time": 290, "change": 2}]},
        });
        if let Ok(parsed) = case::from_value(&c) {
            let d = case::evaluate(&parsed);
            assert!(d.desired_replicas >= 0);
        }
    }
});
