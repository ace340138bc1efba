//! Statistics for the quality of marking. Pure functions on plain numbers;
//! each says when its figure cannot be computed rather than giving NaN.

/// Cohen's kappa with quadratic weights, for two markers' ordinal ratings
/// of the same cases: `pairs` of level indices on a scale of `levels`
/// levels. 1 is perfect agreement, 0 what chance gives. `None` when it is
/// undefined: fewer than two pairs, or no spread at all (every rating the
/// same level, so chance already "agrees" perfectly).
pub fn weighted_kappa(pairs: &[(usize, usize)], levels: usize) -> Option<f64> {
    if pairs.len() < 2 || levels < 2 || pairs.iter().any(|&(a, b)| a >= levels || b >= levels) {
        return None;
    }
    let n = pairs.len() as f64;
    let k = levels;
    let weight = |i: usize, j: usize| {
        let d = i as f64 - j as f64;
        d * d / ((k - 1) as f64 * (k - 1) as f64)
    };
    let mut a = vec![0.0; k];
    let mut b = vec![0.0; k];
    let mut observed = 0.0;
    for &(i, j) in pairs {
        a[i] += 1.0 / n;
        b[j] += 1.0 / n;
        observed += weight(i, j) / n;
    }
    let mut expected = 0.0;
    for (i, pa) in a.iter().enumerate() {
        for (j, pb) in b.iter().enumerate() {
            expected += pa * pb * weight(i, j);
        }
    }
    (expected > 1e-12).then(|| 1.0 - observed / expected)
}

/// Intraclass correlation ICC(2,1): two-way random effects, absolute
/// agreement, one rater (Shrout & Fleiss). `scores[case][rater]`, every
/// case marked by the same number of raters (at least two). `None` when
/// undefined: fewer than two cases, or no variation at all.
pub fn icc_2_1(scores: &[Vec<f64>]) -> Option<f64> {
    let n = scores.len();
    let k = scores.first()?.len();
    if n < 2 || k < 2 || scores.iter().any(|row| row.len() != k) {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = scores.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = scores.iter().map(|r| r.iter().sum::<f64>() / kf).collect();
    let col_means: Vec<f64> = (0..k)
        .map(|j| scores.iter().map(|r| r[j]).sum::<f64>() / nf)
        .collect();
    let ss_rows = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_cols = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_total: f64 = scores.iter().flatten().map(|x| (x - grand).powi(2)).sum();
    let ss_error = ss_total - ss_rows - ss_cols;
    let ms_rows = ss_rows / (nf - 1.0);
    let ms_cols = ss_cols / (kf - 1.0);
    let ms_error = ss_error / ((nf - 1.0) * (kf - 1.0));
    let denominator = ms_rows + (kf - 1.0) * ms_error + kf * (ms_cols - ms_error) / nf;
    (denominator.abs() > 1e-12).then(|| (ms_rows - ms_error) / denominator)
}

/// The mean, or `None` for no values.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The sample variance (divisor n − 1), or `None` under two values.
pub fn variance(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    (xs.len() >= 2).then(|| xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() as f64 - 1.0))
}

/// The sample standard deviation (divisor n − 1).
pub fn sd(xs: &[f64]) -> Option<f64> {
    variance(xs).map(f64::sqrt)
}

/// Pearson's correlation of paired values, or `None` with fewer than
/// three pairs or where either side does not vary (0 of 0 is no figure).
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    // Relative to the values' size, so rounding noise is not spread.
    let tiny = |ss: f64, m: f64| ss <= 1e-12 * (1.0 + m * m) * x.len() as f64;
    if tiny(sxx, mx) || tiny(syy, my) {
        return None;
    }
    Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

use crate::base::text::plural;

/// Why a figure could not be computed, in words a module leader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degenerate {
    /// Fewer candidates than the figure needs.
    TooFew { have: usize, need: usize },
    /// Fewer groups (examiners, circuits) than a comparison between groups
    /// needs: the cause is the groups, not the candidates.
    TooFewGroups { have: usize, need: usize },
    /// Fewer stations than a figure across stations needs.
    TooFewStations { have: usize, need: usize },
    /// Every x (e.g. every global rating) is the same: no slope.
    NoSpreadInX,
    /// Every value is the same: nothing to explain.
    NoSpread,
}

impl std::fmt::Display for Degenerate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Degenerate::TooFew { have, need } => write!(
                f,
                "only {} with data; at least {need} are needed",
                plural(*have, "candidate", "candidates")
            ),
            Degenerate::TooFewGroups { have, need } => write!(
                f,
                "only {}; at least {need} are needed to compare",
                plural(*have, "group", "groups")
            ),
            Degenerate::TooFewStations { have, need } => write!(
                f,
                "only {}; at least {need} are needed",
                plural(*have, "scored station", "scored stations")
            ),
            Degenerate::NoSpreadInX => {
                f.write_str("every candidate has the same global rating, so there is no slope")
            }
            Degenerate::NoSpread => f.write_str("every score is the same, so there is nothing to compare"),
        }
    }
}

/// An ordinary least-squares line y = intercept + slope · x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ols {
    pub n: usize,
    pub slope: f64,
    pub intercept: f64,
    /// Share of the variance of y the line explains (0 to 1). `None` when
    /// every y is the same: 0 of 0 is explained, which is no figure at all
    /// (calling it 1 would hide a checklist that separates nobody).
    pub r2: Option<f64>,
    mean_x: f64,
    sxx: f64,
    /// Residual standard deviation (divisor n − 2); `None` under 3 points.
    residual_sd: Option<f64>,
}

/// Fits y on x by least squares.
pub fn ols(x: &[f64], y: &[f64]) -> Result<Ols, Degenerate> {
    let n = x.len().min(y.len());
    if n < 2 {
        return Err(Degenerate::TooFew { have: n, need: 2 });
    }
    let (x, y) = (&x[..n], &y[..n]);
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    if sxx <= 1e-12 {
        return Err(Degenerate::NoSpreadInX);
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ss_res: f64 = x
        .iter()
        .zip(y)
        .map(|(a, b)| (b - intercept - slope * a).powi(2))
        .sum();
    let r2 = (syy > 1e-12).then(|| (1.0 - ss_res / syy).clamp(0.0, 1.0));
    let residual_sd = (n >= 3).then(|| (ss_res / (n as f64 - 2.0)).sqrt());
    Ok(Ols {
        n,
        slope,
        intercept,
        r2,
        mean_x: mx,
        sxx,
        residual_sd,
    })
}

impl Ols {
    pub fn predict(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// The 95% confidence interval of the line's value at `x` (the mean
    /// score of candidates rated `x`): ŷ ± t(0.975, n − 2) · s · √(1/n +
    /// (x − x̄)²/Sxx). `None` under three points.
    pub fn ci95(&self, x: f64) -> Option<(f64, f64)> {
        let s = self.residual_sd?;
        let t = t_975(self.n as f64 - 2.0)?;
        let half = t * s * (1.0 / self.n as f64 + (x - self.mean_x).powi(2) / self.sxx).sqrt();
        let y = self.predict(x);
        Some((y - half, y + half))
    }
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom.
pub fn t_975(df: f64) -> Option<f64> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    let q = t.inverse_cdf(0.975);
    q.is_finite().then_some(q)
}

/// A one-way analysis of variance of scores by group (examiner, circuit).
#[derive(Debug, Clone, PartialEq)]
pub struct OneWay {
    pub groups: usize,
    /// Candidates (scores) in all.
    pub n: usize,
    pub ss_between: f64,
    pub ss_within: f64,
    /// η² = SS_between / SS_total: the share of the variance of scores that
    /// lies between groups (0 to 1).
    pub eta2: f64,
    /// The size of the smallest group.
    pub smallest: usize,
}

impl OneWay {
    /// The η² chance alone gives: its expected value when the groups do
    /// not differ at all, (k − 1)/(n − 1) for k groups and n candidates
    /// (η² under no effect follows a Beta((k − 1)/2, (n − k)/2)
    /// distribution). With small groups it is large: 3 circuits of 3
    /// candidates give 25% by chance alone.
    pub fn chance(&self) -> f64 {
        if self.n > 1 {
            (self.groups as f64 - 1.0) / (self.n as f64 - 1.0)
        } else {
            0.0
        }
    }
}

/// η² of `scores` grouped by `groups` (a label per score). Needs two
/// groups and some spread.
pub fn one_way<G: Ord + Clone>(scores: &[f64], groups: &[G]) -> Result<OneWay, Degenerate> {
    let n = scores.len().min(groups.len());
    let mut by: std::collections::BTreeMap<G, Vec<f64>> = std::collections::BTreeMap::new();
    for (s, g) in scores[..n].iter().zip(&groups[..n]) {
        by.entry(g.clone()).or_default().push(*s);
    }
    if by.len() < 2 {
        return Err(Degenerate::TooFewGroups {
            have: by.len(),
            need: 2,
        });
    }
    let grand = scores[..n].iter().sum::<f64>() / n as f64;
    let ss_total: f64 = scores[..n].iter().map(|s| (s - grand).powi(2)).sum();
    if ss_total <= 1e-12 {
        return Err(Degenerate::NoSpread);
    }
    let mut ss_between = 0.0;
    let mut ss_within = 0.0;
    for v in by.values() {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        ss_between += v.len() as f64 * (m - grand).powi(2);
        ss_within += v.iter().map(|s| (s - m).powi(2)).sum::<f64>();
    }
    Ok(OneWay {
        smallest: by.values().map(Vec::len).min().unwrap_or(0),
        groups: by.len(),
        n,
        ss_between,
        ss_within,
        eta2: (ss_between / ss_total).clamp(0.0, 1.0),
    })
}

/// Cronbach's α over `rows` (one per candidate, one score per station;
/// every row complete and the same length): k/(k − 1) · (1 − Σ var(station)
/// / var(total)), sample variances.
pub fn cronbach_alpha(rows: &[Vec<f64>]) -> Result<f64, Degenerate> {
    let k = rows.first().map_or(0, Vec::len);
    if rows.len() < 2 {
        return Err(Degenerate::TooFew {
            have: rows.len(),
            need: 2,
        });
    }
    if k < 2 || rows.iter().any(|r| r.len() != k) {
        return Err(Degenerate::TooFewStations { have: k, need: 2 });
    }
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let var_total = variance(&totals).unwrap_or(0.0);
    if var_total <= 1e-12 {
        return Err(Degenerate::NoSpread);
    }
    let sum_items: f64 = (0..k)
        .map(|j| variance(&rows.iter().map(|r| r[j]).collect::<Vec<_>>()).unwrap_or(0.0))
        .sum();
    let kf = k as f64;
    Ok(kf / (kf - 1.0) * (1.0 - sum_items / var_total))
}

/// α of the matrix with each station left out in turn.
pub fn alpha_if_deleted(rows: &[Vec<f64>]) -> Vec<Result<f64, Degenerate>> {
    let k = rows.first().map_or(0, Vec::len);
    (0..k)
        .map(|drop| {
            let reduced: Vec<Vec<f64>> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .filter(|(j, _)| *j != drop)
                        .map(|(_, v)| *v)
                        .collect()
                })
                .collect();
            cronbach_alpha(&reduced)
        })
        .collect()
}

/// Standard error of measurement: SD(total) · √(1 − α) (α below 0 counts
/// as 0).
pub fn sem(sd_total: f64, alpha: f64) -> f64 {
    sd_total * (1.0 - alpha.clamp(0.0, 1.0)).sqrt()
}

/// A generalisability study of persons × stations (one facet, fully
/// crossed): the variance components, with negative estimates set to 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GStudy {
    pub persons: usize,
    pub stations: usize,
    pub var_person: f64,
    pub var_station: f64,
    pub var_residual: f64,
}

impl GStudy {
    /// Relative (norm-referenced) coefficient Eρ² for `n` stations.
    pub fn e_rho2(&self, n: f64) -> Option<f64> {
        let d = self.var_person + self.var_residual / n;
        (d > 1e-12).then(|| self.var_person / d)
    }

    /// Absolute (criterion-referenced) coefficient Φ for `n` stations.
    pub fn phi(&self, n: f64) -> Option<f64> {
        let d = self.var_person + (self.var_station + self.var_residual) / n;
        (d > 1e-12).then(|| self.var_person / d)
    }
}

pub fn g_study(rows: &[Vec<f64>]) -> Result<GStudy, Degenerate> {
    let np = rows.len();
    let ni = rows.first().map_or(0, Vec::len);
    if np < 2 {
        return Err(Degenerate::TooFew { have: np, need: 2 });
    }
    if ni < 2 || rows.iter().any(|r| r.len() != ni) {
        return Err(Degenerate::TooFewStations { have: ni, need: 2 });
    }
    let (npf, nif) = (np as f64, ni as f64);
    let grand = rows.iter().flatten().sum::<f64>() / (npf * nif);
    let p_means: Vec<f64> = rows.iter().map(|r| r.iter().sum::<f64>() / nif).collect();
    let i_means: Vec<f64> = (0..ni)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / npf)
        .collect();
    let ss_p = nif * p_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_i = npf * i_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_t: f64 = rows.iter().flatten().map(|x| (x - grand).powi(2)).sum();
    if ss_t <= 1e-12 {
        return Err(Degenerate::NoSpread);
    }
    let ss_r = (ss_t - ss_p - ss_i).max(0.0);
    let ms_p = ss_p / (npf - 1.0);
    let ms_i = ss_i / (nif - 1.0);
    let ms_r = ss_r / ((npf - 1.0) * (nif - 1.0));
    Ok(GStudy {
        persons: np,
        stations: ni,
        var_person: ((ms_p - ms_r) / nif).max(0.0),
        var_station: ((ms_i - ms_r) / npf).max(0.0),
        var_residual: ms_r,
    })
}

/// Cohen's method: the cut score is `share` (usually 0.6) of the score of
/// the candidate at the 95th percentile (nearest rank).
pub fn cohen_cut(totals: &[f64], share: f64) -> Option<f64> {
    if totals.is_empty() {
        return None;
    }
    let mut sorted = totals.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((0.95 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(share * sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn kappa_worked_examples() {
        // Two levels: quadratic weights are plain kappa. po 3/4, pe 1/2.
        let k = weighted_kappa(&[(0, 0), (1, 1), (0, 1), (1, 1)], 2).expect("defined");
        assert!(close(k, 0.5), "{k}");
        // Three levels by hand: observed disagreement 1/12, expected 5/12.
        let k = weighted_kappa(&[(0, 0), (1, 2), (2, 2)], 3).expect("defined");
        assert!(close(k, 0.8), "{k}");
        assert_eq!(weighted_kappa(&[(2, 2), (0, 0), (4, 4)], 5), Some(1.0));
        // Undefined, not NaN.
        assert_eq!(weighted_kappa(&[(1, 1), (1, 1)], 5), None);
        assert_eq!(weighted_kappa(&[(1, 1)], 5), None);
        assert_eq!(weighted_kappa(&[(7, 1), (0, 0)], 5), None);
    }

    fn close6(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-6
    }

    #[test]
    fn borderline_regression_worked_example() {
        let grades = [0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 1.0];
        let scores = [
            6.0, 9.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 19.0, 18.0, 10.0,
        ];
        let fit = ols(&grades, &scores).expect("fit");
        assert!(close6(fit.slope, 3.018868), "{}", fit.slope);
        assert!(close6(fit.intercept, 6.792453), "{}", fit.intercept);
        let r2 = fit.r2.expect("R²");
        assert!(close6(r2, 0.954583), "{r2}");
        assert!(close6(fit.predict(1.0), 9.811321));
        let (lo, hi) = fit.ci95(1.0).expect("ci");
        assert!(lo < 9.811321 && hi > 9.811321 && hi - lo < 3.0, "{lo} {hi}");
        let borderline: Vec<f64> = grades
            .iter()
            .zip(scores)
            .filter(|(g, _)| **g == 1.0)
            .map(|(_, s)| s)
            .collect();
        assert!(close6(mean(&borderline).expect("mean"), 10.0));
        let examiners = ["A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"];
        let a = one_way(&scores, &examiners).expect("anova");
        assert!(close6(a.ss_between, 92.666667), "{}", a.ss_between);
        assert!(close6(a.ss_within, 76.0), "{}", a.ss_within);
        assert!(close6(a.eta2, 0.549407), "{}", a.eta2);
    }

    #[test]
    fn reliability_worked_example() {
        let s1 = [12.0, 14.0, 9.0, 16.0, 11.0, 13.0, 15.0, 10.0, 17.0, 12.0];
        let s2 = [11.0, 15.0, 8.0, 17.0, 10.0, 12.0, 16.0, 9.0, 18.0, 13.0];
        let s3 = [14.0, 13.0, 10.0, 15.0, 12.0, 14.0, 14.0, 11.0, 16.0, 11.0];
        let s4 = [10.0, 16.0, 7.0, 15.0, 12.0, 11.0, 17.0, 9.0, 18.0, 12.0];
        let rows: Vec<Vec<f64>> = (0..10).map(|i| vec![s1[i], s2[i], s3[i], s4[i]]).collect();
        let alpha = cronbach_alpha(&rows).expect("alpha");
        assert!(close6(alpha, 0.951319), "{alpha}");
        let deleted: Vec<f64> = alpha_if_deleted(&rows)
            .into_iter()
            .map(|a| a.expect("alpha"))
            .collect();
        for (got, want) in deleted.iter().zip([0.911545, 0.911926, 0.971307, 0.937638]) {
            assert!(close6(*got, want), "{got} vs {want}");
        }
        let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
        let sd_total = sd(&totals).expect("sd");
        assert!(close6(sd_total, 11.207636), "{sd_total}");
        assert!(close6(sem(sd_total, alpha), 2.472815), "{}", sem(sd_total, alpha));
        let g = g_study(&rows).expect("g");
        // With a fully crossed design Eρ² for the stations used equals α.
        assert!(close6(g.e_rho2(4.0).expect("e_rho2"), alpha));
        assert!(g.phi(4.0).expect("phi") <= g.e_rho2(4.0).expect("e_rho2"));
        assert!(g.e_rho2(8.0).expect("e") > g.e_rho2(4.0).expect("e"));
    }

    #[test]
    fn degenerate_data_is_named() {
        assert_eq!(
            ols(&[1.0, 1.0, 1.0], &[3.0, 4.0, 5.0]),
            Err(Degenerate::NoSpreadInX)
        );
        assert_eq!(ols(&[1.0], &[3.0]), Err(Degenerate::TooFew { have: 1, need: 2 }));
        assert!(ols(&[0.0, 1.0], &[3.0, 4.0]).expect("fit").ci95(1.0).is_none());
        // Every score the same: a flat line, and R² is 0 of 0, not 1.
        let flat = ols(&[0.0, 1.0, 2.0, 3.0], &[7.0, 7.0, 7.0, 7.0]).expect("fit");
        assert_eq!((flat.slope, flat.r2), (0.0, None));
        assert_eq!(
            one_way(&[1.0, 2.0], &["A", "A"]).map(|_| ()),
            Err(Degenerate::TooFewGroups { have: 1, need: 2 })
        );
        // Words with the right cause and plurals.
        assert_eq!(
            Degenerate::TooFew { have: 1, need: 3 }.to_string(),
            "only 1 candidate with data; at least 3 are needed"
        );
        assert_eq!(
            Degenerate::TooFew { have: 2, need: 3 }.to_string(),
            "only 2 candidates with data; at least 3 are needed"
        );
        assert!(
            !Degenerate::TooFewGroups { have: 1, need: 2 }
                .to_string()
                .contains("candidates")
        );
        assert_eq!(
            cronbach_alpha(&[vec![1.0], vec![2.0]]),
            Err(Degenerate::TooFewStations { have: 1, need: 2 })
        );
        let w = one_way(&[1.0, 2.0, 3.0, 4.0, 5.0], &["A", "A", "B", "B", "C"]).expect("anova");
        assert!(close6(w.chance(), 2.0 / 4.0), "{}", w.chance());
        assert_eq!(
            one_way(&[2.0, 2.0], &["A", "B"]).map(|_| ()),
            Err(Degenerate::NoSpread)
        );
        assert_eq!(
            cronbach_alpha(&[vec![1.0, 2.0]]),
            Err(Degenerate::TooFew { have: 1, need: 2 })
        );
        assert_eq!(
            cronbach_alpha(&[vec![1.0, 1.0], vec![1.0, 1.0]]),
            Err(Degenerate::NoSpread)
        );
        assert_eq!(cohen_cut(&[], 0.6), None);
        let totals: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(cohen_cut(&totals, 0.6), Some(0.6 * 19.0));
    }

    #[test]
    fn icc_matches_shrout_and_fleiss() {
        // Shrout & Fleiss (1979), six targets by four judges: ICC(2,1) = 0.29.
        let data = [
            [9.0, 2.0, 5.0, 8.0],
            [6.0, 1.0, 3.0, 2.0],
            [8.0, 4.0, 6.0, 8.0],
            [7.0, 1.0, 2.0, 6.0],
            [10.0, 5.0, 6.0, 9.0],
            [6.0, 2.0, 4.0, 7.0],
        ];
        let rows: Vec<Vec<f64>> = data.iter().map(|r| r.to_vec()).collect();
        let icc = icc_2_1(&rows).expect("defined");
        assert!((icc - 0.2898).abs() < 5e-4, "{icc}");
        let same: Vec<Vec<f64>> = vec![vec![3.0, 3.0], vec![5.0, 5.0], vec![9.0, 9.0]];
        assert!(close(icc_2_1(&same).expect("defined"), 1.0));
        assert_eq!(icc_2_1(&[vec![1.0, 1.0], vec![1.0, 1.0]]), None);
        assert_eq!(icc_2_1(&[vec![1.0, 2.0]]), None);
    }
}
