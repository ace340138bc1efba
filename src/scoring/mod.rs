//! Scoring: a rubric and a candidate's marks → station scores, pass marks,
//! pass or fail, and every reason in words.
//!
//! Everything here is a pure function. The rules, in short:
//! - an item earns `weight × mark of the level given`; "not observed" (where
//!   the scale allows it) removes the item from both score and maximum, and
//!   a pass mark written in marks shrinks in the same proportion;
//! - the global rating is never added to the score;
//! - a critical item below its `meets` level (or not observed) fails its
//!   station, or the whole assessment for `FailsAssessment`, whatever the
//!   total;
//! - the overall result is FAIL when any rule is certainly failed, else
//!   INCOMPLETE while anything is missing, else PASS.

mod engine;
mod result;
mod sheet;

pub use engine::{
    EVERY_CRITICAL_MET, NO_CRITICAL_FAILED_WHERE_ASSESSED, Tally, applied_pass_mark, failed_stations,
    overall, score_candidate, score_station, score_tally,
};
pub use result::*;
pub use sheet::*;

/// A number of marks in words: "1 mark", "0.5 marks", "80 marks".
pub fn marks_words(marks: f64) -> String {
    let text = fmt_marks(marks);
    if text == "1" {
        "1 mark".to_string()
    } else {
        format!("{text} marks")
    }
}

/// Marks for people: whole numbers as such, otherwise up to two decimals.
pub fn fmt_marks(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let rounded = (x * 100.0).round() / 100.0;
    // Whole marks, most of them, written as the integers they are: the
    // same text, without the slow exact formatting of `{:.2}` (an export
    // writes millions of marks).
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        return (rounded as i64).to_string();
    }
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// A coefficient (a kappa, an ICC, an R²) to two decimal places, a value
/// that rounds to zero from below written `0.00`, never `-0.00`.
pub fn fmt_fixed2(x: f64) -> String {
    let text = format!("{x:.2}");
    if text == "-0.00" { "0.00".to_string() } else { text }
}

/// A percentage to one decimal place, halves rounded up (63.25 is 63.3,
/// as a person rounds it).
pub fn fmt_percent(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let rounded = (x * 10.0).round() / 10.0;
    let text = format!("{rounded:.1}");
    let text = text.strip_suffix(".0").map_or(text.clone(), str::to_string);
    if text == "-0" { "0".to_string() } else { text }
}

/// A percentage said beside a line it is judged against (a pass mark in
/// percent): one decimal, or as many more as it takes for a value on one
/// side of the line not to read as the line itself or as beyond it.
pub fn fmt_percent_beside(x: f64, line: f64) -> String {
    let one = fmt_percent(x);
    let shown: f64 = one.parse().unwrap_or(x);
    let misleading = (x < line) != (shown < line) || ((shown - line).abs() < 1e-9 && (x - line).abs() > 1e-9);
    if !misleading || !x.is_finite() {
        return one;
    }
    for places in 2..=6 {
        let text = format!("{x:.places$}");
        let v: f64 = text.parse().unwrap_or(x);
        if (x < line) == (v < line) && (v - line).abs() > 1e-12 {
            return text.trim_end_matches('0').trim_end_matches('.').to_string();
        }
    }
    format!("{x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_marks() {
        assert_eq!(fmt_marks(12.0), "12");
        assert_eq!(fmt_marks(12.5), "12.5");
        assert_eq!(fmt_marks(9.811321), "9.81");
        assert_eq!(fmt_marks(0.1 + 0.2), "0.3");
        assert_eq!(fmt_marks(-0.001), "0");
        assert_eq!(fmt_fixed2(-0.001), "0.00");
        assert_eq!(fmt_fixed2(-0.01), "-0.01");
        assert_eq!(fmt_marks(-0.0), "0");
        assert_eq!(fmt_marks(100.0), "100");
        assert_eq!(fmt_marks(-3.0), "-3");
        assert_eq!(fmt_marks(2.999), "3");
        assert_eq!(fmt_percent(66.666), "66.7");
        assert_eq!(fmt_percent(50.0), "50");
    }
}
