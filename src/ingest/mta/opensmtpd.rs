//! OpenSMTPD: `Hi! This is the MAILER-DAEMON` reports with `addr: reply` lines
//! and a DSN for delays.

use super::families::{Family, Place::*};

pub(crate) static OPENSMTPD: Family = Family::plain("opensmtpd", &[(Text, "opensmtpd"), (Headers, "(opensmtpd)")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/opensmtpd.eml
    #[test]
    fn address_colon_reply() {
        let run = fixture("opensmtpd.eml");
        let ev = run.expect("opensmtpd", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
    }
}
