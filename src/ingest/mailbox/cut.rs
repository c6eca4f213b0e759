//! The returned original message's body is never read (only its headers link a
//! bounce to its campaign), yet decoding it (quoted-printable HTML newsletters,
//! images) was the largest part of mail-parser's work on a typical bounce. When the
//! original is the last part of the top-level multipart, the message is parsed
//! only up to the end of the original's header block: a prefix of the raw bytes,
//! so nothing is copied. Everything before it parses exactly as in the whole
//! message; the rare readers that need the original's body (a bounce forwarding
//! another bounce, Trend Micro's attached transcript) parse the whole message.

use memchr::memmem;

/// Messages smaller than this are parsed whole: finding the cut costs about as
/// much as parsing a few hundred bytes, and a small bounce has little to cut
/// (on the developer corpus the originals average 300 bytes of body).
pub(crate) const WORTH_IT: usize = 16 * 1024;

/// The length of the prefix to parse and the top-level boundary it assumed (the
/// caller checks it against mail-parser's reading), or `None` to parse the whole message.
pub(crate) fn parse_len(raw: &[u8]) -> Option<(usize, Vec<u8>)> {
    let top_end = header_end(raw, 0)?;
    let boundary = boundary(raw.get(..top_end)?)?;
    let mut delim = Vec::with_capacity(boundary.len() + 2);
    delim.extend_from_slice(b"--");
    delim.extend_from_slice(&boundary);
    // Every occurrence of `--boundary` after the headers, as mail-parser finds them
    // (anywhere, not only at line starts).
    let body = raw.get(top_end..)?;
    let hits: Vec<usize> = memmem::find_iter(body, &delim).map(|p| p + top_end).collect();
    let (&close, rest) = hits.split_last()?;
    let &last_open = rest.last()?;
    let closes = |p: usize| raw.get(p + delim.len()..p + delim.len() + 2) == Some(b"--");
    // The last delimiter must be the first closing one, and each must start a line.
    if !closes(close) || rest.iter().any(|&p| closes(p)) || !hits.iter().all(|&p| line_start(raw, p)) {
        return None;
    }
    // The last part: its delimiter line holds nothing else.
    let part_start = line_end(raw, last_open + delim.len())?;
    if raw.get(last_open + delim.len()..part_start).is_some_and(|pad| !pad.iter().all(u8::is_ascii_whitespace)) {
        return None;
    }
    let part_head_end = header_end(raw, part_start).filter(|&e| e < close)?;
    if !is_plain_message_part(raw.get(part_start..part_head_end)?) {
        return None;
    }
    // The original's own header block; its first line must be a header.
    if raw.get(part_head_end..).is_none_or(|r| r.starts_with(b"\n") || r.starts_with(b"\r\n")) {
        return None;
    }
    let nested_end = header_end(raw, part_head_end).filter(|&e| e < close)?;
    Some((nested_end, boundary))
}

/// True when `p` is at the start of a line.
pub(super) fn line_start(raw: &[u8], p: usize) -> bool {
    p == 0 || raw.get(p - 1) == Some(&b'\n')
}

/// The position after the line end at or after `from`.
pub(super) fn line_end(raw: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\n', raw.get(from..)?).map(|i| from + i + 1)
}

/// The position just after the blank line that ends the header block starting at `from`.
pub(super) fn header_end(raw: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let next = line_end(raw, at)?;
        let line = raw.get(at..next)?;
        if line == b"\n" || line == b"\r\n" {
            return Some(next);
        }
        at = next;
    }
}

/// The values of the fields named `name` (lowercase, with the colon) in a header
/// block, continuation lines joined; only those fields are copied. Lines are
/// found with memchr and compared only when their first byte fits: this runs on
/// every message, so it must cost far less than the parsing it saves.
pub(super) fn field_values(block: &[u8], name: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let Some(&first) = name.first() else { return out };
    let mut in_field = false;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', block).chain(std::iter::once(block.len()));
    for end in ends {
        let line = block.get(start..end).unwrap_or_default();
        start = end + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match line.first() {
            Some(b' ' | b'\t') => {
                if let (true, Some(v)) = (in_field, out.last_mut()) {
                    v.push(b' ');
                    v.extend_from_slice(line);
                }
                continue;
            }
            Some(c) if c.eq_ignore_ascii_case(&first) => {}
            _ => {
                in_field = false;
                continue;
            }
        }
        in_field = line.get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name));
        if in_field {
            out.push(line.get(name.len()..).unwrap_or_default().to_vec());
        }
    }
    out
}

/// The one Content-Type field of a header block.
pub(super) fn content_type(block: &[u8]) -> Option<Vec<u8>> {
    let mut cts = field_values(block, b"content-type:").into_iter();
    let v = cts.next()?;
    cts.next().is_none().then_some(v)
}

/// The top-level multipart boundary, when it is written plainly (`boundary=x` or
/// `boundary="x"`). The parse checks it against mail-parser's reading.
pub(super) fn boundary(headers: &[u8]) -> Option<Vec<u8>> {
    let ct = content_type(headers)?;
    let lower = ct.to_ascii_lowercase();
    if !lower.trim_ascii_start().starts_with(b"multipart/") || memmem::find(&lower, b"boundary*").is_some() {
        return None;
    }
    let at = memmem::find(&lower, b"boundary=")? + b"boundary=".len();
    let v = ct.get(at..)?;
    let b = match v.strip_prefix(b"\"") {
        Some(q) => q.get(..memchr::memchr(b'"', q)?)?,
        None => {
            let end = v.iter().position(|&c| c == b';' || c.is_ascii_whitespace()).unwrap_or(v.len());
            v.get(..end)?
        }
    };
    (!b.is_empty() && !b.contains(&b'\\')).then(|| b.to_vec())
}

/// A `message/rfc822` or `message/global` part without a transfer encoding:
/// mail-parser reads those as a nested message in place.
fn is_plain_message_part(block: &[u8]) -> bool {
    let Some(ct) = content_type(block) else { return false };
    let ct = ct.to_ascii_lowercase();
    let t = ct.trim_ascii();
    let message = t.starts_with(b"message/rfc822") || t.starts_with(b"message/global");
    let encoded = field_values(block, b"content-transfer-encoding:").iter().any(|v| {
        let v = v.to_ascii_lowercase();
        !matches!(v.trim_ascii(), b"7bit" | b"8bit" | b"binary")
    });
    message && !encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNCE: &str = "From: MAILER-DAEMON@mx.example\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"B1\"\n\n--B1\nContent-Type: text/plain\n\nUser unknown\n--B1\nContent-Type: message/rfc822\n\nFrom: news@shop.example\nSubject: Sale\n\nBody of the newsletter\n--B1--\n";

    #[test]
    fn stops_after_the_original_headers() {
        let (n, b) = parse_len(BOUNCE.as_bytes()).unwrap();
        assert!(BOUNCE[..n].ends_with("Subject: Sale\n\n"), "{:?}", &BOUNCE[..n]);
        assert_eq!(b, b"B1");
        let crlf = BOUNCE.replace('\n', "\r\n");
        let (n, _) = parse_len(crlf.as_bytes()).unwrap();
        assert!(crlf[..n].ends_with("Subject: Sale\r\n\r\n"));
    }

    #[test]
    fn whole_message_when_the_original_is_not_last_or_encoded_or_odd() {
        let not_last = BOUNCE.replace("--B1--\n", "--B1\nContent-Type: text/plain\n\nx\n--B1--\n");
        assert_eq!(parse_len(not_last.as_bytes()), None);
        let encoded = BOUNCE.replace("message/rfc822\n", "message/rfc822\nContent-Transfer-Encoding: base64\n");
        assert_eq!(parse_len(encoded.as_bytes()), None);
        let mid_line = BOUNCE.replace("Body of the", "Body --B1 of the");
        assert_eq!(parse_len(mid_line.as_bytes()), None);
        let unclosed = BOUNCE.replace("--B1--\n", "");
        assert_eq!(parse_len(unclosed.as_bytes()), None);
        let headers_only = BOUNCE.replace("rfc822\n\nFrom", "rfc822\n\n\nFrom");
        assert_eq!(parse_len(headers_only.as_bytes()), None);
        assert_eq!(parse_len(b"From: a@b.example\n\nplain text\n"), None);
        assert_eq!(parse_len(b""), None);
    }
}
