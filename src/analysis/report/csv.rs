//! The report's tables as CSV: one row per station, with every figure.

use super::Report;
use crate::results::export::{Kind, Table};

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.6}")).unwrap_or_default()
}

/// `report-stations.csv`.
pub fn stations(r: &Report) -> Table {
    use Kind::*;
    let names: [(&str, Kind); 24] = [
        ("station", Text),
        ("n", Number),
        ("missing", Number),
        ("mean", Number),
        ("sd", Number),
        ("min", Number),
        ("max", Number),
        ("maximum", Number),
        ("brm_slope", Number),
        ("brm_intercept", Number),
        ("brm_r2", Number),
        ("brm_pass_mark", Number),
        ("brm_ci_low", Number),
        ("brm_ci_high", Number),
        ("discrimination_share", Number),
        ("failing_at_brm", Number),
        ("bgm_pass_mark", Number),
        ("eta2_examiner", Number),
        ("eta2_examiner_chance", Number),
        ("eta2_circuit", Number),
        ("eta2_circuit_chance", Number),
        ("method", Text),
        ("pass_mark_applied", Number),
        ("flags", Text),
    ];
    let rows = r
        .stations
        .iter()
        .map(|s| {
            let g = s.regression.as_ref().ok();
            vec![
                s.id.clone(),
                s.n.to_string(),
                s.missing.to_string(),
                num(s.mean),
                num(s.sd),
                num(s.min),
                num(s.max_score),
                num(Some(s.max)),
                num(g.map(|g| g.fit.slope)),
                num(g.map(|g| g.fit.intercept)),
                num(g.and_then(|g| g.fit.r2)),
                num(g.map(|g| g.pass_mark)),
                num(g.and_then(|g| g.ci95).map(|c| c.0)),
                num(g.and_then(|g| g.ci95).map(|c| c.1)),
                num(g.map(|g| g.discrimination_share)),
                g.map(|g| g.failing.to_string()).unwrap_or_default(),
                num(s.borderline_group.as_ref().ok().map(|b| b.0)),
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
            ]
        })
        .collect();
    Table {
        name: "report-stations.csv",
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
        vec!["cohen_cut".into(), num(e.cohen_cut)],
        vec!["pass_provisional".into(), e.counts_provisional.0.to_string()],
        vec!["fail_provisional".into(), e.counts_provisional.1.to_string()],
        vec!["pass_standard_set".into(), e.counts_standard_set.0.to_string()],
        vec!["fail_standard_set".into(), e.counts_standard_set.1.to_string()],
    ];
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
    Table {
        name: "report-exam.csv",
        columns: vec![("figure".into(), Text), ("value".into(), Number)],
        rows,
    }
}
