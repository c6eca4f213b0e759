//! Campaign Monitor: campaign bounces (API `Results[]` or CSV with the same
//! names). Dates carry no zone (believed to be the account's) and the file does
//! not repeat the campaign id, so the file name stands in for it
//! (IMPORT-FORMATS.md §9).

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};

pub struct CampaignMonitor {
    file_stem: String,
}

impl CampaignMonitor {
    pub fn new(file: &str) -> Self {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
        CampaignMonitor { file_stem: stem.to_string() }
    }
}

/// Campaign Monitor's `Reason` texts that name a cause outright.
pub fn reason_text(r: &str) -> Option<Reason> {
    let l = r.to_lowercase();
    if l.contains("mailbox full") {
        Some(Reason::MailboxFull)
    } else if l.contains("invalid email") || l.contains("does not exist") {
        Some(Reason::UserUnknown)
    } else if l.contains("dns failure") {
        Some(Reason::HostUnknown)
    } else if l.contains("auto reply") || l.contains("auto-reply") {
        Some(Reason::AutoReply)
    } else if l.contains("message too large") {
        Some(Reason::MessageTooBig)
    } else {
        None
    }
}

impl Reader for CampaignMonitor {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        // A campaign summary (`GET /campaigns/{id}/summary`): the sent count for rates.
        if let Some(sent) = f.s("Recipients").and_then(|s| s.parse::<i64>().ok()) {
            let bounced = f.s("Bounced").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
            let c = ctx.campaign(&format!("file:{}", self.file_stem), Some(&self.file_stem));
            ctx.sink.campaign_counts(&c, Some(sent), Some((sent - bounced).max(0)))?;
            ctx.skip();
            return Ok(());
        }
        let ty = f.any(&["BounceType", "bouncetype", "Bounce Type"]).map(|s| s.into_owned());
        let Some(mut ev) = ctx.email_event(Kind::Bounce, f.any(&["EmailAddress", "emailaddress", "Email Address", "email"]).as_deref(), row)? else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.any(&["Date", "date"]).as_deref(), row)?;
        let reason = f.any(&["Reason", "reason"]).map(|s| s.into_owned());
        ev.reason_hint = reason.as_deref().and_then(reason_text);
        ev.provider_label = ty;
        ev.diagnostic = reason;
        let campaign = f.any(&["CampaignID", "campaignid", "Campaign"]).map(|s| s.into_owned()).unwrap_or_else(|| format!("file:{}", self.file_stem));
        ev.campaign = Some(ctx.campaign(&campaign, f.any(&["CampaignName", "campaignname"]).as_deref().or(Some(&self.file_stem))));
        ctx.emit(ev)
    }
}
