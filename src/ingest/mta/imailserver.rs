//! Ipswitch IMail Server: `Body of message generated response:` then the reason
//! with the address (`Unknown user: addr`).

use super::families::{Family, Place::*};

pub(crate) static IMAILSERVER: Family = Family::plain("imailserver", &[(Headers, "imail")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/imailserver.eml
    #[test]
    fn unknown_user_line() {
        let run = fixture("imailserver.eml");
        // The bare words without a code, status or stage are not confirmed: read as
        // filtered (docs/classification.md, `+unconfirmed`).
        let ev = run.expect("imailserver", "ana@example.org", Class::Block, Reason::Policy);
        assert!(ev.verdict.rule.ends_with("+unconfirmed"), "{}", ev.verdict.rule);
    }
}
