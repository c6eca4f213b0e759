//! Mailbox exports: mbox (From_ lines, >From quoting), maildir (a folder of
//! single messages: `expand_paths` walks it, each file is an eml), single .eml,
//! and zip files of any of these. Detection looks at content, never only the name.

mod cut;
mod skim;
mod mbox;
pub mod message;
mod pool;
mod zip;

use super::{Detection, Family, Input, ReadOptions, Sink};
use crate::error::{Error, Result};
use crate::model::Source;
use std::io::Read;

/// Formats this module reads, for `--format`.
pub const FORMATS: &[&str] = &["mbox", "eml", "zip"];

/// A single message larger than this is refused instead of being read into memory.
pub(crate) const MAX_MESSAGE: u64 = 256 * 1024 * 1024;

pub fn detect(_name: &str, head: &[u8]) -> Option<Detection> {
    let det = |format: &str, confidence, why: &str| {
        Some(Detection {
            format: format.to_string(),
            family: Family::Mailbox,
            provider: None,
            confidence,
            why: why.to_string(),
        })
    };
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return det("zip", 95, "starts with the zip signature PK\\3\\4");
    }
    let start = skip_blank(head);
    let rest = head.get(start..).unwrap_or_default();
    if rest.starts_with(b"From ") && mbox::is_from_line(first_line(rest)) {
        return det("mbox", 90, "first line is an mbox 'From ' separator");
    }
    if looks_like_headers(rest) {
        return det("eml", 80, "starts with RFC 5322 header fields");
    }
    None
}

/// Reads a mailbox file of the detected format, one message at a time.
pub fn read(
    det: &Detection,
    input: Input<'_>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<()> {
    match det.format.as_str() {
        "mbox" => mbox::read(input, sink),
        "zip" => zip::read(input, opts, sink),
        _ => read_eml(input, sink),
    }
}

/// One message per file (.eml, a maildir entry).
fn read_eml(mut input: Input<'_>, sink: &mut dyn Sink) -> Result<()> {
    let mut raw = Vec::with_capacity(input.size.unwrap_or(0).min(MAX_MESSAGE) as usize);
    (&mut input.reader)
        .take(MAX_MESSAGE + 1)
        .read_to_end(&mut raw)
        .map_err(|e| Error::read(&input.name, e))?;
    if raw.len() as u64 > MAX_MESSAGE {
        return Err(Error::BadInput {
            path: input.name,
            message: format!(
                "a single message larger than {} MB is not read",
                MAX_MESSAGE >> 20
            ),
        });
    }
    sink.progress(raw.len() as u64)?;
    let source = Source {
        file: input.name.clone(),
        locator: String::new(),
        offset: Some(0),
    };
    emit(&raw, source, sink)
}

pub(crate) const NOT_MAIL: &str =
    "not readable as a mail message (no header fields found, or parts nested more than 200 levels deep)";

/// Analyzes one raw message and hands its events to the sink.
pub(crate) fn emit(raw: &[u8], source: Source, sink: &mut dyn Sink) -> Result<()> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(());
    }
    match message::analyze(raw, &source) {
        Some(events) => events.into_iter().try_for_each(|e| sink.event(e)),
        None => sink.problem(&source.file, &source.locator, NOT_MAIL),
    }
}

fn skip_blank(b: &[u8]) -> usize {
    b.iter()
        .position(|c| !matches!(c, b'\r' | b'\n'))
        .unwrap_or(b.len())
}

fn first_line(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .position(|c| matches!(c, b'\r' | b'\n'))
        .unwrap_or(b.len());
    b.get(..end).unwrap_or_default()
}

/// True when the bytes start with a header field (`Name: value`) whose name is
/// a plausible RFC 5322 field name.
pub(crate) fn looks_like_headers(b: &[u8]) -> bool {
    let line = first_line(b);
    let Some(colon) = line.iter().position(|&c| c == b':') else {
        return false;
    };
    let name = line.get(..colon).unwrap_or_default();
    !name.is_empty()
        && name.len() <= 76
        && name
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// Bare-CR files (old Mac line ends) become LF so the MIME parser sees lines.
pub(crate) fn normalize_newlines(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // memchr (SIMD), not slice::contains: this runs over every message.
    if memchr::memchr(b'\r', raw).is_some() && memchr::memchr(b'\n', raw).is_none() {
        std::borrow::Cow::Owned(
            raw.iter()
                .map(|&c| if c == b'\r' { b'\n' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

#[cfg(test)]
mod tests;
