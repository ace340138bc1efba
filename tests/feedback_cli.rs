//! `osce feedback`: one Markdown file per candidate, showing what the
//! rubric allows and never the examiners' private notes or concerns.

use std::path::Path;

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use osce::rubric::load;
use osce::store::{ConcernKind, Event, SheetKey, Store, hash_rubric};

fn write(sessions: &Path, rubric_path: &str) {
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
            candidate_name: "Aisha Khan".into(),
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
    j.append(
        Event::Feedback {
            text: "Clear, systematic scanning.\n# Not a heading".into(),
        },
        t,
    )
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
}

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
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out.join("C001.md")).expect("a file for C001")
}

#[test]
fn feedback_shows_comments_and_results_but_never_private_notes_or_concerns() {
    let dir = std::env::temp_dir().join(format!("osce-feedback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sessions = dir.join("sessions");
    write(&sessions, "rubrics/msk-ultrasound-osce.ron");
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
    write(&sessions2, custom.to_str().expect("utf-8"));
    let text = feedback(custom.to_str().expect("utf-8"), &sessions2, &dir.join("out2"));
    assert!(
        text.contains("- Confirms patient identity and obtains verbal consent: Done"),
        "{text}"
    );
    assert!(!text.contains("of 20 marks"), "station results hidden: {text}");
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
    write(&sessions, "rubrics/msk-ultrasound-osce.ron");
    // An examiner's comment that would be markup in a page.
    let key = SheetKey {
        assessment: "msk-us-osce".into(),
        station: "shoulder".into(),
        candidate: "C001".into(),
        examiner: "E01".into(),
        device: "lap".into(),
    };
    let hash = hash_rubric(&std::fs::read_to_string("rubrics/msk-ultrasound-osce.ron").expect("rubric"));
    let (mut j, _) = Store::new(&sessions).open_sheet(&key, &hash).expect("open");
    j.append(
        Event::Feedback {
            text: "Good <script>alert(1)</script> & well done".into(),
        },
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 0)
            .single()
            .expect("time"),
    )
    .expect("append");
    drop(j);
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
