//! Identifiers (of assessments, stations, items, candidates, examiners and
//! devices) end up in file and folder names and CSV cells, so all of them
//! follow one rule: 1 to 64 letters (of any alphabet: `Zoë-01`,
//! `Łukasz1`), digits, `-`, `_` or `.`, not starting with `.`, at most
//! [`MAX_ID_BYTES`] bytes in UTF-8, and in Unicode's composed form (NFC).
//! That rules out `../`, `/`, `\`, `:`, NUL and every other control
//! character, spaces, and names Windows will not create.
//!
//! NFC matters because the same name can be written two ways: `ë` as one
//! character, or as `e` followed by a combining diaeresis (macOS writes
//! file names the second way on some disks, and some keyboards type it).
//! Ids are [`normalise`]d where they come in (roster, `--candidate`, the
//! home screen, paper imports, folder names read back from disk), so the
//! two spellings are one candidate and one folder.

use unicode_normalization::{UnicodeNormalization, is_nfc};

pub const MAX_ID_CHARS: usize = 64;
/// Room for an id in a file name (most file systems allow 255 bytes), with
/// its `.jsonl` and the store's own suffixes.
pub const MAX_ID_BYTES: usize = 128;

/// An id read back from a folder name, in NFC form (not trimmed: a name
/// with spaces around it is not an id).
pub fn composed(id: &str) -> String {
    id.nfc().collect()
}

/// An id as typed or read, trimmed and in NFC form: check it with
/// [`check_id`] after.
pub fn normalise(id: &str) -> String {
    id.trim().nfc().collect()
}

/// Checks an identifier; the error says what is wrong in words, for a
/// message that names `what` the id is for.
pub fn check_id(id: &str) -> Result<(), String> {
    let fine = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() {
        Err("it is empty".to_string())
    } else if id.chars().count() > MAX_ID_CHARS {
        Err(format!("it is longer than {MAX_ID_CHARS} characters"))
    } else if id.len() > MAX_ID_BYTES {
        Err(format!(
            "it is longer than {MAX_ID_BYTES} bytes in UTF-8 (letters beyond ASCII take 2 to 4 bytes each)"
        ))
    } else if !id.chars().all(fine) || id.starts_with('.') {
        // Which character is the trouble: a space between two words reads
        // as nothing at all in a message.
        let what = match id.chars().find(|&c| !fine(c)) {
            Some(' ') => " (it has a space: write '-' or '_' instead)".to_string(),
            Some(c) if c.is_whitespace() => {
                " (it has a tab or other blank: write '-' or '_' instead)".to_string()
            }
            Some(c) => format!(" (it has '{}')", c.escape_debug()),
            None => " (it starts with '.')".to_string(),
        };
        Err(format!(
            "\"{}\" may only use letters, digits, '-', '_' and '.' (not first){what}",
            id.escape_debug()
        ))
    } else if !id.is_ascii() && !is_nfc(id) {
        Err(format!(
            "\"{}\" is not in Unicode's composed form (NFC): a letter is written as a base letter and a \
             separate accent; type it again, or let osce read it from a roster, which composes it",
            id.escape_debug()
        ))
    } else if is_reserved(id) {
        Err(format!(
            "\"{id}\" is a reserved device name on Windows, where session folders are often copied; choose another"
        ))
    } else {
        Ok(())
    }
}

/// CON, PRN, AUX, NUL, COM1–COM9 and LPT1–LPT9, in any case and with any
/// extension: names Windows will not create a file or folder under.
/// Compared without making an upper-case copy: every journal's path is
/// checked as an archive is opened.
fn is_reserved(id: &str) -> bool {
    let stem = id.split('.').next().unwrap_or(id).as_bytes();
    let is = |name: &[u8]| stem.eq_ignore_ascii_case(name);
    is(b"CON")
        || is(b"PRN")
        || is(b"AUX")
        || is(b"NUL")
        || (stem.len() == 4
            && (stem[..3].eq_ignore_ascii_case(b"COM") || stem[..3].eq_ignore_ascii_case(b"LPT"))
            && stem[3].is_ascii_digit()
            && stem[3] != b'0')
}

/// Whether candidate id `a` is `b` with one typo: a character wrong,
/// missing or extra, or two neighbours swapped (`SIM0007` for `SIM00007`,
/// `C021` for `C012`), case aside. Two typos in an id of a few characters
/// are another candidate's id (`SIM00047` and `SIM00013`), not a slip.
pub fn a_typo_away(a: &str, b: &str) -> bool {
    crate::rubric::edit_distance(&a.to_lowercase(), &b.to_lowercase()) <= 1
}

#[cfg(test)]
mod tests {
    use super::{a_typo_away, check_id, normalise};

    #[test]
    fn one_typo_is_a_typo_two_are_another_id() {
        for (a, b) in [
            ("SIM0007", "SIM00007"),
            ("C021", "C012"),
            ("c001", "C002"),
            ("C001", "C001x"),
        ] {
            assert!(a_typo_away(a, b), "{a} {b}");
        }
        for (a, b) in [("SIM00047", "SIM00013"), ("C001", "C010x"), ("AB12", "BA21")] {
            assert!(!a_typo_away(a, b), "{a} {b}");
        }
    }

    #[test]
    fn plain_ids_only() {
        for good in [
            "C001",
            "shoulder",
            "case-1",
            "e_01",
            "v2.1",
            "COM0",
            "CONSENT",
            "com10",
            "LPT0",
            "COMA",
            "Cé1",
            "nullable",
            "Zoë-01",
            "Łukasz1",
            "café",
            "Ørsted.2",
            "日本-7",
        ] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "CON",
            "nul.txt",
            "Com1",
            "lpt9.jsonl",
            "aux.2",
            "Prn",
            ".hidden",
            "../x",
            "a/b",
            "a b",
            "nul\0",
            "a\u{7}b",
            "a\u{202e}b",
            "a\\b",
            "a:b",
            "C\u{0308}",
            "cafe\u{0301}",
            ".Zoë",
            &"ë".repeat(65),
            &"x".repeat(65),
            &"𝒳".repeat(40),
            "CON:",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }

    /// The same name typed as one letter or as a letter and an accent is
    /// one id.
    #[test]
    fn normalised_ids_are_composed_and_trimmed() {
        assert_eq!(normalise(" Zoe\u{0308}-01 "), "Zoë-01");
        assert_eq!(normalise("L\u{0301}ukasz"), "Ĺukasz");
        assert!(check_id(&normalise("cafe\u{0301}")).is_ok());
        assert_eq!(normalise("C001"), "C001");
    }
}
