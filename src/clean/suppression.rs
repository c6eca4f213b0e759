//! Suppression files to upload to the sending provider, in the column layouts
//! their suppression / unsubscribe imports take (see
//! ../shared/formats/IMPORT-FORMATS.md). Only Mailgun's import headers are
//! documented there; the others are marked as unconfirmed below and use the
//! column names the same document gives for that provider's own files.

use super::writer::{cell, AtomicFile};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionFormat {
    /// One address per line, no header.
    Plain,
    Mailchimp,
    Sendgrid,
    /// Mailgun's bounce-list layout, with every suppressed address.
    Mailgun,
    /// Mailgun bounces list: hard bounces and other address problems.
    MailgunBounces,
    MailgunUnsubscribes,
    MailgunComplaints,
    Brevo,
    Klaviyo,
}

pub const FORMATS: &[&str] =
    &["plain", "mailchimp", "sendgrid", "mailgun", "mailgun-bounces", "mailgun-unsubscribes", "mailgun-complaints", "brevo", "klaviyo"];

impl SuppressionFormat {
    pub fn parse(s: &str) -> Result<SuppressionFormat> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "plain" | "txt" | "text" => SuppressionFormat::Plain,
            "mailchimp" => SuppressionFormat::Mailchimp,
            "sendgrid" => SuppressionFormat::Sendgrid,
            "mailgun" => SuppressionFormat::Mailgun,
            "mailgun-bounces" => SuppressionFormat::MailgunBounces,
            "mailgun-unsubscribes" => SuppressionFormat::MailgunUnsubscribes,
            "mailgun-complaints" => SuppressionFormat::MailgunComplaints,
            "brevo" | "sendinblue" => SuppressionFormat::Brevo,
            "klaviyo" => SuppressionFormat::Klaviyo,
            other => return Err(Error::Invalid(format!("unknown suppression format '{other}'; formats: {}", FORMATS.join(", ")))),
        })
    }

    /// `--suppression FORMAT:FILE`.
    pub fn parse_spec(spec: &str) -> Result<(SuppressionFormat, PathBuf)> {
        let (f, file) = spec
            .split_once(':')
            .filter(|(_, file)| !file.is_empty())
            .ok_or_else(|| Error::Invalid(format!("--suppression wants FORMAT:FILE (formats: {}), got '{spec}'", FORMATS.join(", "))))?;
        Ok((SuppressionFormat::parse(f)?, PathBuf::from(file)))
    }

    fn header(self) -> Option<&'static str> {
        Some(match self {
            SuppressionFormat::Plain => return None,
            // ⚠ Unconfirmed: Mailchimp's import of unsubscribed/cleaned contacts is
            // believed to need its default merge field name, the one its audience
            // exports use ("Email Address").
            SuppressionFormat::Mailchimp => "Email Address",
            // ⚠ Unconfirmed: the SendGrid suppression CSV columns; its API and
            // webhook name the address field `email`.
            SuppressionFormat::Sendgrid => "email",
            // Documented: Mailgun's bounce import takes exactly these headers.
            SuppressionFormat::Mailgun | SuppressionFormat::MailgunBounces => "address,code,error,created_at",
            SuppressionFormat::MailgunUnsubscribes => "address,tag,created_at",
            SuppressionFormat::MailgunComplaints => "address,created_at",
            // ⚠ Unconfirmed: Brevo's contact import (with "blocklist" ticked) names the address attribute EMAIL.
            SuppressionFormat::Brevo => "EMAIL",
            // ⚠ Unconfirmed: Klaviyo's suppressed-profile import; `Email` as in its profile exports.
            SuppressionFormat::Klaviyo => "Email",
        })
    }

    fn takes(self, e: &SuppressionEntry) -> bool {
        let email = e.address.contains('@');
        match self {
            SuppressionFormat::Plain => true,
            SuppressionFormat::MailgunBounces => email && !matches!(e.reason, "unsubscribe" | "complaint"),
            SuppressionFormat::MailgunUnsubscribes => email && e.reason == "unsubscribe",
            SuppressionFormat::MailgunComplaints => email && e.reason == "complaint",
            _ => email,
        }
    }
}

/// One address to suppress and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuppressionEntry {
    pub address: String,
    pub reason: &'static str,
    pub at: Option<i64>,
    pub diagnostic: Option<String>,
}

/// Writes one suppression file (UTF-8, no BOM: what the providers' importers expect). Returns how many addresses.
pub fn write(format: SuppressionFormat, path: &Path, entries: &[SuppressionEntry]) -> Result<usize> {
    let (f, n) = prepare(format, path, entries)?;
    f.commit()?;
    Ok(n)
}

/// Writes the file's content without putting it in place yet, so a clean can
/// commit all its outputs together.
pub fn prepare(format: SuppressionFormat, path: &Path, entries: &[SuppressionEntry]) -> Result<(AtomicFile, usize)> {
    let mut f = AtomicFile::create(path)?;
    if let Some(h) = format.header() {
        f.write_all(h.as_bytes())?;
        f.write_all(b"\r\n")?;
    }
    let mut seen = HashSet::new();
    let mut n = 0;
    for e in entries.iter().filter(|e| format.takes(e)) {
        if !seen.insert(e.address.to_lowercase()) {
            continue;
        }
        f.write_all(line(format, e).as_bytes())?;
        f.write_all(b"\r\n")?;
        n += 1;
    }
    Ok((f, n))
}

fn line(format: SuppressionFormat, e: &SuppressionEntry) -> String {
    // A phone in E.164 (normalized by Rebound: `+` and digits only) is data, not a formula.
    let e164 = e.address.strip_prefix('+').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    let addr = if e164 { e.address.clone() } else { cell(&e.address, b',') };
    // Mailgun wants RFC 2822 dates; an address without a dated event gets today's.
    let created = || {
        let t = e.at.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).unwrap_or_else(chrono::Utc::now);
        cell(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string(), b',')
    };
    match format {
        SuppressionFormat::Mailgun | SuppressionFormat::MailgunBounces => {
            let error = match &e.diagnostic {
                Some(d) => format!("{}: {}", e.reason, d.chars().filter(|c| !c.is_control()).take(200).collect::<String>()),
                None => e.reason.to_string(),
            };
            format!("{addr},550,{},{}", cell(&error, b','), created())
        }
        SuppressionFormat::MailgunUnsubscribes => format!("{addr},*,{}", created()),
        SuppressionFormat::MailgunComplaints => format!("{addr},{}", created()),
        _ => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(a: &str, reason: &'static str) -> SuppressionEntry {
        SuppressionEntry { address: a.into(), reason, at: Some(1_319_194_975), diagnostic: Some("=cmd|' /C calc'!A0".into()) }
    }

    #[test]
    fn layouts_have_their_headers_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        let entries =
            vec![entry("a@example.com", "hard_bounce"), entry("A@example.com", "hard_bounce"), entry("u@example.com", "unsubscribe"), entry("+12025550101", "sms_opted_out")];
        let p = dir.path().join("mg.csv");
        assert_eq!(write(SuppressionFormat::Mailgun, &p, &entries).unwrap(), 2);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("address,code,error,created_at\r\na@example.com,550,"), "{text}");
        assert!(text.contains("Fri, 21 Oct 2011 11:02:55 GMT"), "{text}");
        let p = dir.path().join("unsub.csv");
        assert_eq!(write(SuppressionFormat::MailgunUnsubscribes, &p, &entries).unwrap(), 1);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "address,tag,created_at\r\nu@example.com,*,\"Fri, 21 Oct 2011 11:02:55 GMT\"\r\n");
        let p = dir.path().join("plain.txt");
        assert_eq!(write(SuppressionFormat::Plain, &p, &entries).unwrap(), 3);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a@example.com\r\nu@example.com\r\n+12025550101\r\n");
        let p = dir.path().join("mc.csv");
        write(SuppressionFormat::Mailchimp, &p, &entries).unwrap();
        assert!(std::fs::read_to_string(&p).unwrap().starts_with("Email Address\r\n"));
        assert!(SuppressionFormat::parse_spec("klaviyo:out.csv").is_ok());
        assert!(SuppressionFormat::parse_spec("nope:out.csv").is_err());
        assert!(SuppressionFormat::parse_spec("plain").is_err());
    }
}
