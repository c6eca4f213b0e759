//! The contract between the steps of the flow: what a parser produces, what the
//! classifier decides, what the store keeps and what reports read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Which channel carried the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

/// What happened to one message for one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Sent,
    Delivered,
    Bounce,
    Deferred,
    Complaint,
    Unsubscribe,
    AutoReply,
    /// The provider refused to even try because the address was already on its
    /// suppression list (SendGrid "dropped", SES "Suppressed"): not a fresh bounce.
    Suppressed,
}

/// What the marketer should do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// The address is bad: remove it.
    Hard,
    /// Temporary: keep and retry; remove only when the policy says so.
    Soft,
    /// The address is probably fine; the sending was refused.
    Block,
    Complaint,
    Unsubscribe,
    /// Not a failure (delivered, auto-reply, sent).
    None,
}

/// What happened, as a closed set. Serialized in snake_case (`user_unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UserUnknown,
    HostUnknown,
    MailboxFull,
    MailboxDisabled,
    HasMoved,
    NotAccept,
    MessageTooBig,
    Expired,
    RateLimited,
    Blocked,
    SpamDetected,
    VirusDetected,
    ContentError,
    AuthFailed,
    Policy,
    RelayDenied,
    SenderRejected,
    SyntaxError,
    SystemError,
    NetworkError,
    MailerError,
    Suppressed,
    Complaint,
    Unsubscribe,
    AutoReply,
    Delivered,
    SmsInvalidNumber,
    SmsUnreachable,
    SmsCarrierFiltered,
    SmsOptedOut,
    Unknown,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            /// The stable snake_case name used in the database, CLI and UI.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($s => Ok(<$t>::$v),)* _ => Err(format!("unknown {} '{}'", stringify!($t).to_lowercase(), s)) }
            }
        }
    };
}

str_enum!(Channel { Email => "email", Sms => "sms" });
str_enum!(Kind {
    Sent => "sent", Delivered => "delivered", Bounce => "bounce", Deferred => "deferred",
    Complaint => "complaint", Unsubscribe => "unsubscribe", AutoReply => "auto_reply",
    Suppressed => "suppressed",
});
str_enum!(Class {
    Hard => "hard", Soft => "soft", Block => "block", Complaint => "complaint",
    Unsubscribe => "unsubscribe", None => "none",
});
str_enum!(Reason {
    UserUnknown => "user_unknown", HostUnknown => "host_unknown", MailboxFull => "mailbox_full",
    MailboxDisabled => "mailbox_disabled", HasMoved => "has_moved", NotAccept => "not_accept",
    MessageTooBig => "message_too_big", Expired => "expired", RateLimited => "rate_limited",
    Blocked => "blocked", SpamDetected => "spam_detected", VirusDetected => "virus_detected",
    ContentError => "content_error", AuthFailed => "auth_failed", Policy => "policy",
    RelayDenied => "relay_denied", SenderRejected => "sender_rejected",
    SyntaxError => "syntax_error", SystemError => "system_error", NetworkError => "network_error",
    MailerError => "mailer_error", Suppressed => "suppressed", Complaint => "complaint",
    Unsubscribe => "unsubscribe", AutoReply => "auto_reply", Delivered => "delivered",
    SmsInvalidNumber => "sms_invalid_number", SmsUnreachable => "sms_unreachable",
    SmsCarrierFiltered => "sms_carrier_filtered", SmsOptedOut => "sms_opted_out",
    Unknown => "unknown",
});

/// Which campaign an event belongs to, as the source named it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct CampaignRef {
    /// Stable key: the provider's campaign id, an X-Campaign header value, or a
    /// derived key such as `subject:<subject>`.
    pub key: String,
    /// Human name (campaign title or subject) when known.
    pub name: Option<String>,
}

/// A campaign as stored, with the denominators rates need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: i64,
    pub key: String,
    pub name: Option<String>,
    pub channel: Option<Channel>,
    pub provider: Option<String>,
    /// Messages sent, when a summary, sent events or the user tell us. `None` = unknown.
    pub sent_count: Option<i64>,
    pub delivered_count: Option<i64>,
    pub first_event_at: Option<DateTime<Utc>>,
    pub last_event_at: Option<DateTime<Utc>>,
}

/// Where an event came from: the file and the place inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// The path as the user gave it (inside a zip: `archive.zip/inner/path`).
    pub file: String,
    /// `#3` for the third message of an mbox or zip, `#12` for row 12 of a report, empty for a single message.
    pub locator: String,
    /// Byte offset of the message or row in the file, when known.
    pub offset: Option<u64>,
}

impl Source {
    /// The `source` column of `rebound classify`: path plus locator.
    pub fn display(&self) -> String {
        format!("{}{}", self.file, self.locator)
    }
}

/// Headers of the message that bounced, used to find its campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OriginalMessage {
    pub message_id: Option<String>,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub list_id: Option<String>,
    /// Value of an X-Campaign / X-Campaign-Id / X-Mailgun-Campaign-Id style header.
    pub campaign_header: Option<String>,
}

/// The classifier's verdict, with the rule that decided and its evidence ("why?").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub class: Class,
    pub reason: Reason,
    /// Stable rule id, e.g. `status:5.1.1` or `phrase:mailbox_full:quota exceeded`.
    pub rule: String,
    /// What matched: the status, the code or the phrase, quoted from the input.
    pub evidence: String,
}

impl Default for Verdict {
    fn default() -> Self {
        Verdict {
            class: Class::None,
            reason: Reason::Unknown,
            rule: String::new(),
            evidence: String::new(),
        }
    }
}

/// One delivery outcome for one recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub channel: Channel,
    pub kind: Kind,
    /// Normalized: trimmed, domain lowercased; phones in E.164.
    pub recipient: String,
    pub campaign: Option<CampaignRef>,
    /// When the outcome happened, in UTC (bounce arrival, report timestamp).
    pub occurred_at: Option<DateTime<Utc>>,
    /// When the original message was sent, if known (for time-to-bounce).
    pub sent_at: Option<DateTime<Utc>>,
    /// RFC 3463 enhanced status, e.g. `5.1.1`.
    pub status: Option<String>,
    /// SMTP reply code, e.g. 550; or the SMS error code for SMS events.
    pub reply_code: Option<u32>,
    /// Diagnostic text exactly as the remote side or the provider gave it. Hostile: render as text.
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    /// `mailchimp`, `sendgrid`, … or the MTA family for mailbox bounces (`postfix`).
    pub provider: Option<String>,
    /// The provider's own label (`hard`, `Permanent/General`, `30003`), kept verbatim.
    pub provider_label: Option<String>,
    /// A reason the parser is sure of from format-specific knowledge; the classifier weighs it.
    pub reason_hint: Option<Reason>,
    /// The provider's own id for this event (SendGrid `sg_event_id`, SES feedbackId+recipient, …):
    /// when present it decides the fingerprint, so overlapping exports add nothing twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_event_id: Option<String>,
    /// The SMTP command the remote server refused (`RCPT`, `DATA`, `MAIL`, `CONN`,
    /// `HELO`…), when the bounce shows it: a "user unknown" after DATA is a filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_command: Option<String>,
    pub verdict: Verdict,
    pub source: Source,
    pub original: Option<OriginalMessage>,
}

impl Event {
    /// A fresh event with everything optional left empty and the verdict undecided.
    pub fn new(channel: Channel, kind: Kind, recipient: impl Into<String>, source: Source) -> Self {
        Event {
            channel,
            kind,
            recipient: recipient.into(),
            campaign: None,
            occurred_at: None,
            sent_at: None,
            status: None,
            reply_code: None,
            diagnostic: None,
            remote_mta: None,
            provider: None,
            provider_label: None,
            reason_hint: None,
            provider_event_id: None,
            smtp_command: None,
            verdict: Verdict::default(),
            source,
            original: None,
        }
    }

    /// Makes re-imports idempotent: the same outcome for the same recipient at the
    /// same time from the same provider hashes the same, whichever file it came in.
    /// `provider_event_id` (SendGrid `sg_event_id`, SES feedback id, …) wins when present.
    pub fn fingerprint(&self, provider_event_id: Option<&str>) -> String {
        // Hashes the same bytes as ever (stored fingerprints must not change) but
        // without a String per number or per byte of hex: this runs once per row of
        // a million-row provider report.
        let mut h = Sha256::new();
        let mut put = |s: &[u8]| {
            h.update(s);
            h.update([0u8]);
        };
        put(self.channel.as_str().as_bytes());
        put(self.kind.as_str().as_bytes());
        if self.recipient.bytes().any(|b| !b.is_ascii() || b.is_ascii_uppercase()) {
            put(self.recipient.to_lowercase().as_bytes());
        } else {
            put(self.recipient.as_bytes());
        }
        put(self.provider.as_deref().unwrap_or("").as_bytes());
        match provider_event_id {
            Some(id) => put(id.as_bytes()),
            None => {
                let mut num = itoa::Buffer::new();
                put(self.occurred_at.map(|t| num.format(t.timestamp()).as_bytes()).unwrap_or(b""));
                put(self.status.as_deref().unwrap_or("").as_bytes());
                let mut num = itoa::Buffer::new();
                put(self.reply_code.map(|c| num.format(c).as_bytes()).unwrap_or(b""));
                put(self.diagnostic.as_deref().unwrap_or("").as_bytes());
                put(self
                    .original
                    .as_ref()
                    .and_then(|o| o.message_id.as_deref())
                    .unwrap_or("")
                    .as_bytes());
                put(self.campaign.as_ref().map(|c| c.key.as_str()).unwrap_or("").as_bytes());
            }
        }
        let digest = h.finalize();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(32);
        for b in digest.iter().take(16) {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        out
    }
}

/// Normalizes an email address for storage and matching: trims spaces and angle
/// brackets, lowercases the domain, keeps the local part as written.
pub fn normalize_email(raw: &str) -> String {
    let t = raw
        .trim()
        .trim_matches(|c| c == '<' || c == '>' || c == '"' || c == '\'')
        .trim();
    match t.rsplit_once('@') {
        Some((local, domain)) => {
            // Built by hand: `format!` cost ten times the rest of this function,
            // which runs for every address of every bounce.
            let domain = domain.trim_end_matches('.');
            let mut out = String::with_capacity(local.len() + 1 + domain.len());
            out.push_str(local);
            out.push('@');
            if domain.is_ascii() {
                out.extend(domain.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                out.push_str(&domain.to_lowercase());
            }
            out
        }
        None => t.to_string(),
    }
}

/// The domain part of a normalized address, or "" for phones and malformed values.
pub fn recipient_domain(recipient: &str) -> &str {
    recipient.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_for_every_variant() {
        for r in Reason::ALL {
            assert_eq!(r.as_str().parse::<Reason>().unwrap(), *r);
            assert_eq!(
                serde_json::to_string(r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        for c in Class::ALL {
            assert_eq!(c.as_str().parse::<Class>().unwrap(), *c);
        }
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), *k);
        }
        assert!("nonsense".parse::<Reason>().is_err());
    }

    #[test]
    fn email_normalization_lowercases_only_the_domain() {
        assert_eq!(
            normalize_email("  <Ana.Lopez@Example.COM> "),
            "Ana.Lopez@example.com"
        );
        assert_eq!(normalize_email("bob@example.org."), "bob@example.org");
        assert_eq!(recipient_domain("x@example.net"), "example.net");
        assert_eq!(recipient_domain("+12025550101"), "");
    }

    /// The fingerprint as the first versions computed it: stored events keep it, so
    /// the faster one must give exactly these values.
    fn old_fingerprint(e: &Event, id: Option<&str>) -> String {
        let mut h = Sha256::new();
        let mut put = |s: &str| {
            h.update(s.as_bytes());
            h.update([0u8]);
        };
        put(e.channel.as_str());
        put(e.kind.as_str());
        put(&e.recipient.to_lowercase());
        put(e.provider.as_deref().unwrap_or(""));
        match id {
            Some(id) => put(id),
            None => {
                put(&e.occurred_at.map(|t| t.timestamp().to_string()).unwrap_or_default());
                put(e.status.as_deref().unwrap_or(""));
                put(&e.reply_code.map(|c| c.to_string()).unwrap_or_default());
                put(e.diagnostic.as_deref().unwrap_or(""));
                put(e.original.as_ref().and_then(|o| o.message_id.as_deref()).unwrap_or(""));
                put(e.campaign.as_ref().map(|c| c.key.as_str()).unwrap_or(""));
            }
        }
        h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fingerprint_values_never_change() {
        let src = Source { file: "a.csv".into(), locator: "#1".into(), offset: None };
        let mut e = Event::new(Channel::Email, Kind::Bounce, "Ana.Ünal@Example.com", src);
        assert_eq!(e.fingerprint(None), old_fingerprint(&e, None));
        e.recipient = "ana@example.com".into();
        e.provider = Some("sendgrid".into());
        e.occurred_at = chrono::DateTime::from_timestamp(-86_401, 0);
        e.status = Some("5.1.1".into());
        e.reply_code = Some(550);
        e.diagnostic = Some("550 5.1.1 user unknown".into());
        e.original = Some(OriginalMessage { message_id: Some("<m@x>".into()), ..Default::default() });
        e.campaign = Some(CampaignRef { key: "sendgrid:c1".into(), name: None });
        assert_eq!(e.fingerprint(None), old_fingerprint(&e, None));
        e.occurred_at = chrono::DateTime::from_timestamp(1_704_183_147, 0);
        assert_eq!(e.fingerprint(None), old_fingerprint(&e, None));
        assert_eq!(e.fingerprint(Some("ev-1")), old_fingerprint(&e, Some("ev-1")));
        e.recipient = "+12025550100".into();
        e.channel = Channel::Sms;
        assert_eq!(e.fingerprint(None), old_fingerprint(&e, None));
    }

    #[test]
    fn fingerprint_ignores_source_but_not_outcome() {
        let src_a = Source {
            file: "a.mbox".into(),
            locator: "#1".into(),
            offset: None,
        };
        let src_b = Source {
            file: "b.mbox".into(),
            locator: "#9".into(),
            offset: Some(10),
        };
        let mut a = Event::new(Channel::Email, Kind::Bounce, "x@example.com", src_a);
        a.status = Some("5.1.1".into());
        let mut b = a.clone();
        b.source = src_b;
        assert_eq!(a.fingerprint(None), b.fingerprint(None));
        b.status = Some("4.2.2".into());
        assert_ne!(a.fingerprint(None), b.fingerprint(None));
        assert_ne!(a.fingerprint(Some("id1")), a.fingerprint(Some("id2")));
    }
}
