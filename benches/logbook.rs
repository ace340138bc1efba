//! `osce logbook` over a cohort's logbooks: 200 candidates × 300 entries
//! (60,000 lines, about 4 MB), against the bundled final clinical
//! assessment's gate. Measured side by side with its floor, reading the
//! same file's records with the csv crate and nothing else:
//!
//! 1. criterion, in the library: the floor; `osce::logbook::parse`, which
//!    checks every line against the gate; and `parse` + `evaluate`;
//! 2. the real binary (`CARGO_BIN_EXE_osce`, release), under GNU
//!    `/usr/bin/time -v`: wall time and peak memory, one warm-up then the
//!    median of five, with the file in the page cache.
//!
//! `cargo bench --bench logbook`. Figures go in BENCHMARKS.md.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group};

mod common;

const RUBRIC: &str = "rubrics/msk-final-clinical-assessment.ron";
const CANDIDATES: usize = 200;
const ENTRIES: usize = 300;
const TODAY: &str = "2026-12-01";
const REGIONS: [&str; 6] = ["shoulder", "elbow", "wrist", "hip", "knee", "ankle"];

/// A cohort's logbook: each candidate 300 scans over a year, 120 assisted
/// (every tenth candidate with one not audited) and 180 unassisted, over
/// the six regions, with mentors and references as a department writes
/// them. Every line is valid; most candidates are eligible.
fn cohort_logbook() -> String {
    let mut out = String::from("candidate_id,date,region,supervision,mentor,audited,reference\n");
    let start = NaiveDate::from_ymd_opt(2025, 9, 1).expect("a date");
    for c in 0..CANDIDATES {
        for i in 0..ENTRIES {
            let date = start + chrono::Days::new(((i * 7 + c) % 365) as u64);
            let assisted = i % 5 < 2;
            let audited = if assisted && !(c % 10 == 0 && i == 0) {
                "yes"
            } else {
                "no"
            };
            let _ = writeln!(
                out,
                "C{c:04},{date},{},{},Dr Mentor {},{audited},ACC{c:04}-{i:04}",
                REGIONS[(i + c) % REGIONS.len()],
                if assisted { "assisted" } else { "unassisted" },
                c % 17
            );
        }
    }
    out
}

fn floor(text: &str) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut n = 0;
    while reader.read_record(&mut record).expect("valid CSV") {
        n += record.len();
    }
    n
}

fn gate() -> osce::rubric::LogbookGate {
    let (rubric, _) = osce::rubric::load(Path::new(RUBRIC)).expect("the bundled rubric");
    rubric.logbook.expect("a logbook gate")
}

fn today() -> NaiveDate {
    osce::base::text::parse_date(TODAY).expect("a date")
}

fn bench(c: &mut Criterion) {
    let text = cohort_logbook();
    let gate = gate();
    let today = today();
    let entries = osce::logbook::parse(&text, &gate, today).expect("the generated logbook is valid");
    assert_eq!(entries.len(), CANDIDATES * ENTRIES);
    let mut group = c.benchmark_group("logbook");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_function("floor", |b| b.iter(|| floor(black_box(&text))));
    group.bench_function("parse", |b| {
        b.iter(|| osce::logbook::parse(black_box(&text), &gate, today))
    });
    group.bench_function("parse-evaluate", |b| {
        b.iter(|| {
            let entries = osce::logbook::parse(black_box(&text), &gate, today).expect("valid");
            gate.evaluate(&entries)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    let wanted = |name: &str| {
        let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
        filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
    };
    benches();
    Criterion::default().configure_from_args().final_summary();
    if !wanted("logbook") {
        return;
    }

    let dir = common::target_dir().join("bench-logbook");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let file: PathBuf = dir.join("logbook.csv");
    let text = cohort_logbook();
    std::fs::write(&file, &text).expect("write the logbook");
    let verdicts = gate().evaluate(&osce::logbook::parse(&text, &gate(), today()).expect("valid"));
    let eligible = verdicts.iter().filter(|v| v.eligible).count();

    common::need_gnu_time();
    let rubric = Path::new(env!("CARGO_MANIFEST_DIR")).join(RUBRIC);
    let rubric = rubric.to_str().expect("a UTF-8 path");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let osce = env!("CARGO_BIN_EXE_osce");
    let load_before = common::load_average();
    // `osce logbook` exits 1 when a candidate is not eligible, as 20 are
    // here; GNU time reports that as a failure, so a script takes the
    // exit code.
    let script = format!("{osce} logbook {rubric} {file_arg} --today {TODAY} >/dev/null; test $? -eq 1");
    let (run, low, high) = common::median_run(&["sh", "-c", &script], None, 5);

    let cell = |id: &str| common::criterion_cell(&format!("logbook/{id}"));
    common::publish(
        "logbook",
        &format!(
            "| what | 200 candidates × 300 entries ({} lines, {:.1} MB) |\n\
             |---|---|\n\
             | floor: the csv crate reading every record, nothing else | {} |\n\
             | `osce::logbook::parse`: every line checked against the gate | {} |\n\
             | `parse` + `LogbookGate::evaluate`: every candidate's verdict | {} |\n\
             | `osce logbook` (the binary: rubric, file, verdicts printed), median of 5 | **{:.3} s** ({low:.3}–{high:.3} s), peak RSS **{}** |\n\
             \n\
             {eligible} of {CANDIDATES} candidates are eligible. Load average (1, 5, 15 min): {load_before} before, {} after.\n",
            common::thousands((CANDIDATES * ENTRIES) as u64),
            text.len() as f64 / 1e6,
            cell("floor"),
            cell("parse"),
            cell("parse-evaluate"),
            run.wall,
            common::mb(run.rss()),
            common::load_average()
        ),
    );
}
