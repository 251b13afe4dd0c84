//! The charts pane: three canvases with their legends, the time cursor
//! across them (drag on any chart, or use the slider and its keys), and
//! the redraw on a new result or a new size.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlCanvasElement, HtmlInputElement, PointerEvent};
use yew::prelude::*;

use crate::charts::{self, Geometry, Kind};
use crate::fmt;
use crate::frame::Frame;

/// Properties of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What to draw.
    pub frame: Option<Rc<Frame>>,
    /// Whether the frame belongs to an older text (the current one has errors).
    pub stale: bool,
    /// The cursor, seconds.
    pub cursor: f64,
    /// The cursor moved (seconds, and the event's time stamp).
    pub on_cursor: Callback<(f64, f64)>,
    /// A frame was drawn (its generation, and the milliseconds it took).
    pub on_drawn: Callback<(u64, f64)>,
}

/// What was drawn last: the frame, the canvases' CSS sizes, the pixel ratio.
type Drawn = (*const Frame, [(f64, f64); 3], u64);

/// A `ResizeObserver` and its callback (kept alive with it).
type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

/// The charts pane.
pub struct Charts {
    canvases: [NodeRef; 3],
    geometry: Geometry,
    drawn: Option<Drawn>,
    dragging: bool,
    /// Each canvas' CSS size, kept up to date by a `ResizeObserver` (read
    /// here rather than from the layout, which would force one per draw).
    sizes: Rc<RefCell<[(f64, f64); 3]>>,
    observer: Option<Observer>,
    _resize: Option<EventListener>,
}

/// Messages of [`Charts`].
pub enum Msg {
    /// The window changed size.
    Resize,
    /// A pointer went down on a chart.
    Down(PointerEvent),
    /// A pointer moved.
    Move(PointerEvent),
    /// A pointer went up.
    Up,
    /// The plotting area moved: place the cursor again.
    Placed,
}

const KINDS: [Kind; 3] = [Kind::Capacity, Kind::Metrics, Kind::Latency];

impl Drop for Charts {
    fn drop(&mut self) {
        if let Some((observer, _)) = &self.observer {
            observer.disconnect();
        }
    }
}

impl Component for Charts {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let resize = web_sys::window()
            .map(|w| EventListener::new(&w, "resize", move |_| link.send_message(Msg::Resize)));
        Self {
            canvases: Default::default(),
            geometry: Geometry::default(),
            drawn: None,
            dragging: false,
            sizes: Rc::default(),
            observer: None,
            _resize: resize,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Resize => {
                self.drawn = None;
                self.draw(ctx)
            }
            Msg::Down(e) => {
                if e.button() != 0 {
                    return false;
                }
                self.dragging = true;
                // Capture on the canvas itself: Yew delegates events from the
                // root, so `current_target` would be the root element.
                if let Some(target) = e.target() {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = target.dyn_into::<web_sys::Element>() {
                        let _ = el.set_pointer_capture(e.pointer_id());
                    }
                }
                self.pointer(ctx, &e);
                false
            }
            Msg::Move(e) => {
                if self.dragging {
                    self.pointer(ctx, &e);
                }
                false
            }
            Msg::Up => {
                self.dragging = false;
                false
            }
            Msg::Placed => true,
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let frame = p.frame.as_deref();
        let duration = frame.map_or(3600.0, |f| f.duration);
        let g = self.geometry;
        let x = if g.right > g.left {
            g.left + (p.cursor / duration).clamp(0.0, 1.0) * (g.right - g.left)
        } else {
            -10.0
        };
        let titles = [
            (
                "Load and ready capacity",
                "left axis: work items per second; right axis: replicas",
            ),
            (
                "Metrics ÷ target",
                "each metric as the autoscaler saw it, divided by its target; above 1× it asks for more replicas",
            ),
            (
                "Queue and p95 latency",
                "left axis: work waiting; right axis: p95 latency against the SLO",
            ),
        ];
        let figures = KINDS.iter().enumerate().map(|(i, kind)| {
            let (title, sub) = titles[i];
            let down = ctx.link().callback(Msg::Down);
            let moved = ctx.link().callback(Msg::Move);
            let up = ctx.link().callback(|_: PointerEvent| Msg::Up);
            let id = match kind {
                Kind::Capacity => "chart-capacity",
                Kind::Metrics => "chart-metrics",
                Kind::Latency => "chart-latency",
            };
            html! {
                <figure class="chart">
                    <figcaption>
                        <span class="title" title={sub}>{ title }</span>
                        <span class="legend">{ legend(*kind, frame) }</span>
                    </figcaption>
                    <div class="plot" onpointerdown={down} onpointermove={moved}
                        onpointerup={up.clone()} onpointercancel={up}>
                        <canvas id={id} ref={self.canvases[i].clone()} role="img"
                            aria-label={format!("{title} chart")}></canvas>
                        <div class="cursor-line" style={format!("left:{x:.1}px")}></div>
                    </div>
                </figure>
            }
        });
        let on_cursor = p.on_cursor.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let v = input.value_as_number();
            if v.is_finite() {
                on_cursor.emit((v, e.time_stamp()));
            }
        });
        let step = slider_step(duration);
        let class = if p.stale { "charts stale" } else { "charts" };
        html! {
            <section class={class} aria-label="Charts">
                if frame.is_none() {
                    <div class="charts-empty">{ "Running the simulation…" }</div>
                }
                { for figures }
                <div class="scrub">
                    <label for="cursor">{ "Time" }</label>
                    <input id="cursor" type="range" min="0" max={duration.to_string()}
                        step={step.to_string()} value={p.cursor.to_string()}
                        aria-valuetext={fmt::clock_full(p.cursor)} {oninput} />
                    <output for="cursor" id="cursor-time">{ fmt::clock_full(p.cursor) }</output>
                </div>
            </section>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        if first {
            self.observe(ctx);
        }
        if self.draw(ctx) {
            ctx.link().send_message(Msg::Placed);
        }
    }
}

impl Charts {
    /// Draws when the frame or the size changed; `true` when the plotting
    /// area moved (the cursor must be placed again).
    fn draw(&mut self, ctx: &Context<Self>) -> bool {
        let Some(frame) = ctx.props().frame.clone() else {
            return false;
        };
        let sizes = *self.sizes.borrow();
        if sizes[0].0 <= 0.0 {
            return false;
        }
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let key = (Rc::as_ptr(&frame), sizes, dpr.to_bits());
        if self.drawn == Some(key) {
            return false;
        }
        self.drawn = Some(key);
        let started = crate::sim::now();
        let mut geometry = self.geometry;
        for (i, kind) in KINDS.iter().enumerate() {
            let Some(canvas) = self.canvases[i].cast::<HtmlCanvasElement>() else {
                continue;
            };
            match charts::draw(&canvas, sizes[i], *kind, &frame) {
                Ok(g) => {
                    if i == 0 {
                        geometry = g;
                    }
                }
                Err(e) => {
                    web_sys::console::warn_1(&format!("replicast: chart: {e}").into());
                }
            }
        }
        ctx.props()
            .on_drawn
            .emit((frame.generation, crate::sim::now() - started));
        let moved = geometry != self.geometry;
        self.geometry = geometry;
        moved
    }

    /// Watches the canvases' sizes; a change redraws.
    fn observe(&mut self, ctx: &Context<Self>) {
        let canvases: Vec<HtmlCanvasElement> = self
            .canvases
            .iter()
            .filter_map(NodeRef::cast::<HtmlCanvasElement>)
            .collect();
        {
            // The first size, read once.
            let mut sizes = self.sizes.borrow_mut();
            for (i, c) in canvases.iter().enumerate() {
                sizes[i] = (f64::from(c.client_width()), f64::from(c.client_height()));
            }
        }
        let sizes = self.sizes.clone();
        let link = ctx.link().clone();
        let ids: Vec<String> = canvases.iter().map(|c| c.id()).collect();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let mut changed = false;
            for entry in entries.iter() {
                let Ok(entry) = entry.dyn_into::<web_sys::ResizeObserverEntry>() else {
                    continue;
                };
                let id = entry.target().id();
                let Some(i) = ids.iter().position(|x| *x == id) else {
                    continue;
                };
                let rect = entry.content_rect();
                let size = (rect.width().round(), rect.height().round());
                let mut all = sizes.borrow_mut();
                if all[i] != size {
                    all[i] = size;
                    changed = true;
                }
            }
            if changed {
                link.send_message(Msg::Resize);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            for c in &canvases {
                observer.observe(c);
            }
            self.observer = Some((observer, callback));
        }
    }

    fn pointer(&self, ctx: &Context<Self>, e: &PointerEvent) {
        let Some(canvas) = self.canvases[0].cast::<HtmlCanvasElement>() else {
            return;
        };
        let Some(frame) = ctx.props().frame.as_deref() else {
            return;
        };
        let g = self.geometry;
        if g.right <= g.left {
            return;
        }
        // Every plot has the same left edge as the first canvas.
        let left = canvas.get_bounding_client_rect().left();
        let x = f64::from(e.client_x()) - left;
        let t = ((x - g.left) / (g.right - g.left)).clamp(0.0, 1.0) * frame.duration;
        ctx.props().on_cursor.emit((t.round(), e.time_stamp()));
    }
}

/// The cursor slider's step: about 1000 positions, rounded to a whole
/// number of seconds.
pub fn slider_step(duration: f64) -> f64 {
    let raw = duration / 1000.0;
    [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0]
        .into_iter()
        .find(|s| *s >= raw)
        .unwrap_or(600.0)
}

fn swatch(color: (u8, u8, u8), style: &str) -> Html {
    let (r, g, b) = color;
    html! { <i class={format!("sw {style}")} style={format!("--c:rgb({r},{g},{b})")}></i> }
}

fn legend(kind: Kind, frame: Option<&Frame>) -> Html {
    let Some(frame) = frame else {
        return html! {};
    };
    let many = frame.variants.len() > 1;
    let variants = frame.variants.iter().enumerate().map(|(i, v)| {
        html! { <span class="item">{ swatch(charts::variant_color(i), "line") }{ &v.name }</span> }
    });
    match kind {
        Kind::Capacity => html! {
            <>
                <span class="item">{ swatch(charts::LOAD_FILL, "area") }{ "load" }</span>
                { for variants }
                <span class="item aside">{ "— ready · - - desired · ▲▼ decision" }</span>
            </>
        },
        Kind::Metrics => {
            let names = charts::metric_names(frame);
            let items = names.iter().enumerate().map(|(i, n)| {
                let target = frame
                    .variants
                    .iter()
                    .flat_map(|v| v.metrics.iter())
                    .find(|m| charts::metric_label(frame, m) == *n)
                    .and_then(|m| m.target.map(|t| format!("{}{}", fmt::short(t), m.unit)))
                    .unwrap_or_default();
                html! { <span class="item">{ swatch(charts::metric_color(i), "line") }{ format!("{n} ({target})") }</span> }
            });
            html! {
                <>
                    { for items }
                    if many {
                        <span class="item aside">{ format!("— {} · - - others", frame.variants[0].name) }</span>
                    }
                </>
            }
        }
        Kind::Latency => html! {
            <>
                { for variants }
                <span class="item">{ swatch(charts::LIMIT, "dash") }{ "SLO" }</span>
                <span class="item aside">{ "area queue · line p95" }</span>
            </>
        },
    }
}
