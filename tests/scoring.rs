//! The scoring engine against a small rubric built for the purpose: every
//! pass-mark kind, every rule, critical items, not observed, components.

use osce::rubric::{Rubric, StandardSetMethod, check_str};
use osce::scoring::*;

/// Two scored stations and a rest station:
/// - "a": items a1 (0/1/2, critical FailsStation), a2 (0/1/2 ×2),
///   a3 (0/1/2, not observed allowed); max 8; fixed pass mark 50%.
/// - "b": items b1 (done 0/1, FailsAssessment), b2 (0/1/2); max 3;
///   standard-set with provisional 2 marks; 5-level global rating.
const RUBRIC: &str = r#"(
    id: "t", title: "Test", kind: Osce, version: "1",
    scales: [
        (id: "ndpd", levels: Named([(label: "Not done", mark: 0), (label: "Partly", mark: 1), (label: "Done", mark: 2)])),
        (id: "ndpd-no", levels: Named([(label: "Not done", mark: 0), (label: "Partly", mark: 1), (label: "Done", mark: 2)]), not_observed: true),
        (id: "done", levels: Named([(label: "Not done", mark: 0), (label: "Done", mark: 1)])),
        (id: "g5", levels: Named([
            (label: "Clear fail", mark: 0), (label: "Borderline", mark: 1, borderline: true),
            (label: "Clear pass", mark: 2), (label: "Very good", mark: 3), (label: "Excellent", mark: 4)])),
    ],
    stations: [
        (id: "a", title: "Station A", items: [
            (id: "a1", text: "Checks identity", scale: "ndpd", critical: FailsStation),
            (id: "a2", text: "Scans", scale: "ndpd", weight: 2),
            (id: "a3", text: "Dynamic", scale: "ndpd-no"),
        ], pass_mark: Percent(50)),
        (id: "rest", title: "Rest", rest: true),
        (id: "b", title: "Station B", items: [
            (id: "b1", text: "Cleans probe", scale: "done", critical: FailsAssessment),
            (id: "b2", text: "Reports", scale: "ndpd"),
        ], global_rating: (scale: "g5"), pass_mark: BorderlineRegression(provisional: Marks(2))),
    ],
    pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks, plus_sem: 1), StationsPassed(All), NoCriticalFail],
)"#;

fn rubric(text: &str) -> Rubric {
    let checked = check_str("test.ron", text);
    let errors: Vec<String> = checked.errors().map(ToString::to_string).collect();
    checked
        .rubric
        .unwrap_or_else(|| panic!("test rubric invalid: {errors:#?}"))
}

fn full_a() -> StationSheet {
    StationSheet::default()
        .level("a1", 2)
        .level("a2", 2)
        .level("a3", 2)
}

fn full_b() -> StationSheet {
    StationSheet::default().level("b1", 1).level("b2", 2).rated(3)
}

fn score(r: &Rubric, sheets: &CandidateSheets) -> AssessmentResult {
    score_candidate(r, sheets, &Standards::default()).expect("sheets fit the rubric")
}

#[test]
fn maxima_come_from_items() {
    let r = rubric(RUBRIC);
    assert_eq!(r.station_max(r.station("a").expect("a")), 8.0);
    assert_eq!(r.station_max(r.station("b").expect("b")), 3.0);
    assert_eq!(r.total_max(), 11.0);
}

#[test]
fn full_marks_pass_but_provisionally() {
    let r = rubric(RUBRIC);
    let sheets = CandidateSheets::default().with("a", full_a()).with("b", full_b());
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Pass, "{:#?}", result.reasons);
    assert_eq!(result.total, 11.0);
    assert_eq!(result.max, 11.0);
    assert_eq!(result.stations_passed, 2);
    // Cut = 4 (50% of 8) + 2 (provisional); SEM not known yet.
    assert_eq!(result.cut, Some(6.0));
    assert!(
        result.provisional.iter().any(|p| p.contains("SEM")),
        "{:?}",
        result.provisional
    );
    assert!(
        result.provisional.iter().any(|p| p.contains("Station B")),
        "{:?}",
        result.provisional
    );
    let b = &result.stations[2];
    assert_eq!(
        b.pass_mark.as_ref().map(|p| p.source),
        Some(PassMarkSource::Provisional(
            StandardSetMethod::BorderlineRegression
        ))
    );
    assert_eq!(b.global_rating, Some((3, "Very good".to_string())));
    assert_eq!(result.stations[1].outcome, StationOutcome::Rest);
}

#[test]
fn global_rating_is_never_added_to_the_score() {
    let r = rubric(RUBRIC);
    for rating in 0..5 {
        let sheet = StationSheet::default()
            .level("b1", 1)
            .level("b2", 1)
            .rated(rating);
        let result = score_station(
            &r,
            r.station("b").expect("b"),
            Some(&sheet),
            &Standards::default(),
        )
        .expect("fits");
        assert_eq!(result.score, 2.0);
    }
}

#[test]
fn standard_set_marks_and_sem_replace_provisional_ones() {
    let r = rubric(RUBRIC);
    let mut standards = Standards::default();
    standards.pass_marks.insert(
        "b".into(),
        StandardSetMark {
            marks: 2.5,
            method: StandardSetMethod::BorderlineRegression.into(),
        },
    );
    standards.sem = Some(1.5);
    // b scores 2 of 3: below the standard-set 2.5 though above provisional 2.
    let sheets = CandidateSheets::default().with("a", full_a()).with(
        "b",
        StationSheet::default().level("b1", 1).level("b2", 1).rated(1),
    );
    let result = score_candidate(&r, &sheets, &standards).expect("fits");
    assert!(result.provisional.is_empty(), "{:?}", result.provisional);
    assert_eq!(result.cut, Some(4.0 + 2.5 + 1.5));
    let b = &result.stations[2];
    assert_eq!(b.outcome, StationOutcome::Fail);
    assert_eq!(
        b.pass_mark.as_ref().map(|p| p.source),
        Some(PassMarkSource::StandardSet(
            StandardSetMethod::BorderlineRegression.into()
        ))
    );
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.verdict == Outcome::Fail && r.text.contains("1 of 2 stations passed")),
        "{:#?}",
        result.reasons
    );
    // The result's reason that says the cut score.
    let cut_words = |standards: &Standards| {
        score_candidate(&r, &sheets, standards)
            .expect("fits")
            .reasons
            .iter()
            .find(|r| r.text.contains("the cut score"))
            .map(|r| r.text.clone())
            .unwrap_or_default()
    };
    // Parts that, each to the hundredth, would not add up to the cut shown
    // (2.337 + 1.687 = 8.024, shown 8.02, where 6.34 + 1.69 is 8.03) are
    // said to the thousandth, as they add up.
    standards.pass_marks.get_mut("b").expect("b").marks = 2.337;
    standards.sem = Some(1.687);
    let cut = cut_words(&standards);
    assert!(
        cut.contains("the cut score 8.02 (sum of station pass marks 6.337 + 1 × SEM 1.687)"),
        "{cut}"
    );
    standards.sem = Some(1.5);
    let cut = cut_words(&standards);
    assert!(
        cut.contains("the cut score 7.84 (sum of station pass marks 6.34 + 1 × SEM 1.5)"),
        "{cut}"
    );
    // A standard-set mark above the maximum is a damaged input, not a result.
    standards.pass_marks.get_mut("b").expect("b").marks = 30.0;
    assert!(matches!(
        score_candidate(&r, &sheets, &standards),
        Err(SheetError::StandardSetOutOfRange { .. })
    ));
}

#[test]
fn critical_item_fails_the_station_whatever_the_total() {
    let r = rubric(RUBRIC);
    let sheets = CandidateSheets::default()
        .with(
            "a",
            StationSheet::default()
                .level("a1", 1)
                .level("a2", 2)
                .level("a3", 2),
        )
        .with("b", full_b());
    let result = score(&r, &sheets);
    let a = &result.stations[0];
    assert_eq!(a.score, 7.0);
    assert_eq!(a.outcome, StationOutcome::Fail);
    assert_eq!(result.outcome, Outcome::Fail);
    let text: Vec<String> = result.reasons.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t == "FAIL: critical item 'Checks identity' marked 'Partly' at station 'Station A'"),
        "{text:#?}"
    );
}

#[test]
fn critical_fail_decides_even_when_sheets_are_missing() {
    let r = rubric(RUBRIC);
    let sheets = CandidateSheets::default().with("b", StationSheet::default().level("b1", 0));
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.text.contains("fails the assessment")),
        "{:#?}",
        result.reasons
    );
}

#[test]
fn missing_marks_make_it_incomplete_and_say_what_is_missing() {
    let r = rubric(RUBRIC);
    let sheets = CandidateSheets::default()
        .with("a", StationSheet::default().level("a1", 2).level("a2", 2))
        .with("b", StationSheet::default().level("b1", 1).level("b2", 2));
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Incomplete, "{:#?}", result.reasons);
    let missing: Vec<String> = result.missing.iter().map(ToString::to_string).collect();
    assert_eq!(
        missing,
        [
            "item 'Dynamic' not marked at station 'Station A'",
            "no global rating at station 'Station B'"
        ]
    );
    let no_sheets = score(&r, &CandidateSheets::default());
    assert_eq!(no_sheets.outcome, Outcome::Incomplete);
    assert_eq!(no_sheets.missing.len(), 2);
}

#[test]
fn not_observed_leaves_score_and_maximum_and_scales_the_pass_mark() {
    let r = rubric(RUBRIC);
    let a = r.station("a").expect("a");
    // 3 of the 6 marks that were observed: exactly the scaled pass mark.
    let sheet = StationSheet::default()
        .level("a1", 2)
        .level("a2", 0)
        .mark("a3", ItemMark::NotObserved);
    let result = score_station(&r, a, Some(&sheet), &Standards::default()).expect("fits");
    assert_eq!(result.max, 6.0);
    assert_eq!(result.nominal_max, 8.0);
    assert_eq!(result.score, 2.0);
    assert_eq!(result.pass_mark.as_ref().and_then(|p| p.marks), Some(3.0));
    assert_eq!(result.outcome, StationOutcome::Fail);
    let sheet = sheet.level("a2", 1);
    let result = score_station(&r, a, Some(&sheet), &Standards::default()).expect("fits");
    assert_eq!(result.outcome, StationOutcome::Pass, "{:#?}", result.reasons);
}

#[test]
fn absent_and_rest_stations() {
    let r = rubric(RUBRIC);
    let absent = StationSheet {
        absent: Some("unwell".into()),
        ..StationSheet::default()
    };
    let sheets = CandidateSheets::default().with("a", absent).with("b", full_b());
    let result = score(&r, &sheets);
    assert_eq!(result.stations[0].outcome, StationOutcome::Absent);
    assert_eq!(result.outcome, Outcome::Incomplete);
    assert!(
        result
            .missing
            .iter()
            .any(|m| m.to_string() == "absent from station 'Station A' (unwell)")
    );
    let marks_at_rest = CandidateSheets::default().with("rest", StationSheet::default().level("a1", 0));
    assert!(matches!(
        score_candidate(&r, &marks_at_rest, &Standards::default()),
        Err(SheetError::MarksAtRestStation { .. })
    ));
}

#[test]
fn sheets_that_do_not_fit_the_rubric_are_errors() {
    let r = rubric(RUBRIC);
    type IsExpected = fn(&SheetError) -> bool;
    let cases: Vec<(CandidateSheets, IsExpected)> = vec![
        (
            CandidateSheets::default().with("zz", StationSheet::default()),
            |e| matches!(e, SheetError::UnknownStation { .. }),
        ),
        (
            CandidateSheets::default().with("a", StationSheet::default().level("zz", 0)),
            |e| matches!(e, SheetError::UnknownItem { .. }),
        ),
        (
            CandidateSheets::default().with("a", StationSheet::default().level("a1", 3)),
            |e| matches!(e, SheetError::LevelOutOfRange { .. }),
        ),
        (
            CandidateSheets::default().with("a", StationSheet::default().mark("a1", ItemMark::NotObserved)),
            |e| matches!(e, SheetError::NotObservedNotAllowed { .. }),
        ),
        (
            CandidateSheets::default().with("a", StationSheet::default().rated(1)),
            |e| matches!(e, SheetError::UnexpectedGlobalRating { .. }),
        ),
        (
            CandidateSheets::default().with("b", StationSheet::default().rated(5)),
            |e| matches!(e, SheetError::GlobalRatingOutOfRange { .. }),
        ),
    ];
    for (sheets, expected) in cases {
        let err = score_candidate(&r, &sheets, &Standards::default()).expect_err("must not fit");
        assert!(expected(&err), "unexpected error {err}");
    }
}

#[test]
fn stations_passed_and_must_pass() {
    let text = RUBRIC.replace(
        "pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks, plus_sem: 1), StationsPassed(All), NoCriticalFail]",
        "pass_rules: [StationsPassed(AtLeast(1)), MustPass([\"b\"])]",
    );
    let r = rubric(&text);
    // A fails on marks (2 of 8), B passes: one station passed, B must pass.
    let weak_a = StationSheet::default()
        .level("a1", 2)
        .level("a2", 0)
        .level("a3", 0);
    let result = score(
        &r,
        &CandidateSheets::default()
            .with("a", weak_a.clone())
            .with("b", full_b()),
    );
    assert_eq!(result.outcome, Outcome::Pass, "{:#?}", result.reasons);
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.text == "must-pass station 'Station B' passed")
    );
    // B fails on marks: the must-pass rule fails.
    let weak_b = StationSheet::default().level("b1", 1).level("b2", 0).rated(0);
    let result = score(
        &r,
        &CandidateSheets::default().with("a", full_a()).with("b", weak_b),
    );
    // B fails on marks: the must-pass rule fails, and says by how much.
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(
        result.reasons.iter().any(|r| r
            .to_string()
            .starts_with("FAIL: must-pass station 'Station B' failed: score 1 of ")
            && r.to_string().contains("is below the pass mark")),
        "{:#?}",
        result.reasons
    );
    // B not yet marked: the rule waits.
    let result = score(&r, &CandidateSheets::default().with("a", full_a()));
    assert_eq!(result.outcome, Outcome::Incomplete);
}

#[test]
fn total_below_cut_fails_with_the_numbers_in_words() {
    let text = RUBRIC
        .replace("plus_sem: 1", "plus_sem: 0")
        .replace("StationsPassed(All), ", "");
    let r = rubric(&text);
    // A: 4 of 8 (passes at 4), B: 1 of 3 (fails at 2). Total 5 < cut 6.
    let sheets = CandidateSheets::default()
        .with(
            "a",
            StationSheet::default()
                .level("a1", 2)
                .level("a2", 1)
                .level("a3", 0),
        )
        .with(
            "b",
            StationSheet::default().level("b1", 1).level("b2", 0).rated(1),
        );
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Fail);
    let fail: Vec<String> = result.deciding_reasons().map(ToString::to_string).collect();
    assert_eq!(
        fail,
        ["FAIL: total 5 of 11 is below the cut score 6 (sum of station pass marks 6)"]
    );
}

const COMPETENCY: &str = r#"(
    id: "p", title: "Practical", kind: PracticalExam, version: "1",
    scales: [(id: "c", levels: Named([(label: "Not yet competent", mark: 0), (label: "Competent", mark: 1)]))],
    stations: [
        (id: "s", title: "Scan", items: [
            (id: "safe", text: "Consent", scale: "c", critical: FailsAssessment),
            (id: "i1", text: "One", scale: "c"), (id: "i2", text: "Two", scale: "c"),
            (id: "i3", text: "Three", scale: "c"), (id: "i4", text: "Four", scale: "c"),
            (id: "i5", text: "Five", scale: "c"),
        ], pass_mark: Competency(percent: 80)),
    ],
    pass_rules: [Competency(percent: 80)],
)"#;

#[test]
fn competency_rule_needs_every_critical_item_and_a_share_of_the_rest() {
    let r = rubric(COMPETENCY);
    let sheet = |safe: usize, met: usize| {
        let mut s = StationSheet::default().level("safe", safe);
        for (n, id) in ["i1", "i2", "i3", "i4", "i5"].iter().enumerate() {
            s = s.level(id, usize::from(n < met));
        }
        CandidateSheets::default().with("s", s)
    };
    assert_eq!(score(&r, &sheet(1, 4)).outcome, Outcome::Pass);
    assert_eq!(score(&r, &sheet(1, 5)).outcome, Outcome::Pass);
    let three = score(&r, &sheet(1, 3));
    assert_eq!(three.outcome, Outcome::Fail);
    assert!(
        three
            .reasons
            .iter()
            .any(|r| r.text == "3 of 5 non-critical items met (60%); 80% required"),
        "{:#?}",
        three.reasons
    );
    let unsafe_ = score(&r, &sheet(0, 5));
    assert_eq!(unsafe_.outcome, Outcome::Fail);
    assert_eq!(unsafe_.stations[0].outcome, StationOutcome::Fail);
}

const ENTRUSTMENT: &str = r#"(
    id: "f", title: "Final", kind: FinalClinicalAssessment, version: "1",
    scales: [
        (id: "dops", levels: Named([(label: "Development required", mark: 0), (label: "Satisfactory", mark: 1)]), not_observed: true),
        (id: "e", levels: Named([(label: "0", mark: 0), (label: "1", mark: 1), (label: "2", mark: 2), (label: "3", mark: 3), (label: "4", mark: 4)])),
    ],
    stations: [
        (id: "c1", title: "Case 1", items: [(id: "d", text: "Domain", scale: "dops")], global_rating: (scale: "e"), pass_mark: GlobalRatingAtLeast("4")),
    ],
    components: (pass_percent: 50, parts: [
        (id: "cases", title: "Cases", kind: Weighted(50), stations: ["c1"]),
        (id: "viva", title: "Viva", kind: Weighted(50), pass_percent: 40),
        (id: "logbook", title: "Logbook", kind: PassFail),
    ]),
    pass_rules: [StationsPassed(All), Components],
    moderation: (mode: All),
)"#;

#[test]
fn global_rating_pass_marks_and_components() {
    let r = rubric(ENTRUSTMENT);
    let case = |rating: usize| {
        StationSheet::default()
            .mark("d", ItemMark::NotObserved)
            .rated(rating)
    };
    let mut sheets = CandidateSheets::default().with("c1", case(4));
    // Viva and logbook not supplied yet.
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Incomplete, "{:#?}", result.reasons);
    assert_eq!(result.missing.len(), 2, "{:?}", result.missing);

    sheets
        .components
        .insert("viva".into(), ComponentMark::Percent(45.0));
    sheets
        .components
        .insert("logbook".into(), ComponentMark::Passed(true));
    // The only item was not observed, so the case has no marks: its share
    // of the module mark is unknown and the module mark waits.
    let result = score(&r, &sheets);
    assert_eq!(result.stations[0].outcome, StationOutcome::Pass);
    assert_eq!(result.module_mark, None);

    sheets
        .stations
        .insert("c1".into(), StationSheet::default().level("d", 1).rated(4));
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Pass, "{:#?}", result.reasons);
    assert_eq!(result.module_mark, Some(72.5));

    sheets
        .components
        .insert("viva".into(), ComponentMark::Percent(30.0));
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.to_string()
                == "FAIL: component 'Viva' failed (30%, below the 40% required, weight 50%)")
    );

    sheets
        .components
        .insert("viva".into(), ComponentMark::Percent(45.0));
    sheets
        .components
        .insert("logbook".into(), ComponentMark::Passed(false));
    assert_eq!(score(&r, &sheets).outcome, Outcome::Fail);

    sheets
        .components
        .insert("logbook".into(), ComponentMark::Passed(true));
    sheets
        .stations
        .insert("c1".into(), StationSheet::default().level("d", 1).rated(3));
    let result = score(&r, &sheets);
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(
        result.reasons.iter().any(
            |r| r.to_string()
                == "FAIL: 0 of 1 cases passed (failed: Case 1 — global rating '3' is below the required '4'); at least \
                    1 (all) needed"
        ),
        "{:#?}",
        result.reasons
    );
    assert!(
        result.stations[0]
            .reasons
            .iter()
            .any(|r| r.text == "case 'Case 1': global rating '3' is below the required '4'"),
        "{:#?}",
        result.stations[0].reasons
    );
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.text == "component 'Cases' counts towards the module mark (100%, weight 50%)")
    );

    sheets
        .components
        .insert("viva".into(), ComponentMark::Passed(true));
    assert!(matches!(
        score_candidate(&r, &sheets, &Standards::default()),
        Err(SheetError::WrongComponentMark { .. })
    ));
}

#[test]
fn example_rubrics_score_a_perfect_candidate_as_a_pass() {
    for path in [
        "rubrics/msk-ultrasound-osce.ron",
        "rubrics/msk-practical-exam.ron",
        "rubrics/msk-final-clinical-assessment.ron",
    ] {
        let (r, _) =
            osce::rubric::load(std::path::Path::new(path)).unwrap_or_else(|_| panic!("{path} loads"));
        let mut sheets = CandidateSheets::default();
        for station in r.scored_stations() {
            let mut sheet = StationSheet::default();
            for item in &station.items {
                sheet = sheet.level(&item.id, r.scale(item.scale).levels.len() - 1);
            }
            if let Some(g) = &station.global_rating {
                sheet = sheet.rated(r.scale(g.scale).levels.len() - 1);
            }
            sheets.stations.insert(station.id.clone(), sheet);
        }
        if let Some(c) = &r.components {
            for part in c.parts.iter().filter(|p| p.stations.is_empty()) {
                let mark = if part.weight.is_some() {
                    ComponentMark::Percent(100.0)
                } else {
                    ComponentMark::Passed(true)
                };
                sheets.components.insert(part.id.clone(), mark);
            }
        }
        let result = score(&r, &sheets);
        assert_eq!(result.outcome, Outcome::Pass, "{path}: {:#?}", result.reasons);
        assert_eq!(result.total, r.total_max(), "{path}");
    }
}

#[test]
fn a_station_with_nothing_observed_cannot_be_decided_on_marks() {
    let text = RUBRIC.replace(
        r#"(id: "a1", text: "Checks identity", scale: "ndpd", critical: FailsStation),
            (id: "a2", text: "Scans", scale: "ndpd", weight: 2),"#,
        "",
    );
    let r = rubric(&text);
    let sheet = StationSheet::default().mark("a3", ItemMark::NotObserved);
    let result = score_station(
        &r,
        r.station("a").expect("a"),
        Some(&sheet),
        &Standards::default(),
    )
    .expect("fits");
    assert_eq!(
        result.outcome,
        StationOutcome::Incomplete,
        "{:#?}",
        result.reasons
    );
    assert_eq!(
        result.missing,
        [Missing::NothingObserved {
            station: osce::rubric::Place {
                noun: osce::rubric::Noun::Station,
                title: "Station A".into()
            }
        }]
    );
}

#[test]
fn a_fixed_cut_in_marks_shrinks_with_unobserved_items() {
    let text = RUBRIC
        .replace(
            "TotalAtLeast(cut: SumOfStationPassMarks, plus_sem: 1)",
            "TotalAtLeast(cut: Marks(5.5))",
        )
        .replace("StationsPassed(All), ", "");
    let r = rubric(&text);
    // a3 (2 of 11 marks) not observed: the cut becomes 5.5 × 9/11 = 4.5.
    let sheets = CandidateSheets::default()
        .with(
            "a",
            StationSheet::default()
                .level("a1", 2)
                .level("a2", 1)
                .mark("a3", ItemMark::NotObserved),
        )
        .with(
            "b",
            StationSheet::default().level("b1", 1).level("b2", 0).rated(1),
        );
    let result = score(&r, &sheets);
    assert_eq!(result.max, 9.0);
    assert_eq!(result.cut, Some(4.5));
    assert_eq!(result.total, 5.0);
    assert!(
        result.reasons.iter().any(|r| r.to_string()
            == "PASS: total 5 of 9 meets the cut score 4.5 (5.5 marks, scaled to the 9 of 11 marks observed)"),
        "{:#?}",
        result.reasons
    );
}

#[test]
fn components_without_the_components_rule_hold_nothing_up() {
    let text = ENTRUSTMENT.replace(
        "pass_rules: [StationsPassed(All), Components]",
        "pass_rules: [StationsPassed(All)]",
    );
    let r = rubric(&text);
    let sheets = CandidateSheets::default().with("c1", StationSheet::default().level("d", 1).rated(4));
    let result = score(&r, &sheets);
    assert_eq!(
        result.outcome,
        Outcome::Pass,
        "{:#?} {:?}",
        result.reasons,
        result.missing
    );
}

/// Percentages are rounded as a person rounds them, and never read as the
/// pass mark they missed.
#[test]
fn a_percentage_beside_a_pass_mark_never_reads_as_the_pass_mark() {
    use osce::scoring::{fmt_percent, fmt_percent_beside};
    assert_eq!(fmt_percent(63.25), "63.3");
    assert_eq!(fmt_percent(44.25), "44.3");
    assert_eq!(fmt_percent(50.0), "50");
    assert_eq!(fmt_percent_beside(49.95, 50.0), "49.95");
    assert_eq!(fmt_percent_beside(49.999, 50.0), "49.999");
    assert_eq!(fmt_percent_beside(49.4, 50.0), "49.4");
    assert_eq!(fmt_percent_beside(50.0, 50.0), "50");
    assert_eq!(fmt_percent_beside(50.04, 50.0), "50.04");
}
