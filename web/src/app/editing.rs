//! The scenario text and the editor's view of it: making a text the
//! scenario (read, checked, run), the editor's edits spliced back, the
//! problems' places in the shown view, the forms' slider ranges.

use std::rc::Rc;

use replicast_engine::Problem;
use serde_json::Value;
use yew::prelude::*;

use super::App;
use crate::editor::Mark;
use crate::model::Field;
use crate::msg::View;
use crate::presets;
use crate::scenario_info::{Info, scenario_notices};
use crate::sim;
use crate::text_blocks::{self, Embedded};
use crate::value_edit::{Doc, KeyPath};
use crate::{assume, key_path, model, panes};

impl App {
    /// Makes `text` the scenario: reads it, checks it, asks for a run.
    pub(super) fn set_text(
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
                let variants = match doc.get(&key_path!["variants"]) {
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
        self.refresh_knobs();
    }
    /// The embedded block a view shows.
    fn find_embedded(&self, view: View) -> Option<Embedded> {
        let doc = self.doc.as_ref()?;
        let p: KeyPath = match view {
            View::Scenario => return None,
            View::Manifests => key_path!["manifests"],
            View::Variant(i) => key_path!["variants", i, "manifests"],
        };
        if !doc.get(&p).is_some_and(Value::is_string) {
            return None;
        }
        let line = doc.key_line(&p)?;
        text_blocks::embedded_at(&doc.text, line, "manifests")
    }

    /// Recomputes the editor's text from the scenario for the current view
    /// (falling back to the whole scenario when the view's block is gone).
    pub(super) fn refresh_editor(&mut self) {
        if self.view != View::Scenario {
            match self.find_embedded(self.view) {
                Some(e) => {
                    self.editor_text = Rc::from(text_blocks::embedded_text(&self.text, &e));
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

    pub(super) fn edit(&mut self, ctx: &Context<Self>, value: String, stamp: f64) {
        match self.view {
            View::Scenario => {
                if text_blocks::looks_like_manifests(&value) {
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
                let whole = text_blocks::blocks(&value);
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
                let out = text_blocks::set_embedded(&self.text, &at, &value);
                self.editor_text = Rc::from(value.as_str());
                let lines = text_blocks::lines(value.trim_end_matches('\n')).len();
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
            out = text_blocks::set_block(&out, key, None, &[]);
        }
        let kept: Vec<&str> = text_blocks::lines(&out)
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
    pub(super) fn marks(&self) -> Vec<Mark> {
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
    pub(super) fn to_view(&self, line: u32, column: u32) -> Option<(u32, u32)> {
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
            let id = crate::value_edit::path_id(&f.path);
            self.ranges
                .entry(id)
                .or_insert_with(|| panes::range_for(&f, duration, self.info.as_deref()));
        }
    }
}
