//! `osce score` and the home screen: start the terminal interface.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use osce::day::roster::read_roster;
use osce::rubric;
use osce::store::Store;
use osce::tui::marking::App;
use osce::tui::marking::executor::Executor;
use osce::tui::marking::session::{
    MarkingOrder, default_device, same_rubric_as_folder, session, with_gate_warnings,
};
use osce::tui::terminal;

use super::{EXIT_INVALID, EXIT_USAGE, ScoreArgs, diagnostics};

fn needs_terminal() -> Option<ExitCode> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        None
    } else {
        errln!(
            "error: osce's marking screen needs a terminal; run it in a terminal window (check and show work anywhere)"
        );
        Some(ExitCode::from(EXIT_USAGE))
    }
}

fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn executor(sessions: &Path, device: String) -> Executor {
    Executor::new(Store::new(sessions), device, Box::new(Utc::now))
}

fn finish(result: std::io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!(
                "error: the terminal failed: {e}. Every mark shown as saved is on disk; start osce again to carry on."
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

pub fn score(args: ScoreArgs) -> ExitCode {
    let text = match rubric::read_text(&args.rubric) {
        Ok(text) => text,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let checked = rubric::check_str(&args.rubric.display().to_string(), &text);
    let rubric = match checked.rubric.clone() {
        Some(r) => r,
        None => {
            err!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            errln!(
                "{}: invalid; fix it (osce check) before marking with it",
                args.rubric.display()
            );
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let mut notes = Vec::new();
    let roster = match &args.roster {
        None => None,
        Some(path) => match read_roster(path, &rubric) {
            Ok((roster, warnings)) => {
                // Printed, and on the first screen too (the terminal is
                // taken over at once). They are of the rotation (its
                // waves): candidate by candidate nothing rotates.
                let circuit = args.station.is_some() && args.candidate.is_none();
                for w in warnings.into_iter().filter(|_| circuit) {
                    let note = format!("warning: {}: {w}", path.display());
                    errln!("{note}");
                    notes.push(note);
                }
                Some(roster)
            }
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(if e.is_io() { EXIT_USAGE } else { EXIT_INVALID });
            }
        },
    };
    let plan = match (&args.roster, &args.station, &args.candidate) {
        (Some(_), Some(station), None) => MarkingOrder::Circuit {
            station: station.clone(),
            circuit: args.circuit.clone(),
        },
        (_, station, candidate) => MarkingOrder::Candidates {
            // Without --name, the name this candidate was confirmed under
            // on this laptop's sheets, so that the examiner has a name to
            // check the candidate in front of them against.
            candidate: candidate.clone().map(|id| {
                let name = args
                    .name
                    .clone()
                    .or_else(|| osce::tui::marking::session::name_on_sheets(&args.sessions, &rubric.id, &id))
                    .unwrap_or_default();
                (id, name)
            }),
            station: station.clone(),
        },
    };
    let device = args.device.clone().unwrap_or_else(default_device);
    let session = match session(rubric, &text, &args.examiner, &device, plan, roster.as_ref()) {
        Ok(s) => osce::tui::marking::Session {
            notes,
            ..with_gate_warnings(s, &args.sessions)
        },
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Err(message) = osce::tui::marking::session::ids_as_in_folder(&session, &args.sessions) {
        errln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let session = match same_rubric_as_folder(&session, &args.sessions) {
        Ok(None) => session,
        // Printed, and on the first screen too.
        Ok(Some(warning)) => {
            let note = format!("warning: {warning}");
            errln!("{note}");
            let mut session = session;
            session.notes.push(note);
            session
        }
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    if let Some(code) = needs_terminal() {
        return code;
    }
    // The device as the session checked it (composed, like every id).
    let mut exec = executor(&args.sessions, session.device.clone());
    exec.set_rubric_hash(session.rubric_hash.clone());
    let mut app = App::marking(session, std::time::Duration::ZERO, Utc::now());
    app.utc_offset = *chrono::Local::now().offset();
    finish(terminal::run(app, exec, colour()))
}

pub fn home(sessions: &Path, device: Option<&str>) -> ExitCode {
    // A file where the sessions folder goes: said at once, not as marks
    // that cannot be saved once the first sheet is opened.
    if sessions.exists() && !sessions.is_dir() {
        errln!(
            "error: --sessions {}: is a file, not a folder: name the folder marks are saved in (a new one is made), \
             e.g. --sessions sessions",
            sessions.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let device = match device {
        Some(given) => {
            let device = osce::base::ids::normalise(given);
            if let Err(why) = osce::base::ids::check_id(&device) {
                errln!("error: --device \"{given}\": {why}");
                return ExitCode::from(EXIT_USAGE);
            }
            device
        }
        None => default_device(),
    };
    if let Some(code) = needs_terminal() {
        return code;
    }
    let mut exec = executor(sessions, device);
    exec.remember = true;
    let examiner = std::env::var("OSCE_EXAMINER").unwrap_or_default();
    let home = exec.home(Path::new("rubrics"), &examiner);
    let mut app = App::home(home, std::time::Duration::ZERO, Utc::now());
    app.utc_offset = *chrono::Local::now().offset();
    finish(terminal::run(app, exec, colour()))
}
