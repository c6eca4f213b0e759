//! Apache James: `Failed recipient(s):` then `Error message:` with the reply.

use super::families::{Family, Place::*};

pub(crate) static APACHEJAMES: Family = Family::plain("apachejames", &[(Headers, "james")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/apachejames.eml
    #[test]
    fn failed_recipients_and_error_message() {
        let run = fixture("apachejames.eml");
        run.expect("apachejames", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
