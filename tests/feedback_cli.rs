//! `osce feedback`: one Markdown file per candidate, showing what the
//! rubric allows and never the examiners' private notes or concerns.

mod common;

use std::path::Path;

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use osce::rubric::load;
use osce::store::{ConcernKind, Event, SheetKey, Store, hash_rubric};

/// C001's first station, every item at its top level, with `comment` as
/// feedback, private notes and a concern; submitted.
fn write(sessions: &Path, rubric_path: &str, comment: &str) {
    write_named(sessions, rubric_path, comment, "Aisha Khan");
}

/// [`write`], the candidate confirmed under `name`.
fn write_named(sessions: &Path, rubric_path: &str, comment: &str, name: &str) {
    let (rubric, _) = load(Path::new(rubric_path)).expect("valid");
    let hash = hash_rubric(&std::fs::read_to_string(rubric_path).expect("rubric"));
    let t = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    let station = rubric.scored_stations().next().expect("a station");
    let key = SheetKey {
        assessment: rubric.id.clone(),
        station: station.id.clone(),
        candidate: "C001".into(),
        examiner: "E01".into(),
        device: "lap".into(),
    };
    let (mut j, _) = Store::new(sessions).open_sheet(&key, &hash).expect("open");
    j.append(
        Event::Confirmed {
            candidate_name: name.into(),
        },
        t,
    )
    .expect("append");
    for item in &station.items {
        let scale = rubric.scale(item.scale);
        j.append(
            Event::Mark {
                item: item.id.clone(),
                level: Some(scale.levels.len() - 1),
                label: String::new(),
                late: false,
            },
            t,
        )
        .expect("append");
    }
    j.append(Event::Feedback { text: comment.into() }, t)
        .expect("append");
    j.append(
        Event::Notes {
            text: "PRIVATE: discuss with the lead".into(),
        },
        t,
    )
    .expect("append");
    j.append(
        Event::Concern {
            kind: ConcernKind::Professionalism,
            note: "CONCERN: late".into(),
        },
        t,
    )
    .expect("append");
    let submitted = common::submitted(&j, rubric_path);
    j.append(submitted, t).expect("append");
}

const COMMENT: &str = "Clear, systematic scanning.\n# Not a heading";

fn feedback(rubric: &str, sessions: &Path, out: &Path) -> String {
    let o = Command::cargo_bin("osce")
        .expect("binary")
        .args([
            "feedback",
            rubric,
            "--sessions",
            sessions.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    // Written whether or not every result is final (exit 1 when not:
    // these sheets are not moderated, as the rubric asks).
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(out.join("C001.md")).expect("a file for C001")
}

#[test]
fn feedback_shows_comments_and_results_but_never_private_notes_or_concerns() {
    let dir = std::env::temp_dir().join(format!("osce-feedback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sessions = dir.join("sessions");
    write(&sessions, "rubrics/msk-ultrasound-osce.ron", COMMENT);
    let text = feedback("rubrics/msk-ultrasound-osce.ron", &sessions, &dir.join("out"));
    assert!(text.contains("Candidate: Aisha Khan (C001)"), "{text}");
    assert!(text.contains("## Shoulder"), "{text}");
    assert!(text.contains("Clear, systematic scanning."), "{text}");
    assert!(
        text.contains("```text\nClear, systematic scanning.\n# Not a heading\n```"),
        "comments are kept as written, in a block Markdown shows as it is: {text}"
    );
    assert!(!text.contains('\\'), "no Markdown escapes to read past: {text}");
    assert!(text.contains("20 of 20 marks"), "{text}");
    assert!(!text.contains("PRIVATE"), "private notes never shown");
    assert!(!text.contains("CONCERN"), "concerns never shown");
    // The OSCE rubric does not show item levels.
    assert!(!text.contains("Confirms patient identity"), "{text}");

    // A rubric that allows item levels shows them.
    let custom = dir.join("with-levels.ron");
    let source = std::fs::read_to_string("rubrics/msk-ultrasound-osce.ron").expect("rubric").replacen(
        "examiner_view: (show_running_total: false),",
        "examiner_view: (show_running_total: false),\n    candidate_feedback: (item_levels: true, station_results: false),",
        1,
    );
    std::fs::write(&custom, source).expect("write");
    let sessions2 = dir.join("sessions2");
    write(&sessions2, custom.to_str().expect("utf-8"), COMMENT);
    let text = feedback(custom.to_str().expect("utf-8"), &sessions2, &dir.join("out2"));
    assert!(
        text.contains("- Confirms patient identity and obtains verbal consent: Done"),
        "{text}"
    );
    assert!(!text.contains("of 20 marks"), "station results hidden: {text}");
    // Written again into the same folder: refused, in words that fit
    // feedback files (it spoke of "earlier exports").
    let again = Command::cargo_bin("osce")
        .expect("binary")
        .args(["feedback", custom.to_str().expect("utf-8"), "--sessions"])
        .arg(&sessions2)
        .arg("--out")
        .arg(dir.join("out2"))
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{said}");
    assert!(
        said.contains("already exists; files written earlier are not overwritten (use --force"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A name beginning with a character a spreadsheet or Markdown reads as
/// something else is written in the Markdown file as the roster writes it
/// where it stands within a line: nothing invisible put before it, so that
/// a name copied out of the file matches the roster.
#[test]
fn a_name_within_a_line_is_written_as_it_is() {
    let dir = std::env::temp_dir().join(format!("osce-feedback-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sessions = dir.join("sessions");
    write_named(
        &sessions,
        "rubrics/msk-ultrasound-osce.ron",
        COMMENT,
        "-Jones Ann",
    );
    let text = feedback("rubrics/msk-ultrasound-osce.ron", &sessions, &dir.join("out"));
    assert!(text.contains("Candidate: -Jones Ann (C001)"), "{text:?}");
    assert!(!text.contains('\u{2060}'), "{text:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The HTML page says what the Markdown file says, is one self-contained
/// file (no scripts, nothing fetched), keeps an examiner's text as written
/// but inert, and draws in a real headless browser. Chromium is installed
/// by `.ci/run`; with OSCE_REQUIRE_BROWSER=1 (as CI sets it) a missing
/// browser fails.
#[test]
fn each_candidate_also_gets_a_printable_html_page() {
    let dir = std::env::temp_dir().join(format!("osce-feedback-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sessions = dir.join("sessions");
    // An examiner's comment that would be markup in a page.
    write(
        &sessions,
        "rubrics/msk-ultrasound-osce.ron",
        "Good <script>alert(1)</script> & well done",
    );
    let out = dir.join("out");
    let md = feedback("rubrics/msk-ultrasound-osce.ron", &sessions, &out);
    let html = std::fs::read_to_string(out.join("C001.html")).expect("a page for C001");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    for said in ["Candidate: Aisha Khan (C001)", "Shoulder", "20 of 20 marks"] {
        assert!(
            md.contains(said) && html.contains(said),
            "{said:?} in both:\n{html}"
        );
    }
    assert!(html.contains("<strong>Result: "), "{html}");
    assert!(
        html.contains("Good &lt;script&gt;alert(1)&lt;/script&gt; &amp; well done"),
        "the comment as written, inert: {html}"
    );
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched"
    );
    assert!(!html.contains("PRIVATE") && !html.contains("CONCERN"));

    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
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
    let profile = dir.join("profile");
    let page = format!("file://{}", out.join("C001.html").display());
    let dom = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&page)
        .output()
        .expect("browser");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<h2>Shoulder</h2>"), "the page loaded: {dom}");
    assert!(!dom.contains("<script>alert"), "{dom}");
    let png = dir.join("shot.png");
    let shot = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=900,1400")
        .arg(format!("--screenshot={}", png.display()))
        .arg(&page)
        .output()
        .expect("browser");
    assert!(shot.status.success() || png.exists());
    let bytes = std::fs::read(&png).expect("screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        bytes.len() > 10_000,
        "{} bytes: a page with text on it",
        bytes.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Feedback saved on a sheet that was never submitted (the examiner is
/// still marking, or left without submitting) never reaches the candidate,
/// nor do its marks; nor does feedback typed into an amendment that is not
/// submitted again: the feedback as last submitted counts. The station
/// says its result is not in yet, as it does for a missing sheet.
#[test]
fn feedback_from_a_sheet_not_submitted_never_reaches_the_candidate() {
    use common::{Marks, OSCE, append, sheet};
    let dir = common::Dir::new("feedback-unsubmitted");
    let s = dir.sub("s");
    sheet(&s, OSCE, "shoulder", "C005", "E01@lap1", Marks::Top, false, 0);
    append(
        &s,
        OSCE,
        "shoulder",
        "C005",
        "E01@lap1",
        vec![Event::Feedback {
            text: "UNSUBMITTED: a draft opinion".into(),
        }],
    );
    sheet(&s, OSCE, "knee", "C005", "E02@lap2", Marks::Top, false, 0);
    append(
        &s,
        OSCE,
        "knee",
        "C005",
        "E02@lap2",
        vec![
            Event::Feedback {
                text: "AS SUBMITTED: good knee scan".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
            Event::AmendStarted {
                reason: "second thoughts".into(),
            },
            Event::Feedback {
                text: "AMENDING: not submitted again".into(),
            },
        ],
    );
    // C006: every station submitted but one, fully marked and not in: the
    // result its marks would give is not told.
    for st in common::rubric(OSCE).scored_stations() {
        let submit = st.id != "shoulder";
        sheet(&s, OSCE, &st.id, "C006", "E01@lap1", Marks::Top, submit, 0);
    }
    let out = dir.0.join("fb");
    let (code, said) = common::run_osce(&[
        "feedback",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "sheets not in, so not final: {said}");
    assert!(
        said.contains("note: 2 candidates have a sheet that is not submitted"),
        "{said}"
    );
    let md = std::fs::read_to_string(out.join("C005.md")).expect("C005.md");
    let html = std::fs::read_to_string(out.join("C005.html")).expect("C005.html");
    for page in [&md, &html] {
        assert!(!page.contains("UNSUBMITTED"), "{page}");
        assert!(!page.contains("AMENDING"), "{page}");
        assert!(page.contains("AS SUBMITTED: good knee scan"), "{page}");
    }
    let c006 = std::fs::read_to_string(out.join("C006.md")).expect("C006.md");
    assert!(c006.contains("**Result: INCOMPLETE**"), "{c006}");
    assert!(!c006.contains("total"), "{c006}");
    let shoulder = &md[md.find("## Shoulder").expect("the shoulder")..];
    let shoulder = &shoulder[..shoulder[3..].find("## ").map_or(shoulder.len(), |i| i + 3)];
    assert!(
        shoulder.contains("Not in yet: this station's result will follow."),
        "{shoulder}"
    );
    assert!(
        !shoulder.contains("of 20 marks"),
        "no marks from an unsubmitted sheet: {shoulder}"
    );
    let ankle = &md[md.find("## Ankle").expect("a missing station")..];
    assert!(
        ankle.contains("Not in yet: this station's result will follow."),
        "the same as for a missing sheet: {ankle}"
    );

    // The export: the feedback column stays empty, and the note says why.
    let export = dir.0.join("export");
    let (_, said) = common::run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    let rows = common::csv_rows(&export.join("stations.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let row = |station: &str| {
        rows.iter()
            .find(|r| r[col("candidate_id")] == "C005" && r[col("station_id")] == station)
            .unwrap_or_else(|| panic!("{station}: {said}"))
    };
    assert_eq!(row("shoulder")[col("feedback")], "");
    assert!(
        row("shoulder")[col("note")].contains("not submitted: marking was started and the sheet is not in"),
        "{:?}",
        row("shoulder")[col("note")]
    );
    assert_eq!(row("knee")[col("feedback")], "AS SUBMITTED: good knee scan");
}

/// A station failed on a critical item with a score below its pass mark as
/// well: the feedback gives both reasons, not the critical item alone (an
/// appeal that won on the item would still fail on the score).
#[test]
fn a_critical_fail_with_a_low_score_gives_both_reasons() {
    let dir = common::Dir::new("feedback-both-reasons");
    let sessions = dir.0.join("sessions");
    let rubric = "rubrics/msk-ultrasound-osce.ron";
    common::sheet(
        &sessions,
        rubric,
        "knee",
        "C001",
        "E01@lap",
        common::Marks::Bottom,
        true,
        0,
    );
    let text = feedback(rubric, &sessions, &dir.0.join("out"));
    let knee = text.split("## Knee").nth(1).unwrap_or_else(|| panic!("{text}"));
    let why = knee
        .lines()
        .find(|l| l.starts_with("Why:") && l.contains("critical item"))
        .unwrap_or_else(|| panic!("a reason naming the critical item:\n{text}"));
    assert!(
        why.contains("below the pass mark"),
        "the score's shortfall too:\n{why}\n\n{text}"
    );
}

/// The same at a double-marked station: both markers failed a critical item
/// and the mean of their scores is below the pass mark. Each critical item
/// is said once, and the mean's shortfall too.
#[test]
fn a_double_marked_critical_fail_with_a_low_mean_gives_both_reasons() {
    let dir = common::Dir::new("feedback-double-both-reasons");
    let sessions = dir.0.join("sessions");
    let rubric = "rubrics/msk-ultrasound-osce.ron";
    for who in ["E01@lap1", "E02@lap2"] {
        common::sheet(
            &sessions,
            rubric,
            "knee",
            "C001",
            who,
            common::Marks::Bottom,
            true,
            0,
        );
    }
    let text = feedback(rubric, &sessions, &dir.0.join("out"));
    let knee = text.split("## Knee").nth(1).unwrap_or_else(|| panic!("{text}"));
    let knee = knee.split("\n## ").next().unwrap_or(knee);
    let critical = knee.matches("critical item 'Confirms patient identity").count();
    assert_eq!(critical, 1, "each critical item once:\n{knee}");
    assert!(
        knee.contains("mean 0 of") && knee.contains("is below the pass mark"),
        "the mean's shortfall too:\n{knee}"
    );
}

/// A candidate who passes with a station failed (the others make up for
/// it) is told what the pass rests on; one who passed every station is
/// not told it.
#[test]
fn a_pass_with_a_station_failed_says_what_the_pass_rests_on() {
    let dir = common::Dir::new("feedback-pass-failed-station");
    let s = dir.sub("s");
    common::simulate_into(common::OSCE, &s, 40, 4, 3);
    let export = dir.0.join("export");
    let (_, said) = common::run_osce(&[
        "export",
        common::OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    let results = common::csv_rows(&export.join("results.csv"));
    let stations = common::csv_rows(&export.join("stations.csv"));
    let rcol = |name: &str| results[0].iter().position(|h| h == name).expect(name);
    let scol = |name: &str| stations[0].iter().position(|h| h == name).expect(name);
    let failed_a_station = |id: &str| {
        stations[1..]
            .iter()
            .any(|r| r[scol("candidate_id")] == id && r[scol("final_result")] == "FAIL")
    };
    let passed: Vec<&str> = results[1..]
        .iter()
        .filter(|r| r[rcol("final_result")] == "PASS")
        .map(|r| r[rcol("candidate_id")].as_str())
        .collect();
    let with = passed.iter().find(|id| failed_a_station(id)).expect(&said);
    let without = passed.iter().find(|id| !failed_a_station(id)).expect(&said);
    let out = dir.0.join("feedback");
    let (code, said) = common::run_osce(&[
        "feedback",
        common::OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(matches!(code, 0 | 1), "{said}");
    let md = |id: &str| std::fs::read_to_string(out.join(format!("{id}.md"))).expect("feedback file");
    let told = md(with);
    assert!(
        told.contains("You passed although not every station was passed. Why: ")
            && told.contains(" stations passed; at least ")
            && !told.contains("(failed: "),
        "{told}"
    );
    assert!(!md(without).contains("You passed although"), "{}", md(without));
}

/// Candidates are never told who marked them, nor each marker's own mark
/// (the exam office's stations.csv has both): at a double-marked station
/// the feedback says the score that counts against the pass mark, and
/// after a third marker, that a third marker's result counts.
#[test]
fn a_double_marked_station_names_no_examiner_and_says_the_pass_mark() {
    use common::{Marks, OSCE, sheet};
    let dir = common::Dir::new("feedback-double-no-names");
    let s = dir.sub("s");
    // C001: two markers close together, the mean below the pass mark.
    sheet(&s, OSCE, "knee", "C001", "E01@lap1", Marks::LoseFirst(6), true, 0);
    sheet(&s, OSCE, "knee", "C001", "E02@lap2", Marks::LoseFirst(7), true, 0);
    // C002: two markers far apart, then a third.
    sheet(&s, OSCE, "knee", "C002", "E01@lap1", Marks::LoseFirst(1), true, 0);
    sheet(&s, OSCE, "knee", "C002", "E02@lap2", Marks::LoseFirst(8), true, 1);
    sheet(&s, OSCE, "knee", "C002", "E03@lap3", Marks::LoseFirst(7), true, 2);
    let out = dir.0.join("out");
    feedback(OSCE, &s, &out);
    for id in ["C001", "C002"] {
        let text = std::fs::read_to_string(out.join(format!("{id}.md"))).expect("feedback");
        let knee = text.split("## Knee").nth(1).unwrap_or_else(|| panic!("{text}"));
        let knee = knee.split("\n## ").next().unwrap_or(knee);
        for examiner in ["E01", "E02", "E03"] {
            assert!(!knee.contains(examiner), "{id}: {examiner} named:\n{knee}");
        }
        assert!(knee.contains("pass mark"), "{id}: the pass mark:\n{knee}");
        let html = std::fs::read_to_string(out.join(format!("{id}.html"))).expect("feedback");
        assert!(!html.contains("E02"), "{id}:\n{html}");
    }
    let c002 = std::fs::read_to_string(out.join("C002.md")).expect("feedback");
    assert!(c002.contains("third marker"), "{c002}");
}

/// A final clinical assessment judges each case by the entrustment level
/// reached: the feedback tells the level and the level needed, not marks
/// out of a maximum, and no total of marks its result does not rest on.
#[test]
fn a_final_clinical_assessment_is_told_in_levels_not_marks() {
    let dir = common::Dir::new("feedback-fca-levels");
    let sessions = dir.sub("s");
    common::candidate(&sessions, common::FCA, "C001", "E01@lap1", common::Marks::Top);
    let md = feedback(common::FCA, &sessions, &dir.0.join("out"));
    let cases: Vec<&str> = md
        .lines()
        .filter(|l| {
            ["Passed", "Not passed", "Being confirmed"]
                .iter()
                .any(|w| l.starts_with(w))
        })
        .collect();
    assert_eq!(cases.len(), 6, "{md}");
    assert!(
        cases
            .iter()
            .all(|l| l.contains("'4 Competent to perform unsupervised'") && !l.contains(" marks")),
        "{md}"
    );
    assert!(!md.contains("total "), "{md}");

    // A case failed on a critical item with the level needed reached: not
    // "not passed: …, the level needed" (the rubric here moderates none,
    // so that the result is told).
    let unmoderated = dir.0.join("fca-unmoderated.ron");
    let text = std::fs::read_to_string(common::FCA).expect("rubric");
    assert!(text.contains("moderation: (mode: All),"));
    std::fs::write(
        &unmoderated,
        text.replace("moderation: (mode: All),", "moderation: (mode: None),"),
    )
    .expect("write");
    let fca = unmoderated.to_str().expect("utf-8");
    common::sheet(
        &sessions,
        fca,
        "case-1",
        "C002",
        "E01@lap1",
        common::Marks::Top,
        false,
        10,
    );
    common::append(
        &sessions,
        fca,
        "case-1",
        "C002",
        "E01@lap1",
        vec![
            osce::store::Event::Mark {
                item: "infection".into(),
                level: Some(0),
                label: "Not met".into(),
                late: false,
            },
            osce::store::Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    let out = dir.0.join("out2");
    feedback(fca, &sessions, &out);
    let c002 = std::fs::read_to_string(out.join("C002.md")).expect("feedback");
    assert!(
        c002.contains(
            "Not passed: '4 Competent to perform unsupervised' (the level needed was reached; not passed for another reason)."
        ) && !c002.contains("Not passed: '4 Competent to perform unsupervised', the level needed"),
        "{c002}"
    );
}
