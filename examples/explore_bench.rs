//! Benchmark for the bounce explorer (issue 9): builds a temporary database of
//! N events (default 1,000,000) with a direct batched insert, then times each
//! explorer query next to the 100 ms goal.
//!
//!     cargo run --release --example explore_bench [EVENTS]
//!
//! Each query runs once cold (first call after the database was built, page
//! cache as the build left it) and then 5 more times; the table prints the first
//! run and the median of the rest. The load average is printed because the
//! figures depend on what else the machine is doing.

use rebound::explore::{self, Filter, PageAt, Sort};
use rebound::model::{Class, Kind};
use rebound::store::Store;
use std::time::Instant;

const GOAL_MS: f64 = 100.0;
const CAMPAIGNS: u64 = 40;
const DOMAINS: u64 = 2000;
const DIAGNOSTICS: u64 = 500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    // EXPLORE_BENCH_DB=path keeps the database for a closer look (it must not exist yet).
    let path = std::env::var_os("EXPLORE_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("rebound.sqlite"));
    let store = Store::open(&path)?;
    let t = Instant::now();
    fill(&store, n)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "built {n} events in {:.1} s ({:.0} MB)",
        t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    println!("load average before queries: {}", load_average());

    // The first explorer call creates the covering indexes (once per database) and
    // the in-memory snapshot (once per change of the data).
    let t = Instant::now();
    let total = explore::count(&store, &Filter::default())?;
    println!(
        "first call incl. index and snapshot build: {:.0} ms ({total} rows)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let size2 = std::fs::metadata(&path)?.len();
    println!(
        "database with explorer index: {:.0} MB (+{:.0} MB)\n",
        size2 as f64 / 1e6,
        (size2 - size) as f64 / 1e6
    );

    // Any write (here a setting) invalidates the in-memory snapshot: the next explorer
    // call rebuilds it, the cost a user sees once after each import.
    let mut rebuilds = Vec::new();
    for i in 0..3 {
        store.set_setting("bench.touch", &i.to_string())?;
        let t = Instant::now();
        explore::count(&store, &Filter::default())?;
        rebuilds.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "snapshot rebuild after a write (count call): {}\n",
        rebuilds.iter().map(|m| format!("{m:.0} ms")).collect::<Vec<_>>().join(", ")
    );

    let campaign: i64 = store.conn().query_row(
        "SELECT id FROM campaigns ORDER BY id LIMIT 1 OFFSET 7",
        [],
        |r| r.get(0),
    )?;
    let class_campaign = Filter {
        classes: vec![Class::Hard],
        campaign_id: Some(campaign),
        ..Default::default()
    };
    let search = Filter {
        search: Some("user1234".into()),
        ..Default::default()
    };
    let domain = Filter {
        domain: Some("gmail.com".into()),
        ..Default::default()
    };
    let all = Filter::default();
    let with_delivered = Filter {
        kinds: Kind::ALL.to_vec(),
        ..Default::default()
    };
    let first_page = explore::page(
        &store,
        &all,
        Sort::NewestFirst,
        PageAt::Offset { offset: 0 },
        50,
    )?;
    let deep = explore::page(
        &store,
        &all,
        Sort::NewestFirst,
        PageAt::Offset { offset: 499_999 },
        1,
    )?;
    let cursor = deep
        .first()
        .map(|r| r.cursor())
        .ok_or("no row at 500,000")?;
    let detail_id = first_page.first().map(|r| r.id).ok_or("empty first page")?;

    println!(
        "{:<52} {:>9} {:>9} {:>7} {:>6}",
        "query", "first ms", "median", "goal", "rows"
    );
    let mut missed = 0;
    let mut row = |name: &str,
                   f: &mut dyn FnMut() -> Result<usize, rebound::Error>|
     -> Result<(), rebound::Error> {
        let (first, median, rows) = time(f)?;
        let ok = median <= GOAL_MS;
        missed += usize::from(!ok);
        println!(
            "{name:<52} {first:>9.1} {median:>9.1} {GOAL_MS:>7.0} {rows:>6} {}",
            if ok { "ok" } else { "MISSED" }
        );
        Ok(())
    };
    row("count, default filter (failures)", &mut || {
        Ok(explore::count(&store, &all)? as usize)
    })?;
    row("count, all kinds", &mut || {
        Ok(explore::count(&store, &with_delivered)? as usize)
    })?;
    row("count, class hard + campaign", &mut || {
        Ok(explore::count(&store, &class_campaign)? as usize)
    })?;
    row("count, domain gmail.com", &mut || {
        Ok(explore::count(&store, &domain)? as usize)
    })?;
    row("first page (50 rows, newest first)", &mut || {
        Ok(explore::page(
            &store,
            &all,
            Sort::NewestFirst,
            PageAt::Offset { offset: 0 },
            50,
        )?
        .len())
    })?;
    row("page at offset 500,000 (50 rows)", &mut || {
        Ok(explore::page(
            &store,
            &all,
            Sort::NewestFirst,
            PageAt::Offset { offset: 500_000 },
            50,
        )?
        .len())
    })?;
    row("page at offset 850,000, oldest first", &mut || {
        Ok(explore::page(
            &store,
            &all,
            Sort::OldestFirst,
            PageAt::Offset { offset: 850_000 },
            50,
        )?
        .len())
    })?;
    row("page after cursor of row 500,000 (keyset)", &mut || {
        Ok(explore::page(
            &store,
            &all,
            Sort::NewestFirst,
            PageAt::After { cursor },
            50,
        )?
        .len())
    })?;
    row("page, class hard + campaign, offset 1,000", &mut || {
        Ok(explore::page(
            &store,
            &class_campaign,
            Sort::NewestFirst,
            PageAt::Offset { offset: 1000 },
            50,
        )?
        .len())
    })?;
    row("search 'user1234': count", &mut || {
        Ok(explore::count(&store, &search)? as usize)
    })?;
    row("search 'user1234': first page", &mut || {
        Ok(explore::page(
            &store,
            &search,
            Sort::NewestFirst,
            PageAt::Offset { offset: 0 },
            50,
        )?
        .len())
    })?;
    let hard = Filter {
        classes: vec![Class::Hard],
        ..Default::default()
    };
    row("count, class hard (no campaign)", &mut || {
        Ok(explore::count(&store, &hard)? as usize)
    })?;
    let month = Filter {
        from: Some(1_620_000_000),
        to: Some(1_622_592_000),
        ..Default::default()
    };
    row("count, one month", &mut || {
        Ok(explore::count(&store, &month)? as usize)
    })?;
    row("facets, class hard", &mut || {
        Ok(explore::facets(&store, &hard)?.domains.len())
    })?;
    row("facets, one month", &mut || {
        Ok(explore::facets(&store, &month)?.domains.len())
    })?;
    row("facets, search 'user1234'", &mut || {
        Ok(explore::facets(&store, &search)?.domains.len())
    })?;
    row("facets, default filter", &mut || {
        Ok(explore::facets(&store, &all)?.domains.len())
    })?;
    row("facets, campaign filter", &mut || {
        Ok(explore::facets(
            &store,
            &Filter {
                campaign_id: Some(campaign),
                ..Default::default()
            },
        )?
        .domains
        .len())
    })?;
    row("detail", &mut || {
        Ok(usize::from(
            explore::detail(&store, detail_id)?.id == detail_id,
        ))
    })?;
    row("recipients_for_campaign", &mut || {
        Ok(explore::recipients_for_campaign(&store, campaign)?.len())
    })?;
    println!("\nload average after queries: {}", load_average());
    println!("{missed} of 20 queries over the {GOAL_MS:.0} ms goal (median)");
    Ok(())
}

fn time(
    f: &mut dyn FnMut() -> Result<usize, rebound::Error>,
) -> Result<(f64, f64, usize), rebound::Error> {
    let t = Instant::now();
    let rows = f()?;
    let first = t.elapsed().as_secs_f64() * 1e3;
    let mut runs = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        f()?;
        runs.push(t.elapsed().as_secs_f64() * 1e3);
    }
    runs.sort_by(f64::total_cmp);
    Ok((first, runs[runs.len() / 2], rows))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A small deterministic generator (xorshift): reproducible without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Skewed pick: low values much more often (big mailbox providers, big campaigns).
    fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        self.below(a + 1)
    }
}

const KINDS: &[(&str, &str, &str, u64)] = &[
    // kind, class, reason, weight in 100
    ("bounce", "hard", "user_unknown", 40),
    ("bounce", "hard", "host_unknown", 6),
    ("bounce", "soft", "mailbox_full", 12),
    ("bounce", "block", "blocked", 8),
    ("bounce", "block", "spam_detected", 4),
    ("bounce", "soft", "expired", 4),
    ("deferred", "soft", "rate_limited", 8),
    ("complaint", "complaint", "complaint", 3),
    ("unsubscribe", "unsubscribe", "unsubscribe", 3),
    ("suppressed", "hard", "suppressed", 2),
    ("delivered", "none", "delivered", 10),
];

fn fill(store: &Store, n: u64) -> rebound::Result<()> {
    let c = store.conn();
    c.execute_batch("BEGIN")?;
    c.execute(
        "INSERT INTO imports(id, file_name, file_path, size_bytes, sha256, format, started_at) VALUES (1, 'bench', 'bench', 0, '', 'bench', 0)",
        [],
    )?;
    for i in 0..CAMPAIGNS {
        c.execute(
            "INSERT INTO campaigns(id, key, name) VALUES (?1, ?2, ?3)",
            rusqlite::params![i as i64 + 1, format!("c{i}"), format!("Newsletter {i}")],
        )?;
    }
    for i in 0..DIAGNOSTICS {
        c.execute(
            "INSERT INTO texts(id, text) VALUES (?1, ?2)",
            rusqlite::params![i as i64 + 1, format!("550 5.1.1 <someone@example.com>: Recipient address rejected: variant {i} of a typical diagnostic text from a remote server")],
        )?;
    }
    let recipients = (n / 3).max(1);
    {
        let mut st = c.prepare(
            "INSERT INTO recipients(id, address, domain, channel) VALUES (?1, ?2, ?3, 'email')",
        )?;
        let mut rng = Rng(7);
        for i in 0..recipients {
            let d = rng.skewed(DOMAINS);
            let domain = if d == 0 {
                "gmail.com".to_string()
            } else {
                format!("domain{d}.example")
            };
            st.execute(rusqlite::params![
                i as i64 + 1,
                format!("user{i}@{domain}"),
                domain
            ])?;
        }
    }
    let mut st = c.prepare(
        "INSERT INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, status, reply_code,
            diagnostic_id, remote_mta_id, provider, class, reason, rule, evidence, source_file, source_locator, original_json)
         VALUES (1, ?1, 'email', ?2, ?3, ?4, ?5, '5.1.1', 550, ?6, ?7, ?8, ?9, ?10, 'status:5.1.1', '5.1.1', 'bench.mbox', ?11, ?12)",
    )?;
    let mut rng = Rng(42);
    let start = 1_600_000_000i64;
    for i in 0..n {
        let mut w = rng.below(100);
        let (kind, class, reason, _) = KINDS
            .iter()
            .find(|k| {
                if w < k.3 {
                    true
                } else {
                    w -= k.3;
                    false
                }
            })
            .copied()
            .unwrap_or(KINDS[0]);
        // Mostly chronological (imports come in order) with jitter, many equal seconds.
        let at = start + (i as i64) * 90 + rng.below(86_400) as i64;
        let provider = ["postfix", "sendgrid", "mailchimp", "exim"][rng.below(4) as usize];
        let original = if i % 3 == 0 {
            Some(format!(
                r#"{{"message_id":"<m{i}@bench>","subject":"Newsletter","from":null,"date":null,"list_id":null,"campaign_header":null}}"#
            ))
        } else {
            None
        };
        st.execute(rusqlite::params![
            format!("fp{i}"),
            kind,
            rng.below(recipients) as i64 + 1,
            rng.skewed(CAMPAIGNS) as i64 + 1,
            at,
            rng.below(DIAGNOSTICS) as i64 + 1,
            rng.below(DIAGNOSTICS) as i64 + 1,
            provider,
            class,
            reason,
            format!("#{i}"),
            original,
        ])?;
    }
    drop(st);
    c.execute_batch("COMMIT")?;
    Ok(())
}
