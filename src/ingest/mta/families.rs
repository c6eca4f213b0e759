//! The registry of MTA and mailbox-provider families: which software or provider
//! sent a bounce, from the signatures each family module declares, and the hooks
//! through which a family adds what differs from the shared readers (`text`,
//! `stage`, `scan` and the DSN reader).
//!
//! A family module declares a [`Family`]: its name (the event's `provider`), its
//! signatures, and optionally a reader of its own format (`parse`) or corrections
//! after the shared readers ran (`refine`). Each module carries unit tests on
//! hand-written fixtures (tests/fixtures/mta/, listed in its README.md).

use super::*;
use crate::ingest::mailbox::message::{Finding, Mail};
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// Where a signature is looked for.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Place {
    /// The bounce's own From address, lowercased.
    From,
    /// The bounce's top-level header block (names and values, first 8 KB).
    Headers,
    /// The first 4 KB of the human-readable report.
    Text,
}

/// A signature: where to look and the needle (lowercase, matched case-insensitively).
pub(crate) type Signature = (Place, &'static str);

/// A family's whole reader; `None` lets the shared readers work.
pub(crate) type Parse = fn(&Mail<'_>) -> Option<Vec<Finding>>;

/// Corrections a family makes to what the shared readers found.
pub(crate) type Refine = fn(&Mail<'_>, &mut [Finding]);

pub(crate) struct Family {
    pub name: &'static str,
    pub signatures: &'static [Signature],
    pub parse: Option<Parse>,
    pub refine: Option<Refine>,
}

impl Family {
    /// A family known by its signatures only.
    pub const fn plain(name: &'static str, signatures: &'static [Signature]) -> Self {
        Family { name, signatures, parse: None, refine: None }
    }
}

/// Every family, in precedence order: when several match, the one listed first
/// wins. Providers come before the MTA software they run, since a provider's
/// bounce often also names its MTA.
static ALL: &[&Family] = &[
    &amazonses::AMAZON_SES,
    &fml::FML,
    &amazonworkmail::AMAZON_WORKMAIL,
    &google::GOOGLEGROUPS,
    &google::GMAIL,
    &yahoo::YAHOO,
    &yahoo::AOL,
    &microsoft::OUTLOOK,
    &microsoft::OFFICE365,
    &mailru::MAILRU,
    &yandex::YANDEX,
    &gmx::GMX,
    &einsundeins::EINSUNDEINS,
    &zoho::ZOHO,
    &icloud::ICLOUD,
    &ezweb::EZWEB,
    &kddi::KDDI,
    &docomo::DOCOMO,
    &biglobe::BIGLOBE,
    &messagelabs::MESSAGELABS,
    &mimecast::MIMECAST,
    &proofpoint::PROOFPOINT,
    &barracuda::BARRACUDA,
    &ironport::IRONPORT,
    &trendmicro::TRENDMICRO,
    &mcafee::MCAFEE,
    &mxlogic::MXLOGIC,
    &verizon::VERIZON,
    &notes::DOMINO,
    &powermta::POWERMTA,
    &notes::NOTES,
    &microsoft::EXCHANGE,
    &dragonfly::DRAGONFLY,
    &opensmtpd::OPENSMTPD,
    &courier::COURIER,
    &qmail::QMAIL,
    &exim::EXIM,
    &postfix::POSTFIX,
    &sendmail::SENDMAIL,
    &imailserver::IMAILSERVER,
    &messagingserver::MESSAGINGSERVER,
    &apachejames::APACHEJAMES,
];

/// Every signature of every family, flattened in precedence order: the position
/// in this list decides between matches.
static SIGNATURES: LazyLock<Vec<(&'static Family, Place, &'static str)>> = LazyLock::new(|| {
    ALL.iter().flat_map(|f| f.signatures.iter().map(move |(p, n)| (*f, *p, *n))).collect()
});

/// One automaton per place over its needles, so a message is scanned once
/// whatever the number of signatures. Pattern ids map back to SIGNATURES.
type Matcher = Option<(AhoCorasick, Vec<usize>)>;

struct Matchers {
    headers: Matcher,
    text: Matcher,
}

fn build(place: Place) -> Matcher {
    let idx: Vec<usize> = SIGNATURES.iter().enumerate().filter(|(_, s)| s.1 == place).map(|(i, _)| i).collect();
    let needles: Vec<&str> = idx.iter().filter_map(|&i| SIGNATURES.get(i).map(|s| s.2)).collect();
    // Leftmost-longest: where one needle starts another (`x-ms-` and
    // `x-ms-exchange-crosstenant`), the longer, more specific one is reported.
    // Case-sensitive over a lowercased haystack (the needles are lowercase):
    // aho-corasick's SIMD prefilter only works without its own case folding,
    // and a byte-by-byte DFA walk over every header was the costliest scan.
    let ac = AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(needles)
        .ok()?;
    Some((ac, idx))
}

static MATCHERS: LazyLock<Matchers> = LazyLock::new(|| Matchers { headers: build(Place::Headers), text: build(Place::Text) });

fn best(m: &Matcher, hay: &[u8], best: &mut usize) {
    let Some((ac, idx)) = m else { return };
    // Non-overlapping matches are enough: signatures rarely overlap, and the
    // overlapping search cost a tenth of the whole parse.
    for hit in ac.find_iter(hay) {
        if let Some(&i) = idx.get(hit.pattern().as_usize()) {
            *best = (*best).min(i);
        }
    }
}

/// The family (provider or MTA software) that sent the bounce, if recognized.
pub fn family(mail: &Mail<'_>) -> Option<&'static str> {
    let from = mail.from.to_ascii_lowercase();
    let mut top = SIGNATURES.iter().position(|(_, p, n)| *p == Place::From && from.contains(n)).unwrap_or(usize::MAX);
    // Lowercased (ASCII) copies: the matchers are case-sensitive, see `build`.
    let mut headers: Vec<u8> = Vec::with_capacity(4096);
    for (n, v) in mail.all_headers() {
        headers.extend_from_slice(n.as_bytes());
        headers.extend_from_slice(b": ");
        // A hostile 10 MB header value must not be copied and scanned whole.
        headers.extend_from_slice(crate::classify::text_prefix(v, 8 * 1024).as_bytes());
        headers.push(b'\n');
        if headers.len() > 8 * 1024 {
            break;
        }
    }
    headers.make_ascii_lowercase();
    best(&MATCHERS.headers, &headers, &mut top);
    let text = mail.text.as_bytes();
    headers.clear();
    headers.extend_from_slice(text.get(..text.len().min(4096)).unwrap_or(text));
    headers.make_ascii_lowercase();
    best(&MATCHERS.text, &headers, &mut top);
    SIGNATURES.get(top).map(|s| s.0.name)
}

fn by_name(name: Option<&'static str>) -> Option<&'static Family> {
    let name = name?;
    ALL.iter().copied().find(|f| f.name == name)
}

/// The family's own reader; `None` lets the shared readers work.
pub fn parse(mail: &Mail<'_>, family: Option<&'static str>) -> Option<Vec<Finding>> {
    by_name(family).and_then(|f| f.parse).and_then(|p| p(mail))
}

/// Lets the family correct what the shared readers found.
pub fn refine(mail: &Mail<'_>, family: Option<&'static str>, found: &mut [Finding]) {
    if let Some(r) = by_name(family).and_then(|f| f.refine) {
        r(mail, found);
    }
}

/// The names of every registered family, in precedence order.
pub fn names() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small bounce carrying one signature and nothing else that is telling.
    fn carrying(place: Place, needle: &str) -> String {
        let from = match place {
            Place::From if needle.starts_with('@') => format!("mailer-daemon{needle}"),
            Place::From => format!("mailer-daemon@mx.{needle}example"),
            _ => "mailer-daemon@mx.example.net".to_string(),
        };
        let header = match (place, needle.split_once(": ")) {
            (Place::Headers, Some((name, value))) => format!("{name}: {value}\n"),
            // A trailing character keeps needles that end in a space (`(qmail `).
            (Place::Headers, None) => format!("X-Sig: {needle}1\n"),
            _ => String::new(),
        };
        let text = if place == Place::Text { needle } else { "" };
        format!("From: {from}\nTo: news@shop.example\nSubject: failure notice\n{header}\n<ana@example.org>: 550 5.1.1 user unknown\n{text}\n")
    }

    #[test]
    fn every_signature_names_its_family() {
        for f in ALL {
            for (place, needle) in f.signatures {
                let run = super::super::testkit::run(&carrying(*place, needle));
                assert_eq!(run.family.as_deref(), Some(f.name), "{place:?} {needle:?}");
            }
        }
    }

    #[test]
    fn names_are_unique_and_every_family_has_a_signature() {
        let mut seen = std::collections::BTreeSet::new();
        for f in ALL {
            assert!(seen.insert(f.name), "{} registered twice", f.name);
            assert!(!f.signatures.is_empty(), "{} has no signature", f.name);
            for (_, n) in f.signatures {
                assert_eq!(n.to_ascii_lowercase(), *n, "{}: signature {n:?} not lowercase", f.name);
            }
        }
    }
}
