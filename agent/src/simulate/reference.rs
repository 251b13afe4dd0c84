//! The scenario's `reference:` in `replicast simulate`'s output: one line
//! per variant under the table (how far its replicas were from what
//! production ran) and a dashed black line in the SVG's replicas panel.

use std::fmt::Write as _;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use replicast_engine::sim::{SimResult, VariantResult, reference};

/// `reference: default: mean |Δ| 0.38 replicas, agreed 72.2 % of 7186 samples`,
/// one line per variant; empty without a reference.
pub(super) fn lines(r: &SimResult) -> String {
    let mut out = String::new();
    for v in &r.variants {
        let Some(e) = &v.summary.reference else {
            continue;
        };
        if out.is_empty() {
            out.push_str("\nagainst the reference (the replicas production ran):\n");
        }
        let _ = writeln!(
            out,
            "  {}: mean |replicas − reference| {:.2}, agreed {:.1} % of {} samples",
            v.name,
            e.mean_absolute_difference,
            e.agreement * 100.0,
            e.samples
        );
    }
    out
}

/// The reference's points (x scaled), split at its unknown samples.
fn segments(v: &VariantResult, scale: f64) -> Vec<Vec<(f64, f64)>> {
    let (Some(t), Some(r)) = (v.timeline.column("t"), v.timeline.column(reference::COLUMN)) else {
        return Vec::new();
    };
    let k = t.len().div_ceil(1500).max(1);
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for i in (0..t.len().min(r.len())).step_by(k) {
        if r[i].is_finite() {
            if let Some(s) = out.last_mut() {
                s.push((t[i] / scale, r[i]));
            }
        } else if out.last().is_some_and(|s| !s.is_empty()) {
            out.push(Vec::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Draws the reference as a dashed line on the replicas chart (the first
/// variant's column: every variant's is the same).
pub(super) fn draw<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    r: &SimResult,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let Some(first) = r.variants.first() else {
        return Ok(());
    };
    let style = BLACK.stroke_width(2);
    for (i, points) in segments(first, scale).into_iter().enumerate() {
        let drawn = chart.draw_series(DashedLineSeries::new(points, 6, 4, style))?;
        if i == 0 {
            drawn
                .label("reference (production)")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
    }
    Ok(())
}

/// The largest reference value, for the chart's range.
pub(super) fn max(r: &SimResult) -> f64 {
    r.variants
        .first()
        .and_then(|v| v.timeline.column(reference::COLUMN))
        .into_iter()
        .flatten()
        .copied()
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "manifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec:\n    replicas: 2\n    template: {spec: {containers: [{name: app, resources: {requests: {cpu: '1'}}}]}}\nduration: 10m\nload: [{constant: 5}]\nreference: {trace: {csv: \"t,replicas\\n60,2\\n300,3\\n420,3\\n\"}}\n";

    #[test]
    fn the_table_says_how_far_and_the_chart_has_the_line() {
        let r = replicast_engine::sim::simulate_text(SCENARIO).unwrap();
        let text = lines(&r);
        // Two fixed replicas against 2 for 240 s, then 3 for 121 s.
        assert!(
            text.contains(
                "default: mean |replicas − reference| 0.34, agreed 66.5 % of 361 samples"
            ),
            "{text}"
        );
        let seg = segments(&r.variants[0], 60.0);
        assert_eq!(seg.len(), 1, "one run of known points");
        assert_eq!(seg[0].first(), Some(&(1.0, 2.0)));
        assert_eq!(max(&r), 3.0);
        let path = std::env::temp_dir().join(format!("replicast-ref-{}.svg", std::process::id()));
        super::super::draw_svg(&path, &r).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(svg.contains("reference (production)"));
    }
}
