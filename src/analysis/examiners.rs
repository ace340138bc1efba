//! Feedback for examiners: for each examiner, how their marks compare with
//! their peers' at the same stations, in plain words, over one exam or
//! several. Two figures, each explained in `docs/report.md` ("Feedback
//! for examiners"):
//!
//! - **stringency**: how many percentage points of the station's maximum
//!   the examiner's candidates scored above or below what their scores at
//!   the other stations predict (the station's least-squares line of score
//!   on the candidate's mean at the other stations, fitted over every
//!   candidate there). Negative: stricter than the station's other
//!   examiners; positive: more lenient. Allowing for the candidates'
//!   performance elsewhere keeps an examiner who happened to see a strong
//!   circuit from looking lenient.
//! - **discrimination**: the correlation between the examiner's scores and
//!   their candidates' mean at the other stations, beside the same figure
//!   for the station's other examiners: whether their marks rank
//!   candidates as the rest of the exam does.
//!
//! Only complete results count (a sheet with something left unmarked is
//! not a score), each marker's own score where a station was double
//! marked, before moderation: this is about the examiner's marking.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::base::text::plural;
use crate::results::gather::Cohort;
use crate::results::reconcile::CandidateResult;
use crate::rubric::Rubric;
use crate::scoring::StationOutcome;

/// Below this many candidates at a station, an examiner's figures there
/// are not interpreted.
pub const MIN_CANDIDATES: usize = 5;
/// A stringency within this many points either way is "in line with".
pub const IN_LINE: f64 = 3.0;
/// Beyond this many points, "notably".
pub const NOTABLY: f64 = 7.0;

/// One score: an examiner's mark for a candidate at a station, as a
/// percentage of the station's maximum, and the candidate's mean at the
/// other stations.
#[derive(Debug, Clone, PartialEq)]
struct Score {
    examiner: String,
    station: String,
    percent: f64,
    elsewhere: Option<f64>,
}

/// An examiner's figures at one station of one exam.
#[derive(Debug, Clone, PartialEq)]
pub struct StationFigures {
    pub exam: String,
    pub station: String,
    /// What the exam's rubric calls its stations (cases in a final
    /// clinical assessment).
    pub noun: crate::rubric::Noun,
    /// Candidates this examiner scored here.
    pub candidates: usize,
    /// The station's other examiners, and their candidates.
    pub peers: usize,
    pub peer_candidates: usize,
    /// Mean score here, percent of the maximum: this examiner's, and the
    /// other examiners'.
    pub mean: f64,
    pub peer_mean: Option<f64>,
    /// Points above (+) or below (−) what the candidates' performance
    /// elsewhere predicts; `None` where it cannot be worked out (too few
    /// candidates at the station, or no spread in their other scores).
    pub stringency: Option<f64>,
    /// Correlation of this examiner's scores with their candidates' mean
    /// elsewhere, and the same for the other examiners.
    pub discrimination: Option<f64>,
    pub peer_discrimination: Option<f64>,
}

/// One examiner's feedback, over every exam given.
#[derive(Debug, Clone, PartialEq)]
pub struct ExaminerFeedback {
    pub examiner: String,
    pub stations: Vec<StationFigures>,
}

impl ExaminerFeedback {
    /// Stringency over every station with a figure, weighted by the number
    /// of candidates.
    pub fn overall(&self) -> Option<f64> {
        let (sum, n) = self
            .stations
            .iter()
            .filter_map(|s| s.stringency.map(|x| (x * s.candidates as f64, s.candidates)))
            .fold((0.0, 0usize), |(a, b), (x, n)| (a + x, b + n));
        (n > 0).then(|| sum / n as f64)
    }
}

/// One exam's scores, for [`feedback`].
pub struct Exam<'a> {
    /// How the exam is named in the feedback (its title, and a date).
    pub name: String,
    pub rubric: &'a Rubric,
    pub cohort: &'a Cohort,
    pub results: &'a [CandidateResult],
}

fn scores(exam: &Exam) -> Vec<Score> {
    let mut out = Vec::new();
    for c in exam.results {
        // The candidate's complete station results, as percentages.
        let complete: BTreeMap<&str, f64> = c
            .stations
            .iter()
            .filter(|(_, d)| {
                matches!(d.result.outcome, StationOutcome::Pass | StationOutcome::Fail)
                    && d.result.missing.is_empty()
                    && d.result.max > 0.0
            })
            .map(|(s, d)| (s.as_str(), 100.0 * d.result.score / d.result.max))
            .collect();
        for (station, d) in &c.stations {
            if !complete.contains_key(station.as_str()) {
                continue;
            }
            let others: Vec<f64> = complete
                .iter()
                .filter(|(s, _)| **s != station.as_str())
                .map(|(_, p)| *p)
                .collect();
            let elsewhere = (!others.is_empty()).then(|| others.iter().sum::<f64>() / others.len() as f64);
            // Each marker's own score where two marked; else the sheet's.
            let own: Vec<(String, f64)> = if d.markers.len() > 1 {
                d.markers.clone()
            } else {
                d.sheets
                    .first()
                    .map(|&i| (exam.cohort.sheets[i].key.examiner.clone(), d.result.score))
                    .into_iter()
                    .collect()
            };
            for (examiner, score) in own {
                out.push(Score {
                    examiner,
                    station: station.clone(),
                    percent: 100.0 * score / d.result.max,
                    elsewhere,
                });
            }
        }
    }
    out
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Pearson's r; `None` under 3 pairs or with no spread on either side.
fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxy: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = pairs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let syy: f64 = pairs.iter().map(|(_, y)| (y - my).powi(2)).sum();
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

/// Every examiner's feedback over `exams`, examiners in id order.
pub fn feedback(exams: &[Exam]) -> Vec<ExaminerFeedback> {
    let mut by_examiner: BTreeMap<String, Vec<StationFigures>> = BTreeMap::new();
    for exam in exams {
        let all = scores(exam);
        for station in exam.rubric.scored_stations() {
            let here: Vec<&Score> = all.iter().filter(|s| s.station == station.id).collect();
            // The station's line: score on the mean elsewhere, every
            // candidate (every marker) at the station.
            let (xs, ys): (Vec<f64>, Vec<f64>) = here
                .iter()
                .filter_map(|s| s.elsewhere.map(|e| (e, s.percent)))
                .unzip();
            let line = crate::analysis::stats::ols(&xs, &ys)
                .ok()
                .filter(|_| xs.len() >= MIN_CANDIDATES);
            let mut examiners: Vec<&str> = here.iter().map(|s| s.examiner.as_str()).collect();
            examiners.sort_unstable();
            examiners.dedup();
            for &examiner in &examiners {
                let (own, peers): (Vec<&Score>, Vec<&Score>) =
                    here.iter().copied().partition(|s| s.examiner == examiner);
                let percents = |v: &[&Score]| v.iter().map(|s| s.percent).collect::<Vec<_>>();
                let pairs = |v: &[&Score]| {
                    v.iter()
                        .filter_map(|s| s.elsewhere.map(|e| (e, s.percent)))
                        .collect::<Vec<_>>()
                };
                let residuals: Vec<f64> = own
                    .iter()
                    .filter_map(|s| {
                        let l = line.as_ref()?;
                        Some(s.percent - (l.intercept + l.slope * s.elsewhere?))
                    })
                    .collect();
                let mut peer_names: Vec<&str> = peers.iter().map(|s| s.examiner.as_str()).collect();
                peer_names.sort_unstable();
                peer_names.dedup();
                let figures = StationFigures {
                    exam: exam.name.clone(),
                    station: station.title.clone(),
                    noun: station.noun,
                    candidates: own.len(),
                    peers: peer_names.len(),
                    peer_candidates: peers.len(),
                    mean: mean(&percents(&own)).unwrap_or(0.0),
                    peer_mean: mean(&percents(&peers)),
                    // Alone at a station, an examiner is the station's
                    // line: there is no one to compare with.
                    stringency: (own.len() >= MIN_CANDIDATES
                        && !peers.is_empty()
                        && residuals.len() == own.len())
                    .then(|| mean(&residuals))
                    .flatten(),
                    discrimination: (own.len() >= MIN_CANDIDATES)
                        .then(|| pearson(&pairs(&own)))
                        .flatten(),
                    peer_discrimination: pearson(&pairs(&peers)),
                };
                by_examiner.entry(examiner.to_string()).or_default().push(figures);
            }
        }
    }
    by_examiner
        .into_iter()
        .map(|(examiner, stations)| ExaminerFeedback { examiner, stations })
        .collect()
}

/// A stringency in words.
pub fn stringency_words(points: f64) -> String {
    let size = points.abs();
    let fmt = format!("{size:.1}");
    if size < IN_LINE {
        format!(
            "in line with the other examiners (your candidates scored within {} points of what their other \
             scores predict)",
            crate::scoring::fmt_marks(IN_LINE)
        )
    } else {
        let how = if size >= NOTABLY { "notably " } else { "a little " };
        let (way, side) = if points < 0.0 {
            ("stricter", "below")
        } else {
            ("more lenient", "above")
        };
        format!(
            "{how}{way} than the other examiners: your candidates scored {fmt} points {side} what their other scores predict"
        )
    }
}

fn discrimination_words(f: &StationFigures) -> Option<String> {
    let own = f.discrimination?;
    let r = |x: f64| format!("{x:.2}");
    let verdict = if own < 0.1 {
        "your marks here hardly follow how the candidates did elsewhere: look again at what the items reward"
    } else if own < 0.3 {
        "your marks here follow how the candidates did elsewhere only weakly"
    } else {
        "your marks here rank candidates much as the rest of the exam does"
    };
    Some(match f.peer_discrimination {
        Some(p) => format!("{verdict} (r = {}; the other examiners here: {})", r(own), r(p)),
        None => format!("{verdict} (r = {})", r(own)),
    })
}

/// One examiner's feedback as Markdown.
pub fn markdown(fb: &ExaminerFeedback) -> String {
    let mut out = String::new();
    // Cases where every exam given is a final clinical assessment.
    let noun = if !fb.stations.is_empty() && fb.stations.iter().all(|f| f.noun == crate::rubric::Noun::Case) {
        crate::rubric::Noun::Case
    } else {
        crate::rubric::Noun::Station
    };
    let (one, many) = (noun.one(), noun.many());
    let _ = writeln!(out, "# Feedback for examiner {}\n", fb.examiner);
    let _ = writeln!(
        out,
        "How your marks compare with the other examiners' at the same {many}. Scores are percentages of the \
         {one}'s maximum, before moderation; only complete sheets count. Stringency allows for how your \
         candidates did at the other {many}, so a strong or weak group does not make you look lenient or \
         strict. Figures for fewer than {MIN_CANDIDATES} candidates are not interpreted.\n"
    );
    match fb.overall() {
        Some(x) => {
            // An average in line can hide a station each way: said.
            let apart = fb
                .stations
                .iter()
                .filter(|s| s.stringency.is_some_and(|v| v.abs() >= IN_LINE))
                .count();
            let but = if x.abs() < IN_LINE && apart > 0 {
                format!(" On average only: at {} you were not (below)", noun.count(apart))
            } else {
                String::new()
            };
            let _ = writeln!(out, "**Overall:** {}.{but}\n", stringency_words(x));
        }
        None => {
            let _ = writeln!(
                out,
                "**Overall:** nothing to compare yet: at no {one} did you and another examiner each mark at least \
                 {MIN_CANDIDATES} candidates.\n"
            );
        }
    }
    let mut exams: Vec<&str> = fb.stations.iter().map(|s| s.exam.as_str()).collect();
    exams.dedup();
    for exam in exams {
        let _ = writeln!(out, "## {exam}\n");
        for f in fb.stations.iter().filter(|s| s.exam == exam) {
            let pct = |x: f64| crate::scoring::fmt_percent(x);
            let _ = write!(
                out,
                "- **{}**: {} (mean {}%",
                f.station,
                plural(f.candidates, "candidate", "candidates"),
                pct(f.mean)
            );
            match f.peer_mean {
                Some(p) if f.peers > 0 => {
                    let _ = write!(
                        out,
                        "; {} other {} here: {}, mean {}%",
                        f.peers,
                        if f.peers == 1 { "examiner" } else { "examiners" },
                        plural(f.peer_candidates, "candidate", "candidates"),
                        pct(p)
                    );
                }
                _ => {
                    let _ = write!(out, "; no other examiner marked this {}", f.noun.one());
                }
            }
            let _ = write!(out, "). ");
            match f.stringency {
                Some(x) => {
                    let _ = write!(out, "You were {}. ", stringency_words(x));
                }
                None if f.peers == 0 => {}
                None => {
                    let _ = write!(out, "Too few candidates to compare. ");
                }
            }
            if let Some(words) = discrimination_words(f) {
                let mut w = words;
                if let Some(first) = w.get(..1) {
                    w = first.to_uppercase() + &w[1..];
                }
                let _ = write!(out, "{w}.");
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
