//! `osce import`: marks captured on paper, entered into the session store.
//! All the checking is in [`osce::day::import`]; this prints what it found and
//! what was written.

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::Utc;
use osce::base::ids::check_id;
use osce::day::import::{
    ImportError, ImportPlan, Marker, SheetPlan, WriteFailure, lines_list, prepare, write_plan,
};
use osce::scoring::fmt_marks;
use osce::store::Store;

use super::status::rubric_and_hash;
use super::{EXIT_INVALID, EXIT_USAGE, ImportArgs};

pub fn run(args: &ImportArgs) -> ExitCode {
    for (what, id) in [("--examiner", &args.examiner), ("--device", &args.device)] {
        if let Err(why) = check_id(id) {
            errln!(
                "error: {what} {id:?} cannot be used: {why}. It becomes part of a folder name: use letters, digits, \
                 '-', '_' or '.', such as e.jones"
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if args.sessions.exists() && !args.sessions.is_dir() {
        errln!(
            "error: {}: is not a folder; --sessions names the sessions folder to write the sheets into",
            args.sessions.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let (rubric, hash) = match rubric_and_hash(&args.rubric) {
        Ok(r) => r,
        Err(code) => return code,
    };
    // Marks made against two rubrics are never combined: a folder whose
    // sheets were mostly marked against another copy of the rubric is
    // refused before anything is imported, as marking is, with the way on
    // where that copy was the wrong one (a folder of its own: collect
    // reads both). Where this copy's sheets are as many, it is said.
    match osce::tui::marking::session::same_rubric_in_folder(&rubric, &hash, &args.sessions) {
        Ok(None) => {}
        Ok(Some(warning)) => errln!("warning: {warning}"),
        Err(_) => {
            errln!(
                "error: {}: the sheets of assessment {} here were marked against a rubric file whose content \
                 differs from this one's (identity {}): the two are never combined, so nothing was imported.\n  \
                 If this is not the rubric file the exam used, import with the right one (osce check --identity \
                 FILE prints a file's identity).\n  If it is, and the folder's sheets were marked or imported \
                 with a wrong copy, import into a folder of its own (--sessions NEW-FOLDER) and give both folders \
                 to osce collect; osce status then lists the others as of another version, for the exam lead to \
                 set aside (osce decide void)",
                args.sessions.display(),
                rubric.id,
                osce::results::gather::short_hash(&hash)
            );
            return ExitCode::from(EXIT_INVALID);
        }
    }
    let marker = Marker {
        examiner: args.examiner.clone(),
        device: args.device.clone(),
    };
    let store = Store::new(&args.sessions);
    let plan = match prepare(&args.file, &rubric, &hash, &marker, &store) {
        Ok(plan) => plan,
        Err(ImportError::Invalid { path, errors }) => {
            for problem in &errors.problems {
                errln!("{}: {problem}", path.display());
            }
            let n = errors.problems.len();
            errln!(
                "{}: {}; nothing was imported. Correct what is said above, then import the file again",
                path.display(),
                plural(n, "problem")
            );
            return ExitCode::from(EXIT_INVALID);
        }
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for warning in &plan.warnings {
        errln!("warning: {}: {warning}", args.file.display());
    }
    match write_plan(&plan, &store, &hash, &mut Utc::now) {
        Ok(()) => {
            out!("{}", summary(args, &plan));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            err!("{}", failure_report(args, &plan, &failure));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One sheet in words: `C001 at shoulder: 10 marks, global rating "Clear
/// pass", 17 of 22, PASS (lines 2–12)`.
fn describe(sheet: &SheetPlan) -> String {
    let what = match &sheet.absent {
        Some(reason) => format!("absent ({reason})"),
        None => {
            let mut text = plural(sheet.marks, "mark");
            if let Some(g) = &sheet.global_rating {
                let _ = write!(text, ", global rating \"{g}\"");
            }
            let _ = write!(
                text,
                ", {} of {}, {}",
                fmt_marks(sheet.score),
                fmt_marks(sheet.max),
                sheet.outcome
            );
            text
        }
    };
    format!(
        "{} at {}: {what} ({})",
        sheet.key.candidate,
        sheet.key.station,
        lines_list(&sheet.lines)
    )
}

fn summary(args: &ImportArgs, plan: &ImportPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Imported {} ({}) from {} for examiner {} on device {}, into {}:",
        plural(plan.sheets.len(), "sheet"),
        plural(plan.marks(), "mark"),
        args.file.display(),
        args.examiner,
        args.device,
        args.sessions.display()
    );
    for sheet in &plan.sheets {
        let _ = writeln!(out, "  {}", describe(sheet));
    }
    let _ = writeln!(
        out,
        "Each sheet is submitted and marked as imported from paper. See where the cohort stands with \
         `osce status {} --sessions {}`.",
        osce::base::text::shell_path(&args.rubric),
        osce::base::text::shell_path(&args.sessions)
    );
    out
}

/// Exactly what was written and what was not, after a failure part way.
fn failure_report(args: &ImportArgs, plan: &ImportPlan, failure: &WriteFailure) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "error: {}\nThe file was valid, but writing stopped part way:",
        failure.error
    );
    let (done, rest) = plan.sheets.split_at(failure.written);
    if done.is_empty() {
        let _ = writeln!(out, "  Written in full: none.");
    } else {
        let _ = writeln!(out, "  Written in full ({}):", done.len());
        for sheet in done {
            let _ = writeln!(out, "    {}", describe(sheet));
        }
    }
    if let Some((cut, not_written)) = rest.split_first() {
        let k = &cut.key;
        if failure.saved == 0 {
            let _ = writeln!(
                out,
                "  Not written: {} at {} ({}): nothing of it was saved.",
                k.candidate,
                k.station,
                lines_list(&cut.lines)
            );
        } else {
            let _ = writeln!(
                out,
                "  Cut short: {} at {} ({}): only its first {} of {} records were saved, and it is not submitted. \
                 Do not import it again: open it with `osce score {} --sessions {} --examiner {} --device {} \
                 --candidate {} --station {}` and enter the rest from the paper form.",
                k.candidate,
                k.station,
                lines_list(&cut.lines),
                failure.saved,
                cut.events.len(),
                osce::base::text::shell_path(&args.rubric),
                osce::base::text::shell_path(&args.sessions),
                k.examiner,
                k.device,
                k.candidate,
                k.station
            );
        }
        if !not_written.is_empty() {
            let _ = writeln!(out, "  Not written ({}):", not_written.len());
            for sheet in not_written {
                let _ = writeln!(out, "    {}", describe(sheet));
            }
        }
    }
    let _ = writeln!(
        out,
        "Fix the problem, then import again: the sheets written in full are refused as already there, so \
         delete their lines from {} first (or import a copy holding only the lines not written).",
        args.file.display()
    );
    out
}
