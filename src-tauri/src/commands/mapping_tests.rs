//! The mapping screen's commands and import_mapped on tauri's mock runtime.

use super::super::clean::tests::app;
use serde_json::{json, Value};

#[test]
fn an_unmappable_guess_is_offered_mapped_remembered_and_replaced() {
    let t = app();
    // No column name Rebound knows and no status words: read as a contact list, so refused.
    let file = t.write("export.csv", "who,what,when\nana@example.com,gone away,2024-03-02 10:00\nbo@example.net,gone away,2024-03-03 11:00\n");
    let path = file.display().to_string();
    let done = t.import_with("import_files", json!({ "paths": [path] }));
    assert_eq!(done["outcomes"][0]["error_code"], json!("bad_input"), "{done}");
    assert_eq!(done["mappable"], json!([true]));

    let view = t.ok("mapping_proposal", json!({ "path": path }));
    assert_eq!(view["remembered"], json!(false));
    assert_eq!(view["proposal"]["columns"][0], json!({"name": "who", "samples": ["ana@example.com", "bo@example.net"]}));
    assert!(view["proposal"]["mapping"].as_array().is_some_and(|m| m.contains(&json!({"field": "email", "column": "who", "how": "by content"}))), "{view}");

    let bad = t.err("import_mapped", json!({ "path": path, "mapping": [["status", "what"]] }));
    assert_eq!(bad["code"], json!("invalid"), "an address column is required");
    let bad = t.err("import_mapped", json!({ "path": path, "mapping": [["email", "nope"]] }));
    assert_eq!(bad["code"], json!("invalid"));

    let mapping = json!([["email", "who"], ["reason", "what"], ["date", "when"]]);
    let done = t.import_with("import_mapped", json!({ "path": path, "mapping": mapping }));
    assert_eq!(done["outcomes"][0]["events_added"], json!(2), "{done}");
    assert_eq!(done["outcomes"][0]["detection"]["format"], json!("generic-csv"));
    assert_eq!(done["mappable"], json!([true]), "still offered: the user may correct it again");
    let first_id = done["outcomes"][0]["import_id"].clone();

    let view = t.ok("mapping_proposal", json!({ "path": path }));
    assert_eq!(view["remembered"], json!(true));
    assert!(view["proposal"]["mapping"].as_array().is_some_and(|m| m.contains(&json!({"field": "reason", "column": "what", "how": "given"}))), "{view}");

    // Mapped again: the earlier import is replaced, not doubled.
    let done = t.import_with("import_mapped", json!({ "path": path, "mapping": [["email", "who"], ["date", "when"]], "replaceImport": first_id }));
    assert_eq!(done["outcomes"][0]["events_added"], json!(2), "{done}");
    let imports = t.ok("list_imports", json!({}));
    assert_eq!(imports.as_array().map(|a| a.len()), Some(1), "{imports}");
    assert_eq!(t.ok("overview", json!({}))["events"], json!(2));
    let wrong = t.err("import_mapped", json!({ "path": path, "mapping": mapping, "replaceImport": 999 }));
    assert_eq!(wrong["code"], json!("invalid"));
}

#[test]
fn prose_and_missing_files_are_not_offered() {
    let t = app();
    let prose = t.write("notes.txt", "just some words, not a bounce\n");
    let done = t.import_with("import_files", json!({ "paths": [prose.display().to_string()] }));
    assert_eq!(done["mappable"], json!([false]));
    let e = t.err("mapping_proposal", json!({ "path": prose.display().to_string() }));
    assert_eq!(e["code"], json!("bad_input"));
    assert!(e["message"].as_str().unwrap_or("").contains("notes.txt"), "{e}");
    let e: Value = t.err("mapping_proposal", json!({ "path": t.dir.path().join("gone.csv").display().to_string() }));
    assert_eq!(e["code"], json!("read_failed"));
}
