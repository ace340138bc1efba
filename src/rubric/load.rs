//! Reading a rubric file: bytes → text → RON → checked rubric, with every
//! problem located in the file.

use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Rubric;
use super::file::RubricFile;
use super::problem::{Severity, did_you_mean, one_of, quoted_in};
use super::spans::SpanMap;
use super::validate::validate;

/// Rubrics are small; anything larger is not a rubric, and reading it all
/// would only waste the examiner's time and memory.
pub const MAX_RUBRIC_BYTES: u64 = 4 * 1024 * 1024;

/// RON nesting deeper than this is refused before it can exhaust the stack.
pub const MAX_NESTING: usize = 64;

/// A file could not be read as text. These are not mistakes in a rubric but
/// problems reaching one (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read it: {source}{hint}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
        /// What to do about it ([`missing_hint`]), worked out as the
        /// error is made, not each time it is said.
        hint: String,
    },
    #[error("{path}: is a folder, not a rubric file")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: is larger than {} MiB, too large to be a rubric; check you named the right file",
        MAX_RUBRIC_BYTES / 1024 / 1024
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path}: is an SQLite database (an exam archive made by osce collect?), not a rubric: give the rubric's \
         .ron file first and the archive after --archive, as in: osce status exam.ron --archive {path}"
    )]
    Database { path: PathBuf },
    #[error(
        "{path}: is a CSV file (a roster, a logbook, paper marks or results?), not a rubric: the rubric's .ron file \
         comes first, where the command asks for RUBRIC, and the CSV file after it or after its option (as in \
         osce logbook exam.ron {path}, or osce status exam.ron --roster {path})"
    )]
    Csv { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the rubric as UTF-8 (in most editors: Save As, \
         Encoding UTF-8)"
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        /// What the bytes are instead ([`crate::base::text::not_utf8_why`]).
        why: String,
    },
}

/// What to do about a rubric file that is not there: the rubric file
/// beside it that was most likely meant (its name a typo away, or the one
/// name begun in the other), else the rubric files in that folder, where
/// there are a few; and an assessor sent an archive alone needs the rubric
/// too.
fn missing_hint(path: &Path, e: &std::io::Error) -> String {
    if e.kind() != std::io::ErrorKind::NotFound {
        return String::new();
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let mut rubrics: Vec<PathBuf> = std::fs::read_dir(folder.unwrap_or(Path::new(".")))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ron")))
                .map(|p| match folder {
                    Some(_) => p,
                    None => PathBuf::from(p.file_name().unwrap_or_default()),
                })
                .collect()
        })
        .unwrap_or_default();
    rubrics.sort();
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    let wanted = stem(path);
    let near: Vec<&PathBuf> = rubrics
        .iter()
        .filter(|p| {
            let s = stem(p);
            !wanted.is_empty()
                && (s.starts_with(&wanted)
                    || wanted.starts_with(&s)
                    || crate::base::ids::a_typo_away(&s, &wanted))
        })
        .collect();
    let beside = match (near.as_slice(), rubrics.len()) {
        ([one], _) => format!("; did you mean {}? Otherwise", one.display()),
        (_, 1..=8) => format!(
            "; the rubric files there are {}",
            rubrics
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    };
    format!(
        "{}check the path (an exam archive holds the sheets, not the rubric: the rubric's .ron file the exam was \
         marked with comes beside it, from the module leader)",
        if beside.ends_with("Otherwise") {
            format!("{beside} ")
        } else {
            format!("{beside}; ")
        }
    )
}

/// Reads a file as UTF-8 text, refusing folders, huge files and binary data.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let io = |source: std::io::Error| ReadError::Io {
        path: path.to_path_buf(),
        hint: missing_hint(path, &source),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    // An exam archive given where the rubric goes is said to be one, at
    // any size.
    const SQLITE: &[u8] = b"SQLite format 3\0";
    let mut bytes = Vec::new();
    (&file)
        .take(SQLITE.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes == SQLITE {
        return Err(ReadError::Database {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_RUBRIC_BYTES {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    // Devices and pipes report no length, so the limit is enforced while
    // reading too.
    file.take(MAX_RUBRIC_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_RUBRIC_BYTES {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    // Some editors start UTF-8 files with a byte-order mark, which RON
    // would take for a stray character before the rubric.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let good = &e.as_bytes()[..bad];
        // The valid prefix is text, so lines and columns can be counted.
        let prefix = String::from_utf8_lossy(good);
        let (line, column) = line_col(&prefix, prefix.len());
        ReadError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            why: crate::base::text::not_utf8_why(e.as_bytes(), bad),
        }
    })?;
    // UTF-16 without a byte-order mark is valid UTF-8 full of zero bytes,
    // which RON would only call a stray character.
    if let Some(nul) = text.find('\0') {
        let (line, column) = line_col(&text[..nul], nul);
        return Err(ReadError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            why: crate::base::text::not_utf8_why(text.as_bytes(), nul),
        });
    }
    // A CSV file given where the rubric goes (the arguments swapped): said
    // to be one, not parsed as a rubric with a syntax error at its header.
    let csv_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"));
    let header = text.lines().next().unwrap_or("").trim().to_ascii_lowercase();
    let csv_header =
        ["candidate_id", "judge,"].iter().any(|h| header.starts_with(h)) && !header.contains('(');
    if csv_name || csv_header {
        return Err(ReadError::Csv {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

/// One problem found in a rubric, ready to show: where (line, column and
/// path inside the rubric), what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Path inside the rubric, e.g. `stations[2].items[4].scale`. Absent
    /// for syntax errors, where the text has no structure yet.
    pub path: Option<String>,
    /// Byte range in the source.
    pub span: Option<Range<usize>>,
    /// 1-based line and column (in characters) of the span's start.
    pub line: usize,
    pub column: usize,
}

/// The outcome of checking one rubric text.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub source: String,
    pub rubric: Option<Rubric>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Parses and validates rubric text. `name` is how the file is named in
/// messages.
pub fn check_str(name: &str, source: &str) -> Checked {
    // A file saved with a carriage return alone ending each line (as old
    // Mac editors write): a comment would run to the end of the file.
    let lines_ended;
    let source = if source.contains('\r') {
        lines_ended = lone_carriage_returns_as_newlines(source);
        lines_ended.as_str()
    } else {
        source
    };
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING);
    if is_blank(source) {
        return Checked {
            name: name.to_string(),
            source: source.to_string(),
            rubric: None,
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                message: "the file is empty".to_string(),
                help: Some(
                    "a rubric is one group: ( id: \"...\", title: \"...\", ... ); see docs/rubric-format.md"
                        .to_string(),
                ),
                path: None,
                span: None,
                line: 1,
                column: 1,
            }],
        };
    }
    let file: RubricFile = match options.from_str(source) {
        Ok(file) => file,
        Err(e) => {
            return Checked {
                name: name.to_string(),
                source: source.to_string(),
                rubric: None,
                diagnostics: vec![syntax_diagnostic(source, &e)],
            };
        }
    };
    let (rubric, problems) = validate(&file);
    // Locating paths costs a second pass over the text: only pay it when
    // there is something to show.
    let spans = if problems.is_empty() {
        SpanMap::default()
    } else {
        SpanMap::new(source)
    };
    let diagnostics = problems
        .into_iter()
        .map(|p| {
            let span = spans.find(&p.path);
            let (line, column) = span.as_ref().map_or((1, 1), |s| line_col(source, s.start));
            Diagnostic {
                severity: p.severity,
                message: p.message,
                help: p.help,
                path: Some(p.path),
                span,
                line,
                column,
            }
        })
        .collect();
    Checked {
        name: name.to_string(),
        source: source.to_string(),
        rubric,
        diagnostics,
    }
}

/// `text` with each carriage return not followed by a newline made a
/// newline: a byte for a byte, so every place in the text stays where it
/// was. (A rubric's identity reads line endings the same way.)
fn lone_carriage_returns_as_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            c
        });
    }
    out
}

/// Reads and checks a rubric file.
pub fn check_file(path: &Path) -> Result<Checked, ReadError> {
    let text = read_text(path)?;
    Ok(check_str(&path.display().to_string(), &text))
}

/// Everything that can stop a command from getting a usable rubric.
#[derive(Debug)]
pub enum LoadError {
    Read(ReadError),
    Invalid(Box<Checked>),
}

/// Reads a rubric that must be valid to go on (for every command but
/// `check`). Warnings come back with the rubric.
pub fn load(path: &Path) -> Result<(Rubric, Checked), LoadError> {
    let mut checked = check_file(path).map_err(LoadError::Read)?;
    match checked.rubric.take() {
        Some(rubric) => Ok((rubric, checked)),
        None => Err(LoadError::Invalid(Box::new(checked))),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column counted in characters, as RON
/// reports them.
pub fn byte_offset(source: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len(),
        }
    }
    let line_text = &source[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

/// Rust type names as the rubric format calls them.
fn rubric_name(rust: &str) -> String {
    match rust {
        "AssessmentKind" => "kind".to_string(),
        "TimeUp" => "time_up".to_string(),
        "Critical" => "critical".to_string(),
        "PassMarkFile" | "FixedMarkFile" => "pass mark".to_string(),
        "PassRuleFile" => "pass rule".to_string(),
        "LevelsFile" => "levels".to_string(),
        "CutFile" => "cut".to_string(),
        "StationsPassedFile" => "StationsPassed".to_string(),
        "ComponentKindFile" => "component kind".to_string(),
        "ModerationModeFile" => "moderation mode".to_string(),
        "DoubleMarkingModeFile" => "double marking mode".to_string(),
        "ReconcileFile" => "reconcile".to_string(),
        other => other.trim_end_matches("File").to_string(),
    }
}

fn syntax_diagnostic(source: &str, e: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error as E;
    let (message, help) = match &e.code {
        E::NoSuchStructField { expected, found, outer } => {
            let place = outer.as_deref().map(|o| format!(" in {}", rubric_name(o))).unwrap_or_default();
            let hint = match did_you_mean(found, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            (
                format!("unknown field {}{place}", quoted_in(found, '`')),
                Some(format!(
                    "{hint}the fields allowed here are {}",
                    expected.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                )),
            )
        }
        E::NoSuchEnumVariant { expected, found, outer } => {
            let place = outer.as_deref().map(|o| format!(" for {}", rubric_name(o))).unwrap_or_default();
            let hint = match did_you_mean(found, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            (
                format!("unknown choice {}{place}", quoted_in(found, '`')),
                Some(format!("{hint}write one of {}", one_of(expected).replace('"', "`"))),
            )
        }
        E::MissingStructField { field, outer } => {
            let place = outer.as_deref().map(|o| format!(" in {}", rubric_name(o))).unwrap_or_default();
            // The rubric's group ended here while the file goes on: a `)`
            // too many just before this point closed it early, most likely.
            let at = byte_offset(source, e.span.start.line, e.span.start.col);
            let early = outer.as_deref() == Some("RubricFile")
                && source
                    .get(at..)
                    .is_some_and(|rest| rest.lines().any(|l| !l.trim().is_empty() && !l.trim().starts_with("//")));
            (
                format!("missing field `{field}`{place}"),
                Some(if early {
                    format!(
                        "the rubric's group ends here, but the file goes on: a `)` too many just before this point \
                         closes it early; else add `{field}: ...` (docs/rubric-format.md lists every field)"
                    )
                } else {
                    format!("add `{field}: ...`; docs/rubric-format.md lists every field")
                }),
            )
        }
        E::DuplicateStructField { field, outer } => {
            let place = outer.as_deref().map(|o| format!(" in {}", rubric_name(o))).unwrap_or_default();
            (format!("field `{field}` is given twice{place}"), Some("keep one of them".to_string()))
        }
        E::ExceededRecursionLimit => (
            format!("values are nested more than {MAX_NESTING} deep"),
            Some("a rubric never needs this much nesting; check for unclosed brackets".to_string()),
        ),
        E::Eof => (
            "the file ends before the rubric does".to_string(),
            Some(match unclosed_before(source, source.len()) {
                Some((open, at)) => {
                    let (line, column) = line_col(source, at);
                    format!(
                        "the `{open}` at line {line}, column {column} is not closed: add its `{}` where what it holds \
                         ends",
                        closing(open)
                    )
                }
                None => "check for a missing closing bracket `)` or `]`".to_string(),
            }),
        ),
        E::ExpectedMapColon => (
            "expected a colon".to_string(),
            Some("write fields as `name: value`, e.g. course: \"PgDip Ultrasound\"".to_string()),
        ),
        E::ExpectedComma => (
            "expected a comma".to_string(),
            Some("separate fields and list entries with commas; if text in quotes before this point lacks its closing `\"`, it runs on to here".to_string()),
        ),
        E::ExpectedIdentifier => (
            "expected a field name".to_string(),
            Some("write fields as `name: value`; a `,`, `)` or `]` may be missing just before this point".to_string()),
        ),
        E::ExpectedDifferentStructName { expected, found } => (
            format!(
                "expected another {} `( ... )` here, but found {}",
                rubric_name(expected).to_lowercase(),
                quoted_in(found, '`')
            ),
            Some(format!(
                "the list before this point may be missing its closing `]`, or {} its `:`",
                quoted_in(found, '`')
            )),
        ),
        E::ExpectedNamedStructLike(name) if *name == "RubricFile" && e.span.start.line == 1 && e.span.start.col == 1 => (
            "expected `(` to start the rubric".to_string(),
            Some("a rubric is one group: ( id: \"...\", title: \"...\", ... ); see docs/rubric-format.md".to_string()),
        ),
        E::ExpectedNamedStructLike(name) => (
            format!("expected `(` to open a {} group", rubric_name(name).to_lowercase()),
            Some("groups of fields are written in round brackets: (name: value, ...)".to_string()),
        ),
        // Within a list of text, a field's name: the list was not closed.
        E::ExpectedString | E::ExpectedStringEnd
            if field_name_at(source, byte_offset(source, e.span.start.line, e.span.start.col))
                && unclosed_before(source, byte_offset(source, e.span.start.line, e.span.start.col))
                    .is_some_and(|(open, _)| open == '[') =>
        {
            let at = byte_offset(source, e.span.start.line, e.span.start.col);
            let (line, column) = unclosed_before(source, at).map_or((0, 0), |(_, o)| line_col(source, o));
            (
                "expected text in double quotes".to_string(),
                Some(format!(
                    "the list `[` at line {line}, column {column} is not closed: add `]` after its last entry, \
                     before this field"
                )),
            )
        }
        E::ExpectedString | E::ExpectedStringEnd => (
            "expected text in double quotes".to_string(),
            Some("write text as \"...\", e.g. title: \"Shoulder\"; a quote inside text is written \\\"".to_string()),
        ),
        E::IntegerOutOfBounds => (
            "this number is out of range".to_string(),
            Some("write a whole number of zero or more, without a decimal point".to_string()),
        ),
        E::ExpectedBoolean => (
            "expected true or false".to_string(),
            Some("write `true` or `false`, without quotes".to_string()),
        ),
        E::ExpectedFloat | E::ExpectedInteger => (
            "expected a number".to_string(),
            Some("write numbers without quotes, e.g. weight: 2 or mark: 1.5".to_string()),
        ),
        E::ExpectedArray | E::ExpectedArrayEnd => (
            first_upper_lower(&e.code.to_string()),
            Some("lists are written in square brackets: [a, b, c]".to_string()),
        ),
        E::ExpectedStructLike | E::ExpectedStructLikeEnd => (
            first_upper_lower(&e.code.to_string()),
            Some("groups of fields are written in round brackets: (name: value, ...); check for a missing `(`, `)` or `,`".to_string()),
        ),
        E::SuggestRawIdentifier(found) | E::InvalidIdentifier(found) => (
            format!("{} cannot stand here", quoted_in(found, '`')),
            Some(if found.starts_with(|c: char| c.is_ascii_digit()) {
                "a number is not allowed here: a choice is expected, e.g. `StationsPassed(AtLeast(5))` rather than \
                 `StationsPassed(5)`; docs/rubric-format.md shows each one"
                    .to_string()
            } else {
                "names are letters, digits and `_`, not starting with a digit; text goes in double quotes".to_string()
            }),
        ),
        E::TrailingCharacters => (
            "there is more text after the end of the rubric".to_string(),
            Some("the rubric is one (...) group; remove what follows it, or check for a `)` closed too early".to_string()),
        ),
        other => (first_upper_lower(&other.to_string()), None),
    };
    let offset = byte_offset(source, e.span.start.line, e.span.start.col);
    let (line, column) = (e.span.start.line, e.span.start.col);
    let end = {
        let end = byte_offset(source, e.span.end.line, e.span.end.col);
        if end > offset {
            end
        } else {
            next_char_end(source, offset)
        }
    };
    let mut diagnostic = Diagnostic {
        severity: Severity::Error,
        message,
        help,
        path: None,
        span: Some(offset..end),
        line,
        column,
    };
    let message = diagnostic.message.clone();
    curly_quotes(source, offset, &mut diagnostic);
    // A curly quote is the first thing to put right.
    if diagnostic.message == message {
        written_as_elsewhere(source, offset, &e.code, &mut diagnostic);
    }
    diagnostic
}

/// The closing bracket of `open`.
fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// Whether the text at `offset` is a field's name followed by its colon
/// (`time_up: Soft`).
fn field_name_at(source: &str, offset: usize) -> bool {
    let rest = source.get(offset..).unwrap_or("");
    let name = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    name > 0 && rest[name..].trim_start().starts_with(':')
}

/// The innermost bracket (`(`, `[` or `{`) opened before `offset` and not
/// closed before it, with where it is: text in quotes, raw text and
/// comments skipped, as RON reads them.
fn unclosed_before(source: &str, offset: usize) -> Option<(char, usize)> {
    let text = source.get(..offset.min(source.len()))?;
    let bytes = text.as_bytes();
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = super::identity::block_comment_end(bytes, i, b'/', b'*');
                continue;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let start = i + 1 + hashes;
                if bytes.get(start) == Some(&b'"') {
                    let end = format!("\"{}", "#".repeat(hashes));
                    i = text[start + 1..]
                        .find(&end)
                        .map_or(bytes.len(), |n| start + 1 + n + end.len());
                    continue;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' => open.push(('(', i)),
            b'[' => open.push(('[', i)),
            b'{' => open.push(('{', i)),
            b')' | b']' | b'}' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    open.pop()
}

/// Says so where a syntax error comes from a value written as a person
/// writes it elsewhere (a spreadsheet, a form): a percentage with `%`, a
/// decimal comma, or a bare number where a pass mark or a cut is a choice.
fn written_as_elsewhere(source: &str, offset: usize, code: &ron::error::Error, d: &mut Diagnostic) {
    use ron::error::Error as E;
    let at = offset.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    let (before, after) = (&source[line_start..at], &source[at..line_end]);
    let number = |text: &str| !text.is_empty() && text.parse::<f64>().is_ok_and(f64::is_finite);
    // The value the error is at, as written: up to the next `,`, `)` or
    // space (`60%`, `"60%"`).
    let token = after
        .trim_start()
        .split(|c: char| c == ',' || c == ')' || c == ']' || c.is_whitespace())
        .next()
        .unwrap_or("");
    // A value written `60%` or `"60%"` where a choice is (the error at
    // it), or a number followed by `%` (the error at the sign): not text
    // that merely holds a percentage, a comma missing before it.
    let whole_token = matches!(token.strip_prefix('"'), Some(rest) if rest.ends_with('"') && rest.len() > 1)
        || !token.contains('"');
    let unquoted = token.trim_matches('"');
    let at_choice = matches!(
        code,
        E::ExpectedIdentifier | E::InvalidIdentifier(_) | E::SuggestRawIdentifier(_)
    );
    let percent_sign = after.starts_with('%') && before.ends_with(|c: char| c.is_ascii_digit())
        || at_choice && whole_token && unquoted.strip_suffix('%').is_some_and(number);
    if percent_sign {
        d.message = "a percentage is written without `%`".to_string();
        d.help = Some(
            "write `Percent(60)` for a pass mark or cut that is a percentage (`Marks(12)` for one in marks), and \
             `percent: 80` inside `Competency(...)` or `Sample(...)`; docs/rubric-format.md shows each"
                .to_string(),
        );
        return;
    }
    // `Marks(1,5)`: the error is at the digits after the comma.
    let whole: String = before
        .strip_suffix(',')
        .map(|b| {
            b.chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .unwrap_or_default()
        .chars()
        .rev()
        .collect();
    let fraction: String = after.chars().take_while(char::is_ascii_digit).collect();
    let in_brackets = matches!(code, E::ExpectedStructLikeEnd | E::ExpectedStructLike);
    if in_brackets && !whole.is_empty() && !fraction.is_empty() {
        d.message = "a decimal is written with a point".to_string();
        d.help = Some(format!(
            "write `{whole}.{fraction}`, not `{whole},{fraction}`: a comma separates fields and list entries"
        ));
        return;
    }
    // A number where a time is: times are text, minutes and seconds.
    let field = before
        .trim_end()
        .strip_suffix(':')
        .map(str::trim_end)
        .and_then(|f| f.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next());
    let in_list = before.trim_end().ends_with('[') || before.trim_end().ends_with(',');
    if matches!(code, E::ExpectedString | E::ExpectedStringEnd)
        && number(token)
        && (matches!(field, Some("station" | "reading" | "changeover"))
            || in_list && before.contains("warnings"))
    {
        d.help = Some(format!(
            "a time is written as minutes and seconds in double quotes: `\"{token}:00\"` for {token} minutes, \
             `\"0:30\"` for 30 seconds"
        ));
        return;
    }
    // A bare number where a choice is: its field's choices.
    if at_choice && number(token) {
        let choices = match field {
            Some("pass_mark") => {
                "a pass mark is one of `Percent(60)`, `Marks(12)`, `Competency(percent: 80)`, \
                 `GlobalRatingAtLeast(\"label\")`, `BorderlineRegression(provisional: Percent(60))` and \
                 `BorderlineGroup(provisional: Percent(60))`"
            }
            Some("provisional") => "a provisional pass mark is `Percent(60)` or `Marks(12)`",
            Some("cut") => "a cut is `SumOfStationPassMarks`, `Percent(60)` or `Marks(120)`",
            _ => return,
        };
        d.help = Some(format!("{choices}; docs/rubric-format.md shows each"));
    }
}

/// Quotes a word processor (or an editor's autocorrect) types in place of
/// the straight `"`: RON takes none of them as quotes.
const CURLY: [char; 6] = ['“', '”', '„', '‘', '’', '‚'];

/// Says so where a syntax error comes from curly quotes: the error is at
/// one (text opened with `“`), or the text that ran on to the error holds
/// one where it should have closed (`"Shoulder”,`).
fn curly_quotes(source: &str, offset: usize, d: &mut Diagnostic) {
    let at = offset.min(source.len());
    let skipped = source[at..].len() - source[at..].trim_start().len();
    if let Some(c) = source[at + skipped..]
        .chars()
        .next()
        .filter(|c| CURLY.contains(c))
    {
        let start = at + skipped;
        let (line, column) = line_column(source, start);
        d.message = format!("{c} is a curly quote, not the straight quote \" that text is written in");
        d.help = Some(
            "replace the curly quotes around text (“ ” ‘ ’) with straight ones: \"...\" (a word processor, or \
             autocorrect, types curly quotes; inside text they may stay)"
                .to_string(),
        );
        d.span = Some(start..start + c.len_utf8());
        d.line = line;
        d.column = column;
        return;
    }
    // An error at an opening quote is text never closed (to the end of
    // the file): that text; otherwise the last text before the error.
    let opening = at + skipped;
    let text = if source[opening..].starts_with('"') {
        last_text_before(source, source.len()).filter(|t| t.start == opening + 1)
    } else {
        last_text_before(source, at)
    };
    let Some(text) = text else {
        return;
    };
    // A curly quote followed by nothing but `,` `)` `]` up to the end of
    // its line, within text that runs on over that line break, was meant
    // to close the text: `"Shoulder”,` and on to the next line. One
    // within a line (`‘red flags’, then`, `(“ICE”)`) is a quote in it.
    let closing = source[text.clone()].char_indices().find(|&(i, c)| {
        CURLY.contains(&c) && {
            let after = &source[text.start + i + c.len_utf8()..text.end];
            after.find('\n').is_some_and(|eol| {
                after[..eol]
                    .chars()
                    .all(|x| matches!(x, ',' | ')' | ']' | ' ' | '\t' | '\r'))
            })
        }
    });
    if let Some((i, c)) = closing {
        // Pointed at the curly quote, the cause, not where the text that
        // ran on from it ended.
        let start = text.start + i;
        let (line, column) = line_column(source, start);
        let runs_to = if text.end == source.len() {
            "to the end of the file".to_string()
        } else {
            format!(
                "to the next straight quote, on line {}, and what follows that is out of place",
                d.line
            )
        };
        d.help = Some(format!(
            "so the text runs on {runs_to}: replace the curly quotes around text (“ ” ‘ ’) with straight ones"
        ));
        d.message = format!("{c} is a curly quote where a straight quote \" should close the text");
        d.span = Some(start..start + c.len_utf8());
        d.line = line;
        d.column = column;
    }
}

/// The line and column (both from 1, the column in characters) of the
/// byte `offset`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The bytes within the quotes of the last text in quotes that closes
/// before `offset`, or runs on to it unclosed (comments and raw text
/// `r#"…"#` skipped, `\"` inside text not a quote).
fn last_text_before(source: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let bytes = source.as_bytes();
    let end = offset.min(bytes.len());
    let mut last = None;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = source[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            // Raw text: `r"…"` or `r#"…"#`, closed by a quote and as many `#`.
            b'r' if matches!(bytes.get(i + 1), Some(b'#' | b'"'))
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let from = i + 2 + hashes;
                i = source[from..]
                    .find(&close)
                    .map_or(bytes.len(), |n| from + n + close.len());
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= end {
                    // Open at the error: the text that ran on to it.
                    last = Some(start..end);
                    break;
                }
                last = Some(start..j);
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    last
}

/// Whether the text holds nothing but whitespace and comments.
fn is_blank(source: &str) -> bool {
    let mut rest = source.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            match after.split_once("*/") {
                Some((_, r)) => rest = r.trim_start(),
                None => return false,
            }
        } else {
            return rest.is_empty();
        }
    }
}

fn next_char_end(source: &str, offset: usize) -> usize {
    source[offset.min(source.len())..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8())
}

fn first_upper_lower(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let source = "ab\nçé x\n";
        let x = source.find('x').expect("x");
        assert_eq!(line_col(source, x), (2, 4));
        assert_eq!(byte_offset(source, 2, 4), x);
        assert_eq!(byte_offset(source, 1, 1), 0);
        assert_eq!(byte_offset(source, 9, 9), source.len());
    }

    #[test]
    fn the_bracket_left_open_is_found_past_text_and_comments() {
        let source =
            "(\n  a: \"(not [this\", // ) a comment ]\n  b: [r#\"]\"#, /* ( /* ] */ ) */ 1,\n  c: (x: 2),\n";
        let (open, at) = unclosed_before(source, source.len()).expect("the list is open");
        assert_eq!(open, '[');
        assert_eq!(line_col(source, at), (3, 6));
        let inner = source.find("x: 2").expect("x");
        assert_eq!(unclosed_before(source, inner).map(|(o, _)| o), Some('('));
        assert_eq!(unclosed_before("(a: [1, 2])", 11), None);
        assert!(field_name_at("time_up: Soft", 0));
        assert!(!field_name_at("\"2:00\"", 0));
    }
}
