//! The circuit as an examiner at one station lives it: which round it is,
//! who is in the room in each round (or nobody: a rest), and, when the
//! roster says when round 1 begins, where the circuit stands by the clock.
//!
//! Every laptop of a circuit computes the same round and the same time
//! left from the same start and its own clock, so stations agree without a
//! network. Nothing here reads a clock: the time is passed in.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::rubric::Rubric;

use super::roster::{Roster, placements, station_queue};

/// One station's rounds in a circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitPlan {
    /// Per round of the circuit, first to last: who is at this station,
    /// as an index into the station's arrival order ([`station_queue`]),
    /// or `None` when nobody is (a rest for the examiner).
    pub rounds: Vec<Option<usize>>,
    /// When round 1 begins, if the roster says.
    pub start: Option<DateTime<Utc>>,
    /// The length of one round: reading, station and changeover of the
    /// longest station of the rubric, so that every station moves on at the
    /// same moment.
    pub round: Duration,
}

/// Where the circuit stands at a moment, by the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Round 1 has not begun: it begins in this long.
    Before(Duration),
    /// Round `index` (0 for the first) is under way, with this long left.
    Round { index: usize, left: Duration },
    /// Every round is over.
    Over,
}

impl CircuitPlan {
    /// The rounds of `station` in `circuit` (or of every candidate, for
    /// `None`). A circuit goes round as many times as it has waves, each
    /// wave one round per station of the rubric, rest stations included.
    pub fn new(roster: &Roster, rubric: &Rubric, station: &str, circuit: Option<&str>) -> CircuitPlan {
        let stations = rubric.stations.len();
        let placements = placements(roster, rubric);
        let waves = roster
            .candidates
            .iter()
            .zip(&placements)
            .filter(|(c, _)| circuit.is_none_or(|k| c.circuit.as_deref() == Some(k)))
            .map(|(_, p)| p.wave + 1)
            .max()
            .unwrap_or(0);
        let mut rounds = vec![None; waves * stations];
        for (k, entry) in station_queue(roster, rubric, station, circuit).iter().enumerate() {
            if let Some(slot) = rounds.get_mut(entry.wave * stations + entry.round) {
                *slot = Some(k);
            }
        }
        let round = rubric
            .stations
            .iter()
            .filter_map(|s| s.timing.as_ref())
            .map(|t| {
                let secs = |c: crate::rubric::ClockTime| Duration::from_secs(u64::from(c.seconds()));
                secs(t.reading) + secs(t.station) + secs(t.changeover)
            })
            .max()
            .unwrap_or_default();
        CircuitPlan {
            rounds,
            start: roster.circuit_start(circuit),
            round,
        }
    }

    /// The round (0 for the first) in which the candidate at `arrival`
    /// (index into the arrival order) is at this station.
    pub fn round_of(&self, arrival: usize) -> Option<usize> {
        self.rounds.iter().position(|r| *r == Some(arrival))
    }

    /// Where the circuit stands at `wall`; `None` without a start time (or
    /// an untimed rubric).
    pub fn standing(&self, wall: DateTime<Utc>) -> Option<Standing> {
        let start = self.start?;
        if self.round.is_zero() {
            return None;
        }
        let Ok(since) = (wall - start).to_std() else {
            return Some(Standing::Before((start - wall).to_std().unwrap_or_default()));
        };
        let round_ms = self.round.as_millis();
        let index = usize::try_from(since.as_millis() / round_ms).unwrap_or(usize::MAX);
        if index >= self.rounds.len() {
            return Some(Standing::Over);
        }
        let into = Duration::from_millis(u64::try_from(since.as_millis() % round_ms).unwrap_or(0));
        Some(Standing::Round {
            index,
            left: self.round.saturating_sub(into),
        })
    }
}

/// One circuit's rotation, round by round: who is at each station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The circuit, as the roster names it; `None` where it names none.
    pub circuit: Option<String>,
    /// When round 1 begins, if the roster says.
    pub start: Option<DateTime<Utc>>,
    /// The length of one round ([`CircuitPlan::round`]).
    pub round: Duration,
    /// Per round, first to last, per station of the rubric in its order
    /// (rest stations included): the candidate there, as an index into
    /// [`Roster::candidates`], or `None` where nobody is.
    pub rounds: Vec<Vec<Option<usize>>>,
}

/// Every circuit's rotation, in the order the roster first names each (one,
/// with no name, where it names none): what every station's laptop works
/// out for itself, put side by side for the exam lead to check before the
/// day.
pub fn rotations(roster: &Roster, rubric: &Rubric) -> Vec<Rotation> {
    let named = roster.circuits();
    let circuits: Vec<Option<&str>> = if named.is_empty() {
        vec![None]
    } else {
        named.into_iter().map(Some).collect()
    };
    let stations = rubric.stations.len();
    circuits
        .into_iter()
        .map(|circuit| {
            let plan = rubric
                .stations
                .first()
                .map(|s| CircuitPlan::new(roster, rubric, &s.id, circuit));
            let mut rounds = vec![vec![None; stations]; plan.as_ref().map_or(0, |p| p.rounds.len())];
            for (j, station) in rubric.stations.iter().enumerate() {
                for entry in station_queue(roster, rubric, &station.id, circuit) {
                    if let Some(row) = rounds.get_mut(entry.wave * stations + entry.round) {
                        row[j] = Some(entry.candidate);
                    }
                }
            }
            Rotation {
                circuit: circuit.map(str::to_string),
                start: plan.as_ref().and_then(|p| p.start),
                round: plan.map_or(Duration::ZERO, |p| p.round),
                rounds,
            }
        })
        .collect()
}

/// A circuit with rounds still to begin at some moment, by the roster's
/// start time: the sheets of those rounds are not due yet, not missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ahead {
    /// The circuit, as the roster names it; `None` where it names none.
    pub circuit: Option<String>,
    /// How many rounds the circuit has.
    pub rounds: usize,
    /// The first round not begun (0 for the first): every round from it on
    /// is to come.
    pub next: usize,
    /// When that round begins (where every round has begun, when the last
    /// one ends).
    pub begins: DateTime<Utc>,
    /// The candidate (an index into [`Roster::candidates`]) and station (an
    /// index into the rubric's stations, rest stations included) of every
    /// round to come.
    pub sheets: Vec<(usize, usize)>,
    /// Likewise, of the round under way (none before round 1): its sheets
    /// are being marked, due when `next` begins.
    pub under_way: Vec<(usize, usize)>,
}

/// The circuits whose rotation has a round under way or rounds that have
/// not begun at `now` (only circuits the roster gives a start time, for a
/// timed rubric), in the roster's order: who is still to come at which
/// station, and who is in the room now. `next` is the rounds' count once
/// the last round is under way.
pub fn ahead(roster: &Roster, rubric: &Rubric, now: DateTime<Utc>) -> Vec<Ahead> {
    rotations(roster, rubric)
        .into_iter()
        .filter_map(|rotation| {
            let start = rotation.start?;
            if rotation.round.is_zero() {
                return None;
            }
            let begins = |round: usize| -> Option<DateTime<Utc>> {
                Some(start + chrono::Duration::from_std(rotation.round * u32::try_from(round).ok()?).ok()?)
            };
            let next = (0..=rotation.rounds.len()).find(|&r| begins(r).is_some_and(|t| t > now))?;
            let cells = |rounds: &[Vec<Option<usize>>]| -> Vec<(usize, usize)> {
                rounds
                    .iter()
                    .flat_map(|round| {
                        round
                            .iter()
                            .enumerate()
                            .filter_map(|(station, c)| c.map(|c| (c, station)))
                    })
                    .collect()
            };
            let sheets = cells(&rotation.rounds[next.min(rotation.rounds.len())..]);
            let under_way = match next {
                0 => Vec::new(),
                n => cells(&rotation.rounds[n - 1..n]),
            };
            Some(Ahead {
                circuit: rotation.circuit,
                rounds: rotation.rounds.len(),
                next,
                begins: begins(next)?,
                sheets,
                under_way,
            })
        })
        .collect()
}
