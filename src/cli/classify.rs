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
    matches!(
        kind,
        Kind::Bounce | Kind::Deferred | Kind::Complaint | Kind::Unsubscribe | Kind::Suppressed
    )
}

/// Writes a TSV cell: tabs and line breaks become spaces, without building a string.
/// memchr3 (SIMD) finds them: a char-pattern `find` over every diagnostic was a
/// noticeable share of the reading thread's time.
fn tsv_cell(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    let mut rest = s.as_bytes();
    while let Some(i) = memchr::memchr3(b'\t', b'\r', b'\n', rest) {
        out.write_all(rest.get(..i).unwrap_or_default())?;
        out.write_all(b" ")?;
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    out.write_all(rest)
}

impl<W: Write> PrintSink<W> {
    fn tsv_row(&mut self, ev: &Event) -> std::io::Result<()> {
        let out = &mut self.out;
        tsv_cell(out, &ev.source.file)?;
        tsv_cell(out, &ev.source.locator)?;
        for cell in [
            ev.recipient.as_str(),
            ev.verdict.class.as_str(),
            ev.verdict.reason.as_str(),
            ev.status.as_deref().unwrap_or_default(),
        ] {
            out.write_all(b"\t")?;
            tsv_cell(out, cell)?;
        }
        out.write_all(b"\t")?;
        if let Some(c) = ev.reply_code {
            write!(out, "{c}")?;
        }
        out.write_all(b"\t")?;
        tsv_cell(out, ev.diagnostic.as_deref().unwrap_or_default())?;
        out.write_all(b"\t")?;
        tsv_cell(out, &ev.verdict.rule)?;
        if self.explain {
            out.write_all(b"\t")?;
            tsv_cell(out, &ev.verdict.evidence)?;
        }
        out.write_all(b"\n")
    }
}

impl<W: Write> Sink for PrintSink<W> {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        if !printable(ev.kind) {
            return Ok(());
        }
        // The mbox reader's worker threads classify already (rule set).
        if ev.verdict.rule.is_empty() {
            classify::classify(&mut ev);
        }
        let written = if self.jsonl {
            let line = serde_json::json!({
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
            });
            writeln!(self.out, "{line}")
        } else {
            self.tsv_row(&ev)
        };
        written.map_err(|e| rebound::Error::write("standard output", e))
    }

    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        eprintln!("{source}{locator}: {message}");
        Ok(())
    }
}

pub fn run(a: Args) -> Result<i32> {
    let stdout = std::io::stdout();
    let code = classify_to(&a, std::io::BufWriter::new(stdout.lock()), &mut |e| {
        eprintln!("rebound classify: {e}")
    })?;
    Ok(code)
}

/// The whole command with its output and error lines sent where the caller
/// says (stdout/stderr for the CLI, buffers in tests).
fn classify_to<W: Write>(a: &Args, out: W, err: &mut dyn FnMut(String)) -> Result<i32> {
    let opts = ReadOptions {
        format: a.input_format.clone(),
        ..Default::default()
    };
    let mut sink = PrintSink {
        out,
        jsonl: a.format == "jsonl",
        explain: a.explain,
    };
    if !sink.jsonl {
        let mut header =
            "source\trecipient\tclass\treason\tstatus\treply_code\tdiagnostic\trule".to_string();
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
                err(e.to_string());
                continue;
            }
        };
        let input = match ingest::open_file(&path) {
            Ok(i) => i,
            Err(e) => {
                err(e.to_string());
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
            Err(e) => err(format!("{}: {e}", path.display())),
        }
    }
    sink.out
        .flush()
        .map_err(|e| rebound::Error::write("standard output", e))?;
    Ok(if processed > 0 { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(paths: &[&str], format: &str) -> (i32, String, Vec<String>) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let a = Args {
            format: format.into(),
            explain: false,
            input_format: None,
            paths: paths.iter().map(|p| root.join(p)).collect(),
        };
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let code = classify_to(&a, &mut out, &mut |e| errs.push(e)).unwrap();
        (code, String::from_utf8(out).unwrap(), errs)
    }

    #[test]
    fn tsv_has_the_contract_columns_and_one_row_per_failure() {
        let (code, out, errs) = run_on(&["tests/fixtures/mail"], "tsv");
        assert_eq!(code, 0);
        assert!(errs.is_empty(), "{errs:?}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "source\trecipient\tclass\treason\tstatus\treply_code\tdiagnostic\trule"
        );
        // arf (1) + dsn failed and delayed (2) + exim (1) + qmail (1) + mbox (1); no auto-reply, no delivered.
        assert_eq!(lines.len(), 7, "{out}");
        assert!(lines.iter().all(|l| l.split('\t').count() == 8));
        assert!(lines
            .iter()
            .any(|l| l.contains("two-messages.mbox#1\tgus@example.org")));
        assert!(!out.contains("eva@example.es") && !out.contains("carla@example.net"));
    }

    #[test]
    fn unreadable_paths_go_to_stderr_and_the_rest_is_processed() {
        let (code, out, errs) = run_on(
            &[
                "tests/fixtures/mail/no-such-file.eml",
                "tests/fixtures/mail/qmail-text.eml",
            ],
            "jsonl",
        );
        assert_eq!(code, 0);
        assert_eq!(errs.len(), 1);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["recipient"], "gus@example.org");
        assert_eq!(v["status"], "5.1.1");
        let (code, _, _) = run_on(&["tests/fixtures/mail/no-such-file.eml"], "tsv");
        assert_eq!(code, 1);
    }
}
