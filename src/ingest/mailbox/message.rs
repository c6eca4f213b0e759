//! One message → its events: parse the MIME structure once, pick the reader
//! (ARF, DSN, MTA text formats, auto-reply) and attach the original message
//! and campaign to every finding.

use crate::ingest::mailbox::normalize_newlines;
use crate::ingest::{campaign, dsn, mta};
use crate::model::{Channel, Event, Kind, OriginalMessage, Reason, Source};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

/// What a reader found for one recipient, before it becomes an [`Event`].
#[derive(Debug, Clone)]
pub struct Finding {
    pub recipient: String,
    pub original_recipient: Option<String>,
    pub kind: Kind,
    pub action: Option<String>,
    pub status: Option<String>,
    pub reply_code: Option<u32>,
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub reason_hint: Option<Reason>,
    pub provider_label: Option<String>,
    /// The SMTP command the remote server refused (`RCPT`, `DATA`, `MAIL`…), if shown.
    pub smtp_command: Option<String>,
    /// Came from a machine-readable report (DSN/ARF fields), not from prose.
    pub from_dsn: bool,
}

impl Finding {
    pub fn new(kind: Kind) -> Self {
        Finding {
            recipient: String::new(),
            original_recipient: None,
            kind,
            action: None,
            status: None,
            reply_code: None,
            diagnostic: None,
            remote_mta: None,
            occurred_at: None,
            reason_hint: None,
            provider_label: None,
            smtp_command: None,
            from_dsn: false,
        }
    }
}

/// The returned original message: what links a bounce to its campaign.
#[derive(Debug, Clone, Default)]
pub struct Original {
    pub meta: OriginalMessage,
    /// Its To/Cc addresses, normalized (a fallback for the recipient).
    pub to: Vec<String>,
    /// Envelope recipients named in its Received `for <…>` clauses.
    pub received_for: Vec<String>,
    /// The recipient a feedback loop stamped on the message it returns
    /// (Microsoft JMRP `X-HmXmrOriginalRecipient`).
    pub stamped_recipient: Option<String>,
}

/// A parsed bounce, with the pieces every reader needs.
pub struct Mail<'m> {
    pub msg: &'m Message<'m>,
    /// Top-level headers, raw (folds kept, ends trimmed): unfolding every
    /// header of every message costs more than the few lookups need.
    headers: Vec<(&'m str, &'m str)>,
    pub subject: String,
    /// Sender address of the bounce itself, lowercased.
    pub from: String,
    pub from_name: String,
    /// Addresses the bounce was delivered to (the original sender side).
    pub to: Vec<String>,
    pub date: Option<DateTime<Utc>>,
    /// Human-readable text before the returned message.
    pub text: String,
    /// Quoted original message text found in the body (non-MIME bounces).
    pub quoted: String,
    pub dsn: Option<String>,
    pub feedback: Option<String>,
    pub original: Option<Original>,
    /// The report's failed addresses and their lines, found on first use.
    pub(crate) blocks: std::cell::OnceCell<Vec<mta::Block>>,
    /// The whole raw message when `msg` was parsed without the original's body
    /// (see `cut`), and its full parse, made on first use.
    whole: Option<&'m [u8]>,
    full: std::cell::OnceCell<Option<Message<'m>>>,
}

impl<'m> Mail<'m> {
    /// The message with the returned original's body parsed too: only the readers
    /// of an attached bounce or transcript need it.
    pub fn full_msg(&self) -> &Message<'m> {
        match self.whole {
            None => self.msg,
            Some(raw) => self.full.get_or_init(|| PARSER.parse(raw)).as_ref().unwrap_or(self.msg),
        }
    }

    /// A top-level header's raw value (folds kept), or `None`.
    pub fn header(&self, name: &str) -> Option<&'m str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    /// Every raw value of a top-level header.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'m str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    /// All top-level headers as (name, raw value).
    pub fn all_headers(&self) -> &[(&'m str, &'m str)] {
        &self.headers
    }

    /// The recipient a VERP return path in To/Delivered-To/X-Original-To names.
    pub fn verp_recipient(&self) -> Option<String> {
        ["to", "delivered-to", "x-original-to", "envelope-to"]
            .iter()
            .flat_map(|h| self.headers_named(h))
            .find_map(campaign::verp_recipient)
    }
}

/// Parses a date in any of the forms mail headers use.
pub fn parse_date(v: &str) -> Option<DateTime<Utc>> {
    let d = mail_parser::DateTime::parse_rfc822(v.trim())?;
    if d.year < 1971 || d.month == 0 || d.day == 0 {
        return None;
    }
    DateTime::from_timestamp(d.to_timestamp(), 0)
}

pub(crate) fn unfold(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for (i, line) in v.split('\n').enumerate() {
        let l = line.trim_end_matches('\r');
        if i > 0 {
            out.push(' ');
        }
        out.push_str(if i > 0 { l.trim_start() } else { l });
    }
    out.trim().to_string()
}

fn header_list<'m>(msg: &'m Message<'m>) -> Vec<(&'m str, &'m str)> {
    msg.headers_raw().map(|(n, v)| (n, v.trim())).collect()
}

/// Borrowed when the parser's text is already what we read (no copy per part).
fn part_text<'p>(body: &'p PartType<'_>) -> Option<Cow<'p, str>> {
    match body {
        PartType::Text(t) => Some(iso_2022_jp(t).map_or(Cow::Borrowed(t.as_ref()), Cow::Owned)),
        PartType::Html(h) => Some(Cow::Owned(html_to_text(h))),
        PartType::Binary(b) | PartType::InlineBinary(b) => {
            let t = String::from_utf8_lossy(b);
            Some(iso_2022_jp(&t).map_or(t, Cow::Owned))
        }
        _ => None,
    }
}

/// Japanese bounces (Domino, Notes, m-FILTER, carriers) are often ISO-2022-JP,
/// which the parser hands over undecoded: 7-bit text with `ESC $ B` shifts. The
/// server's words are in there, so decode them. memchr finds the rare ESC first.
fn iso_2022_jp(t: &str) -> Option<String> {
    memchr::memchr(0x1b, t.as_bytes())?;
    if !t.contains("\u{1b}$B") || !t.is_ascii() {
        return None;
    }
    let (out, _, _) = encoding_rs::ISO_2022_JP.decode(t.as_bytes());
    Some(out.into_owned())
}

/// Crude tag stripper for HTML-only bounces: the words are what we need.
fn html_to_text(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    out.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn build<'m>(msg: &'m Message<'m>, whole: Option<&'m [u8]>) -> Mail<'m> {
    let headers = header_list(msg);
    let first_addr = |a: Option<&mail_parser::Address<'_>>| -> (String, String) {
        let Some(first) = a.and_then(|a| a.first()) else { return (String::new(), String::new()) };
        (first.address().unwrap_or("").to_ascii_lowercase(), first.name().unwrap_or("").to_string())
    };
    let (from, from_name) = first_addr(msg.from());
    let to = msg.to().map(|a| a.iter().filter_map(|x| x.address()).map(|x| x.to_ascii_lowercase()).collect()).unwrap_or_default();
    let mut mail = Mail {
        msg,
        headers,
        subject: msg.subject().unwrap_or("").to_string(),
        from,
        from_name,
        to,
        date: msg.date().and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        text: String::new(),
        quoted: String::new(),
        dsn: None,
        feedback: None,
        original: None,
        blocks: std::cell::OnceCell::new(),
        whole,
        full: std::cell::OnceCell::new(),
    };
    collect_parts(&mut mail);
    mail
}

fn collect_parts(mail: &mut Mail<'_>) {
    let msg = mail.msg;
    let mut plain = String::new();
    let mut html: Vec<&PartType<'_>> = Vec::new();
    for part in &msg.parts {
        let ct = part.content_type();
        let ty = ct.map(|c| c.ctype().to_ascii_lowercase()).unwrap_or_else(|| "text".into());
        let sub = ct.and_then(|c| c.subtype()).map(|s| s.to_ascii_lowercase()).unwrap_or_else(|| "plain".into());
        match (ty.as_str(), sub.as_str()) {
            ("message", "delivery-status" | "global-delivery-status") | ("text", "delivery-status") => {
                let t = part_text(&part.body).unwrap_or_default();
                mail.dsn.get_or_insert_with(String::new).push_str(&format!("{t}\n\n"));
            }
            ("message", "feedback-report") => mail.feedback = part_text(&part.body).map(Cow::into_owned),
            ("message", "rfc822" | "global" | "rfc822-headers") | ("text", "rfc822-headers" | "rfc822")
                if mail.original.is_none() =>
            {
                mail.original = match &part.body {
                    PartType::Message(m) => Some(original_from(m)),
                    other => part_text(other).and_then(|t| original_from_text(&t)),
                };
            }
            ("message", "rfc822" | "global" | "rfc822-headers") | ("text", "rfc822-headers" | "rfc822") => {}
            _ if matches!(part.body, PartType::Multipart(_)) => {}
            ("text", "html") => html.push(&part.body),
            // A multipart whose boundary does not match is left as one text body.
            ("text" | "multipart", _) => {
                if let Some(t) = part_text(&part.body) {
                    plain.push_str(&t);
                    plain.push('\n');
                }
            }
            _ => {}
        }
    }
    let body = if plain.trim().is_empty() { html.into_iter().filter_map(part_text).collect::<Vec<_>>().join("\n") } else { plain };
    let (report, quoted) = mta::split_original(&body);
    mail.text = report.to_string();
    mail.quoted = quoted.to_string();
    if mail.original.is_none() && !mail.quoted.is_empty() {
        mail.original = original_from_text(&mail.quoted);
    }
}

fn addresses(a: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    a.map(|a| a.iter().filter_map(|x| x.address()).map(crate::model::normalize_email).collect()).unwrap_or_default()
}

fn original_from(m: &Message<'_>) -> Original {
    let headers = header_list(m);
    let mut to = addresses(m.to());
    to.extend(addresses(m.cc()));
    let received_for = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("received"))
        .filter_map(|(_, v)| received_for(&unfold(v)))
        .collect();
    let stamped_recipient = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-hmxmroriginalrecipient"))
        .and_then(|(_, v)| dsn::address_in(v));
    Original { meta: campaign::original_meta(m, &headers), to, received_for, stamped_recipient }
}

/// The envelope recipient of a Received header's `for <addr>` clause.
fn received_for(v: &str) -> Option<String> {
    let b = v.as_bytes();
    // Candidates are the f/F bytes (memchr2), not every position of every Received header.
    let at = memchr::memchr2_iter(b'f', b'F', b).take_while(|&i| i < b.len().saturating_sub(4)).find(|&i| {
        b.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"for "))
            && (i == 0 || b.get(i - 1).is_some_and(|c| c.is_ascii_whitespace() || *c == b')'))
    })?;
    let rest = v.get(at + 4..)?.trim_start();
    let end = rest.find([';', ' ', '\t']).unwrap_or(rest.len());
    dsn::address_in(rest.get(..end)?)
}

/// Only the fields read through mail-parser's accessors are parsed (MIME
/// headers, From/To/Cc, Date, Subject, Message-ID). Every other header, Received
/// included, is skipped: the readers take them from the raw header list (offsets
/// into the message), so building a lossy text copy of each was wasted work.
static PARSER: std::sync::LazyLock<MessageParser> = std::sync::LazyLock::new(|| {
    use mail_parser::HeaderName as H;
    MessageParser::new()
        .with_mime_headers()
        .header_date(H::Date)
        .header_text(H::Subject)
        .header_address(H::From)
        .header_address(H::To)
        .header_address(H::Cc)
        .header_id(H::MessageId)
        .default_header_ignore()
});

/// Headers quoted as text (text/rfc822-headers, or below a "copy of the message" line).
fn original_from_text(t: &str) -> Option<Original> {
    let start = t.lines().position(|l| super::looks_like_headers(l.trim_start().as_bytes()))?;
    let mut rest = String::new();
    let mut keep = true;
    for l in t.lines().skip(start) {
        let l = l.trim_start_matches(['>', ' ']).trim_end();
        if l.is_empty() {
            break;
        }
        // A tab-led line continues the field before it (the parser reads it so).
        if !l.starts_with('\t') {
            keep = quoted_field_is_read(l);
        }
        if keep {
            rest.push_str(l);
            rest.push('\n');
        }
    }
    let m = PARSER.parse_headers(rest.as_bytes())?;
    let o = original_from(&m);
    let useful = o.meta.message_id.is_some() || o.meta.subject.is_some() || !o.to.is_empty() || o.meta.from.is_some();
    useful.then_some(o)
}

/// Whether the quoted field starting on `line` can matter to [`original_from`]:
/// DKIM signatures, ARC seals and the like were most of what the parser worked
/// through. The name is read as mail-parser reads it (the non-blank bytes before
/// the first colon that follows one, lowercased, at most 34); a line without such
/// a name is kept, so the parser sees it as before.
fn quoted_field_is_read(line: &str) -> bool {
    const READ: &[&str] = &["to", "cc", "from", "date", "subject", "message-id", "received", "list-id", "x-hmxmroriginalrecipient"];
    let mut name = [0u8; 34];
    let mut len = 0;
    for &c in line.as_bytes() {
        match c {
            // Longer than any name read (the parser keeps it as an unknown field).
            b':' if len > 0 => {
                let Some(n) = name.get(..len) else { return false };
                return READ.iter().chain(campaign::CAMPAIGN_HEADERS).any(|r| r.as_bytes() == n);
            }
            b':' => {}
            c if c.is_ascii_whitespace() => {}
            c => {
                if let Some(slot) = name.get_mut(len) {
                    *slot = c.to_ascii_lowercase();
                }
                len += 1;
            }
        }
    }
    // No name: the parser skips this line and reads the next as a field of its own.
    true
}

/// Analyzes one raw message. `None` when it has no header fields at all.
pub fn analyze(raw: &[u8], source: &Source) -> Option<Vec<Event>> {
    if too_deeply_nested(raw) {
        return None;
    }
    let raw = normalize_newlines(raw);
    let raw = raw.as_ref();
    let cut = if raw.len() >= super::cut::WORTH_IT { super::cut::parse_len(raw) } else { None };
    let skimmed = if cut.is_none() && raw.len() >= super::skim::WORTH_IT { super::skim::skim(raw) } else { None };
    let (msg, whole) = parse_unread_parts_skipped(raw, cut, skimmed.as_ref())?;
    if msg.parts.first().is_none_or(|p| p.headers.is_empty()) {
        return None;
    }
    let mail = build(&msg, whole);
    let family = mta::family(&mail);
    let mut findings = find(&mail, family);
    mta::stage::fill(&mail, &mut findings);
    Some(findings.into_iter().filter_map(|f| to_event(f, &mail, family, source)).collect())
}

/// Parses the message up to the end of the returned original's headers when
/// [`super::cut`] finds that safe, or the copy without unread part bodies that
/// [`super::skim`] made, when mail-parser agrees on the top-level boundary; else
/// the whole message. The second value is the whole message when cut or skimmed.
fn parse_unread_parts_skipped<'a>(
    raw: &'a [u8],
    cut: Option<(usize, Vec<u8>)>,
    skimmed: Option<&'a (Vec<u8>, Vec<u8>)>,
) -> Option<(Message<'a>, Option<&'a [u8]>)> {
    let agrees = |msg: &Message<'_>, boundary: &[u8]| {
        msg.parts
            .first()
            .and_then(|p| p.content_type())
            .and_then(|c| c.attribute("boundary"))
            .is_some_and(|b| b.as_bytes() == boundary)
    };
    if let Some((len, boundary)) = cut {
        if let Some(msg) = raw.get(..len).and_then(|head| PARSER.parse(head)) {
            let nested = msg.parts.last().is_some_and(|p| matches!(p.body, PartType::Message(_)));
            if agrees(&msg, &boundary) && nested {
                return Some((msg, Some(raw)));
            }
        }
    }
    if let Some((copy, boundary)) = skimmed {
        if let Some(msg) = PARSER.parse(copy.as_slice()) {
            if agrees(&msg, boundary) {
                return Some((msg, Some(raw)));
            }
        }
    }
    PARSER.parse(raw).map(|m| (m, None))
}

/// mail-parser recurses once per nested part, and dropping the parsed tree does too:
/// 100,000 nested message/rfc822 parts overflow a 2 MiB thread stack (fuzz finding
/// F1). Real bounces nest two or three levels, so a message with more than
/// [`MAX_NESTED_PARTS`] nesting content types is refused before it is parsed.
const MAX_NESTED_PARTS: usize = 200;

/// Anchored on `/` (memchr) instead of comparing a window at every byte: the
/// per-byte scan was the largest part of `analyze`'s own time.
fn too_deeply_nested(raw: &[u8]) -> bool {
    let ends_with = |slash: usize, word: &[u8]| {
        slash
            .checked_sub(word.len())
            .and_then(|s| raw.get(s..slash))
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let mut n = 0;
    for slash in memchr::memchr_iter(b'/', raw) {
        let nesting = ends_with(slash, b"multipart")
            || (ends_with(slash, b"message")
                && raw.get(slash + 1..slash + 3).is_some_and(|w| w.eq_ignore_ascii_case(b"rf")));
        if nesting {
            n += 1;
            if n > MAX_NESTED_PARTS {
                return true;
            }
        }
    }
    false
}

fn find(mail: &Mail<'_>, family: Option<&'static str>) -> Vec<Finding> {
    let feedback = mail.feedback.clone().or_else(|| is_arf_text(mail).then(|| mail.text.clone()));
    if let Some(report) = feedback {
        return dsn::feedback(mail, &report);
    }
    if let Some(c) = dsn::forwarded_complaint(mail) {
        return vec![c];
    }
    if let Some(found) = mta::family_parse(mail, family) {
        return found;
    }
    let bounce = mta::is_bounce(mail, family);
    let dsn_text = mail.dsn.as_deref().or_else(|| if bounce { dsn::inline_report(&mail.text) } else { None });
    let mut found = dsn_text.map(dsn::delivery_status).unwrap_or_default();
    if found.is_empty() && bounce {
        if let Some(nested) = nested_bounce(mail) {
            return nested;
        }
        found = mta::parse(mail, family);
    } else if !found.is_empty() {
        mta::enrich(mail, family, &mut found);
    }
    if found.is_empty() && !bounce {
        found.extend(dsn::unsubscribe_request(mail));
    }
    if found.is_empty() && !bounce && dsn::is_auto_reply(mail) {
        let mut f = Finding::new(Kind::AutoReply);
        f.recipient = mail.from.clone();
        f.reason_hint = Some(Reason::AutoReply);
        found.push(f);
    }
    found
}

/// A bounce that only forwards another bounce (its report names nobody):
/// read the attached one.
fn nested_bounce(mail: &Mail<'_>) -> Option<Vec<Finding>> {
    if mta::names_recipient(mail) {
        return None;
    }
    let inner = mail.full_msg().parts.iter().find_map(|p| match &p.body {
        PartType::Message(m) => Some(m),
        _ => None,
    })?;
    let inner_mail = build(inner, None);
    let fam = mta::family(&inner_mail);
    let inner_is_bounce = inner_mail.dsn.is_some() || mta::is_bounce(&inner_mail, fam);
    if !inner_is_bounce {
        return None;
    }
    let found = find(&inner_mail, fam);
    (!found.is_empty()).then_some(found)
}

fn is_arf_text(mail: &Mail<'_>) -> bool {
    let ct = mail.header("content-type").unwrap_or("").to_ascii_lowercase();
    ct.contains("feedback-report")
        || {
            // Line starts found with memchr: walking `lines()` of every report cost more.
            let t = mail.text.as_bytes();
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', t).map(|i| i + 1))
                .any(|s| t.get(s..s + 14).is_some_and(|h| h.eq_ignore_ascii_case(b"feedback-type:")))
        }
}

fn to_event(f: Finding, mail: &Mail<'_>, family: Option<&'static str>, source: &Source) -> Option<Event> {
    let recipient = crate::model::normalize_email(&f.recipient);
    if !dsn::is_address(&recipient) {
        return None;
    }
    let mut ev = Event::new(Channel::Email, f.kind, recipient, source.clone());
    ev.status = f.status;
    ev.reply_code = f.reply_code;
    ev.diagnostic = f.diagnostic.filter(|d| !d.trim().is_empty());
    ev.remote_mta = f.remote_mta;
    ev.provider = family.map(str::to_string);
    ev.provider_label = f.provider_label;
    ev.reason_hint = f.reason_hint;
    ev.smtp_command = f.smtp_command;
    ev.occurred_at = f.occurred_at.or(mail.date);
    if let Some(o) = &mail.original {
        ev.sent_at = o.meta.date;
        ev.campaign = campaign::campaign_ref(&o.meta);
        ev.original = Some(o.meta.clone());
    }
    Some(ev)
}

#[cfg(test)]
mod quoted_tests {
    use super::*;

    #[test]
    fn quoted_fields_read_as_the_parser_names_them() {
        assert!(quoted_field_is_read("Message-ID: <a@b>"));
        assert!(quoted_field_is_read("SUBJECT : sale"));
        assert!(quoted_field_is_read("X-Campaign-Id: 42"));
        assert!(quoted_field_is_read("Mess age-Id: <a@b>"), "the parser drops blanks inside a name");
        assert!(!quoted_field_is_read("DKIM-Signature: v=1; a=rsa-sha256"));
        assert!(!quoted_field_is_read("X-Google-Smtp-Source-And-Some-Very-Long-Name: x"));
        assert!(quoted_field_is_read("no colon on this line at all, so the parser skips it"));
        assert!(quoted_field_is_read("AVeryLongLineWithoutAnyColonThatRunsPastThirtyFourBytes"));
    }

    #[test]
    fn dropped_fields_change_nothing_the_original_reads() {
        let t = "--- copy of the message ---\nReceived: from mx.shop.example\n\tby mx2 for <ana@example.org>; Mon, 1 Jan 2024 10:00:00 +0000\nDKIM-Signature: v=1; a=rsa-sha256;\n\tb=AAAA:BBBB\nAVeryLongLineWithoutAnyColonThatRunsPastThirtyFourBytes\n\tTo: ana@example.org\n> Subject: Sale\nMessage-ID: <m1@shop.example>\nX-Campaign-Id: spring\n\nbody\n";
        let o = original_from_text(t).unwrap();
        assert_eq!(o.meta.subject.as_deref(), Some("Sale"));
        assert_eq!(o.meta.message_id.as_deref(), Some("m1@shop.example"));
        assert_eq!(o.meta.campaign_header.as_deref(), Some("spring"));
        assert_eq!(o.received_for, vec!["ana@example.org".to_string()]);
        assert_eq!(o.to, vec!["ana@example.org".to_string()]);
    }
}
