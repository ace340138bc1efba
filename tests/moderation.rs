//! Moderation's effect on results: decisions written through the real
//! store, read back as `status`, `export` and `moderate` read them.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use osce::results::gather::{CellState, gather, matrix};
use osce::results::moderation::{CellModeration, Moderation, sample, seen, settle_referrals};
use osce::results::reconcile::{CandidateResult, examiners_results_for, results};
use osce::scoring::{Outcome, Standards, StationOutcome};
use osce::store::{Decision, Event, Proposed, Store};

struct Loaded {
    cohort: osce::results::gather::Cohort,
    matrix: osce::results::gather::Matrix,
    moderation: Moderation,
    results: Vec<CandidateResult>,
}

fn load_all(rubric_path: &str, folders: &[PathBuf]) -> Loaded {
    let r = rubric(rubric_path);
    let h = hash(rubric_path);
    let cohort = gather(&r, &h, folders).expect("gather");
    let moderation = osce::results::moderation::gather(&r, &h, folders).expect("moderation");
    assert!(moderation.problems.is_empty(), "{:?}", moderation.problems);
    let mut m = matrix(&r, &cohort, None);
    settle_referrals(&mut m, &cohort, &moderation);
    let results = results(&r, &cohort, &m, &Standards::default(), &moderation);
    // The quality report's results are the examiners' alone: the same as
    // every command's, before moderation, whatever moderation decided.
    let examiners = examiners_results_for(&r, &cohort, &m, &Standards::default(), &moderation, &m.candidates);
    assert_eq!(examiners.len(), results.len());
    for (e, c) in examiners.iter().zip(&results) {
        assert_eq!((&e.candidate, &e.result), (&c.candidate, &c.result));
        let stations = |s: &std::collections::BTreeMap<String, osce::results::reconcile::StationDetail>| {
            s.iter()
                .map(|(id, d)| (id.clone(), d.result.clone(), d.sheets.clone(), d.over_threshold))
                .collect::<Vec<_>>()
        };
        assert_eq!(stations(&e.stations), stations(&c.stations), "{}", c.candidate);
    }
    Loaded {
        cohort,
        matrix: m,
        moderation,
        results,
    }
}

/// Records a decision on a cell as `osce moderate` does: naming the sheets
/// as they are now.
#[allow(clippy::too_many_arguments)]
fn decide(
    folder: &Path,
    rubric_path: &str,
    assessor: &str,
    candidate: &str,
    station: &str,
    decision: Decision,
    proposed: Option<Proposed>,
    rationale: &str,
) {
    let l = load_all(rubric_path, &[folder.to_path_buf()]);
    let cell = l.matrix.cell(candidate, station).expect("cell");
    let r = rubric(rubric_path);
    let (mut journal, _) = Store::new(folder)
        .open_moderation(&r.id, assessor, "ea-laptop", &hash(rubric_path))
        .expect("open moderation");
    journal
        .append(
            Event::Moderated {
                station: station.into(),
                candidate: candidate.into(),
                sheets: seen(&l.cohort, &cell.sheets),
                // The result the marks give, as the screen records it.
                internal: l
                    .results
                    .iter()
                    .find(|r| r.candidate == candidate)
                    .and_then(|r| r.stations.get(station))
                    .map_or(osce::scoring::StationOutcome::Incomplete, |d| d.result.outcome),
                decision,
                proposed,
                rationale: rationale.into(),
            },
            at(60),
        )
        .expect("append");
}

fn of<'a>(l: &'a Loaded, candidate: &str) -> &'a CandidateResult {
    l.results
        .iter()
        .find(|c| c.candidate == candidate)
        .expect("candidate")
}

#[test]
fn a_final_clinical_assessment_is_incomplete_until_every_sheet_is_moderated() {
    let d = Dir::new("mod-fca");
    let s = d.sub("s");
    candidate(&s, FCA, "C001", "E01@lap1", Marks::Top);
    let l = load_all(FCA, std::slice::from_ref(&s));
    let c = of(&l, "C001");
    // (The overall result also waits for the logbook, a component.)
    let st = &c.stations["case-1"];
    assert_eq!(st.result.outcome, StationOutcome::Pass);
    assert_eq!(st.final_result.outcome, StationOutcome::Incomplete);
    assert!(
        c.moderation_status.contains("6 not yet moderated (required)"),
        "{}",
        c.moderation_status
    );
    assert!(
        c.final_result
            .reasons
            .iter()
            .any(|r| r.text.contains("requires every sheet to be moderated")),
        "{:?}",
        c.final_result.reasons
    );

    for st in rubric(FCA).scored_stations() {
        decide(&s, FCA, "EA1", "C001", &st.id, Decision::Agree, None, "");
    }
    let l = load_all(FCA, &[s]);
    let c = of(&l, "C001");
    assert_eq!(c.stations["case-1"].final_result.outcome, StationOutcome::Pass);
    assert_eq!(c.final_result.outcome, c.result.outcome);
    assert!(
        c.moderation_status.starts_with("moderated at 6 of 6 cases"),
        "{}",
        c.moderation_status
    );
    assert!(c.moderation_status.contains("not yet signed off"));
}

#[test]
fn a_disagreement_changes_the_final_result_and_says_why_while_the_marks_stay() {
    let d = Dir::new("mod-disagree");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&s);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "upper-limb",
        Decision::Disagree,
        Some(Proposed::Fail),
        "The images saved do not show the structures marked as identified.",
    );
    // The examiners' journals are untouched.
    for (path, bytes) in &before {
        assert_eq!(&std::fs::read(path).expect("read"), bytes, "{}", path.display());
    }
    let l = load_all(PRACTICAL, &[s]);
    let c = of(&l, "C001");
    assert_eq!(c.result.outcome, Outcome::Pass);
    let station = &c.stations["upper-limb"];
    assert_eq!(station.result.outcome, StationOutcome::Pass);
    assert_eq!(station.final_result.outcome, StationOutcome::Fail);
    assert!(matches!(
        station.moderation,
        CellModeration::Disagreed {
            proposed: Proposed::Fail,
            ..
        }
    ));
    let why: Vec<&str> = station
        .final_result
        .reasons
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert!(
        why.iter()
            .any(|t| t.contains("FAIL on moderation by EA1") && t.contains("do not show")),
        "{why:?}"
    );
    assert!(
        c.moderation_status.contains("(result changed at 1)"),
        "{}",
        c.moderation_status
    );
}

fn walk(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).expect("read")));
        }
    }
    out
}

/// E01 amends C001's physics sheet and submits it again.
fn amend_physics(s: &Path) {
    amended(s, PRACTICAL, "physics", "C001");
}

/// E01@lap1's sheet of `candidate` at `station` amended ("wrong item")
/// and submitted again.
fn amended(s: &Path, rubric: &str, station: &str, candidate: &str) {
    append(
        s,
        rubric,
        station,
        candidate,
        "E01@lap1",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
        ],
    );
}

#[test]
fn a_sheet_amended_after_moderation_must_be_moderated_again() {
    let d = Dir::new("mod-stale");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    let l = load_all(PRACTICAL, std::slice::from_ref(&s));
    assert!(matches!(
        of(&l, "C001").stations["physics"].moderation,
        CellModeration::Agreed { .. }
    ));

    amend_physics(&s);
    let l = load_all(PRACTICAL, &[s]);
    let c = of(&l, "C001");
    let st = &c.stations["physics"];
    assert!(
        matches!(st.moderation, CellModeration::Stale { .. }),
        "{:?}",
        st.moderation
    );
    assert_eq!(st.final_result.outcome, StationOutcome::Incomplete);
    assert_eq!(c.final_result.outcome, Outcome::Incomplete);
    assert!(c.moderation_status.contains("1 amended since moderated"));
}

/// A cell with much to say (amended since moderated, with a concern) is
/// wider than the station's id: status's matrix widens its columns, so
/// every row's columns stay in line.
#[test]
fn the_status_matrix_stays_in_line_with_a_wide_cell() {
    let d = Dir::new("mod-wide-cell");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    candidate(&s, PRACTICAL, "C002", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    append(
        &s,
        PRACTICAL,
        "physics",
        "C001",
        "E01@lap1",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Concern {
                kind: osce::store::ConcernKind::Professionalism,
                note: "late and rude".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
        ],
    );
    let (_, out) = run_osce(&["status", PRACTICAL, "--sessions", s.to_str().expect("utf-8")]);
    let row = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id}'s row:\n{out}"))
            .to_string()
    };
    assert!(row("C001").contains("✓ amended M? !"), "{out}");
    let name_at = |id: &str| row(id).chars().count() - format!("Name of {id}").chars().count();
    assert_eq!(name_at("C001"), name_at("C002"), "{out}");
}

/// C001 marked by E01, EA1's agreement at physics, and EA1 signed off.
fn agreed_and_signed_off(s: &Path) {
    candidate(s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    let (mut journal, _) = Store::new(s)
        .open_moderation(&rubric(PRACTICAL).id, "EA1", "ea-laptop", &hash(PRACTICAL))
        .expect("open moderation");
    journal
        .append(
            Event::SignedOff {
                summary: "all seen".into(),
            },
            at(61),
        )
        .expect("append");
}

/// An examiner opens a moderated sheet to amend it after the assessor
/// signed off, changes a mark and never submits it again (walked away, the
/// laptop died): the sheet as last submitted counts meanwhile, and the
/// moderation of it still holds. The result waits for the amendment, and
/// nothing is the exam lead's to decide until it is submitted.
#[test]
fn an_amendment_opened_and_not_submitted_leaves_the_moderation_holding() {
    let d = Dir::new("mod-amend-open");
    let s = d.sub("s");
    agreed_and_signed_off(&s);
    let r = rubric(PRACTICAL);
    let item = r.station("physics").expect("physics").items[0].id.clone();
    append(
        &s,
        PRACTICAL,
        "physics",
        "C001",
        "E01@lap1",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Mark {
                item,
                level: Some(0),
                label: String::new(),
                late: false,
            },
        ],
    );
    let f = s.to_str().expect("utf-8");
    let (code, problems) = run_osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert_eq!(code, 1, "not final while the amendment is open: {problems}");
    assert!(problems.contains("being amended"), "{problems}");
    assert!(
        !problems.contains("changed since") && !problems.contains("decide result"),
        "{problems}"
    );
    let out = d.0.join("out");
    run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let rows = csv_rows(&out.join("stations.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001" && r[col("station_id")] == "physics")
        .expect("C001 at physics");
    assert_eq!(row[col("moderation")], "agreed", "{row:?}");
    assert_eq!(row[col("final_result")], "PASS", "{row:?}");
}

/// A sheet the assessor agreed as a PASS, amended into a FAIL after they
/// signed off (a safety item keyed wrongly): status says what the marks
/// gave then and give now, and the decision it offers to paste is the
/// FAIL the marks give, not a PASS that would overturn it.
#[test]
fn a_pass_amended_into_a_fail_after_sign_off_is_offered_as_the_fail_it_is() {
    let d = Dir::new("mod-stale-fail");
    let s = d.sub("s");
    agreed_and_signed_off(&s);
    let mut events = vec![Event::AmendStarted {
        reason: "marks keyed against the wrong candidate".into(),
    }];
    for item in rubric(PRACTICAL)
        .station("physics")
        .expect("physics")
        .items
        .iter()
    {
        events.push(Event::Mark {
            item: item.id.clone(),
            level: Some(0),
            label: String::new(),
            late: false,
        });
    }
    events.push(Event::Submitted {
        score: 0.0,
        max: 0.0,
        outcome: osce::scoring::StationOutcome::Fail,
    });
    append(&s, PRACTICAL, "physics", "C001", "E01@lap1", events);
    let f = s.to_str().expect("utf-8");
    let gave = "its marks gave PASS when it was moderated and give FAIL now";
    let (code, problems) = run_osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert_eq!(code, 1, "{problems}");
    assert!(
        problems.contains(&format!(
            "physics: changed since EA1 moderated it and signed off ({gave}; the moderation is locked)"
        )) && problems.contains("--candidate C001 --station physics --fail --by NAME")
            && problems.contains("(or --pass in place of --fail)"),
        "{problems}"
    );
    let (_, full) = run_osce(&["status", PRACTICAL, "--sessions", f]);
    assert!(
        full.contains(&format!(
            "C001 at physics: changed since EA1 moderated it ({gave})"
        )) && full.contains("--station physics --fail --by NAME")
            && !full.contains("--station physics --pass"),
        "{full}"
    );
    let out = d.sub("out");
    run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("results.csv"));
    let reasons = &rows[0][header.iter().position(|h| h == "reasons").expect("reasons")];
    assert!(reasons.contains(gave), "{reasons}");
}

/// Every sheet in, one station's result held back (its sheet amended
/// after the assessor agreed with it): the candidate's total is whole, and
/// it waits for that station's result, not for sheets ("total so far …
/// once every sheet is complete" said what was not so).
#[test]
fn a_total_with_every_sheet_in_and_a_station_held_is_not_said_to_wait_for_sheets() {
    let d = Dir::new("mod-held-total");
    let s = d.sub("s");
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    decide(&s, OSCE, "EA1", "C001", "knee", Decision::Agree, None, "");
    amended(&s, OSCE, "knee", "C001");
    let out = d.sub("out");
    run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("results.csv"));
    let reasons = &rows[0][header.iter().position(|h| h == "reasons").expect("reasons")];
    assert!(
        reasons.contains("; judged against the cut score once every station's result is in")
            && !reasons.contains("total so far")
            && !reasons.contains("once every sheet is complete"),
        "{reasons}"
    );
}

/// Two sheets amended after the assessor agreed with them and signed off:
/// "Not final yet" counts them in words that fit two.
#[test]
fn two_sheets_changed_since_moderated_are_counted_in_words_that_fit() {
    let d = Dir::new("mod-stale-two");
    let s = d.sub("s");
    agreed_and_signed_off(&s);
    candidate(&s, PRACTICAL, "C002", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C002", "physics", Decision::Agree, None, "");
    for c in ["C001", "C002"] {
        amended(&s, PRACTICAL, "physics", c);
    }
    let (code, out) = run_osce(&["status", PRACTICAL, "--sessions", s.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "2 sheets have changed since they were moderated, and their assessors have signed off: the exam lead \
             decides their results"
        ),
        "{out}"
    );
}

/// The assessor signed off (and can record nothing more) before a
/// moderated sheet was amended: the exam lead decides its result, as
/// `status` says, and the result is then settled.
#[test]
fn a_sheet_amended_after_sign_off_is_settled_by_the_exam_lead() {
    let d = Dir::new("mod-stale-signed");
    let s = d.sub("s");
    agreed_and_signed_off(&s);
    amend_physics(&s);
    let f = s.to_str().expect("utf-8");
    let (_, problems) = run_osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert!(
        problems.contains("physics: changed since EA1 moderated it and signed off (its marks give PASS, as when it was moderated; the moderation is locked): the exam lead decides")
            && problems.contains("decide: osce decide result")
            && !problems.contains("the assessor moderates it again"),
        "{problems}"
    );
    // Held, every item marked: the competency rule says the station's
    // result is not in, not that items are still to be marked.
    let held = d.sub("held");
    run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        held.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&held.join("results.csv"));
    let reasons = &rows[0][header.iter().position(|h| h == "reasons").expect("reasons")];
    assert!(
        reasons.contains("; no result yet at 'Physics discussion'")
            && !reasons.contains("not every item is marked"),
        "{reasons}"
    );
    let (code, said) = run_osce(&[
        "decide",
        "result",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "physics",
        "--pass",
        "--by",
        "Exam lead",
        "--reason",
        "The amendment corrected a slip; the assessor has signed off",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, problems) = run_osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert!(!problems.contains("changed since"), "{problems}");
    let out = d.sub("out");
    run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("results.csv"));
    let result = header
        .iter()
        .position(|h| h == "final_result")
        .expect("final_result");
    assert_eq!(rows[0][result], "PASS", "{rows:?}");
}

/// The exam lead decided a referred station's result, its third marker
/// said not to be coming; the third marker's sheet comes after all: the
/// decision is held for review, not kept over it.
#[test]
fn a_referred_third_markers_sheet_after_the_leads_decision_holds_it_for_review() {
    let d = Dir::new("mod-refer-decided");
    let s = d.sub("s");
    let f = s.to_str().expect("utf-8");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear images",
    );
    let (code, out) = run_osce(&[
        "decide",
        "result",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "lower-limb",
        "--pass",
        "--by",
        "Lead",
        "--reason",
        "No third marker will come",
    ]);
    assert_eq!(code, 0, "{out}");
    sheet(
        &s,
        PRACTICAL,
        "lower-limb",
        "C001",
        "E09@lap9",
        Marks::Bottom,
        true,
        90,
    );
    let out_dir = d.0.join("out");
    let (code, said) = run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{said}");
    let (h, rows) = read_csv(&out_dir.join("stations.csv"));
    let at = |name: &str| h.iter().position(|x| x == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[0] == "C001" && r[at("station_id")] == "lower-limb")
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(row[at("final_result")], "INCOMPLETE", "{said}");
    let (_, out) = run_osce(&["status", PRACTICAL, "--sessions", f]);
    assert!(
        out.contains(
            "the exam lead decided its result (PASS) before another sheet (E09@lap9) came: held for review"
        ),
        "{out}"
    );
}

#[test]
fn a_referral_makes_room_for_a_third_marker_whose_result_counts() {
    let d = Dir::new("mod-refer");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear images",
    );
    let l = load_all(PRACTICAL, std::slice::from_ref(&s));
    let c = of(&l, "C001");
    assert_eq!(
        c.stations["lower-limb"].final_result.outcome,
        StationOutcome::Incomplete
    );
    assert!(
        c.moderation_status
            .contains("1 referred, waiting for a third marker")
    );

    // The third marker fails it; with no double marking in this rubric a
    // second examiner would be a conflict, but not after a referral.
    sheet(
        &s,
        PRACTICAL,
        "lower-limb",
        "C001",
        "E09@lap9",
        Marks::Bottom,
        true,
        90,
    );
    let l = load_all(PRACTICAL, std::slice::from_ref(&s));
    let cell = l.matrix.cell("C001", "lower-limb").expect("cell");
    assert_eq!(cell.state, CellState::Submitted, "{:?}", cell.conflict);
    let c = of(&l, "C001");
    let st = &c.stations["lower-limb"];
    assert_eq!(
        st.result.outcome,
        StationOutcome::Pass,
        "the examiners' own result"
    );
    assert_eq!(st.final_result.outcome, StationOutcome::Fail);
    assert!(
        st.final_result
            .reasons
            .iter()
            .any(|r| r.text.contains("third marker E09")),
        "{:?}",
        st.final_result.reasons
    );
    assert_eq!(c.final_result.outcome, Outcome::Fail);

    // The export says whose marks give the result after moderation: the
    // station's note names the third marker and what they gave, and their
    // marks are in items.csv (and the workbook's sheet of the station's
    // items) beside the examiner's.
    let out = d.0.join("export");
    let (_, text) = run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let stations = common::csv_rows(&out.join("stations.csv"));
    let at = |name: &str| stations[0].iter().position(|h| h == name).expect(name);
    let row = stations
        .iter()
        .find(|r| r[0] == "C001" && r[at("station_id")] == "lower-limb")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row[at("note")].contains("third marker E09 (lap9) gave 0 of ")
            && row[at("note")]
                .contains("(FAIL) after referral by EA1: their marks (in items.csv) give the result"),
        "{row:?}"
    );
    // The score after moderation is the third marker's, and the
    // candidate's total after moderation counts it, as marks.csv does.
    assert_eq!(row[at("final_score")], "0", "{row:?}");
    assert_ne!(row[at("score")], "0", "{row:?}");
    let results = common::csv_rows(&out.join("results.csv"));
    let of = |name: &str| -> f64 {
        let i = results[0].iter().position(|h| h == name).expect(name);
        results[1][i].parse().expect(name)
    };
    assert!(of("final_total") < of("total"), "{results:?}");
    let items = common::csv_rows(&out.join("items.csv"));
    let examiners: std::collections::BTreeSet<&str> = items
        .iter()
        .filter(|r| r[0] == "C001" && r[1] == "lower-limb")
        .map(|r| r[9].as_str())
        .collect();
    assert_eq!(examiners, ["E01", "E09"].into_iter().collect());
}

#[test]
fn two_assessors_who_differ_leave_the_station_open() {
    let d = Dir::new("mod-differ");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    decide(
        &s,
        PRACTICAL,
        "EA2",
        "C001",
        "physics",
        Decision::Disagree,
        Some(Proposed::Fail),
        "no",
    );
    let l = load_all(PRACTICAL, &[s]);
    let st = &of(&l, "C001").stations["physics"];
    assert!(matches!(st.moderation, CellModeration::Conflicting { .. }));
    assert_eq!(st.final_result.outcome, StationOutcome::Incomplete);
}

/// The markers' agreed mark of 7 (a PASS) for C001 at case-1 of the final
/// clinical assessment, recorded by the exam lead over the sheets `l` read.
fn agreed_seven(s: &Path, l: &Loaded) {
    let cell = l.matrix.cell("C001", "case-1").expect("cell");
    let r = rubric(FCA);
    let (mut journal, _) = Store::new(s)
        .open_moderation(&r.id, "LEAD", "office", &hash(FCA))
        .expect("open");
    journal
        .append(
            Event::AgreedMark {
                station: "case-1".into(),
                candidate: "C001".into(),
                sheets: seen(&l.cohort, &cell.sheets),
                score: 7.0,
                outcome: Some(Proposed::Pass),
                note: "E01 and E02 by phone".into(),
            },
            at(120),
        )
        .expect("append");
}

#[test]
fn an_agreed_mark_reconciles_markers_over_the_threshold() {
    let d = Dir::new("mod-agreed");
    let s = d.sub("s");
    markers_apart(&s);
    let l = load_all(FCA, std::slice::from_ref(&s));
    let st = &of(&l, "C001").stations["case-1"];
    assert!(st.over_threshold);
    assert_eq!(st.result.outcome, StationOutcome::Incomplete);
    assert!(
        st.note
            .as_deref()
            .unwrap_or("")
            .contains("waiting for an agreed mark")
    );

    agreed_seven(&s, &l);
    let l = load_all(FCA, std::slice::from_ref(&s));
    let st = &of(&l, "C001").stations["case-1"];
    assert_eq!(st.result.score, 7.0);
    assert_ne!(st.result.outcome, StationOutcome::Incomplete);
    assert!(
        st.note.as_deref().unwrap_or("").contains("agreed mark 7 of 9"),
        "{:?}",
        st.note
    );
    // The exam lead who recorded the markers' agreed mark moderated
    // nothing: there is nothing for them to sign off, and results do not
    // wait for it.
    let (_, out) = run_osce(&["status", FCA, "--sessions", s.to_str().expect("utf-8")]);
    assert!(
        !out.contains("assessor LEAD has not signed the moderation off"),
        "{out}"
    );
    assert!(
        out.contains("LEAD on office: ") && out.contains("; nothing to sign off"),
        "{out}"
    );
    // moderation.csv gives the agreed mark with the result agreed with it
    // (a case judged on its entrustment level takes its result from it).
    let out = d.0.join("out");
    run_osce(&[
        "export",
        FCA,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (h, rows) = read_csv(&out.join("moderation.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).expect(name);
    let agreed = rows
        .iter()
        .find(|r| r[col("record")] == "agreed mark")
        .expect("the agreed mark's row");
    assert_eq!(
        (
            agreed[col("agreed_mark")].as_str(),
            agreed[col("proposed_result")].as_str()
        ),
        ("7", "PASS"),
        "{agreed:?}"
    );
}

/// The exam lead decided a station whose markers were over the threshold
/// apart and could not agree; their agreed mark is recorded after all.
/// The decision is held for review, not kept over the agreed mark nor
/// dropped, until the exam lead decides again.
#[test]
fn an_agreed_mark_after_the_exam_leads_decision_holds_it_for_review() {
    let d = Dir::new("mod-agreed-after-decision");
    let s = d.sub("s");
    markers_apart(&s);
    let f = s.to_str().expect("utf-8");
    let decide = || {
        run_osce(&[
            "decide",
            "result",
            FCA,
            "--sessions",
            f,
            "--candidate",
            "C001",
            "--station",
            "case-1",
            "--fail",
            "--by",
            "Lead",
            "--reason",
            "The markers could not agree",
        ])
    };
    let out_dir = d.0.join("out");
    let final_result = || {
        let (_, said) = run_osce(&[
            "export",
            FCA,
            "--sessions",
            f,
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--force",
        ]);
        let (h, rows) = read_csv(&out_dir.join("stations.csv"));
        let at = |name: &str| h.iter().position(|x| x == name).expect(name);
        let row = rows
            .iter()
            .find(|r| r[0] == "C001" && r[at("station_id")] == "case-1")
            .unwrap_or_else(|| panic!("no row for C001 at case-1: {said}"));
        row[at("final_result")].clone()
    };
    let (code, out) = decide();
    assert_eq!(code, 0, "{out}");
    assert_eq!(final_result(), "FAIL");
    let l = load_all(FCA, std::slice::from_ref(&s));
    agreed_seven(&s, &l);
    assert_eq!(final_result(), "INCOMPLETE");
    let (_, out) = run_osce(&["status", FCA, "--sessions", f]);
    assert!(
        out.contains("before the markers' agreed mark came: held for review"),
        "{out}"
    );
    assert!(
        out.contains("--candidate C001 --station case-1 --pass --by NAME"),
        "{out}"
    );
    let (code, out) = decide();
    assert_eq!(code, 0, "{out}");
    assert_eq!(final_result(), "FAIL");
    let (_, out) = run_osce(&["status", FCA, "--sessions", f]);
    assert!(
        out.contains(
            "its result decided by the exam lead (osce decide result), the markers' agreed mark in view"
        ),
        "{out}"
    );
    assert!(
        !out.contains("held for review") && !out.contains("decision stands"),
        "{out}"
    );
    // A sheet amended after the decision: the marks it was decided over
    // are not these, so it is held for review again.
    append(
        &s,
        FCA,
        "case-1",
        "C001",
        "E02@lap2",
        vec![
            Event::AmendStarted {
                reason: "a mark entered against the wrong item".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: StationOutcome::Pass,
            },
        ],
    );
    assert_eq!(final_result(), "INCOMPLETE");
    let (_, out) = run_osce(&["status", FCA, "--sessions", f]);
    assert!(
        out.contains("before an amendment of E02@lap2's sheet came: held for review"),
        "{out}"
    );
}

/// Two markers give full marks to every item they observed; one could not
/// observe three items. They agree: no discrepancy, and the station's score
/// is full marks, each marker taken in proportion to what they observed
/// (not 6 of 9 averaged with 9 of 9, three marks apart).
#[test]
fn markers_who_observed_different_items_are_compared_in_proportion() {
    let d = Dir::new("mod-not-observed");
    let s = d.sub("s");
    sheet(&s, FCA, "case-1", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(&s, FCA, "case-1", "C001", "E02@lap2", Marks::Top, false, 1);
    let not_observed = |item: &str| Event::Mark {
        item: item.into(),
        level: None,
        label: "not observed".into(),
        late: false,
    };
    append(
        &s,
        FCA,
        "case-1",
        "C001",
        "E02@lap2",
        vec![
            not_observed("communication"),
            not_observed("report"),
            not_observed("scope"),
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: StationOutcome::Pass,
            },
        ],
    );
    let l = load_all(FCA, std::slice::from_ref(&s));
    let st = &of(&l, "C001").stations["case-1"];
    assert!(!st.over_threshold, "{:?}", st.note);
    assert_eq!(st.discrepancy, Some(0.0), "{:?}", st.note);
    assert_eq!((st.result.score, st.result.max), (9.0, 9.0), "{:?}", st.note);
    assert_eq!(st.result.outcome, StationOutcome::Pass, "{:?}", st.result.reasons);
    let note = st.note.clone().unwrap_or_default();
    assert!(
        note.contains("E02 6 of the 6 marks observed, 9 of 9 in proportion"),
        "{note}"
    );
    // Status's list of discrepancies compares them so too (three marks
    // apart unscaled, over the rubric's threshold of 2).
    let (_, out) = run_osce(&["status", FCA, "--sessions", s.to_str().expect("utf-8")]);
    assert!(!out.contains("C001 at case-1: 3 marks apart"), "{out}");
}

#[test]
fn a_third_marker_decides_a_discrepancy_over_the_threshold() {
    let d = Dir::new("mod-third");
    let s = d.sub("s");
    sheet(&s, OSCE, "shoulder", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(5),
        true,
        1,
    );
    let l = load_all(OSCE, std::slice::from_ref(&s));
    let st = &of(&l, "C001").stations["shoulder"];
    assert!(st.over_threshold);
    assert_eq!(st.result.outcome, StationOutcome::Incomplete);
    sheet(&s, OSCE, "shoulder", "C001", "E03@lap3", Marks::Bottom, true, 2);
    let l = load_all(OSCE, &[s]);
    let st = &of(&l, "C001").stations["shoulder"];
    assert_eq!(st.result.score, 0.0, "the third marker's score counts");
    assert!(
        st.note.as_deref().unwrap_or("").contains("third marker E03"),
        "{:?}",
        st.note
    );
}

/// A third marker's result counts where the first two are over the
/// threshold apart: what the first two found that it leaves out stays in
/// the exam office's note, in the export (a critical item failed; their
/// global ratings), and the station's global rating is the third
/// marker's, paired with the score that counts.
#[test]
fn a_third_markers_result_keeps_the_first_markers_critical_fail_in_sight() {
    let d = Dir::new("mod-third-critical");
    let s = d.sub("s");
    sheet(&s, OSCE, "shoulder", "C001", "E01@lap1", Marks::Bottom, true, 0);
    sheet(&s, OSCE, "shoulder", "C001", "E02@lap2", Marks::Top, true, 1);
    sheet(&s, OSCE, "shoulder", "C001", "E03@lap3", Marks::Top, true, 2);
    let out = d.0.join("export");
    assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(["export", OSCE, "--sessions"])
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let (h, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    let row = rows
        .iter()
        .find(|r| r[col("station_id")] == "shoulder")
        .expect("the shoulder's row");
    assert_eq!(row[col("result")], "PASS", "the third marker's result counts");
    let note = &row[col("note")];
    assert!(note.contains("third marker E03's result counts"), "{note}");
    assert!(
        note.contains(
            "E01's sheet: critical item 'Confirms patient identity and obtains verbal consent' marked 'Not done' at \
             station 'Shoulder' (not counted: the third marker's result counts)"
        ),
        "{note}"
    );
    assert!(!note.contains("E02's sheet: critical"), "{note}");
    assert!(
        note.contains("global rating E03's Excellent (the third marker's); E01 gave Clear fail"),
        "{note}"
    );
    assert_eq!(row[col("global_rating")], "Excellent");
}

#[test]
fn the_sample_is_reproducible_and_of_the_share_asked() {
    let cells: Vec<(String, String)> = (0..200)
        .map(|i| (format!("C{i:03}"), format!("S{}", i % 7)))
        .collect();
    let a = sample(&cells, 10.0, 42);
    assert_eq!(a.len(), 20);
    let mut reversed = cells.clone();
    reversed.reverse();
    assert_eq!(sample(&reversed, 10.0, 42), a, "order does not matter");
    assert_ne!(sample(&cells, 10.0, 43), a, "another seed, another sample");
    assert_eq!(sample(&cells, 0.5, 1).len(), 1, "a share rounds up");
    assert_eq!(sample(&cells, 100.0, 1).len(), 200);
}

#[test]
fn a_moderation_journal_is_not_a_sheet_and_audit_accepts_it() {
    let d = Dir::new("mod-audit");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    let r = rubric(PRACTICAL);
    let l = load_all(PRACTICAL, std::slice::from_ref(&s));
    assert!(l.cohort.problems.is_empty(), "{:?}", l.cohort.problems);
    assert_eq!(l.moderation.logs.len(), 1);
    let report = osce::results::audit::audit(&r, &hash(PRACTICAL), &[s]).expect("audit");
    assert!(!report.has_errors(), "{:#?}", report.findings);
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers = r.headers().expect("headers").iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.expect("row").iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn export_and_status_show_moderation() {
    let d = Dir::new("mod-export");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "upper-limb",
        Decision::Disagree,
        Some(Proposed::Fail),
        "=HYPERLINK(\"x\") images missing",
    );
    let out = d.0.join("export");
    assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args([PRACTICAL, "--sessions"])
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .arg("export")
        .assert()
        .failure();
    // Written; not final (the assessor has not signed off): exit 1.
    assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(["export", PRACTICAL, "--sessions"])
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let (h, rows) = read_csv(&out.join("moderation.csv"));
    assert_eq!(h[0], "record");
    assert_eq!(rows.len(), 3, "two decisions and the sign-off line: {rows:?}");
    assert_eq!(rows[0][0], "decision");
    assert_eq!(rows[0][7], "agree");
    assert_eq!(rows[1][7], "disagree");
    assert_eq!(rows[1][8], "FAIL");
    assert!(
        rows[1][10].starts_with("'=HYPERLINK"),
        "neutralised: {}",
        rows[1][10]
    );
    assert_eq!(rows[2][0], "sign-off");
    assert_eq!(rows[2][10], "not signed off");
    assert_eq!(
        rows[2][11], "no: not signed off yet",
        "no sign-off in effect: {rows:?}"
    );

    let (h, rows) = read_csv(&out.join("results.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    assert_eq!(rows[0][col("result")], "PASS");
    assert_eq!(rows[0][col("final_result")], "FAIL");
    assert!(rows[0][col("moderation_status")].contains("(result changed at 1)"));
    assert!(
        rows[0][col("reasons")].contains("FAIL on moderation by EA1"),
        "{}",
        rows[0][col("reasons")]
    );
    let (h, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    let upper = rows.iter().find(|r| r[1] == "upper-limb").expect("row");
    assert_eq!(upper[col("moderation")], "disagreed");
    assert_eq!(upper[col("final_result")], "FAIL");
    let (_, marks) = read_csv(&out.join("marks.csv"));
    assert_eq!(marks[0][2], "FAIL", "the upload file carries the final result");

    let status = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(["status", PRACTICAL, "--sessions"])
        .arg(&s)
        .output()
        .expect("status");
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(text.contains("✓ M"), "{text}");
    assert!(
        text.contains("Moderation: 2 of 3 station results moderated (one per candidate and station, however many marked it)"),
        "{text}"
    );
    assert!(
        text.contains("EA1 on ea-laptop: 2 sheets: 1 agreed, 1 disagreed"),
        "{text}"
    );
    // The result moderation changed is named, with why.
    assert!(
        text.contains(
            "  C001 at upper-limb: EA1 disagreed: the result after moderation is FAIL (EA1: =HYPERLINK(\"x\") \
             images missing)"
        ),
        "{text}"
    );
}

#[test]
fn status_fails_until_a_final_clinical_assessment_is_moderated() {
    let d = Dir::new("mod-status");
    let s = d.sub("s");
    candidate(&s, FCA, "C001", "E01@lap1", Marks::Top);
    let run = || {
        assert_cmd::Command::cargo_bin("osce")
            .expect("binary")
            .args(["status", FCA, "--sessions"])
            .arg(&s)
            .output()
            .expect("status")
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 submitted sheets are not moderated yet"));
    for st in rubric(FCA).scored_stations() {
        decide(&s, FCA, "EA1", "C001", &st.id, Decision::Agree, None, "");
    }
    // Every sheet moderated; still not final until the assessor signs off
    // (and the logbook component, which no sheet gives, is in).
    let out = run();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("not moderated yet"), "{text}");
    assert!(
        text.contains("assessor EA1 has not signed the moderation off"),
        "{text}"
    );
}

#[test]
fn the_rubric_sets_marks_csv_columns_and_the_flag_wins() {
    let d = Dir::new("marks-csv");
    let s = d.sub("s");
    candidate(&s, FCA, "C001", "E01@lap1", Marks::Top);
    let run = |out: &Path, extra: &[&str]| {
        assert_cmd::Command::cargo_bin("osce")
            .expect("binary")
            .args(["export", FCA, "--sessions"])
            .arg(&s)
            .arg("--out")
            .arg(out)
            .args(extra)
            .assert()
            // Written; not final (not moderated, no logbook result).
            .code(1);
    };
    let out = d.0.join("export");
    run(&out, &[]);
    let (headers, rows) = read_csv(&out.join("marks.csv"));
    assert_eq!(headers, ["Student ID", "Grade"], "the rubric's marks_csv");
    assert_eq!(
        rows[0],
        ["C001", "INCOMPLETE"],
        "not moderated, and the logbook not in"
    );
    let out = d.0.join("export2");
    run(
        &out,
        &["--marks-columns", "candidate_id=id,internal_result=Internal"],
    );
    let (headers, _) = read_csv(&out.join("marks.csv"));
    assert_eq!(headers, ["id", "Internal"]);
}

/// A referral waiting for its third marker, even with every sheet in and
/// the assessor signed off, leaves the results not final: status and export
/// exit 1 and say why.
#[test]
fn status_and_export_are_not_final_while_a_referral_waits() {
    let d = Dir::new("mod-refer-final");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear",
    );
    signed_off(&s, PRACTICAL, "EA1");
    let (code, out) = run_osce(&["status", PRACTICAL, "--sessions", s.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Every expected sheet is in; 1 station referred to a third marker waits"),
        "{out}"
    );
    assert!(
        out.contains("1 sheet was referred to a third marker whose sheet is not in yet"),
        "{out}"
    );
    let export = d.0.join("export");
    let (code, out) = run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Not final yet: do not upload"), "{out}");
    let marks = csv_rows(&export.join("marks.csv"));
    assert_eq!(marks[1][1], "", "no mark uploaded while referred: {marks:?}");
}

/// `stations_passed` counts stations as the final result does, after
/// moderation; an absent station has no score, and says why.
#[test]
fn stations_passed_follows_moderation_and_an_absence_has_no_score() {
    let d = Dir::new("mod-passed");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "upper-limb",
        Decision::Disagree,
        Some(Proposed::Fail),
        "the images saved do not show the structures marked",
    );
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C002",
        "E01@lap1",
        Marks::Top,
        false,
        5,
    );
    append(
        &s,
        PRACTICAL,
        "upper-limb",
        "C002",
        "E01@lap1",
        vec![
            Event::Absent {
                reason: "unwell on the day".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    let export = d.0.join("export");
    let (_, out) = run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    let results = csv_rows(&export.join("results.csv"));
    let col = |rows: &[Vec<String>], name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let passed = col(&results, "stations_passed");
    let scored = col(&results, "stations_scored");
    let c1 = results.iter().find(|r| r[0] == "C001").expect("C001");
    let all: usize = c1[scored].parse().expect("number");
    assert_eq!(c1[passed], (all - 1).to_string(), "{out}\n{c1:?}");
    let stations = csv_rows(&export.join("stations.csv"));
    let (score, note, result) = (
        col(&stations, "score"),
        col(&stations, "note"),
        col(&stations, "result"),
    );
    let absent = stations
        .iter()
        .find(|r| r[0] == "C002" && r[1] == "upper-limb")
        .expect("C002 row");
    assert_eq!(absent[result], "ABSENT", "{absent:?}");
    assert_eq!(absent[score], "", "{absent:?}");
    assert!(absent[note].contains("absent: unwell on the day"), "{absent:?}");
}

/// Feedback says why a station failed, in words, and nothing about
/// moderation while a referral is still waiting.
#[test]
fn feedback_explains_a_fail_and_is_silent_on_moderation_under_way() {
    let d = Dir::new("mod-feedback");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    candidate(&s, PRACTICAL, "C002", "E01@lap1", Marks::Bottom);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear",
    );
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "upper-limb",
        Decision::Disagree,
        Some(Proposed::Fail),
        "images missing",
    );
    let out = d.0.join("feedback");
    let (code, text) = run_osce(&[
        "feedback",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "a referral waits, so not final: {text}");
    assert!(text.contains("Not final yet: do not send these files"), "{text}");
    let c1 = std::fs::read_to_string(out.join("C001.md")).expect("C001");
    assert!(c1.contains("This result is not complete yet"), "{c1}");
    assert!(
        !c1.contains("decided after external moderation"),
        "nothing about moderation while a referral waits: {c1}"
    );
    let c2 = std::fs::read_to_string(out.join("C002.md")).expect("C002");
    assert!(c2.contains("**Result: FAIL**"), "{c2}");
    assert!(c2.contains("\nWhy: "), "the reason for the fail in words: {c2}");
}

/// A fail an external assessor decided is told to the candidate as a fail
/// on external moderation: not the assessor's name, nor their rationale
/// (the exam board's to read), and the line ends with one full stop.
#[test]
fn feedback_keeps_the_assessors_name_and_rationale_from_the_candidate() {
    let d = Dir::new("mod-feedback-private");
    let s = d.sub("s");
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        OSCE,
        "EA1",
        "C001",
        "professional",
        Decision::Disagree,
        Some(Proposed::Fail),
        "Consent was not discussed; marks inflated.",
    );
    let out = d.0.join("feedback");
    run_osce(&[
        "feedback",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let c1 = std::fs::read_to_string(out.join("C001.md")).expect("C001");
    assert!(c1.contains("**Result: FAIL**"), "{c1}");
    assert!(
        c1.contains(
            "not passed on external moderation, although the examiners' marks gave a pass (your module leader can \
             tell you why)"
        ),
        "{c1}"
    );
    for private in ["EA1", "marks inflated", "Consent was not discussed"] {
        assert!(!c1.contains(private), "{private}: {c1}");
    }
    assert!(!c1.contains(".."), "{c1}");
}

/// A fail on too few stations passed, one failed on moderation and one on
/// its marks: the candidate is told every station failed, with why, and
/// how many were needed, as the exam board is, without the assessor's
/// name or rationale. Not the reason cut short where the assessor's part
/// of it began.
#[test]
fn feedback_on_too_few_stations_passed_names_each_failed_station_and_the_rule() {
    let d = Dir::new("mod-feedback-rule");
    let s = d.sub("s");
    for st in rubric(OSCE).scored_stations() {
        let marks = if st.id == "knee" {
            Marks::LoseFirst(8)
        } else {
            Marks::Top
        };
        sheet(&s, OSCE, &st.id, "C001", "E01@lap1", marks, true, 0);
    }
    decide(
        &s,
        OSCE,
        "EA1",
        "C001",
        "professional",
        Decision::Disagree,
        Some(Proposed::Fail),
        "Consent was not discussed (see my notes); marks inflated, at least two items.",
    );
    let reasons: Vec<String> = of(&load_all(OSCE, std::slice::from_ref(&s)), "C001")
        .final_result
        .reasons
        .iter()
        .map(|r| r.text.clone())
        .collect();
    let rule = reasons
        .iter()
        .find(|t| t.contains("stations passed (failed: "))
        .expect("the stations-passed rule's reason");
    assert!(
        rule.contains("marks inflated") && rule.contains("Knee — ") && rule.ends_with("at least 5 needed"),
        "{rule}"
    );
    let out = d.0.join("feedback");
    run_osce(&[
        "feedback",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let c1 = std::fs::read_to_string(out.join("C001.md")).expect("C001");
    let why = c1
        .lines()
        .find(|l| l.starts_with("Why: 4 of 6 stations passed"))
        .unwrap_or_else(|| panic!("{c1}"));
    assert!(
        why.contains("(failed: Knee — score ")
            && why.contains(
                ", Professional issues and reporting — not passed on external moderation, although the examiners' \
                 marks gave a pass (your module leader can tell you why)); at least 5 needed"
            ),
        "{why}"
    );
    // Said once, in the list of failed stations: not again after the rule.
    assert_eq!(
        why.matches("not passed on external moderation").count(),
        1,
        "{why}"
    );
    for private in ["EA1", "marks inflated", "Consent was not discussed"] {
        assert!(!c1.contains(private), "{private}: {c1}");
    }
}

/// A fail a third marker gave after an assessor's referral is told to the
/// candidate as such: not who referred it, nor who the third marker was.
#[test]
fn feedback_on_a_third_markers_fail_names_neither_assessor_nor_marker() {
    let d = Dir::new("mod-feedback-third");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear images",
    );
    sheet(
        &s,
        PRACTICAL,
        "lower-limb",
        "C001",
        "E09@lap9",
        Marks::Bottom,
        true,
        90,
    );
    let out = d.0.join("feedback");
    let (code, said) = run_osce(&[
        "feedback",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let c1 = std::fs::read_to_string(out.join("C001.md")).unwrap_or_else(|e| panic!("{code} {said}: {e}"));
    assert!(c1.contains("**Result: FAIL**"), "{c1}");
    assert!(
        c1.contains("a third marker gave 0 of ") && c1.contains("on external moderation"),
        "{c1}"
    );
    for private in ["EA1", "E09", "unclear images", "referral by"] {
        assert!(!c1.contains(private), "{private}: {c1}");
    }
    assert!(!c1.contains(".."), "{c1}");
}

/// One assessor on two laptops is one assessor: a moderation window opened
/// (and closed, deciding nothing) on a second laptop after the sign-off is
/// no assessor who has not signed off. An assessor the rubric names whose
/// decisions are not in the folders given keeps the results from final.
#[test]
fn one_assessor_on_two_laptops_and_a_named_assessor_left_out() {
    let d = Dir::new("mod-two-laptops");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    signed_off(&s, PRACTICAL, "EA1");
    let r = rubric(PRACTICAL);
    let (j, _) = Store::new(&s)
        .open_moderation(&r.id, "EA1", "second-laptop", &hash(PRACTICAL))
        .expect("open");
    drop(j);
    let status =
        |rubric_path: &str| run_osce(&["status", rubric_path, "--sessions", s.to_str().expect("utf-8")]);
    let (_, out) = status(PRACTICAL);
    assert!(!out.contains("has not signed the moderation off"), "{out}");

    // The same exam, its rubric naming a second assessor whose folder was
    // not given.
    let named = d.0.join("named.ron");
    let text = std::fs::read_to_string(PRACTICAL).expect("rubric");
    let text = text.replacen(
        "moderation: (mode: Sample(percent: 20))",
        "moderation: (mode: Sample(percent: 20), assessors: [\"EA1\", \"EA2\"])",
        1,
    );
    std::fs::write(&named, &text).expect("write");
    let s2 = d.sub("s2");
    candidate(
        &s2,
        named.to_str().expect("utf-8"),
        "C001",
        "E01@lap1",
        Marks::Top,
    );
    signed_off(&s2, named.to_str().expect("utf-8"), "EA1");
    let (code, out) = run_osce(&[
        "status",
        named.to_str().expect("utf-8"),
        "--sessions",
        s2.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("assessor EA2 (named in the rubric) has no decisions in the folders given"),
        "{out}"
    );
}

/// An assessor who moderated on one laptop and signed off on another (a
/// sign-off locks their moderation on every laptop): `status` said they
/// had signed off, while results.csv said "not yet signed off" for every
/// candidate they moderated.
#[test]
fn a_sign_off_on_another_laptop_is_the_assessors_sign_off_in_the_export() {
    let d = Dir::new("mod-signed-elsewhere");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "upper-limb",
        Decision::Agree,
        None,
        "",
    );
    let r = rubric(PRACTICAL);
    let (mut journal, _) = Store::new(&s)
        .open_moderation(&r.id, "EA1", "ea-laptop-2", &hash(PRACTICAL))
        .expect("open on the second laptop");
    journal
        .append(
            Event::SignedOff {
                summary: "1 sheet: 1 agreed".into(),
            },
            at(90),
        )
        .expect("sign off");
    drop(journal);
    let folder = s.to_str().expect("utf-8");
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", folder]);
    assert!(
        said.contains("EA1 on ea-laptop-2") && said.contains("signed off"),
        "{said}"
    );
    let out = d.0.join("export");
    let (_, said) = run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        folder,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let results = std::fs::read_to_string(out.join("results.csv")).expect("results.csv");
    assert!(results.contains("moderated at 1 of"), "{results}\n{said}");
    assert!(!results.contains("not yet signed off"), "{results}");
}

/// A decision an examiner recorded on a sheet they marked themselves (in
/// a journal written by hand, or before the moderation screen refused it)
/// never counts: the station keeps the examiners' result, and the
/// export's moderation.csv says why the decision is not in effect.
#[test]
fn a_decision_on_the_assessors_own_sheet_does_not_count() {
    let d = Dir::new("mod-own-sheet");
    let s = d.sub("s");
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C001",
        "E02@lap2",
        Marks::Bottom,
        true,
        5,
    );
    decide(
        &s,
        PRACTICAL,
        "e02",
        "C001",
        "upper-limb",
        Decision::Disagree,
        Some(Proposed::Pass),
        "I was too harsh",
    );
    let l = load_all(PRACTICAL, std::slice::from_ref(&s));
    let station = &of(&l, "C001").stations["upper-limb"];
    assert_eq!(station.final_result.outcome, StationOutcome::Fail);
    let out = d.0.join("export");
    assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(["export", PRACTICAL, "--sessions"])
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let (h, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    let row = rows
        .iter()
        .find(|r| r[col("station_id")] == "upper-limb")
        .expect("row");
    assert_eq!(row[col("final_result")], "FAIL", "{row:?}");
    let (h, rows) = read_csv(&out.join("moderation.csv"));
    let col = |name: &str| h.iter().position(|x| x == name).expect("column");
    assert_eq!(
        rows[0][col("in_effect")],
        "no: the assessor marked this sheet",
        "{rows:?}"
    );
    // Nor is it counted among the assessor's decisions in status.
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s.to_str().expect("utf-8")]);
    assert!(!said.contains("1 disagreed"), "{said}");
}

/// A station marked once and referred, at an exam whose rubric allows
/// double marking with a third marker: the third marker's sheet is
/// moderation's, not a second marker's. Status does not ask for yet another
/// marker, and the report (on the examiners' own marks) keeps the
/// candidate's first result instead of leaving the station out.
#[test]
fn a_third_markers_sheet_after_a_referral_is_not_double_marking() {
    let d = Dir::new("mod-refer-double");
    let s = d.sub("s");
    for c in ["C001", "C002", "C003"] {
        candidate(&s, OSCE, c, "E01@lap1", Marks::Top);
    }
    decide(
        &s,
        OSCE,
        "EA1",
        "C001",
        "shoulder",
        Decision::Refer,
        None,
        "unclear images",
    );
    sheet(&s, OSCE, "shoulder", "C001", "E09@lap9", Marks::Bottom, true, 90);
    let folder = s.to_str().expect("utf-8");
    let (_, out) = run_osce(&["status", OSCE, "--sessions", folder]);
    assert!(
        !out.contains("marks apart") && !out.contains("waiting for a third marker"),
        "the third marker's sheet came: nothing waits for another\n{out}"
    );
    assert!(
        !out.contains("Double marking:"),
        "no station was double-marked\n{out}"
    );
    let report = d.0.join("report");
    let (code, out) = run_osce(&[
        "report",
        OSCE,
        "--sessions",
        folder,
        "--format",
        "csv",
        "--out",
        report.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{out}");
    let rows = csv_rows(&report.join("report-stations.csv"));
    let shoulder = rows.iter().find(|r| r[0] == "shoulder").expect("shoulder");
    assert_eq!(
        (shoulder[1].as_str(), shoulder[2].as_str()),
        ("3", "0"),
        "every candidate's shoulder counts, on the examiners' marks: {rows:?}"
    );
}

/// Markers over the threshold, one failing a critical item, and the
/// agreed mark they recorded above the pass mark: the station fails on the
/// critical item alone. Its score is the agreed mark, and no shortfall of
/// the mean (which does not count) is given as a reason.
#[test]
fn a_critical_fail_with_an_agreed_mark_is_judged_on_the_agreed_mark() {
    let d = Dir::new("mod-agreed-critical");
    let s = d.sub("s");
    let text = std::fs::read_to_string(OSCE).expect("rubric");
    let agreed_rubric = d.0.join("agreed.ron");
    std::fs::write(
        &agreed_rubric,
        text.replace("reconcile: ThirdMarker", "reconcile: AgreedMark"),
    )
    .expect("write");
    let rubric_path = agreed_rubric.to_str().expect("utf-8");
    sheet(
        &s,
        rubric_path,
        "knee",
        "C001",
        "E01@lap1",
        Marks::Bottom,
        true,
        0,
    );
    sheet(&s, rubric_path, "knee", "C001", "E02@lap2", Marks::Top, true, 5);
    let l = load_all(rubric_path, std::slice::from_ref(&s));
    let cell = l.matrix.cell("C001", "knee").expect("cell");
    let r = rubric(rubric_path);
    let (mut journal, _) = Store::new(&s)
        .open_moderation(&r.id, "LEAD", "office", &hash(rubric_path))
        .expect("open");
    journal
        .append(
            Event::AgreedMark {
                station: "knee".into(),
                candidate: "C001".into(),
                sheets: seen(&l.cohort, &cell.sheets),
                score: 15.0,
                outcome: None,
                note: "E01 and E02 by phone".into(),
            },
            at(120),
        )
        .expect("append");
    let l = load_all(rubric_path, &[s]);
    let st = &of(&l, "C001").stations["knee"];
    assert_eq!(st.result.outcome, StationOutcome::Fail);
    assert_eq!(st.result.score, 15.0);
    let reasons: Vec<&str> = st.result.reasons.iter().map(|r| r.text.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("critical item")), "{reasons:?}");
    assert!(
        !reasons.iter().any(|r| r.contains("below the pass mark")),
        "the agreed mark meets it: {reasons:?}"
    );
    let note = st.note.as_deref().unwrap_or("");
    assert!(
        note.contains("(by E01 only)") && note.contains("agreed mark 15 of 20"),
        "{note}"
    );
}

/// Two markers over the threshold, referred by an assessor who saw both
/// sheets, and then a third marker: the third marker's sheet settles the
/// discrepancy, as it would without the referral, and is the referral's
/// third marker too. stations.csv, results.csv and the reasons give one
/// mark; nothing says it still waits for a third marker.
#[test]
fn a_referred_discrepancy_is_settled_by_the_one_third_marker() {
    let d = Dir::new("mod-refer-discrepancy");
    let s = d.sub("s");
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    sheet(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(5),
        true,
        1,
    );
    decide(
        &s,
        OSCE,
        "EA1",
        "C001",
        "shoulder",
        Decision::Refer,
        None,
        "the markers are far apart",
    );
    // The third marker's laptop clock is behind: their sheet says it was
    // opened before the others'. The referral says who the third is.
    sheet(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        Marks::LoseFirst(1),
        true,
        -30,
    );
    let l = load_all(OSCE, std::slice::from_ref(&s));
    let st = &of(&l, "C001").stations["shoulder"];
    assert_eq!(st.result.outcome, st.final_result.outcome);
    assert_eq!(st.result.score, st.final_result.score);
    let out = d.0.join("out");
    let (code, said) = run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    // Not final yet (not signed off, pass marks provisional), but written.
    assert_eq!(code, 1, "{said}");
    let (h, rows) = read_csv(&out.join("stations.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).expect(n);
    let row = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001" && r[col("station_id")] == "shoulder")
        .expect("shoulder");
    assert_eq!(row[col("examiners")], "E01 E02 E03", "{row:?}");
    assert!(
        row[col("note")].contains("third marker E03's result counts"),
        "{row:?}"
    );
    assert_eq!(row[col("result")], row[col("final_result")], "{row:?}");
    assert!(row[col("note")].contains("third marker E03"), "{row:?}");
    assert!(!row[col("note")].contains("waiting"), "{row:?}");
    let third: f64 = row[col("score")].parse().expect("a score");
    let total: f64 = rows
        .iter()
        .filter(|r| r[col("candidate_id")] == "C001")
        .filter_map(|r| r[col("score")].parse::<f64>().ok())
        .sum();
    let (h, rows) = read_csv(&out.join("results.csv"));
    let col = |n: &str| h.iter().position(|c| c == n).expect(n);
    let c = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001")
        .expect("C001");
    assert_eq!(c[col("total")].parse::<f64>().ok(), Some(total), "{c:?}");
    assert!(
        c[col("reasons")].contains(&format!("total {} of", osce::scoring::fmt_marks(total))),
        "{c:?}"
    );
    assert_eq!(c[col("result")], c[col("final_result")], "{c:?}");
    assert!(third > 0.0);
}

/// An assessor's journal made against another version of the rubric is
/// named in words a module leader reads (the version, as for sheets and
/// decisions), and what to do, not as a bare BLAKE3.
#[test]
fn a_moderation_journal_of_another_rubric_version_is_said_as_such() {
    let d = common::Dir::new("moderation-other-version");
    let folder = d.sub("s");
    common::candidate(&folder, common::OSCE, "C001", "E01@lap", common::Marks::Top);
    let r = common::rubric(common::OSCE);
    let other = "ab12cd34ef56".repeat(5) + "abcd";
    let (mut j, _) = osce::store::Store::new(&folder)
        .open_moderation(&r.id, "EA1", "ea-laptop", &other)
        .expect("open");
    j.append(
        osce::store::Event::SignedOff {
            summary: "nothing to change".into(),
        },
        common::at(60),
    )
    .expect("append");
    drop(j);
    let (_, out) = common::run_osce(&[
        "status",
        common::OSCE,
        "--sessions",
        folder.to_str().expect("utf-8"),
    ]);
    assert!(
        out.contains("moderated against another version of the rubric (ab12cd34ef56); not used"),
        "{out}"
    );
    assert!(!out.contains("BLAKE3"), "{out}");
}

/// The sample takes every fail: a fail that comes in after every assessor
/// has signed off (paper sheets imported late, a laptop collected late) is
/// held, never passed on unmoderated as final; the exam lead decides it.
#[test]
fn a_fail_that_comes_in_after_the_sign_off_is_held_for_the_exam_lead() {
    let d = Dir::new("mod-late-fail");
    let s = d.sub("s");
    let f = s.to_str().expect("utf-8");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    signed_off(&s, PRACTICAL, "EA1");
    let (code, out) = run_osce(&["status", PRACTICAL, "--sessions", f]);
    assert_eq!(code, 0, "final once signed off: {out}");
    // Later, a candidate's sheets come in: the physics station fails.
    for st in rubric(PRACTICAL).scored_stations() {
        let marks = if st.id == "physics" {
            Marks::Bottom
        } else {
            Marks::Top
        };
        sheet(&s, PRACTICAL, &st.id, "C002", "E02@paper", marks, true, 90);
    }
    let (code, out) = run_osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C002 at physics: station 'Physics")
            && out.contains("a FAIL by the examiners' marks, not moderated: the rubric's moderation sample takes every fail, and every assessor had signed off before this sheet came in or became a fail")
            && out.contains("decide: osce decide result"),
        "{out}"
    );
    let (code, said) = run_osce(&[
        "decide",
        "result",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C002",
        "--station",
        "physics",
        "--fail",
        "--by",
        "Exam lead",
        "--reason",
        "Seen by the exam lead: the critical item was not met",
    ]);
    assert_eq!(code, 0, "{said}");
    let (code, out) = run_osce(&["status", PRACTICAL, "--sessions", f]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 FAIL"), "{out}");
}

/// A fail the exam lead decided where the examiners' marks gave a fail too
/// (an assessor had proposed a pass) is told to the candidate with the
/// examiners' own reasons, not the decision's words ("the station's result
/// is FAIL"), which say nothing.
#[test]
fn feedback_on_a_fail_the_exam_lead_confirmed_gives_the_examiners_reasons() {
    let d = Dir::new("mod-feedback-lead-fail");
    let s = d.sub("s");
    let f = s.to_str().expect("utf-8");
    for st in rubric(PRACTICAL).scored_stations() {
        let marks = if st.id == "physics" {
            Marks::Bottom
        } else {
            Marks::Top
        };
        sheet(&s, PRACTICAL, &st.id, "C001", "E01@lap1", marks, true, 0);
    }
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "physics",
        Decision::Disagree,
        Some(Proposed::Pass),
        "Harsh marking.",
    );
    let (code, said) = run_osce(&[
        "decide",
        "result",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "physics",
        "--fail",
        "--by",
        "Exam lead",
        "--reason",
        "The critical item stands",
    ]);
    assert_eq!(code, 0, "{said}");
    let out = d.0.join("feedback");
    run_osce(&[
        "feedback",
        PRACTICAL,
        "--sessions",
        f,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let c1 = std::fs::read_to_string(out.join("C001.md")).expect("C001");
    assert!(c1.contains("**Result: FAIL**"), "{c1}");
    assert!(!c1.contains("the station's result is"), "{c1}");
    let physics = &c1[c1.find("## Physics").expect("physics")..];
    let why = physics
        .lines()
        .find(|l| l.starts_with("Why: "))
        .unwrap_or_else(|| panic!("{physics}"));
    assert!(
        why.contains("0 of 5 items met (0%), which is below the 80% required"),
        "{why}"
    );
    for private in ["EA1", "Harsh marking", "Exam lead", "The critical item stands"] {
        assert!(!c1.contains(private), "{private}: {c1}");
    }
}

/// The practical exam's pass rules count competent items, not station
/// results. A station the exam lead decides FAIL (assessors who differ)
/// fails the candidate, as one failed on moderation does: the item counts
/// cannot carry it.
#[test]
fn a_station_the_lead_decides_failed_fails_a_candidate_judged_on_items() {
    let d = Dir::new("mod-lead-fail-items");
    let s = d.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    decide(&s, PRACTICAL, "EA1", "C001", "physics", Decision::Agree, None, "");
    decide(
        &s,
        PRACTICAL,
        "EA2",
        "C001",
        "physics",
        Decision::Disagree,
        Some(Proposed::Fail),
        "no",
    );
    let (code, out) = run_osce(&[
        "decide",
        "result",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--candidate",
        "C001",
        "--station",
        "physics",
        "--fail",
        "--by",
        "Exam lead",
        "--reason",
        "the assessors' call at the board",
    ]);
    assert_eq!(code, 0, "{out}");
    let out_dir = d.0.join("out");
    run_osce(&[
        "export",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    let rows = csv_rows(&out_dir.join("results.csv"));
    let col = |n: &str| rows[0].iter().position(|h| h == n).expect(n);
    let c001 = rows.iter().find(|r| r[0] == "C001").expect("C001");
    assert_eq!(c001[col("final_result")], "FAIL", "{c001:?}");
    assert!(c001[col("reasons")].contains("the exam lead"), "{c001:?}");
}

/// The same with two markers over the threshold who agree a mark: the
/// item counts are one marker's, so a station failed on the markers'
/// agreed mark fails the candidate.
#[test]
fn a_station_failed_on_the_agreed_mark_fails_a_candidate_judged_on_items() {
    let d = Dir::new("mod-agreed-fail-items");
    let s = d.sub("s");
    let rubric_path = practical_double_marked(&d.0);
    candidate(&s, rubric_path, "C001", "E01@lap1", Marks::Top);
    sheet(
        &s,
        rubric_path,
        "physics",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(3),
        true,
        5,
    );
    let l = load_all(rubric_path, std::slice::from_ref(&s));
    let cell = l.matrix.cell("C001", "physics").expect("cell");
    assert!(of(&l, "C001").stations["physics"].over_threshold);
    let (mut journal, _) = Store::new(&s)
        .open_moderation(&rubric(rubric_path).id, "LEAD", "office", &hash(rubric_path))
        .expect("open");
    journal
        .append(
            Event::AgreedMark {
                station: "physics".into(),
                candidate: "C001".into(),
                sheets: seen(&l.cohort, &cell.sheets),
                score: 2.0,
                outcome: Some(Proposed::Fail),
                note: "E01 and E02 in person".into(),
            },
            at(120),
        )
        .expect("append");
    let l = load_all(rubric_path, std::slice::from_ref(&s));
    let c = of(&l, "C001");
    assert_eq!(c.stations["physics"].result.outcome, StationOutcome::Fail);
    assert_eq!(
        c.final_result.outcome,
        Outcome::Fail,
        "{:?}",
        c.final_result.reasons
    );
    assert!(
        c.final_result
            .reasons
            .iter()
            .any(|r| r.text.contains("agreed mark")),
        "{:?}",
        c.final_result.reasons
    );
}

/// Pass marks adopted, then a station referred and a third marker's sheet
/// in (the documented order): the third marker's sheet enters no standard
/// setting, so the pass marks are not said to be set from other sheets
/// (which would send the exam lead to set them again after sign-off). A
/// sheet of the examiners' added since still is.
#[test]
fn a_third_markers_sheet_after_adoption_leaves_the_pass_marks_in_force() {
    let d = Dir::new("mod-refer-adopted");
    let s = d.sub("s");
    simulate_into(OSCE, &s, 12, 6, 3);
    adopt_pass_marks(&[&s], OSCE);
    let status = || run_osce(&["status", OSCE, "--sessions", s.to_str().expect("utf-8")]).1;
    assert!(!status().contains("set from other sheets"), "{}", status());
    decide(
        &s,
        OSCE,
        "EA1",
        "SIM00003",
        "shoulder",
        Decision::Refer,
        None,
        "unclear images",
    );
    sheet(
        &s,
        OSCE,
        "shoulder",
        "SIM00003",
        "TM1@lap9",
        Marks::Bottom,
        true,
        300,
    );
    let after = status();
    assert!(after.contains("third"), "the referral is third-marked: {after}");
    assert!(!after.contains("set from other sheets"), "{after}");
    // An examiner's sheet for another candidate: the pass marks were set
    // without it.
    sheet(
        &s,
        OSCE,
        "shoulder",
        "LATE01",
        "EX01@sim-EX01",
        Marks::Top,
        true,
        310,
    );
    assert!(status().contains("set from other sheets"), "{}", status());
}

/// `osce status` through a referral: the cell says it waits for a third
/// marker (`R`), then that the third marker's sheet settled it (`M3`),
/// and the moderation section says what they gave beside what the
/// examiners' marks gave, where it dropped the referral without a word.
#[test]
fn status_shows_a_referral_waiting_and_what_the_third_marker_gave() {
    let d = Dir::new("mod-refer-status");
    let s = d.sub("s");
    for c in ["C001", "C002"] {
        candidate(&s, PRACTICAL, c, "E01@lap1", Marks::Top);
    }
    decide(
        &s,
        PRACTICAL,
        "EA1",
        "C001",
        "lower-limb",
        Decision::Refer,
        None,
        "unclear images",
    );
    let status = || run_osce(&["status", PRACTICAL, "--sessions", s.to_str().expect("utf-8")]).1;
    let row = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("C001 "))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let out = status();
    assert!(row(&out).starts_with("C001 ✓ ✓ R ✓"), "{out}");
    assert!(
        out.contains("R referred to a third marker, whose sheet is not in yet")
            && out.contains("C001 at lower-limb: referred to a third marker by EA1; no third sheet yet")
            && out.contains(
                "Every expected sheet is in; 1 station referred to a third marker waits for their sheet."
            )
            && out.contains("(or --fail in place of --pass), if the third marker will not come"),
        "{out}"
    );
    // What needs action says the same.
    let problems = run_osce(&[
        "status",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--problems",
    ])
    .1;
    assert!(
        problems.contains("lower-limb: referred to a third marker; no third sheet yet")
            && problems.contains("(or --fail in place of --pass), if the third marker will not come"),
        "{problems}"
    );
    sheet(
        &s,
        PRACTICAL,
        "lower-limb",
        "C001",
        "E09@lap9",
        Marks::Bottom,
        true,
        90,
    );
    let out = status();
    assert!(row(&out).starts_with("C001 ✓ ✓ M3 ✓"), "{out}");
    assert!(
        out.contains(
            "  C001 at lower-limb: third marker E09 gave 0 of 10 (FAIL) after referral by EA1; the examiners' marks \
             gave PASS\n"
        ) && !out.contains("decide: osce decide result"),
        "{out}"
    );
}

/// A laptop's folder named a level too deep beside another: the assessor's
/// screen does not open on the other laptop's sheets alone (the sign-off
/// could not take the missing ones afterwards); it says which folder to
/// name instead, as status does, and records nothing.
#[test]
fn moderation_refuses_a_folder_it_cannot_read_beside_others() {
    let d = Dir::new("mod-deep-folder");
    let (lap1, lap2) = (d.sub("lap1"), d.sub("lap2"));
    candidate(&lap1, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    candidate(&lap2, PRACTICAL, "C002", "E02@lap2", Marks::Top);
    let deep = lap1.join("msk-us-practical");
    assert!(deep.is_dir());
    let into = d.0.join("ea");
    let (code, out) = run_osce(&[
        "moderate",
        PRACTICAL,
        "--assessor",
        "EA1",
        "--sessions",
        deep.to_str().expect("utf-8"),
        lap2.to_str().expect("utf-8"),
        "--into",
        into.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("nothing was opened")
            && out.contains("is the assessment's own folder: name the sessions folder above it instead"),
        "{out}"
    );
    assert!(!into.exists(), "nothing recorded");
}

/// Two stations failed on moderation, each with a rationale ending in a
/// full stop: the list of failed stations in the result's reasons reads
/// "… the joint, Knee — …", not "… the joint., Knee — …".
#[test]
fn a_rationales_full_stop_does_not_end_the_list_of_failed_stations_midway() {
    let d = Dir::new("mod-rationale-stop");
    let s = d.sub("s");
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    for (station, why) in [
        ("shoulder", "Images did not show the joint."),
        ("knee", "Probe handling was unsafe."),
    ] {
        decide(
            &s,
            OSCE,
            "EA1",
            "C001",
            station,
            Decision::Disagree,
            Some(Proposed::Fail),
            why,
        );
    }
    let l = load_all(OSCE, std::slice::from_ref(&s));
    let c = of(&l, "C001");
    let reasons: Vec<&str> = c.final_result.reasons.iter().map(|r| r.text.as_str()).collect();
    let listed = reasons
        .iter()
        .find(|r| r.contains("(failed: "))
        .unwrap_or_else(|| panic!("{reasons:?}"));
    assert!(
        listed.contains("Images did not show the joint, ") && !listed.contains("., "),
        "{listed}"
    );
}

/// An agreed mark recorded before a marker amended their sheet no longer
/// holds, and each place that waits for another says why: status and
/// the moderation screen said only "waiting for the markers' agreed
/// mark", and moderation.csv gave the set-aside agreed mark `in_effect`
/// `yes`.
#[test]
fn an_agreed_mark_an_amendment_set_aside_says_so() {
    let d = Dir::new("mod-agreed-amended");
    let s = d.sub("s");
    markers_apart(&s);
    let l = load_all(FCA, std::slice::from_ref(&s));
    agreed_seven(&s, &l);
    amended(&s, FCA, "case-1", "C001");
    let f = s.to_str().expect("utf-8");
    let (_, out) = run_osce(&["status", FCA, "--sessions", f]);
    assert!(
        out.contains(
            "waiting for the markers' agreed mark (recorded with m in osce moderate; if they cannot agree, the exam \
             lead decides its result with osce decide result); the agreed mark 7 recorded by LEAD no longer holds: \
             E01's sheet amended since; the markers agree it again"
        ),
        "{out}"
    );
    let export = d.0.join("export");
    let (code, said) = run_osce(&[
        "export",
        FCA,
        "--sessions",
        f,
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    assert!(code == 0 || code == 1, "{said}");
    let (headers, rows) = read_csv(&export.join("moderation.csv"));
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let agreed = rows
        .iter()
        .find(|r| r[at("record")] == "agreed mark")
        .expect("the agreed mark's row");
    assert_eq!(
        agreed[at("in_effect")],
        "no: E01's sheet amended since; the markers agree it again"
    );
}

/// A case passed on external moderation with the entrustment level below
/// the one needed: the candidate's feedback says the level was below it
/// and the case passed on another ground, where it read "Passed: '3 …'
/// ('4 …' or above is needed)", a contradiction.
#[test]
fn a_case_passed_on_moderation_below_the_level_needed_says_so_in_the_feedback() {
    let d = Dir::new("mod-feedback-level");
    let s = d.sub("s");
    sheet(&s, FCA, "case-1", "C001", "E01@lap1", Marks::Top, false, 0);
    append(
        &s,
        FCA,
        "case-1",
        "C001",
        "E01@lap1",
        vec![
            Event::GlobalRating {
                level: 3,
                label: String::new(),
                late: false,
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: StationOutcome::Fail,
            },
        ],
    );
    let l = load_all(FCA, std::slice::from_ref(&s));
    assert_eq!(
        of(&l, "C001").stations["case-1"].result.outcome,
        StationOutcome::Fail,
        "the examiner's level is below the one needed"
    );
    decide(
        &s,
        FCA,
        "EA1",
        "C001",
        "case-1",
        Decision::Disagree,
        Some(Proposed::Pass),
        "The video shows safe independent practice",
    );
    let out = d.0.join("feedback");
    let (code, said) = run_osce(&[
        "feedback",
        FCA,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(code == 0 || code == 1, "{said}");
    let page = std::fs::read_to_string(out.join("C001.md")).expect("feedback");
    assert!(
        page.contains(
            "' — below the level needed ('4 Competent to perform unsupervised' or above), passed on another ground \
             (decided on external moderation)."
        ) && !page.contains("' ('4 Competent to perform unsupervised' or above is needed) (decided"),
        "{page}"
    );
}
