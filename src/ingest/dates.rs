//! Timestamps as providers write them: ISO 8601 (any fraction, `Z` or offset),
//! RFC 2822, `YYYY-MM-DD HH:MM:SS`, day/month orders decided per file from the
//! values seen, Unix seconds / milliseconds / microseconds (numbers or strings,
//! with fractions). Everything comes out in UTC; a value without a zone is read
//! in the file's assumed zone and the reader remembers that it had to assume.

use chrono::{
    DateTime, Datelike, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};

/// The zone a zone-less timestamp is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Utc,
    Fixed(FixedOffset),
    /// This machine's zone, with its daylight saving rules.
    Local,
    /// CET/CEST (Brevo's `date` fields), EU summer-time rules.
    CentralEurope,
}

impl Zone {
    /// Reads `UTC`, `Z`, `GMT`, `local`, `CET`, `+07:00`, `-0500`, `UTC+7`.
    pub fn parse(s: &str) -> Option<Zone> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "utc" | "z" | "gmt" | "+00:00" | "0" => return Some(Zone::Utc),
            "local" | "machine" => return Some(Zone::Local),
            "cet" | "cest" | "europe/paris" | "europe/berlin" | "europe/madrid" => {
                return Some(Zone::CentralEurope)
            }
            _ => {}
        }
        let rest = lower
            .strip_prefix("utc")
            .or_else(|| lower.strip_prefix("gmt"))
            .unwrap_or(&lower);
        let (sign, digits) = match rest.as_bytes().first()? {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => return None,
        };
        if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
            return None;
        }
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
            None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
            None => (digits.parse().ok()?, 0),
        };
        if h > 14 || m > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(Zone::Fixed)
    }

    pub fn label(&self) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            Zone::Fixed(o) => format!("UTC{o}"),
            Zone::Local => format!("this machine's zone (now UTC{})", Local::now().offset()),
            Zone::CentralEurope => "CET/CEST (Central European time)".into(),
        }
    }

    /// Places a wall-clock time in this zone; at a DST gap the later reading wins.
    pub fn to_utc(&self, n: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Utc => Some(Utc.from_utc_datetime(&n)),
            Zone::Fixed(o) => o
                .from_local_datetime(&n)
                .single()
                .map(|d| d.with_timezone(&Utc)),
            Zone::Local => {
                let r = Local.from_local_datetime(&n);
                r.earliest()
                    .or_else(|| {
                        Local
                            .from_local_datetime(&(n + chrono::Duration::hours(1)))
                            .earliest()
                    })
                    .map(|d| d.with_timezone(&Utc))
            }
            Zone::CentralEurope => {
                // Summer time runs from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
                let winter = Utc.from_utc_datetime(&(n - chrono::Duration::hours(1)));
                let summer = Utc.from_utc_datetime(&(n - chrono::Duration::hours(2)));
                let y = n.year();
                let (start, end) = (last_sunday_1utc(y, 3)?, last_sunday_1utc(y, 10)?);
                Some(if summer >= start && summer < end {
                    summer
                } else {
                    winter
                })
            }
        }
    }
}

fn last_sunday_1utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday() as i64;
    let d = last - chrono::Duration::days(back);
    Some(Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0)?))
}

/// Order of the first two parts of `03/02/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// 03/02/2024 = 3 February (most of the world).
    DayFirst,
    /// 03/02/2024 = March 2 (US).
    MonthFirst,
}

/// Parses one file's timestamps with one set of assumptions, and counts them.
#[derive(Debug, Clone)]
pub struct DateReader {
    zone: Zone,
    zone_from_user: bool,
    order: Option<DayOrder>,
    /// Zone-less values read in `zone`.
    pub assumed_zone: u64,
    /// Ambiguous day/month values read with the default order.
    pub assumed_order: u64,
    /// The wall-clock time of the last value parsed, when it had no zone.
    last_wall: Option<NaiveDateTime>,
}

impl DateReader {
    /// `default_tz` is the user's `--tz`; `fallback` is what the provider's
    /// documentation says when the user gave none (else the machine's zone).
    pub fn new(default_tz: Option<&str>, fallback: Option<Zone>) -> Result<DateReader, String> {
        let (zone, from_user) = match default_tz {
            Some(s) => (
                Zone::parse(s).ok_or_else(|| {
                    format!("unknown time zone '{s}': use UTC, local, CET or an offset like +07:00")
                })?,
                true,
            ),
            None => (fallback.unwrap_or(Zone::Local), false),
        };
        Ok(DateReader {
            zone,
            zone_from_user: from_user,
            order: None,
            assumed_zone: 0,
            assumed_order: 0,
            last_wall: None,
        })
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Looks at sample values (a file's first rows) and fixes the day/month order
    /// when some value can only be read one way.
    pub fn learn_order<'a>(&mut self, samples: impl IntoIterator<Item = &'a str>) {
        let (mut day_first, mut month_first) = (0, 0);
        for s in samples {
            if let Some((a, b, _)) = slash_parts(s.trim()) {
                if a > 12 && b <= 12 {
                    day_first += 1;
                } else if b > 12 && a <= 12 {
                    month_first += 1;
                }
            }
        }
        if day_first > month_first {
            self.order = Some(DayOrder::DayFirst);
        } else if month_first > day_first {
            self.order = Some(DayOrder::MonthFirst);
        }
    }

    pub fn set_order(&mut self, o: DayOrder) {
        self.order = Some(o);
    }

    /// Any timestamp shape; None when the text is not a date.
    pub fn parse(&mut self, raw: &str) -> Option<DateTime<Utc>> {
        self.last_wall = None;
        let s = raw.trim().trim_matches('"').trim();
        if s.is_empty() {
            return None;
        }
        if let Some(t) = parse_epoch(s) {
            return Some(t);
        }
        if let Some(t) = parse_zoned(s) {
            return Some(t);
        }
        if let Some(n) = parse_naive_iso(s) {
            self.assumed_zone += 1;
            self.last_wall = Some(n);
            return self.zone.to_utc(n);
        }
        if let Some((rest, zone)) = split_trailing_zone(s) {
            if let Some(n) = parse_month_named(rest).or_else(|| self.parse_slashed(rest)) {
                return zone.to_utc(n);
            }
        }
        let n = parse_month_named(s).or_else(|| self.parse_slashed(s))?;
        self.assumed_zone += 1;
        self.last_wall = Some(n);
        self.zone.to_utc(n)
    }

    /// The wall-clock time behind the last [`parse`](Self::parse), when the value
    /// carried no zone: what the file itself says, whatever zone it was read in.
    pub fn take_wall_clock(&mut self) -> Option<NaiveDateTime> {
        self.last_wall.take()
    }

    /// Parses a wall-clock value in an explicit zone (Brevo's CET `date`) without counting an assumption.
    pub fn parse_in(&mut self, raw: &str, zone: Zone) -> Option<DateTime<Utc>> {
        let s = raw.trim();
        parse_epoch(s)
            .or_else(|| parse_zoned(s))
            .or_else(|| parse_naive_iso(s).and_then(|n| zone.to_utc(n)))
    }

    fn parse_slashed(&mut self, s: &str) -> Option<NaiveDateTime> {
        let (date, time) = split_date_time(s);
        let (a, b, y) = slash_parts(date)?;
        let year = if y < 100 { 2000 + y as i32 } else { y as i32 };
        let day_first = NaiveDate::from_ymd_opt(year, b, a);
        let month_first = NaiveDate::from_ymd_opt(year, a, b);
        let d = match (self.order, day_first, month_first) {
            (_, Some(d), None) | (_, None, Some(d)) => d,
            (Some(DayOrder::MonthFirst), _, Some(d)) => d,
            (Some(DayOrder::DayFirst), Some(d), _) => d,
            (None, Some(d), Some(_)) => {
                if a != b {
                    self.assumed_order += 1;
                }
                d
            }
            _ => return None,
        };
        Some(d.and_time(parse_clock(time)?))
    }

    /// What the reader had to assume, in words for the import's notes.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.assumed_zone > 0 {
            let how = if self.zone_from_user {
                "as you chose with --tz"
            } else {
                "if that is wrong, remove this import and import the file again with the right zone (--tz ZONE); importing it again without removing it adds nothing"
            };
            out.push(format!(
                "note: {} timestamps had no time zone; they were read as {} ({how})",
                self.assumed_zone,
                self.zone.label()
            ));
        }
        if self.assumed_order > 0 {
            out.push(format!(
                "note: {} dates such as 03/02/2024 could be read either way; nothing in the file settled it, so they were read day first (3 February)",
                self.assumed_order
            ));
        }
        out
    }
}

/// Unix time as a number or numeric string: seconds (with fraction), milliseconds
/// or microseconds by magnitude; `YYYYMMDD` as a date.
pub fn parse_epoch(s: &str) -> Option<DateTime<Utc>> {
    let bytes = s.as_bytes();
    if bytes.is_empty()
        || !bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        || bytes.iter().filter(|b| **b == b'.').count() > 1
    {
        return None;
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() {
        return None;
    }
    if int.len() == 8 && frac.is_empty() {
        let d = NaiveDate::parse_from_str(int, "%Y%m%d").ok()?;
        return Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?));
    }
    let n: i64 = int.parse().ok()?;
    let nanos_frac = |digits: &str| -> u32 {
        if digits.is_empty() {
            // The common case (whole seconds) without building "000000000".
            return 0;
        }
        let mut d: String = digits.chars().take(9).collect();
        while d.len() < 9 {
            d.push('0');
        }
        d.parse().unwrap_or(0)
    };
    match int.len() {
        9..=10 => DateTime::from_timestamp(n, nanos_frac(frac)),
        12..=13 => DateTime::from_timestamp_millis(n),
        15..=16 => DateTime::from_timestamp_micros(n),
        _ => None,
    }
}

/// Timestamps that carry their zone: RFC 3339 / ISO 8601 with `Z` or offset
/// (space or `T`, any fraction), RFC 2822, and ISO with a trailing `UTC`/`GMT`.
pub fn parse_zoned(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let first = s.as_bytes().first()?;
    if first.is_ascii_alphabetic()
        || (s.len() > 20 && s.as_bytes().get(2) == Some(&b' '))
        || s.contains(',')
    {
        if let Ok(d) = DateTime::parse_from_rfc2822(s) {
            return Some(d.with_timezone(&Utc));
        }
    }
    if !first.is_ascii_digit() || s.len() < 16 {
        return None;
    }
    for suffix in [" UTC", " GMT", "Z", " Z", "UTC", "GMT"] {
        if let Some(base) = s.strip_suffix(suffix) {
            return parse_naive_iso(base.trim_end()).map(|n| Utc.from_utc_datetime(&n));
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    None
}

/// Zone-less ISO-like wall-clock times: `2024-03-02 08:15:06`, `2024-03-02T08:15`,
/// `2024/03/02 08:15:06`, or a bare date (midnight).
pub fn parse_naive_iso(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 10 || !b[..4].iter().all(|c| c.is_ascii_digit()) || !(b[4] == b'-' || b[4] == b'/')
    {
        return None;
    }
    let norm = s.replace('/', "-");
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&norm, fmt) {
            return Some(n);
        }
    }
    NaiveDate::parse_from_str(&norm, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// `… +01:00`, `… -0500`, `… UTC`: a zone written after a date that is not ISO.
fn split_trailing_zone(s: &str) -> Option<(&str, Zone)> {
    let (rest, tok) = s.rsplit_once(' ')?;
    let signed = tok.starts_with(['+', '-']) && tok.len() >= 3;
    let named = matches!(tok.to_ascii_uppercase().as_str(), "UTC" | "GMT" | "Z");
    if !(signed || named) {
        return None;
    }
    Some((rest.trim_end(), Zone::parse(tok)?))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// January = 1, from `Jan`, `January`, `Sept.` (English, as UI exports write them).
fn month_number(t: &str) -> Option<u32> {
    let l = t.trim_end_matches('.').to_ascii_lowercase();
    let i = MONTHS
        .iter()
        .position(|m| l.len() >= 3 && l.starts_with(m) && l.chars().all(|c| c.is_ascii_alphabetic()))?;
    Some(i as u32 + 1)
}

/// `Mar 2, 2024 8:15 AM`, `March 2, 2024 08:15:06`, `2 Mar 2024 08:15`,
/// `02-Mar-2024 08:15`, `Saturday, March 2, 2024`: month names leave no
/// day/month doubt. No zone here (the caller splits a trailing one off).
fn parse_month_named(s: &str) -> Option<NaiveDateTime> {
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let norm = s.replace(',', " ");
    let mut toks: Vec<&str> = Vec::new();
    for t in norm.split_whitespace() {
        if toks.len() < 3 && t.contains('-') && t.bytes().any(|b| b.is_ascii_alphabetic()) {
            toks.extend(t.split('-'));
        } else {
            toks.push(t);
        }
    }
    let first = toks.first()?.to_ascii_lowercase();
    if WEEKDAYS.iter().any(|w| first.starts_with(w)) {
        toks.remove(0);
    }
    let (a, b, y) = (toks.first()?, toks.get(1)?, toks.get(2)?);
    let (month, day) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, b.parse::<u32>().ok()?),
        (None, Some(m)) => (m, a.parse::<u32>().ok()?),
        _ => return None,
    };
    if y.len() != 4 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, month, day)?;
    let clock = toks.get(3..).unwrap_or_default().join(" ");
    Some(date.and_time(parse_clock(&clock)?))
}

fn split_date_time(s: &str) -> (&str, &str) {
    match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    }
}

/// `03/02/2024`, `3.2.24`, `03-02-2024` → (first, second, year); None for ISO order.
fn slash_parts(s: &str) -> Option<(u32, u32, u32)> {
    let (date, _) = split_date_time(s);
    let sep = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut it = date.split(sep);
    let (a, b, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || a.len() > 2 || b.len() > 2 || !(y.len() == 2 || y.len() == 4) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

/// `08:15`, `08:15:06`, `8:15:06.123`, `8:15 PM`; empty = midnight.
fn parse_clock(t: &str) -> Option<NaiveTime> {
    let t = t.trim();
    if t.is_empty() {
        return NaiveTime::from_hms_opt(0, 0, 0);
    }
    let upper = t.to_ascii_uppercase();
    let (clock, pm) = if let Some(c) = upper.strip_suffix("PM") {
        (c.trim().to_string(), Some(true))
    } else if let Some(c) = upper.strip_suffix("AM") {
        (c.trim().to_string(), Some(false))
    } else {
        (upper.clone(), None)
    };
    let mut n = NaiveTime::parse_from_str(&clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(&clock, "%H:%M"))
        .ok()?;
    if let Some(pm) = pm {
        use chrono::Timelike;
        let h = n.hour() % 12 + if pm { 12 } else { 0 };
        n = n.with_hour(h)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn epochs_by_magnitude_and_as_strings() {
        assert_eq!(parse_epoch("1709367300"), Some(utc("2024-03-02T08:15:00Z")));
        assert_eq!(
            parse_epoch("1709367300123"),
            Some(utc("2024-03-02T08:15:00.123Z"))
        );
        assert_eq!(
            parse_epoch("1709367300.512345")
                .unwrap()
                .timestamp_subsec_micros(),
            512345
        );
        assert_eq!(
            parse_epoch("1709367300000000"),
            Some(utc("2024-03-02T08:15:00Z"))
        );
        assert_eq!(parse_epoch("20240302"), Some(utc("2024-03-02T00:00:00Z")));
        assert_eq!(parse_epoch("12"), None);
        assert_eq!(parse_epoch("1.2.3"), None);
    }

    #[test]
    fn zoned_forms() {
        assert_eq!(
            parse_zoned("2024-03-02T03:15:06.2735393-05:00")
                .unwrap()
                .timestamp(),
            utc("2024-03-02T08:15:06Z").timestamp()
        );
        assert_eq!(
            parse_zoned("Sat, 02 Mar 2024 16:15:08 +0000"),
            Some(utc("2024-03-02T16:15:08Z"))
        );
        assert_eq!(
            parse_zoned("Fri, 21 Oct 2011 11:02:55 GMT"),
            Some(utc("2011-10-21T11:02:55Z"))
        );
        assert_eq!(
            parse_zoned("2024-03-02 08:15:06 +0100"),
            Some(utc("2024-03-02T07:15:06Z"))
        );
        assert_eq!(
            parse_zoned("2024-03-02 08:15:06 UTC"),
            Some(utc("2024-03-02T08:15:06Z"))
        );
        assert_eq!(
            parse_zoned("2024-03-02T08:15:06.851858Z")
                .unwrap()
                .timestamp_subsec_micros(),
            851858
        );
        assert_eq!(parse_zoned("2024-03-02 08:15:06"), None);
    }

    #[test]
    fn zone_less_values_use_the_chosen_zone_and_are_counted() {
        let mut r = DateReader::new(Some("+07:00"), None).unwrap();
        assert_eq!(
            r.parse("2024-03-02 15:15:06"),
            Some(utc("2024-03-02T08:15:06Z"))
        );
        assert_eq!(
            r.parse("2024-03-02T08:15:06Z"),
            Some(utc("2024-03-02T08:15:06Z"))
        );
        assert_eq!(r.assumed_zone, 1);
        assert!(r.notes()[0].contains("UTC+07:00"));
        assert!(DateReader::new(Some("Mars/Olympus"), None).is_err());
    }

    #[test]
    fn day_month_order_is_learned_from_the_file() {
        let mut r = DateReader::new(Some("UTC"), None).unwrap();
        r.learn_order(["03/02/2024 10:00", "25/02/2024 10:00"]);
        assert_eq!(
            r.parse("03/02/2024 10:00"),
            Some(utc("2024-02-03T10:00:00Z"))
        );
        let mut us = DateReader::new(Some("UTC"), None).unwrap();
        us.learn_order(["03/02/2024", "12/31/2023 11:59 PM"]);
        assert_eq!(
            us.parse("03/02/2024 8:15 PM"),
            Some(utc("2024-03-02T20:15:00Z"))
        );
        // A value that only fits the other order is still read correctly.
        assert_eq!(us.parse("25/02/2024"), Some(utc("2024-02-25T00:00:00Z")));
        let mut unsure = DateReader::new(Some("UTC"), None).unwrap();
        assert_eq!(
            unsure.parse("03.02.2024"),
            Some(utc("2024-02-03T00:00:00Z"))
        );
        assert_eq!(unsure.assumed_order, 1);
        assert_eq!(unsure.notes().len(), 2);
    }

    #[test]
    fn central_european_time_follows_summer_time() {
        let z = Zone::CentralEurope;
        let winter =
            NaiveDateTime::parse_from_str("2024-03-02 09:15:06", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(z.to_utc(winter), Some(utc("2024-03-02T08:15:06Z")));
        let summer =
            NaiveDateTime::parse_from_str("2024-07-02 09:15:06", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(z.to_utc(summer), Some(utc("2024-07-02T07:15:06Z")));
        assert_eq!(Zone::parse("UTC-5"), Zone::parse("-05:00"));
        assert_eq!(Zone::parse("+\u{20ac}1"), None);
        assert_eq!(
            Zone::parse("+0530"),
            FixedOffset::east_opt(19800).map(Zone::Fixed)
        );
    }

    #[test]
    fn month_names_and_zones_after_slashed_dates() {
        let mut r = DateReader::new(Some("UTC"), None).unwrap();
        let cases = [
            ("Mar 2, 2024 8:15 AM", "2024-03-02T08:15:00+00:00"),
            ("March 2, 2024 08:15:06 PM", "2024-03-02T20:15:06+00:00"),
            ("2 Mar 2024 08:15", "2024-03-02T08:15:00+00:00"),
            ("02-Mar-2024 08:15", "2024-03-02T08:15:00+00:00"),
            ("Saturday, March 2, 2024", "2024-03-02T00:00:00+00:00"),
            ("Sept. 30, 2024 23:59", "2024-09-30T23:59:00+00:00"),
            ("02/03/2024 08:15:06 +01:00", "2024-03-02T07:15:06+00:00"),
            ("25/03/2024 10:15 -0500", "2024-03-25T15:15:00+00:00"),
            ("Mar 2, 2024 8:15 AM UTC", "2024-03-02T08:15:00+00:00"),
        ];
        for (raw, want) in cases {
            let got = r.parse(raw).map(|t| t.to_rfc3339());
            assert_eq!(got.as_deref(), Some(want), "{raw}");
        }
        assert_eq!(r.assumed_zone, 6, "only the values without a zone are assumptions");
        for bad in ["Mar 2024", "Foo 2, 2024", "Mar 32, 2024", "2 Mar 24 08:15", "March", "12:00 +01:00"] {
            assert_eq!(r.parse(bad), None, "{bad}");
        }
    }
}
