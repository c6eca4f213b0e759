//! Where the numbers are read: the aggregate tables (fast) or the events table (exact
//! for any date range and any zone). Both return the same shapes, so tests compare them.

use crate::error::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// `hour` value of events without a time (see migration 2).
pub const UNDATED_HOUR: i64 = -1_000_000_000;
/// Kinds counted in breakdowns and "recipients affected" (as the migration's triggers).
const FAILURE_KINDS: &str = "('bounce', 'deferred', 'complaint', 'unsubscribe')";

/// A half-open UTC range [from, to) in seconds; None = unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Range {
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// True when both bounds fall on a UTC hour, so hourly aggregates answer exactly.
    pub fn on_hours(&self) -> bool {
        self.from.is_none_or(|t| t.rem_euclid(3600) == 0) && self.to.is_none_or(|t| t.rem_euclid(3600) == 0)
    }

    fn hours(&self) -> (Option<i64>, Option<i64>) {
        (self.from.map(|t| t.div_euclid(3600)), self.to.map(|t| t.div_euclid(3600)))
    }
}

/// Counts per campaign (0 = none), channel, kind and class, with the hours of the first and last event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalRow {
    pub campaign: i64,
    pub channel: String,
    pub kind: String,
    pub class: String,
    pub n: i64,
    /// Start of the UTC hour of the first / last dated event.
    pub first: Option<i64>,
    pub last: Option<i64>,
}

pub fn totals(conn: &Connection, range: Range, agg: bool) -> Result<Vec<TotalRow>> {
    let (sql, a, b) = if agg {
        let (a, b) = range.hours();
        (
            format!(
                "SELECT campaign_id, channel, kind, class, SUM(n),
                    MIN(CASE WHEN hour > {UNDATED_HOUR} THEN hour END) * 3600,
                    MAX(CASE WHEN hour > {UNDATED_HOUR} THEN hour END) * 3600
                 FROM agg_hour
                 WHERE (?1 IS NULL OR (hour > {UNDATED_HOUR} AND hour >= ?1)) AND (?2 IS NULL OR (hour > {UNDATED_HOUR} AND hour < ?2))
                 GROUP BY 1, 2, 3, 4"
            ),
            a,
            b,
        )
    } else {
        (
            "SELECT COALESCE(campaign_id, 0), channel, kind, class, COUNT(*),
                MIN(occurred_at) - (((MIN(occurred_at) % 3600) + 3600) % 3600),
                MAX(occurred_at) - (((MAX(occurred_at) % 3600) + 3600) % 3600)
             FROM events
             WHERE (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR occurred_at < ?2)
             GROUP BY 1, 2, 3, 4"
                .to_string(),
            range.from,
            range.to,
        )
    };
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![a, b], |r| {
        Ok(TotalRow {
            campaign: r.get(0)?,
            channel: r.get(1)?,
            kind: r.get(2)?,
            class: r.get(3)?,
            n: r.get(4)?,
            first: r.get(5)?,
            last: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (bucket start in UTC seconds, kind, class, n) for dated events of the scope.
pub type BucketRow = (i64, String, String, i64);

/// Hourly buckets from the aggregate, or `bucket`-second buckets from the events table.
pub fn buckets(conn: &Connection, scope: Option<i64>, range: Range, agg: bool, bucket: i64) -> Result<Vec<BucketRow>> {
    let (sql, a, b) = if agg {
        let (a, b) = range.hours();
        (
            format!(
                "SELECT hour * 3600, kind, class, SUM(n) FROM agg_hour
                 WHERE hour > {UNDATED_HOUR} AND (?3 IS NULL OR campaign_id = ?3)
                   AND (?1 IS NULL OR hour >= ?1) AND (?2 IS NULL OR hour < ?2)
                 GROUP BY 1, 2, 3"
            ),
            a,
            b,
        )
    } else {
        let bucket = bucket.max(1);
        (
            format!(
                "SELECT occurred_at - (((occurred_at % {bucket}) + {bucket}) % {bucket}), kind, class, COUNT(*) FROM events
                 WHERE occurred_at IS NOT NULL AND (?3 IS NULL OR COALESCE(campaign_id, 0) = ?3)
                   AND (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR occurred_at < ?2)
                 GROUP BY 1, 2, 3"
            ),
            range.from,
            range.to,
        )
    };
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![a, b, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (value, kind, class, n) of failures by one dimension.
pub type DimRow = (String, String, String, i64);

pub fn dims(conn: &Connection, dim: &str, scope: Option<i64>, range: Range, agg: bool) -> Result<Vec<DimRow>> {
    if agg {
        let mut st = conn.prepare_cached(
            "SELECT value, kind, class, SUM(n) FROM agg_dim WHERE dim = ?1 AND (?2 IS NULL OR campaign_id = ?2) GROUP BY 1, 2, 3",
        )?;
        let rows = st.query_map(params![dim, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        return Ok(rows.collect::<Result<_, _>>()?);
    }
    if dim == "delay" {
        return raw_delay(conn, scope, range);
    }
    let (expr, join) = match dim {
        "reason" => ("e.reason", ""),
        "domain" => ("COALESCE(r.domain, '')", "LEFT JOIN recipients r ON r.id = e.recipient_id"),
        "provider" => ("COALESCE(e.provider, '')", ""),
        _ => ("COALESCE(t.text, '')", "LEFT JOIN texts t ON t.id = e.remote_mta_id"),
    };
    let sql = format!(
        "SELECT {expr}, e.kind, e.class, COUNT(*) FROM events e {join}
         WHERE e.kind IN {FAILURE_KINDS} AND (?3 IS NULL OR COALESCE(e.campaign_id, 0) = ?3)
           AND (?1 IS NULL OR e.occurred_at >= ?1) AND (?2 IS NULL OR e.occurred_at < ?2)
         GROUP BY 1, 2, 3"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![range.from, range.to, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The bucket keys of migration 2's `delay` dimension, computed in Rust for the events path.
pub fn delay_key(delay: Option<i64>) -> &'static str {
    match delay {
        None => "unknown",
        Some(d) if d < 0 => "unknown",
        Some(d) if d < 60 => "lt_1m",
        Some(d) if d < 3600 => "lt_1h",
        Some(d) if d < 21_600 => "lt_6h",
        Some(d) if d < 86_400 => "lt_1d",
        Some(d) if d < 259_200 => "lt_3d",
        Some(_) => "more",
    }
}

fn raw_delay(conn: &Connection, scope: Option<i64>, range: Range) -> Result<Vec<DimRow>> {
    let sql = format!(
        "SELECT e.occurred_at - e.sent_at, e.kind, e.class, COUNT(*) FROM events e
         WHERE e.kind IN {FAILURE_KINDS} AND (?3 IS NULL OR COALESCE(e.campaign_id, 0) = ?3)
           AND (?1 IS NULL OR e.occurred_at >= ?1) AND (?2 IS NULL OR e.occurred_at < ?2)
         GROUP BY 1, 2, 3"
    );
    let mut st = conn.prepare(&sql)?;
    let mut acc: HashMap<(&'static str, String, String), i64> = HashMap::new();
    let mut rows = st.query(params![range.from, range.to, scope])?;
    while let Some(r) = rows.next()? {
        let d: Option<i64> = r.get(0)?;
        *acc.entry((delay_key(d), r.get(1)?, r.get(2)?)).or_default() += r.get::<_, i64>(3)?;
    }
    Ok(acc.into_iter().map(|((k, kind, class), n)| (k.to_string(), kind, class, n)).collect())
}

/// Recipients affected per (campaign, channel), and in the whole scope.
pub struct Affected {
    pub per_row: HashMap<(i64, String), i64>,
    pub scope_total: i64,
}

pub fn affected(conn: &Connection, scope: Option<i64>, range: Range, agg: bool) -> Result<Affected> {
    let mut per_row = HashMap::new();
    if agg {
        let mut st = conn.prepare_cached("SELECT campaign_id, channel, n FROM agg_recipient_count")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            per_row.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
        let scope_total: i64 = match scope {
            Some(c) => per_row.iter().filter(|((id, _), _)| *id == c).map(|(_, n)| *n).sum(),
            None => conn.query_row("SELECT COALESCE(SUM(n), 0) FROM agg_recipient_all_count", [], |r| r.get(0))?,
        };
        return Ok(Affected { per_row, scope_total });
    }
    let filter = "(?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR occurred_at < ?2)";
    let sql = format!(
        "SELECT COALESCE(campaign_id, 0), channel, COUNT(DISTINCT recipient_id) FROM events
         WHERE kind IN {FAILURE_KINDS} AND {filter} GROUP BY 1, 2"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![range.from, range.to])?;
    while let Some(r) = rows.next()? {
        per_row.insert((r.get(0)?, r.get(1)?), r.get(2)?);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT DISTINCT channel, recipient_id FROM events
         WHERE kind IN {FAILURE_KINDS} AND {filter} AND (?3 IS NULL OR COALESCE(campaign_id, 0) = ?3))"
    );
    let scope_total = conn.query_row(&sql, params![range.from, range.to, scope], |r| r.get(0))?;
    Ok(Affected { per_row, scope_total })
}

/// A campaign's stored name and denominators.
#[derive(Debug, Clone)]
pub struct CampaignInfo {
    pub key: String,
    pub name: Option<String>,
    pub channel: Option<String>,
    pub sent: Option<i64>,
    pub delivered: Option<i64>,
}

pub fn campaigns(conn: &Connection) -> Result<HashMap<i64, CampaignInfo>> {
    let mut st = conn.prepare_cached("SELECT id, key, name, channel, sent_count, delivered_count FROM campaigns")?;
    let mut out = HashMap::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        out.insert(
            r.get(0)?,
            CampaignInfo { key: r.get(1)?, name: r.get(2)?, channel: r.get(3)?, sent: r.get(4)?, delivered: r.get(5)? },
        );
    }
    Ok(out)
}
