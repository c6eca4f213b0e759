//! `rebound import PATH...`: store files' events, one transaction per file.

use rebound::error::Result;
use rebound::import::{import_paths, CancelFlag, FileOutcome};
use rebound::ingest::ReadOptions;
use rebound::store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders (mbox, maildir, .eml, .zip, provider reports)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Skip detection and read every file as this format
    #[arg(long)]
    pub format: Option<String>,
    /// Column overrides for unknown reports: --map email=Column,status=Result
    #[arg(long, value_delimiter = ',')]
    pub map: Vec<String>,
    /// Zone for timestamps that carry none, e.g. UTC or +07:00 [default: this machine's]
    #[arg(long)]
    pub tz: Option<String>,
}

pub fn run(store: &mut Store, a: Args) -> Result<i32> {
    let opts = ReadOptions {
        format: a.format,
        column_map: parse_map(&a.map)?,
        default_tz: a.tz,
    };
    let outcomes = import_paths(store, &a.paths, &opts, &CancelFlag::default(), &mut |_| {});
    let mut failed = 0;
    let out = &mut std::io::stdout().lock();
    for o in &outcomes {
        if let Some(err) = &o.error {
            failed += 1;
            eprintln!("{}: not imported: {err}", o.file);
            continue;
        }
        let total = o.import_id.and_then(|id| problem_total(store, id));
        let _ = write_outcome(out, o, total);
    }
    Ok(if failed > 0 && failed == outcomes.len() {
        1
    } else {
        0
    })
}

/// The stored problem count (the outcome lists only the first ones).
fn problem_total(store: &Store, id: i64) -> Option<i64> {
    let all = store.imports().ok()?;
    all.iter().find(|i| i.id == id).map(|i| i.problems)
}

/// One file's summary: the format chosen and why, the counts, what was assumed
/// (the zone of zone-less times), then each bad row with its number and cause.
fn write_outcome(w: &mut dyn Write, o: &FileOutcome, total: Option<i64>) -> std::io::Result<()> {
    match &o.detection {
        Some(d) => writeln!(w, "{}: read as {} ({}% sure): {}", o.file, d.format, d.confidence, d.why)?,
        None => writeln!(w, "{}:", o.file)?,
    }
    let shown = o.problems.len() as i64;
    let total = total.unwrap_or(shown).max(shown);
    writeln!(
        w,
        "  {} events read, {} new ({} already stored), {} bad {}",
        o.events_seen,
        o.events_added,
        o.events_seen - o.events_added,
        total,
        if total == 1 { "row" } else { "rows" }
    )?;
    for n in &o.notes {
        writeln!(w, "  {n}")?;
    }
    for p in &o.problems {
        // Report readers already say "row N: …"; mailbox problems name the message.
        if p.message.starts_with("row ") || p.locator.is_empty() {
            writeln!(w, "  {}", p.message)?;
        } else {
            writeln!(w, "  {}: {}", p.locator, p.message)?;
        }
    }
    if total > shown {
        let id = o.import_id.unwrap_or_default();
        writeln!(w, "  … {} more; `rebound imports problems {id}` lists them all", total - shown)?;
    }
    Ok(())
}

fn parse_map(items: &[String]) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(rebound::Error::Invalid(format!(
                "--map takes FIELD=Column pairs, got '{kv}'"
            ))),
        })
        .collect()
}
