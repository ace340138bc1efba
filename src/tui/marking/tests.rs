//! Table tests of the marking screen's `update`. Each case starts from a
//! state the examiner can reach, gives one key's action, and says what must
//! follow: the records asked for, the screen, the question or the notice.
//! A fake executor answers effects from memory (no disk, no clock), so a
//! case reads as the key pressed and what the examiner then sees.

use std::collections::HashMap;

use super::*;
use crate::rubric::examples::RUBRICS;
use crate::tui::screen::{self, Step, drive};

/// Keeps each sheet's records in memory, as the store would on disk.
#[derive(Default)]
struct Memory {
    sheets: HashMap<SheetKey, Vec<Record>>,
    open: Option<SheetKey>,
    /// Every event appended, in order.
    appended: Vec<Event>,
    /// The next append fails (a full disk).
    fail_next: bool,
}

impl screen::Executor<App> for Memory {
    fn perform(&mut self, effect: Effect) -> Step<Reply> {
        match effect {
            Effect::Open(key) => {
                self.open = Some(key.clone());
                let records = self.sheets.get(&key).cloned().unwrap_or_default();
                Step::Reply(Reply::Opened {
                    key,
                    records,
                    quarantine: None,
                })
            }
            Effect::Append(_) if std::mem::take(&mut self.fail_next) => {
                Step::Failed(Reply::AppendFailed(SaveProblem {
                    headline: "disk full".into(),
                    advice: "free space".into(),
                    detail: "ENOSPC".into(),
                }))
            }
            Effect::Append(event) => {
                let Some(key) = self.open.clone() else {
                    return Step::Done;
                };
                let records = self.sheets.entry(key.clone()).or_default();
                let seq = records.len() as u64 + 1;
                let record = Record {
                    seq,
                    time: Utc::now(),
                    rubric: String::new(),
                    assessment: key.assessment,
                    station: key.station,
                    candidate: key.candidate,
                    examiner: key.examiner,
                    device: key.device,
                    event: event.clone(),
                    prev: String::new(),
                    hash: format!("{seq}"),
                };
                records.push(record.clone());
                self.appended.push(event);
                Step::Reply(Reply::Appended(record))
            }
            Effect::Close => {
                self.open = None;
                Step::Done
            }
            Effect::Survey(keys) => Step::Reply(Reply::Surveyed(
                keys.into_iter()
                    .map(|k| {
                        let state = SheetState::replay(self.sheets.get(&k).map_or(&[][..], Vec::as_slice));
                        let progress = if state.records == 0 {
                            Progress::NotStarted
                        } else {
                            Progress::of(&state)
                        };
                        let timer = state.timer_events();
                        (k, progress, state.absent, timer)
                    })
                    .collect(),
            )),
            Effect::Standing { candidate, .. } => Step::Reply(Reply::Standing {
                candidate,
                sheets: Vec::new(),
            }),
            Effect::Bell | Effect::Launch { .. } | Effect::Home | Effect::Recall(_) => Step::Done,
        }
    }

    fn skipped_after_failure(&self, effect: &Effect) -> bool {
        matches!(effect, Effect::Append(_))
    }
}

/// The bundled OSCE (timed: reading, calls, changeover), one candidate,
/// at the shoulder station, on its confirmation screen.
fn confirming() -> (App, Memory) {
    let (name, text) = RUBRICS[0];
    let checked = crate::rubric::check_str(name, text);
    let rubric = checked.rubric.expect("the bundled OSCE is valid");
    let session = session::session(
        rubric,
        text,
        "E01",
        "lap1",
        session::MarkingOrder::Candidates {
            candidate: Some(("C001".into(), "Aisha Khan".into())),
            station: None,
        },
        None,
    )
    .expect("a session");
    let mut app = App::marking(session, Duration::ZERO, Utc::now());
    let mut exec = Memory::default();
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    let effects = app.startup();
    drive(&mut app, &mut exec, effects);
    (app, exec)
}

fn act(app: &mut App, exec: &mut Memory, action: Action) -> Vec<Effect> {
    let effects = app.update(action);
    drive(app, exec, effects.clone());
    effects
}

/// The sheet open on the scoring screen, nothing marked.
fn scoring() -> (App, Memory) {
    let (mut app, mut exec) = confirming();
    act(&mut app, &mut exec, Action::Enter);
    assert_eq!(screen_name(&app), "scoring");
    (app, exec)
}

/// The sheet with its first item marked (level 1), timer not started.
fn marked() -> (App, Memory) {
    let (mut app, mut exec) = scoring();
    act(&mut app, &mut exec, Action::Digit(1));
    (app, exec)
}

/// The station timer running, in station time (reading done).
fn running() -> (App, Memory) {
    let (mut app, mut exec) = marked();
    act(&mut app, &mut exec, Action::StartPause);
    let start = app.now;
    act(
        &mut app,
        &mut exec,
        Action::Tick {
            now: start + Duration::from_secs(90),
            wall: Utc::now(),
        },
    );
    (app, exec)
}

/// Every item and the global rating marked, and the sheet submitted.
fn submitted() -> (App, Memory) {
    let (mut app, mut exec) = scoring();
    for _ in 0..app.rows() {
        act(&mut app, &mut exec, Action::Digit(1));
    }
    act(&mut app, &mut exec, Action::Submit);
    assert_eq!(screen_name(&app), "submit");
    act(&mut app, &mut exec, Action::Enter);
    if app.ask.is_some() {
        // Before time is up: asked first.
        act(&mut app, &mut exec, Action::Enter);
    }
    // Marking moves on to the next station: back to the submitted sheet.
    assert_eq!(app.station, 1, "moved on after submitting");
    act(&mut app, &mut exec, Action::PrevStation);
    assert!(
        app.sheet.as_ref().is_some_and(|s| s.state.is_locked()),
        "submitted"
    );
    (app, exec)
}

fn screen_name(app: &App) -> &'static str {
    match app.screen {
        Screen::Home(_) => "home",
        Screen::Confirm => "confirm",
        Screen::Scoring => "scoring",
        Screen::Comment(_) => "comment",
        Screen::Concern(_) => "concern",
        Screen::Reason(_) => "reason",
        Screen::Submit(_) => "submit",
        Screen::Finished => "finished",
    }
}

/// Where a case starts.
type From = fn() -> (App, Memory);

/// What a case expects after its action.
struct Then {
    screen: &'static str,
    /// Words the question asked (`Some("")`: none asked).
    asks: Option<&'static str>,
    /// Words of the notice, if one must be shown.
    says: Option<&'static str>,
    /// What must have been appended by this action, by the event's `type`
    /// on disk, in order.
    writes: &'static [&'static str],
}

/// An event as its `type` on disk, with a timer's `do` after a colon
/// (`timer:start`).
fn event_type(e: &Event) -> String {
    let value = serde_json::to_value(e).unwrap_or_default();
    let word =
        |v: &serde_json::Value, key: &str| v.get(key).and_then(|t| t.as_str()).unwrap_or("?").to_string();
    match value.get("action") {
        Some(action) => format!("{}:{}", word(&value, "type"), word(action, "do")),
        None => word(&value, "type"),
    }
}

fn check(case: &str, from: From, action: Action, then: Then) {
    let (mut app, mut exec) = from();
    let before = exec.appended.len();
    act(&mut app, &mut exec, action);
    assert_eq!(screen_name(&app), then.screen, "{case}: the screen");
    match then.asks {
        Some("") => assert!(app.ask.is_none(), "{case}: nothing asked, got {:?}", app.ask),
        Some(words) => assert!(
            app.ask.as_ref().is_some_and(|a| a.question.contains(words)),
            "{case}: asks {words:?}, got {:?}",
            app.ask
        ),
        None => {}
    }
    if let Some(words) = then.says {
        assert!(
            app.notice.as_deref().is_some_and(|n| n.contains(words)),
            "{case}: says {words:?}, got {:?}",
            app.notice
        );
    }
    let written: Vec<String> = exec.appended[before..].iter().map(event_type).collect();
    assert_eq!(written, then.writes, "{case}: what was written");
}

#[test]
fn the_scoring_screens_keys_each_do_what_the_examiner_expects() {
    let cases: Vec<(&str, From, Action, Then)> = vec![
        (
            "a digit marks the item and moves on",
            scoring,
            Action::Digit(1),
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &["mark"],
            },
        ),
        (
            "n on a scale without 'not observed' writes nothing",
            scoring,
            Action::NotObserved,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "u undoes the last mark",
            marked,
            Action::Undo,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &["undo"],
            },
        ),
        (
            "u with nothing to undo says so",
            scoring,
            Action::Undo,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("Nothing to undo"),
                writes: &[],
            },
        ),
        (
            "→ from a sheet with marks asks first",
            marked,
            Action::NextStation,
            Then {
                screen: "scoring",
                asks: Some("Leave this sheet unsubmitted?"),
                says: None,
                writes: &[],
            },
        ),
        (
            "→ from an empty sheet moves on without asking",
            scoring,
            Action::NextStation,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "space starts the timer",
            marked,
            Action::StartPause,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &["timer:start", "timer:phase"],
            },
        ),
        (
            "space while running writes the pause at once and asks why",
            running,
            Action::StartPause,
            Then {
                screen: "reason",
                asks: Some(""),
                says: None,
                writes: &["timer:pause"],
            },
        ),
        (
            "R before the timer starts says there is nothing to reset",
            scoring,
            Action::ResetTimer,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("nothing to reset"),
                writes: &[],
            },
        ),
        (
            "R with marks given asks first",
            running,
            Action::ResetTimer,
            Then {
                screen: "scoring",
                asks: Some("Reset the timer?"),
                says: None,
                writes: &[],
            },
        ),
        (
            "c opens the comment box",
            scoring,
            Action::Comment,
            Then {
                screen: "comment",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "f opens the concern box",
            scoring,
            Action::Concern,
            Then {
                screen: "concern",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "s shows the summary before submitting",
            marked,
            Action::Submit,
            Then {
                screen: "submit",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "A on an open sheet says only a submitted one needs amending",
            marked,
            Action::Amend,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("Only a submitted sheet"),
                writes: &[],
            },
        ),
        (
            "x on a sheet with marks refuses",
            marked,
            Action::Absent,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("Marks are recorded for this candidate here"),
                writes: &[],
            },
        ),
        (
            "x on an empty sheet asks the reason",
            scoring,
            Action::Absent,
            Then {
                screen: "reason",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "g on a station with a global rating goes to it",
            scoring,
            Action::GlobalRating,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "a digit on a submitted sheet is refused, saying how to amend",
            submitted,
            Action::Digit(0),
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("Press A to amend"),
                writes: &[],
            },
        ),
        (
            "A on a submitted sheet asks the reason",
            submitted,
            Action::Amend,
            Then {
                screen: "reason",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
        (
            "s on a submitted sheet says it is submitted",
            submitted,
            Action::Submit,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: Some("already submitted"),
                writes: &[],
            },
        ),
        (
            "q from an open sheet quits",
            marked,
            Action::Quit,
            Then {
                screen: "scoring",
                asks: Some(""),
                says: None,
                writes: &[],
            },
        ),
    ];
    for (case, from, action, then) in cases {
        check(case, from, action, then);
    }
}

#[test]
fn the_global_rating_key_moves_to_the_last_row() {
    let (mut app, mut exec) = scoring();
    act(&mut app, &mut exec, Action::GlobalRating);
    let rows = app.rows();
    assert_eq!(app.sheet.as_ref().map(|s| s.cursor), Some(rows - 1));
}

#[test]
fn esc_leaves_every_dialog_without_writing() {
    for (case, open) in [
        ("comment", Action::Comment),
        ("concern", Action::Concern),
        ("absent reason", Action::Absent),
    ] {
        let (mut app, mut exec) = scoring();
        act(&mut app, &mut exec, open);
        assert_ne!(screen_name(&app), "scoring", "{case}: opened");
        let before = exec.appended.len();
        act(&mut app, &mut exec, Action::Escape);
        assert_eq!(screen_name(&app), "scoring", "{case}: esc leaves it");
        assert_eq!(exec.appended.len(), before, "{case}: nothing written");
    }
}

#[test]
fn a_question_is_answered_yes_with_enter_and_no_with_esc() {
    // No: stays on the sheet, nothing written.
    let (mut app, mut exec) = marked();
    act(&mut app, &mut exec, Action::NextStation);
    assert!(app.ask.is_some());
    act(&mut app, &mut exec, Action::Escape);
    assert!(app.ask.is_none());
    assert_eq!(app.station, 0, "still at the first station");
    // Yes: moves on, leaving the sheet as saved.
    act(&mut app, &mut exec, Action::NextStation);
    act(&mut app, &mut exec, Action::Enter);
    assert!(app.ask.is_none());
    assert_eq!(app.station, 1, "at the next station");
    // Other keys while asked do nothing.
    act(&mut app, &mut exec, Action::Digit(1));
    act(&mut app, &mut exec, Action::NextStation);
    act(&mut app, &mut exec, Action::Digit(2));
    assert!(app.ask.is_some());
    let before = exec.appended.len();
    act(&mut app, &mut exec, Action::Digit(1));
    assert_eq!(
        exec.appended.len(),
        before,
        "a key under a question writes nothing"
    );
}

#[test]
fn quitting_ends_marking_or_returns_home_where_it_started() {
    let (mut app, mut exec) = marked();
    let effects = act(&mut app, &mut exec, Action::Quit);
    assert_eq!(effects, vec![Effect::Close]);
    assert!(app.quit);

    let (mut app, mut exec) = marked();
    app.from_home = true;
    let effects = act(&mut app, &mut exec, Action::Quit);
    assert_eq!(
        effects,
        vec![Effect::Close, Effect::Home],
        "back to the home screen"
    );
    assert!(!app.quit, "osce goes on");
}

#[test]
fn the_home_screen_comes_back_with_the_size_and_local_time_kept() {
    let (mut app, _) = marked();
    app.utc_offset = chrono::FixedOffset::east_opt(3600).expect("an offset");
    let home = Home::new(Vec::new(), Vec::new(), "sessions".into(), "E01");
    app.reply(Reply::Home(Some(Box::new(home))));
    assert_eq!(screen_name(&app), "home");
    assert_eq!((app.width, app.height), (120, 40));
    assert_eq!(app.utc_offset.local_minus_utc(), 3600);
    assert!(app.session.is_none());

    let (mut app, _) = marked();
    app.reply(Reply::Home(None));
    assert!(app.quit, "no home screen to go back to: osce ends");
}

#[test]
fn a_failed_save_is_shown_and_the_later_records_of_its_batch_are_not_written() {
    let (mut app, mut exec) = scoring();
    exec.fail_next = true;
    let item = |i: usize| {
        let station = app.station_def().expect("a station");
        Event::Mark {
            item: station.items[i].id.clone(),
            level: Some(1),
            label: String::new(),
            late: false,
        }
    };
    let batch = vec![Effect::Append(item(0)), Effect::Append(item(1))];
    let before = exec.appended.len();
    drive(&mut app, &mut exec, batch);
    assert_eq!(
        exec.appended.len(),
        before,
        "the second record is not written after the first failed"
    );
    assert!(matches!(app.saved, Saved::Failed(_)));
    assert!(app.unsaved);
    assert!(matches!(app.alarm(), Some(Alarm::NotSaving(_))));
    // The next change is saved, and the banner goes.
    act(&mut app, &mut exec, Action::Digit(1));
    assert!(matches!(app.saved, Saved::Saved { .. }), "{:?}", app.saved);
    assert!(!app.unsaved);
}

#[test]
fn a_key_on_a_terminal_too_small_to_show_the_sheet_does_nothing_but_quit() {
    let (mut app, mut exec) = scoring();
    act(&mut app, &mut exec, Action::Resize { width: 10, height: 3 });
    let before = exec.appended.len();
    act(&mut app, &mut exec, Action::Digit(1));
    assert_eq!(
        exec.appended.len(),
        before,
        "nothing can be seen: nothing is marked"
    );
    act(&mut app, &mut exec, Action::Quit);
    assert!(app.quit);
}
