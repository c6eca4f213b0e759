//! Amazon WorkMail: standard DSNs, recognized by its `X-Amzn-` headers. The shared
//! DSN reader handles them; nothing differs yet.

use super::families::{Family, Place::*};

pub(crate) static AMAZON_WORKMAIL: Family = Family::plain("amazon_workmail", &[(Headers, "x-amzn-")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/amazonworkmail.eml
    #[test]
    fn reads_its_dsn() {
        let run = fixture("amazonworkmail.eml");
        let ev = run.expect("amazon_workmail", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
    }
}
