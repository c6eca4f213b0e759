//! Helpers shared by the reliability tests: a seeded PRNG, the seed-file walk,
//! a sink that only counts, peak-memory probes and child-process plumbing.
#![allow(dead_code)]

use rebound::error::Result;
use rebound::ingest::{self, Input, ReadOptions, Sink};
use rebound::model::{CampaignRef, Event};
use std::path::{Path, PathBuf};

/// splitmix64: tiny, seedable, good enough to pick mutations reproducibly.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under the seed folders (corpus, provider samples, our fixtures), sorted.
pub fn seed_files() -> Vec<PathBuf> {
    let root = manifest_dir();
    let dirs = [root.join("../shared/corpus"), root.join("../shared/formats/samples"), root.join("tests/fixtures")];
    let mut out = Vec::new();
    for d in dirs {
        walk(&d, &mut out);
    }
    out.sort();
    out
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::metadata(p) else { return };
    if meta.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else { return };
    for e in rd.flatten() {
        walk(&e.path(), out);
    }
}

/// Counts what a reader produces, and runs the classifier and fingerprint on each
/// event as the importer does, so those see hostile events too.
#[derive(Default, Debug)]
pub struct CountingSink {
    pub events: u64,
    pub problems: u64,
    pub campaign_counts: u64,
    pub progress_calls: u64,
}

impl Sink for CountingSink {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        rebound::classify::classify(&mut ev);
        let _ = ev.fingerprint(None);
        self.events += 1;
        Ok(())
    }
    fn problem(&mut self, _source: &str, _locator: &str, _message: &str) -> Result<()> {
        self.problems += 1;
        Ok(())
    }
    fn campaign_counts(&mut self, _c: &CampaignRef, _sent: Option<i64>, _delivered: Option<i64>) -> Result<()> {
        self.campaign_counts += 1;
        Ok(())
    }
    fn progress(&mut self, _done: u64) -> Result<()> {
        self.progress_calls += 1;
        Ok(())
    }
}

/// Detects and reads `bytes` as the importer would; `forced` reads them with a
/// format chosen by hand as well, so readers see inputs detection would refuse.
pub fn read_bytes(name: &str, bytes: &[u8], forced: Option<&str>) -> (CountingSink, Vec<rebound::Error>) {
    let mut sink = CountingSink::default();
    let mut errors = Vec::new();
    let plain = ReadOptions::default();
    let mut runs: Vec<ReadOptions> = vec![plain];
    if let Some(f) = forced {
        runs.push(ReadOptions { format: Some(f.to_string()), ..Default::default() });
    }
    for opts in runs {
        let input = match Input::new(name, Some(bytes.len() as u64), bytes) {
            Ok(i) => i,
            Err(e) => {
                errors.push(rebound::Error::read(name, e));
                continue;
            }
        };
        let Some(det) = ingest::detect(name, &input.head, &opts) else { continue };
        if let Err(e) = ingest::read(&det, input, &opts, &mut sink) {
            errors.push(e);
        }
    }
    (sink, errors)
}

/// The contact-list reader (issue 8) takes a path, so the bytes go through a
/// per-process scratch file. Returns the rows read.
pub fn read_contacts(bytes: &[u8]) -> Result<u64> {
    use rebound::ingest::contacts;
    let dir = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let path = dir.join(format!("rebound-fuzz-contacts-{}", std::process::id()));
    std::fs::write(&path, bytes).map_err(|e| rebound::Error::write(&path, e))?;
    let head = &bytes[..bytes.len().min(256 * 1024)];
    let sample = contacts::sniff(head, head.len() < bytes.len(), contacts::ShapeHints::default());
    let mut reader = contacts::ContactReader::open(&path, &sample.layout)?;
    let mut rows = 0;
    while reader.next_row()?.is_some() {
        rows += 1;
    }
    Ok(rows)
}

/// The format detection picks for a file's own bytes, if any.
pub fn detected_format(name: &str, bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(ingest::HEAD_LEN)];
    ingest::detect(name, head, &ReadOptions::default()).map(|d| d.format)
}

/// Peak resident memory of this process in KiB (Linux), 0 where unknown.
pub fn peak_rss_kib() -> u64 {
    status_field("VmHWM:")
}

pub fn rss_kib() -> u64 {
    status_field("VmRSS:")
}

fn status_field(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak-RSS mark (Linux ≥ 4.0) so a test can measure only itself.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Serializes tests that measure process-wide memory or time.
pub static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn heavy_lock() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs one `#[ignore]`d entry test of the current test binary as a child
/// process, with `env` set: how the tests get a crashable helper process without
/// an extra binary target.
pub fn child_command(entry: &str, env: &[(&str, String)]) -> std::process::Command {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = std::process::Command::new(exe);
    cmd.args([entry, "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Like [`child_command`], with the child's address space capped at `mib` (via
/// the shell's `ulimit -v`), so a memory blow-up ends the child, not the machine.
pub fn child_command_capped(entry: &str, env: &[(&str, String)], mib: u64) -> std::process::Command {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c").arg(format!("ulimit -v {} 2>/dev/null; exec \"$0\" \"$@\"", mib * 1024));
    cmd.arg(exe).args([entry, "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub fn sqlite_integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open for integrity check");
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect())
        .unwrap_or_else(|e| vec![e.to_string()]);
    rows.join("; ")
}

pub mod mutate;
pub mod structural;
pub mod zipgen;

/// A realistic bounce event `i` of a synthetic import; the same `i` always
/// gives the same fingerprint, so re-imports must add nothing.
pub fn synthetic_event(i: u64) -> Event {
    use rebound::model::{Channel, Kind, Source};
    let mut ev = Event::new(
        Channel::Email,
        Kind::Bounce,
        format!("user{i}@example{}.com", i % 97),
        Source { file: "synthetic.mbox".into(), locator: format!("#{i}"), offset: Some(i * 4096) },
    );
    ev.status = Some(if i.is_multiple_of(3) { "4.2.2" } else { "5.1.1" }.into());
    ev.reply_code = Some(550);
    ev.diagnostic = Some(format!("550 5.1.1 <user{i}@example.com>: Recipient address rejected: User unknown in virtual mailbox table ({i})"));
    ev.remote_mta = Some(format!("mx{}.example.com", i % 13));
    ev.campaign = Some(CampaignRef { key: format!("campaign-{}", i % 7), name: Some(format!("Campaign {}", i % 7)) });
    rebound::classify::classify(&mut ev);
    ev
}

pub fn synthetic_meta(tag: &str) -> rebound::store::NewImport {
    rebound::store::NewImport {
        file_name: format!("{tag}.mbox"),
        file_path: format!("/synthetic/{tag}.mbox"),
        size_bytes: 1,
        sha256: String::new(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    }
}

/// Stores events `from..to` in one import; returns (import id, events added).
pub fn import_synthetic(store: &mut rebound::store::Store, tag: &str, from: u64, to: u64) -> Result<(i64, i64)> {
    let mut tx = store.begin_import(&synthetic_meta(tag))?;
    for i in from..to {
        let ev = synthetic_event(i);
        tx.add_event(&ev, &ev.fingerprint(None))?;
    }
    let (_, added, _) = tx.counts();
    Ok((tx.commit()?, added))
}

/// Counts a query's single integer answer on a plain connection.
pub fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}

pub fn have_tool(name: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A small tmpfs mounted for one test (needs CAP_SYS_ADMIN); unmounted on drop.
pub struct TmpFs {
    pub dir: tempfile::TempDir,
}

impl TmpFs {
    pub fn mount(size: &str) -> Option<TmpFs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then_some(TmpFs { dir })
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn remount_read_only(&self) -> bool {
        std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.dir.path())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for TmpFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}
