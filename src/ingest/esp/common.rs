//! What every provider reader shares: the reading context (sink, dates, counts,
//! progress), event construction, SMTP code extraction and the CSV row loop.

use crate::error::{Error, Result};
use crate::ingest::dates::DateReader;
use crate::ingest::text::{self, Header};
use crate::ingest::Sink;
use crate::model::{normalize_email, CampaignRef, Channel, Event, Kind, Source};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// One file being read: where events go and what was seen so far.
pub struct Ctx<'s> {
    pub file: String,
    pub provider: &'static str,
    pub dates: DateReader,
    pub sink: &'s mut dyn Sink,
    pub events: u64,
    pub problems: u64,
    /// Records that are valid but carry no delivery outcome (opens, clicks, active subscribers).
    pub skipped: u64,
    ticks: u64,
    bytes: Rc<Cell<u64>>,
    /// The last zone-less time read: its instant in the assumed zone, and its wall clock.
    wall: Option<(DateTime<Utc>, NaiveDateTime)>,
}

impl<'s> Ctx<'s> {
    pub fn new(
        file: &str,
        provider: &'static str,
        dates: DateReader,
        sink: &'s mut dyn Sink,
        bytes: Rc<Cell<u64>>,
    ) -> Self {
        Ctx {
            file: file.to_string(),
            provider,
            dates,
            sink,
            events: 0,
            problems: 0,
            skipped: 0,
            ticks: 0,
            bytes,
            wall: None,
        }
    }

    /// An event for `raw` (an email address) at data row / record `row`, or a
    /// problem when the value is not an address.
    pub fn email_event(
        &mut self,
        kind: Kind,
        raw: Option<&str>,
        row: u64,
    ) -> Result<Option<Event>> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            self.problem(row, "no email value")?;
            return Ok(None);
        };
        let addr = normalize_email(raw);
        if !plausible_email(&addr) {
            self.problem(row, &format!("'{}' is not an email address", shorten(raw)))?;
            return Ok(None);
        }
        Ok(Some(self.event_for(Channel::Email, kind, addr, row)))
    }

    /// An event for an already-normalized recipient.
    pub fn event_for(&self, channel: Channel, kind: Kind, recipient: String, row: u64) -> Event {
        let src = Source {
            file: self.file.clone(),
            locator: row_locator(row),
            offset: None,
        };
        let mut ev = Event::new(channel, kind, recipient, src);
        ev.provider = Some(self.provider.to_string());
        ev
    }

    pub fn emit(&mut self, mut ev: Event) -> Result<()> {
        if let (None, Some((at, wall))) = (&ev.provider_event_id, self.wall) {
            if ev.occurred_at == Some(at) {
                key_by_wall_clock(&mut ev, wall);
            }
        }
        self.events += 1;
        self.sink.event(ev)?;
        Ok(())
    }

    /// A bad record: counted and listed as `row N: cause`; the rest of the file goes on.
    pub fn problem(&mut self, row: u64, msg: &str) -> Result<()> {
        self.problems += 1;
        let file = self.file.clone();
        self.sink
            .problem(&file, &format!("#{row}"), &format!("row {row}: {msg}"))
    }

    /// Called once per record read: reports progress (and lets a cancel stop the
    /// reader) every 4096 records, whether or not they produced events.
    pub fn tick(&mut self) -> Result<()> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(4096) {
            self.sink.progress(self.bytes.get())?;
        }
        Ok(())
    }

    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    /// Parses a timestamp; a value that is present but unreadable is a problem
    /// for the row, though the event is still kept (without a time).
    pub fn time(
        &mut self,
        raw: Option<&str>,
        row: u64,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
            return Ok(None);
        };
        match self.dates.parse(raw) {
            Some(t) => {
                self.wall = self.dates.take_wall_clock().map(|wall| (t, wall));
                Ok(Some(t))
            }
            None => {
                self.problem(
                    row,
                    &format!(
                        "unreadable date '{}' (event kept without a time)",
                        shorten(raw)
                    ),
                )?;
                Ok(None)
            }
        }
    }

    /// Writes the date assumptions as notes, and the end-of-file progress.
    pub fn finish(&mut self) -> Result<()> {
        let file = self.file.clone();
        for n in self.dates.notes() {
            self.sink.note(&file, &n)?;
        }
        self.sink.progress(self.bytes.get())
    }

    pub fn campaign(&self, id: &str, name: Option<&str>) -> CampaignRef {
        CampaignRef {
            key: format!("{}:{}", self.provider, id.trim()),
            name: name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        }
    }

    /// The import refuses a file from which nothing at all could be read.
    pub fn check_not_empty(&self, records: u64, what: &str) -> Result<()> {
        if records == 0 {
            return Err(Error::BadInput {
                path: self.file.clone(),
                message: format!("no records found; this does not look like {what}"),
            });
        }
        if self.events == 0 && self.skipped == 0 && self.problems >= records {
            return Err(Error::BadInput {
                path: self.file.clone(),
                message: format!("none of its {records} records could be read as {what}; see the problems listed, or choose another --format"),
            });
        }
        Ok(())
    }
}

/// `#row` without the formatting machinery: one per event of a million-row report.
fn row_locator(row: u64) -> String {
    let mut n = itoa::Buffer::new();
    let digits = n.format(row);
    let mut s = String::with_capacity(1 + digits.len());
    s.push('#');
    s.push_str(digits);
    s
}

/// Keys an event whose time had no zone by the file's own wall-clock text, not by
/// the instant the assumed zone made of it: importing the file again with another
/// `--tz` finds the same events instead of adding shifted copies.
fn key_by_wall_clock(ev: &mut Event, wall: NaiveDateTime) {
    let instant = ev.occurred_at.replace(wall.and_utc());
    let key = ev.fingerprint(None);
    ev.occurred_at = instant;
    ev.provider_event_id = Some(format!("wall-clock:{key}"));
}

/// `local@domain.tld` shape, nothing more: the classifier and the cleaner judge the rest.
pub fn plausible_email(a: &str) -> bool {
    match a.rsplit_once('@') {
        Some((l, d)) => {
            !l.is_empty()
                && d.contains('.')
                && !d.starts_with('.')
                && !if a.is_ascii() {
                    // The ASCII characters char::is_whitespace knows: \t..\r and space.
                    a.bytes().any(|b| matches!(b, b'\t'..=b'\r' | b' ' | b',' | b';'))
                } else {
                    a.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
                }
        }
        None => false,
    }
}

/// A short, single-line excerpt of untrusted text for messages.
pub fn shorten(s: &str) -> String {
    let one: String = s.chars().filter(|c| !c.is_control()).take(60).collect();
    if s.chars().count() > 60 {
        format!("{one}…")
    } else {
        one
    }
}

/// The SMTP reply code at the start of a diagnostic (`550 5.1.1 …`, `smtp; 550 …`, `smtp;550`).
pub fn reply_code(text: &str) -> Option<u32> {
    let t = text.trim();
    let t = t
        .strip_prefix("smtp;")
        .or_else(|| t.strip_prefix("SMTP;"))
        .unwrap_or(t)
        .trim_start();
    let b = t.as_bytes();
    if b.len() >= 3
        && matches!(b[0], b'2'..=b'5')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b.get(3).is_none_or(|c| !c.is_ascii_digit())
    {
        return t[..3].parse().ok();
    }
    None
}

/// The first RFC 3463 enhanced status (`5.1.1`, `4.7.26`) in a text.
pub fn enhanced_status(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .find(|t| is_status(t))
        .map(str::to_string)
}

pub fn is_status(t: &str) -> bool {
    let mut parts = t.split('.');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(a, "2" | "4" | "5")
        && (1..=3).contains(&b.len())
        && (1..=3).contains(&c.len())
        && b.bytes().chain(c.bytes()).all(|x| x.is_ascii_digit())
}

/// Fills status and reply code from a provider's SMTP text when the report has no separate fields.
pub fn smtp_from_text(ev: &mut Event, text: &str) {
    if ev.reply_code.is_none() {
        ev.reply_code = reply_code(text);
    }
    if ev.status.is_none() {
        ev.status = enhanced_status(text);
    }
}

/// Counts bytes as they are read, for progress.
pub struct Counting<R> {
    pub inner: R,
    pub n: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.set(self.n.get() + k as u64);
        Ok(k)
    }
}

/// The longest CSV record read: a quote that is never closed would otherwise make
/// the CSV parser buffer the rest of the file, however large, as one record.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Fails the stream when more than [`MAX_RECORD_BYTES`] pass without a record ending.
struct RecordCap<R> {
    inner: R,
    read: u64,
    record_end: Rc<Cell<u64>>,
}

impl<R: Read> Read for RecordCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.record_end.get()) > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a row is longer than 16 MB, probably a quote that is never closed; the file was read up to that row",
            ));
        }
        let k = self.inner.read(buf)?;
        self.read += k as u64;
        Ok(k)
    }
}

/// Iterates a decoded CSV stream: reads the header, then hands each non-blank
/// data row (1-based) to `on_row`. Unparseable rows become problems.
pub fn each_csv_row(
    ctx: &mut Ctx<'_>,
    decoded: Box<dyn Read + '_>,
    delim: u8,
    has_header: bool,
    preamble: usize,
    reader: &mut dyn super::Reader,
) -> Result<u64> {
    let mut preamble = if has_header { preamble } else { 0 };
    let path = ctx.file.clone();
    let record_end = Rc::new(Cell::new(0u64));
    let capped = RecordCap { inner: decoded, read: 0, record_end: record_end.clone() };
    let mut rdr = text::csv_builder(delim).from_reader(capped);
    let mut raw = csv::ByteRecord::new();
    let mut cells: Vec<String> = Vec::new();
    // Without a header line, columns are named by position: "0", "1", …
    let mut header = if has_header {
        Header::default()
    } else {
        Header::new((0..32).map(|i| i.to_string()).collect())
    };
    let mut got_header = !has_header;
    if !has_header {
        reader_header(reader, &header, &path)?;
    }
    let mut row = 0u64;
    loop {
        let step = rdr.read_byte_record(&mut raw);
        record_end.set(rdr.position().byte());
        match step {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row += 1;
                ctx.problem(row, &format!("unreadable CSV row ({e})"))?;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        text::record_to_strings(&raw, &mut cells);
        if !got_header {
            if text::is_blank(&cells) {
                continue;
            }
            if preamble > 0 {
                preamble -= 1;
                continue;
            }
            header = Header::new(cells.iter().map(|c| text::clean_header(c)).collect());
            reader_header(reader, &header, &path)?;
            got_header = true;
            continue;
        }
        if text::is_blank(&cells) {
            continue;
        }
        row += 1;
        ctx.tick()?;
        reader.record(
            ctx,
            &super::CsvRow {
                header: &header,
                rec: &cells,
            },
            row,
        )?;
    }
    Ok(row)
}

fn reader_header(reader: &mut dyn super::Reader, h: &Header, path: &str) -> Result<()> {
    reader.header(h).map_err(|message| Error::BadInput {
        path: path.to_string(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_codes_from_text() {
        assert_eq!(reply_code("550 5.1.1 user unknown"), Some(550));
        assert_eq!(reply_code("smtp; 550 5.1.1 user unknown"), Some(550));
        assert_eq!(reply_code("smtp;452 4.2.2 full"), Some(452));
        assert_eq!(reply_code("5501 nope"), None);
        assert_eq!(reply_code("unable to get mx info"), None);
        assert_eq!(
            enhanced_status("smtp;550 5.7.26 This mail"),
            Some("5.7.26".into())
        );
        assert_eq!(
            enhanced_status("<a@b.c>: 4.2.2 mailbox full."),
            Some("4.2.2".into())
        );
        assert_eq!(enhanced_status("version 1.2.3"), None);
        assert_eq!(enhanced_status("ip 192.0.2.10"), None);
    }

    #[test]
    fn row_locators() {
        assert_eq!(row_locator(1), "#1");
        assert_eq!(row_locator(1_000_000), format!("#{}", 1_000_000));
    }

    #[test]
    fn email_shape() {
        assert!(plausible_email("ana@example.com"));
        assert!(!plausible_email("ana@localhost"));
        assert!(!plausible_email("not an email"));
        assert!(!plausible_email("@example.com"));
        // Every ASCII whitespace char::is_whitespace knows, vertical tab included.
        for ws in ["\t", "\n", "\u{b}", "\u{c}", "\r", " ", ",", ";", "\u{a0}"] {
            assert!(!plausible_email(&format!("a{ws}b@example.com")), "{ws:?}");
        }
    }
}
