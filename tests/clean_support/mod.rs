//! Shared by the tests/clean_*.rs files: test databases built through the real
//! import transaction (verdicts set by hand, no classifier), and output readers.
#![allow(dead_code)]

use rebound::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
use rebound::store::{NewImport, Store};
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contacts")
}

/// One stored outcome with the verdict a classifier would give.
pub fn event(rcpt: &str, kind: Kind, class: Class, reason: Reason, at: Option<i64>) -> Event {
    let mut e = Event::new(
        Channel::Email,
        kind,
        rcpt,
        Source {
            file: "bounces.mbox".into(),
            locator: "#7".into(),
            offset: None,
        },
    );
    e.occurred_at = at.and_then(|t| chrono::DateTime::from_timestamp(t, 0));
    e.campaign = Some(CampaignRef {
        key: "spring-2024".into(),
        name: Some("Spring sale".into()),
    });
    e.verdict = Verdict {
        class,
        reason,
        rule: "test".into(),
        evidence: String::new(),
    };
    e
}

pub fn hard(rcpt: &str, diagnostic: &str) -> Event {
    let mut e = event(
        rcpt,
        Kind::Bounce,
        Class::Hard,
        Reason::UserUnknown,
        Some(1_709_367_300),
    );
    e.diagnostic = Some(diagnostic.into());
    e.status = Some("5.1.1".into());
    e
}

pub fn store_with(path: &Path, events: &[Event]) -> Store {
    let mut store = Store::open(path).unwrap();
    let meta = NewImport {
        file_name: "bounces.mbox".into(),
        file_path: "/data/bounces.mbox".into(),
        size_bytes: 1,
        sha256: "00".into(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    };
    let mut tx = store.begin_import(&meta).unwrap();
    for e in events {
        tx.add_event(e, &e.fingerprint(None)).unwrap();
    }
    tx.commit().unwrap();
    store
}

/// Decodes an output file the way a spreadsheet would: BOM-sniffed UTF-8/UTF-16, else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0xEF, 0xBB, 0xBF])
    {
        let (enc, _) = encoding_rs::Encoding::for_bom(bytes).unwrap();
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

pub fn records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A spreadsheet would run a cell that starts with one of these as a formula (CSV injection).
pub fn assert_no_formula<'a>(cells: impl IntoIterator<Item = &'a String>, what: &str) {
    for c in cells {
        assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{what}: unsafe cell {c:?}");
    }
}
