//! The marking screen's costs: a keystroke until the mark is durable on
//! disk (append + fsync), drawing the scoring screen, and start-up to the
//! first frame. Figures go in BENCHMARKS.md.
//!
//! The keystroke figures are printed as median and 99th percentile over
//! many marks (criterion reports means, and the tail is what an examiner
//! feels); the rest use criterion.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group};

mod common;
use osce::rubric::load;
use osce::store::Store;
use osce::tui::marking::executor::Executor;
use osce::tui::marking::session::{MarkingOrder, session};
use osce::tui::marking::view as views;
use osce::tui::marking::{Action, App};
use osce::tui::screen::drive;
use osce::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const RUBRIC: &str = "rubrics/msk-ultrasound-osce.ron";

/// Sessions on the project's own disk (not a RAM-backed /tmp), so that
/// fsync costs what it costs on an examiner's laptop.
fn sessions_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-sessions")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn app_and_executor(dir: &Path) -> (App, Executor) {
    let text = std::fs::read_to_string(RUBRIC).expect("rubric");
    let (rubric, _) = load(Path::new(RUBRIC)).expect("valid rubric");
    let plan = MarkingOrder::Candidates {
        candidate: Some(("C001".into(), "Aisha Khan".into())),
        station: None,
    };
    let s = session(rubric, &text, "E01", "bench", plan, None).expect("session");
    let mut exec = Executor::new(Store::new(dir), "bench".into(), Box::new(Utc::now));
    exec.set_rubric_hash(s.rubric_hash.clone());
    let mut app = App::marking(s, Duration::ZERO, Utc::now());
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    let effects = app.update(Action::Enter);
    drive(&mut app, &mut exec, effects);
    (app, exec)
}

/// Keystroke → mark durable: `update` plus the append and fsync it asks
/// for, until the app has the record back. Gives the table row.
fn keystroke_to_durable() -> String {
    let dir = sessions_dir("keystroke");
    let (mut app, mut exec) = app_and_executor(&dir);
    let mut samples = Vec::with_capacity(2000);
    for i in 0..2000 {
        // Stay on an item with three levels: 0/1/2.
        if let Some(sheet) = app.sheet.as_mut() {
            sheet.cursor = 2;
        }
        let digit = u8::try_from(i % 3).unwrap_or(0);
        let start = Instant::now();
        let effects = app.update(Action::Digit(digit));
        drive(&mut app, &mut exec, effects);
        samples.push(start.elapsed());
        assert!(
            matches!(app.saved, osce::tui::marking::Saved::Saved { .. }),
            "{:?}",
            app.saved
        );
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = ms(pct(0.99));
    let _ = std::fs::remove_dir_all(&dir);
    format!(
        "| keystroke → mark durable on disk: `App::update` for a digit, the append and `fdatasync` it asks for, and the app taking the record back ({} marks) | median **{:.3} ms**, p99 **{p99:.3} ms** (max {:.1} ms) | p99 under 1 ms: **{}**; the floor is one fdatasync on this disk |",
        samples.len(),
        ms(pct(0.5)),
        ms(samples[samples.len() - 1]),
        if p99 < 1.0 { "met" } else { "missed" },
    )
}

fn render(c: &mut Criterion) {
    let dir = sessions_dir("render");
    let (mut app, mut exec) = app_and_executor(&dir);
    for d in [1u8, 2, 1, 0, 2] {
        let effects = app.update(Action::Digit(d));
        drive(&mut app, &mut exec, effects);
    }
    let theme = Theme::new(true);
    for (w, h) in [(120u16, 40u16), (200, 60)] {
        app.update(Action::Resize { width: w, height: h });
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        c.bench_function(&format!("render scoring screen {w}x{h}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| views::render(black_box(&app), f, &theme))
                    .expect("draw");
            })
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reading and checking the largest example, building the session and
/// the app, and drawing the first frame (the confirm screen).
fn startup(c: &mut Criterion) {
    let dir = sessions_dir("startup");
    let theme = Theme::new(true);
    c.bench_function("start-up to first frame (msk-ultrasound-osce)", |b| {
        b.iter(|| {
            let text = osce::rubric::read_text(Path::new(RUBRIC)).expect("rubric");
            let rubric = osce::rubric::check_str(RUBRIC, &text).rubric.expect("valid");
            let plan = MarkingOrder::Candidates {
                candidate: Some(("C001".into(), "Aisha Khan".into())),
                station: None,
            };
            let s = session(rubric, &text, "E01", "bench", plan, None).expect("session");
            let _exec = Executor::new(Store::new(&dir), "bench".into(), Box::new(Utc::now));
            let mut app = App::marking(s, Duration::ZERO, Utc::now());
            app.update(Action::Resize {
                width: 120,
                height: 40,
            });
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| views::render(&app, f, &theme)).expect("draw");
            black_box(terminal);
        })
    });
}

criterion_group!(benches, render, startup);

fn main() {
    let keystroke = keystroke_to_durable();
    benches();
    Criterion::default().configure_from_args().final_summary();
    let under = |id: &str, aim_ns: f64, aim: &str| match common::estimate(id) {
        Some(e) if e.high < aim_ns => format!("{aim}: **met**"),
        Some(_) => format!("{aim}: **missed**"),
        None => aim.to_string(),
    };
    let render = |w: u16, h: u16| format!("render scoring screen {w}x{h}");
    let startup = "start-up to first frame (msk-ultrasound-osce)";
    common::publish(
        "tui",
        &format!(
            "| what | figure | aim |\n\
             |---|---|---|\n\
             {keystroke}\n\
             | draw the scoring screen at 120×40 | {} | {} |\n\
             | draw the scoring screen at 200×60 | {} | {} |\n\
             | start-up to first frame with the largest example: read and check `msk-ultrasound-osce.ron`, build the session and the app, draw the first frame (terminal set-up itself excluded) | {} | {} |\n",
            common::criterion_cell(&render(120, 40)),
            under(&render(120, 40), 1e6, "under 1 ms"),
            common::criterion_cell(&render(200, 60)),
            under(&render(200, 60), 1e6, "under 1 ms"),
            common::criterion_cell(startup),
            under(startup, 30e6, "under 30 ms"),
        ),
    );
}
