//! SendGrid: Event Webhook JSON/JSONL (and the same fields as CSV), and the
//! suppression list CSVs (bounces, blocks, invalid emails, spam reports,
//! unsubscribes) (IMPORT-FORMATS.md §2).

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::text::Header;
use crate::model::{Kind, Reason};

/// Which suppression list a CSV is, from its file name (the columns are alike).
#[derive(Debug, Clone, Copy, PartialEq)]
enum List {
    Bounces,
    Blocks,
    Invalid,
    Spam,
    Unsubscribes,
}

pub struct SendGrid {
    list_from_name: Option<List>,
    suppression: bool,
}

impl SendGrid {
    pub fn new(file: &str) -> Self {
        let n = file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file)
            .to_lowercase();
        let list = if n.contains("block") {
            Some(List::Blocks)
        } else if n.contains("invalid") {
            Some(List::Invalid)
        } else if n.contains("spam") {
            Some(List::Spam)
        } else if n.contains("unsub") {
            Some(List::Unsubscribes)
        } else if n.contains("bounce") {
            Some(List::Bounces)
        } else {
            None
        };
        SendGrid {
            list_from_name: list,
            suppression: false,
        }
    }
}

impl Reader for SendGrid {
    fn header(&mut self, h: &Header) -> std::result::Result<(), String> {
        if !h.has("email") {
            return Err("no 'email' column: this is not a SendGrid export".into());
        }
        self.suppression = !h.has("event");
        // Only the spam reports list has an `ip` column (created,email,ip).
        if self.list_from_name.is_none() && h.has("ip") && !h.has("reason") {
            self.list_from_name = Some(List::Spam);
        }
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if self.suppression || (f.s("event").is_none() && f.s("created").is_some()) {
            return self.suppression_row(ctx, f, row);
        }
        let Some(event) = f.s("event") else {
            return ctx.problem(row, "no 'event' value");
        };
        let kind = match event.as_ref() {
            "processed" => Kind::Sent,
            "delivered" => Kind::Delivered,
            "deferred" => Kind::Deferred,
            "bounce" => Kind::Bounce,
            "dropped" => Kind::Suppressed,
            "spamreport" => Kind::Complaint,
            "unsubscribe" | "group_unsubscribe" => Kind::Unsubscribe,
            "open" | "click" | "group_resubscribe" => {
                ctx.skip();
                return Ok(());
            }
            other => {
                return ctx.problem(
                    row,
                    &format!("unknown SendGrid event '{}'", super::common::shorten(other)),
                )
            }
        };
        let Some(mut ev) = ctx.email_event(kind, f.s("email").as_deref(), row)? else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.s("timestamp").as_deref(), row)?;
        ev.provider_event_id = f.s("sg_event_id").map(|s| s.into_owned());
        ev.status = f.s("status").map(|s| s.into_owned());
        let text = f.any(&["reason", "response"]).map(|s| s.into_owned());
        if let Some(t) = &text {
            smtp_from_text(&mut ev, t);
        }
        let class = f.s("bounce_classification").map(|s| s.into_owned());
        let btype = f.s("type").map(|s| s.into_owned());
        ev.provider_label = match (&btype, &class) {
            (Some(t), Some(c)) => Some(format!("{t}/{c}")),
            (Some(t), None) => Some(t.clone()),
            (None, Some(c)) => Some(c.clone()),
            (None, None) if kind == Kind::Suppressed => text.clone(),
            _ => Some(event.into_owned()),
        };
        ev.reason_hint = match kind {
            Kind::Bounce => class
                .as_deref()
                .and_then(|c| classification_reason(c, ev.status.as_deref(), text.as_deref())),
            Kind::Suppressed => Some(Reason::Suppressed),
            Kind::Complaint => Some(Reason::Complaint),
            Kind::Unsubscribe => Some(Reason::Unsubscribe),
            _ => None,
        };
        ev.diagnostic = text;
        ev.original = f.s("sg_message_id").map(|m| crate::model::OriginalMessage {
            message_id: Some(m.into_owned()),
            ..Default::default()
        });
        ev.campaign = campaign(ctx, f);
        ctx.emit(ev)
    }
}

impl SendGrid {
    fn suppression_row(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let status = f.s("status").map(|s| s.into_owned());
        let reason = f.s("reason").map(|s| s.into_owned());
        let list = self.list_from_name.unwrap_or(if reason.is_some() {
            List::Bounces
        } else {
            List::Unsubscribes
        });
        let (kind, label, hint) = match list {
            List::Bounces => (Kind::Bounce, "bounces list", None),
            List::Blocks => (Kind::Bounce, "blocks list", Some(Reason::Blocked)),
            List::Invalid => (
                Kind::Bounce,
                "invalid emails list",
                Some(Reason::SyntaxError),
            ),
            List::Spam => (
                Kind::Complaint,
                "spam reports list",
                Some(Reason::Complaint),
            ),
            List::Unsubscribes => (
                Kind::Unsubscribe,
                "unsubscribes list",
                Some(Reason::Unsubscribe),
            ),
        };
        let Some(mut ev) = ctx.email_event(kind, f.s("email").as_deref(), row)? else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.s("created").as_deref(), row)?;
        ev.status = status;
        if let Some(r) = &reason {
            smtp_from_text(&mut ev, r);
        }
        ev.diagnostic = reason;
        ev.provider_label = Some(label.into());
        ev.reason_hint = hint;
        ctx.emit(ev)
    }
}

fn campaign(ctx: &Ctx<'_>, f: &dyn Fields) -> Option<crate::model::CampaignRef> {
    if let Some(id) = f.s("marketing_campaign_id") {
        let name = f.s("marketing_campaign_name");
        return Some(ctx.campaign(&id, name.as_deref()));
    }
    let cat = match f.json("category") {
        Some(serde_json::Value::Array(a)) => {
            a.iter().rev().find_map(|v| v.as_str()).map(str::to_string)
        }
        // A CSV cell holds the array as JSON text: `["spring","promo"]`.
        _ => f.s("category").map(|s| match serde_json::from_str::<Vec<String>>(&s) {
            Ok(list) => list.into_iter().next_back().unwrap_or_default(),
            Err(_) => s.into_owned(),
        }),
    }
    .filter(|c| !c.is_empty())?;
    Some(ctx.campaign(&format!("category:{cat}"), Some(&cat)))
}

/// SendGrid's `bounce_classification` (IMPORT-FORMATS.md §2) to a reason, when it is specific enough.
pub fn classification_reason(
    class: &str,
    status: Option<&str>,
    text: Option<&str>,
) -> Option<Reason> {
    let auth = |s: &str| {
        s.contains("5.7.26")
            || s.contains("5.7.25")
            || s.contains("5.7.27")
            || s.to_lowercase().contains("dmarc")
    };
    match class {
        "Invalid Address" => Some(Reason::UserUnknown),
        "Mailbox Unavailable" if status.map(|s| s.starts_with('4')).unwrap_or(false) => {
            Some(Reason::MailboxFull)
        }
        "Mailbox Unavailable" => Some(Reason::MailboxDisabled),
        "Technical Failure"
            if status.map(auth).unwrap_or(false) || text.map(auth).unwrap_or(false) =>
        {
            Some(Reason::AuthFailed)
        }
        "Technical Failure" => Some(Reason::SystemError),
        "Content" => Some(Reason::SpamDetected),
        "Reputation" => Some(Reason::Blocked),
        "Frequency or Volume Too High" => Some(Reason::RateLimited),
        _ => None,
    }
}
