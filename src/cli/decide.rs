//! `osce decide`: the exam lead's decisions, recorded with who, when and
//! why, each with a dry run that shows its effect on results first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, Subcommand};
use osce::results::decisions::{AbsenceOutcome, DecisionEntry, Decisions, Made, Ruling, SheetRef};
use osce::results::gather::{CellState, Cohort};
use osce::results::reconcile::CandidateResult;
use osce::rubric::Rubric;
use osce::store::Proposed;

use super::status::{Loaded, adopted_standards, load_from_with_decisions};
use super::{EXIT_INVALID, EXIT_USAGE};

/// What every decision needs: the exam, who decides and why, where it is
/// recorded.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct Common {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders holding the sheets (one per laptop), as for status
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive holding the sheets (`osce collect`), instead of
    /// the folders; --into is then required
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// Roster CSV, as for status
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// Who decides (your name as the exam board should read it)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Why, in words: required, and kept with the decision
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The sessions folder to record the decision in (default: the first
    /// --sessions folder; required with --archive, and then collected into
    /// it). Give it to every later command
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// This computer's name in the record (default: its hostname)
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Show what the decision would change, and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Why a decision cannot be taken as asked.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error(
        "there is no station \"{station}\" in the rubric; {}its stations are {stations}",
        near.as_ref().map_or(String::new(), |n| format!("did you mean \"{n}\"? "))
    )]
    UnknownStation {
        station: String,
        stations: String,
        near: Option<String>,
    },
    #[error(
        "station \"{station}\" is not scored (a rest station): nothing is decided there; the scored stations are {stations}"
    )]
    NotScored { station: String, stations: String },
    #[error("no sheet of candidate \"{candidate}\" was found{}", near.as_ref().map(|c| format!("; did you mean \"{c}\"?")).unwrap_or_default())]
    UnknownCandidate { candidate: String, near: Option<String> },
    #[error(
        "no sheet \"{given}\" of {candidate} at {station}: give EXAMINER@DEVICE or the journal's path as `osce status` lists it{there}"
    )]
    UnknownSheet {
        given: String,
        candidate: String,
        station: String,
        /// The sheets there, with the one probably meant.
        there: String,
    },
    #[error(
        "\"{given}\" names {count} sheets of {candidate} at {station} (different histories): give the journal's path instead, one of: {paths}"
    )]
    AmbiguousSheet {
        given: String,
        count: usize,
        candidate: String,
        station: String,
        paths: String,
    },
    /// The cell is not in the state this decision settles.
    #[error("{candidate} at {station} {why}")]
    NothingToDecide {
        candidate: String,
        station: String,
        why: String,
    },
    /// A choice the subcommand needs was not given (or two were).
    #[error("{0}")]
    Choose(&'static str),
    #[error("station {station} has no item \"{item}\"; its items are {items}")]
    UnknownItem {
        station: String,
        item: String,
        items: String,
    },
    #[error("item {item} is marked on {sheet}'s sheet: only an item left unmarked can be ruled on")]
    ItemMarked { item: String, sheet: String },
    #[error("item {item}'s scale has no level \"{level}\"; its levels are {levels}")]
    UnknownLevel {
        item: String,
        level: String,
        levels: String,
    },
    #[error("item {item}'s scale does not allow \"not observed\": give --level LABEL")]
    NotObservedNotAllowed { item: String },
    #[error("{0}")]
    Standards(#[from] osce::analysis::standards::StandardsError),
    #[error("{}: {source}", record.display())]
    StandardsForRubric {
        record: PathBuf,
        #[source]
        source: osce::analysis::standards::StandardsError,
    },
    #[error("the record sets no station's pass mark: nothing to adopt")]
    NoPassMarks,
    #[error("{0}")]
    Decisions(#[from] osce::results::decisions::DecisionsError),
}

/// A candidate at a station.
#[derive(Debug, Args)]
pub struct Cell {
    /// The candidate's id, as on the sheets (osce status names it)
    #[arg(long, value_name = "ID")]
    pub candidate: String,
    /// The station's id in the rubric
    #[arg(long, value_name = "ID")]
    pub station: String,
}

#[derive(Debug, Subcommand)]
pub enum Decide {
    /// Which sheet counts where two conflict, or neither
    Conflict {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        cell: Cell,
        /// The sheet that counts: EXAMINER@DEVICE, or the journal's path as
        /// `osce status` lists it (where one examiner's sheet has two
        /// histories)
        #[arg(long = "use", value_name = "SHEET", conflicts_with = "neither")]
        counts: Option<String>,
        /// Neither sheet counts
        #[arg(long)]
        neither: bool,
    },
    /// A sheet does not count (marked under the wrong candidate, say), or a
    /// journal that cannot be used is set aside
    Void {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        cell: Cell,
        /// EXAMINER@DEVICE, or the journal's path
        #[arg(long, value_name = "SHEET")]
        sheet: String,
    },
    /// What an absence counts as: deferred under mitigating circumstances,
    /// or a fail
    Absence {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        cell: Cell,
        /// Mitigating circumstances: no result at this sitting
        #[arg(long, conflicts_with = "fail")]
        deferred: bool,
        /// The station counts as failed
        #[arg(long)]
        fail: bool,
    },
    /// How an item left unmarked on a submitted sheet is taken
    Unmarked {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        cell: Cell,
        /// EXAMINER@DEVICE, or the journal's path
        #[arg(long, value_name = "SHEET")]
        sheet: String,
        /// The item's id
        #[arg(long, value_name = "ID")]
        item: String,
        /// The level it is taken at, by its label (e.g. "Not done")
        #[arg(long, value_name = "LABEL", conflicts_with = "not_observed")]
        level: Option<String>,
        /// Taken as not observed (left out of score and maximum), where the
        /// item's scale allows it
        #[arg(long)]
        not_observed: bool,
    },
    /// A station's result where moderation cannot settle it: assessors who
    /// disagree, an assessor and the examiners, a referral whose third
    /// marker will not come, two markers over the threshold apart who
    /// cannot agree (or whose third marker will not come)
    Result {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        cell: Cell,
        #[arg(long, conflicts_with = "fail")]
        pass: bool,
        #[arg(long)]
        fail: bool,
    },
    /// Settle every station held for review (an assessor's decision taken
    /// when the pass marks in force were others) with the result its marks
    /// give now. Where a station needs another result, decide it alone
    /// with `osce decide result`
    Held {
        #[command(flatten)]
        common: Common,
    },
    /// Adopt the pass marks of a standard-setting record (`osce report
    /// --save-standards`): every command then uses them
    PassMarks {
        #[command(flatten)]
        common: Common,
        /// The record osce report --save-standards wrote
        #[arg(long, value_name = "FILE.json")]
        record: PathBuf,
    },
    /// Component results from outside the stations (written papers, an
    /// essay, the logbook) from a CSV file: candidate_id,component,result
    /// (a percentage, or pass/fail),note. Checked whole first: nothing is
    /// recorded from a file with a mistake
    Components {
        #[command(flatten)]
        common: Common,
        /// The results file (docs/decisions.md gives its columns)
        #[arg(long, value_name = "FILE.csv")]
        file: PathBuf,
        /// Change results recorded before (the --reason says why); without
        /// it, a file that changes a recorded result is refused
        #[arg(long)]
        correct: bool,
    },
    /// Sheets marked against another version of the rubric (a copy whose
    /// words were corrected, given to some laptops) count, at every station
    /// that version marks as this one does: the same items, weights,
    /// critical items, scales' marks, global rating and pass mark
    RubricVersion {
        #[command(flatten)]
        common: Common,
        /// The other version's file, as the laptops had it
        #[arg(long, value_name = "FILE.ron")]
        marked_with: PathBuf,
    },
    /// Every decision recorded, and which are in force
    #[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
    List {
        /// Rubric file (.ron) the exam used
        #[arg(value_name = "RUBRIC")]
        rubric: PathBuf,
        #[arg(long, value_name = "DIR", num_args = 1..)]
        sessions: Vec<PathBuf>,
        /// The exam archive, instead of the folders
        #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
        archive: Option<PathBuf>,
        /// Also the decisions recorded into these folders (`--into`) and
        /// not yet collected into the archive
        #[arg(long, value_name = "DIR", num_args = 1..)]
        into: Vec<PathBuf>,
    },
}

/// The placeholders of the commands `osce status` prints, still in
/// `args` (the command's words): each with what to give in its place.
/// All are named at once, so that one run shows every one left to fill.
fn placeholders(args: &[String]) -> Vec<String> {
    const FILL: [(&str, &[&str], &str); 10] = [
        ("--by", &["NAME", "YOUR NAME"], "your own name"),
        ("--reason", &["…", "...", "\"…\""], "why you decide so"),
        (
            "--into",
            &["FOLDER", "DIR"],
            "the folder your decisions journal goes to",
        ),
        (
            "--sheet",
            &["PATH", "EXAMINER@DEVICE", "JOURNAL"],
            "the sheet, as osce status --problems lists it",
        ),
        (
            "--use",
            &["PATH", "EXAMINER@DEVICE", "JOURNAL"],
            "the sheet that counts, as osce status --problems lists it",
        ),
        ("--candidate", &["CANDIDATE"], "the candidate's id"),
        ("--station", &["STATION"], "the station's id"),
        ("--level", &["LABEL"], "one of the labels listed"),
        (
            "--marked-with",
            &["FILE.ron", "FILE"],
            "the rubric file the other laptops marked with",
        ),
        (
            "--file",
            &["RESULTS.csv", "FILE.csv"],
            "your file of component results, as docs/decisions.md gives its columns",
        ),
    ];
    let mut found = Vec::new();
    let mut words = args.iter().map(String::as_str);
    while let Some(word) = words.next() {
        let (flag, value) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (word, None),
        };
        let Some((flag, holders, what)) = FILL.iter().find(|(f, _, _)| *f == flag) else {
            continue;
        };
        let Some(value) = value.or_else(|| words.next()) else {
            continue;
        };
        let value = value.trim();
        // A folder or file of the placeholder's very name, there: meant.
        let there = match *flag {
            "--into" => Path::new(value).is_dir(),
            "--file" | "--marked-with" => Path::new(value).is_file(),
            _ => false,
        };
        if holders.contains(&value) && !there {
            found.push(format!("{flag} {value} ({what})"));
        }
    }
    found
}

pub fn run(decide: &Decide) -> ExitCode {
    if !matches!(decide, Decide::List { .. }) {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut left = placeholders(&args);
        // The labels the item's scale has, where the rubric, station and
        // item given say: what --level LABEL is to be replaced with.
        if let Decide::Unmarked {
            common, cell, item, ..
        } = decide
            && let Some(level) = left.iter_mut().find(|p| p.starts_with("--level "))
            && let Ok((rubric, _)) = osce::rubric::load(&common.rubric)
            && let Some(found) = rubric.station(&cell.station).and_then(|s| s.item(item))
        {
            let scale = rubric.scale(found.scale);
            let labels: Vec<&str> = scale.levels.iter().map(|l| l.label.as_str()).collect();
            *level = format!(
                "--level LABEL ({}{})",
                osce::rubric::one_of(&labels),
                if scale.not_observed {
                    ", or --not-observed in its place"
                } else {
                    ""
                }
            );
        }
        if !left.is_empty() {
            errln!(
                "error: the command still holds {} of the command osce status prints; give {}: {}. Nothing was \
                 recorded",
                if left.len() == 1 {
                    "a placeholder"
                } else {
                    "placeholders"
                },
                if left.len() == 1 { "it" } else { "each" },
                left.join(", ")
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if let Decide::List {
        rubric,
        sessions,
        archive,
        into,
    } = decide
    {
        return list(rubric, sessions, archive.as_deref(), into);
    }
    if let Decide::Components {
        common,
        file,
        correct,
    } = decide
    {
        return components(common, file, *correct);
    }
    if let Decide::RubricVersion { common, marked_with } = decide {
        return rubric_version(common, marked_with);
    }
    let common = match decide {
        Decide::Conflict { common, .. }
        | Decide::Void { common, .. }
        | Decide::Absence { common, .. }
        | Decide::Unmarked { common, .. }
        | Decide::Result { common, .. }
        | Decide::PassMarks { common, .. } => common,
        Decide::Held { common } => return held(common),
        Decide::List { .. } | Decide::Components { .. } | Decide::RubricVersion { .. } => {
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (by, reason, loaded) = match loaded(common) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let ruling = match ruling(decide, &loaded) {
        Ok(r) => r,
        Err(message) => {
            // A sheet voided already, the only one of its cell (a sheet
            // marked under a mistyped id): its candidate is gone from the
            // cells, and the void is what is in force.
            if let Some(made) = void_in_force(decide, &loaded) {
                return already(common, made);
            }
            errln!("error: {message}");
            // A file that cannot be read (a record not there) is a usage
            // error, as for every command; one read and found wrong is not.
            // A choice not given (--deferred or --fail) is one too, as
            // giving both is.
            let usage = matches!(&message, Refusal::Standards(e) if e.is_io())
                || matches!(message, Refusal::Choose(_));
            return ExitCode::from(if usage { EXIT_USAGE } else { EXIT_INVALID });
        }
    };
    // Deferred at another station: no result at this sitting, so this
    // absence is settled already (status says so beside the deferral).
    if let Ruling::Absence {
        candidate,
        station,
        outcome: AbsenceOutcome::Deferred,
    } = &ruling
        && let Some(at) = loaded.matrix.deferred_at(candidate).filter(|at| at != station)
    {
        outln!(
            "{candidate} is deferred already (the absence at {at}): that settles the absence at {station} too. \
             Nothing recorded."
        );
        return ExitCode::SUCCESS;
    }
    if let Ruling::Absence {
        candidate,
        station,
        outcome: AbsenceOutcome::Deferred,
    } = &ruling
        && let Some(component) = loaded.matrix.component_deferred(candidate)
    {
        outln!(
            "{candidate} is deferred already (component {component}): that settles the absence at {station} too. \
             Nothing recorded."
        );
        return ExitCode::SUCCESS;
    }
    let entry = entry(common, &loaded, by, reason, ruling);
    if let Some(made) = in_force_already(&loaded, &entry) {
        return already(common, made);
    }
    let now = Utc::now();
    let effect = match effect(&loaded, None, std::slice::from_ref(&entry), now) {
        Ok(lines) => lines,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    match entry.decision.cell() {
        Some((c, s)) => outln!("Decision on {c} at {s}: {}.", entry.decision.words()),
        None => outln!("Decision: {}.", entry.decision.words()),
    }
    // Another's decision (or one's own, said otherwise) on the same thing
    // is replaced: said, so that nobody overrides a colleague unawares.
    if let Some(earlier) = loaded.decisions.replaced_by(&entry.decision) {
        outln!(
            "  It replaces the decision in force: {} (both stay in the journals; osce decide list shows them)",
            earlier.line()
        );
    }
    if let Some(path) = journal_named(&loaded, &entry.decision) {
        let from = common
            .archive
            .as_deref()
            .and_then(|a| osce::results::archive::origin_of(a, &path))
            .map(|from| format!(" (collected from {from})"))
            .unwrap_or_default();
        outln!("  The sheet it names: {}{from}", path.display());
    }
    finish(common, vec![entry], now, effect)
}

/// The same decision as `entry`, by the same person for the same reason,
/// in force already (a command run twice): recorded once. Not pass marks
/// adopted again over marks decided since: adopted again, they stand over
/// them.
fn in_force_already<'a>(l: &'a Loaded, entry: &DecisionEntry) -> Option<&'a Made> {
    l.decisions.in_force().into_iter().find(|m| {
        m.entry.decision == entry.decision
            && m.entry.by == entry.by
            && m.entry.reason == entry.reason
            && (!matches!(m.entry.decision, Ruling::PassMarks { .. })
                || l.decisions.marks_decided_after(m.time, &l.cohort).is_empty())
    })
}

/// Says that `made` is in force already, and that nothing is recorded.
/// Recorded from the archive into the `--into` folder and not collected
/// yet (the collect after it failed), the folder is collected now.
fn already(common: &Common, made: &osce::results::decisions::Made) -> ExitCode {
    outln!(
        "Already decided, in force: {} ({}), recorded in {}. Nothing recorded.",
        made.entry.decision.words(),
        made.attribution(),
        made.path.display()
    );
    match (&common.archive, &common.into) {
        (Some(archive), Some(into)) if made.path.starts_with(into) => {
            collect_into(archive, into, &made.path).unwrap_or(ExitCode::SUCCESS)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Collects the folder `into`, holding the decisions journal `journal`,
/// into `archive`, saying so: `None` once done, else the exit code of the
/// collect that failed, having said that the archive's results do not
/// apply the decisions until it is collected.
fn collect_into(archive: &Path, into: &Path, journal: &Path) -> Option<ExitCode> {
    let collected = super::collect::run(&super::collect::CollectArgs {
        archive: archive.to_path_buf(),
        folders: vec![into.to_path_buf()],
        rubric: Vec::new(),
    });
    if collected == ExitCode::SUCCESS {
        outln!(
            "{} collected into {}: every command reading the archive applies it.",
            into.display(),
            archive.display()
        );
        return None;
    }
    errln!(
        "error: the decision is recorded in {} (in force for the next decision recorded into that folder), but it \
         is not in the archive yet (said above): no result read from the archive applies it until you collect it, \
         osce collect {} {}. Until then, record every decision into that folder (--into {}): a decision recorded \
         into another folder would start a second history of your decisions journal",
        journal.display(),
        archive.display(),
        into.display(),
        into.display()
    );
    Some(collected)
}

/// The void in force of the sheet a `decide void` names, if there is one:
/// the sheet named as EXAMINER@DEVICE, or by its journal's path.
fn void_in_force<'a>(decide: &Decide, l: &'a Loaded) -> Option<&'a osce::results::decisions::Made> {
    let Decide::Void { cell, sheet, .. } = decide else {
        return None;
    };
    let given = real(Path::new(sheet));
    l.decisions.in_force().into_iter().find(|made| {
        let Ruling::Void {
            candidate,
            station,
            sheet: voided,
        } = &made.entry.decision
        else {
            return false;
        };
        *candidate == cell.candidate
            && *station == cell.station
            && (voided.words() == *sheet
                || l.cohort
                    .sheets
                    .iter()
                    .map(|s| (&s.key, &s.path))
                    .chain(l.cohort.problem_sheets.iter().map(|p| (&p.key, &p.path)))
                    .chain(l.cohort.other_version_sheets.iter().map(|p| (&p.key, &p.path)))
                    .any(|(key, path)| {
                        key.candidate == cell.candidate
                            && key.station == cell.station
                            && key.examiner == voided.examiner
                            && key.device == voided.device
                            && real(path) == given
                    }))
    })
}

/// Who decides and why: both required, neither empty.
pub(super) fn who_and_why(common: &Common) -> Result<(&str, &str), ExitCode> {
    let (Some(by), Some(reason)) = (common.by.as_deref(), common.reason.as_deref()) else {
        errln!(
            "error: a decision needs who took it and why: give --by \"YOUR NAME\" and --reason \"…\" (an exam board will ask)"
        );
        return Err(ExitCode::from(EXIT_USAGE));
    };
    if by.trim().is_empty() || reason.trim().is_empty() {
        errln!("error: --by and --reason must not be empty: an exam board will ask who decided and why");
        return Err(ExitCode::from(EXIT_USAGE));
    }
    // The placeholders of the commands `osce status` prints.
    let placeholder_by = ["NAME", "YOUR NAME"].contains(&by.trim());
    let placeholder_reason = ["…", "...", "\"…\""].contains(&reason.trim());
    if placeholder_by || placeholder_reason {
        errln!(
            "error: {} the placeholder of the command osce status prints: give {}; nothing was recorded",
            match (placeholder_by, placeholder_reason) {
                (true, true) => "--by NAME and --reason \"…\" are",
                (true, false) => "--by NAME is",
                _ => "--reason \"…\" is",
            },
            match (placeholder_by, placeholder_reason) {
                (true, true) => "your own name with --by and the reason for the decision with --reason",
                (true, false) => "your own name with --by",
                _ => "the reason for the decision with --reason",
            }
        );
        return Err(ExitCode::from(EXIT_USAGE));
    }
    Ok((by, reason))
}

/// Who decides and why (both required), and the sheets and decisions as
/// they stand.
pub(super) fn loaded(common: &Common) -> Result<(&str, &str, Loaded), ExitCode> {
    let (by, reason) = who_and_why(common)?;
    if common.archive.is_some() && common.into.is_none() && !common.dry_run {
        errln!(
            "error: --archive needs --into DIR: the folder your decisions journal goes to (it is collected into the \
             archive as soon as the decision is recorded)"
        );
        return Err(ExitCode::from(EXIT_USAGE));
    }
    // The placeholder of the commands `osce status --archive` prints: it
    // would make a folder named FOLDER wherever the command was run.
    if let Some(into) = common
        .into
        .as_deref()
        .filter(|i| i.as_os_str() == "FOLDER" && !i.is_dir())
    {
        errln!(
            "error: --into {} is the placeholder of the command osce status prints: give the folder your decisions \
             journal goes to (a folder of your own, collected into the archive as soon as the decision is \
             recorded); nothing was recorded",
            into.display()
        );
        return Err(ExitCode::from(EXIT_USAGE));
    }
    if let Some(into) = common.into.as_deref().filter(|i| i.exists() && !i.is_dir()) {
        let what = if common.archive.as_deref() == Some(into) {
            "the archive you decide from"
        } else {
            "a file"
        };
        errln!(
            "error: --into {}: is {what}, not a folder: name a folder for your decisions journal (a new one is \
             made), e.g. --into decisions{}; nothing was recorded",
            into.display(),
            if common.archive.is_some() {
                " (collected into the archive as soon as the decision is recorded)"
            } else {
                ""
            }
        );
        return Err(ExitCode::from(EXIT_USAGE));
    }
    let sessions = super::collect::sessions_or_stored(&common.sessions, common.archive.as_deref())?;
    let into = into_read(common);
    let l = load_from_with_decisions(&common.rubric, sessions.source(), common.roster.as_deref(), &into)?;
    // A folder that holds another exam's sheets, or this one's a level
    // above or below (a laptop's folder, holding `sessions`): a decision
    // taken on the others would rest on part of the sheets.
    if sessions.stored.is_none() {
        for folder in common.sessions.iter().filter(|f| !f.join(&l.rubric.id).is_dir()) {
            let (_, other) = super::status::elsewhere(&l.rubric.id, &sessions, std::slice::from_ref(folder));
            if !other.is_empty() {
                errln!(
                    "error: {}: nothing was recorded\n{}",
                    folder.display(),
                    other.trim_end()
                );
                return Err(ExitCode::from(EXIT_USAGE));
            }
        }
    }
    // An archive holding only other exams' sheets (the wrong rubric given):
    // said as for folders, not as a candidate not found.
    if let Some(stored) = &sessions.stored
        && l.matrix.candidates.is_empty()
    {
        let (_, other) = super::status::elsewhere(&l.rubric.id, &sessions, &[]);
        if !other.is_empty() {
            errln!(
                "error: {}: nothing was recorded\n{}",
                stored.path().display(),
                other.trim_end()
            );
            return Err(ExitCode::from(EXIT_USAGE));
        }
    }
    Ok((by, reason, l))
}

/// The folder the decision goes to, where it is read too (decisions
/// recorded there and not yet collected, or a folder not named among the
/// sessions): what it holds is in force, and a decision is not made twice.
fn into_read(common: &Common) -> Vec<PathBuf> {
    common
        .into
        .iter()
        .filter(|into| into.is_dir() && !common.sessions.iter().any(|s| same_folder(s, into)))
        .cloned()
        .collect()
}

/// Whether `a` and `b` name one folder.
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// Where `into` has no decisions journal of this decider on this device
/// but the archive or another folder read does, starts it as a copy of
/// that one (see [`super::carry`]): where from, and how many lines.
fn carry_on_decisions(
    common: &Common,
    into: &Path,
    entry: &DecisionEntry,
) -> Result<Option<(super::carry::Carried, PathBuf)>, String> {
    let store = osce::store::Store::new(into);
    let own = store
        .decisions_path(&entry.assessment, &entry.by_id(), &entry.device)
        .map_err(|e| e.to_string())?;
    let rel = own.strip_prefix(into).unwrap_or(&own).to_path_buf();
    let mut copies = super::carry::in_folders(&common.sessions, into, &rel)?;
    if let Some(archive) = &common.archive {
        let stored = osce::results::archive::Stored::open(archive).map_err(|e| e.to_string())?;
        let name = stored.path().join(&rel);
        if stored
            .named_journals(&entry.assessment, "decisions")
            .iter()
            .any(|(_, _, n)| *n == name)
        {
            let bytes = stored
                .with_bytes(&name, |b| b.to_vec())
                .map_err(|e| e.to_string())?;
            copies.push((archive.clone(), super::carry::complete_lines(bytes)));
        }
    }
    super::carry::carry_on(
        &store,
        &own,
        copies,
        |bytes| {
            osce::store::read_chain_bytes::<DecisionEntry>(bytes)
                .damage
                .map(|(line, reason)| format!("line {line}: {reason}"))
        },
        &format!("your decisions journal on {}", entry.device),
        "Give --device another name, and keep both files for the exam board",
    )
    .map(|carried| carried.map(|c| (c, own)))
}

/// A decision as the journal keeps it.
fn entry(common: &Common, l: &Loaded, by: &str, reason: &str, ruling: Ruling) -> DecisionEntry {
    DecisionEntry {
        rubric: l.hash.clone(),
        assessment: l.rubric.id.clone(),
        by: by.trim().to_string(),
        device: common
            .device
            .clone()
            .unwrap_or_else(osce::tui::marking::session::default_device),
        decision: ruling,
        reason: reason.trim().to_string(),
    }
}

/// `osce decide rubric-version`: the sheets marked against the rubric in
/// `file` (another version of this one) count at the stations it marks
/// alike.
fn rubric_version(common: &Common, file: &Path) -> ExitCode {
    let (by, reason, l) = match loaded(common) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let text = match osce::rubric::read_text(file) {
        Ok(text) => text,
        Err(e) => {
            errln!("error: --marked-with: {e}; nothing was recorded");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let shown = file.display().to_string();
    let Some(other) = osce::rubric::check_str(&shown, &text).rubric else {
        errln!(
            "error: --marked-with {shown}: is not a valid rubric (`osce check {shown}` shows why); the version the \
             laptops marked with is read as a rubric like any other. Nothing was recorded"
        );
        return ExitCode::from(EXIT_INVALID);
    };
    let identity = osce::rubric::content_hash(&text);
    let short = osce::results::gather::short_hash(&identity);
    if identity == l.hash {
        errln!(
            "error: --marked-with {shown}: is this rubric (identity {short}, the same content as {}): its sheets \
             count already. Give the file the other laptops had (`osce check --identity FILE` prints a file's \
             identity; osce status names the identities its sheets were marked against). Nothing was recorded",
            common.rubric.display()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    if other.id != l.rubric.id {
        errln!(
            "error: --marked-with {shown}: is the rubric of assessment \"{}\", not \"{}\": give the version of \
             this exam's rubric the other laptops had. Nothing was recorded",
            other.id,
            l.rubric.id
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let set_aside = l.cohort.other_versions.get(&identity).map_or(0, Vec::len);
    if set_aside == 0 && !l.rubric.counted_versions.contains_key(&identity) {
        let versions: Vec<String> = l
            .cohort
            .other_versions
            .iter()
            .map(|(hash, paths)| {
                format!(
                    "{} ({})",
                    osce::results::gather::short_hash(hash),
                    osce::base::text::plural(paths.len(), "sheet", "sheets")
                )
            })
            .collect();
        errln!(
            "error: --marked-with {shown}: no sheet was marked against it (identity {short}); {}. Nothing was \
             recorded",
            if versions.is_empty() {
                "every sheet found was marked against this rubric".to_string()
            } else {
                format!(
                    "the sheets of other versions were marked against {} (`osce check --identity FILE` prints a \
                     file's identity)",
                    versions.join(", ")
                )
            }
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let (alike, differ): (Vec<&osce::rubric::Station>, Vec<&osce::rubric::Station>) = l
        .rubric
        .scored_stations()
        .partition(|s| osce::rubric::marking_difference(&l.rubric, s, &other).is_none());
    let not_counted = |out: &mut dyn FnMut(String)| {
        for s in &differ {
            if let Some(why) = osce::rubric::marking_difference(&l.rubric, s, &other) {
                out(format!(
                    "{}: not counted, as the two versions mark it otherwise ({why}): a sheet of that version there \
                     stays set aside (void it and mark again with this rubric)",
                    s.id
                ));
            }
        }
    };
    if alike.is_empty() {
        errln!(
            "error: --marked-with {shown}: no station is marked alike in the two versions, so none of its sheets \
             can count. Nothing was recorded"
        );
        not_counted(&mut |line| errln!("  {line}"));
        return ExitCode::from(EXIT_INVALID);
    }
    let ruling = Ruling::RubricVersion {
        identity: identity.clone(),
        stations: alike.iter().map(|s| s.id.clone()).collect(),
        file: shown,
        text,
    };
    let entry = entry(common, &l, by, reason, ruling);
    if let Some(made) = in_force_already(&l, &entry) {
        return already(common, made);
    }
    let now = Utc::now();
    // The sheets read again as they would be with the decision in force;
    // the archive closed again before the decision is collected into it.
    let after = match super::collect::sessions_or_stored(&common.sessions, common.archive.as_deref())
        .and_then(|sessions| {
            super::status::load_as_if(
                &common.rubric,
                sessions.source(),
                common.roster.as_deref(),
                &into_read(common),
                &as_made(std::slice::from_ref(&entry), now),
            )
        }) {
        Ok(after) => after,
        Err(code) => return code,
    };
    let effect = match effect(&l, Some(&after), std::slice::from_ref(&entry), now) {
        Ok(lines) => lines,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    outln!("Decision: {}.", entry.decision.words());
    let left = after.cohort.other_versions.get(&identity).map_or(0, Vec::len);
    outln!(
        "  {} of that version {} in; {}.",
        osce::base::text::plural(set_aside.saturating_sub(left), "sheet", "sheets"),
        if set_aside.saturating_sub(left) == 1 {
            "comes"
        } else {
            "come"
        },
        match left {
            0 => "none stays set aside".to_string(),
            n => format!(
                "{} (at stations marked otherwise) {} set aside",
                osce::base::text::plural(n, "sheet", "sheets"),
                if n == 1 { "stays" } else { "stay" }
            ),
        }
    );
    not_counted(&mut |line| outln!("  {line}"));
    // The words that differ where the sheets count: an item's text made
    // stricter is a criterion, not a typo.
    for s in &alike {
        let words = osce::rubric::word_differences(&l.rubric, s, &other);
        if !words.is_empty() {
            outln!(
                "  {}: counted; its words differ (check that none asks more of the candidate than the version \
                 marked with):",
                s.id
            );
            for w in words {
                outln!("    {w}");
            }
        }
    }
    if let Some(earlier) = l.decisions.replaced_by(&entry.decision) {
        outln!(
            "  It replaces the decision in force: {} (both stay in the journals; osce decide list shows them)",
            earlier.line()
        );
    }
    finish(common, vec![entry], now, effect)
}

/// `osce decide held`: every station held for review takes the result
/// its marks give under the pass marks in force, one decision each.
fn held(common: &Common) -> ExitCode {
    let (by, reason, l) = match loaded(common) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let now_results = match results(&l, &l.decisions) {
        Ok(r) => r,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let entries: Vec<DecisionEntry> = now_results
        .iter()
        .flat_map(|r| {
            r.stations
                .iter()
                .filter(|(_, d)| osce::results::reconcile::held_for_review(d))
                .map(|(station, d)| Ruling::StationResult {
                    candidate: r.candidate.clone(),
                    station: station.clone(),
                    result: if d.result.outcome == osce::scoring::StationOutcome::Pass {
                        Proposed::Pass
                    } else {
                        Proposed::Fail
                    },
                    over: Some(osce::results::decisions::DecidedOver {
                        as_marks_gave: true,
                        ..decided_over(&l, &r.candidate, station)
                    }),
                })
        })
        .map(|ruling| entry(common, &l, by, reason, ruling))
        .collect();
    if entries.is_empty() {
        outln!("No station is held for review: nothing to decide, and nothing recorded.");
        return ExitCode::SUCCESS;
    }
    let now = Utc::now();
    let effect = match effect(&l, None, &entries, now) {
        Ok(lines) => lines,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    outln!(
        "{} held for review, each settled with the result its marks give now:",
        osce::base::text::plural(entries.len(), "station", "stations")
    );
    for e in &entries {
        if let Some((c, s)) = e.decision.cell() {
            outln!("  {c} at {s}: {}", e.decision.words());
        }
    }
    finish(common, entries, now, effect)
}

/// `osce decide components`: a results file's component results, each a
/// decision with the file's hash and line; a result recorded before is
/// changed only with --correct.
fn components(common: &Common, file: &Path, correct: bool) -> ExitCode {
    let (by, reason, l) = match loaded(common) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let read = match osce::results::components::read_components(
        file,
        &l.rubric,
        &l.matrix.candidates,
        l.roster.is_some(),
    ) {
        Ok(r) => r,
        Err(e) => {
            errln!("error: {e}");
            errln!("Nothing recorded.");
            return ExitCode::from(if e.is_io() { EXIT_USAGE } else { EXIT_INVALID });
        }
    };
    record_components(common, &l, (by, reason), file, read, correct)
}

/// Records component results read from `file` (a results file, or a
/// logbook judged against its gate): each a decision with the file's hash
/// and line; one recorded before changes only with `correct`.
pub(super) fn record_components(
    common: &Common,
    l: &Loaded,
    (by, reason): (&str, &str),
    file: &Path,
    read: osce::results::components::ComponentsFile,
    correct: bool,
) -> ExitCode {
    let recorded = l.decisions.components();
    let mut entries = Vec::new();
    let mut changes = Vec::new();
    let mut unchanged = 0;
    // Lines withdrawing a result nobody recorded: a mistake in the file.
    let mut nothing_to_withdraw = Vec::new();
    for row in read.rows {
        let before = recorded
            .get(&row.candidate)
            .and_then(|c| c.get(&row.component))
            .map(|(value, held)| (*value, held));
        let same_note = |held: &osce::results::decisions::Held| matches!(&held.ruling, Ruling::Component { note, .. } if *note == row.note);
        let withdraw = row.result == osce::results::decisions::ComponentValue::Withdrawn;
        match before {
            Some((value, held)) if value == row.result && same_note(held) => {
                unchanged += 1;
                continue;
            }
            Some((value, _)) if withdraw => changes.push(format!(
                "line {}: {}'s {} was {}, the file withdraws it",
                row.line,
                row.candidate,
                row.component,
                value.words()
            )),
            None if withdraw && l.decisions.component_withdrawn(&row.candidate, &row.component) => {
                unchanged += 1;
                continue;
            }
            None if withdraw => {
                nothing_to_withdraw.push(format!(
                    "line {}: {} has no result recorded for {}: there is nothing to withdraw",
                    row.line, row.candidate, row.component
                ));
                continue;
            }
            Some((value, _)) => changes.push(format!(
                "line {}: {}'s {} was {}, the file says {}",
                row.line,
                row.candidate,
                row.component,
                value.words(),
                row.result.words()
            )),
            None => {}
        }
        let ruling = Ruling::Component {
            candidate: row.candidate,
            component: row.component,
            result: row.result,
            note: row.note,
            source: osce::results::decisions::Source {
                file: file.display().to_string(),
                hash: read.hash.clone(),
                line: row.line as u64,
            },
        };
        entries.push(entry(common, l, by, reason, ruling));
    }
    if !nothing_to_withdraw.is_empty() {
        errln!(
            "error: {}: the file withdraws results never recorded:",
            file.display()
        );
        for line in &nothing_to_withdraw {
            errln!("  {line}");
        }
        errln!("Nothing recorded. Check the candidate and component on each line, or take the line out.");
        return ExitCode::from(EXIT_INVALID);
    }
    if !changes.is_empty() && !correct {
        errln!(
            "error: {}: the file changes {} recorded before:",
            file.display(),
            osce::base::text::plural(changes.len(), "result", "results")
        );
        for c in &changes {
            errln!("  {c}");
        }
        errln!("Nothing recorded. To correct them, run again with --correct, and a --reason that says why.");
        return ExitCode::from(EXIT_INVALID);
    }
    let now = Utc::now();
    let effect = match effect(l, None, &entries, now) {
        Ok(lines) => lines,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    outln!(
        "{}: {} to record ({} corrected), {} already recorded.",
        file.display(),
        osce::base::text::plural(entries.len(), "component result", "component results"),
        changes.len(),
        unchanged
    );
    // Each correction, as it changes the recorded result.
    for c in &changes {
        outln!("  corrected: {c}");
    }
    finish(common, entries, now, effect)
}

/// Records `entries` (unless a dry run) and says what they change.
fn finish(
    common: &Common,
    entries: Vec<DecisionEntry>,
    now: chrono::DateTime<Utc>,
    effect: Vec<String>,
) -> ExitCode {
    let mut not_collected = None;
    if common.dry_run {
        outln!("Dry run: nothing recorded. It would change:");
    } else if entries.is_empty() {
        // Nothing new (a file recorded before): nothing changes. From the
        // archive, what the folder holds is collected all the same, should
        // the collect after it have failed.
        if let (Some(archive), Some(into)) = (&common.archive, &common.into)
            && into.is_dir()
        {
            return collect_into(archive, into, into).unwrap_or(ExitCode::SUCCESS);
        }
        return ExitCode::SUCCESS;
    } else {
        let Some(into) = common.into.clone().or_else(|| common.sessions.first().cloned()) else {
            errln!("error: nothing recorded: give --into DIR, the folder your decisions journal goes to");
            return ExitCode::from(EXIT_USAGE);
        };
        let mut started = None;
        if let Some(first) = entries.first() {
            match carry_on_decisions(common, &into, first) {
                Ok(Some((carried, own))) => {
                    outln!(
                        "Carried on from your decisions journal in {} ({} of it copied into {}): what you record \
                         now follows it.",
                        carried.from.display(),
                        osce::base::text::plural(carried.lines, "line", "lines"),
                        into.display()
                    );
                    if carried.created {
                        let len = std::fs::metadata(&own).map(|m| m.len()).unwrap_or(0);
                        started = Some((own, len));
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    errln!("error: nothing recorded: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
        let several = entries.len() > 1;
        let recorded = osce::results::decisions::record_all(&into, entries, now);
        // A journal started here for these decisions, with nothing of them
        // in it, is not left behind.
        if recorded.is_err()
            && let Some((own, len)) = &started
            && std::fs::metadata(own).is_ok_and(|m| m.len() == *len)
        {
            let _ = std::fs::remove_file(own);
        }
        match recorded {
            Ok(path) => match &common.archive {
                // Collected into the archive at once: every command reading
                // the archive then applies it (until collected, an export
                // would call results final that this decision changes).
                Some(archive) => {
                    outln!("Recorded in {}.", path.display());
                    not_collected = collect_into(archive, &into, &path);
                    if not_collected.is_none() {
                        outln!("It changes:");
                    } else {
                        outln!("It changes, once collected:");
                    }
                }
                None => outln!(
                    "Recorded in {} (give {} to every later command). It changes:",
                    path.display(),
                    into.display()
                ),
            },
            Err(e) if several => {
                errln!(
                    "error: not every decision was recorded: {e}. Run again: what was recorded is kept, and the \
                     rest is recorded then."
                );
                return ExitCode::from(EXIT_USAGE);
            }
            Err(e) => {
                errln!("error: nothing recorded: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    if effect.is_empty() {
        outln!("  no candidate's result");
    }
    for line in effect {
        outln!("  {line}");
    }
    not_collected.unwrap_or(ExitCode::SUCCESS)
}

/// The decision the arguments describe, checked against the sheets.
fn ruling(decide: &Decide, l: &Loaded) -> Result<Ruling, Refusal> {
    match decide {
        Decide::Conflict {
            cell,
            counts,
            neither,
            ..
        } => {
            let c = cell_state(l, cell)?;
            // A conflict decided already is decided again: the later
            // decision replaces the earlier.
            let decided_before = l.decisions.in_force().iter().any(|m| {
                matches!(&m.entry.decision, Ruling::Conflict { candidate, station, .. }
                    if *candidate == cell.candidate && *station == cell.station)
            });
            if c != CellState::Conflict && !decided_before {
                return Err(cell.refuse(format!(
                    "is not in conflict ({}): there is nothing to decide",
                    c.label()
                )));
            }
            let counts = match (counts, neither) {
                (Some(sheet), false) => Some(find_sheet(&l.cohort, cell, sheet, false)?),
                (None, true) => None,
                _ => {
                    return Err(Refusal::Choose(
                        "say which sheet counts with --use SHEET, or --neither",
                    ));
                }
            };
            Ok(Ruling::Conflict {
                candidate: cell.candidate.clone(),
                station: cell.station.clone(),
                counts,
            })
        }
        Decide::Void { cell, sheet, .. } => {
            // A sheet of another version of the rubric is in no cell: the
            // only sheet of a candidate, perhaps.
            let other_version = l
                .cohort
                .other_version_sheets
                .iter()
                .any(|p| p.key.candidate == cell.candidate && p.key.station == cell.station);
            if !other_version {
                cell_state(l, cell)?;
            }
            Ok(Ruling::Void {
                candidate: cell.candidate.clone(),
                station: cell.station.clone(),
                sheet: find_sheet(&l.cohort, cell, sheet, true)?,
            })
        }
        Decide::Absence {
            cell, deferred, fail, ..
        } => {
            let c = cell_state(l, cell)?;
            if c == CellState::Conflict {
                let why = l
                    .matrix
                    .cell(&cell.candidate, &cell.station)
                    .and_then(|x| x.conflict.clone())
                    .unwrap_or_default();
                return Err(cell.refuse(format!(
                    "is in conflict ({why}): settle which sheet counts first, with osce decide conflict"
                )));
            }
            if c != CellState::Absent {
                return Err(cell.refuse(format!(
                    "is not recorded absent ({}): an absence is decided only where the examiner recorded one",
                    c.label()
                )));
            }
            let outcome = match (deferred, fail) {
                (true, false) => AbsenceOutcome::Deferred,
                (false, true) => AbsenceOutcome::Fail,
                _ => {
                    return Err(Refusal::Choose(
                        "say what the absence counts as: --deferred or --fail",
                    ));
                }
            };
            Ok(Ruling::Absence {
                candidate: cell.candidate.clone(),
                station: cell.station.clone(),
                outcome,
            })
        }
        Decide::Unmarked {
            cell,
            sheet,
            item,
            level,
            not_observed,
            ..
        } => {
            cell_state(l, cell)?;
            let named = find_sheet(&l.cohort, cell, sheet, false)?;
            let station = l
                .rubric
                .station(&cell.station)
                .ok_or_else(|| unknown_station(l, cell))?;
            let it = station.item(item).ok_or_else(|| {
                let ids: Vec<&str> = station.items.iter().map(|i| i.id.as_str()).collect();
                Refusal::UnknownItem {
                    station: cell.station.clone(),
                    item: item.clone(),
                    items: osce::rubric::one_of(&ids),
                }
            })?;
            let found = l
                .cohort
                .sheets
                .iter()
                .find(|s| {
                    s.key.candidate == cell.candidate
                        && s.key.station == cell.station
                        && s.key.examiner == named.examiner
                        && s.key.device == named.device
                        && s.last_hash == named.last
                })
                .ok_or_else(|| unknown_sheet(&l.cohort, cell, sheet))?;
            if found.state.mark(item).is_some() {
                return Err(Refusal::ItemMarked {
                    item: item.clone(),
                    sheet: named.words(),
                });
            }
            let scale = l.rubric.scale(it.scale);
            let (level, label) = match (level, not_observed) {
                (Some(label), false) => {
                    let i = scale
                        .levels
                        .iter()
                        .position(|lv| lv.label.eq_ignore_ascii_case(label.trim()))
                        .ok_or_else(|| {
                            let labels: Vec<&str> = scale.levels.iter().map(|lv| lv.label.as_str()).collect();
                            Refusal::UnknownLevel {
                                item: item.clone(),
                                level: label.clone(),
                                levels: osce::rubric::one_of(&labels),
                            }
                        })?;
                    (Some(i), scale.levels[i].label.clone())
                }
                (None, true) => {
                    if !scale.not_observed {
                        return Err(Refusal::NotObservedNotAllowed { item: item.clone() });
                    }
                    (None, "not observed".to_string())
                }
                _ => {
                    return Err(Refusal::Choose(
                        "say how the item is taken: --level LABEL, or --not-observed",
                    ));
                }
            };
            Ok(Ruling::Unmarked {
                candidate: cell.candidate.clone(),
                station: cell.station.clone(),
                sheet: named,
                item: item.clone(),
                level,
                label,
            })
        }
        Decide::Result { cell, pass, fail, .. } => {
            let c = cell_state(l, cell)?;
            if matches!(c, CellState::Missing | CellState::Conflict | CellState::Problem) {
                return Err(cell.refuse(format!(
                    "has no sheet that counts ({}): settle that first",
                    c.label()
                )));
            }
            use osce::results::moderation::CellModeration;
            let sheets = l
                .matrix
                .cell(&cell.candidate, &cell.station)
                .map(|c| c.sheets.clone())
                .unwrap_or_default();
            // Held for review (a decision taken under other pass marks, or
            // before a third marker's sheet or an agreed mark came), a
            // sheet the sample takes that came in after the sign-off, or left
            // open by the assessors.
            let now = results(l, &l.decisions)?;
            let detail = now
                .iter()
                .find(|r| r.candidate == cell.candidate)
                .and_then(|r| r.stations.get(&cell.station));
            let agreed = l
                .moderation
                .agreed_mark(&l.cohort, &sheets, &cell.candidate, &cell.station)
                .is_some();
            let held = detail.is_some_and(|d| {
                osce::results::reconcile::held_by_moderation(d)
                    || osce::results::reconcile::held_unmoderated(&l.rubric, d)
                    || osce::results::reconcile::awaiting_reconciliation(&l.rubric, d, agreed)
                    || osce::results::reconcile::decision_overtaken(&d.decided, &l.cohort, &sheets, agreed)
                        .is_some()
            });
            match l
                .moderation
                .cell(&l.cohort, &sheets, &cell.candidate, &cell.station)
            {
                _ if held => {}
                // A sheet changed since it was moderated: the assessor
                // may have signed off and be gone.
                CellModeration::Conflicting { .. }
                | CellModeration::Disagreed { .. }
                | CellModeration::Stale { .. }
                | CellModeration::Referred { third: None, .. } => {}
                other => {
                    return Err(cell.refuse(format!(
                        "has nothing left open by moderation ({}): the exam lead decides a station's result only \
                         where assessors disagree (with each other or with the examiners), a sheet changed since \
                         it was moderated, two markers over the threshold apart cannot agree or a third marker will \
                         not come, or a sheet the moderation sample takes came in (or became a fail) after every \
                         assessor had signed off",
                        other.word()
                    )));
                }
            }
            let result = match (pass, fail) {
                (true, false) => Proposed::Pass,
                (false, true) => Proposed::Fail,
                _ => {
                    return Err(Refusal::Choose(
                        "say what the station's result is: --pass or --fail",
                    ));
                }
            };
            Ok(Ruling::StationResult {
                candidate: cell.candidate.clone(),
                station: cell.station.clone(),
                result,
                over: Some(decided_over(l, &cell.candidate, &cell.station)),
            })
        }
        Decide::PassMarks { record, .. } => {
            let path = record;
            let record = osce::analysis::standards::read(path)?;
            osce::analysis::standards::to_standards(&record, &l.rubric, &l.hash).map_err(|source| {
                Refusal::StandardsForRubric {
                    record: path.clone(),
                    source,
                }
            })?;
            if record.stations.is_empty() {
                return Err(Refusal::NoPassMarks);
            }
            // Set from other sheets than these: a sheet submitted, amended
            // or added since, or a record from another sitting or cohort.
            if let Some(words) = super::status::record_set_otherwise(
                &l.rubric,
                &record,
                &l.decisions,
                &l.cohort,
                &l.matrix,
                &l.moderation,
            ) {
                errln!(
                    "warning: {} was {words}. Its pass marks are taken as they were; {}",
                    path.display(),
                    osce::analysis::standards::SET_AGAIN
                );
            }
            // The report's concerns about these pass marks when they were
            // saved: said again to the one who adopts them.
            if !record.concerns.is_empty() {
                errln!(
                    "warning: {} was saved with {} the quality report had about its pass marks:",
                    path.display(),
                    osce::base::text::plural(record.concerns.len(), "concern", "concerns")
                );
                for concern in &record.concerns {
                    errln!("  {concern}");
                }
                errln!(
                    "  Adopting the record takes its pass marks as they are; to keep a station's provisional pass \
                     mark instead, save another record (osce report --save-standards FILE --station-method \
                     STATION=provisional) and adopt that"
                );
            }
            // A pass mark typed over by hand, the record still saying what
            // its method gave: adopted as written, and said.
            let edited = osce::analysis::standards::edited_by_hand(&record, &l.rubric);
            if !edited.is_empty() {
                errln!(
                    "warning: {} has {} its method did not give (typed over by hand?): {}. Adopting the record \
                     takes them as written; where the board meant them, say so in --reason, otherwise save the \
                     record again (osce report --save-standards FILE)",
                    path.display(),
                    osce::base::text::plural(edited.len(), "pass mark", "pass marks"),
                    edited.join("; ")
                );
            }
            // Stations the rubric standard-sets that the record leaves out
            // keep their provisional pass marks: said, not silent.
            let left_out: Vec<String> = l
                .rubric
                .standard_set_stations()
                .map(|s| s.id.clone())
                .filter(|id| !record.stations.iter().any(|s| &s.station == id))
                .collect();
            if !left_out.is_empty() {
                errln!(
                    "note: the record sets no pass mark for {}, which the rubric standard-sets: {} the provisional \
                     pass mark",
                    osce::base::text::quoted_list(&left_out),
                    if left_out.len() == 1 {
                        "it keeps"
                    } else {
                        "they keep"
                    }
                );
            }
            Ok(Ruling::PassMarks {
                record,
                over: Some(osce::results::decisions::AdoptedOver {
                    fingerprint: osce::analysis::standards::fingerprint(&l.cohort),
                    sheets: l.cohort.sheets.len(),
                }),
            })
        }
        Decide::List { .. }
        | Decide::Components { .. }
        | Decide::Held { .. }
        | Decide::RubricVersion { .. } => Err(Refusal::Choose("nothing to decide")),
    }
}

/// Where `cell` stands, checking the candidate and station exist.
/// What a station's result is decided over: its sheets now, and whether
/// the markers' agreed mark is recorded. A third marker's sheet or an
/// agreed mark that comes after holds the decision for review.
fn decided_over(l: &Loaded, candidate: &str, station: &str) -> osce::results::decisions::DecidedOver {
    let cell_sheets = l
        .matrix
        .cell(candidate, station)
        .map(|c| c.sheets.as_slice())
        .unwrap_or_default();
    // The cell's sheets, as the check of what came after reads them (a
    // referred third marker's among them), not only those that count.
    osce::results::decisions::DecidedOver {
        sheets: cell_sheets
            .iter()
            .map(|&i| &l.cohort.sheets[i])
            .filter(|s| s.state.submitted.is_some())
            .map(|s| SheetRef {
                examiner: s.key.examiner.clone(),
                device: s.key.device.clone(),
                last: s.last_hash.clone(),
            })
            .collect(),
        agreed_mark: l
            .moderation
            .agreed_mark(&l.cohort, cell_sheets, candidate, station)
            .is_some(),
        as_marks_gave: false,
    }
}

fn cell_state(l: &Loaded, cell: &Cell) -> Result<CellState, Refusal> {
    l.matrix
        .cell(&cell.candidate, &cell.station)
        .map(|c| c.state)
        .ok_or_else(|| {
            if l.rubric.station(&cell.station).is_none() {
                unknown_station(l, cell)
            } else if !l.rubric.scored_stations().any(|s| s.id == cell.station) {
                let ids: Vec<&str> = l.rubric.scored_stations().map(|s| s.id.as_str()).collect();
                Refusal::NotScored {
                    station: cell.station.clone(),
                    stations: osce::rubric::one_of(&ids),
                }
            } else {
                Refusal::UnknownCandidate {
                    candidate: cell.candidate.clone(),
                    near: osce::rubric::did_you_mean(
                        &cell.candidate,
                        l.matrix.candidates.iter().map(String::as_str),
                    )
                    .filter(|near| *near != cell.candidate)
                    .map(str::to_string),
                }
            }
        })
}

fn unknown_station(l: &Loaded, cell: &Cell) -> Refusal {
    let ids: Vec<&str> = l.rubric.scored_stations().map(|s| s.id.as_str()).collect();
    Refusal::UnknownStation {
        station: cell.station.clone(),
        stations: osce::rubric::one_of(&ids),
        near: osce::rubric::did_you_mean(&cell.station, ids.iter().copied()).map(str::to_string),
    }
}

impl Cell {
    fn refuse(&self, why: String) -> Refusal {
        Refusal::NothingToDecide {
            candidate: self.candidate.clone(),
            station: self.station.clone(),
            why,
        }
    }
}

/// Where `path` is, written one way whichever way it was given: the
/// real path of the deepest part of it that exists, and the rest as
/// given (a journal in an archive is named by the archive's path and its
/// place inside, `y3.osce/sessions/…`, which is no file of its own).
fn real(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(if at.as_os_str().is_empty() {
            Path::new(".")
        } else {
            at
        }) {
            return rest.iter().rev().fold(real, |p: PathBuf, part| p.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// No sheet `given` at `cell`: the refusal names the sheets there, and the
/// one a typo away where there is one.
fn unknown_sheet(cohort: &Cohort, cell: &Cell, given: &str) -> Refusal {
    let mut there: Vec<String> = cohort
        .sheets
        .iter()
        .map(|s| &s.key)
        .chain(cohort.problem_sheets.iter().map(|p| &p.key))
        .filter(|k| k.candidate == cell.candidate && k.station == cell.station)
        .map(|k| format!("{}@{}", k.examiner, k.device))
        .collect();
    there.sort();
    there.dedup();
    let there = match osce::rubric::did_you_mean(given, there.iter().map(String::as_str)) {
        Some(near) => format!(" (did you mean \"{near}\"?)"),
        None if there.is_empty() => " (there is no sheet there)".to_string(),
        None => format!(" (the sheets there: {})", there.join(", ")),
    };
    Refusal::UnknownSheet {
        given: given.to_string(),
        candidate: cell.candidate.clone(),
        station: cell.station.clone(),
        there,
    }
}

/// The sheet `given` names at `cell`: EXAMINER@DEVICE (when only one of
/// that examiner's histories is there) or a journal's path; with
/// `problems`, journals that cannot be used too.
fn find_sheet(cohort: &Cohort, cell: &Cell, given: &str, problems: bool) -> Result<SheetRef, Refusal> {
    let given_path = real(Path::new(given));
    let mut found: Vec<(SheetRef, String)> = Vec::new();
    for s in &cohort.sheets {
        if s.key.candidate != cell.candidate || s.key.station != cell.station {
            continue;
        }
        let who = format!("{}@{}", s.key.examiner, s.key.device);
        let paths = std::iter::once(&s.path)
            .chain(cohort.copies.iter().filter(|c| c.used == s.path).map(|c| &c.copy));
        if who == given || paths.into_iter().any(|p| real(p) == given_path) {
            found.push((
                SheetRef {
                    examiner: s.key.examiner.clone(),
                    device: s.key.device.clone(),
                    last: s.last_hash.clone(),
                },
                s.path.display().to_string(),
            ));
        }
    }
    if problems {
        for p in cohort.problem_sheets.iter().chain(&cohort.other_version_sheets) {
            if p.key.candidate != cell.candidate || p.key.station != cell.station {
                continue;
            }
            let who = format!("{}@{}", p.key.examiner, p.key.device);
            if who == given || real(&p.path) == given_path {
                found.push((
                    SheetRef {
                        examiner: p.key.examiner.clone(),
                        device: p.key.device.clone(),
                        last: p.fingerprint.clone(),
                    },
                    p.path.display().to_string(),
                ));
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0).0),
        0 => Err(unknown_sheet(cohort, cell, given)),
        count => Err(Refusal::AmbiguousSheet {
            given: given.to_string(),
            count,
            candidate: cell.candidate.clone(),
            station: cell.station.clone(),
            paths: found
                .iter()
                .map(|(_, p)| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The journal holding the sheet a decision names (the one that counts in
/// a conflict, the one voided, the one whose unmarked item is taken), so
/// that the one decided on is seen by its path and not only its record's
/// hash: one examiner's sheet can have two histories.
fn journal_named(l: &Loaded, ruling: &Ruling) -> Option<PathBuf> {
    let (candidate, station, sheet) = match ruling {
        Ruling::Conflict {
            candidate,
            station,
            counts: Some(sheet),
        }
        | Ruling::Void {
            candidate,
            station,
            sheet,
        }
        | Ruling::Unmarked {
            candidate,
            station,
            sheet,
            ..
        } => (candidate, station, sheet),
        _ => return None,
    };
    let whose = |k: &osce::store::SheetKey| {
        k.candidate == *candidate
            && k.station == *station
            && k.examiner == sheet.examiner
            && k.device == sheet.device
    };
    l.cohort
        .sheets
        .iter()
        .find(|s| whose(&s.key) && s.last_hash == sheet.last)
        .map(|s| s.path.clone())
        .or_else(|| {
            l.cohort
                .problem_sheets
                .iter()
                .chain(&l.cohort.other_version_sheets)
                .find(|p| whose(&p.key) && p.fingerprint == sheet.last)
                .map(|p| p.path.clone())
        })
}

/// What recording `entry` changes, candidate by candidate, in words.
/// What `entries` would change, each candidate whose result (or a
/// station's) changes in a line. `read_after`: the sheets as read with them
/// in force, where they change which are read.
fn effect(
    l: &Loaded,
    read_after: Option<&Loaded>,
    entries: &[DecisionEntry],
    now: chrono::DateTime<Utc>,
) -> Result<Vec<String>, Refusal> {
    let before = results(l, &l.decisions)?;
    let mut decisions = l.decisions.clone();
    decisions.made.extend(as_made(entries, now));
    let after = results(read_after.unwrap_or(l), &decisions)?;
    // A component deferred is said so (its result is INCOMPLETE until the
    // later sitting), as status says it.
    let (deferred_before, deferred_after) = (l.decisions.components(), decisions.components());
    let mut lines = Vec::new();
    // A deferred candidate has no mark at this sitting; a module of
    // weighted components gives its module mark (what marks.csv uploads),
    // once it has one.
    // A candidate with no sheet in at all has no marks to count: said so,
    // not "0 marks".
    let no_sheet = |r: &CandidateResult| {
        r.final_result.stations.iter().filter(|s| s.is_scored()).all(|s| {
            s.missing
                .iter()
                .any(|m| matches!(m, osce::scoring::Missing::Sheet { .. }))
        })
    };
    let said = |word: &str, r: &CandidateResult| match (&r.deferred, r.final_result.module_mark_words()) {
        (Some(_), _) => word.to_string(),
        (None, Some(module)) => format!("{word} ({module})"),
        (None, None) if no_sheet(r) => format!("{word} (no sheet in yet)"),
        (None, None) => format!("{word} ({})", osce::scoring::marks_words(r.final_result.total)),
    };
    // Candidate by candidate, by id: a decision can take a candidate out
    // (every sheet under an id no one sat as is void) or bring one in.
    let after_of: std::collections::HashMap<&str, &CandidateResult> =
        after.iter().map(|a| (a.candidate.as_str(), a)).collect();
    let before_ids: std::collections::HashSet<&str> = before.iter().map(|b| b.candidate.as_str()).collect();
    for b in &before {
        if !after_of.contains_key(b.candidate.as_str()) {
            lines.push(format!(
                "{}: {} → no result: no sheet of theirs counts (every one is void), so they are no longer a \
                 candidate of this exam",
                b.candidate,
                said(&b.final_word(), b)
            ));
        }
    }
    for a in after
        .iter()
        .filter(|a| !before_ids.contains(a.candidate.as_str()))
    {
        lines.push(format!(
            "{}: no result → {}",
            a.candidate,
            said(&a.final_word(), a)
        ));
    }
    for (b, a) in before
        .iter()
        .filter_map(|b| after_of.get(b.candidate.as_str()).map(|a| (b, *a)))
    {
        let (bw, aw) = (b.final_word(), a.final_word());
        if said(&bw, b) != said(&aw, a) {
            lines.push(format!("{}: {} → {}", b.candidate, said(&bw, b), said(&aw, a)));
            // A FAIL whatever the absence, deferred all the same: said,
            // with the way to let it stand.
            if b.deferred.is_none()
                && let Some(why) = a.fail_set_aside()
            {
                lines.push(format!(
                    "  note: {}'s marks so far fail the assessment whatever the rest ({why}); the deferral sets that \
                     FAIL aside for this sitting. If it should stand, record what was missed as a fail instead (--fail)",
                    a.candidate
                ));
            }
        }
        // A component assessed outside the stations whose result changes
        // (a result recorded or corrected), in the rubric's order.
        let part = |r: &CandidateResult, id: &str, deferred: &osce::results::decisions::ComponentResults| {
            let is_deferred = deferred
                .get(&r.candidate)
                .and_then(|c| c.get(id))
                .is_some_and(|(v, _)| *v == osce::results::decisions::ComponentValue::Deferred);
            r.final_result
                .components
                .iter()
                .find(|c| c.component == id)
                .map(|c| match c.percent_words() {
                    _ if is_deferred => "DEFERRED".to_string(),
                    Some(p) => format!("{} ({p}%)", c.outcome),
                    None => c.outcome.to_string(),
                })
        };
        for id in l
            .rubric
            .components
            .iter()
            .flat_map(|c| &c.parts)
            .filter(|p| p.stations.is_empty())
            .map(|p| &p.id)
        {
            if let (Some(before), Some(after)) = (part(b, id, &deferred_before), part(a, id, &deferred_after))
                && before != after
            {
                lines.push(format!("{}'s {id}: {before} → {after}", b.candidate));
            }
        }
        // A station can change while the candidate's result does not (a
        // FAIL elsewhere, say): said too, so that no decision looks idle.
        // In the rubric's order, as every other list of stations.
        for station in l.rubric.stations.iter().map(|s| &s.id) {
            let (Some(before), Some(after)) = (b.stations.get(station), a.stations.get(station)) else {
                continue;
            };
            let word = |r: &osce::scoring::StationResult| {
                format!("{} ({})", r.outcome.word(), osce::scoring::marks_words(r.score))
            };
            let (bs, as_) = (word(&before.final_result), word(&after.final_result));
            // Why a station is held back (its last INCOMPLETE reason).
            let held = |r: &osce::scoring::StationResult| {
                (r.outcome == osce::scoring::StationOutcome::Incomplete)
                    .then(|| {
                        r.reasons
                            .iter()
                            .rev()
                            .find(|x| x.verdict == osce::scoring::Outcome::Incomplete)
                            .map(|x| x.text.clone())
                    })
                    .flatten()
            };
            let (held_before, held_after) = (held(&before.final_result), held(&after.final_result));
            if bs != as_ {
                // Held back now: why, so that the preview explains itself.
                let why = held_after.map(|t| format!(": {t}")).unwrap_or_default();
                lines.push(format!("{} at {station}: {bs} → {as_}{why}", b.candidate));
            } else if let (Some(was), Some(now)) = (held_before, held_after)
                && was != now
            {
                // Held back as before, for another reason (the only sheet
                // void, say): said, so that the decision does not look idle.
                lines.push(format!(
                    "{} at {station}: still {as_}, now because {now} (it was: {was})",
                    b.candidate
                ));
            }
        }
    }
    Ok(lines)
}

/// `entries` as decisions made `now`, after every one recorded.
fn as_made(entries: &[DecisionEntry], now: chrono::DateTime<Utc>) -> Vec<Made> {
    entries
        .iter()
        .enumerate()
        .map(|(n, entry)| Made {
            entry: entry.clone(),
            time: now,
            seq: u64::MAX - (entries.len() - n) as u64,
            path: PathBuf::from("(this decision)"),
        })
        .collect()
}

/// Every candidate's result under `decisions`.
fn results(l: &Loaded, decisions: &Decisions) -> Result<Vec<CandidateResult>, Refusal> {
    let settled = osce::results::decisions::settle(&l.rubric, &l.cohort, decisions);
    let mut m = osce::results::gather::matrix_settled(&l.rubric, &l.cohort, l.roster.as_ref(), &settled);
    osce::results::moderation::settle_referrals(&mut m, &l.cohort, &l.moderation);
    let standards = adopted_standards(&l.rubric, &l.hash, decisions)?;
    Ok(osce::results::reconcile::results(
        &l.rubric,
        &l.cohort,
        &m,
        &standards,
        &l.moderation,
    ))
}

/// `osce decide list`: every decision, in the order made, and whether it is
/// in force.
fn list(rubric_path: &Path, sessions: &[PathBuf], archive: Option<&Path>, into: &[PathBuf]) -> ExitCode {
    let (rubric, hash): (Rubric, String) = match super::status::rubric_and_hash(rubric_path) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let source = match super::collect::sessions_or_stored(sessions, archive) {
        Ok(s) => s,
        Err(code) => return code,
    };
    for folder in into {
        if !folder.is_dir() {
            errln!(
                "error: --into {}: no such folder (the folder your decisions were recorded into)",
                folder.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let decisions = match osce::results::decisions::gather_from_all(
        &rubric,
        &hash,
        &[source.source(), osce::results::source::Source::Folders(into)],
    ) {
        Ok(d) => d,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for p in &decisions.problems {
        errln!("warning: {p}");
    }
    if decisions.made.is_empty() {
        // Nothing of this assessment where it was looked for at all: the
        // wrong rubric or the wrong place, not an exam without decisions.
        let here = match &source.stored {
            Some(stored) => stored.holds(&rubric.id),
            None => sessions.iter().any(|f| f.join(&rubric.id).is_dir()),
        } || into.iter().any(|f| f.join(&rubric.id).is_dir());
        if !here {
            let (place, other) = super::status::elsewhere(&rubric.id, &source, sessions);
            errln!(
                "error: {place} holds no journal of assessment \"{}\": no sheet and no decision.\n{}",
                rubric.id,
                if other.is_empty() {
                    "Check that the rubric is the one the exam used and the place is the exam's.\n"
                        .to_string()
                } else {
                    other
                }
                .trim_end()
            );
            return ExitCode::from(EXIT_INVALID);
        }
        outln!("No decisions recorded for assessment \"{}\".", rubric.id);
        if archive.is_some() && into.is_empty() {
            outln!(
                "Decisions recorded into a folder (--into) are in the archive once it is collected (osce collect \
                 ARCHIVE FOLDER); to list them before, add --into FOLDER."
            );
        }
    }
    let in_force = decisions.in_force();
    for m in &decisions.made {
        let held = in_force.iter().any(|f| std::ptr::eq(*f, m));
        outln!(
            "{} {}{}",
            if held { "*" } else { " " },
            m.line(),
            if held {
                ""
            } else {
                " [replaced by a later decision]"
            }
        );
    }
    if !decisions.made.is_empty() {
        outln!("\n* in force. Recorded in: {}", {
            let mut paths: Vec<String> = decisions
                .made
                .iter()
                .map(|m| m.path.display().to_string())
                .collect();
            // Each journal once (decisions from two journals interleave).
            paths.sort();
            paths.dedup();
            paths.join(", ")
        });
    }
    if decisions.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}
