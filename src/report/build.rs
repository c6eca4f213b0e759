//! Putting a report together from the sources: rows, totals, series, breakdowns, health.

use super::counts::{ratio, Counts, Rates, SentSource};
use super::health::{compare, health_of, Health, Thresholds};
use super::recipients;
use super::source::{self, CampaignInfo, Range};
use super::{
    Breakdown, BreakdownRow, DelayBucket, DelayHistogram, Report, Summary, Zone,
};
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use std::collections::{BTreeMap, HashMap};

/// What to report on. `to` is inclusive; both dates are local to `zone`.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub campaign: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub zone: Zone,
    /// Rows kept in the domain and MTA breakdowns before the rest is grouped as "other" (0 = 10).
    pub top: usize,
    /// None: the thresholds stored in settings (or the defaults).
    pub thresholds: Option<Thresholds>,
    /// Count everything from the events table, ignoring the aggregates (tests and benchmarks).
    #[doc(hidden)]
    pub exact: bool,
}

const DELAY_BUCKETS: [(&str, &str); 6] = [
    ("lt_1m", "< 1 min"),
    ("lt_1h", "< 1 hour"),
    ("lt_6h", "< 6 hours"),
    ("lt_1d", "< 1 day"),
    ("lt_3d", "< 3 days"),
    ("more", "3 days or more"),
];

/// Finds a campaign by numeric id, key or (unique) name.
pub fn campaign_by_key_or_id(store: &Store, s: &str) -> Result<Option<i64>> {
    let conn = store.conn();
    if let Ok(id) = s.trim().parse::<i64>() {
        if let Some(id) = conn
            .query_row("SELECT id FROM campaigns WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
        {
            return Ok(Some(id));
        }
    }
    if let Some(id) = conn
        .query_row("SELECT id FROM campaigns WHERE key = ?1", [s], |r| r.get(0))
        .optional()?
    {
        return Ok(Some(id));
    }
    let mut st = conn.prepare("SELECT id FROM campaigns WHERE name = ?1 LIMIT 2")?;
    let ids: Vec<i64> = st.query_map([s], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(if ids.len() == 1 {
        ids.first().copied()
    } else {
        None
    })
}

pub fn report(store: &Store, q: &Query) -> Result<Report> {
    // REBOUND_REPORT_TRACE=1 prints how long each step took (performance work, issue 10).
    let t0 = std::time::Instant::now();
    let trace = std::env::var_os("REBOUND_REPORT_TRACE").is_some();
    let lap = |what: &str| {
        if trace {
            eprintln!("  {what}: {:.1} ms", t0.elapsed().as_secs_f64() * 1000.0)
        }
    };
    let conn = store.conn();
    // While another connection holds the write lock (an import running), new imports cannot
    // be added to the aggregates: count from the events instead of failing.
    let exact = q.exact
        || match super::agg::sync_aggregates(conn) {
            Ok(_) => false,
            Err(e) if e.code() == "locked" => true,
            Err(e) => return Err(e),
        };
    lap("sync");
    let range = date_range(q)?;
    let th = match q.thresholds {
        Some(t) => t,
        None => Thresholds::load(store)?,
    };
    let infos = source::campaigns(conn)?;
    if let Some(c) = q.campaign {
        if !infos.contains_key(&c) {
            return Err(Error::Invalid(format!(
                "there is no campaign with id {c}; `rebound report` lists them"
            )));
        }
    }
    // Open range: the whole-history tables. A range on quarter hours (every local midnight in
    // use today): hourly rows for totals and series, whole UTC days for breakdowns and
    // recipients, and the events of the partial UTC days at its edges (at most two days).
    // Anything else (`exact`, a historical offset) counts the range from the events.
    let open_agg = !exact && range.is_open();
    let day_agg = !exact
        && !range.is_open()
        && range.on_quarters()
        && range.from.zip(range.to).is_none_or(|(f, t)| t - f >= 7200);
    let agg = open_agg || day_agg;
    lap("campaigns");
    let totals = source::totals(conn, range, agg)?;
    lap("totals");
    let (whole_days, edge_spans) = range.days();
    let scanned = if open_agg {
        None
    } else if day_agg {
        let mut acc = super::agg::Acc::default();
        for (a, b) in &edge_spans {
            for (filter, args) in source::span_filters(*a, *b) {
                super::agg::scan_into(conn, &mut acc, &filter, &args, true)?;
            }
        }
        Some(acc)
    } else {
        let (filter, args) = source::where_events(None, range);
        Some(super::agg::scan(conn, &filter, &args, true)?)
    };
    let affected = match &scanned {
        None => recipients::affected(conn, q.campaign)?,
        Some(acc) if day_agg => recipients::affected_in_days(
            conn,
            q.campaign,
            whole_days.0,
            whole_days.1,
            acc.hits(),
            &|i| acc.channel_name(i),
        )?,
        Some(acc) => {
            let (per_row, scope_total) = acc.affected(q.campaign);
            recipients::Affected {
                per_row,
                scope_total,
            }
        }
    };
    lap("affected");
    let mut campaigns = campaign_rows(&totals, &infos, &affected.per_row);
    for i in 0..campaigns.len() {
        let prev = previous_of(&campaigns, i);
        let h = health_of(&campaigns[i], prev.and_then(|p| campaigns.get(p)), &th);
        if let Some(row) = campaigns.get_mut(i) {
            row.health = h;
        }
    }
    let mut total = scope_total(&campaigns, q.campaign, affected.scope_total, &th);
    if let Some(info) = q.campaign.and_then(|c| infos.get(&c)) {
        total.campaign_key = Some(info.key.clone());
        total.campaign_name = info.name.clone();
    }
    lap("rows");
    let (series, series_agg) = super::series::series(conn, q, range, agg, &total.counts)?;
    lap("series");
    let dim_rows = |dim: &str| -> Result<Vec<source::DimRow>> {
        match &scanned {
            None => source::dims(conn, dim, q.campaign, None),
            Some(acc) if day_agg => {
                let mut rows = if whole_days.0 < whole_days.1 {
                    source::dims(conn, dim, q.campaign, Some(whole_days))?
                } else {
                    Vec::new()
                };
                rows.extend(acc.dim_rows(dim, q.campaign));
                Ok(rows)
            }
            Some(acc) => Ok(acc.dim_rows(dim, q.campaign)),
        }
    };
    let bd = |dim: &str, top: usize| breakdown(dim_rows(dim)?, dim, top);
    let top = if q.top == 0 { 10 } else { q.top };
    let comparison = q
        .campaign
        .and_then(|c| campaigns.iter().position(|r| r.campaign_id == Some(c)))
        .and_then(|i| compare(&campaigns, i, 3));
    if let Some(c) = q.campaign {
        let mine: Vec<&Summary> = campaigns
            .iter()
            .filter(|r| r.campaign_id == Some(c))
            .collect();
        if let [only] = mine.as_slice() {
            total.health = only.health.clone();
        }
    }
    Ok(Report {
        zone: q.zone,
        campaign: q.campaign,
        from: q.from,
        to: q.to,
        total,
        series,
        reasons: bd("reason", 100)?,
        domains: bd("domain", top)?,
        providers: bd("provider", 30)?,
        mtas: bd("mta", top)?,
        delay: delay(dim_rows("delay")?)?,
        comparison,
        thresholds: th,
        campaigns,
        from_aggregates: open_agg && series_agg,
    })
}

fn date_range(q: &Query) -> Result<Range> {
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f > t {
            return Err(Error::Invalid(format!("--from {f} is after --to {t}")));
        }
    }
    let bad = |d: NaiveDate| {
        Error::Invalid(format!(
            "the date {d} cannot be placed in the zone {}",
            q.zone.name()
        ))
    };
    let from = match q.from {
        Some(d) => Some(q.zone.start_of(d).ok_or_else(|| bad(d))?),
        None => None,
    };
    let to = match q.to {
        Some(d) => {
            let next = d.succ_opt().ok_or_else(|| bad(d))?;
            Some(q.zone.start_of(next).ok_or_else(|| bad(d))?)
        }
        None => None,
    };
    Ok(Range { from, to })
}

struct RowAcc {
    counts: Counts,
    first: Option<i64>,
    last: Option<i64>,
}

fn campaign_rows(
    totals: &[source::TotalRow],
    infos: &HashMap<i64, CampaignInfo>,
    affected: &HashMap<(i64, String), i64>,
) -> Vec<Summary> {
    let mut acc: BTreeMap<(i64, String), RowAcc> = BTreeMap::new();
    for t in totals {
        let a = acc
            .entry((t.campaign, t.channel.clone()))
            .or_insert(RowAcc {
                counts: Counts::default(),
                first: None,
                last: None,
            });
        a.counts.add(&t.kind, &t.class, t.n);
        a.first = min_opt(a.first, t.first);
        a.last = a.last.max(t.last);
    }
    let mut rows: Vec<Summary> = acc
        .into_iter()
        .map(|((id, channel), a)| {
            let info = infos.get(&id);
            let summary_applies =
                info.is_some_and(|i| i.channel.as_deref().is_none_or(|c| c == channel));
            let (sent, sent_source) = match info.and_then(|i| i.sent).filter(|_| summary_applies) {
                Some(s) => (Some(s), SentSource::Summary),
                // Logs that list every message with its final outcome (Twilio, Mailgun) have few
                // or no "sent" rows: every delivered or bounced message was sent, so that sum is
                // a floor. Bounces alone (a mailbox) never tell how many were sent.
                None if a.counts.sent > 0 || a.counts.delivered > 0 => (
                    Some(a.counts.sent.max(a.counts.delivered + a.counts.bounces())),
                    SentSource::SentEvents,
                ),
                None => (None, SentSource::Unknown),
            };
            let delivered = info
                .and_then(|i| i.delivered)
                .filter(|_| summary_applies)
                .or((a.counts.delivered > 0).then_some(a.counts.delivered));
            Summary {
                campaign_id: (id != 0).then_some(id),
                campaign_key: info.map(|i| i.key.clone()),
                campaign_name: info.and_then(|i| i.name.clone()),
                sent,
                sent_source,
                delivered,
                rates: Rates::of(&a.counts, sent, delivered),
                block_share: ratio(a.counts.block, Some(a.counts.bounces())),
                recipients_affected: affected.get(&(id, channel.clone())).copied().unwrap_or(0),
                channel: Some(channel),
                counts: a.counts,
                first_event: a.first,
                last_event: a.last,
                rows_with_sent: usize::from(sent.is_some()),
                rows: 1,
                health: Health::default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (
            a.first_event.is_none(),
            a.first_event,
            a.campaign_id,
            &a.channel,
        )
            .cmp(&(
                b.first_event.is_none(),
                b.first_event,
                b.campaign_id,
                &b.channel,
            ))
    });
    rows
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The row before `i` on the same channel, belonging to a campaign.
fn previous_of(rows: &[Summary], i: usize) -> Option<usize> {
    let cur = rows.get(i)?;
    cur.campaign_id?;
    (0..i).rev().find(|&j| {
        rows.get(j)
            .is_some_and(|r| r.channel == cur.channel && r.campaign_id.is_some())
    })
}

/// Sums rows of the scope; rates cover only rows whose sent count is known.
fn scope_total(rows: &[Summary], scope: Option<i64>, affected: i64, th: &Thresholds) -> Summary {
    let mine: Vec<&Summary> = rows
        .iter()
        .filter(|r| scope.is_none() || r.campaign_id == scope)
        .collect();
    let mut counts = Counts::default();
    let mut known = Counts::default();
    let (mut sent, mut delivered, mut with_sent) = (0i64, 0i64, 0usize);
    let mut sources = Vec::new();
    for r in &mine {
        counts.merge(&r.counts);
        if let Some(s) = r.sent {
            known.merge(&r.counts);
            sent += s;
            delivered += r.delivered.unwrap_or(0);
            with_sent += 1;
            sources.push(r.sent_source);
        }
    }
    let sent_source = match sources.first() {
        None => SentSource::Unknown,
        Some(f) if sources.iter().all(|s| s == f) => *f,
        Some(_) => SentSource::Mixed,
    };
    let sent_opt = (with_sent > 0).then_some(sent);
    let channels: Vec<&Option<String>> = mine.iter().map(|r| &r.channel).collect();
    let one_channel = channels
        .first()
        .filter(|c| channels.iter().all(|x| x == *c))
        .and_then(|c| (*c).clone());
    let mut s = Summary {
        campaign_id: scope,
        campaign_key: mine
            .first()
            .and_then(|r| r.campaign_key.clone())
            .filter(|_| scope.is_some()),
        campaign_name: mine
            .first()
            .and_then(|r| r.campaign_name.clone())
            .filter(|_| scope.is_some()),
        channel: one_channel,
        sent: sent_opt,
        sent_source,
        delivered: (with_sent > 0 && delivered > 0).then_some(delivered),
        rates: Rates::of(&known, sent_opt, (delivered > 0).then_some(delivered)),
        block_share: ratio(counts.block, Some(counts.bounces())),
        recipients_affected: affected,
        first_event: mine.iter().filter_map(|r| r.first_event).min(),
        last_event: mine.iter().filter_map(|r| r.last_event).max(),
        rows_with_sent: with_sent,
        rows: mine.len(),
        counts,
        health: Health::default(),
    };
    s.health = health_of(&s, None, th);
    s
}

fn breakdown(rows: Vec<source::DimRow>, dim: &str, top: usize) -> Result<Breakdown> {
    let mut by: HashMap<String, Counts> = HashMap::new();
    for (value, kind, class, n) in rows {
        by.entry(value).or_default().add(&kind, &class, n);
    }
    let mut rows: Vec<BreakdownRow> = by
        .into_iter()
        .map(|(value, counts)| BreakdownRow {
            total: counts.failures(),
            value,
            counts,
            share: None,
        })
        .filter(|r| r.total > 0)
        .collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.value.cmp(&b.value)));
    let total: i64 = rows.iter().map(|r| r.total).sum();
    let other = (rows.len() > top).then(|| {
        let mut counts = Counts::default();
        rows.iter().skip(top).for_each(|r| counts.merge(&r.counts));
        BreakdownRow {
            value: "other".into(),
            total: counts.failures(),
            counts,
            share: ratio(counts.failures(), Some(total)),
        }
    });
    rows.truncate(top);
    for r in &mut rows {
        r.share = ratio(r.total, Some(total));
    }
    Ok(Breakdown {
        dimension: dim.to_string(),
        rows,
        other,
        total,
    })
}

fn delay(rows: Vec<source::DimRow>) -> Result<DelayHistogram> {
    let mut by: HashMap<String, i64> = HashMap::new();
    for (key, kind, _class, n) in rows {
        if kind == "bounce" {
            *by.entry(key).or_default() += n;
        }
    }
    Ok(DelayHistogram {
        buckets: DELAY_BUCKETS
            .iter()
            .map(|(k, l)| DelayBucket {
                key: k.to_string(),
                label: l.to_string(),
                count: by.get(*k).copied().unwrap_or(0),
            })
            .collect(),
        unknown: by.get("unknown").copied().unwrap_or(0),
    })
}
