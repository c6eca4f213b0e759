//! Bounces that are not clean DSNs: the text formats of MTAs and mailbox
//! providers. `family` names the sender's software from its signatures; the
//! generic reader in `text` handles the shapes most of them share (an address
//! line followed by the remote server's words); family modules add what differs.

// The shared engine: signatures registry, scanners, the generic text reader, the
// SMTP stage reader.
mod families;
pub mod scan;
pub mod stage;
mod text;
#[cfg(test)]
mod testkit;

// One module per family: its signatures, its quirks, its tests.
mod amazonses;
mod amazonworkmail;
mod apachejames;
mod barracuda;
mod biglobe;
mod courier;
mod docomo;
mod dragonfly;
mod einsundeins;
mod exim;
mod ezweb;
mod fml;
mod gmx;
mod google;
mod icloud;
mod imailserver;
mod ironport;
mod kddi;
mod mailru;
mod mcafee;
mod messagelabs;
mod messagingserver;
mod microsoft;
mod mimecast;
mod mxlogic;
mod notes;
mod opensmtpd;
mod postfix;
mod powermta;
mod proofpoint;
mod qmail;
mod sendmail;
mod trendmicro;
mod verizon;
mod yahoo;
mod yandex;
mod zoho;

use crate::ingest::mailbox::message::{Finding, Mail};

pub use families::{family, names as family_names, parse as family_parse};
pub use text::{enrich, names_recipient, parse, split_original};
pub(crate) use text::Block;

/// Local parts of the machines that send bounces.
const DAEMONS: &[&str] = &[
    "mailer-daemon",
    "mailerdaemon",
    "postmaster",
    "post_master",
    "mail-daemon",
    "maildaemon",
    "mdaemon",
    "mail.daemon",
    "bounce",
    "bounces",
    "nobody",
    "mmdf",
    "mail_delivery_system",
    "mail-delivery-system",
];

/// Subjects of bounces and delay warnings, lowercased.
const BOUNCE_SUBJECTS: &[&str] = &[
    "undeliver",
    "undelivered",
    "delivery fail",
    "delivery status",
    "failure notice",
    "returned mail",
    "mail delivery",
    "could not be delivered",
    "delivery notification",
    "nondeliverable",
    "non-deliverable",
    "non remis",
    "unzustellbar",
    "nicht zustellbar",
    "no entregado",
    "não entregue",
    "non recapitato",
    "delivery problem",
    "delivery error",
    "mail system error",
    "returned to sender",
    "warning: could not send",
    "delayed mail",
    "delivery delayed",
    "failed delivery",
    "message not delivered",
    "error sending message",
    "rejected",
    "mail error",
    "bounce",
    "message delivery has failed",
    "returned message",
    "mail failure",
    "permanent error",
    "delivery report",
    "undeliverable",
    "not delivered",
    "notification of delivery",
    "nondelivery",
    "problem delivering",
    "mail could not",
    "unable to deliver",
    "delivery has failed",
    "mail delivery failed",
    "returning message",
    "failed mail",
    "mail not delivered",
    "unknown recipient",
    "エラー",
    "不達",
    "返送",
    "配送",
    "届きません",
    "送信できません",
    "недоставлен",
    "не доставлено",
    "ошибка доставки",
    "notificación de estado",
    "no se pudo entregar",
    "échec de la remise",
];

/// Does this look like a delivery failure report at all? Keeps ordinary mail
/// and auto-replies out of the text readers.
pub fn is_bounce(mail: &Mail<'_>, _family: Option<&'static str>) -> bool {
    if mail.dsn.is_some() || mail.header("x-failed-recipients").is_some() {
        return true;
    }
    let local = mail.from.split('@').next().unwrap_or("");
    if DAEMONS
        .iter()
        .any(|d| local.eq_ignore_ascii_case(d) || local.starts_with(d))
    {
        return true;
    }
    let name = mail.from_name.to_lowercase();
    if [
        "mail delivery",
        "mailer-daemon",
        "mailer daemon",
        "postmaster",
        "mail administrator",
        "delivery status",
        "mail system",
    ]
    .iter()
    .any(|n| name.contains(n))
    {
        return true;
    }
    // A bounce-like subject alone is weak ("Your order was rejected"): it also
    // needs the null return path of automatic mail or a code in the text.
    let subject_hit = SUBJECTS
        .as_ref()
        .is_some_and(|ac| ac.is_match(&crate::classify::text_prefix(&mail.subject, 1024).to_lowercase()));
    if subject_hit && (null_sender(mail) || has_code(&mail.text)) {
        return true;
    }
    let ct = mail
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.contains("multipart/report") {
        return true;
    }
    let t = mail.text.as_bytes();
    PHRASES
        .as_ref()
        .is_some_and(|ac| ac.is_match(t.get(..t.len().min(3000)).unwrap_or(t)))
}

static SUBJECTS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BOUNCE_SUBJECTS)
            .ok()
    });

static PHRASES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BOUNCE_PHRASES)
            .ok()
    });

fn null_sender(mail: &Mail<'_>) -> bool {
    mail.header("return-path")
        .is_some_and(|r| r.trim().trim_matches(['<', '>', ' ']).is_empty())
}

fn has_code(text: &str) -> bool {
    let head = text.get(..text.len().min(4000)).unwrap_or(text);
    scan::status(head).is_some() || scan::reply_code(head).is_some()
}

/// Sentences only failure reports write, lowercased.
const BOUNCE_PHRASES: &[&str] = &[
    "could not be delivered to",
    "was not delivered to",
    "delivery to the following recipient",
    "the following address(es) failed",
    "permanent fatal errors",
    "i'm afraid i wasn't able to deliver",
    "your message couldn't be delivered",
    "your message could not be delivered",
    "delivery has failed",
    "message you sent could not be delivered",
    "unable to deliver your message",
];

/// A finding for one recipient with the usual fields taken from text.
pub(crate) fn finding(recipient: &str, diagnostic: &str) -> Finding {
    let mut f = Finding::new(crate::model::Kind::Bounce);
    f.recipient = crate::model::normalize_email(recipient);
    let d = diagnostic.trim();
    if !d.is_empty() {
        f.status = scan::best_status(d);
        f.reply_code = scan::reply_code(d);
        f.remote_mta = remote_host(d);
        f.diagnostic = Some(scan::join_reply_lines(d));
    }
    f
}

/// The remote server a text bounce names: `host mx.example.com[192.0.2.1]`
/// (Postfix), `host mx.example.com [192.0.2.1]` (Exim), `… by mx.example.com`.
pub(crate) fn remote_host(d: &str) -> Option<String> {
    let lower = d.to_ascii_lowercase();
    let at = lower.find("host ")? + 5;
    let rest = d.get(at..)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '[' || c == ':' || c == ',' || c == ')')
        .unwrap_or(rest.len());
    let host = rest.get(..end)?.trim_end_matches('.');
    let plausible = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    plausible.then(|| host.to_ascii_lowercase())
}
