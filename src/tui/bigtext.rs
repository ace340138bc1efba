//! Large letters for what must be read across a desk: the timer and the
//! candidate's id. Each glyph is 3 × 5 cells, drawn two columns wide.

const HEIGHT: usize = 5;

fn glyph(c: char) -> [&'static str; HEIGHT] {
    match c.to_ascii_uppercase() {
        // Oval, where the letter O is square: C0O2 is not C002.
        '0' => [" # ", "# #", "# #", "# #", " # "],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", " ##", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        'A' => ["###", "# #", "###", "# #", "# #"],
        'B' => ["## ", "# #", "## ", "# #", "## "],
        'C' => ["###", "#  ", "#  ", "#  ", "###"],
        'D' => ["## ", "# #", "# #", "# #", "## "],
        'E' => ["###", "#  ", "## ", "#  ", "###"],
        'F' => ["###", "#  ", "## ", "#  ", "#  "],
        'G' => ["###", "#  ", "# #", "# #", "###"],
        'H' => ["# #", "# #", "###", "# #", "# #"],
        'I' => ["###", " # ", " # ", " # ", "###"],
        'J' => ["  #", "  #", "  #", "# #", "###"],
        'K' => ["# #", "# #", "## ", "# #", "# #"],
        'L' => ["#  ", "#  ", "#  ", "#  ", "###"],
        'M' => ["# #", "###", "###", "# #", "# #"],
        'N' => ["## ", "# #", "# #", "# #", "# #"],
        'O' => ["###", "# #", "# #", "# #", "###"],
        'P' => ["###", "# #", "###", "#  ", "#  "],
        'Q' => ["###", "# #", "# #", "###", "  #"],
        'R' => ["## ", "# #", "## ", "# #", "# #"],
        // Curved, where the digit 5 is square: S and 5 are not alike.
        'S' => [" ##", "#  ", " # ", "  #", "## "],
        'T' => ["###", " # ", " # ", " # ", " # "],
        'U' => ["# #", "# #", "# #", "# #", "###"],
        'V' => ["# #", "# #", "# #", "# #", " # "],
        'W' => ["# #", "# #", "###", "###", "# #"],
        'X' => ["# #", "# #", " # ", "# #", "# #"],
        'Y' => ["# #", "# #", " # ", " # ", " # "],
        'Z' => ["###", "  #", " # ", "#  ", "###"],
        ':' => ["   ", " # ", "   ", " # ", "   "],
        '+' => ["   ", " # ", "###", " # ", "   "],
        '-' => ["   ", "   ", "###", "   ", "   "],
        '.' => ["   ", "   ", "   ", "   ", " # "],
        '_' => ["   ", "   ", "   ", "   ", "###"],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// The five lines of `text` in large letters, one blank column between
/// glyphs.
pub fn big(text: &str) -> [String; HEIGHT] {
    let mut rows: [String; HEIGHT] = Default::default();
    for (n, c) in text.chars().enumerate() {
        let g = glyph(c);
        for (row, line) in rows.iter_mut().zip(g) {
            if n > 0 {
                row.push(' ');
            }
            for cell in line.chars() {
                row.push_str(if cell == '#' { "██" } else { "  " });
            }
        }
    }
    rows
}

/// Whether every character of `text` has a large glyph: an id with a
/// letter beyond ASCII (`Łukasz1`) would lose it (a blank, or `Ł` drawn
/// as nothing), so it is not drawn large.
pub fn can_draw(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '+' | '-' | '.' | '_' | ' '))
}

/// Columns `big(text)` takes.
pub fn width(text: &str) -> usize {
    let n = text.chars().count();
    if n == 0 { 0 } else { n * 6 + (n - 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_digits_and_letters() {
        let rows = big("1:0");
        assert_eq!(rows[0].chars().count(), width("1:0"));
        // "1" row 2 is "## ", ":" is " # ", "0" is "# #".
        assert_eq!(rows[1], "████     ██   ██  ██");
    }

    /// No two letters or digits an id may mix have the same large glyph
    /// (0 and O had): the examiner confirms the candidate by them. How far
    /// apart two glyphs look (0 and D differ by two corners) is not
    /// checked.
    #[test]
    fn no_two_characters_of_an_id_are_drawn_the_same() {
        let chars: Vec<char> = ('0'..='9').chain('A'..='Z').chain(['-', '_', '.']).collect();
        for (i, a) in chars.iter().enumerate() {
            for b in &chars[i + 1..] {
                assert_ne!(glyph(*a), glyph(*b), "{a} and {b} look alike");
            }
        }
    }

    #[test]
    fn only_what_has_glyphs_is_drawn_large() {
        assert!(can_draw("C001") && can_draw("e_01.a-b"));
        assert!(!can_draw("Łukasz1") && !can_draw("Zoë-01"));
    }
}
