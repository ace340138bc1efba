//! Export → import round trip: the long `items.csv` that `osce export`
//! writes can be typed back in with `osce import` (as the paper fallback
//! does), and exporting the imported sheets gives the same results.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use osce::rubric::load;
use osce::store::{Event, SheetKey, Store, hash_rubric};

const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";

fn osce(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn columns_of(path: &Path, wanted: &[&str]) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers: Vec<String> = r.headers().expect("header").iter().map(str::to_string).collect();
    let idx: Vec<usize> = wanted
        .iter()
        .map(|w| headers.iter().position(|h| h == w).expect("column"))
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            idx.iter().map(|&i| rec[i].to_string()).collect()
        })
        .collect()
}

#[test]
fn exported_items_import_back_to_the_same_results() {
    let dir = std::env::temp_dir().join(format!("osce-roundtrip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let laptops = dir.join("laptops");
    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    let hash = hash_rubric(&std::fs::read_to_string(OSCE).expect("rubric"));
    let t = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    // Three candidates, one examiner, every station marked in full with
    // different levels, including a critical fail for C003.
    for (n, candidate) in ["C001", "C002", "C003"].iter().enumerate() {
        for station in rubric.scored_stations() {
            let key = SheetKey {
                assessment: rubric.id.clone(),
                station: station.id.clone(),
                candidate: candidate.to_string(),
                examiner: "E01".into(),
                device: "lap".into(),
            };
            let (mut j, _) = Store::new(&laptops).open_sheet(&key, &hash).expect("open");
            j.append(
                Event::Confirmed {
                    candidate_name: format!("Candidate {n}"),
                },
                t,
            )
            .expect("append");
            for (i, item) in station.items.iter().enumerate() {
                let scale = rubric.scale(item.scale);
                let level = (i + n * 2) % scale.levels.len();
                let level = if n < 2 && item.critical != osce::rubric::Critical::No {
                    scale.levels.len() - 1
                } else {
                    level
                };
                j.append(
                    Event::Mark {
                        item: item.id.clone(),
                        level: Some(level),
                        label: scale.levels[level].label.clone(),
                        late: false,
                    },
                    t,
                )
                .expect("append");
            }
            j.append(
                Event::GlobalRating {
                    level: (n + 1) % 5,
                    label: String::new(),
                    late: false,
                },
                t,
            )
            .expect("append");
            j.append(common::submitted(&j, OSCE), t).expect("append");
        }
    }
    let first = dir.join("first");
    let (code, out) = osce(&[
        "export",
        OSCE,
        "--sessions",
        laptops.to_str().expect("utf-8"),
        "--out",
        first.to_str().expect("utf-8"),
    ]);
    // Written; not final (the rubric's moderated sample is not done): exit 1.
    assert_eq!(code, 1, "{out}");

    let paper = dir.join("paper");
    std::fs::create_dir_all(&paper).expect("dir");
    let (code, out) = osce(&[
        "import",
        OSCE,
        first.join("items.csv").to_str().expect("utf-8"),
        "--examiner",
        "E01",
        "--sessions",
        paper.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "the exported items.csv imports: {out}");

    let second = dir.join("second");
    let (code, out) = osce(&[
        "export",
        OSCE,
        "--sessions",
        paper.to_str().expect("utf-8"),
        "--out",
        second.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    let cols = [
        "candidate_id",
        "total",
        "maximum",
        "percent",
        "stations_passed",
        "critical_fails",
        "result",
        "reasons",
    ];
    let a = columns_of(&first.join("results.csv"), &cols);
    let b = columns_of(&second.join("results.csv"), &cols);
    assert_eq!(a.len(), 3);
    assert_eq!(a, b, "the same results after the round trip");
    let item_cols = ["candidate_id", "station", "item", "level", "marks"];
    assert_eq!(
        columns_of(&first.join("items.csv"), &item_cols),
        columns_of(&second.join("items.csv"), &item_cols)
    );
    // The imported sheets say so.
    let imported = columns_of(&second.join("stations.csv"), &["imported"]);
    assert!(imported.iter().all(|r| r[0] == "yes"));
    let _ = std::fs::remove_dir_all(&dir);
}
