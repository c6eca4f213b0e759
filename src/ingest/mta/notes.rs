//! HCL (Lotus) Domino and Lotus Notes: `was not delivered to: … because: …` and
//! `Failure Reasons` blocks; the cause is a directory statement (`not listed in
//! Domino Directory`, `not listed in public Name & Address Book`), often in
//! Japanese (ISO-2022-JP, decoded by the message reader).

use super::families::{Family, Place::*};

pub(crate) static DOMINO: Family = Family::plain("domino", &[(Headers, "lotus domino"), (Headers, "subject: delivery failure: user")]);

pub(crate) static NOTES: Family = Family::plain("notes", &[(Headers, "lotus notes"), (Text, "lotus notes")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/domino.eml
    #[test]
    fn domino_directory() {
        let run = fixture("domino.eml");
        run.expect("domino", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }

    /// tests/fixtures/mta/notes.eml
    #[test]
    fn notes_failure_reasons_before_address() {
        let run = fixture("notes.eml");
        run.expect("notes", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
