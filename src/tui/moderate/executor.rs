//! Performs the moderation screen's effects: appends to the assessor's
//! journal (durable before the screen is told), checks a cell's sheets on
//! disk before a decision on them is recorded, and reads everything again.
//! All of the screen's I/O is here; [`super::ModerateApp`] only asks.

use std::path::PathBuf;

use super::{CellCheck, Effect, Loader, ModerateApp, Outcome};
use crate::store::{Health, Journal, SeenSheet, SheetState, Store, read_sheet};
use crate::tui::runner::{DiskWatch, WallClock};

pub struct ModerateExecutor {
    journal: Journal,
    loader: Loader,
    /// The sessions folders, to read a cell's sheets again.
    folders: Vec<PathBuf>,
    wall: WallClock,
    /// When to check the journal's folder next ([`Self::watch_disk`]).
    disk: DiskWatch,
}

impl ModerateExecutor {
    pub fn new(journal: Journal, loader: Loader, folders: Vec<PathBuf>, wall: WallClock) -> ModerateExecutor {
        ModerateExecutor {
            journal,
            loader,
            folders,
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

    /// Whether the cell's sheets on disk differ from those the screen
    /// showed: amended, or another marker's sheet arrived. Reads only that
    /// cell's journals.
    fn changed_on_disk(&self, check: &CellCheck) -> bool {
        let assessment = &self.journal.key().assessment;
        // (examiner, device) -> (records, seal) of the longest journal: a
        // sheet copied into several folders (or an older copy beside a
        // newer one) is one sheet, as for every command.
        let mut longest: std::collections::BTreeMap<(String, String), (usize, String)> = Default::default();
        for folder in &self.folders {
            let Ok(whos) = std::fs::read_dir(folder.join(assessment)) else {
                continue;
            };
            for who in whos.flatten() {
                let name = who.file_name().to_string_lossy().to_string();
                let Some((examiner, device)) = crate::store::parse_who(&name) else {
                    continue;
                };
                let path = who
                    .path()
                    .join(&check.candidate)
                    .join(format!("{}.jsonl", check.station));
                let Ok(replay) = read_sheet(&path) else {
                    continue;
                };
                if replay.records.is_empty() {
                    continue;
                }
                let seal = SheetState::replay(&replay.records).seal();
                let slot = longest
                    .entry((examiner.to_string(), device.to_string()))
                    .or_insert((0, String::new()));
                if replay.records.len() > slot.0 {
                    *slot = (replay.records.len(), seal);
                }
            }
        }
        let mut now: Vec<SeenSheet> = longest
            .into_iter()
            .map(|((examiner, device), (_, last))| SeenSheet {
                examiner,
                device,
                last,
            })
            .collect();
        let mut then = check.seen.clone();
        now.sort();
        now.dedup();
        then.sort();
        then != now
    }
}
