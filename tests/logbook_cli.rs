//! `osce logbook` through the binary: verdicts in words, exit codes, the
//! example in docs/logbook-format.md, and the bad-logbook corpus.
//!
//! The corpus lives in `tests/bad_logbooks/`: each `NAME.csv` is a small
//! logbook with a mistake, and `NAME.expect` says what the binary must do
//! with it:
//!
//! ```text
//! mistake: <one line in plain words>
//! exit: 1
//! rubric: tests/logbook_rubrics/windowed.ron   (optional; the bundled FCA)
//! today: 2026-12-01                            (optional; that day)
//! expect: {file}: line 3, region: unknown region "wirst" (did you mean ...
//! ```
//!
//! `{file}` is the path handed to the binary; every `expect:` is a
//! substring of stderr. A wrong file must print no verdicts at all.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use common::Dir;

const FCA: &str = "rubrics/msk-final-clinical-assessment.ron";
const INJECTION: &str = "rubrics/msk-injection-final-assessment.ron";
const WINDOWED: &str = "tests/logbook_rubrics/windowed.ron";
const TODAY: &str = "2026-12-01";
const HEADER: &str = "candidate_id,date,region,supervision,mentor,audited,reference";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn show(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}--------------",
            self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    fn expect(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n{}",
            self.show()
        );
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked\n{}",
            self.show()
        );
        self
    }

    #[track_caller]
    fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr does not contain {needle:?}\n{}",
            self.show()
        );
        self
    }

    #[track_caller]
    fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout does not contain {needle:?}\n{}",
            self.show()
        );
        self
    }
}

fn run(args: &[&str]) -> Run {
    let output = Command::cargo_bin("osce")
        .expect("the osce binary is built")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .args(args)
        .output()
        .expect("osce runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn logbook(rubric: &str, file: &Path) -> Run {
    let file = file.display().to_string();
    run(&["logbook", rubric, &file, "--today", TODAY])
}

/// Lines for one candidate: `assisted` assisted scans (the first
/// `unaudited` of them not audited) and `unassisted` unassisted ones, over
/// `regions` in turn, each with a mentor and its own reference.
fn lines(
    out: &mut String,
    candidate: &str,
    assisted: usize,
    unaudited: usize,
    unassisted: usize,
    regions: &[&str],
) {
    for i in 0..assisted + unassisted {
        let (kind, audited) = if i < assisted {
            ("assisted", if i < unaudited { "no" } else { "yes" })
        } else {
            ("unassisted", "no")
        };
        let region = regions[i % regions.len()];
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 11;
        let _ = writeln!(
            out,
            "{candidate},2026-{month:02}-{day:02},{region},{kind},Dr Patel,{audited},{candidate}-{i:04}"
        );
    }
}

const SIX: [&str; 6] = ["shoulder", "elbow", "wrist", "hip", "knee", "ankle"];

fn write(dir: &Dir, name: &str, text: &str) -> PathBuf {
    let path = dir.0.join(name);
    fs::write(&path, text).expect("write the logbook");
    path
}

#[test]
fn eligible_and_not_eligible_candidates_with_what_is_missing() {
    let dir = Dir::new("logbook-verdicts");
    let mut text = format!("{HEADER}\n");
    lines(&mut text, "C002", 100, 1, 118, &SIX);
    lines(&mut text, "C001", 100, 0, 150, &SIX);
    let path = write(&dir, "logbook.csv", &text);
    let out = logbook(FCA, &path);
    out.expect(1);
    let expected = format!(
        "Logbook gate for component \"logbook\" of {FCA}: at least 250 scans, 100 assisted, 150 unassisted, every \
         assisted scan audited, every scan signed off by a mentor.\n\
         candidate   scans  assisted  unassisted  audited  verdict\n\
         C001          250       100         150      100  eligible\n\
         C002          218       100         118       99  NOT ELIGIBLE: 32 more unassisted scans; 1 assisted scan \
         not audited\n\
         2 candidates: 1 eligible, 1 not eligible ({}, 468 scans).\n",
        path.display()
    );
    assert_eq!(out.stdout, expected, "\n{}", out.show());
    assert_eq!(out.stderr, "", "\n{}", out.show());

    // Only the eligible candidate: exit 0.
    let mut text = format!("{HEADER}\n");
    lines(&mut text, "C001", 100, 0, 150, &SIX);
    let path = write(&dir, "one.csv", &text);
    logbook(FCA, &path)
        .expect(0)
        .stdout_has("C001          250       100         150      100  eligible\n")
        .stdout_has("1 candidate: 1 eligible, 0 not eligible");
}

#[test]
fn regions_audits_and_mentors_are_said_in_words() {
    let dir = Dir::new("logbook-regions");
    // The windowed gate: 6 scans, 2 assisted, 2 unassisted, 2 audited
    // assisted, 2 knee scans, an audited scan in each of shoulder, wrist
    // and knee, every scan signed off.
    let text = format!(
        "{HEADER}\n\
         C001,2026-01-05,shoulder,assisted,Dr Patel,yes,a\n\
         C001,2026-01-06,knee,assisted,Dr Patel,yes,b\n\
         C001,2026-01-07,wrist,unassisted,Dr Patel,yes,c\n\
         C001,2026-01-08,knee,unassisted,Dr Patel,no,d\n\
         C001,2026-01-09,knee,unassisted,Dr Patel,no,e\n\
         C001,2026-01-10,shoulder,unassisted,Dr Patel,no,f\n\
         C002,2026-01-05,shoulder,assisted,,no,a\n\
         C002,2026-01-06,shoulder,unassisted,,no,b\n\
         C002,2026-01-07,knee,unassisted,Dr Patel,no,c\n"
    );
    let path = write(&dir, "logbook.csv", &text);
    let out = logbook(WINDOWED, &path);
    out.expect(1)
        .stdout_has("C001            6         2           4        3  eligible\n")
        .stdout_has(
            "C002            3         1           2        0  NOT ELIGIBLE: 3 more scans; 1 more assisted scan; \
             2 more audited assisted scans; 1 more knee scan; no shoulder scan audited; no wrist scan audited; no \
             knee scan audited; 2 scans name no mentor\n",
        )
        .stdout_has("2 knee scans, 1 audited scan in each region, every scan signed off by a mentor, dated 2025-09-01 to 2026-08-31.");
}

#[test]
fn injections_are_counted_as_injections() {
    let dir = Dir::new("logbook-injections");
    let mut text = format!("{HEADER}\n");
    lines(&mut text, "C001", 3, 0, 0, &["shoulder", "knee", "foot"]);
    let mut complete = String::new();
    lines(&mut complete, "C002", 20, 0, 15, &["shoulder", "hand", "knee"]);
    text.push_str(&complete);
    let path = write(&dir, "injections.csv", &text);
    logbook(INJECTION, &path)
        .expect(1)
        .stdout_has("candidate  injections  assisted  unassisted  audited  verdict\n")
        .stdout_has("NOT ELIGIBLE: 32 more injections\n")
        .stdout_has("C002               35        20          15       20  eligible\n")
        .stdout_has("2 candidates: 1 eligible, 1 not eligible");
}

#[test]
fn a_byte_order_mark_and_windows_line_endings_are_accepted() {
    let dir = Dir::new("logbook-crlf");
    let mut text = format!("{HEADER}\n");
    lines(&mut text, "C001", 100, 0, 150, &SIX);
    let plain = write(&dir, "plain.csv", &text);
    let windows = dir.0.join("windows.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    fs::write(&windows, bytes).expect("write");
    let a = logbook(FCA, &plain);
    let b = logbook(FCA, &windows);
    a.expect(0);
    b.expect(0);
    assert_eq!(
        a.stdout.replace(&plain.display().to_string(), "FILE"),
        b.stdout.replace(&windows.display().to_string(), "FILE")
    );
}

#[test]
fn line_numbers_count_blank_lines_and_quoted_cells_as_a_spreadsheet_does() {
    let dir = Dir::new("logbook-lines");
    let text = format!(
        "{HEADER}\r\n\r\nC001,2026-01-05,shoulder,assisted,\"Patel, A\",yes,\"two\r\nlines\"\r\nC001,2026-01-05,wirst,assisted,M,yes,x\r\n"
    );
    let path = write(&dir, "lines.csv", &text);
    logbook(FCA, &path)
        .expect(1)
        .stderr_has("line 4, region: unknown region \"wirst\" (did you mean \"wrist\"?");
}

#[test]
fn today_is_the_real_day_without_the_option() {
    let dir = Dir::new("logbook-today");
    let text =
        format!("{HEADER}\nC001,9999-12-31,knee,assisted,M,yes,x\nC001,2000-01-01,knee,assisted,M,yes,y\n");
    let path = write(&dir, "future.csv", &text);
    let file = path.display().to_string();
    run(&["logbook", FCA, &file])
        .expect(1)
        .stderr_has("line 2, date: 9999-12-31 is in the future (today is ")
        .stderr_has("1 problem; no candidate's logbook was judged");
}

#[test]
fn exit_codes_for_usage_rubrics_and_files() {
    let dir = Dir::new("logbook-exit");
    let good = write(
        &dir,
        "good.csv",
        &format!("{HEADER}\nC001,2026-01-05,knee,assisted,M,yes,x\n"),
    );
    let good = good.display().to_string();

    // A rubric with no gate: the input is wrong.
    run(&[
        "logbook",
        "rubrics/msk-practical-exam.ron",
        &good,
        "--today",
        TODAY,
    ])
    .expect(1)
    .stderr_has("rubrics/msk-practical-exam.ron: the rubric has no logbook gate");
    // An invalid rubric.
    run(&[
        "logbook",
        "tests/bad_rubrics/logbook-region-minimum-not-listed.ron",
        &good,
        "--today",
        TODAY,
    ])
    .expect(1)
    .stderr_has("invalid; fix it with `osce check` first");
    // Files that cannot be read: usage or I/O.
    run(&["logbook", "rubrics/no-such-rubric.ron", &good]).expect(2);
    run(&["logbook", FCA, "tests/bad_logbooks/no-such-file.csv"])
        .expect(2)
        .stderr_has("error: tests/bad_logbooks/no-such-file.csv: cannot read the logbook");
    run(&["logbook", FCA, "tests/bad_logbooks"])
        .expect(2)
        .stderr_has("is a folder, not a logbook");
    run(&["logbook", FCA, &good, "--today", "1/12/2026"])
        .expect(2)
        .stderr_has("\"1/12/2026\" is not a date written YYYY-MM-DD");
    run(&["logbook", FCA]).expect(2);
    // The option is for tests: not in the help.
    let help = run(&["logbook", "--help"]);
    help.expect(0).stdout_has("LOGBOOK.csv");
    assert!(!help.stdout.contains("--today"), "{}", help.show());
}

// ---------------------------------------------------------------------------
// The example in docs/logbook-format.md

/// The first fenced block of `lang` after the line `marker`.
fn block_after<'a>(doc: &'a str, marker: &str, lang: &str) -> &'a str {
    let at = doc
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in the doc"));
    let rest = &doc[at..];
    let fence = format!("```{lang}\n");
    let start = rest
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{lang} after {marker:?}"))
        + fence.len();
    let end = rest[start..].find("```").expect("the block is closed");
    &rest[start..start + end]
}

#[test]
fn the_example_in_the_format_doc_gives_the_output_it_shows() {
    let doc = fs::read_to_string(root().join("docs/logbook-format.md")).expect("docs/logbook-format.md");
    let csv = block_after(&doc, "<!-- example logbook -->", "csv");
    let shown = block_after(&doc, "<!-- example output -->", "text");
    let dir = Dir::new("logbook-doc");
    let path = write(&dir, "logbook.csv", csv);
    let out = logbook(INJECTION, &path);
    out.expect(1);
    let (command, output) = shown.split_once('\n').expect("a command line, then the output");
    assert_eq!(
        command,
        format!("$ osce logbook {INJECTION} logbook.csv"),
        "the doc's command"
    );
    assert_eq!(
        out.stdout.replace(&path.display().to_string(), "logbook.csv"),
        output,
        "docs/logbook-format.md shows other output than the binary gives\n{}",
        out.show()
    );
}

// ---------------------------------------------------------------------------
// The bad-logbook corpus

#[derive(Debug, Default)]
struct Expect {
    mistake: Option<String>,
    exit: Option<i32>,
    rubric: Option<String>,
    today: Option<String>,
    expects: Vec<String>,
}

fn read_expect(path: &Path) -> Expect {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut e = Expect::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{}: no `key:` in {line:?}", path.display()));
        let value = value.trim().to_string();
        match key {
            "mistake" => e.mistake = Some(value),
            "exit" => e.exit = value.parse().ok(),
            "rubric" => e.rubric = Some(value),
            "today" => e.today = Some(value),
            "expect" => e.expects.push(value),
            other => panic!("{}: unknown key {other:?}", path.display()),
        }
    }
    e
}

fn corpus() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("tests/bad_logbooks"))
        .expect("tests/bad_logbooks")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_bad_logbook_has_its_expectations() {
    let names = corpus();
    let csvs: Vec<&String> = names.iter().filter(|n| n.ends_with(".csv")).collect();
    assert!(csvs.len() >= 15, "only {} bad logbooks", csvs.len());
    for name in &names {
        let (stem, ext) = name.rsplit_once('.').expect("an extension");
        let other = if ext == "csv" { "expect" } else { "csv" };
        assert!(
            ["csv", "expect"].contains(&ext) && names.contains(&format!("{stem}.{other}")),
            "tests/bad_logbooks/{name}: every NAME.csv needs a NAME.expect and the other way round"
        );
    }
}

#[test]
fn bad_logbooks_fail_with_the_expected_messages_and_no_verdicts() {
    let mut failures = Vec::new();
    for name in corpus().iter().filter(|n| n.ends_with(".csv")) {
        let file = format!("tests/bad_logbooks/{name}");
        let e = read_expect(&root().join(file.replace(".csv", ".expect")));
        if e.mistake.as_deref().is_none_or(str::is_empty) || e.expects.is_empty() {
            failures.push(format!(
                "{file}: the .expect needs `mistake:` and at least one `expect:`"
            ));
            continue;
        }
        let Some(code) = e.exit else {
            failures.push(format!("{file}: no `exit:`"));
            continue;
        };
        let rubric = e.rubric.as_deref().unwrap_or(FCA);
        let today = e.today.as_deref().unwrap_or(TODAY);
        let out = run(&["logbook", rubric, &file, "--today", today]);
        let mut wrong = Vec::new();
        if out.code != Some(code) {
            wrong.push(format!("exited with {:?}, not {code}", out.code));
        }
        if out.stderr.contains("panicked") {
            wrong.push("panicked".to_string());
        }
        if !out.stdout.is_empty() {
            wrong.push("printed verdicts for a wrong file".to_string());
        }
        for expect in &e.expects {
            let needle = expect.replace("{file}", &file);
            if !out.stderr.contains(&needle) {
                wrong.push(format!("stderr is missing\n    {needle}"));
            }
        }
        if code == 1 && !out.stderr.contains("no candidate's logbook was judged") {
            wrong.push("no closing line saying nobody was judged".to_string());
        }
        if !wrong.is_empty() {
            failures.push(format!("{file}: {}\n{}", wrong.join("; "), out.show()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} bad logbook(s) misreported:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The logbook given first and the rubric second (the arguments swapped),
/// or a CSV given to any command where the rubric goes: said to be a CSV
/// file with the order to give them in, not a rubric syntax error at its
/// header ("expected another rubric"); nothing is read further.
#[test]
fn a_csv_file_given_where_the_rubric_goes_is_said_to_be_one() {
    let d = Dir::new("logbook-swapped");
    let mut text = String::from("candidate_id,date,region,kind,mentor,audited,reference\n");
    lines(&mut text, "C001", 1, 0, 1, &SIX);
    let file = write(&d, "logbook all.csv", &text);
    let file = file.display().to_string();
    for args in [
        vec!["logbook", file.as_str(), FCA, "--today", TODAY],
        vec!["status", file.as_str(), "--sessions", "sessions"],
    ] {
        let run = run(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "{file}: is a CSV file (a roster, a logbook, paper marks or results?), not a rubric: the rubric's \
                 .ron file comes first"
            )) && !run.stderr.contains("expected another rubric"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
