//! Parse + validate cost of rubrics: the largest bundled example and a
//! generated 40-station × 40-item rubric. Figures go in BENCHMARKS.md.

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, criterion_group};

mod common;

/// A valid rubric of `stations` stations with `items` items each, on the
/// same scales the examples use.
fn generated(stations: usize, items: usize) -> String {
    let mut s = String::from(
        r#"(id: "big", title: "Generated", kind: Osce, version: "1",
    scales: [
        (id: "ndpd", levels: Named([(label: "Not done", mark: 0), (label: "Partially done", mark: 1), (label: "Done", mark: 2)])),
        (id: "done", levels: Named([(label: "Not done", mark: 0), (label: "Done", mark: 1)])),
        (id: "global5", levels: Named([(label: "Clear fail", mark: 0), (label: "Borderline", mark: 1, borderline: true),
            (label: "Clear pass", mark: 2), (label: "Very good pass", mark: 3), (label: "Excellent", mark: 4)])),
    ],
    stations: [
"#,
    );
    for st in 0..stations {
        let _ = writeln!(
            s,
            r#"        (id: "s{st}", title: "Station {st}", timing: (reading: "1:00", station: "10:00", warnings: ["2:00", "0:30"], changeover: "1:00", time_up: Hard), items: ["#
        );
        for it in 0..items {
            let (scale, critical) = if it == 0 {
                ("done", ", critical: FailsStation")
            } else {
                ("ndpd", "")
            };
            let _ = writeln!(
                s,
                r#"            (id: "i{it}", text: "Checklist item {it} of station {st}", scale: "{scale}"{critical}),"#
            );
        }
        let _ = writeln!(
            s,
            r#"        ], global_rating: (scale: "global5"), pass_mark: BorderlineRegression(provisional: Percent(60))),"#
        );
    }
    s.push_str("    ],\n    pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks, plus_sem: 1), StationsPassed(AtLeast(30)), NoCriticalFail],\n)\n");
    s
}

fn bench(c: &mut Criterion) {
    let osce = std::fs::read_to_string("rubrics/msk-ultrasound-osce.ron").expect("example rubric");
    let big = generated(40, 40);
    for (name, text) in [("msk-ultrasound-osce.ron", &osce), ("generated 40x40", &big)] {
        let checked = osce::rubric::check_str(name, text);
        assert!(
            checked.rubric.is_some(),
            "{name} must be valid: {:?}",
            checked.diagnostics
        );
        c.bench_function(&format!("check {name} ({} bytes)", text.len()), |b| {
            b.iter(|| osce::rubric::check_str(black_box(name), black_box(text)))
        });
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let osce = std::fs::read_to_string("rubrics/msk-ultrasound-osce.ron").expect("example rubric");
    let big = generated(40, 40);
    let id = |name: &str, text: &str| format!("check {name} ({} bytes)", text.len());
    let kb = |text: &str| format!("{:.1} kB", text.len() as f64 / 1e3);
    let example = common::estimate(&id("msk-ultrasound-osce.ron", &osce));
    // "Well under": half of it, at the top of the interval.
    let aim = match example {
        Some(e) if e.high < 0.5e6 => "well under 1 ms (under 0.5 ms): **met**",
        Some(_) => "well under 1 ms (under 0.5 ms): **missed**",
        None => "well under 1 ms (under 0.5 ms)",
    };
    common::publish(
        "rubric",
        &format!(
            "| rubric | size | median (95% interval) | aim |\n\
             |---|---|---|---|\n\
             | `rubrics/msk-ultrasound-osce.ron` (the largest example: 7 stations, 48 items, with comments and instructions) | {} | {} | {aim} |\n\
             | generated 40 stations × 40 items (1,600 items) | {} | {} | — |\n",
            kb(&osce),
            common::criterion_cell(&id("msk-ultrasound-osce.ron", &osce)),
            kb(&big),
            common::criterion_cell(&id("generated 40x40", &big)),
        ),
    );
}
