//! Every parser against hostile input: arbitrary bytes, and valid files
//! mutated a byte at a time. None may panic or hang; each gives a result
//! or an error. (The long run for release checks: `PROPTEST_CASES=20000
//! cargo test --release --test fuzz`.)

mod common;

use common::*;
use osce::day::import::{Marker, parse_import};
use osce::day::roster::parse_roster;
use osce::rubric::check_str;
use osce::store::{decode_line, read_sheet};
use proptest::prelude::*;

/// A valid file with a few bytes changed, inserted or removed.
fn mutated(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = valid.len().max(1);
    proptest::collection::vec((0..len, any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut bytes = valid.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len());
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.push(byte),
            }
        }
        bytes
    })
}

const ROSTER: &str =
    "candidate_id,name,circuit,start_station\nC001,Aisha Khan,A,shoulder\nC002,Ben Morgan,A,knee\n";
const IMPORT: &str = "candidate_id,station,item,level,candidate_name,note\nC001,physics,frequency,Done,Aisha Rahman,\nC001,physics,depth-focus,Partially done,Aisha Rahman,\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: proptest_cases(200), ..ProptestConfig::default() })]

    #[test]
    fn rubric_checker_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let checked = check_str("fuzz.ron", &text);
        prop_assert!(checked.rubric.is_some() || checked.errors().next().is_some());
    }

    #[test]
    fn rubric_checker_never_panics_on_a_mutated_rubric(bytes in mutated(include_str!("../rubrics/msk-ultrasound-osce.ron"))) {
        let text = String::from_utf8_lossy(&bytes);
        let checked = check_str("fuzz.ron", &text);
        prop_assert!(checked.rubric.is_some() || checked.errors().next().is_some());
    }

    #[test]
    fn roster_reader_never_panics(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        mutated(ROSTER),
    ]) {
        let r = rubric(OSCE);
        let _ = parse_roster(&String::from_utf8_lossy(&bytes), &r);
    }

    #[test]
    fn paper_marks_reader_never_panics(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        mutated(IMPORT),
    ]) {
        let r = rubric(OSCE);
        let marker = Marker { examiner: "e.jones".into(), device: "paper".into() };
        let _ = parse_import(&String::from_utf8_lossy(&bytes), "fuzz.csv", "0", &r, &marker);
    }

    #[test]
    fn a_record_line_of_arbitrary_bytes_is_refused_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(decode_line(&bytes).is_err() || bytes.windows(8).any(|w| w == b"\"hash\":\""));
    }

    #[test]
    fn standards_reader_never_panics(text in prop_oneof![".{0,200}", Just("{\"assessment\":\"msk-us-osce\"}".to_string())]) {
        let d = Dir::new("fuzz-standards");
        let path = d.0.join("s.json");
        std::fs::write(&path, text).expect("write");
        prop_assert!(osce::analysis::standards::load(&path, &rubric(OSCE), &hash(OSCE)).is_err());
    }
}

/// A journal mutated anywhere: replay never panics, keeps only intact
/// records (a prefix of the originals), and reports what it left out.
#[test]
fn a_mutated_journal_replays_to_a_prefix_with_a_report() {
    let d = Dir::new("fuzz-journal");
    let s = d.sub("s");
    let path = sheet(
        &s,
        OSCE,
        "physics",
        "C001",
        "E01@lap1",
        Marks::LoseFirst(2),
        true,
        0,
    );
    let original = std::fs::read(&path).expect("journal");
    let good = read_sheet(&path).expect("replay").records;
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: proptest_cases(300),
        ..ProptestConfig::default()
    });
    let valid: &'static str = Box::leak(
        String::from_utf8(original.clone())
            .expect("utf-8")
            .into_boxed_str(),
    );
    runner
        .run(&mutated(valid), |bytes| {
            std::fs::write(&path, &bytes).expect("write");
            if let Ok(replay) = read_sheet(&path) {
                {
                    prop_assert!(replay.records.len() <= good.len());
                    for (a, b) in replay.records.iter().zip(&good) {
                        prop_assert_eq!(a, b);
                    }
                    if bytes != original {
                        prop_assert!(
                            replay.records.len() < good.len()
                                || replay.quarantined.is_some()
                                || replay.damage.is_some()
                                || bytes.len() > original.len(),
                            "a change must show"
                        );
                    }
                }
            }
            Ok(())
        })
        .expect("property");
}
