//! Yahoo and AOL (same platform): plain-text "Sorry, we were unable to deliver"
//! reports. Quirk: the SMTP stage is a bracketed tag after the reply (`[RCPT_TO]`,
//! `[MAIL_FROM]`, `SMTP command DATA`), read by `stage`; Yahoo also refuses unknown
//! and disabled mailboxes after DATA with `554 delivery error: dd …`.

use super::families::{Family, Place::*};

pub(crate) static YAHOO: Family = Family::plain("yahoo", &[(From, "yahoo")]);

pub(crate) static AOL: Family = Family::plain("aol", &[(From, "aol.com")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/yahoo.eml
    #[test]
    fn mailbox_not_found_at_rcpt() {
        let run = fixture("yahoo.eml");
        let ev = run.expect("yahoo", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }

    /// tests/fixtures/mta/yahoo-disabled.eml
    #[test]
    fn disabled_mailbox_after_data() {
        let run = fixture("yahoo-disabled.eml");
        run.expect("yahoo", "bo@yahoo.example", Class::Soft, Reason::MailboxDisabled);
    }

    /// tests/fixtures/mta/aol.eml
    #[test]
    fn aol_full_mailbox() {
        let run = fixture("aol.eml");
        run.expect("aol", "chi@aol.example", Class::Soft, Reason::MailboxFull);
    }
}
