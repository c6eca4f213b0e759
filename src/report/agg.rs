//! Fills the aggregate tables of migration 2, one committed import at a time, in one pass
//! over its events (aggregated in memory, then upserted). Cheaper than a trigger per
//! inserted row: the insert path stays as fast as without aggregates.

use super::source::{delay_key, UNDATED_HOUR};
use crate::error::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (rustc's): the keys here are small integers built by this module, not attacker
/// input, so SipHash's flood resistance buys nothing and costs ~2% of an import.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in chunks.by_ref() {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        for b in chunks.remainder() {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Events counted per pass when adding or removing an import: bounds the memory of the
/// in-memory counts (~20 keys per failure: 25,000 events hold ~25 MB, a whole 1,000,000-row
/// import would hold ~1 GB).
const CHUNK: i64 = 25_000;

const FAILURE_KINDS: [&str; 4] = ["bounce", "deferred", "complaint", "unsubscribe"];
const DIMS: [&str; 5] = ["reason", "domain", "provider", "mta", "delay"];

/// Adds every committed import the aggregates do not count yet, and forgets removed ones.
/// Every report calls it first; the importer may call it right after a commit so the first
/// report after an import does not pay for it. Returns how many imports were added.
pub fn sync_aggregates(conn: &Connection) -> Result<usize> {
    let pending = pending_imports(conn)?;
    let stale: i64 = conn.query_row(
        "SELECT COUNT(*) FROM agg_imports WHERE import_id NOT IN (SELECT id FROM imports)",
        [],
        |r| r.get(0),
    )?;
    if pending.is_empty() && stale == 0 {
        return Ok(0);
    }
    // A savepoint works both inside a caller's transaction and on its own.
    conn.execute_batch("SAVEPOINT agg_sync")?;
    let done = (|| -> Result<usize> {
        conn.execute(
            "DELETE FROM agg_imports WHERE import_id NOT IN (SELECT id FROM imports)",
            [],
        )?;
        // Re-read inside the savepoint: another connection may have synced meanwhile.
        let pending = pending_imports(conn)?;
        for id in &pending {
            add_import(conn, *id)?;
            conn.execute("INSERT INTO agg_imports(import_id) VALUES (?1)", [id])?;
        }
        Ok(pending.len())
    })();
    match done {
        Ok(n) => {
            conn.execute_batch("RELEASE agg_sync")?;
            Ok(n)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO agg_sync; RELEASE agg_sync");
            Err(e)
        }
    }
}

/// Empties the aggregates and counts every import again (repair tool).
pub fn rebuild_aggregates(conn: &Connection) -> Result<()> {
    conn.execute_batch("SAVEPOINT agg_rebuild")?;
    for t in crate::store::schema::AGG_TABLES {
        conn.execute_batch(&format!("DELETE FROM {t};"))?;
    }
    conn.execute_batch("RELEASE agg_rebuild")?;
    sync_aggregates(conn)?;
    Ok(())
}

fn pending_imports(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT id FROM imports WHERE finished_at IS NOT NULL AND id NOT IN (SELECT import_id FROM agg_imports) ORDER BY id",
    )?;
    let ids = st
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    Ok(ids)
}

/// Small ids for repeated strings, so a million rows do not allocate a million keys.
#[derive(Default)]
struct Names {
    ids: Map<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.ids.get(s) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        self.names.get(i as usize).map(String::as_str).unwrap_or("")
    }
}

type Cls = (u32, u32, u32); // channel, kind, class

#[derive(Default)]
pub(super) struct Acc {
    names: Names,
    hour: Map<(i64, i64, Cls), i64>,
    hour_all: Map<(i64, Cls), i64>,
    total: Map<(i64, Cls), i64>,
    dim: Map<(i64, u8, i64, u32, Cls), i64>,
    dim_hour_all: Map<(u8, i64, u32, Cls), i64>,
    dim_all: Map<(u8, u32, Cls), i64>,
    recipient: Map<(i64, u32, i64), i64>,
    recipient_all: Map<(u32, i64), i64>,
    recipient_hour: Map<(i64, u32, i64, i64), i64>,
    /// (campaign, quarter hour, kind, class) of dated events; migration 3.
    quarter: Map<(i64, i64, u32, u32), i64>,
    /// (campaign, dimension, value, (channel, kind, class)) of failures; migration 3.
    dim_campaign: Map<(i64, u8, u32, Cls), i64>,
}

fn add_import(conn: &Connection, import_id: i64) -> Result<()> {
    by_chunks(conn, import_id, 1)
}

/// Adds (`sign` 1) or subtracts (-1) an import's events, `CHUNK` event ids at a time (an
/// import's events are one run of ids, so each chunk is one range of the import index).
/// Upserts add chunk counts up; distinct-recipient rows are keyed, so they stay exact.
fn by_chunks(conn: &Connection, import_id: i64, sign: i64) -> Result<()> {
    let Some((lo, hi)) = crate::store::import_event_range(conn, import_id)? else {
        return Ok(());
    };
    let mut from = lo;
    while from <= hi {
        let to = from.saturating_add(CHUNK);
        let acc = scan(
            conn,
            "e.import_id = ?1 AND e.id >= ?2 AND e.id < ?3",
            &[import_id, from, to],
            false,
        )?;
        write(conn, &acc, sign)?;
        from = to;
    }
    Ok(())
}

/// Takes a counted import out of the aggregates in one pass, before it is removed; the
/// importer's "remove this import" calls it first (migration 4 dropped the triggers that
/// did this in SQL). Returns false when the import was not counted.
pub fn forget_import(conn: &Connection, import_id: i64) -> Result<bool> {
    let counted: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM agg_imports WHERE import_id = ?1)",
        [import_id],
        |r| r.get(0),
    )?;
    if !counted {
        return Ok(false);
    }
    conn.execute_batch("SAVEPOINT agg_forget")?;
    let done = (|| -> Result<()> {
        by_chunks(conn, import_id, -1)?;
        for t in crate::store::schema::AGG_TABLES
            .iter()
            .filter(|t| !t.ends_with("_count") && **t != "agg_imports")
        {
            conn.execute_batch(&format!("DELETE FROM {t} WHERE n <= 0;"))?;
        }
        conn.execute("DELETE FROM agg_imports WHERE import_id = ?1", [import_id])?;
        Ok(())
    })();
    match done {
        Ok(()) => {
            conn.execute_batch("RELEASE agg_forget")?;
            Ok(true)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO agg_forget; RELEASE agg_forget");
            Err(e)
        }
    }
}

/// A text column borrowed from the row: no allocation per column and row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

/// One pass over the events matching `filter` (SQL over alias `e`), counted the way the
/// aggregate tables count. The events path of a report uses it too, so a date-filtered
/// breakdown reads its rows once, not once per dimension.
pub(super) fn scan(
    conn: &Connection,
    filter: &str,
    args: &[i64],
    failures_only: bool,
) -> Result<Acc> {
    let fail = "e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe')";
    let only = if failures_only {
        format!(" AND {fail}")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT COALESCE(e.campaign_id, 0), e.channel, e.kind, e.class, e.occurred_at, e.sent_at, e.reason,
                COALESCE(e.provider, ''), e.recipient_id, COALESCE(r.domain, ''), COALESCE(t.text, '')
         FROM events e
         LEFT JOIN recipients r ON {fail} AND r.id = e.recipient_id
         LEFT JOIN texts t ON {fail} AND t.id = e.remote_mta_id
         WHERE {filter}{only}"
    );
    let mut acc = Acc::default();
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
    while let Some(r) = rows.next()? {
        let cid: i64 = r.get(0)?;
        let kind = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let failure = FAILURE_KINDS.contains(&kind);
        let kind_id = acc.names.id(kind);
        let cls = (
            acc.names.id(text(r, 1)?),
            kind_id,
            acc.names.id(text(r, 3)?),
        );
        let occurred: Option<i64> = r.get(4)?;
        let hour = occurred.map(|t| t.div_euclid(3600)).unwrap_or(UNDATED_HOUR);
        *acc.hour.entry((cid, hour, cls)).or_default() += 1;
        *acc.hour_all.entry((hour, cls)).or_default() += 1;
        *acc.total.entry((cid, cls)).or_default() += 1;
        if let Some(t) = occurred {
            let q = t.div_euclid(900);
            *acc.quarter.entry((q, cid, cls.1, cls.2)).or_default() += 1;
        }
        if !failure {
            continue;
        }
        let sent: Option<i64> = r.get(5)?;
        let values = [
            acc.names.id(text(r, 6)?),
            acc.names.id(text(r, 9)?),
            acc.names.id(text(r, 7)?),
            acc.names.id(text(r, 10)?),
            acc.names
                .id(delay_key(occurred.zip(sent).map(|(o, s)| o - s))),
        ];
        for (d, v) in values.iter().enumerate() {
            *acc.dim.entry((cid, d as u8, hour, *v, cls)).or_default() += 1;
            *acc.dim_hour_all
                .entry((d as u8, hour, *v, cls))
                .or_default() += 1;
            *acc.dim_all.entry((d as u8, *v, cls)).or_default() += 1;
            *acc.dim_campaign.entry((cid, d as u8, *v, cls)).or_default() += 1;
        }
        let rid: i64 = r.get(8)?;
        *acc.recipient.entry((cid, cls.0, rid)).or_default() += 1;
        *acc.recipient_all.entry((cls.0, rid)).or_default() += 1;
        *acc.recipient_hour
            .entry((hour, cls.0, rid, cid))
            .or_default() += 1;
    }
    Ok(acc)
}

impl Acc {
    /// (value, kind, class, n) of one dimension, for one campaign or all.
    pub(super) fn dim_rows(
        &self,
        dim: &str,
        scope: Option<i64>,
    ) -> Vec<(String, String, String, i64)> {
        let Some(d) = DIMS.iter().position(|x| *x == dim) else {
            return Vec::new();
        };
        let nm = |i: u32| self.names.get(i).to_string();
        let mut out: HashMap<(u32, Cls), i64> = HashMap::new();
        match scope {
            Some(c) => self
                .dim
                .iter()
                .filter(|((cid, dd, _, _, _), _)| *cid == c && *dd as usize == d)
                .for_each(|((_, _, _, v, cls), n)| {
                    *out.entry((*v, *cls)).or_default() += n;
                }),
            None => self
                .dim_all
                .iter()
                .filter(|((dd, _, _), _)| *dd as usize == d)
                .for_each(|((_, v, cls), n)| {
                    *out.entry((*v, *cls)).or_default() += n;
                }),
        }
        out.into_iter()
            .map(|((v, (_, k, cl)), n)| (nm(v), nm(k), nm(cl), n))
            .collect()
    }

    /// Distinct recipients per (campaign, channel), and in the scope.
    pub(super) fn affected(&self, scope: Option<i64>) -> (HashMap<(i64, String), i64>, i64) {
        let mut per: HashMap<(i64, String), i64> = HashMap::new();
        for (cid, ch, _) in self.recipient.keys() {
            *per.entry((*cid, self.names.get(*ch).to_string()))
                .or_default() += 1;
        }
        let scope_total = match scope {
            Some(c) => self
                .recipient
                .keys()
                .filter(|(cid, _, _)| *cid == c)
                .count() as i64,
            None => self.recipient_all.len() as i64,
        };
        (per, scope_total)
    }
}

/// Adds (`sign` 1) or subtracts (`sign` -1) the counts in `a`. Rows go in primary key
/// order: each table's B-tree is then written front to back (mostly appends on a new
/// database) instead of at random places, about twice as fast for large imports.
fn write(conn: &Connection, a: &Acc, sign: i64) -> Result<()> {
    let nm = |i: u32| a.names.get(i);
    let dim = |d: u8| DIMS.get(d as usize).copied().unwrap_or("");
    let upsert = |table: &str, cols: &str, k: usize| {
        let marks: Vec<String> = (1..=k + 1).map(|i| format!("?{i}")).collect();
        format!("INSERT INTO {table}({cols}, n) VALUES ({}) ON CONFLICT DO UPDATE SET n = n + excluded.n", marks.join(", "))
    };
    let mut rows: Vec<_> = a
        .hour
        .iter()
        .map(|((c, h, (ch, k, cl)), n)| ((*c, *h, nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_hour",
        "campaign_id, hour, channel, kind, class",
        5,
    ))?;
    for ((c, h, ch, k, cl), n) in rows {
        st.execute(params![c, h, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .hour_all
        .iter()
        .map(|((h, (ch, k, cl)), n)| ((*h, nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert("agg_hour_all", "hour, channel, kind, class", 4))?;
    for ((h, ch, k, cl), n) in rows {
        st.execute(params![h, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .total
        .iter()
        .map(|((c, (ch, k, cl)), n)| ((*c, nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert("agg_total", "campaign_id, channel, kind, class", 4))?;
    for ((c, ch, k, cl), n) in rows {
        st.execute(params![c, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .dim
        .iter()
        .map(|((c, d, h, v, (ch, k, cl)), n)| {
            ((*c, dim(*d), *h, nm(*v), nm(*ch), nm(*k), nm(*cl)), *n)
        })
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_dim",
        "campaign_id, dim, hour, value, channel, kind, class",
        7,
    ))?;
    for ((c, d, h, v, ch, k, cl), n) in rows {
        st.execute(params![c, d, h, v, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .dim_hour_all
        .iter()
        .map(|((d, h, v, (ch, k, cl)), n)| ((dim(*d), *h, nm(*v), nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_dim_hour_all",
        "dim, hour, value, channel, kind, class",
        6,
    ))?;
    for ((d, h, v, ch, k, cl), n) in rows {
        st.execute(params![d, h, v, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .dim_all
        .iter()
        .map(|((d, v, (ch, k, cl)), n)| ((dim(*d), nm(*v), nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_dim_all",
        "dim, value, channel, kind, class",
        5,
    ))?;
    for ((d, v, ch, k, cl), n) in rows {
        st.execute(params![d, v, ch, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .recipient
        .iter()
        .map(|((c, ch, rid), n)| ((*c, nm(*ch), *rid), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_recipient",
        "campaign_id, channel, recipient_id",
        3,
    ))?;
    for ((c, ch, rid), n) in rows {
        st.execute(params![c, ch, rid, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .recipient_hour
        .iter()
        .map(|((h, ch, rid, c), n)| ((*h, nm(*ch), *rid, *c), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_recipient_hour",
        "hour, channel, recipient_id, campaign_id",
        4,
    ))?;
    for ((h, ch, rid, c), n) in rows {
        st.execute(params![h, ch, rid, c, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .recipient_all
        .iter()
        .map(|((ch, rid), n)| ((nm(*ch), *rid), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert("agg_recipient_all", "channel, recipient_id", 2))?;
    for ((ch, rid), n) in rows {
        st.execute(params![ch, rid, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .quarter
        .iter()
        .map(|((q, c, k, cl), n)| ((*q, *c, nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_quarter",
        "quarter, campaign_id, kind, class",
        4,
    ))?;
    for ((q, c, k, cl), n) in rows {
        st.execute(params![q, c, k, cl, n * sign])?;
    }
    let mut rows: Vec<_> = a
        .dim_campaign
        .iter()
        .map(|((c, d, v, (ch, k, cl)), n)| ((*c, dim(*d), nm(*v), nm(*ch), nm(*k), nm(*cl)), *n))
        .collect();
    rows.sort_unstable();
    let mut st = conn.prepare(&upsert(
        "agg_dim_campaign",
        "campaign_id, dim, value, channel, kind, class",
        6,
    ))?;
    for ((c, d, v, ch, k, cl), n) in rows {
        st.execute(params![c, d, v, ch, k, cl, n * sign])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CampaignRef, Channel, Event, Kind, Source};
    use crate::store::{NewImport, Store};

    fn import(store: &mut Store, name: &str, from: usize, to: usize) -> i64 {
        let meta = NewImport {
            file_name: name.into(),
            file_path: name.into(),
            size_bytes: 0,
            sha256: String::new(),
            format: "test".into(),
            provider: None,
            detect_reason: None,
        };
        let mut tx = store.begin_import(&meta).unwrap();
        for i in from..to {
            let kind = [
                Kind::Bounce,
                Kind::Delivered,
                Kind::Deferred,
                Kind::Complaint,
            ][i % 4];
            let mut e = Event::new(
                Channel::Email,
                kind,
                format!("u{}@d{}.example", i % 7, i % 3),
                Source::default(),
            );
            e.campaign = (i % 5 != 0).then(|| CampaignRef {
                key: format!("c{}", i % 3),
                name: None,
            });
            // Spread over quarter hours, some undated, some with a send time.
            e.occurred_at = (i % 9 != 0)
                .then(|| chrono::DateTime::from_timestamp(1_700_000_000 + i as i64 * 677, 0))
                .flatten();
            e.sent_at = (i % 2 == 0)
                .then(|| chrono::DateTime::from_timestamp(1_699_990_000, 0))
                .flatten();
            e.status = Some(if i % 3 == 0 { "5.1.1" } else { "4.2.2" }.into());
            e.remote_mta = Some(format!("mx{}.example", i % 4));
            e.provider = Some(["postfix", "sendgrid"][i % 2].into());
            crate::classify::classify(&mut e);
            tx.add_event(&e, &e.fingerprint(Some(&i.to_string())))
                .unwrap();
        }
        tx.commit().unwrap()
    }

    /// Every aggregate table's rows, in key order.
    fn snapshot(conn: &Connection) -> Vec<(String, Vec<String>)> {
        crate::store::schema::AGG_TABLES
            .iter()
            .map(|t| {
                let mut st = conn
                    .prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2, 3, 4, 5"))
                    .unwrap_or_else(|_| {
                        conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
                            .unwrap()
                    });
                let cols = st.column_count();
                let rows = st
                    .query_map([], |r| {
                        let mut s = String::new();
                        for i in 0..cols {
                            s.push_str(&format!("{:?}|", r.get_ref(i)?));
                        }
                        Ok(s)
                    })
                    .unwrap()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap();
                (t.to_string(), rows)
            })
            .collect()
    }

    #[test]
    fn forgetting_imports_agrees_with_a_rebuild() {
        let mut store = Store::open_in_memory().unwrap();
        let first = import(&mut store, "a", 0, 300);
        import(&mut store, "b", 300, 500);
        let third = import(&mut store, "c", 500, 650);
        sync_aggregates(store.conn()).unwrap();
        assert!(crate::import::remove_import(&mut store, first).unwrap());
        assert!(crate::import::remove_import(&mut store, third).unwrap());
        let conn = store.conn();
        let kept = snapshot(conn);
        rebuild_aggregates(conn).unwrap();
        let rebuilt = snapshot(conn);
        for ((t, a), (_, b)) in kept.iter().zip(rebuilt.iter()) {
            assert_eq!(a, b, "{t} differs from a rebuild");
        }
        assert!(rebuilt
            .iter()
            .any(|(t, r)| t == "agg_quarter" && !r.is_empty()));
        assert!(rebuilt
            .iter()
            .any(|(t, r)| t == "agg_dim_campaign" && !r.is_empty()));
    }

    #[test]
    fn counting_in_chunks_equals_counting_at_once() {
        let mut store = Store::open_in_memory().unwrap();
        import(&mut store, "a", 0, 400);
        sync_aggregates(store.conn()).unwrap();
        let once = snapshot(store.conn());
        // Same import counted in chunks of 7 event ids.
        for t in crate::store::schema::AGG_TABLES {
            store
                .conn()
                .execute_batch(&format!("DELETE FROM {t};"))
                .unwrap();
        }
        let conn = store.conn();
        let mut from = 1;
        while from <= 400 {
            let acc = scan(
                conn,
                "e.import_id = ?1 AND e.id >= ?2 AND e.id < ?3",
                &[1, from, from + 7],
                false,
            )
            .unwrap();
            write(conn, &acc, 1).unwrap();
            from += 7;
        }
        conn.execute("INSERT INTO agg_imports(import_id) VALUES (1)", [])
            .unwrap();
        assert_eq!(snapshot(conn), once);
    }
}
