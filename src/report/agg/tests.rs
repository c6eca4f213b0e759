//! The report tables against a full rebuild and against SQL joins.

use super::*;
use crate::model::{CampaignRef, Channel, Event, Kind, Source};
use crate::store::{NewImport, Store};

fn meta(name: &str) -> NewImport {
    NewImport {
        file_name: name.into(),
        file_path: name.into(),
        size_bytes: 0,
        sha256: String::new(),
        format: "test".into(),
        provider: None,
        detect_reason: None,
    }
}

fn import(store: &mut Store, name: &str, from: usize, to: usize) -> i64 {
    let mut tx = store.begin_import(&meta(name)).unwrap();
    for i in from..to {
        let kind = [
            Kind::Bounce,
            Kind::Delivered,
            Kind::Deferred,
            Kind::Complaint,
        ][i % 4];
        let mut e = Event::new(
            Channel::Email,
            kind,
            format!("u{}@d{}.example", i % 7 + (i / 1000) * 10, i % 3),
            Source::default(),
        );
        e.campaign = (i % 5 != 0).then(|| CampaignRef {
            key: format!("c{}", i % 3),
            name: None,
        });
        // Spread over quarter hours, some undated, some with a send time.
        e.occurred_at = (i % 9 != 0)
            .then(|| chrono::DateTime::from_timestamp(1_700_000_000 + i as i64 * 677, 0))
            .flatten();
        e.sent_at = (i % 2 == 0)
            .then(|| chrono::DateTime::from_timestamp(1_699_990_000, 0))
            .flatten();
        e.status = Some(if i % 3 == 0 { "5.1.1" } else { "4.2.2" }.into());
        e.remote_mta = Some(format!("mx{}.example", i % 4));
        e.provider = Some(["postfix", "sendgrid"][i % 2].into());
        crate::classify::classify(&mut e);
        tx.add_event(&e, &e.fingerprint(Some(&i.to_string())))
            .unwrap();
    }
    tx.commit().unwrap()
}

/// Every aggregate table's rows, in key order.
fn snapshot(conn: &Connection) -> Vec<(String, Vec<String>)> {
    crate::store::schema::AGG_TABLES
        .iter()
        .map(|t| {
            let mut st = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
            let cols = st.column_count();
            let rows = st
                .query_map([], |r| {
                    let mut s = String::new();
                    for i in 0..cols {
                        s.push_str(&format!("{:?}|", r.get_ref(i)?));
                    }
                    Ok(s)
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            let mut rows = rows;
            rows.sort();
            (t.to_string(), rows)
        })
        .collect()
}

#[test]
fn forgetting_imports_agrees_with_a_rebuild() {
    let mut store = Store::open_in_memory().unwrap();
    let first = import(&mut store, "a", 0, 300);
    import(&mut store, "b", 300, 500);
    let third = import(&mut store, "c", 500, 650);
    sync_aggregates(store.conn()).unwrap();
    assert!(crate::import::remove_import(&mut store, first).unwrap());
    assert!(crate::import::remove_import(&mut store, third).unwrap());
    let conn = store.conn();
    let kept = snapshot(conn);
    rebuild_aggregates(conn).unwrap();
    let rebuilt = snapshot(conn);
    for ((t, a), (_, b)) in kept.iter().zip(rebuilt.iter()) {
        assert_eq!(a, b, "{t} differs from a rebuild");
    }
    assert!(rebuilt
        .iter()
        .any(|(t, r)| t == "agg_recipient_day" && !r.is_empty()));
    assert!(rebuilt
        .iter()
        .any(|(t, r)| t == "agg_dim_day" && !r.is_empty()));
}

#[test]
fn counting_in_chunks_equals_counting_at_once() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "a", 0, 400);
    sync_aggregates(store.conn()).unwrap();
    let once = snapshot(store.conn());
    // Same import counted in chunks of 7 event ids.
    for t in crate::store::schema::AGG_TABLES {
        store
            .conn()
            .execute_batch(&format!("DELETE FROM {t};"))
            .unwrap();
    }
    let conn = store.conn();
    let mut from = 1;
    while from <= 400 {
        let mut acc = scan(
            conn,
            "e.import_id = ?1 AND e.id >= ?2 AND e.id < ?3",
            &[1, from, from + 7],
            false,
        )
        .unwrap();
        write(conn, &mut acc, 1).unwrap();
        recipients::recount(conn, &acc.touched).unwrap();
        from += 7;
    }
    conn.execute("INSERT INTO agg_imports(import_id) VALUES (1)", [])
        .unwrap();
    assert_eq!(snapshot(conn), once);
}

/// Domains counted per failure as a join would count them, whether the recipients are
/// read as one id range or (ids far apart) one by one.
#[test]
fn domains_match_a_join_for_dense_and_sparse_recipient_ids() {
    for gap in [0i64, 1_000_000] {
        let mut store = Store::open_in_memory().unwrap();
        import(&mut store, "a", 0, 100);
        if gap > 0 {
            store
                .conn()
                .execute(
                    "INSERT INTO recipients(id, address, domain, channel) VALUES (?1, 'far@away.example', 'away.example', 'email')",
                    [gap],
                )
                .unwrap();
        }
        // New addresses: numbered after the far one when there is one.
        import(&mut store, "b", 1000, 1100);
        let conn = store.conn();
        sync_aggregates(conn).unwrap();
        let ours: Vec<(String, i64)> = conn
            .prepare(
                "SELECT v.name, SUM(d.n) FROM agg_dim_all d JOIN agg_names v ON v.id = d.value
                 WHERE d.dim = 1 GROUP BY 1 ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let joined: Vec<(String, i64)> = conn
            .prepare(
                "SELECT r.domain, COUNT(*) FROM events e JOIN recipients r ON r.id = e.recipient_id
                 WHERE e.kind IN ('bounce', 'deferred', 'complaint', 'unsubscribe') GROUP BY 1 ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!joined.is_empty());
        assert_eq!(ours, joined, "gap {gap}");
    }
}

/// Whole-history recipients affected equal SQL's distinct counts, whether many campaigns are
/// recounted at once (lists sorted by campaign) or a few (one bitmap each), and after removal.
#[test]
fn recipient_counts_match_distinct_counts_for_many_and_few_campaigns() {
    let mut store = Store::open_in_memory().unwrap();
    let add = |store: &mut Store, name: &str, campaigns: usize, from: usize| -> i64 {
        let mut tx = store.begin_import(&meta(name)).unwrap();
        for i in from..from + 600 {
            let mut e = Event::new(
                Channel::Email,
                if i % 3 == 0 { Kind::Delivered } else { Kind::Bounce },
                format!("p{}@d.example", i % 97),
                Source::default(),
            );
            e.campaign = (i % 13 != 0).then(|| CampaignRef {
                key: format!("k{}", i % campaigns),
                name: None,
            });
            e.occurred_at = chrono::DateTime::from_timestamp(1_700_000_000 + i as i64 * 3001, 0);
            crate::classify::classify(&mut e);
            tx.add_event(&e, &e.fingerprint(Some(&format!("{name}{i}")))).unwrap();
        }
        tx.commit().unwrap()
    };
    let check = |store: &Store, what: &str| {
        let conn = store.conn();
        let ours: Vec<(i64, String, i64)> = conn
            .prepare("SELECT campaign_id, channel, n FROM agg_recipient_count ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let sql: Vec<(i64, String, i64)> = conn
            .prepare(
                "SELECT -1, channel, COUNT(DISTINCT recipient_id) FROM events WHERE kind != 'delivered' GROUP BY 2
                 UNION ALL
                 SELECT COALESCE(campaign_id, 0), channel, COUNT(DISTINCT recipient_id) FROM events WHERE kind != 'delivered' GROUP BY 1, 2
                 ORDER BY 1, 2",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(sql.len() > FEW_TEST, "{sql:?}");
        assert_eq!(ours, sql, "{what}");
    };
    const FEW_TEST: usize = 10;
    add(&mut store, "many", 11, 0);
    sync_aggregates(store.conn()).unwrap();
    check(&store, "eleven campaigns at once");
    let one = add(&mut store, "one", 1, 5000);
    sync_aggregates(store.conn()).unwrap();
    check(&store, "one more campaign");
    assert!(crate::import::remove_import(&mut store, one).unwrap());
    check(&store, "after removal");
}
