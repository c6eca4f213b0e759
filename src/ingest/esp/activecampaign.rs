//! ActiveCampaign: campaign bounces (shape modelled on the v3 API; field names
//! other than `bounceDate` unconfirmed — IMPORT-FORMATS.md §11).

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::Kind;

pub struct ActiveCampaign;

impl Reader for ActiveCampaign {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let Some(mut ev) = ctx.email_event(Kind::Bounce, f.any(&["email", "Email"]).as_deref(), row)? else { return Ok(()) };
        ev.occurred_at = ctx.time(f.any(&["bounceDate", "bouncedate", "tstamp", "date"]).as_deref(), row)?;
        ev.provider_label = f.any(&["bounceType", "bouncetype", "type"]).map(|s| s.into_owned());
        ev.status = f.s("code").filter(|c| super::common::is_status(c)).map(|s| s.into_owned());
        let text = f.any(&["description", "message_text", "reason"]).map(|s| s.into_owned());
        if let Some(t) = &text {
            smtp_from_text(&mut ev, t);
        }
        ev.diagnostic = text;
        if let Some(c) = f.any(&["campaign", "campaignid", "campaign_id"]) {
            ev.campaign = Some(ctx.campaign(&c, f.any(&["campaign_name", "campaignname"]).as_deref()));
        }
        ctx.emit(ev)
    }
}
