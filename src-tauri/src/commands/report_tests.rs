//! The report commands on tauri's mock runtime, over the demo mailbox imported by the library.

use crate::test_app::{app_at, TestApp};
use serde_json::{json, Value};
use std::path::Path;

/// An app whose database already holds the demo mailbox (campaigns without sent counts).
fn app_with_demo_mailbox() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rebound.sqlite");
    {
        let mut store = rebound::store::Store::open(&db).expect("open");
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/mailbox/bounces.mbox");
        let out = rebound::import::import_paths(&mut store, &[demo], &Default::default(), &Default::default(), &mut |_| {});
        assert!(out.iter().all(|o| o.error.is_none()), "demo import: {out:?}");
    }
    app_at(dir, db)
}

impl TestApp {
    /// The id of the first campaign in the report with a failure.
    fn some_campaign(&self) -> i64 {
        let r = self.ok("report_summary", json!({ "campaign": null }));
        r["campaigns"].as_array().into_iter().flatten().filter_map(|c| c["campaign_id"].as_i64()).next().expect("a campaign")
    }
}

#[test]
fn chart_svg_draws_the_labels_the_window_sends() {
    let t = app_with_demo_mailbox();
    let args = |labels: Value| json!({ "kind": "trend", "campaign": null, "width": 800, "height": 260, "theme": "light", "labels": labels });
    let en = t.ok("chart_svg", args(Value::Null));
    assert!(en.as_str().unwrap_or("").contains("Bounces per"), "English by default");
    let es = t.ok("chart_svg", args(json!({ "chart.trend.per_day": "Rebotes por día", "chart.trend.per_week": "Rebotes por semana", "chart.hard": "Duro" })));
    let es = es.as_str().unwrap_or("");
    assert!(es.contains("Rebotes por"), "translated title");
    assert!(es.contains("Duro"), "translated legend");
    assert!(!es.contains("Bounces per"), "no English title left");
}

#[test]
fn recipients_come_in_pages_with_the_total() {
    let t = app_with_demo_mailbox();
    let c = t.some_campaign();
    let first = t.ok("campaign_recipients", json!({ "campaign": c, "offset": 0, "limit": 5 }));
    let total = first["total"].as_u64().expect("total") as usize;
    assert!(total > 5, "the demo campaign has more than one page: {total}");
    assert_eq!(first["rows"].as_array().map(|a| a.len()), Some(5));
    let lib = rebound::explore::recipients_for_campaign(&rebound::store::Store::open(&t.db).expect("open"), c).expect("lib");
    assert_eq!(total, lib.len());
    let last = t.ok("campaign_recipients", json!({ "campaign": c, "offset": total - 2, "limit": 5 }));
    assert_eq!(last["rows"].as_array().map(|a| a.len()), Some(2));
    // Paged in SQL: every page together is the library's whole list (ties on time may
    // come in another order), newest first, nobody twice.
    let mut paged: Vec<(String, Option<i64>)> = Vec::new();
    for offset in (0..total).step_by(7) {
        let page = t.ok("campaign_recipients", json!({ "campaign": c, "offset": offset, "limit": 7 }));
        assert_eq!(page["total"].as_u64(), Some(total as u64));
        for r in page["rows"].as_array().expect("rows") {
            paged.push((r["recipient"].as_str().unwrap_or("").to_string(), r["last_at"].as_i64()));
        }
    }
    assert!(paged.windows(2).all(|w| w[0].1 >= w[1].1), "newest first across pages");
    let mut got: Vec<String> = paged.into_iter().map(|(r, _)| r).collect();
    let mut want: Vec<String> = lib.iter().map(|r| r.recipient.clone()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_typed_in_sent_count_makes_the_campaign_rates_known() {
    let t = app_with_demo_mailbox();
    let c = t.some_campaign();
    let before = t.ok("report_summary", json!({ "campaign": c }));
    assert_eq!(before["total"]["sent"], Value::Null, "a mailbox does not tell how many were sent");
    assert_eq!(before["total"]["rates"]["hard"], Value::Null);
    t.ok("set_campaign_sent", json!({ "campaign": c, "sent": 10000 }));
    let after = t.ok("report_summary", json!({ "campaign": c }));
    assert_eq!(after["total"]["sent"], json!(10000));
    let hard = after["total"]["counts"]["hard"].as_f64().expect("hard");
    assert_eq!(after["total"]["rates"]["hard"].as_f64(), Some(hard / 10000.0));
    let bad = t.call("set_campaign_sent", json!({ "campaign": c, "sent": -5 })).expect_err("negative refused");
    assert_eq!(bad["code"], json!("invalid"));
    t.ok("set_campaign_sent", json!({ "campaign": c, "sent": null }));
    assert_eq!(t.ok("report_summary", json!({ "campaign": c }))["total"]["sent"], Value::Null);
}

#[test]
fn sparklines_cover_every_campaign_with_bounces() {
    let t = app_with_demo_mailbox();
    let lines = t.ok("campaign_sparklines", json!({ "points": 30 }));
    let lines = lines.as_array().expect("array");
    assert!(!lines.is_empty());
    for l in lines {
        let n = l["hard"].as_array().map(|a| a.len()).unwrap_or(0);
        assert!((1..=30).contains(&n), "{l}");
        assert_eq!(l["soft"].as_array().map(|a| a.len()), Some(n));
    }
    let total: i64 = lines.iter().flat_map(|l| ["hard", "soft", "block"].map(|k| l[k].as_array().cloned().unwrap_or_default())).flatten().filter_map(|v| v.as_i64()).sum();
    let r = t.ok("report_summary", json!({ "campaign": null }));
    let in_campaigns: i64 = r["campaigns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["campaign_id"].is_i64())
        .map(|c| ["hard", "soft", "block"].iter().map(|k| c["counts"][*k].as_i64().unwrap_or(0)).sum::<i64>())
        .sum();
    assert_eq!(total, in_campaigns, "sparklines add up to the campaigns' dated bounces");
}
