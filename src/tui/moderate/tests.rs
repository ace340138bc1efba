//! Table tests of the moderation screen's `update`. Each case starts from
//! a state the assessor can reach, gives one key's action, and says what
//! must follow: the screen, the notice, whether a decision was asked to be
//! recorded. The sheets are a simulated cohort on disk; the assessor's
//! decisions are kept in memory by a fake executor.

use super::*;
use crate::store::{Record, Store};
use crate::tui::screen::{self, Step, drive};

/// Records the assessor's decisions in memory; reads the sheets from the
/// simulated folder.
struct Memory {
    folder: std::path::PathBuf,
    rubric: Rubric,
    hash: String,
    recorded: Vec<Event>,
    /// The next record fails (the folder cannot be written).
    fail_next: bool,
}

impl screen::Executor<ModerateApp> for Memory {
    fn perform(&mut self, effect: Effect) -> Step<Reply> {
        Step::Reply(match effect {
            Effect::Reload => Reply::Reloaded(snapshot(
                &self.rubric,
                &self.hash,
                std::slice::from_ref(&self.folder),
                None,
            )),
            Effect::Record { .. } if std::mem::take(&mut self.fail_next) => {
                Reply::NotRecorded("the folder is read-only".into())
            }
            Effect::Record { event, .. } => {
                let seq = self.recorded.len() as u64 + 1;
                self.recorded.push(event.clone());
                Reply::Recorded(Record {
                    seq,
                    time: chrono::Utc::now(),
                    rubric: self.hash.clone(),
                    assessment: self.rubric.id.clone(),
                    station: String::new(),
                    candidate: String::new(),
                    examiner: "EA1".into(),
                    device: "lap".into(),
                    event,
                    prev: String::new(),
                    hash: format!("{seq}"),
                })
            }
        })
    }
}

/// Twelve simulated candidates through the bundled OSCE, the list open
/// on every sheet (not only the sample).
fn listing() -> (ModerateApp, Memory, tempfile_dir::Dir) {
    let dir = tempfile_dir::Dir::new();
    let (name, text) = crate::rubric::examples::RUBRICS[0];
    let rubric = crate::rubric::check_str(name, text)
        .rubric
        .expect("the bundled OSCE is valid");
    let hash = crate::store::hash_rubric(text);
    let store = Store::new(&dir.0);
    let plan = crate::day::simulate::Simulation {
        candidates: 12,
        examiners: 6,
        seed: 11,
        sync: false,
    };
    crate::day::simulate::simulate(&rubric, &hash, &store, &plan).expect("simulated");
    let first = snapshot(&rubric, &hash, std::slice::from_ref(&dir.0), None).expect("read");
    let own = AssessorLog::new("EA1", "lap", dir.0.join("ea1.jsonl"));
    let options = Options {
        sample_percent: 25.0,
        seed: 7,
        near_percent: 5.0,
    };
    let mut app = ModerateApp::new(rubric.clone(), first, own, options);
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    while app.filter != Filter::All {
        app.update(Action::NextFilter);
    }
    let exec = Memory {
        folder: dir.0.clone(),
        rubric,
        hash,
        recorded: Vec::new(),
        fail_next: false,
    };
    (app, exec, dir)
}

fn act(app: &mut ModerateApp, exec: &mut Memory, action: Action) {
    let effects = app.update(action);
    drive(app, exec, effects);
}

fn typed(app: &mut ModerateApp, exec: &mut Memory, text: &str) {
    for c in text.chars() {
        act(
            app,
            exec,
            Action::Text(ratatui_textarea::Input {
                key: ratatui_textarea::Key::Char(c),
                ..Default::default()
            }),
        );
    }
}

fn screen_name(app: &ModerateApp) -> &'static str {
    match app.screen {
        Screen::List => "list",
        Screen::Sheet => "sheet",
        Screen::Disagree(_) => "disagree",
        Screen::Refer(_) => "refer",
        Screen::AgreeNote(_) => "agree-note",
        Screen::Jump(_) => "jump",
        Screen::Agreed(_) => "agreed",
        Screen::Report(_) => "report",
        Screen::SignOff => "sign-off",
    }
}

fn on_sheet() -> (ModerateApp, Memory, tempfile_dir::Dir) {
    let (mut app, mut exec, dir) = listing();
    act(&mut app, &mut exec, Action::Open);
    (app, exec, dir)
}

fn disagreeing() -> (ModerateApp, Memory, tempfile_dir::Dir) {
    let (mut app, mut exec, dir) = on_sheet();
    act(&mut app, &mut exec, Action::Disagree);
    (app, exec, dir)
}

type From = fn() -> (ModerateApp, Memory, tempfile_dir::Dir);

/// What a case expects after its action.
struct Then {
    screen: &'static str,
    /// Words of the notice, if one must be shown.
    says: Option<&'static str>,
    /// How many decisions were recorded by this action.
    records: usize,
    quit: bool,
}

#[test]
fn the_moderation_screens_keys_each_do_what_an_assessor_expects() {
    let cases: Vec<(&str, From, Action, Then)> = vec![
        (
            "enter opens the sheet",
            listing,
            Action::Open,
            Then {
                screen: "sheet",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "esc goes back to the list",
            on_sheet,
            Action::Back,
            Then {
                screen: "list",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "a on the list agrees and records it",
            listing,
            Action::Agree,
            Then {
                screen: "list",
                says: Some("saved"),
                records: 1,
                quit: false,
            },
        ),
        (
            "a on the sheet agrees and records it",
            on_sheet,
            Action::Agree,
            Then {
                screen: "sheet",
                says: Some("saved"),
                records: 1,
                quit: false,
            },
        ),
        (
            "d opens the disagree form",
            on_sheet,
            Action::Disagree,
            Then {
                screen: "disagree",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "r opens the referral form",
            on_sheet,
            Action::Refer,
            Then {
                screen: "refer",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "A opens the comment to agree with",
            on_sheet,
            Action::AgreeNote,
            Then {
                screen: "agree-note",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "g opens the jump box",
            listing,
            Action::Jump,
            Then {
                screen: "jump",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "o opens the report",
            listing,
            Action::Report,
            Then {
                screen: "report",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "S asks to sign off",
            listing,
            Action::SignOff,
            Then {
                screen: "sign-off",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "enter with no rationale refuses",
            disagreeing,
            Action::Confirm,
            Then {
                screen: "disagree",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "esc leaves the form recording nothing",
            disagreeing,
            Action::Back,
            Then {
                screen: "sheet",
                says: Some("Nothing recorded"),
                records: 0,
                quit: false,
            },
        ),
        (
            "q in a form does not quit",
            disagreeing,
            Action::Quit,
            Then {
                screen: "disagree",
                says: None,
                records: 0,
                quit: false,
            },
        ),
        (
            "q on the list quits",
            listing,
            Action::Quit,
            Then {
                screen: "list",
                says: None,
                records: 0,
                quit: true,
            },
        ),
        (
            "m where no agreed mark is needed says so",
            on_sheet,
            Action::AgreedMark,
            Then {
                screen: "sheet",
                says: Some("No agreed mark is needed"),
                records: 0,
                quit: false,
            },
        ),
    ];
    for (case, from, action, then) in cases {
        let (mut app, mut exec, _dir) = from();
        act(&mut app, &mut exec, action);
        assert_eq!(screen_name(&app), then.screen, "{case}: the screen");
        if let Some(words) = then.says {
            assert!(
                app.notice.as_ref().is_some_and(|n| n.text.contains(words)),
                "{case}: says {words:?}, got {:?}",
                app.notice
            );
        }
        assert_eq!(exec.recorded.len(), then.records, "{case}: decisions recorded");
        assert_eq!(app.quit, then.quit, "{case}: quits");
    }
}

#[test]
fn a_disagreement_with_its_rationale_is_recorded_and_the_cursor_moves_on() {
    let (mut app, mut exec, _dir) = disagreeing();
    let first = app.selected;
    typed(&mut app, &mut exec, "the images do not show the tendon");
    act(&mut app, &mut exec, Action::Confirm);
    assert_eq!(exec.recorded.len(), 1);
    assert!(matches!(
        &exec.recorded[0],
        Event::Moderated {
            decision: Decision::Disagree,
            ..
        }
    ));
    assert_eq!(screen_name(&app), "sheet");
    assert_eq!(app.selected, first + 1, "on to the next sheet");
}

#[test]
fn a_decision_not_saved_leaves_the_form_open_with_what_was_typed() {
    let (mut app, mut exec, _dir) = disagreeing();
    exec.fail_next = true;
    typed(&mut app, &mut exec, "why");
    act(&mut app, &mut exec, Action::Confirm);
    assert!(exec.recorded.is_empty());
    let Screen::Disagree(form) = &app.screen else {
        panic!("the form is open again: {}", screen_name(&app));
    };
    assert_eq!(text_of(&form.rationale), "why");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("NOT SAVED"))
    );
}

#[test]
fn the_folders_health_comes_back_as_a_reply() {
    let (mut app, _exec, _dir) = listing();
    let full = crate::store::Health::Low { free: 1000 };
    app.reply(Reply::Disk(full.clone()));
    assert_eq!(app.disk, full);
    assert!(app.alarm().is_some());
}

#[test]
fn the_agreed_mark_forms_fields_go_round_in_tab_order() {
    let mut form = AgreedForm {
        score: text_area(""),
        note: text_area(""),
        result: AgreedResult::ByScore,
        field: AgreedField::Score,
    };
    let mut order = Vec::new();
    for _ in 0..3 {
        form.next_field();
        order.push(form.field);
    }
    assert_eq!(order, [AgreedField::Note, AgreedField::Score, AgreedField::Note]);
    form.result = AgreedResult::NotChosen;
    form.field = AgreedField::Score;
    let mut order = Vec::new();
    for _ in 0..3 {
        form.next_field();
        order.push(form.field);
    }
    assert_eq!(
        order,
        [AgreedField::Note, AgreedField::Result, AgreedField::Score]
    );
}

/// A folder of its own, removed when the test ends.
mod tempfile_dir {
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new() -> Dir {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let path = std::env::temp_dir().join(format!("osce-moderate-unit-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            Dir(path)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
