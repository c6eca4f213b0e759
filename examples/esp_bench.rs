//! Throughput of provider-report imports (issue 6 goal: 1,000,000 rows in < 5 s, < 200 MB).
//!
//!   cargo run --release --example esp_bench -- gen DIR          # writes sendgrid_1m.csv and twilio_1m.csv
//!   cargo run --release --example esp_bench -- import FILE [DB]   # imports one, prints rows/s and peak RSS
//!   cargo run --release --example esp_bench -- read FILE          # parse only (no database), same figures
//!   cargo run --release --example esp_bench -- gen-json DIR       # sendgrid_1m.json: one top-level JSON array
//!
//! Run each import in its own process so the peak memory (VmHWM) is that file's alone.

use rebound::import::{import_file, CancelFlag};
use rebound::ingest::{self, ReadOptions, Sink};
use rebound::model::Event;
use rebound::store::Store;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

const ROWS: usize = 1_000_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => gen(Path::new(args.get(1).map(String::as_str).unwrap_or("."))),
        Some("gen-json") => gen_json(Path::new(args.get(1).map(String::as_str).unwrap_or("."))),
        Some("import") => import(Path::new(&args[1]), args.get(2).map(Path::new)),
        Some("read") => read_only(Path::new(&args[1])),
        _ => eprintln!("usage: esp_bench gen DIR | import FILE [DB] | read FILE"),
    }
}

fn gen(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut w = BufWriter::new(std::fs::File::create(dir.join("sendgrid_1m.csv")).unwrap());
    writeln!(w, "email,timestamp,event,type,status,reason,bounce_classification,sg_event_id,sg_message_id,marketing_campaign_id,marketing_campaign_name").unwrap();
    let events = [
        "bounce",
        "delivered",
        "deferred",
        "bounce",
        "dropped",
        "spamreport",
        "processed",
        "open",
    ];
    for i in 0..ROWS {
        let ev = events[i % events.len()];
        let (ty, status, reason, class) = match ev {
            "bounce" if i % 3 == 0 => (
                "blocked",
                "5.7.1",
                "\"554 5.7.1 Service unavailable; client host blocked, see list\"",
                "Reputation",
            ),
            "bounce" => (
                "bounce",
                "5.1.1",
                "\"550 5.1.1 The email account that you tried to reach does not exist.\"",
                "Invalid Address",
            ),
            "deferred" => ("", "4.2.2", "\"452 4.2.2 over quota\"", ""),
            "dropped" => ("", "5.0.0", "Bounced Address", ""),
            _ => ("", "", "", ""),
        };
        writeln!(
            w,
            "user{}@example{}.com,{},{ev},{ty},{status},{reason},{class},ev{i:08},msg{i:08}.filter0001,{},\"Campaign {}, week\"",
            i % 400_000,
            i % 97,
            1_709_367_300 + i as i64,
            1000 + i % 50,
            i % 50
        )
        .unwrap();
    }
    w.flush().unwrap();
    let mut w = BufWriter::new(std::fs::File::create(dir.join("twilio_1m.csv")).unwrap());
    writeln!(w, "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit").unwrap();
    let st = [
        ("delivered", ""),
        ("undelivered", "30003"),
        ("undelivered", "30006"),
        ("failed", "21610"),
        ("delivered", ""),
        ("undelivered", "30007"),
        ("sent", ""),
    ];
    for i in 0..ROWS {
        let (s, code) = st[i % st.len()];
        writeln!(
            w,
            "+12025550100,+1202{:07},\"Spring sale, week 1: 20% off! Reply STOP to opt out\",{s},2024-03-02T08:{:02}:{:02}-08:00,2010-04-01,1,{code},ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX,SM{i:032},outbound-api,-0.00790,USD",
            i % 5_000_000,
            (i / 60) % 60,
            i % 60
        )
        .unwrap();
    }
    w.flush().unwrap();
    println!("wrote {ROWS} rows each to {}", dir.display());
}

/// One JSON array of a million webhook events: checks the array is streamed, not loaded whole.
fn gen_json(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut w = BufWriter::new(std::fs::File::create(dir.join("sendgrid_1m.json")).unwrap());
    writeln!(w, "[").unwrap();
    for i in 0..ROWS {
        let sep = if i + 1 < ROWS { "," } else { "" };
        writeln!(
            w,
            r#"{{"email":"user{}@example.com","timestamp":{},"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 unknown user","bounce_classification":"Invalid Address","sg_event_id":"ev{i:08}","sg_message_id":"m{i:08}.0","category":["newsletter","spring"],"marketing_campaign_id":{}}}{sep}"#,
            i % 400_000,
            1_709_367_300 + i as i64,
            1000 + i % 50
        )
        .unwrap();
    }
    writeln!(w, "]").unwrap();
    w.flush().unwrap();
    println!(
        "wrote {ROWS} events to {}",
        dir.join("sendgrid_1m.json").display()
    );
}

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// User + system CPU seconds of this process so far (load-independent, unlike wall time).
fn cpu_secs() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Data rows of a generated file: its lines minus the header (or the `[`/`]` lines of JSON).
fn data_rows(file: &Path) -> u64 {
    use std::io::Read;
    let mut f = std::fs::File::open(file).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).unwrap();
        if k == 0 {
            break;
        }
        n += buf[..k].iter().filter(|b| **b == b'\n').count() as u64;
    }
    if file.extension().is_some_and(|e| e == "json") {
        n.saturating_sub(2)
    } else {
        n.saturating_sub(1)
    }
}

fn opts() -> ReadOptions {
    ReadOptions {
        default_tz: Some("UTC".into()),
        ..Default::default()
    }
}

fn import(file: &Path, db: Option<&Path>) {
    let tmp = std::env::temp_dir().join(format!("esp_bench_{}.sqlite", std::process::id()));
    let db_path = db.unwrap_or(&tmp);
    let _ = std::fs::remove_file(db_path);
    let mut store = Store::open(db_path).unwrap();
    // ESP_BENCH_CACHE_MB: try a bigger SQLite page cache than the store's default (2 MB).
    if let Some(mb) = std::env::var("ESP_BENCH_CACHE_MB")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        store
            .conn()
            .execute_batch(&format!("PRAGMA cache_size = -{}", mb * 1024))
            .unwrap();
        println!("SQLite cache_size set to {mb} MB");
    }
    // ESP_BENCH_NO_INDEXES=1: measure what the events table's secondary indexes cost during a bulk import.
    if std::env::var("ESP_BENCH_NO_INDEXES").is_ok() {
        store
            .conn()
            .execute_batch("DROP INDEX events_by_campaign_time; DROP INDEX events_by_recipient;")
            .unwrap();
        println!("secondary indexes on events dropped for this run");
    }
    let rows = data_rows(file);
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let out = import_file(
        &mut store,
        file,
        &opts(),
        &CancelFlag::default(),
        &mut |_| {},
    );
    let secs = t.elapsed().as_secs_f64();
    if let Some(e) = &out.error {
        eprintln!("import failed: {e}");
    }
    println!(
        "import {}: {rows} rows, {} events read, {} stored, {} problems in {:.2} s wall ({:.2} s CPU) = {:.0} rows/s; peak RSS {:.0} MB",
        file.display(),
        out.events_seen,
        out.events_added,
        out.problems.len(),
        secs,
        cpu_secs() - cpu0,
        rows as f64 / secs,
        peak_rss_mb()
    );
    if db.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
        }
    }
}

struct Count(u64);

impl Sink for Count {
    fn event(&mut self, mut ev: Event) -> rebound::Result<()> {
        rebound::classify::classify(&mut ev);
        std::hint::black_box(ev.fingerprint(ev.provider_event_id.as_deref()));
        self.0 += 1;
        Ok(())
    }
    fn problem(&mut self, _: &str, _: &str, _: &str) -> rebound::Result<()> {
        Ok(())
    }
}

fn read_only(file: &Path) {
    let rows = data_rows(file);
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let input = ingest::open_file(file).unwrap();
    let det = ingest::detect(&input.name, &input.head, &opts()).unwrap();
    let mut c = Count(0);
    ingest::read(&det, input, &opts(), &mut c).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "read {} as {}: {rows} rows, {} events in {:.2} s wall ({:.2} s CPU) = {:.0} rows/s (parse + classify + fingerprint, no database); peak RSS {:.0} MB",
        file.display(),
        det.format,
        c.0,
        secs,
        cpu_secs() - cpu0,
        rows as f64 / secs,
        peak_rss_mb()
    );
}
