//! The moderation screen without a terminal: keys through
//! `ModerateApp::update`, decisions written to a real moderation journal
//! in a temporary folder, and a snapshot of every screen.

mod common;

use std::path::PathBuf;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use osce::results::moderation::AssessorLog;
use osce::store::{Decision, Event, Health, Proposed, SaveProblem, Store, StoreError, read_sheet};
use osce::tui::moderate::executor::ModerateExecutor;
use osce::tui::moderate::{Action, Filter, ModerateApp, Options, Reply, Screen, action_for, snapshot, view};
use osce::tui::screen::{Executor as _, drive};
use osce::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct H {
    app: ModerateApp,
    exec: ModerateExecutor,
    dir: Dir,
    rubric: &'static str,
}

fn open(dir: Dir, rubric_path: &'static str, assessor: &str) -> H {
    open_on(dir, rubric_path, assessor, "ea-laptop")
}

fn open_on(dir: Dir, rubric_path: &'static str, assessor: &str, device: &str) -> H {
    let s = dir.0.join("s");
    let r = rubric(rubric_path);
    let h = hash(rubric_path);
    let folders = vec![s.clone()];
    let first = snapshot(&r, &h, &folders, None).expect("snapshot");
    let (journal, _) = Store::new(&s)
        .open_moderation(&r.id, assessor, device, &h)
        .expect("open moderation");
    let loader = {
        let (r, h, folders) = (r.clone(), h.clone(), folders.clone());
        Box::new(move || snapshot(&r, &h, &folders, None))
    };
    let own = AssessorLog::of_journal(&journal);
    let options = Options {
        sample_percent: 25.0,
        seed: 7,
        near_percent: 5.0,
    };
    let cell = osce::tui::moderate::cell_reader(&r, &h, &folders);
    let app = ModerateApp::new(r, first, own, options);
    let exec = ModerateExecutor::new(journal, loader, cell, Box::new(|| at(61)));
    let mut h = H {
        app,
        exec,
        dir,
        rubric: rubric_path,
    };
    h.act(Action::Resize {
        width: 120,
        height: 40,
    });
    h
}

/// [`open`], then every submitted sheet listed (the screen opens on the
/// rubric's sample), as most tests want.
fn open_all(dir: Dir, rubric_path: &'static str, assessor: &str) -> H {
    let mut h = open(dir, rubric_path, assessor);
    while h.app.filter != Filter::All {
        h.key(KeyCode::Char('f'));
    }
    h
}

/// C001 at the OSCE's shoulder, marked by E01 and E02 further apart than
/// the rubric's threshold: the station waits for a third marker's sheet.
fn shoulder_markers_apart(s: &std::path::Path) {
    sheet(s, OSCE, "shoulder", "C001", "E01@lap1", Marks::Top, true, 5);
    sheet(
        s,
        OSCE,
        "shoulder",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(6),
        true,
        6,
    );
}

/// Two candidates through the practical exam: C001 passes everything,
/// C002 fails the upper limb station (marked at the bottom) and is
/// borderline at the lower limb.
fn practical() -> H {
    let dir = Dir::new("mod-tui");
    let s = dir.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C002",
        "E02@lap2",
        Marks::Bottom,
        true,
        5,
    );
    sheet(
        &s,
        PRACTICAL,
        "lower-limb",
        "C002",
        "E02@lap2",
        Marks::LoseFirst(2),
        true,
        6,
    );
    sheet(&s, PRACTICAL, "physics", "C002", "E02@lap2", Marks::Top, false, 7);
    open_all(dir, PRACTICAL, "EA1")
}

impl H {
    /// An action through the app, and its effects through the runner.
    fn act(&mut self, action: Action) {
        let effects = self.app.update(action);
        drive(&mut self.app, &mut self.exec, effects);
    }

    /// What the executor would report, fed to the app directly.
    fn reply(&mut self, reply: Reply) {
        let effects = self.app.reply(reply);
        drive(&mut self.app, &mut self.exec, effects);
    }

    fn key(&mut self, code: KeyCode) {
        self.key_mod(code, KeyModifiers::NONE);
    }

    fn key_mod(&mut self, code: KeyCode, mods: KeyModifiers) {
        let action = action_for(&self.app, KeyEvent::new(code, mods));
        if let Some(a) = action {
            self.act(a);
        }
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn journal(&self) -> Vec<Event> {
        let path = self.sessions().join(format!(
            "{}/EA1@ea-laptop/moderation.jsonl",
            rubric(self.rubric).id
        ));
        read_sheet(path)
            .expect("journal")
            .records
            .into_iter()
            .map(|r| r.event)
            .collect()
    }

    fn sessions(&self) -> PathBuf {
        self.dir.0.join("s")
    }

    /// What `osce status` says of the sessions folder, through the binary.
    fn status(&self) -> String {
        let sessions = self.sessions();
        run_osce(&[
            "status",
            self.rubric,
            "--sessions",
            sessions.to_str().expect("utf-8"),
        ])
        .1
    }

    fn render(&self, width: u16, height: u16) -> String {
        let mut app_size = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        app_size
            .draw(|f| view::render(&self.app, f, &Theme::new(false)))
            .expect("draw");
        let buffer = app_size.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            for x in 0..buffer.area.width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    fn select(&mut self, candidate: &str, station: &str) {
        let i = self
            .app
            .visible
            .iter()
            .position(|&i| {
                self.app.entries[i].candidate == candidate && self.app.entries[i].station == station
            })
            .expect("entry shown");
        self.app.selected = i;
    }
}

fn decisions(events: &[Event]) -> Vec<(String, String, Decision, Option<Proposed>, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Moderated {
                candidate,
                station,
                decision,
                proposed,
                rationale,
                ..
            } => Some((
                candidate.clone(),
                station.clone(),
                *decision,
                *proposed,
                rationale.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn only_submitted_sheets_are_listed_and_filters_narrow_them() {
    let mut h = practical();
    // C001's three stations and C002's two submitted ones; C002's
    // unsubmitted physics sheet is not moderated.
    assert_eq!(h.app.entries.len(), 5);
    assert_eq!(h.app.visible.len(), 5);
    // A FAIL on a critical item is flagged as one; a sheet with every
    // critical item met is not.
    for e in &h.app.entries {
        assert_eq!(
            e.flags.iter().any(|f| f == "critical"),
            !e.internal.critical_fails.is_empty(),
            "{} at {}: {:?}",
            e.candidate,
            e.station,
            e.flags
        );
    }
    assert!(
        h.app.entries.iter().any(|e| e.candidate == "C002"
            && e.station == "upper-limb"
            && e.flags.iter().any(|f| f == "critical")),
        "C002's upper limb fails a critical item"
    );
    h.key(KeyCode::Char('f'));
    assert_eq!(h.app.filter, Filter::Undecided);
    assert_eq!(h.app.visible.len(), 5);
    h.key(KeyCode::Char('f'));
    assert_eq!(h.app.filter, Filter::Fails);
    let shown: Vec<(&str, &str)> = h
        .app
        .visible
        .iter()
        .map(|&i| {
            (
                h.app.entries[i].candidate.as_str(),
                h.app.entries[i].station.as_str(),
            )
        })
        .collect();
    assert!(shown.contains(&("C002", "upper-limb")), "{shown:?}");
    assert!(shown.iter().all(|(c, _)| *c == "C002"), "{shown:?}");
    h.key(KeyCode::Char('F'));
    h.key(KeyCode::Char('F'));
    assert_eq!(h.app.filter, Filter::All);
    // Cycling all the way round comes back to all.
    for _ in 0..Filter::ALL.len() {
        h.key(KeyCode::Tab);
    }
    assert_eq!(h.app.filter, Filter::All);
    // The sample: every fail (C002's upper limb), every borderline (C002's
    // lower limb), and 25% of the other 3, rounded up.
    while h.app.filter != Filter::Sample {
        h.key(KeyCode::Char('f'));
    }
    assert_eq!(h.app.visible.len(), 3);
    for (c, st) in [("C002", "upper-limb"), ("C002", "lower-limb")] {
        assert!(
            h.app
                .visible
                .iter()
                .any(|&i| h.app.entries[i].candidate == c && h.app.entries[i].station == st),
            "{c} at {st} is in the sample"
        );
    }
}

#[test]
fn agree_is_saved_at_once_and_moves_nothing_else() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    let d = decisions(&h.journal());
    assert_eq!(
        d,
        vec![(
            "C001".into(),
            "physics".into(),
            Decision::Agree,
            None,
            String::new()
        )]
    );
    let notice = h.app.notice.clone().expect("notice");
    assert!(notice.text.contains("saved ✓") && !notice.error, "{notice:?}");
    // The undecided filter no longer shows it.
    h.app.filter = Filter::All;
    h.key(KeyCode::Char('f'));
    assert!(
        h.app
            .visible
            .iter()
            .all(|&i| !(h.app.entries[i].candidate == "C001" && h.app.entries[i].station == "physics"))
    );
}

#[test]
fn disagree_needs_a_rationale_and_esc_records_nothing() {
    let mut h = practical();
    h.select("C002", "upper-limb");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Sheet));
    h.key(KeyCode::Char('d'));
    let Screen::Disagree(form) = &h.app.screen else {
        panic!("the disagree form");
    };
    // The examiners failed it: the form proposes the other result.
    assert_eq!(form.proposed, Proposed::Pass);
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen, Screen::Disagree(_)),
        "refused without a rationale"
    );
    assert!(h.app.notice.as_ref().is_some_and(|n| n.error));
    h.typed("Video shows the probe handling was fine");
    // What was typed is not thrown away on one esc: the form says so, in
    // the form, and a second esc leaves without it.
    h.key(KeyCode::Esc);
    assert!(
        matches!(h.app.screen, Screen::Disagree(_)),
        "one esc keeps the rationale typed"
    );
    let shown = h.render(80, 24);
    assert!(
        shown.contains("│What you typed is not saved: enter records it; esc again leaves"),
        "said in the form:\n{shown}"
    );
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.screen, Screen::Sheet));
    assert!(decisions(&h.journal()).is_empty(), "esc records nothing");
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Nothing recorded"))
    );

    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Tab);
    h.typed("Images show every structure; the low marks do not match them.");
    // The examiners' own result proposed: enter says why it records
    // nothing, where the assessor is looking.
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Disagree(_)));
    let shown = h.render(80, 24);
    assert!(
        shown.contains("│FAIL is the examiners' own result: press tab to propose the other,"),
        "said in the form:\n{shown}"
    );
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Sheet));
    let d = decisions(&h.journal());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].2, Decision::Disagree);
    assert_eq!(d[0].3, Some(Proposed::Pass));
    assert!(d[0].4.starts_with("Images show"));
}

/// The list's pass column gives what a station judged by the share of
/// items met asks (`≥80%`), not an empty column.
#[test]
fn the_pass_column_says_what_a_competency_station_asks() {
    let h = practical();
    let screen = h.render(120, 40);
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("C002")).collect();
    assert!(!rows.is_empty(), "{screen}");
    assert!(rows.iter().all(|r| r.contains("≥80%")), "{screen}");
}

#[test]
fn refer_records_with_an_optional_note() {
    let mut h = practical();
    h.select("C002", "lower-limb");
    h.key(KeyCode::Char('r'));
    assert!(matches!(h.app.screen, Screen::Refer(_)));
    h.key(KeyCode::Enter);
    let d = decisions(&h.journal());
    assert_eq!(
        d,
        vec![(
            "C002".into(),
            "lower-limb".into(),
            Decision::Refer,
            None,
            String::new()
        )]
    );
    // Signing off says the referral waits for its third marker.
    let (_, open) = h.app.sign_off_summary();
    assert!(
        open.iter().any(|o| o.starts_with(
            "1 sheet referred to a third marker waits for the third marker's sheet: its result stays INCOMPLETE"
        )),
        "{open:?}"
    );
}

#[test]
fn a_later_decision_replaces_an_earlier_one_and_both_stay_on_disk() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    h.select("C001", "physics");
    h.key(KeyCode::Char('r'));
    h.typed("second thoughts");
    h.key(KeyCode::Enter);
    assert_eq!(decisions(&h.journal()).len(), 2);
    h.select("C001", "physics");
    let e = h.app.current().cloned().expect("entry");
    let (d, holds) = h.app.own_decision(&e).expect("decision");
    assert_eq!(d.decision, Decision::Refer);
    assert!(holds);
}

#[test]
fn an_agreed_mark_is_refused_where_there_is_nothing_to_agree() {
    let mut h = practical();
    h.key(KeyCode::Char('m'));
    assert!(matches!(h.app.screen, Screen::List));
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("No agreed mark is needed"))
    );
}

/// A rubric that moderates every sheet shows no sample percentage, seed
/// or "share of the rest": every sheet is the sample, and said so.
#[test]
fn a_rubric_moderating_every_sheet_says_so_not_a_sample_percentage() {
    let dir = Dir::new("mod-tui-every");
    let s = dir.sub("s");
    markers_apart(&s);
    let h = open(dir, FCA, "LEAD");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Every sheet is to be moderated (the rubric says so)")
            && screen.contains("the sample: every sheet (the rubric moderates all)"),
        "{screen}"
    );
    assert!(
        !screen.contains("Sample 10%") && !screen.contains("a share of the rest"),
        "{screen}"
    );
    // And the sign-off's list of what is open, likewise.
    let (_, open) = h.app.sign_off_summary();
    let said = open.join("\n");
    assert!(
        said.contains("The rubric asks for every sheet to be moderated.") && !said.contains("% of the rest"),
        "{said}"
    );
}

/// Signing off while the pass marks are still provisional (no
/// standard-setting record adopted): the sign-off says so, for results may
/// still change under the assessor's decisions; where the rubric's pass
/// marks are its own, nothing of the kind is said.
#[test]
fn the_sign_off_says_when_the_pass_marks_are_still_provisional() {
    let dir = Dir::new("mod-tui-provisional");
    let s = dir.sub("s");
    sheet(&s, OSCE, "knee", "C001", "E01@lap1", Marks::Top, true, 0);
    let mut h = open(dir, OSCE, "EA1");
    h.key(KeyCode::Char('S'));
    let screen = h.render(80, 24);
    assert!(
        screen.contains("The pass marks are still provisional") && screen.contains("Signing off locks"),
        "{screen}"
    );
    // Said, but not as something left open that keeps them from signing.
    assert!(
        screen.contains("Note: The pass marks are still provisional"),
        "{screen}"
    );
    let (_, open) = h.app.sign_off_summary();
    assert!(!open.iter().any(|l| l.contains("provisional")), "{open:?}");
    let h = practical();
    assert_eq!(h.app.sign_off_note(), None);
}

#[test]
fn an_agreed_mark_is_checked_and_recorded() {
    let dir = Dir::new("mod-tui-agreed");
    let s = dir.sub("s");
    markers_apart(&s);
    let mut h = open_all(dir, FCA, "LEAD");
    assert_eq!(h.app.entries.len(), 1);
    assert!(h.app.entries[0].needs_agreed_mark);
    h.key(KeyCode::Char('m'));
    assert!(matches!(h.app.screen, Screen::Agreed(_)));
    h.typed("12");
    h.key(KeyCode::Tab);
    h.typed("E01 and E02, by phone");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen, Screen::Agreed(_)),
        "12 is over the maximum of 9"
    );
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("from 0 to 9"))
    );
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.typed("7");
    h.key(KeyCode::Enter);
    // The station is passed by global rating: the score alone cannot decide it.
    assert!(
        matches!(h.app.screen, Screen::Agreed(_)),
        "the agreed result is needed"
    );
    h.typed("p");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Sheet), "{:?}", h.app.notice);
    let path = h.sessions().join("msk-us-fca/LEAD@ea-laptop/moderation.jsonl");
    let events: Vec<Event> = read_sheet(path)
        .expect("journal")
        .records
        .into_iter()
        .map(|r| r.event)
        .collect();
    assert!(
        events.iter().any(|e| matches!(e, Event::AgreedMark { score, note, .. } if *score == 7.0 && note == "E01 and E02, by phone")),
        "{events:?}"
    );
}

#[test]
fn the_report_is_saved_on_close_and_sign_off_needs_it_then_locks() {
    let mut h = practical();
    // At 80 columns too, the list's footer offers the report and sign-off.
    let footer = |h: &H, width| h.render(width, 24).lines().last().unwrap_or_default().to_string();
    for width in [80, 120] {
        let line = footer(&h, width);
        assert!(line.contains("R report") && line.contains("S sign off"), "{line}");
    }
    h.key(KeyCode::Char('S'));
    assert!(matches!(h.app.screen, Screen::SignOff));
    // Blocked: enter is not offered, only said why when pressed.
    let line = footer(&h, 120);
    assert!(
        !line.contains("sign off and lock") && line.contains("esc back"),
        "{line}"
    );
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::SignOff), "no report yet");
    assert!(h.app.notice.as_ref().is_some_and(|n| n.error));
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.screen, Screen::List));

    h.key(KeyCode::Char('R'));
    assert!(matches!(h.app.screen, Screen::Report(_)));
    h.typed("Sampled 25%. Marking consistent.");
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.screen, Screen::List));
    assert!(h.journal().iter().any(
        |e| matches!(e, Event::ModerationReport { text } if text == "Sampled 25%. Marking consistent.")
    ));

    decide_the_sample(&mut h);
    h.key(KeyCode::Char('S'));
    let line = footer(&h, 120);
    assert!(line.contains("enter sign off and lock"), "{line}");
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off());
    assert!(h.journal().iter().any(|e| matches!(e, Event::SignedOff { .. })));
    // Locked: the footer offers nothing that would record.
    let line = footer(&h, 120);
    for gone in ["a agree", "d disagree", "r refer", "R report", "S sign off"] {
        assert!(!line.contains(gone), "{gone}: {line}");
    }
    assert!(line.contains("q quit"), "{line}");
    let before = h.journal().len();
    for key in ['a', 'd', 'r', 'm', 'R', 'S'] {
        h.key(KeyCode::Char(key));
        assert!(matches!(h.app.screen, Screen::List), "{key} after sign-off");
        assert!(h.app.notice.as_ref().is_some_and(|n| n.text.contains("locked")));
    }
    assert_eq!(h.journal().len(), before, "nothing more recorded");
}

/// The report as it was being typed outlives a crash: drafts are written
/// at most once a second while the box is open, the box opens on the
/// draft after a restart and says it is not saved, and sign-off waits for
/// it to be saved.
#[test]
fn the_report_being_typed_survives_a_crash() {
    use std::time::Duration;
    let drafts = |h: &H| -> Vec<String> {
        h.journal()
            .into_iter()
            .filter_map(|e| match e {
                Event::ModerationReportDraft { text } => Some(text),
                _ => None,
            })
            .collect()
    };
    let mut h = practical();
    h.key(KeyCode::Char('R'));
    h.act(Action::Tick(Duration::from_millis(100)));
    assert!(drafts(&h).is_empty(), "nothing typed, nothing drafted");
    h.typed("Sampled 25%.");
    h.act(Action::Tick(Duration::from_millis(200)));
    assert_eq!(drafts(&h), ["Sampled 25%."]);
    h.typed(" Marking consistent");
    h.act(Action::Tick(Duration::from_millis(700)));
    assert_eq!(drafts(&h).len(), 1, "at most one draft a second");
    h.act(Action::Tick(Duration::from_millis(1300)));
    assert_eq!(drafts(&h), ["Sampled 25%.", "Sampled 25%. Marking consistent"]);
    assert!(
        !h.journal()
            .iter()
            .any(|e| matches!(e, Event::ModerationReport { .. })),
        "a draft is not the report"
    );

    // The window is killed; moderate is opened again.
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let mut h = open_all(dir, PRACTICAL, "EA1");
    // The exam lead is told too.
    let status = h.status();
    assert!(
        status.contains("EA1 on ea-laptop: ")
            && status.contains("not signed off; the report has changes typed but not saved"),
        "{status}"
    );
    decide_the_sample(&mut h);
    h.key(KeyCode::Char('S'));
    let (_, open_items) = h.app.sign_off_summary();
    assert!(
        open_items.iter().any(|o| o.contains("typed but not saved")),
        "{open_items:?}"
    );
    h.key(KeyCode::Enter);
    assert!(!h.app.signed_off(), "not signed off over an unsaved report");
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("not saved"))
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('R'));
    let Screen::Report(editor) = &h.app.screen else {
        panic!("the report box is open")
    };
    assert_eq!(editor.text.lines().join("\n"), "Sampled 25%. Marking consistent");
    let notice = h.app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.starts_with("Not saved yet"), "{notice}");
    h.typed(".");
    h.key(KeyCode::Esc);
    assert!(h.journal().iter().any(
        |e| matches!(e, Event::ModerationReport { text } if text == "Sampled 25%. Marking consistent.")
    ));
    assert_eq!(h.app.own().report_draft, None);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off());

    // Opened again after the sign-off: no draft is offered.
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let h = open(dir, PRACTICAL, "EA1");
    assert_eq!(h.app.own().report_draft, None);
}

/// A report draft left on one device, the assessor then signing off on
/// another: the first is locked, so status does not send them back to it.
#[test]
fn a_draft_left_on_a_device_signed_off_elsewhere_is_said_as_never_saved() {
    use std::time::Duration;
    let mut h = practical();
    h.key(KeyCode::Char('R'));
    h.typed("Begun on the office laptop");
    h.act(Action::Tick(Duration::from_secs(1)));
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let mut h = open_on(dir, PRACTICAL, "EA1", "home-laptop");
    while h.app.filter != Filter::All {
        h.key(KeyCode::Char('f'));
    }
    decide_the_sample(&mut h);
    h.key(KeyCode::Char('R'));
    h.typed("Sampled 25%. Marking consistent.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off(), "{:?}", h.app.notice);
    let status = h.status();
    let line = status
        .lines()
        .find(|l| l.contains("EA1 on ea-laptop: "))
        .unwrap_or_else(|| panic!("the office laptop's line in {status}"));
    assert!(
        line.contains(
            "not signed off here (signed off on another device); a report typed here was never saved"
        ) && !line.contains("osce moderate opens them"),
        "{line}"
    );
}

/// Changes typed and then taken out leave no draft behind: closing the box
/// withdraws the one written while they were there.
#[test]
fn a_draft_taken_back_out_is_withdrawn() {
    use std::time::Duration;
    let mut h = practical();
    h.key(KeyCode::Char('R'));
    h.typed("Fine.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('R'));
    h.typed("!!");
    h.act(Action::Tick(Duration::from_secs(5)));
    assert_eq!(h.app.own().report_draft.as_deref(), Some("Fine.!!"));
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Esc);
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text == "Report unchanged.")
    );
    assert_eq!(h.app.own().report_draft, None);
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let h = open(dir, PRACTICAL, "EA1");
    assert_eq!(h.app.own().report_draft, None);
    assert_eq!(h.app.own().report, "Fine.");
}

#[test]
fn reopening_picks_up_the_decisions_already_made() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let h = open(dir, PRACTICAL, "EA1");
    assert_eq!(h.app.own().decisions.len(), 1);
}

/// Home and End go to the first and the last sheet of the list (and
/// PgUp/PgDn a page, as b and space do): the assessor need not count
/// presses of ↑ to get back to the top.
#[test]
fn home_and_end_go_to_the_first_and_the_last_sheet() {
    let mut h = practical();
    assert!(h.app.visible.len() > 2, "{}", h.app.visible.len());
    h.key(KeyCode::End);
    assert_eq!(h.app.selected, h.app.visible.len() - 1);
    h.key(KeyCode::Home);
    assert_eq!(h.app.selected, 0);
    h.key(KeyCode::PageDown);
    let paged = h.app.selected;
    assert!(paged > 0, "{paged}");
    h.key(KeyCode::PageUp);
    assert_eq!(h.app.selected, 0);
}

/// Opened again, the screen starts on the first sheet still to decide,
/// not on the first row (decided already).
#[test]
fn reopening_starts_on_the_first_sheet_still_to_decide() {
    let mut h = practical();
    assert_eq!(h.app.selected, 0);
    h.key(KeyCode::Char('a'));
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let h = open(dir, PRACTICAL, "EA1");
    let current = h.app.current().expect("a sheet selected");
    assert!(h.app.own_decision(current).is_none(), "{current:?}");
    assert_eq!(h.app.selected, 1);
}

#[test]
fn a_second_window_for_the_same_assessor_is_refused() {
    let h = practical();
    let r = rubric(PRACTICAL);
    let second = Store::new(h.sessions()).open_moderation(&r.id, "EA1", "ea-laptop", &hash(PRACTICAL));
    assert!(matches!(second, Err(osce::store::StoreError::Locked { .. })));
}

#[test]
fn no_key_acts_while_the_terminal_is_too_small() {
    let mut h = practical();
    h.act(Action::Resize { width: 10, height: 3 });
    h.key(KeyCode::Char('a'));
    assert!(decisions(&h.journal()).is_empty());
    assert!(h.render(10, 3).contains("The"));
}

#[test]
fn the_assessor_is_told_at_once_when_decisions_cannot_be_saved() {
    let mut h = practical();
    // The runner's first check writes a test file where the journal is.
    if let Some(reply) = h.exec.watch(&h.app, std::time::Instant::now()) {
        h.reply(reply);
    }
    assert!(
        matches!(h.app.disk, Health::Fine | Health::Low { .. }),
        "{:?}",
        h.app.disk
    );
    let folder = h
        .sessions()
        .join(format!("{}/EA1@ea-laptop", rubric(h.rubric).id));
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["moderation.jsonl"], "the test file is gone");
    assert!(!h.render(120, 40).contains("NOT BEING SAVED"));

    let full = SaveProblem::of(&StoreError::Io {
        path: folder.join("moderation.jsonl"),
        source: std::io::Error::from(std::io::ErrorKind::StorageFull),
    });
    h.reply(Reply::Disk(Health::Unwritable(full)));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("DECISIONS ARE NOT BEING SAVED: the disk is full."),
        "{screen}"
    );
    h.reply(Reply::Disk(Health::Low { free: 5_000_000 }));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("The disk is nearly full: 5.0 MB free. Decisions are still being saved"),
        "{screen}"
    );
}

#[test]
fn paste_goes_into_the_rationale_as_text() {
    let mut h = practical();
    h.key(KeyCode::Char('d'));
    h.act(Action::Paste("a\nrationale".into()));
    h.key(KeyCode::Enter);
    let d = decisions(&h.journal());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].4, "a\nrationale");
}

#[test]
fn snapshot_list() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    insta::assert_snapshot!(h.render(120, 30));
}

#[test]
fn snapshot_sheet() {
    let mut h = practical();
    h.select("C002", "lower-limb");
    h.key(KeyCode::Enter);
    insta::assert_snapshot!(h.render(120, 40));
}

#[test]
fn snapshot_disagree() {
    let mut h = practical();
    h.select("C002", "upper-limb");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('d'));
    h.typed("The saved images show the structures.");
    insta::assert_snapshot!(h.render(120, 40));
}

#[test]
fn snapshot_refer() {
    let mut h = practical();
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('r'));
    insta::assert_snapshot!(h.render(100, 30));
}

#[test]
fn snapshot_report_and_sign_off() {
    let mut h = practical();
    h.key(KeyCode::Char('R'));
    h.typed("Sampled a quarter of the sheets.");
    insta::assert_snapshot!("report", h.render(100, 30));
    h.key_mod(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.key(KeyCode::Char('S'));
    insta::assert_snapshot!("sign_off", h.render(100, 30));
}

#[test]
fn snapshot_help_and_too_small() {
    let mut h = practical();
    h.key(KeyCode::Char('?'));
    insta::assert_snapshot!("help", h.render(100, 32));
    h.key(KeyCode::Esc);
    assert!(!h.app.help);
    h.act(Action::Resize {
        width: 40,
        height: 10,
    });
    insta::assert_snapshot!("too_small", h.render(40, 10));
}

#[test]
fn opening_a_sheet_to_look_at_it_does_not_undo_a_decision() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    // The examiner opens the submitted sheet again (as `osce score` does):
    // `opened` and `confirmed` records, no change to the marks.
    append(
        &h.sessions(),
        PRACTICAL,
        "physics",
        "C001",
        "E01@lap1",
        vec![
            Event::Opened {
                app_version: "test".into(),
            },
            Event::Confirmed {
                candidate_name: "Name of C001".into(),
            },
        ],
    );
    h.key_mod(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.select("C001", "physics");
    let e = h.app.current().cloned().expect("entry");
    assert!(h.app.own_decision(&e).expect("decision").1, "still holds");
}

#[test]
fn a_sheet_amended_while_the_screen_is_open_is_read_again_before_deciding() {
    let mut h = practical();
    h.select("C002", "lower-limb");
    append(
        &h.sessions(),
        PRACTICAL,
        "lower-limb",
        "C002",
        "E02@lap2",
        vec![
            Event::AmendStarted {
                reason: "wrong item".into(),
            },
            Event::Submitted {
                score: 0.0,
                max: 0.0,
                outcome: osce::scoring::StationOutcome::Pass,
            },
        ],
    );
    h.key(KeyCode::Char('a'));
    assert!(
        decisions(&h.journal()).is_empty(),
        "nothing recorded on the old sheet"
    );
    let notice = h.app.notice.clone().expect("notice");
    assert!(
        notice.error && notice.text.contains("changed since this screen read it"),
        "{notice:?}"
    );
    // Now it shows the sheet as it is, and a decision is recorded on it.
    h.key(KeyCode::Char('a'));
    assert_eq!(decisions(&h.journal()).len(), 1);
    let e = h.app.current().cloned().expect("entry");
    assert!(h.app.own_decision(&e).expect("decision").1);
}

#[test]
fn a_disagreement_must_propose_another_result() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Tab); // back to PASS, the examiners' result
    h.typed("looks right");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Disagree(_)));
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("the examiners' own result"))
    );
    assert!(decisions(&h.journal()).is_empty());
}

#[test]
fn signing_off_locks_the_assessor_on_every_device() {
    let mut h = practical();
    decide_the_sample(&mut h);
    h.key(KeyCode::Char('R'));
    h.typed("Report.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off());
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare2"));
    drop(h);
    let mut other = open_on(dir, PRACTICAL, "EA1", "second-laptop");
    assert!(other.app.signed_off());
    other.key(KeyCode::Char('a'));
    assert!(
        other
            .app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("locked")),
        "{:?}",
        other.app.notice
    );
    let path = other
        .sessions()
        .join("msk-us-practical/EA1@second-laptop/moderation.jsonl");
    let records = read_sheet(path).expect("journal").records;
    assert!(records.is_empty(), "nothing recorded on the second device");
}

#[test]
fn snapshot_agreed_mark() {
    let dir = Dir::new("mod-tui-agreed-snap");
    let s = dir.sub("s");
    markers_apart(&s);
    let mut h = open_all(dir, FCA, "LEAD");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('m'));
    h.typed("7");
    h.key(KeyCode::Tab);
    h.typed("E01 and E02, by phone");
    insta::assert_snapshot!(h.render(120, 40));
}

/// `update` only asks: the decision is an effect, and nothing is on disk
/// (and nothing is said to be saved) until the runner performs it and
/// reports back.
#[test]
fn update_asks_and_the_runner_saves() {
    let mut h = practical();
    h.select("C001", "physics");
    let effects = h.app.update(Action::Agree);
    assert!(
        matches!(
            effects.as_slice(),
            [osce::tui::moderate::Effect::Record {
                event: Event::Moderated { .. },
                check: Some(_)
            }]
        ),
        "{effects:?}"
    );
    assert!(decisions(&h.journal()).is_empty(), "nothing written by update");
    assert!(!h.app.notice.as_ref().is_some_and(|n| n.text.contains("saved ✓")));
    drive(&mut h.app, &mut h.exec, effects);
    assert_eq!(decisions(&h.journal()).len(), 1);
    assert!(h.app.notice.as_ref().is_some_and(|n| n.text.contains("saved ✓")));
}

/// The same agreement pressed again on the same sheets records nothing
/// new: the journal and moderation.csv get no repeated rows.
#[test]
fn agreeing_again_records_nothing_new() {
    let mut h = practical();
    h.select("C001", "physics");
    h.act(Action::Agree);
    assert_eq!(decisions(&h.journal()).len(), 1);
    h.select("C001", "physics");
    h.act(Action::Agree);
    h.select("C001", "physics");
    h.act(Action::Agree);
    assert_eq!(decisions(&h.journal()).len(), 1, "nothing new recorded");
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("already recorded")),
        "{:?}",
        h.app.notice
    );
}

/// A decision that cannot be saved says so and keeps the form, with what
/// was typed, open.
#[test]
fn a_failed_save_keeps_the_form_and_says_not_saved() {
    let mut h = practical();
    h.select("C002", "upper-limb");
    h.key(KeyCode::Char('d'));
    h.typed("Images show every structure.");
    // Something outside osce changes the journal: the store refuses to
    // append to it.
    let path = h.exec.journal().path().to_path_buf();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"x"))
        .expect("tamper");
    h.key(KeyCode::Enter);
    let Screen::Disagree(form) = &h.app.screen else {
        panic!("the form stays open: {:?}", h.app.screen);
    };
    assert_eq!(form.rationale.lines().join("\n"), "Images show every structure.");
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.starts_with("NOT SAVED"))
    );
}

/// Agrees with every sheet of the sample, as an assessor does before
/// signing off.
fn decide_the_sample(h: &mut H) {
    let sample: Vec<(String, String)> = h
        .app
        .entries
        .iter()
        .filter(|e| e.in_sample)
        .map(|e| (e.candidate.clone(), e.station.clone()))
        .collect();
    for (c, st) in sample {
        h.select(&c, &st);
        h.key(KeyCode::Char('a'));
    }
}

#[test]
fn the_screen_opens_on_the_sample_and_sign_off_waits_for_it() {
    let dir = Dir::new("mod-tui-sample");
    let s = dir.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C002",
        "E02@lap2",
        Marks::Bottom,
        true,
        5,
    );
    let mut h = open(dir, PRACTICAL, "EA1");
    assert_eq!(h.app.filter, Filter::Sample, "the rubric asks for a sample");
    assert!(
        h.app
            .visible
            .iter()
            .any(|&i| h.app.entries[i].candidate == "C002"),
        "every fail is in the sample"
    );
    h.key(KeyCode::Char('R'));
    h.typed("Report.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(!h.app.signed_off(), "not with the sample undecided");
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("of the sample (")),
        "{:?}",
        h.app.notice
    );
    h.key(KeyCode::Esc);
    decide_the_sample(&mut h);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off());
    // A failing sheet arriving after sign-off (or pass marks adopted
    // since) puts a sheet the assessor never saw in the sample drawn now:
    // the header says so, not that the sample is still being worked on.
    sheet(
        &h.dir.0.join("s"),
        PRACTICAL,
        "upper-limb",
        "C003",
        "E02@lap2",
        Marks::Bottom,
        true,
        9,
    );
    h.key_mod(KeyCode::Char('r'), KeyModifiers::CONTROL);
    let screen = h.render(120, 40);
    let bare: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        bare.contains("Signed off having decided 2 sheets · 1 in the sample drawn now not decided")
            && !bare.contains("You have decided"),
        "{screen}"
    );
}

#[test]
fn the_cursor_moves_on_after_a_decision_and_agree_may_carry_a_comment() {
    let mut h = practical();
    h.select("C001", "physics");
    let first = h.app.selected;
    h.key(KeyCode::Char('a'));
    assert_eq!(h.app.selected, first + 1, "on to the next sheet");
    let next = h.app.current().cloned().expect("entry");
    h.key(KeyCode::Char('A'));
    assert!(matches!(h.app.screen, Screen::AgreeNote(_)));
    h.typed("Images clear; well documented");
    h.key(KeyCode::Enter);
    let d = decisions(&h.journal());
    assert_eq!(
        d.last().cloned(),
        Some((
            next.candidate.clone(),
            next.station.clone(),
            Decision::Agree,
            None,
            "Images clear; well documented".to_string()
        ))
    );
}

#[test]
fn go_to_a_candidate_by_id() {
    let mut h = practical();
    h.key(KeyCode::Char('g'));
    h.typed("c002");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.current().expect("entry").candidate, "C002");
    h.key(KeyCode::Char('g'));
    h.typed("C999");
    h.key(KeyCode::Enter);
    assert!(
        h.app
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("No submitted sheet"))
    );
}

/// A conflict the exam lead settled (one examiner's sheet on two laptops,
/// one of them chosen) is moderated like any other sheet: the sheet set
/// aside is still on disk, and is not "a change since the screen read it".
#[test]
fn a_sheet_whose_conflict_was_settled_can_be_moderated() {
    let dir = Dir::new("mod-tui-conflict");
    let s = dir.sub("s");
    sheet(&s, PRACTICAL, "physics", "C001", "E01@lap1", Marks::Top, true, 1);
    sheet(
        &s,
        PRACTICAL,
        "physics",
        "C001",
        "E01@lap2",
        Marks::Bottom,
        true,
        2,
    );
    let sessions = s.display().to_string();
    let (code, out) = run_osce(&[
        "decide",
        "conflict",
        PRACTICAL,
        "--sessions",
        &sessions,
        "--candidate",
        "C001",
        "--station",
        "physics",
        "--use",
        "E01@lap1",
        "--by",
        "Lead",
        "--reason",
        "the laptop was swapped after the first sheet was submitted",
    ]);
    assert_eq!(code, 0, "{out}");
    let mut h = open_all(dir, PRACTICAL, "EA1");
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    let notice = h.app.notice.clone().expect("notice");
    assert!(notice.text.contains("saved ✓") && !notice.error, "{notice:?}");
    assert_eq!(decisions(&h.journal()).len(), 1);
    // A sheet that does arrive afterwards is still noticed.
    sheet(&s, PRACTICAL, "physics", "C001", "E02@lap3", Marks::Top, true, 3);
    h.select("C001", "physics");
    h.key(KeyCode::Char('d'));
    h.typed("not the same as the examiners");
    h.key(KeyCode::Enter);
    let notice = h.app.notice.clone().expect("notice");
    assert!(notice.text.contains("NOT RECORDED"), "{notice:?}");
    assert_eq!(decisions(&h.journal()).len(), 1);
}

/// At 80 columns the decision column is whole: the name and examiner
/// give way (both are on the sheet itself).
#[test]
fn the_decision_is_readable_at_80_columns() {
    let mut h = practical();
    h.select("C002", "upper-limb");
    h.key(KeyCode::Char('d'));
    h.typed("the marks are harsh for what the sheet shows");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Esc);
    let screen = h.render(80, 24);
    assert!(screen.contains("you: disagree → PASS"), "{screen}");
}

/// No key of the moderation screen is bound twice in one context: the
/// second binding would never be reached while the footer and help listed it.
#[test]
fn no_moderation_key_is_bound_twice_in_one_context() {
    use osce::tui::moderate::keys::{Ctx, bindings};
    let all = [
        Ctx::List,
        Ctx::Sheet,
        Ctx::Disagree,
        Ctx::Refer,
        Ctx::Agreed,
        Ctx::Jump,
        Ctx::Report,
        Ctx::SignOff,
        Ctx::Help,
    ];
    assert_eq!(osce::tui::keys::clashes(bindings(), &all), Vec::<String>::new());
}

/// The overall report is a paragraph or more: a long line wraps in the box
/// at 80×24, so its end is on screen as it is typed.
#[test]
fn the_report_box_wraps_long_lines() {
    let mut h = practical();
    h.key(KeyCode::Char('R'));
    let said = "Sampled a quarter of the sheets; marking was consistent across examiners, and the two fails are well founded on the images saved";
    h.typed(said);
    let screen = h.render(80, 24);
    assert!(screen.contains("Sampled a quarter"), "{screen}");
    assert!(
        screen.contains("images saved"),
        "the end of the line is shown:\n{screen}"
    );
}

/// `q` quits from a sheet opened from the list as from the list (every
/// decision is saved as it is made), as the help says; in a form it does
/// not.
#[test]
fn q_quits_from_an_open_sheet() {
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Sheet), "a sheet is open");
    h.key(KeyCode::Char('q'));
    assert!(h.app.quit, "q on an open sheet quits");
    let mut h = practical();
    h.select("C001", "physics");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('d'));
    assert!(matches!(h.app.screen, Screen::Disagree(_)), "the disagree form");
    h.key(KeyCode::Char('q'));
    assert!(!h.app.quit, "q in a form is typed, not a quit");
}

/// At 80 × 24 the footer of a sheet and of the list keeps the decisions
/// themselves (agree, disagree, refer) beside sign-off, the report, help
/// and quit: the keys an assessor is there to press.
#[test]
fn the_decisions_stay_in_the_footer_at_80_columns() {
    let mut h = practical();
    h.select("C001", "physics");
    for open in [false, true] {
        if open {
            h.key(KeyCode::Enter);
            assert!(matches!(h.app.screen, Screen::Sheet), "a sheet is open");
        }
        let screen = h.render(80, 24);
        let footer = screen.lines().last().unwrap_or_default().to_string();
        for key in [
            "a agree",
            "d disagree",
            "r refer",
            "R report",
            "S sign off",
            "q quit",
            "? help",
        ] {
            assert!(footer.contains(key), "{key} (sheet open: {open}): {footer}");
        }
    }
}

/// An examiner who also moderates cannot moderate a sheet they marked:
/// nothing is recorded, the screen says why, the row says it is theirs,
/// and sign-off does not wait for it; another examiner's sheet is theirs to
/// moderate.
#[test]
fn an_examiner_cannot_moderate_their_own_sheet() {
    let dir = Dir::new("mod-own-sheet");
    let s = dir.sub("s");
    candidate(&s, PRACTICAL, "C001", "E01@lap1", Marks::Top);
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C002",
        "E02@lap2",
        Marks::Bottom,
        true,
        5,
    );
    let mut h = open_all(dir, PRACTICAL, "e02");
    let journal = |h: &H| {
        let path = h
            .sessions()
            .join(format!("{}/e02@ea-laptop/moderation.jsonl", rubric(PRACTICAL).id));
        read_sheet(path)
            .map(|j| j.records.into_iter().map(|r| r.event).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    h.select("C002", "upper-limb");
    h.key(KeyCode::Char('a'));
    let notice = h.app.notice.clone().expect("notice");
    assert!(
        notice.error && notice.text.contains("you marked this sheet as examiner e02"),
        "{notice:?}"
    );
    assert!(decisions(&journal(&h)).is_empty(), "{:?}", journal(&h));
    assert!(
        h.render(120, 30).contains("your own sheet"),
        "{}",
        h.render(120, 30)
    );
    let (_, open) = h.app.sign_off_summary();
    assert!(
        open.iter()
            .any(|l| l.contains("1 sheet of the sample you marked yourself")),
        "{open:?}"
    );
    // Not a sheet for them to decide, and sign-off waits until another
    // assessor has moderated it: no sheet of the sample goes unmoderated.
    let own = h
        .app
        .entries
        .iter()
        .find(|e| e.candidate == "C002")
        .expect("C002")
        .clone();
    assert!(!h.app.to_decide(&own));
    assert!(
        h.app
            .sign_off_blocked()
            .is_some_and(|b| b.contains("no decision from another assessor yet")),
        "{:?}",
        h.app.sign_off_blocked()
    );
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    assert_eq!(decisions(&journal(&h)).len(), 1, "{:?}", journal(&h));
}

/// Where every sheet is to be moderated and two assessors differ on one,
/// the sign-off says they differ, not that a sheet is not moderated.
#[test]
fn assessors_who_differ_are_said_as_such_at_the_sign_off() {
    let dir = Dir::new("mod-tui-differ");
    let s = dir.sub("s");
    markers_apart(&s);
    // The markers' agreed mark first: until it is in, there is no result to
    // agree or disagree with.
    let mut lead = open_all(dir, FCA, "LEAD");
    lead.key(KeyCode::Char('m'));
    lead.typed("7");
    lead.key(KeyCode::Tab);
    lead.typed("E01 and E02, by phone");
    lead.key(KeyCode::Enter);
    lead.typed("p");
    lead.key(KeyCode::Enter);
    assert!(matches!(lead.app.screen, Screen::Sheet), "{:?}", lead.app.notice);
    let dir = lead.dir;
    let mut first = open_all(dir, FCA, "EA1");
    let entries: Vec<(String, String)> = first
        .app
        .entries
        .iter()
        .map(|e| (e.candidate.clone(), e.station.clone()))
        .collect();
    for (c, st) in &entries {
        first.select(c, st);
        first.key(KeyCode::Char('a'));
    }
    let dir = first.dir;
    let mut h = open_all(dir, FCA, "EA2");
    for (c, st) in &entries[1..] {
        h.select(c, st);
        h.key(KeyCode::Char('a'));
    }
    let (c, st) = &entries[0];
    h.select(c, st);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.typed("The marks do not match the video.");
    h.key(KeyCode::Enter);
    let (_, open) = h.app.sign_off_summary();
    let said = open.join("\n");
    assert!(
        said.contains("The assessors' decisions differ on 1 sheet: agree one between you, or the exam lead decides its result"),
        "{said}"
    );
    assert!(!said.contains("are not."), "{said}");

    // The exam lead decides its result (through the binary): the sign-off
    // no longer asks for it.
    let folder = h.sessions();
    let (code, out) = run_osce(&[
        "decide",
        "result",
        FCA,
        "--sessions",
        folder.to_str().expect("utf-8"),
        "--candidate",
        c,
        "--station",
        st,
        "--pass",
        "--by",
        "Exam lead",
        "--reason",
        "The board sided with EA1",
    ]);
    assert_eq!(code, 0, "{out}");
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);
    let h = open_all(dir, FCA, "EA2");
    let (_, open) = h.app.sign_off_summary();
    assert!(!open.join("\n").contains("differ"), "{open:?}");
}

/// An expected sheet not in yet (C002's physics is being marked) is said
/// at the sign-off: one that comes in after it is left to the exam lead,
/// so "Nothing is left open" would mislead.
#[test]
fn the_sign_off_says_a_sheet_is_not_in_yet() {
    let mut h = practical();
    let (_, open) = h.app.sign_off_summary();
    let said = open.join("\n");
    assert!(
        said.contains(
            "1 expected sheet is not in yet: one that comes in after you sign off is not yours to moderate"
        ),
        "{said}"
    );
    h.key(KeyCode::Char('S'));
    let screen = h.render(120, 40);
    assert!(!screen.contains("Nothing is left open"), "{screen}");
    assert!(screen.contains("not in yet"), "{screen}");
}

/// A double-marked station waiting for the markers' agreed mark is in the
/// moderation sample (the assessor can record it, or sees it is awaited),
/// and signing off says it is still open.
#[test]
fn a_station_waiting_for_an_agreed_mark_is_in_the_sample_and_open_at_sign_off() {
    let dir = Dir::new("mod-tui-agreed-sample");
    let s = dir.sub("s");
    let rubric_path = practical_double_marked(&dir.0);
    for c in ["C001", "C002", "C003", "C004", "C005", "C006", "C007", "C008"] {
        candidate(&s, rubric_path, c, "E01@lap1", Marks::Top);
    }
    sheet(
        &s,
        rubric_path,
        "physics",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(3),
        true,
        5,
    );
    let h = open_on(dir, rubric_path, "EA1", "ea-laptop");
    let e = h
        .app
        .entries
        .iter()
        .find(|e| e.candidate == "C001" && e.station == "physics")
        .expect("C001 at physics");
    assert!(
        e.needs_agreed_mark && e.in_sample,
        "{:?}",
        (e.needs_agreed_mark, e.in_sample)
    );
    let (_, open) = h.app.sign_off_summary();
    assert!(open.iter().any(|l| l.contains("agreed mark")), "{open:?}");
}

/// A double-marked station whose markers differ by more than the
/// threshold has no result until the third marker's sheet is in: an
/// assessor's "agree" there agreed with nothing, and once the third sheet
/// came the decision read as made on a sheet changed since, blocking the
/// result for the exam lead. Agree and disagree are refused until the
/// result is in, saying what it waits for; a referral is not.
#[test]
fn a_station_with_no_result_yet_cannot_be_agreed_with() {
    let dir = Dir::new("mod-tui-no-result");
    let s = dir.sub("s");
    shoulder_markers_apart(&s);
    let mut h = open_all(dir, OSCE, "EA1");
    h.select("C001", "shoulder");
    let e = h.app.current().expect("C001 at shoulder").clone();
    assert_eq!(
        e.internal.outcome,
        osce::scoring::StationOutcome::Incomplete,
        "{e:?}"
    );
    for key in ['a', 'd', 'A'] {
        h.key(KeyCode::Char(key));
        assert!(matches!(h.app.screen, Screen::List), "{key}: no form opens");
        let notice = h.app.notice.clone().expect("said why");
        assert!(
            notice.error
                && notice
                    .text
                    .contains("C001 at shoulder has no result yet to agree or disagree with")
                && notice.text.contains("third marker's sheet"),
            "{key}: {notice:?}"
        );
    }
    assert!(decisions(&h.journal()).is_empty(), "nothing recorded");
    // Said whole at 80 columns, on the rows it needs.
    let screen = h.render(80, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        screen.contains("C001 at shoulder has no result yet") && screen.contains("if none is arranged)."),
        "{screen}"
    );
    h.key(KeyCode::Char('S'));
    let (_, open_items) = h.app.sign_off_summary();
    assert!(
        open_items
            .iter()
            .any(|o| o.contains("1 sheet of them has no result yet")),
        "{open_items:?}"
    );
    h.key(KeyCode::Esc);
    // A referral is still the assessor's to make.
    h.key(KeyCode::Char('r'));
    assert!(matches!(h.app.screen, Screen::Refer(_)));
    h.key(KeyCode::Esc);

    // The third marker's sheet comes in: the station has its result, and
    // the assessor's agreement with it holds.
    sheet(
        &h.sessions(),
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        Marks::Top,
        true,
        9,
    );
    h.act(Action::Reload);
    h.select("C001", "shoulder");
    h.key(KeyCode::Char('a'));
    assert_eq!(decisions(&h.journal()).len(), 1, "{:?}", h.app.notice);
    let status = h.status();
    assert!(
        status.contains("C001       ✓ 3× M ") && !status.contains("changed after"),
        "{status}"
    );
}

/// A long sheet (three markers' sheets, lines that wrap at 80 columns) is
/// read to its end at 80 × 24: scrolling counted lines, not the rows they
/// wrap to, and stopped short of the third sheet and the moderation. Down
/// stops at the end, so that up moves at once.
#[test]
fn a_long_sheet_scrolls_to_its_end_at_80_columns() {
    let dir = Dir::new("mod-tui-long-sheet");
    let s = dir.sub("s");
    shoulder_markers_apart(&s);
    sheet(
        &s,
        OSCE,
        "shoulder",
        "C001",
        "E03@lap3",
        Marks::LoseFirst(1),
        true,
        9,
    );
    let mut h = open_all(dir, OSCE, "EA1");
    h.select("C001", "shoulder");
    h.key(KeyCode::Char('a'));
    h.select("C001", "shoulder");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Sheet));
    let tall = h.render(80, 400);
    let last = tall
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.contains("esc list"))
        .expect("a last line")
        .to_string();
    assert!(tall.contains("Moderation"), "{tall}");
    let mut screen = h.render(80, 24);
    for _ in 0..200 {
        h.key(KeyCode::Down);
        screen = h.render(80, 24);
    }
    assert!(screen.contains(&last), "{last:?} not reached:\n{screen}");
    let at_end = h.app.scroll;
    h.key(KeyCode::Up);
    assert_eq!(h.app.scroll, at_end - 1, "up moves at once");
    // Wider, the sheet takes fewer rows: up moves from its end there.
    h.key(KeyCode::Down);
    h.render(200, 24);
    let limit = h.app.scroll_limit.get();
    assert!(limit < at_end, "{limit} {at_end}");
    h.key(KeyCode::Up);
    assert_eq!(h.app.scroll, limit - 1, "up moves at once after a resize");
}

/// At 80 × 24 the sign-off's warning that it locks the moderation is
/// whole, however much is still open; what is open scrolls.
#[test]
fn the_sign_off_says_it_locks_at_80_by_24() {
    let dir = Dir::new("mod-tui-sign-off-80");
    let s = dir.sub("s");
    shoulder_markers_apart(&s);
    sheet(&s, OSCE, "knee", "C001", "E02@lap2", Marks::LoseFirst(6), true, 7);
    sheet(&s, OSCE, "knee", "C002", "EA1@lap2", Marks::LoseFirst(6), true, 8);
    let mut h = open_all(dir, OSCE, "EA1");
    h.key(KeyCode::Char('S'));
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Signing off locks this moderation: no decision, agreed mark or report")
            && screen.contains("change can be added after it."),
        "{screen}"
    );
    let footer = screen.lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("↑↓ scroll"), "{footer}");
    let (_, open_items) = h.app.sign_off_summary();
    assert!(open_items.len() >= 3, "{open_items:?}");
    let last_words = "the exam lead's once you have signed off).";
    let mut seen = screen.replace('\n', " ").contains(last_words);
    for _ in 0..30 {
        h.key(KeyCode::Down);
        let screen = h.render(80, 24);
        seen |= screen
            .replace('│', "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(last_words);
        assert!(screen.contains("change can be added after it."), "{screen}");
    }
    assert!(seen, "the last item open is reached: {}", h.render(80, 24));
}

/// A second assessor brought in on one sheet (or assessors sharing the
/// sample) could not sign off without deciding every sheet of the sample
/// themselves, although the first had decided them all: their decision
/// then kept every result from being final ("assessor EA2 has not signed
/// the moderation off"), with no way out. Sign-off waits until every
/// sheet of the sample has a decision from some assessor.
#[test]
fn a_second_assessor_signs_off_once_every_sheet_of_the_sample_has_a_decision() {
    let mut h = practical();
    decide_the_sample(&mut h);
    h.key(KeyCode::Char('R'));
    h.typed("Sampled 25%. Marking consistent.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('S'));
    h.key(KeyCode::Enter);
    assert!(h.app.signed_off());
    let dir = std::mem::replace(&mut h.dir, Dir::new("mod-tui-spare"));
    drop(h);

    let mut second = open_all(dir, PRACTICAL, "EA2");
    second.select("C002", "upper-limb");
    second.key(KeyCode::Char('a'));
    second.key(KeyCode::Char('R'));
    second.typed("Asked for a second opinion on C002's upper limb: I agree with the fail.");
    second.key(KeyCode::Esc);
    assert_eq!(second.app.sign_off_blocked(), None);
    let (_, open) = second.app.sign_off_summary();
    assert!(!open.iter().any(|l| l.contains("no decision from")), "{open:?}");
    second.key(KeyCode::Char('S'));
    second.key(KeyCode::Enter);
    assert!(second.app.signed_off());

    // Through the binary: neither assessor keeps the results from being
    // final (C002's physics, still being marked, does).
    let folder = second.sessions();
    let (_, out) = run_osce(&["status", PRACTICAL, "--sessions", folder.to_str().expect("utf-8")]);
    assert!(!out.contains("has not signed the moderation off"), "{out}");
    assert!(out.contains("Not final yet"), "{out}");
}

/// A single `a` on a sheet the assessor has decided otherwise does not
/// replace that decision unasked: holding `a` down through the sample
/// replaced a disagreement (and the PASS it proposed) with an agreement,
/// saying only "agree — saved". It says what would be replaced; a second
/// `a` replaces it, any other key keeps it. An agreement with a comment
/// for the board is not replaced by a bare one unasked either.
#[test]
fn agree_asks_before_it_replaces_another_decision() {
    let mut h = practical();
    h.select("C002", "upper-limb");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('d'));
    h.typed("Video shows the probe handling was fine");
    h.key(KeyCode::Enter);
    assert_eq!(decisions(&h.journal()).len(), 1);

    h.select("C002", "upper-limb");
    h.key(KeyCode::Char('a'));
    assert_eq!(
        decisions(&h.journal()).len(),
        1,
        "one a replaces nothing: {:?}",
        decisions(&h.journal())
    );
    let said = h.app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        said.contains("you disagreed, proposing PASS ('Video shows the probe handling was fine')")
            && said.contains("To replace it with agree, press a again; any other key keeps it."),
        "{said}"
    );
    // Another key between keeps the disagreement: the next a asks again.
    h.key(KeyCode::Down);
    h.key(KeyCode::Char('a'));
    assert_eq!(decisions(&h.journal()).len(), 1, "asked again");
    h.key(KeyCode::Char('a'));
    let d = decisions(&h.journal());
    assert_eq!(d.len(), 2, "the second a in a row replaces it");
    assert_eq!(d[1].2, Decision::Agree);
    let said = h.app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(said.contains("agree — saved ✓"), "{said}");

    // An agreement with a comment for the exam board.
    h.select("C001", "physics");
    h.key(KeyCode::Char('A'));
    h.typed("Clear images of every structure");
    h.key(KeyCode::Enter);
    let n = decisions(&h.journal()).len();
    h.select("C001", "physics");
    h.key(KeyCode::Char('a'));
    assert_eq!(
        decisions(&h.journal()).len(),
        n,
        "the comment is not dropped unasked"
    );
    let said = h.app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        said.contains("you agreed, with the comment 'Clear images of every structure'"),
        "{said}"
    );
}

/// A sheet confirmed under another name than the candidate's (a name left
/// in the field from the candidate before) says so on the sheet view: the
/// assessor, sent the archive without the roster, saw the list's name on
/// every sheet, the one confirmed under another name too.
#[test]
fn a_sheet_confirmed_under_another_name_says_so() {
    let dir = Dir::new("mod-tui-name");
    let s = dir.sub("s");
    sheet(
        &s,
        PRACTICAL,
        "upper-limb",
        "C001",
        "E01@lap1",
        Marks::Top,
        true,
        5,
    );
    let r = rubric(PRACTICAL);
    let key = sheet_key(PRACTICAL, "lower-limb", "C001", "E02@lap2");
    let (mut j, _) = Store::new(&s).open_sheet(&key, &hash(PRACTICAL)).expect("open");
    j.append(
        Event::Confirmed {
            candidate_name: "Aisha Rahman".into(),
        },
        t0(),
    )
    .expect("append");
    let station = r.station("lower-limb").expect("station");
    for item in &station.items {
        let top = r.scale(item.scale).levels.len() - 1;
        j.append(
            Event::Mark {
                item: item.id.clone(),
                level: Some(top),
                label: String::new(),
                late: false,
            },
            t0(),
        )
        .expect("append");
    }
    if let Some(g) = &station.global_rating {
        let top = r.scale(g.scale).levels.len() - 1;
        j.append(
            Event::GlobalRating {
                level: top,
                label: String::new(),
                late: false,
            },
            t0(),
        )
        .expect("append");
    }
    j.append(submitted(&j, PRACTICAL), t0()).expect("append");
    drop(j);
    let mut h = open_all(dir, PRACTICAL, "EA1");
    let mut said = Vec::new();
    for st in ["upper-limb", "lower-limb"] {
        h.select("C001", st);
        let e = h.app.current().cloned().expect("entry");
        let lines: Vec<String> = view::sheet_lines(&h.app, &e, &Theme::new(false))
            .iter()
            .map(|l| l.to_string())
            .collect();
        said.push((e.name.clone(), lines.join("\n")));
    }
    let warned: Vec<&(String, String)> = said
        .iter()
        .filter(|(_, text)| text.contains("Confirmed on this sheet as "))
        .collect();
    assert_eq!(warned.len(), 1, "{said:#?}");
    let (name, text) = warned[0];
    let other = if name == "Aisha Rahman" {
        "Name of C001"
    } else {
        "Aisha Rahman"
    };
    assert!(
        text.contains(&format!("Confirmed on this sheet as {other}, not {name}")),
        "{text}"
    );
}

/// Two markers within the threshold, one passing the station and the
/// other failing it: the list flags it (`results differ`), where
/// only markers over the threshold apart were flagged, and the sheet,
/// failed by one marker, was in no flagged list.
#[test]
fn markers_whose_results_differ_within_the_threshold_are_flagged() {
    let dir = Dir::new("mod-tui-split");
    let rubric = practical_double_marked(&dir.0);
    let s = dir.sub("s");
    sheet(
        &s,
        rubric,
        "upper-limb",
        "C001",
        "E01@lap1",
        Marks::LoseFirst(1),
        true,
        5,
    );
    sheet(
        &s,
        rubric,
        "upper-limb",
        "C001",
        "E02@lap2",
        Marks::LoseFirst(2),
        true,
        6,
    );
    let mut h = open_all(dir, rubric, "EA1");
    h.select("C001", "upper-limb");
    let e = h.app.current().cloned().expect("entry");
    assert!(
        e.flags.iter().any(|f| f == "results differ"),
        "{:?} {:?}",
        e.flags,
        e.note
    );
}
