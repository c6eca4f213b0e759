//! Amazon SES notifications delivered by mail (SNS e-mail subscriptions): the
//! body is the JSON notification (`notificationType` Bounce, Complaint or Delivery).

use super::families::{Family, Place::*};
use crate::ingest::mailbox::message::{Finding, Mail};
use crate::model::{Kind, Reason};
use serde_json::Value;

pub(crate) static AMAZON_SES: Family = Family { name: "amazon_ses", signatures: &[(Headers, "amazonses.com")], parse: Some(parse), refine: None };

/// Reads the JSON notification in the body, if there is one.
pub fn parse(mail: &Mail<'_>) -> Option<Vec<Finding>> {
    let start = mail
        .text
        .find("{\"notificationType\"")
        .or_else(|| mail.text.find("{\"eventType\""))?;
    let body = mail.text.get(start..)?;
    let end = body.rfind('}')?;
    let json: String = body
        .get(..=end)?
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("");
    let v: Value = serde_json::from_str(&json).ok()?;
    let ty = v
        .get("notificationType")
        .or_else(|| v.get("eventType"))
        .and_then(Value::as_str)?;
    let when = |o: &Value| {
        o.get("timestamp")
            .and_then(Value::as_str)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.to_utc())
    };
    let mut out = Vec::new();
    match ty {
        "Bounce" => {
            let b = v.get("bounce")?;
            let label = format!(
                "{}/{}",
                b.get("bounceType").and_then(Value::as_str).unwrap_or(""),
                b.get("bounceSubType").and_then(Value::as_str).unwrap_or("")
            );
            let transient = label.starts_with("Transient");
            for r in b
                .get("bouncedRecipients")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(addr) = r.get("emailAddress").and_then(Value::as_str) else {
                    continue;
                };
                let diag = r
                    .get("diagnosticCode")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let mut f = super::finding(addr, diag);
                if let Some(s) = r
                    .get("status")
                    .and_then(Value::as_str)
                    .and_then(super::scan::status)
                {
                    f.status = Some(s);
                }
                f.kind = if transient {
                    Kind::Deferred
                } else {
                    Kind::Bounce
                };
                f.provider_label = Some(label.clone());
                f.remote_mta = b
                    .get("reportingMTA")
                    .and_then(Value::as_str)
                    .map(|m| m.trim_start_matches("dsn; ").to_string());
                f.occurred_at = when(b);
                f.reason_hint = subtype_reason(&label);
                out.push(f);
            }
        }
        "Complaint" => {
            let c = v.get("complaint")?;
            for r in c
                .get("complainedRecipients")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(addr) = r.get("emailAddress").and_then(Value::as_str) else {
                    continue;
                };
                let mut f = super::finding(addr, "");
                f.kind = Kind::Complaint;
                f.reason_hint = Some(Reason::Complaint);
                f.provider_label = c
                    .get("complaintFeedbackType")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                f.occurred_at = when(c);
                out.push(f);
            }
        }
        "Delivery" => {
            let d = v.get("delivery")?;
            let resp = d.get("smtpResponse").and_then(Value::as_str).unwrap_or("");
            for r in d
                .get("recipients")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let mut f = super::finding(r, resp);
                f.kind = Kind::Delivered;
                f.remote_mta = d
                    .get("reportingMTA")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                f.occurred_at = when(d);
                out.push(f);
            }
        }
        _ => return None,
    }
    Some(out)
}

/// SES bounce sub-types that name the reason outright (AWS SES notification
/// contents). `General`, `Undetermined` and `ContentRejected` say too little.
fn subtype_reason(label: &str) -> Option<Reason> {
    match label.split('/').nth(1)? {
        "NoEmail" => Some(Reason::UserUnknown),
        "MailboxFull" => Some(Reason::MailboxFull),
        "MessageTooLarge" => Some(Reason::MessageTooBig),
        "Suppressed" | "OnAccountSuppressionList" => Some(Reason::Suppressed),
        "AttachmentRejected" => Some(Reason::ContentError),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Kind, Reason};

    /// tests/fixtures/mta/amazonses.eml
    #[test]
    fn permanent_bounce_notification() {
        let run = fixture("amazonses.eml");
        let ev = run.expect("amazon_ses", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
        assert_eq!(ev.provider_label.as_deref(), Some("Permanent/General"));
    }

    /// tests/fixtures/mta/amazonses-complaint.eml
    #[test]
    fn complaint_notification() {
        let run = fixture("amazonses-complaint.eml");
        let ev = run.expect("amazon_ses", "bo@example.org", Class::Complaint, Reason::Complaint);
        assert_eq!(ev.kind, Kind::Complaint);
    }

    #[test]
    fn subtypes_that_name_a_reason() {
        assert_eq!(super::subtype_reason("Permanent/NoEmail"), Some(Reason::UserUnknown));
        assert_eq!(super::subtype_reason("Transient/MailboxFull"), Some(Reason::MailboxFull));
        assert_eq!(super::subtype_reason("Permanent/General"), None);
    }
}
