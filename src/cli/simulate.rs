//! `osce simulate`: a synthetic cohort.

use osce::base::text::plural;
use std::process::ExitCode;

use osce::day::simulate::{Simulation, simulate};
use osce::store::Store;

use super::status::rubric_and_hash;
use super::{EXIT_USAGE, SimulateArgs};

pub fn run(args: &SimulateArgs) -> ExitCode {
    if args.candidates == 0 || args.examiners == 0 {
        errln!("error: --candidates and --examiners must be at least 1");
        return ExitCode::from(EXIT_USAGE);
    }
    if args.candidates > 1_000_000 {
        errln!("error: --candidates {}: at most 1,000,000", args.candidates);
        return ExitCode::from(EXIT_USAGE);
    }
    let (rubric, hash) = match rubric_and_hash(&args.rubric) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if osce::results::gather::holds_assessment(&args.sessions, &rubric.id) {
        errln!(
            "error: {} already holds sheets of assessment \"{}\"; simulated sheets are never mixed with others. \
             Choose an empty sessions folder",
            args.sessions.display(),
            rubric.id
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if let Some(path) = &args.roster
        && path.exists()
    {
        errln!(
            "error: {}: already exists; choose another --roster file",
            path.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let plan = Simulation {
        candidates: args.candidates,
        examiners: args.examiners,
        seed: args.seed,
        sync: args.sync,
    };
    let summary = match simulate(&rubric, &hash, &Store::new(&args.sessions), &plan) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(path) = &args.roster {
        let mut text = String::from("candidate_id,name,circuit\n");
        for (id, name, circuit) in &summary.roster {
            text.push_str(&format!("{id},{name},{circuit}\n"));
        }
        if let Err(e) = osce::results::export::write_files(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new(".")),
            &[(
                path.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                text.into_bytes(),
            )],
            false,
        ) {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    // Each examiner marks one station: what was asked for may not all be
    // used, and the line says how many were.
    let used = osce::day::simulate::examiners_used(&rubric, &plan);
    let examiners = if used == args.examiners {
        plural(used, "examiner", "examiners")
    } else {
        format!(
            "{} (of the {} asked for: each marks one of the {} scored stations)",
            plural(used, "examiner", "examiners"),
            args.examiners,
            rubric.scored_stations().count()
        )
    };
    outln!(
        "wrote {} ({} records) for {} and {} into {} (seed {}): {}, {} left unmarked, {}",
        plural(summary.sheets, "sheet", "sheets"),
        summary.records,
        plural(args.candidates, "candidate", "candidates"),
        examiners,
        args.sessions.display(),
        args.seed,
        plural(summary.absent, "absence", "absences"),
        plural(summary.unmarked_items, "item", "items"),
        plural(summary.concerns, "concern", "concerns")
    );
    ExitCode::SUCCESS
}
