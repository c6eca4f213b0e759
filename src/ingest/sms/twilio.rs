//! Twilio: Console message-log CSV, API Message JSON and status callbacks saved
//! as form bodies, one per line (IMPORT-FORMATS.md §15).
//! The error code decides the reason; an inbound STOP is an opt-out.

use super::{phone, phone_event};
use crate::error::Result;
use crate::ingest::esp::{Ctx, Fields, Reader};
use crate::model::{Kind, Reason};

pub struct Twilio {
    region: Option<phone::Region>,
}

impl Twilio {
    pub fn new(region: Option<phone::Region>) -> Self {
        Twilio { region }
    }
}

/// Twilio error codes → reason, and the kind they imply.
pub fn error_reason(code: u32) -> Option<(Kind, Reason)> {
    Some(match code {
        30003 | 30008 => (
            Kind::Bounce,
            if code == 30003 {
                Reason::SmsUnreachable
            } else {
                Reason::Unknown
            },
        ),
        30005 | 30006 | 21211 | 21614 | 21635 | 21612 | 21408 => {
            (Kind::Bounce, Reason::SmsInvalidNumber)
        }
        30004 | 30007 | 30034 | 30032 | 30035 => (Kind::Bounce, Reason::SmsCarrierFiltered),
        21610 => (Kind::Unsubscribe, Reason::SmsOptedOut),
        _ => return None,
    })
}

const STOP_WORDS: &[&str] = &[
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "optout",
    "revoke",
    "baja",
    "alto",
    "parar",
    "huy",
    "hủy",
    "tu choi",
    "từ chối",
];

impl Reader for Twilio {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let status = f
            .any(&["Status", "status", "MessageStatus", "SmsStatus"])
            .map(|s| s.to_lowercase())
            .unwrap_or_default();
        let direction = f
            .any(&["Direction", "direction"])
            .map(|s| s.to_lowercase())
            .unwrap_or_default();
        let code = f
            .any(&["ErrorCode", "error_code"])
            .and_then(|c| c.trim().parse::<u32>().ok())
            .filter(|c| *c > 0);
        if direction.starts_with("inbound") {
            let body = f
                .any(&["Body", "body"])
                .map(|b| b.trim().trim_end_matches(['.', '!']).trim().to_lowercase())
                .unwrap_or_default();
            if !STOP_WORDS.contains(&body.as_str()) {
                ctx.skip();
                return Ok(());
            }
            let from = f.any(&["From", "from"]).map(|s| s.into_owned());
            let Some(mut ev) = phone_event(
                ctx,
                Kind::Unsubscribe,
                from.as_deref(),
                row,
                self.region.as_ref(),
                false,
            )?
            else {
                return Ok(());
            };
            ev.occurred_at = ctx.time(
                f.any(&["SentDate", "date_sent", "date_created", "DateSent"])
                    .as_deref(),
                row,
            )?;
            ev.provider_label = Some(format!("inbound {}", body.to_uppercase()));
            ev.reason_hint = Some(Reason::SmsOptedOut);
            ev.diagnostic = Some(format!("the recipient replied {}", body.to_uppercase()));
            ev.provider_event_id = f.any(&["Sid", "sid"]).map(|s| s.into_owned());
            return ctx.emit(ev);
        }
        let (kind, hint) = match (status.as_str(), code.and_then(error_reason)) {
            ("delivered" | "read", _) => (Kind::Delivered, None),
            ("undelivered" | "failed", Some((k, r))) => (k, Some(r)),
            ("undelivered" | "failed", None) => (Kind::Bounce, None),
            (
                "sent" | "queued" | "sending" | "accepted" | "scheduled" | "partially_delivered",
                _,
            ) => (Kind::Sent, None),
            ("canceled" | "receiving" | "received", _) => {
                ctx.skip();
                return Ok(());
            }
            (other, _) => {
                return ctx.problem(
                    row,
                    &format!(
                        "unknown Twilio status '{}'",
                        crate::ingest::esp::shorten_pub(other)
                    ),
                )
            }
        };
        let to = f.any(&["To", "to"]).map(|s| s.into_owned());
        let Some(mut ev) = phone_event(ctx, kind, to.as_deref(), row, self.region.as_ref(), false)?
        else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(
            f.any(&[
                "SentDate",
                "date_sent",
                "date_updated",
                "date_created",
                "DateSent",
            ])
            .as_deref(),
            row,
        )?;
        ev.reply_code = code;
        ev.provider_label = Some(match code {
            Some(c) => joined(&status, '/', itoa::Buffer::new().format(c)),
            None => status.clone(),
        });
        ev.reason_hint = hint;
        ev.diagnostic = f
            .s("error_message")
            .map(|s| s.into_owned())
            .or_else(|| code.map(|c| format!("Twilio error {c}: {}", error_text(c))));
        ev.provider_event_id = f
            .any(&["Sid", "sid", "MessageSid", "SmsSid"])
            .map(|s| joined(&s, ':', &status));
        if let Some(ms) = f.any(&["MessagingServiceSid", "messaging_service_sid"]) {
            ev.campaign = Some(ctx.campaign(&ms, None));
        }
        ctx.emit(ev)
    }
}

/// `a{sep}b` without format!: built for every row of a million-row log.
fn joined(a: &str, sep: char, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push(sep);
    s.push_str(b);
    s
}

/// Status callbacks saved one per line (`MessageSid=…&MessageStatus=…&ErrorCode=…`).
pub fn looks_like_callbacks(t: &str) -> bool {
    t.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| {
        l.contains("MessageSid=") && (l.contains("MessageStatus=") || l.contains("SmsStatus="))
    })
}

/// One status callback; lines without a message sid and status are not callbacks.
pub fn parse_callback(line: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let m = super::form_fields(line)?;
    let status = m.contains_key("MessageStatus") || m.contains_key("SmsStatus");
    (m.contains_key("MessageSid") && status).then_some(m)
}

/// Twilio's own short meaning of an error code (the CSV has only the number).
fn error_text(code: u32) -> &'static str {
    match code {
        30003 => "Unreachable destination handset",
        30004 => "Message blocked",
        30005 => "Unknown destination handset",
        30006 => "Landline or unreachable carrier",
        30007 => "Message filtered (carrier violation)",
        30008 => "Unknown error",
        30034 => "Message from an unregistered number (US A2P 10DLC)",
        21211 => "Invalid 'To' phone number",
        21610 => "Attempt to send to unsubscribed recipient",
        21614 => "'To' number is not a valid mobile number",
        21635 => "'To' number cannot be a landline",
        _ => "see Twilio's error dictionary",
    }
}
