//! Issue 7 benchmark: 5,000,000 synthetic events, then every report (and, with charts, every
//! chart) for one campaign and for all data, each timed against the 100 ms goal.
//!
//! `cargo run --release --example report_bench [-- EVENTS [DB_PATH]]`. The database is kept
//! (default /tmp/rebound-report-bench.sqlite) and reused when it already holds EVENTS events.
//! Events go in by batched SQL as one import, then `sync_aggregates` counts them (timed);
//! what the aggregates cost a real import is measured apart on 100,000 events.

use rebound::chart::{self, ChartKind, ChartOptions, Theme};
use rebound::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
use rebound::report::{self, Query, Zone};
use rebound::store::{NewImport, Store};
use std::time::Instant;

const CAMPAIGNS: i64 = 200;
const RECIPIENTS: i64 = 1_000_000;
const DOMAINS: i64 = 2_000;
const MTAS: i64 = 300;
const START: i64 = 1_735_689_600; // 2025-01-01 00:00 UTC

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Roughly Zipf: small values much more likely.
    fn skewed(&mut self, n: u64) -> u64 {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as u64 % n.max(1)
    }
}

const USAGE: &str = "report_bench [EVENTS [DB_PATH]] | report_bench --db PATH

  EVENTS DB_PATH  fill DB_PATH with EVENTS synthetic events (default 5000000,
                  /tmp/rebound-report-bench.sqlite; reused when it holds EVENTS events),
                  after timing what the aggregates cost a 100,000-event import
  --db PATH       time the reports on an existing database as it is (migrated and its
                  aggregates synced first, both timed): never pass a file you want to keep
                  unchanged, pass a copy
REBOUND_REPORT_TRACE=1 prints each report's steps; REBOUND_BENCH_CHECK=1 also compares each
report with the same report counted from the events (slow).";

fn main() -> rebound::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let store = if args.get(1).map(String::as_str) == Some("--db") {
        let Some(path) = args.get(2) else {
            println!("{USAGE}");
            return Ok(());
        };
        let t = Instant::now();
        let store = Store::open(std::path::Path::new(path))?;
        println!("opened (migrations) in {:.1} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let cpu = thread_cpu();
        let n = report::sync_aggregates(store.conn())?;
        println!(
            "sync_aggregates counted {n} imports in {:.1} s wall, {:.1} s thread CPU",
            t.elapsed().as_secs_f64(),
            thread_cpu() - cpu
        );
        store
    } else {
        let events: i64 = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(5_000_000);
        let path = args
            .get(2)
            .cloned()
            .unwrap_or_else(|| "/tmp/rebound-report-bench.sqlite".into());
        trigger_cost()?;
        fill(std::path::Path::new(&path), events)?
    };
    let c = store.conn();
    let n: i64 = c.query_row("SELECT COALESCE(SUM(n), 0) FROM agg_total", [], |r| r.get(0))?;
    let hours: i64 = c.query_row("SELECT COUNT(*) FROM agg_hour", [], |r| r.get(0))?;
    let dims: i64 = c.query_row("SELECT COUNT(*) FROM agg_dim_day", [], |r| r.get(0))?;
    println!("database: {n} events, {hours} agg_hour rows, {dims} agg_dim_day rows");
    // A campaign in the middle, and dates taken from the data (any database works).
    let ids: Vec<i64> = c
        .prepare("SELECT id FROM campaigns ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let Some(one) = ids.get(ids.len() / 2).copied() else {
        println!("no campaigns: nothing to time");
        return Ok(());
    };
    let day_of = |sql: &str, p: Option<i64>| -> rebound::Result<chrono::NaiveDate> {
        let h: Option<i64> = c.query_row(sql, [p], |r| r.get(0))?;
        Ok(chrono::DateTime::from_timestamp(h.unwrap_or(START / 3600) * 3600, 0)
            .map(|d| d.date_naive())
            .unwrap_or_default())
    };
    let first = day_of("SELECT MIN(hour) FROM agg_hour_all WHERE hour > -1000000000 AND ?1 IS NULL", None)?;
    let mine = day_of("SELECT MIN(hour) FROM agg_hour WHERE hour > -1000000000 AND campaign_id = ?1", Some(one))?;
    let days = |d: chrono::NaiveDate, n: i64| d + chrono::Duration::days(n);
    let kolkata = Zone::parse("Asia/Kolkata")?;
    let vn = Zone::parse("Asia/Ho_Chi_Minh")?;
    let ranged = |campaign: Option<i64>, zone: Zone, from: chrono::NaiveDate, to: chrono::NaiveDate| Query {
        campaign,
        zone,
        from: Some(from),
        to: Some(to),
        ..Query::default()
    };
    let cases: Vec<(&str, Query)> = vec![
        ("report, all data, UTC", Query::default()),
        (
            "report, one campaign, UTC",
            Query {
                campaign: Some(one),
                ..Query::default()
            },
        ),
        (
            "report, all data, Asia/Ho_Chi_Minh",
            Query {
                zone: vn,
                ..Query::default()
            },
        ),
        (
            "report, one campaign, Asia/Ho_Chi_Minh",
            Query {
                campaign: Some(one),
                zone: vn,
                ..Query::default()
            },
        ),
        (
            "report, all data, Europe/Madrid (DST)",
            Query {
                zone: Zone::parse("Europe/Madrid")?,
                ..Query::default()
            },
        ),
        (
            "report, all data, --from/--to 90 days",
            ranged(None, Zone::utc(), days(first, 59), days(first, 148)),
        ),
        (
            "report, all data, --from/--to 90 days, Asia/Kolkata",
            ranged(None, kolkata, days(first, 59), days(first, 148)),
        ),
        (
            "report, all data, --from/--to 1 year, Asia/Ho_Chi_Minh",
            ranged(None, vn, days(first, 30), days(first, 394)),
        ),
        (
            "report, one campaign, --from/--to 2 days",
            ranged(Some(one), Zone::utc(), mine, days(mine, 1)),
        ),
        (
            "report, one campaign, --from/--to 2 days, Asia/Kolkata",
            ranged(Some(one), kolkata, mine, days(mine, 1)),
        ),
        (
            "report, one campaign, Asia/Kolkata (+5:30, split hours)",
            Query {
                campaign: Some(one),
                zone: kolkata,
                ..Query::default()
            },
        ),
        (
            "report, all data, Asia/Kolkata (+5:30, split hours)",
            Query {
                zone: kolkata,
                ..Query::default()
            },
        ),
    ];
    println!("{:<66} {:>9}  goal 100 ms", "query", "ms");
    for (name, q) in &cases {
        let _ = report::report(&store, q)?; // warm the page cache once
        let cpu = thread_cpu();
        let t = Instant::now();
        let runs = 3;
        let mut r = None;
        for _ in 0..runs {
            r = Some(report::report(&store, q)?);
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
        let cpu_ms = (thread_cpu() - cpu) * 1000.0 / runs as f64;
        let ok = if ms < 100.0 { "ok" } else { "OVER" };
        let days = r.map(|r| r.series.days.len()).unwrap_or(0);
        println!("{name:<66} {ms:>9.1}  {ok} ({days} days; thread CPU {cpu_ms:.0} ms)");
        if std::env::var_os("REBOUND_BENCH_CHECK").is_some() {
            // The same report counted from the events: must be identical.
            let strip = |r: &report::Report| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.remove("from_aggregates");
                }
                v
            };
            let fast = report::report(&store, q)?;
            let exact = report::report(&store, &Query { exact: true, ..q.clone() })?;
            let same = strip(&fast) == strip(&exact);
            println!("{:<66} {}", "  same as counting the events", if same { "yes" } else { "NO" });
        }
    }
    for scope in [None, Some(one)] {
        let r = report::report(
            &store,
            &Query {
                campaign: scope,
                ..Query::default()
            },
        )?;
        for kind in ChartKind::ALL {
            let t = Instant::now();
            let svg = chart::render_svg(
                &r,
                &ChartOptions {
                    kind: *kind,
                    theme: Theme::Light,
                    width: 800,
                    height: 400,
                },
            )?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let ok = if ms < 100.0 { "ok" } else { "OVER" };
            let name = format!(
                "chart {} ({}), svg {} KB",
                kind.as_str(),
                if scope.is_some() {
                    "one campaign"
                } else {
                    "all data"
                },
                svg.len() / 1024
            );
            println!("{name:<66} {ms:>9.1}  {ok}");
        }
    }
    Ok(())
}

/// CPU seconds of this thread (wall time is noisy on a shared machine).
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn meta(name: &str) -> NewImport {
    NewImport {
        file_name: name.into(),
        file_path: name.into(),
        size_bytes: 0,
        sha256: String::new(),
        format: "bench".into(),
        provider: None,
        detect_reason: None,
    }
}

/// What the aggregates cost an import: the same 100,000 events imported, then counted by
/// `sync_aggregates` (what the importer or the first report after it pays).
fn trigger_cost() -> rebound::Result<()> {
    let n = 100_000;
    let path = std::env::temp_dir().join("rebound-agg-cost.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(&path)?;
    let mut rng = Rng(7);
    let t = Instant::now();
    let mut tx = store.begin_import(&meta("cost"))?;
    for i in 0..n {
        let kind = if i % 2 == 0 {
            Kind::Bounce
        } else {
            Kind::Delivered
        };
        let mut e = Event::new(
            Channel::Email,
            kind,
            format!("u{}@d{}.com", rng.below(50_000), rng.skewed(500)),
            Source::default(),
        );
        e.campaign = Some(CampaignRef {
            key: format!("c{}", i / 10_000),
            name: None,
        });
        e.occurred_at = chrono::DateTime::from_timestamp(START + rng.below(86_400 * 30) as i64, 0);
        e.diagnostic = Some(format!("550 5.1.1 user unknown {}", rng.below(1000)));
        e.verdict = Verdict {
            class: Class::Hard,
            reason: Reason::UserUnknown,
            rule: "r".into(),
            evidence: String::new(),
        };
        tx.add_event(&e, &e.fingerprint(Some(&i.to_string())))?;
    }
    tx.commit()?;
    let import = t.elapsed().as_secs_f64();
    let t = Instant::now();
    report::sync_aggregates(store.conn())?;
    let sync = t.elapsed().as_secs_f64();
    let import_id: i64 = store
        .conn()
        .query_row("SELECT MAX(id) FROM imports", [], |r| r.get(0))?;
    // A copy of the same import that the aggregates never counted: removal without aggregate work.
    store.conn().execute_batch(&format!(
        "INSERT INTO imports(file_name, file_path, size_bytes, sha256, format, started_at) VALUES ('copy', 'copy', 0, '', 'bench', 0);
         INSERT INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, class, reason, rule, evidence, source_file, source_locator)
           SELECT last_insert_rowid(), 'copy' || fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, class, reason, rule, evidence, source_file, source_locator
           FROM events WHERE import_id = {import_id};"
    ))?;
    let copy: i64 = store
        .conn()
        .query_row("SELECT MAX(id) FROM imports", [], |r| r.get(0))?;
    let t = Instant::now();
    store.remove_import(copy)?;
    let remove_plain = t.elapsed().as_secs_f64();
    let t = Instant::now();
    report::forget_import(store.conn(), import_id)?;
    store.remove_import(import_id)?;
    let remove = t.elapsed().as_secs_f64();
    println!(
        "import path, {n} events (half failures): import {import:.2} s, then sync_aggregates {sync:.2} s (+{:.0} %); forget_import + remove_import {remove:.2} s (an uncounted copy: {remove_plain:.2} s)",
        sync / import * 100.0
    );
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}

fn fill(path: &std::path::Path, events: i64) -> rebound::Result<Store> {
    if path.exists() {
        let store = Store::open(path)?;
        let n: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
        if n == events {
            return Ok(store);
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let store = Store::open(path)?;
    let c = store.conn();
    c.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;")?;
    let t = Instant::now();
    c.execute_batch("BEGIN;")?;
    c.execute("INSERT INTO imports(id, file_name, file_path, size_bytes, sha256, format, started_at, finished_at) VALUES (1, 'bench', 'bench', 0, '', 'bench', 0, 0)", [])?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    {
        let mut st = c.prepare("INSERT INTO campaigns(id, key, name, channel, provider, sent_count) VALUES (?1, ?2, ?3, 'email', 'bench', ?4)")?;
        for i in 1..=CAMPAIGNS {
            let sent = (i % 2 == 0).then_some(events / CAMPAIGNS * 45 / 100);
            st.execute(rusqlite::params![
                i,
                format!("campaign-{i}"),
                format!("Campaign {i}"),
                sent
            ])?;
        }
        let mut st = c.prepare("INSERT INTO texts(id, text) VALUES (?1, ?2)")?;
        for i in 1..=MTAS {
            st.execute(rusqlite::params![
                i,
                format!("mx{i}.mail.example{}.net", i % 37)
            ])?;
        }
        let mut st = c.prepare(
            "INSERT INTO recipients(id, address, domain, channel) VALUES (?1, ?2, ?3, 'email')",
        )?;
        for i in 1..=RECIPIENTS {
            let d = rng.skewed(DOMAINS as u64);
            st.execute(rusqlite::params![
                i,
                format!("user{i}@domain{d}.com"),
                format!("domain{d}.com")
            ])?;
        }
    }
    let providers = ["sendgrid", "mailgun", "ses", "postfix", "brevo"];
    let fails: [(&str, &str, &str); 6] = [
        ("bounce", "hard", "user_unknown"),
        ("bounce", "soft", "mailbox_full"),
        ("bounce", "block", "blocked"),
        ("deferred", "soft", "rate_limited"),
        ("complaint", "complaint", "complaint"),
        ("unsubscribe", "unsubscribe", "unsubscribe"),
    ];
    let mut st = c.prepare(
        "INSERT INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, sent_at,
            remote_mta_id, provider, class, reason, rule, evidence, source_file, source_locator)
         VALUES (1, ?1, 'email', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'bench', '', 'bench', '')",
    )?;
    for i in 0..events {
        let campaign = 1 + i * CAMPAIGNS / events;
        let sent_at = START + (campaign - 1) * 2 * 86_400 + 9 * 3600;
        let roll = rng.below(1000);
        let (kind, class, reason, delay) = match roll {
            0..=439 => ("sent", "none", "unknown", rng.below(7200) as i64),
            440..=839 => ("delivered", "none", "delivered", rng.below(7200) as i64 + 5),
            _ => {
                let f = fails[match roll {
                    840..=879 => 0,
                    880..=929 => 1,
                    930..=959 => 2,
                    960..=989 => 3,
                    990..=994 => 4,
                    _ => 5,
                }];
                (f.0, f.1, f.2, rng.skewed(4 * 86_400) as i64)
            }
        };
        let failure = !matches!(kind, "sent" | "delivered");
        st.execute(rusqlite::params![
            format!("{i:012}"),
            kind,
            1 + rng.below(RECIPIENTS as u64) as i64,
            campaign,
            sent_at + delay,
            sent_at,
            failure.then(|| 1 + rng.skewed(MTAS as u64) as i64),
            providers[(campaign % 5) as usize],
            class,
            reason,
        ])?;
        if i > 0 && i % 1_000_000 == 0 {
            eprintln!("  {i} events, {:.0} s", t.elapsed().as_secs_f64());
        }
    }
    drop(st);
    c.execute_batch("COMMIT;")?;
    println!(
        "filled {events} events by batched SQL in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    report::sync_aggregates(c)?;
    println!(
        "counted all {events} events into the aggregates (sync_aggregates) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    c.execute_batch("PRAGMA synchronous = NORMAL; ANALYZE;")?;
    Ok(store)
}
