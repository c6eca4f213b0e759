//! Benchmarks that run the real `rebound` binary, as a user would, measuring
//! wall time and peak RSS (GNU time's %M) of the child process.

use crate::table::Table;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub struct Run {
    pub secs: f64,
    pub peak_kb: Option<u64>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit 4 is the CLI's "not available yet in this version".
    pub fn not_implemented(&self) -> bool {
        self.code == 4 || self.stderr.contains("not available yet")
    }

    pub fn short_error(&self) -> String {
        let line = self
            .stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let mut s: String = line.chars().take(120).collect();
        if s.is_empty() {
            s = format!("exit code {}", self.code);
        }
        s
    }
}

pub fn rebound_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/release/examples/bench → target/release/rebound
    exe.parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("rebound"))
        .unwrap_or_else(|| PathBuf::from("rebound"))
}

/// Runs `rebound ARGS` under /usr/bin/time when present, for the peak RSS.
pub fn rebound(args: &[&str]) -> Run {
    let bin = rebound_bin();
    let timefile = std::env::temp_dir().join(format!("rebound-bench-time-{}", std::process::id()));
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&timefile).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(args);
    let t = Instant::now();
    let out = cmd.output();
    let secs = t.elapsed().as_secs_f64();
    let peak_kb = std::fs::read_to_string(&timefile)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    let _ = std::fs::remove_file(&timefile);
    match out {
        Ok(o) => Run {
            secs,
            peak_kb,
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        },
        Err(e) => Run {
            secs,
            peak_kb: None,
            code: -1,
            stdout: String::new(),
            stderr: format!("cannot run {}: {e}", bin.display()),
        },
    }
}

pub fn gen(out: &Path, args: &[&str], table: &mut Table, what: &str) -> bool {
    let _ = std::fs::remove_dir_all(out);
    let mut all = vec!["gen", "--seed", "42", "--out"];
    let o = out.to_string_lossy().into_owned();
    all.push(&o);
    all.extend_from_slice(args);
    let r = rebound(&all);
    if r.code != 0 {
        table.info(
            &format!("generate {what}"),
            "failed".into(),
            &r.short_error(),
        );
        return false;
    }
    let bytes: u64 = r
        .stdout
        .lines()
        .filter_map(|l| {
            l.rsplit_once(", ")
                .and_then(|(_, b)| b.trim_end_matches(" bytes").parse::<u64>().ok())
        })
        .sum();
    table.info(
        &format!("generate {what}"),
        format!("{:.1} s", r.secs),
        &format!(
            "{:.0} MB written, {:.0} MB/s",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / r.secs
        ),
    );
    true
}

/// Imports `path` into a fresh database; records time (and RSS) against the goals.
pub fn import(
    db: &Path,
    path: &Path,
    table: &mut Table,
    name: &str,
    goal_s: f64,
    goal_rss_mb: Option<f64>,
) -> Option<f64> {
    let head: Vec<u8> = std::fs::read(path)
        .map(|b| b.into_iter().take(rebound::ingest::HEAD_LEN).collect())
        .unwrap_or_default();
    if rebound::ingest::detect(&path.to_string_lossy(), &head, &Default::default()).is_none() {
        table.not_available(
            name,
            &format!("< {goal_s} s"),
            "no reader in this build detects the file (reader not merged yet?)",
        );
        return None;
    }
    for ext in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(p);
    }
    let d = db.to_string_lossy().into_owned();
    let p = path.to_string_lossy().into_owned();
    let r = rebound(&["--db", &d, "import", &p]);
    let failed = r.code != 0 || r.stderr.contains("not imported");
    if failed {
        let why = if r.not_implemented()
            || r.stderr.contains("not_implemented")
            || r.stderr.contains("not available yet")
        {
            format!("reader not merged on this branch: {}", r.short_error())
        } else {
            r.short_error()
        };
        if r.not_implemented() || why.contains("not available yet") {
            table.not_available(name, &format!("< {goal_s} s"), &why);
            return None;
        }
        table.max(
            name,
            f64::INFINITY,
            goal_s,
            "s",
            &format!("import failed: {why}"),
        );
        return None;
    }
    let summary = r
        .stdout
        .lines()
        .last()
        .unwrap_or("")
        .chars()
        .take(100)
        .collect::<String>();
    table.max(name, r.secs, goal_s, "s", &summary);
    if let (Some(goal), Some(kb)) = (goal_rss_mb, r.peak_kb) {
        table.max(
            &format!("{name}: peak RSS"),
            kb as f64 / 1024.0,
            goal,
            "MB",
            "GNU time %M",
        );
    }
    Some(r.secs)
}
