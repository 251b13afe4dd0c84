//! `cargo xtask test`: every test there is, in one run, as CI runs it.
//!
//! Each part prints the command it runs and its result; a failed part does
//! not stop the others (parts that need a failed build are skipped). The run
//! ends with the line `xtask: N passed, N failed[, N skipped]` and exits
//! non-zero when anything failed or was skipped.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::build::{self, Agent};
use crate::ctx::{Ctx, run};
use crate::setup::{self, CHROMEDRIVER};

/// How one part ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

/// The parts' results, in order.
#[derive(Default)]
struct Report {
    parts: Vec<(&'static str, Outcome, Duration)>,
}

impl Report {
    /// Runs one part, prints its heading and result, and records it.
    fn part(&mut self, name: &'static str, body: impl FnOnce() -> Result<(), String>) -> bool {
        println!("\nxtask: ==> {name}");
        let start = Instant::now();
        let outcome = match body() {
            Ok(()) => Outcome::Passed,
            Err(error) => Outcome::Failed(error),
        };
        let took = start.elapsed();
        match &outcome {
            Outcome::Passed => println!("xtask: ok: {name} ({:.1}s)", took.as_secs_f64()),
            Outcome::Failed(error) => println!("xtask: FAILED: {name}: {error}"),
            Outcome::Skipped(_) => {}
        }
        let passed = outcome == Outcome::Passed;
        self.parts.push((name, outcome, took));
        passed
    }

    fn skip(&mut self, name: &'static str, why: &'static str) {
        println!("\nxtask: ==> {name}\nxtask: skipped: {why}");
        self.parts
            .push((name, Outcome::Skipped(why), Duration::ZERO));
    }

    fn count(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for (_, outcome, _) in &self.parts {
            match outcome {
                Outcome::Passed => counts.0 += 1,
                Outcome::Failed(_) => counts.1 += 1,
                Outcome::Skipped(_) => counts.2 += 1,
            }
        }
        counts
    }

    /// The table of parts, then the closing line CI reads.
    fn finish(&self, started: Instant) -> ExitCode {
        println!(
            "\nxtask: summary ({:.0}s in all)",
            started.elapsed().as_secs_f64()
        );
        for (name, outcome, took) in &self.parts {
            let (word, detail) = match outcome {
                Outcome::Passed => ("ok", String::new()),
                Outcome::Failed(error) => ("FAILED", format!(": {error}")),
                Outcome::Skipped(why) => ("skipped", format!(": {why}")),
            };
            println!(
                "xtask:   {word:7} {name} ({:.1}s){detail}",
                took.as_secs_f64()
            );
        }
        let (passed, failed, skipped) = self.count();
        println!("{}", summary_line(passed, failed, skipped));
        if failed == 0 && skipped == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

/// `xtask: N passed, N failed` (`, N skipped` only when some were).
fn summary_line(passed: usize, failed: usize, skipped: usize) -> String {
    let mut line = format!("xtask: {passed} passed, {failed} failed");
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped"));
    }
    line
}

/// Runs every part; see the module docs.
pub fn run_all(ctx: &Ctx) -> ExitCode {
    let started = Instant::now();
    let mut report = Report::default();

    if !report.part(
        "set-up (targets, wasm-bindgen-cli, npm ci, Chromium)",
        || setup::for_test(ctx),
    ) {
        return report.finish(started);
    }

    report.part("format (cargo fmt --check)", || {
        run(ctx.cargo().args(["fmt", "--all", "--check"]))
    });
    report.part("clippy, native crates", || {
        // replicast-wasm is here too: its native test (tests/types.rs)
        // checks the TypeScript declarations against the engine.
        run(ctx.cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "replicast-web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.part("clippy, wasm crates (wasm32-unknown-unknown)", || {
        run(ctx.cargo().args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "replicast-wasm",
            "-p",
            "replicast-web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.part(
        "cargo test (native workspace, with the binding's type checks)",
        || {
            run(ctx
                .cargo()
                .args(["test", "--workspace", "--exclude", "replicast-web"]))
        },
    );
    report.part(
        "playground unit tests (web/: text edits, links, chart data; native)",
        || run(ctx.cargo().args(["test", "-p", "replicast-web", "--lib"])),
    );
    report.part(
        "agent against real RabbitMQ and Prometheus (agent/tests/live_real.rs)",
        || crate::services::test_agent(ctx),
    );
    report.part("engine is no_std (wasm32v1-none)", || {
        run(ctx.cargo().args([
            "build",
            "-p",
            "replicast-engine",
            "--no-default-features",
            "--target",
            "wasm32v1-none",
        ]))
    });

    let wasm_runner = ctx.cargo_bin.join("wasm-bindgen-test-runner");
    let wasm_test = || {
        let mut cmd = ctx.cargo();
        cmd.args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "replicast-wasm",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            runner_name(&wasm_runner),
        );
        cmd
    };
    report.part("binding under wasm-bindgen-test, Node", || {
        run(&mut wasm_test())
    });
    report.part("binding under wasm-bindgen-test, headless Chromium", || {
        run(wasm_test()
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_USE_BROWSER", "1"))
    });

    let mut bin = PathBuf::new();
    let built = report.part(
        "build: pkg/npm, dist/ (wasm profile) and replicast (dev)",
        || {
            build::wasm(ctx)?;
            bin = build::binary(ctx, Agent::Debug)?;
            Ok(())
        },
    );
    if built {
        report.part("npm package tests (node --test, pkg/)", || {
            // Every fixture through the package and through `replicast eval`;
            // the TypeScript example (tsc); `npm pack` installed offline.
            run(ctx
                .cmd("node")
                .current_dir(ctx.root.join("pkg"))
                .arg("--test")
                .env("REPLICAST_BIN", &bin))
        });
        report.part("browser tests (Playwright + Chromium, e2e/)", || {
            let port = free_port()?;
            run(ctx
                .cmd(ctx.root.join("e2e/node_modules/.bin/playwright"))
                .current_dir(ctx.root.join("e2e"))
                .arg("test")
                .env("REPLICAST_BIN", &bin)
                .env("REPLICAST_DIST", ctx.root.join("dist"))
                .env("REPLICAST_E2E_PORT", port.to_string()))
        });
    } else {
        report.skip("npm package tests (node --test, pkg/)", "the build failed");
        report.skip(
            "browser tests (Playwright + Chromium, e2e/)",
            "the build failed",
        );
    }

    report.finish(started)
}

/// The runner as cargo will call it: the installed path when it exists.
fn runner_name(installed: &std::path::Path) -> String {
    if installed.is_file() {
        installed.display().to_string()
    } else {
        "wasm-bindgen-test-runner".into()
    }
}

/// A loopback port that was free a moment ago (for the e2e server).
fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("finding a port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_has_the_shape_ci_reads() {
        assert_eq!(summary_line(10, 0, 0), "xtask: 10 passed, 0 failed");
        assert_eq!(
            summary_line(7, 1, 2),
            "xtask: 7 passed, 1 failed, 2 skipped"
        );
    }

    #[test]
    fn report_counts_outcomes() {
        let mut report = Report::default();
        assert!(report.part("a", || Ok(())));
        assert!(!report.part("b", || Err("no".into())));
        report.skip("c", "because");
        assert_eq!(report.count(), (1, 1, 1));
    }
}
