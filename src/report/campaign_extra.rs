//! Two small additions for the window's campaign screens: a sent count the user types in
//! (when no report tells how many were sent, rates stay unknown) and a per-campaign
//! sparkline of bounces per local day, read from the hourly aggregates in one query.

use super::zone::Zone;
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// `campaigns.counts_source` of a count typed in by the user.
pub const MANUAL_SOURCE: &str = "manual";
/// Largest sent count accepted: far above any real campaign, far below overflow.
const MAX_SENT: i64 = 1_000_000_000_000;

/// Stores (Some) or clears (None) the number of messages a campaign sent, as typed in by
/// the user. Clearing only removes a typed-in count, never one a provider report gave.
/// Reports read it like a provider summary, so rates become known.
pub fn set_sent_count(store: &Store, campaign_id: i64, sent: Option<i64>) -> Result<()> {
    if let Some(n) = sent {
        if !(0..=MAX_SENT).contains(&n) {
            return Err(Error::Invalid(format!(
                "{n} is not a number of messages sent: type a whole number from 0 up"
            )));
        }
    }
    let conn = store.conn();
    let source: Option<Option<String>> = conn
        .query_row(
            "SELECT counts_source FROM campaigns WHERE id = ?1",
            [campaign_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(source) = source else {
        return Err(Error::Invalid(format!(
            "there is no campaign with id {campaign_id}"
        )));
    };
    match sent {
        Some(n) => conn.execute(
            "UPDATE campaigns SET sent_count = ?2, counts_source = ?3 WHERE id = ?1",
            params![campaign_id, n, MANUAL_SOURCE],
        )?,
        None if source.as_deref() == Some(MANUAL_SOURCE) => conn.execute(
            "UPDATE campaigns SET sent_count = NULL, counts_source = NULL WHERE id = ?1",
            [campaign_id],
        )?,
        None => 0,
    };
    Ok(())
}

/// Bounces (hard, soft, block) per local day of one campaign, from its first to its last
/// day with events; long spans are folded into `days_per_point` days per point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sparkline {
    pub campaign_id: i64,
    pub start: NaiveDate,
    pub days_per_point: i64,
    pub hard: Vec<i64>,
    pub soft: Vec<i64>,
    pub block: Vec<i64>,
}

/// Every campaign's sparkline with at most `max_points` points (0 = 60). Hours are placed
/// in local days by their start, so in a zone whose midnight falls inside a UTC hour a
/// bounce can land one day off: fine for a thumbnail, the campaign's own report is exact.
pub fn sparklines(store: &Store, zone: &Zone, max_points: usize) -> Result<Vec<Sparkline>> {
    let max_points = if max_points == 0 { 60 } else { max_points } as i64;
    // The report syncs the aggregates too; while an import holds the lock, show what is there.
    match super::agg::sync_aggregates(store.conn()) {
        Ok(_) => {}
        Err(e) if e.code() == "locked" => {}
        Err(e) => return Err(e),
    }
    let mut st = store.conn().prepare(
        "SELECT h.campaign_id, h.hour, c.class, SUM(h.n) FROM agg_hour h JOIN agg_cls c ON c.id = h.cls
         WHERE h.campaign_id != 0 AND c.kind = 'bounce' AND c.class IN ('hard', 'soft', 'block')
           AND h.hour > ?1
         GROUP BY h.campaign_id, h.hour, c.class",
    )?;
    let mut per: BTreeMap<i64, BTreeMap<NaiveDate, [i64; 3]>> = BTreeMap::new();
    let mut rows = st.query([super::source::UNDATED_HOUR])?;
    while let Some(r) = rows.next()? {
        let (id, hour, class, n): (i64, i64, String, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let Some(day) = hour.checked_mul(3600).and_then(|t| zone.date_of(t)) else {
            continue;
        };
        let slot = match class.as_str() {
            "hard" => 0,
            "soft" => 1,
            _ => 2,
        };
        if let Some(c) = per.entry(id).or_default().entry(day).or_default().get_mut(slot) {
            *c += n;
        }
    }
    Ok(per
        .into_iter()
        .filter_map(|(id, days)| line(id, &days, max_points))
        .collect())
}

fn line(id: i64, days: &BTreeMap<NaiveDate, [i64; 3]>, max_points: i64) -> Option<Sparkline> {
    let first = *days.keys().next()?;
    let last = *days.keys().next_back()?;
    let span = (last - first).num_days() + 1;
    let per = ((span + max_points - 1) / max_points).max(1);
    let n = ((span + per - 1) / per) as usize;
    let mut s = Sparkline {
        campaign_id: id,
        start: first,
        days_per_point: per,
        hard: vec![0; n],
        soft: vec![0; n],
        block: vec![0; n],
    };
    for (d, c) in days {
        let i = ((*d - first).num_days() / per) as usize;
        for (v, k) in [(&mut s.hard, 0), (&mut s.soft, 1), (&mut s.block, 2)] {
            if let (Some(slot), Some(x)) = (v.get_mut(i), c.get(k)) {
                *slot += x;
            }
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
    use crate::report::{report, Query, SentSource};
    use crate::store::NewImport;
    use chrono::{TimeZone, Utc};

    fn bounce(rcpt: &str, campaign: &str, class: Class, at: i64) -> Event {
        let src = Source {
            file: "t".into(),
            locator: rcpt.into(),
            offset: None,
        };
        let mut e = Event::new(Channel::Email, Kind::Bounce, rcpt, src);
        e.campaign = Some(CampaignRef {
            key: campaign.into(),
            name: None,
        });
        e.occurred_at = Utc.timestamp_opt(at, 0).single();
        e.verdict = Verdict {
            class,
            reason: Reason::UserUnknown,
            rule: "t".into(),
            evidence: String::new(),
        };
        e
    }

    fn store_with(events: &[Event]) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let meta = NewImport {
            file_name: "t".into(),
            file_path: "/t".into(),
            size_bytes: 1,
            sha256: "00".into(),
            format: "t".into(),
            provider: None,
            detect_reason: None,
        };
        let mut tx = store.begin_import(&meta).expect("import");
        for e in events {
            tx.add_event(e, &e.fingerprint(None)).expect("add");
        }
        tx.commit().expect("commit");
        store
    }

    fn id_of(store: &Store, key: &str) -> i64 {
        store
            .conn()
            .query_row("SELECT id FROM campaigns WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .expect("campaign")
    }

    const DAY: i64 = 86_400;
    const T0: i64 = 1_780_000_000 - 1_780_000_000 % DAY; // a UTC midnight

    #[test]
    fn a_typed_in_sent_count_makes_rates_known_and_can_be_cleared() {
        let store = store_with(&[
            bounce("a@x.com", "c1", Class::Hard, T0),
            bounce("b@x.com", "c1", Class::Soft, T0),
        ]);
        let id = id_of(&store, "c1");
        let q = Query {
            campaign: Some(id),
            ..Default::default()
        };
        assert_eq!(report(&store, &q).expect("report").total.sent, None);
        set_sent_count(&store, id, Some(200)).expect("set");
        let r = report(&store, &q).expect("report");
        assert_eq!(r.total.sent, Some(200));
        assert_eq!(r.total.sent_source, SentSource::Summary);
        assert_eq!(r.total.rates.hard, Some(0.005));
        set_sent_count(&store, id, None).expect("clear");
        assert_eq!(report(&store, &q).expect("report").total.sent, None);
    }

    #[test]
    fn clearing_leaves_a_provider_count_and_bad_input_is_refused() {
        let store = store_with(&[bounce("a@x.com", "c1", Class::Hard, T0)]);
        let id = id_of(&store, "c1");
        store
            .conn()
            .execute(
                "UPDATE campaigns SET sent_count = 50, counts_source = 'mailchimp' WHERE id = ?1",
                [id],
            )
            .expect("provider count");
        set_sent_count(&store, id, None).expect("clear is a no-op");
        let sent: Option<i64> = store
            .conn()
            .query_row("SELECT sent_count FROM campaigns WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .expect("read");
        assert_eq!(sent, Some(50));
        assert_eq!(
            set_sent_count(&store, id, Some(-1)).map_err(|e| e.code()),
            Err("invalid")
        );
        assert_eq!(
            set_sent_count(&store, 9999, Some(10)).map_err(|e| e.code()),
            Err("invalid")
        );
    }

    #[test]
    fn sparklines_count_bounces_per_local_day_and_fold_long_spans() {
        let store = store_with(&[
            bounce("a@x.com", "c1", Class::Hard, T0 + 3600),
            bounce("b@x.com", "c1", Class::Soft, T0 + 2 * 3600),
            bounce("c@x.com", "c1", Class::Block, T0 + 2 * DAY),
            bounce("d@x.com", "c2", Class::Hard, T0),
            bounce("e@x.com", "c2", Class::Hard, T0 + 9 * DAY),
        ]);
        let lines = sparklines(&store, &Zone::default(), 0).expect("lines");
        let c1 = lines
            .iter()
            .find(|s| s.campaign_id == id_of(&store, "c1"))
            .expect("c1");
        assert_eq!(c1.days_per_point, 1);
        assert_eq!(
            (c1.hard.clone(), c1.soft.clone(), c1.block.clone()),
            (vec![1, 0, 0], vec![1, 0, 0], vec![0, 0, 1])
        );
        let folded = sparklines(&store, &Zone::default(), 4).expect("lines");
        let c2 = folded
            .iter()
            .find(|s| s.campaign_id == id_of(&store, "c2"))
            .expect("c2");
        // Ten days in at most four points: three days per point, four points.
        assert_eq!(c2.days_per_point, 3);
        assert_eq!(c2.hard, vec![1, 0, 0, 1]);
        assert!(sparklines(&Store::open_in_memory().expect("empty"), &Zone::default(), 0)
            .expect("empty")
            .is_empty());
    }
}
