//! fml mailing-list manager: it refuses posts (not a member, loop alerts) with
//! a short text naming the list address in angle brackets on its first lines.

use crate::ingest::mailbox::message::{Finding, Mail};

pub fn parse(mail: &Mail<'_>) -> Option<Vec<Finding>> {
    let lines: Vec<&str> = mail.text.lines().filter(|l| !l.trim().is_empty()).take(3).collect();
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
