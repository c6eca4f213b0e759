//! DragonFly Mail Agent (dma): `This is the DragonFly Mail Agent … There was an
//! error delivering your mail to <addr>.` Quirk: dma delivers its bounce with the
//! failed recipient in the bounce's own `X-Original-To`, so that header must not
//! exclude the address from the recipients (see `text::excluded`).

use super::families::{Family, Place::*};
use crate::ingest::mailbox::message::Mail;

pub(crate) static DRAGONFLY: Family = Family::plain("dragonfly", &[(Text, "dragonfly mail agent")]);

/// True when the bounce's own X-Original-To names the failed recipient.
pub fn keeps_original_to(mail: &Mail<'_>) -> bool {
    mail.text.get(..mail.text.len().min(512)).is_some_and(|t| t.contains("DragonFly Mail Agent"))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/dragonfly.eml
    #[test]
    fn recipient_also_in_x_original_to() {
        let run = fixture("dragonfly.eml");
        let ev = run.expect("dragonfly", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
    }
}
