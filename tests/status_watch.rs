//! `osce status --watch` through the binary: a sheet that arrives in the
//! folder is counted, a journal whose last line is still being copied is
//! shown as arriving (not as a problem), and Ctrl-C ends it with exit
//! code 0.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use common::{Dir, Marks, OSCE, candidate, journals};

/// How long to wait for a screen before giving up: not a timing target,
/// only a bound so that a broken watch fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(60);

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The watch's output, screen by screen (each ends with its "Watching"
/// line).
struct Screens {
    lines: Receiver<String>,
    seen: String,
}

impl Screens {
    /// The next screen for which `want` holds; panics, with everything
    /// shown, if none comes.
    fn wait_for(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut screen = String::new();
        while start.elapsed() < PATIENCE {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    screen.push_str(&line);
                    screen.push('\n');
                    if line.starts_with("Watching ") {
                        if want(&screen) {
                            return screen;
                        }
                        screen.clear();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("no screen with {what}; shown so far:\n{}", self.seen);
    }
}

/// A watch running, stopped (SIGKILL) when the test ends, whether it
/// passed or not.
struct Watching(Child);

impl std::ops::Deref for Watching {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Watching {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn watch(folder: &Path) -> (Watching, Screens) {
    let mut child = Watching(
        Command::new(env!("CARGO_BIN_EXE_osce"))
            .args(["status", OSCE, "--sessions", s(folder), "--watch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("osce runs"),
    );
    let screens = screens_of(&mut child);
    (child, screens)
}

/// The screens `child` writes, read on a thread of their own.
fn screens_of(child: &mut Child) -> Screens {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Screens {
        lines: rx,
        seen: String::new(),
    }
}

#[test]
fn a_sheet_arriving_is_counted_one_still_being_copied_is_arriving_and_ctrl_c_ends_it() {
    let dir = Dir::new("status-watch");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let (mut child, mut screens) = watch(&folder);
    screens.wait_for("the first candidate", |t| {
        t.contains(&format!("{stations} sheets expected: {stations} submitted."))
    });

    // A second candidate's sheets arrive.
    candidate(&folder, OSCE, "C002", "k.patel@laptop-b", Marks::Bottom);
    let both = 2 * stations;
    let screen = screens.wait_for("the second candidate", |t| {
        t.contains(&format!("{both} sheets expected: {both} submitted."))
    });
    assert!(
        screen.contains(&format!("{stations} journals read anew")),
        "only the new journals are read: {screen}"
    );

    // One of them is being copied again, its last line not all there yet.
    let copying = journals(&folder)
        .into_iter()
        .find(|j| s(j).contains("C002"))
        .expect("a journal of C002");
    let whole = std::fs::read(&copying).expect("journal");
    let mut torn = whole.clone();
    torn.extend_from_slice(b"{\"seq\":99,\"time\":\"2026-11-23T");
    std::fs::write(&copying, &torn).expect("torn");
    let screen = screens.wait_for("the journal arriving", |t| t.contains("Arriving"));
    assert!(
        screen.contains("Arriving (1 journal is still being copied") && screen.contains(s(&copying)),
        "{screen}"
    );
    assert!(
        !screen.contains("Problems with session files"),
        "a copy under way is not a problem: {screen}"
    );
    assert!(
        screen.contains(&format!("{both} sheets expected: {both} submitted.")),
        "its complete lines still count: {screen}"
    );
    std::fs::write(&copying, &whole).expect("copied");
    screens.wait_for("the copy finished", |t| {
        !t.contains("Arriving") && t.contains(&format!("{both} sheets expected: {both} submitted."))
    });

    // Ctrl-C: a clean end.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "still running after Ctrl-C: {}",
            screens.seen
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0), "{}", screens.seen);
    let mut rest = String::new();
    while let Ok(line) = screens.lines.recv_timeout(Duration::from_secs(5)) {
        rest.push_str(&line);
        rest.push('\n');
    }
    assert!(rest.contains("Stopped watching."), "{rest}");
}

/// The watched folder gone for a while (a share dropped, a sync client
/// re-creating it): the watch says so above what it last read, and goes
/// on when the folder is back; it does not end.
#[test]
fn a_folder_gone_for_a_while_is_said_and_the_watch_goes_on() {
    let dir = Dir::new("status-watch-gone");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let (mut child, mut screens) = watch(&folder);
    let expected = format!("{stations} sheets expected: {stations} submitted.");
    screens.wait_for("the first candidate", |t| t.contains(&expected));
    let away = dir.0.join("shared-renamed");
    std::fs::rename(&folder, &away).expect("rename");
    let screen = screens.wait_for("the folder gone", |t| t.contains("NOT READ: "));
    assert!(
        screen.contains(&format!("NOT READ: {}: no such sessions folder", s(&folder)))
            && screen.contains(&format!("Its {stations} journals are shown as last read"))
            && screen.contains(&expected),
        "{screen}"
    );
    assert!(!screen.contains("Gone ("), "its journals are not gone: {screen}");
    assert!(
        child.try_wait().expect("wait").is_none(),
        "still watching: {}",
        screens.seen
    );
    std::fs::rename(&away, &folder).expect("rename back");
    screens.wait_for("the folder back", |t| {
        !t.contains("NOT READ") && t.contains(&expected)
    });

    // One journal deleted: said as gone, not only counted as missing; back
    // again, no longer said.
    let journal = journals(&folder).into_iter().next().expect("a journal");
    let bytes = std::fs::read(&journal).expect("journal");
    std::fs::remove_file(&journal).expect("delete");
    let screen = screens.wait_for("the journal gone", |t| t.contains("Gone ("));
    assert!(
        screen.starts_with(
            "GONE: 1 journal read earlier is no longer in the folders (deleted, moved, or undone by a sync)"
        ),
        "said first, not only at the end: {screen}"
    );
    assert!(
        screen.contains("Gone (1 journal read earlier and no longer in the folders")
            && screen.contains(&format!("  {} (gone at ", s(&journal))),
        "{screen}"
    );
    std::fs::write(&journal, &bytes).expect("back");
    screens.wait_for("the journal back", |t| {
        !t.contains("Gone (") && t.contains(&expected)
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// A copy that was not used (a sync client's renamed copy, identical to
/// the journal beside it), tidied away while the watch runs, loses
/// nothing: it is not said as gone. The journal used, deleted, is.
#[test]
fn a_spare_copy_tidied_away_is_not_gone() {
    let dir = Dir::new("status-watch-spare");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let journal = journals(&folder).into_iter().next().expect("a journal");
    let stem = journal.file_stem().and_then(|n| n.to_str()).expect("stem");
    let copy = journal.with_file_name(format!("{stem} (1).jsonl"));
    std::fs::copy(&journal, &copy).expect("copy");
    let (mut child, mut screens) = watch(&folder);
    let expected = format!("{stations} sheets expected: {stations} submitted.");
    screens.wait_for("the copy read", |t| {
        t.contains(&expected) && t.contains(&format!("{} is the same as", s(&copy)))
    });
    std::fs::remove_file(&copy).expect("tidy");
    let screen = screens.wait_for("the copy no longer listed", |t| !t.contains("Renamed copies"));
    assert!(
        !screen.contains("GONE") && !screen.contains("Gone (") && screen.contains(&expected),
        "{screen}"
    );
    std::fs::remove_file(&journal).expect("delete");
    screens.wait_for("the journal gone", |t| t.starts_with("GONE: 1 journal"));
    let _ = child.kill();
    let _ = child.wait();
}

/// The watch says what the one-off status says of a folder named a level
/// too high: the folder to name instead, and why nothing is final.
#[test]
fn the_watch_names_the_folder_meant() {
    let dir = Dir::new("status-watch-level");
    let laptop = dir.sub("laptop-a");
    let sessions = laptop.join("sessions");
    candidate(&sessions, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let (mut child, mut screens) = watch(&laptop);
    let screen = screens.wait_for("the first look", |_| true);
    assert!(
        screen.contains(&format!(
            "{} holds the sessions folder {}, where the sheets of \"msk-us-osce\" are",
            laptop.display(),
            sessions.display()
        )) && screen.contains("Not final yet:"),
        "{screen}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// A copy written in place over a preallocated file (its size and
/// modification time the same before and after) is read again: the watch
/// looks at the inode and change time too, as collect does.
#[test]
fn a_copy_finished_in_place_with_the_same_size_and_time_is_read_again() {
    let dir = Dir::new("status-watch-in-place");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let journal = journals(&folder).into_iter().next().expect("a journal");
    let whole = std::fs::read(&journal).expect("journal");
    let time = std::fs::metadata(&journal)
        .and_then(|m| m.modified())
        .expect("time");
    let keep_time = |path: &Path| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(time))
            .expect("time kept");
    };
    let mut part = whole[..whole.len() / 2].to_vec();
    part.resize(whole.len(), 0);
    std::fs::write(&journal, &part).expect("preallocated");
    keep_time(&journal);
    let (mut child, mut screens) = watch(&folder);
    screens.wait_for("the copy under way", |t| t.contains("Arriving"));
    std::fs::write(&journal, &whole).expect("copied");
    keep_time(&journal);
    let expected = format!("{stations} sheets expected: {stations} submitted.");
    screens.wait_for("the copy finished", |t| {
        !t.contains("Arriving") && t.contains(&expected)
    });
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn watch_is_for_folders_not_an_archive() {
    let dir = Dir::new("status-watch-archive");
    let (code, out) = common::run_osce(&[
        "status",
        OSCE,
        "--archive",
        s(&dir.0.join("exam.osce")),
        "--watch",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--watch") && out.contains("--archive"), "{out}");
}

/// In a terminal the watch is a screen of its own: it says what it
/// watches and when it looked, shows a sheet arriving, scrolls to the end
/// of a status longer than the window, shows only what needs action on
/// `p`, tells a tiny window to grow, and `q` ends it with exit code 0,
/// the keys typed never reaching the shell.
#[test]
fn in_a_terminal_it_scrolls_and_q_ends_it() {
    use common::tmux::{Tmux, skip_without_tmux};
    if skip_without_tmux() {
        return;
    }
    let t = Tmux::fresh("watch");
    let folder = t.dir.join("day");
    let held = t.dir.join("held");
    common::simulate_into(OSCE, &folder, 40, 6, 3);
    // One examiner's laptop is not in yet.
    let laptop = folder.join("msk-us-osce/EX06@sim-EX06");
    std::fs::create_dir_all(&held).expect("held");
    std::fs::rename(&laptop, held.join("EX06@sim-EX06")).expect("moved aside");
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(OSCE);
    // What a program killed without restoring the terminal left on it (the
    // other screen, the shell's lines), and a line another program writes
    // later on: never drawn over and left.
    t.start_sized(
        &format!(
            "printf '\\033[?1049h'; for i in $(seq 30); do echo LEFTOVER-LEFTOVER-LEFTOVER; done; \
             (sleep 4; echo NOISE-NOISE-NOISE) & \
             {bin} status {} --sessions {} --watch; echo EXIT=$?; sleep 60",
            rubric.display(),
            folder.display()
        ),
        80,
        24,
    );
    let screen = t.wait_for("every 2 s; read anew at");
    assert!(
        !screen.contains("LEFTOVER"),
        "drawn over what was there: {screen}"
    );
    assert!(
        screen.contains(&format!("Watching {}: status", folder.display())),
        "{screen}"
    );
    assert!(
        screen.contains("Looked at") && screen.contains("lines 1–21 of"),
        "{screen}"
    );
    assert!(screen.contains("q quit"), "the keys are said: {screen}");
    assert!(screen.contains("SIM00001"), "{screen}");

    t.wait_for("NOISE-NOISE");
    t.keys(&["C-l"]);
    t.wait_gone_text("NOISE-NOISE");

    // The last laptop's sheets arrive: counted at the next look.
    std::fs::rename(held.join("EX06@sim-EX06"), &laptop).expect("moved back");
    t.wait_for(": 40 journals");

    // The end of the status, below the window.
    t.keys(&["End"]);
    let end = t.wait_for("Not final yet");
    assert!(!end.contains("SIM00001 "), "scrolled down: {end}");
    // A journal deleted while the window is at the end: said where it
    // is seen, in the header, not only at the top of the text.
    let journal = common::journals(&laptop).into_iter().next().expect("a journal");
    let bytes = std::fs::read(&journal).expect("journal");
    std::fs::remove_file(&journal).expect("deleted");
    let gone = t.wait_for("GONE: 1 journal no longer in the folders (see the top)");
    assert!(
        gone.contains("Not final yet") || gone.contains("Gone ("),
        "still at the end: {gone}"
    );
    std::fs::write(&journal, &bytes).expect("back");
    t.wait_gone_text("GONE: 1 journal");
    t.keys(&["p"]);
    let problems = t.wait_for("what needs action");
    assert!(problems.contains("decide:"), "{problems}");

    t.run(&["resize-window", "-t", "e2e", "-x", "30", "-y", "6"]);
    t.wait_for("Make the window");
    t.run(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    t.wait_for("q quit");

    t.keys(&["x", "q"]);
    let after = t.wait_for("EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(
        after.contains(&format!("Stopped watching {}", folder.display())),
        "{after}"
    );
    assert!(
        !after.contains("xEXIT"),
        "a key typed in the watch reached the shell: {after}"
    );
}

/// The watch says all the one-off status says below the matrix (results
/// held back, the tally of results), so the lead sees who passes as the
/// sheets arrive; piped into a reader that stops reading (`| head`), it
/// ends instead of watching on for nobody.
#[test]
fn the_watch_says_the_results_and_ends_when_nobody_reads() {
    let dir = Dir::new("status-watch-results");
    let folder = dir.sub("day");
    common::simulate_into(OSCE, &folder, 12, 6, 3);
    let (once_code, once) = common::run_osce(&["status", OSCE, "--sessions", s(&folder)]);
    assert_eq!(once_code, 1, "{once}");
    let tally = once
        .lines()
        .find(|l| l.starts_with("Results: ") && l.contains(" PASS · "))
        .expect("the one-off status gives the tally")
        .to_string();
    // Read here, not on a thread: dropping the reader closes the pipe.
    let mut child = Watching(
        Command::new(env!("CARGO_BIN_EXE_osce"))
            .args(["status", OSCE, "--sessions", s(&folder), "--watch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("osce runs"),
    );
    let mut reader = BufReader::new(child.0.stdout.take().expect("stdout"));
    let mut screen = String::new();
    for line in (&mut reader).lines() {
        let line = line.expect("a line");
        screen.push_str(&line);
        screen.push('\n');
        if line.starts_with("Watching ") {
            break;
        }
    }
    assert!(
        screen.contains(&tally),
        "the watch leaves out {tally:?}:\n{screen}"
    );
    if once.contains("Results held back where every sheet is in:") {
        assert!(
            screen.contains("Results held back where every sheet is in:"),
            "{screen}"
        );
    }
    // The reader goes away (`| head -3`) and nothing changes in the
    // folder: the watch ends all the same.
    drop(reader);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < PATIENCE, "still watching with nobody reading");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
}

/// The rubric broken while the watch runs (an editor saving it half
/// done): said on the watch's own output, in the words `osce check` gives,
/// and the watch goes on; changed to another version, the sheets are said
/// to be marked against another version, not gone.
#[test]
fn a_rubric_broken_or_changed_mid_watch_is_said_in_the_watch() {
    let dir = Dir::new("status-watch-rubric");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let rubric = dir.0.join("rubric.ron");
    let original = std::fs::read_to_string(OSCE).expect("rubric");
    std::fs::write(&rubric, &original).expect("copy");
    let mut child = Watching(
        Command::new(env!("CARGO_BIN_EXE_osce"))
            .args(["status", s(&rubric), "--sessions", s(&folder), "--watch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("osce runs"),
    );
    let mut screens = screens_of(&mut child.0);
    let expected = format!("{stations} sheets expected: {stations} submitted.");
    screens.wait_for("the first look", |t| t.contains(&expected));
    std::fs::write(&rubric, format!("{original}\ngarbage(")).expect("broken");
    let screen = screens.wait_for("the rubric broken", |t| t.contains("NOT READ since"));
    assert!(
        screen.contains(&format!(
            "{}: invalid; fix it with `osce check` first:",
            s(&rubric)
        )) && screen.contains("there is more text after the end of the rubric")
            && !screen.contains("what is wrong is above"),
        "{screen}"
    );
    let changed = original.replacen("title: \"Knee\"", "title: \"Knee joint\"", 1);
    assert_ne!(changed, original, "the example rubric has a Knee station");
    std::fs::write(&rubric, &changed).expect("changed");
    let screen = screens.wait_for("the rubric changed", |t| {
        !t.contains("NOT READ") && t.contains("marked against another version of this rubric")
    });
    assert!(!screen.contains("GONE") && !screen.contains("Gone ("), "{screen}");
}

/// A journal whose unfinished last line stays as it is is a copy under way
/// only for a while: after a minute the watch says it may be a copy cut
/// short, to be copied again, as the one-off status would call it a
/// problem.
#[test]
fn an_unfinished_line_that_never_finishes_is_said_after_a_minute() {
    let dir = Dir::new("status-watch-stuck");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let journal = journals(&folder).into_iter().next().expect("a journal");
    let mut torn = std::fs::read(&journal).expect("journal");
    torn.extend_from_slice(b"{\"seq\":99,\"time\":\"2026-11-23T");
    std::fs::write(&journal, &torn).expect("torn");
    let (mut child, mut screens) = watch(&folder);
    let first = screens.wait_for("arriving", |t| t.contains("Arriving"));
    assert!(first.contains(&format!("  {} (since ", s(&journal))), "{first}");
    let start = Instant::now();
    let mut later = String::new();
    while start.elapsed() < Duration::from_secs(120) {
        match screens.lines.recv_timeout(Duration::from_millis(500)) {
            Ok(line) => {
                later.push_str(&line);
                later.push('\n');
                if line.starts_with("Unfinished for over a minute") {
                    break;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        later.contains(
            "Unfinished for over a minute (1 journal whose unfinished last line has not changed for 60 s"
        ) && later.contains("Copy it again from the laptop"),
        "{}{later}",
        screens.seen
    );
    assert!(start.elapsed() >= Duration::from_secs(50), "said too soon");
}

/// A watch over several laptops' folders: one of them not there (a USB
/// stick pulled out, a share dropped, or not synced in yet when the watch
/// starts) is said, its sheets shown as last read, and the others are
/// still read as sheets arrive; the watch does not stop for it.
#[test]
fn one_folder_not_there_does_not_stop_the_others_being_watched() {
    let dir = Dir::new("status-watch-one-of-two");
    let a = dir.sub("laptop-a");
    let b = dir.sub("laptop-b");
    candidate(&a, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    candidate(&b, OSCE, "C002", "k.patel@laptop-b", Marks::Top);
    let stations = journals(&a).len();
    let later = dir.0.join("laptop-c");
    let mut child = Watching(
        Command::new(env!("CARGO_BIN_EXE_osce"))
            .args(["status", OSCE, "--watch", "--sessions", s(&a), s(&b), s(&later)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("osce runs"),
    );
    let mut screens = screens_of(&mut child);
    let two = 2 * stations;
    // Started before laptop C's folder is there: said, and the others read.
    let screen = screens.wait_for("the first look", |_| true);
    assert!(
        screen.contains(&format!("NOT READ: {}", s(&later)))
            && screen.contains("no such sessions folder")
            && screen.contains(&format!("{two} sheets expected: {two} submitted.")),
        "{screen}"
    );
    assert!(
        !screen.contains("NOT READ since"),
        "the others are read: {screen}"
    );

    // Laptop B's stick pulled out: its sheets stay as last read, said so,
    // and laptop A's new sheets are counted.
    let away = dir.0.join("laptop-b-pulled");
    std::fs::rename(&b, &away).expect("pull B out");
    candidate(&a, OSCE, "C003", "e.jones@laptop-a", Marks::Top);
    let three = 3 * stations;
    let screen = screens.wait_for("B away and A's new sheets read", |t| {
        t.contains(&format!("{three} sheets expected: {three} submitted."))
    });
    assert!(
        screen.contains(&format!("NOT READ: {}", s(&b)))
            && screen.contains(&format!("Its {stations} journals are shown as last read")),
        "{screen}"
    );
    assert!(!screen.contains("Gone ("), "B's journals are not gone: {screen}");

    // Laptop C's folder synced in, B back: nothing not read any more.
    candidate(&later, OSCE, "C004", "a.n@laptop-c", Marks::Top);
    std::fs::rename(&away, &b).expect("B back");
    let four = 4 * stations;
    screens.wait_for("every folder read", |t| {
        !t.contains("NOT READ") && t.contains(&format!("{four} sheets expected: {four} submitted."))
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// A journal read as submitted, then cut (its last line, the submission,
/// removed: what the folders alone cannot tell from a sheet never
/// submitted): the watch remembers what it read and says so, where its
/// cell only turned to "in progress" without a word. Put back, it is no
/// longer said.
#[test]
fn a_journal_cut_after_it_was_read_is_said_by_the_watch() {
    let dir = Dir::new("status-watch-cut");
    let folder = dir.sub("shared");
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    let (mut child, mut screens) = watch(&folder);
    let expected = format!("{stations} sheets expected: {stations} submitted.");
    screens.wait_for("the first candidate", |t| t.contains(&expected));

    let victim = journals(&folder).into_iter().next().expect("a journal");
    let whole = std::fs::read_to_string(&victim).expect("journal");
    let lines = whole.lines().count();
    let body = whole.strip_suffix('\n').expect("ends in a newline");
    std::fs::write(&victim, &whole[..body.rfind('\n').expect("several lines") + 1]).expect("cut");
    let screen = screens.wait_for("the cut said", |t| t.contains("CUT: "));
    assert!(
        screen.starts_with("CUT: 1 journal read earlier holds fewer records now")
            && screen.contains(&format!(
                "  {}: {lines} records when read earlier, submitted, {} since ",
                s(&victim),
                lines - 1
            ))
            && screen.contains("(no longer submitted)"),
        "{screen}"
    );
    std::fs::write(&victim, &whole).expect("put back");
    screens.wait_for("the journal whole again", |t| {
        !t.contains("CUT") && t.contains(&expected)
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// Started before any laptop's folder is there (the morning of the exam):
/// the watch starts, says each folder is not there yet, and reads the
/// sheets when the folder comes. A file named as a folder is a mistake in
/// the command: said, exit code 2.
#[test]
fn a_watch_started_before_any_folder_is_there_waits_for_them() {
    let dir = Dir::new("status-watch-none-yet");
    let folder = dir.0.join("shared");
    let (mut child, mut screens) = watch(&folder);
    let screen = screens.wait_for("the first look", |_| true);
    assert!(
        screen.contains(&format!(
            "NOT READ: {}: no such sessions folder. Nothing of it has been read yet.",
            s(&folder)
        )),
        "{screen}"
    );
    candidate(&folder, OSCE, "C001", "e.jones@laptop-a", Marks::Top);
    let stations = journals(&folder).len();
    screens.wait_for("the folder there", |t| {
        !t.contains("NOT READ") && t.contains(&format!("{stations} sheets expected: {stations} submitted."))
    });
    let _ = child.kill();
    let _ = child.wait();

    let file = dir.0.join("exam.osce");
    std::fs::write(&file, b"not a folder").expect("file");
    let (code, out) = common::run_osce(&["status", OSCE, "--watch", "--sessions", s(&file)]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is a file, not a sessions folder"), "{out}");
}

/// With a roster whose circuits start in British Summer Time, the watch
/// says when it looked and read on that clock, as it says the circuits'
/// rounds, not in UTC beside them.
#[test]
fn the_watch_tells_the_time_on_the_rosters_clock() {
    let dir = Dir::new("status-watch-zone");
    let folder = dir.sub("day");
    common::simulate_into(OSCE, &folder, 6, 6, 3);
    let start = (chrono::Utc::now() - chrono::Duration::minutes(20))
        .with_timezone(&chrono::FixedOffset::east_opt(3600).expect("offset"))
        .format("%Y-%m-%dT%H:%M:%S+01:00")
        .to_string();
    let text = std::fs::read_to_string("rubrics/msk-ultrasound-osce.roster.csv").expect("roster");
    let mut lines = text.lines();
    let mut roster = format!("{},circuit_start\n", lines.next().expect("header"));
    for line in lines {
        roster.push_str(&format!("{line},{start}\n"));
    }
    let roster_path = dir.0.join("roster.csv");
    std::fs::write(&roster_path, roster).expect("roster written");
    let mut child = Watching(
        Command::new(env!("CARGO_BIN_EXE_osce"))
            .args([
                "status",
                OSCE,
                "--sessions",
                s(&folder),
                "--roster",
                s(&roster_path),
                "--watch",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("osce runs"),
    );
    let hour = || {
        (chrono::Utc::now() + chrono::Duration::hours(1))
            .format("%H:")
            .to_string()
    };
    let before = hour();
    let mut screens = screens_of(&mut child);
    let screen = screens.wait_for("the watch's line", |s| s.contains("read anew at"));
    let last = screen.lines().last().unwrap_or_default();
    let after = hour();
    assert!(last.contains(" (UTC+01:00))"), "{last}");
    assert!(
        last.contains(&format!("read anew at {before}")) || last.contains(&format!("read anew at {after}")),
        "not on the roster's clock ({before}…): {last}"
    );
    assert!(!last.contains(" UTC)"), "{last}");
}
