//! The archive's anchoring as a property: whatever is done to a collected
//! journal on disk — cut at any byte, any byte changed, a byte put in
//! anywhere — the next collect refuses it by name and the archive keeps
//! what it had; lines added at the end are taken.

mod common;

use std::path::{Path, PathBuf};

use common::{Dir, Marks, OSCE, candidate, proptest_cases};
use osce::results::archive::{Archive, collect};
use proptest::prelude::*;

fn stored(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let conn = rusqlite::Connection::open(archive).expect("open archive");
    let mut stmt = conn
        .prepare("SELECT path, bytes FROM journals ORDER BY path")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[derive(Debug, Clone)]
enum Change {
    Cut(usize),
    Flip(usize),
    Insert(usize),
    Append,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..100_000).prop_map(Change::Cut),
        (0usize..100_000).prop_map(Change::Flip),
        (0usize..100_000).prop_map(Change::Insert),
        Just(Change::Append),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(48)))]

    #[test]
    fn a_collected_journal_changed_anywhere_is_refused_and_the_archive_kept(
        which in 0usize..6,
        change in change(),
    ) {
        let dir = Dir::new("archive-prop");
        let folder = dir.sub("laptop");
        candidate(&folder, OSCE, "C001", "e.jones@lap", Marks::LoseFirst(1));
        let archive_path = dir.0.join("exam.osce");
        let mut archive = Archive::open_for_collect(&archive_path).expect("archive");
        let first = collect(&mut archive, std::slice::from_ref(&folder), chrono::Utc::now()).expect("collect");
        prop_assert!(!first.has_errors());
        let before = stored(&archive_path);

        let journals: Vec<PathBuf> = before
            .iter()
            .map(|(rel, _)| folder.join(rel))
            .collect();
        let victim = &journals[which % journals.len()];
        let rel = &before[which % before.len()].0;
        let bytes = std::fs::read(victim).expect("journal");
        let changed = match change {
            Change::Cut(at) => bytes[..at % bytes.len()].to_vec(),
            Change::Flip(at) => {
                let mut b = bytes.clone();
                b[at % bytes.len()] ^= 0x20;
                b
            }
            Change::Insert(at) => {
                let mut b = bytes.clone();
                b.insert(at % bytes.len(), b'x');
                b
            }
            Change::Append => {
                let mut b = bytes.clone();
                b.extend_from_slice(b"{\"seq\":");
                b
            }
        };
        std::fs::write(victim, &changed).expect("change");

        let again = collect(&mut archive, std::slice::from_ref(&folder), chrono::Utc::now()).expect("collect");
        if matches!(change, Change::Append) {
            prop_assert!(again.refused.is_empty(), "{:?}", again.refused);
            prop_assert_eq!(&again.grown, &vec![rel.clone()]);
        } else {
            prop_assert_eq!(again.refused.len(), 1, "{:?}", again);
            prop_assert_eq!(&again.refused[0].journal, rel);
            prop_assert_eq!(stored(&archive_path), before);
        }
    }
}
