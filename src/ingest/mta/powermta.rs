//! PowerMTA: DSNs with an `X-PowerMTA-BounceCategory` field, read by the DSN
//! reader as a reason hint (`bad-mailbox` → user_unknown).

use super::families::{Family, Place::*};

pub(crate) static POWERMTA: Family = Family::plain("powermta", &[(Headers, "powermta")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/powermta.eml
    #[test]
    fn bounce_category_hint() {
        let run = fixture("powermta.eml");
        run.expect("powermta", "ana@example.org", Class::Hard, Reason::UserUnknown);
    }
}
