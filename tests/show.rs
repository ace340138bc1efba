//! `osce show` is what a module leader proof-reads before an exam, so its
//! text for each example rubric is pinned by a snapshot.

use std::path::Path;

use osce::rubric::{load, summary::summary};

fn show(path: &str) -> String {
    let (rubric, _) = load(Path::new(path)).unwrap_or_else(|_| panic!("{path} is valid"));
    summary(&rubric)
}

#[test]
fn osce_summary() {
    insta::assert_snapshot!(show("rubrics/msk-ultrasound-osce.ron"));
}

#[test]
fn practical_exam_summary() {
    insta::assert_snapshot!(show("rubrics/msk-practical-exam.ron"));
}

#[test]
fn final_clinical_assessment_summary() {
    insta::assert_snapshot!(show("rubrics/msk-final-clinical-assessment.ron"));
}
