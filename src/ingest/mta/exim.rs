//! Exim: `This message was created automatically by mail delivery software`,
//! `X-Failed-Recipients`, and `SMTP error from remote mail server after <stage>:`.

use super::families::{Family, Place::*};

pub(crate) static EXIM: Family = Family::plain("exim", &[(Text, "created automatically by mail delivery software"), (Headers, "x-failed-recipients"), (Headers, "(exim ")]);

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
}
