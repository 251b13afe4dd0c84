//! Set-up that the commands do themselves, idempotently: rustup targets,
//! wasm-bindgen-cli at the version in `Cargo.lock`, npm packages from the
//! committed lockfiles, Debian's Chromium and ChromeDriver, Debian's RabbitMQ
//! and Prometheus for the agent's tests. Each step checks
//! first and does nothing when already done.

use std::path::Path;

use crate::ctx::{Ctx, output, run};

/// The rustup targets the builds use.
const TARGETS: [&str; 2] = ["wasm32-unknown-unknown", "wasm32v1-none"];
/// Where Debian's packages put Chromium and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The install command for Chromium, printed for non-root users.
const APT_CHROMIUM: &str =
    "sudo apt-get update && sudo apt-get install -y chromium chromium-driver";

/// What `build` and `serve` need: the targets, wasm-bindgen, pkg/'s npm packages (wasm-opt).
pub fn for_build(ctx: &Ctx) -> Result<(), String> {
    targets(ctx)?;
    wasm_bindgen(ctx)?;
    npm(ctx, "pkg")
}

/// What `test` needs: all of [`for_build`], e2e/'s npm packages, Chromium,
/// and for the agent's tests Debian's RabbitMQ and Prometheus.
pub fn for_test(ctx: &Ctx) -> Result<(), String> {
    for_build(ctx)?;
    npm(ctx, "e2e")?;
    chromium(ctx)?;
    crate::services::packages(ctx, false)
}

fn targets(ctx: &Ctx) -> Result<(), String> {
    let installed = output(ctx.cmd("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup` is needed (https://rustup.rs)")?;
    let missing: Vec<&str> = TARGETS
        .into_iter()
        .filter(|t| !installed.lines().any(|line| line.trim() == *t))
        .collect();
    if missing.is_empty() {
        println!(
            "xtask: setup: rustup targets {} present",
            TARGETS.join(", ")
        );
        return Ok(());
    }
    run(ctx.cmd("rustup").args(["target", "add"]).args(&missing))
}

fn wasm_bindgen(ctx: &Ctx) -> Result<(), String> {
    let lock = std::fs::read_to_string(ctx.root.join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let version =
        locked_version(&lock, "wasm-bindgen").ok_or("Cargo.lock has no wasm-bindgen package")?;
    let want = |tool: &str| format!("{tool} {version}");
    let have = |tool: &str| {
        output(ctx.cmd(tool).arg("--version")).is_some_and(|out| out.trim() == want(tool))
    };
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        println!("xtask: setup: wasm-bindgen-cli {version} present");
        return Ok(());
    }
    // Not `--locked`: wasm-bindgen-cli's own lockfile can pin crates the registry lacks.
    run(ctx
        .cargo()
        .args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        Ok(())
    } else {
        Err(format!(
            "wasm-bindgen {version} installed but not found first on PATH (looked in {} first)",
            ctx.cargo_bin.display()
        ))
    }
}

/// The version of `name` in a `Cargo.lock` (the first one, if several).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines
                .next()?
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

/// `npm ci` in `dir` unless its `node_modules` already matches the lockfile.
fn npm(ctx: &Ctx, dir: &str) -> Result<(), String> {
    let dir = ctx.root.join(dir);
    let lockfile = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".xtask-package-lock.json");
    let lock = std::fs::read(&lockfile).map_err(|e| format!("{}: {e}", lockfile.display()))?;
    if std::fs::read(&stamp).is_ok_and(|done| done == lock) {
        println!(
            "xtask: setup: {} up to date",
            rel(ctx, &dir.join("node_modules"))
        );
        return Ok(());
    }
    if output(ctx.cmd("npm").arg("--version")).is_none() {
        return Err("`npm` is needed: install Node.js 20 or later".into());
    }
    run(ctx
        .cmd("npm")
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

fn chromium(ctx: &Ctx) -> Result<(), String> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        println!("xtask: setup: {CHROMIUM} and {CHROMEDRIVER} present");
        return Ok(());
    }
    let root = output(ctx.cmd("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !root {
        return Err(format!(
            "the browser tests need Debian's Chromium and ChromeDriver; run:\n    {APT_CHROMIUM}"
        ));
    }
    run(ctx
        .cmd("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .arg("update"))?;
    run(ctx
        .cmd("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "chromium", "chromium-driver"]))
}

fn rel(ctx: &Ctx, path: &Path) -> String {
    path.strip_prefix(&ctx.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_version_from_cargo_lock() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-test\"\nversion = \"0.3.80\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(lock, "wasm-bindgen-test").as_deref(),
            Some("0.3.80")
        );
        assert_eq!(locked_version(lock, "wasm"), None);
    }

    #[test]
    fn the_workspace_lock_pins_wasm_bindgen() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        assert!(locked_version(&lock, "wasm-bindgen").is_some());
    }
}
