//! What the forms, the choosers and dropped files write into the scenario
//! text (each a small edit that keeps the rest as written).

use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::App;
use crate::model::{self, Field};
use crate::msg::{Msg, Tab, View};
use crate::sim;
use crate::text_blocks;
use crate::value_edit::KeyPath;
use crate::{assume, key_path, yaml_write};

impl App {
    /// A number field changed.
    pub(super) fn number(
        &mut self,
        ctx: &Context<Self>,
        field: &Field,
        v: f64,
        stamp: f64,
    ) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        let out = doc.set(&field.path, field.json(v), &field.scalar(v));
        self.set_text(ctx, out, Some(stamp), false);
        true
    }

    /// A text field changed.
    pub(super) fn text_field(&mut self, ctx: &Context<Self>, path: &KeyPath, v: &str) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        let v = v.trim().to_owned();
        let out = doc.set(path, Value::String(v.clone()), &yaml_write::string(&v));
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// Adds a load segment of this kind.
    pub(super) fn add_segment(&mut self, ctx: &Context<Self>, kind: &str) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        let d = self.info.as_ref().map_or(3600.0, |i| i.duration);
        let out = model::add_segment(&doc, model::new_segment(kind, d));
        self.tab = Tab::Load;
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// Removes load segment `i`.
    pub(super) fn remove_segment(&mut self, ctx: &Context<Self>, i: usize) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        let out = model::remove_segment(&doc, i);
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// A CSV for trace segment `index` (`None`: a new segment).
    pub(super) fn csv(&mut self, ctx: &Context<Self>, index: Option<usize>, csv: String) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        let csv = crate::reference::import_csv(csv);
        let csv = if csv.ends_with('\n') { csv } else { csv + "\n" };
        let out = match index {
            Some(i) => doc.set(
                &key_path!["load", i, "trace", "csv"],
                Value::String(csv.clone()),
                &serde_json::to_string(&csv).unwrap_or_default(),
            ),
            None => model::add_segment(&doc, serde_json::json!({"trace": {"csv": csv}})),
        };
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// A file dropped on the page: a CSV becomes a trace segment, YAML the scenario (or its manifests).
    pub(super) fn drop_file(&mut self, ctx: &Context<Self>, name: &str, content: String) -> bool {
        let csv = name.to_ascii_lowercase().ends_with(".csv")
            || content.trim_start().to_ascii_lowercase().starts_with("t,")
            || crate::reference::is_prometheus_answer(&content);
        if csv {
            return self.csv(ctx, None, content);
        }
        // YAML: as if pasted over the editor's whole text.
        self.tab = Tab::Yaml;
        self.view = View::Scenario;
        if !text_blocks::looks_like_manifests(&content) {
            self.preset = None;
        }
        self.refresh_editor();
        self.edit(ctx, content, sim::now());
        true
    }

    /// Maps a metric to a signal in `signals:`.
    pub(super) fn map_signal(&mut self, ctx: &Context<Self>, metric: &str, signal: &str) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        self.open = None;
        let out = assume::with_signal(&doc, metric, signal);
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// Writes the assumed load as the scenario's `load:`.
    pub(super) fn keep_load(&mut self, ctx: &Context<Self>, flow: &str) -> bool {
        self.open = None;
        let out = assume::with_load(&self.text, flow);
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }

    /// Sets `workload.mode`.
    pub(super) fn set_mode(&mut self, ctx: &Context<Self>, mode: &str) -> bool {
        let Some(doc) = self.doc.clone() else {
            return false;
        };
        self.open = None;
        let out = assume::with_mode(&doc, mode);
        self.set_text(ctx, out, Some(sim::now()), false);
        true
    }
}

/// Window listeners: a file dropped anywhere on the page is read and sent
/// as [`Msg::DropFile`] instead of replacing the page.
pub(super) fn drop_listeners(link: yew::html::Scope<App>) -> Vec<gloo::events::EventListener> {
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
