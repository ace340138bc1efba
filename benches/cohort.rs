//! `osce status` and `osce export` over a large synthetic cohort:
//! 1,000 and 5,000 candidates × 16 stations, one journal per sheet.
//! Figures go in BENCHMARKS.md.
//!
//! ```sh
//! cargo bench --bench cohort            # both sizes
//! cargo bench --bench cohort -- 5000    # one size (any number of candidates)
//! ```
//!
//! What it does, for each size:
//!
//! 1. Generates the cohort under `target/bench-cohort/c<N>/` (once: a
//!    cohort whose `COMPLETE` marker matches this generator is reused): a
//!    valid 16-station rubric, a roster, and a journal for every candidate ×
//!    station. Each journal is what the marking screen writes for a sheet
//!    marked start to finish (opened, candidate confirmed, timer started,
//!    reading time over, every item marked, the global rating, timer ended,
//!    submitted with the score the engine computes), every line encoded
//!    with `osce::store::encode_line` so the hash chain is valid. Levels are
//!    random but deterministic (a seeded xorshift), correlated with a
//!    per-candidate ability; the global rating follows the station score.
//!    Journals are written in one go, without the fsync per record that
//!    marking pays; files `0600`, folders `0700`, as the store makes them.
//! 2. Runs the real binary (`CARGO_BIN_EXE_osce`, built with the bench
//!    profile, i.e. release) for `status` and `export` under GNU
//!    `/usr/bin/time -v`: wall time and maximum resident set size. One
//!    warm-up run, then the median of three. The page cache is warm (the
//!    cohort was just generated or read); a cold cache adds the disk's
//!    read time.
//! 3. Runs the same pipeline in a fresh child process of this bench
//!    (`--phases`), timing each library step (gather, matrix, results,
//!    `write_export`, freeing the cohort), then breaks `gather` down into
//!    listing, reading the files, hashing, JSON parsing (serde_json, which
//!    gather now leaves to lines not in osce's plain form), decoding lines
//!    as gather does and replay, on one core, and `read_sheet` on every
//!    core.
//!
//! The cohorts and their exports take about 1.9 GB of disk; delete
//! `target/bench-cohort/` to get it back. A plain `cargo bench` runs this
//! benchmark too.

use std::fmt::Write as _;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

mod common;
use common::target_dir;

use chrono::{DateTime, TimeDelta, Utc};
use osce::rubric::Rubric;
use osce::scoring::{Standards, StationSheet, score_station};
use osce::store::{Event, Record, SheetKey, SheetState, Store, TimerAction, hash_rubric};

/// Bump when the generated cohort changes, so old cohorts are regenerated.
const GENERATOR: &str = "osce bench cohort generator 3";
const SIZES: [usize; 2] = [1_000, 5_000];
const STATIONS: usize = 16;
const ITEMS: usize = 12;
const ASSESSMENT: &str = "bench-osce";
const APP_VERSION: &str = "0.1.0";
const RUNS: usize = 3;

// ---------------------------------------------------------------------------
// A tiny deterministic PRNG (xorshift64, seeded through splitmix64)

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---------------------------------------------------------------------------
// The rubric, the roster and the journals

const STATION_NAMES: [(&str, &str); STATIONS] = [
    ("shoulder", "Shoulder"),
    ("knee", "Knee"),
    ("ankle", "Ankle and foot"),
    ("elbow", "Elbow"),
    ("wrist", "Wrist and hand"),
    ("hip", "Hip and groin"),
    ("neck", "Cervical spine"),
    ("back", "Lumbar spine"),
    ("nerves", "Peripheral nerves"),
    ("muscle", "Muscle injury"),
    ("injection", "Guided injection"),
    ("doppler", "Doppler"),
    ("physics", "Physics and knobology"),
    ("paeds", "Paediatric hip"),
    ("reporting", "Reporting"),
    ("professional", "Professional issues"),
];

/// A valid 16-station OSCE rubric: 12 items a station (two critical
/// done/not-done safety checks, ten on not done / partially done / done,
/// one of them weighted 2), a 5-point global rating with a borderline
/// level, borderline-regression pass marks (provisionally 60%), and
/// overall rules like the example OSCE's.
fn rubric_text() -> String {
    let mut s = String::from(
        r#"// Generated by benches/cohort.rs: a 16-station OSCE for the status and export benchmark.
(
    id: "bench-osce",
    title: "Benchmark OSCE (16 stations)",
    kind: Osce,
    course: "PgCert Musculoskeletal Ultrasound",
    module: "MSK Ultrasound Clinical Skills (Level 7)",
    version: "2026.1",
    scales: [
        (id: "nd-pd-d", levels: Named([(label: "Not done", mark: 0), (label: "Partially done", mark: 1), (label: "Done", mark: 2)])),
        (id: "done", levels: Named([(label: "Not done", mark: 0), (label: "Done", mark: 1)])),
        (id: "global5", levels: Named([
            (label: "Clear fail", mark: 0, descriptor: "Unsafe or unable to perform the task"),
            (label: "Borderline", mark: 1, borderline: true),
            (label: "Clear pass", mark: 2),
            (label: "Very good pass", mark: 3),
            (label: "Excellent", mark: 4),
        ])),
    ],
    stations: [
"#,
    );
    for (id, title) in STATION_NAMES {
        let _ = writeln!(
            s,
            r#"        (
            id: "{id}",
            title: "{title}",
            candidate_instructions: "Examine this volunteer and describe your findings to the examiner as you go.",
            timing: (reading: "1:00", station: "10:00", warnings: ["2:00", "0:30"], changeover: "1:00", time_up: Hard),
            items: [
                (id: "id-consent", text: "Confirms patient identity and obtains verbal consent", scale: "done", critical: FailsStation),"#
        );
        for k in 1..ITEMS - 1 {
            let weight = if k == 3 { ", weight: 2" } else { "" };
            let _ = writeln!(
                s,
                r#"                (id: "step-{k:02}", text: "{title}: checklist step {k} performed and explained", scale: "nd-pd-d"{weight}),"#
            );
        }
        let _ = writeln!(
            s,
            r#"                (id: "probe-cleaned", text: "Cleans the probe after the scan", scale: "done", critical: FailsStation),
            ],
            global_rating: (scale: "global5", prompt: "How well did the candidate perform at this station overall?"),
            pass_mark: BorderlineRegression(provisional: Percent(60)),
        ),"#
        );
    }
    s.push_str(
        r#"    ],
    pass_rules: [
        TotalAtLeast(cut: SumOfStationPassMarks, plus_sem: 1),
        StationsPassed(AtLeast(12)),
        MustPass(["professional"]),
        NoCriticalFail,
    ],
    moderation: (mode: Sample(percent: 10)),
    double_marking: (mode: Optional, discrepancy: Percent(15), reconcile: ThirdMarker),
)
"#,
    );
    s
}

const FIRST: [&str; 20] = [
    "Aisha",
    "Tom",
    "Siobhán",
    "Chidinma",
    "Łukasz",
    "Zoë",
    "Mohammed",
    "Priya",
    "James",
    "Mei",
    "Oluwaseun",
    "Hannah",
    "Rhys",
    "Fatima",
    "Niamh",
    "Dmitri",
    "Amara",
    "Connor",
    "Yusuf",
    "Ingrid",
];
const LAST: [&str; 20] = [
    "Rahman",
    "Whitfield",
    "Ní Bhriain",
    "Okafor",
    "Nowak",
    "Bennett",
    "Hussain",
    "Patel",
    "O'Neill",
    "Chen",
    "Adeyemi",
    "Morgan",
    "Llewellyn",
    "Khan",
    "Byrne",
    "Volkov",
    "Mensah",
    "Walsh",
    "Demir",
    "Lindqvist",
];

fn candidate_id(i: usize) -> String {
    format!("C{:05}", i + 1)
}

fn candidate_name(i: usize) -> String {
    let mut rng = Rng::new(0xC0FFEE ^ i as u64);
    format!(
        "{} {}",
        FIRST[rng.below(FIRST.len() as u64) as usize],
        LAST[rng.below(LAST.len() as u64) as usize]
    )
}

/// Each candidate's ability, 0.35 to 0.95, most near 0.65: their sheets
/// agree with it.
fn ability(i: usize) -> f64 {
    let mut rng = Rng::new(0xAB1E ^ ((i as u64) << 20));
    0.35 + 0.60 * (rng.unit() + rng.unit()) / 2.0
}

/// The journal of candidate `i` at station `s`, as one string.
fn journal(rubric: &Rubric, rubric_hash: &str, i: usize, s: usize) -> String {
    let station = &rubric.stations[s];
    let key = SheetKey {
        assessment: ASSESSMENT.into(),
        station: station.id.clone(),
        candidate: candidate_id(i),
        examiner: format!("E{:02}", s + 1),
        device: format!("lap{:02}", s + 1),
    };
    let mut rng = Rng::new(((i as u64) << 8) | s as u64);
    let skill = ability(i) - (s as f64 - 7.5) * 0.01;

    // Candidates rotate in waves of 16 around the circuit, in 12-minute
    // slots (1 minute reading, 10 at the station, 1 changeover), 36 slots
    // a day.
    let (wave, place) = (i / STATIONS, i % STATIONS);
    let slot = wave * STATIONS + (s + STATIONS - place) % STATIONS;
    let day: DateTime<Utc> = "2026-06-01T08:00:00Z".parse().expect("time");
    let t0 = day + TimeDelta::days((slot / 36) as i64) + TimeDelta::minutes(12 * (slot % 36) as i64);
    let mut at = t0 - TimeDelta::milliseconds(20_000 + rng.below(20_000) as i64);

    let mut events: Vec<(DateTime<Utc>, Event)> = Vec::new();
    let step = |events: &mut Vec<_>, at: &mut DateTime<Utc>, ms: u64, event| {
        *at += TimeDelta::milliseconds(ms as i64);
        events.push((*at, event));
    };
    step(
        &mut events,
        &mut at,
        0,
        Event::Opened {
            app_version: APP_VERSION.into(),
        },
    );
    step(
        &mut events,
        &mut at,
        4_000 + rng.below(6_000),
        Event::Confirmed {
            candidate_name: candidate_name(i),
        },
    );
    let start = t0 + TimeDelta::milliseconds(rng.below(1_500) as i64);
    at = start;
    step(
        &mut events,
        &mut at,
        0,
        Event::Timer {
            action: TimerAction::Start,
            elapsed_ms: 0,
            due: None,
        },
    );
    step(
        &mut events,
        &mut at,
        60_000,
        Event::Timer {
            action: TimerAction::Phase {
                phase: osce::store::PhaseName::Station,
            },
            elapsed_ms: 60_000,
            due: None,
        },
    );
    let mut sheet = StationSheet::default();
    for item in &station.items {
        let scale = rubric.scale(item.scale);
        let critical = scale.levels.len() == 2;
        let x = skill + if critical { 0.15 } else { 0.0 } + (rng.unit() - 0.5) * 0.6;
        let level = match scale.levels.len() {
            2 => usize::from(x > 0.3),
            _ if x > 0.62 => 2,
            _ if x > 0.3 => 1,
            _ => 0,
        };
        sheet = sheet.level(&item.id, level);
        step(
            &mut events,
            &mut at,
            15_000 + rng.below(30_000),
            Event::Mark {
                item: item.id.clone(),
                level: Some(level),
                label: scale.levels[level].label.clone(),
                late: false,
            },
        );
    }
    let standards = Standards::default();
    let marked = score_station(rubric, station, Some(&sheet), &standards).expect("score");
    let g = station.global_rating.as_ref().expect("global rating");
    let levels = &rubric.scale(g.scale).levels;
    let pct = marked.score / marked.max;
    // Borderline about 60%, excellent from about 95%, give or take.
    let rating = ((pct - 0.6) * 8.0 + 1.0 + (rng.unit() - 0.5) * 1.4)
        .round()
        .clamp(0.0, (levels.len() - 1) as f64) as usize;
    sheet = sheet.rated(rating);
    step(
        &mut events,
        &mut at,
        10_000 + rng.below(20_000),
        Event::GlobalRating {
            level: rating,
            label: levels[rating].label.clone(),
            late: false,
        },
    );
    let result = score_station(rubric, station, Some(&sheet), &standards).expect("score");
    let elapsed = u64::try_from((at - start).num_milliseconds()).expect("elapsed") + 3_000;
    step(
        &mut events,
        &mut at,
        3_000,
        Event::Timer {
            action: TimerAction::End,
            elapsed_ms: elapsed,
            due: None,
        },
    );
    step(
        &mut events,
        &mut at,
        200,
        Event::Submitted {
            score: result.score,
            max: result.max,
            outcome: result.outcome,
        },
    );

    let events = events.into_iter().map(|(time, event)| (event, time)).collect();
    osce::store::encode_journal(&key, rubric_hash, events).expect("encode")
}

/// What generating a cohort produced, kept in its `COMPLETE` marker.
#[derive(Debug, Clone, Default)]
struct Generated {
    seconds: f64,
    journals: u64,
    records: u64,
    bytes: u64,
    /// Space taken on disk (allocated blocks) by the sessions folder,
    /// folders included.
    disk: u64,
    folders: u64,
}

fn marker_head(n: usize, rubric_hash: &str) -> String {
    format!("{GENERATOR}\ncandidates {n}\nstations {STATIONS}\nrubric {rubric_hash}\n")
}

/// The cohort of `n` candidates in `dir`, generated unless a complete one
/// from this generator is already there.
fn ensure_cohort(dir: &Path, n: usize) -> Generated {
    let text = rubric_text();
    let rubric_hash = hash_rubric(&text);
    let marker = dir.join("COMPLETE");
    let head = marker_head(n, &rubric_hash);
    if let Ok(found) = fs::read_to_string(&marker)
        && let Some(rest) = found.strip_prefix(&head)
    {
        let mut g = Generated::default();
        for line in rest.lines() {
            let Some((k, v)) = line.split_once(' ') else {
                continue;
            };
            match k {
                "seconds" => g.seconds = v.parse().unwrap_or(0.0),
                "journals" => g.journals = v.parse().unwrap_or(0),
                "records" => g.records = v.parse().unwrap_or(0),
                "bytes" => g.bytes = v.parse().unwrap_or(0),
                "disk" => g.disk = v.parse().unwrap_or(0),
                "folders" => g.folders = v.parse().unwrap_or(0),
                _ => {}
            }
        }
        println!("cohort of {n}: reusing {} (generated earlier)", dir.display());
        return g;
    }
    println!("cohort of {n}: generating in {} ...", dir.display());
    if dir.exists() {
        fs::remove_dir_all(dir).expect("remove an incomplete cohort");
    }
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .expect("cohort folder");
    let checked = osce::rubric::check_str("bench-osce.ron", &text);
    let rubric = checked
        .rubric
        .unwrap_or_else(|| panic!("the generated rubric must be valid: {:#?}", checked.diagnostics));
    assert_eq!(rubric.stations.len(), STATIONS);
    fs::write(dir.join("rubric.ron"), &text).expect("write rubric");
    let mut roster = String::from("candidate_id,name\n");
    for i in 0..n {
        let _ = writeln!(roster, "{},{}", candidate_id(i), candidate_name(i));
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dir.join("roster.csv"))
        .and_then(|mut f| f.write_all(roster.as_bytes()))
        .expect("write roster");

    let began = Instant::now();
    let store = Store::new(dir.join("sessions"));
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (records, bytes) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let (mut records, mut bytes) = (0u64, 0u64);
                    loop {
                        let s = next.fetch_add(1, Ordering::Relaxed);
                        if s >= STATIONS {
                            break (records, bytes);
                        }
                        for i in 0..n {
                            let text = journal(&rubric, &rubric_hash, i, s);
                            let key = SheetKey {
                                assessment: ASSESSMENT.into(),
                                station: rubric.stations[s].id.clone(),
                                candidate: candidate_id(i),
                                examiner: format!("E{:02}", s + 1),
                                device: format!("lap{:02}", s + 1),
                            };
                            let path = store.sheet_path(&key).expect("sheet path");
                            DirBuilder::new()
                                .recursive(true)
                                .mode(0o700)
                                .create(path.parent().expect("folder"))
                                .expect("create folders");
                            let mut f = OpenOptions::new()
                                .write(true)
                                .create_new(true)
                                .mode(0o600)
                                .open(&path)
                                .expect("create journal");
                            f.write_all(text.as_bytes()).expect("write journal");
                            records += text.lines().count() as u64;
                            bytes += text.len() as u64;
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("generator thread"))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let seconds = began.elapsed().as_secs_f64();
    let (disk, folders, journals) = disk_usage(&dir.join("sessions"));
    let g = Generated {
        seconds,
        journals,
        records,
        bytes,
        disk,
        folders,
    };
    assert_eq!(g.journals, (n * STATIONS) as u64);
    fs::write(
        &marker,
        format!(
            "{head}seconds {seconds}\njournals {journals}\nrecords {records}\nbytes {bytes}\ndisk {disk}\nfolders {folders}\n"
        ),
    )
    .expect("write marker");
    g
}

/// (allocated bytes, folders, files) under `dir`, the folder itself included.
fn disk_usage(dir: &Path) -> (u64, u64, u64) {
    let meta = fs::symlink_metadata(dir).expect("stat");
    let mut total = (meta.blocks() * 512, 1, 0);
    for entry in fs::read_dir(dir).expect("read folder") {
        let entry = entry.expect("entry");
        let meta = entry.metadata().expect("stat");
        if meta.is_dir() {
            let (b, d, f) = disk_usage(&entry.path());
            total = (total.0 + b, total.1 + d, total.2 + f);
        } else {
            total = (total.0 + meta.blocks() * 512, total.1, total.2 + 1);
        }
    }
    total
}

// ---------------------------------------------------------------------------
// The binary, under GNU time

// ---------------------------------------------------------------------------
// In process: each step of the pipeline, then where gather's time goes

fn peak_rss_kb() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn lap(label: &str, since: &mut Instant) {
    let now = Instant::now();
    println!("phase {label} {:.6}", (now - *since).as_secs_f64());
    *since = now;
}

/// Run in a fresh child process: prints `phase <name> <seconds>` lines and
/// `peak_rss_kb <n>` after the pipeline, then the breakdown of gather.
fn phases(dir: &Path) {
    let mut t = Instant::now();
    let text = osce::rubric::read_text(&dir.join("rubric.ron")).expect("rubric");
    let rubric = osce::rubric::check_str("rubric.ron", &text)
        .rubric
        .expect("valid rubric");
    let hash = hash_rubric(&text);
    lap("rubric", &mut t);
    let (roster, _) = osce::day::roster::read_roster(&dir.join("roster.csv"), &rubric).expect("roster");
    lap("roster", &mut t);
    let sessions = vec![dir.join("sessions")];
    let cohort = osce::results::gather::gather(&rubric, &hash, &sessions).expect("gather");
    lap("gather", &mut t);
    assert!(cohort.problems.is_empty(), "{:?}", cohort.problems.first());
    let m = osce::results::gather::matrix(&rubric, &cohort, Some(&roster));
    lap("matrix", &mut t);
    assert!(m.complete());
    // Every candidate's results at once, for the time alone: export makes
    // them a part at a time, inside `write_export`.
    let standards = Standards::default();
    let none = osce::results::moderation::Moderation::default();
    let results = osce::results::reconcile::results(&rubric, &cohort, &m, &standards, &none);
    lap("results", &mut t);
    drop(results);
    let mut t = Instant::now();
    let columns: Vec<osce::rubric::MarksColumn> = [
        ("candidate_id", "candidate_id"),
        ("percent", "mark"),
        ("final_result", "grade"),
    ]
    .iter()
    .map(|(field, header)| osce::rubric::MarksColumn::field(field, header))
    .collect();
    let results_of = |part: &[String]| {
        osce::results::reconcile::results_for(&rubric, &cohort, &m, &standards, &none, part)
    };
    let written = osce::results::export::write_export(
        &dir.join("export-in-process"),
        &rubric,
        &cohort,
        &m,
        results_of,
        &none,
        &columns,
        true,
    )
    .expect("write_export");
    lap("write_export", &mut t);
    println!("peak_rss_kb {}", peak_rss_kb());
    let records: usize = cohort.sheets.iter().map(|s| s.state.records).sum();
    println!("records {records}");
    let rows: usize = written.iter().map(|(_, rows)| rows).sum();
    println!("rows {rows}");
    // Freeing the cohort: the binary leaves it to the OS at exit.
    let mut t = Instant::now();
    drop((m, cohort));
    lap("drop.cohort", &mut t);

    // Where gather's time goes, step by step (the same work gather does).
    let mut t = Instant::now();
    let listed = Store::new(&sessions[0]).sheets(&rubric.id).expect("list");
    lap("gather.list", &mut t);
    let files: Vec<Vec<u8>> = listed.iter().map(|(_, p)| fs::read(p).expect("read")).collect();
    lap("gather.read_files", &mut t);
    let mut hashed = 0usize;
    for bytes in &files {
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let at = line.len() - 75; // `,"hash":"` + 64 hex + `"}`
            let mut h = blake3::Hasher::new();
            h.update(&line[..at]);
            h.update(b"}");
            hashed += h.finalize().as_bytes()[0] as usize;
        }
    }
    std::hint::black_box(hashed);
    lap("gather.blake3_lines", &mut t);
    let mut parsed: Vec<Vec<Record>> = Vec::with_capacity(files.len());
    for bytes in &files {
        parsed.push(
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice::<Record>(l).expect("parse"))
                .collect(),
        );
    }
    lap("gather.json_parse", &mut t);
    let mut decoded = 0usize;
    for bytes in &files {
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            decoded += osce::store::decode_line(line).expect("decode").seq as usize;
        }
    }
    std::hint::black_box(decoded);
    lap("gather.decode_line", &mut t);
    for (_, path) in &listed {
        std::hint::black_box(osce::store::read_sheet(path).expect("read_sheet"));
    }
    lap("gather.read_sheet", &mut t);
    for (_, path) in &listed {
        let mut state = SheetState::default();
        osce::store::read_sheet_with(path, |r| state.apply_ref(&r)).expect("read_sheet_with");
        std::hint::black_box(state);
    }
    lap("gather.read_sheet_with+replay", &mut t);
    let states: Vec<SheetState> = parsed.iter().map(SheetState::replay).collect();
    std::hint::black_box(states);
    lap("gather.replay", &mut t);

    // read_sheet on every core, in chunks, for comparison (gather reads
    // with read_sheet_with on every core).
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = listed.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in listed.chunks(chunk) {
            scope.spawn(move || {
                for (_, path) in part {
                    std::hint::black_box(osce::store::read_sheet(path).expect("read_sheet"));
                }
            });
        }
    });
    lap(&format!("gather.read_sheet.x{threads}"), &mut t);
}

fn parse_phases(out: &str) -> (Vec<(String, f64)>, u64, u64, u64) {
    let mut phases = Vec::new();
    let (mut rss, mut records, mut rows) = (0, 0, 0);
    for line in out.lines() {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some("phase"), Some(name), Some(secs)) => {
                phases.push((name.to_string(), secs.parse().expect("secs")))
            }
            (Some("peak_rss_kb"), Some(v), None) => rss = v.parse().expect("rss"),
            (Some("records"), Some(v), None) => records = v.parse().expect("records"),
            (Some("rows"), Some(v), None) => rows = v.parse().expect("rows"),
            _ => {}
        }
    }
    (phases, rss, records, rows)
}

// ---------------------------------------------------------------------------

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--phases") {
        phases(Path::new(&args[at + 1]));
        return;
    }
    let sizes: Vec<usize> = {
        let given: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
        if given.is_empty() { SIZES.to_vec() } else { given }
    };
    common::need_gnu_time();
    let osce = env!("CARGO_BIN_EXE_osce");
    let root = target_dir().join("bench-cohort");
    println!("binary: {osce}\ncohorts: {}\n", root.display());

    let mut generated = String::from(
        "| candidates × stations | journals | records | journal bytes | on disk (with the folders) | generation (2 threads) |\n\
         |---|---|---|---|---|---|\n",
    );
    let mut commands = format!(
        "| command | candidates × {STATIONS} | wall: median of {RUNS} (fastest–slowest) | CPU: user + system | peak RSS | aim at 5,000: under 2 s, under 500 MB |\n\
         |---|---|---|---|---|---|\n"
    );
    let mut steps = String::from("| step | candidates | time | per journal |\n|---|---|---|---|\n");
    let mut loads = Vec::new();
    for &n in &sizes {
        let dir = root.join(format!("c{n}"));
        let g = ensure_cohort(&dir, n);
        let load_before = common::load_average();
        let d = |name: &str| dir.join(name).display().to_string();
        let (rubric, sessions, roster) = (d("rubric.ron"), d("sessions"), d("roster.csv"));
        let export_dir = d("export");
        // Exit code 1: the rubric asks for moderation, and nobody has
        // moderated, so no result is final yet.
        let status = common::median_run_exiting(
            &[
                osce,
                "status",
                &rubric,
                "--sessions",
                &sessions,
                "--roster",
                &roster,
            ],
            Some(&dir.join("status.txt")),
            RUNS,
            &[0, 1],
        );
        let export = common::median_run_exiting(
            &[
                osce,
                "export",
                &rubric,
                "--sessions",
                &sessions,
                "--roster",
                &roster,
                "--out",
                &export_dir,
                "--force",
            ],
            Some(&dir.join("export.txt")),
            RUNS,
            &[0, 1],
        );
        loads.push(format!(
            "{} candidates: {load_before} before, {} after",
            common::thousands(n as u64),
            common::load_average()
        ));
        let _ = writeln!(
            generated,
            "| {} × {STATIONS} | {} | {} | {} | {} | {:.1} s |",
            common::thousands(n as u64),
            common::thousands(g.journals),
            common::thousands(g.records),
            common::mb(g.bytes as f64),
            common::mb(g.disk as f64),
            g.seconds
        );
        for (what, (r, low, high)) in [("osce status --roster", status), ("osce export --roster", export)] {
            let aim = if n == 5_000 {
                let met = |ok: bool| if ok { "met" } else { "**missed**" };
                format!("time {}, memory {}", met(r.wall < 2.0), met(r.rss() < 500e6))
            } else {
                String::new()
            };
            let _ = writeln!(
                commands,
                "| `{what}` | {} | **{:.2} s** ({low:.2}–{high:.2} s) | {:.2} s + {:.2} s | **{}** | {aim} |",
                common::thousands(n as u64),
                r.wall,
                r.user,
                r.sys,
                common::mb(r.rss()),
            );
        }

        let out = Command::new(std::env::current_exe().expect("this bench"))
            .arg("--phases")
            .arg(&dir)
            .output()
            .expect("run the in-process phases");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let (phases, _rss, _records, _rows) = parse_phases(&String::from_utf8_lossy(&out.stdout));
        for (name, secs) in &phases {
            let per = if name.starts_with("gather.") && g.journals > 0 {
                format!("{:.1} µs", secs * 1e6 / g.journals as f64)
            } else {
                String::new()
            };
            let _ = writeln!(
                steps,
                "| `{name}` | {} | {} | {per} |",
                common::thousands(n as u64),
                common::duration(secs * 1e9)
            );
        }
    }
    common::publish("cohort-generated", &generated);
    common::publish(
        "cohort",
        &format!("{commands}\nLoad average (1, 5, 15 min): {}.\n", loads.join("; ")),
    );
    common::publish("cohort-steps", &steps);
}
