//! Mailjet: Event API webhooks (single objects or grouped arrays) and CSVs with
//! the same field names (IMPORT-FORMATS.md §13). `MessageID` exceeds 2^53 and is
//! kept as text.

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};

pub struct Mailjet;

/// Mailjet's `error_related_to` / `error` table → reason (suppressions flagged by kind).
pub fn error_reason(related: &str, error: &str) -> Option<Reason> {
    Some(match (related, error) {
        (_, "user unknown") => Reason::UserUnknown,
        (_, "mailbox inactive") => Reason::MailboxDisabled,
        (_, "quota exceeded") => Reason::MailboxFull,
        (_, "invalid domain") | (_, "no mail host") => Reason::HostUnknown,
        (_, "relay/access denied") => Reason::RelayDenied,
        (_, "typofix") => Reason::SyntaxError,
        (_, "sender blocked") => Reason::Blocked,
        (_, "content blocked") => Reason::SpamDetected,
        (_, "policy issue") => Reason::Policy,
        (_, "system issue") | (_, "protocol issue") | (_, "connection issue") => Reason::SystemError,
        (_, "bad or empty template") | (_, "error in template language") => Reason::MailerError,
        (_, "blacklisted") | (_, "spam reporter") | (_, "preblocked") => Reason::Suppressed,
        ("domain", "greylisted") => return None,
        _ => return None,
    })
}

impl Reader for Mailjet {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let Some(name) = f.s("event").map(|s| s.to_lowercase()) else { return ctx.problem(row, "no 'event' value") };
        let related = f.s("error_related_to").map(|s| s.to_lowercase()).unwrap_or_default();
        let error = f.s("error").map(|s| s.to_lowercase()).unwrap_or_default();
        let hard = f.s("hard_bounce").map(|s| s == "true" || s == "1");
        let (kind, hint) = match name.as_str() {
            "sent" => (Kind::Delivered, None),
            "bounce" => (Kind::Bounce, error_reason(&related, &error)),
            // Mailjet refused to send: a suppression, unless its spam filter judged the content or sender.
            "blocked" if related == "spam" => (Kind::Bounce, error_reason(&related, &error)),
            "blocked" => (Kind::Suppressed, Some(Reason::Suppressed)),
            "spam" => (Kind::Complaint, Some(Reason::Complaint)),
            "unsub" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
            "open" | "click" => {
                ctx.skip();
                return Ok(());
            }
            other => return ctx.problem(row, &format!("unknown Mailjet event '{}'", super::common::shorten(other))),
        };
        let Some(mut ev) = ctx.email_event(kind, f.s("email").as_deref(), row)? else { return Ok(()) };
        ev.occurred_at = ctx.time(f.s("time").as_deref(), row)?;
        let msg_id = f.any(&["MessageID", "messageid", "Message_GUID", "message_guid"]).map(|s| s.into_owned());
        ev.provider_event_id = msg_id.as_ref().map(|m| format!("{m}:{name}"));
        ev.provider_label = Some(match (hard, error.is_empty()) {
            (Some(h), false) => format!("{name}/{}/{related}/{error}", if h { "hard" } else { "soft" }),
            (Some(h), true) => format!("{name}/{}", if h { "hard" } else { "soft" }),
            (None, false) => format!("{name}/{related}/{error}"),
            (None, true) => name.clone(),
        });
        ev.reason_hint = hint;
        let comment = f.s("comment").map(|s| s.into_owned());
        if let Some(c) = &comment {
            smtp_from_text(&mut ev, c);
        }
        ev.diagnostic = comment.or_else(|| (!error.is_empty()).then(|| format!("{related}: {error}")));
        ev.original = Some(crate::model::OriginalMessage { message_id: msg_id, ..Default::default() });
        let camp_id = f.any(&["mj_campaign_id"]).filter(|c| c != "0").map(|s| s.into_owned());
        let custom = f.any(&["customcampaign"]).map(|s| s.into_owned());
        ev.campaign = match (camp_id, custom) {
            (Some(id), name) => Some(ctx.campaign(&id, name.as_deref())),
            (None, Some(c)) => Some(ctx.campaign(&c, Some(&c))),
            _ => None,
        };
        ctx.emit(ev)
    }
}
