//! Fills the report tables of migration 5 from committed imports, in one pass over their
//! events (counted in memory by the finest keys, then the coarser tables summed from those
//! and upserted in key order). Reads `events` only with SELECT, by the import's id range.

use super::recipients::{self, Hit, UNDATED_DAY};
use super::source::{delay_key, UNDATED_HOUR};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// foldhash: the keys are small integers and short names; SipHash cost ~2% of an import.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Event ids read per pass when adding or removing an import.
const CHUNK: i64 = 250_000;
/// Failures held in memory before the counts are written out (~72 bytes each for the
/// recipient and domain lists; the other maps grow with distinct keys, not with events).
/// Small in tests, so they write in parts too.
const FLUSH: usize = if cfg!(test) { 1_000 } else { 200_000 };

mod write;
use write::write;

const FAILURE_KINDS: [&str; 4] = ["bounce", "deferred", "complaint", "unsubscribe"];
/// The breakdown dimensions; the index is the `dim` column of the dim tables.
pub(super) const DIMS: [&str; 5] = ["reason", "domain", "provider", "mta", "delay"];

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
        // All pending imports in one pass (a recount after migration 5 adds them all): the
        // recipient counts are then recounted once, not once per import.
        let mut acc = Acc::default();
        for id in &pending {
            by_chunks(conn, *id, 1, &mut acc)?;
            conn.execute("INSERT INTO agg_imports(import_id) VALUES (?1)", [id])?;
        }
        write(conn, &mut acc, 1)?;
        recipients::recount(conn, &acc.touched)?;
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

/// The last value seen per column: rows of one import repeat the same kind, class, provider
/// (and often domain) run after run, so a byte compare spares most hash lookups.
#[derive(Default)]
struct Memo([Option<(String, u32)>; 10]);

impl Memo {
    fn id(&mut self, names: &mut Names, col: usize, s: &str) -> u32 {
        let Some(slot) = self.0.get_mut(col) else {
            return names.id(s);
        };
        if let Some((last, id)) = slot {
            if last == s {
                return *id;
            }
        }
        let id = names.id(s);
        match slot {
            Some((last, old)) => {
                last.clear();
                last.push_str(s);
                *old = id;
            }
            None => *slot = Some((s.to_string(), id)),
        }
        id
    }
}

/// Counts of one pass, keyed by in-memory name ids. Only the finest keys are counted per
/// event (hour; dimension × UTC day; recipient hits); the coarser tables are summed from
/// these maps when written, which is cheap: they hold distinct keys, not events.
#[derive(Default)]
pub(super) struct Acc {
    names: Names,
    /// (campaign, hour, cls) → [n, in the first 15, 30, 45 minutes].
    hour: Map<(i64, i64, Cls), [i64; 4]>,
    /// (campaign, dim, UTC day or UNDATED_DAY, value, cls) of failures.
    dim_day: Map<(i64, u8, i64, u32, Cls), i64>,
    /// (UTC day or UNDATED_DAY, campaign, channel, recipient) of every failure.
    hits: Vec<Hit>,
    /// (recipient, campaign, day, cls) of failures whose domain is not counted yet.
    domains: Vec<(i64, i64, i64, Cls)>,
    /// Campaigns whose recipient counts must be recounted (see `recipients::recount`).
    touched: std::collections::HashSet<i64>,
}

/// Adds (`sign` 1) or subtracts (-1) an import's events to `acc`, `CHUNK` event ids at a
/// time (an import's events are one run of ids), writing out when `acc` grows big.
fn by_chunks(conn: &Connection, import_id: i64, sign: i64, acc: &mut Acc) -> Result<()> {
    let Some((lo, hi)) = crate::store::import_event_range(conn, import_id)? else {
        return Ok(());
    };
    let mut from = lo;
    while from <= hi {
        let to = from.saturating_add(CHUNK);
        // `+` keeps SQLite on the rowid range (a sequential read), off the import index
        // (which would cost a table lookup per row).
        scan_into(
            conn,
            acc,
            "+e.import_id = ?1 AND e.id >= ?2 AND e.id < ?3",
            &[import_id, from, to],
            false,
        )?;
        if acc.hits.len() > FLUSH {
            write(conn, acc, sign)?;
        }
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
        let mut acc = Acc::default();
        by_chunks(conn, import_id, -1, &mut acc)?;
        write(conn, &mut acc, -1)?;
        recipients::recount(conn, &acc.touched)?;
        for t in [
            "agg_hour",
            "agg_hour_all",
            "agg_total",
            "agg_dim_day",
            "agg_dim_day_all",
            "agg_dim_all",
            "agg_dim_campaign",
        ] {
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
/// aggregate tables count. The events path of a report uses it too (the whole range when
/// exact, else the partial days at a range's edges).
pub(super) fn scan(
    conn: &Connection,
    filter: &str,
    args: &[i64],
    failures_only: bool,
) -> Result<Acc> {
    let mut acc = Acc::default();
    scan_into(conn, &mut acc, filter, args, failures_only)?;
    Ok(acc)
}

pub(super) fn scan_into(
    conn: &Connection,
    acc: &mut Acc,
    filter: &str,
    args: &[i64],
    failures_only: bool,
) -> Result<()> {
    let only = if failures_only {
        " AND e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe')".to_string()
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT COALESCE(e.campaign_id, 0), e.channel, e.kind, e.class, e.occurred_at, e.sent_at, e.reason,
                COALESCE(e.provider, ''), e.recipient_id, e.remote_mta_id
         FROM events e
         WHERE {filter}{only}"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
    // The few remote MTA texts by id: a lookup per distinct id, not a join per row.
    let mut mtas: Map<i64, u32> = Map::default();
    let mut mta_text = conn.prepare_cached("SELECT text FROM texts WHERE id = ?1")?;
    let mut memo = Memo::default();
    while let Some(r) = rows.next()? {
        let e = Counted {
            campaign_id: r.get(0)?,
            channel: text(r, 1)?,
            kind: text(r, 2)?,
            class: text(r, 3)?,
            occurred: r.get(4)?,
            sent: r.get(5)?,
            reason: text(r, 6)?,
            provider: text(r, 7)?,
            recipient_id: r.get(8)?,
            // Looked up after the pass, in recipient id order.
            domain: None,
            mta: "",
        };
        let mta_id: Option<i64> = r.get(9)?;
        acc.count(&mut memo, &e, |names| {
            Ok(match mta_id {
                None => names.id(""),
                Some(m) => match mtas.get(&m) {
                    Some(v) => *v,
                    None => {
                        let t: Option<String> = mta_text.query_row([m], |x| x.get(0)).optional()?;
                        let v = names.id(t.as_deref().unwrap_or(""));
                        mtas.insert(m, v);
                        v
                    }
                },
            })
        })?;
    }
    drop(rows);
    resolve_domains(conn, acc)
}

/// One stored event as the report tables count it: the `events` view's texts.
pub struct Counted<'a> {
    /// 0: no campaign.
    pub campaign_id: i64,
    pub channel: &'a str,
    pub kind: &'a str,
    pub class: &'a str,
    pub occurred: Option<i64>,
    pub sent: Option<i64>,
    pub reason: &'a str,
    /// "" when none.
    pub provider: &'a str,
    pub recipient_id: i64,
    /// The recipient's stored domain when the caller knows it; else read from `recipients`.
    pub domain: Option<&'a str>,
    /// The remote MTA text ("" when none), for `ImportCounts::add` (a scan looks ids up).
    pub mta: &'a str,
}

impl Acc {
    /// Counts one event; `mta` gives the name id of its remote MTA (asked for failures only).
    fn count(
        &mut self,
        memo: &mut Memo,
        e: &Counted,
        mta: impl FnOnce(&mut Names) -> Result<u32>,
    ) -> Result<()> {
        let cid = e.campaign_id;
        let kind_id = memo.id(&mut self.names, 2, e.kind);
        let failure = FAILURE_KINDS.contains(&e.kind);
        let cls = (
            memo.id(&mut self.names, 1, e.channel),
            kind_id,
            memo.id(&mut self.names, 3, e.class),
        );
        let occurred = e.occurred;
        let hour = occurred.map(|t| t.div_euclid(3600)).unwrap_or(UNDATED_HOUR);
        let within = occurred.map(|t| t.rem_euclid(3600)).unwrap_or(3600);
        let slot = self.hour.entry((cid, hour, cls)).or_default();
        slot[0] += 1;
        slot[1] += i64::from(within < 900);
        slot[2] += i64::from(within < 1800);
        slot[3] += i64::from(within < 2700);
        if !failure {
            return Ok(());
        }
        let day = occurred.map(|t| t.div_euclid(86_400)).unwrap_or(UNDATED_DAY);
        let mta = mta(&mut self.names)?;
        let values = [
            (0u8, memo.id(&mut self.names, 6, e.reason)),
            (2, memo.id(&mut self.names, 7, e.provider)),
            (3, mta),
            (4, memo.id(&mut self.names, 5, delay_key(occurred.zip(e.sent).map(|(o, s)| o - s)))),
        ];
        for (d, v) in values {
            *self.dim_day.entry((cid, d, day, v, cls)).or_default() += 1;
        }
        let rid = e.recipient_id;
        self.hits.push((day, cid, cls.0, rid));
        match e.domain {
            Some(d) => {
                let v = memo.id(&mut self.names, 8, d);
                *self.dim_day.entry((cid, 1, day, v, cls)).or_default() += 1;
            }
            None => self.domains.push((rid, cid, day, cls)),
        }
        Ok(())
    }
}

/// Report-table counts of events an import stores, taken from the events themselves (the
/// importer's parser thread counts what the writer stored): the import then needs no second
/// pass over its events. `ImportTx::write_counts` / `finish_counts` write them in the
/// import's own transaction, so they commit or roll back with its events.
#[derive(Default)]
pub struct ImportCounts {
    acc: Acc,
    memo: Memo,
}

impl ImportCounts {
    pub fn add(&mut self, e: &Counted) {
        let Self { acc, memo } = self;
        // The closure cannot fail; count's Result is for the scan's MTA lookups.
        let _ = acc.count(memo, e, |names| Ok(names.id(e.mta)));
    }

    /// Failures counted so far: what the memory grows with (~72 bytes each).
    pub fn failures(&self) -> usize {
        self.acc.hits.len()
    }

    /// Whether this many failures should be written out now to bound memory.
    pub fn is_big(&self) -> bool {
        self.failures() > FLUSH
    }

    pub(crate) fn write(&mut self, conn: &Connection) -> Result<()> {
        resolve_domains(conn, &mut self.acc)?;
        write(conn, &mut self.acc, 1)
    }

    /// Campaigns whose recipients affected must be recounted once everything is written.
    pub(crate) fn touched(&self) -> impl Iterator<Item = i64> + '_ {
        self.acc.touched.iter().copied()
    }
}

/// After an import's counts are all written: recounts the recipients affected of the
/// campaigns they touch and marks the import counted.
pub(crate) fn finish_import_counts(
    conn: &Connection,
    import_id: i64,
    touched: &std::collections::HashSet<i64>,
) -> Result<()> {
    recipients::recount(conn, touched)?;
    conn.execute("INSERT INTO agg_imports(import_id) VALUES (?1)", [import_id])?;
    Ok(())
}

/// Counts the domain dimension of the failures collected by a pass. Sorted by recipient id,
/// the recipients are read as one id range when they are dense (an import's new recipients
/// are), else one by one: either way cheaper than a join per event row.
fn resolve_domains(conn: &Connection, acc: &mut Acc) -> Result<()> {
    let mut todo = std::mem::take(&mut acc.domains);
    todo.sort_unstable_by_key(|t| t.0);
    let (Some(lo), Some(hi)) = (todo.first().map(|t| t.0), todo.last().map(|t| t.0)) else {
        return Ok(());
    };
    let count = |acc: &mut Acc, (_, cid, day, cls): (i64, i64, i64, Cls), v: u32| {
        *acc.dim_day.entry((cid, 1, day, v, cls)).or_default() += 1;
    };
    let empty = acc.names.id("");
    let mut i = 0;
    if (hi - lo) as u64 <= 4 * todo.len() as u64 + 1000 {
        let mut st = conn.prepare_cached(
            "SELECT id, domain FROM recipients WHERE id >= ?1 AND id <= ?2 ORDER BY id",
        )?;
        let mut rows = st.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            // Ids without a recipient row count under "" (as the events path does).
            while let Some(t) = todo.get(i).filter(|t| t.0 < id) {
                count(acc, *t, empty);
                i += 1;
            }
            if todo.get(i).is_some_and(|t| t.0 == id) {
                let v = acc.names.id(text(r, 1)?);
                while let Some(t) = todo.get(i).filter(|t| t.0 == id) {
                    count(acc, *t, v);
                    i += 1;
                }
            }
        }
    } else {
        let mut st = conn.prepare_cached("SELECT domain FROM recipients WHERE id = ?1")?;
        while let Some(first) = todo.get(i).copied() {
            let d: Option<String> = st.query_row([first.0], |r| r.get(0)).optional()?;
            let v = acc.names.id(d.as_deref().unwrap_or(""));
            while let Some(t) = todo.get(i).filter(|t| t.0 == first.0) {
                count(acc, *t, v);
                i += 1;
            }
        }
    }
    while let Some(t) = todo.get(i) {
        count(acc, *t, empty);
        i += 1;
    }
    todo.clear();
    acc.domains = todo;
    Ok(())
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
        for ((cid, dd, _, v, cls), n) in &self.dim_day {
            if *dd as usize == d && scope.is_none_or(|c| c == *cid) {
                *out.entry((*v, *cls)).or_default() += n;
            }
        }
        out.into_iter()
            .map(|((v, (_, k, cl)), n)| (nm(v), nm(k), nm(cl), n))
            .collect()
    }

    /// The failures' (day, campaign, channel, recipient), and how to name a channel id.
    pub(super) fn hits(&self) -> &[Hit] {
        &self.hits
    }

    pub(super) fn channel_name(&self, id: u32) -> String {
        self.names.get(id).to_string()
    }

    /// Distinct recipients per (campaign, channel), and in the scope.
    pub(super) fn affected(&self, scope: Option<i64>) -> (HashMap<(i64, String), i64>, i64) {
        let mut keys: Vec<(i64, u32, i64)> = self.hits.iter().map(|h| (h.1, h.2, h.3)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut per: HashMap<(i64, String), i64> = HashMap::new();
        for (cid, ch, _) in &keys {
            *per.entry((*cid, self.names.get(*ch).to_string()))
                .or_default() += 1;
        }
        let scope_total = match scope {
            Some(c) => keys.iter().filter(|k| k.0 == c).count() as i64,
            None => {
                let mut people: Vec<(u32, i64)> = keys.iter().map(|k| (k.1, k.2)).collect();
                people.sort_unstable();
                people.dedup();
                people.len() as i64
            }
        };
        (per, scope_total)
    }
}

#[cfg(test)]
mod tests;
