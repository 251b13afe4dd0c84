//! The playground page: its state (the scenario text, nothing else that
//! matters), what each input does to it, and the page's layout.

use std::collections::HashMap;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect};
use replicast_engine::lint::Finding;
use replicast_engine::sim::Scenario;
use replicast_engine::{Notice, Problem};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, MessageEvent};
use yew::prelude::*;

use crate::chartview::Charts;
use crate::doc::{Doc, KeyPath};
use crate::editor::{Editor, Mark};
use crate::frame::Frame;
use crate::model::{self, Field, Unit};
use crate::presets::{self, PRESETS};
use crate::sim::{self, Outcome, Pool};
use crate::text::{self, Embedded};
use crate::{assume, emit, panes, path, share};

/// The left pane's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The YAML editor.
    Yaml,
    /// The load segments and the run's length.
    Load,
    /// The workload and cost.
    Workload,
}

/// What the editor shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The whole scenario.
    Scenario,
    /// The top-level `manifests: |` block.
    Manifests,
    /// `variants[i].manifests: |`.
    Variant(usize),
}

/// What the readout and summary know about each variant before a run:
/// from the engine's reading of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantInfo {
    /// The variant's name.
    pub name: String,
    /// Readiness probes of the scale target: (initial delay, period) s.
    pub readiness: Vec<(f64, f64)>,
    /// The scale target's name.
    pub target: String,
    /// The workload model with defaults applied.
    pub workload: replicast_engine::sim::scenario::WorkloadModel,
    /// Cost per replica-hour and currency.
    pub cost: (f64, String),
}

/// The engine's reading of the last valid text.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    /// Run length, seconds.
    pub duration: f64,
    /// Resolution, seconds.
    pub step: f64,
    /// The variants.
    pub variants: Vec<VariantInfo>,
}

impl Info {
    fn from(s: &Scenario) -> Info {
        Info {
            duration: s.duration.as_secs_f64(),
            step: s.step.as_secs_f64(),
            variants: s
                .variants
                .iter()
                .map(|v| VariantInfo {
                    name: v.name.clone(),
                    readiness: v
                        .target
                        .readiness
                        .iter()
                        .map(|p| (p.initial_delay.as_secs_f64(), p.period.as_secs_f64()))
                        .collect(),
                    target: format!("{} {}", v.target.kind, v.target.name),
                    workload: v.workload.clone(),
                    cost: (v.cost.per_replica_hour, v.cost.currency.clone()),
                })
                .collect(),
        }
    }
}

/// Timings the page keeps for itself and exposes as `window.__replicast`
/// (the browser tests read them).
struct Perf {
    js: Object,
}

impl Perf {
    fn new() -> Perf {
        let js = Object::new();
        for k in [
            "redraw",
            "scrub",
            "runs",
            "check",
            "draw",
            "decode",
            "toWorker",
            "fromWorker",
        ] {
            let _ = Reflect::set(&js, &k.into(), &Array::new());
        }
        if let Some(w) = web_sys::window() {
            let _ = Reflect::set(&w, &"__replicast".into(), &js);
        }
        Perf { js }
    }

    fn push(&self, key: &str, ms: f64) {
        if let Ok(a) = Reflect::get(&self.js, &key.into()) {
            let a: Array = a.unchecked_into();
            if a.length() >= 2000 {
                a.shift();
            }
            a.push(&ms.into());
        }
    }

    fn set(&self, key: &str, v: JsValue) {
        let _ = Reflect::set(&self.js, &key.into(), &v);
    }

    fn has(&self, key: &str) -> bool {
        Reflect::get(&self.js, &key.into()).is_ok_and(|v| !v.is_undefined())
    }
}

/// Messages of [`App`].
pub enum Msg {
    /// Load preset `i`.
    Preset(usize),
    /// Show a tab.
    Tab(Tab),
    /// Show a view in the editor.
    View(View),
    /// The editor's text changed (text, event time stamp).
    Edit(String, f64),
    /// A number field changed (field, value, time stamp).
    Number(Field, f64, f64),
    /// A text field changed (path, value).
    Text(KeyPath, String),
    /// Add a load segment of this kind.
    AddSegment(String),
    /// Remove load segment `i`.
    RemoveSegment(usize),
    /// A CSV file was read for trace segment `i` (`None`: a new segment).
    Csv(Option<usize>, String),
    /// A file was dropped on the page (its name and text): a CSV becomes a
    /// trace segment, YAML the scenario (or its manifests).
    DropFile(String, String),
    /// Duplicate the shown configuration into a new variant.
    Duplicate,
    /// Remove variant `i`.
    RemoveVariant(usize),
    /// Move the cursor (seconds, time stamp).
    Cursor(f64, f64),
    /// Jump to the previous (-1) or next (+1) decision.
    Jump(i32),
    /// A worker's message.
    Worker(usize, MessageEvent),
    /// A frame was drawn (its generation, milliseconds drawing took).
    Drawn(u64, f64),
    /// Write the URL fragment.
    FlushUrl,
    /// Copy the share link.
    Share,
    /// Hide the share popover.
    CloseShare,
    /// Download the scenario.
    DownloadYaml,
    /// Download the timeline.
    DownloadCsv,
    /// Put the caret at a problem (index into the problems).
    FocusProblem(usize),
    /// Put the caret at the readiness probe.
    FocusProbe,
    /// Open (or close) an assumption's or an unmapped metric's chooser.
    Choose(Option<assume::Open>),
    /// Map a metric to a signal in `signals:` (metric, signal).
    MapSignal(String, String),
    /// Write the assumed load as the scenario's `load:`.
    KeepLoad(String),
    /// Set `workload.mode`.
    SetMode(String),
}

/// The playground.
pub struct App {
    text: Rc<str>,
    generation: u64,
    doc: Option<Rc<Doc>>,
    problems: Rc<Vec<Problem>>,
    /// The located warnings of a scenario that reads (unknown fields in
    /// its manifests), each place once: shown like problems, in amber.
    notices: Rc<Vec<Notice>>,
    /// The linter's findings on the scenario's manifests (`lint_text`).
    findings: Rc<Vec<Finding>>,
    assumptions: Rc<Vec<replicast_engine::sim::Assumption>>,
    open: Option<assume::Open>,
    info: Option<Rc<Info>>,
    frame: Option<Rc<Frame>>,
    sim_error: Option<String>,
    pool: Pool,
    preset: Option<usize>,
    tab: Tab,
    view: View,
    editor_text: Rc<str>,
    embedded: Option<Embedded>,
    focus: Option<(u32, u32, u64)>,
    nonce: u64,
    cursor: f64,
    ranges: HashMap<String, (f64, f64, f64)>,
    ranges_duration: f64,
    pending: Option<(u64, f64)>,
    scrub: Option<f64>,
    perf: Perf,
    url_timer: Option<Timeout>,
    share_open: bool,
    notice: Option<String>,
    main: NodeRef,
    /// Callbacks made once, so that the editor and the charts (whose
    /// properties compare them by identity) re-render only when their data
    /// changes.
    on_edit: Callback<(String, f64)>,
    on_cursor: Callback<(f64, f64)>,
    on_drawn: Callback<(u64, f64)>,
    /// Files dropped anywhere on the page (and no navigation away to them).
    _drop: Vec<gloo::events::EventListener>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let workers = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency())
            .unwrap_or(2.0)
            .clamp(2.0, 4.0) as usize;
        let pool = Pool::new(workers, move |slot, e| {
            link.send_message(Msg::Worker(slot, e));
        });
        let link = share::parse_fragment(&share::current_fragment());
        let unreadable = link.unreadable;
        let (text, preset): (String, Option<usize>) = match (&link.text, &link.preset) {
            (Some(t), _) => (t.clone(), PRESETS.iter().position(|p| p.text == t)),
            (None, Some(id)) => {
                let i = presets::by_id(id).unwrap_or(0);
                (PRESETS[i].text.to_owned(), Some(i))
            }
            _ => (PRESETS[0].text.to_owned(), Some(0)),
        };
        let cursor = link
            .cursor
            .unwrap_or_else(|| preset.map_or(0.0, |i| PRESETS[i].at));
        let mut app = App {
            text: Rc::from(""),
            generation: 0,
            doc: None,
            problems: Rc::new(Vec::new()),
            notices: Rc::new(Vec::new()),
            findings: Rc::new(Vec::new()),
            assumptions: Rc::new(Vec::new()),
            open: None,
            info: None,
            frame: None,
            sim_error: None,
            pool,
            preset,
            tab: Tab::Yaml,
            view: View::Manifests,
            editor_text: Rc::from(""),
            embedded: None,
            focus: None,
            nonce: 0,
            cursor,
            ranges: HashMap::new(),
            ranges_duration: 0.0,
            pending: None,
            scrub: None,
            perf: Perf::new(),
            url_timer: None,
            share_open: false,
            notice: None,
            main: NodeRef::default(),
            on_edit: ctx.link().callback(|(v, s)| Msg::Edit(v, s)),
            on_cursor: ctx.link().callback(|(t, s)| Msg::Cursor(t, s)),
            on_drawn: ctx.link().callback(|(g, ms)| Msg::Drawn(g, ms)),
            _drop: drop_listeners(ctx.link().clone()),
        };
        app.perf.set("workers", (app.pool.threaded()).into());
        if unreadable {
            app.notice = Some(
                "The link's scenario could not be read (cut short when copied?): showing a preset instead."
                    .into(),
            );
        }
        app.set_text(ctx, text, None, false);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Preset(i) => {
                self.preset = Some(i);
                self.cursor = PRESETS[i].at;
                self.ranges.clear();
                self.view = View::Manifests;
                self.notice = None;
                self.set_text(ctx, PRESETS[i].text.to_owned(), None, false);
                true
            }
            Msg::Tab(t) => {
                self.tab = t;
                true
            }
            Msg::View(v) => {
                self.view = v;
                self.tab = Tab::Yaml;
                self.refresh_editor();
                true
            }
            Msg::Edit(value, stamp) => {
                self.notice = None;
                self.edit(ctx, value, stamp);
                true
            }
            Msg::Number(field, v, stamp) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                let out = doc.set(&field.path, field.json(v), &field.scalar(v));
                self.set_text(ctx, out, Some(stamp), false);
                true
            }
            Msg::Text(path, v) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                let v = v.trim().to_owned();
                let out = doc.set(&path, Value::String(v.clone()), &emit::string(&v));
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::AddSegment(kind) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                let d = self.info.as_ref().map_or(3600.0, |i| i.duration);
                let out = model::add_segment(&doc, model::new_segment(&kind, d));
                self.tab = Tab::Load;
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::RemoveSegment(i) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                let out = model::remove_segment(&doc, i);
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::Csv(index, csv) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                let csv = if csv.ends_with('\n') { csv } else { csv + "\n" };
                let out = match index {
                    Some(i) => doc.set(
                        &path!["load", i, "trace", "csv"],
                        Value::String(csv.clone()),
                        &serde_json::to_string(&csv).unwrap_or_default(),
                    ),
                    None => model::add_segment(&doc, serde_json::json!({"trace": {"csv": csv}})),
                };
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::DropFile(name, content) => {
                let csv = name.to_ascii_lowercase().ends_with(".csv")
                    || content.trim_start().to_ascii_lowercase().starts_with("t,");
                if csv {
                    return <Self as Component>::update(self, ctx, Msg::Csv(None, content));
                }
                // YAML: as if pasted over the editor's whole text.
                self.tab = Tab::Yaml;
                self.view = View::Scenario;
                if !text::looks_like_manifests(&content) {
                    self.preset = None;
                }
                self.refresh_editor();
                self.edit(ctx, content, sim::now());
                true
            }
            Msg::Duplicate => {
                self.duplicate(ctx);
                true
            }
            Msg::RemoveVariant(i) => {
                self.remove_variant(ctx, i);
                true
            }
            Msg::Cursor(t, stamp) => {
                let d = self.duration();
                self.cursor = t.clamp(0.0, d);
                self.scrub = Some(stamp);
                self.schedule_url(ctx);
                true
            }
            Msg::Jump(dir) => {
                if let Some(t) = self.decision_near(dir) {
                    self.cursor = t;
                    self.schedule_url(ctx);
                    return true;
                }
                false
            }
            Msg::Worker(slot, e) => {
                let started = sim::now();
                let outcome = self.pool.on_message(slot, &e);
                self.perf.push("decode", sim::now() - started);
                if let Some((to, from)) = self.pool.trip.take() {
                    self.perf.push("toWorker", to);
                    self.perf.push("fromWorker", from);
                }
                self.perf_runs();
                self.take(outcome)
            }
            Msg::Drawn(generation, ms) => {
                self.perf.push("draw", ms);
                let t = sim::now();
                if !self.perf.has("firstChart") {
                    self.perf.set("firstChart", t.into());
                }
                if let Some((g, stamp)) = self.pending {
                    if generation >= g {
                        self.perf.push("redraw", t - stamp);
                        self.pending = None;
                    }
                }
                self.perf.set("drawn", (generation as f64).into());
                if let Some(main) = self.main.cast::<web_sys::Element>() {
                    let _ = main.set_attribute("data-drawn", &generation.to_string());
                }
                false
            }
            Msg::FlushUrl => {
                self.url_timer = None;
                share::replace_fragment(&self.fragment());
                false
            }
            Msg::Share => {
                share::replace_fragment(&self.fragment());
                let href = share::href();
                if let Some(clip) = web_sys::window().map(|w| w.navigator().clipboard()) {
                    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
                    let _ = clip.write_text(&href).catch(&ignore);
                    ignore.forget();
                }
                self.share_open = true;
                true
            }
            Msg::CloseShare => {
                self.share_open = false;
                true
            }
            Msg::DownloadYaml => {
                let name = self.preset.map_or("scenario", |i| PRESETS[i].id);
                let _ = share::download(&format!("{name}.yaml"), "application/yaml", &self.text);
                false
            }
            Msg::DownloadCsv => {
                if let Some(frame) = &self.frame {
                    let name = self.preset.map_or("scenario", |i| PRESETS[i].id);
                    let _ = share::download(
                        &format!("{name}-timeline.csv"),
                        "text/csv",
                        &share::timeline_csv(frame),
                    );
                }
                false
            }
            Msg::FocusProblem(i) => {
                let place = match self.problems.get(i) {
                    Some(p) => (p.line, p.column),
                    None => match self.notices.get(i - self.problems.len()) {
                        Some(n) => (n.line, n.column),
                        None => match self
                            .findings
                            .get(i - self.problems.len() - self.notices.len())
                        {
                            Some(f) => (f.line, f.column),
                            None => return false,
                        },
                    },
                };
                let (Some(line), column) = (place.0, place.1.unwrap_or(1)) else {
                    return false;
                };
                self.tab = Tab::Yaml;
                let in_view = self.to_view(line, column);
                let (l, c) = match in_view {
                    Some(lc) => lc,
                    None => {
                        self.view = View::Scenario;
                        self.refresh_editor();
                        (line, column)
                    }
                };
                self.nonce += 1;
                self.focus = Some((l, c, self.nonce));
                true
            }
            Msg::Choose(open) => {
                self.open = open;
                true
            }
            Msg::MapSignal(metric, signal) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                self.open = None;
                let out = assume::with_signal(&doc, &metric, &signal);
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::KeepLoad(flow) => {
                self.open = None;
                let out = assume::with_load(&self.text, &flow);
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::SetMode(mode) => {
                let Some(doc) = self.doc.clone() else {
                    return false;
                };
                self.open = None;
                let out = assume::with_mode(&doc, &mode);
                self.set_text(ctx, out, Some(sim::now()), false);
                true
            }
            Msg::FocusProbe => {
                if !matches!(self.view, View::Manifests | View::Variant(_)) {
                    self.view = View::Manifests;
                    self.refresh_editor();
                }
                let line = self
                    .editor_text
                    .lines()
                    .position(|l| l.trim_start().starts_with("readinessProbe"))
                    .map_or(1, |i| i as u32 + 1);
                self.tab = Tab::Yaml;
                self.nonce += 1;
                self.focus = Some((line, 1, self.nonce));
                true
            }
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if let Some(stamp) = self.scrub.take() {
            self.perf.push("scrub", sim::now() - stamp);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <div class="app" ref={self.main.clone()} data-generation={self.generation.to_string()}>
                { self.header(ctx) }
                <aside class="left" aria-label="Scenario">
                    { self.preset_note() }
                    { self.tabs(ctx) }
                    <div class="tab-body" role="tabpanel" aria-labelledby={match self.tab {
                        Tab::Yaml => "tab-yaml",
                        Tab::Load => "tab-load",
                        Tab::Workload => "tab-workload",
                    }}>
                        { match self.tab {
                            Tab::Yaml => self.yaml_pane(ctx),
                            Tab::Load => panes::load_pane(self.doc.as_deref(), self.info.as_deref(), &self.ranges, link),
                            Tab::Workload => panes::workload_pane(self.doc.as_deref(), self.info.as_deref(), &self.ranges, link),
                        } }
                    </div>
                </aside>
                <main class="middle">
                    if !self.problems.is_empty() && self.frame.is_some() {
                        <div class="banner" role="status">{ "The scenario has errors: the charts show the last scenario that ran." }</div>
                    }
                    if let Some(e) = &self.sim_error {
                        <div class="banner" role="alert">{ format!("The simulation failed: {e}") }</div>
                    }
                    <Charts frame={self.frame.clone()} stale={!self.problems.is_empty()}
                        cursor={self.cursor}
                        on_cursor={self.on_cursor.clone()}
                        on_drawn={self.on_drawn.clone()} />
                </main>
                <aside class="right" aria-label="Results">
                    { panes::readout(self.frame.as_deref(), self.cursor, link) }
                    { panes::summary(self.frame.as_deref()) }
                    { panes::warnings(self.frame.as_deref()) }
                </aside>
            </div>
        }
    }
}

impl App {
    /// The URL fragment for the current view: the preset's id while its
    /// text is unchanged, else the whole text.
    fn fragment(&self) -> String {
        match self.preset {
            Some(i) if *PRESETS[i].text == *self.text => {
                format!("#p={}&t={}", PRESETS[i].id, self.cursor.round() as i64)
            }
            _ => share::fragment(&self.text, self.cursor),
        }
    }

    fn duration(&self) -> f64 {
        self.frame
            .as_ref()
            .map(|f| f.duration)
            .or_else(|| self.info.as_ref().map(|i| i.duration))
            .unwrap_or(3600.0)
    }

    /// Makes `text` the scenario: reads it, checks it, asks for a run.
    fn set_text(
        &mut self,
        ctx: &Context<Self>,
        text: String,
        stamp: Option<f64>,
        keep_editor: bool,
    ) {
        if *self.text == *text && self.generation > 0 {
            return;
        }
        let started = sim::now();
        self.generation += 1;
        let text: Rc<str> = Rc::from(text);
        self.text = text.clone();
        self.doc = Doc::read(&text).map(Rc::new);
        // With workers, ask for the run first (each worker reads and checks
        // the text itself) and check it here for the editor meanwhile.
        let mut submitted = false;
        if self.pool.threaded() {
            if let Some(doc) = self.doc.clone() {
                let variants = match doc.get(&path!["variants"]) {
                    Some(Value::Array(a)) if !a.is_empty() => a.len(),
                    _ => 1,
                };
                let outcome = self
                    .pool
                    .submit(self.generation, text.clone(), &doc.value, variants);
                self.take(outcome);
                submitted = true;
            }
        }
        // RC001 (the engine refuses a manifest) and RC203 (an unknown field)
        // repeat what the problems and notices already show at those lines.
        self.findings = Rc::new(
            replicast_engine::lint::lint_text(&text, &Default::default())
                .unwrap_or_default()
                .into_iter()
                .filter(|f| !matches!(f.rule, "RC001" | "RC203"))
                .collect(),
        );
        match replicast_engine::sim::parse(&text) {
            Ok(scenario) => {
                self.problems = Rc::new(Vec::new());
                self.notices = Rc::new(scenario_notices(&scenario));
                self.assumptions = Rc::new(assume::distinct(&scenario.variants));
                let info = Info::from(&scenario);
                let variants = info.variants.len();
                self.info = Some(Rc::new(info));
                if let (false, Some(doc)) = (submitted, &self.doc) {
                    let outcome =
                        self.pool
                            .submit(self.generation, text.clone(), &doc.value, variants);
                    self.perf_runs();
                    self.take(outcome);
                }
                if let Some(stamp) = stamp {
                    self.pending = Some((self.generation, stamp));
                }
            }
            Err(e) => {
                // Shared manifests fail once per variant: show each problem once.
                let mut problems: Vec<Problem> = Vec::with_capacity(e.problems.len());
                for p in e.problems {
                    let seen = problems.iter().any(|q| {
                        q.line == p.line && q.column == p.column && q.message == p.message
                    });
                    if !seen {
                        problems.push(p);
                    }
                }
                self.problems = Rc::new(problems);
                self.notices = Rc::new(Vec::new());
                self.assumptions = Rc::new(Vec::new());
                self.pending = None;
            }
        }
        self.perf.set("generation", (self.generation as f64).into());
        self.perf.push("check", sim::now() - started);
        self.update_ranges();
        if keep_editor {
            self.embedded = self.find_embedded(self.view).or(self.embedded.clone());
        } else {
            self.refresh_editor();
        }
        self.schedule_url(ctx);
    }

    fn take(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Frame(frame) => {
                if self
                    .frame
                    .as_ref()
                    .is_some_and(|f| f.generation > frame.generation)
                {
                    return false;
                }
                self.cursor = self.cursor.clamp(0.0, frame.duration);
                self.frame = Some(Rc::new(frame));
                self.sim_error = None;
                true
            }
            Outcome::Failed(e) => {
                // A text with problems fails in the workers too: the
                // problems already say why.
                if self.problems.is_empty() {
                    self.sim_error = Some(e);
                }
                true
            }
            Outcome::Pending => false,
        }
    }

    fn perf_runs(&self) {
        if let Some(ms) = self.pool.run_ms.back() {
            let count = Reflect::get(&self.perf.js, &"runs".into())
                .map(|a| a.unchecked_into::<Array>().length())
                .unwrap_or(0) as usize;
            if count < self.pool.run_ms.len() {
                self.perf.push("runs", *ms);
            }
        }
    }

    fn schedule_url(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.url_timer = Some(Timeout::new(300, move || link.send_message(Msg::FlushUrl)));
    }

    /// The embedded block a view shows.
    fn find_embedded(&self, view: View) -> Option<Embedded> {
        let doc = self.doc.as_ref()?;
        let p: KeyPath = match view {
            View::Scenario => return None,
            View::Manifests => path!["manifests"],
            View::Variant(i) => path!["variants", i, "manifests"],
        };
        if !doc.get(&p).is_some_and(Value::is_string) {
            return None;
        }
        let line = doc.key_line(&p)?;
        text::embedded_at(&doc.text, line, "manifests")
    }

    /// Recomputes the editor's text from the scenario for the current view
    /// (falling back to the whole scenario when the view's block is gone).
    fn refresh_editor(&mut self) {
        if self.view != View::Scenario {
            match self.find_embedded(self.view) {
                Some(e) => {
                    self.editor_text = Rc::from(text::embedded_text(&self.text, &e));
                    self.embedded = Some(e);
                    return;
                }
                None if self.doc.is_none() && self.embedded.is_some() => {
                    // The text is not YAML right now: keep the view as typed.
                    return;
                }
                None => self.view = View::Scenario,
            }
        }
        self.embedded = None;
        self.editor_text = self.text.clone();
    }

    fn edit(&mut self, ctx: &Context<Self>, value: String, stamp: f64) {
        match self.view {
            View::Scenario => {
                if text::looks_like_manifests(&value) {
                    // Pasted manifests: wrap them with the current load and workload.
                    let rest = self.rest_of_scenario();
                    let wrapped = presets::wrap_manifests(&value, &rest);
                    self.view = View::Manifests;
                    self.notice = Some(
                        "Your manifests are now the scenario's `manifests`, with the load and workload shown in the other tabs."
                            .into(),
                    );
                    self.set_text(ctx, wrapped, Some(stamp), false);
                } else {
                    self.editor_text = Rc::from(value.as_str());
                    self.set_text(ctx, value, Some(stamp), true);
                }
            }
            View::Manifests | View::Variant(_) => {
                let whole = text::blocks(&value);
                if whole.iter().any(|b| b.key == "manifests")
                    && whole.iter().any(|b| b.key == "load")
                {
                    // A whole scenario pasted into the manifests view.
                    self.view = View::Scenario;
                    self.set_text(ctx, value, Some(stamp), false);
                    return;
                }
                let Some(at) = self.embedded.clone() else {
                    self.view = View::Scenario;
                    self.set_text(ctx, value, Some(stamp), false);
                    return;
                };
                let out = text::set_embedded(&self.text, &at, &value);
                self.editor_text = Rc::from(value.as_str());
                let lines = text::lines(value.trim_end_matches('\n')).len();
                self.embedded = Some(Embedded {
                    end: at.first + lines,
                    ..at
                });
                self.set_text(ctx, out, Some(stamp), true);
            }
        }
    }

    /// The scenario without its manifests and variants (what pasted
    /// manifests are wrapped with; `signals` stay: unused ones are harmless).
    fn rest_of_scenario(&self) -> String {
        let mut out = self.text.to_string();
        for key in ["manifests", "variants"] {
            out = text::set_block(&out, key, None, &[]);
        }
        let kept: Vec<&str> = text::lines(&out)
            .into_iter()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .collect();
        if kept.is_empty() {
            String::new()
        } else {
            kept.join("\n") + "\n"
        }
    }

    /// Problems, then warnings, in the editor's coordinates (those shown
    /// in its view).
    fn marks(&self) -> Vec<Mark> {
        let errors = self
            .problems
            .iter()
            .map(|p| (p.line, p.column, &p.message, false));
        let warnings = self
            .notices
            .iter()
            .map(|n| (n.line, n.column, &n.message, true));
        let findings = self
            .findings
            .iter()
            .map(|f| (f.line, f.column, &f.message, true));
        errors
            .chain(warnings)
            .chain(findings)
            .filter_map(|(line, column, message, warning)| {
                let (line, column) = self.to_view(line?, column.unwrap_or(1))?;
                Some(Mark {
                    line,
                    column,
                    message: message.clone(),
                    warning,
                })
            })
            .collect()
    }

    /// A scenario position in the editor's view, when shown there.
    fn to_view(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        match (&self.view, &self.embedded) {
            (View::Scenario, _) => Some((line, column)),
            (_, Some(e)) => {
                let l = (line as usize).saturating_sub(1);
                (l >= e.first && l < e.end.max(e.first + 1)).then(|| {
                    (
                        (l - e.first + 1) as u32,
                        column.saturating_sub(e.indent as u32).max(1),
                    )
                })
            }
            _ => None,
        }
    }

    fn update_ranges(&mut self) {
        let Some(doc) = &self.doc else {
            return;
        };
        let duration = self.info.as_ref().map_or(3600.0, |i| i.duration);
        if duration != self.ranges_duration {
            // Times slide over the run: a new length gives new ranges.
            self.ranges.clear();
            self.ranges_duration = duration;
        }
        let mut fields: Vec<Field> = model::segments(doc)
            .into_iter()
            .flat_map(|s| s.fields)
            .collect();
        fields.extend(model::workload_fields(doc));
        fields.extend(model::run_fields(doc));
        for f in fields {
            let id = crate::doc::path_id(&f.path);
            self.ranges
                .entry(id)
                .or_insert_with(|| panes::range_for(&f, duration, self.info.as_deref()));
        }
    }

    fn decision_near(&self, dir: i32) -> Option<f64> {
        let frame = self.frame.as_ref()?;
        let mut times: Vec<f64> = frame
            .variants
            .iter()
            .flat_map(|v| v.decisions.iter().map(|d| d.time))
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        if dir < 0 {
            times.into_iter().rev().find(|t| *t < self.cursor - 0.5)
        } else {
            times.into_iter().find(|t| *t > self.cursor + 0.5)
        }
    }

    fn duplicate(&mut self, ctx: &Context<Self>) {
        let Some(doc) = self.doc.clone() else {
            return;
        };
        let top = doc.get(&path!["manifests"]).cloned();
        let mut list: Vec<Value> = match doc.get(&path!["variants"]) {
            Some(Value::Array(a)) => a.clone(),
            _ => vec![serde_json::json!({"name": "A"})],
        };
        let source = match self.view {
            View::Variant(i) => i.min(list.len().saturating_sub(1)),
            _ => 0,
        };
        let mut copy = list
            .get(source)
            .cloned()
            .unwrap_or_else(|| serde_json::json!({}));
        if copy.get("manifests").is_none() {
            if let (Some(m), Some(obj)) = (top, copy.as_object_mut()) {
                obj.insert("manifests".into(), m);
            }
        }
        let taken: Vec<String> = list
            .iter()
            .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let name = ["B", "C", "D", "E", "F", "G", "H"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain((list.len() + 1..).map(|n| format!("variant-{n}")))
            .find(|n| !taken.contains(n))
            .unwrap_or_default();
        if let Some(obj) = copy.as_object_mut() {
            obj.insert("name".into(), Value::String(name));
        }
        list.push(copy);
        let index = list.len() - 1;
        let block = variants_block(&list);
        let out = text::set_block(&self.text, "variants", Some(&block), &["manifests"]);
        self.view = View::Variant(index);
        self.tab = Tab::Yaml;
        self.set_text(ctx, out, Some(sim::now()), false);
    }

    fn remove_variant(&mut self, ctx: &Context<Self>, index: usize) {
        let Some(doc) = self.doc.clone() else {
            return;
        };
        let Some(Value::Array(mut list)) = doc.get(&path!["variants"]).cloned() else {
            return;
        };
        if index >= list.len() {
            return;
        }
        list.remove(index);
        let out = if list.is_empty() {
            text::set_block(&self.text, "variants", None, &[])
        } else {
            text::set_block(&self.text, "variants", Some(&variants_block(&list)), &[])
        };
        self.view = View::Manifests;
        self.set_text(ctx, out, Some(sim::now()), false);
    }

    fn header(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let presets = PRESETS.iter().enumerate().map(|(i, p)| {
            let pressed = self.preset == Some(i);
            html! {
                <button type="button" class="preset" aria-pressed={pressed.to_string()}
                    data-preset={p.id} title={p.kind} onclick={link.callback(move |_| Msg::Preset(i))}>
                    { p.label }
                </button>
            }
        });
        let share_link = share::href();
        html! {
            <header class="top">
                <div class="brand"><span class="logo" aria-hidden="true">{ "▲" }</span><span class="name">{ "replicast" }</span><span class="what">{ "playground" }</span></div>
                <nav class="presets" aria-label="Presets">
                    <span class="label">{ "Presets" }</span>
                    { for presets }
                </nav>
                <div class="actions">
                    <button type="button" id="duplicate" onclick={link.callback(|_| Msg::Duplicate)}
                        title="Copy the shown configuration into a new variant and compare">{ "+ Compare variant" }</button>
                    <button type="button" id="share" onclick={link.callback(|_| Msg::Share)}
                        title="Copy a link that holds the whole scenario">{ "Share link" }</button>
                    <button type="button" id="download-yaml" onclick={link.callback(|_| Msg::DownloadYaml)}>{ "YAML ↓" }</button>
                    <button type="button" id="download-csv" disabled={self.frame.is_none()}
                        onclick={link.callback(|_| Msg::DownloadCsv)}>{ "CSV ↓" }</button>
                </div>
                if self.share_open {
                    <div class="popover" role="dialog" aria-label="Share link"
                        onkeydown={link.batch_callback(|e: KeyboardEvent| (e.key() == "Escape").then_some(Msg::CloseShare))}>
                        <label for="share-link">{ "Link to this exact view (copied):" }</label>
                        <input id="share-link" readonly=true autofocus=true value={share_link} onfocus={Callback::from(|e: FocusEvent| {
                            let input: HtmlInputElement = e.target_unchecked_into();
                            input.select();
                        })} />
                        <button type="button" onclick={link.callback(|_| Msg::CloseShare)}>{ "Close" }</button>
                    </div>
                }
            </header>
        }
    }

    fn preset_note(&self) -> Html {
        let Some(i) = self.preset else {
            return html! {};
        };
        let p = &PRESETS[i];
        let changed = *self.text != *p.text;
        html! {
            <details class="note" id="preset-note" open=true>
                <summary>
                    <h2>{ p.label }<span class="kind">{ p.kind }</span>
                        if changed { <span class="edited">{ "edited" }</span> }
                    </h2>
                </summary>
                <p>{ p.note }</p>
                <p class="look"><b>{ "Look: " }</b>{ p.look }</p>
            </details>
        }
    }

    fn tabs(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let tab = |t: Tab, label: &str, id: &str| {
            let selected = self.tab == t;
            html! {
                <button type="button" role="tab" id={id.to_owned()} aria-selected={selected.to_string()}
                    class={if selected { "tab on" } else { "tab" }}
                    onclick={link.callback(move |_| Msg::Tab(t))}>{ label.to_owned() }</button>
            }
        };
        let count = self.problems.len();
        let warnings = self.notices.len() + self.findings.len();
        html! {
            <div class="tabs" role="tablist" aria-label="Edit">
                { tab(Tab::Yaml, "YAML", "tab-yaml") }
                { tab(Tab::Load, "Load", "tab-load") }
                { tab(Tab::Workload, "Workload", "tab-workload") }
                if count > 0 {
                    <span class="error-count" role="status">{ format!("{count} error{}", if count == 1 { "" } else { "s" }) }</span>
                } else if warnings > 0 {
                    <span class="warning-count" role="status">{ format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }) }</span>
                }
            </div>
        }
    }

    fn yaml_pane(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let variant_names: Vec<(usize, String, bool)> = self
            .doc
            .as_ref()
            .and_then(|d| d.get(&path!["variants"]))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        (
                            i,
                            v.get("name")
                                .and_then(Value::as_str)
                                .unwrap_or("?")
                                .to_owned(),
                            v.get("manifests").is_some_and(Value::is_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let has_top = self
            .doc
            .as_ref()
            .is_some_and(|d| d.get(&path!["manifests"]).is_some_and(Value::is_string));
        let view_button = |v: View, label: String, id: String, name: String| {
            let on = self.view == v;
            html! {
                <button type="button" id={id} class={if on { "seg on" } else { "seg" }} aria-label={name}
                    aria-pressed={on.to_string()} onclick={link.callback(move |_| Msg::View(v))}>{ label }</button>
            }
        };
        let variant_buttons = variant_names.iter().map(|(i, name, own)| {
            let i = *i;
            html! {
                <span class="variant-view">
                    if *own {
                        { view_button(View::Variant(i), name.clone(), format!("view-variant-{i}"), format!("Manifests of variant {name}")) }
                    } else {
                        <span class="seg off" title="This variant uses the shared manifests">{ name.clone() }</span>
                    }
                    if variant_names.len() > 1 {
                        <button type="button" class="x" aria-label={format!("Remove variant {name}")}
                            onclick={link.callback(move |_| Msg::RemoveVariant(i))}>{ "×" }</button>
                    }
                </span>
            }
        });
        let label = match self.view {
            View::Scenario => "The whole scenario (YAML)".to_owned(),
            View::Manifests => "Manifests (YAML, as kubectl apply takes them)".to_owned(),
            View::Variant(i) => format!(
                "Manifests of variant {}",
                variant_names.get(i).map_or("?", |v| v.1.as_str())
            ),
        };
        let marks = Rc::new(self.marks());
        let shown = marks.iter().filter(|m| !m.warning).count();
        let errors = self
            .problems
            .iter()
            .map(|p| (p.line, p.column, &p.path, &p.message, false, None));
        let warnings = self
            .notices
            .iter()
            .map(|n| (n.line, n.column, &n.path, &n.message, true, None));
        let findings = self
            .findings
            .iter()
            .map(|f| (f.line, f.column, &f.path, &f.message, true, Some(f.rule)));
        let item = |i: usize,
                    (at_line, at_column, path, message, warning, rule): (
            Option<u32>,
            Option<u32>,
            &String,
            &String,
            bool,
            Option<&'static str>,
        )| {
            // Positions in the shown view's lines when it shows them.
            let shown_at = at_line.and_then(|l| self.to_view(l, at_column.unwrap_or(1)));
            let place = match (shown_at, at_line, at_column) {
                (Some((l, c)), _, _) => format!("line {l}, column {c}"),
                (None, Some(l), Some(c)) => format!("in scenario, line {l}, column {c}"),
                (None, Some(l), None) => format!("in scenario, line {l}"),
                _ => "scenario".into(),
            };
            let line = shown_at.map_or(0, |(l, _)| l);
            html! {
                <li>
                    <button type="button" class={classes!("problem", warning.then_some("warning"))} data-line={line.to_string()}
                        onclick={link.callback(move |_| Msg::FocusProblem(i))}>
                        <span class="where">{ if warning { format!("warning, {place}") } else { place } }</span>
                        <span class="path">{ path }</span>
                        <span class="msg">{ message }</span>
                    </button>
                    if let Some(rule) = rule {
                        <a class="rule" href={format!("{RULES_DOC}#{}", rule.to_lowercase())}
                            target="_blank" rel="noopener">{ rule }</a>
                    }
                    if !warning { { self.problem_chooser(i, message, link) } }
                </li>
            }
        };
        let problems = errors
            .chain(warnings)
            .chain(findings)
            .enumerate()
            .map(|(i, p)| item(i, p));
        html! {
            <div class="yaml">
                <div class="views" role="group" aria-label="Editor view">
                    if has_top { { view_button(View::Manifests, "manifests".into(), "view-manifests".into(), "The manifests".into()) } }
                    { view_button(View::Scenario, "scenario".into(), "view-scenario".into(), "The whole scenario".into()) }
                    if !variant_names.is_empty() {
                        <span class="views-label">{ "variants:" }</span>
                        { for variant_buttons }
                    }
                </div>
                if let Some(n) = &self.notice { <div class="notice" role="status">{ n }</div> }
                <Editor text={self.editor_text.clone()} marks={marks} label={label}
                    focus={self.focus}
                    on_input={self.on_edit.clone()} />
                { assume::chips(&self.assumptions, self.open.as_ref(), link) }
                <div id="problems" class={if self.problems.is_empty() { "problems ok" } else { "problems" }} aria-live="polite">
                    if self.problems.is_empty() {
                        <span>{ "✓ valid scenario" }</span>
                    } else if shown < self.problems.len() {
                        <p class="elsewhere">{ "Some problems are outside this view: click one to show it." }</p>
                    }
                    if !self.problems.is_empty() || !self.notices.is_empty() || !self.findings.is_empty() {
                        <ul>{ for problems }</ul>
                    }
                </div>
            </div>
        }
    }
}

/// Where each lint rule is documented (`replicast lint`'s rule links).
const RULES_DOC: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// Every variant's located warnings, each place once (shared manifests
/// give every variant the same ones).
fn scenario_notices(scenario: &Scenario) -> Vec<Notice> {
    let mut all: Vec<Notice> = Vec::new();
    for n in scenario.variants.iter().flat_map(|v| &v.notices.0) {
        if !all
            .iter()
            .any(|m| m.line == n.line && m.column == n.column && m.message == n.message)
        {
            all.push(n.clone());
        }
    }
    all
}

impl App {
    /// For an unmapped metric's error: a button that opens the signal
    /// chooser, and the chooser when open.
    fn problem_chooser(&self, i: usize, message: &str, link: &Link) -> Html {
        let Some(metric) = assume::unmapped_metric(message) else {
            return html! {};
        };
        let open = self.open == Some(assume::Open::Problem(i));
        let next = if open {
            None
        } else {
            Some(assume::Open::Problem(i))
        };
        html! {
            <div class="unmapped" data-metric={metric.to_owned()}>
                <button type="button" class={if open { "chip open" } else { "chip" }} aria-expanded={open.to_string()}
                    onclick={link.callback(move |_| Msg::Choose(next.clone()))}>
                    { format!("choose what {metric} reads…") }
                </button>
                if open { { assume::chooser(metric, None, Some(message), link) } }
            </div>
        }
    }
}

/// The `variants:` block written from its entries: one mapping each, its
/// manifests as a literal block.
fn variants_block(list: &[Value]) -> String {
    let mut out = String::from("variants:");
    for v in list {
        let Some(obj) = v.as_object() else {
            continue;
        };
        let name = obj.get("name").and_then(Value::as_str).unwrap_or("variant");
        out.push_str(&format!("\n  - name: {}", emit::string(name)));
        for (k, val) in emit::ordered(obj, crate::doc::ORDER) {
            if k == "name" || k == "manifests" {
                continue;
            }
            out.push_str(&format!("\n    {}: {}", emit::string(k), emit::flow(val)));
        }
        match obj.get("manifests") {
            Some(Value::String(m)) => {
                out.push('\n');
                out.push_str(&text::literal("    manifests: ", m, 6));
            }
            Some(other) => out.push_str(&format!("\n    manifests: {}", emit::flow(other))),
            None => {}
        }
    }
    out
}

/// Window listeners: a file dropped anywhere on the page is read and sent
/// as [`Msg::DropFile`] instead of replacing the page.
fn drop_listeners(link: yew::html::Scope<App>) -> Vec<gloo::events::EventListener> {
    use gloo::events::{EventListener, EventListenerOptions};
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let active = EventListenerOptions::enable_prevent_default();
    let over = EventListener::new_with_options(&window, "dragover", active, |e| {
        e.prevent_default();
    });
    let dropped = EventListener::new_with_options(&window, "drop", active, move |e| {
        e.prevent_default();
        let file = e
            .dyn_ref::<web_sys::DragEvent>()
            .and_then(|d| d.data_transfer())
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            let link = link.clone();
            let name = file.name();
            yew::platform::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    if let Some(text) = text.as_string() {
                        link.send_message(Msg::DropFile(name, text));
                    }
                }
            });
        }
    });
    vec![over, dropped]
}

/// The readout's and forms' access to a message callback.
pub type Link = yew::html::Scope<App>;

/// A number field's unit as the slider shows it.
pub fn unit_suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Rate => "/s",
        _ => "",
    }
}

/// Reads a `<select>`'s value.
pub fn select_value(e: &Event) -> String {
    let s: HtmlSelectElement = e.target_unchecked_into();
    s.value()
}

/// Reads a `<textarea>`'s value.
pub fn area_value(e: &Event) -> String {
    let s: HtmlTextAreaElement = e.target_unchecked_into();
    s.value()
}
