//! Contact lists: encoding, delimiter and header sniffing, and a streaming reader
//! that hands out every record together with its original bytes, so the cleaner
//! can copy kept rows back byte for byte.
//!
//! The parser runs over a "parse stream": the file itself after its BOM for UTF-8
//! and Windows-1252 (both ASCII-compatible, so delimiters and quotes are single
//! bytes), or the UTF-8 decoding of a UTF-16 file. [`TextEncoding::to_output`]
//! turns parse-stream bytes back into the file's encoding.

use crate::error::{Error, Result};
use csv::ByteRecord;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

/// How many bytes sniffing looks at.
pub const SNIFF_LEN: usize = 64 * 1024;
/// How many records sniffing and column detection look at.
const SAMPLE_ROWS: usize = 200;

/// The encodings Excel and spreadsheet tools produce: the same set provider reports use.
pub use super::text::TextEncoding;

/// What the contact writer needs beyond detection: re-encoding the cells it adds.
impl TextEncoding {
    fn is_utf16(self) -> bool {
        matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
    }

    /// Text Rebound writes itself, as parse-stream bytes (Windows-1252 files get
    /// Windows-1252 bytes; characters it lacks become numeric references).
    pub fn text_to_parse(self, s: &str) -> Cow<'_, [u8]> {
        match self {
            TextEncoding::Windows1252 => match encoding_rs::WINDOWS_1252.encode(s).0 {
                Cow::Borrowed(b) => Cow::Borrowed(b),
                Cow::Owned(v) => Cow::Owned(v),
            },
            _ => Cow::Borrowed(s.as_bytes()),
        }
    }

    /// Appends parse-stream bytes to `out` in the file's own encoding.
    pub fn to_output(self, parse: &[u8], out: &mut Vec<u8>) {
        match self {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let text = String::from_utf8_lossy(parse);
                for unit in text.encode_utf16() {
                    let b = if self == TextEncoding::Utf16Le {
                        unit.to_le_bytes()
                    } else {
                        unit.to_be_bytes()
                    };
                    out.extend_from_slice(&b);
                }
            }
            _ => out.extend_from_slice(parse),
        }
    }

    /// One cell as text. Cells that are not valid UTF-8 are read as Windows-1252,
    /// which never fails: a list mixing both still matches its addresses.
    pub fn cell_text(self, bytes: &[u8]) -> Cow<'_, str> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    }
}

/// What sniffing found about the file's shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub encoding: TextEncoding,
    /// The BOM bytes at the start of the file (written back unchanged).
    #[serde(skip)]
    pub bom: Vec<u8>,
    pub delimiter: u8,
    pub has_header: bool,
    /// `\r\n`, `\n` or `\r`, from the first line; used for rows Rebound writes.
    pub line_ending: String,
}

/// The start of a file, decoded, with its layout and first records.
#[derive(Debug, Clone)]
pub struct Sample {
    pub layout: Layout,
    pub header: Option<Vec<String>>,
    pub rows: Vec<Vec<String>>,
}

/// What the user said about the file's shape; `None` = detect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShapeHints {
    pub has_header: Option<bool>,
    pub delimiter: Option<u8>,
}

/// Reads the head of `path` and guesses encoding, delimiter and header.
pub fn sniff_file(path: &Path, hints: ShapeHints) -> Result<Sample> {
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    f.take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(path, e))?;
    Ok(sniff(&head, head.len() == SNIFF_LEN, hints))
}

/// Sniffs a file head; `truncated` says the head is not the whole file (its last record may be cut).
pub fn sniff(head: &[u8], truncated: bool, hints: ShapeHints) -> Sample {
    let has_header = hints.has_header;
    let (encoding, bom_len) = super::text::sniff_encoding_bom(head);
    let text = super::text::decode_head(head);
    let delimiter = hints
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(&text, truncated, encoding));
    let mut records = parse_sample(&text, delimiter, truncated);
    let first_is_header = has_header.unwrap_or_else(|| {
        records
            .first()
            .is_some_and(|r| !r.iter().any(|c| looks_like_address(c)))
    });
    let header = if first_is_header && !records.is_empty() {
        Some(records.remove(0))
    } else {
        None
    };
    let layout = Layout {
        encoding,
        bom: head.get(..bom_len).unwrap_or_default().to_vec(),
        delimiter,
        has_header: header.is_some(),
        line_ending: sniff_line_ending(&text),
    };
    Sample {
        layout,
        header,
        rows: records,
    }
}

fn parse_sample(text: &str, delimiter: u8, truncated: bool) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut rec = ByteRecord::new();
    while out.len() <= SAMPLE_ROWS && matches!(rdr.read_byte_record(&mut rec), Ok(true)) {
        out.push(
            rec.iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
        );
    }
    if truncated && out.len() <= SAMPLE_ROWS {
        out.pop();
    }
    out.truncate(SAMPLE_ROWS);
    out
}

/// Picks the delimiter that splits the sample into the most consistent number of fields (more than one).
fn sniff_delimiter(text: &str, truncated: bool, enc: TextEncoding) -> u8 {
    let candidates: &[u8] = if enc.is_utf16() { b"\t,;|" } else { b",;\t|" };
    let mut best = (0u64, candidates[0]);
    for &d in candidates {
        let rows = parse_sample(text, d, truncated);
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        // Rows this delimiter does not split say nothing for it (ragged lists, one-cell lines).
        for r in rows.iter().filter(|r| r.len() > 1) {
            *counts.entry(r.len()).or_default() += 1;
        }
        let Some((&mode, &n)) = counts.iter().max_by_key(|(len, n)| (**n, **len)) else {
            continue;
        };
        // Consistency first, then more fields.
        let score = (n as u64 * 1000 / rows.len().max(1) as u64) * 1000 + mode.min(999) as u64;
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

fn sniff_line_ending(text: &str) -> String {
    // The first line ending outside quotes.
    let mut in_quotes = false;
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'"' => in_quotes = !in_quotes,
            b'\r' if !in_quotes => {
                return if b.get(i + 1) == Some(&b'\n') {
                    "\r\n".into()
                } else {
                    "\r".into()
                }
            }
            b'\n' if !in_quotes => return "\n".into(),
            _ => {}
        }
    }
    "\r\n".into()
}

/// An email address or a phone number: what makes a row a data row, not a header.
pub fn looks_like_address(cell: &str) -> bool {
    looks_like_email(cell) || looks_like_phone(cell)
}

pub fn looks_like_email(cell: &str) -> bool {
    let c = cell.trim();
    match c.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !c.contains(char::is_whitespace)
        }
        None => false,
    }
}

pub fn looks_like_phone(cell: &str) -> bool {
    let c = cell.trim();
    if c.is_empty()
        || !c
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-().".contains(ch))
    {
        return false;
    }
    let digits = c.chars().filter(|ch| ch.is_ascii_digit()).count();
    (7..=15).contains(&digits)
}

/// Bytes the CSV reader consumed, kept until the cleaner has copied them out.
#[derive(Default)]
struct Window {
    /// Stream offset of `bytes[0]`.
    base: u64,
    bytes: Vec<u8>,
    total: u64,
}

impl Window {
    fn byte_at(&self, pos: u64) -> Option<u8> {
        pos.checked_sub(self.base)
            .and_then(|i| self.bytes.get(i as usize).copied())
    }

    fn slice(&self, from: u64, to: u64) -> &[u8] {
        let a = from.saturating_sub(self.base) as usize;
        let b = to.saturating_sub(self.base) as usize;
        self.bytes
            .get(a..b.min(self.bytes.len()))
            .unwrap_or_default()
    }

    /// Forgets bytes before `pos`, in large steps so the cost stays linear.
    fn release_before(&mut self, pos: u64) {
        let n = pos.saturating_sub(self.base) as usize;
        if n >= 1 << 20 && n <= self.bytes.len() {
            self.bytes.drain(..n);
            self.base = pos;
        }
    }
}

/// Copies everything read into the shared window.
struct Tee<R> {
    inner: R,
    win: Rc<RefCell<Window>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut w = self.win.borrow_mut();
        w.bytes.extend_from_slice(buf.get(..n).unwrap_or_default());
        w.total += n as u64;
        Ok(n)
    }
}

/// One data row: its fields and its original bytes (parse-stream encoding,
/// including its line ending and any blank lines before it).
pub struct Row<'a> {
    /// 1-based data row number (the header is not counted).
    pub number: u64,
    pub fields: &'a ByteRecord,
    pub raw: &'a [u8],
}

/// Streams a contact list record by record. The CSV reader reports where each
/// record starts; a record's bytes run to where the next one starts, so the spans
/// cover the file exactly and kept rows can be copied back unchanged.
pub struct ContactReader {
    csv: csv::Reader<Tee<Box<dyn Read>>>,
    win: Rc<RefCell<Window>>,
    layout: Layout,
    cur: ByteRecord,
    next: ByteRecord,
    next_ok: bool,
    cur_start: u64,
    raw: Vec<u8>,
    header: Option<ByteRecord>,
    header_raw: Vec<u8>,
    rows: u64,
    path: String,
}

impl ContactReader {
    pub fn open(path: &Path, layout: &Layout) -> Result<ContactReader> {
        let mut f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
        let mut bom = vec![0u8; layout.bom.len()];
        f.read_exact(&mut bom).map_err(|e| Error::read(path, e))?;
        let inner: Box<dyn Read> = match layout.encoding {
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let enc = if layout.encoding == TextEncoding::Utf16Le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .encoding(Some(enc))
                        .bom_sniffing(false)
                        .build(std::io::BufReader::with_capacity(256 * 1024, f)),
                )
            }
            _ => Box::new(f),
        };
        let win = Rc::new(RefCell::new(Window::default()));
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(layout.delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(Tee {
                inner,
                win: win.clone(),
            });
        let mut r = ContactReader {
            csv,
            win,
            layout: layout.clone(),
            cur: ByteRecord::new(),
            next: ByteRecord::new(),
            next_ok: false,
            cur_start: 0,
            raw: Vec::new(),
            header: None,
            header_raw: Vec::new(),
            rows: 0,
            path: path.display().to_string(),
        };
        r.advance()?;
        if layout.has_header && r.next_ok {
            r.step()?;
            r.header = Some(r.cur.clone());
            r.header_raw = r.raw.clone();
        }
        Ok(r)
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn header(&self) -> Option<&ByteRecord> {
        self.header.as_ref()
    }

    /// The header line's original bytes (parse-stream encoding), empty without a header.
    pub fn header_raw(&self) -> &[u8] {
        &self.header_raw
    }

    /// Reads the next data row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        if !self.next_ok {
            return Ok(None);
        }
        self.step()?;
        self.rows += 1;
        Ok(Some(Row {
            number: self.rows,
            fields: &self.cur,
            raw: &self.raw,
        }))
    }

    /// Makes the look-ahead record current and copies its bytes out.
    fn step(&mut self) -> Result<()> {
        std::mem::swap(&mut self.cur, &mut self.next);
        self.advance()?;
        let end = if self.next_ok {
            self.boundary(self.next.position().map(|p| p.byte()).unwrap_or(0))
        } else {
            self.win.borrow().total
        };
        let mut w = self.win.borrow_mut();
        self.raw.clear();
        self.raw.extend_from_slice(w.slice(self.cur_start, end));
        self.cur_start = end;
        w.release_before(end);
        Ok(())
    }

    /// The CSV reader ends a record at the CR of a CRLF and counts the LF into the
    /// next record; the line ending belongs with the line it ends.
    fn boundary(&self, next_start: u64) -> u64 {
        let w = self.win.borrow();
        let after_cr = next_start > 0 && w.byte_at(next_start - 1) == Some(b'\r');
        if after_cr && w.byte_at(next_start) == Some(b'\n') {
            next_start + 1
        } else {
            next_start
        }
    }

    fn advance(&mut self) -> Result<()> {
        self.next_ok = self
            .csv
            .read_byte_record(&mut self.next)
            .map_err(|e| Error::BadInput {
                path: self.path.clone(),
                message: format!("cannot read the list: {e}"),
            })?;
        Ok(())
    }
}

/// UTF-16 code units that cannot be decoded (lone surrogates, an odd last byte).
/// The reader turns each into U+FFFD, so rows holding one are not copied back
/// byte for byte; the cleaner says so. Zero for other encodings.
pub fn undecodable_utf16_units(path: &Path, layout: &Layout) -> Result<u64> {
    let le = match layout.encoding {
        TextEncoding::Utf16Le => true,
        TextEncoding::Utf16Be => false,
        _ => return Ok(0),
    };
    let f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut r = std::io::BufReader::with_capacity(256 * 1024, f);
    let mut skip = vec![0u8; layout.bom.len()];
    r.read_exact(&mut skip).map_err(|e| Error::read(path, e))?;
    let mut bytes = r.bytes();
    let (mut bad, mut pending_high) = (0u64, false);
    while let Some(a) = bytes.next() {
        let a = a.map_err(|e| Error::read(path, e))?;
        let Some(b) = bytes.next() else {
            bad += 1; // odd last byte
            break;
        };
        let b = b.map_err(|e| Error::read(path, e))?;
        let unit = if le {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low = (0xDC00..0xE000).contains(&unit);
        if pending_high && !low {
            bad += 1;
        }
        if low && !pending_high {
            bad += 1;
        }
        pending_high = high;
    }
    Ok(bad + u64::from(pending_high))
}

/// The record's content without the line endings (and blank lines) around it.
pub fn strip_line_endings(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|b| *b != b'\r' && *b != b'\n')
        .map(|i| i + 1)
        .unwrap_or(start);
    raw.get(start..end.max(start)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn round_trip(bytes: &[u8]) -> (Vec<u8>, u64) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.csv");
        std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
        let s = sniff_file(&p, ShapeHints::default()).unwrap();
        let mut r = ContactReader::open(&p, &s.layout).unwrap();
        let mut parse = r.header_raw().to_vec();
        let mut n = 0;
        while let Some(row) = r.next_row().unwrap() {
            parse.extend_from_slice(row.raw);
            n += 1;
        }
        let mut out = s.layout.bom.clone();
        s.layout.encoding.to_output(&parse, &mut out);
        (out, n)
    }

    #[test]
    fn spans_cover_the_file_exactly() {
        for input in [
            &b"email,name\r\na@example.com,A\r\n\r\nb@example.com,\"x\r\ny\"\r\n"[..],
            b"email\na@example.com\nb@example.com",
            b"\xEF\xBB\xBFemail;name\r\na@example.com;\"Smith; Jr.\"\r\n",
            b"email\ra@example.com\rb@example.com\r",
            b"",
        ] {
            let (out, _) = round_trip(input);
            assert_eq!(out, input, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn utf16_round_trips_and_is_tab_separated() {
        let text = "Email\tName\r\nana@example.com\tAñá\r\nbob@example.org\t\"x\ty\"\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let s = sniff(&bytes, false, ShapeHints::default());
        assert_eq!(s.layout.encoding, TextEncoding::Utf16Le);
        assert_eq!(s.layout.delimiter, b'\t');
        assert!(s.layout.has_header);
        let (out, n) = round_trip(&bytes);
        assert_eq!(n, 2);
        assert_eq!(out, bytes);
    }

    #[test]
    fn sniffs_semicolons_and_windows_1252_and_headerless_lists() {
        let s = sniff(
            b"Correo;Nombre\r\nana@example.com;Jos\xe9\r\n",
            false,
            ShapeHints::default(),
        );
        assert_eq!(
            (s.layout.encoding, s.layout.delimiter, s.layout.has_header),
            (TextEncoding::Windows1252, b';', true)
        );
        let s = sniff(
            b"ana@example.com,Ana\nbob@example.org,Bob\n",
            false,
            ShapeHints::default(),
        );
        assert!(!s.layout.has_header);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.layout.line_ending, "\n");
    }

    #[test]
    fn counts_broken_utf16() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("u.txt");
        // "a", lone high surrogate, "b", a valid pair (😀), then a lone low surrogate and an odd byte.
        let units: [u16; 6] = [0x61, 0xD800, 0x62, 0xD83D, 0xDE00, 0xDC00];
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        bytes.push(0x41);
        std::fs::write(&p, &bytes).unwrap();
        let s = sniff_file(&p, ShapeHints::default()).unwrap();
        assert_eq!(undecodable_utf16_units(&p, &s.layout).unwrap(), 3);
        let (out, _) = round_trip(&bytes);
        assert_ne!(
            out, bytes,
            "a broken file cannot round-trip; the cleaner warns instead"
        );
    }

    #[test]
    fn strips_only_the_line_endings() {
        assert_eq!(
            strip_line_endings(b"\r\n\r\na,\"b\r\n\"\r\n"),
            b"a,\"b\r\n\""
        );
        assert_eq!(strip_line_endings(b"\r\n"), b"");
    }
}
