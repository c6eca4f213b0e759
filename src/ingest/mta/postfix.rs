//! Postfix: `This is the mail system at host …` with a DSN; the remote words follow
//! `host X said:` and the stage is `(in reply to RCPT TO command)`.

use super::families::{Family, Place::*};

pub(crate) static POSTFIX: Family = Family::plain("postfix", &[(Text, "this is the mail system at"), (Headers, "(postfix)")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/postfix.eml
    #[test]
    fn user_unknown_in_reply_to_rcpt() {
        let run = fixture("postfix.eml");
        let ev = run.expect("postfix", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
        assert_eq!(ev.campaign.as_ref().map(|c| c.key.as_str()), Some("spring-2026"));
    }

    /// tests/fixtures/mta/postfix-spam.eml
    #[test]
    fn spam_after_data_is_a_block() {
        let run = fixture("postfix-spam.eml");
        let ev = run.expect("postfix", "bo@example.org", Class::Block, Reason::SpamDetected);
        assert_eq!(ev.smtp_command.as_deref(), Some("DATA"));
    }
}
