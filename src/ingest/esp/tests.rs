//! The per-provider label tables (IMPORT-FORMATS.md §20 cheat sheet), one assertion per row
//! that decides a kind or a sure reason.

use crate::model::{Kind, Reason};

#[test]
fn sendgrid_classifications() {
    use super::sendgrid::classification_reason as c;
    assert_eq!(c("Invalid Address", Some("5.1.1"), None), Some(Reason::UserUnknown));
    assert_eq!(c("Mailbox Unavailable", Some("5.2.1"), None), Some(Reason::MailboxDisabled));
    assert_eq!(c("Mailbox Unavailable", Some("4.2.2"), None), Some(Reason::MailboxFull));
    assert_eq!(c("Technical Failure", None, Some("550 5.7.26 DMARC")), Some(Reason::AuthFailed));
    assert_eq!(c("Technical Failure", Some("4.4.1"), None), Some(Reason::SystemError));
    assert_eq!(c("Content", None, None), Some(Reason::SpamDetected));
    assert_eq!(c("Reputation", None, None), Some(Reason::Blocked));
    assert_eq!(c("Frequency or Volume Too High", None, None), Some(Reason::RateLimited));
    assert_eq!(c("Unclassified", None, None), None);
}

#[test]
fn ses_types() {
    use super::ses::bounce_kind as b;
    assert_eq!(b("Permanent", "General"), (Kind::Bounce, None));
    assert_eq!(b("Permanent", "NoEmail"), (Kind::Bounce, Some(Reason::UserUnknown)));
    assert_eq!(b("Permanent", "Suppressed"), (Kind::Suppressed, Some(Reason::Suppressed)));
    assert_eq!(b("Permanent", "OnAccountSuppressionList"), (Kind::Suppressed, Some(Reason::Suppressed)));
    assert_eq!(b("Transient", "MailboxFull"), (Kind::Bounce, Some(Reason::MailboxFull)));
    assert_eq!(b("Transient", "MessageTooLarge"), (Kind::Bounce, Some(Reason::MessageTooBig)));
    assert_eq!(b("Transient", "ContentRejected"), (Kind::Bounce, Some(Reason::SpamDetected)));
    assert_eq!(b("Transient", "AttachmentRejected"), (Kind::Bounce, Some(Reason::Policy)));
    assert_eq!(b("Undetermined", "Undetermined"), (Kind::Bounce, None));
}

#[test]
fn postmark_types() {
    use super::postmark::type_kind as t;
    assert_eq!(t(Some("HardBounce"), None), Some((Kind::Bounce, None)));
    assert_eq!(t(None, Some(100000)), Some((Kind::Bounce, Some(Reason::SyntaxError))));
    assert_eq!(t(Some("SpamComplaint"), None), Some((Kind::Complaint, Some(Reason::Complaint))));
    assert_eq!(t(Some("DMARCPolicy"), None), Some((Kind::Bounce, Some(Reason::AuthFailed))));
    assert_eq!(t(Some("Transient"), None), Some((Kind::Deferred, None)));
    assert_eq!(t(Some("ManuallyDeactivated"), None), Some((Kind::Suppressed, Some(Reason::Suppressed))));
    assert_eq!(t(Some("AutoResponder"), None), Some((Kind::AutoReply, Some(Reason::AutoReply))));
    assert_eq!(t(Some("Subscribe"), None), None);
}

#[test]
fn sparkpost_classes() {
    use super::sparkpost::bounce_class as b;
    assert_eq!(b(10), (Kind::Bounce, Some(Reason::UserUnknown)));
    assert_eq!(b(22), (Kind::Bounce, Some(Reason::MailboxFull)));
    assert_eq!(b(25), (Kind::Suppressed, Some(Reason::Suppressed)));
    assert_eq!(b(52), (Kind::Bounce, Some(Reason::SpamDetected)));
    assert_eq!(b(54), (Kind::Bounce, Some(Reason::RelayDenied)));
    assert_eq!(b(70), (Kind::Deferred, None));
    assert_eq!(b(90), (Kind::Unsubscribe, Some(Reason::Unsubscribe)));
    assert_eq!(b(1), (Kind::Bounce, None));
}

#[test]
fn mailjet_brevo_klaviyo_constantcontact() {
    assert_eq!(super::mailjet::error_reason("domain", "invalid domain"), Some(Reason::HostUnknown));
    assert_eq!(super::mailjet::error_reason("spam", "content blocked"), Some(Reason::SpamDetected));
    assert_eq!(super::mailjet::error_reason("domain", "greylisted"), None);
    assert_eq!(super::brevo::event_kind("hardBounces"), Some((Kind::Bounce, None)));
    assert_eq!(super::brevo::event_kind("invalid_email"), Some((Kind::Bounce, Some(Reason::SyntaxError))));
    assert_eq!(super::brevo::event_kind("blocked"), Some((Kind::Suppressed, Some(Reason::Suppressed))));
    assert_eq!(super::brevo::event_kind("loadedByProxy"), None);
    assert_eq!(super::klaviyo::suppression_kind("INVALID_EMAIL"), Some((Kind::Bounce, Some(Reason::SyntaxError))));
    assert_eq!(super::klaviyo::suppression_kind("USER_SUPPRESSED"), Some((Kind::Suppressed, Some(Reason::Suppressed))));
    assert_eq!(super::constantcontact::bounce_code("d"), Some((Kind::Bounce, Some(Reason::Expired))));
    assert_eq!(super::constantcontact::bounce_code("V"), Some((Kind::AutoReply, Some(Reason::AutoReply))));
    assert_eq!(super::constantcontact::bounce_code("Q"), None);
}

#[test]
fn detection_prefers_the_specific_signature() {
    let d = super::detect("x.json", br#"{"data":{"results":[{"subscriber_uuid":"u","type":"soft","meta":{"bounceType":"Permanent","event":"spamreport"}}]}}"#).unwrap();
    assert_eq!(d.format, "listmonk");
    let d = super::detect("x.csv", b"address,code,error,created_at\na@example.com,550,x,\"Fri, 21 Oct 2011 11:02:55 GMT\"\n").unwrap();
    assert_eq!(d.format, "mailgun");
    let d = super::detect("x.csv", b"ana@example.com,BOUNCE\nbob@example.net,COMPLAINT\n").unwrap();
    assert_eq!(d.format, "ses");
    assert!(super::detect("x.csv", b"name,city\nAna,Madrid\n").is_none());
    let d = super::detect("contacts.csv", b"name,email\nAna,ana@example.com\n").unwrap();
    assert_eq!(d.family, crate::ingest::Family::Contacts);
}
