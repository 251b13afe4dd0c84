//! The case format's `count` shorthand: one pod written for many.

use alloc::vec::Vec;

use crate::model::Pod;

/// The most pods a case may hold once every `count` is expanded.
pub const MAX_PODS: u64 = 200_000;

/// Expands every pod's `count` into that many pods (`<name>-0`, ...).
pub(crate) fn expand_pods(pods: Vec<Pod>) -> Vec<Pod> {
    if pods.iter().all(|p| p.count.is_none()) {
        return pods;
    }
    let mut out = Vec::with_capacity(pods.len());
    for mut p in pods {
        match p.count.take() {
            None => out.push(p),
            Some(n) => {
                for k in 0..n {
                    let mut q = p.clone();
                    q.name = alloc::format!("{}-{k}", p.name);
                    out.push(q);
                }
            }
        }
    }
    out
}
