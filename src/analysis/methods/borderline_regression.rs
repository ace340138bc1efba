//! Borderline regression (BRM): the station score regressed on the global
//! rating's code over every complete candidate (ordinary least squares);
//! the pass mark is the line's value at the borderline code.

use super::{Figure, Method, MethodResult, StationData};
use crate::analysis::report::markdown::{f2, m1, pct};
use crate::analysis::stats::{self, Degenerate, Ols};
use crate::scoring::SetMethod;

/// Borderline regression at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    pub fit: Ols,
    /// The global-rating code of the borderline level.
    pub borderline_code: f64,
    /// intercept + slope × borderline code.
    pub pass_mark: f64,
    /// The 95% confidence interval of the pass mark, cut at 0 and at the
    /// station's maximum.
    pub ci95: Option<(f64, f64)>,
    /// The slope as a share of the station maximum.
    pub discrimination_share: f64,
    /// Candidates scoring below the pass mark, and their share.
    pub failing: usize,
    pub failing_share: f64,
}

/// The regression at a station, or why it cannot be computed, in words.
pub fn fit(data: &StationData) -> Result<Regression, String> {
    let b = match (data.station.global_rating.is_some(), data.borderline_code) {
        (false, _) => return Err("the station has no global rating".to_string()),
        (true, None) => return Err("the global-rating scale has no borderline level".to_string()),
        (true, Some(b)) => b,
    };
    let (x, y): (Vec<f64>, Vec<f64>) = data
        .candidates
        .iter()
        .filter_map(|c| c.code.map(|code| (code, c.score)))
        .unzip();
    // Two points always fit a line exactly: nothing to trust.
    if x.len() < 3 {
        return Err(Degenerate::TooFew {
            have: x.len(),
            need: 3,
        }
        .to_string());
    }
    let fit = stats::ols(&x, &y).map_err(|e| e.to_string())?;
    let pass_mark = fit.predict(b);
    let failing = data
        .candidates
        .iter()
        .filter(|c| c.score + crate::rubric::EPSILON < pass_mark)
        .count();
    Ok(Regression {
        fit,
        borderline_code: b,
        pass_mark,
        // Of a score: no lower than 0, no higher than the maximum.
        ci95: fit
            .ci95(b)
            .map(|(lo, hi)| (lo.clamp(0.0, data.max), hi.clamp(0.0, data.max))),
        discrimination_share: if data.max > 0.0 { fit.slope / data.max } else { 0.0 },
        failing,
        failing_share: failing as f64 / data.candidates.len().max(1) as f64,
    })
}

pub struct BorderlineRegression;

impl Method for BorderlineRegression {
    fn id(&self) -> &'static str {
        "borderline-regression"
    }

    fn name(&self) -> SetMethod {
        SetMethod::BorderlineRegression
    }

    fn table_columns(&self) -> Vec<&'static str> {
        vec!["BRM pass mark (95% CI)", "R²", "discrimination", "failing at BRM"]
    }

    fn csv_columns(&self) -> Vec<&'static str> {
        vec![
            "brm_slope",
            "brm_intercept",
            "brm_r2",
            "brm_pass_mark",
            "brm_ci_low",
            "brm_ci_high",
            "discrimination_share",
            "failing_at_brm",
        ]
    }

    fn station_pass_mark(&self, data: &StationData) -> MethodResult {
        let regression = fit(data);
        let g = regression.as_ref().ok();
        let figures = vec![
            Figure::Number(g.map(|g| g.fit.slope)),
            Figure::Number(g.map(|g| g.fit.intercept)),
            Figure::Number(g.and_then(|g| g.fit.r2)),
            Figure::Number(g.map(|g| g.pass_mark)),
            Figure::Number(g.and_then(|g| g.ci95).map(|c| c.0)),
            Figure::Number(g.and_then(|g| g.ci95).map(|c| c.1)),
            Figure::Number(g.map(|g| g.discrimination_share)),
            Figure::Count(g.map(|g| g.failing)),
        ];
        let cells = match &regression {
            Ok(g) => vec![
                format!(
                    "{}{}",
                    m1(g.pass_mark),
                    g.ci95
                        .map(|(a, b)| format!(" ({}–{})", m1(a), m1(b)))
                        .unwrap_or_default()
                ),
                g.fit
                    .r2
                    .map_or_else(|| format!("— ({})", crate::analysis::report::NO_SPREAD_R2), f2),
                format!("{} ({})", f2(g.fit.slope), pct(g.discrimination_share)),
                format!("{} ({})", g.failing, pct(g.failing_share)),
            ],
            Err(why) => vec![format!("— ({why})"), "—".into(), "—".into(), "—".into()],
        };
        let detail = match &regression {
            Ok(g) => g
                .ci95
                .map(|(a, b)| format!(" (95% CI {}–{})", m1(a), m1(b)))
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        MethodResult {
            pass_mark: regression.map(|g| g.pass_mark),
            cells,
            figures,
            detail,
        }
    }
}
