//! RFC 3464/6522 delivery status notifications, RFC 5965 ARF feedback reports
//! and RFC 3834 auto-replies: the standard formats, read field by field.

use crate::ingest::mailbox::message::{parse_date, Finding, Mail};
use crate::ingest::mta::scan;
use crate::model::{normalize_email, Kind, Reason};

/// One `Name: value` field with folded lines joined.
type Field = (String, String);

/// Splits header-style text into fields, unfolding continuation lines.
/// Blank lines are kept as `("", "")` separators so groups can be told apart.
pub fn fields(text: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.push((String::new(), String::new()));
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((n, v)) = out.last_mut() {
                if !n.is_empty() {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
            }
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && !name.contains(' ') {
                out.push((name.to_ascii_lowercase(), value.trim().to_string()));
            }
        }
    }
    out
}

/// `rfc822; a@b` → `a@b`; `dns; mx.example.com` → `mx.example.com`.
pub fn strip_type(v: &str) -> &str {
    match v.split_once(';') {
        Some((t, rest)) if !t.trim().is_empty() && t.len() < 20 && !t.contains(' ') => rest.trim(),
        _ => v.trim(),
    }
}

/// Per-message fields that apply to every recipient group.
#[derive(Default)]
struct PerMessage {
    reporting_mta: Option<String>,
    arrival: Option<chrono::DateTime<chrono::Utc>>,
}

/// Reads a `message/delivery-status` body into one finding per recipient.
pub fn delivery_status(text: &str) -> Vec<Finding> {
    let mut msg = PerMessage::default();
    let mut out: Vec<Finding> = Vec::new();
    let mut cur: Option<Finding> = None;
    let mut cur_has_final = false;
    // Recipient fields written before the group's Final-Recipient (Facebook puts
    // Diagnostic-Code and Status first): kept until the group names its recipient.
    let mut after_break = false;
    let mut pending: Vec<(String, String)> = Vec::new();
    for (name, value) in fields(text) {
        if name.is_empty() {
            after_break = true;
            pending.clear();
            continue;
        }
        match name.as_str() {
            "reporting-mta" => msg.reporting_mta = Some(strip_type(&value).to_string()),
            "arrival-date" => msg.arrival = parse_date(&value),
            "final-recipient" | "original-recipient" | "x-actual-recipient" => {
                let addr = address_in(strip_type(&value));
                let is_final = name == "final-recipient";
                let starts_new = match &cur {
                    None => true,
                    Some(c) => {
                        (is_final && cur_has_final) || (!is_final && c.original_recipient.is_some())
                    }
                };
                if starts_new {
                    out.extend(cur.take());
                    cur = Some(Finding::new(Kind::Bounce));
                    cur_has_final = false;
                }
                if let (Some(c), Some(addr)) = (cur.as_mut(), addr) {
                    match name.as_str() {
                        "final-recipient" => {
                            cur_has_final = true;
                            c.recipient = addr;
                        }
                        "original-recipient" => c.original_recipient = Some(addr),
                        _ => {}
                    }
                }
                if let Some(c) = cur.as_mut() {
                    for (n, v) in pending.drain(..) {
                        recipient_field(c, &n, &v);
                    }
                }
                after_break = false;
            }
            _ => match cur.as_mut() {
                Some(c) if !after_break => recipient_field(c, &name, &value),
                _ => pending.push((name, value)),
            },
        }
    }
    out.extend(cur);
    for f in out.iter_mut() {
        if !is_address(&f.recipient)
            || !f
                .recipient
                .rsplit_once('@')
                .is_some_and(|(_, d)| d.contains('.'))
        {
            if let Some(o) = f.original_recipient.clone() {
                f.recipient = o;
            }
        }
        if f.occurred_at.is_none() {
            f.occurred_at = msg.arrival;
        }
        let in_diag = f.diagnostic.as_deref().and_then(scan::best_status);
        f.status = match (f.status.take(), in_diag) {
            (None, d) => d,
            // A generic x.0.0 field next to the remote server's specific code of
            // the same class: the server's code says more.
            (Some(s), Some(d))
                if s.ends_with(".0.0") && !d.ends_with(".0.0") && s.get(..1) == d.get(..1) =>
            {
                Some(d)
            }
            (s, _) => s,
        };
        f.from_dsn = true;
    }
    out
}

fn recipient_field(c: &mut Finding, name: &str, value: &str) {
    match name {
        "action" => {
            let a = value.trim().to_ascii_lowercase();
            // `deliverable`/`undeliverable` come from address verification (sendmail -bv).
            c.kind = if a.starts_with("failed") || a.starts_with("undeliverable") {
                Kind::Bounce
            } else if a.starts_with("delayed") {
                Kind::Deferred
            } else if ["delivered", "relayed", "expanded", "deliverable"]
                .iter()
                .any(|p| a.starts_with(p))
            {
                Kind::Delivered
            } else {
                Kind::Bounce
            };
            c.action = Some(a);
        }
        "status" => {
            c.status = scan::status(value);
        }
        "remote-mta" => {
            c.remote_mta = Some(strip_type(value).to_string()).filter(|s| !s.is_empty())
        }
        "diagnostic-code" => {
            let d = scan::join_reply_lines(strip_type(value));
            if is_exit_status(value) {
                // `X-Unix; 255`: the local delivery program (a pipe) exited with
                // this status. The mailer failed, not the address.
                c.reason_hint = Some(Reason::MailerError);
            }
            if !d.is_empty() {
                c.reply_code = c
                    .reply_code
                    .or_else(|| scan::leading_reply_code(&d))
                    .or_else(|| scan::reply_code(&d));
                c.diagnostic = Some(d);
            }
        }
        "last-attempt-date" => c.occurred_at = parse_date(value),
        "x-powermta-bouncecategory" => {
            let cat = value.trim().to_ascii_lowercase();
            c.reason_hint = powermta_category(&cat);
            c.provider_label = Some(cat);
        }
        _ => {}
    }
}

/// PowerMTA's own bounce category, where it names one reason without doubt.
/// Its vaguer categories (policy-related, other, …) are left to the classifier.
fn powermta_category(cat: &str) -> Option<Reason> {
    Some(match cat {
        "bad-mailbox" => Reason::UserUnknown,
        "bad-domain" => Reason::HostUnknown,
        "inactive-mailbox" => Reason::MailboxDisabled,
        "quota-issues" => Reason::MailboxFull,
        "message-expired" => Reason::Expired,
        "virus-related" => Reason::VirusDetected,
        "spam-related" => Reason::SpamDetected,
        _ => return None,
    })
}

/// A Diagnostic-Code of type X-Unix whose text is only a program's exit status
/// outside sysexits.h (64–78): Sendmail's "unknown mailer error N". A sysexits
/// code has a meaning (77 no permission, 75 temporary failure…) that the words
/// of the report say better.
fn is_exit_status(value: &str) -> bool {
    let Some((t, rest)) = value.split_once(';') else { return false };
    let rest = rest.trim();
    let code = (rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit())).then(|| rest.parse::<u32>().ok()).flatten();
    t.trim().eq_ignore_ascii_case("x-unix") && code.is_some_and(|c| !(64..=78).contains(&c))
}

/// The first address in a field value, normalized; `None` when there is none.
pub fn address_in(v: &str) -> Option<String> {
    let v = v.trim().trim_matches(|c| c == '<' || c == '>' || c == '"');
    if v.starts_with('@') && v.contains(':') {
        // A source route (`@relay:user@host`) names a relay path, not the mailbox.
        return None;
    }
    if let Some(a) = scan::emails(v).into_iter().next() {
        return Some(normalize_email(a));
    }
    let t = v.trim();
    is_address(t).then(|| normalize_email(t))
}

/// `local@domain` with both parts present and no spaces.
pub fn is_address(a: &str) -> bool {
    match a.rsplit_once('@') {
        Some((l, d)) => !l.is_empty() && !d.is_empty() && !a.contains(char::is_whitespace),
        None => false,
    }
}

/// DSN fields written into the text part (broken MIME, or MTAs that inline
/// their "technical report"): the text from the first such field on.
pub fn inline_report(text: &str) -> Option<&str> {
    let mut pos = 0;
    let mut start = None;
    // Compared without lowercasing a copy of every line of every report.
    let starts = |l: &str, p: &str| l.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    for line in text.split_inclusive('\n') {
        let l = line.trim_start();
        let recipient = starts(l, "final-recipient:") || starts(l, "original-recipient:");
        if start.is_none() && (recipient || starts(l, "reporting-mta:")) {
            start = Some(pos);
        }
        if recipient {
            return start.and_then(|s| text.get(s..));
        }
        pos += line.len();
    }
    None
}

/// Feedback loops that forward the reported message without an ARF part
/// (Microsoft JMRP: "complaint about message from …").
pub fn forwarded_complaint(mail: &Mail) -> Option<Finding> {
    let o = mail.original.as_ref()?;
    let subject = mail.subject.to_ascii_lowercase();
    if o.stamped_recipient.is_none() && !subject.contains("complaint about message") {
        return None;
    }
    let mut f = Finding::new(Kind::Complaint);
    f.recipient = o
        .stamped_recipient
        .clone()
        .or_else(|| o.to.first().cloned())?;
    f.reason_hint = Some(Reason::Complaint);
    f.provider_label = Some("abuse".into());
    f.diagnostic = Some(mail.subject.trim().to_string());
    f.from_dsn = true;
    Some(f)
}

/// A "please unsubscribe me" mail sent to a list's unsubscribe address.
pub fn unsubscribe_request(mail: &Mail) -> Option<Finding> {
    let subject = mail.subject.trim().to_ascii_lowercase();
    let to_unsub = mail.to.iter().any(|t| {
        let local = t.split('@').next().unwrap_or("");
        ["unsubscribe", "opt-out", "optout", "leave-"]
            .iter()
            .any(|p| local.starts_with(p))
    });
    if subject != "unsubscribe" && !to_unsub {
        return None;
    }
    let mut f = Finding::new(Kind::Unsubscribe);
    f.recipient = mail.from.clone();
    f.reason_hint = Some(Reason::Unsubscribe);
    f.diagnostic = Some(format!(
        "unsubscribe request sent to {}",
        mail.to.join(", ")
    ));
    Some(f)
}

/// RFC 5965 feedback report: one complaint for the complaining recipient.
pub fn feedback(mail: &Mail, report: &str) -> Vec<Finding> {
    let fs = fields(report);
    let get = |n: &str| fs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let ftype = get("feedback-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ftype.starts_with("not-spam") {
        return Vec::new();
    }
    // DMARC/SPF failure reports (RFC 6591) are not the recipient's complaint, but
    // the labelled corpus and Sisimai count them as feedback: they stay complaints
    // with `auth-failure` as provider label and hint, so the classifier can tell.
    let auth = ftype.starts_with("auth-failure");
    let mut rcpts: Vec<String> = fs
        .iter()
        .filter(|(k, _)| k == "original-rcpt-to" || k == "removal-recipient")
        .filter_map(|(_, v)| address_in(v))
        .collect();
    if rcpts.is_empty() {
        rcpts.extend(mail.original.as_ref().and_then(|o| o.to.first().cloned()));
    }
    if rcpts.is_empty() {
        rcpts.extend(mail.verp_recipient());
    }
    rcpts.dedup();
    let when = get("arrival-date")
        .or_else(|| get("received-date"))
        .and_then(|d| parse_date(&d));
    rcpts
        .into_iter()
        .map(|r| {
            let mut f = Finding::new(Kind::Complaint);
            f.recipient = r;
            f.reason_hint = Some(if auth {
                Reason::AuthFailed
            } else {
                Reason::Complaint
            });
            f.provider_label = Some(if ftype.is_empty() {
                "abuse".into()
            } else {
                ftype.clone()
            });
            f.diagnostic = Some(format!(
                "Feedback-Type: {}",
                if ftype.is_empty() { "abuse" } else { &ftype }
            ));
            f.occurred_at = when;
            f.from_dsn = true;
            f
        })
        .collect()
}

/// Subjects of automatic replies, lowercased, in the languages our users and
/// their recipients write.
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "auto reply",
    "auto-reply",
    "autoreply",
    "automatic reply",
    "auto response",
    "autoresponse",
    "automatische antwort",
    "abwesenheitsnotiz",
    "réponse automatique",
    "reponse automatique",
    "respuesta automática",
    "respuesta automatica",
    "resposta automática",
    "resposta automatica",
    "risposta automatica",
    "automatisch antwoord",
    "out of office",
    "out of the office",
    "away until",
    "vacation",
    "on vacation",
    "fuera de la oficina",
    "ausente",
    "absence",
    "abwesend",
    "trả lời tự động",
    "tra loi tu dong",
    "vắng mặt",
    "自動応答",
    "自動返信",
    "不在",
    "automatyczna odpowiedź",
];

/// RFC 3834 and de-facto auto-reply signals.
pub fn is_auto_reply(mail: &Mail) -> bool {
    let h = |n: &str| mail.header(n).map(|v| v.to_ascii_lowercase());
    if h("auto-submitted")
        .is_some_and(|v| v.starts_with("auto-replied") || v.starts_with("auto-notified"))
    {
        return true;
    }
    if h("x-autoreply").is_some() || h("x-autorespond").is_some() || h("x-autoresponder").is_some()
    {
        return true;
    }
    if h("precedence").is_some_and(|v| v.contains("auto_reply") || v.contains("auto-reply")) {
        return true;
    }
    let subject = mail.subject.to_lowercase();
    AUTO_REPLY_SUBJECTS.iter().any(|s| subject.contains(s))
}

#[cfg(test)]
mod tests;
