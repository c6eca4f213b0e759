//! Mailgun: Events API pages and webhook bodies (`event-data`), and the
//! suppression list CSVs (bounces, unsubscribes, complaints) (IMPORT-FORMATS.md §3).

use super::common::{enhanced_status, smtp_from_text};
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::text::Header;
use crate::model::{Kind, OriginalMessage, Reason};
use serde_json::Value;

#[derive(Default)]
pub struct Mailgun {
    list: Option<List>,
}

#[derive(Clone, Copy)]
enum List {
    Bounces,
    Unsubscribes,
    Complaints,
}

impl Reader for Mailgun {
    fn header(&mut self, h: &Header) -> std::result::Result<(), String> {
        if !h.has("address") {
            return Err("no 'address' column: this is not a Mailgun suppression list".into());
        }
        self.list = Some(if h.has("code") || h.has("error") {
            List::Bounces
        } else if h.has("tag") {
            List::Unsubscribes
        } else {
            List::Complaints
        });
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if let Some(list) = self.list {
            return list_row(ctx, list, f, row);
        }
        // A webhook body wraps the event in `event-data`.
        if let Some(Value::Object(inner)) = f.json("event-data") {
            return event(ctx, inner, row);
        }
        event(ctx, f, row)
    }
}

fn event(ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
    let Some(name) = f.s("event") else { return ctx.problem(row, "no 'event' value") };
    let severity = f.s("severity").map(|s| s.into_owned());
    let reason = f.s("reason").map(|s| s.into_owned());
    let (kind, hint) = match name.as_ref() {
        "accepted" => (Kind::Sent, None),
        "delivered" => (Kind::Delivered, None),
        "complained" => (Kind::Complaint, Some(Reason::Complaint)),
        "unsubscribed" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        "failed" | "rejected" => failure(name.as_ref(), severity.as_deref(), reason.as_deref()),
        "opened" | "clicked" | "stored" => {
            ctx.skip();
            return Ok(());
        }
        other => return ctx.problem(row, &format!("unknown Mailgun event '{}'", super::common::shorten(other))),
    };
    let Some(mut ev) = ctx.email_event(kind, f.s("recipient").as_deref(), row)? else { return Ok(()) };
    ev.occurred_at = ctx.time(f.s("timestamp").as_deref(), row)?;
    ev.provider_event_id = f.s("id").map(|s| s.into_owned());
    ev.reply_code = f.s("delivery-status.code").and_then(|c| c.parse().ok()).filter(|c| (200..600).contains(c));
    let message = f.s("delivery-status.message").map(|s| s.into_owned());
    let description = f.s("delivery-status.description").map(|s| s.into_owned());
    let text = match (&message, &description) {
        (Some(m), Some(d)) if m != d => Some(format!("{m} {d}")),
        (Some(m), _) => Some(m.clone()),
        (None, d) => d.clone(),
    };
    if let Some(t) = &text {
        smtp_from_text(&mut ev, t);
    }
    ev.diagnostic = text;
    ev.provider_label = match (&severity, &reason) {
        (Some(s), Some(r)) => Some(format!("{s}/{r}")),
        (Some(s), None) => Some(s.clone()),
        (None, Some(r)) => Some(r.clone()),
        (None, None) => Some(name.into_owned()),
    };
    ev.reason_hint = hint;
    ev.remote_mta = f.s("delivery-status.mx-host").map(|s| s.into_owned());
    ev.original = Some(OriginalMessage {
        message_id: f.s("message.headers.message-id").map(|s| s.into_owned()),
        subject: f.s("message.headers.subject").map(|s| s.into_owned()),
        from: f.s("message.headers.from").map(|s| s.into_owned()),
        ..Default::default()
    });
    ev.campaign = campaign(ctx, f);
    ctx.emit(ev)
}

fn failure(event: &str, severity: Option<&str>, reason: Option<&str>) -> (Kind, Option<Reason>) {
    if event == "rejected" {
        // Mailgun itself refused the send: a sender-side error, not the recipient's.
        return (Kind::Bounce, Some(Reason::MailerError));
    }
    match reason {
        Some(r) if r.starts_with("suppress-") => (Kind::Suppressed, Some(Reason::Suppressed)),
        Some("espblock") => (Kind::Bounce, Some(Reason::Blocked)),
        Some("old") => (Kind::Bounce, Some(Reason::Expired)),
        _ if severity == Some("temporary") => (Kind::Deferred, None),
        _ => (Kind::Bounce, None),
    }
}

fn campaign(ctx: &Ctx<'_>, f: &dyn Fields) -> Option<crate::model::CampaignRef> {
    if let Some(Value::Array(c)) = f.json("campaigns") {
        if let Some(first) = c.first() {
            let id = first.get("id").and_then(super::record::scalar).map(|s| s.into_owned());
            let name = first.get("name").and_then(Value::as_str);
            if let Some(id) = id {
                return Some(ctx.campaign(&id, name));
            }
        }
    }
    for k in ["user-variables.campaign_key", "user-variables.campaign", "user-variables.campaign_id", "user-variables.campaign-id"] {
        if let Some(v) = f.s(k) {
            return Some(ctx.campaign(&v, None));
        }
    }
    if let Some(Value::Array(tags)) = f.json("tags") {
        if let Some(t) = tags.iter().find_map(Value::as_str) {
            return Some(ctx.campaign(&format!("tag:{t}"), Some(t)));
        }
    }
    None
}

fn list_row(ctx: &mut Ctx<'_>, list: List, f: &dyn Fields, row: u64) -> Result<()> {
    let (kind, label, hint) = match list {
        List::Bounces => (Kind::Bounce, "bounces list", None),
        List::Unsubscribes => (Kind::Unsubscribe, "unsubscribes list", Some(Reason::Unsubscribe)),
        List::Complaints => (Kind::Complaint, "complaints list", Some(Reason::Complaint)),
    };
    let Some(mut ev) = ctx.email_event(kind, f.s("address").as_deref(), row)? else { return Ok(()) };
    ev.occurred_at = ctx.time(f.s("created_at").as_deref(), row)?;
    // The bounce list holds permanent failures only; 550 is the default code, so it proves little.
    ev.reply_code = f.s("code").and_then(|c| c.parse().ok()).filter(|c| (200..600).contains(c));
    let error = f.s("error").map(|s| s.into_owned());
    if let Some(e) = &error {
        ev.status = enhanced_status(e);
    }
    ev.diagnostic = error;
    ev.provider_label = Some(label.into());
    ev.reason_hint = hint;
    if let (List::Unsubscribes, Some(tag)) = (list, f.s("tag")) {
        if tag != "*" {
            ev.campaign = Some(ctx.campaign(&format!("tag:{tag}"), Some(&tag)));
        }
    }
    ctx.emit(ev)
}
