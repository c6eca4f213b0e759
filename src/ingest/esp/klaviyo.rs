//! Klaviyo: JSON:API profiles with `subscriptions.email.marketing.suppression[]`,
//! and suppressed-profile CSVs with an email and a suppression reason column
//! (IMPORT-FORMATS.md §7; the CSV column names are a best guess).

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, Reason};
use serde_json::Value;

pub struct Klaviyo;

/// Klaviyo suppression reasons → kind and reason.
pub fn suppression_kind(reason: &str) -> Option<(Kind, Option<Reason>)> {
    Some(
        match reason
            .trim()
            .to_ascii_uppercase()
            .replace(' ', "_")
            .as_str()
        {
            "HARD_BOUNCE" => (Kind::Bounce, None),
            "INVALID_EMAIL" => (Kind::Bounce, Some(Reason::SyntaxError)),
            "SPAM_COMPLAINT" => (Kind::Complaint, Some(Reason::Complaint)),
            "UNSUBSCRIBE" | "UNSUBSCRIBED" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
            "USER_SUPPRESSED" | "MANUALLY_SUPPRESSED" => {
                (Kind::Suppressed, Some(Reason::Suppressed))
            }
            _ => return None,
        },
    )
}

impl Reader for Klaviyo {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let email = f
            .any(&["attributes.email", "email", "Email"])
            .map(|s| s.into_owned());
        let list = f
            .json("attributes.subscriptions.email.marketing.suppression")
            .and_then(Value::as_array)
            .cloned();
        let entries: Vec<(String, Option<String>)> = match list {
            Some(items) => items
                .iter()
                .filter_map(|s| {
                    let r = s.get("reason").and_then(Value::as_str)?.to_string();
                    Some((
                        r,
                        s.get("timestamp")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    ))
                })
                .collect(),
            None => match f.any(&[
                "suppression reason",
                "suppression_reason",
                "reason",
                "Suppression Reason",
            ]) {
                Some(r) => vec![(
                    r.into_owned(),
                    f.any(&["suppressed at", "suppression date", "suppressed_at", "timestamp", "date"])
                        .map(|s| s.into_owned()),
                )],
                None => Vec::new(),
            },
        };
        if entries.is_empty() {
            // A profile that is not suppressed: nothing happened to it.
            ctx.skip();
            return Ok(());
        }
        for (reason, when) in entries {
            let Some((kind, hint)) = suppression_kind(&reason) else {
                ctx.problem(
                    row,
                    &format!(
                        "unknown Klaviyo suppression reason '{}'",
                        super::common::shorten(&reason)
                    ),
                )?;
                continue;
            };
            let Some(mut ev) = ctx.email_event(kind, email.as_deref(), row)? else {
                return Ok(());
            };
            ev.occurred_at = ctx.time(when.as_deref(), row)?;
            ev.provider_label = Some(reason.clone());
            ev.diagnostic = Some(format!("Klaviyo suppression: {reason}"));
            ev.reason_hint = hint;
            ctx.emit(ev)?;
        }
        Ok(())
    }
}
