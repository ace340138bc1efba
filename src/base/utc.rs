//! Times read back from journals and the archive's readings, faster.
//!
//! Every record and every mark carries a time, written as chrono writes a
//! UTC time (`2026-06-01T08:00:40Z`, with a fraction of a second where
//! there is one). chrono's reader accepts every form RFC 3339 allows, and
//! reading times was a tenth of the work of reading a cohort back. The
//! form osce writes is read here directly; anything else (an offset other
//! than `Z`, a leap second, a lower-case `t`) is handed to chrono, so what
//! is accepted, and what it means, is exactly what chrono's reader gives.
//!
//! Use with `#[serde(deserialize_with = "crate::base::utc::…")]`; writing
//! is chrono's own.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer};

/// `text` as a UTC time: as `text.parse::<DateTime<FixedOffset>>()` in
/// UTC would give it, `None` where that fails.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    quick(text).or_else(|| {
        text.parse::<DateTime<chrono::FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, with 1 to 9 digits of fraction, as
/// osce writes it; `None` for anything else (left to chrono).
pub fn quick(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let nanos = match &b[19..] {
        b"Z" => 0,
        [b'.', digits @ .., b'Z'] if (1..=9).contains(&digits.len()) => {
            num(20, 20 + digits.len())? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    // A leap second (60) is chrono's to read.
    if second > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(date.and_hms_nano_opt(hour, minute, second, nanos)?.and_utc())
}

/// A UTC time read by [`parse`].
#[derive(Clone, Copy)]
#[repr(transparent)]
struct Time(DateTime<Utc>);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Time;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date and time as RFC 3339 writes it")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Time, E> {
                parse(text)
                    .map(Time)
                    .ok_or_else(|| E::custom(format!("not a date and time: {text:?}")))
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// A `DateTime<Utc>` field.
pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    Time::deserialize(d).map(|t| t.0)
}

/// An `Option<DateTime<Utc>>` field.
pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<Time>::deserialize(d).map(|t| t.map(|t| t.0))
}

/// An `Option<(u64, DateTime<Utc>)>` field.
pub fn option_seq<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(u64, DateTime<Utc>)>, D::Error> {
    Option::<(u64, Time)>::deserialize(d).map(|t| t.map(|(seq, t)| (seq, t.0)))
}

/// A `Vec<(u64, DateTime<Utc>)>` field.
pub fn seqs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u64, DateTime<Utc>)>, D::Error> {
    crate::base::exact::vec::<_, (u64, Time), 16>(d)
        .map(|v| v.into_iter().map(|(seq, t)| (seq, t.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, SecondsFormat, TimeZone};
    use proptest::prelude::*;

    fn chrono_reads(text: &str) -> Option<DateTime<Utc>> {
        text.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn what_osce_writes_is_read_directly_and_the_rest_by_chrono() {
        for text in [
            "2026-06-01T08:00:40Z",
            "2026-11-22T09:00:00.250Z",
            "2026-11-22T09:00:00.123456789Z",
            "2026-11-22T09:00:00.5Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            assert!(quick(text).is_some(), "{text}");
            assert_eq!(parse(text), chrono_reads(text), "{text}");
        }
        for text in [
            "2026-06-01T09:00:40+01:00",
            "2026-06-01t08:00:40z",
            "2026-06-01 08:00:40Z",
            "2016-12-31T23:59:60Z",
            "2026-02-30T08:00:40Z",
            "2026-06-01T24:00:00Z",
            "2026-06-01T08:00:40.Z",
            "2026-06-01T08:00:40.1234567890Z",
            "2026-06-01T08:00:40",
            "+2026-06-01T08:00:40Z",
            "",
            "2026-06-01T08:0a:40Z",
        ] {
            assert!(quick(text).is_none(), "{text}");
            assert_eq!(parse(text), chrono_reads(text), "{text}");
        }
    }

    #[test]
    fn fields_read_as_chrono_would_and_refuse_what_it_refuses() {
        #[derive(serde::Deserialize)]
        struct Fields {
            #[serde(deserialize_with = "time")]
            a: DateTime<Utc>,
            #[serde(default, deserialize_with = "option")]
            b: Option<DateTime<Utc>>,
            #[serde(default, deserialize_with = "option_seq")]
            c: Option<(u64, DateTime<Utc>)>,
            #[serde(deserialize_with = "seqs")]
            d: Vec<(u64, DateTime<Utc>)>,
        }
        let read: Fields = serde_json::from_str(
            r#"{"a":"2026-06-01T08:00:40Z","c":[3,"2026-06-01T09:00:40+01:00"],"d":[[1,"2026-06-01T08:00:40.5Z"]]}"#,
        )
        .expect("read");
        let t = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 40).unwrap();
        assert_eq!(read.a, t);
        assert_eq!(read.b, None);
        assert_eq!(read.c, Some((3, t)));
        assert_eq!(read.d, vec![(1, t + chrono::Duration::milliseconds(500))]);
        let wrong = serde_json::from_str::<Fields>(r#"{"a":"yesterday","d":[]}"#);
        assert!(wrong.is_err_and(|e| e.to_string().contains("not a date and time")));
    }

    proptest! {
        #[test]
        fn every_time_chrono_writes_reads_back_the_same(
            secs in -62_135_596_800i64..253_402_300_799,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            form in 0usize..4,
        ) {
            let t = DateTime::from_timestamp(secs, nanos).expect("in range");
            let text = match form {
                0 => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                1 => t.to_rfc3339_opts(SecondsFormat::Millis, true),
                2 => t.to_rfc3339_opts(SecondsFormat::Nanos, true),
                _ => t.to_rfc3339(),
            };
            prop_assert_eq!(parse(&text), chrono_reads(&text));
            prop_assert_eq!(
                serde_json::from_value::<Time>(serde_json::json!(text)).map(|t| t.0).ok(),
                serde_json::from_value::<DateTime<Utc>>(serde_json::json!(text)).ok()
            );
        }
    }
}
