//! Compare variants: the shown configuration copied into a new variant,
//! a variant removed, the `variants:` block written anew.

use serde_json::Value;
use yew::prelude::*;

use super::App;
use crate::msg::{Tab, View};
use crate::sim;
use crate::{key_path, text_blocks, yaml_write};

impl App {
    /// Copies the shown configuration into a new variant.
    pub(super) fn duplicate(&mut self, ctx: &Context<Self>) {
        let source = match self.view {
            View::Variant(i) => i,
            _ => 0,
        };
        if let Some((out, index)) = self.with_copy(source, None, None) {
            self.view = View::Variant(index);
            self.tab = Tab::Yaml;
            self.set_text(ctx, out, Some(sim::now()), false);
        }
    }

    /// Compares `manifests` (a tuned configuration of variant `variant`)
    /// with the configuration as written: variant `tuned`, a copy of
    /// `variant` with these manifests (replacing an earlier `tuned`).
    pub(super) fn compare_with(&mut self, ctx: &Context<Self>, variant: &str, manifests: String) {
        let source = self
            .info
            .as_ref()
            .and_then(|i| i.variants.iter().position(|v| v.name == variant))
            .unwrap_or(0);
        if let Some((out, index)) = self.with_copy(source, Some("tuned"), Some(manifests)) {
            self.view = View::Variant(index);
            self.set_text(ctx, out, Some(sim::now()), false);
        }
    }

    /// The text with variant `source` copied (named `name`, or the next
    /// free letter; replacing a variant of that name), its manifests
    /// `manifests` or the ones it runs; and the copy's index.
    fn with_copy(
        &self,
        source: usize,
        name: Option<&str>,
        manifests: Option<String>,
    ) -> Option<(String, usize)> {
        let doc = self.doc.as_ref()?;
        let top = doc.get(&key_path!["manifests"]).cloned();
        let mut list: Vec<Value> = match doc.get(&key_path!["variants"]) {
            Some(Value::Array(a)) => a.clone(),
            _ => vec![serde_json::json!({"name": "A"})],
        };
        let source = source.min(list.len().saturating_sub(1));
        let mut copy = list
            .get(source)
            .cloned()
            .unwrap_or_else(|| serde_json::json!({}));
        let manifests = manifests.map(Value::String).or(top);
        if let (Some(m), Some(obj)) = (manifests, copy.as_object_mut()) {
            if !obj.contains_key("manifests") || obj.get("manifests") != Some(&m) {
                obj.insert("manifests".into(), m);
            }
        }
        let taken: Vec<String> = list
            .iter()
            .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let name = match name {
            Some(n) => n.to_owned(),
            None => ["B", "C", "D", "E", "F", "G", "H"]
                .iter()
                .map(|s| (*s).to_owned())
                .chain((list.len() + 1..).map(|n| format!("variant-{n}")))
                .find(|n| !taken.contains(n))
                .unwrap_or_default(),
        };
        if let Some(obj) = copy.as_object_mut() {
            obj.insert("name".into(), Value::String(name.clone()));
        }
        let index = match taken.iter().position(|t| *t == name) {
            Some(i) => {
                list[i] = copy;
                i
            }
            None => {
                list.push(copy);
                list.len() - 1
            }
        };
        let block = variants_block(&list);
        let out = text_blocks::set_block(&self.text, "variants", Some(&block), &["manifests"]);
        Some((out, index))
    }

    pub(super) fn remove_variant(&mut self, ctx: &Context<Self>, index: usize) {
        let Some(doc) = self.doc.clone() else {
            return;
        };
        let Some(Value::Array(mut list)) = doc.get(&key_path!["variants"]).cloned() else {
            return;
        };
        if index >= list.len() {
            return;
        }
        list.remove(index);
        let out = if list.is_empty() {
            text_blocks::set_block(&self.text, "variants", None, &[])
        } else {
            text_blocks::set_block(&self.text, "variants", Some(&variants_block(&list)), &[])
        };
        self.view = View::Manifests;
        self.set_text(ctx, out, Some(sim::now()), false);
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
        out.push_str(&format!("\n  - name: {}", yaml_write::string(name)));
        for (k, val) in yaml_write::ordered(obj, crate::value_edit::ORDER) {
            if k == "name" || k == "manifests" {
                continue;
            }
            out.push_str(&format!(
                "\n    {}: {}",
                yaml_write::string(k),
                yaml_write::flow(val)
            ));
        }
        match obj.get("manifests") {
            Some(Value::String(m)) => {
                out.push('\n');
                out.push_str(&text_blocks::literal("    manifests: ", m, 6));
            }
            Some(other) => out.push_str(&format!("\n    manifests: {}", yaml_write::flow(other))),
            None => {}
        }
    }
    out
}
