//! iCloud: Oracle Messaging Server DSNs sent from icloud.com.

use super::families::{Family, Place::*};

pub(crate) static ICLOUD: Family = Family::plain("icloud", &[(From, "icloud.com")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/icloud.eml
    #[test]
    fn dsn_with_status() {
        let run = fixture("icloud.eml");
        run.expect("icloud", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
