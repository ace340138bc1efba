//! Fixtures shared by the tests that need session folders written through
//! the real store.
#![allow(dead_code)]

pub mod tmux;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, TimeZone, Utc};
use osce::rubric::{Rubric, load};
use osce::store::{Event, SheetKey, Store, hash_rubric};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// How many cases a property test runs: `PROPTEST_CASES` when set (the
/// long runs for release checks, docs/reliability.md), else `default`.
/// (A test that names its own number of cases would otherwise ignore the
/// variable.)
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A temporary folder, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(tag: &str) -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("osce-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    pub fn sub(&self, name: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(&p).expect("sub dir");
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const OSCE: &str = "rubrics/msk-ultrasound-osce.ron";
pub const FCA: &str = "rubrics/msk-final-clinical-assessment.ron";
pub const PRACTICAL: &str = "rubrics/msk-practical-exam.ron";

/// The practical exam with double marking reconciled by the markers'
/// agreed mark (over one mark apart), written into `dir`: its path, kept
/// for the whole test run (the moderation screen's harness holds it).
pub fn practical_double_marked(dir: &Path) -> &'static str {
    let text = std::fs::read_to_string(PRACTICAL).expect("rubric");
    assert!(
        text.contains("\n    moderation:") && !text.contains("double_marking"),
        "the practical exam as expected"
    );
    let text = text.replace(
        "\n    moderation:",
        "\n    double_marking: (mode: Optional, discrepancy: Marks(1), reconcile: AgreedMark),\n    moderation:",
    );
    let path = dir.join("practical-double.ron");
    std::fs::write(&path, text).expect("write");
    Box::leak(path.to_str().expect("utf-8").to_string().into_boxed_str())
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time")
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

pub fn hash(rubric: &str) -> String {
    hash_rubric(&std::fs::read_to_string(rubric).expect("rubric"))
}

pub fn rubric(path: &str) -> Rubric {
    load(Path::new(path)).expect("valid rubric").0
}

/// How a fixture sheet is marked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Marks {
    /// Every item at its top level, the top global rating.
    Top,
    /// Every item at its lowest level (critical ones too), the lowest
    /// global rating.
    Bottom,
    /// Every item at its top level but the first `n` non-critical items at
    /// their lowest; the global rating at the scale's borderline level
    /// where it has one.
    LoseFirst(usize),
}

/// Writes one sheet through the store (`who` is `examiner@device`), opened
/// at minute `minute`; submitted if `submit`. Returns the journal's path.
#[allow(clippy::too_many_arguments)]
pub fn sheet(
    folder: &Path,
    rubric_path: &str,
    station: &str,
    candidate: &str,
    who: &str,
    marks: Marks,
    submit: bool,
    minute: i64,
) -> PathBuf {
    let rubric = rubric(rubric_path);
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    let key = SheetKey {
        assessment: rubric.id.clone(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: device.into(),
    };
    let (mut journal, _) = Store::new(folder)
        .open_sheet(&key, &hash(rubric_path))
        .expect("open");
    let when = at(minute);
    journal
        .append(
            Event::Confirmed {
                candidate_name: format!("Name of {candidate}"),
            },
            when,
        )
        .expect("append");
    let st = rubric.station(station).expect("station");
    let mut lost = 0;
    for item in &st.items {
        let scale = rubric.scale(item.scale);
        let top = scale.levels.len() - 1;
        let level = match marks {
            Marks::Top => top,
            Marks::Bottom => 0,
            Marks::LoseFirst(n) => {
                if item.critical == osce::rubric::Critical::No && lost < n {
                    lost += 1;
                    0
                } else {
                    top
                }
            }
        };
        journal
            .append(
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(level),
                    label: scale.levels[level].label.clone(),
                    late: false,
                },
                when,
            )
            .expect("append");
    }
    if let Some(g) = &st.global_rating {
        let scale = rubric.scale(g.scale);
        let level = match marks {
            Marks::Top => scale.levels.len() - 1,
            Marks::Bottom => 0,
            Marks::LoseFirst(_) => scale.borderline.unwrap_or(scale.levels.len() - 1),
        };
        journal
            .append(
                Event::GlobalRating {
                    level,
                    label: scale.levels[level].label.clone(),
                    late: false,
                },
                when,
            )
            .expect("append");
    }
    if submit {
        let event = submitted(&journal, rubric_path);
        journal.append(event, when).expect("append");
    }
    journal.path().to_path_buf()
}

/// Candidate C001 at the final clinical assessment's case 1, marked by
/// two examiners 4 marks apart: over the rubric's discrepancy threshold,
/// so waiting for an agreed mark.
pub fn markers_apart(folder: &Path) {
    sheet(folder, FCA, "case-1", "C001", "E01@lap1", Marks::Top, true, 0);
    sheet(
        folder,
        FCA,
        "case-1",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(4),
        true,
        1,
    );
}

/// Appends events to an existing sheet.
pub fn append(
    folder: &Path,
    rubric_path: &str,
    station: &str,
    candidate: &str,
    who: &str,
    events: Vec<Event>,
) {
    let rubric = rubric(rubric_path);
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    let key = SheetKey {
        assessment: rubric.id.clone(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: device.into(),
    };
    let (mut journal, _) = Store::new(folder)
        .open_sheet(&key, &hash(rubric_path))
        .expect("open");
    for e in events {
        // A submission scores the sheet as it stands.
        let e = match e {
            Event::Submitted { .. } => submitted(&journal, rubric_path),
            e => e,
        };
        journal.append(e, at(30)).expect("append");
    }
}

/// Every scored station of a rubric, marked for one candidate.
pub fn candidate(folder: &Path, rubric_path: &str, candidate: &str, who: &str, marks: Marks) {
    let r = rubric(rubric_path);
    for st in r.scored_stations() {
        sheet(folder, rubric_path, &st.id, candidate, who, marks, true, 0);
    }
}

/// The `submitted` record the sheet's records so far give (the score, the
/// maximum and the outcome its marks earn). A submission with any other
/// score is a sign of an edited journal, which every reader refuses.
pub fn submitted(journal: &osce::store::Journal, rubric_path: &str) -> Event {
    let rubric = rubric(rubric_path);
    let station = rubric.station(&journal.key().station).expect("station");
    osce::store::SheetState::replay(journal.records())
        .submission(&rubric, station)
        .expect("the sheet fits the rubric")
}

/// Assessor `assessor` on `ea-laptop` moderates the sample of the sheets
/// in `folder` that the rubric's sampling takes whatever the seed (every
/// fail and every borderline global rating, agreeing with each) and signs
/// the moderation off: where the rubric asks for a sample, results are
/// final only once an assessor has.
pub fn signed_off(folder: &Path, rubric_path: &str, assessor: &str) {
    signed_off_seeing(folder, &[folder], rubric_path, assessor);
}

/// [`signed_off`], the assessor's journal in `folder` and the sheets read
/// from `sheets`.
pub fn signed_off_seeing(folder: &Path, sheets: &[&Path], rubric_path: &str, assessor: &str) {
    let r = rubric(rubric_path);
    let hash = hash(rubric_path);
    let folders: Vec<PathBuf> = sheets.iter().map(|f| f.to_path_buf()).collect();
    let cohort = osce::results::gather::gather(&r, &hash, &folders).expect("gather");
    let m = osce::results::gather::matrix(&r, &cohort, None);
    let moderation = osce::results::moderation::gather(&r, &hash, &folders).expect("moderation");
    let standards = osce::results::decisions::gather(&r, &hash, &folders)
        .expect("decisions")
        .standards(&r, &hash)
        .expect("pass marks in force");
    let results = osce::results::reconcile::results(&r, &cohort, &m, &standards, &moderation);
    let (mut journal, _) = Store::new(folder)
        .open_moderation(&r.id, assessor, "ea-laptop", &hash)
        .expect("open");
    for c in &results {
        for (station, d) in &c.stations {
            let borderline = r
                .station(station)
                .and_then(|st| st.global_rating.as_ref())
                .zip(d.result.global_rating.as_ref())
                .is_some_and(|(g, (level, _))| r.scale(g.scale).borderline == Some(*level));
            let fail = d.result.outcome == osce::scoring::StationOutcome::Fail;
            if d.sheets.is_empty() || !(fail || borderline) || d.moderation.is_moderated() {
                continue;
            }
            journal
                .append(
                    Event::Moderated {
                        station: station.clone(),
                        candidate: c.candidate.clone(),
                        sheets: osce::results::moderation::seen(&cohort, &d.sheets),
                        internal: d.result.outcome,
                        decision: osce::store::Decision::Agree,
                        proposed: None,
                        rationale: String::new(),
                    },
                    at(55),
                )
                .expect("append");
        }
    }
    journal
        .append(
            Event::SignedOff {
                summary: "nothing to change".into(),
            },
            at(60),
        )
        .expect("append");
}

/// The journal files under `folder`, sorted.
pub fn journals(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "jsonl") {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// `osce simulate RUBRIC --candidates N --examiners E --seed SEED
/// --sessions FOLDER`, which must succeed.
pub fn simulate_into(rubric: &str, folder: &Path, candidates: usize, examiners: usize, seed: u64) {
    let (code, out) = run_osce(&[
        "simulate",
        rubric,
        "--candidates",
        &candidates.to_string(),
        "--examiners",
        &examiners.to_string(),
        "--seed",
        &seed.to_string(),
        "--sessions",
        folder.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{out}");
}

/// Runs the binary with `args`: its exit code, and what it printed (stdout
/// then stderr).
pub fn run_osce(args: &[&str]) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// The exam board keeps the provisional pass marks of every station the
/// rubric standard-sets, recorded as the README's walk-through does (`osce
/// report --save-standards` with `--station-method STATION=provisional`,
/// then `osce decide pass-marks`, in `folder`): until the pass marks are
/// adopted, a rubric that standard-sets its stations gives no final
/// result. The results stay those the provisional pass marks give.
pub fn adopt_pass_marks(folders: &[&Path], rubric_path: &str) {
    let f: Vec<&str> = folders.iter().map(|f| f.to_str().expect("utf-8")).collect();
    let record = folders[0].with_extension("standards.json");
    let r = record.to_str().expect("utf-8");
    let keep: Vec<String> = rubric(rubric_path)
        .standard_set_stations()
        .map(|s| format!("{}=provisional", s.id))
        .collect();
    let mut args = vec!["report", rubric_path, "--sessions"];
    args.extend(&f);
    args.extend([
        "--save-standards",
        r,
        "--by",
        "Standard-setting panel",
        "--format",
        "markdown",
    ]);
    for k in &keep {
        args.extend(["--station-method", k.as_str()]);
    }
    let (code, out) = run_osce(&args);
    assert!(record.is_file(), "{code}: {out}");
    let mut args = vec!["decide", "pass-marks", rubric_path, "--sessions"];
    args.extend(&f);
    args.extend([
        "--record",
        r,
        "--by",
        "Exam board",
        "--reason",
        "Adopted at the board",
    ]);
    let (code, out) = run_osce(&args);
    assert_eq!(code, 0, "{out}");
}

/// Every row of a CSV file, the header first, read with a CSV parser.
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("a CSV file");
    r.records()
        .map(|x| x.expect("a row").iter().map(str::to_string).collect())
        .collect()
}

/// The key of `who`'s (`examiner@device`) sheet for `candidate` at
/// `station` of the assessment at `rubric_path`.
pub fn sheet_key(rubric_path: &str, station: &str, candidate: &str, who: &str) -> SheetKey {
    let (examiner, device) = who.split_once('@').expect("examiner@device");
    SheetKey {
        assessment: rubric(rubric_path).id,
        station: station.into(),
        candidate: candidate.into(),
        examiner: examiner.into(),
        device: device.into(),
    }
}
