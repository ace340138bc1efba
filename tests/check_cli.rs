//! End-to-end tests of `osce check` (and a little of `osce show`) as a
//! module leader meets them: exit codes, and what stderr says and where.
//!
//! The bad-rubric corpus lives in `tests/bad_rubrics/*.ron`. Each file is a
//! small complete rubric with exactly one mistake, and starts with header
//! comments saying what the check must find:
//!
//! ```text
//! // mistake: <one line in plain words>
//! // exit: 1
//! // expect: {file}:LINE:COL: PATH: message
//! // expect: <another substring of stderr>
//! ```
//!
//! `{file}` is replaced by the path handed to the binary. Other `//` lines
//! (e.g. `// note: ...`) are comments for the reader. `tests/warn_rubrics`
//! holds valid rubrics with warnings, whose header also has `exit-strict:`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use assert_cmd::Command;

/// Generous: a check takes milliseconds. A hang fails rather than blocks.
const TIMEOUT: Duration = Duration::from_secs(60);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the crate root so that relative paths such as
/// `tests/bad_rubrics/x.ron` are printed exactly as passed.
fn osce() -> Command {
    let mut cmd = Command::cargo_bin("osce").expect("the osce binary is built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .timeout(TIMEOUT);
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = osce().args(args).output().expect("osce runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Run {
    fn show(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}--------------",
            self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    fn expect_code(&self, code: i32, what: &str) {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: expected exit code {code}\n{}",
            self.show()
        );
        self.expect_no_panic(what);
    }

    #[track_caller]
    fn expect_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "{what}: the binary panicked\n{}",
            self.show()
        );
    }

    #[track_caller]
    fn expect_stderr(&self, needle: &str, what: &str) {
        assert!(
            self.stderr.contains(needle),
            "{what}: stderr does not contain {needle:?}\n{}",
            self.show()
        );
    }

    #[track_caller]
    fn expect_stdout(&self, needle: &str, what: &str) {
        assert!(
            self.stdout.contains(needle),
            "{what}: stdout does not contain {needle:?}\n{}",
            self.show()
        );
    }
}

// ---------------------------------------------------------------------------
// The corpus and its headers
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Header {
    mistake: Option<String>,
    exit: Option<i32>,
    exit_strict: Option<i32>,
    expects: Vec<String>,
}

/// Reads the leading `//` comment block of a corpus file.
fn header(path: &Path) -> Header {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut h = Header::default();
    for line in text.lines() {
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let comment = comment.trim();
        let code = |v: &str| -> i32 {
            v.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}: bad exit code in {line:?}", path.display()))
        };
        if let Some(v) = comment.strip_prefix("mistake:") {
            h.mistake = Some(v.trim().to_string());
        } else if let Some(v) = comment.strip_prefix("exit-strict:") {
            h.exit_strict = Some(code(v));
        } else if let Some(v) = comment.strip_prefix("exit:") {
            h.exit = Some(code(v));
        } else if let Some(v) = comment.strip_prefix("expect:") {
            let v = v.trim();
            assert!(!v.is_empty(), "{}: empty expect line", path.display());
            h.expects.push(v.to_string());
        }
    }
    h
}

/// `.ron` files in a folder under the crate root, sorted, as relative paths
/// with forward slashes (the form passed to the binary and printed by it).
fn corpus(folder: &str) -> Vec<String> {
    let dir = root().join(folder);
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ron"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    files.sort();
    files
}

/// Whether `expect` starts with `{file}:LINE:COL` (both positive numbers).
fn has_location(expect: &str) -> bool {
    let Some(rest) = expect.strip_prefix("{file}:") else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let number = |p: Option<&str>| p.and_then(|p| p.parse::<usize>().ok()).is_some_and(|n| n > 0);
    number(parts.next()) && number(parts.next())
}

/// Checks one corpus file; returns a description of each failure.
fn check_against_header(file: &str, args: &[&str], code: i32, expects: &[String]) -> Vec<String> {
    let mut all_args: Vec<&str> = vec!["check"];
    all_args.extend_from_slice(args);
    all_args.push(file);
    let out = run(&all_args);
    let mut failures = Vec::new();
    let command = all_args.join(" ");
    if out.code != Some(code) {
        failures.push(format!(
            "{file}: `osce {command}` exited with {:?}, the header says {code}",
            out.code
        ));
    }
    if out.stderr.contains("panicked") {
        failures.push(format!("{file}: `osce {command}` panicked"));
    }
    for expect in expects {
        let needle = expect.replace("{file}", file);
        if !out.stderr.contains(&needle) {
            failures.push(format!(
                "{file}: `osce {command}`: stderr is missing the expected substring\n    {needle}"
            ));
        }
    }
    if !failures.is_empty() {
        failures.push(format!(
            "{file}: actual output of `osce {command}`:\n{}",
            out.show()
        ));
    }
    failures
}

#[track_caller]
fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn bad_rubric_corpus_is_large_and_every_file_names_its_location() {
    let files = corpus("tests/bad_rubrics");
    assert!(
        files.len() >= 25,
        "tests/bad_rubrics has only {} files; it should have at least 25",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let h = header(&root().join(file));
        if h.mistake.as_deref().is_none_or(str::is_empty) {
            failures.push(format!("{file}: no `// mistake:` line"));
        }
        if h.exit != Some(1) {
            failures.push(format!("{file}: expected `// exit: 1`, found {:?}", h.exit));
        }
        if !h.expects.iter().any(|e| has_location(e)) {
            failures.push(format!(
                "{file}: no `// expect: {{file}}:LINE:COL...` line; every bad rubric must say where the mistake is reported"
            ));
        }
    }
    report(failures);
}

#[test]
fn bad_rubrics_fail_with_the_expected_messages() {
    let files = corpus("tests/bad_rubrics");
    assert!(!files.is_empty(), "no bad rubrics found");
    let mut failures = Vec::new();
    for file in &files {
        let h = header(&root().join(file));
        let Some(code) = h.exit else {
            failures.push(format!("{file}: no `// exit:` line"));
            continue;
        };
        failures.extend(check_against_header(file, &[], code, &h.expects));
    }
    report(failures);
}

#[test]
fn bad_rubrics_print_no_ok_line() {
    for file in corpus("tests/bad_rubrics") {
        let out = run(&["check", &file]);
        assert!(
            !out.stdout.contains("ok:"),
            "{file}: an invalid rubric was reported ok\n{}",
            out.show()
        );
        out.expect_stderr(&format!("{file}: invalid:"), &file);
    }
}

#[test]
fn example_rubrics_are_valid_without_warnings() {
    let files = corpus("rubrics");
    assert!(!files.is_empty(), "no example rubrics in rubrics/");
    for file in &files {
        let out = run(&["check", "--strict", file]);
        out.expect_code(0, file);
        out.expect_stdout("ok:", file);
        out.expect_stdout(&format!("ok: {file} is valid"), file);
        assert!(
            out.stderr.trim().is_empty(),
            "{file}: an example rubric should check with no warnings\n{}",
            out.show()
        );
    }
}

#[test]
fn example_rubrics_check_together() {
    let files = corpus("rubrics");
    let mut args = vec!["check", "--strict"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args);
    out.expect_code(0, "all examples at once");
    assert_eq!(
        out.stdout.matches("ok:").count(),
        files.len(),
        "one ok line per example\n{}",
        out.show()
    );
}

#[test]
fn warn_rubrics_pass_but_fail_with_strict() {
    let files = corpus("tests/warn_rubrics");
    assert!(
        files.len() >= 2,
        "tests/warn_rubrics should have at least 2 files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let h = header(&root().join(file));
        let (Some(exit), Some(exit_strict)) = (h.exit, h.exit_strict) else {
            failures.push(format!("{file}: needs both `// exit:` and `// exit-strict:`"));
            continue;
        };
        if !h.expects.iter().any(|e| has_location(e)) {
            failures.push(format!("{file}: no `// expect: {{file}}:LINE:COL...` line"));
        }
        failures.extend(check_against_header(file, &[], exit, &h.expects));
        failures.extend(check_against_header(file, &["--strict"], exit_strict, &h.expects));

        // Without --strict the file is valid and says it has warnings.
        let plain = run(&["check", file]);
        if !plain.stdout.contains(&format!("ok: {file} is valid")) || !plain.stdout.contains("warning") {
            failures.push(format!(
                "{file}: expected an ok line mentioning warnings\n{}",
                plain.show()
            ));
        }
        let strict = run(&["check", "--strict", file]);
        if !strict.stderr.contains("warnings are errors with --strict") {
            failures.push(format!(
                "{file}: --strict should say why it failed\n{}",
                strict.show()
            ));
        }
        // --quiet drops the ok line but keeps the warnings.
        let quiet = run(&["check", "--quiet", file]);
        if quiet.code != Some(exit) || quiet.stdout.contains("ok:") || !quiet.stderr.contains("⚠") {
            failures.push(format!(
                "{file}: --quiet should print only the warnings\n{}",
                quiet.show()
            ));
        }
    }
    report(failures);
}

// ---------------------------------------------------------------------------
// I/O and usage: exit code 2
// ---------------------------------------------------------------------------

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("osce-check-cli-{test}-{}-{n}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).expect("remove a stale temp dir");
        }
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        fs::write(&path, bytes).expect("write temp file");
        path_arg(&path)
    }

    fn path(&self, name: &str) -> String {
        path_arg(&self.0.join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn path_arg(path: &Path) -> String {
    path.to_str().expect("temp paths are UTF-8").to_string()
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = TempDir::new("missing");
    let missing = dir.path("no-such-rubric.ron");
    let out = run(&["check", &missing]);
    out.expect_code(2, "missing file");
    out.expect_stderr(&format!("{missing}: cannot read it"), "missing file");
    assert!(out.stdout.is_empty(), "nothing on stdout\n{}", out.show());
    // A name begun, or a typo away, from a rubric beside it: that one is
    // named; else the rubric files in the folder are.
    let out = run(&["check", "rubrics/msk-ultrasound.ron"]);
    out.expect_code(2, "a name begun");
    out.expect_stderr(
        "did you mean rubrics/msk-ultrasound-osce.ron? Otherwise check the path",
        "a name begun",
    );
    let out = run(&["check", "rubrics/msk-practical-exan.ron"]);
    out.expect_stderr("did you mean rubrics/msk-practical-exam.ron?", "a typo");
    let out = run(&["check", "rubrics/week-one.ron"]);
    out.expect_stderr(
        "; the rubric files there are rubrics/msk-final-clinical-assessment.ron, ",
        "none near",
    );
    out.expect_stderr("rubrics/msk-ultrasound-osce.ron; check the path", "none near");
}

#[test]
fn folder_is_an_io_error() {
    let dir = TempDir::new("folder");
    let folder = path_arg(&dir.0);
    let out = run(&["check", &folder]);
    out.expect_code(2, "folder");
    out.expect_stderr(&format!("{folder}: is a folder, not a rubric file"), "folder");
}

#[test]
fn non_utf8_file_is_an_io_error_with_its_position() {
    let dir = TempDir::new("latin1");
    // A rubric saved as Latin-1: "Café" with é as the single byte 0xE9.
    let file = dir.file(
        "latin1.ron",
        b"(\n    id: \"x\",\n    title: \"Caf\xe9 OSCE\",\n    kind: Osce,\n)\n",
    );
    let out = run(&["check", &file]);
    out.expect_code(2, "Latin-1 file");
    // Line 3, after `    title: "Caf` (15 characters).
    out.expect_stderr(&format!("{file}:3:16: is not UTF-8 text"), "Latin-1 file");
    out.expect_stderr("save the rubric as UTF-8", "Latin-1 file");
    // What the byte is, so the module leader knows which setting to change.
    out.expect_stderr(
        "the byte 0xE9 is how Windows-1252 or Latin-1 writes `é`",
        "Latin-1 file",
    );
    assert!(
        !out.stderr.contains("binary"),
        "a Latin-1 letter is not a binary file:\n{}",
        out.stderr
    );

    let binary = dir.file("image.ron", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = run_check(&binary);
    out.expect_code(2, "binary file");
    out.expect_stderr(&format!("{binary}:1:1: is not UTF-8 text"), "binary file");
    out.expect_stderr(
        "holds bytes that are not text (is it the right file?)",
        "binary file",
    );

    // Notepad's "Unicode": UTF-16 with its byte-order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("(id: \"x\")".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let wide = dir.file("wide.ron", &utf16);
    let out = run_check(&wide);
    out.expect_code(2, "UTF-16 file");
    out.expect_stderr("is saved as UTF-16 (\"Unicode\")", "UTF-16 file");
    // Without its byte-order mark: said so, not a stray character to RON.
    let wide = dir.file("wide-nobom.ron", &utf16[2..]);
    let out = run_check(&wide);
    out.expect_code(2, "UTF-16 file without its mark");
    out.expect_stderr("it looks like UTF-16", "UTF-16 file without its mark");
}

/// A rubric saved with a carriage return alone ending each line (old Mac
/// editors): checked as the same rubric, with the same identity, not "the
/// file is empty" (its first comment running to the end of the file); and
/// a mistake in it is placed on its line.
#[test]
fn carriage_returns_alone_end_lines() {
    let dir = TempDir::new("cr");
    let text = fs::read_to_string(root().join("rubrics/msk-practical-exam.ron")).expect("rubric");
    let cr = dir.file("cr.ron", text.replace('\n', "\r").as_bytes());
    let out = run_check(&cr);
    out.expect_code(0, "carriage returns alone");
    let original = root().join("rubrics/msk-practical-exam.ron");
    let out = run(&["check", "--identity", &path_arg(&original), &cr]);
    out.expect_code(0, "identities");
    let ids: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(ids.len(), 2, "{}", out.show());
    assert_eq!(ids[0], ids[1], "{}", out.show());
    let broken = text.replacen("kind: PracticalExam,", "kind: PracticalExm,", 1);
    let line = text
        .lines()
        .position(|l| l.contains("kind: PracticalExam"))
        .expect("kind")
        + 1;
    let bad = dir.file("cr-bad.ron", broken.replace('\n', "\r").as_bytes());
    let out = run_check(&bad);
    out.expect_code(1, "a mistake");
    out.expect_stderr(&format!("{bad}:{line}:"), "a mistake on its line");
}

fn run_check(file: &str) -> Run {
    run(&["check", file])
}

#[test]
fn file_larger_than_4_mib_is_an_io_error() {
    let dir = TempDir::new("large");
    let path = dir.0.join("huge.ron");
    // Sparse: 50 MB of zeros without writing them.
    let f = fs::File::create(&path).expect("create");
    f.set_len(50_000_000).expect("set_len");
    drop(f);
    let huge = path_arg(&path);
    let out = run_check(&huge);
    out.expect_code(2, "50 MB file");
    out.expect_stderr(&format!("{huge}: is larger than 4 MiB, too large"), "50 MB file");

    // One byte over the limit is refused too.
    let path = dir.0.join("just-over.ron");
    let f = fs::File::create(&path).expect("create");
    f.set_len(osce::rubric::MAX_RUBRIC_BYTES + 1).expect("set_len");
    drop(f);
    let over = path_arg(&path);
    let out = run_check(&over);
    out.expect_code(2, "4 MiB + 1 byte");
    out.expect_stderr("too large", "4 MiB + 1 byte");
}

#[test]
fn file_of_exactly_4_mib_is_read_and_checked() {
    let dir = TempDir::new("limit");
    let path = dir.0.join("limit.ron");
    let mut f = fs::File::create(&path).expect("create");
    f.write_all(b"// padding\n").expect("write");
    // Padded with spaces: the file is read and then fails as a rubric
    // (exit 1), not as too large (exit 2). (Zero bytes would be refused
    // as not text: UTF-16 without its mark looks like that.)
    let pad = usize::try_from(osce::rubric::MAX_RUBRIC_BYTES).expect("fits") - b"// padding\n".len();
    f.write_all(&vec![b' '; pad]).expect("pad");
    drop(f);
    let limit = path_arg(&path);
    let out = run_check(&limit);
    out.expect_code(1, "exactly 4 MiB");
    assert!(
        !out.stderr.contains("too large"),
        "exactly 4 MiB is allowed\n{}",
        out.show()
    );
}

#[test]
fn empty_file_is_an_invalid_rubric() {
    let dir = TempDir::new("empty");
    let empty = dir.file("empty.ron", b"");
    let out = run_check(&empty);
    out.expect_code(1, "empty file");
    out.expect_stderr(&format!("{empty}:1:1: the file is empty"), "empty file");
    out.expect_stderr(&format!("{empty}: invalid: 1 error"), "empty file");
}

#[test]
fn byte_order_mark_is_ignored() {
    let dir = TempDir::new("bom");
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(fs::read(root().join("rubrics/msk-practical-exam.ron")).expect("example"));
    let file = dir.file("bom.ron", &text);
    let out = run_check(&file);
    out.expect_code(0, "rubric saved with a byte-order mark");
}

#[test]
fn several_files_report_each_and_io_errors_win() {
    let dir = TempDir::new("several");
    let missing = dir.path("missing.ron");
    let valid = "rubrics/msk-practical-exam.ron";
    let invalid = "tests/bad_rubrics/undefined-scale.ron";
    for args in [
        ["check", valid, missing.as_str(), invalid],
        ["check", invalid, valid, missing.as_str()],
        ["check", missing.as_str(), invalid, valid],
    ] {
        let what = format!("osce {}", args.join(" "));
        let out = run(&args);
        out.expect_code(2, &what);
        // Every file is still checked and reported.
        out.expect_stdout(&format!("ok: {valid} is valid"), &what);
        out.expect_stderr(&format!("{missing}: cannot read it"), &what);
        out.expect_stderr(&format!("{invalid}: invalid: 1 error"), &what);
        out.expect_stderr("scale \"nd-pd-dd\" is not defined", &what);
    }

    // Without the missing file, the invalid one decides: exit 1.
    let out = run(&["check", valid, invalid]);
    out.expect_code(1, "valid and invalid");
    out.expect_stdout(&format!("ok: {valid} is valid"), "valid and invalid");
}

#[test]
fn check_without_files_is_a_usage_error() {
    let out = run(&["check"]);
    out.expect_code(2, "osce check");
    out.expect_stderr("<FILE>", "osce check");

    let out = run(&[]);
    out.expect_code(2, "osce");

    let out = run(&["frobnicate"]);
    out.expect_code(2, "osce frobnicate");
}

// ---------------------------------------------------------------------------
// show, --version, --help
// ---------------------------------------------------------------------------

#[test]
fn show_prints_a_valid_rubric() {
    let out = run(&["show", "rubrics/msk-ultrasound-osce.ron"]);
    out.expect_code(0, "show");
    for title in [
        "MSK Ultrasound OSCE",
        "Shoulder",
        "Knee",
        "Ankle and foot",
        "Rest station",
        "Professional issues and reporting",
        "Overall pass rules",
    ] {
        out.expect_stdout(title, "show");
    }
    assert!(out.stderr.is_empty(), "no warnings expected\n{}", out.show());
}

#[test]
fn show_refuses_an_invalid_rubric() {
    let file = "tests/bad_rubrics/duplicate-station-ids.ron";
    let out = run(&["show", file]);
    out.expect_code(1, "show invalid");
    out.expect_stderr("duplicate station id \"shoulder\"", "show invalid");
    out.expect_stderr(
        &format!("{file}: invalid, so there is nothing to show"),
        "show invalid",
    );
    assert!(out.stdout.is_empty(), "nothing shown\n{}", out.show());

    let dir = TempDir::new("show-missing");
    let missing = dir.path("missing.ron");
    let out = run(&["show", &missing]);
    out.expect_code(2, "show missing");
    out.expect_stderr(&format!("{missing}: cannot read it"), "show missing");
}

#[test]
fn version_and_help() {
    let out = run(&["--version"]);
    out.expect_code(0, "--version");
    out.expect_stdout(&format!("osce {}", env!("CARGO_PKG_VERSION")), "--version");

    let out = run(&["--help"]);
    out.expect_code(0, "--help");
    for word in ["check", "show", "Exit codes"] {
        out.expect_stdout(word, "--help");
    }

    let out = run(&["check", "--help"]);
    out.expect_code(0, "check --help");
    out.expect_stdout("--strict", "check --help");
}

#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    // `osce show … | head -1`: the reader goes away after one line.
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("osce"))
        .args(["show", "rubrics/msk-ultrasound-osce.ron"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("osce runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("osce ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "101 is a panic's exit code");
}

#[test]
fn a_mistake_on_an_enormous_line_is_located_not_printed() {
    let dir = TempDir::new("longline");
    let text = format!("(id: {}]", "[".repeat(100_000));
    let file = dir.file("one-line.ron", text.as_bytes());
    let out = run_check(&file);
    out.expect_code(1, "deeply nested on one line");
    out.expect_stderr("(line 1 is too long to show: 100006 characters)", "long line");
    assert!(
        out.stderr.len() < 2_000,
        "the line is not printed:\n{}",
        out.show()
    );
}

/// A small valid rubric, with `{scale}` for more fields of its one scale,
/// `{level}` for the label of its top level and `{top}` for more fields of
/// the rubric.
const MINI: &str = r#"(
    id: "mini",
    title: "Mini",
    kind: PracticalExam,
    version: "1",
    {top}
    scales: [
        (
            id: "nd-d",
            {scale}
            levels: Named([(label: "Not done", mark: 0), (label: "{level}", mark: 1)]),
        ),
    ],
    stations: [
        (
            id: "knee",
            title: "Knee",
            items: [(id: "consent", text: "Obtains consent", scale: "nd-d")],
            pass_mark: Marks(1),
        ),
    ],
    pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks)],
)
"#;

fn mini(top: &str, scale: &str, level: &str) -> String {
    MINI.replace("{top}", top)
        .replace("{scale}", scale)
        .replace("{level}", level)
}

#[test]
fn the_mini_rubric_is_valid() {
    let dir = TempDir::new("mini");
    let file = dir.file("mini.ron", mini("", "", "Done").as_bytes());
    run_check(&file).expect_code(0, "the rubric the next tests spoil");
}

/// "Did you mean" once compared two names with a table of their lengths
/// multiplied: an unknown 60,000-character label against a level of as
/// many made `osce check` ask for 28 GB and abort.
#[test]
fn enormous_unknown_names_are_refused_at_once() {
    let dir = TempDir::new("hugename");
    let label = "x".repeat(60_000);
    let meets = format!("meets: \"{}\",", "y".repeat(60_000));
    let file = dir.file("meets.ron", mini("", &meets, &label).as_bytes());
    let started = std::time::Instant::now();
    let out = run_check(&file);
    out.expect_code(1, "an enormous unknown level");
    out.expect_stderr(
        "scales[0].meets: scale \"nd-d\" has no level",
        "an enormous unknown level",
    );
    // Generous, for a slow debug build; the old code did not finish at all.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );

    let field = format!("{}: 1,", "z".repeat(60_000));
    let file = dir.file("field.ron", mini(&field, "", "Done").as_bytes());
    let out = run_check(&file);
    out.expect_code(1, "an enormous unknown field");
    out.expect_stderr("unknown field", "an enormous unknown field");
}

/// Enormous names are quoted shortly: the first 60 characters, `…` and
/// the length.
#[test]
fn enormous_unknown_names_are_quoted_shortly() {
    let dir = TempDir::new("hugequote");
    let label = "x".repeat(60_000);
    let meets = format!("meets: \"{}\",", "y".repeat(60_000));
    let file = dir.file("meets.ron", mini("", &meets, &label).as_bytes());
    let out = run_check(&file);
    out.expect_code(1, "an enormous unknown level");
    let cut = |c: &str| format!("\"{}…\" (60000 characters)", c.repeat(60));
    out.expect_stderr(
        &format!("scales[0].meets: scale \"nd-d\" has no level {}", cut("y")),
        "an enormous unknown level",
    );
    out.expect_stderr(
        &format!("its levels are \"Not done\" or {}", cut("x")),
        "an enormous level",
    );
    assert!(out.stderr.len() < 2_000, "a short message\n{}", out.show());

    let field = format!("{}: 1,", "z".repeat(60_000));
    let file = dir.file("field.ron", mini(&field, "", "Done").as_bytes());
    let out = run_check(&file);
    out.expect_code(1, "an enormous unknown field");
    out.expect_stderr(
        &format!("unknown field `{}…` (60000 characters)", "z".repeat(60)),
        "an enormous unknown field",
    );
    assert!(out.stderr.len() < 2_000, "a short message\n{}", out.show());
}

/// Marks and weights may be as large as 1,000,000 each (docs/rubric-format.md,
/// sections 4 and 6), and no larger: a mark or weight of `1e308` once passed
/// the check, and its totals overflowed to a score no journal can save.
#[test]
fn marks_and_weights_are_bounded_and_scores_at_the_bound_are_saved() {
    let dir = TempDir::new("bounds");
    let at_bound = |mark: &str, weight: &str| {
        mini("", "", "Done")
            .replace(
                "(label: \"Done\", mark: 1)",
                &format!("(label: \"Done\", mark: {mark})"),
            )
            .replace("scale: \"nd-d\")", &format!("scale: \"nd-d\", weight: {weight})"))
    };
    let largest = dir.file("largest.ron", at_bound("1000000", "1000000").as_bytes());
    let out = run_check(&largest);
    out.expect_code(0, "the largest mark and weight");
    out.expect_stdout("maximum 1000000000000 marks", "the largest mark and weight");
    // The scores such a rubric gives are saved.
    let sessions = dir.path("sessions");
    let out = run(&[
        "simulate",
        "--candidates",
        "3",
        "--examiners",
        "1",
        "--sessions",
        &sessions,
        &largest,
    ]);
    out.expect_code(0, "simulating at the bound");

    for (name, mark, weight, path, message) in [
        (
            "mark.ron",
            "1000000.5",
            "1",
            "scales[0].levels[1].mark",
            "mark 1000000.5 is more than 1000000, the most a level may earn",
        ),
        (
            "weight.ron",
            "1",
            "1000001",
            "stations[0].items[0].weight",
            "weight 1000001 is more than 1000000, the largest weight allowed",
        ),
        (
            "both.ron",
            "1e200",
            "1e200",
            "scales[0].levels[1].mark",
            "mark 1e200 is more than 1000000",
        ),
    ] {
        let file = dir.file(name, at_bound(mark, weight).as_bytes());
        let out = run_check(&file);
        out.expect_code(1, name);
        out.expect_stderr(&format!("{path}: {message}"), name);
    }
}

/// The home screen given a file as its sessions folder, or a device name
/// that is not an id, says so at once, before any screen.
#[test]
fn the_home_screen_refuses_a_file_as_its_sessions_folder_and_a_bad_device() {
    let file = std::env::temp_dir().join(format!("osce-home-file-{}", std::process::id()));
    fs::write(&file, "hi").expect("file");
    let path = file.to_str().expect("utf-8");
    let r = run(&["--sessions", path]);
    r.expect_code(2, "a file as the sessions folder");
    assert!(
        r.stderr
            .contains("is a file, not a folder: name the folder marks are saved in"),
        "{}",
        r.show()
    );
    assert_eq!(fs::read(&file).expect("file"), b"hi");
    let _ = fs::remove_file(&file);
    let r = run(&["--device", "../x"]);
    r.expect_code(2, "a device name that is not an id");
    assert!(r.stderr.contains("--device \"../x\""), "{}", r.show());
}

/// The exam lead checks the roster before the day: with the rubric, its
/// warnings are said and each circuit's rotation printed round by round
/// (a candidate starting at a station is there in round 1 and at the next
/// station in round 2); a roster named alone is said to be a CSV file, not
/// parsed as a broken rubric.
#[test]
fn a_roster_is_checked_with_its_rubric_and_each_circuits_rotation_printed() {
    let rubric = "rubrics/msk-ultrasound-osce.ron";
    let roster = "rubrics/msk-ultrasound-osce.roster.csv";
    let out = run(&["check", roster]);
    out.expect_code(2, "a roster alone");
    out.expect_stderr(
        "is a CSV file, not a rubric; to check a roster, name the rubric too",
        "a roster alone",
    );
    assert!(!out.stderr.contains("expected"), "{}", out.stderr);

    let out = run(&["check", rubric, "--roster", roster]);
    out.expect_code(0, "a valid roster");
    assert!(
        out.stdout.contains(&format!(
            "ok: {roster} is valid: 14 candidates in 2 circuits (A, B)"
        )),
        "{}",
        out.stdout
    );
    let rows: Vec<Vec<&str>> = out
        .stdout
        .split("Circuit A: 7 candidates, 7 rounds of 13 minutes")
        .nth(1)
        .unwrap_or_else(|| panic!("circuit A's rotation:\n{}", out.stdout))
        .lines()
        .skip(1)
        .take(8)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "round",
            "shoulder",
            "knee",
            "ankle",
            "rest",
            "elbow",
            "physics",
            "professional"
        ]
    );
    assert_eq!(
        rows[1],
        ["1", "C001", "C002", "C003", "C004", "C005", "C006", "C007"]
    );
    // Round 2: each has moved on one station; the last station's comes
    // round to the first.
    assert_eq!(
        rows[2],
        ["2", "C007", "C001", "C002", "C003", "C004", "C005", "C006"]
    );
    assert_eq!(rows.len(), 8, "seven rounds:\n{}", out.stdout);
    // The example in docs/roster-format.md is what the command prints.
    let doc = fs::read_to_string(root().join("docs/roster-format.md")).expect("doc");
    let example = doc
        .split("```text\n$ osce check rubrics/msk-ultrasound-osce.ron --roster")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the example in docs/roster-format.md");
    for line in example.lines().skip(1).filter(|l| !l.is_empty() && *l != "…") {
        assert!(
            out.stdout.contains(line),
            "docs/roster-format.md: {line:?} is not printed:\n{}",
            out.stdout
        );
    }

    // A start station copied down a row: a second wave, said as a warning,
    // with the rounds it adds; an error with --strict.
    let dir = TempDir::new("roster-check");
    let text = fs::read_to_string(root().join(roster)).expect("roster");
    let copied = dir.file(
        "copied.csv",
        text.replace(
            "C007,Rhys Llewellyn,A,professional",
            "C007,Rhys Llewellyn,A,shoulder",
        )
        .as_bytes(),
    );
    let out = run(&["check", rubric, "--roster", &copied]);
    out.expect_code(0, "a warning only");
    out.expect_stderr("warning: ", "the copied start station");
    assert!(
        out.stdout
            .contains("Circuit A: 7 candidates, 14 rounds of 13 minutes"),
        "a second wave doubles circuit A:\n{}",
        out.stdout
    );
    run(&["check", "--strict", rubric, "--roster", &copied]).expect_code(1, "--strict");
    // Saved by Excel where it writes the separator first (`sep=,`): the
    // header is the line after it, and its rows are numbered as Excel
    // shows them.
    let sep = dir.file(
        "sep.csv",
        b"\xEF\xBB\xBFsep=,\r\ncandidate_id,name\r\nS1,A B\r\nS1,C D\r\n",
    );
    let out = run(&["check", rubric, "--roster", &sep]);
    out.expect_code(1, "a duplicate id below Excel's sep= line");
    out.expect_stderr("row 4", "the duplicate on Excel's row 4");
    assert!(!out.stderr.contains("not a header"), "{}", out.show());
    // A circuit with a start time: each round's, in the roster's offset.
    let timed = dir.file(
        "timed.csv",
        b"candidate_id,name,circuit,start_station,circuit_start\nS1,A B,A,,2026-06-03T09:00+01:00\nS2,C D,A,,2026-06-03T09:00+01:00\n",
    );
    let out = run(&["check", rubric, "--roster", &timed]);
    out.expect_code(0, "a timed circuit");
    assert!(
        out.stdout
            .contains("Circuit A: 2 candidates, 7 rounds of 13 minutes, from 2026-06-03 09:00 (UTC+01:00)")
            && out
                .stdout
                .lines()
                .any(|l| l.split_whitespace().take(4).eq(["2", "09:13", "·", "S1"])),
        "{}",
        out.stdout
    );
    // A start at half past the minute: every time with its seconds.
    let half = dir.file(
        "half.csv",
        b"candidate_id,name,circuit,start_station,circuit_start\nS1,A B,A,,2026-06-03T15:35:30+05:30\nS2,C D,A,,2026-06-03T15:35:30+05:30\n",
    );
    let out = run(&["check", rubric, "--roster", &half]);
    out.expect_code(0, "a timed circuit");
    assert!(
        out.stdout.contains("from 2026-06-03 15:35:30 (UTC+05:30)")
            && out
                .stdout
                .lines()
                .any(|l| l.split_whitespace().take(2).eq(["2", "15:48:30"])),
        "{}",
        out.stdout
    );
    // A rehearsal's rounds shorter than a minute are given in seconds, not
    // as "0 min 20 s".
    let text = fs::read_to_string(root().join(rubric)).expect("rubric");
    let mut short = String::new();
    for line in text.lines() {
        match line.find("timing: (") {
            Some(at) => {
                short.push_str(&line[..at]);
                short.push_str(r#"timing: (reading: "0:05", station: "0:10", changeover: "0:05"),"#);
            }
            None => short.push_str(line),
        }
        short.push('\n');
    }
    let rehearsal = dir.file("rehearsal.ron", short.as_bytes());
    let out = run(&["check", &rehearsal, "--roster", &timed]);
    out.expect_code(0, "a rehearsal");
    assert!(
        out.stdout.contains("7 rounds of 20 s, from"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    // An untimed rubric (the final clinical assessment) with a start time:
    // no round times, every round would begin at once; and no panic.
    let out = run(&[
        "check",
        "rubrics/msk-final-clinical-assessment.ron",
        "--roster",
        &timed,
    ]);
    out.expect_code(0, "an untimed rubric with a start time");
    assert!(
        !out.stdout.contains("begins") && out.stdout.contains("round  case-1"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    run(&["check", rubric, rubric, "--roster", roster]).expect_code(2, "two rubrics");
}

/// `--quiet` with a roster prints problems only: neither the roster's ok
/// line nor its rotation tables.
#[test]
fn quiet_roster_check_prints_problems_only() {
    let out = run(&[
        "check",
        "--quiet",
        "rubrics/msk-ultrasound-osce.ron",
        "--roster",
        "rubrics/msk-ultrasound-osce.roster.csv",
    ]);
    out.expect_code(0, "check --quiet --roster");
    assert!(out.stdout.trim().is_empty(), "{}", out.show());
    let loud = run(&[
        "check",
        "rubrics/msk-ultrasound-osce.ron",
        "--roster",
        "rubrics/msk-ultrasound-osce.roster.csv",
    ]);
    assert!(
        loud.stdout
            .contains("ok: rubrics/msk-ultrasound-osce.roster.csv is valid"),
        "{}",
        loud.show()
    );
}
