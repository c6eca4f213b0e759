//! Postmark: bounce and spam-complaint records from the Bounces API, webhooks,
//! or a CSV with the same field names (IMPORT-FORMATS.md §5); Delivery webhooks
//! (`RecordType: Delivery`, Postmark's webhook docs) count as delivered.

use super::common::smtp_from_text;
use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::model::{Kind, OriginalMessage, Reason};

pub struct Postmark;

impl Reader for Postmark {
    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        let ty = f.any(&["Type", "type"]).map(|s| s.into_owned());
        let code = f
            .any(&["TypeCode", "typecode"])
            .and_then(|c| c.parse::<u32>().ok());
        if f.any(&["RecordType", "recordtype"]).as_deref() == Some("Delivery") {
            return delivery(ctx, f, row);
        }
        if ty.is_none() && code.is_none() {
            return ctx.problem(row, "no Type or TypeCode: not a Postmark bounce record");
        }
        let Some((kind, hint)) = type_kind(ty.as_deref(), code) else {
            ctx.skip();
            return Ok(());
        };
        let Some(mut ev) = ctx.email_event(kind, f.any(&["Email", "email"]).as_deref(), row)?
        else {
            return Ok(());
        };
        ev.occurred_at = ctx.time(f.any(&["BouncedAt", "bouncedat"]).as_deref(), row)?;
        ev.provider_event_id = f.any(&["ID", "id"]).map(|s| s.into_owned());
        ev.provider_label = ty.clone().or_else(|| code.map(|c| c.to_string()));
        ev.reason_hint = hint;
        let details = f.any(&["Details", "details"]).map(|s| s.into_owned());
        if let Some(d) = &details {
            smtp_from_text(&mut ev, d);
        }
        ev.diagnostic = details.or_else(|| {
            f.any(&["Description", "description"])
                .map(|s| s.into_owned())
        });
        ev.original = Some(OriginalMessage {
            message_id: f.any(&["MessageID", "messageid"]).map(|s| s.into_owned()),
            subject: f.any(&["Subject", "subject"]).map(|s| s.into_owned()),
            from: f.any(&["From", "from"]).map(|s| s.into_owned()),
            ..Default::default()
        });
        let campaign = f
            .any(&["Metadata.campaign", "Metadata.campaign_id", "Tag", "tag"])
            .map(|s| s.into_owned());
        if let Some(c) = campaign {
            ev.campaign = Some(ctx.campaign(&c, None));
        }
        ctx.emit(ev)
    }
}

/// A Delivery webhook (`Recipient`, `DeliveredAt`): a delivered message, the rates' denominator.
fn delivery(ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
    let to = f.any(&["Recipient", "recipient", "Email"]).map(|s| s.into_owned());
    let Some(mut ev) = ctx.email_event(Kind::Delivered, to.as_deref(), row)? else {
        return Ok(());
    };
    ev.occurred_at = ctx.time(f.any(&["DeliveredAt", "deliveredat"]).as_deref(), row)?;
    ev.provider_event_id = f.any(&["MessageID", "messageid"]).map(|m| format!("{m}:delivery"));
    ev.provider_label = Some("Delivery".into());
    if let Some(c) = f.any(&["Metadata.campaign", "Metadata.campaign_id", "Tag", "tag"]) {
        ev.campaign = Some(ctx.campaign(&c, None));
    }
    ctx.emit(ev)
}

/// Postmark's Type / TypeCode table (IMPORT-FORMATS.md §5); None = not a delivery outcome.
pub fn type_kind(ty: Option<&str>, code: Option<u32>) -> Option<(Kind, Option<Reason>)> {
    let by_code = |c: u32| -> &'static str {
        match c {
            1 => "HardBounce",
            2 => "Transient",
            16 => "Unsubscribe",
            32 => "Subscribe",
            64 => "AutoResponder",
            128 => "AddressChange",
            256 => "DnsError",
            512 => "SpamNotification",
            1024 => "OpenRelayTest",
            2048 => "Unknown",
            4096 => "SoftBounce",
            8192 => "VirusNotification",
            16384 => "ChallengeVerification",
            100000 => "BadEmailAddress",
            100001 => "SpamComplaint",
            100002 => "ManuallyDeactivated",
            100003 => "Unconfirmed",
            100006 => "Blocked",
            100007 => "SMTPApiError",
            100008 => "InboundError",
            100009 => "DMARCPolicy",
            100010 => "TemplateRenderingFailed",
            _ => "",
        }
    };
    let name = ty
        .map(str::to_string)
        .unwrap_or_else(|| code.map(by_code).unwrap_or("").to_string());
    Some(match name.as_str() {
        "HardBounce" => (Kind::Bounce, None),
        "Transient" => (Kind::Deferred, None),
        "Unsubscribe" => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        "AutoResponder" => (Kind::AutoReply, Some(Reason::AutoReply)),
        "AddressChange" => (Kind::Bounce, Some(Reason::HasMoved)),
        "DnsError" => (Kind::Bounce, Some(Reason::NetworkError)),
        "SpamNotification" => (Kind::Bounce, Some(Reason::SpamDetected)),
        "Unknown" => (Kind::Bounce, None),
        "SoftBounce" => (Kind::Bounce, None),
        "VirusNotification" => (Kind::Bounce, Some(Reason::VirusDetected)),
        "BadEmailAddress" => (Kind::Bounce, Some(Reason::SyntaxError)),
        "SpamComplaint" => (Kind::Complaint, Some(Reason::Complaint)),
        "ManuallyDeactivated" => (Kind::Suppressed, Some(Reason::Suppressed)),
        "Blocked" => (Kind::Bounce, Some(Reason::Blocked)),
        "DMARCPolicy" => (Kind::Bounce, Some(Reason::AuthFailed)),
        "SMTPApiError" | "TemplateRenderingFailed" => (Kind::Bounce, Some(Reason::MailerError)),
        // Subscribe, OpenRelayTest, ChallengeVerification, Unconfirmed, InboundError: not delivery outcomes.
        _ => return None,
    })
}
