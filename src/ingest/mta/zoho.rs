//! Zoho Mail: the reason and `ERROR_CODE :NNN` fields on the address line.

use super::families::{Family, Place::*};

pub(crate) static ZOHO: Family = Family::plain("zoho", &[(Headers, "zoho")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/zoho.eml
    #[test]
    fn error_code_fields() {
        let run = fixture("zoho.eml");
        let ev = run.expect("zoho", "ana@example.org", Class::Soft, Reason::MailboxFull);
        assert_eq!(ev.reply_code, Some(552));
    }
}
