//! The Hofstee compromise: each judge gives the lowest and highest
//! acceptable cut score and the lowest and highest acceptable fail rate
//! (all in percent of the exam's total maximum); with the judges' means,
//! the cut is where the line from (min cut, max fail) to (max cut, min
//! fail) meets the cohort's cumulative fail-rate curve. A whole-exam cut,
//! not a station's. The file format and the rule where the line and the
//! curve do not meet are in `docs/report.md`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::analysis::judges::{self, JudgesError, JudgesProblem};
use crate::base::csvin::{Layout, NewProblem, Table};
use crate::rubric::quoted;

const COLUMNS: [&str; 5] = ["judge", "min_cut", "max_cut", "min_fail", "max_fail"];
const WHAT: &str = "Hofstee judgements";

/// One judge's bounds, in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub judge: String,
    pub min_cut: f64,
    pub max_cut: f64,
    pub min_fail: f64,
    pub max_fail: f64,
}

/// The judges' means, in percent: the box the compromise lies in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min_cut: f64,
    pub max_cut: f64,
    pub min_fail: f64,
    pub max_fail: f64,
}

impl Bounds {
    /// The means of the judges' bounds (`None` without judges).
    pub fn mean(judges: &[Judgement]) -> Option<Bounds> {
        let n = judges.len() as f64;
        (!judges.is_empty()).then(|| Bounds {
            min_cut: judges.iter().map(|j| j.min_cut).sum::<f64>() / n,
            max_cut: judges.iter().map(|j| j.max_cut).sum::<f64>() / n,
            min_fail: judges.iter().map(|j| j.min_fail).sum::<f64>() / n,
            max_fail: judges.iter().map(|j| j.max_fail).sum::<f64>() / n,
        })
    }

    /// The line's fail rate at cut `c`.
    fn line(&self, c: f64) -> f64 {
        self.max_fail + (self.min_fail - self.max_fail) * (c - self.min_cut) / (self.max_cut - self.min_cut)
    }

    /// The cut where the line's fail rate is `fail`.
    fn cut_at(&self, fail: f64) -> f64 {
        self.min_cut
            + (self.max_fail - fail) / (self.max_fail - self.min_fail) * (self.max_cut - self.min_cut)
    }
}

/// Where the compromise cut lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meets {
    /// The line meets the fail-rate curve inside the box.
    Inside,
    /// The cohort fails more than the highest acceptable rate already at the
    /// lowest acceptable cut: the lowest acceptable cut applies.
    BelowMinCut,
    /// The cohort fails fewer than the lowest acceptable rate even at the
    /// highest acceptable cut: the highest acceptable cut applies.
    AboveMaxCut,
}

/// The Hofstee cut for a cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Hofstee {
    pub judges: usize,
    pub bounds: Bounds,
    /// In percent of the total maximum, and in marks.
    pub cut_percent: f64,
    pub cut_marks: f64,
    /// The share (percent) of the complete candidates below the cut.
    pub fail_percent: f64,
    pub meets: Meets,
    /// Complete candidates it was applied to.
    pub candidates: usize,
}

/// The percent of `totals` strictly below cut `c` (a total at the cut
/// passes).
fn fail_rate(sorted: &[f64], c: f64) -> f64 {
    let below = sorted.partition_point(|x| *x < c - 1e-9);
    100.0 * below as f64 / sorted.len() as f64
}

/// The compromise cut for totals in percent of the maximum. `None`
/// without candidates. The bounds must have min < max for both cut and
/// fail rate ([`parse`] checks each judge's, so their means do too).
pub fn cut(bounds: Bounds, totals_percent: &[f64], total_max: f64, judges: usize) -> Option<Hofstee> {
    if totals_percent.is_empty() || bounds.max_cut <= bounds.min_cut || bounds.max_fail <= bounds.min_fail {
        return None;
    }
    let mut sorted: Vec<f64> = totals_percent.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (cut_percent, meets) = compromise(&bounds, &sorted);
    Some(Hofstee {
        judges,
        bounds,
        cut_percent,
        cut_marks: cut_percent * total_max / 100.0,
        fail_percent: fail_rate(&sorted, cut_percent),
        meets,
        candidates: sorted.len(),
    })
}

/// The lowest cut in the box where the fail-rate curve reaches the line.
/// The curve F(c) (percent below c) is a step function that rises just
/// after each total; the line falls. Between two totals F is constant, so
/// the line meets it where the line's fail rate equals F; where the curve
/// jumps over the line at a total, the cut is that total.
fn compromise(b: &Bounds, sorted: &[f64]) -> (f64, Meets) {
    if fail_rate(sorted, b.min_cut) > b.max_fail {
        return (b.min_cut, Meets::BelowMinCut);
    }
    let mut breaks: Vec<f64> = vec![b.min_cut];
    breaks.extend(
        sorted
            .iter()
            .copied()
            .filter(|x| *x > b.min_cut && *x < b.max_cut),
    );
    breaks.push(b.max_cut);
    breaks.dedup();
    // On (a, next], F is the share at or below a.
    for w in breaks.windows(2) {
        let (a, next) = (w[0], w[1]);
        if fail_rate(sorted, a) >= b.line(a) {
            return (a, Meets::Inside);
        }
        let f = 100.0 * sorted.partition_point(|x| *x <= a + 1e-9) as f64 / sorted.len() as f64;
        let c = b.cut_at(f);
        if c <= a {
            return (a, Meets::Inside);
        }
        if c <= next {
            return (c, Meets::Inside);
        }
    }
    if fail_rate(sorted, b.max_cut) >= b.min_fail {
        (b.max_cut, Meets::Inside)
    } else {
        (b.max_cut, Meets::AboveMaxCut)
    }
}

/// Reads and checks a Hofstee file: all or nothing.
pub fn read(path: &Path) -> Result<Vec<Judgement>, JudgesError> {
    let text = judges::read_text(path, WHAT)?;
    parse(&text).map_err(|problems| JudgesError::Invalid {
        path: path.to_path_buf(),
        what: WHAT,
        problems,
    })
}

fn layout() -> Layout<5> {
    let allowed = format!("the columns of a Hofstee file are {}", COLUMNS.join(", "));
    Layout {
        columns: COLUMNS,
        required: &[0, 1, 2, 3, 4],
        row: "line",
        example: COLUMNS.join(","),
        short_row: "J1,50,65,,",
        unknown_help: format!("{allowed}; rename or delete it"),
        missing_help: format!("every Hofstee file needs all five columns; {allowed}"),
        unnamed_help: format!("name the column in the header ({allowed}), or delete it"),
        allowed,
    }
}

/// Checks Hofstee text; every problem at once.
pub fn parse(text: &str) -> Result<Vec<Judgement>, Vec<JudgesProblem>> {
    let mut errors: Vec<JudgesProblem> = Vec::new();
    let mut table = match Table::open(text, str::trim, layout(), &mut errors) {
        Ok(Some(t)) => t,
        Ok(None) => {
            errors.push(JudgesProblem::new(
                None,
                None,
                "the Hofstee file is empty",
                format!(
                    "the first line names the columns, {}; then one line per judge, e.g. J1,50,65,5,30",
                    COLUMNS.join(",")
                ),
            ));
            return Err(errors);
        }
        Err(problems) => return Err(problems),
    };
    let mut out = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut lines = 0usize;
    while let Some((line, cells)) = table.next_row(&mut errors) {
        lines += 1;
        let Some(cells) = table.cells(line, &cells, &mut errors) else {
            continue;
        };
        let judge = cells[0];
        let before = errors.len();
        if judge.is_empty() {
            errors.push(JudgesProblem::new(
                Some(line),
                Some("judge"),
                "the judge is empty",
                "name the judge, e.g. J1 or their initials",
            ));
        } else if !names.insert(judge.to_string()) {
            errors.push(JudgesProblem::new(
                Some(line),
                Some("judge"),
                format!("judge {} appears twice", quoted(judge)),
                "give each judge one line",
            ));
        }
        let mut v = [0.0; 4];
        for k in 0..4 {
            match judges::percent(cells[k + 1]) {
                Ok(x) => v[k] = x,
                Err(why) => errors.push(JudgesProblem::new(
                    Some(line),
                    Some(COLUMNS[k + 1]),
                    if cells[k + 1].is_empty() {
                        "the cell is empty".to_string()
                    } else {
                        why
                    },
                    "cut scores are percents of the exam's total maximum, fail rates percents of the candidates: \
                     0 to 100, e.g. 55",
                )),
            }
        }
        if errors.len() > before {
            continue;
        }
        let [min_cut, max_cut, min_fail, max_fail] = v;
        // Shares written for percents (0.55 for 55%) would make a cut of
        // half a percent: a figure no judge means, said rather than used.
        // A pair written with `%` is taken as written.
        for (k, what) in [(0, "cut score"), (2, "fail rate")] {
            let (low, high) = (v[k], v[k + 1]);
            if high <= 1.0 && !cells[k + 1].contains('%') && !cells[k + 2].contains('%') {
                errors.push(JudgesProblem::new(
                    Some(line),
                    Some(COLUMNS[k + 2]),
                    format!(
                        "the acceptable {what}s {} to {} are at most 1 percent: written as shares of 1, not percents?",
                        crate::scoring::fmt_marks(low),
                        crate::scoring::fmt_marks(high)
                    ),
                    format!(
                        "write percents, 0 to 100: {} for {}; where 1 percent or less is meant, write the % sign ({}%)",
                        crate::scoring::fmt_marks(high * 100.0),
                        crate::scoring::fmt_marks(high),
                        crate::scoring::fmt_marks(high)
                    ),
                ));
            }
        }
        if min_cut >= max_cut {
            errors.push(JudgesProblem::new(
                Some(line),
                Some("max_cut"),
                format!("the highest acceptable cut ({max_cut}) is not above the lowest ({min_cut})"),
                "min_cut is the lowest acceptable cut score and max_cut the highest: check the two are not swapped",
            ));
        }
        if min_fail >= max_fail {
            errors.push(JudgesProblem::new(
                Some(line),
                Some("max_fail"),
                format!("the highest acceptable fail rate ({max_fail}) is not above the lowest ({min_fail})"),
                "min_fail is the lowest acceptable fail rate and max_fail the highest: check the two are not swapped",
            ));
        }
        if errors.len() == before {
            out.push(Judgement {
                judge: judge.to_string(),
                min_cut,
                max_cut,
                min_fail,
                max_fail,
            });
        }
    }
    table.unnamed_columns(&mut errors);
    if lines == 0 {
        errors.push(JudgesProblem::new(
            None,
            None,
            "the Hofstee file has a header but no judges",
            "add one line per judge below the header, e.g. J1,50,65,5,30",
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|p| p.line.unwrap_or(0));
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shares of 1 are refused, pair by pair; a figure of 1 percent or
    /// less written with its `%` sign is taken as written.
    #[test]
    fn shares_for_percents_are_refused_unless_written_with_the_percent_sign() {
        let head = "judge,min_cut,max_cut,min_fail,max_fail\n";
        let problems = parse(&format!("{head}J1,0.5,0.65,5,30\n")).expect_err("shares");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .to_string()
                .contains("write percents, 0 to 100: 65 for 0.65"),
            "{problems:?}"
        );
        let judges = parse(&format!("{head}J1,50,65,0%,1%\n")).expect("percent signs");
        assert_eq!((judges[0].min_fail, judges[0].max_fail), (0.0, 1.0));
        assert!(parse(&format!("{head}J1,50,65,0,5\n")).is_ok());
    }

    fn b() -> Bounds {
        Bounds {
            min_cut: 40.0,
            max_cut: 60.0,
            min_fail: 0.0,
            max_fail: 40.0,
        }
    }

    /// Ten totals 10, 20, … 100 (percent). At the lowest cut, 40, three
    /// are below it (30%), under the line's 40%. Just after 40 four are at
    /// or below it (40%), and the line is below 40% there: the curve jumps
    /// over the line at the total 40, which is the cut (30% fail).
    #[test]
    fn a_jump_over_the_line_gives_the_total() {
        let totals: Vec<f64> = (1..=10).map(|i| i as f64 * 10.0).collect();
        let h = cut(b(), &totals, 200.0, 1).expect("cut");
        assert_eq!(h.meets, Meets::Inside);
        assert!((h.cut_percent - 40.0).abs() < 1e-9, "{h:?}");
        assert!((h.cut_marks - 80.0).abs() < 1e-9);
        assert!((h.fail_percent - 30.0).abs() < 1e-9);
    }

    /// Four totals 45, 47, 70, 90: F is 0 up to 45, 25% on (45, 47], 50%
    /// on (47, 70]. The line: 40 − 2·(c − 40). At 45 it is 30 > 25: on
    /// (45, 47] F = 25 meets the line at c = 40 + (40 − 25)/2 = 47.5 > 47;
    /// on (47, 60], F = 50 > line: the jump at 47 gives the cut 47.
    #[test]
    fn the_cut_is_where_the_curve_first_reaches_the_line() {
        let h = cut(b(), &[45.0, 47.0, 70.0, 90.0], 100.0, 1).expect("cut");
        assert!((h.cut_percent - 47.0).abs() < 1e-9, "{h:?}");
        // Two totals in (47, 60)? None: 70 is above the box.
        let h = cut(b(), &[10.0, 95.0, 96.0, 97.0, 98.0], 100.0, 1).expect("cut");
        // F = 20% from just after 10 to 95: the line is 20% at c = 50.
        assert!((h.cut_percent - 50.0).abs() < 1e-9, "{h:?}");
        assert!((h.fail_percent - 20.0).abs() < 1e-9);
    }

    #[test]
    fn no_intersection_names_the_bound_that_applies() {
        // Everyone at 10%: at the lowest cut every candidate fails.
        let h = cut(b(), &[10.0, 12.0], 100.0, 1).expect("cut");
        assert_eq!((h.meets, h.cut_percent), (Meets::BelowMinCut, 40.0));
        // Everyone at 90%: even at the highest cut nobody fails, and the
        // lowest acceptable fail rate is 5%.
        let bounds = Bounds { min_fail: 5.0, ..b() };
        let h = cut(bounds, &[90.0, 95.0], 100.0, 1).expect("cut");
        assert_eq!((h.meets, h.cut_percent), (Meets::AboveMaxCut, 60.0));
    }
}
