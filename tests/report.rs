//! `osce simulate`, `osce report` and standard setting, end to end: a
//! simulated cohort through the real binary, the report in every format
//! (the HTML opened in a real headless browser), the report screen's
//! views, and saved pass marks applied by `osce export`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;
use common::*;
use osce::analysis::report::Report;
use osce::tui::report::{Action, ReportApp, View, render};
use osce::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn osce(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("osce")
        .expect("binary")
        .args(args)
        .output()
        .expect("run")
}

fn simulated(d: &Dir, candidates: usize, seed: u64) -> PathBuf {
    let s = d.0.join(format!("sim-{seed}"));
    let roster = d.0.join(format!("roster-{seed}.csv"));
    let out = osce(&[
        "simulate",
        OSCE,
        "--candidates",
        &candidates.to_string(),
        "--examiners",
        "12",
        "--seed",
        &seed.to_string(),
        "--sessions",
        s.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    s
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).expect("inside").to_path_buf(),
                    std::fs::read(&p).expect("read"),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn simulate_is_reproducible_from_its_seed_and_sound() {
    let d = Dir::new("sim");
    let a = simulated(&d, 30, 5);
    let b = d.0.join("again");
    let out = osce(&[
        "simulate",
        OSCE,
        "--candidates",
        "30",
        "--examiners",
        "12",
        "--seed",
        "5",
        "--sessions",
        b.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success());
    assert_eq!(files(&a), files(&b), "the same seed writes the same bytes");
    let c = simulated(&d, 30, 6);
    assert_ne!(files(&a), files(&c), "another seed, another cohort");
    // Every journal checks, and status sees every sheet in.
    let audit = osce(&["audit", OSCE, "--sessions", a.to_str().expect("utf-8")]);
    assert!(
        audit.status.success(),
        "{}",
        String::from_utf8_lossy(&audit.stdout)
    );
    let status = osce(&["status", OSCE, "--sessions", a.to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("Every expected sheet is in."));
    // Never mixed into a folder that already holds the assessment.
    let again = osce(&[
        "simulate",
        OSCE,
        "--candidates",
        "3",
        "--examiners",
        "2",
        "--sessions",
        a.to_str().expect("utf-8"),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never mixed"));
}

#[test]
fn the_report_is_written_in_every_format() {
    let d = Dir::new("report");
    let s = simulated(&d, 120, 11);
    let roster = d.0.join("roster-11.csv");
    let md = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
    ]);
    assert!(md.status.success(), "{}", String::from_utf8_lossy(&md.stderr));
    let text = String::from_utf8_lossy(&md.stdout);
    for heading in [
        "## Flags",
        "## Whole exam",
        "## Stations",
        "## Examiners",
        "Cronbach's α",
        "listwise",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let csv_dir = d.0.join("csv");
    let csv = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().expect("utf-8"),
    ]);
    assert!(csv.status.success());
    let mut r = csv::Reader::from_path(csv_dir.join("report-stations.csv")).expect("csv");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        let r2: f64 = row[10].parse().expect("R²");
        assert!((0.0..=1.0).contains(&r2));
    }
    // Never over an earlier report without --force.
    let again = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn degenerate_data_is_named_not_computed() {
    let d = Dir::new("report-degenerate");
    let s = d.sub("s");
    // Three candidates, all marked the same way: every grade the same.
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    candidate(&s, OSCE, "C002", "E01@lap1", Marks::Top);
    candidate(&s, OSCE, "C003", "E01@lap1", Marks::Top);
    let out = osce(&["report", OSCE, "--sessions", s.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("only 3 candidates"), "{text}");
    assert!(
        text.contains("every candidate has the same global rating, so there is no slope"),
        "{text}"
    );
    assert!(text.contains("keep the provisional pass mark"), "{text}");
    assert!(!text.contains("NaN"));

    // Two candidates: a line through two points proves nothing.
    let two = d.sub("two");
    candidate(&two, OSCE, "C001", "E01@lap1", Marks::Top);
    candidate(&two, OSCE, "C002", "E01@lap1", Marks::LoseFirst(3));
    let out = osce(&["report", OSCE, "--sessions", two.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("at least 3 are needed"), "{text}");
    assert!(
        !text.contains("borderline regression: -"),
        "no negative pass mark applied: {text}"
    );
}

/// A handful of candidates gives no verdict on reliability in the brief
/// (α from three candidates says next to nothing); a cohort under 50 has
/// its verdict said to rest on how many it does.
#[test]
fn too_few_candidates_give_no_verdict_on_reliability() {
    let d = Dir::new("report-few");
    for (n, seed, verdict) in [
        (
            3,
            31,
            "**Too few candidates to judge reliability.** Only 3 candidates have every station complete",
        ),
        (20, 32, "About the whole exam: only 20 candidates"),
    ] {
        let s = simulated(&d, n, seed);
        let out = osce(&["report", OSCE, "--sessions", s.to_str().expect("utf-8")]);
        let text = String::from_utf8_lossy(&out.stdout);
        let brief = text
            .split("## For the exam board, in brief")
            .nth(1)
            .and_then(|b| b.split("\n## ").next())
            .unwrap_or_else(|| panic!("a brief: {text}"));
        assert!(brief.contains(verdict), "{n}: {brief}");
        if n < 10 {
            assert!(
                !brief.contains("Reliable") && !brief.contains("dependable") && !brief.contains("Φ ("),
                "{brief}"
            );
        }
    }
}

/// Adopting a record of pass marks set from other sheets (another sitting,
/// or sheets changed since) says so; one set from these sheets does not.
#[test]
fn adopting_pass_marks_set_from_other_sheets_is_warned_of() {
    let d = Dir::new("standards-other");
    let save = |s: &Path, name: &str| {
        let saved = d.0.join(name);
        let out = osce(&[
            "report",
            OSCE,
            "--sessions",
            s.to_str().expect("utf-8"),
            "--format",
            "markdown",
            "--save-standards",
            saved.to_str().expect("utf-8"),
            "--by",
            "Standard-setting panel",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        saved
    };
    let adopt = |s: &Path, record: &Path| {
        let out = osce(&[
            "decide",
            "pass-marks",
            OSCE,
            "--sessions",
            s.to_str().expect("utf-8"),
            "--record",
            record.to_str().expect("utf-8"),
            "--by",
            "Exam board",
            "--reason",
            "ratified",
            "--dry-run",
        ]);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let these = simulated(&d, 30, 41);
    let others = simulated(&d, 12, 42);
    let own = save(&these, "own.json");
    let theirs = save(&others, "theirs.json");
    let said = adopt(&these, &theirs);
    assert!(
        said.contains("theirs.json was set from other sheets than these (")
            && said.contains("from 12 candidates; the sheets now are of 30 candidates)"),
        "{said}"
    );
    let said = adopt(&these, &own);
    assert!(!said.contains("set from other sheets"), "{said}");
}

#[test]
fn saved_pass_marks_are_applied_by_export_and_say_so() {
    let d = Dir::new("standards");
    let s = simulated(&d, 80, 21);
    let saved = d.0.join("standards.json");
    // A report that cannot be written where asked saves no record either:
    // before, the record was saved, the report refused, and the same
    // command run again refused the record.
    let existing = d.0.join("report.md");
    std::fs::write(&existing, "an earlier report\n").expect("write");
    for (format, out) in [
        ("markdown", existing.clone()),
        ("html", d.0.to_path_buf()),
        ("csv", existing.clone()),
        ("markdown", saved.clone()),
    ] {
        let refused = osce(&[
            "report",
            OSCE,
            "--sessions",
            s.to_str().expect("utf-8"),
            "--format",
            format,
            "--out",
            out.to_str().expect("utf-8"),
            "--save-standards",
            saved.to_str().expect("utf-8"),
            "--by",
            "Dr Module Leader",
        ]);
        let said = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{said}");
        assert!(said.contains("nothing was saved"), "{said}");
        assert!(!saved.exists(), "no record saved: {said}");
    }
    assert_eq!(
        std::fs::read_to_string(&existing).expect("kept"),
        "an earlier report\n"
    );
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "markdown",
        "--save-standards",
        saved.to_str().expect("utf-8"),
        "--by",
        "Dr Module Leader",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let decision: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&saved).expect("saved")).expect("json");
    assert_eq!(decision["set_by"], "Dr Module Leader");
    assert_eq!(decision["stations"].as_array().map(Vec::len), Some(6));
    let export = d.0.join("export");
    let out = osce(&[
        "export",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
        "--pass-marks",
        saved.to_str().expect("utf-8"),
    ]);
    // Written; not final (the rubric's moderated sample is not done): exit 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_path(export.join("stations.csv")).expect("csv");
    let h = r.headers().expect("headers").clone();
    let col = h.iter().position(|x| x == "pass_mark_source").expect("column");
    let sources: Vec<String> = r.records().map(|x| x.expect("row")[col].to_string()).collect();
    assert!(
        sources
            .iter()
            .any(|s| s == "standard-set (borderline regression)"),
        "{sources:?}"
    );
    // Another rubric's file is refused.
    let wrong = osce(&[
        "export",
        FCA,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        d.0.join("x").to_str().expect("utf-8"),
        "--pass-marks",
        saved.to_str().expect("utf-8"),
    ]);
    assert_eq!(wrong.status.code(), Some(1), "wrong input");
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not this rubric"));
    // A file that is not there is a usage error.
    let missing = osce(&[
        "export",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        d.0.join("y").to_str().expect("utf-8"),
        "--pass-marks",
        d.0.join("no-such-file.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

fn report_of(s: &Path) -> Report {
    report_with(s, &Default::default())
}

/// The report of `s` with the candidates' circuits.
fn report_with(s: &Path, circuits: &std::collections::BTreeMap<String, String>) -> Report {
    let r = rubric(OSCE);
    let h = hash(OSCE);
    let folders = vec![s.to_path_buf()];
    let cohort = osce::results::gather::gather(&r, &h, &folders).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let none = osce::results::moderation::Moderation::default();
    let double_marking = osce::analysis::agreement::double_marking(&r, &cohort, &m);
    osce::analysis::report::build(
        &r,
        &cohort,
        &m.candidates,
        circuits,
        double_marking,
        |part, st| osce::results::reconcile::examiners_results_for(&r, &cohort, &m, st, &none, part),
    )
}

fn draw(app: &ReportApp, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(app, f, &Theme::new(false))).expect("draw");
    let b = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..b.area.height {
        let line: String = (0..b.area.width)
            .map(|x| b[(x, y)].symbol().to_string())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_report_screen_has_every_view() {
    let d = Dir::new("report-tui");
    let s = simulated(&d, 60, 3);
    let mut app = ReportApp::new(report_of(&s));
    app.update(Action::Resize {
        width: 120,
        height: 36,
    });
    insta::assert_snapshot!("report_overview", draw(&app, 120, 36));
    app.update(Action::View(View::Stations));
    app.update(Action::Down);
    assert_eq!(app.selected, 1);
    insta::assert_snapshot!("report_stations", draw(&app, 120, 36));
    app.update(Action::NextView);
    assert_eq!(app.view, View::Reliability);
    insta::assert_snapshot!("report_reliability", draw(&app, 120, 36));
    app.update(Action::NextView);
    insta::assert_snapshot!("report_examiners", draw(&app, 120, 36));
    app.update(Action::Help);
    insta::assert_snapshot!("report_help", draw(&app, 120, 36));
    app.update(Action::Help);
    app.update(Action::Resize { width: 30, height: 8 });
    app.update(Action::NextView);
    assert_eq!(app.view, View::Examiners, "no key acts while too small");
    assert!(draw(&app, 30, 8).contains("needs at least"));
    app.update(Action::Quit);
    assert!(app.quit);
}

/// At 80 × 24 every view's tab is on the first line, and the histogram
/// of totals has a bar for every candidate: as many bins as fit, none off
/// the edge.
#[test]
fn at_80_by_24_every_tab_and_every_candidate_is_shown() {
    let d = Dir::new("report-tui-small");
    let s = simulated(&d, 60, 3);
    let report = report_of(&s);
    let candidates = report.exam.totals.len() as u64;
    let mut app = ReportApp::new(report);
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    let screen = draw(&app, 80, 24);
    let first = screen.lines().next().unwrap_or_default();
    for tab in ["1 Overview", "2 Stations", "3 Reliability", "4 Examiners"] {
        assert!(first.contains(tab), "{tab}: {screen}");
    }
    // The counts printed in the bars (ratatui writes a bar's value inside
    // it, as "█7█"), added up.
    let counted: u64 = screen
        .split('█')
        .filter_map(|part| part.trim().parse::<u64>().ok())
        .sum();
    assert_eq!(counted, candidates, "{screen}");
}

/// The HTML report opened in a real headless browser: it must load as a
/// page whose DOM holds every plot. Chromium is installed by `.ci/run`;
/// with OSCE_REQUIRE_BROWSER=1 (as CI sets it) a missing browser fails.
#[test]
fn the_html_report_renders_in_a_headless_browser() {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Std::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        assert!(
            std::env::var_os("OSCE_REQUIRE_BROWSER").is_none(),
            "no chromium found: install it (apt-get install chromium)"
        );
        eprintln!("SKIPPED: no chromium on this machine; .ci/run installs it and runs this test");
        return;
    };
    let d = Dir::new("report-html");
    let s = simulated(&d, 60, 9);
    let html = d.0.join("report.html");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "html",
        "--out",
        html.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&html).expect("html");
    assert!(!text.contains("<script"), "no scripts");
    assert!(
        !text.contains("http://")
            || text.matches("http://").count() == text.matches("http://www.w3.org/2000/svg").count(),
        "nothing fetched"
    );
    let profile = d.0.join("profile");
    let dom = Std::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("browser");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("exam quality report"),
        "the page loaded: {}",
        &dom[..dom.len().min(400)]
    );
    assert_eq!(
        dom.matches("<svg class=\"scatter\"").count(),
        6,
        "a scatter per station"
    );
    assert_eq!(dom.matches("<svg class=\"histogram\"").count(), 1);
    assert_eq!(dom.matches("<svg class=\"bars\"").count(), 3);
    assert!(
        dom.matches("class=\"point\"").count() >= 300,
        "the candidates are plotted"
    );
    assert_eq!(dom.matches("class=\"regression\"").count(), 6);
    assert!(dom.contains("<table>"));
    // The first page in plain English, and where the figures come from on
    // every printed page.
    assert!(
        dom.contains("For the exam board, in brief"),
        "the brief comes first"
    );
    assert!(
        dom.contains("class=\"provenance every-page\"") && dom.contains("rubric msk-us-osce version"),
        "provenance on every page"
    );
    // And it draws: a screenshot is a real, non-trivial PNG.
    let png = d.0.join("shot.png");
    let shot = Std::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--window-size=1200,2400",
            &format!("--screenshot={}", png.display()),
        ])
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("browser");
    assert!(shot.status.success() || png.exists());
    let bytes = std::fs::read(&png).expect("screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 20_000, "{} bytes", bytes.len());
}

#[test]
fn the_documented_csv_columns_are_the_columns_written() {
    let d = Dir::new("report-doc");
    let s = simulated(&d, 20, 4);
    let r = report_of(&s);
    let doc = std::fs::read_to_string("docs/report.md").expect("doc");
    let section = doc
        .split("`report-stations.csv`, one row per station")
        .nth(1)
        .expect("section");
    let section = section.split("`report-exam.csv` has").next().expect("end");
    let documented: Vec<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let written: Vec<String> = osce::analysis::report::csv::stations(&r)
        .columns
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(documented, written);
    let exam_doc = doc.split("`report-exam.csv` has").nth(1).expect("exam");
    for row in osce::analysis::report::csv::exam(&r).rows {
        let name = row[0].split(':').next().expect("name");
        assert!(exam_doc.contains(&format!("`{name}")), "{name} is documented");
    }
}

/// A symbolic link planted where the report, its CSV files or a
/// standard-setting record go is never written through: refused without
/// --force (a standard-setting record always), replaced with --force, and
/// what it pointed to is untouched. A folder given for a file is refused.
#[test]
fn planted_links_are_never_written_through_by_report_or_standards() {
    let d = Dir::new("report-links");
    let s = simulated(&d, 40, 5);
    let victim = d.0.join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    let plant = |at: &Path| std::os::unix::fs::symlink(&victim, at).expect("link");
    let kept = || std::fs::read_to_string(&victim).expect("victim") == "keep me";
    let report = |args: &[&str]| {
        let mut all = vec!["report", OSCE, "--sessions", s.to_str().expect("utf-8")];
        all.extend_from_slice(args);
        osce(&all)
    };

    let html = d.0.join("report.html");
    plant(&html);
    let args = ["--format", "html", "--out", html.to_str().expect("utf-8")];
    assert_eq!(report(&args).status.code(), Some(2), "refused without --force");
    assert!(kept());
    let out = report(&[&args[..], &["--force"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(kept(), "the link's target is untouched");
    let meta = std::fs::symlink_metadata(&html).expect("report");
    assert!(meta.file_type().is_file(), "the link was replaced by the report");
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o600
    );

    let csv_dir = d.sub("csv");
    plant(&csv_dir.join("report-exam.csv"));
    let args = ["--format", "csv", "--out", csv_dir.to_str().expect("utf-8")];
    assert_eq!(report(&args).status.code(), Some(2));
    assert!(report(&[&args[..], &["--force"]].concat()).status.success());
    assert!(kept());

    let saved = d.0.join("standards.json");
    plant(&saved);
    let out = report(&[
        "--format",
        "markdown",
        "--save-standards",
        saved.to_str().expect("utf-8"),
        "--by",
        "Dr Lead",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwritten"));
    assert!(kept());

    // A folder where a file goes.
    let out = report(&[
        "--format",
        "html",
        "--out",
        d.0.to_str().expect("utf-8"),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("name a file to write, not a folder"), "{stderr}");
}

/// The report of `s`'s station `id`.
fn station<'a>(r: &'a Report, id: &str) -> &'a osce::analysis::report::StationReport {
    r.stations.iter().find(|x| x.id == id).expect("station")
}

/// Writes `candidate`'s sheet at `station` by hand: `level` gives each
/// item's level (`None`: left blank, with a reason recorded), then the
/// global rating at `rating`, then the submission.
fn hand_sheet(
    s: &Path,
    station: &str,
    candidate: &str,
    who: &str,
    level: impl Fn(&osce::rubric::Item, usize) -> Option<usize>,
    rating: usize,
) {
    use osce::store::Event;
    let r = rubric(OSCE);
    let st = r.station(station).expect("station");
    let mut events = vec![Event::Confirmed {
        candidate_name: format!("Name of {candidate}"),
    }];
    let mut blank = Vec::new();
    for item in &st.items {
        let scale = r.scale(item.scale);
        match level(item, scale.levels.len() - 1) {
            Some(l) => events.push(Event::Mark {
                item: item.id.clone(),
                level: Some(l),
                label: scale.levels[l].label.clone(),
                late: false,
            }),
            None => blank.push(item.id.clone()),
        }
    }
    if let Some(g) = &st.global_rating {
        events.push(Event::GlobalRating {
            level: rating,
            label: r.scale(g.scale).levels[rating].label.clone(),
            late: false,
        });
    }
    for what in blank {
        events.push(Event::MissingReason {
            what: osce::store::Unmarked::Item(what),
            reason: "Ran out of time".into(),
        });
    }
    // Replaced by the submission the marks give.
    events.push(Event::Submitted {
        score: 0.0,
        max: 0.0,
        outcome: osce::scoring::StationOutcome::Fail,
    });
    append(s, OSCE, station, candidate, who, events);
}

/// A cohort of five whose every sheet is complete; C005 failed every
/// critical item (a complete result: every item is marked).
fn five_complete(s: &Path) {
    for (c, m) in [
        ("C001", Marks::Top),
        ("C002", Marks::LoseFirst(2)),
        ("C003", Marks::LoseFirst(4)),
        ("C004", Marks::LoseFirst(6)),
        ("C005", Marks::Bottom),
    ] {
        candidate(s, OSCE, c, "E01@lap1", m);
    }
}

/// Issue 16: a sheet with an item left blank (a reason recorded) and a
/// critical item failed fails the station, but its score is partial: it is
/// left out of every figure, as docs/report.md says. A critical fail with
/// every item marked is a complete result and is used.
#[test]
fn a_partial_sheet_failed_by_a_critical_item_is_left_out_of_every_figure() {
    let d = Dir::new("report-partial");
    let s = d.sub("s");
    five_complete(&s);
    let before = report_of(&s);
    assert_eq!(
        station(&before, "shoulder").n,
        5,
        "the critical fail with every item marked is used"
    );

    let r = rubric(OSCE);
    for st in r.scored_stations().filter(|st| st.id != "shoulder") {
        sheet(&s, OSCE, &st.id, "C006", "E01@lap1", Marks::Top, true, 0);
    }
    hand_sheet(
        &s,
        "shoulder",
        "C006",
        "E01@lap1",
        |item, top| match item.id.as_str() {
            "lhb" => None,
            "id-consent" => Some(0),
            _ => Some(top),
        },
        0,
    );
    let after = report_of(&s);
    let (a, b) = (station(&before, "shoulder"), station(&after, "shoulder"));
    assert_eq!(b.n, 5, "the partial sheet is not used");
    assert_eq!(b.missing, 1, "and is counted as missing");
    assert_eq!((a.mean, a.sd, a.min), (b.mean, b.sd, b.min));
    assert_eq!(a.regression, b.regression);
    assert_eq!(a.methods, b.methods);
    assert_eq!(a.items, b.items);
    assert_eq!(a.standard_set, b.standard_set);
    assert_eq!(a.points, b.points);
    assert_eq!(after.exam.candidates, 6);
    assert_eq!(after.exam.complete, 5, "listwise: C006 is not complete");
    assert_eq!(before.exam.alpha, after.exam.alpha);
    assert_eq!(before.exam.sem, after.exam.sem);
    assert_eq!(before.exam.g, after.exam.g);
    assert_eq!(before.exam.totals, after.exam.totals);
    // Through the binary: the shoulder's row counts 5 used, 1 missing.
    let out = osce(&["report", OSCE, "--sessions", s.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("| shoulder | 5 | 1 |"), "{text}");
    assert!(
        text.contains("6 candidates, 5 with every station complete"),
        "{text}"
    );
}

/// Issue 16: every score at a station the same (grades differing): R² is
/// 0 of 0, which is no figure. It was printed as 1, so the "R² below 0.5"
/// flag could never fire on a checklist that separates nobody.
#[test]
fn r2_without_spread_in_scores_cannot_be_computed_and_is_flagged() {
    let d = Dir::new("report-flat");
    let s = d.sub("s");
    for (i, c) in ["C001", "C002", "C003", "C004"].into_iter().enumerate() {
        hand_sheet(&s, "shoulder", c, "E01@lap1", |_, top| Some(top), i + 1);
    }
    let r = report_of(&s);
    let shoulder = station(&r, "shoulder");
    let fit = shoulder
        .regression
        .as_ref()
        .expect("a line: the grades differ")
        .fit;
    assert_eq!(fit.r2, None);
    assert!(
        shoulder
            .flags
            .iter()
            .any(|f| f.text.contains("R² cannot be computed") && f.text.contains("no spread in scores")),
        "{:?}",
        shoulder.flags
    );
    let md = osce::analysis::report::markdown::render(&r);
    assert!(
        md.contains("— (every candidate has the same score (no spread in scores)"),
        "{md}"
    );
    let csv = osce::analysis::report::csv::stations(&r);
    let col = csv.columns.iter().position(|c| c.0 == "brm_r2").expect("column");
    let row = csv.rows.iter().find(|row| row[0] == "shoulder").expect("row");
    assert_eq!(row[col], "", "empty where it cannot be computed");
}

/// A regression pass mark's confidence interval is of a score: it is cut
/// at 0 and at the station's maximum, never "(-4.57–12.29)".
#[test]
fn a_regression_confidence_interval_stays_within_the_stations_marks() {
    let d = Dir::new("report-ci");
    let s = d.sub("s");
    // Three candidates, scores all over the place against the grades: a
    // wide interval (one degree of freedom).
    for (c, top, rating) in [("C001", false, 0), ("C002", true, 2), ("C003", false, 4)] {
        hand_sheet(
            &s,
            "shoulder",
            c,
            "E01@lap1",
            |_, t| Some(if top { t } else { 0 }),
            rating,
        );
    }
    let r = report_of(&s);
    let shoulder = station(&r, "shoulder");
    let g = shoulder.regression.as_ref().expect("a line");
    let raw = g.fit.ci95(g.borderline_code).expect("an interval");
    assert!(
        raw.0 < 0.0 && raw.1 > shoulder.max,
        "the test needs a wide interval: {raw:?}"
    );
    assert_eq!(g.ci95, Some((0.0, shoulder.max)));
    let md = osce::analysis::report::markdown::render(&r);
    assert!(!md.contains("(-"), "{md}");
    let csv = osce::analysis::report::csv::stations(&r);
    let col = |name: &str| csv.columns.iter().position(|c| c.0 == name).expect("column");
    let row = csv.rows.iter().find(|row| row[0] == "shoulder").expect("row");
    assert_eq!(row[col("brm_ci_low")].parse::<f64>().ok(), Some(0.0));
    assert_eq!(row[col("brm_ci_high")].parse::<f64>().ok(), Some(shoulder.max));
}

/// Issue 16: where the SEM cannot be computed the standard-set cut is the
/// sum of the pass marks alone, and its label says so (it read "+ 1 × SEM").
#[test]
fn the_cut_score_says_plus_sem_only_where_the_sem_was_added() {
    let d = Dir::new("report-sem");
    // Three candidates marked alike: α (so the SEM) cannot be computed.
    let s = d.sub("s");
    for c in ["C001", "C002", "C003"] {
        candidate(&s, OSCE, c, "E01@lap1", Marks::Top);
    }
    let r = report_of(&s);
    assert_eq!(r.exam.sem, None);
    assert_eq!(r.exam.plus_sem, Some(1.0));
    let md = osce::analysis::report::markdown::render(&r);
    assert!(!md.contains("standard-set pass marks + 1 × SEM"), "{md}");
    assert!(
        md.contains("| cut score, standard-set pass marks (the rule's + 1 × SEM is not added: the SEM cannot be computed) |"),
        "{md}"
    );
    assert!(
        r.exam
            .flags
            .iter()
            .any(|f| f.text.contains("without the rule's + 1 × SEM")),
        "{:?}",
        r.exam.flags
    );
    // With an SEM, the label says it was added.
    let s = d.sub("t");
    five_complete(&s);
    let r = report_of(&s);
    assert!(r.exam.sem.is_some());
    let md = osce::analysis::report::markdown::render(&r);
    assert!(
        md.contains("| cut score, standard-set pass marks + 1 × SEM |"),
        "{md}"
    );
}

/// Issue 16: η² by examiner at a station one examiner marked says so (it
/// read "only 1 candidates with data"); plurals are right.
#[test]
fn eta2_with_one_examiner_names_the_cause() {
    let d = Dir::new("report-one-examiner");
    let s = d.sub("s");
    five_complete(&s);
    let r = report_of(&s);
    let md = osce::analysis::report::markdown::render(&r);
    assert!(!md.contains("1 candidates"), "{md}");
    // One candidate: no "1 candidates" anywhere.
    let s = d.sub("one");
    candidate(&s, OSCE, "C001", "E01@lap1", Marks::Top);
    let md = osce::analysis::report::markdown::render(&report_of(&s));
    assert!(
        !md.contains(" 1 candidates") && !md.contains(" 1 complete results"),
        "{md}"
    );
    assert!(md.contains("only 1 candidate:"), "{md}");
    assert!(
        md.contains(
            "— (every candidate here has the same examiner, so there is no other examiner to compare with)"
        ),
        "{md}"
    );
}

/// Issue 16: with nobody graded borderline the regression pass mark rests
/// on other grades: flagged, *concern* where it lies beyond the grades given.
#[test]
fn a_regression_pass_mark_with_nobody_graded_borderline_is_flagged() {
    let d = Dir::new("report-no-borderline");
    let s = d.sub("s");
    // Grades 2 to 4 (clear pass to excellent); borderline is 1.
    for (c, rating, drop) in [
        ("C001", 2, &["lhb", "subscap", "impingement", "optimisation"][..]),
        ("C002", 3, &["lhb", "subscap"][..]),
        ("C003", 4, &[][..]),
        ("C004", 3, &["lhb"][..]),
    ] {
        hand_sheet(
            &s,
            "shoulder",
            c,
            "E01@lap1",
            |item, top| Some(if drop.contains(&item.id.as_str()) { 0 } else { top }),
            rating,
        );
    }
    let r = report_of(&s);
    let shoulder = station(&r, "shoulder");
    assert!(shoulder.regression.is_ok());
    let flag = shoulder
        .flags
        .iter()
        .find(|f| f.text.contains("no candidate was graded borderline"))
        .unwrap_or_else(|| panic!("{:?}", shoulder.flags));
    assert!(
        flag.text
            .contains("extrapolated beyond the grades given (grades 2 to 4 given)"),
        "{}",
        flag.text
    );
    assert_eq!(flag.level, osce::analysis::report::Level::Concern);
    // With candidates graded borderline, no such flag.
    let s = d.sub("t");
    five_complete(&s);
    let r = report_of(&s);
    assert!(
        !station(&r, "shoulder")
            .flags
            .iter()
            .any(|f| f.text.contains("no candidate was graded borderline"))
    );
}

/// Issue 16: a low Φ (dependability of pass/fail decisions) is flagged.
/// Every candidate does well at half the stations and poorly at the other
/// half: the totals hardly differ, so the stations rank no one.
#[test]
fn a_low_phi_is_flagged() {
    let d = Dir::new("report-phi");
    let s = d.sub("s");
    let r = rubric(OSCE);
    for (i, c) in ["C001", "C002", "C003", "C004", "C005", "C006"]
        .into_iter()
        .enumerate()
    {
        for (j, st) in r.scored_stations().enumerate() {
            let marks = if (i + j) % 2 == 0 {
                Marks::Top
            } else {
                Marks::LoseFirst(2 + i % 3)
            };
            sheet(&s, OSCE, &st.id, c, "E01@lap1", marks, true, 0);
        }
    }
    let report = report_of(&s);
    let n = report.stations.len();
    let phi = report
        .exam
        .d_study
        .iter()
        .find(|x| x.0 == n)
        .and_then(|x| x.2)
        .expect("Φ for this exam");
    assert!(phi < 0.7, "{phi}");
    let flag = report
        .exam
        .flags
        .iter()
        .find(|f| f.text.starts_with("Φ (dependability"))
        .unwrap_or_else(|| panic!("{:?}", report.exam.flags));
    assert_eq!(flag.level, osce::analysis::report::Level::Concern);
    assert!(
        flag.text.contains(&format!("is {phi:.2}, below 0.7")),
        "{}",
        flag.text
    );
}

/// Issue 16: η² by circuit is shown with what chance alone gives,
/// (k − 1)/(n − 1), in the Markdown and the CSV.
#[test]
fn eta2_by_circuit_is_shown_with_the_chance_level() {
    let d = Dir::new("report-circuits");
    let s = d.sub("s");
    five_complete(&s);
    let circuits: std::collections::BTreeMap<String, String> = [
        ("C001", "A"),
        ("C002", "A"),
        ("C003", "B"),
        ("C004", "B"),
        ("C005", "C"),
    ]
    .into_iter()
    .map(|(c, k)| (c.to_string(), k.to_string()))
    .collect();
    let r = report_with(&s, &circuits);
    let w = station(&r, "shoulder")
        .by_circuit
        .clone()
        .expect("several circuits")
        .expect("η²");
    assert_eq!((w.groups, w.n), (3, 5));
    assert!((w.chance() - 0.5).abs() < 1e-12);
    let md = osce::analysis::report::markdown::render(&r);
    assert!(
        md.contains("chance alone gives about 50.0% (3 circuits, 5 candidates, the smallest circuit 1)"),
        "{md}"
    );
    let csv = osce::analysis::report::csv::stations(&r);
    let col = csv
        .columns
        .iter()
        .position(|c| c.0 == "eta2_circuit_chance")
        .expect("column");
    assert_eq!(csv.rows[0][col], "0.500000");
}

/// Issue 16: double-marking agreement is given station by station. Pooled
/// over stations whose maxima differ (20 and 14 here), the stations' own
/// difference lifts the ICC however the markers disagree within each.
#[test]
fn double_marking_agreement_is_per_station() {
    let d = Dir::new("report-double");
    let s = d.sub("s");
    for station in ["shoulder", "physics"] {
        for (c, first, second) in [
            ("C001", Marks::Top, Marks::LoseFirst(3)),
            ("C002", Marks::LoseFirst(3), Marks::Top),
            ("C003", Marks::LoseFirst(1), Marks::LoseFirst(1)),
        ] {
            sheet(&s, OSCE, station, c, "E01@lap1", first, true, 0);
            sheet(&s, OSCE, station, c, "E02@lap2", second, true, 1);
        }
    }
    let r = report_of(&s);
    let dm = &r.exam.double_marking;
    assert_eq!(dm.agreement.pairs, 6);
    let ids: Vec<&str> = dm.stations.iter().map(|x| x.station.as_str()).collect();
    assert_eq!(ids, ["shoulder", "physics"]);
    // Within each station the markers' scores differ the same way.
    let within = osce::analysis::stats::icc_2_1(&[vec![0.0, -6.0], vec![-6.0, 0.0], vec![-2.0, -2.0]]);
    for x in &dm.stations {
        assert_eq!(x.icc.0, 3);
        let (got, want) = (x.icc.1.expect("ICC"), within.expect("ICC"));
        assert!((got - want).abs() < 1e-9, "{}: {got} vs {want}", x.station);
        assert_eq!(x.kappa.0, 3);
        let categories = &x.scale.as_ref().expect("a global rating").1;
        assert_eq!(categories.len(), 5);
    }
    let pooled_icc = dm.agreement.icc.1.expect("pooled ICC");
    assert!(
        pooled_icc > within.expect("ICC") + 0.1,
        "pooling stations of different maxima inflates the ICC: {pooled_icc}"
    );
    // Kappa pooled only over stations sharing a scale, and said to be.
    assert_eq!(dm.pooled_kappa.len(), 1);
    assert_eq!(dm.pooled_kappa[0].stations, ["shoulder", "physics"]);
    let md = osce::analysis::report::markdown::render(&r);
    assert!(md.contains("| shoulder | 20 | 3 |"), "{md}");
    assert!(md.contains("| physics | 14 | 3 |"), "{md}");
    assert!(
        md.contains("Kappa's categories (global5, quadratic weights): Clear fail, Borderline"),
        "{md}"
    );
    assert!(
        md.contains("Pooled over the stations sharing global5 (shoulder, physics)"),
        "{md}"
    );
    assert!(
        !md.contains("- Scores: ICC(2,1)"),
        "no ICC pooled across stations: {md}"
    );
}

/// Issue 16: the CSV files' numbers have one format, as documented: counts
/// as whole numbers, every other figure with six decimals, empty where it
/// cannot be computed; and a figure that cannot be computed keeps its row.
#[test]
fn the_report_csv_numbers_have_one_format_and_no_row_is_left_out() {
    let d = Dir::new("report-csv-format");
    let s = d.sub("s");
    five_complete(&s);
    let r = report_of(&s);
    let counts = [
        "n",
        "missing",
        "failing_at_brm",
        "candidates",
        "complete_candidates",
        "pass_provisional",
        "fail_provisional",
        "pass_standard_set",
        "fail_standard_set",
        "incomplete_provisional",
        "incomplete_standard_set",
    ];
    let six = |v: &str| {
        let v = v.strip_prefix('-').unwrap_or(v);
        v.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.len() == 6
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    };
    let whole = |v: &str| !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit());
    let t = osce::analysis::report::csv::stations(&r);
    for row in &t.rows {
        for ((name, kind), v) in t.columns.iter().zip(row) {
            if *kind != osce::results::export::Kind::Number || v.is_empty() {
                continue;
            }
            let ok = if counts.contains(&name.as_str()) {
                whole(v)
            } else {
                six(v)
            };
            assert!(ok, "{name} = {v:?}");
        }
    }
    for row in osce::analysis::report::csv::exam(&r).rows {
        let name = row[0].split(':').next().expect("name").to_string();
        let v = &row[1];
        let ok = v.is_empty()
            || if counts.contains(&name.as_str()) {
                whole(v)
            } else {
                six(v)
            };
        assert!(ok, "{name} = {v:?}");
    }

    // No candidate complete at every station: α if deleted and the
    // decision study keep their rows, empty.
    let s = d.sub("t");
    sheet(&s, OSCE, "shoulder", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(&s, OSCE, "knee", "C002", "E01@lap1", Marks::Top, true, 0);
    let r = report_of(&s);
    let rows = osce::analysis::report::csv::exam(&r).rows;
    let named = |prefix: &str| {
        rows.iter()
            .filter(|x| x[0].starts_with(prefix))
            .collect::<Vec<_>>()
    };
    assert_eq!(named("alpha_if_deleted:").len(), r.stations.len());
    assert!(!named("e_rho2:").is_empty());
    assert_eq!(named("e_rho2:").len(), named("phi:").len());
    for x in named("alpha_if_deleted:")
        .into_iter()
        .chain(named("e_rho2:"))
        .chain(named("phi:"))
    {
        assert_eq!(x[1], "", "{}", x[0]);
    }
}

// ---------------------------------------------------------------------------
// Standard-setting methods (issue 16): modified Angoff, the Hofstee cut,
// item analysis, each pinned on a minimal cohort with figures by hand.

/// The ```` ```csv TAG ```` block of `docs/report.md`.
fn doc_csv(tag: &str) -> String {
    let doc = std::fs::read_to_string("docs/report.md").expect("doc");
    let start = format!("```csv {tag}\n");
    let from = doc
        .find(&start)
        .unwrap_or_else(|| panic!("docs/report.md has no ```csv {tag} block"))
        + start.len();
    let len = doc[from..].find("```").expect("closed");
    doc[from..from + len].to_string()
}

/// The report of `s` built with these options.
fn report_options(s: &Path, options: &osce::analysis::report::Options) -> Report {
    let r = rubric(OSCE);
    let h = hash(OSCE);
    let folders = vec![s.to_path_buf()];
    let cohort = osce::results::gather::gather(&r, &h, &folders).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let none = osce::results::moderation::Moderation::default();
    let double_marking = osce::analysis::agreement::double_marking(&r, &cohort, &m);
    osce::analysis::report::build_with(
        &r,
        &cohort,
        &m.candidates,
        &Default::default(),
        double_marking,
        options,
        |part, st| osce::results::reconcile::examiners_results_for(&r, &cohort, &m, st, &none, part),
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The documented examples parse, and give the figures the doc states.
#[test]
fn the_documented_judges_files_parse() {
    let r = rubric(OSCE);
    let est =
        osce::analysis::methods::angoff::parse(&doc_csv("angoff"), &r).expect("the Angoff example parses");
    let physics = r.station("physics").expect("physics");
    let (mark, sums) = est.pass_mark(&r, physics).expect("estimated");
    assert!(close(sums[0], 7.6) && close(sums[1], 7.8), "{sums:?}");
    assert!(close(mark, 7.7), "{mark}");
    let judges = osce::analysis::hofstee::parse(&doc_csv("hofstee")).expect("the Hofstee example parses");
    let b = osce::analysis::hofstee::Bounds::mean(&judges).expect("judges");
    assert_eq!(
        (b.min_cut, b.max_cut, b.min_fail, b.max_fail),
        (35.0, 55.0, 25.0, 70.0)
    );
}

/// Five complete candidates (`five_complete`): physics scores 14, 10, 4,
/// 0, 0 of 14. With the documented estimates, physics' Angoff pass mark is
/// 7.7 (judges 7.6 and 7.8, SD 0.1414), three candidates below it; the
/// other stations have no estimates. Through the library and through the
/// binary with `--method angoff --save-standards`.
#[test]
fn angoff_pass_marks_by_hand_through_the_library_and_the_binary() {
    use osce::analysis::methods::{Figure, Methods, angoff};
    use osce::scoring::SetMethod;
    let d = Dir::new("report-angoff");
    let s = d.sub("s");
    five_complete(&s);
    let r = rubric(OSCE);
    let est = angoff::parse(&doc_csv("angoff"), &r).expect("parses");
    let options = osce::analysis::report::Options {
        methods: Methods::with_angoff(est),
        method: Some(SetMethod::ModifiedAngoff),
        hofstee: None,
        adopted: None,
    };
    let report = report_options(&s, &options);
    let physics = station(&report, "physics");
    let a = physics
        .methods
        .iter()
        .find(|m| m.name == SetMethod::ModifiedAngoff)
        .expect("Angoff is one of the methods");
    assert!(a.result.pass_mark.as_ref().is_ok_and(|m| close(*m, 7.7)), "{a:?}");
    assert_eq!(a.result.figures[1], Figure::Count(Some(2)));
    // The SD of 7.6 and 7.8 (divisor n − 1): 0.2 / √2.
    assert!(matches!(a.result.figures[2], Figure::Number(Some(sd)) if close(sd, 0.2 / 2f64.sqrt())));
    assert_eq!(a.result.figures[3], Figure::Count(Some(3)));
    assert_eq!(physics.method, Some(SetMethod::ModifiedAngoff));
    assert!(physics.standard_set.is_some_and(|m| close(m, 7.7)));
    // Elbow has no estimates: the provisional pass mark stays, flagged.
    let elbow = station(&report, "elbow");
    assert_eq!(elbow.standard_set, None);
    assert!(
        elbow.flags.iter().any(|f| f.text
            == "the modified Angoff pass mark cannot be computed: no judge estimated this station's items"),
        "{:?}",
        elbow.flags
    );
    let md = osce::analysis::report::markdown::render(&report);
    assert!(md.contains("| physics | 7.7 | "), "the comparison table: {md}");
    let csv = osce::analysis::report::csv::stations(&report);
    let col = csv
        .columns
        .iter()
        .position(|c| c.0 == "angoff_pass_mark")
        .expect("column");
    let row = csv.rows.iter().find(|row| row[0] == "physics").expect("row");
    assert_eq!(row[col], "7.700000");

    // Through the binary: the record says modified Angoff for physics only.
    let file = d.0.join("angoff.csv");
    std::fs::write(&file, doc_csv("angoff")).expect("write");
    let record = d.0.join("standards.json");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--angoff",
        file.to_str().expect("utf-8"),
        "--method",
        "angoff",
        "--save-standards",
        record.to_str().expect("utf-8"),
        "--by",
        "Dr A Lead",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let saved = osce::analysis::standards::read(&record).expect("record");
    // Every station the rubric standard-sets is in the record: those the
    // judges gave no estimates for keep their provisional pass mark.
    assert_eq!(saved.stations.len(), 6, "{saved:?}");
    let physics = saved
        .stations
        .iter()
        .find(|s| s.station == "physics")
        .expect("physics");
    assert_eq!(physics.method, SetMethod::ModifiedAngoff);
    assert!(close(physics.pass_mark, 7.7));
    for other in saved.stations.iter().filter(|s| s.station != "physics") {
        assert_eq!(other.method, SetMethod::Provisional, "{other:?}");
        assert!(close(other.pass_mark, other.provisional), "{other:?}");
    }
    let text = std::fs::read_to_string(&record).expect("json");
    assert!(text.contains("\"method\": \"modified Angoff\""), "{text}");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("modified Angoff: 7.7, saved by this run (provisional 8.4)"),
        "{md}"
    );
    // The stations the board kept at their provisional pass mark say so.
    assert!(md.contains("| provisional 9.6 kept, saved by this run |"), "{md}");
}

/// Physics in `five_complete`: item `frequency` (maximum 2) marks 2, 0, 0,
/// 0, 0: facility 0.4 / 2 = 0.2; the rest of the station 12, 10, 4, 0, 0:
/// Sxy 13.6, Sxx 3.2, Syy 124.8, r = 13.6 / √(3.2 × 124.8). Shoulder's
/// critical `id-consent` is met by four of five: facility 0.8.
#[test]
fn item_analysis_by_hand() {
    let d = Dir::new("report-items");
    let s = d.sub("s");
    five_complete(&s);
    let report = report_of(&s);
    let physics = station(&report, "physics");
    let ids: Vec<&str> = physics.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "frequency",
            "depth-focus",
            "gain-tgc",
            "artefacts",
            "doppler",
            "resolution"
        ]
    );
    let f = &physics.items[0];
    assert_eq!((f.n, f.max), (5, 2.0));
    assert!(f.facility.is_some_and(|x| close(x, 0.2)), "{f:?}");
    let r = 13.6 / (3.2f64 * 124.8).sqrt();
    assert!(f.corrected_r.is_some_and(|x| close(x, r)), "{f:?} against {r}");
    assert!(f.flag.is_none());
    let doppler = &physics.items[4];
    assert!(doppler.facility.is_some_and(|x| close(x, 0.6)));
    let consent = &station(&report, "shoulder").items[0];
    assert!(consent.facility.is_some_and(|x| close(x, 0.8)), "{consent:?}");
    let csv = osce::analysis::report::csv::items(&report);
    let row = csv
        .rows
        .iter()
        .find(|row| row[0] == "physics" && row[1] == "frequency")
        .expect("row");
    assert_eq!(row[4], "0.200000");
    assert_eq!(row[5], format!("{r:.6}"));
}

/// An item nobody achieves is flagged with what to do; the flag is in the
/// Markdown items table, the Flags list, the brief and report-items.csv.
#[test]
fn an_item_nobody_achieves_is_flagged() {
    let d = Dir::new("report-items-flag");
    let s = d.sub("s");
    for (i, c) in ["C001", "C002", "C003", "C004"].into_iter().enumerate() {
        hand_sheet(
            &s,
            "physics",
            c,
            "E01@lap1",
            |item, top| Some(if item.id == "doppler" { 0 } else { top.min(i) }),
            i,
        );
    }
    let report = report_of(&s);
    let doppler = &station(&report, "physics").items[4];
    assert_eq!(doppler.facility, Some(0.0));
    let flag = doppler.flag.as_ref().expect("flagged");
    assert!(
        flag.action.starts_with("review or remove: it separates nobody"),
        "{flag:?}"
    );
    let md = osce::analysis::report::markdown::render(&report);
    assert!(
        md.contains(
            "| physics | doppler | 2 | 4 | 0.00 | — | **watch**: item 'doppler': no candidate achieves"
        ),
        "{md}"
    );
    // And in the Flags list, and the brief, where the board reads first.
    let flags = md
        .split("## Flags")
        .nth(1)
        .and_then(|f| f.split("\n## ").next())
        .unwrap_or("");
    assert!(
        flags.contains("- Station 'physics': **watch**: item 'doppler': no candidate achieves"),
        "{flags}"
    );
    assert!(
        md.contains("- Flagged by the item analysis: 'doppler' at"),
        "{md}"
    );
}

/// `five_complete`'s totals are 99, 69, 39, 17 and 0 of 99 (100%,
/// 69.70%, 39.39%, 17.17%, 0%). The documented bounds' means are cut
/// 35–55%, fail rate 25–70%: the line is 70 − 2.25 × (c − 35). At or below
/// 39.39% lie three of five (60%); the line reaches 60% at c = 35 + 200/45
/// = 39.444…%, inside the flat part after 39.39: the cut, 39.05 marks,
/// with three of five (60%) below it. Through the library and the binary.
#[test]
fn hofstee_by_hand_through_the_library_and_the_binary() {
    use osce::analysis::hofstee::Meets;
    let d = Dir::new("report-hofstee");
    let s = d.sub("s");
    five_complete(&s);
    let judges = osce::analysis::hofstee::parse(&doc_csv("hofstee")).expect("parses");
    let options = osce::analysis::report::Options {
        hofstee: Some(judges),
        ..Default::default()
    };
    let report = report_options(&s, &options);
    let mut totals = report.exam.totals.clone();
    totals.sort_by(f64::total_cmp);
    assert_eq!(totals, [0.0, 17.0, 39.0, 69.0, 99.0]);
    let h = report.exam.hofstee.clone().expect("given").expect("computed");
    let cut = 35.0 + 200.0 / 45.0;
    assert!(close(h.cut_percent, cut), "{h:?}");
    assert!(close(h.cut_marks, cut * 99.0 / 100.0));
    assert!(close(h.fail_percent, 60.0));
    assert_eq!((h.meets, h.judges, h.candidates), (Meets::Inside, 2, 5));
    // The report screen's overview says it too.
    let mut app = ReportApp::new(report.clone());
    app.update(Action::Resize {
        width: 120,
        height: 36,
    });
    let screen = draw(&app, 120, 36);
    assert!(
        screen.contains("Hofstee cut 39.05 (39.44% of the total; 60.0% below it)"),
        "{screen}"
    );

    let file = d.0.join("hofstee.csv");
    std::fs::write(&file, doc_csv("hofstee")).expect("write");
    let out_dir = d.sub("csv");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--hofstee",
        file.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = csv_rows(&out_dir.join("report-exam.csv"));
    let value = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{name} in {rows:?}"))
    };
    assert_eq!(value("hofstee_judges"), "2");
    assert_eq!(value("hofstee_cut_percent"), format!("{cut:.6}"));
    assert_eq!(value("hofstee_cut"), format!("{:.6}", cut * 0.99));
    assert_eq!(value("hofstee_fail_percent"), "60.000000");
    assert_eq!(value("hofstee_meets"), "inside");
    // The standard-set cut is the stations' applied pass marks plus 1 × the
    // SEM it adds, both in the files.
    let stations = csv_rows(&out_dir.join("report-stations.csv"));
    let applied = stations[0]
        .iter()
        .position(|h| h == "pass_mark_applied")
        .expect("pass_mark_applied");
    let sum: f64 = stations[1..]
        .iter()
        .map(|r| r[applied].parse::<f64>().expect("a number"))
        .sum();
    let sem: f64 = value("sem_applied").parse().expect("sem_applied");
    let cut: f64 = value("cut_standard_set").parse().expect("cut_standard_set");
    assert!((sum + sem - cut).abs() < 1e-5, "{sum} + {sem} is not {cut}");
    // Where the figures come from, last (docs/report.md), after the
    // incomplete counts.
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let tail = &names[names.len() - 7..];
    assert_eq!(
        tail,
        [
            "generated",
            "generated_by",
            "rubric_id",
            "rubric_version",
            "rubric_content_hash",
            "sheets_fingerprint",
            "osce_version"
        ],
        "{names:?}"
    );
    let after = |a: &str, b: &str| {
        names.iter().position(|n| *n == a).expect(a) + 1 == names.iter().position(|n| *n == b).expect(b)
    };
    assert!(
        after("fail_standard_set", "incomplete_provisional")
            && after("incomplete_provisional", "incomplete_standard_set")
            && after("incomplete_standard_set", "hofstee_judges"),
        "{names:?}"
    );
    assert!(out_dir.join("report-items.csv").exists());
    // Markdown: the whole-exam table says it.
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--hofstee",
        file.to_str().expect("utf-8"),
    ]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("| Hofstee cut (2 judges; means: cut 35.00–55.00%, fail rate 25.00–70.00%) | 39.05 (39.44% of 99; 60.0% of 5 complete candidates below it) |"),
        "{md}"
    );
}

/// In the HTML report each station's regression line meets the dashed
/// pass-mark line (the borderline regression pass mark, by definition the
/// line at the borderline grade) right above the Borderline grade, also
/// where the line runs out of the plot: it is cut there, never flattened
/// against the edge, which drew it with another slope.
#[test]
fn the_html_regression_line_meets_the_pass_mark_at_the_borderline_grade() {
    let d = Dir::new("report-html-line");
    let s = simulated(&d, 120, 11);
    let html = d.0.join("report.html");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "html",
        "--out",
        html.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&html).expect("html");
    // The value of attribute `name` in `tag`.
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
        tag[at..]
            .split('"')
            .next()
            .expect("value")
            .parse()
            .expect("number")
    };
    let mut checked = 0;
    for plot in text.split("<svg class=\"scatter\"").skip(1) {
        let plot = plot.split("</svg>").next().expect("plot");
        let tag = |class: &str| {
            plot.split('<')
                .find(|t| t.starts_with(&format!("line class=\"{class}\"")))
                .map(str::to_string)
        };
        let (Some(line), Some(mark)) = (tag("regression"), tag("pass-mark")) else {
            continue;
        };
        let borderline = plot
            .split('<')
            .find(|t| t.starts_with("text ") && t.trim_end().ends_with(">Borderline"))
            .map(|t| attr(t, "x"))
            .expect("the Borderline grade's label");
        let (x1, y1, x2, y2) = (
            attr(&line, "x1"),
            attr(&line, "y1"),
            attr(&line, "x2"),
            attr(&line, "y2"),
        );
        let y = attr(&mark, "y1");
        if (y - y1) * (y - y2) > 0.0 || (y2 - y1).abs() < 1e-9 {
            continue; // the pass mark is not the line's (adopted, or off the plot)
        }
        let meets = x1 + (y - y1) * (x2 - x1) / (y2 - y1);
        // The coordinates are written to a tenth of a pixel.
        assert!(
            (meets - borderline).abs() < 1.5,
            "meets at {meets}, Borderline at {borderline}: {plot}"
        );
        checked += 1;
    }
    assert!(checked >= 4, "{checked} plots checked");
}

/// Every bad judges' file is refused through the binary with exit code 1,
/// its line and what to do, and nothing of it is used; a file that cannot
/// be read, or --method angoff without estimates, is exit code 2.
#[test]
fn bad_judges_files_are_refused_with_their_line() {
    let d = Dir::new("report-judges-bad");
    let s = d.sub("s");
    five_complete(&s);
    let sessions = s.to_str().expect("utf-8").to_string();
    let angoff_ok = doc_csv("angoff");
    let cases: Vec<(&str, String, &str)> = vec![
        ("--angoff", String::new(), "the Angoff file is empty"),
        (
            "--angoff",
            "judge,station,item,estimate\n".into(),
            "has a header but no estimates",
        ),
        (
            "--angoff",
            "judge,station,itme,estimate\nJ1,physics,frequency,0.5\n".into(),
            "did you mean \"item\"?",
        ),
        (
            "--angoff",
            angoff_ok.replace("J2,physics,doppler", "J2,physysics,doppler"),
            "line 12, station: unknown station \"physysics\" (did you mean \"physics\"?",
        ),
        (
            "--angoff",
            angoff_ok.replace("J1,physics,gain-tgc", "J1,physics,gain-tcg"),
            "line 4, item: station \"physics\" has no item \"gain-tcg\" (did you mean \"gain-tgc\"?",
        ),
        (
            "--angoff",
            angoff_ok.replace("J1,physics,frequency,0.7", "J1,physics,frequency,70"),
            "line 2, estimate: 70 is above 1",
        ),
        (
            "--angoff",
            angoff_ok.replace("J1,physics,frequency,0.7", "J1,physics,frequency,-0.1"),
            "line 2, estimate: -0.1 is outside 0 to 1",
        ),
        (
            "--angoff",
            angoff_ok.replace("J1,physics,frequency,0.7", "J1,physics,frequency,lots"),
            "line 2, estimate: \"lots\" is not a number",
        ),
        (
            "--angoff",
            format!("{angoff_ok}J1,physics,doppler,0.2\n"),
            "line 14: judge \"J1\" estimated item \"doppler\" at station \"physics\" twice, on lines 6 and 14",
        ),
        (
            "--angoff",
            angoff_ok.replace("J2,physics,resolution,0.6\n", ""),
            "line 8: judge \"J2\" estimated station \"physics\" but not its item resolution",
        ),
        (
            "--angoff",
            "judge,station,item,estimate\nJ1,rest,x,0.5\n".into(),
            "station \"rest\" is a rest station",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\n".into(),
            "has a header but no judges",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail\nJ1,1,2,3\n".into(),
            "the header has no max_fail column",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,60,50,5,30\n".into(),
            "line 2, max_cut: the highest acceptable cut (50) is not above the lowest (60)",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,50,60,30,5\n".into(),
            "line 2, max_fail: the highest acceptable fail rate (5) is not above the lowest (30)",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,50,160,5,30\n".into(),
            "line 2, max_cut: 160 is outside 0 to 100",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,50,60,5,30\nJ1,40,60,5,30\n".into(),
            "line 3, judge: judge \"J1\" appears twice",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,50,65,5,30\nJ4,0.55,0.7,0.1,0.3\n".into(),
            "line 3, max_cut: the acceptable cut scores 0.55 to 0.7 are at most 1 percent: written as shares of 1, \
             not percents?",
        ),
        (
            "--hofstee",
            "judge,min_cut,max_cut,min_fail,max_fail\nJ1,50,65,0.05,0.3\n".into(),
            "line 2, max_fail: the acceptable fail rates 0.05 to 0.3 are at most 1 percent",
        ),
    ];
    for (i, (flag, text, want)) in cases.iter().enumerate() {
        let file = d.0.join(format!("bad-{i}.csv"));
        std::fs::write(&file, text).expect("write");
        let out = osce(&[
            "report",
            OSCE,
            "--sessions",
            &sessions,
            flag,
            file.to_str().expect("utf-8"),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {i}: {err}");
        assert!(err.contains(want), "case {i}: wanted {want:?} in {err}");
        assert!(err.contains("nothing in the"), "case {i}: all or nothing: {err}");
        assert!(out.stdout.is_empty(), "case {i}: no report from a bad file");
    }
    let missing = d.0.join("missing.csv");
    for flag in ["--angoff", "--hofstee"] {
        let out = osce(&[
            "report",
            OSCE,
            "--sessions",
            &sessions,
            flag,
            missing.to_str().expect("utf-8"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = osce(&["report", OSCE, "--sessions", &sessions, "--method", "angoff"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--method angoff needs the judges' estimates"));
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        &sessions,
        "--method",
        "borderline-grup",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--method borderline-grup: no such method; did you mean \"borderline-group\"? the methods are borderline-regression, borderline-group, angoff (with --angoff)"),
        "{err}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(proptest_cases(64)))]

    /// Any estimates give an Angoff pass mark from 0 to the station's
    /// maximum, and the mean of the judges' sums equals the sum of the
    /// items' mean estimates × their maxima.
    #[test]
    fn angoff_pass_marks_lie_between_0_and_the_maximum(
        estimates in proptest::collection::vec(proptest::collection::vec(0.0f64..=1.0, 6), 1..5)
    ) {
        let r = rubric(OSCE);
        let physics = r.station("physics").expect("physics");
        let mut text = String::from("judge,station,item,estimate\n");
        for (j, row) in estimates.iter().enumerate() {
            for (item, e) in physics.items.iter().zip(row) {
                text.push_str(&format!("J{j},physics,{},{e}\n", item.id));
            }
        }
        let est = osce::analysis::methods::angoff::parse(&text, &r).expect("valid");
        let (mark, _) = est.pass_mark(&r, physics).expect("estimated");
        let max = r.station_max(physics);
        proptest::prop_assert!((0.0..=max + 1e-9).contains(&mark), "{mark} of {max}");
        let by_items: f64 = physics
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                estimates.iter().map(|row| row[i]).sum::<f64>() / estimates.len() as f64 * r.item_max(item)
            })
            .sum();
        proptest::prop_assert!((mark - by_items).abs() < 1e-9);
    }

    /// The Hofstee cut always lies in the box's cut range, and where the
    /// line meets the curve, the fail rate at the cut is at most the
    /// line's.
    #[test]
    fn the_hofstee_cut_lies_between_min_cut_and_max_cut(
        totals in proptest::collection::vec(0.0f64..=100.0, 1..40),
        min_cut in 0.0f64..=90.0,
        cut_width in 1.0f64..=50.0,
        min_fail in 0.0f64..=90.0,
        fail_width in 1.0f64..=50.0,
    ) {
        use osce::analysis::hofstee::{Bounds, Meets, cut};
        let b = Bounds {
            min_cut,
            max_cut: (min_cut + cut_width).min(100.0),
            min_fail,
            max_fail: (min_fail + fail_width).min(100.0),
        };
        let h = cut(b, &totals, 99.0, 1).expect("computed");
        proptest::prop_assert!(h.cut_percent >= b.min_cut - 1e-9 && h.cut_percent <= b.max_cut + 1e-9, "{h:?}");
        proptest::prop_assert!((0.0..=100.0).contains(&h.fail_percent));
        if h.meets == Meets::Inside {
            let line = b.max_fail - (b.max_fail - b.min_fail) * (h.cut_percent - b.min_cut) / (b.max_cut - b.min_cut);
            proptest::prop_assert!(h.fail_percent <= line + 1e-6, "{h:?} line {line}");
        }
    }
}

/// `--method borderline-group` sets every standard-set station by the
/// borderline group instead of the rubric's borderline regression:
/// physics' candidates graded borderline (C002–C004) score 10, 4 and 0, so
/// its pass mark is 14 / 3. The CSV's `method` column says so.
#[test]
fn a_method_chosen_for_the_run_sets_the_pass_marks() {
    use osce::scoring::SetMethod;
    let d = Dir::new("report-method");
    let s = d.sub("s");
    five_complete(&s);
    let default = report_of(&s);
    assert_eq!(
        station(&default, "physics").method,
        Some(SetMethod::BorderlineRegression)
    );
    let options = osce::analysis::report::Options {
        method: Some(SetMethod::BorderlineGroup),
        ..Default::default()
    };
    let report = report_options(&s, &options);
    let physics = station(&report, "physics");
    assert_eq!(physics.method, Some(SetMethod::BorderlineGroup));
    assert!(
        physics.standard_set.is_some_and(|m| close(m, 14.0 / 3.0)),
        "{physics:?}"
    );
    assert_eq!(
        report.standards.pass_marks.get("physics").map(|m| m.method),
        Some(SetMethod::BorderlineGroup)
    );
    let out_dir = d.sub("csv");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--method",
        "borderline-group",
        "--format",
        "csv",
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = csv_rows(&out_dir.join("report-stations.csv"));
    let col = rows[0].iter().position(|c| c == "method").expect("method column");
    let physics = rows.iter().find(|r| r[0] == "physics").expect("row");
    assert_eq!(physics[col], "borderline group");
}

/// At a double-marked station an item's mark is the markers' mean, as the
/// score is; where the third marker's result counts, theirs. Physics
/// (threshold 15% of 14 = 2.1): C001 14 and 12 (`frequency` lost by the
/// second): mean, `frequency` 1; C002 14 and 8, over the threshold, third
/// marker loses `frequency` and `depth-focus`: 0 and 0, `gain-tgc` 2; C003
/// marked once, everything 0. `frequency` 1, 0, 0 of 2: facility 1/6;
/// `depth-focus` 2, 0, 0: 1/3; `gain-tgc` 2, 2, 0: 2/3.
#[test]
fn item_analysis_of_a_double_marked_station_follows_the_score() {
    let d = Dir::new("report-items-double");
    let s = d.sub("s");
    sheet(&s, OSCE, "physics", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(
        &s,
        OSCE,
        "physics",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(1),
        true,
        1,
    );
    sheet(&s, OSCE, "physics", "C002", "E01@lap1", Marks::Top, true, 0);
    sheet(
        &s,
        OSCE,
        "physics",
        "C002",
        "E02@lap2",
        Marks::LoseFirst(3),
        true,
        1,
    );
    sheet(
        &s,
        OSCE,
        "physics",
        "C002",
        "E03@lap3",
        Marks::LoseFirst(2),
        true,
        2,
    );
    sheet(&s, OSCE, "physics", "C003", "E01@lap1", Marks::Bottom, true, 0);
    let report = report_of(&s);
    let physics = station(&report, "physics");
    assert_eq!(physics.n, 3);
    let facility = |id: &str| {
        physics
            .items
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.facility)
            .expect("facility")
    };
    assert!(close(facility("frequency"), 1.0 / 6.0), "{:?}", physics.items);
    assert!(close(facility("depth-focus"), 1.0 / 3.0), "{:?}", physics.items);
    assert!(close(facility("gain-tgc"), 2.0 / 3.0), "{:?}", physics.items);
}

/// The Markdown report opens with provenance and a brief an exam board
/// reads first: reliability in words, what needs attention, the pass
/// marks in force; the CSV says where its figures come from.
#[test]
fn the_report_opens_with_its_provenance_and_a_brief_in_plain_english() {
    let d = Dir::new("report-brief");
    let s = simulated(&d, 40, 4);
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "markdown",
        "--by",
        "Dr Lead",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let made = text.lines().nth(2).unwrap_or_default();
    assert!(
        made.starts_with("Made ")
            && made.contains(" by Dr Lead · rubric msk-us-osce version ")
            && made.contains(" · osce "),
        "{made}"
    );
    let brief = text
        .split("## For the exam board, in brief")
        .nth(1)
        .and_then(|t| t.split("\n## ").next())
        .expect("a brief before the flags");
    assert!(brief.contains("Cronbach's α is"), "{brief}");
    assert!(brief.contains("The pass marks in force are"), "{brief}");
    assert!(brief.contains("Under the standard-set pass marks:"), "{brief}");
    assert!(text.find("For the exam board").expect("brief") < text.find("## Flags").expect("flags"));
    assert!(text.trim_end().ends_with(made), "provenance at the end too");
    let csv_dir = d.0.join("csv");
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let exam = std::fs::read_to_string(csv_dir.join("report-exam.csv")).expect("csv");
    for row in [
        "generated,",
        "generated_by,",
        "rubric_content_hash,",
        "sheets_fingerprint,",
        "osce_version,",
    ] {
        assert!(exam.contains(row), "{row} in {exam}");
    }
}

/// A borderline group of fewer than five, setting a station's pass mark,
/// is flagged.
#[test]
fn a_borderline_group_of_a_handful_setting_a_pass_mark_is_flagged() {
    let d = Dir::new("report-bgm-few");
    let s = simulated(&d, 20, 4);
    let out = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "markdown",
        "--method",
        "borderline-group",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8_lossy(&out.stdout).to_string();
    let mut small = 0;
    for line in md.lines().filter(|l| l.starts_with("| ") && l.contains("(n = ")) {
        let station = line.split('|').nth(1).unwrap_or_default().trim().to_string();
        let n: usize = line
            .split("(n = ")
            .nth(1)
            .and_then(|t| t.split(')').next())
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(99);
        if (1..5).contains(&n) {
            small += 1;
            assert!(
                md.contains(&format!(
                    "Station '{station}': **watch**: the borderline group pass mark rests on"
                )),
                "{station} with {n} graded borderline is flagged:\n{md}"
            );
        }
    }
    assert!(
        small > 0,
        "the cohort has a station with a small borderline group:\n{md}"
    );
}

/// The same two markers are one pair in the examiners' figures, whichever
/// of them opened a candidate's sheet first: not "E01+E02" and "E02+E01"
/// compared as if they were two examiners (a false "lenient" flag).
#[test]
fn a_pair_of_markers_is_one_whichever_opened_first() {
    let d = Dir::new("report-pair-order");
    let s = d.sub("s");
    for (c, e01_at, e02_at) in [("C001", 0, 1), ("C002", 1, 0), ("C003", 0, 1), ("C004", 1, 0)] {
        sheet(&s, OSCE, "knee", c, "E01@lap1", Marks::LoseFirst(1), true, e01_at);
        sheet(&s, OSCE, "knee", c, "E02@lap2", Marks::LoseFirst(2), true, e02_at);
    }
    let r = report_of(&s);
    let pairs: Vec<&str> = r
        .exam
        .examiners
        .iter()
        .filter(|x| x.station == "knee")
        .map(|x| x.examiner.as_str())
        .collect();
    // One pair marked every candidate at the knee: there is no other
    // examiner to compare it with.
    assert!(pairs.is_empty(), "one pair at the knee, not two: {pairs:?}");
}

/// The practical exam's cohort raises a flag on the whole exam (Φ) and
/// none on a station or examiner: the brief does not say every figure is
/// within the usual thresholds while the flags below say otherwise.
#[test]
fn the_brief_does_not_clear_the_exam_while_the_whole_exam_is_flagged() {
    const PRACTICAL: &str = "rubrics/msk-practical-exam.ron";
    let d = Dir::new("report-brief-flags");
    let s = d.0.join("s");
    // Few candidates: a whole-exam flag of its own, and Φ below 0.8.
    let out = osce(&[
        "simulate",
        PRACTICAL,
        "--candidates",
        "30",
        "--examiners",
        "6",
        "--seed",
        "3",
        "--sessions",
        s.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = osce(&[
        "report",
        PRACTICAL,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "markdown",
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let brief = text
        .split("## For the exam board, in brief")
        .nth(1)
        .and_then(|b| b.split("\n## ").next())
        .unwrap_or_else(|| panic!("{text}"));
    if brief.contains("About the whole exam:") {
        assert!(
            !brief.contains("every figure is within the usual thresholds"),
            "{brief}"
        );
    } else {
        // Without a whole-exam flag there is nothing to contradict: the
        // cohort must raise one for this test to test anything.
        panic!("the simulated cohort raised no whole-exam flag:\n{brief}");
    }
}

/// With standard-set pass marks adopted, the examiners' pass rates are at
/// them (as every other command's results are), and the report says so:
/// each station's pass rate in the examiners' table is the share of its
/// results that export gives as PASS.
#[test]
fn the_examiners_pass_rates_follow_the_adopted_pass_marks() {
    let d = Dir::new("report-examiners-adopted");
    let s = simulated(&d, 120, 11);
    let f = s.to_str().expect("utf-8");
    let record = d.0.join("standards.json");
    let r = record.to_str().expect("utf-8");
    let saved = osce(&[
        "report",
        OSCE,
        "--sessions",
        f,
        "--save-standards",
        r,
        "--by",
        "Panel",
        "--format",
        "markdown",
    ]);
    assert!(record.is_file(), "{}", String::from_utf8_lossy(&saved.stderr));
    // The run that saves the record: its figures are at the record's pass
    // marks, which are not in force until adopted.
    let saving = String::from_utf8_lossy(&saved.stdout).into_owned();
    assert!(
        saving.contains(
            "Pass rates are at the pass marks of the standard-setting record saved now (not adopted yet)."
        ) && !saving.contains("(adopted by a decision)"),
        "{saving}"
    );
    let adopted = osce(&[
        "decide",
        "pass-marks",
        OSCE,
        "--sessions",
        f,
        "--record",
        r,
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
    ]);
    assert!(
        adopted.status.success(),
        "{}",
        String::from_utf8_lossy(&adopted.stderr)
    );
    // A method asked for once pass marks are adopted: the adopted ones are
    // applied, and the run says so rather than passing over --method.
    let asked = osce(&[
        "report",
        OSCE,
        "--sessions",
        f,
        "--format",
        "markdown",
        "--method",
        "borderline-group",
    ]);
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(
        said.contains("note: --method borderline-group: the pass marks adopted by decision are in force"),
        "{said}"
    );
    let md = osce(&["report", OSCE, "--sessions", f, "--format", "markdown"]);
    let text = String::from_utf8_lossy(&md.stdout).into_owned();
    assert!(
        text.contains("Pass rates are at the pass marks in force (adopted by a decision).")
            && !text.contains("Pass rates are at the provisional pass marks."),
        "{text}"
    );
    // Each station's pass rate in the table, from its rows.
    let table = &text[text.find("## Examiners").expect("the examiners' section")..];
    let mut in_table: std::collections::BTreeMap<String, String> = Default::default();
    for line in table.lines().skip_while(|l| !l.starts_with("|---")).skip(1) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        in_table.insert(cells[0].to_string(), cells[7].to_string());
    }
    assert!(!in_table.is_empty(), "{table}");
    let out = d.0.join("export");
    let export = osce(&[
        "export",
        OSCE,
        "--sessions",
        f,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(
        out.join("stations.csv").is_file(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let rows = csv_rows(&out.join("stations.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    for (station, rate) in &in_table {
        let results: Vec<&str> = rows[1..]
            .iter()
            .filter(|r| &r[col("station_id")] == station)
            .map(|r| r[col("result")].as_str())
            .filter(|r| matches!(*r, "PASS" | "FAIL"))
            .collect();
        let passed = results.iter().filter(|r| **r == "PASS").count();
        let share = format!("{:.1}%", passed as f64 * 100.0 / results.len() as f64);
        assert_eq!(rate, &share, "{station}: {table}");
    }
}

/// Where α cannot be computed (no spread in the totals), nor can α
/// without a station: the table gives why, not figures that would read as
/// findings. And `--format csv` names a
/// folder: `--out report.csv` is refused, not made into a folder.
#[test]
fn alpha_if_deleted_is_not_given_where_alpha_cannot_be() {
    let d = Dir::new("report-alpha-deleted");
    let s = d.sub("s");
    // Totals alike (each lost the same two marks, at another station):
    // no spread in totals, some at two stations.
    for (c, lost) in [("C001", "knee"), ("C002", "shoulder")] {
        for (i, st) in ["shoulder", "knee", "ankle", "elbow", "physics", "professional"]
            .iter()
            .enumerate()
        {
            let marks = if *st == lost {
                Marks::LoseFirst(1)
            } else {
                Marks::Top
            };
            sheet(&s, OSCE, st, c, "E01@lap1", marks, true, i as i64);
        }
    }
    let r = report_of(&s);
    assert!(
        r.exam.alpha.is_err(),
        "{:?} {:?}",
        r.exam.alpha,
        r.exam.alpha_if_deleted
    );
    assert!(
        r.exam.alpha_if_deleted.iter().all(|(_, a)| a.is_err()),
        "{:?}",
        r.exam.alpha_if_deleted
    );
    let md = osce::analysis::report::markdown::render(&r);
    let table = &md[md.find("### α if each station is deleted").expect("the table")..];
    assert!(table.contains("| knee | — ("), "{table}");
    let out = d.0.join("report.csv");
    let said = osce(&[
        "report",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(said.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("into a folder: name a folder"),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    assert!(!out.exists());
}

/// A station settled by a third marker's sheet (two markers over the
/// threshold) counts the third marker's score: the examiners' table puts
/// it to them alone, not to a group of all three markers.
#[test]
fn a_third_markers_deciding_score_is_theirs_in_the_examiners_table() {
    let d = Dir::new("report-third-marker");
    let s = d.sub("s");
    sheet(&s, OSCE, "knee", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(&s, OSCE, "knee", "C001", "E02@lap2", Marks::Bottom, true, 1);
    sheet(&s, OSCE, "knee", "C001", "E03@lap3", Marks::LoseFirst(1), true, 2);
    sheet(&s, OSCE, "knee", "C002", "E01@lap1", Marks::Top, true, 3);
    let r = report_of(&s);
    let at_knee: Vec<&str> = r
        .exam
        .examiners
        .iter()
        .filter(|x| x.station == "knee")
        .map(|x| x.examiner.as_str())
        .collect();
    assert_eq!(at_knee, ["E01", "E03"], "{:?}", r.exam.examiners);
}

/// A simulated cohort as every command reads it, and C900, who has one
/// sheet at the first station and, in the final clinical assessment
/// (double marked), a second marker still marking there: the station
/// waits for their sheet.
struct Waiting {
    _d: Dir,
    r: osce::rubric::Rubric,
    cohort: osce::results::gather::Cohort,
    moderation: osce::results::moderation::Moderation,
    m: osce::results::gather::Matrix,
    first: String,
}

fn waiting(rubric_path: &str, candidates: usize, seed: u64) -> Waiting {
    let d = Dir::new("report-examiners");
    let s = d.sub("s");
    simulate_into(rubric_path, &s, candidates, 4, seed);
    let r = rubric(rubric_path);
    let first = r.scored_stations().next().expect("a scored station").id.clone();
    sheet(&s, rubric_path, &first, "C900", "E98@lap8", Marks::Top, true, 10);
    if rubric_path == FCA {
        sheet(&s, rubric_path, &first, "C900", "E99@lap9", Marks::Top, false, 11);
    }
    let cohort =
        osce::results::gather::gather(&r, &hash(rubric_path), std::slice::from_ref(&s)).expect("gather");
    let moderation = osce::results::moderation::gather(&r, &hash(rubric_path), std::slice::from_ref(&s))
        .expect("moderation");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    Waiting {
        _d: d,
        r,
        cohort,
        moderation,
        m,
        first,
    }
}

/// The report judges the exam by the examiners' results alone, worked out
/// without moderation's final results: they are the examiners' results
/// every command gives, on cohorts with absences, items left unmarked,
/// double marking and discrepancies.
#[test]
fn the_reports_results_are_the_examiners_results_every_command_gives() {
    for (rubric_path, seed) in [(OSCE, 3), (FCA, 4), (PRACTICAL, 5)] {
        let Waiting {
            r,
            cohort,
            moderation,
            m,
            first,
            ..
        } = waiting(rubric_path, 40, seed);
        let standards = osce::scoring::Standards::default();
        let all = osce::results::reconcile::results(&r, &cohort, &m, &standards, &moderation);
        let examiners = osce::results::reconcile::examiners_results_for(
            &r,
            &cohort,
            &m,
            &standards,
            &moderation,
            &m.candidates,
        );
        assert_eq!(all.len(), examiners.len(), "{rubric_path}");
        assert!(
            all.iter()
                .any(|c| c.result.outcome == osce::scoring::Outcome::Incomplete && c.candidate != "C900"),
            "{rubric_path}: the simulated cohort has incomplete results to compare"
        );
        let waiting = all.iter().find(|c| c.candidate == "C900").expect("C900");
        assert!(
            rubric_path != FCA
                || waiting.stations[&first]
                    .result
                    .reasons
                    .iter()
                    .any(|r| r.text.contains("waiting for 1 of its sheets")),
            "{rubric_path}: {:?}",
            waiting.stations[&first].result.reasons
        );
        for (c, e) in all.iter().zip(&examiners) {
            assert_eq!(
                (&c.candidate, &c.result),
                (&e.candidate, &e.result),
                "{rubric_path}"
            );
            let stations =
                |s: &std::collections::BTreeMap<String, osce::results::reconcile::StationDetail>| {
                    s.iter()
                        .map(|(id, d)| (id.clone(), d.result.clone(), d.sheets.clone(), d.over_threshold))
                        .collect::<Vec<_>>()
                };
            assert_eq!(
                stations(&c.stations),
                stations(&e.stations),
                "{rubric_path} {}",
                c.candidate
            );
        }
    }
}

/// A rubric that sets every pass mark itself (the final clinical
/// assessment's entrustment ratings) has nothing to standard-set: saving a
/// record is refused with that reason, not sent to a report not written.
#[test]
fn saving_standards_of_a_rubric_with_none_to_set_says_why() {
    let d = Dir::new("report-nothing-to-set");
    let s = d.0.join("s");
    let (code, out) = common::run_osce(&[
        "simulate",
        common::FCA,
        "--candidates",
        "12",
        "--examiners",
        "3",
        "--sessions",
        s.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{out}");
    let record = d.0.join("standards.json");
    let (code, out) = common::run_osce(&[
        "report",
        common::FCA,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--save-standards",
        record.to_str().expect("utf-8"),
        "--by",
        "Exam board",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the rubric leaves no station's pass mark to standard setting")
            && !out.contains("the report says why"),
        "{out}"
    );
    assert!(!record.exists());
}

/// The standard-setting record names who set it: an empty --by, or the
/// placeholder of a command copied, is refused and nothing is saved.
#[test]
fn a_standard_setting_record_is_not_saved_by_nobody() {
    let d = Dir::new("report-by-nobody");
    let s = simulated(&d, 30, 3);
    for by in ["", "NAME", "  "] {
        let record = d.0.join("standards.json");
        let (code, out) = common::run_osce(&[
            "report",
            OSCE,
            "--sessions",
            s.to_str().expect("utf-8"),
            "--save-standards",
            record.to_str().expect("utf-8"),
            "--by",
            by,
            "--format",
            "markdown",
        ]);
        assert_eq!(code, 2, "{by:?}: {out}");
        assert!(out.contains("give who set the standard"), "{out}");
        assert!(out.contains("nothing was saved"), "{out}");
        assert!(!record.exists(), "{by:?}");
    }
}

/// The generalisability study is of each station's score as a percentage
/// of its maximum: worked out here by hand from the exported stations.csv
/// (the candidates complete at every station), Φ for this exam's number of
/// stations is the report's. On raw marks the stations' differing maxima
/// would count as differing difficulty and lower Φ.
#[test]
fn the_g_study_takes_each_station_as_a_share_of_its_maximum() {
    let d = Dir::new("report-g-percent");
    let s = simulated(&d, 120, 52);
    let f = s.to_str().expect("utf-8");
    let out_dir = d.0.join("out");
    osce(&[
        "export",
        OSCE,
        "--sessions",
        f,
        "--out",
        out_dir.to_str().expect("utf-8"),
    ]);
    let rows = csv_rows(&out_dir.join("stations.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let (cand, station, score, maximum, result) = (
        col("candidate_id"),
        col("station_id"),
        col("score"),
        col("maximum"),
        col("result"),
    );
    let stations: Vec<String> = rubric(OSCE).scored_stations().map(|s| s.id.clone()).collect();
    let mut max_of: std::collections::BTreeMap<&str, f64> = Default::default();
    let mut by: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, f64>> = Default::default();
    for r in &rows[1..] {
        let m: f64 = r[maximum].parse().unwrap_or(0.0);
        let e = max_of.entry(&r[station]).or_insert(0.0);
        *e = e.max(m);
        if matches!(r[result].as_str(), "PASS" | "FAIL") && !r[note_col(&rows)].contains("not marked") {
            by.entry(&r[cand])
                .or_default()
                .insert(&r[station], r[score].parse().expect("score"));
        }
    }
    // Φ for this exam's number of stations, of the scores as they are or as
    // percentages of each station's maximum.
    let phi_of = |percent: bool| {
        let table: Vec<Vec<f64>> = by
            .values()
            .filter(|c| stations.iter().all(|s| c.contains_key(s.as_str())))
            .map(|c| {
                stations
                    .iter()
                    .map(|s| c[s.as_str()] * if percent { 100.0 / max_of[s.as_str()] } else { 1.0 })
                    .collect()
            })
            .collect();
        let (np, ni) = (table.len() as f64, stations.len() as f64);
        let grand = table.iter().flatten().sum::<f64>() / (np * ni);
        let ss_p: f64 = ni
            * table
                .iter()
                .map(|r| (r.iter().sum::<f64>() / ni - grand).powi(2))
                .sum::<f64>();
        let ss_i: f64 = np
            * (0..stations.len())
                .map(|j| (table.iter().map(|r| r[j]).sum::<f64>() / np - grand).powi(2))
                .sum::<f64>();
        let ss_t: f64 = table.iter().flatten().map(|x| (x - grand).powi(2)).sum();
        let ms_r = (ss_t - ss_p - ss_i) / ((np - 1.0) * (ni - 1.0));
        let var_p = ((ss_p / (np - 1.0) - ms_r) / ni).max(0.0);
        let var_i = ((ss_i / (ni - 1.0) - ms_r) / np).max(0.0);
        var_p / (var_p + (var_i + ms_r) / ni)
    };
    let (phi, raw) = (phi_of(true), phi_of(false));
    assert!(
        phi - raw > 0.05,
        "the maxima matter in this cohort: {phi} vs {raw} on raw marks"
    );
    let md = osce(&["report", OSCE, "--sessions", f, "--format", "markdown"]);
    let text = String::from_utf8_lossy(&md.stdout).into_owned();
    let row = text
        .lines()
        .find(|l| l.starts_with(&format!("| {} (this exam) |", stations.len())))
        .unwrap_or_else(|| panic!("the decision study's row of this exam:\n{text}"));
    let shown: f64 = row
        .trim_end_matches(" |")
        .rsplit("| ")
        .next()
        .and_then(|x| x.parse().ok())
        .expect("Φ");
    // The report leaves out a few candidates this table counts (a score
    // with an item left unmarked): close, not to the digit.
    assert!((shown - phi).abs() < 0.015, "{row}: {phi:.3} by hand");
}

/// The `note` column of stations.csv.
fn note_col(rows: &[Vec<String>]) -> usize {
    rows[0].iter().position(|h| h == "note").expect("note")
}

/// A rubric that leaves no station's pass mark to standard setting (the
/// final clinical assessment: entrustment levels): the report said "the
/// standard-set figures below are what the data proposes (`osce decide
/// pass-marks` adopts a saved record)", and counted results "under the
/// standard-set pass marks", when `--save-standards` refuses such a
/// rubric. It says there is nothing to adopt, and counts under the
/// rubric's pass marks alone.
#[test]
fn a_rubric_with_no_standard_set_station_is_reported_without_pass_marks_to_adopt() {
    let d = Dir::new("report-no-standard-setting");
    let folder = d.sub("s");
    simulate_into(FCA, &folder, 8, 2, 3);
    let (code, out) = run_osce(&[
        "report",
        FCA,
        "--sessions",
        folder.to_str().expect("utf-8"),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("It leaves no case's pass mark to standard setting, so there are none to adopt")
            && out.contains("- Under the rubric's pass marks: ")
            && out.contains("| the rubric's pass marks | ")
            && out.contains("| cut score, the rubric's pass marks |")
            && out.contains("Only 6 candidates have every case complete")
            && out.contains("\n## Cases\n")
            && out.contains("### α if each case is deleted"),
        "{out}"
    );
    // Examiners compared at the same case: their pass rates are at the
    // rubric's pass marks, not "provisional" ones.
    let more = d.sub("more");
    common::candidate(&more, FCA, "C001", "E01@lap1", Marks::Top);
    common::candidate(&more, FCA, "C002", "E02@lap2", Marks::Top);
    let (code, many) = run_osce(&[
        "report",
        FCA,
        "--sessions",
        more.to_str().expect("utf-8"),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0, "{many}");
    assert!(
        many.contains("## Examiners")
            && many.contains("Pass rates are at the rubric's pass marks (none is left to standard setting).")
            && !many.contains("provisional pass marks"),
        "{many}"
    );
    for gone in [
        "osce decide pass-marks",
        "standard-set pass marks",
        "provisional pass marks",
    ] {
        assert!(!out.contains(gone), "{gone}: {out}");
    }
}

/// The report looks at the results twice: under the provisional pass marks
/// for its figures, then under the standard-set ones. The second look
/// judges a candidate again from each station's tally (score, rating and
/// items met) where one sheet counts at each and nothing else bears on the
/// result; the rest are worked out again from their sheets. Either way the
/// results are those worked out in full, and so is the report, on cohorts
/// with absences, items left unmarked, critical items failed, double
/// marking and a sheet waiting for its second marker, under pass marks
/// low, high and out of range.
#[test]
fn results_judged_again_from_their_tallies_are_those_worked_out_in_full() {
    use osce::results::reconcile::examiners_results_for;
    use osce::scoring::{SetMethod, StandardSetMark, Standards};
    let mut all_in_full = 0;
    for (rubric_path, seed) in [(OSCE, 6), (FCA, 7), (PRACTICAL, 8)] {
        let Waiting {
            r,
            cohort,
            moderation,
            m,
            ..
        } = waiting(rubric_path, 60, seed);
        let earlier =
            examiners_results_for(&r, &cohort, &m, &Standards::default(), &moderation, &m.candidates);
        let (mut judged, mut in_full) = (0, 0);
        for share in [0.35, 0.8, 1.5] {
            let standards = Standards {
                pass_marks: r
                    .standard_set_stations()
                    .map(|st| {
                        let mark = StandardSetMark {
                            marks: share * r.station_max(st),
                            method: SetMethod::BorderlineRegression,
                        };
                        (st.id.clone(), mark)
                    })
                    .collect(),
                sem: Some(1.25),
            };
            let full = examiners_results_for(&r, &cohort, &m, &standards, &moderation, &m.candidates);
            for (f, e) in earlier.iter().zip(&full) {
                match f.again.as_ref().and_then(|a| a.judged(&r, &standards)) {
                    Some(again) => {
                        assert_eq!(again, e.result, "{rubric_path} {share} {}", e.candidate);
                        judged += 1;
                    }
                    None => in_full += 1,
                }
            }
            // In order, where some are judged again and some not.
            let again: Vec<_> = earlier.iter().map(|f| f.again.clone()).collect();
            let results =
                osce::results::reconcile::judged_again(&r, &standards, &m.candidates, &again, |part| {
                    examiners_results_for(&r, &cohort, &m, &standards, &moderation, part)
                });
            let expected: Vec<_> = full.iter().map(|e| e.result.clone()).collect();
            assert!(
                results == expected,
                "{rubric_path} {share}: not the results worked out in full"
            );
            // The whole report, with the tallies and without them.
            let report = |keep: bool| {
                let options = osce::analysis::report::Options {
                    adopted: Some(standards.clone()),
                    ..Default::default()
                };
                osce::analysis::report::build_with(
                    &r,
                    &cohort,
                    &m.candidates,
                    &Default::default(),
                    osce::analysis::agreement::double_marking(&r, &cohort, &m),
                    &options,
                    |part, st| {
                        let mut results = examiners_results_for(&r, &cohort, &m, st, &moderation, part);
                        if !keep {
                            results.iter_mut().for_each(|c| c.again = None);
                        }
                        results
                    },
                )
            };
            assert_eq!(
                format!("{:?}", report(true)),
                format!("{:?}", report(false)),
                "{rubric_path} {share}"
            );
        }
        assert!(judged > 0, "{rubric_path}: none judged again");
        all_in_full += in_full;
    }
    assert!(all_in_full > 0, "none worked out in full");
}
