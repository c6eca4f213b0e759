//! Decisions on small in-memory lists; the file-level behaviour is in tests/clean_*.rs.

use super::*;
use crate::model::{CampaignRef, Channel, Class, Event, Kind, Reason, Source, Verdict};
use crate::store::NewImport;

fn store_with(events: &[Event]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let meta = NewImport {
        file_name: "b.mbox".into(),
        file_path: "/tmp/b.mbox".into(),
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

fn ev(rcpt: &str, kind: Kind, class: Class, reason: Reason, at: i64) -> Event {
    let mut e = Event::new(
        Channel::Email,
        kind,
        rcpt,
        Source {
            file: "b.mbox".into(),
            locator: format!("#{at}"),
            offset: None,
        },
    );
    e.occurred_at = chrono::DateTime::from_timestamp(at, 0);
    e.campaign = Some(CampaignRef {
        key: "spring".into(),
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

#[test]
fn decisions_follow_the_policy_and_cite_the_store() {
    let store = store_with(&[
        ev(
            "Hard@Example.com",
            Kind::Bounce,
            Class::Hard,
            Reason::UserUnknown,
            1_709_367_300,
        ),
        ev(
            "blocked@example.com",
            Kind::Bounce,
            Class::Block,
            Reason::Blocked,
            1_709_367_300,
        ),
    ]);
    let evidence = Evidence::load(&store).unwrap();
    let policy = Policy::default();
    let mut d = Decider::new(&evidence, &policy, 0);
    let (f, _) = d.decide(Some("hard@EXAMPLE.com"), None, 1);
    assert_eq!(f[0].why, Why::HardBounce);
    assert!(f[0].remove);
    assert!(
        f[0].evidence
            .starts_with("2024-03-02 | campaign: Spring sale (spring) | user_unknown"),
        "{}",
        f[0].evidence
    );
    let (f, _) = d.decide(Some("blocked@example.com"), None, 2);
    assert_eq!((f[0].why, f[0].remove), (Why::Blocked, false));
    let (f, _) = d.decide(Some("info@gmial.com"), None, 3);
    assert_eq!(
        f.iter().map(|f| f.why).collect::<Vec<_>>(),
        vec![Why::DomainTypo, Why::RoleAccount]
    );
    assert!(f[0].evidence.contains("info@gmail.com"));
    let (f, _) = d.decide(Some(" INFO@gmial.com "), None, 4);
    assert_eq!(
        f.last().map(|f| (f.why, f.evidence.as_str())),
        Some((Why::Duplicate, "same address as row 3"))
    );
    let (f, _) = d.decide(Some("not an address"), None, 5);
    assert_eq!((f[0].why, f[0].remove), (Why::InvalidAddress, false));
    let strict = Policy {
        remove_invalid: true,
        ..Policy::default()
    };
    let mut d = Decider::new(&evidence, &strict, 0);
    assert!(d.decide(Some("nope"), None, 1).0[0].remove);
}

#[test]
fn sms_numbers_match_in_e164() {
    let mut e = ev(
        "+12025550101",
        Kind::Unsubscribe,
        Class::Unsubscribe,
        Reason::SmsOptedOut,
        1_709_367_300,
    );
    e.channel = Channel::Sms;
    let store = store_with(&[e]);
    let evidence = Evidence::load(&store).unwrap();
    let policy = Policy::default();
    let mut d = Decider::new(&evidence, &policy, 0);
    let (f, e164) = d.decide(None, Some("+1 (202) 555-0101"), 1);
    assert_eq!(e164.as_deref(), Some("+12025550101"));
    assert_eq!((f[0].why, f[0].remove), (Why::SmsOptedOut, true));
}

/// A list of `n` contacts in a temporary folder (kept alive by the returned guard).
fn big_list(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    let mut text = String::from("email,name\n");
    for i in 0..n {
        text.push_str(&format!("person{i}@example.com,Person {i}\n"));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn progress_counts_rows_and_bytes_up_to_the_whole_file() {
    let store = store_with(&[]);
    let (_dir, path) = big_list(10_000);
    let size = std::fs::metadata(&path).unwrap().len();
    let mut seen: Vec<CleanProgress> = Vec::new();
    let mut cb = |p: &CleanProgress| {
        seen.push(*p);
        true
    };
    let s = clean_with_progress(&store, &path, &Options::default(), None, &mut cb).unwrap();
    assert_eq!(s.rows, 10_000);
    // Every 4,096 rows (the header counts as a row read), then once at the end.
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].rows <= w[1].rows && w[0].done_bytes <= w[1].done_bytes));
    assert!(seen.iter().all(|p| p.total_bytes == size && p.done_bytes <= size));
    assert!(seen[0].done_bytes > 0 && seen[0].done_bytes < size);
    assert_eq!(seen.last().map(|p| p.done_bytes), Some(size));
}

#[test]
fn a_cancelled_save_stops_with_cancelled_and_writes_nothing() {
    let store = store_with(&[]);
    let (dir, path) = big_list(10_000);
    let outputs = Outputs {
        cleaned: Some(dir.path().join("out.cleaned.csv")),
        removed: Some(dir.path().join("out.removed.csv")),
        suppressions: Vec::new(),
    };
    let mut calls = 0;
    let mut cb = |_: &CleanProgress| {
        calls += 1;
        false
    };
    let e = clean_with_progress(&store, &path, &Options::default(), Some(&outputs), &mut cb).unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert_eq!(calls, 1, "stopped at the first report");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("contacts.csv")], "no output and no temporary file left");
    // Without the callback the same save writes both files.
    run(&store, &path, &Options::default(), &outputs).unwrap();
    assert!(outputs.cleaned.as_ref().is_some_and(|p| p.exists()));
}
