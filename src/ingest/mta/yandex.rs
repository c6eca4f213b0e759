//! Yandex: Postfix-generated reports from *.mail.yandex.net, recognized by the
//! sender before the Postfix text signature.

use super::families::{Family, Place::*};

pub(crate) static YANDEX: Family = Family::plain("yandex", &[(From, "yandex")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/yandex.eml
    #[test]
    fn full_mailbox_after_data() {
        let run = fixture("yandex.eml");
        let ev = run.expect("yandex", "ana@example.org", Class::Soft, Reason::MailboxFull);
        assert_eq!(ev.smtp_command.as_deref(), Some("DATA"));
    }
}
