//! Work spread over threads with the results in input order, so the output never depends on
//! which thread finished first.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `items.iter().map(f)`, on up to `jobs` threads. Threads take the next item as they finish
/// one (a large policy does not hold up the manifests behind it); the results come back in the
/// order of `items`. A panic in `f` is raised again on the calling thread.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: NonZeroUsize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = jobs.get().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            all.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        for (i, r) in all {
            slots[i] = Some(r);
        }
    });
    slots.into_iter().map(|r| r.expect("every item was taken by one thread")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..1000).collect();
        let slow_first = |&i: &u64| {
            if i < 4 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            i * i
        };
        let one = map(&items, NonZeroUsize::new(1).unwrap(), slow_first);
        for jobs in [2, 3, 8, 64] {
            assert_eq!(map(&items, NonZeroUsize::new(jobs).unwrap(), slow_first), one);
        }
        assert!(map(&[] as &[u64], NonZeroUsize::new(4).unwrap(), slow_first).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..20).collect();
        map(&items, NonZeroUsize::new(2).unwrap(), |&i| assert!(i != 7, "item 7"));
    }
}
