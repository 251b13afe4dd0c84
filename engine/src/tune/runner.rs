//! Running a batch of candidates: one after another ([`Sequential`], the
//! only choice without `std`), or on several threads ([`Threads`]). Results
//! come back in candidate order whatever ran where, so the search is the
//! same for any number of threads.

use alloc::vec::Vec;

use super::{CandidateOutcome, Tuning};

/// Runs `f(0..n)` and returns the results in index order.
pub trait Runner {
    /// Evaluates every index.
    fn map<R: Send>(&self, n: usize, f: &(dyn Fn(usize) -> R + Sync)) -> Vec<R>;

    /// Runs a batch of candidates ([`Tuning::evaluate`] each, through
    /// [`Runner::map`]); a runner that knows outcomes already, or gets them
    /// elsewhere ([`super::replay`]), answers from those instead.
    fn candidates(&self, t: &Tuning, batch: &[Vec<u16>], prune: bool) -> Vec<CandidateOutcome> {
        self.map(batch.len(), &|i| t.evaluate(&batch[i], prune))
    }
}

/// One after another on the calling thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sequential;

impl Runner for Sequential {
    fn map<R: Send>(&self, n: usize, f: &(dyn Fn(usize) -> R + Sync)) -> Vec<R> {
        (0..n).map(f).collect()
    }
}

/// On this many threads (`std::thread::scope`), each taking the next index.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug)]
pub struct Threads(pub usize);

#[cfg(feature = "std")]
impl Threads {
    /// One thread per core.
    pub fn per_core() -> Threads {
        Threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

#[cfg(feature = "std")]
impl Runner for Threads {
    fn map<R: Send>(&self, n: usize, f: &(dyn Fn(usize) -> R + Sync)) -> Vec<R> {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = self.0.clamp(1, n.max(1));
        if threads == 1 {
            return Sequential.map(n, f);
        }
        let next = AtomicUsize::new(0);
        let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..n).map(|_| None).collect());
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        let r = f(i);
                        if let Ok(mut slots) = slots.lock() {
                            slots[i] = Some(r);
                        }
                    }
                });
            }
        });
        slots
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn threads_keep_index_order() {
        let f = |i: usize| i * i;
        assert_eq!(Threads(3).map(50, &f), Sequential.map(50, &f));
        assert_eq!(Threads(4).map(0, &f), Vec::<usize>::new());
    }
}
