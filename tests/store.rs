//! The session store on a real file system: round trips, permissions,
//! locks, refusals, torn writes and damage, the folder listing, the
//! example lines in `docs/session-format.md`, and the property that
//! replaying any cut of a journal gives exactly a prefix of what was
//! written.
//!
//! Every test works in its own fresh folder under the system temp folder.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use osce::store::*;
use proptest::prelude::*;

const DOC_PATH: &str = "docs/session-format.md";
const DOC: &str = include_str!("../docs/session-format.md");
const RECORD_RS: &str = include_str!("../src/store/record.rs");

/// A fresh, empty folder, removed again when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("osce-store-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// A store whose root does not exist yet, so that opening a sheet
    /// creates it.
    fn store(&self) -> Store {
        Store::new(self.0.join("sessions"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn key() -> SheetKey {
    key_for("shoulder", "C001")
}

fn key_for(station: &str, candidate: &str) -> SheetKey {
    SheetKey {
        assessment: "y3-osce".into(),
        station: station.into(),
        candidate: candidate.into(),
        examiner: "e.jones".into(),
        device: "laptop-07".into(),
    }
}

fn rubric() -> String {
    hash_rubric("(id: \"y3-osce\", title: \"Year 3 OSCE\")\n")
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_780_000_000 + seconds, 123_000_000).unwrap()
}

fn mark(item: &str, level: usize) -> Event {
    Event::Mark {
        item: item.into(),
        level: Some(level),
        label: format!("level {level}"),
        late: false,
    }
}

/// A journal of `n` records (an opening, then marks) for `key()`.
fn write_journal(store: &Store, n: usize) -> (PathBuf, Vec<Record>) {
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    let mut written = Vec::new();
    for i in 0..n {
        let event = if i == 0 {
            Event::Opened {
                app_version: "0.1.0".into(),
            }
        } else {
            mark("lhb", i % 3)
        };
        written.push(journal.append(event, at(i as i64)).unwrap());
    }
    (journal.path().to_path_buf(), written)
}

/// Byte offsets where each line ends (just after its `\n`).
fn line_ends(bytes: &[u8]) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect()
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn appended_records_replay_as_written() {
    let dir = TempDir::new("round-trip");
    let store = dir.store();
    let (mut journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    assert_eq!(
        replay,
        Replay {
            records: vec![],
            quarantined: None,
            damage: None
        }
    );
    let events = [
        Event::Opened {
            app_version: "0.1.0".into(),
        },
        Event::Confirmed {
            candidate_name: "Ann \"Annie\" O'Neil\n(née Ó Briain)".into(),
        },
        mark("lhb", 2),
        Event::Mark {
            item: "supra".into(),
            level: None,
            label: "Not observed".into(),
            late: true,
        },
        Event::Undo { undoes: 3 },
        Event::Submitted {
            score: 17.5,
            max: 24.0,
            outcome: osce::scoring::StationOutcome::Pass,
        },
    ];
    let mut written = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let record = journal.append(event.clone(), at(i as i64)).unwrap();
        assert_eq!(record.seq, i as u64 + 1);
        assert_eq!(
            record.prev,
            written.last().map_or(GENESIS, |r: &Record| r.hash.as_str())
        );
        assert_eq!(record.key(), key());
        assert_eq!(record.rubric, rubric());
        assert_eq!(&record.event, event);
        written.push(record);
    }
    assert_eq!(journal.records(), &written[..]);
    let path = journal.path().to_path_buf();
    assert_eq!(path, store.sheet_path(&key()).unwrap());
    assert!(
        path.ends_with("sessions/y3-osce/e.jones@laptop-07/C001/shoulder.jsonl"),
        "{}",
        path.display()
    );
    drop(journal);

    // The file is exactly the encoded lines, one per record.
    let text = fs::read_to_string(&path).unwrap();
    let expected: String = written
        .iter()
        .map(|r| encode_line(&mut r.clone()).unwrap())
        .collect();
    assert_eq!(text, expected);
    assert_eq!(text.lines().count(), written.len());

    let read = read_sheet(&path).unwrap();
    assert_eq!(
        read,
        Replay {
            records: written.clone(),
            quarantined: None,
            damage: None
        }
    );
    let (journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    assert_eq!(replay.records, written);
    assert_eq!(journal.records(), &written[..]);
}

#[test]
fn reopened_journal_continues_the_chain() {
    let dir = TempDir::new("continue");
    let store = dir.store();
    let (path, written) = write_journal(&store, 3);
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    let fourth = journal.append(mark("lhb", 1), at(10)).unwrap();
    assert_eq!((fourth.seq, fourth.prev.as_str()), (4, written[2].hash.as_str()));
    drop(journal);
    assert_eq!(read_sheet(&path).unwrap().records.len(), 4);
}

#[test]
fn an_empty_file_is_an_empty_journal() {
    let dir = TempDir::new("empty");
    let store = dir.store();
    let path = store.sheet_path(&key()).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, b"").unwrap();
    assert_eq!(
        read_sheet(&path).unwrap(),
        Replay {
            records: vec![],
            quarantined: None,
            damage: None
        }
    );
    let (mut journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    assert!(replay.records.is_empty() && replay.quarantined.is_none());
    assert_eq!(journal.append(mark("lhb", 0), at(0)).unwrap().seq, 1);
}

#[test]
fn folders_and_files_are_private() {
    let dir = TempDir::new("modes");
    let store = dir.store();
    let (path, _) = write_journal(&store, 1);
    assert_eq!(mode(&path), 0o600);
    let candidate = path.parent().unwrap();
    let examiner = candidate.parent().unwrap();
    let assessment = examiner.parent().unwrap();
    for folder in [candidate, examiner, assessment, store.root()] {
        assert_eq!(mode(folder), 0o700, "{}", folder.display());
    }
    // A quarantine file is private too.
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"seq\":2,\"ti");
    fs::write(&path, &bytes).unwrap();
    let (_journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    let quarantine = replay.quarantined.unwrap();
    assert_eq!(mode(&quarantine.path), 0o600);
}

#[test]
fn a_sheet_has_one_writer_at_a_time() {
    let dir = TempDir::new("lock");
    let store = dir.store();
    let (mut first, _) = store.open_sheet(&key(), &rubric()).unwrap();
    first.append(mark("lhb", 1), at(0)).unwrap();

    let err = store.open_sheet(&key(), &rubric()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Locked { path } if path == first.path()),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("shoulder.jsonl"), "{message}");
    assert!(message.contains("another osce window or process"), "{message}");
    // Another store value on the same folder is no way round the lock.
    assert!(matches!(
        Store::new(store.root()).open_sheet(&key(), &rubric()),
        Err(StoreError::Locked { .. })
    ));

    // Another process sees the lock too (flock(1) from util-linux).
    let other = std::process::Command::new("flock")
        .arg("-n")
        .arg(first.path())
        .arg("true")
        .status();
    match other {
        Ok(status) => assert!(!status.success(), "another process could take the lock"),
        Err(e) => eprintln!("flock(1) not available ({e}); lock not checked across processes"),
    }

    // A read-only look is still allowed while the sheet is open.
    assert_eq!(read_sheet(first.path()).unwrap().records.len(), 1);

    drop(first);
    let (second, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    assert_eq!(replay.records.len(), 1);
    assert_eq!(second.records().len(), 1);
    // Other sheets were never locked.
    assert!(store.open_sheet(&key_for("knee", "C001"), &rubric()).is_ok());
}

#[test]
fn a_changed_rubric_is_refused() {
    let dir = TempDir::new("rubric");
    let store = dir.store();
    let (path, _) = write_journal(&store, 2);
    let before = fs::read(&path).unwrap();
    let other = hash_rubric("(id: \"y3-osce\", title: \"Year 3 OSCE, corrected\")\n");
    let err = store.open_sheet(&key(), &other).unwrap_err();
    match &err {
        StoreError::RubricChanged {
            path: p,
            expected,
            found,
        } => {
            assert_eq!((p, expected, found), (&path, &other, &rubric()));
        }
        _ => panic!("{err:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("rubric file the marks were made with"),
        "{message}"
    );
    assert!(message.contains("must not move silently"), "{message}");
    assert_eq!(fs::read(&path).unwrap(), before, "nothing changed");
    // The right rubric still opens it.
    assert!(store.open_sheet(&key(), &rubric()).is_ok());
}

/// Cuts the last record at every byte offset inside it, with and without
/// zeros after the cut (as a power cut can leave a file). Reading alone
/// reports the torn tail and moves nothing; opening keeps the complete
/// records, moves exactly the cut bytes to the quarantine file, and the
/// journal goes on from the last good record.
///
/// Every cut is read; one in sixteen, and the first and last few, are also
/// opened for writing (what happens then does not depend on where the cut
/// is, and each opening costs several fsyncs, which a busy disk makes slow).
#[test]
fn a_torn_last_line_is_quarantined_and_the_journal_goes_on() {
    let dir = TempDir::new("torn");
    let store = dir.store();
    let (path, written) = write_journal(&store, 4);
    let full = fs::read(&path).unwrap();
    let ends = line_ends(&full);
    let start = ends[2]; // where the last record begins
    let quarantine = path.with_file_name("shoulder.jsonl.quarantine");
    let mut opened = 0;
    for cut in start + 1..full.len() {
        for zeros in [0, full.len() - cut, full.len() - cut + 4096] {
            let mut torn = full[..cut].to_vec();
            torn.resize(cut + zeros, 0);
            fs::write(&path, &torn).unwrap();

            let read = read_sheet(&path).unwrap();
            assert_eq!(read.records, written[..3], "cut at {cut} + {zeros} zeros");
            assert!(read.damage.is_none());
            let q = read.quarantined.unwrap();
            assert_eq!(
                (q.bytes, q.first_bad_line, q.moved),
                ((torn.len() - start) as u64, 4, false)
            );
            assert_eq!(fs::read(&path).unwrap(), torn);
            assert!(!quarantine.exists());
            let near_an_end = cut < start + 4 || cut + 4 > full.len();
            if !(near_an_end || cut % 16 == 0 || (zeros > 0 && cut % 24 == 0)) {
                continue;
            }

            let (mut journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
            assert_eq!(replay.records, written[..3]);
            assert!(replay.damage.is_none());
            let q = replay.quarantined.unwrap();
            assert_eq!(q.path, quarantine);
            assert_eq!(
                (q.bytes, q.first_bad_line, q.moved),
                ((torn.len() - start) as u64, 4, true)
            );
            assert!(q.to_string().contains("set aside in"), "{q}");
            assert_eq!(fs::read(&quarantine).unwrap(), &torn[start..]);
            assert_eq!(fs::read(&path).unwrap(), &full[..start]);
            fs::remove_file(&quarantine).unwrap();
            opened += 1;

            if near_an_end || cut % 48 == 0 {
                let next = journal.append(mark("supra", 2), at(99)).unwrap();
                assert_eq!((next.seq, next.prev.as_str()), (4, written[2].hash.as_str()));
                drop(journal);
                let after = read_sheet(&path).unwrap();
                assert_eq!(
                    (after.records.len(), after.quarantined, after.damage),
                    (4, None, None)
                );
            }
        }
    }
    assert!(opened > 30, "{opened}");
}

#[test]
fn zeros_after_complete_records_are_quarantined() {
    let dir = TempDir::new("zeros");
    let store = dir.store();
    let (path, written) = write_journal(&store, 2);
    let mut bytes = fs::read(&path).unwrap();
    let good = bytes.len();
    bytes.resize(good + 8192, 0);
    fs::write(&path, &bytes).unwrap();
    let (_journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
    assert_eq!(replay.records, written);
    let q = replay.quarantined.unwrap();
    assert_eq!((q.bytes, q.first_bad_line), (8192, 3));
    assert_eq!(fs::metadata(&path).unwrap().len(), good as u64);
}

#[test]
fn quarantine_files_keep_every_torn_tail() {
    let dir = TempDir::new("two-tears");
    let store = dir.store();
    let (path, _) = write_journal(&store, 1);
    let mut all = Vec::new();
    for tail in [&b"{\"seq\":2,"[..], &b"\0\0\0"[..]] {
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(tail);
        fs::write(&path, &bytes).unwrap();
        let (_journal, replay) = store.open_sheet(&key(), &rubric()).unwrap();
        all.extend_from_slice(tail);
        assert_eq!(fs::read(replay.quarantined.unwrap().path).unwrap(), all);
    }
}

/// Flips each byte of a record in the middle in turn: always damage at that
/// line, never a torn tail; opening refuses and changes nothing; reading
/// shows the intact records before it.
#[test]
fn a_flipped_byte_in_the_middle_is_damage() {
    let dir = TempDir::new("flip");
    let store = dir.store();
    let (path, written) = write_journal(&store, 5);
    let full = fs::read(&path).unwrap();
    let ends = line_ends(&full);
    for at_byte in ends[1]..ends[2] - 1 {
        let mut bytes = full.clone();
        bytes[at_byte] ^= 0x01;
        fs::write(&path, &bytes).unwrap();
        let read = read_sheet(&path).unwrap();
        assert_eq!(read.records, written[..2], "byte {at_byte}");
        assert_eq!(read.damage.as_ref().map(|d| d.line), Some(3), "byte {at_byte}");
        assert!(read.quarantined.is_none());
        if at_byte % 16 == 0 {
            let err = store.open_sheet(&key(), &rubric()).unwrap_err();
            assert!(
                matches!(&err, StoreError::Damaged { line: 3, .. }),
                "byte {at_byte}: {err:?}"
            );
            assert_eq!(fs::read(&path).unwrap(), bytes, "nothing changed");
            assert!(!quarantine_path(&path).exists());
        }
    }
}

#[test]
fn hand_edits_in_the_middle_are_found() {
    let dir = TempDir::new("edit");
    let store = dir.store();
    let (path, written) = write_journal(&store, 5);
    let full = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    assert!(lines[2].contains("\"level\":2"), "{}", lines[2]);

    let check = |text: String, line: usize, reason_has: &str| {
        fs::write(&path, &text).unwrap();
        let err = store.open_sheet(&key(), &rubric()).unwrap_err();
        match &err {
            StoreError::Damaged { line: l, reason, .. } => {
                assert_eq!(*l, line, "{err}");
                assert!(reason.contains(reason_has), "{reason}");
            }
            _ => panic!("{err:?}"),
        }
        assert!(err.to_string().contains("Do not edit the file"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), text, "nothing changed");
        // The intact part before the damage (a line edited and rehashed
        // looks intact in itself: the line after it shows the break).
        let read = read_sheet(&path).unwrap();
        assert_eq!(read.records.len(), line - 1);
        let unedited = (line - 1).min(2);
        assert_eq!(read.records[..unedited], written[..unedited]);
        assert_eq!(read.damage.map(|d| d.line), Some(line));
    };
    let with_line = |i: usize, new: &str| {
        let mut lines = lines.clone();
        lines[i] = new;
        lines.iter().map(|l| format!("{l}\n")).collect::<String>()
    };

    // A mark changed by hand, hash left as it was: line 3 no longer matches.
    let edited = lines[2].replace("\"level\":2", "\"level\":1");
    check(with_line(2, &edited), 3, "do not match its hash");

    // The same edit with the line's own hash recomputed: the next line's
    // `prev` gives it away.
    let mut record = decode_line(lines[2].as_bytes()).unwrap();
    record.event = mark("lhb", 1);
    let rehashed = encode_line(&mut record).unwrap();
    check(with_line(2, rehashed.trim_end()), 4, "prev");

    // A line removed from the middle.
    let removed: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    check(removed, 2, "record number 3 where 2 was expected");

    // Two lines swapped.
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    check(
        swapped.iter().map(|l| format!("{l}\n")).collect(),
        2,
        "record number 3",
    );

    // A line from another sheet (a valid line in itself) spliced in.
    let other = Store::new(dir.path().join("elsewhere"));
    let (mut foreign, _) = other.open_sheet(&key_for("shoulder", "C002"), &rubric()).unwrap();
    foreign
        .append(
            Event::Opened {
                app_version: "0.1.0".into(),
            },
            at(0),
        )
        .unwrap();
    foreign.append(mark("lhb", 2), at(1)).unwrap();
    let foreign_lines = fs::read_to_string(foreign.path()).unwrap();
    let second = foreign_lines.lines().nth(1).unwrap();
    check(with_line(1, second), 2, "prev");
}

#[test]
fn a_journal_for_another_sheet_is_refused() {
    let dir = TempDir::new("wrong-sheet");
    let store = dir.store();
    let (path, _) = write_journal(&store, 2);
    let other_key = key_for("shoulder", "C002");
    let other_path = store.sheet_path(&other_key).unwrap();
    fs::create_dir_all(other_path.parent().unwrap()).unwrap();
    fs::copy(&path, &other_path).unwrap();
    let before = fs::read(&other_path).unwrap();
    let err = store.open_sheet(&other_key, &rubric()).unwrap_err();
    match &err {
        StoreError::WrongSheet { path: p, reason } => {
            assert_eq!(p, &other_path);
            assert!(
                reason.contains("candidate C001") && reason.contains("candidate C002"),
                "{reason}"
            );
        }
        _ => panic!("{err:?}"),
    }
    assert!(err.to_string().contains("wrong folder"), "{err}");
    assert_eq!(fs::read(&other_path).unwrap(), before);
    // Read alone, the file is sound in itself.
    let read = read_sheet(&other_path).unwrap();
    assert_eq!((read.records.len(), read.damage), (2, None));
}

#[test]
fn mixed_sheets_in_one_file_are_damage_when_read() {
    let dir = TempDir::new("mixed");
    let store = dir.store();
    let (path, written) = write_journal(&store, 2);
    // A sound, chained third line that claims another candidate.
    let mut record = written[1].clone();
    record.seq = 3;
    record.prev = written[1].hash.clone();
    record.candidate = "C002".into();
    let line = encode_line(&mut record).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(line.as_bytes());
    fs::write(&path, &bytes).unwrap();
    let read = read_sheet(&path).unwrap();
    assert_eq!(read.records, written);
    let damage = read.damage.unwrap();
    assert_eq!(damage.line, 3);
    assert!(damage.reason.contains("candidate C002"), "{}", damage.reason);
    assert!(matches!(
        store.open_sheet(&key(), &rubric()),
        Err(StoreError::WrongSheet { .. })
    ));

    // The same with another rubric instead.
    record.candidate = "C001".into();
    record.rubric = hash_rubric("another rubric");
    let line = encode_line(&mut record).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.truncate(line_ends(&bytes)[1]);
    bytes.extend_from_slice(line.as_bytes());
    fs::write(&path, &bytes).unwrap();
    assert_eq!(read_sheet(&path).unwrap().damage.map(|d| d.line), Some(3));
    assert!(matches!(
        store.open_sheet(&key(), &rubric()),
        Err(StoreError::RubricChanged { .. })
    ));
}

#[test]
fn bad_ids_are_refused_before_touching_the_disk() {
    let dir = TempDir::new("ids");
    let store = dir.store();
    for bad in ["../x", "a/b", "", ".hidden", "a b"] {
        for field in ["assessment", "station", "candidate", "examiner", "device"] {
            let mut k = key();
            match field {
                "assessment" => k.assessment = bad.into(),
                "station" => k.station = bad.into(),
                "candidate" => k.candidate = bad.into(),
                "examiner" => k.examiner = bad.into(),
                _ => k.device = bad.into(),
            }
            for err in [
                store.sheet_path(&k).unwrap_err(),
                store.open_sheet(&k, &rubric()).unwrap_err(),
            ] {
                match &err {
                    StoreError::BadId { what, id, .. } => assert_eq!((*what, id.as_str()), (field, bad)),
                    _ => panic!("{field} {bad:?}: {err:?}"),
                }
                assert!(err.to_string().contains(field), "{err}");
            }
        }
        assert!(matches!(
            store.sheets(bad),
            Err(StoreError::BadId {
                what: "assessment",
                ..
            })
        ));
    }
    assert!(!store.root().exists(), "the store's folder was created");
}

#[test]
fn symbolic_links_are_never_written_through() {
    let dir = TempDir::new("links");
    let store = dir.store();
    let path = store.sheet_path(&key()).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let target = dir.path().join("target.jsonl");
    fs::write(&target, b"").unwrap();
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let err = store.open_sheet(&key(), &rubric()).unwrap_err();
    assert!(
        matches!(&err, StoreError::NotPlain { path: p, what: "a symbolic link" } if *p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains("never through a symbolic link"), "{err}");
    assert_eq!(fs::read(&target).unwrap(), b"");
    // A link to nowhere is refused too, and nothing is created at its target.
    fs::remove_file(&target).unwrap();
    assert!(matches!(
        store.open_sheet(&key(), &rubric()),
        Err(StoreError::NotPlain { .. })
    ));
    assert!(!target.exists());

    // A linked folder inside the store is refused as well.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let candidate_dir = store
        .sheet_path(&key_for("shoulder", "C002"))
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    std::os::unix::fs::symlink(&elsewhere, &candidate_dir).unwrap();
    let err = store
        .open_sheet(&key_for("shoulder", "C002"), &rubric())
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotPlain { path: p, .. } if *p == candidate_dir),
        "{err:?}"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);

    // So is a linked quarantine file, when a torn tail is to be moved.
    let (path, _) = {
        let k = key_for("knee", "C001");
        let (mut journal, _) = store.open_sheet(&k, &rubric()).unwrap();
        journal.append(mark("lhb", 1), at(0)).unwrap();
        (journal.path().to_path_buf(), ())
    };
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"seq\":");
    fs::write(&path, &bytes).unwrap();
    let decoy = dir.path().join("decoy");
    std::os::unix::fs::symlink(&decoy, quarantine_path(&path)).unwrap();
    let err = store.open_sheet(&key_for("knee", "C001"), &rubric()).unwrap_err();
    assert!(matches!(&err, StoreError::NotPlain { .. }), "{err:?}");
    assert!(!decoy.exists());
    assert_eq!(fs::read(&path).unwrap(), bytes, "nothing changed");
}

#[test]
fn a_failed_append_saves_nothing_and_the_next_one_works() {
    let dir = TempDir::new("failed-append");
    let store = dir.store();
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    let first = journal.append(mark("lhb", 1), at(0)).unwrap();
    let before = fs::read(journal.path()).unwrap();
    // JSON has no NaN: such a record would not read back, so it is refused.
    let err = journal
        .append(
            Event::Submitted {
                score: f64::NAN,
                max: 10.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
            at(1),
        )
        .unwrap_err();
    assert!(matches!(&err, StoreError::Unwritable { .. }), "{err:?}");
    assert!(err.to_string().contains("Nothing was saved"), "{err}");
    assert_eq!(fs::read(journal.path()).unwrap(), before);
    let second = journal.append(mark("lhb", 2), at(2)).unwrap();
    assert_eq!((second.seq, second.prev.as_str()), (2, first.hash.as_str()));
    assert_eq!(read_sheet(journal.path()).unwrap().records, vec![first, second]);
}

#[test]
fn a_file_changed_behind_the_journal_is_not_written_to() {
    let dir = TempDir::new("behind");
    let store = dir.store();
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    journal.append(mark("lhb", 1), at(0)).unwrap();
    let mut bytes = fs::read(journal.path()).unwrap();
    bytes.extend_from_slice(b"written by someone else\n");
    fs::write(journal.path(), &bytes).unwrap();
    let err = journal.append(mark("lhb", 2), at(1)).unwrap_err();
    assert!(matches!(&err, StoreError::Damaged { line: 2, .. }), "{err:?}");
    assert_eq!(fs::read(journal.path()).unwrap(), bytes);
}

/// A journal opened and closed with nothing written to it leaves no empty
/// file (a sheet only looked at); one written to, or there before, stays.
#[test]
fn a_journal_opened_and_never_written_to_is_not_left_behind() {
    let dir = TempDir::new("unwritten");
    let store = dir.store();
    let (journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    let path = journal.path().to_path_buf();
    assert!(path.is_file());
    drop(journal);
    assert!(!path.exists(), "an empty journal made by the opening is removed");
    // An empty file there before the opening is left as it was.
    fs::write(&path, b"").unwrap();
    drop(store.open_sheet(&key(), &rubric()).unwrap());
    assert!(path.is_file());
    fs::remove_file(&path).unwrap();
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    journal.append(mark("lhb", 1), at(0)).unwrap();
    drop(journal);
    assert_eq!(read_sheet(&path).unwrap().records.len(), 1);
    // Opened again by a second window while the first holds it: the second
    // is refused, and the first's closing removes nothing it wrote.
    fs::remove_file(&path).unwrap();
    let (first, _) = store.open_sheet(&key(), &rubric()).unwrap();
    assert!(matches!(
        store.open_sheet(&key(), &rubric()),
        Err(StoreError::Locked { .. })
    ));
    drop(first);
    let (mut again, _) = store.open_sheet(&key(), &rubric()).unwrap();
    again.append(mark("lhb", 2), at(1)).unwrap();
    drop(again);
    assert_eq!(read_sheet(&path).unwrap().records.len(), 1);
}

/// A second window waiting the moment it takes for the lock while the
/// first closes the sheet empty (and so removes its journal) opens the
/// sheet afresh: what it then saves is in the folder, not in the removed
/// file.
#[test]
fn a_window_waiting_for_the_lock_of_a_journal_closed_empty_saves_into_the_folder() {
    let dir = TempDir::new("waiting");
    let store = dir.store();
    let path = store.sheet_path(&key()).unwrap();
    for _ in 0..5 {
        let (first, _) = store.open_sheet(&key(), &rubric()).unwrap();
        let second = std::thread::spawn({
            let store = dir.store();
            move || {
                let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
                journal.append(mark("lhb", 1), at(0)).unwrap();
            }
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        drop(first);
        second.join().unwrap();
        assert_eq!(
            read_sheet(&path).unwrap().records.len(),
            1,
            "the record is in the folder"
        );
        fs::remove_file(&path).unwrap();
    }
}

/// A spare laptop looks for this examiner's sheet under other devices'
/// names: one that holds records counts, an empty one (a sheet only
/// opened, on a laptop that died before closing it) does not.
#[test]
fn a_sheet_on_another_device_counts_only_if_it_holds_records() {
    let dir = TempDir::new("other-device");
    let store = dir.store();
    let spare = SheetKey {
        device: "spare".into(),
        ..key()
    };
    let others = || store.other_devices(&spare.assessment, &spare.examiner, &spare.device);
    assert!(store.on_other_device(&spare, &others()).is_none());
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    let path = journal.path().to_path_buf();
    assert!(
        store.on_other_device(&spare, &others()).is_none(),
        "empty: not begun there"
    );
    journal.append(mark("lhb", 1), at(0)).unwrap();
    assert_eq!(
        store.on_other_device(&spare, &others()),
        Some((key().device, path))
    );
}

/// A journal removed from its folder while open (by hand, a sync client)
/// takes no more records: they would be in a file no folder holds.
#[test]
fn a_journal_removed_while_open_takes_no_more_records() {
    let dir = TempDir::new("removed");
    let store = dir.store();
    let (mut journal, _) = store.open_sheet(&key(), &rubric()).unwrap();
    journal.append(mark("lhb", 1), at(0)).unwrap();
    fs::remove_file(journal.path()).unwrap();
    let err = journal.append(mark("lhb", 2), at(1)).unwrap_err();
    assert!(
        err.to_string()
            .contains("removed from its folder while it was open"),
        "{err}"
    );
}

#[test]
fn sheets_lists_every_journal_in_order() {
    let dir = TempDir::new("sheets");
    let store = dir.store();
    assert!(store.sheets("y3-osce").unwrap().is_empty(), "missing root");
    let mut keys = Vec::new();
    for (station, candidate, examiner, device) in [
        ("shoulder", "C002", "e.jones", "laptop-07"),
        ("knee", "C001", "e.jones", "laptop-07"),
        ("shoulder", "C001", "b.patel", "laptop-02"),
        ("shoulder", "C001", "e.jones", "laptop-07"),
        ("v2.1", "C010", "b.patel", "laptop-02"),
    ] {
        let k = SheetKey {
            assessment: "y3-osce".into(),
            station: station.into(),
            candidate: candidate.into(),
            examiner: examiner.into(),
            device: device.into(),
        };
        // A journal opened and never written to is removed when closed:
        // each holds a record.
        let (mut j, _) = store.open_sheet(&k, &rubric()).unwrap();
        j.append(mark("lhb", 1), at(0)).unwrap();
        keys.push(k);
    }
    // Another assessment, and things osce never writes.
    let (mut j, _) = store
        .open_sheet(
            &SheetKey {
                assessment: "other".into(),
                ..key()
            },
            &rubric(),
        )
        .unwrap();
    j.append(mark("lhb", 1), at(0)).unwrap();
    drop(j);
    let examiner_dir = store.root().join("y3-osce/e.jones@laptop-07");
    fs::write(examiner_dir.join("C001/shoulder.jsonl.quarantine"), b"x").unwrap();
    fs::write(examiner_dir.join("C001/notes.txt"), b"x").unwrap();
    fs::write(examiner_dir.join("C001/.hidden.jsonl"), b"x").unwrap();
    fs::create_dir_all(examiner_dir.join("C001/folder.jsonl")).unwrap();
    fs::create_dir_all(store.root().join("y3-osce/no-at-sign/C001")).unwrap();
    fs::write(store.root().join("y3-osce/no-at-sign/C001/knee.jsonl"), b"").unwrap();
    fs::write(store.root().join("y3-osce/README.md"), b"x").unwrap();

    let listed = store.sheets("y3-osce").unwrap();
    keys.sort();
    assert_eq!(listed.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(), keys);
    for (k, p) in &listed {
        assert_eq!(p, &store.sheet_path(k).unwrap());
    }
    assert_eq!(store.sheets("y3-osce").unwrap(), listed, "same order every time");
    assert!(store.sheets("no-such-assessment").unwrap().is_empty());
    assert_eq!(store.sheets("other").unwrap().len(), 1);
}

// ---------------------------------------------------------------------------
// docs/session-format.md

/// The example lines in the doc: the ```` ```jsonl ```` block.
fn doc_example() -> String {
    let start = DOC
        .find("```jsonl\n")
        .unwrap_or_else(|| panic!("{DOC_PATH} has no ```jsonl block"))
        + 9;
    let len = DOC[start..]
        .find("```")
        .unwrap_or_else(|| panic!("{DOC_PATH}: the ```jsonl block is not closed"));
    DOC[start..start + len].to_string()
}

/// What the doc's example lines must be, made by the code.
fn expected_example() -> String {
    let key = SheetKey {
        assessment: "y3-osce-2026".into(),
        station: "shoulder".into(),
        candidate: "C014".into(),
        examiner: "e.jones".into(),
        device: "laptop-07".into(),
    };
    let rubric = hash_rubric("the rubric file's text\n");
    let events = [
        Event::Opened {
            app_version: "0.1.0".into(),
        },
        Event::Timer {
            action: TimerAction::Start,
            elapsed_ms: 0,
            due: None,
        },
        Event::Mark {
            item: "supraspinatus".into(),
            level: Some(2),
            label: "Done".into(),
            late: false,
        },
    ];
    let times = [
        "2026-06-03T09:15:02.418Z",
        "2026-06-03T09:15:09.030Z",
        "2026-06-03T09:17:41.902Z",
    ];
    let events = events
        .into_iter()
        .zip(times)
        .map(|(event, time)| (event, time.parse().expect("time")))
        .collect();
    encode_journal(&key, &rubric, events).expect("encode")
}

#[test]
fn the_doc_example_lines_verify() {
    let example = doc_example();
    assert_eq!(
        example.lines().count(),
        3,
        "{DOC_PATH}: the example block should hold 3 lines"
    );
    // Each line verifies on its own with `decode_line` ...
    let records: Vec<Record> = example
        .lines()
        .enumerate()
        .map(|(i, l)| {
            decode_line(l.as_bytes()).unwrap_or_else(|e| panic!("{DOC_PATH}: example line {}: {e}", i + 1))
        })
        .collect();
    // ... and together they are a sound journal.
    let dir = TempDir::new("doc");
    let path = dir.path().join("shoulder.jsonl");
    fs::write(&path, &example).unwrap();
    let replay = read_sheet(&path).unwrap();
    assert_eq!(
        replay,
        Replay {
            records,
            quarantined: None,
            damage: None
        }
    );
    // And they are what the code writes today.
    assert_eq!(
        example,
        expected_example(),
        "{DOC_PATH}: regenerate the example block with the lines on the right"
    );
    // The hand check in the doc quotes the hash of the first line's prefix.
    let first = example.lines().next().unwrap();
    let prefix = &first[..first.rfind(",\"hash\":\"").unwrap()];
    let hash = blake3_hex(&format!("{prefix}}}"));
    assert!(
        DOC.contains(&hash),
        "{DOC_PATH} should quote the first line's hash {hash}"
    );
}

fn blake3_hex(text: &str) -> String {
    // BLAKE3 of the text, as b3sum prints it.
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// Variant names of `enum NAME` in record.rs, in snake_case.
fn variants(name: &str) -> Vec<String> {
    let start = RECORD_RS
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let body = &RECORD_RS[start..];
    let body = &body[..body.find("\n}").unwrap()];
    body.lines()
        .skip(1)
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| {
            let ident: String = l.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let mut snake = String::new();
            for (i, c) in ident.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        })
        .collect()
}

/// One of every event, with the values the doc shows.
fn sample_events() -> Vec<Event> {
    vec![
        Event::Opened {
            app_version: "0.1.0".into(),
        },
        Event::Confirmed {
            candidate_name: "Alex Morgan".into(),
        },
        Event::NameCorrected {
            candidate_name: "Alex Morgan-Lee".into(),
            recorded: "Alex Morgan".into(),
            reason: "Roster not updated after a change of name".into(),
        },
        Event::Mark {
            item: "supraspinatus".into(),
            level: Some(2),
            label: "Done".into(),
            late: false,
        },
        Event::Mark {
            item: "biceps".into(),
            level: None,
            label: "not observed".into(),
            late: true,
        },
        Event::GlobalRating {
            level: 3,
            label: "Very good pass".into(),
            late: false,
        },
        Event::Undo { undoes: 7 },
        Event::Feedback {
            text: "Clear explanation; check the probe orientation.".into(),
        },
        Event::Notes {
            text: "Patient actor arrived late.".into(),
        },
        Event::FeedbackDraft {
            text: "Good probe handl".into(),
        },
        Event::NotesDraft {
            text: "Check the second long-axis".into(),
        },
        Event::ConcernDraft {
            kind: ConcernKind::PatientSafety,
            note: "Probe not cleaned betw".into(),
        },
        Event::Concern {
            kind: ConcernKind::PatientSafety,
            note: "Did not check for allergies".into(),
        },
        Event::ConcernWithdrawn {
            kind: ConcernKind::PatientSafety,
            reason: "Checked in the notes".into(),
        },
        Event::Timer {
            action: TimerAction::Start,
            elapsed_ms: 0,
            due: None,
        },
        Event::Timer {
            action: TimerAction::Pause {
                reason: String::new(),
            },
            elapsed_ms: 185_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::PauseReason {
                reason: "fire alarm".into(),
            },
            elapsed_ms: 185_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::Pause {
                reason: "fire alarm".into(),
            },
            elapsed_ms: 185_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::Resume,
            elapsed_ms: 185_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::Phase {
                phase: osce::store::PhaseName::Station,
            },
            elapsed_ms: 60_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::Warning { remaining_s: 120 },
            elapsed_ms: 540_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::TimeUp,
            elapsed_ms: 660_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::TimeUp,
            elapsed_ms: 660_000,
            due: Some("2026-06-03T09:26:02.418Z".parse().unwrap()),
        },
        Event::Timer {
            action: TimerAction::Advance,
            elapsed_ms: 672_000,
            due: None,
        },
        Event::Timer {
            action: TimerAction::End,
            elapsed_ms: 720_000,
            due: None,
        },
        Event::MissingReason {
            what: osce::store::Unmarked::GlobalRating,
            reason: "Candidate left early".into(),
        },
        Event::Absent {
            reason: "Did not attend".into(),
        },
        Event::Submitted {
            score: 17.5,
            max: 24.0,
            outcome: osce::scoring::StationOutcome::Pass,
        },
        Event::AmendStarted {
            reason: "Mark entered against the wrong item".into(),
        },
        Event::Imported {
            source: "paper-marks.csv lines 2–13 (BLAKE3 9f3c…)".into(),
        },
        Event::Moderated {
            station: "shoulder".into(),
            candidate: "C014".into(),
            sheets: vec![osce::store::SeenSheet {
                examiner: "e.jones".into(),
                device: "laptop-07".into(),
                last: "5d41…".into(),
            }],
            internal: osce::scoring::StationOutcome::Fail,
            decision: osce::store::Decision::Disagree,
            proposed: Some(osce::store::Proposed::Pass),
            rationale: "The images saved show every structure marked missing.".into(),
        },
        Event::AgreedMark {
            station: "shoulder".into(),
            candidate: "C014".into(),
            sheets: vec![],
            score: 15.0,
            outcome: None,
            note: "e.jones and k.patel, by phone".into(),
        },
        Event::ModerationReport {
            text: "Sampled 10% and every fail; marking consistent.".into(),
        },
        Event::ModerationReportDraft {
            text: "Sampled 10% and every fail; marking consis".into(),
        },
        Event::SignedOff {
            summary: "12 sheets: 10 agreed, 1 disagreed, 1 referred to a third marker".into(),
        },
    ]
}

#[test]
fn the_doc_shows_every_event_and_field() {
    let mut missing = Vec::new();
    let samples = sample_events();
    for event in &samples {
        let json = serde_json::to_string(event).unwrap();
        if !DOC.contains(&json) {
            missing.push(format!("event JSON {json}"));
        }
    }
    let tags: BTreeSet<String> = samples
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for tag in variants("Event") {
        if !tags.contains(&tag) {
            missing.push(format!(
                "(sample for) event type {tag:?}: add it to sample_events()"
            ));
        }
        if !DOC.contains(&format!("`{tag}`")) {
            missing.push(format!("event type `{tag}`"));
        }
    }
    for action in variants("TimerAction") {
        if !DOC.contains(&format!("\"do\":\"{action}\"")) {
            missing.push(format!("timer action \"do\":\"{action}\""));
        }
    }
    for kind in variants("ConcernKind") {
        if !DOC.contains(&format!("`{kind}`")) {
            missing.push(format!("concern kind `{kind}`"));
        }
    }
    let record = &RECORD_RS[RECORD_RS.find("pub struct Record {").unwrap()..];
    let record = &record[..record.find("\n}").unwrap()];
    for line in record.lines().skip(1) {
        if let Some(field) = line.trim().strip_prefix("pub ").and_then(|l| l.split(':').next())
            && !DOC.contains(&format!("`{field}`"))
        {
            missing.push(format!("record field `{field}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "{DOC_PATH} does not show:\n  {}",
        missing.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// Property: any cut of a journal replays to a prefix of what was written

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[\"\\\\\n\r\t,:{}\u{2028}]{0,6}",
        Just(",\"hash\":\"".to_string()),
        Just("\"}\n".to_string()),
    ]
}

fn timer_action() -> impl Strategy<Value = TimerAction> {
    prop_oneof![
        Just(TimerAction::Start),
        text().prop_map(|reason| TimerAction::Pause { reason }),
        text().prop_map(|reason| TimerAction::PauseReason { reason }),
        Just(TimerAction::Resume),
        prop_oneof![
            Just(osce::store::PhaseName::Reading),
            Just(osce::store::PhaseName::Station),
            Just(osce::store::PhaseName::Changeover)
        ]
        .prop_map(|phase| TimerAction::Phase { phase }),
        any::<u32>().prop_map(|remaining_s| TimerAction::Warning { remaining_s }),
        Just(TimerAction::TimeUp),
        Just(TimerAction::Advance),
        Just(TimerAction::End),
        Just(TimerAction::Reset),
    ]
}

fn concern_kind() -> impl Strategy<Value = ConcernKind> {
    prop::sample::select(ConcernKind::ALL.to_vec())
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        text().prop_map(|app_version| Event::Opened { app_version }),
        text().prop_map(|candidate_name| Event::Confirmed { candidate_name }),
        (text(), prop::option::of(0usize..6), text(), any::<bool>()).prop_map(
            |(item, level, label, late)| Event::Mark {
                item,
                level,
                label,
                late
            }
        ),
        (0usize..6, text(), any::<bool>()).prop_map(|(level, label, late)| Event::GlobalRating {
            level,
            label,
            late
        }),
        any::<u64>().prop_map(|undoes| Event::Undo { undoes }),
        text().prop_map(|text| Event::Feedback { text }),
        text().prop_map(|text| Event::Notes { text }),
        text().prop_map(|text| Event::FeedbackDraft { text }),
        text().prop_map(|text| Event::NotesDraft { text }),
        (concern_kind(), text()).prop_map(|(kind, note)| Event::Concern { kind, note }),
        (concern_kind(), text()).prop_map(|(kind, reason)| Event::ConcernWithdrawn { kind, reason }),
        (timer_action(), any::<u64>()).prop_map(|(action, elapsed_ms)| Event::Timer {
            action,
            elapsed_ms,
            due: None
        }),
        (text(), text()).prop_map(|(what, reason)| Event::MissingReason {
            what: what.into(),
            reason,
        }),
        text().prop_map(|reason| Event::Absent { reason }),
        // Halves and whole numbers read back exactly.
        (
            -200i32..2000,
            0u32..1000,
            prop_oneof![
                Just(osce::scoring::StationOutcome::Pass),
                Just(osce::scoring::StationOutcome::Fail),
                Just(osce::scoring::StationOutcome::Incomplete)
            ],
        )
            .prop_map(|(score, max, outcome)| Event::Submitted {
                score: f64::from(score) / 2.0,
                max: f64::from(max),
                outcome
            }),
        text().prop_map(|reason| Event::AmendStarted { reason }),
    ]
}

/// Appends random events, then replays (read-only) the journal cut at
/// random lengths and at every line end and one byte either side: always
/// exactly the complete records (line and `\n`) before the cut, as
/// written, and the rest reported as a torn tail; never damage, never a
/// record that was not written.
///
/// Run with proptest's runner inside one test so that all cases share one
/// folder (each case its own sheet), which saves fsyncs of new folders.
#[test]
fn any_cut_replays_to_a_prefix() {
    use proptest::test_runner::{Config, TestRunner};

    let dir = TempDir::new("prop");
    let store = dir.store();
    let cut_path = dir.path().join("cut.jsonl");
    let case = std::cell::Cell::new(0);
    let strategy = (
        prop::collection::vec((event(), 0i64..1_000_000_000, 0u32..1_000_000_000), 1..8),
        prop::collection::vec(any::<prop::sample::Index>(), 24),
    );
    let mut runner = TestRunner::new(Config::with_cases(common::proptest_cases(40)));
    let result = runner.run(&strategy, |(events, cuts)| {
        case.set(case.get() + 1);
        let station = format!("s{}", case.get());
        let (mut journal, _) = store.open_sheet(&key_for(&station, "C001"), &rubric()).unwrap();
        let mut written = Vec::new();
        for (event, secs, nanos) in events {
            let time = Utc.timestamp_opt(1_700_000_000 + secs, nanos).unwrap();
            written.push(journal.append(event, time).unwrap());
        }
        let full = fs::read(journal.path()).unwrap();
        drop(journal);
        let ends = line_ends(&full);
        prop_assert_eq!(ends.len(), written.len());
        prop_assert_eq!(ends.last().copied(), Some(full.len()));

        let mut lengths: BTreeSet<usize> = cuts.iter().map(|c| c.index(full.len() + 1)).collect();
        lengths.insert(0);
        for &end in &ends {
            lengths.extend([end - 1, end, end + 1].into_iter().filter(|&l| l <= full.len()));
        }
        for len in lengths {
            fs::write(&cut_path, &full[..len]).unwrap();
            let replay = read_sheet(&cut_path).unwrap();
            let complete = ends.iter().filter(|&&end| end <= len).count();
            let good_len = if complete == 0 { 0 } else { ends[complete - 1] };
            prop_assert_eq!(&replay.records[..], &written[..complete], "cut at {}", len);
            prop_assert_eq!(&replay.damage, &None, "cut at {}", len);
            match &replay.quarantined {
                None => prop_assert_eq!(len, good_len, "cut at {}", len),
                Some(q) => {
                    prop_assert_eq!(q.bytes as usize, len - good_len, "cut at {}", len);
                    prop_assert_eq!(q.first_bad_line, complete + 1);
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_write_test_finds_a_file_in_the_way_and_leaves_nothing_behind() {
    let dir = std::env::temp_dir().join(format!("osce-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::new(&dir);
    assert!(matches!(
        store.probe("exam", "E01", "lap"),
        Health::Fine | Health::Low { .. }
    ));
    assert_eq!(
        std::fs::read_dir(dir.join("exam/E01@lap"))
            .expect("folder")
            .count(),
        0,
        "the probe file is removed"
    );
    // A file where the device's folder goes: nothing can be saved there.
    std::fs::write(dir.join("exam/E02@lap"), b"not a folder").expect("file");
    match store.probe("exam", "E02", "lap") {
        Health::Unwritable(problem) => {
            assert!(problem.headline.contains("a link or a file"), "{problem:?}");
            assert!(problem.detail.contains("E02@lap"), "{problem:?}");
        }
        other => panic!("{other:?}"),
    }
    // A write test left behind by a stopped window: audit and listing
    // ignore it, and it goes once over a minute old.
    let left = dir.join("exam/E01@lap/.write-check-1");
    fs::write(&left, b"\n").expect("leftover");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&left)
        .and_then(|f| f.set_modified(an_hour_ago))
        .expect("age it");
    assert!(store.sheets("exam").expect("sheets").is_empty());
    store.probe("exam", "E01", "lap");
    assert!(!left.exists(), "the stale write test was removed");
    // An id that cannot be a folder name is refused before the disk.
    assert!(matches!(
        store.probe("exam", "../E03", "lap"),
        Health::Unwritable(_)
    ));
    let _ = std::fs::remove_dir_all(&dir);
}
