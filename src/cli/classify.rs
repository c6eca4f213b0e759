//! `rebound classify [--format tsv|jsonl] [--explain] PATH...`: print the
//! classification of every failure, deferral and complaint without a database.

use rebound::classify;
use rebound::error::Result;
use rebound::ingest::{self, ReadOptions, Sink};
use rebound::model::{Event, Kind};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "jsonl"])]
    pub format: String,
    /// Add the evidence behind each decision
    #[arg(long)]
    pub explain: bool,
    /// Read every file as this input format instead of detecting it
    #[arg(long = "input-format")]
    pub input_format: Option<String>,
    /// Files or folders
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

struct PrintSink<W: Write> {
    out: W,
    jsonl: bool,
    explain: bool,
}

/// Kinds `classify` prints: failures, deferrals and complaints; nothing for ordinary mail.
fn printable(kind: Kind) -> bool {
    matches!(kind, Kind::Bounce | Kind::Deferred | Kind::Complaint | Kind::Unsubscribe | Kind::Suppressed)
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\r', '\n'], " ")
}

impl<W: Write> Sink for PrintSink<W> {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        if !printable(ev.kind) {
            return Ok(());
        }
        classify::classify(&mut ev);
        let line = if self.jsonl {
            serde_json::json!({
                "source": ev.source.display(),
                "recipient": ev.recipient,
                "class": ev.verdict.class,
                "reason": ev.verdict.reason,
                "status": ev.status,
                "reply_code": ev.reply_code,
                "diagnostic": ev.diagnostic,
                "rule": ev.verdict.rule,
                "evidence": if self.explain { Some(&ev.verdict.evidence) } else { None },
                "kind": ev.kind,
                "provider": ev.provider,
                "campaign": ev.campaign.as_ref().map(|c| &c.key),
            })
            .to_string()
        } else {
            let mut cols = vec![
                ev.source.display(),
                ev.recipient.clone(),
                ev.verdict.class.to_string(),
                ev.verdict.reason.to_string(),
                ev.status.clone().unwrap_or_default(),
                ev.reply_code.map(|c| c.to_string()).unwrap_or_default(),
                ev.diagnostic.clone().unwrap_or_default(),
                ev.verdict.rule.clone(),
            ];
            if self.explain {
                cols.push(ev.verdict.evidence.clone());
            }
            cols.iter().map(|c| tsv_cell(c)).collect::<Vec<_>>().join("\t")
        };
        writeln!(self.out, "{line}").map_err(|e| rebound::Error::write("standard output", e))
    }

    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        eprintln!("{source}{locator}: {message}");
        Ok(())
    }
}

pub fn run(a: Args) -> Result<i32> {
    let opts = ReadOptions { format: a.input_format, ..Default::default() };
    let stdout = std::io::stdout();
    let mut sink = PrintSink { out: std::io::BufWriter::new(stdout.lock()), jsonl: a.format == "jsonl", explain: a.explain };
    if !sink.jsonl {
        let mut header = "source\trecipient\tclass\treason\tstatus\treply_code\tdiagnostic\trule".to_string();
        if a.explain {
            header.push_str("\tevidence");
        }
        writeln!(sink.out, "{header}").map_err(|e| rebound::Error::write("standard output", e))?;
    }
    let mut processed = 0usize;
    for f in ingest::expand_paths(&a.paths) {
        let path = match f {
            Ok(p) => p,
            Err(e) => {
                eprintln!("rebound classify: {e}");
                continue;
            }
        };
        let input = match ingest::open_file(&path) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("rebound classify: {e}");
                continue;
            }
        };
        let Some(det) = ingest::detect(&input.name, &input.head, &opts) else {
            // Not mail and not a report: nothing to print, as for ordinary mail.
            processed += 1;
            continue;
        };
        match ingest::read(&det, input, &opts, &mut sink) {
            Ok(()) => processed += 1,
            Err(e) => eprintln!("rebound classify: {}: {e}", path.display()),
        }
    }
    sink.out.flush().map_err(|e| rebound::Error::write("standard output", e))?;
    Ok(if processed > 0 { 0 } else { 1 })
}
