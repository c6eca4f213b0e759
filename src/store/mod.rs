//! The one SQLite file: opening, migrating, and the queries every screen needs.
//! WAL mode and foreign keys on; a copy of the file is kept before any migration.

mod compact;
mod imports;
mod prepare;
pub mod mappings;
mod queries;
pub mod schema;
// Backup / restore helpers (issue 11).
mod maintenance;

use imports::IdCache;
pub use imports::{ImportRecord, ImportTx, NewImport, ProblemRow};
pub use prepare::{prepare, prepare_into, Prepared};
pub use maintenance::{before_restore_path, BackupInfo};
pub use queries::{import_event_range, ClassCount, Overview};
pub(crate) use compact::ADDRESS_MARK;

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file name inside the app-data folder, shared by CLI and desktop app.
pub const DB_FILE_NAME: &str = "rebound.sqlite";
/// Folder name under the OS data dir; equals the Tauri app identifier.
pub const APP_DIR_NAME: &str = "app.rebound.desktop";

/// The database path both front doors use unless told otherwise:
/// `$REBOUND_DB` if set, else `<OS data dir>/app.rebound.desktop/rebound.sqlite`.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("REBOUND_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let base = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
    base.join(APP_DIR_NAME).join(DB_FILE_NAME)
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// Ids of recipients, campaigns and texts already stored, so imports skip the lookups.
    ids: IdCache,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        tune_sqlite();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        // Two connections setting up a new file at once can get SQLITE_BUSY at once, without
        // the busy timeout (switching to WAL, lock upgrades): try again for a few seconds.
        // A lock really held by a writer already waited the busy timeout, so it is not retried.
        let started = std::time::Instant::now();
        loop {
            match Store::open_once(path) {
                Err(Error::Locked) if started.elapsed() < Duration::from_secs(4) => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                // SQLite's busy/read-only errors do not know the file; the user needs its name.
                other => return other.map_err(|e| e.at(path)),
            }
        }
    }

    fn open_once(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| db_err(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            ids: IdCache::default(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// A private database in memory, for tests and `classify` dry runs.
    pub fn open_in_memory() -> Result<Store> {
        tune_sqlite();
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            ids: IdCache::default(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Direct access for report queries inside the library.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(Duration::from_secs(5))?;
        compact::register(&self.conn)?;
        // Only takes effect on a new, empty file; must come before WAL is switched on. 8 KB:
        // fewer B-tree levels than the default 4 KB for big imports, while a new database
        // (one page per table, index and long trigger, ~45 in all) stays ~400 KB, not ~750 KB.
        // Benchmark knob: REBOUND_PAGE_SIZE=16384 (a power of two from 512 to 65536).
        let page = std::env::var("REBOUND_PAGE_SIZE")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|p| p.is_power_of_two() && (512..=65536).contains(p))
            .unwrap_or(8192);
        self.conn
            .execute_batch(&format!("PRAGMA page_size = {page};"))?;
        // journal_mode returns a row; WAL is not available in memory, which is fine.
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        // Up to 128 MB of page cache (default 2 MB), allocated only as used: big imports
        // insert into unique indexes at random places and would re-read spilled pages.
        // Benchmark knob: REBOUND_CACHE_KB=65536 (at least 2048).
        let cache_kb = std::env::var("REBOUND_CACHE_KB")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|k| *k >= 2048)
            .unwrap_or(131_072);
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = -{cache_kb}; PRAGMA temp_store = MEMORY;"
        ))?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let known = schema::MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(Error::NewerSchema {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found == known {
            return Ok(());
        }
        if found > 0 {
            self.backup_before_migration(found)?;
        }
        // Off while migrating (a no-op inside a transaction, so here): migration 6 rebuilds
        // the events table and deletes unused texts, and per-row parent checks would make
        // that a scan per row. Back on below, however the loop ends.
        // Temporary b-trees and VACUUM's copy go to a file, not memory: a 5,000,000-event
        // conversion otherwise peaks at ~2 GB of RSS.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA temp_store = FILE;")?;
        let result = self.run_migrations(found);
        self.conn.execute_batch("PRAGMA foreign_keys = ON")?;
        result?;
        // A converted file keeps the old table's pages as free space: give them back
        // (a one-time rewrite; the whole upgrade of a 5,000,000-event file took ~3 minutes).
        if found > 0 {
            let (free, pages): (i64, i64) = self.conn.query_row(
                "SELECT (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_count FROM pragma_page_count)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // Not fatal: another connection opening the file at the same time (the window and
            // an import thread) makes it busy; the file then only stays bigger.
            if free > 1000 && free * 4 > pages {
                let _ = self.conn.execute_batch("VACUUM");
            }
        }
        self.conn.execute_batch("PRAGMA temp_store = MEMORY")?;
        Ok(())
    }

    fn run_migrations(&mut self, found: i64) -> Result<()> {
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            // IMMEDIATE takes the write lock before reading the version: when two connections
            // (the window and an import thread, or app and CLI) open a new file at once, the
            // second waits here and then sees the step done, instead of running it twice.
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now <= i as i64 {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            }
            tx.commit()?;
        }
        Ok(())
    }

    /// Copies the database next to itself (`rebound.sqlite.v3.bak`) with the online backup API.
    fn backup_before_migration(&self, version: i64) -> Result<()> {
        if self.path == Path::new(":memory:") {
            return Ok(());
        }
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".v{version}.bak"));
        self.backup_to(Path::new(&name))
    }

    /// Writes a consistent copy of the whole database to `dest` (online backup API).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let mut out = Connection::open(dest).map_err(|e| db_err(dest, e))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(256, Duration::from_millis(0), None)?;
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// Process-wide SQLite settings, applied once before the first connection opens:
/// memory statistics off, so every allocation SQLite makes does not take a global mutex
/// (~5% of an import's CPU). Too late when something opened SQLite first: then a no-op.
fn tune_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is documented as callable before sqlite3_initialize; after
        // it, it only returns SQLITE_MISUSE, which is ignored. No connection exists yet here.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            );
        }
    });
}

fn db_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
