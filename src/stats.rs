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
