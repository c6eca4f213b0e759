//! The database never loses data: full disk, read-only file, two writers,
//! refusal of newer files, and online backup / verified restore.

mod common;

use common::{count, import_synthetic, sqlite_integrity};
use rebound::store::{before_restore_path, Store};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const UNFINISHED: &str = "SELECT COUNT(*) FROM imports WHERE finished_at IS NULL";

fn rebound_cli(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rebound")).arg("--db").arg(db).args(args).output().expect("run rebound")
}

/// Fills the database until SQLite refuses (max_page_count simulates a full disk),
/// then checks the error and that the committed import is untouched.
#[test]
fn full_disk_gives_a_clear_error_and_keeps_committed_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    let mut store = Store::open(&path).unwrap();
    import_synthetic(&mut store, "first", 0, 200).unwrap();
    let pages: i64 = store.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let _: i64 = store.conn().query_row(&format!("PRAGMA max_page_count = {}", pages + 20), [], |r| r.get(0)).unwrap();

    let err = import_synthetic(&mut store, "second", 1_000, 50_000).expect_err("the import must hit the page limit");
    assert_eq!(err.code(), "database");
    assert!(err.to_string().contains("full"), "unclear full-disk error: {err}");

    // The same handle still reads, and sees only the first import.
    assert_eq!(store.overview().unwrap().events, 200);
    drop(store);
    assert_eq!(sqlite_integrity(&path), "ok");
    assert_eq!(count(&path, "SELECT COUNT(*) FROM events"), 200);
    assert_eq!(count(&path, UNFINISHED), 0);
    // Room again (a fresh handle has no page limit): the import goes through whole.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(import_synthetic(&mut store, "second", 1_000, 5_000).unwrap().1, 4_000);
}

/// A real full file system: a 1 MiB tmpfs (skipped where mounting is not allowed).
#[test]
fn full_file_system_gives_an_error_and_no_corruption() {
    let Some(fs) = common::TmpFs::mount("1m") else {
        eprintln!("note: cannot mount a tmpfs here (needs CAP_SYS_ADMIN); full-disk covered by max_page_count only");
        return;
    };
    let path = fs.path().join("rebound.sqlite");
    let mut store = Store::open(&path).unwrap();
    import_synthetic(&mut store, "first", 0, 100).unwrap();
    let err = import_synthetic(&mut store, "big", 1_000, 200_000).expect_err("1 MiB cannot hold 199,000 events");
    eprintln!("full tmpfs error: [{}] {err}", err.code());
    assert!(matches!(err.code(), "database" | "write_failed"), "{err}");
    let lower = err.to_string().to_lowercase();
    assert!(lower.contains("full") || lower.contains("disk"), "unclear error: {err}");
    drop(store);
    assert_eq!(sqlite_integrity(&path), "ok");
    assert_eq!(count(&path, "SELECT COUNT(*) FROM events"), 100);
    assert_eq!(count(&path, UNFINISHED), 0);
}

/// A database on a read-only file system: a clear error, and the file unchanged.
#[test]
fn read_only_database_is_refused_clearly_and_left_intact() {
    let Some(fs) = common::TmpFs::mount("8m") else {
        eprintln!("note: cannot mount a tmpfs here; read-only case checked by read_only_file_for_an_ordinary_user");
        return;
    };
    let path = fs.path().join("rebound.sqlite");
    import_synthetic(&mut Store::open(&path).unwrap(), "first", 0, 50).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(fs.remount_read_only(), "remount read-only");

    match Store::open(&path) {
        Ok(mut store) => {
            let err = import_synthetic(&mut store, "second", 100, 200).expect_err("writing a read-only database");
            eprintln!("read-only import error: [{}] {err}", err.code());
            assert_eq!(err.code(), "database");
            assert!(err.to_string().to_lowercase().contains("read"), "unclear error: {err}");
        }
        Err(err) => {
            eprintln!("read-only open error: [{}] {err}", err.code());
            assert!(matches!(err.code(), "database" | "read_failed" | "write_failed"), "{err}");
        }
    }
    let out = rebound_cli(&path, &["imports", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("CLI on read-only db: exit {:?}, stderr: {stderr}", out.status.code());
    assert!(out.status.success() || stderr.starts_with("rebound: "), "no panic, a message: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the read-only file must not change");
}

/// The same as an ordinary user on a file they may not write (root ignores modes).
#[test]
fn read_only_file_for_an_ordinary_user() {
    if !common::is_root() || !common::have_tool("setpriv") {
        eprintln!("note: needs root and setpriv to run the CLI as 'nobody'; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    import_synthetic(&mut Store::open(&path).unwrap(), "first", 0, 50).unwrap();
    let input = dir.path().join("input.eml");
    std::fs::write(&input, b"From: a@b.c\n\nhello\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    for (p, mode) in [(dir.path(), 0o555), (path.as_path(), 0o444), (input.as_path(), 0o444)] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_rebound"), "--db"])
        .arg(&path)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("import into a read-only db as nobody: exit {:?}, stderr: {stderr}", out.status.code());
    assert!(!out.status.success(), "an import into a read-only database cannot succeed");
    assert!(stderr.starts_with("rebound: ") || stderr.contains("not imported"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(sqlite_integrity(&path), "ok");
}

/// Two windows on one file: the second writer waits the busy timeout, then gets
/// a "locked" error; readers meanwhile see only committed imports.
#[test]
fn second_writer_gets_a_readable_locked_error_and_nothing_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    import_synthetic(&mut a, "committed", 0, 100).unwrap();

    let mut tx = a.begin_import(&common::synthetic_meta("open")).unwrap();
    for i in 1_000..1_500 {
        let ev = common::synthetic_event(i);
        tx.add_event(&ev, &ev.fingerprint(None)).unwrap();
    }
    assert_eq!(b.overview().unwrap().events, 100, "a reader must not see the open import");
    let t = Instant::now();
    let err = match b.begin_import(&common::synthetic_meta("second")) {
        Err(e) => e,
        Ok(_) => panic!("a second writer must not get the write lock"),
    };
    let waited = t.elapsed();
    assert_eq!(err.code(), "locked", "{err}");
    let msg = err.to_string().to_lowercase();
    assert!(msg.contains("busy") || msg.contains("locked"), "unreadable lock error: {err}");
    assert!(waited >= Duration::from_millis(4_500), "gave up after {waited:?}, before the 5 s busy timeout");
    eprintln!("second writer: [{}] {err} after {waited:?}", err.code());

    // The CLI, a third process, can still list imports and is refused writes.
    let list = rebound_cli(&path, &["imports", "list"]);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 2, "header + the one committed import");
    let rm = rebound_cli(&path, &["imports", "remove", "1"]);
    let stderr = String::from_utf8_lossy(&rm.stderr);
    assert_eq!(rm.status.code(), Some(3), "locked is a database error: {stderr}");
    assert!(stderr.contains("locked") || stderr.contains("busy"), "{stderr}");

    tx.commit().unwrap();
    assert_eq!(import_synthetic(&mut b, "second", 2_000, 2_100).unwrap().1, 100);
    drop((a, b));
    assert_eq!(sqlite_integrity(&path), "ok");
    assert_eq!(count(&path, "SELECT COUNT(*) FROM events"), 700);
}

/// Newer files are refused by the CLI too, with exit code 3, and not modified.
#[test]
fn newer_database_is_refused_by_the_cli_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    import_synthetic(&mut Store::open(&path).unwrap(), "x", 0, 10).unwrap();
    let newer = rebound::store::schema::MIGRATIONS.len() as i64 + 1;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for args in [&["imports", "list"][..], &["import", "/nonexistent.mbox"][..]] {
        let out = rebound_cli(&path, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains("newer Rebound"), "{stderr}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(Store::verify_backup(&path).unwrap_err().code(), "newer_schema");
}

#[test]
fn backup_and_verified_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    let bak = dir.path().join("backup.sqlite");
    let mut store = Store::open(&path).unwrap();
    import_synthetic(&mut store, "one", 0, 300).unwrap();
    let info = store.backup_verified(&bak).unwrap();
    assert_eq!((info.imports, info.events), (1, 300));
    import_synthetic(&mut store, "two", 300, 500).unwrap();

    // Another window keeps the file open during the restore.
    let other = Store::open(&path).unwrap();
    let restored = store.restore_from(&bak).unwrap();
    assert_eq!(restored.events, 300);
    assert_eq!(store.overview().unwrap().events, 300);
    assert_eq!(other.overview().unwrap().events, 300, "other handles see the restored data");
    let kept = Store::verify_backup(&before_restore_path(&path)).unwrap();
    assert_eq!(kept.events, 500, "the replaced data is kept next to the database");
    drop((store, other));
    assert_eq!(sqlite_integrity(&path), "ok");
    // Restored data is live: a re-import of import two adds its 200 events again.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(import_synthetic(&mut store, "two", 300, 500).unwrap().1, 200);
}

/// Every bad backup is refused before anything changes.
#[test]
fn restore_refuses_bad_backups_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    let mut store = Store::open(&path).unwrap();
    import_synthetic(&mut store, "one", 0, 2_000).unwrap();
    let good = dir.path().join("good.sqlite");
    store.backup_verified(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let mut bad = Vec::new();
    let mut write = |name: &str, data: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        bad.push(p);
    };
    let mut rng = common::Rng::new(3);
    write("random.sqlite", &(0..65_536).map(|_| rng.next_u64() as u8).collect::<Vec<_>>());
    write("truncated.sqlite", &bytes[..bytes.len() / 2]);
    write("empty.sqlite", b"");
    let mut damaged = bytes.clone();
    let page = 4096;
    for p in (page * 2..damaged.len()).step_by(page) {
        for b in &mut damaged[p + 8..p + 64] {
            *b ^= 0x5A; // scramble cell pointers of every page after the first two
        }
    }
    write("damaged.sqlite", &damaged);
    let newer = dir.path().join("newer.sqlite");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    bad.push(newer);
    let foreign = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes(x); PRAGMA user_version = 1;").unwrap();
    bad.push(foreign);
    bad.push(dir.path().join("missing.sqlite"));

    import_synthetic(&mut store, "two", 2_000, 2_100).unwrap();
    for p in &bad {
        let err = store.restore_from(p).expect_err(&format!("{} must be refused", p.display()));
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(matches!(err.code(), "bad_input" | "newer_schema" | "read_failed"), "{name}: [{}] {err}", err.code());
        assert!(err.to_string().contains(name.as_ref()), "the error must name the file: {err}");
        eprintln!("refused {name}: {err}");
        assert_eq!(store.overview().unwrap().events, 2_100, "{name} changed the data");
    }
    assert!(!before_restore_path(&path).exists(), "a refused restore makes no copy either");
    drop(store);
    assert_eq!(sqlite_integrity(&path), "ok");
}

/// The online backup of a database with an import in progress in another
/// connection holds exactly the committed imports.
#[test]
fn online_backup_during_an_import_holds_only_committed_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    let mut writer = Store::open(&path).unwrap();
    import_synthetic(&mut writer, "done", 0, 1_000).unwrap();
    let reader = Store::open(&path).unwrap();
    let mut tx = writer.begin_import(&common::synthetic_meta("open")).unwrap();
    for i in 5_000..8_000 {
        let ev = common::synthetic_event(i);
        tx.add_event(&ev, &ev.fingerprint(None)).unwrap();
    }
    let bak = dir.path().join("online.sqlite");
    let info = reader.backup_verified(&bak).unwrap();
    assert_eq!((info.imports, info.events), (1, 1_000));
    tx.commit().unwrap();
    assert_eq!(sqlite_integrity(&bak), "ok");
    assert_eq!(count(&bak, UNFINISHED), 0);
}
