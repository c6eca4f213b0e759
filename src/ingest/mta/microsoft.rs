//! Microsoft: Outlook.com, Office 365 (Exchange Online) and on-premises Exchange
//! non-delivery reports. Quirks: the remote reply is quoted as `Remote Server returned
//! '550 5.1.10 …'`; older Exchange writes the status as a `<host #5.1.1>` tag under
//! the recipient line; Exchange Online answers `5.4.1 Recipient address rejected:
//! Access denied` for recipients not in its directory (a classifier adjustment).

use super::families::{Family, Place::*};

pub(crate) static OUTLOOK: Family = Family::plain("outlook", &[(From, "@hotmail.com"), (From, "@outlook.com"), (Headers, ".hotmail.")]);

pub(crate) static OFFICE365: Family = Family::plain("office365", &[(Headers, "protection.outlook.com"), (Headers, "x-ms-exchange-crosstenant")]);

pub(crate) static EXCHANGE: Family = Family::plain("exchange", &[(Headers, "microsoft exchange"), (Headers, "x-ms-"), (Headers, "x-mimeole")]);

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/outlook.eml
    #[test]
    fn outlook_recipient_not_found() {
        let run = fixture("outlook.eml");
        let ev = run.expect("outlook", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.10"));
    }

    /// tests/fixtures/mta/office365.eml
    #[test]
    fn office365_banned_ip_is_a_block() {
        let run = fixture("office365.eml");
        run.expect("office365", "ana@example.org", Class::Block, Reason::Blocked);
    }

    /// tests/fixtures/mta/exchange.eml
    #[test]
    fn exchange_status_tag() {
        let run = fixture("exchange.eml");
        let ev = run.expect("exchange", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.status.as_deref(), Some("5.1.1"));
    }
}
