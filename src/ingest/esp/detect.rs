//! Which provider wrote a file, from its content (IMPORT-FORMATS.md §21):
//! JSON keys found in the head, or the CSV header's column names.

use crate::ingest::text;
use crate::ingest::{Detection, Family};

fn det(format: &str, confidence: u8, why: String) -> Detection {
    let provider = if format.starts_with("generic") {
        None
    } else {
        Some(format.split('-').next().unwrap_or(format).to_string())
    };
    Detection {
        format: format.to_string(),
        family: Family::Report,
        provider,
        confidence,
        why,
    }
}

pub fn detect(name: &str, head: &[u8]) -> Option<Detection> {
    let decoded = text::decode_head(head);
    let t = decoded.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        detect_json(t).or_else(|| super::generic::detect_json(name, t))
    } else {
        let (names, delim) = text::head_header(t)?;
        let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        detect_csv(&names, t)
            .or_else(|| super::summary::detect(&lower))
            .or_else(|| super::generic::detect_csv(name, &names, t, delim))
    }
}

fn has(t: &str, key: &str) -> bool {
    let mut s = String::with_capacity(key.len() + 2);
    s.push('"');
    s.push_str(key);
    s.push('"');
    t.contains(&s)
}

/// Format, confidence, signature test, and the sentence shown to the user.
type Rule<'a> = (&'a str, u8, &'a dyn Fn(&str) -> bool, &'a str);

fn detect_json(t: &str) -> Option<Detection> {
    let rules: &[Rule] = &[
        ("ses", 95, &|t| has(t, "notificationType") && (has(t, "bounce") || has(t, "complaint") || has(t, "delivery") || has(t, "mail")), "JSON with notificationType and mail: Amazon SES notifications"),
        ("ses", 94, &|t| has(t, "eventType") && has(t, "mail") && has(t, "messageId"), "JSON with eventType and mail.messageId: Amazon SES event publishing"),
        ("ses", 93, &|t| has(t, "TopicArn") && has(t, "Message") && (t.contains("notificationType\\\"") || t.contains("eventType\\\"")), "an SNS envelope (Type, TopicArn, Message) carrying an SES notification"),
        ("ses", 86, &|t| has(t, "emailAddress") && has(t, "reason") && (t.contains("\"BOUNCE\"") || t.contains("\"COMPLAINT\"")), "JSON with emailAddress and reason BOUNCE/COMPLAINT: Amazon SES suppression list"),
        ("listmonk", 93, &|t| has(t, "subscriber_uuid"), "JSON records with subscriber_uuid and type: listmonk bounces"),
        ("listmonk", 88, &|t| has(t, "campaign_uuid") && has(t, "type") && has(t, "source") && has(t, "email"), "JSON with email, campaign_uuid, type and source: listmonk bounce webhook bodies"),
        ("sendgrid", 95, &|t| has(t, "sg_event_id") || has(t, "sg_message_id") || has(t, "smtp-id"), "JSON events with sg_event_id / smtp-id: SendGrid Event Webhook"),
        ("mailgun", 95, &|t| has(t, "event-data") && has(t, "signature"), "JSON with event-data and signature: Mailgun webhook"),
        ("mailgun", 92, &|t| has(t, "event") && (has(t, "delivery-status") || (has(t, "severity") && has(t, "recipient"))), "JSON events with event and delivery-status/severity: Mailgun Events API"),
        ("postmark", 95, &|t| has(t, "RecordType") && has(t, "TypeCode"), "JSON with RecordType and TypeCode: Postmark bounces"),
        ("postmark", 90, &|t| has(t, "TypeCode") && has(t, "BouncedAt"), "JSON with TypeCode and BouncedAt: Postmark bounces"),
        ("postmark", 88, &|t| has(t, "RecordType") && has(t, "DeliveredAt") && has(t, "MessageStream"), "JSON with RecordType, DeliveredAt and MessageStream: Postmark delivery webhooks"),
        ("sparkpost", 95, &|t| has(t, "msys"), "JSON events wrapped in msys: SparkPost webhook batch"),
        ("sparkpost", 90, &|t| has(t, "bounce_class") || (has(t, "rcpt_to") && has(t, "event_id")), "JSON with bounce_class and rcpt_to: SparkPost Events API"),
        ("mailjet", 95, &|t| has(t, "Message_GUID") || has(t, "mj_campaign_id") || has(t, "mj_contact_id"), "JSON with Message_GUID / mj_campaign_id: Mailjet events"),
        ("mandrill", 88, &|t| has(t, "msg") && has(t, "event") && (has(t, "_id") || has(t, "ts")) && ["hard_bounce", "soft_bounce", "reject", "deferral", "unsub", "spam", "send"].iter().any(|v| t.contains(&format!("\"{v}\""))), "JSON events with msg{} and hard_bounce/soft_bounce/reject: Mailchimp Transactional (Mandrill) webhook"),
        ("brevo", 92, &|t| has(t, "ts_event") && (has(t, "message-id") || has(t, "camp_id") || has(t, "email")), "JSON with ts_event and message-id/camp_id: Brevo webhooks"),
        ("brevo", 88, &|t| has(t, "camp_id") && has(t, "event") && has(t, "email"), "JSON with camp_id, event and email: Brevo marketing webhooks"),
        ("brevo", 85, &|t| has(t, "events") && has(t, "messageId") && ["hardBounces", "softBounces", "delivered", "requests", "blocked"].iter().any(|v| t.contains(&format!("\"{v}\""))), "JSON events[] with messageId and Brevo event names: Brevo events report"),
        ("klaviyo", 92, &|t| t.contains("\"profile\"") && has(t, "subscriptions"), "JSON:API profiles with subscriptions: Klaviyo"),
        ("klaviyo", 80, &|t| has(t, "suppression") && has(t, "can_receive_email_marketing"), "JSON with suppression and can_receive_email_marketing: Klaviyo"),
        ("constantcontact", 92, &|t| has(t, "tracking_activities") || (has(t, "bounce_code") && has(t, "campaign_activity_id")) || has(t, "em_bounces"), "JSON with tracking_activities / bounce_code: Constant Contact bounce report"),
        ("campaignmonitor", 92, &|t| has(t, "BounceType") && (has(t, "ListID") || has(t, "EmailAddress")), "JSON Results[] with BounceType and ListID: Campaign Monitor bounces"),
        ("mailchimp", 90, &|t| has(t, "email_address") && has(t, "activity") && has(t, "campaign_id") && has(t, "list_id"), "JSON with email_address, activity[] and campaign_id: Mailchimp email activity report"),
        ("mailchimp", 90, &|t| has(t, "emails_sent") && has(t, "campaign_title"), "JSON with emails_sent and campaign_title: Mailchimp campaign report (sent counts)"),
        ("campaignmonitor", 85, &|t| has(t, "Recipients") && has(t, "Bounced") && (has(t, "TotalOpened") || has(t, "WebVersionURL")), "JSON with Recipients, Bounced, TotalOpened: Campaign Monitor campaign summary (sent counts)"),
        ("mailerlite", 85, &|t| has(t, "subscribed_at") && has(t, "status") && has(t, "email"), "JSON subscribers with status and subscribed_at: MailerLite"),
        ("activecampaign", 80, &|t| has(t, "bounceDate") || (has(t, "bounceType") && has(t, "campaign") && has(t, "contact")), "JSON with bounceDate: ActiveCampaign campaign bounces (field names unconfirmed)"),
    ];
    rules
        .iter()
        .find(|(_, _, f, _)| f(t))
        .map(|(fmt, c, _, why)| det(fmt, *c, (*why).to_string()))
}

fn detect_csv(names: &[String], t: &str) -> Option<Detection> {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let has = |n: &str| lower.iter().any(|x| x == n);
    let exactly = |want: &[&str]| lower.len() == want.len() && want.iter().all(|w| has(w));
    if has("email address") && has("clean_time") {
        return Some(det(
            "mailchimp",
            96,
            "header has Email Address and CLEAN_TIME: Mailchimp cleaned-members export".into(),
        ));
    }
    if has("email address") && has("unsub_time") {
        return Some(det(
            "mailchimp",
            96,
            "header has Email Address and UNSUB_TIME: Mailchimp unsubscribed-members export".into(),
        ));
    }
    if has("email address") && has("leid") && has("last_changed") {
        return Some(Detection {
            format: "mailchimp-subscribed".into(),
            family: crate::ingest::Family::Contacts,
            provider: Some("mailchimp".into()),
            confidence: 90,
            why: "header has Email Address, LAST_CHANGED and LEID but no UNSUB_/CLEAN_ columns: a Mailchimp subscribed-members export (a contact list, not a report)".into(),
        });
    }
    if exactly(&["address", "code", "error", "created_at"]) {
        return Some(det(
            "mailgun",
            95,
            "header is address,code,error,created_at: Mailgun bounce list".into(),
        ));
    }
    if exactly(&["address", "tag", "created_at"]) {
        return Some(det(
            "mailgun",
            93,
            "header is address,tag,created_at: Mailgun unsubscribe list".into(),
        ));
    }
    if exactly(&["address", "created_at"]) {
        return Some(det(
            "mailgun",
            90,
            "header is address,created_at: Mailgun complaint list".into(),
        ));
    }
    if has("email")
        && has("event")
        && (has("sg_event_id") || has("sg_message_id") || has("smtp-id"))
    {
        return Some(det(
            "sendgrid",
            93,
            "header has email, event and sg_event_id/sg_message_id: SendGrid events as CSV".into(),
        ));
    }
    if has("email")
        && has("created")
        && lower.len() <= 6
        && lower.iter().all(|c| {
            [
                "email",
                "created",
                "reason",
                "status",
                "ip",
                "group_id",
                "group_name",
            ]
            .contains(&c.as_str())
        })
    {
        return Some(det(
            "sendgrid",
            70,
            "header has email and created (with reason/status): SendGrid suppression list export"
                .into(),
        ));
    }
    if (has("emailaddress") || has("email address")) && has("reason") && has("lastupdatetime") {
        return Some(det(
            "ses",
            88,
            "header has EmailAddress, Reason, LastUpdateTime: Amazon SES suppression list".into(),
        ));
    }
    if super::ses::headerless(t) {
        return Some(det(
            "ses",
            80,
            "lines of address,BOUNCE|COMPLAINT: Amazon SES suppression list".into(),
        ));
    }
    if has("typecode") && (has("email") || has("bouncedat")) {
        return Some(det(
            "postmark",
            85,
            "header has TypeCode and Email/BouncedAt: Postmark bounces as CSV".into(),
        ));
    }
    if has("bounce_class") && (has("rcpt_to") || has("raw_rcpt_to")) {
        return Some(det(
            "sparkpost",
            88,
            "header has bounce_class and rcpt_to: SparkPost events as CSV".into(),
        ));
    }
    if has("message_guid") || has("mj_campaign_id") {
        return Some(det(
            "mailjet",
            85,
            "header has Message_GUID / mj_campaign_id: Mailjet events as CSV".into(),
        ));
    }
    if (has("bounce_code") || has("bounce code"))
        && (has("email_address") || has("email") || has("email address"))
    {
        return Some(det(
            "constantcontact",
            85,
            "header has bounce_code and email_address: Constant Contact bounce report".into(),
        ));
    }
    if has("bouncetype") && (has("emailaddress") || has("email address") || has("email")) {
        return Some(det(
            "campaignmonitor",
            80,
            "header has BounceType and EmailAddress: Campaign Monitor bounces as CSV".into(),
        ));
    }
    if (has("email") || has("email address"))
        && (has("suppression reason") || has("suppression_reason"))
    {
        return Some(det(
            "klaviyo",
            80,
            "header has Email and Suppression Reason: Klaviyo suppressed profiles (column names unconfirmed)"
                .into(),
        ));
    }
    if has("subscriber_uuid") {
        return Some(det(
            "listmonk",
            85,
            "header has subscriber_uuid: listmonk bounces as CSV".into(),
        ));
    }
    if has("ts_event") && has("email") && has("event") {
        return Some(det(
            "brevo",
            80,
            "header has ts_event, email and event: Brevo events as CSV".into(),
        ));
    }
    None
}
