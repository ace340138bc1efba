//! A sync client that finds a journal changed in two places keeps both
//! files, one of them renamed (`upper-limb (EX01's conflicted copy
//! 2026-06-01).jsonl`, `upper-limb.sync-conflict-….jsonl`). The renamed
//! copy may hold the whole submitted sheet: every command reading the
//! folders reads it as a copy of the same sheet, so that no mark in it is
//! lost, and a different history in it is a conflict to decide.

mod common;

use std::path::{Path, PathBuf};

use common::{Dir, PRACTICAL, csv_rows, journals, run_osce, simulate_into};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `journal`'s file renamed as a sync client renames a copy: `suffix`
/// added to its stem.
fn renamed(journal: &Path, suffix: &str) -> PathBuf {
    let stem = journal.file_stem().and_then(|n| n.to_str()).expect("stem");
    journal.with_file_name(format!("{stem}{suffix}.jsonl"))
}

/// Status's tally of results ("Results: 2 PASS · …").
fn tally(status: &str) -> Option<String> {
    status
        .lines()
        .find(|l| l.starts_with("Results:"))
        .map(str::to_string)
}

/// A laptop's folder in `dir` whose first journal has a copy renamed
/// beside it (`suffix` added to its name) holding another history of the
/// sheet (another simulated run's): (folder, journal, copy).
fn with_another_history(dir: &Dir, suffix: &str) -> (PathBuf, PathBuf, PathBuf) {
    let folder = dir.sub("laptop");
    let other = dir.sub("other-run");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    simulate_into(PRACTICAL, &other, 6, 2, 2);
    let journal = journals(&folder)[0].clone();
    let rel = journal.strip_prefix(&folder).expect("inside");
    let copy = renamed(&journal, suffix);
    std::fs::copy(other.join(rel), &copy).expect("the other run has the same sheet");
    (folder, journal, copy)
}

/// The first `n` whole lines of `journal`, written over it.
fn cut_to_lines(journal: &Path, n: usize) {
    let text = std::fs::read_to_string(journal).expect("read");
    let kept: String = text.split_inclusive('\n').take(n).collect();
    assert!(kept.len() < text.len(), "the journal has more than {n} lines");
    std::fs::write(journal, kept).expect("write");
}

fn export(source: &[&str], out: &Path) -> (i32, String, Vec<Vec<String>>) {
    let mut args = vec!["export", PRACTICAL];
    args.extend_from_slice(source);
    args.extend_from_slice(&["--out", s(out)]);
    let (code, said) = run_osce(&args);
    let rows = csv_rows(&out.join("results.csv"));
    (code, said, rows)
}

/// The conflicted copy holds the submitted sheet; the journal under the
/// station's name is an older copy of it (the sync client kept the
/// shorter one under the name). Status, export and collect use the
/// renamed copy, and the results are those of the whole sheet.
#[test]
fn a_conflicted_copy_holding_the_submitted_sheet_is_used() {
    let dir = Dir::new("renamed-longer");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let (code, _, whole) = export(&["--sessions", s(&folder)], &dir.0.join("before"));
    assert!(code == 0 || code == 1);
    let (_, status_before) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);

    let journal = journals(&folder)[0].clone();
    let copy = renamed(&journal, " (EX01's conflicted copy 2026-06-01)");
    std::fs::copy(&journal, &copy).expect("copy");
    cut_to_lines(&journal, 6);

    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(
        !said.contains("marking"),
        "the cell shows the sheet submitted:\n{said}"
    );
    assert!(said.contains("Renamed copies of journals"), "{said}");
    assert!(
        said.contains(&format!("{} holds every record of", copy.display()))
            && said.contains("it is the one used"),
        "{said}"
    );
    assert_eq!(
        tally(&said).expect("a results line"),
        tally(&status_before).expect("a results line"),
        "{said}"
    );

    let (_, _, rows) = export(&["--sessions", s(&folder)], &dir.0.join("from-folders"));
    assert_eq!(
        rows, whole,
        "results.csv as before the sync client renamed the file"
    );

    let archive = dir.0.join("exam.osce");
    let (code, said) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 0, "{said}");
    let (_, said) = run_osce(&["status", PRACTICAL, "--archive", s(&archive)]);
    assert!(!said.contains("marking"), "{said}");
    let (_, _, rows) = export(&["--archive", s(&archive)], &dir.0.join("from-archive"));
    assert_eq!(rows, whole, "results.csv from the archive as before");

    let (code, said) = run_osce(&["audit", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("one of them is a renamed copy"), "{said}");
    assert!(!said.contains("osce did not put this here"), "{said}");
}

/// The renamed copy holds another history of the sheet (a laptop marking
/// on an out-of-date copy of the folder): a conflict in status, from the
/// folders and from the archive, settled by a decision naming the renamed
/// file.
#[test]
fn a_renamed_copy_with_another_history_is_a_conflict_to_decide() {
    let dir = Dir::new("renamed-other");
    let (folder, journal, copy) = with_another_history(&dir, " (Ann's conflicted copy 2026-06-01)");
    let rel = journal.strip_prefix(&folder).expect("inside");

    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(said.contains("1 CONFLICT"), "{said}");
    assert!(said.contains(&copy.display().to_string()), "{said}");
    let archive = dir.0.join("exam.osce");
    let (code, said) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 1, "a history refused as the journal is said:\n{said}");
    assert!(
        said.contains(&format!(
            "refused, from {}: a copy renamed beside the journal (a sync client keeps both files when one changed \
             in two places)",
            copy.display()
        )),
        "the journal under its own name is the one kept, the renamed copy beside it:\n{said}"
    );
    let (_, said) = run_osce(&["status", PRACTICAL, "--archive", s(&archive)]);
    assert!(said.contains("1 CONFLICT"), "{said}");

    // Each history is listed with what it holds, its path quoted for a
    // shell, so that the decision pasted with it runs as it is.
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder), "--problems"]);
    let listed = said
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("conflicted copy"))
        .find_map(|l| l.split_once(": submitted "))
        .map(|(path, _)| path.to_string())
        .expect("the renamed copy's history, submitted");
    let decide = said
        .lines()
        .find_map(|l| l.trim().strip_prefix("decide: "))
        .expect("the decision to paste")
        .replace(
            "osce ",
            &format!("{} ", assert_cmd::cargo::cargo_bin("osce").display()),
        )
        .replace("JOURNAL", &listed)
        .replace("NAME", "'Dr Lead'")
        .replace('…', "asked the examiner")
        .replace("decide conflict", "decide conflict --dry-run");
    let pasted = std::process::Command::new("bash")
        .args(["-c", &decide])
        .output()
        .expect("bash");
    assert!(
        pasted.status.success(),
        "{decide}\n{}{}",
        String::from_utf8_lossy(&pasted.stdout),
        String::from_utf8_lossy(&pasted.stderr)
    );

    let candidate = rel
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("candidate");
    let station = journal.file_stem().and_then(|n| n.to_str()).expect("station");
    let (code, said) = run_osce(&[
        "decide",
        "conflict",
        PRACTICAL,
        "--sessions",
        s(&folder),
        "--candidate",
        candidate,
        "--station",
        station,
        "--use",
        s(&copy),
        "--by",
        "Dr Lead",
        "--reason",
        "the examiner confirmed the sheet in the conflicted copy is the one submitted",
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(!said.contains("CONFLICT"), "{said}");
    // The exam lead's decisions journal renamed by the sync client in turn:
    // its decision still counts.
    let decisions = journals(&folder)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == "decisions.jsonl"))
        .expect("the decisions journal");
    std::fs::rename(
        &decisions,
        renamed(&decisions, " (Dr Lead's conflicted copy 2026-06-02)"),
    )
    .expect("rename");
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(!said.contains("CONFLICT"), "{said}");
    let (code, said) = run_osce(&["audit", PRACTICAL, "--sessions", s(&folder)]);
    assert!(!said.contains("osce did not put this here"), "{said}");
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("0 errors") && said.contains("settled by decision"),
        "{said}"
    );
    let (_, said) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert!(said.contains("1 new journal"), "the decisions journal:\n{said}");
    let (_, said) = run_osce(&["status", PRACTICAL, "--archive", s(&archive)]);
    assert!(!said.contains("CONFLICT"), "{said}");
}

/// The names sync clients and file managers give a copy, each holding the
/// whole sheet beside a journal cut short, one in each candidate's
/// folder: every sheet counts as submitted. Identical copies are one
/// sheet, the file under the journal's own name the one used.
#[test]
fn every_form_of_renamed_copy_is_read_and_the_journals_own_name_is_preferred() {
    let dir = Dir::new("renamed-forms");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let (_, before) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    let all = journals(&folder);
    let suffixes = [
        " (1).sync-conflict-20260601-101010-ABCDEFG",
        " 2",
        " - Copy",
        "\u{a0}(copie en conflit de Zoë 2026-06-01)",
    ];
    let mut cut = Vec::new();
    for (journal, suffix) in all.iter().zip(suffixes) {
        let copy = renamed(journal, suffix);
        std::fs::copy(journal, &copy).expect("copy");
        cut_to_lines(journal, 5);
        cut.push(copy);
    }
    // An identical copy beside another journal.
    let same = renamed(&all[5], " (1)");
    std::fs::copy(&all[5], &same).expect("copy");

    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(!said.contains("marking"), "{said}");
    assert_eq!(tally(&said), tally(&before), "{said}");
    for copy in &cut {
        assert!(
            said.contains(&format!("{} holds every record of", copy.display())),
            "{}:\n{said}",
            copy.display()
        );
    }
    assert!(
        said.contains(&format!("{} is the same as {}", same.display(), all[5].display())),
        "the journal under its own name is the one used:\n{said}"
    );
}

/// A candidate's folder and an examiner's folder copied beside the
/// originals (`SIM00002 (1)`, `EX02@… - Copy`), the copies holding the
/// whole sheets: read as copies of the same sheets, and audit says so
/// rather than calling them foreign.
#[test]
fn a_folder_copied_beside_its_original_is_read_as_a_copy() {
    let dir = Dir::new("renamed-folders");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let (_, before) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    let all = journals(&folder);
    let candidate = all[0].parent().expect("candidate's folder").to_path_buf();
    let examiner = all
        .last()
        .and_then(|j| j.parent()?.parent())
        .expect("examiner's folder")
        .to_path_buf();
    assert_ne!(candidate.parent(), Some(examiner.as_path()), "two examiners");
    let copy_dir = |from: &Path, suffix: &str| {
        let name = from.file_name().and_then(|n| n.to_str()).expect("name");
        let to = from.with_file_name(format!("{name}{suffix}"));
        let copied = std::process::Command::new("cp")
            .args(["-rp", s(from), s(&to)])
            .status()
            .expect("cp");
        assert!(copied.success());
        to
    };
    copy_dir(&candidate, " (1)");
    copy_dir(&examiner, " - Copy");
    for journal in all
        .iter()
        .filter(|j| j.starts_with(&candidate) || j.starts_with(&examiner))
    {
        cut_to_lines(journal, 5);
    }
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(!said.contains("marking"), "{said}");
    assert_eq!(tally(&said), tally(&before), "{said}");
    assert!(
        said.contains("Renamed copies of journals or their folders"),
        "{said}"
    );
    let (code, said) = run_osce(&["audit", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 0, "{said}");
    assert!(
        !said.contains("osce did not put this here")
            && said.contains("also found in a copy renamed beside it")
            && !said.contains("a folder collected twice"),
        "{said}"
    );
    let archive = dir.0.join("exam.osce");
    let (code, said) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 0, "{said}");
    let (_, said) = run_osce(&["status", PRACTICAL, "--archive", s(&archive)]);
    assert_eq!(tally(&said), tally(&before), "{said}");
}

/// A renamed copy cut short mid-line, the longest copy there is: its
/// complete lines are used, and status says to copy it again, not that
/// opening the sheet sets its end aside (osce never opens a renamed copy).
#[test]
fn a_renamed_copy_cut_mid_line_is_said_as_a_copy_to_make_again() {
    let dir = Dir::new("renamed-torn");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let journal = journals(&folder)[0].clone();
    let copy = renamed(&journal, " (1)");
    let mut bytes = std::fs::read(&journal).expect("read");
    cut_to_lines(&journal, 5);
    bytes.extend_from_slice(b"{\"v\":1,\"seq\":99");
    std::fs::write(&copy, &bytes).expect("write");
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(
        said.contains(&format!(
            "{}: a copy renamed beside the journal (a sync client's, most likely) whose end, from line",
            copy.display()
        )) && said.contains("copy it again from the laptop")
            && !said.contains("opening the sheet will set it aside"),
        "{said}"
    );
    assert!(!said.contains("marking"), "the complete lines count: {said}");
}

/// On the examiner's laptop the sync client kept the submitted sheet as a
/// renamed copy and a shorter journal under its own name: the marking
/// screen does not open the shorter one (marking on would make a second
/// history of the sheet), says why, and writes nothing.
#[test]
fn the_marking_screen_does_not_open_a_journal_a_renamed_copy_holds_more_than() {
    if common::tmux::skip_without_tmux() {
        return;
    }
    let t = common::tmux::Tmux::fresh("renamed-open");
    let folder = t.dir.join("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let journal = journals(&folder)
        .into_iter()
        .find(|j| j.file_stem().is_some_and(|n| n == "upper-limb"))
        .expect("an upper-limb sheet");
    let copy = renamed(&journal, " (1)");
    std::fs::copy(&journal, &copy).expect("copy");
    cut_to_lines(&journal, 6);
    let before = std::fs::read(&journal).expect("read");
    let candidate = journal
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("candidate");
    let who = journal
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .and_then(|n| n.split_once('@'))
        .expect("examiner@device");
    let rubric = std::fs::canonicalize(PRACTICAL).expect("rubric");
    t.start(&format!(
        "{} score {} --examiner {} --device {} --candidate {candidate} --station upper-limb --sessions {}",
        env!("CARGO_BIN_EXE_osce"),
        rubric.display(),
        who.0,
        who.1,
        folder.display()
    ));
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    let screen = t.wait_for("A copy of this sheet renamed beside it");
    assert!(screen.contains("Nothing was written"), "{screen}");
    assert_eq!(
        std::fs::read(&journal).expect("read"),
        before,
        "the journal is as it was"
    );
}

/// OneDrive names its copy after the computer (`lower-limb-LAPTOP07.jsonl`),
/// which is a station id of its own: status says it is not in the rubric
/// and how to rename it so that it is read as a copy; renamed so, it is.
#[test]
fn a_copy_named_with_the_computers_name_is_said_with_the_name_to_give_it() {
    let dir = Dir::new("renamed-onedrive");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 6, 2, 1);
    let (_, before) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    let journal = journals(&folder)
        .into_iter()
        .find(|j| j.file_stem().is_some_and(|n| n == "lower-limb"))
        .expect("a lower-limb sheet");
    let copy = renamed(&journal, "-LAPTOP07");
    std::fs::copy(&journal, &copy).expect("copy");
    cut_to_lines(&journal, 5);
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert!(
        said.contains(&format!(
            "{}: station \"lower-limb-LAPTOP07\" is not in this rubric; not used. If it is a copy of lower-limb.jsonl \
             that a sync client renamed (OneDrive adds the computer's name), rename it to \"lower-limb \
             (LAPTOP07).jsonl\"",
            copy.display()
        )),
        "{said}"
    );
    std::fs::rename(&copy, renamed(&journal, " (LAPTOP07)")).expect("rename");
    let (_, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(tally(&said), tally(&before), "{said}");
    assert!(!said.contains("marking"), "{said}");
}

/// The exam lead's decisions journal in two different histories (a
/// decision recorded on each side of a sync conflict): one is used, the
/// journal under its own name where they are as long, and status names
/// the decision that does not count and what to do, not only "find out
/// which is right".
#[test]
fn a_decision_only_another_history_of_the_decisions_journal_holds_is_named() {
    let dir = Dir::new("renamed-decisions");
    let (folder, journal, copy) = with_another_history(&dir, " (1)");
    let rel = journal.strip_prefix(&folder).expect("inside");
    let elsewhere = dir.0.join("elsewhere");
    let copied = std::process::Command::new("cp")
        .args(["-a", s(&folder), s(&elsewhere)])
        .status()
        .expect("cp");
    assert!(copied.success());
    let candidate = rel
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("candidate");
    let station = journal.file_stem().and_then(|n| n.to_str()).expect("station");
    let decide = |sessions: &Path, used: &Path, reason: &str| {
        let (code, said) = run_osce(&[
            "decide",
            "conflict",
            PRACTICAL,
            "--sessions",
            s(sessions),
            "--candidate",
            candidate,
            "--station",
            station,
            "--use",
            s(used),
            "--by",
            "Dr Lead",
            "--reason",
            reason,
            "--device",
            "lap1",
        ]);
        assert_eq!(code, 0, "{said}");
    };
    decide(&folder, &copy, "the examiner says the copy");
    decide(
        &elsewhere,
        &elsewhere.join(rel),
        "the journal, says the examiner's log",
    );
    let decisions = |root: &Path| {
        journals(root)
            .into_iter()
            .find(|p| p.file_name().is_some_and(|n| n == "decisions.jsonl"))
            .expect("the decisions journal")
    };
    let own = decisions(&folder);
    std::fs::copy(decisions(&elsewhere), renamed(&own, " (1)")).expect("copy");
    let (code, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(&format!(
            "only {} is used (the one with more records, or of two with as many the one under the journal's own name), \
             so 1 decision recorded only in {} \
             does not count",
            own.display(),
            renamed(&own, " (1)").display()
        )) && said.contains("the journal, says the examiner's log"),
        "{said}"
    );
    let (code, said) = run_osce(&["audit", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(&format!(
            "{}: the exam lead's decisions journal (Dr-Lead@lap1) is also in {}, with a different history",
            renamed(&own, " (1)").display(),
            own.display()
        )),
        "{said}"
    );
}

/// An assessor's moderation journal in two histories (moderated on, on
/// two copies of their folder, one kept by a sync client as
/// `moderation (1).jsonl`): status names the file used and what only the
/// other holds, which does not count, where it said only "only the longer
/// is used. Find out which is right".
#[test]
fn what_only_another_history_of_a_moderation_journal_holds_is_named() {
    use osce::store::{Event, Store};
    let dir = Dir::new("renamed-moderation");
    let folder = dir.sub("laptop");
    simulate_into(PRACTICAL, &folder, 4, 2, 1);
    let r = common::rubric(PRACTICAL);
    let open = |root: &Path| {
        Store::new(root)
            .open_moderation(&r.id, "a.assessor", "ea-laptop", &common::hash(PRACTICAL))
            .expect("open")
            .0
    };
    let mut journal = open(&folder);
    journal
        .append(
            Event::ModerationReport {
                text: "Marking looked consistent.".into(),
            },
            common::at(30),
        )
        .expect("report");
    drop(journal);
    let own = journals(&folder)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == "moderation.jsonl"))
        .expect("the moderation journal");
    // The other copy of the assessor's folder, moderated on there.
    let elsewhere = dir.sub("elsewhere");
    let there = elsewhere.join(own.strip_prefix(&folder).expect("inside"));
    std::fs::create_dir_all(there.parent().expect("parent")).expect("mkdir");
    std::fs::copy(&own, &there).expect("copy");
    let mut journal = open(&folder);
    journal
        .append(
            Event::SignedOff {
                summary: "nothing to change".into(),
            },
            common::at(40),
        )
        .expect("sign off");
    drop(journal);
    let mut journal = open(&elsewhere);
    journal
        .append(
            Event::ModerationReport {
                text: "Station 2 marked harshly.".into(),
            },
            common::at(45),
        )
        .expect("report again");
    drop(journal);
    let copy = renamed(&own, " (1)");
    std::fs::copy(&there, &copy).expect("kept by the sync client");

    let (code, said) = run_osce(&["status", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(&format!(
            "{}: a different history of assessor a.assessor's moderation journal on ea-laptop than {}; only {} is \
             used (the one with more records, or of two with as many the one under the journal's own name), so what \
             is recorded only in this one does not count: the moderation report. Ask a.assessor which history is \
             right: keep that one, named moderation.jsonl, and move the other out of the folders",
            copy.display(),
            own.display(),
            own.display()
        )),
        "{said}"
    );
    assert!(
        said.contains("Not final yet") && said.contains("1 moderation journal cannot be used whole"),
        "a decision of the assessor may be missing: {said}"
    );
    let (code, said) = run_osce(&["audit", PRACTICAL, "--sessions", s(&folder)]);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(&format!(
            "{}: the assessor's moderation journal (a.assessor@ea-laptop) is also in {}, with a different history",
            copy.display(),
            own.display()
        )),
        "{said}"
    );
}
