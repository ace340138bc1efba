//! `osce check RUBRIC --roster FILE.csv`: the roster checked against the
//! rubric before the day, its warnings said, and each circuit's rotation
//! printed round by round, as every station's laptop will work it out.

use std::path::Path;

use osce::day::circuit::{Rotation, rotations};
use osce::day::roster::{Roster, read_roster};
use osce::rubric::Rubric;

use super::{EXIT_INVALID, EXIT_USAGE};

/// Checks the roster at `path` against `rubric`: the exit code (0, or
/// [`EXIT_INVALID`] for a roster with errors, or warnings with `strict`;
/// [`EXIT_USAGE`] where it cannot be read).
pub fn check_roster(rubric: &Rubric, path: &Path, strict: bool, quiet: bool) -> u8 {
    let (roster, warnings) = match read_roster(path, rubric) {
        Ok(read) => read,
        Err(e) => {
            errln!("error: {e}");
            return if e.is_io() { EXIT_USAGE } else { EXIT_INVALID };
        }
    };
    for w in &warnings {
        errln!("warning: {}: {w}", path.display());
    }
    let circuits = roster.circuits();
    // With --quiet, problems only: the warnings above.
    if !quiet {
        say_roster(rubric, path, &roster, &circuits, warnings.len());
    }
    if strict && !warnings.is_empty() {
        errln!("{}: warnings are errors with --strict", path.display());
        return EXIT_INVALID;
    }
    0
}

/// The roster checked: its candidates and circuits, and each circuit's
/// rotation.
fn say_roster(rubric: &Rubric, path: &Path, roster: &Roster, circuits: &[&str], warnings: usize) {
    let plural = osce::base::text::plural;
    outln!(
        "ok: {} is valid: {}{}{}",
        path.display(),
        plural(roster.candidates.len(), "candidate", "candidates"),
        match circuits.len() {
            0 => String::new(),
            n => format!(
                " in {} ({})",
                plural(n, "circuit", "circuits"),
                circuits.join(", ")
            ),
        },
        if warnings == 0 {
            String::new()
        } else {
            format!(" ({})", plural(warnings, "warning", "warnings"))
        }
    );
    for rotation in rotations(roster, rubric) {
        outln!();
        for line in table(&rotation, roster, rubric) {
            outln!("{line}");
        }
    }
}

/// A circuit's rotation as lines of text: a heading, then a row per round
/// with the candidate at each station (`·` where nobody is).
fn table(rotation: &Rotation, roster: &Roster, rubric: &Rubric) -> Vec<String> {
    // A round's length in words ("13:00" would read as a time of day).
    let length = |secs: u64| match (secs / 60, secs % 60) {
        (0, 0) => String::new(),
        (m, 0) => format!(
            " of {}",
            osce::base::text::plural(m as usize, "minute", "minutes")
        ),
        (0, s) => format!(" of {s} s"),
        (m, s) => format!(" of {m} min {s} s"),
    };
    let candidates = roster
        .candidates
        .iter()
        .filter(|c| c.circuit == rotation.circuit)
        .count();
    let mut heading = format!(
        "{}: {}, {}{}",
        rotation
            .circuit
            .as_deref()
            .map_or("The circuit".to_string(), |c| format!("Circuit {c}")),
        osce::base::text::plural(candidates, "candidate", "candidates"),
        osce::base::text::plural(rotation.rounds.len(), "round", "rounds"),
        length(rotation.round.as_secs())
    );
    // The times in the offset the roster wrote them in (none for an
    // untimed rubric: every round would begin at once).
    let start = rotation
        .start
        .filter(|_| !rotation.round.is_zero())
        .map(|utc| utc.with_timezone(&roster.start_offset(rotation.circuit.as_deref())));
    // Seconds only where a round begins within a minute (a start at
    // 09:00:30, or rounds of 2 min 50 s): never a time cut to the minute.
    let seconds = start.is_some_and(|s| {
        use chrono::Timelike;
        s.second() != 0 || !rotation.round.as_secs().is_multiple_of(60)
    });
    let clock = if seconds { "%H:%M:%S" } else { "%H:%M" };
    if let Some(start) = start {
        heading.push_str(&format!(
            ", from {} {} (UTC{})",
            start.format("%Y-%m-%d"),
            start.format(clock),
            start.format("%:z")
        ));
    }
    let mut header = vec!["round".to_string()];
    if start.is_some() {
        header.push("begins".to_string());
    }
    header.extend(rubric.stations.iter().map(|s| s.id.clone()));
    let mut rows = vec![header];
    for (i, round) in rotation.rounds.iter().enumerate() {
        let mut row = vec![(i + 1).to_string()];
        if let Some(start) = start {
            let at = start + chrono::Duration::from_std(rotation.round * i as u32).unwrap_or_default();
            row.push(at.format(clock).to_string());
        }
        row.extend(
            round
                .iter()
                .map(|c| c.map_or("·".to_string(), |c| roster.candidates[c].id.clone())),
        );
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|k| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0))
        .collect();
    let mut lines = vec![heading];
    lines.extend(rows.iter().map(|r| {
        r.iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    }));
    lines
}
