//! `osce report`: the exam quality report.

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::Utc;
use osce::analysis::methods::Methods;
use osce::analysis::report::{Options, Report, build_with, circuits};

use super::status::{Loaded, load_without_mark_times};
use super::{EXIT_USAGE, ReportArgs, ReportFormat};

pub fn run(args: &ReportArgs) -> ExitCode {
    let terminal = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let format = args.format.unwrap_or(if terminal && args.out.is_none() {
        ReportFormat::Tui
    } else {
        ReportFormat::Markdown
    });
    // What could stop the report being written is found before anything
    // (a standard-setting record) is saved.
    if let Err(why) = can_write(args, format, terminal) {
        errln!(
            "error: {why}{}",
            if args.save_standards.is_some() {
                "; nothing was saved"
            } else {
                ""
            }
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let sessions = match super::collect::sessions_or_stored(&args.sessions, args.archive.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Loaded {
        rubric,
        hash,
        roster,
        cohort,
        matrix,
        decisions,
        standards,
        void_problems,
        moderation,
        ..
    } = match load_without_mark_times(&args.rubric, sessions.source(), args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(error) = super::status::only_other_versions(
        &rubric,
        (&args.rubric, &hash),
        &cohort,
        &sessions,
        &args.sessions,
        "nothing to report",
    ) {
        errln!("{error}");
        return ExitCode::from(super::EXIT_INVALID);
    }
    let mut options = match options(args, &rubric) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // The pass marks in force are the ones the report applies; a run that
    // saves a new record proposes its own instead.
    if decisions.pass_marks().is_some() && args.save_standards.is_none() {
        options.adopted = Some(standards);
        if let Some(method) = &args.method {
            errln!(
                "note: --method {method}: the pass marks adopted by decision are in force, and the report applies \
                 them; each station's pass mark by {method} is shown beside them (a run with --save-standards sets \
                 a record by it)"
            );
        }
    }
    // Standard setting uses the examiners' own marks, before moderation:
    // each result's `result`, not its `final_result`. Moderation is read
    // for what belongs to the examiners' marks: the markers' agreed mark,
    // and which sheet a referral's third marker added.
    let build = |options: &osce::analysis::report::Options| -> Report {
        build_with(
            &rubric,
            &cohort,
            &matrix.candidates,
            &circuits(roster.as_ref()),
            osce::analysis::agreement::double_marking(&rubric, &cohort, &matrix),
            options,
            |part, s| {
                osce::results::reconcile::examiners_results_for(
                    &rubric,
                    &cohort,
                    &matrix,
                    s,
                    &moderation,
                    part,
                )
            },
        )
    };
    let mut report: Report = build(&options);
    report.adopted = decisions.pass_marks().map(|(made, record)| {
        format!(
            "{} ({}); set by {} from {}",
            made.entry.decision.words(),
            made.attribution(),
            record.set_by,
            osce::base::text::plural(record.candidates, "candidate", "candidates")
        )
    });
    // Pass marks adopted from other sheets than these: a flag of the
    // whole exam, in every format.
    if let Some(text) =
        super::status::pass_marks_from_other_sheets(&rubric, &decisions, &cohort, &matrix, &moderation)
    {
        report.exam.flags.insert(
            0,
            osce::analysis::report::Flag {
                level: osce::analysis::report::Level::Concern,
                text,
                action: osce::analysis::standards::SET_AGAIN.to_string(),
            },
        );
    }
    report.provenance = Some(osce::analysis::report::Provenance {
        generated: Utc::now(),
        by: args
            .by
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| format!("a user on {}", osce::tui::marking::session::default_device())),
        rubric_id: rubric.id.clone(),
        rubric_version: rubric.version.clone(),
        rubric_hash: hash.clone(),
        sheets_fingerprint: osce::analysis::standards::fingerprint(&cohort),
        osce_version: env!("CARGO_PKG_VERSION").to_string(),
    });
    let unusable = super::status::warn_unusable(&rubric, &cohort, &void_problems);
    if matrix.candidates.is_empty() {
        errln!(
            "{}",
            super::status::nothing_found(&rubric, &sessions, &args.sessions, "nothing to report").trim_end()
        );
        return ExitCode::from(super::EXIT_INVALID);
    }
    if let (Some(path), Some(by)) = (&args.save_standards, &args.by) {
        let mut decision =
            osce::analysis::standards::decide(&rubric, &hash, &report, &cohort, by, Utc::now());
        let (choices, rounding) = match board_choices(args) {
            Ok(c) => c,
            Err(code) => return code,
        };
        if let Err(e) = osce::analysis::standards::choose(&mut decision, &report, &choices, rounding) {
            errln!("error: --station-method: {e}; nothing was saved");
            return ExitCode::from(super::EXIT_INVALID);
        }
        decision.note = args.note.clone().filter(|n| !n.trim().is_empty());
        if decision.stations.is_empty() && rubric.standard_set_stations().next().is_none() {
            errln!(
                "error: --save-standards: the rubric leaves no station's pass mark to standard setting (each is set \
                 in the rubric), so there is no standard-setting record to save or adopt; nothing was saved. Leave \
                 out --save-standards to write the report"
            );
            return ExitCode::from(super::EXIT_INVALID);
        }
        if decision.stations.is_empty() {
            errln!(
                "error: --save-standards: no station has a standard-set pass mark to save (none uses borderline \
                 regression, the borderline group or the --method chosen, or none could be computed; the report says \
                 why); nothing was saved"
            );
            return ExitCode::from(super::EXIT_INVALID);
        }
        if path.exists() {
            errln!(
                "error: {}: already exists; a standard-setting record is never overwritten: save this one under another name",
                path.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
        for st in &decision.stations {
            let was = st
                .computed
                .map(|c| {
                    format!(
                        ", {} from {}",
                        rounding.map(|r| r.words()).unwrap_or_default(),
                        osce::scoring::fmt_marks(c)
                    )
                })
                .unwrap_or_default();
            if st.method == osce::scoring::SetMethod::Provisional {
                // Kept by the board's choice, or because standard setting
                // could not set it: then the report's reason is given.
                let why = report
                    .stations
                    .iter()
                    .find(|s| s.id == st.station)
                    .and_then(|s| s.why_not_set())
                    .map(|why| format!(": {why}"))
                    .unwrap_or_default();
                errln!(
                    "  {}: pass mark {} (provisional kept{why})",
                    st.station,
                    osce::scoring::fmt_marks(st.pass_mark)
                );
                continue;
            }
            errln!(
                "  {}: pass mark {} ({}{was}; provisional {})",
                st.station,
                osce::scoring::fmt_marks(st.pass_mark),
                st.method,
                osce::scoring::fmt_marks(st.provisional)
            );
        }
        // The report says what is saved: its figures under the record's
        // pass marks, the data's proposals beside them.
        if let Ok(saved) = osce::analysis::standards::to_standards(&decision, &rubric, &hash) {
            options.adopted = Some(saved);
            let (adopted, provenance) = (report.adopted.take(), report.provenance.take());
            report = build(&options);
            report.adopted = adopted;
            report.provenance = provenance;
            // What the saved record's pass marks rest on, where the report
            // has a concern about it (a line extrapolated beyond the grades
            // given, too few candidates) or it is thin (a borderline group
            // of a handful chosen for a station): said here, not left for
            // the board to find in the report.
            let mut concerns = Vec::new();
            for st in &report.stations {
                let standard_set = decision
                    .stations
                    .iter()
                    .any(|d| d.station == st.id && d.method != osce::scoring::SetMethod::Provisional);
                if !standard_set {
                    continue;
                }
                for flag in st.flags.iter().filter(|f| {
                    f.level == osce::analysis::report::Level::Concern
                        || f.text.starts_with("the borderline group pass mark rests on")
                }) {
                    let concern = format!("{}: {}: {}", st.id, flag.text, flag.action);
                    errln!("  warning: {concern}");
                    concerns.push(concern);
                }
            }
            if !concerns.is_empty() {
                errln!(
                    "warning: the report has {} about the pass marks saved (above), kept in the record: the exam \
                     board should see them before it adopts it; --station-method STATION=provisional keeps a \
                     station's provisional pass mark instead",
                    osce::base::text::plural(concerns.len(), "concern", "concerns")
                );
            }
            decision.concerns = concerns;
            report.applied = Some(format!(
                "the standard-setting record saved now to {} ({}); adopt it with osce decide pass-marks",
                path.display(),
                osce::results::decisions::record_details(&decision)
            ));
        }
        // Adopted where the sheets are read: recorded in a folder of the
        // lead's own when they come from an archive.
        let hints = match &args.archive {
            Some(archive) => super::status::Hints::archive(&args.rubric, archive),
            None => super::status::Hints::new(&args.rubric, &args.sessions),
        };
        let text = match serde_json::to_string_pretty(&decision) {
            Ok(t) => t + "\n",
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
        match write_file(path, text.into_bytes(), false) {
            Ok(()) => errln!(
                "saved the standard-setting record ({}, set by {by}) to {}; once the exam board agrees, adopt \
                 it for every command with osce decide pass-marks {} {} --record {} --by NAME --reason \"…\" \
                 (docs/decisions.md)",
                osce::base::text::plural(decision.stations.len(), "station", "stations"),
                path.display(),
                args.rubric.display(),
                hints.source(),
                path.display()
            ),
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    // The archive is read: let go of it (its readings written), so that a
    // collect is not held up while the report is open on the screen.
    drop(sessions);
    let code = match format {
        ReportFormat::Tui => {
            if !terminal {
                errln!("error: --format tui needs a terminal; use --format markdown, csv or html");
                return ExitCode::from(EXIT_USAGE);
            }
            let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            match osce::tui::report::run(report, colour) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    errln!("error: the terminal failed: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        ReportFormat::Markdown | ReportFormat::Html => {
            let text = if format == ReportFormat::Html {
                osce::analysis::report::html::render(&report)
            } else {
                osce::analysis::report::markdown::render(&report)
            };
            match &args.out {
                None if format == ReportFormat::Markdown => {
                    out!("{text}");
                    ExitCode::SUCCESS
                }
                None => {
                    errln!("error: --format html needs --out FILE.html");
                    ExitCode::from(EXIT_USAGE)
                }
                Some(path) => write_one(path, text.into_bytes(), args.force),
            }
        }
        ReportFormat::Csv => {
            let Some(dir) = &args.out else {
                errln!(
                    "error: --format csv needs --out DIR (it writes report-stations.csv, report-items.csv and report-exam.csv)"
                );
                return ExitCode::from(EXIT_USAGE);
            };
            let tables = [
                osce::analysis::report::csv::stations(&report),
                osce::analysis::report::csv::items(&report),
                osce::analysis::report::csv::exam(&report),
            ];
            match osce::results::export::write(dir, &tables, args.force) {
                Ok(paths) => {
                    for p in paths {
                        outln!("wrote {}", p.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    errln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    };
    super::status::leave(cohort, matrix);
    // The report was made, but from fewer sheets than the folders hold.
    if unusable && code == ExitCode::SUCCESS {
        ExitCode::from(super::EXIT_INVALID)
    } else {
        code
    }
}

/// Why the report could not be written where and how `args` ask, if it
/// could not: checked before the work (and before a standard-setting record
/// is saved), as writing checks again.
fn can_write(args: &ReportArgs, format: ReportFormat, terminal: bool) -> Result<(), String> {
    // Who set the standard is what the exam board reads of the record:
    // never empty, nor the placeholder of a command copied.
    if args.save_standards.is_some()
        && let Some(by) = args.by.as_deref().map(str::trim)
        && (by.is_empty() || ["NAME", "YOUR NAME"].contains(&by))
    {
        return Err(format!(
            "--by {}: give who set the standard (your own name, or the panel's), as the exam board should read it",
            if by.is_empty() { "\"\"" } else { by }
        ));
    }
    if let (Some(out), Some(saved)) = (&args.out, &args.save_standards)
        && (out == saved
            || std::fs::canonicalize(out).ok() == std::fs::canonicalize(saved).ok() && out.exists())
    {
        return Err(format!(
            "--out and --save-standards both name {}: name the report and the standard-setting record apart",
            out.display()
        ));
    }
    match (format, &args.out) {
        (ReportFormat::Tui, _) if !terminal => {
            Err("--format tui needs a terminal; use --format markdown, csv or html".to_string())
        }
        (ReportFormat::Html, None) => Err("--format html needs --out FILE.html".to_string()),
        (ReportFormat::Csv, None) => Err(
            "--format csv needs --out DIR (it writes report-stations.csv, report-items.csv and report-exam.csv)".to_string(),
        ),
        (ReportFormat::Markdown | ReportFormat::Html, Some(path)) => {
            let (dir, name) = file_target(path)?;
            osce::results::export::check_destination(&dir, std::iter::once(name.as_str()), args.force)
                .map_err(|e| refused(path, e))
        }
        // A file's name where a folder is wanted (`--out report.csv`):
        // said, not made into a folder of that name.
        (ReportFormat::Csv, Some(dir))
            if !dir.is_dir()
                && dir.extension().is_some_and(|e| {
                    ["csv", "md", "html", "txt"]
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                }) =>
        {
            Err(format!(
                "--out {}: --format csv writes three files (report-stations.csv, report-items.csv and \
                 report-exam.csv) into a folder: name a folder, e.g. --out report-csv",
                dir.display()
            ))
        }
        (ReportFormat::Csv, Some(dir)) => osce::results::export::check_destination(
            dir,
            ["report-stations.csv", "report-items.csv", "report-exam.csv"].into_iter(),
            args.force,
        )
        .map_err(|e| e.to_string()),
        _ => Ok(()),
    }
}

/// The folder and the file name a report file is written as, or why
/// `path` names no file.
fn file_target(path: &std::path::Path) -> Result<(std::path::PathBuf, String), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    match path.file_name() {
        Some(name) if !path.is_dir() && path.to_str().is_none_or(|p| !p.ends_with('/')) => {
            Ok((dir.to_path_buf(), name.to_string_lossy().to_string()))
        }
        _ => Err(format!("{}: name a file to write, not a folder", path.display())),
    }
}

/// Why the report file `path` is not written, in words.
fn refused(path: &std::path::Path, e: osce::results::export::ExportError) -> String {
    match e {
        osce::results::export::ExportError::Exists { .. } => format!(
            "{}: already exists; a file written earlier is not overwritten (use --force to replace it, or name \
             another file)",
            path.display()
        ),
        e => e.to_string(),
    }
}

fn write_one(path: &std::path::Path, bytes: Vec<u8>, force: bool) -> ExitCode {
    match write_file(path, bytes, force) {
        Ok(()) => {
            outln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Writes one file the export's careful way (a new temporary file, fsync,
/// rename; never through a link planted at `path`; owner only).
fn write_file(path: &std::path::Path, bytes: Vec<u8>, force: bool) -> Result<(), String> {
    let (dir, name) = file_target(path)?;
    osce::results::export::write_files(&dir, &[(name, bytes)], force)
        .map(|_| ())
        .map_err(|e| refused(path, e))
}

/// The board's station-by-station choices and rounding rule, as given.
type BoardChoices = (
    Vec<(String, osce::analysis::standards::Choice)>,
    Option<osce::analysis::standards::Rounding>,
);

fn board_choices(args: &ReportArgs) -> Result<BoardChoices, ExitCode> {
    let mut choices = Vec::new();
    for text in &args.station_methods {
        let parsed = text
            .split_once('=')
            .and_then(|(s, c)| Some((s.trim().to_string(), osce::analysis::standards::Choice::parse(c)?)));
        match parsed {
            Some((station, choice)) if !station.is_empty() => {
                if choices.iter().any(|(s, _)| *s == station) {
                    errln!(
                        "error: --station-method: station {station} is given twice; give one choice per station"
                    );
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                choices.push((station, choice));
            }
            _ => {
                errln!(
                    "error: --station-method {text:?}: write STATION=METHOD (e.g. shoulder=borderline-group), \
                     STATION=provisional or STATION=fixed:MARKS (e.g. knee=fixed:12)"
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        }
    }
    let rounding = match args.round.as_deref() {
        None => None,
        Some(text) => match osce::analysis::standards::Rounding::parse(text) {
            Some(r) => Some(r),
            None => {
                errln!(
                    "error: --round {text:?}: write up, down or nearest, with :STEP in marks if not 1 \
                     (e.g. up or up:0.5)"
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        },
    };
    Ok((choices, rounding))
}

/// The methods and judges' files of this run: the Angoff estimates and
/// the Hofstee bounds read all or nothing (exit code 1 for a file that is
/// wrong, 2 for one that cannot be read), and the method chosen.
fn options(args: &ReportArgs, rubric: &osce::rubric::Rubric) -> Result<Options, ExitCode> {
    let fail = |e: osce::analysis::judges::JudgesError| {
        errln!("error: {e}");
        ExitCode::from(if e.is_io() {
            EXIT_USAGE
        } else {
            super::EXIT_INVALID
        })
    };
    let methods = match &args.angoff {
        Some(path) => {
            Methods::with_angoff(osce::analysis::methods::angoff::read(path, rubric).map_err(fail)?)
        }
        None => Methods::default(),
    };
    let hofstee = match &args.hofstee {
        Some(path) => Some(osce::analysis::hofstee::read(path).map_err(fail)?),
        None => None,
    };
    // The method chosen for the run, by its id in the report's methods.
    let method = match args.method.as_deref() {
        None => None,
        Some(id) => match methods.find(id) {
            Some(m) => Some(m.name()),
            None if id == "angoff" => {
                errln!(
                    "error: --method angoff needs the judges' estimates: add --angoff FILE.csv (columns \
                     judge,station,item,estimate; docs/report.md, \"Modified Angoff\")"
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
            None => {
                let mut ids: Vec<&str> = methods.ids();
                if !ids.contains(&"angoff") {
                    ids.push("angoff (with --angoff)");
                }
                errln!(
                    "error: --method {id}: no such method; {}the methods are {}",
                    osce::rubric::did_you_mean(id, ids.iter().copied())
                        .map(|n| format!("did you mean \"{n}\"? "))
                        .unwrap_or_default(),
                    ids.join(", ")
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        },
    };
    Ok(Options {
        methods,
        method,
        hofstee,
        adopted: None,
    })
}
