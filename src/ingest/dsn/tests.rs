use super::*;

#[test]
fn fields_unfold_and_keep_group_breaks() {
    let f = fields(
        "Final-Recipient: rfc822; a@b.c\nDiagnostic-Code: smtp; 550 one\n  two\n\nAction: failed\n",
    );
    assert_eq!(
        f[1],
        (
            "diagnostic-code".to_string(),
            "smtp; 550 one two".to_string()
        )
    );
    assert_eq!(f[2], (String::new(), String::new()));
}

#[test]
fn delivery_status_reads_each_recipient() {
    let t = "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n\
             \nFinal-Recipient: rfc822; @relay:x@host\nOriginal-Recipient: rfc822; b@example.org\nAction: delayed\nStatus: 4.4.7\n";
    let found = delivery_status(t);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].recipient, "a@example.com");
    assert_eq!(found[0].status.as_deref(), Some("5.1.1"));
    assert_eq!(
        found[1].recipient, "b@example.org",
        "source-routed Final-Recipient falls back to Original-Recipient"
    );
    assert_eq!(found[1].kind, Kind::Deferred);
}

#[test]
fn type_prefixes_are_stripped() {
    assert_eq!(strip_type("rfc822; a@b.c"), "a@b.c");
    assert_eq!(strip_type("smtp;550 x"), "550 x");
    assert_eq!(
        strip_type("550 5.1.1 no; such user"),
        "550 5.1.1 no; such user"
    );
    assert_eq!(
        address_in("RFC822; <A@Example.COM>").as_deref(),
        Some("A@example.com")
    );
    assert_eq!(address_in("@mx.example.org"), None);
}

#[test]
fn inline_report_starts_at_the_first_dsn_field() {
    let t = "Technical report:\nReporting-MTA: dsn; x\nAction: failed\nFinal-Recipient: rfc822; a@b.c\n";
    assert!(inline_report(t).unwrap().starts_with("Reporting-MTA"));
    assert!(inline_report("hello\nworld\n").is_none());
}

#[test]
fn exit_status_of_a_local_program_is_a_mailer_error() {
    let t = "Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: X-Unix; 255\n";
    let found = delivery_status(t);
    assert_eq!(found[0].reason_hint, Some(Reason::MailerError));
    let t = "Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: x-unix; mailbox full\n";
    assert_eq!(delivery_status(t)[0].reason_hint, None, "words are left to the classifier");
    assert!(!is_exit_status("smtp; 550"));
    assert!(!is_exit_status("X-Unix; 77"), "sysexits EX_NOPERM is told in words");
}

#[test]
fn fields_before_final_recipient_belong_to_its_group() {
    let t = "Reporting-MTA: dns; 10.0.0.1\n\nDiagnostic-Code: smtp; 550 5.1.1 Refused due to recipient preferences\nStatus: 5.1.1\n\
             Final-Recipient: rfc822; a@facebook.example\nAction: failed\n\n\
             Status: 5.2.2\nFinal-Recipient: rfc822; b@example.org\nAction: failed\n";
    let found = delivery_status(t);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].status.as_deref(), Some("5.1.1"));
    assert!(found[0].diagnostic.as_deref().unwrap_or("").contains("recipient preferences"));
    assert_eq!(found[1].status.as_deref(), Some("5.2.2"));
    assert!(found[1].diagnostic.is_none());
}

#[test]
fn powermta_category_is_a_hint_when_clear() {
    let t = "Final-Recipient: rfc822;a@example.jp\nAction: failed\nStatus: 5.2.1\nDiagnostic-Code: smtp;550 5.2.1 User Unknown\nX-PowerMTA-BounceCategory: bad-mailbox\n";
    let f = &delivery_status(t)[0];
    assert_eq!((f.reason_hint, f.provider_label.as_deref()), (Some(Reason::UserUnknown), Some("bad-mailbox")));
    let t = "Final-Recipient: rfc822;a@example.jp\nAction: failed\nX-PowerMTA-BounceCategory: policy-related\n";
    assert_eq!(delivery_status(t)[0].reason_hint, None);
}
