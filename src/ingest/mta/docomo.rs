//! NTT docomo: reports from docomo.ne.jp. Quirk (for the classifier): docomo's
//! reception filter refuses after DATA with `550 Unknown user <addr>`, read as a
//! filter when the stage shows DATA.

use super::families::{Family, Place::*};

pub(crate) static DOCOMO: Family = Family::plain("docomo", &[(From, "docomo.ne.jp")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/docomo.eml
    #[test]
    fn refusal_names_the_recipient() {
        let run = fixture("docomo.eml");
        run.expect("docomo", "ana@docomo.ne.jp", Class::Hard, Reason::UserUnknown);
    }
}
