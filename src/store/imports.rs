//! Writing one import: a single transaction holding its row, its events and its
//! problems, so a crash or a cancel never leaves half a file behind.

use super::prepare::Prepared;
#[cfg(test)]
use super::compact;
use super::Store;
use crate::error::Result;
use crate::model::{recipient_domain, CampaignRef, Event};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use std::collections::HashMap;

/// The id caches' maps: keyed by addresses and texts from the file, so a seeded hasher
/// (foldhash: random per process), but not SipHash, which cost ~2.5% of the writer.
type Map = HashMap<String, i64, foldhash::fast::RandomState>;

/// Recipient ids by the address's 64-bit key: `check << 32 | id` (see `Prepared::check`).
/// 16 bytes an entry instead of an owned address: a 1,000,000-row file's ~550,000 addresses
/// all fit, so a repeated address never costs a failed INSERT and a lookup (~25% of the
/// writer's time when only 200,000 addresses were kept).
type KeyMap = HashMap<i64, u64, foldhash::fast::RandomState>;

/// What the importer knows about a file before reading it.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub file_name: String,
    pub file_path: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub format: String,
    pub provider: Option<String>,
    pub detect_reason: Option<String>,
}

/// A stored import as listed by `rebound imports` and the import history screen.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub file_path: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub format: String,
    pub provider: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub events_seen: i64,
    pub events_added: i64,
    pub problems: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemRow {
    pub locator: String,
    pub message: String,
}

/// An import in progress. Dropping it without `commit` rolls everything back.
pub struct ImportTx<'a> {
    /// The per-event statements, prepared once on the store's connection (they run inside
    /// `tx`): `prepare_cached` hashed each long SQL text on every call (~1 µs an event).
    st: Statements<'a>,
    /// Declared before `_fk`: the transaction must end before foreign keys can be switched back on.
    tx: Transaction<'a>,
    _fk: ForeignKeysBack<'a>,
    import_id: i64,
    /// Events from the import's own file store an empty `source_file` (the path is in `imports`).
    file_path: String,
    seen: i64,
    added: i64,
    problems: i64,
    campaigns: Map,
    ids: CacheGuard<'a>,
    /// Highest event id before this import: how big the table already was.
    existing: i64,
    /// Index definitions dropped for the rest of this import, rebuilt at commit.
    deferred: Option<Vec<String>>,
    defer_after: i64,
    /// Highest recipient id before this import: a higher one was written by it, with the
    /// domain `recipient_domain` gives (the report counts need no lookup for it).
    recipients_before: i64,
    /// Report-table counts already written by `write_counts`, and the campaigns they touch.
    counts_written: bool,
    touched: std::collections::HashSet<i64>,
    /// The import is counted in the report tables (`finish_counts`).
    counted: bool,
}

struct Statements<'a> {
    insert_event: rusqlite::Statement<'a>,
    find_recipient: rusqlite::Statement<'a>,
    insert_recipient: rusqlite::Statement<'a>,
}

const INSERT_EVENT: &str =
    "INSERT OR IGNORE INTO event_rows(import_id, fingerprint, channel, kind, class, reason, rule, evidence,
        recipient_id, campaign_id, occurred_at, sent_at, status, reply_code, diagnostic, remote_mta_id,
        provider, provider_label, source_file, source_locator, source_offset, original_json)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

/// After this many new events, if the import has added at least a quarter as many events as
/// the table held before, the secondary indexes of `events` are dropped for the rest of the
/// import and built again at commit: one sort per index instead of a random B-tree insert per
/// row and index. Same transaction, so a crash, cancel or error restores them untouched.
/// The unique fingerprint index (idempotence) stays.
const DEFER_INDEXES_AFTER: i64 = 10_000;

/// An import that adds at least this many events writes the report-table counts its caller
/// took of them (`finish_counts`; no second read of the events). A smaller one is left to
/// `report::sync_aggregates`, which counts all pending imports with one recount of the
/// recipients affected (a recount reads every recipient list: ~0.07 s at 5M events).
const COUNT_INLINE_AFTER: i64 = 10_000;

/// Ids of rows that only ever grow (recipients, texts), kept across imports so
/// repeated addresses and diagnostics cost a hash lookup instead of SQL.
/// Bounded: a map that reaches its limit starts over empty.
#[derive(Default)]
pub(crate) struct IdCache {
    recipients: KeyMap,
    texts: Map,
    names: Map,
}

/// Just under what a 2^20-bucket map holds (7/8 of it): ~17 MB at most.
const MAX_CACHED_RECIPIENTS: usize = 900_000;
const MAX_CACHED_TEXTS: usize = 200_000;

impl IdCache {
    pub(crate) fn clear(&mut self) {
        self.recipients.clear();
        self.texts.clear();
        self.names.clear();
    }
}

/// Switches foreign key enforcement back on, and temporary storage back to memory, when
/// the import ends, however it ends. During the import foreign keys are off: every parent
/// id comes from this transaction's own lookups, and the per-row parent checks cost ~13%
/// of the write path. Temporary storage is a file: SQLite's sorter then packs the records
/// of an index rebuild into large blocks instead of one allocation each (~30% faster
/// rebuild at commit), and spills a very large one to a temp file instead of memory.
struct ForeignKeysBack<'a>(&'a rusqlite::Connection);

impl Drop for ForeignKeysBack<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY");
    }
}

/// Forgets the cache when an import rolls back: its ids were never stored.
struct CacheGuard<'a> {
    cache: &'a mut IdCache,
    committed: bool,
}

impl Drop for CacheGuard<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.cache.clear();
        }
    }
}

fn remember(map: &mut Map, key: &str, id: i64, max: usize) {
    if map.len() >= max {
        map.clear();
    }
    map.insert(key.to_string(), id);
}

impl Store {
    /// Starts the one transaction of an import.
    pub fn begin_import(&mut self, meta: &NewImport) -> Result<ImportTx<'_>> {
        // A no-op inside a transaction, so it comes first.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let fk = ForeignKeysBack(&self.conn);
        // Only speed (see ForeignKeysBack): refused inside a caller's transaction, and it
        // drops the connection's TEMP tables (the explorer's, which an import outdates anyway).
        let _ = self.conn.execute_batch("PRAGMA temp_store = FILE");
        let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO imports(file_name, file_path, size_bytes, sha256, format, provider, detect_reason, started_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                meta.file_name,
                meta.file_path,
                meta.size_bytes as i64,
                meta.sha256,
                meta.format,
                meta.provider,
                meta.detect_reason,
                chrono::Utc::now().timestamp()
            ],
        )?;
        let import_id = tx.last_insert_rowid();
        let (existing, recipients_before): (i64, i64) = tx.query_row(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM event_rows), (SELECT COALESCE(MAX(id), 0) FROM recipients)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let conn: &Connection = &self.conn;
        let st = Statements {
            insert_event: conn.prepare(INSERT_EVENT)?,
            find_recipient: conn.prepare("SELECT id, address FROM recipients WHERE key = ?1")?,
            insert_recipient: conn.prepare(
                "INSERT OR IGNORE INTO recipients(address, domain, channel, key) VALUES (?1, ?2, ?3, ?4)",
            )?,
        };
        Ok(ImportTx {
            st,
            tx,
            _fk: fk,
            import_id,
            file_path: meta.file_path.clone(),
            seen: 0,
            added: 0,
            problems: 0,
            campaigns: Map::default(),
            ids: CacheGuard {
                cache: &mut self.ids,
                committed: false,
            },
            existing,
            deferred: None,
            // Benchmark knob (A/B of the deferral): REBOUND_DEFER_INDEXES_AFTER=N.
            defer_after: std::env::var("REBOUND_DEFER_INDEXES_AFTER")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFER_INDEXES_AFTER),
            recipients_before,
            counts_written: false,
            touched: Default::default(),
            counted: false,
        })
    }

    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        let mut st = self.conn.prepare(
            "SELECT id, file_name, file_path, size_bytes, sha256, format, provider, started_at, finished_at,
                    events_seen, events_added, problems FROM imports ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ImportRecord {
                id: r.get(0)?,
                file_name: r.get(1)?,
                file_path: r.get(2)?,
                size_bytes: r.get(3)?,
                sha256: r.get(4)?,
                format: r.get(5)?,
                provider: r.get(6)?,
                started_at: r.get(7)?,
                finished_at: r.get(8)?,
                events_seen: r.get(9)?,
                events_added: r.get(10)?,
                problems: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn import_problems(&self, import_id: i64) -> Result<Vec<ProblemRow>> {
        let mut st = self.conn.prepare(
            "SELECT locator, message FROM import_problems WHERE import_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([import_id], |r| {
            Ok(ProblemRow {
                locator: r.get(0)?,
                message: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes an import and every event it added, and subtracts it from the report tables
    /// in the same transaction. Returns false when no such import exists.
    pub fn remove_import(&mut self, import_id: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
        crate::report::forget_import(&tx, import_id)?;
        let n = tx.execute("DELETE FROM imports WHERE id = ?1", [import_id])?;
        tx.commit()?;
        Ok(n > 0)
    }
}

impl<'a> ImportTx<'a> {
    pub fn import_id(&self) -> i64 {
        self.import_id
    }

    /// Stores a classified event. Returns false when an identical event (same
    /// fingerprint) is already stored, which keeps re-imports from adding rows.
    pub fn add_event(&mut self, ev: &Event, fingerprint: &str) -> Result<bool> {
        let mut p = super::prepare(ev, fingerprint)?;
        self.add_prepared(ev, &mut p)
    }

    /// [`add_event`](Self::add_event) with the database-free part done beforehand
    /// ([`super::prepare`], on the importer's parser thread). Notes in `p` what the
    /// report counts need of a stored event (`Prepared::counted`).
    pub fn add_prepared(&mut self, ev: &Event, p: &mut Prepared) -> Result<bool> {
        p.stored = None;
        self.seen += 1;
        let recipient_id = self.recipient_id(&ev.recipient, p, ev.channel.as_str())?;
        let campaign_id = match &ev.campaign {
            Some(c) => Some(self.campaign_id(c, ev)?),
            None => None,
        };
        // The diagnostic with the recipient's address factored out: one stored text per
        // template instead of one per recipient (compact.rs); negative ids mark templates.
        let diagnostic = match p.diagnostic(ev) {
            Some((text, template)) => self
                .text_id(Some(text))?
                .map(|id| if template { -id } else { id }),
            None => None,
        };
        let remote_mta_id = self.text_id(ev.remote_mta.as_deref())?;
        let source_file = if ev.source.file == self.file_path {
            ""
        } else {
            ev.source.file.as_str()
        };
        let locator = match p.locator {
            Some(n) => rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::Integer(n)),
            None => rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(ev.source.locator.as_bytes())),
        };
        let names = [
            self.name_id(ev.verdict.rule.as_str())?,
            self.name_id(ev.verdict.evidence.as_str())?,
        ];
        let status = self.opt_name_id(ev.status.as_deref())?;
        let provider = self.opt_name_id(ev.provider.as_deref())?;
        let provider_label = self.opt_name_id(ev.provider_label.as_deref())?;
        let occurred_at = ev.occurred_at.map(|t| t.timestamp());
        let sent_at = ev.sent_at.map(|t| t.timestamp());
        // Bound one by one with their concrete types: no `&dyn ToSql` call per column
        // (~3% of the writer). All 22 are bound on every call: bindings outlive `raw_execute`.
        let st = &mut self.st.insert_event;
        st.raw_bind_parameter(1, self.import_id)?;
        st.raw_bind_parameter(2, p.fingerprint)?;
        for (i, code) in p.codes.iter().enumerate() {
            st.raw_bind_parameter(3 + i, code)?;
        }
        st.raw_bind_parameter(7, names[0])?;
        st.raw_bind_parameter(8, names[1])?;
        st.raw_bind_parameter(9, recipient_id)?;
        st.raw_bind_parameter(10, campaign_id)?;
        st.raw_bind_parameter(11, occurred_at)?;
        st.raw_bind_parameter(12, sent_at)?;
        st.raw_bind_parameter(13, status)?;
        st.raw_bind_parameter(14, ev.reply_code)?;
        st.raw_bind_parameter(15, diagnostic)?;
        st.raw_bind_parameter(16, remote_mta_id)?;
        st.raw_bind_parameter(17, provider)?;
        st.raw_bind_parameter(18, provider_label)?;
        st.raw_bind_parameter(19, source_file)?;
        st.raw_bind_parameter(20, &locator)?;
        st.raw_bind_parameter(21, ev.source.offset.map(|o| o as i64))?;
        st.raw_bind_parameter(22, p.original_json.as_deref())?;
        let n = st.raw_execute()?;
        if n == 0 {
            return Ok(false);
        }
        self.added += 1;
        p.stored = Some(super::prepare::Stored {
            recipient_id,
            campaign_id: campaign_id.unwrap_or(0),
            new_recipient: recipient_id > self.recipients_before,
        });
        if self.deferred.is_none()
            && self.added >= self.defer_after
            && self.added.saturating_mul(4) >= self.existing
        {
            self.defer_indexes()?;
        }
        Ok(true)
    }

    fn defer_indexes(&mut self) -> Result<()> {
        let found: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                 AND (tbl_name = 'event_rows' OR name = 'recipients_by_domain')
                 AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, _) in &found {
            self.tx
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        // An AFTER INSERT trigger on recipients (it keys rows written without a key; this
        // importer always writes the key) makes every recipient INSERT open a statement
        // journal that copies each touched page (~4% of the writer). Dropped and created
        // again at commit like the indexes, in the same transaction.
        let triggers: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL
                 AND tbl_name = 'recipients' AND name = 'recipients_keyed'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, _) in &triggers {
            self.tx
                .execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
        }
        let found = found.into_iter().chain(triggers);
        self.deferred = Some(found.into_iter().map(|(_, sql)| sql).collect());
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn defer_indexes_after(&mut self, n: i64) {
        self.defer_after = n;
    }


    /// Records a problem with one message or row; the rest of the file still imports.
    pub fn add_problem(&mut self, locator: &str, message: &str) -> Result<()> {
        self.problems += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO import_problems(import_id, locator, message) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.import_id, locator, message])?;
        Ok(())
    }

    /// Records what the reader assumed about the whole file (a zone, a day/month
    /// order) next to the problems, but not counted as one: nothing was wrong with a row.
    pub fn add_note(&mut self, locator: &str, message: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO import_problems(import_id, locator, message) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.import_id, locator, message])?;
        Ok(())
    }

    /// Sets a campaign's sent/delivered denominators from a provider summary.
    pub fn set_campaign_counts(
        &mut self,
        c: &CampaignRef,
        sent: Option<i64>,
        delivered: Option<i64>,
        source: &str,
    ) -> Result<()> {
        let id = self.upsert_campaign(c, None, None)?;
        self.tx.execute(
            "UPDATE campaigns SET sent_count = COALESCE(?2, sent_count), delivered_count = COALESCE(?3, delivered_count),
             counts_source = ?4 WHERE id = ?1",
            params![id, sent, delivered, source],
        )?;
        Ok(())
    }

    /// The file's hash, known only once the reader has consumed it.
    pub fn set_sha256(&mut self, sha256: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE imports SET sha256 = ?2 WHERE id = ?1",
            params![self.import_id, sha256],
        )?;
        Ok(())
    }

    pub fn counts(&self) -> (i64, i64, i64) {
        (self.seen, self.added, self.problems)
    }

    /// Builds the indexes a big import dropped (seconds on millions of events) and writes
    /// a big import's report-table counts. Call it before the last cancel check, so a
    /// cancel meanwhile still rolls back; `commit` does it too when it was not called.
    pub fn finish_writes(&mut self) -> Result<()> {
        if let Some(deferred) = self.deferred.take() {
            for sql in &deferred {
                self.tx.execute_batch(sql)?;
            }
        }
        if self.counts_written && !self.counted {
            return Err(crate::error::Error::Invalid(
                "report counts were written for only part of the import".into(),
            ));
        }
        Ok(())
    }

    /// Writes report-table counts of events this import stored (taken with
    /// `Prepared::counted`), within its transaction: a big import's counts are written in
    /// parts to bound memory. `finish_counts` must then follow.
    pub fn write_counts(&mut self, mut counts: crate::report::ImportCounts) -> Result<()> {
        counts.write(&self.tx)?;
        self.touched.extend(counts.touched());
        self.counts_written = true;
        Ok(())
    }

    /// The last counts of the import: written with its recipient recount, and the import
    /// marked counted, when it is big (see COUNT_INLINE_AFTER) or counts were written
    /// already; else dropped, and `report::sync_aggregates` counts the import later.
    pub fn finish_counts(&mut self, counts: crate::report::ImportCounts) -> Result<()> {
        if self.counted || (self.added < COUNT_INLINE_AFTER && !self.counts_written) {
            return Ok(());
        }
        self.write_counts(counts)?;
        crate::report::finish_import_counts(&self.tx, self.import_id, &self.touched)?;
        self.counted = true;
        Ok(())
    }

    /// Makes the import permanent and records its totals.
    pub fn commit(mut self) -> Result<i64> {
        self.finish_writes()?;
        // Every id above the table's highest at the start is this import's (one writer).
        self.tx.execute(
            "UPDATE imports SET finished_at = ?2, events_seen = ?3, events_added = ?4, problems = ?5,
                first_event_id = (SELECT MIN(id) FROM event_rows WHERE id > ?6),
                last_event_id = (SELECT MAX(id) FROM event_rows WHERE id > ?6) WHERE id = ?1",
            params![self.import_id, chrono::Utc::now().timestamp(), self.seen, self.added, self.problems, self.existing],
        )?;
        self.tx.commit()?;
        self.ids.committed = true;
        Ok(self.import_id)
    }

    fn recipient_id(&mut self, address: &str, p: &Prepared, channel: &str) -> Result<i64> {
        if let Some(v) = self.ids.cache.recipients.get(&p.key) {
            if (v >> 32) as u32 == p.check {
                return Ok((v & 0xffff_ffff) as i64);
            }
        }
        // Found by its 64-bit key (a small unique index), the address compared on the row.
        // Inserted first: a new address (the common miss) then needs no second statement.
        let mut key = p.key;
        let id = loop {
            let n = self
                .st
                .insert_recipient
                .execute(params![address, recipient_domain(address), channel, key])?;
            if n == 1 {
                break self.tx.last_insert_rowid();
            }
            let (id, stored): (i64, String) = self
                .st
                .find_recipient
                .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if stored == address {
                break id;
            }
            // Another address has this key: try the next one.
            key = key.wrapping_add(1);
        };
        let map = &mut self.ids.cache.recipients;
        if let Ok(small) = u32::try_from(id) {
            if map.len() >= MAX_CACHED_RECIPIENTS {
                map.clear();
            }
            map.insert(p.key, u64::from(p.check) << 32 | u64::from(small));
        }
        Ok(id)
    }

    fn campaign_id(&mut self, c: &CampaignRef, ev: &Event) -> Result<i64> {
        if let Some(id) = self.campaigns.get(&c.key) {
            return Ok(*id);
        }
        let id = self.upsert_campaign(c, Some(ev.channel.as_str()), ev.provider.as_deref())?;
        self.campaigns.insert(c.key.clone(), id);
        Ok(id)
    }

    fn upsert_campaign(
        &mut self,
        c: &CampaignRef,
        channel: Option<&str>,
        provider: Option<&str>,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO campaigns(key, name, channel, provider) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(key) DO UPDATE SET name = COALESCE(campaigns.name, excluded.name),
                    channel = COALESCE(campaigns.channel, excluded.channel),
                    provider = COALESCE(campaigns.provider, excluded.provider)",
            )?
            .execute(params![c.key, c.name, channel, provider])?;
        let id = self
            .tx
            .prepare_cached("SELECT id FROM campaigns WHERE key = ?1")?
            .query_row([&c.key], |r| r.get(0))?;
        Ok(id)
    }

    /// Short repeated strings (status, provider, label, rule, evidence): the `names` table.
    fn name_id(&mut self, text: &str) -> Result<i64> {
        if let Some(id) = self.ids.cache.names.get(text) {
            return Ok(*id);
        }
        let n = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO names(text) VALUES (?1)")?
            .execute([text])?;
        let id = if n == 1 {
            self.tx.last_insert_rowid()
        } else {
            self.tx
                .prepare_cached("SELECT id FROM names WHERE text = ?1")?
                .query_row([text], |r| r.get(0))?
        };
        remember(&mut self.ids.cache.names, text, id, MAX_CACHED_TEXTS);
        Ok(id)
    }

    fn opt_name_id(&mut self, text: Option<&str>) -> Result<Option<i64>> {
        text.map(|t| self.name_id(t)).transpose()
    }

    fn insert_text(&mut self, text: &str) -> Result<i64> {
        let n = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO texts(text) VALUES (?1)")?
            .execute([text])?;
        Ok(if n == 1 {
            self.tx.last_insert_rowid()
        } else {
            self.tx
                .prepare_cached("SELECT id FROM texts WHERE text = ?1")?
                .query_row([text], |r| r.get(0))?
        })
    }

    fn text_id(&mut self, text: Option<&str>) -> Result<Option<i64>> {
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if let Some(id) = self.ids.cache.texts.get(text) {
            return Ok(Some(*id));
        }
        let id = self.insert_text(text)?;
        // Bounded: diagnostics are mostly repetitive, but a hostile file could make every one unique.
        remember(&mut self.ids.cache.texts, text, id, MAX_CACHED_TEXTS);
        Ok(Some(id))
    }
}

#[cfg(test)]
#[path = "imports_tests.rs"]
mod tests;
