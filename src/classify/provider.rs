//! A provider's own bounce label (SendGrid bounce_classification, SES
//! bounceType/bounceSubType, Postmark Type, SparkPost bounce_class, Mailgun severity,
//! …) read as a hint. Tables follow IMPORT-FORMATS.md sections 1–14 and 20.
//!
//! Labels are matched case-insensitively; compound labels may be given joined with
//! `/` or `:` (`Permanent/General`, `failed:permanent`). A bare "hard" is read as
//! user_unknown (the usual cause of a permanent address failure); classes follow
//! [`super::class_of`] except for those reason-less hard labels.

use super::class_of;
use crate::model::{Class, Reason};

/// The (reason, class) a provider's label stands for, if the label is known.
pub fn provider_hint(provider: &str, label: &str) -> Option<(Reason, Class)> {
    let p = provider.trim().to_ascii_lowercase();
    let l = label.trim().to_ascii_lowercase();
    let r = match p.as_str() {
        "sendgrid" => sendgrid(&l),
        "ses" | "amazonses" | "amazon_ses" | "amazon ses" => ses(&l),
        "postmark" => postmark(&l),
        "sparkpost" | "bird" => sparkpost(&l),
        "mailgun" => mailgun(&l),
        "brevo" | "sendinblue" => brevo(&l),
        "klaviyo" => klaviyo(&l),
        "constantcontact" | "constant_contact" | "constant contact" => constant_contact(&l),
        "mailjet" => mailjet(&l),
        _ => None,
    };
    r.or_else(|| generic(&l))
        .map(|reason| (reason, class_for(reason, &l)))
}

/// Reason-less "hard" labels keep their hard class; everything else follows class_of.
fn class_for(reason: Reason, label: &str) -> Class {
    class_of(
        reason,
        if label.contains("temporary") || label.contains("transient") {
            Some("4.0.0")
        } else {
            None
        },
    )
}

fn generic(l: &str) -> Option<Reason> {
    Some(match l {
        "hard" | "hard_bounce" | "hardbounce" | "hard bounce" | "bounced" | "bounce"
        | "permanent" | "cleaned" => Reason::UserUnknown,
        "soft" | "soft_bounce" | "softbounce" | "soft bounce" | "temporary" | "transient"
        | "deferred" => Reason::Unknown,
        "block" | "blocked" => Reason::Blocked,
        "complaint" | "spam" | "spamreport" | "spam_complaint" | "junk" => Reason::Complaint,
        "unsubscribe" | "unsubscribed" | "unsub" => Reason::Unsubscribe,
        "invalid" | "invalid_email" => Reason::SyntaxError,
        _ => return None,
    })
}

fn sendgrid(l: &str) -> Option<Reason> {
    Some(match l {
        "invalid address" => Reason::UserUnknown,
        "mailbox unavailable" => Reason::MailboxDisabled,
        "technical failure" | "technical" => Reason::SystemError,
        "content" => Reason::SpamDetected,
        "reputation" => Reason::Blocked,
        "frequency or volume too high" => Reason::RateLimited,
        "unclassified" => Reason::Unknown,
        "dropped" => Reason::Suppressed,
        "group_unsubscribe" => Reason::Unsubscribe,
        _ => return None,
    })
}

fn ses(l: &str) -> Option<Reason> {
    let sub = l.rsplit(['/', ':']).next().unwrap_or(l);
    let permanent = l.starts_with("permanent");
    Some(match sub {
        "noemail" => Reason::UserUnknown,
        "general" if permanent => Reason::UserUnknown,
        "general" => Reason::Unknown,
        "suppressed" | "onaccountsuppressionlist" => Reason::Suppressed,
        "unsubscribedrecipient" => Reason::Unsubscribe,
        "mailboxfull" => Reason::MailboxFull,
        "messagetoolarge" => Reason::MessageTooBig,
        "contentrejected" => Reason::SpamDetected,
        "attachmentrejected" => Reason::Policy,
        "undetermined" => Reason::Unknown,
        "complaint" => Reason::Complaint,
        _ => return None,
    })
}

fn postmark(l: &str) -> Option<Reason> {
    Some(match l {
        "hardbounce" | "1" => Reason::UserUnknown,
        "transient" | "2" | "softbounce" | "4096" | "unknown" | "2048" => Reason::Unknown,
        "unsubscribe" | "16" => Reason::Unsubscribe,
        "autoresponder" | "64" => Reason::AutoReply,
        "addresschange" | "128" => Reason::HasMoved,
        "dnserror" | "256" => Reason::NetworkError,
        "spamnotification" | "512" => Reason::SpamDetected,
        "virusnotification" | "8192" => Reason::VirusDetected,
        "bademailaddress" | "100000" => Reason::SyntaxError,
        "spamcomplaint" | "100001" => Reason::Complaint,
        "manuallydeactivated" | "100002" => Reason::Suppressed,
        "blocked" | "100006" => Reason::Blocked,
        "smtpapierror" | "100007" | "templaterenderingfailed" | "100010" => Reason::MailerError,
        "dmarcpolicy" | "100009" => Reason::AuthFailed,
        _ => return None,
    })
}

fn sparkpost(l: &str) -> Option<Reason> {
    Some(match l {
        "1" | "20" | "40" | "70" => Reason::Unknown,
        "10" | "30" => Reason::UserUnknown,
        "21" => Reason::NetworkError,
        "22" => Reason::MailboxFull,
        "23" => Reason::MessageTooBig,
        "24" => Reason::Expired,
        "25" | "26" => Reason::Suppressed,
        "50" | "51" => Reason::Blocked,
        "52" => Reason::SpamDetected,
        "53" => Reason::Policy,
        "54" => Reason::RelayDenied,
        "60" => Reason::AutoReply,
        "90" | "list_unsubscribe" | "link_unsubscribe" => Reason::Unsubscribe,
        "spam_complaint" => Reason::Complaint,
        _ => return None,
    })
}

fn mailgun(l: &str) -> Option<Reason> {
    let parts: Vec<&str> = l.split(['/', ':']).map(str::trim).collect();
    let has = |s: &str| parts.contains(&s);
    Some(if parts.iter().any(|p| p.starts_with("suppress-")) {
        if has("suppress-unsubscribe") {
            Reason::Unsubscribe
        } else if has("suppress-complaint") {
            Reason::Complaint
        } else {
            Reason::Suppressed
        }
    } else if has("espblock") {
        Reason::Blocked
    } else if has("old") {
        Reason::Expired
    } else if has("complained") {
        Reason::Complaint
    } else if has("unsubscribed") {
        Reason::Unsubscribe
    } else if has("temporary") {
        Reason::Unknown
    } else if has("permanent") {
        Reason::UserUnknown
    } else {
        return None;
    })
}

fn brevo(l: &str) -> Option<Reason> {
    Some(match l {
        "hard_bounce" | "hardbounces" | "hardbounce" => Reason::UserUnknown,
        "soft_bounce" | "softbounces" | "softbounce" | "deferred" => Reason::Unknown,
        "blocked" => Reason::Suppressed,
        "invalid_email" | "invalid" => Reason::SyntaxError,
        "spam" => Reason::Complaint,
        "unsubscribed" => Reason::Unsubscribe,
        _ => return None,
    })
}

fn klaviyo(l: &str) -> Option<Reason> {
    Some(match l {
        "hard_bounce" => Reason::UserUnknown,
        "invalid_email" => Reason::SyntaxError,
        "spam_complaint" => Reason::Complaint,
        "unsubscribe" => Reason::Unsubscribe,
        "user_suppressed" => Reason::Suppressed,
        _ => return None,
    })
}

fn constant_contact(l: &str) -> Option<Reason> {
    Some(match l {
        "b" => Reason::UserUnknown,
        "d" => Reason::Expired,
        "f" => Reason::MailboxFull,
        "s" => Reason::MailboxDisabled,
        "v" => Reason::AutoReply,
        "x" => Reason::Unknown,
        "z" => Reason::Blocked,
        _ => return None,
    })
}

fn mailjet(l: &str) -> Option<Reason> {
    let err = l.rsplit(['/', ':']).next().unwrap_or(l).trim();
    Some(match err {
        "user unknown" => Reason::UserUnknown,
        "mailbox inactive" => Reason::MailboxDisabled,
        "quota exceeded" => Reason::MailboxFull,
        "blacklisted" | "spam reporter" | "preblocked" => Reason::Suppressed,
        "invalid domain" | "no mail host" => Reason::HostUnknown,
        "relay/access denied" => Reason::RelayDenied,
        "greylisted" => Reason::Unknown,
        "typofix" => Reason::SyntaxError,
        "bad or empty template" | "error in template language" => Reason::MailerError,
        "sender blocked" => Reason::Blocked,
        "content blocked" => Reason::SpamDetected,
        "policy issue" => Reason::Policy,
        "system issue" | "protocol issue" | "connection issue" => Reason::SystemError,
        "hard_bounce: true" | "true" => Reason::UserUnknown,
        "hard_bounce: false" | "false" => Reason::Unknown,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_maps_its_labels() {
        let h = |p, l| provider_hint(p, l);
        assert_eq!(
            h("sendgrid", "Invalid Address"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("sendgrid", "Reputation"),
            Some((Reason::Blocked, Class::Block))
        );
        assert_eq!(
            h("sendgrid", "Frequency or Volume Too High"),
            Some((Reason::RateLimited, Class::Soft))
        );
        assert_eq!(
            h("sendgrid", "blocked"),
            Some((Reason::Blocked, Class::Block))
        );
        assert_eq!(
            h("ses", "Permanent/General"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("ses", "Permanent/NoEmail"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("ses", "Transient/General"),
            Some((Reason::Unknown, Class::Soft))
        );
        assert_eq!(
            h("ses", "Transient/MailboxFull"),
            Some((Reason::MailboxFull, Class::Soft))
        );
        assert_eq!(
            h("ses", "Transient/ContentRejected"),
            Some((Reason::SpamDetected, Class::Block))
        );
        assert_eq!(
            h("ses", "Permanent/Suppressed"),
            Some((Reason::Suppressed, Class::None))
        );
        assert_eq!(
            h("postmark", "HardBounce"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("postmark", "DMARCPolicy"),
            Some((Reason::AuthFailed, Class::Block))
        );
        assert_eq!(h("postmark", "128"), Some((Reason::HasMoved, Class::Hard)));
        assert_eq!(
            h("sparkpost", "10"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("sparkpost", "22"),
            Some((Reason::MailboxFull, Class::Soft))
        );
        assert_eq!(h("sparkpost", "51"), Some((Reason::Blocked, Class::Block)));
        assert_eq!(
            h("sparkpost", "90"),
            Some((Reason::Unsubscribe, Class::Unsubscribe))
        );
        assert_eq!(
            h("mailgun", "permanent"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("mailgun", "temporary"),
            Some((Reason::Unknown, Class::Soft))
        );
        assert_eq!(
            h("mailgun", "failed:permanent:espblock"),
            Some((Reason::Blocked, Class::Block))
        );
        assert_eq!(
            h("mailgun", "suppress-bounce"),
            Some((Reason::Suppressed, Class::None))
        );
        assert_eq!(
            h("brevo", "hard_bounce"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("klaviyo", "INVALID_EMAIL"),
            Some((Reason::SyntaxError, Class::Hard))
        );
        assert_eq!(
            h("constantcontact", "Z"),
            Some((Reason::Blocked, Class::Block))
        );
        assert_eq!(
            h("mailjet", "recipient/quota exceeded"),
            Some((Reason::MailboxFull, Class::Soft))
        );
        assert_eq!(
            h("listmonk", "hard"),
            Some((Reason::UserUnknown, Class::Hard))
        );
        assert_eq!(
            h("campaignmonitor", "Soft"),
            Some((Reason::Unknown, Class::Soft))
        );
        assert_eq!(
            h("mailerlite", "junk"),
            Some((Reason::Complaint, Class::Complaint))
        );
        assert_eq!(h("sendgrid", "no such label"), None);
    }
}
