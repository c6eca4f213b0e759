//! Benchmark for issue 8: clean 1,000,000 contacts against a store with bounces
//! for some of them, and print time and peak memory next to the goals.
//!
//!     cargo run --release --example clean_bench [CONTACTS] [utf16]
//!
//! `utf16` writes the list as Excel's "Unicode text" (UTF-16LE, tab-separated)
//! instead of UTF-8 CSV with a BOM.
//!
//! Peak memory is VmHWM from /proc/self/status, reset (clear_refs) after the
//! list and the store are generated so it measures the clean itself; the
//! whole-process peak is printed too.

use rebound::clean::{self, Options, Outputs, SuppressionFormat};
use rebound::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
use rebound::store::{NewImport, Store};
use std::io::{BufWriter, Write};
use std::time::Instant;

const TIME_GOAL_S: f64 = 5.0;
const MEMORY_GOAL_MB: f64 = 300.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let utf16 = std::env::args().nth(2).as_deref() == Some("utf16");
    let dir = tempfile::tempdir()?;
    let input = dir.path().join(if utf16 { "contacts.txt" } else { "contacts.csv" });
    let t = Instant::now();
    write_list(&input, n, utf16)?;
    let size = std::fs::metadata(&input)?.len();
    let mut store = Store::open(&dir.path().join("rebound.sqlite"))?;
    let events = fill_store(&mut store, n)?;
    println!("generated {n} contacts ({:.1} MB) and {events} events in {:.1} s", size as f64 / 1e6, t.elapsed().as_secs_f64());
    let whole_peak_before = vm_hwm_mb();
    reset_peak();

    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let outputs = Outputs { suppressions: vec![(SuppressionFormat::Plain, dir.path().join("suppress.txt"))], ..Default::default() };
    let s = clean::run(&store, &input, &Options::default(), &outputs)?;
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let peak = vm_hwm_mb();
    println!("rows {}  kept {}  removed {}  flagged {}", s.rows, s.kept, s.removed, s.flagged);
    println!("removed by reason: {:?}", s.removed_by_reason);
    println!("flagged by reason: {:?}", s.flagged_by_reason);
    println!("time        {secs:>8.2} s    goal < {TIME_GOAL_S} s    {}", verdict(secs < TIME_GOAL_S));
    if let Some(cpu) = cpu {
        println!("cpu time    {cpu:>8.2} s    (user + system; wall time above includes waiting for the disk and other processes)");
    }
    match peak {
        Some(mb) => println!("peak RSS    {mb:>8.1} MB   goal < {MEMORY_GOAL_MB} MB  {}  (VmHWM during the clean)", verdict(mb < MEMORY_GOAL_MB)),
        None => println!("peak RSS    unknown (no /proc/self/status on this system)"),
    }
    if let Some(mb) = whole_peak_before.into_iter().chain(peak).reduce(f64::max) {
        println!("process peak {mb:.1} MB including generating the list and the store");
    }
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "OK"
    } else {
        "MISSED"
    }
}

fn address(i: u64) -> String {
    const DOMAINS: &[&str] = &["example.com", "example.org", "example.net", "gmail.com", "yahoo.com", "outlook.com", "gmial.com"];
    format!("user.{i}@{}", DOMAINS[(i % DOMAINS.len() as u64) as usize])
}

/// A list shaped like an ESP export: quoted names with commas, CRLF, a BOM, a few duplicates and role accounts.
fn write_list(path: &std::path::Path, n: u64, utf16: bool) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let d = if utf16 { '\t' } else { ',' };
    let put = |w: &mut BufWriter<std::fs::File>, line: &str| -> std::io::Result<()> {
        if utf16 {
            let bytes: Vec<u8> = line.encode_utf16().flat_map(u16::to_le_bytes).collect();
            w.write_all(&bytes)
        } else {
            w.write_all(line.as_bytes())
        }
    };
    w.write_all(if utf16 { b"\xFF\xFE" } else { b"\xEF\xBB\xBF" })?;
    put(&mut w, &format!("\"Email Address\"{d}\"First Name\"{d}\"Last Name\"{d}City{d}OPTIN_TIME{d}TAGS\r\n"))?;
    for i in 0..n {
        let email = match i % 1000 {
            7 => format!("info+{i}@example.com"),
            13 => address(i - 1).to_uppercase(),
            _ => address(i),
        };
        let line = format!("{email}{d}Name{i}{d}\"Family, {i}\"{d}Hà Nội{d}\"2024-01-{:02} 10:00:00\"{d}\"\"\"vip\"\"\"\r\n", 1 + i % 28);
        put(&mut w, &line)?;
    }
    w.flush()
}

/// Hard bounces for 3% of the list, complaints and unsubscribes for 0.5% each,
/// repeated soft bounces for 0.5%, and deliveries for 5%.
fn fill_store(store: &mut Store, n: u64) -> rebound::Result<u64> {
    let meta = NewImport {
        file_name: "bench.mbox".into(),
        file_path: "/bench/bench.mbox".into(),
        size_bytes: 0,
        sha256: "00".into(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    };
    let mut tx = store.begin_import(&meta)?;
    let mut count = 0;
    let t0 = 1_709_251_200;
    let mut add = |tx: &mut rebound::store::ImportTx, i: u64, kind: Kind, class: Class, reason: Reason, at: i64, diag: &str| -> rebound::Result<()> {
        let mut e = Event::new(Channel::Email, kind, address(i), Source { file: "bench.mbox".into(), locator: format!("#{i}"), offset: None });
        e.occurred_at = chrono::DateTime::from_timestamp(at, 0);
        e.campaign = Some(CampaignRef { key: format!("c{}", i % 12), name: Some(format!("Campaign {}", i % 12)) });
        e.diagnostic = Some(diag.to_string());
        e.verdict = Verdict { class, reason, rule: "bench".into(), evidence: String::new() };
        tx.add_event(&e, &e.fingerprint(None))?;
        count += 1;
        Ok(())
    };
    for i in (0..n).step_by(20) {
        let slot = (i / 20) % 20;
        match slot {
            0..=11 => add(&mut tx, i, Kind::Bounce, Class::Hard, Reason::UserUnknown, t0, "550 5.1.1 user unknown")?,
            12 | 13 => add(&mut tx, i, Kind::Complaint, Class::Complaint, Reason::Complaint, t0, "abuse report")?,
            14 | 15 => add(&mut tx, i, Kind::Unsubscribe, Class::Unsubscribe, Reason::Unsubscribe, t0, "")?,
            16 | 17 => {
                for d in 0..3 {
                    add(&mut tx, i, Kind::Bounce, Class::Soft, Reason::MailboxFull, t0 + d * 5 * 86_400, "452 4.2.2 mailbox full")?;
                }
            }
            _ => add(&mut tx, i, Kind::Delivered, Class::None, Reason::Delivered, t0, "250 ok")?,
        }
    }
    tx.commit()?;
    Ok(count)
}

fn vm_hwm_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// User + system time of this process so far, from /proc/self/stat (clock ticks, assumed 100 Hz).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Resets VmHWM to the current RSS (Linux: write 5 to clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
