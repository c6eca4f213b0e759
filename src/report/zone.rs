//! The user's time zone: days and weeks are local, timestamps are UTC seconds.

use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};
use std::str::FromStr;

/// An IANA zone (`Asia/Ho_Chi_Minh`, `Europe/Madrid`, DST included) or a fixed offset (`+07:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(Tz),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

/// Settings key of the user's time zone, shared by the CLI and the desktop app.
pub const TZ_SETTING: &str = "report.time_zone";

impl Zone {
    /// The saved zone, or UTC when none is saved.
    pub fn load(store: &crate::store::Store) -> Result<Zone> {
        match store.setting(TZ_SETTING)? {
            Some(z) => Zone::parse(&z),
            None => Ok(Zone::utc()),
        }
    }

    /// Saves the zone by name (an IANA name or an offset).
    pub fn save(&self, store: &crate::store::Store) -> Result<()> {
        store.set_setting(TZ_SETTING, &self.name())
    }

    pub fn utc() -> Zone {
        Zone::Fixed(Utc.fix())
    }

    /// Accepts `UTC`, `Z`, `+07:00`, `-0330`, `+7`, `UTC+7`, `GMT-03:00` and IANA names.
    pub fn parse(s: &str) -> Result<Zone> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc")
            || t.eq_ignore_ascii_case("z")
            || t.eq_ignore_ascii_case("gmt")
        {
            return Ok(Zone::utc());
        }
        let offset_part = t
            .strip_prefix("UTC")
            .or_else(|| t.strip_prefix("utc"))
            .or_else(|| t.strip_prefix("GMT"))
            .or_else(|| t.strip_prefix("gmt"))
            .unwrap_or(t);
        if let Some(off) = parse_offset(offset_part) {
            return Ok(Zone::Fixed(off));
        }
        Tz::from_str(t).map(Zone::Named).map_err(|_| {
            Error::Invalid(format!(
                "unknown time zone '{t}': use an IANA name such as Asia/Ho_Chi_Minh or Europe/Madrid, or an offset such as +07:00"
            ))
        })
    }

    pub fn name(&self) -> String {
        match self {
            Zone::Fixed(o) if o.local_minus_utc() == 0 => "UTC".to_string(),
            Zone::Fixed(o) => o.to_string(),
            Zone::Named(tz) => tz.name().to_string(),
        }
    }

    /// The local calendar date of a UTC instant.
    pub fn date_of(&self, ts: i64) -> Option<NaiveDate> {
        let utc = DateTime::<Utc>::from_timestamp(ts, 0)?;
        Some(match self {
            Zone::Fixed(o) => utc.with_timezone(o).date_naive(),
            Zone::Named(tz) => utc.with_timezone(tz).date_naive(),
        })
    }

    /// The UTC instant at which a local date begins (the first valid local time if DST skips midnight).
    pub fn start_of(&self, date: NaiveDate) -> Option<i64> {
        let mut t = date.and_hms_opt(0, 0, 0)?;
        // A DST gap can swallow midnight (e.g. America/Santiago): step forward until the clock exists.
        for _ in 0..=24 * 4 {
            let r = match self {
                Zone::Fixed(o) => first(o.from_local_datetime(&t)),
                Zone::Named(tz) => first(tz.from_local_datetime(&t)),
            };
            if r.is_some() {
                return r;
            }
            t += chrono::Duration::minutes(15);
        }
        None
    }
}

fn first<T: TimeZone>(r: LocalResult<DateTime<T>>) -> Option<i64> {
    match r {
        LocalResult::Single(d) => Some(d.timestamp()),
        LocalResult::Ambiguous(a, b) => Some(a.timestamp().min(b.timestamp())),
        LocalResult::None => None,
    }
}

/// `+07:00`, `+0700`, `+7`, `-03:30`.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => (rest.get(..2)?, rest.get(2..)?),
        None => (rest, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_offsets() {
        assert_eq!(Zone::parse("UTC").unwrap(), Zone::utc());
        assert_eq!(Zone::parse("+07:00").unwrap().name(), "+07:00");
        assert_eq!(Zone::parse("UTC-3:30").unwrap().name(), "-03:30");
        assert_eq!(Zone::parse("+0545").unwrap().name(), "+05:45");
        assert_eq!(
            Zone::parse("Asia/Ho_Chi_Minh").unwrap().name(),
            "Asia/Ho_Chi_Minh"
        );
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert!(Zone::parse("+25:00").is_err());
        assert!(Zone::parse("").is_err());
    }

    #[test]
    fn local_days_follow_the_zone_and_dst() {
        let vn = Zone::parse("Asia/Ho_Chi_Minh").unwrap();
        // 2026-03-01 17:30 UTC is 00:30 on 2 March in Vietnam.
        let ts = 1_772_386_200;
        assert_eq!(vn.date_of(ts).unwrap().to_string(), "2026-03-02");
        assert_eq!(Zone::utc().date_of(ts).unwrap().to_string(), "2026-03-01");
        let madrid = Zone::parse("Europe/Madrid").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        // Summer time: midnight in Madrid is 22:00 UTC the day before.
        assert_eq!(madrid.start_of(d).unwrap() % 86_400, 22 * 3600);
    }
}
