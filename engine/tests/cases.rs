//! Runs every fixture in `tests/cases/` (the shared, language-neutral case
//! files) through the engine: one test per file, named by its path.
//! `*.invalid` files are not YAML at all and must be rejected at a line.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use replicast_engine::case::expect;
use replicast_engine::yaml::{Limits, parse_single};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            fixtures(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json" | "invalid")
        ) {
            out.push(path);
        }
    }
}

fn run(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    if path.extension().is_some_and(|e| e == "invalid") {
        // Not even a document: must be rejected, with a line to point at.
        return match replicast_engine::case::parse(&text) {
            Ok(_) => Err("accepted input that is not valid YAML".into()),
            Err(e) if e.first().line.is_none() => {
                Err(format!("rejected without a line: {e}").into())
            }
            Err(_) => Ok(()),
        };
    }
    let node =
        parse_single(&text, &Limits::default()).map_err(|e| format!("not a YAML document: {e}"))?;
    let value = node
        .to_json()
        .map_err(|e| format!("not a YAML document: {e}"))?;
    expect::check_fixture(&value).map_err(|errs| Failed::from(errs.join("\n")))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
    let mut files = Vec::new();
    fixtures(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no fixtures under {}", root.display());
    let trials = files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Trial::test(name, move || run(&path))
        })
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
