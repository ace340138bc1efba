//! `osce export`: the CSV files for the exam board and the records system.

use std::process::ExitCode;

use osce::results::export::{ExportError, marks_table, write_export};
use osce::results::reconcile::{CandidateResult, examiners_results_for, results_for};
use osce::scoring::Standards;

use super::status::{Loaded, load_from};
use osce::rubric::MarksColumn;

use super::{EXIT_USAGE, ExportArgs};

/// `candidate_id=Student ID,percent=Mark` → [(field, header)]; a field
/// without `=` keeps its own name as the header.
fn parse_columns(spec: &str) -> Vec<MarksColumn> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((field, header)) => MarksColumn::field(field.trim(), header.trim()),
            None => MarksColumn::field(pair, pair),
        })
        .collect()
}

/// The flag's columns, else the rubric's, else the default.
pub fn marks_columns(rubric: &osce::rubric::Rubric, flag: Option<&str>) -> Vec<MarksColumn> {
    match (flag, &rubric.marks_csv) {
        (Some(spec), _) => parse_columns(spec),
        (None, Some(columns)) => columns.clone(),
        (None, None) if rubric.components.as_ref().is_some_and(|c| c.weighted()) => {
            parse_columns(osce::results::export::DEFAULT_MODULE_MARKS_COLUMNS)
        }
        (None, None) => parse_columns(osce::results::export::DEFAULT_MARKS_COLUMNS),
    }
}

/// The stations standard setting could not set a pass mark for, which
/// keep their provisional one: each with the reason, as the quality
/// report gives it.
fn kept_provisional(report: &osce::analysis::report::Report) -> Vec<String> {
    report
        .stations
        .iter()
        .filter_map(|s| {
            let why = s.why_not_set()?;
            Some(format!(
                "station '{}' keeps its provisional pass mark{}: {why}; `osce report` shows the station's figures",
                s.title,
                s.provisional
                    .map(|p| format!(" of {}", osce::scoring::fmt_marks(p)))
                    .unwrap_or_default()
            ))
        })
        .collect()
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let sessions = match super::collect::sessions_or_stored(&args.sessions, args.archive.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Loaded {
        rubric,
        hash,
        roster,
        cohort,
        matrix: m,
        moderation,
        standards: adopted,
        decisions,
        void_problems,
        ..
    } = match load_from(&args.rubric, sessions.source(), args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(error) = super::status::only_other_versions(
        &rubric,
        (&args.rubric, &hash),
        &cohort,
        &sessions,
        &args.sessions,
        "nothing exported",
    ) {
        errln!("{error}");
        return ExitCode::from(super::EXIT_INVALID);
    }
    let standards = match args.pass_marks.as_deref() {
        // The pass marks adopted by decision, else the rubric's own.
        None => adopted.clone(),
        Some("provisional") => Standards::default(),
        Some("standard-set") => {
            let double_marking = osce::analysis::agreement::double_marking(&rubric, &cohort, &m);
            let circuits = osce::analysis::report::circuits(roster.as_ref());
            let report = osce::analysis::report::build(
                &rubric,
                &cohort,
                &m.candidates,
                &circuits,
                double_marking,
                |part, s| examiners_results_for(&rubric, &cohort, &m, s, &moderation, part),
            );
            for line in kept_provisional(&report) {
                errln!("note: --pass-marks standard-set: {line}");
            }
            report.standards
        }
        Some(file) => match osce::analysis::standards::load(std::path::Path::new(file), &rubric, &hash) {
            Ok((decision, standards)) => {
                if decision.sheets_fingerprint != osce::analysis::standards::fingerprint(&cohort) {
                    errln!(
                        "warning: the sheets have changed since the pass marks were set ({} by {}); the saved pass marks are applied as they were",
                        decision.time.format("%Y-%m-%d %H:%M UTC"),
                        decision.set_by
                    );
                }
                standards
            }
            Err(message) => {
                errln!(
                    "error: --pass-marks: {message} (give provisional, standard-set or a file saved by osce report --save-standards)"
                );
                // A file that cannot be read is a usage error; one that
                // was read and is wrong is wrong input.
                let readable =
                    std::fs::File::open(file).is_ok_and(|f| f.metadata().is_ok_and(|m| m.is_file()));
                return ExitCode::from(if readable { super::EXIT_INVALID } else { EXIT_USAGE });
            }
        },
    };
    // Pass marks applied that the exam board has not adopted (tried with
    // --pass-marks): every result says so in its `provisional` column, as
    // the results are not final under them.
    let tried = match args.pass_marks.as_deref() {
        None => None,
        // The rubric's own, where none are adopted: what every command
        // applies then.
        Some("provisional") if decisions.pass_marks().is_none() => None,
        Some(given) => {
            let applied = match given {
                "provisional" => "the rubric's provisional pass marks".to_string(),
                "standard-set" => "the standard-set pass marks computed now".to_string(),
                file => format!("the pass marks of {file}"),
            };
            match decisions.pass_marks() {
                None => Some(format!(
                    "{applied} are applied, and no pass marks have been adopted (osce decide pass-marks)"
                )),
                Some(_) if standards != adopted => Some(format!(
                    "{applied} are applied, not the pass marks adopted (osce decide pass-marks; export without \
                     --pass-marks applies those)"
                )),
                Some(_) => None,
            }
        }
    };
    let columns = marks_columns(&rubric, args.marks_columns.as_deref());
    if let Err(message) = marks_table(&[], &columns) {
        errln!("error: --marks-columns: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    // A module of weighted components uploaded with the stations'
    // percentage alone (`osce check` warns of it in the rubric's own
    // `marks_csv`): said where the command line chose it.
    let field = |name: &str| {
        columns
            .iter()
            .any(|c| matches!(&c.source, osce::results::export::MarksSource::Field(f) if f == name))
    };
    if args.marks_columns.is_some()
        && rubric.components.as_ref().is_some_and(|c| c.weighted())
        && field("percent")
        && !field("module_mark")
    {
        errln!(
            "warning: --marks-columns: marks.csv gives percent, the stations' percentage alone, and not the module \
             mark of the weighted components: for the module mark give module_mark"
        );
    }
    // Nothing to export (another exam's rubric, most likely): said, and no
    // files of empty tables written.
    if m.candidates.is_empty() {
        super::status::warn_unusable(&rubric, &cohort, &void_problems);
        errln!(
            "{}",
            super::status::nothing_found(&rubric, &sessions, &args.sessions, "nothing exported").trim_end()
        );
        return ExitCode::from(super::EXIT_INVALID);
    }
    for line in super::status::folders_without(&rubric.id, &sessions, &args.sessions)
        .lines()
        .filter(|l| !l.is_empty() && !l.ends_with(':'))
    {
        errln!("warning: {line}");
    }
    let incomplete = std::sync::atomic::AtomicUsize::new(0);
    let without_mark = std::sync::atomic::AtomicUsize::new(0);
    let results_of = |part: &[String]| {
        let mut results = results_for(&rubric, &cohort, &m, &standards, &moderation, part);
        if let Some(tried) = &tried {
            for r in &mut results {
                r.result.provisional.push(tried.clone());
                r.final_result.provisional.push(tried.clone());
            }
        }
        let count = |counted: &std::sync::atomic::AtomicUsize, is: fn(&CandidateResult) -> bool| {
            let n = results.iter().filter(|r| is(r)).count();
            counted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        };
        count(&incomplete, CandidateResult::waiting);
        count(&without_mark, CandidateResult::certain_without_mark);
        results
    };
    let code = match write_export(
        &args.out,
        &rubric,
        &cohort,
        &m,
        results_of,
        &moderation,
        &columns,
        args.force,
    ) {
        Ok(written) => {
            for p in &cohort.problems {
                errln!("warning: {}", p.to_string());
            }
            for (path, rows) in &written {
                if path.extension().is_some_and(|e| e == "xlsx") {
                    // For the workbook, `rows` counts the sheets cut short
                    // at Excel's row limit.
                    let cut = if *rows == 0 {
                        String::new()
                    } else {
                        format!(
                            "; {rows} cut short at Excel's limit of 1,048,576 rows: the CSV files hold every row"
                        )
                    };
                    outln!(
                        "wrote {} (a sheet for each CSV file, and for items.csv a sheet per station: a row per sheet, a column per item{cut})",
                        path.display()
                    );
                } else {
                    outln!("wrote {} ({rows} rows)", path.display());
                }
            }
            for p in &decisions.problems {
                errln!("warning: {}", p.to_string());
            }
            if !m.names_differ.is_empty() {
                errln!(
                    "warning: {} confirmed under a name other than {}: check who was marked (osce status \
                     --problems lists each sheet)",
                    osce::base::text::plural(
                        m.names_differ.len(),
                        "candidate's sheets were",
                        "candidates' sheets were"
                    ),
                    if m.names_differ.iter().any(|d| d.roster.is_some()) {
                        "the roster's"
                    } else {
                        "their other sheets'"
                    }
                );
            }
            if let Some(words) =
                super::status::pass_marks_from_other_sheets(&rubric, &decisions, &cohort, &m, &moderation)
            {
                errln!("warning: {words}; {}", osce::analysis::standards::SET_AGAIN);
            }
            let mut why = osce::results::finality::not_final(
                &rubric,
                &cohort,
                &m,
                &moderation,
                &decisions,
                osce::results::finality::Pending {
                    incomplete: incomplete.load(std::sync::atomic::Ordering::Relaxed),
                    without_mark: if osce::results::export::gives_marks(&columns) {
                        without_mark.load(std::sync::atomic::Ordering::Relaxed)
                    } else {
                        0
                    },
                    // Sheets not in are said as such: `status` says which
                    // are not due yet.
                    not_due: 0,
                    not_read: super::status::folders_not_read(&rubric.id, &sessions, &args.sessions),
                },
            );
            // Pass marks the board has not adopted: every row says so, and
            // the results are not final under them.
            if let Some(tried) = tried.as_ref().filter(|_| standards != adopted) {
                why.push(tried.clone());
            }
            if why.is_empty() {
                outln!("Every result is final.");
                if let Some(words) = super::status::arriving_words(&cohort, "osce status lists them") {
                    outln!("{words}");
                }
                ExitCode::SUCCESS
            } else {
                // The files are written, every row that is not final says
                // why; the exit code tells a script not to upload them.
                errln!("Not final yet: do not upload these results.");
                for w in &why {
                    errln!("  - {w}");
                }
                ExitCode::from(super::EXIT_INVALID)
            }
        }
        Err(e @ ExportError::Exists { .. }) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    };
    super::status::leave(cohort, m);
    code
}
