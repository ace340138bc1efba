//! `osce status`: which sheets are in.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use osce::base::text::plural;
use osce::day::roster::read_roster;
use osce::results::gather::{
    CellKey, CellState, Cohort, CohortProblem, Detail, Matrix, gather_detail, gather_from,
};
use osce::results::moderation::{CellModeration, Moderation};
use osce::results::source::{Sheets, Source};
use osce::rubric::Rubric;
use osce::store::hash_rubric;

use super::{EXIT_INVALID, EXIT_USAGE, StatusArgs, diagnostics};

/// Reads and checks a rubric for a command that needs it valid, with its
/// hash; prints why not and gives the exit code otherwise.
pub fn rubric_and_hash(path: &Path) -> Result<(Rubric, String), ExitCode> {
    let text = match osce::rubric::read_text(path) {
        Ok(text) => text,
        Err(e) => {
            errln!("error: {e}");
            return Err(ExitCode::from(EXIT_USAGE));
        }
    };
    let checked = osce::rubric::check_str(&path.display().to_string(), &text);
    match checked.rubric.clone() {
        Some(r) => Ok((r, hash_rubric(&text))),
        None => {
            err!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            errln!("{}: invalid; fix it with `osce check` first", path.display());
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

/// What `status` and `export` both start from: the rubric, every sheet
/// found in the session folders, and the candidates × stations matrix.
pub struct Loaded {
    pub rubric: Rubric,
    pub hash: String,
    pub roster: Option<osce::day::roster::Roster>,
    pub cohort: Cohort,
    pub matrix: Matrix,
    pub moderation: Moderation,
    /// The exam lead's decisions.
    pub decisions: osce::results::decisions::Decisions,
    /// The pass marks every command uses: those adopted by a decision, else
    /// the rubric's own (provisional where standard-set).
    pub standards: osce::scoring::Standards,
    /// The journals that cannot be used that a decision voided (indices
    /// into the cohort's problem sheets): no longer an error.
    pub void_problems: std::collections::BTreeSet<usize>,
}

/// Loads the rubric, the optional roster and every sheet of the session
/// folders; on failure prints why and gives the exit code.
pub fn load_cohort(rubric: &Path, sessions: &[PathBuf], roster: Option<&Path>) -> Result<Loaded, ExitCode> {
    load_from(rubric, Source::Folders(sessions), roster)
}

/// [`load_cohort`] from the folders or the archive.
pub fn load_from(rubric: &Path, source: Source<'_>, roster: Option<&Path>) -> Result<Loaded, ExitCode> {
    load_from_with_decisions(rubric, source, roster, &[])
}

/// [`load_from`] without the time of each mark, which only the export of
/// items gives: the sheets are read faster, and held in less memory.
pub fn load_without_mark_times(
    rubric: &Path,
    source: Source<'_>,
    roster: Option<&Path>,
) -> Result<Loaded, ExitCode> {
    load_with(rubric, source, roster, &[], &[], |rubric, hash| {
        gather_detail(rubric, hash, source, Sheets::All, Detail::WithoutMarkTimes)
    })
}

/// [`load_from`], with the decisions journals in the folders `also` read
/// beside the source's (the folder a decision is recorded into, not yet
/// collected into the archive, or not named among the sessions folders).
pub fn load_from_with_decisions(
    rubric: &Path,
    source: Source<'_>,
    roster: Option<&Path>,
    also: &[PathBuf],
) -> Result<Loaded, ExitCode> {
    load_with(rubric, source, roster, also, &[], |rubric, hash| {
        gather_from(rubric, hash, source, Sheets::All)
    })
}

/// [`load_from_with_decisions`] as if the decisions `extra` were recorded
/// too: what a decision that changes which sheets are read (another
/// version of the rubric counted) would make of them.
pub fn load_as_if(
    rubric: &Path,
    source: Source<'_>,
    roster: Option<&Path>,
    also: &[PathBuf],
    extra: &[osce::results::decisions::Made],
) -> Result<Loaded, ExitCode> {
    load_with(rubric, source, roster, also, extra, |rubric, hash| {
        gather_from(rubric, hash, source, Sheets::All)
    })
}

/// [`load_from`], the sheets gathered by `gather` (given the rubric and
/// its hash).
fn load_with(
    rubric: &Path,
    source: Source<'_>,
    roster: Option<&Path>,
    also: &[PathBuf],
    extra: &[osce::results::decisions::Made],
    gather: impl FnOnce(&Rubric, &str) -> Result<Cohort, osce::store::StoreError>,
) -> Result<Loaded, ExitCode> {
    load_checked(rubric, source, roster, also, extra, gather).map_err(|failed| {
        if !failed.words.is_empty() {
            errln!("error: {}", failed.words);
        }
        failed.code
    })
}

/// Why [`load_checked`] could not load: what went wrong, in words (empty
/// where it was printed already: a rubric with mistakes is shown with
/// its diagnostics), and the exit code it means.
struct LoadFailed {
    words: String,
    code: ExitCode,
}

/// [`load_with`], saying why it failed rather than printing it.
fn load_checked(
    rubric: &Path,
    source: Source<'_>,
    roster: Option<&Path>,
    also: &[PathBuf],
    extra: &[osce::results::decisions::Made],
    gather: impl FnOnce(&Rubric, &str) -> Result<Cohort, osce::store::StoreError>,
) -> Result<Loaded, LoadFailed> {
    let failed = |words: String, code: u8| LoadFailed {
        words,
        code: ExitCode::from(code),
    };
    let (rubric, hash) = rubric_and_hash(rubric).map_err(|code| LoadFailed {
        words: String::new(),
        code,
    })?;
    if let Source::Folders(sessions) = source {
        for folder in sessions {
            if !folder.is_dir() {
                return Err(failed(super::collect::no_folder(folder), EXIT_USAGE));
            }
        }
    }
    let roster = match roster {
        None => None,
        Some(path) => match read_roster(path, &rubric) {
            Ok((r, _)) => Some(r),
            Err(e) => {
                return Err(failed(
                    e.to_string(),
                    if e.is_io() { EXIT_USAGE } else { EXIT_INVALID },
                ));
            }
        },
    };
    // The decisions first: sheets of another version of the rubric count
    // where the exam lead decided so, as they are gathered.
    let mut decisions =
        match osce::results::decisions::gather_from_all(&rubric, &hash, &[source, Source::Folders(also)]) {
            Ok(d) => d,
            Err(e) => return Err(failed(e.to_string(), EXIT_USAGE)),
        };
    decisions.made.extend(extra.iter().cloned());
    let mut rubric = rubric;
    let (counted, problems) = decisions.counted_versions(&rubric);
    rubric.counted_versions = counted;
    decisions.problems.extend(problems);
    let cohort = match gather(&rubric, &hash) {
        Ok(c) => c,
        Err(e) => return Err(failed(e.to_string(), EXIT_USAGE)),
    };
    let moderation = match osce::results::moderation::gather_from(&rubric, &hash, source) {
        Ok(m) => m,
        Err(e) => return Err(failed(e.to_string(), EXIT_USAGE)),
    };
    if let Source::Archive(stored) = source {
        super::collect::refuse_mismatches(stored.path(), &stored.mismatches()).map_err(|code| {
            LoadFailed {
                words: String::new(),
                code,
            }
        })?;
    }
    if !rubric.counted_versions.is_empty() {
        decisions.void_counted_versions(&cohort, |path| source.fingerprint(path));
    }
    let settled = osce::results::decisions::settle(&rubric, &cohort, &decisions);
    // Sheets of another version of the rubric that the exam lead voided
    // (marked against a wrong copy, and marked again) are set aside.
    let mut cohort = cohort;
    for &i in &settled.void_other_versions {
        if let Some(path) = cohort.other_version_sheets.get(i).map(|p| p.path.clone()) {
            for paths in cohort.other_versions.values_mut() {
                paths.retain(|p| *p != path);
            }
        }
    }
    cohort.other_versions.retain(|_, paths| !paths.is_empty());
    let mut matrix = osce::results::gather::matrix_settled(&rubric, &cohort, roster.as_ref(), &settled);
    osce::results::moderation::settle_referrals(&mut matrix, &cohort, &moderation);
    let standards = match adopted_standards(&rubric, &hash, &decisions) {
        Ok(s) => s,
        Err(message) => return Err(failed(message.to_string(), EXIT_INVALID)),
    };
    Ok(Loaded {
        rubric,
        hash,
        roster,
        cohort,
        matrix,
        moderation,
        decisions,
        standards,
        void_problems: settled.void_problems,
    })
}

/// Where a FAIL rests on critical items that fail the assessment: "critical
/// item failed at Case 2, Case 5", naming each station once. None for any
/// other result.
fn failed_assessment_at(result: &osce::scoring::AssessmentResult) -> Option<String> {
    if result.outcome != osce::scoring::Outcome::Fail {
        return None;
    }
    let fails: Vec<&osce::scoring::CriticalFail> = result
        .critical_fails
        .iter()
        .filter(|f| f.scope == osce::rubric::Critical::FailsAssessment)
        .collect();
    let mut stations: Vec<&str> = Vec::new();
    for fail in &fails {
        if !stations.contains(&fail.station_title.as_str()) {
            stations.push(&fail.station_title);
        }
    }
    (!fails.is_empty()).then(|| {
        format!(
            "{} failed at {}",
            if fails.len() == 1 {
                "critical item"
            } else {
                "critical items"
            },
            stations.join(", ")
        )
    })
}

/// The pass marks a decision adopted, as the engine uses them; the
/// rubric's own where none was adopted.
pub fn adopted_standards(
    rubric: &Rubric,
    hash: &str,
    decisions: &osce::results::decisions::Decisions,
) -> Result<osce::scoring::Standards, osce::results::decisions::DecisionsError> {
    decisions.standards(rubric, hash)
}

pub fn status(args: &StatusArgs) -> ExitCode {
    if args.watch {
        return watch(args);
    }
    let sessions = match super::collect::sessions_or_stored(&args.sessions, args.archive.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Loaded {
        rubric,
        roster,
        cohort,
        matrix: m,
        moderation,
        standards,
        decisions,
        ..
    } = match load_without_mark_times(&args.rubric, sessions.source(), args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let not_due = NotDue::at(roster.as_ref(), &rubric, &m, chrono::Utc::now());
    // With an archive, decisions are recorded in a folder of the lead's
    // own, collected like any other.
    let hints = match &args.archive {
        Some(archive) => Hints::archive(&args.rubric, archive),
        None => Hints::new(&args.rubric, &hint_folders(&rubric.id, &args.sessions)),
    }
    .with_roster(args.roster.as_deref());
    let (incomplete, held, unrecorded, modules, tally, third) =
        incomplete_results(&rubric, &cohort, &m, &moderation, &standards);
    let held = Held {
        stations: held,
        third,
    };
    // A folder named that holds none of the sheets (a laptop's folder, a
    // level too high) is said first: every sheet it holds shows as missing
    // below, and the decisions suggested name it among the folders.
    let not_read = if m.candidates.is_empty() {
        String::new()
    } else {
        folders_without(&rubric.id, &sessions, &args.sessions)
    };
    if !not_read.is_empty() {
        out!("{}\n\n", not_read.trim());
    }
    if let Some(words) = refused_words(&cohort.refused) {
        out!("{words}\n");
    }
    if args.problems {
        out!(
            "{}",
            render_problems(&rubric, &cohort, &m, &moderation, &hints, &held, &not_due)
        );
    } else {
        out!(
            "{}",
            render(&rubric, &cohort, &m, &moderation, &hints, &held, &not_due)
        );
        out!("{}", decisions_section(&decisions, &cohort, &m));
    }
    if let Some(words) = pass_marks_from_other_sheets(&rubric, &decisions, &cohort, &m, &moderation) {
        out!("\nwarning: {words}; {}\n", osce::analysis::standards::SET_AGAIN);
    }
    if m.candidates.is_empty() {
        let (_, other) = elsewhere(&rubric.id, &sessions, &args.sessions);
        // The folders not read, as the reasons below call them.
        if !other.is_empty() && folders_not_read(&rubric.id, &sessions, &args.sessions) > 0 {
            out!("Not read:\n");
        }
        out!("{other}");
    } else if !not_read.is_empty() {
        out!(
            "\nNot read: a folder named holds none of this assessment's sheets, or sheets lie outside the \
             assessment's folder (the first lines above say which).\n"
        );
    }
    let why = why_not_final(
        &rubric,
        &cohort,
        &m,
        &moderation,
        &decisions,
        incomplete,
        (&not_due, folders_not_read(&rubric.id, &sessions, &args.sessions)),
    );
    let results = Results {
        held: &held,
        modules: &modules,
        unrecorded: &unrecorded,
        tally: &tally,
        logbook: rubric.logbook.as_ref().map(|g| g.component.as_str()),
        noun: rubric.noun(),
    };
    out!(
        "{}",
        results_words(&results, &hints, (&args.rubric, args.problems), &decisions, &why)
    );
    if why.is_empty()
        && let Some(words) = arriving_words(&cohort, "listed above")
    {
        out!("{words}\n");
    }
    let code = if why.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    };
    leave(cohort, m);
    code
}

/// Where the pass marks in force were set from other sheets than these
/// (a sheet submitted, amended or added since they were set, or a record
/// of another sitting adopted): what they were set from (what to do is
/// [`osce::analysis::standards::SET_AGAIN`]).
pub fn pass_marks_from_other_sheets(
    rubric: &Rubric,
    decisions: &osce::results::decisions::Decisions,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
) -> Option<String> {
    let (_, record) = decisions.pass_marks()?;
    let words = record_set_otherwise(rubric, record, decisions, cohort, m, moderation)?;
    Some(format!("the pass marks in force were {words}"))
}

/// Where standard-setting `record` was set from other sheets than these,
/// or before a decision that changes the marks: each that holds, in words
/// (a sheet added since does not hide a ruling made since).
pub fn record_set_otherwise(
    rubric: &Rubric,
    record: &osce::analysis::standards::Decision,
    decisions: &osce::results::decisions::Decisions,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
) -> Option<String> {
    let now = m.candidates.iter().filter(|c| m.has_sheets(c)).count();
    let sheets = osce::analysis::standards::set_from_other_sheets(rubric, record, cohort, now, || {
        moderation.referral_sheets(rubric, cohort, m)
    });
    match (sheets, marks_decided_since(decisions, record.time, cohort)) {
        (Some(sheets), Some(decided)) => Some(format!("{sheets}; and {decided}")),
        (one, other) => one.or(other),
    }
}

/// The decisions in force that change the marks a standard-setting record
/// saved at `since` was set from (which sheet counts, a sheet void, an item
/// left unmarked taken as a level), made after it, in words: `None` where
/// there are none. The record's pass marks were worked out without them.
pub fn marks_decided_since(
    decisions: &osce::results::decisions::Decisions,
    since: chrono::DateTime<chrono::Utc>,
    cohort: &Cohort,
) -> Option<String> {
    let after = decisions.marks_decided_after(since, cohort);
    (!after.is_empty()).then(|| {
        format!(
            "set ({}) before {}",
            since.format("%Y-%m-%d %H:%M UTC"),
            osce::results::decisions::marks_decided_words(&after)
        )
    })
}

/// The exam lead's decisions in force, each with who, when and why (the
/// matrix shows their effect, not them): empty where there are none. A
/// deferral says which of the candidate's other absences it settles.
fn decisions_section(decisions: &osce::results::decisions::Decisions, cohort: &Cohort, m: &Matrix) -> String {
    const SHOWN: usize = 20;
    let in_force = decisions.in_force();
    if in_force.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nDecisions in force ({}; osce decide list gives every decision, those replaced too):\n",
        in_force.len()
    );
    for made in in_force.iter().take(SHOWN) {
        let _ = writeln!(out, "  {}", made.line());
        use osce::results::decisions::{AbsenceOutcome, ComponentValue, Ruling};
        // The sheet a conflict decision counts is named by its examiner,
        // device and history's last hash: where it is, too, so that the
        // lead knows which laptop's copy that is.
        if let Ruling::Conflict {
            candidate,
            station,
            counts: Some(sheet),
        } = &made.entry.decision
            && let Some(found) = cohort.sheets.iter().find(|f| {
                f.key.candidate == *candidate
                    && f.key.station == *station
                    && f.key.examiner == sheet.examiner
                    && f.key.device == sheet.device
                    && f.last_hash == sheet.last
            })
        {
            let _ = writeln!(out, "    the sheet that counts: {}", found.path.display());
        }
        // An absence decided a fail, then the candidate deferred: the fail
        // counts for nothing.
        if let Ruling::Absence {
            candidate,
            outcome: AbsenceOutcome::Fail,
            ..
        } = &made.entry.decision
            && (m.deferred_at(candidate).is_some() || m.component_deferred(candidate).is_some())
        {
            let _ = writeln!(
                out,
                "    set aside: {candidate} is deferred (no result at this sitting), so the absence counts as nothing"
            );
        }
        // The deferral that defers the candidate's sitting: at a station,
        // or else at a component outside the stations.
        let deferral = match &made.entry.decision {
            Ruling::Absence {
                candidate,
                station,
                outcome: AbsenceOutcome::Deferred,
            } if m.deferred_at(candidate) == Some(station.as_str()) => Some((candidate, Some(station))),
            Ruling::Component {
                candidate,
                component,
                result: ComponentValue::Deferred,
                ..
            } if m.deferred_at(candidate).is_none()
                && m.component_deferred(candidate) == Some(component.as_str()) =>
            {
                Some((candidate, None))
            }
            _ => None,
        };
        if let Some((candidate, station)) = deferral {
            let others: Vec<&str> = m
                .stations
                .iter()
                .filter(|s| {
                    Some(*s) != station
                        && m.cell(candidate, s)
                            .is_some_and(|c| c.state == CellState::Absent && !c.absence_decided())
                })
                .map(String::as_str)
                .collect();
            if !others.is_empty() {
                let _ = writeln!(
                    out,
                    "    also settles {candidate}'s {} at {} (no result at this sitting)",
                    if others.len() == 1 { "absence" } else { "absences" },
                    others.join(", ")
                );
            }
        }
    }
    if in_force.len() > SHOWN {
        let _ = writeln!(out, "  and {} more", in_force.len() - SHOWN);
    }
    out
}

/// The copies in the laptops' folders that collect refused (from an
/// archive), each with why, or `None`.
fn refused_words(refused: &[osce::results::archive::RefusedCopy]) -> Option<String> {
    if refused.is_empty() {
        return None;
    }
    let mut words = format!(
        "Refused by collect ({} in the laptops' folders not what the archive holds; the archive keeps what it had, \
         and the results below are from it):\n",
        plural(refused.len(), "copy", "copies")
    );
    for r in refused {
        let _ = writeln!(
            words,
            "  {}\n    a copy of {}, refused at {}: {}",
            osce::base::text::shell_word(&r.file),
            r.journal,
            r.refused_at,
            r.why
        );
    }
    words.push_str(
        "  When each is dealt with (a copy under way finished; a file cut or changed taken out of the laptop's \
         folder and kept elsewhere as evidence), collect that folder again.\n",
    );
    Some(words)
}

/// What the status says below the matrix of sheets (or the list of what
/// needs action): results held back, module results, components with no
/// result yet, the tally of results, and why they are not final yet.
/// The one-off status and the watch say the same.
struct Results<'a> {
    held: &'a Held,
    modules: &'a ModuleRows,
    unrecorded: &'a Unrecorded,
    tally: &'a Tally,
    /// The component the rubric's logbook gate decides, if any.
    logbook: Option<&'a str>,
    /// What the rubric calls its stations.
    noun: osce::rubric::Noun,
}

fn results_words(
    r: &Results<'_>,
    hints: &Hints,
    (rubric_path, problems): (&Path, bool),
    decisions: &osce::results::decisions::Decisions,
    why: &[String],
) -> String {
    let mut out = String::new();
    macro_rules! o {
        ($($t:tt)*) => {{
            let _ = write!(out, $($t)*);
        }};
    }
    macro_rules! oln {
        ($($t:tt)*) => {{
            let _ = writeln!(out, $($t)*);
        }};
    }
    let (held, modules, unrecorded, tally) = (r.held, r.modules, r.unrecorded, r.tally);
    if !held.is_empty() {
        // Every sheet is in at these stations, yet their result waits:
        // said here, with the reason, so that nothing is left unexplained.
        o!("\nResults held back where every sheet is in:\n");
        for h in held.iter().take(50) {
            o!("  {} at {}: {}\n", h.candidate, h.station, h.why);
            if h.lead_can_decide {
                o!(
                    "{}\n",
                    hints.line(
                        "result",
                        &h.candidate,
                        &h.station,
                        result_choice(held, &h.candidate, &h.station)
                    )
                );
            }
        }
        if held.len() > 50 {
            o!("  and {} more (results.csv says why for each)\n", held.len() - 50);
        }
        let to_review = held.iter().filter(|h| h.review).count();
        if to_review > 1 {
            o!(
                "  Or settle all {to_review} held for review at once, each with the result its marks give now:\n{}\n",
                hints.held()
            );
        }
    }
    if !modules.is_empty() && !problems {
        // The module's result, part by part: what the stations give and
        // what was recorded from outside them.
        o!("\nModule results (after moderation and decisions):\n");
        let width = modules
            .iter()
            .map(|(c, _, _)| c.chars().count())
            .max()
            .unwrap_or(9)
            .max(9);
        for (candidate, result, parts) in modules.iter().take(200) {
            o!("  {candidate:<width$}  {result:<10}  {parts}\n");
        }
        if modules.len() > 200 {
            o!(
                "  and {} more (results.csv has every candidate)\n",
                modules.len() - 200
            );
        }
    }
    if !unrecorded.is_empty() {
        o!(
            "\nComponents assessed outside the {}, with no result yet:\n",
            r.noun.many()
        );
        // The logbook's component is recorded from the logbook itself.
        let logbook = r.logbook;
        for (component, candidates) in unrecorded {
            let shown: Vec<&str> = candidates.iter().take(8).map(String::as_str).collect();
            let more = candidates.len().saturating_sub(shown.len());
            o!(
                "  {component}: {} ({}{})\n",
                plural(candidates.len(), "candidate", "candidates"),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
            if logbook == Some(component.as_str()) {
                o!(
                    "    record: osce logbook {} LOGBOOK.csv --record {} --by NAME (the logbook checked against the \
                     rubric's gate; docs/logbook-format.md)\n",
                    osce::base::text::shell_path(rubric_path),
                    hints.source()
                );
            }
        }
        if unrecorded.keys().any(|c| logbook != Some(c.as_str())) {
            o!(
                "    record: osce decide components {} {}{} --file RESULTS.csv --by NAME --reason \"…\" \
                 (docs/decisions.md gives the file's columns)\n",
                osce::base::text::shell_path(rubric_path),
                hints.source(),
                hints.roster
            );
        }
    }
    if !tally.is_empty() {
        // Who passes and fails as things stand: each row of results.csv
        // (osce export) says why.
        let words: Vec<String> = ["PASS", "FAIL", "DEFERRED", "INCOMPLETE"]
            .iter()
            .map(|w| format!("{} {w}", tally.get(*w).copied().unwrap_or(0)))
            .collect();
        o!(
            "\nResults: {} (after moderation and decisions; results.csv from osce export gives each with its reasons)\n",
            words.join(" · ")
        );
    }
    for p in &decisions.problems {
        oln!("problem: {}", p.to_string());
    }
    out.push_str(&finality_words(why));
    out
}

/// For the commands that read sheets but do not print the status (report,
/// feedback): says on stderr what in the folders could not be used (sheets
/// marked against another version of the rubric, problem sheets, damaged
/// files), and whether the command must therefore exit non-zero.
pub fn warn_unusable(rubric: &Rubric, cohort: &Cohort, void: &std::collections::BTreeSet<usize>) -> bool {
    for p in &cohort.problems {
        errln!("warning: {p}");
    }
    // A journal a decision voided is settled: not an error any more.
    let unsettled: Vec<&osce::results::gather::ProblemSheet> = cohort
        .problem_sheets
        .iter()
        .enumerate()
        .filter(|(i, _)| !void.contains(i))
        .map(|(_, p)| p)
        .collect();
    for p in &unsettled {
        errln!("error: {}: {}", p.path.display(), p.why);
    }
    if let Some(words) = cohort.other_versions_words(rubric) {
        errln!("error: {words}");
    }
    cohort.other_versions_words(rubric).is_some() || !unsettled.is_empty()
}

/// A station held back although every sheet there is in.
pub struct HeldStation {
    pub candidate: String,
    pub station: String,
    pub why: String,
    /// Held by an assessor's decision where the exam lead may decide the
    /// result (`osce decide result`): a decision to review under other pass
    /// marks, or a sheet the moderation sample takes that came in after
    /// the assessors signed off.
    pub lead_can_decide: bool,
    /// Held for review under other pass marks: settled with the others by
    /// `osce decide held`.
    pub review: bool,
    /// What the examiners' marks give there: the choice the exam lead is
    /// shown first.
    pub marks_give: osce::scoring::StationOutcome,
}

/// The `--pass`/`--fail` choice of `osce decide result` at `candidate`'s
/// `station`, the result the examiners' marks give there first (a sheet
/// amended into a FAIL after moderation is not offered as a PASS to copy).
fn gave_then_now(gave: osce::scoring::StationOutcome, held: &Held, candidate: &str, station: &str) -> String {
    match held
        .iter()
        .find(|h| h.candidate == candidate && h.station == station)
    {
        Some(h) => osce::results::reconcile::gave_then_now(gave, h.marks_give),
        None => format!("its marks gave {} when it was moderated", gave.word()),
    }
}

fn result_choice(held: &Held, candidate: &str, station: &str) -> &'static str {
    let fails = held
        .iter()
        .find(|h| h.candidate == candidate && h.station == station)
        .is_some_and(|h| h.marks_give == osce::scoring::StationOutcome::Fail);
    if fails {
        "--fail (or --pass)"
    } else {
        "--pass (or --fail)"
    }
}

/// [`result_choice`] for a station referred to a third marker: the exam
/// lead decides only if the third marker will not come.
fn referral_choice(held: &Held, candidate: &str, station: &str) -> String {
    format!(
        "{}, if the third marker will not come",
        result_choice(held, candidate, station)
    )
}

pub type HeldStations = Vec<HeldStation>;

/// What [`incomplete_results`] works out: (results waiting, results
/// certain without a mark), the stations held back, the components with
/// no result, each candidate's module row, the count of each result, and
/// the stations a third marker settled.
type PartResults = (
    (usize, usize),
    HeldStations,
    Unrecorded,
    ModuleRows,
    Tally,
    ThirdMarked,
);

/// Stations a referral's third marker settled: candidate, station, and
/// what the third marker gave beside what the examiners' marks gave.
pub type ThirdMarked = Vec<(String, String, String)>;

/// The stations held back although every sheet is in, and those a third
/// marker's sheet settled after a referral.
pub struct Held {
    pub stations: HeldStations,
    pub third: ThirdMarked,
}

impl Held {
    pub fn iter(&self) -> std::slice::Iter<'_, HeldStation> {
        self.stations.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }

    pub fn len(&self) -> usize {
        self.stations.len()
    }
}

/// Components assessed outside the stations with no result yet: by
/// component id, the candidates.
pub type Unrecorded = std::collections::BTreeMap<String, Vec<String>>;

/// For a rubric with components, each candidate's module result and every
/// component's: (candidate, the result's word, "cases PASS · logbook FAIL:
/// 32 more unassisted scans").
pub type ModuleRows = Vec<(String, String, String)>;

/// How many candidates' results are each word (PASS, FAIL, DEFERRED,
/// INCOMPLETE).
pub type Tally = std::collections::BTreeMap<String, usize>;

/// Why the results are not final yet, with `incomplete` as
/// [`incomplete_results`] gives it: empty when they are.
fn why_not_final(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    decisions: &osce::results::decisions::Decisions,
    incomplete: (usize, usize),
    (not_due, not_read): (&NotDue, usize),
) -> Vec<String> {
    osce::results::finality::not_final(
        rubric,
        cohort,
        m,
        moderation,
        decisions,
        osce::results::finality::Pending {
            incomplete: incomplete.0,
            without_mark: without_mark(rubric, incomplete.1),
            not_due: not_due.count(),
            not_read,
        },
    )
}

/// How many candidates' results, after moderation and decisions and under
/// the pass marks in force, are INCOMPLETE; and the stations held back
/// although every sheet there is in (a referral, a decision to review),
/// with why.
pub fn incomplete_results(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    standards: &osce::scoring::Standards,
) -> PartResults {
    let outside: Vec<&str> = rubric
        .components
        .iter()
        .flat_map(|c| &c.parts)
        .filter(|p| p.stations.is_empty())
        .map(|p| p.id.as_str())
        .collect();
    // A part of the candidates on each core, put together in order.
    let parts: Vec<&[String]> = m.candidates.chunks(256).collect();
    let done = osce::base::threads::map(parts, 1, |part| {
        results_of_part(rubric, cohort, m, moderation, standards, &outside, part)
    });
    let mut held = Vec::new();
    let mut unrecorded = Unrecorded::new();
    let mut modules = ModuleRows::new();
    let mut incomplete = (0, 0);
    let mut tally = Tally::new();
    let mut third = ThirdMarked::new();
    for (n, h, u, rows, t, th) in done {
        third.extend(th);
        incomplete.0 += n.0;
        incomplete.1 += n.1;
        for (word, k) in t {
            *tally.entry(word).or_default() += k;
        }
        held.extend(h);
        for (component, candidates) in u {
            unrecorded.entry(component).or_default().extend(candidates);
        }
        modules.extend(rows);
    }
    (incomplete, held, unrecorded, modules, tally, third)
}

/// [`incomplete_results`] of the candidates `part`.
fn results_of_part(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    standards: &osce::scoring::Standards,
    outside: &[&str],
    part: &[String],
) -> PartResults {
    let mut held = Vec::new();
    let mut unrecorded = Unrecorded::new();
    let mut modules = ModuleRows::new();
    let mut incomplete = (0, 0);
    let mut tally = Tally::new();
    let mut third = ThirdMarked::new();
    {
        for r in osce::results::reconcile::results_for(rubric, cohort, m, standards, moderation, part) {
            // What a referral's third marker gave, as the result says it.
            for (station, d) in &r.stations {
                if let osce::results::moderation::CellModeration::Referred { third: Some(_), .. } =
                    d.moderation
                    && let Some(gave) = d.final_result.reasons.iter().rev().find(|x| {
                        x.text.contains("after referral by") && x.text.contains("the examiners' marks gave")
                    })
                {
                    third.push((r.candidate.clone(), station.clone(), gave.text.clone()));
                }
            }
            *tally.entry(r.final_word()).or_default() += 1;
            incomplete.0 += usize::from(r.waiting());
            incomplete.1 += usize::from(r.certain_without_mark());
            if rubric.components.is_some() {
                let parts: Vec<String> = r
                    .final_result
                    .components
                    .iter()
                    .map(|c| {
                        use osce::results::decisions::{ComponentValue, Ruling};
                        let recorded = r
                            .component_decisions
                            .iter()
                            .find(|(id, _)| *id == c.component)
                            .and_then(|(_, h)| match &h.ruling {
                                Ruling::Component { result, note, .. } => Some((*result, note.as_str())),
                                _ => None,
                            });
                        let then = |note: &str| {
                            if note.is_empty() {
                                String::new()
                            } else {
                                format!("; {note}")
                            }
                        };
                        // A part missed says so; a failed part recorded
                        // with a note says why.
                        let (word, why) = match recorded {
                            Some((ComponentValue::Deferred, note)) => ("DEFERRED".to_string(), then(note)),
                            Some((ComponentValue::Absent, note)) => (
                                c.outcome.to_string(),
                                format!(
                                    ": absent, {}{}",
                                    ComponentValue::absent_counts_as(c.weight.is_some()),
                                    then(note)
                                ),
                            ),
                            Some((_, note))
                                if !note.is_empty() && c.outcome == osce::scoring::Outcome::Fail =>
                            {
                                (c.outcome.to_string(), format!(": {note}"))
                            }
                            _ => (c.outcome.to_string(), String::new()),
                        };
                        let why = match why.strip_prefix("; ") {
                            Some(rest) => format!(": {rest}"),
                            None => why,
                        };
                        format!("{} {word}{why}", c.component)
                    })
                    .chain(r.final_result.module_mark_words())
                    .collect();
                // A FAIL on a critical item that fails the assessment is
                // final whatever the components still wait for: said
                // first, or the line reads as a FAIL of nothing.
                let parts: Vec<String> = failed_assessment_at(&r.final_result)
                    .into_iter()
                    .chain(parts)
                    .collect();
                modules.push((r.candidate.clone(), r.final_word(), parts.join(" · ")));
            }
            if r.deferred.is_none() {
                for c in &r.final_result.components {
                    if c.outcome == osce::scoring::Outcome::Incomplete
                        && outside.contains(&c.component.as_str())
                    {
                        unrecorded
                            .entry(c.component.clone())
                            .or_default()
                            .push(r.candidate.clone());
                    }
                }
            }
            for (station, d) in &r.stations {
                let done = m.cell(&r.candidate, station).is_some_and(|c| c.state.is_done());
                if done && d.final_result.outcome == osce::scoring::StationOutcome::Incomplete {
                    let why = d
                        .final_result
                        .reasons
                        .iter()
                        .rev()
                        .find(|x| x.verdict == osce::scoring::Outcome::Incomplete)
                        .map(|x| x.text.clone())
                        .unwrap_or_else(|| "not complete".to_string());
                    // Sheets the rubric requires moderated are counted in
                    // the moderation section, not listed one by one.
                    if !why.contains("not yet moderated") {
                        held.push(HeldStation {
                            candidate: r.candidate.clone(),
                            station: station.clone(),
                            why,
                            // Assessors who differ and referrals are listed
                            // with their command above.
                            lead_can_decide: {
                                let agreed = m.cell(&r.candidate, station).is_some_and(|c| {
                                    moderation
                                        .agreed_mark(cohort, &c.sheets, &r.candidate, station)
                                        .is_some()
                                });
                                osce::results::reconcile::held_for_review(d)
                                    || osce::results::reconcile::held_unmoderated(rubric, d)
                                    || osce::results::reconcile::awaiting_reconciliation(rubric, d, agreed)
                                    || m.cell(&r.candidate, station).is_some_and(|c| {
                                        osce::results::reconcile::decision_overtaken(
                                            &d.decided, cohort, &c.sheets, agreed,
                                        )
                                        .is_some()
                                    })
                            },
                            review: osce::results::reconcile::held_for_review(d),
                            marks_give: d.result.outcome,
                        });
                    }
                }
            }
        }
    }
    (incomplete, held, unrecorded, modules, tally, third)
}

/// How many candidates keep the results from final for having no mark,
/// of the `counted` with a certain result and no mark: none where the
/// rubric's marks.csv gives no mark, only results.
pub fn without_mark(rubric: &Rubric, counted: usize) -> usize {
    if osce::results::export::gives_marks(&super::export::marks_columns(rubric, None)) {
        counted
    } else {
        0
    }
}

/// Where results are final from journals that end in an unfinished line
/// (a copy still arriving, or a crash mid-write), a caveat for whoever
/// uploads them: `None` where no journal does. `listed` says where they
/// are named.
pub fn arriving_words(cohort: &Cohort, listed: &str) -> Option<String> {
    let torn = cohort
        .problems
        .iter()
        .filter(|p| matches!(p, CohortProblem::TornTail { .. }))
        .count();
    (torn > 0).then(|| {
        format!(
            "({} in an unfinished line ({listed}): every command uses {} complete lines. If a laptop's folder was \
             still being copied, copy or collect it again before uploading.)",
            plural(torn, "journal ends", "journals end"),
            if torn == 1 { "its" } else { "their" }
        )
    })
}

/// Whether the results are final, in words: the closing lines of `status`
/// and `export`.
pub fn finality_words(why: &[String]) -> String {
    if why.is_empty() {
        return "\nEvery result is final.\n".to_string();
    }
    let mut out = String::from("\nNot final yet:\n");
    for w in why {
        let _ = writeln!(out, "  - {w}");
    }
    out
}

/// Leaves the cohort and its matrix to the operating system, which takes
/// back a process's memory at once when it ends: freeing them one
/// allocation at a time (some tens of allocations for each of tens of
/// thousands of sheets) would take a noticeable part of a second. Only for
/// the end of a command, when nothing is left to do but exit.
pub fn leave(cohort: Cohort, m: Matrix) {
    std::mem::forget(cohort);
    std::mem::forget(m);
}

fn short(state: CellState) -> &'static str {
    match state {
        CellState::Missing => "·",
        CellState::Opened => "opened",
        CellState::InProgress => "marking",
        CellState::Submitted => "✓",
        CellState::Amended => "✓ amended",
        CellState::Amending => "amending",
        CellState::Absent => "absent",
        CellState::Conflict => "CONFLICT",
        CellState::Problem => "PROBLEM",
    }
}

/// Where moderation leaves every cell that has sheets and no conflict.
fn moderation_of(
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
) -> std::collections::BTreeMap<(String, String), CellModeration> {
    m.cells
        .iter()
        .filter(|(_, c)| !c.sheets.is_empty() && !matches!(c.state, CellState::Conflict | CellState::Problem))
        .map(|((cand, st), c)| {
            (
                (cand.clone(), st.clone()),
                moderation.cell(cohort, &c.sheets, cand, st),
            )
        })
        .collect()
}

/// With `moderation: (mode: All)`: submitted sheets not (or no longer)
/// moderated.
fn required_unmoderated(rubric: &Rubric, cohort: &Cohort, m: &Matrix, moderation: &Moderation) -> usize {
    if rubric.moderation != osce::rubric::ModerationPolicy::All {
        return 0;
    }
    moderation_of(cohort, m, moderation)
        .iter()
        .filter(|(k, cm)| {
            let done = m
                .cells
                .get(*k)
                .is_some_and(|c| c.state.is_done() && c.state != CellState::Absent);
            done && !cm.is_moderated()
        })
        .count()
}

/// How many candidates' rows the matrix shows between two header rows.
const HEADER_EVERY: usize = 30;

/// The sheets not in yet whose rounds have not ended, by the roster's
/// circuit start times: being marked in the round under way, or of rounds
/// not begun: not missing, only not due yet. Each circuit's are said in
/// one line rather than sheet by sheet.
#[derive(Default)]
pub struct NotDue {
    cells: std::collections::HashSet<(String, String)>,
    /// One line per circuit with such sheets.
    lines: Vec<String>,
    /// The sheets not in of circuits timed by their clock whose rounds are
    /// over: overdue, shown so in the matrix.
    overdue: std::collections::HashSet<(String, String)>,
    /// Sheets opened (or being marked) whose rounds have not ended: being
    /// marked in their round, or opened ahead of it; nothing to act on yet.
    marking: std::collections::HashSet<(String, String)>,
}

impl NotDue {
    /// At `now`, for the cells of `m` with no sheet in yet.
    pub fn at(
        roster: Option<&osce::day::roster::Roster>,
        rubric: &Rubric,
        m: &Matrix,
        now: chrono::DateTime<chrono::Utc>,
    ) -> NotDue {
        let Some(roster) = roster else {
            return NotDue::default();
        };
        let mut not_due = NotDue::default();
        for ahead in osce::day::circuit::ahead(roster, rubric, now) {
            let mut count = |sheets: &[(usize, usize)]| {
                let mut n = 0;
                for &(candidate, station) in sheets {
                    let (Some(c), Some(s)) = (roster.candidates.get(candidate), rubric.stations.get(station))
                    else {
                        continue;
                    };
                    match m.cell(&c.id, &s.id).map(|cell| cell.state) {
                        Some(CellState::Missing) => {
                            not_due.cells.insert((c.id.clone(), s.id.clone()));
                            n += 1;
                        }
                        Some(CellState::Opened | CellState::InProgress) => {
                            not_due.marking.insert((c.id.clone(), s.id.clone()));
                        }
                        _ => {}
                    }
                }
                n
            };
            let (now_marked, later) = (count(&ahead.under_way), count(&ahead.sheets));
            if now_marked + later == 0 {
                continue;
            }
            // In the offset the roster wrote the start in: the exam
            // lead's own clock.
            let offset = roster.start_offset(ahead.circuit.as_deref());
            let begins = ahead.begins.with_timezone(&offset);
            let clock = if begins.date_naive() == now.with_timezone(&offset).date_naive() {
                begins.format("%H:%M:%S").to_string()
            } else {
                begins.format("%Y-%m-%d %H:%M:%S").to_string()
            };
            let clock = format!(
                "{} (UTC{})",
                clock.strip_suffix(":00").unwrap_or(&clock),
                begins.format("%:z")
            );
            let circuit = ahead
                .circuit
                .as_deref()
                .map_or("the circuit".to_string(), |c| format!("circuit {c}"));
            let mut said = Vec::new();
            if ahead.next == 0 {
                said.push(format!("round 1 begins at {clock}"));
            } else {
                said.push(format!(
                    "round {} of {} under way until {clock}{}",
                    ahead.next,
                    ahead.rounds,
                    match now_marked {
                        0 => String::new(),
                        n => format!(": {} being marked, due then", plural(n, "sheet", "sheets")),
                    }
                ));
            }
            if later > 0 {
                let be = if later == 1 { "is" } else { "are" };
                said.push(if ahead.next == 0 {
                    format!("its {} {be} not due yet", plural(later, "sheet", "sheets"))
                } else if ahead.next + 1 == ahead.rounds {
                    format!(
                        "{} of round {} {be} not due yet",
                        plural(later, "sheet", "sheets"),
                        ahead.rounds
                    )
                } else {
                    format!(
                        "{} of rounds {} to {} {be} not due yet",
                        plural(later, "sheet", "sheets"),
                        ahead.next + 1,
                        ahead.rounds
                    )
                });
            }
            not_due.lines.push(format!("{circuit}: {}", said.join("; ")));
        }
        // Of the circuits on their clock, a sheet not in and not due yet is
        // one whose round is over.
        for c in roster.candidates.iter().filter(|c| c.circuit_start.is_some()) {
            for st in &m.stations {
                if m.cell(&c.id, st)
                    .is_some_and(|cell| cell.state == CellState::Missing)
                    && !not_due.holds(&c.id, st)
                {
                    not_due.overdue.insert((c.id.clone(), st.clone()));
                }
            }
        }
        not_due
    }

    fn holds(&self, candidate: &str, station: &str) -> bool {
        !self.cells.is_empty() && self.cells.contains(&(candidate.to_string(), station.to_string()))
    }

    /// Whether the sheet of `candidate` at `station` is being marked (or
    /// was opened ahead) with its round not ended.
    fn marking(&self, candidate: &str, station: &str) -> bool {
        !self.marking.is_empty()
            && self
                .marking
                .contains(&(candidate.to_string(), station.to_string()))
    }

    /// Whether the sheet of `candidate` at `station` is overdue by its
    /// circuit's clock.
    fn overdue(&self, candidate: &str, station: &str) -> bool {
        !self.overdue.is_empty()
            && self
                .overdue
                .contains(&(candidate.to_string(), station.to_string()))
    }

    /// How many sheets are not due yet.
    pub fn count(&self) -> usize {
        self.cells.len()
    }
}

/// Only what needs action, candidate by candidate: `status --problems`.
/// The `osce decide` command that settles each problem, as a line to copy.
pub struct Hints {
    rubric: String,
    /// The archive the sheets are read from, if they are.
    archive: Option<PathBuf>,
    /// Where the decision reads the sheets and is recorded:
    /// `--sessions DIR...`, or `--archive ARCHIVE --into FOLDER`.
    source: String,
    /// ` --roster FILE` where the status was given one: a decision on
    /// candidates with no sheet (a component's result) needs it too.
    roster: String,
}

impl Hints {
    pub fn new(rubric: &Path, sessions: &[PathBuf]) -> Hints {
        Hints {
            rubric: osce::base::text::shell_path(rubric),
            archive: None,
            source: format!(
                "--sessions {}",
                sessions
                    .iter()
                    .map(|p| osce::base::text::shell_path(p))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            roster: String::new(),
        }
    }

    /// The roster the status was given, for the decisions that need it.
    pub fn with_roster(mut self, roster: Option<&Path>) -> Hints {
        self.roster = roster
            .map(|r| format!(" --roster {}", osce::base::text::shell_path(r)))
            .unwrap_or_default();
        self
    }

    /// Decisions on the archive's sheets, recorded in a folder of the
    /// lead's own (then collected).
    pub fn archive(rubric: &Path, archive: &Path) -> Hints {
        Hints {
            rubric: osce::base::text::shell_path(rubric),
            archive: Some(archive.to_path_buf()),
            source: format!(
                "--archive {} --into FOLDER",
                osce::base::text::shell_path(archive)
            ),
            roster: String::new(),
        }
    }

    /// A journal as the conflict's decision names it: its path, and where
    /// the archive collected it from (which laptop's history it is).
    fn journal(&self, path: &Path) -> String {
        // Quoted as a shell needs it: pasted into a decision as it is.
        let shown = osce::base::text::shell_path(path);
        match self
            .archive
            .as_deref()
            .and_then(|a| osce::results::archive::origin_of(a, path))
        {
            Some(from) => format!("{shown} (collected from {from})"),
            None => shown,
        }
    }

    /// A history of a sheet in conflict: its journal, and what it holds
    /// (what tells the histories apart when asking the examiner).
    fn history(&self, sheet: &osce::results::gather::FoundSheet) -> String {
        let state = &sheet.state;
        let holds = if let Some(why) = &state.absent {
            format!("absent ({why})")
        } else if let Some(s) = &state.submitted {
            format!(
                "submitted {} {}/{} at {}{}",
                s.outcome,
                osce::scoring::fmt_marks(s.score),
                osce::scoring::fmt_marks(s.max),
                s.time.format("%Y-%m-%d %H:%M:%S UTC"),
                if state.amendments.is_empty() {
                    ""
                } else {
                    ", amended since"
                }
            )
        } else {
            format!(
                "not submitted, {} records{}",
                state.records,
                state
                    .last
                    .map(|(_, t)| format!(", the last at {}", t.format("%Y-%m-%d %H:%M:%S UTC")))
                    .unwrap_or_default()
            )
        };
        format!("{}: {holds}", self.journal(&sheet.path))
    }

    /// Where the decision reads the sheets and is recorded.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The ruling on an item left unmarked: its scale's levels, and "not
    /// observed" only where the scale allows it.
    fn unmarked(
        &self,
        rubric: &Rubric,
        candidate: &str,
        station: &str,
        key: &osce::store::SheetKey,
        item: &str,
    ) -> String {
        let scale = rubric
            .station(station)
            .and_then(|s| s.item(item))
            .map(|i| rubric.scale(i.scale));
        let not_observed = if scale.is_some_and(|s| s.not_observed) {
            " (or --not-observed in place of --level LABEL)"
        } else {
            ""
        };
        let line = self.line(
            "unmarked",
            candidate,
            station,
            &format!(
                "--sheet {}@{} --item {item} --level LABEL{not_observed}",
                key.examiner, key.device
            ),
        );
        match scale {
            Some(scale) => {
                let labels: Vec<&str> = scale.levels.iter().map(|l| l.label.as_str()).collect();
                format!("{line}\n      LABEL: {}", osce::rubric::one_of(&labels))
            }
            None => line,
        }
    }

    /// `    decide: osce decide KIND RUBRIC --sessions … --candidate C
    /// --station S CHOICE --by NAME --reason "…"`.
    /// The decision that settles every station held for review at once.
    fn held(&self) -> String {
        format!(
            "    decide: osce decide held {} {} --by NAME --reason \"…\"",
            self.rubric, self.source
        )
    }

    /// The `--sheet` of a void decision at `candidate` and `station`: the
    /// journal's path where one journal there cannot be used and its
    /// path is a plain shell word (from an archive, its name there, which
    /// `decide` takes), else `PATH` to fill in.
    fn void_choice(&self, cohort: &Cohort, candidate: &str, station: &str) -> String {
        let paths: Vec<&Path> = cohort
            .problem_sheets
            .iter()
            .filter(|p| p.key.candidate == candidate && p.key.station == station)
            .map(|p| p.path.as_path())
            .collect();
        match paths.as_slice() {
            [path] => match path.to_str() {
                Some(text) if !text.is_empty() => format!("--sheet {}", osce::base::text::shell_word(text)),
                _ => "--sheet PATH".to_string(),
            },
            _ => "--sheet PATH".to_string(),
        }
    }

    /// The decision that counts the sheets of another version of the
    /// rubric, differing in its words alone: a line to paste.
    fn rubric_version(&self) -> String {
        format!(
            "  where the other version differs from this one in its words alone, its sheets count by a decision:\n    \
             decide: osce decide rubric-version {} {} --marked-with FILE.ron --by NAME --reason \"…\"\n",
            self.rubric, self.source
        )
    }

    /// `choice` is the command's choice, then perhaps `(or …)`: the
    /// alternative, said on a line of its own below the command, which
    /// stays words a shell takes as they are.
    fn line(&self, kind: &str, candidate: &str, station: &str, choice: &str) -> String {
        let (choice, or) = match choice.split_once(" (or ") {
            Some((choice, or)) => (choice, Some(or)),
            None => (choice, None),
        };
        let mut line = format!(
            "    decide: osce decide {kind} {} {} --candidate {candidate} --station {station} {choice} \
             --by NAME --reason \"…\"",
            self.rubric, self.source
        );
        if let Some(or) = or {
            // `--fail)…` is `--fail in place of --pass)…`.
            // An alternative that names what it replaces is said as it is.
            let (alternative, rest) = or.split_once(')').unwrap_or((or, ""));
            let first = choice.split_whitespace().next().unwrap_or(choice);
            if alternative.contains(" in place of ") {
                line.push_str(&format!("\n      (or {alternative}){rest}"));
            } else {
                line.push_str(&format!("\n      (or {alternative} in place of {first}){rest}"));
            }
        }
        line
    }
}

/// The usable sheets of a cell that also holds a journal that cannot be
/// used (a sound copy kept beside a moved or damaged one): a line each,
/// saying it counts once that journal is voided.
fn usable_beside(hints: &Hints, cohort: &Cohort, cell: &osce::results::gather::Cell) -> String {
    cell.sheets
        .iter()
        .map(|&i| {
            format!(
                "    a usable sheet is there too, {}: it counts once the journal that cannot be used is voided\n",
                hints.journal(&cohort.sheets[i].path)
            )
        })
        .collect()
}

/// The choice of a conflict's decision: whose sheet counts, by examiner
/// and device or by its journal's path, or neither. Where every sheet is
/// one examiner's on one device (different histories of one sheet), only
/// a journal's path tells them apart.
fn conflict_choice(cohort: &Cohort, cell: &osce::results::gather::Cell) -> &'static str {
    let mut who = cell.sheets.iter().map(|&i| {
        let k = &cohort.sheets[i].key;
        (k.examiner.as_str(), k.device.as_str())
    });
    let first = who.next();
    if cell.sheets.len() > 1 && who.all(|w| Some(w) == first) {
        "--use JOURNAL (or --neither); JOURNAL: the path of the history that counts, one of those listed"
    } else {
        "--use EXAMINER@DEVICE (or --neither); EXAMINER@DEVICE: whose sheet counts, or the path of its journal"
    }
}

/// Each station's item ids sorted, with their places in the station (in
/// the order of the rubric's stations): what [`unmarked_items`] walks each
/// sheet's marks against.
struct ItemOrder<'r>(Vec<Vec<(&'r str, usize)>>);

impl<'r> ItemOrder<'r> {
    fn of(rubric: &'r Rubric) -> ItemOrder<'r> {
        ItemOrder(
            rubric
                .stations
                .iter()
                .map(|station| {
                    let mut items: Vec<(&str, usize)> = station
                        .items
                        .iter()
                        .enumerate()
                        .map(|(place, item)| (item.id.as_str(), place))
                        .collect();
                    items.sort_unstable();
                    items
                })
                .collect(),
        )
    }
}

/// Items a submitted sheet left unmarked, with no ruling yet: (sheet index,
/// item id), each sheet's in the rubric's order.
fn unmarked_items(
    rubric: &Rubric,
    order: &ItemOrder<'_>,
    cohort: &Cohort,
    cell: &osce::results::gather::Cell,
) -> Vec<(usize, String)> {
    use osce::results::decisions::Ruling;
    if !matches!(cell.state, CellState::Submitted | CellState::Amended) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let Some(&first) = cell.sheets.first() else {
        return out;
    };
    // Every sheet of a cell is of its station.
    let id = &cohort.sheets[first].key.station;
    let Some(at) = rubric.stations.iter().position(|s| &s.id == id) else {
        return out;
    };
    let station = &rubric.stations[at];
    let mut places = Vec::new();
    for &i in &cell.sheets {
        let sheet = &cohort.sheets[i];
        places.clear();
        sheet.state.unmarked_places(&order.0[at], &mut places);
        places.sort_unstable();
        for &place in &places {
            let item = &station.items[place];
            let ruled = cell.decided.iter().any(|h| {
                matches!(&h.ruling, Ruling::Unmarked { sheet: r, item: it, .. }
                    if it == &item.id && r.examiner == sheet.key.examiner && r.device == sheet.key.device)
            });
            if !ruled {
                out.push((i, item.id.clone()));
            }
        }
    }
    out
}

/// The roster's candidate with sheets that `marked` (marked, and not on
/// the roster) looks like: the same name, else an id a typo away (unless
/// their names say they are two people); and whether it is by name.
fn marked_lookalike<'a>(m: &'a Matrix, cohort: &Cohort, marked: &str) -> Option<(&'a str, bool)> {
    let name = |c: &str| {
        m.names
            .get(c)
            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
            .filter(|n| !n.is_empty())
    };
    let listed = || {
        m.candidates
            .iter()
            .map(String::as_str)
            .filter(|c| !m.unexpected.contains(*c) && m.has_sheets(c))
    };
    let own = name(marked);
    own.as_ref()
        .and_then(|n| listed().find(|r| name(r).as_ref() == Some(n)))
        .map(|r| (r, true))
        .or_else(|| {
            // An id a typo away (one character wrong, missing, extra, or two
            // swapped), whose candidate has no sheet of the examiner's at
            // one at least of the stations marked under it: a sheet's id
            // mistyped leaves the candidate's own sheet of that examiner
            // missing there (at a double-marked station, the other
            // marker's may be in).
            let examiners_at = |c: &str, s: &str| -> Vec<&str> {
                m.cell(c, s)
                    .map(|cell| {
                        cell.sheets
                            .iter()
                            .map(|&i| cohort.sheets[i].key.examiner.as_str())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let marked_at: Vec<(&String, Vec<&str>)> = m
                .stations
                .iter()
                .map(|s| (s, examiners_at(marked, s)))
                .filter(|(_, who)| !who.is_empty())
                .collect();
            osce::rubric::did_you_mean(
                marked,
                listed().filter(|r| {
                    !m.names_differ_wholly(marked, r)
                        && marked_at.iter().any(|(s, who)| {
                            let theirs = examiners_at(r, s);
                            who.iter().any(|e| !theirs.contains(e))
                        })
                }),
            )
            .filter(|r| osce::base::ids::a_typo_away(marked, r))
            .map(|r| (r, false))
        })
}

/// Whether a version of the rubric the cohort's sheets set aside were
/// marked against is not counted by a decision (one counted has only
/// stations it marks otherwise left: no decision counts those).
fn not_counted(rubric: &Rubric, cohort: &Cohort) -> bool {
    cohort
        .other_versions
        .keys()
        .any(|identity| !rubric.counted_versions.contains_key(identity))
}

pub fn render_problems(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    hints: &Hints,
    held: &Held,
    not_due: &NotDue,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — what needs action", rubric.title);
    if let Some(words) = cohort.other_versions_words(rubric) {
        let _ = writeln!(out, "\n{words}.");
        if not_counted(rubric, cohort) {
            out.push_str(&hints.rubric_version());
        }
        // A few (paper sheets imported with a wrong copy of the rubric, say):
        // each, with the decision that sets it aside once marked again.
        // Where no sheet is of this version, the rubric file is what to
        // change, not each sheet. Looked up by path once (a cohort may
        // have hundreds of thousands of sheets).
        let paths: std::collections::HashSet<&Path> = if cohort.sheets.is_empty() {
            std::collections::HashSet::new()
        } else {
            cohort
                .other_versions
                .values()
                .flatten()
                .map(PathBuf::as_path)
                .collect()
        };
        let left: Vec<&osce::results::gather::ProblemSheet> = cohort
            .other_version_sheets
            .iter()
            .filter(|p| paths.contains(p.path.as_path()))
            .collect();
        if !left.is_empty() && left.len() <= 20 {
            for p in left {
                let sheet = match p.path.to_str() {
                    Some(text) if !text.is_empty() => {
                        format!("--sheet {}", osce::base::text::shell_word(text))
                    }
                    _ => "--sheet PATH".to_string(),
                };
                let _ = writeln!(
                    out,
                    "  {} at {}: {} ({})\n  where it was marked again against this rubric, set it aside:\n{}",
                    p.key.candidate,
                    p.key.station,
                    hints.journal(&p.path),
                    p.why,
                    hints.line("void", &p.key.candidate, &p.key.station, &sheet)
                );
            }
        }
    }
    let moderated = moderation_of(cohort, m, moderation);
    let order = ItemOrder::of(rubric);
    let lookalikes = m.roster_lookalikes();
    let mut any = false;
    for c in &m.candidates {
        let mut open = Vec::new();
        for s in &m.stations {
            let Some(cell) = m.cell(c, s) else { continue };
            let what = match cell.state {
                // The paragraph above says what to do about them, once.
                CellState::Problem if cell.other_version => continue,
                CellState::Problem => format!(
                    "{s}: PROBLEM: {}\n{}{}",
                    cell.problem.as_deref().unwrap_or(""),
                    usable_beside(hints, cohort, cell),
                    hints.line("void", c, s, &hints.void_choice(cohort, c, s))
                ),
                CellState::Conflict => format!(
                    "{s}: CONFLICT: {}\n{}{}",
                    cell.conflict.as_deref().unwrap_or(""),
                    cell.sheets
                        .iter()
                        .map(|&i| format!("      {}\n", hints.history(&cohort.sheets[i])))
                        .collect::<String>(),
                    hints.line("conflict", c, s, conflict_choice(cohort, cell))
                ),
                // Being marked with its round not ended (or opened ahead
                // of it): not due yet, nothing to act on.
                CellState::Opened | CellState::InProgress if not_due.marking(c, s) => continue,
                // Several markers: whose sheet is how far, so that the
                // laptop waited for is named.
                state if !state.is_done() && cell.sheets.len() > 1 => format!(
                    "{s}: {} ({})",
                    state.label(),
                    cell.sheets
                        .iter()
                        .map(|&i| {
                            let sheet = &cohort.sheets[i];
                            format!(
                                "{}@{} {}",
                                sheet.key.examiner,
                                sheet.key.device,
                                osce::results::gather::sheet_state(&sheet.state).label()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                // A sheet of a round not begun yet is not missing: the
                // circuits' lines below say when it is due.
                CellState::Missing if not_due.holds(c, s) => continue,
                // One sheet, not finished: whose, so that the laptop to
                // chase is known.
                state if !state.is_done() => match cell.sheets.as_slice() {
                    [i] => {
                        let k = &cohort.sheets[*i].key;
                        format!("{s}: {} ({}@{})", state.label(), k.examiner, k.device)
                    }
                    _ => format!("{s}: {}", state.label()),
                },
                CellState::Absent if !m.absence_to_settle(c, s) => continue,
                CellState::Absent => {
                    let mut why: Vec<&str> = cell
                        .sheets
                        .iter()
                        .filter_map(|&i| cohort.sheets[i].state.absent.as_deref())
                        .collect();
                    // Both markers' reason, where they wrote the same, once.
                    why.sort_unstable();
                    why.dedup();
                    format!(
                        "{s}: absent ({}): not settled (a fail, or the candidate deferred): the result is not final until it is\n{}",
                        why.join("; "),
                        hints.line("absence", c, s, "--deferred (or --fail)")
                    )
                }
                _ if !unmarked_items(rubric, &order, cohort, cell).is_empty() => {
                    let items: Vec<String> = unmarked_items(rubric, &order, cohort, cell)
                        .into_iter()
                        .map(|(i, item)| {
                            let k = &cohort.sheets[i].key;
                            format!(
                                "{s}: item {item} left unmarked on {}@{}'s sheet; {}\n{}",
                                k.examiner,
                                k.device,
                                cohort.sheets[i].state.unmarked_reason(&item),
                                hints.unmarked(rubric, c, s, k, &item)
                            )
                        })
                        .collect();
                    items.join("\n  ")
                }
                _ => match moderated.get(&(c.as_str(), s.as_str()) as &dyn CellKey) {
                    Some(
                        CellModeration::Stale { .. }
                        | CellModeration::Conflicting { .. }
                        | CellModeration::Referred { third: None, .. },
                    ) if cell.result_decided() => {
                        continue;
                    }
                    Some(CellModeration::Stale {
                        by,
                        signed_off: false,
                        gave,
                    }) => format!(
                        "{s}: changed since {} moderated it ({}): the assessor moderates it again, or\n{}",
                        by.join(", "),
                        gave_then_now(*gave, held, c, s),
                        hints.line("result", c, s, result_choice(held, c, s))
                    ),
                    Some(CellModeration::Stale {
                        by,
                        signed_off: true,
                        gave,
                    }) => format!(
                        "{s}: changed since {} moderated it and signed off ({}; the moderation is locked): the exam \
                         lead decides\n{}",
                        by.join(", "),
                        gave_then_now(*gave, held, c, s),
                        hints.line("result", c, s, result_choice(held, c, s))
                    ),
                    Some(CellModeration::Conflicting { detail }) => format!(
                        "{s}: assessors differ: {detail}\n{}",
                        hints.line("result", c, s, result_choice(held, c, s))
                    ),
                    Some(CellModeration::Referred { third: None, .. }) => format!(
                        "{s}: referred to a third marker; no third sheet yet\n{}",
                        hints.line("result", c, s, &referral_choice(held, c, s))
                    ),
                    _ => continue,
                },
            };
            open.push(what);
        }
        let lookalike = lookalikes.iter().find(|(_, r)| r == c);
        if open.is_empty() && lookalike.is_none() {
            continue;
        }
        any = true;
        // A candidate no sheet or roster names (sheets under a mistaken
        // id, say) is their id alone.
        let name = m.names.get(c).map(String::as_str).unwrap_or("");
        let _ = writeln!(out, "\n{}", format!("{c} {name}").trim_end());
        if let Some((marked, _)) = lookalike {
            let _ = writeln!(
                out,
                "  no sheet at any station, while {marked} (not on the roster, below) has sheets: is this id \
                 mistyped in the roster?"
            );
        }
        for what in open {
            let _ = writeln!(out, "  {what}");
        }
    }
    if !m.unexpected.is_empty() {
        any = true;
        let _ = writeln!(
            out,
            "\nNot on the roster, yet marked ({}): a mistyped id on a sheet, or another exam's roster. Add each \
             to the roster, or void a sheet marked under a wrong id:",
            m.unexpected.len()
        );
        for c in &m.unexpected {
            let name = m.names.get(c).map(String::as_str).unwrap_or("");
            let stations: Vec<&str> = m
                .stations
                .iter()
                .filter(|s| {
                    m.cell(c, s)
                        .is_some_and(|cell| !cell.sheets.is_empty() || cell.problem.is_some())
                })
                .map(String::as_str)
                .collect();
            let _ = writeln!(out, "  {c} {name}: sheets at {}", stations.join(", "));
            if let Some((_, r)) = lookalikes.iter().find(|(marked, _)| marked == c) {
                let roster_name = m.names.get(*r).map(String::as_str).unwrap_or("");
                let _ = writeln!(
                    out,
                    "    the roster's {r} {roster_name} has no sheet at all: if that is this candidate, one of the \
                     two ids is mistyped: where the roster's is, correct it to {c} in the roster and run status \
                     again (nothing needs voiding)"
                );
            }
            if let Some((r, same_name)) = marked_lookalike(m, cohort, c) {
                // The roster's candidate is marked too: a sheet's id
                // mistyped at one station, most likely.
                let roster_name = m.names.get(r).map(String::as_str).unwrap_or("");
                let theirs: Vec<&str> = m
                    .stations
                    .iter()
                    .filter(|s| m.cell(r, s).is_some_and(|cell| !cell.sheets.is_empty()))
                    .map(String::as_str)
                    .collect();
                let unmarked: Vec<&str> = stations.iter().copied().filter(|s| !theirs.contains(s)).collect();
                let then = if unmarked.is_empty() {
                    format!("{r} is marked at each of those stations already")
                } else {
                    format!(
                        "then {} under {r}, again or from the paper form (osce import)",
                        if unmarked.len() == 1 {
                            format!("{} still needs marking", unmarked[0])
                        } else {
                            format!("{} still need marking", unmarked.join(", "))
                        }
                    )
                };
                let _ = writeln!(
                    out,
                    "    looks like the roster's {r} {roster_name} ({}), marked at {}: if these sheets are theirs, \
                     they were marked under a mistyped id: void each here; {then}",
                    if same_name {
                        "the same name"
                    } else {
                        "an id a typo away"
                    },
                    theirs.join(", ")
                );
            }
        }
        // One sheet in all: the decision that voids it, filled in.
        let cells: Vec<(&str, &str)> = m
            .unexpected
            .iter()
            .flat_map(|c| {
                m.stations
                    .iter()
                    .filter(move |s| {
                        m.cell(c, s)
                            .is_some_and(|cell| cell.sheets.len() + usize::from(cell.problem.is_some()) > 0)
                    })
                    .map(move |s| (c.as_str(), s.as_str()))
            })
            .collect();
        let line = match cells.as_slice() {
            [(c, s)] if m.cell(c, s).is_some_and(|cell| cell.sheets.is_empty()) => {
                hints.line("void", c, s, &hints.void_choice(cohort, c, s))
            }
            [(c, s)] => match m.cell(c, s).map(|cell| cell.sheets.as_slice()) {
                Some([i]) => {
                    let k = &cohort.sheets[*i].key;
                    hints.line("void", c, s, &format!("--sheet {}@{}", k.examiner, k.device))
                }
                _ => hints.line("void", c, s, "--sheet EXAMINER@DEVICE"),
            },
            _ => hints.line("void", "CANDIDATE", "STATION", "--sheet PATH"),
        };
        let _ = writeln!(out, "{line}");
    }
    if !m.names_differ.is_empty() || m.cells.values().any(|c| c.concern) {
        any = true;
        concerns_section(&mut out, cohort, m);
        names_section(&mut out, m, hints);
    }
    if !not_due.lines.is_empty() {
        let _ = writeln!(
            out,
            "\nNot due yet (not listed above: their rounds have not ended, by the roster's circuit start times):"
        );
        for line in &not_due.lines {
            let _ = writeln!(out, "  {line}");
        }
    }
    // Nothing to do about them, but said: nothing is left out unseen.
    set_aside_section(&mut out, cohort, m);
    if !any && cohort.sheets.is_empty() && !cohort.other_versions.is_empty() {
        let _ = writeln!(out, "\nNo sheet of this version of the rubric to look at.");
    } else if !any {
        let _ = writeln!(
            out,
            "\nNo {}sheet needs action{}.",
            // The sheets of another version, listed first, do.
            if cohort.other_versions.is_empty() {
                ""
            } else {
                "other "
            },
            if held.is_empty() {
                ""
            } else {
                "; the results held back below do"
            }
        );
    }
    if !cohort.problems.is_empty() || !moderation.problems.is_empty() {
        let _ = writeln!(out, "\nProblems with session files:");
        for p in &cohort.problems {
            let _ = writeln!(out, "  {p}");
        }
        for p in &moderation.problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    out
}

/// The status report as text.
pub fn render(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    hints: &Hints,
    held: &Held,
    not_due: &NotDue,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — sheets in", rubric.title);
    if let Some(words) = cohort.other_versions_words(rubric) {
        let _ = writeln!(out, "\n{words}.");
        for (hash, paths) in &cohort.other_versions {
            let _ = writeln!(out, "  identity {}:", osce::results::gather::short_hash(hash));
            for p in paths.iter().take(5) {
                let _ = writeln!(out, "    {}", p.display());
            }
            if paths.len() > 5 {
                let _ = writeln!(out, "    and {} more", paths.len() - 5);
            }
        }
        if not_counted(rubric, cohort) {
            out.push_str(&hints.rubric_version());
        }
    }
    if m.candidates.is_empty() {
        let _ = writeln!(
            out,
            "\nNo sheets found for assessment \"{}\", and no roster given.",
            rubric.id
        );
        return out;
    }
    // No moderation journal, no cell moderated: nothing to look up.
    let moderated = match moderation.logs.is_empty() {
        true => std::collections::BTreeMap::new(),
        false => moderation_of(cohort, m, moderation),
    };
    // A cell's words: its state, then what else is so of it.
    let cell_text = |text: &mut String, c: &str, s: &str| {
        text.clear();
        match m.cell(c, s) {
            None => text.push('·'),
            Some(cell) => {
                // Double marking with a marker's sheet in and another not
                // yet: how many are in, before the state of the rest.
                let submitted = cell
                    .sheets
                    .iter()
                    .filter(|&&i| cohort.sheets[i].state.submitted.is_some())
                    .count();
                if cell.double_marked
                    && submitted > 0
                    && matches!(cell.state, CellState::Opened | CellState::InProgress)
                {
                    let _ = write!(text, "{submitted}✓ ");
                }
                if cell.state == CellState::Missing && not_due.overdue(c, s) {
                    text.push_str("overdue");
                } else {
                    text.push_str(short(cell.state));
                }
                if cell.double_marked {
                    // A third marker's sheet makes three.
                    let _ = write!(text, " {}×", cell.sheets.len().max(2));
                }
                match moderated.get(&(c, s) as &dyn CellKey) {
                    // Referred: waiting for a third marker, or settled by
                    // their sheet.
                    Some(CellModeration::Referred { third: None, .. }) => text.push_str(" R"),
                    Some(CellModeration::Referred { third: Some(_), .. }) => text.push_str(" M3"),
                    Some(cm) if cm.is_moderated() => text.push_str(" M"),
                    Some(CellModeration::Stale { .. } | CellModeration::Conflicting { .. }) => {
                        text.push_str(" M?")
                    }
                    _ => {}
                }
                if cell.concern {
                    text.push_str(" !");
                }
            }
        }
    };
    // Each row's cells, made once, on every core (a cohort of thousands
    // has tens of thousands of cells).
    let rows: Vec<Vec<String>> = osce::base::threads::map(m.candidates.iter().collect(), 256, |c| {
        m.stations
            .iter()
            .map(|s| {
                let mut text = String::new();
                cell_text(&mut text, c, s);
                text
            })
            .collect()
    });
    // As wide as the longest station id or cell, so the columns stay in
    // line.
    let widest_cell = rows
        .iter()
        .flatten()
        .map(|text| text.chars().count())
        .max()
        .unwrap_or(0);
    let width = m
        .stations
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(8)
        .max(11)
        .max(widest_cell);
    let id_width = m
        .candidates
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(9)
        .max(9);
    let mut header = format!("{:<id_width$}  ", "candidate");
    for s in &m.stations {
        let _ = write!(header, "{s:<width$} ");
    }
    header.push_str(" name");
    for (row, (c, cells)) in m.candidates.iter().zip(&rows).enumerate() {
        // The stations' names again every so many rows, so that a long
        // cohort can be read without scrolling back to the top.
        if row % HEADER_EVERY == 0 {
            let _ = writeln!(out, "\n{}", header.trim_end());
        }
        let _ = write!(out, "{c:<id_width$}  ");
        for text in cells {
            let _ = write!(out, "{text:<width$} ");
        }
        let name = m.names.get(c).map(String::as_str).unwrap_or("");
        let mark = if m.unexpected.contains(c) {
            " (not on the roster)"
        } else {
            ""
        };
        let _ = writeln!(out, " {name}{mark}");
    }
    let counts = m.counts();
    // The words the matrix uses, each explained where it appears.
    let words: String = [
        (CellState::Opened, "opened: the sheet opened, nothing marked"),
        (
            CellState::Amended,
            "✓ amended: submitted, then changed with who and why",
        ),
        (CellState::InProgress, "marking: marks given, not submitted"),
        (
            CellState::Amending,
            "amending: submitted, then opened to amend (the submitted version counts meanwhile)",
        ),
        (CellState::Absent, "absent: recorded absent"),
        (
            CellState::Conflict,
            "CONFLICT: different sheets where one is expected",
        ),
        (
            CellState::Problem,
            "PROBLEM: a journal that cannot be used as it is (or sheets of another version of the rubric)",
        ),
    ]
    .iter()
    .filter(|(state, _)| counts.contains_key(state))
    .map(|(_, words)| format!("; {words}"))
    .collect();
    let partly = if m.cells.values().any(|c| {
        c.double_marked
            && matches!(c.state, CellState::Opened | CellState::InProgress)
            && c.sheets
                .iter()
                .any(|&i| cohort.sheets[i].state.submitted.is_some())
    }) {
        "; 1✓ marking 2×: one marker's sheet in, the other's not yet"
    } else {
        ""
    };
    let words = if not_due.overdue.is_empty() {
        words
    } else {
        format!("{words}; overdue: its round is over by the circuit's clock, and no sheet is in")
    };
    let referred = if moderated
        .values()
        .any(|cm| matches!(cm, CellModeration::Referred { .. }))
    {
        "; R referred to a third marker, whose sheet is not in yet; M3 moderated, the third marker's sheet giving the \
         result after a referral"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\nKey: ✓ submitted; · not yet started{words}; 2× double-marked (3× with a third marker's sheet){partly}; ! concern flagged; M moderated{referred}; M? \
         moderation no longer holds (a sheet changed since, or the assessors differ)."
    );
    let total = m.cells.len();
    // Sheets whose rounds have not ended are not missing: not due yet.
    let parts: Vec<String> = counts
        .iter()
        .map(|(state, n)| match state {
            CellState::Missing if not_due.count() > 0 => {
                let due = n.saturating_sub(not_due.count());
                format!("{due} missing, {} not due yet", not_due.count())
            }
            _ => format!("{n} {}", state.label()),
        })
        .collect();
    let _ = writeln!(out, "{total} sheets expected: {}.", parts.join(", "));
    let conflicts: Vec<(&(String, String), &osce::results::gather::Cell)> = m
        .cells
        .iter()
        .filter(|(_, c)| c.state == CellState::Conflict)
        .collect();
    if !conflicts.is_empty() {
        let _ = writeln!(
            out,
            "\nConflicts to resolve (nothing is settled by device clocks):"
        );
        for ((candidate, station), cell) in conflicts {
            let _ = writeln!(
                out,
                "  {candidate} at {station}: {}",
                cell.conflict.as_deref().unwrap_or("")
            );
            for &i in &cell.sheets {
                let _ = writeln!(out, "    {}", hints.history(&cohort.sheets[i]));
            }
            let _ = writeln!(
                out,
                "{}",
                hints.line("conflict", candidate, station, conflict_choice(cohort, cell))
            );
        }
    }
    let problem_cells: Vec<(&(String, String), &osce::results::gather::Cell)> = m
        .cells
        .iter()
        .filter(|(_, c)| c.state == CellState::Problem && !c.other_version)
        .collect();
    if !problem_cells.is_empty() {
        let _ = writeln!(
            out,
            "\nProblems to look at (no sheet counts there until settled):"
        );
        for ((candidate, station), cell) in problem_cells {
            for p in cohort
                .problem_sheets
                .iter()
                .filter(|p| &p.key.candidate == candidate && &p.key.station == station)
            {
                let _ = writeln!(out, "  {candidate} at {station}: {}", p.path.display());
                let _ = writeln!(out, "    {}", p.why);
            }
            out.push_str(&usable_beside(hints, cohort, cell));
            let choice = hints.void_choice(cohort, candidate, station);
            let _ = writeln!(out, "{}", hints.line("void", candidate, station, &choice));
        }
    }
    let absences: Vec<(&(String, String), &osce::results::gather::Cell)> = m
        .cells
        .iter()
        .filter(|((candidate, station), _)| m.absence_to_settle(candidate, station))
        .collect();
    if !absences.is_empty() {
        let _ = writeln!(
            out,
            "\nAbsences to settle (deferred under mitigating circumstances, or a fail):"
        );
        for ((candidate, station), cell) in absences {
            // Each marker's reason, as recorded: what the decision turns on.
            let why: Vec<String> = cell
                .sheets
                .iter()
                .map(|&i| &cohort.sheets[i])
                .filter_map(|s| {
                    let reason = s.state.absent.as_deref()?.trim();
                    let reason = if reason.is_empty() {
                        "no reason given"
                    } else {
                        reason
                    };
                    Some(format!("{}@{}: {reason}", s.key.examiner, s.key.device))
                })
                .collect();
            match why.is_empty() {
                true => {
                    let _ = writeln!(out, "  {candidate} at {station}");
                }
                false => {
                    let _ = writeln!(
                        out,
                        "  {candidate} at {station}: recorded absent by {}",
                        why.join("; ")
                    );
                }
            }
            let _ = writeln!(
                out,
                "{}",
                hints.line("absence", candidate, station, "--deferred (or --fail)")
            );
        }
    }
    // Every sheet of every cell looked at, on every core.
    let order = ItemOrder::of(rubric);
    let unmarked: Vec<_> =
        osce::base::threads::map(m.cells.iter().collect(), 1024, |((candidate, station), cell)| {
            unmarked_items(rubric, &order, cohort, cell)
                .into_iter()
                .map(move |(i, item)| (candidate, station, i, item))
        })
        .into_iter()
        .flatten()
        .collect();
    if !unmarked.is_empty() {
        let _ = writeln!(
            out,
            "\nItems left unmarked on submitted sheets (each needs a ruling):"
        );
        for (candidate, station, i, item) in unmarked {
            let k = &cohort.sheets[i].key;
            let _ = writeln!(
                out,
                "  {candidate} at {station}: item {item} on {}@{}'s sheet; {}",
                k.examiner,
                k.device,
                cohort.sheets[i].state.unmarked_reason(&item)
            );
            let _ = writeln!(out, "{}", hints.unmarked(rubric, candidate, station, k, &item));
        }
    }
    copies_section(&mut out, cohort);
    let agreement = osce::results::reconcile::agreement(rubric, cohort, m);
    if agreement.pairs == 0 && agreement.waiting > 0 {
        let _ = writeln!(
            out,
            "\nDouble marking: no sheet in from both examiners yet ({} waiting for a marker's sheet to be submitted).",
            agreement.waiting
        );
    }
    if agreement.pairs > 0 {
        let waiting = match agreement.waiting {
            0 => String::new(),
            n => format!(" ({n} more waiting for a marker's sheet to be submitted)"),
        };
        let _ = writeln!(
            out,
            "\nDouble marking: {} marked by two examiners or more{waiting}; the figures below compare the \
             first two markers.",
            plural(
                agreement.pairs,
                &format!("candidate × {} cell", rubric.noun().one()),
                &format!("candidate × {} cells", rubric.noun().one())
            )
        );
        for (scale, n, kappa) in &agreement.kappa {
            let value = kappa.map_or(
                "cannot be computed (too few pairs, or every rating the same)".to_string(),
                osce::scoring::fmt_fixed2,
            );
            let _ = writeln!(
                out,
                "  Global ratings ({scale}), weighted kappa over {n} pairs: {value}"
            );
        }
        let (n, icc) = agreement.icc;
        let value = icc.map_or(
            "cannot be computed (too few complete pairs, or no spread)".to_string(),
            osce::scoring::fmt_fixed2,
        );
        let _ = writeln!(out, "  Scores, ICC(2,1) over {n} complete pairs: {value}");
        if !agreement.discrepancies.is_empty() {
            let _ = writeln!(out, "  Discrepancies over the rubric's threshold:");
            for (candidate, station, d) in &agreement.discrepancies {
                let sheets = m
                    .cell(candidate, station)
                    .map_or(&[][..], |c| c.sheets.as_slice());
                let decided = m
                    .cell(candidate, station)
                    .is_some_and(osce::results::gather::Cell::result_decided);
                let agreed = moderation
                    .agreed_mark(cohort, sheets, candidate, station)
                    .is_some();
                let decided_here = m
                    .cell(candidate, station)
                    .map(|c| c.decided.as_slice())
                    .unwrap_or_default();
                let overtaken =
                    osce::results::reconcile::decision_overtaken(decided_here, cohort, sheets, agreed);
                // How many sheets the decision in force was taken over;
                // `Some(None)` for one recorded before osce kept them
                // (`legacy`: what came after it is not known to be after).
                let decided_over = decided_here.iter().find_map(|h| match &h.ruling {
                    osce::results::decisions::Ruling::StationResult { over, .. } => {
                        Some(over.as_ref().map(|o| o.sheets.len()))
                    }
                    _ => None,
                });
                let legacy = decided_over == Some(None);
                let held_words;
                let how = match rubric.double_marking.reconcile {
                    // Decided, and then what the rubric waits for came
                    // after all: held for the exam lead to decide again.
                    _ if overtaken.is_some() => {
                        held_words = format!(
                            "its result decided by the exam lead (osce decide result) before {} came: held for \
                             review until the exam lead decides again with it in view (listed below with the \
                             command)",
                            overtaken.as_deref().unwrap_or_default()
                        );
                        held_words.as_str()
                    }
                    osce::rubric::Reconcile::Mean => "the mean of the two counts",
                    // The exam lead decided the result: nothing waits.
                    osce::rubric::Reconcile::AgreedMark
                        if decided
                            && moderation
                                .agreed_mark(cohort, sheets, candidate, station)
                                .is_none() =>
                    {
                        "its result decided by the exam lead (osce decide result); its score stays the mean of the \
                         two unless the markers' agreed mark is recorded"
                    }
                    osce::rubric::Reconcile::AgreedMark if decided && !legacy => {
                        "its result decided by the exam lead (osce decide result), the markers' agreed mark in view"
                    }
                    osce::rubric::Reconcile::ThirdMarker
                        if decided && decided_over.flatten().is_some_and(|n| n >= 3) =>
                    {
                        "its result decided by the exam lead (osce decide result), the third marker's sheet in view"
                    }
                    osce::rubric::Reconcile::ThirdMarker if decided && !legacy && sheets.len() >= 3 => {
                        "its result decided by the exam lead (osce decide result); a third marker's sheet is being \
                         marked: once it is submitted, the decision is held for review"
                    }
                    // Decided, and then what the rubric waits for came
                    // after all, to a decision recorded before osce kept
                    // what it was taken over: it stands, said as such.
                    osce::rubric::Reconcile::AgreedMark if decided => {
                        "its result decided by the exam lead (osce decide result) before the markers' agreed mark \
                         was recorded: the decision stands, not the agreed mark's result; decide again if that \
                         should count"
                    }
                    osce::rubric::Reconcile::ThirdMarker if decided && sheets.len() >= 3 => {
                        "its result decided by the exam lead (osce decide result) before the third marker's sheet \
                         came: the decision stands, not the third marker's result; decide again if theirs should \
                         count"
                    }
                    osce::rubric::Reconcile::ThirdMarker if decided => {
                        "its result decided by the exam lead (osce decide result); its score stays the mean of the \
                         two unless a third marker's sheet comes"
                    }
                    osce::rubric::Reconcile::ThirdMarker if sheets.len() >= 3 => {
                        "settled by the third marker's sheet"
                    }
                    osce::rubric::Reconcile::ThirdMarker => {
                        "to reconcile: waiting for a third marker's sheet (another examiner marks it with osce score; \
                         if none will come, the exam lead decides its result with osce decide result)"
                    }
                    osce::rubric::Reconcile::AgreedMark
                        if moderation
                            .agreed_mark(cohort, sheets, candidate, station)
                            .is_some() =>
                    {
                        "settled by the markers' agreed mark"
                    }
                    osce::rubric::Reconcile::AgreedMark => {
                        "to reconcile: waiting for the markers' agreed mark (recorded with m in osce moderate; if \
                         they cannot agree, the exam lead decides its result with osce decide result)"
                    }
                };
                // An agreed mark recorded before a marker's sheet changed
                // no longer holds: said beside the wait for another.
                let set_aside = match rubric.double_marking.reconcile {
                    osce::rubric::Reconcile::AgreedMark if !decided => moderation
                        .agreed_mark_set_aside(cohort, sheets, candidate, station)
                        .map(|(a, who)| format!("; {}", osce::results::moderation::set_aside_words(a, &who))),
                    _ => None,
                };
                let _ = writeln!(
                    out,
                    "    {candidate} at {station}: {} marks apart; {how}{}",
                    osce::scoring::fmt_marks(*d),
                    set_aside.unwrap_or_default()
                );
            }
        }
    }
    concerns_section(&mut out, cohort, m);
    names_section(&mut out, m, hints);
    set_aside_section(&mut out, cohort, m);
    moderation_section(&mut out, rubric, m, moderation, &moderated, hints, held);
    if !cohort.problems.is_empty() || !moderation.problems.is_empty() {
        let _ = writeln!(out, "\nProblems with session files:");
        for p in &cohort.problems {
            let _ = writeln!(out, "  {p}");
        }
        for p in &moderation.problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    let amending: Vec<&(String, String)> = m
        .cells
        .iter()
        .filter(|(_, c)| c.state == CellState::Amending)
        .map(|(k, _)| k)
        .collect();
    if !amending.is_empty() {
        let _ = writeln!(
            out,
            "\nBeing amended (each counts as last submitted until its examiner submits it again):"
        );
        for (candidate, station) in amending {
            let _ = writeln!(out, "  {candidate} at {station}");
        }
    }
    if m.complete() {
        // A third marker's sheet after a referral is not expected of the
        // examiners, but the result waits for it all the same.
        // Not one whose result the exam lead decided.
        let referred = moderated
            .iter()
            .filter(|((c, s), cm)| {
                matches!(cm, CellModeration::Referred { third: None, .. })
                    && !m
                        .cell(c, s)
                        .is_some_and(osce::results::gather::Cell::result_decided)
            })
            .count();
        match referred {
            0 => {
                let _ = writeln!(out, "\nEvery expected sheet is in.");
            }
            n => {
                let _ = writeln!(
                    out,
                    "\nEvery expected sheet is in; {} referred to a third marker {} for their sheet.",
                    rubric.noun().count(n),
                    if n == 1 { "waits" } else { "wait" }
                );
            }
        }
    } else {
        let waiting = m.waiting();
        if waiting > 0 && not_due.lines.is_empty() {
            let _ = writeln!(out, "\n{} not in yet.", plural(waiting, "sheet is", "sheets are"));
        } else if waiting > 0 {
            let _ = writeln!(
                out,
                "\n{} not in yet, {} not due yet (their rounds have not ended, by the roster's circuit start times):",
                plural(waiting, "sheet is", "sheets are"),
                not_due.count()
            );
            for line in &not_due.lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let unmoderated = required_unmoderated(rubric, cohort, m, moderation);
    if unmoderated > 0 {
        let _ = writeln!(
            out,
            "{} not moderated yet; the rubric requires every sheet to be (osce moderate).",
            plural(unmoderated, "submitted sheet is", "submitted sheets are")
        );
    }
    out
}

/// What the assessors have done, and anything moderation leaves open.
/// The concerns examiners flagged, each with its kind, who flagged it and
/// their note: the module leader follows each up, whatever the marks.
fn concerns_section(out: &mut String, cohort: &Cohort, m: &Matrix) {
    let concerns: Vec<(&(String, String), &osce::results::gather::Cell)> =
        m.cells.iter().filter(|(_, c)| c.concern).collect();
    if concerns.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nConcerns flagged (to follow up, whatever the marks):");
    for ((candidate, station), cell) in concerns {
        // A candidate nobody named is their id alone.
        let who = match m.names.get(candidate).filter(|n| !n.is_empty()) {
            Some(name) => format!("{candidate} {name}"),
            None => candidate.clone(),
        };
        let _ = writeln!(out, "  {who} at {station}:");
        for &i in &cell.sheets {
            let sheet = &cohort.sheets[i];
            for (kind, note) in &sheet.state.concerns {
                let note = note.trim();
                let _ = writeln!(
                    out,
                    "    {} (from {}){}",
                    kind.label(),
                    sheet.key.examiner,
                    if note.is_empty() {
                        String::new()
                    } else {
                        format!(": \"{note}\"")
                    }
                );
            }
        }
    }
}

/// Sheets opened with nothing recorded on a laptop where another sheet of
/// the cell holds marks: set aside, and said so.
fn set_aside_section(out: &mut String, cohort: &Cohort, m: &Matrix) {
    let aside: Vec<(&(String, String), usize)> = m
        .cells
        .iter()
        .flat_map(|(key, c)| c.set_aside.iter().map(move |&i| (key, i)))
        .collect();
    if aside.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nSet aside: {} opened with nothing recorded (but perhaps the timer), on a laptop where another examiner's sheet of the \
         candidate at that station holds marks (an examiner id mistyped, then corrected): not counted, unless \
         something is recorded on it:",
        plural(aside.len(), "sheet", "sheets")
    );
    for ((candidate, station), i) in aside {
        let k = &cohort.sheets[i].key;
        let _ = writeln!(
            out,
            "  {candidate} at {station}: {}@{} ({})",
            k.examiner,
            k.device,
            cohort.sheets[i].path.display()
        );
    }
}

/// Candidates whose sheets were confirmed under a name other than the
/// roster's (or another sheet's): the examiner saw another name when they
/// confirmed who was in front of them.
fn names_section(out: &mut String, m: &Matrix, hints: &Hints) {
    if m.names_differ.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nNames that differ ({}): sheets confirmed under a name other than {}. Ask the examiner who was in \
         front of them: if it was this candidate, nothing is wrong (correct the roster if it misspells them); if \
         it was someone else, those marks are theirs: void the sheet and record its marks under the right id \
         (osce import):",
        plural(m.names_differ.len(), "candidate", "candidates"),
        if m.names_differ.iter().any(|d| d.roster.is_some()) {
            "the roster's"
        } else {
            "the candidate's other sheets'"
        }
    );
    for d in &m.names_differ {
        match &d.roster {
            Some(name) => {
                let _ = writeln!(out, "  {} {name} (the roster's name)", d.candidate);
            }
            None => {
                let _ = writeln!(out, "  {}", d.candidate);
            }
        }
        if let ([(name, sheets)], Some(_)) = (d.confirmed.as_slice(), &d.roster)
            && sheets.len() > 1
        {
            // Every sheet agrees: the roster's row is the one to check.
            let _ = writeln!(
                out,
                "    every sheet of theirs ({}) confirmed as \"{name}\": is the roster's row for {} right?",
                sheets.len(),
                d.candidate
            );
            continue;
        }
        // The name the others are read against: the roster's, else the one
        // most of their sheets give (listed first).
        let reference = d
            .roster
            .as_deref()
            .or_else(|| d.confirmed.first().map(|(n, _)| n.as_str()));
        for (name, sheets) in &d.confirmed {
            let at: Vec<String> = sheets.iter().map(|(s, who)| format!("{s} ({who})")).collect();
            let same = reference.is_some_and(|r| osce::base::text::same_name(name, r));
            if same && d.roster.as_deref().is_some_and(|r| r != name) {
                let _ = writeln!(
                    out,
                    "    confirmed as \"{name}\" at {}: the roster's name written another way",
                    at.join(", ")
                );
                continue;
            }
            let _ = writeln!(out, "    confirmed as \"{name}\" at {}", at.join(", "));
            if same {
                continue;
            }
            // Each sheet under another name, with the decision that voids
            // it, under its own candidate.
            for (station, who) in sheets {
                let _ = writeln!(
                    out,
                    "{}",
                    hints.line("void", &d.candidate, station, &format!("--sheet {who}"))
                );
            }
        }
    }
}

fn moderation_section(
    out: &mut String,
    rubric: &Rubric,
    m: &Matrix,
    moderation: &Moderation,
    moderated: &std::collections::BTreeMap<(String, String), CellModeration>,
    hints: &Hints,
    held: &Held,
) {
    if moderation.logs.is_empty() && rubric.moderation == osce::rubric::ModerationPolicy::None {
        return;
    }
    let done = m
        .cells
        .values()
        .filter(|c| c.state.is_done() && c.state != CellState::Absent)
        .count();
    // Of the sheets in: a referred cell whose third marker has only
    // opened a sheet is moderated, and not in.
    let holding = moderated
        .iter()
        .filter(|((c, s), cm)| {
            cm.is_moderated()
                && m.cell(c, s)
                    .is_some_and(|cell| cell.state.is_done() && cell.state != CellState::Absent)
        })
        .count();
    let counted = match done {
        0 => format!("no {} results to moderate yet", rubric.noun().one()),
        // A double-marked station is one result, moderated once: counted
        // as such, not as its sheets.
        _ => format!(
            "{holding} of {done} {noun} results moderated (one per candidate and {noun}, however many marked it)",
            noun = rubric.noun().one()
        ),
    };
    let _ = writeln!(
        out,
        "\nModeration: {counted} (rubric: {}).",
        match rubric.moderation {
            osce::rubric::ModerationPolicy::None => "no moderation required".to_string(),
            osce::rubric::ModerationPolicy::Sample { percent } => format!("a sample of {percent}%"),
            osce::rubric::ModerationPolicy::All => "every sheet".to_string(),
        }
    );
    for log in &moderation.logs {
        let signed = match &log.signed_off {
            Some((time, _)) => format!("signed off {}", osce::results::audit::fmt_time(time)),
            None if log.nothing_to_sign_off() => "nothing to sign off".to_string(),
            // Signed off on another device, this one is locked: its
            // draft can no longer be saved.
            None if log.report_draft.is_some()
                && moderation
                    .logs
                    .iter()
                    .any(|l| l.assessor == log.assessor && l.signed_off.is_some()) =>
            {
                "not signed off here (signed off on another device); a report typed here was never saved"
                    .to_string()
            }
            None if log.report_draft.is_some() => {
                "not signed off; the report has changes typed but not saved (osce moderate opens them)"
                    .to_string()
            }
            None => "not signed off".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} on {}: {}; {signed}",
            log.assessor,
            log.device,
            log.summary()
        );
    }
    for ((candidate, station), cm) in moderated {
        let why = match cm {
            CellModeration::Stale { by, gave, .. } => format!(
                "changed since {} moderated it ({})",
                by.join(", "),
                gave_then_now(*gave, held, candidate, station)
            ),
            CellModeration::Conflicting { detail } => format!("assessors differ: {detail}"),
            // A result moderation changed: named, so the exam lead (and the
            // board) see every one without reading results.csv (one held
            // for review is listed with those).
            CellModeration::Disagreed {
                by,
                proposed,
                rationale,
            } if !held
                .iter()
                .any(|h| &h.candidate == candidate && &h.station == station) =>
            {
                format!(
                    "{} disagreed: the result after moderation is {} ({})",
                    by.join(", "),
                    proposed.label(),
                    rationale.trim()
                )
            }
            CellModeration::Referred { by, third: None, .. } => {
                format!(
                    "referred to a third marker by {}; no third sheet yet",
                    by.join(", ")
                )
            }
            // Settled by the third marker's sheet: what it gave, beside
            // what the examiners' marks gave, as the result says it.
            CellModeration::Referred {
                by, third: Some(_), ..
            } => held
                .third
                .iter()
                .find(|(c, s, _)| c == candidate && s == station)
                .map_or_else(
                    || {
                        format!(
                            "referred by {}; the third marker's sheet gives the result",
                            by.join(", ")
                        )
                    },
                    |(_, _, gave)| {
                        gave.split_once("': ")
                            .map_or(gave.clone(), |(_, words)| words.to_string())
                    },
                ),
            _ => continue,
        };
        // The exam lead's decision on the station's result settles what
        // moderation left open: said with it, not left as if pending.
        let decision = m.cell(candidate, station).and_then(|cell| {
            cell.decided
                .iter()
                .rfind(|h| matches!(h.ruling, osce::results::decisions::Ruling::StationResult { .. }))
        });
        match decision {
            Some(held) => {
                let _ = writeln!(out, "  {candidate} at {station}: {why}; settled: {}", held.words);
            }
            None => {
                let _ = writeln!(out, "  {candidate} at {station}: {why}");
            }
        }
        // What the exam lead may decide, where nothing is decided yet.
        let choice = match cm {
            _ if decision.is_some() => None,
            CellModeration::Stale { .. } | CellModeration::Conflicting { .. } => {
                Some(result_choice(held, candidate, station).to_string())
            }
            CellModeration::Referred { third: None, .. } => Some(referral_choice(held, candidate, station)),
            _ => None,
        };
        if let Some(choice) = choice {
            let _ = writeln!(out, "{}", hints.line("result", candidate, station, &choice));
        }
    }
}

/// Where the sheets were looked for, and (another exam's rubric, most
/// likely) what is there instead: `PLACE holds the sheets of "…": check
/// that the rubric is the one the exam used.` and a new line, or nothing
/// where the place holds assessment `id` itself (its sheets were marked
/// against another version of the rubric, which the error about them
/// says).
pub(super) fn elsewhere(
    id: &str,
    sessions: &super::collect::Sessions,
    folders: &[std::path::PathBuf],
) -> (String, String) {
    let (place, holds) = match &sessions.stored {
        Some(stored) => (stored.path().display().to_string(), stored.assessments()),
        None => (
            osce::results::gather::folder_list(folders),
            osce::store::assessments_in(folders),
        ),
    };
    // A folder named one level too high (the laptop's folder, holding
    // `sessions`) or too low (the assessment's own folder): the folder to
    // name instead.
    if sessions.stored.is_none() {
        // Each folder named wrongly, with the folder to give instead; then,
        // where there are several, every folder to give.
        let mut said = String::new();
        let mut instead: Vec<String> = Vec::new();
        let mut wrong = 0;
        for folder in folders {
            let name = |p: &Path| p.display().to_string();
            let right = match instead_of(id, folder) {
                Some(Instead::Above(parent)) => vec![name(&parent)],
                Some(Instead::TwoAbove(sessions_folder)) => vec![name(&sessions_folder)],
                Some(Instead::Inside(inner)) => inner.iter().map(|p| name(p)).collect(),
                None => vec![name(folder)],
            };
            for r in right {
                if !instead.contains(&r) {
                    instead.push(r);
                }
            }
            let words = match instead_of(id, folder) {
                Some(Instead::Above(parent)) => format!(
                    "{} is the assessment's own folder: name the sessions folder above it instead (--sessions {}).\n",
                    name(folder),
                    name(&parent)
                ),
                Some(Instead::TwoAbove(sessions_folder)) => format!(
                    "{} is an examiner's folder in the assessment's: name the sessions folder two levels above it \
                     instead (--sessions {}).\n",
                    name(folder),
                    name(&sessions_folder)
                ),
                Some(Instead::Inside(inner)) if inner.len() == 1 => format!(
                    "{} holds the sessions folder {}, where the sheets of \"{id}\" are: name that folder instead \
                     (--sessions {}).\n",
                    name(folder),
                    name(&inner[0]),
                    name(&inner[0])
                ),
                Some(Instead::Inside(inner)) => {
                    let names: Vec<String> = inner.iter().map(|p| name(p)).collect();
                    format!(
                        "{} holds {} sessions folders, {}, with the journals of \"{id}\" (sheets, and any \
                         moderation or decisions): name them all instead (--sessions {}).\n",
                        name(folder),
                        inner.len(),
                        names.join(", "),
                        names.join(" ")
                    )
                }
                None => continue,
            };
            said.push_str(&words);
            wrong += 1;
        }
        if wrong > 1 {
            said.push_str(&format!(
                "That is, name these instead: --sessions {}\n",
                instead.join(" ")
            ));
        }
        if wrong > 0 {
            return (place, said);
        }
    }
    let mut other = if holds.is_empty() && sessions.stored.is_some() {
        // A first collect killed before it wrote anything leaves an empty
        // archive; so does one given no folder with journals in.
        format!(
            "{place} holds no journals at all (a first collect cut short leaves it so): collect the laptops' \
             folders into it, `osce collect {place} FOLDER...`.\n"
        )
    } else if holds.is_empty() || holds.iter().any(|h| h == id) {
        String::new()
    } else {
        format!(
            "{place} holds the sheets of {}: check that the rubric is the one the exam used.\n",
            osce::base::text::quoted_list(&holds)
        )
    };
    if sessions.stored.is_none() && other.is_empty() {
        for folder in folders {
            other.push_str(&no_sheets_here(id, folder));
        }
    }
    (place, other)
}

/// Where `folder`, named as a sessions folder, holds no sheet of
/// assessment `id`: a folder of it (or inside it) holding only an
/// assessor's moderation or a lead's decisions journal, and an exam
/// archive beside them that holds the sheets, each said on a line of its
/// own.
fn no_sheets_here(id: &str, folder: &Path) -> String {
    let mut out = String::new();
    let entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    // Examiners' folders put straight into the sessions folder, without
    // the assessment's folder between (a laptop's folder copied one level
    // too high).
    out.push_str(&examiners_straight_in(id, folder));
    let mut journals_only: Vec<&Path> = std::iter::once(folder)
        .chain(entries.iter().filter(|p| p.is_dir()).map(PathBuf::as_path))
        .filter(|f| {
            let assessment = f.join(id);
            assessment.is_dir() && !holds_sheets(&assessment)
        })
        .collect();
    journals_only.sort();
    for f in journals_only {
        let _ = writeln!(
            out,
            "{} holds only an assessor's moderation or an exam lead's decisions of \"{id}\", no sheet: name it \
             beside the sessions folders that hold the sheets (--sessions SHEETS {}), or read the exam archive \
             (--archive ARCHIVE).",
            f.display(),
            f.display()
        );
    }
    let mut archives: Vec<&PathBuf> = entries
        .iter()
        .filter(|p| p.is_file())
        .filter(|p| {
            osce::results::archive::Stored::open(p)
                .map(|s| s.holds(id))
                .unwrap_or(false)
        })
        .collect();
    archives.sort();
    for a in archives {
        let _ = writeln!(
            out,
            "{} is an exam archive holding the sheets of \"{id}\": read it with --archive {}.",
            a.display(),
            a.display()
        );
    }
    out
}

/// The sessions folder meant where `folder`, named as one, holds none of
/// assessment `id`'s sheets itself.
enum Instead {
    /// `folder` is the assessment's own folder: the one above it.
    Above(PathBuf),
    /// `folder` is an examiner's folder in the assessment's: two above.
    TwoAbove(PathBuf),
    /// `folder` holds the sessions folder (a laptop's folder), or several
    /// (a folder of the laptops' folders): each that holds sheets.
    Inside(Vec<PathBuf>),
}

/// Whether the assessment's folder `assessment` holds a sheet: an
/// examiner's folder with a candidate's in it (not only an assessor's
/// moderation or a lead's decisions journal).
/// Examiners' folders (`<examiner>@<device>`, holding candidates'
/// folders) put straight into `folder`, a sessions folder, without the
/// assessment's folder between (a laptop's folder copied one level too
/// high): their sheets are not read. One line saying where to move them,
/// or nothing.
fn examiners_straight_in(id: &str, folder: &Path) -> String {
    let examiners = super::collect::examiners_in(folder);
    if folder.file_name().is_some_and(|n| n == std::ffi::OsStr::new(id)) || examiners.is_empty() {
        return String::new();
    }
    let shown = super::collect::first_few(&examiners);
    let beside = if folder.join(id).is_dir() {
        ", beside the assessment's folder: what they hold is not read"
    } else {
        ", without the assessment's folder between"
    };
    format!(
        "{} holds examiners' or assessors' folders ({shown}) straight in it{beside}. If they hold journals of \
         \"{id}\", move them into {} (a sessions folder holds a folder per assessment, and the examiners' folders \
         in it).\n",
        folder.display(),
        folder.join(id).display()
    )
}

fn holds_sheets(assessment: &Path) -> bool {
    use super::collect::dirs;
    dirs(assessment).iter().any(|examiner| {
        examiner
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains('@'))
            && !dirs(examiner).is_empty()
    })
}

fn instead_of(id: &str, folder: &Path) -> Option<Instead> {
    let examiners_inside = || {
        std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                e.file_name().to_str().is_some_and(|n| n.contains('@'))
                    && e.file_type().is_ok_and(|t| t.is_dir())
            })
    };
    if folder.file_name().is_some_and(|n| n == std::ffi::OsStr::new(id))
        && examiners_inside()
        && holds_sheets(folder)
        && let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty())
    {
        return Some(Instead::Above(parent.to_path_buf()));
    }
    // Deeper still: an examiner's folder (`EXAMINER@DEVICE`) inside the
    // assessment's.
    if folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains('@'))
        && let Some(assessment) = folder.parent()
        && assessment
            .file_name()
            .is_some_and(|n| n == std::ffi::OsStr::new(id))
        && holds_sheets(assessment)
        && let Some(sessions_folder) = assessment.parent().filter(|p| !p.as_os_str().is_empty())
    {
        return Some(Instead::TwoAbove(sessions_folder.to_path_buf()));
    }
    // The sessions folders inside it, or a level further down (a folder
    // of the laptops' folders, each holding `sessions`).
    // Beside the examiners' folders, those holding only an assessor's
    // moderation or the exam lead's decisions are named too: left out,
    // their journals would be.
    let children = super::collect::dirs(folder);
    let mut inside: Vec<PathBuf> = children
        .iter()
        .filter(|p| holds_journals(&p.join(id)))
        .cloned()
        .collect();
    if !inside.iter().any(|p| holds_sheets(&p.join(id))) {
        inside = children
            .iter()
            .flat_map(|c| super::collect::dirs(c))
            .filter(|p| holds_journals(&p.join(id)))
            .collect();
    }
    inside.sort();
    (inside.iter().any(|p| holds_sheets(&p.join(id)))).then_some(Instead::Inside(inside))
}

/// Whether `assessment` (an assessment's folder) holds a journal of any
/// kind: an examiner's sheets, an assessor's moderation, the exam lead's
/// decisions.
fn holds_journals(assessment: &Path) -> bool {
    super::collect::dirs(assessment).iter().any(|folder| {
        folder
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains('@'))
            && std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some())
    })
}

/// The folders a decision suggested by status reads: each folder named
/// that holds the assessment's sheets, and in place of one that holds
/// none, the folder meant (one a level too high or too low); a folder
/// that is neither is left out (`decide` would refuse it). The folders
/// named, where none holds any.
fn hint_folders(id: &str, folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut meant: Vec<PathBuf> = Vec::new();
    for folder in folders {
        let use_it = if folder.join(id).is_dir() {
            Some(vec![folder.clone()])
        } else {
            instead_of(id, folder).map(|i| match i {
                Instead::Above(p) | Instead::TwoAbove(p) => vec![p],
                Instead::Inside(inner) => inner,
            })
        };
        for f in use_it.into_iter().flatten() {
            if !meant.contains(&f) {
                meant.push(f);
            }
        }
    }
    if meant.is_empty() { folders.to_vec() } else { meant }
}

/// Where sheets were found in some of several folders: each folder named
/// that holds none of assessment `id` (named a level too high or too low,
/// or the wrong folder), with what is there instead, one a line; empty
/// when every folder holds some.
/// How many of the folders named [`folders_without`] says were not read.
pub(super) fn folders_not_read(
    id: &str,
    sessions: &super::collect::Sessions,
    folders: &[std::path::PathBuf],
) -> usize {
    if sessions.stored.is_some() {
        return 0;
    }
    folders
        .iter()
        .filter(|f| {
            if f.join(id).is_dir() {
                !examiners_straight_in(id, f).is_empty()
            } else {
                folders.len() > 1
            }
        })
        .count()
}

pub(super) fn folders_without(
    id: &str,
    sessions: &super::collect::Sessions,
    folders: &[std::path::PathBuf],
) -> String {
    if sessions.stored.is_some() {
        return String::new();
    }
    // Examiners' folders one level too high beside the assessment's: the
    // rest of the folder is read, so they would go unnoticed.
    let straight: String = folders
        .iter()
        .filter(|f| f.join(id).is_dir())
        .map(|f| examiners_straight_in(id, f))
        .collect();
    let mut out = String::new();
    for folder in folders
        .iter()
        .filter(|f| folders.len() > 1 && !f.join(id).is_dir())
    {
        let (_, other) = elsewhere(id, sessions, std::slice::from_ref(folder));
        if other.is_empty() {
            let _ = writeln!(out, "{} holds no sheets of \"{id}\".", folder.display());
        } else {
            out.push_str(&other);
        }
    }
    let mut said = String::new();
    if !straight.is_empty() {
        said = format!("\nNot read (outside the assessment's folder):\n{straight}");
    }
    if !out.is_empty() {
        said.push_str(&format!("\nNot read (no sheets of this assessment):\n{out}"));
    }
    said
}

/// The error of a command that found no sheet of `rubric`'s assessment,
/// naming where it looked, what is there instead, and what was not done.
pub(super) fn nothing_found(
    rubric: &Rubric,
    sessions: &super::collect::Sessions,
    folders: &[std::path::PathBuf],
    not_done: &str,
) -> String {
    let (place, other) = elsewhere(&rubric.id, sessions, folders);
    format!(
        "error: no sheets were found for assessment \"{}\" in {place}: {not_done}\n{other}",
        rubric.id
    )
}

/// The error of a command that would write results from the sheets of
/// `rubric`'s assessment when every sheet found was marked against
/// another version of the rubric (the file edited after the exam, most
/// likely), or `None`: naming the versions met and what was not done, so
/// that nothing is written from no sheet and nothing is called missing.
pub(super) fn only_other_versions(
    rubric: &Rubric,
    file: (&Path, &str),
    cohort: &Cohort,
    sessions: &super::collect::Sessions,
    folders: &[std::path::PathBuf],
    not_done: &str,
) -> Option<String> {
    if !cohort.sheets.is_empty() || !cohort.problem_sheets.is_empty() || cohort.other_versions.is_empty() {
        return None;
    }
    let (path, hash) = file;
    let short = osce::results::gather::short_hash;
    let (place, _) = elsewhere(&rubric.id, sessions, folders);
    let n = cohort.other_version_count();
    let versions = if cohort.other_versions.len() == 1 {
        cohort
            .other_versions
            .keys()
            .map(|v| format!("identity {}", short(v)))
            .collect::<String>()
    } else {
        let each: Vec<String> = cohort
            .other_versions
            .iter()
            .map(|(v, sheets)| format!("{} ({})", short(v), plural(sheets.len(), "sheet", "sheets")))
            .collect();
        format!("identities {}", each.join(", "))
    };
    Some(format!(
        "error: the {} of assessment \"{}\" in {place} {} marked against another version of the rubric \
         ({versions}), none of them against this file ({}, identity {}): {not_done}. The two files differ in what \
         they say (a word, a mark, a rule, even a comma or the order of fields), not only in line endings, spacing \
         or comments. Name the rubric file the exam was marked with: `osce check --identity FILE` prints a file's \
         identity, and `osce show FILE` what a rubric says, to compare two. What the exam board changes after the \
         exam is recorded as a decision (docs/decisions.md), not by editing the rubric.",
        plural(n, "sheet", "sheets"),
        rubric.id,
        if n == 1 { "was" } else { "were" },
        path.display(),
        short(hash),
    ))
}

/// Journals seen more than once, summed up by the folders they were seen
/// in: a folder copied twice is one line, not one per sheet.
fn copies_section(out: &mut String, cohort: &Cohort) {
    for (first, again) in &cohort.same_folders {
        let _ = writeln!(
            out,
            "\n{} and {} are the same folder: read once.",
            first.display(),
            again.display()
        );
    }
    // Copies a sync client (or a person) renamed beside a journal, one by
    // one: each is a file the exam lead may tidy away once it is known that
    // nothing in it is lost.
    let renamed = osce::store::is_renamed_copy;
    let (mut by_name, by_folder): (Vec<_>, Vec<_>) = cohort
        .copies
        .iter()
        .partition(|c| renamed(&c.copy) || renamed(&c.used));
    by_name.sort_by(|a, b| (&a.used, &a.copy).cmp(&(&b.used, &b.copy)));
    if !by_name.is_empty() {
        let _ = writeln!(
            out,
            "\nRenamed copies of journals or their folders (a sync client keeps both files when one changed in two \
             places), read as copies of the same sheet:"
        );
        const LISTED: usize = 20;
        for c in by_name.iter().take(LISTED) {
            let what = if c.identical {
                format!(
                    "{} is the same as {}: nothing in it is lost",
                    c.copy.display(),
                    c.used.display()
                )
            } else if renamed(&c.used) {
                format!(
                    "{} holds every record of {}, and more: it is the one used. Keep it: the other lacks those \
                     records",
                    c.used.display(),
                    c.copy.display()
                )
            } else {
                format!(
                    "{} is an older copy of {}, which is used: nothing in it is lost",
                    c.copy.display(),
                    c.used.display()
                )
            };
            let _ = writeln!(out, "  {what}");
        }
        if by_name.len() > LISTED {
            let _ = writeln!(out, "  and {} more", by_name.len() - LISTED);
        }
    }
    if by_folder.is_empty() {
        return;
    }
    // (folder of the copy used, folder of the other copy, identical) -> count
    let mut groups: std::collections::BTreeMap<(String, String, bool), usize> = Default::default();
    for c in by_folder {
        let root = |p: &Path| osce::store::sessions_root(p).unwrap_or(p).display().to_string();
        *groups
            .entry((root(&c.used), root(&c.copy), c.identical))
            .or_insert(0) += 1;
    }
    let _ = writeln!(
        out,
        "\nSheets seen more than once, counted once ({} copies):",
        cohort.copies.len() - by_name.len()
    );
    for ((used, copy, identical), n) in groups {
        let what = if identical {
            format!(
                "{} in {copy} the same as in {used}",
                plural(n, "sheet is", "sheets are")
            )
        } else {
            format!(
                "{} in {copy} an older copy of the one in {used}, which is used",
                plural(n, "sheet is", "sheets are")
            )
        };
        let _ = writeln!(out, "  {what}");
    }
}

/// How often `status --watch` looks at the folders again.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether standard output leads nowhere any more: a pipe whose reader
/// has gone (the system says so as an error on it, or a hang-up).
fn nobody_reads() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdout = std::io::stdout();
    let mut fds = [PollFd::new(&stdout, PollFlags::empty())];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    matches!(poll(&mut fds, Some(&now)), Ok(n) if n > 0)
        && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
}

/// What is wrong with the rubric at `path`, in words (what `osce check`
/// says), if it cannot be used; nothing is printed.
fn rubric_words(path: &Path) -> Result<(), String> {
    let text = osce::rubric::read_text(path).map_err(|e| e.to_string())?;
    let checked = osce::rubric::check_str(&path.display().to_string(), &text);
    if checked.rubric.is_some() {
        return Ok(());
    }
    Err(format!(
        "{}: invalid; fix it with `osce check` first:\n{}",
        path.display(),
        diagnostics::render(&checked, false).trim_end()
    ))
}

/// What the watch has seen of the folders: what changed is read again,
/// and what went is remembered.
struct Watcher<'a> {
    args: &'a StatusArgs,
    hints: Hints,
    remembered: osce::results::gather::Remembered,
    /// What was last read whole, when, and how many journals were read
    /// anew for it.
    last_good: Option<(String, String, usize)>,
    /// Since when and why the folders or the roster could not be read (a
    /// share dropped, a sync client re-creating a folder, an editor saving
    /// the roster): the watch keeps going.
    failing: Option<(String, String)>,
    /// When it last looked.
    looked_at: String,
    /// The offset from UTC the roster's circuits start in, in which times
    /// are said (UTC without a roster, or a roster without start times).
    offset: chrono::FixedOffset,
    /// Every journal read so far, and those no longer in the folders
    /// (deleted, or a sync client's undoing), with when they went.
    seen: std::collections::HashSet<PathBuf>,
    gone: std::collections::BTreeMap<PathBuf, String>,
    /// The copies not used at the last look (identical to, or older than,
    /// the journal used): one tidied away loses nothing, and is not gone.
    spare: std::collections::HashSet<PathBuf>,
    /// Journals whose last line is unfinished: how long each was, since
    /// when it has been that long, in words and by the clock.
    arriving: std::collections::BTreeMap<PathBuf, (u64, String, std::time::Instant)>,
    /// When journals were last read anew, and how many.
    changed: (String, usize),
    /// The folders that could not be read at the last look, each with
    /// since when, and when it was last read (if ever).
    away: std::collections::BTreeMap<PathBuf, (String, Option<String>)>,
    /// Journals that hold fewer records than when read earlier, each with
    /// when that was seen, until they hold as many again.
    cut: std::collections::BTreeMap<PathBuf, (String, osce::results::gather::Shrunk)>,
}

/// How long a journal's unfinished last line may stay as it is before the
/// watch stops calling it a copy under way.
const ARRIVING_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// "its journal is" or "its N journals are".
fn plural_its(n: usize) -> String {
    if n == 1 {
        "Its journal is".to_string()
    } else {
        format!("Its {n} journals are")
    }
}

/// The time now on the exam lead's clock: in the offset the roster writes
/// its circuits' start in (`09:50:24 (UTC+01:00)`, as the circuits'
/// rounds are said), else in UTC (`08:50:24 UTC`).
fn clock_words(offset: chrono::FixedOffset) -> String {
    let now = chrono::Utc::now().with_timezone(&offset);
    if offset.local_minus_utc() == 0 {
        now.format("%H:%M:%S UTC").to_string()
    } else {
        now.format("%H:%M:%S (UTC%:z)").to_string()
    }
}

impl<'a> Watcher<'a> {
    fn new(args: &'a StatusArgs) -> Watcher<'a> {
        Watcher {
            args,
            hints: Hints::new(&args.rubric, &args.sessions).with_roster(args.roster.as_deref()),
            remembered: osce::results::gather::Remembered::default(),
            last_good: None,
            failing: None,
            looked_at: String::new(),
            offset: chrono::Offset::fix(&chrono::Utc),
            seen: std::collections::HashSet::new(),
            gone: std::collections::BTreeMap::new(),
            spare: std::collections::HashSet::new(),
            arriving: std::collections::BTreeMap::new(),
            changed: (String::new(), 0),
            away: std::collections::BTreeMap::new(),
            cut: std::collections::BTreeMap::new(),
        }
    }

    /// Looks at the folders again (only journals that changed are read),
    /// with only what needs action when `problems`. `Err` when they could
    /// not be read even once (said on stderr): the command given is wrong.
    fn look(&mut self, problems: bool) -> Result<(), ExitCode> {
        let args = self.args;
        if self.last_good.is_some()
            && let Err(words) = rubric_words(&args.rubric)
        {
            // Said on the screen, in the words `osce check` gives: never
            // written over it on stderr.
            self.looked_at = clock_words(self.offset);
            self.not_read(words);
            return Ok(());
        }
        // A folder that cannot be read (a stick pulled out, a share
        // dropped, a laptop's folder not synced in yet) does not stop the
        // others being read: its journals stay as last read.
        let (readable, away): (Vec<&PathBuf>, Vec<&PathBuf>) =
            args.sessions.iter().partition(|f| std::fs::read_dir(f).is_ok());
        // None readable at the start (the morning, before any laptop's
        // folder has synced in) is no different: the watch starts, saying
        // so, and reads each as it comes.
        // A file named as a folder is a mistake in the command, not a
        // folder yet to come: said, and the watch does not start.
        if self.last_good.is_none()
            && let Some(file) = away.iter().find(|f| f.exists() && !f.is_dir())
        {
            errln!("error: {}", super::collect::no_folder(file));
            return Err(ExitCode::from(EXIT_USAGE));
        }
        let folders: Vec<PathBuf> = readable.into_iter().cloned().collect();
        let held: Vec<PathBuf> = away.into_iter().cloned().collect();
        let mut read_anew = 0;
        let remembered = &mut self.remembered;
        let loaded = load_checked(
            &args.rubric,
            Source::Folders(&folders),
            args.roster.as_deref(),
            &[],
            &[],
            |rubric, hash| {
                let (cohort, n) =
                    osce::results::gather::gather_again(rubric, hash, &folders, &held, remembered)?;
                read_anew = n;
                Ok(cohort)
            },
        );
        if let Ok(l) = &loaded {
            self.offset = l
                .roster
                .as_ref()
                .map_or_else(|| chrono::Offset::fix(&chrono::Utc), |r| r.start_offset(None));
        }
        let last_looked = std::mem::replace(&mut self.looked_at, clock_words(self.offset));
        self.away.retain(|folder, _| held.contains(folder));
        for folder in &held {
            self.away.entry(folder.clone()).or_insert_with(|| {
                (
                    self.looked_at.clone(),
                    self.last_good.as_ref().map(|_| last_looked.clone()),
                )
            });
        }
        let Loaded {
            rubric,
            roster,
            mut cohort,
            matrix: m,
            moderation,
            standards,
            decisions,
            ..
        } = match loaded {
            Ok(l) => {
                self.failing = None;
                if read_anew > 0 || self.last_good.is_none() {
                    self.changed = (self.looked_at.clone(), read_anew);
                }
                l
            }
            Err(failed) => {
                if self.last_good.is_none() {
                    if !failed.words.is_empty() {
                        errln!("error: {}", failed.words);
                    }
                    return Err(failed.code);
                }
                let words = if failed.words.is_empty() {
                    "the rubric cannot be read (what is wrong is above)".to_string()
                } else {
                    failed.words
                };
                self.not_read(words);
                return Ok(());
            }
        };
        // A journal read before and no longer there: said, not silently
        // counted as missing again.
        let here: std::collections::HashSet<PathBuf> = cohort
            .sheets
            .iter()
            .map(|s| s.path.clone())
            .chain(cohort.problem_sheets.iter().map(|p| p.path.clone()))
            .chain(cohort.copies.iter().map(|c| c.copy.clone()))
            .chain(cohort.other_versions.values().flatten().cloned())
            .chain(cohort.other_version_sheets.iter().map(|p| p.path.clone()))
            .chain(cohort.problems.iter().map(|p| match p {
                CohortProblem::TornTail { path, .. } | CohortProblem::UnknownStation { path, .. } => {
                    path.clone()
                }
            }))
            .collect();
        let mut tidied = Vec::new();
        for path in self.seen.difference(&here) {
            if self.spare.contains(path) {
                tidied.push(path.clone());
                continue;
            }
            self.gone
                .entry(path.clone())
                .or_insert_with(|| self.looked_at.clone());
        }
        for path in tidied {
            self.seen.remove(&path);
        }
        self.gone.retain(|path, _| !here.contains(path));
        self.seen.extend(here);
        self.spare = cohort.copies.iter().map(|c| c.copy.clone()).collect();
        // A journal read again holding fewer records than before: said
        // until it holds as many again (a sheet read as submitted losing
        // its submission would otherwise only show as in progress).
        for shrunk in self.remembered.shrunk() {
            let entry = self
                .cut
                .entry(shrunk.path.clone())
                .or_insert_with(|| (self.looked_at.clone(), shrunk.clone()));
            let (before, was_submitted) = (
                entry.1.before.max(shrunk.before),
                entry.1.was_submitted || shrunk.was_submitted,
            );
            entry.1 = osce::results::gather::Shrunk {
                before,
                was_submitted,
                ..shrunk.clone()
            };
        }
        let remembered = &self.remembered;
        self.cut
            .retain(|path, (_, s)| remembered.records(path).is_some_and(|now| now < s.before));
        // A torn last line is a copy still arriving, not damage.
        let (arriving, unusable): (Vec<CohortProblem>, Vec<CohortProblem>) =
            std::mem::take(&mut cohort.problems)
                .into_iter()
                .partition(|p| matches!(p, CohortProblem::TornTail { .. }));
        cohort.problems = unusable;
        let (incomplete, held, unrecorded, modules, tally, third) =
            incomplete_results(&rubric, &cohort, &m, &moderation, &standards);
        let held = Held {
            stations: held,
            third,
        };
        // What the one-off status says of the folders named (one a level
        // off, another exam's) comes first, as there, below any folder not
        // read.
        let mut text = String::new();
        for (folder, (since, last_read)) in &self.away {
            let kept = self.remembered.held_under(folder);
            let _ = writeln!(
                text,
                "NOT READ: {}. {}\n  {}; the other folders are read as they change, and this one as soon as it \
                 can be.\n",
                if folder.is_dir() {
                    format!("{}: cannot be read", folder.display())
                } else {
                    super::collect::no_folder(folder)
                },
                match (kept, last_read) {
                    (0, _) => "Nothing of it has been read yet.".to_string(),
                    (n, Some(at)) => format!(
                        "{} shown as last read (it was last there at {at}).",
                        plural_its(n)
                    ),
                    (n, None) => format!("{} shown as last read.", plural_its(n)),
                },
                if folder.exists() {
                    format!("Not read since {since}")
                } else {
                    format!(
                        "Not there since {since} (a stick pulled out, a share dropped, or not synced in yet?)"
                    )
                }
            );
        }
        let folders = super::collect::Sessions {
            folders,
            stored: None,
        };
        let not_read = if m.candidates.is_empty() {
            elsewhere(&rubric.id, &folders, &folders.folders).1
        } else {
            folders_without(&rubric.id, &folders, &folders.folders)
        };
        if !not_read.is_empty() {
            let _ = write!(text, "{}\n\n", not_read.trim());
        }
        if !self.gone.is_empty() {
            // Said first: their cells show as not in, as if never marked.
            let _ = writeln!(
                text,
                "GONE: {} read earlier {} no longer in the folders (deleted, moved, or undone by a sync); \
                 {} below as what the folders still hold (not in, where they hold nothing else), and each is \
                 listed under \"Gone\" at the end.\n",
                plural(self.gone.len(), "journal", "journals"),
                if self.gone.len() == 1 { "is" } else { "are" },
                if self.gone.len() == 1 {
                    "its sheet shows"
                } else {
                    "their sheets show"
                }
            );
        }
        if !self.cut.is_empty() {
            let n = self.cut.len();
            let _ = writeln!(
                text,
                "CUT: {} read earlier {} fewer records now (lines removed at {} end, or an older copy put in {} \
                 place; a copy being made again, if {} last line is unfinished): {} below as what {} now, and \
                 each is listed under \"Cut\" at the end.\n",
                plural(n, "journal", "journals"),
                if n == 1 { "holds" } else { "hold" },
                if n == 1 { "its" } else { "their" },
                if n == 1 { "its" } else { "their" },
                if n == 1 { "its" } else { "their" },
                if n == 1 {
                    "its sheet shows"
                } else {
                    "their sheets show"
                },
                if n == 1 { "it holds" } else { "they hold" },
            );
        }
        let not_due = NotDue::at(roster.as_ref(), &rubric, &m, chrono::Utc::now());
        text.push_str(&if problems {
            render_problems(&rubric, &cohort, &m, &moderation, &self.hints, &held, &not_due)
        } else {
            render(&rubric, &cohort, &m, &moderation, &self.hints, &held, &not_due)
        });
        // The results as things stand and why they are not final yet (the
        // roster's ids that look like a marked one's among it), as the
        // one-off status says them.
        let why = why_not_final(
            &rubric,
            &cohort,
            &m,
            &moderation,
            &decisions,
            incomplete,
            (
                &not_due,
                if m.candidates.is_empty() {
                    0
                } else {
                    folders_not_read(&rubric.id, &folders, &folders.folders)
                },
            ),
        );
        let results = Results {
            held: &held,
            modules: &modules,
            unrecorded: &unrecorded,
            tally: &tally,
            logbook: rubric.logbook.as_ref().map(|g| g.component.as_str()),
            noun: rubric.noun(),
        };
        text.push_str(&results_words(
            &results,
            &self.hints,
            (&args.rubric, problems),
            &decisions,
            &why,
        ));
        if !self.gone.is_empty() {
            let _ = writeln!(
                text,
                "\nGone ({} read earlier and no longer in the folders: deleted, moved, or undone by a sync; \
                 what the folders still hold of its sheet counts, if anything):",
                plural(self.gone.len(), "journal", "journals")
            );
            for (path, when) in self.gone.iter().take(20) {
                let _ = writeln!(text, "  {} (gone at {when})", path.display());
            }
            if self.gone.len() > 20 {
                let _ = writeln!(text, "  and {} more", self.gone.len() - 20);
            }
        }
        if !self.cut.is_empty() {
            let _ = writeln!(
                text,
                "\nCut ({} holding fewer records than when read earlier: find out who or what cut {}; a \
                 laptop's own copy, or the exam archive if it was collected, holds the rest):",
                plural(self.cut.len(), "journal", "journals"),
                if self.cut.len() == 1 { "it" } else { "them" }
            );
            for (path, (at, s)) in self.cut.iter().take(20) {
                let _ = writeln!(
                    text,
                    "  {}: {} records when read earlier{}, {} since {at}{}",
                    path.display(),
                    s.before,
                    if s.was_submitted { ", submitted" } else { "" },
                    s.now,
                    match (s.was_submitted && !s.submitted, s.torn) {
                        (true, true) =>
                            " (no longer submitted; its last line unfinished: being copied again, most likely)",
                        (true, false) => " (no longer submitted)",
                        (false, true) => " (its last line unfinished: being copied again, most likely)",
                        (false, false) => "",
                    }
                );
            }
            if self.cut.len() > 20 {
                let _ = writeln!(text, "  and {} more", self.cut.len() - 20);
            }
        }
        // A copy under way, unless its unfinished line has stayed as it is
        // for a while: then most likely a copy cut short.
        let now = std::time::Instant::now();
        let mut still = std::collections::BTreeMap::new();
        for p in &arriving {
            if let CohortProblem::TornTail { path, .. } = p {
                let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                let entry = match self.arriving.remove(path) {
                    Some(was) if was.0 == len => was,
                    _ => (len, self.looked_at.clone(), now),
                };
                still.insert(path.clone(), entry);
            }
        }
        self.arriving = still;
        let (stuck, moving): (Vec<_>, Vec<_>) = self
            .arriving
            .iter()
            .partition(|(_, (_, _, at))| now.duration_since(*at) >= ARRIVING_FOR);
        if !moving.is_empty() {
            let _ = writeln!(
                text,
                "\nArriving ({} still being copied; {} complete lines are counted):",
                plural(moving.len(), "journal is", "journals are"),
                if moving.len() == 1 { "its" } else { "their" },
            );
            for (path, (_, since, _)) in moving.iter().take(20) {
                let _ = writeln!(text, "  {} (since {since})", path.display());
            }
            if moving.len() > 20 {
                let _ = writeln!(text, "  and {} more", moving.len() - 20);
            }
        }
        if !stuck.is_empty() {
            let _ = writeln!(
                text,
                "\nUnfinished for over a minute ({} whose unfinished last line has not changed for {} s: a copy cut \
                 short, or a laptop that stopped mid-write? Copy {} again from the laptop; {} complete lines are \
                 counted meanwhile):",
                plural(stuck.len(), "journal", "journals"),
                ARRIVING_FOR.as_secs(),
                if stuck.len() == 1 { "it" } else { "them" },
                if stuck.len() == 1 { "its" } else { "their" },
            );
            for (path, (_, since, _)) in stuck.iter().take(20) {
                let _ = writeln!(text, "  {} (unchanged since {since})", path.display());
            }
            if stuck.len() > 20 {
                let _ = writeln!(text, "  and {} more", stuck.len() - 20);
            }
        }
        let changed = self.last_good.as_ref().is_none_or(|(last, _, _)| *last != text);
        if changed {
            self.last_good = Some((text, self.looked_at.clone(), read_anew));
        }
        Ok(())
    }

    /// This look could not read the folders or the rubric, for `words`:
    /// failing since the first look that could not, whatever the reason
    /// is now.
    fn not_read(&mut self, words: String) {
        let since = match self.failing.take() {
            Some((since, _)) => since,
            None => self.looked_at.clone(),
        };
        self.failing = Some((since, words));
    }

    /// The text to show: what was last read, below why it could not be
    /// read this time if it could not.
    fn text(&self) -> String {
        let Some((text, at, _)) = &self.last_good else {
            return String::new();
        };
        match &self.failing {
            None => text.clone(),
            Some((since, words)) => format!(
                "NOT READ since {since}: {words}\nStill looking every {} s; below is the status as read at {at}.\n\n{text}",
                WATCH_EVERY.as_secs()
            ),
        }
    }

    fn shown(&self) -> osce::tui::watch::Shown {
        let (mut read_at, read_anew) = self.changed.clone();
        if self.failing.is_some()
            && let Some((_, at, _)) = &self.last_good
        {
            // What is shown is what was read then.
            read_at = at.clone();
        }
        osce::tui::watch::Shown {
            text: self.text(),
            looked_at: self.looked_at.clone(),
            read_at,
            read_anew,
            failing_since: self.failing.as_ref().map(|(since, _)| since.clone()),
            alert: {
                let mut alerts = Vec::new();
                if !self.gone.is_empty() {
                    alerts.push(format!(
                        "GONE: {} no longer in the folders",
                        plural(self.gone.len(), "journal", "journals")
                    ));
                }
                if !self.cut.is_empty() {
                    alerts.push(format!(
                        "CUT: {} holding fewer records",
                        plural(self.cut.len(), "journal", "journals")
                    ));
                }
                (!alerts.is_empty()).then(|| format!("{} (see the top)", alerts.join("; ")))
            },
        }
    }
}

/// Performs the watch screen's one effect: a look at the folders.
impl osce::tui::screen::Executor<osce::tui::watch::WatchScreen> for Watcher<'_> {
    fn perform(
        &mut self,
        effect: osce::tui::watch::Effect,
    ) -> osce::tui::screen::Step<osce::tui::watch::Shown> {
        let osce::tui::watch::Effect::Look { problems } = effect;
        // Read once already: a failure now is said on the screen.
        let _ = self.look(problems);
        osce::tui::screen::Step::Reply(self.shown())
    }
}

/// `status --watch`: the status of the folders, shown again whenever it
/// changes, until `q` or Ctrl-C (exit code 0). Only journals whose size or
/// modification time changed are read again. A journal whose last line is
/// unfinished (a folder still syncing, a copy under way) is shown as
/// arriving, not as a problem: its complete lines count meanwhile. In a
/// terminal it is a screen of its own that scrolls; otherwise each new
/// status is printed below the last.
fn watch(args: &StatusArgs) -> ExitCode {
    let mut watcher = Watcher::new(args);
    if let Err(code) = watcher.look(args.problems) {
        return code;
    }
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::io::IsTerminal::is_terminal(&std::io::stdin());
    if terminal {
        let screen = osce::tui::watch::WatchScreen::new(
            osce::results::gather::folder_list(&args.sessions),
            watcher.shown(),
            args.problems,
            WATCH_EVERY,
        );
        let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        if let Err(e) = osce::tui::terminal::run(screen, &mut watcher, colour) {
            errln!("error: the terminal failed: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
        outln!(
            "Stopped watching {} (last looked at {}).",
            osce::results::gather::folder_list(&args.sessions),
            watcher.looked_at
        );
        return ExitCode::SUCCESS;
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, std::sync::Arc::clone(&stop)) {
            errln!("error: cannot watch for Ctrl-C: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
    let mut shown = String::new();
    loop {
        let text = watcher.text();
        if text != shown {
            let last = match &watcher.failing {
                Some((since, _)) => format!(
                    "Watching {}: not read since {since}. Ctrl-C stops.",
                    osce::results::gather::folder_list(&args.sessions)
                ),
                None => format!(
                    "Watching {} (every {} s; {} read anew at {}). Ctrl-C stops.",
                    osce::results::gather::folder_list(&args.sessions),
                    WATCH_EVERY.as_secs(),
                    plural(watcher.changed.1, "journal", "journals"),
                    watcher.changed.0
                ),
            };
            let mut stdout = std::io::stdout().lock();
            let written = std::io::Write::write_all(&mut stdout, format!("{text}\n{last}\n").as_bytes())
                .and_then(|()| std::io::Write::flush(&mut stdout));
            if written.is_err() {
                // Nobody reads any more (`… | head`, a closed log): the
                // watch ends.
                return ExitCode::SUCCESS;
            }
            shown = text;
        }
        let asleep = std::time::Instant::now();
        while !stopped() && asleep.elapsed() < WATCH_EVERY {
            if nobody_reads() {
                // `… | head` has ended, a log's reader closed: the watch
                // ends too, without waiting for the next change to fail.
                return ExitCode::SUCCESS;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if stopped() {
            break;
        }
        let _ = watcher.look(args.problems);
    }
    outln!("Stopped watching.");
    ExitCode::SUCCESS
}
