//! The report as one self-contained HTML file for the exam board: the
//! Markdown report's text and tables, and the plots as inline SVG. No
//! scripts, no fonts, images or styles from elsewhere.

use super::{Report, markdown, svg};

pub fn render(r: &Report) -> String {
    let text = markdown::render(r);
    let mut body = String::new();
    let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut body, parser);

    let mut plots = String::from("<h2 id=\"plots\">Plots</h2>\n<div class=\"plots\">\n");
    plots.push_str(&svg::histogram(&r.exam));
    let alpha: Vec<(String, Result<f64, String>)> = r
        .exam
        .alpha_if_deleted
        .iter()
        .map(|(id, a)| (id.clone(), a.as_ref().copied().map_err(ToString::to_string)))
        .collect();
    let alpha_line = r.exam.alpha.as_ref().ok().map(|a| (*a, "α"));
    // α if deleted lies near α: the axis starts where the data is.
    let lowest = alpha
        .iter()
        .filter_map(|(_, a)| a.as_ref().ok())
        .chain(alpha_line.as_ref().map(|(a, _)| a))
        .fold(1.0f64, |m, a| m.min(*a));
    let from = ((lowest - 0.05) * 10.0).floor() / 10.0;
    plots.push_str(&svg::bars(
        "α if each station is deleted",
        &alpha,
        alpha_line,
        from.max(0.0),
    ));
    let r2: Vec<(String, Result<f64, String>)> = r
        .stations
        .iter()
        .map(|s| {
            let r2 = match &s.regression {
                Ok(g) => g.fit.r2.ok_or_else(|| "no spread in scores".to_string()),
                Err(d) => Err(d.to_string()),
            };
            (s.id.clone(), r2)
        })
        .collect();
    plots.push_str(&svg::bars(
        "R² of borderline regression",
        &r2,
        Some((0.5, "0.5")),
        0.0,
    ));
    let eta: Vec<(String, Result<f64, String>)> = r
        .stations
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.by_examiner
                    .as_ref()
                    .map(|w| w.eta2)
                    .map_err(ToString::to_string),
            )
        })
        .collect();
    plots.push_str(&svg::bars("η² by examiner", &eta, Some((0.3, "30%")), 0.0));
    for s in &r.stations {
        plots.push_str(&svg::scatter(s));
    }
    plots.push_str("</div>\n");

    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: exam quality report</title>
<style>
body {{ font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #111; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }}
th, td {{ border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; }}
th {{ background: #eee; }}
.plots svg {{ margin: 0.5em; border: 1px solid #ddd; }}
.provenance {{ color: #444; font-size: 0.8em; }}
@media print {{
  .plots svg {{ page-break-inside: avoid; }}
  body {{ margin-bottom: 2.5em; }}
  .provenance.every-page {{ position: fixed; bottom: 0; left: 0; right: 0; background: #fff;
    border-top: 1px solid #bbb; padding: 0.2em 0; }}
}}
@media screen {{ .provenance.every-page {{ display: none; }} }}
</style>
</head>
<body>
{body}
{plots}
<div class="provenance every-page">{provenance}</div>
</body>
</html>
"#,
        title = svg::esc(&r.title),
        // Printed at the foot of every page (a fixed element repeats on
        // each printed page); on screen it is said under the title.
        provenance = r
            .provenance
            .as_ref()
            .map(|p| svg::esc(&p.line()))
            .unwrap_or_default()
    )
}
