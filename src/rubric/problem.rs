//! What the validator found: errors that make a rubric unusable, and
//! warnings about things that are allowed but probably not meant.

use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One mistake (or suspicion) in a rubric, located by its path inside the
/// rubric, such as `stations[2].items[4].scale`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub path: String,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{word} at {}: {}", self.path, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Names longer than this get no "did you mean": nobody mistypes a name
/// that long, and comparing two long names costs the product of their
/// lengths (two 60,000-character labels once took a 28 GB table).
pub const MAX_SUGGEST_CHARS: usize = 64;

/// The closest of `candidates` to `word`, if it is close enough to be a
/// likely typo.
///
/// The work is bounded whatever the input: a word or candidate longer than
/// [`MAX_SUGGEST_CHARS`] is not compared, nor is a candidate whose length
/// differs from the word's by more than the edits allowed (the distance is
/// at least that difference).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    if length > MAX_SUGGEST_CHARS {
        return None;
    }
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let c_length = c.chars().count();
            let allowed = (c_length.max(3) / 3).max(1);
            if c_length > MAX_SUGGEST_CHARS || length.abs_diff(c_length) > allowed {
                return None;
            }
            let d = edit_distance(&lower, &c.to_lowercase());
            (d <= allowed).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// [`did_you_mean`], else the one of `candidates` the word begins
/// (`upper` for `upper-limb`), where only one does and the word is more
/// than a letter or two: for an id typed by a person (a station named on
/// the command line), not for telling a header row from data.
pub fn did_you_mean_or_begun<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    did_you_mean(word, candidates.iter().copied()).or_else(|| {
        let lower = word.to_lowercase();
        let mut begun = candidates
            .iter()
            .filter(|c| word.chars().count() >= 3 && c.to_lowercase().starts_with(&lower));
        match (begun.next(), begun.next()) {
            (Some(one), None) => Some(*one),
            _ => None,
        }
    })
}

/// Edit distance in characters, counting a swap of two neighbouring
/// characters (`titel` for `title`) as one edit.
///
/// Keeps three rows of the table (a swap looks two rows back), so memory
/// grows with the length of `b` only; time is still the product of the
/// lengths, which is why [`did_you_mean`] bounds them first.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i - 2, i - 1 and i of the full table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        // Rotate: the oldest row is overwritten next.
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Text from a user's file is shown whole in a message up to this many
/// characters, and shortened beyond.
pub const QUOTE_CHARS: usize = 60;

/// `text` for a message: whole up to [`QUOTE_CHARS`] characters, else its
/// first characters, `…` and its length, `xxxx… (1048576 characters)`, so
/// that a megabyte in one cell or label makes a message of a line, not a
/// megabyte. See [`quoted`] for the same in double quotes.
pub fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}… ({} characters)", &text[..cut], text.chars().count())),
    }
}

/// `"text"` for a message, shortened as [`shorten`] does with the length
/// outside the quotes: `"xxxx…" (1048576 characters)`.
pub fn quoted(text: &str) -> String {
    quoted_in(text, '"')
}

/// [`quoted`] with another quotation mark, such as `` ` `` for names in a
/// rubric's syntax.
pub fn quoted_in(text: &str, mark: char) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => format!("{mark}{text}{mark}"),
        Some((cut, _)) => format!(
            "{mark}{}…{mark} ({} characters)",
            &text[..cut],
            text.chars().count()
        ),
    }
}

/// `"a", "b" or "c"`, for messages that list what is allowed (each name
/// shortened as [`quoted`] does).
pub fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quoted(n.as_ref())).collect();
    match quoted.as_slice() {
        [] => "none defined".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("abcdef", "badcfe"), 3);
        assert_eq!(edit_distance("Straße", "Strasse"), 2);
    }

    /// The rows kept give what the whole table gives.
    #[test]
    fn distances_match_the_full_table() {
        fn full(a: &str, b: &str) -> usize {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i;
            }
            d[0] = (0..=b.len()).collect();
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(d[i - 2][j - 2] + 1);
                    }
                    d[i][j] = best;
                }
            }
            d[a.len()][b.len()]
        }
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "titel", "title", "global5", "global-5",
        ];
        for a in words {
            for b in words {
                assert_eq!(edit_distance(a, b), full(a, b), "{a:?} / {b:?}");
            }
        }
    }

    #[test]
    fn suggestions() {
        let names = ["done-notdone", "global5", "nd-pd-d"];
        assert_eq!(did_you_mean("global-5", names), Some("global5"));
        assert_eq!(did_you_mean("Global5", names), Some("global5"));
        assert_eq!(did_you_mean("entirely-different", names), None);
        // The one name a word begins, where only one does (a person's
        // id only: never in telling a header from data).
        assert_eq!(did_you_mean("upper", ["upper-limb", "lower-limb"]), None);
        let limbs = ["upper-limb", "lower-limb"];
        assert_eq!(did_you_mean_or_begun("upper", &limbs), Some("upper-limb"));
        assert_eq!(did_you_mean_or_begun("Upper", &limbs), Some("upper-limb"));
        assert_eq!(did_you_mean_or_begun("limb", &limbs), None);
        assert_eq!(did_you_mean_or_begun("case", &["case-one", "case-two"]), None);
        assert_eq!(did_you_mean_or_begun("up", &["upper-limb"]), None);
    }

    #[test]
    fn long_names_get_no_suggestion() {
        let long = "x".repeat(MAX_SUGGEST_CHARS + 1);
        let near = format!("{long}y");
        assert_eq!(did_you_mean(&near, [long.as_str()]), None);
        assert_eq!(did_you_mean(&long, ["x"]), None);
        // At the limit a typo is still found.
        let at_limit = "x".repeat(MAX_SUGGEST_CHARS);
        let typo = format!("{}y", &at_limit[1..]);
        assert_eq!(did_you_mean(&typo, [at_limit.as_str()]), Some(at_limit.as_str()));
    }

    #[test]
    fn long_text_is_shortened() {
        assert_eq!(shorten("C001"), "C001");
        assert_eq!(quoted("C001"), "\"C001\"");
        let at_limit = "é".repeat(QUOTE_CHARS);
        assert_eq!(shorten(&at_limit), at_limit);
        assert_eq!(quoted(&at_limit), format!("\"{at_limit}\""));
        let long = format!("{at_limit}{}", "x".repeat(1_000_000));
        assert_eq!(shorten(&long), format!("{at_limit}… (1000060 characters)"));
        assert_eq!(quoted(&long), format!("\"{at_limit}…\" (1000060 characters)"));
        assert_eq!(
            one_of(&[long.as_str(), "b"]),
            format!("\"{at_limit}…\" (1000060 characters) or \"b\"")
        );
    }

    #[test]
    fn lists() {
        assert_eq!(one_of(&["a"]), "\"a\"");
        assert_eq!(one_of(&["a", "b", "c"]), "\"a\", \"b\" or \"c\"");
        assert_eq!(one_of::<&str>(&[]), "none defined");
    }
}
