//! The session store's costs: one durable append (what an examiner waits
//! for between pressing a key and seeing "saved"), and replaying a long
//! journal (what status, export and audit pay per sheet, and what opening
//! a sheet pays on top of taking its lock). Figures go in BENCHMARKS.md.
//!
//! The journals are written under the system temp folder, so the append
//! figure is the fsync cost of that disk.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group};

mod common;
use osce::store::*;

fn key(candidate: &str) -> SheetKey {
    SheetKey {
        assessment: "bench".into(),
        station: "shoulder".into(),
        candidate: candidate.into(),
        examiner: "e.jones".into(),
        device: "laptop-07".into(),
    }
}

fn mark(i: u64) -> Event {
    let level = (i % 3) as usize;
    Event::Mark {
        item: format!("item-{}", i % 12),
        level: Some(level),
        label: ["Not done", "Partially done", "Done"][level].into(),
        late: false,
    }
}

fn bench(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("osce-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let store = Store::new(&root);
    let rubric = hash_rubric("(id: \"bench\")\n");
    let start: DateTime<Utc> = "2026-06-03T09:00:00Z".parse().expect("time");

    // (1) One durable append: encode, one write, sync_data.
    {
        let (mut journal, _) = store.open_sheet(&key("C001"), &rubric).expect("open sheet");
        let mut i = 0u64;
        c.bench_function("append one mark durably (write + sync_data)", |b| {
            b.iter(|| {
                i += 1;
                let time = start + TimeDelta::milliseconds(i as i64);
                black_box(journal.append(mark(i), time).expect("append"))
            })
        });
    }

    // (2) Replay of a 10,000-record journal, written without an fsync per
    // line to keep the set-up short (the bytes are the same).
    let records = 10_000u64;
    let mut bytes = String::new();
    let mut prev = GENESIS.to_string();
    let k = key("C002");
    for seq in 1..=records {
        let mut record = Record {
            seq,
            time: start + TimeDelta::seconds(seq as i64),
            rubric: rubric.clone(),
            assessment: k.assessment.clone(),
            station: k.station.clone(),
            candidate: k.candidate.clone(),
            examiner: k.examiner.clone(),
            device: k.device.clone(),
            event: mark(seq),
            prev,
            hash: String::new(),
        };
        bytes.push_str(&encode_line(&mut record).expect("encode"));
        prev = record.hash;
    }
    drop(store.open_sheet(&k, &rubric).expect("create sheet"));
    let path = store.sheet_path(&k).expect("path");
    std::fs::write(&path, &bytes).expect("write journal");
    let replay = read_sheet(&path).expect("read");
    assert_eq!(replay.records.len() as u64, records);
    assert!(replay.quarantined.is_none() && replay.damage.is_none());

    let mb = bytes.len() as f64 / 1e6;
    c.bench_function(
        &format!("read_sheet of a {records}-record journal ({mb:.1} MB)"),
        |b| b.iter(|| black_box(read_sheet(black_box(&path)).expect("read"))),
    );
    c.bench_function(
        &format!("open_sheet of a {records}-record journal ({mb:.1} MB)"),
        |b| b.iter(|| black_box(store.open_sheet(&k, &rubric).expect("open"))),
    );

    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let id = |what: &str| format!("{what} of a 10000-record journal (4.5 MB)");
    common::publish(
        "store",
        &format!(
            "| what | median (95% interval) |\n\
             |---|---|\n\
             | append one mark durably (encode, write, `sync_data`) | {} |\n\
             | `read_sheet` of a 10,000-record journal (4.5 MB): read, verify every hash and the chain | {} |\n\
             | `open_sheet` of the same journal (adds the lock and the checks for writing) | {} |\n",
            common::criterion_cell("append one mark durably (write + sync_data)"),
            common::criterion_cell(&id("read_sheet")),
            common::criterion_cell(&id("open_sheet")),
        ),
    );
}
