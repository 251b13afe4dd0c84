//! The Tune pane's chart: the frontier (objective against the frontier
//! field, seconds over the SLO by default), the configuration as written
//! marked, the best ringed. A click picks the nearest point.

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::{HtmlCanvasElement, MouseEvent};
use yew::prelude::*;

use crate::charts::{fit, variant_color};

/// One point drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// The objective.
    pub x: f64,
    /// The frontier field.
    pub y: f64,
    /// Whether it meets every constraint.
    pub feasible: bool,
}

/// The chart's data.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierData {
    /// The frontier, by objective.
    pub points: Vec<Dot>,
    /// The configuration as written.
    pub baseline: Dot,
    /// Which point is the best.
    pub best: Option<usize>,
    /// The axes' names.
    pub labels: (String, String),
}

/// Properties of [`FrontierChart`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What to draw.
    pub data: Rc<FrontierData>,
    /// Told the index of the point clicked.
    pub on_pick: Callback<usize>,
}

/// The frontier on a canvas.
pub struct FrontierChart {
    canvas: NodeRef,
    /// Each point's place, CSS pixels.
    places: Vec<(f64, f64)>,
}

const SIZE: (f64, f64) = (320.0, 210.0);

impl Component for FrontierChart {
    type Message = ();
    type Properties = Props;

    fn create(_ctx: &Context<Self>) -> Self {
        FrontierChart {
            canvas: NodeRef::default(),
            places: Vec::new(),
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let places = self.places.clone();
        let pick = ctx.props().on_pick.clone();
        let canvas = self.canvas.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let r = c.get_bounding_client_rect();
            let at = (
                f64::from(e.client_x()) - r.left(),
                f64::from(e.client_y()) - r.top(),
            );
            if let Some(i) = nearest(&places, at, 14.0) {
                pick.emit(i);
            }
        });
        html! {
            <canvas id="frontier" ref={self.canvas.clone()} class="frontier" {onclick}
                role="img" aria-label="The frontier: objective against seconds over the SLO; click a point to compare it"
                style={format!("width:{}px;height:{}px", SIZE.0, SIZE.1)} />
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        match draw(&canvas, &ctx.props().data) {
            Ok(places) => self.places = places,
            Err(e) => web_sys::console::warn_1(&format!("replicast: frontier: {e}").into()),
        }
    }
}

/// The index of the place nearest `at`, within `radius`.
pub fn nearest(places: &[(f64, f64)], at: (f64, f64), radius: f64) -> Option<usize> {
    places
        .iter()
        .map(|p| (p.0 - at.0).hypot(p.1 - at.1))
        .enumerate()
        .filter(|(_, d)| *d <= radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// A range around `values` with a margin (never empty).
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs().max(1.0) * 0.02);
    (lo - pad, hi + pad)
}

fn draw(canvas: &HtmlCanvasElement, data: &FrontierData) -> Result<Vec<(f64, f64)>, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let (dpr, _, _) = fit(canvas, SIZE);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let all = || data.points.iter().chain(std::iter::once(&data.baseline));
    let xs = span(all().map(|d| d.x));
    let ys = span(all().map(|d| d.y));
    let px = |v: f64| (v * dpr).round() as i32;
    let font = ("sans-serif", 11.0 * dpr).into_font();
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .x_label_area_size(px(30.0))
        .y_label_area_size(px(44.0))
        .build_cartesian_2d(xs.0..xs.1, ys.0..ys.1)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(data.labels.0.as_str())
        .y_desc(data.labels.1.as_str())
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_labels(5)
        .y_labels(5)
        .light_line_style(RGBColor(238, 241, 245))
        .draw()
        .map_err(|e| err(&e))?;
    let (r, g, b) = variant_color(1);
    let tuned = RGBColor(r, g, b);
    let grey = RGBColor(148, 163, 184);
    let size = px(4.0) as u32;
    chart
        .draw_series(
            data.points.windows(2).map(|w| {
                PathElement::new(vec![(w[0].x, w[0].y), (w[1].x, w[1].y)], tuned.mix(0.4))
            }),
        )
        .map_err(|e| err(&e))?;
    chart
        .draw_series(data.points.iter().map(|d| {
            let color = if d.feasible { tuned } else { grey };
            Circle::new((d.x, d.y), size, color.filled())
        }))
        .map_err(|e| err(&e))?;
    if let Some(p) = data.best.and_then(|i| data.points.get(i)) {
        chart
            .draw_series(std::iter::once(Circle::new(
                (p.x, p.y),
                size * 2,
                tuned.stroke_width(px(1.5) as u32),
            )))
            .map_err(|e| err(&e))?;
    }
    let b = &data.baseline;
    chart
        .draw_series(std::iter::once(TriangleMarker::new(
            (b.x, b.y),
            size + 2,
            BLACK.filled(),
        )))
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(data
        .points
        .iter()
        .map(|d| {
            let (x, y) = chart.backend_coord(&(d.x, d.y));
            (f64::from(x) / dpr, f64::from(y) / dpr)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_place_within_reach() {
        let places = [(10.0, 10.0), (50.0, 40.0), (52.0, 44.0)];
        assert_eq!(nearest(&places, (51.0, 43.0), 14.0), Some(2));
        assert_eq!(nearest(&places, (12.0, 9.0), 14.0), Some(0));
        assert_eq!(nearest(&places, (200.0, 200.0), 14.0), None);
    }

    #[test]
    fn spans_pad_and_never_collapse() {
        assert_eq!(span([].into_iter()), (0.0, 1.0));
        let (lo, hi) = span([5.0, 5.0].into_iter());
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, hi) = span([0.0, 100.0, f64::INFINITY].into_iter());
        assert!(lo < 0.0 && hi > 100.0 && hi < 120.0);
    }
}
