//! Writing a pass's counts: dictionary ids, the coarser tables summed from the finest keys,
//! upserts in key order, and the recipient lists.

use super::{recipients, Acc, Cls, Map, UNDATED_DAY};
use crate::error::Result;
use rusqlite::{params, Connection};

/// Database ids of the in-memory names and cls triples (agg_names, agg_cls), found or added.
struct Ids<'a> {
    conn: &'a Connection,
    names: Map<u32, i64>,
    cls: Map<Cls, i64>,
}

impl<'a> Ids<'a> {
    fn name(&mut self, a: &Acc, i: u32) -> Result<i64> {
        if let Some(id) = self.names.get(&i) {
            return Ok(*id);
        }
        let s = a.names.get(i);
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO agg_names(name) VALUES (?1)")?
            .execute([s])?;
        let id: i64 = self
            .conn
            .prepare_cached("SELECT id FROM agg_names WHERE name = ?1")?
            .query_row([s], |r| r.get(0))?;
        self.names.insert(i, id);
        Ok(id)
    }

    fn cls(&mut self, a: &Acc, c: Cls) -> Result<i64> {
        if let Some(id) = self.cls.get(&c) {
            return Ok(*id);
        }
        let (ch, k, cl) = (a.names.get(c.0), a.names.get(c.1), a.names.get(c.2));
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO agg_cls(channel, kind, class) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![ch, k, cl])?;
        let id: i64 = self
            .conn
            .prepare_cached(
                "SELECT id FROM agg_cls WHERE channel = ?1 AND kind = ?2 AND class = ?3",
            )?
            .query_row(params![ch, k, cl], |r| r.get(0))?;
        self.cls.insert(c, id);
        Ok(id)
    }
}

/// Upserts sorted rows of integer keys: each B-tree is written front to back.
fn upsert<const K: usize, const V: usize>(
    conn: &Connection,
    table: &str,
    cols: &str,
    vals: &[&str; V],
    rows: Map<[i64; K], [i64; V]>,
    sign: i64,
) -> Result<()> {
    let marks: Vec<String> = (1..=K + V).map(|i| format!("?{i}")).collect();
    let set: Vec<String> = vals.iter().map(|v| format!("{v} = {v} + excluded.{v}")).collect();
    let sql = format!(
        "INSERT INTO {table}({cols}, {}) VALUES ({}) ON CONFLICT DO UPDATE SET {}",
        vals.join(", "),
        marks.join(", "),
        set.join(", ")
    );
    let mut rows: Vec<([i64; K], [i64; V])> = rows.into_iter().collect();
    rows.sort_unstable();
    let mut st = conn.prepare_cached(&sql)?;
    for (k, v) in rows {
        let mut p: Vec<i64> = k.to_vec();
        p.extend(v.iter().map(|x| x * sign));
        st.execute(rusqlite::params_from_iter(p.iter()))?;
    }
    Ok(())
}

fn add<const V: usize>(into: &mut [i64; V], from: &[i64; V]) {
    for (a, b) in into.iter_mut().zip(from.iter()) {
        *a += b;
    }
}

/// Adds (`sign` 1) or subtracts (`sign` -1) the counts in `a`, then empties it.
pub(super) fn write(conn: &Connection, a: &mut Acc, sign: i64) -> Result<()> {
    let mut ids = Ids {
        conn,
        names: Map::default(),
        cls: Map::default(),
    };
    let mut hour: Map<[i64; 3], [i64; 4]> = Map::default();
    let mut hour_all: Map<[i64; 2], [i64; 4]> = Map::default();
    let mut total: Map<[i64; 2], [i64; 1]> = Map::default();
    for ((c, h, cls), v) in &a.hour {
        let cls = ids.cls(a, *cls)?;
        add(hour.entry([*c, *h, cls]).or_default(), v);
        add(hour_all.entry([*h, cls]).or_default(), v);
        total.entry([*c, cls]).or_default()[0] += v[0];
    }
    let q = ["n", "q1", "q2", "q3"];
    upsert(conn, "agg_hour", "campaign_id, hour, cls", &q, hour, sign)?;
    upsert(conn, "agg_hour_all", "hour, cls", &q, hour_all, sign)?;
    upsert(conn, "agg_total", "campaign_id, cls", &["n"], total, sign)?;
    let mut day: Map<[i64; 5], [i64; 1]> = Map::default();
    let mut day_all: Map<[i64; 4], [i64; 1]> = Map::default();
    let mut all: Map<[i64; 3], [i64; 1]> = Map::default();
    let mut campaign: Map<[i64; 4], [i64; 1]> = Map::default();
    for ((c, d, dd, v, cls), n) in &a.dim_day {
        let (d, cls, v) = (i64::from(*d), ids.cls(a, *cls)?, ids.name(a, *v)?);
        if *dd != UNDATED_DAY {
            day.entry([*c, d, *dd, v, cls]).or_default()[0] += n;
            day_all.entry([d, *dd, v, cls]).or_default()[0] += n;
        }
        all.entry([d, v, cls]).or_default()[0] += n;
        campaign.entry([*c, d, v, cls]).or_default()[0] += n;
    }
    let n = ["n"];
    upsert(conn, "agg_dim_day", "campaign_id, dim, day, value, cls", &n, day, sign)?;
    upsert(conn, "agg_dim_day_all", "dim, day, value, cls", &n, day_all, sign)?;
    upsert(conn, "agg_dim_all", "dim, value, cls", &n, all, sign)?;
    upsert(conn, "agg_dim_campaign", "campaign_id, dim, value, cls", &n, campaign, sign)?;
    let names = &a.names;
    recipients::apply(
        conn,
        &mut a.hits,
        sign,
        &|i| names.get(i).to_string(),
        &mut a.touched,
    )?;
    a.hour.clear();
    a.dim_day.clear();
    a.hits.clear();
    Ok(())
}

