//! Issue 11: a database file Rebound may not write gives a message that names the
//! file and says what to do, and a locked one names the file too; nothing is damaged.
//! Read-only is made with chmod, plus `chattr +i` when running as root (root ignores
//! file modes); where neither holds (no chattr, odd file system) the test says so.

use rebound::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Undoes the immutable flag even when an assertion fails, so the temp dir can go.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr").arg("+i").arg(path).status().map(|s| s.success()).unwrap_or(false);
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

fn make_read_only(path: &Path) -> Option<Option<Immutable>> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).ok()?;
    let guard = Immutable::set(path);
    // Can this process still write it? Then the check below would prove nothing.
    let writable = std::fs::OpenOptions::new().append(true).open(path).is_ok();
    if writable {
        return None;
    }
    Some(guard)
}

#[test]
fn a_read_only_database_names_the_file_and_the_next_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rebound.sqlite");
    {
        let store = Store::open(&db).expect("create");
        store.set_setting("ui.theme", "dark").expect("write");
        // Fold the WAL into the file: the read-only copy must hold everything.
        store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;").expect("checkpoint");
    }
    let Some(_guard) = make_read_only(&db) else {
        eprintln!("SKIPPED: cannot make {} read-only for this user (no chattr?)", db.display());
        return;
    };
    // Opening may already fail (WAL needs to write), or the first write does: either way the message names the file.
    let err = match Store::open(&db) {
        Err(e) => e,
        Ok(store) => {
            assert_eq!(store.setting("ui.theme").expect("reads still work"), Some("dark".into()));
            store.set_setting("ui.theme", "light").map_err(|e| e.at(&db)).expect_err("a write must fail")
        }
    };
    let text = err.to_string();
    assert_eq!(err.code(), "read_only", "{text}");
    assert!(text.contains(&db.display().to_string()), "names the file: {text}");
    assert!(text.contains("read-only") && text.contains("writable folder"), "says what to do: {text}");
}

#[test]
fn a_locked_database_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rebound.sqlite");
    let holder = Store::open(&db).expect("create");
    // Another writer holds the write lock (as an import in the other window would).
    holder.conn().execute_batch("BEGIN IMMEDIATE; INSERT INTO settings(key, value) VALUES ('x', 'y');").expect("lock");
    let other = Store::open(&db).expect("readers may open");
    other.conn().busy_timeout(std::time::Duration::from_millis(50)).expect("short wait");
    let err = other.set_setting("ui.theme", "dark").map_err(|e| e.at(&db)).expect_err("must be busy");
    assert_eq!(err.code(), "locked");
    let text = err.to_string();
    assert!(text.contains(&db.display().to_string()) && text.contains("try again"), "{text}");
    holder.conn().execute_batch("ROLLBACK").expect("unlock");
    other.set_setting("ui.theme", "dark").expect("writes again once free");
}
