//! The explorer's commands on tauri's mock runtime over the demo mailbox: the JSON the
//! window sends (filter, sort, page position) reaches the library and rows come back.

use crate::test_app::app;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

#[test]
fn count_page_facets_and_detail_answer_over_the_demo_mailbox() {
    let t = app();
    assert_eq!(t.ok("explore_count", json!({ "filter": {} })), json!(0));
    t.import(&[&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/mailbox/bounces.mbox")]);
    let total = t.ok("explore_count", json!({ "filter": {} })).as_i64().expect("a number");
    assert!(total > 10, "the demo mailbox has bounces: {total}");

    let hard = json!({ "classes": ["hard"] });
    let n_hard = t.ok("explore_count", json!({ "filter": hard })).as_i64().expect("a number");
    assert!(n_hard > 0 && n_hard < total);
    let facets = t.ok("explore_facets", json!({ "filter": hard }));
    let class_sum: i64 = facets["classes"].as_array().expect("classes").iter().map(|c| c["count"].as_i64().unwrap_or(0)).sum();
    assert_eq!(class_sum, total, "the class facet ignores the class filter");

    let args = json!({ "filter": hard, "sort": "newest_first", "at": { "mode": "offset", "offset": 0 }, "limit": 5 });
    let rows = t.ok("explore_page", args);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len() as i64, n_hard.min(5));
    assert!(rows.iter().all(|r| r["class"] == json!("hard")));
    let last = &rows[rows.len() - 1];
    let after = json!({ "filter": hard, "sort": "newest_first", "limit": 5,
        "at": { "mode": "after", "cursor": { "at": last["occurred_at"].as_i64().unwrap_or(0), "id": last["id"] } } });
    let next = t.ok("explore_page", after);
    assert!(next.as_array().expect("rows").iter().all(|r| r["id"] != last["id"]));

    let d = t.ok("explore_detail", json!({ "id": rows[0]["id"] }));
    assert_eq!(d["id"], rows[0]["id"]);
    assert!(!d["rule"].as_str().unwrap_or("").is_empty(), "the why has a rule: {d}");
    let file = format!("{} {}", d["source_file"], d["import_file_name"]);
    assert!(file.contains("bounces.mbox"), "{d}");

    let missing = t.call("explore_detail", json!({ "id": -5 })).expect_err("no such event");
    assert!(missing["message"].as_str().unwrap_or("").contains("Refresh"), "{missing}");
    let bad = t.call("explore_count", json!({ "filter": { "classes": ["nonsense"] } })).expect_err("bad class");
    assert!(bad.is_object() || bad.is_string(), "{bad}");
}

/// The e2e walk polls the explorer while an import runs on its own connection: the
/// answers must catch up with the import once it commits.
#[test]
fn polling_during_an_import_sees_the_imported_rows() {
    let t = app();
    // As in the window: the dashboard opens the read connection (and migrates a new
    // file) before any import.
    t.ok("overview", json!({}));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files: Vec<String> = ["assets/demo/mailbox/bounces.mbox", "assets/demo/sms/twilio-messages.csv", "tests/fixtures/explore/hostile-why.eml"]
        .iter()
        .map(|f| root.join(f).display().to_string())
        .collect();
    t.ok("import_files", json!({ "paths": files }));
    let mut finished = None;
    for _ in 0..600 {
        let _ = t.call("explore_count", json!({ "filter": { "search": "hostile.victim" } }));
        if let Some(p) = t.try_finished() {
            finished = Some(p);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished = finished.expect("import finished");
    assert!(!finished.contains("\"error_code\":\"locked\""), "{finished}");
    assert_eq!(t.ok("explore_count", json!({ "filter": { "search": "hostile.victim" } })), json!(1), "{finished}");
}

#[test]
fn an_import_warms_the_explorer_on_its_own_connection_and_an_empty_one_does_not() {
    use crate::state::AppState;
    use tauri::Manager;
    let t = app();
    let state = t.app.state::<AppState>();
    // A file that adds nothing leaves the explorer alone.
    let junk = t.write("notes.txt", "just words\n");
    t.import(&[&junk]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!state.explore_is_open(), "no new events, no warm-up");
    t.ok("overview", json!({}));
    assert!(!state.explore_is_open(), "the dashboard's reads use the other connection");

    t.import(&[&Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/mailbox/bounces.mbox")]);
    // The warm-up runs after import-finished, in the import's thread.
    let until = std::time::Instant::now() + Duration::from_secs(30);
    while !state.explore_is_open() && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(state.explore_is_open(), "the explorer's connection was opened by the warm-up");
    // It answers from the data the import added, the same as the library on a fresh connection.
    let n = t.ok("explore_count", json!({ "filter": {} })).as_i64().expect("count");
    let lib = rebound::explore::count(&rebound::store::Store::open(&t.db).expect("open"), &rebound::explore::Filter::default()).expect("lib");
    assert_eq!(n, lib);
    assert!(n > 10);
}
