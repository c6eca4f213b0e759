//! Mail.Ru: Exim-generated reports with a Russian preamble. The shared text reader
//! and Exim's stage markers (`after RCPT TO:`) handle them.

use super::families::{Family, Place::*};

pub(crate) static MAILRU: Family = Family::plain("mailru", &[(From, "mail.ru")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/mailru.eml
    #[test]
    fn russian_preamble_exim_body() {
        let run = fixture("mailru.eml");
        let ev = run.expect("mailru", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }
}
