//! KEDA scaling-modifier formulas: compile and run any text, bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use replicast_engine::keda::formula::{Val, compile};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(f) = compile(text, &["a", "b", "queue"]) {
            let _ = f.eval(&|name| match name {
                "a" => Val::Num(3.0),
                "b" => Val::Nil,
                _ => Val::Num(-1.5),
            });
        }
    }
});
