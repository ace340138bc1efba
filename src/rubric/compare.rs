//! Whether two versions of a rubric mark a station alike.
//!
//! A rubric corrected in its words (an item's text, a title, a
//! descriptor, a level's label) after some laptops were given it is
//! another version: its identity differs, and the sheets marked with it
//! are not read against the first. Where a station gives every sheet the
//! same score and result in both (the same items, weights, critical items,
//! scales' marks and levels, global rating and pass mark), a sheet of one
//! version can be read against the other: the exam lead decides so, and
//! only for such stations.

use super::{Rubric, Scale, Station};

/// What a scale gives a sheet, without its words.
#[derive(Debug, PartialEq)]
struct ScaleForm {
    marks: Vec<f64>,
    meets: usize,
    not_observed: bool,
    borderline: Option<usize>,
}

impl ScaleForm {
    fn of(scale: &Scale) -> ScaleForm {
        ScaleForm {
            marks: scale.levels.iter().map(|l| l.mark).collect(),
            meets: scale.meets,
            not_observed: scale.not_observed,
            borderline: scale.borderline,
        }
    }
}

/// Why station `station` of `this` does not mark a sheet as the station of
/// the same id in `other` does, in words; `None` where it marks alike (its
/// words, timings and the order of its items may differ).
pub fn marking_difference(this: &Rubric, station: &Station, other: &Rubric) -> Option<String> {
    let Some(there) = other.station(&station.id) else {
        return Some(format!("the other version has no station \"{}\"", station.id));
    };
    if station.rest != there.rest {
        return Some("it is a rest station in one version only".to_string());
    }
    for item in &station.items {
        let Some(theirs) = there.item(&item.id) else {
            return Some(format!("item \"{}\" is not in the other version", item.id));
        };
        let what = if item.weight != theirs.weight {
            "its weight"
        } else if item.critical != theirs.critical {
            "whether it is critical"
        } else if ScaleForm::of(this.scale(item.scale)) != ScaleForm::of(other.scale(theirs.scale)) {
            "its scale's levels or marks"
        } else if item.meets != theirs.meets {
            "the level that meets the standard"
        } else {
            continue;
        };
        return Some(format!("item \"{}\" differs in {what}", item.id));
    }
    if let Some(extra) = there.items.iter().find(|i| station.item(&i.id).is_none()) {
        return Some(format!(
            "the other version has an item \"{}\" this one has not",
            extra.id
        ));
    }
    let global = |r: &Rubric, s: &Station| s.global_rating.as_ref().map(|g| ScaleForm::of(r.scale(g.scale)));
    if global(this, station) != global(other, there) {
        return Some("its global rating differs (there in one only, or its levels or marks)".to_string());
    }
    if station.pass_mark != there.pass_mark {
        return Some("its pass mark differs".to_string());
    }
    None
}

/// Where station `station` of `this` and the station of the same id in
/// `other` differ in their words, each in words, the other version's text
/// first: the station's title and instructions, each item's text, each
/// level's label and descriptor, the global rating's. For a station that
/// marks alike ([`marking_difference`] is `None`): a criterion made
/// stricter in its words ("in two planes") is read here before sheets of
/// the other version are counted. Empty where only the order of items or
/// nothing differs.
pub fn word_differences(this: &Rubric, station: &Station, other: &Rubric) -> Vec<String> {
    let Some(there) = other.station(&station.id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut differ = |what: String, theirs: &str, ours: &str| {
        if theirs != ours {
            out.push(format!("{what}: \"{theirs}\" there, \"{ours}\" here"));
        }
    };
    differ("title".to_string(), &there.title, &station.title);
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    differ(
        "the candidate's instructions".to_string(),
        &text(&there.candidate_instructions),
        &text(&station.candidate_instructions),
    );
    differ(
        "the examiner's notes".to_string(),
        &text(&there.examiner_notes),
        &text(&station.examiner_notes),
    );
    for item in &station.items {
        let Some(theirs) = there.item(&item.id) else {
            continue;
        };
        differ(format!("item \"{}\"", item.id), &theirs.text, &item.text);
        let (ours_scale, their_scale) = (this.scale(item.scale), other.scale(theirs.scale));
        for (l, (ours, their)) in ours_scale.levels.iter().zip(&their_scale.levels).enumerate() {
            differ(
                format!("item \"{}\", level {}'s label", item.id, l),
                &their.label,
                &ours.label,
            );
            let descriptor = |d: &[Option<String>]| d.get(l).cloned().flatten().unwrap_or_default();
            differ(
                format!("item \"{}\", level \"{}\"'s descriptor", item.id, ours.label),
                &descriptor(&theirs.descriptors),
                &descriptor(&item.descriptors),
            );
        }
    }
    if let (Some(ours), Some(theirs)) = (&station.global_rating, &there.global_rating) {
        differ(
            "the global rating's prompt".to_string(),
            &text(&theirs.prompt),
            &text(&ours.prompt),
        );
        let (ours_scale, their_scale) = (this.scale(ours.scale), other.scale(theirs.scale));
        for (l, (ours, their)) in ours_scale.levels.iter().zip(&their_scale.levels).enumerate() {
            differ(
                format!("global rating, level {l}'s label"),
                &their.label,
                &ours.label,
            );
            differ(
                format!("global rating, level \"{}\"'s descriptor", ours.label),
                their.descriptor.as_deref().unwrap_or_default(),
                ours.descriptor.as_deref().unwrap_or_default(),
            );
        }
    }
    if there.timing != station.timing {
        out.push(
            "its timings (marks given after time-up are late by one version's and not the other's)"
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric(text: &str) -> Rubric {
        match super::super::check_str("test.ron", text).rubric {
            Some(r) => r,
            None => panic!("the test rubric is invalid"),
        }
    }

    fn practical() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rubrics/msk-practical-exam.ron"
        ))
        .unwrap_or_default()
    }

    #[test]
    fn words_may_differ_and_marks_may_not() {
        let text = practical();
        let this = rubric(&text);
        let words = text.replacen(
            "No gross misidentification of anatomy",
            "No gross misidentification of the anatomy",
            1,
        );
        assert_ne!(
            super::super::content_hash(&text),
            super::super::content_hash(&words)
        );
        let reworded = rubric(&words);
        for station in this.scored_stations() {
            assert_eq!(
                marking_difference(&this, station, &reworded),
                None,
                "{}",
                station.id
            );
        }
        let critical = rubric(&text.replacen(
            "cleaned before and after\", scale: \"competent\", critical: FailsAssessment",
            "cleaned before and after\", scale: \"competent\"",
            1,
        ));
        let differing: Vec<String> = this
            .scored_stations()
            .filter_map(|s| marking_difference(&this, s, &critical))
            .collect();
        assert_eq!(differing.len(), 1, "{differing:?}");
        assert!(differing[0].contains("whether it is critical"), "{differing:?}");
        // The words that differ are said, the other version's first.
        let said: Vec<String> = this
            .scored_stations()
            .flat_map(|s| word_differences(&this, s, &reworded))
            .collect();
        assert_eq!(
            said,
            [
                "item \"anatomy\": \"No gross misidentification of the anatomy\" there, \"No gross misidentification of \
                 anatomy\" here"
            ],
        );
        assert!(
            this.scored_stations()
                .all(|s| word_differences(&this, s, &this).is_empty())
        );
    }
}
