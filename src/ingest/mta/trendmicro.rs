//! Trend Micro InterScan Messaging Security (IMSS) gateways. Quirk: the gateway's
//! own report only says "Unable to deliver message to <addr>"; when it returns a
//! downstream server's bounce as the attached message, that bounce's transcript
//! holds the remote reply, which is taken for the recipients whose diagnostic has
//! no code.

use super::families::{Family, Place::*};
use super::{scan, stage};
use crate::ingest::mailbox::message::{Finding, Mail};
use mail_parser::PartType;

pub(crate) static TRENDMICRO: Family = Family {
    name: "trendmicro",
    signatures: &[(Text, "trend micro"), (Text, "interscan messaging security")],
    parse: None,
    refine: Some(refine),
};

/// The text of the message the report returns, when it is attached as a message.
fn attached_text(mail: &Mail<'_>) -> Option<String> {
    mail.full_msg().parts.iter().find_map(|p| match &p.body {
        PartType::Message(m) => m.body_text(0).map(|t| t.into_owned()),
        _ => None,
    })
}

/// The first coded reply line about `rcpt` in `text` (transcript `<<<` lines first).
fn reply_about(text: &str, rcpt: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().filter(|l| l.to_ascii_lowercase().contains(rcpt) && scan::reply_code(l).is_some()).collect();
    let pick = lines.iter().find(|l| l.trim_start().starts_with("<<<")).or(lines.first())?;
    Some(pick.trim().trim_start_matches("<<<").trim().to_string())
}

fn refine(mail: &Mail<'_>, found: &mut [Finding]) {
    let uncoded = |f: &Finding| f.diagnostic.as_deref().is_none_or(|d| scan::status(d).is_none() && scan::reply_code(d).is_none());
    if !found.iter().any(uncoded) {
        return;
    }
    let Some(inner) = attached_text(mail) else { return };
    for f in found.iter_mut().filter(|f| uncoded(f)) {
        let rcpt = f.recipient.to_ascii_lowercase();
        let Some(reply) = reply_about(&inner, &rcpt) else { continue };
        f.status = f.status.clone().filter(|s| !s.ends_with(".0.0")).or_else(|| scan::best_status(&reply));
        f.reply_code = scan::reply_code(&reply);
        f.smtp_command = stage::transcript_command(&inner, &rcpt).map(str::to_string);
        let own = f.diagnostic.take().unwrap_or_default();
        f.diagnostic = Some(format!("{reply} {own}").trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/trendmicro.eml
    #[test]
    fn cause_from_the_attached_transcript() {
        let run = fixture("trendmicro.eml");
        let ev = run.expect("trendmicro", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!((ev.status.as_deref(), ev.reply_code, ev.smtp_command.as_deref()), (Some("5.1.1"), Some(550), Some("RCPT")));
    }

    #[test]
    fn reply_lines_prefer_the_transcript() {
        let t = "(reason: 550 x) a@b.example\n<<< 550 5.1.1 <a@b.example>... Invalid recipient\n";
        assert_eq!(super::reply_about(t, "a@b.example").as_deref(), Some("550 5.1.1 <a@b.example>... Invalid recipient"));
        assert_eq!(super::reply_about(t, "c@b.example"), None);
    }
}
