//! Plain-language "why?" for each reason: a translation key for the window
//! (`reason.user_unknown.explain`, looked up in ui/ translation files) and the
//! English text the CLI prints.

use crate::model::Reason;

/// The translation key of a reason's explanation.
pub fn explain_key(reason: Reason) -> String {
    format!("reason.{}.explain", reason.as_str())
}

/// The English explanation: what happened and what to do.
pub fn explain_en(reason: Reason) -> &'static str {
    use Reason::*;
    match reason {
        UserUnknown => "The mailbox does not exist at this domain. Remove the address; confirm new sign-ups with double opt-in.",
        HostUnknown => "The domain does not exist or receives no mail (often a typo such as gmial.com). Remove or correct the address.",
        MailboxFull => "The recipient's mailbox is full. This is temporary: keep the address; remove it only if it keeps bouncing.",
        MailboxDisabled => "The account is disabled or suspended. It may come back; remove it if it keeps bouncing.",
        HasMoved => "The person has moved to another address and this one no longer receives mail. Remove it or ask for the new one.",
        NotAccept => "The domain says it accepts no mail at all. Remove the address.",
        MessageTooBig => "Your message was too large for the receiving server. Make it smaller (images, attachments); the address is fine.",
        Expired => "The server kept trying and gave up after the retry period. Nothing is known about the address: keep it for now.",
        RateLimited => "The receiving server refused because you sent too fast or too much at once. Send more slowly; the address is fine.",
        Blocked => "Your sending server or domain was refused for its reputation (a block list, a missing reverse DNS). Fix the sending, not the list.",
        SpamDetected => "The content of your message was judged to be spam. Review the content and links; the address is probably fine.",
        VirusDetected => "The receiving server found a virus or a dangerous attachment in your message. Check what you attached.",
        ContentError => "The receiving server refused the message's content or format. Check the message; the address is probably fine.",
        AuthFailed => "Your message failed sender authentication (SPF, DKIM or DMARC). Ask whoever runs your domain to fix these records.",
        Policy => "The receiver's policy or filter refused the message. The address is probably fine; check your content and sending setup.",
        RelayDenied => "The server would not pass the message on for your sender. Check your sending account and verified domains.",
        SenderRejected => "Your sender address was refused. Check the From and return address you send with.",
        SyntaxError => "The address is not written correctly. Correct or remove it.",
        SystemError => "The receiving server had a problem of its own. This is temporary: keep the address.",
        NetworkError => "The receiving server could not be reached (network or DNS trouble). This is temporary: keep the address.",
        MailerError => "The mail program on the way failed. This is temporary: keep the address.",
        Suppressed => "Your provider did not send because the address was already on its suppression list from an earlier problem.",
        Complaint => "The recipient marked your message as spam. Remove the address and never mail it again.",
        Unsubscribe => "The recipient unsubscribed. Remove the address and never mail it again.",
        AutoReply => "An automatic reply (out of office, vacation). Not a failure: the message was delivered.",
        Delivered => "The message was delivered. Not a failure.",
        SmsInvalidNumber => "The phone number does not exist or cannot receive text messages (for example a landline). Remove it.",
        SmsUnreachable => "The phone was off or out of coverage, or the operator had trouble. This is temporary: keep the number.",
        SmsCarrierFiltered => "The phone operator filtered your message. Check your sender registration and content; the number is probably fine.",
        SmsOptedOut => "The recipient opted out of your text messages. Remove the number and never text it again.",
        Unknown => "The failure could not be explained from what the server said. It is treated as temporary: keep the address.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_key_and_a_sentence() {
        for r in Reason::ALL {
            assert_eq!(explain_key(*r), format!("reason.{}.explain", r.as_str()));
            assert!(explain_en(*r).ends_with('.'), "{r}");
        }
        assert_eq!(
            explain_key(Reason::UserUnknown),
            "reason.user_unknown.explain"
        );
    }
}
