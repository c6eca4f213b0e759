//! Mutation fuzzing on stable Rust. Seeds: every file in ../shared/corpus,
//! ../shared/formats/samples and tests/fixtures. Each input goes through
//! `ingest::detect` + `ingest::read` (and, forced, the reader of its seed's
//! format) with a counting sink that also classifies, and CSV-ish inputs (plus a
//! quarter of the rest) through the contact-list reader, inside `catch_unwind`.
//!
//! The work runs in child processes (this test binary re-executed) so that what
//! `catch_unwind` cannot catch — a stack overflow, an abort, an endless loop —
//! is still found: each child writes the index it is working on to a cursor file
//! before every input; when a child dies, the parent reads the cursor, records
//! the crash, saves the input, and restarts after it. A watchdog thread in the
//! child reports inputs slower than the hang limit (wall clock, unless the input
//! used little CPU without being blocked: then it only waited for a busy machine).
//!
//! `cargo test` runs a quick pass (`REBOUND_FUZZ_INPUTS`, default 3,000, at most
//! `REBOUND_FUZZ_SECS`, default 60 s); `make fuzz` runs `fuzz_long` with 1,000,000.

mod common;

use common::mutate::{self, Case, Seed};
use common::{structural, Rng};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The goal is 1 s per input in a release build; debug builds are 10–30× slower.
fn hang_ms() -> u64 {
    env_u64("REBOUND_FUZZ_HANG_MS", if cfg!(debug_assertions) { 30_000 } else { 1_000 })
}

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn findings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings")
}

/// Replays one saved input without any catching, for a backtrace or a debugger:
/// `FUZZ_REPLAY=target/tmp/fuzz-findings/<file> [FUZZ_FORMAT=eml] cargo test --test fuzz_mutations fuzz_replay -- --ignored --nocapture`
#[test]
#[ignore = "replays one finding: set FUZZ_REPLAY"]
fn fuzz_replay() {
    let Ok(path) = std::env::var("FUZZ_REPLAY") else { return };
    let bytes = std::fs::read(&path).expect("finding file");
    let name = PathBuf::from(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let forced = std::env::var("FUZZ_FORMAT").ok();
    let (sink, errs) = common::read_bytes(&name, &bytes, forced.as_deref());
    println!("{name}: {} events, {} problems, errors: {:?}", sink.events, sink.problems, errs.iter().map(|e| e.to_string()).collect::<Vec<_>>());
}

fn load_seeds() -> Vec<Seed> {
    common::seed_files()
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            let format = common::detected_format(&name, &bytes);
            Some(Seed { name, bytes, format })
        })
        .collect()
}

/// How many inputs come before the mutation stream: the structural cases, then
/// every seed as it is (so a crash fixture added under tests/fixtures replays).
fn fixed_count(seeds: &[Seed]) -> u64 {
    structural::count(seeds) + seeds.len() as u64
}

/// Index space: structural cases, seeds as they are, then the mutation stream.
fn make_case(seeds: &[Seed], n_fixed: u64, seed: u64, idx: u64) -> Case {
    let n_struct = structural::count(seeds);
    if idx < n_struct {
        if let Some(c) = structural::case(seeds, idx) {
            return c;
        }
    }
    if idx < n_fixed {
        if let Some(s) = seeds.get((idx - n_struct) as usize) {
            return Case { name: s.name.clone(), bytes: s.bytes.clone(), forced: s.format.clone(), recipe: format!("seed as is: {}", s.name) };
        }
    }
    mutate::mutated(seeds, seed, idx - n_fixed.min(idx))
}

// ---------------------------------------------------------------- child side

static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let bt = std::backtrace::Backtrace::force_capture().to_string();
        let frames: Vec<&str> = bt.lines().map(str::trim).filter(|l| l.contains("rebound") || l.contains("mail_parser")).take(6).collect();
        let line = format!("{loc} {msg} | {}", frames.join(" < ")).replace(['\n', '\r'], " ");
        *PANIC_AT.lock().unwrap_or_else(|p| p.into_inner()) = Some(line);
    }));
}

#[test]
#[ignore = "entry point of the fuzz harness's child processes; started by fuzz_quick/fuzz_long"]
fn fuzz_child() {
    let Ok(cursor_path) = std::env::var("FUZZ_CURSOR") else { return };
    let (seed, from, to) = (env_u64("FUZZ_SEED", 1), env_u64("FUZZ_FROM", 0), env_u64("FUZZ_TO", 0));
    let deadline = env_u64("FUZZ_DEADLINE_MS", u64::MAX);
    let seeds = load_seeds();
    let n_struct = fixed_count(&seeds);
    let cursor = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(&cursor_path).expect("cursor file");
    install_panic_hook();
    let busy = Arc::new((AtomicU64::new(u64::MAX), AtomicU64::new(0), AtomicU64::new(0)));
    spawn_watchdog(busy.clone());
    let (mut count, mut max_us, mut max_idx, mut events, mut errors) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut max_cpu_ms = 0u64;
    for idx in from..to {
        if now_ms() > deadline {
            break;
        }
        let _ = cursor.write_at(&idx.to_le_bytes(), 0);
        let case = make_case(&seeds, n_struct, seed, idx);
        let t = Instant::now();
        let cpu0 = cpu_ms();
        busy.2.store(cpu0, Ordering::SeqCst);
        busy.1.store(now_ms(), Ordering::SeqCst);
        busy.0.store(idx, Ordering::SeqCst);
        let res = std::panic::catch_unwind(|| {
            selftest(idx);
            let out = common::read_bytes(&case.name, &case.bytes, case.forced.as_deref());
            // The contact reader sees every CSV-ish input and a quarter of the rest.
            let csvish = [".csv", ".txt", ".tsv"].iter().any(|x| case.name.ends_with(x));
            if csvish || idx % 4 == 0 {
                let _ = common::read_contacts(&case.bytes);
            }
            out
        });
        busy.0.store(u64::MAX, Ordering::SeqCst);
        let us = t.elapsed().as_micros() as u64;
        max_cpu_ms = max_cpu_ms.max(cpu_ms().saturating_sub(cpu0));
        count += 1;
        if us > max_us {
            (max_us, max_idx) = (us, idx);
        }
        if us / 1000 > hang_ms() {
            println!("FUZZ SLOW {idx} {}", us / 1000);
        }
        match res {
            Ok((sink, errs)) => {
                events += sink.events;
                errors += errs.len() as u64;
            }
            Err(_) => {
                let at = PANIC_AT.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default();
                println!("FUZZ PANIC {idx} {at}");
            }
        }
        if idx < n_struct || count % 256 == 0 {
            println!("FUZZ RSS {idx} {}", common::rss_kib());
        }
    }
    println!("FUZZ DONE {count} {max_us} {max_idx} {} {events} {errors} {max_cpu_ms}", common::peak_rss_kib());
}

/// Planted faults, so a test can prove the harness sees each kind of failure.
fn selftest(idx: u64) {
    let Ok(spec) = std::env::var("FUZZ_SELFTEST") else { return };
    for item in spec.split(',') {
        let Some((kind, at)) = item.split_once('@') else { continue };
        if at.parse() != Ok(idx) {
            continue;
        }
        match kind {
            "panic" => panic!("planted panic"),
            "overflow" => {
                #[allow(unconditional_recursion)]
                fn deep(n: u64) -> u64 {
                    let pad = [n; 64];
                    std::hint::black_box(&pad);
                    deep(n + 1) + pad[0]
                }
                std::hint::black_box(deep(0));
            }
            "hang" => loop {
                std::thread::sleep(Duration::from_millis(50));
            },
            _ => {}
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// CPU time (user + system) this process has used, in ms: /proc/self/stat counts in
/// USER_HZ, which Linux fixes at 100 for user space.
fn cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0 };
    // The command name (field 2) may hold spaces: count from its closing parenthesis.
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0 };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3; utime and stime are fields 14 and 15.
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (ticks(11) + ticks(12)) * 10
}

/// An input hangs when it holds the worker past the limit and that time is its own:
/// it burned that much CPU, or it sat blocked (next to no CPU: a deadlock, a sleep).
/// An input that only waited for the cores of a machine busy with other builds is not a hang.
fn is_hang(wall_ms: u64, cpu_ms: u64, limit_ms: u64) -> bool {
    wall_ms > limit_ms && (cpu_ms > limit_ms || cpu_ms * 20 < wall_ms)
}

/// Reports an input past the hang limit once; past 3× (at least 3 s) it ends the child so the
/// parent can go on after it (a thread stuck in a loop cannot be stopped).
fn spawn_watchdog(busy: Arc<(AtomicU64, AtomicU64, AtomicU64)>) {
    std::thread::spawn(move || {
        let mut reported = u64::MAX;
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let idx = busy.0.load(Ordering::SeqCst);
            if idx == u64::MAX {
                continue;
            }
            let ms = now_ms().saturating_sub(busy.1.load(Ordering::SeqCst));
            let cpu = cpu_ms().saturating_sub(busy.2.load(Ordering::SeqCst));
            if is_hang(ms, cpu, hang_ms()) && reported != idx {
                println!("FUZZ HANG {idx}");
                reported = idx;
            }
            if is_hang(ms, cpu, (3 * hang_ms()).max(3_000)) && busy.0.load(Ordering::SeqCst) == idx {
                println!("FUZZ STUCK {idx} {ms}");
                std::process::exit(86);
            }
        }
    });
}

// ---------------------------------------------------------------- parent side

#[derive(Default, Debug)]
struct Summary {
    inputs: u64,
    structural: u64,
    panics: Vec<String>,
    hangs: Vec<u64>,
    crashes: Vec<String>,
    max_us: u64,
    max_idx: u64,
    peak_rss_kib: u64,
    events: u64,
    errors: u64,
    /// The most CPU one input used (the slowest by wall clock may only have waited for a core).
    max_cpu_ms: u64,
    elapsed_s: f64,
}

/// What one fuzz run does.
#[derive(Clone)]
struct Plan {
    mutations: u64,
    jobs: u64,
    secs: u64,
    hang_ms: u64,
    /// Planted faults (`panic@N,overflow@N,hang@N`), for the harness's own test.
    selftest: String,
}

impl Plan {
    fn from_env(default_inputs: u64, default_secs: u64) -> Plan {
        Plan {
            mutations: env_u64("REBOUND_FUZZ_INPUTS", default_inputs),
            jobs: env_u64("REBOUND_FUZZ_JOBS", 2),
            secs: env_u64("REBOUND_FUZZ_SECS", default_secs),
            hang_ms: hang_ms(),
            selftest: String::new(),
        }
    }
}

fn run_fuzz(plan: &Plan) -> Summary {
    let (mutations, jobs, secs) = (plan.mutations, plan.jobs, plan.secs);
    let seeds = load_seeds();
    assert!(!seeds.is_empty(), "no seed files found under ../shared and tests/fixtures");
    let n_struct = fixed_count(&seeds);
    let seed = env_u64("REBOUND_FUZZ_SEED", 20261123);
    let total = n_struct + mutations;
    let deadline = now_ms() + secs * 1000;
    let started = Instant::now();
    let summary = Arc::new(Mutex::new(Summary { structural: n_struct, ..Default::default() }));
    if plan.selftest.is_empty() {
        let _ = std::fs::create_dir_all(findings_dir());
    }
    let handles: Vec<_> = (0..jobs)
        .map(|j| {
            let (from, to) = (total * j / jobs, total * (j + 1) / jobs);
            let summary = summary.clone();
            let plan = plan.clone();
            std::thread::spawn(move || run_range(j, from, to, seed, deadline, &plan, &summary))
        })
        .collect();
    for h in handles {
        let _ = h.join();
    }
    let mut s = std::mem::take(&mut *summary.lock().unwrap());
    s.elapsed_s = started.elapsed().as_secs_f64();
    if !plan.selftest.is_empty() {
        return s; // planted faults are not findings
    }
    for p in &s.panics {
        save_finding(&seeds, n_struct, seed, p, "panic");
    }
    for c in &s.crashes {
        save_finding(&seeds, n_struct, seed, c, "crash");
    }
    for h in &s.hangs {
        save_finding(&seeds, n_struct, seed, &h.to_string(), "hang");
    }
    let slowest = make_case(&seeds, n_struct, seed, s.max_idx);
    println!(
        "fuzz: {} inputs ({} structural cases and seeds as they are) in {:.1} s, seed {seed}: {} panics, {} crashes, {} hangs over {} ms, slowest input {:.1} ms (#{} {}), most CPU for one input {} ms, peak RSS of a worker {} MiB, {} events read, {} inputs refused with an error",
        s.inputs,
        s.structural,
        s.elapsed_s,
        s.panics.len(),
        s.crashes.len(),
        s.hangs.len(),
        hang_ms(),
        s.max_us as f64 / 1000.0,
        s.max_idx,
        slowest.recipe,
        s.max_cpu_ms,
        s.peak_rss_kib / 1024,
        s.events,
        s.errors
    );
    s
}

/// Runs indices `from..to` in child processes, restarting after each crash.
fn run_range(job: u64, mut from: u64, to: u64, seed: u64, deadline: u64, plan: &Plan, summary: &Mutex<Summary>) {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::SeqCst);
    let cursor = std::env::temp_dir().join(format!("rebound-fuzz-cursor-{}-{run}-{job}", std::process::id()));
    let mut restarts = 0;
    while from < to && now_ms() < deadline && restarts < 50 {
        let _ = std::fs::write(&cursor, u64::MAX.to_le_bytes());
        let env = [
            ("FUZZ_CURSOR", cursor.display().to_string()),
            ("FUZZ_SEED", seed.to_string()),
            ("FUZZ_FROM", from.to_string()),
            ("FUZZ_TO", to.to_string()),
            ("FUZZ_DEADLINE_MS", deadline.to_string()),
            ("REBOUND_FUZZ_HANG_MS", plan.hang_ms.to_string()),
            ("FUZZ_SELFTEST", plan.selftest.clone()),
        ];
        // Address space capped: a reader that allocates without bound ends its child.
        let cap_mib = 4 * env_u64("REBOUND_FUZZ_MEM_MB", 1024);
        let errlog = cursor.with_extension("stderr");
        let mut child = common::child_command_capped("fuzz_child", &env, cap_mib)
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&errlog).map(std::process::Stdio::from).unwrap_or_else(|_| std::process::Stdio::null()))
            .spawn()
            .expect("start fuzz child");
        let out = child.stdout.take().expect("child stdout");
        let mut done = false;
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            done |= record(&line, summary);
        }
        let status = child.wait().expect("wait for fuzz child");
        if done {
            break;
        }
        let at = std::fs::read(&cursor).ok().and_then(|b| b.try_into().ok()).map(u64::from_le_bytes).unwrap_or(u64::MAX);
        if at == u64::MAX {
            summary.lock().unwrap().crashes.push(format!("{from} child died before its first input: {status}"));
            break;
        }
        let stderr = std::fs::read_to_string(&errlog).unwrap_or_default();
        let cause = stderr.lines().rfind(|l| l.contains("overflow") || l.contains("memory allocation") || l.contains("fatal")).unwrap_or("");
        let mut sum = summary.lock().unwrap();
        sum.crashes.push(format!("{at} child ended by {status} {cause}"));
        sum.inputs += at.saturating_sub(from);
        from = at + 1;
        restarts += 1;
    }
    let _ = std::fs::remove_file(&cursor);
    let _ = std::fs::remove_file(cursor.with_extension("stderr"));
}

/// Folds one child output line into the summary; true on the final line.
fn record(line: &str, summary: &Mutex<Summary>) -> bool {
    let mut s = summary.lock().unwrap();
    // libtest may print "test fuzz_child ... " in front of the first line.
    let Some(at) = line.find("FUZZ ") else { return false };
    let f: Vec<&str> = line[at..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    match f.get(1).copied() {
        Some("PANIC") => s.panics.push(f[2..].join(" ")),
        Some("HANG") => s.hangs.push(num(2)),
        Some("RSS") => s.peak_rss_kib = s.peak_rss_kib.max(num(3)),
        Some("DONE") => {
            s.inputs += num(2);
            if num(3) > s.max_us {
                (s.max_us, s.max_idx) = (num(3), num(4));
            }
            s.peak_rss_kib = s.peak_rss_kib.max(num(5));
            s.events += num(6);
            s.errors += num(7);
            s.max_cpu_ms = s.max_cpu_ms.max(num(8));
            return true;
        }
        _ => {}
    }
    false
}

/// Writes the input behind a finding (`<idx> …`) where a developer can replay it.
fn save_finding(seeds: &[Seed], n_struct: u64, seed: u64, finding: &str, kind: &str) {
    let Some(idx) = finding.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()) else { return };
    let case = make_case(seeds, n_struct, seed, idx);
    let base = findings_dir().join(format!("{kind}-{idx}-{}", sanitize(&case.name)));
    let _ = std::fs::write(&base, &case.bytes);
    let note = format!("{kind}: {finding}\nrecipe: {}\nforced format: {:?}\n", case.recipe, case.forced);
    let _ = std::fs::write(base.with_extension("txt"), note);
    println!("fuzz finding ({kind}) #{idx}: {finding}\n  recipe: {}\n  input saved to {}", case.recipe, base.display());
}

fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect()
}

/// Findings already reported to the coordinator, by the recipe of their input.
/// They are printed on every run but do not fail it; delete a line once fixed,
/// and the run fails again if it comes back.
const KNOWN: &[(&str, &str)] = &[];

fn known(recipe: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(r, _)| recipe == *r).map(|(_, why)| *why)
}

/// Drops findings whose input is in [`KNOWN`], printing each.
fn without_known(findings: &[String], seeds: &[Seed], n_fixed: u64, seed: u64) -> Vec<String> {
    findings
        .iter()
        .filter(|f| {
            let Some(idx) = f.split_whitespace().next().and_then(|v| v.parse::<u64>().ok()) else { return true };
            let recipe = make_case(seeds, n_fixed, seed, idx).recipe;
            match known(&recipe) {
                Some(why) => {
                    println!("fuzz: KNOWN finding #{idx} ({recipe}): {why}");
                    false
                }
                None => true,
            }
        })
        .cloned()
        .collect()
}

fn assert_clean(s: &Summary) {
    let mem_limit = env_u64("REBOUND_FUZZ_MEM_MB", 1024) * 1024;
    let seeds = load_seeds();
    let (n_fixed, seed) = (fixed_count(&seeds), env_u64("REBOUND_FUZZ_SEED", 20261123));
    let panics = without_known(&s.panics, &seeds, n_fixed, seed);
    let crashes = without_known(&s.crashes, &seeds, n_fixed, seed);
    let hangs = without_known(&s.hangs.iter().map(|h| h.to_string()).collect::<Vec<_>>(), &seeds, n_fixed, seed);
    assert!(panics.is_empty(), "{} new panics, first: {}", panics.len(), panics[0]);
    assert!(crashes.is_empty(), "{} new crashes, first: {}", crashes.len(), crashes[0]);
    assert!(hangs.is_empty(), "{} new inputs over {} ms, first #{}", hangs.len(), hang_ms(), hangs[0]);
    assert!(s.peak_rss_kib < mem_limit, "a fuzz worker peaked at {} MiB", s.peak_rss_kib / 1024);
    assert!(s.inputs > 0, "no input was run");
}

#[test]
fn hang_verdict_tells_a_busy_machine_from_a_hang() {
    assert!(!is_hang(900, 900, 1_000), "under the limit");
    assert!(is_hang(1_500, 1_200, 1_000), "burned more CPU than the limit");
    assert!(is_hang(1_500, 0, 1_000), "blocked: a deadlock or a sleep");
    assert!(!is_hang(1_500, 250, 1_000), "CPU-bound but waited for a core on a loaded machine");
    // The clock moves with work done: spin until it has counted a tick (10 ms).
    let t = Instant::now();
    let mut x = 0u64;
    while cpu_ms() == 0 && t.elapsed() < Duration::from_secs(5) {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
    }
    assert!(cpu_ms() > 0, "no CPU time read from /proc/self/stat");
}

#[test]
fn fuzz_quick() {
    let s = run_fuzz(&Plan::from_env(3_000, 60));
    assert_clean(&s);
}

#[test]
#[ignore = "`make fuzz` runs it: 1,000,000 inputs"]
fn fuzz_long() {
    let s = run_fuzz(&Plan::from_env(1_000_000, 3_600));
    assert_clean(&s);
}

/// The harness must see each kind of failure, or its zeros mean nothing.
#[test]
fn harness_reports_planted_panics_crashes_and_hangs() {
    let plan = Plan { mutations: 60, jobs: 1, secs: 120, hang_ms: 2_000, selftest: "panic@40,overflow@45,hang@50".into() };
    let s = run_fuzz(&plan);
    assert_eq!(s.panics.len(), 1, "{:?}", s.panics);
    assert!(s.panics[0].contains("planted panic") && s.panics[0].contains("fuzz_mutations.rs"), "{:?}", s.panics);
    assert!(s.crashes.iter().any(|c| c.starts_with("45 ")), "stack overflow not seen: {:?}", s.crashes);
    assert!(s.crashes.iter().any(|c| c.starts_with("50 ")), "endless loop not ended: {:?}", s.crashes);
    assert!(s.hangs.contains(&50), "endless loop not reported as a hang: {:?}", s.hangs);
    // Real findings among the fixed inputs may kill children too.
    assert_eq!(s.inputs, s.structural + 60 - s.crashes.len() as u64, "every input but those that killed their child ran");
}

/// The generators themselves: deterministic, and each truncation class finds its points.
#[test]
fn mutations_are_reproducible_from_their_index() {
    let seeds = load_seeds();
    let a = mutate::mutated(&seeds, 7, 12345);
    let b = mutate::mutated(&seeds, 7, 12345);
    assert_eq!((a.bytes, a.recipe), (b.bytes, b.recipe));
    let mut rng = Rng::new(1);
    let mut nested = b"x".to_vec();
    mutate::nest_mime(&mut nested, &mut rng, 3);
    assert!(mutate::find(&nested, b"--b2").is_some());
    let n = structural::count(&seeds);
    assert!(structural::case(&seeds, n - 1).is_some() && structural::case(&seeds, n).is_none());
}
