//! The example rubrics, built into the binary so that an installed `osce`
//! works in any folder.

pub const RUBRICS: [(&str, &str); 4] = [
    (
        "msk-ultrasound-osce.ron",
        include_str!("../../rubrics/msk-ultrasound-osce.ron"),
    ),
    (
        "msk-practical-exam.ron",
        include_str!("../../rubrics/msk-practical-exam.ron"),
    ),
    (
        "msk-final-clinical-assessment.ron",
        include_str!("../../rubrics/msk-final-clinical-assessment.ron"),
    ),
    (
        "msk-injection-final-assessment.ron",
        include_str!("../../rubrics/msk-injection-final-assessment.ron"),
    ),
];
