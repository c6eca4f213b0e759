//! Commands on tauri's mock runtime: real library, real SQLite file, no window.

use crate::test_app::app;
use serde_json::{json, Value};
use std::path::Path;

#[test]
fn overview_of_a_new_database_is_all_zero_and_creates_the_file() {
    let t = app();
    let ov = t.ok("overview", json!({}));
    assert_eq!(ov, json!({"imports": 0, "events": 0, "campaigns": 0, "recipients": 0, "by_class": []}));
    assert!(t.db.exists(), "the database file is created on first use");
}

#[test]
fn data_location_names_the_database_file() {
    let t = app();
    let loc = t.ok("data_location", json!({}));
    assert_eq!(loc["db_path"], json!(t.db.display().to_string()));
    assert_eq!(loc["folder"], json!(t.db.parent().map(|p| p.display().to_string())));
    assert_eq!(loc["app_version"], json!(env!("CARGO_PKG_VERSION")));
}

#[test]
fn settings_round_trip_and_unknown_keys_come_back_null() {
    let t = app();
    t.ok("set_setting", json!({"key": "ui.language", "value": "vi"}));
    let got = t.ok("get_settings", json!({"keys": ["ui.language", "ui.theme"]}));
    assert_eq!(got, json!({"ui.language": "vi", "ui.theme": null}));
}

#[test]
fn a_malformed_setting_key_is_refused_with_code_and_message() {
    let t = app();
    let e = t.err("set_setting", json!({"key": "../../etc", "value": "x"}));
    assert_eq!(e["code"], json!("invalid"));
    assert!(e["message"].as_str().unwrap_or("").contains("not a setting name"), "{e}");
}

#[test]
fn a_database_from_a_newer_rebound_reaches_the_window_as_newer_schema() {
    let t = app();
    {
        let store = rebound::store::Store::open(&t.db).expect("open");
        store.conn().pragma_update(None, "user_version", 999).expect("bump version");
    }
    let e = t.err("overview", json!({}));
    assert_eq!(e["code"], json!("newer_schema"));
    assert!(e["message"].as_str().unwrap_or("").contains("newer Rebound"), "{e}");
}

#[test]
fn removing_an_unknown_import_says_false() {
    let t = app();
    assert_eq!(t.ok("remove_import", json!({"importId": 12345})), json!(false));
    assert_eq!(t.ok("import_problems", json!({"importId": 12345})), json!([]));
}

#[test]
fn an_import_runs_in_the_background_and_reports_every_file() {
    let t = app();
    let dir = t.dir.path().to_path_buf();
    let junk = dir.join("notes.txt");
    std::fs::write(&junk, "just some words, not a bounce\n").expect("write");
    let missing = dir.join("missing.mbox");
    let done = t.import(&[&junk, &missing]);
    assert_eq!(done["cancelled"], json!(false));
    assert_eq!(done["error"], Value::Null);
    let outcomes = done["outcomes"].as_array().expect("outcomes");
    assert_eq!(outcomes.len(), 2, "one outcome per file, failures included");
    assert_eq!(outcomes[0]["error_code"], json!("unknown_format"));
    assert_eq!(outcomes[0]["file"], json!(junk.display().to_string()));
    assert_eq!(outcomes[1]["error_code"], json!("read_failed"));
    assert_eq!(t.ok("list_imports", json!({})), json!([]), "a refused file leaves no import behind");
    // The slot is free again: a second import may start.
    let again = t.import(&[&junk]);
    assert_eq!(again["outcomes"].as_array().map(|a| a.len()), Some(1));
}

#[test]
fn an_empty_import_is_refused_and_cancel_without_import_is_false() {
    let t = app();
    assert_eq!(t.err("import_files", json!({"paths": []}))["code"], json!("invalid"));
    assert_eq!(t.ok("cancel_import", json!({})), json!(false));
}

#[test]
fn backup_writes_a_copy_and_refuses_the_database_itself() {
    let t = app();
    t.ok("set_setting", json!({"key": "ui.theme", "value": "dark"}));
    let dest = t.db.with_file_name("backup.sqlite");
    t.ok("backup_database", json!({"dest": dest.display().to_string()}));
    let copy = rebound::store::Store::open(&dest).expect("backup opens");
    assert_eq!(copy.setting("ui.theme").expect("read"), Some("dark".into()));
    let e = t.err("backup_database", json!({"dest": t.db.display().to_string()}));
    assert_eq!(e["code"], json!("invalid"));
}

#[test]
fn report_summary_matches_the_library_report_and_chart_svg_draws_it() {
    let t = app();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/sendgrid");
    let done = t.import(&[&demo]);
    assert_eq!(done["error"], Value::Null);
    let r = t.ok("report_summary", json!({ "campaign": null }));
    let store = rebound::store::Store::open(&t.db).expect("open");
    let q = rebound::report::Query::default();
    let lib = serde_json::to_value(rebound::report::report(&store, &q).expect("report")).expect("json");
    assert!(lib["total"]["counts"]["hard"].as_i64().unwrap_or(0) > 0, "the demo has hard bounces");
    assert_eq!(r["total"]["counts"], lib["total"]["counts"]);
    // Levels, keys and texts must match; the raw f64 values may differ in the last digit after IPC.
    assert_eq!(r["total"]["health"]["level"], lib["total"]["health"]["level"]);
    let texts = |v: &Value| -> Vec<(Value, Value, Value)> {
        v["total"]["health"]["checks"].as_array().map(|a| a.iter().map(|c| (c["key"].clone(), c["params"].clone(), c["text"].clone())).collect()).unwrap_or_default()
    };
    assert_eq!(texts(&r), texts(&lib));
    assert!(!texts(&r).is_empty(), "the totals are judged");
    assert_eq!(r["campaigns"].as_array().map(|a| a.len()), lib["campaigns"].as_array().map(|a| a.len()));
    let svg = t.ok("chart_svg", json!({ "kind": "trend", "campaign": null, "width": 640, "height": 240, "theme": "dark" }));
    assert!(svg.as_str().unwrap_or("").starts_with("<svg"), "an SVG document: {svg}");
    let e = t.err("chart_svg", json!({ "kind": "pie", "campaign": null, "width": 640, "height": 240, "theme": "light" }));
    assert_eq!(e["code"], json!("invalid"));
}
