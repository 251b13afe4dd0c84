//! Where things are (workspace root, target folder, tools) and how commands
//! are run: each one printed before it runs, with the tool folders on `PATH`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What every task needs to know about the machine and the workspace.
pub struct Ctx {
    /// The workspace root (where `Cargo.toml` and `Cargo.lock` are).
    pub root: PathBuf,
    /// Cargo's target folder (honours `CARGO_TARGET_DIR`).
    pub target: PathBuf,
    /// The cargo that runs us (`$CARGO`), so children use the same toolchain.
    pub cargo: OsString,
    /// `$CARGO_HOME/bin`, where `cargo install` puts wasm-bindgen.
    pub cargo_bin: PathBuf,
    /// `PATH` for children: `$CARGO_HOME/bin` first, then the inherited one.
    path: OsString,
}

impl Ctx {
    /// Finds the workspace and the target folder.
    pub fn new() -> Result<Self, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask has no parent folder")?
            .to_path_buf();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let cargo_bin = cargo_home.join("bin");
        let mut paths = vec![cargo_bin.clone()];
        if let Some(inherited) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&inherited).filter(|p| *p != cargo_bin));
        }
        let path = std::env::join_paths(paths).map_err(|e| format!("PATH: {e}"))?;
        let mut ctx = Self {
            target: root.join("target"),
            root,
            cargo,
            cargo_bin,
            path,
        };
        ctx.target = ctx.target_dir()?;
        Ok(ctx)
    }

    /// Asks cargo where its target folder is (env, config or default).
    fn target_dir(&self) -> Result<PathBuf, String> {
        let out = self
            .cargo()
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--offline",
            ])
            .output()
            .map_err(|e| format!("cargo metadata: {e}"))?;
        let json = String::from_utf8_lossy(&out.stdout);
        let key = "\"target_directory\":\"";
        let start = json.find(key).map(|i| i + key.len());
        match start.and_then(|s| json[s..].find('"').map(|e| &json[s..s + e])) {
            Some(dir) => Ok(PathBuf::from(dir.replace("\\\\", "\\"))),
            None => Ok(self.root.join("target")),
        }
    }

    /// A command for `program`, run in the workspace root with our `PATH`.
    pub fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }

    /// A `cargo` command (the same cargo that runs the xtask).
    pub fn cargo(&self) -> Command {
        self.cmd(&self.cargo)
    }
}

/// Prints `cmd` as a shell line, runs it, and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let line = show(cmd);
    println!("xtask: $ {line}");
    let status = cmd.status().map_err(|e| format!("{line}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{line}: {status}"))
    }
}

/// Runs `cmd` quietly and returns its stdout, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `cmd` as a shell line: environment changes, program, arguments, and
/// the folder when it is not the workspace root.
pub fn show(cmd: &Command) -> String {
    let mut parts = Vec::new();
    if let Some(dir) = cmd.get_current_dir() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent();
        if root != Some(dir) {
            let shown = root
                .and_then(|r| dir.strip_prefix(r).ok())
                .unwrap_or(dir)
                .display()
                .to_string();
            parts.push(format!("(cd {shown} &&"));
        }
    }
    for (key, value) in cmd.get_envs() {
        if key == "PATH" {
            continue;
        }
        let value = value
            .map(|v| v.to_string_lossy().into_owned())
            .unwrap_or_default();
        parts.push(format!("{}={}", key.to_string_lossy(), quote(&value)));
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    let program = Path::new(&program)
        .file_name()
        .filter(|name| *name == "cargo")
        .map_or(program.clone(), |name| name.to_string_lossy().into_owned());
    parts.push(quote(&program));
    parts.extend(cmd.get_args().map(|a| quote(&a.to_string_lossy())));
    let mut line = parts.join(" ");
    if line.starts_with("(cd ") {
        line.push(')');
    }
    line
}

fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_a_command_as_a_shell_line() {
        let mut cmd = Command::new("cargo");
        cmd.args(["clippy", "--", "-D", "warnings", "two words"])
            .env("A", "1");
        assert_eq!(show(&cmd), "A=1 cargo clippy -- -D warnings 'two words'");
    }
}
