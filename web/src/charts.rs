//! The three charts, drawn with plotters on canvases sized in device
//! pixels (crisp on high-DPI screens):
//!
//! 1. load against ready capacity (ready replicas × capacity per replica),
//!    with desired replicas on the right axis and every decision marked;
//! 2. each metric as the autoscaler compares it (AverageValue per replica,
//!    KEDA triggers included), divided by its target (1 is the
//!    target: above it the autoscaler wants more replicas);
//! 3. the queue (left) and the p95 latency against the SLO (right).
//!
//! Every chart shares one time axis and one plotting width, so a single
//! cursor line crosses all three. Long timelines are reduced to the first,
//! lowest, highest and last sample of each pixel column, which draws the
//! same picture as every sample would.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::fmt;
use crate::frame::{Frame, VariantFrame};

/// A variant's colour (A, B, C, ...), as `r, g, b`.
pub const VARIANT: [(u8, u8, u8); 6] = [
    (37, 99, 235),
    (234, 88, 12),
    (22, 163, 74),
    (147, 51, 234),
    (219, 39, 119),
    (100, 116, 139),
];
/// A metric's colour in the metrics chart, by order of first appearance.
pub const METRIC: [(u8, u8, u8); 6] = [
    (13, 148, 136),
    (124, 58, 237),
    (234, 88, 12),
    (219, 39, 119),
    (202, 138, 4),
    (71, 85, 105),
];
/// The load's fill and outline.
pub const LOAD_FILL: (u8, u8, u8) = (203, 213, 225);
const LOAD_LINE: (u8, u8, u8) = (148, 163, 184);
/// The reference (what production ran): dark, dashed.
const REFERENCE_LINE: (u8, u8, u8) = (30, 41, 59);
/// Targets and the SLO.
pub const LIMIT: (u8, u8, u8) = (220, 38, 38);
const GRID: RGBColor = RGBColor(232, 236, 241);
const AXIS: RGBColor = RGBColor(148, 163, 184);
const LABEL: RGBColor = RGBColor(71, 85, 105);

/// One metric of one variant, reduced: (variant, metric, polylines).
type MetricSeries = (usize, usize, Vec<Vec<(f64, f64)>>);

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Load vs ready capacity, desired replicas.
    Capacity,
    /// Metrics ÷ target.
    Metrics,
    /// Queue and latency vs SLO.
    Latency,
}

/// Where the plotting area is, in CSS pixels from the canvas' left edge
/// (the same for every chart).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Geometry {
    /// The plotting area's left edge.
    pub left: f64,
    /// Its right edge.
    pub right: f64,
    /// The canvas' CSS width.
    pub width: f64,
}

/// Left and right label areas, CSS pixels (equal on every chart).
const LEFT_AXIS: f64 = 52.0;
const RIGHT_AXIS: f64 = 48.0;
const MARGIN: f64 = 6.0;

fn rgb(c: (u8, u8, u8)) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// The colour of variant `i`.
pub fn variant_color(i: usize) -> (u8, u8, u8) {
    VARIANT[i % VARIANT.len()]
}

/// The colour of the `i`-th distinct metric.
pub fn metric_color(i: usize) -> (u8, u8, u8) {
    METRIC[i % METRIC.len()]
}

/// Distinct metric names over all variants, in order of appearance
/// (metrics with a target only).
pub fn metric_names(frame: &Frame) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for v in &frame.variants {
        for m in &v.metrics {
            let label = metric_label(frame, m);
            if m.target.is_some() && !names.contains(&label) {
                names.push(label);
            }
        }
    }
    names
}

/// How a metric is named in the legend and readout: its name, and its
/// autoscaler's when another autoscaler has a metric of the same name.
pub fn metric_label(frame: &Frame, m: &crate::frame::Metric) -> String {
    let shared = frame
        .variants
        .iter()
        .flat_map(|v| v.metrics.iter())
        .any(|o| o.name == m.name && o.autoscaler != m.autoscaler);
    if shared {
        format!("{} @ {}", m.name, m.autoscaler)
    } else {
        m.name.clone()
    }
}

/// Sizes the canvas to its CSS box (`size`, CSS pixels) × the device pixel
/// ratio; returns the ratio and the CSS size.
pub(crate) fn fit(canvas: &HtmlCanvasElement, (css_w, css_h): (f64, f64)) -> (f64, f64, f64) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0);
    let css_w = css_w.max(100.0);
    let css_h = css_h.max(60.0);
    let w = (css_w * dpr).round() as u32;
    let h = (css_h * dpr).round() as u32;
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    (dpr, css_w, css_h)
}

/// Time-axis ticks: a round interval giving 5 to 10 ticks.
fn time_ticks(duration: f64, width_css: f64) -> Vec<f64> {
    let want = (width_css / 90.0).clamp(3.0, 10.0);
    let steps = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
        10800.0, 14400.0, 21600.0, 43200.0, 86400.0, 172_800.0, 604_800.0,
    ];
    let step = steps
        .iter()
        .copied()
        .find(|s| duration / s <= want)
        .unwrap_or(duration / want);
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= duration + 1e-9 {
        ticks.push(t);
        t += step;
    }
    ticks
}

/// A round upper bound for an axis.
fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let e = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if v <= m * e * 1.0000001 {
            return m * e;
        }
    }
    10.0 * e
}

/// Polylines of `(t, f(v))`, split where values are missing, reduced to at
/// most four points a pixel column.
fn reduce(
    ts: &[f64],
    vs: &[f64],
    duration: f64,
    columns: usize,
    f: impl Fn(f64) -> f64,
) -> Vec<Vec<(f64, f64)>> {
    let n = ts.len().min(vs.len());
    let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut line: Vec<(f64, f64)> = Vec::new();
    if n == 0 {
        return lines;
    }
    let per = (n as f64 / columns.max(1) as f64).max(1.0);
    if per < 3.0 {
        for i in 0..n {
            let v = f(vs[i]);
            if v.is_finite() {
                line.push((ts[i], v));
            } else if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        return lines;
    }
    let bucket_of = |t: f64| ((t / duration.max(1e-9)) * columns as f64) as i64;
    let mut i = 0;
    while i < n {
        let b = bucket_of(ts[i]);
        let start = i;
        while i < n && bucket_of(ts[i]) == b {
            i += 1;
        }
        // First, lowest, highest and last finite sample of the bucket.
        let mut first = None;
        let mut last = None;
        let mut lo: Option<(usize, f64)> = None;
        let mut hi: Option<(usize, f64)> = None;
        let mut gap = false;
        for (j, &raw) in vs.iter().enumerate().take(i).skip(start) {
            let v = f(raw);
            if !v.is_finite() {
                gap = true;
                continue;
            }
            if first.is_none() {
                first = Some((j, v));
            }
            last = Some((j, v));
            if lo.is_none_or(|(_, x)| v < x) {
                lo = Some((j, v));
            }
            if hi.is_none_or(|(_, x)| v > x) {
                hi = Some((j, v));
            }
        }
        let mut pts: Vec<(usize, f64)> = [first, lo, hi, last].into_iter().flatten().collect();
        pts.sort_by_key(|p| p.0);
        pts.dedup_by_key(|p| p.0);
        if first.is_none() {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            continue;
        }
        line.extend(pts.into_iter().map(|(j, v)| (ts[j], v)));
        if gap && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A step series (replica counts): a point where the value changes only.
fn steps(ts: &[f64], vs: &[f64], scale: f64) -> Vec<(f64, f64)> {
    let n = ts.len().min(vs.len());
    let mut out = Vec::new();
    let mut prev = f64::NAN;
    for i in 0..n {
        let v = vs[i];
        if v != prev {
            if i > 0 && prev.is_finite() {
                out.push((ts[i], prev * scale));
            }
            if v.is_finite() {
                out.push((ts[i], v * scale));
            }
            prev = v;
        }
    }
    if let (Some(&t), Some(&v)) = (ts.get(n.wrapping_sub(1)), vs.get(n.wrapping_sub(1))) {
        if v.is_finite() {
            out.push((t, v * scale));
        }
    }
    out
}

fn col<'a>(v: &'a VariantFrame, name: &str) -> &'a [f64] {
    v.column(name).unwrap_or(&[])
}

/// An axis with ticks of our choosing: times at round minutes and hours
/// (plotters' own ticks are round decimals: 5000 s is not a time anyone
/// reads), and the metrics chart's ratio scale.
#[derive(Clone, Debug)]
struct Axis {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let r = (value - self.start) / (self.end - self.start);
        let span = f64::from(limit.1 - limit.0);
        limit.0 + (span * r + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points();
        if max == 0 {
            return Vec::new();
        }
        let every = self.ticks.len().div_ceil(max).max(1);
        self.ticks.iter().step_by(every).copied().collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.start..self.end
    }
}

/// The metrics chart's scale: linear up to the target (1×), then one step
/// per doubling, so a queue at 25× its target does not flatten cpu at 0.9×.
fn ratio_scale(y: f64) -> f64 {
    if y <= 1.0 { y } else { 1.0 + y.log2() }
}

/// The ratio a point of [`ratio_scale`] stands for.
fn ratio_label(s: f64) -> String {
    let y = if s <= 1.0 { s } else { 2f64.powf(s - 1.0) };
    format!("{}×", fmt::short((y * 100.0).round() / 100.0))
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Round ticks from 0 to `max` (about four intervals).
fn value_ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0];
    }
    let raw = max / 4.0;
    let e = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * e)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * e);
    let mut out = Vec::new();
    let mut v = 0.0;
    while v <= max * 1.0001 {
        out.push(v);
        v += step;
    }
    out
}

/// Ticks for a span of seconds at round times (250ms, 5s, 2m, 1h, ...):
/// the axis' end (a whole number of steps) and the ticks.
fn time_value_ticks(max: f64) -> (f64, Vec<f64>) {
    let steps = [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0,
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14_400.0, 43_200.0, 86_400.0,
    ];
    let step = steps
        .iter()
        .copied()
        .find(|s| max / s <= 4.0)
        .unwrap_or(max / 4.0);
    let n = (max / step - 1e-9).ceil().max(1.0);
    (
        (n * step),
        (0..=n as usize).map(|i| i as f64 * step).collect(),
    )
}

/// The canvas' 2D context (the one plotters draws with), for line dashes.
fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Lines of an odd pixel width are drawn half a pixel off, so that they
/// cover whole pixels (plotters draws at integer coordinates).
fn crisp(ctx: &Option<CanvasRenderingContext2d>, width: u32) {
    if let Some(ctx) = ctx {
        let o = if width % 2 == 1 { 0.5 } else { 0.0 };
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, o, o);
    }
}

/// Sets the context's line dash (`[]`: solid) in device pixels.
fn dash(ctx: &Option<CanvasRenderingContext2d>, pattern: &[f64]) {
    if let Some(ctx) = ctx {
        let a = js_sys::Array::new();
        for p in pattern {
            a.push(&(*p).into());
        }
        let _ = ctx.set_line_dash(&a);
    }
}

/// Draws chart `kind` for `frame` on `canvas`, whose CSS size is `size`.
///
/// Right-axis labels are drawn here rather than by plotters' mesh: plotters
/// measures right-hand labels by adding a `<span>` to the page, which costs
/// a layout of the whole page per label.
pub fn draw(
    canvas: &HtmlCanvasElement,
    size: (f64, f64),
    kind: Kind,
    frame: &Frame,
) -> Result<Geometry, String> {
    let (dpr, css_w, _) = fit(canvas, size);
    let ctx2d = context(canvas);
    crisp(&ctx2d, 0);
    dash(&ctx2d, &[]);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let px = |css: f64| (css * dpr).round() as i32;
    let duration = frame.duration.max(1.0);
    let columns = ((css_w - LEFT_AXIS - RIGHT_AXIS) * dpr).max(50.0) as usize;
    let ticks = time_ticks(duration, css_w - LEFT_AXIS - RIGHT_AXIS);
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&LABEL);
    let x_range = || Axis {
        start: 0.0,
        end: duration,
        ticks: ticks.clone(),
    };

    let mut builder = ChartBuilder::on(&root);
    builder
        .margin_top(px(MARGIN))
        .margin_bottom(px(2.0))
        .margin_left(px(MARGIN))
        .margin_right(px(MARGIN))
        .x_label_area_size(px(20.0))
        .y_label_area_size(px(LEFT_AXIS - MARGIN))
        .right_y_label_area_size(px(RIGHT_AXIS - MARGIN));

    let short = |v: &f64| fmt::short(*v);
    let clock = |t: &f64| fmt::clock(*t, duration);
    let thin = dpr.round().max(1.0) as u32;
    let line = (1.6 * dpr).round().max(1.0) as u32;
    let dashes = [5.0 * dpr, 3.5 * dpr];
    let limit_dashes = [6.0 * dpr, 4.0 * dpr];

    // (y range of the right axis, its ticks' labels) for the labels drawn
    // after the chart.
    let right: Option<(f64, Vec<(f64, String)>)>;
    let (xr, yr) = match kind {
        Kind::Capacity => {
            let cap0 = frame
                .variants
                .first()
                .map_or(1.0, |v| v.capacity_per_replica)
                .max(1e-9);
            let mut top: f64 = 0.0;
            let load = frame
                .variants
                .first()
                .map_or(&[][..], |v| col(v, "arrivalRate"));
            for &x in load {
                if x.is_finite() {
                    top = top.max(x);
                }
            }
            for v in &frame.variants {
                let cap = v.capacity_per_replica;
                for name in ["readyReplicas", "desiredReplicas"] {
                    for &x in col(v, name) {
                        top = top.max(x * cap);
                    }
                }
            }
            if let Some(v0) = frame.variants.first() {
                for &x in col(v0, crate::reference::COLUMN) {
                    if x.is_finite() {
                        top = top.max(x * cap0);
                    }
                }
            }
            let y_max = nice_max(top * 1.08);
            let r_max = y_max / cap0;
            right = Some((
                r_max,
                value_ticks(r_max)
                    .into_iter()
                    .filter(|t| t.fract() == 0.0)
                    .map(|t| (t, fmt::short(t)))
                    .collect(),
            ));
            // A secondary coordinate (never labelled by plotters) keeps the
            // primary's labels off the right axis.
            let mut chart = builder
                .build_cartesian_2d(x_range(), 0f64..y_max)
                .map_err(err)?
                .set_secondary_coord(x_range(), 0f64..1.0);
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .axis_style(AXIS)
                .label_style(font(11.0))
                .x_label_formatter(&clock)
                .y_label_formatter(&short)
                .y_labels(5)
                .draw()
                .map_err(err)?;
            if let Some(v0) = frame.variants.first() {
                let ts = col(v0, "t");
                crisp(&ctx2d, thin);
                for l in reduce(ts, load, duration, columns, |x| x) {
                    chart
                        .draw_series(
                            AreaSeries::new(l, 0.0, rgb(LOAD_FILL).mix(0.55))
                                .border_style(rgb(LOAD_LINE).stroke_width(thin)),
                        )
                        .map_err(err)?;
                }
            }
            for (i, v) in frame.variants.iter().enumerate() {
                let color = rgb(variant_color(i));
                let ts = col(v, "t");
                let cap = v.capacity_per_replica;
                dash(&ctx2d, &dashes);
                crisp(&ctx2d, thin);
                chart
                    .draw_series(LineSeries::new(
                        steps(ts, col(v, "desiredReplicas"), cap),
                        color.mix(0.9).stroke_width(thin),
                    ))
                    .map_err(err)?;
                dash(&ctx2d, &[]);
                crisp(&ctx2d, line);
                chart
                    .draw_series(LineSeries::new(
                        steps(ts, col(v, "readyReplicas"), cap),
                        color.stroke_width(line),
                    ))
                    .map_err(err)?;
                // Decisions: a triangle at the new desired count, pointing
                // the way it moved; a row of ticks when there are too many.
                let many = v.decisions.len() > 240;
                let size = px(4.0);
                crisp(&ctx2d, if many { thin } else { 0 });
                for d in &v.decisions {
                    if many {
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(d.time, 0.0), (d.time, y_max * 0.035)],
                                color.stroke_width(thin),
                            )))
                            .map_err(err)?;
                        continue;
                    }
                    let y = d.to as f64 * cap;
                    let shape = if d.to >= d.from {
                        vec![(0, -size), (-size, size), (size, size)]
                    } else {
                        vec![(0, size), (-size, -size), (size, -size)]
                    };
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((d.time, y)) + Polygon::new(shape, color.filled()),
                        ))
                        .map_err(err)?;
                }
            }
            // What production ran (the scenario's `reference:`), dashed.
            if let Some((v0, r)) = frame
                .variants
                .first()
                .and_then(|v| Some((v, v.column(crate::reference::COLUMN)?)))
            {
                dash(&ctx2d, &limit_dashes);
                crisp(&ctx2d, line);
                chart
                    .draw_series(LineSeries::new(
                        steps(col(v0, "t"), r, cap0),
                        rgb(REFERENCE_LINE).stroke_width(line),
                    ))
                    .map_err(err)?;
                dash(&ctx2d, &[]);
            }
            chart.plotting_area().get_pixel_range()
        }
        Kind::Metrics => {
            let names = metric_names(frame);
            let mut series: Vec<MetricSeries> = Vec::new();
            let mut top: f64 = 1.0;
            for (vi, v) in frame.variants.iter().enumerate() {
                let ts = col(v, "t");
                for m in &v.metrics {
                    let Some(target) = m.target.filter(|t| *t > 0.0) else {
                        continue;
                    };
                    let Some(mi) = names.iter().position(|n| *n == metric_label(frame, m)) else {
                        continue;
                    };
                    let vs = col(v, &m.column);
                    for x in vs {
                        if x.is_finite() {
                            top = top.max(x / target);
                        }
                    }
                    let lines = reduce(ts, vs, duration, columns, |x| ratio_scale(x / target));
                    series.push((vi, mi, lines));
                }
            }
            let s_max = ratio_scale(top.max(1.2));
            let s_max = if s_max <= 1.5 { 1.5 } else { s_max.ceil() };
            let mut y_ticks = if s_max > 3.0 {
                vec![0.0, 1.0]
            } else {
                vec![0.0, 0.5, 1.0]
            };
            let mut k = 2.0;
            while k <= s_max + 1e-9 {
                y_ticks.push(k);
                k += 1.0;
            }
            if s_max <= 1.5 {
                y_ticks.push(1.5);
            }
            let y_end = s_max * 1.04;
            let mut chart = builder
                .build_cartesian_2d(
                    x_range(),
                    Axis {
                        start: 0.0,
                        end: y_end,
                        ticks: y_ticks.clone(),
                    },
                )
                .map_err(err)?
                .set_secondary_coord(x_range(), 0f64..1.0);
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .axis_style(AXIS)
                .label_style(font(11.0))
                .x_label_formatter(&clock)
                .y_label_formatter(&|v: &f64| ratio_label(*v))
                .y_labels(12)
                .draw()
                .map_err(err)?;
            right = Some((y_end, Vec::new()));
            dash(&ctx2d, &limit_dashes);
            crisp(&ctx2d, thin);
            chart
                .draw_series(LineSeries::new(
                    vec![(0.0, 1.0), (duration, 1.0)],
                    rgb(LIMIT).stroke_width(thin),
                ))
                .map_err(err)?;
            dash(&ctx2d, &[]);
            crisp(&ctx2d, 0);
            chart
                .draw_series(std::iter::once(Text::new(
                    "target",
                    (duration, 1.0),
                    font(10.5)
                        .color(&rgb(LIMIT))
                        .pos(Pos::new(HPos::Right, VPos::Bottom)),
                )))
                .map_err(err)?;
            crisp(&ctx2d, line);
            for (vi, mi, lines) in series {
                let color = rgb(metric_color(mi));
                dash(&ctx2d, if vi == 0 { &[] } else { &dashes });
                for l in lines {
                    chart
                        .draw_series(LineSeries::new(l, color.stroke_width(line)))
                        .map_err(err)?;
                }
            }
            dash(&ctx2d, &[]);
            chart.plotting_area().get_pixel_range()
        }
        Kind::Latency => {
            let mut q_top: f64 = 0.0;
            let mut l_top: f64 = 0.0;
            let mut slo: f64 = 0.0;
            for v in &frame.variants {
                for &x in col(v, "queue") {
                    if x.is_finite() {
                        q_top = q_top.max(x);
                    }
                }
                for &x in col(v, "latencyP95") {
                    if x.is_finite() {
                        l_top = l_top.max(x);
                    }
                }
                slo = slo.max(v.slo_latency);
            }
            let q_max = nice_max((q_top * 1.08).max(1.0));
            let (l_max, l_ticks) = time_value_ticks((l_top.max(slo) * 1.1).max(0.001));
            right = Some((
                l_max,
                l_ticks
                    .into_iter()
                    .map(|t| (t, fmt::seconds_short(t)))
                    .collect(),
            ));
            let mut chart = builder
                .build_cartesian_2d(x_range(), 0f64..q_max)
                .map_err(err)?
                .set_secondary_coord(x_range(), 0f64..l_max);
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .axis_style(AXIS)
                .label_style(font(11.0))
                .x_label_formatter(&clock)
                .y_label_formatter(&short)
                .y_labels(5)
                .draw()
                .map_err(err)?;
            crisp(&ctx2d, thin);
            for (i, v) in frame.variants.iter().enumerate() {
                let color = rgb(variant_color(i));
                let ts = col(v, "t");
                for l in reduce(ts, col(v, "queue"), duration, columns, |x| x) {
                    chart
                        .draw_series(
                            AreaSeries::new(l, 0.0, color.mix(0.12))
                                .border_style(color.mix(0.55).stroke_width(thin)),
                        )
                        .map_err(err)?;
                }
            }
            if slo > 0.0 {
                dash(&ctx2d, &limit_dashes);
                crisp(&ctx2d, thin);
                chart
                    .draw_secondary_series(LineSeries::new(
                        vec![(0.0, slo), (duration, slo)],
                        rgb(LIMIT).stroke_width(thin),
                    ))
                    .map_err(err)?;
                dash(&ctx2d, &[]);
                crisp(&ctx2d, 0);
                chart
                    .draw_secondary_series(std::iter::once(Text::new(
                        format!("SLO {}", fmt::seconds_short(slo)),
                        (duration, slo),
                        font(10.5)
                            .color(&rgb(LIMIT))
                            .pos(Pos::new(HPos::Right, VPos::Bottom)),
                    )))
                    .map_err(err)?;
            }
            crisp(&ctx2d, line);
            for (i, v) in frame.variants.iter().enumerate() {
                // Later variants see-through, so an identical earlier one
                // still shows under them.
                let color = rgb(variant_color(i)).mix(if i == 0 { 1.0 } else { 0.75 });
                let ts = col(v, "t");
                for l in reduce(ts, col(v, "latencyP95"), duration, columns, |x| x) {
                    chart
                        .draw_secondary_series(LineSeries::new(l, color.stroke_width(line)))
                        .map_err(err)?;
                }
            }
            chart.plotting_area().get_pixel_range()
        }
    };

    // The right axis: its line, ticks and labels.
    dash(&ctx2d, &[]);
    if let Some((max, labels)) = right {
        let x = xr.end;
        let (top, bottom) = (yr.start, yr.end);
        crisp(&ctx2d, thin);
        root.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            AXIS.stroke_width(thin),
        ))
        .map_err(err)?;
        let at = |v: f64| bottom - ((v / max) * f64::from(bottom - top)).round() as i32;
        for (v, _) in &labels {
            let y = at(*v);
            root.draw(&PathElement::new(
                vec![(x, y), (x + px(4.0), y)],
                AXIS.stroke_width(thin),
            ))
            .map_err(err)?;
        }
        crisp(&ctx2d, 0);
        let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
        for (v, label) in labels {
            root.draw(&Text::new(label, (x + px(6.0), at(v)), style.clone()))
                .map_err(err)?;
        }
    }
    root.present().map_err(err)?;
    Ok(Geometry {
        left: f64::from(xr.start) / dpr,
        right: f64::from(xr.end) / dpr,
        width: css_w,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduction_keeps_extremes() {
        let ts: Vec<f64> = (0..10_000).map(f64::from).collect();
        let vs: Vec<f64> = (0..10_000)
            .map(|i| if i == 5_003 { 100.0 } else { 1.0 })
            .collect();
        let lines = reduce(&ts, &vs, 10_000.0, 100, |x| x);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].len() <= 400);
        assert!(lines[0].iter().any(|&(t, v)| t == 5_003.0 && v == 100.0));
    }

    #[test]
    fn reduction_splits_at_gaps() {
        let ts: Vec<f64> = (0..10).map(f64::from).collect();
        let vs = [1.0, 2.0, f64::NAN, f64::NAN, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        assert_eq!(reduce(&ts, &vs, 10.0, 100, |x| x).len(), 2);
    }

    #[test]
    fn steps_mark_changes_only() {
        let ts = [0.0, 1.0, 2.0, 3.0, 4.0];
        let vs = [2.0, 2.0, 3.0, 3.0, 3.0];
        assert_eq!(
            steps(&ts, &vs, 10.0),
            vec![(0.0, 20.0), (2.0, 20.0), (2.0, 30.0), (4.0, 30.0)]
        );
    }

    #[test]
    fn ticks_and_bounds_are_round() {
        assert_eq!(time_ticks(6.0 * 3600.0, 600.0).len(), 7);
        assert_eq!(nice_max(87.0), 100.0);
        assert_eq!(nice_max(1.3), 1.5);
    }
}
