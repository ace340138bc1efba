//! Identifiers (of assessments, stations, items, candidates, examiners and
//! devices) end up in file names and CSV cells, so all of them follow one
//! plain rule: 1 to 64 ASCII letters, digits, `-`, `_` or `.`, not starting
//! with `.`. That rules out `../`, `/`, NUL, spaces and look-alike Unicode.

pub const MAX_ID_CHARS: usize = 64;

/// Checks an identifier; the error says what is wrong in words, for a
/// message that names `what` the id is for.
pub fn check_id(id: &str) -> Result<(), String> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() {
        Err("it is empty".to_string())
    } else if id.chars().count() > MAX_ID_CHARS {
        Err(format!("it is longer than {MAX_ID_CHARS} characters"))
    } else if !id.chars().all(fine) || id.starts_with('.') {
        Err(format!(
            "\"{id}\" may only use letters, digits, '-', '_' and '.' (not first)"
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
fn is_reserved(id: &str) -> bool {
    let stem = id.split('.').next().unwrap_or(id).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn plain_ids_only() {
        for good in [
            "C001", "shoulder", "case-1", "e_01", "v2.1", "COM0", "CONSENT", "com10", "nullable",
        ] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "CON",
            "nul.txt",
            "Com1",
            "lpt9.jsonl",
            ".hidden",
            "../x",
            "a/b",
            "a b",
            "nul\0",
            "café",
            &"x".repeat(65),
            "CON:",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }
}
