//! `osce examiners`: feedback for examiners, one Markdown file each, over
//! one exam or several.

use std::path::PathBuf;
use std::process::ExitCode;

use osce::analysis::examiners::{Exam, feedback, markdown};
use osce::results::export::write_files;

use super::status::{Loaded, load_cohort};
use super::{EXIT_INVALID, EXIT_USAGE, ExaminersArgs};

/// `RUBRIC=DIR[,DIR...]` as a rubric and its folders.
fn exam_arg(text: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let (rubric, folders) = text.split_once('=')?;
    let folders: Vec<PathBuf> = folders
        .split(',')
        .filter(|f| !f.trim().is_empty())
        .map(PathBuf::from)
        .collect();
    (!rubric.trim().is_empty() && !folders.is_empty()).then(|| (PathBuf::from(rubric), folders))
}

pub fn run(args: &ExaminersArgs) -> ExitCode {
    let mut loaded: Vec<(String, Loaded, Vec<osce::results::reconcile::CandidateResult>)> = Vec::new();
    // An exam given twice would count its sheets twice.
    let mut seen: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for text in &args.exams {
        let Some((rubric, folders)) = exam_arg(text) else {
            errln!(
                "error: --exam {text:?}: give the rubric and its sessions folders as RUBRIC=DIR or \
                 RUBRIC=DIR1,DIR2 (no spaces around = and ,)"
            );
            return ExitCode::from(EXIT_USAGE);
        };
        let l = match load_cohort(&rubric, &folders, None) {
            Ok(l) => l,
            Err(code) => return code,
        };
        let mut real: Vec<PathBuf> = folders
            .iter()
            .map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone()))
            .collect();
        real.sort();
        real.dedup();
        if seen.iter().any(|(id, f)| *id == l.rubric.id && *f == real) {
            errln!("error: --exam {text:?} is given twice: each exam counts once");
            return ExitCode::from(EXIT_USAGE);
        }
        seen.push((l.rubric.id.clone(), real));
        if l.cohort.sheets.is_empty() {
            errln!(
                "error: no sheets of assessment \"{}\" in {}",
                l.rubric.id,
                osce::results::gather::folder_list(&folders)
            );
            return ExitCode::from(EXIT_INVALID);
        }
        let results =
            osce::results::reconcile::results(&l.rubric, &l.cohort, &l.matrix, &l.standards, &l.moderation);
        let name = format!(
            "{} ({})",
            l.rubric.title,
            folders
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        loaded.push((name, l, results));
    }
    let exams: Vec<Exam> = loaded
        .iter()
        .map(|(name, l, results)| Exam {
            name: name.clone(),
            rubric: &l.rubric,
            cohort: &l.cohort,
            results,
        })
        .collect();
    let all = feedback(&exams);
    // Examiner ids are plain (letters, digits, - _ .), so safe file names.
    let files: Vec<(String, Vec<u8>)> = all
        .iter()
        .map(|fb| (format!("{}.md", fb.examiner), markdown(fb).into_bytes()))
        .collect();
    match write_files(&args.out, &files, args.force) {
        Ok(paths) => {
            outln!(
                "wrote feedback for {} into {}",
                osce::base::text::plural(paths.len(), "examiner", "examiners"),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
