//! Performs the moderation screen's effects: appends to the assessor's
//! journal (durable before the screen is told), checks a cell's sheets on
//! disk before a decision on them is recorded, and reads everything again.
//! All of the screen's I/O is here; [`super::ModerateApp`] only asks.

use super::{CellCheck, CellReader, Effect, Loader, ModerateApp, Outcome};
use crate::store::{Health, Journal, Store};
use crate::tui::runner::{DiskWatch, WallClock};

pub struct ModerateExecutor {
    journal: Journal,
    loader: Loader,
    /// Reads one cell's journals again.
    cell: CellReader,
    wall: WallClock,
    /// When to check the journal's folder next ([`Self::watch_disk`]).
    disk: DiskWatch,
}

impl ModerateExecutor {
    pub fn new(journal: Journal, loader: Loader, cell: CellReader, wall: WallClock) -> ModerateExecutor {
        ModerateExecutor {
            journal,
            loader,
            cell,
            wall,
            disk: DiskWatch::default(),
        }
    }

    /// The journal being written.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Checks, at once and every few seconds after, whether decisions can
    /// be saved where the journal is, and tells the app ([`DiskWatch`]).
    pub fn watch_disk(&mut self, app: &mut ModerateApp, now: std::time::Instant) {
        let Some(root) = crate::store::sessions_root(self.journal.path()) else {
            return;
        };
        let store = Store::new(root);
        let key = self.journal.key();
        let who = (
            key.assessment.as_str(),
            key.examiner.as_str(),
            key.device.as_str(),
        );
        let problem = matches!(app.disk, Health::Unwritable(_));
        if let Some(health) = self.disk.check(&store, who, problem, now)
            && health != app.disk
        {
            app.update(super::Action::Disk(health));
        }
    }

    /// Performs `effects` in order, telling the app what came of each.
    pub fn perform(&mut self, app: &mut ModerateApp, effects: Vec<Effect>) {
        for effect in effects {
            let outcome = match effect {
                Effect::Reload => Outcome::Reloaded((self.loader)()),
                Effect::Record { check: Some(c), .. } if self.changed_on_disk(&c) => Outcome::Changed {
                    candidate: c.candidate,
                    station: c.station,
                    snapshot: (self.loader)(),
                },
                Effect::Record { event, .. } => {
                    let writing = crate::tui::signals::writing();
                    let appended = self.journal.append(event, (self.wall)());
                    drop(writing);
                    match appended {
                        Ok(record) => Outcome::Recorded(record),
                        Err(e) => {
                            self.disk.soon();
                            Outcome::NotRecorded(e.to_string())
                        }
                    }
                }
            };
            app.outcome(outcome);
        }
    }

    /// Whether the cell's journals on disk differ from those the screen
    /// read: amended, another marker's sheet arrived, or one became
    /// unusable. Reads only that cell's journals. One that cannot be read
    /// counts as changed: the screen then reads everything again.
    fn changed_on_disk(&self, check: &CellCheck) -> bool {
        match (self.cell)(&check.candidate, &check.station) {
            Ok(now) => now != check.histories,
            Err(_) => true,
        }
    }
}
