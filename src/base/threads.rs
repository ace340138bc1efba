//! Work spread over every core, for the steps that read or write tens of
//! thousands of files (status and export over a whole cohort), with results
//! in the same order as one core would give them.

use std::sync::Mutex;

/// How many threads to use: one a core, within reason.
pub fn count() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16)
}

/// `f` of every item, in the items' order, computed on every core. A
/// thread takes `block` items at a time: enough that taking them is cheap
/// next to the work, few enough that the threads finish together.
pub fn map<T: Send, R: Send>(items: Vec<T>, block: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let blocks = map_blocks(items, block, f);
    let mut out = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
    // Each block is freed once moved: never two whole copies at once.
    for block in blocks {
        out.extend(block);
    }
    out
}

/// [`map`], its results left in blocks of `block` (in order), for a caller
/// that moves them on: it then never holds them twice.
pub fn map_blocks<T: Send, R: Send>(items: Vec<T>, block: usize, f: impl Fn(T) -> R + Sync) -> Vec<Vec<R>> {
    let block = block.max(1);
    let threads = count();
    if threads == 1 || items.len() <= 1 {
        return vec![items.into_iter().map(f).collect()];
    }
    let total = items.len();
    let mut blocks = Vec::with_capacity(total.div_ceil(block));
    let mut items = items.into_iter();
    loop {
        let taken: Vec<T> = items.by_ref().take(block).collect();
        if taken.is_empty() {
            break;
        }
        blocks.push(taken);
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
    done.into_iter().map(|(_, block)| block).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order() {
        for block in [1, 7, 256, 20_000] {
            let items: Vec<usize> = (0..10_000).collect();
            let doubled = super::map(items, block, |i| i * 2);
            assert_eq!(doubled, (0..10_000).map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
