//! Where the numbers are read: the aggregate tables (fast) or the events table (exact
//! for any date range and any zone). Both return the same shapes, so tests compare them.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
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

    /// True when both bounds fall on a quarter hour (every local midnight in use today): the
    /// hourly rows' q1..q3 columns then split the edge hours exactly.
    pub fn on_quarters(&self) -> bool {
        self.from.is_none_or(|t| t.rem_euclid(900) == 0)
            && self.to.is_none_or(|t| t.rem_euclid(900) == 0)
    }

    /// The hours that overlap the range: [floor(from), ceil(to)), dated only.
    pub fn covering_hours(&self) -> (i64, i64) {
        (
            self.from
                .map(|t| t.div_euclid(3600))
                .unwrap_or(UNDATED_HOUR + 1),
            self.to
                .map(|t| t.div_euclid(3600) + i64::from(t.rem_euclid(3600) != 0))
                .unwrap_or(i64::MAX),
        )
    }

    /// The whole UTC days inside the range, [d0, d1), and the partial days at its edges as
    /// spans of seconds (at most two; the whole range when it holds no whole day).
    pub fn days(&self) -> ((i64, i64), Vec<(i64, i64)>) {
        let d0 = self
            .from
            .map(|t| t.div_euclid(86_400) + i64::from(t.rem_euclid(86_400) != 0))
            .unwrap_or(UNDATED_HOUR + 1);
        let d1 = self.to.map(|t| t.div_euclid(86_400)).unwrap_or(i64::MAX);
        if d0 >= d1 {
            let (Some(f), Some(t)) = (self.from, self.to) else {
                return ((0, 0), Vec::new());
            };
            return ((0, 0), vec![(f, t)]);
        }
        let mut spans = Vec::new();
        if let Some(f) = self.from.filter(|f| *f < d0 * 86_400) {
            spans.push((f, d0 * 86_400));
        }
        if let Some(t) = self.to.filter(|t| *t > d1 * 86_400) {
            spans.push((d1 * 86_400, t));
        }
        ((d0, d1), spans)
    }
}

/// Filters for every event in [a, b) that go through the (campaign_id, occurred_at) index
/// (no index on the time alone is needed): one per campaign list and one for no campaign.
pub fn span_filters(a: i64, b: i64) -> Vec<(String, Vec<i64>)> {
    vec![
        (
            "e.campaign_id IN (SELECT id FROM campaigns) AND e.occurred_at >= ?1 AND e.occurred_at < ?2".into(),
            vec![a, b],
        ),
        (
            "e.campaign_id IS NULL AND e.occurred_at >= ?1 AND e.occurred_at < ?2".into(),
            vec![a, b],
        ),
    ]
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

/// Totals from the events (`agg` false), the per-campaign table (open range), or the hourly
/// rows (a range on quarter hours: whole hours, plus the edge hours' q1..q3 parts).
pub fn totals(conn: &Connection, range: Range, agg: bool) -> Result<Vec<TotalRow>> {
    if agg && range.is_open() {
        return agg_totals(conn);
    }
    if agg {
        return hour_totals(conn, range);
    }
    let (filter, args) = where_events(None, range);
    let sql = format!(
        "SELECT COALESCE(e.campaign_id, 0), e.channel, e.kind, e.class, COUNT(*),
            MIN(e.occurred_at) - (((MIN(e.occurred_at) % 3600) + 3600) % 3600),
            MAX(e.occurred_at) - (((MAX(e.occurred_at) % 3600) + 3600) % 3600)
         FROM events e WHERE {filter} GROUP BY 1, 2, 3, 4"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args.iter()), total_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every campaign id the hourly table can hold, for index seeks on (campaign_id, hour).
const ALL_CAMPAIGNS: &str = "(SELECT id FROM campaigns UNION ALL SELECT 0)";

fn hour_totals(conn: &Connection, range: Range) -> Result<Vec<TotalRow>> {
    let (a, b) = range.covering_hours();
    let cut = |t: Option<i64>| t.filter(|t| t.rem_euclid(3600) != 0);
    let (head, tail) = (cut(range.from), cut(range.to));
    // Whole hours only: the edge hours are added below by their parts.
    let whole = (a + i64::from(head.is_some()), b - i64::from(tail.is_some()));
    let mut st = conn.prepare_cached(&format!(
        "SELECT h.campaign_id, c.channel, c.kind, c.class, SUM(h.n), MIN(h.hour) * 3600, MAX(h.hour) * 3600
         FROM agg_hour h JOIN agg_cls c ON c.id = h.cls
         WHERE h.campaign_id IN {ALL_CAMPAIGNS} AND h.hour >= ?1 AND h.hour < ?2
         GROUP BY 1, 2, 3, 4"
    ))?;
    let mut out: HashMap<(i64, String, String, String), TotalRow> = HashMap::new();
    for r in st.query_map(params![whole.0, whole.1], total_row)? {
        let r = r?;
        out.insert(
            (r.campaign, r.channel.clone(), r.kind.clone(), r.class.clone()),
            r,
        );
    }
    let mut edge = conn.prepare_cached(&format!(
        "SELECT h.campaign_id, c.channel, c.kind, c.class, h.n, h.q1, h.q2, h.q3
         FROM agg_hour h JOIN agg_cls c ON c.id = h.cls
         WHERE h.campaign_id IN {ALL_CAMPAIGNS} AND h.hour = ?1"
    ))?;
    for (t, after) in [(head, true), (tail, false)] {
        let Some(t) = t else { continue };
        let hour = t.div_euclid(3600);
        let k = (t.rem_euclid(3600) / 900) as usize;
        let mut rows = edge.query([hour])?;
        while let Some(r) = rows.next()? {
            let q = [r.get::<_, i64>(4)?, r.get(5)?, r.get(6)?, r.get(7)?];
            let before = if k == 0 { 0 } else { q.get(k).copied().unwrap_or(0) };
            let part = if after { q[0] - before } else { before };
            if part <= 0 {
                continue;
            }
            let key: (i64, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let e = out.entry(key.clone()).or_insert(TotalRow {
                campaign: key.0,
                channel: key.1,
                kind: key.2,
                class: key.3,
                n: 0,
                first: None,
                last: None,
            });
            e.n += part;
            e.first = Some(e.first.map_or(hour * 3600, |f| f.min(hour * 3600)));
            e.last = Some(e.last.map_or(hour * 3600, |l| l.max(hour * 3600)));
        }
    }
    Ok(out.into_values().collect())
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
    let mut st = conn.prepare_cached(
        "SELECT t.campaign_id, c.channel, c.kind, c.class, t.n FROM agg_total t JOIN agg_cls c ON c.id = t.cls",
    )?;
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
    let probe = |order: &str| {
        format!(
            "SELECT hour * 3600 FROM agg_hour WHERE campaign_id = ?1 AND hour > {UNDATED_HOUR}
               AND cls IN (SELECT id FROM agg_cls WHERE channel = ?2) ORDER BY hour {order} LIMIT 1"
        )
    };
    let mut first = conn.prepare_cached(&probe("ASC"))?;
    let mut last = conn.prepare_cached(&probe("DESC"))?;
    let mut bounds: HashMap<(i64, String), (Option<i64>, Option<i64>)> = HashMap::new();
    for r in &mut rows {
        let key = (r.campaign, r.channel.clone());
        if !bounds.contains_key(&key) {
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

/// `bucket`-second buckets of dated events from the events table (the exact path).
pub fn buckets(
    conn: &Connection,
    scope: Option<i64>,
    range: Range,
    bucket: i64,
) -> Result<Vec<BucketRow>> {
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
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Hourly rows: (hour start in UTC seconds, index into `cls`, [n, in the first 15, 30, 45
/// minutes]); `cls` holds the (kind, class) of each index (read once, not per row).
#[derive(Default)]
pub struct HourRows {
    pub cls: Vec<(String, String)>,
    pub rows: Vec<(i64, usize, [i64; 4])>,
}

/// The hourly rows of the scope for the hours that overlap `range`.
pub fn hours(conn: &Connection, scope: Option<i64>, range: Range) -> Result<HourRows> {
    let mut out = HourRows::default();
    let mut index: Vec<Option<usize>> = Vec::new();
    let mut st = conn.prepare_cached("SELECT id, kind, class FROM agg_cls")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0);
        if id >= index.len() {
            index.resize(id + 1, None);
        }
        if let Some(slot) = index.get_mut(id) {
            *slot = Some(out.cls.len());
        }
        out.cls.push((r.get(1)?, r.get(2)?));
    }
    let (a, b) = range.covering_hours();
    let sql = match scope {
        None => "SELECT hour * 3600, cls, n, q1, q2, q3 FROM agg_hour_all
                 WHERE hour >= ?1 AND hour < ?2 AND ?3 IS NULL",
        Some(_) => "SELECT hour * 3600, cls, n, q1, q2, q3 FROM agg_hour
                 WHERE campaign_id = ?3 AND hour >= ?1 AND hour < ?2",
    };
    let mut st = conn.prepare_cached(sql)?;
    let mut rows = st.query(params![a, b, scope])?;
    while let Some(r) = rows.next()? {
        let cls = usize::try_from(r.get::<_, i64>(1)?).unwrap_or(usize::MAX);
        let Some(Some(i)) = index.get(cls) else { continue };
        out.rows.push((
            r.get(0)?,
            *i,
            [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
        ));
    }
    Ok(out)
}

/// (kind, class, n) per span start.
pub type SpanCounts = HashMap<i64, Vec<(String, String, i64)>>;

/// Dated events per (kind, class) inside each half-open span `[start, end)`, keyed by start,
/// in one statement (the spans go in as JSON): only for a local midnight that is not on a
/// quarter hour (historical offsets); the hourly rows' q1..q3 split every other one.
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

/// Failures by one dimension: over the whole history (`days` None) or over whole UTC days
/// [d0, d1) (`days` Some).
pub fn dims(
    conn: &Connection,
    dim: &str,
    scope: Option<i64>,
    days: Option<(i64, i64)>,
) -> Result<Vec<DimRow>> {
    let Some(d) = super::agg::DIMS.iter().position(|x| *x == dim) else {
        return Ok(Vec::new());
    };
    let inner = match (scope, days.is_none()) {
        (None, true) => "SELECT value, cls, n FROM agg_dim_all WHERE dim = ?1 AND ?2 IS NULL",
        (Some(_), true) => "SELECT value, cls, n FROM agg_dim_campaign WHERE campaign_id = ?2 AND dim = ?1",
        (None, false) => {
            "SELECT value, cls, SUM(n) AS n FROM agg_dim_day_all WHERE dim = ?1 AND ?2 IS NULL
             AND day >= ?3 AND day < ?4 GROUP BY 1, 2"
        }
        (Some(_), false) => {
            "SELECT value, cls, SUM(n) AS n FROM agg_dim_day WHERE campaign_id = ?2 AND dim = ?1
             AND day >= ?3 AND day < ?4 GROUP BY 1, 2"
        }
    };
    let sql = format!(
        "SELECT v.name, c.kind, c.class, s.n FROM ({inner}) s
         JOIN agg_names v ON v.id = s.value JOIN agg_cls c ON c.id = s.cls"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    let rows = match days {
        None => st
            .query_map(params![d as i64, scope], map)?
            .collect::<Result<Vec<_>, _>>()?,
        Some((a, b)) => st
            .query_map(params![d as i64, scope, a, b], map)?
            .collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

/// The bucket keys of the `delay` dimension.
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
