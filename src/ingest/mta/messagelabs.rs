//! MessageLabs (Symantec / Broadcom Email Security.cloud): text report with a
//! `Reason:` line carrying the remote reply, plus a DSN.

use super::families::{Family, Place::*};

pub(crate) static MESSAGELABS: Family = Family::plain("messagelabs", &[(Headers, "messagelabs")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/messagelabs.eml
    #[test]
    fn reason_line() {
        let run = fixture("messagelabs.eml");
        let ev = run.expect("messagelabs", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.reply_code, Some(550));
    }
}
