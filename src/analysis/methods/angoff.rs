//! Modified Angoff: before the exam, judges estimate for every item the
//! expected mark of a borderline candidate as a share of the item's
//! maximum (for a done/not-done item, the chance the borderline candidate
//! does it). A judge's station pass mark is the sum over the station's
//! items of estimate × the item's maximum (its weight × its scale's top
//! mark, as the station's score weights the item); the station's Angoff
//! pass mark is the mean of the judges' sums. The file format and every
//! rule are in `docs/report.md`.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Figure, Method, MethodResult, StationData};
use crate::analysis::judges::{self, JudgesError, JudgesProblem};
use crate::analysis::report::markdown::{f2, m1, pct};
use crate::analysis::stats;
use crate::base::csvin::{Layout, NewProblem, Table, hint};
use crate::rubric::{Rubric, did_you_mean, quoted};
use crate::scoring::SetMethod;

const COLUMNS: [&str; 4] = ["judge", "station", "item", "estimate"];
const WHAT: &str = "Angoff estimates";

/// The judges' estimates: by station, by judge, by item, a share 0 to 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Estimates {
    pub stations: BTreeMap<String, BTreeMap<String, BTreeMap<String, f64>>>,
}

impl Estimates {
    /// The judges' station pass marks at `station` (each judge's sum of
    /// estimate × item maximum), by judge; empty where no judge estimated
    /// the station.
    pub fn judges_marks(&self, rubric: &Rubric, station: &crate::rubric::Station) -> Vec<(String, f64)> {
        let Some(judges) = self.stations.get(&station.id) else {
            return Vec::new();
        };
        judges
            .iter()
            .map(|(judge, items)| {
                let sum = station
                    .items
                    .iter()
                    .map(|item| items.get(&item.id).copied().unwrap_or(0.0) * rubric.item_max(item))
                    .sum();
                (judge.clone(), sum)
            })
            .collect()
    }

    /// The station's Angoff pass mark (the mean of the judges' sums) and
    /// how many judges, or why there is none.
    pub fn pass_mark(
        &self,
        rubric: &Rubric,
        station: &crate::rubric::Station,
    ) -> Result<(f64, Vec<f64>), String> {
        let sums: Vec<f64> = self
            .judges_marks(rubric, station)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        match stats::mean(&sums) {
            Some(m) => Ok((m, sums)),
            None => Err("no judge estimated this station's items".to_string()),
        }
    }
}

/// Reads and checks an Angoff file against the rubric: all or nothing.
pub fn read(path: &Path, rubric: &Rubric) -> Result<Estimates, JudgesError> {
    let text = judges::read_text(path, WHAT)?;
    parse(&text, rubric).map_err(|problems| JudgesError::Invalid {
        path: path.to_path_buf(),
        what: WHAT,
        problems,
    })
}

fn layout() -> Layout<4> {
    let allowed = format!("the columns of an Angoff file are {}", COLUMNS.join(", "));
    Layout {
        columns: COLUMNS,
        required: &[0, 1, 2, 3],
        row: "line",
        example: COLUMNS.join(","),
        short_row: "J1,shoulder,lhb,",
        unknown_help: format!("{allowed}; rename or delete it"),
        missing_help: format!("every Angoff file needs all four columns; {allowed}"),
        unnamed_help: format!("name the column in the header ({allowed}), or delete it"),
        allowed,
    }
}

/// Checks Angoff text against the rubric; every problem at once.
pub fn parse(text: &str, rubric: &Rubric) -> Result<Estimates, Vec<JudgesProblem>> {
    let mut errors: Vec<JudgesProblem> = Vec::new();
    let mut table = match Table::open(text, str::trim, layout(), &mut errors) {
        Ok(Some(t)) => t,
        Ok(None) => {
            errors.push(JudgesProblem::new(
                None,
                None,
                "the Angoff file is empty",
                format!(
                    "the first line names the columns, {}; then one line per judge and item, e.g. J1,shoulder,lhb,0.6",
                    COLUMNS.join(",")
                ),
            ));
            return Err(errors);
        }
        Err(problems) => return Err(problems),
    };
    let stations: Vec<&str> = rubric.scored_stations().map(|s| s.id.as_str()).collect();
    let mut estimates = Estimates::default();
    // (judge, station, item) → the line that gave it; (judge, station) →
    // its first line.
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut first_line: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut lines = 0usize;
    while let Some((line, cells)) = table.next_row(&mut errors) {
        lines += 1;
        let Some([judge, station_id, item_id, estimate]) = table.cells(line, &cells, &mut errors) else {
            continue;
        };
        let mut ok = true;
        if judge.is_empty() {
            errors.push(JudgesProblem::new(
                Some(line),
                Some("judge"),
                "the judge is empty",
                "name the judge who gave the estimate, e.g. J1 or their initials",
            ));
            ok = false;
        }
        let station = rubric.scored_stations().find(|s| s.id == station_id);
        match station {
            None => {
                let rest = rubric.station(station_id).is_some();
                errors.push(JudgesProblem::new(
                    Some(line),
                    Some("station"),
                    if rest {
                        format!(
                            "station {} is a rest station: it has no items",
                            quoted(station_id)
                        )
                    } else {
                        format!("unknown station {}", quoted(station_id))
                    },
                    format!(
                        "{}the rubric's scored stations are {}",
                        hint(did_you_mean(station_id, stations.iter().copied())),
                        stations.join(", ")
                    ),
                ));
                ok = false;
            }
            Some(st) if !st.items.iter().any(|i| i.id == item_id) => {
                let items: Vec<&str> = st.items.iter().map(|i| i.id.as_str()).collect();
                errors.push(JudgesProblem::new(
                    Some(line),
                    Some("item"),
                    format!("station {} has no item {}", quoted(station_id), quoted(item_id)),
                    format!(
                        "{}its items are {}",
                        hint(did_you_mean(item_id, items.iter().copied())),
                        items.join(", ")
                    ),
                ));
                ok = false;
            }
            Some(_) => {}
        }
        let value = match judges::share(estimate) {
            Ok(v) => Some(v),
            Err(why) => {
                errors.push(JudgesProblem::new(
                    Some(line),
                    Some("estimate"),
                    if estimate.is_empty() {
                        "the estimate is empty".to_string()
                    } else {
                        why
                    },
                    "an estimate is the expected mark of a borderline candidate as a share of the item's maximum: \
                     0 to 1, e.g. 0.6, or a percent, e.g. 60%",
                ));
                None
            }
        };
        let key = (judge.to_string(), station_id.to_string(), item_id.to_string());
        if ok && let Some(&earlier) = seen.get(&key) {
            errors.push(JudgesProblem::new(
                Some(line),
                None,
                format!(
                    "judge {} estimated item {} at station {} twice, on lines {earlier} and {line}",
                    quoted(judge),
                    quoted(item_id),
                    quoted(station_id)
                ),
                "keep one of the two lines and delete the other",
            ));
            continue;
        }
        if let (true, Some(v)) = (ok, value) {
            seen.insert(key, line);
            first_line
                .entry((judge.to_string(), station_id.to_string()))
                .or_insert(line);
            estimates
                .stations
                .entry(station_id.to_string())
                .or_default()
                .entry(judge.to_string())
                .or_default()
                .insert(item_id.to_string(), v);
        }
    }
    table.unnamed_columns(&mut errors);
    if lines == 0 {
        errors.push(JudgesProblem::new(
            None,
            None,
            "the Angoff file has a header but no estimates",
            "add one line per judge and item below the header, e.g. J1,shoulder,lhb,0.6",
        ));
    }
    // A judge who estimated a station estimates every item of it: a sum
    // over fewer items would pull the station's pass mark down.
    if errors.is_empty() {
        for ((judge, station_id), line) in &first_line {
            let Some(station) = rubric.station(station_id) else {
                continue;
            };
            let given = &estimates.stations[station_id][judge];
            let missing: Vec<&str> = station
                .items
                .iter()
                .filter(|i| !given.contains_key(&i.id))
                .map(|i| i.id.as_str())
                .collect();
            if !missing.is_empty() {
                errors.push(JudgesProblem::new(
                    Some(*line),
                    None,
                    format!(
                        "judge {} estimated station {} but not its item{} {}",
                        quoted(judge),
                        quoted(station_id),
                        if missing.len() == 1 { "" } else { "s" },
                        missing.join(", ")
                    ),
                    "a judge estimates every item of a station they judge (a sum over fewer items would lower the \
                     pass mark): add a line for each, e.g. 0 for an item no borderline candidate achieves",
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(estimates)
    } else {
        errors.sort_by_key(|p| p.line.unwrap_or(0));
        Err(errors)
    }
}

/// Modified Angoff as a standard-setting method.
pub struct ModifiedAngoff {
    pub estimates: Estimates,
}

impl Method for ModifiedAngoff {
    fn id(&self) -> &'static str {
        "angoff"
    }

    fn name(&self) -> SetMethod {
        SetMethod::ModifiedAngoff
    }

    fn table_columns(&self) -> Vec<&'static str> {
        vec!["Angoff pass mark (judges, SD)", "failing at Angoff"]
    }

    fn csv_columns(&self) -> Vec<&'static str> {
        vec![
            "angoff_pass_mark",
            "angoff_judges",
            "angoff_judges_sd",
            "failing_at_angoff",
        ]
    }

    fn station_pass_mark(&self, data: &StationData) -> MethodResult {
        let result = self.estimates.pass_mark(data.rubric, data.station);
        let failing = result.as_ref().ok().map(|(m, _)| {
            data.candidates
                .iter()
                .filter(|c| c.score + crate::rubric::EPSILON < *m)
                .count()
        });
        let sd = result.as_ref().ok().and_then(|(_, sums)| stats::sd(sums));
        let cells = match &result {
            Ok((m, sums)) => vec![
                format!(
                    "{} ({}{})",
                    m1(*m),
                    crate::base::text::plural(sums.len(), "judge", "judges"),
                    sd.map(|s| format!(", SD {}", f2(s))).unwrap_or_default()
                ),
                match failing {
                    Some(f) if !data.candidates.is_empty() => {
                        format!("{f} ({})", pct(f as f64 / data.candidates.len() as f64))
                    }
                    _ => "—".into(),
                },
            ],
            Err(why) => vec![format!("— ({why})"), "—".into()],
        };
        MethodResult {
            figures: vec![
                Figure::Number(result.as_ref().ok().map(|r| r.0)),
                Figure::Count(result.as_ref().ok().map(|r| r.1.len())),
                Figure::Number(sd),
                Figure::Count(failing),
            ],
            cells,
            detail: result
                .as_ref()
                .map(|(_, sums)| format!(" ({})", crate::base::text::plural(sums.len(), "judge", "judges")))
                .unwrap_or_default(),
            pass_mark: result.map(|r| r.0),
        }
    }
}
