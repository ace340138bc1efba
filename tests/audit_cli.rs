//! `osce audit` against session folders written through the real store,
//! then damaged, edited, moved and opened up the ways people and crashes do.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use chrono::{DateTime, Duration, TimeZone, Utc};
use osce::results::audit::{FindingKind, LineSign, Severity, audit};
use osce::rubric::load;
use osce::store::{Event, SheetKey, Store, decode_line, encode_line, hash_rubric};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("osce-audit-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    fn sub(&self, name: &str) -> PathBuf {
        let p = self.0.join(name);
        fs::create_dir_all(&p).expect("sub dir");
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";
const ASSESSMENT: &str = "msk-us-osce";

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time")
        + Duration::minutes(minutes)
}

fn hash(rubric: &str) -> String {
    hash_rubric(&fs::read_to_string(rubric).expect("rubric"))
}

fn key(station: &str, candidate: &str, who: &str) -> SheetKey {
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    SheetKey {
        assessment: ASSESSMENT.into(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: device.into(),
    }
}

/// Writes one submitted sheet (opened, confirmed, every item at the top
/// level, submitted), a minute a record, against the rubric at
/// `rubric_path`. Returns the journal's path.
fn write_sheet(folder: &Path, rubric_path: &str, station: &str, candidate: &str, who: &str) -> PathBuf {
    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    let key = key(station, candidate, who);
    let (mut journal, _) = Store::new(folder)
        .open_sheet(&key, &hash(rubric_path))
        .expect("open");
    let mut minute = 0;
    let mut append = |event: Event| {
        minute += 1;
        journal.append(event, t(minute)).expect("append");
    };
    append(Event::Opened {
        app_version: "0.1.0".into(),
    });
    append(Event::Confirmed {
        candidate_name: format!("Name of {candidate}"),
    });
    let st = rubric.station(station).expect("station");
    for item in &st.items {
        let scale = rubric.scale(item.scale);
        let level = scale.levels.len() - 1;
        append(Event::Mark {
            item: item.id.clone(),
            level: Some(level),
            label: scale.levels[level].label.clone(),
            late: false,
        });
    }
    append(Event::Submitted {
        score: 20.0,
        max: 20.0,
        outcome: osce::scoring::StationOutcome::Pass,
    });
    Store::new(folder).sheet_path(&key).expect("path")
}

/// Amends a submitted sheet: unlocks it with `reason`, changes one mark,
/// submits again.
fn amend(folder: &Path, station: &str, candidate: &str, who: &str, reason: &str) {
    let (mut journal, _) = Store::new(folder)
        .open_sheet(&key(station, candidate, who), &hash(OSCE))
        .expect("open");
    journal
        .append(
            Event::AmendStarted {
                reason: reason.into(),
            },
            t(100),
        )
        .expect("append");
    journal
        .append(
            Event::Mark {
                item: "id-consent".into(),
                level: Some(0),
                label: "Not done".into(),
                late: false,
            },
            t(101),
        )
        .expect("append");
    journal
        .append(
            Event::Submitted {
                score: 0.0,
                max: 20.0,
                outcome: osce::scoring::StationOutcome::Fail,
            },
            t(102),
        )
        .expect("append");
}

fn run(args: &[&Path]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("osce").expect("binary");
    cmd.arg("audit").arg(OSCE).arg("--sessions");
    for a in args {
        cmd.arg(a);
    }
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// The byte offset where line `n` (1-based) of `bytes` starts.
fn line_start(bytes: &[u8], n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(n - 2)
        .map(|(i, _)| i + 1)
        .expect("the line exists")
}

fn assert_contains(out: &str, expected: &[&str]) {
    for e in expected {
        assert!(out.contains(e), "missing {e:?} in:\n{out}");
    }
}

#[test]
fn a_clean_cohort_exits_zero_lists_amendments_and_reads_the_same_in_any_folder_order() {
    let d = Dir::new();
    let (a, b) = (d.sub("laptop-a"), d.sub("laptop-b"));
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap-a");
    write_sheet(&a, OSCE, "shoulder", "C002", "E01@lap-a");
    write_sheet(&b, OSCE, "knee", "C001", "E02@lap-b");
    amend(
        &b,
        "knee",
        "C001",
        "E02@lap-b",
        "Mark entered against the wrong item",
    );
    // A write test the marking screen left when it was stopped in the
    // middle of one is osce's own: not a problem.
    std::os::unix::fs::OpenOptionsExt::mode(std::fs::File::options().write(true).create_new(true), 0o600)
        .open(a.join(ASSESSMENT).join("E01@lap-a/.write-check-4242"))
        .expect("left");

    let (code, out) = run(&[&a, &b]);
    assert_eq!(code, 0, "{out}");
    assert_contains(
        &out,
        &[
            "3 journals, 42 records, 1 amendment, 0 problems: 0 errors, 0 warnings.",
            "Amendments (1; results as the laptop recorded them when submitted):\n  C001 at knee, examiner E02 on lap-b: amended by E02 on lap-b at 2026-11-23 10:40:00 UTC, \
             reason \"Mark entered against the wrong item\"; was PASS 20/20, resubmitted FAIL 0/20 at 2026-11-23 10:42:00 UTC",
            "Submissions (4; each with the score and result the laptop recorded when it was submitted, under the \
             rubric's own pass marks: results.csv from osce export gives each station's result under the pass \
             marks in force):",
            "C001 at knee, examiner E02 on lap-b: FAIL 0/20 submitted by E02 on lap-b at 2026-11-23 10:42:00 UTC, record 16 (after an amendment)",
            "Every journal checks: nothing wrong found.",
        ],
    );
    assert!(!out.contains("Errors") && !out.contains("Warnings"), "{out}");

    let (code, reversed) = run(&[&b, &a]);
    assert_eq!(code, 0);
    assert_eq!(out, reversed, "the folder order does not change the report");
    let (_, twice) = run(&[&b, &a, &b]);
    assert_eq!(out, twice, "a folder named twice is read once");
}

#[test]
fn a_flipped_byte_in_a_middle_line_is_an_error_naming_file_and_line() {
    let d = Dir::new();
    let a = d.sub("a");
    let path = write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    let mut bytes = fs::read(&path).expect("read");
    let at = line_start(&bytes, 4) + 10; // the `t` of "time"
    bytes[at] ^= 0x20;
    fs::write(&path, &bytes).expect("write");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    let shown = path.display().to_string();
    assert_contains(
        &out,
        &[
            &format!("ERROR {shown} (3 of 13 lines used): damaged at line 4; signs of a hand edit"),
            &format!("{shown}: line 4 does not check: its bytes do not match its hash"),
            "yet the lines after it are intact, so it is not a write cut short but a change",
            "1 error found. Keep a copy of every file named above",
        ],
    );
}

#[test]
fn a_torn_tail_is_an_error_until_the_sheet_is_opened_then_the_quarantine_file_is_listed() {
    let d = Dir::new();
    let a = d.sub("a");
    let path = write_sheet(&a, OSCE, "knee", "C001", "E01@lap");
    let len = fs::metadata(&path).expect("journal").len();
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open")
        .set_len(len - 30)
        .expect("truncate");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    assert_contains(
        &out,
        &[
            "torn tail from line 13 (400 bytes, not set aside)",
            "line 13: the end of the journal from this line (400 bytes) is a write cut short, not yet set aside",
            "Open the sheet in osce, which sets these bytes aside",
        ],
    );

    // Opening the sheet sets the torn bytes aside; the journal then checks
    // and the quarantine file is listed for someone to look at.
    let (journal, replay) = Store::new(&a)
        .open_sheet(&key("knee", "C001", "E01@lap"), &hash(OSCE))
        .expect("open");
    drop(journal);
    let q = replay.quarantined.expect("set aside");
    let (code, out) = run(&[&a]);
    assert_eq!(code, 0, "a quarantine file alone is a warning:\n{out}");
    assert_contains(
        &out,
        &[
            "1 warning",
            "Quarantine files (1): bytes set aside after a write was cut short",
            &format!("  {} ({} bytes)", q.path.display(), q.bytes),
            &format!("{}: holds {} bytes set aside", q.path.display(), q.bytes),
            "check with the examiner that the sheet's last marks were made again",
        ],
    );
}

#[test]
fn a_last_line_changed_by_hand_and_then_set_aside_is_found_in_the_quarantine_file() {
    let d = Dir::new();
    let a = d.sub("a");
    let path = write_sheet(&a, OSCE, "knee", "C001", "E01@lap");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        text.replace("\"outcome\":\"PASS\"", "\"outcome\":\"FAIL\""),
    )
    .expect("write");
    let (journal, replay) = Store::new(&a)
        .open_sheet(&key("knee", "C001", "E01@lap"), &hash(OSCE))
        .expect("open");
    drop(journal);
    let q = replay.quarantined.expect("set aside as if torn");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    assert_contains(
        &out,
        &[
            "1 record changed by hand",
            &format!(
                "{}, line 1: this piece of the quarantine file is a whole record whose bytes do not match its hash",
                q.path.display()
            ),
        ],
    );
}

#[test]
fn a_journal_marked_against_an_edited_copy_of_the_rubric_is_an_error() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    let edited = d.0.join("edited.ron");
    // A changed item text: another version (a comment or layout would not be).
    let text = fs::read_to_string(OSCE).expect("rubric");
    fs::write(&edited, text.replacen("text: \"", "text: \"Edited: ", 1)).expect("write");
    let path = write_sheet(&a, edited.to_str().expect("utf-8"), "knee", "C001", "E02@lap");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    assert_contains(
        &out,
        &[
            &format!(
                "ERROR {} (13 records): marked against another rubric",
                path.display()
            ),
            &format!(
                "{}: marked against another rubric (BLAKE3 {})",
                path.display(),
                hash(edited.to_str().expect("utf-8"))
            ),
            // Not said as damage: nothing to keep apart as evidence.
            "1 journal was marked against another version of the rubric",
            "not damage, and nothing to keep apart",
        ],
    );
    assert!(!out.contains("Keep a copy of every file"), "{out}");
}

#[test]
fn a_line_rewritten_with_its_hash_worked_out_again_is_a_hand_edit() {
    let d = Dir::new();
    let a = d.sub("a");
    let path = write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    let text = fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
    // Line 3 is the first mark: lower it and work its hash out again, as
    // someone who read docs/session-format.md could.
    let mut record = decode_line(lines[2].as_bytes()).expect("sound line");
    match &mut record.event {
        Event::Mark { level, label, .. } => {
            *level = Some(0);
            *label = "Not done".into();
        }
        other => panic!("line 3 is {other:?}"),
    }
    lines[2] = encode_line(&mut record).expect("encode");
    assert!(decode_line(lines[2].as_bytes()).is_ok(), "its own hash is valid");
    fs::write(&path, lines.concat()).expect("write");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    assert_contains(
        &out,
        &[
            "damaged at line 4; signs of a hand edit",
            &format!(
                "{}: line 3 was rewritten and its hash worked out again",
                path.display()
            ),
            "A sign of a hand edit",
        ],
    );

    // The core says the same, as data.
    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    let report = audit(&rubric, &hash(OSCE), std::slice::from_ref(&a)).expect("audit");
    assert!(report.has_errors());
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.path == path && f.kind == FindingKind::Line(LineSign::Rewritten { line: 3 }))
    );
    assert_eq!(
        report.journals[0].records, 3,
        "the records before line 4 are used"
    );
}

#[test]
fn removed_and_moved_lines_and_journals_are_found() {
    let d = Dir::new();
    let a = d.sub("a");
    // A line removed.
    let path = write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    let text = fs::read_to_string(&path).expect("read");
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| l)
        .collect();
    fs::write(&path, kept.join("\n") + "\n").expect("write");
    // A journal copied into another candidate's folder.
    let other = write_sheet(&a, OSCE, "knee", "C002", "E02@lap");
    let wrong = a.join(ASSESSMENT).join("E02@lap/C003/knee.jsonl");
    fs::create_dir_all(wrong.parent().expect("folder")).expect("folder");
    fs::set_permissions(wrong.parent().expect("folder"), fs::Permissions::from_mode(0o700)).expect("chmod");
    fs::copy(&other, &wrong).expect("copy");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 1, "{out}");
    assert_contains(
        &out,
        &[
            &format!(
                "{}: line 6 is record 7 where 6 was expected: record 6 is missing (lines were removed)",
                path.display()
            ),
            &format!(
                "{}: its records name candidate C002, but it lies in the folder for candidate C003: \
                 it was copied or moved by hand",
                wrong.display()
            ),
            "Put it back in the folder of the sheet its records name: candidate C002 at station knee by \
             examiner E02 on device lap",
            "in another sheet's folder",
        ],
    );
}

#[test]
fn open_permissions_links_and_stray_files_are_warnings() {
    let d = Dir::new();
    let a = d.sub("a");
    let path = write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");

    let (code, out) = run(&[&a]);
    assert_eq!(code, 0, "permissions alone are a warning:\n{out}");
    assert_contains(
        &out,
        &[
            "0 errors, 1 warning.",
            "ok    ",
            &format!(
                "{}: this file can be read by others than its owner (mode 0644), and the session files hold \
                 candidates' personal data: chmod 600 it",
                path.display()
            ),
            "Every journal checks, but 1 warning above should be looked at.",
        ],
    );

    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    let backup = path.with_file_name("shoulder.jsonl.bak");
    fs::write(&backup, "x").expect("write");
    fs::set_permissions(&backup, fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = a.join(ASSESSMENT).join("E09@lap");
    std::os::unix::fs::symlink(a.join(ASSESSMENT).join("E01@lap"), &link).expect("link");
    let (code, out) = run(&[&a]);
    assert_eq!(
        code, 1,
        "the link shows E01's sheet again, in E09's place:\n{out}"
    );
    assert_contains(
        &out,
        &[
            &format!("{}: osce did not put this here", backup.display()),
            &format!("{}: a symbolic link; osce never makes links", link.display()),
            "E09@lap/C001/shoulder.jsonl: its records name examiner E01, but it lies in the folder for examiner E09",
        ],
    );
}

#[test]
fn the_same_sheet_copied_into_two_folders_is_a_warning() {
    let d = Dir::new();
    let (a, b) = (d.sub("a"), d.sub("b"));
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    let copy = b.join(ASSESSMENT).join("E01@lap/C001");
    fs::create_dir_all(&copy).expect("folder");
    for dir in [
        b.join(ASSESSMENT),
        b.join(ASSESSMENT).join("E01@lap"),
        copy.clone(),
    ] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    fs::copy(
        a.join(ASSESSMENT).join("E01@lap/C001/shoulder.jsonl"),
        copy.join("shoulder.jsonl"),
    )
    .expect("copy");

    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    let report = audit(&rubric, &hash(OSCE), &[b.clone(), a.clone()]).expect("audit");
    assert!(!report.has_errors(), "{:?}", report.findings);
    let warnings: Vec<String> = report.warnings().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("record for record the same"), "{warnings:?}");
    assert_eq!(report.findings[0].severity(), Severity::Warning);
}

#[test]
fn bad_arguments_exit_two() {
    let (code, out) = run(&[Path::new("/nonexistent/sessions")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no such sessions folder"), "{out}");
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .args(["audit", OSCE])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "--sessions is required");
}

/// A folder collected twice is one sheet for audit as for every command:
/// each submission listed once, the copies named, exit 0.
#[test]
fn a_folder_collected_twice_lists_each_submission_once() {
    let d = Dir::new();
    let a = d.sub("a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap");
    write_sheet(&a, OSCE, "knee", "C001", "E01@lap");
    let b = d.sub("b");
    for station in ["shoulder", "knee"] {
        let from = a.join(format!("msk-us-osce/E01@lap/C001/{station}.jsonl"));
        let to = b.join(format!("msk-us-osce/E01@lap/C001/{station}.jsonl"));
        fs::create_dir_all(to.parent().expect("folder")).expect("dir");
        fs::copy(&from, &to).expect("copy");
    }
    let (code, out) = run(&[&a, &b]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.matches("C001 at shoulder, examiner E01 on lap: ").count(),
        1,
        "{out}"
    );
    assert!(
        out.contains("a folder was copied twice. Every command counts it once"),
        "{out}"
    );
}

/// `osce simulate RUBRIC --candidates N --examiners K --seed S` into `sessions`.
fn simulate(rubric: &Path, sessions: &Path, candidates: usize, examiners: usize, seed: u64) {
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .arg("simulate")
        .arg(rubric)
        .args(["--candidates", &candidates.to_string()])
        .args(["--examiners", &examiners.to_string()])
        .args(["--seed", &seed.to_string()])
        .arg("--sessions")
        .arg(sessions)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Every journal under `dir`.
fn journals(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(journals(&path));
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            found.push(path);
        }
    }
    found
}

/// Stricter than audit, which lets a clock go back a few minutes: no record
/// of any journal under `dir` is timed before the one above it.
fn assert_times_never_go_back(dir: &Path) {
    let all = journals(dir);
    assert!(!all.is_empty(), "no journals in {}", dir.display());
    for path in all {
        let replay = osce::store::read_sheet(&path).expect("journal");
        for pair in replay.records.windows(2) {
            assert!(
                pair[0].time <= pair[1].time,
                "{}: record {} ({}) is timed {}, before record {} ({})",
                path.display(),
                pair[1].seq,
                pair[1].event.kind_word(),
                pair[1].time,
                pair[0].seq,
                pair[0].time
            );
        }
    }
}

/// `osce simulate` once wrote an unmarked item's `missing_reason` at the
/// end of the station but before the marks of the items after it, so that
/// auditing a fresh simulation warned of a clock put back.
#[test]
fn a_fresh_simulation_audits_without_a_clock_warning() {
    let d = Dir::new();
    let sessions = d.sub("sessions");
    simulate(Path::new(OSCE), &sessions, 12, 2, 3);
    let with_reason = journals(&sessions)
        .into_iter()
        .filter(|p| {
            fs::read_to_string(p)
                .expect("read")
                .contains("\"missing_reason\"")
        })
        .count();
    assert!(
        with_reason > 0,
        "this seed leaves an item unmarked, which the test is about"
    );
    let (code, out) = run(&[&sessions]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("clock was put back"), "{out}");
    assert_contains(&out, &["0 problems: 0 errors, 0 warnings."]);
    assert_times_never_go_back(&sessions);
}

/// A station of more items than the simulator's ten minutes have room for
/// (a mark every 30 seconds) is timed in order too.
#[test]
fn a_simulated_station_of_many_items_is_timed_in_order() {
    let d = Dir::new();
    let items: Vec<String> = (1..=40)
        .map(|k| format!("(id: \"step-{k}\", text: \"Step {k}\", scale: \"nd-d\")"))
        .collect();
    let rubric = d.0.join("long.ron");
    fs::write(
        &rubric,
        format!(
            r#"(
    id: "long",
    title: "Long",
    kind: PracticalExam,
    version: "1",
    scales: [
        (id: "nd-d", levels: Named([(label: "Not done", mark: 0), (label: "Done", mark: 1)])),
        (id: "global3", levels: Named([(label: "Fail", mark: 0), (label: "Borderline", mark: 1, borderline: true), (label: "Pass", mark: 2)])),
    ],
    stations: [
        (
            id: "steps",
            title: "Many steps",
            items: [{}],
            global_rating: (scale: "global3"),
            pass_mark: BorderlineRegression(provisional: Percent(60)),
        ),
    ],
    pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks)],
)
"#,
            items.join(", ")
        ),
    )
    .expect("write rubric");
    let sessions = d.sub("sessions");
    simulate(&rubric, &sessions, 4, 1, 1);
    assert_times_never_go_back(&sessions);
}

/// Many copies (a folder collected twice) are summed up in one line a
/// folder, so that a warning that needs a person is not lost among them.
#[test]
fn copies_of_a_whole_folder_are_one_line_of_the_audit() {
    let d = Dir::new();
    let a = d.sub("a");
    let rubric = PathBuf::from(OSCE);
    simulate(&rubric, &a, 4, 2, 1);
    let b = d.0.join("b");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(&a)
        .arg(&b)
        .status()
        .expect("cp");
    assert!(copied.success());
    let (code, out) = run(&[&a, &b]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.matches("also found in another folder given").count(),
        1,
        "{out}"
    );
    assert!(!out.contains("record for record the same"), "{out}");
}

/// A sheet recorded absent is listed among the submissions with the
/// examiner's reason: the exam lead's choice between a fail and a deferral
/// turns on it.
#[test]
fn an_absence_is_listed_with_its_reason() {
    let d = Dir::new();
    let a = d.sub("laptop-a");
    write_sheet(&a, OSCE, "shoulder", "C001", "E01@lap-a");
    let (mut journal, _) = Store::new(&a)
        .open_sheet(&key("knee", "C002", "E01@lap-a"), &hash(OSCE))
        .expect("open");
    journal
        .append(
            Event::Opened {
                app_version: "0.1.0".into(),
            },
            t(1),
        )
        .expect("append");
    journal
        .append(
            Event::Absent {
                reason: "phoned in sick".into(),
            },
            t(2),
        )
        .expect("append");
    journal
        .append(
            Event::Submitted {
                score: 0.0,
                max: 20.0,
                outcome: osce::scoring::StationOutcome::Absent,
            },
            t(3),
        )
        .expect("append");
    let (code, out) = run(&[&a]);
    assert_eq!(code, 0, "{out}");
    assert_contains(
        &out,
        &[
            "C002 at knee, examiner E01 on lap-a: ABSENT (phoned in sick) submitted by E01 on lap-a at 2026-11-23 09:03:00 UTC, record 3",
            "C001 at shoulder, examiner E01 on lap-a: PASS 20/20 submitted by",
        ],
    );
}
