//! Brevo (Sendinblue): transactional and marketing webhooks (JSON lines) and the
//! events report API (IMPORT-FORMATS.md §6). `ts*` fields are UTC; `date` is CET/CEST.

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::dates::Zone;
use crate::model::{Kind, OriginalMessage, Reason};

pub struct Brevo;

/// Brevo event names (webhook snake_case, API camelCase, report plurals) → kind and reason.
pub fn event_kind(e: &str) -> Option<(Kind, Option<Reason>)> {
    let norm: String = e
        .chars()
        .filter(|c| *c != '_' && *c != ' ')
        .collect::<String>()
        .to_lowercase();
    Some(match norm.as_str() {
        "hardbounce" | "hardbounces" | "hardbounced" => (Kind::Bounce, None),
        "softbounce" | "softbounces" | "softbounced" | "bounces" => (Kind::Bounce, None),
        "invalidemail" | "invalid" => (Kind::Bounce, Some(Reason::SyntaxError)),
        "blocked" => (Kind::Suppressed, Some(Reason::Suppressed)),
        "deferred" => (Kind::Deferred, None),
        "spam" | "markedasspam" | "complaint" => (Kind::Complaint, Some(Reason::Complaint)),
        "unsubscribed" | "unsubscribe" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        "delivered" => (Kind::Delivered, None),
        "request" | "requests" | "sent" => (Kind::Sent, None),
        "error" => (Kind::Bounce, Some(Reason::MailerError)),
        _ => return None,
    })
}

impl Reader for Brevo {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let Some(name) = f.s("event").map(|s| s.into_owned()) else {
            return ctx.problem(row, "no 'event' value");
        };
        let Some((kind, hint)) = event_kind(&name) else {
            // opened, click, loadedByProxy, list events: not delivery outcomes.
            ctx.skip();
            return Ok(());
        };
        let Some(mut ev) = ctx.email_event(kind, f.s("email").as_deref(), row)? else {
            return Ok(());
        };
        ev.occurred_at = match f.any(&["ts_event", "ts_epoch", "ts"]) {
            Some(ts) => ctx.time(Some(&ts), row)?,
            // `date_event` is in the account's own zone, which the file does not name: an assumption.
            None if f.s("date_event").is_some() => ctx.time(f.s("date_event").as_deref(), row)?,
            // Report API `date` (records keyed `messageId`) is documented as UTC; webhook `date` is CET/CEST.
            None => {
                let d = f.s("date").map(|s| s.into_owned());
                let zone = if f.s("messageId").is_some() && f.s("message-id").is_none() {
                    Zone::Utc
                } else {
                    Zone::CentralEurope
                };
                d.as_deref().and_then(|d| ctx.dates.parse_in(d, zone))
            }
        };
        ev.sent_at = f
            .s("ts_sent")
            .and_then(|t| crate::ingest::dates::parse_epoch(&t));
        ev.provider_label = Some(name.clone());
        ev.reason_hint = hint;
        let reason = f.s("reason").map(|s| s.into_owned());
        if let Some(r) = &reason {
            smtp_from_text(&mut ev, r);
        }
        ev.diagnostic = reason;
        let msg_id = f.any(&["message-id", "messageId"]).map(|s| s.into_owned());
        ev.provider_event_id = msg_id.as_ref().map(|m| format!("{m}:{name}"));
        ev.original = Some(OriginalMessage {
            message_id: msg_id,
            subject: f.s("subject").map(|s| s.into_owned()),
            ..Default::default()
        });
        if let Some(id) = f.s("camp_id") {
            ev.campaign =
                Some(ctx.campaign(&id, f.any(&["campaign name", "campaign_name"]).as_deref()));
        } else if let Some(tag) = f.any(&["tag", "tags"]) {
            ev.campaign = Some(ctx.campaign(&format!("tag:{tag}"), Some(&tag)));
        }
        ctx.emit(ev)
    }
}
