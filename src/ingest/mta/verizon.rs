//! Verizon: `Error message below:` with the reply first and the recipient later
//! in the message details (`RCPT TO: addr`); the shared reader joins the coded
//! lines to the only recipient.

use super::families::{Family, Place::*};

pub(crate) static VERIZON: Family = Family::plain("verizon", &[(From, "verizon")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/verizon.eml
    #[test]
    fn error_before_recipient() {
        let run = fixture("verizon.eml");
        let ev = run.expect("verizon", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.reply_code, Some(550));
    }
}
