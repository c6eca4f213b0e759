//! Exim: `This message was created automatically by mail delivery software`,
//! `X-Failed-Recipients`, and `SMTP error from remote mail server after <stage>:`.
//! Quirk: "Mail failure - malformed recipient address" reports quote the header
//! text that failed to parse (`a@b.example <c@d.example>: malformed address:
//! <c@d.example> may not follow a@b.example`): the recipient is the address that
//! "may not follow", not the first one on the line, and the fault is our message's
//! header (content_error), not the address.

use super::families::{Family, Place::*};
use crate::ingest::mailbox::message::{Finding, Mail};

pub(crate) static EXIM: Family = Family {
    name: "exim",
    signatures: &[(Text, "created automatically by mail delivery software"), (Headers, "x-failed-recipients"), (Headers, "(exim ")],
    parse: None,
    refine: Some(refine),
};

/// The address Exim says "may not follow" another in a malformed recipient list.
fn misplaced(diagnostic: &str) -> Option<String> {
    let low = diagnostic.to_ascii_lowercase();
    let at = low.find("may not follow")?;
    let before = diagnostic.get(..at)?;
    let open = before.rfind('<')?;
    let close = before.get(open..)?.find('>')? + open;
    let addr = before.get(open + 1..close)?;
    crate::ingest::dsn::is_address(addr).then(|| crate::model::normalize_email(addr))
}

fn refine(_mail: &Mail<'_>, found: &mut [Finding]) {
    for f in found.iter_mut() {
        if let Some(a) = f.diagnostic.as_deref().and_then(misplaced) {
            // The address may be fine: our message's recipient header was written
            // wrongly (two addresses without a comma), a content error on our side.
            f.recipient = a;
            f.reason_hint = Some(crate::model::Reason::ContentError);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/exim.eml
    #[test]
    fn full_mailbox_after_rcpt() {
        let run = fixture("exim.eml");
        let ev = run.expect("exim", "ana@example.org", Class::Soft, Reason::MailboxFull);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }

    /// tests/fixtures/mta/exim-data.eml
    #[test]
    fn empty_recipient_after_data_is_a_filter() {
        let run = fixture("exim-data.eml");
        let ev = run.expect("exim", "bo@example.jp", Class::Block, Reason::Policy);
        assert_eq!(ev.smtp_command.as_deref(), Some("DATA"));
    }

    /// tests/fixtures/mta/exim-malformed.eml
    #[test]
    fn malformed_recipient_list_names_the_misplaced_address() {
        let run = fixture("exim-malformed.eml");
        assert_eq!(run.family.as_deref(), Some("exim"));
        let ev = run.event("bo@example.net");
        assert_eq!((ev.verdict.class, ev.verdict.reason), (crate::model::Class::Block, crate::model::Reason::ContentError));
        assert!(ev.diagnostic.as_deref().is_some_and(|d| d.contains("malformed address")));
        assert!(run.events.iter().all(|e| e.recipient != "ana@example.org"));
    }

    #[test]
    fn misplaced_address() {
        assert_eq!(super::misplaced("x <b@c.example>: malformed address: <b@c.example> may not follow a@d.example").as_deref(), Some("b@c.example"));
        assert_eq!(super::misplaced("550 user unknown"), None);
    }
}
