//! `osce moderate`: the external assessor's screen.

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::Utc;
use osce::scoring::Standards;
use osce::store::Store;
use osce::tui::moderate::{ModerateApp, Options, default_seed};
use osce::tui::runner::{default_device, run_moderation};

use super::status::{Loaded, load_cohort};
use super::{EXIT_USAGE, ModerateArgs};

pub fn run(args: &ModerateArgs) -> ExitCode {
    if let Err(reason) = osce::ids::check_id(&args.assessor) {
        errln!("error: --assessor \"{}\": {reason}", args.assessor);
        return ExitCode::from(EXIT_USAGE);
    }
    for (name, value) in [("--sample", args.sample), ("--near", Some(args.near))] {
        if let Some(v) = value
            && !(v.is_finite() && (0.0..=100.0).contains(&v))
        {
            errln!("error: {name} {v}: give a percentage from 0 to 100");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let Loaded {
        rubric,
        hash,
        cohort,
        matrix,
        moderation,
    } = match load_cohort(&args.rubric, &args.sessions, args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        errln!("error: osce moderate is a terminal screen; run it in a terminal window");
        return ExitCode::from(EXIT_USAGE);
    }
    for p in cohort
        .problems
        .iter()
        .map(ToString::to_string)
        .chain(moderation.problems.iter().map(ToString::to_string))
    {
        errln!("warning: {p}");
    }
    let device = args.device.clone().unwrap_or_else(default_device);
    let store = Store::new(&args.sessions[0]);
    let journal = match store.open_moderation(&rubric.id, &args.assessor, &device, &hash) {
        Ok((journal, replay)) => {
            if let Some(q) = replay.quarantined {
                errln!("warning: {q}");
            }
            journal
        }
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let results = osce::results::results(&rubric, &cohort, &matrix, &Standards::default(), &moderation);
    let sample_percent = args.sample.unwrap_or(match rubric.moderation {
        osce::rubric::Moderation::Sample { percent } => percent,
        _ => 10.0,
    });
    let options = Options {
        sample_percent,
        seed: args.seed.unwrap_or_else(|| default_seed(&rubric.id)),
        near_percent: args.near,
    };
    let app = ModerateApp::new(rubric, cohort, matrix, results, moderation, journal, options);
    match run_moderation(
        app,
        Box::new(Utc::now),
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("error: the terminal failed: {e}. Every decision shown as saved is on disk.");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
