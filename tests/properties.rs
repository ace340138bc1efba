//! Invariants of the scoring engine over arbitrary sheets for every example
//! rubric: a score never exceeds its maximum, adding or raising a mark
//! never lowers a total, and a critical fail always fails.

mod common;

use std::path::Path;

use osce::rubric::{Critical, PassRule, Rubric, load};
use osce::scoring::*;
use proptest::prelude::*;

const EXAMPLES: [&str; 3] = [
    "rubrics/msk-ultrasound-osce.ron",
    "rubrics/msk-practical-exam.ron",
    "rubrics/msk-final-clinical-assessment.ron",
];

fn examples() -> &'static [Rubric] {
    static RUBRICS: std::sync::OnceLock<Vec<Rubric>> = std::sync::OnceLock::new();
    RUBRICS.get_or_init(|| {
        EXAMPLES
            .iter()
            .map(|p| load(Path::new(p)).unwrap_or_else(|_| panic!("{p} is valid")).0)
            .collect()
    })
}

/// One random choice per item and per global rating: `None` leaves it
/// unmarked; otherwise the number picks a level (or "not observed").
#[derive(Debug, Clone)]
struct Choices {
    rubric: usize,
    marks: Vec<Option<u8>>,
}

fn choices() -> impl Strategy<Value = Choices> {
    (
        0..EXAMPLES.len(),
        prop::collection::vec(prop::option::weighted(0.85, any::<u8>()), 200),
    )
        .prop_map(|(rubric, marks)| Choices { rubric, marks })
}

fn sheets(r: &Rubric, choices: &[Option<u8>]) -> CandidateSheets {
    let mut next = choices.iter().cycle();
    let mut sheets = CandidateSheets::default();
    for station in r.scored_stations() {
        let mut sheet = StationSheet::default();
        for item in &station.items {
            let scale = r.scale(item.scale);
            if let Some(Some(c)) = next.next() {
                let options = scale.levels.len() + usize::from(scale.not_observed);
                let pick = usize::from(*c) % options;
                let mark = if pick == scale.levels.len() {
                    ItemMark::NotObserved
                } else {
                    ItemMark::Level(pick)
                };
                sheet.marks.insert(item.id.as_str().into(), mark);
            }
        }
        if let Some(g) = &station.global_rating
            && let Some(Some(c)) = next.next()
        {
            sheet.global_rating = Some(usize::from(*c) % r.scale(g.scale).levels.len());
        }
        sheets.stations.insert(station.id.clone(), sheet);
    }
    sheets
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(512)))]

    #[test]
    fn a_score_never_exceeds_its_maximum(c in choices()) {
        let rubrics = examples();
        let r = &rubrics[c.rubric];
        let result = score_candidate(r, &sheets(r, &c.marks), &Standards::default()).expect("fits");
        for s in &result.stations {
            prop_assert!(s.score >= 0.0);
            prop_assert!(s.score <= s.max, "{} scored {} of {}", s.station, s.score, s.max);
            prop_assert!(s.max <= s.nominal_max);
        }
        prop_assert!(result.total <= result.max);
        prop_assert!(result.max <= r.total_max());
    }

    #[test]
    fn adding_or_raising_a_mark_never_lowers_the_total(c in choices(), which in any::<usize>()) {
        let rubrics = examples();
        let r = &rubrics[c.rubric];
        let before = sheets(r, &c.marks);
        let items: Vec<(&str, &osce::rubric::Item)> = r
            .scored_stations()
            .flat_map(|s| s.items.iter().map(move |i| (s.id.as_str(), i)))
            .collect();
        let (station, item) = items[which % items.len()];
        let top = r.scale(item.scale).levels.len() - 1;
        let mut after = before.clone();
        let sheet = after.stations.get_mut(station).expect("sheet");
        let raised = match sheet.marks.get(item.id.as_str()) {
            None | Some(ItemMark::NotObserved) => top,
            Some(ItemMark::Level(l)) => (*l + 1).min(top),
        };
        sheet.marks.insert(item.id.as_str().into(), ItemMark::Level(raised));
        let old = score_candidate(r, &before, &Standards::default()).expect("fits");
        let new = score_candidate(r, &after, &Standards::default()).expect("fits");
        prop_assert!(new.total >= old.total, "total fell from {} to {}", old.total, new.total);
    }

    #[test]
    fn a_critical_fail_always_fails(c in choices(), which in any::<usize>()) {
        let rubrics = examples();
        let r = &rubrics[c.rubric];
        let critical: Vec<(&str, &osce::rubric::Item)> = r
            .scored_stations()
            .flat_map(|s| s.items.iter().filter(|i| i.critical != Critical::No).map(move |i| (s.id.as_str(), i)))
            .collect();
        prop_assume!(!critical.is_empty());
        let (station, item) = critical[which % critical.len()];
        // Otherwise a perfect candidate, so the total and every other rule pass.
        let mut perfect = CandidateSheets::default();
        for s in r.scored_stations() {
            let mut sheet = StationSheet::default();
            for i in &s.items {
                sheet = sheet.level(&i.id, r.scale(i.scale).levels.len() - 1);
            }
            if let Some(g) = &s.global_rating {
                sheet = sheet.rated(r.scale(g.scale).levels.len() - 1);
            }
            perfect.stations.insert(s.id.clone(), sheet);
        }
        if let Some(spec) = &r.components {
            for part in spec.parts.iter().filter(|p| p.stations.is_empty()) {
                perfect.components.insert(part.id.clone(), ComponentMark::Passed(true));
            }
        }
        // Mix in the random sheet everywhere except the critical item.
        let mut sheets = sheets(r, &c.marks);
        for (id, sheet) in &mut sheets.stations {
            for (item_id, mark) in &perfect.stations[id].marks {
                sheet.marks.entry(item_id.clone()).or_insert(*mark);
            }
        }
        sheets.components = perfect.components.clone();
        let below = c.marks[which % c.marks.len()].map_or(0, usize::from) % item.meets.max(1);
        sheets.stations.get_mut(station).expect("sheet").marks.insert(item.id.as_str().into(), ItemMark::Level(below));
        let result = score_candidate(r, &sheets, &Standards::default()).expect("fits");
        let station_result = result.stations.iter().find(|s| s.station == station).expect("station");
        prop_assert_eq!(station_result.outcome, StationOutcome::Fail);
        let counts_overall = item.critical == Critical::FailsAssessment
            || r.pass_rules.iter().any(|p| matches!(p, PassRule::NoCriticalFail | PassRule::Competency { .. }));
        if counts_overall {
            prop_assert_eq!(result.outcome, Outcome::Fail, "{:#?}", result.reasons);
        }
    }
}

// ---------------------------------------------------------------------------
// Statistics of the quality report

fn score_matrix() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (2usize..6, 3usize..30)
        .prop_flat_map(|(k, n)| proptest::collection::vec(proptest::collection::vec(0.0f64..20.0, k), n))
}

proptest! {
    #[test]
    fn eta_squared_is_a_share(
        scores in proptest::collection::vec(0.0f64..20.0, 2..60),
        groups in proptest::collection::vec(0u8..5, 60),
    ) {
        if let Ok(w) = osce::analysis::stats::one_way(&scores, &groups[..scores.len()]) {
            prop_assert!((0.0..=1.0).contains(&w.eta2), "{}", w.eta2);
            prop_assert!(w.ss_between >= -1e-9 && w.ss_within >= -1e-9);
        }
    }

    #[test]
    fn alpha_if_deleted_is_alpha_of_the_reduced_matrix(rows in score_matrix()) {
        let deleted = osce::analysis::stats::alpha_if_deleted(&rows);
        prop_assert_eq!(deleted.len(), rows[0].len());
        for (drop, got) in deleted.iter().enumerate() {
            let reduced: Vec<Vec<f64>> = rows
                .iter()
                .map(|r| r.iter().enumerate().filter(|(j, _)| *j != drop).map(|(_, v)| *v).collect())
                .collect();
            prop_assert_eq!(got, &osce::analysis::stats::cronbach_alpha(&reduced));
        }
    }

    /// R² is undefined exactly when every score is the same (0 of 0 is
    /// explained), never 1 for it; η² by groups is at least 0 and the level
    /// chance gives, (k − 1)/(n − 1), is within 0 to 1.
    #[test]
    fn r2_is_undefined_exactly_when_scores_do_not_vary(
        points in proptest::collection::vec((0u8..5, 0u8..3, 0u8..4), 3..30),
    ) {
        let x: Vec<f64> = points.iter().map(|p| f64::from(p.0)).collect();
        let y: Vec<f64> = points.iter().map(|p| f64::from(p.1)).collect();
        let flat = y.iter().all(|v| *v == y[0]);
        if let Ok(fit) = osce::analysis::stats::ols(&x, &y) {
            prop_assert_eq!(fit.r2.is_none(), flat);
        }
        let groups: Vec<u8> = points.iter().map(|p| p.2).collect();
        if let Ok(w) = osce::analysis::stats::one_way(&y, &groups) {
            prop_assert!(!flat);
            prop_assert!((0.0..=1.0).contains(&w.eta2) && (0.0..=1.0).contains(&w.chance()));
            prop_assert_eq!(w.n, points.len());
        }
    }

    #[test]
    fn alpha_never_exceeds_one_and_the_sem_is_within_the_sd(rows in score_matrix()) {
        if let Ok(a) = osce::analysis::stats::cronbach_alpha(&rows) {
            prop_assert!(a <= 1.0 + 1e-9, "{a}");
            let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
            let sd = osce::analysis::stats::sd(&totals).unwrap_or(0.0);
            let sem = osce::analysis::stats::sem(sd, a);
            prop_assert!(sem >= 0.0 && sem <= sd + 1e-9);
        }
    }

    #[test]
    fn a_regression_line_passes_through_the_means(
        points in proptest::collection::vec((0u8..5, 0.0f64..20.0), 2..50),
    ) {
        let x: Vec<f64> = points.iter().map(|p| f64::from(p.0)).collect();
        let y: Vec<f64> = points.iter().map(|p| p.1).collect();
        if let Ok(fit) = osce::analysis::stats::ols(&x, &y) {
            let mx = osce::analysis::stats::mean(&x).unwrap_or(0.0);
            let my = osce::analysis::stats::mean(&y).unwrap_or(0.0);
            prop_assert!((fit.predict(mx) - my).abs() < 1e-6);
            prop_assert!(fit.r2.is_none_or(|r2| (0.0..=1.0).contains(&r2)));
        }
    }
}
