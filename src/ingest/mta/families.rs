//! Which software or provider sent a bounce, from signatures in its headers
//! and first lines, and the family rules that differ from the generic reader.

use crate::ingest::mailbox::message::{Finding, Mail};

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
    ("notes", Place::Headers, "lotus notes"),
    ("notes", Place::Text, "lotus notes"),
    ("exchange", Place::Headers, "microsoft exchange"),
    ("exchange", Place::Headers, "x-ms-"),
    ("exchange", Place::Headers, "x-mimeole"),
    ("dragonfly", Place::Text, "dragonfly mail agent"),
    ("opensmtpd", Place::Text, "opensmtpd"),
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

/// The family (provider or MTA software) that sent the bounce, if recognized.
pub fn family(mail: &Mail<'_>) -> Option<&'static str> {
    let from = mail.from.to_ascii_lowercase();
    let mut headers = String::new();
    for (n, v) in mail.all_headers() {
        headers.push_str(&n.to_ascii_lowercase());
        headers.push_str(": ");
        headers.push_str(&v.to_ascii_lowercase());
        headers.push('\n');
        if headers.len() > 16 * 1024 {
            break;
        }
    }
    let head_text: String = mail.text.chars().take(4096).collect::<String>().to_lowercase();
    SIGNATURES.iter().find_map(|(fam, place, needle)| {
        let hay = match place {
            Place::From => &from,
            Place::Headers => &headers,
            Place::Text => &head_text,
        };
        hay.contains(needle).then_some(*fam)
    })
}

/// Families whose every message from a daemon-like sender is a bounce.
pub fn is_bounce_sender(_family: &'static str) -> bool {
    false
}

/// Families that put the failed recipient in the bounce's own X-Original-To.
pub fn keeps_original_to(mail: &Mail<'_>) -> bool {
    mail.text.to_ascii_lowercase().contains("dragonfly mail agent")
}

/// Family-specific readers; `None` lets the generic reader work.
pub fn parse(mail: &Mail<'_>, family: Option<&'static str>) -> Option<Vec<Finding>> {
    match family {
        Some("amazon_ses") => super::amazonses::parse(mail),
        Some("fml") => super::fml::parse(mail),
        _ => None,
    }
}
