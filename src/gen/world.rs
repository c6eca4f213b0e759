//! The shared make-believe world every generated file draws from: recipients,
//! campaigns, failure scenarios and filler text. Recipients are a pure function
//! of their index, so a contact list can name the same people as a mailbox.

use super::rng::Rng;
use crate::model::{Class, Kind, Reason};
use chrono::{DateTime, Duration, TimeZone, Utc};

const FIRST: &[&str] = &[
    "ana", "bob", "carla", "dan", "elena", "minh", "lan", "hugo", "sofia", "tuan", "maria", "jose",
    "linh", "peter", "lucia", "quang", "sarah", "diego", "thu", "mark", "rosa", "khanh", "emma",
    "pablo", "hoa", "john", "ines", "nam",
];
const LAST: &[&str] = &[
    "lopez", "tran", "smith", "nguyen", "garcia", "pham", "jones", "martinez", "le", "brown",
    "sanchez", "vo", "miller", "perez", "hoang", "davis", "gomez", "bui", "wilson", "diaz",
];
/// Recipient domains: reserved example names, so nothing generated is a real mailbox.
pub const DOMAINS: &[&str] = &[
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "correo.example.es",
    "thu.example.vn",
    "webmail.example.net",
    "corp.example.org",
    "isp.example.jp",
    "student.example.edu",
    "shop.example.co.uk",
    "gmail.example",
    "outlook.example",
    "yahoo.example",
];

/// The address of recipient number `i` (stable across files and runs).
pub fn recipient(i: u64) -> String {
    let f = FIRST[(i % FIRST.len() as u64) as usize];
    let l = LAST[((i / FIRST.len() as u64) % LAST.len() as u64) as usize];
    let d = DOMAINS[((i.wrapping_mul(2654435761)) >> 7) as usize % DOMAINS.len()];
    format!("{f}.{l}{i}@{d}")
}

pub fn first_last(i: u64) -> (&'static str, &'static str) {
    (
        FIRST[(i % FIRST.len() as u64) as usize],
        LAST[((i / FIRST.len() as u64) % LAST.len() as u64) as usize],
    )
}

/// The phone of SMS recipient number `i`, E.164 (US 555 test range, Spain, Vietnam).
pub fn phone(i: u64) -> String {
    match i % 3 {
        0 => format!("+1202555{:04}", i % 10_000),
        1 => format!("+346{:08}", (i * 7919) % 100_000_000),
        _ => format!("+849{:08}", (i * 104_729) % 100_000_000),
    }
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub key: String,
    pub name: String,
    pub sent_at: DateTime<Utc>,
    pub numeric_id: u64,
}

const TITLES: &[&str] = &[
    "Spring Sale, Week {n}",
    "Newsletter {m} {y}",
    "Ưu đãi tháng {m}",
    "Rebajas de {m}",
    "Black Friday {y}",
    "New arrivals: {m}",
    "Boletín {m} {y}",
    "Bản tin tháng {m}",
    "Summer \"Hot\" Deals {n}",
    "Last chance, {m}!",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `n` campaigns, one a fortnight from 2023-01-02 on.
pub fn campaigns(rng: &mut Rng, n: usize) -> Vec<Campaign> {
    let start = Utc
        .with_ymd_and_hms(2023, 1, 2, 8, 0, 0)
        .single()
        .unwrap_or_default();
    (0..n)
        .map(|i| {
            let sent_at =
                start + Duration::days(14 * i as i64) + Duration::minutes(rng.below(600) as i64);
            let m = MONTHS[(sent_at
                .format("%m")
                .to_string()
                .parse::<usize>()
                .unwrap_or(1)
                + 11)
                % 12];
            let y = sent_at.format("%Y").to_string();
            let name = rng
                .pick(TITLES)
                .replace("{n}", &(i % 4 + 1).to_string())
                .replace("{m}", m)
                .replace("{y}", &y);
            Campaign {
                key: format!("cmp-{}-{:03}", sent_at.format("%Y%m%d"), i),
                name,
                sent_at,
                numeric_id: 10_000 + i as u64,
            }
        })
        .collect()
}

/// One way a delivery can fail, with what Rebound is expected to conclude.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub kind: Kind,
    pub class: Class,
    pub reason: Reason,
    pub status: &'static str,
    pub reply: Option<u32>,
    /// `{rcpt}`, `{domain}` and `{ip}` are filled in.
    pub diagnostic: &'static str,
}

const fn sc(
    kind: Kind,
    class: Class,
    reason: Reason,
    status: &'static str,
    reply: Option<u32>,
    diagnostic: &'static str,
) -> Scenario {
    Scenario {
        kind,
        class,
        reason,
        status,
        reply,
        diagnostic,
    }
}

use Class::{Block, Hard, Soft};
use Kind::{Bounce, Deferred};

/// Mailbox bounce scenarios, weighted roughly as a newsletter sees them.
pub const SCENARIOS: &[(u32, Scenario)] = &[
    (30, sc(Bounce, Hard, Reason::UserUnknown, "5.1.1", Some(550), "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table")),
    (14, sc(Bounce, Hard, Reason::UserUnknown, "5.1.1", Some(550), "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.")),
    (8, sc(Bounce, Hard, Reason::UserUnknown, "5.1.10", Some(550), "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup")),
    (6, sc(Bounce, Hard, Reason::HostUnknown, "5.1.2", None, "Host or domain name not found. Name service error for name={domain} type=MX: Host not found")),
    (5, sc(Bounce, Hard, Reason::MailboxDisabled, "5.2.1", Some(550), "550 5.2.1 The email account that you tried to reach is disabled.")),
    (7, sc(Bounce, Soft, Reason::MailboxFull, "5.2.2", Some(552), "552 5.2.2 <{rcpt}>: Mailbox full, quota exceeded")),
    (6, sc(Deferred, Soft, Reason::MailboxFull, "4.2.2", Some(452), "452 4.2.2 The email account that you tried to reach is over quota.")),
    (5, sc(Bounce, Block, Reason::Blocked, "5.7.1", Some(554), "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.example; see https://www.spamhaus.example/query/ip/{ip}")),
    (4, sc(Bounce, Block, Reason::AuthFailed, "5.7.26", Some(550), "550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM.")),
    (3, sc(Bounce, Block, Reason::SpamDetected, "5.7.1", Some(550), "550 5.7.1 Message rejected as spam by Content Filtering.")),
    (3, sc(Bounce, Soft, Reason::MessageTooBig, "5.3.4", Some(552), "552 5.3.4 Message size exceeds fixed limit")),
    (3, sc(Bounce, Soft, Reason::Expired, "4.4.7", None, "delivery temporarily suspended: connect to mx.{domain}[{ip}]:25: Connection timed out")),
    (4, sc(Deferred, Soft, Reason::RateLimited, "4.7.0", Some(421), "421 4.7.0 Try again later, closing connection. (EHLO) too many messages from your IP")),
    (2, sc(Bounce, Hard, Reason::NotAccept, "5.1.10", Some(556), "556 5.1.10 Recipient address has null MX")),
];

/// Filler prose for message bodies: a fixed pool of paragraphs built once per
/// run, so generating a gigabyte costs copies, not random draws per word.
pub struct Filler {
    paragraphs: Vec<String>,
}

const WORDS: &[&str] = &[
    "offer",
    "spring",
    "collection",
    "discount",
    "delivery",
    "free",
    "shipping",
    "our",
    "store",
    "new",
    "season",
    "customers",
    "favourite",
    "limited",
    "time",
    "only",
    "today",
    "style",
    "price",
    "quality",
    "order",
    "online",
    "ưu",
    "đãi",
    "mới",
    "nhất",
    "rebajas",
    "envío",
    "gratis",
    "tienda",
    "colección",
    "the",
    "and",
    "with",
    "for",
    "your",
    "every",
    "week",
    "members",
    "exclusive",
    "garden",
    "kitchen",
    "shoes",
    "jackets",
    "gift",
    "cards",
];

impl Filler {
    pub fn new(rng: &mut Rng) -> Filler {
        let paragraphs = (0..96)
            .map(|i| {
                let words = rng.range(40, 150) as usize;
                let mut p = String::with_capacity(words * 8);
                let mut col = 0;
                for w in 0..words {
                    let word = rng.pick(WORDS);
                    if w == 0 {
                        // Some paragraphs start with "From " so mbox writers must quote them.
                        p.push_str(if i % 16 == 0 { "From" } else { "Dear" });
                        col = 4;
                    }
                    if col > 66 {
                        p.push('\n');
                        col = 0;
                    } else {
                        p.push(' ');
                    }
                    p.push_str(word);
                    col += word.len() + 1;
                }
                p.push('.');
                p
            })
            .collect();
        Filler { paragraphs }
    }

    /// About `bytes` of text made of whole paragraphs, separated by blank lines.
    pub fn text(&self, rng: &mut Rng, bytes: usize, out: &mut String) {
        let start = out.len();
        while out.len() - start < bytes {
            out.push_str(rng.pick::<String>(&self.paragraphs));
            out.push_str("\n\n");
        }
    }

    /// The same in minimal HTML.
    pub fn html(&self, rng: &mut Rng, bytes: usize, out: &mut String) {
        let start = out.len();
        out.push_str("<!DOCTYPE html>\n<html><body style=\"font-family:Arial,sans-serif\">\n");
        while out.len() - start < bytes {
            out.push_str("<p>");
            out.push_str(rng.pick::<String>(&self.paragraphs));
            out.push_str("</p>\n");
        }
        out.push_str("</body></html>\n");
    }
}

/// A documentation-range IPv4 address (RFC 5737).
pub fn doc_ip(rng: &mut Rng) -> String {
    let net = rng.pick(&["192.0.2", "198.51.100", "203.0.113"]);
    format!("{net}.{}", rng.range(1, 254))
}

pub fn fill(template: &str, rcpt: &str, ip: &str) -> String {
    let domain = crate::model::recipient_domain(rcpt);
    template
        .replace("{rcpt}", rcpt)
        .replace("{domain}", domain)
        .replace("{ip}", ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_stable_and_distinct() {
        assert_eq!(recipient(5), recipient(5));
        assert_ne!(recipient(5), recipient(6));
        assert!(recipient(123).contains('@'));
        assert!(phone(4).starts_with('+'));
    }

    #[test]
    fn filler_reaches_the_requested_size() {
        let mut r = Rng::new(3);
        let f = Filler::new(&mut r);
        let mut s = String::new();
        f.text(&mut r, 5000, &mut s);
        assert!(s.len() >= 5000 && s.len() < 7000);
    }
}
