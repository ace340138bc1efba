//! The exam after the exam, as a module leader and two external assessors
//! run it: two laptops' folders with one real conflict, an absence and
//! items left unmarked; each settled by the command `osce status` names;
//! standard-set pass marks adopted; the sample moderated in a real
//! terminal (tmux) by two assessors who differ once; that difference
//! settled; both sign off; the export final with every decision in it, and
//! `osce audit` clean.
//!
//! Needs tmux (`.ci/run` installs it; skipped with a message elsewhere).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::tmux::{Tmux, skip_without_tmux};
use common::{Marks, csv_rows, run_osce, sheet};

const RUBRIC: &str = "rubrics/msk-ultrasound-osce.ron";

fn owner_only(dir: &Path) {
    std::fs::create_dir_all(dir).expect("folder");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
}

/// Runs `osce` and insists it exits with `code`.
fn osce(args: &[&str], code: i32) -> String {
    let (got, out) = run_osce(args);
    assert_eq!(got, code, "osce {}:\n{out}", args.join(" "));
    out
}

/// The `decide:` lines `osce status --problems` prints, as arguments, with
/// the placeholders filled in: what a module leader copies and completes.
fn hints(status: &str, kind: &str) -> Vec<Vec<String>> {
    status
        .lines()
        .filter_map(|l| l.trim().strip_prefix("decide: osce decide "))
        .filter(|l| l.starts_with(kind))
        .map(|l| {
            let mut words: Vec<String> = Vec::new();
            let mut rest = l;
            // Split on spaces, keeping "…" quoted words whole; drop the
            // "(or --x)" alternatives.
            while let Some(c) = rest.chars().next() {
                if c == ' ' {
                    rest = &rest[1..];
                } else if c == '"' {
                    let end = rest[1..].find('"').map_or(rest.len(), |i| i + 2);
                    words.push(rest[1..end - 1].to_string());
                    rest = &rest[end..];
                } else if c == '(' {
                    let end = rest.find(')').map_or(rest.len(), |i| i + 1);
                    rest = &rest[end..];
                } else {
                    let end = rest.find(' ').unwrap_or(rest.len());
                    words.push(rest[..end].to_string());
                    rest = &rest[end..];
                }
            }
            words
        })
        .collect()
}

/// Fills a hint's placeholders and records it.
fn decide(hint: &[String], fill: &[(&str, &str)], into: &str) -> String {
    let mut args: Vec<String> = vec!["decide".into()];
    for w in hint {
        let filled = fill
            .iter()
            .find(|(placeholder, _)| w == placeholder)
            .map_or(w.clone(), |(_, value)| value.to_string());
        args.push(filled);
    }
    args.extend(["--into".to_string(), into.to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    osce(&args, 0)
}

/// One assessor moderates the whole sample in the moderation screen:
/// disagrees (proposing the other result) on the first sheet when
/// `disagree_first`, agrees with every other, writes the report, signs
/// off.
fn moderate(t: &Tmux, assessor: &str, device: &str, sessions: &[&str], into: &Path, disagree_first: bool) {
    let bin = env!("CARGO_BIN_EXE_osce");
    let command = format!(
        "{bin} moderate {RUBRIC} --assessor {assessor} --device {device} --sessions {} --into {}",
        sessions.join(" "),
        into.display()
    );
    t.start_sized(&command, 120, 40);
    let screen = t.wait_for("You have decided 0 of the ");
    let sample: usize = screen
        .split("You have decided 0 of the ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the sample's size on screen");
    assert!(sample > 0, "{screen}");
    let mut decided = 0;
    if disagree_first {
        t.keys(&["d"]);
        t.wait_for("Rationale (required)");
        t.type_text("The global rating and the technique shown meet the standard");
        t.keys(&["Enter"]);
        t.wait_for("disagree, proposing");
        decided += 1;
    }
    while decided < sample {
        t.keys(&["a"]);
        decided += 1;
        t.wait_for(&format!("You have decided {decided} of the {sample}"));
    }
    t.keys(&["R"]);
    t.wait_for("Moderation report");
    t.type_text("Marking consistent across stations and examiners.");
    t.keys(&["C-s"]);
    t.wait_for("Moderation report — saved ✓");
    t.keys(&["S"]);
    t.wait_for("enter sign off and lock");
    t.keys(&["Enter"]);
    t.wait_for("SIGNED OFF");
    t.keys(&["q"]);
    t.wait_gone();
}

#[test]
fn a_module_leader_and_two_assessors_take_an_exam_to_final_results() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("lead");
    let root = t.dir.clone();
    let (a, b, lead, js, ak) = (
        root.join("A"),
        root.join("B"),
        root.join("LEAD"),
        root.join("JS"),
        root.join("AK"),
    );
    for d in [&a, &b, &lead, &js, &ak] {
        owner_only(d);
    }
    let (a_s, b_s, lead_s, js_s, ak_s) = (
        a.display().to_string(),
        b.display().to_string(),
        lead.display().to_string(),
        js.display().to_string(),
        ak.display().to_string(),
    );

    // Two laptops: four examiners' sheets, two examiners on each.
    osce(
        &[
            "simulate",
            RUBRIC,
            "--candidates",
            "24",
            "--examiners",
            "4",
            "--seed",
            "1",
            "--sessions",
            &a_s,
        ],
        0,
    );
    owner_only(&b.join("msk-us-osce"));
    for who in ["EX03@sim-EX03", "EX04@sim-EX04"] {
        std::fs::rename(a.join("msk-us-osce").join(who), b.join("msk-us-osce").join(who)).expect("move");
    }
    // A real conflict: examiner EX01 marked SIM00005 at the shoulder again
    // on the second laptop, and differently.
    sheet(
        &b,
        RUBRIC,
        "shoulder",
        "SIM00005",
        "EX01@laptop-b",
        Marks::Top,
        true,
        30,
    );

    // What needs action, each with the command that settles it.
    let two = ["--sessions", &a_s, &b_s];
    let status = osce(&[&["status", RUBRIC][..], &two[..], &["--problems"]].concat(), 1);
    assert!(status.contains("CONFLICT"), "{status}");
    let conflict = hints(&status, "conflict");
    let absence = hints(&status, "absence");
    let unmarked = hints(&status, "unmarked");
    assert_eq!(conflict.len(), 1, "{status}");
    assert!(!absence.is_empty() && !unmarked.is_empty(), "{status}");
    let by = [("NAME", "Dr Lead")];
    decide(
        &conflict[0],
        &[
            by[0],
            ("EXAMINER@DEVICE", "EX01@sim-EX01"),
            (
                "…",
                "the laptop was swapped; the first sheet is the one marked in the room",
            ),
        ],
        &lead_s,
    );
    for hint in &absence {
        decide(
            hint,
            &[by[0], ("…", "mitigating circumstances accepted")],
            &lead_s,
        );
    }
    for hint in &unmarked {
        decide(
            hint,
            &[
                by[0],
                ("LABEL", "Not done"),
                ("…", "the examiner confirms it was not attempted"),
            ],
            &lead_s,
        );
    }
    let with_lead = ["--sessions", &a_s, &b_s, &lead_s];
    let status = osce(
        &[&["status", RUBRIC][..], &with_lead[..], &["--problems"]].concat(),
        1,
    );
    assert!(status.contains("No sheet needs action."), "{status}");

    // Standard setting, adopted before the assessors sign off.
    let standards = root.join("standards.json");
    let standards_s = standards.display().to_string();
    let (code, out) = run_osce(
        &[
            &["report", RUBRIC][..],
            &with_lead[..],
            &["--save-standards", &standards_s, "--by", "Standard-setting panel"],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    osce(
        &[
            &["decide", "pass-marks", RUBRIC][..],
            &with_lead[..],
            &[
                "--record",
                &standards_s,
                "--by",
                "Exam board",
                "--reason",
                "borderline regression, as the board agreed",
                "--into",
                &lead_s,
            ],
        ]
        .concat(),
        0,
    );

    // Two assessors moderate the sample in the screen; they differ once.
    moderate(&t, "ext.jsmith", "jlap", &[&a_s, &b_s, &lead_s], &js, true);
    moderate(&t, "ext.akhan", "klap", &[&a_s, &b_s, &lead_s], &ak, false);
    let all = ["--sessions", &a_s, &b_s, &lead_s, &js_s, &ak_s];
    let status = osce(&[&["status", RUBRIC][..], &all[..], &["--problems"]].concat(), 1);
    assert!(status.contains("assessors differ"), "{status}");
    let result = hints(&status, "result");
    assert_eq!(result.len(), 1, "{status}");
    decide(
        &result[0],
        &[
            ("NAME", "Dr Lead"),
            ("…", "the chair read the sheet and sides with ext.jsmith"),
        ],
        &lead_s,
    );

    // Final, with every decision in the export, and the audit clean.
    let out_dir = root.join("out");
    let out_s = out_dir.display().to_string();
    let export = osce(
        &[&["export", RUBRIC][..], &all[..], &["--out", &out_s]].concat(),
        0,
    );
    assert!(export.contains("Every result is final."), "{export}");
    let results = csv_rows(&out_dir.join("results.csv"));
    let col = |name: &str| results[0].iter().position(|h| h == name).expect(name);
    let (decisions, final_result, candidate) = (col("decisions"), col("final_result"), col("candidate_id"));
    let decided: Vec<&Vec<String>> = results[1..].iter().filter(|r| !r[decisions].is_empty()).collect();
    let expected = 1 + absence.len() + unmarked.len() + 1;
    let named = decided
        .iter()
        .map(|r| r[decisions].matches("(by ").count())
        .sum::<usize>();
    assert_eq!(
        named, expected,
        "every decision on a station is in the export: {decided:?}"
    );
    assert!(
        decided
            .iter()
            .any(|r| r[candidate] == "SIM00005" && r[decisions].contains("in the conflict")),
        "{decided:?}"
    );
    assert!(results[1..].iter().all(|r| r[final_result] != "INCOMPLETE"));
    let moderation = csv_rows(&out_dir.join("moderation.csv"));
    for assessor in ["ext.jsmith", "ext.akhan"] {
        assert!(
            moderation.iter().any(|r| r.iter().any(|c| c == assessor)),
            "{assessor} in moderation.csv"
        );
    }
    let audit = osce(&[&["audit", RUBRIC][..], &all[..]].concat(), 0);
    assert!(audit.contains("0 problems"), "{audit}");
}

/// A journal moved into a folder of its own on a laptop, collected into
/// the archive, and voided by the exam lead: the assessor who then opens
/// the moderation screen is not warned of it (it was, as a session file
/// that could not be used).
#[test]
fn the_moderation_screen_does_not_warn_of_a_journal_the_lead_voided() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("voided");
    let root = t.dir.clone();
    let (lap, lead, ea) = (root.join("lap"), root.join("lead"), root.join("ea"));
    let archive = root.join("exam.osce");
    let s = |p: &Path| p.display().to_string();
    osce(
        &[
            "simulate",
            RUBRIC,
            "--candidates",
            "6",
            "--examiners",
            "3",
            "--seed",
            "5",
            "--sessions",
            &s(&lap),
        ],
        0,
    );
    let examiner = lap.join("msk-us-osce/EX02@sim-EX02");
    std::fs::create_dir_all(examiner.join("SIM00031")).expect("folder");
    std::fs::rename(
        examiner.join("SIM00001/knee.jsonl"),
        examiner.join("SIM00031/knee.jsonl"),
    )
    .expect("move");
    osce(&["collect", &s(&archive), &s(&lap)], 1);
    let named = s(&archive.join("msk-us-osce/EX02@sim-EX02/SIM00031/knee.jsonl"));
    osce(
        &[
            "decide",
            "void",
            RUBRIC,
            "--archive",
            &s(&archive),
            "--into",
            &s(&lead),
            "--candidate",
            "SIM00031",
            "--station",
            "knee",
            "--sheet",
            &named,
            "--by",
            "Exam lead",
            "--reason",
            "SIM00001's, moved",
        ],
        0,
    );
    osce(&["collect", &s(&archive), &s(&lead)], 0);
    let bin = env!("CARGO_BIN_EXE_osce");
    t.start_sized(
        &format!(
            "{bin} moderate {RUBRIC} --assessor EA1 --device dev --archive {} --into {}; echo osce-ended; sleep 30",
            s(&archive),
            s(&ea)
        ),
        120,
        40,
    );
    let screen = t.wait_for("You have decided 0 of the ");
    assert!(!screen.contains("could not be used"), "{screen}");
    // One sheet agreed; then, opened from the list, a sheet is left with q
    // as the list is; the assessor is then told where their journal is and
    // what to send back, into the module leader's archive by its name.
    t.keys(&["a"]);
    t.wait_for("You have decided 1 of the ");
    t.keys(&["Enter"]);
    t.wait_for("esc list");
    t.keys(&["q"]);
    let screen = t.wait_for("osce-ended");
    let journal = ea.join("msk-us-osce/EA1@dev/moderation.jsonl");
    // Read with the terminal's line breaks taken out: a long path wraps.
    let bare = |text: &str| text.split_whitespace().collect::<String>();
    for expected in [
        format!("Your moderation journal: {}", s(&journal)),
        format!("osce collect exam.osce {}", s(&ea)),
    ] {
        assert!(bare(&screen).contains(&bare(&expected)), "{expected}: {screen}");
    }
    t.keys(&["C-c"]);
    t.wait_gone();
    // Opened and left at once by a second assessor: nothing recorded, and
    // no empty folder left where a journal would have been, to be sent
    // and collected as if it held one.
    let none = root.join("ea2");
    t.start_sized(
        &format!(
            "{bin} moderate {RUBRIC} --assessor EA2 --device dev --archive {} --into {}; echo osce-ended; sleep 30",
            s(&archive),
            s(&none)
        ),
        120,
        40,
    );
    t.wait_for("You have decided 0 of the ");
    t.keys(&["q"]);
    let screen = t.wait_for("osce-ended");
    assert!(screen.contains("Nothing was recorded"), "{screen}");
    assert!(
        !none.join("msk-us-osce").exists(),
        "an empty folder was left in {}",
        none.display()
    );
    t.keys(&["C-c"]);
    t.wait_gone();
}

/// The report open on the screen from the archive does not hold the
/// archive: the exam lead collects the decisions recorded meanwhile
/// without closing it.
#[test]
fn a_report_open_on_the_screen_does_not_hold_up_a_collect() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("report-open");
    let root = t.dir.clone();
    let (lap, lead) = (root.join("lap"), root.join("lead"));
    let archive = root.join("exam.osce");
    let s = |p: &Path| p.display().to_string();
    osce(
        &[
            "simulate",
            RUBRIC,
            "--candidates",
            "12",
            "--examiners",
            "3",
            "--seed",
            "5",
            "--sessions",
            &s(&lap),
        ],
        0,
    );
    let (code, out) = run_osce(&["collect", &s(&archive), &s(&lap)]);
    assert!(code == 0 || code == 1, "{out}");
    let bin = env!("CARGO_BIN_EXE_osce");
    t.start_sized(
        &format!(
            "{bin} report {RUBRIC} --archive {} --format tui; echo osce-ended; sleep 30",
            s(&archive)
        ),
        120,
        40,
    );
    t.wait_for("q quit");
    std::fs::create_dir_all(&lead).expect("lead folder");
    sheet(&lead, RUBRIC, "knee", "SIM00099", "E09@lead", Marks::Top, true, 0);
    let (code, out) = run_osce(&["collect", &s(&archive), &s(&lead)]);
    assert!(
        code == 0 || code == 1,
        "collect held up by the open report: {out}"
    );
    assert!(!out.contains("in use by another osce command"), "{out}");
    t.keys(&["q"]);
    t.wait_for("osce-ended");
}
