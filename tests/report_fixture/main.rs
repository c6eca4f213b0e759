//! Issue 7 acceptance: a fixture database whose every number was counted by hand
//! (see tests/fixtures/report/README.md), the charts drawn from it, and their SVG snapshots.

mod charts;
mod fixture;

use fixture::*;

#[test]
fn campaign_with_a_summary_count() {
    let store = fixture_store();
    let r = report::report(&store, &q(Some(id(&store, "spring")))).unwrap();
    let s = &r.total;
    assert_eq!(
        (s.sent, s.sent_source, s.delivered),
        (Some(1000), SentSource::Summary, Some(950))
    );
    let c = s.counts;
    assert_eq!(
        (
            c.hard,
            c.soft,
            c.block,
            c.complaint,
            c.unsubscribe,
            c.deferred,
            c.sent
        ),
        (12, 5, 3, 2, 1, 4, 0)
    );
    assert_eq!(s.rates.hard, Some(0.012));
    assert_eq!(s.rates.soft, Some(0.005));
    assert_eq!(s.rates.block, Some(0.003));
    assert_eq!(s.rates.bounce, Some(0.02));
    assert_eq!(s.rates.complaint, Some(0.002));
    assert_eq!(s.rates.unsubscribe, Some(0.001));
    assert_eq!(s.rates.deferred, Some(0.004));
    assert_eq!(s.rates.delivered, Some(0.95));
    assert_eq!(s.block_share, Some(0.15));
    // 27 failure events, s01@outlook.com both deferred and soft-bounced: 26 people.
    assert_eq!(s.recipients_affected, 26);
    assert_eq!(s.campaign_name.as_deref(), Some("Spring sale"));
    let levels: Vec<Level> = s.health.checks.iter().map(|c| c.level).collect();
    // 1.2 % hard → amber; 0.2 % complaints → amber; 3 blocks are under block_min → ok.
    assert_eq!(levels, vec![Level::Amber, Level::Amber, Level::Ok]);
    assert_eq!(s.health.level, Level::Amber);
    assert_eq!(s.health.checks[0].key, "health.hard_rate.amber");
    assert_eq!(
        s.health.checks[0].params.get("value").map(String::as_str),
        Some("1.2%")
    );
    // Compared with tet (5 % hard), the only earlier email campaign with a sent count.
    let cmp = r.comparison.unwrap();
    assert_eq!(cmp.previous, vec![id(&store, "tet")]);
    let hard = cmp.deltas.iter().find(|d| d.metric == "hard").unwrap();
    assert_eq!(hard.previous, Some(0.05));
    assert!((hard.delta.unwrap() - (-0.038)).abs() < 1e-12);
}

#[test]
fn campaign_counting_sent_events_and_rising_blocks() {
    let store = fixture_store();
    let r = report::report(&store, &q(Some(id(&store, "summer")))).unwrap();
    let s = &r.total;
    assert_eq!(
        (s.sent, s.sent_source, s.delivered),
        (Some(200), SentSource::SentEvents, None)
    );
    let c = s.counts;
    assert_eq!(
        (
            c.hard,
            c.soft,
            c.block,
            c.complaint,
            c.unsubscribe,
            c.deferred
        ),
        (2, 4, 10, 1, 0, 0)
    );
    assert_eq!(s.rates.hard, Some(0.01));
    assert_eq!(s.rates.soft, Some(0.02));
    assert_eq!(s.rates.block, Some(0.05));
    assert_eq!(s.rates.complaint, Some(0.005));
    assert_eq!(s.rates.delivered, None);
    assert_eq!(s.recipients_affected, 17);
    let by: Vec<(&str, Level)> = s
        .health
        .checks
        .iter()
        .map(|c| (c.metric.as_str(), c.level))
        .collect();
    // Exactly 1 % is not over 1 %; 0.5 % complaints is red; blocks 62.5 % after 0 % in "nosent".
    assert_eq!(
        by,
        vec![
            ("hard_rate", Level::Ok),
            ("complaint_rate", Level::Red),
            ("block_share", Level::Amber)
        ]
    );
    assert_eq!(s.health.level, Level::Red);
    let cmp = r.comparison.unwrap();
    assert_eq!(cmp.previous, vec![id(&store, "spring"), id(&store, "tet")]);
    let hard = cmp.deltas.iter().find(|d| d.metric == "hard").unwrap();
    assert!((hard.previous.unwrap() - 0.031).abs() < 1e-12);
}

#[test]
fn campaign_without_any_sent_count_says_unknown() {
    let store = fixture_store();
    let r = report::report(&store, &q(Some(id(&store, "nosent")))).unwrap();
    let s = &r.total;
    assert_eq!((s.sent, s.sent_source), (None, SentSource::Unknown));
    assert_eq!((s.counts.hard, s.counts.soft), (3, 1));
    assert_eq!(s.rates, rebound::report::Rates::default());
    assert_eq!(s.health.checks[0].level, Level::Unknown);
    assert_eq!(s.health.checks[0].key, "health.hard_rate.unknown");
    assert_eq!(r.delay.unknown, 4);
    let table = report::export::to_table(&r);
    assert!(table.contains("Sent: unknown"), "{table}");
}

#[test]
fn totals_over_everything() {
    let store = fixture_store();
    let r = report::report(&store, &q(None)).unwrap();
    let s = &r.total;
    let c = s.counts;
    assert_eq!(
        (
            c.hard,
            c.soft,
            c.block,
            c.complaint,
            c.unsubscribe,
            c.deferred,
            c.sent
        ),
        (24, 12, 13, 3, 1, 4, 200)
    );
    assert_eq!((s.sent, s.sent_source), (Some(1350), SentSource::Mixed));
    assert_eq!((s.rows, s.rows_with_sent), (6, 4));
    // Rates use only rows with a known sent count: 20 hard of 1350 (nosent and "no campaign" left out).
    assert_eq!(s.rates.hard, Some(20.0 / 1350.0));
    assert_eq!(s.rates.soft, Some(11.0 / 1350.0));
    assert_eq!(s.rates.block, Some(13.0 / 1350.0));
    assert_eq!(s.recipients_affected, 56);
    let order: Vec<Option<String>> = r.campaigns.iter().map(|c| c.campaign_key.clone()).collect();
    let keys = ["tet", "spring", "nosent", "promo-sms", "summer"];
    assert_eq!(order[..5], keys.map(|k| Some(k.to_string())));
    assert_eq!(order[5], None, "events without a campaign come last");
    let sms = &r.campaigns[3];
    assert_eq!(
        (
            sms.channel.as_deref(),
            sms.sent,
            sms.counts.hard,
            sms.rates.hard
        ),
        (Some("sms"), Some(50), 1, Some(0.02))
    );
    let none = &r.campaigns[5];
    assert_eq!(
        (
            none.campaign_id,
            none.sent,
            none.counts.hard,
            none.recipients_affected
        ),
        (None, None, 1, 1)
    );
    // The undated bounce is in the totals but not in any day.
    assert_eq!(r.series.undated.hard, 1);
    assert_eq!(r.series.days.first().unwrap().label, "2026-02-16");
    assert_eq!(r.series.days.last().unwrap().label, "2026-06-12");
    assert_eq!(
        r.series.days.len(),
        117,
        "Feb 16 to Jun 12 inclusive, gaps filled"
    );
    let mar2 = r
        .series
        .days
        .iter()
        .find(|d| d.label == "2026-03-02")
        .unwrap()
        .counts;
    assert_eq!((mar2.hard, mar2.block, mar2.deferred), (12, 3, 4));
    assert_eq!(r.series.weeks.first().unwrap().label, "2026-W08");
    let hard_in_weeks: i64 = r.series.weeks.iter().map(|w| w.counts.hard).sum();
    assert_eq!(hard_in_weeks, 23);
}

#[test]
fn breakdowns_and_time_to_bounce() {
    let store = fixture_store();
    let r = report::report(&store, &Query { top: 3, ..q(None) }).unwrap();
    let reasons: Vec<(&str, i64)> = r
        .reasons
        .rows
        .iter()
        .map(|x| (x.value.as_str(), x.total))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("user_unknown", 19),
            ("mailbox_full", 10),
            ("spam_detected", 10),
            ("host_unknown", 4),
            ("rate_limited", 4),
            ("blocked", 3),
            ("complaint", 3),
            ("system_error", 2),
            ("sms_invalid_number", 1),
            ("unsubscribe", 1),
        ]
    );
    assert_eq!(r.reasons.total, 57);
    let domains: Vec<(&str, i64)> = r
        .domains
        .rows
        .iter()
        .map(|x| (x.value.as_str(), x.total))
        .collect();
    assert_eq!(
        domains,
        vec![("example.com", 17), ("gmail.com", 12), ("outlook.com", 9)]
    );
    assert_eq!(
        r.domains
            .other
            .as_ref()
            .map(|o| (o.value.as_str(), o.total)),
        Some(("other", 19))
    );
    let providers: Vec<(&str, i64)> = r
        .providers
        .rows
        .iter()
        .map(|x| (x.value.as_str(), x.total))
        .collect();
    assert_eq!(
        providers,
        vec![
            ("sendgrid", 27),
            ("mailgun", 17),
            ("postfix", 11),
            ("", 1),
            ("twilio", 1)
        ]
    );
    let mtas: Vec<(&str, i64)> = r
        .mtas
        .rows
        .iter()
        .map(|x| (x.value.as_str(), x.total))
        .collect();
    assert_eq!(mtas, vec![("", 50), ("mx.example.vn", 7)]);
    let delay: Vec<i64> = r.delay.buckets.iter().map(|b| b.count).collect();
    assert_eq!(delay, vec![8, 17, 9, 0, 9, 0]);
    assert_eq!(r.delay.unknown, 6);
}

#[test]
fn bounces_straddling_midnight_follow_the_users_zone() {
    let store = fixture_store();
    let tet = id(&store, "tet");
    let days = |zone: &str| -> Vec<(String, i64, i64)> {
        let r = report::report(
            &store,
            &Query {
                zone: Zone::parse(zone).unwrap(),
                ..q(Some(tet))
            },
        )
        .unwrap();
        r.series
            .days
            .iter()
            .map(|d| (d.label.clone(), d.counts.hard, d.counts.soft))
            .collect()
    };
    assert_eq!(days("UTC"), vec![("2026-02-16".into(), 5, 2)]);
    // 16:30 UTC is 23:30 in Vietnam, 17:30 UTC is 00:30 the next day.
    assert_eq!(
        days("Asia/Ho_Chi_Minh"),
        vec![("2026-02-16".into(), 2, 0), ("2026-02-17".into(), 3, 2)]
    );
    assert_eq!(days("+07:00"), days("Asia/Ho_Chi_Minh"));
    // India's midnight is 18:30 UTC, inside an aggregate hour: counted from the events.
    assert_eq!(
        days("Asia/Kolkata"),
        vec![("2026-02-16".into(), 5, 1), ("2026-02-17".into(), 0, 1)]
    );

    let on = |zone: &str, d: &str| {
        let qq = Query {
            zone: Zone::parse(zone).unwrap(),
            from: Some(day(d)),
            to: Some(day(d)),
            ..q(Some(tet))
        };
        report::report(&store, &qq).unwrap()
    };
    let vn = on("Asia/Ho_Chi_Minh", "2026-02-17");
    assert_eq!(
        (
            vn.total.counts.hard,
            vn.total.counts.soft,
            vn.total.recipients_affected
        ),
        (3, 2, 5)
    );
    assert_eq!(
        vn.reasons.rows.iter().map(|r| r.total).collect::<Vec<_>>(),
        vec![3, 2]
    );
    let india = on("Asia/Kolkata", "2026-02-17");
    assert_eq!(
        (
            india.total.counts.hard,
            india.total.counts.soft,
            india.total.recipients_affected
        ),
        (0, 1, 1)
    );
    assert!(!india.from_aggregates);
}

#[test]
fn aggregates_agree_with_counting_the_events() {
    let store = fixture_store();
    for campaign in [None, Some(id(&store, "spring")), Some(id(&store, "tet"))] {
        for zone in ["UTC", "Asia/Ho_Chi_Minh", "America/Bogota", "Asia/Kolkata"] {
            let base = Query {
                zone: Zone::parse(zone).unwrap(),
                ..q(campaign)
            };
            assert_fast_equals_exact(&store, base, &format!("{campaign:?} {zone}"));
        }
    }
    assert!(report::report(&store, &q(None)).unwrap().from_aggregates);
    // Date ranges: hourly rows (totals, series), whole UTC days (breakdowns, recipients) and
    // the partial edge days counted from events, against counting everything from events.
    for campaign in [None, Some(id(&store, "spring")), Some(id(&store, "tet"))] {
        for zone in [
            "UTC",
            "Asia/Ho_Chi_Minh",
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "America/St_Johns",
            "Europe/Madrid",
        ] {
            for (from, to) in [
                (Some("2026-02-16"), Some("2026-02-16")),
                (Some("2026-02-17"), Some("2026-02-17")),
                (Some("2026-02-17"), Some("2026-03-02")),
                (Some("2026-03-03"), Some("2026-06-30")),
                (Some("2026-02-17"), None),
                (None, Some("2026-02-16")),
            ] {
                let base = Query {
                    zone: Zone::parse(zone).unwrap(),
                    from: from.map(day),
                    to: to.map(day),
                    ..q(campaign)
                };
                assert_fast_equals_exact(
                    &store,
                    base,
                    &format!("{campaign:?} {zone} {from:?}..{to:?}"),
                );
            }
        }
    }
}

#[test]
fn removing_or_rebuilding_keeps_aggregates_exact() {
    let mut store = fixture_store();
    let before = serde_json::to_value(report::report(&store, &q(None)).unwrap()).unwrap();
    let mut tx = store.begin_import(&meta("extra")).unwrap();
    let mut e = fixture_events().remove(0);
    e.recipient = "extra@gmail.com".into();
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    let extra = tx.commit().unwrap();
    assert_eq!(
        report::report(&store, &q(None)).unwrap().total.counts.hard,
        25
    );
    assert!(store.remove_import(extra).unwrap());
    assert_eq!(
        serde_json::to_value(report::report(&store, &q(None)).unwrap()).unwrap(),
        before
    );
    report::rebuild_aggregates(store.conn()).unwrap();
    assert_eq!(
        serde_json::to_value(report::report(&store, &q(None)).unwrap()).unwrap(),
        before
    );

    // The importer's fast path: forget_import first, then remove.
    let mut tx = store.begin_import(&meta("forgotten")).unwrap();
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    let forgotten = tx.commit().unwrap();
    assert_eq!(
        report::report(&store, &q(None)).unwrap().total.counts.hard,
        25
    );
    assert!(report::forget_import(store.conn(), forgotten).unwrap());
    assert!(store.remove_import(forgotten).unwrap());
    assert_eq!(
        serde_json::to_value(report::report(&store, &q(None)).unwrap()).unwrap(),
        before
    );

    // An import removed before any report counted it must not be subtracted.
    let mut tx = store.begin_import(&meta("never counted")).unwrap();
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    let uncounted = tx.commit().unwrap();
    assert!(store.remove_import(uncounted).unwrap());
    assert_eq!(
        serde_json::to_value(report::report(&store, &q(None)).unwrap()).unwrap(),
        before
    );

    // Events edited by hand (no product path does this): a rebuild makes the tables exact again.
    store.conn().execute("UPDATE events SET class = 'soft', reason = 'mailbox_full' WHERE reason = 'host_unknown'", []).unwrap();
    report::rebuild_aggregates(store.conn()).unwrap();
    let fast = report::report(&store, &q(None)).unwrap();
    let exact = report::report(
        &store,
        &Query {
            exact: true,
            ..q(None)
        },
    )
    .unwrap();
    assert_eq!((fast.total.counts.hard, fast.total.counts.soft), (20, 16));
    assert_eq!(
        serde_json::to_value(&fast.reasons).unwrap(),
        serde_json::to_value(&exact.reasons).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&fast.series).unwrap(),
        serde_json::to_value(&exact.series).unwrap()
    );
}

#[test]
fn thresholds_come_from_settings() {
    let store = fixture_store();
    let strict = Thresholds {
        hard_red: 0.01,
        ..Thresholds::default()
    };
    strict.save(&store).unwrap();
    assert_eq!(Thresholds::load(&store).unwrap(), strict);
    let qq = Query {
        campaign: Some(id(&store, "spring")),
        ..Query::default()
    };
    let r = report::report(&store, &qq).unwrap();
    assert_eq!(r.total.health.checks[0].level, Level::Red);
}

#[test]
fn bad_queries_are_refused_plainly() {
    let store = fixture_store();
    assert!(report::report(&store, &q(Some(999))).is_err());
    let backwards = Query {
        from: Some(day("2026-03-02")),
        to: Some(day("2026-03-01")),
        ..q(None)
    };
    assert_eq!(
        report::report(&store, &backwards).unwrap_err().code(),
        "invalid"
    );
    let empty = Store::open_in_memory().unwrap();
    let r = report::report(&empty, &q(None)).unwrap();
    assert_eq!(
        (r.total.sent, r.campaigns.len(), r.series.days.len()),
        (None, 0, 0)
    );
}

#[test]
fn csv_export_neutralizes_formulas() {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("evil")).unwrap();
    let mut e = fixture_events().remove(0);
    e.campaign = Some(CampaignRef {
        key: "=HYPERLINK(\"x\")".into(),
        name: Some("@SUM(A1)".into()),
    });
    tx.add_event(&e, &e.fingerprint(None)).unwrap();
    tx.commit().unwrap();
    let csv = report::export::to_csv(&report::report(&store, &q(None)).unwrap()).unwrap();
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'@SUM(A1)"),
        "{csv}"
    );
    assert!(!csv.contains(",=") && !csv.contains(",@"));
}

#[test]
fn cli_report_and_chart_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    fixture_store().backup_to(&db).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rebound"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, table, _) = run(&["report", "--campaign", "spring", "--tz", "Asia/Ho_Chi_Minh"]);
    assert_eq!(code, Some(0));
    assert!(
        table.contains("Sent: 1000 (from the campaign summary)")
            && table.contains("Hard 12 (1.2%)"),
        "{table}"
    );
    let (code, json, _) = run(&["report", "--format", "json"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"]["counts"]["hard"], 24);
    let (_, csv, _) = run(&[
        "report",
        "--format",
        "csv",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
    ]);
    assert_eq!(csv.lines().count(), 3, "spring, then the total: {csv}");
    let svg = dir.path().join("t.svg");
    let (code, _, err) = run(&[
        "chart",
        "trend",
        "--campaign",
        "tet",
        "--tz",
        "+07:00",
        "--out",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read_to_string(&svg)
        .unwrap()
        .contains("2026-02-17"));
    let png = dir.path().join("t.png");
    let (code, _, _) = run(&[
        "chart",
        "delay",
        "--theme",
        "dark",
        "--width",
        "320",
        "--height",
        "200",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert_eq!(run(&["chart", "pie", "--out", "x.svg"]).0, Some(2));
    assert_eq!(run(&["report", "--campaign", "nope"]).0, Some(2));
    assert_eq!(run(&["report", "--tz", "Mars/Base"]).0, Some(2));
}

/// Logs that list each message once with its final outcome (Twilio) carry few "sent"
/// rows: the delivered and bounced messages were sent too, so they set the floor.
#[test]
fn delivered_and_bounced_rows_are_a_floor_for_sent() {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import(&meta("log")).unwrap();
    let sms = Some("sms-log");
    let at = Some("2026-05-01 10:00:00");
    let rows = [
        (
            addrs("+1202555010", 1..=1, "x"),
            Kind::Sent,
            Class::None,
            Reason::Unknown,
        ),
        (
            addrs("+1202555011", 1..=6, "x"),
            Kind::Delivered,
            Class::None,
            Reason::Delivered,
        ),
        (
            addrs("+1202555012", 1..=2, "x"),
            Kind::Bounce,
            Class::Hard,
            Reason::SmsInvalidNumber,
        ),
        (
            addrs("+1202555013", 1..=1, "x"),
            Kind::Bounce,
            Class::Soft,
            Reason::SmsUnreachable,
        ),
    ];
    let mut n = 0;
    for (rcpts, kind, class, reason) in rows {
        for r in rcpts {
            n += 1;
            let e = make(
                &r,
                &Ev {
                    campaign: sms,
                    kind,
                    class,
                    reason,
                    occurred: at,
                    sent: None,
                    provider: Some("twilio"),
                    mta: None,
                },
                Channel::Sms,
                n,
            );
            assert!(tx.add_event(&e, &e.fingerprint(None)).unwrap());
        }
    }
    tx.commit().unwrap();
    let r = report::report(&store, &q(Some(id(&store, "sms-log")))).unwrap();
    // 1 sent row < 6 delivered + 3 bounced: 9 messages were sent at least.
    assert_eq!(
        (r.total.sent, r.total.sent_source),
        (Some(9), SentSource::SentEvents)
    );
    assert_eq!(r.total.rates.hard, Some(2.0 / 9.0));
}

/// Events every 677 s over ~19 days (so they fall on every minute of the hour), in three
/// campaigns and none, two channels, several imports, some undated: the fast paths (hourly
/// rows, whole UTC days, partial edge days from events) must give exactly what counting the
/// events gives, for every zone and many ranges, also after an import is removed.
#[test]
fn fast_equals_exact_on_events_spread_over_every_minute() {
    let mut store = Store::open_in_memory().unwrap();
    let kinds = [
        (Kind::Bounce, Class::Hard, Reason::UserUnknown),
        (Kind::Delivered, Class::None, Reason::Unknown),
        (Kind::Bounce, Class::Soft, Reason::MailboxFull),
        (Kind::Deferred, Class::Soft, Reason::RateLimited),
        (Kind::Bounce, Class::Block, Reason::Blocked),
        (Kind::Complaint, Class::Complaint, Reason::Complaint),
        (Kind::Sent, Class::None, Reason::Unknown),
    ];
    let mut imports = Vec::new();
    for part in 0..3usize {
        let mut tx = store
            .begin_import(&meta(&format!("spread-{part}")))
            .unwrap();
        for i in (part * 800)..((part + 1) * 800) {
            let (kind, class, reason) = kinds[i % kinds.len()];
            let channel = if i % 11 == 0 {
                Channel::Sms
            } else {
                Channel::Email
            };
            let rcpt = if channel == Channel::Sms {
                format!("+8490{:07}", i % 97)
            } else {
                format!("u{}@d{}.example", i % 131, i % 5)
            };
            let mut e = Event::new(channel, kind, rcpt, Source::default());
            e.campaign = (i % 4 != 0).then(|| CampaignRef {
                key: format!("c{}", i % 3),
                name: None,
            });
            e.occurred_at = (i % 37 != 0)
                .then(|| {
                    Utc.timestamp_opt(1_771_000_000 + i as i64 * 677, 0)
                        .single()
                })
                .flatten();
            e.sent_at = (i % 2 == 0)
                .then(|| {
                    Utc.timestamp_opt(1_770_990_000 + i as i64 * 600, 0)
                        .single()
                })
                .flatten();
            e.provider = Some(["sendgrid", "postfix", "ses"][i % 3].into());
            e.remote_mta = Some(format!("mx{}.example", i % 6));
            e.verdict = Verdict {
                class,
                reason,
                rule: "spread".into(),
                evidence: String::new(),
            };
            tx.add_event(&e, &e.fingerprint(Some(&i.to_string())))
                .unwrap();
        }
        imports.push(tx.commit().unwrap());
    }
    let check = |store: &Store, what: &str| {
        let mut scopes = vec![None];
        for k in ["c0", "c1", "c2"] {
            scopes.push(Some(id(store, k)));
        }
        for campaign in scopes {
            for zone in [
                "UTC",
                "Asia/Kolkata",
                "Asia/Kathmandu",
                "America/St_Johns",
                "Europe/Madrid",
            ] {
                for (from, to) in [
                    (None, None),
                    (Some("2026-02-14"), Some("2026-02-14")),
                    (Some("2026-02-14"), Some("2026-02-20")),
                    (Some("2026-02-15"), Some("2026-03-01")),
                    (Some("2026-02-20"), None),
                    (None, Some("2026-02-19")),
                    (Some("2026-01-01"), Some("2026-12-31")),
                ] {
                    let base = Query {
                        zone: Zone::parse(zone).unwrap(),
                        from: from.map(day),
                        to: to.map(day),
                        ..q(campaign)
                    };
                    assert_fast_equals_exact(
                        store,
                        base,
                        &format!("{what}: {campaign:?} {zone} {from:?}..{to:?}"),
                    );
                }
            }
        }
    };
    check(&store, "three imports");
    assert!(store.remove_import(imports[1]).unwrap());
    check(&store, "middle import removed");
}
