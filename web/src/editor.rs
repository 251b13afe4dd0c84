//! The YAML editor: a plain `<textarea>` (native editing, undo and
//! accessibility) with a line-number gutter and, behind and above it, the
//! engine's problems at their line and column: the line tinted, the column
//! underlined, the message after the line's end. Warnings (an unknown
//! field) are marked the same way in amber instead of red.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A problem placed in the editor's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// 1-based line in the shown text.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// A warning (the input is read all the same), not an error.
    pub warning: bool,
}

impl Mark {
    /// The CSS class for this mark's part (`err-line`, `err-line warn`).
    fn class(&self, part: &'static str) -> Classes {
        classes!(part, self.warning.then_some("warn"))
    }
}

/// Properties of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The shown text.
    pub text: Rc<str>,
    /// Problems in it.
    pub marks: Rc<Vec<Mark>>,
    /// Called with the new text and the input event's time stamp.
    pub on_input: Callback<(String, f64)>,
    /// Move the caret to `(line, column)` and focus; a new `nonce` asks again.
    #[prop_or_default]
    pub focus: Option<(u32, u32, u64)>,
    /// The textarea's accessible name.
    pub label: AttrValue,
    /// Told the caret's place (characters from the start) after a click
    /// or a key that moves it.
    #[prop_or_default]
    pub on_caret: Option<Callback<usize>>,
}

/// The editor.
pub struct Editor {
    area: NodeRef,
    gutter: NodeRef,
    back: NodeRef,
    front: NodeRef,
    focused: u64,
}

/// Messages of [`Editor`].
pub enum Msg {
    /// The textarea scrolled.
    Scroll,
}

/// Line height in CSS pixels (the stylesheet's `--code-lh`).
const LINE: f64 = 18.0;

impl Component for Editor {
    type Message = Msg;
    type Properties = Props;

    fn create(_: &Context<Self>) -> Self {
        Self {
            area: NodeRef::default(),
            gutter: NodeRef::default(),
            back: NodeRef::default(),
            front: NodeRef::default(),
            focused: 0,
        }
    }

    fn update(&mut self, _: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Scroll => {
                self.sync_scroll();
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let lines: Vec<&str> = p.text.split('\n').collect();
        let count = if p.text.ends_with('\n') {
            lines.len() - 1
        } else {
            lines.len()
        }
        .max(1);
        let marked = |warning: bool| -> Vec<u32> {
            p.marks
                .iter()
                .filter(|m| m.warning == warning)
                .map(|m| m.line)
                .collect()
        };
        let (bad, warned) = (marked(false), marked(true));
        let numbers = (1..=count as u32).map(|n| {
            let class = if bad.contains(&n) {
                "ln err"
            } else if warned.contains(&n) {
                "ln warn"
            } else {
                "ln"
            };
            html! { <div class={class}>{ n }</div> }
        });
        let back = p.marks.iter().map(|m| {
            let top = f64::from(m.line.saturating_sub(1)) * LINE;
            let col = m.column.max(1) - 1;
            html! {
                <>
                    <div class={m.class("err-line")} style={format!("top:{top}px")}></div>
                    <div class={m.class("err-mark")} style={format!("top:{top}px;left:calc({col}ch + var(--code-pad))")}></div>
                </>
            }
        });
        let front = p.marks.iter().enumerate().map(|(i, m)| {
            let top = f64::from(m.line.saturating_sub(1)) * LINE;
            let len = lines
                .get((m.line as usize).saturating_sub(1))
                .map_or(0, |l| l.chars().count());
            html! {
                <div class={m.class("err-msg")} data-line={m.line.to_string()} data-index={i.to_string()}
                    style={format!("top:{top}px;left:calc({}ch + var(--code-pad))", len + 3)}>
                    { &m.message }
                </div>
            }
        });
        let on_input = p.on_input.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit((area.value(), e.time_stamp()));
        });
        let onscroll = ctx.link().callback(|_: Event| Msg::Scroll);
        let caret = |on: Option<Callback<usize>>| {
            move |e: &web_sys::Event| {
                let (Some(on), Some(area)) = (&on, e.target_dyn_into::<HtmlTextAreaElement>())
                else {
                    return;
                };
                let Ok(Some(units)) = area.selection_start() else {
                    return;
                };
                // Selection offsets count UTF-16 units; the YAML reader counts characters.
                let text = area.value();
                let mut seen = 0u32;
                let chars = text.chars().take_while(|c| {
                    seen += c.len_utf16() as u32;
                    seen <= units
                });
                on.emit(chars.count());
            }
        };
        let onclick = {
            let f = caret(p.on_caret.clone());
            Callback::from(move |e: MouseEvent| f(&e))
        };
        let onkeyup = {
            let f = caret(p.on_caret.clone());
            Callback::from(move |e: KeyboardEvent| f(&e))
        };
        let invalid = if bad.is_empty() { "false" } else { "true" };
        html! {
            <div class="editor">
                <div class="gutter" aria-hidden="true"><div class="gutter-inner" ref={self.gutter.clone()}>{ for numbers }</div></div>
                <div class="code">
                    <div class="layer back" aria-hidden="true"><div ref={self.back.clone()}>{ for back }</div></div>
                    <textarea id="editor" ref={self.area.clone()} spellcheck="false" autocomplete="off"
                        autocapitalize="off" wrap="off" aria-label={p.label.clone()}
                        aria-invalid={invalid} aria-describedby="problems"
                        value={p.text.to_string()} {oninput} {onscroll} {onclick} {onkeyup} />
                    <div class="layer front" aria-hidden="true"><div ref={self.front.clone()}>{ for front }</div></div>
                </div>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        self.sync_scroll();
        if let Some((line, column, nonce)) = ctx.props().focus {
            if nonce != self.focused {
                self.focused = nonce;
                if let Some(area) = self.area.cast::<HtmlTextAreaElement>() {
                    let text = area.value();
                    let byte = crate::text_blocks::offset_of(&text, line, column);
                    // Selection offsets count UTF-16 units.
                    let at = text[..byte].encode_utf16().count() as u32;
                    let _ = area.focus();
                    let _ = area.set_selection_range(at, at);
                    let top = (f64::from(line) - 4.0).max(0.0) * LINE;
                    area.set_scroll_top(top as i32);
                    self.sync_scroll();
                }
            }
        }
    }
}

impl Editor {
    fn sync_scroll(&self) {
        let Some(area) = self.area.cast::<HtmlTextAreaElement>() else {
            return;
        };
        let (x, y) = (area.scroll_left(), area.scroll_top());
        let set = |node: &NodeRef, transform: String| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let _ = el.style().set_property("transform", &transform);
            }
        };
        set(&self.gutter, format!("translateY({}px)", -y));
        set(&self.back, format!("translate({}px,{}px)", -x, -y));
        set(&self.front, format!("translate({}px,{}px)", -x, -y));
    }
}
