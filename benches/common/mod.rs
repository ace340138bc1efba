//! What every benchmark shares: criterion's figures read back after a run,
//! numbers written for people, and each benchmark's figures handed to
//! `benches/run`, which gathers them into BENCHMARKS.md.
//!
//! A benchmark calls [`publish`] with its figures as Markdown. They are
//! printed; when `OSCE_BENCH_FIGURES` names a folder (as `benches/run`
//! sets it), they are also written there as `<name>.md`.

// Each benchmark uses some of these.
#![allow(dead_code)]

use std::path::PathBuf;

/// Cargo's target folder (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Criterion's median of one benchmark and its 95% confidence interval,
/// in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    pub median: f64,
    pub low: f64,
    pub high: f64,
}

/// The estimate criterion saved for the benchmark named `id` in this run
/// (`target/criterion/<id>/new/estimates.json`), if it ran.
pub fn estimate(id: &str) -> Option<Estimate> {
    let path = target_dir().join("criterion").join(id).join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let median = &json["median"];
    Some(Estimate {
        median: median["point_estimate"].as_f64()?,
        low: median["confidence_interval"]["lower_bound"].as_f64()?,
        high: median["confidence_interval"]["upper_bound"].as_f64()?,
    })
}

/// "302 µs (299–305 µs)": criterion's median and interval for `id`.
pub fn criterion_cell(id: &str) -> String {
    match estimate(id) {
        Some(e) => {
            let unit = unit_for(e.median);
            format!(
                "{} ({}–{})",
                in_unit(e.median, unit),
                number(e.low / unit.1),
                in_unit(e.high, unit)
            )
        }
        None => "not measured in this run".to_string(),
    }
}

/// A duration in nanoseconds, to three figures: "94.5 µs", "4.04 ms".
pub fn duration(ns: f64) -> String {
    in_unit(ns, unit_for(ns))
}

fn unit_for(ns: f64) -> (&'static str, f64) {
    if ns >= 1e9 {
        ("s", 1e9)
    } else if ns >= 1e6 {
        ("ms", 1e6)
    } else if ns >= 1e3 {
        ("µs", 1e3)
    } else {
        ("ns", 1.0)
    }
}

fn in_unit(ns: f64, (name, scale): (&str, f64)) -> String {
    format!("{} {name}", number(ns / scale))
}

/// Three significant figures, without trailing noise: 302, 94.5, 4.04.
fn number(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Bytes as MB (10⁶), no decimals: "321 MB".
pub fn mb(bytes: f64) -> String {
    format!("{:.0} MB", bytes / 1e6)
}

/// 5000 → "5,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The load average now ("0.52 0.61 0.70"), as `/proc/loadavg` gives it.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints this benchmark's figures and, under `benches/run`, writes them
/// to `$OSCE_BENCH_FIGURES/<name>.md` for BENCHMARKS.md.
pub fn publish(name: &str, markdown: &str) {
    println!("\n{markdown}");
    if let Some(dir) = std::env::var_os("OSCE_BENCH_FIGURES") {
        let path = PathBuf::from(dir).join(format!("{name}.md"));
        if let Err(e) = std::fs::write(&path, markdown) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}

/// One run of a program under GNU time (`/usr/bin/time -v`): wall time,
/// CPU time and peak resident memory.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: f64,
    pub user: f64,
    pub sys: f64,
    pub max_rss_kb: u64,
}

impl Run {
    /// Peak resident memory in bytes.
    pub fn rss(&self) -> f64 {
        self.max_rss_kb as f64 * 1024.0
    }
}

/// Runs `args` (the program first) under `/usr/bin/time -v`, its output
/// to `stdout` (a file) or nowhere. Panics, with GNU time's report, if
/// the program fails.
pub fn timed(args: &[&str], stdout: Option<&std::path::Path>) -> Run {
    timed_exiting(args, stdout, &[0])
}

/// [`timed`] of a program that may end with any of the exit codes `ok`
/// (`osce status` exits 1 while results are not final).
pub fn timed_exiting(args: &[&str], stdout: Option<&std::path::Path>, ok: &[i32]) -> Run {
    use std::process::{Command, Stdio};
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .args(args)
        .stdout(match stdout {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("stdout file")),
            None => Stdio::null(),
        })
        .stderr(Stdio::piped())
        .output()
        .expect("run /usr/bin/time (GNU time: apt-get install time)");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some_and(|c| ok.contains(&c)),
        "{args:?} failed ({}):\n{report}",
        out.status
    );
    let value = |label: &str| -> f64 {
        let text = report
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {label:?} in GNU time's report:\n{report}"));
        // `h:mm:ss` or `m:ss.cc` for the wall clock; plain numbers else.
        text.split(':').fold(0.0, |acc, part| {
            acc * 60.0 + part.parse::<f64>().expect("a number")
        })
    };
    Run {
        wall: value("Elapsed (wall clock) time (h:mm:ss or m:ss):"),
        user: value("User time (seconds):"),
        sys: value("System time (seconds):"),
        max_rss_kb: value("Maximum resident set size (kbytes):") as u64,
    }
}

/// `osce simulate RUBRIC --candidates N --examiners 40 --seed 1 --sessions
/// DIR` (the cohorts of the report and archive benchmarks), timed, then
/// `sync`, so that what runs next does not pay for writing it out.
pub fn simulate(osce: &str, rubric: &str, candidates: usize, sessions: &str) -> Run {
    let candidates = candidates.to_string();
    let run = timed(
        &[
            osce,
            "simulate",
            rubric,
            "--candidates",
            &candidates,
            "--examiners",
            "40",
            "--seed",
            "1",
            "--sessions",
            sessions,
        ],
        None,
    );
    let _ = std::process::Command::new("sync").status();
    run
}

/// One warm-up, then `runs` runs: the one with the median wall time, and
/// the fastest and slowest wall times.
pub fn median_run(args: &[&str], stdout: Option<&std::path::Path>, runs: usize) -> (Run, f64, f64) {
    median_run_exiting(args, stdout, runs, &[0])
}

/// [`median_run`] of a program that may end with any of the exit codes
/// `ok`.
pub fn median_run_exiting(
    args: &[&str],
    stdout: Option<&std::path::Path>,
    runs: usize,
    ok: &[i32],
) -> (Run, f64, f64) {
    timed_exiting(args, stdout, ok);
    let mut all: Vec<Run> = (0..runs.max(1))
        .map(|_| timed_exiting(args, stdout, ok))
        .collect();
    all.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    let (low, high) = (all[0].wall, all[all.len() - 1].wall);
    (all[all.len() / 2], low, high)
}

/// Stops with a message if GNU time is not at `/usr/bin/time`.
pub fn need_gnu_time() {
    if !std::path::Path::new("/usr/bin/time").exists() {
        eprintln!("GNU time is needed at /usr/bin/time for wall time and peak memory: apt-get install time");
        std::process::exit(2);
    }
}
