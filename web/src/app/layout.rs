//! The page's header (presets, actions, share popover), the preset's
//! note, the tabs and the YAML pane.

use std::rc::Rc;

use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::App;
use crate::editor::Editor;
use crate::msg::{Msg, Tab, View};
use crate::presets::PRESETS;
use crate::{assume, key_path, share};

impl App {
    pub(super) fn header(&self, ctx: &Context<Self>) -> Html {
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

    pub(super) fn preset_note(&self) -> Html {
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

    pub(super) fn tabs(&self, ctx: &Context<Self>) -> Html {
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
                { tab(Tab::Tune, "Tune", "tab-tune") }
                if count > 0 {
                    <span class="error-count" role="status">{ format!("{count} error{}", if count == 1 { "" } else { "s" }) }</span>
                } else if warnings > 0 {
                    <span class="warning-count" role="status">{ format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }) }</span>
                }
            </div>
        }
    }

    pub(super) fn yaml_pane(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let variant_names: Vec<(usize, String, bool)> = self
            .doc
            .as_ref()
            .and_then(|d| d.get(&key_path!["variants"]))
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
            .is_some_and(|d| d.get(&key_path!["manifests"]).is_some_and(Value::is_string));
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
                    on_input={self.on_edit.clone()} on_caret={self.on_caret.clone()} />
                { self.picked_knob() }
                { assume::chips(&self.assumptions, self.open.as_ref(), &self.link) }
                { self.problem_list(shown) }
            </div>
        }
    }
}
