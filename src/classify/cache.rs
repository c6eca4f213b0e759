//! A small per-thread memo of verdicts. `decide` reads nothing but its `Parts`
//! (static rule tables, no clock, no settings), so the same parts always give the
//! same verdict; a provider report repeats a handful of diagnostic texts for a
//! million rows, and a lookup replaces normalizing and phrase matching for them.

use super::Parts;
use crate::model::{Channel, Kind, Reason, Verdict};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// Entries kept per thread; when full the memo starts over, so the often repeated
/// texts come back at once while one-off texts cannot grow it without bound.
const MAX_ENTRIES: usize = 2048;
/// Longer diagnostics are classified every time (they are rarely repeated and
/// would make the memo's memory depend on the input).
const MAX_TEXT: usize = 512;

/// The owned copy of every field `decide` reads.
#[derive(PartialEq, Eq)]
struct Key {
    kind: Kind,
    channel: Channel,
    status: Option<String>,
    reply_code: Option<u32>,
    diagnostic: Option<String>,
    hint: Option<Reason>,
    provider: Option<String>,
    provider_label: Option<String>,
    smtp_command: Option<String>,
}

impl Key {
    fn of(p: &Parts) -> Key {
        Key {
            kind: p.kind,
            channel: p.channel,
            status: p.status.map(str::to_string),
            reply_code: p.reply_code,
            diagnostic: p.diagnostic.map(str::to_string),
            hint: p.hint,
            provider: p.provider.map(str::to_string),
            provider_label: p.provider_label.map(str::to_string),
            smtp_command: p.smtp_command.map(str::to_string),
        }
    }

    fn matches(&self, p: &Parts) -> bool {
        self.kind == p.kind
            && self.channel == p.channel
            && self.status.as_deref() == p.status
            && self.reply_code == p.reply_code
            && self.diagnostic.as_deref() == p.diagnostic
            && self.hint == p.hint
            && self.provider.as_deref() == p.provider
            && self.provider_label.as_deref() == p.provider_label
            && self.smtp_command.as_deref() == p.smtp_command
    }
}

/// Passes the already mixed hash through as the map's key hash.
#[derive(Default)]
struct Pass(u64);

impl Hasher for Pass {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Memo = HashMap<u64, Vec<(Key, Verdict)>, std::hash::BuildHasherDefault<Pass>>;

/// foldhash, seeded per thread: the diagnostic texts come from the file being read.
fn hash(seed: &foldhash::fast::RandomState, p: &Parts) -> u64 {
    seed.hash_one((
        (p.kind, p.channel, p.status, p.reply_code, p.diagnostic),
        (p.hint, p.provider, p.provider_label, p.smtp_command),
    ))
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
    static SEED: foldhash::fast::RandomState = foldhash::fast::RandomState::default();
}

/// The memoized `decide(p)`.
pub fn get_or(p: &Parts, decide: fn(&Parts) -> Verdict) -> Verdict {
    let long = |s: Option<&str>| s.is_some_and(|s| s.len() > MAX_TEXT);
    if long(p.diagnostic) || long(p.provider_label) || long(p.status) {
        return decide(p);
    }
    let h = SEED.with(|seed| hash(seed, p));
    let hit = MEMO.with(|m| {
        m.borrow()
            .get(&h)
            .and_then(|bucket| bucket.iter().find(|(k, _)| k.matches(p)))
            .map(|(_, v)| v.clone())
    });
    if let Some(v) = hit {
        return v;
    }
    let v = decide(p);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.entry(h).or_default().push((Key::of(p), v.clone()));
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(p: &Parts) -> Verdict {
        CALLS.with(|c| c.set(c.get() + 1));
        super::super::decide(p)
    }

    thread_local! {
        static CALLS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn same_parts_are_decided_once_and_any_field_tells_them_apart() {
        let mut p = Parts::bounce();
        p.diagnostic = Some("550 5.1.1 user unknown (cache test)");
        let a = get_or(&p, count);
        let b = get_or(&p, count);
        assert_eq!(a, b);
        assert_eq!(CALLS.with(|c| c.get()), 1);
        let mut q = p;
        q.smtp_command = Some("MAIL");
        let c = get_or(&q, count);
        assert_eq!(CALLS.with(|c| c.get()), 2);
        assert_eq!(c, super::super::decide(&q));
        assert_ne!(a.rule, c.rule, "at MAIL FROM the unknown user is our sender");
    }

    #[test]
    fn long_texts_bypass_the_memo_and_the_memo_stays_bounded() {
        let long = "x".repeat(MAX_TEXT + 1);
        let mut p = Parts::bounce();
        p.diagnostic = Some(&long);
        assert_eq!(get_or(&p, super::super::decide), super::super::decide(&p));
        for i in 0..(MAX_ENTRIES * 2) {
            let d = format!("550 mailbox {i} unavailable");
            let mut p = Parts::bounce();
            p.diagnostic = Some(&d);
            get_or(&p, super::super::decide);
        }
        MEMO.with(|m| assert!(m.borrow().len() <= MAX_ENTRIES));
    }
}
