//! `osce status` against session folders written through the real store.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use chrono::{DateTime, TimeZone, Utc};
use osce::results::gather::{CellState, gather, matrix};
use osce::rubric::load;
use osce::store::{ConcernKind, Event, SheetKey, Store, hash_rubric};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("osce-status-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    fn sub(&self, name: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(&p).expect("sub dir");
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";
const FCA: &str = "rubrics/msk-final-clinical-assessment.ron";

fn t() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time")
}

fn hash(rubric: &str) -> String {
    hash_rubric(&std::fs::read_to_string(rubric).expect("rubric"))
}

/// Writes one sheet: every item at the top level, a global rating, and
/// (if `submit`) a submission.
fn write_sheet(
    folder: &Path,
    rubric_path: &str,
    station: &str,
    candidate: &str,
    who: &str,
    submit: bool,
    extra: Vec<Event>,
) {
    let (rubric, _) = load(Path::new(rubric_path)).expect("valid");
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    let key = SheetKey {
        assessment: rubric.id.clone(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: device.into(),
    };
    let (mut journal, _) = Store::new(folder)
        .open_sheet(&key, &hash(rubric_path))
        .expect("open");
    journal
        .append(
            Event::Confirmed {
                candidate_name: format!("Name of {candidate}"),
            },
            t(),
        )
        .expect("append");
    let st = rubric.station(station).expect("station");
    for item in &st.items {
        let scale = rubric.scale(item.scale);
        let level = scale.levels.len() - 1;
        journal
            .append(
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(level),
                    label: scale.levels[level].label.clone(),
                    late: false,
                },
                t(),
            )
            .expect("append");
    }
    if let Some(g) = &st.global_rating {
        let scale = rubric.scale(g.scale);
        let level = scale.levels.len() - 1;
        journal
            .append(
                Event::GlobalRating {
                    level,
                    label: scale.levels[level].label.clone(),
                    late: false,
                },
                t(),
            )
            .expect("append");
    }
    for e in extra {
        journal.append(e, t()).expect("append");
    }
    if submit {
        journal
            .append(common::submitted(&journal, rubric_path), t())
            .expect("append");
    }
}

fn all_stations(rubric_path: &str) -> Vec<String> {
    let (r, _) = load(Path::new(rubric_path)).expect("valid");
    r.scored_stations().map(|s| s.id.clone()).collect()
}

fn status(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .arg("status")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn complete_cohort_exits_zero_and_folders_combine_in_any_order() {
    let d = Dir::new();
    let (a, b) = (d.sub("laptop-a"), d.sub("laptop-b"));
    for (i, station) in all_stations(OSCE).iter().enumerate() {
        let folder = if i % 2 == 0 { &a } else { &b };
        for candidate in ["C001", "C002"] {
            write_sheet(
                folder,
                OSCE,
                station,
                candidate,
                &format!("E{i}@lap"),
                true,
                vec![],
            );
        }
    }
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
    ]);
    // Every sheet is in, but the rubric asks for a moderated sample.
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("12 sheets expected: 12 submitted."), "{out}");
    assert!(out.contains("Every expected sheet is in."), "{out}");
    assert!(
        out.contains(
            "Not final yet:\n  - the rubric requires moderation, and no assessor's decisions were found ("
        ) && out.contains("or collect it into the archive: osce collect ARCHIVE FOLDER)"),
        "{out}"
    );
    common::signed_off(&b, OSCE, "EA1");
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
    ]);
    // Moderated, but the rubric standard-sets its stations: every result
    // says its pass marks are provisional, so none is final until the
    // board adopts pass marks (here, keeping the provisional ones).
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "Not final yet:\n  - no pass marks have been adopted: the rubric standard-sets 6 stations and its cut \
             score adds the SEM, so every result is provisional until the exam board adopts them (osce report \
             --save-standards FILE, then osce decide pass-marks --record FILE;"
        ),
        "{out}"
    );
    common::adopt_pass_marks(&[&a, &b], OSCE);
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Every result is final."), "{out}");
    let (_, reversed) = status(&[
        OSCE,
        "--sessions",
        b.to_str().expect("utf-8"),
        a.to_str().expect("utf-8"),
    ]);
    assert_eq!(out, reversed, "the folder order does not change the report");
    // A third laptop's folder named a level too high: its sheets are not
    // read, so the results cannot be called final, by status nor export.
    let c = d.sub("laptop-c");
    write_sheet(
        &c.join("sessions"),
        OSCE,
        "shoulder",
        "C003",
        "E09@lap",
        true,
        vec![],
    );
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
        c.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "Not final yet:\n  - 1 folder named was not read (\"Not read\" says which, and the folder to give \
             instead): the sheets there are not counted"
        ),
        "{out}"
    );
    assert!(!out.contains("Every result is final."), "{out}");
    let out_dir = d.sub("out");
    let export = Command::cargo_bin("osce")
        .expect("binary")
        .args([
            "export",
            OSCE,
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--sessions",
        ])
        .args([&a, &b, &c])
        .output()
        .expect("runs");
    let said =
        String::from_utf8_lossy(&export.stderr).into_owned() + &String::from_utf8_lossy(&export.stdout);
    assert_eq!(export.status.code(), Some(1), "{said}");
    assert!(said.contains("1 folder named was not read"), "{said}");
    // A candidate's sheets come in after the board adopted the pass marks:
    // adopted over other sheets than these, so not final until the board
    // adopts again (the same record, here).
    for station in all_stations(OSCE) {
        write_sheet(&a, OSCE, &station, "C003", "E1@lap", true, vec![]);
    }
    let both = [a.to_str().expect("utf-8"), b.to_str().expect("utf-8")];
    let changed = "sheets were submitted, amended or added after the pass marks in force were adopted (";
    let (code, out) = status(&[OSCE, "--sessions", both[0], both[1]]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(changed), "{out}");
    let record = a.with_extension("standards.json");
    let (code, said) = common::run_osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        both[0],
        both[1],
        "--record",
        record.to_str().expect("utf-8"),
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, out) = status(&[OSCE, "--sessions", both[0], both[1]]);
    assert!(!out.contains(changed), "{out}");
}

#[test]
fn roster_candidates_without_sheets_are_missing_and_exit_is_one() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    write_sheet(&a, OSCE, "knee", "C001", "E02@lap", false, vec![]);
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        "rubrics/msk-ultrasound-osce.roster.csv",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("84 sheets expected: 82 missing, 1 in progress, 1 submitted."),
        "{out}"
    );
    assert!(out.contains("Siobhán Ní Bhriain"), "{out}");
}

#[test]
fn the_same_sheet_on_two_devices_is_a_conflict_not_settled_by_clocks() {
    let d = Dir::new();
    let (a, b) = (d.sub("a"), d.sub("b"));
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@laptop-1", true, vec![]);
    write_sheet(&b, OSCE, "shoulder", "C001", "E01@laptop-2", true, vec![]);
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("CONFLICT"), "{out}");
    assert!(
        out.contains(
            "C001 at shoulder: the same sheet was marked by examiner E01 on devices laptop-1 and laptop-2"
        ),
        "{out}"
    );
}

#[test]
fn two_examiners_are_double_marking_where_the_rubric_allows_it_and_a_conflict_where_not() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, FCA, "case-1", "C001", "internal@lap", true, vec![]);
    write_sheet(&a, FCA, "case-1", "C001", "external@tab", false, vec![]);
    let (r, _) = load(Path::new(FCA)).expect("valid");
    let cohort = gather(&r, &hash(FCA), std::slice::from_ref(&a)).expect("gather");
    let m = matrix(&r, &cohort, None);
    let cell = m.cell("C001", "case-1").expect("cell");
    assert!(cell.double_marked);
    // As far as the least advanced of the two sheets.
    assert_eq!(cell.state, CellState::InProgress);

    // The practical exam has no double marking.
    const PRACTICAL: &str = "rubrics/msk-practical-exam.ron";
    write_sheet(&a, PRACTICAL, "physics", "C001", "E01@lap", true, vec![]);
    write_sheet(&a, PRACTICAL, "physics", "C001", "E02@lap", true, vec![]);
    let (_, out) = status(&[PRACTICAL, "--sessions", a.to_str().expect("utf-8")]);
    assert!(
        out.contains(
            "marked by 2 examiners (E01, E02) but the rubric has no double marking (if an assessor referred it to a \
             third marker, the folder holding their moderation journal is missing: name it too)"
        ),
        "{out}"
    );
}

#[test]
fn concerns_absences_amendments_and_damaged_files_are_shown() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(
        &a,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap",
        true,
        vec![Event::Concern {
            kind: ConcernKind::PatientSafety,
            note: "x".into(),
        }],
    );
    write_sheet(&a, OSCE, "knee", "C001", "E02@lap", true, vec![]);
    {
        let (r, _) = load(Path::new(OSCE)).expect("valid");
        let key = SheetKey {
            assessment: r.id.clone(),
            station: "knee".into(),
            candidate: "C001".into(),
            examiner: "E02".into(),
            device: "lap".into(),
        };
        let (mut j, _) = Store::new(&a).open_sheet(&key, &hash(OSCE)).expect("open");
        j.append(
            Event::AmendStarted {
                reason: "typo".into(),
            },
            t(),
        )
        .expect("append");
        j.append(common::submitted(&j, OSCE), t()).expect("append");
        let key = SheetKey {
            station: "ankle".into(),
            examiner: "E03".into(),
            ..key
        };
        let (mut j, _) = Store::new(&a).open_sheet(&key, &hash(OSCE)).expect("open");
        j.append(
            Event::Absent {
                reason: "unwell".into(),
            },
            t(),
        )
        .expect("append");
        j.append(common::submitted(&j, OSCE), t()).expect("append");
    }
    write_sheet(&a, OSCE, "elbow", "C001", "E04@lap", false, vec![]);
    let torn = a.join("msk-us-osce/E04@lap/C001/elbow.jsonl");
    let len = std::fs::metadata(&torn).expect("journal").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&torn)
        .expect("open")
        .set_len(len - 30)
        .expect("truncate");
    // Marks made against an edited copy of the rubric (an item's text
    // changed) are not used.
    let edited = d.0.join("edited.ron");
    std::fs::write(
        &edited,
        std::fs::read_to_string(OSCE)
            .expect("rubric")
            .replacen("text: \"", "text: \"Edited: ", 1),
    )
    .expect("write");
    write_sheet(
        &a,
        edited.to_str().expect("utf-8"),
        "physics",
        "C001",
        "E05@lap",
        true,
        vec![],
    );

    let (code, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    for expected in [
        "✓ !",
        "✓ amended",
        "; ✓ amended: submitted, then changed with who and why;",
        "absent",
        "Concerns flagged (to follow up, whatever the marks):\n  C001 Name of C001 at shoulder:\n    Patient safety (from E01): \"x\"",
        "elbow.jsonl: the end of the journal from line",
        "1 sheet was marked against another version of this rubric (a file whose content differs",
        // Each version by its identity (what `osce check --identity` prints),
        // not a "version", which the rubric's own field names.
        "\n  identity ",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(!out.contains("\n  version "), "{out}");
}

#[test]
fn bad_arguments() {
    let (code, out) = status(&[OSCE, "--sessions", "/nonexistent/sessions"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no such sessions folder"));
    // A folder named a typo away from one beside it: that one is offered;
    // not another laptop's, whose name differs in its digits alone.
    let d = Dir::new();
    let sessions = d.sub("sessions");
    d.sub("laptop-3");
    for (typed, offered) in [
        ("sesions", Some("sessions")),
        ("Sessions2", None),
        ("laptop-4", None),
    ] {
        let (code, out) = status(&[OSCE, "--sessions", d.0.join(typed).to_str().expect("utf-8")]);
        assert_eq!(code, 2, "{out}");
        match offered {
            Some(_) => assert!(
                out.contains(&format!(
                    "no such sessions folder (did you mean {}? It is a folder beside it)",
                    sessions.display()
                )),
                "{typed}: {out}"
            ),
            None => assert!(!out.contains("did you mean"), "{typed}: {out}"),
        }
    }
    // Neither the folders nor the archive: the error names both.
    for command in [
        &["status", OSCE][..],
        &["report", OSCE],
        &["decide", "list", OSCE],
    ] {
        let (code, out) = common::run_osce(command);
        assert_eq!(code, 2, "{command:?} {out}");
        assert!(
            out.contains("--sessions") && out.contains("--archive"),
            "{command:?} {out}"
        );
    }
}

#[test]
fn double_marking_agreement_and_discrepancies_are_shown() {
    let d = Dir::new();
    let a = d.sub("a");
    // Two examiners on three cases; case-3 has a 3-mark discrepancy
    // (the FCA threshold is 2 marks).
    for (case, drop) in [("case-1", 0usize), ("case-2", 1), ("case-3", 3)] {
        write_sheet(&a, FCA, case, "C001", "internal@lap", true, vec![]);
        let (r, _) = load(Path::new(FCA)).expect("valid");
        let key = SheetKey {
            assessment: r.id.clone(),
            station: case.into(),
            candidate: "C001".into(),
            examiner: "external".into(),
            device: "tab".into(),
        };
        let (mut j, _) = Store::new(&a).open_sheet(&key, &hash(FCA)).expect("open");
        let station = r.station(case).expect("case");
        for (n, item) in station.items.iter().enumerate() {
            let level = usize::from(n + drop < station.items.len());
            j.append(
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(level),
                    label: String::new(),
                    late: false,
                },
                t(),
            )
            .expect("append");
        }
        j.append(
            Event::GlobalRating {
                level: 4 - drop.min(2),
                label: String::new(),
                late: false,
            },
            t(),
        )
        .expect("append");
        j.append(common::submitted(&j, FCA), t()).expect("append");
    }
    let (_, out) = status(&[FCA, "--sessions", a.to_str().expect("utf-8")]);
    assert!(
        out.contains(
            "Double marking: 3 candidate × case cells marked by two examiners or more; the figures below compare \
             the first two markers."
        ),
        "{out}"
    );
    assert!(
        out.contains("Global ratings (entrustment), weighted kappa over 3 pairs:"),
        "{out}"
    );
    assert!(out.contains("Scores, ICC(2,1) over 3 complete pairs:"), "{out}");
    assert!(out.contains("C001 at case-3: 3 marks apart"), "{out}");
    assert!(
        !out.contains("case-2: 1 marks apart"),
        "within the threshold: {out}"
    );
}

/// `status --problems` lists only what needs action, candidate by
/// candidate; a long cohort's matrix repeats its header row.
#[test]
fn problems_lists_only_what_needs_action_and_a_long_matrix_repeats_its_header() {
    let d = Dir::new();
    let a = d.sub("a");
    let sim = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args([
            "simulate",
            OSCE,
            "--candidates",
            "150",
            "--examiners",
            "6",
            "--seed",
            "5",
            "--sessions",
        ])
        .arg(&a)
        .output()
        .expect("simulate");
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    write_sheet(&a, OSCE, "shoulder", "C900", "E01@lap", false, vec![]);
    let (code, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.matches("\ncandidate  shoulder").count(),
        6,
        "151 candidates: a header every 30 rows\n{out}"
    );
    let (code, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8"), "--problems"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("✓"), "no matrix: {out}");
    assert!(
        out.contains("\nC900 Name of C900\n  shoulder: in progress (E01@lap)\n  knee: missing\n"),
        "{out}"
    );
    assert!(out.contains("Not final yet:"), "{out}");
    let listed = out
        .lines()
        .filter(|l| l.starts_with("SIM") || l.starts_with("C9"))
        .count();
    assert!(listed < 20, "only candidates with something open: {out}");
}

/// A megabyte in one roster cell was once repeated whole in its message.
#[test]
fn an_enormous_roster_cell_is_quoted_shortly_with_its_row() {
    let d = Dir::new();
    let a = d.sub("a");
    let mega = |c: char| c.to_string().repeat(1_000_000);
    let (upper, lower, start) = (mega('A'), mega('a'), mega('s'));
    let roster = d.0.join("roster.csv");
    std::fs::write(
        &roster,
        format!(
            "candidate_id,name,circuit,start_station\nC001,Anna,{upper},{start}\nC002,Ben,{lower},\nC003,Cat,{upper},\n"
        ),
    )
    .expect("write roster");
    let roster = roster.to_str().expect("utf-8");
    let (code, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8"), "--roster", roster]);
    assert_eq!(code, 1, "{}", &out[..out.len().min(3_000)]);
    for line in out.lines() {
        assert!(
            line.len() < 2_000,
            "a message of {} bytes: {}…",
            line.len(),
            line.chars().take(300).collect::<String>()
        );
    }
    let cut = |c: char| format!("\"{}…\" (1000000 characters)", c.to_string().repeat(60));
    for (row, phrase) in [
        (2, format!("start_station: there is no station {}", cut('s'))),
        (
            3,
            format!("circuit: circuit {} differs from {} on row 2", cut('a'), cut('A')),
        ),
        (
            4,
            format!("but other candidates in circuit {} have one (row 2)", cut('A')),
        ),
    ] {
        let start = format!("{roster}: row {row}, ");
        assert!(
            out.lines().any(|l| l.starts_with(&start) && l.contains(&phrase)),
            "no message for row {row} with {phrase:?}:\n{}",
            &out[..out.len().min(3_000)]
        );
    }

    // An enormous column name in the header.
    let header = d.0.join("header.csv");
    std::fs::write(&header, format!("candidate_id,name,{upper}\nC001,Anna,\n")).expect("write roster");
    let header = header.to_str().expect("utf-8");
    let (code, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8"), "--roster", header]);
    assert_eq!(code, 1, "{}", &out[..out.len().min(3_000)]);
    assert!(out.len() < 2_000, "{}…", &out[..3_000.min(out.len())]);
    assert!(
        out.contains(&format!("{header}: row 1, "))
            && out.contains(&format!("unknown column {} in column C", cut('A'))),
        "{out}"
    );
}

/// `simulate` says how many examiners it used: each marks one station,
/// so 9 asked for at six stations is 6 (it said 9).
#[test]
fn simulate_says_how_many_examiners_it_used() {
    let dir = common::Dir::new("simulate-examiners");
    let sessions = dir.0.join("s");
    let (code, out) = common::run_osce(&[
        "simulate",
        common::OSCE,
        "--candidates",
        "60",
        "--examiners",
        "9",
        "--sessions",
        sessions.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "for 60 candidates and 6 examiners (of the 9 asked for: each marks one of the 6 scored stations)"
        ),
        "{out}"
    );
    let folders = std::fs::read_dir(sessions.join("msk-us-osce"))
        .expect("assessment")
        .count();
    assert_eq!(folders, 6);
}

/// Another exam's rubric given by mistake: status, export, report and
/// feedback each say what the folder holds instead, exit 1, and write
/// nothing (no files of empty tables).
#[test]
fn another_exams_rubric_is_refused_naming_what_is_there() {
    let d = common::Dir::new("status-other-rubric");
    let s = d.sub("s");
    common::candidate(&s, common::OSCE, "C001", "E01@lap1", common::Marks::Top);
    let f = s.to_str().expect("utf-8");
    let (code, said) = common::run_osce(&["status", common::PRACTICAL, "--sessions", f]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("holds the sheets of \"msk-us-osce\""), "{said}");
    for (command, not_done) in [
        ("export", "nothing exported"),
        ("report", "nothing to report"),
        ("feedback", "no feedback written"),
    ] {
        let out = d.0.join(command);
        let mut args = vec![command, common::PRACTICAL, "--sessions", f];
        if command != "report" {
            args.extend(["--out", out.to_str().expect("utf-8")]);
        }
        let (code, said) = common::run_osce(&args);
        assert_eq!(code, 1, "{command}: {said}");
        assert!(
            said.contains(not_done) && said.contains("holds the sheets of \"msk-us-osce\""),
            "{command}: {said}"
        );
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
}

/// Two laptops' folders, one named a level too high: its sheets show as
/// missing in the matrix and the decisions suggested name it, while the
/// folder to name instead was said only at the very end. It is said first.
#[test]
fn a_folder_not_read_is_said_before_the_matrix() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    // A conflict, so that a decision is suggested.
    write_sheet(&a, OSCE, "elbow", "C001", "E03@laptop-1", true, vec![]);
    write_sheet(&a, OSCE, "elbow", "C001", "E03@laptop-2", true, vec![]);
    let laptop = d.sub("laptop-b");
    write_sheet(
        &laptop.join("sessions"),
        OSCE,
        "knee",
        "C001",
        "E02@lap",
        true,
        vec![],
    );
    let (_, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        laptop.to_str().expect("utf-8"),
    ]);
    assert!(
        out.starts_with("Not read (no sheets of this assessment):\n"),
        "{out}"
    );
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.contains("name that folder instead")),
        "{out}"
    );
    assert!(
        out.contains("\nNot read: a folder named holds none of this assessment's sheets"),
        "{out}"
    );
    // The decision suggested reads the folders that hold the sheets: the
    // one meant in place of the laptop's, which `decide` would refuse.
    let meant = format!(
        "--sessions {} {} --candidate C001 --station elbow",
        a.display(),
        laptop.join("sessions").display()
    );
    assert!(out.contains(&meant), "{meant}: {out}");
}

/// A module leader who names the laptop's folder (which holds `sessions`)
/// or the assessment's own folder, one level too high or too low, is told
/// the folder to name instead, not that the rubric is wrong.
#[test]
fn a_folder_one_level_too_high_or_too_low_is_told_the_folder_to_name() {
    let d = Dir::new();
    let laptop = d.sub("laptop-a");
    let sessions = laptop.join("sessions");
    write_sheet(&sessions, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    let (code, out) = status(&[OSCE, "--sessions", laptop.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} holds the sessions folder {}, where the sheets of \"msk-us-osce\" are: name that folder instead \
             (--sessions {}).",
            laptop.display(),
            sessions.display(),
            sessions.display()
        )),
        "{out}"
    );
    assert!(!out.contains("check that the rubric"), "{out}");
    let own = sessions.join("msk-us-osce");
    let (code, out) = status(&[OSCE, "--sessions", own.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} is the assessment's own folder: name the sessions folder above it instead (--sessions {}).",
            own.display(),
            sessions.display()
        )),
        "{out}"
    );
    // Deeper: an examiner's folder.
    let examiner = own.join("E01@lap");
    let (code, out) = status(&[OSCE, "--sessions", examiner.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} is an examiner's folder in the assessment's: name the sessions folder two levels above it instead \
             (--sessions {}).",
            examiner.display(),
            sessions.display()
        )) && !out.contains("check that the rubric"),
        "{out}"
    );
    // An examiner's folder copied straight into a sessions folder, without
    // the assessment's folder between.
    let shared = d.sub("shared");
    std::fs::create_dir_all(&shared).expect("folder");
    let copied = std::process::Command::new("cp")
        .args([
            "-r",
            examiner.to_str().expect("utf-8"),
            shared.to_str().expect("utf-8"),
        ])
        .status()
        .expect("cp");
    assert!(copied.success());
    let (code, out) = status(&[OSCE, "--sessions", shared.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} holds examiners' or assessors' folders (E01@lap) straight in it, without the assessment's folder \
             between. If they hold journals of \"msk-us-osce\", move them into {}",
            shared.display(),
            shared.join("msk-us-osce").display()
        )),
        "{out}"
    );
    // An empty folder that only happens to bear the assessment's name is
    // not taken for the assessment's folder.
    let empty = d.sub("elsewhere").join("msk-us-osce");
    std::fs::create_dir_all(&empty).expect("folder");
    let (_, out) = status(&[OSCE, "--sessions", empty.to_str().expect("utf-8")]);
    assert!(!out.contains("is the assessment's own folder"), "{out}");
    // export says the same, and writes nothing.
    let out_dir = d.0.join("export");
    let (code, said) = common::run_osce(&[
        "export",
        OSCE,
        "--sessions",
        laptop.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("holds the sessions folder"), "{said}");
    assert!(!out_dir.exists(), "{said}");
}

/// Among several folders, one named a level too high (the second laptop's
/// folder, holding `sessions`): status says so beside the sheets it found
/// in the others, rather than only counting the second laptop's sheets
/// as not in yet; export says it too.
#[test]
fn a_wrong_folder_among_several_is_named_with_the_folder_to_give() {
    let d = Dir::new();
    let first = d.sub("laptop-a").join("sessions");
    let laptop_b = d.sub("laptop-b");
    let second = laptop_b.join("sessions");
    write_sheet(&first, OSCE, "shoulder", "C001", "E01@lap-a", true, vec![]);
    write_sheet(&second, OSCE, "knee", "C001", "E02@lap-b", true, vec![]);
    let hint = format!(
        "{} holds the sessions folder {}, where the sheets of \"msk-us-osce\" are: name that folder instead \
         (--sessions {}).",
        laptop_b.display(),
        second.display(),
        second.display()
    );
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        first.to_str().expect("utf-8"),
        laptop_b.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&hint), "{out}");
    let out_dir = d.0.join("export");
    let (_, said) = common::run_osce(&[
        "export",
        OSCE,
        "--sessions",
        first.to_str().expect("utf-8"),
        laptop_b.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(said.contains(&hint), "{said}");
    // A decision on those folders would be taken on half the sheets (and
    // recorded in the laptop's folder, which would then look like a
    // sessions folder): refused, nothing recorded.
    let (code, said) = common::run_osce(&[
        "decide",
        "result",
        OSCE,
        "--sessions",
        laptop_b.to_str().expect("utf-8"),
        first.to_str().expect("utf-8"),
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--pass",
        "--by",
        "Dr Ada Lee",
        "--reason",
        "Reviewed the recording",
    ]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains(&hint), "{said}");
    assert!(!laptop_b.join("msk-us-osce").exists(), "{said}");
}

/// A sheet marked under an id the roster does not have (a typing slip at
/// the station, or the wrong roster given) is named under --problems and
/// keeps the results from final: its mark must not go to the records
/// system under an id nobody has.
#[test]
fn a_candidate_marked_but_not_on_the_roster_is_a_problem_and_not_final() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    write_sheet(&a, OSCE, "knee", "C0O2", "E02@lap", true, vec![]);
    // The sheet confirmed "Name of C0O2": the roster's C002 has a name
    // with words in common (one wholly another's is not paired by id).
    let roster = d.sub("r").join("roster.csv");
    std::fs::write(
        &roster,
        "candidate_id,name\nC001,Aisha Rahman\nC002,Name of C002\nC003,Ann Other\n",
    )
    .expect("roster");
    let roster = roster.to_str().expect("utf-8");
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster,
        "--problems",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "Not on the roster, yet marked (1): a mistyped id on a sheet, or another exam's roster."
        ),
        "{out}"
    );
    assert!(out.contains("  C0O2 Name of C0O2: sheets at knee"), "{out}");
    assert!(
        out.contains("  - 1 candidate is marked but not on the roster (a mistyped id on a sheet"),
        "{out}"
    );
    assert!(!out.contains("No sheet needs action"), "{out}");
    // The roster's C002 has no sheet at all: the pair is named both ways,
    // as a question (here the slip was on the sheet, not the roster).
    assert!(
        out.contains(
            "    the roster's C002 Name of C002 has no sheet at all: if that is this candidate, one of the two \
             ids is mistyped: where the roster's is, correct it to C0O2 in the roster and run status again"
        ),
        "{out}"
    );
    assert!(
        out.contains("  no sheet at any station, while C0O2 (not on the roster, below) has sheets"),
        "{out}"
    );
    // The one sheet to void, filled in; once voided, C0O2 is gone (not a
    // candidate with every station missing).
    assert!(
        out.contains("--candidate C0O2 --station knee --sheet E02@lap --by NAME"),
        "{out}"
    );
    let lead = d.sub("lead");
    let (code, said) = common::run_osce(&[
        "decide",
        "void",
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--into",
        lead.to_str().expect("utf-8"),
        "--candidate",
        "C0O2",
        "--station",
        "knee",
        "--sheet",
        "E02@lap",
        "--by",
        "Dr Ada Lee",
        "--reason",
        "Marked under a mistyped id; re-marked from the recording",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        lead.to_str().expect("utf-8"),
        "--roster",
        roster,
        "--problems",
    ]);
    assert!(
        !out.contains("C0O2") && !out.contains("Not on the roster"),
        "{out}"
    );
}

/// A roster whose id for a candidate is mistyped (the laptops marked the
/// candidate under the right id): status showed one candidate missing at
/// every station and another marked but not on the roster, and offered
/// voiding the sheets, never the roster. It names the pair, by the name
/// or by an id a typo away, and once the roster is corrected, nothing of
/// it is left.
#[test]
fn a_mistyped_id_in_the_roster_is_named_beside_the_sheets_it_misses() {
    let d = Dir::new();
    let a = d.sub("a");
    for station in ["shoulder", "knee"] {
        write_sheet(&a, OSCE, station, "C001", "E01@lap", true, vec![]);
        write_sheet(&a, OSCE, station, "C0002", "E01@lap", true, vec![]);
    }
    let wrong = d.sub("r").join("wrong.csv");
    std::fs::write(
        &wrong,
        "candidate_id,name\nC001,Name of C001\nC0020,Name of C0002\nC003,Ann Other\n",
    )
    .expect("roster");
    let args = |roster: &Path, problems: bool| {
        let mut a = vec![
            OSCE.to_string(),
            "--sessions".into(),
            a.display().to_string(),
            "--roster".into(),
        ];
        a.push(roster.display().to_string());
        if problems {
            a.push("--problems".into());
        }
        a
    };
    let run = |v: Vec<String>| status(&v.iter().map(String::as_str).collect::<Vec<&str>>());
    let (code, out) = run(args(&wrong, true));
    assert_eq!(code, 1, "{out}");
    // Paired by the name the sheets confirmed, though the ids are two
    // edits apart; C003, with no sheet either and another name, is not.
    assert!(
        out.contains(
            "    the roster's C0020 Name of C0002 has no sheet at all: if that is this candidate, one of the two ids \
             is mistyped: where the roster's is, correct it to C0002 in the roster"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "  - C0002 (marked) looks like the roster's C0020 (no sheet at all): if the roster mistypes the id, \
             correct it there"
        ),
        "{out}"
    );
    assert!(!out.contains("C003 (no sheet"), "{out}");
    // The roster corrected: neither the pair nor a candidate off the roster.
    let right = d.sub("r").join("right.csv");
    std::fs::write(
        &right,
        "candidate_id,name\nC001,Name of C001\nC0002,Name of C0002\nC003,Ann Other\n",
    )
    .expect("roster");
    let (_, out) = run(args(&right, true));
    assert!(!out.contains("Not on the roster"), "{out}");
    assert!(!out.contains("looks like"), "{out}");
    assert!(!out.contains("no sheet at any station"), "{out}");
}

/// Two markers over the rubric's threshold, reconciled by a third marker
/// (the example OSCE): status says the discrepancy waits for a third
/// marker's sheet, and once it is in, that it is settled, not still "to
/// reconcile".
#[test]
fn a_discrepancy_says_whether_the_third_marker_has_settled_it() {
    let d = Dir::new();
    let folder = d.sub("s");
    common::sheet(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        0,
    );
    common::sheet(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        common::Marks::Bottom,
        true,
        1,
    );
    let f = folder.to_str().expect("utf-8");
    let (_, out) = status(&[OSCE, "--sessions", f]);
    assert!(
        out.contains("C001 at shoulder:") && out.contains("to reconcile: waiting for a third marker's sheet"),
        "{out}"
    );
    common::sheet(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        common::Marks::Top,
        true,
        2,
    );
    let (_, out) = status(&[OSCE, "--sessions", f]);
    assert!(out.contains("settled by the third marker's sheet"), "{out}");
    assert!(!out.contains("to reconcile"), "{out}");
    // Three sheets in the cell, said as three.
    let row = out.lines().find(|l| l.starts_with("C001")).expect("C001's row");
    assert!(row.contains("✓ 3×"), "{row}\n{out}");
}

/// Status says who passes and fails as things stand, the same counts as
/// results.csv's final results.
#[test]
fn status_counts_the_results_as_results_csv_gives_them() {
    let d = Dir::new();
    let folder = d.0.join("sim");
    let (code, said) = common::run_osce(&[
        "simulate",
        OSCE,
        "--candidates",
        "20",
        "--examiners",
        "6",
        "--seed",
        "3",
        "--sessions",
        folder.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let out_dir = d.0.join("export");
    common::run_osce(&[
        "export",
        OSCE,
        "--sessions",
        folder.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    let mut reader = csv::Reader::from_path(out_dir.join("results.csv")).expect("results.csv");
    let header = reader.headers().expect("header").clone();
    let at = header
        .iter()
        .position(|h| h == "final_result")
        .expect("final_result");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for row in reader.records() {
        *counts.entry(row.expect("row")[at].to_string()).or_default() += 1;
    }
    let count = |w: &str| counts.get(w).copied().unwrap_or(0);
    assert!(count("PASS") > 0 && count("FAIL") > 0, "{counts:?}");
    let (_, out) = status(&[OSCE, "--sessions", folder.to_str().expect("utf-8")]);
    let line = format!(
        "{} PASS · {} FAIL · {} DEFERRED · {} INCOMPLETE",
        count("PASS"),
        count("FAIL"),
        count("DEFERRED"),
        count("INCOMPLETE")
    );
    assert!(out.contains(&line), "{line}\n{out}");
}

/// A folder holding two laptops' sessions folders is told both, not the
/// first alone (whose sheets would be half the exam); a folder holding
/// only an assessor's moderation journal is never offered as the one with
/// the sheets, and an exam archive beside it is named.
#[test]
fn every_sessions_folder_inside_is_named_and_a_moderation_folder_is_not_one() {
    let d = Dir::new();
    let laptops = d.sub("laptops");
    let (a, b) = (laptops.join("lap-a"), laptops.join("lap-b"));
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap-a", true, vec![]);
    write_sheet(&b, OSCE, "knee", "C001", "E02@lap-b", true, vec![]);
    // Beside them, an assessor's folder: named too, or their moderation
    // would be left out by the advice.
    let ea = laptops.join("ea");
    let assessor = ea.join("msk-us-osce").join("EA1@home");
    std::fs::create_dir_all(&assessor).expect("folder");
    std::fs::write(assessor.join("moderation.jsonl"), "").expect("journal");
    let (code, out) = status(&[OSCE, "--sessions", laptops.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} holds 3 sessions folders, {}, {}, {}, with the journals of \"msk-us-osce\" (sheets, and any \
             moderation or decisions): name them all instead (--sessions {} {} {}).",
            laptops.display(),
            ea.display(),
            a.display(),
            b.display(),
            ea.display(),
            a.display(),
            b.display()
        )),
        "{out}"
    );

    // A level further up: a folder of the laptops' folders, each holding
    // its `sessions`.
    let (c, e) = (d.sub("all").join("lap-c"), d.sub("all").join("lap-e"));
    write_sheet(
        &c.join("sessions"),
        OSCE,
        "shoulder",
        "C001",
        "E01@lap-c",
        true,
        vec![],
    );
    write_sheet(
        &e.join("sessions"),
        OSCE,
        "knee",
        "C001",
        "E02@lap-e",
        true,
        vec![],
    );
    let all = d.0.join("all");
    let (code, out) = status(&[OSCE, "--sessions", all.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "(--sessions {} {}).",
            c.join("sessions").display(),
            e.join("sessions").display()
        )),
        "{out}"
    );

    // An assessor's folder sent back: a moderation journal, no sheet.
    let back = d.sub("back");
    let theirs = back.join("my-moderation");
    let journal = theirs.join("msk-us-osce").join("ext.jsmith@home");
    std::fs::create_dir_all(&journal).expect("folder");
    std::fs::write(journal.join("moderation.jsonl"), "").expect("journal");
    let archive = back.join("exam.osce");
    let (code, said) = common::run_osce(&[
        "collect",
        archive.to_str().expect("utf-8"),
        a.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    for given in [&back, &theirs] {
        let (code, out) = status(&[OSCE, "--sessions", given.to_str().expect("utf-8")]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!(
                "{} holds only an assessor's moderation or an exam lead's decisions of \"msk-us-osce\", no sheet",
                theirs.display()
            )) && !out.contains(&format!("(--sessions {})", theirs.display()))
                && !out.contains("holds the sheets of \"my-moderation\""),
            "{out}"
        );
        assert_eq!(
            out.contains(&format!(
                "{} is an exam archive holding the sheets of \"msk-us-osce\": read it with --archive {}.",
                archive.display(),
                archive.display()
            )),
            given == &back,
            "{out}"
        );
    }
}

/// A sessions folder whose name has spaces and brackets (a shared drive's
/// "OSCE (Summer sitting)"): the decision status suggests, pasted into a
/// shell as it is (with a name and a reason filled in), is recorded.
#[test]
fn a_suggested_decision_pastes_into_a_shell_whatever_the_folder_is_called() {
    let d = Dir::new();
    let folder = d.0.join("Shared drive – Faculty").join("OSCE (Summer sitting)");
    common::simulate_into(OSCE, &folder, 12, 6, 3);
    let (_, out) = status(&[OSCE, "--sessions", folder.to_str().expect("utf-8"), "--problems"]);
    let hint = out
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("decide: osce decide absence "))
        .unwrap_or_else(|| panic!("an absence to decide in:\n{out}"))
        .replace("--by NAME", "--by 'Dr Lead'")
        .replace("--reason \"…\"", "--reason 'Mitigating circumstances'");
    let bin = env!("CARGO_BIN_EXE_osce");
    let run = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("{bin} decide absence {hint}"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs");
    assert!(
        run.status.success(),
        "{hint}\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A laptop's folder that cannot be read (copied from another account,
/// its permissions kept): status says so in words for reading, where it
/// said that nothing was saved, as if it had been writing.
#[test]
fn an_unreadable_laptop_folder_is_said_in_words_for_reading() {
    let d = Dir::new();
    let folder = d.0.join("day");
    common::simulate_into(OSCE, &folder, 4, 2, 3);
    let laptop = std::fs::read_dir(folder.join("msk-us-osce"))
        .expect("the assessment's folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a laptop's folder");
    let uid = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let chmod = |mode: &str, path: &Path, recursive: bool| {
        let mut c = std::process::Command::new("chmod");
        if recursive {
            c.arg("-R");
        }
        assert!(c.arg(mode).arg(path).status().expect("chmod").success());
    };
    let mut command = if uid == "0" {
        // root reads every folder: run as nobody, the rest readable.
        if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        chmod("a+rX", &d.0, true);
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_osce"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_osce"))
    };
    chmod("000", &laptop, false);
    let out = command
        .args(["status", OSCE, "--sessions", folder.to_str().expect("utf-8")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("osce runs");
    chmod("700", &laptop, false);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&format!("{}: Permission denied", laptop.display()))
            && said.contains("Nothing was changed. Check that the folder is there and readable by you")
            && !said.contains("nothing was saved"),
        "{said}"
    );
}

/// A laptop's examiner folder dropped straight into the exam office's
/// sessions folder, beside the assessment's folder that holds the other
/// laptops': status says first that it is not read and where to move it,
/// export warns of it, and collect says its journals were not collected
/// and exits 1. Before, their sheets were only "not in yet".
#[test]
fn an_examiners_folder_beside_the_assessments_folder_is_said_not_read() {
    let d = common::Dir::new("straight-beside");
    let sessions = d.sub("office");
    common::simulate_into(common::PRACTICAL, &sessions, 6, 2, 1);
    let assessment = sessions.join("msk-us-practical");
    let mut examiners: Vec<PathBuf> = std::fs::read_dir(&assessment)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    examiners.sort();
    let moved = examiners.last().expect("an examiner's folder").clone();
    let name = moved.file_name().expect("name").to_string_lossy().into_owned();
    std::fs::rename(&moved, sessions.join(&name)).expect("move");
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();

    let (code, out) = common::run_osce(&["status", common::PRACTICAL, "--sessions", &s(&sessions)]);
    assert_eq!(code, 1, "{out}");
    let said = format!(
        "{} holds examiners' or assessors' folders ({name}) straight in it, beside the assessment's folder: what \
         they hold is not read. If they hold journals of \"msk-us-practical\", move them into {}",
        sessions.display(),
        assessment.display()
    );
    assert!(
        out.starts_with("Not read (outside the assessment's folder):\n") && out.contains(&said),
        "{out}"
    );
    let (_, out) = common::run_osce(&[
        "export",
        common::PRACTICAL,
        "--sessions",
        &s(&sessions),
        "--out",
        &s(&d.0.join("export")),
    ]);
    assert!(out.contains(&format!("warning: {said}")), "{out}");
    let (code, out) = common::run_osce(&["collect", &s(&d.0.join("exam.osce")), &s(&sessions)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "error: {} holds examiners' or assessors' folders ({name}) straight in it, beside the assessments' \
             folders: their journals were not collected. Move them into {}",
            sessions.display(),
            assessment.display()
        )),
        "{out}"
    );
    // Moved into place, nothing is said and collect takes them.
    std::fs::rename(sessions.join(&name), &moved).expect("move back");
    let (_, out) = common::run_osce(&["status", common::PRACTICAL, "--sessions", &s(&sessions)]);
    assert!(!out.contains("Not read"), "{out}");
    let (code, out) = common::run_osce(&["collect", &s(&d.0.join("exam.osce")), &s(&sessions)]);
    assert_eq!(code, 0, "{out}");
}

/// An assessor's folder (holding only their moderation journal) dropped
/// straight into the sessions folder, beside the assessment's folder: as
/// for an examiner's folder, status says it is not read and collect that
/// it was not collected (exit 1). Before, collect took nothing from it
/// without a word, and the moderation was only missing.
#[test]
fn an_assessors_folder_beside_the_assessments_folder_is_said_not_collected() {
    let d = common::Dir::new("straight-beside-assessor");
    let sessions = d.sub("office");
    common::simulate_into(common::PRACTICAL, &sessions, 4, 2, 1);
    common::signed_off(&sessions, common::PRACTICAL, "a.assessor");
    let assessment = sessions.join("msk-us-practical");
    let name = "a.assessor@ea-laptop";
    std::fs::rename(assessment.join(name), sessions.join(name)).expect("move");
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();

    let (code, out) = common::run_osce(&["status", common::PRACTICAL, "--sessions", &s(&sessions)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("Not read (outside the assessment's folder):\n")
            && out.contains(&format!(
                "{} holds examiners' or assessors' folders ({name}) straight in it, beside the assessment's \
                 folder: what they hold is not read.",
                sessions.display()
            )),
        "{out}"
    );
    let (code, out) = common::run_osce(&["collect", &s(&d.0.join("exam.osce")), &s(&sessions)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "error: {} holds examiners' or assessors' folders ({name}) straight in it, beside the assessments' \
             folders: their journals were not collected. Move them into {}",
            sessions.display(),
            assessment.display()
        )),
        "{out}"
    );
}

/// The name an examiner confirms is the one check of who was in front of
/// them: a sheet confirmed under another name than the roster's, or than
/// the candidate's other sheets', is said under --problems with the
/// sheets, and so is a concern with its note; a name spelled without its
/// accents or in another order is the same name.
#[test]
fn a_sheet_confirmed_under_another_name_and_a_concern_are_said_under_problems() {
    let d = Dir::new();
    let a = d.sub("a");
    let roster = d.0.join("roster.csv");
    std::fs::write(
        &roster,
        "candidate_id,name\nC001,Name of C001\nC002,Name of C002\nC003,Someone Else\nC004,\"C004, Name of\"\n\
         C005,Łukasz Wiśniewski-Søren\nC006,Paweł Żółć\n",
    )
    .expect("roster");
    let first = all_stations(OSCE)[0].clone();
    for c in ["C001", "C002", "C003", "C004", "C005", "C006"] {
        for st in all_stations(OSCE) {
            let extra = match (c, st.as_str()) {
                // Their own name written without its marks, but for one
                // sheet confirmed as someone else.
                ("C006", _) => vec![Event::NameCorrected {
                    candidate_name: if st == first {
                        "Pawel Kowalski"
                    } else {
                        "Pawel Zolc"
                    }
                    .into(),
                    recorded: "Name of C006".into(),
                    reason: "as on the paper form".into(),
                }],
                // Written without the stroke and the accents on paper.
                ("C005", _) => vec![Event::NameCorrected {
                    candidate_name: "Lukasz Wisniewski-Soren".into(),
                    recorded: "Name of C005".into(),
                    reason: "as on the paper form".into(),
                }],
                ("C002", "knee") => vec![Event::NameCorrected {
                    candidate_name: "Zara Patel".into(),
                    recorded: "Name of C002".into(),
                    reason: "the name on her badge".into(),
                }],
                ("C001", "ankle") => vec![Event::Concern {
                    kind: ConcernKind::Professionalism,
                    note: "rude to the patient".into(),
                }],
                _ => vec![],
            };
            write_sheet(&a, OSCE, &st, c, "E01@lap", true, extra);
        }
    }
    let (_, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--problems",
    ]);
    for expected in [
        "Names that differ (3 candidates): sheets confirmed under a name other than the roster's.",
        "  C002 Name of C002 (the roster's name)\n    confirmed as \"Name of C002\" at ",
        "    confirmed as \"Zara Patel\" at knee (E01@lap)\n",
        "osce decide void rubrics/msk-ultrasound-osce.ron --sessions ",
        "--candidate C002 --station knee --sheet E01@lap",
        "  C003 Someone Else (the roster's name)\n    every sheet of theirs (6) confirmed as \"Name of C003\": is \
         the roster's row for C003 right?",
        "Concerns flagged (to follow up, whatever the marks):\n  C001 Name of C001 at ankle:\n    Professionalism \
         (from E01): \"rude to the patient\"",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // The same name written another way is not a difference.
    assert!(
        !out.contains("C004 C004, Name of") && !out.contains("C005"),
        "{out}"
    );
    // Each sheet under another name has its decision under its own
    // candidate; their sheets under their own name are said to be it.
    let c006 = &out[out.find("  C006 Paweł Żółć (the roster's name)\n").expect("C006")..];
    let c006 = &c006[..c006.find("\nConcerns").unwrap_or(c006.len())];
    assert!(
        c006.contains(&format!(
            "    confirmed as \"Pawel Kowalski\" at {first} (E01@lap)\n    decide: osce decide void "
        )) && c006.contains(&format!("--candidate C006 --station {first} --sheet E01@lap"))
            && c006.contains("confirmed as \"Pawel Zolc\" at ")
            && c006.contains("(E01@lap): the roster's name written another way")
            && !c006.contains("C002"),
        "{c006}"
    );
    let c002 =
        &out[out.find("  C002 Name of C002").expect("C002")..out.find("  C003 Someone Else").expect("C003")];
    assert!(
        c002.contains("--candidate C002 --station knee --sheet E01@lap"),
        "{c002}"
    );
}

/// Without a roster, the name most of a candidate's sheets give is theirs:
/// the one sheet under another name is the one named, and the decision
/// filled in voids that sheet, not one of the others.
#[test]
fn without_a_roster_the_odd_name_out_is_the_sheet_named() {
    let d = Dir::new();
    let a = d.sub("a");
    let stations = all_stations(OSCE);
    for (i, st) in stations.iter().enumerate() {
        // The first station in the rubric's order is the odd one out.
        let extra = if i == 0 {
            vec![Event::NameCorrected {
                candidate_name: "Zara Patel".into(),
                recorded: "Name of C001".into(),
                reason: "as she said".into(),
            }]
        } else {
            vec![]
        };
        write_sheet(&a, OSCE, st, "C001", &format!("E0{i}@lap"), true, extra);
    }
    let (_, out) = status(&[OSCE, "--sessions", a.to_str().expect("utf-8"), "--problems"]);
    assert!(
        out.contains(&format!(
            "    confirmed as \"Zara Patel\" at {} (E00@lap)\n",
            stations[0]
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "--candidate C001 --station {} --sheet E00@lap",
            stations[0]
        )),
        "{out}"
    );
}

/// A double-marked case: one marker recorded the candidate absent, the
/// other marked them in full. Not an absence for the exam lead to decide
/// (which would set the marks aside without a word), but a conflict: which
/// sheet is true is settled with `osce decide conflict`.
#[test]
fn absent_for_one_marker_and_marked_by_the_other_is_a_conflict() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, FCA, "case-1", "C001", "internal@lap", true, vec![]);
    absent_sheet(&a, "external@tab", "not seen");
    let folder = a.to_str().expect("utf-8");
    let (_, out) = status(&[FCA, "--sessions", folder]);
    assert!(
        out.contains("recorded absent by examiner external but marked by examiner internal"),
        "{out}"
    );
    assert!(!out.contains("decide absence"), "no absence to decide:\n{out}");
    let (code, said) = common::run_osce(&[
        "decide",
        "absence",
        FCA,
        "--sessions",
        folder,
        "--candidate",
        "C001",
        "--station",
        "case-1",
        "--fail",
        "--by",
        "Lead",
        "--reason",
        "r",
        "--dry-run",
    ]);
    assert_ne!(
        code, 0,
        "an absence decision does not set the marks aside:\n{said}"
    );
    assert!(
        said.contains("settle which sheet counts first, with osce decide conflict"),
        "{said}"
    );
    let (code, said) = common::run_osce(&[
        "decide",
        "conflict",
        FCA,
        "--sessions",
        folder,
        "--candidate",
        "C001",
        "--station",
        "case-1",
        "--use",
        "internal@lap",
        "--by",
        "Lead",
        "--reason",
        "the candidate was seen; the external assessor arrived late",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, out) = status(&[FCA, "--sessions", folder]);
    assert!(!out.contains("recorded absent by examiner external"), "{out}");
}

/// Both markers of a double-marked case recorded the candidate absent: one
/// absence for the exam lead to decide, not a station "waiting for every
/// marker's sheet". Once deferred it is settled, and nothing is held back.
#[test]
fn absent_for_both_markers_is_one_absence_to_decide() {
    let d = Dir::new();
    let a = d.sub("a");
    for who in ["internal@lap", "external@tab"] {
        absent_sheet(&a, who, "did not arrive");
    }
    let folder = a.to_str().expect("utf-8");
    let (_, out) = status(&[FCA, "--sessions", folder]);
    assert!(!out.contains("not every marker's sheet is complete"), "{out}");
    assert!(out.contains("decide absence"), "{out}");
    let (_, problems) = status(&[FCA, "--sessions", folder, "--problems"]);
    assert!(
        problems.contains("absent (did not arrive): not settled"),
        "the same reason once: {problems}"
    );
    let (code, said) = common::run_osce(&[
        "decide",
        "absence",
        FCA,
        "--sessions",
        folder,
        "--candidate",
        "C001",
        "--station",
        "case-1",
        "--deferred",
        "--by",
        "Lead",
        "--reason",
        "GP note",
    ]);
    assert_eq!(code, 0, "{said}");
    assert!(!said.contains("not every marker's sheet is complete"), "{said}");
    let (_, out) = status(&[FCA, "--sessions", folder, "--problems"]);
    assert!(!out.contains("C001 at case-1: double-marked"), "{out}");
}

/// One examiner recorded the candidate absent on two laptops (a laptop
/// swapped mid-exam): a conflict, where no sheet counts until it is
/// settled, so stations.csv gives no score (never a 0 that reads as
/// marks earned) and names no examiner.
#[test]
fn one_examiners_absence_on_two_laptops_is_a_conflict_with_no_score() {
    let d = Dir::new();
    let a = d.sub("a");
    for who in ["internal@lap1", "internal@lap2"] {
        absent_sheet(&a, who, "did not arrive");
    }
    let folder = a.to_str().expect("utf-8");
    let out = d.0.join("out");
    common::run_osce(&[
        "export",
        FCA,
        "--sessions",
        folder,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let rows = common::csv_rows(&out.join("stations.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001" && r[col("station_id")] == "case-1")
        .expect("the row");
    assert_eq!(
        (row[col("score")].as_str(), row[col("examiners")].as_str()),
        ("", ""),
        "{row:?}"
    );
}

/// C001 recorded absent at the final clinical assessment's case 1 by `who`
/// (`examiner@device`), for `reason`, and submitted.
fn absent_sheet(folder: &Path, who: &str, reason: &str) {
    let key = common::sheet_key(FCA, "case-1", "C001", who);
    let (mut j, _) = Store::new(folder).open_sheet(&key, &hash(FCA)).expect("open");
    j.append(
        Event::Absent {
            reason: reason.into(),
        },
        t(),
    )
    .expect("append");
    j.append(common::submitted(&j, FCA), t()).expect("append");
}

/// C001's sheet at `station` opened by `who` (examiner@device), the
/// candidate confirmed, the timer started if `timer`, and nothing else:
/// its key.
fn opened_only(folder: &Path, rubric: &str, station: &str, who: &str, timer: bool) -> SheetKey {
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    let key = SheetKey {
        assessment: load(Path::new(rubric)).expect("valid").0.id,
        station: station.into(),
        candidate: "C001".into(),
        examiner: examiner.into(),
        device: device.into(),
    };
    let (mut journal, _) = Store::new(folder).open_sheet(&key, &hash(rubric)).expect("open");
    journal
        .append(
            Event::Confirmed {
                candidate_name: "Name of C001".into(),
            },
            t(),
        )
        .expect("append");
    if timer {
        journal
            .append(
                Event::Timer {
                    action: osce::store::TimerAction::Start,
                    elapsed_ms: 0,
                    due: None,
                },
                t(),
            )
            .expect("append");
    }
    key
}

/// A sheet opened with nothing on it (the candidate confirmed, no mark)
/// under a mistyped examiner id, then marked under the right one: it is
/// set aside and said so, not a second marker holding the cell back nor a
/// conflict. An examiner who marks on it is counted again.
#[test]
fn a_sheet_opened_with_nothing_on_it_beside_a_marked_one_is_set_aside() {
    const PRACTICAL: &str = "rubrics/msk-practical-exam.ron";
    for (rubric, station) in [(OSCE, "shoulder"), (PRACTICAL, "physics")] {
        let d = Dir::new();
        let a = d.sub("a");
        // At the OSCE the examiner had pressed space before noticing.
        let key = opened_only(&a, rubric, station, "E10@lap1", rubric == OSCE);
        write_sheet(&a, rubric, station, "C001", "E01@lap1", true, vec![]);
        let folder = a.to_str().expect("utf-8");
        let (_, out) = status(&[rubric, "--sessions", folder]);
        assert!(
            out.contains("Set aside: 1 sheet opened with nothing recorded")
                && out.contains(&format!("C001 at {station}: E10@lap1")),
            "{out}"
        );
        assert!(
            !out.contains("Double marking:") && !out.contains("CONFLICT"),
            "{out}"
        );
        assert!(!out.contains("opened 2×"), "{out}");
        let (_, problems) = status(&[rubric, "--sessions", folder, "--problems"]);
        assert!(problems.contains("Set aside: 1 sheet"), "{problems}");
        assert!(!problems.contains(&format!("{station}: opened")), "{problems}");
        let out_dir = exported(&d, rubric, folder);
        let mut r = csv::Reader::from_path(out_dir.join("stations.csv")).expect("csv");
        let h = r.headers().expect("headers").clone();
        let col = |n: &str| h.iter().position(|c| c == n).expect(n);
        let row = r
            .records()
            .map(|x| x.expect("row"))
            .find(|x| &x[col("station_id")] == station)
            .expect("row");
        assert_eq!(&row[col("examiners")], "E01", "{row:?}");
        assert!(!row[col("note")].contains("not submitted"), "{row:?}");
        assert_eq!(&row[col("result")], "PASS", "{row:?}");

        // The mistyped examiner marks on it after all: two markers again
        // (a conflict where the rubric has no double marking).
        let (mut journal, _) = Store::new(&a).open_sheet(&key, &hash(rubric)).expect("open");
        let st = load(Path::new(rubric)).expect("valid").0;
        let item = st.station(station).expect("station").items[0].id.clone();
        journal
            .append(
                Event::Mark {
                    item,
                    level: Some(0),
                    label: String::new(),
                    late: false,
                },
                t(),
            )
            .expect("append");
        drop(journal);
        let (_, out) = status(&[rubric, "--sessions", folder]);
        assert!(!out.contains("Set aside"), "{out}");
        if rubric == PRACTICAL {
            assert!(out.contains("but the rubric has no double marking"), "{out}");
        }
    }
}

/// A double-marked station where the first marker's sheet is in and the
/// second marker has only opened theirs: the station waits for it (its
/// result is INCOMPLETE in the exports, not the first marker's PASS), the
/// grid shows one sheet in, and neither double marking nor moderation
/// counts a pair that is not in.
#[test]
fn a_double_marked_station_waits_for_the_second_markers_sheet() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap1", true, vec![]);
    opened_only(&a, OSCE, "shoulder", "E02@lap2", false);
    let folder = a.to_str().expect("utf-8");
    let (_, out) = status(&[OSCE, "--sessions", folder]);
    assert!(out.contains("C001       1✓ opened 2×"), "{out}");
    assert!(!out.contains("Set aside"), "{out}");
    let (_, problems) = status(&[OSCE, "--sessions", folder, "--problems"]);
    assert!(
        problems.contains("shoulder: opened (E01@lap1 submitted; E02@lap2 opened)"),
        "whose sheet is waited for: {problems}"
    );
    assert!(
        out.contains("1✓ marking 2×: one marker's sheet in, the other's not yet"),
        "{out}"
    );
    assert!(
        out.contains("Double marking: no sheet in from both examiners yet (1 waiting for a marker's sheet to be submitted)."),
        "{out}"
    );
    assert!(!out.contains("ICC(2,1) over 0"), "{out}");
    assert!(
        out.contains("Moderation: no station results to moderate yet (rubric: a sample of 10%)."),
        "{out}"
    );
    let (out_dir, header, shoulder) = exported_shoulder(&d, folder);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(
        (
            shoulder[col("score")].as_str(),
            shoulder[col("result")].as_str(),
            shoulder[col("final_result")].as_str()
        ),
        ("20", "INCOMPLETE", "INCOMPLETE"),
        "{shoulder:?}"
    );
    let results = common::csv_rows(&out_dir.join("results.csv"));
    let passed = results[0]
        .iter()
        .position(|h| h == "stations_passed")
        .expect("stations_passed");
    assert_eq!(results[1][passed], "0", "{results:?}");
}

/// One marker recorded the candidate absent and the other has only opened
/// their sheet: the station waits for it (INCOMPLETE), as any station with
/// a sheet that counts not in does, not ABSENT on one marker's word.
#[test]
fn one_markers_absence_waits_for_the_other_markers_sheet() {
    let d = Dir::new();
    let a = d.sub("a");
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap1");
    let (mut j, _) = Store::new(&a).open_sheet(&key, &hash(OSCE)).expect("open");
    j.append(
        Event::Absent {
            reason: "did not arrive".into(),
        },
        t(),
    )
    .expect("append");
    j.append(common::submitted(&j, OSCE), t()).expect("append");
    drop(j);
    opened_only(&a, OSCE, "shoulder", "E02@lap2", false);
    let folder = a.to_str().expect("utf-8");
    let (_, header, shoulder) = exported_shoulder(&d, folder);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(shoulder[col("result")], "INCOMPLETE", "{shoulder:?}");
    assert!(
        shoulder[col("note")].contains("not submitted (E02@lap2)"),
        "{shoulder:?}"
    );
}

/// Exports `rubric`'s sheets in `folder` into `d`'s `out`, and gives that
/// folder.
fn exported(d: &Dir, rubric: &str, folder: &str) -> PathBuf {
    let out_dir = d.sub("out");
    Command::cargo_bin("osce")
        .expect("binary")
        .args([
            "export",
            rubric,
            "--sessions",
            folder,
            "--out",
            out_dir.to_str().expect("utf-8"),
        ])
        .output()
        .expect("export");
    out_dir
}

/// Exports the OSCE's sheets in `folder` into `d`'s `out`: that folder, and
/// stations.csv's header and C001's shoulder row.
fn exported_shoulder(d: &Dir, folder: &str) -> (PathBuf, Vec<String>, Vec<String>) {
    let out_dir = exported(d, OSCE, folder);
    let rows = common::csv_rows(&out_dir.join("stations.csv"));
    let col = rows[0]
        .iter()
        .position(|h| h == "station_id")
        .expect("station_id");
    let shoulder = rows.iter().find(|r| r[col] == "shoulder").expect("shoulder");
    (out_dir, rows[0].clone(), shoulder.clone())
}

/// The marking screen is not started with a rubric other than the one the
/// folder's sheets of the assessment were marked with (a copy edited in
/// another editor, a corrected item text): marks made against two versions
/// are never combined, so the sheets would count under neither. A copy
/// that differs only in line endings is the same rubric and starts.
#[test]
fn marking_with_another_version_of_the_rubric_is_refused_before_the_screen_starts() {
    let d = Dir::new();
    let folder = d.sub("laptop");
    common::simulate_into(common::PRACTICAL, &folder, 3, 2, 1);
    let text = std::fs::read_to_string(common::PRACTICAL).expect("rubric");
    let edited = d.0.join("edited.ron");
    std::fs::write(
        &edited,
        text.replace("Iliopsoas tendon and bursa", "Iliopsoas tendon and bursae"),
    )
    .expect("write");
    let crlf = d.0.join("crlf.ron");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).expect("write");
    let score = |rubric: &Path| {
        common::run_osce(&[
            "score",
            rubric.to_str().expect("utf-8"),
            "--examiner",
            "E09",
            "--candidate",
            "SIM00001",
            "--sessions",
            folder.to_str().expect("utf-8"),
        ])
    };
    let (code, out) = score(&edited);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("differs from the one")
            && out.contains("Stop and tell the exam lead")
            && out.contains("osce check --identity"),
        "{out}"
    );
    assert!(!out.contains("needs a terminal"), "{out}");
    // The rubric they were marked with, and its CRLF copy, go on to the
    // screen (which needs a terminal here).
    for same in [Path::new(common::PRACTICAL), crlf.as_path()] {
        let (code, out) = score(same);
        assert!(out.contains("needs a terminal"), "{}: {out}", same.display());
        assert!(!out.contains("differs from"), "{out}");
        assert_eq!(code, 2);
    }
    // A folder holding both (one sheet marked with the edited copy before
    // this check) is never locked against the version most of its sheets
    // were marked with: marking goes on, with a warning naming the other;
    // the edited copy stays refused.
    let key = common::sheet_key(common::PRACTICAL, "upper-limb", "C099", "E09@lap");
    let (mut journal, _) = osce::store::Store::new(&folder)
        .open_sheet(
            &key,
            &hash_rubric(&std::fs::read_to_string(&edited).expect("edited")),
        )
        .expect("open");
    journal
        .append(
            osce::store::Event::Opened {
                app_version: "0.1.0".into(),
            },
            chrono::Utc::now(),
        )
        .expect("append");
    drop(journal);
    let (code, out) = score(Path::new(common::PRACTICAL));
    assert!(
        out.contains("warning: ")
            && out.contains("1 sheet of assessment msk-us-practical here was marked against a rubric file whose content differs")
            && out.contains("needs a terminal"),
        "{out}"
    );
    assert_eq!(code, 2);
    let (code, out) = score(&edited);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("; 1 with this one"), "{out}");
}

/// The roster's warnings about waves are of the rotation: said when
/// marking a circuit, not candidate by candidate, where nothing rotates.
#[test]
fn the_rosters_waves_are_not_warned_of_candidate_by_candidate() {
    let d = Dir::new();
    let folder = d.sub("laptop");
    let roster = "rubrics/msk-practical-exam.roster.csv";
    let score = |more: &[&str]| {
        let mut args = vec![
            "score",
            common::PRACTICAL,
            "--examiner",
            "E01",
            "--roster",
            roster,
            "--sessions",
            folder.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(more);
        common::run_osce(&args)
    };
    let (_, out) = score(&[]);
    assert!(
        out.contains("needs a terminal") && !out.contains("waves"),
        "{out}"
    );
    let (_, out) = score(&["--station", "upper-limb"]);
    assert!(out.contains("waves"), "{out}");
}

/// A sheet marked under a mistyped id at one station, while the roster's
/// candidate it belongs to is marked at others: status names the roster's
/// candidate it looks like, and what is left to mark under their id.
#[test]
fn a_sheet_under_a_mistyped_id_of_a_marked_candidate_is_pointed_at_them() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    // Confirmed as "Name of C0O1": a name with words in common with the
    // roster's "Name of C001" (one who is wholly another, below, is not
    // pointed at).
    write_sheet(&a, OSCE, "knee", "C0O1", "E02@lap", true, vec![]);
    let roster = d.sub("r").join("roster.csv");
    std::fs::write(&roster, "candidate_id,name\nC001,Name of C001\nC002,Ann Other\n").expect("roster");
    let (_, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--problems",
    ]);
    assert!(
        out.contains(
            "    looks like the roster's C001 Name of C001 (an id a typo away), marked at shoulder: if these sheets \
             are theirs, they were marked under a mistyped id: void each here; then knee still needs marking under \
             C001, again or from the paper form (osce import)"
        ),
        "{out}"
    );
}

/// A candidate marked under the right id whose roster row mistypes it
/// (C0002 on the sheets, C002 on the roster): status pairs them by the
/// name, and no longer also offers voiding their sheets as a marked
/// candidate's whose id is a typo away but whose name is wholly another's
/// (it pointed at C001 "Name of C001" for "Zed Quinn"'s sheets).
#[test]
fn a_candidate_an_id_a_typo_away_but_wholly_another_by_name_is_not_pointed_at() {
    let d = Dir::new();
    let a = d.sub("a");
    for station in ["shoulder", "knee"] {
        write_sheet(&a, OSCE, station, "C001", "E01@lap", true, vec![]);
        write_sheet(&a, OSCE, station, "C0011", "E01@lap", true, vec![]);
    }
    let roster = d.sub("r").join("roster.csv");
    std::fs::write(&roster, "candidate_id,name\nC001,Zed Quinn\nC011,Name of C0011\n").expect("roster");
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--problems",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the roster's C011 Name of C0011 has no sheet at all"),
        "paired with the roster's row by the name: {out}"
    );
    assert!(!out.contains("looks like the roster's C001"), "{out}");
}

/// A candidate left off the roster, marked at every station as the
/// roster's candidates are: status must not take them for a mistyped id
/// of a roster candidate two characters away (`SIM00047` and `SIM00013`,
/// each with their own sheets), nor of one a character away who is
/// marked at each of their stations already, and offer to void their
/// sheets.
#[test]
fn a_candidate_left_off_the_roster_is_not_taken_for_a_typo_of_another() {
    let d = Dir::new();
    let a = d.sub("a");
    for station in ["shoulder", "knee"] {
        for c in ["SIM00013", "SIM00047", "C001", "C011"] {
            write_sheet(&a, OSCE, station, c, "E01@lap", true, vec![]);
        }
    }
    let roster = d.sub("r").join("roster.csv");
    std::fs::write(
        &roster,
        "candidate_id,name\nSIM00013,Name of SIM00013\nC001,Name of C001\n",
    )
    .expect("roster");
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--problems",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("SIM00047 Name of SIM00047: sheets at shoulder, knee"),
        "{out}"
    );
    assert!(!out.contains("looks like the roster's"), "{out}");
}

/// At a double-marked station, the second marker's sheet under an id a
/// typo away from the roster's candidate, whose first marker's sheet is in:
/// still pointed at them (their sheet of that examiner is what is missing).
#[test]
fn a_second_markers_sheet_under_a_mistyped_id_is_pointed_at_the_candidate() {
    let d = Dir::new();
    let a = d.sub("a");
    let stations = all_stations(FCA);
    for st in &stations {
        for c in ["C001", "C002"] {
            common::sheet(&a, FCA, st, c, "E01@lap1", common::Marks::Top, true, 0);
        }
    }
    common::sheet(
        &a,
        FCA,
        &stations[0],
        "C011",
        "E02@lap2",
        common::Marks::Top,
        true,
        2,
    );
    let roster = d.sub("r").join("roster.csv");
    std::fs::write(
        &roster,
        "candidate_id,name\nC001,Name of C001\nC002,Name of C002\n",
    )
    .expect("roster");
    let (_, out) = status(&[
        FCA,
        "--sessions",
        a.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--problems",
    ]);
    assert!(
        out.contains("looks like the roster's C001 Name of C001 (an id a typo away)"),
        "{out}"
    );
}

/// The bundled roster with a start time for each circuit: circuit A began
/// 20 minutes ago (rounds of 13 minutes: round 2 under way), circuit B
/// begins in three hours.
fn roster_on_the_clock(dir: &Path) -> PathBuf {
    let now = Utc::now();
    let a = (now - chrono::Duration::minutes(20)).format("%Y-%m-%dT%H:%M:%S+00:00");
    let b = (now + chrono::Duration::hours(3)).format("%Y-%m-%dT%H:%M:%S+00:00");
    let text = std::fs::read_to_string("rubrics/msk-ultrasound-osce.roster.csv").expect("roster");
    let mut lines = text.lines();
    let mut out = format!("{},circuit_start\n", lines.next().expect("header"));
    for line in lines {
        let start = if line.contains(",A,") {
            a.to_string()
        } else {
            b.to_string()
        };
        out.push_str(&format!("{line},{start}\n"));
    }
    let path = dir.join("roster.csv");
    std::fs::write(&path, out).expect("roster written");
    path
}

#[test]
fn sheets_of_rounds_not_ended_are_not_due_yet_not_listed_as_missing() {
    let d = Dir::new();
    let a = d.sub("a");
    let roster = roster_on_the_clock(&d.0);
    // Round 1: C001 starts at the shoulder, and is marked there.
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap", true, vec![]);
    let folder = a.to_str().expect("utf-8");
    let roster = roster.to_str().expect("utf-8");
    let (code, out) = status(&[OSCE, "--sessions", folder, "--roster", roster, "--problems"]);
    assert_eq!(code, 1, "{out}");
    // Rounds 1 and 2 of circuit A are due: C002 started at the knee.
    assert!(
        out.contains("\nC002 Siobhán Ní Bhriain\n  knee: missing\n"),
        "{out}"
    );
    // Round 2 under way: its sheets are being marked, due when it ends, not
    // missing; five rounds of circuit A to come, six scored stations each;
    // the whole of circuit B.
    assert!(out.contains("circuit A: round 2 of 7 under way until "), "{out}");
    assert!(
        out.contains(": 6 sheets being marked, due then; 30 sheets of rounds 3 to 7 are not due yet"),
        "{out}"
    );
    assert!(out.contains("circuit B: round 1 begins at "), "{out}");
    assert!(out.contains("; its 42 sheets are not due yet"), "{out}");
    assert!(!out.contains("\nC001 "), "C001's knee is being marked: {out}");
    assert!(!out.contains("C008"), "nobody of circuit B is listed: {out}");
    assert!(
        !out.contains("ankle: missing\n  elbow: missing\n  physics: missing"),
        "a candidate's later rounds are not listed: {out}"
    );
    assert!(
        out.contains(
            "83 expected sheets are not in yet (78 of them not due yet: their rounds have not ended)"
        ),
        "{out}"
    );
    let (code, out) = status(&[OSCE, "--sessions", folder, "--roster", roster]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("84 sheets expected: 5 missing, 78 not due yet, 1 submitted."),
        "{out}"
    );
    assert!(
        out.contains(
            "83 sheets are not in yet, 78 not due yet (their rounds have not ended, by the roster's circuit start times):"
        ),
        "{out}"
    );
    // In the matrix, the five sheets of round 1 not in are overdue, told
    // apart from those not due yet.
    assert_eq!(out.matches("overdue ").count(), 5, "{out}");
    let c002 = out.lines().find(|l| l.starts_with("C002 ")).expect("C002's row");
    assert!(c002.contains("overdue"), "{c002}");
    let c008 = out.lines().find(|l| l.starts_with("C008 ")).expect("C008's row");
    assert!(!c008.contains("overdue"), "circuit B has not begun: {c008}");
    assert!(
        out.contains("; overdue: its round is over by the circuit's clock, and no sheet is in"),
        "{out}"
    );
}

/// On the circuit's clock, a sheet opened ahead of its round (the next
/// candidate's, looked at early) is not listed as needing action: its
/// round has not ended.
#[test]
fn a_sheet_opened_ahead_of_its_round_is_not_listed_as_needing_action() {
    let d = Dir::new();
    let a = d.sub("a");
    let roster = roster_on_the_clock(&d.0);
    write_sheet(&a, OSCE, "professional", "C001", "E07@lap", false, vec![]);
    let folder = a.to_str().expect("utf-8");
    let roster = roster.to_str().expect("utf-8");
    let (_, out) = status(&[OSCE, "--sessions", folder, "--roster", roster, "--problems"]);
    assert!(!out.contains("professional: in progress"), "{out}");
    // Without the clock it is a sheet left open, as before.
    let (_, out) = status(&[OSCE, "--sessions", folder, "--problems"]);
    assert!(out.contains("professional: in progress"), "{out}");
}

/// `--problems` names whose sheet is not finished, so that the laptop to
/// chase is known.
#[test]
fn problems_name_whose_unfinished_sheet_it_is() {
    let dir = common::Dir::new("status-problems-whose");
    let s = dir.sub("s");
    common::sheet(
        &s,
        common::OSCE,
        "elbow",
        "C001",
        "E04@lap2",
        common::Marks::Top,
        false,
        0,
    );
    let (_, out) = status(&[
        common::OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--problems",
    ]);
    assert!(out.contains("elbow: in progress (E04@lap2)"), "{out}");
}

/// A double-marked cell with one marker's sheet amended says so, as a
/// single sheet's does (it read `✓ 2×`).
#[test]
fn a_double_marked_cell_with_an_amended_sheet_says_amended() {
    let dir = common::Dir::new("status-double-amended");
    let s = dir.sub("s");
    common::sheet(
        &s,
        common::OSCE,
        "knee",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        0,
    );
    common::sheet(
        &s,
        common::OSCE,
        "knee",
        "C001",
        "E02@lap2",
        common::Marks::Top,
        true,
        1,
    );
    common::append(
        &s,
        common::OSCE,
        "knee",
        "C001",
        "E02@lap2",
        vec![
            osce::store::Event::AmendStarted {
                reason: "wrong item".into(),
            },
            osce::store::Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
        ],
    );
    let (_, out) = status(&[common::OSCE, "--sessions", s.to_str().expect("utf-8")]);
    let row = out
        .lines()
        .find(|l| l.starts_with("C001"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("amended") && row.contains("2×"), "{row}\n{out}");
}

/// Two laptops' folders named, each one level above its sessions folder:
/// both are said with the folder to give instead, and then every folder
/// to give in one command, under the "Not read" the reasons speak of.
#[test]
fn every_folder_named_a_level_too_high_is_said() {
    let d = Dir::new();
    let (one, two) = (d.sub("lap1"), d.sub("lap2"));
    write_sheet(
        &one.join("sessions"),
        OSCE,
        "knee",
        "C001",
        "e1@lap1",
        true,
        vec![],
    );
    write_sheet(
        &two.join("sessions"),
        OSCE,
        "knee",
        "C002",
        "e2@lap2",
        true,
        vec![],
    );
    let (code, out) = status(&[
        OSCE,
        "--sessions",
        one.to_str().expect("utf-8"),
        two.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{out}");
    for lap in [&one, &two] {
        let inner = lap.join("sessions");
        assert!(
            out.contains(&format!(
                "{} holds the sessions folder {}, where the sheets of",
                lap.display(),
                inner.display()
            )),
            "{out}"
        );
    }
    assert!(
        out.contains(&format!("Not read:\n{}", one.display()))
            && out.contains(&format!(
                "That is, name these instead: --sessions {} {}",
                one.join("sessions").display(),
                two.join("sessions").display()
            )),
        "{out}"
    );
}
