//! One record as one line: encoding, the hash at its end, decoding.

use chrono::{DateTime, Utc};

use super::error::*;
use super::journal::*;
use super::record::{Event, GENESIS, Record, RecordRef, SheetKey};

// ---------------------------------------------------------------------------
// Lines

/// The whole text of a journal holding `events` in order, each line
/// encoded and chained as [`Journal::append`] writes it.
pub fn encode_journal(
    key: &SheetKey,
    rubric_hash: &str,
    events: Vec<(Event, DateTime<Utc>)>,
) -> Result<String, LineError> {
    let mut text = String::with_capacity(events.len() * 480);
    let mut prev = GENESIS.to_string();
    for (i, (event, time)) in events.into_iter().enumerate() {
        let mut record = Record {
            seq: i as u64 + 1,
            time,
            rubric: rubric_hash.to_string(),
            assessment: key.assessment.clone(),
            station: key.station.clone(),
            candidate: key.candidate.clone(),
            examiner: key.examiner.clone(),
            device: key.device.clone(),
            event,
            prev,
            hash: String::new(),
        };
        text.push_str(&encode_line(&mut record)?);
        prev = record.hash;
    }
    Ok(text)
}

/// The rubric's identity as stored in every record's `rubric` field: the
/// BLAKE3 hash (64 lowercase hex digits) of what the rubric says, so that
/// saving it with other line endings, layout or comments changes nothing
/// (see [`crate::rubric::content_hash`]).
pub fn hash_rubric(source: &str) -> String {
    crate::rubric::content_hash(source)
}

/// Encodes `record` as its journal line (ending in `\n`) and fills in
/// `record.hash`. `record.prev` and `record.seq` are taken as they are.
///
/// The line is checked to read back (with [`decode_line`]) before it is
/// returned, so a record that could not be read again (for example a score
/// that is not a finite number, which JSON writes as `null`) is refused
/// here rather than written.
pub fn encode_line(record: &mut Record) -> Result<String, LineError> {
    let json = serde_json::to_string(&*record).map_err(|e| LineError::Unencodable(e.to_string()))?;
    let Some(body) = json.strip_suffix('}') else {
        return Err(LineError::Unencodable(
            "the record did not serialise as a JSON object".into(),
        ));
    };
    let hash = blake3::hash(json.as_bytes()).to_hex().to_string();
    let line = format!("{body},\"hash\":\"{hash}\"}}\n");
    if let Err(e) = decode_line(line.as_bytes()) {
        return Err(LineError::Unencodable(format!("it would not read back: {e}")));
    }
    record.hash = hash;
    Ok(line)
}

/// Decodes one journal line (with or without its final `\n`) and checks its
/// own hash: the bytes before the last `,"hash":"`, closed with `}`, must
/// hash to the 64 hex digits after it. Returns the record with `hash`
/// filled in. Does not check `prev` or `seq` (that needs the line before).
pub fn decode_line(line: &[u8]) -> Result<Record, LineError> {
    decode_line_ref(line).map(RecordRef::into_owned)
}

/// [`decode_line`] without copying: the record's text fields are borrowed
/// from `line` where they can be. The same checks, the same errors.
pub fn decode_line_ref(line: &[u8]) -> Result<RecordRef<'_>, LineError> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let at = find_hash_mark(line).ok_or(LineError::NoHash)?;
    let tail = &line[at + HASH_MARK.len()..];
    if tail.len() != 66 || &tail[64..] != b"\"}" {
        return Err(LineError::BadHashField);
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(&line[..at]);
    hasher.update(b"}");
    let computed = hasher.finalize().to_hex();
    if computed.as_bytes() != &tail[..64] {
        // Digits equal to the computed ones are lowercase hex: only a
        // mismatch needs telling apart from a field that is not a hash.
        let hex_ok = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        if !tail[..64].iter().all(hex_ok) {
            return Err(LineError::BadHashField);
        }
        return Err(LineError::HashMismatch);
    }
    // Equal to the computed hash's 64 hex digits.
    let hash = std::str::from_utf8(&tail[..64]).map_err(|_| LineError::BadHashField)?;
    // Nearly every line is in the plain form osce writes; serde_json reads
    // (and judges) any other.
    if let Some(record) = super::plain::read(line, at, hash) {
        return Ok(record);
    }
    let record: Record = serde_json::from_slice(line).map_err(|e| LineError::NotARecord(e.to_string()))?;
    if record.hash.as_bytes() != computed.as_bytes() {
        // Only possible if the object also held a `hash` key of its own.
        return Err(LineError::NotARecord(
            "its hash field is not the one at its end".into(),
        ));
    }
    Ok(RecordRef::from_owned(record, hash))
}

/// Where `,"hash":"` last starts in `line`.
pub(super) fn find_hash_mark(line: &[u8]) -> Option<usize> {
    // In a sound line it starts 75 bytes from the end (then 64 hex digits
    // and `"}`, none of them a comma, so no later one can start there).
    let usual = line.len().checked_sub(HASH_MARK.len() + 66);
    if let Some(at) = usual
        && line[at..].starts_with(HASH_MARK)
    {
        return Some(at);
    }
    memchr::memmem::rfind(line, HASH_MARK)
}
