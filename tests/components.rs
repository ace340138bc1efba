//! Component results from outside the stations (`osce decide components`),
//! through the binary as a module leader records them, and the bundled
//! final clinical assessment taken to final results: simulated, every
//! sheet moderated and signed off, the logbooks judged against the
//! rubric's gate and recorded (`osce logbook --record`). A candidate whose
//! logbook falls short fails, with the reason in words.

mod common;

use std::fs;
use std::path::Path;

use common::{Dir, FCA, csv_rows, run_osce};
use osce::store::{Decision, Event, Store};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect(name)
}

/// The example results file of `docs/decisions.md`.
fn doc_example() -> String {
    doc_block(0)
}

/// The `n`th (from 0) example results file of `docs/decisions.md`.
fn doc_block(n: usize) -> String {
    let doc = include_str!("../docs/decisions.md");
    let opening = "```csv components\n";
    let block = doc.split(opening).nth(n + 1).expect("a ```csv components block");
    block[..block.find("```").expect("the block ends")].to_string()
}

/// A final clinical assessment of eight simulated candidates, with a roster.
fn fca(d: &Dir) -> (std::path::PathBuf, std::path::PathBuf) {
    let folder = d.sub("s");
    let roster = d.0.join("roster.csv");
    let (code, out) = run_osce(&[
        "simulate",
        FCA,
        "--candidates",
        "8",
        "--examiners",
        "2",
        "--seed",
        "3",
        "--sessions",
        s(&folder),
        "--roster",
        s(&roster),
    ]);
    assert_eq!(code, 0, "{out}");
    (folder, roster)
}

/// Assessor EA1 agrees with every sheet (the rubric requires every sheet
/// moderated), then signs off.
fn moderate_everything(folder: &Path) {
    let r = common::rubric(FCA);
    let hash = common::hash(FCA);
    let folders = [folder.to_path_buf()];
    let cohort = osce::results::gather::gather(&r, &hash, &folders).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let moderation = osce::results::moderation::gather(&r, &hash, &folders).expect("moderation");
    let results = osce::results::reconcile::results(&r, &cohort, &m, &Default::default(), &moderation);
    let (mut j, _) = Store::new(folder)
        .open_moderation(&r.id, "EA1", "ea-laptop", &hash)
        .expect("open");
    for c in &results {
        for (station, d) in &c.stations {
            if d.sheets.is_empty() {
                continue;
            }
            j.append(
                Event::Moderated {
                    station: station.clone(),
                    candidate: c.candidate.clone(),
                    sheets: osce::results::moderation::seen(&cohort, &d.sheets),
                    internal: d.result.outcome,
                    decision: Decision::Agree,
                    proposed: None,
                    rationale: String::new(),
                },
                common::at(90),
            )
            .expect("append");
        }
    }
    j.append(
        Event::SignedOff {
            summary: "every case seen".into(),
        },
        common::at(95),
    )
    .expect("sign off");
}

fn decide_components(folder: &Path, roster: &Path, file: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "decide",
        "components",
        FCA,
        "--sessions",
        s(folder),
        "--roster",
        s(roster),
        "--file",
        s(file),
        "--by",
        "Module leader",
        "--reason",
        "Logbook audit, 1 June",
    ];
    args.extend_from_slice(extra);
    run_osce(&args)
}

#[test]
fn the_final_clinical_assessment_passes_once_the_logbook_is_recorded() {
    let d = Dir::new("components-fca");
    let (folder, roster) = fca(&d);
    moderate_everything(&folder);
    // The absences are settled (each a fail), as the exam lead must before
    // any result is final.
    let (_, problems) = run_osce(&["status", FCA, "--sessions", s(&folder), "--problems"]);
    for line in problems.lines().filter(|l| l.contains("osce decide absence")) {
        let command = line.split("decide: osce ").nth(1).expect("the command");
        let mut args: Vec<&str> = command
            .split(" --deferred")
            .next()
            .expect("before the outcome")
            .split_whitespace()
            .collect();
        args.extend([
            "--fail",
            "--by",
            "Exam lead",
            "--reason",
            "No mitigating circumstances",
        ]);
        let (code, out) = run_osce(&args);
        assert_eq!(code, 0, "{line}: {out}");
    }
    let export = |name: &str| {
        let out = d.0.join(name);
        let (code, said) = run_osce(&[
            "export",
            FCA,
            "--sessions",
            s(&folder),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ]);
        (code, said, csv_rows(&out.join("results.csv")))
    };
    // Before: every case moderated, but no logbook result: nobody passes,
    // and the export says why.
    let (code, said, rows) = export("before");
    assert_eq!(code, 1, "{said}");
    let (result, reasons, components) = (
        col(&rows, "final_result"),
        col(&rows, "reasons"),
        col(&rows, "components"),
    );
    for row in &rows[1..] {
        assert_ne!(row[result], "PASS", "{row:?}");
        assert!(row[components].contains("logbook: INCOMPLETE"), "{row:?}");
        // The cases pass or fail on their stations, not on a percentage:
        // none is given, to be read as a pass mark missed.
        assert!(
            !row[components].contains("cases: PASS (") && !row[components].contains("cases: FAIL ("),
            "{row:?}"
        );
        assert!(
            !row[reasons].contains("component 'Clinical cases' passed ("),
            "{row:?}"
        );
        assert!(
            !row[reasons].contains("component 'Clinical cases' failed ("),
            "{row:?}"
        );
    }
    let status = |folder: &Path| {
        run_osce(&[
            "status",
            FCA,
            "--sessions",
            s(folder),
            "--roster",
            s(&roster),
            "--problems",
        ])
        .1
    };
    let said = status(&folder);
    assert!(
        said.contains("logbook: 8 candidates") && said.contains("record: osce logbook "),
        "status says which results are missing and how to record them: {said}"
    );
    // Which candidates pass every case: they will pass with their logbook.
    let cases_passed: Vec<String> = rows[1..]
        .iter()
        .filter(|r| r[components].contains("cases: PASS"))
        .map(|r| r[0].clone())
        .collect();
    assert!(
        cases_passed.len() >= 2,
        "the simulated cohort has candidates who pass every case: {rows:?}"
    );
    let (short, enough) = (&cases_passed[0], &cases_passed[1]);

    // The logbooks, judged against the rubric's gate and recorded: one
    // candidate is 32 unassisted scans short.
    let file = d.0.join("logbook.csv");
    let mut text = "candidate_id,date,region,supervision,mentor,audited,reference\n".to_string();
    let regions = ["shoulder", "elbow", "wrist", "hip", "knee", "ankle"];
    for row in &rows[1..] {
        let id = &row[0];
        let unassisted = if id == short { 118 } else { 150 };
        for n in 0..(100 + unassisted) {
            let supervision = if n < 100 { "assisted" } else { "unassisted" };
            let audited = if n < 100 { "yes" } else { "no" };
            let day = 1 + n % 28;
            let month = 1 + (n / 28) % 12;
            text.push_str(&format!(
                "{id},2025-{month:02}-{day:02},{},{supervision},Dr Mentor,{audited},US-{n:04}\n",
                regions[n % regions.len()]
            ));
        }
    }
    fs::write(&file, &text).expect("write");
    let logbook = |extra: &[&str]| {
        let mut args = vec![
            "logbook",
            FCA,
            s(&file),
            "--today",
            "2026-06-01",
            "--record",
            "--sessions",
            s(&folder),
            "--roster",
            s(&roster),
            "--by",
            "Module leader",
        ];
        args.extend_from_slice(extra);
        run_osce(&args)
    };
    let (code, out) = logbook(&["--dry-run"]);
    assert_eq!(code, 1, "one candidate is not eligible: {out}");
    assert!(out.contains("NOT ELIGIBLE: 32 more unassisted scans"), "{out}");
    assert!(out.contains("Dry run: nothing recorded"), "{out}");
    assert!(
        out.contains(&format!("{enough}: INCOMPLETE")) && out.contains("→ PASS"),
        "{out}"
    );
    let (code, out) = logbook(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Recorded in"), "{out}");
    // Judged again, nothing changes; a changed logbook needs --correct.
    let (_, out) = logbook(&[]);
    assert!(
        out.contains("0 component results to record (0 corrected), 8 already recorded"),
        "{out}"
    );

    assert!(!status(&folder).contains("with no result yet"));
    let (_, matrix) = run_osce(&["status", FCA, "--sessions", s(&folder), "--roster", s(&roster)]);
    let line = matrix
        .lines()
        // The module's row (the decision recording the logbook is listed
        // among the decisions in force too).
        .find(|l| l.trim_start().starts_with(short.as_str()) && l.contains("logbook") && l.contains("cases"))
        .unwrap_or_else(|| panic!("the module result of {short} in status: {matrix}"));
    assert!(
        line.contains("FAIL")
            && line.contains("cases PASS")
            && line.contains("logbook FAIL: 32 more unassisted scans"),
        "{line}"
    );
    let (code, said, rows) = export("after");
    assert_eq!(code, 0, "every result is final: {said}");
    let decisions = col(&rows, "decisions");
    let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("candidate");
    assert_eq!(row(enough)[result], "PASS", "{:?}", row(enough));
    assert!(row(enough)[components].contains("logbook: PASS"));
    assert!(
        row(enough)[decisions].contains("logbook: PASS (from"),
        "{:?}",
        row(enough)
    );
    let failed = row(short);
    assert_eq!(failed[result], "FAIL", "{failed:?}");
    assert!(
        failed[reasons]
            .contains("component 'Logbook of 250 scans' failed: 32 more unassisted scans — recorded from"),
        "the reason in words: {failed:?}"
    );
    assert!(failed[decisions].contains("by Module leader"), "{failed:?}");
    // decide list says whose logbook each result is.
    let (code, list) = run_osce(&["decide", "list", FCA, "--sessions", s(&folder)]);
    assert_eq!(code, 0, "{list}");
    assert!(list.contains(&format!("* {short}: logbook: FAIL")), "{list}");
    // The candidate is told what their logbook still needs.
    let pages = folder.with_extension("feedback");
    let (_, said) = run_osce(&[
        "feedback",
        FCA,
        "--sessions",
        s(&folder),
        "--roster",
        s(&roster),
        "--out",
        s(&pages),
    ]);
    let page =
        std::fs::read_to_string(pages.join(format!("{short}.md"))).unwrap_or_else(|e| panic!("{e}: {said}"));
    assert!(
        page.contains("Logbook of 250 scans: FAIL (still needed: 32 more unassisted scans)"),
        "{page}"
    );

    // An examiner who opens the candidate's sheet with this folder sees the
    // gate not met before marking: a warning, not a refusal.
    if common::tmux::skip_without_tmux() {
        return;
    }
    let t = common::tmux::Tmux::fresh("gate");
    let command = format!(
        "{} score {FCA} --examiner E09 --device lap9 --candidate {short} --name 'A Candidate' --station case-1 \
         --sessions {}",
        env!("CARGO_BIN_EXE_osce"),
        folder.display()
    );
    t.start_sized(&command, 100, 30);
    let screen = t.wait_for("Is this the candidate in front of you?");
    let screen = if screen.contains("Logbook gate not met") {
        screen
    } else {
        t.wait_for("Logbook gate not met")
    };
    assert!(screen.contains("32 more unassisted scans"), "{screen}");
    t.keys(&["q"]);
    t.wait_gone();
}

#[test]
fn a_results_file_is_checked_whole_and_a_recorded_result_changes_only_on_purpose() {
    let d = Dir::new("components-file");
    let (folder, roster) = fca(&d);
    // The bytes of every decisions journal: what a recorded decision adds to.
    let journals = |folder: &Path| {
        walk(folder)
            .into_iter()
            .filter(|p| p.ends_with("decisions.jsonl"))
            .map(|p| fs::metadata(p).map_or(0, |m| m.len()))
            .sum::<u64>()
    };

    // The example in the docs is a valid file.
    let example = d.0.join("example.csv");
    fs::write(&example, doc_example()).expect("write");
    let (code, out) = decide_components(&folder, &roster, &example, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 component results to record"), "{out}");
    // A logbook missed: absent counts as a fail, deferred defers the
    // candidate.
    let (_, status) = run_osce(&["status", FCA, "--sessions", s(&folder), "--roster", s(&roster)]);
    assert!(
        status.contains("logbook FAIL: absent, counted as a fail; no logbook submitted"),
        "{status}"
    );
    assert!(
        status.contains("SIM00004   DEFERRED")
            && status
                .contains("logbook DEFERRED: extension to the August sitting (mitigating circumstances)"),
        "{status}"
    );
    // Again: nothing new.
    let (code, out) = decide_components(&folder, &roster, &example, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("0 component results to record (0 corrected), 4 already recorded"),
        "{out}"
    );

    // A change is refused without --correct, and recorded with it.
    let changed = d.0.join("changed.csv");
    fs::write(
        &changed,
        doc_example().replace("SIM00001,logbook,pass", "SIM00001,logbook,fail"),
    )
    .expect("write");
    let (code, out) = decide_components(&folder, &roster, &changed, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line 2: SIM00001's logbook was PASS, the file says FAIL"),
        "{out}"
    );
    assert!(out.contains("Nothing recorded"), "{out}");
    let (code, out) = decide_components(&folder, &roster, &changed, &["--correct"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1 corrected)"), "{out}");

    // Every mistake of a wrong file, with its line; nothing recorded.
    let count = journals(&folder);
    let wrong = d.0.join("wrong.csv");
    fs::write(
        &wrong,
        "candidate_id,component,result\nSIM00001,logbok,pass\nSIM0002,logbook,pass\nSIM00003,logbook,yes\n\
         SIM00004,cases,pass\nSIM00004,logbook,pass\nSIM00004,logbook,fail\n",
    )
    .expect("write");
    let (code, out) = decide_components(&folder, &roster, &wrong, &[]);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "line 2, component: the rubric has no component \"logbok\" (did you mean \"logbook\"?",
        "line 3, candidate_id: no candidate \"SIM0002\" is on the roster or has a sheet (did you mean \"SIM00002\"?",
        "line 4, result: \"yes\" is not a result for logbook, which is pass or fail",
        "line 5, component: component \"cases\" is assessed at the stations",
        "line 7: SIM00004's result for logbook is given twice (first at line 6)",
        "Nothing recorded.",
    ] {
        assert!(out.contains(expected), "{expected:?} in:\n{out}");
    }
    assert_eq!(journals(&folder), count);
    let (code, out) = decide_components(&folder, &roster, &d.0.join("missing.csv"), &[]);
    assert_eq!(code, 2, "{out}");
}

fn walk(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p);
            }
        }
    }
    found
}

/// A case failed by an examiner on a critical item that fails the whole
/// assessment, then passed by the external assessor (the item was marked
/// in error) or by the exam lead's decision: the candidate's result
/// follows the station's, not the examiner's critical item, which the
/// person deciding has overruled.
#[test]
fn a_case_passed_on_moderation_or_by_decision_is_not_failed_by_its_critical_item() {
    for (by_decision, pass) in [(false, true), (true, true), (true, false)] {
        let d = Dir::new("components-critical-overruled");
        let folder = d.sub("s");
        let roster = d.0.join("roster.csv");
        fs::write(&roster, "candidate_id,name\nC001,Tom Okafor\n").expect("roster");
        let r = common::rubric(FCA);
        for st in r.scored_stations().filter(|s| s.id != "case-1") {
            common::sheet(
                &folder,
                FCA,
                &st.id,
                "C001",
                "E01@lap",
                common::Marks::Top,
                true,
                0,
            );
        }
        common::sheet(
            &folder,
            FCA,
            "case-1",
            "C001",
            "E01@lap",
            common::Marks::Bottom,
            true,
            0,
        );
        let file = d.0.join("logbook.csv");
        fs::write(&file, "candidate_id,component,result,note\nC001,logbook,pass,\n").expect("file");
        let (code, out) = decide_components(&folder, &roster, &file, &[]);
        assert_eq!(code, 0, "{out}");
        let final_result = |name: &str| {
            let out = d.0.join(name);
            let (_, said) = run_osce(&[
                "export",
                FCA,
                "--sessions",
                s(&folder),
                "--roster",
                s(&roster),
                "--out",
                s(&out),
            ]);
            let rows = csv_rows(&out.join("results.csv"));
            let row = rows
                .iter()
                .find(|r| r[0] == "C001")
                .unwrap_or_else(|| panic!("{said}"));
            (
                row[col(&rows, "final_result")].clone(),
                row[col(&rows, "reasons")].clone(),
            )
        };
        assert_eq!(final_result("before").0, "FAIL");
        // The assessor agrees with every other case (the rubric asks for
        // every sheet moderated).
        let hash = common::hash(FCA);
        let cohort = osce::results::gather::gather(&r, &hash, std::slice::from_ref(&folder)).expect("gather");
        let m = osce::results::gather::matrix(&r, &cohort, None);
        let seen = |station: &str| {
            osce::results::moderation::seen(&cohort, &m.cell("C001", station).expect("cell").sheets)
        };
        let (mut j, _) = Store::new(&folder)
            .open_moderation(&r.id, "EA1", "ea-laptop", &hash)
            .expect("open");
        for st in r.scored_stations().filter(|s| s.id != "case-1") {
            j.append(
                Event::Moderated {
                    station: st.id.clone(),
                    candidate: "C001".into(),
                    sheets: seen(&st.id),
                    internal: osce::scoring::StationOutcome::Pass,
                    decision: Decision::Agree,
                    proposed: None,
                    rationale: String::new(),
                },
                common::at(90),
            )
            .expect("append");
        }
        // EA1 passes case 1: the item was marked in error.
        j.append(
            Event::Moderated {
                station: "case-1".into(),
                candidate: "C001".into(),
                sheets: seen("case-1"),
                internal: osce::scoring::StationOutcome::Fail,
                decision: Decision::Disagree,
                proposed: Some(osce::store::Proposed::Pass),
                rationale: "The recording shows consent taken; the examiner misclicked".into(),
            },
            common::at(90),
        )
        .expect("append");
        if by_decision {
            // A second assessor agrees with the examiner: the exam lead
            // settles it, as a pass.
            let (mut k, _) = Store::new(&folder)
                .open_moderation(&r.id, "EA2", "ea2-laptop", &hash)
                .expect("open");
            k.append(
                Event::Moderated {
                    station: "case-1".into(),
                    candidate: "C001".into(),
                    sheets: seen("case-1"),
                    internal: osce::scoring::StationOutcome::Fail,
                    decision: Decision::Agree,
                    proposed: None,
                    rationale: String::new(),
                },
                common::at(91),
            )
            .expect("append");
            drop(k);
            assert_ne!(final_result("differ").0, "PASS");
            let (code, out) = run_osce(&[
                "decide",
                "result",
                FCA,
                "--sessions",
                s(&folder),
                "--candidate",
                "C001",
                "--station",
                "case-1",
                if pass { "--pass" } else { "--fail" },
                "--by",
                "Exam lead",
                "--reason",
                "The recording shows consent taken; the item was marked in error",
            ]);
            assert_eq!(code, 0, "{out}");
        }
        if !pass {
            // Failed by the exam lead after the assessor passed it: it
            // fails on its critical items again, which fail the assessment.
            let (result, reasons) = final_result("failed");
            assert_eq!(result, "FAIL", "{reasons}");
            assert!(
                reasons.contains("critical item (fails the assessment)"),
                "{reasons}"
            );
            continue;
        }
        let (result, reasons) = final_result("after");
        assert_eq!(result, "PASS", "by decision: {by_decision}: {reasons}");
        // Not said to be met: said to be overruled, the station's reason
        // saying by whom and why.
        assert!(!reasons.contains("every critical item met"), "{reasons}");
        assert!(
            reasons.contains(
                "no critical item failed once moderated: the examiners' critical item (fails the assessment)"
            ) && reasons.contains("overruled with the station's result"),
            "{reasons}"
        );
    }
}

/// Each candidate's logbook, 100 assisted and `unassisted(id)` unassisted
/// scans, as the gate's CSV.
fn logbooks(ids: &[String], unassisted: impl Fn(&str) -> usize) -> String {
    let mut text = "candidate_id,date,region,supervision,mentor,audited,reference\n".to_string();
    let regions = ["shoulder", "elbow", "wrist", "hip", "knee", "ankle"];
    for id in ids {
        for n in 0..(100 + unassisted(id)) {
            let (supervision, audited) = if n < 100 {
                ("assisted", "yes")
            } else {
                ("unassisted", "no")
            };
            text.push_str(&format!(
                "{id},2025-{:02}-{:02},{},{supervision},Dr Mentor,{audited},US-{n:04}\n",
                1 + (n / 28) % 12,
                1 + n % 28,
                regions[n % regions.len()]
            ));
        }
    }
    text
}

/// The logbook recorded into a folder of the exam lead's own (`--into`),
/// from the laptops' folders or from the archive: a second run finds what
/// the first recorded there, and a changed logbook is refused without
/// --correct, as when the decisions are among the sessions folders.
#[test]
fn a_logbook_recorded_into_a_folder_of_its_own_is_found_there_next_time() {
    let d = Dir::new("components-logbook-into");
    let (folder, roster) = fca(&d);
    let ids: Vec<String> = csv_rows(&roster)[1..].iter().map(|r| r[0].clone()).collect();
    let file = d.0.join("logbook.csv");
    fs::write(&file, logbooks(&ids, |_| 150)).expect("write");
    let archive = d.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert!(code == 0 || code == 1, "{out}");
    let lead = d.0.join("lead");
    let record = |source: &[&str], extra: &[&str]| {
        let mut args = vec!["logbook", FCA, s(&file), "--today", "2026-06-01", "--record"];
        args.extend_from_slice(source);
        args.extend([
            "--roster",
            s(&roster),
            "--by",
            "Module leader",
            "--into",
            s(&lead),
        ]);
        args.extend_from_slice(extra);
        run_osce(&args)
    };
    let from_folders = ["--sessions", s(&folder)];
    let (code, out) = record(&from_folders, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("8 component results to record"), "{out}");
    let (code, out) = record(&from_folders, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("0 component results to record (0 corrected), 8 already recorded"),
        "{out}"
    );
    // From the archive, with the lead's folder not yet collected.
    let from_archive = ["--archive", s(&archive)];
    let (code, out) = record(&from_archive, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("8 already recorded"), "{out}");
    // A logbook changed since: one candidate now short. Refused whole.
    fs::write(&file, logbooks(&ids, |id| if id == ids[0] { 110 } else { 150 })).expect("write");
    for source in [&from_folders, &from_archive] {
        let (code, out) = record(source, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("Nothing recorded"), "{out}");
    }
    let (code, out) = record(&from_archive, &["--correct", "--reason", "Logbook re-audited"]);
    assert_eq!(code, 1, "one candidate is not eligible now: {out}");
    assert!(out.contains("(1 corrected)"), "{out}");
    // Neither folders nor archive: said, nothing recorded.
    let (code, out) = run_osce(&["logbook", FCA, s(&file), "--record", "--by", "Module leader"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--sessions") && out.contains("--archive"), "{out}");
    // A candidate on neither the roster given nor a sheet: the roster is
    // named, not asked for again.
    let mut text = logbooks(&ids, |_| 150);
    text.push_str(
        &logbooks(&["C099".to_string()], |_| 150)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    fs::write(&file, text + "\n").expect("write");
    let (code, out) = record(&from_archive, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("). Nothing recorded; correct the ids, or add them to the roster ")
            && out.contains("roster.csv")
            && !out.contains("give --roster"),
        "{out}"
    );
    // Each with the lines it is on, and the candidate a typo away: a
    // letter O for a zero.
    let typo = ids[0].replacen('0', "O", 1);
    let mut text = logbooks(&ids[1..], |_| 150);
    text.push_str(
        &logbooks(std::slice::from_ref(&typo), |_| 150)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let first = text.lines().position(|l| l.starts_with(&typo)).expect("typo row") + 1;
    let last = text.lines().count();
    fs::write(&file, text + "\n").expect("write");
    let (code, out) = record(&from_archive, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "a candidate is not on the roster nor with a sheet: {typo} (lines {first}-{last}; did you mean {}?)",
            ids[0]
        )),
        "{out}"
    );
}

/// At a double-marked station passed on the global rating, one marker's
/// rating below the one required fails it: the note names whose sheet
/// fails and why, not only the mean of marks that passed.
#[test]
fn a_double_marked_station_failed_on_one_markers_rating_says_so() {
    let d = Dir::new("components-double-rating");
    let folder = d.sub("s");
    common::sheet(
        &folder,
        FCA,
        "case-2",
        "C001",
        "E01@lap",
        common::Marks::Top,
        true,
        0,
    );
    // E02 marks every item as E01 does, and rates the candidate at level 2.
    common::sheet(
        &folder,
        FCA,
        "case-2",
        "C001",
        "E02@lap2",
        common::Marks::Top,
        false,
        1,
    );
    let scale = {
        let r = common::rubric(FCA);
        let g = r
            .station("case-2")
            .expect("case-2")
            .global_rating
            .clone()
            .expect("a rating");
        r.scale(g.scale).levels[2].label.clone()
    };
    common::append(
        &folder,
        FCA,
        "case-2",
        "C001",
        "E02@lap2",
        vec![
            Event::GlobalRating {
                level: 2,
                label: scale,
                late: false,
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    let out = d.0.join("out");
    run_osce(&["export", FCA, "--sessions", s(&folder), "--out", s(&out)]);
    let rows = csv_rows(&out.join("stations.csv"));
    let row = rows
        .iter()
        .find(|r| r[0] == "C001" && r[1] == "case-2")
        .expect("C001 at case-2");
    assert_eq!(row[col(&rows, "result")], "FAIL", "{row:?}");
    let note = &row[col(&rows, "note")];
    assert!(
        note.contains("E02's sheet fails: global rating '")
            && note.contains("is below the required '4 Competent"),
        "{note}"
    );
    assert!(!note.contains("E01's sheet fails"), "{note}");
}

/// The weighted module of `docs/rubric-format.md` (a viva and a written
/// assignment, half each), written into `d`, with `marks_csv` added where
/// given.
fn weighted_module(d: &Dir, marks_csv: &str) -> String {
    let doc = include_str!("../docs/rubric-format.md");
    let block = doc
        .split("```ron rubric\n")
        .skip(1)
        .map(|b| b.split("```").next().expect("the block ends"))
        .find(|b| b.contains("kind: Weighted(50), stations: [\"viva\"]"))
        .expect("the weighted module example");
    let text = block.replacen(
        "pass_rules: [Components],",
        &format!("pass_rules: [Components],{marks_csv}"),
        1,
    );
    let path = d.0.join("viva.ron");
    fs::write(&path, text).expect("write");
    s(&path).to_string()
}

/// `osce decide components` of the weighted module's written assignment
/// results in `file`, with `extra` arguments.
fn decide_written(rubric: &str, folder: &Path, file: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "decide",
        "components",
        rubric,
        "--sessions",
        s(folder),
        "--file",
        s(file),
        "--by",
        "Module leader",
        "--reason",
        "Written assignment marks from the VLE",
    ];
    args.extend(extra);
    run_osce(&args)
}

/// marks.csv of a module of weighted components uploads the module mark
/// (the viva's half and the written assignment's half), not the viva's
/// percentage alone; `module_mark` can be asked for by name, and a
/// `marks_csv` that gives `percent` alone is warned of by `osce check`.
#[test]
fn a_weighted_module_uploads_its_module_mark() {
    let d = Dir::new("components-module-mark");
    let folder = d.sub("s");
    let rubric = weighted_module(&d, "");
    common::sheet(
        &folder,
        &rubric,
        "viva",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        10,
    );
    common::sheet(
        &folder,
        &rubric,
        "viva",
        "C002",
        "E01@lap1",
        common::Marks::LoseFirst(1),
        true,
        40,
    );
    // A module mark of 49.96 against the 50 required, and a written
    // assignment of 39.96 against its 40: never shown as the pass mark.
    common::sheet(
        &folder,
        &rubric,
        "viva",
        "C003",
        "E01@lap1",
        common::Marks::LoseFirst(2),
        true,
        70,
    );
    common::sheet(
        &folder,
        &rubric,
        "viva",
        "C004",
        "E01@lap1",
        common::Marks::Top,
        true,
        100,
    );
    // A spreadsheet's percent cell saved as its value: refused, not read
    // as under 1 percent.
    let shares = d.0.join("shares.csv");
    fs::write(&shares, "candidate_id,component,result\r\nC001,written,0.57\r\n").expect("write");
    let (code, out) = decide_written(&rubric, &folder, &shares, &["--dry-run"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "line 2, result: \"0.57\" for written, a percentage, is under 1 percent: a share of 1 (a spreadsheet's \
             percent cell saved as its value)?"
        ) && out.contains("write the percentage, 57 for 0.57"),
        "{out}"
    );
    let results = d.0.join("written.csv");
    fs::write(
        &results,
        "candidate_id,component,result\nC001,written,40\nC002,written,70\nC003,written,49.92\nC004,written,39.96\n",
    )
    .expect("write");
    let (code, out) = decide_written(&rubric, &folder, &results, &[]);
    assert_eq!(code, 0, "{out}");
    let export = d.sub("export");
    run_osce(&["export", &rubric, "--sessions", s(&folder), "--out", s(&export)]);
    let marks = csv_rows(&export.join("marks.csv"));
    let stations = csv_rows(&export.join("results.csv"));
    let percent = col(&stations, "percent");
    let viva: Vec<&str> = stations[1..].iter().map(|r| r[percent].as_str()).collect();
    assert_eq!(
        marks,
        [
            vec!["candidate_id", "mark", "grade"],
            vec!["C001", "70", "PASS"],
            vec!["C002", &format!("{}", 0.5 * 75.0 + 0.5 * 70.0), "PASS"],
            vec!["C003", "49.96", "FAIL"],
            vec!["C004", "70", "FAIL"],
        ],
        "the viva's own percentages are {viva:?}"
    );
    let components = col(&stations, "components");
    assert!(
        stations[3][components].ends_with("module mark 49.96%")
            && stations[4][components].contains("written: FAIL (39.96%)"),
        "{:?}",
        stations.iter().map(|r| r[components].clone()).collect::<Vec<_>>()
    );
    let named = d.sub("named");
    run_osce(&[
        "export",
        &rubric,
        "--sessions",
        s(&folder),
        "--out",
        s(&named),
        "--marks-columns",
        "candidate_id=ID,module_mark=Mark,percent=Viva",
    ]);
    let (_, said) = run_osce(&[
        "export",
        &rubric,
        "--sessions",
        s(&folder),
        "--out",
        s(&d.sub("percent")),
        "--marks-columns",
        "candidate_id=ID,percent=Mark",
    ]);
    assert!(
        said.contains("warning: --marks-columns: marks.csv gives percent, the stations' percentage alone"),
        "{said}"
    );
    assert_eq!(
        csv_rows(&named.join("marks.csv"))[1],
        ["C001", "70", "100"],
        "the module mark and the stations' percentage, each where asked"
    );
    let feedback = d.sub("feedback");
    run_osce(&[
        "feedback",
        &rubric,
        "--sessions",
        s(&folder),
        "--out",
        s(&feedback),
    ]);
    let told = fs::read_to_string(feedback.join("C002.md")).expect("feedback");
    assert!(
        told.contains("**Result: PASS** — module mark 72.5%; the stations' total 30 of 40 (75%)"),
        "{told}"
    );
    let percent_only = weighted_module(
        &d,
        "\n    marks_csv: [(field: \"candidate_id\", header: \"ID\"), (field: \"percent\", header: \"Mark\")],",
    );
    let (code, out) = run_osce(&["check", &percent_only]);
    assert_eq!(code, 0, "a warning: {out}");
    assert!(
        out.contains("marks_csv[1].field")
            && out.contains("the stations' percentage alone, and not the module mark")
            && out.contains("field: \"module_mark\""),
        "{out}"
    );
}

/// A candidate who missed a component assessed outside the stations (the
/// written assignment) is recorded `absent` (it counts as 0%, and fails
/// its pass mark) or `deferred` (no result at this sitting): either way
/// the module's results become final, which they could never be while
/// the component had no result. A word that is neither is refused with
/// both offered.
#[test]
fn a_component_missed_is_recorded_absent_or_deferred_and_the_results_become_final() {
    let d = Dir::new("components-absent");
    let folder = d.sub("s");
    let rubric = weighted_module(&d, "");
    for (i, c) in ["C001", "C002", "C003"].into_iter().enumerate() {
        common::sheet(
            &folder,
            &rubric,
            "viva",
            c,
            "E01@lap1",
            common::Marks::Top,
            true,
            10 + 30 * i as i64,
        );
    }
    let typo = d.0.join("typo.csv");
    fs::write(&typo, "candidate_id,component,result\nC002,written,abs\n").expect("write");
    let (code, out) = decide_written(&rubric, &folder, &typo, &["--dry-run"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("\"abs\" is not a result for written, which is a percentage")
            && out.contains("absent (counted as 0% or a fail) or deferred"),
        "{out}"
    );
    let results = d.0.join("written.csv");
    fs::write(
        &results,
        "candidate_id,component,result,note\nC001,written,60,\nC002,written,Absent,did not submit\nC003,written,deferred,\
         extension to the August sitting\n",
    )
    .expect("write");
    let (code, out) = decide_written(&rubric, &folder, &results, &[]);
    assert_eq!(code, 0, "{out}");
    // The deferral is said as such, as status says it, not as INCOMPLETE.
    assert!(out.contains("C003's written: INCOMPLETE → DEFERRED"), "{out}");
    let export = d.sub("export");
    let (code, out) = run_osce(&["export", &rubric, "--sessions", s(&folder), "--out", s(&export)]);
    assert_eq!(code, 0, "every result is final: {out}");
    let rows = csv_rows(&export.join("results.csv"));
    let (result, reasons, components) = (
        col(&rows, "final_result"),
        col(&rows, "reasons"),
        col(&rows, "components"),
    );
    let row = |c: &str| rows.iter().find(|r| r[0] == c).expect(c);
    assert_eq!(row("C001")[result], "PASS");
    assert_eq!(row("C002")[result], "FAIL");
    assert!(
        row("C002")[reasons].contains(
            "component 'Written assignment' failed (0%, below the 40% required, weight 50%): absent, counted as 0%; did not \
             submit"
        ),
        "{:?}",
        row("C002")
    );
    assert!(
        row("C002")[components].contains("written: FAIL (0%)"),
        "{:?}",
        row("C002")
    );
    // The module mark, a number to sort by: none for a deferred candidate.
    let module = col(&rows, "module_mark");
    let modules: Vec<&str> = ["C001", "C002", "C003"]
        .iter()
        .map(|c| row(c)[module].as_str())
        .collect();
    assert_eq!(modules, ["80", "50", ""]);
    assert_eq!(row("C003")[result], "DEFERRED");
    assert!(
        row("C003")[reasons].contains(
            "deferred: component 'Written assignment' deferred, extension to the August sitting (from "
        ),
        "{:?}",
        row("C003")
    );
    let marks = csv_rows(&export.join("marks.csv"));
    let mark = |c: &str| marks.iter().find(|r| r[0] == c).expect(c).clone();
    assert_eq!(mark("C002"), ["C002", "50", "FAIL"]);
    assert_eq!(mark("C003"), ["C003", "", "DEFERRED"]);
    let (code, out) = run_osce(&["status", &rubric, "--sessions", s(&folder)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("with no result yet"), "{out}");
    // A correction that changes the module mark, and not the result, is
    // previewed: the mark uploaded changes.
    let corrected = d.0.join("corrected.csv");
    fs::write(
        &corrected,
        "candidate_id,component,result
C001,written,50
",
    )
    .expect("write");
    let (code, out) = decide_written(&rubric, &folder, &corrected, &["--correct", "--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("C001: PASS (module mark 80%) → PASS (module mark 75%)")
            && out.contains("C001's written: PASS (60%) → PASS (50%)"),
        "{out}"
    );
}

/// A candidate deferred at a component outside the stations (the logbook,
/// mitigating circumstances) has no result at this sitting: their absence
/// at a station is settled by it, as by a deferral at another station,
/// and a deferral asked for there records nothing.
#[test]
fn a_component_deferred_settles_the_candidates_absence_at_a_station() {
    let d = Dir::new("components-deferred-absence");
    let (folder, roster) = fca(&d);
    let rubric = FCA;
    let (_, before) = run_osce(&["status", rubric, "--sessions", s(&folder), "--roster", s(&roster)]);
    assert!(before.contains("1 absence is not settled"), "{before}");
    let file = d.0.join("logbook.csv");
    fs::write(
        &file,
        "candidate_id,component,result,note\nSIM00006,logbook,deferred,illness (mitigating circumstances)\n",
    )
    .expect("write");
    let (code, out) = decide_components(&folder, &roster, &file, &[]);
    assert_eq!(code, 0, "{out}");
    let (_, status) = run_osce(&["status", rubric, "--sessions", s(&folder), "--roster", s(&roster)]);
    assert!(!status.contains("absence is not settled"), "{status}");
    assert!(
        !status.contains("--candidate SIM00006 --station case-1"),
        "{status}"
    );
    assert!(
        status.contains("also settles SIM00006's absence at case-1 (no result at this sitting)"),
        "{status}"
    );
    let (code, out) = run_osce(&[
        "decide",
        "absence",
        rubric,
        "--sessions",
        s(&folder),
        "--candidate",
        "SIM00006",
        "--station",
        "case-1",
        "--deferred",
        "--by",
        "Module leader",
        "--reason",
        "illness",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "SIM00006 is deferred already (component logbook): that settles the absence at case-1 too. Nothing \
             recorded."
        ),
        "{out}"
    );
}

/// A candidate with no sheet (assessed outside the stations only) is
/// known from the roster: status's command to record the component's
/// results carries the roster it was given, and the error for an id not
/// known without it says to give it, not first that someone else's id is
/// a typo away.
#[test]
fn a_candidate_with_no_sheet_is_recorded_with_the_roster() {
    let d = Dir::new("components-roster");
    let folder = d.sub("s");
    let rubric = weighted_module(&d, "");
    common::sheet(
        &folder,
        &rubric,
        "viva",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        10,
    );
    let roster = d.0.join("roster.csv");
    fs::write(&roster, "candidate_id,name\nC001,Aisha Khan\nC002,Zoë Price\n").expect("write");
    let (_, status) = run_osce(&[
        "status",
        &rubric,
        "--sessions",
        s(&folder),
        "--roster",
        s(&roster),
    ]);
    assert!(
        status.contains(&format!(
            "record: osce decide components {rubric} --sessions {} --roster {} --file RESULTS.csv",
            s(&folder),
            s(&roster)
        )),
        "{status}"
    );
    let file = d.0.join("written.csv");
    fs::write(
        &file,
        "candidate_id,component,result\nC002,written,absent\nC001,written,55\n",
    )
    .expect("write");
    let (code, out) = decide_written(&rubric, &folder, &file, &["--dry-run"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no candidate \"C002\" has a sheet")
            && out.contains(
                "is known from the roster: give --roster FILE.csv; otherwise check the id (\"C001\", a typo away, is \
                 another candidate's)"
            ),
        "{out}"
    );
    let (code, out) = decide_written(&rubric, &folder, &file, &["--roster", s(&roster)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C002: INCOMPLETE"), "{out}");
}

/// A result recorded against the wrong candidate is taken back with
/// `withdrawn` (a change, so with `--correct`): the component has no result
/// again and the candidate's result waits for it; the same file again
/// records nothing, and a result never recorded cannot be withdrawn.
#[test]
fn a_component_result_recorded_against_the_wrong_candidate_is_withdrawn() {
    let d = Dir::new("components-withdrawn");
    let (folder, roster) = fca(&d);
    let example = d.0.join("example.csv");
    fs::write(&example, doc_example()).expect("write");
    let (code, out) = decide_components(&folder, &roster, &example, &[]);
    assert_eq!(code, 0, "{out}");
    // SIM00001's components, as results.csv gives them.
    let components = |name: &str| {
        let out = d.0.join(name);
        let (_, said) = run_osce(&[
            "export",
            FCA,
            "--sessions",
            s(&folder),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ]);
        let rows = common::csv_rows(&out.join("results.csv"));
        let row = rows.iter().find(|r| r[0] == "SIM00001").expect("SIM00001's row");
        (
            row[col(&rows, "components")].clone(),
            row[col(&rows, "decisions")].clone(),
            said,
        )
    };
    let (before, _, said) = components("before");
    assert!(before.contains("logbook: PASS"), "{before}\n{said}");

    // The withdrawal in the docs.
    let withdraw = d.0.join("withdraw.csv");
    fs::write(&withdraw, doc_block(1)).expect("write");
    let (code, out) = decide_components(&folder, &roster, &withdraw, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line 2: SIM00001's logbook was PASS, the file withdraws it")
            && out.contains("Nothing recorded"),
        "{out}"
    );
    let (code, out) = decide_components(&folder, &roster, &withdraw, &["--correct"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1 corrected)"), "{out}");
    let (after, decisions, said) = components("after");
    assert!(after.contains("logbook: INCOMPLETE"), "{after}\n{said}");
    // The withdrawal is among the candidate's decisions, with who and why.
    assert!(
        decisions.contains("logbook: WITHDRAWN, recorded against the wrong candidate")
            && decisions.contains("by Module leader"),
        "{decisions}"
    );
    let (_, list) = run_osce(&["decide", "list", FCA, "--sessions", s(&folder)]);
    assert!(
        list.contains("SIM00001: logbook: WITHDRAWN, recorded against the wrong candidate"),
        "{list}"
    );
    // Again: nothing new, and nothing more said.
    let (code, out) = decide_components(&folder, &roster, &withdraw, &["--correct"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("0 component results to record (0 corrected), 1 already recorded")
            && !out.contains("no candidate's result"),
        "{out}"
    );
    // Recorded again, to the right result: counted as new, not a change.
    let (code, out) = decide_components(&folder, &roster, &example, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 component result to record (0 corrected)"),
        "{out}"
    );
    // A result never recorded (SIM00005's logbook): nothing to withdraw.
    let never = d.0.join("never.csv");
    fs::write(
        &never,
        "candidate_id,component,result\nSIM00005,logbook,withdrawn\n",
    )
    .expect("write");
    let (code, out) = decide_components(&folder, &roster, &never, &["--correct"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line 2: SIM00005 has no result recorded for logbook: there is nothing to withdraw")
            && out.contains("Nothing recorded"),
        "{out}"
    );
}

/// A final clinical assessment failed on a critical item that fails the
/// assessment: status's module results said `FAIL  cases INCOMPLETE ·
/// logbook INCOMPLETE` (the cases wait for moderation), a FAIL of nothing
/// it named. The line now names the stations of the critical items first;
/// no other result's line does.
#[test]
fn a_fail_on_a_critical_item_names_its_stations_in_the_module_results() {
    let d = Dir::new("components-critical-line");
    let (folder, roster) = fca(&d);
    let out_dir = d.0.join("out");
    let (code, out) = run_osce(&["export", FCA, "--sessions", s(&folder), "--out", s(&out_dir)]);
    assert!(code == 0 || code == 1, "{out}");
    let rows = csv_rows(&out_dir.join("results.csv"));
    let (id, result, reasons) = (
        col(&rows, "candidate_id"),
        col(&rows, "result"),
        col(&rows, "reasons"),
    );
    let (code, status) = run_osce(&["status", FCA, "--sessions", s(&folder), "--roster", s(&roster)]);
    assert_eq!(code, 1, "not final: {status}");
    let module_lines: Vec<&str> = status
        .split("Module results")
        .nth(1)
        .expect("module results")
        .lines()
        .collect();
    let mut failed_critical = 0;
    for row in &rows[1..] {
        let line = module_lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{} ", row[id])))
            .unwrap_or_else(|| panic!("{} in {status}", row[id]));
        if row[result] == "FAIL" && row[reasons].starts_with("critical item (fails the assessment)") {
            failed_critical += 1;
            let station = row[reasons]
                .split(" at case '")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .expect("the station named");
            assert!(
                line.contains(" failed at ") && line.contains(station) && line.contains("· cases INCOMPLETE"),
                "{line}"
            );
        } else {
            assert!(!line.contains(" failed at "), "{line}");
        }
    }
    assert!(failed_critical > 0, "{status}");
}

/// The command status prints to record component results, run as printed:
/// refused for its placeholders, `--file RESULTS.csv` named among them
/// (it was left out, so the refusal sent the lead to fill in the rest and
/// fail again on a file not there). A file of that very name is taken.
/// The logbook's component is recorded from the logbook (`osce logbook
/// --record`), whose command, run as printed, is refused for its
/// placeholders too, `--by NAME` among them (a decision by "NAME").
#[test]
fn the_components_command_status_prints_names_every_placeholder_left() {
    let d = Dir::new("components-placeholders");
    let run_printed = |out: &str| {
        let printed = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("record: "))
            .unwrap_or_else(|| panic!("the command to record: {out}"))
            .to_string();
        let args: Vec<String> = printed
            .split_whitespace()
            .skip(1)
            .take_while(|w| !w.starts_with('('))
            .map(|w| w.trim_matches('"').to_string())
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        (printed.clone(), run_osce(&args))
    };
    let (folder, roster) = fca(&d);
    let (_, out) = run_osce(&["status", FCA, "--sessions", s(&folder), "--roster", s(&roster)]);
    let (printed, (code, said)) = run_printed(&out);
    assert!(printed.starts_with("osce logbook "), "{printed}");
    assert_eq!(code, 2, "{said}");
    for left in ["LOGBOOK.csv (", "--by NAME ("] {
        assert!(said.contains(left), "{left}: {said}");
    }
    let rubric = weighted_module(&d, "");
    let other = d.sub("module");
    common::sheet(
        &other,
        &rubric,
        "viva",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        10,
    );
    let (_, out) = run_osce(&["status", &rubric, "--sessions", s(&other)]);
    let (printed, (code, said)) = run_printed(&out);
    assert!(printed.starts_with("osce decide components "), "{printed}");
    assert_eq!(code, 2, "{said}");
    for left in ["--file RESULTS.csv (", "--by NAME (", "--reason … ("] {
        assert!(said.contains(left), "{left}: {said}");
    }
}

/// A component result for a candidate on the roster with no sheet in yet:
/// the preview said `INCOMPLETE (0 marks) → FAIL (0 marks)`, as if they
/// had scored nothing. It says they have no sheet in yet.
#[test]
fn the_preview_for_a_candidate_with_no_sheet_says_so_not_0_marks() {
    let d = Dir::new("components-no-sheet");
    let (folder, roster) = fca(&d);
    let mut text = fs::read_to_string(&roster).expect("roster");
    text.push_str("SIM00099,New Person,A\n");
    fs::write(&roster, text).expect("roster");
    let file = d.0.join("logbook.csv");
    fs::write(
        &file,
        "candidate_id,component,result,note\nSIM00099,logbook,fail,\n",
    )
    .expect("file");
    let (code, out) = decide_components(&folder, &roster, &file, &["--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("SIM00099: INCOMPLETE (no sheet in yet) → FAIL (no sheet in yet)")
            && !out.contains("0 marks"),
        "{out}"
    );
}
