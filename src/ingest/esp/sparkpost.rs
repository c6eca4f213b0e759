//! SparkPost / Bird: webhook batches (`{"msys":{"<category>_event":{…}}}`) and
//! Events API records without the wrapper (IMPORT-FORMATS.md §12).

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, OriginalMessage, Reason};
use serde_json::Value;

pub struct SparkPost;

/// SparkPost bounce classes (IMPORT-FORMATS.md §12 table) → kind and reason.
pub fn bounce_class(code: u32) -> (Kind, Option<Reason>) {
    match code {
        10 | 30 => (Kind::Bounce, Some(Reason::UserUnknown)),
        21 => (Kind::Bounce, Some(Reason::NetworkError)),
        22 => (Kind::Bounce, Some(Reason::MailboxFull)),
        23 => (Kind::Bounce, Some(Reason::MessageTooBig)),
        24 => (Kind::Bounce, Some(Reason::Expired)),
        25 | 26 => (Kind::Suppressed, Some(Reason::Suppressed)),
        50 | 51 => (Kind::Bounce, Some(Reason::Blocked)),
        52 => (Kind::Bounce, Some(Reason::SpamDetected)),
        53 => (Kind::Bounce, Some(Reason::Policy)),
        54 => (Kind::Bounce, Some(Reason::RelayDenied)),
        60 | 100 => (Kind::AutoReply, Some(Reason::AutoReply)),
        70 => (Kind::Deferred, None),
        90 => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        // 1 undetermined, 20 soft, 40 generic, 80 subscribe and unknown codes: the text decides.
        _ => (Kind::Bounce, None),
    }
}

impl Reader for SparkPost {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if let Some(Value::Object(msys)) = f.json("msys") {
            let Some(Value::Object(inner)) = msys.values().next() else {
                ctx.skip();
                return Ok(());
            };
            return event(ctx, inner, row);
        }
        event(ctx, f, row)
    }
}

fn event(ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
    let Some(ty) = f.s("type").map(|s| s.into_owned()) else { return ctx.problem(row, "no 'type' value") };
    let class = f.s("bounce_class").and_then(|c| c.parse::<u32>().ok());
    let (kind, hint) = match ty.as_str() {
        "bounce" | "out_of_band" => class.map(bounce_class).unwrap_or((Kind::Bounce, None)),
        "delay" => (Kind::Deferred, None),
        "delivery" => (Kind::Delivered, None),
        "injection" => (Kind::Sent, None),
        "policy_rejection" => (Kind::Suppressed, Some(Reason::Suppressed)),
        "spam_complaint" => (Kind::Complaint, Some(Reason::Complaint)),
        "list_unsubscribe" | "link_unsubscribe" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        "generation_failure" | "generation_rejection" => (Kind::Bounce, Some(Reason::MailerError)),
        _ => {
            // open, click, initial_open, amp_*, relay events: not delivery outcomes.
            ctx.skip();
            return Ok(());
        }
    };
    let rcpt = f.any(&["rcpt_to", "raw_rcpt_to"]).map(|s| s.into_owned());
    let Some(mut ev) = ctx.email_event(kind, rcpt.as_deref(), row)? else { return Ok(()) };
    ev.occurred_at = ctx.time(f.s("timestamp").as_deref(), row)?;
    ev.sent_at = f.s("injection_time").and_then(|t| crate::ingest::dates::parse_zoned(&t));
    ev.provider_event_id = f.s("event_id").map(|s| s.into_owned());
    ev.provider_label = Some(match class {
        Some(c) => format!("{ty}/{c}"),
        None => ty.clone(),
    });
    ev.reason_hint = hint;
    ev.reply_code = f.s("error_code").and_then(|c| c.parse().ok()).filter(|c| (200..600).contains(c));
    let text = f.any(&["raw_reason", "reason"]).map(|s| s.into_owned());
    if let Some(t) = &text {
        smtp_from_text(&mut ev, t);
    }
    ev.diagnostic = text;
    ev.original = Some(OriginalMessage {
        message_id: f.s("message_id").map(|s| s.into_owned()),
        subject: f.s("subject").map(|s| s.into_owned()),
        from: f.any(&["friendly_from", "msg_from"]).map(|s| s.into_owned()),
        ..Default::default()
    });
    if let Some(c) = f.s("campaign_id") {
        ev.campaign = Some(ctx.campaign(&c, Some(&c)));
    }
    ctx.emit(ev)
}
