//! `rebound import PATH...`: store files' events, one transaction per file.

use rebound::error::Result;
use rebound::import::{import_paths, CancelFlag};
use rebound::ingest::ReadOptions;
use rebound::store::Store;
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
    for o in &outcomes {
        match (&o.error, &o.detection) {
            (Some(err), _) => {
                failed += 1;
                eprintln!("{}: not imported: {err}", o.file);
            }
            (None, Some(d)) => println!(
                "{}: {} ({}), {} events read, {} new, {} problems",
                o.file,
                d.format,
                d.why,
                o.events_seen,
                o.events_added,
                o.problems.len()
            ),
            (None, None) => {}
        }
        for p in &o.problems {
            eprintln!("  {}{}: {}", o.file, p.locator, p.message);
        }
    }
    Ok(if failed > 0 && failed == outcomes.len() {
        1
    } else {
        0
    })
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
