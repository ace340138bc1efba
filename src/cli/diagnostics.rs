//! Showing rubric problems to a person: `file:line:col`, the line with a
//! caret under the mistake, what is wrong and what to do (miette).

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
};
use osce::rubric::{Checked, Diagnostic, Severity};

/// One diagnostic with its source, in the shape miette renders.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    heading: String,
    source: NamedSource<Arc<str>>,
    /// False when the lines to show are too long to print usefully.
    show_source: bool,
}

/// Lines longer than this are not printed under a diagnostic (a file of
/// one enormous line would fill the screen); the heading still says where.
const LONG_LINE: usize = 400;

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Report<'_> {}

impl MietteDiagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if !self.show_source {
            return None;
        }
        self.diagnostic
            .span
            .as_ref()
            .map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.show_source {
            return None;
        }
        let span = self.diagnostic.span.clone()?;
        let label = match &self.diagnostic.path {
            Some(path) => format!("here ({path})"),
            None => "here".to_string(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(label),
            span.start..span.end,
        ))))
    }
}

/// Whether to use colour: only on a terminal, and never with `NO_COLOR`.
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Renders every diagnostic of a checked file, each headed by
/// `file:line:col` so that editors and people can jump to it.
pub fn render(checked: &Checked, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        // The heading is one line, so that scripts can read it line by line.
        .with_wrap_lines(false)
        // miette counts columns in bytes; the heading gives them in characters.
        .without_primary_span_start();
    let source: Arc<str> = Arc::from(checked.source.as_str());
    let mut out = String::new();
    for d in &checked.diagnostics {
        let mut heading = match &d.path {
            Some(path) => format!("{}:{}:{}: {path}: {}", checked.name, d.line, d.column, d.message),
            None => format!("{}:{}:{}: {}", checked.name, d.line, d.column, d.message),
        };
        let longest = checked
            .source
            .lines()
            .skip(d.line.saturating_sub(2))
            .take(3)
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let show_source = longest <= LONG_LINE;
        if !show_source && d.span.is_some() {
            heading.push_str(&format!(
                " (line {} is too long to show: {longest} characters)",
                d.line
            ));
        }
        let report = Report {
            diagnostic: d,
            heading,
            source: NamedSource::new(&checked.name, source.clone()),
            show_source,
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&report.heading);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
