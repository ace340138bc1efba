//! A real terminal for the tests that drive the binary's screens: a tmux
//! server of the test's own, and waiting for what the screen shows.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    pub dir: PathBuf,
}

impl Tmux {
    /// A terminal of its own (a private tmux socket) and an empty folder
    /// for this test, both removed when dropped.
    pub fn fresh(tag: &str) -> Tmux {
        let socket = format!("osce-e2e-{tag}-{}", std::process::id());
        let dir = std::env::temp_dir().join(&socket);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Tmux { socket, dir }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn start(&self, command: &str) {
        self.start_sized(command, 120, 40);
    }

    /// [`Tmux::start`] in a terminal of `width` × `height`.
    pub fn start_sized(&self, command: &str, width: u16, height: u16) {
        // A server still on its way out (its last session just closed)
        // could take the new session down with it: wait until it is gone,
        // and start again should the session not be there.
        self.wait_server_gone();
        for _ in 0..3 {
            self.new_session(command, width, height);
            if self.has_session() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn has_session(&self) -> bool {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(["has-session", "-t", "e2e"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Waits (up to 5 s) until this test's tmux server has exited.
    fn wait_server_gone(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            let alive = Command::new("tmux")
                .arg("-L")
                .arg(&self.socket)
                .arg("list-sessions")
                .output()
                .is_ok_and(|o| o.status.success());
            if !alive {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn new_session(&self, command: &str, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        // What the home screen remembers stays in this test's folder.
        let state = format!("OSCE_STATE_DIR={}", self.dir.join("state").display());
        self.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-e",
            &state,
            "-x",
            &w,
            "-y",
            &h,
            command,
            // A program that ends leaves its last screen, and its exit
            // status, to read: a test that fails because osce ended shows
            // why instead of an empty pane. `wait_gone` closes it.
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
        ]);
    }

    /// The program's exit status once it has ended (its pane kept by
    /// `remain-on-exit`), or `None` while it runs.
    fn ended(&self) -> Option<String> {
        let out = self.run(&[
            "display-message",
            "-p",
            "-t",
            "e2e",
            "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}",
        ]);
        let mut parts = out.trim().split('|');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("1"), Some(status), _) if !status.is_empty() => Some(status.to_string()),
            (Some("1"), _, Some(signal)) if !signal.is_empty() => {
                Some(format!("none: killed by signal {signal}"))
            }
            (Some("1"), _, _) => Some("unknown".to_string()),
            _ => None,
        }
    }

    /// What the failure of a wait shows: the screen and, when the program
    /// has ended, its exit status.
    fn explain(&self, screen: &str) -> String {
        match self.ended() {
            Some(status) => format!("{screen}\n(osce has ended, exit status {status})"),
            None if self.has_session() => {
                let pane = self.run(&[
                    "display-message",
                    "-p",
                    "-t",
                    "e2e",
                    "pane pid #{pane_pid}, running #{pane_current_command}",
                ]);
                format!("{screen}\n(osce runs: {})", pane.trim())
            }
            None => format!("{screen}\n(the terminal is gone: no tmux session)"),
        }
    }

    /// Types `text` as it is (no key names).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Waits until the program in the terminal has ended.
    pub fn wait_gone(&self) {
        let start = Instant::now();
        while self.run(&["list-sessions"]).contains("e2e") {
            if self.ended().is_some() {
                self.run(&["kill-server"]);
                continue;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited 20 s for the program to end; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL to the program in the terminal (the pane's process and its
    /// children, by their ids): no chance to flush or clean up anything.
    pub fn kill_9(&self) {
        let pane = self.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]);
        let pane = pane.trim().to_string();
        assert!(!pane.is_empty(), "a program runs in the terminal");
        let children = Command::new("pgrep")
            .args(["-P", &pane])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        for pid in children.split_whitespace().chain([pane.as_str()]) {
            let _ = Command::new("kill").args(["-9", pid]).status();
        }
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
        }
    }

    /// Waits until the screen no longer shows `text`, failing with the
    /// screen.
    pub fn wait_gone_text(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited 20 s for {text:?} to go; the screen shows:\n{}",
                self.explain(&screen)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `text`, failing with the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited 20 s for {text:?}; the screen shows:\n{}",
                self.explain(&screen)
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

/// The largest example rubric, which every test here marks.
pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True (after saying so) when tmux is missing here; on CI it must not be.
pub fn skip_without_tmux() -> bool {
    if tmux_available() {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "tmux is missing on CI: .ci/run must install it"
    );
    eprintln!("skipped: tmux is not installed (apt-get install tmux)");
    true
}
