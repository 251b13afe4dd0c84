//! What the page's inputs say: the messages of [`crate::app::App`], the
//! tab and editor view they choose, and [`Link`], the handle the panes send
//! them through (so that no pane depends on the page itself).

use web_sys::MessageEvent;
use yew::Callback;

use crate::model::Field;
use crate::value_edit::KeyPath;

/// The left pane's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The YAML editor.
    Yaml,
    /// The load segments and the run's length.
    Load,
    /// The workload and cost.
    Workload,
    /// The search for the cheapest configuration.
    Tune,
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

/// Which chooser is open.
#[derive(Clone, Debug, PartialEq)]
pub enum Open {
    /// The chooser of assumption `i`.
    Assumption(usize),
    /// The chooser of problem `i` (an unmapped metric).
    Problem(usize),
}

/// Messages of [`crate::app::App`].
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
    Choose(Option<Open>),
    /// Map a metric to a signal in `signals:` (metric, signal).
    MapSignal(String, String),
    /// Write the assumed load as the scenario's `load:`.
    KeepLoad(String),
    /// Set `workload.mode`.
    SetMode(String),
    /// Start the tune search.
    TuneRun,
    /// Cancel it.
    TuneCancel,
    /// A tune worker's message.
    TuneWorker(usize, MessageEvent),
    /// Load the best (`None`) or frontier point `i` as the compare variant.
    TuneLoad(Option<usize>),
    /// The editor's caret moved (characters from the start of its text).
    Caret(usize),
    /// Add the value at the caret as a knob.
    TuneAdd,
    /// Give knob `i` these values (`None`: remove it): writes `tune.knobs`.
    TuneKnob(usize, Option<Vec<serde_json::Value>>),
}

/// Sends messages to the page: what the panes' controls are given.
#[derive(Clone, PartialEq)]
pub struct Link(Callback<Msg>);

impl Link {
    /// A link that hands every message to `send`.
    pub fn new(send: Callback<Msg>) -> Link {
        Link(send)
    }

    /// A callback that sends the message `f` makes of its event.
    pub fn callback<T: 'static>(&self, f: impl Fn(T) -> Msg + 'static) -> Callback<T> {
        self.0.reform(f)
    }

    /// A callback that sends the message `f` makes of its event, if any.
    pub fn batch_callback<T: 'static>(
        &self,
        f: impl Fn(T) -> Option<Msg> + 'static,
    ) -> Callback<T> {
        let send = self.0.clone();
        Callback::from(move |e| {
            if let Some(m) = f(e) {
                send.emit(m);
            }
        })
    }

    /// Sends a message now.
    pub fn send_message(&self, m: Msg) {
        self.0.emit(m);
    }
}
