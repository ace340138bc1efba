//! Finds where a path such as `stations[2].items[4].scale` is written in a
//! RON file, so that a semantic problem can be shown on its line.
//!
//! serde forgets positions once a value is parsed, so this walks the text a
//! second time with a small, forgiving scanner. It runs only on text that
//! RON already accepted, but it never panics and always advances, whatever
//! it is given.

use std::collections::HashMap;
use std::ops::Range;

/// Byte ranges of every value in a RON document, by path.
#[derive(Debug, Default)]
pub struct SpanMap {
    spans: HashMap<String, Range<usize>>,
}

impl SpanMap {
    pub fn new(source: &str) -> SpanMap {
        let mut walker = Walker {
            text: source.as_bytes(),
            pos: 0,
            depth: 0,
            spans: HashMap::new(),
        };
        walker.skip();
        walker.value(String::new());
        SpanMap { spans: walker.spans }
    }

    /// The span of `path`, or of its nearest enclosing value that has one.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut path = path;
        loop {
            if let Some(span) = self.spans.get(path) {
                return Some(span.clone());
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

const MAX_DEPTH: usize = 256;

struct Walker<'a> {
    text: &'a [u8],
    pos: usize,
    depth: usize,
    spans: HashMap<String, Range<usize>>,
}

fn field_path(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.text.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.text[self.pos.min(self.text.len())..].starts_with(s)
    }

    /// Skips whitespace, comments and `#![...]` attributes.
    fn skip(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    self.pos += 2;
                    let mut nesting = 1;
                    while nesting > 0 && self.pos < self.text.len() {
                        if self.starts_with(b"*/") {
                            nesting -= 1;
                            self.pos += 2;
                        } else if self.starts_with(b"/*") {
                            nesting += 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                Some(b'#') if self.peek_at(1) == Some(b'!') => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == b']' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, path: String) {
        let start = self.pos;
        if self.depth >= MAX_DEPTH {
            self.pos = self.text.len();
            return;
        }
        self.depth += 1;
        match self.peek() {
            None => {}
            Some(b'(') => self.group(&path),
            Some(b'[') => self.list(&path),
            Some(b'{') => self.map(&path),
            Some(b'"') => self.string(),
            Some(b'\'') => self.char_literal(),
            Some(b'r') if matches!(self.peek_at(1), Some(b'"' | b'#')) => self.raw_string(),
            Some(b'b') if self.peek_at(1) == Some(b'"') => {
                self.pos += 1;
                self.string();
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.word();
                self.skip();
                if self.peek() == Some(b'(') {
                    // A struct name, an enum variant or `Some(...)`: the
                    // parenthesised part belongs to the same path.
                    self.group(&path);
                }
            }
            Some(_) => self.word(),
        }
        self.depth -= 1;
        let end = self.pos.max(start);
        self.spans.insert(path, start..trim_end(self.text, start, end));
    }

    /// A bare token: identifier, number, `true`, etc. Always consumes at
    /// least one byte.
    fn word(&mut self) {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_whitespace()
                || matches!(c, b',' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b'"')
            {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            self.pos += 1;
        }
    }

    fn string(&mut self) {
        self.pos += 1; // opening quote
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn char_literal(&mut self) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'\'' => return,
                _ => {}
            }
        }
    }

    fn raw_string(&mut self) {
        self.pos += 1; // r
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return;
        }
        self.pos += 1;
        while self.pos < self.text.len() {
            if self.peek() == Some(b'"') && (1..=hashes).all(|k| self.peek_at(k) == Some(b'#')) {
                self.pos += 1 + hashes;
                return;
            }
            self.pos += 1;
        }
    }

    /// `( ... )`: named fields (`name: value`) or unnamed elements. A lone
    /// unnamed element (a newtype variant such as `Marks(12)`) keeps the
    /// enclosing path, so `pass_rules[1]` also finds `MustPass([...])`'s list.
    fn group(&mut self, path: &str) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip();
            match self.peek() {
                None => return,
                Some(b')') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            if let Some(name) = self.field_name() {
                self.skip();
                self.value(field_path(path, &name));
            } else {
                self.pos = before;
                let element_path = if index == 0 {
                    path.to_string()
                } else {
                    format!("{path}.{index}")
                };
                self.value(element_path);
                index += 1;
            }
            if self.pos == before {
                self.pos += 1;
            }
        }
    }

    /// Reads `name:` if that is what comes next (not `name(` or a value).
    fn field_name(&mut self) -> Option<String> {
        let start = self.pos;
        let mut end = start;
        if self.text[start..].starts_with(b"r#") {
            end += 2;
        }
        while end < self.text.len() && (self.text[end].is_ascii_alphanumeric() || self.text[end] == b'_') {
            end += 1;
        }
        if end == start {
            return None;
        }
        let name = String::from_utf8_lossy(&self.text[start..end])
            .trim_start_matches("r#")
            .to_string();
        self.pos = end;
        self.skip();
        if self.peek() == Some(b':') && self.peek_at(1) != Some(b':') {
            self.pos += 1;
            Some(name)
        } else {
            None
        }
    }

    fn list(&mut self, path: &str) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip();
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            self.value(format!("{path}[{index}]"));
            index += 1;
            if self.pos == before {
                self.pos += 1;
            }
        }
    }

    /// `{ key: value, ... }`: entry `i` is recorded as `path[i]`.
    fn map(&mut self, path: &str) {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip();
            match self.peek() {
                None => return,
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            let entry = format!("{path}[{index}]");
            self.value(format!("{entry}.key"));
            self.skip();
            if self.peek() == Some(b':') {
                self.pos += 1;
                self.skip();
                self.value(format!("{entry}.value"));
            }
            self.spans.insert(entry, before..self.pos);
            index += 1;
            if self.pos == before {
                self.pos += 1;
            }
        }
    }
}

fn trim_end(text: &[u8], start: usize, mut end: usize) -> usize {
    end = end.min(text.len());
    while end > start && text[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'a>(source: &'a str, map: &SpanMap, path: &str) -> &'a str {
        &source[map.find(path).expect(path)]
    }

    #[test]
    fn finds_nested_paths() {
        let source = r##"#![enable(implicit_some)]
Rubric(
    id: "x", // a comment with "quotes" and ( brackets
    stations: [
        (id: "a", items: [(id: "i1", scale: "s1"), (id: "i2", scale: "nope")]),
        /* block /* nested */ comment */
        (id: "b", pass_mark: BorderlineRegression(provisional: Marks(12))),
    ],
    pass_rules: [MustPass(["a", "zz"])],
    notes: r#"raw "string" here"#,
    descriptors: { "Done": "yes", "No": "no" },
)"##;
        let map = SpanMap::new(source);
        assert_eq!(text_at(source, &map, "id"), "\"x\"");
        assert_eq!(text_at(source, &map, "stations[0].items[1].scale"), "\"nope\"");
        assert_eq!(
            text_at(source, &map, "stations[1].pass_mark.provisional"),
            "Marks(12)"
        );
        assert_eq!(text_at(source, &map, "pass_rules[0][1]"), "\"zz\"");
        assert_eq!(text_at(source, &map, "notes"), "r#\"raw \"string\" here\"#");
        assert_eq!(text_at(source, &map, "descriptors[1]"), "\"No\": \"no\"");
        // Unknown leaves fall back to the nearest known parent.
        assert_eq!(
            text_at(source, &map, "stations[0].items[1].missing"),
            "(id: \"i2\", scale: \"nope\")"
        );
        assert!(map.find("nothing").is_none());
    }

    #[test]
    fn never_panics_on_garbage() {
        for source in [
            "(", "[[[[", "{:", "r#\"", "\"\\", "a:(b:[{", ")))", "#!", "/*", "'",
        ] {
            let _ = SpanMap::new(source);
        }
    }
}
