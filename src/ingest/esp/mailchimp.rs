//! Mailchimp audience exports: the cleaned and unsubscribed members files
//! (IMPORT-FORMATS.md §1). Cleaned = removed after a hard bounce or repeated
//! soft bounces (the file does not say which); unsubscribed = opt-out, or a
//! complaint when the reason text speaks of spam or abuse.

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::text::Header;
use crate::model::{Kind, Reason};

#[derive(Default)]
pub struct Mailchimp {
    cleaned: bool,
}

impl Reader for Mailchimp {
    fn header(&mut self, h: &Header) -> std::result::Result<(), String> {
        if !h.has("email address") && !h.has("email") {
            return Err("no 'Email Address' column: this is not a Mailchimp audience export".into());
        }
        self.cleaned = h.has("clean_time");
        if !self.cleaned && !h.has("unsub_time") {
            return Err("neither CLEAN_TIME nor UNSUB_TIME: a Mailchimp subscribed-members file is a contact list, not a bounce report; use it with `rebound clean`".into());
        }
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if f.json("activity").is_some() {
            return activity(ctx, f, row);
        }
        if f.s("emails_sent").is_some() {
            return report_summary(ctx, f);
        }
        let email = f.any(&["email address", "email"]);
        if self.cleaned {
            let Some(mut ev) = ctx.email_event(Kind::Bounce, email.as_deref(), row)? else { return Ok(()) };
            ev.occurred_at = ctx.time(f.s("clean_time").as_deref(), row)?;
            // Cleaned covers hard bounces and soft bounces repeated until Mailchimp gave up.
            ev.provider_label = Some("cleaned".into());
            ev.diagnostic = Some("cleaned by Mailchimp (hard bounce or repeated soft bounces; the export does not say which)".into());
            if let Some(id) = f.s("clean_campaign_id") {
                ev.campaign = Some(ctx.campaign(&id, f.s("clean_campaign_title").as_deref()));
            }
            return ctx.emit(ev);
        }
        let reason = f.any(&["unsub_reason_other", "unsub_reason"]).map(|s| s.into_owned());
        let complaint = reason.as_deref().map(is_complaint_text).unwrap_or(false);
        let kind = if complaint { Kind::Complaint } else { Kind::Unsubscribe };
        let Some(mut ev) = ctx.email_event(kind, email.as_deref(), row)? else { return Ok(()) };
        ev.occurred_at = ctx.time(f.s("unsub_time").as_deref(), row)?;
        ev.provider_label = Some("unsubscribed".into());
        ev.reason_hint = Some(if complaint { Reason::Complaint } else { Reason::Unsubscribe });
        ev.diagnostic = reason;
        if let Some(id) = f.s("unsub_campaign_id") {
            ev.campaign = Some(ctx.campaign(&id, f.s("unsub_campaign_title").as_deref()));
        }
        ctx.emit(ev)
    }
}

/// Abuse reports also unsubscribe the contact; the reason text is the only hint.
fn is_complaint_text(s: &str) -> bool {
    let l = s.to_lowercase();
    ["spam", "abuse", "complaint", "queja", "thư rác"].iter().any(|w| l.contains(w))
}

/// Marketing API email activity: `{email_address, campaign_id, activity:[{action, type, timestamp}]}`.
fn activity(ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
    let Some(serde_json::Value::Array(acts)) = f.json("activity") else { return Ok(()) };
    let email = f.any(&["email_address", "email"]).map(|s| s.into_owned());
    let campaign = f.s("campaign_id").map(|s| s.into_owned());
    let mut any = false;
    for a in acts {
        if a.get("action").and_then(serde_json::Value::as_str) != Some("bounce") {
            continue;
        }
        any = true;
        let Some(mut ev) = ctx.email_event(Kind::Bounce, email.as_deref(), row)? else { return Ok(()) };
        ev.occurred_at = ctx.time(a.get("timestamp").and_then(serde_json::Value::as_str), row)?;
        // `type` is Mailchimp's own hard/soft label.
        ev.provider_label = a.get("type").and_then(serde_json::Value::as_str).map(str::to_string);
        if let Some(c) = &campaign {
            ev.campaign = Some(ctx.campaign(c, None));
        }
        ctx.emit(ev)?;
    }
    if !any {
        ctx.skip();
    }
    Ok(())
}

/// Marketing API campaign report: `emails_sent` and bounce counts give the rates' denominators.
fn report_summary(ctx: &mut Ctx<'_>, f: &dyn Fields) -> Result<()> {
    let id = f.any(&["id", "campaign_id"]).map(|s| s.into_owned());
    let sent = f.s("emails_sent").and_then(|s| s.parse::<i64>().ok());
    let n = |k: &str| f.s(k).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let bounced = n("bounces.hard_bounces") + n("bounces.soft_bounces") + n("bounces.syntax_errors");
    if let (Some(id), Some(sent)) = (id, sent) {
        let c = ctx.campaign(&id, f.s("campaign_title").as_deref());
        ctx.sink.campaign_counts(&c, Some(sent), Some((sent - bounced).max(0)))?;
    }
    ctx.skip();
    Ok(())
}
