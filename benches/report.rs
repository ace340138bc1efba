//! `osce simulate` and `osce report` from 1,000 to 10,000 candidates × 20
//! stations: wall time and peak memory of the real binary, and how they
//! grow. Figures go in BENCHMARKS.md.
//!
//! ```sh
//! cargo bench --bench report                 # 1,000, 2,000, 5,000, 10,000
//! cargo bench --bench report -- 1000 10000   # chosen sizes
//! ```
//!
//! For each size it deletes and re-creates `target/bench-report/c<N>/`,
//! runs `osce simulate benches/data/osce-20-stations.ron --candidates N
//! --examiners 40 --seed 1` once, then `osce report --format markdown` (one
//! warm-up, then the median of three), each under GNU `/usr/bin/time -v`
//! (the Debian package `time`). The page cache is warm for the report (the
//! cohort was just written, then `sync`ed so the report does not pay for
//! writing it out). The cohorts take about 0.8 GB at 10,000; delete
//! `target/bench-report/` to get the space back.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SIZES: [usize; 4] = [1_000, 2_000, 5_000, 10_000];
const RUBRIC: &str = "benches/data/osce-20-stations.ron";

struct Run {
    wall: f64,
    peak_kb: u64,
}

/// Runs the binary under GNU time; panics with its output if it fails
/// (a benchmark is not a test, but a failed run must not give a figure).
fn timed(args: &[String]) -> Run {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_osce"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("/usr/bin/time (apt-get install time)");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "osce {args:?} failed:\n{report}");
    let field = |label: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {label} in:\n{report}"))
            .to_string()
    };
    let clock = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
    let wall = clock
        .split(':')
        .fold(0.0, |acc, part| acc * 60.0 + part.parse::<f64>().unwrap_or(0.0));
    let peak_kb = field("Maximum resident set size (kbytes):").parse().unwrap_or(0);
    Run { wall, peak_kb }
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    runs.swap_remove(runs.len() / 2)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace([',', '_'], "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { SIZES.to_vec() } else { sizes };
    let root: PathBuf = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-report");
    let rubric = Path::new(env!("CARGO_MANIFEST_DIR")).join(RUBRIC);
    println!("| candidates × 20 stations | sheets | simulate: wall, peak RSS | report: wall, peak RSS |");
    println!("|---|---|---|---|");
    let mut first: Option<(usize, f64, f64)> = None;
    for n in sizes {
        let dir = root.join(format!("c{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench folder");
        let sessions = dir.join("sessions");
        let s = |x: &Path| x.display().to_string();
        let sim = timed(&[
            "simulate".into(),
            s(&rubric),
            "--candidates".into(),
            n.to_string(),
            "--examiners".into(),
            "40".into(),
            "--seed".into(),
            "1".into(),
            "--sessions".into(),
            s(&sessions),
        ]);
        // Let the simulator's writes reach the disk first, so the report
        // does not pay for them.
        let _ = Command::new("sync").status();
        let report_args = vec![
            "report".to_string(),
            s(&rubric),
            "--sessions".into(),
            s(&sessions),
            "--format".into(),
            "markdown".into(),
        ];
        let _warm = timed(&report_args);
        let rep = median((0..3).map(|_| timed(&report_args)).collect());
        println!(
            "| {n} | {} | {:.2} s, {:.0} MB | {:.2} s, {:.0} MB |",
            n * 20,
            sim.wall,
            sim.peak_kb as f64 * 1024.0 / 1e6,
            rep.wall,
            rep.peak_kb as f64 * 1024.0 / 1e6
        );
        match first {
            None => first = Some((n, sim.wall, rep.wall)),
            Some((n0, s0, r0)) => println!(
                "|   growth from {n0}: × {:.1} candidates | | × {:.2} time | × {:.2} time |",
                n as f64 / n0 as f64,
                sim.wall / s0,
                rep.wall / r0
            ),
        }
    }
}
