//! MX Logic (McAfee SaaS): Exim-generated reports from *.mxlogic.net.

use super::families::{Family, Place::*};

pub(crate) static MXLOGIC: Family = Family::plain("mxlogic", &[(Headers, "mxlogic")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/mxlogic.eml
    #[test]
    fn exim_body() {
        let run = fixture("mxlogic.eml");
        let ev = run.expect("mxlogic", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }
}
