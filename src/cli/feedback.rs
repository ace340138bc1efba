//! `osce feedback`: one Markdown file and one printable HTML page per
//! candidate.

use std::process::ExitCode;

use osce::results::export::write_files;

use super::status::{Loaded, load_without_mark_times};
use super::{EXIT_USAGE, FeedbackArgs};
use osce::base::text::plural;

pub fn run(args: &FeedbackArgs) -> ExitCode {
    let sessions = match super::collect::sessions_or_stored(&args.sessions, args.archive.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Loaded {
        rubric,
        hash,
        cohort,
        matrix: m,
        moderation,
        standards,
        decisions,
        void_problems,
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
        "no feedback written",
    ) {
        errln!("{error}");
        return ExitCode::from(super::EXIT_INVALID);
    }
    let unusable = super::status::warn_unusable(&rubric, &cohort, &void_problems);
    if m.candidates.is_empty() {
        errln!(
            "{}",
            super::status::nothing_found(&rubric, &sessions, &args.sessions, "no feedback written")
                .trim_end()
        );
        return ExitCode::from(super::EXIT_INVALID);
    }
    let results = osce::results::reconcile::results(&rubric, &cohort, &m, &standards, &moderation);
    // Until every result is final (as `status` says it), each page says
    // its result is provisional, and the exit code says not to send them.
    let why = osce::results::finality::not_final(
        &rubric,
        &cohort,
        &m,
        &moderation,
        &decisions,
        osce::results::finality::Pending {
            incomplete: results.iter().filter(|c| c.waiting()).count(),
            without_mark: super::status::without_mark(
                &rubric,
                results.iter().filter(|c| c.certain_without_mark()).count(),
            ),
            not_due: 0,
            not_read: super::status::folders_not_read(&rubric.id, &sessions, &args.sessions),
        },
    );
    // Candidate ids are plain (letters, digits, - _ .), so safe file names.
    // Each candidate's page twice, from one document: Markdown, and HTML
    // to read in a browser or print.
    let files: Vec<(String, Vec<u8>)> = results
        .iter()
        .flat_map(|c| {
            let doc = osce::results::feedback::document(&rubric, &cohort, c, why.is_empty());
            let title = format!("{}: feedback for {}", rubric.title, c.candidate);
            [
                (
                    format!("{}.md", c.candidate),
                    osce::results::feedback::markdown(&doc).into_bytes(),
                ),
                (
                    format!("{}.html", c.candidate),
                    osce::results::feedback::html(&doc, &title).into_bytes(),
                ),
            ]
        })
        .collect();
    match write_files(&args.out, &files, args.force) {
        Ok(paths) => {
            outln!(
                "wrote {} feedback files into {} (for each candidate, ID.md and ID.html, a page to print)",
                paths.len(),
                args.out.display()
            );
            let incomplete = results.iter().filter(|c| c.waiting()).count();
            if moderation.assessors().iter().any(|(_, signed)| !signed) {
                outln!(
                    "note: external moderation is not signed off yet; results may still change (osce status shows it)"
                );
            }
            let confirming = results
                .iter()
                .filter(|c| {
                    c.stations.values().any(|d| {
                        d.final_result.outcome == osce::scoring::StationOutcome::Incomplete
                            && matches!(
                                d.result.outcome,
                                osce::scoring::StationOutcome::Pass | osce::scoring::StationOutcome::Fail
                            )
                    })
                })
                .count();
            if confirming > 0 {
                outln!(
                    "note: {} {} still being confirmed (moderation or a decision); their files say so, and the \
                     results are not final (osce status says what is open)",
                    plural(confirming, "candidate has", "candidates have"),
                    rubric.noun().many()
                );
            }
            let unsubmitted = results
                .iter()
                .filter(|c| {
                    c.stations
                        .values()
                        .any(osce::results::feedback::counts_unsubmitted)
                })
                .count();
            if unsubmitted > 0 {
                outln!(
                    "note: {} a sheet that is not submitted; their files say that station is not in yet and give \
                     no result until it is (osce status shows the sheets still being marked)",
                    plural(unsubmitted, "candidate has", "candidates have")
                );
            }
            if incomplete > 0 {
                outln!(
                    "note: {} INCOMPLETE; their files say so (osce status lists what is missing)",
                    plural(incomplete, "candidate's result is", "candidates' results are")
                );
            }
            if !why.is_empty() {
                // The files are written, each result that is in marked
                // provisional; the exit code tells a script not to send them.
                errln!(
                    "Not final yet: do not send these files to candidates (each result they tell says it is provisional)."
                );
                for w in &why {
                    errln!("  - {w}");
                }
            }
            if unusable || !why.is_empty() {
                ExitCode::from(super::EXIT_INVALID)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
