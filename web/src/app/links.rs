//! Share links and downloads: the URL fragment kept current, the link
//! copied, the scenario and its timeline saved.

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::App;
use crate::msg::Msg;
use crate::presets::PRESETS;
use crate::share;

impl App {
    /// The URL fragment for the current view: the preset's id while its
    /// text is unchanged, else the whole text.
    pub(super) fn fragment(&self) -> String {
        match self.preset {
            Some(i) if *PRESETS[i].text == *self.text => {
                format!("#p={}&t={}", PRESETS[i].id, self.cursor.round() as i64)
            }
            _ => share::fragment(&self.text, self.cursor),
        }
    }

    pub(super) fn schedule_url(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.url_timer = Some(Timeout::new(300, move || link.send_message(Msg::FlushUrl)));
    }

    /// Copies the share link and shows it.
    pub(super) fn share(&mut self) -> bool {
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

    /// Downloads the scenario.
    pub(super) fn download_yaml(&self) -> bool {
        let name = self.preset.map_or("scenario", |i| PRESETS[i].id);
        let _ = share::download(&format!("{name}.yaml"), "application/yaml", &self.text);
        false
    }

    /// Downloads the timeline.
    pub(super) fn download_csv(&self) -> bool {
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
}
