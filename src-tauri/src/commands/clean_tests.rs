//! clean_* commands on tauri's mock runtime: real library, real SQLite file, real files.

pub(crate) use crate::test_app::{app, TestApp};
use serde_json::{json, Value};
use std::path::Path;

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A store where gone@example.com hard-bounced.
fn with_a_hard_bounce() -> TestApp {
    let t = app();
    let report = t.write("bounces.csv", "email,status,reason\ngone@example.com,hard bounce,550 5.1.1 user unknown\n");
    let done = t.import_with("import_files", json!({ "paths": [s(&report)] }));
    assert_eq!(done["outcomes"][0]["events_added"], json!(1), "{done}");
    t
}

#[test]
fn preview_counts_and_save_writes_the_chosen_files() {
    let t = with_a_hard_bounce();
    let list = t.write("contacts.csv", "Name,Email\nAna,ana@example.com\nGone,gone@example.com\nTeam,info@example.com\n");
    let det = t.ok("clean_detect", json!({ "path": s(&list) }));
    assert_eq!(det["email"]["index"], json!(1));
    assert_eq!(det["columns"][1]["samples"][0], json!("ana@example.com"));
    let p = t.ok("clean_preview", json!({ "path": s(&list), "choice": {} }));
    assert_eq!((p["rows"].clone(), p["kept"].clone(), p["removed"].clone(), p["flagged"].clone()), (json!(3), json!(2), json!(1), json!(1)));
    assert_eq!(p["removed_by_reason"], json!({"hard_bounce": 1}));
    assert_eq!(p["flagged_by_reason"], json!({"role_account": 1}));
    assert_eq!(p["written"], json!([]));
    assert!(!t.dir.path().join("contacts.cleaned.csv").exists(), "a preview writes nothing");

    let (cleaned, removed, supp) = (t.dir.path().join("out.csv"), t.dir.path().join("gone.csv"), t.dir.path().join("supp.txt"));
    let r = t.ok(
        "clean_save",
        json!({ "path": s(&list), "choice": {}, "cleaned": s(&cleaned), "removed": s(&removed), "suppressions": [{ "format": "plain", "path": s(&supp) }] }),
    );
    assert_eq!(r["written"], json!([s(&cleaned), s(&removed), s(&supp)]));
    assert_eq!(std::fs::read_to_string(&cleaned).expect("cleaned"), "Name,Email\nAna,ana@example.com\nTeam,info@example.com\n");
    let gone = std::fs::read_to_string(&removed).expect("removed");
    assert!(gone.starts_with("Name,Email,rebound_action,rebound_reason,rebound_evidence\nGone,gone@example.com,removed,hard_bounce,"), "{gone}");
    assert_eq!(std::fs::read_to_string(&supp).expect("supp").trim(), "gone@example.com");
}

#[test]
fn policy_switches_are_kept_and_change_the_preview() {
    let t = with_a_hard_bounce();
    let lines = t.ok("clean_policy", json!({}));
    let value = |lines: &Value, k: &str| lines.as_array().and_then(|a| a.iter().find(|l| l["key"] == json!(k))).map(|l| l["value"].clone());
    assert_eq!(value(&lines, "remove_role"), Some(json!("false")));
    let lines = t.ok("clean_set_policy", json!({ "key": "remove_role", "value": "true" }));
    assert_eq!(value(&lines, "remove_role"), Some(json!("true")));
    assert_eq!(t.ok("get_settings", json!({ "keys": ["policy.remove_role"] })), json!({"policy.remove_role": "true"}));
    let list = t.write("c.csv", "email\ninfo@example.com\nana@example.com\n");
    let p = t.ok("clean_preview", json!({ "path": s(&list) }));
    assert_eq!(p["removed_by_reason"], json!({"role_account": 1}));
    let e = t.err("clean_set_policy", json!({ "key": "soft_days", "value": "0" }));
    assert_eq!(e["code"], json!("invalid"));
    assert_eq!(t.err("clean_set_policy", json!({ "key": "nope", "value": "true" }))["code"], json!("invalid"));
}

#[test]
fn bad_lists_fail_with_the_file_named() {
    let t = app();
    let missing = t.dir.path().join("nowhere.csv");
    let e = t.err("clean_preview", json!({ "path": s(&missing) }));
    assert_eq!(e["code"], json!("read_failed"));
    assert!(e["message"].as_str().unwrap_or("").contains("nowhere.csv"), "{e}");
    let words = t.write("words.csv", "name,city\nAna,Lima\nBo,Hue\n");
    let e = t.err("clean_preview", json!({ "path": s(&words) }));
    assert_eq!(e["code"], json!("bad_input"));
    assert!(e["message"].as_str().unwrap_or("").contains("words.csv"), "{e}");
    let e = t.err("clean_preview", json!({ "path": s(&words), "choice": { "email_column": "Nope" } }));
    assert_eq!(e["code"], json!("invalid"));
    let list = t.write("list.csv", "email\nana@example.com\n");
    let e = t.err("clean_save", json!({ "path": s(&list), "cleaned": s(&list), "removed": s(&t.dir.path().join("r.csv")) }));
    assert_eq!(e["code"], json!("invalid"), "the list itself is never overwritten: {e}");
}

fn ten_thousand_contacts(t: &TestApp) -> std::path::PathBuf {
    let mut text = String::from("email\n");
    for i in 0..10_000 {
        text.push_str(&format!("person{i}@example.com\n"));
    }
    t.write("many.csv", &text)
}

#[test]
fn a_preview_reports_row_progress_up_to_the_whole_file() {
    use tauri::Listener;
    let t = app();
    let list = ten_thousand_contacts(&t);
    let size = std::fs::metadata(&list).expect("size").len();
    let (tx, rx) = std::sync::mpsc::channel();
    t.app.listen(super::PROGRESS_EVENT, move |e| {
        let _ = tx.send(e.payload().to_string());
    });
    let p = t.ok("clean_preview", json!({ "path": s(&list) }));
    assert_eq!(p["rows"], json!(10_000));
    let heard: Vec<Value> = rx.try_iter().map(|x| serde_json::from_str(&x).expect("json")).collect();
    assert!(!heard.is_empty(), "at least the final progress");
    let last = heard.last().expect("last");
    assert_eq!((last["done_bytes"].as_u64(), last["total_bytes"].as_u64()), (Some(size), Some(size)));
    assert!(last["rows"].as_u64().unwrap_or(0) >= 10_000);
}

#[test]
fn cancel_stops_a_save_and_nothing_is_written() {
    use crate::state::AppState;
    use tauri::{Listener, Manager};
    let t = app();
    let list = ten_thousand_contacts(&t);
    let handle = t.app.handle().clone();
    // Cancel as soon as the first progress arrives, as the window's Cancel button does.
    t.app.listen(super::PROGRESS_EVENT, move |_| {
        handle.state::<AppState>().clean.cancel();
    });
    let (cleaned, removed) = (t.dir.path().join("c.csv"), t.dir.path().join("r.csv"));
    let e = t.err("clean_save", json!({ "path": s(&list), "cleaned": s(&cleaned), "removed": s(&removed) }));
    assert_eq!(e["code"], json!("cancelled"), "{e}");
    assert!(!cleaned.exists() && !removed.exists(), "a cancelled save writes no file");
    assert_eq!(t.ok("clean_cancel", json!({})), json!(false), "nothing runs any more");
}
