//! Fails when the window's powers widen: the CSP, the capability list, the
//! plugins and remote URLs are checked against what Rebound needs and no more.

use serde_json::Value;
use std::path::Path;

fn read(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn csp_is_strict() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP string is set");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for needed in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-src 'none'"] {
        assert!(directives.contains(&needed), "CSP lacks `{needed}`: {csp}");
    }
    for banned in ["unsafe-eval", "unsafe-inline", "http:", "https:", "*", "blob:"] {
        let hit = directives.iter().filter(|d| !d.starts_with("connect-src")).any(|d| d.split_whitespace().any(|w| w.contains(banned)));
        assert!(!hit, "CSP allows {banned}: {csp}");
    }
    let connect = directives.iter().find(|d| d.starts_with("connect-src")).copied().unwrap_or("");
    assert_eq!(connect, "connect-src ipc: http://ipc.localhost", "connect-src may only reach Tauri's IPC");
    assert_eq!(conf["app"]["withGlobalTauri"], Value::Bool(false));
    assert!(conf["app"]["security"]["dangerousDisableAssetCspModification"].is_null());
}

#[test]
fn capabilities_are_the_minimum() {
    let conf = json("tauri.conf.json");
    assert_eq!(conf["app"]["security"]["capabilities"], serde_json::json!(["main-window"]));
    let cap = json("capabilities/main-window.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap["remote"].is_null(), "no remote URL may use the capabilities");
    let perms: Vec<&str> = cap["permissions"].as_array().expect("permissions").iter().filter_map(Value::as_str).collect();
    assert_eq!(perms, ["core:event:allow-listen", "core:event:allow-unlisten", "dialog:allow-open", "dialog:allow-save"]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(dir).expect("capabilities dir").filter_map(|e| e.ok()).collect();
    assert_eq!(files.len(), 1, "one capability file only");
}

#[test]
fn no_shell_or_fs_plugin_and_no_remote_urls() {
    let cargo = read("Cargo.toml");
    for banned in ["tauri-plugin-shell", "tauri-plugin-fs", "tauri-plugin-http", "tauri-plugin-updater", "tauri-plugin-opener"] {
        assert!(!cargo.contains(banned), "{banned} must not be a dependency");
    }
    let ui = read("../ui/package.json");
    for banned in ["plugin-shell", "plugin-fs", "plugin-http", "plugin-opener"] {
        assert!(!ui.contains(banned), "ui must not use {banned}");
    }
    let conf = json("tauri.conf.json");
    for w in conf["app"]["windows"].as_array().expect("windows") {
        assert!(w["url"].is_null(), "windows load the bundled UI, never a URL");
    }
    assert_eq!(conf["build"]["frontendDist"], Value::String("../ui/dist".into()));
    let index = read("../ui/index.html");
    assert!(!index.contains("http://") && !index.contains("https://"), "ui/index.html loads nothing remote");
}
