//! Streaming mbox reader: splits on `From ` separator lines one message at a
//! time (a 2 GB mbox is never held in memory), undoes mboxrd `>From` quoting,
//! and reads LF, CRLF and bare-CR files.

use super::pool::{self, Pool};
use super::{emit, MAX_MESSAGE};
use crate::error::{Error, Result};
use crate::ingest::{Input, Sink};
use crate::model::Source;
use memchr::memmem::Finder;
use std::sync::LazyLock;

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
    /// Bare-CR file: lines end in `\r`, which becomes `\n` for the parser.
    cr_only: bool,
    prev_blank: bool,
    /// Bytes of the file before the current line.
    offset: u64,
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
            // The next message is likely about as big: one allocation instead
            // of a dozen doublings per message.
            let hint = (self.msg.len() + self.msg.len() / 4).clamp(4096, 1 << 20);
            let raw = std::mem::replace(&mut self.msg, Vec::with_capacity(hint));
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

    /// One line with its end; `overlong` when only its first part was kept.
    fn line(&mut self, line: &[u8], overlong: bool, len: usize) -> Result<()> {
        if self.prev_blank && !overlong && is_from_line(line) {
            self.flush()?;
            self.index += 1;
            self.msg_offset = self.offset;
        } else {
            self.push(line);
            // Only part of the line was kept: its message cannot be read whole.
            self.too_big |= overlong;
        }
        self.prev_blank = is_blank(line);
        self.offset += len as u64;
        Ok(())
    }

    /// Complete LF-ended lines: runs of ordinary lines are copied into the message in
    /// one piece; only a line starting with `>` (mboxrd quoting) or `From ` (a
    /// possible separator) goes through [`Self::line`]. Per-line handling of every
    /// line was the reading thread's main cost.
    fn lines(&mut self, chunk: &[u8]) -> Result<()> {
        let (mut next_gt, mut next_from) = (None, None);
        let mut p = 0;
        while p < chunk.len() {
            let rest = chunk.get(p..).unwrap_or_default();
            let q = if rest.starts_with(b">") || rest.starts_with(b"From ") {
                p
            } else {
                // Both searches start before `p` only when their last hit was passed.
                let gt = *next_gt.get_or_insert_with(|| find_line_start(chunk, p, &QUOTED));
                let gt = if gt < p { *next_gt.insert(find_line_start(chunk, p, &QUOTED)) } else { gt };
                let from = *next_from.get_or_insert_with(|| find_line_start(chunk, p, &FROM));
                let from = if from < p { *next_from.insert(find_line_start(chunk, p, &FROM)) } else { from };
                gt.min(from)
            };
            if q > p {
                let run = chunk.get(p..q).unwrap_or_default();
                self.push_run(run);
                self.prev_blank = is_blank(last_line(run));
                self.offset += run.len() as u64;
            }
            let Some(line) = chunk.get(q..).filter(|l| !l.is_empty()) else { break };
            let end = memchr::memchr(b'\n', line).map_or(line.len(), |e| e + 1);
            let line = line.get(..end).unwrap_or(line);
            self.line(line, false, line.len())?;
            p = q + end;
        }
        Ok(())
    }

    /// Whole ordinary lines (no `>` quoting to undo, not CR-only).
    fn push_run(&mut self, run: &[u8]) {
        if self.msg.len() as u64 + run.len() as u64 > MAX_MESSAGE {
            self.too_big = true;
        }
        if !self.too_big {
            self.msg.extend_from_slice(run);
        }
    }

    fn push(&mut self, line: &[u8]) {
        if self.msg.len() as u64 + line.len() as u64 > MAX_MESSAGE {
            self.too_big = true;
        }
        if self.too_big {
            return;
        }
        let line = if line.first() == Some(&b'>') { unquote(line) } else { line };
        match line.split_last() {
            Some((b'\r', body)) if self.cr_only => {
                self.msg.extend_from_slice(body);
                self.msg.push(b'\n');
            }
            _ => self.msg.extend_from_slice(line),
        }
    }
}

/// The longest line held in memory. A longer one (a 4 GB file without a line break)
/// is read past, and its message is skipped as too big, instead of being buffered.
const MAX_LINE: usize = 64 << 20;

/// Reads an mbox; with more than one core, messages are parsed on worker threads.
pub(crate) fn read(input: Input<'_>, sink: &mut dyn Sink) -> Result<()> {
    let n = pool::workers();
    if n < 2 {
        return split(input, sink, None);
    }
    std::thread::scope(|scope| split(input, sink, Some(Pool::start(scope, n))))
}

/// Splits on line ends found with memchr inside the reader's buffer: lines are
/// handled where they lie and copied once, into their message. Only a line that
/// straddles two buffer fills is gathered in `carry` (at most [`MAX_LINE`] bytes).
fn split(mut input: Input<'_>, sink: &mut dyn Sink, pool: Option<Pool>) -> Result<()> {
    let cr_only = input.head.contains(&b'\r') && !input.head.contains(&b'\n');
    let delim = if cr_only { b'\r' } else { b'\n' };
    let mut sp = Splitter {
        name: input.name.clone(),
        sink,
        pool,
        index: 0,
        msg: Vec::with_capacity(64 * 1024),
        msg_offset: 0,
        too_big: false,
        cr_only,
        prev_blank: true,
        offset: 0,
    };
    let (mut carry, mut carry_len, mut carry_over) = (Vec::new(), 0usize, false);
    let mut reported = 0u64;
    loop {
        let buf = match input.reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::read(&input.name, e)),
        };
        if buf.is_empty() {
            break;
        }
        let mut start = 0;
        if carry_len > 0 {
            // The line that straddles the previous fill ends here, if anywhere.
            if let Some(end) = memchr::memchr(delim, buf) {
                let piece = buf.get(..=end).unwrap_or_default();
                start = end + 1;
                gather(&mut carry, &mut carry_over, piece);
                sp.line(&carry, carry_over, carry_len + piece.len())?;
                carry.clear();
                (carry_len, carry_over) = (0, false);
            }
        }
        if carry_len == 0 {
            // Every complete line of this fill.
            let whole = buf.get(start..).and_then(|b| memchr::memrchr(delim, b)).map_or(start, |e| start + e + 1);
            let lines = buf.get(start..whole).unwrap_or_default();
            if cr_only {
                for piece in lines.split_inclusive(|&c| c == delim) {
                    sp.line(piece, false, piece.len())?;
                }
            } else {
                sp.lines(lines)?;
            }
            start = whole;
        }
        let rest = buf.get(start..).unwrap_or_default();
        gather(&mut carry, &mut carry_over, rest);
        carry_len += rest.len();
        let n = buf.len();
        input.reader.consume(n);
        let at = sp.offset + carry_len as u64;
        if at - reported >= PROGRESS_EVERY {
            reported = at;
            sp.sink.progress(at)?;
        }
    }
    if carry_len > 0 {
        sp.line(&carry, carry_over, carry_len)?;
    }
    sp.flush()?;
    if let Some(pool) = sp.pool.take() {
        pool.finish(sp.sink)?;
    }
    sp.sink.progress(sp.offset)
}

/// The start of the first line at or after `from` that begins with `pat` minus its
/// leading `\n`, or `chunk.len()`.
fn find_line_start(chunk: &[u8], from: usize, pat: &Finder<'static>) -> usize {
    let hay = chunk.get(from..).unwrap_or_default();
    pat.find(hay).map_or(chunk.len(), |i| from + i + 1)
}

/// Built once: building a searcher costs more than a short search.
static QUOTED: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n>"));
static FROM: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\nFrom "));

/// The last line of a run of whole lines.
fn last_line(run: &[u8]) -> &[u8] {
    let body = run.strip_suffix(b"\n").unwrap_or(run);
    memchr::memrchr(b'\n', body).and_then(|i| run.get(i + 1..)).unwrap_or(run)
}

/// Adds part of a line to `carry`, keeping at most [`MAX_LINE`] bytes.
fn gather(carry: &mut Vec<u8>, over: &mut bool, piece: &[u8]) {
    if !*over && carry.len() + piece.len() <= MAX_LINE {
        carry.extend_from_slice(piece);
    } else {
        *over = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Event;

    /// Counts what the splitter hands on; the message bytes are compared directly.
    #[derive(Default)]
    struct Count(usize);

    impl Sink for Count {
        fn event(&mut self, _: Event) -> Result<()> {
            Ok(())
        }
        fn problem(&mut self, _: &str, _: &str, _: &str) -> Result<()> {
            self.0 += 1;
            Ok(())
        }
        fn progress(&mut self, _: u64) -> Result<()> {
            Ok(())
        }
    }

    fn splitter(sink: &mut dyn Sink) -> Splitter<'_> {
        Splitter {
            name: "t.mbox".into(),
            sink,
            pool: None,
            index: 0,
            msg: Vec::new(),
            msg_offset: 0,
            too_big: false,
            cr_only: false,
            prev_blank: true,
            offset: 0,
        }
    }

    /// The run-copying path must leave exactly what the line-by-line path leaves:
    /// quoting undone, separators only after a blank line, offsets and indexes.
    #[test]
    fn runs_of_lines_split_like_one_line_at_a_time() {
        let texts = [
            "From a Thu Mar  5 09:00:00 2026\nFrom: x@y\n\n>From quoted\n>>From twice\n> not a From\nFrom inside, not after a blank\n \t\nFrom b Thu Mar  5 09:00:00 2026\nbody\n\n\n",
            "From c 2026\r\nFrom: x@y\r\n\r\n>From q\r\nline\r\n\r\nFrom d 2026\r\nlast\r\n",
            ">From at the very start\nFrom e 2026\n",
            "",
        ];
        for text in texts {
            let (mut a, mut b) = (Count::default(), Count::default());
            let mut fast = splitter(&mut a);
            fast.lines(text.as_bytes()).unwrap();
            let fast = (fast.msg.clone(), fast.index, fast.offset, fast.msg_offset, fast.prev_blank);
            let mut slow = splitter(&mut b);
            for l in text.as_bytes().split_inclusive(|&c| c == b'\n') {
                slow.line(l, false, l.len()).unwrap();
            }
            let slow = (slow.msg.clone(), slow.index, slow.offset, slow.msg_offset, slow.prev_blank);
            assert_eq!(fast, slow, "{text:?}");
            assert_eq!(a.0, b.0);
        }
    }
}
