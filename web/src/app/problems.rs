//! The problems list under the editor: errors, warnings and the linter's
//! findings at their places, the caret put at one, the signal chooser of an
//! unmapped metric.

use yew::prelude::*;

use super::App;
use crate::assume;
use crate::msg::{Link, Msg, Tab, View};

impl App {
    /// Puts the caret at a problem (index into the problems).
    pub(super) fn focus_problem(&mut self, i: usize) -> bool {
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

    /// Puts the caret at the readiness probe.
    pub(super) fn focus_probe(&mut self) -> bool {
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

    /// The list of problems, warnings and findings (`shown`: errors shown
    /// in the editor's view).
    pub(super) fn problem_list(&self, shown: usize) -> Html {
        let link = &self.link;
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
        }
    }

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

/// Where each lint rule is documented (`replicast lint`'s rule links).
const RULES_DOC: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");
