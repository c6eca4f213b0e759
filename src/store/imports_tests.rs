//! ImportTx: caches, rollback, deferred indexes, compact storage, recipient keys.

use super::*;
use crate::model::{Channel, Kind, OriginalMessage, Source};

fn meta(path: &str) -> NewImport {
    NewImport {
        file_name: "t.mbox".into(),
        file_path: path.into(),
        size_bytes: 1,
        sha256: String::new(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    }
}

fn ev(rcpt: &str, file: &str, diag: &str) -> Event {
    let mut e = Event::new(
        Channel::Email,
        Kind::Bounce,
        rcpt,
        Source {
            file: file.into(),
            locator: "#1".into(),
            offset: None,
        },
    );
    e.diagnostic = Some(diag.into());
    e.status = Some("5.1.1".into());
    e
}

#[test]
fn a_rolled_back_import_does_not_leave_cached_ids_behind() {
    let mut store = Store::open_in_memory().unwrap();
    {
        let mut tx = store.begin_import(&meta("/a.mbox")).unwrap();
        let e = ev("gone@example.com", "/a.mbox", "550 gone");
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
        // dropped: rolled back, the recipient and text rows never existed
    }
    let mut tx = store.begin_import(&meta("/b.mbox")).unwrap();
    let e = ev("gone@example.com", "/b.mbox", "550 gone");
    assert!(tx.add_event(&e, &e.fingerprint(None)).unwrap());
    tx.commit().unwrap();
    let (n, dangling): (i64, i64) = store
        .conn
        .query_row(
            "SELECT COUNT(*), SUM(r.id IS NULL OR t.id IS NULL) FROM events e LEFT JOIN recipients r ON r.id = e.recipient_id LEFT JOIN texts t ON t.id = e.diagnostic_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((n, dangling), (1, 0));
    let fk: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        fk, 1,
        "enforcement is back on after both a rollback and a commit"
    );
}

#[test]
fn ids_cached_by_one_import_serve_the_next() {
    let mut store = Store::open_in_memory().unwrap();
    for (i, file) in ["/a.mbox", "/b.mbox"].iter().enumerate() {
        let mut tx = store.begin_import(&meta(file)).unwrap();
        let mut e = ev("same@example.com", file, "550 same text");
        e.reply_code = Some(550 + i as u32);
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
        tx.commit().unwrap();
    }
    let counts: (i64, i64, i64) = store
        .conn
        .query_row("SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM recipients), (SELECT COUNT(*) FROM texts WHERE text = '550 same text')", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!(counts, (2, 1, 1));
}

#[test]
fn a_recipient_written_by_hand_is_found_by_its_key() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .conn
        .execute_batch("INSERT INTO recipients(address, domain, channel) VALUES ('same@example.com', 'example.com', 'email')")
        .unwrap();
    let mut tx = store.begin_import(&meta("/a.mbox")).unwrap();
    let e = ev("same@example.com", "/a.mbox", "550 gone");
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    let e = ev("other@example.com", "/a.mbox", "550 gone");
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    tx.commit().unwrap();
    let n = events_per_recipient(&store);
    assert_eq!(n, vec![("same@example.com".to_string(), 1), ("other@example.com".to_string(), 1)]);
}

/// Every recipient row with how many events point at it, in insertion order.
fn events_per_recipient(store: &Store) -> Vec<(String, i64)> {
    store
        .conn
        .prepare("SELECT r.address, COUNT(e.id) FROM recipients r LEFT JOIN events e ON e.recipient_id = r.id GROUP BY r.id ORDER BY r.id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn two_addresses_with_the_same_key_stay_apart() {
    let mut store = Store::open_in_memory().unwrap();
    // A row that took the key of b@example.com (a hash collision, made by hand).
    store
        .conn
        .execute(
            "INSERT INTO recipients(address, domain, channel, key) VALUES ('other@example.com', 'example.com', 'email', ?1)",
            [compact::address_key("b@example.com")],
        )
        .unwrap();
    for file in ["/a.mbox", "/b.mbox"] {
        let mut tx = store.begin_import(&meta(file)).unwrap();
        let e = ev("b@example.com", file, "550 gone");
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
        tx.commit().unwrap();
        store.ids.clear();
    }
    let rows = events_per_recipient(&store);
    assert_eq!(rows, vec![("other@example.com".to_string(), 0), ("b@example.com".to_string(), 1)]);
}

fn index_names(store: &Store) -> Vec<String> {
    store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_rows' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_big_import_rebuilds_the_indexes_it_dropped_and_a_rollback_keeps_them() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .conn
        .execute_batch("CREATE INDEX extra_by_time ON event_rows(occurred_at)")
        .unwrap();
    let before = index_names(&store);
    assert!(before.contains(&"events_by_recipient".to_string()));
    for keep in [false, true] {
        let mut tx = store.begin_import(&meta("/a.mbox")).unwrap();
        tx.defer_indexes_after(3);
        for i in 0..10 {
            let e = ev(&format!("u{i}@example.com"), "/a.mbox", "550 gone");
            assert!(tx.add_event(&e, &e.fingerprint(None)).unwrap());
            // The duplicate check keeps working with the secondary indexes gone.
            assert!(!tx.add_event(&e, &e.fingerprint(None)).unwrap());
        }
        assert!(tx.deferred.is_some());
        if keep {
            tx.commit().unwrap();
        } else {
            drop(tx);
        }
        assert_eq!(index_names(&store), before);
    }
    let n: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM event_rows INDEXED BY extra_by_time WHERE occurred_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 10, "the rebuilt index holds every row");
}

#[test]
fn compact_storage_keeps_meaning() {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("/a.mbox")).unwrap();
    let mut own = ev("x@example.com", "/a.mbox", "d");
    own.original = Some(OriginalMessage {
        subject: Some("Hi".into()),
        ..Default::default()
    });
    let mut inner = ev("y@example.com", "/a.zip/inner.eml", "550 <y@example.com> unknown, y@example.com");
    inner.source.locator = "#0042".into();
    let fp = own.fingerprint(None);
    assert!(tx.add_event(&own, &fp).unwrap());
    assert!(
        !tx.add_event(&own, &fp).unwrap(),
        "same fingerprint twice is one event"
    );
    tx.add_event(&inner, "not-hex-fingerprint").unwrap();
    tx.commit().unwrap();
    let rows: Vec<(String, Option<String>, String, String, String)> = store
        .conn
        .prepare(
            "SELECT source_file, original_json, typeof(fingerprint), source_locator, diagnostic FROM events ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows[0].0, "",
        "the import's own file is not repeated per event"
    );
    assert_eq!(rows[1].0, "/a.zip/inner.eml");
    assert_eq!((rows[0].2.as_str(), rows[1].2.as_str()), ("integer", "integer"));
    assert_eq!((rows[0].3.as_str(), rows[1].3.as_str()), ("#1", "#0042"));
    assert_eq!((rows[0].4.as_str(), rows[1].4.as_str()), ("d", "550 <y@example.com> unknown, y@example.com"));
    let raw: (String, String) = store
        .conn
        .query_row("SELECT typeof(source_locator), (SELECT text FROM texts WHERE id = -diagnostic) FROM event_rows ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(raw, ("text".to_string(), "550 <\u{1}> unknown, \u{1}".to_string()));
    let back: OriginalMessage = serde_json::from_str(rows[0].1.as_deref().unwrap()).unwrap();
    assert_eq!(
        back,
        OriginalMessage {
            subject: Some("Hi".into()),
            ..Default::default()
        }
    );
    assert_eq!(rows[0].1.as_deref(), Some(r#"{"subject":"Hi"}"#));
}
