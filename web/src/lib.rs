//! `replicast-web`: the replicast playground, a Yew (CSR) page.
//!
//! The page calls [`replicast_engine`] directly in Rust (not through the npm
//! binding) and draws its chart with plotters on an HTML canvas. `cargo xtask
//! serve` builds it to `dist/` (wasm-bindgen `--target web` + `wasm-opt`) next
//! to the root `index.html`, and `replicast serve` hosts that folder.
//!
//! One chart for now: the replica count the HPA would propose across the
//! whole utilization range, for the current replicas and target chosen in the
//! form, with a marker at the current utilization.

mod chart;

use wasm_bindgen::prelude::*;
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub use chart::{UTILIZATION_MAX, desired_curve};

/// The form's values: what the engine is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// Replicas the workload runs now.
    pub current_replicas: i32,
    /// The metric's current average utilization, in percent.
    pub utilization: i32,
    /// The target average utilization, in percent.
    pub target: i32,
}

impl Default for Inputs {
    fn default() -> Self {
        Self {
            current_replicas: 4,
            utilization: 90,
            target: 60,
        }
    }
}

impl Inputs {
    /// The replica count the engine proposes for these inputs.
    pub fn desired_replicas(self) -> i32 {
        replicast_engine::preview_desired_replicas(
            self.current_replicas,
            self.utilization,
            self.target,
        )
    }
}

/// Which form field an input event changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    CurrentReplicas,
    Utilization,
    Target,
}

impl Field {
    fn set(self, inputs: Inputs, value: i32) -> Inputs {
        match self {
            Self::CurrentReplicas => Inputs {
                current_replicas: value.clamp(1, 1000),
                ..inputs
            },
            Self::Utilization => Inputs {
                utilization: value.clamp(0, UTILIZATION_MAX),
                ..inputs
            },
            Self::Target => Inputs {
                target: value.clamp(1, UTILIZATION_MAX),
                ..inputs
            },
        }
    }
}

/// The playground page.
#[function_component(App)]
pub fn app() -> Html {
    let inputs = use_state(Inputs::default);
    let canvas = use_node_ref();

    {
        let canvas = canvas.clone();
        use_effect_with(*inputs, move |inputs| {
            if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                if let Err(error) = chart::draw(canvas, *inputs) {
                    web_sys::console::error_1(&format!("replicast: chart: {error}").into());
                }
            }
        });
    }

    let on_input = |field: Field| {
        let inputs = inputs.clone();
        Callback::from(move |event: InputEvent| {
            let element: HtmlInputElement = event.target_unchecked_into();
            let value = element.value_as_number();
            if value.is_finite() {
                inputs.set(field.set(*inputs, value as i32));
            }
        })
    };
    let desired = inputs.desired_replicas();

    html! {
        <main>
            <h1>{ "replicast playground" }</h1>
            <form class="inputs" onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
                <label>{ "Current replicas " }
                    <input id="current-replicas" type="number" min="1" max="1000"
                        value={inputs.current_replicas.to_string()}
                        oninput={on_input(Field::CurrentReplicas)} />
                </label>
                <label>{ "Utilization % " }
                    <input id="utilization" type="number" min="0" max={UTILIZATION_MAX.to_string()}
                        value={inputs.utilization.to_string()}
                        oninput={on_input(Field::Utilization)} />
                </label>
                <label>{ "Target % " }
                    <input id="target" type="number" min="1" max={UTILIZATION_MAX.to_string()}
                        value={inputs.target.to_string()}
                        oninput={on_input(Field::Target)} />
                </label>
            </form>
            <p>{ "Desired replicas: " }<output id="desired">{ desired }</output></p>
            <canvas id="chart" ref={canvas} width="720" height="400"></canvas>
        </main>
    }
}

/// Mounts [`App`] on the page's `#app` element (or `<body>`); wasm-bindgen
/// runs it when the module is initialised.
#[wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}
