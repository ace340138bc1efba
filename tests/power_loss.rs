//! Power loss, simulated: a journal cut, zeroed or changed at every byte
//! offset of its last records. Replay must keep every intact record before
//! the damage, report (never silently drop) the rest, set a torn tail aside
//! when the sheet is opened again, and `osce audit` must flag it. Nothing
//! may panic. docs/reliability.md quotes the number of cases.

mod common;

use common::*;
use osce::store::{SheetKey, Store, read_sheet};

const LAST_RECORDS: usize = 3;

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Records before the first changed byte: all must survive.
    intact: usize,
}

/// Where each line starts, and the journal's bytes.
fn lines(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' && i + 1 < bytes.len() {
            starts.push(i + 1);
        }
    }
    starts
}

fn cases(original: &[u8]) -> Vec<Case> {
    let starts = lines(original);
    let from = starts[starts.len() - LAST_RECORDS];
    let record_at = |offset: usize| starts.iter().filter(|s| **s <= offset).count() - 1;
    let mut cases = Vec::new();
    for offset in from..original.len() {
        let intact = record_at(offset);
        cases.push(Case {
            name: "cut short",
            bytes: original[..offset].to_vec(),
            intact,
        });
        let mut zeroed = original.to_vec();
        zeroed[offset..].iter_mut().for_each(|b| *b = 0);
        cases.push(Case {
            name: "zeroed tail",
            bytes: zeroed,
            intact,
        });
        let mut flipped = original.to_vec();
        flipped[offset] ^= 0x20;
        cases.push(Case {
            name: "flipped byte",
            bytes: flipped,
            intact,
        });
    }
    cases
}

#[test]
fn every_offset_of_the_last_records() {
    let d = Dir::new("power-loss");
    let s = d.sub("s");
    let path = sheet(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E01@lap1",
        Marks::LoseFirst(3),
        true,
        0,
    );
    let original = std::fs::read(&path).expect("journal");
    let good = read_sheet(&path).expect("replay").records;
    let r = rubric(OSCE);
    let h = hash(OSCE);
    let key = SheetKey {
        assessment: r.id.clone(),
        station: "shoulder".into(),
        candidate: "C001".into(),
        examiner: "E01".into(),
        device: "lap1".into(),
    };
    let all = cases(&original);
    let mut tried = 0;
    for case in &all {
        // Some edits change nothing the replay can see (a flipped bit in a
        // trailing newline's neighbour that still parses is impossible:
        // every line is hashed), so every case is a change to report.
        std::fs::write(&path, &case.bytes).expect("write");
        let _ = std::fs::remove_file(osce::store::quarantine_path(&path));
        let replay = read_sheet(&path).expect("readable");
        assert!(
            replay.records.len() >= case.intact,
            "{} at {}: lost an intact record",
            case.name,
            tried
        );
        assert_eq!(
            &replay.records[..],
            &good[..replay.records.len()],
            "{}: only original records",
            case.name
        );
        // A cut exactly at a line's start leaves a shorter, sound journal:
        // what a crash before that record was written leaves, and those
        // records were never reported saved. Every other change shows.
        let clean_cut = case.name == "cut short" && lines(&original).contains(&case.bytes.len());
        if case.bytes != original && !clean_cut {
            assert!(
                replay.quarantined.is_some() || replay.damage.is_some() || replay.records.len() < good.len(),
                "{}: the change is reported",
                case.name
            );
            let report = osce::results::audit::audit(&r, &h, std::slice::from_ref(&s)).expect("audit");
            assert!(report.has_errors(), "{}: audit flags it", case.name);
        }
        // Opening the sheet again keeps the intact records; a torn tail
        // is set aside in the quarantine file, damage refuses to open.
        match Store::new(&s).open_sheet(&key, &h) {
            Ok((_, reopened)) => {
                assert_eq!(reopened.records.len(), replay.records.len());
                if replay.quarantined.is_some() {
                    assert!(
                        osce::store::quarantine_path(&path).exists(),
                        "{}: set aside",
                        case.name
                    );
                }
            }
            Err(e) => assert!(
                replay.damage.is_some(),
                "{}: refused only for damage: {e}",
                case.name
            ),
        }
        tried += 1;
    }
    assert!(tried >= 3 * 200, "{tried} cases");
    eprintln!("power loss: {tried} cases over the last {LAST_RECORDS} records");
}
