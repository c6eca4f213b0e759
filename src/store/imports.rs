//! Writing one import: a single transaction holding its row, its events and its
//! problems, so a crash or a cancel never leaves half a file behind.

use super::Store;
use crate::error::Result;
use crate::model::{recipient_domain, CampaignRef, Event};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::HashMap;

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
    tx: Transaction<'a>,
    import_id: i64,
    seen: i64,
    added: i64,
    problems: i64,
    recipients: HashMap<String, i64>,
    campaigns: HashMap<String, i64>,
    texts: HashMap<String, i64>,
}

impl Store {
    /// Starts the one transaction of an import.
    pub fn begin_import(&mut self, meta: &NewImport) -> Result<ImportTx<'_>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
        Ok(ImportTx {
            tx,
            import_id,
            seen: 0,
            added: 0,
            problems: 0,
            recipients: HashMap::new(),
            campaigns: HashMap::new(),
            texts: HashMap::new(),
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
        let mut st = self.conn.prepare("SELECT locator, message FROM import_problems WHERE import_id = ?1 ORDER BY id")?;
        let rows = st.query_map([import_id], |r| Ok(ProblemRow { locator: r.get(0)?, message: r.get(1)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes an import and every event it added. Returns false when no such import exists.
    pub fn remove_import(&mut self, import_id: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
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
        self.seen += 1;
        let recipient_id = self.recipient_id(&ev.recipient, ev.channel.as_str())?;
        let campaign_id = match &ev.campaign {
            Some(c) => Some(self.campaign_id(c, ev)?),
            None => None,
        };
        let diagnostic_id = self.text_id(ev.diagnostic.as_deref())?;
        let remote_mta_id = self.text_id(ev.remote_mta.as_deref())?;
        let original_json = match &ev.original {
            Some(o) => Some(serde_json::to_string(o).map_err(|e| crate::error::Error::Invalid(e.to_string()))?),
            None => None,
        };
        let n = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id,
                occurred_at, sent_at, status, reply_code, diagnostic_id, remote_mta_id, provider, provider_label,
                class, reason, rule, evidence, source_file, source_locator, source_offset, original_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        )?
        .execute(params![
            self.import_id,
            fingerprint,
            ev.channel.as_str(),
            ev.kind.as_str(),
            recipient_id,
            campaign_id,
            ev.occurred_at.map(|t| t.timestamp()),
            ev.sent_at.map(|t| t.timestamp()),
            ev.status,
            ev.reply_code,
            diagnostic_id,
            remote_mta_id,
            ev.provider,
            ev.provider_label,
            ev.verdict.class.as_str(),
            ev.verdict.reason.as_str(),
            ev.verdict.rule,
            ev.verdict.evidence,
            ev.source.file,
            ev.source.locator,
            ev.source.offset.map(|o| o as i64),
            original_json,
        ])?;
        self.added += n as i64;
        Ok(n > 0)
    }

    /// Records a problem with one message or row; the rest of the file still imports.
    pub fn add_problem(&mut self, locator: &str, message: &str) -> Result<()> {
        self.problems += 1;
        self.tx
            .prepare_cached("INSERT INTO import_problems(import_id, locator, message) VALUES (?1, ?2, ?3)")?
            .execute(params![self.import_id, locator, message])?;
        Ok(())
    }

    /// Sets a campaign's sent/delivered denominators from a provider summary.
    pub fn set_campaign_counts(&mut self, c: &CampaignRef, sent: Option<i64>, delivered: Option<i64>, source: &str) -> Result<()> {
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
        self.tx.execute("UPDATE imports SET sha256 = ?2 WHERE id = ?1", params![self.import_id, sha256])?;
        Ok(())
    }

    pub fn counts(&self) -> (i64, i64, i64) {
        (self.seen, self.added, self.problems)
    }

    /// Makes the import permanent and records its totals.
    pub fn commit(self) -> Result<i64> {
        self.tx.execute(
            "UPDATE imports SET finished_at = ?2, events_seen = ?3, events_added = ?4, problems = ?5 WHERE id = ?1",
            params![self.import_id, chrono::Utc::now().timestamp(), self.seen, self.added, self.problems],
        )?;
        self.tx.commit()?;
        Ok(self.import_id)
    }

    fn recipient_id(&mut self, address: &str, channel: &str) -> Result<i64> {
        if let Some(id) = self.recipients.get(address) {
            return Ok(*id);
        }
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO recipients(address, domain, channel) VALUES (?1, ?2, ?3)")?
            .execute(params![address, recipient_domain(address), channel])?;
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM recipients WHERE address = ?1")?
            .query_row([address], |r| r.get(0))?;
        self.recipients.insert(address.to_string(), id);
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

    fn upsert_campaign(&mut self, c: &CampaignRef, channel: Option<&str>, provider: Option<&str>) -> Result<i64> {
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

    fn text_id(&mut self, text: Option<&str>) -> Result<Option<i64>> {
        let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(None) };
        if let Some(id) = self.texts.get(text) {
            return Ok(Some(*id));
        }
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM texts WHERE text = ?1")?
            .query_row([text], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                self.tx.prepare_cached("INSERT INTO texts(text) VALUES (?1)")?.execute([text])?;
                self.tx.last_insert_rowid()
            }
        };
        // Bound the cache: diagnostics are mostly repetitive, but a hostile file could make every one unique.
        if self.texts.len() < 100_000 {
            self.texts.insert(text.to_string(), id);
        }
        Ok(Some(id))
    }
}
