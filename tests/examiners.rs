//! `osce examiners`: feedback for examiners, through the binary, on a
//! cohort built so that the answer is known: at the shoulder station one
//! examiner marks three items harder than the other, for candidates whose
//! other scores are alike.

mod common;

use common::{Dir, Marks, OSCE, run_osce, sheet};

#[test]
fn a_strict_examiner_is_told_so_and_a_lone_one_is_not_compared() {
    let d = Dir::new("examiners");
    let s = d.sub("s");
    let r = common::rubric(OSCE);
    for i in 0..12usize {
        let candidate = format!("C{:03}", i + 1);
        let ability = i % 4;
        for station in r.scored_stations() {
            let (who, marks) = match (station.id.as_str(), i < 6) {
                ("shoulder", true) => ("E01@lap1", Marks::LoseFirst(ability)),
                ("shoulder", false) => ("E02@lap2", Marks::LoseFirst(ability + 3)),
                _ => ("E09@lap9", Marks::LoseFirst(ability)),
            };
            sheet(&s, OSCE, &station.id, &candidate, who, marks, true, i as i64);
        }
    }
    let out = d.0.join("fb");
    let exam = format!("{OSCE}={}", s.display());
    let (code, said) = run_osce(&[
        "examiners",
        "--exam",
        &exam,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let read = |e: &str| std::fs::read_to_string(out.join(format!("{e}.md"))).expect("file");
    let strict = read("E02");
    assert!(
        strict.contains("**Overall:** notably stricter than the other examiners"),
        "{strict}"
    );
    assert!(strict.contains("1 other examiner here: 6 candidates"), "{strict}");
    let lenient = read("E01");
    assert!(lenient.contains("**Overall:** notably more lenient"), "{lenient}");
    // Alone at every station they marked: nothing to compare.
    let alone = read("E09");
    assert!(alone.contains("**Overall:** nothing to compare yet"), "{alone}");
    assert!(alone.contains("no other examiner marked this station"), "{alone}");

    // Two exams (a second sitting, here a copy of the first's folder): the
    // same examiners' figures over both, exam by exam.
    let second = d.sub("second");
    copy_dir(&s, &second);
    let exam2 = format!("{OSCE}={}", second.display());
    let (code, said) = run_osce(&[
        "examiners",
        "--exam",
        &exam,
        "--exam",
        &exam2,
        "--out",
        d.0.join("two").to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let both = std::fs::read_to_string(d.0.join("two/E02.md")).expect("file");
    assert_eq!(both.matches("- **Shoulder**").count(), 2, "{both}");
    // The same exam twice would count it twice: refused.
    let (code, said) = run_osce(&["examiners", "--exam", &exam, "--exam", &exam, "--out", "y"]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("is given twice"), "{said}");

    // A mistyped --exam says what to write.
    let (code, said) = run_osce(&["examiners", "--exam", OSCE, "--out", "x"]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("RUBRIC=DIR"), "{said}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// An examiner of a final clinical assessment reads of cases, not
/// stations: "at the same cases", "no other examiner marked this case".
#[test]
fn a_final_clinical_assessments_examiners_read_of_cases() {
    let d = Dir::new("examiners-fca");
    let s = d.sub("s");
    common::simulate_into(common::FCA, &s, 12, 3, 5);
    let out = d.0.join("out");
    let exam = format!("{}={}", common::FCA, s.display());
    let (code, said) = run_osce(&[
        "examiners",
        "--exam",
        &exam,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{said}");
    let mut pages = 0;
    for entry in std::fs::read_dir(&out).expect("out") {
        let page = std::fs::read_to_string(entry.expect("entry").path()).expect("page");
        assert!(page.contains("at the same cases"), "{page}");
        assert!(!page.to_lowercase().contains("station"), "{page}");
        pages += 1;
    }
    assert!(pages > 0);
}
