//! Sendmail: `----- The following addresses had permanent fatal errors -----`,
//! `(reason: …)` lines and the session transcript (`>>> RCPT To:` / `<<< 550 …`),
//! whose command is the SMTP stage (`stage::transcript_command`, which also reads
//! PIPELINING batches). Quirk: old Sendmail reports a recipient as only `Remote
//! protocol error` when the server refused an earlier command of the session (its
//! MAIL FROM); the refusal is in the transcript section ("While talking to …")
//! above that line, and is taken as the recipient's reply.

use super::families::{Family, Place::*};
use super::scan;
use crate::ingest::mailbox::message::{Finding, Mail};

pub(crate) static SENDMAIL: Family = Family {
    name: "sendmail",
    signatures: &[(Text, "transcript of session follows"), (Headers, "sendmail")],
    parse: None,
    refine: Some(refine),
};

/// In the transcript section that mentions `rcpt` in a "Remote protocol error"
/// line, the first error reply and the command it answered.
fn section_error(text: &str, rcpt: &str) -> Option<(String, &'static str)> {
    let mut error: Option<(String, &'static str)> = None;
    let mut command: Option<&'static str> = None;
    for line in text.lines() {
        let t = line.trim();
        let low = t.to_ascii_lowercase();
        if low.trim_start_matches('.').trim_start().starts_with("while talking to") {
            (error, command) = (None, None);
        } else if let Some(cmd) = t.strip_prefix(">>>") {
            let word = cmd.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
            command = match word.as_str() {
                "MAIL" => Some("MAIL"),
                "RCPT" => Some("RCPT"),
                "DATA" => Some("DATA"),
                "HELO" | "EHLO" => Some("HELO"),
                _ => None,
            };
        } else if let Some(reply) = t.strip_prefix("<<<") {
            let reply = reply.trim();
            if error.is_none() && matches!(reply.as_bytes().first(), Some(b'4' | b'5')) {
                error = command.map(|c| (reply.to_string(), c));
            }
        } else if low.contains(rcpt) && low.contains("remote protocol error") {
            return error;
        }
    }
    None
}

fn refine(mail: &Mail<'_>, found: &mut [Finding]) {
    for f in found.iter_mut() {
        let protocol = f.diagnostic.as_deref().is_some_and(|d| d.to_ascii_lowercase().contains("remote protocol error"));
        if !protocol {
            continue;
        }
        let Some((reply, cmd)) = section_error(&mail.text, &f.recipient.to_ascii_lowercase()) else { continue };
        f.reply_code = scan::reply_code(&reply);
        f.status = scan::best_status(&reply).or(f.status.take());
        f.smtp_command = Some(cmd.to_string());
        f.diagnostic = Some(reply);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::fixture;
    use crate::model::{Class, Reason};

    /// tests/fixtures/mta/sendmail.eml
    #[test]
    fn transcript_gives_the_rcpt_stage() {
        let run = fixture("sendmail.eml");
        let ev = run.expect("sendmail", "ana@example.org", Class::Hard, Reason::UserUnknown);
        assert_eq!(ev.smtp_command.as_deref(), Some("RCPT"));
    }

    /// tests/fixtures/mta/sendmail-protocol.eml
    #[test]
    fn remote_protocol_error_takes_the_mail_from_refusal() {
        let run = fixture("sendmail-protocol.eml");
        let ev = run.expect("sendmail", "ana@example.org", Class::Block, Reason::SenderRejected);
        assert_eq!((ev.reply_code, ev.smtp_command.as_deref()), (Some(501), Some("MAIL")));
    }

    #[test]
    fn sections_reset_per_host() {
        let t = "While talking to a.example:\n>>> MAIL From:<s@x.example>\n<<< 501 no\n554 <r@a.example>... Remote protocol error\nWhile talking to b.example:\n>>> DATA\n554 <q@b.example>... Remote protocol error\n";
        assert_eq!(super::section_error(t, "r@a.example"), Some(("501 no".to_string(), "MAIL")));
        assert_eq!(super::section_error(t, "q@b.example"), None);
    }
}
