//! The report as Markdown: readable as it is, and the text of the HTML
//! report.

use std::fmt::Write;

use super::{Flag, Report, StationReport};
use crate::scoring::{SetMethod, fmt_marks};

pub(crate) fn f2(v: f64) -> String {
    crate::scoring::fmt_fixed2(v)
}

pub(crate) fn m1(v: f64) -> String {
    fmt_marks((v * 100.0).round() / 100.0)
}

fn opt(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "—".to_string())
}

pub(crate) fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The flags as list lines.
pub fn flag_lines(flags: &[Flag]) -> Vec<String> {
    flags
        .iter()
        .map(|f| format!("**{}**: {}. *What to do:* {}.", f.level.word(), f.text, f.action))
        .collect()
}

/// A station's standard-setting line in report `r`: its method, its pass
/// marks, and which is in force. The standard-set one is the one every
/// command applies only once adopted (`osce decide pass-marks`); until
/// then the provisional one is.
pub fn method_words(s: &StationReport, r: &Report) -> String {
    let standing = if r.applied.is_some() {
        "saved by this run"
    } else if r.adopted.is_some() {
        "adopted"
    } else {
        ""
    };
    match (s.method, s.standard_set, s.provisional) {
        (Some(SetMethod::Provisional), Some(_), Some(p)) if !standing.is_empty() => {
            format!("provisional {} kept, {standing}", m1(p))
        }
        (Some(m), Some(set), Some(p)) if !standing.is_empty() => {
            format!("{m}: {}, {standing} (provisional {})", m1(set), m1(p))
        }
        (Some(m), Some(set), Some(p)) => format!(
            "{m}: {}, not adopted yet (provisional {} in force)",
            m1(set),
            m1(p)
        ),
        (Some(m), None, Some(p)) => format!("{m} cannot be computed: provisional {} stays", m1(p)),
        _ => "not standard-set".to_string(),
    }
}

/// Fewer complete candidates than this, and the brief gives no verdict on
/// reliability.
const FEW_TO_JUDGE: usize = 10;

/// The whole report as Markdown, section by section.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    header(&mut out, r);
    summary(&mut out, r);
    flags(&mut out, r);
    whole_exam(&mut out, r);
    stations(&mut out, r);
    angoff_against_regression(&mut out, r);
    items(&mut out, r);
    examiners(&mut out, r);
    double_marking(&mut out, r);
    footer(&mut out, r);
    out
}

/// The first page in plain English: is the exam reliable enough, what
/// needs attention and why, what the pass marks are and how they were set.
fn summary(out: &mut String, r: &Report) {
    use crate::base::text::plural;
    let e = &r.exam;
    let _ = writeln!(
        out,
        "## For the exam board, in brief
"
    );
    // Reliability.
    let phi = e
        .d_study
        .iter()
        .find(|(n, _, _)| *n == r.stations.len())
        .and_then(|(_, _, phi)| *phi);
    // Below a handful of complete candidates, α and Φ say next to nothing:
    // no verdict is given on them.
    let complete = e.totals.len();
    let too_few = complete < FEW_TO_JUDGE && e.alpha.is_ok();
    let reliable = match (&e.alpha, e.sem) {
        (Ok(a), _) if too_few => format!(
            "**Too few candidates to judge reliability.** Only {} every {} complete: Cronbach's α ({}) and Φ from \
             so few say next to nothing about the exam. Judge it with the whole cohort, or pooled with an earlier \
             sitting.",
            plural(complete, "candidate has", "candidates have"),
            r.noun.one(),
            f2(*a)
        ),
        (Ok(a), Some(sem)) if *a >= 0.8 => format!(
            "**Reliable enough.** Cronbach's α is {} (0.8 or more is the usual standard for pass/fail decisions); a \
             candidate's total is within about {} marks of their true total two times in three (the SEM).",
            f2(*a),
            f2(sem)
        ),
        (Ok(a), _) if *a >= 0.7 => format!(
            "**Reliable, but below the usual standard.** Cronbach's α is {} (0.8 or more is usual for pass/fail \
             decisions; 0.7 to 0.8 is acceptable with care): look at the stations flagged below.",
            f2(*a)
        ),
        (Ok(a), _) => format!(
            "**Not reliable enough.** Cronbach's α is {} (0.8 or more is usual for pass/fail decisions): results near \
             the cut need caution; see the flags below.",
            f2(*a)
        ),
        (Err(d), _) => format!("**Reliability cannot be judged**: α cannot be computed ({d})."),
    };
    let _ = writeln!(out, "- {reliable}");
    if let Some(phi) = phi.filter(|_| !too_few) {
        let _ = writeln!(
            out,
            "- Pass/fail decisions against the cut are {} (Φ = {}; 0.8 or more is dependable).",
            if phi >= 0.8 {
                "dependable"
            } else {
                "less dependable than usual"
            },
            f2(phi)
        );
    }
    // What needs attention.
    use crate::analysis::report::Level;
    let flagged = |level: Level| -> Vec<String> {
        r.stations
            .iter()
            .filter(|s| s.flags.iter().any(|f| f.level == level))
            .map(|s| format!("'{}'", s.title))
            .collect()
    };
    let (concern, watch) = (flagged(Level::Concern), flagged(Level::Watch));
    let examiners: Vec<String> = e
        .examiners
        .iter()
        .filter(|x| x.flag.is_some())
        .map(|x| format!("{} at {}", x.examiner, x.station))
        .collect();
    // The whole exam's own flags, each by its first words.
    // (With too few candidates, none on α or Φ: the verdict above gives
    // none.)
    let exam_flags: Vec<String> = e
        .flags
        .iter()
        .filter(|f| {
            !(too_few
                && (f.text.starts_with("Cronbach's α")
                    || f.text.starts_with("Φ")
                    || f.text.starts_with("α ")))
        })
        .map(|f| first_words(&f.text).to_string())
        .collect();
    if !exam_flags.is_empty() {
        let _ = writeln!(out, "- About the whole exam: {}.", exam_flags.join("; "));
    }
    let items: Vec<String> = r
        .stations
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .filter(|i| i.flag.is_some())
                .map(move |i| format!("'{}' at '{}'", i.id, s.title))
        })
        .collect();
    if concern.is_empty() && watch.is_empty() && examiners.is_empty() && items.is_empty() {
        // Every figure is within the thresholds only where the whole exam
        // raised no flag either.
        let _ = writeln!(
            out,
            "{}",
            if exam_flags.is_empty() {
                format!(
                    "- No {} or examiner needs attention: every figure is within the usual thresholds.",
                    r.noun.one()
                )
            } else {
                format!(
                    "- No {} or examiner needs attention (the whole exam's flags are above).",
                    r.noun.one()
                )
            }
        );
    } else {
        if !concern.is_empty() {
            let _ = writeln!(
                out,
                "- To act on before the board: {} ({}); the flags below say why and what to do.",
                concern.join(", "),
                r.noun.count(concern.len())
            );
        }
        if !watch.is_empty() {
            let _ = writeln!(out, "- Worth a look: {}.", watch.join(", "));
        }
        if !examiners.is_empty() {
            let _ = writeln!(
                out,
                "- Examiners whose marks stand out from their {}'s: {}.",
                r.noun.one(),
                examiners.join(", ")
            );
        }
        if !items.is_empty() {
            let _ = writeln!(out, "- Flagged by the item analysis: {}.", items.join(", "));
        }
    }
    // The pass marks.
    let (pass, fail, incomplete) = e.counts_standard_set;
    let how = match &r.adopted {
        Some(words) => format!("adopted by decision: {words}"),
        None if !r.standard_setting => "the rubric's own, none of them standard-set".to_string(),
        None => {
            "the rubric's own (provisional where standard-set); none adopted by a decision yet".to_string()
        }
    };
    let _ = writeln!(out, "- The pass marks in force are {how}.");
    if let Some(applied) = &r.applied {
        let _ = writeln!(out, "- The figures below apply {applied}.");
    }
    if !r.standard_setting {
        let (p, f, i) = e.counts_provisional;
        let _ = writeln!(
            out,
            "- Under the rubric's pass marks: {p} pass, {f} fail, {i} incomplete. {COUNTED}\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "- Under the standard-set pass marks: {} pass, {} fail, {} incomplete (under the provisional ones: {} pass, \
         {} fail, {} incomplete). {COUNTED}\n",
        pass, fail, incomplete, e.counts_provisional.0, e.counts_provisional.1, e.counts_provisional.2
    );
}

/// A flag's first words: up to its first colon outside brackets, so that a
/// time within them (`(2026-12-07 19:42 UTC)`) does not cut it short.
fn first_words(text: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => return text[..i].trim(),
            _ => {}
        }
    }
    text.trim()
}

/// What the report's pass, fail and incomplete counts are of: the exam
/// board ratifies the results after moderation and decisions, which the
/// export gives.
pub const COUNTED: &str = "These count the examiners' marks (the sheets that count once conflicts and void sheets \
                           are decided, with the exam lead's rulings on items left unmarked), before moderation and \
                           the exam lead's decisions on absences and station results: the results after them, the \
                           ones to ratify, are in results.csv from `osce export` (and `osce status`).";

/// The title, the cohort and the pass marks in force.
fn header(out: &mut String, r: &Report) {
    let e = &r.exam;
    let _ = writeln!(out, "# {}: exam quality report\n", r.title);
    if let Some(p) = &r.provenance {
        let _ = writeln!(out, "{}\n", p.line());
    }
    let _ = writeln!(
        out,
        "Assessment `{}` · {}, {} with every {} complete (used for α and the SEM: listwise).\n",
        r.assessment,
        crate::base::text::plural(e.candidates, "candidate", "candidates"),
        e.complete,
        r.noun.one()
    );
    if let Some(applied) = &r.applied {
        let _ = writeln!(out, "Pass marks applied in this report: {applied}.\n");
    }
    match &r.adopted {
        Some(words) => {
            let _ = writeln!(out, "Pass marks in force: {words}. Every command uses them.\n");
        }
        None if !r.standard_setting => {
            let _ = writeln!(
                out,
                "Pass marks in force: the rubric's own. It leaves no {}'s pass mark to standard setting, so there \
                 are none to adopt: the standard-setting methods' figures below are for comparison with the \
                 rubric's pass marks only.\n",
                r.noun.one()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Pass marks in force: the rubric's own (provisional where standard-set): none has been adopted by a \
                 decision yet. The standard-set figures below are what the data proposes (`osce decide pass-marks` \
                 adopts a saved record).\n"
            );
        }
    }
}

/// Every flag: the whole exam's, each station's, each examiner's.
fn flags(out: &mut String, r: &Report) {
    let e = &r.exam;
    let mut all_flags: Vec<String> = flag_lines(&e.flags);
    for s in &r.stations {
        all_flags.extend(
            flag_lines(&s.flags)
                .into_iter()
                .map(|l| format!("{} '{}': {l}", r.noun.capital(), s.id)),
        );
    }
    all_flags.extend(
        e.examiners
            .iter()
            .filter_map(|x| x.flag.as_ref())
            .flat_map(|f| flag_lines(std::slice::from_ref(f))),
    );
    // Item analysis: each flagged item, under its station.
    for s in &r.stations {
        for item in s.items.iter().filter(|i| i.flag.is_some()) {
            all_flags.extend(
                flag_lines(item.flag.as_slice())
                    .into_iter()
                    .map(|l| format!("{} '{}': {l}", r.noun.capital(), s.id)),
            );
        }
    }
    let _ = writeln!(out, "## Flags\n");
    if all_flags.is_empty() {
        let _ = writeln!(out, "None: every figure is within the usual thresholds.\n");
    } else {
        for l in &all_flags {
            let _ = writeln!(out, "- {l}");
        }
        let _ = writeln!(out);
    }
}

/// α, the SEM, the cut scores, the counts, α if deleted and the G study.
fn whole_exam(out: &mut String, r: &Report) {
    let e = &r.exam;
    let _ = writeln!(out, "## Whole exam\n");
    let _ = writeln!(out, "| figure | value |\n|---|---|");
    let _ = writeln!(
        out,
        "| Cronbach's α | {} |",
        match &e.alpha {
            Ok(a) => f2(*a),
            Err(d) => format!("cannot be computed: {d}"),
        }
    );
    let _ = writeln!(out, "| SD of totals | {} |", opt(e.sd_total, f2));
    let _ = writeln!(out, "| SEM = SD · √(1 − α) | {} |", opt(e.sem, f2));
    if r.standard_setting {
        let _ = writeln!(
            out,
            "| cut score, provisional pass marks | {} |",
            opt(e.cut_provisional, m1)
        );
        let _ = writeln!(
            out,
            "| cut score, standard-set pass marks{} | {} |",
            e.sem_words(),
            opt(e.cut_standard_set, m1)
        );
    } else {
        let _ = writeln!(
            out,
            "| cut score, the rubric's pass marks | {} |",
            opt(e.cut_provisional, m1)
        );
    }
    if let Some(n) = e.stations_needed {
        let _ = writeln!(
            out,
            "| {} to pass | at least {n} of {} |",
            r.noun.many(),
            r.stations.len()
        );
    }
    let _ = writeln!(
        out,
        "| Cohen's method (60% of the 95th percentile total) | {} |",
        opt(e.cohen_cut, m1)
    );
    hofstee(out, r);
    let (p, f, i) = e.counts_provisional;
    let (sp, sf, si) = e.counts_standard_set;
    let _ = writeln!(out, "\n| | pass | fail | incomplete |\n|---|---|---|---|");
    if r.standard_setting {
        let _ = writeln!(out, "| provisional pass marks | {p} | {f} | {i} |");
        let _ = writeln!(out, "| standard-set pass marks | {sp} | {sf} | {si} |");
    } else {
        let _ = writeln!(out, "| the rubric's pass marks | {p} | {f} | {i} |");
    }
    let _ = writeln!(out, "\n{COUNTED}");
    if !e.incomplete_reasons.is_empty() {
        let _ = writeln!(
            out,
            "\nWhy candidates are incomplete, under the {} pass marks (the most common reasons):\n",
            // The pass marks the figures apply: a record saved by this run,
            // else the adopted ones, else the rubric's.
            if r.applied.is_some() {
                "saved record's"
            } else if r.adopted.is_some() {
                "adopted"
            } else if r.standard_setting {
                "provisional"
            } else {
                "rubric's"
            }
        );
        for (reason, n) in &e.incomplete_reasons {
            let _ = writeln!(out, "- {reason}: {n}");
        }
    }
    let _ = writeln!(
        out,
        "\n### α if each {one} is deleted\n\n| {one} | α if deleted |\n|---|---|",
        one = r.noun.one()
    );
    for (id, a) in &e.alpha_if_deleted {
        let _ = writeln!(
            out,
            "| {id} | {} |",
            a.as_ref().map(|v| f2(*v)).unwrap_or_else(|d| format!("— ({d})"))
        );
    }
    match &e.g {
        Ok(g) => {
            let _ = writeln!(
                out,
                "\n### Generalisability (persons × {many})\n\nVariance components, of each {one}'s score as a percentage of its maximum: persons {:.3}, {many} {:.3}, residual {:.3}.\n\n| {many} | Eρ² | Φ |\n|---|---|---|",
                g.var_person,
                g.var_station,
                g.var_residual,
                one = r.noun.one(),
                many = r.noun.many()
            );
            for (n, er, phi) in &e.d_study {
                let mark = if *n == r.stations.len() {
                    " (this exam)"
                } else {
                    ""
                };
                let _ = writeln!(out, "| {n}{mark} | {} | {} |", opt(*er, f2), opt(*phi, f2));
            }
        }
        Err(d) => {
            let _ = writeln!(out, "\nGeneralisability cannot be computed: {d}.");
        }
    }
}

/// The stations' table (each method's columns in the report's order),
/// then η² by circuit.
fn stations(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n## {}\n", r.noun.capital_many());
    let mut heads: Vec<&str> = vec![r.noun.one(), "n", "missing", "mean", "SD", "min", "max"];
    for m in &r.methods {
        heads.extend(m.table.iter().copied());
    }
    heads.extend(["η² examiner", "pass mark"]);
    let _ = writeln!(out, "| {} |\n|{}", heads.join(" | "), "---|".repeat(heads.len()));
    for s in &r.stations {
        let mut cells: Vec<String> = vec![
            s.id.clone(),
            s.n.to_string(),
            s.missing.to_string(),
            opt(s.mean, m1),
            opt(s.sd, f2),
            opt(s.min, m1),
            opt(s.max_score, m1),
        ];
        for m in &r.methods {
            match s.methods.iter().find(|x| x.id == m.id) {
                Some(x) => cells.extend(x.result.cells.iter().cloned()),
                None => cells.extend(m.table.iter().map(|_| "—".to_string())),
            }
        }
        cells.push(match &s.by_examiner {
            Ok(w) => format!("{} (chance {})", pct(w.eta2), pct(w.chance())),
            Err(d) => format!("— ({})", super::between_words(d, "examiner")),
        });
        cells.push(method_words(s, r));
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    for s in &r.stations {
        match &s.by_circuit {
            Some(Ok(c)) => {
                let _ = writeln!(
                    out,
                    "\nStation '{}': η² by circuit {}; chance alone gives about {} ({} circuits, {} candidates, the smallest circuit {}).",
                    s.id,
                    pct(c.eta2),
                    pct(c.chance()),
                    c.groups,
                    c.n,
                    c.smallest
                );
            }
            Some(Err(d)) => {
                let _ = writeln!(
                    out,
                    "\nStation '{}': η² by circuit cannot be computed: {}.",
                    s.id,
                    super::between_words(d, "circuit")
                );
            }
            None => {}
        }
    }
}

/// The Hofstee cut, where the judges' bounds were given.
fn hofstee(out: &mut String, r: &Report) {
    use crate::analysis::hofstee::Meets;
    let e = &r.exam;
    match &e.hofstee {
        None => {}
        Some(Err(why)) => {
            let _ = writeln!(out, "| Hofstee cut | cannot be computed: {why} |");
        }
        Some(Ok(h)) => {
            let b = &h.bounds;
            let _ = writeln!(
                out,
                "| Hofstee cut ({}; means: cut {}–{}%, fail rate {}–{}%) | {} ({}% of {}; {} of {} complete candidates below it) |",
                crate::base::text::plural(h.judges, "judge", "judges"),
                f2(b.min_cut),
                f2(b.max_cut),
                f2(b.min_fail),
                f2(b.max_fail),
                m1(h.cut_marks),
                f2(h.cut_percent),
                fmt_marks(e.total_max),
                pct(h.fail_percent / 100.0),
                h.candidates
            );
            match h.meets {
                Meets::Inside => {}
                Meets::BelowMinCut => {
                    let _ = writeln!(
                        out,
                        "| Hofstee: no intersection | at the lowest acceptable cut ({}%) {} of the candidates already fail, more than the highest acceptable fail rate ({}%): the lowest acceptable cut applies |",
                        f2(b.min_cut),
                        pct(h.fail_percent / 100.0),
                        f2(b.max_fail)
                    );
                }
                Meets::AboveMaxCut => {
                    let _ = writeln!(
                        out,
                        "| Hofstee: no intersection | even at the highest acceptable cut ({}%) only {} of the candidates fail, fewer than the lowest acceptable fail rate ({}%): the highest acceptable cut applies |",
                        f2(b.max_cut),
                        pct(h.fail_percent / 100.0),
                        f2(b.min_fail)
                    );
                }
            }
        }
    }
}

/// Modified Angoff (set before the exam) beside borderline regression
/// (from the cohort), station by station, where both were computed.
fn angoff_against_regression(out: &mut String, r: &Report) {
    use crate::scoring::SetMethod;
    if !r.methods.iter().any(|m| m.name == SetMethod::ModifiedAngoff) {
        return;
    }
    let _ = writeln!(
        out,
        "\n### Modified Angoff against borderline regression\n\nThe judges' pass marks, set before the exam, beside the \
         pass marks the cohort's own marks give. A large difference asks whether the judges' idea of a borderline \
         candidate matched the examiners'.\n\n| station | Angoff | BRM | Angoff − BRM | share of maximum |\n|---|---|---|---|---|"
    );
    for s in &r.stations {
        let mark = |m: SetMethod| {
            s.methods
                .iter()
                .find(|x| x.name == m)
                .and_then(|x| x.result.pass_mark.as_ref().ok().copied())
        };
        let (a, b) = (
            mark(SetMethod::ModifiedAngoff),
            mark(SetMethod::BorderlineRegression),
        );
        let diff = a.zip(b).map(|(a, b)| a - b);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            s.id,
            opt(a, m1),
            opt(b, m1),
            diff.map(|d| format!("{d:+.2}")).unwrap_or_else(|| "—".into()),
            diff.filter(|_| s.max > 0.0)
                .map(|d| format!("{:+.1}%", d * 100.0 / s.max))
                .unwrap_or_else(|| "—".into())
        );
    }
}

/// Item analysis: one table over every station's items.
fn items(out: &mut String, r: &Report) {
    if r.stations.iter().all(|s| s.items.is_empty()) {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Items\n\nFacility is the mean mark as a share of the item's maximum; the corrected item–total \
         correlation is the item's correlation with the rest of the {one} (the {one}'s other items). \
         Complete results only.\n\n| {one} | item | maximum | n | facility | corrected r | flag |\n|---|---|---|---|---|---|---|",
        one = r.noun.one()
    );
    for s in &r.stations {
        for i in &s.items {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                s.id,
                i.id,
                fmt_marks(i.max),
                i.n,
                opt(i.facility, f2),
                i.corrected_r.map(f2).unwrap_or_else(|| "—".into()),
                i.flag
                    .as_ref()
                    .map(|f| format!("**{}**: {}. *What to do:* {}.", f.level.word(), f.text, f.action))
                    .unwrap_or_default()
            );
        }
    }
}

/// At which pass marks the examiners' pass rates are.
pub fn pass_rates_at(r: &Report) -> &'static str {
    match (r.exam.examiners_at_adopted, &r.applied) {
        // The record saved by this run: not in force until adopted.
        (true, Some(_)) => {
            "Pass rates are at the pass marks of the standard-setting record saved now (not adopted yet)."
        }
        (true, None) => "Pass rates are at the pass marks in force (adopted by a decision).",
        (false, _) if !r.standard_setting => {
            "Pass rates are at the rubric's pass marks (none is left to standard setting)."
        }
        (false, _) => "Pass rates are at the provisional pass marks.",
    }
}

/// Each examiner against the others at the same station.
fn examiners(out: &mut String, r: &Report) {
    let e = &r.exam;
    if !e.examiners.is_empty() {
        let _ = writeln!(
            out,
            "\n## Examiners\n\n{}\n\n| station | examiner | candidates | mean | station mean | difference (SD) | pass rate | station pass rate |\n|---|---|---|---|---|---|---|---|",
            pass_rates_at(r)
        );
        for x in &e.examiners {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                x.station,
                x.examiner,
                x.n,
                m1(x.mean),
                m1(x.station_mean),
                x.difference_sd
                    .map(|d| format!("{d:+.2}"))
                    .unwrap_or_else(|| "—".into()),
                pct(x.pass_rate),
                pct(x.station_pass_rate)
            );
        }
    }
}

/// Agreement between two markers, station by station.
fn double_marking(out: &mut String, r: &Report) {
    let e = &r.exam;
    let dm = &e.double_marking;
    if dm.agreement.pairs > 0 {
        let _ = writeln!(
            out,
            "\n## Double marking\n\n{} candidate × station cells marked by two examiners. Agreement is given station by \
             station (the first two markers): pooling stations whose scores lie on different scales would raise it.\n",
            dm.agreement.pairs
        );
        let _ = writeln!(
            out,
            "| station | maximum | cells | weighted kappa of global ratings (pairs) | ICC(2,1) of scores (complete pairs) |\n|---|---|---|---|---|"
        );
        for s in &dm.stations {
            let kappa = match &s.scale {
                Some(_) => format!("{} ({})", opt(s.kappa.1, f2), s.kappa.0),
                None => "— (no global rating)".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {kappa} | {} ({}) |",
                s.station,
                fmt_marks(s.max),
                s.pairs,
                opt(s.icc.1, f2),
                s.icc.0
            );
        }
        let mut scales: Vec<&(String, Vec<String>)> =
            dm.stations.iter().filter_map(|s| s.scale.as_ref()).collect();
        scales.dedup();
        for (id, categories) in scales {
            let _ = writeln!(
                out,
                "\nKappa's categories ({id}, quadratic weights): {}.",
                categories.join(", ")
            );
        }
        for p in &dm.pooled_kappa {
            let _ = writeln!(
                out,
                "\nPooled over the stations sharing {} ({}): weighted kappa {} over {} (the stations' differences \
                 in difficulty can raise a pooled kappa: judge by the stations').",
                p.scale,
                p.stations.join(", "),
                opt(p.kappa, f2),
                crate::base::text::plural(p.pairs, "pair", "pairs")
            );
        }
        let _ = writeln!(
            out,
            "\nDiscrepancies over the rubric's threshold: {}.",
            dm.agreement.discrepancies.len()
        );
    }
}

/// What the figures use, and where they are explained.
fn footer(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "\n---\nMissing data: {one} figures use every candidate with a complete result at that {one}; α, the SEM and generalisability use only candidates complete at every {one} (listwise). Figures are explained in docs/report.md.",
        one = r.noun.one()
    );
    if let Some(p) = &r.provenance {
        let _ = writeln!(out, "\n{}", p.line());
    }
}
