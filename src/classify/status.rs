//! RFC 3463 enhanced status codes (`class.subject.detail`) → Reason.
//!
//! Two strengths: a *specific* code names the problem (5.1.1 user unknown) and
//! decides when no phrase contradicts it; a *generic* code only names the area
//! (5.7.x security/policy) and is used when nothing better is known.

use crate::model::Reason;

/// A parsed enhanced status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl Status {
    /// Class 4 = transient, 5 = permanent, 2 = success.
    pub fn is_transient(self) -> bool {
        self.class == 4
    }
}

/// Parses the first `d.d{1,3}.d{1,3}` found in `s` (so `"smtp; 5.1.1"` works too).
pub fn parse(s: &str) -> Option<Status> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b.get(i).copied().unwrap_or(0);
        // Not inside a word, number or version string ("v2.4.1", "10.5.1.1").
        let prev_ok = i == 0
            || !b
                .get(i - 1)
                .is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'.');
        if prev_ok && matches!(c, b'2' | b'4' | b'5') && b.get(i + 1) == Some(&b'.') {
            if let Some(st) = parse_at(b, i) {
                return Some(st);
            }
        }
        i += 1;
    }
    None
}

fn digits(b: &[u8], from: usize) -> Option<(u16, usize)> {
    let mut n: u16 = 0;
    let mut i = from;
    while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        if i - from >= 3 {
            return None;
        }
        n = n * 10 + u16::from(d - b'0');
        i += 1;
    }
    (i > from).then_some((n, i))
}

fn parse_at(b: &[u8], i: usize) -> Option<Status> {
    let class = b.get(i)? - b'0';
    let (subject, j) = digits(b, i + 2)?;
    if b.get(j) != Some(&b'.') {
        return None;
    }
    let (detail, k) = digits(b, j + 1)?;
    if b.get(k).is_some_and(|c| {
        c.is_ascii_digit() || *c == b'.' && b.get(k + 1).is_some_and(u8::is_ascii_digit)
    }) {
        return None;
    }
    Some(Status {
        class,
        subject,
        detail,
    })
}

/// How much a status code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    Specific,
    Generic,
}

/// The reason a status code names, with its strength. `None` for x.0.0 and success.
pub fn reason(st: Status) -> Option<(Reason, Strength)> {
    use Reason::*;
    use Strength::*;
    if st.class == 2 {
        return None;
    }
    let transient = st.is_transient();
    let r = match (st.subject, st.detail) {
        (1, 1) => (UserUnknown, Specific),
        (1, 2) => (HostUnknown, Specific),
        (1, 3) => (SyntaxError, Specific),
        (1, 6) => (HasMoved, Specific),
        (1, 7) | (1, 8) => (SenderRejected, Specific),
        (1, 10) => (NotAccept, Specific),
        (1, _) => (UserUnknown, Generic),
        (2, 1) if transient => (RateLimited, Specific),
        (2, 1) => (MailboxDisabled, Specific),
        (2, 2) => (MailboxFull, Specific),
        (2, 3) => (MessageTooBig, Specific),
        (2, 0) => return None,
        (2, _) => (MailboxFull, Generic),
        (3, 1) => (SystemError, Specific),
        (3, 2) => (NotAccept, Specific),
        (3, 4) => (MessageTooBig, Specific),
        (3, _) => (SystemError, Generic),
        (4, 4) if !transient => (HostUnknown, Specific),
        (4, 7) => (Expired, Specific),
        (4, 312) => (NetworkError, Specific),
        (4, 6) => (NetworkError, Specific),
        (4, _) => (NetworkError, Generic),
        (5, 3) => (RateLimited, Specific),
        (5, _) => (MailerError, Generic),
        (6, _) => (ContentError, Generic),
        (7, 1) | (7, 0) => (Policy, Generic),
        (7, 13) => (MailboxDisabled, Specific),
        (7, 20..=24) | (7, 26) | (7, 509) => (AuthFailed, Specific),
        (7, 25) => (Blocked, Specific),
        (7, 27) => (SenderRejected, Specific),
        (7, 606..=649) => (Blocked, Specific),
        (7, _) => (Policy, Generic),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_inside_text() {
        assert_eq!(
            parse("5.1.1"),
            Some(Status {
                class: 5,
                subject: 1,
                detail: 1
            })
        );
        assert_eq!(
            parse("smtp; 550 5.7.26 x"),
            Some(Status {
                class: 5,
                subject: 7,
                detail: 26
            })
        );
        assert_eq!(
            parse("#5.1.10)"),
            Some(Status {
                class: 5,
                subject: 1,
                detail: 10
            })
        );
        assert_eq!(
            parse("4.16.55.1"),
            None,
            "a version-like dotted quad is not a status"
        );
        assert_eq!(parse("10.5.1.1"), None);
        assert_eq!(parse("Postfix v2.4.1"), None);
        assert_eq!(parse("5.1"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn specific_and_generic_codes() {
        let r = |s: &str| parse(s).and_then(reason);
        assert_eq!(r("5.1.1"), Some((Reason::UserUnknown, Strength::Specific)));
        assert_eq!(r("4.2.2"), Some((Reason::MailboxFull, Strength::Specific)));
        assert_eq!(r("4.2.1"), Some((Reason::RateLimited, Strength::Specific)));
        assert_eq!(
            r("5.2.1"),
            Some((Reason::MailboxDisabled, Strength::Specific))
        );
        assert_eq!(r("5.1.10"), Some((Reason::NotAccept, Strength::Specific)));
        assert_eq!(r("5.7.26"), Some((Reason::AuthFailed, Strength::Specific)));
        assert_eq!(r("5.7.1"), Some((Reason::Policy, Strength::Generic)));
        assert_eq!(r("5.0.0"), None);
        assert_eq!(r("2.0.0"), None);
    }
}
