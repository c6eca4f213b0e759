//! Backup and restore of the whole database (Settings → Backup / Restore) with
//! SQLite's online backup API: other windows may keep the file open meanwhile.
//! A restore checks the backup before it touches anything, keeps a copy of the
//! data it replaces, and brings an older backup's schema up to date.

use super::{schema, Store};
use crate::error::{Error, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a checked backup holds, so the window can show it before restoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub schema_version: i64,
    pub imports: i64,
    pub events: i64,
}

/// How long a backup or restore waits for other writers before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(5);

impl Store {
    /// Checks that `path` is a complete Rebound database this version can read:
    /// SQLite's integrity check passes and its schema version is known.
    pub fn verify_backup(path: &Path) -> Result<BackupInfo> {
        let conn = open_read_only(path)?;
        verify(&conn, path)
    }

    /// Writes a copy to `dest` and checks the copy, for "Back up now".
    pub fn backup_verified(&self, dest: &Path) -> Result<BackupInfo> {
        if same_file(self.path(), dest) {
            return Err(Error::Invalid("a backup must be written to another file than the database itself".into()));
        }
        self.backup_to(dest)?;
        Self::verify_backup(dest)
    }

    /// Replaces every row of this database with the backup at `src`.
    /// The backup is verified first; on any refusal nothing changes. The data
    /// being replaced is first copied to `<db>.before-restore.bak`.
    pub fn restore_from(&mut self, src: &Path) -> Result<BackupInfo> {
        if same_file(self.path(), src) {
            return Err(bad(src, "is the database that is open now; choose a backup file"));
        }
        let source = open_read_only(src)?;
        let info = verify(&source, src)?;
        if self.path() != Path::new(":memory:") {
            self.backup_to(&before_restore_path(self.path()))?;
        }
        copy_pages(&source, &mut self.conn)?;
        drop(source);
        self.configure()?;
        self.migrate()?;
        verify(&self.conn, &self.path.clone())?;
        Ok(info)
    }
}

/// Where `restore_from` keeps the data it replaced.
pub fn before_restore_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".before-restore.bak");
    PathBuf::from(name)
}

fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::read(path, std::io::Error::new(std::io::ErrorKind::NotFound, "no such backup file")));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(path, &format!("cannot be opened as a database ({e})")))?;
    let _ = conn.busy_timeout(LOCK_WAIT);
    Ok(conn)
}

fn verify(conn: &Connection, path: &Path) -> Result<BackupInfo> {
    let not_db = |e: rusqlite::Error| bad(path, &format!("is not a Rebound database ({e})"));
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(not_db)?;
    if rows != ["ok"] {
        // The first row may start with a "*** in database main ***" banner line.
        let first: String = rows.iter().flat_map(|r| r.lines()).find(|l| !l.starts_with("***")).unwrap_or("").chars().take(160).collect();
        return Err(bad(path, &format!("is damaged (integrity check: {first} …)")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(not_db)?;
    let known = schema::MIGRATIONS.len() as i64;
    if version > known {
        return Err(Error::NewerSchema { path: path.to_path_buf(), found: version, known });
    }
    let has_imports: bool = conn
        .query_row("SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'imports'", [], |r| r.get(0))
        .map_err(not_db)?;
    if version < 1 || !has_imports {
        return Err(bad(path, "is a database, but not one written by Rebound"));
    }
    let count = |table: &str| conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).map_err(not_db);
    Ok(BackupInfo { schema_version: version, imports: count("imports")?, events: count("events")? })
}

/// Online backup from `src` into `dest`, waiting at most [`LOCK_WAIT`] for other writers.
fn copy_pages(src: &Connection, dest: &mut Connection) -> Result<()> {
    let backup = Backup::new(src, dest)?;
    let started = Instant::now();
    loop {
        match backup.step(1024)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                if started.elapsed() > LOCK_WAIT {
                    return Err(Error::Locked);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {}
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn bad(path: &Path, message: &str) -> Error {
    Error::BadInput {
        path: path.display().to_string(),
        message: format!("{message}. Nothing was changed; choose another backup file."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_verifies_as_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.sqlite")).unwrap();
        let info = store.backup_verified(&dir.path().join("b.sqlite")).unwrap();
        assert_eq!(info, BackupInfo { schema_version: schema::MIGRATIONS.len() as i64, imports: 0, events: 0 });
        assert_eq!(store.backup_verified(store.path()).unwrap_err().code(), "invalid");
    }

    #[test]
    fn an_empty_sqlite_file_is_not_a_rebound_backup() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.sqlite");
        Connection::open(&other).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
        let err = Store::verify_backup(&other).unwrap_err();
        assert_eq!(err.code(), "bad_input");
        assert!(err.to_string().contains("not one written by Rebound"), "{err}");
    }
}
