//! `osce report` in a terminal: the quality report with its plots. Four
//! views (overview, stations, reliability, examiners); read-only, so it
//! asks for no I/O: its effects and replies are types with no values.

pub mod keys;
pub mod view;

use std::convert::Infallible;

use crate::analysis::report::Report;

pub use keys::action_for;
pub use view::render;

#[derive(Debug, Clone, PartialEq)]
/// What a key (or the terminal) asks of the report screen.
pub enum Action {
    NextView,
    PrevView,
    View(View),
    Up,
    Down,
    Help,
    Quit,
    Resize { width: u16, height: u16 },
}

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Stations,
    Reliability,
    Examiners,
}

impl View {
    pub const ALL: [View; 4] = [View::Overview, View::Stations, View::Reliability, View::Examiners];

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "1 Overview",
            View::Stations => "2 Stations",
            View::Reliability => "3 Reliability",
            View::Examiners => "4 Examiners",
        }
    }
}

#[derive(Debug)]
pub struct ReportApp {
    pub report: Report,
    pub view: View,
    /// The selected station (stations view) or the scroll offset.
    pub selected: usize,
    pub scroll: u16,
    pub help: bool,
    pub quit: bool,
    pub width: u16,
    pub height: u16,
}

impl ReportApp {
    pub fn new(report: Report) -> ReportApp {
        ReportApp {
            report,
            view: View::Overview,
            selected: 0,
            scroll: 0,
            help: false,
            quit: false,
            width: MIN_WIDTH,
            height: MIN_HEIGHT,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn update(&mut self, action: Action) {
        let i = View::ALL.iter().position(|v| *v == self.view).unwrap_or(0);
        match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::Quit => self.quit = true,
            _ if self.too_small() => {}
            Action::Help => self.help = !self.help,
            _ if self.help => self.help = false,
            Action::NextView => self.view = View::ALL[(i + 1) % 4],
            Action::PrevView => self.view = View::ALL[(i + 3) % 4],
            Action::View(v) => self.view = v,
            Action::Up if self.view == View::Stations => self.selected = self.selected.saturating_sub(1),
            Action::Down if self.view == View::Stations => {
                self.selected = (self.selected + 1).min(self.report.stations.len().saturating_sub(1));
            }
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
        }
        if matches!(self.view, View::Stations) {
            self.scroll = 0;
        }
    }
}

/// The report screen keeps the contract every screen keeps.
impl crate::tui::screen::Screen for ReportApp {
    type Action = Action;
    type Effect = Infallible;
    type Reply = Infallible;

    fn key(&self, key: crossterm::event::KeyEvent) -> Option<Action> {
        action_for(key)
    }

    fn resize(width: u16, height: u16) -> Action {
        Action::Resize { width, height }
    }

    fn update(&mut self, action: Action) -> Vec<Infallible> {
        ReportApp::update(self, action);
        Vec::new()
    }

    fn reply(&mut self, reply: Infallible) -> Vec<Infallible> {
        match reply {}
    }

    fn view(&self, frame: &mut ratatui::Frame, theme: &crate::tui::theme::Theme) {
        render(self, frame, theme);
    }

    fn done(&self) -> bool {
        self.quit
    }
}

/// Performs nothing: the report screen asks for no I/O.
pub struct NoIo;

impl crate::tui::screen::Executor<ReportApp> for NoIo {
    fn perform(&mut self, effect: Infallible) -> crate::tui::screen::Step<Infallible> {
        match effect {}
    }
}

/// Runs the report screen until it quits.
pub fn run(report: Report, colour: bool) -> std::io::Result<()> {
    crate::tui::terminal::run(ReportApp::new(report), NoIo, colour)
}
