//! SMS failures: provider error codes (Twilio, Vonage, SMPP receipts) → Reason.
//! Tables follow IMPORT-FORMATS.md sections 15–17 and 20. `reply_code` holds the
//! provider's error code; `provider` says whose; `provider_label` may hold an SMPP
//! `stat` (UNDELIV, REJECTD, …).

use crate::model::Reason;

/// Twilio error codes.
pub static TWILIO: &[(u32, Reason, &str)] = &[
    (
        30003,
        Reason::SmsUnreachable,
        "unreachable destination handset",
    ),
    (30004, Reason::SmsCarrierFiltered, "message blocked"),
    (
        30005,
        Reason::SmsInvalidNumber,
        "unknown destination handset",
    ),
    (
        30006,
        Reason::SmsInvalidNumber,
        "landline or unreachable carrier",
    ),
    (
        30007,
        Reason::SmsCarrierFiltered,
        "message filtered by carrier",
    ),
    (30008, Reason::Unknown, "unknown error"),
    (
        30034,
        Reason::SmsCarrierFiltered,
        "unregistered A2P 10DLC number",
    ),
    (21211, Reason::SmsInvalidNumber, "invalid 'To' phone number"),
    (21610, Reason::SmsOptedOut, "recipient replied STOP"),
    (21614, Reason::SmsInvalidNumber, "not a valid mobile number"),
    (21635, Reason::SmsInvalidNumber, "'To' number is a landline"),
];

/// Vonage (Nexmo) DLR `err-code` values.
pub static VONAGE: &[(u32, Reason, &str)] = &[
    (1, Reason::Unknown, "unknown"),
    (2, Reason::SmsUnreachable, "absent subscriber (temporary)"),
    (3, Reason::SmsInvalidNumber, "absent subscriber (permanent)"),
    (4, Reason::SmsOptedOut, "call barred by user"),
    (5, Reason::SmsUnreachable, "portability error"),
    (6, Reason::SmsCarrierFiltered, "anti-spam rejection"),
    (7, Reason::SmsUnreachable, "handset busy"),
    (8, Reason::SmsUnreachable, "network error"),
    (9, Reason::SmsInvalidNumber, "illegal number"),
    (10, Reason::MailerError, "illegal message"),
    (11, Reason::SmsInvalidNumber, "unroutable"),
    (12, Reason::SmsUnreachable, "destination unreachable"),
    (13, Reason::SmsCarrierFiltered, "subscriber age restriction"),
    (14, Reason::SmsCarrierFiltered, "number blocked by carrier"),
    (15, Reason::SmsUnreachable, "prepaid insufficient funds"),
    (16, Reason::RateLimited, "gateway quota exceeded"),
    (50, Reason::SmsCarrierFiltered, "entity filter"),
    (51, Reason::SmsCarrierFiltered, "header filter"),
    (52, Reason::SmsCarrierFiltered, "content filter"),
    (53, Reason::SmsOptedOut, "consent filter"),
    (54, Reason::SmsCarrierFiltered, "regulation error"),
    (99, Reason::Unknown, "general error"),
];

/// SMPP delivery-receipt `stat` values that say something on their own.
pub static SMPP_STAT: &[(&str, Reason)] = &[
    ("EXPIRED", Reason::SmsUnreachable),
    ("DELETED", Reason::Unknown),
    ("UNKNOWN", Reason::Unknown),
    ("REJECTD", Reason::SmsCarrierFiltered),
    ("UNDELIV", Reason::Unknown),
];

/// Words in an SMS provider's error text, for rows with no known code.
static TEXT: &[(&str, Reason)] = &[
    ("opted out", Reason::SmsOptedOut),
    ("opt-out", Reason::SmsOptedOut),
    ("unsubscribed", Reason::SmsOptedOut),
    ("invalid number", Reason::SmsInvalidNumber),
    ("invalid phone", Reason::SmsInvalidNumber),
    ("not a valid mobile", Reason::SmsInvalidNumber),
    ("landline", Reason::SmsInvalidNumber),
    ("unknown subscriber", Reason::SmsInvalidNumber),
    ("absent subscriber", Reason::SmsUnreachable),
    ("unreachable", Reason::SmsUnreachable),
    ("filtered", Reason::SmsCarrierFiltered),
    ("spam", Reason::SmsCarrierFiltered),
    ("blocked", Reason::SmsCarrierFiltered),
];

/// The provider family from `provider`, or a guess from the code's range.
fn family(provider: Option<&str>, code: Option<u32>) -> &'static str {
    let p = provider.unwrap_or("").to_ascii_lowercase();
    if p.contains("twilio") {
        "twilio"
    } else if p.contains("vonage") || p.contains("nexmo") {
        "vonage"
    } else if p.contains("smpp") {
        "smpp"
    } else if code.is_some_and(|c| c >= 20000) {
        "twilio"
    } else if code.is_some_and(|c| c < 100) {
        "vonage"
    } else {
        ""
    }
}

/// (reason, rule, evidence) for a failed SMS.
pub fn decide(
    provider: Option<&str>,
    code: Option<u32>,
    label: Option<&str>,
    diagnostic: Option<&str>,
) -> (Reason, String, String) {
    let fam = family(provider, code);
    let table = match fam {
        "twilio" => TWILIO,
        "vonage" => VONAGE,
        _ => &[][..],
    };
    if let Some((c, r, what)) = code.and_then(|c| table.iter().find(|(k, _, _)| *k == c)) {
        return (*r, format!("sms:{fam}:{c}"), format!("{c} {what}"));
    }
    if let Some(stat) = label.map(str::trim) {
        if let Some((s, r)) = SMPP_STAT.iter().find(|(s, _)| s.eq_ignore_ascii_case(stat)) {
            return (*r, format!("sms:smpp:{s}"), stat.to_string());
        }
    }
    let text = super::text::normalize(diagnostic.unwrap_or(""));
    if let Some((w, r)) = TEXT.iter().find(|(w, _)| text.contains(w)) {
        return (*r, format!("sms:text:{w}"), (*w).to_string());
    }
    let evidence = code.map(|c| c.to_string()).unwrap_or_default();
    (Reason::Unknown, "sms:default".to_string(), evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_codes() {
        assert_eq!(
            decide(Some("twilio"), Some(30003), None, None).0,
            Reason::SmsUnreachable
        );
        assert_eq!(
            decide(Some("twilio"), Some(30005), None, None).0,
            Reason::SmsInvalidNumber
        );
        assert_eq!(
            decide(Some("twilio"), Some(30007), None, None).0,
            Reason::SmsCarrierFiltered
        );
        assert_eq!(
            decide(Some("twilio"), Some(21610), None, None).0,
            Reason::SmsOptedOut
        );
        assert_eq!(decide(None, Some(21211), None, None).1, "sms:twilio:21211");
    }

    #[test]
    fn vonage_codes() {
        assert_eq!(
            decide(Some("vonage"), Some(3), None, None).0,
            Reason::SmsInvalidNumber
        );
        assert_eq!(
            decide(Some("nexmo"), Some(2), None, None).0,
            Reason::SmsUnreachable
        );
        assert_eq!(
            decide(Some("vonage"), Some(53), None, None).0,
            Reason::SmsOptedOut
        );
        assert_eq!(
            decide(Some("vonage"), Some(14), None, None).0,
            Reason::SmsCarrierFiltered
        );
    }

    #[test]
    fn smpp_stat_and_text_fallbacks() {
        assert_eq!(
            decide(Some("smpp"), Some(0), Some("REJECTD"), None).0,
            Reason::SmsCarrierFiltered
        );
        assert_eq!(
            decide(Some("smpp"), None, Some("expired"), None).0,
            Reason::SmsUnreachable
        );
        assert_eq!(
            decide(None, None, None, Some("Recipient has opted out")).0,
            Reason::SmsOptedOut
        );
        assert_eq!(decide(None, None, None, Some("")).0, Reason::Unknown);
    }
}
