//! Test helpers for the family modules: read a hand-written fixture from
//! tests/fixtures/mta/ through the whole message reader and the classifier.

use crate::model::{Class, Event, Reason, Source};

/// The classified events of one message, and the family the reader named.
pub struct Run {
    pub family: Option<String>,
    pub events: Vec<Event>,
}

impl Run {
    /// The event for `recipient`; panics with what was found instead.
    pub fn event(&self, recipient: &str) -> &Event {
        self.events.iter().find(|e| e.recipient == recipient).unwrap_or_else(|| {
            let got: Vec<&str> = self.events.iter().map(|e| e.recipient.as_str()).collect();
            panic!("no event for {recipient}; got {got:?}")
        })
    }

    /// Asserts the family, and the class and reason of `recipient`'s event.
    pub fn expect(&self, family: &str, recipient: &str, class: Class, reason: Reason) -> &Event {
        assert_eq!(self.family.as_deref(), Some(family), "family");
        let ev = self.event(recipient);
        assert_eq!((ev.verdict.class, ev.verdict.reason), (class, reason), "{recipient}: rule {} on {:?}", ev.verdict.rule, ev.diagnostic);
        ev
    }
}

/// Reads raw message text (LF line ends are fine).
pub fn run(raw: &str) -> Run {
    let mut events = crate::ingest::mailbox::message::analyze(raw.as_bytes(), &Source::default()).unwrap_or_default();
    for ev in &mut events {
        crate::classify::classify(ev);
    }
    let family = events.first().and_then(|e| e.provider.clone());
    Run { family, events }
}

/// Reads tests/fixtures/mta/`name`.
pub fn fixture(name: &str) -> Run {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mta").join(name);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    run(&raw)
}
