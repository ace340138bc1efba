//! Invariants of the logbook gate over arbitrary gates and logbooks:
//! more audited, signed-off entries never take eligibility away; a verdict
//! is eligible exactly when nothing is missing, and what is missing is
//! never "0 more"; a logbook written as CSV reads back as the same entries.

mod common;

use chrono::NaiveDate;
use osce::logbook::{Entry, Supervision, parse};
use osce::rubric::{Audited, LogbookGate};
use proptest::prelude::*;

const REGIONS: [&str; 4] = ["shoulder", "wrist", "knee", "ankle"];

fn gate() -> impl Strategy<Value = LogbookGate> {
    (
        1u32..12,
        prop::option::of(1u32..6),
        prop::option::of(1u32..6),
        prop::option::of(prop_oneof![
            Just(Audited::All),
            (1u32..5).prop_map(Audited::Count),
            (1u32..=100).prop_map(|p| Audited::Percent(f64::from(p))),
        ]),
        prop::collection::vec((0usize..4, 1u32..4), 0..3),
        prop::option::of(1u32..3),
        any::<bool>(),
    )
        .prop_map(
            |(total, assisted, unassisted, audited, minima, audited_per_region, mentor_required)| {
                let mut region_minimum: Vec<(String, u32)> = Vec::new();
                for (r, n) in minima {
                    if !region_minimum.iter().any(|(name, _)| name == REGIONS[r]) {
                        region_minimum.push((REGIONS[r].to_string(), n));
                    }
                }
                LogbookGate {
                    component: "logbook".into(),
                    entry: "scan".into(),
                    entries: "scans".into(),
                    total,
                    assisted,
                    unassisted,
                    audited,
                    regions: REGIONS.iter().map(|r| r.to_string()).collect(),
                    region_minimum,
                    audited_per_region,
                    from: None,
                    to: None,
                    mentor_required,
                }
            },
        )
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        0usize..3,
        0u32..300,
        0usize..4,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u32..1000,
    )
        .prop_map(
            |(candidate, day, region, assisted, audited, mentor, reference)| Entry {
                line: 0,
                candidate: format!("C00{candidate}"),
                date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Days::new(u64::from(day)),
                region: REGIONS[region].to_string(),
                supervision: if assisted {
                    Supervision::Assisted
                } else {
                    Supervision::Unassisted
                },
                mentor: if mentor { "Dr Patel".into() } else { String::new() },
                audited,
                reference: format!("R{reference}"),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(256)))]

    #[test]
    fn good_entries_never_take_eligibility_away(
        gate in gate(),
        entries in prop::collection::vec(entry(), 0..60),
        more in prop::collection::vec(entry(), 0..30),
    ) {
        let before = gate.evaluate(&entries);
        let mut all = entries.clone();
        // Audited and signed off: what a mentor adds to a logbook.
        all.extend(more.into_iter().map(|mut e| {
            e.audited = true;
            e.mentor = "Dr Okoro".into();
            e
        }));
        let after = gate.evaluate(&all);
        for v in before.iter().filter(|v| v.eligible) {
            let now = after.iter().find(|a| a.candidate == v.candidate);
            prop_assert!(now.is_some_and(|a| a.eligible), "{} lost eligibility: {:?}", v.candidate, now);
        }
    }

    #[test]
    fn eligible_exactly_when_nothing_is_missing(
        gate in gate(),
        entries in prop::collection::vec(entry(), 0..60),
    ) {
        for v in gate.evaluate(&entries) {
            prop_assert_eq!(v.eligible, v.missing.is_empty());
            let reason = v.reason(&gate);
            prop_assert_eq!(reason.is_empty(), v.eligible);
            prop_assert!(!reason.contains(" 0 ") && !reason.starts_with("0 "), "{}", reason);
            prop_assert_eq!(v.total, v.assisted + v.unassisted);
        }
    }

    #[test]
    fn a_logbook_written_as_csv_reads_back(
        gate in gate(),
        entries in prop::collection::vec(entry(), 1..40),
    ) {
        // Keep the first of each duplicate: the reader refuses the rest.
        let mut unique: Vec<Entry> = Vec::new();
        for e in entries {
            let same = |u: &Entry| u.candidate == e.candidate && u.date == e.date && u.region == e.region
                && u.supervision == e.supervision && u.reference == e.reference;
            if !unique.iter().any(same) {
                unique.push(e);
            }
        }
        let mut text = "candidate_id,date,region,supervision,mentor,audited,reference\r\n".to_string();
        for (i, e) in unique.iter_mut().enumerate() {
            e.line = i + 2;
            let supervision = match e.supervision {
                Supervision::Assisted => "Assisted",
                Supervision::Unassisted => "UNASSISTED",
            };
            let audited = if e.audited { "yes" } else { "No" };
            text.push_str(&format!(
                "{},{},{},{supervision},\"{}\",{audited},{}\r\n",
                e.candidate, e.date, e.region.to_uppercase(), e.mentor, e.reference
            ));
        }
        let today = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        let read = parse(&text, &gate, today);
        prop_assert_eq!(read, Ok(unique));
    }
}
