//! McAfee Email Gateway: `--- The following addresses had delivery problems ---`
//! then `<addr> (reply)`.

use super::families::{Family, Place::*};

pub(crate) static MCAFEE: Family = Family::plain("mcafee", &[(Headers, "mcafee")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/mcafee.eml
    #[test]
    fn reply_in_parentheses() {
        let run = fixture("mcafee.eml");
        run.expect("mcafee", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
