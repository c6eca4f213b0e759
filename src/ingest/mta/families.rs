//! Which software or provider sent a bounce, from signatures in its headers
//! and first lines, and the family rules that differ from the generic reader.

use crate::ingest::mailbox::message::{Finding, Mail};
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// (family, where to look, needle lowercased). Providers before the MTA software
/// they run, since a provider's bounce often also names its MTA.
const SIGNATURES: &[(&str, Place, &str)] = &[
    ("amazon_ses", Place::Headers, "amazonses.com"),
    ("fml", Place::Headers, "x-mlserver: fml"),
    ("amazon_workmail", Place::Headers, "x-amzn-"),
    ("googlegroups", Place::Headers, "googlegroups.com"),
    ("gmail", Place::From, "@googlemail.com"),
    ("gmail", Place::From, "@google.com"),
    ("yahoo", Place::From, "yahoo"),
    ("aol", Place::From, "aol.com"),
    ("outlook", Place::From, "@hotmail.com"),
    ("outlook", Place::From, "@outlook.com"),
    ("outlook", Place::Headers, ".hotmail."),
    ("office365", Place::Headers, "protection.outlook.com"),
    ("office365", Place::Headers, "x-ms-exchange-crosstenant"),
    ("mailru", Place::From, "mail.ru"),
    ("yandex", Place::From, "yandex"),
    ("gmx", Place::From, "gmx."),
    ("gmx", Place::From, "web.de"),
    ("einsundeins", Place::From, "1und1"),
    ("zoho", Place::Headers, "zoho"),
    ("icloud", Place::From, "icloud.com"),
    ("ezweb", Place::From, "ezweb.ne.jp"),
    ("kddi", Place::From, "au.com"),
    ("kddi", Place::Headers, "auone-net.jp"),
    ("docomo", Place::From, "docomo.ne.jp"),
    ("biglobe", Place::From, "biglobe.ne.jp"),
    ("messagelabs", Place::Headers, "messagelabs"),
    ("mimecast", Place::Headers, "mimecast"),
    ("proofpoint", Place::Headers, "pphosted"),
    ("barracuda", Place::Headers, "barracuda"),
    ("ironport", Place::Headers, "ironport"),
    ("trendmicro", Place::Text, "trend micro"),
    ("mcafee", Place::Headers, "mcafee"),
    ("mxlogic", Place::Headers, "mxlogic"),
    ("verizon", Place::From, "verizon"),
    ("domino", Place::Headers, "lotus domino"),
    ("domino", Place::Headers, "subject: delivery failure: user"),
    ("powermta", Place::Headers, "powermta"),
    ("notes", Place::Headers, "lotus notes"),
    ("notes", Place::Text, "lotus notes"),
    ("exchange", Place::Headers, "microsoft exchange"),
    ("exchange", Place::Headers, "x-ms-"),
    ("exchange", Place::Headers, "x-mimeole"),
    ("dragonfly", Place::Text, "dragonfly mail agent"),
    ("opensmtpd", Place::Text, "opensmtpd"),
    ("opensmtpd", Place::Headers, "(opensmtpd)"),
    ("courier", Place::Text, "courier mail server"),
    ("qmail", Place::Text, "qmail-send"),
    ("qmail", Place::Headers, "(qmail "),
    ("exim", Place::Text, "created automatically by mail delivery software"),
    ("exim", Place::Headers, "x-failed-recipients"),
    ("exim", Place::Headers, "(exim "),
    ("postfix", Place::Text, "this is the mail system at"),
    ("postfix", Place::Headers, "(postfix)"),
    ("sendmail", Place::Text, "transcript of session follows"),
    ("sendmail", Place::Headers, "sendmail"),
    ("imailserver", Place::Headers, "imail"),
    ("messagingserver", Place::Headers, "sun java system messaging server"),
    ("messagingserver", Place::Headers, "oracle communications messaging"),
    ("apachejames", Place::Headers, "james"),
];

#[derive(Clone, Copy, PartialEq)]
enum Place {
    From,
    Headers,
    Text,
}

/// One automaton per place over its needles, so a message is scanned once
/// whatever the number of signatures. Pattern ids map back to SIGNATURES.
type Matcher = Option<(AhoCorasick, Vec<usize>)>;

struct Matchers {
    headers: Matcher,
    text: Matcher,
}

fn build(place: Place) -> Matcher {
    let idx: Vec<usize> = SIGNATURES.iter().enumerate().filter(|(_, s)| s.1 == place).map(|(i, _)| i).collect();
    let needles: Vec<&str> = idx.iter().filter_map(|&i| SIGNATURES.get(i).map(|s| s.2)).collect();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(needles)
        .ok()?;
    Some((ac, idx))
}

static MATCHERS: LazyLock<Matchers> = LazyLock::new(|| Matchers { headers: build(Place::Headers), text: build(Place::Text) });

fn best(m: &Matcher, hay: &[u8], best: &mut usize) {
    let Some((ac, idx)) = m else { return };
    // Non-overlapping matches are enough: signatures rarely overlap, and the
    // overlapping search cost a tenth of the whole parse.
    for hit in ac.find_iter(hay) {
        if let Some(&i) = idx.get(hit.pattern().as_usize()) {
            *best = (*best).min(i);
        }
    }
}

/// The family (provider or MTA software) that sent the bounce, if recognized.
pub fn family(mail: &Mail<'_>) -> Option<&'static str> {
    let from = mail.from.to_ascii_lowercase();
    let mut top = SIGNATURES.iter().position(|(_, p, n)| *p == Place::From && from.contains(n)).unwrap_or(usize::MAX);
    let mut headers = String::with_capacity(4096);
    for (n, v) in mail.all_headers() {
        headers.push_str(n);
        headers.push_str(": ");
        headers.push_str(v);
        headers.push('\n');
        if headers.len() > 8 * 1024 {
            break;
        }
    }
    best(&MATCHERS.headers, headers.as_bytes(), &mut top);
    let text = mail.text.as_bytes();
    best(&MATCHERS.text, text.get(..text.len().min(4096)).unwrap_or(text), &mut top);
    SIGNATURES.get(top).map(|s| s.0)
}

/// Families whose every message from a daemon-like sender is a bounce.
pub fn is_bounce_sender(_family: &'static str) -> bool {
    false
}

/// Families that put the failed recipient in the bounce's own X-Original-To.
pub fn keeps_original_to(mail: &Mail<'_>) -> bool {
    mail.text.get(..mail.text.len().min(512)).is_some_and(|t| t.contains("DragonFly Mail Agent"))
}

/// Family-specific readers; `None` lets the generic reader work.
pub fn parse(mail: &Mail<'_>, family: Option<&'static str>) -> Option<Vec<Finding>> {
    match family {
        Some("amazon_ses") => super::amazonses::parse(mail),
        Some("fml") => super::fml::parse(mail),
        _ => None,
    }
}
