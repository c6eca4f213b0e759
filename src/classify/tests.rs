//! Hand-written cases: every phrase of every table reachable, realistic sentences
//! per reason (several languages), negatives, precedence for lying codes, SMS.

use super::phrases::{best, hits, TABLES};
use super::text::normalize;
use super::*;

fn bounce(status: Option<&'static str>, reply: Option<u32>, diag: &'static str) -> Verdict {
    classify_parts(&Parts {
        status,
        reply_code: reply,
        diagnostic: Some(diag),
        ..Parts::bounce()
    })
}

/// Every phrase fires inside an SMTP-looking line, and its own table decides unless
/// the phrase contains a stronger table's phrase (which would make it dead data).
#[test]
fn every_phrase_of_every_table_decides_in_context() {
    for table in TABLES {
        for p in table.phrases {
            let line = format!(
                "550 <ana@example.com>: {} (mx.example.net)",
                p.text.trim_end_matches('*')
            );
            let norm = normalize(&line);
            let hs = hits(&norm);
            assert!(
                hs.iter().any(|h| std::ptr::eq(h.phrase, p)),
                "{}: {:?} does not match",
                table.name,
                p.text
            );
            let b = best(&hs).expect("a hit");
            assert_eq!(
                b.table.name, table.name,
                "{:?} is shadowed by {:?}",
                p.text, b.phrase.text
            );
        }
    }
}

#[test]
fn word_boundaries_hold() {
    assert!(best(&hits("listed at spamhaus")).is_some_and(|h| h.table.reason == Reason::Blocked));
    assert!(hits("uninfected").is_empty(), "no 'infected' inside a word");
    assert!(best(&hits("quota exceeded for user"))
        .is_some_and(|h| h.table.reason == Reason::MailboxFull));
}

/// (status, reply, diagnostic, expected reason, expected class).
type Case = (
    Option<&'static str>,
    Option<u32>,
    &'static str,
    Reason,
    Class,
);

/// (status, reply, diagnostic) → (reason, class), written by hand.
#[test]
fn hand_written_cases() {
    use Class::{Block, Hard, Soft};
    use Reason::*;
    let cases: &[Case] = &[
        (Some("5.1.1"), Some(550), "550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown in virtual mailbox table", UserUnknown, Hard),
        (Some("5.1.1"), Some(550), "The email account that you tried to reach does not exist.", UserUnknown, Hard),
        (Some("5.0.0"), Some(550), "550 <ana@example.com>... No such user here", UserUnknown, Hard),
        // The bare words with nothing confirming them: a filter may say the same.
        (Some("5.0.0"), Some(550), "550 No such user here", Policy, Block),
        (Some("5.0.0"), Some(550), "550 : User unknown", Policy, Block),
        (Some("5.1.1"), Some(550), "550 5.1.1 Usuario desconocido", UserUnknown, Hard),
        (None, Some(550), "550 <ana@example.com> utilisateur inconnu", UserUnknown, Hard),
        (None, Some(550), "550 ana@example.com: Unbekannter Empfänger", UserUnknown, Hard),
        (None, Some(550), "550 Usuario desconocido", Policy, Block),
        (None, None, "Người dùng không tồn tại", UserUnknown, Hard),
        (None, None, "пользователь не найден", UserUnknown, Hard),
        (None, None, "宛先不明のため配信できませんでした", UserUnknown, Hard),
        (Some("5.1.2"), None, "Host or domain name not found. Name service error for name=example.invalid", HostUnknown, Hard),
        (None, None, "Sorry, I couldn't find any host named example.invalid", HostUnknown, Hard),
        (Some("5.1.10"), Some(556), "556 5.1.10 Recipient address has null MX", NotAccept, Hard),
        (Some("4.0.0"), None, "No MX found for domain", NotAccept, Soft),
        (Some("5.1.6"), Some(550), "550 5.1.6 recipient no longer on server", HasMoved, Hard),
        (Some("5.2.2"), Some(552), "552 5.2.2 Mailbox full", MailboxFull, Soft),
        (Some("5.1.1"), Some(552), "552 sorry, mailbox ana@example.com is over quota temporarily (#5.1.1)", MailboxFull, Soft),
        (None, Some(550), "550 Buzón lleno", MailboxFull, Soft),
        (None, Some(552), "552 Hộp thư đầy", MailboxFull, Soft),
        (None, None, "Caixa postal cheia", MailboxFull, Soft),
        (Some("5.2.1"), Some(550), "550-5.2.1 The email account that you tried to reach is disabled.", MailboxDisabled, Soft),
        (Some("5.7.13"), Some(525), "525 5.7.13 Disabled recipient address", MailboxDisabled, Soft),
        (Some("5.3.4"), Some(552), "552 5.3.4 Message size exceeds fixed maximum message size", MessageTooBig, Soft),
        (Some("5.2.3"), Some(552), "552 5.2.3 Message length exceeds administrative limit", MessageTooBig, Soft),
        (Some("4.4.7"), None, "Message expired: unable to deliver in 840 minutes", Expired, Soft),
        (Some("4.4.1"), None, "connect to mx.example.net[192.0.2.1]:25: Connection timed out", Expired, Soft),
        (Some("4.7.0"), Some(421), "421 4.7.0 Too many connections from your IP, try later", RateLimited, Soft),
        (Some("5.2.1"), Some(550), "550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages", RateLimited, Soft),
        (Some("5.7.1"), Some(554), "554 5.7.1 Client host rejected: blocked using zen.spamhaus.org", Blocked, Block),
        (Some("5.7.25"), Some(550), "550 5.7.25 The IP address sending this message does not have a PTR record setup", Blocked, Block),
        (Some("5.1.1"), Some(550), "550 5.7.1 IP address blacklisted by recipient", Blocked, Block),
        (Some("5.7.0"), Some(554), "554 5.7.0 Reject, id=123 - SPAM", SpamDetected, Block),
        (None, Some(550), "550 Mensaje rechazado: detectado como spam", SpamDetected, Block),
        (None, Some(550), "550 Virus Detected; Content Rejected", VirusDetected, Block),
        (Some("5.7.26"), Some(550), "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550-5.7.26 DMARC policy", AuthFailed, Block),
        (Some("5.7.26"), Some(550), "550 5.7.26 policy rejection", AuthFailed, Block),
        (Some("5.7.1"), Some(554), "554 5.7.1 <ana@example.com>: Relay access denied", RelayDenied, Block),
        (Some("5.1.8"), Some(553), "553 5.1.8 Domain of sender address nobody@example.invalid does not exist", SenderRejected, Block),
        (Some("5.1.7"), Some(550), "550 5.1.7 No such domain example.invalid", SenderRejected, Block),
        (Some("5.7.0"), Some(550), "550 5.7.0 Local Policy Violation", Policy, Block),
        (Some("5.7.1"), Some(550), "550 5.7.1 message refused", Policy, Block),
        (None, Some(554), "554 Transaction failed: Duplicate header 'DKIM-Signature'.", ContentError, Block),
        (Some("4.3.0"), Some(451), "451 4.3.0 Error: queue file write error", SystemError, Soft),
        (Some("5.0.0"), None, "pipe to |/usr/local/bin/filter generated by ana@example.com", MailerError, Soft),
        (Some("4.0.0"), None, "DNS Error: DNS type 'mx' lookup of example.invalid responded with code SERVFAIL", NetworkError, Soft),
        (Some("5.4.6"), Some(554), "554 5.4.6 Too many hops", NetworkError, Soft),
        (Some("5.0.0"), Some(550), "550 Unknown user ana@example.com (in reply to end of DATA command)", Policy, Block),
        (Some("5.2.0"), Some(550), "550 Unknown user ana@example.com", Policy, Block),
        (Some("5.0.0"), Some(550), "550 rejected", Unknown, Soft),
        (None, Some(552), "552 Requested mail action aborted", MailboxFull, Soft),
        (None, None, "", Unknown, Soft),
    ];
    for (st, reply, diag, reason, class) in cases {
        let v = bounce(*st, *reply, diag);
        assert_eq!(
            (v.reason, v.class),
            (*reason, *class),
            "{st:?} {reply:?} {diag:?} → rule {}",
            v.rule
        );
        assert!(!v.rule.is_empty());
    }
}

#[test]
fn lying_codes_are_settled_by_phrases() {
    // 5.x.x for a full mailbox.
    let v = bounce(Some("5.1.1"), Some(550), "550 5.1.1 mailbox is full");
    assert_eq!(
        (v.reason, v.class, v.rule.as_str()),
        (
            Reason::MailboxFull,
            Class::Soft,
            "phrase:mailbox_full:mailbox is full"
        )
    );
    assert_eq!(v.evidence, "mailbox is full");
    let v = bounce(None, Some(550), "550 Mailbox Is FULL, sorry");
    assert_eq!(
        v.evidence, "Mailbox Is FULL",
        "evidence is quoted as written"
    );
    // 5.7.1 saying "user unknown".
    let v = bounce(Some("5.7.1"), Some(550), "550 5.7.1 <ana@example.com>... User unknown");
    assert_eq!((v.reason, v.class), (Reason::UserUnknown, Class::Hard));
    // 550 for an IP block.
    let v = bounce(
        None,
        Some(550),
        "550 Your IP 192.0.2.1 is listed in a DNSBL",
    );
    assert_eq!((v.reason, v.class), (Reason::Blocked, Class::Block));
    // 4.x.x after days of retry with a permanent cause.
    let v = bounce(Some("4.2.2"), Some(450), "450 4.2.2 Mailbox Full. I'm not going to try again; this message has been in the queue too long.");
    assert_eq!(v.reason, Reason::MailboxFull);
    // A specific status decides when no phrase speaks.
    let v = bounce(
        Some("5.1.1"),
        Some(550),
        "550 5.1.1 see https://example.net/help",
    );
    assert_eq!(
        (v.reason, v.rule.as_str(), v.evidence.as_str()),
        (Reason::UserUnknown, "status:5.1.1", "5.1.1")
    );
    let v = bounce(Some("5.7.9"), Some(554), "554 5.7.9 see help page");
    assert_eq!(v.rule, "status:5.7.x");
    let v = bounce(None, Some(552), "552 see help page");
    assert_eq!(v.rule, "reply:552");
}

#[test]
fn hint_and_provider_label_weigh_in() {
    let v = classify_parts(&Parts {
        hint: Some(Reason::HasMoved),
        diagnostic: Some("550 user unknown"),
        ..Parts::bounce()
    });
    assert_eq!(
        (v.reason, v.rule.as_str()),
        (Reason::HasMoved, "hint:has_moved")
    );
    let v = classify_parts(&Parts {
        provider: Some("ses"),
        provider_label: Some("Permanent/General"),
        ..Parts::bounce()
    });
    assert_eq!(
        (v.reason, v.class, v.rule.as_str()),
        (
            Reason::UserUnknown,
            Class::Hard,
            "provider:ses:permanent/general"
        )
    );
    let v = classify_parts(&Parts {
        provider: Some("sendgrid"),
        provider_label: Some("Reputation"),
        diagnostic: Some("550 mailbox full"),
        ..Parts::bounce()
    });
    assert_eq!(
        v.reason,
        Reason::MailboxFull,
        "the receiver's own words beat the provider's bucket"
    );
}

#[test]
fn kinds_decide_before_rules() {
    let k = |kind| {
        classify_parts(&Parts {
            kind,
            diagnostic: Some("550 5.1.1 user unknown"),
            ..Parts::bounce()
        })
    };
    assert_eq!(k(Kind::Delivered).class, Class::None);
    assert_eq!(k(Kind::Sent).class, Class::None);
    assert_eq!(k(Kind::AutoReply).reason, Reason::AutoReply);
    assert_eq!(k(Kind::Complaint).class, Class::Complaint);
    assert_eq!(k(Kind::Unsubscribe).class, Class::Unsubscribe);
    assert_eq!(
        (k(Kind::Suppressed).reason, k(Kind::Suppressed).class),
        (Reason::Suppressed, Class::None)
    );
    let sup = |label| {
        classify_parts(&Parts {
            kind: Kind::Suppressed,
            provider_label: Some(label),
            ..Parts::bounce()
        })
        .class
    };
    assert_eq!(sup("Bounced Address"), Class::Hard);
    assert_eq!(sup("suppress-unsubscribe"), Class::Unsubscribe);
    assert_eq!(sup("Spam Reporting Address"), Class::Complaint);
    let d = k(Kind::Deferred);
    assert_eq!(
        (d.reason, d.class),
        (Reason::UserUnknown, Class::Soft),
        "a deferral is never final"
    );
    let d = classify_parts(&Parts {
        kind: Kind::Deferred,
        diagnostic: Some("452 4.2.2 over quota"),
        ..Parts::bounce()
    });
    assert_eq!((d.reason, d.class), (Reason::MailboxFull, Class::Soft));
    let s = classify_parts(&Parts {
        status: Some("2.0.0"),
        ..Parts::bounce()
    });
    assert_eq!((s.reason, s.class), (Reason::Delivered, Class::None));
}

#[test]
fn classify_fills_the_event() {
    let mut ev = Event::new(
        Channel::Email,
        Kind::Bounce,
        "ana@example.com",
        Default::default(),
    );
    ev.status = Some("5.1.1".into());
    ev.diagnostic = Some("smtp; 550 5.1.1 <ana@example.com>... User Unknown".into());
    classify(&mut ev);
    assert_eq!(
        (ev.verdict.reason, ev.verdict.class),
        (Reason::UserUnknown, Class::Hard)
    );
    assert_eq!(ev.verdict.rule, "phrase:user_unknown_plain:user unknown");
    assert_eq!(ev.verdict.evidence, "User Unknown");
}

#[test]
fn suppressed_event_keeps_an_importer_verdict() {
    let mut ev = Event::new(
        Channel::Email,
        Kind::Suppressed,
        "ana@example.com",
        Default::default(),
    );
    ev.verdict = Verdict {
        class: Class::Hard,
        reason: Reason::Suppressed,
        rule: "sendgrid:dropped".into(),
        evidence: String::new(),
    };
    classify(&mut ev);
    assert_eq!(ev.verdict.rule, "sendgrid:dropped");
}

#[test]
fn sms_events_use_provider_codes() {
    let sms = |provider, code| {
        classify_parts(&Parts {
            channel: Channel::Sms,
            provider: Some(provider),
            reply_code: Some(code),
            ..Parts::bounce()
        })
    };
    assert_eq!(
        (sms("twilio", 30005).reason, sms("twilio", 30005).class),
        (Reason::SmsInvalidNumber, Class::Hard)
    );
    assert_eq!(sms("twilio", 30003).class, Class::Soft);
    assert_eq!(sms("twilio", 30007).class, Class::Block);
    assert_eq!(sms("twilio", 21610).class, Class::Unsubscribe);
    assert_eq!(sms("vonage", 6).class, Class::Block);
    assert_eq!(sms("vonage", 2).reason, Reason::SmsUnreachable);
}

#[test]
fn class_of_is_consistent_for_every_reason() {
    for r in Reason::ALL {
        let c = class_of(*r, None);
        let expect_none = matches!(
            r,
            Reason::Suppressed | Reason::AutoReply | Reason::Delivered
        );
        assert_eq!(c == Class::None, expect_none, "{r}");
    }
    assert_eq!(class_of(Reason::NotAccept, Some("4.0.0")), Class::Soft);
    assert_eq!(class_of(Reason::NotAccept, Some("5.1.10")), Class::Hard);
    assert_eq!(class_of(Reason::SyntaxError, Some("5.5.2")), Class::Soft);
    assert_eq!(class_of(Reason::SyntaxError, Some("5.1.3")), Class::Hard);
}

#[test]
fn hostile_input_is_bounded_and_safe() {
    let mut big = "x".repeat(10 * 1024 * 1024);
    big.push_str(" user unknown");
    let t = std::time::Instant::now();
    let v = classify_parts(&Parts {
        diagnostic: Some(&big),
        ..Parts::bounce()
    });
    assert_eq!(
        v.reason,
        Reason::Unknown,
        "text past the scan window is ignored"
    );
    assert!(t.elapsed().as_millis() < 500);
    let weird = "\u{0}\u{feff}ü\r\n550-\t5.1.1.1.1 \u{202e}";
    let _ = classify_parts(&Parts {
        diagnostic: Some(weird),
        status: Some("5.."),
        ..Parts::bounce()
    });
}

#[test]
fn exchange_directory_block_is_unknown_only_under_5_4_1() {
    let v = bounce(
        Some("5.4.1"),
        Some(550),
        "550 5.4.1 [ana@example.org]: Recipient address rejected: Access denied",
    );
    assert_eq!((v.reason, v.class), (Reason::UserUnknown, Class::Hard));
    let v = bounce(
        Some("5.7.1"),
        Some(554),
        "554 5.7.1 <ana@example.org>: Recipient address rejected: Access denied",
    );
    assert_eq!((v.reason, v.class), (Reason::Policy, Class::Block));
}

#[test]
fn spanish_and_vietnamese_common_cases() {
    let cases: &[(&str, Reason)] = &[
        (
            "550 5.1.1 La dirección de correo no existe",
            Reason::UserUnknown,
        ),
        ("550 Cuenta inactiva", Reason::MailboxDisabled),
        ("552 El buzón está lleno", Reason::MailboxFull),
        ("554 Remitente rechazado", Reason::SenderRejected),
        (
            "550 Dirección IP bloqueada por lista negra",
            Reason::Blocked,
        ),
        ("550 Địa chỉ người nhận không tồn tại", Reason::UserUnknown),
        ("552 Hộp thư của người nhận đã đầy", Reason::MailboxFull),
        ("550 Tài khoản bị tạm ngưng", Reason::MailboxDisabled),
        ("554 Thư bị từ chối vì thư rác", Reason::SpamDetected),
        ("550 Máy chủ gửi bị chặn", Reason::Blocked),
    ];
    for (diag, reason) in cases {
        assert_eq!(bounce(None, None, diag).reason, *reason, "{diag}");
    }
}

/// Pseudo-random strings (fixed seed) from a pool of bytes and characters that
/// stress char boundaries, digits and phrase fragments: no input may panic.
#[test]
fn random_input_never_panics() {
    let pool = [
        "5", ".", "1", " ", "-", "550", "é", "ü", "日", "\u{feff}", "\r\n", "user", "unknown", "#",
        "*", "ª", "İ", "\u{0}",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(pool[(x % pool.len() as u64) as usize]);
        }
        let status = s.get(..s.len().min(7)).unwrap_or("");
        let v = classify_parts(&Parts {
            status: Some(status),
            reply_code: Some((x % 700) as u32),
            diagnostic: Some(&s),
            ..Parts::bounce()
        });
        assert!(!v.rule.is_empty());
        let _ = classify_parts(&Parts {
            channel: Channel::Sms,
            diagnostic: Some(&s),
            provider_label: Some(&s),
            ..Parts::bounce()
        });
    }
}

#[test]
fn smtp_stage_settles_user_unknown() {
    let at = |cmd: &'static str, status: Option<&'static str>| {
        classify_parts(&Parts { status, smtp_command: Some(cmd), diagnostic: Some("550 Unknown user ana@example.jp"), ..Parts::bounce() })
    };
    // After DATA the mailbox had been accepted: a filter speaking.
    let v = at("DATA", Some("5.0.0"));
    assert_eq!((v.reason, v.class), (Reason::Policy, Class::Block));
    assert!(v.rule.ends_with("+smtp:data") && v.evidence.contains("DATA"), "{v:?}");
    // A 5.1.1 next to it confirms the mailbox is unknown, whatever the stage.
    assert_eq!(at("DATA", Some("5.1.1")).reason, Reason::UserUnknown);
    // In reply to RCPT TO it is about the address.
    let v = at("RCPT", Some("5.0.0"));
    assert_eq!((v.reason, v.class, v.rule.as_str()), (Reason::UserUnknown, Class::Hard, "phrase:user_unknown_plain:unknown user"));
    // At MAIL FROM the unknown user is our own sender.
    let v = at("MAIL", None);
    assert_eq!((v.reason, v.class), (Reason::SenderRejected, Class::Block));
    assert!(v.rule.ends_with("+smtp:mail"), "{v:?}");
    // Other reasons do not move with the stage.
    let full = classify_parts(&Parts { smtp_command: Some("DATA"), diagnostic: Some("552 mailbox full"), ..Parts::bounce() });
    assert_eq!(full.reason, Reason::MailboxFull);
}

#[test]
fn stage_decides_when_words_say_nothing() {
    let at = |cmd: &'static str, status: &'static str, diag: &'static str| {
        classify_parts(&Parts { status: Some(status), smtp_command: Some(cmd), diagnostic: Some(diag), ..Parts::bounce() })
    };
    let v = at("MAIL", "5.7.1", "550 5.7.1 Access denied");
    assert_eq!((v.reason, v.class, v.rule.as_str()), (Reason::SenderRejected, Class::Block, "smtp:mail"));
    let v = at("HELO", "5.0.0", "550 Rejected");
    assert_eq!((v.reason, v.rule.as_str()), (Reason::Blocked, "smtp:helo"));
    // Transient answers at the greeting are load, not a verdict on us.
    assert_ne!(at("CONN", "4.0.0", "421 try later").reason, Reason::Blocked);
    // Telling words and specific codes still win.
    assert_eq!(at("MAIL", "5.3.4", "552 message size exceeds fixed limit").reason, Reason::MessageTooBig);
    // At RCPT TO only the recipient was new: a wordless refusal is about it.
    let v = at("RCPT", "5.0.0", "550 <ana@example.com>: Recipient address rejected.");
    assert_eq!((v.reason, v.class, v.rule.as_str()), (Reason::UserUnknown, Class::Hard, "smtp:rcpt"));
    assert_ne!(at("RCPT", "4.0.0", "450 try again later").reason, Reason::UserUnknown);
}

#[test]
fn user_unknown_under_5_2_1_needs_the_rcpt_stage() {
    let v = |cmd: Option<&'static str>| {
        classify_parts(&Parts { status: Some("5.2.1"), smtp_command: cmd, diagnostic: Some("550 5.2.1 <a@example.jp>... User Unknown"), ..Parts::bounce() })
    };
    let off = v(None);
    assert_eq!((off.reason, off.class), (Reason::Policy, Class::Block));
    assert!(off.rule.ends_with("+status:5.2.1"), "{off:?}");
    assert_eq!(v(Some("RCPT")).reason, Reason::UserUnknown);
}

#[test]
fn bare_user_unknown_needs_a_confirmation() {
    let v = |status: Option<&'static str>, cmd: Option<&'static str>, diag: &'static str| {
        classify_parts(&Parts { status, smtp_command: cmd, diagnostic: Some(diag), ..Parts::bounce() })
    };
    // Nothing confirms the words: read as a filter.
    let none = v(Some("5.0.0"), None, "550 user unknown");
    assert_eq!((none.reason, none.class), (Reason::Policy, Class::Block));
    assert!(none.rule.ends_with("+unconfirmed"), "{none:?}");
    // The template with an empty recipient slot answered DATA.
    let empty = v(None, None, "550: : User unknown");
    assert!(empty.rule.ends_with("+empty_recipient"), "{empty:?}");
    assert!(v(None, None, "550 :User unknown").rule.ends_with("+unconfirmed"));
    // Each confirmation on its own makes it a missing mailbox.
    assert_eq!(v(Some("5.1.1"), None, "550 user unknown").reason, Reason::UserUnknown);
    assert_eq!(v(Some("5.1.10"), None, "550 user unknown").reason, Reason::UserUnknown);
    assert_eq!(v(None, Some("RCPT"), "550 user unknown").reason, Reason::UserUnknown);
    assert_eq!(v(None, None, "550 <ana@example.com>: User unknown").reason, Reason::UserUnknown);
    // A directory's own sentence needs no confirmation.
    assert_eq!(v(None, None, "User ana (ana@example.com) not listed in Domino Directory").reason, Reason::UserUnknown);
    assert_eq!(v(None, None, "The recipient name is not recognized").reason, Reason::UserUnknown);
}
