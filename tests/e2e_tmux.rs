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

struct Tmux {
    socket: String,
    dir: PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn start(&self, command: &str) {
        self.run(&["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
        }
    }

    /// Waits until the screen shows `text`, failing with the screen.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited 20 s for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn marks_survive_kill_9_and_the_timer_resumes() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is missing on CI: .ci/run must install it"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let id = format!("osce-e2e-{}", std::process::id());
    let dir = std::env::temp_dir().join(&id);
    let _ = std::fs::remove_dir_all(&dir);
    let t = Tmux {
        socket: id,
        dir: dir.clone(),
    };
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/msk-ultrasound-osce.ron");
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
    let screen = t.wait_for("Station 1/6: Shoulder");
    assert!(screen.contains("Partially done"), "{screen}");
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
    let start = Instant::now();
    while t.run(&["list-sessions"]).contains("e2e") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let state = SheetState::replay(&read_sheet(&journal).expect("journal").records);
    assert_eq!(state.mark("subscap").and_then(|m| m.level), Some(2));
}

#[test]
fn the_home_screen_starts_marking_from_a_folder_without_rubrics() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is missing on CI: .ci/run must install it"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let id = format!("osce-e2e-home-{}", std::process::id());
    let dir = std::env::temp_dir().join(&id);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let t = Tmux {
        socket: id,
        dir: dir.clone(),
    };
    let bin = env!("CARGO_BIN_EXE_osce");
    // No rubrics/ here: the built-in examples are offered.
    t.start(&format!("cd {} && {bin} --sessions marks", dir.display()));
    let screen = t.wait_for("start marking");
    assert!(
        screen.contains("built in: msk-ultrasound-osce.ron · 1 of 3"),
        "{screen}"
    );
    t.keys(&["Tab", "E", "0", "1", "Tab", "Tab"]);
    t.keys(&["C", "0", "0", "7", "Enter"]);
    t.wait_for("Is this the candidate in front of you?");
    t.keys(&["Enter"]);
    t.wait_for("Station 1/6: Shoulder");
    t.keys(&["1"]);
    t.wait_for("saved ✓ #3");
    t.keys(&["q"]);
    let journal = dir.join("marks/msk-us-osce/E01@").display().to_string();
    let found = std::fs::read_dir(dir.join("marks/msk-us-osce"))
        .expect("sessions written")
        .count();
    assert_eq!(found, 1, "one examiner@device folder under {journal}");
}

/// SIGTERM or SIGHUP (a shutdown, a closed window) ends marking as `q`
/// does: the terminal is restored (the shell's next line is on the normal
/// screen, not lost in the alternate one) and the marks are kept.
#[test]
fn sigterm_restores_the_terminal_and_keeps_the_marks() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is missing on CI: .ci/run must install it"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let id = format!("osce-e2e-term-{}", std::process::id());
    let dir = std::env::temp_dir().join(&id);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let t = Tmux {
        socket: id,
        dir: dir.clone(),
    };
    let bin = env!("CARGO_BIN_EXE_osce");
    let rubric = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/msk-ultrasound-osce.ron");
    let sessions = dir.join("sessions");
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
