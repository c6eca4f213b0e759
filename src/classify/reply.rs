//! SMTP basic reply codes (RFC 5321) → Reason. They say little: only a few codes
//! name a problem, and an enhanced status code, when present, is preferred.

use crate::model::Reason;

/// The reason a basic reply code names, if it names one.
pub fn reason(code: u32) -> Option<Reason> {
    Some(match code {
        421 => Reason::SystemError,
        451 => Reason::SystemError,
        452 => Reason::SystemError,
        521 | 556 => Reason::NotAccept,
        551 => Reason::HasMoved,
        552 => Reason::MailboxFull,
        553 => Reason::UserUnknown,
        530 | 535 => Reason::Policy,
        _ => return None,
    })
}

/// True for 4xx replies: the receiver itself called the failure temporary.
pub fn is_transient(code: u32) -> bool {
    (400..500).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_telling_codes_decide() {
        assert_eq!(reason(552), Some(Reason::MailboxFull));
        assert_eq!(reason(556), Some(Reason::NotAccept));
        assert_eq!(reason(550), None, "550 is used for everything");
        assert_eq!(reason(554), None);
        assert!(is_transient(450) && !is_transient(550));
    }
}
