//! The campaign view's bounced recipients, one page at a time in SQL.
//!
//! `recipients_for_campaign` (query.rs) builds the whole list and the caller sliced
//! it: every recipient's address was joined and copied for a page of 100. Here the
//! grouping, ordering and LIMIT/OFFSET run in SQLite, the addresses are joined for
//! the page's rows only, and the total comes from the same scan (a window count over
//! the groups). The campaign's events are found through the
//! `events(campaign_id, occurred_at)` index; `events` is only read (SELECT), so this
//! works the same whether `events` is a table or a view with the same columns.
//!
//! Order: latest failure first; equal times by recipient id (first seen first), so a
//! page boundary never repeats or skips a recipient.

use super::filter::{FAILURE_KINDS, TIME_KEY};
use super::CampaignRecipient;
use crate::error::Result;
use crate::store::Store;
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// One page of a campaign's bounced recipients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipientsPage {
    /// Recipients with a failure in the campaign, over all pages.
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<CampaignRecipient>,
}

fn kinds_sql() -> String {
    // Kind names are our own enum's, never user input.
    FAILURE_KINDS.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ")
}

/// Rows `offset..offset+limit` of the campaign's bounced recipients (each with its
/// latest failure in the campaign), and how many there are in all.
pub fn campaign_recipients_page(store: &Store, campaign_id: i64, offset: u64, limit: u32) -> Result<RecipientsPage> {
    let kinds = kinds_sql();
    // SQLite takes the bare columns (class, reason) from the row holding the group's one max().
    let sql = format!(
        "SELECT r.address, p.class, p.reason, nullif(p.last_key, 0), p.n, p.total
         FROM (SELECT e.recipient_id AS rid, e.class AS class, e.reason AS reason,
                      max({TIME_KEY}) AS last_key, count(*) AS n, count(*) OVER () AS total
               FROM events e
               WHERE e.campaign_id = ?1 AND e.kind IN ({kinds})
               GROUP BY e.recipient_id
               ORDER BY last_key DESC, rid
               LIMIT ?2 OFFSET ?3) AS p
         JOIN recipients r ON r.id = p.rid
         ORDER BY p.last_key DESC, p.rid"
    );
    let offset_sql = i64::try_from(offset).unwrap_or(i64::MAX);
    let mut st = store.conn().prepare_cached(&sql)?;
    let mut total: Option<u64> = None;
    let rows = st
        .query_map(rusqlite::params![campaign_id, i64::from(limit), offset_sql], |r| {
            let t: i64 = r.get(5)?;
            Ok((row(r)?, t))
        })?
        .map(|x| {
            x.map(|(row, t)| {
                total = Some(u64::try_from(t).unwrap_or(0));
                row
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = match total {
        Some(t) => t,
        // A page past the end (or an empty campaign) has no row to carry the total.
        None => count(store, campaign_id)?,
    };
    Ok(RecipientsPage { total, offset, rows })
}

fn count(store: &Store, campaign_id: i64) -> Result<u64> {
    let sql = format!("SELECT count(DISTINCT recipient_id) FROM events WHERE campaign_id = ?1 AND kind IN ({})", kinds_sql());
    let n: Option<i64> = store.conn().query_row(&sql, [campaign_id], |r| r.get(0)).optional()?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

fn row(r: &Row) -> rusqlite::Result<CampaignRecipient> {
    Ok(CampaignRecipient {
        recipient: r.get(0)?,
        class: parse(r, 1)?,
        reason: parse(r, 2)?,
        last_at: r.get(3)?,
        events: r.get(4)?,
    })
}

/// A stored enum name; an unknown one (a newer database) is an error, not a panic.
fn parse<T: FromStr<Err = String>>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse::<T>().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
    use crate::store::NewImport;
    use chrono::{TimeZone, Utc};

    const T0: i64 = 1_700_000_000;

    fn event(i: usize, to: &str, kind: Kind, class: Class, reason: Reason, campaign: &str, at: i64) -> Event {
        let src = Source { file: "t.mbox".into(), locator: format!("#{i}"), offset: None };
        let mut e = Event::new(Channel::Email, kind, to, src);
        e.campaign = Some(CampaignRef { key: campaign.into(), name: None });
        e.occurred_at = Utc.timestamp_opt(at, 0).single();
        e.verdict = Verdict { class, reason, rule: "test".into(), evidence: "test".into() };
        e
    }

    fn store_with(events: &[Event]) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let meta = NewImport {
            file_name: "t.mbox".into(),
            file_path: "/tmp/t.mbox".into(),
            size_bytes: 1,
            sha256: "x".into(),
            format: "mbox".into(),
            provider: None,
            detect_reason: None,
        };
        let mut tx = store.begin_import(&meta).expect("begin");
        for (i, e) in events.iter().enumerate() {
            assert!(tx.add_event(e, &format!("fp{i}")).expect("add"));
        }
        tx.commit().expect("commit");
        store
    }

    fn campaign(store: &Store, key: &str) -> i64 {
        store.conn().query_row("SELECT id FROM campaigns WHERE key = ?1", [key], |r| r.get(0)).expect("campaign")
    }

    /// 250 recipients in campaign "c" (some twice, some sharing a time), noise around them.
    fn big() -> Store {
        let mut ev = Vec::new();
        for i in 0..250usize {
            let at = T0 + (i as i64 / 3) * 60; // three recipients per minute: ties on time
            ev.push(event(ev.len(), &format!("r{i:03}@example.com"), Kind::Bounce, Class::Soft, Reason::MailboxFull, "c", at));
            if i % 10 == 0 {
                ev.push(event(ev.len(), &format!("r{i:03}@example.com"), Kind::Bounce, Class::Hard, Reason::UserUnknown, "c", at + 30_000));
            }
        }
        ev.push(event(ev.len(), "sent@example.com", Kind::Delivered, Class::None, Reason::Delivered, "c", T0 + 99_999));
        ev.push(event(ev.len(), "other@example.com", Kind::Bounce, Class::Hard, Reason::UserUnknown, "other", T0 + 99_999));
        store_with(&ev)
    }

    #[test]
    fn pages_join_up_to_the_whole_list_in_the_same_order() {
        let s = big();
        let c = campaign(&s, "c");
        let whole = super::super::recipients_for_campaign(&s, c).expect("whole list");
        assert_eq!(whole.len(), 250, "failures only, one line per recipient, campaign c only");
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let p = campaign_recipients_page(&s, c, offset, 40).expect("page");
            assert_eq!(p.total, 250);
            assert_eq!(p.offset, offset);
            if p.rows.is_empty() {
                break;
            }
            assert!(p.rows.len() <= 40);
            offset += p.rows.len() as u64;
            paged.extend(p.rows);
        }
        assert_eq!(paged.len(), 250);
        let addresses: std::collections::HashSet<_> = paged.iter().map(|r| r.recipient.clone()).collect();
        assert_eq!(addresses.len(), 250, "no recipient repeated across page boundaries");
        // Same rows as the whole-list query, and newest first.
        let mut a = paged.clone();
        let mut b = whole.clone();
        a.sort_by(|x, y| x.recipient.cmp(&y.recipient));
        b.sort_by(|x, y| x.recipient.cmp(&y.recipient));
        assert_eq!(a, b);
        assert!(paged.windows(2).all(|w| w[0].last_at >= w[1].last_at), "newest first");
    }

    #[test]
    fn a_recipient_shows_its_latest_failure_and_its_count() {
        let s = big();
        let p = campaign_recipients_page(&s, campaign(&s, "c"), 0, 5).expect("page");
        // The hard bounces 30,000 s later put every tenth recipient first, latest first.
        let first = &p.rows[0];
        assert_eq!(first.recipient, "r240@example.com");
        assert_eq!((first.class, first.reason, first.events), (Class::Hard, Reason::UserUnknown, 2));
        assert_eq!(first.last_at, Some(T0 + 80 * 60 + 30_000));
    }

    #[test]
    fn past_the_end_and_unknown_campaigns_are_empty_with_the_right_total() {
        let s = big();
        let c = campaign(&s, "c");
        let p = campaign_recipients_page(&s, c, 10_000, 50).expect("page");
        assert_eq!((p.total, p.rows.len()), (250, 0));
        let p = campaign_recipients_page(&s, 987_654, 0, 50).expect("page");
        assert_eq!((p.total, p.rows.len()), (0, 0));
        let p = campaign_recipients_page(&s, c, u64::MAX, 50).expect("huge offset is no panic");
        assert_eq!(p.rows.len(), 0);
    }
}
