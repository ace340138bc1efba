//! A realistic synthetic cohort, written through the real session store:
//! for training examiners on the tool, demonstrations, the quality report
//! and benchmarks. Everything follows from the seed, so the same seed gives
//! the same sheets byte for byte (the times are fixed, not the clock's).
//!
//! The model, kept simple and stated in `docs/report.md`:
//! - each candidate has an ability θ ~ N(0, 1);
//! - each station a difficulty ~ N(0, 0.5), each item a difficulty ~
//!   N(station's, 0.7), each examiner a stringency ~ N(0, 0.25);
//! - an item's level comes from θ + 1.2 − item difficulty − stringency +
//!   noise N(0, 0.8), cut into equal steps of the scale's levels over −1.5
//!   to 1.5 (so a typical candidate scores about three quarters), with 2
//!   more for critical items, which candidates nearly always do;
//! - the global rating follows the station's percentage, a grade for about
//!   every tenth of the marks, with noise N(0, 0.6) grades;
//! - 0.5% of sheets are absences, 0.1% of items are left unmarked (with a
//!   reason), 0.4% of sheets carry a concern.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::rubric::Rubric;
use crate::scoring::{ItemMark, Standards, StationSheet, score_station};
use crate::store::{ConcernKind, Event, SheetKey, Store, StoreError, TimerAction};

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub candidates: usize,
    pub examiners: usize,
    pub seed: u64,
    /// fsync each file (slower; the simulator's sheets can be made again
    /// from the seed, so it is off by default).
    pub sync: bool,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub sheets: usize,
    pub records: usize,
    pub absent: usize,
    pub unmarked_items: usize,
    pub concerns: usize,
    /// (candidate id, name, circuit), for a roster.
    pub roster: Vec<(String, String, String)>,
}

const FIRST: [&str; 16] = [
    "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Farah", "George", "Hannah", "Imran", "Jess", "Kofi", "Lena",
    "Mei", "Noah", "Olu", "Priya",
];
const LAST: [&str; 16] = [
    "Khan", "Morgan", "Okafor", "Smith", "Patel", "Jones", "Nguyen", "Evans", "Ahmed", "Brown", "Garcia",
    "Wilson", "Osei", "Taylor", "Chen", "Davies",
];

struct Dice(ChaCha8Rng);

impl Dice {
    fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-12);
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
}

/// The candidate ids and names the simulator uses.
pub fn candidate(i: usize) -> (String, String) {
    (
        format!("SIM{:05}", i + 1),
        format!("{} {}", FIRST[i % 16], LAST[(i / 16 + i * 7) % 16]),
    )
}

/// The examiner id of examiner `e`.
pub fn examiner(e: usize) -> String {
    format!("EX{:02}", e + 1)
}

/// Writes the cohort into `store`. Refuses (before writing anything) a
/// plan with no candidates or examiners.
/// How many examiners a simulation of `plan` has mark: each marks one
/// station, so with at least as many examiners as scored stations, the
/// largest multiple of the stations' number that the candidates need.
pub fn examiners_used(rubric: &Rubric, plan: &Simulation) -> usize {
    let n_st = rubric.scored_stations().count().max(1);
    let examiners = plan.examiners.max(1);
    if examiners < n_st {
        examiners
    } else {
        n_st * (examiners / n_st).min(plan.candidates.max(1))
    }
}

pub fn simulate(
    rubric: &Rubric,
    rubric_hash: &str,
    store: &Store,
    plan: &Simulation,
) -> Result<Summary, StoreError> {
    let mut dice = Dice(ChaCha8Rng::seed_from_u64(plan.seed));
    let stations: Vec<&crate::rubric::Station> = rubric.scored_stations().collect();
    let n_st = stations.len().max(1);
    let examiners = plan.examiners.max(1);
    let station_difficulty: Vec<f64> = stations.iter().map(|_| 0.5 * dice.normal()).collect();
    let item_difficulty: Vec<Vec<f64>> = stations
        .iter()
        .zip(&station_difficulty)
        .map(|(s, d)| s.items.iter().map(|_| d + 0.7 * dice.normal()).collect())
        .collect();
    let stringency: Vec<f64> = (0..examiners).map(|_| 0.25 * dice.normal()).collect();
    let per_station = (examiners / n_st).max(1);
    let start = Utc
        .with_ymd_and_hms(2026, 6, 1, 8, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let world = World {
        rubric,
        rubric_hash,
        store,
        plan,
        stations,
        item_difficulty,
        stringency,
        per_station,
        start,
    };
    // Each candidate draws from a stream of their own (from the seed and
    // their number), so candidates can be written on every core and the
    // cohort is the same however the work is split.
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = plan.candidates.div_ceil(workers).max(1);
    let parts: Vec<Result<Summary, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..plan.candidates)
            .step_by(chunk)
            .map(|from| {
                let world = &world;
                scope.spawn(move || world.candidates(from..(from + chunk).min(plan.candidates)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(StoreError::Unwritable {
                        path: store.root().to_path_buf(),
                        reason: "a simulator thread stopped".into(),
                    })
                })
            })
            .collect()
    });
    let mut summary = Summary::default();
    for part in parts {
        let part = part?;
        summary.sheets += part.sheets;
        summary.records += part.records;
        summary.absent += part.absent;
        summary.unmarked_items += part.unmarked_items;
        summary.concerns += part.concerns;
        summary.roster.extend(part.roster);
    }
    Ok(summary)
}

/// What every candidate's sheets are drawn from.
struct World<'a> {
    rubric: &'a Rubric,
    rubric_hash: &'a str,
    store: &'a Store,
    plan: &'a Simulation,
    stations: Vec<&'a crate::rubric::Station>,
    item_difficulty: Vec<Vec<f64>>,
    stringency: Vec<f64>,
    per_station: usize,
    start: DateTime<Utc>,
}

/// The seed of candidate `i`'s own stream.
fn candidate_seed(seed: u64, i: usize) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(&seed.to_le_bytes());
    h.update(&(i as u64).to_le_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.finalize().as_bytes()[..8]);
    u64::from_le_bytes(b)
}

impl World<'_> {
    /// Writes the sheets of candidates `range`.
    fn candidates(&self, range: std::ops::Range<usize>) -> Result<Summary, StoreError> {
        let (rubric, rubric_hash, store, plan) = (self.rubric, self.rubric_hash, self.store, self.plan);
        let (stations, item_difficulty, stringency, per_station, start) = (
            &self.stations,
            &self.item_difficulty,
            &self.stringency,
            self.per_station,
            self.start,
        );
        let n_st = stations.len().max(1);
        let examiners = stringency.len();
        let mut summary = Summary::default();
        for i in range {
            let mut dice = Dice(ChaCha8Rng::seed_from_u64(candidate_seed(plan.seed, i)));
            let (id, name) = candidate(i);
            let circuit = circuit_name(i / n_st);
            summary.roster.push((id.clone(), name.clone(), circuit));
            let ability = dice.normal();
            for (j, station) in stations.iter().enumerate() {
                let e = (j + n_st * (i % per_station)) % examiners;
                let key = SheetKey {
                    assessment: rubric.id.clone(),
                    station: station.id.clone(),
                    candidate: id.clone(),
                    examiner: examiner(e),
                    device: format!("sim-{}", examiner(e)),
                };
                let t0: DateTime<Utc> = start + Duration::minutes(((i / n_st) * 90 + j * 12) as i64);
                // Each record is written at its planned second, or with the
                // record before it when that ran later (a station of many
                // items): times never go backwards in journal order, as
                // `osce audit` expects of a laptop's clock.
                let mut last = 0;
                let mut at = |s: i64| {
                    last = s.max(last);
                    t0 + Duration::seconds(last)
                };
                let mut events = vec![
                    (
                        Event::Opened {
                            app_version: format!("simulate seed {}", plan.seed),
                        },
                        at(0),
                    ),
                    (
                        Event::Confirmed {
                            candidate_name: name.clone(),
                        },
                        at(5),
                    ),
                ];
                let mut sheet = StationSheet::default();
                if dice.chance(0.005) {
                    sheet.absent = Some("Did not attend".into());
                    events.push((
                        Event::Absent {
                            reason: "Did not attend".into(),
                        },
                        at(30),
                    ));
                    summary.absent += 1;
                } else {
                    events.push((
                        Event::Timer {
                            action: TimerAction::Start,
                            elapsed_ms: 0,
                            due: None,
                        },
                        at(10),
                    ));
                    // Items left unmarked, explained when time runs out.
                    let mut unmarked = Vec::new();
                    for (k, item) in station.items.iter().enumerate() {
                        let scale = rubric.scale(item.scale);
                        if dice.chance(0.001) {
                            summary.unmarked_items += 1;
                            unmarked.push(item.id.clone());
                            continue;
                        }
                        let mark = if scale.not_observed && dice.chance(0.01) {
                            ItemMark::NotObserved
                        } else {
                            // Critical items (consent, safety) are nearly always done.
                            let care = if item.critical == crate::rubric::Critical::No {
                                0.0
                            } else {
                                2.0
                            };
                            let z = ability + 1.2 + care - item_difficulty[j][k] - stringency[e]
                                + 0.8 * dice.normal();
                            let levels = scale.levels.len();
                            let cut = ((z + 1.5) / 3.0 * levels as f64).floor();
                            ItemMark::Level(cut.clamp(0.0, levels as f64 - 1.0) as usize)
                        };
                        let (level, label) = match mark {
                            ItemMark::Level(l) => (Some(l), scale.levels[l].label.clone()),
                            ItemMark::NotObserved => (None, "not observed".into()),
                        };
                        sheet.marks.insert(item.id.as_str().into(), mark);
                        events.push((
                            Event::Mark {
                                item: item.id.clone(),
                                level,
                                label,
                                late: false,
                            },
                            at(40 + 30 * k as i64),
                        ));
                    }
                    if let Some(g) = &station.global_rating {
                        let scale = rubric.scale(g.scale);
                        let partial = score_station(rubric, station, Some(&sheet), &Standards::default());
                        let share = partial.ok().and_then(|r| r.percent()).unwrap_or(50.0) / 100.0;
                        let top = scale.levels.len() as f64 - 1.0;
                        // A grade spans about a tenth of the station's marks.
                        let level = ((share - 0.35) / 0.4 * top + 0.6 * dice.normal())
                            .round()
                            .clamp(0.0, top) as usize;
                        sheet.global_rating = Some(level);
                        events.push((
                            Event::GlobalRating {
                                level,
                                label: scale.levels[level].label.clone(),
                                late: false,
                            },
                            at(560),
                        ));
                    }
                    if dice.chance(0.004) {
                        summary.concerns += 1;
                        events.push((
                            Event::Concern {
                                kind: ConcernKind::Professionalism,
                                note: "Simulated concern: rude to the patient".into(),
                            },
                            at(570),
                        ));
                    }
                    for what in unmarked {
                        events.push((
                            Event::MissingReason {
                                what: what.into(),
                                reason: "Ran out of time".into(),
                            },
                            at(590),
                        ));
                    }
                    events.push((
                        Event::Timer {
                            action: TimerAction::End,
                            elapsed_ms: 600_000,
                            due: None,
                        },
                        at(610),
                    ));
                }
                let (score, max, outcome) =
                    match score_station(rubric, station, Some(&sheet), &Standards::default()) {
                        Ok(r) => (r.score, r.max, r.outcome),
                        Err(_) => (0.0, 0.0, crate::scoring::StationOutcome::Incomplete),
                    };
                events.push((Event::Submitted { score, max, outcome }, at(620)));
                summary.records += events.len();
                store.write_new_sheet(&key, rubric_hash, events, plan.sync)?;
                summary.sheets += 1;
            }
        }
        Ok(summary)
    }
}

/// The `n`th circuit's name (from 0), as exam offices name them: A to Z,
/// then AA, AB, …: never mistaken for a candidate's id.
fn circuit_name(n: usize) -> String {
    let mut name = Vec::new();
    let mut n = n + 1;
    while n > 0 {
        n -= 1;
        name.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn circuits_are_named_by_letters() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 701, 702]
            .iter()
            .map(|&n| super::circuit_name(n))
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }
}
