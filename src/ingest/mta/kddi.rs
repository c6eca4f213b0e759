//! KDDI (au) older reports: `Could not be delivered to: <addr>` then the cause in
//! plain words (`As their mailbox is full.`).

use super::families::{Family, Place::*};

pub(crate) static KDDI: Family = Family::plain("kddi", &[(From, "au.com"), (Headers, "auone-net.jp")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/kddi.eml
    #[test]
    fn cause_in_words() {
        let run = fixture("kddi.eml");
        run.expect("kddi", "ana@au.com", Class::Soft, Reason::MailboxFull);
    }
}
