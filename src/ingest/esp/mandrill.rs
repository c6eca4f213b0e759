//! Mailchimp Transactional (Mandrill) webhook events, saved as the posted JSON
//! array or one event per line: `{"event":"hard_bounce","ts":…,"msg":{"email",
//! "diag","bounce_description","tags",…}}` (IMPORT-FORMATS.md §1 "Related";
//! the shape is seen only in third-party code, so every field is optional).

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, OriginalMessage, Reason};
use serde_json::Value;

pub struct Mandrill;

/// Mandrill event names → kind and reason; None = not a delivery outcome (open, click).
pub fn event_kind(e: &str) -> Option<(Kind, Option<Reason>)> {
    Some(match e {
        "hard_bounce" | "soft_bounce" => (Kind::Bounce, None),
        "deferral" => (Kind::Deferred, None),
        // Mandrill refused to send: the address is on its rejection (deny) list.
        "reject" => (Kind::Suppressed, Some(Reason::Suppressed)),
        "spam" => (Kind::Complaint, Some(Reason::Complaint)),
        "unsub" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        "send" => (Kind::Sent, None),
        _ => return None,
    })
}

impl Reader for Mandrill {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let Some(event) = f.s("event").map(|s| s.into_owned()) else {
            return ctx.problem(row, "no 'event' value: not a Mandrill webhook event");
        };
        let Some((kind, hint)) = event_kind(&event) else {
            ctx.skip();
            return Ok(());
        };
        let Some(mut ev) = ctx.email_event(kind, f.any(&["msg.email", "email"]).as_deref(), row)?
        else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.any(&["ts", "msg.ts"]).as_deref(), row)?;
        let diag = f.s("msg.diag").map(|s| s.into_owned());
        if let Some(d) = &diag {
            smtp_from_text(&mut ev, d);
        }
        let description = f.s("msg.bounce_description").map(|s| s.into_owned());
        ev.diagnostic = diag.or_else(|| description.clone());
        ev.provider_label = Some(match &description {
            Some(d) => format!("{event}/{d}"),
            None => event.clone(),
        });
        ev.reason_hint = hint;
        let id = f.any(&["msg._id", "_id"]).map(|s| s.into_owned());
        ev.provider_event_id = id.as_ref().map(|i| format!("{i}:{event}"));
        ev.original = Some(OriginalMessage {
            subject: f.s("msg.subject").map(|s| s.into_owned()),
            from: f.s("msg.sender").map(|s| s.into_owned()),
            ..Default::default()
        });
        let tag = match f.json("msg.tags") {
            Some(Value::Array(tags)) => tags.iter().find_map(Value::as_str).map(str::to_string),
            _ => None,
        };
        if let Some(c) = f.s("msg.metadata.campaign").map(|s| s.into_owned()).or(tag) {
            ev.campaign = Some(ctx.campaign(&c, Some(&c)));
        }
        ctx.emit(ev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names() {
        assert_eq!(event_kind("hard_bounce"), Some((Kind::Bounce, None)));
        assert_eq!(event_kind("reject").map(|k| k.0), Some(Kind::Suppressed));
        assert_eq!(event_kind("unsub").map(|k| k.0), Some(Kind::Unsubscribe));
        assert_eq!(event_kind("open"), None);
    }
}
