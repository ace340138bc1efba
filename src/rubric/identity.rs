//! A rubric's identity: the hash of what it says, not of its bytes.
//!
//! Every record an examiner writes names the rubric it was marked against,
//! so that marks are never read against another exam. A module leader who
//! opens the rubric in another editor and saves it (Windows line endings,
//! one more blank line, a comment added for a colleague, a byte-order
//! mark) has not changed the exam, and the sheets must still match it. So
//! the hash is taken over the rubric's *tokens*: comments are dropped,
//! whitespace between tokens is dropped (or kept as one space where two
//! words would otherwise run together), and line endings are made `\n`
//! everywhere, inside strings too. Anything that changes what the rubric
//! says (a mark, a word of an item's text, a field) changes the hash.

/// What the canonical text is prefixed with before hashing: a new scheme
/// would get a new tag, so two schemes can never give the same hash.
const TAG: &str = "osce rubric content v1\n";

/// The BLAKE3 hash (64 lowercase hex digits) of a rubric's content.
pub fn content_hash(source: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(TAG.as_bytes());
    hasher.update(canonical(source).as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// Where the block comment starting at `i` (`/*`, written with `slash` and
/// `star`) ends, just past its matching `*/`: RON's block comments nest.
/// The end of `text` where it is not closed.
pub(crate) fn block_comment_end<T: PartialEq + Copy>(text: &[T], mut i: usize, slash: T, star: T) -> usize {
    let mut depth = 0usize;
    while i < text.len() {
        if text[i] == slash && text.get(i + 1) == Some(&star) {
            depth += 1;
            i += 2;
        } else if text[i] == star && text.get(i + 1) == Some(&slash) {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// The rubric's text with comments and insignificant whitespace removed
/// and line endings made `\n`: two files that differ only in those give
/// the same canonical text.
pub fn canonical(source: &str) -> String {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Comments: a line comment to the end of its line, a block comment
        // (RON's nest) to its matching end.
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            space = true;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i = block_comment_end(&chars, i, '/', '*');
            space = true;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if space && out.chars().next_back().is_some_and(is_word) && starts_word(&chars, i) {
            out.push(' ');
        }
        space = false;
        // Raw strings (r"…", r#"…"#) are copied whole, as written.
        if c == 'r' && !out.chars().next_back().is_some_and(is_word) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) == Some(&'"') {
                let start = i;
                i += 2 + hashes;
                while i < chars.len() {
                    if chars[i] == '"'
                        && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes
                    {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
                out.extend(&chars[start..i.min(chars.len())]);
                continue;
            }
        }
        // Strings and characters are copied whole, escapes included.
        if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            out.extend(&chars[start..i]);
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Characters that make up a word (an identifier or a number): two words
/// separated only by whitespace must stay separated.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '+'
}

fn starts_word(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(|&c| is_word(c) || c == '"' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUBRIC: &str =
        "// An exam\n(\n    id: \"y3\", // the id\n    title: \"Year 3\",\n    pass: Some(12.5),\n)\n";

    #[test]
    fn layout_comments_and_line_endings_do_not_change_the_hash() {
        let same = [
            RUBRIC.to_string(),
            RUBRIC.replace('\n', "\r\n"),
            format!("{RUBRIC}\n\n"),
            format!("\u{feff}{RUBRIC}"),
            RUBRIC.replace("    ", "\t"),
            "(id:\"y3\",title:\"Year 3\",pass:Some(12.5),)".to_string(),
            "/* a note /* nested */ */\n(id: \"y3\",\n title: \"Year 3\", pass: Some( 12.5 ),)".to_string(),
        ];
        for text in &same {
            assert_eq!(content_hash(text), content_hash(RUBRIC), "{text:?}");
        }
    }

    #[test]
    fn what_the_rubric_says_changes_the_hash() {
        let different = [
            RUBRIC.replace("12.5", "13.5"),
            RUBRIC.replace("Year 3", "Year  3"),
            RUBRIC.replace("Year 3", "Year 3 // not a comment"),
            RUBRIC.replace("title", "titles"),
            RUBRIC.replace("Some(12.5)", "Some(12 .5)"),
        ];
        for text in &different {
            assert_ne!(content_hash(text), content_hash(RUBRIC), "{text:?}");
        }
    }

    #[test]
    fn strings_keep_their_spaces_and_escapes() {
        assert_eq!(canonical("( a : \"x  // y\" , b: 'c' )"), "(a:\"x  // y\",b:'c')");
        assert_eq!(canonical("(a: \"say \\\"hi\\\"  \")"), "(a:\"say \\\"hi\\\"  \")");
        assert_eq!(canonical("(a: r#\"x \" y\"#, b: 1)"), "(a:r#\"x \" y\"#,b:1)");
        assert_eq!(canonical("Some (x)"), "Some(x)");
        assert_eq!(canonical("a  b"), "a b");
        // A multi-line string saved with Windows line endings is the same text.
        assert_eq!(canonical("(a: \"one\r\ntwo\")"), canonical("(a: \"one\ntwo\")"));
    }

    #[test]
    fn unfinished_text_is_taken_as_it_is() {
        for text in ["(a: \"open", "/* open", "(a: r#\"open", "'", "\"\\"] {
            let _ = content_hash(text);
        }
    }
}
