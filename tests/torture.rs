//! Crash and load torture. A child process (this test binary, re-run as a
//! worker) marks sheets through the real session store and prints an
//! acknowledgement only after each record is durable:
//!
//! - `kills`: the parent kills it with SIGKILL at a random moment, again and
//!   again; after each kill, replay must hold every acknowledged record, in
//!   order, and nothing the worker never wrote.
//! - `sixteen_examiners`: sixteen workers mark one station each into one
//!   sessions folder at once while `osce status` and `osce export` read it;
//!   every read is consistent and nothing is lost or interleaved.
//!
//! `OSCE_TORTURE_KILLS` sets the number of kills (default 150; the release
//! check in docs/reliability.md uses 2000).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use osce::store::{Event, SheetKey, Store, read_sheet};

const WORKER: &str = "OSCE_TORTURE_WORKER";

/// A small deterministic generator (xorshift), the same in worker and parent.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What a worker writes for one sheet, in order: marking, an undo now and
/// then, a comment, a submission, and sometimes an amendment.
fn plan(seed: u64, station: &str) -> Vec<Event> {
    scored(planned(seed, station), station)
}

/// `events` with each submission scoring the sheet as the events before it
/// leave it, as the marking screen writes it (any other score is a sign of
/// an edited journal, which every reader refuses).
fn scored(events: Vec<Event>, station: &str) -> Vec<Event> {
    let r = rubric(OSCE);
    let st = r.station(station).expect("station");
    let mut state = osce::store::SheetState::default();
    let mut out = Vec::with_capacity(events.len());
    for (i, event) in events.into_iter().enumerate() {
        let event = match event {
            Event::Submitted { .. } => state.submission(&r, st).expect("fits the rubric"),
            e => e,
        };
        state.apply(&osce::store::Record {
            seq: i as u64 + 1,
            time: t0(),
            rubric: String::new(),
            assessment: String::new(),
            station: station.to_string(),
            candidate: String::new(),
            examiner: String::new(),
            device: String::new(),
            event: event.clone(),
            prev: String::new(),
            hash: String::new(),
        });
        out.push(event);
    }
    out
}

fn planned(seed: u64, station: &str) -> Vec<Event> {
    let r = rubric(OSCE);
    let st = r.station(station).expect("station");
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut events = vec![Event::Confirmed {
        candidate_name: "Torture Test".into(),
    }];
    let mark = |g: &mut Gen, item: &osce::rubric::Item| {
        let scale = r.scale(item.scale);
        let level = g.below(scale.levels.len() as u64) as usize;
        Event::Mark {
            item: item.id.clone(),
            level: Some(level),
            label: scale.levels[level].label.clone(),
            late: false,
        }
    };
    for item in &st.items {
        events.push(mark(&mut g, item));
        if g.below(6) == 0 {
            let seq = events.len() as u64;
            events.push(Event::Undo { undoes: seq });
            events.push(mark(&mut g, item));
        }
    }
    events.push(Event::Feedback {
        text: format!("Comment {}", g.below(1000)),
    });
    events.push(Event::Submitted {
        score: 0.0,
        max: 0.0,
        outcome: osce::scoring::StationOutcome::Incomplete,
    });
    if g.below(3) == 0 {
        events.push(Event::AmendStarted {
            reason: "second thoughts".into(),
        });
        events.push(mark(&mut g, &st.items[0]));
        events.push(Event::Submitted {
            score: 0.0,
            max: 0.0,
            outcome: osce::scoring::StationOutcome::Incomplete,
        });
    }
    events
}

fn key(candidate: &str, station: &str, examiner: &str) -> SheetKey {
    SheetKey {
        assessment: rubric(OSCE).id.clone(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: "torture".into(),
    }
}

/// The worker: `dir|examiner|station|seed|candidates`. Appends every
/// planned record (carrying on after what a sheet already holds) and prints
/// `ACK candidate seq hash` once each is durable.
#[test]
fn worker() {
    let Ok(spec) = std::env::var(WORKER) else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let (dir, examiner, station) = (PathBuf::from(parts[0]), parts[1], parts[2]);
    let seed: u64 = parts[3].parse().expect("seed");
    let candidates: usize = parts[4].parse().expect("candidates");
    let store = Store::new(&dir);
    let h = hash(OSCE);
    let mut out = std::io::stdout().lock();
    for c in 0..candidates {
        let candidate = format!("C{c:03}");
        let (mut journal, replay) = store
            .open_sheet(&key(&candidate, station, examiner), &h)
            .expect("open");
        for event in plan(seed + c as u64, station)
            .into_iter()
            .skip(replay.records.len())
        {
            let record = journal.append(event, t0()).expect("append");
            writeln!(out, "ACK {candidate} {} {}", record.seq, record.hash).expect("stdout");
            out.flush().expect("flush");
        }
    }
}

fn spawn_worker(dir: &Path, examiner: &str, station: &str, seed: u64, candidates: usize) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "worker", "--nocapture", "--test-threads=1"])
        .env(
            WORKER,
            format!("{}|{examiner}|{station}|{seed}|{candidates}", dir.display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker")
}

/// Acknowledgements by candidate: (seq, hash) in order.
fn acks(lines: &[String]) -> std::collections::BTreeMap<String, Vec<(u64, String)>> {
    let mut by = std::collections::BTreeMap::<String, Vec<(u64, String)>>::new();
    for l in lines {
        // The test harness may print "test worker ... " before the first.
        let Some(at) = l.find("ACK ") else { continue };
        let parts: Vec<&str> = l[at..].split_whitespace().collect();
        if parts.len() == 4 && parts[0] == "ACK" {
            by.entry(parts[1].to_string())
                .or_default()
                .push((parts[2].parse().expect("seq"), parts[3].to_string()));
        }
    }
    by
}

/// Every acknowledged record is in the journal, in its place; every record
/// is one the worker planned, in order; beyond the last acknowledgement at
/// most one record a run (each run can be killed after a write and before
/// its acknowledgement).
fn check_sheet(path: &Path, acked: &[(u64, String)], planned: &[Event], runs: usize) {
    let replay = read_sheet(path).expect("readable");
    assert!(replay.damage.is_none(), "{}: damaged mid-file", path.display());
    let records = &replay.records;
    for (seq, h) in acked {
        let r = records
            .get(*seq as usize - 1)
            .unwrap_or_else(|| panic!("{}: acknowledged record {seq} is missing", path.display()));
        assert_eq!(
            (r.seq, &r.hash),
            (*seq, h),
            "{}: acknowledged record changed",
            path.display()
        );
    }
    let last_acked = acked.iter().map(|a| a.0).max().unwrap_or(0) as usize;
    assert!(
        records.len() <= last_acked + runs,
        "{}: {} records but only {last_acked} acknowledged over {runs} runs",
        path.display(),
        records.len()
    );
    assert!(records.len() <= planned.len());
    for (r, p) in records.iter().zip(planned) {
        assert_eq!(&r.event, p, "{}: a record the worker never wrote", path.display());
    }
}

#[test]
fn kills() {
    let rounds: usize = std::env::var("OSCE_TORTURE_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let d = Dir::new("torture");
    let mut g = Gen(0xC0FFEE);
    let mut survived = 0;
    let mut acked_total = 0;
    for round in 0..rounds {
        // Each round restarts on the same folder: a kill, then a restart
        // that carries on from what is on disk.
        let dir = d.0.join(format!("s{}", round / 10));
        let seed = 1000 + (round / 10) as u64;
        let mut child = spawn_worker(&dir, "E01", "shoulder", seed, 4);
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_micros(2_000 + g.below(40_000)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let lines = reader.join().expect("reader");
        acked_total += lines.len();
        // Acknowledgements so far, over every run on this folder.
        let log = dir.with_extension("acks");
        let mut all = std::fs::read_to_string(&log).unwrap_or_default();
        for l in &lines {
            all.push_str(l);
            all.push('\n');
        }
        std::fs::write(&log, &all).expect("ack log");
        let by = acks(&all.lines().map(str::to_string).collect::<Vec<_>>());
        let store = Store::new(&dir);
        for (c, acked) in &by {
            let n: usize = c[1..].parse().expect("candidate");
            let path = store.sheet_path(&key(c, "shoulder", "E01")).expect("path");
            check_sheet(&path, acked, &plan(seed + n as u64, "shoulder"), round % 10 + 1);
        }
        survived += 1;
    }
    eprintln!("torture: {survived} kills survived, {acked_total} acknowledged records, none lost");
}

#[test]
fn sixteen_examiners() {
    let d = Dir::new("sixteen");
    let s = d.sub("s");
    let r = rubric(OSCE);
    let stations: Vec<String> = r.scored_stations().map(|s| s.id.clone()).collect();
    let candidates = 30;
    let workers: Vec<(String, String, Child)> = (0..16)
        .map(|i| {
            let examiner = format!("E{:02}", i + 1);
            let station = stations[i % stations.len()].clone();
            let child = spawn_worker(&s, &examiner, &station, 50 + i as u64, candidates);
            (examiner, station, child)
        })
        .collect();
    // Read while they write: every read must succeed and see no damage.
    let bin = env!("CARGO_BIN_EXE_osce");
    let started = Instant::now();
    let mut reads = 0;
    let mut running = workers;
    let mut finished = Vec::new();
    while !running.is_empty() {
        let status = Command::new(bin)
            .args(["status", OSCE, "--sessions"])
            .arg(&s)
            .output()
            .expect("status");
        assert!(
            matches!(status.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let text = String::from_utf8_lossy(&status.stdout);
        assert!(!text.contains("damaged"), "{text}");
        let out = d.0.join(format!("export-{reads}"));
        let export = Command::new(bin)
            .args(["export", OSCE, "--sessions"])
            .arg(&s)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("export");
        // Written, and (sheets still being marked) not final: exit 1.
        assert!(
            matches!(export.status.code(), Some(0 | 1)) && out.join("results.csv").is_file(),
            "{}",
            String::from_utf8_lossy(&export.stderr)
        );
        let errors = String::from_utf8_lossy(&export.stderr);
        assert!(
            !errors.contains("PROBLEM") && !errors.contains("cannot be used"),
            "{errors}"
        );
        reads += 1;
        let mut still = Vec::new();
        for (e, st, mut child) in running {
            match child.try_wait().expect("wait") {
                Some(status) => finished.push((e, st, child, status)),
                None => still.push((e, st, child)),
            }
        }
        running = still;
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the workers did not finish"
        );
    }
    for (examiner, station, mut child, status) in finished {
        assert!(status.success(), "{examiner} failed");
        let mut text = String::new();
        if let Some(mut out) = child.stdout.take() {
            std::io::Read::read_to_string(&mut out, &mut text).expect("stdout");
        }
        let by = acks(&text.lines().map(str::to_string).collect::<Vec<_>>());
        assert_eq!(by.len(), candidates, "{examiner}");
        let n = 50 + examiner[1..].parse::<u64>().expect("n") - 1;
        for (c, acked) in &by {
            let i: u64 = c[1..].parse().expect("candidate");
            let path = Store::new(&s)
                .sheet_path(&key(c, &station, &examiner))
                .expect("path");
            let planned = plan(n + i, &station);
            check_sheet(&path, acked, &planned, 1);
            assert_eq!(
                acked.len(),
                planned.len(),
                "{examiner} {c}: every record acknowledged"
            );
        }
    }
    let report = osce::results::audit::audit(&r, &hash(OSCE), std::slice::from_ref(&s)).expect("audit");
    assert!(!report.has_errors());
    eprintln!("sixteen examiners: {reads} status + export reads while writing, nothing lost");
}
