//! Barracuda gateways (`X-Barracuda-*` headers): refusals citing the Barracuda
//! Reputation block list.

use super::families::{Family, Place::*};

pub(crate) static BARRACUDA: Family = Family::plain("barracuda", &[(Headers, "barracuda")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/barracuda.eml
    #[test]
    fn reputation_block() {
        let run = fixture("barracuda.eml");
        run.expect("barracuda", "ana@example.org", Class::Block, Reason::Blocked);
    }
}
