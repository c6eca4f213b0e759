//! Cisco IronPort / Secure Email: `The message was undeliverable due to the
//! following reason(s)` and `<addr>: 5xx #5.x.x …` lines.

use super::families::{Family, Place::*};

pub(crate) static IRONPORT: Family = Family::plain("ironport", &[(Headers, "ironport")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/ironport.eml
    #[test]
    fn hash_status_line() {
        let run = fixture("ironport.eml");
        let ev = run.expect("ironport", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.0"));
    }
}
