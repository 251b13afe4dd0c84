//! The builds: the npm package (`pkg/npm/`, its JSON-only build in
//! `pkg/npm/json/`), the playground (`dist/`) and the `replicast` binary;
//! and `serve`, which runs the binary on `dist/`.
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

/// One wasm-bindgen output: which crate, built how, into which folder.
struct WasmOutput {
    /// The cargo package.
    package: &'static str,
    /// Its artifact's file stem.
    stem: &'static str,
    /// Extra `cargo build` arguments (features).
    features: &'static [&'static str],
    /// The output folder, relative to the workspace root.
    out: &'static str,
    /// Whether it is the npm package (TypeScript, reset-state function).
    npm: bool,
}

/// The npm package `replicast` (YAML reading), its JSON-only build
/// `replicast/json` (no YAML parser: smaller), and the playground. Each is
/// its own `cargo build`, so that no crate's features leak into another's
/// module (built together with the playground, the package grows).
const WASM_OUTPUTS: [WasmOutput; 3] = [
    WasmOutput {
        package: "replicast-wasm",
        stem: "replicast_wasm",
        features: &[],
        out: "pkg/npm",
        npm: true,
    },
    WasmOutput {
        package: "replicast-wasm",
        stem: "replicast_wasm",
        features: &["--no-default-features"],
        out: "pkg/npm/json",
        npm: true,
    },
    WasmOutput {
        package: "replicast-web",
        stem: "replicast_web",
        features: &[],
        out: "dist",
        npm: false,
    },
];

/// Builds the WASM crates, runs wasm-bindgen and wasm-opt on them, fills
/// `dist/` and builds the `replicast` binary.
pub fn all(ctx: &Ctx, agent: Agent) -> Result<(), String> {
    wasm(ctx)?;
    binary(ctx, agent).map(|_| ())
}

/// The WASM half of [`all`]: `pkg/npm/` (with `pkg/npm/json/`) and `dist/`.
pub fn wasm(ctx: &Ctx) -> Result<(), String> {
    let artifacts = ctx.target.join("wasm32-unknown-unknown/wasm");
    for dir in ["pkg/npm", "dist"] {
        fresh_dir(&ctx.root.join(dir))?;
    }
    // One build per output; each artifact is bound before the next build
    // overwrites it.
    for output in &WASM_OUTPUTS {
        let mut build = ctx.cargo();
        build.args([
            "build",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm",
            "-p",
            output.package,
        ]);
        build.args(output.features);
        run(&mut build)?;
        bind(
            ctx,
            output,
            &artifacts.join(format!("{}.wasm", output.stem)),
        )?;
    }

    let dist = ctx.root.join("dist");
    std::fs::copy(ctx.root.join("index.html"), dist.join("index.html"))
        .map_err(|e| format!("copying index.html to dist/: {e}"))?;
    println!(
        "xtask: built dist/ (playground) and pkg/npm/ (npm package `replicast`, and `replicast/json`)"
    );
    // The size report; informative, so a failure to print it fails nothing.
    let mut sizes = ctx.cmd("node");
    sizes
        .current_dir(ctx.root.join("pkg"))
        .arg("bench/size.mjs");
    if let Err(e) = run(&mut sizes) {
        println!("xtask: warning: no size report: {e}");
    }
    Ok(())
}

/// wasm-bindgen (`--target web`) and wasm-opt `-Oz` for one output.
fn bind(ctx: &Ctx, output: &WasmOutput, artifact: &Path) -> Result<(), String> {
    let out = ctx.root.join(output.out);
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let mut bindgen = ctx.cmd("wasm-bindgen");
    bindgen
        .args(["--target", "web", "--out-dir"])
        .arg(&out)
        .arg(artifact);
    if output.npm {
        // `__wbg_reset_state`: pkg/js/core.js starts a fresh instance after a trap.
        bindgen.arg("--experimental-reset-state-function");
    } else {
        bindgen.arg("--no-typescript");
    }
    run(&mut bindgen)?;
    if output.npm {
        let dts = out.join(format!("{}.d.ts", output.stem));
        let text =
            std::fs::read_to_string(&dts).map_err(|e| format!("reading {}: {e}", dts.display()))?;
        std::fs::write(&dts, public_declarations(&text))
            .map_err(|e| format!("writing {}: {e}", dts.display()))?;
        // Only the TypeScript of the generated module is needed.
        let _ = std::fs::remove_file(out.join(format!("{}_bg.wasm.d.ts", output.stem)));
    }
    let module = out.join(format!("{}_bg.wasm", output.stem));
    let wasm_opt = ctx.root.join("pkg/node_modules/.bin/wasm-opt");
    run(ctx
        .cmd(&wasm_opt)
        .arg("-Oz")
        .arg(&module)
        .arg("-o")
        .arg(&module))
}

/// The package's declarations from wasm-bindgen's: without the loader
/// (`InitInput`, `initSync`, `__wbg_init`: the package's entry points load
/// the module, and those types need the DOM library) and without the
/// internal exports (`start`, `__*`), so that `export type *` in
/// `pkg/js/index.d.ts` re-exports exactly the API's types.
pub fn public_declarations(dts: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut doc_start: Option<usize> = None;
    for line in dts.lines() {
        if line.starts_with("export type InitInput") {
            break;
        }
        if line.starts_with("/**") {
            doc_start = Some(out.len());
        }
        let internal = line
            .strip_prefix("export function ")
            .is_some_and(|rest| rest.starts_with("__") || rest.starts_with("start("));
        if internal {
            // Drop the declaration and the doc comment right above it.
            if let Some(start) =
                doc_start.filter(|&s| out[s..].iter().all(|l| !l.starts_with("export")))
            {
                out.truncate(start);
            }
            doc_start = None;
            continue;
        }
        if line.trim().is_empty() && out.last().is_some_and(|l| l.trim().is_empty()) {
            continue;
        }
        // wasm-bindgen gives exported classes `[Symbol.dispose]()`, which
        // needs TypeScript's `esnext.disposable` library; the package's
        // wrappers (`pkg/js/core.js`) hand out plain objects with `free()`
        // instead, so the declaration would be both wrong and a type error
        // under the package's `es2022` baseline.
        if line.trim_start().starts_with("[Symbol.dispose]") {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_declarations_drop_the_loader_and_internal_exports() {
        let dts = "export interface Decision {\n    desiredReplicas: number;\n}\n\n\
                   export class Prepared {\n    free(): void;\n    [Symbol.dispose](): void;\n}\n\n\
                   /**\n * Internal.\n */\nexport function __takePanic(): string | undefined;\n\n\
                   export function __wbg_reset_state(): void;\n\n\
                   /**\n * Evaluates.\n */\nexport function evaluate(input: CaseInput): Decision;\n\n\
                   export function start(): void;\n\n\
                   export type InitInput = RequestInfo | URL;\n\nexport function initSync(): void;\n";
        assert_eq!(
            public_declarations(dts),
            "export interface Decision {\n    desiredReplicas: number;\n}\n\n\
             export class Prepared {\n    free(): void;\n}\n\n\
             /**\n * Evaluates.\n */\nexport function evaluate(input: CaseInput): Decision;\n"
        );
    }
}
