//! `osce export` against sessions written through the real store: files
//! parse back as CSV, match the documented columns, neutralise formulas,
//! keep numbers as numbers, are stable, and are never overwritten by
//! accident.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use osce::rubric::load;
use osce::store::{Event, SheetKey, Store, hash_rubric};

static COUNTER: AtomicUsize = AtomicUsize::new(0);
const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("osce-export-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every scored station of the OSCE for `candidate`, every item at `level`
/// (capped at each scale's top), global rating 2, submitted.
fn mark_candidate(sessions: &Path, candidate: &str, name: &str, level: usize, feedback: &str) {
    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    let hash = hash_rubric(&std::fs::read_to_string(OSCE).expect("rubric"));
    let t = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    for station in rubric.scored_stations() {
        let key = SheetKey {
            assessment: rubric.id.clone(),
            station: station.id.clone(),
            candidate: candidate.into(),
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
            let l = level.min(scale.levels.len() - 1);
            j.append(
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(l),
                    label: scale.levels[l].label.clone(),
                    late: false,
                },
                t,
            )
            .expect("append");
        }
        j.append(
            Event::GlobalRating {
                level: 2,
                label: "Clear pass".into(),
                late: false,
            },
            t,
        )
        .expect("append");
        j.append(
            Event::Feedback {
                text: feedback.into(),
            },
            t,
        )
        .expect("append");
        j.append(common::submitted(&j, OSCE), t).expect("append");
    }
}

fn export(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("osce")
        .expect("binary")
        .arg("export")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("a CSV file");
    let headers = r.headers().expect("header").iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.expect("a well-formed row")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (headers, rows)
}

fn cohort() -> (Dir, PathBuf) {
    let d = Dir::new();
    let sessions = d.0.join("sessions");
    mark_candidate(&sessions, "C001", "Aisha Khan", 9, "Excellent; systematic.");
    mark_candidate(
        &sessions,
        "C002",
        "=HYPERLINK(\"http://x\",\"click\")",
        0,
        "-Needs work on =SUM(A1) and @gain",
    );
    // The rubric standard-sets its stations and asks for a moderated
    // sample: the board adopts the pass marks and an assessor signs off,
    // so the results are final.
    common::adopt_pass_marks(&[&sessions], OSCE);
    common::signed_off(&sessions, OSCE, "EA1");
    (d, sessions)
}

#[test]
fn files_parse_back_and_results_are_right() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    let (code, text) = export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{text}");
    let (headers, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(headers[0], "candidate_id");
    assert_eq!(rows.len(), 2);
    let c1 = &rows[0];
    assert_eq!(
        (c1[0].as_str(), c1[2].as_str(), c1[3].as_str(), c1[8].as_str()),
        ("C001", "99", "99", "PASS")
    );
    let c2 = &rows[1];
    assert_eq!(c2[8], "FAIL");
    let reasons = headers.iter().position(|h| h == "reasons").expect("reasons");
    assert!(
        c2[reasons].contains("critical item"),
        "reasons in words: {}",
        c2[reasons]
    );
    let (station_headers, stations) = read_csv(&out.join("stations.csv"));
    assert_eq!(stations.len(), 12);
    // A FAIL on a critical item says so in the station's note, whatever
    // the score (it was said in results.csv only).
    let note = station_headers.iter().position(|h| h == "note").expect("note");
    let critical: Vec<&Vec<String>> = stations
        .iter()
        .filter(|r| r[note].starts_with("FAIL: critical item '"))
        .collect();
    assert!(
        !critical.is_empty()
            && critical
                .iter()
                .all(|r| r[0] == "C002" && r[note].contains("at station '")),
        "{stations:?}"
    );
    let (_, items) = read_csv(&out.join("items.csv"));
    // 48 item marks and 6 global ratings for each candidate.
    assert_eq!(items.len(), 2 * (48 + 6));
    let (marks_headers, marks) = read_csv(&out.join("marks.csv"));
    assert_eq!(marks_headers, ["candidate_id", "mark", "grade"]);
    assert_eq!(marks[0], ["C001", "100", "PASS"]);
    let (mod_headers, mod_rows) = read_csv(&out.join("moderation.csv"));
    assert_eq!(mod_headers.len(), 13);
    // The assessor agreed with each of C002's six fails (the sample takes
    // every fail), then signed off.
    assert_eq!(mod_rows.len(), 7, "{mod_rows:?}");
    assert!(
        mod_rows[..6]
            .iter()
            .all(|r| r[0] == "decision" && r[1] == "C002" && r[4] == "FAIL" && r[7] == "agree"),
        "{mod_rows:?}"
    );
    assert!(mod_rows[6][0].contains("sign"), "{mod_rows:?}");
}

#[test]
fn cells_a_spreadsheet_would_run_are_neutralised_and_numbers_stay_numbers() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    for file in ["results.csv", "stations.csv", "items.csv", "marks.csv"] {
        let (headers, rows) = read_csv(&out.join(file));
        for row in &rows {
            for (h, cell) in headers.iter().zip(row) {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file} column {h} holds a live formula: {cell:?}"
                );
            }
        }
    }
    let (_, results) = read_csv(&out.join("results.csv"));
    assert_eq!(results[1][1], "'=HYPERLINK(\"http://x\",\"click\")");
    let (headers, stations) = read_csv(&out.join("stations.csv"));
    let feedback = headers
        .iter()
        .position(|h| h == "feedback")
        .expect("feedback column");
    assert_eq!(stations[6][feedback], "'-Needs work on =SUM(A1) and @gain");
    for numeric in ["score", "maximum", "percent", "pass_mark"] {
        let i = headers.iter().position(|h| h == numeric).expect("column");
        for row in &stations {
            assert!(
                row[i].is_empty() || row[i].parse::<f64>().is_ok(),
                "{numeric} = {:?} is a number",
                row[i]
            );
        }
    }
}

#[test]
fn earlier_exports_are_not_overwritten_and_output_is_stable() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    let s = sessions.to_str().expect("utf-8");
    let o = out.to_str().expect("utf-8");
    assert_eq!(export(&[OSCE, "--sessions", s, "--out", o]).0, 0);
    let first = std::fs::read(out.join("items.csv")).expect("items");
    let (code, text) = export(&[OSCE, "--sessions", s, "--out", o]);
    assert_eq!(code, 2);
    assert!(
        text.contains("already exists") && text.contains("--force"),
        "{text}"
    );
    assert_eq!(export(&[OSCE, "--sessions", s, "--out", o, "--force"]).0, 0);
    assert_eq!(
        std::fs::read(out.join("items.csv")).expect("items"),
        first,
        "same sessions, same bytes"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(out.join("results.csv"))
        .expect("file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "personal data: owner only");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn marks_columns_are_configurable() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    let s = sessions.to_str().expect("utf-8");
    let (code, _) = export(&[
        OSCE,
        "--sessions",
        s,
        "--out",
        out.to_str().expect("utf-8"),
        "--marks-columns",
        "candidate_id=Student ID,total=Mark,final_result=Grade",
    ]);
    assert_eq!(code, 0);
    let (headers, rows) = read_csv(&out.join("marks.csv"));
    assert_eq!(headers, ["Student ID", "Mark", "Grade"]);
    assert_eq!(rows[0], ["C001", "99", "PASS"]);
    let (code, text) = export(&[
        OSCE,
        "--sessions",
        s,
        "--out",
        d.0.join("x").to_str().expect("utf-8"),
        "--marks-columns",
        "candidate_id,score",
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("no field \"score\""), "{text}");
}

#[test]
fn the_documented_columns_are_the_columns_written() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let doc = std::fs::read_to_string("docs/export-format.md").expect("doc");
    for file in ["results.csv", "stations.csv", "items.csv", "moderation.csv"] {
        let section = doc
            .split(&format!("## `{file}`"))
            .nth(1)
            .expect("a section per file");
        let section = section.split("\n## ").next().unwrap_or(section);
        let documented: Vec<String> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_string)
            .collect();
        let (headers, _) = read_csv(&out.join(file));
        assert_eq!(
            headers, documented,
            "{file}: docs/export-format.md and the file disagree"
        );
    }
}

#[test]
fn double_marking_is_reconciled_within_the_threshold_and_waits_beyond_it() {
    const FCA: &str = "rubrics/msk-final-clinical-assessment.ron";
    let d = Dir::new();
    let sessions = d.0.join("sessions");
    let (rubric, _) = load(Path::new(FCA)).expect("valid");
    let hash = hash_rubric(&std::fs::read_to_string(FCA).expect("rubric"));
    let t = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    // case-1: internal gives all 9 domains, external 8 (difference 1, within 2).
    // case-2: internal 9, external 4 (difference 5): waits for an agreed mark.
    for (case, external_low) in [("case-1", 1usize), ("case-2", 5)] {
        for (examiner, low) in [("internal", 0usize), ("external", external_low)] {
            let key = SheetKey {
                assessment: rubric.id.clone(),
                station: case.into(),
                candidate: "C001".into(),
                examiner: examiner.into(),
                device: examiner.into(),
            };
            let (mut j, _) = Store::new(&sessions).open_sheet(&key, &hash).expect("open");
            let station = rubric.station(case).expect("case");
            for (n, item) in station.items.iter().enumerate() {
                // Safety items always met; the last `low` DOPS domains not.
                let level = if item.critical != osce::rubric::Critical::No || n + low < station.items.len() {
                    1
                } else {
                    0
                };
                j.append(
                    Event::Mark {
                        item: item.id.clone(),
                        level: Some(level),
                        label: String::new(),
                        late: false,
                    },
                    t,
                )
                .expect("append");
            }
            j.append(
                Event::GlobalRating {
                    level: 4,
                    label: "4".into(),
                    late: false,
                },
                t,
            )
            .expect("append");
            j.append(common::submitted(&j, FCA), t).expect("append");
        }
    }
    let out = d.0.join("export");
    let (code, text) = export(&[
        FCA,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    // Written, but not final: case 2 waits for an agreed mark.
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Not final yet"), "{text}");
    let (headers, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let case1 = rows
        .iter()
        .find(|r| r[col("station_id")] == "case-1")
        .expect("case-1");
    assert_eq!(case1[col("score")], "8.5");
    assert_eq!(case1[col("result")], "PASS");
    assert_eq!(case1[col("examiners")], "external internal");
    assert!(case1[col("note")].contains("mean 8.5"), "{}", case1[col("note")]);
    let case2 = rows
        .iter()
        .find(|r| r[col("station_id")] == "case-2")
        .expect("case-2");
    assert_eq!(case2[col("result")], "INCOMPLETE");
    assert!(
        case2[col("note")].contains("waiting for an agreed mark"),
        "{}",
        case2[col("note")]
    );
}

/// A symbolic link planted where an export file goes is never written
/// through: without --force the export refuses, with --force the link
/// itself is replaced and what it pointed to is untouched.
#[test]
fn a_planted_symbolic_link_is_never_written_through() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    std::fs::create_dir_all(&out).expect("out");
    let victim = d.0.join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    std::os::unix::fs::symlink(&victim, out.join("results.csv")).expect("link");
    let args = [
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ];
    let (code, text) = export(&args);
    assert_eq!(code, 2, "{text}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let mut forced = args.to_vec();
    forced.push("--force");
    let (code, text) = export(&forced);
    assert_eq!(code, 0, "{text}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let meta = std::fs::symlink_metadata(out.join("results.csv")).expect("results");
    assert!(meta.file_type().is_file(), "the link was replaced by the file");
}

/// `--force` replaces an earlier export whole or not at all: with a folder
/// where one of the files goes, nothing is replaced, the earlier files stay
/// as they were, and no temporary file is left behind.
#[test]
fn a_forced_export_that_cannot_finish_leaves_the_earlier_one_whole() {
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    let s = sessions.to_str().expect("utf-8");
    let o = out.to_str().expect("utf-8");
    assert_eq!(export(&[OSCE, "--sessions", s, "--out", o]).0, 0);
    let before: Vec<Vec<u8>> = ["results.csv", "stations.csv", "items.csv", "moderation.csv"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).expect("file"))
        .collect();
    // New marks since, and a folder where marks.csv goes.
    mark_candidate(&sessions, "C003", "Third", 9, "");
    std::fs::remove_file(out.join("marks.csv")).expect("remove");
    std::fs::create_dir(out.join("marks.csv")).expect("folder");
    let (code, text) = export(&[OSCE, "--sessions", s, "--out", o, "--force"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("marks.csv: is a folder where an export file goes"),
        "{text}"
    );
    let after: Vec<Vec<u8>> = ["results.csv", "stations.csv", "items.csv", "moderation.csv"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).expect("file"))
        .collect();
    assert!(before == after, "the earlier export was changed");
    let hidden: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
    // With the folder moved away, the new export replaces every file. C003
    // was marked after the pass marks were adopted: the results are not
    // final until the board adopts them again over these sheets.
    std::fs::remove_dir(out.join("marks.csv")).expect("remove");
    let (code, text) = export(&[OSCE, "--sessions", s, "--out", o, "--force"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("sheets were submitted, amended or added after the pass marks in force were adopted"),
        "{text}"
    );
    let (_, rows) = read_csv(&out.join("results.csv"));
    assert_eq!(rows.len(), 3, "{rows:?}");
}

/// The rubric shapes marks.csv for a records system: result codes mapped
/// (PASS → P), constant columns (module code, occurrence, year), and a
/// header a spreadsheet would run neutralised like any cell.
#[test]
fn marks_csv_maps_results_and_adds_constant_columns() {
    let d = Dir::new();
    let rubric = d.0.join("with-upload.ron");
    let text = std::fs::read_to_string(OSCE).expect("rubric");
    let end = text.rfind(')').expect("the rubric's closing bracket");
    let columns = r#"
    marks_csv: [
        (field: "candidate_id", header: "Student ID"),
        (field: "percent", header: "=Mark"),
        (field: "final_result", header: "Grade", values: {"PASS": "P", "FAIL": "F", "INCOMPLETE": "I"}),
        (value: "MSK7001", header: "Module code"),
        (value: "2026/27", header: "Year"),
    ],
"#;
    std::fs::write(&rubric, format!("{}{columns}{}", &text[..end], &text[end..])).expect("write");
    let rubric = rubric.to_str().expect("utf-8");
    let sessions = d.0.join("sessions");
    common::candidate(&sessions, rubric, "C001", "E01@lap", common::Marks::Top);
    common::candidate(&sessions, rubric, "C002", "E01@lap", common::Marks::Bottom);
    common::sheet(
        &sessions,
        rubric,
        "shoulder",
        "C003",
        "E01@lap",
        common::Marks::Top,
        false,
        0,
    );
    let out = d.0.join("export");
    let (code, text) = export(&[
        rubric,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "C003 is not in: {text}");
    let (headers, rows) = read_csv(&out.join("marks.csv"));
    assert_eq!(headers, ["Student ID", "'=Mark", "Grade", "Module code", "Year"]);
    assert_eq!(rows[0], ["C001", "100", "P", "MSK7001", "2026/27"]);
    assert_eq!(rows[1][2], "F", "{rows:?}");
    assert_eq!(rows[2], ["C003", "", "I", "MSK7001", "2026/27"]);
}

/// The workbook holds a sheet per CSV file with the same cells: numbers as
/// numbers, text as the text (a spreadsheet never runs a workbook's text
/// cell as a formula, so it needs no apostrophe), the header row first;
/// but for items.csv, a sheet per station with a column per item.
#[test]
fn the_workbook_holds_the_same_cells_as_the_csv_files() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (d, sessions) = cohort();
    let out = d.0.join("export");
    let (code, text) = export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("wrote "), "{text}");
    let path = out.join("export.xlsx");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).expect("workbook").permissions());
    assert_eq!(mode & 0o777, 0o600, "owner only");
    let mut book: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    // The CSV files' sheets, then a sheet of items for each station scored.
    let scored = ["shoulder", "knee", "ankle", "elbow", "physics", "professional"];
    let expected: Vec<String> = ["results", "stations", "marks", "moderation"]
        .into_iter()
        .map(String::from)
        .chain(scored.iter().map(|s| format!("items {s}")))
        .collect();
    assert_eq!(book.sheet_names(), expected);
    for name in ["results", "stations", "marks", "moderation"] {
        let range = book.worksheet_range(name).expect("sheet");
        let (headers, rows) = read_csv(&out.join(format!("{name}.csv")));
        let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            cells.len(),
            rows.len() + 1,
            "{name}: a row for each CSV row and the header"
        );
        for (h, cell) in headers.iter().zip(&cells[0]) {
            assert_eq!(&Data::String(h.clone()), cell, "{name} header");
        }
        for (csv_row, book_row) in rows.iter().zip(&cells[1..]) {
            for (csv_cell, book_cell) in csv_row.iter().zip(book_row) {
                match book_cell {
                    Data::Float(x) => assert_eq!(csv_cell.parse::<f64>().ok(), Some(*x), "{name}"),
                    Data::Int(x) => assert_eq!(csv_cell.parse::<i64>().ok(), Some(*x), "{name}"),
                    Data::String(s) => {
                        assert_eq!(csv_cell.strip_prefix('\'').unwrap_or(csv_cell), s, "{name}")
                    }
                    Data::Empty => assert_eq!(csv_cell, "", "{name}"),
                    other => panic!("{name}: unexpected cell {other:?}"),
                }
            }
        }
    }
    // items.csv, a row per item, is a row per examiner's sheet in its
    // station's sheet, a column per item (its text in the column's note):
    // every item's marks, or its level where it gives no marks, at the
    // candidate's row and the item's column, and nothing else.
    let (headers, rows) = read_csv(&out.join("items.csv"));
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let mut filled = 0;
    for station in scored {
        let sheet = book.worksheet_range(&format!("items {station}")).expect("sheet");
        let cells: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            cells[0][..3],
            [
                Data::from("candidate_id"),
                Data::from("examiner"),
                Data::from("device")
            ]
        );
        for row in rows.iter().filter(|r| r[at("station")] == station) {
            let line = cells
                .iter()
                .position(|c| {
                    c[..3]
                        == [
                            Data::from(row[at("candidate_id")].as_str()),
                            Data::from(row[at("examiner")].as_str()),
                            Data::from(row[at("device")].as_str()),
                        ]
                })
                .unwrap_or_else(|| panic!("a row for {row:?}"));
            let column = cells[0]
                .iter()
                .position(|h| h == &Data::from(row[at("item")].as_str()))
                .unwrap_or_else(|| panic!("a column for {row:?}"));
            let expected = match (row[at("marks")].as_str(), row[at("level")].as_str()) {
                ("", "") => Data::Empty,
                ("", level) => Data::from(level),
                (marks, _) => Data::Float(marks.parse().expect("marks")),
            };
            assert_eq!(
                cells[line].get(column).unwrap_or(&Data::Empty),
                &expected,
                "{row:?}"
            );
            filled += usize::from(expected != Data::Empty);
        }
        // The global rating's code beside each rating given, a number.
        let code = cells[0]
            .iter()
            .position(|h| h == &Data::from("global_rating_code"));
        if let Some(code) = code {
            for r in &cells[1..] {
                let rated = matches!(r.get(code - 1), Some(Data::String(_)));
                assert_eq!(
                    rated,
                    matches!(r.get(code), Some(Data::Float(_))),
                    "{station}: {r:?}"
                );
            }
        }
        let cells_given = cells[1..]
            .iter()
            .map(|r| {
                r[3..]
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| Some(i + 3) != code && **c != Data::Empty)
                    .count()
            })
            .sum::<usize>();
        let rows_given = rows
            .iter()
            .filter(|r| {
                r[at("station")] == station && (!r[at("marks")].is_empty() || !r[at("level")].is_empty())
            })
            .count();
        assert_eq!(
            cells_given, rows_given,
            "{station}: nothing more than items.csv says"
        );
    }
    assert!(filled > 20, "items are in the workbook: {filled}");
    // docs/export-format.md's example of a station's sheet has its columns.
    let doc = std::fs::read_to_string("docs/export-format.md").expect("doc");
    let example = doc
        .split("### A sheet per station's items")
        .nth(1)
        .and_then(|s| s.split("```csv\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("an example");
    let example: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(example.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(String::from).collect())
        .collect();
    let shoulder = book.worksheet_range("items shoulder").expect("sheet");
    let header: Vec<Data> = example[0].iter().map(|h| Data::from(h.as_str())).collect();
    assert_eq!(shoulder.rows().next().map(<[Data]>::to_vec), Some(header));
    assert!(
        example[1..].iter().all(|r| r.len() == example[0].len()),
        "{example:?}"
    );
    // The neutralised feedback is plain text in the workbook.
    let stations = book.worksheet_range("stations").expect("sheet");
    assert!(
        stations.rows().any(|r| r
            .iter()
            .any(|c| c == &Data::String("-Needs work on =SUM(A1) and @gain".into()))),
        "the feedback as written"
    );
    // A number column holds numbers.
    let results = book.worksheet_range("results").expect("sheet");
    assert!(
        matches!(results.get((1, 2)), Some(Data::Float(_) | Data::Int(_))),
        "{:?}",
        results.get((1, 2))
    );
}

/// E01's sheet (on lap1) for C001 at the shoulder, every item at its top
/// level; submitted if `submit`.
fn c001_shoulder(s: &Path, submit: bool) {
    common::sheet(
        s,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        submit,
        0,
    );
}

/// The cell `column` of C001's shoulder row in the stations.csv exported
/// into `out`.
fn c001_shoulder_cell(out: &Path, column: &str) -> String {
    let (header, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001" && r[col("station_id")] == "shoulder")
        .expect("the shoulder row");
    row[col(column)].clone()
}

/// An examiner started amending a submitted sheet and the laptop died (or
/// they quit) before it was submitted again: until it is, every result
/// uses the sheet as last submitted, and says an amendment is in progress.
#[test]
fn a_sheet_being_amended_counts_as_last_submitted_and_says_so() {
    let dir = Dir::new();
    let s = dir.0.join("s");
    c001_shoulder(&s, true);
    let rubric = common::rubric(OSCE);
    let first = &rubric.station("shoulder").expect("shoulder").items[1];
    common::append(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Mark {
                item: first.id.clone(),
                level: Some(0),
                label: "Not done".into(),
                late: false,
            },
        ],
    );
    let out = dir.0.join("out");
    let (code, said) = export(&[
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "not final while an amendment is open: {said}");
    let cell = |column: &str| c001_shoulder_cell(&out, column);
    assert_eq!(cell("score"), "20", "the submitted score, not the amended marks");
    assert!(
        cell("note").contains("amendment in progress"),
        "the note says so: {:?}",
        cell("note")
    );
    let (_, status) = common::run_osce(&["status", OSCE, "--sessions", s.to_str().expect("utf-8")]);
    assert!(status.contains("amending"), "{status}");
    assert!(
        status.contains("1 sheet is being amended and not submitted again"),
        "status says why it is not final:\n{status}"
    );
    assert!(
        status.contains("Being amended") && status.contains("C001 at shoulder"),
        "{status}"
    );
    assert!(
        status.contains("5 sheets are not in yet."),
        "the amended sheet is in:\n{status}"
    );
}

/// A mark changed in an amendment after submission is the amendment's, not
/// a late mark: items.csv says `late` no and gives who amended the sheet,
/// when and why in its note (as the TUI of an earlier version recorded
/// such marks as late, the export does not take the journal's word for
/// it); stations.csv's note gives the amendment too.
#[test]
fn a_mark_changed_in_an_amendment_says_so_and_is_not_late() {
    let dir = Dir::new();
    let s = dir.0.join("s");
    c001_shoulder(&s, true);
    let rubric = common::rubric(OSCE);
    let item = rubric.station("shoulder").expect("shoulder").items[1].id.clone();
    common::append(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        vec![
            Event::AmendStarted {
                reason: "mark entered against the wrong item".into(),
            },
            Event::Mark {
                item: item.clone(),
                level: Some(0),
                label: "Not done".into(),
                late: true,
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    let out = dir.0.join("out");
    export(&[
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("items.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r[col("station")] == "shoulder" && r[col("item")] == id)
            .unwrap_or_else(|| panic!("a row for {id}"))
    };
    let amended = row(&item);
    assert_eq!(amended[col("level")], "Not done");
    assert_eq!(amended[col("late")], "no");
    assert_eq!(
        amended[col("note")],
        format!(
            "amended after submission by E01 at {}: mark entered against the wrong item",
            common::at(30).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        )
    );
    let first = &rubric.station("shoulder").expect("shoulder").items[0].id;
    assert_eq!(row(first)[col("note")], "", "marked before the amendment");
    let note = c001_shoulder_cell(&out, "note");
    assert!(
        note.contains("amended after submission by E01 at")
            && note.contains("mark entered against the wrong item"),
        "{note}"
    );
    // Imported again (a paper round trip), the amendment's note is not
    // taken for a note written beside the mark.
    let paper = dir.0.join("paper");
    let (code, said) = common::run_osce(&[
        "import",
        OSCE,
        out.join("items.csv").to_str().expect("utf-8"),
        "--examiner",
        "E01",
        "--sessions",
        paper.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let mut found = Vec::new();
    let mut todo = vec![paper.clone()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("folder").flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                found.push(std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    assert!(
        found.iter().any(|t| t.contains("\"type\":\"mark\"")),
        "imported: {said}"
    );
    assert!(
        !found.iter().any(|t| t.contains("amended after submission")),
        "{found:?}"
    );
}

/// Times in the exports are to the second, whatever the journal recorded
/// (a laptop's clock gives nanoseconds): moderation.csv's sign-off here.
#[test]
fn exported_times_are_to_the_second() {
    let dir = Dir::new();
    let s = dir.0.join("s");
    c001_shoulder(&s, true);
    let r = common::rubric(OSCE);
    let (mut journal, _) = Store::new(&s)
        .open_moderation(&r.id, "EA1", "ea-laptop", &common::hash(OSCE))
        .expect("open");
    let when = common::at(60) + chrono::Duration::nanoseconds(123_456_789);
    journal
        .append(
            Event::SignedOff {
                summary: "nothing to change".into(),
            },
            when,
        )
        .expect("append");
    drop(journal);
    let out = dir.0.join("out");
    export(&[
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("moderation.csv"));
    let time = header.iter().position(|h| h == "time").expect("time");
    let times: Vec<&str> = rows.iter().map(|r| r[time].as_str()).collect();
    assert!(
        times.contains(
            &common::at(60)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                .as_str()
        ),
        "{times:?}"
    );
}

/// A global rating changed and the change undone: items.csv gives the
/// record and time of the rating in effect, not of the undone one.
#[test]
fn the_global_rating_row_traces_the_rating_in_effect() {
    let dir = Dir::new();
    let s = dir.0.join("s");
    c001_shoulder(&s, false);
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap1");
    let path = Store::new(&s).sheet_path(&key).expect("path");
    let journal = std::fs::read_to_string(&path).expect("journal");
    // The rating is the last record written, one a line.
    let rated = journal.lines().count() as u64;
    assert!(journal.lines().last().expect("a line").contains("global_rating"));
    common::append(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        vec![
            Event::GlobalRating {
                level: 0,
                label: "Clear fail".into(),
                late: false,
            },
            Event::Undo { undoes: rated + 1 },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Incomplete,
            },
        ],
    );
    let out = dir.0.join("out");
    export(&[
        OSCE,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("items.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("station")] == "shoulder" && r[col("item")] == "global_rating")
        .expect("the global rating's row");
    assert_ne!(row[col("level")], "Clear fail", "{row:?}");
    assert_eq!(row[col("record")], rated.to_string(), "{row:?}");
    assert_eq!(
        row[col("time")],
        common::at(0).to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        "{row:?}"
    );
}

/// The examiner's reasons reach the people who act on them: why an item
/// was left unmarked (given at submission) beside it in `status`, `status
/// --problems` (where the ruling is asked for), stations.csv's note and
/// items.csv; and why the timer was paused, in stations.csv's note and the
/// audit.
#[test]
fn examiners_reasons_for_unmarked_items_and_pauses_are_shown() {
    use osce::store::TimerAction;
    let dir = Dir::new();
    let s = dir.0.join("s");
    c001_shoulder(&s, false);
    let item = common::rubric(OSCE).station("shoulder").expect("shoulder").items[2]
        .id
        .clone();
    let key = common::sheet_key(OSCE, "shoulder", "C001", "E01@lap1");
    let (mut j, _) = Store::new(&s)
        .open_sheet(&key, &common::hash(OSCE))
        .expect("open");
    let seq = j
        .records()
        .iter()
        .find(|r| matches!(&r.event, Event::Mark { item: i, .. } if *i == item))
        .expect("marked")
        .seq;
    let timer = |action, elapsed_ms| Event::Timer {
        action,
        elapsed_ms,
        due: None,
    };
    let t = common::at(1);
    let s10 = chrono::Duration::seconds(10);
    for (event, when) in [
        (timer(TimerAction::Start, 0), t),
        (
            timer(
                TimerAction::Pause {
                    reason: String::new(),
                },
                190_000,
            ),
            t + s10 * 19,
        ),
        (
            timer(
                TimerAction::PauseReason {
                    reason: "model felt faint".into(),
                },
                190_000,
            ),
            t + s10 * 20,
        ),
        (
            timer(TimerAction::Resume, 190_000),
            t + s10 * 19 + chrono::Duration::seconds(42),
        ),
        (Event::Undo { undoes: seq }, common::at(5)),
        (
            Event::MissingReason {
                what: osce::store::Unmarked::item(&item),
                reason: "candidate ran out of time before the LHB".into(),
            },
            common::at(5),
        ),
    ] {
        j.append(event, when).expect("append");
    }
    let done = common::submitted(&j, OSCE);
    j.append(done, common::at(6)).expect("submit");
    drop(j);
    let f = s.to_str().expect("utf-8");
    let reason = "the examiner's reason: candidate ran out of time before the LHB";
    let (_, status) = common::run_osce(&["status", OSCE, "--sessions", f]);
    let line = status
        .lines()
        .find(|l| l.contains(&format!("item {item} on E01@lap1's sheet")))
        .unwrap_or_else(|| panic!("{status}"));
    assert!(line.contains(reason), "{line}");
    let (_, problems) = common::run_osce(&["status", OSCE, "--sessions", f, "--problems"]);
    let line = problems
        .lines()
        .find(|l| l.contains(&format!("item {item} left unmarked")))
        .unwrap_or_else(|| panic!("{problems}"));
    assert!(line.contains(reason), "{line}");

    let out = dir.0.join("out");
    export(&[OSCE, "--sessions", f, "--out", out.to_str().expect("utf-8")]);
    let cell = |column: &str| c001_shoulder_cell(&out, column);
    let note = &cell("note");
    assert!(
        note.contains(&format!(
            "left unmarked: {item} (candidate ran out of time before the LHB)"
        )),
        "{note}"
    );
    assert!(note.contains("paused 0:42 at 3:10: model felt faint"), "{note}");
    let (header, rows) = read_csv(&out.join("items.csv"));
    assert_eq!(header.last().map(String::as_str), Some("note"));
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("station")] == "shoulder" && r[col("item")] == item)
        .expect("a row for the item left unmarked");
    assert_eq!(row[col("level")], "");
    assert_eq!(row[col("note")], "candidate ran out of time before the LHB");
    // Imported again, the item is left blank with the examiner's reason.
    let paper = dir.0.join("paper");
    let (code, said) = common::run_osce(&[
        "import",
        OSCE,
        out.join("items.csv").to_str().expect("utf-8"),
        "--examiner",
        "E01",
        "--sessions",
        paper.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let (_, status) = common::run_osce(&["status", OSCE, "--sessions", paper.to_str().expect("utf-8")]);
    assert!(status.contains(reason), "{status}");

    let (_, audit) = common::run_osce(&["audit", OSCE, "--sessions", f]);
    assert!(
        audit.contains(&format!("{item}: candidate ran out of time before the LHB")),
        "{audit}"
    );
    assert!(audit.contains("paused 0:42 at 3:10: model felt faint"), "{audit}");

    // The item marked in an amendment: the audit still lists what the
    // first submission left unmarked and why, said as marked since.
    let (mut j, _) = Store::new(&s)
        .open_sheet(&key, &common::hash(OSCE))
        .expect("open");
    j.append(
        Event::AmendStarted {
            reason: "the LHB was seen after all".into(),
        },
        common::at(8),
    )
    .expect("amend");
    j.append(
        Event::Mark {
            item: item.clone(),
            level: Some(2),
            label: "Done".into(),
            late: false,
        },
        common::at(8),
    )
    .expect("mark");
    let done = common::submitted(&j, OSCE);
    j.append(done, common::at(9)).expect("submit");
    drop(j);
    let (_, audit) = common::run_osce(&["audit", OSCE, "--sessions", f]);
    assert!(
        audit.contains(&format!(
            "{item}: candidate ran out of time before the LHB (marked since, in an amendment)"
        )),
        "{audit}"
    );
}

/// Asked for the standard-set pass marks where standard setting cannot set
/// them (two candidates: too few for a regression), export
/// says which stations keep their provisional pass mark and why, and the
/// rows say the provisional one applied.
#[test]
fn standard_set_pass_marks_that_cannot_be_set_are_said_station_by_station() {
    let (d, sessions) = cohort();
    let out = d.0.join("out");
    let (code, said) = export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--pass-marks",
        "standard-set",
    ]);
    assert!(code == 0 || code == 1, "{said}");
    let (rubric, _) = load(Path::new(OSCE)).expect("valid");
    for station in rubric.scored_stations() {
        let line = said
            .lines()
            .find(|l| {
                l.contains(&format!(
                    "station '{}' keeps its provisional pass mark",
                    station.title
                ))
            })
            .unwrap_or_else(|| panic!("{}: {said}", station.id));
        assert!(line.starts_with("note: --pass-marks standard-set: "), "{line}");
        assert!(
            line.contains(
                "borderline regression cannot set it (only 2 candidates with data; at least 3 are needed)"
            ),
            "{line}"
        );
    }
    let (header, rows) = read_csv(&out.join("stations.csv"));
    let source = header
        .iter()
        .position(|h| h == "pass_mark_source")
        .expect("column");
    assert!(
        rows.iter().all(|r| r[source].starts_with("provisional")),
        "{rows:?}"
    );
}

/// A candidate on the roster with no sheet at all has no total in
/// results.csv: an empty cell, never a 0 that reads as marks earned (as
/// stations.csv leaves their scores empty).
#[test]
fn a_candidate_with_no_sheet_has_no_total_not_a_zero() {
    let (d, sessions) = cohort();
    let roster = d.0.join("roster.csv");
    std::fs::write(
        &roster,
        "candidate_id,name\nC001,Aisha Khan\nC002,Someone\nC003,Not Here\n",
    )
    .expect("roster");
    let out = d.0.join("export");
    let (_, text) = export(&[
        OSCE,
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--roster",
        roster.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (headers, rows) = read_csv(&out.join("results.csv"));
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let c3 = rows
        .iter()
        .find(|r| r[0] == "C003")
        .unwrap_or_else(|| panic!("C003: {text}"));
    assert_eq!(
        (
            c3[col("total")].as_str(),
            c3[col("percent")].as_str(),
            c3[col("maximum")].as_str()
        ),
        ("", "", "99"),
        "{c3:?}"
    );
    let c1 = rows.iter().find(|r| r[0] == "C001").expect("C001");
    assert_eq!(c1[col("total")], "99");
}

/// The practical exam's stations have a soft time-up and no changeover.
/// An examiner who moved on after the time-up (`a`) and then submitted:
/// the station's end and its overrun are in stations.csv (journals written
/// before the end was recorded with the move on have no `end` record).
#[test]
fn a_soft_time_up_moved_on_with_no_changeover_keeps_its_end_and_overrun() {
    use osce::store::{PhaseName, TimerAction};
    let changeover = TimerAction::Phase {
        phase: PhaseName::Changeover,
    };
    let (t, row) = timed_row(
        "rubrics/msk-practical-exam.ron",
        "physics",
        vec![
            (TimerAction::Start, 0, 0, None),
            (TimerAction::TimeUp, 600, 600, None),
            (TimerAction::Advance, 606, 606, None),
            (changeover, 606, 606, None),
        ],
    );
    let ended = (t + chrono::Duration::seconds(606)).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    assert_eq!(
        (row["ended"].as_str(), row["overrun_seconds"].as_str()),
        (ended.as_str(), "6"),
        "{row:?}"
    );
}

/// The stations.csv row of C001 at `station`, exported from a sheet with
/// full marks whose timer recorded `timer` (action, timer time, when
/// written and when it fell due if written late, in seconds from the time
/// returned), submitted 700 s after that time.
fn timed_row(
    rubric: &str,
    station: &str,
    timer: Vec<(osce::store::TimerAction, u64, i64, Option<i64>)>,
) -> (chrono::DateTime<Utc>, std::collections::HashMap<String, String>) {
    let dir = Dir::new();
    let s = dir.0.join("s");
    common::sheet(
        &s,
        rubric,
        station,
        "C001",
        "E01@lap1",
        common::Marks::Top,
        false,
        0,
    );
    let key = common::sheet_key(rubric, station, "C001", "E01@lap1");
    let (mut j, _) = Store::new(&s)
        .open_sheet(&key, &common::hash(rubric))
        .expect("open");
    let t = common::at(1);
    let secs = chrono::Duration::seconds;
    for (action, elapsed_s, when, due) in timer {
        let event = Event::Timer {
            action,
            elapsed_ms: elapsed_s * 1000,
            due: due.map(|d| t + secs(d)),
        };
        j.append(event, t + secs(when)).expect("append");
    }
    let done = common::submitted(&j, rubric);
    j.append(done, t + secs(700)).expect("submit");
    drop(j);
    let out = dir.0.join("out");
    export(&[
        rubric,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (header, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = rows
        .iter()
        .find(|r| r[col("candidate_id")] == "C001" && r[col("station_id")] == station)
        .expect("the station's row");
    (t, header.iter().cloned().zip(row.iter().cloned()).collect())
}

/// In a circuit timed by its clock a timer started 90 s into the round
/// follows the round: its start records how far into it, and `started` is
/// when the round (the candidate's time) began, not the key press.
#[test]
fn a_timer_started_late_in_a_clocked_round_exports_the_rounds_start() {
    use osce::store::{PhaseName, TimerAction};
    let station = TimerAction::Phase {
        phase: PhaseName::Station,
    };
    let (t, row) = timed_row(
        OSCE,
        "knee",
        vec![(TimerAction::Start, 90, 90, None), (station, 90, 90, None)],
    );
    let began = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    assert_eq!(row["started"], began, "{row:?}");
}

/// An end written late, after a restart (its `due` when it fell due): the
/// export's `ended` is when it fell due, not when it was written.
#[test]
fn a_timer_end_written_late_is_exported_when_it_fell_due() {
    use osce::store::TimerAction;
    let (t, row) = timed_row(
        OSCE,
        "knee",
        vec![
            (TimerAction::Start, 0, 0, None),
            (TimerAction::End, 720, 690, Some(720)),
        ],
    );
    let fell_due = (t + chrono::Duration::seconds(720)).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    assert_eq!(row["ended"], fell_due, "{row:?}");
}

/// A station double-marked with two global ratings: the station's rating
/// in stations.csv is the first marker's (as standard setting uses it),
/// and the note says so and what the other marker gave. With the same
/// rating from both, nothing more is said.
#[test]
fn a_double_marked_stations_two_global_ratings_are_both_in_its_note() {
    let d = Dir::new();
    let s = d.0.join("sessions");
    let osce = "rubrics/msk-ultrasound-osce.ron";
    common::sheet(&s, osce, "knee", "C001", "E01@lap1", common::Marks::Top, true, 0);
    common::sheet(
        &s,
        osce,
        "knee",
        "C001",
        "E02@lap2",
        common::Marks::LoseFirst(1),
        true,
        1,
    );
    common::sheet(&s, osce, "ankle", "C001", "E01@lap1", common::Marks::Top, true, 0);
    common::sheet(&s, osce, "ankle", "C001", "E02@lap2", common::Marks::Top, true, 1);
    let out = d.0.join("export");
    let (_, text) = export(&[
        osce,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (headers, rows) = read_csv(&out.join("stations.csv"));
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let row = |station: &str| {
        rows.iter()
            .find(|r| r[col("station_id")] == station)
            .unwrap_or_else(|| panic!("{station}: {text}"))
    };
    let knee = row("knee");
    assert_eq!(knee[col("global_rating")], "Excellent", "{knee:?}");
    assert!(
        knee[col("note")].contains("double-marked (E01 ")
            && knee[col("note")]
                .contains("; global rating E01's Excellent (the first marker's); E02 gave Borderline"),
        "{knee:?}"
    );
    let ankle = row("ankle");
    assert!(
        ankle[col("note")].contains("double-marked (E01 ") && !ankle[col("note")].contains("global rating"),
        "{ankle:?}"
    );
}

/// A roster saved with its accents decomposed (as some programs on a Mac
/// save them) gives the same names, byte for byte, as one saved composed:
/// names are taken in Unicode's composed form (NFC), as ids are.
#[test]
fn a_roster_name_with_decomposed_accents_is_exported_composed() {
    let d = common::Dir::new("export-nfc-names");
    let folder = d.sub("s");
    common::sheet(
        &folder,
        common::OSCE,
        "knee",
        "C001",
        "E01@lap",
        common::Marks::Top,
        true,
        0,
    );
    let mut names = Vec::new();
    for (file, name) in [
        ("nfd.csv", "E\u{301}milie Lefe\u{300}vre"),
        ("nfc.csv", "\u{c9}milie Lef\u{e8}vre"),
    ] {
        let roster = d.0.join(file);
        std::fs::write(&roster, format!("candidate_id,name\nC001,{name}\n")).expect("roster");
        let out = d.0.join(format!("out-{file}"));
        common::run_osce(&[
            "export",
            common::OSCE,
            "--sessions",
            folder.to_str().expect("utf-8"),
            "--roster",
            roster.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        let rows = common::csv_rows(&out.join("results.csv"));
        names.push(rows[1][1].clone());
    }
    assert_eq!(names[0], names[1]);
    assert_eq!(names[1], "\u{c9}milie Lef\u{e8}vre");
}

/// A station failed for more than one reason is listed with each: a
/// critical item missed does not hide the score below the pass mark (or an
/// entrustment level below the one needed): the first reason alone was
/// given.
#[test]
fn a_station_failed_for_two_reasons_lists_both() {
    let dir = common::Dir::new("export-two-reasons");
    let s = dir.sub("s");
    common::candidate(&s, common::OSCE, "C001", "E01@lap1", common::Marks::Bottom);
    let reasons = &first_reasons(&dir, &s);
    let listed = reasons
        .split("(failed: ")
        .nth(1)
        .unwrap_or_else(|| panic!("a list of failed stations in {reasons}"));
    let first = listed
        .split(", Knee — ")
        .next()
        .expect("the first station's entry");
    assert_eq!(
        first,
        "Shoulder — critical item 'Confirms patient identity and obtains verbal consent' marked 'Not done' and \
         critical item 'Cleans the probe after the scan' marked 'Not done' and score 0 of 20 is below the pass \
         mark 12",
        "every reason for the first station"
    );
}

/// The list of stations failed gives the reasons the marks failed each
/// for, not the notes on how its result was reached: at a station whose
/// third marker's result counts, not "double-marked, … a third marker's
/// result counts".
#[test]
fn the_failed_list_gives_no_note_on_how_a_result_was_reached() {
    let dir = common::Dir::new("export-third-marker-reasons");
    let s = dir.sub("s");
    // Knee failed on its score, and Shoulder on the third marker's: four
    // stations of six passed, where five are needed.
    for station in ["knee", "ankle", "elbow", "physics", "professional"] {
        let marks = if station == "knee" {
            common::Marks::LoseFirst(8)
        } else {
            common::Marks::Top
        };
        common::sheet(&s, common::OSCE, station, "C001", "E01@lap1", marks, true, 0);
    }
    common::sheet(
        &s,
        common::OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        0,
    );
    common::sheet(
        &s,
        common::OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        common::Marks::LoseFirst(6),
        true,
        5,
    );
    common::sheet(
        &s,
        common::OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        common::Marks::LoseFirst(8),
        true,
        9,
    );
    let reasons = &first_reasons(&dir, &s);
    let listed = reasons
        .split("(failed: ")
        .nth(1)
        .and_then(|l| l.split(')').next())
        .unwrap_or_else(|| panic!("a list of failed stations in {reasons}"));
    assert!(
        listed.starts_with("Shoulder — score ") && listed.contains("Knee — score "),
        "{listed}"
    );
    assert!(
        !listed.contains("third marker") && !listed.contains("double-marked"),
        "{listed}"
    );
}

/// The `reasons` of the first candidate in results.csv, exported from the
/// sessions folder `s` (of the OSCE) into `dir`'s `out`.
fn first_reasons(dir: &common::Dir, s: &Path) -> String {
    first_reasons_of(common::OSCE, dir, s)
}

/// [`first_reasons`] of the sessions of `rubric`.
fn first_reasons_of(rubric: &str, dir: &common::Dir, s: &Path) -> String {
    let out = dir.0.join("out");
    let (code, said) = common::run_osce(&[
        "export",
        rubric,
        "--sessions",
        s.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(code == 0 || code == 1, "{said}");
    let rows = common::csv_rows(&out.join("results.csv"));
    let col = rows[0].iter().position(|c| c == "reasons").expect("reasons");
    rows[1][col].clone()
}

/// A final clinical assessment's candidate with one case in and the rest
/// not: the reasons say which cases have no sheet yet and which waits for
/// its result, not "3 not yet decided" alone, nor the critical items of
/// cases never marked counted as "not yet marked".
#[test]
fn an_incomplete_result_names_the_cases_it_waits_for() {
    let dir = common::Dir::new("incomplete-names");
    let s = dir.sub("s");
    common::sheet(
        &s,
        common::FCA,
        "case-1",
        "C001",
        "E01@lap",
        common::Marks::Top,
        true,
        10,
    );
    let reasons = &first_reasons_of(common::FCA, &dir, &s);
    let rubric = common::rubric(common::FCA);
    let others: Vec<String> = rubric
        .scored_stations()
        .filter(|st| st.id != "case-1")
        .map(|st| format!("'{}'", st.title))
        .collect();
    assert!(
        reasons.contains(&format!("; no sheet yet for {};", others.join(", "))),
        "{reasons}"
    );
    assert!(!reasons.contains("critical items not yet marked"), "{reasons}");
    // Said once, whichever rule finds it.
    assert_eq!(reasons.matches("no sheet yet for").count(), 1, "{reasons}");
}

/// A final clinical assessment's parts are cases, and every text its
/// users read says so: the reasons in results.csv, the status, the
/// candidates' feedback and the rubric's summary, where they said
/// "station" (`0 of 6 stations passed`, `at station 'Case 2'`).
#[test]
fn a_final_clinical_assessment_speaks_of_cases() {
    let dir = common::Dir::new("fca-cases");
    let s = dir.sub("s");
    let rubric = common::rubric(common::FCA);
    for (case, marks) in [("case-1", common::Marks::Top), ("case-2", common::Marks::Bottom)] {
        common::sheet(&s, common::FCA, case, "C001", "E01@lap", marks, true, 10);
    }
    for (n, case) in rubric.scored_stations().enumerate() {
        common::sheet(
            &s,
            common::FCA,
            &case.id,
            "C002",
            "E02@lap",
            common::Marks::Top,
            true,
            20 + n as i64,
        );
    }
    let sessions = s.to_str().expect("utf-8");
    let out = dir.0.join("out");
    let (code, said) = common::run_osce(&[
        "export",
        common::FCA,
        "--sessions",
        sessions,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{said}");
    let rows = common::csv_rows(&out.join("results.csv"));
    let col = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    let case_2 = &rubric.stations[1].title;
    let c001 = &rows[1][col("reasons")];
    assert!(c001.contains(&format!("at case '{case_2}'")), "{c001}");
    // Before moderation a candidate whose every case the examiners passed
    // reads as waiting, not failing: what is passed so far and what the
    // examiners' marks give, the cases awaiting moderation said once.
    let c002 = &rows[2][col("reasons")];
    assert!(
        c002.starts_with("0 of 6 cases passed so far, 6 not yet decided; at least 6 (all) needed"),
        "{c002}"
    );
    assert!(
        c002.contains("; the examiners' marks pass 6 of these 6"),
        "{c002}"
    );
    assert_eq!(c002.matches("not yet moderated").count(), 1, "{c002}");
    // Nor named again as having no result yet.
    assert!(!c002.contains("no result yet at"), "{c002}");
    for row in &rows[1..] {
        for name in ["reasons", "moderation_status", "provisional"] {
            assert!(
                !row[col(name)].to_lowercase().contains("station"),
                "{name}: {}",
                row[col(name)]
            );
        }
    }

    let (_, status) = common::run_osce(&["status", common::FCA, "--sessions", sessions]);
    assert!(
        status.contains("case results moderated (one per candidate and case"),
        "{status}"
    );
    assert!(
        status.contains("Components assessed outside the cases"),
        "{status}"
    );

    let feedback = dir.0.join("feedback");
    let (code, said) = common::run_osce(&[
        "feedback",
        common::FCA,
        "--sessions",
        sessions,
        "--out",
        feedback.to_str().expect("utf-8"),
    ]);
    assert!(code == 0 || code == 1, "{said}");
    for who in ["C001", "C002"] {
        let page = std::fs::read_to_string(feedback.join(format!("{who}.md"))).expect("feedback");
        assert!(!page.to_lowercase().contains("station"), "{page}");
    }

    let (code, shown) = common::run_osce(&["show", common::FCA]);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("Every case passed (6 of 6)."), "{shown}");
    assert!(!shown.to_lowercase().contains("station"), "{shown}");
}
