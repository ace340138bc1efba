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

/// `a scan`, `an injection`: a word with the article that fits how it is
/// said (by its first letter; `a unit`, `a user` as they are said).
pub fn a(word: &str) -> String {
    let lower = word.to_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["uni", "use", "usu", "ura", "uro", "eu", "one"]
            .iter()
            .any(|p| lower.starts_with(p));
    format!("{} {word}", if vowel { "an" } else { "a" })
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

/// `text` cut to its last `width` characters, with "…" where cut: a path
/// or a typed value whose end (the file's name, what was just typed) is
/// what tells it apart.
pub fn fit_end(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        text.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut s = "…".to_string();
        s.extend(text.chars().skip(n - (width - 1)));
        s
    }
}

/// A day written `YYYY-MM-DD` exactly (four digits, two, two), as logbooks
/// and rubrics write dates; `None` for anything else, including days that
/// do not exist (`2026-02-30`).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let number = |from: usize, to: usize| b[from..to].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let year = i32::try_from(number(0, 4)).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(5, 7), number(8, 10))
}

/// Why `text` is not a day [`parse_date`] reads, in words (the text is
/// shown in double quotes): not written `YYYY-MM-DD`, or written so but no
/// such day (`2026-02-30`: February 2026 has 28 days).
pub fn date_problem(text: &str) -> String {
    let shown = format!("{text:?}");
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<u32>> = match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            parts.iter().map(|p| p.parse().ok()).collect()
        }
        _ => None,
    };
    let Some([year, month, _]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return format!("{shown} is not a date written YYYY-MM-DD");
    };
    let Some(first) = i32::try_from(year)
        .ok()
        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month, 1))
    else {
        return format!("{shown} is written YYYY-MM-DD, but there is no month {month:02}");
    };
    let days = first
        .checked_add_months(chrono::Months::new(1))
        .map_or(31, |next| (next - first).num_days());
    format!(
        "{shown} is written YYYY-MM-DD, but there is no such day: {} has {days} days",
        first.format("%B %Y")
    )
}

/// The words of a written name as [`same_name`] compares them: without
/// case or accents (`Siobhán O'Brien` gives `siobhan`, `o`, `brien`).
pub fn name_words(name: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut folded = String::with_capacity(name.len());
    for c in name
        .nfkd()
        // Accents on Latin, Greek and Cyrillic letters only: in other
        // scripts (Devanagari, Thai) the marks are letters' own.
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .flat_map(char::to_lowercase)
    {
        // Latin letters whose stroke or ligature Unicode does not take
        // apart as an accent, as they are written without it
        // (`Łukasz` is `Lukasz`, `Søren` is `Soren`).
        match c {
            'ł' => folded.push('l'),
            'ø' => folded.push('o'),
            'đ' | 'ð' => folded.push('d'),
            'ħ' => folded.push('h'),
            'ŧ' => folded.push('t'),
            'ı' => folded.push('i'),
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'þ' => folded.push_str("th"),
            c => folded.push(c),
        }
    }
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether two written names are the same person's name as a person
/// would read them: letters and digits compared without case or accents
/// (`Siobhán O'Brien` is `Siobhan OBrien`), or the same words in another
/// order (`CHEN Chloe` is `Chloe Chen`).
pub fn same_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (name_words(a), name_words(b));
    if a.concat() == b.concat() {
        return true;
    }
    let (mut a, mut b) = (a, b);
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// `"a", "b", "c"`: each quoted, joined by commas.
pub fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as one word of a shell command a person can paste: as it is
/// when every character is safe, else in single quotes (a quote inside
/// written `'\''`). Folder names with spaces or brackets ("Shared drive",
/// "OSCE (Summer)") stay one argument.
pub fn shell_word(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-~".contains(c);
    // (`#` is quoted too: zsh's extended globbing reads it anywhere.)
    if !text.is_empty() && text.chars().all(safe) && !text.starts_with('~') {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// [`shell_word`] of a path.
pub fn shell_path(path: &std::path::Path) -> String {
    shell_word(&path.display().to_string())
}

/// Why `bytes` are not UTF-8 text, said so that whoever saved the file
/// knows which setting to change: UTF-16 (a byte-order mark), not text at
/// all (a zero byte), or a letter in Windows-1252 or Latin-1 (the byte at
/// `bad`, where UTF-8 reading failed).
pub fn not_utf8_why(bytes: &[u8], bad: usize) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return "it is saved as UTF-16 (\"Unicode\")".to_string();
    }
    // UTF-16 without its mark: a zero byte beside each letter of English.
    let zeros = bytes.iter().take(64).filter(|&&b| b == 0).count();
    if zeros * 3 >= bytes.len().min(64) && zeros > 0 {
        return "it looks like UTF-16 (\"Unicode\"): a zero byte beside each letter".to_string();
    }
    if bytes.contains(&0) {
        return "it holds bytes that are not text (is it the right file?)".to_string();
    }
    let Some(&byte) = bytes.get(bad) else {
        return "it ends part-way through a character".to_string();
    };
    let cut_short = std::str::from_utf8(&bytes[bad..])
        .err()
        .is_some_and(|e| e.error_len().is_none());
    // Windows-1252 where it differs from Latin-1 (0x80 to 0x9F): what
    // word processors put in.
    let windows = match byte {
        0x80 => Some('€'),
        0x82 => Some('‚'),
        0x84 => Some('„'),
        0x85 => Some('…'),
        0x86 => Some('†'),
        0x89 => Some('‰'),
        0x8A => Some('Š'),
        0x8C => Some('Œ'),
        0x8E => Some('Ž'),
        0x91 => Some('‘'),
        0x92 => Some('’'),
        0x93 => Some('“'),
        0x94 => Some('”'),
        0x95 => Some('•'),
        0x96 => Some('–'),
        0x97 => Some('—'),
        0x99 => Some('™'),
        0x9A => Some('š'),
        0x9C => Some('œ'),
        0x9E => Some('ž'),
        0x9F => Some('Ÿ'),
        _ => None,
    };
    let what = match (windows, byte) {
        (Some(c), _) => format!("the byte 0x{byte:02X} is how Windows-1252 writes `{c}`"),
        (None, 0xA0) => {
            format!("the byte 0x{byte:02X} is how Windows-1252 or Latin-1 writes a no-break space")
        }
        (None, 0xA1..=0xFF) => format!(
            "the byte 0x{byte:02X} is how Windows-1252 or Latin-1 writes `{}`",
            char::from(byte)
        ),
        _ => format!("the byte 0x{byte:02X} is not UTF-8"),
    };
    // At the very end, the start of a character cut short (a copy not
    // finished) reads the same as a letter of another encoding.
    if cut_short {
        format!("it ends part-way through a character (a copy cut short?), or {what}")
    } else {
        what
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_article_fits_the_word() {
        use super::a;
        assert_eq!(a("injection"), "an injection");
        assert_eq!(a("scan"), "a scan");
        assert_eq!(a("Ultrasound scan"), "an Ultrasound scan");
        assert_eq!(a("unit"), "a unit");
    }

    #[test]
    fn a_date_problem_says_what_is_wrong_with_it() {
        use super::date_problem;
        assert!(date_problem("2026-02-30").ends_with("no such day: February 2026 has 28 days"));
        assert!(date_problem("2026-13-01").ends_with("there is no month 13"));
        for shape in [
            "2026-+1-01",
            "+026-02-30",
            "2026-1-1",
            "14/03/2026",
            "",
            "２０２６-01-01",
        ] {
            assert!(
                date_problem(shape).ends_with("is not a date written YYYY-MM-DD"),
                "{shape}"
            );
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_named_for_what_they_are() {
        use super::not_utf8_why;
        assert!(not_utf8_why(b"Caf\xe9 OSCE", 3).contains("Windows-1252 or Latin-1 writes `\u{e9}`"));
        assert!(not_utf8_why(b"a \x95 b", 2).contains("how Windows-1252 writes `\u{2022}`"));
        assert!(not_utf8_why(b"ends \xc3", 5).contains("part-way through a character"));
        assert!(not_utf8_why(b"\xff\xfea\0", 0).contains("UTF-16"));
        assert!(not_utf8_why(b"a\0b\0c\0", 1).contains("looks like UTF-16"));
    }

    use super::*;

    #[test]
    fn shell_words_stay_one_argument() {
        assert_eq!(shell_word("/tmp/day-1/sessions"), "/tmp/day-1/sessions");
        assert_eq!(
            shell_word("Shared drive/OSCE (Summer)"),
            "'Shared drive/OSCE (Summer)'"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("~/x"), "'~/x'");
        assert_eq!(shell_word("a.osce/x.jsonl#other-1"), "'a.osce/x.jsonl#other-1'");
        assert_eq!(shell_word("#x"), "'#x'");
    }

    #[test]
    fn counts_and_cuts() {
        assert_eq!(plural(1, "sheet", "sheets"), "1 sheet");
        assert_eq!(plural(0, "sheet", "sheets"), "0 sheets");
        assert_eq!(fit("shoulder", 10), "shoulder  ");
        assert_eq!(fit("shoulder", 5), "shou…");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2026-03-14"),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 14)
        );
        for bad in [
            "2026-3-14",
            "14/03/2026",
            "2026-02-30",
            "2026-03-14 ",
            "",
            "２０２６-03-14",
            "+2026-03-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn names_the_same_as_a_person_reads_them() {
        assert!(same_name("Siobhán O'Brien", "Siobhan OBrien"));
        assert!(same_name("CHEN, Chloe", "Chloe  Chen"));
        assert!(same_name("Ana-Maria Pop", "ana maria pop"));
        assert!(same_name("Łukasz Wiśniewski", "Lukasz Wisniewski"));
        assert!(same_name("Søren Dæhli Strauß", "Soren Daehli Strauss"));
        assert!(!same_name("Chloe Chen", "Zara Patel"));
        assert!(!same_name("Chloe Chen", "Chloe Cheng"));
    }
}
