//! The report's plots as inline SVG: no scripts, no fonts or files from
//! elsewhere, so the HTML file stands alone.

use std::fmt::Write;

use super::{ExamReport, StationReport};

const W: f64 = 520.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 44.0;

/// A white outline under a label's letters, so that a label over a line or
/// a bar stays readable.
const HALO: &str = r#"paint-order="stroke" stroke="white" stroke-width="3" stroke-linejoin="round""#;

/// The score axis's labels: round steps (1, 2 or 5 times a power of ten,
/// or 25s), about five of them, and the maximum itself at the end (in
/// place of the last round step where the two would crowd each other).
fn score_ticks(max: f64) -> Vec<f64> {
    if max <= 0.0 || !max.is_finite() {
        return vec![0.0];
    }
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let mut ticks: Vec<f64> = (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= max + 1e-9)
        .collect();
    if let Some(last) = ticks.last().copied()
        && (max - last).abs() > 1e-9
    {
        if max - last < step * 0.5 {
            ticks.pop();
        }
        ticks.push(max);
    }
    ticks
}

/// Escapes text for SVG and HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        let span = (self.x1 - self.x0).max(1e-9);
        LEFT + (v - self.x0) / span * (W - LEFT - RIGHT)
    }

    fn y(&self, v: f64) -> f64 {
        let span = (self.y1 - self.y0).max(1e-9);
        H - BOTTOM - (v - self.y0) / span * (H - TOP - BOTTOM)
    }
}

fn open(out: &mut String, class: &str, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{t}"><title>{t}</title><rect x="0" y="0" width="{W}" height="{H}" fill="white"/><text x="{LEFT}" y="18" font-size="13" font-family="sans-serif">{t}</text>"#,
        t = esc(title)
    );
}

/// The y axis's ticks: five, evenly spaced; with `whole`, at whole
/// numbers (counts), the frame's top raised to a whole step.
fn axes(out: &mut String, f: &Frame, x_label: &str, y_label: &str) {
    axes_ticks(out, f, x_label, y_label, false);
}

fn axes_ticks(out: &mut String, f: &Frame, x_label: &str, y_label: &str, whole: bool) {
    let (bx, by) = (LEFT, H - BOTTOM);
    let _ = write!(
        out,
        r##"<line x1="{bx}" y1="{by}" x2="{}" y2="{by}" stroke="#333"/><line x1="{bx}" y1="{TOP}" x2="{bx}" y2="{by}" stroke="#333"/>"##,
        W - RIGHT
    );
    for i in 0..=4 {
        let v = f.y0 + (f.y1 - f.y0) * f64::from(i) / 4.0;
        if whole && (v - v.round()).abs() > 1e-9 {
            continue;
        }
        let y = f.y(v);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="10" text-anchor="end" font-family="sans-serif">{}</text><line x1="{}" y1="{y:.1}" x2="{bx}" y2="{y:.1}" stroke="#333"/>"##,
            bx - 4.0,
            y + 3.0,
            crate::scoring::fmt_marks((v * 10.0).round() / 10.0),
            bx - 3.0
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="11" text-anchor="middle" font-family="sans-serif">{}</text><text x="12" y="{}" font-size="11" font-family="sans-serif" transform="rotate(-90 12 {})" text-anchor="middle">{}</text>"#,
        (LEFT + W - RIGHT) / 2.0,
        H - 6.0,
        esc(x_label),
        (TOP + H - BOTTOM) / 2.0,
        (TOP + H - BOTTOM) / 2.0,
        esc(y_label)
    );
}

/// The part of the straight line `line` between `xs` that lies within
/// `ys` (its ends where it crosses their bounds), or `None` where none
/// does.
fn inside(line: impl Fn(f64) -> f64, xs: (f64, f64), ys: (f64, f64)) -> Option<(f64, f64)> {
    let (mut a, mut b) = xs;
    let at0 = line(0.0);
    let slope = line(1.0) - at0;
    if slope.abs() < 1e-12 {
        return (ys.0..=ys.1).contains(&at0).then_some((a, b));
    }
    // Where the line is at each bound of `ys`, in order along x.
    let (c, d) = ((ys.0 - at0) / slope, (ys.1 - at0) / slope);
    let (lo, hi) = if c < d { (c, d) } else { (d, c) };
    a = a.max(lo);
    b = b.min(hi);
    (a < b).then_some((a, b))
}

/// Score against global rating, with the regression line and pass mark.
pub fn scatter(s: &StationReport) -> String {
    let mut out = String::new();
    open(
        &mut out,
        "scatter",
        &format!("{}: score by global rating", s.title),
    );
    let (gx0, gx1) = match (s.grades.first(), s.grades.last()) {
        (Some(a), Some(b)) => (a.0.min(b.0), a.0.max(b.0)),
        _ => (0.0, 1.0),
    };
    let f = Frame {
        x0: gx0 - 0.5,
        x1: gx1 + 0.5,
        y0: 0.0,
        y1: s.max.max(1.0),
    };
    axes(&mut out, &f, "global rating", "score");
    for (code, label) in &s.grades {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" font-size="9" text-anchor="middle" font-family="sans-serif">{}</text>"#,
            f.x(*code),
            H - BOTTOM + 14.0,
            esc(&crate::base::text::fit(label, 14))
        );
    }
    // Points, jittered a little sideways so stacks show.
    for (i, (x, y)) in s.points.iter().enumerate() {
        let jitter = ((i * 37 % 11) as f64 - 5.0) * 0.02;
        let _ = write!(
            out,
            r##"<circle class="point" cx="{:.1}" cy="{:.1}" r="2.5" fill="#1f77b4" fill-opacity="0.5"/>"##,
            f.x(x + jitter),
            f.y(*y)
        );
    }
    if let Ok(r) = &s.regression {
        // The line where it is inside the plot: cut where it leaves it,
        // not flattened against the edge (which would change its slope).
        if let Some((a, b)) = inside(|x| r.fit.predict(x), (f.x0, f.x1), (f.y0, f.y1)) {
            let _ = write!(
                out,
                r##"<line class="regression" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#d62728" stroke-width="2"/>"##,
                f.x(a),
                f.y(r.fit.predict(a)),
                f.x(b),
                f.y(r.fit.predict(b))
            );
        }
        // The pass mark applied (adopted, or set by the station's method),
        // else the line's.
        let mark = s.standard_set.unwrap_or(r.pass_mark);
        let y = f.y(mark.clamp(f.y0, f.y1));
        let _ = write!(
            out,
            r##"<line class="pass-mark" x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#2ca02c" stroke-dasharray="6 4" stroke-width="2"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#2ca02c" font-family="sans-serif">pass mark {}</text>"##,
            W - RIGHT,
            W - RIGHT,
            y - 4.0,
            crate::scoring::fmt_marks((mark * 100.0).round() / 100.0)
        );
    }
    out.push_str("</svg>");
    out
}

/// Histogram of total scores with the cut score.
pub fn histogram(e: &ExamReport) -> String {
    histogram_of(&e.totals, e.total_max, e.cut_provisional, e.cut_standard_set)
}

fn histogram_of(
    totals: &[f64],
    total_max: f64,
    cut_provisional: Option<f64>,
    cut_standard_set: Option<f64>,
) -> String {
    let mut out = String::new();
    open(&mut out, "histogram", "Total scores");
    let bins = 20usize;
    let max = total_max.max(1.0);
    let mut counts = vec![0usize; bins];
    for t in totals {
        let i = ((t / max) * bins as f64).floor() as usize;
        counts[i.min(bins - 1)] += 1;
    }
    // Counts: the axis's top is a whole number of whole steps, so every
    // tick is a whole number of candidates.
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let step = most.div_ceil(4).max(1);
    let f = Frame {
        x0: 0.0,
        x1: max,
        y0: 0.0,
        y1: (step * 4) as f64,
    };
    axes_ticks(&mut out, &f, "total score", "candidates", true);
    for v in score_ticks(max) {
        let _ = write!(
            out,
            r#"<text class="x-tick" x="{:.1}" y="{}" font-size="10" text-anchor="middle" font-family="sans-serif">{}</text>"#,
            f.x(v),
            H - BOTTOM + 14.0,
            crate::scoring::fmt_marks(v)
        );
    }
    for (i, c) in counts.iter().enumerate() {
        let x0 = f.x(max * i as f64 / bins as f64);
        let x1 = f.x(max * (i + 1) as f64 / bins as f64);
        let y = f.y(*c as f64);
        let _ = write!(
            out,
            r##"<rect class="bar" x="{x0:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="#1f77b4"/>"##,
            (x1 - x0 - 1.0).max(0.5),
            (H - BOTTOM - y).max(0.0)
        );
    }
    let cuts = [
        (cut_provisional, "provisional cut", "#ff7f0e", TOP + 10.0),
        (cut_standard_set, "standard-set cut", "#2ca02c", TOP + 22.0),
    ];
    let xs: Vec<Option<f64>> = cuts
        .iter()
        .map(|(c, ..)| c.map(|c| f.x(c.clamp(0.0, max))))
        .collect();
    for (i, (cut, label, colour, y)) in cuts.iter().enumerate() {
        let (Some(c), Some(x)) = (cut, xs[i]) else {
            continue;
        };
        // A label reads to the right of its line, unless the other cut's
        // line is just to the right (it would cross it) or the plot ends.
        let other_right = xs
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.is_some_and(|o| o > x && o - x < 110.0));
        let (lx, anchor) = if other_right || x > W - RIGHT - 110.0 {
            (x - 3.0, "end")
        } else {
            (x + 3.0, "start")
        };
        let _ = write!(
            out,
            r##"<line class="cut" x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{}" stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/><text x="{lx:.1}" y="{y}" font-size="10" fill="{colour}" text-anchor="{anchor}" {HALO} font-family="sans-serif">{label} {}</text>"##,
            H - BOTTOM,
            crate::scoring::fmt_marks((c * 10.0).round() / 10.0)
        );
    }
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart of one figure per station, from `from` to 1 (0
/// for a share; where the data is, for figures that all lie near 1), each
/// figure that cannot be computed saying why.
pub fn bars(
    title: &str,
    values: &[(String, Result<f64, String>)],
    line: Option<(f64, &str)>,
    from: f64,
) -> String {
    let mut out = String::new();
    let rows = values.len().max(1) as f64;
    let height = (TOP + 18.0 * rows + 34.0).max(80.0);
    let _ = write!(
        out,
        r#"<svg class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img" aria-label="{t}"><title>{t}</title><rect x="0" y="0" width="{W}" height="{height}" fill="white"/><text x="8" y="18" font-size="13" font-family="sans-serif">{t}</text>"#,
        t = esc(title)
    );
    let x0 = 130.0;
    let span = W - x0 - 60.0;
    let from = from.clamp(0.0, 0.99);
    let at = |v: f64| x0 + ((v - from) / (1.0 - from)).clamp(0.0, 1.0) * span;
    // The reference line first, so that the bars' numbers are drawn over it.
    if let Some((v, label)) = line {
        let x = at(v);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{:.1}" stroke="#d62728" stroke-dasharray="4 3"/><text x="{x:.1}" y="{:.1}" font-size="10" fill="#d62728" text-anchor="middle" {HALO} font-family="sans-serif">{}</text>"##,
            TOP - 4.0,
            TOP + 18.0 * rows,
            TOP + 18.0 * rows + 12.0,
            esc(label)
        );
    }
    for (i, (label, v)) in values.iter().enumerate() {
        let y = TOP + 18.0 * i as f64;
        let _ = write!(
            out,
            r#"<text x="{}" y="{:.1}" font-size="10" text-anchor="end" font-family="sans-serif">{}</text>"#,
            x0 - 6.0,
            y + 11.0,
            esc(&crate::base::text::fit(label, 20))
        );
        match v {
            Ok(v) => {
                let w = at(*v) - x0;
                let _ = write!(
                    out,
                    r##"<rect class="bar" x="{x0}" y="{y:.1}" width="{w:.1}" height="13" fill="#1f77b4"/><text x="{:.1}" y="{:.1}" font-size="10" {HALO} font-family="sans-serif">{v:.2}</text>"##,
                    x0 + w + 4.0,
                    y + 11.0
                );
            }
            Err(why) => {
                let _ = write!(
                    out,
                    r#"<text x="{x0}" y="{:.1}" font-size="10" font-family="sans-serif">cannot be computed: {}</text>"#,
                    y + 11.0,
                    esc(&crate::base::text::fit(why, 60))
                );
            }
        }
    }
    // The scale: where the bars start, and 1.
    for (v, anchor) in [(from, "start"), (1.0, "end")] {
        let _ = write!(
            out,
            r##"<text class="scale" x="{:.1}" y="{:.1}" font-size="9" fill="#555" text-anchor="{anchor}" font-family="sans-serif">{}</text>"##,
            at(v),
            TOP + 18.0 * rows + 22.0,
            crate::scoring::fmt_marks(v)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number on the y axis of a count is a whole number.
    fn y_ticks(svg: &str) -> Vec<String> {
        svg.split(r#"text-anchor="end" font-family="sans-serif">"#)
            .skip(1)
            .filter_map(|t| t.split('<').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_score_axis_counts_in_round_steps_and_ends_at_the_maximum() {
        assert_eq!(score_ticks(99.0), [0.0, 20.0, 40.0, 60.0, 80.0, 99.0]);
        assert_eq!(score_ticks(100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(score_ticks(60.0), [0.0, 20.0, 40.0, 60.0]);
        assert_eq!(score_ticks(20.0), [0.0, 5.0, 10.0, 15.0, 20.0]);
        // 84 is too near 80 to be read beside it: the maximum stands alone.
        assert_eq!(score_ticks(84.0), [0.0, 20.0, 40.0, 60.0, 84.0]);
        assert_eq!(score_ticks(0.0), [0.0]);
        let svg = histogram_of(&[10.0, 50.0, 90.0], 99.0, Some(59.4), Some(46.5));
        let ticks: Vec<&str> = svg
            .split(r#"class="x-tick""#)
            .skip(1)
            .filter_map(|t| t.split('>').nth(1)?.split('<').next())
            .collect();
        assert_eq!(ticks, ["0", "20", "40", "60", "80", "99"]);
    }

    /// Two cuts close together: the left one's label reads leftwards, so
    /// it never crosses the other's line.
    #[test]
    fn a_line_leaving_the_plot_is_cut_there_with_its_slope_kept() {
        let line = |x: f64| 2.0 + 3.0 * x;
        // From 0 to 5 it climbs from 2 to 17; the plot stops at 16.
        let (a, b) = super::inside(line, (0.0, 5.0), (0.0, 16.0)).expect("inside");
        assert_eq!(a, 0.0);
        assert!(
            (b - 14.0 / 3.0).abs() < 1e-9 && (line(b) - 16.0).abs() < 1e-9,
            "{b}"
        );
        // Falling below the plot on the left.
        let (a, _) = super::inside(|x| -4.0 + 2.0 * x, (0.0, 5.0), (0.0, 16.0)).expect("inside");
        assert!((a - 2.0).abs() < 1e-9, "{a}");
        assert_eq!(super::inside(|_| 20.0, (0.0, 5.0), (0.0, 16.0)), None);
        assert_eq!(super::inside(|_| 8.0, (0.0, 5.0), (0.0, 16.0)), Some((0.0, 5.0)));
        assert_eq!(super::inside(|x| 30.0 + x, (0.0, 5.0), (0.0, 16.0)), None);
    }

    #[test]
    fn cut_labels_do_not_cross_each_others_lines() {
        let svg = histogram_of(&[10.0, 50.0, 90.0], 99.0, Some(59.4), Some(46.5));
        let label = |name: &str| {
            svg.split("<text")
                .find(|t| t.contains(name))
                .map(str::to_string)
                .unwrap_or_default()
        };
        assert!(
            label("standard-set cut 46.5").contains(r#"text-anchor="end""#),
            "{svg}"
        );
        assert!(
            label("provisional cut 59.4").contains(r#"text-anchor="start""#),
            "{svg}"
        );
    }

    #[test]
    fn a_histogram_counts_in_whole_candidates() {
        let ticks = y_ticks(&histogram_of(&[10.0, 11.0, 12.0, 50.0, 51.0], 60.0, None, None));
        assert!(!ticks.is_empty());
        for t in &ticks {
            assert!(t.parse::<u64>().is_ok(), "a whole number: {t:?} in {ticks:?}");
        }
    }

    #[test]
    fn a_bar_that_cannot_be_computed_says_why_and_the_scale_starts_where_asked() {
        let svg = bars(
            "α if each station is deleted",
            &[
                ("knee".into(), Ok(0.93)),
                (
                    "hip".into(),
                    Err("no candidate is complete at every station".into()),
                ),
            ],
            None,
            0.8,
        );
        assert!(
            svg.contains("cannot be computed: no candidate is complete"),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="scale""#) && svg.contains(">0.8</text>"),
            "{svg}"
        );
    }
}
