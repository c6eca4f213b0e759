//! Proofpoint gateways (*.pphosted.com): DSNs through the shared reader.

use super::families::{Family, Place::*};

pub(crate) static PROOFPOINT: Family = Family::plain("proofpoint", &[(Headers, "pphosted")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/proofpoint.eml
    #[test]
    fn spam_refusal() {
        let run = fixture("proofpoint.eml");
        run.expect("proofpoint", "ana@example.org", Class::Block, Reason::SpamDetected);
    }
}
