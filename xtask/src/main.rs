//! `cargo xtask`: replicast's task runner (the alias lives in
//! `.cargo/config.toml`). It does its own set-up, idempotently, so each
//! command works on a fresh machine:
//!
//! - `cargo xtask serve [ARGS]`: builds the engine to WASM, the playground
//!   (`dist/`) and the `replicast` binary, then runs `replicast serve` on
//!   <http://127.0.0.1:8080> (`ARGS` go to `replicast serve`, e.g. `--port 9000`).
//! - `cargo xtask test`: every test there is, the same in CI (`.ci/run`);
//!   ends with `xtask: N passed, N failed` and exits non-zero on any failure.
//! - `cargo xtask build`: the builds of `serve`, without serving.
//! - `cargo xtask setup`: only the set-up (targets, tools, npm packages, Chromium,
//!   RabbitMQ and Prometheus).
//! - `cargo xtask test-agent`: only the agent's real-server tests (part of `test`).
//! - `cargo xtask bench-agent [SECONDS]`: the agent's performance figures.

mod bench;
mod build;
mod ctx;
mod services;
mod setup;
mod test;

use std::process::ExitCode;

use ctx::Ctx;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [ARGS]  build everything, then serve the playground with `replicast serve [ARGS]`
                (default http://127.0.0.1:8080; e.g. `cargo xtask serve --port 9000`)
  test          run every test there is (what CI runs); ends with `xtask: N passed, N failed`
  build         build the playground (dist/), the npm package (pkg/npm/) and the binary
  setup         install what the other commands need (rustup targets, wasm-bindgen-cli,
                npm packages, Chromium, RabbitMQ, Prometheus); quick when already done
  test-agent    only the agent's tests against a real RabbitMQ and Prometheus (started and
                stopped around them; part of `test`)
  bench-agent [SECONDS]
                the agent's figures: idle RSS and CPU at 1 Hz polling (default 60s sample),
                /metrics throughput and p99 under wrk; starts real RabbitMQ and Prometheus
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("serve") => Ctx::new().and_then(|ctx| build::serve(&ctx, &rest)),
        Some("test") if rest.is_empty() => {
            return Ctx::new().map_or_else(fail, |ctx| test::run_all(&ctx));
        }
        Some("build") if rest.is_empty() => Ctx::new().and_then(|ctx| {
            setup::for_build(&ctx)?;
            build::all(&ctx, build::Agent::Release)
        }),
        Some("setup") if rest.is_empty() => Ctx::new().and_then(|ctx| setup::for_test(&ctx)),
        Some("test-agent") if rest.is_empty() => Ctx::new().and_then(|ctx| {
            services::packages(&ctx, false)?;
            services::test_agent(&ctx)
        }),
        Some("bench-agent") if rest.len() <= 1 => {
            Ctx::new().and_then(|ctx| bench::agent(&ctx, &rest))
        }
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    result.map_or_else(fail, |()| ExitCode::SUCCESS)
}

fn fail(error: String) -> ExitCode {
    eprintln!("xtask: error: {error}");
    ExitCode::FAILURE
}
