//! The parts of a bounce no reader looks at (the returned original's body, images
//! and other attachments, the HTML alternative of a text report) were still decoded
//! by mail-parser: quoted-printable, base64 and charset decoding of them was a large
//! share of the parse. `skim` walks the MIME structure with memchr/memmem and hands
//! mail-parser a copy of the message with those bodies removed; every header, and
//! every part a reader uses, keeps its bytes. Anything it does not fully understand
//! (a boundary not at a line start, a missing closing delimiter, two Content-Type
//! fields…) makes it give up, and the message is parsed whole as before.

use super::cut::{boundary, content_type, field_values, header_end, line_end, line_start};
use memchr::memmem;

/// Smaller messages are parsed whole: on the developer corpus the walk (about 20k
/// instructions) cost more than it saved below this size, where a bounce's unread
/// parts are a few hundred bytes.
pub(crate) const WORTH_IT: usize = 6 * 1024;

/// Above this size a copy is made only when it drops at least a quarter of the message.
const BIG: usize = 1 << 20;

/// Returned messages whose body is dropped, at most: each drop searches the rest of
/// the message for the original's own boundary, so many of them would cost n².
const MAX_ORIGINALS: usize = 4;

/// What the walk found: byte ranges that no reader uses, and HTML bodies that are
/// unused only when a text part says something.
#[derive(Default)]
struct Found {
    drop: Vec<(usize, usize)>,
    html: Vec<(usize, usize)>,
    has_plain_text: bool,
    originals: usize,
}

/// A copy of `raw` without the unread part bodies, or `None` when there is nothing
/// to drop or the structure is not plain enough to be sure. The second value is the
/// top-level boundary, for the caller to check against mail-parser's reading.
pub(crate) fn skim(raw: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let top_end = header_end(raw, 0)?;
    let b = boundary(raw.get(..top_end)?)?;
    let mut found = Found::default();
    walk(raw, top_end, raw.len(), &b, &mut found, 0)?;
    let mut ranges = found.drop;
    if found.has_plain_text {
        ranges.extend(found.html);
    }
    ranges.retain(|(s, e)| s < e);
    let dropped: usize = ranges.iter().map(|(s, e)| e - s).sum();
    // A big message whose kept parts are most of it gains little, and the copy would
    // nearly double the memory it takes.
    if ranges.is_empty() || (raw.len() > BIG && dropped < raw.len() / 4) {
        return None;
    }
    ranges.sort_unstable();
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    for (s, e) in ranges {
        if s < at {
            return None;
        }
        out.extend_from_slice(raw.get(at..s)?);
        at = e;
    }
    out.extend_from_slice(raw.get(at..)?);
    Some((out, b))
}

/// Real bounces nest multiparts two or three deep; deeper ones are parsed whole.
const MAX_DEPTH: usize = 8;

/// One multipart body `raw[from..to]` with boundary `b`.
fn walk(raw: &[u8], from: usize, to: usize, b: &[u8], found: &mut Found, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut delim = Vec::with_capacity(b.len() + 2);
    delim.extend_from_slice(b"--");
    delim.extend_from_slice(b);
    let region = raw.get(from..to)?;
    let hits: Vec<usize> = memmem::find_iter(region, &delim).map(|p| p + from).collect();
    let (&close, opens) = hits.split_last()?;
    let closes = |p: usize| raw.get(p + delim.len()..p + delim.len() + 2) == Some(b"--");
    if opens.is_empty() || !closes(close) || opens.iter().any(|&p| closes(p)) || !hits.iter().all(|&p| line_start(raw, p)) {
        return None;
    }
    for (i, &open) in opens.iter().enumerate() {
        let next = *hits.get(i + 1)?;
        let start = line_end(raw, open + delim.len())?;
        // The delimiter line holds nothing else (mail-parser skips blanks and CR only).
        if start > next || !raw.get(open + delim.len()..start - 1)?.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
            return None;
        }
        // The part ends before the line break that belongs to the next delimiter.
        let end = if raw.get(next.checked_sub(2)?) == Some(&b'\r') { next - 2 } else { next - 1 };
        part(raw, start, end.max(start), found, depth)?;
    }
    Some(())
}

/// One part `raw[start..end]`.
fn part(raw: &[u8], start: usize, end: usize, found: &mut Found, depth: usize) -> Option<()> {
    if raw.get(start..)?.starts_with(b"\n") || raw.get(start..)?.starts_with(b"\r\n") {
        return Some(()); // no header fields: default type, left alone
    }
    let Some(body) = header_end(raw, start).filter(|&e| e <= end) else { return Some(()) };
    let block = raw.get(start..body)?;
    let Some(ct) = content_type(block) else { return Some(()) };
    let ctes = field_values(block, b"content-transfer-encoding:");
    if ctes.len() > 1 {
        return Some(());
    }
    let cte = ctes.first().map(|v| v.trim_ascii().to_ascii_lowercase()).unwrap_or_default();
    let lower = ct.to_ascii_lowercase();
    let Some((ty, sub)) = mime_type(&lower) else { return Some(()) };
    match ty {
        b"multipart" => {
            if !cte.is_empty() && !matches!(cte.as_slice(), b"7bit" | b"8bit" | b"binary") {
                return None;
            }
            let b = boundary(block)?;
            walk(raw, body, end, &b, found, depth + 1)
        }
        b"message" if matches!(sub, b"rfc822" | b"global") => {
            if matches!(cte.as_slice(), b"" | b"7bit" | b"8bit" | b"binary") && found.originals < MAX_ORIGINALS {
                found.originals += 1;
                drop_original_body(raw, body, end, found);
            }
            Some(())
        }
        b"image" | b"audio" | b"video" | b"application" => {
            found.drop.push((body, end));
            Some(())
        }
        b"text" if sub == b"html" => {
            found.html.push((body, end));
            Some(())
        }
        b"text" if sub == b"plain" => {
            found.has_plain_text |= says_something(&lower, &cte, raw.get(body..end)?);
            Some(())
        }
        _ => Some(()),
    }
}

/// A returned message: only its header block is read (campaign, Message-ID…).
fn drop_original_body(raw: &[u8], start: usize, end: usize, found: &mut Found) {
    let rest = raw.get(start..).unwrap_or_default();
    if rest.starts_with(b"\n") || rest.starts_with(b"\r\n") {
        return;
    }
    let Some(nested_end) = header_end(raw, start).filter(|&e| e < end) else { return };
    let block = raw.get(start..nested_end).unwrap_or_default();
    let cts = field_values(block, b"content-type:");
    let multipart = cts.iter().any(|v| memmem::find(&v.to_ascii_lowercase(), b"multipart").is_some());
    if multipart {
        // mail-parser looks for the original's own boundary in what follows: with the
        // body gone, it must not find one anywhere after it.
        let Some(b) = (cts.len() == 1).then(|| boundary(block)).flatten() else { return };
        let mut delim = b"--".to_vec();
        delim.extend_from_slice(&b);
        if raw.get(end..).is_none_or(|after| memmem::find(after, &delim).is_some()) {
            return;
        }
    }
    found.drop.push((nested_end, end));
}

/// `type` and `subtype` of a lowercased Content-Type value, when both are plain tokens.
fn mime_type(ct: &[u8]) -> Option<(&[u8], &[u8])> {
    let ct = ct.trim_ascii();
    let end = ct.iter().position(|&c| c == b';' || c.is_ascii_whitespace()).unwrap_or(ct.len());
    let full = ct.get(..end)?;
    let slash = memchr::memchr(b'/', full)?;
    let (ty, sub) = (full.get(..slash)?, full.get(slash + 1..)?);
    let token = |t: &[u8]| !t.is_empty() && t.iter().all(|&c| c.is_ascii_alphanumeric() || b"-+.".contains(&c));
    (token(ty) && token(sub)).then_some((ty, sub))
}

/// A text/plain body that surely decodes to something besides blanks: a letter that
/// no quoted-printable escape can hide, in an ASCII-compatible charset. Only then is
/// an HTML alternative certain to be unused.
fn says_something(ct: &[u8], cte: &[u8], body: &[u8]) -> bool {
    if !matches!(cte, b"" | b"7bit" | b"8bit" | b"binary" | b"quoted-printable") {
        return false;
    }
    let ascii_charset = match memmem::find(ct, b"charset") {
        None => true,
        Some(at) => {
            let v = ct.get(at + 7..).unwrap_or_default().trim_ascii_start();
            let v = v.strip_prefix(b"=").unwrap_or(b"").trim_ascii_start();
            let v = v.strip_prefix(b"\"").unwrap_or(v);
            ["us-ascii", "utf-8", "iso-8859-1", "iso-8859-15", "windows-1252"]
                .iter()
                .any(|c| v.starts_with(c.as_bytes()) && v.get(c.len()).is_none_or(|&n| matches!(n, b'"' | b';' | b' ' | b'\t' | b'\r' | b'\n')))
        }
    };
    ascii_charset && body.iter().any(|&c| matches!(c, b'g'..=b'z' | b'G'..=b'Z'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNCE: &str = "From: MAILER-DAEMON@mx.example\nContent-Type: multipart/report; boundary=\"B1\"\n\n--B1\nContent-Type: multipart/alternative; boundary=B2\n\n--B2\nContent-Type: text/plain\n\nUser unknown\n--B2\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n<p>User unknown=20</p>\n--B2--\n\n--B1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--B1\nContent-Type: message/rfc822\n\nFrom: news@shop.example\nSubject: Sale\n\nBody of the newsletter\n--B1--\n";

    #[test]
    fn drops_html_images_and_the_original_body() {
        let (out, b) = skim(BOUNCE.as_bytes()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(b, b"B1");
        assert!(out.contains("User unknown\n--B2\n"));
        assert!(!out.contains("<p>"), "{out}");
        assert!(!out.contains("iVBOR"));
        assert!(out.contains("Subject: Sale\n\n\n--B1--"), "{out}");
        assert!(!out.contains("newsletter"));
        let crlf = BOUNCE.replace('\n', "\r\n");
        let (out, _) = skim(crlf.as_bytes()).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("Subject: Sale\r\n\r\n\r\n--B1--"));
    }

    #[test]
    fn keeps_html_when_the_text_part_may_be_empty() {
        let blank = BOUNCE.replace("User unknown\n--B2", "=20\n--B2");
        let out = String::from_utf8(skim(blank.as_bytes()).unwrap().0).unwrap();
        assert!(out.contains("<p>User unknown=20</p>"));
        let utf16 = BOUNCE.replace("text/plain\n", "text/plain; charset=utf-16\n");
        assert!(String::from_utf8(skim(utf16.as_bytes()).unwrap().0).unwrap().contains("<p>"));
    }

    #[test]
    fn no_copy_of_a_big_message_that_keeps_most_of_itself() {
        let big_text = BOUNCE.replace("User unknown\n--B2\n", &format!("User unknown {}\n--B2\n", "x".repeat(2 << 20)));
        assert!(skim(big_text.as_bytes()).is_none());
        let big_image = BOUNCE.replace("iVBORw0KGgo=", &"QUFB".repeat(1 << 20));
        assert!(skim(big_image.as_bytes()).is_some());
    }

    #[test]
    fn gives_up_on_odd_structure() {
        assert!(skim(BOUNCE.replace("--B1--\n", "").as_bytes()).is_none());
        assert!(skim(BOUNCE.replace("Body of the", "Body --B1 of the").as_bytes()).is_none());
        assert!(skim(BOUNCE.replace("--B2--\n", "").as_bytes()).is_none());
        assert!(skim(b"From: a@b.example\n\nplain text\n").is_none());
        assert!(skim(b"").is_none());
        // The original's own multipart boundary after its cut body: left whole.
        let nested = BOUNCE.replace("Subject: Sale\n", "Subject: Sale\nContent-Type: multipart/mixed; boundary=N\n").replace("--B1--\n", "--B1--\n--N\n");
        let out = String::from_utf8(skim(nested.as_bytes()).unwrap().0).unwrap();
        assert!(out.contains("newsletter"));
    }
}
