//! The logbook gate applied to checked entries: each candidate's verdict,
//! with what is missing in words. Pure: no file, no clock.

use std::collections::BTreeMap;

use super::read::{Entry, Supervision};
use crate::rubric::{Audited, LogbookGate};

/// One thing a candidate's logbook lacks. [`Shortfall::words`] says it
/// with the gate's noun for an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortfall {
    /// Fewer entries in all than the gate asks for (left out when the
    /// minima of both kinds of supervision add up to the total or more, so
    /// that their shortfalls say it).
    Total { have: u32, need: u32 },
    /// Fewer entries of one kind of supervision.
    Supervision { kind: Supervision, have: u32, need: u32 },
    /// `audited: All`: this many assisted entries are not audited.
    NotAudited { count: u32 },
    /// Fewer audited assisted entries than `audited: Count` or `Percent`
    /// asks for.
    Audited { have: u32, need: u32 },
    /// Fewer entries in a region than its minimum.
    Region { region: String, have: u32, need: u32 },
    /// Fewer audited entries in a region than `audited_per_region`.
    RegionAudited { region: String, have: u32, need: u32 },
    /// `mentor_required`: this many entries name no mentor.
    NoMentor { count: u32 },
}

impl Shortfall {
    /// The shortfall in words, with `one` and `many` the gate's noun for
    /// an entry: `32 more unassisted scans`, `no wrist scan audited`.
    pub fn words(&self, one: &str, many: &str) -> String {
        let noun = |n: u32| if n == 1 { one } else { many };
        match self {
            Shortfall::Total { have, need } => {
                let n = need - have;
                format!("{n} more {}", noun(n))
            }
            Shortfall::Supervision { kind, have, need } => {
                let n = need - have;
                format!("{n} more {} {}", kind.word(), noun(n))
            }
            Shortfall::NotAudited { count } => {
                format!("{count} assisted {} not audited", noun(*count))
            }
            Shortfall::Audited { have, need } => {
                let n = need - have;
                format!("{n} more audited assisted {}", noun(n))
            }
            Shortfall::Region { region, have, need } => {
                if *have == 0 && *need == 1 {
                    format!("no {region} {one}")
                } else {
                    let n = need - have;
                    format!("{n} more {region} {}", noun(n))
                }
            }
            Shortfall::RegionAudited { region, have, need } => {
                if *have == 0 && *need == 1 {
                    format!("no {region} {one} audited")
                } else {
                    let n = need - have;
                    format!("{n} more audited {region} {}", noun(n))
                }
            }
            Shortfall::NoMentor { count } => {
                let verb = if *count == 1 { "names" } else { "name" };
                format!("{count} {} {verb} no mentor", noun(*count))
            }
        }
    }
}

/// One candidate's logbook against the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateVerdict {
    pub candidate: String,
    /// Entries in all, assisted, unassisted, and audited (of any kind).
    pub total: u32,
    pub assisted: u32,
    pub unassisted: u32,
    pub audited: u32,
    /// True exactly when `missing` is empty.
    pub eligible: bool,
    /// Everything the logbook lacks, in the gate's order: the total, each
    /// kind of supervision, auditing, each region, sign-off.
    pub missing: Vec<Shortfall>,
}

impl CandidateVerdict {
    /// What is missing in words, joined with `; `, with the gate's noun for
    /// an entry; empty when nothing is.
    pub fn reason(&self, gate: &LogbookGate) -> String {
        self.missing
            .iter()
            .map(|s| s.words(&gate.entry, &gate.entries))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Counts for one candidate, gathered in one pass over the entries.
#[derive(Default)]
struct Tally {
    total: u32,
    assisted: u32,
    unassisted: u32,
    audited: u32,
    assisted_audited: u32,
    no_mentor: u32,
    /// Region → (entries, audited entries).
    regions: BTreeMap<String, (u32, u32)>,
}

impl LogbookGate {
    /// Each candidate named in `entries` (checked by [`super::parse`]),
    /// in the order of their ids, with their verdict. Candidates with no
    /// entries are not known here: a roster says who they are.
    pub fn evaluate(&self, entries: &[Entry]) -> Vec<CandidateVerdict> {
        let by_region = !self.region_minimum.is_empty() || self.audited_per_region.is_some();
        let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
        for e in entries {
            let t = tallies.entry(e.candidate.as_str()).or_default();
            t.total = t.total.saturating_add(1);
            match e.supervision {
                Supervision::Assisted => t.assisted = t.assisted.saturating_add(1),
                Supervision::Unassisted => t.unassisted = t.unassisted.saturating_add(1),
            }
            if e.audited {
                t.audited = t.audited.saturating_add(1);
                if e.supervision == Supervision::Assisted {
                    t.assisted_audited = t.assisted_audited.saturating_add(1);
                }
            }
            if e.mentor.trim().is_empty() {
                t.no_mentor = t.no_mentor.saturating_add(1);
            }
            if by_region {
                let r = match t.regions.get_mut(e.region.as_str()) {
                    Some(r) => r,
                    None => t.regions.entry(e.region.clone()).or_default(),
                };
                r.0 = r.0.saturating_add(1);
                if e.audited {
                    r.1 = r.1.saturating_add(1);
                }
            }
        }
        tallies
            .into_iter()
            .map(|(candidate, t)| self.verdict(candidate, &t))
            .collect()
    }

    fn verdict(&self, candidate: &str, t: &Tally) -> CandidateVerdict {
        let mut missing = Vec::new();
        // When both kinds have minima that add up to the total or more,
        // the kinds' shortfalls say everything the total's would.
        let kinds_cover_total = match (self.assisted, self.unassisted) {
            (Some(a), Some(u)) => u64::from(a) + u64::from(u) >= u64::from(self.total),
            _ => false,
        };
        if t.total < self.total && !kinds_cover_total {
            missing.push(Shortfall::Total {
                have: t.total,
                need: self.total,
            });
        }
        for (kind, have, need) in [
            (Supervision::Assisted, t.assisted, self.assisted),
            (Supervision::Unassisted, t.unassisted, self.unassisted),
        ] {
            if let Some(need) = need
                && have < need
            {
                missing.push(Shortfall::Supervision { kind, have, need });
            }
        }
        let audited_need = match self.audited {
            None => None,
            Some(Audited::All) => {
                let count = t.assisted - t.assisted_audited;
                if count > 0 {
                    missing.push(Shortfall::NotAudited { count });
                }
                None
            }
            Some(Audited::Count(need)) => Some(need),
            Some(Audited::Percent(p)) => Some(percent_of(p, t.assisted)),
        };
        if let Some(need) = audited_need
            && t.assisted_audited < need
        {
            missing.push(Shortfall::Audited {
                have: t.assisted_audited,
                need,
            });
        }
        for (region, need) in &self.region_minimum {
            let have = t.regions.get(region).map_or(0, |r| r.0);
            if have < *need {
                missing.push(Shortfall::Region {
                    region: region.clone(),
                    have,
                    need: *need,
                });
            }
        }
        if let Some(need) = self.audited_per_region {
            for region in &self.regions {
                let have = t.regions.get(region).map_or(0, |r| r.1);
                if have < need {
                    missing.push(Shortfall::RegionAudited {
                        region: region.clone(),
                        have,
                        need,
                    });
                }
            }
        }
        if self.mentor_required && t.no_mentor > 0 {
            missing.push(Shortfall::NoMentor { count: t.no_mentor });
        }
        CandidateVerdict {
            candidate: candidate.to_string(),
            total: t.total,
            assisted: t.assisted,
            unassisted: t.unassisted,
            audited: t.audited,
            eligible: missing.is_empty(),
            missing,
        }
    }
}

/// `p`% of `n`, rounded up: the audited entries `Percent(p)` asks for. A
/// tiny tolerance keeps 30% of 10 at 3, not 4.
fn percent_of(p: f64, n: u32) -> u32 {
    let exact = p / 100.0 * f64::from(n);
    // At most n (p ≤ 100), so the cast cannot overflow.
    (exact - 1e-9).ceil().clamp(0.0, f64::from(n)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn gate() -> LogbookGate {
        LogbookGate {
            component: "logbook".into(),
            entry: "scan".into(),
            entries: "scans".into(),
            total: 4,
            assisted: Some(2),
            unassisted: Some(2),
            audited: Some(Audited::All),
            regions: vec!["knee".into(), "wrist".into()],
            region_minimum: vec![("knee".into(), 2)],
            audited_per_region: Some(1),
            from: None,
            to: None,
            mentor_required: true,
        }
    }

    fn entry(candidate: &str, region: &str, supervision: Supervision, audited: bool, mentor: &str) -> Entry {
        Entry {
            line: 2,
            candidate: candidate.into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
            region: region.into(),
            supervision,
            mentor: mentor.into(),
            audited,
            reference: String::new(),
        }
    }

    use Supervision::{Assisted, Unassisted};

    #[test]
    fn a_complete_logbook_is_eligible() {
        let g = gate();
        let entries = vec![
            entry("C1", "knee", Assisted, true, "M"),
            entry("C1", "wrist", Assisted, true, "M"),
            entry("C1", "knee", Unassisted, false, "M"),
            entry("C1", "knee", Unassisted, false, "M"),
        ];
        let v = g.evaluate(&entries);
        assert_eq!(v.len(), 1);
        assert!(v[0].eligible, "{:?}", v[0]);
        assert_eq!(v[0].reason(&g), "");
        assert_eq!(
            (v[0].total, v[0].assisted, v[0].unassisted, v[0].audited),
            (4, 2, 2, 2)
        );
    }

    #[test]
    fn every_shortfall_is_said_in_words() {
        let g = gate();
        let entries = vec![
            entry("C2", "knee", Assisted, false, ""),
            entry("C1", "wrist", Unassisted, false, "M"),
        ];
        let v = g.evaluate(&entries);
        assert_eq!(
            v.iter().map(|v| v.candidate.as_str()).collect::<Vec<_>>(),
            ["C1", "C2"]
        );
        assert_eq!(
            v[0].reason(&g),
            "2 more assisted scans; 1 more unassisted scan; 2 more knee scans; \
             no knee scan audited; no wrist scan audited"
        );
        assert_eq!(
            v[1].reason(&g),
            "1 more assisted scan; 2 more unassisted scans; 1 assisted scan not audited; \
             1 more knee scan; no knee scan audited; no wrist scan audited; 1 scan names no mentor"
        );
        assert!(!v[0].eligible && !v[1].eligible);
    }

    #[test]
    fn audited_counts_and_percentages() {
        let mut g = gate();
        g.region_minimum.clear();
        g.audited_per_region = None;
        g.mentor_required = false;
        g.total = 1;
        g.assisted = None;
        g.unassisted = None;
        let entries: Vec<Entry> = (0..10)
            .map(|i| entry("C1", "knee", Assisted, i < 3, "M"))
            .collect();
        g.audited = Some(Audited::Percent(30.0));
        assert!(g.evaluate(&entries)[0].eligible);
        g.audited = Some(Audited::Percent(31.0));
        assert_eq!(g.evaluate(&entries)[0].reason(&g), "1 more audited assisted scan");
        g.audited = Some(Audited::Count(5));
        assert_eq!(
            g.evaluate(&entries)[0].reason(&g),
            "2 more audited assisted scans"
        );
        g.audited = Some(Audited::All);
        assert_eq!(g.evaluate(&entries)[0].reason(&g), "7 assisted scans not audited");
    }

    #[test]
    fn the_total_is_said_when_the_kinds_do_not_cover_it() {
        let mut g = gate();
        g.region_minimum.clear();
        g.audited_per_region = None;
        g.total = 10;
        let entries = vec![entry("C1", "knee", Unassisted, false, "M")];
        assert_eq!(
            g.evaluate(&entries)[0].reason(&g),
            "9 more scans; 2 more assisted scans; 1 more unassisted scan"
        );
        g.assisted = None;
        assert_eq!(
            g.evaluate(&entries)[0].reason(&g),
            "9 more scans; 1 more unassisted scan"
        );
    }

    #[test]
    fn percentages_round_up() {
        assert_eq!(percent_of(30.0, 10), 3);
        assert_eq!(percent_of(31.0, 10), 4);
        assert_eq!(percent_of(100.0, 7), 7);
        assert_eq!(percent_of(50.0, 0), 0);
        assert_eq!(percent_of(0.1, 1), 1);
    }

    #[test]
    fn the_injection_noun_is_used() {
        let mut g = gate();
        g.entry = "injection".into();
        g.entries = "injections".into();
        let s = Shortfall::Total { have: 3, need: 35 };
        assert_eq!(s.words(&g.entry, &g.entries), "32 more injections");
        let s = Shortfall::Region {
            region: "knee".into(),
            have: 1,
            need: 3,
        };
        assert_eq!(s.words("injection", "injections"), "2 more knee injections");
    }
}
