//! Turning files into Events: find the inputs under the paths given, detect each
//! one's format by content, and hand it to the reader of its family.
//! Parsers only produce events and problems through a [`Sink`]; they never write
//! to the store themselves.

pub mod campaign;
pub mod contacts;
pub mod dates;
pub mod dsn;
pub mod esp;
pub mod mailbox;
pub mod mta;
pub mod sms;
pub mod text;

use crate::error::{Error, Result};
use crate::model::{CampaignRef, Event};
use serde::Serialize;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

/// How many bytes of a file detection looks at.
pub const HEAD_LEN: usize = 64 * 1024;

/// Where parsers put what they find.
pub trait Sink {
    /// One outcome for one recipient; readers that classify on their own threads (the mbox
    /// pool) send it classified already (`verdict.rule` set), the others leave that to the importer.
    fn event(&mut self, ev: Event) -> Result<()>;
    /// A message or row that could not be read; `locator` is `#N` or `row N`.
    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()>;
    /// What the reader had to assume about the whole file (the zone of zone-less
    /// times, a day/month order): not a bad row. Sinks that keep no notes apart
    /// see it as a problem without a locator, its message starting `note:`.
    fn note(&mut self, source: &str, message: &str) -> Result<()> {
        self.problem(source, "", message)
    }
    /// Sent/delivered denominators from a provider summary.
    fn campaign_counts(
        &mut self,
        _c: &CampaignRef,
        _sent: Option<i64>,
        _delivered: Option<i64>,
    ) -> Result<()> {
        Ok(())
    }
    /// Bytes of the current top-level file consumed so far. Returning
    /// `Err(Error::Cancelled)` stops the reader.
    fn progress(&mut self, _done_bytes: u64) -> Result<()> {
        Ok(())
    }
}

/// Which reader family handles a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Mailbox,
    Report,
    Contacts,
}

/// The outcome of looking at a file's first bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// `mbox`, `eml`, `zip`, `sendgrid`, `twilio`, `generic-csv`, …
    pub format: String,
    pub family: Family,
    /// The provider or MTA family, when the format names one.
    pub provider: Option<String>,
    /// 0–100: how sure the detector is.
    pub confidence: u8,
    /// One sentence a user can read: which signature matched.
    pub why: String,
}

/// Choices the user can make about reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Overrides detection (`--format`).
    pub format: Option<String>,
    /// Column overrides for the generic mapper (`--map email=Column`).
    pub column_map: Vec<(String, String)>,
    /// Zone assumed for timestamps without one, e.g. `+07:00` or `UTC`; None = the machine's.
    pub default_tz: Option<String>,
}

/// One file to read: its display name, its first bytes and the rest.
pub struct Input<'a> {
    pub name: String,
    pub size: Option<u64>,
    pub head: Vec<u8>,
    pub reader: Box<dyn BufRead + 'a>,
}

impl<'a> Input<'a> {
    /// Reads the head of `r` so detection can look at it, then chains it back.
    pub fn new(
        name: impl Into<String>,
        size: Option<u64>,
        mut r: impl Read + 'a,
    ) -> std::io::Result<Input<'a>> {
        let mut head = Vec::with_capacity(HEAD_LEN);
        (&mut r).take(HEAD_LEN as u64).read_to_end(&mut head)?;
        let reader = Box::new(BufReader::with_capacity(
            256 * 1024,
            Cursor::new(head.clone()).chain(r),
        ));
        Ok(Input {
            name: name.into(),
            size,
            head,
            reader,
        })
    }
}

/// Lists the files under the given paths (folders walked recursively, sorted for
/// stable output; hidden files and maildir `tmp/` skipped).
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out
}

fn walk(p: &Path, out: &mut Vec<Result<PathBuf>>) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => return out.push(Err(Error::read(p, e))),
    };
    if !meta.is_dir() {
        return out.push(Ok(p.to_path_buf()));
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return out.push(Err(Error::read(p, e))),
    };
    entries.sort();
    for e in entries {
        let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "tmp" {
            continue;
        }
        walk(&e, out);
    }
}

/// Picks the most confident detector's answer, or the `--format` override.
pub fn detect(name: &str, head: &[u8], opts: &ReadOptions) -> Option<Detection> {
    if let Some(f) = &opts.format {
        return forced(f);
    }
    let candidates = [
        mailbox::detect(name, head),
        esp::detect(name, head),
        sms::detect(name, head),
    ];
    candidates
        .into_iter()
        .flatten()
        .max_by_key(|d| d.confidence)
}

fn forced(format: &str) -> Option<Detection> {
    let family = if mailbox::FORMATS.contains(&format) {
        Family::Mailbox
    } else if esp::is_format(format) || sms::is_format(format) {
        Family::Report
    } else {
        return None;
    };
    Some(Detection {
        format: format.to_string(),
        family,
        provider: None,
        confidence: 100,
        why: format!("format '{format}' chosen with --format"),
    })
}

/// Reads one input with the reader its detection names.
pub fn read(
    det: &Detection,
    input: Input<'_>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<()> {
    match det.family {
        Family::Mailbox => mailbox::read(det, input, opts, sink),
        Family::Report if sms::is_format(&det.format) => sms::read(det, input, opts, sink),
        Family::Report => esp::read(det, input, opts, sink),
        Family::Contacts => Err(Error::BadInput {
            path: input.name,
            message: "this is a contact list, not a bounce report; use it with `rebound clean`"
                .into(),
        }),
    }
}

/// Opens a file on disk as an [`Input`].
pub fn open_file(path: &Path) -> Result<Input<'static>> {
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let size = f.metadata().ok().map(|m| m.len());
    Input::new(path.display().to_string(), size, f).map_err(|e| Error::read(path, e))
}
