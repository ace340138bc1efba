//! The station timer: reading → station → changeover, computed from a
//! start, recorded pauses and the clock, never counted down.
//!
//! Time is passed in. `now` is a monotonic reading (a `Duration` since any
//! fixed origin, e.g. `Instant::now() - start_of_program`), so the remaining
//! time is always `deadline − elapsed` and cannot drift however often or
//! rarely the screen is redrawn. After a crash the monotonic origin is gone,
//! so [`Timer::restore`] rebuilds the elapsed time from the recorded timer
//! events and the wall clock: the candidate's time kept running while the
//! laptop restarted, and the timer shows that.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::rubric::{TimeUp, Timing};
use crate::store::{PhaseName, TimerAction};

/// What the timer is timing at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    NotStarted,
    Reading,
    Station,
    /// Station time is up and the examiner has not moved on (soft time-up).
    Overrun,
    Changeover,
    Done,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::NotStarted => "not started",
            Phase::Reading => "reading",
            Phase::Station => "station",
            Phase::Overrun => "overrun",
            Phase::Changeover => "changeover",
            Phase::Done => "done",
        }
    }
}

/// The timings of one station, from the rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationTimings {
    pub reading: Duration,
    pub station: Duration,
    /// Time left at each warning call, longest first.
    pub warnings: Vec<Duration>,
    pub changeover: Duration,
    pub hard: bool,
}

impl StationTimings {
    pub fn from_timing(t: &Timing) -> StationTimings {
        let secs = |c: crate::rubric::ClockTime| Duration::from_secs(u64::from(c.seconds()));
        StationTimings {
            reading: secs(t.reading),
            station: secs(t.station),
            warnings: t.warnings.iter().map(|w| secs(*w)).collect(),
            changeover: secs(t.changeover),
            hard: t.time_up == TimeUp::Hard,
        }
    }

    fn station_end(&self) -> Duration {
        self.reading + self.station
    }
}

/// Something that happened on the timer since the last look: to be
/// recorded in the sheet, and for warnings and time-up, to ring the bell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Happening {
    pub action: TimerAction,
    /// Timer time (pauses excluded) at which it happened.
    pub at: Duration,
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Display {
    pub phase: Phase,
    /// Time left in the phase, or the overrun for [`Phase::Overrun`].
    pub time: Duration,
    pub paused: bool,
    /// The warning (time left) most recently passed in the station phase.
    pub warning: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    plan: StationTimings,
    started: bool,
    /// Timer time accumulated before the current running stretch.
    banked: Duration,
    /// Monotonic reading when the current running stretch began.
    running_since: Option<Duration>,
    /// Timer time at which the examiner moved on after a soft time-up.
    advanced_at: Option<Duration>,
    ended: bool,
    /// How far [`Timer::poll`] has already reported, in timer time.
    reported: Duration,
    /// After [`Timer::restore`]: the timer time the journal's records
    /// reach, where what fell due while the program was down begins
    /// ([`Timer::missed`]).
    missed_from: Option<Duration>,
}

impl Timer {
    pub fn new(plan: StationTimings) -> Timer {
        Timer {
            plan,
            started: false,
            banked: Duration::ZERO,
            running_since: None,
            advanced_at: None,
            ended: false,
            reported: Duration::ZERO,
            missed_from: None,
        }
    }

    pub fn plan(&self) -> &StationTimings {
        &self.plan
    }

    pub fn is_started(&self) -> bool {
        self.started
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Timer time so far: running stretches only, pauses excluded.
    pub fn elapsed(&self, now: Duration) -> Duration {
        self.banked
            + self
                .running_since
                .map_or(Duration::ZERO, |since| now.saturating_sub(since))
    }

    pub fn phase_at(&self, elapsed: Duration) -> Phase {
        let p = &self.plan;
        if !self.started {
            Phase::NotStarted
        } else if self.ended {
            Phase::Done
        } else if elapsed < p.reading {
            Phase::Reading
        } else if elapsed < p.station_end() {
            Phase::Station
        } else if p.hard {
            if elapsed < p.station_end() + p.changeover {
                Phase::Changeover
            } else {
                Phase::Done
            }
        } else {
            match self.advanced_at {
                Some(at) if elapsed < at + p.changeover => Phase::Changeover,
                Some(_) => Phase::Done,
                None => Phase::Overrun,
            }
        }
    }

    /// For a soft time-up not yet moved on from: changeover follows the
    /// station's end at once, as for the timer of a sheet already
    /// submitted, whose candidate leaves when their time is up.
    pub fn move_on_at_time_up(&mut self) {
        if !self.plan.hard && self.advanced_at.is_none() {
            self.advanced_at = Some(self.plan.station_end());
        }
    }

    /// The timer time at which changeover ends (the candidate has left):
    /// `None` before a soft time-up is moved on from, and for a timer
    /// not started or ended.
    pub fn done_at(&self) -> Option<Duration> {
        if !self.started || self.ended {
            return None;
        }
        let p = &self.plan;
        if p.hard {
            Some(p.station_end() + p.changeover)
        } else {
            self.advanced_at.map(|at| at + p.changeover)
        }
    }

    /// For a timer stopped before it ran its course (the sheet was
    /// submitted), the phase it was stopped in and the time on it then;
    /// `None` while it runs, and for a timer that finished by itself.
    pub fn stopped_in(&self) -> Option<(Phase, Duration)> {
        if !self.ended {
            return None;
        }
        let running = Timer {
            ended: false,
            ..self.clone()
        };
        match running.phase_at(self.banked) {
            Phase::Done => None,
            phase => Some((phase, self.banked)),
        }
    }

    pub fn display(&self, now: Duration) -> Display {
        let e = self.elapsed(now);
        let p = &self.plan;
        let phase = self.phase_at(e);
        let time = match phase {
            Phase::NotStarted => {
                if p.reading > Duration::ZERO {
                    p.reading
                } else {
                    p.station
                }
            }
            Phase::Reading => p.reading - e,
            Phase::Station => p.station_end() - e,
            Phase::Overrun => e - p.station_end(),
            Phase::Changeover => {
                let start = if p.hard {
                    p.station_end()
                } else {
                    self.advanced_at.unwrap_or(p.station_end())
                };
                (start + p.changeover).saturating_sub(e)
            }
            Phase::Done => Duration::ZERO,
        };
        let warning = if phase == Phase::Station {
            let left = p.station_end() - e;
            p.warnings.iter().copied().filter(|w| left <= *w).min()
        } else {
            None
        };
        Display {
            phase,
            time,
            paused: self.started && !self.ended && self.running_since.is_none(),
            warning,
        }
    }

    /// Starts the timer (reading time first, where there is any).
    pub fn start(&mut self, now: Duration) -> Vec<Happening> {
        self.start_into(now, Duration::ZERO)
    }

    /// Starts the timer `into` its course already: in a circuit timed by
    /// its clock the candidate's time began with their round, `into` ago.
    /// The start is recorded at that timer time, in the phase it is then;
    /// calls that fell due before it are not made. `into` is within the
    /// station's time (reading and station); a later one is taken as its
    /// last moment.
    pub fn start_into(&mut self, now: Duration, into: Duration) -> Vec<Happening> {
        if self.started {
            return Vec::new();
        }
        let into = into.min(self.plan.station_end().saturating_sub(Duration::from_millis(1)));
        self.started = true;
        self.banked = into;
        self.reported = into;
        self.running_since = Some(now);
        let phase = if into < self.plan.reading {
            PhaseName::Reading
        } else {
            PhaseName::Station
        };
        vec![
            Happening {
                action: TimerAction::Start,
                at: into,
            },
            Happening {
                action: TimerAction::Phase { phase },
                at: into,
            },
        ]
    }

    pub fn pause(&mut self, now: Duration, reason: String) -> Vec<Happening> {
        let Some(since) = self.running_since.take() else {
            return Vec::new();
        };
        self.banked += now.saturating_sub(since);
        vec![Happening {
            action: TimerAction::Pause { reason },
            at: self.banked,
        }]
    }

    pub fn resume(&mut self, now: Duration) -> Vec<Happening> {
        self.resume_into(now, Duration::ZERO)
    }

    /// Resumes the timer at timer time `into` where that is later than
    /// where it was paused: in a circuit timed by its clock the round went
    /// on during the pause, and the candidate's time with it. The phase
    /// changes, time-up and end passed meanwhile follow the resume (not the
    /// warnings: their moment has gone).
    pub fn resume_into(&mut self, now: Duration, into: Duration) -> Vec<Happening> {
        if !self.started || self.ended || self.running_since.is_some() {
            return Vec::new();
        }
        let from = self.banked.max(self.reported);
        self.banked = self.banked.max(into);
        self.running_since = Some(now);
        let mut out = vec![Happening {
            action: TimerAction::Resume,
            at: self.banked,
        }];
        let to = self.banked;
        out.extend(
            self.between(from, to)
                .into_iter()
                .filter(|h| !matches!(h.action, TimerAction::Warning { .. })),
        );
        self.reported = self.reported.max(to);
        out
    }

    /// Stops the timer for good where it is (the examiner submitted during
    /// an overrun): the end, with the overrun, goes in the record.
    pub fn end(&mut self, now: Duration) -> Vec<Happening> {
        if !self.started || self.ended {
            return Vec::new();
        }
        let e = self.elapsed(now);
        self.end_at(e, false)
    }

    /// Ends the timer where it stood `ago` before `now` (the end of a
    /// circuit's round by its clock: the candidate left with it), or where
    /// it was paused; never before what was already reported.
    pub fn end_ago(&mut self, now: Duration, ago: Duration) -> Vec<Happening> {
        if !self.started || self.ended {
            return Vec::new();
        }
        let ran = self.running_since.map_or(Duration::ZERO, |since| {
            now.saturating_sub(since).saturating_sub(ago)
        });
        let mut e = (self.banked + ran).max(self.reported);
        // A timer that was to end by itself within a second of then (its
        // start recorded a moment behind the round) ends as it would have.
        if let Some(done) = self.done_at()
            && done > e
            && done - e <= Duration::from_secs(1)
        {
            e = done;
        }
        self.end_at(e, true)
    }

    /// Ends the timer at timer time `e`; with `catch_up`, after what fell
    /// due before it and was not reported yet (a time-up at the very end of
    /// a round), which may be the end itself.
    fn end_at(&mut self, e: Duration, catch_up: bool) -> Vec<Happening> {
        let mut out = match catch_up {
            true => self.between(self.reported, e),
            false => Vec::new(),
        };
        if self.ended {
            return out;
        }
        self.ended = true;
        self.banked = e;
        self.running_since = None;
        self.reported = e;
        out.push(Happening {
            action: TimerAction::End,
            at: e,
        });
        out
    }

    /// After a soft time-up, moves on to changeover.
    pub fn advance(&mut self, now: Duration) -> Vec<Happening> {
        let e = self.elapsed(now);
        if self.phase_at(e) != Phase::Overrun {
            return Vec::new();
        }
        self.advanced_at = Some(e);
        let mut out = vec![
            Happening {
                action: TimerAction::Advance,
                at: e,
            },
            Happening {
                action: TimerAction::Phase {
                    phase: PhaseName::Changeover,
                },
                at: e,
            },
        ];
        // No changeover: the timer ends here. (A poll at this same moment
        // would never see the end cross, and the sheet's end and overrun
        // would go unrecorded.)
        if self.plan.changeover.is_zero() {
            out.extend(self.end(now));
        }
        out
    }

    /// Everything that happened between the last poll and `now`, in order:
    /// phase changes, warnings, time-up, the end. Call it on every tick.
    pub fn poll(&mut self, now: Duration) -> Vec<Happening> {
        let to = self.elapsed(now);
        let out = self.between(self.reported, to);
        if self.started && to > self.reported {
            self.reported = to;
        }
        out
    }

    /// After [`Timer::restore`]: what fell due while the program was down
    /// (phase changes, calls, time-up, the end), at the timer times they
    /// fell due, none of them recorded yet. Given once; [`Timer::poll`]
    /// goes on from the restart.
    pub fn missed(&mut self) -> Vec<Happening> {
        match self.missed_from.take() {
            Some(from) => self.between(from, self.reported),
            None => Vec::new(),
        }
    }

    /// What happens after timer time `from` up to `to`, in order; the end
    /// among them ends the timer.
    fn between(&mut self, from: Duration, to: Duration) -> Vec<Happening> {
        if !self.started || self.ended || to <= from {
            return Vec::new();
        }
        let p = self.plan.clone();
        let mut out = Vec::new();
        let crossed = |t: Duration| from < t && t <= to;
        let phase = |name: PhaseName, at| Happening {
            action: TimerAction::Phase { phase: name },
            at,
        };
        if p.reading > Duration::ZERO && crossed(p.reading) {
            out.push(phase(PhaseName::Station, p.reading));
        }
        for w in &p.warnings {
            let at = p.station_end() - *w;
            if crossed(at) && at >= p.reading {
                out.push(Happening {
                    action: TimerAction::Warning {
                        remaining_s: u32::try_from(w.as_secs()).unwrap_or(u32::MAX),
                    },
                    at,
                });
            }
        }
        if crossed(p.station_end()) {
            out.push(Happening {
                action: TimerAction::TimeUp,
                at: p.station_end(),
            });
            if p.hard {
                out.push(phase(PhaseName::Changeover, p.station_end()));
            }
        }
        let end = if p.hard {
            Some(p.station_end() + p.changeover)
        } else {
            self.advanced_at.map(|a| a + p.changeover)
        };
        if let Some(end) = end
            && crossed(end)
        {
            out.push(Happening {
                action: TimerAction::End,
                at: end,
            });
            self.ended = true;
            self.banked = end;
            self.running_since = None;
        }
        out.sort_by_key(|h| h.at);
        out
    }

    /// Rebuilds a timer from the events recorded in a sheet: `(action,
    /// timer time, wall time)` in the order written. If it was running at
    /// the last start or resume, the wall-clock time since then counts as
    /// running time (the station went on while the program was down), and
    /// from `now` it runs on the monotonic clock again. Calls already passed
    /// are not repeated.
    ///
    /// Only the examiner's own actions (start, pause, resume, advance, end)
    /// anchor the wall clock: they are written the moment they happen,
    /// while phase changes and calls are written up to a tick after the
    /// moment they describe.
    pub fn restore(
        plan: StationTimings,
        events: &[(TimerAction, Duration, DateTime<Utc>)],
        now_wall: DateTime<Utc>,
        now: Duration,
    ) -> Timer {
        let mut t = Timer::new(plan);
        let mut running = false;
        let mut anchor: Option<(Duration, DateTime<Utc>)> = None;
        let mut latest = Duration::ZERO;
        for (action, at, wall) in events {
            match action {
                // The sheet sets aside what came before a reset; a list
                // that still holds one starts again from it.
                TimerAction::Reset => {
                    t = Timer::new(t.plan.clone());
                    running = false;
                    anchor = None;
                    latest = Duration::ZERO;
                    continue;
                }
                TimerAction::Start => {
                    t.started = true;
                    running = true;
                }
                TimerAction::Pause { .. } => running = false,
                TimerAction::Resume => running = true,
                TimerAction::Advance => t.advanced_at = Some(*at),
                TimerAction::End => {
                    t.ended = true;
                    running = false;
                }
                TimerAction::Phase { .. }
                | TimerAction::Warning { .. }
                | TimerAction::TimeUp
                | TimerAction::PauseReason { .. } => {
                    latest = latest.max(*at);
                    continue;
                }
            }
            latest = latest.max(*at);
            anchor = Some((*at, *wall));
        }
        let Some((at, wall)) = anchor else { return t };
        t.banked = at;
        if running {
            // A wall clock that went backwards adds nothing.
            let gap = (now_wall - wall).to_std().unwrap_or(Duration::ZERO);
            t.banked = (at + gap).max(latest);
            t.running_since = Some(now);
        }
        t.reported = t.banked;
        if running && latest < t.banked {
            t.missed_from = Some(latest);
        }
        t
    }
}

/// `m:ss`, rounding the time left up, so that `0:00` shows only when the
/// time is really up and a full ten minutes shows as `10:00`.
pub fn fmt_countdown(d: Duration) -> String {
    let secs = d.as_millis().div_ceil(1000);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// `+m:ss`, rounding down: the overrun in whole seconds so far.
pub fn fmt_overrun(d: Duration) -> String {
    let secs = d.as_secs();
    format!("+{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(hard: bool) -> StationTimings {
        StationTimings {
            reading: Duration::from_secs(60),
            station: Duration::from_secs(600),
            warnings: vec![Duration::from_secs(120), Duration::from_secs(30)],
            changeover: Duration::from_secs(60),
            hard,
        }
    }

    fn s(secs: f64) -> Duration {
        Duration::from_secs_f64(secs)
    }

    fn actions(h: Vec<Happening>) -> Vec<TimerAction> {
        h.into_iter().map(|h| h.action).collect()
    }

    #[test]
    fn phases_and_calls_in_order_on_a_hard_timer() {
        let mut t = Timer::new(plan(true));
        assert_eq!(t.display(s(0.0)).phase, Phase::NotStarted);
        assert_eq!(
            actions(t.start(s(5.0))),
            [
                TimerAction::Start,
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Reading
                }
            ]
        );
        assert_eq!(
            t.display(s(35.0)),
            Display {
                phase: Phase::Reading,
                time: s(30.0),
                paused: false,
                warning: None
            }
        );
        assert_eq!(
            actions(t.poll(s(70.0))),
            [TimerAction::Phase {
                phase: crate::store::PhaseName::Station
            }]
        );
        assert_eq!(t.display(s(70.0)).time, s(595.0));
        // One poll long after: every call is reported once, in order.
        assert_eq!(
            actions(t.poll(s(5.0 + 660.0 + 60.0))),
            [
                TimerAction::Warning { remaining_s: 120 },
                TimerAction::Warning { remaining_s: 30 },
                TimerAction::TimeUp,
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Changeover
                },
                TimerAction::End,
            ]
        );
        assert!(t.poll(s(2000.0)).is_empty());
        assert_eq!(t.display(s(2000.0)).phase, Phase::Done);
    }

    #[test]
    fn soft_time_up_overruns_until_the_examiner_moves_on() {
        let mut t = Timer::new(plan(false));
        t.start(s(0.0));
        let calls = actions(t.poll(s(661.0)));
        assert_eq!(calls.last(), Some(&TimerAction::TimeUp));
        let d = t.display(s(700.5));
        assert_eq!((d.phase, d.time), (Phase::Overrun, s(40.5)));
        assert_eq!(fmt_overrun(d.time), "+0:40");
        assert_eq!(
            actions(t.advance(s(700.5))),
            [
                TimerAction::Advance,
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Changeover
                }
            ]
        );
        assert_eq!(t.display(s(730.5)).time, s(30.0));
        assert_eq!(actions(t.poll(s(761.0))), [TimerAction::End]);
    }

    /// With no changeover, moving on after a soft time-up ends the timer at
    /// once, even where a poll came at that very moment.
    #[test]
    fn moving_on_with_no_changeover_ends_the_timer() {
        let mut t = Timer::new(StationTimings {
            changeover: Duration::ZERO,
            ..plan(false)
        });
        t.start(s(0.0));
        t.poll(s(700.0));
        assert_eq!(
            actions(t.advance(s(700.0))),
            [
                TimerAction::Advance,
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Changeover
                },
                TimerAction::End,
            ]
        );
        assert_eq!(t.display(s(701.0)).phase, Phase::Done);
        assert!(t.poll(s(800.0)).is_empty(), "the end is said once");
    }

    #[test]
    fn pauses_stop_the_clock_and_warnings_show() {
        let mut t = Timer::new(plan(true));
        t.start(s(0.0));
        t.pause(s(100.0), "model unwell".into());
        assert!(t.display(s(500.0)).paused);
        assert_eq!(t.elapsed(s(500.0)), s(100.0));
        t.resume(s(500.0));
        // 100 s before the pause + 460 s after = 560 s: 100 s of station time left.
        let d = t.display(s(960.0));
        assert_eq!(d.time, s(100.0));
        assert_eq!(d.warning, Some(s(120.0)));
    }

    #[test]
    fn ten_minutes_of_ticks_do_not_drift() {
        let mut t = Timer::new(plan(true));
        t.start(s(0.0));
        // Irregular ticks, as a busy machine gives them.
        let mut now = 0.0;
        while now < 600.0 {
            now += 0.037 + (now * 7.0) % 0.3;
            t.poll(s(now));
        }
        assert_eq!(t.elapsed(s(600.0)), s(600.0));
        assert_eq!(fmt_countdown(t.display(s(600.0)).time), "1:00");
    }

    #[test]
    fn restore_after_a_crash_counts_the_time_the_program_was_down() {
        let t0: DateTime<Utc> = "2026-11-22T09:00:00Z".parse().expect("time");
        let events = vec![
            (TimerAction::Start, s(0.0), t0),
            (
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Station,
                },
                s(60.0),
                t0 + chrono::Duration::seconds(60),
            ),
            (
                TimerAction::Warning { remaining_s: 120 },
                s(540.0),
                t0 + chrono::Duration::seconds(540),
            ),
        ];
        // Restarted 100 s after the warning was written.
        let mut t = Timer::restore(plan(true), &events, t0 + chrono::Duration::seconds(640), s(3.0));
        assert!(t.is_running());
        assert_eq!(t.elapsed(s(3.0)), s(640.0));
        assert_eq!(t.display(s(3.0)).time, s(20.0));
        // The 0:30 call was passed while down: not rung now, but given
        // once, to be recorded as after a restart.
        assert!(t.poll(s(3.0)).is_empty());
        assert_eq!(actions(t.missed()), [TimerAction::Warning { remaining_s: 30 }]);
        assert!(t.missed().is_empty());
        assert_eq!(
            actions(t.poll(s(23.0))),
            [
                TimerAction::TimeUp,
                TimerAction::Phase {
                    phase: crate::store::PhaseName::Changeover
                }
            ]
        );

        // Paused before the crash: the downtime does not count.
        let paused = vec![
            (TimerAction::Start, s(0.0), t0),
            (
                TimerAction::Pause { reason: "x".into() },
                s(200.0),
                t0 + chrono::Duration::seconds(200),
            ),
        ];
        let t = Timer::restore(plan(true), &paused, t0 + chrono::Duration::seconds(5000), s(1.0));
        assert_eq!(t.elapsed(s(50.0)), s(200.0));
        assert!(t.display(s(50.0)).paused);
    }

    #[test]
    fn countdown_text() {
        assert_eq!(fmt_countdown(s(600.0)), "10:00");
        assert_eq!(fmt_countdown(s(599.01)), "10:00");
        assert_eq!(fmt_countdown(s(0.2)), "0:01");
        assert_eq!(fmt_countdown(s(0.0)), "0:00");
        assert_eq!(fmt_overrun(s(61.9)), "+1:01");
    }
}
