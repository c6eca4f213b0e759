//! Streaming mbox reader: splits on `From ` separator lines one message at a
//! time (a 2 GB mbox is never held in memory), undoes mboxrd `>From` quoting,
//! and reads LF, CRLF and bare-CR files.

use super::pool::{self, Pool};
use super::{emit, MAX_MESSAGE};
use crate::error::{Error, Result};
use crate::ingest::{Input, Sink};
use crate::model::Source;

/// How often the reader reports progress (and so how quickly cancel is seen).
const PROGRESS_EVERY: u64 = 256 * 1024;

/// A `From ` line that separates messages: `From sender date…`. The date part
/// must hold a time (`12:34`) or a year, so prose starting with "From " is not one.
pub(crate) fn is_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let rest = trim_end(rest);
    let mut words = rest
        .split(|&c| c == b' ' || c == b'\t')
        .filter(|w| !w.is_empty());
    if words.next().is_none() {
        return false;
    }
    words.any(|w| is_time(w) || (w.len() == 4 && w.iter().all(u8::is_ascii_digit)))
}

fn is_time(w: &[u8]) -> bool {
    w.len() >= 4 && w.contains(&b':') && w.iter().all(|c| c.is_ascii_digit() || *c == b':')
}

fn trim_end(mut b: &[u8]) -> &[u8] {
    while let Some((last, rest)) = b.split_last() {
        if matches!(last, b'\r' | b'\n' | b' ' | b'\t') {
            b = rest;
        } else {
            break;
        }
    }
    b
}

fn is_blank(line: &[u8]) -> bool {
    trim_end(line).is_empty()
}

/// mboxrd: `>From ` and `>>From ` lose one `>`.
fn unquote(line: &[u8]) -> &[u8] {
    let gts = line.iter().take_while(|&&c| c == b'>').count();
    match line.get(gts..) {
        Some(rest) if gts > 0 && rest.starts_with(b"From ") => line.get(1..).unwrap_or(line),
        _ => line,
    }
}

struct Splitter<'s> {
    name: String,
    sink: &'s mut dyn Sink,
    pool: Option<Pool>,
    index: usize,
    msg: Vec<u8>,
    msg_offset: u64,
    too_big: bool,
}

impl Splitter<'_> {
    fn flush(&mut self) -> Result<()> {
        if self.index == 0 && self.msg.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(());
        }
        let index = self.index.max(1);
        let source = Source {
            file: self.name.clone(),
            locator: format!("#{index}"),
            offset: Some(self.msg_offset),
        };
        if self.too_big {
            let m = format!("message larger than {} MB skipped", MAX_MESSAGE >> 20);
            self.sink.problem(&source.file, &source.locator, &m)?;
        } else if let Some(pool) = self.pool.as_mut() {
            let raw = std::mem::take(&mut self.msg);
            if raw.iter().all(|b| b.is_ascii_whitespace()) {
                return Ok(());
            }
            pool.submit(source, raw, self.sink)?;
        } else {
            emit(&self.msg, source, self.sink)?;
        }
        self.msg.clear();
        self.too_big = false;
        Ok(())
    }

    fn push(&mut self, line: &[u8]) {
        if self.msg.len() as u64 + line.len() as u64 > MAX_MESSAGE {
            self.too_big = true;
        }
        if !self.too_big {
            self.msg.extend_from_slice(unquote(line));
        }
    }
}

/// The longest line held in memory. A longer one (a 4 GB file without a line break)
/// is read past, and its message is skipped as too big, instead of being buffered.
const MAX_LINE: usize = 64 << 20;

/// Like `read_until`, but keeps at most `cap` bytes of the line; returns the bytes
/// consumed and whether the line was longer than `cap`.
fn read_line_capped(r: &mut dyn std::io::BufRead, delim: u8, out: &mut Vec<u8>, cap: usize) -> std::io::Result<(usize, bool)> {
    let (mut consumed, mut over) = (0usize, false);
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed, over));
        }
        let (len, done) = match buf.iter().position(|b| *b == delim) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !over && out.len() + len <= cap {
            out.extend_from_slice(&buf[..len]);
        } else {
            over = true;
        }
        r.consume(len);
        consumed += len;
        if done {
            return Ok((consumed, over));
        }
    }
}

/// Reads an mbox; with more than one core, messages are parsed on worker threads.
pub(crate) fn read(input: Input<'_>, sink: &mut dyn Sink) -> Result<()> {
    let n = pool::workers();
    if n < 2 {
        return split(input, sink, None);
    }
    std::thread::scope(|scope| split(input, sink, Some(Pool::start(scope, n))))
}

fn split(mut input: Input<'_>, sink: &mut dyn Sink, pool: Option<Pool>) -> Result<()> {
    let cr_only = input.head.contains(&b'\r') && !input.head.contains(&b'\n');
    let delim = if cr_only { b'\r' } else { b'\n' };
    let mut sp = Splitter {
        name: input.name.clone(),
        sink,
        pool,
        index: 0,
        msg: Vec::new(),
        msg_offset: 0,
        too_big: false,
    };
    let mut line = Vec::with_capacity(1024);
    let (mut offset, mut reported, mut prev_blank) = (0u64, 0u64, true);
    loop {
        line.clear();
        let (n, overlong) = read_line_capped(&mut input.reader, delim, &mut line, MAX_LINE)
            .map_err(|e| Error::read(&input.name, e))?;
        if n == 0 {
            break;
        }

        if cr_only {
            if let Some(last) = line.last_mut() {
                if *last == b'\r' {
                    *last = b'\n';
                }
            }
        }
        if prev_blank && !overlong && is_from_line(&line) {
            sp.flush()?;
            sp.index += 1;
            sp.msg_offset = offset;
        } else {
            sp.push(&line);
            // Only part of the line was kept: its message cannot be read whole.
            sp.too_big |= overlong;
        }
        prev_blank = is_blank(&line);
        offset += n as u64;
        if offset - reported >= PROGRESS_EVERY {
            reported = offset;
            sp.sink.progress(offset)?;
        }
    }
    sp.flush()?;
    if let Some(pool) = sp.pool.take() {
        pool.finish(sp.sink)?;
    }
    sp.sink.progress(offset)
}
