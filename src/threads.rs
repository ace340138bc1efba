//! Work spread over every core, for the steps that read or write tens of
//! thousands of files (status and export over a whole cohort), with results
//! in the same order as one core would give them.

use std::sync::Mutex;

/// How many items a thread takes at a time: enough that taking is cheap,
/// few enough that the threads finish together.
const BLOCK: usize = 256;

/// `f` of every item, in the items' order, computed on every core.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    if threads == 1 || items.len() <= BLOCK {
        return items.into_iter().map(f).collect();
    }
    let total = items.len();
    let mut blocks = Vec::with_capacity(total.div_ceil(BLOCK));
    let mut items = items.into_iter();
    loop {
        let block: Vec<T> = items.by_ref().take(BLOCK).collect();
        if block.is_empty() {
            break;
        }
        blocks.push(block);
    }
    let todo = Mutex::new(blocks.into_iter().enumerate());
    // Taking the next block cannot panic, so the lock is never poisoned.
    let next = || todo.lock().unwrap_or_else(|e| e.into_inner()).next();
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((i, block)) = next() {
                        done.push((i, block.into_iter().map(&f).collect::<Vec<R>>()));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(total);
    for (_, block) in done {
        out.extend(block);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order() {
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = super::map(items, |i| i * 2);
        assert_eq!(doubled, (0..10_000).map(|i| i * 2).collect::<Vec<_>>());
    }
}
