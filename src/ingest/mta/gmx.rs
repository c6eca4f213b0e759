//! GMX and WEB.DE (United Internet): Exim-like reports whose stage reads `for RCPT TO
//! command` or `for TEXT command` (the message body, i.e. after DATA) and whose
//! remote words follow `reason:`.

use super::families::{Family, Place::*};

pub(crate) static GMX: Family = Family::plain("gmx", &[(From, "gmx."), (From, "web.de")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/gmx.eml
    #[test]
    fn gmx_user_unknown_for_rcpt() {
        let run = fixture("gmx.eml");
        let ev = run.expect("gmx", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }

    /// tests/fixtures/mta/webde.eml
    #[test]
    fn webde_full_mailbox_for_text() {
        let run = fixture("webde.eml");
        let ev = run.expect("gmx", "bo@example.org", Class::Soft, Reason::MailboxFull);
        assert_eq!(ev.smtp_command.as_deref(), Some("DATA"));
    }
}
