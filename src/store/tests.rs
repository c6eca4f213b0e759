//! Store contract: migrations, refusal of newer files, idempotent re-imports, rollback.

use super::*;
use crate::model::{CampaignRef, Channel, Event, Kind, Source};

fn bounce(rcpt: &str, status: &str) -> Event {
    let mut ev = Event::new(
        Channel::Email,
        Kind::Bounce,
        rcpt,
        Source {
            file: "t.mbox".into(),
            locator: "#1".into(),
            offset: None,
        },
    );
    ev.status = Some(status.into());
    ev.diagnostic = Some(format!("550 {status} no such user"));
    ev.campaign = Some(CampaignRef {
        key: "spring".into(),
        name: Some("Spring sale".into()),
    });
    crate::classify::classify(&mut ev);
    ev
}

fn meta() -> NewImport {
    NewImport {
        file_name: "t.mbox".into(),
        file_path: "/tmp/t.mbox".into(),
        size_bytes: 10,
        sha256: "00".into(),
        format: "mbox".into(),
        provider: None,
        detect_reason: None,
    }
}

fn import(store: &mut Store, events: &[Event]) -> (i64, i64) {
    let mut tx = store.begin_import(&meta()).unwrap();
    for e in events {
        tx.add_event(e, &e.fingerprint(None)).unwrap();
    }
    let (_, added, _) = tx.counts();
    (tx.commit().unwrap(), added)
}

#[test]
fn migrates_an_empty_file_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/rebound.sqlite");
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        schema::MIGRATIONS.len() as i64
    );
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    drop(store);
    // Opening again is a no-op migration and keeps data.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.overview().unwrap().events, 0);
}

/// The window and an import thread (or the app and the CLI) may open a brand-new file at
/// the same moment; both must end up with the current schema, neither with an error.
#[test]
fn connections_opening_a_new_file_at_once_all_succeed() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("race-{round}.sqlite"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for t in openers {
            let version = t.join().unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
            assert_eq!(version, schema::MIGRATIONS.len() as i64);
        }
    }
}

#[test]
fn refuses_a_database_from_a_newer_version_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    drop(Store::open(&path).unwrap());
    let newer = schema::MIGRATIONS.len() as i64 + 5;
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = Store::open(&path)
        .err()
        .expect("newer schema must be refused");
    assert_eq!(err.code(), "newer_schema");
    assert!(err.to_string().contains("newer Rebound"), "{err}");
    let v: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, newer);
}

#[test]
fn backs_up_before_migrating_an_older_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    if schema::MIGRATIONS.len() == 1 {
        // Nothing to migrate yet: no backup is made, and none is needed.
        Store::open(&path).unwrap();
        assert!(!dir.path().join("rebound.sqlite.v1.bak").exists());
    } else {
        Store::open(&path).unwrap();
        assert!(dir.path().join("rebound.sqlite.v1.bak").exists());
    }
}

#[test]
fn reimporting_the_same_events_adds_zero_rows() {
    let mut store = Store::open_in_memory().unwrap();
    let evs = vec![
        bounce("a@example.com", "5.1.1"),
        bounce("b@example.com", "4.2.2"),
    ];
    let (_, added) = import(&mut store, &evs);
    assert_eq!(added, 2);
    let (_, added_again) = import(&mut store, &evs);
    assert_eq!(added_again, 0);
    let o = store.overview().unwrap();
    assert_eq!(
        (o.events, o.imports, o.campaigns, o.recipients),
        (2, 2, 1, 2)
    );
}

#[test]
fn a_failed_import_leaves_nothing_behind() {
    let mut store = Store::open_in_memory().unwrap();
    {
        let mut tx = store.begin_import(&meta()).unwrap();
        let e = bounce("a@example.com", "5.1.1");
        tx.add_event(&e, &e.fingerprint(None)).unwrap();
        tx.add_problem("#2", "broken message").unwrap();
        // Dropped without commit, as when a reader fails or the user cancels.
    }
    let o = store.overview().unwrap();
    assert_eq!(
        (o.events, o.imports, o.campaigns, o.recipients),
        (0, 0, 0, 0)
    );
    let problems: i64 = store
        .conn
        .query_row("SELECT COUNT(*) FROM import_problems", [], |r| r.get(0))
        .unwrap();
    assert_eq!(problems, 0);
}

#[test]
fn removing_an_import_removes_its_events_and_problems() {
    let mut store = Store::open_in_memory().unwrap();
    let (id, _) = import(&mut store, &[bounce("a@example.com", "5.1.1")]);
    let (keep, _) = import(&mut store, &[bounce("c@example.com", "5.1.1")]);
    assert!(store.remove_import(id).unwrap());
    assert!(!store.remove_import(id).unwrap());
    assert_eq!(store.overview().unwrap().events, 1);
    assert_eq!(
        store
            .imports()
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        vec![keep]
    );
}

#[test]
fn settings_round_trip() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting("lang").unwrap(), None);
    store.set_setting("lang", "vi").unwrap();
    store.set_setting("lang", "es").unwrap();
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("es"));
}

#[test]
fn online_backup_copies_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.sqlite")).unwrap();
    import(&mut store, &[bounce("a@example.com", "5.1.1")]);
    let dest = dir.path().join("copy.sqlite");
    store.backup_to(&dest).unwrap();
    let copy = Store::open(&dest).unwrap();
    assert_eq!(copy.overview().unwrap().events, 1);
}

fn exact_overview(store: &Store) -> (i64, i64, Vec<(String, i64)>) {
    let one = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let classes = store
        .conn
        .prepare("SELECT class, COUNT(*) FROM events GROUP BY class ORDER BY class")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (
        one("SELECT COUNT(*) FROM events"),
        one("SELECT COUNT(*) FROM recipients"),
        classes,
    )
}

fn fast_overview(store: &Store) -> (i64, i64, Vec<(String, i64)>) {
    let o = store.overview().unwrap();
    let classes = o.by_class.into_iter().map(|c| (c.class, c.count)).collect();
    (o.events, o.recipients, classes)
}

#[test]
fn the_pre_counted_overview_equals_counting_the_rows() {
    let mut store = Store::open_in_memory().unwrap();
    let (first, _) = import(
        &mut store,
        &[
            bounce("a@example.com", "5.1.1"),
            bounce("b@example.com", "4.2.2"),
        ],
    );
    import(&mut store, &[bounce("c@example.com", "5.7.1")]);
    assert_eq!(fast_overview(&store), exact_overview(&store));
    // Removing an import the aggregates already count, and a recipient deleted by hand
    // (ids then have a gap: the overview must count instead of trusting the highest id).
    assert!(crate::import::remove_import(&mut store, first).unwrap());
    store
        .conn
        .execute_batch(
            "INSERT INTO recipients(address, domain, channel) VALUES ('x@example.org', 'example.org', 'email'), ('y@example.org', 'example.org', 'email');
             DELETE FROM recipients WHERE address = 'x@example.org';",
        )
        .unwrap();
    let fast = fast_overview(&store);
    assert_eq!(fast, exact_overview(&store));
    assert_eq!((fast.0, fast.1), (1, 4));
}

#[test]
fn a_version_2_database_migrates_to_the_latest_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rebound.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(schema::MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let ev = bounce("a@example.com", "5.1.1");
    let fp = ev.fingerprint(None);
    {
        // An event as a version-2 build wrote it: texts in the row, 16-byte fingerprint,
        // a diagnostic naming the recipient.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let blob: Vec<u8> = (0..16).map(|i| u8::from_str_radix(&fp[2 * i..2 * i + 2], 16).unwrap()).collect();
        conn.execute_batch(
            "INSERT INTO imports(id, file_name, file_path, size_bytes, sha256, format, started_at, finished_at, events_added)
                 VALUES (1, 't.mbox', '/tmp/t.mbox', 1, '', 'mbox', 0, 0, 1);
             INSERT INTO recipients(id, address, domain, channel) VALUES (1, 'a@example.com', 'example.com', 'email');
             INSERT INTO campaigns(id, key, name) VALUES (1, 'spring', 'Spring sale');
             INSERT INTO texts(id, text) VALUES (1, '550 <a@example.com>: no such user'), (2, 'mx.example.com');",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO events(import_id, fingerprint, channel, kind, recipient_id, campaign_id, occurred_at, status,
                diagnostic_id, remote_mta_id, provider, class, reason, rule, evidence, source_file, source_locator)
             VALUES (1, ?1, 'email', 'bounce', 1, 1, 1700000000, '5.1.1', 1, 2, 'sendgrid', ?2, ?3, ?4, ?5, '', '#12')",
            rusqlite::params![blob, ev.verdict.class.as_str(), ev.verdict.reason.as_str(), ev.verdict.rule, ev.verdict.evidence],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::MIGRATIONS.len() as i64);
    assert!(dir.path().join("rebound.sqlite.v2.bak").exists());
    assert_eq!(fast_overview(&store), exact_overview(&store));
    assert_eq!(store.overview().unwrap().events, 1);
    let row: (String, String, String, String, String, String, String, String) = store
        .conn
        .query_row(
            "SELECT e.diagnostic, m.text, e.status, e.provider, e.class, e.rule, e.source_locator, d.text
             FROM events e JOIN texts m ON m.id = e.remote_mta_id JOIN texts d ON d.id = e.diagnostic_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .unwrap();
    assert_eq!(row.0, "550 <a@example.com>: no such user");
    assert_eq!(row.1, "mx.example.com");
    assert_eq!((row.2.as_str(), row.3.as_str()), ("5.1.1", "sendgrid"));
    assert_eq!((row.4.as_str(), row.5.as_str()), (ev.verdict.class.as_str(), ev.verdict.rule.as_str()));
    assert_eq!(row.6, "#12");
    assert_eq!(row.7, "550 <\u{1}>: no such user", "stored once as a template");
    assert_eq!(crate::store::import_event_range(&store.conn, 1).unwrap(), Some((1, 1)));
    let texts: i64 = store.conn.query_row("SELECT COUNT(*) FROM texts WHERE text LIKE '%a@example.com%'", [], |r| r.get(0)).unwrap();
    assert_eq!(texts, 0, "the per-recipient text is gone");
    // The converted fingerprint is the one a new import computes: importing again adds nothing.
    let mut store = store;
    let (_, added) = import(&mut store, &[ev]);
    assert_eq!(added, 0);
}
