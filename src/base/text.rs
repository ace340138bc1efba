//! Words and numbers for people, shared by every command and screen: the
//! report, the exports and the terminal screens all say things the same
//! way.

/// `1 sheet`, `3 sheets`: a count with the word that fits it.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `text` cut to `width` characters, with "…" where cut, and padded with
/// spaces to `width` where shorter.
pub fn fit(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_cuts() {
        assert_eq!(plural(1, "sheet", "sheets"), "1 sheet");
        assert_eq!(plural(0, "sheet", "sheets"), "0 sheets");
        assert_eq!(fit("shoulder", 10), "shoulder  ");
        assert_eq!(fit("shoulder", 5), "shou…");
        assert_eq!(fit("x", 0), "");
    }
}
