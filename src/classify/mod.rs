//! Status codes + reply codes + diagnostic text → Reason → Class, with the rule
//! that decided and its evidence. Precedence and the Reason → Class table are
//! documented in docs/classification.md; in short, for an email bounce:
//!
//! 1. a parser's `reason_hint` (`hint:<reason>`);
//! 2. a diagnostic phrase (`phrase:<table>:<phrase>`), adjusted for lying contexts
//!    (a "user unknown" after DATA, or under X.2.0/X.2.1 off the RCPT stage, is a
//!    filter, at MAIL FROM it is our sender; a connection failure
//!    in a final 4.x.x bounce means the retries expired);
//! 3. a specific enhanced status (`status:5.1.1`);
//! 4. the provider's own label (`provider:<provider>:<label>`);
//!    then a wordless permanent refusal read from its SMTP stage (`smtp:mail`,
//!    `smtp:conn`, `smtp:helo`, `smtp:rcpt`);
//! 5. a generic enhanced status (`status:5.7.x`);
//! 6. a telling SMTP reply code (`reply:552`);
//! 7. nothing known: `unknown`, soft (`default`).

mod phrases;
mod provider;
mod reply;
mod sms;
mod status;
mod text;
mod cache;

#[cfg(test)]
mod eval;
#[cfg(test)]
mod tests;

pub use phrases::{Phrase, Table, TABLES};
pub use provider::provider_hint;
pub use status::{parse as parse_status, Status};
pub use text::prefix as text_prefix;

use crate::model::{Channel, Class, Event, Kind, Reason, Verdict};

/// For accuracy tests against the Sisimai-labelled corpus (the labels use Sisimai 5 names).
/// Our reason → the Sisimai 5 reason names it stands for (docs/classification.md).
pub fn sisimai_names(r: Reason) -> &'static [&'static str] {
    use Reason::*;
    match r {
        UserUnknown => &["userunknown"],
        HostUnknown => &["hostunknown"],
        MailboxFull => &["mailboxfull"],
        MailboxDisabled => &["suspend"],
        HasMoved => &["hasmoved"],
        NotAccept => &["notaccept"],
        MessageTooBig => &["mesgtoobig", "exceedlimit"],
        Expired => &["expired"],
        RateLimited => &["toomanyconn", "speeding"],
        Blocked => &["blocked", "requireptr", "badreputation"],
        SpamDetected => &["spamdetected"],
        VirusDetected => &["virusdetected"],
        ContentError => &["contenterror"],
        AuthFailed => &["authfailure"],
        Policy => &["policyviolation", "filtered", "securityerror"],
        RelayDenied => &["norelaying"],
        SenderRejected => &["rejected"],
        SyntaxError => &["syntaxerror"],
        SystemError => &["systemerror", "systemfull"],
        NetworkError => &["networkerror"],
        MailerError => &["mailererror"],
        Unknown => &["onhold", "undefined"],
        Complaint => &["feedback"],
        Delivered => &["delivered"],
        AutoReply => &["vacation"],
        Suppressed | Unsubscribe | SmsInvalidNumber | SmsUnreachable | SmsCarrierFiltered
        | SmsOptedOut => &[],
    }
}

/// Everything the classifier reads, borrowed from an Event or from a provider row.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub kind: Kind,
    pub channel: Channel,
    pub status: Option<&'a str>,
    pub reply_code: Option<u32>,
    pub diagnostic: Option<&'a str>,
    pub hint: Option<Reason>,
    pub provider: Option<&'a str>,
    pub provider_label: Option<&'a str>,
    /// The SMTP command the remote server refused (`RCPT`, `DATA`, `MAIL`…), if known.
    pub smtp_command: Option<&'a str>,
}

impl<'a> Parts<'a> {
    /// An email bounce with nothing known yet; fill the fields you have.
    pub fn bounce() -> Self {
        Parts {
            kind: Kind::Bounce,
            channel: Channel::Email,
            status: None,
            reply_code: None,
            diagnostic: None,
            hint: None,
            provider: None,
            provider_label: None,
            smtp_command: None,
        }
    }

    pub fn of(ev: &'a Event) -> Self {
        Parts {
            kind: ev.kind,
            channel: ev.channel,
            status: ev.status.as_deref(),
            reply_code: ev.reply_code,
            diagnostic: ev.diagnostic.as_deref(),
            hint: ev.reason_hint,
            provider: ev.provider.as_deref(),
            provider_label: ev.provider_label.as_deref(),
            smtp_command: ev.smtp_command.as_deref(),
        }
    }
}

/// Decides the verdict of one event in place. A suppressed re-send keeps a verdict
/// its importer already set (it knows what the address was suppressed for).
pub fn classify(ev: &mut Event) {
    if ev.kind == Kind::Suppressed && !ev.verdict.rule.is_empty() {
        return;
    }
    ev.verdict = classify_parts(&Parts::of(ev));
}

/// The class a suppression label carries over from the original event: the address
/// stays on the remove list for the reason it was suppressed, while the re-send itself
/// is not a new bounce (reason `suppressed`).
fn suppressed_class(label: &str) -> Class {
    let l = label.to_ascii_lowercase();
    if l.contains("unsub") {
        Class::Unsubscribe
    } else if l.contains("spam") || l.contains("complain") {
        Class::Complaint
    } else if [
        "bounce",
        "suppressed",
        "suppression",
        "deactivated",
        "invalid",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        Class::Hard
    } else {
        Class::None
    }
}

/// The verdict for loose parts (provider importers and SMS logs call this).
/// Provider reports repeat the same few (status, text) pairs a million times, so
/// verdicts are memoized per thread (the rules are a pure function of `Parts`).
pub fn classify_parts(p: &Parts) -> Verdict {
    cache::get_or(p, decide)
}

fn decide(p: &Parts) -> Verdict {
    let v = |class, reason, rule: &str, evidence: &str| Verdict {
        class,
        reason,
        rule: rule.to_string(),
        evidence: evidence.to_string(),
    };
    let label = p.provider_label.unwrap_or("");
    match p.kind {
        Kind::Sent => return v(Class::None, Reason::Unknown, "kind:sent", ""),
        Kind::Delivered => return v(Class::None, Reason::Delivered, "kind:delivered", ""),
        Kind::AutoReply => return v(Class::None, Reason::AutoReply, "kind:auto_reply", ""),
        Kind::Complaint => return v(Class::Complaint, Reason::Complaint, "kind:complaint", label),
        Kind::Unsubscribe => {
            return v(
                Class::Unsubscribe,
                Reason::Unsubscribe,
                "kind:unsubscribe",
                label,
            )
        }
        Kind::Suppressed => {
            return v(
                suppressed_class(label),
                Reason::Suppressed,
                "kind:suppressed",
                label,
            )
        }
        Kind::Deferred | Kind::Bounce => {}
    }
    let (reason, rule, evidence, hard_label) = match p.channel {
        Channel::Sms => {
            let (r, rule, ev) =
                sms::decide(p.provider, p.reply_code, p.provider_label, p.diagnostic);
            (r, rule, ev, false)
        }
        Channel::Email => email_reason(p),
    };
    let transient = p
        .status
        .and_then(status::parse)
        .map(Status::is_transient)
        .or_else(|| p.reply_code.map(reply::is_transient))
        .unwrap_or(false);
    let class = if p.kind == Kind::Deferred {
        Class::Soft
    } else if hard_label {
        Class::Hard
    } else {
        class_for(reason, p.status, transient)
    };
    Verdict {
        class,
        reason,
        rule,
        evidence,
    }
}

/// The class a reason stands for, given the enhanced status (which only matters for
/// not_accept — soft when transient — and syntax_error — soft when it is an SMTP
/// protocol complaint, X.5.x, rather than a malformed address).
pub fn class_of(reason: Reason, status: Option<&str>) -> Class {
    let transient = status
        .and_then(status::parse)
        .is_some_and(Status::is_transient);
    class_for(reason, status, transient)
}

fn class_for(reason: Reason, status: Option<&str>, transient: bool) -> Class {
    use Reason::*;
    let st = status.and_then(status::parse);
    match reason {
        UserUnknown | HostUnknown | HasMoved | SmsInvalidNumber => Class::Hard,
        NotAccept if transient => Class::Soft,
        NotAccept => Class::Hard,
        SyntaxError if st.is_some_and(|s| s.subject == 5) => Class::Soft,
        SyntaxError => Class::Hard,
        MailboxDisabled | MailboxFull | MessageTooBig | Expired | RateLimited | SystemError
        | NetworkError | MailerError | SmsUnreachable | Unknown => Class::Soft,
        Blocked | SpamDetected | VirusDetected | ContentError | AuthFailed | Policy
        | RelayDenied | SenderRejected | SmsCarrierFiltered => Class::Block,
        Complaint => Class::Complaint,
        Unsubscribe | SmsOptedOut => Class::Unsubscribe,
        Suppressed | AutoReply | Delivered => Class::None,
    }
}

/// (reason, rule, evidence, provider said hard without a reason) for an email failure.
fn email_reason(p: &Parts) -> (Reason, String, String, bool) {
    let given = p.status.and_then(status::parse);
    let norm = text::normalize(p.diagnostic.unwrap_or(""));
    // Non-DSN bounces carry the enhanced code only inside the text.
    let st = given.or_else(|| status::parse(&norm));
    let st_str = st
        .map(|s| format!("{}.{}.{}", s.class, s.subject, s.detail))
        .unwrap_or_default();

    if let Some(s) = given.filter(|s| s.class == 2) {
        // A success code in a report that reached us as a failure: not a failure.
        return (
            Reason::Delivered,
            format!("status:{st_str}"),
            format!("{}.{}.{}", s.class, s.subject, s.detail),
            false,
        );
    }
    if let Some(h) = p.hint {
        return (
            h,
            format!("hint:{}", h.as_str()),
            p.status.unwrap_or(&st_str).to_string(),
            false,
        );
    }
    let hits = phrases::hits(&norm);
    if let Some(best) = phrases::best(&hits) {
        return phrase_verdict(p, best, &hits, &norm, st);
    }
    let st_reason = st.and_then(status::reason);
    if let Some((r, status::Strength::Specific)) = st_reason {
        return (r, format!("status:{st_str}"), st_str, false);
    }
    if let (Some(prov), Some(label)) = (p.provider, p.provider_label) {
        if let Some((r, c)) = provider_hint(prov, label) {
            let hard = c == Class::Hard && class_for(r, None, false) != Class::Hard;
            return (
                r,
                format!(
                    "provider:{}:{}",
                    prov.to_ascii_lowercase(),
                    label.to_ascii_lowercase()
                ),
                label.to_string(),
                hard,
            );
        }
    }
    if let Some(v) = stage_verdict(p, st, &st_str) {
        return v;
    }
    if let (Some((r, _)), Some(s)) = (st_reason, st) {
        return (
            r,
            format!("status:{}.{}.x", s.class, s.subject),
            st_str,
            false,
        );
    }
    if let Some(code) = p.reply_code {
        if let Some(r) = reply::reason(code) {
            return (r, format!("reply:{code}"), code.to_string(), false);
        }
    }
    let ev = if st_str.is_empty() {
        p.reply_code.map(|c| c.to_string()).unwrap_or_default()
    } else {
        st_str
    };
    (Reason::Unknown, "default".to_string(), ev, false)
}

/// A permanent refusal without telling words, read from the SMTP command it
/// answered: at MAIL FROM only our envelope sender had been given, so it was
/// refused (sender_rejected); at the greeting or HELO only our IP and host name
/// (blocked); at RCPT TO the recipient address (user_unknown). Transient answers there are load or greylisting, left to the codes.
fn stage_verdict(p: &Parts, st: Option<Status>, st_str: &str) -> Option<(Reason, String, String, bool)> {
    let cmd = p.smtp_command?.to_ascii_uppercase();
    let transient = st.map(Status::is_transient).or_else(|| p.reply_code.map(reply::is_transient)).unwrap_or(true);
    if transient {
        return None;
    }
    let code = if st_str.is_empty() { p.reply_code.map(|c| c.to_string()).unwrap_or_default() } else { st_str.to_string() };
    match cmd.as_str() {
        "MAIL" => Some((Reason::SenderRejected, "smtp:mail".into(), format!("MAIL FROM / {code}"), false)),
        // Only the recipient was new at RCPT TO: IP and sender checks there come
        // with their own words ("Client host rejected", "blocked using"), which
        // decide before this rule.
        "RCPT" => Some((Reason::UserUnknown, "smtp:rcpt".into(), format!("RCPT TO / {code}"), false)),
        "CONN" | "HELO" => Some((Reason::Blocked, format!("smtp:{}", cmd.to_ascii_lowercase()), format!("{cmd} / {code}"), false)),
        _ => None,
    }
}

/// The matched words as the server wrote them when they can be found again in the
/// original (same spacing, ASCII case differences only), else as normalized.
fn quote(original: &str, norm: &str, at: usize, phrase: &str) -> String {
    let len = phrase.trim_end_matches('*').len();
    let matched = norm.get(at..at + len).unwrap_or(phrase);
    let head = text::prefix(original, text::MAX_SCAN);
    let folded = head.to_ascii_lowercase();
    folded
        .find(matched)
        .and_then(|i| head.get(i..i + matched.len()))
        .unwrap_or(matched)
        .to_string()
}

fn phrase_verdict(
    p: &Parts,
    best: phrases::Hit,
    hits: &[phrases::Hit],
    norm: &str,
    st: Option<Status>,
) -> (Reason, String, String, bool) {
    let original = p.diagnostic.unwrap_or("");
    let quoted = quote(original, norm, best.at, best.phrase.text);
    let rule = format!("phrase:{}:{}", best.table.name, best.phrase.text);
    let reason = best.table.reason;
    if matches!(reason, Reason::UserUnknown | Reason::HostUnknown)
        && st.is_some_and(|s| s.subject == 1 && matches!(s.detail, 7 | 8))
    {
        // X.1.7/X.1.8 say the *sender* address is bad; the phrase is about that address.
        let ev = format!(
            "{} / {}",
            st.map(|s| format!("{}.{}.{}", s.class, s.subject, s.detail))
                .unwrap_or_default(),
            quoted
        );
        return (
            Reason::SenderRejected,
            format!("{rule}+sender_status"),
            ev,
            false,
        );
    }
    if reason == Reason::UserUnknown {
        // A "user unknown" given after the body was sent (unless an X.1.1 confirms it),
        // or under a status that says the mailbox exists (X.2.0), is a receiver-side
        // filter refusing our mail.
        // A specific X.1.1 next to it confirms the mailbox really is unknown.
        let confirmed = st.is_some_and(|s| s.subject == 1 && s.detail == 1);
        let command = p.smtp_command.map(str::to_ascii_uppercase);
        if command.as_deref() == Some("MAIL") {
            // Refused in reply to MAIL FROM: the unknown user is our envelope sender.
            return (Reason::SenderRejected, format!("{rule}+smtp:mail"), format!("MAIL FROM / {quoted}"), false);
        }
        let plain = best.table.name == "user_unknown_plain";
        if command.as_deref() == Some("DATA") && !confirmed {
            return (Reason::Policy, format!("{rule}+smtp:data"), format!("after DATA / {quoted}"), false);
        }
        if let Some(stage) = phrases::data_stage(hits).filter(|_| !confirmed) {
            let ev = format!(
                "{} / {}",
                quote(original, norm, stage.at, stage.phrase.text),
                quoted
            );
            return (Reason::Policy, format!("{rule}+data_stage"), ev, false);
        }
        if let Some(s) = st.filter(|s| s.class == 5 && s.subject == 2 && s.detail == 0) {
            let ev = format!("{}.{}.{} / {}", s.class, s.subject, s.detail, quoted);
            return (Reason::Policy, format!("{rule}+status:5.2.0"), ev, false);
        }
        // X.2.1 says the mailbox exists but takes no messages. Only a refusal of
        // the RCPT itself (where servers look mailboxes up) backs the words.
        let at_rcpt = command.as_deref() == Some("RCPT");
        if let Some(s) = st.filter(|s| s.class == 5 && s.subject == 2 && s.detail == 1 && !at_rcpt) {
            let ev = format!("{}.{}.{} / {}", s.class, s.subject, s.detail, quoted);
            return (Reason::Policy, format!("{rule}+status:5.2.1"), ev, false);
        }
        if plain && !at_rcpt {
            if let Some(v) = unconfirmed_user_unknown(&rule, &quoted, original, norm, st) {
                return v;
            }
        }
    }
    if best.phrase.text == "recipient address rejected: access denied"
        && st.is_some_and(|s| s.class == 5 && s.subject == 4 && s.detail == 1)
    {
        // Exchange Online's directory-based edge blocking: 5.4.1 "Access denied" is
        // its answer for a recipient that is not in the directory.
        return (
            Reason::UserUnknown,
            format!("{rule}+status:5.4.1"),
            quoted,
            false,
        );
    }
    if best.table.name == "connect_failed"
        && p.kind == Kind::Bounce
        && st.is_none_or(Status::is_transient)
    {
        // A final bounce that still carries a transient (or no) code after connection
        // failures: the retry period ran out.
        return (
            Reason::Expired,
            format!("{rule}+final_transient"),
            quoted,
            false,
        );
    }
    (reason, rule, quoted, false)
}

/// The reply template `550 <rcpt>: User unknown` printed with nothing in the
/// recipient's place (`550 : User unknown`): the server answered a command that
/// names no recipient, the end of DATA, so a filter refused the message after the
/// mailbox had been accepted. The same servers answer RCPT TO with the address.
fn empty_recipient_slot(norm: &str) -> bool {
    let b = norm.as_bytes();
    b.windows(6).enumerate().any(|(i, w)| {
        let code = w.get(..3).is_some_and(|c| matches!(c.first(), Some(b'4' | b'5')) && c.iter().all(u8::is_ascii_digit));
        let before = i == 0 || b.get(i - 1).is_some_and(|c| !c.is_ascii_alphanumeric() && *c != b'.');
        let tail = w.get(3..);
        code && before && (tail == Some(b" : ") || (tail == Some(b": :") && b.get(i + 6) == Some(&b' ')))
    })
}

/// The text after the first SMTP reply code (a 4xx/5xx standing as a word): the
/// remote server's own reply. An address our reporting MTA writes in its prose is
/// not the server answering about that recipient.
fn after_reply_code(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let at = (0..b.len().saturating_sub(2)).find(|&i| {
        let w = b.get(i..i + 3).unwrap_or_default();
        matches!(w.first(), Some(b'4' | b'5'))
            && w.iter().all(u8::is_ascii_digit)
            && (i == 0 || b.get(i - 1).is_some_and(|c| !c.is_ascii_alphanumeric() && *c != b'.' && *c != b'#'))
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'.')
    })?;
    text.get(at + 3..)
}

/// True when the text names an email address (a reply that echoes the recipient
/// answered about that recipient).
fn names_address(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'@'
            && i > 0
            && b.get(i - 1).is_some_and(|p| p.is_ascii_alphanumeric() || b"._-+".contains(p))
            && b.get(i + 1..).is_some_and(|rest| {
                let dom: Vec<u8> = rest.iter().copied().take_while(|d| d.is_ascii_alphanumeric() || *d == b'.' || *d == b'-').collect();
                dom.contains(&b'.') && dom.first().is_some_and(u8::is_ascii_alphanumeric)
            })
    })
}

/// The bare "user unknown" words with nothing confirming them: no X.1.x status
/// (the address subject), no RCPT stage, no echo of the address in the reply.
/// Filters use the same words after DATA, so the mail is read as filtered (policy),
/// not as proof that the mailbox is missing.
fn unconfirmed_user_unknown(rule: &str, quoted: &str, original: &str, norm: &str, st: Option<Status>) -> Option<(Reason, String, String, bool)> {
    if empty_recipient_slot(norm) {
        return Some((Reason::Policy, format!("{rule}+empty_recipient"), format!("no recipient in the reply / {quoted}"), false));
    }
    let addressed = st.is_some_and(|s| s.subject == 1);
    if addressed || after_reply_code(text::prefix(original, text::MAX_SCAN)).is_some_and(names_address) {
        return None;
    }
    Some((Reason::Policy, format!("{rule}+unconfirmed"), format!("no X.1.x status, RCPT stage or address / {quoted}"), false))
}
