//! The exam quality report: standard setting from the cohort's own data
//! (borderline regression and the borderline group), how reliably the exam
//! measured (Cronbach's α, SEM, generalisability), and stations and
//! examiners that behaved oddly. Every figure, formula and threshold is
//! explained for module leaders in `docs/report.md`.
//!
//! [`build`] computes everything from the results; the [`markdown`],
//! [`csv`] and [`html`] modules write it out, and `osce report` shows it in
//! a terminal.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod svg;

use std::collections::BTreeMap;

use crate::analysis::agreement::DoubleMarking;
use crate::analysis::items::ItemFigures;
use crate::analysis::methods::{self, MethodResult, Methods};
use crate::analysis::stats::{self, Degenerate, GStudy, OneWay};
use crate::results::gather::Cohort;
use crate::results::reconcile::{Again, ExaminersResult, judged_again};
use crate::rubric::{PassMark, PassRule, Rubric};
use crate::scoring::{Outcome, SetMethod, StandardSetMark, Standards, StationOutcome};

/// Why R² cannot be computed where every score at a station is the same.
pub const NO_SPREAD_R2: &str =
    "every candidate has the same score (no spread in scores), so there is nothing to explain";

/// Φ (the G study's dependability for this exam's stations) below this is
/// flagged *concern*, below [`PHI_WATCH`] *watch*: the thresholds of α,
/// since Φ is what a pass/fail decision against a fixed cut relies on.
pub const PHI_CONCERN: f64 = 0.7;
pub const PHI_WATCH: f64 = 0.8;

/// `x`, below `limit`, to two decimals, or as many more as it takes to read
/// below it (0.696 below 0.7, not "0.70, below 0.7").
fn shown_below(x: f64, limit: f64) -> String {
    (2..=6)
        .map(|d| format!("{x:.d$}"))
        .find(|t| t.parse::<f64>().is_ok_and(|v| v < limit))
        .unwrap_or_else(|| format!("{x}"))
}

/// Below this many candidates, figures are unstable: the report warns.
pub const SMALL_COHORT: usize = 50;

/// How serious a flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Worth a look.
    Watch,
    /// Act on it before the exam board.
    Concern,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Watch => "watch",
            Level::Concern => "concern",
        }
    }
}

/// A flag on a figure, in words: what it is and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub level: Level,
    pub text: String,
    pub action: String,
}

pub use crate::analysis::methods::borderline_regression::Regression;

/// One method's pass mark at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodMark {
    /// As `--method` takes it.
    pub id: &'static str,
    pub name: SetMethod,
    pub result: MethodResult,
}

/// A method's headings, for the writers (the same at every station).
#[derive(Debug, Clone, PartialEq)]
pub struct MethodColumns {
    pub id: &'static str,
    pub name: SetMethod,
    pub table: Vec<&'static str>,
    pub csv: Vec<&'static str>,
}

/// What a report is built with besides the sessions: the methods, the
/// method chosen for this run, and the judges' Hofstee bounds.
#[derive(Default)]
pub struct Options {
    pub methods: Methods,
    /// Sets the pass mark of every station the rubric standard-sets by
    /// this method instead of the rubric's (`osce report --method`).
    pub method: Option<SetMethod>,
    pub hofstee: Option<Vec<crate::analysis::hofstee::Judgement>>,
    /// The pass marks in force by decision (`osce decide pass-marks`), or
    /// those of a record being saved: where given, each station's applied
    /// pass mark, the standard-set cut and the counts under it are these,
    /// not the ones the data proposes (which the methods' columns still
    /// show).
    pub adopted: Option<Standards>,
}

/// Examiner `examiner`'s marking at one station against the station's.
#[derive(Debug, Clone, PartialEq)]
pub struct ExaminerAtStation {
    pub examiner: String,
    pub station: String,
    pub n: usize,
    pub mean: f64,
    pub station_mean: f64,
    pub pass_rate: f64,
    pub station_pass_rate: f64,
    /// How far the examiner's mean is from the rest of the station's, in
    /// the station's standard deviations.
    pub difference_sd: Option<f64>,
    pub flag: Option<Flag>,
}

/// Everything about one scored station.
#[derive(Debug, Clone, PartialEq)]
pub struct StationReport {
    pub id: String,
    pub title: String,
    pub max: f64,
    /// Candidates with a complete result here (pass or fail).
    pub n: usize,
    /// Candidates without one (missing, incomplete, absent).
    pub missing: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max_score: Option<f64>,
    /// (global-rating code, score) of every candidate, for the plot.
    pub points: Vec<(f64, f64)>,
    /// The rating codes and labels, lowest first.
    pub grades: Vec<(f64, String)>,
    /// The regression's quality figures (R², slope), whatever method
    /// sets the pass mark.
    pub regression: Result<Regression, String>,
    /// Candidates graded borderline.
    pub graded_borderline: usize,
    /// Every method's pass mark, in the order of [`Report::methods`].
    pub methods: Vec<MethodMark>,
    /// Item analysis: one row per item, in rubric order.
    pub items: Vec<ItemFigures>,
    pub by_examiner: Result<OneWay, Degenerate>,
    /// With several circuits.
    pub by_circuit: Option<Result<OneWay, Degenerate>>,
    /// The method this station's pass mark is standard-set by, if any:
    /// the rubric's, or the one chosen for the run.
    pub method: Option<SetMethod>,
    /// The provisional pass mark in marks, if standard-set.
    pub provisional: Option<f64>,
    /// The pass mark standard setting gives, by `method` (within 0 to
    /// the maximum; `None` where it cannot be computed or falls outside).
    pub standard_set: Option<f64>,
    pub flags: Vec<Flag>,
}

impl StationReport {
    /// Why standard setting sets no pass mark here, in words, where the
    /// station is standard-set and it sets none: the method's reason (too
    /// few candidates, no slope), or a mark outside the station's range.
    pub fn why_not_set(&self) -> Option<String> {
        let method = self.method.filter(|_| self.standard_set.is_none())?;
        let why = self
            .methods
            .iter()
            .find(|m| m.name == method)
            .and_then(|m| m.result.pass_mark.as_ref().err().cloned())
            .unwrap_or_else(|| "the pass mark it gives falls outside the station's marks".to_string());
        Some(format!("{method} cannot set it ({why})"))
    }
}

/// Whole-exam figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamReport {
    pub candidates: usize,
    /// Candidates with every station complete (listwise: α uses only them).
    pub complete: usize,
    pub alpha: Result<f64, Degenerate>,
    /// By station, in rubric order.
    pub alpha_if_deleted: Vec<(String, Result<f64, Degenerate>)>,
    pub sd_total: Option<f64>,
    pub sem: Option<f64>,
    pub g: Result<GStudy, Degenerate>,
    /// Eρ² and Φ for other numbers of stations: (stations, Eρ², Φ).
    pub d_study: Vec<(usize, Option<f64>, Option<f64>)>,
    /// Totals of candidates with every station complete, for the plot.
    pub totals: Vec<f64>,
    pub total_max: f64,
    /// The cut score under the provisional and the standard-set pass marks.
    pub cut_provisional: Option<f64>,
    pub cut_standard_set: Option<f64>,
    /// The SEM the standard-set cut adds: the adopted (or saved) record's,
    /// where one applies, else this cohort's `sem`.
    pub sem_applied: Option<f64>,
    /// k in "+ k × SEM" where a rule says so.
    pub plus_sem: Option<f64>,
    pub stations_needed: Option<usize>,
    /// (pass, fail, incomplete) under each.
    pub counts_provisional: (usize, usize, usize),
    pub counts_standard_set: (usize, usize, usize),
    /// Why candidates are incomplete, under the pass marks the figures
    /// apply (`Options::adopted`: a record being saved or the adopted one;
    /// else the provisional): each reason, with how many, most common first.
    pub incomplete_reasons: Vec<(String, usize)>,
    pub cohen_cut: Option<f64>,
    /// The Hofstee cut, where the judges' bounds were given: the cut, or
    /// why it cannot be computed.
    pub hofstee: Option<Result<crate::analysis::hofstee::Hofstee, String>>,
    pub examiners: Vec<ExaminerAtStation>,
    /// Whether the examiners' pass rates are at the pass marks a decision
    /// adopted (else at the provisional ones).
    pub examiners_at_adopted: bool,
    /// Double marking: agreement station by station.
    pub double_marking: DoubleMarking,
    pub flags: Vec<Flag>,
}

impl ExamReport {
    /// What the standard-set cut score adds to the sum of the pass marks,
    /// in words, truthfully: "+ k × SEM" only where the SEM was added.
    pub fn sem_words(&self) -> String {
        match (self.plus_sem, self.sem) {
            (Some(k), Some(_)) => format!(" + {} × SEM", crate::scoring::fmt_marks(k)),
            (Some(k), None) => format!(
                " (the rule's + {} × SEM is not added: the SEM cannot be computed)",
                crate::scoring::fmt_marks(k)
            ),
            (None, _) => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub assessment: String,
    /// Whether the rubric leaves any station's pass mark to standard
    /// setting: where it leaves none, there is nothing to adopt, and the
    /// methods' figures are for comparison only.
    pub standard_setting: bool,
    pub stations: Vec<StationReport>,
    /// The standard-setting methods, in the order the tables show them.
    pub methods: Vec<MethodColumns>,
    pub exam: ExamReport,
    /// The standard-set pass marks and SEM, as the engine takes them.
    pub standards: Standards,
    /// The pass marks the exam lead adopted by decision (`osce decide
    /// pass-marks`), in words, where they have; every other command uses
    /// them.
    pub adopted: Option<String>,
    /// Where the report comes from, said on every page.
    pub provenance: Option<Provenance>,
    /// Where the pass marks applied are not those in force: the record
    /// saved by this run (`--save-standards`), in words.
    pub applied: Option<String>,
    /// What the rubric calls its stations (cases in a final clinical
    /// assessment).
    pub noun: crate::rubric::Noun,
}

/// Where a report comes from: when and by whom it was made, from which
/// rubric and which sheets, by which osce.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub generated: chrono::DateTime<chrono::Utc>,
    pub by: String,
    pub rubric_id: String,
    pub rubric_version: String,
    /// The rubric's content hash (`osce check --identity`).
    pub rubric_hash: String,
    /// BLAKE3 of every sheet the figures come from (as the standard-setting
    /// record's `sheets_fingerprint`).
    pub sheets_fingerprint: String,
    pub osce_version: String,
}

impl Provenance {
    /// One line: "Made 2026-12-02 05:10 UTC by lead · rubric msk-us-osce
    /// version 1 (content 1affcbc3d2e1…) · sheets 9c0d12ab34ef… · osce
    /// 0.1.0".
    pub fn line(&self) -> String {
        let short = |h: &str| format!("{}…", &h[..h.len().min(12)]);
        format!(
            "Made {} by {} · rubric {} version {} (content {}) · sheets {} · osce {}",
            self.generated.format("%Y-%m-%d %H:%M UTC"),
            self.by,
            self.rubric_id,
            self.rubric_version,
            short(&self.rubric_hash),
            short(&self.sheets_fingerprint),
            self.osce_version
        )
    }
}

/// One candidate's complete result at one station. Its words are borrowed
/// from the cohort and the roster where they can be: a cohort of 10,000
/// has 200,000 of these.
struct Point<'a> {
    score: f64,
    code: Option<f64>,
    borderline: bool,
    passed: bool,
    examiners: std::borrow::Cow<'a, str>,
    circuit: Option<&'a str>,
    /// Each item's mark (weight × level mark), in rubric order: the mean
    /// over the sheets that count; `None` where one has no mark for it.
    items: Vec<Option<f64>>,
    /// The candidate's row (their place in the cohort's order).
    row: usize,
}

/// How many candidates' results are made at a time (on every core): the
/// report keeps only what it needs of each.
const PART: usize = 256;

/// What the report keeps of one candidate's results: their outcome, and
/// their complete result at each scored station.
struct Row<'a> {
    outcome: Outcome,
    /// Why the result is incomplete, where it is.
    incomplete: Vec<String>,
    /// Each scored station's point, until the station's figures take it.
    stations: Vec<Option<Point<'a>>>,
}

fn row_of<'a>(
    rubric: &Rubric,
    cohort: &'a Cohort,
    c: &ExaminersResult,
    circuits: &'a BTreeMap<String, String>,
) -> Row<'a> {
    let circuit = circuits.get(&c.candidate).map(String::as_str);
    let stations = rubric
        .scored_stations()
        .map(|station| {
            let d = c.stations.get(&station.id)?;
            let r = &d.result;
            // A complete result only: passed or failed with nothing left
            // unmarked. A critical fail decides the station even with an
            // item (or the global rating) left blank, but its score is then
            // partial, and a partial score is not a score: it would pull
            // every figure down (docs/report.md, "Which results are used").
            if !matches!(r.outcome, StationOutcome::Pass | StationOutcome::Fail) || !r.missing.is_empty() {
                return None;
            }
            let (code, borderline) = match (&station.global_rating, &r.global_rating) {
                (Some(g), Some((level, _))) => {
                    let scale = rubric.scale(g.scale);
                    (
                        scale.levels.get(*level).map(|l| l.mark),
                        scale.borderline == Some(*level),
                    )
                }
                _ => (None, false),
            };
            // The sheets whose marks make the score: every marker's (their
            // mean counts), or the third marker's alone where theirs does.
            let third_counts = rubric.double_marking.reconcile == crate::rubric::Reconcile::ThirdMarker
                && d.sheets.len() >= 3
                && d.over_threshold;
            let counting: &[usize] = if third_counts { &d.sheets[2..3] } else { &d.sheets };
            // Whose score it is: the markers whose sheets make it (the same
            // markers are the same pair whoever opened a sheet first; the
            // third marker alone where theirs counts).
            let mut examiners: Vec<&'a str> = counting
                .iter()
                .map(|&i| cohort.sheets[i].key.examiner.as_str())
                .collect();
            examiners.sort_unstable();
            examiners.dedup();
            let examiners = match examiners.as_slice() {
                [one] => std::borrow::Cow::Borrowed(*one),
                several => std::borrow::Cow::Owned(several.join("+")),
            };
            let items = station
                .items
                .iter()
                .map(|item| {
                    let levels = &rubric.scale(item.scale).levels;
                    let marks: Option<Vec<f64>> = counting
                        .iter()
                        .map(|&i| match cohort.sheets[i].state.mark_in_force(&item.id) {
                            Some(crate::scoring::ItemMark::Level(l)) => {
                                levels.get(l).map(|lv| item.weight * lv.mark)
                            }
                            _ => None,
                        })
                        .collect();
                    marks.and_then(|m| stats::mean(&m))
                })
                .collect();
            Some(Point {
                score: r.score,
                code,
                borderline,
                passed: r.outcome == StationOutcome::Pass,
                examiners,
                circuit,
                items,
                row: 0,
            })
        })
        .collect();
    Row {
        outcome: c.result.outcome,
        incomplete: incomplete_reasons(&c.result),
        stations,
    }
}

/// Why a result is incomplete: its reasons that say so.
fn incomplete_reasons(r: &crate::scoring::AssessmentResult) -> Vec<String> {
    if r.outcome != Outcome::Incomplete {
        return Vec::new();
    }
    // The report counts the examiners' marks, before the exam lead's
    // decisions: an absence they decided is not "not yet decided" here.
    let open: Vec<String> = r
        .reasons
        .iter()
        .filter(|x| x.verdict == Outcome::Incomplete)
        .map(|x| {
            x.text.replace(
                ", not yet decided (a fail, or deferred)",
                " (the exam lead's decision, a fail or deferred, not counted here)",
            )
        })
        .collect();
    // "The total waits" says nothing the reasons beside it (what it waits
    // for) do not: counted only where it is the only one.
    let waits = |t: &String| t.starts_with("total so far ");
    if open.iter().any(|t| !waits(t)) {
        open.into_iter().filter(|t| !waits(t)).collect()
    } else {
        open
    }
}

/// A reason with its figures as "…", so that reasons differing only in
/// figures ("total so far 67 of 99") count together: "total so far … of
/// …", which reads as what it is, not as a letter left in by mistake.
fn without_figures(text: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('…');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The most common reasons for incomplete results, with how many: as
/// written where several candidates share one, else with figures as "…".
fn common_reasons(rows: &[&[String]]) -> Vec<(String, usize)> {
    let count = |key: &dyn Fn(&str) -> String| {
        let mut by: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            let mut seen = std::collections::BTreeSet::new();
            for reason in r.iter() {
                if seen.insert(key(reason)) {
                    *by.entry(key(reason)).or_default() += 1;
                }
            }
        }
        let mut list: Vec<(String, usize)> = by.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let exact = count(&|r: &str| r.to_string());
    let mut list = if exact.first().is_some_and(|x| x.1 > 1) {
        exact
    } else {
        // Grouped with their figures left out ("…"); a reason alone in its
        // group keeps them: "…" stands for figures that differ, never
        // for figures hidden.
        count(&without_figures)
            .into_iter()
            .map(|(key, n)| match n {
                1 => exact
                    .iter()
                    .find(|(r, _)| without_figures(r) == key)
                    .map_or((key, n), |(r, _)| (r.clone(), n)),
                _ => (key, n),
            })
            .collect()
    };
    list.truncate(8);
    list
}

/// Builds the report for `candidates`. `results_of` gives some candidates'
/// results (before moderation) under some standards: under none (the
/// provisional pass marks) for the figures, then under the standard-set
/// ones for the counts. Results are made a part of the cohort at a time on
/// every core, and only what the report needs of each is kept.
pub fn build(
    rubric: &Rubric,
    cohort: &Cohort,
    candidates: &[String],
    circuits: &BTreeMap<String, String>,
    double_marking: DoubleMarking,
    results_of: impl Fn(&[String], &Standards) -> Vec<ExaminersResult> + Sync,
) -> Report {
    build_with(
        rubric,
        cohort,
        candidates,
        circuits,
        double_marking,
        &Options::default(),
        results_of,
    )
}

/// [`build`] with other methods, a method chosen for the run, or the
/// judges' Hofstee bounds.
pub fn build_with(
    rubric: &Rubric,
    cohort: &Cohort,
    candidates: &[String],
    circuits: &BTreeMap<String, String>,
    double_marking: DoubleMarking,
    options: &Options,
    results_of: impl Fn(&[String], &Standards) -> Vec<ExaminersResult> + Sync,
) -> Report {
    let parts: Vec<&[String]> = candidates.chunks(PART).collect();
    // Each candidate's row, and what their result is judged from where the
    // second look below can judge it again without scoring their sheets.
    let (mut provisional_rows, again): (Vec<Row>, Vec<Option<Again>>) =
        crate::base::threads::map(parts.clone(), 1, |part| {
            results_of(part, &Standards::default())
                .into_iter()
                .map(|mut c| (row_of(rubric, cohort, &c, circuits), c.again.take()))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .unzip();
    // The reliability first: each station's figures then take its points
    // from the rows rather than copy them.
    let reliability = reliability(rubric, &provisional_rows);
    let (mut stations, mut standards) = station_reports(rubric, &mut provisional_rows, options);
    standards.sem = reliability.sem;
    // The pass marks in force, where they are given: applied as every
    // other command applies them (with the record's SEM).
    if let Some(adopted) = &options.adopted {
        for (s, _) in &mut stations {
            if let Some(m) = adopted.pass_marks.get(&s.id) {
                s.standard_set = Some(m.marks);
                s.method = Some(m.method);
                // Chosen station by station (the board's choice, saved
                // now or adopted): flagged as the report's own method is.
                if let Some(flag) = small_borderline_group(s)
                    && !s.flags.iter().any(|f| f.text == flag.text)
                {
                    s.flags.push(flag);
                }
            }
        }
        standards.pass_marks = adopted.pass_marks.clone();
        standards.sem = adopted.sem.or(reliability.sem);
    }
    let cuts = cut_scores(rubric, &stations, standards.sem);

    let counts_provisional = counts(provisional_rows.iter().map(|r| r.outcome));
    let adopted = options.adopted.is_some();
    let standard_set_outcomes: Vec<(Outcome, Vec<String>, Vec<bool>)> = crate::base::threads::map(
        parts.into_iter().zip(again.chunks(PART)).collect(),
        1,
        |(part, again)| {
            judged_again(rubric, &standards, part, again, |part| {
                results_of(part, &standards)
            })
            .iter()
            .map(|result| {
                // Why incomplete, under the pass marks the figures apply,
                // and which stations pass under them (for the examiners'
                // pass rates).
                let (why, passed) = if adopted {
                    let passed = rubric
                        .scored_stations()
                        .map(|st| {
                            result
                                .stations
                                .iter()
                                .any(|s| s.station == st.id && s.outcome == StationOutcome::Pass)
                        })
                        .collect();
                    (incomplete_reasons(result), passed)
                } else {
                    (Vec::new(), Vec::new())
                };
                (result.outcome, why, passed)
            })
            .collect::<Vec<_>>()
        },
    )
    .into_iter()
    .flatten()
    .collect();
    // With pass marks adopted, the examiners' pass rates are at them: each
    // station's points are its rows' in order.
    if adopted {
        for (j, (_, points)) in stations.iter_mut().enumerate() {
            for point in points {
                if let Some((_, _, passed)) = standard_set_outcomes.get(point.row) {
                    point.passed = passed.get(j).copied().unwrap_or(point.passed);
                }
            }
        }
    }
    let counts_standard_set = counts(standard_set_outcomes.iter().map(|o| o.0));
    let incomplete_reasons = if adopted {
        common_reasons(
            &standard_set_outcomes
                .iter()
                .map(|o| o.1.as_slice())
                .collect::<Vec<_>>(),
        )
    } else {
        common_reasons(
            &provisional_rows
                .iter()
                .map(|r| r.incomplete.as_slice())
                .collect::<Vec<_>>(),
        )
    };

    let examiners = examiner_table(&stations);
    let standard_setting = rubric.standard_set_stations().next().is_some();
    let flags = exam_flags(
        provisional_rows.len(),
        &reliability,
        &cuts,
        (stations.len(), rubric.noun()),
        standard_setting,
    );
    let Reliability {
        complete,
        totals,
        alpha,
        alpha_if_deleted,
        sd_total,
        sem,
        g,
        d_study,
    } = reliability;
    let total_max: f64 = rubric.scored_stations().map(|s| rubric.station_max(s)).sum();
    let hofstee = options
        .hofstee
        .as_ref()
        .map(|judges| hofstee_cut(judges, &totals, total_max));
    let exam = ExamReport {
        candidates: provisional_rows.len(),
        complete,
        alpha,
        alpha_if_deleted,
        sd_total,
        sem,
        g,
        d_study,
        cohen_cut: stats::cohen_cut(&totals, 0.6),
        hofstee,
        totals,
        total_max,
        cut_provisional: cuts.provisional,
        cut_standard_set: cuts.standard_set,
        sem_applied: standards.sem,
        plus_sem: cuts.plus_sem,
        stations_needed: cuts.stations_needed,
        counts_provisional,
        counts_standard_set,
        incomplete_reasons,
        examiners,
        examiners_at_adopted: adopted,
        double_marking,
        flags,
    };
    Report {
        noun: rubric.noun(),
        title: rubric.title.clone(),
        assessment: rubric.id.clone(),
        standard_setting,
        stations: stations.into_iter().map(|(s, _)| s).collect(),
        methods: options
            .methods
            .list
            .iter()
            .map(|m| MethodColumns {
                id: m.id(),
                name: m.name(),
                table: m.table_columns(),
                csv: m.csv_columns(),
            })
            .collect(),
        exam,
        standards,
        adopted: None,
        provenance: None,
        applied: None,
    }
}

/// Each scored station's report with the points it was made from (taken
/// from the rows), and the standard-set pass marks they give (without the
/// SEM yet).
fn station_reports<'a>(
    rubric: &Rubric,
    rows: &mut [Row<'a>],
    options: &Options,
) -> (Vec<(StationReport, Vec<Point<'a>>)>, Standards) {
    let scored = rubric.scored_stations().count();
    // Each station's points, in the rows' order: each row's are moved out
    // and its list freed as it goes, so that they are never held twice.
    let mut by_station: Vec<Vec<Point<'a>>> = (0..scored)
        .map(|j| {
            Vec::with_capacity(
                rows.iter()
                    .filter(|r| r.stations.get(j).is_some_and(Option::is_some))
                    .count(),
            )
        })
        .collect();
    for (r, row) in rows.iter_mut().enumerate() {
        for (points, p) in by_station.iter_mut().zip(std::mem::take(&mut row.stations)) {
            if let Some(p) = p {
                points.push(Point { row: r, ..p });
            }
        }
    }
    // Each station's figures on every core: they are the stations' own.
    let candidates = rows.len();
    let stations: Vec<(StationReport, Vec<Point<'a>>)> = crate::base::threads::map(
        rubric.scored_stations().zip(by_station).collect(),
        1,
        |(station, points)| {
            let missing = candidates - points.len();
            (station_report(rubric, station, &points, missing, options), points)
        },
    );
    let mut standards = Standards::default();
    for (station, (report, _)) in rubric.scored_stations().zip(&stations) {
        if let (Some(method), Some(mark)) = (report.method, report.standard_set) {
            standards.pass_marks.insert(
                station.id.clone(),
                StandardSetMark {
                    marks: mark.clamp(0.0, report.max),
                    method,
                },
            );
        }
    }
    (stations, standards)
}

/// The whole exam's reliability, listwise over the candidates complete at
/// every station.
struct Reliability {
    complete: usize,
    totals: Vec<f64>,
    alpha: Result<f64, Degenerate>,
    alpha_if_deleted: Vec<(String, Result<f64, Degenerate>)>,
    sd_total: Option<f64>,
    sem: Option<f64>,
    g: Result<GStudy, Degenerate>,
    d_study: Vec<(usize, Option<f64>, Option<f64>)>,
}

fn reliability(rubric: &Rubric, provisional_rows: &[Row]) -> Reliability {
    let scored: Vec<&crate::rubric::Station> = rubric.scored_stations().collect();
    let rows: Vec<Vec<f64>> = provisional_rows
        .iter()
        .filter_map(|r| {
            r.stations
                .iter()
                .map(|p| p.as_ref().map(|p| p.score))
                .collect::<Option<Vec<f64>>>()
        })
        .collect();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let alpha = stats::cronbach_alpha(&rows);
    let sd_total = stats::sd(&totals);
    let sem = match (&alpha, sd_total) {
        (Ok(a), Some(s)) => Some(stats::sem(s, *a)),
        _ => None,
    };
    let alpha_if_deleted: Vec<(String, Result<f64, Degenerate>)> = scored
        .iter()
        .map(|s| s.id.clone())
        .zip(
            // Every station has its row, empty where α cannot be computed
            // (with no complete candidate there is no matrix to drop from).
            stats::alpha_if_deleted(&rows)
                .into_iter()
                .chain(std::iter::repeat(Err(Degenerate::TooFew {
                    have: rows.len(),
                    need: 2,
                }))),
        )
        // Where α itself cannot be computed, nor can α without a station:
        // figures from too few candidates would read as findings.
        .map(|(id, without)| match &alpha {
            Err(why) => (id, Err(*why)),
            Ok(_) => (id, without),
        })
        .collect();
    // Each station's scores as a percentage of its maximum: a station worth
    // more marks has a higher mean however hard it is, and stations are
    // the G study's random facet, so their maxima are not taken for their
    // difficulty (which would lower Φ for nothing but the rubric's layout).
    let maxima: Vec<f64> = scored.iter().map(|s| rubric.station_max(s)).collect();
    let percent: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&maxima)
                .map(|(x, m)| if *m > 0.0 { 100.0 * x / m } else { *x })
                .collect()
        })
        .collect();
    let g = stats::g_study(&percent);
    // Every number of stations has its row, empty where the G study cannot
    // be computed.
    let mut ns: Vec<usize> = vec![4, 6, 8, 10, 12, 14, 16, 18, 20, 24];
    ns.push(scored.len());
    ns.sort_unstable();
    ns.dedup();
    let d_study: Vec<(usize, Option<f64>, Option<f64>)> = ns
        .into_iter()
        .map(|n| match &g {
            Ok(g) => (n, g.e_rho2(n as f64), g.phi(n as f64)),
            Err(_) => (n, None, None),
        })
        .collect();
    Reliability {
        complete: rows.len(),
        totals,
        alpha,
        alpha_if_deleted,
        sd_total,
        sem,
        g,
        d_study,
    }
}

/// The cut scores and the rubric's rules behind them.
struct Cuts {
    /// k in "+ k × SEM" where a rule says so.
    plus_sem: Option<f64>,
    stations_needed: Option<usize>,
    provisional: Option<f64>,
    standard_set: Option<f64>,
}

fn cut_scores(rubric: &Rubric, stations: &[(StationReport, Vec<Point<'_>>)], sem: Option<f64>) -> Cuts {
    let plus_sem = rubric.pass_rules.iter().find_map(|r| match r {
        PassRule::TotalAtLeast { plus_sem, .. } if *plus_sem > 0.0 => Some(*plus_sem),
        _ => None,
    });
    let stations_needed = rubric.pass_rules.iter().find_map(|r| match r {
        PassRule::StationsPassed(n) => Some(*n),
        _ => None,
    });
    let sum_marks = |pick: &dyn Fn(&StationReport) -> Option<f64>| -> Option<f64> {
        let mut total = 0.0;
        for (s, _) in stations {
            total += pick(s)?;
        }
        Some(total)
    };
    let fixed = |s: &StationReport| -> Option<f64> {
        let st = rubric.station(&s.id)?;
        match &st.pass_mark {
            Some(PassMark::Fixed(m)) => Some(m.in_marks(s.max)),
            _ => None,
        }
    };
    Cuts {
        plus_sem,
        stations_needed,
        provisional: sum_marks(&|s| s.provisional.or_else(|| fixed(s))),
        standard_set: sum_marks(&|s| s.standard_set.or(s.provisional).or_else(|| fixed(s)))
            .map(|c| c + plus_sem.unwrap_or(0.0) * sem.unwrap_or(0.0)),
    }
}

/// (pass, fail, incomplete).
fn counts(outcomes: impl Iterator<Item = Outcome>) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for o in outcomes {
        match o {
            Outcome::Pass => c.0 += 1,
            Outcome::Fail => c.1 += 1,
            Outcome::Incomplete => c.2 += 1,
        }
    }
    c
}

/// The whole exam's flags: the SEM left out of the cut, a small cohort, α,
/// Φ, and stations whose removal raises α.
fn exam_flags(
    candidates: usize,
    r: &Reliability,
    cuts: &Cuts,
    (stations, noun): (usize, crate::rubric::Noun),
    standard_setting: bool,
) -> Vec<Flag> {
    let (one, many) = (noun.one(), noun.many());
    let mut flags = Vec::new();
    if let (Some(k), None) = (cuts.plus_sem, r.sem) {
        let why = match &r.alpha {
            Err(d) => format!("Cronbach's α cannot be computed: {d}"),
            Ok(_) => "the SD of the totals cannot be computed".to_string(),
        };
        flags.push(Flag {
            level: Level::Watch,
            text: format!(
                "the standard-set cut score is the sum of the pass marks without the rule's + {} × SEM: the SEM cannot be computed ({why})",
                crate::scoring::fmt_marks(k)
            ),
            action: "do not compare it with a cut that includes the SEM; wait for more complete results before setting the cut".into(),
        });
    }
    if candidates < SMALL_COHORT {
        flags.push(Flag {
            level: Level::Watch,
            text: format!(
                "only {}: with fewer than {SMALL_COHORT}, {} figures are unstable",
                crate::base::text::plural(candidates, "candidate", "candidates"),
                if standard_setting { "standard-set pass marks and reliability" } else { "reliability" }
            ),
            action: if standard_setting {
                "treat the figures as a guide; consider keeping the provisional pass marks or pooling with an earlier sitting"
            } else {
                "treat the figures as a guide, or pool with an earlier sitting"
            }
            .into(),
        });
    }
    match &r.alpha {
        Ok(a) if *a < 0.7 => flags.push(Flag {
            level: Level::Concern,
            text: format!(
                "Cronbach's α is {}, below 0.7: the total is not a reliable measure",
                shown_below(*a, 0.7)
            ),
            action: format!("look at the {many} whose α-if-deleted is higher than α; consider more {many}"),
        }),
        Ok(a) if *a < 0.8 => flags.push(Flag {
            level: Level::Watch,
            text: format!(
                "Cronbach's α is {}, below 0.8 (acceptable for most OSCEs, low for high stakes)",
                shown_below(*a, 0.8)
            ),
            action: format!("look at the {many} whose α-if-deleted is higher than α"),
        }),
        _ => {}
    }
    let phi = r.d_study.iter().find(|x| x.0 == stations).and_then(|x| x.2);
    if let Some(phi) = phi
        && phi < PHI_WATCH
    {
        let enough = r
            .d_study
            .iter()
            .find(|x| x.2.is_some_and(|p| p >= PHI_WATCH))
            .map(|x| format!("the decision study gives Φ ≥ 0.8 with {} {many}", x.0))
            .unwrap_or_else(|| format!("no number of {many} in the decision study reaches Φ = 0.8"));
        flags.push(Flag {
            level: if phi < PHI_CONCERN { Level::Concern } else { Level::Watch },
            text: format!(
                "Φ (dependability of pass/fail decisions against a fixed pass mark) is {}, below {}",
                shown_below(phi, if phi < PHI_CONCERN { PHI_CONCERN } else { PHI_WATCH }),
                if phi < PHI_CONCERN { "0.7" } else { "0.8" }
            ),
            action: format!(
                "pass/fail decisions near the cut score are uncertain: {enough}; look at the {many}' variance and the examiners"
            ),
        });
    }
    if let Ok(a) = &r.alpha {
        for (id, d) in &r.alpha_if_deleted {
            if let Ok(d) = d
                && *d > a + 0.01
            {
                flags.push(Flag {
                    level: Level::Watch,
                    text: format!("α rises to {d:.2} without {one} '{id}' (from {a:.2}): it does not measure what the others do"),
                    action: format!("review {one} '{id}': its items, its examiners, and whether it belongs in this exam"),
                });
            }
        }
    }
    flags
}

fn station_report(
    rubric: &Rubric,
    station: &crate::rubric::Station,
    points: &[Point<'_>],
    missing: usize,
    options: &Options,
) -> StationReport {
    let max = rubric.station_max(station);
    let scores: Vec<f64> = points.iter().map(|p| p.score).collect();
    let with_code: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| p.code.map(|c| (c, p.score)))
        .collect();
    let (grades, borderline_code) = match &station.global_rating {
        Some(g) => {
            let scale = rubric.scale(g.scale);
            (
                scale.levels.iter().map(|l| (l.mark, l.label.clone())).collect(),
                scale.borderline.and_then(|b| scale.levels.get(b)).map(|l| l.mark),
            )
        }
        None => (Vec::new(), None),
    };
    let candidates: Vec<methods::Candidate> = points
        .iter()
        .map(|p| methods::Candidate {
            score: p.score,
            code: p.code,
            borderline: p.borderline,
        })
        .collect();
    let data = methods::StationData {
        rubric,
        station,
        max,
        borderline_code,
        candidates: &candidates,
    };
    let regression = methods::borderline_regression::fit(&data);
    let marks: Vec<MethodMark> = options
        .methods
        .list
        .iter()
        .map(|m| MethodMark {
            id: m.id(),
            name: m.name(),
            result: m.station_pass_mark(&data),
        })
        .collect();
    let examiners: Vec<&str> = points.iter().map(|p| p.examiners.as_ref()).collect();
    let by_examiner = stats::one_way(&scores, &examiners);
    let circuits: Vec<Option<&str>> = points.iter().map(|p| p.circuit).collect();
    let distinct: std::collections::BTreeSet<&Option<&str>> = circuits.iter().collect();
    let by_circuit = (distinct.len() > 1).then(|| stats::one_way(&scores, &circuits));
    let (method, provisional) = match &station.pass_mark {
        Some(PassMark::StandardSet { method, provisional }) => (
            Some(options.method.unwrap_or(SetMethod::from(*method))),
            Some(provisional.in_marks(max)),
        ),
        _ => (None, None),
    };
    let computed = method
        .and_then(|m| marks.iter().find(|x| x.name == m))
        .and_then(|x| x.result.pass_mark.as_ref().ok().copied());
    // A pass mark outside 0 to the maximum is not a pass mark: the
    // provisional one stays, and the flag says why.
    let out_of_range = computed.filter(|m| !(0.0..=max).contains(m));
    let standard_set = computed.filter(|m| (0.0..=max).contains(m));
    let ids: Vec<String> = station.items.iter().map(|i| i.id.clone()).collect();
    let maxima: Vec<f64> = station.items.iter().map(|i| rubric.item_max(i)).collect();
    let critical: Vec<bool> = station
        .items
        .iter()
        .map(|i| i.critical != crate::rubric::Critical::No)
        .collect();
    let item_marks: Vec<&[Option<f64>]> = points.iter().map(|p| p.items.as_slice()).collect();
    let mut report = StationReport {
        id: station.id.clone(),
        title: station.title.clone(),
        max,
        n: points.len(),
        missing,
        mean: stats::mean(&scores),
        sd: stats::sd(&scores),
        min: scores.iter().copied().reduce(f64::min),
        max_score: scores.iter().copied().reduce(f64::max),
        points: with_code,
        grades,
        regression,
        graded_borderline: points.iter().filter(|p| p.borderline).count(),
        methods: marks,
        items: crate::analysis::items::analyse(rubric.noun(), &ids, &maxima, &critical, &item_marks),
        by_examiner,
        by_circuit,
        method,
        provisional,
        standard_set,
        flags: Vec::new(),
    };
    report.flags = station_flags(&report);
    if let Some(m) = out_of_range {
        report.flags.insert(
            0,
            Flag {
                level: Level::Concern,
                text: format!(
                    "the standard-set pass mark comes out at {}, outside 0 to {}; it is not applied",
                    crate::scoring::fmt_marks((m * 100.0).round() / 100.0),
                    crate::scoring::fmt_marks(max)
                ),
                action: "keep the provisional pass mark for this station, and look at its scatter plot: too few candidates, or scores that do not follow the grades".into(),
            },
        );
    }
    report
}

/// Why η² between `what`s (examiner, circuit) cannot be computed, naming
/// the real cause: one examiner is not "one candidate".
pub fn between_words(d: &Degenerate, what: &str) -> String {
    match d {
        Degenerate::TooFewGroups { have: 0, .. } => "no complete results here".to_string(),
        Degenerate::TooFewGroups { have: 1, .. } => {
            format!("every candidate here has the same {what}, so there is no other {what} to compare with")
        }
        Degenerate::TooFewGroups { have, need } => format!(
            "only {}; at least {need} are needed",
            crate::base::text::plural(*have, what, &format!("{what}s"))
        ),
        d => d.to_string(),
    }
}

/// The usual thresholds, each explained.
/// Below this many candidates graded borderline, a borderline group pass
/// mark that sets a station's pass mark is flagged.
pub const BORDERLINE_GROUP_MIN: usize = 5;

/// A borderline group of a handful is no standard to set a pass mark by:
/// flagged where the station's pass mark is set by it.
fn small_borderline_group(s: &StationReport) -> Option<Flag> {
    (s.method == Some(SetMethod::BorderlineGroup) && (1..BORDERLINE_GROUP_MIN).contains(&s.graded_borderline)).then(
        || Flag {
            level: Level::Watch,
            text: format!(
                "the borderline group pass mark rests on {} graded borderline (fewer than {BORDERLINE_GROUP_MIN})",
                crate::base::text::plural(s.graded_borderline, "candidate", "candidates")
            ),
            action: "prefer borderline regression here, which uses every candidate, or keep the provisional pass mark"
                .into(),
        },
    )
}

fn station_flags(s: &StationReport) -> Vec<Flag> {
    let mut flags = Vec::new();
    if s.n < 2 {
        flags.push(Flag {
            level: Level::Concern,
            text: format!(
                "only {}: nothing can be computed",
                crate::base::text::plural(s.n, "complete result", "complete results")
            ),
            action: "check that the sheets are in (osce status)".into(),
        });
        return flags;
    }
    if let Ok(r) = &s.regression {
        match r.fit.r2 {
            Some(r2) if r2 < 0.5 => flags.push(Flag {
                level: Level::Watch,
                text: format!("R² is {r2:.2}, below 0.5: scores and global ratings do not agree well"),
                action: "check that the checklist rewards what examiners judge; brief examiners on the global rating".into(),
            }),
            Some(_) => {}
            None => flags.push(Flag {
                level: Level::Watch,
                text: format!("R² cannot be computed: {NO_SPREAD_R2}; the checklist separates no candidate from another"),
                action: "check that the items can tell a weak performance from a strong one, and that the sheets are marked as intended".into(),
            }),
        }
        if s.graded_borderline == 0
            && let Some((lo, hi)) = grade_range(&s.points)
        {
            let b = r.borderline_code;
            let (how, level) = if b < lo || b > hi {
                ("extrapolated beyond the grades given", Level::Concern)
            } else {
                ("read off the line between the grades either side", Level::Watch)
            };
            flags.push(Flag {
                level,
                text: format!(
                    "no candidate was graded borderline: the borderline regression pass mark {} is {how} (grades {} to {} given)",
                    crate::scoring::fmt_marks((r.pass_mark * 100.0).round() / 100.0),
                    crate::scoring::fmt_marks(lo),
                    crate::scoring::fmt_marks(hi)
                ),
                action: "look at the scatter plot before using it; with no borderline candidates the line's value there rests on other grades".into(),
            });
        }
        let tenth = 0.1;
        if r.discrimination_share < tenth / 2.0 || r.discrimination_share > tenth * 2.0 {
            flags.push(Flag {
                level: Level::Watch,
                text: format!(
                    "inter-grade discrimination is {:.2} marks a grade, {:.1}% of the maximum; about 10% is usual",
                    r.fit.slope,
                    r.discrimination_share * 100.0
                ),
                action: if r.discrimination_share < tenth / 2.0 {
                    "the checklist barely separates weak from strong candidates: review its items".into()
                } else {
                    "a step of one grade moves the score a lot: check the grade descriptors".into()
                },
            });
        }
    }
    flags.extend(small_borderline_group(s));
    // The method that sets this station's pass mark cannot: say why.
    if let Some(m) = s.method
        && let Some(Err(why)) = s
            .methods
            .iter()
            .find(|x| x.name == m)
            .map(|x| &x.result.pass_mark)
    {
        flags.push(Flag {
            level: Level::Concern,
            text: if m == SetMethod::BorderlineRegression {
                format!("borderline regression cannot be computed: {why}")
            } else {
                format!("the {m} pass mark cannot be computed: {why}")
            },
            action: "keep the provisional pass mark for this station, and say so to the exam board".into(),
        });
    }
    for (what, oneway) in [
        ("examiner", Some(&s.by_examiner)),
        ("circuit", s.by_circuit.as_ref()),
    ] {
        if let Some(Ok(w)) = oneway
            && w.smallest >= 3
        {
            let (level, more) = if w.eta2 > 0.4 {
                (Some(Level::Concern), "over 40%")
            } else if w.eta2 >= 0.3 {
                (Some(Level::Watch), "30% or more")
            } else {
                (None, "")
            };
            if let Some(level) = level {
                flags.push(Flag {
                    level,
                    text: format!(
                        "{:.0}% of the variation in scores lies between {what}s ({more})",
                        w.eta2 * 100.0
                    ),
                    action: format!(
                        "compare the {what}s' mean scores below; check for a harsh or lenient {what}, or candidates not spread evenly across them"
                    ),
                });
            }
        }
    }
    flags
}

/// The lowest and highest global-rating code given.
fn grade_range(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let lo = points.iter().map(|p| p.0).reduce(f64::min)?;
    let hi = points.iter().map(|p| p.0).reduce(f64::max)?;
    Some((lo, hi))
}

fn examiner_table(stations: &[(StationReport, Vec<Point<'_>>)]) -> Vec<ExaminerAtStation> {
    let mut out = Vec::new();
    for (s, points) in stations {
        let Some(station_mean) = s.mean else { continue };
        let station_pass = points.iter().filter(|p| p.passed).count() as f64 / points.len().max(1) as f64;
        let mut by: BTreeMap<&str, Vec<&Point>> = BTreeMap::new();
        for p in points {
            by.entry(p.examiners.as_ref()).or_default().push(p);
        }
        if by.len() < 2 {
            continue;
        }
        for (examiner, ps) in by {
            let scores: Vec<f64> = ps.iter().map(|p| p.score).collect();
            let mean = stats::mean(&scores).unwrap_or(0.0);
            let others: Vec<f64> = points
                .iter()
                .filter(|p| p.examiners != examiner)
                .map(|p| p.score)
                .collect();
            let difference_sd = match (stats::mean(&others), s.sd) {
                (Some(o), Some(sd)) if sd > 1e-9 => Some((mean - o) / sd),
                _ => None,
            };
            let pass_rate = ps.iter().filter(|p| p.passed).count() as f64 / ps.len() as f64;
            let flag = difference_sd.filter(|d| d.abs() >= 1.0 && ps.len() >= 3).map(|d| Flag {
                level: if d.abs() >= 1.5 { Level::Concern } else { Level::Watch },
                text: format!(
                    "examiner {examiner} at '{}' scores {:.1} SD {} the other examiners ({} candidates)",
                    s.id,
                    d.abs(),
                    if d < 0.0 { "below (harsh)" } else { "above (lenient)" },
                    ps.len()
                ),
                action: "check whether their candidates differed; review their sheets; brief the examiner before the next sitting".into(),
            });
            out.push(ExaminerAtStation {
                examiner: examiner.to_string(),
                station: s.id.clone(),
                n: ps.len(),
                mean,
                station_mean,
                pass_rate,
                station_pass_rate: station_pass,
                difference_sd,
                flag,
            });
        }
    }
    out
}

/// The candidates' circuits from a roster, by candidate id.
pub fn circuits(roster: Option<&crate::day::roster::Roster>) -> BTreeMap<String, String> {
    roster
        .map(|r| {
            r.candidates
                .iter()
                .filter_map(|c| c.circuit.clone().map(|k| (c.id.clone(), k)))
                .collect()
        })
        .unwrap_or_default()
}

/// The Hofstee cut from the judges' bounds and the totals of the
/// candidates complete at every station, or why it cannot be computed.
fn hofstee_cut(
    judges: &[crate::analysis::hofstee::Judgement],
    totals: &[f64],
    total_max: f64,
) -> Result<crate::analysis::hofstee::Hofstee, String> {
    use crate::analysis::hofstee;
    let bounds = hofstee::Bounds::mean(judges).ok_or("no judge gave bounds")?;
    if total_max <= 0.0 {
        return Err("the exam has no marks to cut".into());
    }
    let percents: Vec<f64> = totals.iter().map(|t| t * 100.0 / total_max).collect();
    hofstee::cut(bounds, &percents, total_max, judges.len()).ok_or_else(|| {
        "no candidate is complete at every station, so there is no distribution of totals".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_below_a_threshold_reads_below_it() {
        assert_eq!(shown_below(0.6961, 0.7), "0.696");
        assert_eq!(shown_below(0.65, 0.7), "0.65");
        assert_eq!(shown_below(0.79996, 0.8), "0.79996");
    }

    fn row(reasons: &[&str]) -> Row<'static> {
        Row {
            outcome: Outcome::Incomplete,
            incomplete: reasons.iter().map(|r| r.to_string()).collect(),
            stations: Vec::new(),
        }
    }

    /// Reasons differing only in their figures count together, as "…";
    /// a reason alone in its group keeps its figures (the report said
    /// "total so far … of …: 1").
    #[test]
    fn a_reason_alone_keeps_its_figures() {
        let rows = [
            row(&["total so far 67 of 99", "1 station not yet decided"]),
            row(&["total so far 70 of 99"]),
        ];
        assert_eq!(
            common_reasons(&rows.each_ref().map(|r| r.incomplete.as_slice())),
            vec![
                ("total so far … of …".to_string(), 2),
                ("1 station not yet decided".to_string(), 1)
            ]
        );
    }
}

#[cfg(test)]
mod exam_flag_words {
    use super::*;

    /// A final clinical assessment's whole-exam flags speak of its cases:
    /// an α below 0.7, a case whose deletion raises it, Φ below 0.8.
    #[test]
    fn a_final_clinical_assessments_exam_flags_speak_of_cases() {
        let r = Reliability {
            complete: 40,
            totals: Vec::new(),
            alpha: Ok(0.6),
            alpha_if_deleted: vec![("case-2".to_string(), Ok(0.7))],
            sd_total: Some(5.0),
            sem: Some(3.0),
            g: Err(Degenerate::TooFew { have: 0, need: 2 }),
            d_study: vec![(6, Some(0.5), Some(0.5)), (12, Some(0.8), Some(0.8))],
        };
        let cuts = Cuts {
            plus_sem: None,
            stations_needed: Some(6),
            provisional: None,
            standard_set: None,
        };
        let words = |noun| {
            exam_flags(40, &r, &cuts, (6, noun), false)
                .iter()
                .map(|f| format!("{} {}", f.text, f.action))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let cases = words(crate::rubric::Noun::Case);
        assert!(
            cases.contains("look at the cases whose α-if-deleted is higher than α; consider more cases"),
            "{cases}"
        );
        assert!(
            cases.contains("without case 'case-2'") && cases.contains("review case 'case-2'"),
            "{cases}"
        );
        assert!(cases.contains("Φ ≥ 0.8 with 12 cases"), "{cases}");
        assert!(!cases.contains("station"), "{cases}");
        assert!(words(crate::rubric::Noun::Station).contains("consider more stations"));
    }
}
