//! `osce collect` and `--archive`, through the binary: collecting twice
//! collects nothing new, copies are one journal, a journal cut or changed
//! after it was collected is refused by name, and the exports from the
//! archive are the exports from the folders, byte for byte.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{Dir, Marks, OSCE, candidate, journals, run_osce, signed_off};

/// Two laptops' folders: three candidates marked on each, and an
/// assessor's sign-off in the first.
fn two_laptops(dir: &Dir) -> (PathBuf, PathBuf) {
    let a = dir.sub("laptop-a");
    let b = dir.sub("laptop-b");
    candidate(&a, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    candidate(&a, OSCE, "C002", "e.jones@laptop-a", Marks::LoseFirst(2));
    candidate(&a, OSCE, "C003", "e.jones@laptop-a", Marks::Bottom);
    candidate(&b, OSCE, "C004", "k.patel@laptop-b", Marks::LoseFirst(1));
    candidate(&b, OSCE, "C005", "k.patel@laptop-b", Marks::Top);
    candidate(&b, OSCE, "C006", "k.patel@laptop-b", Marks::LoseFirst(4));
    common::adopt_pass_marks(&[&a, &b], OSCE);
    common::signed_off_seeing(&a, &[&a, &b], OSCE, "a.assessor");
    (a, b)
}

/// One laptop's folder with one candidate marked at every station,
/// collected into `exam.osce`: (the folder, the archive).
fn one_collected(dir: &Dir) -> (PathBuf, PathBuf) {
    let a = dir.sub("laptop-a");
    candidate(&a, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    (a, archive)
}

/// [`two_laptops`], collected into `exam.osce` beside them: (the two
/// folders, the archive).
fn two_laptops_collected(dir: &Dir) -> (PathBuf, PathBuf, PathBuf) {
    let (a, b) = two_laptops(dir);
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    (a, b, archive)
}

/// Forty simulated candidates of the OSCE (four examiners, seed 11) in
/// `laptops`, collected into `exam.osce`: (the folder, the archive).
fn forty_collected(dir: &Dir) -> (PathBuf, PathBuf) {
    let folder = dir.sub("laptops");
    common::simulate_into(OSCE, &folder, 40, 4, 11);
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 0, "{out}");
    (folder, archive)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Copies every journal under `from` into `to`, in the same places.
fn copy_journals(from: &Path, to: &Path) {
    for j in journals(from) {
        let there = to.join(j.strip_prefix(from).expect("inside"));
        std::fs::create_dir_all(there.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&j, &there).expect("copy");
    }
}

/// Collects `folders` into `archive`, which must succeed and say `summary`.
fn collect_says(archive: &Path, folders: &[&Path], summary: &str) {
    let mut args = vec!["collect", s(archive)];
    args.extend(folders.iter().map(|f| s(f)));
    let (code, out) = run_osce(&args);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(summary), "{out}");
}

/// Every journal of the archive: (path, length, BLAKE3, stored bytes).
fn stored(archive: &Path) -> Vec<(String, i64, String, Vec<u8>)> {
    let conn = rusqlite::Connection::open(archive).expect("open archive");
    let mut stmt = conn
        .prepare("SELECT path, length, blake3, bytes FROM journals ORDER BY path")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn collect_twice_collects_nothing_new_and_the_archive_is_owner_only() {
    let dir = Dir::new("archive-twice");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    let n = journals(&a).len() + journals(&b).len();

    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{n} new journals")), "{out}");
    let mode = std::fs::metadata(&archive).expect("archive").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let first = stored(&archive);
    assert_eq!(first.len(), n);

    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("0 new journals, 0 grown, {n} unchanged, 0 refused")),
        "{out}"
    );
    assert_eq!(stored(&archive), first);
}

/// A folder named twice is read once, and said so, as status says it: the
/// other folder meant may have been left out.
#[test]
fn a_folder_named_twice_is_collected_once_and_said() {
    let dir = Dir::new("archive-named-twice");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    let again = a.join("..").join("laptop-a");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&again)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "note: {} and {} are the same folder: read once",
            a.display(),
            again.display()
        )),
        "{out}"
    );
}

#[test]
fn identical_copies_from_two_folders_are_one_journal() {
    let dir = Dir::new("archive-copies");
    let (a, _) = two_laptops(&dir);
    let copy = dir.sub("usb-stick");
    copy_journals(&a, &copy);
    let archive = dir.0.join("exam.osce");
    let n = journals(&a).len();
    collect_says(
        &archive,
        &[&a, &copy],
        &format!("{n} new journals, 0 grown, 0 unchanged, {n} copies of journals in other files, 0 refused"),
    );
    assert_eq!(stored(&archive).len(), n);
    // Seen again, every file is unchanged: the copies are known sources.
    collect_says(
        &archive,
        &[&a, &copy],
        &format!("0 new journals, 0 grown, {} unchanged, 0 refused", 2 * n),
    );
    let conn = rusqlite::Connection::open(&archive).expect("open");
    let sources: i64 = conn
        .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))
        .expect("count");
    assert_eq!(
        sources as usize,
        2 * n,
        "each copy is a source of the one journal"
    );
}

/// An older copy of a journal (a stick copied before the last sheet was
/// submitted) is a copy the first time it is seen, and unchanged after,
/// even when its file is touched.
#[test]
fn an_older_copy_is_a_copy_once_and_unchanged_after() {
    let dir = Dir::new("archive-older-copy");
    let (a, _) = two_laptops(&dir);
    let copy = dir.sub("usb-stick");
    copy_journals(&a, &copy);
    let n = journals(&a).len();
    let older = journals(&copy)
        .into_iter()
        .max_by_key(|j| std::fs::metadata(j).map(|m| m.len()).unwrap_or(0))
        .expect("a journal");
    let bytes = std::fs::read(&older).expect("read");
    let text = String::from_utf8(bytes).expect("utf-8");
    let cut = text
        .trim_end_matches('\n')
        .rsplit_once('\n')
        .expect("two lines")
        .0
        .to_string()
        + "\n";
    std::fs::write(&older, cut).expect("cut");
    let archive = dir.0.join("exam.osce");
    collect_says(
        &archive,
        &[&a, &copy],
        &format!("{n} new journals, 0 grown, 0 unchanged, {n} copies of journals in other files, 0 refused"),
    );
    // Touched: read again, and still the older copy it was.
    let file = std::fs::File::options().append(true).open(&older).expect("open");
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .expect("touch");
    drop(file);
    collect_says(
        &archive,
        &[&a, &copy],
        &format!("0 new journals, 0 grown, {} unchanged, 0 refused", 2 * n),
    );
}

#[test]
fn a_journal_cut_at_a_line_after_collecting_is_refused_and_the_archive_keeps_it() {
    let dir = Dir::new("archive-cut");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    let before = stored(&archive);

    // The last line (the submission) deleted: a whole line, so the hash
    // chain of what is left still checks.
    let victim = a.join("msk-us-osce/e.jones@laptop-a/C002/shoulder.jsonl");
    let text = std::fs::read_to_string(&victim).expect("journal");
    let body = text.strip_suffix('\n').expect("ends in a newline");
    let cut = &text[..body.rfind('\n').expect("several lines") + 1];
    std::fs::write(&victim, cut).expect("cut");
    let (code, audit) = run_osce(&["audit", OSCE, "--sessions", s(&a)]);
    assert_eq!(code, 0, "the folders alone cannot tell: {audit}");

    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("msk-us-osce/e.jones@laptop-a/C002/shoulder.jsonl: refused") && out.contains("shorter"),
        "{out}"
    );
    assert_eq!(stored(&archive), before, "the archive keeps what was collected");
    // Refused again on the next run: the file is not taken as collected.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("C002/shoulder.jsonl: refused"), "{out}");

    // Another journal being copied again over the one collected (a sync
    // re-creating the file), caught mid-line: the start of what was
    // collected, ending in an unfinished line. Refused (it cannot be told
    // from a file cut into), but said as the copy under way it most
    // likely is; when the copy has finished the file is as collected.
    let copying = b.join("msk-us-osce/k.patel@laptop-b/C005/knee.jsonl");
    let whole = std::fs::read(&copying).expect("journal");
    std::fs::remove_file(&copying).expect("removed");
    std::fs::write(&copying, &whole[..whole.len() / 2 + 7]).expect("part copied");
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C005/knee.jsonl: refused")
            && out.contains("a copy under way, most likely")
            && out.contains(" 1 refused (1 of them being copied again: refused until the copy has finished)"),
        "{out}"
    );
    std::fs::write(&copying, &whole).expect("copied");
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("being copied again"), "{out}");
    assert_eq!(stored(&archive), before, "the archive keeps what was collected");
}

#[test]
fn a_middle_line_rewritten_after_collecting_is_refused() {
    let dir = Dir::new("archive-rewrite");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    let before = stored(&archive);

    let victim = b.join("msk-us-osce/k.patel@laptop-b/C005/knee.jsonl");
    let text = std::fs::read_to_string(&victim).expect("journal");
    let lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;
    let changed: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == middle {
                l.replacen("\"seq\"", "\"seq\" ", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&victim, changed.join("\n") + "\n").expect("rewrite");

    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("msk-us-osce/k.patel@laptop-b/C005/knee.jsonl: refused")
            && out.contains(&format!(
                "differs from the collected journal at line {}",
                middle + 1
            )),
        "{out}"
    );
    assert_eq!(stored(&archive), before);
}

/// A journal of `records` marks for C009 at knee, written straight into
/// `folder` (far faster than one record at a time through the store):
/// its path.
fn long_journal(folder: &Path, records: u64) -> PathBuf {
    use osce::store::{Event, GENESIS, Record, Store, encode_line};
    let key = common::sheet_key(OSCE, "knee", "C009", "e.jones@laptop-a");
    let store = Store::new(folder);
    drop(store.open_sheet(&key, &common::hash(OSCE)).expect("a new sheet"));
    let path = store.sheet_path(&key).expect("its path");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("the journal"));
    let mut prev = GENESIS.to_string();
    for seq in 1..=records {
        let mut record = Record {
            seq,
            time: common::t0() + chrono::TimeDelta::milliseconds(seq as i64),
            rubric: common::hash(OSCE),
            assessment: key.assessment.clone(),
            station: key.station.clone(),
            candidate: key.candidate.clone(),
            examiner: key.examiner.clone(),
            device: key.device.clone(),
            event: Event::Mark {
                item: "k1".into(),
                level: Some((seq % 2) as usize),
                label: String::new(),
                late: false,
            },
            prev,
            hash: String::new(),
        };
        std::io::Write::write_all(&mut out, encode_line(&mut record).expect("encode").as_bytes())
            .expect("write");
        prev = record.hash;
    }
    std::io::Write::flush(&mut out).expect("flush");
    path
}

/// A journal of megabytes is compared with what the archive holds, and
/// stored, a piece at a time: growing, an older copy and a rewritten line
/// are told apart as for a short one, and what is stored is its bytes.
#[test]
fn a_long_journal_is_stored_and_compared_in_pieces() {
    let dir = Dir::new("archive-long");
    let a = dir.sub("a");
    let journal = long_journal(&a, 8_000);
    let full = std::fs::read(&journal).expect("journal");
    assert!(full.len() > 2 << 20, "longer than two pieces: {}", full.len());
    let line_ends: Vec<usize> = full
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    let archive = dir.0.join("exam.osce");
    let stored_bytes = || -> Vec<u8> {
        let conn = rusqlite::Connection::open(&archive).expect("open");
        conn.query_row(
            "SELECT bytes FROM journals WHERE path = 'msk-us-osce/e.jones@laptop-a/C009/knee.jsonl'",
            [],
            |r| r.get(0),
        )
        .expect("stored")
    };

    // Its first 6,000 lines, then the rest: grown.
    std::fs::write(&journal, &full[..line_ends[5_999]]).expect("cut");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);
    std::fs::write(&journal, &full).expect("grown");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 new journals, 1 grown"), "{out}");
    assert_eq!(stored_bytes(), full);

    // An older copy elsewhere (its first 7,000 lines): a copy, not refused.
    let b = dir.sub("b");
    let copy = b.join(journal.strip_prefix(&a).expect("inside"));
    std::fs::create_dir_all(copy.parent().expect("folder")).expect("folders");
    std::fs::write(&copy, &full[..line_ends[6_999]]).expect("copy");
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 copy of a journal in another file, 0 refused"),
        "{out}"
    );

    // A line near the end rewritten, past the first piece: refused, named
    // by its line, and the archive keeps what it had.
    let mut changed = full.clone();
    let at = line_ends[7_500] + 2;
    assert_eq!(changed[at - 2..at], *b"{\"");
    changed[at] = b'S';
    std::fs::write(&journal, &changed).expect("rewritten");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "differs from the collected journal at line 7502 (byte {})",
            at + 1
        )),
        "{out}"
    );
    assert_eq!(stored_bytes(), full);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert!(!out.contains("do not match the BLAKE3"), "{code}: {out}");
}

/// A USB stick holding a copy of a laptop's folder, collected once beside
/// it: it holds nothing the laptop's folder does not, so later collects of
/// the laptop alone do not ask for it. A stick that holds a laptop not
/// named this time still is said.
#[test]
fn a_copy_of_a_folder_named_now_is_not_asked_for_again() {
    let dir = Dir::new("stick-copy");
    let (a, b) = two_laptops(&dir);
    let usb = dir.sub("usb");
    copy_journals(&a, &usb);
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b), s(&usb)]);
    assert_eq!(code, 0, "{out}");
    // The laptops come in again, with more marked since; the stick not.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("not named this time"), "{out}");
    // Laptop B's folder left out: said; the stick, a copy of A, is not.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("laptop-b was collected before (last on "), "{out}");
    assert!(!out.contains("/usb"), "{out}");
    // Laptop A left out as well as the stick: both are said, as what is
    // on the stick is not in the folders named.
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2 folders collected before were not named this time")
            && out.contains("laptop-a")
            && out.contains("/usb"),
        "{out}"
    );
}

#[test]
fn a_laptop_left_out_or_a_journal_gone_since_is_said_by_collect() {
    let dir = Dir::new("left-out");
    let (a, b, archive) = two_laptops_collected(&dir);
    let before = stored(&archive);
    // Only the first laptop's folder brought this time: the second is
    // named as collected before and not this time; nothing is lost.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("laptop-b was collected before (last on ")
            && out.contains(
                "18 journals) and not named this time; what was collected from it stays in the archive"
            ),
        "{out}"
    );
    assert!(!out.contains("laptop-a was collected before"), "{out}");
    // The exam lead's folder of decisions alone: the laptops not named
    // are not said (nothing of theirs was brought).
    let lead = dir.sub("lead");
    for j in journals(&a).iter().filter(|j| j.ends_with("decisions.jsonl")) {
        let there = lead.join(j.strip_prefix(&a).expect("inside"));
        std::fs::create_dir_all(there.parent().expect("parent")).expect("mkdir");
        std::fs::copy(j, &there).expect("copy");
    }
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("not named this time"), "{out}");
    // A journal removed from a laptop's folder after it was collected is
    // said by name, and kept.
    let gone = journals(&a)
        .into_iter()
        .find(|j| j.to_string_lossy().contains("/C002/"))
        .expect("a journal of C002");
    std::fs::remove_file(&gone).expect("remove");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    let name = gone.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(
        out.contains(&format!("{name} was collected from there ("))
            && out.contains("and is not there now; the archive keeps every record it collected of it"),
        "{out}"
    );
    assert!(!out.contains("not named this time"), "{out}");
    assert_eq!(stored(&archive), before);

    // An empty journal (a sheet only opened) that goes loses nothing: not
    // said.
    let empty = a.join("msk-us-osce/e.jones@laptop-a/C009/knee.jsonl");
    std::fs::create_dir_all(empty.parent().expect("folder")).expect("mkdir");
    std::fs::write(&empty, b"").expect("empty journal");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    std::fs::remove_file(&empty).expect("remove");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("C009"), "{out}");

    // A sync client's renamed copy, the same bytes as its journal beside
    // it, tidied away once collected: nothing is lost, so nothing said,
    // on this collect or a later one.
    let journal = a.join("msk-us-osce/e.jones@laptop-a/C003/knee.jsonl");
    let copy = a.join("msk-us-osce/e.jones@laptop-a/C003/knee (Ann's conflicted copy 2026-06-01).jsonl");
    std::fs::copy(&journal, &copy).expect("a renamed copy");
    collect_says(&archive, &[&a, &b], "0 new journals");
    std::fs::remove_file(&copy).expect("tidied away");
    for _ in 0..2 {
        let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
        assert_eq!(code, 0, "{out}");
        assert!(!out.contains("conflicted copy"), "{out}");
    }
    // The journal itself gone, its renamed copy kept: nothing is lost
    // either; but the copy gone too is said.
    std::fs::copy(&journal, &copy).expect("a renamed copy");
    collect_says(&archive, &[&a, &b], "0 new journals");
    std::fs::remove_file(&journal).expect("the journal removed");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("C003/knee"), "{out}");
    std::fs::remove_file(&copy).expect("the copy removed");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("C003/knee.jsonl was collected from there (")
            && out.contains("C003/knee (Ann's conflicted copy 2026-06-01).jsonl was collected from there ("),
        "{out}"
    );

    // One stick's folder used for another laptop's: the first laptop's
    // files are not said gone from it (their examiner's folder is not
    // there), only the folder as a whole as not named.
    let stick = dir.sub("stick");
    copy_journals(&a, &stick);
    collect_says(&archive, &[&stick], "0 new journals");
    std::fs::remove_dir_all(&stick).expect("empty the stick");
    copy_journals(&b, &stick);
    let (code, out) = run_osce(&["collect", s(&archive), s(&stick)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("is not there now"), "{out}");

    // The archive on another computer (an assessor's, sent it): the
    // folders it was collected from are not there, so they are counted,
    // not named by paths that mean nothing here.
    let remote = dir.sub("leader-laptop/usb-b");
    copy_journals(&b, &remote);
    collect_says(&archive, &[&remote], "0 new journals");
    let elsewhere = dir.sub("assessor");
    let copy = elsewhere.join("received.osce");
    std::fs::copy(&archive, &copy).expect("copy the archive");
    std::fs::remove_dir_all(dir.0.join("leader-laptop")).expect("not on this computer");
    let (code, out) = run_osce(&["collect", s(&copy), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("usb-b") && out.contains("1 folder collected before is not on this computer now"),
        "{out}"
    );
    // A stick taken out (its folder gone, the place it was in still here)
    // is named, so that the module leader can tell which is missing.
    assert!(out.contains("/laptop-b, last on "), "{out}");
}

/// The archive (or any file) given where a folder goes is said as such,
/// with the fix, and nothing is written: not the system's "not a
/// directory" on a path inside it, nor advice about links.
#[test]
fn the_archive_or_a_file_given_where_a_folder_goes_is_said_as_such() {
    let dir = Dir::new("file-for-folder");
    let (_, archive) = one_collected(&dir);
    let before = stored(&archive);
    let (code, out) = run_osce(&["decide", "list", OSCE, "--sessions", s(&archive)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("is an exam archive, not a sessions folder: give it with --archive"),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "decide",
        "absence",
        OSCE,
        "--archive",
        s(&archive),
        "--into",
        s(&archive),
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--fail",
        "--by",
        "Dr Lead",
        "--reason",
        "no show",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--into ")
            && out.contains(
                "is the archive you decide from, not a folder: name a folder for your decisions journal"
            ),
        "{out}"
    );
    assert!(
        !out.contains("Decision on") && !out.contains("symbolic link"),
        "{out}"
    );
    let (code, out) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&archive)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("is a file, not a folder; nothing was written. Name a folder"),
        "{out}"
    );
    assert!(!out.contains("Not a directory"), "{out}");
    // A folder that cannot be made (under a file): said so, with the fix.
    let under = archive.join("export");
    let (code, out) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&under)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("export: the folder cannot be made (")
            && out.contains("nothing was written. Choose a folder you can write to"),
        "{out}"
    );
    assert!(stored(&archive) == before, "the archive's journals changed");
    // A report written before is not replaced, said of the file.
    let html = dir.0.join("report.html");
    let (code, out) = run_osce(&["report", OSCE, "--archive", s(&archive), "--out", s(&html)]);
    assert!(code == 0 || code == 1, "{out}");
    let (code, out) = run_osce(&["report", OSCE, "--archive", s(&archive), "--out", s(&html)]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("already exists; a file written earlier is not overwritten (use --force to replace it, or name another file)"), "{out}");
}

#[test]
fn a_journal_that_grew_is_stored_longer() {
    let dir = Dir::new("archive-grow");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    let journal = a.join("msk-us-osce/e.jones@laptop-a/C001/knee.jsonl");
    let full = std::fs::read(&journal).expect("journal");
    let first_lines = full.iter().position(|&c| c == b'\n').expect("a line") + 1;
    std::fs::write(&journal, &full[..first_lines]).expect("only the first line");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);

    std::fs::write(&journal, &full).expect("the rest written");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 new journals, 1 grown"), "{out}");
    let row = stored(&archive)
        .into_iter()
        .find(|r| r.0 == "msk-us-osce/e.jones@laptop-a/C001/knee.jsonl")
        .expect("stored");
    assert_eq!(row.3, full);
}

#[test]
fn exports_from_the_archive_are_the_exports_from_the_folders_byte_for_byte() {
    let dir = Dir::new("archive-export");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);

    let from_folders = dir.0.join("from-folders");
    let from_archive = dir.0.join("from-archive");
    let (c1, o1) = run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        "--out",
        s(&from_folders),
    ]);
    let (c2, o2) = run_osce(&[
        "export",
        OSCE,
        "--archive",
        s(&archive),
        "--out",
        s(&from_archive),
    ]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    let mut names: Vec<_> = std::fs::read_dir(&from_folders)
        .expect("export")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().ends_with(".csv"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let x = std::fs::read(from_folders.join(&name)).expect("from folders");
        let y = std::fs::read(from_archive.join(&name)).expect("from the archive");
        assert!(x == y, "{name:?} differs");
    }

    let (c1, status1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
    let (c2, status2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!((c1, status1), (c2, status2));

    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("every stored journal matches the BLAKE3"), "{out}");
}

/// Changes a level in one journal's stored bytes, as a damaged page or a
/// hand edit would, leaving its BLAKE3 as collected.
fn change_stored_bytes(archive: &Path) {
    let conn = rusqlite::Connection::open(archive).expect("open");
    conn.execute(
        "UPDATE journals SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"level\":0', '\"level\":1') AS BLOB) \
         WHERE path = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl'",
        [],
    )
    .expect("update");
}

#[test]
fn a_changed_blob_in_the_archive_is_found_by_audit_and_refused_by_export() {
    let dir = Dir::new("archive-blob");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);
    change_stored_bytes(&archive);

    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C003/shoulder.jsonl: its stored bytes do not match the BLAKE3"),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "export",
        OSCE,
        "--archive",
        s(&archive),
        "--out",
        s(&dir.0.join("out")),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the archive is damaged"), "{out}");
}

/// A command reads the kept reading of a sheet, not its journal's bytes:
/// damage to those bytes alone does not change what it says, and `audit`
/// (which reads every journal's bytes) finds it.
#[test]
fn damage_to_bytes_a_command_does_not_read_is_found_by_audit() {
    let dir = Dir::new("archive-unread");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), "--rubric", OSCE]).0, 0);
    let before = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    change_stored_bytes(&archive);

    assert_eq!(run_osce(&["status", OSCE, "--archive", s(&archive)]), before);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C003/shoulder.jsonl: its stored bytes do not match the BLAKE3"),
        "{out}"
    );
    // The bytes are what is damaged: not said of the reading kept.
    assert!(!out.contains("the reading the archive keeps of it"), "{out}");
}

/// The archive's copy of a journal damaged after it was collected, and
/// the laptop's file, unchanged, read again (touched, or from a copy of
/// the folder): collect restores the archive's copy from it, says so,
/// and the archive audits clean. It does not refuse the sound file as
/// changed, nor keep it as another history (a conflict). A copy that
/// does not hold what was collected either is refused, said as such.
#[test]
fn a_journal_damaged_in_the_archive_is_restored_from_the_laptops_sound_copy() {
    let dir = Dir::new("archive-restore");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), "--rubric", OSCE]).0, 0);
    let before = stored(&archive);
    change_stored_bytes(&archive);
    let copy = dir.sub("stick");
    copy_journals(&a, &copy);
    let (code, out) = run_osce(&["collect", s(&archive), s(&copy)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "warning: msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl: the archive's copy was damaged since it \
             was collected"
        ) && out.contains("holds what was collected, and was stored in its place"),
        "{out}"
    );
    assert!(!out.contains("refused") || out.contains("0 refused"), "{out}");
    assert_eq!(stored(&archive), before);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("CONFLICT"), "{out}");

    // Damaged again, and the only copy at hand changed too.
    change_stored_bytes(&archive);
    let other = dir.sub("other");
    copy_journals(&a, &other);
    let changed = other.join("msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl");
    let text = std::fs::read_to_string(&changed).expect("journal");
    std::fs::write(&changed, text.replacen("\"level\":0", "\"level\":2", 1)).expect("changed");
    let (code, out) = run_osce(&["collect", s(&archive), s(&other)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("from the archive's copy of the journal, which is itself damaged")
            && !out.contains("another history"),
        "{out}"
    );
}

#[test]
fn a_file_that_is_not_an_archive_is_refused_and_left_alone() {
    let dir = Dir::new("archive-foreign");
    let (a, _) = two_laptops(&dir);
    let foreign = dir.0.join("notes.txt");
    let text = b"not a database, and much longer than nothing at all: some notes kept here\n".repeat(20);
    std::fs::write(&foreign, &text).expect("write");
    let (code, out) = run_osce(&["collect", s(&foreign), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not an osce archive"), "{out}");
    assert_eq!(std::fs::read(&foreign).expect("still there"), text);
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&foreign)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not an osce archive"), "{out}");

    let other = dir.0.join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).expect("sqlite");
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("table");
    drop(conn);
    let (code, out) = run_osce(&["collect", s(&other), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("another program"), "{out}");

    // An empty file (made by hand, or a copy cut short) is said to be
    // empty, not another program's: read commands refuse it and leave
    // it as it is, and a collect makes it an archive.
    let empty = dir.0.join("empty.osce");
    std::fs::write(&empty, b"").expect("write");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&empty)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("not an osce archive (an empty file: nothing was ever collected into it;"),
        "{out}"
    );
    assert!(!out.contains("another program"), "{out}");
    assert_eq!(std::fs::metadata(&empty).expect("still there").len(), 0);
    assert_eq!(run_osce(&["collect", s(&empty), s(&a)]).0, 0);
    assert_eq!(run_osce(&["status", OSCE, "--archive", s(&empty)]).0, 0);

    // The archive given where the rubric goes (collect takes the archive
    // first, the other commands the rubric): said so, with the order.
    // An archive of a real exam is larger than any rubric may be.
    let big = dir.0.join("big.osce");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(5 << 20, 0);
    std::fs::write(&big, &bytes).expect("write");
    for args in [
        vec!["status", s(&empty), "--archive", s(&empty)],
        vec!["report", s(&empty), "--archive", s(&empty)],
        vec!["status", s(&big), "--sessions", s(&a)],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.contains("is an SQLite database (an exam archive made by osce collect?), not a rubric")
                && out.contains("--archive"),
            "{out}"
        );
        assert!(!out.contains("UTF-16") && !out.contains("larger than"), "{out}");
    }
    // Swapped the other way, the rubric after --archive: said so, exit 2,
    // by every command reading an archive (and collect, writing one), and
    // the rubric left as it is.
    let copy = dir.0.join("osce.ron");
    std::fs::copy(OSCE, &copy).expect("rubric");
    let rubric_before = std::fs::read(&copy).expect("rubric");
    for args in [
        vec!["status", s(&empty), "--archive", s(&copy)],
        vec!["report", s(&empty), "--archive", s(&copy)],
        vec!["export", s(&empty), "--archive", s(&copy), "--out", "unused-out"],
        vec!["audit", OSCE, "--archive", s(&copy)],
        vec![
            "moderate",
            OSCE,
            "--archive",
            s(&copy),
            "--into",
            "unused-into",
            "--assessor",
            "EA1",
        ],
        vec!["collect", s(&copy), s(&a)],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.contains("osce.ron: is a rubric file (.ron), not an exam archive; it was left as it is"),
            "{args:?}: {out}"
        );
    }
    assert_eq!(std::fs::read(&copy).expect("rubric"), rubric_before);

    // A folder given where the archive file goes is a usage error (exit
    // 2, as the README says of a folder where a file is expected), to
    // every command (collect's is below).
    for args in [
        vec!["status", OSCE, "--archive", s(&a)],
        vec!["export", OSCE, "--archive", s(&a), "--out", "unused-out"],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.contains("not an osce archive (a folder or other non-file"),
            "{out}"
        );
    }
}

/// The archive and a sessions folder swapped on collect's command line
/// (the archive made already, or to be made by this first collect) is
/// said as such, with the command to give instead, and nothing is made
/// or changed: not "no such sessions folder" of the archive's name.
#[test]
fn a_folder_named_where_collect_takes_the_archive_is_said_with_the_order_to_give() {
    let dir = Dir::new("archive-swapped");
    let (a, b) = two_laptops(&dir);
    let new = dir.0.join("new.osce");
    let (code, out) = run_osce(&["collect", s(&a), s(&new)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "{}: is a folder, not the archive file: `osce collect` names the archive file first",
            a.display()
        )) && out.contains(&format!(
            "Give `osce collect {} {}`. Nothing was collected",
            new.display(),
            a.display()
        )),
        "{out}"
    );
    assert!(!out.contains("no such sessions folder"), "{out}");
    assert!(!new.exists(), "an archive was made");
    // The archive made already, named after two folders.
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    let before = stored(&archive);
    let (code, out) = run_osce(&["collect", s(&a), s(&b), s(&archive)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "Give `osce collect {} {} {}`",
            archive.display(),
            a.display(),
            b.display()
        )),
        "{out}"
    );
    assert!(!out.contains("give it with --archive"), "{out}");
    assert!(stored(&archive) == before, "the archive's journals changed");
    // A folder made for the archive, holding none: the file is named in it.
    let shelf = dir.sub("archives");
    let (code, out) = run_osce(&["collect", s(&shelf), s(&a), s(&b)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "Give `osce collect {} {} {}`",
            shelf.join("exam.osce").display(),
            a.display(),
            b.display()
        )),
        "{out}"
    );
    // Folders alone: an archive's name is needed.
    let (code, out) = run_osce(&["collect", s(&a), s(&b)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "Give `osce collect exam.osce {} {}`",
            a.display(),
            b.display()
        )),
        "{out}"
    );
}

#[test]
fn a_second_collect_while_one_holds_the_archive_is_refused_with_nothing_changed() {
    let dir = Dir::new("archive-busy");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);
    let before = stored(&archive);
    let conn = rusqlite::Connection::open(&archive).expect("open");
    conn.execute_batch("BEGIN IMMEDIATE")
        .expect("hold the write lock");
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    conn.execute_batch("ROLLBACK").expect("let go");
    drop(conn);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("in use by another osce command (another collect writing to it"),
        "{out}"
    );
    assert_eq!(stored(&archive), before);
}

/// Two first collects into one archive at once (two windows, a script
/// run twice): one makes the archive, the other waits for it and finds
/// its journals collected, or says the archive is in use. Never that the
/// archive is damaged, whose advice (start a new archive) would be wrong.
#[test]
fn two_first_collects_at_once_make_one_archive_and_neither_calls_it_damaged() {
    let dir = Dir::new("archive-two-first");
    let folder = dir.sub("laptops");
    common::simulate_into(OSCE, &folder, 30, 3, 5);
    let bin = assert_cmd::cargo::cargo_bin("osce");
    for round in 0..6 {
        let archive = dir.0.join(format!("exam-{round}.osce"));
        let both: Vec<std::process::Child> = (0..2)
            .map(|_| {
                std::process::Command::new(&bin)
                    .args(["collect", s(&archive), s(&folder)])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("runs")
            })
            .collect();
        let mut made = 0;
        for child in both {
            let o = child.wait_with_output().expect("ends");
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!said.contains("damaged"), "round {round}: {said}");
            match o.status.code() {
                Some(0) => made += 1,
                Some(2) => assert!(
                    said.contains("in use by another osce command"),
                    "round {round}: {said}"
                ),
                other => panic!("round {round}: exit {other:?}: {said}"),
            }
        }
        assert!(made >= 1, "round {round}: neither collect made the archive");
        let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
        assert_eq!(code, 0, "round {round}: {out}");
        assert_eq!(stored(&archive).len(), 30 * 6, "round {round}");
    }
}

#[test]
fn a_same_size_rewrite_with_its_time_put_back_is_still_read_and_refused() {
    let dir = Dir::new("archive-touch");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);

    let victim = a.join("msk-us-osce/e.jones@laptop-a/C001/ankle.jsonl");
    let modified = std::fs::metadata(&victim)
        .expect("journal")
        .modified()
        .expect("mtime");
    let mut bytes = std::fs::read(&victim).expect("journal");
    let line2 = bytes.iter().position(|&c| c == b'\n').expect("a line") + 1;
    let at = line2
        + bytes[line2..]
            .windows(8)
            .position(|w| w == b"\"hash\":\"")
            .expect("hash")
        + 8;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&victim, &bytes).expect("rewrite");
    std::fs::File::options()
        .write(true)
        .open(&victim)
        .and_then(|f| f.set_modified(modified))
        .expect("time put back");

    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C001/ankle.jsonl: refused")
            && out.contains("differs from the collected journal at line 2"),
        "{out}"
    );
}

/// Every file under `folder`, by its path inside it, with its bytes.
fn files(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                found.push((p.strip_prefix(folder).expect("inside").to_path_buf(), bytes));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn report_and_feedback_from_the_archive_are_those_from_the_folders() {
    let dir = Dir::new("archive-report");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);

    let md = |source: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("osce")
            .expect("binary")
            .args(["report", OSCE, "--format", "markdown"])
            .args(source)
            .output()
            .expect("runs");
        (out.status.code(), out.stdout)
    };
    let from_folders = md(&["--sessions", s(&a), s(&b)]);
    assert!(!from_folders.1.is_empty());
    assert_eq!(from_folders, md(&["--archive", s(&archive)]));

    for (kind, extra) in [("report", &["--format", "csv"][..]), ("feedback", &[][..])] {
        let x = dir.0.join(format!("{kind}-folders"));
        let y = dir.0.join(format!("{kind}-archive"));
        let mut args1 = vec![kind, OSCE, "--sessions", s(&a), s(&b), "--out", s(&x)];
        args1.extend_from_slice(extra);
        let mut args2 = vec![kind, OSCE, "--archive", s(&archive), "--out", s(&y)];
        args2.extend_from_slice(extra);
        let (c1, o1) = run_osce(&args1);
        let (c2, o2) = run_osce(&args2);
        assert_eq!(c1, c2, "{o1}\n{o2}");
        // The report says when it was generated, to the second: the one
        // line two runs may differ in.
        let timeless = |files: Vec<(PathBuf, Vec<u8>)>| -> Vec<(PathBuf, Vec<u8>)> {
            files
                .into_iter()
                .map(|(p, bytes)| {
                    let text = String::from_utf8_lossy(&bytes)
                        .lines()
                        .filter(|l| !l.starts_with("generated,"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    (p, text.into_bytes())
                })
                .collect()
        };
        let (fx, fy) = (timeless(files(&x)), timeless(files(&y)));
        assert!(!fx.is_empty(), "{kind}: {o1}");
        let differ: Vec<String> = fx
            .iter()
            .zip(&fy)
            .filter(|(a, b)| a != b)
            .map(|((p, a), (_, b))| {
                let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
                let line = a.lines().zip(b.lines()).find(|(x, y)| x != y);
                format!("{}: {line:?}", p.display())
            })
            .collect();
        assert!(fx == fy, "{kind}: the files differ: {differ:?}");
    }
}

/// The external assessor is sent the one archive file, moderates the
/// sample in the real screen into a folder of their own, and that folder
/// comes back and is collected like any other: the exports from the
/// archive then carry their decisions, as the exports from the folders do.
#[test]
fn an_assessor_moderates_from_the_archive_and_their_journal_is_collected() {
    use common::tmux::{Tmux, skip_without_tmux};
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("archive-moderate");
    let dir = Dir::new("archive-moderate");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);

    let mine = dir.0.join("assessor");
    let (code, out) = run_osce(&[
        "moderate",
        OSCE,
        "--assessor",
        "ext.jsmith",
        "--archive",
        s(&archive),
    ]);
    assert_eq!(code, 2, "--into is required with --archive: {out}");
    // The archive itself given as --into (a file): said plainly.
    let (code, out) = run_osce(&[
        "moderate",
        OSCE,
        "--assessor",
        "ext.jsmith",
        "--archive",
        s(&archive),
        "--into",
        s(&archive),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("is the archive you moderate from, not a folder"),
        "{out}"
    );

    let bin = env!("CARGO_BIN_EXE_osce");
    t.start_sized(
        &format!(
            // The words printed once the screen is left stay a moment.
            "{bin} moderate {OSCE} --assessor ext.jsmith --device jlap --archive {} --into {}; sleep 5",
            s(&archive),
            s(&mine)
        ),
        120,
        40,
    );
    let screen = t.wait_for("You have decided 0 of the ");
    let sample: usize = screen
        .split("You have decided 0 of the ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the sample's size on screen");
    assert!(sample > 0, "{screen}");
    for decided in 1..=sample {
        t.keys(&["a"]);
        t.wait_for(&format!("You have decided {decided} of the {sample}"));
    }
    t.keys(&["q"]);
    // What goes back names the module leader's archive by its name, not
    // the path of the assessor's copy.
    // (Long lines wrap on the screen, and a space at a line's end is not
    // kept: read it without its white space.)
    let bare = |text: &str| text.split_whitespace().collect::<String>();
    let said = |screen: &str| {
        let joined = bare(screen);
        joined.contains(&bare(
            "who collects it into their archive (the one exam.osce is a copy of)",
        )) && joined.contains(&bare(&format!("osce collect exam.osce {}", s(&mine))))
    };
    let start = std::time::Instant::now();
    let mut screen = t.screen();
    while !said(&screen) && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        screen = t.screen();
    }
    assert!(said(&screen), "{screen}");
    t.wait_gone();
    let journal = mine.join("msk-us-osce/ext.jsmith@jlap/moderation.jsonl");
    assert!(journal.is_file(), "the assessor's journal is in their own folder");

    let (code, out) = run_osce(&["collect", s(&archive), s(&mine)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 new journal,"), "{out}");

    let from_folders = dir.0.join("from-folders");
    let from_archive = dir.0.join("from-archive");
    let (c1, o1) = run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        s(&mine),
        "--out",
        s(&from_folders),
    ]);
    let (c2, o2) = run_osce(&[
        "export",
        OSCE,
        "--archive",
        s(&archive),
        "--out",
        s(&from_archive),
    ]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    let moderation = std::fs::read_to_string(from_archive.join("moderation.csv")).expect("moderation.csv");
    assert!(moderation.contains("ext.jsmith"), "{moderation}");
    for name in [
        "results.csv",
        "stations.csv",
        "items.csv",
        "marks.csv",
        "moderation.csv",
    ] {
        let x = std::fs::read(from_folders.join(name)).expect("from folders");
        let y = std::fs::read(from_archive.join(name)).expect("from the archive");
        assert!(x == y, "{name} differs");
    }
}

/// The assessor opens the archive again later (a new copy of it, holding
/// what they recorded the first time) with a new folder of their own: the
/// screen carries on the journal the archive holds, so their earlier
/// decisions are theirs, and what they record now grows that journal,
/// which collect takes as an update, not a second history. On a second
/// laptop, the same assessor's decisions count as theirs too, not as
/// another assessor's.
#[test]
fn an_assessor_who_opens_the_archive_again_carries_on_their_journal() {
    use common::tmux::{Tmux, skip_without_tmux};
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("archive-moderate-again");
    let dir = Dir::new("archive-moderate-again");
    let (_, _, archive) = two_laptops_collected(&dir);
    let bin = env!("CARGO_BIN_EXE_osce");
    let moderate = |device: &str, into: &std::path::Path| {
        format!(
            "{bin} moderate {OSCE} --assessor ext.jsmith --device {device} --archive {} --into {}",
            s(&archive),
            s(into)
        )
    };

    let first = dir.0.join("first");
    t.start_sized(&moderate("jlap", &first), 120, 40);
    t.wait_for("You have decided 0 of the ");
    t.keys(&["a"]);
    t.wait_for("You have decided 1 of the ");
    t.keys(&["q"]);
    t.wait_gone();
    let (code, out) = run_osce(&["collect", s(&archive), s(&first)]);
    assert_eq!(code, 0, "{out}");

    // Days later, a new folder: the decision made the first time is there.
    let second = dir.0.join("second");
    t.start_sized(&moderate("jlap", &second), 120, 40);
    let screen = t.wait_for("You have decided 1 of the ");
    assert!(
        screen.contains("Carried on from your moderation journal in"),
        "{screen}"
    );
    t.keys(&["Down", "a"]);
    t.wait_for("You have decided 2 of the ");
    t.keys(&["q"]);
    t.wait_gone();
    let journal = |folder: &std::path::Path, device: &str| {
        std::fs::read(folder.join(format!("msk-us-osce/ext.jsmith@{device}/moderation.jsonl")))
            .expect("journal")
    };
    let (earlier, now) = (journal(&first, "jlap"), journal(&second, "jlap"));
    assert!(
        now.len() > earlier.len() && now.starts_with(&earlier),
        "the journal grew"
    );
    let (code, out) = run_osce(&["collect", s(&archive), s(&second)]);
    assert_eq!(code, 0, "a grown journal is an update, not refused: {out}");
    assert!(out.contains("1 grown") && out.contains(" 0 refused"), "{out}");

    // On another laptop, the two decisions are this assessor's own.
    let third = dir.0.join("third");
    t.start_sized(&moderate("home-pc", &third), 120, 40);
    t.wait_for("You have decided 2 of the ");
    // Beside a.assessor's (who moderated the fails and borderline
    // ratings and signed off): theirs are "you". Waited for, not read
    // off the first capture: the list may still be being drawn.
    let screen = t.wait_for("you: agree (+1)");
    assert!(!screen.contains("2 other assessor"), "{screen}");
    t.keys(&["q"]);
    t.wait_gone();
}

/// Moderation from the archive with a rubric edited since the exam: the
/// message speaks of the archive it was given, not of sessions folders.
#[test]
fn moderating_the_archive_with_an_edited_rubric_names_the_archive() {
    let dir = Dir::new("archive-moderate-edited");
    let (_, _, archive) = two_laptops_collected(&dir);
    let text = std::fs::read_to_string(OSCE).expect("the rubric");
    let edited = dir.0.join("edited.ron");
    std::fs::write(&edited, text.replacen("title: \"", "title: \"Edited ", 1)).expect("write");
    let (code, out) = run_osce(&[
        "moderate",
        s(&edited),
        "--assessor",
        "ext.jsmith",
        "--archive",
        s(&archive),
        "--into",
        s(&dir.0.join("mine")),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("nothing to moderate"), "{out}");
    assert!(
        out.contains(&format!("in {}; ", s(&archive))) && out.contains("the right archive"),
        "{out}"
    );
    assert!(!out.contains("sessions folder"), "{out}");
    // Nor of the private folder the journals were written out into.
    assert!(
        out.match_indices("osce-archive-")
            .all(|(i, m)| !out[i + m.len()..].starts_with(|c: char| c.is_ascii_digit())),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{}: msk-us-osce/a.assessor@ea-laptop/moderation.jsonl",
            s(&archive)
        )),
        "{out}"
    );
    assert!(
        out.contains("marked against another version of this rubric"),
        "{out}"
    );
}

/// What the screen wrote out of the archive (candidates' marks) does not
/// outlive it: after `kill -9` the folder is left, and the next command
/// that writes the archive out removes it, while it leaves alone the
/// folder of a screen still open.
#[test]
fn marks_written_out_for_a_screen_killed_with_kill_9_are_removed_by_the_next() {
    use common::tmux::{Tmux, skip_without_tmux};
    if skip_without_tmux() {
        return;
    }
    let dir = Dir::new("archive-written-out");
    let (_, _, archive) = two_laptops_collected(&dir);
    let temp = dir.sub("tmp");
    let written_out = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&temp)
            .expect("the temporary folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("osce-archive-"))
            .collect();
        names.sort();
        names
    };
    let bin = env!("CARGO_BIN_EXE_osce");
    let screen = |t: &Tmux, device: &str| {
        t.start_sized(
            &format!(
                "env TMPDIR={} {bin} moderate {OSCE} --assessor ext.jsmith --device {device} --archive {} --into {}",
                s(&temp),
                s(&archive),
                s(&dir.0.join(device))
            ),
            120,
            40,
        );
        t.wait_for("You have decided 0 of the ");
    };

    let killed = Tmux::fresh("written-out-killed");
    screen(&killed, "jlap");
    let left = written_out();
    assert_eq!(left.len(), 2, "the folder and its lock: {left:?}");
    let folder = temp.join(left.iter().find(|n| !n.ends_with(".lock")).expect("the folder"));
    assert!(
        folder.join("msk-us-osce").is_dir(),
        "the journals are written out: {left:?}"
    );
    killed.kill_9();
    killed.wait_gone();
    assert_eq!(written_out(), left, "kill -9 leaves them");

    let open = Tmux::fresh("written-out-open");
    screen(&open, "home-pc");
    let both = written_out();
    assert_eq!(
        both.len(),
        2,
        "the killed screen's are gone, the open one's are there: {both:?}"
    );
    assert!(both.iter().all(|n| !left.contains(n)), "{left:?} {both:?}");

    // A command that writes the archive out (here refused at once for want
    // of a terminal) leaves the open screen's folder alone.
    let out = assert_cmd::Command::cargo_bin("osce")
        .expect("the binary")
        .env("TMPDIR", &temp)
        .args([
            "moderate",
            OSCE,
            "--assessor",
            "ext.jsmith",
            "--archive",
            s(&archive),
            "--into",
        ])
        .arg(dir.0.join("third"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(written_out(), both, "the open screen's folder is left alone");

    open.keys(&["q"]);
    open.wait_gone();
    assert_eq!(written_out(), Vec::<String>::new(), "quitting removes its own");
}

/// `kill -9` at moments spread over a first collect (eight of them, each
/// into a new archive): the archive is always as it was before that run
/// (no journal, or an empty file that the next collect takes as new) or
/// after it (every journal), never in between, and SQLite finds it sound;
/// a collect after the last kill completes it and it passes its audit.
#[test]
fn kill_9_during_a_collect_leaves_the_archive_before_or_after_it() {
    let dir = Dir::new("archive-kill");
    let folder = dir.0.join("sessions");
    let (code, out) = run_osce(&[
        "simulate",
        OSCE,
        "--candidates",
        "200",
        "--examiners",
        "4",
        "--sessions",
        s(&folder),
    ]);
    assert_eq!(code, 0, "{out}");
    let all = journals(&folder).len();
    let archive = dir.0.join("exam.osce");
    // How long a whole collect takes here, to spread the kills over it.
    let start = std::time::Instant::now();
    assert_eq!(
        run_osce(&["collect", s(&dir.0.join("timing.osce")), s(&folder)]).0,
        0
    );
    let whole = start.elapsed();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .subsec_nanos() as u128;
    let (mut before, mut after) = (0, 0);
    for round in 0..8u128 {
        // Spread over the run, with a pseudo-random jitter.
        let fraction = (round * 2 + 1) as f64 / 16.0 + ((seed * (round + 7)) % 97) as f64 / 2000.0;
        // A fresh archive each round: the first collect is the longest.
        let _ = std::fs::remove_file(&archive);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_osce"))
            .args(["collect", s(&archive), s(&folder)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("collect starts");
        std::thread::sleep(whole.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0) == 0 {
            before += 1;
            continue;
        }
        // The commands that read the archive first (they roll back what
        // the killed collect left, as SQLite does): never "damaged".
        let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
        assert!(
            !out.contains("damaged") && !out.contains("panicked"),
            "round {round}: {out}"
        );
        let conn = rusqlite::Connection::open(&archive).expect("opens");
        let sound: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("checks");
        assert_eq!(sound, "ok", "round {round}");
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'journals'",
                [],
                |r| r.get(0),
            )
            .expect("schema");
        if tables == 0 {
            before += 1;
            continue;
        }
        let n: i64 = conn
            .query_row("SELECT count(*) FROM journals", [], |r| r.get(0))
            .expect("count");
        assert!(
            n == 0 || n as usize == all,
            "round {round}: {n} of {all} journals"
        );
        if n as usize == all {
            after += 1;
        } else {
            before += 1;
        }
    }
    let (code, out) = run_osce(&["collect", s(&archive), s(&folder)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(stored(&archive).len(), all);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    eprintln!("kill -9: {before} runs left the archive as before, {after} as after");
}

#[test]
fn a_damaged_journal_is_stored_reported_by_name_and_seen_by_status_as_in_the_folders() {
    let dir = Dir::new("archive-damaged");
    let (a, b) = two_laptops(&dir);
    let victim = a.join("msk-us-osce/e.jones@laptop-a/C003/elbow.jsonl");
    damage_second_line(&victim);

    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("msk-us-osce/e.jones@laptop-a/C003/elbow.jsonl: stored, but it fails its checks: damaged at line 2"),
        "{out}"
    );
    assert!(stored(&archive).iter().any(|r| r.0.ends_with("C003/elbow.jsonl")));
    // Not repeated as an error, but counted, on the next collect.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note: 1 journal collected before fails its checks, kept as evidence (said on every collect, voided or not)")
            && out.contains(&format!("`osce status RUBRIC --archive {} --problems` says whether a decision is still to make", s(&archive))),
        "{out}"
    );

    let (c1, o1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
    let (c2, o2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(c1, c2);
    for o in [&o1, &o2] {
        assert!(o.contains("PROBLEM") && o.contains("C003/elbow.jsonl"), "{o}");
    }
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{}/msk-us-osce/e.jones@laptop-a/C003/elbow.jsonl",
            s(&archive)
        )),
        "{out}"
    );
    // What the audit says of each journal, from the archive, is what it
    // says from the folders.
    let (_, folders) = run_osce(&["audit", OSCE, "--sessions", s(&a), s(&b)]);
    let about_journals = |text: &str, root: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("msk-us-osce/"))
            .map(|l| l.replace(root, "ROOT"))
            .collect()
    };
    let from_archive = about_journals(&out, s(&archive));
    let from_folders: Vec<String> = about_journals(&folders, s(&a))
        .into_iter()
        .map(|l| l.replace(s(&b), "ROOT"))
        .collect();
    assert!(
        from_archive.iter().any(|l| l.contains("C003/elbow.jsonl")),
        "{out}"
    );
    assert_eq!(from_archive, from_folders, "{out}\n{folders}");
}

/// A copy of `folder` in `to` whose C003 elbow journal has its second
/// line changed (a digit of its time), so that it fails its checks.
fn tampered_copy(folder: &Path, to: &Path) -> PathBuf {
    copy_journals(folder, to);
    let victim = to.join("msk-us-osce/e.jones@laptop-a/C003/elbow.jsonl");
    damage_second_line(&victim);
    victim
}

/// Changes a digit of the time on the second line of `journal`, so that
/// the line no longer matches its hash.
fn damage_second_line(journal: &Path) {
    let mut bytes = std::fs::read(journal).expect("journal");
    let line2 = bytes.iter().position(|&c| c == b'\n').expect("a line") + 1;
    let at = line2
        + bytes[line2..]
            .windows(7)
            .position(|w| w == b"\"time\":")
            .expect("time")
        + 9;
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(journal, &bytes).expect("damage");
}

#[test]
fn a_failing_copy_collected_first_is_kept_as_evidence_when_the_sound_one_replaces_it_and_is_refused_after() {
    let dir = Dir::new("archive-evidence");
    let (a, b) = two_laptops(&dir);
    let stick = dir.sub("stick");
    let victim = tampered_copy(&a, &stick);
    let tampered = std::fs::read(&victim).expect("tampered");
    let archive = dir.0.join("exam.osce");

    // The stick first: the damaged journal is stored, and said to fail.
    let (code, out) = run_osce(&["collect", s(&archive), s(&stick), s(&b)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C003/elbow.jsonl: stored, but it fails its checks"),
        "{out}"
    );

    // Then the laptop: its sound journal takes the damaged one's place,
    // and the collect says so, naming both files.
    let genuine = a.join("msk-us-osce/e.jones@laptop-a/C003/elbow.jsonl");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "C003/elbow.jsonl: {} replaces the copy collected before, from {}",
            s(&genuine),
            s(&victim)
        )) && out.contains("damaged at line 2")
            && out.contains("kept in the archive as evidence"),
        "{out}"
    );
    let held = stored(&archive);
    let elbow = held
        .iter()
        .find(|r| r.0.ends_with("C003/elbow.jsonl"))
        .expect("stored");
    assert_eq!(elbow.3, std::fs::read(&genuine).expect("genuine"));

    // The damaged bytes are still in the archive, whole.
    let conn = rusqlite::Connection::open(&archive).expect("open");
    let kept: Vec<u8> = conn
        .query_row(
            "SELECT bytes FROM replaced WHERE journal LIKE '%C003/elbow.jsonl'",
            [],
            |r| r.get(0),
        )
        .expect("kept as evidence");
    assert_eq!(kept, tampered);
    drop(conn);

    // The audit names it (a warning: what the commands read is sound).
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("WARNING") && out.contains("C003/elbow.jsonl") && out.contains("failed its checks"),
        "{out}"
    );
    // Counted in its first line, and its last does not say nothing was
    // found.
    assert!(
        out.contains("1 problem: 0 errors, 1 warning.")
            && out.contains("Every journal checks, but 1 warning above should be looked at.")
            && !out.contains("nothing wrong found"),
        "{out}"
    );

    // The damaged copy, collected again untouched, is refused, every time.
    for _ in 0..2 {
        let (code, out) = run_osce(&["collect", s(&archive), s(&stick)]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("C003/elbow.jsonl: refused") && out.contains("fails its checks"),
            "{out}"
        );
    }
    assert_eq!(stored(&archive), held);
}

/// A stick whose journal was overwritten by another candidate's (every
/// line sound, in the wrong place), collected before the laptop: the
/// laptop's sound journal is kept beside it. Collect and status both say
/// what settles it, voiding the misplaced one, and not a conflict.
#[test]
fn a_moved_copy_collected_first_leaves_the_sound_one_beside_it_counting_once_voided() {
    let dir = Dir::new("archive-moved-first");
    let (a, b) = two_laptops(&dir);
    let stick = dir.sub("stick");
    copy_journals(&a, &stick);
    let sheets = stick.join("msk-us-osce/e.jones@laptop-a");
    std::fs::copy(sheets.join("C001/knee.jsonl"), sheets.join("C002/knee.jsonl")).expect("misfile");
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&stick), s(&b)]).0, 1);
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("from the journal collected before, which fails its checks")
            && out.contains("until the failing one is voided (`osce decide void`")
            && !out.contains("two laptops with one device name"),
        "{out}"
    );
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    let beside = format!(
        "a usable sheet is there too, '{}#other-",
        archive
            .join("msk-us-osce/e.jones@laptop-a/C002/knee.jsonl")
            .display()
    );
    assert!(
        out.contains(&beside) && out.contains("it counts once the journal that cannot be used is voided"),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--archive",
        s(&archive),
        "--candidate",
        "C002",
        "--station",
        "knee",
        "--sheet",
        s(&archive.join("msk-us-osce/e.jones@laptop-a/C002/knee.jsonl")),
        "--by",
        "Exam lead",
        "--reason",
        "C001's journal, copied over C002's on the stick",
        "--into",
        s(&dir.0.join("lead")),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C002 at knee: INCOMPLETE (0 marks) →"), "{out}");
    assert_eq!(run_osce(&["collect", s(&archive), s(&dir.0.join("lead"))]).0, 0);
    // Collected again, the copy kept beside is said as such.
    let (_, out) = run_osce(&["collect", s(&archive), s(&stick), s(&a)]);
    assert!(
        out.contains("is the sound copy the archive keeps beside the journal collected before")
            && !out.contains("conflict"),
        "{out}"
    );
    // Settled: the audit says so of both findings, and passes.
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("settled by decision: ").count(), 2, "{out}");
}

#[test]
fn a_corrupt_archive_gets_a_clear_message_never_a_panic() {
    let dir = Dir::new("archive-corrupt");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    let good = std::fs::read(&archive).expect("archive");

    // Its header overwritten: not a database any more.
    let mut header = good.clone();
    header[..16].copy_from_slice(b"not a database!\0");
    std::fs::write(&archive, &header).expect("write");
    for args in [
        vec!["status", OSCE, "--archive", s(&archive)],
        vec!["audit", OSCE, "--archive", s(&archive)],
        vec!["collect", s(&archive), s(&a)],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.contains("not an osce archive") && !out.contains("panicked"),
            "{out}"
        );
    }
    assert_eq!(
        std::fs::read(&archive).expect("archive"),
        header,
        "left as it was"
    );

    // Pages in the middle overwritten.
    let mut middle = good.clone();
    let half = middle.len() / 2 / 4096 * 4096;
    for byte in &mut middle[half..half + 8192] {
        *byte = 0xA5;
    }
    std::fs::write(&archive, &middle).expect("write");
    for args in [
        vec!["audit", OSCE, "--archive", s(&archive)],
        vec![
            "export",
            OSCE,
            "--archive",
            s(&archive),
            "--out",
            s(&dir.0.join("out")),
        ],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.contains("damaged") || out.contains("integrity check"),
            "{args:?}: {out}"
        );
        assert!(!out.contains("panicked"), "{out}");
    }
}

/// A page of the index that lists the journals pointing to the wrong page
/// (a damaged page that is itself well formed: every page read passes
/// SQLite's own checks) lists some journals twice and others not at all.
/// Every command finds its list disagreeing with the index of paths and
/// refuses the archive; `audit` says what SQLite's check found.
#[test]
fn a_list_of_journals_pointing_to_the_wrong_page_is_refused() {
    let dir = Dir::new("archive-repointed");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(
        run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", OSCE]).0,
        0
    );
    let root: i64 = rusqlite::Connection::open(&archive)
        .expect("open")
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'journals_listed'",
            [],
            |r| r.get(0),
        )
        .expect("the list's first page");
    let mut bytes = std::fs::read(&archive).expect("archive");
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let page = (root as usize - 1) * page_size;
    assert_eq!(
        bytes[page], 2,
        "the list spans pages (an interior page of an index)"
    );
    // The first entry's page, in place of the last page.
    let cell = page + usize::from(u16::from_be_bytes([bytes[page + 12], bytes[page + 13]]));
    let first: [u8; 4] = bytes[cell..cell + 4].try_into().expect("4 bytes");
    bytes[page + 8..page + 12].copy_from_slice(&first);
    std::fs::write(&archive, &bytes).expect("damaged");

    for args in [
        vec!["status", OSCE, "--archive", s(&archive)],
        vec![
            "export",
            OSCE,
            "--archive",
            s(&archive),
            "--out",
            s(&dir.0.join("out")),
        ],
        vec!["report", OSCE, "--archive", s(&archive), "--format", "markdown"],
    ] {
        let (code, out) = run_osce(&args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.contains("the archive is damaged: its two lists of the journals it holds disagree"),
            "{args:?}: {out}"
        );
    }
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("SQLite's integrity check of the file:"), "{out}");
}

/// A journal's row deleted from the archive passes SQLite's checks of the
/// file, but where it was collected from is still recorded: `audit` says
/// so.
#[test]
fn a_journal_deleted_from_the_archive_is_found_by_audit() {
    let dir = Dir::new("archive-deleted-row");
    let (a, _) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);
    assert_eq!(run_osce(&["audit", OSCE, "--archive", s(&archive)]).0, 0);
    // As the sqlite3 shell does it: without enforcing foreign keys.
    rusqlite::Connection::open(&archive)
        .expect("open")
        .execute_batch(
            "PRAGMA foreign_keys = OFF; \
             DELETE FROM journals WHERE path = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl';",
        )
        .expect("deleted");
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("of table sources names a journal the archive no longer holds"),
        "{out}"
    );
}

/// A journal caught with an unfinished last line (a copy still arriving,
/// a crash mid-write) is stored with a note; when osce later sets the
/// tail aside and writes on, that is an update, not a refusal.
#[test]
fn an_unfinished_last_line_is_stored_and_setting_it_aside_later_is_not_refused() {
    use osce::store::Event;
    let dir = Dir::new("archive-torn");
    let (a, _) = two_laptops(&dir);
    let journal = a.join("msk-us-osce/e.jones@laptop-a/C002/knee.jsonl");
    let whole = std::fs::read(&journal).expect("journal");
    let mut torn = whole.clone();
    torn.extend_from_slice(b"{\"seq\":99,\"time\":\"2026-");
    std::fs::write(&journal, &torn).expect("torn");

    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("C002/knee.jsonl: an unfinished last line"), "{out}");
    assert!(
        out.contains(", 1 still arriving (an unfinished last line)"),
        "{out}"
    );
    // `audit` says what to do where the journal is: in the folder, open
    // the sheet; in the archive, open it on the laptop and collect again.
    let (code, out) = run_osce(&["audit", OSCE, "--sessions", s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Open the sheet in osce, which sets these bytes aside in the quarantine file"),
        "{out}"
    );
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "The archive holds it as it was collected: the copy may have been still arriving (a folder still \
             syncing), so collect the laptop's folder again once the copy has finished. Should it stay so, then on \
             the laptop it came from, open the sheet in osce, which sets these bytes aside in the quarantine file, \
             and check the sheet's last marks with the examiner; then collect that folder again"
        ),
        "{out}"
    );
    // So does `status`: from the archive it is a copy cut short or still
    // arriving, never a quarantine file inside the archive's own file.
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    assert!(
        out.contains("C002/knee.jsonl: the end of the copy collected, from line ")
            && out.contains("collect the laptop's folder again")
            && !out.contains(".quarantine"),
        "{out}"
    );
    let (_, out) = run_osce(&["status", OSCE, "--sessions", s(&a), "--problems"]);
    assert!(
        out.contains("knee.jsonl.quarantine") && out.contains("copy it again from the laptop"),
        "{out}"
    );
    // Final from the complete lines, with a word for whoever uploads.
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "Every result is final.\n(1 journal ends in an unfinished line (listed above): every command uses its \
             complete lines. If a laptop's folder was still being copied, copy or collect it again before uploading.)"
        ),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "export",
        OSCE,
        "--archive",
        s(&archive),
        "--out",
        s(&dir.0.join("out")),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("(1 journal ends in an unfinished line (osce status lists them)"),
        "{out}"
    );

    // Opening the sheet sets the tail aside (the file is its complete
    // lines again) and the examiner writes on.
    common::append(
        &a,
        OSCE,
        "knee",
        "C002",
        "e.jones@laptop-a",
        vec![Event::Notes {
            text: "Checked after the crash".into(),
        }],
    );
    let now = std::fs::read(&journal).expect("journal");
    assert!(now.starts_with(&whole) && now.len() > whole.len());
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 new journals, 1 grown"), "{out}");
    let row = stored(&archive)
        .into_iter()
        .find(|r| r.0.ends_with("C002/knee.jsonl"))
        .expect("stored");
    assert_eq!(row.3, now);

    // What was complete when collected stays anchored: cutting into it is
    // still refused.
    std::fs::write(&journal, &whole[..whole.len() / 2]).expect("cut");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("C002/knee.jsonl: refused"), "{out}");
}

/// A journal moved into another sheet's folder is reported by name when
/// collected (and a copy that replaces a collected journal is refused);
/// the exam lead's decision to void it, recorded in a folder of their own
/// and collected like any other, is applied from the archive as from the
/// folders.
#[test]
fn a_moved_journal_is_reported_and_the_leads_decision_is_collected_and_applied() {
    let dir = Dir::new("archive-moved");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);

    // Over a collected journal: refused.
    let from = a.join("msk-us-osce/e.jones@laptop-a/C001/knee.jsonl");
    let over = a.join("msk-us-osce/e.jones@laptop-a/C002/knee.jsonl");
    let kept = std::fs::read(&over).expect("journal");
    std::fs::copy(&from, &over).expect("copy over");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("C002/knee.jsonl: refused"), "{out}");
    std::fs::write(&over, &kept).expect("put back");

    // Into a place of its own: stored, reported, a PROBLEM.
    let moved_dir = a.join("msk-us-osce/e.jones@laptop-a/C009");
    std::fs::create_dir_all(&moved_dir).expect("folder");
    let moved = moved_dir.join("knee.jsonl");
    std::fs::copy(&from, &moved).expect("copy");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("msk-us-osce/e.jones@laptop-a/C009/knee.jsonl: stored, but it fails its checks")
            && out.contains("moved or copied into the wrong place"),
        "{out}"
    );

    // From the archive, the hint names the journal by its name there, and
    // runs as printed (here as a dry run).
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    let named = archive.join("msk-us-osce/e.jones@laptop-a/C009/knee.jsonl");
    let hint = format!("--candidate C009 --station knee --sheet {} --by", named.display());
    assert!(out.contains(&hint), "{hint}: {out}");
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--archive",
        s(&archive),
        "--into",
        s(&dir.0.join("unused")),
        "--candidate",
        "C009",
        "--station",
        "knee",
        "--sheet",
        s(&named),
        "--by",
        "Exam lead",
        "--reason",
        "C001's sheet",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sheet is void"), "{out}");

    let lead = dir.sub("lead");
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        "--into",
        s(&lead),
        "--candidate",
        "C009",
        "--station",
        "knee",
        "--sheet",
        s(&moved),
        "--by",
        "Exam lead",
        "--reason",
        "C001's sheet, copied into C009's folder by mistake",
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 new journal,"), "{out}");
    let kinds: i64 = rusqlite::Connection::open(&archive)
        .expect("open")
        .query_row(
            "SELECT count(*) FROM journals WHERE kind = 'decisions' AND verdict = 'ok'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    // The board's adopted pass marks (in laptop-a's folder) and the lead's
    // decision just collected.
    assert_eq!(kinds, 2);

    let (c1, o1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b), s(&lead)]);
    let (c2, o2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    assert!(!o1.contains("PROBLEM") && !o2.contains("PROBLEM"), "{o1}\n{o2}");
    // C009 had no sheet of their own: once the misplaced one is voided,
    // no candidate is left there, with nothing "not in yet".
    // The decision that voided it is listed, with who and why.
    for out in [&o1, &o2] {
        assert!(
            !out.lines().any(|l| l.starts_with("C009")) && !out.contains("not in yet"),
            "{out}"
        );
        assert!(
            out.lines()
                .any(|l| l.starts_with("  C009 at knee: ") && l.contains("(by ")),
            "{out}"
        );
    }
    // Nor is the voided journal an error to the report any more.
    let (code, out) = run_osce(&["report", OSCE, "--archive", s(&archive)]);
    assert!(!out.contains("C009/knee.jsonl"), "{out}");
    assert_eq!(code, 0, "{out}");
    let x = dir.0.join("x");
    let y = dir.0.join("y");
    assert_eq!(
        run_osce(&[
            "export",
            OSCE,
            "--sessions",
            s(&a),
            s(&b),
            s(&lead),
            "--out",
            s(&x)
        ])
        .0,
        run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&y)]).0
    );
    for name in [
        "results.csv",
        "stations.csv",
        "items.csv",
        "marks.csv",
        "moderation.csv",
    ] {
        assert!(
            std::fs::read(x.join(name)).expect("x") == std::fs::read(y.join(name)).expect("y"),
            "{name} differs"
        );
    }
    let results = std::fs::read_to_string(y.join("results.csv")).expect("results");
    assert!(!results.contains("C009"), "{results}");
}

#[test]
fn another_history_of_a_collected_journal_is_refused_from_any_folder_but_two_laptops_are_a_conflict_to_decide()
 {
    let dir = Dir::new("archive-histories");
    let a = dir.sub("laptop-a");
    candidate(&a, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    // Another folder holding laptop-a's journals with other histories (a
    // second laptop given the same device name): the same journals, by
    // their place, differing from the first line on.
    let twin = dir.sub("twin");
    candidate(&twin, OSCE, "C001", "e.jones@laptop-a", Marks::Bottom);
    let n = journals(&a).len();
    let archive = dir.0.join("exam.osce");

    // In the run that first collects them: each refused by name, the first
    // folder's kept and the twin's beside it as other histories; in a later
    // one, each named as the other history already kept.
    for (run, folders) in [(1, vec![s(&a), s(&twin)]), (2, vec![s(&twin)])] {
        let mut args = vec!["collect", s(&archive)];
        args.extend(folders);
        let (code, out) = run_osce(&args);
        assert_eq!(code, if run == 1 { 1 } else { 0 }, "run {run}: {out}");
        for j in journals(&twin) {
            let rel = j.strip_prefix(&twin).expect("inside").display().to_string();
            let said = if run == 1 {
                format!("{rel}: refused")
            } else {
                format!("{rel}: {} is the other history of this sheet", s(&j))
            };
            assert!(
                out.contains(&said) && out.contains(s(&j)),
                "run {run}: {rel} not named: {out}"
            );
        }
        assert!(
            out.contains(&format!("{} refused", if run == 1 { n } else { 0 })),
            "run {run}: {out}"
        );
        let kept: Vec<Vec<u8>> = stored(&archive).into_iter().map(|j| j.3).collect();
        let first: Vec<Vec<u8>> = journals(&a)
            .iter()
            .map(|j| std::fs::read(j).expect("read"))
            .collect();
        assert_eq!(kept, first, "run {run}: the first collected is kept");
    }

    // The same examiner's sheets from another laptop: other journals of
    // the same cells, collected, and a CONFLICT as from the folders.
    let c = dir.sub("laptop-c");
    candidate(&c, OSCE, "C001", "e.jones@laptop-c", Marks::Bottom);
    let (code, out) = run_osce(&["collect", s(&archive), s(&c)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{n} new journals")), "{out}");
    let (c1, o1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&c)]);
    let (c2, o2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    assert!(o2.contains("CONFLICT"), "{o2}");
    assert!(o2.contains("on devices laptop-a and laptop-c"), "{o2}");

    // The lead settles one cell; their decision, collected, applies to
    // the archive as to the folders.
    let lead = dir.sub("lead");
    let (code, out) = run_osce(&[
        "decide",
        "conflict",
        OSCE,
        "--sessions",
        s(&a),
        s(&c),
        "--into",
        s(&lead),
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--use",
        "e.jones@laptop-a",
        "--by",
        "Exam lead",
        "--reason",
        "laptop-c was a practice run",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(run_osce(&["collect", s(&archive), s(&lead)]).0, 0);
    let (c1, o1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&c), s(&lead)]);
    let (c2, o2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    let conflicts = |o: &str| o.matches("CONFLICT").count();
    assert_eq!(conflicts(&o1), conflicts(&o2), "{o1}\n{o2}");
    let (_, before) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&c)]);
    assert!(conflicts(&o2) < conflicts(&before), "{before}\n{o2}");

    // A copy of the twin's folder is the twin's history, already kept.
    let usb = dir.sub("usb");
    copy_journals(&twin, &usb);
    let (code, out) = run_osce(&["collect", s(&archive), s(&usb)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.matches("is the other history of this sheet").count(),
        n,
        "{out}"
    );
}

/// The readings the archive keeps: (journal, reading), sorted.
fn readings(archive: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(archive).expect("open archive");
    let mut stmt = conn
        .prepare("SELECT journal, reading FROM readings ORDER BY journal")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Every CSV file an export wrote: (name, bytes), sorted.
fn exported(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
        .expect("export")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("file"))
        })
        .collect();
    files.sort();
    files
}

/// Each core reads the readings of its own range of the journals: a
/// range missed, or one journal on no core's side of a boundary, would be
/// read from its bytes and its reading written again by every command.
#[test]
fn a_second_command_uses_every_reading_kept_and_writes_none_again() {
    let dir = Dir::new("archive-every-reading");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(
        run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", OSCE]).0,
        0
    );
    let rows = || -> Vec<(String, i64)> {
        let conn = rusqlite::Connection::open(&archive).expect("open");
        conn.prepare("SELECT journal, rowid FROM readings ORDER BY journal")
            .expect("readings")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let kept = rows();
    assert_eq!(kept.len(), 36, "one for each sheet");
    for args in [
        vec!["status", OSCE, "--archive", s(&archive)],
        vec!["report", OSCE, "--archive", s(&archive), "--format", "markdown"],
    ] {
        let (code, out) = run_osce(&args);
        assert!(code == 0 || code == 1, "{args:?}: {out}");
        assert_eq!(rows(), kept, "{args:?} wrote a reading again");
    }
}

#[test]
fn the_readings_kept_by_the_first_command_give_the_same_results_and_a_grown_journal_is_read_again() {
    let dir = Dir::new("archive-readings");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    assert!(readings(&archive).is_empty(), "collect reads against no rubric");
    let export = |name: &str| {
        let out = dir.0.join(name);
        let (code, text) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&out)]);
        assert_eq!(code, 0, "{text}");
        exported(&out)
    };
    // The first command reads every journal and keeps what it read.
    let first = export("first");
    let kept = readings(&archive);
    assert_eq!(kept.len(), 36, "one for each of 6 candidates' 6 sheets");
    assert!(kept[0].1.starts_with("{\"sheet\":"), "{}", kept[0].1);
    // The `marks` view reads them: C002 lost the first two items of each
    // station (level 0), as items.csv says.
    let conn = rusqlite::Connection::open(&archive).expect("open");
    let levels: Vec<(String, Option<i64>)> = conn
        .prepare(
            "SELECT item, level FROM marks WHERE candidate = 'C002' AND station = 'knee' ORDER BY record",
        )
        .expect("the marks view")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    // A reading of another rubric in the form an earlier version wrote
    // (an item's marks as {"entries": …}) is read by the view all the same.
    conn.execute(
        "INSERT INTO readings (rubric, journal, blake3, reader, reading, reading_blake3) \
         SELECT 'an-earlier-rubric', journal, blake3, 'osce 0.0.9 build 0', \
                '{\"sheet\":{\"state\":{\"marks\":[[\"id-consent\",{\"entries\":[[3,[1,false]],[4,[2,true]]]}]]}}}', \
                '' FROM readings LIMIT 1",
        [],
    )
    .expect("an earlier reading");
    let earlier: (String, Option<i64>, Option<i64>, Option<i64>) = conn
        .query_row(
            "SELECT item, level, late, record FROM marks WHERE rubric = 'an-earlier-rubric'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("the earlier reading's mark");
    assert_eq!(earlier, ("id-consent".to_string(), Some(2), Some(1), Some(4)));
    conn.execute("DELETE FROM readings WHERE rubric = 'an-earlier-rubric'", [])
        .expect("delete");
    drop(conn);
    assert_eq!(levels.len(), 10, "{levels:?}");
    assert_eq!(levels[0], ("id-consent".to_string(), Some(1)));
    assert_eq!(levels[1], ("positioning".to_string(), Some(0)));
    assert_eq!(levels[2], ("quads".to_string(), Some(0)));
    assert_eq!(levels[3].1, Some(2));
    // The next reads those readings: the same files, byte for byte.
    assert_eq!(export("second"), first);
    let (_, status_kept) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    let (_, status_folders) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
    assert_eq!(status_kept, status_folders);

    // A journal that grew after a command kept its reading: the reading
    // no longer holds, and what the journal says now is read.
    let grown = a.join("msk-us-osce/e.jones@laptop-a/C001/knee.jsonl");
    let whole = std::fs::read(&grown).expect("journal");
    let first_line = whole.iter().position(|&c| c == b'\n').expect("a line") + 1;
    let cut_archive = dir.0.join("grown.osce");
    std::fs::write(&grown, &whole[..first_line]).expect("only the first line");
    assert_eq!(run_osce(&["collect", s(&cut_archive), s(&a)]).0, 0);
    let (_, opened) = run_osce(&["status", OSCE, "--archive", s(&cut_archive)]);
    assert!(opened.contains("opened"), "{opened}");
    std::fs::write(&grown, &whole).expect("the rest of the sheet");
    let (code, out) = run_osce(&["collect", s(&cut_archive), s(&a)]);
    assert!(out.contains("1 grown"), "{code} {out}");
    let (_, now) = run_osce(&["status", OSCE, "--archive", s(&cut_archive)]);
    let (_, folders) = run_osce(&["status", OSCE, "--sessions", s(&a)]);
    assert_eq!(
        now, folders,
        "the grown sheet is read again, not taken from its old reading"
    );
    assert_ne!(now, opened);
}

#[test]
fn a_reading_changed_by_hand_is_found_by_audit() {
    let dir = Dir::new("archive-reading-changed");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    assert_eq!(run_osce(&["status", OSCE, "--archive", s(&archive)]).0, 0);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    let export = |name: &str| {
        let out = dir.0.join(name);
        run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&out)]);
        exported(&out)
    };
    let before = export("before");
    let conn = rusqlite::Connection::open(&archive).expect("open");
    let changed = conn
        .execute(
            "UPDATE readings SET reading = replace(reading, '[0,false]', '[2,false]') \
             WHERE journal = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl'",
            [],
        )
        .expect("update");
    assert_eq!(changed, 1);
    // Changed without its BLAKE3 worked out again (as a damaged page would
    // be): audit says so; not used; the journal's bytes are read instead,
    // and its reading made again.
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "C003/shoulder.jsonl: the reading the archive keeps of it does not match its own BLAKE3"
        ),
        "{out}"
    );
    assert_eq!(
        export("unused"),
        before,
        "a reading that fails its BLAKE3 is not used"
    );
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "made again: {out}");
    conn.execute(
        "UPDATE readings SET reading = replace(reading, '[0,false]', '[2,false]') \
         WHERE journal = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl'",
        [],
    )
    .expect("update");
    // With its BLAKE3 worked out again: commands read the reading, not the
    // bytes; that is what audit is for.
    let reading: String = conn
        .query_row(
            "SELECT reading FROM readings WHERE journal = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl'",
            [],
            |r| r.get(0),
        )
        .expect("the reading");
    conn.execute(
        "UPDATE readings SET reading_blake3 = ?1 WHERE journal = 'msk-us-osce/e.jones@laptop-a/C003/shoulder.jsonl'",
        [blake3::hash(reading.as_bytes()).to_hex().to_string()],
    )
    .expect("update");
    drop(conn);
    assert_ne!(export("after"), before, "the reading is what export read");
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "C003/shoulder.jsonl: the reading the archive keeps of it is not what its stored bytes say"
        ),
        "{out}"
    );
}

#[test]
fn an_archive_that_may_not_be_written_is_read_all_the_same() {
    let dir = Dir::new("archive-read-only");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o400)).expect("read-only");
    let before = std::fs::read(&archive).expect("archive");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    let (_, folders) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, folders);
    // Its mode is honoured even by a user who could write it anyway (root).
    assert_eq!(
        std::fs::read(&archive).expect("archive"),
        before,
        "no reading kept in a read-only archive"
    );
    // Collecting into it is refused as read-only, not called damage.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("the archive is read-only") && out.contains("chmod u+w"),
        "{out}"
    );
    assert!(!out.contains("damaged"), "{out}");
    assert_eq!(std::fs::read(&archive).expect("archive"), before);
}

/// A folder that holds no assessment's journals (one level too deep, the
/// laptop's folder above the sessions folder) is said by name and fails
/// the collect; given alone, no archive of nothing is made.
#[test]
fn a_folder_holding_no_journals_fails_the_collect_and_makes_no_archive() {
    let dir = Dir::new("archive-nothing-there");
    let (a, b) = two_laptops(&dir);
    let deep = a.join("msk-us-osce");
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&deep)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no assessment's journals there"), "{out}");
    assert!(!archive.exists(), "no archive of nothing: {out}");
    let (code, out) = run_osce(&["collect", s(&archive), s(&deep), s(&deep)]);
    assert_eq!(code, 1, "{out}");
    assert!(!archive.exists(), "named twice, still nothing: {out}");
    let (code, out) = run_osce(&["collect", s(&archive), s(&b), s(&deep)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("new journals"),
        "the good folder is collected: {out}"
    );
    assert!(
        out.contains(&format!("{}: no assessment's journals there", s(&deep))),
        "{out}"
    );
    // Into the archive that now exists, a collect of nothing but such a
    // folder leaves it as it was, byte for byte (not even a run logged).
    let before = std::fs::read(&archive).expect("archive");
    let (code, out) = run_osce(&["collect", s(&archive), s(&deep)]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(std::fs::read(&archive).expect("archive"), before, "{out}");
}

#[test]
fn collect_with_the_rubric_reads_every_sheet_ahead_and_a_wrong_rubric_collects_nothing() {
    let dir = Dir::new("archive-read-ahead");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", "no-such.ron"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no-such.ron"), "{out}");
    assert!(!archive.exists(), "nothing collected");

    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", OSCE]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("36 sheets of assessment \"msk-us-osce\" read against")
            && out.contains("36 readings kept"),
        "{out}"
    );
    assert_eq!(readings(&archive).len(), 36);
    let (_, from_archive) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    let (_, from_folders) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
    assert_eq!(from_archive, from_folders);
    // Again, with nothing new: nothing more to read ahead.
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", OSCE]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("36 sheets of assessment")
            && out.contains("(each read before: its reading is in the archive already)")
            && !out.contains("kept"),
        "{out}"
    );
    // Read against a copy with an item's wording changed: the sheets are of
    // another version, and collect says so at once.
    let text = std::fs::read_to_string(OSCE).expect("rubric");
    let edited = text.replacen("Structured report", "A structured report", 1);
    assert_ne!(edited, text);
    let copy = dir.0.join("edited.ron");
    std::fs::write(&copy, edited).expect("copy");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b), "--rubric", s(&copy)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: ")
            && out.contains("36 sheets were marked against another version of this rubric"),
        "{out}"
    );
}

#[test]
fn a_readings_table_of_an_earlier_form_is_made_again() {
    // The first form had no BLAKE3 of each reading; the second kept the
    // table WITHOUT ROWID, which put most of each reading on a page of
    // its own.
    for (name, earlier) in [
        (
            "archive-old-readings",
            "CREATE TABLE readings (rubric TEXT NOT NULL, journal TEXT NOT NULL, blake3 TEXT NOT NULL, \
             reader TEXT NOT NULL, reading TEXT NOT NULL, PRIMARY KEY (rubric, journal)) STRICT, WITHOUT ROWID;",
        ),
        (
            "archive-old-readings-2",
            "CREATE TABLE readings (rubric TEXT NOT NULL, journal TEXT NOT NULL, blake3 TEXT NOT NULL, \
             reader TEXT NOT NULL, reading TEXT NOT NULL, reading_blake3 TEXT NOT NULL, \
             PRIMARY KEY (rubric, journal)) STRICT, WITHOUT ROWID;",
        ),
    ] {
        let dir = Dir::new(name);
        let (a, b) = two_laptops(&dir);
        let archive = dir.0.join("exam.osce");
        assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b)]).0, 0);
        let conn = rusqlite::Connection::open(&archive).expect("open");
        conn.execute_batch(&format!("DROP VIEW marks; DROP TABLE readings; {earlier}"))
            .expect("the earlier form");
        drop(conn);
        let (_, first) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
        assert_eq!(readings(&archive).len(), 36, "made again in the new form");
        let conn = rusqlite::Connection::open(&archive).expect("open");
        let sql: String = conn
            .query_row("SELECT sql FROM sqlite_master WHERE name = 'readings'", [], |r| {
                r.get(0)
            })
            .expect("the table");
        assert!(
            !sql.contains("WITHOUT ROWID") && sql.contains("reading_blake3"),
            "{sql}"
        );
        drop(conn);
        let (_, second) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
        let (_, folders) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b)]);
        assert_eq!((&first, &second), (&folders, &folders));
    }
}

#[test]
fn a_recorded_blake3_edited_by_hand_is_named_as_the_journal_it_belongs_to() {
    let dir = Dir::new("archive-blake3-edited");
    let (a, b) = two_laptops(&dir);
    let archive = dir.0.join("exam.osce");
    collect_says(&archive, &[&a, &b], "new");
    let journal = "C003/shoulder.jsonl";
    let original = stored(&archive)
        .into_iter()
        .find(|(path, ..)| path.ends_with(journal))
        .map(|(_, _, hash, _)| hash)
        .expect("collected");
    for (edit, recorded) in [
        ("upper(blake3)", original.to_uppercase()),
        ("'not-a-hash'", "not-a-hash".to_string()),
    ] {
        let copy = dir.0.join("edited.osce");
        std::fs::copy(&archive, &copy).expect("copy");
        let conn = rusqlite::Connection::open(&copy).expect("open");
        let changed = conn
            .execute(
                &format!("UPDATE journals SET blake3 = {edit} WHERE path LIKE '%{journal}'"),
                [],
            )
            .expect("edit");
        assert_eq!(changed, 1);
        drop(conn);
        // Every command refuses, and says which journal and what.
        let (code, out) = run_osce(&["status", OSCE, "--archive", s(&copy)]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!(
                "{journal}: its stored bytes do not match the BLAKE3 recorded when it was collected ({recorded}, \
                 now {original})"
            )),
            "{out}"
        );
        assert!(!out.contains("damaged index"), "{out}");
        // The audit lists it among everything else it checks.
        let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&copy)]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("The archive's own checks: 1 ERROR"), "{out}");
    }
    // A column of the wrong type is named.
    let conn = rusqlite::Connection::open(&archive).expect("open");
    conn.execute_batch(
        "PRAGMA writable_schema = ON; \
         UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name = 'journals';",
    )
    .expect("loosen");
    drop(conn);
    let conn = rusqlite::Connection::open(&archive).expect("open");
    conn.execute(
        &format!("UPDATE journals SET examiner = X'00' WHERE path LIKE '%{journal}'"),
        [],
    )
    .expect("edit");
    drop(conn);
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the archive is damaged: Invalid column type Blob at index: 3, name: examiner"),
        "{out}"
    );
}

/// An audit run with another exam's rubric finds none of its journals: it
/// says what the folder or archive holds instead and fails, so a script
/// auditing before the exam board does not take an audit of nothing for a
/// pass.
#[test]
fn an_audit_that_finds_no_journal_of_the_rubric_fails_and_says_what_is_there() {
    let dir = Dir::new("archive-audit-nothing");
    let (a, _, archive) = two_laptops_collected(&dir);
    assert_eq!(run_osce(&["audit", OSCE, "--archive", s(&archive)]).0, 0);
    let other = common::PRACTICAL;
    for (source, place) in [("--archive", &archive), ("--sessions", &a)] {
        let (code, out) = run_osce(&["audit", other, source, s(place)]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("Nothing was audited"), "{out}");
        assert!(out.contains("\"msk-us-osce\""), "names what is there: {out}");
        assert!(!out.contains("Every journal checks"), "{out}");
    }
    let (_, out) = run_osce(&["audit", other, "--archive", s(&archive)]);
    assert!(
        !out.contains("Sessions folders:"),
        "an archive is not a folder: {out}"
    );
}

/// One examiner's sheet with two different histories (two laptops given
/// the same device name): from the folders a conflict. Collected, in
/// either order, the first is kept and the other beside it as another
/// history, so every command from the archive shows the same conflict,
/// audit fails until it is decided, and once the exam lead decides it the
/// exports from either archive are those from the folders, byte for byte.
/// Collected again, the known other history is a note, not a refusal.
#[test]
fn a_sheet_with_two_histories_is_a_conflict_from_the_archive_whatever_the_order() {
    let dir = Dir::new("archive-two-histories");
    let (a, b) = two_laptops(&dir);
    let c = dir.sub("laptop-c");
    // The same examiner and device name as on laptop A, other marks.
    common::sheet(
        &c,
        OSCE,
        "shoulder",
        "C001",
        "e.jones@laptop-a",
        Marks::Bottom,
        true,
        0,
    );
    let (first, second) = (dir.0.join("first.osce"), dir.0.join("second.osce"));
    let (code, out) = run_osce(&["collect", s(&first), s(&a), s(&b), s(&c)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("as another history of the sheet"), "{out}");
    assert_eq!(run_osce(&["collect", s(&second), s(&c), s(&b), s(&a)]).0, 1);
    let (code, out) = run_osce(&["collect", s(&first), s(&a), s(&b), s(&c)]);
    assert_eq!(code, 0, "known already: {out}");
    assert!(out.contains("is the other history of this sheet"), "{out}");
    // Said alike whether or not the conflict was decided since: not as
    // though it were still to decide.
    assert!(
        !out.contains("until it is decided") && out.contains("says whether that is still to do"),
        "{out}"
    );
    // Counted as what it is, not as a copy of a journal.
    assert!(
        out.contains(", 1 other history of a sheet kept before, 0 refused") && !out.contains("cop"),
        "{out}"
    );

    let (_, folders) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b), s(&c), "--problems"]);
    assert!(
        folders.contains("C001") && folders.contains("has two different histories"),
        "{folders}"
    );
    for archive in [&first, &second] {
        let (_, out) = run_osce(&["status", OSCE, "--archive", s(archive)]);
        assert!(
            !out.contains("not in yet"),
            "every sheet is in, one in conflict: {out}"
        );
        let (code, out) = run_osce(&["status", OSCE, "--archive", s(archive), "--problems"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("shoulder: CONFLICT: examiner e.jones's sheet from device laptop-a has two different histories"), "{out}");
        // Each history named with the laptop it was collected from, as
        // the folders would name it.
        for laptop in [&a, &c] {
            let from = format!(
                "(collected from {})",
                laptop
                    .join("msk-us-osce/e.jones@laptop-a/C001/shoulder.jsonl")
                    .display()
            );
            assert!(out.contains(&from), "{from}: {out}");
        }
        let (code, out) = run_osce(&["audit", OSCE, "--archive", s(archive)]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("with a different history"), "{out}");
    }

    // The exam lead decides from the folders that laptop C's history
    // counts; the decision's folder is collected into both archives.
    let lead = dir.0.join("lead");
    let chosen = c.join("msk-us-osce/e.jones@laptop-a/C001/shoulder.jsonl");
    let (code, out) = run_osce(&[
        "decide",
        "conflict",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        s(&c),
        "--candidate",
        "C001",
        "--station",
        "shoulder",
        "--use",
        s(&chosen),
        "--by",
        "Dr Lead",
        "--reason",
        "the examiner says so",
        "--into",
        s(&lead),
    ]);
    assert_eq!(code, 0, "{out}");
    let from_folders = dir.0.join("from-folders");
    let (code, out) = run_osce(&[
        "export",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        s(&c),
        s(&lead),
        "--out",
        s(&from_folders),
    ]);
    assert!(code <= 1, "{out}");
    for (n, archive) in [&first, &second].into_iter().enumerate() {
        assert_eq!(run_osce(&["collect", s(archive), s(&lead)]).0, 0);
        let (code, out) = run_osce(&["audit", OSCE, "--archive", s(archive)]);
        assert_eq!(code, 0, "settled by the decision: {out}");
        let from_archive = dir.0.join(format!("from-archive-{n}"));
        run_osce(&["export", OSCE, "--archive", s(archive), "--out", s(&from_archive)]);
        assert_eq!(exported(&from_folders).len(), 5);
        assert!(
            exported(&from_folders) == exported(&from_archive),
            "the exports differ from the archive collected in order {n}"
        );
    }
}

/// The archive's journals written out for the moderation screen are
/// candidates' marks: closing the terminal window (its session killed, a
/// hang-up) removes them as `q` does, not only a quit from the screen.
#[test]
fn closing_the_window_on_moderate_from_the_archive_leaves_no_journals_behind() {
    use common::tmux::{Tmux, skip_without_tmux};
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("archive-moderate-hangup");
    let dir = Dir::new("archive-moderate-hangup");
    let (_, _, archive) = two_laptops_collected(&dir);
    let temp = dir.sub("temp");
    let bin = env!("CARGO_BIN_EXE_osce");
    t.start_sized(
        &format!(
            "TMPDIR={} {bin} moderate {OSCE} --assessor ext.jsmith --archive {} --into {}",
            s(&temp),
            s(&archive),
            s(&dir.0.join("mine"))
        ),
        80,
        24,
    );
    t.wait_for("You have decided 0 of the ");
    let written = || std::fs::read_dir(&temp).expect("temp").count();
    assert_eq!(
        written(),
        2,
        "the journals are written out while the screen is open (a folder, and its lock beside it)"
    );
    t.run(&["kill-session", "-t", "e2e"]);
    let start = std::time::Instant::now();
    while written() > 0 && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(written(), 0, "nothing left in the temporary folder");
}

/// A module leader who holds only the archive records decisions from it
/// (`--archive`, with `--into` a folder of their own, then collected):
/// they apply as from the folders, and a later decision recorded into a
/// new folder carries on the decisions journal the archive holds, so the
/// collect takes it as an update rather than refusing a second history.
#[test]
fn decisions_are_recorded_from_the_archive_alone_and_carry_on_its_journal() {
    let dir = Dir::new("archive-decide");
    let (a, b, archive) = two_laptops_collected(&dir);
    let void = |candidate: &str, into: &Path| {
        run_osce(&[
            "decide",
            "void",
            OSCE,
            "--archive",
            s(&archive),
            "--into",
            s(into),
            "--candidate",
            candidate,
            "--station",
            "knee",
            "--sheet",
            "e.jones@laptop-a",
            "--by",
            "Dr Lead",
            "--device",
            "office",
            "--reason",
            "marked under the wrong candidate",
        ])
    };
    // Without --into: refused, but for a dry run, which records nothing.
    let without_into = |more: &[&str]| {
        let mut args = vec![
            "decide",
            "void",
            OSCE,
            "--archive",
            s(&archive),
            "--candidate",
            "C001",
            "--station",
            "knee",
            "--sheet",
            "e.jones@laptop-a",
            "--by",
            "Dr Lead",
            "--reason",
            "why",
        ];
        args.extend(more);
        run_osce(&args)
    };
    let (code, out) = without_into(&[]);
    assert_eq!(code, 2, "--into is required with --archive: {out}");
    let (code, out) = without_into(&["--dry-run"]);
    assert_eq!(code, 0, "a dry run needs no --into: {out}");
    let (_, status) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    assert!(!status.contains("--sessions FOLDER"), "{status}");

    let first = dir.0.join("lead-1");
    let (code, out) = void("C001", &first);
    assert_eq!(code, 0, "{out}");
    assert_eq!(run_osce(&["collect", s(&archive), s(&first)]).0, 0);
    let second = dir.0.join("lead-2");
    // Each decision is collected as it is recorded: the journal grows.
    let (code, out) = void("C002", &second);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Carried on from your decisions journal in"), "{out}");
    assert!(out.contains("1 grown") && out.contains(" 0 refused"), "{out}");
    let (code, out) = run_osce(&["collect", s(&archive), s(&second)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 grown, 1 unchanged, 0 refused"), "{out}");

    // Back in the first folder, which holds the start of the journal: it
    // is brought up to date before the decision is added.
    let (code, out) = void("C003", &first);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Carried on from your decisions journal in"), "{out}");
    assert!(out.contains("1 grown") && out.contains(" 0 refused"), "{out}");
    // A folder holding another history of the journal: refused, nothing
    // written.
    let other = dir.0.join("lead-other");
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--sessions",
        s(&a),
        s(&b),
        "--into",
        s(&other),
        "--candidate",
        "C002",
        "--station",
        "knee",
        "--sheet",
        "e.jones@laptop-a",
        "--by",
        "Dr Lead",
        "--device",
        "office",
        "--reason",
        "another history",
    ]);
    assert_eq!(code, 0, "{out}");
    let journal = other.join("msk-us-osce/Dr-Lead@office/decisions.jsonl");
    let before = std::fs::read(&journal).expect("journal");
    // (Another reason: the same decision for the same reason is in force
    // already, and would not be recorded at all.)
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--archive",
        s(&archive),
        "--into",
        s(&other),
        "--candidate",
        "C003",
        "--station",
        "knee",
        "--sheet",
        "e.jones@laptop-a",
        "--by",
        "Dr Lead",
        "--device",
        "office",
        "--reason",
        "checked again",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("neither is the start of the other"), "{out}");
    assert_eq!(
        std::fs::read(&journal).expect("journal"),
        before,
        "nothing written"
    );

    let (_, listed) = run_osce(&["decide", "list", OSCE, "--archive", s(&archive)]);
    assert_eq!(listed.matches("'s sheet is void").count(), 3, "{listed}");
    let (c1, o1) = run_osce(&["status", OSCE, "--sessions", s(&a), s(&b), s(&first)]);
    let (c2, o2) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(c1, c2, "{o1}\n{o2}");
    assert_eq!(o1, o2);
}

/// The standard-setting record saved from the archive says how to adopt
/// it from the archive: the command it prints, with a folder of the
/// lead's own for FOLDER, records the adoption, and once that folder is
/// collected every command from the archive applies it.
#[test]
fn pass_marks_saved_from_the_archive_are_adopted_by_the_command_the_report_prints() {
    let dir = Dir::new("archive-adopt");
    let (_, archive) = forty_collected(&dir);
    let record = dir.0.join("standards.json");
    let (code, out) = run_osce(&[
        "report",
        OSCE,
        "--archive",
        s(&archive),
        "--format",
        "csv",
        "--out",
        s(&dir.0.join("report")),
        "--save-standards",
        s(&record),
        "--by",
        "Panel",
    ]);
    assert_eq!(code, 0, "{out}");
    let printed = out
        .split("adopt it for every command with ")
        .nth(1)
        .and_then(|rest| rest.split(" (docs/decisions.md)").next())
        .unwrap_or_else(|| panic!("the command to adopt it: {out}"));
    assert!(
        printed.contains(&format!("--archive {} --into FOLDER", archive.display())),
        "{printed}"
    );
    // Run as printed, with the lead's own folder and their name and reason.
    let lead = dir.sub("lead");
    let printed = printed
        .replace("FOLDER", s(&lead))
        .replace("--by NAME --reason \"…\"", "");
    let mut args: Vec<&str> = printed.split_whitespace().skip(1).collect();
    args.extend(["--by", "Exam board", "--reason", "Adopted at the board"]);
    let (code, out) = run_osce(&args);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 0, "{out}");
    let (_, out) = run_osce(&["decide", "list", OSCE, "--archive", s(&archive)]);
    assert!(out.contains("Exam board") && out.contains("in force"), "{out}");
}

/// A sheet in the archive is named by the archive's path and its place
/// inside, which is no file: `--use` finds it however that path is
/// written (with `./` or `..` in it), as it finds a file.
/// Three laptops given one device name, each with its own history of a
/// sheet: the conflict says three histories, from the folders and from
/// the archive, and names each.
#[test]
fn a_sheet_with_three_histories_is_said_to_have_three() {
    let dir = Dir::new("archive-three-histories");
    let (a, b) = two_laptops(&dir);
    let mut laptops = vec![a, b];
    for (name, marks) in [("laptop-c", Marks::Bottom), ("laptop-d", Marks::LoseFirst(3))] {
        let folder = dir.sub(name);
        common::sheet(
            &folder,
            OSCE,
            "shoulder",
            "C001",
            "e.jones@laptop-a",
            marks,
            true,
            0,
        );
        laptops.push(folder);
    }
    let archive = dir.0.join("exam.osce");
    let mut args = vec!["collect", s(&archive)];
    args.extend(laptops.iter().map(|l| s(l)));
    let (code, out) = run_osce(&args);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2 refused (2 of them kept beside the sheet as another history: a conflict to decide)"),
        "{out}"
    );
    let mut folders = vec!["status", OSCE, "--problems", "--sessions"];
    folders.extend(laptops.iter().map(|l| s(l)));
    for (code, out) in [
        run_osce(&folders),
        run_osce(&["status", OSCE, "--problems", "--archive", s(&archive)]),
    ] {
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("examiner e.jones's sheet from device laptop-a has three different histories ("),
            "{out}"
        );
        let line = out
            .lines()
            .find(|l| l.contains("three different histories"))
            .unwrap_or_default();
        assert_eq!(line.matches(".jsonl").count(), 3, "{line}");
        // One examiner and device: only a journal's path says which counts.
        assert!(
            out.contains("--use JOURNAL --by NAME")
                && out.contains("JOURNAL: the path of the history that counts"),
            "{out}"
        );
    }
    // The key and the export's words do not count the sheets as two.
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(
        out.contains("CONFLICT: different sheets where one is expected")
            && !out.contains("two different sheets"),
        "{out}"
    );
    // The audit names each history with the laptop it came from, and the
    // decision that settles it.
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("record it with `osce decide conflict`"), "{out}");
    // Laptop B holds no history of that sheet.
    for laptop in [&laptops[0], &laptops[2], &laptops[3]] {
        let journal = laptop.join("msk-us-osce/e.jones@laptop-a/C001/shoulder.jsonl");
        let from = format!("(collected from {})", journal.display());
        assert!(out.contains(&from), "{from}: {out}");
    }
}

/// Two laptops given the same device names (simulated with two seeds):
/// every sheet has another history. Collect names the first few in full
/// and counts the rest, rather than a screenful for each sheet.
#[test]
fn many_other_histories_are_named_a_few_and_counted() {
    let dir = Dir::new("archive-many-histories");
    let laptops: Vec<PathBuf> = [11, 12]
        .iter()
        .map(|seed| {
            let folder = dir.sub(&format!("laptop-{seed}"));
            common::simulate_into(OSCE, &folder, 4, 2, *seed);
            folder
        })
        .collect();
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&laptops[0])]).0, 0);
    let (code, out) = run_osce(&["collect", s(&archive), s(&laptops[1])]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches(": refused, from ").count(), 5, "{out}");
    assert!(
        out.contains(
            "error: and 19 more refused the same way, each kept beside the sheet as another history"
        ) && out.contains(
            "24 refused (24 of them kept beside the sheet as another history: a conflict to decide)"
        ),
        "{out}"
    );
}

#[test]
fn a_sheet_in_the_archive_is_found_however_its_path_is_written() {
    let dir = Dir::new("archive-use-path");
    let (a, b) = two_laptops(&dir);
    let c = dir.sub("laptop-c");
    common::sheet(
        &c,
        OSCE,
        "shoulder",
        "C001",
        "e.jones@laptop-a",
        Marks::Bottom,
        true,
        0,
    );
    let archive = dir.0.join("exam.osce");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a), s(&b), s(&c)]).0, 1);
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive), "--problems"]);
    let name = out
        .split_whitespace()
        .find(|w| w.contains("#other-"))
        .unwrap_or_else(|| panic!("the other history named: {out}"))
        .trim_end_matches(|c: char| !c.is_ascii_hexdigit())
        .to_string();
    let prefix = format!("{}/", dir.0.display());
    assert!(name.starts_with(&prefix), "{name}");
    let inside = &name[prefix.len()..];
    for written in [
        format!("{}/./{inside}", dir.0.display()),
        format!("{}/laptop-c/../{inside}", dir.0.display()),
    ] {
        let (code, out) = run_osce(&[
            "decide",
            "conflict",
            OSCE,
            "--archive",
            s(&archive),
            "--candidate",
            "C001",
            "--station",
            "shoulder",
            "--use",
            &written,
            "--by",
            "Dr Lead",
            "--reason",
            "the examiner says so",
            "--dry-run",
        ]);
        assert_eq!(code, 0, "{written}: {out}");
        assert!(out.contains("Dry run: nothing recorded"), "{out}");
        // The history decided on is named by its path and the laptop's
        // folder it came from, not only by its last record's hash.
        assert!(
            out.contains(&format!(
                "The sheet it names: {name} (collected from {}",
                c.display()
            )),
            "{out}"
        );
    }
}

/// The exam lead's decision on SIM00036's absence at physics in
/// [`forty_collected`]'s cohort (`--fail` or `--deferred`), read from
/// `source` (`--archive …` or `--sessions …`) and recorded into `into`.
fn sim36_absence(source: &[&str], into: &Path, outcome: &str) -> (i32, String) {
    sim36_absence_because(source, into, outcome, "No mitigating circumstances")
}

/// [`sim36_absence`], for `reason`.
fn sim36_absence_because(source: &[&str], into: &Path, outcome: &str, reason: &str) -> (i32, String) {
    let mut args = vec!["decide", "absence", OSCE];
    args.extend(source.iter().copied());
    args.extend([
        "--into",
        s(into),
        "--candidate",
        "SIM00036",
        "--station",
        "physics",
        outcome,
        "--by",
        "Exam lead",
        "--reason",
        reason,
    ]);
    run_osce(&args)
}

/// A decision recorded from the archive into the lead's folder, not yet
/// collected (the archive read-only, so the collect that follows each
/// decision fails: said, exit code 2), is in force for the next decision:
/// run again, it is not recorded twice; changed, the preview starts from
/// it. The same from folders, where `--into` is not among the `--sessions`.
#[test]
fn decisions_in_the_into_folder_not_yet_collected_are_in_force() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("archive-into-read");
    let (folder, archive) = forty_collected(&dir);
    let lead = dir.0.join("lead");
    let mode =
        |m: u32| std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(m)).expect("chmod");
    mode(0o400);
    for (source, into, recorded_code) in [
        (vec!["--archive", s(&archive)], &lead, 2),
        (vec!["--sessions", s(&folder)], &dir.0.join("lead-2"), 0),
    ] {
        let absence = |outcome: &str| sim36_absence(&source, into, outcome);
        let (code, out) = absence("--fail");
        assert_eq!(code, recorded_code, "{out}");
        assert!(out.contains("Recorded in"), "{out}");
        if recorded_code == 2 {
            assert!(
                out.contains("but it is not in the archive yet")
                    && out.contains(&format!("osce collect {} {}", archive.display(), into.display())),
                "{out}"
            );
        }
        // In force already: nothing recorded (and, from the read-only
        // archive, still not collected: said again).
        let (code, out) = absence("--fail");
        assert_eq!(code, recorded_code, "{out}");
        assert!(
            out.contains("Already decided, in force")
                && out.contains(&format!("recorded in {}", into.display()))
                && !out.contains("Recorded in"),
            "{out}"
        );
        let (code, out) = absence("--deferred");
        assert_eq!(code, recorded_code, "{out}");
        assert!(
            out.contains("FAIL") && out.contains("→ DEFERRED"),
            "from the fail: {out}"
        );
        let recorded = journals(into).len();
        assert_eq!(recorded, 1, "one decisions journal in {}", into.display());
        let lines = std::fs::read_to_string(&journals(into)[0])
            .expect("journal")
            .lines()
            .count();
        assert_eq!(lines, 2, "two decisions, not three");
    }
    // Writable again, the same decision run again: in force already, so
    // nothing is recorded, but the folder is collected now, and the
    // archive's results apply both decisions.
    mode(0o600);
    let (code, out) = sim36_absence(&["--archive", s(&archive)], &lead, "--deferred");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Already decided, in force")
            && out.contains("1 new journal")
            && out.contains(&format!("collected into {}", archive.display())),
        "{out}"
    );
    let (_, status) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(
        status.contains("SIM00036 at physics: the absence is deferred") && status.contains("1 DEFERRED"),
        "{status}"
    );
    collect_says(&archive, &[&lead], "0 new journals, 0 grown, 1 unchanged");
}

/// `--into FOLDER` left in from the command `status --archive` prints is
/// refused, and no folder named FOLDER is made where the command was run.
#[test]
fn a_decision_with_the_into_placeholder_left_in_is_refused() {
    let dir = Dir::new("archive-into-placeholder");
    let (_, _, archive) = two_laptops_collected(&dir);
    let rubric = std::fs::canonicalize(OSCE).expect("rubric");
    let out = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .current_dir(&dir.0)
        .args(["decide", "absence"])
        .arg(&rubric)
        .args([
            "--archive",
            s(&archive),
            "--into",
            "FOLDER",
            "--candidate",
            "C001",
            "--station",
            "knee",
        ])
        .args([
            "--by",
            "Dr Ada Lee",
            "--reason",
            "Ill on the day, certificate seen",
            "--deferred",
        ])
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("placeholder")
            && said.contains("--into FOLDER (the folder your decisions journal goes to)"),
        "{said}"
    );
    assert!(!dir.0.join("FOLDER").exists());
}

/// A decision from the archive with another exam's rubric said "no sheet
/// of candidate … was found"; from folders it says which exam they hold.
/// From the archive too now, with nothing recorded.
#[test]
fn a_decision_from_the_archive_with_another_exams_rubric_names_the_exam_it_holds() {
    let dir = Dir::new("archive-other-rubric");
    let (_, _, archive) = two_laptops_collected(&dir);
    let lead = dir.0.join("lead");
    let out = assert_cmd::Command::cargo_bin("osce")
        .expect("binary")
        .args(["decide", "absence", "rubrics/msk-practical-exam.ron", "--archive"])
        .arg(&archive)
        .arg("--into")
        .arg(&lead)
        .args(["--candidate", "C001", "--station", "physics", "--fail"])
        .args(["--by", "Dr Ada Lee", "--reason", "Did not attend"])
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&format!("{}: nothing was recorded", archive.display())),
        "{said}"
    );
    assert!(said.contains("holds the sheets of \"msk-us-osce\""), "{said}");
    assert!(!lead.exists(), "{said}");
}

/// A folder given a level too high (the folder holding the sessions
/// folder) or too low (the assessment's folder, an examiner's) is told the
/// folder to name instead.
#[test]
fn a_folder_a_level_off_is_told_the_sessions_folder_to_name() {
    let dir = Dir::new("archive-level-off");
    let (a, _) = two_laptops(&dir);
    let laptop = dir.sub("laptop-c");
    let sessions = laptop.join("sessions");
    std::fs::rename(&a, &sessions).expect("move");
    let archive = dir.0.join("exam.osce");
    let assessment = sessions.join("msk-us-osce");
    let examiner = assessment.join("e.jones@laptop-a");
    for (given, named) in [
        (&laptop, &sessions),
        (&assessment, &sessions),
        (&examiner, &sessions),
    ] {
        let (code, out) = run_osce(&["collect", s(&archive), s(given)]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("name {} instead", named.display())),
            "{out}"
        );
        assert!(!archive.exists(), "{out}");
    }
    // A folder of several laptops' sessions folders: each named.
    let laptops = dir.sub("laptops");
    std::fs::rename(&sessions, laptops.join("laptop-c")).expect("move");
    std::fs::rename(dir.0.join("laptop-b"), laptops.join("laptop-b")).expect("move");
    let (code, out) = run_osce(&["collect", s(&archive), s(&laptops)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "name each of them instead, {} {}",
            laptops.join("laptop-b").display(),
            laptops.join("laptop-c").display()
        )),
        "{out}"
    );
}

/// What the archive's list of journals says of a journal (its score, or
/// that it fails its checks and how much of it is anchored) changed by
/// hand, its bytes left alone: `audit --archive` finds it, and a later
/// collect holds a copy to what the bytes anchor, not to what the list
/// says, so another history cannot take the sheet's place.
#[test]
fn an_edit_of_the_list_of_journals_is_found_by_audit_and_loosens_nothing() {
    let dir = Dir::new("archive-list-edited");
    let (_, archive) = one_collected(&dir);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    let knee = "msk-us-osce/e.jones@laptop-a/C001/knee.jsonl";
    let conn = rusqlite::Connection::open(&archive).expect("open");
    conn.execute(
        "UPDATE journals SET submitted_score = 0, submitted_outcome = 'FAIL', failing = 1, \
         verdict = 'damaged at line 3: x', anchored_length = 10 WHERE path = ?1",
        [knee],
    )
    .expect("edit");
    drop(conn);
    let (code, out) = run_osce(&["audit", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{knee}: the archive's list of journals says of it what its bytes do not"
        )) && out.contains("anchored_length 10 (its bytes: ")
            && out.contains("submitted 0/")
            && out.contains("1 problem: 1 error, 0 warnings"),
        "{out}"
    );
    // Another history of the sheet (a second laptop given the first's
    // device name): refused and kept beside, as for any collected journal.
    let twin = dir.sub("twin");
    candidate(&twin, OSCE, "C001", "e.jones@laptop-a", Marks::Bottom);
    let before: Vec<Vec<u8>> = stored(&archive).into_iter().map(|j| j.3).collect();
    let (code, out) = run_osce(&["collect", s(&archive), s(&twin)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{knee}: refused")) && out.contains("0 grown"),
        "{out}"
    );
    let after: Vec<Vec<u8>> = stored(&archive).into_iter().map(|j| j.3).collect();
    assert_eq!(before, after, "the collected journals are kept as they were");
}

/// Every query docs/archive-format.md gives (its SQL blocks, and each
/// `db.execute` of its Python ones, with the assessment put in for `?`)
/// runs on an archive holding two exams that share a station's id, and
/// what it gives is the documented exam's alone.
#[test]
fn the_queries_in_the_archive_format_doc_run_and_read_one_exam() {
    let dir = Dir::new("archive-doc-queries");
    let a = dir.sub("laptop-07");
    candidate(&a, OSCE, "C014", "e.jones@laptop-07", Marks::Top);
    candidate(&a, OSCE, "C015", "e.jones@laptop-07", Marks::Bottom);
    let other = dir.sub("practical");
    common::simulate_into(common::PRACTICAL, &other, 5, 2, 3);
    let archive = dir.0.join("y3-osce-2026.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&other), "--rubric", OSCE]);
    assert_eq!(code, 0, "{out}");
    let sheets_here = journals(&a).len() as i64;

    let doc = std::fs::read_to_string("docs/archive-format.md").expect("doc");
    let mut queries: Vec<String> = Vec::new();
    let mut block: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut block, line.strip_prefix("```")) {
            (None, Some(lang)) => block = Some((lang.to_string(), String::new())),
            (Some((lang, text)), Some(_)) => {
                match lang.as_str() {
                    "sql" => queries.push(text.trim().trim_end_matches(';').to_string()),
                    "python" => {
                        for part in text.split("db.execute(\"").skip(1) {
                            queries.push(part.split('"').next().unwrap_or_default().to_string());
                        }
                    }
                    _ => {}
                }
                block = None;
            }
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(queries.len() >= 3, "{queries:?}");
    let conn = rusqlite::Connection::open(&archive).expect("open");
    for q in &queries {
        let q = q.replace('?', "'msk-us-osce'");
        let mut stmt = conn.prepare(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let columns = stmt.column_count();
        let rows: Vec<Vec<rusqlite::types::Value>> = stmt
            .query_map([], |r| (0..columns).map(|i| r.get(i)).collect())
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(!rows.is_empty(), "{q}: no rows");
        // The sheets counted are the documented exam's: none of the
        // practical exam's, though it has a station of the same id.
        if q.contains("count(*) FROM sheets") {
            let counted: i64 = rows
                .iter()
                .map(|r| match r.last() {
                    Some(rusqlite::types::Value::Integer(n)) => *n,
                    other => panic!("{q}: {other:?}"),
                })
                .sum();
            assert_eq!(counted, sheets_here, "{q}: {rows:?}");
        }
    }
}

/// Another exam's rubric given to collect's read-ahead, decide's list or
/// the moderation screen: each says what the archive holds instead, and
/// the two that could not do what they were asked exit 1; an archive in a
/// folder that is not there is said as such, not as the system's error.
#[test]
fn another_exams_rubric_or_a_missing_folder_is_said_and_fails() {
    let dir = Dir::new("archive-wrong-rubric");
    let a = dir.sub("laptop-a");
    candidate(&a, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let archive = dir.0.join("exam.osce");
    let holds = "holds the sheets of \"msk-us-osce\"";
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), "--rubric", common::FCA]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no sheet of assessment \"msk-us-fca\"")
            && out.contains("what was collected is kept")
            && out.contains(&format!("It {holds}")),
        "{out}"
    );
    assert_eq!(
        stored(&archive).len(),
        journals(&a).len(),
        "collected all the same"
    );
    let (code, out) = run_osce(&["decide", "list", common::FCA, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("holds no journal of assessment \"msk-us-fca\"") && out.contains(holds),
        "{out}"
    );
    // The right rubric, with no decision yet: said, and not a failure.
    let (code, out) = run_osce(&["decide", "list", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No decisions recorded"), "{out}");
    let into = dir.0.join("moderation");
    let (code, out) = run_osce(&[
        "moderate",
        common::FCA,
        "--archive",
        s(&archive),
        "--assessor",
        "ext.jsmith",
        "--into",
        s(&into),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("(it {holds})")), "{out}");

    let nowhere = dir.0.join("no-such-folder").join("exam.osce");
    let (code, out) = run_osce(&["collect", s(&nowhere), s(&a)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("no-such-folder is no such folder, where the archive file goes")
            && !out.contains("os error"),
        "{out}"
    );
}

/// An assessor who moderates again into a new folder from a copy that did
/// not hold their first moderation (an older copy of the archive) makes
/// another history of their moderation journal: refused on collect with
/// that said, not "two laptops with one device name" alone, and the way on
/// (another --device).
#[test]
fn moderation_begun_again_elsewhere_is_said_as_such() {
    let dir = Dir::new("archive-moderation-again");
    let (a, archive) = one_collected(&dir);
    signed_off(&a, OSCE, "a.assessor");
    assert_eq!(run_osce(&["collect", s(&archive), s(&a)]).0, 0);
    let again = dir.sub("my-moderation-2");
    let r = common::rubric(OSCE);
    let (mut journal, _) = osce::store::Store::new(&again)
        .open_moderation(&r.id, "a.assessor", "ea-laptop", &common::hash(OSCE))
        .expect("open");
    journal
        .append(
            osce::store::Event::SignedOff {
                summary: "a second go, from an older copy".into(),
            },
            common::at(90),
        )
        .expect("append");
    drop(journal);
    let (code, out) = run_osce(&["collect", s(&archive), s(&again)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("msk-us-osce/a.assessor@ea-laptop/moderation.jsonl: refused")
            && out.contains("another history of the assessor's moderation journal (moderation begun again")
            && out.contains("records it again under another --device"),
        "{out}"
    );
}

/// A copy refused by collect (here a journal cut after it was collected)
/// is said by status and export from the archive, which do not call the
/// results final while the laptop's folder holds it: read from the
/// archive alone, the results looked final and nothing said the folder
/// held something else. Collecting another folder leaves it said; taking
/// it out of its folder and collecting that folder again clears it.
#[test]
fn a_copy_collect_refused_is_said_from_the_archive_until_its_folder_is_collected_again() {
    let dir = Dir::new("archive-refused-said");
    let (a, b, archive) = two_laptops_collected(&dir);
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "final before: {out}");

    let victim = a.join("msk-us-osce/e.jones@laptop-a/C002/shoulder.jsonl");
    let text = std::fs::read_to_string(&victim).expect("journal");
    let body = text.strip_suffix('\n').expect("ends in a newline");
    std::fs::write(&victim, &text[..body.rfind('\n').expect("several lines") + 1]).expect("cut");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a), s(&b)]);
    assert_eq!(code, 1, "{out}");

    let real = std::fs::canonicalize(&victim).expect("real path");
    for problems in [false, true] {
        let mut args = vec!["status", OSCE, "--archive", s(&archive)];
        if problems {
            args.push("--problems");
        }
        let (code, out) = run_osce(&args);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("Refused by collect (1 copy in the laptops' folders")
                && out.contains(&format!(
                    "  {}\n    a copy of msk-us-osce/e.jones@laptop-a/C002/shoulder.jsonl, refused at",
                    s(&real)
                ))
                && out.contains("its last lines were removed"),
            "{out}"
        );
        assert!(
            out.contains("Not final yet")
                && out.contains("1 copy in the laptops' folders was refused by collect"),
            "{out}"
        );
    }
    let exported = dir.0.join("export");
    let (code, out) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&exported)]);
    assert_eq!(code, 1, "not final: {out}");
    assert!(
        out.contains("1 copy in the laptops' folders was refused by collect"),
        "{out}"
    );

    // Another laptop's folder collected: the refusal in the first stands.
    let (code, out) = run_osce(&["collect", s(&archive), s(&b)]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Refused by collect"), "{out}");

    // The cut copy taken out of the folder, and the folder collected
    // again: nothing refused, final as before.
    let evidence = dir.0.join("cut-shoulder.jsonl");
    std::fs::rename(&victim, &evidence).expect("taken out");
    let (code, out) = run_osce(&["collect", s(&archive), s(&a)]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("Refused by collect"), "{out}");
}

/// Decisions recorded into a folder not yet collected (from the laptops'
/// folders; one recorded from the archive is collected at once):
/// `decide list --archive` says where they are, and lists them with
/// `--into`, as the decide commands take it.
#[test]
fn decisions_not_yet_collected_are_listed_with_into() {
    let dir = Dir::new("list-into");
    let (folder, archive) = one_collected(&dir);
    let lead = dir.0.join("lead-decisions");
    let (code, out) = run_osce(&[
        "decide",
        "void",
        OSCE,
        "--sessions",
        s(&folder),
        "--into",
        s(&lead),
        "--candidate",
        "C001",
        "--station",
        "knee",
        "--sheet",
        "e.jones@laptop-a",
        "--by",
        "Dr Lead",
        "--reason",
        "The board's ruling",
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_osce(&["decide", "list", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("No decisions recorded") && out.contains("add --into FOLDER"),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "decide",
        "list",
        OSCE,
        "--archive",
        s(&archive),
        "--into",
        s(&lead),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("* C001 at knee:") && out.contains("The board's ruling"),
        "{out}"
    );
    let (code, out) = run_osce(&[
        "decide",
        "list",
        OSCE,
        "--archive",
        s(&archive),
        "--into",
        s(&dir.0.join("no-such-folder")),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no such folder"), "{out}");
}

/// An archive's name mistyped: a command reading it names the archive
/// beside it that was meant, and a collect making a new one says that it
/// did, and which archive beside it may have been meant.
#[test]
fn an_archive_name_a_typo_away_from_one_beside_it_is_said() {
    let dir = Dir::new("archive-typo");
    let (a, b, archive) = two_laptops_collected(&dir);
    let typo = dir.0.join("exam.osc");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&typo)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "{}: no such archive (did you mean {}? It is an archive beside it)",
            typo.display(),
            archive.display()
        )),
        "{out}"
    );
    let (code, out) = run_osce(&["collect", s(&typo), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "warning: {} is a new archive, made now; {} beside it is an archive, of a name a typo away",
            typo.display(),
            archive.display()
        )),
        "{out}"
    );
    // Collected into again, it is no longer new: nothing said.
    let (_, out) = run_osce(&["collect", s(&typo), s(&a)]);
    assert!(!out.contains("a typo away"), "{out}");
    // A name nothing like another's: no archive suggested.
    let other = dir.0.join("resit-2027.osce");
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&other)]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("make one with `osce collect"), "{out}");
    // Another exam's archive beside it (its name three letters from
    // exam.osce's, the extension the same), or another sitting's (only a
    // digit differs): made without a word of a typo.
    let sittings = dir.sub("sittings");
    let y2026 = sittings.join("y3-osce-2026.osce");
    assert_eq!(run_osce(&["collect", s(&y2026), s(&a)]).0, 0);
    for name in ["fca.osce", "y3-osce-2027.osce"] {
        let (code, out) = run_osce(&["collect", s(&sittings.join(name)), s(&b)]);
        assert_eq!(code, 0, "{out}");
        assert!(!out.contains("a typo away"), "{name}: {out}");
    }
    let fca = dir.0.join("fca.osce");
    let (code, out) = run_osce(&["collect", s(&fca), s(&b)]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("a typo away"), "{out}");
}

/// An assessor's moderation journal sent back on its own (attached to an
/// email): given to collect where a folder goes, it is recognised and the
/// lead told where a sessions folder holds it; put there, it collects.
#[test]
fn a_journal_given_as_a_folder_is_named_with_where_it_goes() {
    let dir = Dir::new("archive-journal-alone");
    let sessions = dir.sub("sessions");
    common::sheet(&sessions, OSCE, "knee", "C001", "E01@lap1", Marks::Top, true, 0);
    signed_off(&sessions, OSCE, "EA1");
    let mail = dir.sub("mail");
    // As an email client saves a second attachment of the same name.
    let journal = mail.join("moderation (1).jsonl");
    std::fs::copy(
        sessions.join("msk-us-osce/EA1@ea-laptop/moderation.jsonl"),
        &journal,
    )
    .expect("copy");
    let sheet = mail.join("knee.jsonl");
    std::fs::copy(sessions.join("msk-us-osce/E01@lap1/C001/knee.jsonl"), &sheet).expect("copy");
    let archive = dir.0.join("a.osce");
    let (code, out) = run_osce(&["collect", s(&archive), s(&journal)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("is an assessor's moderation journal (assessment msk-us-osce, EA1 on ea-laptop)")
            && out.contains("<sessions>/msk-us-osce/EA1@ea-laptop/moderation.jsonl"),
        "{out}"
    );
    let (code, out) = run_osce(&["collect", s(&archive), s(&sheet)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("a sheet's journal (C001 at knee, marked by E01 on lap1)")
            && out.contains("<sessions>/msk-us-osce/E01@lap1/C001/knee.jsonl"),
        "{out}"
    );
    // Given the folder they were saved into: each said with where it goes.
    let (code, out) = run_osce(&["collect", s(&archive), s(&mail)]);
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("moderation (1).jsonl is an assessor's moderation journal")
            && out.contains("knee.jsonl is a sheet's journal (C001 at knee"),
        "{out}"
    );
    // The command it gives, pasted into a shell as it is, collects it.
    let (_, out) = run_osce(&["collect", s(&archive), s(&journal)]);
    // It names the archive being collected into, not a placeholder.
    assert!(
        out.contains(&format!("osce collect {} returned`", s(&archive))),
        "{out}"
    );
    let command = out
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("a command in {out}"))
        .replace(
            "osce collect ",
            &format!("{} collect ", env!("CARGO_BIN_EXE_osce")),
        );
    let ran = std::process::Command::new("bash")
        .args(["-c", &command])
        .current_dir(&dir.0)
        .output()
        .expect("bash");
    assert!(
        ran.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(
        dir.0
            .join("returned/msk-us-osce/EA1@ea-laptop/moderation.jsonl")
            .is_file()
    );
}

/// A decision recorded from the archive is collected into it at once: the
/// export from the archive that follows applies it. It used to wait for
/// the lead to collect their folder, and until then the export said every
/// result was final, with the result from before the decision.
#[test]
fn a_decision_recorded_from_the_archive_is_in_the_next_export() {
    let dir = Dir::new("archive-decide-collected");
    let (_, archive) = forty_collected(&dir);
    let lead = dir.0.join("lead");
    // SIM00036's final result, and the decisions column.
    let final_result = |out: &Path| {
        let rows = common::csv_rows(&out.join("results.csv"));
        let col = |name: &str| rows[0].iter().position(|c| c == name).expect("column");
        let row = rows.iter().find(|r| r[0] == "SIM00036").expect("SIM00036's row");
        (row[col("final_result")].clone(), row[col("decisions")].clone())
    };
    let before = dir.0.join("before");
    let (_, out) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&before)]);
    let (result, decisions) = final_result(&before);
    assert!(
        result == "INCOMPLETE" && decisions.is_empty(),
        "{result} {decisions} {out}"
    );
    let (code, out) = sim36_absence(&["--archive", s(&archive)], &lead, "--fail");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("collected into {}", archive.display())),
        "{out}"
    );
    let after = dir.0.join("after");
    let (_, out) = run_osce(&["export", OSCE, "--archive", s(&archive), "--out", s(&after)]);
    let (result, decisions) = final_result(&after);
    assert!(
        result != "INCOMPLETE" && decisions.contains("physics: the absence counts as a fail"),
        "{result} {decisions} {out}"
    );
    // Collected by hand as well, as the lead used to: nothing more.
    collect_says(&archive, &[&lead], "0 new journals, 0 grown, 1 unchanged");
}

/// The advice for a refused copy is to take it out of its folder and
/// collect that folder again. Where it was the folder's only journal (the
/// exam lead's decisions journal, changed after it was collected), the
/// folder then holds nothing: collecting it said "no assessment's
/// journals there" (exit code 1) and the refusal stayed in status for
/// good. Collecting it now clears the refusal of the copy taken out, says
/// so, and succeeds; a refused copy still there stays refused.
#[test]
fn a_refused_copy_taken_out_of_a_folder_it_leaves_empty_is_cleared_by_collecting_that_folder() {
    let dir = Dir::new("refused-taken-out");
    let (_, archive) = forty_collected(&dir);
    let lead = dir.sub("lead");
    let (code, out) = sim36_absence(&["--archive", s(&archive)], &lead, "--fail");
    assert_eq!(code, 0, "{out}");
    let journal = journals(&lead).into_iter().next().expect("the decisions journal");
    let text = std::fs::read_to_string(&journal).expect("journal");
    std::fs::write(&journal, text.replace("No mitigating", "Nó mitigating")).expect("changed");
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 1, "{out}");
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(out.contains("Refused by collect"), "{out}");

    // Collecting the folder again with the copy still in it: still refused.
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 1, "{out}");

    let evidence = dir.0.join("changed-decisions.jsonl");
    std::fs::rename(&journal, &evidence).expect("taken out");
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 0, "{out}");
    let real = std::fs::canonicalize(&lead).expect("real path");
    assert!(
        out.contains(&format!(
            "{}: the copy collect refused there, {}/",
            s(&lead),
            s(&real)
        )) && out.contains("is no longer there: no longer refused")
            && !out.contains("no assessment's journals there"),
        "{out}"
    );
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(!out.contains("Refused by collect"), "{out}");
    assert!(!out.contains("was refused by collect"), "{out}");
    // Nothing left to clear: an empty folder is said as before.
    let (code, out) = run_osce(&["collect", s(&archive), s(&lead)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no assessment's journals there"), "{out}");
}

/// A decision recorded into one folder while the archive could not take
/// it (read-only), then another recorded into a second folder from the
/// archive: the second folder's journal carries on from the archive's
/// copy, which lacks the first, so the first folder's copy is refused as
/// another history. The refusal (collect's, and status's from the
/// archive) names the decision that does not count and how to record it
/// again; following it step by step, the decision counts.
#[test]
fn a_decision_left_in_a_second_history_is_named_and_can_be_recorded_again() {
    let dir = Dir::new("archive-two-histories");
    let (_, archive) = forty_collected(&dir);
    let (first, second) = (dir.0.join("lead-1"), dir.0.join("lead-2"));
    let mode =
        |m: u32| std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(m)).expect("chmod");
    mode(0o400);
    let (code, out) = sim36_absence(&["--archive", s(&archive)], &first, "--fail");
    assert_eq!(code, 2, "{out}");
    mode(0o600);
    let (code, out) = sim36_absence_because(
        &["--archive", s(&archive)],
        &second,
        "--deferred",
        "Illness certified",
    );
    assert_eq!(code, 0, "{out}");

    let lost = "1 decision in this copy alone, not in the archive, does not count: SIM00036 at physics: the \
                absence counts as a fail (by Exam lead, ";
    let (code, out) = run_osce(&["collect", s(&archive), s(&first)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(lost) && out.contains("No mitigating circumstances). Take this file out of its folder"),
        "{out}"
    );
    let (code, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Refused by collect") && out.contains(lost), "{out}");

    // As the refusal says: the copy taken out, its folder collected
    // again, and the decision recorded again from the archive.
    let copy = journals(&first).into_iter().next().expect("the refused copy");
    std::fs::rename(&copy, dir.0.join("evidence.jsonl")).expect("taken out");
    let (code, out) = run_osce(&["collect", s(&archive), s(&first)]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = sim36_absence(&["--archive", s(&archive)], &first, "--fail");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("collected into"), "{out}");
    let (code, out) = run_osce(&["decide", "list", OSCE, "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Illness certified")
            && out.contains("* SIM00036 at physics: the absence counts as a fail"),
        "{out}"
    );
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(!out.contains("Refused by collect"), "{out}");
}

/// A folder that held no assessment named together with a laptop's
/// folder under it: the laptop's folder, read again, rules on the copies
/// refused there. A copy put right since is no longer refused, though the
/// empty folder above it is named too.
#[test]
fn a_refusal_under_a_folder_read_again_is_cleared_though_an_empty_folder_above_it_is_named() {
    let dir = Dir::new("refused-under-both");
    let (laptops, archive) = forty_collected(&dir);
    let victim = journals(&laptops).into_iter().next().expect("a journal");
    let whole = std::fs::read(&victim).expect("journal");
    std::fs::write(&victim, &whole[..whole.len() / 2]).expect("cut");
    let (code, out) = run_osce(&["collect", s(&archive), s(&laptops)]);
    assert_eq!(code, 1, "{out}");
    std::fs::write(&victim, &whole).expect("put right");
    // The folder above the laptop's (holding it and the archive), named
    // first: no assessment's journals of its own.
    let (code, out) = run_osce(&["collect", s(&archive), s(&dir.0), s(&laptops)]);
    assert_eq!(code, 1, "the empty folder is said: {out}");
    let (_, out) = run_osce(&["status", OSCE, "--archive", s(&archive)]);
    assert!(!out.contains("Refused by collect"), "{out}");
}
