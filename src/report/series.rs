//! Day and ISO-week series in the user's zone, from the hourly rows (split exactly where a
//! local midnight falls inside a UTC hour) or from the events.

use super::build::Query;
use super::counts::Counts;
use super::source::{self, Range};
use super::{Period, Series, Zone};
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, HashMap};

/// Longest span of days the series fills with zero days (a stray 1970 date must not make millions).
const MAX_FILLED_DAYS: i64 = 3660;

/// Day and week series from hourly aggregates. In a zone whose midnight falls inside a UTC
/// hour (India +5:30, Nepal +5:45...), only those hours are split, by their quarter-hour
/// counts. A range reads the hours that overlap it and keeps only its own days (the edge
/// hours straddle its local midnights, so they split exactly). Without usable aggregates,
/// quarter-hour buckets come from the events.
pub(super) fn series(
    conn: &rusqlite::Connection,
    q: &Query,
    range: Range,
    agg: bool,
    scope_counts: &Counts,
) -> Result<(Series, bool)> {
    let days = if agg {
        let rows = source::hours(conn, q.campaign, range)?;
        let mut d = split_days(conn, q, &rows)?;
        d.retain(|day, _| q.from.is_none_or(|f| *day >= f) && q.to.is_none_or(|t| *day <= t));
        Some(d)
    } else {
        None
    };
    let days = match days {
        Some(d) => d,
        None => {
            let mut found = None;
            for bucket in [900, 60, 1] {
                let rows = source::buckets(conn, q.campaign, range, bucket)?;
                if let Some(d) = by_day(&rows, &q.zone, bucket) {
                    found = Some(d);
                    break;
                }
            }
            found.ok_or_else(|| {
                Error::Invalid("the events cannot be placed into local days in this zone".into())
            })?
        }
    };
    let mut undated = *scope_counts;
    let mut dated = Counts::default();
    days.values().for_each(|c| dated.merge(c));
    subtract(&mut undated, &dated);
    Ok((
        Series {
            days: fill_days(&days),
            weeks: weeks(&days),
            undated,
        },
        agg,
    ))
}

/// Hourly rows into local days; hours that straddle a local midnight are split exactly.
fn split_days(
    conn: &rusqlite::Connection,
    q: &Query,
    hours: &source::HourRows,
) -> Result<BTreeMap<NaiveDate, Counts>> {
    let zone = &q.zone;
    let mut days: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
    let mut memo: HashMap<i64, (NaiveDate, NaiveDate)> = HashMap::new();
    // Per straddling hour, counts by (kind, class) over all channels (rows come per channel).
    type Parts<'a> = BTreeMap<(&'a str, &'a str), [i64; 4]>;
    let mut straddling: BTreeMap<i64, Parts> = BTreeMap::new();
    // Rows come in hour order: the last hour's days are reused without a lookup.
    let mut last: Option<(i64, (NaiveDate, NaiveDate))> = None;
    for (start, cls, n) in &hours.rows {
        let Some((kind, class)) = hours.cls.get(*cls) else { continue };
        let (a, b) = match last {
            Some((s, v)) if s == *start => v,
            _ => {
                let bad = || Error::Invalid(format!("a time outside the calendar: {start}"));
                let v = (
                    zone.date_of(*start).ok_or_else(bad)?,
                    zone.date_of(start + 3599).ok_or_else(bad)?,
                );
                last = Some((*start, v));
                v
            }
        };
        if a == b {
            days.entry(a).or_default().add(kind, class, n[0]);
        } else {
            memo.insert(*start, (a, b));
            let e = straddling
                .entry(*start)
                .or_default()
                .entry((kind.as_str(), class.as_str()))
                .or_default();
            for (x, y) in e.iter_mut().zip(n.iter()) {
                *x += y;
            }
        }
    }
    // Where each straddling hour's local midnight falls: on a quarter hour the q columns
    // say how many came before it; otherwise (historical offsets) one statement counts them.
    let midnight = |start: i64| -> i64 {
        let (_, b) = memo.get(&start).copied().unwrap_or_default();
        zone.start_of(b)
            .unwrap_or(start + 3600)
            .clamp(start, start + 3600)
    };
    let odd: Vec<(i64, i64)> = straddling
        .keys()
        .map(|s| (*s, midnight(*s)))
        .filter(|(s, m)| (m - s) % 900 != 0)
        .collect();
    let before = source::counts_in_spans(conn, q.campaign, &odd)?;
    for (start, parts) in straddling {
        let (a, b) = memo.get(&start).copied().unwrap_or_default();
        let cut = midnight(start) - start;
        for ((kind, class), n) in parts {
            let early: i64 = if cut % 900 == 0 {
                match cut / 900 {
                    0 => 0,
                    k @ 1..=3 => n.get(k as usize).copied().unwrap_or(0),
                    _ => n[0],
                }
            } else {
                before
                    .get(&start)
                    .map(|rows| {
                        rows.iter()
                            .filter(|(k, c, _)| k == kind && c == class)
                            .map(|x| x.2)
                            .sum()
                    })
                    .unwrap_or(0)
            };
            if early > 0 {
                days.entry(a).or_default().add(kind, class, early);
            }
            if n[0] - early > 0 {
                days.entry(b).or_default().add(kind, class, n[0] - early);
            }
        }
    }
    Ok(days)
}

/// None when a bucket straddles a local midnight.
fn by_day(
    rows: &[source::BucketRow],
    zone: &Zone,
    bucket: i64,
) -> Option<BTreeMap<NaiveDate, Counts>> {
    let mut memo: HashMap<i64, NaiveDate> = HashMap::new();
    let mut days: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
    for (start, kind, class, n) in rows {
        let day = match memo.get(start) {
            Some(d) => *d,
            None => {
                let a = zone.date_of(*start)?;
                if bucket > 1 && zone.date_of(start + bucket - 1)? != a {
                    return None;
                }
                memo.insert(*start, a);
                a
            }
        };
        days.entry(day).or_default().add(kind, class, *n);
    }
    Some(days)
}

fn subtract(a: &mut Counts, b: &Counts) {
    a.sent -= b.sent;
    a.delivered -= b.delivered;
    a.hard -= b.hard;
    a.soft -= b.soft;
    a.block -= b.block;
    a.complaint -= b.complaint;
    a.unsubscribe -= b.unsubscribe;
    a.deferred -= b.deferred;
    a.suppressed -= b.suppressed;
    a.unclassified -= b.unclassified;
}

fn fill_days(days: &BTreeMap<NaiveDate, Counts>) -> Vec<Period> {
    let period = |d: NaiveDate, c: Counts| Period {
        label: d.format("%Y-%m-%d").to_string(),
        start: d,
        counts: c,
    };
    let (Some(first), Some(last)) = (days.keys().next(), days.keys().next_back()) else {
        return Vec::new();
    };
    if (*last - *first).num_days() > MAX_FILLED_DAYS {
        return days.iter().map(|(d, c)| period(*d, *c)).collect();
    }
    first
        .iter_days()
        .take_while(|d| d <= last)
        .map(|d| period(d, days.get(&d).copied().unwrap_or_default()))
        .collect()
}

fn weeks(days: &BTreeMap<NaiveDate, Counts>) -> Vec<Period> {
    let mut w: BTreeMap<(i32, u32), Counts> = BTreeMap::new();
    for (d, c) in days {
        let iw = d.iso_week();
        w.entry((iw.year(), iw.week())).or_default().merge(c);
    }
    w.into_iter()
        .filter_map(|((y, n), c)| {
            let start = NaiveDate::from_isoywd_opt(y, n, Weekday::Mon)?;
            Some(Period {
                label: format!("{y}-W{n:02}"),
                start,
                counts: c,
            })
        })
        .collect()
}

