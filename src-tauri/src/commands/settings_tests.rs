//! Settings and demo commands on tauri's mock runtime: real library, real SQLite files.

use crate::test_app::{app, TestApp};
use serde_json::{json, Value};

impl TestApp {
    fn events(&self) -> i64 {
        self.ok("overview", json!({}))["events"].as_i64().expect("events")
    }
}

#[test]
fn demo_opens_in_its_own_database_and_back_leaves_the_users_untouched() {
    let t = app();
    t.ok("set_setting", json!({"key": "ui.language", "value": "es"}));
    let st = t.ok("app_status", json!({}));
    assert_eq!((st["demo"].clone(), st["has_data"].clone()), (json!(false), json!(false)));

    let st = t.ok("open_demo", json!({}));
    assert_eq!(st["demo"], json!(true));
    assert_eq!(st["has_data"], json!(true));
    let demo_db = t.db.with_file_name("demo.sqlite");
    assert_eq!(st["db_path"], json!(demo_db.display().to_string()));
    assert!(t.events() > 10_000, "the demo set is shown");
    let loc = t.ok("data_location", json!({}));
    assert_eq!(loc["demo"], json!(true));
    assert_eq!(loc["user_db_path"], json!(t.db.display().to_string()));
    // Window preferences follow the user, not the demo file.
    assert_eq!(t.ok("get_settings", json!({"keys": ["ui.language"]}))["ui.language"], json!("es"));
    t.ok("set_setting", json!({"key": "ui.theme", "value": "dark"}));
    // The report agrees with the library's report on the demo file, sent counts entered included.
    let r = t.ok("report_summary", json!({"campaign": null}));
    assert!(r["total"]["sent"].as_i64().unwrap_or(0) > 8_000, "entered sent counts count: {}", r["total"]["sent"]);

    let st = t.ok("close_demo", json!({}));
    assert_eq!((st["demo"].clone(), st["has_data"].clone()), (json!(false), json!(false)));
    assert_eq!(t.events(), 0, "nothing of the demo reached the user's database");
    assert_eq!(t.ok("get_settings", json!({"keys": ["ui.theme"]}))["ui.theme"], json!("dark"));
    t.ok("remember_screen", json!({"screen": "settings"}));
    assert_eq!(t.ok("get_settings", json!({"keys": ["ui.last_screen"]}))["ui.last_screen"], json!("settings"));
    assert_eq!(t.err("remember_screen", json!({"screen": "<script>"}))["code"], json!("invalid"));
    // Opening again reuses the built demo database.
    let modified = std::fs::metadata(&demo_db).and_then(|m| m.modified()).expect("demo db");
    t.ok("open_demo", json!({}));
    assert_eq!(std::fs::metadata(&demo_db).and_then(|m| m.modified()).expect("demo db"), modified);
}

#[test]
fn zone_thresholds_and_policy_round_trip_and_bad_values_are_refused() {
    let t = app();
    let p = t.ok("preferences", json!({}));
    assert_eq!(p["time_zone"], json!("UTC"));
    assert_eq!(p["thresholds"]["hard_red"], json!(0.02));
    assert_eq!(p["policy"]["remove_hard"], json!(true));

    assert_eq!(t.ok("set_time_zone", json!({"zone": "Asia/Ho_Chi_Minh"})), json!("Asia/Ho_Chi_Minh"));
    assert_eq!(t.ok("set_time_zone", json!({"zone": "+7"})), json!("+07:00"));
    let e = t.err("set_time_zone", json!({"zone": "Mars/Olympus"}));
    assert_eq!(e["code"], json!("invalid"));
    assert!(e["message"].as_str().unwrap_or("").contains("IANA"), "{e}");

    let mut th = p["thresholds"].clone();
    th["hard_red"] = json!(0.05);
    th["hard_amber"] = json!(0.03);
    t.ok("set_thresholds", json!({"thresholds": th}));
    th["hard_amber"] = json!(0.09);
    assert_eq!(t.err("set_thresholds", json!({"thresholds": th}))["code"], json!("invalid"));

    let pol = t.ok("set_policy_value", json!({"key": "remove_role", "value": "true"}));
    assert_eq!(pol["remove_role"], json!(true));
    assert_eq!(t.err("set_policy_value", json!({"key": "remove_everything", "value": "true"}))["code"], json!("invalid"));

    let p = t.ok("preferences", json!({}));
    assert_eq!(p["time_zone"], json!("+07:00"));
    assert_eq!(p["thresholds"]["hard_red"], json!(0.05));
    assert_eq!(p["policy"]["remove_role"], json!(true));
    // The report reads the same stored zone and thresholds as `rebound report`.
    let store = rebound::store::Store::open(&t.db).expect("open");
    assert_eq!(rebound::report::Thresholds::load(&store).expect("load").hard_amber, 0.03);
}

#[test]
fn delete_all_keeps_settings_and_a_backup_that_undoes_it() {
    let t = app();
    t.ok("open_demo", json!({}));
    t.ok("set_time_zone", json!({"zone": "Europe/Madrid"}));
    let before = t.events();
    let d = t.ok("delete_all_data", json!({}));
    assert_eq!(d["events"], json!(before));
    let backup = d["backup_path"].as_str().expect("backup path").to_string();
    assert!(backup.contains("/backups/before-delete-all-"), "{backup}");
    assert_eq!(t.events(), 0);
    assert_eq!(t.ok("app_status", json!({}))["has_data"], json!(false));
    assert_eq!(t.ok("preferences", json!({}))["time_zone"], json!("Europe/Madrid"), "settings survive");

    // Undo = restore the automatic backup.
    let info = t.ok("restore_database", json!({"src": backup}));
    assert_eq!(info["events"], json!(before));
    assert_eq!(t.events(), before);

    let e = t.err("restore_database", json!({"src": t.db.with_file_name("nope.sqlite").display().to_string()}));
    assert_eq!(e["code"], json!("read_failed"));
    assert_eq!(t.events(), before, "a refused restore changes nothing");
}

#[test]
fn backup_then_restore_brings_the_old_state_back() {
    let t = app();
    t.ok("set_setting", json!({"key": "report.note", "value": "old"}));
    let dest = t.db.with_file_name("copy.sqlite");
    let info = t.ok("backup_database", json!({"dest": dest.display().to_string()}));
    assert_eq!(info["events"], json!(0));
    t.ok("set_setting", json!({"key": "report.note", "value": "new"}));
    t.ok("restore_database", json!({"src": dest.display().to_string()}));
    assert_eq!(t.ok("get_settings", json!({"keys": ["report.note"]}))["report.note"], json!("old"));
}

#[test]
fn a_read_only_database_reaches_the_window_with_its_path() {
    let t = app();
    t.ok("set_setting", json!({"key": "report.x", "value": "1"}));
    let ro = rusqlite_query_only(&t);
    assert_eq!(ro["code"], json!("read_only"));
    assert!(ro["message"].as_str().unwrap_or("").contains(&t.db.display().to_string()), "{ro}");
}

/// Makes the app's own connection refuse writes as on a read-only file (`PRAGMA
/// query_only`: SQLITE_READONLY), tries a write through the command, and undoes it.
/// tests/read_only_db.rs does the same with a real read-only file.
fn rusqlite_query_only(t: &TestApp) -> Value {
    use tauri::Manager;
    let state = t.window.state::<crate::state::AppState>();
    state
        .with_store(|s| {
            s.conn().execute_batch("PRAGMA query_only = ON;")?;
            Ok(())
        })
        .expect("pragma");
    let e = t.err("set_setting", json!({"key": "report.x", "value": "2"}));
    let _ = state.with_store(|s| Ok(s.conn().execute_batch("PRAGMA query_only = OFF;")?));
    e
}
