//! Agreement between two markers of the same candidates, station by
//! station: the quadratic-weighted kappa of their global ratings and the
//! ICC(2,1) of their scores.
//!
//! Per station, because pooling hides disagreement: a pool of stations
//! whose scores lie on different scales (a station out of 10 beside one
//! out of 30) has a spread between stations that both markers share, and
//! that spread alone raises the ICC however the markers disagree within a
//! station. Kappa is also given pooled over the stations that share a
//! rating scale (the same categories), marked as pooled; ICC is never
//! pooled across stations.

use crate::analysis::stats;
use crate::results::gather::{Cohort, Matrix};
use crate::results::reconcile::Agreement;
use crate::rubric::Rubric;
use crate::scoring::{Standards, score_station};

/// Two markers' agreement at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct StationAgreement {
    pub station: String,
    /// The station's maximum mark.
    pub max: f64,
    /// Candidates marked by two (or more) examiners here.
    pub pairs: usize,
    /// The global-rating scale's id and its levels' labels, lowest first:
    /// the categories kappa compares. `None` without a global rating.
    pub scale: Option<(String, Vec<String>)>,
    /// Weighted kappa of the two markers' global ratings: the pairs with
    /// both ratings given, and kappa (`None` where undefined).
    pub kappa: (usize, Option<f64>),
    /// ICC(2,1) of the two markers' scores: the pairs with both sheets
    /// complete, and the ICC (`None` where undefined).
    pub icc: (usize, Option<f64>),
}

/// Kappa pooled over the stations that share one global-rating scale.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledKappa {
    pub scale: String,
    /// The scale's levels' labels, lowest first.
    pub categories: Vec<String>,
    /// The stations pooled, in rubric order.
    pub stations: Vec<String>,
    pub pairs: usize,
    pub kappa: Option<f64>,
}

/// Double marking, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleMarking {
    /// Every double-marked cell and the discrepancies over the rubric's
    /// threshold (as `osce status` shows them).
    pub agreement: Agreement,
    /// By station, in rubric order: only stations with a double-marked cell.
    pub stations: Vec<StationAgreement>,
    /// Kappa pooled per scale, only where two or more stations share one.
    pub pooled_kappa: Vec<PooledKappa>,
}

/// Agreement between the first two markers (the two sheets opened first)
/// of every double-marked cell, station by station.
pub fn double_marking(rubric: &Rubric, cohort: &Cohort, m: &Matrix) -> DoubleMarking {
    let mut stations = Vec::new();
    // Per scale: the pool so far and its pairs of ratings.
    let mut by_scale: Vec<(PooledKappa, Vec<(usize, usize)>)> = Vec::new();
    for station in rubric.scored_stations() {
        let mut pairs = 0;
        let mut ratings = Vec::new();
        let mut scores = Vec::new();
        for ((_, station_id), cell) in &m.cells {
            if station_id != &station.id || !cell.double_marked || cell.sheets.len() < 2 {
                continue;
            }
            let mut order = cell.sheets.clone();
            order.sort_by(|&a, &b| {
                let (a, b) = (&cohort.sheets[a], &cohort.sheets[b]);
                (a.state.first, &a.key).cmp(&(b.state.first, &b.key))
            });
            let two = [&cohort.sheets[order[0]], &cohort.sheets[order[1]]];
            // A pair counts once both sheets are in (as status counts it):
            // marks still being given may change.
            if two.iter().any(|s| s.state.submitted.is_none()) {
                continue;
            }
            pairs += 1;
            if let (Some((a, _)), Some((b, _))) = (two[0].state.global_rating(), two[1].state.global_rating())
            {
                ratings.push((a, b));
            }
            let score = |s: &crate::results::gather::FoundSheet| {
                score_station(
                    rubric,
                    station,
                    Some(&s.state.to_station_sheet()),
                    &Standards::default(),
                )
                .ok()
                .filter(|r| r.missing.is_empty())
            };
            if let (Some(a), Some(b)) = (score(two[0]), score(two[1])) {
                let (x, y) = crate::results::reconcile::compared_scores(&a, &b);
                scores.push(vec![x, y]);
            }
        }
        if pairs == 0 {
            continue;
        }
        let scale = station.global_rating.as_ref().map(|g| rubric.scale(g.scale));
        let kappa = scale.and_then(|sc| stats::weighted_kappa(&ratings, sc.levels.len()));
        if let Some(sc) = scale {
            match by_scale.iter_mut().find(|x| x.0.scale == sc.id) {
                Some(x) => {
                    x.0.stations.push(station.id.clone());
                    x.1.extend(ratings.iter().copied());
                }
                None => by_scale.push((
                    PooledKappa {
                        scale: sc.id.clone(),
                        categories: sc.levels.iter().map(|l| l.label.clone()).collect(),
                        stations: vec![station.id.clone()],
                        pairs: 0,
                        kappa: None,
                    },
                    ratings.clone(),
                )),
            }
        }
        stations.push(StationAgreement {
            station: station.id.clone(),
            max: rubric.station_max(station),
            pairs,
            scale: scale.map(|sc| (sc.id.clone(), sc.levels.iter().map(|l| l.label.clone()).collect())),
            kappa: (ratings.len(), kappa),
            icc: (scores.len(), stats::icc_2_1(&scores)),
        });
    }
    let pooled_kappa = by_scale
        .into_iter()
        .filter(|x| x.0.stations.len() >= 2)
        .map(|(pool, pairs)| PooledKappa {
            kappa: stats::weighted_kappa(&pairs, pool.categories.len()),
            pairs: pairs.len(),
            ..pool
        })
        .collect();
    DoubleMarking {
        agreement: crate::results::reconcile::agreement(rubric, cohort, m),
        stations,
        pooled_kappa,
    }
}
