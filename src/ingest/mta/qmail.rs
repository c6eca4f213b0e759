//! qmail (qmail-send, and netqmail/notqmail): `<addr>:` blocks; the stage is a
//! sentence (`does not like recipient`, `failed on DATA command`, `but sender was
//! rejected`) and the status a `(#5.x.x)` tag.

use super::families::{Family, Place::*};

pub(crate) static QMAIL: Family = Family::plain("qmail", &[(Text, "qmail-send"), (Headers, "(qmail ")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/qmail.eml
    #[test]
    fn does_not_like_recipient() {
        let run = fixture("qmail.eml");
        let ev = run.expect("qmail", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }
}
