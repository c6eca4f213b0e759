//! The importer's two threads: one transaction per file, cancel, errors, report counts.
use super::*;
use crate::model::{CampaignRef, Channel, Kind, Source};

fn meta() -> NewImport {
    NewImport {
        file_name: "f.csv".into(),
        file_path: "/data/f.csv".into(),
        size_bytes: 100,
        sha256: String::new(),
        format: "test".into(),
        provider: None,
        detect_reason: None,
    }
}

fn emit(sink: &mut dyn Sink, from: usize, to: usize) -> Result<()> {
    for i in from..to {
        let src = Source {
            file: "/data/f.csv".into(),
            locator: format!("#{i}"),
            offset: None,
        };
        let mut ev = Event::new(
            Channel::Email,
            Kind::Bounce,
            format!("u{i}@example.com"),
            src,
        );
        ev.status = Some("5.1.1".into());
        sink.event(ev)?;
    }
    Ok(())
}

fn counts(store: &Store) -> (i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM imports), (SELECT COUNT(*) FROM events)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn events_problems_and_progress_cross_the_threads_in_one_transaction() {
    let mut store = Store::open_in_memory().unwrap();
    let mut seen_progress = Vec::new();
    let cancel = CancelFlag::default();
    let (id, seen, added, (problems, notes)) = run_pipeline(
        &mut store,
        &meta(),
        &cancel,
        &mut |p| seen_progress.push(p.events),
        |sink| {
            emit(sink, 0, 1500)?;
            sink.problem("/data/f.csv", "#1500", "no email column value")?;
            sink.note("/data/f.csv", "note: 3 timestamps had no time zone")?;
            sink.progress(50)?;
            emit(sink, 1501, 3000)?;
            Ok("abc".into())
        },
    )
    .unwrap();
    assert_eq!((seen, added), (2999, 2999));
    assert_eq!(problems.len(), 1, "a note is not a problem: {problems:?}");
    assert_eq!(notes, vec!["note: 3 timestamps had no time zone".to_string()]);
    assert_eq!(
        problems[0].locator, "#1500",
        "the import's own file is not repeated in the locator"
    );
    assert_eq!(
        seen_progress,
        vec![1500],
        "progress counts what the writer stored before it"
    );
    assert_eq!(counts(&store), (1, 2999));
    // The note is kept with the import, but its problem count is the bad row only.
    assert_eq!(store.import_problems(id).unwrap().len(), 2);
    let counted: i64 = store
        .conn()
        .query_row("SELECT problems FROM imports WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(counted, 1);
    let sha: String = store
        .conn()
        .query_row("SELECT sha256 FROM imports WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sha, "abc");
}

/// Events of many shapes: kinds, campaigns, dated or not, repeated recipients, some
/// already stored by an earlier import, duplicates within the file.
fn varied(sink: &mut dyn Sink, n: usize) -> Result<()> {
    for k in 0..n {
        // The last 50 repeat the first 50.
        let i = if k + 50 >= n { k + 50 - n } else { k };
        let src = Source {
            file: "/data/f.csv".into(),
            locator: format!("#{i}"),
            offset: None,
        };
        let kind = [Kind::Bounce, Kind::Delivered, Kind::Deferred, Kind::Complaint, Kind::Sent][i % 5];
        let mut ev = Event::new(Channel::Email, kind, format!("r{}@d{}.example", i % 3000, i % 7), src);
        ev.campaign = (i % 4 != 0).then(|| CampaignRef { key: format!("c{}", i % 3), name: None });
        ev.occurred_at = chrono::DateTime::from_timestamp(1_700_000_000 + (i as i64 % 4000) * 977, 0).filter(|_| i % 11 != 0);
        ev.sent_at = chrono::DateTime::from_timestamp(1_699_000_000, 0).filter(|_| i % 2 == 0);
        ev.status = Some(["5.1.1", "4.2.2", "5.7.1"][i % 3].into());
        ev.remote_mta = Some(format!("mx{}.example", i % 4)).filter(|_| i % 6 != 0);
        ev.provider = Some("sendgrid".into()).filter(|_| i % 5 != 0);
        sink.event(ev)?;
    }
    Ok(())
}

fn aggregate_rows(store: &Store) -> Vec<String> {
    let mut all = Vec::new();
    for t in crate::store::schema::AGG_TABLES {
        let mut st = store.conn().prepare(&format!("SELECT * FROM {t}")).unwrap();
        let cols = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                Ok((0..cols).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
            })
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        rows.sort();
        all.extend(rows.into_iter().map(|r| format!("{t}: {r}")));
    }
    all
}

#[test]
fn a_big_import_counts_its_report_tables_as_a_second_pass_would() {
    let mut store = Store::open_in_memory().unwrap();
    // Recipients stored before: their domains are read back, not derived.
    run_pipeline(&mut store, &meta(), &CancelFlag::default(), &mut |_| {}, |sink| {
        emit(sink, 0, 10).map(|_| String::new())
    })
    .unwrap();
    let mut m = meta();
    m.file_path = "/data/g.csv".into();
    let (id, seen, added, _) = run_pipeline(&mut store, &m, &CancelFlag::default(), &mut |_| {}, |sink| {
        emit(sink, 5, 8)?;
        varied(sink, 12_050)?;
        Ok(String::new())
    })
    .unwrap();
    assert_eq!((seen, added), (12_053, 12_000), "repeated rows are not stored twice");
    let counted: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agg_imports WHERE import_id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(counted, 1, "counted while importing");
    // The first, small import is left to the report's sync; then all is counted.
    assert_eq!(crate::report::sync_aggregates(store.conn()).unwrap(), 1);
    let inline = aggregate_rows(&store);
    crate::report::rebuild_aggregates(store.conn()).unwrap();
    assert_eq!(inline, aggregate_rows(&store));
    assert!(inline.len() > 1000, "{}", inline.len());
}

#[test]
fn a_cancel_mid_file_keeps_nothing_of_it() {
    let mut store = Store::open_in_memory().unwrap();
    let cancel = CancelFlag::default();
    let r = run_pipeline(&mut store, &meta(), &cancel, &mut |_| {}, |sink| {
        emit(sink, 0, 2000)?;
        cancel.cancel();
        sink.progress(10)?;
        emit(sink, 2000, 4000)?;
        Ok(String::new())
    });
    assert_eq!(r.err().map(|e| e.code()), Some("cancelled"));
    assert_eq!(counts(&store), (0, 0));
}

#[test]
fn a_reader_error_mid_file_keeps_nothing_of_it() {
    let mut store = Store::open_in_memory().unwrap();
    let r = run_pipeline(
        &mut store,
        &meta(),
        &CancelFlag::default(),
        &mut |_| {},
        |sink| {
            emit(sink, 0, 1200)?;
            Err(Error::BadInput {
                path: "/data/f.csv".into(),
                message: "truncated".into(),
            })
        },
    );
    assert_eq!(r.err().map(|e| e.code()), Some("bad_input"));
    assert_eq!(counts(&store), (0, 0));
    // The store is usable afterwards.
    let ok = run_pipeline(
        &mut store,
        &meta(),
        &CancelFlag::default(),
        &mut |_| {},
        |sink| emit(sink, 0, 10).map(|_| String::new()),
    );
    assert!(ok.is_ok());
    assert_eq!(counts(&store), (1, 10));
}
