//! The exam lead's decisions, through the binary as a module leader runs
//! them: each problem `osce status` lists names the `osce decide` command
//! that settles it; a dry run shows the effect and records nothing; the
//! decision is recorded with who and why and changes the results; every
//! later command reads it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Dir, FCA, Marks, OSCE, PRACTICAL, append, candidate, sheet};
use osce::store::{Event, Store};

use common::run_osce as osce;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

use common::csv_rows as rows;

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect(name)
}

/// Forty simulated candidates of the OSCE, four examiners, seed 11.
fn simulate_forty(folder: &Path) {
    common::simulate_into(OSCE, folder, 40, 4, 11);
}

/// Every decisions journal under `folder`.
fn decision_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "decisions.jsonl") {
                found.push(p);
            }
        }
    }
    found
}

/// One real conflict: examiner E01's sheet for C001 at the shoulder station
/// on laptop `lap`, with two different histories in two folders (one
/// marked on after a copy was taken). Returns the two journals' paths.
fn two_histories(a: &Path, b: &Path) -> (PathBuf, PathBuf) {
    let first = sheet(a, OSCE, "shoulder", "C001", "E01@lap", Marks::Top, false, 0);
    let rel = first.strip_prefix(a).expect("inside");
    let second = b.join(rel);
    fs::create_dir_all(second.parent().expect("folder")).expect("dir");
    fs::copy(&first, &second).expect("copy");
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap");
    for (folder, level) in [(a, 0usize), (b, 1)] {
        let (mut j, _) = Store::new(folder)
            .open_sheet(&key, &common::hash(OSCE))
            .expect("open");
        j.append(
            Event::Mark {
                item: "id-consent".into(),
                level: Some(level),
                label: String::new(),
                late: false,
            },
            common::at(5),
        )
        .expect("append");
        let done = common::submitted(&j, OSCE);
        j.append(done, common::at(6)).expect("append");
    }
    (first, second)
}

#[test]
fn a_conflict_is_settled_by_a_recorded_decision_with_a_dry_run_first() {
    let d = Dir::new("decide-conflict");
    let (a, b) = (d.sub("laptop"), d.sub("usb"));
    let (first, _) = two_histories(&a, &b);
    let sessions = [s(&a), s(&b)];
    let (code, out) = osce(&["status", OSCE, "--sessions", sessions[0], sessions[1]]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("CONFLICT"), "{out}");
    assert!(
        out.contains("decide: osce decide conflict rubrics/msk-ultrasound-osce.ron --sessions"),
        "the conflict names the command that settles it: {out}"
    );

    // Who and why are required.
    let (code, out) = osce(&[
        "decide",
        "conflict",
        OSCE,
        "--sessions",
        sessions[0],
        sessions[1],
        "--candidate",
        "C001",
        "--station",
        "shoulder",
        "--use",
        s(&first),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--by") && out.contains("--reason"), "{out}");
    // E01@lap names both histories: the path is asked for.
    let (code, out) = osce(&[
        "decide",
        "conflict",
        OSCE,
        "--sessions",
        sessions[0],
        sessions[1],
        "--candidate",
        "C001",
        "--station",
        "shoulder",
        "--use",
        "E01@lap",
        "--by",
        "Dr Ada Lovelace",
        "--reason",
        "x",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("different histories"), "{out}");

    let decide = |dry: bool| {
        let mut args = vec![
            "decide",
            "conflict",
            OSCE,
            "--sessions",
            sessions[0],
            sessions[1],
            "--candidate",
            "C001",
            "--station",
            "shoulder",
            "--use",
            s(&first),
            "--by",
            "Dr Ada Lovelace",
            "--reason",
            "The laptop's copy is the one the examiner submitted on the day",
        ];
        if dry {
            args.push("--dry-run");
        }
        osce(&args)
    };
    let (code, out) = decide(true);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Dry run: nothing recorded"), "{out}");
    assert!(
        out.contains("C001: INCOMPLETE"),
        "the effect on the result: {out}"
    );
    assert!(decision_files(&d.0).is_empty(), "a dry run records nothing");

    let (code, out) = decide(false);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Recorded in"), "{out}");
    let files = decision_files(&d.0);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].starts_with(&a),
        "recorded in the first --sessions folder"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(&fs::metadata(&files[0]).expect("file").permissions());
    assert_eq!(mode & 0o777, 0o600);

    let (_, out) = osce(&["status", OSCE, "--sessions", sessions[0], sessions[1]]);
    assert!(!out.contains("CONFLICT"), "{out}");
    // The decision in force names the copy that counts by where it is,
    // not only by its history's hash.
    assert!(
        out.contains("C001 at shoulder: in the conflict, the sheet of E01@lap (the history ending in record")
            && out.contains(&format!("\n    the sheet that counts: {}\n", first.display())),
        "{out}"
    );
    let export = d.0.join("export");
    osce(&[
        "export",
        OSCE,
        "--sessions",
        sessions[0],
        sessions[1],
        "--out",
        s(&export),
    ]);
    let stations = rows(&export.join("stations.csv"));
    let note = col(&stations, "note");
    let row = stations
        .iter()
        .find(|r| r[0] == "C001" && r[1] == "shoulder")
        .expect("row");
    assert!(
        row[note].contains("decided: in the conflict, the sheet of E01@lap (the history ending in record"),
        "{row:?}"
    );
    let decided = col(&stations, "decisions");
    assert!(
        row[decided].starts_with("in the conflict, the sheet of E01@lap")
            && row[decided].contains("by Dr Ada Lovelace"),
        "the decision in the export's decisions column: {row:?}"
    );
    let results = rows(&export.join("results.csv"));
    let decided = col(&results, "decisions");
    assert!(
        results[1][decided].starts_with("shoulder: in the conflict"),
        "{:?}",
        results[1]
    );
    let (code, out) = osce(&["decide", "list", OSCE, "--sessions", sessions[0], sessions[1]]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("* C001 at shoulder: in the conflict"), "{out}");
    let (code, out) = osce(&["audit", OSCE, "--sessions", sessions[0], sessions[1]]);
    assert!(out.contains("decisions.jsonl (1 record)"), "{out}");
    assert!(!out.contains("osce did not put this here"), "{out}");
    assert!(out.contains("settled by decision: in the conflict"), "{out}");
    assert_eq!(code, 0, "a settled conflict is no longer an error: {out}");
}

/// A conflict settled with the wrong sheet is settled again: the later
/// decision replaces the earlier (docs/decisions.md), with the other sheet
/// or with neither. It was refused as "not in conflict".
#[test]
fn a_conflict_settled_with_the_wrong_sheet_is_decided_again() {
    let d = Dir::new("decide-conflict-again");
    let (a, b) = (d.sub("laptop"), d.sub("usb"));
    let (first, second) = two_histories(&a, &b);
    sheet(&a, OSCE, "knee", "C001", "E02@lap2", Marks::Top, true, 0);
    let sessions = [s(&a), s(&b)];
    let decide = |how: &[&str], why: &str| {
        let mut args = vec![
            "decide",
            "conflict",
            OSCE,
            "--sessions",
            sessions[0],
            sessions[1],
            "--candidate",
            "C001",
            "--station",
            "shoulder",
            "--by",
            "Dr Ada Lovelace",
            "--reason",
            why,
        ];
        args.extend_from_slice(how);
        osce(&args)
    };
    let note = |export: &Path| {
        let (_, said) = osce(&[
            "export",
            OSCE,
            "--sessions",
            sessions[0],
            sessions[1],
            "--out",
            s(export),
        ]);
        assert!(export.join("stations.csv").exists(), "{said}");
        let stations = rows(&export.join("stations.csv"));
        let note = col(&stations, "note");
        let score = col(&stations, "score");
        let row = stations
            .iter()
            .find(|r| r[0] == "C001" && r[1] == "shoulder")
            .expect("row");
        (row[note].clone(), row[score].clone())
    };
    let (code, out) = decide(&["--use", s(&second)], "The stick's copy, I thought");
    assert_eq!(code, 0, "{out}");
    let (wrong, wrong_score) = note(&d.0.join("e1"));
    assert!(wrong.contains("decided: in the conflict"), "{wrong}");

    // The laptop's history was the one submitted: decided again.
    let (code, out) = decide(&["--use", s(&first), "--dry-run"], "Wrong copy chosen before");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C001"), "the effect on C001: {out}");
    let (code, out) = decide(&["--use", s(&first)], "Wrong copy chosen before");
    assert_eq!(code, 0, "{out}");
    let (right, right_score) = note(&d.0.join("e2"));
    assert!(right.contains("decided: in the conflict"), "{right}");
    assert_ne!(wrong_score, right_score, "the other history's marks count now");
    let (code, out) = osce(&["decide", "list", OSCE, "--sessions", sessions[0], sessions[1]]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Wrong copy chosen before"), "{out}");

    // And then neither.
    let (code, out) = decide(&["--neither"], "Neither can be trusted");
    assert_eq!(code, 0, "{out}");
    let (neither, score) = note(&d.0.join("e3"));
    assert!(neither.contains("neither sheet counts"), "{neither}");
    assert_eq!(score, "", "no sheet counts: no score");

    // A cell that never was in conflict is still refused.
    let (code, out) = osce(&[
        "decide",
        "conflict",
        OSCE,
        "--sessions",
        sessions[0],
        sessions[1],
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--neither",
        "--by",
        "Dr Ada Lovelace",
        "--reason",
        "x",
    ]);
    assert_ne!(code, 0, "{out}");
}

/// C001 marked top marks at every station but the knee, where the examiner
/// recorded them absent.
fn absent_at_the_knee(folder: &Path) {
    absent_at(folder, OSCE, "knee");
}

/// C001 marked at the top of every station of `rubric` but `station`,
/// where the examiner recorded them absent.
fn absent_at(folder: &Path, rubric: &str, station: &str) {
    absent_with(folder, rubric, station, Marks::Top);
}

/// [`absent_at`], C001 marked `marks` at the other stations.
fn absent_with(folder: &Path, rubric: &str, station: &str, marks: Marks) {
    candidate(folder, rubric, "C001", "E01@lap", marks);
    let key = common::sheet_key(rubric, station, "C001", "E01@lap");
    let sheet = Store::new(folder).sheet_path(&key).expect("path");
    fs::remove_file(&sheet).expect("remove");
    recorded_absent(folder, rubric, station, "C001", "E01@lap");
}

/// `candidate` recorded absent ("unwell") at `station` by `who`, and the
/// sheet submitted.
fn recorded_absent(folder: &Path, rubric: &str, station: &str, candidate: &str, who: &str) {
    append(
        folder,
        rubric,
        station,
        candidate,
        who,
        vec![
            Event::Absent {
                reason: "unwell".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
}

/// An absence counted as a fail: the station is failed with a score of 0
/// of its whole maximum, and the candidate's result follows the pass
/// rules at once (here a PASS: the rules allow one failed station) with a
/// mark in marks.csv, never INCOMPLETE with every sheet in.
#[test]
fn an_absence_counted_as_a_fail_gives_a_result_by_the_pass_rules() {
    let d = Dir::new("decide-absence-fail");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let f = s(&folder);
    let export = d.0.join("export");
    let results = fail_the_absence_and_export(f, OSCE, "knee", &export);
    let (result, reasons, max) = (
        col(&results, "final_result"),
        col(&results, "reasons"),
        col(&results, "maximum"),
    );
    let c001 = &results[1];
    assert_ne!(c001[result], "INCOMPLETE", "{c001:?}");
    assert!(c001[reasons].contains("station 'Knee': absent"), "{c001:?}");
    assert!(!c001[reasons].contains("not yet marked"), "{c001:?}");
    assert!(
        !c001[reasons].contains("once every sheet is complete"),
        "{c001:?}"
    );
    assert!(!c001[reasons].contains("every critical item met"), "{c001:?}");
    let r = common::rubric(OSCE);
    // The knee's whole maximum counts, with its score of 0.
    assert_eq!(c001[max].parse::<f64>().ok(), Some(r.total_max()), "{c001:?}");
    let marks = rows(&export.join("marks.csv"));
    assert!(!marks[1][1].is_empty(), "a mark: {marks:?}");
}

/// An absence counted as a fail keeps the station's pass mark in the cut
/// score: the cut is the same for a candidate absent from a station as
/// for one who attended it (the absent one must not pass on a lower cut
/// where the other, with the same total, fails).
#[test]
fn an_absence_counted_as_a_fail_keeps_the_stations_pass_mark_in_the_cut_score() {
    let d = Dir::new("decide-absence-cut");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    candidate(&folder, OSCE, "C002", "E01@lap", Marks::Top);
    let export = d.0.join("export");
    let results = fail_the_absence_and_export(s(&folder), OSCE, "knee", &export);
    let reasons = col(&results, "reasons");
    let cut = |row: &[String]| -> String {
        let text = &row[reasons];
        let at = text
            .find("the cut score ")
            .unwrap_or_else(|| panic!("a cut score: {text}"));
        text[at..].split(')').next().unwrap_or_default().to_string()
    };
    let (c001, c002) = (&results[1], &results[2]);
    assert_eq!((c001[0].as_str(), c002[0].as_str()), ("C001", "C002"));
    assert_eq!(cut(c001), cut(c002), "{c001:?}\n{c002:?}");
}

/// A candidate failing for certain with a sheet not in yet: the reason
/// the results are not final names the sheet still to come first, not a
/// hold or a ruling nobody has to give.
#[test]
fn a_certain_fail_with_a_sheet_not_in_yet_says_the_sheet_is_awaited() {
    let d = Dir::new("certain-fail-missing");
    let folder = d.sub("s");
    candidate(&folder, OSCE, "C001", "E01@lap", Marks::Bottom);
    let key = common::sheet_key(OSCE, "knee", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    let (code, out) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 expected sheet is not in yet"), "{out}");
    assert!(
        out.contains(
            "1 candidate's result is certain under the provisional pass marks (adopting pass marks may change \
             that), yet marks.csv has no mark for them until each of their stations is settled (a sheet not in yet, a \
             result held for review,"
        ),
        "{out}"
    );
}

/// C001's knee sheet by E01, submitted with item `optimisation` left
/// unmarked, every other item at its top level but the consent item not
/// met where `consent_failed` (a critical fail).
/// The exam lead's ruling on C001's knee sheet (E01@lap), its
/// optimisation item left unmarked: taken at `level`, for `reason`.
fn rule_optimisation(folder: &Path, level: &str, reason: &str) -> (i32, String) {
    osce(&[
        "decide",
        "unmarked",
        OSCE,
        "--sessions",
        s(folder),
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--sheet",
        "E01@lap",
        "--item",
        "optimisation",
        "--level",
        level,
        "--by",
        "Exam lead",
        "--reason",
        reason,
    ])
}

fn knee_without_optimisation(folder: &Path, consent_failed: bool) {
    let r = common::rubric(OSCE);
    let mut events = vec![Event::Confirmed {
        candidate_name: "Name of C001".into(),
    }];
    for item in &r.station("knee").expect("knee").items {
        if item.id != "optimisation" {
            let top = r.scale(item.scale).levels.len() - 1;
            events.push(Event::Mark {
                item: item.id.clone(),
                level: Some(if consent_failed && item.id == "id-consent" {
                    0
                } else {
                    top
                }),
                label: String::new(),
                late: false,
            });
        }
    }
    events.push(Event::GlobalRating {
        level: 4,
        label: String::new(),
        late: false,
    });
    events.push(Event::Submitted {
        score: 0.0,
        max: 0.0,
        outcome: osce::scoring::StationOutcome::Incomplete,
    });
    append(folder, OSCE, "knee", "C001", "E01@lap", events);
}

/// A candidate failed for certain on a critical item at a station where
/// another item was left unmarked: the FAIL stands, but the total is
/// partial (the ruling on the item changes it), so marks.csv gives no mark
/// until the item is ruled on, and status counts the candidate among those
/// without one.
#[test]
fn a_certain_fail_with_an_item_left_unmarked_has_no_mark_until_it_is_ruled() {
    let d = Dir::new("certain-fail-unmarked");
    let folder = d.sub("s");
    candidate(&folder, OSCE, "C001", "E01@lap", Marks::Top);
    let key = common::sheet_key(OSCE, "knee", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    knee_without_optimisation(&folder, true);
    let export = d.0.join("out");
    let (code, said) = osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&export)]);
    assert_eq!(code, 1, "{said}");
    let results = rows(&export.join("results.csv"));
    assert_eq!(results[1][col(&results, "result")], "FAIL", "{results:?}");
    let marks = rows(&export.join("marks.csv"));
    assert_eq!(marks[1], ["C001", "", "FAIL"], "no partial total to upload");
    assert!(
        said.contains("1 candidate's result is certain")
            && said.contains("an item left unmarked awaiting a ruling"),
        "{said}"
    );
    // Ruled on: the total is whole, and the mark is given.
    let (code, out) = rule_optimisation(&folder, "Done", "Seen on the saved images");
    assert_eq!(code, 0, "{out}");
    let again = d.0.join("again");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&again)]);
    let marks = rows(&again.join("marks.csv"));
    assert!(!marks[1][1].is_empty(), "{marks:?}");
}

/// Pass marks saved before the exam lead ruled on an item left unmarked
/// were worked out from other marks than the results now use: adopting
/// them says so, status and the report keep saying it, and a record saved
/// again after the ruling, adopted, says nothing.
#[test]
fn a_record_saved_before_a_ruling_on_the_marks_is_said_to_be_when_adopted() {
    let d = Dir::new("record-before-ruling");
    let folder = d.sub("s");
    for (c, marks) in [
        ("C001", Marks::Top),
        ("C002", Marks::LoseFirst(2)),
        ("C003", Marks::Top),
    ] {
        candidate(&folder, OSCE, c, "E01@lap", marks);
    }
    let key = common::sheet_key(OSCE, "knee", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    knee_without_optimisation(&folder, false);
    let keep: Vec<String> = common::rubric(OSCE)
        .standard_set_stations()
        .map(|st| format!("{}=provisional", st.id))
        .collect();
    let save = |record: &Path| {
        let mut args = vec![
            "report",
            OSCE,
            "--sessions",
            s(&folder),
            "--save-standards",
            s(record),
            "--by",
            "Panel",
            "--format",
            "markdown",
        ];
        for k in &keep {
            args.extend(["--station-method", k.as_str()]);
        }
        let (code, out) = osce(&args);
        assert!(record.is_file(), "{code}: {out}");
    };
    let adopt = |record: &Path| {
        osce(&[
            "decide",
            "pass-marks",
            OSCE,
            "--sessions",
            s(&folder),
            "--record",
            s(record),
            "--by",
            "Exam board",
            "--reason",
            "Adopted at the board",
        ])
    };
    let first = d.0.join("first.json");
    save(&first);
    // The record's time is to the second or finer: the ruling comes after.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, out) = rule_optimisation(&folder, "Done", "Seen on the saved images");
    assert_eq!(code, 0, "{out}");
    let (code, out) = adopt(&first);
    assert_eq!(code, 0, "{out}");
    let said = "before 1 decision that changes the marks on its sheets: C001 at knee: item optimisation";
    assert!(out.contains("warning: ") && out.contains(said), "{out}");
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(
        status.contains("the pass marks in force were set (") && status.contains(said),
        "{status}"
    );
    // A candidate's sheets added since as well: both are said, neither
    // hides the other.
    candidate(&folder, OSCE, "C004", "E01@lap", Marks::Top);
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(
        status.contains("the pass marks in force were set from other sheets than these")
            && status.contains("; and set (")
            && status.contains(said),
        "{status}"
    );
    // Set again from the marks as they are now, and adopted: nothing said.
    let second = d.0.join("second.json");
    save(&second);
    let (code, out) = adopt(&second);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("changes the marks"), "{out}");
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(!status.contains("changes the marks"), "{status}");
    // A ruling after the pass marks were adopted: as for a sheet changed
    // since, the results are not final until the board adopts pass marks
    // over the marks as decided (or the same record again).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, out) = rule_optimisation(&folder, "Not done", "The saved images were of another patient");
    assert_eq!(code, 0, "{out}");
    let not_final = "by Exam board) before 1 decision that changes the marks on its sheets: C001 at knee: item \
                     optimisation";
    let (code, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{status}");
    assert!(
        status.contains("Not final yet:")
            && status.contains("  - the pass marks in force were adopted (")
            && status.contains(not_final),
        "{status}"
    );
    let (code, out) = osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&d.0.join("after-ruling")),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(not_final), "{out}");
    // The same record adopted again: the board means it to stand.
    let (code, out) = adopt(&second);
    assert_eq!(code, 0, "{out}");
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(!status.contains(not_final), "{status}");
}

/// Every sheet in, an item left unmarked at one station and an absence
/// not decided at another: the INCOMPLETE result's reason says what is
/// open, station by station, not only that the total waits.
#[test]
fn an_incomplete_total_says_what_is_open() {
    let d = Dir::new("incomplete-open");
    let folder = d.sub("s");
    candidate(&folder, OSCE, "C001", "E01@lap", Marks::Top);
    for station in ["knee", "physics"] {
        let key = common::sheet_key(OSCE, station, "C001", "E01@lap");
        fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    }
    recorded_absent(&folder, OSCE, "physics", "C001", "E01@lap");
    knee_without_optimisation(&folder, false);
    let out = d.0.join("out");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&out)]);
    let results = rows(&out.join("results.csv"));
    let reasons = &results[1][col(&results, "reasons")];
    assert!(
        reasons.contains(
            "judged against the cut score once every sheet is complete; not every item marked at 'Knee'; absent \
             from 'Physics and knobology', not yet decided (a fail, or deferred)"
        ),
        "{reasons}"
    );
}

/// A candidate failing for certain and absent from a station not yet
/// settled: status does not call the result INCOMPLETE (export says FAIL)
/// but says the absence is to settle, and the reason the results are not
/// final names the absence.
#[test]
fn a_certain_fail_with_an_absence_not_settled_names_the_absence() {
    let d = Dir::new("certain-fail-absent");
    let folder = d.sub("s");
    absent_with(&folder, OSCE, "knee", Marks::Bottom);
    let (code, out) = osce(&["status", OSCE, "--sessions", s(&folder), "--problems"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("INCOMPLETE until"), "{out}");
    assert!(
        out.contains("absent (unwell): not settled (a fail, or the candidate deferred): the result is not final until it is"),
        "{out}"
    );
    let export = d.0.join("out");
    let (code, said) = osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&export)]);
    assert_eq!(code, 1, "{said}");
    let results = rows(&export.join("results.csv"));
    assert_eq!(results[1][col(&results, "result")], "FAIL", "{results:?}");
    assert!(
        said.contains(
            "until each of their stations is settled (an absence not settled, a result held for review,"
        ) && said
            .contains("an absence settled by deferring the candidate takes their result away (DEFERRED)"),
        "{said}"
    );
    // The reasons account for every station: the absent one is named as
    // not yet decided, not left out of the count's words.
    let reasons = &results[1][col(&results, "reasons")];
    assert!(reasons.contains("; not yet decided: Knee (absent)"), "{reasons}");
}

/// A candidate whose marks fail the assessment whatever the absence (the
/// bottom marks everywhere else), deferred all the same: the deferral says
/// the FAIL it sets aside and how to let it stand, and results.csv keeps it
/// among the reasons beside DEFERRED.
#[test]
fn a_deferral_says_the_fail_it_sets_aside() {
    let d = Dir::new("defer-a-fail");
    let folder = d.sub("s");
    absent_with(&folder, OSCE, "knee", Marks::Bottom);
    let decide = |extra: &[&str]| {
        let mut args = vec![
            "decide",
            "absence",
            OSCE,
            "--sessions",
            s(&folder),
            "--candidate",
            "C001",
            "--station",
            "knee",
            "--deferred",
            "--by",
            "Exam board",
            "--reason",
            "Sick note seen by the board",
        ];
        args.extend(extra);
        osce(&args)
    };
    for extra in [&["--dry-run"][..], &[]] {
        let (code, out) = decide(extra);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("C001: FAIL (") && out.contains(") → DEFERRED"),
            "{extra:?}: {out}"
        );
        assert!(
            out.contains("note: C001's marks so far fail the assessment whatever the rest (")
                && out.contains("the deferral sets that FAIL aside for this sitting. If it should stand, record what was missed as a fail instead (--fail)"),
            "{extra:?}: {out}"
        );
    }
    let export = d.0.join("out");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&export)]);
    let results = rows(&export.join("results.csv"));
    assert_eq!(
        results[1][col(&results, "final_result")],
        "DEFERRED",
        "{results:?}"
    );
    let reasons = &results[1][col(&results, "reasons")];
    assert!(
        reasons.starts_with("deferred: ")
            && reasons.contains(
                "set aside by the deferral: the marks so far fail the assessment whatever the rest ("
            ),
        "{reasons}"
    );
}

/// An absence has no marks: the candidate's feedback and the audit say
/// "absent", never "0 of 20 marks" that would read as marks earned; once
/// decided as a fail, the feedback says it counts as not passed.
#[test]
fn an_absence_is_never_shown_as_marks_of_zero() {
    let d = Dir::new("absence-no-zero");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let f = s(&folder);
    let knee = |out: &Path| {
        let text = fs::read_to_string(out.join("C001.md")).expect("feedback");
        let at = text.find("## Knee").expect("the knee's heading");
        text[at..].lines().nth(2).unwrap_or_default().to_string()
    };
    let before = d.0.join("before");
    osce(&["feedback", OSCE, "--sessions", f, "--out", s(&before)]);
    assert_eq!(knee(&before), "Absent.");
    let (_, audit) = osce(&["audit", OSCE, "--sessions", f]);
    assert!(
        audit.contains("ABSENT") && !audit.contains("ABSENT 0/"),
        "{audit}"
    );
    let export = d.0.join("export");
    fail_the_absence_and_export(f, OSCE, "knee", &export);
    let after = d.0.join("after");
    osce(&["feedback", OSCE, "--sessions", f, "--out", s(&after)]);
    assert_eq!(knee(&after), "Absent: counted as not passed.");
}

/// A decision that replaces another's in force says so, with who took
/// the earlier one and why, so that nobody overrides a colleague unawares.
#[test]
fn a_decision_replacing_anothers_says_so() {
    let d = Dir::new("decide-replaces");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let f = s(&folder);
    let export = d.0.join("export");
    fail_the_absence_and_export(f, OSCE, "knee", &export);
    let deferred = |dry: bool| {
        let mut args = vec![
            "decide",
            "absence",
            OSCE,
            "--sessions",
            f,
            "--candidate",
            "C001",
            "--station",
            "knee",
            "--deferred",
            "--by",
            "Dr Other",
            "--reason",
            "Mitigating circumstances accepted",
        ];
        if dry {
            args.push("--dry-run");
        }
        osce(&args)
    };
    for dry in [true, false] {
        let (code, out) = deferred(dry);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains(
                "It replaces the decision in force: C001 at knee: the absence counts as a fail (by Exam board, "
            ) && out.contains(": No mitigating circumstances)"),
            "{out}"
        );
    }
}

/// C001's absence from `station` decided as a fail; the results.csv then
/// exported to `export`.
fn fail_the_absence_and_export(f: &str, rubric: &str, station: &str, export: &Path) -> Vec<Vec<String>> {
    let (code, out) = osce(&[
        "decide",
        "absence",
        rubric,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        station,
        "--fail",
        "--by",
        "Exam board",
        "--reason",
        "No mitigating circumstances",
    ]);
    assert_eq!(code, 0, "{out}");
    osce(&["export", rubric, "--sessions", f, "--out", s(export)]);
    rows(&export.join("results.csv"))
}

/// Under the `Competency` overall rule an absence counted as a fail counts
/// the station's items as not met: a candidate absent from a whole station
/// does not pass on the share of the stations they attended.
#[test]
fn an_absence_counted_as_a_fail_counts_its_items_as_not_met_under_the_competency_rule() {
    let d = Dir::new("decide-absence-competency");
    let folder = d.sub("s");
    absent_at(&folder, PRACTICAL, "physics");
    let f = s(&folder);
    let export = d.0.join("export");
    let results = fail_the_absence_and_export(f, PRACTICAL, "physics", &export);
    let c001 = &results[1];
    let reasons = &c001[col(&results, "reasons")];
    // 14 other items met on the two scans; the physics discussion's 5
    // count as not met: 14 of 19, under 80%.
    assert_eq!(c001[col(&results, "final_result")], "FAIL", "{c001:?}");
    assert!(
        reasons.contains(
            "14 of 19 non-critical items met (73.7%) (absent from 'Physics discussion': counted as not met); 80% required"
        ),
        "{reasons}"
    );
}

/// The commands status prints are shell words, an alternative on a line
/// of its own (no parentheses or `|` for a shell to choke on); run with
/// their placeholders left in (`--by NAME --reason "…"`), they are refused
/// and nothing is recorded: no decision by "NAME" for "…" in the record.
#[test]
fn the_decisions_status_prints_are_shell_words_and_their_placeholders_are_refused() {
    let d = Dir::new("decide-placeholders");
    let (a, b) = (d.sub("laptop"), d.sub("usb"));
    two_histories(&a, &b);
    recorded_absent(&a, OSCE, "ankle", "C009", "E02@lap");
    let (_, out) = osce(&["status", OSCE, "--sessions", s(&a), s(&b), "--problems"]);
    let commands: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("decide: "))
        .collect();
    assert!(commands.len() >= 2, "{out}");
    for c in &commands {
        assert!(!c.contains(['(', ')', '|']), "{c}\n{out}");
    }
    assert!(out.contains("(or --fail in place of --deferred)"), "{out}");
    assert!(out.contains("(or --neither in place of --use"), "{out}");
    // The command status printed for `kind`, run as printed but for the
    // quotes a shell takes away: refused, with what it said.
    let run_printed = |kind: &str| {
        let printed = commands
            .iter()
            .find(|c| c.contains(&format!("decide {kind}")))
            .unwrap_or_else(|| panic!("the {kind}'s command: {out}"));
        let args: Vec<String> = printed
            .split_whitespace()
            .skip(1)
            .map(|w| w.trim_matches('"').to_string())
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, said) = osce(&args);
        assert_eq!(code, 2, "{said}");
        assert!(said.contains("placeholder"), "{said}");
        said
    };
    run_printed("absence");
    // Every placeholder left is named at once, so one run shows them all.
    let said = run_printed("conflict");
    for left in ["--use JOURNAL (", "--by NAME (", "--reason … ("] {
        assert!(said.contains(left), "{left}: {said}");
    }
    let (_, listed) = osce(&["decide", "list", OSCE, "--sessions", s(&a), s(&b)]);
    assert!(!listed.contains("NAME"), "{listed}");
}

#[test]
fn an_absence_is_deferred_or_counted_as_a_fail() {
    let d = Dir::new("decide-absence");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let f = s(&folder);
    let (_, out) = osce(&["status", OSCE, "--sessions", f]);
    assert!(out.contains("Absences to settle"), "{out}");
    // With the examiner's reason, which the decision turns on.
    assert!(
        out.contains("  C001 at knee: recorded absent by E01@lap: unwell"),
        "{out}"
    );
    // Not yet settled: the reasons say the knee's critical items were not
    // assessed for the absence, not that they are still to be marked.
    let before = d.0.join("before");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&before)]);
    let results = rows(&before.join("results.csv"));
    let reasons = results[0].iter().position(|h| h == "reasons").expect("reasons");
    let c001 = &results[1][reasons];
    assert!(
        c001.contains("critical items not assessed: absent from 'Knee'"),
        "{c001}"
    );
    assert!(!c001.contains("critical items not yet marked"), "{c001}");
    assert!(out.contains("decide: osce decide absence"), "{out}");
    let base = [
        "decide",
        "absence",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--by",
        "Exam board",
    ];
    // Neither outcome, or both: a usage error (exit 2), nothing recorded.
    let mut neither = base.to_vec();
    neither.extend(["--reason", "No mitigating circumstances"]);
    let (code, out) = osce(&neither);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("say what the absence counts as: --deferred or --fail"),
        "{out}"
    );
    let mut both = neither.clone();
    both.extend(["--deferred", "--fail"]);
    assert_eq!(osce(&both).0, 2);
    let mut fail = base.to_vec();
    fail.extend(["--fail", "--reason", "No mitigating circumstances", "--dry-run"]);
    let (code, out) = osce(&fail);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Decision on C001 at knee: the absence counts as a fail."),
        "{out}"
    );
    assert!(out.contains("Dry run: nothing recorded"), "{out}");
    let mut deferred = base.to_vec();
    deferred.extend(["--deferred", "--reason", "Mitigating circumstances accepted"]);
    let (code, out) = osce(&deferred);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("→ DEFERRED"), "{out}");
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&export)]);
    let marks = rows(&export.join("marks.csv"));
    assert_eq!(
        marks[1],
        ["C001", "", "DEFERRED"],
        "no mark for a deferred candidate"
    );
    let results = rows(&export.join("results.csv"));
    let reasons = col(&results, "reasons");
    assert!(results[1][reasons].starts_with("deferred: "), "{:?}", results[1]);
    // Status lists the decision with who, when and why (the matrix shows
    // the absence, not what was decided of it).
    let (_, said) = osce(&["status", OSCE, "--sessions", f]);
    assert!(
        said.contains("Decisions in force (1; osce decide list gives every decision, those replaced too):")
            && said.contains("  C001 at knee: the absence is deferred")
            && said.contains("(by Exam board, ")
            && said.contains(": Mitigating circumstances accepted)"),
        "{said}"
    );
    // An absence is decided only where one was recorded.
    let (code, out) = osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "elbow",
        "--fail",
        "--by",
        "Exam board",
        "--reason",
        "x",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is not recorded absent"), "{out}");
    // A station's id mistyped: the nearest is offered, as `score` does.
    let (code, out) = osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "kne",
        "--fail",
        "--by",
        "Exam board",
        "--reason",
        "x",
    ]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("there is no station \"kne\" in the rubric; did you mean \"knee\"? its stations are"),
        "{out}"
    );
}

#[test]
fn a_moved_journal_is_voided_and_an_unmarked_item_ruled_on() {
    let d = Dir::new("decide-void");
    let folder = d.sub("s");
    let path = sheet(
        &folder,
        PRACTICAL,
        "physics",
        "C001",
        "E01@lap",
        Marks::Top,
        true,
        0,
    );
    let other = path.parent().expect("C001").with_file_name("C002");
    fs::create_dir_all(&other).expect("dir");
    fs::copy(&path, other.join("physics.jsonl")).expect("copy");
    let f = s(&folder);
    let (_, out) = osce(&["status", PRACTICAL, "--sessions", f, "--problems"]);
    assert!(out.contains("decide: osce decide void"), "{out}");
    let moved = other.join("physics.jsonl");
    // The hint names the journal that cannot be used: nothing to look up.
    assert!(
        out.contains(&format!("--station physics --sheet {} --by", moved.display())),
        "{out}"
    );
    // EXAMINER@DEVICE mistyped: the sheet meant is suggested.
    let (code, said) = osce(&[
        "decide",
        "void",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C002",
        "--station",
        "physics",
        "--sheet",
        "E01@lp",
        "--by",
        "Exam lead",
        "--reason",
        "copied by mistake",
    ]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("(did you mean \"E01@lap\"?)"), "{said}");
    let (code, out) = osce(&[
        "decide",
        "void",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C002",
        "--station",
        "physics",
        "--sheet",
        s(&moved),
        "--by",
        "Exam lead",
        "--reason",
        "C001's sheet, copied into C002's folder by mistake",
    ]);
    assert_eq!(code, 0, "{out}");
    // Named again by its path: the void is in force.
    let (code, again) = osce(&[
        "decide",
        "void",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C002",
        "--station",
        "physics",
        "--sheet",
        s(&moved),
        "--by",
        "Exam lead",
        "--reason",
        "copied by mistake",
    ]);
    assert_eq!(code, 0, "{again}");
    assert!(again.contains("Already decided, in force"), "{again}");
    let (_, out) = osce(&["status", PRACTICAL, "--sessions", f]);
    assert!(!out.contains("PROBLEM"), "{out}");
    // The audit lists the journal as void, with the decision, not as an
    // error.
    let (code, out) = osce(&["audit", PRACTICAL, "--sessions", f]);
    assert_eq!(code, 0, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("C002/physics.jsonl"))
        .expect("the voided journal is listed");
    assert!(
        line.trim_start().starts_with("void ") && line.contains("settled:") && !line.contains("ERROR"),
        "{line}"
    );

    // An item left unmarked on a submitted sheet.
    let upper = sheet(
        &folder,
        PRACTICAL,
        "upper-limb",
        "C001",
        "E01@lap",
        Marks::Top,
        false,
        0,
    );
    let text = fs::read_to_string(&upper).expect("journal");
    let item = common::rubric(PRACTICAL)
        .station("upper-limb")
        .expect("station")
        .items[0]
        .id
        .clone();
    assert!(text.contains(&format!("\"item\":\"{item}\"")));
    unmark_and_submit(&folder, PRACTICAL, "upper-limb", &item);
    let (_, out) = osce(&["status", PRACTICAL, "--sessions", f]);
    assert!(out.contains("Items left unmarked on submitted sheets"), "{out}");
    assert!(out.contains(&format!("--item {item}")), "{out}");
    assert!(
        out.contains(&format!("item {item} on E01@lap's sheet; no reason given")),
        "{out}"
    );
    let (code, out) = osce(&[
        "decide",
        "unmarked",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "upper-limb",
        "--sheet",
        "E01@lap",
        "--item",
        &item,
        "--level",
        "no such level",
        "--by",
        "Exam lead",
        "--reason",
        "x",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("its levels are"), "{out}");
    let label = {
        let r = common::rubric(PRACTICAL);
        let it = r.station("upper-limb").expect("s").items[0].clone();
        r.scale(it.scale).levels.last().expect("level").label.clone()
    };
    let (code, out) = osce(&[
        "decide",
        "unmarked",
        PRACTICAL,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "upper-limb",
        "--sheet",
        "E01@lap",
        "--item",
        &item,
        "--level",
        &label,
        "--by",
        "Exam lead",
        "--reason",
        "The examiner's paper note shows it was done",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, out) = osce(&["status", PRACTICAL, "--sessions", f]);
    assert!(!out.contains("Items left unmarked"), "{out}");
    // The ruling is the item's mark in items.csv, said to be decided.
    let export = d.0.join("export");
    osce(&["export", PRACTICAL, "--sessions", f, "--out", s(&export)]);
    let items = rows(&export.join("items.csv"));
    let (it, imported) = (col(&items, "item"), col(&items, "imported"));
    assert!(
        items
            .iter()
            .any(|r| r[0] == "C001" && r[it] == item && r[imported] == "decided"),
        "{items:?}"
    );
}

#[test]
fn assessors_who_differ_are_settled_and_adopted_pass_marks_reach_every_command() {
    let d = Dir::new("decide-result");
    let folder = d.sub("s");
    let f = s(&folder);
    // Two assessors who differ on C001's case 1.
    candidate(&folder, FCA, "C001", "E01@lap", Marks::Top);
    let l = {
        let r = common::rubric(FCA);
        let h = common::hash(FCA);
        let cohort = osce::results::gather::gather(&r, &h, std::slice::from_ref(&folder)).expect("gather");
        let m = osce::results::gather::matrix(&r, &cohort, None);
        let cell = m.cell("C001", "case-1").expect("cell").sheets.clone();
        osce::results::moderation::seen(&cohort, &cell)
    };
    for (assessor, decision, proposed) in [
        ("EA1", osce::store::Decision::Agree, None),
        (
            "EA2",
            osce::store::Decision::Disagree,
            Some(osce::store::Proposed::Fail),
        ),
    ] {
        let (mut j, _) = Store::new(&folder)
            .open_moderation(&common::rubric(FCA).id, assessor, assessor, &common::hash(FCA))
            .expect("open");
        j.append(
            Event::Moderated {
                station: "case-1".into(),
                candidate: "C001".into(),
                sheets: l.clone(),
                internal: osce::scoring::StationOutcome::Pass,
                decision,
                proposed,
                rationale: "images".into(),
            },
            common::at(50),
        )
        .expect("append");
    }
    let (_, out) = osce(&["status", FCA, "--sessions", f]);
    assert!(out.contains("assessors differ"), "{out}");
    assert!(out.contains("decide: osce decide result"), "{out}");
    // Only where moderation leaves something open.
    let (code, out) = osce(&[
        "decide",
        "result",
        FCA,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "case-2",
        "--fail",
        "--by",
        "Chair",
        "--reason",
        "x",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("has nothing left open by moderation"), "{out}");
    let (code, out) = osce(&[
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
        "Chair of the exam board",
        "--reason",
        "The board sided with the second assessor",
    ]);
    assert_eq!(code, 0, "{out}");
    let export = d.0.join("export");
    osce(&["export", FCA, "--sessions", f, "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let (fin, note) = (col(&stations, "final_result"), col(&stations, "note"));
    let row = stations
        .iter()
        .find(|r| r[0] == "C001" && r[1] == "case-1")
        .expect("row");
    assert_eq!(row[fin], "FAIL", "{row:?}");
    assert!(row[note].contains("the station's result is FAIL"), "{row:?}");
    // Settled: the assessors' difference no longer keeps the results from
    // final, and no reason says it does.
    let (_, out) = osce(&["status", FCA, "--sessions", f]);
    assert!(!out.contains("decisions differ on"), "{out}");
    // The moderation section says the difference was settled, and how.
    let line = out
        .lines()
        .find(|l| l.contains("C001 at case-1: assessors differ"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("; settled: ") && line.contains("FAIL"), "{line}");
    assert!(!out.contains("decide: osce decide result"), "{out}");
    let results = rows(&export.join("results.csv"));
    let reasons = col(&results, "reasons");
    assert!(
        !results[1][reasons].contains("decisions differ"),
        "{:?}",
        results[1]
    );
}

/// The standard-setting record of `folder`'s cohort, saved by `osce
/// report --save-standards` into `d` as `standards.json`.
fn save_standards(d: &Dir, folder: &Path) -> PathBuf {
    let record = d.0.join("standards.json");
    let (code, out) = osce(&[
        "report",
        OSCE,
        "--sessions",
        s(folder),
        "--format",
        "csv",
        "--out",
        s(&d.0.join("report")),
        "--save-standards",
        s(&record),
        "--by",
        "Standard-setting panel",
    ]);
    assert!(matches!(code, 0 | 1), "{out}");
    record
}

#[test]
fn adopted_pass_marks_are_used_by_export_without_being_asked() {
    let d = Dir::new("decide-pass-marks");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = save_standards(&d, &folder);
    // Before the decision, each station's standard-set pass mark is not
    // the one in force.
    let pass_marks = |md: &str| -> Vec<String> {
        let table = md.split("## Stations").nth(1).unwrap_or_default();
        table
            .lines()
            .skip(3)
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| l.trim_end_matches(" |").rsplit(" | ").next().map(str::to_string))
            .collect()
    };
    let (_, before) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    let words = pass_marks(&before);
    assert!(
        words.iter().any(|w| w.starts_with("borderline regression: ")
            && w.contains(", not adopted yet (provisional ")
            && w.ends_with(" in force)")),
        "{words:?}"
    );
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&record),
        "--by",
        "Exam board",
        "--reason",
        "Borderline regression, as agreed at the board of 4 June",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("standard-set pass marks"), "{out}");
    let (_, after) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    let words = pass_marks(&after);
    assert!(
        words
            .iter()
            .any(|w| w.starts_with("borderline regression: ") && w.contains(", adopted (provisional "))
            && !words.iter().any(|w| w.contains("not adopted yet")),
        "{words:?}"
    );
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let source = col(&stations, "pass_mark_source");
    assert!(
        stations[1..]
            .iter()
            .any(|r| r[source].starts_with("standard-set")),
        "the adopted pass marks apply: {:?}",
        stations.iter().map(|r| r[source].clone()).collect::<Vec<_>>()
    );
    assert!(
        !stations[1..].iter().any(|r| r[source].starts_with("provisional")),
        "no provisional pass mark is left"
    );
    // The report says which pass marks are in force: when and by whom
    // they were set (two records of one minute told apart).
    let (_, out) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    assert!(
        out.contains("Pass marks in force: the standard-set pass marks of")
            && out.contains(" UTC by Standard-setting panel adopted ("),
        "{out}"
    );
}

/// Pass marks tried with `export --pass-marks` before the board adopts
/// them (or other than those adopted) leave every result provisional, and
/// results.csv says so in its `provisional` column, not `no`: someone who
/// reads only the file must not take them as final.
#[test]
fn pass_marks_tried_but_not_adopted_leave_every_result_provisional_in_results_csv() {
    let d = Dir::new("decide-tried");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = save_standards(&d, &folder);
    let provisional = |out: &Path| {
        let table = rows(&out.join("results.csv"));
        let c = col(&table, "provisional");
        table[1..].iter().map(|r| r[c].clone()).collect::<Vec<_>>()
    };
    let tried = d.0.join("tried");
    let (code, _) = osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&tried),
        "--pass-marks",
        s(&record),
    ]);
    assert_eq!(code, 1, "not final");
    let want = format!(
        "yes: the pass marks of {} are applied, and no pass marks have been adopted (osce decide pass-marks)",
        s(&record)
    );
    assert!(
        provisional(&tried).iter().all(|p| *p == want),
        "{:?}",
        provisional(&tried)
    );
    let computed = d.0.join("computed");
    osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&computed),
        "--pass-marks",
        "standard-set",
    ]);
    assert!(
        provisional(&computed)
            .iter()
            .all(|p| p.starts_with("yes: the standard-set pass marks computed now are applied")),
        "{:?}",
        provisional(&computed)
    );
    adopt(&folder, &record);
    let adopted = d.0.join("adopted");
    osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&adopted),
        "--pass-marks",
        s(&record),
    ]);
    assert!(
        provisional(&adopted).iter().all(|p| p == "no"),
        "{:?}",
        provisional(&adopted)
    );
    // Another record than the one adopted (another sitting's, say): the
    // export says, where a script reads it, that the results are not final
    // under it.
    let mut other: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&record).expect("record")).expect("json");
    other["sem"] = serde_json::json!(16.0);
    let other_record = d.0.join("other-sitting.json");
    fs::write(&other_record, other.to_string()).expect("written");
    let (code, out) = osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&d.0.join("other")),
        "--pass-marks",
        s(&other_record),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "  - the pass marks of {} are applied, not the pass marks adopted",
            s(&other_record)
        )),
        "{out}"
    );
    // The rubric's provisional ones, once others are adopted: the same.
    let (code, out) = osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&d.0.join("provisional")),
        "--pass-marks",
        "provisional",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("  - the rubric's provisional pass marks are applied, not the pass marks adopted"),
        "{out}"
    );
    assert!(
        provisional(&d.0.join("provisional")).iter().all(
            |p| p.contains("the rubric's provisional pass marks are applied, not the pass marks adopted")
        ),
        "{:?}",
        provisional(&d.0.join("provisional"))
    );
}

/// An assessor disagreed with a result under the provisional pass marks,
/// proposing the other one, which the pass marks adopted later give too:
/// nothing is left to review, and the station is not held (it was, and the
/// hint sent a signed-off assessor back to osce moderate). The dry run of
/// the adoption says why a station it holds is held.
#[test]
fn a_disagreement_the_adopted_pass_marks_bear_out_is_not_held() {
    let d = Dir::new("decide-borne-out");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    let turned = turned_around(&d, &folder, &record);
    assert!(turned.len() >= 2, "{turned:?}");
    let (_, held_candidate, held_station, held_was) = turned[0].clone();
    let (i, candidate, station, was) = turned[1].clone();
    agreed(&folder, &held_candidate, &held_station, &held_was);
    let (proposed, now) = if was == "PASS" {
        (osce::store::Proposed::Fail, "FAIL")
    } else {
        (osce::store::Proposed::Pass, "PASS")
    };
    moderated(&folder, &candidate, &station, &was, Some(proposed));
    let (code, preview) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        f,
        "--record",
        s(&record),
        "--by",
        "Exam board",
        "--reason",
        "As agreed",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{preview}");
    let held_line = preview
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with(&format!("{held_candidate} at {held_station}: "))
        })
        .unwrap_or_default();
    assert!(
        held_line.contains("→ INCOMPLETE")
            && held_line.contains(&format!("EA1 moderated it when the marks gave {held_was}"))
            && held_line.contains("osce decide result"),
        "{preview}"
    );
    let line = preview
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{candidate} at {station}: ")))
        .unwrap_or_default();
    assert!(!line.contains("INCOMPLETE"), "{preview}");
    adopt(&folder, &record);
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let fin = col(&stations, "final_result");
    assert_eq!(
        (stations[i][0].as_str(), stations[i][1].as_str()),
        (candidate.as_str(), station.as_str())
    );
    assert_eq!(stations[i][fin], now, "{:?}", stations[i]);
    let results = rows(&export.join("results.csv"));
    let reasons = col(&results, "reasons");
    let cand = results.iter().find(|r| r[0] == candidate).expect("candidate");
    assert!(
        cand[reasons].contains(&format!(
            "{now} on moderation by EA1 (the examiners' marks gave {was} then; under the pass marks now in force they give {now} too)"
        )),
        "{cand:?}"
    );
    let (_, out) = osce(&["status", OSCE, "--sessions", f, "--problems"]);
    assert!(
        !out.contains(&format!("{candidate} at {station}: station")),
        "not held: {out}"
    );
    assert!(
        out.contains(&format!("{held_candidate} at {held_station}: station")),
        "{out}"
    );
}

/// An assessor agreed with a station's result under the provisional pass
/// marks; once other pass marks are adopted and the marks give another
/// result, the agreement is flagged for review, never silently carried
/// over to the new result.
#[test]
fn a_moderation_decision_under_other_pass_marks_is_flagged_for_review() {
    let d = Dir::new("decide-review");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    let turned = turned_around(&d, &folder, &record);
    let (i, candidate, station, was) = turned[0].clone();
    // The assessor agreed with it under the provisional pass marks.
    agreed(&folder, &candidate, &station, &was);
    adopt(&folder, &record);
    let adopted = d.0.join("adopted");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&adopted)]);
    let (code, out) = osce(&["status", OSCE, "--sessions", f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Results held back where every sheet is in:"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{candidate} at {station}: station")) && out.contains("must be reviewed"),
        "status says which decision to review: {out}"
    );
    let rows_now = rows(&adopted.join("stations.csv"));
    let (fin, note) = (col(&rows_now, "final_result"), col(&rows_now, "note"));
    let row = &rows_now[i];
    assert_eq!(
        (row[0].as_str(), row[1].as_str()),
        (candidate.as_str(), station.as_str())
    );
    assert_eq!(row[fin], "INCOMPLETE", "{row:?}");
    let results = rows(&adopted.join("results.csv"));
    let reasons = col(&results, "reasons");
    let cand = results.iter().find(|r| r[0] == candidate).expect("candidate");
    assert!(
        cand[reasons].contains(&format!("EA1 moderated it when the marks gave {was}")),
        "{cand:?} / {:?}",
        row[note]
    );
    let status_col = col(&results, "moderation_status");
    assert!(
        cand[status_col].contains("1 station to review: the marks give another result than when moderated")
            && !cand[status_col].contains("result changed"),
        "{cand:?}"
    );
    // The assessor's screen keeps the sheet in view (the sample drawn from
    // the results now might not hold it), counts it to review, and the
    // sign-off says why it is open: the pass marks, not an amendment.
    {
        let r = common::rubric(OSCE);
        let h = common::hash(OSCE);
        let folders = vec![folder.clone()];
        let first = osce::tui::moderate::snapshot(&r, &h, &folders, None).expect("snapshot");
        let (journal, _) = Store::new(&folder)
            .open_moderation(&r.id, "EA1", "ea-laptop", &h)
            .expect("open");
        let own = osce::results::moderation::AssessorLog::of_journal(&journal);
        let options = osce::tui::moderate::Options {
            sample_percent: 0.0,
            seed: 7,
            near_percent: 5.0,
        };
        let app = osce::tui::moderate::ModerateApp::new(r, first, own, options);
        assert_eq!(app.filter, osce::tui::moderate::Filter::Sample);
        assert!(
            app.visible
                .iter()
                .any(|&i| app.entries[i].candidate == candidate && app.entries[i].station == station),
            "the sheet to review is in the sample's view"
        );
        assert_eq!(app.to_review(), (1, 0));
        let (_, open) = app.sign_off_summary();
        let open = open.join("\n");
        assert!(
            open.contains("under the pass marks adopted since") && !open.contains("amended since"),
            "{open}"
        );
        assert_eq!(app.sign_off_note(), None, "adopted");
    }
    // Where the assessor has signed off, the exam lead settles it: status
    // names the command, and the decision is taken.
    let hint = format!("--candidate {candidate} --station {station} --pass --by NAME");
    assert!(
        out.contains(&hint),
        "status names the decision that settles it: {out}"
    );
    let now = if was == "PASS" { "--fail" } else { "--pass" };
    let (code, said) = osce(&[
        "decide",
        "result",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        &candidate,
        "--station",
        &station,
        now,
        "--by",
        "Exam lead",
        "--reason",
        "the adopted pass mark decides it; the assessor agreed with the marks",
    ]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains(&format!("{candidate} at {station}: INCOMPLETE")),
        "{said}"
    );
    let settled = d.0.join("settled");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&settled)]);
    let results = rows(&settled.join("results.csv"));
    let cand = results.iter().find(|r| r[0] == candidate).expect("candidate");
    assert!(
        cand[status_col].contains("the exam lead decided the result at 1 station"),
        "{cand:?}"
    );
}

/// Standard setting as the board decides it, station by station: another
/// method at one station, the provisional pass mark kept at another, a
/// pass mark of the board's own at a third, a rounding rule and the
/// board's note; all in the record, adopted as one decision, and used.
#[test]
fn the_board_sets_each_station_its_own_way_with_a_rounding_rule_and_a_note() {
    let d = Dir::new("decide-board");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    let report_dir = d.0.join("report");
    let report = |extra: &[&str], record: &Path| {
        let mut args = vec![
            "report",
            OSCE,
            "--sessions",
            s(&folder),
            "--format",
            "csv",
            "--out",
            s(&report_dir),
            "--force",
            "--save-standards",
            s(record),
            "--by",
            "Standard-setting panel",
        ];
        args.extend_from_slice(extra);
        osce(&args)
    };
    let (code, out) = report(
        &[
            "--station-method",
            "shoulder=borderline-group",
            "--station-method",
            "knee=provisional",
            "--station-method",
            "physics=fixed:9",
            "--round",
            "up:0.5",
            "--note",
            "Few candidates were graded borderline at the ankle",
        ],
        &record,
    );
    assert!(matches!(code, 0 | 1), "{out}");
    // The borderline group chosen for the shoulder rests on 3 candidates:
    // flagged as when the report's own method is chosen, on the console
    // and in the report written with the record.
    let thin =
        "shoulder: the borderline group pass mark rests on 3 candidates graded borderline (fewer than 5)";
    assert!(out.contains(&format!("  warning: {thin}")), "{out}");
    let stations_csv =
        fs::read_to_string(report_dir.join("report-stations.csv")).expect("report-stations.csv");
    assert!(
        stations_csv.contains("the borderline group pass mark rests on 3 candidates graded borderline"),
        "{stations_csv}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&record).expect("record")).expect("json");
    let station = |id: &str| {
        saved["stations"]
            .as_array()
            .expect("stations")
            .iter()
            .find(|s| s["station"] == id)
            .cloned()
            .expect("station")
    };
    assert_eq!(station("shoulder")["method"], "borderline group");
    assert_eq!(station("knee")["method"], "provisional kept");
    assert_eq!(station("knee")["pass_mark"], station("knee")["provisional"]);
    assert_eq!(station("physics")["method"], "fixed by the board");
    assert_eq!(station("physics")["pass_mark"], 9.0);
    assert_eq!(saved["rounding"]["up"], 0.5);
    assert_eq!(
        saved["note"],
        "Few candidates were graded borderline at the ankle"
    );
    // Every pass mark is a multiple of 0.5, and where rounding changed one,
    // the figure it came from is kept beside it.
    for st in saved["stations"].as_array().expect("stations") {
        let mark = st["pass_mark"].as_f64().expect("number");
        assert!((mark * 2.0 - (mark * 2.0).round()).abs() < 1e-9, "{st}");
        if let Some(was) = st["computed"].as_f64() {
            assert!(was < mark && mark - was < 0.5 + 1e-9, "rounded up: {st}");
        }
    }
    // The record edited by hand with two mistakes: both are named at once,
    // with the file, the station it probably meant, and nothing recorded.
    let edited = d.0.join("edited.json");
    let text = fs::read_to_string(&record).expect("record");
    let text = text.replacen("\"station\": \"shoulder\"", "\"station\": \"sholder\"", 1);
    let physics =
        "\"station\": \"physics\",\n      \"method\": \"fixed by the board\",\n      \"pass_mark\": 9.0";
    assert!(text.contains(physics), "{text}");
    let text = text.replacen(physics, &physics.replace("9.0", "99.0"), 1);
    fs::write(&edited, text).expect("edited");
    let into = d.0.join("lead");
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&edited),
        "--by",
        "Exam board",
        "--reason",
        "As the board agreed",
        "--into",
        s(&into),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{}: 2 mistakes:", edited.display())),
        "{out}"
    );
    assert!(
        out.contains("  - station \"sholder\" is not in the rubric (did you mean \"shoulder\"?)"),
        "{out}"
    );
    assert!(
        out.contains("  - pass mark 99 at station physics is outside 0 to"),
        "{out}"
    );
    assert!(!into.exists(), "nothing recorded: {out}");
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&record),
        "--by",
        "Exam board",
        "--reason",
        "As the board agreed",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("borderline group")
            && out.contains("fixed by the board")
            && out.contains("the board's note"),
        "{out}"
    );
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let (id, mark, source) = (
        col(&stations, "station_id"),
        col(&stations, "pass_mark"),
        col(&stations, "pass_mark_source"),
    );
    let physics = stations[1..]
        .iter()
        .find(|r| r[id] == "physics")
        .expect("physics");
    assert_eq!(physics[mark], "9", "{physics:?}");
    assert!(physics[source].contains("fixed by the board"), "{physics:?}");
    // The report applies the adopted pass marks, as export does: the same
    // pass mark at each station, and the same counts.
    let (_, md) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    let physics_row = md
        .lines()
        .find(|l| l.starts_with("| physics |") && l.contains("provisional"))
        .unwrap_or_default();
    assert!(physics_row.contains("fixed by the board: 9"), "{physics_row}");
    let results = rows(&export.join("results.csv"));
    let result = col(&results, "result");
    let count = |word: &str| results[1..].iter().filter(|r| r[result] == word).count();
    let said = format!(
        "Under the standard-set pass marks: {} pass, {} fail",
        count("PASS"),
        count("FAIL")
    );
    assert!(md.contains(&said), "{said} in:\n{md}");

    // Mistakes say what to write, and save nothing.
    let other = d.0.join("other.json");
    let (code, out) = report(&["--station-method", "hip=fixed:3"], &other);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("station \"hip\" is not standard-set") && !other.exists(),
        "{out}"
    );
    let (code, out) = report(&["--station-method", "physics=fixed:99"], &other);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("outside 0 to the station's maximum"), "{out}");
    let (code, out) = report(&["--round", "sideways"], &other);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("write up, down or nearest"), "{out}");
}

/// Saves the standard-set pass marks of `folder`'s cohort in `record` and
/// returns every station (row index in stations.csv, candidate, station,
/// result under the provisional pass marks) whose PASS or FAIL they turn
/// around.
fn turned_around(d: &Dir, folder: &Path, record: &Path) -> Vec<(usize, String, String, String)> {
    let f = s(folder);
    osce(&[
        "report",
        OSCE,
        "--sessions",
        f,
        "--format",
        "csv",
        "--out",
        s(&d.0.join("report")),
        "--force",
        "--save-standards",
        s(record),
        "--by",
        "Panel",
    ]);
    let before = d.0.join("before");
    let after = d.0.join("after");
    osce(&[
        "export",
        OSCE,
        "--sessions",
        f,
        "--out",
        s(&before),
        "--force",
        "--pass-marks",
        "provisional",
    ]);
    osce(&[
        "export",
        OSCE,
        "--sessions",
        f,
        "--out",
        s(&after),
        "--force",
        "--pass-marks",
        s(record),
    ]);
    let (b, a) = (
        rows(&before.join("stations.csv")),
        rows(&after.join("stations.csv")),
    );
    let result = col(&b, "result");
    let turned: Vec<_> = b
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, r)| matches!(r[result].as_str(), "PASS" | "FAIL") && a[*i][result] != r[result])
        .map(|(i, r)| (i, r[0].clone(), r[1].clone(), r[result].clone()))
        .collect();
    assert!(
        !turned.is_empty(),
        "a station the standard-set pass marks turn around"
    );
    turned
}

/// Assessor EA1 agrees with `candidate` at `station`, whose marks give
/// `was` (PASS, FAIL or INCOMPLETE) under the pass marks in force now.
fn agreed(folder: &Path, candidate: &str, station: &str, was: &str) {
    moderated(folder, candidate, station, was, None);
}

/// The assessor EA1 agreed with the result `was` at a station, or with
/// `proposed`, disagreed, proposing it.
fn moderated(
    folder: &Path,
    candidate: &str,
    station: &str,
    was: &str,
    proposed: Option<osce::store::Proposed>,
) {
    let r = common::rubric(OSCE);
    let cohort =
        osce::results::gather::gather(&r, &common::hash(OSCE), &[folder.to_path_buf()]).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let seen = osce::results::moderation::seen(&cohort, &m.cell(candidate, station).expect("cell").sheets);
    let (mut j, _) = Store::new(folder)
        .open_moderation(&r.id, "EA1", "ea-laptop", &common::hash(OSCE))
        .expect("open");
    j.append(
        Event::Moderated {
            station: station.into(),
            candidate: candidate.into(),
            sheets: seen,
            internal: match was {
                "PASS" => osce::scoring::StationOutcome::Pass,
                "INCOMPLETE" => osce::scoring::StationOutcome::Incomplete,
                _ => osce::scoring::StationOutcome::Fail,
            },
            decision: if proposed.is_some() {
                osce::store::Decision::Disagree
            } else {
                osce::store::Decision::Agree
            },
            proposed,
            rationale: if proposed.is_some() {
                "The recording shows more than the marks gave".into()
            } else {
                String::new()
            },
        },
        common::at(90),
    )
    .expect("append");
}

/// Pass marks adopted after sign-off hold every agreement they turn
/// around; the exam lead settles them all at once, each with the result
/// its marks give now, and a second run finds nothing to decide.
#[test]
fn every_station_held_for_review_is_settled_at_once_with_what_its_marks_give() {
    let d = Dir::new("decide-held");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    let turned = turned_around(&d, &folder, &record);
    assert!(turned.len() >= 2, "two stations to hold: {turned:?}");
    for (_, candidate, station, was) in &turned[..2] {
        agreed(&folder, candidate, station, was);
    }
    adopt(&folder, &record);
    let (_, out) = osce(&["status", OSCE, "--sessions", f]);
    assert!(out.contains("Or settle all 2 held for review at once"), "{out}");
    assert!(out.contains("decide: osce decide held"), "{out}");
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "decide",
            "held",
            OSCE,
            "--sessions",
            f,
            "--by",
            "Exam lead",
            "--reason",
            "the adopted pass marks decide",
        ];
        a.extend_from_slice(extra);
        a
    };
    let (code, said) = osce(&args(&["--dry-run"]));
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("2 stations held for review") && said.contains("Dry run: nothing recorded"),
        "{said}"
    );
    let (code, said) = osce(&args(&[]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Recorded in"), "{said}");
    let settled = d.0.join("settled");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&settled)]);
    let now = rows(&settled.join("stations.csv"));
    let (result, fin) = (col(&now, "result"), col(&now, "final_result"));
    for (i, candidate, station, was) in &turned[..2] {
        let row = &now[*i];
        assert_eq!((&row[0], &row[1]), (candidate, station));
        assert_ne!(&row[result], was, "the marks give the other result now");
        assert_eq!(row[fin], row[result], "settled with what the marks give: {row:?}");
    }
    let (_, out) = osce(&["status", OSCE, "--sessions", f]);
    assert!(!out.contains("must be reviewed"), "{out}");
    let (code, said) = osce(&args(&[]));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("No station is held for review"), "{said}");
}

/// A PASS not in the moderation sample (not a fail, not borderline rated)
/// amended into a FAIL after every assessor signed off is held for the
/// exam lead, and said as what may have happened: not only a sheet that
/// "came in after" the sign-off, which this one did not (pass marks
/// adopted after the sign-off do the same).
#[test]
fn a_sheet_that_became_a_fail_after_sign_off_is_not_said_to_have_come_in_late() {
    let d = Dir::new("decide-fail-after-sign-off");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let before = d.0.join("before");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&before)]);
    let table = rows(&before.join("stations.csv"));
    let (station, result, rating) = (
        col(&table, "station_id"),
        col(&table, "result"),
        col(&table, "global_rating"),
    );
    let passed = table
        .iter()
        .skip(1)
        .find(|r| r[station] == "physics" && r[result] == "PASS" && !r[rating].contains("Borderline"))
        .expect("a clear PASS at physics");
    let candidate = passed[0].clone();
    common::signed_off(&folder, OSCE, "EA1");
    let journal = common::journals(&folder)
        .into_iter()
        .find(|p| p.ends_with(format!("{candidate}/physics.jsonl")))
        .expect("their physics sheet");
    let who = journal
        .parent()
        .and_then(|p| p.parent())
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .expect("examiner@device");
    let mut events = vec![Event::AmendStarted {
        reason: "marks entered for the wrong candidate".into(),
    }];
    for item in [
        "frequency",
        "depth-focus",
        "gain-tgc",
        "artefacts",
        "doppler",
        "resolution",
    ] {
        events.push(Event::Mark {
            item: item.into(),
            level: Some(0),
            label: "Not done".into(),
            late: false,
        });
    }
    events.push(Event::Submitted {
        score: 0.0,
        max: 14.0,
        outcome: osce::scoring::StationOutcome::Fail,
    });
    append(&folder, OSCE, "physics", &candidate, &who, events);
    let (code, out) = osce(&["status", OSCE, "--sessions", f, "--problems"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{candidate} at physics")) && out.contains(
            "a FAIL by the examiners' marks, not moderated: the rubric's moderation sample takes every fail, and \
             every assessor had signed off before this sheet came in or became a fail (amended, or under pass \
             marks adopted since)"
        ) && !out.contains("came in after"),
        "{out}"
    );
}

/// The report's "why candidates are incomplete" follows the pass marks in
/// force: after adoption a failed station is below its adopted pass mark,
/// never quoted against the provisional one.
#[test]
fn the_reports_incomplete_reasons_quote_the_adopted_pass_marks() {
    let d = Dir::new("report-incomplete-adopted");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    // SIM00002 fails physics under either pass marks (6 of 14: 8.4
    // provisional, 6.12 adopted) and passes the rest; without a knee sheet
    // their result waits.
    for sheet in common::journals(&folder) {
        if sheet.ends_with("SIM00002/knee.jsonl") {
            fs::remove_file(&sheet).expect("remove");
        }
    }
    let record = d.0.join("standards.json");
    turned_around(&d, &folder, &record);
    // Before adoption, a run that saves a record gives the reasons under
    // that record's pass marks, and says so.
    let (_, md) = osce(&[
        "report",
        OSCE,
        "--sessions",
        f,
        "--format",
        "markdown",
        "--save-standards",
        s(&d.0.join("again.json")),
        "--by",
        "Panel",
    ]);
    assert!(
        md.contains("Why candidates are incomplete, under the saved record's pass marks"),
        "{md}"
    );
    adopt(&folder, &record);
    let (_, md) = osce(&["report", OSCE, "--sessions", f, "--format", "markdown"]);
    let at = md
        .find("Why candidates are incomplete, under the adopted pass marks")
        .unwrap_or_else(|| panic!("{md}"));
    let why = &md[at..md[at..].find("###").map_or(md.len(), |e| at + e)];
    assert!(why.contains("failed: Physics"), "{why}");
    assert!(why.contains("below the pass mark 6.12"), "{why}");
    assert!(!why.contains("pass mark 8.4"), "the provisional pass mark: {why}");
}

/// The exam board adopts the pass marks `record` holds.
fn adopt(folder: &Path, record: &Path) {
    let (code, out) = adopting(folder, record, &[]);
    assert_eq!(code, 0, "{out}");
}

/// `osce decide pass-marks` of `record` by the exam board, with `extra`
/// arguments.
fn adopting(folder: &Path, record: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(folder),
        "--record",
        s(record),
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
    ];
    args.extend(extra);
    osce(&args)
}

/// A dry run of new pass marks lists each candidate's stations in the
/// rubric's order, as every other list of stations is, not by their ids.
#[test]
fn a_dry_run_of_pass_marks_lists_the_stations_in_the_rubrics_order() {
    let d = Dir::new("decide-order");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    turned_around(&d, &folder, &record);
    let (code, said) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&record),
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{said}");
    let order: Vec<String> = osce::rubric::load(Path::new(OSCE))
        .expect("rubric")
        .0
        .stations
        .iter()
        .map(|s| s.id.clone())
        .collect();
    // Each candidate's station lines, as the dry run lists them.
    let mut listed: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for line in said.lines() {
        if let Some((candidate, rest)) = line.split_once(" at ")
            && let Some((station, _)) = rest.split_once(':')
            && let Some(i) = order.iter().position(|s| s == station)
        {
            listed.entry(candidate).or_default().push(i);
        }
    }
    assert!(
        listed.values().any(|places| places.len() >= 2),
        "a candidate with two stations changed: {said}"
    );
    for (candidate, places) in &listed {
        assert!(
            places.is_sorted(),
            "{candidate}'s stations out of the rubric's order: {said}"
        );
    }
}

/// A candidate whose FAIL is certain while a station's result is held for
/// review has no mark in marks.csv: the results are not final until the
/// station is settled, and `status` and `export` say so and exit 1.
#[test]
fn a_certain_fail_with_a_station_held_for_review_is_not_final() {
    let d = Dir::new("decide-held-fail");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    let turned = turned_around(&d, &folder, &record);
    for (_, candidate, station, was) in &turned {
        agreed(&folder, candidate, station, was);
    }
    adopt(&folder, &record);
    let out = d.0.join("out");
    let (code, said) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out)]);
    let marks = rows(&out.join("marks.csv"));
    let (mark, result) = (col(&marks, "mark"), col(&marks, "grade"));
    let certain_without_mark: Vec<&Vec<String>> = marks[1..]
        .iter()
        .filter(|r| r[mark].is_empty() && matches!(r[result].as_str(), "PASS" | "FAIL"))
        .collect();
    assert!(
        !certain_without_mark.is_empty(),
        "a candidate failing elsewhere with a station held: {marks:?}"
    );
    let words = format!(
        "{} certain, yet marks.csv has no mark for them until each of their stations is settled (an absence not settled, a result held for review, or an item left unmarked awaiting a ruling;",
        if certain_without_mark.len() == 1 {
            "1 candidate's result is".to_string()
        } else {
            format!("{} candidates' results are", certain_without_mark.len())
        }
    );
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&words), "{said}");
    let (code, said) = osce(&["status", OSCE, "--sessions", f]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&words), "{said}");
    // Settled, each with what its marks give: every candidate has a mark.
    let (code, said) = osce(&[
        "decide",
        "held",
        OSCE,
        "--sessions",
        f,
        "--by",
        "Exam lead",
        "--reason",
        "the adopted pass marks decide",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, said) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out), "--force"]);
    assert!(!said.contains("has no mark for them"), "{said}");
    let ids: Vec<String> = certain_without_mark.iter().map(|r| r[0].clone()).collect();
    let marks = rows(&out.join("marks.csv"));
    for id in &ids {
        let row = marks[1..].iter().find(|r| &r[0] == id).expect("the candidate");
        assert!(!row[mark].is_empty(), "a mark once settled: {row:?}");
    }
    // The board adopts other pass marks (the provisional ones kept): a
    // station settled as its marks gave it, whose marks now give the other
    // result, is held for review again, not left at a result neither its
    // marks nor its assessor give.
    common::adopt_pass_marks(&[&folder], OSCE);
    let held_again = "the exam lead decided its result as its marks gave it";
    let (_, said) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out), "--force"]);
    assert!(
        said.contains("INCOMPLETE") || said.contains("Not final yet"),
        "{said}"
    );
    let results = rows(&out.join("results.csv"));
    let reasons = col(&results, "reasons");
    let again: std::collections::BTreeSet<&str> = results[1..]
        .iter()
        .filter(|r| r[reasons].contains(held_again))
        .map(|r| r[0].as_str())
        .collect();
    let turned_candidates: std::collections::BTreeSet<&str> = turned.iter().map(|t| t.1.as_str()).collect();
    assert!(!again.is_empty(), "{results:?}");
    assert_eq!(again, turned_candidates, "{results:?}");
    let (code, said) = osce(&[
        "decide",
        "held",
        OSCE,
        "--sessions",
        f,
        "--by",
        "Exam lead",
        "--reason",
        "the pass marks adopted now decide",
    ]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("held for review, each settled with the result its marks give now"),
        "{said}"
    );
    let (_, said) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out), "--force"]);
    let results = rows(&out.join("results.csv"));
    assert!(
        results[1..].iter().all(|r| !r[reasons].contains(held_again)),
        "{said}"
    );
}

/// What a candidate is told of the exam lead's decisions: an absence that
/// counts as a fail is said as such (not "decided on external
/// moderation"); a deferral says only that, never the decision's reason
/// (mitigating circumstances, for the exam board), its maker or a part of a
/// total. Until every result is final each result told is provisional,
/// and `feedback` exits 1 saying not to send the files yet.
#[test]
fn feedback_tells_the_candidate_what_the_decisions_decided_and_no_more() {
    let d = Dir::new("decide-feedback");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let absence = |outcome: &'static str, reason: &'static str| {
        let (code, said) = osce(&[
            "decide",
            "absence",
            OSCE,
            "--sessions",
            f,
            "--candidate",
            "SIM00036",
            "--station",
            "physics",
            outcome,
            "--by",
            "Exam lead",
            "--reason",
            reason,
        ]);
        assert_eq!(code, 0, "{said}");
    };
    let feedback = |name: &str| {
        let out = d.0.join(name);
        let (code, said) = osce(&["feedback", OSCE, "--sessions", f, "--out", s(&out)]);
        assert_eq!(code, 1, "no moderation yet, so not final: {said}");
        assert!(
            said.contains("Not final yet: do not send these files to candidates"),
            "{said}"
        );
        out
    };
    absence("--fail", "No mitigating circumstances");
    // The quality report counts the examiners' marks, and says so: the
    // absence ruled a fail is in the export's results, not its counts.
    let (_, md) = osce(&["report", OSCE, "--sessions", f, "--format", "markdown"]);
    let brief = md
        .lines()
        .find(|l| l.starts_with("- Under the standard-set pass marks"))
        .unwrap_or_default();
    assert!(
        brief.contains(
            "with the exam lead's rulings on items left unmarked), before moderation and the exam lead's decisions on \
             absences and station results"
        ),
        "{md}"
    );
    let out = feedback("failed");
    let page = std::fs::read_to_string(out.join("SIM00036.md")).expect("SIM00036.md");
    // (INCOMPLETE overall until the fail is moderated, as the rubric asks.)
    assert!(
        !page.contains("external moderation"),
        "nothing was moderated: {page}"
    );
    let physics = &page[page.find("## Physics").expect("physics")..];
    assert!(physics.contains("Absent: counted as not passed."), "{physics}");
    assert!(
        !physics.contains("0 of"),
        "no marks of 0 for an absence: {physics}"
    );
    assert!(!page.contains("No mitigating circumstances"), "{page}");
    // Every result told while the exam is not final is provisional.
    for entry in std::fs::read_dir(&out).expect("files").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("page");
        if text.contains("**Result: PASS") || text.contains("**Result: FAIL") {
            assert!(
                text.contains("This result is provisional until the exam board confirms it."),
                "{}: {text}",
                entry.path().display()
            );
        }
    }

    absence(
        "--deferred",
        "Mitigating circumstances: medical certificate (confidential)",
    );
    let out = feedback("deferred");
    for page in ["SIM00036.md", "SIM00036.html"] {
        let text = std::fs::read_to_string(out.join(page)).expect("page");
        assert!(
            text.contains("Your assessment is deferred to a later sitting."),
            "{text}"
        );
        for private in [
            "confidential",
            "Mitigating",
            "Exam lead",
            "total",
            "Why:",
            "provisional",
        ] {
            assert!(!text.contains(private), "{page} says {private:?}: {text}");
        }
    }
}

/// A standard-setting record edited by hand is checked before it is
/// adopted: a station given twice, a rest station or a negative SEM is
/// refused by name; a record that leaves out stations the rubric
/// standard-sets is adopted with a note saying they keep their
/// provisional pass marks.
#[test]
fn a_hand_edited_standard_setting_record_is_checked_before_it_is_adopted() {
    let d = Dir::new("decide-record-checks");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = d.0.join("standards.json");
    turned_around(&d, &folder, &record);
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&record).expect("record")).expect("json");
    let adopt = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = saved.clone();
        edit(&mut v);
        let path = d.0.join(name);
        fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
        osce(&[
            "decide",
            "pass-marks",
            OSCE,
            "--sessions",
            s(&folder),
            "--record",
            s(&path),
            "--by",
            "Exam board",
            "--reason",
            "Adopted at the board",
            "--dry-run",
        ])
    };
    let (code, out) = adopt("twice.json", &|v| {
        let first = v["stations"][0].clone();
        v["stations"].as_array_mut().expect("stations").push(first);
    });
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is given twice"), "{out}");
    let (code, out) = adopt("rest.json", &|v| v["stations"][0]["station"] = "rest".into());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("station \"rest\" is not scored (a rest station)"),
        "{out}"
    );
    let (code, out) = adopt("sem.json", &|v| v["sem"] = (-3.0).into());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the SEM -3 is not a number of marks of 0 or more"),
        "{out}"
    );
    // A pass mark typed over by hand, the record still saying what its
    // method gave: adopted as written (a dry run here), and said.
    let (code, out) = adopt("typed-over.json", &|v| {
        v["rounding"] = serde_json::json!({"up": 0.5});
        v["stations"][0]["method"] = "borderline regression".into();
        v["stations"][0]["computed"] = 7.78.into();
        v["stations"][0]["pass_mark"] = 0.8.into();
    });
    assert_eq!(code, 0, "{out}");
    let station = saved["stations"][0]["station"]
        .as_str()
        .expect("station")
        .to_string();
    assert!(
        out.contains("has 1 pass mark its method did not give (typed over by hand?)")
            && out.contains(&format!(
                "{station}: 0.8, where the borderline regression's 7.78 rounded up to a multiple of 0.5 marks \
                 gives 8"
            )),
        "{out}"
    );
    // Rounded up past the station's maximum, a pass mark is saved as the
    // maximum: that is what the method gave, not a hand's edit.
    let (code, out) = adopt("rounded-to-the-top.json", &|v| {
        v["rounding"] = serde_json::json!({"up": 5.0});
        for st in v["stations"].as_array_mut().expect("stations") {
            if st["station"] == "professional" {
                st["method"] = "borderline regression".into();
                st["computed"] = 12.0.into();
                st["pass_mark"] = 13.0.into();
            }
        }
    });
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("typed over by hand"), "{out}");
    // A wrong SEM does not hide the record's other mistakes: every one is
    // said at once.
    let (code, out) = adopt("sem-and-more.json", &|v| {
        v["sem"] = (-1.0).into();
        v["stations"][0]["station"] = "sholder".into();
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2 mistakes:")
            && out.contains("the SEM -1 is not a number of marks of 0 or more")
            && out.contains("station \"sholder\" is not in the rubric"),
        "{out}"
    );
    // A record that is not there is a usage error (exit 2), as a file
    // every command cannot read.
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&d.0.join("not-there.json")),
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
        "--dry-run",
    ]);
    assert_eq!(code, 2, "{out}");
    let (code, out) = adopt("part.json", &|v| {
        v["stations"].as_array_mut().expect("stations").truncate(2);
    });
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note: the record sets no pass mark for") && out.contains("the provisional pass mark"),
        "{out}"
    );
}

/// A decision at a rest station says so (it said "no sheet of candidate
/// SIM00036 was found; did you mean \"SIM00036\"?").
#[test]
fn a_decision_at_a_rest_station_is_refused_as_such() {
    let d = Dir::new("decide-rest");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let (code, out) = osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        s(&folder),
        "--candidate",
        "SIM00036",
        "--station",
        "rest",
        "--fail",
        "--by",
        "Exam lead",
        "--reason",
        "No mitigating circumstances",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("station \"rest\" is not scored (a rest station)"),
        "{out}"
    );
    assert!(!out.contains("did you mean \"SIM00036\""), "{out}");
}

/// An absence the exam lead has not settled keeps the results from final
/// even where the candidate's FAIL is certain from their other stations:
/// a deferral would take their result and mark away. marks.csv gives no
/// mark until it is settled.
#[test]
fn an_unsettled_absence_is_not_final_even_with_a_certain_fail() {
    let d = Dir::new("decide-absence-final");
    // The OSCE without moderation, so that nothing else keeps it open.
    let rubric = d.0.join("osce-no-moderation.ron");
    let text = fs::read_to_string(OSCE).expect("rubric").replace(
        "moderation: (mode: Sample(percent: 10)),",
        "moderation: (mode: None),",
    );
    fs::write(&rubric, text).expect("rubric");
    let r = s(&rubric);
    let folder = d.0.join("s");
    let (code, out) = osce(&[
        "simulate",
        r,
        "--candidates",
        "8",
        "--examiners",
        "6",
        "--seed",
        "3",
        "--sessions",
        s(&folder),
    ]);
    assert_eq!(code, 0, "{out}");
    let out_dir = d.0.join("out");
    let (code, said) = osce(&["export", r, "--sessions", s(&folder), "--out", s(&out_dir)]);
    let marks = rows(&out_dir.join("marks.csv"));
    let results = rows(&out_dir.join("stations.csv"));
    let absent: Vec<&Vec<String>> = results[1..]
        .iter()
        .filter(|row| row.contains(&"ABSENT".to_string()))
        .collect();
    assert!(!absent.is_empty(), "an absence in the cohort: {said}");
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("absence is not settled"), "{said}");
    for row in &absent {
        let m = marks[1..].iter().find(|m| m[0] == row[0]).expect("the candidate");
        assert_eq!(
            m[col(&marks, "mark")],
            "",
            "no mark while the absence waits: {m:?}"
        );
    }
    let (code, said) = osce(&["status", r, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("absence is not settled"), "{said}");
}

/// `--level LABEL` left in the command status printed for an item left
/// unmarked: the refusal lists the labels of the item's scale, so the
/// next run can be right.
#[test]
fn the_level_placeholder_is_refused_with_the_items_labels() {
    let d = Dir::new("decide-level-placeholder");
    let folder = d.sub("s");
    let (code, said) = osce(&[
        "decide",
        "unmarked",
        OSCE,
        "--sessions",
        s(&folder),
        "--into",
        s(&folder),
        "--candidate",
        "C001",
        "--station",
        "shoulder",
        "--sheet",
        "E01@lap",
        "--item",
        "lhb",
        "--level",
        "LABEL",
        "--by",
        "Exam lead",
        "--reason",
        "Seen on the recording",
    ]);
    assert_eq!(code, 2, "{said}");
    assert!(
        said.contains("--level LABEL (\"Not done\", \"Partially done\" or \"Done\")"),
        "{said}"
    );
}

/// A candidate id under which a laptop's sheets were copied by mistake
/// (no one sat as it): voiding the last of them takes that candidate out.
/// The preview says so, and pairs every other candidate with their own
/// result, not with the next one's.
#[test]
fn voiding_the_last_sheet_of_a_mistaken_id_is_previewed_candidate_by_candidate() {
    let d = Dir::new("decide-void-ghost");
    let folder = d.sub("s");
    common::simulate_into(OSCE, &folder, 3, 2, 5);
    let examiner = folder.join("msk-us-osce").join("EX01@sim-EX01");
    let (from, ghost) = (examiner.join("SIM00001"), examiner.join("SIM00000"));
    std::fs::create_dir_all(&ghost).expect("folder");
    let mut stations = Vec::new();
    for entry in std::fs::read_dir(&from).expect("list") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, ghost.join(path.file_name().expect("name"))).expect("copy");
        stations.push(path.file_stem().expect("stem").to_string_lossy().into_owned());
    }
    stations.sort();
    // Named by their id alone where no sheet or roster gives a name.
    let (_, out) = osce(&["status", OSCE, "--sessions", s(&folder), "--problems"]);
    assert!(out.lines().any(|l| l == "SIM00000"), "{out}");
    let lead = d.0.join("lead");
    for (n, station) in stations.iter().enumerate() {
        let sheet = ghost.join(format!("{station}.jsonl"));
        let last = n + 1 == stations.len();
        let mut args = vec![
            "decide",
            "void",
            OSCE,
            "--sessions",
            s(&folder),
            "--into",
            s(&lead),
            "--candidate",
            "SIM00000",
            "--station",
            station,
            "--sheet",
            s(&sheet),
            "--by",
            "Exam lead",
            "--reason",
            "Copied into the wrong candidate's folder",
        ];
        if last {
            args.push("--dry-run");
        }
        let (code, said) = osce(&args);
        assert_eq!(code, 0, "{said}");
        if last {
            assert!(
                said.contains(
                    "SIM00000: INCOMPLETE (no sheet in yet) → no result: no sheet of theirs counts"
                ),
                "{said}"
            );
            assert!(!said.contains("SIM00001"), "no other candidate changes: {said}");
        }
    }
}

/// Where the item's scale has "not observed", status offers it in place
/// of `--level LABEL`, and the command so made is taken as it is.
#[test]
fn the_not_observed_alternative_is_offered_in_place_of_the_level() {
    let d = Dir::new("not-observed-hint");
    let folder = d.sub("s");
    let f = folder.to_str().expect("utf-8");
    sheet(&folder, FCA, "case-1", "C001", "E01@lap", Marks::Top, false, 0);
    let r = common::rubric(FCA);
    let item = r
        .station("case-1")
        .expect("station")
        .items
        .iter()
        .find(|i| r.scale(i.scale).not_observed)
        .expect("an item whose scale has not observed")
        .id
        .clone();
    unmark_and_submit(&folder, FCA, "case-1", &item);
    let (_, out) = osce(&["status", FCA, "--sessions", f]);
    assert!(
        out.contains("\n      (or --not-observed in place of --level LABEL)"),
        "{out}"
    );
    let (code, out) = osce(&[
        "decide",
        "unmarked",
        FCA,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "case-1",
        "--sheet",
        "E01@lap",
        "--item",
        &item,
        "--not-observed",
        "--by",
        "Exam lead",
        "--reason",
        "not seen",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{out}");
}

/// C001's sheet by E01@lap at `station`: the mark of `item` undone, and
/// the sheet submitted again with it unmarked.
fn unmark_and_submit(folder: &std::path::Path, rubric: &str, station: &str, item: &str) {
    let key = common::sheet_key(rubric, station, "C001", "E01@lap");
    let (mut j, _) = Store::new(folder)
        .open_sheet(&key, &common::hash(rubric))
        .expect("open");
    let mark_seq = j
        .records()
        .iter()
        .find(|r| matches!(&r.event, Event::Mark { item: i, .. } if i == item))
        .expect("marked")
        .seq;
    j.append(Event::Undo { undoes: mark_seq }, common::at(3))
        .expect("undo");
    let done = common::submitted(&j, rubric);
    j.append(done, common::at(4)).expect("submit");
}

/// `osce decide absence` of C001's absence at `station` in the folder `f`,
/// with `choice` (`--deferred` or `--fail`), by the exam board.
fn c001_absence(f: &str, station: &str, choice: &str, reason: &str) -> (i32, String) {
    osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        station,
        choice,
        "--by",
        "Exam board",
        "--reason",
        reason,
    ])
}

/// A candidate deferred at one station has no result at this sitting: their
/// absences at the other stations are settled by it, not listed as
/// decisions still to take, and do not keep the results from being final.
#[test]
fn a_deferral_settles_the_candidates_absences_at_every_station() {
    let d = Dir::new("decide-deferral-covers");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    recorded_absent(&folder, OSCE, "shoulder", "C001", "E01@lap");
    let f = s(&folder);
    let defer = |station: &str| c001_absence(f, station, "--deferred", "Unwell all day: certificate seen");
    let (_, before) = osce(&["status", OSCE, "--sessions", f]);
    assert!(before.contains("2 absences are not settled"), "{before}");
    let (code, out) = defer("knee");
    assert_eq!(code, 0, "{out}");
    let (_, said) = osce(&["status", OSCE, "--sessions", f]);
    assert!(!said.contains("not settled"), "{said}");
    assert!(!said.contains("Absences to settle"), "{said}");
    assert!(!said.contains("decide absence"), "{said}");
    // Said beside the deferral, so the lead sees why nothing is asked.
    assert!(
        said.contains("  C001 at knee: the absence is deferred")
            && said.contains("also settles C001's absence at shoulder (no result at this sitting)"),
        "{said}"
    );
    let (_, problems) = osce(&["status", OSCE, "--sessions", f, "--problems"]);
    assert!(!problems.contains("shoulder: absent"), "{problems}");
    let out_dir = d.0.join("out");
    let (_, exported) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out_dir)]);
    assert!(!exported.contains("absence is not settled"), "{exported}");
    let marks = rows(&out_dir.join("marks.csv"));
    assert_eq!(marks[1], ["C001", "", "DEFERRED"]);
    // The other absence deferred too (a lead going down an older list):
    // settled already, said so, and nothing recorded.
    let (code, out) = defer("shoulder");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("C001 is deferred already (the absence at knee): that settles the absence at shoulder too. Nothing recorded."),
        "{out}"
    );
    let (_, listed) = osce(&["decide", "list", OSCE, "--sessions", f]);
    assert!(!listed.contains("C001 at shoulder"), "{listed}");
}

/// A sheet marked under a mistyped id, voided: the same command run again
/// (or with other words) says the void is in force, never that the
/// candidate is unknown and the real candidate is meant.
#[test]
fn a_void_run_again_says_it_is_in_force_and_suggests_no_other_candidate() {
    let d = Dir::new("decide-void-twice");
    let folder = d.sub("s");
    candidate(&folder, OSCE, "C001", "E01@lap", Marks::Top);
    sheet(&folder, OSCE, "knee", "C0001", "E02@lap2", Marks::Top, true, 0);
    let f = s(&folder);
    let void = |reason: &str| {
        osce(&[
            "decide",
            "void",
            OSCE,
            "--sessions",
            f,
            "--candidate",
            "C0001",
            "--station",
            "knee",
            "--sheet",
            "E02@lap2",
            "--by",
            "Exam lead",
            "--reason",
            reason,
        ])
    };
    let (code, out) = void("C001's knee, marked under a mistyped id");
    assert_eq!(code, 0, "{out}");
    for reason in ["C001's knee, marked under a mistyped id", "typed C0001 for C001"] {
        let (code, out) = void(reason);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("Already decided, in force: E02@lap2's sheet") && out.contains("Nothing recorded"),
            "{out}"
        );
        assert!(!out.contains("did you mean"), "{out}");
    }
}

/// Two markers over the discrepancy threshold, waiting for their agreed
/// mark: once the exam lead decides the station's result, status no longer
/// says it waits, and says what its score is.
#[test]
fn a_discrepancy_whose_result_the_exam_lead_decided_is_not_said_to_wait() {
    let d = Dir::new("decide-result-discrepancy");
    let folder = d.sub("s");
    common::markers_apart(&folder);
    let f = s(&folder);
    let (_, before) = osce(&["status", FCA, "--sessions", f]);
    assert!(
        before.contains("C001 at case-1: 4 marks apart; to reconcile: waiting for the markers' agreed mark"),
        "{before}"
    );
    // Two assessors differ on it: the exam lead decides.
    let r = common::rubric(FCA);
    let hash = common::hash(FCA);
    let cohort = osce::results::gather::gather(&r, &hash, std::slice::from_ref(&folder)).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let seen = osce::results::moderation::seen(&cohort, &m.cell("C001", "case-1").expect("cell").sheets);
    for (assessor, decision, proposed) in [
        (
            "EA1",
            osce::store::Decision::Disagree,
            Some(osce::store::Proposed::Pass),
        ),
        ("EA2", osce::store::Decision::Agree, None),
    ] {
        let (mut j, _) = Store::new(&folder)
            .open_moderation(&r.id, assessor, "ea-laptop", &hash)
            .expect("open");
        j.append(
            Event::Moderated {
                station: "case-1".into(),
                candidate: "C001".into(),
                sheets: seen.clone(),
                internal: osce::scoring::StationOutcome::Incomplete,
                decision,
                proposed,
                rationale: "seen on the recording".into(),
            },
            common::at(90),
        )
        .expect("append");
    }
    let (code, out) = osce(&[
        "decide",
        "result",
        FCA,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "case-1",
        "--pass",
        "--by",
        "Exam lead",
        "--reason",
        "The second marker watched another patient",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, after) = osce(&["status", FCA, "--sessions", f]);
    assert!(!after.contains("waiting for the markers' agreed mark"), "{after}");
    assert!(
        after.contains(
            "C001 at case-1: 4 marks apart; its result decided by the exam lead (osce decide result)"
        ),
        "{after}"
    );
}

/// Two markers over the threshold apart, and no third marker will come:
/// status says the exam lead may decide the station's result, and
/// `decide result` records it (it refused: "nothing left open by
/// moderation"); the examiners' marks stay as they are.
#[test]
fn a_discrepancy_no_third_marker_will_settle_is_decided_by_the_exam_lead() {
    let d = Dir::new("decide-no-third-marker");
    let folder = d.sub("s");
    sheet(&folder, OSCE, "shoulder", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(5),
        true,
        1,
    );
    let f = s(&folder);
    let decide_fail = || {
        osce(&[
            "decide",
            "result",
            OSCE,
            "--sessions",
            f,
            "--candidate",
            "C001",
            "--station",
            "shoulder",
            "--fail",
            "--by",
            "Exam lead",
            "--reason",
            "No third examiner was available; the video shows the probe work incomplete",
        ])
    };
    // The shoulder's row of stations.csv, exported afresh: (header, row,
    // what export said).
    let out_dir = d.0.join("export");
    let shoulder = || {
        let (_, said) = osce(&["export", OSCE, "--sessions", f, "--out", s(&out_dir), "--force"]);
        let table = rows(&out_dir.join("stations.csv"));
        let row = table.iter().find(|r| r[1] == "shoulder").expect("row").clone();
        (table[0].clone(), row, said)
    };
    let (_, before) = osce(&["status", OSCE, "--sessions", f]);
    assert!(
        before.contains(
            "waiting for a third marker's sheet (another examiner marks it with osce score; if none will come, the \
             exam lead decides its result with osce decide result)"
        ),
        "{before}"
    );
    // The held list offers the command, filled in.
    assert!(
        before.contains("    decide: osce decide result ")
            && before.contains(" --candidate C001 --station shoulder "),
        "{before}"
    );
    let (code, out) = decide_fail();
    assert_eq!(code, 0, "{out}");
    let (_, after) = osce(&["status", OSCE, "--sessions", f]);
    assert!(!after.contains("waiting for a third marker's sheet"), "{after}");
    assert!(
        after.contains("its result decided by the exam lead (osce decide result)"),
        "{after}"
    );
    let (h, row, said) = shoulder();
    let at = |name: &str| h.iter().position(|x| x == name).expect(name);
    assert_eq!(
        row[at("result")],
        "INCOMPLETE",
        "the examiners' marks stay: {said}"
    );
    assert_eq!(row[at("final_result")], "FAIL", "{said}");
    // A third marker's sheet comes after all: the decision is held for
    // review (neither kept over it nor dropped), and the results are not
    // final until the exam lead decides again with it in view.
    sheet(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        Marks::Top,
        false,
        2,
    );
    let (_, marking) = osce(&["status", OSCE, "--sessions", f]);
    assert!(
        marking.contains(
            "its result decided by the exam lead (osce decide result); a third marker's sheet is being marked: once \
             it is submitted, the decision is held for review"
        ),
        "{marking}"
    );
    append(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        vec![Event::Submitted {
            score: 0.0,
            max: 0.0,
            outcome: osce::scoring::StationOutcome::Pass,
        }],
    );
    let (code, later) = osce(&["status", OSCE, "--sessions", f]);
    assert_ne!(code, 0, "{later}");
    assert!(
        later.contains(
            "its result decided by the exam lead (osce decide result) before the third marker's sheet (E03@lap3) \
             came: held for review until the exam lead decides again"
        ),
        "{later}"
    );
    assert!(!later.contains("settled by the third marker's sheet"), "{later}");
    assert!(
        later.contains(
            "the exam lead decided its result (FAIL) before the third marker's sheet (E03@lap3) came"
        ),
        "{later}"
    );
    // The command is offered, the result the three sheets give first.
    assert!(
        later.contains(" --candidate C001 --station shoulder --pass --by NAME"),
        "{later}"
    );
    let (_, row, said) = shoulder();
    assert_eq!(row[at("final_result")], "INCOMPLETE", "{said}");
    // The same decision again, now over the three sheets, settles it.
    let (code, out) = decide_fail();
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("Already decided"), "{out}");
    let (_, settled) = osce(&["status", OSCE, "--sessions", f]);
    assert!(!settled.contains("held for review"), "{settled}");
    assert!(
        settled.contains(
            "its result decided by the exam lead (osce decide result), the third marker's sheet in view"
        ),
        "{settled}"
    );
    let (_, row, said) = shoulder();
    assert_eq!(row[at("final_result")], "FAIL", "{said}");
}

/// A candidate recorded absent at every station of an exam passed on the
/// share of items met: the reasons say nothing was marked, never "0 of 0
/// items met (100%)".
#[test]
fn a_candidate_absent_everywhere_is_not_said_to_meet_every_item() {
    let d = Dir::new("absent-everywhere");
    let folder = d.sub("s");
    candidate(&folder, PRACTICAL, "C002", "E01@lap", Marks::Top);
    for st in common::rubric(PRACTICAL).scored_stations() {
        recorded_absent(&folder, PRACTICAL, &st.id, "C001", "E01@lap");
    }
    let out = d.0.join("out");
    osce(&["export", PRACTICAL, "--sessions", s(&folder), "--out", s(&out)]);
    let rows = rows(&out.join("results.csv"));
    let c001 = rows.iter().find(|r| r[0] == "C001").expect("C001");
    let reasons = &c001[col(&rows, "reasons")];
    assert!(
        !reasons.contains("0 of 0") && !reasons.contains("(100%)"),
        "{reasons}"
    );
    assert!(
        reasons.contains("no non-critical items marked; 80% required"),
        "{reasons}"
    );
}

/// A candidate absent at every station of an exam with a total to reach:
/// their reasons say the absences, and no "total so far 0 of 99" (as if
/// they had been marked and scored nothing). One absent at some stations
/// and marked at others keeps their total so far.
#[test]
fn a_candidate_absent_everywhere_has_no_total_so_far() {
    let d = Dir::new("absent-everywhere-total");
    let folder = d.sub("s");
    candidate(&folder, OSCE, "C002", "E01@lap", Marks::Top);
    let scored: Vec<String> = common::rubric(OSCE)
        .scored_stations()
        .map(|s| s.id.clone())
        .collect();
    for st in &scored {
        recorded_absent(&folder, OSCE, st, "C001", "E01@lap");
    }
    for st in &scored[1..] {
        recorded_absent(&folder, OSCE, st, "C003", "E01@lap");
    }
    sheet(&folder, OSCE, &scored[0], "C003", "E01@lap", Marks::Top, true, 0);
    let out = d.0.join("out");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&out)]);
    let rows = rows(&out.join("results.csv"));
    let reasons = |c: &str| rows.iter().find(|r| r[0] == c).expect("row")[col(&rows, "reasons")].clone();
    let c001 = reasons("C001");
    assert!(!c001.contains("total"), "{c001}");
    assert!(c001.contains("absent"), "{c001}");
    assert!(reasons("C003").contains("total so far "), "{}", reasons("C003"));
}

/// Pass marks set from another cohort's sheets and adopted anyway: not
/// only the adoption warns; status, export and the report go on saying
/// so, with who set them and from how many candidates.
#[test]
fn pass_marks_set_from_other_sheets_are_said_by_every_command_after() {
    let d = Dir::new("decide-pass-marks-other");
    let (folder, other) = (d.0.join("s"), d.0.join("other"));
    simulate_forty(&folder);
    common::simulate_into(OSCE, &other, 30, 4, 99);
    let record = d.0.join("other.json");
    let (code, out) = osce(&[
        "report",
        OSCE,
        "--sessions",
        s(&other),
        "--format",
        "markdown",
        "--save-standards",
        s(&record),
        "--by",
        "Panel 2025",
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&record),
        "--by",
        "Exam lead",
        "--reason",
        "adopted",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("was set from other sheets than these"), "{out}");
    let said = "the pass marks in force were set from other sheets than these (";
    let from = "by Panel 2025, from 30 candidates; the sheets now are of 40 candidates)";
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder), "--problems"]);
    assert!(status.contains(said) && status.contains(from), "{status}");
    let (_, export) = osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&folder),
        "--out",
        s(&d.0.join("out")),
    ]);
    assert!(export.contains(said) && export.contains(from), "{export}");
    let (_, report) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    assert!(
        report.contains("set by Panel 2025 from 30 candidates"),
        "{report}"
    );
    let flags = report.split("## Flags").nth(1).expect("the flags");
    assert!(flags.contains(said) && flags.contains(from), "{report}");
    // Set from these sheets: nothing said.
    let own = d.0.join("own.json");
    osce(&[
        "report",
        OSCE,
        "--sessions",
        s(&folder),
        "--format",
        "markdown",
        "--save-standards",
        s(&own),
        "--by",
        "Panel 2026",
    ]);
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&own),
        "--by",
        "Exam lead",
        "--reason",
        "set from these",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(!status.contains("set from other sheets"), "{status}");
    // An examiner opens a sheet to amend it and does not submit it again:
    // the sheet as last submitted counts, the one the pass marks were set
    // from. Nothing is said of them until the amendment is in.
    let r = common::rubric(OSCE);
    let cohort = osce::results::gather::gather(&r, &common::hash(OSCE), std::slice::from_ref(&folder))
        .expect("gather");
    let k = &cohort.sheets[0].key;
    let amend = |events| {
        common::append(
            &folder,
            OSCE,
            &k.station,
            &k.candidate,
            &format!("{}@{}", k.examiner, k.device),
            events,
        )
    };
    amend(vec![Event::AmendStarted {
        reason: "a slip".into(),
    }]);
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(status.contains("being amended"), "{status}");
    assert!(!status.contains("set from other sheets"), "{status}");
    amend(vec![Event::Submitted {
        score: 0.0,
        max: 0.0,
        outcome: osce::scoring::StationOutcome::Pass,
    }]);
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert!(
        status.contains(
            "from 40 candidates, as many as now): a sheet submitted, amended, added or set aside since"
        ),
        "the same count is not said as if it differed: {status}"
    );
}

/// Before pass marks are adopted, results.csv's `provisional` says the SEM
/// is still to be added, without promising the cut only rises: the
/// standard-set pass marks it sums may lower it more.
#[test]
fn a_provisional_cut_is_not_promised_to_rise() {
    let d = Dir::new("provisional-cut");
    let folder = d.0.join("s");
    common::simulate_into(OSCE, &folder, 8, 4, 3);
    let out = d.0.join("out");
    osce(&["export", OSCE, "--sessions", s(&folder), "--out", s(&out)]);
    let rows = rows(&out.join("results.csv"));
    let provisional = &rows[1][col(&rows, "provisional")];
    assert!(!provisional.contains("rise"), "{provisional}");
    assert!(
        provisional.contains(
            "the cut score adds 1 × SEM once standard setting supplies the SEM, and its sum of station pass marks \
             changes, up or down, with the standard-set pass marks"
        ),
        "{provisional}"
    );
}

/// Under the `Competency` overall rule an absence not yet decided leaves
/// the result INCOMPLETE, and the reason says it is the absence, naming
/// the station, not "not every item is marked yet" (which reads as the
/// examiner's items left blank).
#[test]
fn an_absence_not_yet_decided_is_named_in_the_competency_rules_reason() {
    let d = Dir::new("decide-absence-competency-open");
    let folder = d.sub("s");
    absent_at(&folder, PRACTICAL, "physics");
    let export = d.0.join("export");
    osce(&["export", PRACTICAL, "--sessions", s(&folder), "--out", s(&export)]);
    let results = rows(&export.join("results.csv"));
    let c001 = &results[1];
    let reasons = &c001[col(&results, "reasons")];
    assert_eq!(c001[col(&results, "final_result")], "INCOMPLETE", "{c001:?}");
    assert!(
        reasons.contains(
            "14 of 14 non-critical items met (100%); 80% required; absent from 'Physics discussion', not yet \
             decided (a fail, or deferred)"
        ),
        "{reasons}"
    );
    assert!(!reasons.contains("not every item is marked yet"), "{reasons}");
}

/// Paper sheets imported with a wrong copy of the rubric (the exam was
/// marked with a colleague's edited copy), then imported again with the
/// right one: the wrong-version sheet kept the results from final for
/// good. The exam lead sets it aside with `decide void`, naming its
/// journal; the results are then final, and a second void says it is in
/// force already.
#[test]
fn a_sheet_of_a_wrong_copy_of_the_rubric_is_set_aside_by_a_void() {
    let d = Dir::new("decide-void-other-version");
    let exam = d.0.join("exam.ron");
    let text = fs::read_to_string(PRACTICAL).expect("rubric");
    fs::write(
        &exam,
        text.replacen(
            "MSK Ultrasound Practical Examination",
            "MSK Ultrasound Practical Examination (June)",
            1,
        ),
    )
    .expect("edited copy");
    let exam = exam.to_str().expect("utf-8");
    let (laptops, wrong, right) = (d.sub("laptops"), d.sub("paper-wrong"), d.sub("paper-right"));
    candidate(&laptops, exam, "C001", "E01@lap1", Marks::Top);
    for st in common::rubric(exam).scored_stations() {
        if st.id != "physics" {
            sheet(&laptops, exam, &st.id, "C002", "E02@lap2", Marks::Top, true, 0);
        }
    }
    sheet(
        &wrong,
        PRACTICAL,
        "physics",
        "C002",
        "E03@paper",
        Marks::Top,
        true,
        0,
    );
    sheet(&right, exam, "physics", "C002", "E03@paper", Marks::Top, true, 0);
    common::signed_off_seeing(&laptops, &[&laptops, &right], exam, "EA1");
    let folders = [s(&laptops), s(&wrong), s(&right)];
    let status = |extra: &[&str]| {
        let mut args = vec!["status", exam, "--sessions"];
        args.extend(folders);
        args.extend(extra);
        osce(&args)
    };
    let (code, out) = status(&["--problems"]);
    assert_eq!(code, 1, "{out}");
    let void = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("decide: osce decide void "))
        .unwrap_or_else(|| panic!("the void to copy: {out}"));
    assert!(void.contains("paper-wrong"), "{void}");
    let mut args = vec!["decide", "void", exam, "--sessions"];
    args.extend(folders);
    let sheet_path = wrong.join("msk-us-practical/E03@paper/C002/physics.jsonl");
    let sheet_path = sheet_path.to_str().expect("utf-8");
    args.extend([
        "--candidate",
        "C002",
        "--station",
        "physics",
        "--sheet",
        sheet_path,
        "--by",
        "Exam lead",
        "--reason",
        "Imported with the unedited rubric by mistake; imported again with the exam's",
    ]);
    // Without the sheet imported again, the void would leave the station
    // with no sheet at all: the dry run says so, not that it changes
    // nothing.
    let alone: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != s(&right))
        .chain(["--dry-run"])
        .collect();
    let (code, said) = osce(&alone);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("C002 at physics: still INCOMPLETE (0 marks), now because no sheet for station")
            && said.contains(
                "(it was: no sheet counts yet at station 'Physics discussion' (marked against another"
            )
            && !said.contains("no candidate's result"),
        "{said}"
    );
    let (code, said) = osce(&args);
    assert_eq!(code, 0, "{said}");
    let (code, out) = status(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("another version"), "{out}");
    let (code, said) = osce(&args);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Already decided, in force"), "{said}");
}

/// Pass marks adopted after a sheet was amended: the warning names the
/// sheets submitted since the record was set, so that the board can judge
/// whether the change touches the pass marks; an amended one with its
/// score then and now, and that it crosses the record's pass mark: a
/// station result turned around since (it was only "submitted since").
#[test]
fn pass_marks_set_before_an_amendment_name_the_sheet_amended_since() {
    let d = Dir::new("decide-pass-marks-amended-since");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let record = d.0.join("record.json");
    let (code, out) = osce(&[
        "report",
        OSCE,
        "--sessions",
        s(&folder),
        "--format",
        "markdown",
        "--save-standards",
        s(&record),
        "--by",
        "Panel",
    ]);
    assert_eq!(code, 0, "{out}");
    // Set before the amendment below (made at the test clock's time).
    let text = fs::read_to_string(&record).expect("record");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["time"] = serde_json::Value::String("2026-11-01T00:00:00Z".into());
    fs::write(&record, serde_json::to_string_pretty(&json).expect("json")).expect("write");
    let journal = common::journals(&folder)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("/knee.jsonl"))
        .expect("a knee sheet");
    let candidate = journal
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .expect("candidate");
    let who = journal
        .parent()
        .and_then(|p| p.parent())
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .expect("examiner@device");
    // Its score then, and the record's pass mark; the amendment marks
    // every item but the critical ones at the bottom, taking the score
    // below the pass mark.
    let read = |journal: &Path| {
        let records = osce::store::read_sheet(journal).expect("sheet").records;
        osce::store::SheetState::replay(&records)
    };
    let then = read(&journal).submitted.expect("submitted");
    let pass_mark = json["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .find(|st| st["station"] == "knee")
        .and_then(|st| st["pass_mark"].as_f64())
        .expect("knee's pass mark");
    let r = common::rubric(OSCE);
    let knee = r.station("knee").expect("knee");
    let mut events = vec![Event::AmendStarted {
        reason: "wrong item".into(),
    }];
    for item in knee
        .items
        .iter()
        .filter(|i| i.critical == osce::rubric::Critical::No)
    {
        let scale = r.scale(item.scale);
        events.push(Event::Mark {
            item: item.id.clone(),
            level: Some(0),
            label: scale.levels[0].label.clone(),
            late: false,
        });
    }
    append(&folder, OSCE, "knee", &candidate, &who, events);
    let submitted = read(&journal).submission(&r, knee).expect("scored");
    append(&folder, OSCE, "knee", &candidate, &who, vec![submitted]);
    let now = read(&journal).submitted.expect("submitted again");
    assert!(
        then.score >= pass_mark && now.score < pass_mark,
        "the amendment crosses the pass mark {pass_mark}: {then:?} {now:?}"
    );
    let (code, out) = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        s(&folder),
        "--record",
        s(&record),
        "--by",
        "Exam lead",
        "--reason",
        "adopted",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, status) = osce(&["status", OSCE, "--sessions", s(&folder), "--problems"]);
    let fmt = osce::scoring::fmt_marks;
    assert!(
        status.contains(&format!(
            "submitted or amended since it was set: {candidate} at knee (amended: {} → {} of {}, across its pass \
             mark {}))",
            fmt(then.score),
            fmt(now.score),
            fmt(then.max),
            fmt(pass_mark)
        )),
        "{status}"
    );
    // The report's brief for the exam board says it whole: not cut at the
    // colon of the time the record was set ("(2026-11-01 00.").
    let (_, report) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    let brief = report
        .lines()
        .find(|l| l.starts_with("- About the whole exam: "))
        .unwrap_or_else(|| panic!("the brief's line about the whole exam in {report}"));
    assert!(
        brief.contains(
            "the pass marks in force were set from other sheets than these (2026-11-01 00:00 UTC by Panel"
        ) && brief.contains(&format!(
            "across its pass mark {}))",
            osce::scoring::fmt_marks(pass_mark)
        )),
        "{brief}"
    );
}

/// The quality report counts the examiners' marks, before the exam lead's
/// decisions: an absence decided is not said to be "not yet decided" in
/// its reasons for incomplete results.
#[test]
fn the_report_does_not_call_a_decided_absence_undecided() {
    let d = Dir::new("decide-absence-report");
    let folder = d.0.join("s");
    simulate_forty(&folder);
    let (code, out) = osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        s(&folder),
        "--candidate",
        "SIM00036",
        "--station",
        "physics",
        "--deferred",
        "--by",
        "Exam lead",
        "--reason",
        "illness, certificate seen",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, report) = osce(&["report", OSCE, "--sessions", s(&folder), "--format", "markdown"]);
    let why = report
        .split("Why candidates are incomplete")
        .nth(1)
        .unwrap_or_else(|| panic!("{report}"));
    assert!(!why.contains("not yet decided"), "{why}");
    assert!(
        why.contains("absent from 'Physics and knobology' (the exam lead's decision, a fail or deferred, not counted here)"),
        "{why}"
    );
}

/// Pass marks the quality report has a concern about (a borderline
/// regression line extrapolated, no candidate graded borderline) are saved
/// with a warning and the concern kept in the record, and said again to
/// the one who adopts them; a station the board keeps at its provisional
/// pass mark has none.
#[test]
fn pass_marks_saved_with_a_concern_say_so_when_saved_and_when_adopted() {
    let d = Dir::new("decide-concerns");
    let folder = d.0.join("s");
    common::simulate_into(OSCE, &folder, 12, 6, 2);
    let save = |record: &Path, extra: &[&str]| {
        let out = record.with_extension("report");
        let mut args = vec![
            "report",
            OSCE,
            "--sessions",
            s(&folder),
            "--format",
            "csv",
            "--out",
            s(&out),
            "--save-standards",
            s(record),
            "--by",
            "Standard-setting panel",
        ];
        args.extend(extra);
        osce(&args)
    };
    let record = d.0.join("standards.json");
    let (code, out) = save(&record, &[]);
    assert!(matches!(code, 0 | 1), "{out}");
    assert!(
        out.contains(
            "  warning: shoulder: no candidate was graded borderline: the borderline regression pass mark"
        ) && out.contains(
            "warning: the report has 1 concern about the pass marks saved (above), kept in the record"
        ),
        "{out}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&record).expect("record")).expect("JSON");
    let concerns = saved["concerns"].as_array().expect("concerns");
    assert_eq!(concerns.len(), 1, "{saved}");
    assert!(
        concerns[0]
            .as_str()
            .is_some_and(|c| c.starts_with("shoulder: no candidate was graded borderline"))
    );
    let (code, out) = adopting(&folder, &record, &["--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("standards.json was saved with 1 concern the quality report had about its pass marks:")
            && out.contains("  shoulder: no candidate was graded borderline"),
        "{out}"
    );
    // Kept at its provisional pass mark: no concern.
    let kept = d.0.join("kept.json");
    let (_, out) = save(&kept, &["--station-method", "shoulder=provisional"]);
    assert!(!out.contains("warning: the report has"), "{out}");
    assert!(!fs::read_to_string(&kept).expect("record").contains("concerns"));
}

/// An absence decided a fail, then the candidate deferred at another
/// station (a certificate seen later): the deferral takes the sitting's
/// result away, so the fail counts for nothing. stations.csv no longer
/// gives the station a FAIL, the reasons do not count the absence as one,
/// and status says the earlier decision is set aside.
#[test]
fn a_deferral_after_an_absence_decided_a_fail_sets_the_fail_aside() {
    let d = Dir::new("decide-deferral-after-fail");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    recorded_absent(&folder, OSCE, "shoulder", "C001", "E01@lap");
    let f = s(&folder);
    let (code, out) = c001_absence(f, "shoulder", "--fail", "No mitigation offered");
    assert_eq!(code, 0, "{out}");
    let (code, out) = c001_absence(f, "knee", "--deferred", "Sick note arrived later");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C001 at shoulder: FAIL (0 marks) → ABSENT"), "{out}");
    let (_, said) = osce(&["status", OSCE, "--sessions", f]);
    assert!(
        said.contains(
            "set aside: C001 is deferred (no result at this sitting), so the absence counts as nothing"
        ),
        "{said}"
    );
    let out_dir = d.0.join("out");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&out_dir)]);
    let stations = rows(&out_dir.join("stations.csv"));
    let (station, result, note) = (
        col(&stations, "station_id"),
        col(&stations, "final_result"),
        col(&stations, "note"),
    );
    let shoulder = stations
        .iter()
        .find(|r| r[0] == "C001" && r[station] == "shoulder")
        .expect("shoulder");
    assert_eq!(shoulder[result], "ABSENT", "{shoulder:?}");
    assert!(
        shoulder[note].contains("set aside: the candidate is deferred"),
        "{shoulder:?}"
    );
    let results = rows(&out_dir.join("results.csv"));
    let reasons = col(&results, "reasons");
    assert_eq!(results[1][col(&results, "final_result")], "DEFERRED");
    assert!(
        !results[1][reasons].contains("counts as a fail"),
        "{:?}",
        results[1]
    );
}

/// An assessor agreed with a station that had no result yet (an item left
/// unmarked); the exam lead's ruling on the item then gave it one. That
/// agreement was counted as agreeing with a result the assessor never
/// saw (stations.csv "agreed", the result final). It is held for review
/// now, said as such, and settled like any other held station.
#[test]
fn an_agreement_with_a_station_that_had_no_result_is_reviewed_once_a_ruling_gives_it_one() {
    let d = Dir::new("decide-agreed-incomplete");
    let folder = d.0.join("s");
    let f = s(&folder);
    simulate_forty(&folder);
    let (_, out) = osce(&["status", OSCE, "--sessions", f]);
    // "  C001 at physics: item doppler on E01@lap's sheet; …"
    let line = out
        .split("Items left unmarked on submitted sheets")
        .nth(1)
        .and_then(|rest| rest.lines().nth(1))
        .unwrap_or_else(|| panic!("an item left unmarked: {out}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let (candidate, station, item) = (words[0], words[2].trim_end_matches(':'), words[4]);
    let sheet = words[6].trim_end_matches("'s");
    agreed(&folder, candidate, station, "INCOMPLETE");
    let ruling = d.0.join("lead");
    let (code, said) = osce(&[
        "decide",
        "unmarked",
        OSCE,
        "--sessions",
        f,
        "--into",
        s(&ruling),
        "--candidate",
        candidate,
        "--station",
        station,
        "--sheet",
        sheet,
        "--item",
        item,
        "--level",
        "Done",
        "--by",
        "Exam lead",
        "--reason",
        "Seen done on the recording",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, out) = osce(&["status", OSCE, "--sessions", f, s(&ruling)]);
    assert!(
        out.contains("EA1 moderated it when it had no result yet; the marks give")
            && out.contains("the decision must be reviewed"),
        "{out}"
    );
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", f, s(&ruling), "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let row = stations
        .iter()
        .find(|r| r[0] == candidate && r[1] == station)
        .expect("row");
    let (result, fin) = (col(&stations, "result"), col(&stations, "final_result"));
    assert!(matches!(row[result].as_str(), "PASS" | "FAIL"), "{row:?}");
    assert_eq!(row[fin], "INCOMPLETE", "held for review: {row:?}");
    let results = rows(&export.join("results.csv"));
    let status = col(&results, "moderation_status");
    let theirs = results.iter().find(|r| r[0] == candidate).expect("their row");
    assert!(
        theirs[status].contains("1 station to review: the marks give another result than when moderated"),
        "{theirs:?}"
    );

    let (code, said) = osce(&[
        "decide",
        "held",
        OSCE,
        "--sessions",
        f,
        s(&ruling),
        "--into",
        s(&ruling),
        "--by",
        "Exam lead",
        "--reason",
        "the ruling decides",
    ]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("1 station held for review"), "{said}");
    let (_, out) = osce(&["status", OSCE, "--sessions", f, s(&ruling)]);
    assert!(!out.contains("must be reviewed"), "{out}");
    let settled = d.0.join("settled");
    osce(&["export", OSCE, "--sessions", f, s(&ruling), "--out", s(&settled)]);
    let stations = rows(&settled.join("stations.csv"));
    let row = stations
        .iter()
        .find(|r| r[0] == candidate && r[1] == station)
        .expect("row");
    assert_eq!(row[fin], row[result], "settled with what the marks give: {row:?}");
}

/// A rubric whose words were corrected on some laptops (an item's text)
/// is another version: its sheets are set aside until the exam lead
/// decides they count, at the stations it marks alike. Every command then
/// reads them, from the folders and from the archive alike; a station the
/// two versions mark otherwise stays set aside.
#[test]
fn sheets_of_a_copy_corrected_in_its_words_count_by_a_decision() {
    let d = Dir::new("decide-rubric-version");
    let text = fs::read_to_string(PRACTICAL).expect("rubric");
    let write = |name: &str, text: String| {
        let path = d.0.join(name);
        fs::write(&path, text).expect("copy");
        path.to_str().expect("utf-8").to_string()
    };
    let exam = write("exam.ron", text.clone());
    let corrected = write(
        "corrected.ron",
        text.replacen(
            "No gross misidentification of anatomy",
            "No gross misidentification of the anatomy",
            1,
        ),
    );
    // The infection-control item of the upper limb made not critical: that
    // station marks otherwise.
    let infection = "cleaned before and after\", scale: \"competent\", critical: FailsAssessment";
    let changed = write(
        "changed.ron",
        text.replacen(infection, "cleaned before and after\", scale: \"competent\"", 1),
    );
    let (exam, corrected, changed) = (exam.as_str(), corrected.as_str(), changed.as_str());
    let (lap1, lap2, lap3) = (d.sub("lap1"), d.sub("lap2"), d.sub("lap3"));
    for c in ["C001", "C002"] {
        sheet(&lap1, exam, "upper-limb", c, "E01@lap1", Marks::Top, true, 0);
        sheet(&lap1, exam, "physics", c, "E03@lap1", Marks::Top, true, 0);
        sheet(&lap2, corrected, "lower-limb", c, "E02@lap2", Marks::Top, true, 0);
    }
    let folders = [s(&lap1), s(&lap2)];
    let run = |args: &[&str], sessions: &[&str], extra: &[&str]| {
        let mut all = args.to_vec();
        all.push("--sessions");
        all.extend(sessions);
        all.extend(extra);
        osce(&all)
    };
    let (code, out) = run(&["status", exam], &folders, &["--problems"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2 sheets marked against identity")
            && out.contains("decide: osce decide rubric-version")
            && out.contains("--marked-with FILE.ron")
            && !out.contains("No sheet needs action")
            && out.contains("No other sheet needs action."),
        "{out}"
    );
    // C003's lower limb marked with the corrected copy, then again with the
    // exam's, and the first voided, as status advises: it stays void once
    // that copy's sheets count.
    for station in ["upper-limb", "physics"] {
        sheet(&lap1, exam, station, "C003", "E01@lap1", Marks::Top, true, 0);
    }
    let voided = sheet(
        &lap2,
        corrected,
        "lower-limb",
        "C003",
        "E02@lap2",
        Marks::Top,
        true,
        0,
    );
    sheet(&lap1, exam, "lower-limb", "C003", "E05@lap1", Marks::Top, true, 0);
    let (code, out) = run(
        &["decide", "void", exam],
        &folders,
        &[
            "--candidate",
            "C003",
            "--station",
            "lower-limb",
            "--sheet",
            s(&voided),
            "--by",
            "Exam lead",
            "--reason",
            "marked again with the exam's rubric",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let recorded: Vec<Vec<u8>> = decision_files(&d.0)
        .iter()
        .map(|f| fs::read(f).expect("journal"))
        .collect();
    let decide = ["decide", "rubric-version", exam];
    let who = [
        "--by",
        "Exam lead",
        "--reason",
        "the copy on lap2 only corrected an item's words",
    ];
    // The placeholder pasted as it is: said, nothing recorded.
    let (code, out) = run(
        &decide,
        &folders,
        &[&["--marked-with", "FILE.ron"][..], &who].concat(),
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--marked-with FILE.ron (the rubric file the other laptops marked with)"),
        "{out}"
    );
    // A dry run: what it counts and changes, nothing recorded.
    let (code, out) = run(
        &decide,
        &folders,
        &[&["--marked-with", corrected][..], &who, &["--dry-run"]].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("count at stations upper-limb, lower-limb, physics, marked alike in both")
            && out.contains("2 sheets of that version come in; none stays set aside")
            && out.contains("C001 at lower-limb: INCOMPLETE (0 marks) → PASS"),
        "{out}"
    );
    // The words that differ, for the exam lead to judge: a criterion made
    // stricter in its words is not a typo.
    assert!(
        out.contains(
            "upper-limb: counted; its words differ (check that none asks more of the candidate than the version \
             marked with):\n    item \"anatomy\": \"No gross misidentification of the anatomy\" there, \"No gross \
             misidentification of anatomy\" here"
        ),
        "{out}"
    );
    let journal = |files: Vec<PathBuf>| {
        files
            .iter()
            .map(|f| fs::read(f).expect("journal"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        journal(decision_files(&d.0)),
        recorded,
        "a dry run records nothing"
    );
    // The wrong file given: this rubric itself, another exam's, a version
    // no sheet was marked with.
    for (file, says) in [
        (exam, "is this rubric"),
        (OSCE, "is the rubric of assessment"),
        (changed, "no sheet was marked against it"),
    ] {
        let (code, out) = run(&decide, &folders, &[&["--marked-with", file][..], &who].concat());
        assert_eq!(code, 1, "{file}: {out}");
        assert!(
            out.contains(says) && out.contains("Nothing was recorded"),
            "{file}: {out}"
        );
    }
    let (code, out) = run(
        &decide,
        &folders,
        &[&["--marked-with", corrected][..], &who].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(decision_files(&d.0).len(), 1, "{out}");
    // Every command reads them now; the void holds.
    let (_, out) = run(&["status", exam], &folders, &[]);
    assert!(
        !out.contains("marked against another version")
            && out.contains("0 INCOMPLETE")
            && !out.contains("a decision no longer holds")
            && !out.contains("CONFLICT"),
        "{out}"
    );
    let (code, out) = run(&["audit", exam], &folders, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("marked against another version of the rubric, counted as this one by decision")
            && !out.contains("leave it out"),
        "{out}"
    );
    let (code, out) = run(
        &["export", exam],
        &folders,
        &["--out", s(&d.0.join("from-folders"))],
    );
    assert!(code == 0 || code == 1, "{out}");
    let results = rows(&d.0.join("from-folders/results.csv"));
    let result = col(&results, "result");
    assert!(results[1..].iter().all(|r| r[result] == "PASS"), "{results:?}");
    // Each station a sheet of that version counts at says so.
    let stations = rows(&d.0.join("from-folders/stations.csv"));
    let note = col(&stations, "note");
    let said: Vec<(&str, &str)> = stations[1..]
        .iter()
        .filter(|r| r[note].contains("was marked against the rubric's version"))
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        said,
        [("C001", "lower-limb"), ("C002", "lower-limb")],
        "{stations:?}"
    );
    // From the archive, the same files byte for byte.
    let archive = d.0.join("exam.osce");
    let (code, out) = osce(&["collect", s(&archive), s(&lap1), s(&lap2), "--rubric", exam]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("not used"),
        "the sheets counted are read as counted: {out}"
    );
    for _ in 0..2 {
        // The second reads the readings the first kept.
        let out_dir = d.0.join("from-archive");
        let _ = fs::remove_dir_all(&out_dir);
        let (code, out) = osce(&["export", exam, "--archive", s(&archive), "--out", s(&out_dir)]);
        assert!(code == 0 || code == 1, "{out}");
        for file in ["results.csv", "stations.csv", "items.csv", "marks.csv"] {
            assert_eq!(
                fs::read(out_dir.join(file)).expect("exported"),
                fs::read(d.0.join("from-folders").join(file)).expect("exported"),
                "{file}"
            );
        }
    }
    // A version that marks the upper limb otherwise: its sheets there stay
    // set aside, the others count.
    sheet(
        &lap3,
        changed,
        "upper-limb",
        "C004",
        "E04@lap3",
        Marks::Top,
        true,
        0,
    );
    sheet(
        &lap3,
        changed,
        "lower-limb",
        "C004",
        "E04@lap3",
        Marks::Top,
        true,
        0,
    );
    let three = [s(&lap1), s(&lap2), s(&lap3)];
    let (code, out) = run(
        &decide,
        &three,
        &[&["--marked-with", changed][..], &who, &["--dry-run"]].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("count at stations lower-limb, physics, marked alike in both")
            && out.contains("1 sheet of that version comes in; 1 sheet (at stations marked otherwise) stays set aside")
            && out.contains("upper-limb: not counted, as the two versions mark it otherwise (item \"infection\" differs in whether it is critical)")
            && out.contains("C004 at lower-limb: INCOMPLETE (0 marks) → PASS"),
        "{out}"
    );
    let (code, out) = run(&decide, &three, &[&["--marked-with", changed][..], &who].concat());
    assert_eq!(code, 0, "{out}");
    // What is left of that version is said as such: at the station the
    // decision does not count, to mark again; not the advice to decide.
    let (_, out) = run(&["status", exam], &three, &["--problems"]);
    assert!(
        out.contains(
            " at station upper-limb, which the exam lead's decision \
             (osce decide rubric-version) does not count, the two versions marking it otherwise. Each is marked \
             again against this rubric, and the sheet of the other version set aside with osce decide void"
        ) && !out.contains("count by osce decide rubric-version"),
        "{out}"
    );
}

/// A candidate absent at two stations and deferred at one: the deferral
/// settles both, and stations.csv says so at the other, where its
/// `decisions` cell was empty beside `ABSENT` and the reader could not
/// see why the absence needed no decision of its own.
#[test]
fn the_stations_a_deferral_settles_say_so_in_stations_csv() {
    let d = Dir::new("deferral-settles");
    let folder = d.sub("s");
    absent_at_the_knee(&folder);
    let key = common::sheet_key(OSCE, "elbow", "C001", "E01@lap");
    fs::remove_file(Store::new(&folder).sheet_path(&key).expect("path")).expect("remove");
    recorded_absent(&folder, OSCE, "elbow", "C001", "E01@lap");
    let f = s(&folder);
    let (code, out) = osce(&[
        "decide",
        "absence",
        OSCE,
        "--sessions",
        f,
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--deferred",
        "--by",
        "Exam board",
        "--reason",
        "GP note received",
    ]);
    assert_eq!(code, 0, "{out}");
    let export = d.0.join("export");
    osce(&["export", OSCE, "--sessions", f, "--out", s(&export)]);
    let stations = rows(&export.join("stations.csv"));
    let (station, decisions) = (col(&stations, "station_id"), col(&stations, "decisions"));
    let row = |id: &str| {
        stations
            .iter()
            .find(|r| r[0] == "C001" && r[station] == id)
            .expect(id)
    };
    assert!(
        row("knee")[decisions].starts_with("the absence is deferred"),
        "{:?}",
        row("knee")
    );
    let elbow = &row("elbow")[decisions];
    assert!(
        elbow.starts_with(
            "the candidate is deferred, which settles this absence too: station 'Knee': the absence is deferred"
        )
            && elbow.contains("(by Exam board, ")
            && elbow.contains(": GP note received)"),
        "{elbow}"
    );
    // A station marked is not said to be settled by it.
    assert_eq!(row("ankle")[decisions], "", "{:?}", row("ankle"));
}
