//! Small regex-free scanners for bounce text: addresses, RFC 3463 status codes
//! and SMTP reply codes. Byte-level, so any input is safe.

fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b".!#$%&'*+-/=?^_`{|}~".contains(&c)
}

fn is_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'_'
}

/// Every plausible email address in the text, in order.
pub fn emails(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = b.get(i..).and_then(|s| s.iter().position(|&c| c == b'@')) {
        let at = i + p;
        let mut s = at;
        while s > 0 && b.get(s - 1).is_some_and(|&c| is_local(c)) {
            s -= 1;
        }
        while s < at && b.get(s).is_some_and(|&c| c == b'.' || c == b'\'') {
            s += 1;
        }
        let mut e = at + 1;
        while b.get(e).is_some_and(|&c| is_domain(c)) {
            e += 1;
        }
        while e > at + 1 && b.get(e - 1).is_some_and(|&c| c == b'.' || c == b'-') {
            e -= 1;
        }
        let domain = text.get(at + 1..e).unwrap_or("");
        if s < at && domain.contains('.') && !domain.starts_with('.') && !domain.contains("..") {
            if let Some(a) = text.get(s..e) {
                out.push(a);
            }
        }
        i = e.max(at + 1);
    }
    out
}

/// The first RFC 3463 enhanced status code (`5.1.1`, `4.4.7`, `5.7.26`).
pub fn status(text: &str) -> Option<String> {
    status_at(text).map(|(s, _)| s)
}

/// The first specific failure status (not `x.0.0`, not a `2.x.x` success from
/// a session transcript), else the first generic one: relays often prefix the
/// remote server's code with their own `5.0.0`.
pub fn best_status(text: &str) -> Option<String> {
    let (mut generic, mut success) = (None, None);
    let mut rest = text;
    for _ in 0..32 {
        let Some((s, at)) = status_at(rest) else {
            break;
        };
        rest = rest.get(at + s.len()..).unwrap_or("");
        if s.starts_with('2') {
            success.get_or_insert(s);
        } else if s.ends_with(".0.0") {
            generic.get_or_insert(s);
        } else {
            return Some(s);
        }
    }
    generic.or(success)
}

/// The first status code and its byte position.
pub fn status_at(text: &str) -> Option<(String, usize)> {
    let b = text.as_bytes();
    // Only a class digit can start a code: memchr3 jumps between them instead of
    // testing every byte (these scanners run over every line of every report).
    for i in memchr::memchr3_iter(b'2', b'4', b'5', b) {
        let c = b.get(i).copied().unwrap_or(0);
        let prev_ok = i == 0
            || b.get(i - 1)
                .is_some_and(|p| !p.is_ascii_alphanumeric() && *p != b'.' && *p != b'-');
        if matches!(c, b'2' | b'4' | b'5') && prev_ok && b.get(i + 1) == Some(&b'.') {
            if let Some(end) = code_tail(b, i + 2) {
                let next_ok = match b.get(end) {
                    None => true,
                    Some(b'.') => !b.get(end + 1).is_some_and(|d| d.is_ascii_digit()),
                    Some(d) => !d.is_ascii_alphanumeric(),
                };
                if next_ok {
                    return text.get(i..end).map(|s| (s.to_string(), i));
                }
            }
        }
    }
    None
}

/// `1.1` / `7.26` after the class digit: 1-3 digits, dot, 1-3 digits.
fn code_tail(b: &[u8], start: usize) -> Option<usize> {
    let digits = |from: usize| {
        (from..from + 4)
            .take_while(|&j| b.get(j).is_some_and(u8::is_ascii_digit))
            .count()
    };
    let a = digits(start);
    if !(1..=3).contains(&a) || b.get(start + a) != Some(&b'.') {
        return None;
    }
    let d = digits(start + a + 1);
    (1..=3).contains(&d).then_some(start + a + 1 + d)
}

/// A reply code (2xx too) that opens a Diagnostic-Code: `250 2.1.5 Ok`.
pub fn leading_reply_code(d: &str) -> Option<u32> {
    let b = d.trim_start().as_bytes();
    let code = b.get(..3)?;
    let ok = matches!(code.first(), Some(b'2' | b'4' | b'5'))
        && code.iter().all(u8::is_ascii_digit)
        && b.get(3).is_none_or(|c| matches!(c, b' ' | b'-'));
    if ok {
        std::str::from_utf8(code).ok()?.parse().ok()
    } else {
        None
    }
}

/// The first SMTP reply code (4xx or 5xx) standing as its own word.
pub fn reply_code(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    // A reply code starts with 4 or 5: jump between those bytes (see `status_at`).
    for i in memchr::memchr2_iter(b'4', b'5', b) {
        if i + 3 > b.len() {
            break;
        }
        let w = b.get(i..i + 3).unwrap_or_default();
        let prev = if i == 0 { None } else { b.get(i - 1).copied() };
        let next = b.get(i + 3).copied();
        let prev_ok = prev.is_none_or(|p| {
            matches!(
                p,
                b' ' | b'\t' | b'\n' | b'(' | b'<' | b'[' | b':' | b'"' | b'=' | b'#' | b';'
            )
        });
        let next_ok = next.is_none_or(|n| {
            matches!(
                n,
                b' ' | b'-' | b'\r' | b'\n' | b')' | b'>' | b']' | b',' | b'"' | b':' | b'\t'
            )
        });
        if prev_ok
            && next_ok
            && matches!(w.first(), Some(b'4' | b'5'))
            && w.iter().all(u8::is_ascii_digit)
            && w.get(1).is_some_and(|d| *d <= b'7')
        {
            return std::str::from_utf8(w).ok().and_then(|s| s.parse().ok());
        }
    }
    None
}

/// Runs of whitespace as one space (ends trimmed), borrowed when already so:
/// phrase markers span folded lines ("end of DATA\n    command").
pub fn squeeze_whitespace(text: &str) -> std::borrow::Cow<'_, str> {
    let t = text.trim();
    let mut prev_space = false;
    // Non-ASCII bytes take the slow path: Unicode has whitespace of its own.
    let clean = t.bytes().all(|c| {
        let ok = c < 0x80 && !matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r') && !(prev_space && c == b' ');
        prev_space = c == b' ';
        ok
    });
    if clean {
        return std::borrow::Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    std::borrow::Cow::Owned(out)
}

/// Joins a multi-line SMTP reply into one sentence: `550-5.1.1 The account
/// 550-5.1.1 does not exist` → `550-5.1.1 The account does not exist`. The
/// repeated code prefixes would otherwise split the server's phrases.
pub fn join_reply_lines(d: &str) -> String {
    let words: Vec<&str> = d.split_whitespace().collect();
    let Some(code) = reply_code(d).map(|c| c.to_string()) else {
        return words.join(" ");
    };
    let status = status(d);
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut seen_code = false;
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        i += 1;
        let is_prefix = w
            .strip_prefix(code.as_str())
            .is_some_and(|r| r.is_empty() || r.starts_with('-'));
        if is_prefix && seen_code {
            let with_status =
                w.len() > 4 || words.get(i).is_some_and(|n| Some(*n) == status.as_deref());
            if w.len() <= 4 && with_status {
                i += 1;
            }
            continue;
        }
        seen_code |= is_prefix;
        out.push(w);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_in_brackets_and_prose() {
        assert_eq!(
            emails("<kijitora@example.jp>: host said"),
            vec!["kijitora@example.jp"]
        );
        assert_eq!(
            emails("to a.b+c@x.example.org. Bye"),
            vec!["a.b+c@x.example.org"]
        );
        assert!(emails("user@localhost and @@ and a@.b").is_empty());
    }

    #[test]
    fn finds_status_codes_but_not_ip_addresses() {
        assert_eq!(
            status("said: 550 5.1.1 <a@b.c> unknown").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(
            status("host 192.0.2.5 said 4.4.7."),
            Some("4.4.7".to_string())
        );
        assert_eq!(status("(#5.7.26)").as_deref(), Some("5.7.26"));
        assert_eq!(status("version 1.2.3 and 10.5.1.1"), None);
        assert_eq!(
            best_status("550 5.0.0 relay: 550 5.7.1 blocked").as_deref(),
            Some("5.7.1")
        );
        assert_eq!(
            best_status("Out: 250 2.1.5 Ok Out: 451 4.3.0 error").as_deref(),
            Some("4.3.0")
        );
        assert_eq!(best_status("5.0.0 only").as_deref(), Some("5.0.0"));
    }

    #[test]
    fn squeezes_whitespace_like_split_whitespace() {
        for t in ["a b", " a  b\n\tc ", "end of DATA\n    command", "x\u{3000}y", "", "   "] {
            assert_eq!(squeeze_whitespace(t), t.split_whitespace().collect::<Vec<_>>().join(" "), "{t:?}");
        }
        assert!(matches!(squeeze_whitespace("a b c"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn joins_multiline_replies() {
        assert_eq!(
            join_reply_lines(
                "550-5.1.1 The email account 550-5.1.1 does not exist. Learn 550 5.1.1 more"
            ),
            "550-5.1.1 The email account does not exist. Learn more"
        );
        assert_eq!(
            join_reply_lines("host said: 550 user unknown"),
            "host said: 550 user unknown"
        );
    }

    #[test]
    fn finds_reply_codes_as_words() {
        assert_eq!(reply_code("said: 550-5.7.1 blocked"), Some(550));
        assert_eq!(reply_code("port 25 id 45012 then 421 try later"), Some(421));
        assert_eq!(reply_code("192.0.2.450 nothing"), None);
    }
}
