//! A plain-text summary of a rubric for a module leader to proof-read
//! (`osce show`): every station, timing, item, maximum, critical item and
//! rule, in words.

use std::fmt::Write;

use super::*;
use crate::scoring::fmt_marks;

pub fn kind_name(kind: AssessmentKind) -> &'static str {
    match kind {
        AssessmentKind::Osce => "OSCE",
        AssessmentKind::PracticalExam => "Practical exam",
        AssessmentKind::FinalClinicalAssessment => "Final clinical assessment",
    }
}

/// Renders the summary. Lines are at most about 100 characters, except
/// where a long item text needs more.
pub fn summary(rubric: &Rubric) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_summary(&mut out, rubric);
    out
}

fn write_summary(out: &mut String, r: &Rubric) -> std::fmt::Result {
    writeln!(out, "{}", r.title)?;
    writeln!(out, "{}", "=".repeat(r.title.chars().count()))?;
    writeln!(
        out,
        "Id: {} · version {} · {}",
        r.id,
        r.version,
        kind_name(r.kind)
    )?;
    if let Some(course) = &r.course {
        writeln!(out, "Course: {course}")?;
    }
    if let Some(module) = &r.module {
        writeln!(out, "Module: {module}")?;
    }
    if let Some(description) = &r.description {
        writeln!(out, "{description}")?;
    }
    let scored = r.scored_stations().count();
    let rest = r.stations.len() - scored;
    let items: usize = r.stations.iter().map(|s| s.items.len()).sum();
    let critical = r
        .stations
        .iter()
        .flat_map(|s| &s.items)
        .filter(|i| i.critical != Critical::No)
        .count();
    write!(out, "\n{scored} scored {}", r.noun().many())?;
    if rest > 0 {
        write!(out, " and {rest} rest")?;
    }
    writeln!(
        out,
        " · {items} items, {critical} critical · maximum {} marks (from the items)",
        fmt_marks(r.total_max())
    )?;

    for (n, station) in r.stations.iter().enumerate() {
        writeln!(out)?;
        station_summary(out, r, n + 1, station)?;
    }

    writeln!(out, "\nOverall pass rules (all must hold)")?;
    for (n, rule) in r.pass_rules.iter().enumerate() {
        writeln!(out, "  {}. {}", n + 1, rule_words(r, rule))?;
    }
    if r.stations
        .iter()
        .flat_map(|s| &s.items)
        .any(|i| i.critical == Critical::FailsAssessment)
    {
        writeln!(
            out,
            "  Also: a critical item marked \"fails the assessment\" fails it under any rule."
        )?;
    }
    if let Some(c) = &r.components {
        writeln!(out, "\nComponents")?;
        for part in &c.parts {
            let kind = match part.weight {
                Some(w) => format!("{}% of the module mark", fmt_marks(w)),
                None => "pass/fail, no weight".to_string(),
            };
            let gate = r.logbook.as_ref().filter(|g| g.component == part.id);
            let source = if let Some(g) = gate {
                let regions = if g.regions.is_empty() {
                    "any region".to_string()
                } else {
                    format!("regions {}", g.regions.join(", "))
                };
                format!(
                    "decided by the logbook gate (`osce logbook`): {}; {regions}",
                    g.summary()
                )
            } else if part.stations.is_empty() {
                "mark supplied from outside this rubric".to_string()
            } else {
                format!("{} {}", r.noun().many(), part.stations.join(", "))
            };
            let pass = part
                .pass_percent
                .map(|p| format!(", pass at {}%", fmt_marks(p)))
                .unwrap_or_default();
            writeln!(out, "  - {} [{}]: {kind}; {source}{pass}", part.title, part.id)?;
        }
        if let Some(p) = c.pass_percent {
            writeln!(out, "  Module mark pass: {}%", fmt_marks(p))?;
        }
    }

    writeln!(out, "\nModeration: {}", moderation_words(r))?;
    if !r.assessors.is_empty() {
        writeln!(out, "External assessors expected: {}.", r.assessors.join(", "))?;
    }
    writeln!(out, "Double marking: {}", double_marking_words(&r.double_marking))?;
    let fb = &r.candidate_feedback;
    let mut shown = Vec::new();
    if fb.comments {
        shown.push("examiners' feedback comments");
    }
    if fb.station_results {
        shown.push(match r.noun() {
            crate::rubric::Noun::Station => "station scores and results",
            crate::rubric::Noun::Case => "case scores and results",
        });
    }
    if fb.item_levels {
        shown.push("the level given for each item");
    }
    if fb.global_rating {
        shown.push("global ratings");
    }
    let shown = if shown.is_empty() {
        "only the overall result".to_string()
    } else {
        shown.join(", ")
    };
    writeln!(
        out,
        "Candidates' feedback shows: {shown} (never private notes or concerns)."
    )?;
    if let Some(columns) = &r.marks_csv {
        let cols: Vec<String> = columns
            .iter()
            .map(|c| {
                let what = match &c.source {
                    crate::rubric::MarksSource::Field(field) => field.clone(),
                    crate::rubric::MarksSource::Constant(value) => format!("always \"{value}\""),
                };
                let values: Vec<String> = c
                    .values
                    .iter()
                    .map(|(from, to)| format!("{from} as \"{to}\""))
                    .collect();
                if values.is_empty() {
                    format!("\"{}\" ({what})", c.header)
                } else {
                    format!("\"{}\" ({what}; {})", c.header, values.join(", "))
                }
            })
            .collect();
        writeln!(out, "Marks upload file (marks.csv) columns: {}.", cols.join(", "))?;
    }
    writeln!(
        out,
        "Examiners {} the running total while marking.",
        if r.examiner_view.show_running_total {
            "see"
        } else {
            "do not see"
        }
    )?;

    writeln!(out, "\nScales")?;
    for (index, scale) in r.scales.iter().enumerate() {
        let this = super::model::ScaleIndex(index);
        let for_items = r.stations.iter().flat_map(|s| &s.items).any(|i| i.scale == this);
        let for_global = r
            .stations
            .iter()
            .filter_map(|s| s.global_rating.as_ref())
            .any(|g| g.scale == this);
        let levels: Vec<String> = scale
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut s = format!("{} = {}", l.label, fmt_marks(l.mark));
                if Some(i) == scale.borderline {
                    s.push_str(" [borderline]");
                }
                s
            })
            .collect();
        let levels = if scale.numeric {
            format!("whole marks 0 to {}", fmt_marks(scale.max_mark()))
        } else {
            levels.join(" · ")
        };
        write!(out, "  {}: {levels}", scale.id)?;
        // Where the standard is met matters to items (critical items,
        // items met); a global rating's pass is its station's pass mark.
        if for_items || !for_global {
            write!(
                out,
                "; meets the standard from \"{}\"",
                scale.levels[scale.meets].label
            )?;
        }
        if for_global {
            write!(out, "; the global rating's scale")?;
        }
        if scale.not_observed {
            write!(out, "; \"not observed\" allowed")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn station_summary(out: &mut String, r: &Rubric, n: usize, s: &Station) -> std::fmt::Result {
    if s.rest {
        writeln!(out, "{n}. {} [{}] — rest station", s.title, s.id)?;
        if let Some(t) = &s.timing {
            writeln!(out, "   Timing: {}", timing_words(t))?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{n}. {} [{}] — maximum {} marks",
        s.title,
        s.id,
        fmt_marks(r.station_max(s))
    )?;
    match &s.timing {
        Some(t) => writeln!(out, "   Timing: {}", timing_words(t))?,
        None => writeln!(out, "   Timing: untimed")?,
    }
    if let Some(text) = &s.candidate_instructions {
        writeln!(out, "   Candidate instructions: {}", one_line(text))?;
    }
    if let Some(text) = &s.examiner_notes {
        writeln!(out, "   Examiner notes: {}", one_line(text))?;
    }
    writeln!(out, "   Items:")?;
    let id_width = s.items.iter().map(|i| i.id.chars().count()).max().unwrap_or(0);
    for item in &s.items {
        let scale = r.scale(item.scale);
        let marks: Vec<String> = scale
            .levels
            .iter()
            .map(|l| fmt_marks(l.mark * item.weight))
            .collect();
        let marks = if scale.numeric {
            format!("0–{}", fmt_marks(scale.max_mark() * item.weight))
        } else {
            marks.join("/")
        };
        let weight = if (item.weight - 1.0).abs() > f64::EPSILON {
            format!(" (×{})", fmt_marks(item.weight))
        } else {
            String::new()
        };
        write!(
            out,
            "     {:<id_width$}  {}  [{}: {marks}{weight}; max {}]",
            item.id,
            item.text,
            scale.id,
            fmt_marks(r.item_max(item))
        )?;
        match item.critical {
            Critical::No => {}
            Critical::FailsStation => write!(
                out,
                "  CRITICAL: below \"{}\" fails the {}",
                scale.levels[item.meets].label,
                r.noun().one()
            )?,
            Critical::FailsAssessment => write!(
                out,
                "  CRITICAL: below \"{}\" fails the assessment",
                scale.levels[item.meets].label
            )?,
        }
        writeln!(out)?;
    }
    if let Some(g) = &s.global_rating {
        let scale = r.scale(g.scale);
        let borderline = scale
            .borderline
            .map(|b| format!("; borderline \"{}\"", scale.levels[b].label))
            .unwrap_or_default();
        writeln!(
            out,
            "   Global rating: scale {}{borderline} (not added to the score)",
            scale.id
        )?;
    }
    if let Some(p) = &s.pass_mark {
        writeln!(out, "   Pass: {}", pass_mark_words(r, s, p))?;
    }
    let critical: Vec<&str> = s
        .items
        .iter()
        .filter(|i| i.critical != Critical::No)
        .map(|i| i.id.as_str())
        .collect();
    if !critical.is_empty() {
        writeln!(out, "   Critical items: {}", critical.join(", "))?;
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn timing_words(t: &Timing) -> String {
    let mut parts = Vec::new();
    if t.reading.seconds() > 0 {
        parts.push(format!("reading {}", t.reading));
    }
    parts.push(format!("station {}", t.station));
    if !t.warnings.is_empty() {
        let w: Vec<String> = t.warnings.iter().map(ToString::to_string).collect();
        parts.push(format!("warnings at {} left", w.join(" and ")));
    }
    if t.changeover.seconds() > 0 {
        parts.push(format!("changeover {}", t.changeover));
    }
    parts.push(match t.time_up {
        TimeUp::Hard => "hard time-up (moves on by itself)".to_string(),
        TimeUp::Soft => "soft time-up (examiner moves on)".to_string(),
    });
    parts.join(" · ")
}

pub fn pass_mark_words(r: &Rubric, s: &Station, p: &PassMark) -> String {
    let max = r.station_max(s);
    let fixed = |m: &FixedMark| match m {
        FixedMark::Marks(x) => format!("{} of {} marks", fmt_marks(*x), fmt_marks(max)),
        FixedMark::Percent(x) => format!(
            "{}% = {} of {} marks",
            fmt_marks(*x),
            fmt_marks(x / 100.0 * max),
            fmt_marks(max)
        ),
    };
    match p {
        PassMark::Fixed(m) => format!("score at least {}", fixed(m)),
        PassMark::StandardSet { method, provisional } => {
            format!(
                "standard-set by {method}; until then provisional pass mark {}",
                fixed(provisional)
            )
        }
        // A station without critical items is said without them.
        PassMark::Competency { percent } if s.items.iter().all(|i| i.critical == Critical::No) => {
            format!("at least {}% of the items met", fmt_marks(*percent))
        }
        PassMark::Competency { percent } => {
            format!(
                "every critical item met and at least {}% of the other items met",
                fmt_marks(*percent)
            )
        }
        PassMark::GlobalRatingAtLeast(level) => {
            let label = s
                .global_rating
                .as_ref()
                .map(|g| r.scale(g.scale).levels[*level].label.clone())
                .unwrap_or_default();
            format!("global rating \"{label}\" or above")
        }
    }
}

pub fn rule_words(r: &Rubric, rule: &PassRule) -> String {
    match rule {
        PassRule::TotalAtLeast { cut, plus_sem } => {
            let base = match cut {
                Cut::SumOfStationPassMarks => {
                    let sum: f64 = r
                        .scored_stations()
                        .filter_map(|s| match &s.pass_mark {
                            Some(PassMark::Fixed(m)) => Some(m.in_marks(r.station_max(s))),
                            Some(PassMark::StandardSet { provisional, .. }) => {
                                Some(provisional.in_marks(r.station_max(s)))
                            }
                            _ => None,
                        })
                        .sum();
                    format!(
                        "the sum of the station pass marks ({} of {} with the pass marks as written)",
                        fmt_marks(sum),
                        fmt_marks(r.total_max())
                    )
                }
                Cut::Fixed(FixedMark::Marks(m)) => {
                    format!("{} of {} marks", fmt_marks(*m), fmt_marks(r.total_max()))
                }
                Cut::Fixed(FixedMark::Percent(p)) => format!(
                    "{}% of the maximum ({} of {})",
                    fmt_marks(*p),
                    fmt_marks(p / 100.0 * r.total_max()),
                    fmt_marks(r.total_max())
                ),
            };
            let sem = if *plus_sem > 0.0 {
                format!(" plus {} × SEM", fmt_marks(*plus_sem))
            } else {
                String::new()
            };
            format!("Total score at least {base}{sem}.")
        }
        PassRule::StationsPassed(n) => {
            let scored = r.scored_stations().count();
            if *n == scored {
                format!("Every {} passed ({n} of {scored}).", r.noun().one())
            } else {
                format!("At least {n} of {scored} {} passed.", r.noun().many())
            }
        }
        PassRule::MustPass(ids) => {
            let titles: Vec<String> = ids
                .iter()
                .map(|id| {
                    r.station(id)
                        .map_or(id.clone(), |s| format!("{} [{id}]", s.title))
                })
                .collect();
            format!("These {} must be passed: {}.", r.noun().many(), titles.join(", "))
        }
        PassRule::NoCriticalFail => "No critical item failed.".to_string(),
        PassRule::Competency { percent } => format!(
            "Every critical item met, and at least {}% of all other items met.",
            fmt_marks(*percent)
        ),
        PassRule::Components => "The component rules below hold.".to_string(),
    }
}

fn moderation_words(r: &Rubric) -> String {
    // Borderline sheets are those given a borderline global rating: a
    // rubric without one has none to say.
    let borderline = r
        .stations
        .iter()
        .filter_map(|s| s.global_rating.as_ref())
        .any(|g| r.scale(g.scale).borderline.is_some());
    match &r.moderation {
        ModerationPolicy::None => "none".to_string(),
        ModerationPolicy::Sample { percent } if !borderline => format!(
            "external assessor reviews all fails and {}% of the rest",
            fmt_marks(*percent)
        ),
        ModerationPolicy::Sample { percent } => format!(
            "external assessor reviews all fails, all borderline sheets and {}% of the rest",
            fmt_marks(*percent)
        ),
        ModerationPolicy::All => {
            "every sheet is moderated by an external assessor before results are final".to_string()
        }
    }
}

fn double_marking_words(d: &DoubleMarking) -> String {
    let mode = match d.mode {
        DoubleMarkingMode::None => return "none".to_string(),
        DoubleMarkingMode::Optional => "optional",
        DoubleMarkingMode::Required => "required",
    };
    let threshold = match d.discrepancy {
        Some(FixedMark::Marks(m)) => format!("; a difference over {} marks is a discrepancy", fmt_marks(m)),
        Some(FixedMark::Percent(p)) => format!("; a difference over {}% is a discrepancy", fmt_marks(p)),
        None => String::new(),
    };
    let reconcile = match d.reconcile {
        Reconcile::Mean => "the mean of the two marks",
        Reconcile::AgreedMark => "a mark the markers agree",
        Reconcile::ThirdMarker => "a third marker",
    };
    format!("{mode}{threshold}; reconciled by {reconcile}")
}
