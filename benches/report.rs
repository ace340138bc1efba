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

use std::fmt::Write as _;
use std::path::Path;

mod common;

const SIZES: [usize; 4] = [1_000, 2_000, 5_000, 10_000];
const RUBRIC: &str = "benches/data/osce-20-stations.ron";

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace([',', '_'], "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { SIZES.to_vec() } else { sizes };
    common::need_gnu_time();
    let root = common::target_dir().join("bench-report");
    let rubric = Path::new(env!("CARGO_MANIFEST_DIR")).join(RUBRIC);
    let rubric = rubric.to_str().expect("a UTF-8 path");
    let osce = env!("CARGO_BIN_EXE_osce");
    let mut table = String::from(
        "| candidates × 20 stations | sheets | `osce simulate`: wall, peak RSS | `osce report`: wall, median of 3 (fastest–slowest), peak RSS |\n\
         |---|---|---|---|\n",
    );
    let mut first: Option<(usize, f64, f64, f64)> = None;
    let mut growth = String::new();
    let mut aim = String::new();
    let load_before = common::load_average();
    for n in sizes {
        let dir = root.join(format!("c{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench folder");
        let sessions = dir.join("sessions");
        let sessions = sessions.to_str().expect("a UTF-8 path");
        // Synced, so that the report does not pay for writing it out.
        let sim = common::simulate(osce, rubric, n, sessions);
        let (rep, low, high) = common::median_run(
            &[
                osce,
                "report",
                rubric,
                "--sessions",
                sessions,
                "--format",
                "markdown",
            ],
            None,
            3,
        );
        let _ = writeln!(
            table,
            "| {} | {} | {:.1} s, {} | **{:.2} s** ({low:.2}–{high:.2} s), **{}** |",
            common::thousands(n as u64),
            common::thousands(n as u64 * 20),
            sim.wall,
            common::mb(sim.rss()),
            rep.wall,
            common::mb(rep.rss()),
        );
        match first {
            None => first = Some((n, sim.wall, rep.wall, rep.rss())),
            Some((n0, s0, r0, m0)) => {
                let _ = writeln!(
                    growth,
                    "- from {} to {} ({:.0} times the candidates): simulate {:.1} times the time, report {:.1} times the time and {:.1} times the memory",
                    common::thousands(n0 as u64),
                    common::thousands(n as u64),
                    n as f64 / n0 as f64,
                    sim.wall / s0,
                    rep.wall / r0,
                    rep.rss() / m0
                );
            }
        }
        if n == 10_000 {
            let met = |ok: bool| if ok { "met" } else { "**missed**" };
            aim = format!(
                "Against the aim at 10,000 × 20 (report under 3 s and under 1 GB): time {}, memory {}.\n",
                met(rep.wall < 3.0),
                met(rep.rss() < 1e9)
            );
        }
    }
    common::publish(
        "report",
        &format!(
            "{table}\nGrowth:\n\n{growth}\n{aim}\nLoad average (1, 5, 15 min): {load_before} before, {} after.\n",
            common::load_average()
        ),
    );
}
