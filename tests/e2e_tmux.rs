//! The real binary in a real terminal (tmux): confirm a candidate, start
//! the timer, mark items, kill the process with SIGKILL, start it again,
//! and find every mark the screen acknowledged, and the timer running on
//! from where it was.
//!
//! Needs tmux. `.ci/run` installs it; without it the test fails on CI
//! (`CI` set) and is skipped with a message elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use osce::store::{Event, SheetState, TimerAction, read_sheet};

mod common;

use common::tmux::{Tmux, skip_without_tmux};

fn example_rubric() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/msk-ultrasound-osce.ron")
}

#[test]
fn marks_survive_kill_9_and_the_timer_resumes() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("kill");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    let command = format!(
        "{bin} score {} --examiner E01 --candidate C001 --name 'Aisha Khan' --sessions {} --device e2e",
        rubric.display(),
        dir.display()
    );

    t.start(&command);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["Space"]);
    t.wait_for("READING");
    // Opened #1, Confirmed #2, timer start #3 and phase #4, then marks #5-#7.
    t.keys(&["1", "2", "1"]);
    t.wait_for("saved ✓ #7");
    std::thread::sleep(Duration::from_millis(1500));

    // SIGKILL: no chance to flush or clean up anything.
    let killed = Command::new("pkill")
        .args(["-9", "-f", dir.to_str().expect("utf-8 path")])
        .status()
        .expect("pkill");
    assert!(killed.success(), "the osce process was found and killed");
    std::thread::sleep(Duration::from_millis(300));

    let journal = dir.join("msk-us-osce/E01@e2e/C001/shoulder.jsonl");
    let replay = read_sheet(&journal).expect("the journal reads back");
    assert!(replay.quarantined.is_none() && replay.damage.is_none());
    let state = SheetState::replay(&replay.records);
    for (item, level) in [("id-consent", 1), ("probe-preset", 2), ("lhb", 1)] {
        assert_eq!(
            state.mark(item).and_then(|m| m.level),
            Some(level),
            "{item} survived"
        );
    }
    assert!(state.timer.iter().any(|t| t.action == TimerAction::Start));
    let marks = replay
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::Mark { .. }))
        .count();
    assert_eq!(marks, 3, "nothing was written that was not acknowledged");

    // Start again: the marks are on screen and the timer runs on.
    t.run(&["kill-server"]);
    t.start(&command);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    // The sheet's own line, not its header: a screen caught mid-redraw
    // can show the header over the confirmation still below it.
    let screen = t.wait_for("Partially done");
    assert!(screen.contains("Station 1/6: Shoulder"), "{screen}");
    assert!(
        !screen.contains("READY"),
        "the timer resumed rather than restarting:\n{screen}"
    );
    assert!(
        screen.contains("READING") || screen.contains("STATION"),
        "{screen}"
    );
    let pointer = screen
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_default()
        .to_string();
    assert!(
        pointer.contains("Subscapularis"),
        "the cursor is on the first unmarked item: {pointer}"
    );

    // One more mark after the restart (after a new `opened` record; the
    // candidate's confirmation is already on the sheet), then quit.
    t.keys(&["2"]);
    t.wait_for("saved ✓ #9");
    t.keys(&["q"]);
    t.wait_gone();
    let state = SheetState::replay(&read_sheet(&journal).expect("journal").records);
    assert_eq!(state.mark("subscap").and_then(|m| m.level), Some(2));
}

#[test]
fn the_home_screen_starts_marking_from_a_folder_without_rubrics() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("home");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    // No rubrics/ here: the built-in examples are offered.
    t.start(&format!("cd {} && {bin} --sessions marks", dir.display()));
    t.wait_for("start marking");
    // The whole form drawn (a busy machine may show it in parts).
    t.wait_for("1 of 4 · ←/→ · built in: msk-ultrasound-osce.ron");
    t.keys(&["Tab", "E", "0", "1", "Tab", "Tab"]);
    t.keys(&["C", "0", "0", "7", "Enter"]);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    t.wait_for("saved ✓ #3");
    t.keys(&["q"]);
    // q ends marking and goes back home, where the sheet left open is
    // offered to resume; esc there ends osce.
    let screen = t.wait_for("Unfinished sheets");
    assert!(
        screen.contains("start marking") && screen.contains("C007"),
        "{screen}"
    );
    let journal = dir.join("marks/msk-us-osce/E01@").display().to_string();
    let found = std::fs::read_dir(dir.join("marks/msk-us-osce"))
        .expect("sessions written")
        .count();
    assert_eq!(found, 1, "one examiner@device folder under {journal}");
    t.keys(&["Escape"]);
    t.wait_gone();
    // The next morning: the home screen remembers who and where.
    std::fs::create_dir_all(dir.join("rubrics")).expect("rubrics");
    std::fs::copy(example_rubric(), dir.join("rubrics/msk-ultrasound-osce.ron")).expect("rubric");
    std::fs::write(
        dir.join("rubrics/day-1.roster.csv"),
        "candidate_id,name,circuit\nC001,A B,North\nC002,C D,South\n",
    )
    .expect("roster");
    t.start(&format!("cd {} && {bin} --sessions marks", dir.display()));
    t.wait_for("start marking");
    // The whole form drawn (a busy machine may show it in parts).
    let screen = t.wait_for("Examiner id");
    let examiner = screen
        .lines()
        .find(|l| l.contains("Examiner id"))
        .unwrap_or_default();
    assert!(examiner.contains("E01"), "remembered: {examiner}");
    // The roster files beside the rubrics are offered (←/→ in the field).
    t.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Right"]);
    let screen = t.wait_for("day-1.roster.csv");
    let roster = screen
        .lines()
        .find(|l| l.contains("Roster file"))
        .unwrap_or_default();
    assert!(roster.contains("rubrics/day-1.roster.csv"), "{roster}");
    // In a station circuit, the roster's circuits are offered in turn.
    t.keys(&["Up", "Up", "Up", "Right", "Tab", "Tab", "Right"]);
    let screen = t.wait_for("North");
    let circuit = screen
        .lines()
        .find(|l| l.contains("North"))
        .unwrap_or_default()
        .to_string();
    t.keys(&["Right"]);
    let screen = t.wait_for("South");
    assert!(
        !screen.contains("North"),
        "the next circuit replaces it: {circuit}\n{screen}"
    );
}

/// SIGTERM or SIGHUP (a shutdown, a closed window) ends marking as `q`
/// does: the terminal is restored (the shell's next line is on the normal
/// screen, not lost in the alternate one) and the marks are kept.
#[test]
fn sigterm_restores_the_terminal_and_keeps_the_marks() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("term");
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    let sessions = t.dir.join("sessions");
    t.start(&format!(
        "{bin} score {} --examiner E01 --candidate C009 --name 'Term Test' --sessions {} --device lapterm; echo OSCE-EXIT $?; sleep 30",
        rubric.display(),
        sessions.display()
    ));
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    t.wait_for("saved ✓");
    let killed = Command::new("pkill")
        .args(["-TERM", "-f", &format!("^{bin} score .*{}", sessions.display())])
        .status()
        .expect("pkill");
    assert!(killed.success(), "the marking process was found");
    let screen = t.wait_for("OSCE-EXIT 0");
    assert!(
        !screen.contains("Station 1/6"),
        "the marking screen is gone:\n{screen}"
    );
    let journal = sessions.join("msk-us-osce/E01@lapterm/C009/shoulder.jsonl");
    let records = read_sheet(&journal).expect("journal").records;
    assert!(
        records.iter().any(|r| matches!(r.event, Event::Mark { .. })),
        "the mark is kept"
    );
}

/// Closing the window (here: the whole tmux server, so the terminal is
/// gone) ends osce within moments, even while it waits for a key, and so
/// frees the sheet for the examiner's next window.
#[test]
fn a_closed_window_ends_osce_and_frees_the_sheet() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("close");
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    let sessions = t.dir.join("sessions");
    let command = format!(
        "{bin} score {} --examiner E01 --candidate C010 --name 'Close Test' --sessions {} --device lapclose",
        rubric.display(),
        sessions.display()
    );
    t.start(&command);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    // The mark is #3 (after opened and confirmed, which already show as
    // "saved ✓ #2": waiting for "saved ✓" alone could close the window
    // before the mark is written).
    t.wait_for("saved ✓ #3");
    t.run(&["kill-server"]);
    let pattern = format!("^{bin} score .*{}", sessions.display());
    let running = || {
        Command::new("pgrep")
            .args(["-f", &pattern])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let start = Instant::now();
    while running() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "osce still runs 10 s after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The sheet opens again in a new window: nothing holds its lock.
    t.start(&command);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    // The header can be on screen before the items are drawn: wait for
    // the item's row (20 s at most, then fail with the screen).
    let screen = t.wait_for("Confirms patient identity");
    let first = screen
        .lines()
        .find(|l| l.contains("Confirms patient identity"))
        .unwrap_or_default();
    assert!(first.contains("1/1"), "the mark is there: {first}\n{screen}");
    t.keys(&["q"]);
}

// ---------------------------------------------------------------------------
// A full disk and a read-only sessions folder, for real: the binary runs in
// a private mount namespace (`unshare`, as an unprivileged user may) with
// a small tmpfs as its sessions folder. The test reaches that folder
// through `/proc/<pid>/root` to fill it up and to free it again.

/// Whether this machine lets a process mount a tmpfs in a user and mount
/// namespace of its own. Where it does not, the tests below are skipped,
/// unless `OSCE_REQUIRE_NAMESPACES` is set (`.ci/run` sets it where they
/// are allowed), when they fail instead.
fn skip_without_namespaces() -> bool {
    if skip_without_tmux() {
        return true;
    }
    let works = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /tmp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return false;
    }
    assert!(
        std::env::var_os("OSCE_REQUIRE_NAMESPACES").is_none(),
        "`unshare -rm` with a tmpfs mount fails here, and OSCE_REQUIRE_NAMESPACES is set"
    );
    eprintln!("skipped: this machine does not allow `unshare -rm` and a tmpfs mount");
    true
}

/// Starts `osce score` for candidate C001 in tmux on device `name`, with
/// its sessions folder a fresh tmpfs mounted with `options` in the
/// process's own namespace. Gives the terminal and that folder's path (as
/// the test sees it: empty; see [`seen_by`]).
fn score_on_tmpfs(name: &str, options: &str) -> (Tmux, PathBuf) {
    let t = Tmux::fresh(name);
    let sessions = t.dir.join("sessions");
    std::fs::create_dir_all(&sessions).expect("sessions folder");
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    t.start(&format!(
        "unshare -rm sh -c 'mount -t tmpfs -o {options} tmpfs {dir} && exec {bin} score {rubric} \\
         --examiner E01 --candidate C001 --name Aisha --sessions {dir} --device {name}'",
        dir = sessions.display(),
        rubric = rubric.display(),
    ));
    (t, sessions)
}

/// The sessions folder as the marking process sees it.
fn seen_by(t: &Tmux, sessions: &Path) -> PathBuf {
    let pid = t.run(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"]);
    let pid = pid.trim();
    assert!(!pid.is_empty(), "the pane has a process");
    PathBuf::from(format!("/proc/{pid}/root")).join(sessions.strip_prefix("/").expect("absolute"))
}

/// The last "saved ✓ #N" on the screen.
fn saved_number(screen: &str) -> Option<u64> {
    let at = screen.rfind("saved ✓ #")? + "saved ✓ #".len();
    let digits: String = screen[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[test]
fn a_full_disk_is_on_screen_at_once_and_no_unsaved_mark_is_shown() {
    if skip_without_namespaces() {
        return;
    }
    let (t, sessions) = score_on_tmpfs("full", "size=64m");
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(
        !screen.contains("NOT BEING SAVED") && !screen.contains("DISK IS FULL"),
        "no alarm while there is room:\n{screen}"
    );
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    t.wait_for("saved ✓ #3");

    // Fill the disk from outside, as a download or a video would.
    let folder = seen_by(&t, &sessions);
    let filler = folder.join("filler");
    {
        use std::io::Write as _;
        let mut file = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 1 << 16];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
    }
    // The next check of the disk (every 5 s) says so before any mark fails.
    let screen = t.wait_for("THE DISK IS FULL");
    assert!(screen.contains("The next change may not be saved"), "{screen}");

    // Mark on until a save fails (the journal's last block may hold a few
    // more lines): then the screen says marks are NOT being saved, and
    // the item marked last is not shown as marked.
    let mut acknowledged = saved_number(&screen).expect("a saved number");
    let mut failed = None;
    for _ in 0..40 {
        t.keys(&["1"]);
        std::thread::sleep(Duration::from_millis(250));
        let screen = t.screen();
        if screen.contains("MARKS ARE NOT BEING SAVED") {
            failed = Some(screen);
            break;
        }
        acknowledged = saved_number(&screen).unwrap_or(acknowledged);
    }
    let screen = failed.expect("a save failed on the full disk and the screen said so");
    assert!(screen.contains("the disk is full"), "{screen}");
    assert!(screen.contains("NOT SAVED: the disk is full"), "{screen}");
    let pointer = screen.lines().find(|l| l.contains('▶')).unwrap_or_default();
    assert!(
        pointer.contains('—'),
        "the mark that failed is not shown as made: {pointer}\n{screen}"
    );

    // On disk: every acknowledged record, whole, and nothing more.
    let journal = folder.join("msk-us-osce/E01@full/C001/shoulder.jsonl");
    let replay = read_sheet(&journal).expect("the journal reads back");
    assert!(
        replay.quarantined.is_none() && replay.damage.is_none(),
        "no torn line was left behind"
    );
    assert_eq!(
        replay.records.last().map(|r| r.seq),
        Some(acknowledged),
        "the journal ends at the last record the screen called saved"
    );

    // Free the space: the next mark is saved and the alarm goes.
    std::fs::remove_file(&filler).expect("filler removed");
    t.keys(&["1"]);
    let screen = t.wait_for(&format!("saved ✓ #{}", acknowledged + 1));
    assert!(!screen.contains("NOT BEING SAVED"), "{screen}");
    let replay = read_sheet(&journal).expect("journal");
    assert_eq!(replay.records.last().map(|r| r.seq), Some(acknowledged + 1));
    t.keys(&["q"]);
}

#[test]
fn a_read_only_sessions_folder_is_on_screen_before_the_first_mark() {
    if skip_without_namespaces() {
        return;
    }
    let (t, sessions) = score_on_tmpfs("ro", "ro,size=64m");
    // Before the examiner does anything: the confirmation screen already
    // says that nothing can be saved, and why.
    let screen = t.wait_for("MARKS ARE NOT BEING SAVED");
    assert!(screen.contains("read-only"), "{screen}");
    assert!(
        screen.contains("Is this the candidate in front of you?"),
        "{screen}"
    );
    let folder = seen_by(&t, &sessions);
    // Going on does not pretend: the sheet cannot open, nothing is saved.
    t.keys(&["Enter"]);
    let screen = t.wait_for("Read-only file system");
    assert!(screen.contains("MARKS ARE NOT BEING SAVED"), "{screen}");
    assert!(!screen.contains("saved ✓"), "{screen}");
    assert!(!screen.contains("Station 1/6"), "no marking screen:\n{screen}");
    let written = std::fs::read_dir(&folder).expect("the folder").count();
    assert_eq!(written, 0, "nothing was written");
    t.keys(&["q"]);
}

#[test]
fn a_sessions_folder_made_read_only_while_marking_raises_the_banner() {
    if skip_without_namespaces() {
        return;
    }
    let t = Tmux::fresh("rolate");
    let sessions = t.dir.join("sessions");
    std::fs::create_dir_all(&sessions).expect("sessions folder");
    let trigger = t.dir.join("make-read-only");
    let folder = sessions.join("msk-us-osce/E01@rolate");
    let bin = env!("CARGO_BIN_EXE_osce");
    // Inside the namespace, a watcher makes the examiner's folder
    // read-only (a read-only bind mount over it) when the test says so.
    // The open sheet's file was opened before, and still takes lines.
    t.start(&format!(
        "unshare -rm sh -c 'mount -t tmpfs -o size=64m tmpfs {dir} || exit 1; \\
         (while [ ! -e {trigger} ]; do sleep 0.1; done; \\
          mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}) & \\
         exec {bin} score {rubric} --examiner E01 --candidate C001 --name Aisha \\
         --sessions {dir} --device rolate'",
        dir = sessions.display(),
        trigger = trigger.display(),
        folder = folder.display(),
        rubric = example_rubric().display(),
    ));
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    let screen = t.wait_for("saved ✓ #3");
    assert!(!screen.contains("NOT BEING SAVED"), "{screen}");
    std::fs::write(&trigger, "").expect("trigger");
    // The next check of the folder (every 5 s) finds it read-only.
    let screen = t.wait_for("MARKS ARE NOT BEING SAVED");
    assert!(screen.contains("read-only"), "{screen}");
    // A line still reaches the open file: the banner stays, for the
    // folder cannot take the next sheet.
    t.keys(&["1"]);
    // Saved, yet no tick beside the banner: the folder cannot be written.
    let screen = t.wait_for("saved #4");
    assert!(!screen.contains("saved ✓"), "{screen}");
    std::thread::sleep(Duration::from_millis(800));
    let screen = t.screen();
    assert!(screen.contains("MARKS ARE NOT BEING SAVED"), "{screen}");
    t.keys(&["q"]);
}

/// Waits until the screen shows one of `texts`; which one, and the screen.
fn wait_for_any(t: &Tmux, texts: &[&str]) -> (usize, String) {
    let start = Instant::now();
    loop {
        let screen = t.screen();
        if let Some(i) = texts.iter().position(|x| screen.contains(x)) {
            return (i, screen);
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited 30 s for one of {texts:?}; the screen shows:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The example OSCE with every station timed 8 s plus 3 s of changeover
/// (no reading time, no calls): an 11-second round.
fn quick_rubric(dir: &Path) -> PathBuf {
    quick_rubric_with(dir, "0:03")
}

/// [`quick_rubric`] with a changeover of `changeover` at every station.
fn quick_rubric_with(dir: &Path, changeover: &str) -> PathBuf {
    let text = std::fs::read_to_string(example_rubric()).expect("rubric");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("timing: (") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find(')').expect("end of timing") + 1;
        out.push_str(&format!(
            "timing: (station: \"0:08\", changeover: \"{changeover}\")"
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    let path = dir.join("quick-osce.ron");
    std::fs::write(&path, out).expect("write rubric");
    path
}

/// Goes back with ← (at most `steps` times) until candidate `id` is on
/// the screen, and returns the screen.
fn back_to(t: &Tmux, id: &str, steps: usize) -> String {
    let wanted = format!("Candidate id: {id}");
    let mut screen = t.screen();
    for _ in 0..steps {
        if screen.contains(&wanted) {
            break;
        }
        t.keys(&["Left"]);
        std::thread::sleep(Duration::from_millis(300));
        screen = t.screen();
    }
    assert!(screen.contains(&wanted), "{screen}");
    screen
}

/// `roster.csv` in `dir`: C001 to C006, "Candidate 1" to "Candidate 6".
fn roster_of_six(dir: &Path) -> PathBuf {
    let roster = dir.join("roster.csv");
    let mut csv = String::from("candidate_id,name\n");
    for i in 1..=6 {
        csv.push_str(&format!("C00{i},Candidate {i}\n"));
    }
    std::fs::write(&roster, csv).expect("roster");
    roster
}

/// Confirms the candidate shown for `round`, marks every knee item and the
/// global rating, and submits while their time runs on.
fn mark_and_submit(t: &Tmux, round: usize, id: &str) {
    let screen = t.wait_for(&format!("Round {round} of 7 · candidate"));
    assert!(screen.contains(id), "{id} is up in round {round}:\n{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&format!("Knee · round {round} of 7"));
    t.keys(&["Space"]);
    t.keys(&["1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "3", "s"]);
    t.wait_for("Submit this sheet?");
    t.keys(&["Enter"]);
    let (i, _) = wait_for_any(t, &["Submit before the time is up?", "is still in the room"]);
    if i == 0 {
        t.keys(&["y"]);
    }
}

/// A station circuit of six candidates at the knee of a seven-station
/// circuit (the rest station included), in the real binary: the rounds on
/// screen, the candidate still in the room until changeover ends, an
/// absent candidate, a round with nobody (a rest), and every sheet on disk.
#[test]
fn a_station_circuit_of_six_with_a_rest_and_an_absence() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("circuit");
    let dir = t.dir.clone();
    let rubric = quick_rubric(&dir);
    // In row order: at the knee, C002 in round 1, C001 in round 2, nobody
    // in round 3, then C006, C005, C004 and C003.
    let roster = roster_of_six(&dir);
    let sessions = dir.join("sessions");
    let bin = env!("CARGO_BIN_EXE_osce");
    t.start(&format!(
        "{bin} score {} --examiner E02 --roster {} --station knee --sessions {} --device e2e",
        rubric.display(),
        roster.display(),
        sessions.display()
    ));

    // Round 1: C002, and the next round's candidate named.
    let screen = t.wait_for("Then round 2: C001 Candidate 1");
    assert!(
        screen.contains("Is this the candidate in front of you?"),
        "{screen}"
    );
    mark_and_submit(&t, 1, "C002");
    // C002 is still in the room; C001 only comes when changeover ends.
    let screen = t.wait_for("C002 Candidate 2 is still in the room");
    assert!(
        screen.contains("Next candidate, once the changeover ends:"),
        "{screen}"
    );
    assert!(screen.contains("Then round 3: no candidate — rest"), "{screen}");
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(screen.contains("Round 2 of 7 · candidate 2 of 6"), "{screen}");

    // Round 2: C001 does not come.
    t.keys(&["x"]);
    t.wait_for("Why is C001 Candidate 1 absent?");
    t.keys(&["Did not attend", "Enter"]);
    // Round 3: nobody at this station; C006 is shown as coming after it.
    let screen = t.wait_for("Round 3 of 7: no candidate — rest");
    assert!(screen.contains("Next candidate, after the rest:"), "{screen}");
    assert!(screen.contains("Round 4 of 7 · candidate 3 of 6"), "{screen}");
    t.wait_for("Is this the candidate in front of you?");

    // Rounds 4 to 7; the examiner confirms each as they come in.
    for (round, id) in [(4, "C006"), (5, "C005"), (6, "C004")] {
        mark_and_submit(&t, round, id);
        t.wait_for("Is this the candidate in front of you?");
    }
    // Before round 7, C002's sheet (round 1) is amended: the rotation
    // stays where it was, C003 next in round 7, no rounds of rest made up.
    back_to(&t, "C002", 8);
    t.keys(&["Enter"]);
    t.wait_for("SUBMITTED");
    t.keys(&["A"]);
    t.wait_for("Why is this submitted sheet being amended?");
    t.type_text("global rating entered wrongly");
    t.keys(&["Enter"]);
    t.wait_for("AMENDING");
    t.keys(&["s"]);
    t.wait_for("Submit this sheet?");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Round 7 of 7 · candidate");
    assert!(
        screen.contains("C003") && !screen.contains("no candidate — rest"),
        "after the amendment, C003 in round 7 and no rest:\n{screen}"
    );
    mark_and_submit(&t, 7, "C003");
    t.wait_for("Every sheet of this session is submitted.");
    t.keys(&["q"]);
    t.wait_gone();

    let sheet = |id: &str| {
        let path = sessions.join(format!("msk-us-osce/E02@e2e/{id}/knee.jsonl"));
        let replay = read_sheet(&path).unwrap_or_else(|e| panic!("{id}'s sheet reads back: {e}"));
        assert!(replay.quarantined.is_none() && replay.damage.is_none(), "{id}");
        SheetState::replay(&replay.records)
    };
    let (checked, _) = osce::rubric::load(&rubric).expect("the quick rubric is valid");
    let knee = checked.station("knee").expect("knee");
    for id in ["C002", "C006", "C005", "C004", "C003"] {
        let state = sheet(id);
        let submitted = state
            .submitted
            .clone()
            .unwrap_or_else(|| panic!("{id} submitted"));
        assert_eq!(submitted.max, 20.0, "{id}");
        for item in &knee.items {
            assert_eq!(
                state.mark(&item.id).and_then(|m| m.level),
                Some(1),
                "{id}: {} at level 1",
                item.id
            );
        }
        assert!(state.absent.is_none(), "{id}");
        assert!(state.timer.iter().any(|t| t.action == TimerAction::Start), "{id}");
    }
    let absent = sheet("C001");
    assert_eq!(absent.absent.as_deref(), Some("Did not attend"));
    assert_eq!(
        absent.submitted.map(|s| s.outcome),
        Some(osce::scoring::StationOutcome::Absent)
    );
    let folders = std::fs::read_dir(sessions.join("msk-us-osce/E02@e2e"))
        .expect("examiner folder")
        .count();
    assert_eq!(folders, 6, "one sheet per candidate, none for the rest");
}

/// A comment being typed when the laptop dies is there after the restart
/// (it is drafted at most a second behind the typing), and saves then.
#[test]
fn a_comment_being_typed_survives_kill_9() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("draft");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    let command = format!(
        "{bin} score {} --examiner E01 --candidate C001 --name 'Aisha Khan' --sessions {} --device e2e",
        example_rubric().display(),
        dir.display()
    );
    t.start_sized(&command, 80, 24);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["c"]);
    t.wait_for("Feedback to the candidate");
    let said = "Careful probe handling; the long axis of the biceps tendon was not shown and the images were not labelled";
    t.type_text(said);
    t.keys(&["Tab"]);
    t.type_text("Check q2 with the external");
    // More than a second after the last key: the draft is on disk.
    std::thread::sleep(Duration::from_millis(1600));
    t.kill_9();
    t.wait_gone();
    let journal = dir.join("msk-us-osce/E01@e2e/C001/shoulder.jsonl");
    let state = SheetState::replay(&read_sheet(&journal).expect("journal").records);
    assert_eq!(state.feedback, "", "a draft is not feedback");
    assert_eq!(state.feedback_draft.as_deref(), Some(said));
    assert_eq!(state.notes_draft.as_deref(), Some("Check q2 with the external"));

    t.start_sized(&command, 80, 24);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    let screen = t.wait_for("not saved when osce stopped");
    assert!(screen.contains("Unsaved draft: feedback, notes (c)"), "{screen}");
    t.keys(&["c"]);
    // The long line wraps in the box: its end is on screen too.
    let screen = t.wait_for("Careful probe handling;");
    assert!(screen.contains("labelled"), "{screen}");
    assert!(screen.contains("Check q2 with the external"), "{screen}");
    t.keys(&["C-s"]);
    t.wait_for("feedback ✓");
    t.keys(&["q"]);
    t.wait_gone();
    let state = SheetState::replay(&read_sheet(&journal).expect("journal").records);
    assert_eq!(state.feedback, said);
    assert_eq!(state.notes, "Check q2 with the external");
    assert_eq!((state.feedback_draft, state.notes_draft), (None, None));
}

/// A candidate id with letters beyond ASCII, typed decomposed (`e` and a
/// combining diaeresis), is marked under its composed form, in a folder of
/// that name, and status and export show it.
#[test]
fn a_candidate_id_beyond_ascii_is_marked_and_shown_by_status_and_export() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("nfc");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    let command = format!(
        "{bin} score {} --examiner E01 --candidate 'Zoe\u{308}-01' --name 'Zoë Adeyemi' --sessions {} --device e2e",
        rubric.display(),
        dir.display()
    );
    t.start(&command);
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(screen.contains("Zoë Adeyemi"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1", "2"]);
    t.wait_for("saved ✓ #4");
    t.keys(&["q"]);
    t.wait_gone();
    let folders: Vec<String> = std::fs::read_dir(dir.join("msk-us-osce/E01@e2e"))
        .expect("sheets written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders, ["Zoë-01"], "one folder, composed");
    let state = SheetState::replay(
        &read_sheet(dir.join("msk-us-osce/E01@e2e/Zoë-01/shoulder.jsonl"))
            .expect("journal")
            .records,
    );
    assert!(state.mark("id-consent").is_some());

    let status = Command::new(bin)
        .args(["status", &rubric.display().to_string(), "--sessions"])
        .arg(&dir)
        .output()
        .expect("status runs");
    let out = String::from_utf8_lossy(&status.stdout);
    assert!(out.contains("Zoë-01"), "{out}");
    let export_dir = dir.join("export");
    let export = Command::new(bin)
        .args(["export", &rubric.display().to_string(), "--sessions"])
        .arg(&dir)
        .arg("--out")
        .arg(&export_dir)
        .output()
        .expect("export runs");
    assert!(
        export_dir.join("results.csv").exists(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let results = std::fs::read_to_string(export_dir.join("results.csv")).expect("results.csv");
    assert!(results.contains("Zoë-01"), "{results}");
    // The sheet is not submitted: its station's row names the candidate and
    // says so.
    let stations = std::fs::read_to_string(export_dir.join("stations.csv")).expect("stations.csv");
    assert!(
        stations
            .lines()
            .any(|l| l.starts_with("Zoë-01,shoulder") && l.contains("not submitted")),
        "{stations}"
    );
}

/// The laptop dies twice at a station, as an examiner could meet it: once
/// while the reason for a pause is being typed, once in the middle of an
/// amendment. The pause is on disk from the moment space was pressed and
/// the timer stays paused after the restart; the amendment's marks are
/// kept, the sheet counts as last submitted meanwhile (status and export
/// say so), and it is submitted again after the restart.
#[test]
fn a_pause_and_an_amendment_survive_kill_9() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("pause-amend");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = example_rubric();
    let command = format!(
        "{bin} score {} --examiner E01 --candidate C001 --name 'Aisha Khan' --sessions {} --device e2e",
        rubric.display(),
        dir.display()
    );
    let journal = dir.join("msk-us-osce/E01@e2e/C001/shoulder.jsonl");
    let replay = || SheetState::replay(&read_sheet(&journal).expect("journal").records);

    // A pause, and the laptop dies while its reason is typed.
    t.start_sized(&command, 80, 24);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["Space"]);
    t.wait_for("READING");
    std::thread::sleep(Duration::from_millis(1500));
    t.keys(&["Space"]);
    t.wait_for("Why is the timer paused?");
    t.type_text("model ne");
    t.kill_9();
    t.wait_gone();
    let state = replay();
    let last = state.timer.last().expect("timer records");
    assert!(
        matches!(last.action, TimerAction::Pause { .. }),
        "the pause is on disk before its reason: {:?}",
        last.action
    );
    let paused_at = last.elapsed;
    assert!(paused_at >= Duration::from_millis(1000), "{paused_at:?}");

    // After the restart the timer is still paused where it stopped, and
    // the reason the crash cut short is asked again.
    t.start_sized(&command, 80, 24);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Why is the timer paused?");
    assert!(screen.contains("no reason was recorded"), "{screen}");
    t.type_text("model needed a break");
    t.keys(&["Enter"]);
    t.wait_gone_text("Why is the timer paused?");
    let reasons: Vec<String> = replay().pauses().into_iter().map(|p| p.reason).collect();
    assert_eq!(reasons, vec!["model needed a break".to_string()]);
    let screen = t.wait_for("PAUSED");
    assert!(screen.contains("READING 0:5"), "{screen}");
    std::thread::sleep(Duration::from_millis(1200));
    assert!(t.screen().contains("PAUSED"), "still paused a second later");
    t.keys(&["Space"]);
    // Every item and the global rating, then submit before time is up.
    t.keys(&["1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "3", "s"]);
    t.wait_for("Submit this sheet?");
    t.keys(&["Enter"]);
    t.wait_for("Submit before the time is up?");
    t.keys(&["y"]);
    t.wait_for("Station 2/6: Knee");
    let submitted = replay().submitted.clone().expect("submitted");
    let out = dir.join("export-before");
    let export = |out: &Path| {
        Command::new(bin)
            .args(["export", rubric.to_str().expect("utf-8"), "--sessions"])
            .arg(&dir)
            .arg("--out")
            .arg(out)
            .output()
            .expect("export runs")
    };
    export(&out);
    let score_of = |out: &Path| {
        let mut r = csv::Reader::from_path(out.join("stations.csv")).expect("stations.csv");
        let header = r.headers().expect("header").clone();
        let col = |n: &str| header.iter().position(|h| h == n).expect(n);
        r.records()
            .map(|x| x.expect("row"))
            .find(|x| &x[col("station_id")] == "shoulder")
            .map(|x| (x[col("score")].to_string(), x[col("note")].to_string()))
            .expect("the shoulder row")
    };
    let (before, _) = score_of(&out);

    // An amendment, and the laptop dies with it open.
    t.keys(&["Left"]);
    t.wait_for("SUBMITTED");
    t.keys(&["A"]);
    t.wait_for("Why is this submitted sheet being amended?");
    t.type_text("mark entered against the wrong item");
    t.keys(&["Enter"]);
    t.wait_for("AMENDING");
    t.keys(&["Down", "0"]);
    // The screen says saved only once it is on disk: wait for the disk.
    let amended = |s: &SheetState| s.mark("probe-preset").is_some_and(|m| m.level == Some(0));
    let start = Instant::now();
    while !amended(&replay()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the amended mark reached the disk"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    t.kill_9();
    t.wait_gone();
    let state = replay();
    assert!(state.amending.is_some(), "the amendment is open on disk");
    let out = dir.join("export-during");
    export(&out);
    let (during, note) = score_of(&out);
    assert_eq!(during, before, "the sheet counts as last submitted");
    assert!(note.contains("amendment in progress"), "{note}");
    let status = Command::new(bin)
        .args(["status", rubric.to_str().expect("utf-8"), "--sessions"])
        .arg(&dir)
        .output()
        .expect("status runs");
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("Being amended"), "{said}");

    // After the restart the amendment is there, and is submitted: the
    // screen offers to carry it on (its candidate left long ago).
    t.start_sized(&command, 80, 24);
    t.wait_for("Being amended here: open the sheet to carry on amending it?");
    t.keys(&["Enter"]);
    let screen = t.wait_for("AMENDING");
    // The amended mark is kept, and is the amendment's, not late.
    assert!(
        screen
            .lines()
            .any(|l| l.contains("2 Selects a high-fre") && l.contains("[0] 0/2") && !l.contains("late")),
        "the amended mark is kept:\n{screen}"
    );
    t.keys(&["s"]);
    t.wait_for("Submit this sheet?");
    t.keys(&["Enter"]);
    // The candidate left long ago: the next sheet asks who is there first.
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 2/6: Knee");
    t.keys(&["q"]);
    t.wait_gone();
    let state = replay();
    assert!(state.is_locked() && state.amending.is_none());
    let resubmitted = state.submitted.expect("submitted again");
    assert!(
        resubmitted.score < submitted.score,
        "{resubmitted:?} after {submitted:?}"
    );
    assert_eq!(state.amendments.len(), 1);
    assert_eq!(state.amendments[0].reason, "mark entered against the wrong item");
}

/// With a roster, `score --candidate` takes only a candidate on it: a
/// mistyped id is refused with the nearest id on the roster, before
/// anything is written.
#[test]
fn a_candidate_not_on_the_roster_is_refused_before_anything_is_written() {
    let dir = common::Dir::new("roster-unknown-candidate");
    let sessions = dir.0.join("sessions");
    let (code, out) = common::run_osce(&[
        "score",
        common::OSCE,
        "--examiner",
        "E03",
        "--candidate",
        "C099",
        "--roster",
        "rubrics/msk-ultrasound-osce.roster.csv",
        "--sessions",
        sessions.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("candidate \"C099\" is not on the roster (did you mean \"C009\"?)"),
        "{out}"
    );
    assert!(!sessions.exists(), "nothing written");
}

/// With a roster, a name typed for the candidate that is not the roster's
/// is refused (another person, or a slip), before anything is written;
/// the roster's name written another way (without its accents) is it.
#[test]
fn a_name_typed_other_than_the_rosters_is_refused() {
    let dir = common::Dir::new("roster-other-name");
    let sessions = dir.0.join("sessions");
    let run = |name: &str| {
        common::run_osce(&[
            "score",
            common::OSCE,
            "--examiner",
            "E03",
            "--candidate",
            "C010",
            "--name",
            name,
            "--roster",
            "rubrics/msk-ultrasound-osce.roster.csv",
            "--sessions",
            sessions.to_str().expect("utf-8"),
        ])
    };
    let (code, out) = run("Grace Smith");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("candidate C010 is Grace O'Neill on the roster, not \"Grace Smith\""),
        "{out}"
    );
    assert!(!sessions.exists(), "nothing written");
    // The roster's own name, in other capitals: not refused (the marking
    // screen then needs a terminal).
    let (_, out) = run("grace o'neill");
    assert!(!out.contains("on the roster, not"), "{out}");
}

/// An examiner id typed in other capitals than one that has marked here
/// (`e01` for `E01`, a caps-lock slip) is refused before anything is
/// written: sheets under it would be a second examiner's, or a conflict.
#[test]
fn an_examiner_id_differing_only_in_capitals_is_refused() {
    let dir = common::Dir::new("examiner-capitals");
    let sessions = dir.0.join("sessions");
    common::sheet(
        &sessions,
        common::OSCE,
        "knee",
        "C001",
        "E01@lap1",
        common::Marks::Top,
        true,
        0,
    );
    let before = common::journals(&sessions);
    let (code, out) = common::run_osce(&[
        "score",
        common::OSCE,
        "--examiner",
        "e01",
        "--candidate",
        "C001",
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--device",
        "lap1",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("Examiner e01 differs from E01, who has marked this exam in")
            && out.contains("only in capitals"),
        "{out}"
    );
    assert_eq!(common::journals(&sessions), before, "nothing written");
    // So is a candidate's id typed in other capitals, before the screen
    // asks who is in front of the examiner.
    let (code, out) = common::run_osce(&[
        "score",
        common::OSCE,
        "--examiner",
        "E01",
        "--candidate",
        "c001",
        "--sessions",
        sessions.to_str().expect("utf-8"),
        "--device",
        "lap1",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("Candidate c001 differs from C001, already marked in"),
        "{out}"
    );
    assert_eq!(common::journals(&sessions), before, "nothing written");
    // A folder left by a sheet only opened holds no marker.
    std::fs::create_dir_all(sessions.join("msk-us-osce/E09@lap2/C001")).expect("mkdir");
    let (_, out) = common::run_osce(&[
        "score",
        common::OSCE,
        "--examiner",
        "e09",
        "--candidate",
        "C001",
        "--sessions",
        sessions.to_str().expect("utf-8"),
    ]);
    assert!(!out.contains("only in capitals"), "{out}");
}

/// `--candidate` in other capitals than the roster's is the roster's
/// candidate: the sheet is theirs (it was kept under the id as typed,
/// which status then showed as a candidate not on the roster).
#[test]
fn a_candidate_typed_in_other_capitals_is_the_rosters() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("roster-capitals");
    let dir = t.dir.clone();
    let bin = env!("CARGO_BIN_EXE_osce");
    t.start(&format!(
        "{bin} score {} --examiner E01 --candidate c009 --roster rubrics/msk-ultrasound-osce.roster.csv --sessions {} --device e2e",
        example_rubric().display(),
        dir.display()
    ));
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(screen.contains("Candidate id: C009"), "{screen}");
    assert!(!screen.contains("c009"), "{screen}");
}

/// A station circuit without a start time, killed with `kill -9` twice:
/// during the changeover after a submission, and during the rest after an
/// absence. Started again, the screen carries the rotation on where it
/// was, by the sheets' own times: the candidate marked is still in the
/// room until their changeover ends, and the rest goes on to the next
/// candidate's round; nobody is called in early.
#[test]
fn a_circuit_killed_during_changeover_and_rest_carries_its_rotation_on() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("circuit-kill");
    let dir = t.dir.clone();
    let rubric = quick_rubric_with(&dir, "0:08");
    let roster = roster_of_six(&dir);
    let command = format!(
        "{} score {} --examiner E02 --roster {} --station knee --sessions {} --device e2e",
        env!("CARGO_BIN_EXE_osce"),
        rubric.display(),
        roster.display(),
        dir.join("sessions").display()
    );
    t.start(&command);
    mark_and_submit(&t, 1, "C002");
    t.wait_for("C002 Candidate 2 is still in the room");
    t.kill_9();
    t.wait_gone();
    t.start(&command);
    let screen = t.wait_for("Round 2 of 7 · candidate 2 of 6");
    assert!(
        screen.contains("C002 Candidate 2 is still in the room")
            && screen.contains("Next candidate, once the changeover ends:"),
        "the candidate marked is still in the room after the restart:\n{screen}"
    );
    t.wait_for("Is this the candidate in front of you?");

    // C001 does not come: their round and round 3 are rests.
    t.keys(&["x"]);
    t.wait_for("Why is C001 Candidate 1 absent?");
    t.keys(&["Did not attend", "Enter"]);
    t.wait_for("Next candidate, after the rest:");
    t.kill_9();
    t.wait_gone();
    t.start(&command);
    let screen = t.wait_for("Round 4 of 7 · candidate 3 of 6");
    assert!(
        screen.contains("no candidate — rest")
            && screen.contains("Next candidate, after the rest:")
            && !screen.contains("Is this the candidate in front of you?"),
        "the rest goes on after the restart:\n{screen}"
    );
    t.wait_for("Round 3 of 7: no candidate — rest");
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(screen.contains("C006"), "{screen}");
}

/// A laptop dies mid-circuit and a spare, under its own name, takes over
/// with the folder copied across: the circuit carries on after the sheets
/// marked on the first laptop (not from round 1), and a sheet marked there
/// is not marked a second time here: opening it says which laptop's name
/// to start with.
#[test]
fn a_spare_laptop_carries_the_circuit_on_and_will_not_mark_a_sheet_twice() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("spare");
    let dir = t.dir.clone();
    let rubric = quick_rubric_with(&dir, "0:08");
    let roster = roster_of_six(&dir);
    let sessions = dir.join("sessions");
    let command = |device: &str| {
        format!(
            "{} score {} --examiner E02 --roster {} --station knee --sessions {} --device {device}",
            env!("CARGO_BIN_EXE_osce"),
            rubric.display(),
            roster.display(),
            sessions.display()
        )
    };
    t.start(&command("lap1"));
    mark_and_submit(&t, 1, "C002");
    t.wait_for("C002 Candidate 2 is still in the room");
    t.kill_9();
    t.wait_gone();
    t.start(&command("spare"));
    let screen = t.wait_for("Round 2 of 7 · candidate 2 of 6");
    assert!(
        !screen.contains("Round 1 of 7"),
        "the spare carries the circuit on from lap1's sheets:\n{screen}"
    );
    t.wait_for("Is this the candidate in front of you?");
    // Back to C002, marked on lap1: refused, with the name to start with.
    let screen = back_to(&t, "C002", 4);
    assert!(screen.contains("already SUBMITTED"), "{screen}");
    t.keys(&["Enter"]);
    let screen = t.wait_for("was begun on the laptop named lap1");
    assert!(screen.contains("--device lap1"), "{screen}");
    assert!(
        !sessions.join("msk-us-osce/E02@spare/C002").exists(),
        "nothing written for C002 on the spare"
    );
}

/// An examiner who opens a candidate again without `--name` (after a
/// restart, or at the next station) is shown the name this laptop's
/// sheets confirmed them under, not "(no name given)": the name is what
/// they check the candidate in front of them against.
#[test]
fn a_candidate_opened_again_without_a_name_is_shown_under_the_name_confirmed_before() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("name-again");
    let dir = t.dir.clone();
    let rubric = example_rubric();
    let rubric_text = rubric.to_str().expect("utf-8");
    common::sheet(
        &dir,
        rubric_text,
        "shoulder",
        "C001",
        "E01@e2e",
        common::Marks::Top,
        true,
        0,
    );
    t.start(&format!(
        "{} score {rubric_text} --examiner E01 --candidate C001 --station knee --sessions {} --device e2e",
        env!("CARGO_BIN_EXE_osce"),
        dir.display()
    ));
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(
        screen.contains("Name of C001") && !screen.contains("(no name given)"),
        "{screen}"
    );
}

/// Moving through a candidate's stations without marking them, or quitting
/// with a sheet open and nothing written to it, leaves no empty journal
/// behind: only the sheets something was recorded on are files.
#[test]
fn sheets_only_looked_at_leave_no_empty_journals() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("looked-at");
    let dir = t.dir.clone();
    t.start(&format!(
        "{} score {} --examiner E01 --candidate C001 --name 'Aisha Khan' --sessions {} --device e2e",
        env!("CARGO_BIN_EXE_osce"),
        example_rubric().display(),
        dir.display()
    ));
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    for station in ["Station 2/6", "Station 3/6"] {
        t.keys(&["Right"]);
        t.wait_for(station);
    }
    t.keys(&["q"]);
    t.wait_gone();
    let folder = dir.join("msk-us-osce/E01@e2e/C001");
    let mut files: Vec<(String, u64)> = std::fs::read_dir(&folder)
        .expect("the candidate's folder")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().expect("metadata").len(),
            )
        })
        .collect();
    files.sort();
    assert!(
        files.iter().all(|(_, len)| *len > 0) && files.iter().any(|(name, _)| name == "shoulder.jsonl"),
        "{files:?}"
    );
}

/// A sheet begun, then `kill -9`: on the restart the confirmation says
/// the sheet is started, and neither its keys line nor the footer offers
/// `x` (absent), which a started sheet refuses.
#[test]
fn a_sheet_begun_before_kill_9_is_not_offered_as_absent() {
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("begun-not-absent");
    let dir = t.dir.clone();
    let rubric = quick_rubric(&dir);
    let roster = roster_of_six(&dir);
    let command = format!(
        "{} score {} --examiner E02 --roster {} --station knee --sessions {} --device e2e",
        env!("CARGO_BIN_EXE_osce"),
        rubric.display(),
        roster.display(),
        dir.join("sessions").display()
    );
    t.start(&command);
    let screen = t.wait_for("Is this the candidate in front of you?");
    assert!(
        squeezed(&screen).contains("xabsent"),
        "offered before the sheet is begun:\n{screen}"
    );
    t.keys(&["Enter"]);
    t.wait_for("Knee · round 1 of 7");
    t.keys(&["1"]);
    t.wait_for("saved ✓ #3");
    t.kill_9();
    t.wait_gone();
    t.start(&command);
    let screen = t.wait_for("marking started, not submitted");
    assert!(
        !squeezed(&screen).contains("xabsent") && !squeezed(&screen).contains("x:absent"),
        "a started sheet cannot be recorded absent, so x is not offered:\n{screen}"
    );
}

/// The screen without spaces or line breaks (tmux wraps and trims).
fn squeezed(screen: &str) -> String {
    screen.chars().filter(|c| !c.is_whitespace()).collect()
}
