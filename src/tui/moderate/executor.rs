//! Performs the moderation screen's effects: appends to the assessor's
//! journal (durable before the screen is told), checks a cell's sheets on
//! disk before a decision on them is recorded, and reads everything again.
//! All of the screen's I/O is here; [`super::ModerateApp`] only asks.

use super::{CellCheck, CellReader, Effect, Loader, ModerateApp, Reply};
use crate::store::{Health, Journal, Store};
use crate::tui::screen::{self, DiskWatch, Step, WallClock};

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

impl screen::Executor<ModerateApp> for ModerateExecutor {
    fn perform(&mut self, effect: Effect) -> Step<Reply> {
        Step::Reply(match effect {
            Effect::Reload => Reply::Reloaded((self.loader)()),
            Effect::Record { check: Some(c), .. } if self.changed_on_disk(&c) => Reply::Changed {
                candidate: c.candidate,
                station: c.station,
                snapshot: (self.loader)(),
            },
            Effect::Record { event, .. } => {
                let writing = crate::tui::signals::writing();
                let appended = self.journal.append(event, (self.wall)());
                drop(writing);
                match appended {
                    Ok(record) => Reply::Recorded(record),
                    Err(e) => {
                        self.disk.soon();
                        Reply::NotRecorded(e.to_string())
                    }
                }
            }
        })
    }

    /// Checks, at once and every few seconds after, whether decisions can
    /// be saved where the journal is ([`DiskWatch`]).
    fn watch(&mut self, app: &ModerateApp, now: std::time::Instant) -> Option<Reply> {
        let root = crate::store::sessions_root(self.journal.path())?;
        let store = Store::new(root);
        let key = self.journal.key();
        let who = (
            key.assessment.as_str(),
            key.examiner.as_str(),
            key.device.as_str(),
        );
        let problem = matches!(app.disk, Health::Unwritable(_));
        let health = self.disk.check(&store, who, problem, now)?;
        (health != app.disk).then_some(Reply::Disk(health))
    }
}
