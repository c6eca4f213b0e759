//! Mimecast gateways: DSNs relayed through *.mimecast.com; refusals name
//! Mimecast policies (anti-spoofing, content).

use super::families::{Family, Place::*};

pub(crate) static MIMECAST: Family = Family::plain("mimecast", &[(Headers, "mimecast")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/mimecast.eml
    #[test]
    fn anti_spoofing_policy() {
        let run = fixture("mimecast.eml");
        run.expect("mimecast", "ana@example.org", Class::Block, Reason::Policy);
    }
}
