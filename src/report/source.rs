//! Where the numbers are read: the aggregate tables (fast) or the events table (exact
//! for any date range and any zone). Both return the same shapes, so tests compare them.

use crate::error::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// `hour` value of events without a time (see migration 2).
pub const UNDATED_HOUR: i64 = -1_000_000_000;

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
        self.from.is_none_or(|t| t.rem_euclid(3600) == 0)
            && self.to.is_none_or(|t| t.rem_euclid(3600) == 0)
    }

    fn hours(&self) -> (Option<i64>, Option<i64>) {
        (
            self.from.map(|t| t.div_euclid(3600)),
            self.to.map(|t| t.div_euclid(3600)),
        )
    }
}

/// SQL conditions on events (alias `e`) for a scope and range, with their parameters. Built
/// per call so SQLite can use the (campaign_id, occurred_at) and occurred_at indexes.
pub fn where_events(scope: Option<i64>, range: Range) -> (String, Vec<i64>) {
    let mut cond = vec!["1".to_string()];
    let mut args = Vec::new();
    match scope {
        Some(0) => cond.push("e.campaign_id IS NULL".into()),
        Some(c) => {
            args.push(c);
            cond.push(format!("e.campaign_id = ?{}", args.len()));
        }
        None => {}
    }
    if let Some(f) = range.from {
        args.push(f);
        cond.push(format!("e.occurred_at >= ?{}", args.len()));
    }
    if let Some(t) = range.to {
        args.push(t);
        cond.push(format!("e.occurred_at < ?{}", args.len()));
    }
    (cond.join(" AND "), args)
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
    if agg && range.is_open() {
        return agg_totals(conn);
    }
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
        let (filter, args) = where_events(None, range);
        let sql = format!(
            "SELECT COALESCE(e.campaign_id, 0), e.channel, e.kind, e.class, COUNT(*),
                MIN(e.occurred_at) - (((MIN(e.occurred_at) % 3600) + 3600) % 3600),
                MAX(e.occurred_at) - (((MAX(e.occurred_at) % 3600) + 3600) % 3600)
             FROM events e WHERE {filter} GROUP BY 1, 2, 3, 4"
        );
        let mut st = conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), total_row)?;
        return Ok(rows.collect::<Result<_, _>>()?);
    };
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![a, b], total_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn total_row(r: &rusqlite::Row) -> rusqlite::Result<TotalRow> {
    Ok(TotalRow {
        campaign: r.get(0)?,
        channel: r.get(1)?,
        kind: r.get(2)?,
        class: r.get(3)?,
        n: r.get(4)?,
        first: r.get(5)?,
        last: r.get(6)?,
    })
}

/// Whole-history totals: the small per-campaign table, plus two index probes per campaign
/// and channel for the first and last hour.
fn agg_totals(conn: &Connection) -> Result<Vec<TotalRow>> {
    let mut st =
        conn.prepare_cached("SELECT campaign_id, channel, kind, class, n FROM agg_total")?;
    let mut rows: Vec<TotalRow> = st
        .query_map([], |r| {
            Ok(TotalRow {
                campaign: r.get(0)?,
                channel: r.get(1)?,
                kind: r.get(2)?,
                class: r.get(3)?,
                n: r.get(4)?,
                first: None,
                last: None,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut first = conn.prepare_cached(&format!(
        "SELECT hour * 3600 FROM agg_hour WHERE campaign_id = ?1 AND hour > {UNDATED_HOUR} AND channel = ?2 ORDER BY hour LIMIT 1"
    ))?;
    let mut last = conn.prepare_cached(&format!(
        "SELECT hour * 3600 FROM agg_hour WHERE campaign_id = ?1 AND hour > {UNDATED_HOUR} AND channel = ?2 ORDER BY hour DESC LIMIT 1"
    ))?;
    let mut bounds: HashMap<(i64, String), (Option<i64>, Option<i64>)> = HashMap::new();
    for r in &mut rows {
        let key = (r.campaign, r.channel.clone());
        if !bounds.contains_key(&key) {
            use rusqlite::OptionalExtension;
            let f = first
                .query_row(params![r.campaign, r.channel], |x| x.get(0))
                .optional()?;
            let l = last
                .query_row(params![r.campaign, r.channel], |x| x.get(0))
                .optional()?;
            bounds.insert(key.clone(), (f, l));
        }
        if let Some((f, l)) = bounds.get(&key) {
            r.first = *f;
            r.last = *l;
        }
    }
    Ok(rows)
}

/// (bucket start in UTC seconds, kind, class, n) for dated events of the scope.
pub type BucketRow = (i64, String, String, i64);

/// Hourly buckets from the aggregate, or `bucket`-second buckets from the events table.
pub fn buckets(
    conn: &Connection,
    scope: Option<i64>,
    range: Range,
    agg: bool,
    bucket: i64,
) -> Result<Vec<BucketRow>> {
    let (sql, a, b) = if agg {
        let (a, b) = range.hours();
        (
            format!(
                // No GROUP BY: rows come in key order and the caller adds them up per day.
                "SELECT hour * 3600, kind, class, n FROM {}
                 WHERE hour > {UNDATED_HOUR} AND hour >= COALESCE(?1, {UNDATED_HOUR}) AND hour < COALESCE(?2, 9223372036854775807) {}",
                if scope.is_some() { "agg_hour" } else { "agg_hour_all" },
                if scope.is_some() { "AND campaign_id = ?3" } else { "AND ?3 IS NULL" }
            ),
            a,
            b,
        )
    } else {
        let bucket = bucket.max(1);
        let (filter, args) = where_events(scope, range);
        let sql = format!(
            "SELECT e.occurred_at - (((e.occurred_at % {bucket}) + {bucket}) % {bucket}), e.kind, e.class, COUNT(*) FROM events e
             WHERE e.occurred_at IS NOT NULL AND {filter} GROUP BY 1, 2, 3"
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        return Ok(rows.collect::<Result<_, _>>()?);
    };
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![a, b, scope], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (kind, class, n) per span start.
pub type SpanCounts = HashMap<i64, Vec<(String, String, i64)>>;

/// Dated events per (kind, class) inside each half-open span `[start, end)`, keyed by start,
/// in one statement (the spans go in as JSON): a report in a +5:30 zone splits one hour per
/// day. Spans on quarter hours (every zone in use today) read the quarter-hour aggregates,
/// so call this only when the aggregates are in sync; other spans count from events.
pub fn counts_in_spans(
    conn: &Connection,
    scope: Option<i64>,
    spans: &[(i64, i64)],
) -> Result<SpanCounts> {
    let mut out = SpanCounts::new();
    if spans.is_empty() {
        return Ok(out);
    }
    let json =
        serde_json::to_string(spans).map_err(|e| crate::error::Error::Invalid(e.to_string()))?;
    if spans
        .iter()
        .all(|(a, b)| a.rem_euclid(900) == 0 && b.rem_euclid(900) == 0)
    {
        let sql = match scope {
            None => "WITH s(a, b) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
                 SELECT s.a, q.kind, q.class, SUM(q.n) FROM s CROSS JOIN agg_quarter q
                 WHERE q.quarter >= s.a / 900 AND q.quarter < s.b / 900 AND ?2 IS NULL GROUP BY 1, 2, 3",
            Some(_) => "WITH s(a, b) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
                 SELECT s.a, q.kind, q.class, SUM(q.n) FROM s CROSS JOIN agg_quarter q
                 WHERE q.campaign_id = ?2 AND q.quarter >= s.a / 900 AND q.quarter < s.b / 900 GROUP BY 1, 2, 3",
        };
        let mut st = conn.prepare_cached(sql)?;
        let mut rows = st.query(params![json, scope])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?)
                .or_default()
                .push((r.get(1)?, r.get(2)?, r.get(3)?));
        }
        return Ok(out);
    }
    let campaign = match scope {
        None => "",
        Some(0) => "AND e.campaign_id IS NULL",
        Some(_) => "AND e.campaign_id = ?2",
    };
    let sql = format!(
        "WITH s(a, b) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
         SELECT s.a, e.kind, e.class, COUNT(*) FROM s CROSS JOIN events e
         WHERE e.occurred_at >= s.a AND e.occurred_at < s.b {campaign} AND (?2 IS NULL OR 1)
         GROUP BY 1, 2, 3"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params![json, scope])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?, r.get(3)?));
    }
    Ok(out)
}

/// (value, kind, class, n) of failures by one dimension.
pub type DimRow = (String, String, String, i64);

/// Failures by one dimension from the aggregate tables; `range` must lie on UTC hours.
pub fn dims(conn: &Connection, dim: &str, scope: Option<i64>, range: Range) -> Result<Vec<DimRow>> {
    let (a, b) = range.hours();
    let sql = match (scope, range.is_open()) {
        (None, true) => "SELECT value, kind, class, n FROM agg_dim_all WHERE dim = ?1 AND ?2 IS NULL",
        (Some(_), true) => "SELECT value, kind, class, SUM(n) FROM agg_dim_campaign WHERE campaign_id = ?2 AND dim = ?1 GROUP BY 1, 2, 3",
        (None, false) => {
            "SELECT value, kind, class, SUM(n) FROM agg_dim_hour_all WHERE dim = ?1 AND ?2 IS NULL
             AND hour >= COALESCE(?3, -999999999) AND hour < COALESCE(?4, 9223372036854775807) GROUP BY 1, 2, 3"
        }
        (Some(_), false) => {
            "SELECT value, kind, class, SUM(n) FROM agg_dim WHERE campaign_id = ?2 AND dim = ?1
             AND hour >= COALESCE(?3, -999999999) AND hour < COALESCE(?4, 9223372036854775807) GROUP BY 1, 2, 3"
        }
    };
    let mut st = conn.prepare_cached(sql)?;
    let rows = if range.is_open() {
        st.query_map(params![dim, scope], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<Vec<_>, _>>()?
    } else {
        st.query_map(params![dim, scope, a, b], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<Vec<_>, _>>()?
    };
    Ok(rows)
}

/// Recipients affected in a range on whole UTC hours, from the hourly recipient aggregate
/// (distinct counts do not add up over hours, so the rows are read and deduplicated here).
pub fn affected_in_range(conn: &Connection, scope: Option<i64>, range: Range) -> Result<Affected> {
    let (a, b) = range.hours();
    let mut st = conn.prepare_cached(&format!(
        "SELECT channel, recipient_id, campaign_id FROM agg_recipient_hour
         WHERE hour > {UNDATED_HOUR} AND hour >= COALESCE(?1, {UNDATED_HOUR}) AND hour < COALESCE(?2, 9223372036854775807)"
    ))?;
    let mut pairs: std::collections::HashSet<(i64, String, i64)> = std::collections::HashSet::new();
    let mut people: std::collections::HashSet<(String, i64)> = std::collections::HashSet::new();
    let mut rows = st.query(params![a, b])?;
    while let Some(r) = rows.next()? {
        let (channel, rid, cid): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if scope.is_none_or(|c| c == cid) {
            people.insert((channel.clone(), rid));
        }
        pairs.insert((cid, channel, rid));
    }
    let mut per_row: HashMap<(i64, String), i64> = HashMap::new();
    for (cid, channel, _) in pairs {
        *per_row.entry((cid, channel)).or_default() += 1;
    }
    Ok(Affected {
        per_row,
        scope_total: people.len() as i64,
    })
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

/// Recipients affected per (campaign, channel), and in the whole scope.
pub struct Affected {
    pub per_row: HashMap<(i64, String), i64>,
    pub scope_total: i64,
}

/// Recipients affected from the aggregate tables (the events path is `agg::scan`).
pub fn affected(conn: &Connection, scope: Option<i64>) -> Result<Affected> {
    let mut per_row = HashMap::new();
    let mut st = conn.prepare_cached("SELECT campaign_id, channel, n FROM agg_recipient_count")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        per_row.insert((r.get(0)?, r.get(1)?), r.get(2)?);
    }
    let scope_total: i64 = match scope {
        Some(c) => per_row
            .iter()
            .filter(|((id, _), _)| *id == c)
            .map(|(_, n)| *n)
            .sum(),
        None => conn.query_row(
            "SELECT COALESCE(SUM(n), 0) FROM agg_recipient_all_count",
            [],
            |r| r.get(0),
        )?,
    };
    Ok(Affected {
        per_row,
        scope_total,
    })
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
    let mut st = conn.prepare_cached(
        "SELECT id, key, name, channel, sent_count, delivered_count FROM campaigns",
    )?;
    let mut out = HashMap::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        out.insert(
            r.get(0)?,
            CampaignInfo {
                key: r.get(1)?,
                name: r.get(2)?,
                channel: r.get(3)?,
                sent: r.get(4)?,
                delivered: r.get(5)?,
            },
        );
    }
    Ok(out)
}
