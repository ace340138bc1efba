//! `osce import` through the binary, in temporary folders: paper marks in
//! the long CSV format of `docs/import-format.md` become submitted sheets,
//! marked as imported; a file with any bad line writes nothing and names
//! the line; existing sheets are never added to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use osce::rubric::load;
use osce::store::{Event, SheetKey, SheetState, Store, hash_rubric, read_sheet};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";
const FCA: &str = "rubrics/msk-final-clinical-assessment.ron";
const DOC_PATH: &str = "docs/import-format.md";
const DOC: &str = include_str!("../docs/import-format.md");

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("osce-import-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    }

    fn sessions(&self) -> PathBuf {
        self.0.join("sessions")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A path in the crate, usable from any working directory.
fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn osce(dir: &Path, args: &[&str]) -> Out {
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `osce import RUBRIC FILE --examiner e.jones --sessions sessions`, run
/// in `dir`.
fn import(dir: &Dir, rubric: &str, file: &str) -> Out {
    let rubric = here(rubric);
    osce(
        dir.path(),
        &[
            "import",
            rubric.to_str().expect("utf-8 path"),
            file,
            "--examiner",
            "e.jones",
            "--sessions",
            "sessions",
        ],
    )
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in read {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.insert(path.clone(), std::fs::read(&path).expect("read"));
        }
    }
    out
}

fn key(assessment: &str, station: &str, candidate: &str, device: &str) -> SheetKey {
    SheetKey {
        assessment: assessment.into(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: "e.jones".into(),
        device: device.into(),
    }
}

/// The replayed state of an imported sheet.
fn sheet(dir: &Dir, station: &str, candidate: &str) -> SheetState {
    let path = Store::new(dir.sessions())
        .sheet_path(&key("msk-us-osce", station, candidate, "paper"))
        .expect("path");
    let replay = read_sheet(&path).expect("journal");
    assert!(replay.quarantined.is_none() && replay.damage.is_none());
    SheetState::replay(&replay.records)
}

/// The fenced block of `kind` that follows `heading` in the doc.
fn doc_block(heading: &str, kind: &str) -> String {
    let at = DOC
        .find(heading)
        .unwrap_or_else(|| panic!("{DOC_PATH} has no heading {heading:?}"));
    let fence = format!("```{kind}\n");
    let start = at
        + DOC[at..]
            .find(&fence)
            .unwrap_or_else(|| panic!("{DOC_PATH}: no ```{kind} block after {heading:?}"))
        + fence.len();
    let len = DOC[start..]
        .find("```")
        .unwrap_or_else(|| panic!("{DOC_PATH}: a ```{kind} block is not closed"));
    DOC[start..start + len].to_string()
}

/// The example of the doc: C001 marked in full, C002 absent, C003 with one
/// item left blank on paper, all at the physics station.
fn example() -> String {
    doc_block("## 1. An example", "csv")
}

#[test]
fn the_doc_example_imports_and_status_shows_its_sheets_submitted() {
    let d = Dir::new();
    let text = example();
    d.write("paper-marks.csv", &text);
    let out = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stderr, "", "no warnings for the example");
    // The summary is the one the doc shows.
    let shown = doc_block("then says:", "text");
    assert!(
        out.stdout.starts_with(&shown),
        "{DOC_PATH}: the summary under the example should be what osce prints:\n{}",
        out.stdout
    );

    let status = osce(
        d.path(),
        &[
            "status",
            here(OSCE).to_str().expect("path"),
            "--sessions",
            "sessions",
        ],
    );
    assert_eq!(status.code, 1, "the other stations are still missing");
    assert!(
        status.stdout.contains("2 submitted") && status.stdout.contains("1 absent"),
        "{}",
        status.stdout
    );
    let row = |c: &str| {
        status
            .stdout
            .lines()
            .find(|l| l.starts_with(c))
            .unwrap_or_else(|| panic!("no row for {c}:\n{}", status.stdout))
            .to_string()
    };
    assert!(row("C001").contains('✓') && row("C001").contains("Aisha Rahman"));
    assert!(row("C002").contains("absent"));
    assert!(row("C003").contains('✓') && row("C003").contains("Okafor, Chidinma"));

    // The journals replay as sheets marked as imported from the file.
    let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
    let c001 = sheet(&d, "physics", "C001");
    assert_eq!(
        c001.imported.as_deref(),
        Some(format!("paper-marks.csv lines 2–9 (BLAKE3 {hash})").as_str())
    );
    assert_eq!(c001.confirmed.as_deref(), Some("Aisha Rahman"));
    assert_eq!(c001.mark("gain-tgc").map(|m| m.level), Some(Some(1)));
    assert_eq!(
        c001.mark("doppler").map(|m| (m.level, m.late)),
        Some((Some(0), false))
    );
    assert_eq!(c001.global_rating(), Some((2, false)));
    assert_eq!(
        c001.feedback,
        "Clear explanations; revise Doppler settings, especially the PRF."
    );
    assert_eq!(c001.notes, "doppler: Did not use the wall filter");
    let submitted = c001.submitted.as_ref().expect("submitted");
    assert_eq!(
        (submitted.score, submitted.max, submitted.outcome.word()),
        (11.0, 14.0, "PASS")
    );
    assert!(c001.is_locked());

    let c002 = sheet(&d, "physics", "C002");
    assert_eq!(c002.absent.as_deref(), Some("Did not attend"));
    assert_eq!(c002.submitted.as_ref().map(|s| s.outcome.word()), Some("ABSENT"));
    assert!(
        c002.imported
            .as_deref()
            .is_some_and(|s| s.starts_with("paper-marks.csv line 10 "))
    );

    let c003 = sheet(&d, "physics", "C003");
    assert_eq!(c003.mark("resolution"), None);
    assert_eq!(
        c003.missing_reasons
            .get(&osce::store::Unmarked::item("resolution"))
            .map(String::as_str),
        Some("Left blank on the paper form")
    );
    assert_eq!(
        c003.submitted.as_ref().map(|s| s.outcome.word()),
        Some("INCOMPLETE")
    );

    // The records are in the order the doc gives, imported first.
    let path = Store::new(d.sessions())
        .sheet_path(&key("msk-us-osce", "physics", "C001", "paper"))
        .expect("path");
    let kinds: Vec<&'static str> = read_sheet(&path)
        .expect("journal")
        .records
        .iter()
        .map(|r| match r.event {
            Event::Imported { .. } => "imported",
            Event::Confirmed { .. } => "confirmed",
            Event::Mark { .. } => "mark",
            Event::GlobalRating { .. } => "global_rating",
            Event::Feedback { .. } => "feedback",
            Event::Notes { .. } => "notes",
            Event::Submitted { .. } => "submitted",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "imported",
            "confirmed",
            "mark",
            "mark",
            "mark",
            "mark",
            "mark",
            "mark",
            "global_rating",
            "feedback",
            "notes",
            "submitted"
        ]
    );
}

#[test]
fn one_bad_line_among_good_ones_writes_nothing_and_names_the_line() {
    let d = Dir::new();
    let text = example().replace("C001,physics,artefacts,Done", "C001,physics,artefacts,Donne");
    d.write("paper-marks.csv", text);
    let out = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("paper-marks.csv: line 5, level: item \"artefacts\" has no level \"Donne\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean \"Done\"?"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1 problem; nothing was imported"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    assert!(files(&d.sessions()).is_empty(), "nothing may be written");
}

/// One kind of bad file: what is wrong, the file, the line reported, a
/// phrase of the message, and how section 10 of the doc quotes it.
struct Bad {
    what: &'static str,
    text: String,
    line: usize,
    phrase: &'static str,
    in_doc: &'static str,
}

fn bad_files() -> Vec<Bad> {
    let head = "candidate_id,station,item,level\n";
    let good = "C001,knee,id-consent,Done\n";
    let with = |lines: &str| format!("{head}{good}{lines}");
    let bad = |what, text, line, phrase, in_doc| Bad {
        what,
        text,
        line,
        phrase,
        in_doc,
    };
    vec![
        bad(
            "unknown station",
            with("C001,kneee,positioning,Done\n"),
            3,
            "there is no station \"kneee\"",
            "there is no station \"…\"",
        ),
        bad(
            "rest station",
            with("C001,rest,nap,Done\n"),
            3,
            "is a rest station",
            "is a rest station: there is nothing to mark there",
        ),
        bad(
            "unknown item",
            with("C001,knee,meniscus,Done\n"),
            3,
            "has no item \"meniscus\"",
            "has no item \"…\"",
        ),
        bad(
            "bad level",
            with("C001,knee,positioning,Perfect\n"),
            3,
            "has no level \"Perfect\"",
            "has no level \"…\"",
        ),
        bad(
            "not observed where not allowed",
            with("C001,knee,positioning,not observed\n"),
            3,
            "cannot be \"not observed\"",
            "cannot be \"not observed\"",
        ),
        bad(
            "duplicate line",
            with("C001,knee,quads,Done\nC001,knee,quads,Not done\n"),
            4,
            "line 3 already gives item \"quads\" for candidate C001",
            "already gives item \"…\" for candidate …",
        ),
        bad(
            "bad candidate id",
            with("C 001,knee,quads,Done\n"),
            3,
            "the candidate id is not usable",
            "the candidate id is not usable",
        ),
        bad(
            "candidate id in other capitals",
            with("c001,knee,quads,Done\n"),
            3,
            "differs from \"C001\" on line 2 only in capitals",
            "differs from \"…\" on line … only in capitals",
        ),
        bad(
            "wrong examiner",
            "candidate_id,station,item,level,examiner\nC001,knee,id-consent,Done,e.jones\nC001,knee,quads,Done,a.smith\n"
                .to_string(),
            3,
            "this line is examiner \"a.smith\"'s, but the marks are being imported for examiner \"e.jones\"",
            "this line is examiner \"…\"'s, but the marks are being imported for examiner \"…\"",
        ),
        bad(
            "two names for one candidate",
            "candidate_id,station,item,level,candidate_name\nC001,knee,id-consent,Done,Aisha Rahman\nC001,knee,quads,Done,Aisha Khan\n"
                .to_string(),
            3,
            "is named \"Aisha Khan\" here but \"Aisha Rahman\" on line 2",
            "is named \"…\" here but \"…\" on line …",
        ),
        bad(
            "late neither yes nor no",
            "candidate_id,station,item,level,late\nC001,knee,id-consent,Done,maybe\n".to_string(),
            2,
            "late is \"maybe\"",
            "late is \"…\"",
        ),
        bad(
            "empty level without a reason",
            with("C001,knee,quads,\n"),
            3,
            "the level of item \"quads\" is empty",
            "the level of … is empty",
        ),
        bad(
            "absent with marks",
            with("C001,knee,absent,Did not attend\n"),
            3,
            "is absent, but has marks on line 2",
            "is absent, but has marks on …",
        ),
        bad(
            "missing column",
            "candidate_id,station,level\nC001,knee,Done\n".to_string(),
            1,
            "the header has no item column",
            "the header has no … column",
        ),
        bad(
            "unknown column",
            "candidate_id,station,item,level,score\nC001,knee,quads,Done,2\n".to_string(),
            1,
            "unknown column \"score\"",
            "unknown column \"…\"",
        ),
        bad(
            "a line with too many cells",
            with("C001,knee,quads,Done,extra\n"),
            3,
            "the line has 5 cells but the header has 4 columns",
            "the line has … cells but the header has … columns",
        ),
        bad(
            "separated by semicolons",
            "candidate_id;station;item;level\nC001;knee;quads;Done\n".to_string(),
            1,
            "the columns seem to be separated by semicolons, not commas",
            "separated by semicolons, not commas",
        ),
        bad("empty file", String::new(), 1, "the file is empty", "the file is empty"),
        bad(
            "header only",
            "candidate_id,station,item,level\n\n".to_string(),
            2,
            "the file has a header but no marks",
            "the file has a header but no marks",
        ),
    ]
}

#[test]
fn every_kind_of_bad_line_is_reported_with_its_line_number_and_nothing_is_written() {
    for Bad {
        what,
        text,
        line,
        phrase,
        ..
    } in bad_files()
    {
        let d = Dir::new();
        d.write("marks.csv", &text);
        let out = import(&d, OSCE, "marks.csv");
        assert_eq!(out.code, 1, "{what}: {}", out.stderr);
        let reported = out
            .stderr
            .lines()
            .find(|l| l.contains(phrase))
            .unwrap_or_else(|| panic!("{what}: no message with {phrase:?}:\n{}", out.stderr));
        assert!(
            reported.starts_with(&format!("marks.csv: line {line}")),
            "{what}: should name line {line}: {reported}"
        );
        assert!(out.stderr.contains("nothing was imported"), "{what}");
        assert!(files(&d.sessions()).is_empty(), "{what}: nothing may be written");
    }
}

#[test]
fn a_sheet_missing_items_is_named_with_what_it_lacks() {
    let d = Dir::new();
    d.write(
        "marks.csv",
        "candidate_id,station,item,level\nC001,physics,frequency,Done\nC001,physics,depth-focus,Done\n",
    );
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "marks.csv: line 2: candidate C001 at station physics (lines 2–3) has no line for items \"gain-tgc\", \
             \"artefacts\", \"doppler\" and \"resolution\", nor for the global rating"
        ),
        "{}",
        out.stderr
    );
    assert!(DOC.contains("`has no line for …`"));
}

#[test]
fn the_doc_quotes_every_message_the_tests_provoke() {
    let section = &DOC[DOC.find("## 10. When something is wrong").expect("section 10")..];
    for Bad { what, in_doc, .. } in bad_files() {
        assert!(
            section.contains(&format!("`{in_doc}")),
            "{DOC_PATH}: section 10 should quote the message for {what}: `{in_doc}`"
        );
    }
}

#[test]
fn all_problems_of_a_file_are_reported_at_once() {
    let d = Dir::new();
    let mut text = "candidate_id,station,item,level\n".to_string();
    for Bad { text: bad, .. } in bad_files() {
        // The data lines of the files that have the same header.
        if let Some(rest) = bad.strip_prefix("candidate_id,station,item,level\nC001,knee,id-consent,Done\n") {
            text.push_str(rest);
        }
    }
    d.write("marks.csv", &text);
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 1);
    for phrase in [
        "there is no station \"kneee\"",
        "is a rest station",
        "has no item \"meniscus\"",
        "has no level \"Perfect\"",
        "cannot be \"not observed\"",
        "already gives item \"quads\"",
        "the candidate id is not usable",
        "the line has 5 cells",
    ] {
        assert!(out.stderr.contains(phrase), "{phrase}:\n{}", out.stderr);
    }
    assert!(files(&d.sessions()).is_empty());
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_where() {
    let d = Dir::new();
    d.write(
        "marks.csv",
        b"candidate_id,station,item,level,candidate_name\nC001,knee,id-consent,Done,Jos\xe9\n",
    );
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("marks.csv:2:30: is not UTF-8 text"),
        "{}",
        out.stderr
    );
    assert!(DOC.contains("`is not UTF-8 text`"));
    assert!(files(&d.sessions()).is_empty());
}

#[test]
fn importing_twice_refuses_the_second_time_and_changes_nothing() {
    let d = Dir::new();
    d.write("paper-marks.csv", example());
    assert_eq!(import(&d, OSCE, "paper-marks.csv").code, 0);
    let before = files(&d.sessions());
    assert_eq!(before.len(), 3);
    let again = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains(
            "paper-marks.csv: line 2: candidate C001 at station physics already has a sheet from examiner e.jones \
             on device paper"
        ),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("osce never adds to or overwrites marks already saved")
    );
    assert!(
        again.stderr.contains("3 problems; nothing was imported"),
        "{}",
        again.stderr
    );
    assert_eq!(
        files(&d.sessions()),
        before,
        "the first import's journals are untouched"
    );
}

/// The same file imported again under another device name (the first
/// import forgotten, or done on another laptop whose folder was copied in)
/// is refused, naming the sheets already imported from it: it would put a
/// second copy of each sheet beside the first, a conflict at every one.
#[test]
fn the_same_file_imported_again_under_another_device_is_refused() {
    let d = Dir::new();
    d.write("paper marks.csv", example());
    assert_eq!(import(&d, OSCE, "paper marks.csv").code, 0);
    let before = files(&d.sessions());
    let rubric = here(OSCE);
    let again = osce(
        d.path(),
        &[
            "import",
            rubric.to_str().expect("utf-8 path"),
            "paper marks.csv",
            "--examiner",
            "e.jones",
            "--sessions",
            "sessions",
            "--device",
            "paper2",
        ],
    );
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stderr.contains(
            "line 2: candidate C001 at station physics: this file was imported already, as examiner e.jones on \
             device paper"
        ) && again.stderr.contains("its marks are in already")
            && again.stderr.contains("nothing was imported"),
        "{}",
        again.stderr
    );
    assert_eq!(files(&d.sessions()), before, "nothing written");
}

/// The command the summary gives to run next is one a shell takes as it
/// is, with a folder whose name has a space quoted.
#[test]
fn the_next_command_quotes_a_folder_with_a_space() {
    let d = Dir::new();
    d.write("paper-marks.csv", example());
    let rubric = here(OSCE);
    let out = osce(
        d.path(),
        &[
            "import",
            rubric.to_str().expect("utf-8 path"),
            "paper-marks.csv",
            "--examiner",
            "e.jones",
            "--sessions",
            "exam sessions",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("--sessions 'exam sessions'`"),
        "{}",
        out.stdout
    );
}

#[test]
fn quoted_commas_crlf_a_byte_order_mark_and_cells_over_two_lines_work() {
    let d = Dir::new();
    let lines = [
        "candidate_id,station,item,level,candidate_name,note,late",
        "C003,physics,frequency,Partially done,\"Okafor, Chidinma\",,",
        "C003,physics,depth-focus,done,\"Okafor, Chidinma\",\"Slow, but got there\",",
        "C003,physics,gain-tgc,Done,\"Okafor, Chidinma\",,no",
        "C003,physics,feedback,\"Good, clear; see the notes:\r\nrevise the PRF.\",\"Okafor, Chidinma\",,",
        "C003,physics,artefacts,  Partially  Done ,\"Okafor, Chidinma\",,",
        "C003,physics,doppler,Done,\"Okafor, Chidinma\",,yes",
        "C003,physics,resolution,Not done,\"Okafor, Chidinma\",,",
        "C003,physics,global_rating,Borderline,\"Okafor, Chidinma\",,",
    ];
    let text = format!("\u{feff}{}\r\n", lines.join("\r\n"));
    d.write("marks.csv", &text);
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The cell over two lines is one spreadsheet row: 9 rows in all.
    assert!(out.stdout.contains("C003 at physics: 6 marks"), "{}", out.stdout);
    assert!(out.stdout.contains("(lines 2–9)"), "{}", out.stdout);
    let s = sheet(&d, "physics", "C003");
    assert_eq!(s.confirmed.as_deref(), Some("Okafor, Chidinma"));
    assert_eq!(s.feedback, "Good, clear; see the notes:\r\nrevise the PRF.");
    assert_eq!(s.notes, "depth-focus: Slow, but got there");
    assert_eq!(s.mark("artefacts").map(|m| m.level), Some(Some(1)));
    assert_eq!(s.mark("doppler").map(|m| m.late), Some(true));
    assert_eq!(s.mark("gain-tgc").map(|m| m.late), Some(false));

    // After a cell over two lines, lines are still counted as rows.
    let d = Dir::new();
    let bad = text.replace(
        "C003,physics,resolution,Not done",
        "C003,physics,resolution,Not dun",
    );
    d.write("marks.csv", bad);
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("marks.csv: line 8, level: item \"resolution\" has no level \"Not dun\""),
        "{}",
        out.stderr
    );
}

#[test]
fn not_observed_is_taken_where_the_scale_allows_it() {
    let d = Dir::new();
    let (rubric, _) = load(&here(FCA)).expect("valid");
    let station = rubric.scored_stations().next().expect("a case");
    let mut text = "candidate_id,station,item,level\n".to_string();
    for item in &station.items {
        let scale = rubric.scale(item.scale);
        let level = if scale.not_observed {
            "Not Observed".to_string()
        } else {
            scale.levels.last().expect("levels").label.clone()
        };
        text.push_str(&format!("C001,{},{},{level}\n", station.id, item.id));
    }
    let global = station.global_rating.as_ref().expect("global rating");
    let top = &rubric.scale(global.scale).levels.last().expect("levels").label;
    text.push_str(&format!("C001,{},global_rating,{top}\n", station.id));
    d.write("marks.csv", &text);
    let out = import(&d, FCA, "marks.csv");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = Store::new(d.sessions())
        .sheet_path(&key(&rubric.id, &station.id, "C001", "paper"))
        .expect("path");
    let state = SheetState::replay(&read_sheet(&path).expect("journal").records);
    let unobserved: Vec<&str> = station
        .items
        .iter()
        .filter(|i| rubric.scale(i.scale).not_observed)
        .map(|i| i.id.as_str())
        .collect();
    assert!(!unobserved.is_empty());
    for item in unobserved {
        assert_eq!(state.mark(item).map(|m| m.level), Some(None), "{item}");
    }
    assert!(state.imported.is_some());
}

#[test]
fn a_sheet_on_another_device_is_warned_about_and_status_shows_the_conflict() {
    let d = Dir::new();
    // The laptop that failed had started C001's physics sheet.
    let (rubric, _) = load(&here(OSCE)).expect("valid");
    let hash = hash_rubric(&std::fs::read_to_string(here(OSCE)).expect("rubric"));
    {
        let (mut journal, _) = Store::new(d.sessions())
            .open_sheet(&key(&rubric.id, "physics", "C001", "laptop-07"), &hash)
            .expect("open");
        let t = Utc.with_ymd_and_hms(2026, 6, 3, 9, 0, 0).single().expect("time");
        journal
            .append(
                Event::Confirmed {
                    candidate_name: "Aisha Rahman".into(),
                },
                t,
            )
            .expect("append");
    }
    d.write("paper-marks.csv", example());
    let out = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: paper-marks.csv: line 2: examiner e.jones also has a sheet for candidate C001 at station \
             physics on device laptop-07"
        ),
        "{}",
        out.stderr
    );
    let status = osce(
        d.path(),
        &[
            "status",
            here(OSCE).to_str().expect("path"),
            "--sessions",
            "sessions",
        ],
    );
    assert!(status.stdout.contains("CONFLICT"), "{}", status.stdout);
}

#[test]
fn an_empty_journal_left_by_a_failed_write_does_not_block_an_import() {
    let d = Dir::new();
    let path = Store::new(d.sessions())
        .sheet_path(&key("msk-us-osce", "physics", "C002", "paper"))
        .expect("path");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folders");
    std::fs::write(&path, "").expect("empty journal");
    d.write("paper-marks.csv", example());
    let out = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        sheet(&d, "physics", "C002").absent.as_deref(),
        Some("Did not attend")
    );
}

#[test]
fn a_failure_part_way_says_which_sheets_were_written_and_which_not() {
    let d = Dir::new();
    let hash = hash_rubric(&std::fs::read_to_string(here(OSCE)).expect("rubric"));
    // Another osce holds C003's sheet open (its journal still empty): the
    // store refuses it only when the import reaches it, after C001 and C002.
    let (_held, _) = Store::new(d.sessions())
        .open_sheet(&key("msk-us-osce", "physics", "C003", "paper"), &hash)
        .expect("open");
    d.write("paper-marks.csv", example());
    let out = import(&d, OSCE, "paper-marks.csv");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("is already open in another osce window"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("The file was valid, but writing stopped part way")
    );
    assert!(out.stderr.contains("Written in full (2):"), "{}", out.stderr);
    assert!(
        out.stderr.contains("    C001 at physics: 6 marks"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("    C002 at physics: absent"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("Not written: C003 at physics (lines 11–17): nothing of it was saved."),
        "{}",
        out.stderr
    );
    assert!(sheet(&d, "physics", "C001").submitted.is_some());
    assert!(sheet(&d, "physics", "C002").submitted.is_some());
    assert_eq!(sheet(&d, "physics", "C003").records, 0);
}

#[test]
fn bad_examiner_and_missing_files_are_usage_errors() {
    let d = Dir::new();
    d.write("paper-marks.csv", example());
    let rubric = here(OSCE);
    let rubric = rubric.to_str().expect("path");
    let out = osce(
        d.path(),
        &[
            "import",
            rubric,
            "paper-marks.csv",
            "--examiner",
            "../x",
            "--sessions",
            "sessions",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--examiner \"../x\" cannot be used"),
        "{}",
        out.stderr
    );
    let out = osce(
        d.path(),
        &[
            "import",
            rubric,
            "nowhere.csv",
            "--examiner",
            "e.jones",
            "--sessions",
            "sessions",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("nowhere.csv: cannot read the marks file"),
        "{}",
        out.stderr
    );
    assert!(files(&d.sessions()).is_empty());
}

/// Each problem's message fits on a line or two, and names its line.
#[track_caller]
fn short_problems(out: &Out, file: &str, expected: &[(usize, &str)]) {
    for line in out.stderr.lines() {
        assert!(
            line.len() < 2_000,
            "a message of {} bytes: {}…",
            line.len(),
            line.chars().take(300).collect::<String>()
        );
    }
    for (line, phrase) in expected {
        let start = format!("{file}: line {line}, ");
        assert!(
            out.stderr
                .lines()
                .any(|l| l.starts_with(&start) && l.contains(phrase)),
            "no message for line {line} with {phrase:?}:\n{}",
            out.stderr
        );
    }
}

/// A megabyte in one cell was once repeated whole in its message (and in
/// the "did you mean" beside it): a few bad cells made megabytes of errors.
#[test]
fn an_enormous_cell_is_quoted_shortly_with_its_line() {
    let d = Dir::new();
    let huge = "x".repeat(1_000_000);
    let head = "candidate_id,station,item,level,candidate_name,late,examiner\n";
    let lines = [
        "C001,knee,id-consent,Done,Aisha Rahman,,".to_string(),
        format!("C001,{huge},quads,Done,,,"),
        format!("C001,knee,{huge},Done,,,"),
        format!("C001,knee,quads,{huge},,,"),
        format!("C001,knee,positioning,Done,{huge},,"),
        format!("C001,knee,patellar,Done,,{huge},"),
        format!("C001,knee,mcl,Done,,,{huge}"),
    ];
    d.write("marks.csv", format!("{head}{}\n", lines.join("\n")));
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 1, "{}", &out.stderr[..out.stderr.len().min(3_000)]);
    let cut = format!("\"{}…\" (1000000 characters)", "x".repeat(60));
    short_problems(
        &out,
        "marks.csv",
        &[
            (3, &format!("station: there is no station {cut}")),
            (4, &format!("item: station \"knee\" has no item {cut}")),
            (5, &format!("level: item \"quads\" has no level {cut}")),
            (6, &format!("candidate_name: candidate C001 is named {cut} here")),
            (7, &format!("late: late is {cut}")),
            (8, &format!("examiner: this line is examiner {cut}'s")),
        ],
    );
    assert!(files(&d.sessions()).is_empty(), "nothing may be written");

    // An enormous column name in the header.
    d.write(
        "header.csv",
        format!("candidate_id,station,item,level,{huge}\nC001,knee,quads,Done,\n"),
    );
    let out = import(&d, OSCE, "header.csv");
    assert_eq!(out.code, 1, "{}", &out.stderr[..out.stderr.len().min(3_000)]);
    short_problems(
        &out,
        "header.csv",
        &[(1, &format!("unknown column {cut} in column E"))],
    );
}

/// An item id mistyped on one line is reported on that line, with the id
/// meant; the sheet is not also said to lack the item (the knock-on
/// problem, which a stranger would correct first, in the wrong place).
#[test]
fn a_mistyped_item_is_reported_once_on_its_own_line() {
    let d = Dir::new();
    d.write(
        "marks.csv",
        "candidate_id,station,item,level\n\
         C001,physics,frequency,Done\n\
         C001,physics,depth-focus,Done\n\
         C001,physics,gain-tgc,Done\n\
         C001,physics,artefact,Done\n\
         C001,physics,doppler,Done\n\
         C001,physics,resolution,Done\n\
         C001,physics,global_rating,Clear pass\n",
    );
    let out = import(&d, OSCE, "marks.csv");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("marks.csv: line 5, item: station \"physics\" has no item \"artefact\" (did you mean \"artefacts\"?"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("has no line for"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1 problem; nothing was imported"),
        "{}",
        out.stderr
    );
}

/// A sheet imported with another copy of the rubric, then imported again
/// with the exam's into the same folder: refused, with the way on for that
/// case (a folder of its own, the other sheet set aside by the exam lead),
/// not "amend it in osce score".
#[test]
fn a_sheet_imported_with_another_rubric_is_named_so_when_imported_again() {
    let d = Dir::new();
    d.write("marks.csv", example());
    let edited = edited_copy(&d);
    let first = import(&d, edited.to_str().expect("utf-8"), "marks.csv");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let again = import(&d, OSCE, "marks.csv");
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("import into a folder of its own") && again.stderr.contains("osce decide void"),
        "{}",
        again.stderr
    );
    assert!(
        !again.stderr.contains("amend it in osce score"),
        "{}",
        again.stderr
    );
    // The same rubric twice: the marks are in already.
    let same = import(&d, edited.to_str().expect("utf-8"), "marks.csv");
    assert!(same.stderr.contains("amend it in osce score"), "{}", same.stderr);
}

/// Paper sheets imported into a folder whose sheets were marked against
/// another copy of the rubric: refused before anything is imported (the
/// two are never combined), as marking is, with the way on where the
/// folder's copy was the wrong one: a folder of its own.
#[test]
fn a_folder_marked_against_another_copy_of_the_rubric_is_refused() {
    let d = Dir::new();
    d.write("marks.csv", example());
    let edited = edited_copy(&d);
    let first = import(&d, edited.to_str().expect("utf-8"), "marks.csv");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stderr.contains("warning"), "{}", first.stderr);
    d.write(
        "more.csv",
        "candidate_id,station,item,level\nC009,physics,frequency,Done\nC009,physics,depth-focus,Done\n\
         C009,physics,gain-tgc,Done\nC009,physics,artefacts,Done\nC009,physics,doppler,Done\n\
         C009,physics,resolution,Done\nC009,physics,global_rating,Clear pass\n",
    );
    let before = files(&d.sessions());
    let more = import(&d, OSCE, "more.csv");
    assert_eq!(more.code, 1, "{}", more.stderr);
    assert!(
        more.stderr
            .contains("were marked against a rubric file whose content differs from this one's (identity ")
            && more.stderr.contains("nothing was imported")
            && more
                .stderr
                .contains("import into a folder of its own (--sessions NEW-FOLDER)"),
        "{}",
        more.stderr
    );
    assert_eq!(files(&d.sessions()), before, "nothing written");
    // The way on: a folder of its own takes them.
    let rubric = here(OSCE);
    let own = osce(
        d.path(),
        &[
            "import",
            rubric.to_str().expect("utf-8"),
            "more.csv",
            "--examiner",
            "e.jones",
            "--sessions",
            "paper-right",
        ],
    );
    assert_eq!(own.code, 0, "{}", own.stderr);
}

/// A copy of the OSCE rubric in `d` with one item's text edited: another
/// rubric by its content, as a colleague's edit makes it.
fn edited_copy(d: &Dir) -> PathBuf {
    let text = std::fs::read_to_string(here(OSCE)).expect("rubric");
    d.write(
        "edited.ron",
        text.replacen(
            "Distinguishes axial and lateral resolution",
            "Distinguishes axial from lateral resolution",
            1,
        ),
    )
}
