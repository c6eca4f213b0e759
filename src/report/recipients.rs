//! Recipients affected (distinct recipients with a failure), kept small: per UTC day, campaign
//! and channel one blob of sorted recipient ids with their failure counts (delta-varint coded,
//! ~3 bytes an entry), and the whole-history distinct counts in `agg_recipient_count`,
//! recounted from the blobs of the campaigns an import touched.

use super::source::UNDATED_HOUR;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap, HashSet};

/// `day` of failures without a time.
pub const UNDATED_DAY: i64 = UNDATED_HOUR;
/// `campaign_id` of the all-campaigns rows of agg_recipient_count.
const ALL: i64 = -1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// (recipient id, count) pairs, ids ascending and positive, counts positive.
pub fn encode(list: &[(i64, i64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 3);
    let mut prev = 0i64;
    for (id, n) in list {
        put_varint(&mut out, id.wrapping_sub(prev) as u64);
        put_varint(&mut out, *n as u64);
        prev = *id;
    }
    out
}

/// Calls `f(id, count)` for every entry; a damaged blob stops at the damage.
pub fn each(b: &[u8], mut f: impl FnMut(i64, i64)) {
    let mut pos = 0;
    let mut id = 0i64;
    while pos < b.len() {
        let (Some(d), Some(n)) = (get_varint(b, &mut pos), get_varint(b, &mut pos)) else {
            return;
        };
        id = id.wrapping_add(d as i64);
        f(id, n as i64);
    }
}

pub fn decode(b: &[u8]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    each(b, |id, n| out.push((id, n)));
    out
}

/// Adds `sign` × `add` (sorted by id) to `base`, dropping entries that reach zero.
fn merge(base: &[(i64, i64)], add: &[(i64, i64)], sign: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::with_capacity(base.len() + add.len());
    let (mut i, mut j) = (0, 0);
    loop {
        let next = match (base.get(i), add.get(j)) {
            (None, None) => break,
            (Some(a), None) => {
                i += 1;
                *a
            }
            (None, Some(b)) => {
                j += 1;
                (b.0, b.1 * sign)
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                i += 1;
                *a
            }
            (Some(a), Some(b)) if a.0 > b.0 => {
                j += 1;
                (b.0, b.1 * sign)
            }
            (Some(a), Some(b)) => {
                i += 1;
                j += 1;
                (a.0, a.1 + b.1 * sign)
            }
        };
        if next.1 > 0 {
            out.push(next);
        }
    }
    out
}

/// One failure: (day, campaign, channel as a name id of the caller, recipient).
pub type Hit = (i64, i64, u32, i64);

/// Adds (`sign` 1) or subtracts (-1) failures to the day blobs, and notes the campaigns
/// they touch in `touched`: `recount` them once all is applied. `channel` names the ids.
pub fn apply(
    conn: &Connection,
    hits: &mut [Hit],
    sign: i64,
    channel: &dyn Fn(u32) -> String,
    touched: &mut HashSet<i64>,
) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    hits.sort_unstable();
    let mut groups: BTreeMap<(i64, i64, u32), Vec<(i64, i64)>> = BTreeMap::new();
    for (day, cid, ch, rid) in hits.iter() {
        let list = groups.entry((*day, *cid, *ch)).or_default();
        match list.last_mut() {
            Some(last) if last.0 == *rid => last.1 += 1,
            _ => list.push((*rid, 1)),
        }
    }
    let mut read = conn.prepare_cached(
        "SELECT ids FROM agg_recipient_day WHERE day = ?1 AND campaign_id = ?2 AND channel = ?3",
    )?;
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO agg_recipient_day(day, campaign_id, channel, ids) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut del = conn.prepare_cached(
        "DELETE FROM agg_recipient_day WHERE day = ?1 AND campaign_id = ?2 AND channel = ?3",
    )?;
    for ((day, cid, ch), add) in &groups {
        touched.insert(*cid);
        let ch = channel(*ch);
        let old: Option<Vec<u8>> = read
            .query_row(params![day, cid, ch], |r| r.get(0))
            .optional()?;
        let merged = merge(&old.map(|b| decode(&b)).unwrap_or_default(), add, sign);
        if merged.is_empty() {
            del.execute(params![day, cid, ch])?;
        } else {
            put.execute(params![day, cid, ch, encode(&merged)])?;
        }
    }
    Ok(())
}

/// A set of recipient ids as a bitmap (ids are SQLite rowids: dense, from 1).
#[derive(Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn set(&mut self, id: i64) {
        let Ok(i) = usize::try_from(id) else { return };
        let w = i / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        if let Some(x) = self.0.get_mut(w) {
            *x |= 1 << (i % 64);
        }
    }
    fn count(&self) -> i64 {
        self.0.iter().map(|w| i64::from(w.count_ones())).sum()
    }
}

/// Distinct recipients per group (campaign, channel) and per channel over all groups. Groups
/// are fed one after the other; a stamp per recipient id says "seen in this group", so the
/// memory is one u32 per recipient id whatever the number of campaigns.
#[derive(Default)]
struct Distinct {
    stamp: Vec<u32>,
    group: u32,
    current: Option<(i64, String)>,
    per: HashMap<(i64, String), i64>,
    all: HashMap<String, Bits>,
}

impl Distinct {
    fn start(&mut self, cid: i64, ch: &str) {
        if self
            .current
            .as_ref()
            .is_some_and(|(c, h)| *c == cid && h == ch)
        {
            return;
        }
        self.group += 1;
        self.current = Some((cid, ch.to_string()));
        self.all.entry(ch.to_string()).or_default();
    }

    fn add(&mut self, id: i64) {
        let (Ok(i), Some((cid, ch))) = (usize::try_from(id), self.current.as_ref()) else {
            return;
        };
        if i >= self.stamp.len() {
            self.stamp.resize(i + 1, 0);
        }
        if let Some(s) = self.stamp.get_mut(i) {
            if *s != self.group {
                *s = self.group;
                *self.per.entry((*cid, ch.clone())).or_default() += 1;
                if let Some(b) = self.all.get_mut(ch) {
                    b.set(id);
                }
            }
        }
    }

    fn all_counts(&self) -> HashMap<String, i64> {
        self.all.iter().map(|(c, b)| (c.clone(), b.count())).collect()
    }
}

/// Up to this many campaigns touched, `recount` keeps one bitmap per campaign and reads the
/// lists in table order; more (a full recount) sort the lists by campaign instead.
const FEW: usize = 8;

type Recounted = (HashMap<String, i64>, HashMap<(i64, String), i64>);

/// One pass in table order (no sort of the lists): a bitmap per channel for all campaigns and
/// one per (touched campaign, channel).
fn few_groups(conn: &Connection, campaigns: &HashSet<i64>) -> Result<Recounted> {
    let mut all: HashMap<String, Bits> = HashMap::new();
    let mut per: HashMap<(i64, String), Bits> = HashMap::new();
    let mut st = conn.prepare_cached("SELECT campaign_id, channel, ids FROM agg_recipient_day")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let cid: i64 = r.get(0)?;
        let ch: String = r.get(1)?;
        let blob = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
        let a = all.entry(ch.clone()).or_default();
        if campaigns.contains(&cid) {
            let p = per.entry((cid, ch)).or_default();
            each(blob, |id, _| {
                a.set(id);
                p.set(id);
            });
        } else {
            each(blob, |id, _| a.set(id));
        }
    }
    Ok((
        all.into_iter().map(|(c, b)| (c, b.count())).collect(),
        per.into_iter().map(|(k, b)| (k, b.count())).collect(),
    ))
}

/// Recounts the whole-history distinct recipients of `campaigns` and of all campaigns.
pub fn recount(conn: &Connection, campaigns: &HashSet<i64>) -> Result<()> {
    let (all, per) = if campaigns.len() <= FEW {
        few_groups(conn, campaigns)?
    } else {
        let mut d = Distinct::default();
        let mut st = conn.prepare_cached(
            "SELECT campaign_id, channel, ids FROM agg_recipient_day ORDER BY campaign_id, channel",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let cid: i64 = r.get(0)?;
            let ch = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let blob = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
            d.start(cid, ch);
            each(blob, |id, _| d.add(id));
        }
        (d.all_counts(), d.per)
    };
    let mut del = conn.prepare_cached("DELETE FROM agg_recipient_count WHERE campaign_id = ?1")?;
    del.execute([ALL])?;
    for c in campaigns {
        del.execute([c])?;
    }
    let mut ins = conn.prepare_cached(
        "INSERT INTO agg_recipient_count(campaign_id, channel, n) VALUES (?1, ?2, ?3)",
    )?;
    for (ch, n) in all {
        ins.execute(params![ALL, ch, n])?;
    }
    for ((c, ch), n) in &per {
        if campaigns.contains(c) {
            ins.execute(params![c, ch, n])?;
        }
    }
    Ok(())
}

/// Recipients affected per (campaign, channel), and in the scope.
pub struct Affected {
    pub per_row: HashMap<(i64, String), i64>,
    pub scope_total: i64,
}

/// Whole-history counts (a lookup).
pub fn affected(conn: &Connection, scope: Option<i64>) -> Result<Affected> {
    let mut per_row = HashMap::new();
    let mut all = 0;
    let mut st = conn.prepare_cached("SELECT campaign_id, channel, n FROM agg_recipient_count")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (c, ch, n): (i64, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if c == ALL {
            all += n;
        } else {
            per_row.insert((c, ch), n);
        }
    }
    let scope_total = match scope {
        Some(c) => per_row
            .iter()
            .filter(|((id, _), _)| *id == c)
            .map(|(_, n)| *n)
            .sum(),
        None => all,
    };
    Ok(Affected {
        per_row,
        scope_total,
    })
}

/// Distinct recipients over whole UTC days `[d0, d1)` from the blobs, together with `extra`
/// failures (the partial days at a range's edges, counted from events).
pub fn affected_in_days(
    conn: &Connection,
    scope: Option<i64>,
    d0: i64,
    d1: i64,
    extra: &[Hit],
    channel: &dyn Fn(u32) -> String,
) -> Result<Affected> {
    // The extra hits by group, fed in with that group's blobs.
    let mut more: BTreeMap<(i64, String), Vec<i64>> = BTreeMap::new();
    for (_, cid, ch, rid) in extra {
        more.entry((*cid, channel(*ch))).or_default().push(*rid);
    }
    let mut d = Distinct::default();
    let mut flush = |d: &mut Distinct, upto: Option<&(i64, String)>| {
        while let Some(e) = more.first_entry() {
            if upto.is_some_and(|u| e.key() > u) {
                break;
            }
            let ((cid, ch), ids) = e.remove_entry();
            d.start(cid, &ch);
            ids.iter().for_each(|id| d.add(*id));
        }
    };
    if d0 < d1 {
        let mut st = conn.prepare_cached(&format!(
            "SELECT campaign_id, channel, ids FROM agg_recipient_day
             WHERE day >= ?1 AND day < ?2 AND day > {UNDATED_DAY} ORDER BY campaign_id, channel"
        ))?;
        let mut rows = st.query(params![d0, d1])?;
        while let Some(r) = rows.next()? {
            let key: (i64, String) = (r.get(0)?, r.get(1)?);
            // Extra groups that sort before this one, and this group's own extras.
            flush(&mut d, Some(&key));
            let blob = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
            d.start(key.0, &key.1);
            each(blob, |id, _| d.add(id));
        }
    }
    flush(&mut d, None);
    let scope_total = match scope {
        Some(c) => d.per.iter().filter(|((id, _), _)| *id == c).map(|(_, n)| *n).sum(),
        None => d.all_counts().values().sum(),
    };
    Ok(Affected {
        per_row: d.per,
        scope_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip_and_merge() {
        let a = vec![(1, 1), (5, 2), (300, 1), (1_000_000, 3)];
        assert_eq!(decode(&encode(&a)), a);
        let b = vec![(5, 2), (7, 1)];
        assert_eq!(
            merge(&a, &b, 1),
            vec![(1, 1), (5, 4), (7, 1), (300, 1), (1_000_000, 3)]
        );
        assert_eq!(merge(&a, &b, -1), vec![(1, 1), (300, 1), (1_000_000, 3)]);
        // A damaged blob yields what precedes the damage, never a panic.
        assert_eq!(decode(&[0x81]), vec![]);
    }
}
