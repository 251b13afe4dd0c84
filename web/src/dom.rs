//! Reading form controls' values from their events.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

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
