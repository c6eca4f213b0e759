//! The explorer's queries. Row selection (filter, order, offset) runs on the
//! covering index alone and yields ids; only the rows of the page are then joined
//! with recipients, campaigns and texts.

use super::filter::{Filter, TIME_KEY};
use super::*;
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use std::collections::HashMap;
use std::str::FromStr;

/// The explorer's covering indexes (explore_by_time, explore_by_campaign) are gone since
/// migration 6: the column snapshot answers counts, facets and pages up to 5,000,000
/// events, and the two indexes would add roughly 0.5 GB at that size (estimated from their
/// entry sizes). Migration 6 dropped them with the old table.
const INDEXES: &[(&str, &str)] = &[];

/// Creates the explorer's index when missing (see the module comment for why lazily).
/// A failure (read-only file, a writer holding the lock) is not fatal: queries still work.
pub(crate) fn ensure_indexes(conn: &Connection) {
    for (name, sql) in INDEXES {
        let exists = conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |_| Ok(()),
            )
            .optional();
        if matches!(exists, Ok(None)) {
            let _ = conn.execute_batch(sql);
        }
    }
}

/// Builds the explorer's indexes now (1-3 s at 1,000,000 events, once per database),
/// so the app can do it off the UI thread after an import instead of on the first
/// explorer call. Safe to call any time; a failure only leaves queries slower.
pub fn prepare(store: &Store) {
    ensure_indexes(store.conn());
}

/// Rows the filter matches (for the scrollbar).
pub fn count(store: &Store, filter: &Filter) -> Result<i64> {
    ensure_indexes(store.conn());
    match super::snapshot::get(store.conn()) {
        Some(snap) => snap.count(store.conn(), filter),
        None => count_sql(store, filter),
    }
}

pub(crate) fn count_sql(store: &Store, filter: &Filter) -> Result<i64> {
    let conn = store.conn();
    let w = filter.to_where(conn)?;
    let sql = format!("SELECT count(*) FROM events e WHERE {}", w.sql);
    Ok(conn.query_row(&sql, params_from_iter(w.args.iter()), |r| r.get(0))?)
}

/// One page of the table, at most `limit` rows (capped at `MAX_PAGE`).
pub fn page(
    store: &Store,
    filter: &Filter,
    sort: Sort,
    at: PageAt,
    limit: u32,
) -> Result<Vec<EventRow>> {
    ensure_indexes(store.conn());
    match super::snapshot::get(store.conn()) {
        Some(snap) => {
            let ids = snap.page_ids(store.conn(), filter, sort, at, limit)?;
            rows_by_id(store.conn(), &ids)
        }
        None => page_sql(store, filter, sort, at, limit),
    }
}

/// The rows of `ids`, in that order (ids no longer stored are left out).
fn rows_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<EventRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM events e
         JOIN recipients r ON r.id = e.recipient_id
         LEFT JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.id IN ({marks})"
    );
    let mut st = conn.prepare(&sql)?;
    let mut found: HashMap<i64, EventRow> = st
        .query_map(params_from_iter(ids.iter()), event_row)?
        .map(|r| r.map(|row| (row.id, row)))
        .collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The table's columns, read by `event_row`. The preview is cut as bytes (text
/// functions stop at a NUL a hostile server may send) and bounded, so a 10 MB
/// "diagnostic" costs the same as a short one.
const ROW_COLUMNS: &str = "e.id, e.occurred_at, r.address, r.domain, e.channel, e.kind, c.id, c.key, c.name,
    e.class, e.reason, e.status, e.reply_code, e.provider, substr(CAST(e.diagnostic AS BLOB), 1, 4000)";

pub(crate) fn page_sql(
    store: &Store,
    filter: &Filter,
    sort: Sort,
    at: PageAt,
    limit: u32,
) -> Result<Vec<EventRow>> {
    let conn = store.conn();
    let mut w = filter.to_where(conn)?;
    let (dir, cmp) = match sort {
        Sort::NewestFirst => ("DESC", "<"),
        Sort::OldestFirst => ("ASC", ">"),
    };
    let offset = match at {
        PageAt::Offset { offset } => i64::try_from(offset).unwrap_or(i64::MAX),
        PageAt::After { cursor } => {
            // Written as a range on the index's first column plus a tie-break, which the
            // planner turns into an index seek (a row-value comparison it would scan).
            w.sql = format!(
                "{} AND {TIME_KEY} {cmp}= ? AND ({TIME_KEY} {cmp} ? OR e.id {cmp} ?)",
                w.sql
            );
            w.args.extend([
                Value::Integer(cursor.at),
                Value::Integer(cursor.at),
                Value::Integer(cursor.id),
            ]);
            0
        }
    };
    w.args
        .push(Value::Integer(i64::from(limit.clamp(1, MAX_PAGE))));
    w.args.push(Value::Integer(offset));
    // The inner select is not flattened into the join (it has a LIMIT), so the
    // skipped rows are read from the index only.
    let sql = format!(
        "SELECT {ROW_COLUMNS}
         FROM (SELECT e.id AS id FROM events e WHERE {where_}
               ORDER BY {TIME_KEY} {dir}, e.id {dir} LIMIT ? OFFSET ?) AS p
         JOIN events e ON e.id = p.id
         JOIN recipients r ON r.id = e.recipient_id
         LEFT JOIN campaigns c ON c.id = e.campaign_id
         ORDER BY {TIME_KEY} {dir}, e.id {dir}",
        where_ = w.sql
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params_from_iter(w.args.iter()), event_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    let diagnostic: Option<Vec<u8>> = r.get(14)?;
    Ok(EventRow {
        id: r.get(0)?,
        occurred_at: r.get(1)?,
        recipient: r.get(2)?,
        domain: r.get(3)?,
        channel: parse_col(r, 4)?,
        kind: parse_col(r, 5)?,
        campaign_id: r.get(6)?,
        campaign_key: r.get(7)?,
        campaign_name: r.get(8)?,
        class: parse_col(r, 9)?,
        reason: parse_col(r, 10)?,
        status: r.get(11)?,
        reply_code: r.get(12)?,
        provider: r.get(13)?,
        diagnostic_preview: diagnostic
            .map(|d| preview(&String::from_utf8_lossy(&d), PREVIEW_CHARS)),
    })
}

/// Reads a stored enum name; an unknown name (a newer database) is a clear error, not a panic.
fn parse_col<T: FromStr<Err = String>>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse::<T>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// Everything about one event for the "why?" panel.
pub fn detail(store: &Store, id: i64) -> Result<EventDetail> {
    let sql = "SELECT e.id, e.import_id, i.file_name, e.channel, e.kind, r.address, r.domain, c.id, c.key, c.name,
                      e.occurred_at, e.sent_at, e.class, e.reason, e.rule, e.evidence, e.status, e.reply_code,
                      e.diagnostic, m.text, e.provider, e.provider_label, e.original_json,
                      e.source_file, e.source_locator, e.source_offset
               FROM events e
               JOIN recipients r ON r.id = e.recipient_id
               LEFT JOIN imports i ON i.id = e.import_id
               LEFT JOIN campaigns c ON c.id = e.campaign_id
               LEFT JOIN texts m ON m.id = e.remote_mta_id
               WHERE e.id = ?1";
    let found = store.conn().query_row(sql, [id], detail_row).optional()?;
    found.ok_or_else(|| {
        Error::Invalid(format!(
            "no bounce with id {id}: it may have been removed with its import. Refresh the list."
        ))
    })
}

fn detail_row(r: &Row) -> rusqlite::Result<EventDetail> {
    let reason: Reason = parse_col(r, 13)?;
    let original_json: Option<String> = r.get(22)?;
    Ok(EventDetail {
        id: r.get(0)?,
        import_id: r.get(1)?,
        import_file_name: r.get(2)?,
        channel: parse_col(r, 3)?,
        kind: parse_col(r, 4)?,
        recipient: r.get(5)?,
        domain: r.get(6)?,
        campaign_id: r.get(7)?,
        campaign_key: r.get(8)?,
        campaign_name: r.get(9)?,
        occurred_at: r.get(10)?,
        sent_at: r.get(11)?,
        class: parse_col(r, 12)?,
        reason,
        rule: r.get(14)?,
        evidence: r.get(15)?,
        status: r.get(16)?,
        reply_code: r.get(17)?,
        diagnostic: r.get(18)?,
        remote_mta: r.get(19)?,
        provider: r.get(20)?,
        provider_label: r.get(21)?,
        // Written by the store from the same type; unreadable JSON only hides the headers.
        original: original_json.and_then(|j| serde_json::from_str(&j).ok()),
        source_file: r.get(23)?,
        source_locator: r.get(24)?,
        source_offset: r.get(25)?,
        explain_key: explain_key(reason),
        explain_en: explain_en(reason).to_string(),
    })
}

/// The campaign view's bounced recipients: one line per recipient with its latest
/// failure in the campaign, newest first.
pub fn recipients_for_campaign(store: &Store, campaign_id: i64) -> Result<Vec<CampaignRecipient>> {
    let kinds = FAILURE_KINDS
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    // SQLite takes bare columns (class, reason) from the row holding the one max() of the query.
    let sql = format!(
        "SELECT r.address, x.class, x.reason, nullif(x.last_key, 0), x.n
         FROM (SELECT e.recipient_id AS rid, e.class AS class, e.reason AS reason,
                      max({TIME_KEY}) AS last_key, count(*) AS n
               FROM events e WHERE e.campaign_id = ?1 AND e.kind IN ({kinds}) GROUP BY e.recipient_id) AS x
         JOIN recipients r ON r.id = x.rid
         ORDER BY x.last_key DESC, r.address"
    );
    let mut st = store.conn().prepare(&sql)?;
    let rows = st.query_map([campaign_id], |r| {
        Ok(CampaignRecipient {
            recipient: r.get(0)?,
            class: parse_col(r, 1)?,
            reason: parse_col(r, 2)?,
            last_at: r.get(3)?,
            events: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
