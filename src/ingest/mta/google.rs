//! Google: Gmail / Google Workspace bounces ("Address not found", from
//! mailer-daemon@googlemail.com, with a DSN part) and Google Groups refusals.
//! Quirk: Gmail's multi-line replies repeat `550-5.1.1` on every line; the shared
//! scanner joins them (`scan::join_reply_lines`) so the phrases read whole.

use super::families::{Family, Place::*};

pub(crate) static GOOGLEGROUPS: Family = Family::plain("googlegroups", &[(Headers, "googlegroups.com")]);

pub(crate) static GMAIL: Family = Family::plain("gmail", &[(From, "@googlemail.com"), (From, "@google.com")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/gmail.eml
    #[test]
    fn gmail_address_not_found() {
        let run = fixture("gmail.eml");
        let ev = run.expect("gmail", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
        assert!(ev.diagnostic.as_deref().is_some_and(|d| d.contains("does not exist")), "{:?}", ev.diagnostic);
    }

    /// tests/fixtures/mta/googlegroups.eml
    #[test]
    fn groups_refusal_names_our_sender() {
        let run = fixture("googlegroups.eml");
        run.expect("googlegroups", "staff@googlegroups.com", Class::Block, Reason::SenderRejected);
    }
}
