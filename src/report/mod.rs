//! Numbers from stored events: per campaign and channel, per day and ISO week in the
//! user's zone, breakdowns, time to bounce, health levels and comparisons. The CLI, the
//! exports and the desktop app all read these structs.
//!
//! Speed: totals, series, breakdowns and recipients affected come from the report tables
//! of migration 5 (filled per committed import by `sync_aggregates`, which every report runs
//! first, and kept exact when an import is removed by `forget_import`), so a report over
//! millions of events reads thousands of rows. A date range reads whole UTC days (hours for
//! totals and series, split at quarter hours) from them and counts only its partial first and
//! last UTC day from `events`; `Query::exact` counts everything from `events` (the tests
//! compare both for every zone and range).

mod agg;
mod build;
mod campaign_extra;
mod counts;
pub mod export;
mod health;
mod recipients;
mod series;
mod source;
pub mod zone;

pub use agg::{forget_import, rebuild_aggregates, sync_aggregates};
pub use agg::{Counted, ImportCounts};
pub(crate) use agg::finish_import_counts;
pub use build::{campaign_by_key_or_id, report, Query};
pub use campaign_extra::{set_sent_count, sparklines, Sparkline, MANUAL_SOURCE};
pub use counts::{Category, Counts, Rates, SentSource};
pub use health::{
    compare, english, health_of, Check, Comparison, Delta, Health, Level, Thresholds, HEALTH_TEXTS,
    THRESHOLDS_SETTING,
};
pub use zone::{Zone, TZ_SETTING};

use chrono::NaiveDate;
use serde::Serialize;

/// One row of the campaigns table (a campaign on one channel), or the totals of a scope.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// None for events that belong to no campaign, and for totals.
    pub campaign_id: Option<i64>,
    pub campaign_key: Option<String>,
    pub campaign_name: Option<String>,
    /// None for totals over several channels.
    pub channel: Option<String>,
    /// Messages sent: the campaign's summary count, else its sent events, else unknown.
    pub sent: Option<i64>,
    pub sent_source: SentSource,
    /// Delivered: the campaign's summary count, else its delivered events when there are any.
    pub delivered: Option<i64>,
    pub counts: Counts,
    /// Each count ÷ sent; None when sent is unknown or zero.
    pub rates: Rates,
    /// Blocks ÷ (hard + soft + block): how much of the bouncing is the sending, not the list.
    pub block_share: Option<f64>,
    /// Distinct recipients with a bounce, deferral, complaint or unsubscribe.
    pub recipients_affected: i64,
    /// First and last event (UTC seconds).
    pub first_event: Option<i64>,
    pub last_event: Option<i64>,
    /// For totals: how many campaign rows had a known sent count (rates cover only those).
    pub rows_with_sent: usize,
    pub rows: usize,
    pub health: Health,
}

/// A day (`2026-11-23`) or ISO week (`2026-W48`) in the report's zone.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Period {
    pub label: String,
    /// First local day of the period.
    pub start: NaiveDate,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Series {
    /// Every local day from the first to the last event (gaps filled with zeros unless the span passes ten years).
    pub days: Vec<Period>,
    pub weeks: Vec<Period>,
    /// Events without a time: in the totals, not in the series.
    pub undated: Counts,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BreakdownRow {
    /// The reason, domain, provider or MTA; "" when unknown; "other" for the grouped tail.
    pub value: String,
    pub counts: Counts,
    /// Failures in this row (hard + soft + block + complaint + unsubscribe + deferred + unclassified).
    pub total: i64,
    /// total ÷ the breakdown's total.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Breakdown {
    /// `reason`, `domain`, `provider` or `mta`.
    pub dimension: String,
    pub rows: Vec<BreakdownRow>,
    /// The long tail past the top N, grouped; None when nothing was left out.
    pub other: Option<BreakdownRow>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DelayBucket {
    /// `lt_1m`, `lt_1h`, `lt_6h`, `lt_1d`, `lt_3d`, `more`.
    pub key: String,
    /// English label for the CLI (`< 1 min`); the window translates `key`.
    pub label: String,
    pub count: i64,
}

/// Time from sending to the bounce, over bounces (hard, soft, block).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DelayHistogram {
    pub buckets: Vec<DelayBucket>,
    /// Bounces without a send time (or with a send time after the bounce).
    pub unknown: i64,
}

/// Everything one screen or one `rebound report` needs, for one scope (a campaign or all).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub zone: Zone,
    pub campaign: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Every campaign × channel in the date range, oldest first (the campaigns table).
    pub campaigns: Vec<Summary>,
    /// The scope: the selected campaign (all its channels) or everything.
    pub total: Summary,
    pub series: Series,
    pub reasons: Breakdown,
    pub domains: Breakdown,
    pub providers: Breakdown,
    pub mtas: Breakdown,
    pub delay: DelayHistogram,
    /// The selected campaign against the ones before it (same channel).
    pub comparison: Option<Comparison>,
    /// The thresholds the health levels used (the rates chart draws them as bands).
    pub thresholds: Thresholds,
    /// True when everything came from the aggregate tables; false when some part was
    /// counted from the events table (date-filtered breakdowns, half-hour zones).
    pub from_aggregates: bool,
}
