//! Sun Java System / Oracle Communications Messaging Server: `This report relates
//! to a message you sent` with `Recipient address:` / `Diagnostic code:` lines and
//! a DSN.

use super::families::{Family, Place::*};

pub(crate) static MESSAGINGSERVER: Family = Family::plain("messagingserver", &[(Headers, "sun java system messaging server"), (Headers, "oracle communications messaging")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/messagingserver.eml
    #[test]
    fn recipient_address_lines() {
        let run = fixture("messagingserver.eml");
        run.expect("messagingserver", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
