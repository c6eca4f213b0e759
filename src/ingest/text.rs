//! Text decoding shared by CSV readers: BOMs, UTF-16 (Excel "Unicode text"),
//! Windows-1252, delimiter sniffing, and a CSV reader that survives what
//! spreadsheets produce (quoted newlines, ragged rows, duplicate header names).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::collections::HashMap;
use std::io::Read;

/// What the first bytes say about a file's encoding (shared by provider reports and contact lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Guesses the encoding from a file's head: BOM first, then the NUL pattern of
/// BOM-less UTF-16, then UTF-8 validity; anything else is taken as Windows-1252
/// (what Excel writes for "CSV" on western Windows).
pub fn sniff_encoding(head: &[u8]) -> TextEncoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    let sample = &head[..head.len().min(512)];
    if sample.len() >= 4 {
        let even_nul = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_nul = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let half = sample.len() / 2;
        if odd_nul * 10 > half * 7 && even_nul * 10 < half {
            return TextEncoding::Utf16Le;
        }
        if even_nul * 10 > half * 7 && odd_nul * 10 < half {
            return TextEncoding::Utf16Be;
        }
    }
    if valid_utf8_prefix(head) {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    }
}

/// The encoding and the length of the byte-order mark that announced it (0 without one).
pub fn sniff_encoding_bom(head: &[u8]) -> (TextEncoding, usize) {
    let enc = sniff_encoding(head);
    let bom = match enc {
        TextEncoding::Utf8Bom => 3,
        TextEncoding::Utf16Le if head.starts_with(&[0xFF, 0xFE]) => 2,
        TextEncoding::Utf16Be if head.starts_with(&[0xFE, 0xFF]) => 2,
        _ => 0,
    };
    (enc, bom)
}

/// UTF-8 validity that forgives a character cut in half at the end of the head.
fn valid_utf8_prefix(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && b.len() - e.valid_up_to() < 4,
    }
}

fn encoding_of(enc: TextEncoding) -> Option<&'static Encoding> {
    match enc {
        TextEncoding::Utf16Le => Some(UTF_16LE),
        TextEncoding::Utf16Be => Some(UTF_16BE),
        TextEncoding::Windows1252 => Some(WINDOWS_1252),
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
    }
}

/// Wraps a byte stream so it yields UTF-8 without BOM, streaming (no whole-file buffer).
/// UTF-8 passes through untouched; invalid bytes later in the file are the CSV
/// reader's business (see [`record_to_strings`]).
pub fn decode_reader<'a>(enc: TextEncoding, r: impl Read + 'a) -> Box<dyn Read + 'a> {
    match enc {
        TextEncoding::Utf8 => Box::new(r),
        TextEncoding::Utf8Bom => Box::new(
            DecodeReaderBytesBuilder::new()
                .utf8_passthru(true)
                .strip_bom(true)
                .build(r),
        ),
        other => Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(encoding_of(other))
                .bom_override(true)
                .strip_bom(true)
                .build(r),
        ),
    }
}

/// The head decoded to text for detection (lossy; a cut last character is dropped).
pub fn decode_head(head: &[u8]) -> String {
    let (enc, bom) = sniff_encoding_bom(head);
    let body = head.get(bom..).unwrap_or_default();
    match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(e) => String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned(),
        },
        other => {
            let enc = encoding_of(other).unwrap_or(WINDOWS_1252);
            let even = &body[..body.len() - body.len() % 2];
            let bytes = if matches!(other, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
                even
            } else {
                body
            };
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
    }
}

/// Picks `,` `;` or tab by counting them outside quotes in the first lines.
/// Ties go to the comma; a file with none of them is read as comma-separated.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            '\n' if !in_quotes => {
                lines += 1;
                if lines >= 20 {
                    break;
                }
            }
            _ => {}
        }
    }
    let delims = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    delims[best]
}

/// The header line of a decoded head, split with the sniffed delimiter (title
/// lines above it skipped, see [`header_offset`]).
pub fn head_header(text: &str) -> Option<(Vec<String>, u8)> {
    let delim = sniff_delimiter(text);
    let skip = header_offset(text, delim);
    let mut rdr = csv_builder(delim).from_reader(text.as_bytes());
    let rec = rdr
        .byte_records()
        .flatten()
        .filter(|r| r.iter().any(|f| !f.is_empty()))
        .nth(skip)?;
    let names: Vec<String> = rec
        .iter()
        .map(|f| clean_header(&String::from_utf8_lossy(f)))
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return None;
    }
    Some((names, delim))
}

/// How many non-blank records precede the header: UI exports sometimes start with
/// a title or a "Report generated…" line that has one cell where the table has many.
pub fn header_offset(text: &str, delim: u8) -> usize {
    let mut rdr = csv_builder(delim).from_reader(text.as_bytes());
    let widths: Vec<usize> = rdr
        .byte_records()
        .take(30)
        .flatten()
        .map(|r| {
            r.iter()
                .filter(|f| !f.iter().all(u8::is_ascii_whitespace))
                .count()
        })
        .filter(|w| *w > 0)
        .collect();
    let widest = widths.iter().copied().max().unwrap_or(0);
    if widest < 2 {
        return 0;
    }
    widths
        .iter()
        .position(|w| *w >= 2 && *w * 2 > widest)
        .unwrap_or(0)
        .min(5)
}

/// A CSV reader configured for spreadsheet exports: ragged rows allowed, quotes
/// with doubled `""`, CRLF or LF, and the header read by us (duplicates allowed).
pub fn csv_builder(delim: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .quoting(true);
    b
}

/// Trims spaces, a stray BOM and surrounding quotes from a header cell.
pub fn clean_header(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .trim()
        .trim_matches('"')
        .trim()
        .to_string()
}

/// Header names with case-insensitive lookup; duplicate names keep every index.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub names: Vec<String>,
    index: HashMap<String, Vec<usize>>,
    /// The same index as a list: for a report's dozen columns a scan of short names
    /// beats hashing the name on every cell read of a million rows.
    keys: Vec<(String, Vec<usize>)>,
}

impl Header {
    pub fn new(names: Vec<String>) -> Header {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(n.to_lowercase()).or_default().push(i);
        }
        let keys = index.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Header { names, index, keys }
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(&name.to_lowercase())
    }

    /// The value of column `name` (any case) in `rec`: the last non-empty copy.
    pub fn value<'r>(&self, name: &str, rec: &'r [String]) -> Option<&'r str> {
        let ix = if name.is_ascii() {
            // ASCII lowercasing is what to_lowercase does to an ASCII name, without the String.
            let same = |k: &str| {
                k.len() == name.len()
                    && k.bytes().zip(name.bytes()).all(|(a, b)| a == b.to_ascii_lowercase())
            };
            &self.keys.iter().find(|(k, _)| same(k))?.1
        } else if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.index.get(&name.to_lowercase())?
        } else {
            self.index.get(name)?
        };
        ix.iter()
            .rev()
            .filter_map(|i| rec.get(*i))
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// The column(s) called `name` (any case), or the first of several aliases.
    pub fn col(&self, aliases: &[&str]) -> Col {
        for a in aliases {
            if let Some(ix) = self.index.get(&a.to_lowercase()) {
                return Col(ix.clone());
            }
        }
        Col(Vec::new())
    }
}

/// Where one logical column lives; several indexes when the header repeats a name.
#[derive(Debug, Clone, Default)]
pub struct Col(pub Vec<usize>);

impl Col {
    pub fn found(&self) -> bool {
        !self.0.is_empty()
    }

    /// The last non-empty trimmed value among the column's copies (Mailchimp
    /// exports have repeated `UNSUB_REASON` columns).
    pub fn get<'r>(&self, rec: &'r [String]) -> Option<&'r str> {
        self.0
            .iter()
            .rev()
            .filter_map(|i| rec.get(*i))
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

/// A CSV record as owned strings; fields that are not UTF-8 are read as Windows-1252,
/// so one odd byte never loses a row.
pub fn record_to_strings(rec: &csv::ByteRecord, out: &mut Vec<String>) {
    // Reuses the row's String buffers: no allocation per cell once the first rows are read.
    out.truncate(rec.len());
    for (i, f) in rec.iter().enumerate() {
        if i == out.len() {
            out.push(String::new());
        }
        let cell = &mut out[i];
        cell.clear();
        match std::str::from_utf8(f) {
            Ok(s) => cell.push_str(s),
            Err(_) => cell.push_str(&WINDOWS_1252.decode_without_bom_handling(f).0),
        }
    }
}

/// True when every field is empty (blank lines, trailing `,,,` rows).
pub fn is_blank(rec: &[String]) -> bool {
    rec.iter().all(|f| f.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_utf16_without_bom() {
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFa,b"), TextEncoding::Utf8Bom);
        assert_eq!(sniff_encoding(b"\xFF\xFEa\0b\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding(b"e\0m\0a\0i\0l\0,\0"), TextEncoding::Utf16Le);
        assert_eq!(sniff_encoding(b"\0e\0m\0a\0i\0l"), TextEncoding::Utf16Be);
        assert_eq!(sniff_encoding("caf\u{e9}".as_bytes()), TextEncoding::Utf8);
        assert_eq!(sniff_encoding(b"caf\xE9,x"), TextEncoding::Windows1252);
        // A UTF-8 character cut by the head boundary is still UTF-8.
        assert_eq!(
            sniff_encoding(&"caf\u{e9}".as_bytes()[..4]),
            TextEncoding::Utf8
        );
    }

    #[test]
    fn bom_lengths_for_contact_lists_and_reports_alike() {
        assert_eq!(sniff_encoding_bom(b"\xEF\xBB\xBFa,b"), (TextEncoding::Utf8Bom, 3));
        assert_eq!(sniff_encoding_bom(b"\xFF\xFEa\0b\0"), (TextEncoding::Utf16Le, 2));
        assert_eq!(sniff_encoding_bom(b"\xFE\xFF\0a\0b"), (TextEncoding::Utf16Be, 2));
        assert_eq!(sniff_encoding_bom(b"e\0m\0a\0i\0l\0,\0"), (TextEncoding::Utf16Le, 0));
        assert_eq!(sniff_encoding_bom(b"caf\xE9,x"), (TextEncoding::Windows1252, 0));
        assert_eq!(sniff_encoding_bom(b""), (TextEncoding::Utf8, 0));
    }

    #[test]
    fn decodes_streams_to_utf8() {
        let mut s = String::new();
        decode_reader(TextEncoding::Windows1252, &b"Jos\xE9"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "Jos\u{e9}");
        let mut s = String::new();
        decode_reader(TextEncoding::Utf16Le, &b"\xFF\xFEh\0i\0"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "hi");
        let mut s = String::new();
        decode_reader(TextEncoding::Utf8Bom, &b"\xEF\xBB\xBFok"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "ok");
        assert_eq!(decode_head(b"\xFF\xFEh\0i\0x"), "hi");
    }

    #[test]
    fn delimiter_ignores_quoted_commas() {
        assert_eq!(sniff_delimiter("a;b;c\n\"x,y,z\";2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\n"), b',');
        assert_eq!(sniff_delimiter("email\n"), b',');
    }

    #[test]
    fn title_lines_above_the_header_are_skipped() {
        let t = "Bounce report for March\nGenerated 2024-04-01\n\nEmail,Status,Reason\na@example.com,hard,x\n";
        assert_eq!(header_offset(t, b','), 2);
        assert_eq!(head_header(t).unwrap().0, vec!["Email", "Status", "Reason"]);
        assert_eq!(header_offset("a,b\n1,2\n", b','), 0);
    }

    #[test]
    fn duplicate_headers_take_last_non_empty() {
        let h = Header::new(vec!["Email".into(), "R".into(), "r".into()]);
        let rec = vec!["a@x".to_string(), "first".to_string(), " ".to_string()];
        assert_eq!(h.col(&["r"]).get(&rec), Some("first"));
        let rec = vec!["a@x".to_string(), "first".to_string(), "second".to_string()];
        assert_eq!(h.col(&["R"]).get(&rec), Some("second"));
        assert!(!h.col(&["missing"]).found());
        assert_eq!(h.col(&["email"]).get(&["x".to_string()][..0]), None);
    }
}
