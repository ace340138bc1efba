use clap::Parser;

/// Output that never panics: `println!` panics when the reader of a pipe
/// has gone (`osce audit | head`). A command must finish what it does
/// (an import must not stop half way through writing sheets because its
/// report cannot be read), so a closed pipe is simply ignored.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

/// mimalloc rather than the system's allocator: status and export over a
/// large cohort make and free tens of millions of small strings, on every
/// core, and spend a quarter of their time in glibc's allocator otherwise.
/// Built without transparent huge pages (the crate's `no_thp`): with them
/// every fresh 2 MB of heap was zeroed at once, and `status` from the
/// archive at 5,000 × 16 held about 10 MB more and spent three times as
/// long in the kernel (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
