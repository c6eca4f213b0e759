//! Bounce messages in the shapes real MTAs send: RFC 3464 reports in the
//! styles of Postfix, Sendmail, Office 365, Gmail and a minimal appliance, Exim's
//! plain-text bounce, ARF complaints, auto-replies and ordinary replies.
//! Written from RFC 3464/6522/5965/3834 and the general shape of each MTA.

use super::rng::Rng;
use super::world::{doc_ip, fill, Campaign, Filler, Scenario};
use crate::model::Kind;
use chrono::{DateTime, Duration, Utc};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Postfix,
    Exim,
    Sendmail,
    Office365,
    Gmail,
    Appliance,
    Complaint,
    AutoReply,
    Ordinary,
}

pub const STYLES: &[(u32, Style)] = &[
    (26, Style::Postfix),
    (12, Style::Exim),
    (12, Style::Sendmail),
    (15, Style::Office365),
    (17, Style::Gmail),
    (6, Style::Appliance),
    (4, Style::Complaint),
    (5, Style::AutoReply),
    (3, Style::Ordinary),
];

pub struct Rcpt {
    pub addr: String,
    pub sc: Scenario,
    pub diag: String,
}

/// Everything one generated message is about.
pub struct Msg<'a> {
    pub style: Style,
    pub rcpts: Vec<Rcpt>,
    pub campaign: &'a Campaign,
    pub sent_at: DateTime<Utc>,
    pub arrived: DateTime<Utc>,
    /// Return the whole original (message/rfc822) or only its headers.
    pub headers_only: bool,
    pub big_attachment: bool,
    pub seq: u64,
}

pub const SENDER: &str = "news@shop.example";
const SENDER_HOST: &str = "news.shop.example";

/// Shared, expensive pieces built once per run.
pub struct Parts {
    pub filler: Filler,
    /// About 1 MB of base64 in 76-column lines (a "PDF" attachment).
    pub big_base64: String,
}

impl Parts {
    pub fn new(rng: &mut Rng) -> Parts {
        let raw: Vec<u8> = (0..768 * 1024).map(|_| rng.next_u64() as u8).collect();
        let b64 = base64(&raw);
        let mut big = String::with_capacity(b64.len() + b64.len() / 76 + 1);
        for chunk in b64.as_bytes().chunks(76) {
            big.push_str(std::str::from_utf8(chunk).unwrap_or(""));
            big.push('\n');
        }
        Parts {
            filler: Filler::new(rng),
            big_base64: big,
        }
    }
}

/// Renders one message (LF line ends, no mbox From_ line).
pub fn render(m: &Msg, parts: &Parts, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(16 * 1024);
    match m.style {
        Style::Postfix => postfix(m, parts, rng, &mut s),
        Style::Exim => exim(m, parts, rng, &mut s),
        Style::Sendmail => sendmail(m, parts, rng, &mut s),
        Style::Office365 => office365(m, parts, rng, &mut s),
        Style::Gmail => gmail(m, parts, rng, &mut s),
        Style::Appliance => appliance(m, parts, rng, &mut s),
        Style::Complaint => complaint(m, parts, rng, &mut s),
        Style::AutoReply => auto_reply(m, rng, &mut s),
        Style::Ordinary => ordinary(m, parts, rng, &mut s),
    }
    s
}

fn date(t: DateTime<Utc>) -> String {
    t.to_rfc2822()
}

fn deferred(m: &Msg) -> bool {
    m.rcpts.iter().any(|r| r.sc.kind == Kind::Deferred)
}

fn action(r: &Rcpt) -> &'static str {
    if r.sc.kind == Kind::Deferred {
        "delayed"
    } else {
        "failed"
    }
}

/// Folds a long field value the way MTAs do (continuation lines start with spaces).
fn fold(name: &str, value: &str, out: &mut String) {
    let mut line = format!("{name}: ");
    for word in value.split(' ') {
        if line.len() + word.len() > 76 && line.trim_end().len() > name.len() + 2 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("    ");
        }
        line.push_str(word);
        line.push(' ');
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn diag_type(r: &Rcpt, postfix: bool) -> &'static str {
    match (r.sc.reply, postfix) {
        (None, true) => "X-Postfix",
        _ => "smtp",
    }
}

fn recipient_group(r: &Rcpt, m: &Msg, mta_case: bool, postfix: bool, s: &mut String) {
    let (rfc, dns) = if mta_case {
        ("RFC822", "DNS")
    } else {
        ("rfc822", "dns")
    };
    let _ = writeln!(s, "Final-Recipient: {rfc}; {}", r.addr);
    if postfix {
        let _ = writeln!(s, "Original-Recipient: {rfc};{}", r.addr);
    }
    let _ = writeln!(s, "Action: {}", action(r));
    let _ = writeln!(s, "Status: {}", r.sc.status);
    if r.sc.reply.is_some() {
        let _ = writeln!(
            s,
            "Remote-MTA: {dns}; mx.{}",
            crate::model::recipient_domain(&r.addr)
        );
    }
    fold(
        "Diagnostic-Code",
        &format!("{}; {}", diag_type(r, postfix), r.diag),
        s,
    );
    let _ = writeln!(s, "Last-Attempt-Date: {}", date(m.arrived));
    if r.sc.kind == Kind::Deferred {
        let _ = writeln!(
            s,
            "Will-Retry-Until: {}",
            date(m.sent_at + Duration::days(5))
        );
    }
    s.push('\n');
}

/// The returned message: whole (message/rfc822) or headers only.
fn returned(m: &Msg, parts: &Parts, rng: &mut Rng, boundary: &str, s: &mut String) {
    let _ = writeln!(s, "--{boundary}");
    if m.headers_only {
        s.push_str("Content-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n");
        original_headers(m, rng, s);
    } else {
        s.push_str("Content-Description: Undelivered Message\nContent-Type: message/rfc822\n\n");
        original(m, parts, rng, s);
    }
    let _ = writeln!(s, "\n--{boundary}--");
}

fn subject_header(subject: &str) -> String {
    if subject.is_ascii() {
        subject.to_string()
    } else {
        format!("=?UTF-8?B?{}?=", base64(subject.as_bytes()))
    }
}

fn original_headers(m: &Msg, rng: &mut Rng, s: &mut String) {
    let rcpt = m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("");
    let (local, domain) = rcpt.rsplit_once('@').unwrap_or((rcpt, ""));
    let _ = writeln!(s, "Return-Path: <bounces+{local}={domain}@{SENDER_HOST}>");
    let _ = writeln!(
        s,
        "Received: from {SENDER_HOST} ({SENDER_HOST} [203.0.113.7])\n\tby mta.shop.example (Postfix) with ESMTPSA id {}\n\tfor <{rcpt}>; {}",
        rng.hex(10).to_uppercase(),
        date(m.sent_at)
    );
    let _ = writeln!(
        s,
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=s2024;\n\th=from:to:subject:date:message-id:list-unsubscribe;\n\tbh={}=;\n\tb={}\n\t {}",
        rng.alnum(43),
        rng.alnum(70),
        rng.alnum(100)
    );
    let _ = writeln!(
        s,
        "Message-ID: <{}.{}.{}@{SENDER_HOST}>",
        m.campaign.key,
        m.seq,
        rng.hex(8)
    );
    let _ = writeln!(s, "Date: {}", date(m.sent_at));
    let _ = writeln!(s, "From: \"Shop Example\" <{SENDER}>");
    let _ = writeln!(s, "To: {rcpt}");
    let _ = writeln!(s, "Subject: {}", subject_header(&m.campaign.name));
    s.push_str("MIME-Version: 1.0\nList-Id: Shop newsletter <newsletter.shop.example>\n");
    let token = rng.hex(16);
    let _ = writeln!(
        s,
        "List-Unsubscribe: <https://shop.example/u/{token}>, <mailto:unsub-{token}@shop.example>"
    );
    s.push_str("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n");
    let header = if m.seq % 7 == 3 {
        "X-Campaign"
    } else {
        "X-Campaign-Id"
    };
    let _ = writeln!(s, "{header}: {}", m.campaign.key);
}

fn original(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    original_headers(m, rng, s);
    let alt = format!("alt-{}", rng.hex(12));
    let body_len = rng.range(1000, 4500) as usize;
    if m.big_attachment {
        let mixed = format!("mix-{}", rng.hex(12));
        let _ = writeln!(
            s,
            "Content-Type: multipart/mixed; boundary=\"{mixed}\"\n\n--{mixed}"
        );
        alternative(&alt, body_len, parts, rng, s);
        let _ = writeln!(
            s,
            "--{mixed}\nContent-Type: application/pdf; name=\"catalogue-{}.pdf\"\nContent-Disposition: attachment; filename=\"catalogue-{}.pdf\"\nContent-Transfer-Encoding: base64\n",
            m.campaign.key, m.campaign.key
        );
        s.push_str(&parts.big_base64);
        let _ = writeln!(s, "--{mixed}--");
    } else {
        alternative(&alt, body_len, parts, rng, s);
    }
}

fn alternative(b: &str, len: usize, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let _ = writeln!(
        s,
        "Content-Type: multipart/alternative; boundary=\"{b}\"\n\n--{b}"
    );
    s.push_str("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
    parts.filler.text(rng, len, s);
    let _ = writeln!(
        s,
        "--{b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
    );
    parts.filler.html(rng, len, s);
    let _ = writeln!(s, "--{b}--");
}

fn report_head(
    s: &mut String,
    from: &str,
    subject: &str,
    to: &str,
    m: &Msg,
    boundary: &str,
    msgid: &str,
) {
    let _ = writeln!(
        s,
        "Return-Path: <>\nDate: {}\nFrom: {from}\nSubject: {subject}\nTo: {to}",
        date(m.arrived)
    );
    let _ = writeln!(
        s,
        "Auto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\nMessage-Id: <{msgid}>\n"
    );
}

fn postfix(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let mta = format!("mail{}.shop.example", m.seq % 4 + 1);
    let qid = rng.hex(10).to_uppercase();
    let b = format!("{qid}.{}/{mta}", m.arrived.timestamp());
    let _ = writeln!(
        s,
        "Received: by {mta} (Postfix)\n\tid {qid}; {}",
        date(m.arrived)
    );
    let subject = if deferred(m) {
        "Delayed Mail (still being retried)"
    } else {
        "Undelivered Mail Returned to Sender"
    };
    report_head(
        s,
        &format!("MAILER-DAEMON@{mta} (Mail Delivery System)"),
        subject,
        SENDER,
        m,
        &b,
        &format!("{}.{qid}@{mta}", m.arrived.format("%Y%m%d%H%M%S")),
    );
    let _ = writeln!(s, "This is a MIME-encapsulated message.\n\n--{b}\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n");
    let _ = writeln!(s, "This is the mail system at host {mta}.\n");
    if deferred(m) {
        s.push_str("####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n");
    } else {
        s.push_str("I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n");
    }
    for r in &m.rcpts {
        let ip = doc_ip(rng);
        let domain = crate::model::recipient_domain(&r.addr);
        match r.sc.reply {
            Some(_) => fold(
                &format!("<{}>", r.addr),
                &format!(
                    "host mx.{domain}[{ip}] said: {} (in reply to RCPT TO command)",
                    r.diag
                ),
                s,
            ),
            None => {
                let _ = writeln!(s, "<{}>: {}", r.addr, r.diag);
            }
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "--{b}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n"
    );
    let _ = writeln!(s, "Reporting-MTA: dns; {mta}\nX-Postfix-Queue-ID: {qid}\nX-Postfix-Sender: rfc822; {SENDER}\nArrival-Date: {}\n", date(m.sent_at));
    for r in &m.rcpts {
        recipient_group(r, m, false, true, s);
    }
    returned(m, parts, rng, &b, s);
}

fn exim(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let mta = "mx-out.hosting.example";
    let id = format!("{}-{}-{}", rng.alnum(6), rng.alnum(6), rng.alnum(2));
    let failed: Vec<&str> = m.rcpts.iter().map(|r| r.addr.as_str()).collect();
    let _ = writeln!(s, "Return-path: <>\nReceived: from mail by {mta} with local (Exim 4.96)\n\tid {id}\n\tfor {SENDER}; {}", date(m.arrived));
    let _ = writeln!(s, "X-Failed-Recipients: {}\nAuto-Submitted: auto-replied\nFrom: Mail Delivery System <Mailer-Daemon@{mta}>\nTo: {SENDER}", failed.join(", "));
    let _ = writeln!(s, "Content-Type: text/plain; charset=us-ascii\nSubject: Mail delivery failed: returning message to sender\nMessage-Id: <E{id}@{mta}>\nDate: {}\n", date(m.arrived));
    s.push_str("This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n");
    for r in &m.rcpts {
        let domain = crate::model::recipient_domain(&r.addr);
        let _ = writeln!(s, "  {}\n    host mx.{domain} [{}]\n    SMTP error from remote mail server after RCPT TO:<{}>:\n    {}\n", r.addr, doc_ip(rng), r.addr, r.diag);
    }
    if m.headers_only {
        s.push_str("------ This is a copy of the message's headers. ------\n\n");
        original_headers(m, rng, s);
    } else {
        s.push_str("------ This is a copy of the message, including all the headers. ------\n\n");
        original(m, parts, rng, s);
    }
}

fn sendmail(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let mta = "smtpgw.shop.example";
    let qid = format!("{}{}", rng.alnum(8), rng.range(100_000, 999_999));
    let b = format!("{qid}.{}/{mta}", m.arrived.timestamp());
    let subject = if deferred(m) {
        "Warning: could not send message for past 4 hours"
    } else {
        "Returned mail: see transcript for details"
    };
    let _ = writeln!(
        s,
        "Received: from localhost (localhost)\n\tby {mta} (8.17.1/8.17.1) id {qid};\n\t{}",
        date(m.arrived)
    );
    report_head(
        s,
        &format!("Mail Delivery Subsystem <MAILER-DAEMON@{mta}>"),
        subject,
        &format!("<{SENDER}>"),
        m,
        &b,
        &format!("{}.{qid}@{mta}", m.arrived.format("%Y%m%d%H%M")),
    );
    let _ = writeln!(s, "This is a MIME-encapsulated message\n\n--{b}\n");
    let _ = writeln!(
        s,
        "The original message was received at {}\nfrom {SENDER_HOST} [203.0.113.7]\n",
        date(m.sent_at)
    );
    let header = if deferred(m) {
        "The following addresses had transient non-fatal errors"
    } else {
        "The following addresses had permanent fatal errors"
    };
    let _ = writeln!(s, "   ----- {header} -----");
    for r in &m.rcpts {
        let _ = writeln!(s, "<{}>\n    (reason: {})", r.addr, r.diag);
    }
    s.push_str("\n   ----- Transcript of session follows -----\n");
    for r in &m.rcpts {
        let _ = writeln!(
            s,
            "... while talking to mx.{}.:\n>>> RCPT To:<{}>\n<<< {}",
            crate::model::recipient_domain(&r.addr),
            r.addr,
            r.diag
        );
    }
    let _ = writeln!(s, "\n--{b}\nContent-Type: message/delivery-status\n");
    let _ = writeln!(
        s,
        "Reporting-MTA: dns; {mta}\nReceived-From-MTA: DNS; {SENDER_HOST}\nArrival-Date: {}\n",
        date(m.sent_at)
    );
    for r in &m.rcpts {
        recipient_group(r, m, true, false, s);
    }
    returned(m, parts, rng, &b, s);
}

fn office365(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let host = format!(
        "AM{}PR0{}MB{}.eurprd0{}.prod.outlook.example",
        rng.range(1, 9),
        rng.range(1, 9),
        rng.range(1000, 9999),
        rng.range(1, 9)
    );
    let b = format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    );
    let _ = writeln!(
        s,
        "Received: from {host} by {host} with mapi; {}",
        date(m.arrived)
    );
    let _ = writeln!(
        s,
        "From: Microsoft Outlook <postmaster@outlook.example>\nTo: <{SENDER}>\nDate: {}",
        date(m.arrived)
    );
    let _ = writeln!(s, "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{b}\"\nX-MS-Exchange-Message-Is-Ndr:\nContent-Language: en-US");
    let _ = writeln!(s, "Message-ID: <{}@{host}>\nSubject: Undeliverable: {}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n", rng.hex(32), subject_header(&m.campaign.name));
    let alt = rng.hex(24);
    let _ = writeln!(s, "--{b}\nContent-Type: multipart/alternative; boundary=\"{alt}\"\n\n--{alt}\nContent-Type: text/plain; charset=\"us-ascii\"\nContent-Transfer-Encoding: 7bit\n");
    for r in &m.rcpts {
        let _ = writeln!(
            s,
            "Your message to {} couldn't be delivered.\n\nThe server {} answered:\n{}\n",
            r.addr,
            crate::model::recipient_domain(&r.addr),
            r.diag
        );
    }
    let _ = writeln!(s, "--{alt}\nContent-Type: text/html; charset=\"us-ascii\"\n\n<html><body><p>Your message couldn't be delivered.</p></body></html>\n--{alt}--\n");
    let _ = writeln!(s, "--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;{host}\nReceived-From-MTA: dns;{SENDER_HOST}\nArrival-Date: {}\n", date(m.sent_at));
    for r in &m.rcpts {
        let _ = writeln!(
            s,
            "Final-Recipient: rfc822;{}\nAction: {}\nStatus: {}",
            r.addr,
            action(r),
            r.sc.status
        );
        fold("Diagnostic-Code", &format!("smtp;{}", r.diag), s);
        let _ = writeln!(
            s,
            "X-Display-Name: {}\n",
            r.addr.split('@').next().unwrap_or("")
        );
    }
    returned(m, parts, rng, &b, s);
}

fn gmail(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let b = format!("000000000000{}", rng.hex(12));
    let b2 = format!("000000000000{}", rng.hex(12));
    let rcpts: Vec<&str> = m.rcpts.iter().map(|r| r.addr.as_str()).collect();
    let kind = if deferred(m) { "Delay" } else { "Failure" };
    let _ = writeln!(
        s,
        "Return-Path: <>\nReceived: by mail-sor-f69.google.example with SMTP id {}; {}",
        rng.alnum(20),
        date(m.arrived)
    );
    let _ = writeln!(s, "From: Mail Delivery Subsystem <mailer-daemon@googlemail.example>\nTo: {SENDER}\nAuto-Submitted: auto-replied\nSubject: Delivery Status Notification ({kind})");
    let _ = writeln!(
        s,
        "X-Failed-Recipients: {}\nMessage-ID: <{}@mx.google.example>\nDate: {}",
        rcpts.join(", "),
        rng.alnum(28),
        date(m.arrived)
    );
    let _ = writeln!(s, "MIME-Version: 1.0\nContent-Type: multipart/report; boundary=\"{b}\"; report-type=delivery-status\n\n--{b}\nContent-Type: multipart/alternative; boundary=\"{b2}\"\n\n--{b2}\nContent-Type: text/plain; charset=\"UTF-8\"\n");
    let headline = if deferred(m) {
        "** Message not delivered yet **"
    } else {
        "** Address not found **"
    };
    let _ = writeln!(s, "\n{headline}\n\nYour message wasn't delivered to {} because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:", rcpts.join(", "));
    for r in &m.rcpts {
        let _ = writeln!(s, "{}", r.diag);
    }
    let _ = writeln!(s, "\n--{b2}\nContent-Type: text/html; charset=\"UTF-8\"\n\n<html><body><h2>{headline}</h2><p>Your message wasn't delivered.</p></body></html>\n--{b2}--");
    let _ = writeln!(s, "--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.example\nReceived-From-MTA: dns; {SENDER_HOST}\nArrival-Date: {}\n", date(m.sent_at));
    for r in &m.rcpts {
        recipient_group(r, m, false, false, s);
    }
    returned(m, parts, rng, &b, s);
}

fn appliance(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let b = format!("=_{}", rng.alnum(20));
    let mta = "gateway.filter.example";
    report_head(
        s,
        &format!("postmaster@{mta}"),
        "Delivery Status Notification",
        SENDER,
        m,
        &b,
        &format!("{}@{mta}", rng.hex(16)),
    );
    let _ = writeln!(s, "--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nDelivery has failed to these recipients or groups:\n");
    for r in &m.rcpts {
        let _ = writeln!(s, "{}\n", r.addr);
    }
    let _ = writeln!(
        s,
        "--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; {mta}\n"
    );
    for r in &m.rcpts {
        recipient_group(r, m, false, false, s);
    }
    returned(m, parts, rng, &b, s);
}

fn complaint(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let b = format!("fbl_{}", rng.hex(16));
    let rcpt = m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("");
    let _ = writeln!(s, "Return-Path: <>\nFrom: Feedback Loop <feedbackloop@fbl.mailbox.example>\nTo: fbl@shop.example\nDate: {}", date(m.arrived));
    let _ = writeln!(s, "Subject: complaint about message from 203.0.113.7\nMIME-Version: 1.0\nMessage-ID: <{}@fbl.mailbox.example>", rng.hex(20));
    let _ = writeln!(s, "Content-Type: multipart/report; report-type=feedback-report;\n\tboundary=\"{b}\"\n\n--{b}\nContent-Type: text/plain; charset=\"US-ASCII\"\n");
    s.push_str("This is an email abuse report for an email message received from IP\n203.0.113.7. For more information about this format please see\nhttps://www.rfc-editor.org/rfc/rfc5965\n\n");
    let _ = writeln!(s, "--{b}\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: MailboxFBL/2.1\nVersion: 1\nOriginal-Mail-From: <bounces@{SENDER_HOST}>");
    let _ = writeln!(s, "Original-Rcpt-To: <{rcpt}>\nArrival-Date: {}\nReporting-MTA: dns; mx.mailbox.example\nSource-IP: 203.0.113.7\nReported-Domain: shop.example\n", date(m.sent_at));
    returned(m, parts, rng, &b, s);
}

const AUTO_SUBJECTS: &[&str] = &[
    "Automatic reply",
    "Out of Office",
    "Respuesta automática",
    "Trả lời tự động",
    "Abwesenheitsnotiz",
];

fn auto_reply(m: &Msg, rng: &mut Rng, s: &mut String) {
    let rcpt = m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("");
    let subject = format!("{}: {}", rng.pick(AUTO_SUBJECTS), m.campaign.name);
    let _ = writeln!(
        s,
        "Return-Path: <{rcpt}>\nFrom: <{rcpt}>\nTo: {SENDER}\nDate: {}\nSubject: {}",
        date(m.arrived),
        subject_header(&subject)
    );
    if m.seq.is_multiple_of(2) {
        s.push_str("Auto-Submitted: auto-replied\n");
    } else {
        s.push_str("X-Autoreply: yes\nPrecedence: auto_reply\n");
    }
    let _ = writeln!(s, "Message-ID: <{}@{}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", rng.hex(20), crate::model::recipient_domain(rcpt));
    let _ = writeln!(s, "Hello,\n\nI am out of the office until {} with limited access to email.\nFor urgent matters please call the front desk.\n\nThank you.", date(m.arrived + Duration::days(7)));
}

fn ordinary(m: &Msg, parts: &Parts, rng: &mut Rng, s: &mut String) {
    let rcpt = m.rcpts.first().map(|r| r.addr.as_str()).unwrap_or("");
    let _ = writeln!(
        s,
        "Return-Path: <{rcpt}>\nFrom: <{rcpt}>\nTo: {SENDER}\nDate: {}\nSubject: Re: {}",
        date(m.arrived),
        subject_header(&m.campaign.name)
    );
    let _ = writeln!(
        s,
        "Message-ID: <{}@{}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n",
        rng.hex(20),
        crate::model::recipient_domain(rcpt)
    );
    s.push_str(
        "Hi, do you ship to Vietnam? And is the discount valid in store too?\n\nThanks!\n\n> ",
    );
    parts.filler.text(rng, 600, s);
}

/// Standard base64 (RFC 4648) with padding.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Scenario diagnostics with the placeholders filled for one recipient.
pub fn diagnostic(sc: &Scenario, rcpt: &str, rng: &mut Rng) -> String {
    fill(sc.diagnostic, rcpt, &doc_ip(rng))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
