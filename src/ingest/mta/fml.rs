//! fml mailing-list manager: it refuses posts (not a member, loop alerts) with
//! a short text naming the list address in angle brackets on its first lines.

use super::families::{Family, Place::*};
use crate::ingest::mailbox::message::{Finding, Mail};

pub(crate) static FML: Family = Family { name: "fml", signatures: &[(Headers, "x-mlserver: fml")], parse: Some(parse), refine: None };

pub fn parse(mail: &Mail<'_>) -> Option<Vec<Finding>> {
    let lines: Vec<&str> = mail
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect();
    let first = lines.first()?;
    let open = first.find('<')?;
    let close = first.get(open..)?.find('>')? + open;
    let addr = first.get(open + 1..close)?;
    if !crate::ingest::dsn::is_address(addr) {
        return None;
    }
    let mut f = super::finding(addr, &lines.join(" "));
    f.provider_label = Some(mail.subject.trim().to_string());
    Some(vec![f])
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;

    /// tests/fixtures/mta/fml.eml
    #[test]
    fn refused_post_names_the_address_on_the_first_line() {
        let run = fixture("fml.eml");
        assert_eq!(run.family.as_deref(), Some("fml"));
        let ev = run.event("ana@example.org");
        assert_eq!(ev.provider_label.as_deref(), Some("Rejected: not a member"));
    }
}
