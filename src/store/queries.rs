//! Read-side queries shared by the CLI and the window (the dashboard's first numbers).

use super::Store;
use crate::error::Result;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClassCount {
    pub class: String,
    pub count: i64,
}

/// The first numbers the dashboard shows: what is in the database.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Overview {
    pub imports: i64,
    pub events: i64,
    pub campaigns: i64,
    pub recipients: i64,
    pub by_class: Vec<ClassCount>,
}

impl Store {
    /// Reads pre-counted numbers (the report aggregates, brought up to date first, and the
    /// highest recipient id), so it answers in milliseconds at millions of events. When the
    /// aggregates cannot be brought up to date (read-only file, another writer), it counts.
    pub fn overview(&self) -> Result<Overview> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let by_class = match crate::report::sync_aggregates(&self.conn) {
            Ok(_) => self.class_counts(
                "SELECT c.class, SUM(t.n) FROM agg_total t JOIN agg_cls c ON c.id = t.cls GROUP BY c.class HAVING SUM(t.n) > 0 ORDER BY c.class",
            )?,
            Err(_) => {
                self.class_counts("SELECT class, COUNT(*) FROM events GROUP BY class ORDER BY class")?
            }
        };
        // Recipients are numbered 1, 2, 3... by SQLite and never deleted by Rebound, so the
        // highest id is their count; migration 3's trigger records any deletion, and then we count.
        let sparse =
            count("SELECT COALESCE(SUM(n), 0) FROM counters WHERE name = 'recipients_deleted'")?
                > 0;
        let recipients = if sparse {
            count("SELECT COUNT(*) FROM recipients")?
        } else {
            count("SELECT COALESCE(MAX(id), 0) FROM recipients")?
        };
        Ok(Overview {
            imports: count("SELECT COUNT(*) FROM imports")?,
            events: by_class.iter().map(|c| c.count).sum(),
            campaigns: count("SELECT COUNT(*) FROM campaigns")?,
            recipients,
            by_class,
        })
    }

    fn class_counts(&self, sql: &str) -> Result<Vec<ClassCount>> {
        let mut st = self.conn.prepare(sql)?;
        let rows = st
            .query_map([], |r| {
                Ok(ClassCount {
                    class: r.get(0)?,
                    count: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// The first and last event id of an import: an import's events are one run of ids (one
/// writer, one transaction per file), so readers page through them by id range. The one
/// place that knows how that range is found.
pub fn import_event_range(conn: &rusqlite::Connection, import_id: i64) -> Result<Option<(i64, i64)>> {
    use rusqlite::OptionalExtension;
    // Recorded at commit since migration 6 (no index on import_id any more).
    let recorded: Option<(Option<i64>, Option<i64>)> = conn
        .query_row(
            "SELECT first_event_id, last_event_id FROM imports WHERE id = ?1",
            [import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match recorded {
        None => Ok(None),
        Some((Some(lo), Some(hi))) => Ok(Some((lo, hi))),
        // Nothing added, or events written by hand (a bench, a test): look (a scan).
        Some(_) => {
            let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
                "SELECT MIN(id), MAX(id) FROM event_rows WHERE import_id = ?1",
                [import_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(lo.zip(hi))
        }
    }
}
