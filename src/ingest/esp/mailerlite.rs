//! MailerLite: subscriber exports / API pages filtered by status
//! (IMPORT-FORMATS.md §10). A status export carries no campaign.

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};

pub struct MailerLite;

impl Reader for MailerLite {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let status = f.any(&["status", "Status", "type"]).map(|s| s.to_lowercase());
        let (kind, hint, when_key) = match status.as_deref() {
            Some("bounced") => (Kind::Bounce, None, "updated_at"),
            // `junk` = spam complaint or junk address; semantics unconfirmed, treated as a complaint.
            Some("junk") => (Kind::Complaint, Some(Reason::Complaint), "updated_at"),
            Some("unsubscribed") => (Kind::Unsubscribe, Some(Reason::Unsubscribe), "unsubscribed_at"),
            Some("active") | Some("unconfirmed") => {
                ctx.skip();
                return Ok(());
            }
            other => return ctx.problem(row, &format!("unknown MailerLite status '{}'", other.unwrap_or(""))),
        };
        let Some(mut ev) = ctx.email_event(kind, f.any(&["email", "Email", "Subscriber"]).as_deref(), row)? else { return Ok(()) };
        let when = f.s(when_key).or_else(|| f.s("updated_at")).map(|s| s.into_owned());
        ev.occurred_at = ctx.time(when.as_deref(), row)?;
        ev.diagnostic = status.as_ref().map(|s| format!("MailerLite subscriber status: {s}"));
        ev.provider_label = status;
        ev.reason_hint = hint;
        ctx.emit(ev)
    }
}
