//! The structured hostile-case generator of `engine/tests/support/hostile.rs`
//! (shared with the proptest `engine/tests/hostile.rs`): libFuzzer's bytes
//! become an evaluation case (huge, negative and malformed quantities,
//! int32-edge replica counts, large pod lists, every metric and target type,
//! KEDA triggers, fallback, modifiers), which must evaluate without a panic
//! and keep the decision's invariants.
#![no_main]

#[path = "../../engine/tests/support/hostile.rs"]
mod hostile;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(message) = hostile::check(data) {
        panic!("{message}");
    }
});
