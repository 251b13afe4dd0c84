//! The playground's chart: proposed replicas across the utilization range,
//! drawn with plotters on a canvas.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::Inputs;

/// The right end of the chart's utilization axis, in percent.
pub const UTILIZATION_MAX: i32 = 200;

// The e2e test (e2e/tests/playground.spec.mjs) looks for these colours in
// the canvas pixels.
const CURVE: RGBColor = RGBColor(31, 119, 180);
const MARKER: RGBColor = RGBColor(214, 39, 40);
const TARGET: RGBColor = RGBColor(255, 127, 14);

/// `(utilization, desired replicas)` for every whole percent from 0 to
/// [`UTILIZATION_MAX`], holding the current replicas and target fixed.
pub fn desired_curve(inputs: Inputs) -> Vec<(i32, i32)> {
    (0..=UTILIZATION_MAX)
        .map(|utilization| {
            let at = Inputs {
                utilization,
                ..inputs
            };
            (utilization, at.desired_replicas())
        })
        .collect()
}

/// Draws the chart for `inputs` onto `canvas`, replacing what was there.
pub(crate) fn draw(canvas: HtmlCanvasElement, inputs: Inputs) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;

    let curve = desired_curve(inputs);
    let y_max = curve.iter().map(|&(_, y)| y).max().unwrap_or(1).max(1) + 1;

    let mut chart = ChartBuilder::on(&root)
        .caption("Proposed replicas by utilization", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(44)
        .build_cartesian_2d(0..UTILIZATION_MAX, 0..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("utilization %")
        .y_desc("replicas")
        .draw()
        .map_err(|e| e.to_string())?;

    chart
        .draw_series(LineSeries::new(
            [(inputs.target, 0), (inputs.target, y_max)],
            TARGET.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(curve, CURVE.stroke_width(3)))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(std::iter::once(Circle::new(
            (inputs.utilization, inputs.desired_replicas()),
            6,
            MARKER.filled(),
        )))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
