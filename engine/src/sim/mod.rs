//! The deterministic, time-stepped simulator (shared spec `scenario.md`).
