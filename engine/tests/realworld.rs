//! The 48 real-world manifests of `tests/realworld/` (HPAs of every API
//! version, KEDA ScaledObjects, flaws included): each must be read without
//! a crash and either accepted or rejected with messages that each name a
//! path and a line. Prints what became of every file.

use std::path::Path;

use replicast_engine::manifest;
use replicast_engine::spec::validation::Options;

#[test]
fn every_realworld_manifest_is_accepted_or_rejected_with_a_located_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/realworld");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the real-world corpus is tests/realworld/)",
                dir.display()
            )
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 48,
        "expected the 48 real-world files, found {}",
        files.len()
    );
    let (mut accepted, mut rejected) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy();
        match manifest::parse(
            &text,
            Options {
                min_replicas_lower_bound: 1,
            },
        ) {
            Ok(m) => {
                accepted += 1;
                println!(
                    "accepted {name}: {} HPA, {} ScaledObject, {} workload, {} other",
                    m.hpas().count(),
                    m.scaled_objects().count(),
                    m.workloads().count(),
                    m.ignored().count()
                );
            }
            Err(e) => {
                rejected += 1;
                for p in &e.problems {
                    println!(
                        "rejected {name}: line {:?}: {}: {}",
                        p.line, p.path, p.message
                    );
                    assert!(
                        p.line.is_some(),
                        "{name}: a problem without a line: {} {}",
                        p.path,
                        p.message
                    );
                    assert!(
                        !p.message.trim().is_empty(),
                        "{name}: a problem without a message at {}",
                        p.path
                    );
                }
            }
        }
    }
    println!("{accepted} accepted, {rejected} rejected");
    assert!(
        accepted > 0 && rejected > 0,
        "real manifests include both valid and flawed ones"
    );
}
