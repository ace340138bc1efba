//! The exam archive: `osce collect` at 5,000 × 16 and 10,000 × 20
//! stations, against the floor of reading and hashing every journal, and
//! `status`, `export` and `report` read from the archive beside the same
//! commands on the folders. Figures go in BENCHMARKS.md.
//!
//! ```sh
//! cargo bench --bench archive              # 5,000 × 16 and 10,000 × 20
//! cargo bench --bench archive -- 500 1000  # smaller cohorts, to try it
//! ```
//!
//! For each size it makes `target/bench-archive/c<N>-s<K>/` once (reused
//! while its `COMPLETE` marker is there): `osce simulate
//! benches/data/osce-<K>-stations.ron --candidates N --examiners 40 --seed
//! 1`. Then, with the page cache warm (the folder is read once first):
//!
//! 1. The floor: every journal file listed, read and hashed with BLAKE3 on
//!    one thread, in this process (what `collect` cannot do without).
//! 2. `osce collect` into a new archive: the median of three, each into a
//!    fresh file (a first collect, every time).
//! 3. `osce collect` again with nothing changed.
//! 4. `status` and `export` (at 5,000 × 16) and `report` (at 10,000 × 20),
//!    from the folders and from the archive.
//! 5. `audit` of one very long journal (1,000,000 records, about 450 MB:
//!    a stress case, a real sheet holds tens), from its folder and from an
//!    archive: the peak memory against the journal's size.
//!
//! Every command runs the real binary under GNU `/usr/bin/time -v`: wall
//! time and peak resident memory; one warm-up, then the median of three.
//! The cohorts and archives take about 2.5 GB; delete
//! `target/bench-archive/` to get it back.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use osce::store::{Event, GENESIS, Record, SheetKey, Store, encode_line, hash_rubric};

mod common;

const RUNS: usize = 3;

/// Every `.jsonl` file under `dir`.
fn journal_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            journal_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
}

/// Lists, reads and hashes every journal under `sessions` on one thread:
/// (seconds, journals, bytes).
fn floor(sessions: &Path) -> (f64, usize, u64) {
    let start = Instant::now();
    let mut files = Vec::new();
    journal_files(sessions, &mut files);
    let mut bytes = 0u64;
    for f in &files {
        let b = std::fs::read(f).expect("a journal");
        bytes += b.len() as u64;
        std::hint::black_box(blake3::hash(&b));
    }
    (start.elapsed().as_secs_f64(), files.len(), bytes)
}

/// The same per-station figures as `report`, by pandas and pingouin from
/// the stations.csv exported from the archive (benches/pandas_report.py),
/// as a row of the reads table; or a row saying why it was not run.
fn pandas_row(
    osce: &str,
    rubric: &str,
    archive: &str,
    dir: &Path,
    n: usize,
    k: usize,
    report: f64,
) -> String {
    // `bash benches/run` installs both into target/bench-python where the
    // system's Python lacks them, and names that Python here.
    let python3 = std::env::var("OSCE_BENCH_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let python = std::process::Command::new(&python3)
        .args(["-c", "import pandas, pingouin"])
        .status()
        .is_ok_and(|s| s.success());
    let cohort = format!("{} × {k}", common::thousands(n as u64));
    if !python {
        return format!(
            "| pandas + pingouin on the exported stations.csv | {cohort} | not run: `python3 -c 'import pandas, pingouin'` \
             fails on this machine, and `bash benches/run` could not install them (`python3 -m venv`, then `pip install pandas pingouin`) | | | at least 10× slower than `report`: not measured |"
        );
    }
    let out = dir.join("export-for-pandas");
    let out_s = out.to_str().expect("a UTF-8 path");
    common::timed_exiting(
        &[
            osce,
            "export",
            rubric,
            "--archive",
            archive,
            "--out",
            out_s,
            "--force",
        ],
        None,
        &[0, 1],
    );
    let stations = out.join("stations.csv");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pandas_report.py");
    let (p, low, high) = common::median_run(
        &[
            python3.as_str(),
            script.to_str().expect("a UTF-8 path"),
            stations.to_str().expect("a UTF-8 path"),
            "1",
        ],
        None,
        RUNS,
    );
    format!(
        "| pandas + pingouin on the exported stations.csv (`python3 benches/pandas_report.py stations.csv 1`) | {cohort} | | | {} | `report` from the archive is {:.1}× as fast (aim: at least 10×): {} |",
        cell(&p, low, high),
        p.wall / report,
        if p.wall / report >= 10.0 {
            "met"
        } else {
            "**missed**"
        }
    )
}

/// Deletes the readings the archive keeps (as after a collect into a new
/// archive): the next command reads every journal.
fn forget_readings(archive: &Path) {
    let conn = rusqlite::Connection::open(archive).expect("the archive");
    conn.execute_batch("DELETE FROM readings")
        .expect("readings deleted");
}

/// Records in the long journal `audit` reads.
const LONG_RECORDS: u64 = 1_000_000;

/// Writes one journal of [`LONG_RECORDS`] marks into a sessions folder
/// under `dir` (once: reused while its `COMPLETE` marker is there), a
/// sheet of `rubric` (whose text is `text`): the sessions folder and the
/// journal's size.
fn long_journal(dir: &Path, rubric: &osce::rubric::Rubric, text: &str) -> (PathBuf, u64) {
    let sessions = dir.join("sessions");
    let key = SheetKey {
        assessment: rubric.id.clone(),
        station: "s01".into(),
        candidate: "C000001".into(),
        examiner: "e01".into(),
        device: "lap".into(),
    };
    let store = Store::new(&sessions);
    let path = store.sheet_path(&key).expect("a sheet's path");
    if !dir.join("COMPLETE").exists() {
        let _ = std::fs::remove_dir_all(dir);
        let hash = hash_rubric(text);
        drop(store.open_sheet(&key, &hash).expect("a new sheet"));
        let start: DateTime<Utc> = "2026-06-03T09:00:00Z".parse().expect("time");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("the journal"));
        let mut prev = GENESIS.to_string();
        for seq in 1..=LONG_RECORDS {
            let level = (seq % 3) as usize;
            let mut record = Record {
                seq,
                time: start + TimeDelta::milliseconds(seq as i64),
                rubric: hash.clone(),
                assessment: key.assessment.clone(),
                station: key.station.clone(),
                candidate: key.candidate.clone(),
                examiner: key.examiner.clone(),
                device: key.device.clone(),
                event: Event::Mark {
                    item: format!("i{}", 1 + seq % 9),
                    level: Some(level),
                    label: ["Not done", "Partially done", "Done"][level].into(),
                    late: false,
                },
                prev,
                hash: String::new(),
            };
            std::io::Write::write_all(&mut out, encode_line(&mut record).expect("encode").as_bytes())
                .expect("write");
            prev = record.hash;
        }
        std::io::Write::flush(&mut out).expect("flush");
        std::fs::write(dir.join("COMPLETE"), "done\n").expect("marker");
    }
    let size = std::fs::metadata(&path).expect("the journal").len();
    (sessions, size)
}

fn cell(run: &common::Run, low: f64, high: f64) -> String {
    format!(
        "**{:.2} s** ({low:.2}–{high:.2} s), {}",
        run.wall,
        common::mb(run.rss())
    )
}

fn main() {
    let given: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace([',', '_'], "").parse().ok())
        .collect();
    let (small, large) = match given.as_slice() {
        [a, b, ..] => (*a, *b),
        [a] => (*a, *a),
        [] => (5_000, 10_000),
    };
    common::need_gnu_time();
    let osce = env!("CARGO_BIN_EXE_osce");
    let root = common::target_dir().join("bench-archive");
    let load_before = common::load_average();
    let mut collects = String::from(
        "| cohort | journals (bytes) | floor: list, read and BLAKE3 every journal, one thread | first `collect`: median of 3, peak RSS | ratio to the floor (aim: at most 1.5) | archive size | `collect` again, nothing changed |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let mut reads = String::from(
        "| command | cohort | from the folders (`--sessions`) | from the archive, the first command after a collect (reads every journal, keeps its readings) | from the archive (`--archive`), its readings kept | aim from the archive |\n\
         |---|---|---|---|---|---|\n",
    );
    for (n, k) in [(small, 16), (large, 20)] {
        let dir = root.join(format!("c{n}-s{k}"));
        let rubric =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("benches/data/osce-{k}-stations.ron"));
        let rubric = rubric.to_str().expect("a UTF-8 path");
        let sessions = dir.join("sessions");
        let marker = dir.join("COMPLETE");
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("bench folder");
            println!("generating {n} × {k} in {} ...", dir.display());
            common::simulate(osce, rubric, n, sessions.to_str().expect("a UTF-8 path"));
            std::fs::write(&marker, "done\n").expect("marker");
        }
        let s = |p: &Path| p.to_str().expect("a UTF-8 path").to_string();
        let sessions_s = s(&sessions);
        // Warm the page cache, then the floor.
        floor(&sessions);
        let mut floors: Vec<(f64, usize, u64)> = (0..RUNS).map(|_| floor(&sessions)).collect();
        floors.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (floor_s, journals, bytes) = floors[RUNS / 2];

        let archive = dir.join("exam.osce");
        let archive_s = s(&archive);
        let mut firsts: Vec<common::Run> = (0..RUNS)
            .map(|_| {
                let _ = std::fs::remove_file(&archive);
                common::timed(&[osce, "collect", &archive_s, &sessions_s], None)
            })
            .collect();
        firsts.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        let first = &firsts[RUNS / 2];
        let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
        let (again, again_low, again_high) =
            common::median_run(&[osce, "collect", &archive_s, &sessions_s], None, RUNS);
        let _ = writeln!(
            collects,
            "| {} × {k} | {} ({}) | {:.2} s | {} | {:.1} | {} | {} |",
            common::thousands(n as u64),
            common::thousands(journals as u64),
            common::mb(bytes as f64),
            floor_s,
            cell(first, firsts[0].wall, firsts[RUNS - 1].wall),
            first.wall / floor_s,
            common::mb(size as f64),
            cell(&again, again_low, again_high),
        );

        let out = dir.join("export");
        let out_s = s(&out);
        let commands: Vec<(&str, Vec<&str>)> = if k == 16 {
            vec![
                ("status", vec!["status", rubric]),
                ("export", vec!["export", rubric, "--out", &out_s, "--force"]),
            ]
        } else {
            vec![("report", vec!["report", rubric, "--format", "markdown"])]
        };
        for (name, args) in commands {
            let with = |flag: &str, from: &str| {
                let mut a = vec![osce];
                a.extend(args.iter().copied());
                a.extend([flag, from]);
                // Exit code 1: not every result is final (no moderation yet).
                common::median_run_exiting(&a, None, RUNS, &[0, 1])
            };
            let (f, f_low, f_high) = with("--sessions", &sessions_s);
            // The first command after a collect: no reading kept yet.
            forget_readings(&archive);
            let first = {
                let mut a = vec![osce];
                a.extend(args.iter().copied());
                a.extend(["--archive", archive_s.as_str()]);
                common::timed_exiting(&a, None, &[0, 1])
            };
            let (a, a_low, a_high) = with("--archive", &archive_s);
            let _ = writeln!(
                reads,
                "| `{name}` | {} × {k} | {} | **{:.2} s**, {} | {} | under 1 s and 300 MB: {} |",
                common::thousands(n as u64),
                cell(&f, f_low, f_high),
                first.wall,
                common::mb(first.rss()),
                cell(&a, a_low, a_high),
                if a.wall < 1.0 && a.rss() < 300e6 {
                    "met"
                } else {
                    "**missed**"
                }
            );
            if name == "report" {
                let _ = writeln!(
                    reads,
                    "{}",
                    pandas_row(osce, rubric, &archive_s, &dir, n, k, a.wall)
                );
            }
        }
    }
    // One very long journal: what `audit` holds while it checks it.
    let dir = root.join("long");
    let rubric_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/osce-16-stations.ron");
    let text = std::fs::read_to_string(&rubric_path).expect("the rubric");
    let rubric = osce::rubric::check_str("rubric", &text)
        .rubric
        .expect("a valid rubric");
    let (sessions, size) = long_journal(&dir, &rubric, &text);
    let archive = dir.join("long.osce");
    let _ = std::fs::remove_file(&archive);
    let rubric_s = rubric_path.to_str().expect("a UTF-8 path");
    let (sessions_s, archive_s) = (
        sessions.to_str().expect("a UTF-8 path"),
        archive.to_str().expect("a UTF-8 path"),
    );
    let collected = common::timed(&[osce, "collect", archive_s, sessions_s], None);
    let mut audits = format!(
        "| `audit` of one journal of {} records ({}) | wall | peak RSS | peak RSS ÷ the journal's size (aim: well under 3) |\n\
         |---|---|---|---|\n",
        common::thousands(LONG_RECORDS),
        common::mb(size as f64)
    );
    for (from, flag, path) in [
        ("the folder", "--sessions", sessions_s),
        ("the archive", "--archive", archive_s),
    ] {
        let run = common::timed_exiting(&[osce, "audit", rubric_s, flag, path], None, &[0, 1]);
        let _ = writeln!(
            audits,
            "| from {from} (`{flag}`) | {:.1} s | {} | {:.2} |",
            run.wall,
            common::mb(run.rss()),
            run.rss() / size as f64
        );
    }
    let _ = writeln!(
        audits,
        "\n(`collect` of that journal: {:.1} s, {}.)",
        collected.wall,
        common::mb(collected.rss())
    );
    common::publish(
        "archive",
        &format!(
            "{collects}\n{reads}\n{audits}\nLoad average (1, 5, 15 min): {load_before} before, {} after.\n",
            common::load_average()
        ),
    );
}
