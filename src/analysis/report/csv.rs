//! The report's tables as CSV: one row per station, with every figure.

use super::Report;
use crate::analysis::methods::Figure;
use crate::results::export::{Kind, Table};

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.6}")).unwrap_or_default()
}

/// A method's figure as a cell.
fn figure(f: &Figure) -> String {
    match f {
        Figure::Number(v) => num(*v),
        Figure::Count(c) => c.map(|c| c.to_string()).unwrap_or_default(),
    }
}

/// `report-stations.csv`: the station's figures, then each method's
/// columns in the report's order, then η², the method applied and the
/// flags.
pub fn stations(r: &Report) -> Table {
    use Kind::*;
    let mut names: Vec<(&str, Kind)> = vec![
        ("station", Text),
        ("n", Number),
        ("missing", Number),
        ("mean", Number),
        ("sd", Number),
        ("min", Number),
        ("max", Number),
        ("maximum", Number),
    ];
    for m in &r.methods {
        names.extend(m.csv.iter().map(|c| (*c, Number)));
    }
    names.extend([
        ("eta2_examiner", Number),
        ("eta2_examiner_chance", Number),
        ("eta2_circuit", Number),
        ("eta2_circuit_chance", Number),
        ("method", Text),
        ("pass_mark_applied", Number),
        ("flags", Text),
    ]);
    let rows = r
        .stations
        .iter()
        .map(|s| {
            let mut row = vec![
                s.id.clone(),
                s.n.to_string(),
                s.missing.to_string(),
                num(s.mean),
                num(s.sd),
                num(s.min),
                num(s.max_score),
                num(Some(s.max)),
            ];
            for m in &r.methods {
                match s.methods.iter().find(|x| x.id == m.id) {
                    Some(x) => row.extend(x.result.figures.iter().map(figure)),
                    None => row.extend(m.csv.iter().map(|_| String::new())),
                }
            }
            row.extend([
                num(s.by_examiner.as_ref().ok().map(|w| w.eta2)),
                num(s.by_examiner.as_ref().ok().map(|w| w.chance())),
                num(s
                    .by_circuit
                    .as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .map(|w| w.eta2)),
                num(s
                    .by_circuit
                    .as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .map(|w| w.chance())),
                s.method
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "not standard-set".into()),
                num(s.standard_set.or(s.provisional)),
                s.flags
                    .iter()
                    .map(|f| format!("{}: {}", f.level.word(), f.text))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
            row
        })
        .collect();
    Table {
        name: "report-stations.csv",
        columns: names.iter().map(|(n, k)| (n.to_string(), *k)).collect(),
        rows,
    }
}

/// `report-items.csv`: one row per item of every scored station.
pub fn items(r: &Report) -> Table {
    use Kind::*;
    let names: [(&str, Kind); 7] = [
        ("station", Text),
        ("item", Text),
        ("maximum", Number),
        ("n", Number),
        ("facility", Number),
        ("corrected_r", Number),
        ("flag", Text),
    ];
    let rows = r
        .stations
        .iter()
        .flat_map(|s| {
            s.items.iter().map(|i| {
                vec![
                    s.id.clone(),
                    i.id.clone(),
                    num(Some(i.max)),
                    i.n.to_string(),
                    num(i.facility),
                    num(i.corrected_r),
                    i.flag
                        .as_ref()
                        .map(|f| format!("{}: {}", f.level.word(), f.text))
                        .unwrap_or_default(),
                ]
            })
        })
        .collect();
    Table {
        name: "report-items.csv",
        columns: names.iter().map(|(n, k)| (n.to_string(), *k)).collect(),
        rows,
    }
}

/// `report-exam.csv`: one row per whole-exam figure.
pub fn exam(r: &Report) -> Table {
    use Kind::*;
    let e = &r.exam;
    let mut rows = vec![
        vec!["candidates".into(), e.candidates.to_string()],
        vec!["complete_candidates".into(), e.complete.to_string()],
        vec!["alpha".into(), num(e.alpha.as_ref().ok().copied())],
        vec!["sd_total".into(), num(e.sd_total)],
        vec!["sem".into(), num(e.sem)],
        vec!["cut_provisional".into(), num(e.cut_provisional)],
        vec!["cut_standard_set".into(), num(e.cut_standard_set)],
        vec!["sem_applied".into(), num(e.sem_applied)],
        vec!["cohen_cut".into(), num(e.cohen_cut)],
        vec!["pass_provisional".into(), e.counts_provisional.0.to_string()],
        vec!["fail_provisional".into(), e.counts_provisional.1.to_string()],
        vec!["pass_standard_set".into(), e.counts_standard_set.0.to_string()],
        vec!["fail_standard_set".into(), e.counts_standard_set.1.to_string()],
        vec![
            "incomplete_provisional".into(),
            e.counts_provisional.2.to_string(),
        ],
        vec![
            "incomplete_standard_set".into(),
            e.counts_standard_set.2.to_string(),
        ],
    ];
    if let Some(h) = &e.hofstee {
        let h = h.as_ref().ok();
        rows.push(vec![
            "hofstee_judges".into(),
            h.map(|h| h.judges.to_string()).unwrap_or_default(),
        ]);
        for (name, v) in [
            ("hofstee_min_cut", h.map(|h| h.bounds.min_cut)),
            ("hofstee_max_cut", h.map(|h| h.bounds.max_cut)),
            ("hofstee_min_fail", h.map(|h| h.bounds.min_fail)),
            ("hofstee_max_fail", h.map(|h| h.bounds.max_fail)),
            ("hofstee_cut_percent", h.map(|h| h.cut_percent)),
            ("hofstee_cut", h.map(|h| h.cut_marks)),
            ("hofstee_fail_percent", h.map(|h| h.fail_percent)),
        ] {
            rows.push(vec![name.into(), num(v)]);
        }
        // Whether the judges' line met the fail-rate curve, or which bound
        // applies instead.
        rows.push(vec![
            "hofstee_meets".into(),
            h.map(|h| match h.meets {
                crate::analysis::hofstee::Meets::Inside => "inside",
                crate::analysis::hofstee::Meets::BelowMinCut => "min_cut",
                crate::analysis::hofstee::Meets::AboveMaxCut => "max_cut",
            })
            .unwrap_or_default()
            .into(),
        ]);
    }
    for (id, a) in &e.alpha_if_deleted {
        rows.push(vec![
            format!("alpha_if_deleted:{id}"),
            num(a.as_ref().ok().copied()),
        ]);
    }
    for (n, er, phi) in &e.d_study {
        rows.push(vec![format!("e_rho2:{n}"), num(*er)]);
        rows.push(vec![format!("phi:{n}"), num(*phi)]);
    }
    // Where the figures come from: last, as documented.
    if let Some(p) = &r.provenance {
        for (name, value) in [
            (
                "generated",
                p.generated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            ("generated_by", p.by.clone()),
            ("rubric_id", p.rubric_id.clone()),
            ("rubric_version", p.rubric_version.clone()),
            ("rubric_content_hash", p.rubric_hash.clone()),
            ("sheets_fingerprint", p.sheets_fingerprint.clone()),
            ("osce_version", p.osce_version.clone()),
        ] {
            rows.push(vec![name.into(), value]);
        }
    }
    Table {
        name: "report-exam.csv",
        columns: vec![("figure".into(), Text), ("value".into(), Number)],
        rows,
    }
}
