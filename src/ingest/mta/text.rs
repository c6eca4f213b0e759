//! The generic reader of text bounces: find the failed addresses in the
//! human-readable part and the remote server's words that follow each one.

use super::{families, finding, scan, DAEMONS};
use crate::ingest::mailbox::message::{Finding, Mail};
use crate::model::normalize_email;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Lines (lowercased) after which a bounce quotes the message it returns.
const ORIGINAL_MARKERS: &[&str] = &[
    "this is a copy of the message",
    "below this line is a copy of the message",
    "message headers follow",
    "original message follows",
    "original message headers",
    "original message header",
    "----- original message",
    "------ original message",
    "--- original message",
    "-- original message",
    "unsent message follows",
    "returned mail follows",
    "returned message follows",
    "header of the original message",
    "headers of the original message",
    "headers of your message",
    "copy of your message",
    "content-type: message/rfc822",
    "content-type: text/rfc822-headers",
    "original message was:",
    "--- the header of the original message",
    "original mail header",
    "copy of the original message",
    "original mail as follows",
    "------- returned message",
    "----- returned message",
    "--- returned message",
];

static MARKERS: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::builder().ascii_case_insensitive(true).build(ORIGINAL_MARKERS).ok());

/// Splits a bounce body into the report and the quoted original message at
/// the first short line holding a marker.
pub fn split_original(body: &str) -> (&str, &str) {
    let Some(ac) = MARKERS.as_ref() else { return (body, "") };
    let b = body.as_bytes();
    for hit in ac.find_iter(b) {
        let start = b.get(..hit.start()).and_then(|s| s.iter().rposition(|&c| c == b'\n')).map_or(0, |p| p + 1);
        let end = b.get(hit.end()..).and_then(|s| s.iter().position(|&c| c == b'\n')).map_or(b.len(), |p| hit.end() + p);
        if body.get(start..end).is_some_and(|l| l.trim().len() < 120) {
            return (body.get(..start).unwrap_or(body), body.get(start..).unwrap_or(""));
        }
    }
    (body, "")
}

/// Addresses that are the sender's side of the exchange, never a failed recipient.
fn excluded(mail: &Mail<'_>) -> Vec<String> {
    let mut ex: Vec<String> = mail.to.iter().map(|a| a.to_ascii_lowercase()).collect();
    ex.push(mail.from.clone());
    for h in ["return-path", "reply-to", "sender", "delivered-to", "x-original-to", "errors-to"] {
        if families::keeps_original_to(mail) && h == "x-original-to" {
            continue;
        }
        ex.extend(mail.headers_named(h).flat_map(scan::emails).map(str::to_ascii_lowercase));
    }
    if let Some(o) = &mail.original {
        ex.extend(o.meta.from.iter().map(|f| f.to_ascii_lowercase()));
    }
    ex
}

fn is_daemon(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("").to_ascii_lowercase();
    DAEMONS.iter().any(|d| local == *d)
}

/// True when the address at `at` in `line` is named as a sender or a message id.
fn sender_context(line: &str, at: usize) -> bool {
    let before = line.get(..at).unwrap_or("").to_ascii_lowercase();
    let tail: String = before.chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
    ["from:", "from <", "from:<", "sender", "return-path", "reply-to", "message-id", "envelope-from", "smtp.mailfrom", "mail from"]
        .iter()
        .any(|k| tail.contains(k))
}

/// One failed address and the lines that speak about it.
struct Block {
    addr: String,
    lines: Vec<String>,
}

/// The failed addresses of a report with the lines about each. When the
/// exclusions leave none, addresses standing alone on their line (`<a@b>:`)
/// count even if they are the bounce's own recipient (mail to oneself).
fn blocks(text: &str, ex: &[String]) -> Vec<Block> {
    let b = blocks_with(text, ex, false);
    if b.is_empty() {
        blocks_with(text, ex, true)
    } else {
        b
    }
}

fn alone_on_line(line: &str, a: &str) -> bool {
    let rest = line.replacen(a, "", 1);
    rest.trim().trim_matches(|c: char| matches!(c, '<' | '>' | ':' | ',' | ';' | '"' | '\'' | ' ')).is_empty()
}

fn blocks_with(text: &str, ex: &[String], alone: bool) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for raw_line in text.lines() {
        let line = raw_line.trim_end();
        let summary = line.trim_start().to_ascii_lowercase().starts_with("to:");
        let cand = scan::emails(line).into_iter().filter(|_| !summary).find(|a| {
            let at = line.find(a).unwrap_or(0);
            let low = a.to_ascii_lowercase();
            let allowed = if alone { alone_on_line(line, a) } else { !ex.contains(&low) };
            allowed && !is_daemon(a) && !sender_context(line, at)
        });
        match (cand, out.last_mut()) {
            (Some(a), Some(b)) if normalize_email(a).eq_ignore_ascii_case(&b.addr) => b.lines.push(line.to_string()),
            (Some(a), _) => out.push(Block { addr: normalize_email(a), lines: vec![line.to_string()] }),
            (None, Some(b)) => b.lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    out
}

/// Boilerplate that is ours (the reporting MTA), not the remote server's words.
fn is_noise(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | '#' | ' '))
}

/// The remote server's words for a block: its lines unfolded, first the line
/// with the address, then what follows, cut before the next section.
fn diagnostic(b: &Block) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut blank_run = 0;
    for l in &b.lines {
        if l.trim().is_empty() {
            blank_run += 1;
            if blank_run >= 2 && !parts.is_empty() {
                break;
            }
            continue;
        }
        blank_run = 0;
        if is_noise(l) {
            if parts.len() > 1 {
                break;
            }
            continue;
        }
        parts.push(l.trim());
        if parts.len() >= 12 {
            break;
        }
    }
    condense(&parts.join(" "))
}

fn condense(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        if out.len() > 1500 {
            break;
        }
    }
    out
}

/// Reads a text bounce: family rules first, then the generic shape.
pub fn parse(mail: &Mail<'_>, family: Option<&'static str>) -> Vec<Finding> {
    if let Some(found) = families::parse(mail, family) {
        return found;
    }
    let ex = excluded(mail);
    let bl = blocks(&mail.text, &ex);
    let failed: Vec<String> = mail
        .headers_named("x-failed-recipients")
        .flat_map(|v| scan::emails(v).into_iter().map(normalize_email).collect::<Vec<_>>())
        .collect();
    let mut out: Vec<Finding> = Vec::new();
    let mut push = |addr: &str, diag: String| {
        if !out.iter().any(|f: &Finding| f.recipient.eq_ignore_ascii_case(addr)) {
            out.push(finding(addr, &diag));
        }
    };
    if !failed.is_empty() {
        for a in &failed {
            let diag = bl.iter().find(|b| b.addr.eq_ignore_ascii_case(a)).map(diagnostic);
            push(a, diag.unwrap_or_else(|| fallback_diagnostic(&mail.text)));
        }
    } else if !bl.is_empty() {
        for b in &bl {
            push(&b.addr, diagnostic(b));
        }
    } else if let Some(r) = fallback_recipient(mail) {
        push(&r, fallback_diagnostic(&mail.text));
    }
    out
}

/// When the report names no address: the returned message's single recipient,
/// its envelope recipient, or the VERP return path.
fn fallback_recipient(mail: &Mail<'_>) -> Option<String> {
    if let Some(o) = &mail.original {
        if let Some(r) = o.received_for.first() {
            return Some(r.clone());
        }
        if o.to.len() == 1 {
            return o.to.first().cloned();
        }
    }
    mail.verp_recipient()
}

/// The report's lines that carry a code, or else the whole report, condensed.
fn fallback_diagnostic(text: &str) -> String {
    let coded: Vec<&str> = text.lines().filter(|l| scan::status(l).is_some() || scan::reply_code(l).is_some()).take(6).collect();
    if coded.is_empty() {
        condense(text)
    } else {
        condense(&coded.join(" "))
    }
}

/// True when the report text names at least one failed address.
pub fn names_recipient(mail: &Mail<'_>) -> bool {
    !blocks(&mail.text, &excluded(mail)).is_empty() || mail.header("x-failed-recipients").is_some()
}

/// Fills what a DSN left out (diagnostic, codes, an unusable recipient) from
/// the human-readable part.
pub fn enrich(mail: &Mail<'_>, _family: Option<&'static str>, found: &mut Vec<Finding>) {
    let needs = found.iter().any(|f| f.diagnostic.is_none() || f.reply_code.is_none() || f.recipient.is_empty());
    if !needs {
        return;
    }
    let bl = blocks(&mail.text, &excluded(mail));
    let mut unused: Vec<String> = bl
        .iter()
        .filter(|b| !found.iter().any(|f| f.recipient.eq_ignore_ascii_case(&b.addr)))
        .map(|b| b.addr.clone())
        .collect();
    unused.reverse();
    for f in found.iter_mut().filter(|f| f.recipient.is_empty()) {
        if let Some(a) = unused.pop() {
            f.recipient = a;
        }
    }
    found.retain(|f| !f.recipient.is_empty());
    for f in found.iter_mut() {
        let Some(b) = bl.iter().find(|b| b.addr.eq_ignore_ascii_case(&f.recipient)) else { continue };
        let d = diagnostic(b);
        if f.reply_code.is_none() {
            f.reply_code = scan::reply_code(&d);
        }
        if f.diagnostic.is_none() && !d.is_empty() {
            if f.status.is_none() {
                f.status = scan::status(&d);
            }
            f.diagnostic = Some(d);
        }
    }
}
