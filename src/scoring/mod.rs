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

pub use engine::{overall, score_candidate, score_station};
pub use result::*;
pub use sheet::*;

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

/// A percentage to one decimal place.
pub fn fmt_percent(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let text = format!("{x:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
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
        assert_eq!(fmt_marks(-0.0), "0");
        assert_eq!(fmt_marks(100.0), "100");
        assert_eq!(fmt_marks(-3.0), "-3");
        assert_eq!(fmt_marks(2.999), "3");
        assert_eq!(fmt_percent(66.666), "66.7");
        assert_eq!(fmt_percent(50.0), "50");
    }
}
