//! `osce moderate`: the external assessor's screen.

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::Utc;
use osce::day::roster::read_roster;
use osce::results::moderation::AssessorLog;
use osce::store::{Store, StoreError};
use osce::tui::marking::session::default_device;
use osce::tui::moderate::executor::ModerateExecutor;
use osce::tui::moderate::{ModerateApp, Options, default_seed, snapshot};
use osce::tui::terminal;

use super::status::rubric_and_hash;
use super::{EXIT_INVALID, EXIT_USAGE, ModerateArgs};

pub fn run(args: &ModerateArgs) -> ExitCode {
    if let Err(reason) = osce::base::ids::check_id(&args.assessor) {
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
    let (rubric, hash) = match rubric_and_hash(&args.rubric) {
        Ok(r) => r,
        Err(code) => return code,
    };
    for folder in &args.sessions {
        if !folder.is_dir() {
            errln!("error: {}", super::collect::no_folder(folder));
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let roster = match &args.roster {
        None => None,
        Some(path) => match read_roster(path, &rubric) {
            Ok((r, _)) => Some(r),
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(if e.is_io() { EXIT_USAGE } else { EXIT_INVALID });
            }
        },
    };
    // A folder named that holds none of the sheets (named a level too
    // deep or too high): the screen would open on the others' sheets alone
    // and the sign-off, once made, could not take the missing ones.
    if args.archive.is_none() {
        let sessions = match super::collect::sessions_or_stored(&args.sessions, None) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let not_read = super::status::folders_without(&rubric.id, &sessions, &args.sessions);
        if !not_read.is_empty() {
            errln!(
                "error: not every folder named can be read for assessment \"{}\"; nothing was opened:\n{}\nName the \
                 folders as said, then open the moderation again (osce status names the same folders).",
                rubric.id,
                not_read.trim()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    // The assessor's own folder (--into) is read with the others.
    let Some(into) = args.into.clone().or_else(|| args.sessions.first().cloned()) else {
        errln!("error: --archive needs --into DIR: the folder your moderation journal goes to");
        return ExitCode::from(EXIT_USAGE);
    };
    if into.exists() && !into.is_dir() {
        let what = if args.archive.as_deref() == Some(into.as_path()) {
            "the archive you moderate from"
        } else {
            "a file"
        };
        errln!(
            "error: --into {}: is {what}, not a folder: name a folder for your moderation journal (a new one is \
             made), e.g. --into moderation",
            into.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    // With an archive, its journals written out into a private folder
    // that lives as long as the screen.
    let (mut folders, written_out) =
        match super::collect::folders_or_written_out(&args.sessions, args.archive.as_deref()) {
            Ok(s) => s,
            Err(code) => return code,
        };
    if let Some(out) = &written_out {
        osce::tui::signals::remove_if_forced(
            std::iter::once(out.folder.clone())
                .chain(out.others.iter().cloned())
                .chain(out.lock_path().map(std::path::Path::to_path_buf)),
        );
    }
    if !folders.contains(&into) {
        folders.push(into.clone());
    }
    // Sheets of another version of the rubric count where the exam lead
    // decided so, for the assessor as for every command.
    let mut rubric = rubric;
    if let Ok(decisions) = osce::results::decisions::gather(&rubric, &hash, &folders) {
        rubric.counted_versions = decisions.counted_versions(&rubric).0;
    }
    let first = match snapshot(&rubric, &hash, &folders, roster.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let problems: Vec<String> = first
        .cohort
        .problems
        .iter()
        .map(ToString::to_string)
        .chain(first.moderation.problems.iter().map(ToString::to_string))
        .chain(
            first
                .cohort
                .problem_sheets
                .iter()
                .enumerate()
                .filter(|(i, _)| !first.void_problems.contains(i))
                .map(|(_, p)| format!("{}: {}", p.path.display(), p.why)),
        )
        .chain(first.cohort.other_versions_words(&rubric))
        .map(|p| match (&written_out, &args.archive) {
            // A journal written out of the archive is named as the
            // archive holds it, not by the private folder it was put in.
            (Some(out), Some(archive)) => {
                std::iter::once(&out.folder)
                    .chain(&out.others)
                    .fold(p, |p, folder| {
                        p.replace(
                            &format!("{}/", folder.display()),
                            &format!("{}: ", archive.display()),
                        )
                    })
            }
            _ => p,
        })
        .collect();
    if first.cohort.sheets.is_empty() {
        // What is there instead (another exam's rubric given, most
        // likely), as every other command says it.
        let holds: Vec<String> = match &args.archive {
            Some(a) => osce::results::archive::Stored::open(a)
                .map(|s| s.assessments())
                .unwrap_or_default(),
            None => osce::store::assessments_in(&args.sessions),
        };
        let instead = if holds.is_empty() || holds.contains(&rubric.id) {
            String::new()
        } else {
            format!(
                " (it holds the sheets of {})",
                osce::base::text::quoted_list(&holds)
            )
        };
        errln!(
            "error: there are no sheets of assessment \"{}\" marked against this rubric in {}{instead}; nothing to \
             moderate. Check that you named the rubric the exam used and the right {}",
            rubric.id,
            match &args.archive {
                Some(a) => a.display().to_string(),
                None => osce::results::gather::folder_list(&args.sessions),
            },
            if args.archive.is_some() {
                "archive"
            } else {
                "sessions folders"
            }
        );
        for p in &problems {
            errln!("  {p}");
        }
        return ExitCode::from(EXIT_INVALID);
    }
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        errln!("error: osce moderate is a terminal screen; run it in a terminal window");
        return ExitCode::from(EXIT_USAGE);
    }
    let device = args.device.clone().unwrap_or_else(default_device);
    let store = Store::new(&into);
    // Where another folder read (the archive written out, a sessions
    // folder) holds more of this assessor's moderation journal on this
    // device than `into` does, it is brought up to that one first.
    let own = match store.moderation_path(&rubric.id, &args.assessor, &device) {
        Ok(own) => own,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let carried = match super::carry::in_folders(&folders, &into, own.strip_prefix(&into).unwrap_or(&own))
        .and_then(|copies| {
            super::carry::carry_on(
                &store,
                &own,
                copies,
                |bytes| {
                    osce::store::check_sheet_bytes(&own, bytes, |_| {})
                        .1
                        .damage
                        .map(|d| format!("line {}: {}", d.line, d.reason))
                },
                &format!("your moderation journal on {device}"),
                "Give this window another --device, and tell the module leader",
            )
        }) {
        Ok(carried) => carried,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // A journal started here that cannot be opened is not left behind.
    let unmade = |carried: &Option<super::carry::Carried>| {
        if carried.as_ref().is_some_and(|c| c.created) {
            let _ = std::fs::remove_file(&own);
        }
    };
    let (journal, quarantined) = match store.open_moderation(&rubric.id, &args.assessor, &device, &hash) {
        Ok((journal, replay)) => (journal, replay.quarantined),
        Err(StoreError::Locked { path }) => {
            errln!(
                "error: {}: your moderation journal is already open in another osce moderate window (on this \
                 computer, or another sharing the folder). Close that window first: two windows must never write it",
                path.display()
            );
            unmade(&carried);
            return ExitCode::from(EXIT_USAGE);
        }
        Err(e) => {
            errln!("error: {e}");
            unmade(&carried);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let sample_percent = args.sample.unwrap_or(match rubric.moderation {
        osce::rubric::ModerationPolicy::Sample { percent } => percent,
        _ => 10.0,
    });
    let options = Options {
        sample_percent,
        seed: args.seed.unwrap_or_else(|| default_seed(&rubric.id)),
        near_percent: args.near,
    };
    let loader = {
        let (rubric, hash, folders) = (rubric.clone(), hash.clone(), folders.clone());
        Box::new(move || snapshot(&rubric, &hash, &folders, roster.as_ref()))
    };
    let cell = osce::tui::moderate::cell_reader(&rubric, &hash, &folders);
    let journal_path = own.clone();
    let own = AssessorLog::of_journal(&journal);
    let mut app = ModerateApp::new(rubric, first, own, options);
    let exec = ModerateExecutor::new(journal, loader, cell, Box::new(Utc::now));
    if let Some(super::carry::Carried { from, lines, .. }) = carried {
        let from = match (&args.archive, &written_out) {
            (Some(archive), Some(out)) if from.starts_with(&out.folder) => archive.display().to_string(),
            _ => from.display().to_string(),
        };
        app.startup_warning(format!(
            "Carried on from your moderation journal in {from} ({} of it copied): what you decided \
             there is here, and what you record now follows it, in {}.",
            osce::base::text::plural(lines, "line", "lines"),
            into.display()
        ));
    }
    if let Some(q) = quarantined {
        app.startup_warning(format!(
            "The end of your moderation journal was cut short (a crash or power cut) and set aside in {}: \
             check your last decision before carrying on.",
            q.path.display()
        ));
    } else if !problems.is_empty() {
        app.startup_warning(format!(
            "{} session file(s) could not be used ({}); osce status lists them.",
            problems.len(),
            problems[0]
        ));
    }
    app.utc_offset = *chrono::Local::now().offset();
    match terminal::run(
        app,
        exec,
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    ) {
        Ok(()) => {
            for p in &problems {
                errln!("warning: {p}");
            }
            // Where what was decided is, and (read from an archive) what
            // goes back to the module leader.
            // A journal nothing was recorded in is not left behind (the
            // store removes it on closing): nothing to send.
            if !journal_path.is_file() {
                // Nor are the journal's folder and the assessment's, made
                // for it and empty (`remove_dir` takes only an empty one):
                // a folder to send and collect as if it held a journal.
                for folder in journal_path.ancestors().skip(1).take(2) {
                    if std::fs::remove_dir(folder).is_err() {
                        break;
                    }
                }
                outln!("Nothing was recorded, so there is no moderation journal to send.");
            } else {
                outln!("Your moderation journal: {}", journal_path.display());
                if let Some(archive) = &args.archive {
                    // The module leader's archive is theirs, not this
                    // copy: named by its file name alone.
                    let name = archive.file_name().map_or_else(
                        || archive.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    outln!(
                        "Send the whole folder {}, as it is, to the module leader, who collects it into their \
                         archive (the one {name} is a copy of): osce collect {} {}",
                        into.display(),
                        osce::base::text::shell_word(&name),
                        into.display()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: the terminal failed: {e}. Every decision shown as saved is on disk.");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
