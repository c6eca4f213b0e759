//! The store alone: the write path (ImportTx::add_event), the size of a big
//! database and the dashboard's queries on it.

use crate::table::Table;
use rebound::gen::events::synthetic_events;
use rebound::model::Event;
use rebound::store::{prepare, NewImport, Prepared, Store};
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

/// Stores `n` events in one import; returns the time spent in add_prepared + commit
/// (building events, fingerprints and `store::prepare` is done beforehand, in chunks,
/// untimed: in the importer that work happens on the parser thread).
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
        let mut chunk: Vec<(Event, Prepared)> = gen
            .by_ref()
            .take(take)
            .map(|e| {
                let p = prepare(&e, &e.fingerprint(None)).expect("prepare");
                (e, p)
            })
            .collect();
        let t = Instant::now();
        let c = cpu_time();
        for (e, p) in &mut chunk {
            tx.add_prepared(e, p).expect("add_prepared");
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
    // Counted into the report tables after each import, as the importer does.
    let mut sync = Duration::ZERO;
    let mut count = |store: &Store| {
        let t = Instant::now();
        rebound::report::sync_aggregates(store.conn()).expect("sync aggregates");
        sync += t.elapsed();
    };
    count(&store);
    for k in 1..copies {
        replicate(&mut store, k as i64, per_import);
        count(&store);
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
    table.info(
        "count them into the report tables",
        format!("{:.1} s", sync.as_secs_f64()),
        &format!("sync_aggregates after each of the {copies} imports (part of the build time)"),
    );
    table.max(
        &format!("database size, {n} events"),
        bytes as f64 / 1e9,
        1.0,
        "GB",
        &format!("{:.0} bytes/event", bytes as f64 / n.max(1) as f64),
    );
    drop(store);
    queries(&path, table);
}

/// Copies import 1 as import `k + 1` with new recipients and diagnostics (ids shifted past the existing ones).
fn replicate(store: &mut Store, k: i64, per_import: usize) {
    let sql = format!(
        "BEGIN;
         INSERT INTO imports(file_name, file_path, size_bytes, sha256, format, started_at, finished_at) VALUES ('copy-{k}.mbox', '/home/user/Mail/copy-{k}.mbox', 0, '', 'mbox', 0, 0);
         CREATE TEMP TABLE off AS SELECT (SELECT MAX(id) FROM recipients) AS r, (SELECT MAX(id) FROM event_rows) AS e, (SELECT MAX(id) FROM imports) AS i;
         INSERT INTO recipients(id, address, domain, channel) SELECT id + (SELECT r FROM off), 'c{k}.' || address, domain, channel FROM recipients WHERE id <= (SELECT r FROM off) / {k} ORDER BY id;
         -- Only the texts that name no recipient (the diagnostic templates, MTAs, statuses,
         -- rules) are shared by all copies, as in real data; recipients are new per copy.
         INSERT INTO event_rows(import_id, fingerprint, channel, kind, class, reason, rule, evidence, recipient_id,
                campaign_id, occurred_at, sent_at, status, reply_code, diagnostic, remote_mta_id, provider, provider_label,
                source_file, source_locator, source_offset, original_json)
           SELECT (SELECT i FROM off), random(), channel, kind, class, reason, rule, evidence, recipient_id + (SELECT r FROM off),
                campaign_id, occurred_at + {k} * 86400 * 91, sent_at + {k} * 86400 * 91, status, reply_code,
                diagnostic, remote_mta_id, provider, provider_label,
                source_file, source_locator, source_offset, original_json
           FROM event_rows WHERE id BETWEEN (SELECT first_event_id FROM imports WHERE id = 1) AND (SELECT last_event_id FROM imports WHERE id = 1) ORDER BY id;
         UPDATE imports SET first_event_id = (SELECT e FROM off) + 1, last_event_id = (SELECT MAX(id) FROM event_rows), events_added = {per_import}
           WHERE id = (SELECT i FROM off);
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

/// What the window and the CLI run, each timed against the 100 ms goal: the overview the
/// window reads at launch, `report::report` (the dashboard, campaign view, `rebound report`)
/// for all data and one campaign, in a half-hour zone and over a date range, and each chart
/// (the window's chart command builds the report, then draws it). A fresh connection first,
/// as at launch; the figure is the slowest of three runs, the note the first.
pub fn queries(path: &Path, table: &mut Table) {
    use rebound::report::{self, Query, Zone};
    let store = Store::open(path).expect("open");
    // (slowest wall ms, "first call … ms; CPU … ms" note, the query's own note)
    let time = |f: &mut dyn FnMut() -> String| -> (f64, String, String) {
        let mut first = 0.0;
        let mut worst: f64 = 0.0;
        let mut cpu_worst: f64 = 0.0;
        let mut note = String::new();
        for i in 0..3 {
            let t = Instant::now();
            let c = cpu_time();
            note = f();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            cpu_worst = cpu_worst.max(cpu_time().saturating_sub(c).as_secs_f64() * 1000.0);
            if i == 0 {
                first = ms;
            }
            worst = worst.max(ms);
        }
        (
            worst,
            format!("first call {first:.0} ms, CPU ≤ {cpu_worst:.0} ms"),
            note,
        )
    };
    let (ms, first, note) = time(&mut || {
        let o = store.overview().expect("overview");
        format!("{} events", o.events)
    });
    table.max(
        "query: Store::overview (window launch)",
        ms,
        100.0,
        "ms",
        &format!("{note}; {first}"),
    );
    let all = report::report(&store, &Query::default()).expect("report");
    // The campaign with the most events: the slowest single-campaign view.
    let one = all
        .campaigns
        .iter()
        .filter_map(|c| {
            Some((
                c.counts.failures() + c.counts.sent + c.counts.delivered,
                c.campaign_id?,
            ))
        })
        .max()
        .map(|(_, id)| id);
    let kolkata = Zone::parse("Asia/Kolkata").expect("zone");
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
        chrono::NaiveDate::from_ymd_opt(2024, 5, 29),
    );
    let cases: Vec<(&str, Query)> = vec![
        ("report: all data", Query::default()),
        (
            "report: one campaign",
            Query {
                campaign: one,
                ..Query::default()
            },
        ),
        (
            "report: all data, Asia/Kolkata (+5:30)",
            Query {
                zone: kolkata,
                ..Query::default()
            },
        ),
        (
            "report: one campaign, Asia/Kolkata (+5:30)",
            Query {
                campaign: one,
                zone: kolkata,
                ..Query::default()
            },
        ),
        (
            "report: all data, --from/--to 90 days",
            Query {
                from,
                to,
                ..Query::default()
            },
        ),
        (
            "report: one campaign, --from/--to 90 days",
            Query {
                campaign: one,
                from,
                to,
                ..Query::default()
            },
        ),
        (
            "report: all data, --from/--to, Asia/Kolkata",
            Query {
                from,
                to,
                zone: kolkata,
                ..Query::default()
            },
        ),
    ];
    for (name, q) in &cases {
        let (ms, first, note) = time(&mut || match report::report(&store, q) {
            Ok(r) => format!(
                "{} days, {} campaign rows{}",
                r.series.days.len(),
                r.campaigns.len(),
                if r.from_aggregates {
                    ""
                } else {
                    "; partly counted from events"
                }
            ),
            Err(e) => format!("failed: {e}"),
        });
        table.max(name, ms, 100.0, "ms", &format!("{note}; {first}"));
    }
    for kind in rebound::chart::ChartKind::ALL {
        let o = rebound::chart::ChartOptions {
            kind: *kind,
            theme: rebound::chart::Theme::Light,
            width: 800,
            height: 400,
        };
        let (ms, first, note) = time(&mut || {
            let r = report::report(
                &store,
                &Query {
                    campaign: one,
                    ..Query::default()
                },
            )
            .expect("report");
            match rebound::chart::render_svg(&r, &o) {
                Ok(svg) => format!("{} KB of SVG", svg.len() / 1024),
                Err(e) => format!("failed: {e}"),
            }
        });
        table.max(
            &format!("chart {} (one campaign: report + SVG)", kind.as_str()),
            ms,
            100.0,
            "ms",
            &format!("{note}; {first}"),
        );
    }
    let (ms, first, note) = time(&mut || {
        let r = report::report(&store, &Query::default()).expect("report");
        match rebound::chart::render_svg(
            &r,
            &rebound::chart::ChartOptions {
                kind: rebound::chart::ChartKind::Trend,
                theme: rebound::chart::Theme::Light,
                width: 800,
                height: 400,
            },
        ) {
            Ok(svg) => format!("{} KB of SVG", svg.len() / 1024),
            Err(e) => format!("failed: {e}"),
        }
    });
    table.max(
        "chart trend (all data: report + SVG)",
        ms,
        100.0,
        "ms",
        &format!("{note}; {first}"),
    );
}
