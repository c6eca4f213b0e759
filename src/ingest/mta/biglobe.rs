//! BIGLOBE: the address under `The following addresses had delivery problems`,
//! the cause under `Non-delivered information`.

use super::families::{Family, Place::*};

pub(crate) static BIGLOBE: Family = Family::plain("biglobe", &[(From, "biglobe.ne.jp")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/biglobe.eml
    #[test]
    fn cause_under_its_own_heading() {
        let run = fixture("biglobe.eml");
        run.expect("biglobe", "ana@biglobe.ne.jp", Class::Soft, Reason::MailboxFull);
    }
}
