//! kill -9 during an import, at random moments: afterwards the database passes
//! `PRAGMA integrity_check`, no partial import is visible, and running the
//! import again ends with exactly the expected counts.
//!
//! Two writers are killed: a helper process that drives the store directly (this
//! test binary re-executed, so it runs on every branch), and the real `rebound
//! import` CLI on a ~20 MB mbox (needs the mbox reader).

mod common;

use common::{count, sqlite_integrity, Rng};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn trials() -> u64 {
    std::env::var("REBOUND_KILL_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

/// Enough that a full run lasts well past the helper's start-up (~2 s debug, ~1 s release).
const SLOW_EVENTS: u64 = if cfg!(debug_assertions) { 12_000 } else { 50_000 };

/// The helper process: one import of `CRASH_EVENTS` synthetic events, committed at the end.
#[test]
#[ignore = "entry point of the kill -9 helper process; started by kill_9_during_store_import"]
fn slow_import_child() {
    let Ok(db) = std::env::var("CRASH_DB") else { return };
    let n: u64 = std::env::var("CRASH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(SLOW_EVENTS);
    let mut store = rebound::store::Store::open(Path::new(&db)).expect("open db");
    let (id, added) = common::import_synthetic(&mut store, "slow", 0, n).expect("import");
    println!("COMMITTED {id} {added}");
    let _ = std::io::stdout().flush();
}

fn spawn_slow(db: &Path) -> Child {
    common::child_command("slow_import_child", &[("CRASH_DB", db.display().to_string()), ("CRASH_EVENTS", SLOW_EVENTS.to_string())])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn helper")
}

/// What every crash must leave: a sound file, only finished imports, and for
/// each import either all of its events or none. `base` events were there before.
fn check_after_crash(db: &Path, base: i64, full: i64) -> (bool, String) {
    let integrity = sqlite_integrity(db);
    assert_eq!(integrity, "ok", "integrity after kill -9");
    // As the app would: open (a kill before the first migration committed leaves an empty file).
    drop(rebound::store::Store::open(db).expect("the database opens again after kill -9"));
    assert_eq!(count(db, "SELECT COUNT(*) FROM imports WHERE finished_at IS NULL"), 0, "an unfinished import is visible");
    let events = count(db, "SELECT COUNT(*) FROM events");
    assert!(events == base || events == base + full, "a partial import is visible: {} of {full} events", events - base);
    let recorded = count(db, "SELECT COALESCE(SUM(events_added), 0) FROM imports");
    assert_eq!(recorded, events, "imports' recorded counts disagree with the events table");
    let orphans = count(db, "SELECT COUNT(*) FROM events e LEFT JOIN imports i ON i.id = e.import_id WHERE i.id IS NULL");
    assert_eq!(orphans, 0);
    (events == base + full, integrity)
}

/// Undoes a trial that got to commit, so every trial inserts fresh rows (a
/// re-import of known events is faster and would shift kills past the commit).
fn remove_trial_imports(db: &Path, keep_up_to: i64) {
    if count_or_zero(db) == 0 {
        return;
    }
    let mut store = rebound::store::Store::open(db).unwrap();
    for imp in store.imports().unwrap() {
        if imp.id > keep_up_to {
            store.remove_import(imp.id).unwrap();
        }
    }
}

struct KillStats {
    trials: u64,
    before_commit: u64,
    after_commit: u64,
    integrity_ok: u64,
}

/// Kills `spawn()` after random delays in [0, 0.9 × a full run] on one database
/// that holds `base` events in imports up to id `base_id`.
fn kill_trials(db: &Path, full_run: Duration, (base_id, base): (i64, i64), full: i64, mut spawn: impl FnMut() -> Child) -> KillStats {
    let mut rng = Rng::new(0x6b696c6c);
    let mut s = KillStats { trials: 0, before_commit: 0, after_commit: 0, integrity_ok: 0 };
    let span = full_run.as_micros() as usize * 9 / 10;
    for _ in 0..trials() {
        remove_trial_imports(db, base_id);
        let imports_before = count_or_zero(db);
        let mut child = spawn();
        std::thread::sleep(Duration::from_micros(rng.below(span) as u64));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let (_, integrity) = check_after_crash(db, base, full);
        s.trials += 1;
        s.integrity_ok += (integrity == "ok") as u64;
        if count_or_zero(db) > imports_before {
            s.after_commit += 1;
        } else {
            s.before_commit += 1;
        }
    }
    s
}

fn count_or_zero(db: &Path) -> i64 {
    if db.exists() && count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'imports'") > 0 {
        count(db, "SELECT COUNT(*) FROM imports")
    } else {
        0
    }
}

#[test]
fn kill_9_during_store_import() {
    let _guard = common::heavy_lock();
    let dir = tempfile::tempdir().unwrap();
    // A reference run on its own file: how long a full import takes.
    let reference = dir.path().join("reference.sqlite");
    let t = Instant::now();
    let out = spawn_slow(&reference).wait_with_output().unwrap();
    let full_run = t.elapsed();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("COMMITTED 1 {SLOW_EVENTS}")), "reference run failed");
    let full = SLOW_EVENTS as i64;

    // The trials' database already holds an earlier import, which must survive every kill.
    let db = dir.path().join("trials.sqlite");
    let base = 2_000;
    let (base_id, _) = common::import_synthetic(&mut rebound::store::Store::open(&db).unwrap(), "earlier", 10_000_000, 10_000_000 + base as u64).unwrap();
    let s = kill_trials(&db, full_run, (base_id, base), full, || spawn_slow(&db));
    // Re-running the import to the end gives exactly the expected counts.
    remove_trial_imports(&db, base_id);
    let out = spawn_slow(&db).wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("COMMITTED"), "final run failed");
    check_after_crash(&db, base, full);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM events"), base + full);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM recipients"), base + full);
    println!(
        "kill -9 (store helper, {SLOW_EVENTS} events, full run {:.2} s): {} trials, integrity ok {}/{}, {} killed before commit, {} at or after commit; re-run ends with exactly {} events (earlier import of {base} intact)",
        full_run.as_secs_f64(),
        s.trials,
        s.integrity_ok,
        s.trials,
        s.before_commit,
        s.after_commit,
        base + full
    );
    assert!(s.before_commit >= s.trials / 2, "most kills must land mid-import to mean something");
}

/// A ~20 MB mbox from the corpus messages (the same messages repeated: the
/// re-import dedupe keeps expected counts exact).
fn big_mbox(dir: &Path) -> PathBuf {
    let corpus = common::manifest_dir().join("../shared/corpus/sisimai/maildir/bsd");
    let mut msgs: Vec<Vec<u8>> = std::fs::read_dir(&corpus)
        .map(|rd| rd.flatten().filter_map(|e| std::fs::read(e.path()).ok()).collect())
        .unwrap_or_default();
    msgs.sort();
    assert!(!msgs.is_empty(), "corpus missing at {}", corpus.display());
    let path = dir.join("big.mbox");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut written = 0usize;
    'outer: for round in 0.. {
        for m in &msgs {
            let sep = format!("From MAILER-DAEMON-{round} Mon Jan  1 00:00:00 2024\n");
            f.write_all(sep.as_bytes()).unwrap();
            for line in m.split_inclusive(|&b| b == b'\n') {
                if line.starts_with(b"From ") {
                    f.write_all(b">").unwrap();
                }
                f.write_all(line).unwrap();
            }
            f.write_all(b"\n").unwrap();
            written += sep.len() + m.len() + 1;
            if written > 20 << 20 {
                break 'outer;
            }
        }
    }
    f.flush().unwrap();
    path
}

fn cli_import(db: &Path, input: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rebound"));
    c.arg("--db").arg(db).arg("import").arg(input).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Needs the mbox reader (issue 5), merged into this branch at 11:20.
#[test]
fn kill_9_during_cli_mbox_import() {
    let _guard = common::heavy_lock();
    let dir = tempfile::tempdir().unwrap();
    let input = big_mbox(dir.path());
    let reference = dir.path().join("reference.sqlite");
    let t = Instant::now();
    let status = cli_import(&reference, &input).status().unwrap();
    let full_run = t.elapsed();
    assert!(status.success(), "reference import failed: {status}");
    let full = count(&reference, "SELECT COUNT(*) FROM events");
    assert!(full > 0, "the mbox reader found no events");

    let db = dir.path().join("trials.sqlite");
    let s = kill_trials(&db, full_run, (0, 0), full, || cli_import(&db, &input).spawn().unwrap());
    remove_trial_imports(&db, 0);
    assert!(cli_import(&db, &input).status().unwrap().success());
    check_after_crash(&db, 0, full);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM events"), full);
    for table in ["recipients", "campaigns"] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        assert_eq!(count(&db, &sql), count(&reference, &sql), "{table} differ from an uninterrupted import");
    }
    println!(
        "kill -9 (rebound import of a {} MB mbox, full run {:.2} s): {} trials, integrity ok {}/{}, {} killed before commit; re-run ends with exactly {full} events",
        std::fs::metadata(&input).unwrap().len() >> 20,
        full_run.as_secs_f64(),
        s.trials,
        s.integrity_ok,
        s.trials,
        s.before_commit
    );
}
