//! Zip files of mailboxes: every entry is detected and read like a file on disk.
//! Nothing is ever written to disk; entries are streamed from the archive.
//! Zip bombs are refused by size and compression-ratio limits, `../` names are
//! skipped, and a zip inside a zip is read one level deep at most.

use crate::error::{Error, Result};
use crate::ingest::{self, Input, ReadOptions, Sink};
use crate::model::{CampaignRef, Event};
use std::io::{Cursor, Read, Seek};

/// Largest uncompressed entry read.
const MAX_ENTRY: u64 = 4 * 1024 * 1024 * 1024;
/// Largest total uncompressed size of one archive.
const MAX_TOTAL: u64 = 16 * 1024 * 1024 * 1024;
/// Largest compression ratio accepted for entries above [`RATIO_FLOOR`] bytes.
const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Largest nested zip (held in memory because zip needs seeking).
const MAX_NESTED: u64 = 256 * 1024 * 1024;
/// Largest top-level archive held in memory when it cannot be reopened from disk.
const MAX_BUFFERED: u64 = 1024 * 1024 * 1024;
const MAX_ENTRIES: usize = 100_000;

pub(crate) fn read(mut input: Input<'_>, opts: &ReadOptions, sink: &mut dyn Sink) -> Result<()> {
    let name = input.name.clone();
    // Zip needs a seekable reader: reopen the file when the input is one.
    if let Ok(f) = std::fs::File::open(&name) {
        if f.metadata().map(|m| m.is_file() && Some(m.len()) == input.size).unwrap_or(false) {
            read_archive(std::io::BufReader::new(f), &name, 0, opts, sink)?;
            // Let a hashing reader (the importer's) see every byte.
            std::io::copy(&mut input.reader, &mut std::io::sink()).map_err(|e| Error::read(&name, e))?;
            return Ok(());
        }
    }
    let mut buf = Vec::new();
    (&mut input.reader).take(MAX_BUFFERED + 1).read_to_end(&mut buf).map_err(|e| Error::read(&name, e))?;
    if buf.len() as u64 > MAX_BUFFERED {
        return Err(bad(&name, format!("zip streams larger than {} MB are not read", MAX_BUFFERED >> 20)));
    }
    read_archive(Cursor::new(buf), &name, 0, opts, sink)
}

fn bad(path: &str, message: String) -> Error {
    Error::BadInput { path: path.to_string(), message }
}

fn read_archive<R: Read + Seek>(r: R, name: &str, depth: u8, opts: &ReadOptions, sink: &mut dyn Sink) -> Result<()> {
    let mut archive = ::zip::ZipArchive::new(r).map_err(|e| bad(name, format!("not a readable zip file ({e})")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(bad(name, format!("zip has {} entries, more than the {} read", archive.len(), MAX_ENTRIES)));
    }
    // `--format zip` names the archive, not its entries: detect those.
    let entry_opts = ReadOptions { format: None, ..opts.clone() };
    let opts = &entry_opts;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                sink.problem(name, &format!("/entry {}", i + 1), &format!("unreadable zip entry: {e}"))?;
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let raw_name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let Some(inner) = entry.enclosed_name().map(|p| p.to_string_lossy().replace('\\', "/")) else {
            sink.problem(name, &format!("/{raw_name}"), "entry name points outside the archive; skipped")?;
            continue;
        };
        if is_hidden(&inner) {
            continue;
        }
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        let done = entry.header_start().saturating_add(packed);
        total = total.saturating_add(size);
        if size > MAX_ENTRY || total > MAX_TOTAL || (size > RATIO_FLOOR && size / packed > MAX_RATIO) {
            return Err(bad(
                name,
                format!(
                    "entry {inner} unpacks to {size} bytes from {packed} (limits: {} MB per entry, ratio {MAX_RATIO}:1); \
                     refused as a possible zip bomb",
                    MAX_ENTRY >> 20
                ),
            ));
        }
        let entry_name = format!("{name}/{inner}");
        let capped = Capped { inner: &mut entry, left: size, name: entry_name.clone() };
        let input = Input::new(entry_name.clone(), Some(size), capped).map_err(|e| Error::read(&entry_name, e))?;
        let Some(det) = ingest::detect(&entry_name, &input.head, opts) else { continue };
        let mut sub = EntrySink { outer: sink, done };
        if det.format == "zip" {
            if depth >= 1 {
                sub.problem(&entry_name, "", "zip inside a zip inside a zip: not read (one level of nesting only)")?;
                continue;
            }
            if size > MAX_NESTED {
                sub.problem(&entry_name, "", "nested zip too large to read")?;
                continue;
            }
            let mut buf = Vec::new();
            let mut rd = input.reader;
            rd.read_to_end(&mut buf).map_err(|e| Error::read(&entry_name, e))?;
            read_archive(Cursor::new(buf), &entry_name, depth + 1, opts, &mut sub)?;
        } else if let Err(e) = read_entry(&det, input, opts, &mut sub) {
            if matches!(e, Error::Cancelled) {
                return Err(e);
            }
            sub.problem(&entry_name, "", &e.to_string())?;
        }
        sink.progress(done)?;
    }
    Ok(())
}

fn is_hidden(inner: &str) -> bool {
    inner.split('/').any(|c| c.starts_with('.') || c == "__MACOSX")
}

/// Single messages inside a zip get `#1`, so every zip message has a locator.
fn read_entry(det: &ingest::Detection, input: Input<'_>, opts: &ReadOptions, sink: &mut dyn Sink) -> Result<()> {
    if det.format == "eml" {
        let mut one = NumberOne { outer: sink };
        return ingest::read(det, input, opts, &mut one);
    }
    ingest::read(det, input, opts, sink)
}

/// Errors instead of silently truncating when an entry is longer than it said.
struct Capped<'r, R: Read> {
    inner: &'r mut R,
    left: u64,
    name: String,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            let msg = format!("{} is longer than its declared size", self.name);
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, msg));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Passes everything through but reports progress by entry, not by inner bytes.
struct EntrySink<'s> {
    outer: &'s mut dyn Sink,
    done: u64,
}

impl Sink for EntrySink<'_> {
    fn event(&mut self, ev: Event) -> Result<()> {
        self.outer.event(ev)
    }
    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        self.outer.problem(source, locator, message)
    }
    fn campaign_counts(&mut self, c: &CampaignRef, sent: Option<i64>, delivered: Option<i64>) -> Result<()> {
        self.outer.campaign_counts(c, sent, delivered)
    }
    fn progress(&mut self, _done_bytes: u64) -> Result<()> {
        self.outer.progress(self.done)
    }
}

struct NumberOne<'s> {
    outer: &'s mut dyn Sink,
}

impl Sink for NumberOne<'_> {
    fn event(&mut self, mut ev: Event) -> Result<()> {
        if ev.source.locator.is_empty() {
            ev.source.locator = "#1".into();
        }
        self.outer.event(ev)
    }
    fn problem(&mut self, source: &str, locator: &str, message: &str) -> Result<()> {
        self.outer.problem(source, if locator.is_empty() { "#1" } else { locator }, message)
    }
    fn progress(&mut self, done_bytes: u64) -> Result<()> {
        self.outer.progress(done_bytes)
    }
}
