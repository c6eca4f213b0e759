//! 1&1 (IONOS): the GMX software family with its own sender; `for TEXT command`
//! marks a refusal of the message body.

use super::families::{Family, Place::*};

pub(crate) static EINSUNDEINS: Family = Family::plain("einsundeins", &[(From, "1und1")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/einsundeins.eml
    #[test]
    fn spam_refusal_for_text() {
        let run = fixture("einsundeins.eml");
        let ev = run.expect("einsundeins", "ana@example.org", Class::Block, Reason::SpamDetected);
        assert_eq!(ev.smtp_command.as_deref(), Some("DATA"));
    }
}
