//! Diagnostic phrases → Reason, as data. One table per reason (some reasons have a
//! second, weaker table), matched all at once by a single Aho-Corasick automaton
//! over the normalized text, so the cost does not grow with the number of phrases.
//!
//! Rules of the data (checked by tests):
//! - phrases are lowercase, single-spaced, trimmed (they are matched against
//!   `text::normalize` output);
//! - an ASCII letter or digit at either end of a phrase must sit on a word boundary
//!   in the text (`spam` does not fire inside `spamhaus`); a trailing `*` lifts the
//!   end boundary (`quota exceed*` matches `quota exceeded`);
//! - when several tables match, the table listed first in [`TABLES`] wins; inside a
//!   table the earliest match in the text wins.

mod address;
mod mailbox;
mod sending;
mod transport;

use crate::model::Reason;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// One phrase of a table. `lang` is informative (ISO 639-1), `None` = English.
#[derive(Debug, Clone, Copy)]
pub struct Phrase {
    pub text: &'static str,
    pub lang: Option<&'static str>,
}

/// English phrase.
pub const fn en(text: &'static str) -> Phrase {
    Phrase { text, lang: None }
}

/// Phrase in another language.
pub const fn lang(code: &'static str, text: &'static str) -> Phrase {
    Phrase {
        text,
        lang: Some(code),
    }
}

/// A table of phrases that all mean one reason.
#[derive(Debug)]
pub struct Table {
    pub reason: Reason,
    /// Short name used in rule ids when a reason has a strong and a weak table.
    pub name: &'static str,
    pub phrases: &'static [Phrase],
}

/// Every table, strongest first. Order encodes precedence between reasons when a
/// diagnostic matches several (see docs/classification.md).
pub static TABLES: &[&Table] = &[
    &sending::VIRUS_DETECTED,
    &sending::AUTH_FAILED,
    &address::HAS_MOVED,
    &address::NOT_ACCEPT,
    &address::MAILBOX_DISABLED,
    &mailbox::MAILBOX_FULL,
    &mailbox::MESSAGE_TOO_BIG,
    &sending::RATE_LIMITED,
    &sending::RELAY_DENIED,
    &sending::SPAM_DETECTED,
    &sending::BLOCKED,
    &sending::SENDER_REJECTED,
    &address::USER_UNKNOWN,
    &address::USER_UNKNOWN_PLAIN,
    &transport::EXPIRED,
    &transport::NETWORK_ERROR,
    &address::HOST_UNKNOWN,
    &sending::CONTENT_ERROR,
    &sending::POLICY,
    &transport::SYSTEM_ERROR,
    &transport::MAILER_ERROR,
    &transport::CONNECT_FAILED,
    &address::SYNTAX_ERROR,
    &sending::CONNECT_STAGE,
    &sending::SENDER_STAGE,
    &transport::EXPIRED_WEAK,
];

/// Phrases that say the refusal came after the message body was sent (DATA stage):
/// a "user unknown" there is a content filter speaking, not a missing mailbox.
pub static DATA_STAGE: Table = Table {
    reason: Reason::Policy,
    name: "data_stage",
    phrases: &[
        en("after end of data"),
        en("in reply to end of data command"),
        en("smtp command data"),
        en("after data"),
        en("our final data"),
        en(">>> data"),
    ],
};

/// A phrase that matched: which table, which phrase, and where.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub table: &'static Table,
    pub phrase: &'static Phrase,
    /// Byte offset of the match in the normalized text.
    pub at: usize,
    /// Position of the table in [`TABLES`] (lower wins); DATA_STAGE comes last.
    pub rank: usize,
}

struct Matcher {
    ac: AhoCorasick,
    /// Pattern id → (table rank, table, phrase, end boundary required).
    pats: Vec<(usize, &'static Table, &'static Phrase, bool)>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut pats = Vec::new();
        let mut texts = Vec::new();
        let all = TABLES.iter().copied().chain(std::iter::once(&DATA_STAGE));
        for (rank, table) in all.enumerate() {
            for p in table.phrases {
                let (t, end_boundary) = match p.text.strip_suffix('*') {
                    Some(t) => (t, false),
                    None => (p.text, true),
                };
                texts.push(t);
                pats.push((rank, table, p, end_boundary));
            }
        }
        // Standard semantics so overlapping matches can all be seen; the tables are
        // static data, so a build failure is a programming error caught by the tests.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .unwrap_or_else(|e| panic!("phrase tables do not build: {e}"));
        Matcher { ac, pats }
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn on_boundary(text: &[u8], start: usize, end: usize, phrase: &str, end_boundary: bool) -> bool {
    let pb = phrase.as_bytes();
    let starts_word = pb.first().is_some_and(|&b| is_word_byte(b));
    let ends_word = pb.last().is_some_and(|&b| is_word_byte(b));
    if starts_word && start > 0 && text.get(start - 1).is_some_and(|&b| is_word_byte(b)) {
        return false;
    }
    if end_boundary && ends_word && text.get(end).is_some_and(|&b| is_word_byte(b)) {
        return false;
    }
    true
}

/// Every phrase hit in `norm` (already normalized), in text order.
pub fn hits(norm: &str) -> Vec<Hit> {
    let m = matcher();
    let bytes = norm.as_bytes();
    let mut out = Vec::new();
    for mat in m.ac.find_overlapping_iter(norm) {
        let Some(&(rank, table, phrase, end_b)) = m.pats.get(mat.pattern().as_usize()) else {
            continue;
        };
        let text = phrase.text.trim_end_matches('*');
        if on_boundary(bytes, mat.start(), mat.end(), text, end_b) {
            out.push(Hit {
                table,
                phrase,
                at: mat.start(),
                rank,
            });
        }
    }
    out
}

/// The deciding reason phrase: strongest table first, then earliest in the text.
pub fn best(hits: &[Hit]) -> Option<Hit> {
    hits.iter()
        .filter(|h| h.rank < TABLES.len())
        .min_by_key(|h| (h.rank, h.at))
        .copied()
}

/// The first DATA-stage marker, if any.
pub fn data_stage(hits: &[Hit]) -> Option<Hit> {
    hits.iter().find(|h| h.rank == TABLES.len()).copied()
}

#[cfg(test)]
mod tests;
