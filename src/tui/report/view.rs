//! The report screen's views: the overview, the stations with their
//! scatter plots, reliability and examiners.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Wrap};

use super::{MIN_HEIGHT, MIN_WIDTH, ReportApp, View};
use crate::analysis::report::markdown::{flag_lines, method_words};
use crate::base::text::fit;
use crate::scoring::fmt_marks;
use crate::tui::theme::Theme;

pub fn render(app: &ReportApp, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    if app.too_small() {
        let text = format!(
            "The terminal is {}×{}; the report needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Make the window larger.",
            app.width, app.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [tabs, body, footer] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1), Constraint::Length(1)]).areas(area);
    // Every view's tab stays on the line: the title gives way first.
    let tabs_width: usize = View::ALL.iter().map(|v| v.title().chars().count() + 3).sum();
    let room = (area.width as usize).saturating_sub(tabs_width);
    let full = format!("{}: quality report   ", app.report.title);
    let title = if full.chars().count() <= room {
        full
    } else {
        format!(
            "{} ",
            crate::base::text::fit(&app.report.title, room.saturating_sub(1))
        )
    };
    let mut spans = vec![Span::styled(title, theme.title())];
    for v in View::ALL {
        let style = if v == app.view {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(format!(" {} ", v.title()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    match app.view {
        View::Overview => overview(app, frame, body, theme),
        View::Stations => stations(app, frame, body, theme),
        View::Reliability => reliability(app, frame, body, theme),
        View::Examiners => examiners(app, frame, body, theme),
    }
    let keys = crate::tui::keys::footer_spans(super::keys::for_screen(true), theme);
    frame.render_widget(Paragraph::new(Line::from(keys)), footer);
    if app.help {
        let notes = vec![
            Line::from(""),
            Line::styled(
                "Every figure, its formula and its thresholds: docs/report.md.",
                theme.dim(),
            ),
        ];
        crate::tui::keys::draw_help(
            frame,
            body,
            super::keys::for_screen(false),
            (14, 70),
            notes,
            theme,
        );
    }
}

fn f2(v: Option<f64>) -> String {
    v.map(crate::scoring::fmt_fixed2).unwrap_or_else(|| "—".into())
}

fn marks(v: Option<f64>) -> String {
    v.map(|x| fmt_marks((x * 100.0).round() / 100.0))
        .unwrap_or_else(|| "—".into())
}

fn overview(app: &ReportApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let e = &app.report.exam;
    let [text, plot] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let mut lines = vec![
        Line::from(format!(
            "{}; {} complete at every station (listwise, for α and the SEM)",
            crate::base::text::plural(e.candidates, "candidate", "candidates"),
            e.complete
        )),
        Line::from(format!(
            "Cronbach's α {}   SD of totals {}   SEM {}",
            match &e.alpha {
                Ok(a) => format!("{a:.2}"),
                Err(d) => format!("— ({d})"),
            },
            f2(e.sd_total),
            f2(e.sem)
        )),
        Line::from(format!(
            "Cut score: provisional {}, standard-set {}{}",
            marks(e.cut_provisional),
            marks(e.cut_standard_set),
            match (e.plus_sem, e.sem) {
                (Some(k), Some(_)) => format!(" (+ {k} × SEM)"),
                (Some(k), None) => format!(" (+ {k} × SEM not added: no SEM)"),
                (None, _) => String::new(),
            }
        )),
        Line::from(format!(
            "{} pass marks: {} pass, {} fail, {} incomplete",
            if app.report.standard_setting {
                "Provisional"
            } else {
                "The rubric's"
            },
            e.counts_provisional.0,
            e.counts_provisional.1,
            e.counts_provisional.2
        )),
        Line::from(if app.report.standard_setting {
            format!(
                "Standard-set pass marks: {} pass, {} fail, {} incomplete",
                e.counts_standard_set.0, e.counts_standard_set.1, e.counts_standard_set.2
            )
        } else {
            "(no station's pass mark is left to standard setting)".to_string()
        }),
        Line::from(
            "(the examiners' marks, before moderation and decisions: osce export gives the results after them)",
        ),
        // Which pass marks are in force, as the other formats' first lines
        // say.
        Line::from(match &app.report.adopted {
            Some(words) => format!("Pass marks in force: adopted by decision: {words}"),
            None => {
                "Pass marks in force: the rubric's own (provisional where standard-set); none adopted yet"
                    .to_string()
            }
        }),
    ];
    // The Hofstee cut, where the judges' bounds were given.
    if let Some(h) = &e.hofstee {
        use crate::analysis::hofstee::Meets;
        lines.push(Line::from(match h {
            Ok(h) => format!(
                "Hofstee cut {} ({:.2}% of the total; {:.1}% below it){}",
                marks(Some(h.cut_marks)),
                h.cut_percent,
                h.fail_percent,
                match h.meets {
                    Meets::Inside => "",
                    Meets::BelowMinCut => ": no intersection, the lowest acceptable cut applies",
                    Meets::AboveMaxCut => ": no intersection, the highest acceptable cut applies",
                }
            ),
            Err(why) => format!("Hofstee cut: {why}"),
        }));
    }
    for (reason, n) in e.incomplete_reasons.iter().take(2) {
        lines.push(Line::styled(format!("  incomplete ({n}): {reason}"), theme.dim()));
    }
    lines.extend([Line::from(""), Line::styled("Flags", theme.strong())]);
    let mut flags = flag_lines(&e.flags);
    for s in &app.report.stations {
        flags.extend(
            flag_lines(&s.flags)
                .into_iter()
                .map(|l| format!("'{}': {l}", s.id)),
        );
    }
    flags.extend(
        e.examiners
            .iter()
            .filter_map(|x| x.flag.as_ref())
            .flat_map(|f| flag_lines(std::slice::from_ref(f))),
    );
    if flags.is_empty() {
        lines.push(Line::styled(
            "None: every figure is within the usual thresholds.",
            theme.ok(),
        ));
    }
    for f in flags {
        lines.push(Line::from(format!("· {}", f.replace("**", "").replace('*', ""))));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .scroll((app.scroll, 0)),
        text,
    );
    // Histogram of totals with the cut scores in the title: as many bins
    // (up to 12) as there is room for, so that none is off the edge.
    const BAR: u16 = 3;
    let inner = plot.width.saturating_sub(2);
    let bins = usize::from((inner + 1) / (BAR + 1)).clamp(1, 12);
    let max = e.total_max.max(1.0);
    let mut counts = vec![0u64; bins];
    for t in &e.totals {
        counts[(((t / max) * bins as f64) as usize).min(bins - 1)] += 1;
    }
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let lo = max * i as f64 / bins as f64;
            let cut = e.cut_standard_set.or(e.cut_provisional).unwrap_or(-1.0);
            let style = if lo + max / bins as f64 <= cut {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            Bar::default()
                .value(*c)
                .label(Line::from(fmt_marks(lo.round())))
                .style(if theme.colour { style } else { Style::new() })
        })
        .collect();
    let title = format!(
        " Totals (red: wholly below the cut {}) ",
        marks(e.cut_standard_set.or(e.cut_provisional))
    );
    frame.render_widget(
        BarChart::default()
            .block(Block::bordered().title(title))
            .data(BarGroup::default().bars(&bars))
            .bar_width(BAR)
            .bar_gap(1),
        plot,
    );
}

fn stations(app: &ReportApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [list, detail] = Layout::horizontal([Constraint::Length(26), Constraint::Min(30)]).areas(area);
    let lines: Vec<Line> = app
        .report
        .stations
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = if s.flags.is_empty() { "  " } else { "! " };
            let text = fit(&format!("{mark}{}", s.id), 24);
            if i == app.selected {
                Line::styled(text, theme.selected())
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Stations ")),
        list,
    );
    let Some(s) = app.report.stations.get(app.selected) else {
        return;
    };
    let [figures, chart] = Layout::vertical([Constraint::Length(9), Constraint::Min(8)]).areas(detail);
    let mut lines = vec![
        Line::styled(format!("{} ({})", s.title, s.id), theme.strong()),
        // Which pass mark is in force first: the rest may be cut short in
        // a small window.
        Line::from(format!("Pass mark: {}", method_words(s, &app.report))),
        Line::from(format!(
            "n {}  missing {}  mean {}  SD {}  min {}  max {} of {}",
            s.n,
            s.missing,
            marks(s.mean),
            f2(s.sd),
            marks(s.min),
            marks(s.max_score),
            fmt_marks(s.max)
        )),
    ];
    match &s.regression {
        Ok(r) => lines.push(Line::from(format!(
            "BRM pass mark {}{}  R² {}  slope {:.2} ({:.1}% of max)  failing {} ({:.1}%)",
            marks(Some(r.pass_mark)),
            r.ci95
                .map(|(a, b)| format!(" (95% CI {}–{})", marks(Some(a)), marks(Some(b))))
                .unwrap_or_default(),
            r.fit
                .r2
                .map_or_else(|| "— (no spread in scores)".to_string(), |v| format!("{v:.2}")),
            r.fit.slope,
            r.discrimination_share * 100.0,
            r.failing,
            r.failing_share * 100.0
        ))),
        Err(why) => lines.push(Line::from(format!("Borderline regression: {why}"))),
    }
    // Every other method's pass mark (the regression has its line above).
    for m in s
        .methods
        .iter()
        .filter(|m| m.name != crate::scoring::SetMethod::BorderlineRegression)
    {
        let name = m.name.to_string();
        let title = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        lines.push(Line::from(match &m.result.pass_mark {
            Ok(v) => format!("{title} pass mark {}{}", marks(Some(*v)), m.result.detail),
            Err(why) => format!("{title}: {why}"),
        }));
    }
    lines.push(Line::from(format!(
        "η² by examiner {}{}",
        match &s.by_examiner {
            Ok(w) => format!("{:.0}%", w.eta2 * 100.0),
            Err(d) => format!("— ({})", crate::analysis::report::between_words(d, "examiner")),
        },
        match &s.by_circuit {
            Some(Ok(w)) => format!(
                "   by circuit {:.0}% (chance {:.0}%)",
                w.eta2 * 100.0,
                w.chance() * 100.0
            ),
            _ => String::new(),
        },
    )));
    for f in &s.flags {
        lines.push(Line::styled(
            format!("{}: {}", f.level.word(), f.text),
            theme.warn(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), figures);

    // Score against global rating, with the line and the pass mark.
    let lines = scatter_lines(s, chart.width.saturating_sub(2), chart.height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Score by global rating ")),
        chart,
    );
}

/// The score-by-rating plot drawn with characters: a column for each
/// grade, its label under it; points that fall in one cell shown as their
/// count; the regression line and the pass mark; axis titles, and a legend
/// on a line of its own, so that it hides no point.
pub fn scatter_lines(
    s: &crate::analysis::report::StationReport,
    width: u16,
    height: u16,
) -> Vec<Line<'static>> {
    let (width, height) = (usize::from(width), usize::from(height));
    let max = s.max.max(1.0);
    let y_label = |v: f64| fmt_marks((v * 10.0).round() / 10.0);
    // The pass mark applied (adopted, or the station's method's), else
    // the regression's.
    let pass_mark = s
        .standard_set
        .or_else(|| s.regression.as_ref().ok().map(|r| r.pass_mark));
    let left = [y_label(max), y_label(0.0)]
        .iter()
        .chain(pass_mark.map(y_label).iter())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        + 2;
    // Rows: the plot, the x axis, the grade labels, the x title, the legend.
    let rows = height.saturating_sub(5);
    let cols = width.saturating_sub(left + 1);
    let k = s.grades.len();
    if rows < 3 || k == 0 || cols < k * 2 {
        return vec![Line::from("(too small to draw the plot: widen the window)")];
    }
    let band = cols / k;
    let cols = band * k;
    let row_of = |score: f64| -> usize {
        let r = ((1.0 - (score / max).clamp(0.0, 1.0)) * (rows - 1) as f64).round();
        r as usize
    };
    // The grade index of a code, and the centre column of each grade.
    let centre = |i: usize| i * band + band / 2;
    let index_of = |code: f64| s.grades.iter().position(|(c, _)| (*c - code).abs() < 1e-9);
    let mut counts = vec![vec![0usize; cols]; rows];
    for (code, score) in &s.points {
        if let Some(i) = index_of(*code) {
            counts[row_of(*score)][centre(i)] += 1;
        }
    }
    // The line: from the grade codes to columns, linearly between centres.
    let code_at = |col: usize| -> f64 {
        let x = (col as f64 - (band / 2) as f64) / band as f64;
        let (lo, hi) = (
            x.floor().max(0.0) as usize,
            (x.ceil().max(0.0) as usize).min(k - 1),
        );
        let lo = lo.min(k - 1);
        let t = x - lo as f64;
        let (a, b) = (s.grades[lo].0, s.grades[hi].0);
        a + (b - a) * t.clamp(-0.5, 1.5)
    };
    let mut grid: Vec<Vec<(char, Style)>> = vec![vec![(' ', Style::new()); cols]; rows];
    if let Some(p) = pass_mark {
        let r = row_of(p);
        for cell in &mut grid[r] {
            *cell = ('─', Style::new().fg(Color::Green));
        }
    }
    if let Ok(reg) = &s.regression {
        for (col, _) in (0..cols).map(|c| (c, ())) {
            let r = row_of(reg.fit.predict(code_at(col)));
            grid[r][col] = ('·', Style::new().fg(Color::Red));
        }
    }
    for (r, row) in counts.iter().enumerate() {
        for (c, &n) in row.iter().enumerate() {
            if n > 0 {
                let ch = match n {
                    1 => '•',
                    2..=9 => char::from_digit(n as u32, 10).unwrap_or('+'),
                    _ => '+',
                };
                grid[r][c] = (
                    ch,
                    Style::new()
                        .fg(Color::Cyan)
                        .add_modifier(ratatui::style::Modifier::BOLD),
                );
            }
        }
    }
    let mut lines = Vec::new();
    lines.push(Line::from(format!("{:>w$}", "score", w = left.saturating_sub(1))));
    for (r, row) in grid.into_iter().enumerate() {
        let label = if r == 0 {
            y_label(max)
        } else if r == rows - 1 {
            y_label(0.0)
        } else if pass_mark.is_some_and(|p| row_of(p) == r) {
            y_label(pass_mark.unwrap_or(0.0))
        } else {
            String::new()
        };
        let mut spans = vec![Span::raw(format!("{label:>w$} │", w = left - 2))];
        spans.extend(
            row.into_iter()
                .map(|(ch, style)| Span::styled(ch.to_string(), style)),
        );
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(format!(
        "{:>w$}└{}",
        "",
        "─".repeat(cols),
        w = left - 1
    )));
    let mut labels = String::new();
    for (_, label) in &s.grades {
        labels.push_str(&centred(fit(label, band.saturating_sub(1)).trim_end(), band));
    }
    lines.push(Line::from(format!("{:w$}{labels}", "", w = left)));
    lines.push(Line::from(format!(
        "{:w$}{}",
        "",
        centred("global rating", cols),
        w = left
    )));
    let mut legend = vec![
        Span::styled("• ", Style::new().fg(Color::Cyan)),
        Span::raw("a candidate, "),
        Span::styled("2-9 ", Style::new().fg(Color::Cyan)),
        Span::raw("that many, "),
        Span::styled("+ ", Style::new().fg(Color::Cyan)),
        Span::raw("10 or more"),
    ];
    if s.regression.is_ok() {
        legend.push(Span::raw("   "));
        legend.push(Span::styled("·", Style::new().fg(Color::Red)));
        legend.push(Span::raw(" regression"));
    }
    if let Some(p) = pass_mark {
        legend.push(Span::raw("   "));
        legend.push(Span::styled("─", Style::new().fg(Color::Green)));
        legend.push(Span::raw(format!(" pass mark {}", y_label(p))));
    }
    lines.push(Line::from(legend));
    lines
}

/// `text` in the middle of `width` columns.
fn centred(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n >= width {
        return text.chars().take(width).collect();
    }
    let before = (width - n) / 2;
    format!("{}{text}{}", " ".repeat(before), " ".repeat(width - n - before))
}

fn bar_chart<'a>(title: &'a str, values: &[(String, Option<f64>)]) -> BarChart<'a> {
    let bars: Vec<Bar> = values
        .iter()
        .map(|(id, v)| {
            Bar::default()
                .value((v.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0).round() as u64)
                .text_value(v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into()))
                .label(Line::from(fit(id, 14)))
        })
        .collect();
    BarChart::default()
        .block(Block::bordered().title(title))
        .direction(ratatui::layout::Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .max(100)
}

fn reliability(app: &ReportApp, frame: &mut Frame, area: Rect, _theme: &Theme) {
    let r = &app.report;
    let cols = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(area);
    let alpha: Vec<(String, Option<f64>)> = r
        .exam
        .alpha_if_deleted
        .iter()
        .map(|(id, a)| (id.clone(), a.as_ref().ok().copied()))
        .collect();
    let title_alpha = format!(
        " α if deleted (α {}) ",
        r.exam
            .alpha
            .as_ref()
            .map(|a| format!("{a:.2}"))
            .unwrap_or_else(|_| "—".into())
    );
    frame.render_widget(bar_chart(&title_alpha, &alpha), cols[0]);
    let r2: Vec<(String, Option<f64>)> = r
        .stations
        .iter()
        .map(|s| (s.id.clone(), s.regression.as_ref().ok().and_then(|g| g.fit.r2)))
        .collect();
    frame.render_widget(bar_chart(" R² (watch < 0.5) ", &r2), cols[1]);
    let eta: Vec<(String, Option<f64>)> = r
        .stations
        .iter()
        .map(|s| (s.id.clone(), s.by_examiner.as_ref().ok().map(|w| w.eta2)))
        .collect();
    frame.render_widget(bar_chart(" η² by examiner (≥ 0.3 watch) ", &eta), cols[2]);
}

fn examiners(app: &ReportApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let e = &app.report.exam;
    let mut lines = vec![Line::styled(
        format!(
            "{:<14} {:<10} {:>5} {:>7} {:>9} {:>8} {:>7} {:>9}",
            "station", "examiner", "n", "mean", "station", "diff SD", "pass", "station"
        ),
        theme.strong(),
    )];
    if e.examiners.is_empty() {
        lines.push(Line::styled(
            "No station has more than one examiner.",
            theme.dim(),
        ));
    } else {
        lines.insert(
            0,
            Line::styled(
                crate::analysis::report::markdown::pass_rates_at(&app.report),
                theme.dim(),
            ),
        );
    }
    for x in &e.examiners {
        let text = format!(
            "{:<14} {:<10} {:>5} {:>7} {:>9} {:>8} {:>6.0}% {:>8.0}%",
            fit(&x.station, 14),
            fit(&x.examiner, 10),
            x.n,
            marks(Some(x.mean)),
            marks(Some(x.station_mean)),
            x.difference_sd
                .map(|d| format!("{d:+.2}"))
                .unwrap_or_else(|| "—".into()),
            x.pass_rate * 100.0,
            x.station_pass_rate * 100.0
        );
        lines.push(if x.flag.is_some() {
            Line::styled(text, theme.warn())
        } else {
            Line::from(text)
        });
    }
    let dm = &e.double_marking;
    if dm.agreement.pairs > 0 {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(
                "Double marking: {} cells (by station, first two markers)",
                dm.agreement.pairs
            ),
            theme.strong(),
        ));
        for s in &dm.stations {
            lines.push(Line::from(format!(
                "  {}: weighted kappa {} over {}; ICC(2,1) {} over {} (out of {})",
                s.station,
                f2(s.kappa.1),
                crate::base::text::plural(s.kappa.0, "pair", "pairs"),
                f2(s.icc.1),
                crate::base::text::plural(s.icc.0, "pair", "pairs"),
                fmt_marks(s.max)
            )));
        }
        for p in &dm.pooled_kappa {
            lines.push(Line::from(format!(
                "  pooled over {} ({}): weighted kappa {} over {}",
                p.stations.join(", "),
                p.scale,
                f2(p.kappa),
                crate::base::text::plural(p.pairs, "pair", "pairs")
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).scroll((app.scroll, 0)), area);
}
