//! The builds: the npm package (`pkg/npm/`), the playground (`dist/`) and the
//! `replicast` binary; and `serve`, which runs the binary on `dist/`.
//!
//! WASM: `cargo build --target wasm32-unknown-unknown --profile wasm -p …`,
//! then `wasm-bindgen --target web`, then `wasm-opt -Oz` (binaryen from
//! pkg/'s npm packages: Debian's is too old for Yew's output).

use std::path::{Path, PathBuf};

use crate::ctx::{Ctx, run};
use crate::setup;

/// Which profile the `replicast` binary is built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// `dev`: shares its dependencies with `cargo test` (what `test` uses).
    Debug,
    /// `release`: what `serve` runs.
    Release,
}

/// The crates built to WASM, and where their wasm-bindgen output goes.
const WASM_CRATES: [(&str, &str, &str); 2] = [
    // (package, artifact stem, output folder)
    ("replicast-wasm", "replicast_wasm", "pkg/npm"),
    ("replicast-web", "replicast_web", "dist"),
];

/// Builds the WASM crates, runs wasm-bindgen and wasm-opt on them, fills
/// `dist/` and builds the `replicast` binary.
pub fn all(ctx: &Ctx, agent: Agent) -> Result<(), String> {
    wasm(ctx)?;
    binary(ctx, agent).map(|_| ())
}

/// The WASM half of [`all`]: `pkg/npm/` and `dist/`.
pub fn wasm(ctx: &Ctx) -> Result<(), String> {
    let mut build = ctx.cargo();
    build.args([
        "build",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm",
    ]);
    for (package, _, _) in WASM_CRATES {
        build.args(["-p", package]);
    }
    run(&mut build)?;

    let wasm_opt = ctx.root.join("pkg/node_modules/.bin/wasm-opt");
    let artifacts = ctx.target.join("wasm32-unknown-unknown/wasm");
    for (_, stem, out) in WASM_CRATES {
        let out = ctx.root.join(out);
        fresh_dir(&out)?;
        let mut bindgen = ctx.cmd("wasm-bindgen");
        bindgen
            .args(["--target", "web", "--out-dir"])
            .arg(&out)
            .arg(artifacts.join(format!("{stem}.wasm")));
        if out.ends_with("dist") {
            bindgen.arg("--no-typescript");
        }
        run(&mut bindgen)?;
        let module = out.join(format!("{stem}_bg.wasm"));
        run(ctx
            .cmd(&wasm_opt)
            .arg("-Oz")
            .arg(&module)
            .arg("-o")
            .arg(&module))?;
    }

    let dist = ctx.root.join("dist");
    std::fs::copy(ctx.root.join("index.html"), dist.join("index.html"))
        .map_err(|e| format!("copying index.html to dist/: {e}"))?;
    println!("xtask: built dist/ (playground) and pkg/npm/ (npm package `replicast`)");
    Ok(())
}

/// Builds the `replicast` binary and returns its path.
pub fn binary(ctx: &Ctx, agent: Agent) -> Result<PathBuf, String> {
    let mut build = ctx.cargo();
    build.args(["build", "-p", "replicast", "--bin", "replicast"]);
    let profile_dir = match agent {
        Agent::Debug => "debug",
        Agent::Release => {
            build.arg("--release");
            "release"
        }
    };
    run(&mut build)?;
    Ok(ctx
        .target
        .join(profile_dir)
        .join(format!("replicast{}", std::env::consts::EXE_SUFFIX)))
}

/// `cargo xtask serve [ARGS]`: set-up, builds, then `replicast serve --dir dist ARGS`.
pub fn serve(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    setup::for_build(ctx)?;
    wasm(ctx)?;
    let bin = binary(ctx, Agent::Release)?;
    let mut serve = ctx.cmd(&bin);
    serve
        .arg("serve")
        .arg("--dir")
        .arg(ctx.root.join("dist"))
        .args(args);
    println!("xtask: $ {}", crate::ctx::show(&serve));
    println!(
        "xtask: the playground will be at http://127.0.0.1:8080/ unless ARGS say otherwise; Ctrl-C stops it"
    );
    exec(serve)
}

#[cfg(unix)]
fn exec(mut cmd: std::process::Command) -> Result<(), String> {
    // Replace this process, so Ctrl-C and SIGTERM reach `replicast` directly.
    use std::os::unix::process::CommandExt as _;
    let program = cmd.get_program().to_string_lossy().into_owned();
    let error = cmd.exec();
    Err(format!("running {program}: {error}"))
}

#[cfg(not(unix))]
fn exec(mut cmd: std::process::Command) -> Result<(), String> {
    run(&mut cmd)
}

/// Empties `dir` (it only ever holds build outputs) and creates it.
fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("clearing {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))
}
