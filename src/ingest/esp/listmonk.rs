//! listmonk: `GET /api/bounces` records and bodies posted to its bounce webhook
//! (`campaign_uuid`, `meta` as a string) (IMPORT-FORMATS.md §14). `soft` from
//! `source: pop3` is listmonk's own default guess, so it is not a sure hint.

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};
use serde_json::Value;

pub struct Listmonk;

impl Reader for Listmonk {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let ty = f.s("type").map(|s| s.to_lowercase());
        let (kind, hint) = match ty.as_deref() {
            Some("hard") | Some("soft") => (Kind::Bounce, None),
            Some("complaint") => (Kind::Complaint, Some(Reason::Complaint)),
            other => {
                return ctx.problem(
                    row,
                    &format!("unknown listmonk bounce type '{}'", other.unwrap_or("")),
                )
            }
        };
        let Some(mut ev) = ctx.email_event(kind, f.s("email").as_deref(), row)? else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.s("created_at").as_deref(), row)?;
        let source = f.s("source").map(|s| s.into_owned());
        ev.provider_label = Some(match &source {
            Some(s) => format!("{}/{s}", ty.as_deref().unwrap_or("")),
            None => ty.clone().unwrap_or_default(),
        });
        ev.reason_hint = hint;
        ev.provider_event_id = f.s("id").map(|s| s.into_owned());
        // The meta object holds the upstream provider's own labels when it has them.
        ev.diagnostic = match f.json("meta") {
            Some(Value::Object(m)) if !m.is_empty() => Some(Value::Object(m.clone()).to_string()),
            // The webhook input takes `meta` as a JSON string.
            Some(Value::String(m)) if !matches!(m.trim(), "" | "{}") => Some(m.clone()),
            _ => None,
        };
        if let Some(id) = f.s("campaign.id") {
            ev.campaign = Some(ctx.campaign(&id, f.s("campaign.name").as_deref()));
        } else if let Some(uuid) = f.s("campaign_uuid") {
            ev.campaign = Some(ctx.campaign(&uuid, None));
        }
        ctx.emit(ev)
    }
}
