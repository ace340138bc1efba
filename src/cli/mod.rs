//! The command-line shell around the core: argument parsing, output and
//! exit codes. Exit codes: 0 success, 1 the input is wrong (an invalid
//! rubric), 2 usage or I/O (a missing file, not UTF-8, a folder).

mod audit;
mod carry;
mod collect;
mod decide;
pub mod diagnostics;
mod examiners;
mod export;
mod feedback;
mod import;
mod logbook;
mod moderate;
mod report;
mod rotation;
mod score;
mod simulate;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use osce::rubric::{self, LoadError, summary::summary};

pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "osce",
    version,
    about = "Run clinical competency assessments (OSCEs, practical exams, final clinical assessments) from RON rubrics",
    long_about = "Run clinical competency assessments (OSCEs, practical exams, final clinical assessments) from RON rubrics.\n\nWith no command, osce opens the home screen: choose a rubric, say who you are and how you mark, or resume an unfinished sheet.",
    after_help = "Exit codes: 0 success · 1 the input is wrong (e.g. an invalid rubric) · 2 usage or I/O error.\nThe rubric format is documented in docs/rubric-format.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Session store folder, for the home screen
    #[arg(long, value_name = "DIR", default_value = "sessions", global = false)]
    pub sessions: PathBuf,
    /// This device's id in the session files, for the home screen
    /// (default: the hostname). A spare laptop taking over from another
    /// gives that laptop's name, so that its sheets carry on
    #[arg(long, value_name = "ID", global = false)]
    pub device: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rubric files and explain every mistake
    ///
    /// Reports syntax errors with file:line:col and the offending line,
    /// unknown fields, and every semantic problem (duplicate ids, undefined
    /// scales, impossible pass marks, ...) with its path inside the rubric.
    /// Warnings mark things that are allowed but probably not meant.
    ///
    /// Exit codes: 0 every file valid (warnings allowed, unless --strict) ·
    /// 1 a rubric or roster has errors · 2 a file could not be read. The
    /// format is documented in docs/rubric-format.md.
    Check {
        /// Rubric files (.ron)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Treat warnings as errors (exit 1 if there are any)
        #[arg(long)]
        strict: bool,
        /// Print only problems, not the line for each valid file
        #[arg(long, short)]
        quiet: bool,
        /// Print each valid rubric's identity (the hash its sheets carry,
        /// unchanged by layout, comments and line endings) and its name
        #[arg(long)]
        identity: bool,
        /// Also check this roster against the rubric (one rubric file), say
        /// its warnings, and print each circuit's rotation round by round
        #[arg(long, value_name = "FILE.csv")]
        roster: Option<PathBuf>,
    },
    /// Print a readable summary of a rubric to proof-read
    ///
    /// Stations, timings, items with their marks and maxima, critical items,
    /// pass marks and the overall pass rules in words.
    Show {
        /// Rubric file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Mark candidates: open the scoring screen directly
    ///
    /// Candidate by candidate with --candidate (one candidate through every
    /// station) or --roster without --station (the roster's candidates in
    /// order); a station circuit with --roster and --station (you stay at
    /// the station; candidates arrive in rotation order). Every change is
    /// appended to the sheet's journal under --sessions and fsynced before
    /// the screen says it is saved.
    Score(ScoreArgs),
    /// Which sheets are in: a candidates × stations matrix
    ///
    /// Combines several session folders (one per examiner laptop, in any
    /// order; copies of one sheet count once) deterministically. Each cell
    /// is missing, opened, in progress, submitted, amended, absent,
    /// CONFLICT (two different histories of one sheet, or two examiners
    /// where the rubric has no double marking) or PROBLEM (a journal that
    /// cannot be used as it is); flags show concerns, double marking and
    /// moderation. Each problem names the `osce decide` command that
    /// settles it. Exit code 0 only when every result is final (for
    /// scripts), 1 otherwise: "Not final yet" says why.
    Status(StatusArgs),
    /// Check every session file: hashes, chains, amendments, torn writes
    ///
    /// Verifies each journal's checksums and hash chain, lists every
    /// amendment with its reason and who made it, quarantined torn records,
    /// journals marked against another rubric, and any sign of a hand edit.
    /// Exit code 0 only when nothing is wrong.
    Audit(AuditArgs),
    /// Copy every journal of the laptops' folders into one archive file
    ///
    /// ARCHIVE is an SQLite database (docs/archive-format.md): each
    /// journal's bytes as read, where it came from and when, its length,
    /// last hash and BLAKE3, checked as every command checks it. A second
    /// run reads only files changed since; identical copies are one
    /// journal. Anchored: a copy shorter than what was collected from it,
    /// or different anywhere in what was collected, is refused by name
    /// (exit 1) and the archive keeps what it had. One transaction: all or
    /// nothing. `status`, `export`, `report`, `feedback`, `moderate` and
    /// `audit` read it with --archive.
    Collect(collect::CollectArgs),
    /// Enter marks captured on paper (when a laptop failed)
    ///
    /// Reads the documented long CSV format (docs/import-format.md),
    /// checks every row against the rubric, and reports every bad row with
    /// its line number. All or nothing: a file with one bad row writes
    /// nothing. Imported sheets are marked as imported in the record.
    Import(ImportArgs),
    /// Check logbooks against the rubric's logbook gate
    ///
    /// Reads a logbook CSV (docs/logbook-format.md: one line per scan or
    /// injection) and says for each candidate whether the logbook meets the
    /// gate and, if not, exactly what is missing. All or nothing: a file
    /// with one wrong line is reported line by line and judges nobody.
    /// Exit code 0 only when every candidate in the file is eligible.
    Logbook(logbook::LogbookArgs),
    /// Write results, stations, items, marks and moderation as CSV
    ///
    /// results.csv (one row per candidate, with the reasons in words),
    /// stations.csv, items.csv (one row per item mark), marks.csv (the
    /// upload file for the student records system) and moderation.csv, as
    /// documented in docs/export-format.md. Each file is written to a
    /// temporary name, fsynced and renamed; earlier exports are never
    /// overwritten unless --force. Cells a spreadsheet would run as
    /// formulas are neutralised.
    ///
    /// Exit codes: 0 written, every result final · 1 written, but some
    /// results are not final yet (status says why: their `provisional` and
    /// `reasons` columns say so too), or nothing written as nothing could be
    /// used · 2 usage or I/O error.
    Export(ExportArgs),
    /// Write each candidate's feedback: Markdown, and an HTML page to print
    ///
    /// Each candidate's result and why, their stations' results and the
    /// examiners' feedback comments, as far as the rubric's
    /// `candidate_feedback` allows: ID.md, and ID.html, one self-contained
    /// page (no scripts, nothing fetched) to read in a browser or print. Private notes and concerns are never included. Files are
    /// written like exports: atomically, never over earlier ones unless
    /// --force.
    Feedback(FeedbackArgs),
    /// Feedback for examiners: how each one's marks compare with their
    /// peers' at the same stations, over one exam or several
    ///
    /// One Markdown file per examiner (EXAMINER.md): at each station they
    /// marked, their stringency (points above or below what their
    /// candidates' scores at the other stations predict) and how well their
    /// marks rank candidates as the rest of the exam does, beside the other
    /// examiners there, in plain words. Give --exam once per exam (a rubric
    /// and its sessions folders) to see an examiner across exams.
    Examiners(ExaminersArgs),
    /// External-assessor moderation of submitted sheets (a terminal screen)
    ///
    /// Opens on the sample to moderate (every fail, every borderline sheet
    /// and a reproducible share of the rest), with filters (fails,
    /// borderline, near the pass mark, flagged, all) and each sheet shown
    /// read-only. Per sheet: agree (with an optional comment), disagree (a
    /// proposed result and a rationale), or refer to a third marker; agreed
    /// marks for double-marked stations; an overall report and a sign-off
    /// that locks it, once every sheet of the sample is decided. Decisions
    /// go to the assessor's own journal,
    /// <assessment>/<assessor>@<device>/moderation.jsonl in the --into
    /// folder (else the first --sessions folder), fsynced before the screen
    /// says saved; the examiners' marks are never changed.
    Moderate(ModerateArgs),
    /// The exam quality report: standard setting, reliability, plots
    ///
    /// Per station: borderline regression (pass mark, 95% CI, R²,
    /// inter-grade discrimination, how many fail), the borderline group
    /// pass mark, modified Angoff with --angoff, item analysis (facility,
    /// corrected item–total correlation), η² by examiner and circuit,
    /// mean, SD, flags. Whole exam: the Hofstee cut with --hofstee,
    /// Cronbach's α and α if deleted, SEM, generalisability, cut scores and
    /// pass/fail counts under provisional and standard-set pass marks,
    /// examiners against their stations, double-marking agreement. In a
    /// terminal it opens a screen with plots; with --format (or when not in
    /// a terminal) it writes Markdown, CSV or one self-contained HTML file.
    /// Explained in docs/report.md.
    Report(ReportArgs),
    /// Record the exam lead's decisions: what only a person can settle
    ///
    /// Which sheet counts in a conflict (or neither), a void sheet, what an
    /// absence counts as, how an item left unmarked is taken, a station's
    /// result where moderation cannot settle it, the pass marks adopted.
    /// Each is recorded with who, when and why (--by, --reason) in the
    /// decider's own journal, never in a sheet; --dry-run shows what it would
    /// change first. `osce status` names the decision each problem needs.
    /// Explained in docs/decisions.md.
    #[command(subcommand)]
    Decide(decide::Decide),
    /// Write a realistic synthetic cohort (training, demos, benchmarks)
    ///
    /// Candidates with abilities, items with difficulties, examiners with
    /// stringency, global ratings that follow the scores, a few absences,
    /// unmarked items and concerns; written through the session store,
    /// reproducible from --seed. Refuses a sessions folder that already
    /// holds sheets of the assessment.
    Simulate(SimulateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Tui,
    Markdown,
    Csv,
    Html,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct ReportArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders to combine (one per examiner laptop)
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// Roster CSV: candidates' names and circuits (for η² by circuit)
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// tui (in a terminal, the default there), markdown (the default
    /// elsewhere), csv or html
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Where to write: a file for markdown and html (markdown goes to
    /// standard output without it), a folder for csv
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Replace an earlier report at --out
    #[arg(long)]
    pub force: bool,
    /// Save the standard-set pass marks as a standard-setting record, to
    /// adopt with `osce decide pass-marks` (or try with `osce export
    /// --pass-marks FILE`)
    #[arg(long, value_name = "FILE.json", requires = "by")]
    pub save_standards: Option<PathBuf>,
    /// With --save-standards: the board's choice for one station, as
    /// STATION=METHOD (a method's id, as --method takes it), STATION=provisional
    /// (keep the provisional pass mark) or STATION=fixed:MARKS; repeat for
    /// each station
    #[arg(
        long = "station-method",
        value_name = "STATION=CHOICE",
        requires = "save_standards"
    )]
    pub station_methods: Vec<String>,
    /// With --save-standards: round every pass mark, up, down or nearest,
    /// to a multiple of STEP marks (default 1): e.g. up or up:0.5
    #[arg(long, value_name = "RULE[:STEP]", requires = "save_standards")]
    pub round: Option<String>,
    /// With --save-standards: the board's note, kept in the record
    #[arg(long, value_name = "TEXT", requires = "save_standards")]
    pub note: Option<String>,
    /// Who sets the pass marks (with --save-standards)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Judges' modified Angoff estimates (judge,station,item,estimate):
    /// adds Angoff pass marks beside borderline regression
    #[arg(long, value_name = "FILE.csv")]
    pub angoff: Option<PathBuf>,
    /// Judges' Hofstee bounds (judge,min_cut,max_cut,min_fail,max_fail, in
    /// percent): adds the Hofstee cut to the whole-exam figures
    #[arg(long, value_name = "FILE.csv")]
    pub hofstee: Option<PathBuf>,
    /// Standard-set every station the rubric standard-sets by this method
    /// instead of the rubric's: borderline-regression, borderline-group or
    /// angoff (with --angoff); the report's figures and --save-standards
    /// follow it
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Rubric file (.ron)
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// How many candidates
    #[arg(long, value_name = "N")]
    pub candidates: usize,
    /// How many examiners
    #[arg(long, value_name = "K")]
    pub examiners: usize,
    /// The seed: the same seed writes the same cohort
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Sessions folder to write into (must not hold this assessment yet)
    #[arg(long, value_name = "DIR")]
    pub sessions: PathBuf,
    /// Also write a roster CSV of the candidates (with circuits)
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// fsync every file (slower; off because the cohort can be made again
    /// from the seed)
    #[arg(long)]
    pub sync: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct ModerateArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Your id as the external assessor
    #[arg(long, value_name = "ID")]
    pub assessor: String,
    /// Session folders to combine (one per examiner laptop); your decisions
    /// are written into the first unless --into names another
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions (then
    /// --into is required: a folder of your own that your journal goes to,
    /// to send back and collect)
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions", requires = "into")]
    pub archive: Option<PathBuf>,
    /// Roster CSV: candidates' names and order
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// The share of the sheets that are neither fails nor borderline to
    /// add to the sample, in percent (default: the rubric's moderation
    /// sample, else 10)
    #[arg(long, value_name = "PERCENT")]
    pub sample: Option<f64>,
    /// The random sample's seed: the same seed picks the same sheets
    /// (default: from the assessment's id)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// "Near the pass mark": within this percent of the station maximum
    #[arg(long, value_name = "PERCENT", default_value_t = 5.0)]
    pub near: f64,
    /// This device's id in the moderation journal (default: the hostname)
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// The folder your moderation journal goes to (default: the first
    /// --sessions folder): a folder of your own, to send back to the exam
    /// lead. It is read with the --sessions folders
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct FeedbackArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders to combine (one per examiner laptop)
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// Folder to write the files into, one `<candidate>.md` each
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Roster CSV: the candidates expected (else those found on sheets)
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// Replace files of an earlier run in --out
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExaminersArgs {
    /// An exam: its rubric and its sessions folders, as
    /// RUBRIC=DIR[,DIR...]; give it once per exam
    #[arg(long = "exam", value_name = "RUBRIC=DIR,...", required = true)]
    pub exams: Vec<String>,
    /// Folder to write the files into, one `<examiner>.md` each
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace files of an earlier run in --out
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct ExportArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders to combine (one per examiner laptop)
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// Folder to write the CSV files into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Roster CSV: the candidates expected (else those found on sheets)
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// Replace the files of an earlier export in --out
    #[arg(long)]
    pub force: bool,
    /// marks.csv columns as field=Header pairs, e.g.
    /// "candidate_id=Student ID,percent=Mark,final_result=Grade". Fields:
    /// candidate_id, name, total, maximum, percent, module_mark, result,
    /// final_result, internal_result. Default: the rubric's `marks_csv`,
    /// else "candidate_id=candidate_id,percent=mark,final_result=grade"
    /// (module_mark for percent where the rubric's components are weighted)
    #[arg(long, value_name = "FIELDS")]
    pub marks_columns: Option<String>,
    /// Which pass marks: `provisional` (the rubric's, until standard
    /// setting), `standard-set` (computed now from these sessions, as
    /// `osce report` shows them), or a standard-setting record saved by
    /// `osce report --save-standards`. Without it: the pass marks adopted
    /// by `osce decide pass-marks`, else the provisional ones
    #[arg(long, value_name = "WHICH")]
    pub pass_marks: Option<String>,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct AuditArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders to check
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// The marks, in the long CSV format of docs/import-format.md
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,
    /// The examiner who marked the paper forms
    #[arg(long, value_name = "ID")]
    pub examiner: String,
    /// Session folder to write into
    #[arg(long, value_name = "DIR", default_value = "sessions")]
    pub sessions: PathBuf,
    /// Device id for the imported sheets (default: "paper")
    #[arg(long, value_name = "ID", default_value = "paper")]
    pub device: String,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").args(["sessions", "archive"]).required(true)))]
pub struct StatusArgs {
    /// Rubric file (.ron) the exam used
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Session folders to combine (one per examiner laptop)
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// The exam archive made by `osce collect`, instead of --sessions
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// Roster CSV: the candidates expected (else those found on sheets)
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// List only what needs action (sheets not in, conflicts, problems,
    /// moderation left open), not the whole matrix
    #[arg(long)]
    pub problems: bool,
    /// Keep watching the sessions folders (a shared or synced folder, on
    /// the day) and show the status again whenever a sheet arrives or
    /// changes, reading again only the journals that changed; Ctrl-C stops
    #[arg(long, conflicts_with = "archive")]
    pub watch: bool,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Rubric file (.ron)
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// Your examiner id
    #[arg(long, value_name = "ID")]
    pub examiner: String,
    /// The candidate to mark (candidate by candidate)
    #[arg(long, value_name = "ID", conflicts_with = "circuit")]
    pub candidate: Option<String>,
    /// The candidate's name, shown to confirm them (with --roster, the roster's; one given must be it)
    #[arg(long, value_name = "NAME", requires = "candidate")]
    pub name: Option<String>,
    /// Roster CSV: candidate_id,name[,circuit,start_station,circuit_start] (docs/roster-format.md);
    /// with circuit_start, the circuit's rounds go by the clock on every laptop
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// With --roster: the station you stay at (station circuit). With
    /// --candidate: the station to mark first (the next waits for enter).
    #[arg(long, value_name = "ID")]
    pub station: Option<String>,
    /// With a station circuit: only the roster's candidates in this circuit
    #[arg(long, value_name = "CIRCUIT", requires = "station")]
    pub circuit: Option<String>,
    /// Session store folder
    #[arg(long, value_name = "DIR", default_value = "sessions")]
    pub sessions: PathBuf,
    /// This device's id in the session files (default: the hostname)
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Check {
            files,
            strict,
            quiet,
            identity,
            roster,
        }) => check(&files, strict, quiet, identity, roster.as_deref()),
        Some(Command::Show { file }) => show(&file),
        Some(Command::Score(args)) => score::score(args),
        Some(Command::Status(args)) => status::status(&args),
        Some(Command::Decide(decide)) => decide::run(&decide),
        Some(Command::Audit(args)) => audit::run(&args),
        Some(Command::Collect(args)) => collect::run(&args),
        Some(Command::Import(args)) => import::run(&args),
        Some(Command::Logbook(args)) => logbook::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Feedback(args)) => feedback::run(&args),
        Some(Command::Examiners(args)) => examiners::run(&args),
        Some(Command::Moderate(args)) => moderate::run(&args),
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Simulate(args)) => simulate::run(&args),
        None => score::home(&cli.sessions, cli.device.as_deref()),
    }
}

fn check(files: &[PathBuf], strict: bool, quiet: bool, identity: bool, roster: Option<&Path>) -> ExitCode {
    let colour = diagnostics::colour_wanted();
    if roster.is_some() && identity {
        errln!("error: --roster and --identity are separate checks: run one, then the other");
        return ExitCode::from(EXIT_USAGE);
    }
    if roster.is_some() && files.len() != 1 {
        errln!(
            "error: --roster is checked against one rubric: name the rubric file the exam uses, and only it"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let mut worst = 0u8;
    for path in files {
        // A roster named where a rubric goes (the obvious first try) is
        // said as such, not parsed as a broken rubric.
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            errln!(
                "error: {}: is a CSV file, not a rubric; to check a roster, name the rubric too: osce check \
                 RUBRIC.ron --roster {}",
                path.display(),
                osce::base::text::shell_path(path)
            );
            worst = worst.max(EXIT_USAGE);
            continue;
        }
        let checked = match rubric::check_file(path) {
            Ok(checked) => checked,
            Err(e) => {
                errln!("error: {e}");
                worst = worst.max(EXIT_USAGE);
                continue;
            }
        };
        err!("{}", diagnostics::render(&checked, colour));
        let errors = checked.errors().count();
        let warnings = checked.warnings().count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match &checked.rubric {
            Some(_) if errors == 0 && identity => {
                outln!(
                    "{}  {}",
                    osce::store::hash_rubric(&checked.source),
                    path.display()
                );
            }
            Some(r) if errors == 0 => {
                if !quiet {
                    let items: usize = r.stations.iter().map(|s| s.items.len()).sum();
                    let station_word = match r.kind {
                        osce::rubric::AssessmentKind::FinalClinicalAssessment => "case",
                        _ => "scored station",
                    };
                    outln!(
                        "ok: {} is valid: \"{}\", {}, {}, maximum {}{}",
                        path.display(),
                        r.title,
                        plural(r.scored_stations().count(), station_word),
                        plural(items, "item"),
                        if r.total_max() == 1.0 {
                            "1 mark".to_string()
                        } else {
                            format!("{} marks", osce::scoring::fmt_marks(r.total_max()))
                        },
                        if warnings > 0 {
                            format!(" ({})", plural(warnings, "warning"))
                        } else {
                            String::new()
                        }
                    );
                }
                if strict && warnings > 0 {
                    errln!("{}: warnings are errors with --strict", path.display());
                    worst = worst.max(EXIT_INVALID);
                }
                if let Some(roster) = roster {
                    worst = worst.max(rotation::check_roster(r, roster, strict, quiet));
                }
            }
            _ => {
                if let Some(roster) = roster {
                    errln!(
                        "note: {}: not checked: a roster is checked against a valid rubric",
                        roster.display()
                    );
                }
                errln!(
                    "{}: invalid: {}{}",
                    path.display(),
                    plural(errors, "error"),
                    if warnings > 0 {
                        format!(", {}", plural(warnings, "warning"))
                    } else {
                        String::new()
                    }
                );
                worst = worst.max(EXIT_INVALID);
            }
        }
    }
    ExitCode::from(worst)
}

fn show(path: &Path) -> ExitCode {
    match rubric::load(path) {
        Ok((rubric, checked)) => {
            err!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            out!("{}", summary(&rubric));
            ExitCode::SUCCESS
        }
        Err(LoadError::Read(e)) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(LoadError::Invalid(checked)) => {
            err!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            errln!(
                "{}: invalid, so there is nothing to show; run `osce check {}` after fixing the errors above",
                path.display(),
                path.display()
            );
            ExitCode::from(EXIT_INVALID)
        }
    }
}
