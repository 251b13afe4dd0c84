//! The playground page: its state (the scenario text, nothing else that
//! matters), what each input does to it, and the page's layout.
//!
//! The page's jobs, one file each: [`editing`] (the scenario text, the
//! editor's view of it, the checks), [`forms`] (what the forms, choosers
//! and dropped files write), [`variants`] (compare variants), [`results`]
//! (the workers' results and the cursor), [`links`] (share links and
//! downloads), [`problems`] (the problems list), [`layout`] (the header,
//! tabs and the YAML pane), [`tuning`] (the Tune tab).

mod editing;
mod forms;
mod layout;
mod links;
mod problems;
mod results;
mod tuning;
mod variants;

use std::collections::HashMap;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use replicast_engine::lint::Finding;
use replicast_engine::{Notice, Problem};
use yew::prelude::*;

use crate::chartview::Charts;
use crate::frame::Frame;
use crate::msg::{Link, Msg, Open, Tab, View};
use crate::perf::Perf;
use crate::presets::{self, PRESETS};
use crate::scenario_info::Info;
use crate::sim::{self, Pool};
use crate::text_blocks::Embedded;
use crate::value_edit::Doc;
use crate::{panes, share};

use forms::drop_listeners;

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
    open: Option<Open>,
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
    /// The panes' handle for sending messages to the page.
    link: Link,
    /// Callbacks made once, so that the editor and the charts (whose
    /// properties compare them by identity) re-render only when their data
    /// changes.
    on_edit: Callback<(String, f64)>,
    on_cursor: Callback<(f64, f64)>,
    on_drawn: Callback<(u64, f64)>,
    on_caret: Callback<usize>,
    /// Files dropped anywhere on the page (and no navigation away to them).
    _drop: Vec<gloo::events::EventListener>,
    /// The Tune tab.
    tuning: tuning::Tuning,
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
            perf: Perf::install(),
            url_timer: None,
            share_open: false,
            notice: None,
            main: NodeRef::default(),
            link: Link::new(ctx.link().callback(|m: Msg| m)),
            on_edit: ctx.link().callback(|(v, s)| Msg::Edit(v, s)),
            on_cursor: ctx.link().callback(|(t, s)| Msg::Cursor(t, s)),
            on_drawn: ctx.link().callback(|(g, ms)| Msg::Drawn(g, ms)),
            on_caret: ctx.link().callback(Msg::Caret),
            _drop: drop_listeners(ctx.link().clone()),
            tuning: tuning::Tuning::default(),
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
            Msg::Preset(i) => self.preset(ctx, i),
            Msg::Tab(t) => {
                self.tab = t;
                self.refresh_knobs();
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
            Msg::Number(field, v, stamp) => self.number(ctx, &field, v, stamp),
            Msg::Text(path, v) => self.text_field(ctx, &path, &v),
            Msg::AddSegment(kind) => self.add_segment(ctx, &kind),
            Msg::RemoveSegment(i) => self.remove_segment(ctx, i),
            Msg::Csv(index, csv) => self.csv(ctx, index, csv),
            Msg::DropFile(name, content) => self.drop_file(ctx, &name, content),
            Msg::Duplicate => {
                self.duplicate(ctx);
                true
            }
            Msg::RemoveVariant(i) => {
                self.remove_variant(ctx, i);
                true
            }
            Msg::Cursor(t, stamp) => self.move_cursor(ctx, t, stamp),
            Msg::Jump(dir) => self.jump(ctx, dir),
            Msg::Worker(slot, e) => self.worker(slot, &e),
            Msg::Drawn(generation, ms) => self.drawn(generation, ms),
            Msg::FlushUrl => {
                self.url_timer = None;
                share::replace_fragment(&self.fragment());
                false
            }
            Msg::Share => self.share(),
            Msg::CloseShare => {
                self.share_open = false;
                true
            }
            Msg::DownloadYaml => self.download_yaml(),
            Msg::DownloadCsv => self.download_csv(),
            Msg::FocusProblem(i) => self.focus_problem(i),
            Msg::FocusProbe => self.focus_probe(),
            Msg::Choose(open) => {
                self.open = open;
                true
            }
            Msg::MapSignal(metric, signal) => self.map_signal(ctx, &metric, &signal),
            Msg::KeepLoad(flow) => self.keep_load(ctx, &flow),
            Msg::SetMode(mode) => self.set_mode(ctx, &mode),
            Msg::TuneRun => self.tune_run(ctx),
            Msg::TuneCancel => self.tune_cancel(),
            Msg::TuneWorker(slot, e) => self.tune_worker(slot, &e),
            Msg::TuneLoad(point) => self.tune_load(ctx, point),
            Msg::TuneKnob(i, values) => self.tune_knob(ctx, i, values),
            Msg::Caret(at) => self.caret(at),
            Msg::TuneAdd => self.tune_add(ctx),
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if let Some(stamp) = self.scrub.take() {
            self.perf.push("scrub", sim::now() - stamp);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = &self.link;
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
                        Tab::Tune => "tab-tune",
                    }}>
                        { match self.tab {
                            Tab::Yaml => self.yaml_pane(ctx),
                            Tab::Load => panes::load_pane(self.doc.as_deref(), self.info.as_deref(), &self.ranges, link),
                            Tab::Workload => panes::workload_pane(self.doc.as_deref(), self.info.as_deref(), &self.ranges, link),
                            Tab::Tune => self.tune_tab(),
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
    /// Loads preset `i`.
    fn preset(&mut self, ctx: &Context<Self>, i: usize) -> bool {
        self.preset = Some(i);
        self.cursor = PRESETS[i].at;
        self.ranges.clear();
        self.view = View::Manifests;
        self.notice = None;
        self.set_text(ctx, PRESETS[i].text.to_owned(), None, false);
        true
    }

    fn duration(&self) -> f64 {
        self.frame
            .as_ref()
            .map(|f| f.duration)
            .or_else(|| self.info.as_ref().map(|i| i.duration))
            .unwrap_or(3600.0)
    }
}
