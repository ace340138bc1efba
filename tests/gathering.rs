//! Sheets gathered from many folders, as a module leader gathers them:
//! the same results however the folders were copied, every journal checked
//! before it is used, and exit codes that tell a script whether the results
//! are final. Each test runs the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Dir, Marks, OSCE, append, sheet};
use osce::store::{Event, SheetKey, Store};

fn osce(args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

/// Copies a folder as a file manager or `cp -r` would.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every journal under `folder`, sorted.
fn journals(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Cuts the last `n` lines off a journal: an older copy of it.
fn drop_lines(path: &Path, n: usize) {
    let text = fs::read_to_string(path).expect("journal");
    let lines: Vec<&str> = text.lines().collect();
    let kept: String = lines[..lines.len() - n]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(path, kept).expect("write");
}

/// A simulated cohort of the OSCE in `folder`.
fn simulate(folder: &Path, candidates: usize) {
    let n = candidates.to_string();
    let (code, out, err) = osce(&[
        "simulate",
        OSCE,
        "--candidates",
        &n,
        "--examiners",
        "3",
        "--seed",
        "7",
        "--sessions",
        s(folder),
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

fn export(rubric: &str, sessions: &[&Path], out: &Path) -> (i32, String) {
    let mut args = vec!["export", rubric, "--sessions"];
    args.extend(sessions.iter().map(|p| s(p)));
    args.extend(["--out", s(out)]);
    let (code, stdout, stderr) = osce(&args);
    (code, stdout + &stderr)
}

fn status(rubric: &str, sessions: &[&Path]) -> (i32, String) {
    let mut args = vec!["status", rubric, "--sessions"];
    args.extend(sessions.iter().map(|p| s(p)));
    let (code, stdout, stderr) = osce(&args);
    (code, stdout + &stderr)
}

/// The rows of a CSV file, header first, read with a CSV parser.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("a CSV file");
    r.records()
        .map(|rec| rec.expect("a row").iter().map(str::to_string).collect())
        .collect()
}

/// Every sheet of a workbook, read with a spreadsheet reader: its name and
/// its cells.
fn workbook(path: &Path) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx workbook");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            let cells = range.rows().map(<[calamine::Data]>::to_vec).collect();
            (name, cells)
        })
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect("column")
}

/// The workflow: a cohort marked on the day on two laptops, each laptop's
/// folder collected twice (two USB sticks), a stale copy of everything
/// taken before the last records, a folder named twice and through a link,
/// and then one real conflict. The results are those of one clean folder,
/// in every CSV file and the workbook; the conflict is named; the exit
/// codes tell a script not to upload.
#[test]
fn copies_are_one_sheet_and_only_a_different_history_is_a_conflict() {
    let d = Dir::new("gather-copies");
    let clean = d.0.join("clean");
    simulate(&clean, 8);
    // The examiners' folders, shared between two laptops.
    let (laptop1, laptop2) = (d.0.join("laptop-1"), d.0.join("laptop-2"));
    let assessment = fs::read_dir(&clean)
        .expect("clean")
        .map(|e| e.expect("entry").path())
        .find(|p| p.is_dir())
        .expect("the assessment's folder");
    let mut examiners: Vec<PathBuf> = fs::read_dir(&assessment)
        .expect("assessment")
        .map(|e| e.expect("entry").path())
        .collect();
    examiners.sort();
    assert!(examiners.len() >= 2, "{examiners:?}");
    for (i, folder) in examiners.iter().enumerate() {
        let laptop = if i % 2 == 0 { &laptop1 } else { &laptop2 };
        let name = assessment.file_name().expect("name");
        copy_dir(folder, &laptop.join(name).join(folder.file_name().expect("name")));
    }
    let (usb1a, usb1b, usb2, stale) = (
        d.0.join("usb-1a"),
        d.0.join("usb-1b"),
        d.0.join("usb-2"),
        d.0.join("stale"),
    );
    copy_dir(&laptop1, &usb1a);
    copy_dir(&laptop1, &usb1b);
    copy_dir(&laptop2, &usb2);
    copy_dir(&clean, &stale);
    // The stale copy was taken before the last two records of some sheets.
    let stale_journals = journals(&stale);
    for j in stale_journals.iter().step_by(3) {
        drop_lines(j, 2);
    }
    let link = d.0.join("link-to-usb-1a");
    std::os::unix::fs::symlink(&usb1a, &link).expect("link");
    let usb1_dot = usb1a.join(".");
    let gathered: [&Path; 6] = [&stale, &usb2, &usb1b, &usb1a, &usb1_dot, &link];

    let from_clean = d.0.join("from-clean");
    let (clean_code, text) = export(OSCE, &[&clean], &from_clean);
    assert_eq!(
        clean_code, 1,
        "not final: the rubric's moderated sample is not done: {text}"
    );
    let from_copies = d.0.join("from-copies");
    let (code, text) = export(OSCE, &gathered, &from_copies);
    assert_eq!(code, clean_code, "{text}");
    for file in ["results.csv", "stations.csv", "items.csv", "marks.csv"] {
        assert_eq!(
            fs::read(from_clean.join(file)).expect("clean"),
            fs::read(from_copies.join(file)).expect("copies"),
            "{file} differs when the same sheets are gathered from copies"
        );
    }
    assert_eq!(
        workbook(&from_clean.join("export.xlsx")),
        workbook(&from_copies.join("export.xlsx")),
        "the workbook differs"
    );
    let results = rows(&from_copies.join("results.csv"));
    assert_eq!(results.len(), 9, "a row for each of the 8 candidates");

    let (_, text) = status(OSCE, &gathered);
    assert!(!text.contains("CONFLICT"), "{text}");
    assert!(text.contains("are the same folder: read once"), "{text}");
    let older = stale_journals.iter().step_by(3).count();
    let said: usize = text
        .lines()
        .filter(|l| l.contains(&format!("are in {} an older copy", stale.display())))
        .map(|l| {
            l.trim()
                .split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(said, older, "{text}");
    assert!(text.contains("the same as in"), "{text}");

    // One real conflict: on one stick, a sheet's last record differs.
    let victim = journals(&usb2).into_iter().next().expect("a journal");
    assert!(
        victim.starts_with(&usb2),
        "the conflict is on the second laptop's stick"
    );
    drop_lines(&victim, 1);
    let rel = victim.strip_prefix(&usb2).expect("inside");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let (examiner, device) = parts[1].split_once('@').expect("who");
    let key = SheetKey {
        assessment: parts[0].clone(),
        examiner: examiner.into(),
        device: device.into(),
        candidate: parts[2].clone(),
        station: parts[3].trim_end_matches(".jsonl").into(),
    };
    let (mut journal, _) = Store::new(&usb2)
        .open_sheet(&key, &common::hash(OSCE))
        .expect("open");
    journal
        .append(
            Event::Opened {
                app_version: "a different last record".into(),
            },
            common::at(400),
        )
        .expect("append");
    drop(journal);
    let (code, text) = status(OSCE, &[&usb1a, &usb2, &stale]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(text.matches("has two different histories").count(), 1, "{text}");
    assert!(
        text.contains(&format!("{} at {}", key.candidate, key.station)),
        "{text}"
    );
    let with_conflict = d.0.join("with-conflict");
    let (code, text) = export(OSCE, &[&usb1a, &usb2, &stale], &with_conflict);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Not final yet"), "{text}");
    let stations = rows(&with_conflict.join("stations.csv"));
    let note = column(&stations, "note");
    let conflicted = stations
        .iter()
        .find(|r| r[0] == key.candidate && r.contains(&key.station))
        .expect("the conflicted station's row");
    assert!(conflicted[note].contains("conflict"), "{conflicted:?}");
    let marks = rows(&with_conflict.join("marks.csv"));
    let row = marks.iter().find(|r| r[0] == key.candidate).expect("row");
    assert_eq!(
        row[1], "",
        "no mark is uploaded with a station still open: {row:?}"
    );
    assert!(matches!(row[2].as_str(), "INCOMPLETE" | "FAIL"), "{row:?}");
}

/// A rubric opened in another editor and saved with Windows line endings,
/// a blank line more and a comment is the same exam; one with an item's
/// text changed is another version, and every command says so and exits 1.
#[test]
fn a_rubric_is_its_content_not_its_bytes() {
    let d = Dir::new("gather-rubric");
    let sessions = d.0.join("s");
    simulate(&sessions, 4);
    let text = fs::read_to_string(OSCE).expect("rubric");
    let resaved = d.0.join("resaved.ron");
    fs::write(
        &resaved,
        format!(
            "// saved on the office PC\r\n{}\r\n\r\n",
            text.replace('\n', "\r\n")
        ),
    )
    .expect("write");
    let (a, b) = (d.0.join("a"), d.0.join("b"));
    let (code_a, out_a) = export(OSCE, &[&sessions], &a);
    let (code_b, out_b) = export(s(&resaved), &[&sessions], &b);
    assert_eq!(code_a, code_b, "{out_a}\n{out_b}");
    for file in ["results.csv", "stations.csv", "items.csv", "marks.csv"] {
        assert_eq!(
            fs::read(a.join(file)).expect("a"),
            fs::read(b.join(file)).expect("b"),
            "{file}"
        );
    }
    let (_, out, _) = osce(&["check", "--identity", OSCE, s(&resaved)]);
    let ids: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(ids.len(), 2, "{out}");
    assert_eq!(ids[0], ids[1], "{out}");

    // The exam lead decided something under the rubric as marked.
    let journal = journals(&sessions)
        .into_iter()
        .find(|j| j.extension().is_some_and(|e| e == "jsonl") && !j.ends_with("decisions.jsonl"))
        .expect("a sheet");
    let station = journal.file_stem().and_then(|n| n.to_str()).expect("station");
    let candidate = journal
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .expect("candidate");
    let (code, out, err) = osce(&[
        "decide",
        "void",
        OSCE,
        "--sessions",
        s(&sessions),
        "--candidate",
        candidate,
        "--station",
        station,
        "--sheet",
        s(&journal),
        "--by",
        "Exam lead",
        "--reason",
        "Marked on the wrong sheet",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let changed = d.0.join("changed.ron");
    fs::write(&changed, text.replacen("text: \"", "text: \"Changed: ", 1)).expect("write");
    let (code, out) = status(s(&changed), &[&sessions]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "sheets were marked against another version of this rubric (a file whose content differs"
        ),
        "{out}"
    );
    let (_, problems, _) = osce(&["status", s(&changed), "--sessions", s(&sessions), "--problems"]);
    // Nothing of this version to look at, not "no sheet needs action"; the
    // lead's journal, read whole, is of the other version.
    assert!(
        problems.contains("No sheet of this version of the rubric to look at.")
            && !problems.contains("No sheet needs action"),
        "{problems}"
    );
    assert!(
        problems.contains("1 decisions journal was decided under another version of the rubric, so not used")
            && !problems.contains("cannot be read whole"),
        "{problems}"
    );
    // Not also that the folder "holds the sheets of" the same assessment.
    assert!(!out.contains("holds the sheets of"), "{out}");
    let (code, out) = export(s(&changed), &[&sessions], &d.0.join("c"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("none of them against this file"), "{out}");
    for command in ["report", "feedback"] {
        let out_dir = d.0.join(format!("{command}-out"));
        let mut args = vec![command, s(&changed), "--sessions", s(&sessions)];
        if command == "feedback" {
            args.extend(["--out", s(&out_dir)]);
        } else {
            args.extend(["--format", "csv", "--out", s(&out_dir)]);
        }
        let (code, stdout, stderr) = osce(&args);
        assert_ne!(code, 0, "{command}: {stdout}{stderr}");
        assert!(
            (stdout.clone() + &stderr).contains("none of them against this file"),
            "{command}: {stdout}{stderr}"
        );
    }
}

/// One submitted sheet of candidate C001 at the shoulder station.
fn one_sheet(folder: &Path) -> PathBuf {
    sheet(folder, OSCE, "shoulder", "C001", "E01@lap", Marks::Top, true, 0)
}

/// Candidate C001's sheet at the shoulder station, opened by E01 on `lap`,
/// to write records no marking screen would.
fn open_shoulder(folder: &Path) -> osce::store::Journal {
    let key = SheetKey {
        assessment: common::rubric(OSCE).id,
        station: "shoulder".into(),
        candidate: "C001".into(),
        examiner: "E01".into(),
        device: "lap".into(),
    };
    Store::new(folder)
        .open_sheet(&key, &common::hash(OSCE))
        .expect("open")
        .0
}

/// What status says of a problem, and that it exits 1 and exports the
/// reason in the station's note.
fn assert_problem(d: &Dir, folder: &Path, candidate: &str, words: &str) {
    let (code, out) = status(OSCE, &[folder]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PROBLEM"), "{out}");
    assert!(out.contains("Problems to look at"), "{out}");
    assert!(out.contains(words), "{out}");
    let export_dir = d.0.join(format!("export-{}", words.len()));
    let (code, out) = export(OSCE, &[folder], &export_dir);
    assert_eq!(code, 1, "{out}");
    let stations = rows(&export_dir.join("stations.csv"));
    let note = column(&stations, "note");
    let row = stations
        .iter()
        .find(|r| r[0] == candidate && r.iter().any(|c| c == "shoulder"))
        .expect("row");
    assert!(row[note].contains(words), "{row:?}");
}

#[test]
fn a_journal_moved_into_another_candidates_folder_is_a_problem() {
    let d = Dir::new("gather-moved");
    let folder = d.0.join("s");
    let path = one_sheet(&folder);
    let other = path.parent().expect("C001").with_file_name("C002");
    fs::create_dir_all(&other).expect("dir");
    fs::rename(&path, other.join("shoulder.jsonl")).expect("move");
    assert_problem(
        &d,
        &folder,
        "C002",
        "names candidate \"C001\", but the journal lies in the folder of candidate \"C002\"",
    );
}

#[test]
fn a_change_after_submission_without_an_amendment_is_a_problem() {
    let d = Dir::new("gather-after");
    let folder = d.0.join("s");
    one_sheet(&folder);
    append(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap",
        vec![Event::Mark {
            item: "id-consent".into(),
            level: Some(0),
            label: "Not done".into(),
            late: false,
        }],
    );
    assert_problem(
        &d,
        &folder,
        "C001",
        "changes the sheet after it was submitted, with no amendment",
    );
}

#[test]
fn a_submitted_score_its_marks_do_not_give_is_a_problem() {
    let d = Dir::new("gather-score");
    let folder = d.0.join("s");
    let mut journal = open_shoulder(&folder);
    let rubric = common::rubric(OSCE);
    let station = rubric.station("shoulder").expect("station");
    for item in &station.items {
        journal
            .append(
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(0),
                    label: String::new(),
                    late: false,
                },
                common::at(1),
            )
            .expect("append");
    }
    journal
        .append(
            Event::Submitted {
                score: 20.0,
                max: 20.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
            common::at(2),
        )
        .expect("append");
    drop(journal);
    assert_problem(
        &d,
        &folder,
        "C001",
        "submits a score of 20, but the marks before it give 0",
    );
}

#[test]
fn a_level_the_rubric_does_not_have_is_a_problem_not_a_missing_sheet() {
    let d = Dir::new("gather-level");
    let folder = d.0.join("s");
    let mut journal = open_shoulder(&folder);
    journal
        .append(
            Event::Mark {
                item: "id-consent".into(),
                level: Some(9),
                label: "?".into(),
                late: false,
            },
            common::at(1),
        )
        .expect("append");
    drop(journal);
    assert_problem(&d, &folder, "C001", "but its scale has");
}

#[test]
fn a_damaged_amendment_is_a_problem_not_the_old_score() {
    let d = Dir::new("gather-damaged");
    let folder = d.0.join("s");
    let path = one_sheet(&folder);
    append(
        &folder,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Mark {
                item: "id-consent".into(),
                level: Some(0),
                label: "Not done".into(),
                late: false,
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    // A byte of the amendment's mark changed on the way (a bad stick).
    let text = fs::read_to_string(&path).expect("journal");
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let damaged: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == n - 2 {
                format!("{}\n", l.replacen("\"level\":0", "\"level\":1", 1))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&path, damaged).expect("write");
    assert_problem(&d, &folder, "C001", "damaged at line");
}

/// A journal that cannot be read (here a pipe where the file was) is a
/// problem with the reason, never a missing sheet or an empty note.
#[test]
fn a_journal_that_cannot_be_read_is_a_problem_with_its_reason() {
    let d = Dir::new("gather-unreadable");
    let folder = d.0.join("s");
    let path = one_sheet(&folder);
    fs::remove_file(&path).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    assert_problem(&d, &folder, "C001", "cannot be read");
}

/// Status and the report read the sheets without the time of each mark
/// (only items.csv gives it): from the folders, from an archive reading
/// the journals' bytes, and from the readings it then keeps, the cohort is
/// the whole cohort but for those times.
#[test]
fn a_cohort_read_without_mark_times_is_the_whole_one_less_them() {
    use osce::results::gather::{Cohort, Detail, gather_detail};
    use osce::results::source::{Sheets, Source};
    let d = Dir::new("without-mark-times");
    let folder = d.sub("s");
    simulate(&folder, 4);
    let archive = d.0.join("exam.osce");
    let (code, out, err) = osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 0, "{out}{err}");
    let rubric = common::rubric(OSCE);
    let hash = common::hash(OSCE);
    let same = |whole: &Cohort, lean: &Cohort, from: &str| {
        assert!(!whole.sheets.is_empty(), "{from}: no sheets read");
        assert_eq!(whole.sheets.len(), lean.sheets.len(), "{from}");
        assert!(
            whole.sheets.iter().all(|s| !s.mark_times.is_empty()),
            "{from}: a sheet read whole has the time of each mark"
        );
        for (w, l) in whole.sheets.iter().zip(&lean.sheets) {
            assert!(l.mark_times.is_empty(), "{from}: {:?}", l.key);
            assert_eq!(
                (&w.key, &w.path, &w.last_hash),
                (&l.key, &l.path, &l.last_hash),
                "{from}"
            );
            assert_eq!(w.state, l.state, "{from}: {:?}", w.key);
        }
    };
    let folders = [folder.clone()];
    let read = |detail| {
        gather_detail(&rubric, &hash, Source::Folders(&folders), Sheets::All, detail).expect("gathered")
    };
    same(
        &read(Detail::Whole),
        &read(Detail::WithoutMarkTimes),
        "the folders",
    );
    // The first reading of each journal is made from its bytes (and kept);
    // the second is read from what the archive keeps.
    for from in ["the archive's bytes", "the archive's readings"] {
        let read = |detail| {
            let stored = osce::results::archive::Stored::open(&archive).expect("archive");
            gather_detail(&rubric, &hash, Source::Archive(&stored), Sheets::All, detail).expect("gathered")
        };
        let lean = read(Detail::WithoutMarkTimes);
        same(&read(Detail::Whole), &lean, from);
    }
}

/// The module leader edits the rubric after the exam (an item's text) and
/// runs the commands with the roster: the sheets are in, marked against the
/// rubric as it was, so no cell is "missing" and no result "waits for a
/// sheet"; a command that would write results from none of them writes
/// nothing and says which versions met.
#[test]
fn sheets_of_another_version_are_not_called_missing() {
    let d = Dir::new("gather-other-version");
    let sessions = d.0.join("s");
    let roster = d.0.join("roster.csv");
    let (code, out, err) = osce(&[
        "simulate",
        OSCE,
        "--candidates",
        "4",
        "--examiners",
        "3",
        "--seed",
        "7",
        "--sessions",
        s(&sessions),
        "--roster",
        s(&roster),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let text = fs::read_to_string(OSCE).expect("rubric");
    let changed = d.0.join("changed.ron");
    fs::write(&changed, text.replacen("text: \"", "text: \"Changed: ", 1)).expect("write");
    let (_, ids, _) = osce(&["check", "--identity", OSCE, s(&changed)]);
    let ids: Vec<&str> = ids.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let (old, new) = (&ids[0][..12], &ids[1][..12]);

    let (code, out, err) = osce(&[
        "status",
        s(&changed),
        "--sessions",
        s(&sessions),
        "--roster",
        s(&roster),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        !out.contains("missing") && out.contains("24 sheets expected: 24 PROBLEM."),
        "{out}"
    );
    let (code, out, err) = osce(&[
        "status",
        s(&changed),
        "--sessions",
        s(&sessions),
        "--roster",
        s(&roster),
        "--problems",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    // The rubric file is what to change: said once, not sheet by sheet.
    assert!(
        !out.contains(": missing")
            && out.contains(&format!("24 sheets marked against identity {old}"))
            && out.contains("No sheet of this version of the rubric to look at.")
            && !out.contains("--candidate SIM00001"),
        "{out}"
    );

    // export, report and feedback write nothing from no sheet of this
    // version, and name both identities.
    let exported = d.0.join("export");
    let report = d.0.join("report.md");
    let feedback = d.0.join("feedback");
    for args in [
        vec!["export", s(&changed), "--out", s(&exported)],
        vec!["report", s(&changed), "--format", "markdown", "--out", s(&report)],
        vec!["feedback", s(&changed), "--out", s(&feedback)],
    ] {
        for with_roster in [true, false] {
            let mut args = args.clone();
            args.extend(["--sessions", s(&sessions)]);
            if with_roster {
                args.extend(["--roster", s(&roster)]);
            }
            let (code, stdout, stderr) = osce(&args);
            let said = stdout + &stderr;
            assert_eq!(code, 1, "{args:?}: {said}");
            assert!(!said.contains("no sheets were found"), "{args:?}: {said}");
            assert!(
                said.contains("none of them against this file") && said.contains(old) && said.contains(new),
                "{args:?}: {said}"
            );
        }
    }
    assert!(!exported.join("results.csv").exists());
    assert!(!report.exists());
    assert!(!feedback.exists());

    // One sheet marked on a laptop with the edited copy, where no sheet of
    // the rubric as marked is: that cell is a problem, said in its result,
    // and the rest of the exam is exported.
    sheet(
        &sessions,
        s(&changed),
        "shoulder",
        "SIM00009",
        "E09@lap",
        Marks::Top,
        true,
        0,
    );
    let (code, out, err) = osce(&["status", OSCE, "--sessions", s(&sessions), "--problems"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("SIM00009 at shoulder:")
            && out.contains("where it was marked again against this rubric, set it aside:"),
        "{out}"
    );
    let (code, out) = export(OSCE, &[&sessions], &exported);
    assert_eq!(code, 1, "{out}");
    let results = rows(&exported.join("results.csv"));
    let col = |name: &str| results[0].iter().position(|h| h == name).expect(name);
    let row = results
        .iter()
        .find(|r| r[col("candidate_id")] == "SIM00009")
        .expect("SIM00009 has a result");
    assert_eq!(row[col("result")], "INCOMPLETE", "{row:?}");
    assert!(
        row[col("reasons")]
            .contains("no sheet counts yet at 'Shoulder' (marked against another version of the rubric)"),
        "{row:?}"
    );
    assert!(
        !row[col("reasons")].contains("no sheet yet for 'Shoulder'"),
        "{row:?}"
    );
}
