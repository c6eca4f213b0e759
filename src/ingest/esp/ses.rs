//! Amazon SES: feedback notifications and event publishing records, one per
//! line, in an array, or inside an SNS envelope (unwrapped by the caller); and
//! the account suppression list as CSV (IMPORT-FORMATS.md §4).

use super::{Ctx, Fields, Reader};
use crate::error::Result;
use crate::ingest::text::Header;
use crate::model::{Kind, OriginalMessage, Reason};
use serde_json::{Map, Value};

#[derive(Default)]
pub struct Ses {
    csv: bool,
}

/// A suppression list without a header: `address,BOUNCE` lines.
pub fn headerless(text: &str) -> bool {
    let Some(first) = text.lines().next() else {
        return false;
    };
    let mut parts = first.split(',');
    let (Some(a), Some(r)) = (parts.next(), parts.next()) else {
        return false;
    };
    a.contains('@')
        && matches!(
            r.trim().trim_matches('"').to_ascii_uppercase().as_str(),
            "BOUNCE" | "COMPLAINT"
        )
}

impl Reader for Ses {
    fn header(&mut self, _h: &Header) -> std::result::Result<(), String> {
        self.csv = true;
        Ok(())
    }

    fn record(&mut self, ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
        if self.csv {
            return suppression_row(ctx, f, row);
        }
        let kind_name = f
            .any(&["notificationType", "eventType"])
            .map(|s| s.replace(' ', "").to_lowercase());
        let Some(kind_name) = kind_name else {
            // The suppression list as JSON lines: {"emailAddress":…,"reason":"BOUNCE"}.
            if f.s("emailAddress").is_some() && f.s("reason").is_some() {
                return suppression_row(ctx, f, row);
            }
            return ctx.problem(
                row,
                "neither notificationType nor eventType: not an SES notification",
            );
        };
        let mail = f.json("mail").and_then(Value::as_object);
        match kind_name.as_str() {
            "bounce" => bounce(ctx, f, mail, row),
            "complaint" => complaint(ctx, f, mail, row),
            "delivery" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Delivered,
                "delivery.recipients",
                "delivery.timestamp",
            ),
            "send" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Sent,
                "mail.destination",
                "mail.timestamp",
            ),
            "deliverydelay" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Deferred,
                "deliveryDelay.delayedRecipients",
                "deliveryDelay.timestamp",
            ),
            "reject" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Bounce,
                "mail.destination",
                "mail.timestamp",
            ),
            "renderingfailure" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Bounce,
                "mail.destination",
                "mail.timestamp",
            ),
            "subscription" => simple(
                ctx,
                f,
                mail,
                row,
                Kind::Unsubscribe,
                "mail.destination",
                "subscription.timestamp",
            ),
            "open" | "click" | "received" => {
                ctx.skip();
                Ok(())
            }
            other => ctx.problem(
                row,
                &format!(
                    "unknown SES notification type '{}'",
                    super::common::shorten(other)
                ),
            ),
        }
    }
}

fn recipients_of<'v>(
    f: &'v dyn Fields,
    path: &str,
) -> Vec<(String, Option<&'v Map<String, Value>>)> {
    match f.json(path) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|it| match it {
                Value::String(s) => Some((s.clone(), None)),
                Value::Object(o) => o
                    .get("emailAddress")
                    .and_then(Value::as_str)
                    .map(|s| (s.to_string(), Some(o))),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn bounce(
    ctx: &mut Ctx<'_>,
    f: &dyn Fields,
    mail: Option<&Map<String, Value>>,
    row: u64,
) -> Result<()> {
    let btype = f
        .s("bounce.bounceType")
        .map(|s| s.into_owned())
        .unwrap_or_default();
    let sub = f
        .s("bounce.bounceSubType")
        .map(|s| s.into_owned())
        .unwrap_or_default();
    let (kind, hint) = bounce_kind(&btype, &sub);
    let feedback = f.s("bounce.feedbackId").map(|s| s.into_owned());
    let when = f.s("bounce.timestamp").map(|s| s.into_owned());
    let mta = f.s("bounce.reportingMTA").map(|s| s.into_owned());
    let rcpts = recipients_of(f, "bounce.bouncedRecipients");
    if rcpts.is_empty() {
        return ctx.problem(row, "bounce without bouncedRecipients");
    }
    for (addr, detail) in rcpts {
        let Some(mut ev) = ctx.email_event(kind, Some(&addr), row)? else {
            continue;
        };
        ev.occurred_at = ctx.time(when.as_deref(), row)?;
        ev.provider_label = Some(format!("{btype}/{sub}"));
        ev.reason_hint = hint;
        if let Some(d) = detail {
            ev.status = d
                .get("status")
                .and_then(Value::as_str)
                .filter(|s| super::common::is_status(s))
                .map(str::to_string);
            if let Some(diag) = d.get("diagnosticCode").and_then(Value::as_str) {
                super::common::smtp_from_text(&mut ev, diag);
                ev.diagnostic = Some(diag.to_string());
            }
        }
        ev.remote_mta = mta.clone();
        ev.provider_event_id = feedback
            .as_ref()
            .map(|id| format!("{id}:{}", addr.to_lowercase()));
        fill_mail(ctx, &mut ev, mail);
        ctx.emit(ev)?;
    }
    Ok(())
}

/// SES bounce type/subtype (IMPORT-FORMATS.md §4 table) to kind and reason.
pub fn bounce_kind(btype: &str, sub: &str) -> (Kind, Option<Reason>) {
    match (btype, sub) {
        ("Permanent", "Suppressed") | ("Permanent", "OnAccountSuppressionList") => {
            (Kind::Suppressed, Some(Reason::Suppressed))
        }
        ("Permanent", "UnsubscribedRecipient") => (Kind::Unsubscribe, Some(Reason::Unsubscribe)),
        ("Permanent", "NoEmail") => (Kind::Bounce, Some(Reason::UserUnknown)),
        ("Transient", "MailboxFull") => (Kind::Bounce, Some(Reason::MailboxFull)),
        ("Transient", "MessageTooLarge") => (Kind::Bounce, Some(Reason::MessageTooBig)),
        ("Transient", "ContentRejected") => (Kind::Bounce, Some(Reason::SpamDetected)),
        ("Transient", "AttachmentRejected") => (Kind::Bounce, Some(Reason::Policy)),
        _ => (Kind::Bounce, None),
    }
}

fn complaint(
    ctx: &mut Ctx<'_>,
    f: &dyn Fields,
    mail: Option<&Map<String, Value>>,
    row: u64,
) -> Result<()> {
    let ftype = f
        .s("complaint.complaintFeedbackType")
        .map(|s| s.into_owned());
    if ftype.as_deref() == Some("not-spam") {
        // The opposite of a complaint: nothing to record.
        ctx.skip();
        return Ok(());
    }
    let sub = f.s("complaint.complaintSubType").map(|s| s.into_owned());
    let feedback = f.s("complaint.feedbackId").map(|s| s.into_owned());
    let when = f.s("complaint.timestamp").map(|s| s.into_owned());
    let rcpts = recipients_of(f, "complaint.complainedRecipients");
    if rcpts.is_empty() {
        return ctx.problem(row, "complaint without complainedRecipients");
    }
    for (addr, _) in rcpts {
        let kind = if sub.as_deref() == Some("OnAccountSuppressionList") {
            Kind::Suppressed
        } else {
            Kind::Complaint
        };
        let Some(mut ev) = ctx.email_event(kind, Some(&addr), row)? else {
            continue;
        };
        ev.occurred_at = ctx.time(when.as_deref(), row)?;
        ev.provider_label = Some(match (&ftype, &sub) {
            (Some(t), Some(s)) => format!("complaint/{t}/{s}"),
            (Some(t), None) => format!("complaint/{t}"),
            _ => "complaint".into(),
        });
        ev.reason_hint = Some(if kind == Kind::Suppressed {
            Reason::Suppressed
        } else {
            Reason::Complaint
        });
        ev.diagnostic = f.s("complaint.userAgent").map(|s| s.into_owned());
        ev.provider_event_id = feedback
            .as_ref()
            .map(|id| format!("{id}:{}", addr.to_lowercase()));
        fill_mail(ctx, &mut ev, mail);
        ctx.emit(ev)?;
    }
    Ok(())
}

fn simple(
    ctx: &mut Ctx<'_>,
    f: &dyn Fields,
    mail: Option<&Map<String, Value>>,
    row: u64,
    kind: Kind,
    rcpt_path: &str,
    when_path: &str,
) -> Result<()> {
    let when = f
        .s(when_path)
        .or_else(|| f.s("mail.timestamp"))
        .map(|s| s.into_owned());
    let label = f
        .any(&["notificationType", "eventType"])
        .map(|s| s.into_owned());
    let diag = f
        .any(&[
            "reject.reason",
            "failure.errorMessage",
            "deliveryDelay.delayType",
            "delivery.smtpResponse",
        ])
        .map(|s| s.into_owned());
    let msg_id = f.s("mail.messageId").map(|s| s.into_owned());
    for (addr, detail) in recipients_of(f, rcpt_path) {
        let Some(mut ev) = ctx.email_event(kind, Some(&addr), row)? else {
            continue;
        };
        ev.occurred_at = ctx.time(when.as_deref(), row)?;
        ev.provider_label = label.clone();
        if let Some(d) = &diag {
            super::common::smtp_from_text(&mut ev, d);
        }
        if let Some(s) = detail.and_then(|d| d.get("status")).and_then(Value::as_str) {
            ev.status = Some(s.to_string()).filter(|s| super::common::is_status(s));
        }
        ev.diagnostic = detail
            .and_then(|d| d.get("diagnosticCode"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| diag.clone());
        ev.reason_hint = match kind {
            Kind::Unsubscribe => Some(Reason::Unsubscribe),
            Kind::Bounce => Some(Reason::MailerError),
            _ => None,
        };
        ev.provider_event_id = msg_id.as_ref().map(|m| {
            format!(
                "{m}:{}:{}",
                label.as_deref().unwrap_or(""),
                addr.to_lowercase()
            )
        });
        fill_mail(ctx, &mut ev, mail);
        ctx.emit(ev)?;
    }
    Ok(())
}

fn fill_mail(ctx: &mut Ctx<'_>, ev: &mut crate::model::Event, mail: Option<&Map<String, Value>>) {
    let Some(m) = mail else { return };
    ev.sent_at = m
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(|t| ctx.dates.parse(t));
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let common = m.get("commonHeaders");
    ev.original = Some(OriginalMessage {
        message_id: s(common.and_then(|c| c.get("messageId"))).or_else(|| s(m.get("messageId"))),
        subject: s(common.and_then(|c| c.get("subject"))),
        from: s(m.get("source")),
        ..Default::default()
    });
    // Event publishing carries the sender's own tags; a `campaign`-like tag names the campaign.
    if let Some(Value::Object(tags)) = m.get("tags") {
        for key in [
            "campaign",
            "campaign_id",
            "campaign-id",
            "campaignId",
            "Campaign",
        ] {
            if let Some(v) = tags
                .get(key)
                .and_then(|v| v.as_array())
                .and_then(|a| a.first())
                .and_then(Value::as_str)
            {
                ev.campaign = Some(ctx.campaign(v, None));
                return;
            }
        }
    }
}

fn suppression_row(ctx: &mut Ctx<'_>, f: &dyn Fields, row: u64) -> Result<()> {
    // With a header: EmailAddress,Reason,LastUpdateTime; without one the columns are positional.
    let email = f
        .any(&["emailaddress", "emailAddress", "email address", "email", "address", "0"])
        .map(|s| s.into_owned());
    let reason = f.any(&["reason", "1"]).map(|s| s.to_ascii_uppercase());
    let (kind, hint) = match reason.as_deref() {
        Some("COMPLAINT") => (Kind::Complaint, Reason::Complaint),
        // On the list for a bounce: an earlier permanent failure (SES lists hard bounces only),
        // read like Mailchimp's cleaned members: hard, the address does not take mail.
        _ => (Kind::Bounce, Reason::UserUnknown),
    };
    let Some(mut ev) = ctx.email_event(kind, email.as_deref(), row)? else {
        return Ok(());
    };
    ev.occurred_at = ctx.time(
        f.any(&["lastupdatetime", "lastUpdateTime", "LastUpdateTime", "last_update_time", "2"])
            .as_deref(),
        row,
    )?;
    ev.provider_label = Some(format!(
        "suppression list/{}",
        reason.as_deref().unwrap_or("BOUNCE")
    ));
    if kind == Kind::Bounce {
        ev.diagnostic = Some(
            "on the SES account suppression list for a bounce (SES lists hard bounces; the list does not keep the reply)".into(),
        );
    }
    ev.reason_hint = Some(hint);
    ctx.emit(ev)
}
