//! The engine's layering, checked on its sources: each top-level module
//! imports only modules of a lower layer (ARCHITECTURE.md draws them), and
//! no two sibling files of a module import each other, even through others.
//! A new upward import (`model` reading `case`, `calculator` reading `sim`)
//! fails here with the file that makes it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, bottom first; a module may import any module of a lower
/// layer, none of its own or a higher one.
const LAYERS: &[&[&str]] = &[
    &["error", "quantity", "time", "condition"],
    &["model", "notice", "spec", "yaml"],
    &["calculator", "schema"],
    &["behavior"],
    &["horizontal"],
    &["keda", "kpa"],
    &["explain", "manifest"],
    &["case", "lint"],
    &["sim"],
    &["tune"],
];

/// What the crate root re-exports, by the module that defines it.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("Error", "error"),
    ("ErrorKind", "error"),
    ("Path", "error"),
    ("Problem", "error"),
    ("Notice", "notice"),
    ("NoticeKind", "notice"),
    ("Notices", "notice"),
    ("Quantity", "quantity"),
    ("Decision", "case"),
    ("EvalCase", "case"),
    ("evaluate", "case"),
];

/// Directories whose sibling cycles are known and left to their owner, each
/// with why; a cycle anywhere else fails.
const PENDING_CYCLES: &[(&str, &str)] = &[(
    "sim/run",
    "the step loop's split (loops ↔ hpa_loop, keda_loop, readings) is the speed part's (issue #17)",
)];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The source without comments and without its `mod tests` block.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first segment of every path after `prefix` (`crate::`, `super::`),
/// the braces of a `use prefix{a, b::c}` group included.
fn targets(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        out.insert(ident(&group[j..]).to_string());
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest).to_string());
        }
    }
    out.remove("");
    out.remove("self");
    out
}

/// Every `.rs` file under `dir`, as (path relative to `src`, code).
fn sources(src: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(src, &p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, code(&fs::read_to_string(&p).unwrap())));
        }
    }
}

/// Each upward (or sideways) import between top-level modules, as
/// `file: module → module`.
fn upward(files: &[(String, String)]) -> Vec<String> {
    let root: BTreeMap<&str, &str> = ROOT_ITEMS.iter().copied().collect();
    let mut bad = Vec::new();
    for (rel, code) in files {
        let module = rel.split(['/', '.']).next().unwrap();
        if module == "lib" {
            continue;
        }
        let Some(own) = layer(module) else {
            bad.push(format!("{rel}: {module} is in no layer (add it to LAYERS)"));
            continue;
        };
        for t in targets(code, "crate::") {
            let to = root.get(t.as_str()).copied().unwrap_or(t.as_str());
            if to == module {
                continue;
            }
            match layer(to) {
                Some(l) if l < own => {}
                Some(_) => bad.push(format!("{rel}: {module} → {to}")),
                None => bad.push(format!("{rel}: {module} → {to} (a module of no layer)")),
            }
        }
    }
    bad
}

/// Sibling files (not `mod.rs`) of one directory module that reach each
/// other through `super::` imports: each cycle as `dir: a → b → ... → a`.
fn sibling_cycles(files: &[(String, String)]) -> Vec<String> {
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (rel, code) in files {
        let Some((dir, file)) = rel.rsplit_once('/') else {
            continue;
        };
        if file == "mod.rs" {
            continue;
        }
        let name = file.trim_end_matches(".rs").to_string();
        let mut edges = targets(code, "super::");
        edges.extend(targets(
            code,
            &format!("crate::{}::", dir.replace('/', "::")),
        ));
        graphs
            .entry(dir.to_string())
            .or_default()
            .insert(name, edges);
    }
    let mut cycles = Vec::new();
    for (dir, g) in &graphs {
        if PENDING_CYCLES.iter().any(|(d, _)| d == dir) {
            continue;
        }
        for start in g.keys() {
            // Depth-first from `start`, looking for a way back to it.
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            let mut seen = BTreeSet::new();
            while let Some((at, trail)) = stack.pop() {
                for next in g.get(&at).into_iter().flatten() {
                    if next == start {
                        cycles.push(format!("{dir}: {} → {start}", trail.join(" → ")));
                    } else if g.contains_key(next) && seen.insert(next.clone()) {
                        let mut t = trail.clone();
                        t.push(next.clone());
                        stack.push((next.clone(), t));
                    }
                }
            }
        }
    }
    cycles
}

fn engine_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    files
}

#[test]
fn every_module_imports_only_lower_layers() {
    let files = engine_sources();
    assert!(files.iter().any(|(rel, _)| rel.starts_with("model/")));
    let bad = upward(&files);
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_sibling_files_import_each_other() {
    let cycles = sibling_cycles(&engine_sources());
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checks_see_an_upward_import_and_a_cycle() {
    let file = |rel: &str, text: &str| (rel.to_string(), code(text));
    let files = [
        file(
            "model/pod.rs",
            "use crate::{error::Path, case::EvalCase};\n",
        ),
        file(
            "model/reading.rs",
            "// crate::sim in a comment\nuse crate::Error;\n",
        ),
        file("calculator.rs", "fn f() { crate::sim::run(); }\n"),
        file("keda/scalers.rs", "use super::spec::Trigger;\n"),
        file(
            "keda/spec.rs",
            "fn f() { crate::keda::scalers::describe(); }\n",
        ),
    ];
    assert_eq!(
        upward(&files),
        [
            "model/pod.rs: model → case",
            "calculator.rs: calculator → sim"
        ]
    );
    let cycles = sibling_cycles(&files);
    assert!(
        cycles.contains(&"keda: scalers → spec → scalers".to_string()),
        "{cycles:?}"
    );
}
