//! Constant Contact: the bounces tracking report (JSON or CSV) with one-letter
//! bounce codes, and summary stats (`em_sends`…) that give sent counts
//! (IMPORT-FORMATS.md §8).

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};
use serde_json::{Map, Value};

pub struct ConstantContact;

/// Constant Contact bounce codes → kind and reason.
pub fn bounce_code(code: &str) -> Option<(Kind, Option<Reason>)> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "B" => (Kind::Bounce, Some(Reason::UserUnknown)),
        "D" => (Kind::Bounce, Some(Reason::Expired)),
        "F" => (Kind::Bounce, Some(Reason::MailboxFull)),
        "S" => (Kind::Suppressed, Some(Reason::Suppressed)),
        "V" => (Kind::AutoReply, Some(Reason::AutoReply)),
        "X" => (Kind::Bounce, None),
        "Z" => (Kind::Bounce, Some(Reason::Blocked)),
        _ => return None,
    })
}

impl Reader for ConstantContact {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if f.any(&["em_sends", "stats.em_sends"]).is_some() {
            return self.stats(ctx, f);
        }
        let code = f
            .any(&["bounce_code", "Bounce Code"])
            .map(|s| s.into_owned());
        let Some((kind, hint)) = code.as_deref().and_then(bounce_code) else {
            return ctx.problem(
                row,
                &format!("unknown bounce code '{}'", code.as_deref().unwrap_or("")),
            );
        };
        let Some(mut ev) = ctx.email_event(
            kind,
            f.any(&["email_address", "email", "Email Address"])
                .as_deref(),
            row,
        )?
        else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(
            f.any(&["created_time", "bounce_time", "bounce date", "date"]).as_deref(),
            row,
        )?;
        ev.provider_label = code.clone();
        ev.reason_hint = hint;
        ev.diagnostic = f
            .any(&["bounce_description", "description"])
            .map(|s| s.into_owned())
            .or_else(|| {
                code.as_deref()
                    .map(|c| format!("bounce_code {c}: {}", code_meaning(c)))
            });
        if let Some(id) = f.s("campaign_activity_id") {
            ev.campaign = Some(ctx.campaign(&id, f.s("campaign_name").as_deref()));
        }
        ctx.emit(ev)
    }

    fn summary(&mut self, ctx: &mut Ctx<'_>, s: &Map<String, Value>) -> Result<()> {
        if s.contains_key("em_sends") || s.contains_key("stats") {
            self.stats(ctx, s)?;
        }
        Ok(())
    }
}

impl ConstantContact {
    /// A summary record: sent counts for the campaign's rates.
    fn stats(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields) -> Result<()> {
        let id = f
            .any(&["campaign_activity_id", "campaign_id"])
            .map(|s| s.into_owned());
        let sent = f
            .any(&["em_sends", "stats.em_sends"])
            .and_then(|s| s.parse::<i64>().ok());
        let bounces = f
            .any(&["em_bounces", "stats.em_bounces"])
            .and_then(|s| s.parse::<i64>().ok());
        if let (Some(id), Some(sent)) = (id, sent) {
            let c = ctx.campaign(&id, f.s("campaign_name").as_deref());
            let delivered = bounces.map(|b| (sent - b).max(0));
            ctx.sink.campaign_counts(&c, Some(sent), delivered)?;
        }
        ctx.skip();
        Ok(())
    }
}

/// Constant Contact's own words for its codes (the report has only the letter).
fn code_meaning(c: &str) -> &'static str {
    match c.trim().to_ascii_uppercase().as_str() {
        "B" => "non-existent address",
        "D" => "undeliverable, no response after repeated attempts",
        "F" => "mailbox full",
        "S" => "suspended from delivery",
        "V" => "vacation or auto-reply",
        "Z" => "blocked",
        _ => "other",
    }
}
