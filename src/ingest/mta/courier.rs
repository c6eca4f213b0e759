//! Courier: `UNDELIVERABLE MAIL` reports with the SMTP transcript under each
//! address (`>>> RCPT TO:` / `<<< 550 …`), whose command is the stage.

use super::families::{Family, Place::*};

pub(crate) static COURIER: Family = Family::plain("courier", &[(Text, "courier mail server")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/courier.eml
    #[test]
    fn transcript_under_address() {
        let run = fixture("courier.eml");
        let ev = run.expect("courier", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }
}
