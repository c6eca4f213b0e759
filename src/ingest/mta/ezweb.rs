//! EZweb (au by KDDI, ezweb.ne.jp). Quirk: the report of the recipient's own
//! server opens with an English sentence stating the account's condition ("The
//! user(s) account is disabled.") above a generic SMTP reply ("550 user unknown").
//! That sentence is the more specific verdict, so it is put in front of each
//! recipient's diagnostic for the phrase rules to read both.

use super::families::{Family, Place::*};
use crate::ingest::mailbox::message::{Finding, Mail};

pub(crate) static EZWEB: Family = Family { name: "ezweb", signatures: &[(From, "ezweb.ne.jp")], parse: None, refine: Some(refine) };

/// The report's headline: its ASCII sentences about "the user(s)" before the
/// first address line.
fn headline(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.contains('@'))
        .filter(|l| l.is_ascii() && l.ends_with('.') && l.to_ascii_lowercase().starts_with("the user"))
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn refine(mail: &Mail<'_>, found: &mut [Finding]) {
    let Some(head) = headline(&mail.text) else { return };
    for f in found.iter_mut() {
        let d = f.diagnostic.take().unwrap_or_default();
        f.diagnostic = Some(if d.is_empty() { head.clone() } else { format!("{head} {d}") });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/ezweb.eml
    #[test]
    fn headline_states_the_account_condition() {
        let run = fixture("ezweb.eml");
        let ev = run.expect("ezweb", "ana@ezweb.ne.jp", Class::Soft, Reason::MailboxDisabled);
        assert!(ev.diagnostic.as_deref().is_some_and(|d| d.starts_with("The user(s) account is disabled.") && d.contains("550 user unknown")));
    }

    #[test]
    fn only_sentences_about_the_user_before_the_addresses() {
        assert_eq!(super::headline("The user(s) account is disabled.\n\n<a@ezweb.ne.jp>: 550 x\nThe user later."), Some("The user(s) account is disabled.".into()));
        assert_eq!(super::headline("Each of the following recipients was rejected.\n<a@ezweb.ne.jp>"), None);
    }
}
