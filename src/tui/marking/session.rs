//! A marking session from what the examiner chose: on the command line
//! or the home screen, with a roster or without.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::day::circuit::CircuitPlan;
use crate::day::roster::{Roster, read_roster, station_queue};
use crate::rubric::examples;
use crate::rubric::{self, Rubric};
use crate::store::hash_rubric;

use super::home::{RubricChoice, RubricSource};
use super::{Candidate, Mode, Session};

/// How the examiner asked to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingOrder {
    /// Candidate by candidate: one named candidate (id, name), or the whole
    /// roster in order; starting at `station` if given.
    Candidates {
        candidate: Option<(String, String)>,
        station: Option<String>,
    },
    /// Stay at `station`; candidates arrive in rotation order from the
    /// roster (of one circuit, if given).
    Circuit {
        station: String,
        circuit: Option<String>,
    },
}

/// The roster at `path`, with its warnings in words (naming the file).
pub(super) fn load_roster(path: &Path, rubric: &Rubric) -> Result<(Roster, Vec<String>), String> {
    match read_roster(path, rubric) {
        Ok((roster, warnings)) => Ok((
            roster,
            warnings
                .iter()
                .map(|w| format!("warning: {}: {w}", path.display()))
                .collect(),
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// A marking session from a checked rubric, its text (for the hash that
/// ties marks to it), who marks, and how.
pub fn session(
    rubric: Rubric,
    text: &str,
    examiner: &str,
    device: &str,
    plan: MarkingOrder,
    roster: Option<&Roster>,
) -> Result<Session, String> {
    // Ids are folder names: composed (NFC) as they come in, then checked.
    let examiner = &crate::base::ids::normalise(examiner);
    let device = &crate::base::ids::normalise(device);
    crate::base::ids::check_id(examiner).map_err(|why| format!("examiner id is not usable: {why}"))?;
    crate::base::ids::check_id(device).map_err(|why| format!("device id is not usable: {why}"))?;
    let station_index = |id: &str| -> Result<usize, String> {
        match rubric.stations.iter().position(|s| s.id == id) {
            Some(i) if rubric.stations[i].rest => {
                Err(format!("\"{id}\" is a rest station: nothing is marked there"))
            }
            Some(i) => Ok(i),
            None => {
                let ids: Vec<&str> = rubric.scored_stations().map(|s| s.id.as_str()).collect();
                let hint = rubric::did_you_mean_or_begun(id, &ids)
                    .map(|n| format!("did you mean \"{n}\"? "))
                    .unwrap_or_default();
                Err(format!(
                    "there is no station \"{id}\" in {}; {hint}the stations are {}",
                    rubric.id,
                    rubric::one_of(&ids)
                ))
            }
        }
    };
    let from_roster = |r: &Roster, order: Vec<usize>| -> Vec<Candidate> {
        order
            .into_iter()
            .filter_map(|i| r.candidates.get(i))
            .map(|c| Candidate {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect()
    };
    let mut asked = false;
    let (mode, candidates, first_station, circuit) = match plan {
        MarkingOrder::Circuit { station, circuit } => {
            let index = station_index(&station)?;
            let roster =
                roster.ok_or("a station circuit needs a roster: the candidates and where they start")?;
            let circuits = roster.circuits();
            if circuit.is_none() && circuits.len() > 1 {
                return Err(format!(
                    "the roster has {} circuits ({}): say which one you are examining (the Circuit field, or osce score ... --circuit {})",
                    circuits.len(),
                    circuits.join(", "),
                    circuits[0]
                ));
            }
            let queue = station_queue(roster, &rubric, &station, circuit.as_deref());
            let candidates = from_roster(roster, queue.iter().map(|q| q.candidate).collect());
            if candidates.is_empty() {
                return Err(match circuit {
                    Some(c) if roster.circuits().is_empty() => format!(
                        "no candidate in the roster is in circuit \"{c}\": the roster names no circuits (it has no \
                         circuit column), so leave the circuit out (clear the Circuit field, or osce score ... \
                         without --circuit)"
                    ),
                    Some(c) => format!(
                        "no candidate in the roster is in circuit \"{c}\"; its circuits are {}",
                        rubric::one_of(&roster.circuits())
                    ),
                    None => "the roster has no candidates".to_string(),
                });
            }
            let plan = CircuitPlan::new(roster, &rubric, &station, circuit.as_deref());
            (Mode::Circuit { station: index }, candidates, index, Some(plan))
        }
        MarkingOrder::Candidates { candidate, station } => {
            // One candidate's sheet at a named station: shown even when
            // submitted. Through a roster, the first sheet not submitted.
            asked = station.is_some() && candidate.is_some();
            let first = match &station {
                Some(id) => station_index(id)?,
                None => rubric.stations.iter().position(|s| !s.rest).unwrap_or(0),
            };
            let candidates = match (candidate, roster) {
                (Some((id, name)), roster) => {
                    let mut id = crate::base::ids::normalise(&id);
                    crate::base::ids::check_id(&id)
                        .map_err(|why| format!("candidate id is not usable: {why}"))?;
                    // With a roster, the candidate is one of its own, under
                    // its spelling of the id (found whatever the capitals):
                    // a mistyped id is not marked as a candidate who does
                    // not exist.
                    if let Some(r) = roster {
                        match r.find(&id) {
                            Some(on_roster) => id = on_roster.id.clone(),
                            None => {
                                let near = crate::rubric::did_you_mean(
                                    &id,
                                    r.candidates.iter().map(|c| c.id.as_str()),
                                );
                                return Err(format!(
                                    "candidate \"{id}\" is not on the roster{}: check the id, or leave the \
                                     roster out (clear the Roster file field, or osce score ... without --roster) \
                                     to mark a candidate who is not on it",
                                    near.map_or(String::new(), |n| format!(" (did you mean \"{n}\"?)"))
                                ));
                            }
                        }
                    }
                    // On the roster, the roster's name is the one to check
                    // the candidate against: a name typed otherwise is
                    // another person, or a slip.
                    let listed = roster.and_then(|r| r.find(&id)).map(|c| c.name.clone());
                    let name = match listed {
                        Some(listed)
                            if !name.trim().is_empty() && !crate::base::text::same_name(&name, &listed) =>
                        {
                            return Err(format!(
                                "candidate {id} is {listed} on the roster, not \"{}\": leave the name out (the \
                                 roster's name is shown to check the candidate against), or check the id",
                                name.trim()
                            ));
                        }
                        Some(listed) => listed,
                        None => name,
                    };
                    vec![Candidate { id, name }]
                }
                (None, Some(r)) => from_roster(r, (0..r.candidates.len()).collect()),
                (None, None) => {
                    return Err("name a candidate (the Candidate id field, or osce score ... --candidate) or give a roster (the Roster file \
                         field, or --roster)".to_string());
                }
            };
            if candidates.is_empty() {
                return Err("the roster has no candidates".to_string());
            }
            (Mode::CandidateByCandidate, candidates, first, None)
        }
    };
    Ok(Session {
        rubric_hash: hash_rubric(text),
        rubric: Arc::new(rubric),
        examiner: examiner.to_string(),
        device: device.to_string(),
        mode,
        candidates,
        first_station,
        station_asked: asked,
        begin_at: false,
        resumed: false,
        circuit,
        warnings: Default::default(),
        components: Default::default(),
        notes: Vec::new(),
    })
}

/// The session, with a warning for each candidate whose logbook gate the
/// exam lead recorded as not met (`osce logbook --record`, in the decisions
/// of the sessions folder `folder`), for the confirm screen; and the
/// results of components assessed outside the stations recorded there,
/// for the provisional result.
pub fn with_gate_warnings(mut session: Session, folder: &Path) -> Session {
    if session.rubric.components.is_none() {
        return session;
    }
    let Ok(decisions) =
        crate::results::decisions::gather(&session.rubric, &session.rubric_hash, &[folder.to_path_buf()])
    else {
        return session;
    };
    let recorded = decisions.components();
    session.components = recorded
        .iter()
        .map(|(candidate, parts)| {
            (
                candidate.clone(),
                crate::results::decisions::component_marks(
                    &session.rubric,
                    parts.iter().map(|(id, (value, _))| (id, value)),
                ),
            )
        })
        .collect();
    let Some(gate) = &session.rubric.logbook else {
        return session;
    };
    for (candidate, components) in recorded {
        use crate::results::decisions::ComponentValue;
        let Some((value, held)) = components.get(&gate.component) else {
            continue;
        };
        let what = match value {
            ComponentValue::Fail => "Logbook gate not met",
            ComponentValue::Absent => "Logbook gate not met (no logbook: absent)",
            ComponentValue::Deferred => "Logbook deferred to a later sitting",
            _ => continue,
        };
        let note = match &held.ruling {
            crate::results::decisions::Ruling::Component { note, .. } if !note.is_empty() => {
                format!(": {note}")
            }
            _ => String::new(),
        };
        session.warnings.insert(
            candidate,
            format!("{what}{note}. The exam may go ahead; the exam lead knows."),
        );
    }
    session
}

/// Refuses to mark with this rubric where most of `folder`'s sheets of
/// its assessment were marked against another version of it (a copy
/// edited in another editor, an item's text corrected on one laptop):
/// marks made against two versions are never combined, so the sheets
/// marked now would count under neither. Where this version's sheets are
/// as many or more, marking goes on, with a warning (`Ok(Some(..))`)
/// naming the others: a folder holding both is never locked against the
/// version it was mostly marked with. A copy differing only in line
/// endings, layout or comments is the same rubric. A folder that cannot be
/// read is let be here: marking says so when it writes.
pub fn same_rubric_as_folder(session: &Session, folder: &Path) -> Result<Option<String>, String> {
    same_rubric_in_folder(&session.rubric, &session.rubric_hash, folder)
}

/// Refuses an examiner id that differs only in capitals from one that has
/// marked this assessment in `folder` (`e01` where `E01` marked): sheets
/// under the two would be two examiners' (a second marker, a conflict);
/// and so a candidate's id typed (not taken from a roster), before the
/// confirmation rather than after it.
pub fn ids_as_in_folder(session: &Session, folder: &Path) -> Result<(), String> {
    let store = crate::store::Store::new(folder);
    if let [one] = session.candidates.as_slice()
        && matches!(session.mode, Mode::CandidateByCandidate)
    {
        let key = crate::store::SheetKey {
            assessment: session.rubric.id.clone(),
            station: String::new(),
            candidate: one.id.clone(),
            examiner: session.examiner.clone(),
            device: String::new(),
        };
        if let Some(other) = store.same_but_for_case(&key) {
            return Err(format!(
                "Candidate {} differs from {other}, already marked in {}, only in capitals: on Windows and macOS \
                 they would be one folder, and lists would mix them up. Nothing was written. If this is {other}, \
                 type that id as it is; if not, give one of them another id (the roster says which).",
                one.id,
                folder.display()
            ));
        }
    }
    match store.examiner_but_for_case(&session.rubric.id, &session.examiner) {
        Some(other) => Err(format!(
            "Examiner {} differs from {other}, who has marked this exam in {}, only in capitals: sheets under the two \
             ids would be two examiners' (a second marker, or a conflict). Nothing was written. If you are {other}, \
             type {other} as it is; if not, choose an id that differs in more than capitals.",
            session.examiner,
            folder.display()
        )),
        None => Ok(()),
    }
}

/// [`same_rubric_as_folder`] for `rubric` (with its identity
/// `rubric_hash`): paper sheets imported into `folder` are checked so too.
pub fn same_rubric_in_folder(
    rubric: &Rubric,
    rubric_hash: &str,
    folder: &Path,
) -> Result<Option<String>, String> {
    if !folder.join(&rubric.id).is_dir() {
        return Ok(None);
    }
    let folders = [folder.to_path_buf()];
    let Ok(cohort) = crate::results::gather::gather_from(
        rubric,
        rubric_hash,
        crate::results::source::Source::Folders(&folders),
        crate::results::source::Sheets::All,
    ) else {
        return Ok(None);
    };
    let others = cohort.other_version_count();
    if others == 0 {
        return Ok(None);
    }
    let short = crate::results::gather::short_hash;
    // "Version" would be misread: a rubric's `version` field may be the
    // same in both files. What differs is the content.
    let versions = cohort
        .other_versions
        .iter()
        .map(|(hash, paths)| {
            let example = paths
                .first()
                .map_or(String::new(), |p| format!(": {}", p.display()));
            format!("{} with identity {}{example}", paths.len(), short(hash))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let this = cohort.sheets.len();
    if this >= others {
        return Ok(Some(format!(
            "{}: {others} {} of assessment {} here {} marked against a rubric file whose content differs from \
             this one's ({versions}), beside {this} marked against this one (identity {}): the two are never \
             combined. `osce status` lists them for the exam lead.",
            folder.display(),
            if others == 1 { "sheet" } else { "sheets" },
            rubric.id,
            if others == 1 { "was" } else { "were" },
            short(rubric_hash),
        )));
    }
    Err(format!(
        "this rubric file's content (identity {}) differs from the one {others} {} of assessment {} in {} {} marked \
         against ({versions}){}: something in it other than line endings, spacing and comments was changed (a word, \
         a mark, a rule, or even a comma or the order of fields), even if its `version` reads the same. Marks made against two rubrics are never combined, so sheets marked now would count under \
         neither. Stop and tell the exam lead; go on with the rubric file those sheets were marked with (`osce \
         check --identity FILE` prints a file's identity). Only the exam lead decides to mark afresh with a \
         changed rubric, in another sessions folder.",
        short(rubric_hash),
        if others == 1 { "sheet" } else { "sheets" },
        rubric.id,
        folder.display(),
        if others == 1 { "was" } else { "were" },
        if this == 0 {
            String::new()
        } else {
            format!("; {this} with this one")
        },
    ))
}

/// The circuits a roster file names, in the order they first appear
/// (none where it has no `circuit` column or cannot be read): offered on
/// the home screen, before the roster is checked against a rubric.
pub(super) fn roster_circuits(path: &Path) -> Vec<String> {
    let Ok(mut reader) = csv::ReaderBuilder::new().flexible(true).from_path(path) else {
        return Vec::new();
    };
    let Some(column) = reader.headers().ok().and_then(|h| {
        h.iter().position(|name| {
            name.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("circuit")
        })
    }) else {
        return Vec::new();
    };
    let mut circuits: Vec<String> = Vec::new();
    for record in reader.records().flatten().take(100_000) {
        if let Some(c) = record.get(column).map(str::trim).filter(|c| !c.is_empty())
            && !circuits.iter().any(|k| k == c)
        {
            circuits.push(c.to_string());
        }
    }
    circuits
}

/// The rubrics in `dir` (`*.ron`, sorted), or the built-in examples when
/// there is no such folder or it holds none.
pub fn rubric_choices(dir: &Path) -> Vec<(RubricChoice, Option<String>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        out.push(file_choice(path));
    }
    if out.is_empty() {
        for (name, text) in examples::RUBRICS {
            out.push((
                choice(&format!("built in: {name}"), RubricSource::BuiltIn(name), text),
                Some(text.to_string()),
            ));
        }
    }
    out
}

/// The rubric file at `path` as the home screen offers it, read now, with
/// its text where it could be read.
pub fn file_choice(path: PathBuf) -> (RubricChoice, Option<String>) {
    let label = path.display().to_string();
    match rubric::read_text(&path) {
        Ok(text) => (choice(&label, RubricSource::File(path), &text), Some(text)),
        Err(e) => (
            RubricChoice {
                label,
                source: RubricSource::File(path),
                id: String::new(),
                title: String::new(),
                stations: Vec::new(),
                noun: crate::rubric::Noun::Station,
                problem: Some(e.to_string()),
            },
            None,
        ),
    }
}

fn choice(label: &str, source: RubricSource, text: &str) -> RubricChoice {
    let checked = rubric::check_str(label, text);
    match checked.rubric {
        Some(r) => RubricChoice {
            label: label.to_string(),
            source,
            id: r.id.clone(),
            title: r.title.clone(),
            stations: r
                .scored_stations()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect(),
            noun: r.noun(),
            problem: None,
        },
        None => RubricChoice {
            label: label.to_string(),
            source,
            id: String::new(),
            title: label.to_string(),
            stations: Vec::new(),
            noun: crate::rubric::Noun::Station,
            problem: Some(format!(
                "{}; run `osce check {label}`",
                crate::base::text::plural(checked.errors().count(), "error", "errors")
            )),
        },
    }
}

/// This machine's name as a device id: the hostname, kept to the
/// characters an id may use.
pub fn default_device() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(crate::base::ids::MAX_ID_CHARS)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if crate::base::ids::check_id(&cleaned).is_ok() {
        cleaned
    } else {
        "this-device".to_string()
    }
}

/// The name candidate `id` was last confirmed under on a sheet of
/// assessment `assessment` in the sessions folder (any examiner's folder
/// there), if any sheet of theirs there names them.
pub fn name_on_sheets(sessions: &Path, assessment: &str, id: &str) -> Option<String> {
    let id = crate::base::ids::normalise(id);
    crate::base::ids::check_id(&id).ok()?;
    let folders = std::fs::read_dir(sessions.join(assessment)).ok()?;
    folders
        .flatten()
        .filter_map(|who| std::fs::read_dir(who.path().join(&id)).ok())
        .flat_map(|sheets| sheets.flatten())
        .filter(|f| f.path().extension().is_some_and(|e| e == "jsonl"))
        .filter_map(|f| crate::store::read_sheet(f.path()).ok())
        .filter_map(|replay| {
            let at = replay.records.last()?.time;
            let name = crate::store::SheetState::replay(&replay.records).confirmed?;
            (!name.trim().is_empty()).then_some((at, name))
        })
        .max()
        .map(|(_, name)| name)
}
