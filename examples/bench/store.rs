//! The store alone: the write path (ImportTx::add_event), the size of a big
//! database and the dashboard's queries on it.

use crate::table::Table;
use rebound::gen::events::synthetic_events;
use rebound::model::Event;
use rebound::store::{NewImport, Store};
use std::path::Path;
use std::time::{Duration, Instant};

pub fn meta(i: usize) -> NewImport {
    NewImport {
        file_name: format!("bench-{i}.mbox"),
        file_path: "/home/user/Mail/bounces.mbox".into(),
        size_bytes: 0,
        sha256: String::new(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    }
}

pub fn fresh_db(path: &Path) -> Store {
    for ext in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(p);
    }
    Store::open(path).expect("open bench database")
}

/// Stores `n` events in one import; returns the time spent in add_event + commit
/// (building events and fingerprints is done beforehand, in chunks, untimed:
/// in the importer that work happens on the parser thread).
pub fn store_events(
    store: &mut Store,
    import_no: usize,
    seed: u64,
    n: usize,
    recipients: u64,
    mailbox_pct: u64,
) -> (Duration, Duration) {
    let mut gen = synthetic_events(seed, recipients).mailbox_pct(mailbox_pct);
    let mut cpu = Duration::ZERO;
    let mut tx = store.begin_import(&meta(import_no)).expect("begin import");
    let mut spent = Duration::ZERO;
    let mut left = n;
    while left > 0 {
        let take = left.min(100_000);
        let chunk: Vec<(Event, String)> = gen
            .by_ref()
            .take(take)
            .map(|e| {
                let f = e.fingerprint(None);
                (e, f)
            })
            .collect();
        let t = Instant::now();
        let c = cpu_time();
        for (e, f) in &chunk {
            tx.add_event(e, f).expect("add_event");
        }
        spent += t.elapsed();
        cpu += cpu_time().saturating_sub(c);
        left -= take;
    }
    let t = Instant::now();
    let c = cpu_time();
    tx.commit().expect("commit");
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        eprintln!(
            "  (commit of {n} events: {:.2} s wall, {:.2} s CPU)",
            t.elapsed().as_secs_f64(),
            cpu_time().saturating_sub(c).as_secs_f64()
        );
    }
    (spent + t.elapsed(), cpu + cpu_time().saturating_sub(c))
}

/// CPU time of this thread (Linux schedstat), to tell the store's own cost from
/// waiting for a core on a busy machine. Zero where unavailable.
pub fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

pub fn write_path(dir: &Path, n: usize, table: &mut Table) {
    let mut store = fresh_db(&dir.join("write.sqlite"));
    let (wall, cpu) = store_events(&mut store, 1, 11, n, n as u64 / 2, 60);
    let secs = wall.as_secs_f64();
    table.max(
        &format!("store {} events (add_event + commit)", n),
        secs,
        5.0,
        "s",
        &format!(
            "{:.0} events/s; CPU {:.1} s; 60% mailbox bounces",
            n as f64 / secs,
            cpu.as_secs_f64()
        ),
    );
    // The shape of a provider export (what the 1M ESP rows goal stores), for comparison.
    let mut store = fresh_db(&dir.join("write-esp.sqlite"));
    let (wall, cpu) = store_events(&mut store, 1, 12, n, n as u64 / 2, 0);
    let secs = wall.as_secs_f64();
    table.info(
        &format!("store {n} provider-row events"),
        format!("{secs:.1} s"),
        &format!(
            "{:.0} events/s; CPU {:.1} s; no mailbox bounces",
            n as f64 / secs,
            cpu.as_secs_f64()
        ),
    );
}

pub fn scaling(dir: &Path, base: usize, table: &mut Table) {
    let mut first = 0.0;
    for k in [1usize, 2, 4, 8] {
        let mut store = fresh_db(&dir.join("scale.sqlite"));
        let n = base * k;
        let (wall, cpu) = store_events(&mut store, 1, 5, n, n as u64 / 2, 60);
        let secs = wall.as_secs_f64();
        if k == 1 {
            first = secs;
        }
        table.info(
            &format!("scaling: store {k}× ({n} events)"),
            format!("{secs:.2} s"),
            &format!(
                "{:.2}× the 1× time; {:.0} events/s; CPU {:.2} s",
                secs / first.max(1e-9),
                n as f64 / secs,
                cpu.as_secs_f64()
            ),
        );
    }
}

/// A 5M-event database is mostly provider rows: a 1 GiB mbox holds ~100,000 bounces.
const DB_MAILBOX_PCT: u64 = 10;

/// Builds a database of `copies` × `per_import` events, prints its size and
/// times the dashboard queries. The first `per_import` go through ImportTx; the
/// other copies are replicated in SQL (fresh recipients, texts, fingerprints and
/// dates, same shape), so the run stays inside the 10-minute budget.
pub fn big_database(dir: &Path, copies: usize, per_import: usize, table: &mut Table) {
    let path = dir.join("big.sqlite");
    let mut store = fresh_db(&path);
    let total = copies * per_import;
    let t = Instant::now();
    store_events(
        &mut store,
        1,
        100,
        per_import,
        per_import as u64 / 3,
        DB_MAILBOX_PCT,
    );
    for k in 1..copies {
        replicate(&mut store, k as i64);
    }
    let build = t.elapsed().as_secs_f64();
    let _ = store
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    let bytes = db_bytes(&path);
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap_or(0);
    table.info(&format!("build database of {n} events"), format!("{build:.1} s"), &format!("{per_import} via ImportTx, {} replicated in SQL; {DB_MAILBOX_PCT}% mailbox bounces with original headers, the rest provider rows", total - per_import));
    table.max(
        &format!("database size, {n} events"),
        bytes as f64 / 1e9,
        1.0,
        "GB",
        &format!("{:.0} bytes/event", bytes as f64 / n.max(1) as f64),
    );
    queries(&store, table);
}

/// Copies import 1 as import `k + 1` with new recipients and diagnostics (ids shifted past the existing ones).
fn replicate(store: &mut Store, k: i64) {
    let sql = format!(
        "BEGIN;
         INSERT INTO imports(file_name, file_path, size_bytes, sha256, format, started_at) VALUES ('copy-{k}.mbox', '/home/user/Mail/copy-{k}.mbox', 0, '', 'mbox', 0);
         CREATE TEMP TABLE off AS SELECT (SELECT MAX(id) FROM recipients) AS r, (SELECT MAX(id) FROM texts) AS t, (SELECT MAX(id) FROM imports) AS i;
         INSERT INTO recipients(id, address, domain, channel) SELECT id + (SELECT r FROM off), 'c{k}.' || address, domain, channel FROM recipients WHERE id <= (SELECT r FROM off) / {k} ORDER BY id;
         INSERT INTO texts(id, text) SELECT id + (SELECT t FROM off), text || ' [{k}]' FROM texts WHERE id <= (SELECT t FROM off) / {k} ORDER BY id;
         INSERT INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, sent_at, status, reply_code,
                diagnostic_id, remote_mta_id, provider, provider_label, class, reason, rule, evidence, source_file, source_locator, source_offset, original_json)
           SELECT (SELECT i FROM off), randomblob(16), channel, kind, recipient_id + (SELECT r FROM off), campaign_id,
                occurred_at + {k} * 86400 * 91, sent_at + {k} * 86400 * 91, status, reply_code,
                diagnostic_id + (SELECT t FROM off), remote_mta_id + (SELECT t FROM off), provider, provider_label, class, reason, rule, evidence,
                source_file, source_locator, source_offset, original_json
           FROM events WHERE import_id = 1 ORDER BY id;
         DROP TABLE off;
         COMMIT;"
    );
    store.conn().execute_batch(&sql).expect("replicate events");
}

fn db_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|ext| {
            let mut p = path.as_os_str().to_owned();
            p.push(ext);
            std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
        })
        .sum()
}

/// The dashboard's questions as they can be asked today (report module not merged here).
const QUERIES: &[(&str, &str)] = &[
    ("query: failures per campaign and class", "SELECT campaign_id, class, COUNT(*) FROM events GROUP BY campaign_id, class"),
    ("query: one campaign per day and class", "SELECT occurred_at / 86400 AS day, class, COUNT(*) FROM events WHERE campaign_id = (SELECT MIN(id) FROM campaigns) GROUP BY day, class"),
    ("query: last 90 days per day and class", "SELECT occurred_at / 86400 AS day, class, COUNT(*) FROM events WHERE occurred_at >= (SELECT MAX(occurred_at) FROM events) - 90 * 86400 GROUP BY day, class"),
    ("query: top hard-bounce domains", "SELECT r.domain, COUNT(*) FROM events e JOIN recipients r ON r.id = e.recipient_id WHERE e.class = 'hard' GROUP BY r.domain ORDER BY 2 DESC LIMIT 20"),
];

fn queries(store: &Store, table: &mut Table) {
    let t = Instant::now();
    let o = store.overview().expect("overview");
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    table.max(
        "query: Store::overview",
        ms,
        100.0,
        "ms",
        &format!("{} events", o.events),
    );
    for (name, sql) in QUERIES {
        let t = Instant::now();
        let rows = run(store, sql);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match rows {
            Some(rows) => table.max(
                name,
                ms,
                100.0,
                "ms",
                &format!("{rows} rows, raw SQL on events"),
            ),
            None => table.max(
                name,
                ms,
                100.0,
                "ms",
                "stopped after the time limit; raw SQL on events",
            ),
        }
    }
}

/// A query slower than this is stopped (it has missed its goal anyway) to keep the run under 10 minutes.
const QUERY_LIMIT: Duration = Duration::from_secs(5);

fn run(store: &Store, sql: &str) -> Option<usize> {
    let handle = store.conn().get_interrupt_handle();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let timer = std::thread::spawn(move || {
        if wait.recv_timeout(QUERY_LIMIT).is_err() {
            handle.interrupt();
        }
    });
    let mut st = store.conn().prepare(sql).expect("prepare");
    let mut rows = st.query([]).expect("query");
    let mut n = Some(0);
    loop {
        match rows.next() {
            Ok(Some(_)) => n = n.map(|x| x + 1),
            Ok(None) => break,
            Err(_) => {
                n = None;
                break;
            }
        }
    }
    let _ = done.send(());
    let _ = timer.join();
    n
}
