//! Item analysis per station: how hard each item was (its facility) and
//! whether it rewards what the rest of the station rewards (its corrected
//! item–total correlation). Items that nobody or everybody achieves
//! separate no candidate from another. Formulas and thresholds are in
//! `docs/report.md`, "Item analysis".

use crate::analysis::report::{Flag, Level};
use crate::analysis::stats;

/// A corrected item–total correlation below this is flagged *watch*.
pub const R_WATCH: f64 = 0.1;
/// Below this (negative) it is flagged *concern*.
pub const R_CONCERN: f64 = 0.0;

/// One item's figures at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFigures {
    pub id: String,
    /// The item's maximum: its weight × its scale's top mark.
    pub max: f64,
    /// Complete candidates with a mark for the item (an item not observed
    /// has none).
    pub n: usize,
    /// Mean mark ÷ the item's maximum, 0 to 1.
    pub facility: Option<f64>,
    /// Pearson's r of the item's mark with the candidate's marks on the
    /// station's other items.
    pub corrected_r: Option<f64>,
    pub flag: Option<Flag>,
}

/// The figures of every item of a station, from the complete candidates'
/// marks: `marks[c][i]` is candidate `c`'s mark (weight × level mark) on
/// item `i`, `None` where the item has no mark. `maxima[i]` is item `i`'s
/// maximum; `critical[i]` whether it is a critical item, which every
/// candidate is meant to achieve (facility 1 is then not flagged).
/// `noun`: what the rubric calls the station, for the flags' words.
pub fn analyse(
    noun: crate::rubric::Noun,
    ids: &[String],
    maxima: &[f64],
    critical: &[bool],
    marks: &[impl AsRef<[Option<f64>]>],
) -> Vec<ItemFigures> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let max = maxima.get(i).copied().unwrap_or(0.0);
            let (item, rest): (Vec<f64>, Vec<f64>) = marks
                .iter()
                .filter_map(|row| {
                    let row = row.as_ref();
                    let mine = (*row.get(i)?)?;
                    let others: f64 = row
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| *k != i)
                        .filter_map(|(_, m)| *m)
                        .sum();
                    Some((mine, others))
                })
                .unzip();
            let facility = stats::mean(&item)
                .filter(|_| max > 0.0)
                .map(|m| (m / max).clamp(0.0, 1.0));
            let corrected_r = stats::pearson(&item, &rest);
            let critical = critical.get(i).copied().unwrap_or(false);
            let flag = flag(noun, id, item.len(), facility, corrected_r, critical);
            ItemFigures {
                id: id.clone(),
                max,
                n: item.len(),
                facility,
                corrected_r,
                flag,
            }
        })
        .collect()
}

fn flag(
    noun: crate::rubric::Noun,
    id: &str,
    n: usize,
    facility: Option<f64>,
    r: Option<f64>,
    critical: bool,
) -> Option<Flag> {
    let noun = noun.one();
    if n < 2 {
        return None;
    }
    if critical && facility.is_some_and(|f| f >= 1.0 - 1e-9) {
        return None;
    }
    match (facility, r) {
        (Some(f), _) if f <= 1e-9 => Some(Flag {
            level: Level::Watch,
            text: format!("item '{id}': no candidate achieves any of it (facility 0)"),
            action: "review or remove: it separates nobody; check it is taught, observable in the time, and marked as intended".into(),
        }),
        (Some(f), _) if f >= 1.0 - 1e-9 => Some(Flag {
            level: Level::Watch,
            text: format!("item '{id}': every candidate achieves all of it (facility 1)"),
            action: "review or remove: it separates nobody".into(),
        }),
        (_, Some(r)) if r < R_CONCERN => Some(Flag {
            level: Level::Concern,
            text: format!("item '{id}': corrected item–total correlation {r:.2}, below 0: candidates who do well on the rest of the {noun} do worse on it"),
            action: "check the item's wording, its descriptors and how examiners mark it; remove or rewrite it".into(),
        }),
        (_, Some(r)) if r < R_WATCH => Some(Flag {
            level: Level::Watch,
            text: format!("item '{id}': corrected item–total correlation {r:.2}, below 0.1: it barely follows the rest of the {noun}"),
            action: "review the item: it may measure something else, or be marked inconsistently".into(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three items over four candidates, by hand.
    /// a: 0, 1, 1, 1 of 1 → facility 0.75; rest (b + c) = 1, 2, 3, 4:
    ///    r(a, rest) = 0.7746 (x̄ .75, ȳ 2.5, Sxy 1.5, Sxx .75, Syy 5).
    /// b: 1 everywhere → facility 1, r undefined (no spread).
    /// c: 0, 1, 2, 3 of 4 → facility 6/16 = 0.375; rest = a + b = 1, 2, 2, 2.
    #[test]
    fn facility_and_corrected_correlation_by_hand() {
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let m = |a: f64, b: f64, c: f64| vec![Some(a), Some(b), Some(c)];
        let marks = vec![m(0., 1., 0.), m(1., 1., 1.), m(1., 1., 2.), m(1., 1., 3.)];
        let f = analyse(
            crate::rubric::Noun::Station,
            &ids,
            &[1.0, 1.0, 4.0],
            &[false; 3],
            &marks,
        );
        assert_eq!(f[0].facility, Some(0.75));
        let r = f[0].corrected_r.expect("r");
        assert!((r - 1.5 / (0.75f64.sqrt() * 5f64.sqrt())).abs() < 1e-12, "{r}");
        assert_eq!(f[1].facility, Some(1.0));
        assert_eq!(f[1].corrected_r, None);
        assert!(
            f[1].flag
                .as_ref()
                .is_some_and(|x| x.action.contains("separates nobody"))
        );
        assert_eq!(f[2].facility, Some(0.375));
        // c = 0..3 against rest 1, 2, 2, 2: Sxy 1.5, Sxx 5, Syy 0.75.
        let r = f[2].corrected_r.expect("r");
        assert!((r - 1.5 / (5f64.sqrt() * 0.75f64.sqrt())).abs() < 1e-12, "{r}");
    }

    #[test]
    fn a_negative_correlation_is_a_concern() {
        let ids: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let marks: Vec<Vec<Option<f64>>> = (0..5)
            .map(|k| vec![Some(k as f64), Some(4.0 - k as f64)])
            .collect();
        let f = analyse(
            crate::rubric::Noun::Station,
            &ids,
            &[4.0, 4.0],
            &[false; 2],
            &marks,
        );
        // A critical item everyone meets is what it should be: no flag.
        let all: Vec<Vec<Option<f64>>> = (0..5).map(|k| vec![Some(1.0), Some(k as f64)]).collect();
        assert!(
            analyse(
                crate::rubric::Noun::Station,
                &ids,
                &[1.0, 4.0],
                &[true, false],
                &all
            )[0]
            .flag
            .is_none()
        );
        assert!(
            analyse(
                crate::rubric::Noun::Station,
                &ids,
                &[1.0, 4.0],
                &[false, false],
                &all
            )[0]
            .flag
            .is_some()
        );
        assert!(f[0].corrected_r.is_some_and(|r| (r + 1.0).abs() < 1e-12));
        assert_eq!(f[0].flag.as_ref().map(|x| x.level), Some(Level::Concern));
        assert!(
            f[0].flag
                .as_ref()
                .is_some_and(|x| x.text.contains("on the rest of the station do worse"))
        );
        // A final clinical assessment's flag speaks of the case.
        let case = analyse(crate::rubric::Noun::Case, &ids, &[4.0, 4.0], &[false; 2], &marks);
        assert!(
            case[0]
                .flag
                .as_ref()
                .is_some_and(|x| x.text.contains("on the rest of the case do worse")),
            "{:?}",
            case[0].flag
        );
    }
}
